"""Confidential cases of the counter-trafficking and medical units.

A confidential case exists, as far as anyone else can tell, only for the users of its
unit: `CONFIDENTIAL_CASES` is unit-scoped, so `rrms.services.core.records` filters every
listing and count by the actor's unit and answers `NotFound` (never `Forbidden`) for
another unit's case, which would otherwise confirm that it exists. Administrators and
every other role are refused outright. Every read is audited, like every write.

The case types each unit works with are data (`CASE_TYPES`), not branches in code: a
new kind of case is one more word in the unit's tuple.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from rrms.domain.messages import N_, Word
from rrms.domain.vocabulary import CONFIDENTIAL_STATUSES
from rrms.reference.places import gazetteer
from rrms.reference.text import fold
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.records import RecordKind
from rrms.storage.tables import ConfidentialCase
from rrms.storage.unit_of_work import UnitOfWork

CASE_TYPES: Mapping[str, tuple[str, ...]] = {
    "counter_trafficking": (
        "victim_assistance",
        "voluntary_return_of_victim",
        "shelter_referral",
        "legal_assistance",
        "reintegration_support",
        "family_tracing",
    ),
    "medical": (
        "complex_medical_case",
        "medical_transport",
        "medical_escort",
        "swedish_medical_team_surgery",
        "psychiatric_care",
        "medication_supply",
    ),
}
"""unit -> the case types it records. The vocabulary of each unit is its own: a medical
unit cannot record a trafficking case type, and the other way round."""


@cache
def _district_codes() -> dict[str, str]:
    """Every spelling of a district (code, Albanian, Serbian), folded -> district code."""
    index: dict[str, str] = {}
    for district in gazetteer().districts:
        for name in (district.code, district.name_sq, district.name_sr, district.label):
            index[fold(name)] = district.code
    return index


def district_code(name: str) -> str:
    """The code (PRI, MIT, PEJ, GJA, PRZ, GJI, FER) of a UNMIK district in any spelling.

    Raises `Invalid` naming the field `district` and listing the districts otherwise.
    """
    code = _district_codes().get(fold(name))
    if code is None:
        known = ", ".join(f"{d.code} ({d.label})" for d in gazetteer().districts)
        raise Invalid(
            N_("not a UNMIK district: {name!r}; districts: {known}", name=name, known=known),
            "district",
        )
    return code


def _as_date(values: dict[str, Any], name: str) -> dt.date | None:
    value = values.get(name)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        parsed = dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise Invalid(N_("{name} must be a date YYYY-MM-DD", name=name), name) from exc
    values[name] = parsed
    return parsed


def _check_links(uow: UnitOfWork, unit: str, values: dict[str, Any]) -> None:
    """The person and programme a case names exist, and the programme is not another
    unit's (whose cases this unit must not see, let alone add to)."""
    if values.get("person_id") is not None and uow.programmes.person(values["person_id"]) is None:
        raise Invalid(
            N_("no person with id {person_id}", person_id=values["person_id"]), "person_id"
        )
    if values.get("programme_id") is not None:
        programme = uow.programmes.programme(values["programme_id"])
        if programme is None:
            raise Invalid(
                N_("no programme with id {programme_id}", programme_id=values["programme_id"]),
                "programme_id",
            )
        if programme.confidential_unit not in (None, unit):
            raise Invalid(N_("the programme belongs to another unit"), "programme_id")


def _check(uow: UnitOfWork, unit: str, values: dict[str, Any], merged: dict[str, Any]) -> None:
    """Check `values` (the fields being set) against the domain; `merged` is the whole case."""
    if "case_type" in values:
        allowed = CASE_TYPES.get(unit, ())
        if values["case_type"] not in allowed:
            raise Invalid(
                N_(
                    "unknown case type {case_type!r} for the {unit} unit; case types: {allowed}",
                    case_type=values["case_type"],
                    unit=Word(unit, unit.replace("_", " ")),
                    allowed=", ".join(allowed),
                ),
                "case_type",
            )
    if "status" in values and values["status"] not in CONFIDENTIAL_STATUSES:
        raise Invalid(
            N_(
                "unknown status {status!r}; statuses: {confidential_statuses}",
                status=Word(values["status"]),
                confidential_statuses=", ".join(CONFIDENTIAL_STATUSES),
            ),
            "status",
        )
    if values.get("district") is not None:
        values["district"] = district_code(str(values["district"]))
    for name in ("opened_on", "closed_on"):
        if name in values:
            merged[name] = _as_date(values, name)
    if merged.get("opened_on") is None:
        raise Invalid(N_("opened_on is required"), "opened_on")
    closed_on = merged.get("closed_on")
    if closed_on is not None and closed_on < merged["opened_on"]:
        raise Invalid(N_("a case cannot be closed before it was opened"), "closed_on")
    if merged.get("status") == "closed" and closed_on is None:
        raise Invalid(N_("a closed case needs the date it was closed on"), "closed_on")
    _check_links(uow, unit, values)


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    values.setdefault("status", "open")
    _check(uow, values["unit"], values, dict(values))


def _check_update(
    uow: UnitOfWork, actor: Actor, row: ConfidentialCase, changes: dict[str, Any]
) -> None:
    merged = {
        "status": row.status,
        "opened_on": row.opened_on,
        "closed_on": row.closed_on,
        **changes,
    }
    _check(uow, row.unit, changes, merged)


CONFIDENTIAL_CASES: RecordKind[ConfidentialCase] = RecordKind(
    entity="confidential_cases",
    table=ConfidentialCase,
    filterable=("status", "case_type", "district", "programme_id"),
    unit_scoped=True,
    check_create=_check_create,
    check_update=_check_update,
)
"""Counter-trafficking and medical cases: each visible only to users of its own unit."""
