"""Reading a list for linkage: the manifest's form, only `person_ref` required.

`rrms link` reads the files `rrms screen` reads (shared/spec/manifest.md: CSV or
XLSX, encodings and delimiters detected, places and dates in any spelling), with the
rules of shared/spec/linkage.md: only `person_ref` is required (and unique); names
may be blank; three columns exist only for linkage (`birth_place`, `address`,
`document_number`). The identity columns are checked as the manifest reader checks
them, and a file with errors is refused whole, every error named with its row, its
column, its value and the closest valid values. Other columns are not checked.

Each distinct cell value is parsed once (a list of a million persons has few
distinct values per column), so reading stays cheap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rrms.domain.messages import message_of
from rrms.domain.partial_date import PartialDate
from rrms.formats.errors import CellError, InputFileError
from rrms.formats.manifest_columns import MANIFEST_COLUMNS
from rrms.formats.tabular import match_header, read_table
from rrms.formats.vocabulary import SEX
from rrms.reference.communities import communities
from rrms.reference.countries import countries
from rrms.reference.identity import IdentityFields, identity_fields
from rrms.reference.places import gazetteer

__all__ = [
    "IDENTITY_COLUMNS",
    "KNOWN_COLUMNS",
    "IdentityList",
    "ListFileError",
    "identity_records",
    "read_identity_list",
]

IDENTITY_COLUMNS: Final[tuple[str, ...]] = (
    "family_name",
    "given_name",
    "father_name",
    "sex",
    "birth_date",
    "community",
    "origin_municipality",
    "origin_settlement",
    "birth_place",
    "address",
    "document_number",
)
"""The columns linkage compares (shared/spec/linkage.md)."""

KNOWN_COLUMNS: Final[tuple[str, ...]] = (
    *MANIFEST_COLUMNS,
    "birth_place",
    "address",
    "document_number",
)
"""Every column of the manifest form plus linkage's own: none of them is warned about as
unknown. Only the identity columns are read."""

_DATE_FORMS: Final = ("YYYY-MM-DD", "DD.MM.YYYY", "YYYY-MM", "YYYY")
_ORDER: Final = {name: position for position, name in enumerate(KNOWN_COLUMNS)}

Record = tuple[str, IdentityFields]


class ListFileError(InputFileError):
    """The errors of one of the files being linked, naming the file."""

    def __init__(self, file: str, errors: list[CellError], warnings: list[CellError]):
        super().__init__(errors, warnings)
        self.file = file


@dataclass
class IdentityList:
    """A list read for linkage: its records (person_ref, identity) in file order."""

    path: str
    file_format: str
    encoding: str | None
    records: list[Record]
    warnings: list[CellError] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file's name, as outputs mention it."""
        return Path(self.path).name


class _Cells:
    """Parses identity cells, each distinct value once, collecting located errors."""

    def __init__(self) -> None:
        self.errors: list[CellError] = []
        self._sex: dict[str, str | None] = {}
        self._dates: dict[str, PartialDate | None] = {}
        self._community: dict[str, str | None] = {}
        self._abroad: dict[tuple[str, str], bool] = {}
        self._municipality: dict[str, bool] = {}

    def _fail(
        self, row: int, column: str, value: str, message: str, hints: Sequence[str] = ()
    ) -> None:
        self.errors.append(CellError(row, column, value, message, tuple(hints)))

    def sex(self, value: str, row: int) -> str | None:
        if not value:
            return None
        if value not in self._sex:
            parsed = SEX.parse(value)
            self._sex[value] = parsed if isinstance(parsed, str) else None
        code = self._sex[value]
        if code is None:
            self._fail(row, "sex", value, "not a sex value", SEX.closest(value))
        return code

    def birth_date(self, value: str, row: int) -> PartialDate | None:
        if not value:
            return None
        if value not in self._dates:
            try:
                self._dates[value] = PartialDate.parse(value)
            except ValueError:
                self._dates[value] = None
        date = self._dates[value]
        if date is None:
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                self._fail(row, "birth_date", value, message_of(exc), _DATE_FORMS)
        return date

    def community(self, value: str, row: int) -> str | None:
        if not value:
            return None
        if value not in self._community:
            self._community[value] = communities().parse(value)
        code = self._community[value]
        if code is None:
            self._fail(row, "community", value, "unknown community", communities().closest(value))
        return code

    def _from_abroad(self, country: str, municipality: str) -> bool:
        """Whether the person is from outside Kosovo, as the manifest reader decides:
        a country of origin other than Kosovo, unless it is Serbia and the municipality
        is in Kosovo (Serbia's lists included Kosovo in 2004)."""
        if not country:
            return False
        found = countries().parse(country)
        if found is None or found.alpha2 == countries().KOSOVO.alpha2:
            return False
        return not (found.alpha2 == "RS" and gazetteer().municipality(municipality) is not None)

    def municipality(self, value: str, country: str, row: int) -> None:
        if not value:
            return
        if (country, value) not in self._abroad:
            self._abroad[(country, value)] = self._from_abroad(country, value)
        if self._abroad[(country, value)]:
            return
        if value not in self._municipality:
            self._municipality[value] = gazetteer().municipality(value) is not None
        if not self._municipality[value]:
            self._fail(
                row,
                "origin_municipality",
                value,
                "not a Kosovo municipality (2004)",
                gazetteer().closest_municipalities(value),
            )


