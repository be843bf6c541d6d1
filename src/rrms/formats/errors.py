"""Errors as values with a location, so a whole file's problems can be reported at once.

Readers never raise on bad cells: they collect `CellError`s and the edge (CLI, API)
turns them into a message and an exit status. Row numbers are as a spreadsheet shows
them (the header is row 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


class InputFileError(Exception):
    """Raised at a service boundary when a file has errors; carries all of them."""

    def __init__(self, errors: list[CellError], warnings: list[CellError] | None = None):
        super().__init__(f"{len(errors)} error(s) in input file")
        self.errors = errors
        self.warnings = warnings or []
