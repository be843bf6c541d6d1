"""Housing reconstruction: each house from assessment to the day it is handed over.

The bulletin counts houses under reconstruction, finished and handed over, village by
village ("16 in Brestovik and 4 in Siga/ë"), so a house records its village and
municipality in one spelling whatever was typed ('Peja', 'Peć' and '17' are all KAS
code 17; 'Siga' and 'Sigë' are one village), and its status moves only forward:
assessed → under_reconstruction → finished → handed_over, each step dated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrms.domain.messages import N_, Word
from rrms.domain.transitions import HOUSING_TRANSITIONS
from rrms.domain.vocabulary import HOUSING_STATUSES, HousingStatus
from rrms.reference.places import gazetteer
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    check_transition,
    clean_choice,
    clean_date,
    clean_int,
    clean_municipality,
    clean_text,
    merged,
)
from rrms.services.core.records import RecordKind
from rrms.services.programmes.lookups import require_person, require_programme
from rrms.storage.tables import HousingReconstruction
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["HOUSING", "HOUSING_STATUSES", "TRANSITIONS", "HousingStatus", "village_name"]


TRANSITIONS = HOUSING_TRANSITIONS
"""A house moves one step forward at a time (`rrms.domain.transitions`)."""

_STATUS_DATE = {
    "under_reconstruction": "started_on",
    "finished": "finished_on",
    "handed_over": "handed_over_on",
}
_DATES = ("started_on", "finished_on", "handed_over_on")


def village_name(village: str, municipality_kas: str | None = None) -> str:
    """One spelling for a village the reference data knows ('Siga' -> 'Sigë/Siga').

    A village the gazetteer does not know is kept as typed (trimmed): the reference
    data lists only some settlements. A known village named with the wrong
    municipality is refused, since the house would be counted in the wrong place.
    """
    text = village.strip()
    known = gazetteer().settlement(text, municipality_kas) if municipality_kas else None
    if known is not None:
        return known.label
    elsewhere = gazetteer().settlement(text)
    if elsewhere is not None and municipality_kas is not None:
        owner = gazetteer().municipality(elsewhere.municipality_kas)
        here = gazetteer().municipality(municipality_kas)
        if owner is not None and here is not None:
            raise Invalid(
                N_(
                    "{village} is in {owner}, not in {municipality}",
                    village=elsewhere.label,
                    owner=owner.label,
                    municipality=here.label,
                ),
                "village",
            )
    if elsewhere is not None and municipality_kas is None:
        return elsewhere.label
    return text


def _clean(values: dict[str, Any], creating: bool) -> None:
    clean_text(values, "house_ref", 80, required=creating, nullable=False)
    clean_municipality(values, "municipality", required=creating, nullable=False)
    clean_text(values, "village", 200, required=creating, nullable=False)
    clean_choice(values, "status", HOUSING_STATUSES)
    clean_int(values, "beneficiaries")
    for name in _DATES:
        clean_date(values, name)


def _check_consistent(values: dict[str, Any]) -> None:
    status = values.get("status", "assessed")
    reached = HOUSING_STATUSES[: HOUSING_STATUSES.index(status) + 1]
    for needs, name in _STATUS_DATE.items():
        if values.get(name) is not None and needs not in reached:
            raise Invalid(
                N_(
                    "{name} is recorded once the house is {needs}",
                    name=Word(name, name.replace("_", " ")),
                    needs=Word(needs, needs.replace("_", " ")),
                ),
                name,
            )
    own = _STATUS_DATE.get(status)
    if own is not None and values.get(own) is None:
        raise Invalid(
            N_(
                "a house {status} needs its {own}",
                status=Word(status, status.replace("_", " ")),
                own=Word(own, own.replace("_", " ")),
            ),
            own,
        )
    check_dates_in_order(values, _DATES)


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    require_programme(uow, values.get("programme_id"))
    if values.get("head_person_id") is not None:
        require_person(uow, values["head_person_id"], "head_person_id")
    _clean(values, creating=True)
    values["village"] = village_name(values["village"], values["municipality"])
    values.setdefault("status", "assessed")
    values.setdefault("beneficiaries", 0)
    _check_consistent(values)


def _check_update(
    uow: UnitOfWork, actor: Actor, row: HousingReconstruction, changes: dict[str, Any]
) -> None:
    if "programme_id" in changes:
        require_programme(uow, changes["programme_id"])
    if changes.get("head_person_id") is not None:
        require_person(uow, changes["head_person_id"], "head_person_id")
    _clean(changes, creating=False)
    if "village" in changes or "municipality" in changes:
        final = merged(row, changes)
        changes["village"] = village_name(final["village"], final["municipality"])
    new_status = changes.get("status", row.status)
    check_transition("a house", TRANSITIONS, row.status, new_status)
    own = _STATUS_DATE.get(new_status)
    if new_status != row.status and own is not None and changes.get(own) is None:
        changes[own] = dt.date.today()
    _check_consistent(merged(row, changes))


HOUSING: RecordKind[HousingReconstruction] = RecordKind(
    entity="housing",
    table=HousingReconstruction,
    filterable=("programme_id", "status", "municipality", "village", "house_ref"),
    check_create=_check_create,
    check_update=_check_update,
)
"""Houses under reconstruction: programme managers record them and move them forward."""
