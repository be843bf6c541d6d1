"""Reading a submitted desk form: text as typed, values as stored, errors by field.

The services make every rule's check; this module only turns the text of a form into
the values the services take (a number, a date, a code) and says, beside the field,
when the text cannot be one. What was typed is kept so that a refused form comes back
as the user left it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rrms.reference.countries import countries
from rrms.reference.places import gazetteer
from rrms.web.desk.spec import Field

Translate = Callable[[str], str]

YES_NO: Mapping[str, bool] = {"yes": True, "no": False}


@dataclass
class Reading:
    """A form as read: `typed` text by field, `values` as stored, `errors` by field."""

    typed: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every field could be read."""
        return not self.errors


class Unreadable(ValueError):
    """The text of one field cannot be the value it asks for; the message says why."""


def parse(spec: Field, text: str, _: Translate) -> Any:
    """The stored value of one field's text (None when blank), or `Unreadable`."""
    text = text.strip()
    if not text:
        return None
    kind = spec.kind
    if kind in ("text", "textarea"):
        return text
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Unreadable(_("not a date: write it as YYYY-MM-DD, e.g. 2004-11-15")) from None
    if kind in ("int", "person", "programme"):
        if not text.isdigit() or len(text) > 10:
            raise Unreadable(_("not a whole number"))
        return int(text)
    if kind == "amount":
        return _amount(text, _)
    if kind == "choice":
        if text not in spec.choices:
            raise Unreadable(_("choose one of the values offered"))
        return text
    if kind == "yes_no":
        if text not in YES_NO:
            raise Unreadable(_("choose yes, no or not known"))
        return YES_NO[text]
    if kind == "municipality":
        found = gazetteer().municipality(text)
        if found is None:
            closest = ", ".join(gazetteer().closest_municipalities(text))
            raise Unreadable(
                _("not a Kosovo municipality; closest: %(closest)s") % {"closest": closest}
            )
        return found.kas_code
    if kind == "country":
        country = countries().parse(text)
        if country is None:
            closest = ", ".join(countries().closest(text))
            raise Unreadable(_("not a country; closest: %(closest)s") % {"closest": closest})
        return country.alpha2
    raise AssertionError(f"unknown field kind {kind!r}")


def _amount(text: str, _: Translate) -> Decimal:
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise Unreadable(_("not an amount: write it as 800.00")) from None
    if not amount.is_finite():
        raise Unreadable(_("not an amount: write it as 800.00"))
    return amount


def as_text(spec: Field, value: Any) -> str:
    """A stored value as the form shows it for editing."""
    if value is None:
        return ""
    if spec.kind == "yes_no":
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_form(fields: Iterable[Field], form: Mapping[str, str], translate: Translate) -> Reading:
    """Read each field's text from the submitted form."""
    reading = Reading()
    for spec in fields:
        text = form.get(spec.name, "")
        reading.typed[spec.name] = text
        try:
            reading.values[spec.name] = parse(spec, text, translate)
        except Unreadable as exc:
            reading.errors[spec.name] = str(exc)
    return reading


def same(stored: Any, given: Any) -> bool:
    """Whether a submitted value is what is stored (2 and 2.00 are the same amount)."""
    if isinstance(stored, Decimal) and isinstance(given, Decimal):
        return stored == given
    if isinstance(stored, dt.datetime):
        stored = stored.date()
    return bool(stored == given)
