"""Errors a use case can end with; the API, web and CLI turn each into a clear 4xx/message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every refusal a service can give; `message` is safe to show the user."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAuthenticated(ServiceError):
    """No valid credentials were given."""

    status = 401


class Forbidden(ServiceError):
    """The user's role does not allow this action."""

    status = 403


class NotFound(ServiceError):
    """No such record, or one the user may not know exists (confidential cases)."""

    status = 404


class Conflict(ServiceError):
    """The record changed since the user read it, or a unique value is already taken
    (then `field` names the value's field, so a page can show the refusal beside it)."""

    status = 409

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Invalid(ServiceError):
    """The request breaks a rule of the domain (eligibility, cap, status order)."""

    status = 422

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class TooManyAttempts(ServiceError):
    """Too many attempts (signing in): wait `retry_after` seconds before trying again."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
