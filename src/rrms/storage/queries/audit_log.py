"""The audit log: the chain's lock, its last entry, appending and reading entries."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class AuditLogQueries(Queries):
    """The audit log: the chain's lock, its last entry, appending and reading entries."""
