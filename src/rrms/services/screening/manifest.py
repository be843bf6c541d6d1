"""Read a sending state's notification list into columns the screening engine can use.

This is where cells become facts: vocabularies, partial dates, places, communities and
countries are checked column by column, each distinct value once (a list of a million
persons has only a few thousand distinct cell values), so validation costs little more
than reading. Every problem of the file is collected; a file with any error yields no
facts at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rrms.domain.messages import message_of
from rrms.domain.partial_date import PartialDate
from rrms.formats.bulk import gc_paused
from rrms.formats.errors import CellError, ErrorList, InputFileError
from rrms.formats.manifest_columns import MANIFEST_COLUMNS
from rrms.formats.tabular import Table, extra_columns, match_header, read_table
from rrms.formats.vocabulary import (
    INVALID,
    RELATIONSHIP,
    RETURN_TYPE,
    SEX,
    SUPPORT_AVAILABILITY,
    TREATMENT_AVAILABILITY,
    YES_NO,
    Vocabulary,
)
from rrms.policy import facts as policy_facts
from rrms.policy.engine import PopulationFacts
from rrms.policy.facts import COMMUNITY, MIXED_AREA, UNKNOWN, YES_NO_FACTS, AreaState
from rrms.reference.communities import communities
from rrms.reference.countries import countries
from rrms.reference.places import Municipality, gazetteer
from rrms.reference.similar import closest
from rrms.reports.screening import IDENTITY_COLUMNS

REQUIRED_COLUMNS: tuple[str, ...] = (
    "person_ref",
    "family_name",
    "given_name",
    "return_type",
    "sending_country",
)
"""Columns that must be present, and whose cells must not be blank."""

_INVALID_CODE = -2

Answers = Mapping[tuple[str, str], str]
"""Officers' answers to open questions: (person_ref, column) -> the value to use."""

_STATES_THAT_INCLUDED_KOSOVO = frozenset({"RS"})
"""Serbia (and the Serbia and Montenegro / Yugoslavia it continues) included Kosovo in
2004: a person listed as from there but with a Kosovo municipality of origin is from
Kosovo, the reading that keeps them protected by the screening."""


@dataclass
class Manifest:
    """A notification list read and checked: its persons as engine-ready columns."""

    path: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    row_numbers: list[int]
    person_refs: list[str]
    family_refs: list[str]
    family_labels: list[str]
    facts: PopulationFacts
    warnings: list[CellError] = field(default_factory=list)
    extra: dict[str, Sequence[str]] = field(default_factory=dict)
    """Columns the format does not know, by header name: each person's cell, in list
    order. The spec keeps them as extra data (and warns); screening output repeats them."""
    identity: dict[str, Sequence[str]] = field(default_factory=dict)
    """Who each person is (`IDENTITY_COLUMNS`), as every screening view shows it: names
    as written, the birth date as given (partial stays partial), sex and community as
    their codes, the municipality as written; in list order."""
    received: dict[str, Sequence[str]] = field(default_factory=dict)
    """The list's known columns as received, before any officer's answer: what a
    recorded list keeps so that a family can be screened again after a correction."""

    @property
    def size(self) -> int:
        """Number of persons on the list."""
        return len(self.person_refs)


