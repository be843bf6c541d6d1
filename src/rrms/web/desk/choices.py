"""The choices of fields whose values come from data: programmes and countries.

A programme is chosen by its code and name, never typed as a database id; a country by
its ISO code and name. The programmes are read for each page (there are a handful, and
a new one appears without a restart); the countries are reference data, read once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache

from rrms.reference.countries import countries
from rrms.services.core import records
from rrms.services.core.access import Actor, allowed
from rrms.services.programmes.programmes import PROGRAMMES
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.desk.spec import Field

__all__ = ["country_options", "programme_codes", "programmes_of", "with_options"]


@cache
def country_options() -> tuple[tuple[str, str], ...]:
    """Every country as (ISO alpha-2 code, "code — English name"), by name."""
    found = sorted(countries().all, key=lambda c: c.name_en)
    return tuple((c.alpha2, f"{c.alpha2} — {c.name_en}") for c in found)


def programmes_of(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str, str]]:
    """(id, code, name) of the programmes the user may read, by code (reference data:
    reading them is not audited)."""
    if not allowed(actor, PROGRAMMES.entity, "read"):
        return []
    found = records.list_records(
        uow, actor, PROGRAMMES, limit=records.MAX_PAGE, order=("code", False)
    )
    return [(p.id, p.code, p.name) for p in found.items]


def programme_codes(uow: UnitOfWork, actor: Actor) -> Mapping[int, str]:
    """Each programme's code by its id (an export names programmes by code)."""
    return {ident: code for ident, code, _ in programmes_of(uow, actor)}


def with_options(fields: Iterable[Field], uow: UnitOfWork, actor: Actor) -> tuple[Field, ...]:
    """The fields with the choices of their programme and country fields filled in."""
    fields = tuple(fields)
    kinds = {f.kind for f in fields}
    programmes: tuple[tuple[str, str], ...] = ()
    if "programme" in kinds:
        programmes = tuple(
            (str(ident), f"{code} — {name}") for ident, code, name in programmes_of(uow, actor)
        )
    chosen = {"programme": programmes, "country": country_options()}
    return tuple(replace(f, options=chosen[f.kind]) if f.kind in chosen else f for f in fields)
