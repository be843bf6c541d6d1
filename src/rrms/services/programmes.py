"""Programmes: seeding them from the reference data, editing them, and who is eligible.

A programme decides who may receive its assistance (communities, sending countries,
period) and how much one person may receive (its cap). The programmes IOM Kosovo ran
in 2004 are reference data (`rrms.reference.programmes`); `seed_programmes` writes
them to the database, audited and idempotent, when the database is migrated.
`check_eligibility` gives the reason a person is not eligible, in words a caseworker
can act on, or None.

The field checks at the end of this module are shared by every record kept under a
programme (assistance, projects, housing, information requests, trainings), so that
each refuses bad input the same way: `Invalid` naming the field, never a database
error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from rrms.domain.money import CURRENCIES, MAX_AMOUNT
from rrms.reference.communities import communities
from rrms.reference.countries import countries
from rrms.reference.places import gazetteer
from rrms.reference.programmes import CONFIDENTIAL_UNITS, ProgrammeDefinition, programmes
from rrms.services import records
from rrms.services.access import SYSTEM, Actor
from rrms.services.errors import Invalid
from rrms.services.records import RecordKind
from rrms.storage.tables import Person, Programme, Return
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "MAX_COUNT",
    "MAX_ID",
    "PROGRAMMES",
    "check_dates_in_order",
    "check_eligibility",
    "check_transition",
    "clean_amount",
    "clean_choice",
    "clean_community",
    "clean_currency",
    "clean_date",
    "clean_int",
    "clean_municipality",
    "clean_text",
    "definition_of",
    "merged",
    "municipality_code",
    "normalise_programme",
    "programme_by_code",
    "require_person",
    "require_programme",
    "seed_programmes",
]

MAX_ID = 2**31 - 1
"""The largest id a record can have (the columns are 32-bit integers)."""
MAX_COUNT = 10_000_000
"""Above any count of persons, jobs or participants a programme reports."""
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,19}")
_MISSING = object()


# --- shared field checks -----------------------------------------------------------


def _label(name: str) -> str:
    return name.replace("_", " ")


def _take(values: Mapping[str, Any], name: str, required: bool) -> Any:
    if name not in values:
        if required:
            raise Invalid(f"{_label(name)} is required", name)
        return _MISSING
    return values[name]


def _given(values: Mapping[str, Any], name: str, required: bool, nullable: bool) -> Any:
    """The value to check, or `_MISSING` when there is nothing to check: the field is
    absent (refused if required) or null where null is allowed (refused where not)."""
    value = _take(values, name, required)
    if value is None:
        if not nullable:
            raise Invalid(f"{_label(name)} is required", name)
        return _MISSING
    return value


def clean_text(
    values: dict[str, Any],
    name: str,
    max_length: int,
    *,
    required: bool = False,
    nullable: bool = True,
) -> None:
    """Trim a text field in place; blank is None where allowed, refused where not."""
    value = _take(values, name, required)
    if value is _MISSING:
        return
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{_label(name)} must be text", name)
    text = (value or "").strip()
    if not text:
        if not nullable:
            raise Invalid(f"{_label(name)} must not be blank", name)
        values[name] = None
        return
    if len(text) > max_length:
        raise Invalid(f"{_label(name)} is longer than {max_length} characters", name)
    values[name] = text


def clean_int(
    values: dict[str, Any],
    name: str,
    *,
    minimum: int = 0,
    maximum: int = MAX_COUNT,
    required: bool = False,
    nullable: bool = False,
) -> None:
    """Check a whole number in place (no bools, no floats) within its bounds."""
    value = _given(values, name, required, nullable)
    if value is _MISSING:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{_label(name)} must be a whole number", name)
    if not minimum <= value <= maximum:
        raise Invalid(f"{_label(name)} must be between {minimum} and {maximum}", name)


def clean_date(
    values: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    nullable: bool = True,
    future: bool = False,
) -> None:
    """Read a date in place (a `date` or ISO 'YYYY-MM-DD'); no dates after today unless
    `future` (a date that is planned or foreseen, such as a document's expiry)."""
    value = _given(values, name, required, nullable)
    if value is _MISSING:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"{_label(name)} is not a date (YYYY-MM-DD): {value!r}", name) from None
    elif not isinstance(value, dt.date):
        raise Invalid(f"{_label(name)} must be a date", name)
    if not future and value > dt.date.today():
        raise Invalid(f"{_label(name)} {value.isoformat()} is in the future", name)
    values[name] = value


