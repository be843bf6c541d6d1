"""The base of every query object: it holds the open transaction's session."""

from __future__ import annotations

from sqlalchemy.orm import Session


class Queries:
    """SQL for one context, run in the unit of work's transaction."""

    def __init__(self, session: Session):
        self.session = session
