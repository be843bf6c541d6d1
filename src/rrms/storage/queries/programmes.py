"""Programmes and the records kept under them: lookups, sums under a cap, queues."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class ProgrammeQueries(Queries):
    """Programmes and the records kept under them: lookups, sums under a cap, queues."""
