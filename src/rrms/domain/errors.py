"""A broken rule of the domain, with the field it concerns.

The domain knows nothing of HTTP or of the services' errors, yet a refusal must still
point the user at the field to correct. So a pure rule raises `RuleBroken` with the
message and the field, and the service layer turns it into its own `Invalid`, word
for word.
"""

from __future__ import annotations

__all__ = ["RuleBroken"]


class RuleBroken(ValueError):
    """A value breaks a rule of the domain; `message` is safe to show, `field` names it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field
