"""Programmes: seeding them from the reference data, editing them, and who is eligible.

A programme decides who may receive its assistance (communities, sending countries,
period) and how much one person may receive (its cap). The programmes IOM Kosovo ran
in 2004 are reference data (`rrms.reference.programmes`); `seed_programmes` writes
them to the database, audited and idempotent, when the database is migrated.
`check_eligibility` gives the reason a person is not eligible, in words a caseworker
can act on, or None: it gathers the person's facts through `uow.programmes` for the
pure rule in `rrms.domain.eligibility`.

The field checks every record kind shares are in `rrms.services.core.fields`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rrms.domain import eligibility
from rrms.domain.eligibility import ProgrammeTerms
from rrms.domain.messages import N_, Message, Word
from rrms.domain.vocabulary import CONFIDENTIAL_UNITS
from rrms.reference.communities import communities
from rrms.reference.countries import countries
from rrms.reference.programmes import ProgrammeDefinition, programmes
from rrms.services.core import records
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    _label,
    clean_amount,
    clean_currency,
    clean_date,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_programme
from rrms.storage.tables import Person, Programme, Return
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "PROGRAMMES",
    "check_eligibility",
    "definition_of",
    "normalise_programme",
    "programme_by_code",
    "require_programme",
    "seed_programmes",
]

_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")


# --- eligibility ---------------------------------------------------------------------


def _community_name(code: str) -> str:
    return communities().get(code).name_en


def _country_name(code: str) -> str:
    try:
        return f"{countries().get(code).name_en} ({code})"
    except KeyError:
        return code


def _terms(programme: Programme) -> ProgrammeTerms:
    """The eligibility terms of a stored programme, as the pure rule takes them."""
    return ProgrammeTerms(
        code=programme.code,
        communities=programme.eligible_communities,
        sending_countries=programme.eligible_sending_countries,
        period_start=programme.period_start,
        period_end=programme.period_end,
    )


def check_eligibility(
    uow: UnitOfWork,
    programme: Programme,
    person: Person,
    return_: Return | None = None,
    *,
    on: dt.date | None = None,
) -> Message | None:
    """The reason `person` is not eligible for `programme`, or None when they are.

    The rule is `rrms.domain.eligibility.check_eligibility`; this gathers its facts:
    the person's community; the country they returned from (`return_`, or else any of
    their recorded returns, read only when the programme names sending countries); and
    the date (`on`, else the return's arrival).
    """
    returned_from: list[str] = []
    if programme.eligible_sending_countries is not None:
        returned_from = (
            [return_.sending_country]
            if return_ is not None
            else uow.programmes.returned_from(person.id)
        )
    return eligibility.check_eligibility(
        _terms(programme),
        community=person.community,
        returned_from=returned_from,
        on=on or (return_.arrival_date if return_ is not None else None),
        community_name=_community_name,
        country_name=_country_name,
    )


# --- the programmes themselves ----------------------------------------------------------


def _clean_list(
    values: dict[str, Any],
    name: str,
    parse: Callable[[str], str | None],
    what: str,
    hints: Callable[[str], list[str]],
) -> None:
    """Turn a list of names in any language into codes, refusing unknown ones."""
    if name not in values or values[name] is None:
        return
    items = values[name]
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise Invalid(
            N_(
                "{name} must be a list of {what}s, or null for any",
                name=Word(name, _label(name)),
                what=what,
            ),
            name,
        )
    if not items:
        raise Invalid(
            N_(
                "an empty {name} would admit nobody; use null for any",
                name=Word(name, _label(name)),
            ),
            name,
        )
    codes: list[str] = []
    for item in items:
        code = parse(item)
        if code is None:
            raise Invalid(
                N_(
                    "unknown {what} {item!r}; closest: {closest}",
                    what=what,
                    item=item,
                    closest=", ".join(hints(item)),
                ),
                name,
            )
        if code not in codes:
            codes.append(code)
    values[name] = codes


def _country_code(text: str) -> str | None:
    found = countries().parse(text)
    return found.alpha2 if found else None


def normalise_programme(values: dict[str, Any], current: Programme | None = None) -> None:
    """Check and normalise a programme's fields in place; `Invalid` names the bad field."""
    if current is not None and "code" in values and values["code"] != current.code:
        raise Invalid(
            N_("a programme's code cannot change: records and seeding find it by it"), "code"
        )
    if current is None:
        clean_text(values, "code", 20, required=True, nullable=False)
        values["code"] = values["code"].upper()
        if not _CODE.fullmatch(values["code"]):
            raise Invalid(
                N_("a programme code is 1-20 capital letters, digits or '-', e.g. 'AVR-VD'"), "code"
            )
    clean_text(values, "name", 300, required=current is None, nullable=False)
    if "donors" in values:
        donors = values["donors"] if values["donors"] is not None else []
        if not isinstance(donors, list | tuple) or not all(isinstance(d, str) for d in donors):
            raise Invalid(N_("donors must be a list of names"), "donors")
        cleaned = [d.strip() for d in donors if d.strip()]
        if any(len(d) > 200 for d in cleaned) or len(cleaned) > 50:
            raise Invalid(N_("at most 50 donors of at most 200 characters each"), "donors")
        values["donors"] = cleaned
    if "objectives" in values:
        clean_text(values, "objectives", 20_000)
        values["objectives"] = values["objectives"] or ""
    for name in ("period_start", "period_end"):
        if name in values and values[name] is not None:
            clean_date(values, name, future=True)  # a planned end may lie ahead
    _clean_list(
        values,
        "eligible_communities",
        communities().parse,
        "community",
        communities().closest,
    )
    _clean_list(
        values,
        "eligible_sending_countries",
        _country_code,
        "country",
        countries().closest,
    )
    clean_amount(values, "cap_amount", minimum=Decimal("0.01"))
    clean_currency(values, "cap_currency")
    unit = values.get("confidential_unit")
    if unit is not None and unit not in CONFIDENTIAL_UNITS:
        raise Invalid(
            N_(
                "unknown unit {confidential_unit!r}; one of {confidential_units}",
                confidential_unit=values["confidential_unit"],
                confidential_units=", ".join(CONFIDENTIAL_UNITS),
            ),
            "confidential_unit",
        )
    final = merged(current, values) if current is not None else values
    if (final.get("cap_amount") is None) != (final.get("cap_currency") is None):
        field = "cap_currency" if final.get("cap_currency") is None else "cap_amount"
        raise Invalid(N_("a cap needs both an amount and a currency (or neither)"), field)
    start, end = final.get("period_start"), final.get("period_end")
    if start is not None and end is not None and end < start:
        raise Invalid(
            N_("the period ends ({end}) before it starts ({start})", end=end, start=start),
            "period_end",
        )


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    normalise_programme(values)
    values.setdefault("donors", [])
    values.setdefault("objectives", "")


def _check_update(uow: UnitOfWork, actor: Actor, row: Programme, changes: dict[str, Any]) -> None:
    normalise_programme(changes, row)


PROGRAMMES: RecordKind[Programme] = RecordKind(
    entity="programmes",
    table=Programme,
    filterable=("code", "confidential_unit"),
    audit_reads=False,  # programme definitions are public reference data, not case records
    check_create=_check_create,
    check_update=_check_update,
)
"""Programmes: everyone may read them; programme managers and administrators edit them."""


def definition_of(code: str) -> ProgrammeDefinition | None:
    """The reference definition of a seeded programme (notes, parent, figures), or None."""
    return programmes().get(code)


def programme_by_code(uow: UnitOfWork, code: str) -> Programme | None:
    """The stored programme with this code (any case), or None."""
    return uow.programmes.by_code(code.strip().upper())


def seed_programmes(uow: UnitOfWork, actor: Actor = SYSTEM) -> tuple[int, int]:
    """Write the reference programmes to the database; returns (created, updated).

    Idempotent by code: a programme already stored with the same values is left
    alone, one whose values differ from the reference data is brought back to it (the
    data file is the reviewed source of the programmes of 2004), and programmes
    created by users are never touched. Every create and update is authorised and
    audited like any other.
    """
    created = updated = 0
    for definition in programmes():
        values = definition.row_values()
        row = programme_by_code(uow, definition.code)
        if row is None:
            records.create_record(uow, actor, PROGRAMMES, values)
            created += 1
            continue
        changes = {name: value for name, value in values.items() if getattr(row, name) != value}
        changes.pop("code", None)
        if changes:
            records.update_record(uow, actor, PROGRAMMES, row.id, row.version, changes)
            updated += 1
    return created, updated
