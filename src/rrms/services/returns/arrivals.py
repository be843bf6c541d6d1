"""Arrivals in Kosovo ("returns"): recording them one by one, and the checks every value passes.

An arrival is who came back, from where, how, under which programme and to which
municipality (shared/spec/returns.md). Values arrive in any of the spellings people
use ("Deutschland", "Peja", "plane") and are stored in one canonical form (ISO alpha-2,
KAS code, `air`), so that reports can count them.

The checks are small functions returning either the canonical value or a `Problem`
(message and closest valid values). `RETURNS` uses them for single records through
`rrms.services.core.records` (an `Invalid` naming the field); the file import
(`rrms.services.returns.row_checks`) calls the very same functions once per distinct
cell value, so a value the API refuses is refused by the import with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rrms.domain.arrival_dates import (
    FULL_DATE_FORMS,
    arrives_before_departure,
    future_problem,
    parse_full_date,
)
from rrms.domain.confidential_programmes import returns_refusal
from rrms.domain.messages import N_, Message, Word, message_of
from rrms.formats.vocabulary import INVALID, RETURN_TYPE, TRANSPORT_MODE, YES_NO, Vocabulary
from rrms.reference.countries import countries
from rrms.reference.places import gazetteer
from rrms.reference.similar import closest
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.records import RecordKind
from rrms.storage.queries.returns import ReturnQueries
from rrms.storage.tables import Return
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "REQUIRED",
    "RETURNS",
    "Problem",
    "ProgrammeCodes",
    "check_country",
    "check_date",
    "check_municipality",
    "check_programme",
    "check_return_type",
    "check_transport_mode",
    "check_yes_no",
    "normalise_return",
    "programme_codes",
]


@dataclass(frozen=True)
class Problem:
    """Why a value was refused, and the closest valid values (best first)."""

    message: str
    suggestions: tuple[str, ...] = ()

    def describe(self, field: str, value: object) -> Message:
        """One sentence naming the field, the value and the closest valid values."""
        if self.suggestions:
            return N_(
                "{field}: {problem} (value: {value!r}); closest: {closest}",
                field=Word(field),
                problem=self.message,
                value=value,
                closest=", ".join(self.suggestions),
            )
        return N_(
            "{field}: {problem} (value: {value!r})",
            field=Word(field),
            problem=self.message,
            value=value,
        )


REQUIRED = Problem(N_("a value is required"))


def _vocabulary(vocabulary: Vocabulary, expected: str) -> Callable[[str], str | Problem]:
    def check(text: str) -> str | Problem:
        value = vocabulary.parse(text)
        if value is INVALID:
            return Problem(expected, tuple(vocabulary.closest(text)))
        if value is None:
            return REQUIRED
        return value

    return check


check_return_type = _vocabulary(RETURN_TYPE, N_("expected forced or voluntary"))
"""`voluntary` or `forced` for any accepted word ('freiwillig', 'Abschiebung', ...)."""

check_transport_mode = _vocabulary(
    TRANSPORT_MODE, N_("expected air or land (also plane, flight, charter, bus, road)")
)
"""`air` or `land` for any accepted word ('plane', 'bus', ...)."""


def check_country(text: str) -> str | Problem:
    """The ISO 3166-1 alpha-2 code of a country given by code or English/German name."""
    if not text.strip():
        return REQUIRED
    country = countries().parse(text)
    if country is None:
        return Problem(N_("unknown country"), tuple(countries().closest(text)))
    return country.alpha2


def check_municipality(text: str) -> str | Problem:
    """The KAS code of a Kosovo municipality (2004) named in any spelling or script."""
    if not text.strip():
        return REQUIRED
    municipality = gazetteer().municipality(text)
    if municipality is None:
        return Problem(
            N_("not a Kosovo municipality (2004)"),
            tuple(gazetteer().closest_municipalities(text)),
        )
    return municipality.kas_code


def check_date(text: str, today: dt.date | None = None) -> dt.date | None | Problem:
    """A full date (day known) from 'YYYY-MM-DD' or 'DD.MM.YYYY'; blank gives None.

    With `today`, a date after it is refused: an arrival cannot lie in the future
    (`rrms.domain.arrival_dates`).
    """
    try:
        day = parse_full_date(text)
    except ValueError as exc:
        return Problem(message_of(exc), FULL_DATE_FORMS)
    if day is not None and today is not None and (problem := future_problem(day, today)):
        return Problem(problem)
    return day


def check_yes_no(text: str) -> bool | None | Problem:
    """True for yes, False for no, None for blank, in any language the format accepts."""
    value = YES_NO.parse(text)
    if value is INVALID:
        return Problem(N_("expected yes or no (or blank)"), tuple(YES_NO.closest(text)))
    return None if value is None else value == "yes"


class ProgrammeCodes(dict[str, int]):
    """Every programme's code (upper case) -> id, and in `confidential` the code of each
    confidential unit's programme -> the unit (a plain mapping, so that it travels to
    the import's checking process as it is)."""

    def __init__(self, ids: Mapping[str, int], confidential: Mapping[str, str]) -> None:
        super().__init__(ids)
        self.confidential = dict(confidential)


