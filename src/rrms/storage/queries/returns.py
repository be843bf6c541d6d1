"""Arrivals: lookups by movement reference, filters."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class ReturnQueries(Queries):
    """Arrivals: lookups by movement reference, filters."""
