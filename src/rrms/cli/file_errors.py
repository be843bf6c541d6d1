"""How every command that reads a file reports that file's errors: all of them at once.

`rrms screen` and `rrms import returns` print the same thing for a bad file, so that
a user (or a script reading the JSON) meets one shape: `{"valid": false, "errors":
[...], "warnings": [...]}` on standard output with `--format json`, and one line per
error on standard error always.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console

from rrms.formats.errors import CellError


def report_file_errors(
    errors: list[CellError],
    warnings: list[CellError],
    as_json: bool,
    consequence: str,
    total: int | None = None,
) -> None:
    """Print every error and warning; `consequence` says what did not happen
    ("nothing was screened"). `errors` are as `InputFileError` lists them (the first
    of each column, then a count of the rest); `total` counts them all."""
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "valid": False,
                    "error_count": len(errors) if total is None else total,
                    "errors": [e.as_dict() for e in errors],
                    "warnings": [w.as_dict() for w in warnings],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    console = Console(stderr=True, highlight=False)
    console.print(
        f"[bold red]{len(errors) if total is None else total} error(s); {consequence}.[/]"
    )
    for error in errors:
        console.print(f"  {error.describe()}", markup=False)
    for warning in warnings:
        console.print(f"  warning: {warning.describe()}", markup=False)
