"""Errors as values with a location, so a whole file's problems can be reported at once.

Readers never raise on bad cells: they collect `CellError`s and the edge (CLI, API)
turns them into a message and an exit status. Row numbers are as a spreadsheet shows
them (the header is row 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, SupportsIndex

from rrms.formats.limits import MAX_ERRORS_PER_COLUMN


@dataclass(frozen=True)
class CellError:
    """One problem in an input file, located by row and column.

    `row` is the spreadsheet row number (header = 1), or 0 for a problem with the file
    as a whole; `column` is the header name ("" when the problem is not in one column).
    `suggestions` are the closest valid values, best first.
    """

    row: int
    column: str
    value: str
    message: str
    suggestions: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        """Render the error as one line a person can act on."""
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value:
            text += f" (value: {self.value!r})"
        if self.suggestions:
            text += "; did you mean: " + ", ".join(self.suggestions) + "?"
        return text

    def as_dict(self) -> dict[str, object]:
        """Machine-readable form for JSON output."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }


class ErrorList(list[CellError]):
    """A list of errors that keeps the first `per_column` of each column and counts the rest.

    A reader appends to it as to a list; memory stays flat however many cells are
    wrong (a million-row file with every row wrong once gave five million errors and
    4.9 GB). Errors of the file as a whole (row 0) are always kept. `omitted` counts
    the errors left out, by column; `summary()` is what a person is shown.
    """

    def __init__(
        self, errors: Iterable[CellError] = (), *, per_column: int = MAX_ERRORS_PER_COLUMN
    ) -> None:
        super().__init__()
        self.per_column = per_column
        self.listed: dict[str, int] = {}
        self.omitted: dict[str, int] = {}
        self.extend(errors)

    def append(self, error: CellError) -> None:
        """Keep the error if its column has room (or it is about the whole file), else count it."""
        column = error.column
        listed = self.listed.get(column, 0)
        if listed < self.per_column or not error.row:
            self.listed[column] = listed + 1
            super().append(error)
        else:
            self.omitted[column] = self.omitted.get(column, 0) + 1

    def extend(self, errors: Iterable[CellError]) -> None:
        """Append each error (see `append`)."""
        if isinstance(errors, ErrorList):
            for column, count in errors.omitted.items():
                self.omitted[column] = self.omitted.get(column, 0) + count
        for error in errors:
            self.append(error)

    def __iadd__(self, errors: Iterable[CellError]) -> ErrorList:  # type: ignore[override,misc]
        self.extend(errors)
        return self

    def insert(self, index: SupportsIndex, error: CellError) -> None:
        """Not supported: the cap is applied in the order errors are met."""
        raise NotImplementedError("ErrorList keeps errors in the order they are met")

    @property
    def total(self) -> int:
        """Every error met, listed or not."""
        return len(self) + sum(self.omitted.values())

    def summary(self) -> list[CellError]:
        """The listed errors, then per column one line counting those not listed."""
        notes = [
            CellError(
                0,
                column,
                "",
                f"{count:,} more error(s) in this column not listed "
                f"(the first {self.per_column} are)",
            )
            for column, count in self.omitted.items()
        ]
        return [*self, *notes]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its counts (the returns import sends it between processes)."""
        return (_restore, (list(self), self.per_column, self.listed, self.omitted))


def _restore(
    errors: list[CellError], per_column: int, listed: dict[str, int], omitted: dict[str, int]
) -> ErrorList:
    restored = ErrorList(per_column=per_column)
    list.extend(restored, errors)
    restored.listed, restored.omitted = dict(listed), dict(omitted)
    return restored


class InputFileError(Exception):
    """Raised at a service boundary when a file has errors; carries them, summarised.

    `errors` lists at most `MAX_ERRORS_PER_COLUMN` errors per column, followed by one
    line per column saying how many more there are; `total` counts every error. So
    the CLI, the API's 422 and the web page never show more than a screenful per
    column, however broken the file.
    """

    def __init__(self, errors: list[CellError], warnings: list[CellError] | None = None):
        capped = errors if isinstance(errors, ErrorList) else ErrorList(errors)
        self.total = capped.total
        super().__init__(f"{self.total} error(s) in input file")
        self.errors = capped.summary()
        self.warnings = ErrorList(warnings or []).summary()