def programme_codes(returns: ReturnQueries) -> ProgrammeCodes:
    """Every programme's code (upper case) -> id, for matching the `programme` column,
    knowing which programmes belong to a confidential unit."""
    return ProgrammeCodes(
        {code.strip().upper(): programme_id for code, programme_id in returns.programme_codes()},
        {code.strip().upper(): unit for code, unit in returns.confidential_programme_codes()},
    )


def check_programme(text: str, codes: Mapping[str, int]) -> int | None | Problem:
    """The id of the programme with this code (case-insensitive); blank gives None.

    A confidential unit's programme is refused (`returns_refusal`): `codes` from
    `programme_codes` knows which they are.
    """
    code = text.strip().upper()
    if not code:
        return None
    found = codes.get(code)
    if found is not None:
        unit = codes.confidential.get(code) if isinstance(codes, ProgrammeCodes) else None
        refusal = returns_refusal(code, unit)
        return found if refusal is None else Problem(refusal)
    if not codes:
        return Problem(N_("unknown programme code: no programmes are recorded yet"))
    known = sorted(codes)
    return Problem(
        N_("unknown programme code; known codes: {codes}", codes=", ".join(known)),
        tuple(closest(code, known)),
    )


# --- single records through rrms.services.core.records ------------------------------------------


def _invalid(field: str, value: object, problem: Problem) -> Invalid:
    return Invalid(problem.describe(field, value), field)


def _coded(values: dict[str, Any], field: str, check: Callable[[str], Any]) -> None:
    if field not in values:
        return
    raw = values[field]
    result = check(str(raw) if raw is not None else "")
    if isinstance(result, Problem):
        raise _invalid(field, raw, result)
    values[field] = result


def _date(values: dict[str, Any], field: str, today: dt.date | None) -> None:
    if field not in values:
        return
    raw = values[field]
    if raw is None or isinstance(raw, dt.date):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        if day is not None and today is not None and (problem := future_problem(day, today)):
            raise _invalid(field, day.isoformat(), Problem(problem))
        values[field] = day
        return
    result = check_date(str(raw), today)
    if isinstance(result, Problem):
        raise _invalid(field, raw, result)
    values[field] = result


def _yes_no(values: dict[str, Any], field: str) -> None:
    raw = values.get(field)
    if field not in values or raw is None or isinstance(raw, bool):
        return
    result = check_yes_no(str(raw))
    if isinstance(result, Problem):
        raise _invalid(field, raw, result)
    values[field] = result


_CODED_FIELDS: tuple[tuple[str, Callable[[str], Any]], ...] = (
    ("return_type", check_return_type),
    ("transport_mode", check_transport_mode),
    ("sending_country", check_country),
    ("destination_municipality", check_municipality),
)
"""Fields written in a vocabulary or in any spelling of a place or country, with the
check that gives their canonical value; shared by records and filters."""
_YES_NO_FIELDS = ("secondary_transport", "vulnerable")


