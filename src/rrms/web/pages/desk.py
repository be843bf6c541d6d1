"""The desk's pages for every kind of record (`rrms.web.desk`)."""

from __future__ import annotations

from rrms.web.desk.desks import DESKS
from rrms.web.desk.routes import desk_router

ROUTERS = [desk_router(desk) for desk in DESKS]
