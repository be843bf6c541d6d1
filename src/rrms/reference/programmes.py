"""The programmes IOM Kosovo ran in 2004, as data: who funds them, who may benefit, caps.

Programme rules are data, not code (docs/programmes.md): ``data/programmes.json``
holds every programme IOM Kosovo's bulletin of November 2004 names, with its donors,
period, objectives in the bulletin's own words, eligibility (communities and sending
countries; null = any), the cap on assistance per person and, for counter-trafficking
and migration health, the confidential unit that owns its cases. Each programme also
lists the figures the bulletin reports and the records that count them, so a report
can be checked against the bulletin.

The file is checked when it is loaded: unknown community codes, country codes,
currencies or units, a start after an end, or a duplicate code fail loudly.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from rrms.domain.money import Money
from rrms.domain.partial_date import PartialDate
from rrms.domain.vocabulary import CONFIDENTIAL_UNITS
from rrms.reference.communities import COMMUNITY_CODES
from rrms.reference.countries import countries

__all__ = [
    "Cap",
    "Figure",
    "ProgrammeDefinition",
    "Programmes",
    "programmes",
]


_DATA_FILE = "programmes.json"
MAX_CODE_LENGTH = 20
MAX_NAME_LENGTH = 300


@dataclass(frozen=True)
class Cap:
    """The most a programme gives one person, and what the limit applies to."""

    limit: Money
    per: str = "person"
    applies_to: str = "assistance"


@dataclass(frozen=True)
class Figure:
    """A figure the bulletin reports, and the records that count it (None: not recordable)."""

    text: str
    counted_by: str | None


@dataclass(frozen=True)
class ProgrammeDefinition:
    """One programme as the bulletin describes it: the source of the seeded `programmes` row.

    `period_start`/`period_end` are as precise as the bulletin is ('1999', '2004-09');
    `eligible_communities`/`eligible_sending_countries` are None when anyone may benefit.
    """

    code: str
    name: str
    parent: str | None
    donors: tuple[str, ...]
    partners: tuple[str, ...]
    period_start: PartialDate | None
    period_end: PartialDate | None
    objectives: tuple[str, ...]
    eligible_communities: tuple[str, ...] | None
    eligible_sending_countries: tuple[str, ...] | None
    areas: str | None
    cap: Cap | None
    confidential_unit: str | None
    notes: str
    figures: tuple[Figure, ...]

    def row_values(self) -> dict[str, Any]:
        """The values of the `programmes` table row this definition seeds.

        A partial start becomes its first day and a partial end its last day, so that a
        date the bulletin's period might include is never refused.
        """
        return {
            "code": self.code,
            "name": self.name,
            "donors": list(self.donors),
            "period_start": self.period_start.earliest() if self.period_start else None,
            "period_end": self.period_end.latest() if self.period_end else None,
            "objectives": "\n".join(self.objectives),
            "eligible_communities": (
                list(self.eligible_communities) if self.eligible_communities is not None else None
            ),
            "eligible_sending_countries": (
                list(self.eligible_sending_countries)
                if self.eligible_sending_countries is not None
                else None
            ),
            "cap_amount": self.cap.limit.amount if self.cap else None,
            "cap_currency": self.cap.limit.currency if self.cap else None,
            "confidential_unit": self.confidential_unit,
        }


def _fail(code: str, message: str) -> ValueError:
    return ValueError(f"{_DATA_FILE}: {code}: {message}")


def _strings(code: str, name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(code, f"{name} must be a list of non-blank strings")
    return tuple(value)


def _date(code: str, name: str, value: Any) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(str(value))
    except ValueError as exc:
        raise _fail(code, f"{name}: {exc}") from None


def _cap(code: str, value: Any) -> Cap | None:
    if value is None:
        return None
    try:
        limit = Money(Decimal(str(value["amount"])), str(value["currency"]))
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise _fail(code, f"cap: {exc}") from None
    if limit.amount <= 0:
        raise _fail(code, "cap must be above zero")
    return Cap(
        limit=limit,
        per=str(value.get("per", "person")),
        applies_to=str(value.get("applies_to", "assistance")),
    )


def _definition(entry: Mapping[str, Any]) -> ProgrammeDefinition:
    code = str(entry.get("code", ""))
    if not code or len(code) > MAX_CODE_LENGTH or code != code.strip().upper():
        raise _fail(code or "?", f"a code is 1-{MAX_CODE_LENGTH} upper-case characters")
    name = str(entry.get("name", "")).strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise _fail(code, f"a name is 1-{MAX_NAME_LENGTH} characters")
    period = entry.get("period") or {}
    start = _date(code, "period.start", period.get("start"))
    end = _date(code, "period.end", period.get("end"))
    if start and end and start.earliest() > end.latest():
        raise _fail(code, "the period starts after it ends")
    eligibility = entry.get("eligibility") or {}
    communities = eligibility.get("communities")
    if communities is not None:
        communities = _strings(code, "eligibility.communities", communities)
        unknown = [c for c in communities if c not in COMMUNITY_CODES]
        if unknown:
            raise _fail(code, f"unknown community code(s) {unknown}")
    sending = eligibility.get("sending_countries")
    if sending is not None:
        sending = _strings(code, "eligibility.sending_countries", sending)
        for alpha2 in sending:
            try:
                countries().get(alpha2)
            except KeyError:
                raise _fail(code, f"unknown country code {alpha2!r}") from None
            if alpha2 != alpha2.upper():
                raise _fail(code, f"write country codes in capitals: {alpha2!r}")
    unit = entry.get("confidential_unit")
    if unit is not None and unit not in CONFIDENTIAL_UNITS:
        raise _fail(code, f"unknown confidential unit {unit!r}")
    figures = tuple(
        Figure(text=str(f["text"]), counted_by=f.get("counted_by"))
        for f in entry.get("figures", [])
    )
    return ProgrammeDefinition(
        code=code,
        name=name,
        parent=entry.get("parent"),
        donors=_strings(code, "donors", entry.get("donors", [])),
        partners=_strings(code, "partners", entry.get("partners", [])),
        period_start=start,
        period_end=end,
        objectives=_strings(code, "objectives", entry.get("objectives", [])),
        eligible_communities=communities,
        eligible_sending_countries=sending,
        areas=eligibility.get("areas"),
        cap=_cap(code, entry.get("cap")),
        confidential_unit=unit,
        notes=str(entry.get("notes", "")),
        figures=figures,
    )


class Programmes:
    """Every programme definition, by code, in the order of the data file."""

    source: str
    all: tuple[ProgrammeDefinition, ...]

    def __init__(self, source: str, definitions: tuple[ProgrammeDefinition, ...]) -> None:
        """Index the definitions; codes must be unique and parents must exist."""
        self.source = source
        self.all = definitions
        self._by_code: dict[str, ProgrammeDefinition] = {}
        for definition in definitions:
            if definition.code in self._by_code:
                raise _fail(definition.code, "duplicate code")
            self._by_code[definition.code] = definition
        for definition in definitions:
            if definition.parent is not None and definition.parent not in self._by_code:
                raise _fail(definition.code, f"unknown parent {definition.parent!r}")

    @classmethod
    def from_json(cls, text: str) -> Programmes:
        """Read definitions from the JSON text of a programmes file (checked)."""
        document = json.loads(text)
        entries = document.get("programmes")
        if not isinstance(entries, list):
            raise ValueError(f"{_DATA_FILE}: no 'programmes' list")
        return cls(str(document.get("source", "")), tuple(_definition(e) for e in entries))

    @classmethod
    def load(cls) -> Programmes:
        """Read the package's programmes file (use the cached :func:`programmes`)."""
        resource = resources.files("rrms.reference").joinpath("data").joinpath(_DATA_FILE)
        return cls.from_json(resource.read_text(encoding="utf-8"))

    def get(self, code: str) -> ProgrammeDefinition | None:
        """The definition with this code (any case), or None."""
        return self._by_code.get(code.strip().upper())

    def children(self, code: str) -> tuple[ProgrammeDefinition, ...]:
        """The projects an umbrella programme ('CT', 'MH') groups, for reports that roll up."""
        return tuple(d for d in self.all if d.parent == code)

    def __iter__(self) -> Iterator[ProgrammeDefinition]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)


@functools.lru_cache(maxsize=1)
def programmes() -> Programmes:
    """Return the programme definitions, loaded once per process."""
    return Programmes.load()