def clean_amount(
    values: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    nullable: bool = True,
    minimum: Decimal = Decimal(0),
    maximum: Decimal = MAX_AMOUNT,
    places: int = 2,
) -> None:
    """Read an exact amount in place: Decimal, int or text; a float is refused."""
    value = _given(values, name, required, nullable)
    if value is _MISSING:
        return
    if isinstance(value, float):
        raise Invalid(f"{_label(name)} must be exact (a decimal, not a float)", name)
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise Invalid(f"{_label(name)} must be a number", name)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise Invalid(f"{_label(name)} is not a number: {value!r}", name) from None
    if not amount.is_finite() or not minimum <= amount <= maximum:
        raise Invalid(f"{_label(name)} must be between {minimum} and {maximum}", name)
    step = Decimal(1).scaleb(-places)
    if amount != amount.quantize(step, rounding="ROUND_DOWN"):
        raise Invalid(f"{_label(name)} has more than {places} decimal places", name)
    values[name] = amount.quantize(step)


def clean_currency(
    values: dict[str, Any], name: str, *, required: bool = False, nullable: bool = True
) -> None:
    """Upper-case a currency code in place and check it is EUR, GBP or CHF."""
    value = _given(values, name, required, nullable)
    if value is _MISSING:
        return
    code = str(value).strip().upper()
    if code not in CURRENCIES:
        raise Invalid(f"unknown currency {value!r}; use one of {', '.join(CURRENCIES)}", name)
    values[name] = code


def clean_choice(
    values: dict[str, Any],
    name: str,
    choices: Sequence[str],
    *,
    required: bool = False,
    nullable: bool = False,
) -> None:
    """Check a value is one of a fixed vocabulary (so that reports can count it)."""
    value = _given(values, name, required, nullable)
    if value is _MISSING:
        return
    word = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if word not in choices:
        raise Invalid(f"unknown {_label(name)} {value!r}; one of: {', '.join(choices)}", name)
    values[name] = word


def municipality_code(name: str, field: str = "municipality") -> str:
    """The KAS code of a 2004 municipality written in any spelling ('Peja', 'Peć', '17')."""
    found = gazetteer().municipality(name)
    if found is None:
        hints = ", ".join(gazetteer().closest_municipalities(name))
        raise Invalid(f"not a Kosovo municipality: {name!r}; closest: {hints}", field)
    return found.kas_code


def clean_municipality(
    values: dict[str, Any], name: str, *, required: bool = False, nullable: bool = True
) -> None:
    """Replace a municipality name in any spelling by its KAS code, in place."""
    clean_text(values, name, 200, required=required, nullable=nullable)
    if values.get(name) is not None:
        values[name] = municipality_code(values[name], name)


def clean_community(values: dict[str, Any], name: str) -> None:
    """Replace a community word in any language by its code, in place."""
    clean_text(values, name, 60)
    if values.get(name) is not None:
        code = communities().parse(values[name])
        if code is None:
            hints = ", ".join(communities().closest(values[name]))
            raise Invalid(f"unknown community {values[name]!r}; closest: {hints}", name)
        values[name] = code


def require_programme(
    session: Session, programme_id: Any, field: str = "programme_id"
) -> Programme:
    """The programme with this id, or `Invalid` naming the field."""
    if programme_id is None:
        raise Invalid("programme id is required", field)
    if isinstance(programme_id, bool) or not isinstance(programme_id, int):
        raise Invalid("a programme id is a whole number", field)
    programme = session.get(Programme, programme_id) if 1 <= programme_id <= MAX_ID else None
    if programme is None:
        raise Invalid(f"no programme with id {programme_id}", field)
    return programme


