"""Screening lists and decisions."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class ScreeningQueries(Queries):
    """Screening lists and decisions."""
