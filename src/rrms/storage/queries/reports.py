"""Aggregate queries behind the reports."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class ReportQueries(Queries):
    """Aggregate queries behind the reports."""