def normalise_return(
    returns: ReturnQueries, values: dict[str, Any], current: Return | None = None
) -> None:
    """Check and normalise an arrival's fields in place; `Invalid` names the bad field.

    Vocabulary words become canonical values, countries ISO alpha-2 codes,
    municipalities KAS codes. The arrival date must be known, not in the future and
    not before the departure date (checked against the stored value of whichever of
    the two is not being changed). The person and the programme must exist (`returns`
    answers both).
    """
    today = dt.date.today()
    for field in ("movement_ref", "family_ref", "arrival_point", "destination_settlement"):
        if field in values and isinstance(values[field], str):
            values[field] = values[field].strip() or None
    if "movement_ref" in values and not values["movement_ref"]:
        raise Invalid(N_("movement_ref must not be blank"), "movement_ref")
    for field, check in _CODED_FIELDS:
        _coded(values, field, check)
    _date(values, "departure_date", None)
    _date(values, "arrival_date", today)
    for field in _YES_NO_FIELDS:
        _yes_no(values, field)
    if "arrival_date" in values and values["arrival_date"] is None:
        raise Invalid(N_("arrival_date: a value is required"), "arrival_date")
    arrival = values.get("arrival_date", current.arrival_date if current else None)
    departure = values.get("departure_date", current.departure_date if current else None)
    if (
        arrival is not None
        and departure is not None
        and arrives_before_departure(arrival, departure)
    ):
        field = "arrival_date" if "arrival_date" in values else "departure_date"
        raise Invalid(
            N_(
                "{field}: the arrival ({arrival}) is before the departure ({departure})",
                field=field,
                arrival=arrival.isoformat(),
                departure=departure.isoformat(),
            ),
            field,
        )
    if values.get("programme_id") is not None:
        _check_programme_id(returns, values["programme_id"])
    if "person_id" in values and (
        values["person_id"] is None or not returns.person_exists(values["person_id"])
    ):
        raise Invalid(
            N_("person_id: no person with id {person_id}", person_id=values["person_id"]),
            "person_id",
        )


def _check_programme_id(returns: ReturnQueries, programme_id: Any) -> None:
    """The programme exists and is not a confidential unit's (`returns_refusal`)."""
    found = returns.programme_unit(programme_id)
    if found is None:
        codes = ", ".join(sorted(programme_codes(returns))) or "none recorded yet"
        raise Invalid(
            N_(
                "programme_id: no programme with id {programme_id} (programme codes: {codes})",
                programme_id=programme_id,
                codes=codes,
            ),
            "programme_id",
        )
    refusal = returns_refusal(*found)
    if refusal is not None:
        raise Invalid(N_("programme_id: {refusal}", refusal=refusal), "programme_id")


REQUIRED_FIELDS = (
    "movement_ref",
    "person_id",
    "return_type",
    "sending_country",
    "transport_mode",
    "arrival_date",
    "destination_municipality",
)
"""Fields a new arrival must have (the required columns of the import format)."""


def normalise_return_filters(filters: dict[str, Any]) -> None:
    """Filter arrivals by any spelling the import accepts: "Pec", "Пећ" and "Pejë" are
    one municipality, "Germany", "Deutschland" and "DEU" one country, "plane" is air."""
    for field, check in _CODED_FIELDS:
        _coded(filters, field, check)
    for field in _YES_NO_FIELDS:
        _yes_no(filters, field)


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    for field in REQUIRED_FIELDS:
        if values.get(field) in (None, ""):
            raise Invalid(N_("{field}: a value is required", field=field), field)
    normalise_return(uow.returns, values)


def _check_update(uow: UnitOfWork, actor: Actor, row: Return, changes: dict[str, Any]) -> None:
    normalise_return(uow.returns, changes, row)


RETURNS: RecordKind[Return] = RecordKind(
    entity="returns",
    table=Return,
    filterable=(
        "return_type",
        "sending_country",
        "transport_mode",
        "destination_municipality",
        "programme_id",
        "person_id",
        "secondary_transport",
        "vulnerable",
    ),
    check_create=_check_create,
    check_update=_check_update,
    normalise_filters=normalise_return_filters,
)
"""Arrivals, read by caseworkers, programme managers, administrators and screening
officers, written by caseworkers and administrators (`rrms.services.core.access`)."""
