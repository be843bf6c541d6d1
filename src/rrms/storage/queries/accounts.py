"""Users and API tokens."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class AccountQueries(Queries):
    """Users and API tokens."""
