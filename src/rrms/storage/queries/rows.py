"""The generic record path: get, list, count, add and flush any table's rows."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class RowQueries(Queries):
    """The generic record path: get, list, count, add and flush any table's rows."""
