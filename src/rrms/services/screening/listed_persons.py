"""Who is on a recorded list, as the sending state wrote them: the one place that knows
where a recorded list's names come from.

Each recorded person keeps the cells the list gave them (`ScreeningDecision.cells`)
and their identity columns; the reply to the sending state and the export of decisions
show the cells as written (any script; a partial birth date stays partial), since the
sending state must recognise its own spelling in the reply, and fall back to the stored
columns for lists recorded before the cells were kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rrms.reference.countries import countries
from rrms.storage.tables import ScreeningDecision, ScreeningList

__all__ = ["ListedPerson", "list_sending_country", "listed_persons"]


@dataclass(frozen=True)
class ListedPerson:
    """One person as the list wrote them; '' where the cell was blank."""

    family_name: str = ""
    given_name: str = ""
    birth_date: str = ""
    sex: str = ""
    community: str = ""
    origin_municipality: str = ""
    sending_country: str = ""

    @property
    def name(self) -> str:
        """Family name and given name, as written ('' when neither is known)."""
        return " ".join(part for part in (self.family_name, self.given_name) if part)


UNKNOWN = ListedPerson()
"""A person of whom the list kept nothing: no name to show."""


def listed_persons(rows: Sequence[ScreeningDecision]) -> dict[str, ListedPerson]:
    """Each person of the recorded decisions by `person_ref`, as written."""
    found: dict[str, ListedPerson] = {}
    for row in rows:
        if row.person_ref in found:
            continue
        cells = row.cells or {}

        def written(name: str, row: ScreeningDecision = row, cells: dict[str, Any] = cells) -> str:
            return str(cells.get(name) or getattr(row, name, None) or "")

        found[row.person_ref] = ListedPerson(
            **{name: written(name) for name in ListedPerson.__dataclass_fields__}
        )
    return found


def list_sending_country(screened: ScreeningList, persons: dict[str, ListedPerson]) -> str | None:
    """The list's sending state (ISO alpha-2): the one recorded with the list, else the
    one most of its persons name; None when neither is known."""
    if screened.sending_country:
        return screened.sending_country
    registry = countries()
    named = Counter(
        country.alpha2
        for person in persons.values()
        if person.sending_country
        and (country := registry.parse(person.sending_country)) is not None
    )
    return named.most_common(1)[0][0] if named else None