def require_person(session: Session, person_id: Any, field: str = "person_id") -> Person:
    """The person with this id, or `Invalid` naming the field."""
    if person_id is None:
        raise Invalid(f"{_label(field)} is required", field)
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        raise Invalid("a person id is a whole number", field)
    person = session.get(Person, person_id) if 1 <= person_id <= MAX_ID else None
    if person is None:
        raise Invalid(f"no person with id {person_id}", field)
    return person


def merged(row: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The row's column values with the pending changes applied: what will be saved."""
    values = {attr.key: getattr(row, attr.key) for attr in inspect(type(row)).column_attrs}
    values.update(changes)
    return values


def check_transition(
    what: str, allowed: Mapping[str, tuple[str, ...]], current: str, new: str
) -> None:
    """Refuse a status change the workflow does not allow, naming the allowed ones."""
    if new == current or new in allowed.get(current, ()):
        return
    onward = allowed.get(current, ())
    options = ", ".join(onward) if onward else "nothing: it is final"
    raise Invalid(
        f"{what} cannot go from {current} to {new}; from {current} it can go to {options}",
        "status",
    )


def check_dates_in_order(values: Mapping[str, Any], names: Sequence[str]) -> None:
    """Refuse dates that run backwards (e.g. finished before started), naming the later one."""
    previous: tuple[str, dt.date] | None = None
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            raise Invalid(
                f"{_label(name)} {value.isoformat()} is before "
                f"{_label(previous[0])} {previous[1].isoformat()}",
                name,
            )
        previous = (name, value)


# --- eligibility ---------------------------------------------------------------------


def _community_names(codes: Sequence[str]) -> str:
    names = [communities().get(code).name_en for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _country_names(codes: Sequence[str]) -> str:
    names = []
    for code in codes:
        try:
            names.append(f"{countries().get(code).name_en} ({code})")
        except KeyError:
            names.append(code)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def check_eligibility(
    session: Session,
    programme: Programme,
    person: Person,
    return_: Return | None = None,
    *,
    on: dt.date | None = None,
) -> str | None:
    """The reason `person` is not eligible for `programme`, or None when they are.

    Checked in order: the person's community against the programme's communities;
    the country they returned from (`return_`, or else any of their recorded returns)
    against its sending countries; and the date (`on`, else the return's arrival)
    against its period. A fact the rule needs but nobody recorded (a community, a
    return) is a reason too: it says what to record.
    """
    code = programme.code
    allowed_communities = programme.eligible_communities
    if allowed_communities is not None:
        wanted = _community_names(allowed_communities)
        if person.community is None:
            return (
                f"{code} is only for {wanted} returnees, and this person's community is "
                "not recorded; record it first"
            )
        if person.community not in allowed_communities:
            recorded = _community_names([person.community])
            return f"{code} is only for {wanted} returnees; this person is recorded as {recorded}"
    allowed_countries = programme.eligible_sending_countries
    if allowed_countries is not None:
        wanted = _country_names(allowed_countries)
        if return_ is not None:
            returns: Sequence[Return] = [return_]
        else:
            returns = session.scalars(
                select(Return)
                .where(Return.person_id == person.id)
                .order_by(Return.arrival_date.desc(), Return.id.desc())
            ).all()
        if not returns:
            return (
                f"{code} is only for returnees from {wanted}; no return of this person is "
                "recorded, so the country they returned from is not known"
            )
        if not any(r.sending_country in allowed_countries for r in returns):
            came_from = _country_names(sorted({r.sending_country for r in returns}))
            return (
                f"{code} is only for returnees from {wanted}; this person returned from {came_from}"
            )
    when = on or (return_.arrival_date if return_ is not None else None)
    if when is not None:
        if programme.period_start is not None and when < programme.period_start:
            return (
                f"{code} runs from {programme.period_start.isoformat()}; "
                f"{when.isoformat()} is before it began"
            )
        if programme.period_end is not None and when > programme.period_end:
            return (
                f"{code} ended on {programme.period_end.isoformat()}; "
                f"{when.isoformat()} is after it ended"
            )
    return None


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
        raise Invalid(f"{_label(name)} must be a list of {what}s, or null for any", name)
    if not items:
        raise Invalid(f"an empty {_label(name)} would admit nobody; use null for any", name)
    codes: list[str] = []
    for item in items:
        code = parse(item)
        if code is None:
            raise Invalid(f"unknown {what} {item!r}; closest: {', '.join(hints(item))}", name)
        if code not in codes:
            codes.append(code)
    values[name] = codes


def _country_code(text: str) -> str | None:
    found = countries().parse(text)
    return found.alpha2 if found else None


def normalise_programme(values: dict[str, Any], current: Programme | None = None) -> None:
    """Check and normalise a programme's fields in place; `Invalid` names the bad field."""
    if current is not None and "code" in values and values["code"] != current.code:
        raise Invalid("a programme's code cannot change: records and seeding find it by it", "code")
    if current is None:
        clean_text(values, "code", 20, required=True, nullable=False)
        values["code"] = values["code"].upper()
        if not _CODE.fullmatch(values["code"]):
            raise Invalid(
                "a programme code is 1-20 capital letters, digits or '-', e.g. 'AVR-VD'", "code"
            )
    clean_text(values, "name", 300, required=current is None, nullable=False)
    if "donors" in values:
        donors = values["donors"] if values["donors"] is not None else []
        if not isinstance(donors, list | tuple) or not all(isinstance(d, str) for d in donors):
            raise Invalid("donors must be a list of names", "donors")
        cleaned = [d.strip() for d in donors if d.strip()]
        if any(len(d) > 200 for d in cleaned) or len(cleaned) > 50:
            raise Invalid("at most 50 donors of at most 200 characters each", "donors")
        values["donors"] = cleaned
    if "objectives" in values:
        clean_text(values, "objectives", 20_000)
        values["objectives"] = values["objectives"] or ""
    for name in ("period_start", "period_end"):
        if name in values and values[name] is not None:
            _period_date(values, name)
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
            f"unknown unit {values['confidential_unit']!r}; one of "
            + ", ".join(CONFIDENTIAL_UNITS),
            "confidential_unit",
        )
    final = merged(current, values) if current is not None else values
    if (final.get("cap_amount") is None) != (final.get("cap_currency") is None):
        field = "cap_currency" if final.get("cap_currency") is None else "cap_amount"
        raise Invalid("a cap needs both an amount and a currency (or neither)", field)
    start, end = final.get("period_start"), final.get("period_end")
    if start is not None and end is not None and end < start:
        raise Invalid(f"the period ends ({end}) before it starts ({start})", "period_end")


def _period_date(values: dict[str, Any], name: str) -> None:
    """A programme's period may lie in the future (a planned end), unlike event dates."""
    value = values[name]
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(f"{_label(name)} is not a date (YYYY-MM-DD): {value!r}", name) from None
    elif not isinstance(value, dt.date):
        raise Invalid(f"{_label(name)} must be a date", name)
    values[name] = value


def _check_create(session: Session, actor: Actor, values: dict[str, Any]) -> None:
    normalise_programme(values)
    values.setdefault("donors", [])
    values.setdefault("objectives", "")


def _check_update(session: Session, actor: Actor, row: Programme, changes: dict[str, Any]) -> None:
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


def programme_by_code(session: Session, code: str) -> Programme | None:
    """The stored programme with this code (any case), or None."""
    return session.scalar(select(Programme).where(Programme.code == code.strip().upper()))


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
        row = programme_by_code(uow.session, definition.code)
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