class _Columns:
    """Column access over a table's rows, with located error collection."""

    def __init__(self, table: Table, index: dict[str, int], answers: Answers | None = None):
        self.table = table
        self.index = index
        self.rows = [number for number, _ in table.rows]
        # Transposing: rows are never shorter than the header (short rows are errors
        # and left out), so the first len(header) columns are complete.
        transposed = list(zip(*(row for _, row in table.rows), strict=False))
        self._columns: dict[str, Sequence[str]] = {
            name: transposed[position] for name, position in index.items() if transposed
        }
        self.errors: list[CellError] = ErrorList()  # the first of each column, the rest counted
        self.received = dict(self._columns)
        if answers:
            self._apply(answers)

    def _apply(self, answers: Answers) -> None:
        """Put officers' answers in place of the list's cells, by person_ref and column."""
        position_of = {ref: i for i, ref in enumerate(self.values("person_ref"))}
        for (ref, column), value in answers.items():
            if column not in MANIFEST_COLUMNS or column == "person_ref":
                raise ValueError(f"cannot answer column {column!r}")
            if ref not in position_of:
                raise ValueError(f"no person {ref!r} on the list")
            cells = list(self.values(column))
            cells[position_of[ref]] = value.strip()
            self._columns[column] = cells

    def values(self, name: str) -> Sequence[str]:
        """The column's trimmed cells ('' for blank, also when the column is absent)."""
        column = self._columns.get(name)
        return [""] * len(self.rows) if column is None else column

    def error(
        self, position: int, column: str, value: str, message: str, hints: Sequence[str] = ()
    ) -> None:
        """Record a problem in the cell at row `position` (0-based data row) of `column`."""
        self.errors.append(CellError(self.rows[position], column, value, message, tuple(hints)))

    def coded(
        self,
        name: str,
        parse: Callable[[str], int],
        message: str,
        hints: Callable[[str], Sequence[str]],
    ) -> np.ndarray:
        """Code a column through `parse`, called once per distinct value.

        `parse` returns a code, `UNKNOWN` for blank, or `_INVALID_CODE`; every cell with
        an invalid value becomes an error naming the closest valid values.
        """
        column = self.values(name)
        lookup = {value: parse(value) for value in set(column)}
        codes = np.fromiter(map(lookup.__getitem__, column), dtype=np.int16, count=len(column))
        bad = {value for value, code in lookup.items() if code == _INVALID_CODE}
        if bad:
            suggestions = {value: hints(value) for value in bad}
            for position, value in enumerate(column):
                if value in bad:
                    self.error(position, name, value, message, suggestions[value])
        return codes


def _vocabulary_parser(vocabulary: Vocabulary, categories: Sequence[str]) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = vocabulary.parse(text)
        if value is INVALID:
            return _INVALID_CODE
        if value is None:
            return UNKNOWN
        return list(categories).index(value)

    return parse


def _yes_no(text: str) -> int:
    value = YES_NO.parse(text)
    if value is INVALID:
        return _INVALID_CODE
    return UNKNOWN if value is None else int(value == "yes")


def read_manifest(
    path: str | Path,
    settlement_required: frozenset[str] = frozenset(),
    answers: Answers | None = None,
) -> Manifest:
    """Read and check a notification list; raise `InputFileError` with every problem.

    `settlement_required` names municipalities (KAS codes) whose majority differs by
    part of town, so that an Albanian or Bosniak from there needs a settlement (the
    policy's Mitrovica rule). `answers` replaces cells with an officer's answers to the
    open questions, checked like any cell.
    """
    table = read_table(path)
    if any(not error.row for error in table.errors):  # unreadable, or past a limit
        raise InputFileError(table.errors, table.warnings)
    index, header_errors, warnings = match_header(table.header, MANIFEST_COLUMNS, REQUIRED_COLUMNS)
    warnings += table.warnings
    errors = list(table.errors) + header_errors
    if header_errors:
        raise InputFileError(errors, warnings)
    with gc_paused():
        columns = _Columns(table, index, answers)
        columns.errors.extend(table.errors)
        facts_columns, person_refs, family_refs, family_labels = _check(
            columns, settlement_required
        )
    if columns.errors:
        columns.errors.sort(
            key=lambda e: (
                e.row,
                MANIFEST_COLUMNS.index(e.column) if e.column in MANIFEST_COLUMNS else -1,
            )
        )
        raise InputFileError(columns.errors, warnings)
    return Manifest(
        path=str(path),
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        row_numbers=columns.rows,
        person_refs=person_refs,
        family_refs=family_refs,
        family_labels=family_labels,
        facts=facts_columns,
        warnings=warnings,
        extra={
            name: [cells[position] if position < len(cells) else "" for _, cells in table.rows]
            for name, position in extra_columns(table.header, index).items()
        },
        identity=_identity(columns),
        received=columns.received,
    )


def _identity(columns: _Columns) -> dict[str, Sequence[str]]:
    """Each person's identity as shown beside their `person_ref`: each distinct cell is
    read once; the file has no errors, so every cell parses."""
    registry = communities()

    def birth(text: str) -> str:
        return PartialDate.parse(text).isoformat() if text else ""

    def sex(text: str) -> str:
        value = SEX.parse(text)
        return value if isinstance(value, str) else ""

    readers: dict[str, Callable[[str], str]] = {
        "birth_date": birth,
        "sex": sex,
        "community": lambda text: (registry.parse(text) or "") if text else "",
    }
    identity: dict[str, Sequence[str]] = {}
    for name in IDENTITY_COLUMNS:
        column = columns.values(name)
        read = readers.get(name)
        if read is None:
            identity[name] = column
        else:
            lookup = {value: read(value) for value in set(column)}
            identity[name] = [lookup[value] for value in column]
    return identity


