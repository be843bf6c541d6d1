"""`rrms screen`: screen a notification list against the forced-return policy.

The JSON is the contract (`shared/spec/screening.md`) and the same in every language;
`--language sq|sr|sr-Cyrl` writes the HTML page, and the CSV's column titles and
explanations, in the screening officer's language, as the web page's downloads do.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from rrms.cli.file_errors import report_file_errors
from rrms.cli.report import ReportLanguage
from rrms.formats.errors import CellError, InputFileError
from rrms.i18n import language as language_of
from rrms.policy.versions import PolicyError
from rrms.reports.screening import ScreeningReport
from rrms.services.screening.screen import check_manifest, screen_manifest

EXIT_INPUT_ERROR = 2


class OutputFormat(StrEnum):
    """The forms `rrms screen` can print."""

    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def _write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write through a temporary file renamed into place, so no output is half-written."""
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _report_errors(
    errors: list[CellError], warnings: list[CellError], fmt: OutputFormat, total: int | None = None
) -> None:
    report_file_errors(errors, warnings, fmt is OutputFormat.json, "nothing was screened", total)


def _print_table(report: ScreeningReport) -> None:
    console = Console()
    source = report.source
    console.print(
        f"[bold]{source['file']}[/]: {source['rows']} persons ({source['format']}, "
        f"encoding {source['encoding']}); policy [bold]{report.result.policy.id}[/] "
        f"as of {report.result.as_of.isoformat()}",
        highlight=False,
    )
    persons = Table(
        "person", "family", "outcome", "clauses", "missing", "explanation", show_lines=True
    )
    for person in report.persons():
        persons.add_row(
            person["person_ref"],
            person["family_ref"],
            person["outcome"],
            " ".join(person["clauses"]),
            ", ".join(person["missing"]),
            person["explanation"],
        )
    console.print(persons)
    families = Table("family", "outcome", "members")
    for family in report.families():
        families.add_row(family["family_ref"], family["outcome"], ", ".join(family["members"]))
    console.print(families)
    console.print(
        "Summary: " + ", ".join(f"{k} {v}" for k, v in report.result.summary().items()),
        highlight=False,
    )
    for warning in report.warnings:
        console.print(f"warning: {warning.describe()}", markup=False, highlight=False)


def screen(
    file: Annotated[Path, typer.Argument(help="The notification list, CSV or XLSX.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Screening date YYYY-MM-DD (default: today).")
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="Output form.")
    ] = OutputFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file, not stdout.")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Only validate the file.")] = False,
    policy_file: Annotated[
        list[Path] | None,
        typer.Option("--policy-file", help="An extra policy version (JSON) to consider."),
    ] = None,
    record: Annotated[
        bool, typer.Option("--record", help="Store the result for decisions (needs --as).")
    ] = False,
    record_user: Annotated[
        str | None, typer.Option("--as", help="The screening officer to record it for.")
    ] = None,
    language: Annotated[
        ReportLanguage,
        typer.Option(
            "--language",
            "-l",
            help="Language of the HTML page and of the CSV's titles and explanations "
            "(the JSON is the contract, the same in every language; the table is English).",
        ),
    ] = ReportLanguage.en,
) -> None:
    """Screen a sending state's list of persons against UNMIK's forced-return policy."""
    if not file.is_file():
        typer.echo(f"error: no such file: {file}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        typer.echo(f"error: --as-of {as_of!r} is not a date YYYY-MM-DD", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    if record and not record_user:
        typer.echo("error: --record needs --as USERNAME (a screening officer)", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)
    if check:
        errors, warnings = check_manifest(file)
        if errors:
            _report_errors(errors, warnings, fmt)
            raise typer.Exit(EXIT_INPUT_ERROR)
        if fmt is OutputFormat.json:
            typer.echo(json.dumps({"valid": True, "warnings": [w.as_dict() for w in warnings]}))
        else:
            typer.echo(f"{file.name}: no errors, {len(warnings)} warning(s).")
            for warning in warnings:
                typer.echo(f"  warning: {warning.describe()}")
        return
    try:
        report = screen_manifest(file, day, policy_file or ())
    except InputFileError as exc:
        _report_errors(exc.errors, exc.warnings, fmt, exc.total)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except PolicyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    if record and record_user:
        from rrms.cli.admin import record_as

        list_id = record_as(report, file, record_user)
        typer.echo(f"recorded as screening list {list_id}", err=True)

    if fmt is OutputFormat.table:
        _print_table(report)
        return
    written_in = language_of(language.value)
    writers: dict[OutputFormat, Callable[[TextIO], None]] = {
        OutputFormat.json: report.write_json,
        OutputFormat.csv: functools.partial(report.write_csv, language=written_in),
        OutputFormat.html: functools.partial(report.write_html, language=written_in),
    }
    writer = writers[fmt]
    if out is None:
        writer(sys.stdout)
    else:
        _write_atomically(out, writer)
