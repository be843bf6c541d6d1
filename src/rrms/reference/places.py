"""Kosovo's municipalities, districts and settlements of 2004, and matching their names.

Clause A2 of the screening policy needs the majority community of a person's area
of origin, and the manifest names that area in any spelling: Albanian (indefinite
'Pejë' or definite 'Peja'), Serbian Latin or Cyrillic, with or without
diacritics, by an old name ('Kosovska Mitrovica', 'Drenas') or by the name of a
municipality created after 2004 ('Gračanica'). The :class:`Gazetteer` resolves
all of these to the 30 municipalities of 2004, which the 2004 policy speaks of,
and to the few settlements whose majority differs from their municipality's.

All names and spellings live in the CSV files of ``rrms/reference/data``:

- ``municipalities-2004.csv``: KAS code, Albanian, Serbian Latin and Cyrillic
  names, UNMIK district, majority in 2004, other spellings (``variants``, '|'
  separated);
- ``districts.csv``: the seven UNMIK districts, with the codes PRI (Prishtinë),
  MIT (Mitrovicë), PEJ (Pejë), GJA (Gjakovë), PRZ (Prizren), GJI (Gjilan) and
  FER (Ferizaj);
- ``settlements-2004.csv``: settlements with their 2004 municipality and
  majority; rows marked ``later_municipality`` are the municipalities created
  after 2004, whose names are accepted as names of their 2004 municipality.

Lookups are dictionary lookups on folded keys (:func:`rrms.reference.text.fold`);
difflib is only used to suggest the closest names for an unknown one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rrms.reference.communities import COMMUNITY_CODES
from rrms.reference.similar import closest_labels
from rrms.reference.text import (
    build_index,
    fold,
    read_data_rows,
    resolve_compound,
    spelling_keys,
    split_variants,
)

__all__ = [
    "MIXED",
    "District",
    "Gazetteer",
    "Municipality",
    "Settlement",
    "gazetteer",
]

MIXED = "mixed"
"""The ``majority`` of a municipality where no community had a clear majority in 2004."""

_MUNICIPALITIES_FILE = "municipalities-2004.csv"
_DISTRICTS_FILE = "districts.csv"
_SETTLEMENTS_FILE = "settlements-2004.csv"
_MUNICIPALITY_COLUMNS = (
    "kas_code",
    "name_sq",
    "name_sr",
    "name_sr_cyrl",
    "district",
    "majority_2004",
    "variants",
)
_DISTRICT_COLUMNS = ("code", "name_sq", "name_sr")
_SETTLEMENT_COLUMNS = (
    "name_sq",
    "name_sr",
    "municipality_kas",
    "majority_2004",
    "later_municipality",
    "variants",
)
_MUNICIPALITY_COUNT = 30
_DISTRICT_COUNT = 7
# A KAS code as typed or as a spreadsheet stores it: '7', '07', '7.0'.
_CODE = re.compile(r"(\d{1,2})(?:\.0+)?")


def _bilingual(name_sq: str, name_sr: str) -> str:
    return name_sq if fold(name_sq) == fold(name_sr) else f"{name_sq}/{name_sr}"


def _code_key(text: str) -> str | None:
    match = _CODE.fullmatch(text.strip())
    return match.group(1).zfill(2) if match else None


@dataclass(frozen=True)
class Municipality:
    """One of the 30 municipalities of 2004, as the Kosovo Agency of Statistics coded them."""

    kas_code: str
    name_sq: str
    name_sr: str
    name_sr_cyrl: str
    district: str
    majority: str

    @property
    def label(self) -> str:
        """Bilingual display name, Albanian first: 'Pejë/Peć' ('Prizren' when both agree)."""
        return _bilingual(self.name_sq, self.name_sr)


@dataclass(frozen=True)
class Settlement:
    """A town or village whose majority community the reference data knows."""

    name_sq: str
    name_sr: str
    municipality_kas: str
    majority: str

    @property
    def label(self) -> str:
        """Bilingual display name, Albanian first: 'Graçanicë/Gračanica'."""
        return _bilingual(self.name_sq, self.name_sr)


@dataclass(frozen=True)
class District:
    """One of the seven UNMIK districts (code PRI, MIT, PEJ, GJA, PRZ, GJI or FER)."""

    code: str
    name_sq: str
    name_sr: str

    @property
    def label(self) -> str:
        """Bilingual display name, Albanian first: 'Pejë/Peć'."""
        return _bilingual(self.name_sq, self.name_sr)


@dataclass(frozen=True)
class _SettlementRow:
    settlement: Settlement
    later_municipality: bool
    variants: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        return (self.settlement.name_sq, self.settlement.name_sr, *self.variants)


class Gazetteer:
    """The places of Kosovo in 2004 and the lookup of their names in any spelling.

    Build it with :meth:`load` (or use the cached :func:`gazetteer`); all lookups
    afterwards are dictionary lookups and may be called once per manifest row.
    """

    municipalities: tuple[Municipality, ...]
    districts: tuple[District, ...]
    settlements: tuple[Settlement, ...]

    def __init__(
        self,
        municipalities: Iterable[tuple[Municipality, tuple[str, ...]]],
        districts: Iterable[District],
        settlements: Iterable[_SettlementRow],
    ) -> None:
        """Check the reference data for consistency and index every spelling."""
        municipality_rows = sorted(municipalities, key=lambda row: row[0].kas_code)
        self.municipalities = tuple(municipality for municipality, _ in municipality_rows)
        self.districts = tuple(districts)
        settlement_rows = tuple(settlements)
        self.settlements = tuple(row.settlement for row in settlement_rows)
        self._by_code = {m.kas_code: m for m in self.municipalities}
        self._district_by_name = {d.name_sq: d for d in self.districts}
        self._check(settlement_rows)

        later_rows = [row for row in settlement_rows if row.later_municipality]
        municipality_names: list[tuple[str, Municipality]] = []
        for municipality, variants in municipality_rows:
            names = (
                municipality.name_sq,
                municipality.name_sr,
                municipality.name_sr_cyrl,
                municipality.label,
                *variants,
            )
            municipality_names.extend((name, municipality) for name in names)
        for row in later_rows:
            owner = self._by_code[row.settlement.municipality_kas]
            municipality_names.extend((name, owner) for name in row.names())
        self._municipality_index = build_index(municipality_names, _MUNICIPALITIES_FILE)
        self._municipality_suggestions = tuple(
            (name, municipality.label) for name, municipality in municipality_names
        )

        self._later_index = build_index(
            ((name, row.settlement) for row in later_rows for name in row.names()),
            _SETTLEMENTS_FILE,
        )
        settlement_index: dict[str, list[Settlement]] = {}
        for row in settlement_rows:
            for name in (*row.names(), row.settlement.label):
                for key in spelling_keys(name):
                    found = settlement_index.setdefault(key, [])
                    if row.settlement not in found:
                        found.append(row.settlement)
        self._settlement_index = {key: tuple(found) for key, found in settlement_index.items()}

    def _check(self, settlement_rows: tuple[_SettlementRow, ...]) -> None:
        if len(self.municipalities) != _MUNICIPALITY_COUNT or len(self._by_code) != len(
            self.municipalities
        ):
            raise ValueError(f"{_MUNICIPALITIES_FILE}: expected 30 distinct KAS codes")
        if len(self.districts) != _DISTRICT_COUNT or len(self._district_by_name) != len(
            self.districts
        ):
            raise ValueError(f"{_DISTRICTS_FILE}: expected 7 distinct districts")
        for m in self.municipalities:
            if m.district not in self._district_by_name:
                raise ValueError(f"{_MUNICIPALITIES_FILE}: {m.label}: unknown district")
            if m.majority not in COMMUNITY_CODES and m.majority != MIXED:
                raise ValueError(f"{_MUNICIPALITIES_FILE}: {m.label}: unknown majority")
        for row in settlement_rows:
            s = row.settlement
            if s.municipality_kas not in self._by_code:
                raise ValueError(f"{_SETTLEMENTS_FILE}: {s.label}: unknown municipality")
            if s.majority not in COMMUNITY_CODES:
                raise ValueError(f"{_SETTLEMENTS_FILE}: {s.label}: unknown majority")

    @classmethod
    def load(cls) -> Gazetteer:
        """Read the reference data from the package (use the cached :func:`gazetteer`)."""
        municipalities = [
            (
                Municipality(
                    kas_code=row["kas_code"],
                    name_sq=row["name_sq"],
                    name_sr=row["name_sr"],
                    name_sr_cyrl=row["name_sr_cyrl"],
                    district=row["district"],
                    majority=row["majority_2004"],
                ),
                tuple(split_variants(row["variants"])),
            )
            for row in read_data_rows(_MUNICIPALITIES_FILE, _MUNICIPALITY_COLUMNS)
        ]
        districts = [
            District(code=row["code"], name_sq=row["name_sq"], name_sr=row["name_sr"])
            for row in read_data_rows(_DISTRICTS_FILE, _DISTRICT_COLUMNS)
        ]
        settlements = [
            _SettlementRow(
                settlement=Settlement(
                    name_sq=row["name_sq"],
                    name_sr=row["name_sr"],
                    municipality_kas=row["municipality_kas"],
                    majority=row["majority_2004"],
                ),
                later_municipality=row["later_municipality"].lower() == "yes",
                variants=tuple(split_variants(row["variants"])),
            )
            for row in read_data_rows(_SETTLEMENTS_FILE, _SETTLEMENT_COLUMNS)
        ]
        return cls(municipalities, districts, settlements)

    def _municipality_of(self, name: str) -> Municipality | None:
        code = _code_key(name)
        if code is not None:
            return self._by_code.get(code)
        return self._municipality_index.get(fold(name))

    def municipality(self, name: str) -> Municipality | None:
        """Return the 2004 municipality that ``name`` names, or None.

        Accepts the Albanian name (indefinite or definite), the Serbian name in Latin
        or Cyrillic, any of them with or without diacritics and in any case, old and
        alternative names, the KAS code ('17', '7'), the bilingual 'Pejë/Peć' form,
        and the names of municipalities created after 2004, which give the 2004
        municipality they were part of ('Gračanica' -> Prishtinë/Priština).
        """
        return resolve_compound(name, self._municipality_of)

    def later_municipality_settlement(self, name: str) -> Settlement | None:
        """For the name of a municipality created after 2004, return its settlement.

        'Gračanica', 'North Mitrovica', 'Mamusha' and the like were settlements of a
        2004 municipality; screening uses the settlement's majority for them. None
        for any other name.
        """
        return resolve_compound(name, lambda part: self._later_index.get(fold(part)))

    def settlement(self, name: str, municipality_kas: str | None = None) -> Settlement | None:
        """Return the settlement of the reference data that ``name`` names, or None.

        Spelling tolerance is that of :meth:`municipality`. With ``municipality_kas``
        (a KAS code, or any name :meth:`municipality` accepts) only that
        municipality's settlements match. A name shared by settlements of different
        municipalities matches only when the municipality tells them apart.
        """
        owner: str | None = None
        if municipality_kas is not None:
            found = self.municipality(municipality_kas)
            if found is None:
                return None
            owner = found.kas_code

        def lookup(part: str) -> Settlement | None:
            candidates = self._settlement_index.get(fold(part), ())
            if owner is not None:
                candidates = tuple(s for s in candidates if s.municipality_kas == owner)
            return candidates[0] if len(candidates) == 1 else None

        return resolve_compound(name, lookup)

    def closest_municipalities(self, name: str, n: int = 3) -> list[str]:
        """Return the labels of the ``n`` municipalities closest to ``name``, best first.

        Every accepted spelling is compared, so 'Pejja' finds 'Pejë/Peć' through
        'Peja'. Used to name valid values in an input error.
        """
        return closest_labels(name, self._municipality_suggestions, n)

    def district_of(self, m: Municipality) -> District:
        """Return the UNMIK district that the municipality belonged to in 2004."""
        return self._district_by_name[m.district]


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the gazetteer, loaded once per process."""
    return Gazetteer.load()