def _check_required(columns: _Columns) -> None:
    for name in REQUIRED_COLUMNS:
        for position, value in enumerate(columns.values(name)):
            if not value:
                columns.error(position, name, value, "a value is required")


def _person_refs(columns: _Columns) -> list[str]:
    refs = list(columns.values("person_ref"))
    counts = Counter(refs)
    if len(counts) != len(refs):
        first_row: dict[str, int] = {}
        for position, ref in enumerate(refs):
            if ref and counts[ref] > 1:
                if ref in first_row:
                    columns.error(
                        position,
                        "person_ref",
                        ref,
                        f"duplicate person_ref: already used on row {first_row[ref]}",
                    )
                else:
                    first_row[ref] = columns.rows[position]
    return refs


def _families(refs: list[str], columns: _Columns) -> tuple[np.ndarray, list[str], list[str]]:
    raw = columns.values("family_ref")
    family_refs = [family or ref for family, ref in zip(raw, refs, strict=True)]
    keys = [("f", family) if family else ("p", ref) for family, ref in zip(raw, refs, strict=True)]
    numbering: dict[tuple[str, str], int] = {}
    labels: list[str] = []
    for key in keys:
        if key not in numbering:
            numbering[key] = len(labels)
            labels.append(key[1])
    family = np.fromiter(map(numbering.__getitem__, keys), dtype=np.int32, count=len(keys))
    return family, family_refs, labels


def _caregivers(refs: list[str], family: np.ndarray, columns: _Columns) -> np.ndarray:
    position_of = {ref: position for position, ref in enumerate(refs)}
    cared = np.full(len(refs), -1, dtype=np.int32)
    for position, target in enumerate(columns.values("caregiver_of")):
        if not target:
            continue
        found = position_of.get(target)
        if found is None or found == position:
            same_family = [
                refs[i] for i in np.flatnonzero(family == family[position]) if i != position
            ]
            message = (
                "caregiver_of names this person themselves"
                if found == position
                else "caregiver_of names no person_ref on this list"
            )
            columns.error(position, "caregiver_of", target, message, closest(target, same_family))
        else:
            cared[position] = found
    return cared


def _birth_dates(columns: _Columns) -> np.ndarray:
    def parse(text: str) -> int:
        if not text:
            return 0
        try:
            latest = PartialDate.parse(text).latest()
        except ValueError:
            return -1
        return latest.year * 10000 + latest.month * 100 + latest.day

    column = columns.values("birth_date")
    lookup = {value: parse(value) for value in set(column)}
    latest = np.fromiter(map(lookup.__getitem__, column), dtype=np.int32, count=len(column))
    for position in np.flatnonzero(latest < 0).tolist():
        value = column[position]
        try:
            PartialDate.parse(value)
        except ValueError as exc:
            columns.error(
                int(position),
                "birth_date",
                value,
                message_of(exc),
                ("YYYY-MM-DD", "DD.MM.YYYY", "YYYY-MM", "YYYY"),
            )
    return latest


def _countries(columns: _Columns) -> tuple[np.ndarray, np.ndarray]:
    registry = countries()

    def sending(text: str) -> int:
        if not text:
            return UNKNOWN  # blank reported by the required-value check
        return 1 if registry.parse(text) is not None else _INVALID_CODE

    def origin(text: str) -> int:
        if not text:
            return 0
        country = registry.parse(text)
        if country is None:
            return _INVALID_CODE
        if country.alpha2 == registry.KOSOVO.alpha2:
            return 0
        return 2 if country.alpha2 in _STATES_THAT_INCLUDED_KOSOVO else 1

    columns.coded("sending_country", sending, "unknown country", registry.closest)
    origin_codes = columns.coded("origin_country", origin, "unknown country", registry.closest)
    if (origin_codes == 2).any():
        places = gazetteer()
        municipalities = columns.values("origin_municipality")
        for position in np.flatnonzero(origin_codes == 2).tolist():
            in_kosovo = places.municipality(municipalities[position]) is not None
            origin_codes[position] = 0 if in_kosovo else 1
    return origin_codes == 1, origin_codes