def _fields(cells: _Cells, row: int, get: Callable[[str], str]) -> IdentityFields:
    municipality = get("origin_municipality")
    cells.municipality(municipality, get("origin_country"), row)
    return identity_fields(
        family_name=get("family_name"),
        given_name=get("given_name"),
        father_name=get("father_name"),
        sex=cells.sex(get("sex"), row),
        birth_date=cells.birth_date(get("birth_date"), row),
        community=cells.community(get("community"), row),
        municipality=municipality,
        settlement=get("origin_settlement"),
        birth_place=get("birth_place"),
        address=get("address"),
        document_number=get("document_number"),
    )


def read_identity_list(path: str | Path) -> IdentityList:
    """Read and check a list for linkage; `ListFileError` with every problem at once."""
    try:
        return _read(path)
    except InputFileError as exc:
        raise ListFileError(Path(path).name, exc.errors, exc.warnings) from None


def _read(path: str | Path) -> IdentityList:
    table = read_table(path)
    if table.errors and not table.header:
        raise InputFileError(table.errors)
    index, header_errors, warnings = match_header(
        table.header, KNOWN_COLUMNS, ("person_ref",), header_row=table.header_row
    )
    warnings = warnings + table.warnings
    if header_errors or any(error.row == 0 for error in table.errors):
        raise InputFileError(list(table.errors) + header_errors, warnings)
    cells = _Cells()
    cells.errors.extend(table.errors)
    records: list[Record] = []
    first_row: dict[str, int] = {}
    refs = Counter(cells_[index["person_ref"]] for _, cells_ in table.rows)
    for number, row in table.rows:

        def get(name: str, row: list[str] = row) -> str:
            position = index.get(name)
            return row[position] if position is not None and position < len(row) else ""

        ref = get("person_ref")
        if not ref:
            cells._fail(number, "person_ref", ref, "a value is required")
        elif refs[ref] > 1:
            if ref in first_row:
                cells._fail(
                    number,
                    "person_ref",
                    ref,
                    f"duplicate person_ref: already used on row {first_row[ref]}",
                )
            else:
                first_row[ref] = number
        records.append((ref, _fields(cells, number, get)))
    if cells.errors:
        cells.errors.sort(key=lambda e: (e.row, _ORDER.get(e.column, -1)))
        raise InputFileError(cells.errors, warnings)
    return IdentityList(
        path=str(path),
        file_format=table.file_format,
        encoding=table.encoding,
        records=records,
        warnings=warnings,
    )


def identity_records(rows: Iterable[Mapping[str, str]]) -> list[Record]:
    """Records from rows already in memory (generated data, tests); ValueError on a bad
    cell. Rows are read exactly as a file's rows are."""
    cells = _Cells()
    records: list[Record] = []
    for number, row in enumerate(rows, 2):

        def get(name: str, row: Mapping[str, str] = row) -> str:
            return (row.get(name) or "").strip()

        records.append((row["person_ref"], _fields(cells, number, get)))
    if cells.errors:
        raise ValueError(cells.errors[0].describe())
    return records
