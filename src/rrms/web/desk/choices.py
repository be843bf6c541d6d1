"""The choices of fields whose values come from data: programmes and countries.

A programme is chosen by its code and name, never typed as a database id; a country by
its ISO code and name. The programmes are read for each page (there are a handful, and
a new one appears without a restart); the countries are reference data, read once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache

from rrms.reference.countries import countries
from rrms.services.core import records
from rrms.services.core.access import Actor, allowed
from rrms.services.programmes.programmes import PROGRAMMES
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.desk.spec import Field

__all__ = ["Programmes", "country_options", "programmes_for", "with_options"]


@cache
def country_options() -> tuple[tuple[str, str], ...]:
    """Every country as (ISO alpha-2 code, "code — English name"), by name."""
    found = sorted(countries().all, key=lambda c: c.name_en)
    return tuple((c.alpha2, f"{c.alpha2} — {c.name_en}") for c in found)


@dataclass(frozen=True)
class Programmes:
    """The programmes the user may read, as (id, code, name) by code: read once for a
    page, which both offers them as choices and names them by code."""

    rows: tuple[tuple[int, str, str], ...] = ()

    @property
    def codes(self) -> Mapping[int, str]:
        """Each programme's code by its id (a list, a record and an export name a
        programme by its code)."""
        return {ident: code for ident, code, _ in self.rows}

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The (value, label) pairs of a programme select: "code — name"."""
        return tuple((str(ident), f"{code} — {name}") for ident, code, name in self.rows)


def programmes_for(fields: Iterable[Field], uow: UnitOfWork, actor: Actor) -> Programmes:
    """The programmes the user may read, read only when one of `fields` is a programme
    (reference data: reading them is not audited)."""
    if not any(f.kind == "programme" for f in fields):
        return Programmes()
    if not allowed(actor, PROGRAMMES.entity, "read"):
        return Programmes()
    found = records.list_records(
        uow, actor, PROGRAMMES, limit=records.MAX_PAGE, order=("code", False)
    )
    return Programmes(tuple((p.id, p.code, p.name) for p in found.items))


def with_options(fields: Iterable[Field], programmes: Programmes) -> tuple[Field, ...]:
    """The fields with the choices of their programme and country fields filled in."""
    chosen = {"programme": programmes.options, "country": country_options()}
    return tuple(replace(f, options=chosen[f.kind]) if f.kind in chosen else f for f in fields)