def _origins(
    columns: _Columns, not_kosovo: np.ndarray, settlement_required: frozenset[str]
) -> tuple[np.ndarray, np.ndarray]:
    places = gazetteer()
    municipalities = columns.values("origin_municipality")
    settlements = columns.values("origin_settlement")
    majority = np.full(len(municipalities), UNKNOWN, dtype=np.int8)
    state = np.full(len(municipalities), AreaState.MUNICIPALITY_UNKNOWN, dtype=np.int8)
    resolved: dict[tuple[str, str], tuple[int, int] | None] = {}

    def majority_code(name: str) -> int:
        return COMMUNITY.code(name) if name in COMMUNITY.categories else MIXED_AREA

    def resolve(municipality_name: str, settlement_name: str) -> tuple[int, int] | None:
        municipality: Municipality | None = places.municipality(municipality_name)
        if municipality is None:
            return None
        settlement = places.later_municipality_settlement(municipality_name)
        if settlement_name:
            settlement = places.settlement(settlement_name, municipality.kas_code) or settlement
        if settlement is not None:
            return AreaState.KNOWN, majority_code(settlement.majority)
        if municipality.kas_code in settlement_required:
            return AreaState.SETTLEMENT_NEEDED, UNKNOWN
        return AreaState.KNOWN, majority_code(municipality.majority)

    for position, (municipality_name, settlement_name) in enumerate(
        zip(municipalities, settlements, strict=True)
    ):
        if not municipality_name or not_kosovo[position]:
            continue
        key = (municipality_name, settlement_name)
        if key not in resolved:
            resolved[key] = resolve(municipality_name, settlement_name)
        found = resolved[key]
        if found is None:
            columns.error(
                position,
                "origin_municipality",
                municipality_name,
                "not a Kosovo municipality (2004)",
                places.closest_municipalities(municipality_name),
            )
            continue
        state[position], majority[position] = found
    return state, majority


def _community(columns: _Columns) -> np.ndarray:
    registry = communities()

    def parse(text: str) -> int:
        if not text:
            return UNKNOWN
        code = registry.parse(text)
        return _INVALID_CODE if code is None else COMMUNITY.code(code)

    return columns.coded("community", parse, "unknown community", registry.closest)


def _check(
    columns: _Columns, settlement_required: frozenset[str]
) -> tuple[PopulationFacts, list[str], list[str], list[str]]:
    _check_required(columns)
    refs = _person_refs(columns)
    family, family_refs, labels = _families(refs, columns)
    facts = {
        name: columns.coded(name, _yes_no, "expected yes or no (or blank)", YES_NO.closest)
        for name in YES_NO_FACTS
    }
    facts["community"] = _community(columns)
    for name, vocabulary, fact in (
        ("treatment_availability", TREATMENT_AVAILABILITY, policy_facts.TREATMENT_AVAILABILITY),
        ("support_availability", SUPPORT_AVAILABILITY, policy_facts.SUPPORT_AVAILABILITY),
    ):
        facts[name] = columns.coded(
            name,
            _vocabulary_parser(vocabulary, fact.categories),
            f"not a {name.replace('_', ' ')} value",
            vocabulary.closest,
        )
    for name, vocabulary in (("sex", SEX), ("relationship", RELATIONSHIP)):
        columns.coded(
            name,
            _vocabulary_parser(vocabulary, vocabulary.canonical),
            f"not a {name} value",
            vocabulary.closest,
        )
    return_type = columns.coded(
        "return_type",
        _vocabulary_parser(RETURN_TYPE, policy_facts.RETURN_TYPE.categories),
        "expected forced or voluntary",
        RETURN_TYPE.closest,
    )
    not_kosovo, _ = _countries(columns)
    state, majority = _origins(columns, not_kosovo, settlement_required)
    population = PopulationFacts(
        family=family,
        facts={name: column.astype(np.int8) for name, column in facts.items()},
        return_type=return_type.astype(np.int8),
        birth_latest=_birth_dates(columns),
        caregiver_of=_caregivers(refs, family, columns),
        not_kosovo=not_kosovo,
        area_majority=majority,
        area_state=state,
    )
    return population, refs, family_refs, labels
