"""Persons, families and documents: search, similar names, memberships."""

from __future__ import annotations

from rrms.storage.queries.base import Queries


class PersonQueries(Queries):
    """Persons, families and documents: search, similar names, memberships."""
