"""Field checks shared by every record kind: each refuses bad input the same way.

`Invalid` naming the field, never a database error: a text too long, a number out of
range, a date in the wrong form, an amount with more than two decimals, a currency or
a vocabulary word not known, a municipality in no spelling of the 2004 list, a status
change the workflow does not allow, dates that run backwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from rrms.domain import date_order, transitions
from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_, Word
from rrms.domain.money import MAX_AMOUNT
from rrms.domain.vocabulary import CURRENCIES
from rrms.reference.communities import communities
from rrms.reference.places import gazetteer
from rrms.services.core.errors import Invalid
from rrms.storage.queries.base import UnitOrSession, queries_in
from rrms.storage.queries.persons import PersonQueries
from rrms.storage.queries.rows import column_values
from rrms.storage.tables import Person

MAX_ID = 2**31 - 1
"""The largest id a record can have (the columns are 32-bit integers)."""
MAX_COUNT = 10_000_000
"""Above any count of persons, jobs or participants a programme reports."""
_MISSING = object()


def _label(name: str) -> str:
    return name.replace("_", " ")


def _take(values: Mapping[str, Any], name: str, required: bool) -> Any:
    if name not in values:
        if required:
            raise Invalid(N_("{name} is required", name=Word(name, _label(name))), name)
        return _MISSING
    return values[name]


def _given(values: Mapping[str, Any], name: str, required: bool, nullable: bool) -> Any:
    """The value to check, or `_MISSING` when there is nothing to check: the field is
    absent (refused if required) or null where null is allowed (refused where not)."""
    value = _take(values, name, required)
    if value is None:
        if not nullable:
            raise Invalid(N_("{name} is required", name=Word(name, _label(name))), name)
        return _MISSING
    return value


def _out_of_bounds(name: str, minimum: object, maximum: object) -> Invalid:
    """The refusal of a number outside its bounds, naming the field and both bounds."""
    return Invalid(
        N_(
            "{name} must be between {minimum} and {maximum}",
            name=Word(name, _label(name)),
            minimum=minimum,
            maximum=maximum,
        ),
        name,
    )


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
        raise Invalid(N_("{name} must be text", name=Word(name, _label(name))), name)
    text = (value or "").strip()
    if not text:
        if not nullable:
            raise Invalid(N_("{name} must not be blank", name=Word(name, _label(name))), name)
        values[name] = None
        return
    if len(text) > max_length:
        raise Invalid(
            N_(
                "{name} is longer than {max_length} characters",
                name=Word(name, _label(name)),
                max_length=max_length,
            ),
            name,
        )
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
        raise Invalid(N_("{name} must be a whole number", name=Word(name, _label(name))), name)
    if not minimum <= value <= maximum:
        raise _out_of_bounds(name, minimum, maximum)


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
            raise Invalid(
                N_(
                    "{name} is not a date (YYYY-MM-DD): {value!r}",
                    name=Word(name, _label(name)),
                    value=value,
                ),
                name,
            ) from None
    elif not isinstance(value, dt.date):
        raise Invalid(N_("{name} must be a date", name=Word(name, _label(name))), name)
    if not future and value > dt.date.today():
        raise Invalid(
            N_(
                "{name} {value} is in the future",
                name=Word(name, _label(name)),
                value=value.isoformat(),
            ),
            name,
        )
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
        raise Invalid(
            N_("{name} must be exact (a decimal, not a float)", name=Word(name, _label(name))), name
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise Invalid(N_("{name} must be a number", name=Word(name, _label(name))), name)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise Invalid(
            N_("{name} is not a number: {value!r}", name=Word(name, _label(name)), value=value),
            name,
        ) from None
    if not amount.is_finite() or not minimum <= amount <= maximum:
        raise _out_of_bounds(name, minimum, maximum)
    step = Decimal(1).scaleb(-places)
    if amount != amount.quantize(step, rounding="ROUND_DOWN"):
        raise Invalid(
            N_(
                "{name} has more than {places} decimal places",
                name=Word(name, _label(name)),
                places=places,
            ),
            name,
        )
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
        raise Invalid(
            N_(
                "unknown currency {value!r}; use one of {currencies}",
                value=value,
                currencies=", ".join(CURRENCIES),
            ),
            name,
        )
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
        raise Invalid(
            N_(
                "unknown {name} {value!r}; one of: {choices}",
                name=Word(name, _label(name)),
                value=value,
                choices=", ".join(choices),
            ),
            name,
        )
    values[name] = word


def municipality_code(name: str, field: str = "municipality") -> str:
    """The KAS code of a 2004 municipality written in any spelling ('Peja', 'Peć', '17')."""
    found = gazetteer().municipality(name)
    if found is None:
        hints = ", ".join(gazetteer().closest_municipalities(name))
        raise Invalid(
            N_("not a Kosovo municipality: {name!r}; closest: {hints}", name=name, hints=hints),
            field,
        )
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
            raise Invalid(
                N_("unknown community {name!r}; closest: {hints}", name=values[name], hints=hints),
                name,
            )
        values[name] = code


def require_person(uow: UnitOrSession, person_id: Any, field: str = "person_id") -> Person:
    """The person with this id, or `Invalid` naming the field.

    `uow` is the unit of work; a bare session is still accepted from callers that have
    not moved to the unit of work yet.
    """
    if person_id is None:
        raise Invalid(N_("{field} is required", field=Word(field, _label(field))), field)
    if isinstance(person_id, bool) or not isinstance(person_id, int):
        raise Invalid(N_("a person id is a whole number"), field)
    persons = queries_in(uow, PersonQueries)
    person = persons.person(person_id) if 1 <= person_id <= MAX_ID else None
    if person is None:
        raise Invalid(N_("no person with id {person_id}", person_id=person_id), field)
    return person


def merged(row: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The row's column values with the pending changes applied: what will be saved."""
    values = column_values(row)
    values.update(changes)
    return values


def check_transition(
    what: str, allowed: Mapping[str, tuple[str, ...]], current: str, new: str
) -> None:
    """Refuse a status change the workflow does not allow, naming the allowed ones.

    The rule is `rrms.domain.transitions.check_transition`; this gives its refusal as
    `Invalid`, like every other field check here.
    """
    try:
        transitions.check_transition(what, allowed, current, new)
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None


def check_dates_in_order(values: Mapping[str, Any], names: Sequence[str]) -> None:
    """Refuse dates that run backwards (e.g. finished before started), naming the later one.

    The rule is `rrms.domain.date_order.check_dates_in_order`; this gives its refusal
    as `Invalid`, like every other field check here.
    """
    try:
        date_order.check_dates_in_order(values, names)
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None
