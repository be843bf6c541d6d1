"""One person's identity fields in the form record linkage compares.

A list row, a register row or a person at the desk becomes an :class:`IdentityFields`:
names in the three forms of :mod:`rrms.reference.names`, the birth date's known
parts, the municipality as its KAS code whatever the spelling ('Pejë', 'Peja', 'Peć',
'Pec', 'Пећ' are all '07'), a settlement the reference data knows under its Albanian
name, free-text places and addresses in canonical form, and a document number without
punctuation. Every value is either a non-empty string or number, or None for unknown,
so a blank never agrees with a blank.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rrms.domain.partial_date import PartialDate
from rrms.reference.names import canonical, document_key, sound_key, spelling
from rrms.reference.places import gazetteer

__all__ = ["IdentityFields", "identity_fields", "municipality_key", "name_keys", "place_key"]


@dataclass(frozen=True)
class IdentityFields:
    """The comparable form of one record (None: unknown)."""

    family_spelling: str | None
    family_canonical: str | None
    family_key: str | None
    given_spelling: str | None
    given_canonical: str | None
    given_key: str | None
    father_spelling: str | None
    father_canonical: str | None
    father_key: str | None
    sex: str | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    community: str | None
    municipality: str | None
    settlement: str | None
    birth_place: str | None
    address: str | None
    document_number: str | None

    def as_row(self) -> dict[str, Any]:
        """The fields as a plain mapping (a row of the table the engine reads)."""
        return asdict(self)


def _or_none(text: str) -> str | None:
    return text or None


def name_keys(family_name: str | None, given_name: str | None) -> tuple[str | None, str | None]:
    """The sound keys of a family and a given name (None for a blank name), stored with
    each person so that a check of one incoming person reads only the persons whose
    names could be theirs, not the whole register (`family_key` and `given_key` of
    :class:`IdentityFields`, and of every blocking rule)."""
    return _or_none(sound_key(family_name or "")), _or_none(sound_key(given_name or ""))


def municipality_key(name: str) -> str | None:
    """The KAS code of the Kosovo municipality that ``name`` names in any spelling."""
    if not name.strip():
        return None
    found = gazetteer().municipality(name)
    return found.kas_code if found is not None else None


def place_key(name: str) -> str | None:
    """A place in any spelling: a Kosovo municipality's KAS code, else canonical text.

    'Peć', 'Pejë' and 'Пећ' give '07'; 'Stuttgart' gives 'stutgart'.
    """
    return municipality_key(name) or _or_none(canonical(name))


def _settlement_key(name: str, municipality: str | None) -> str | None:
    if not name.strip():
        return None
    places = gazetteer()
    known = places.settlement(name, municipality) if municipality else places.settlement(name)
    return canonical(known.name_sq) if known is not None else _or_none(canonical(name))


def identity_fields(
    *,
    family_name: str = "",
    given_name: str = "",
    father_name: str = "",
    sex: str | None = None,
    birth_date: PartialDate | None = None,
    community: str | None = None,
    municipality: str = "",
    settlement: str = "",
    birth_place: str = "",
    address: str = "",
    document_number: str = "",
) -> IdentityFields:
    """Bring one record's identity to comparable form.

    ``sex`` and ``community`` are codes already checked (``f``/``m``/``x``,
    ``albanian`` ...). ``municipality`` is a name in any spelling or a KAS code; a
    name that is no Kosovo municipality (a person from elsewhere) is kept as
    canonical text. When the municipality is unknown but the birth place names a
    Kosovo municipality, that municipality is used.
    """
    birth_place_key = place_key(birth_place)
    municipality_code = place_key(municipality)
    if municipality_code is None and birth_place_key is not None and birth_place_key.isdigit():
        municipality_code = birth_place_key
    kosovo_code = municipality_code if municipality_code and municipality_code.isdigit() else None
    family_key, given_key = name_keys(family_name, given_name)
    return IdentityFields(
        family_spelling=_or_none(spelling(family_name)),
        family_canonical=_or_none(canonical(family_name)),
        family_key=family_key,
        given_spelling=_or_none(spelling(given_name)),
        given_canonical=_or_none(canonical(given_name)),
        given_key=given_key,
        father_spelling=_or_none(spelling(father_name)),
        father_canonical=_or_none(canonical(father_name)),
        father_key=_or_none(sound_key(father_name)),
        sex=sex or None,
        birth_year=birth_date.year if birth_date else None,
        birth_month=birth_date.month if birth_date else None,
        birth_day=birth_date.day if birth_date else None,
        community=community or None,
        municipality=municipality_code,
        settlement=_settlement_key(settlement, kosovo_code),
        birth_place=birth_place_key,
        address=_or_none(canonical(address)),
        document_number=_or_none(document_key(document_number)),
    )
