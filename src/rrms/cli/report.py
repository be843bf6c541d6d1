"""`rrms report returns|programmes|bulletin`: the reports donors read, from the records.

Like the other administration commands, these act as the system itself
(`rrms.services.core.access.SYSTEM`): whoever can run `rrms` on the server can read its
database. The internal version is the default; ``--public`` gives the version fit
for publication (docs/reports.md). Every run is audited.

Text forms (JSON, CSV, HTML) go to standard output unless ``--out`` names a file;
binary forms (PDF, XLSX) go to ``--out`` or to a file named after the report and
period in the working directory. ``--language sq|sr`` writes the HTML, PDF and the
spreadsheets' headers in Albanian or Serbian (English by default; JSON is the same in
every language). Files are written through a temporary file renamed
into place, so a report is never half-written.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

from rrms.demo.data import PERIOD_FROM, PERIOD_TO
from rrms.i18n import LANGUAGES
from rrms.i18n import language as language_of
from rrms.reports.documents import (
    BINARY,
    Form,
    bulletin_document,
    programmes_document,
    returns_document,
)
from rrms.reports.rendering import html_to_pdf, render_bulletin_html
from rrms.services.core.access import SYSTEM
from rrms.services.core.errors import ServiceError
from rrms.services.core.private_files import write_private
from rrms.services.reporting import reports as reporting
from rrms.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from rich.console import Console

EXIT_USAGE = 2
NOT_READY = "the database is not ready (no RRMS tables); run `rrms db upgrade` first"

report_app = typer.Typer(
    help="Reports from the records: returns, programmes, and the quarterly bulletin.",
    no_args_is_help=True,
)


ReportFormat = Form
"""The forms the returns and programme reports are written in (`rrms.reports.documents`)."""


class BulletinFormat(StrEnum):
    """The forms of the bulletin: its HTML, its PDF, both side by side, or its XLSX."""

    html = "html"
    pdf = "pdf"
    both = "both"
    xlsx = "xlsx"


DateFrom = Annotated[
    dt.datetime,
    typer.Option("--from", formats=["%Y-%m-%d"], help="First day of the period (YYYY-MM-DD)."),
]
DateTo = Annotated[
    dt.datetime,
    typer.Option("--to", formats=["%Y-%m-%d"], help="Last day of the period, included."),
]
Public = Annotated[
    bool,
    typer.Option(
        "--public",
        help="The version fit for publication: counts from 1 to 4 hidden (and one more "
        "where needed), confidential figures by year and district only.",
    ),
]
Out = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file instead of standard output."),
]
Format = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output form.")]


class ReportLanguage(StrEnum):
    """The languages a report is written in (`rrms.i18n.LANGUAGES`)."""

    en = "en"
    sq = "sq"
    sr = "sr"
    sr_cyrl = "sr-Cyrl"


assert set(ReportLanguage) == set(LANGUAGES), "one language list: rrms.i18n.LANGUAGES"

Language = Annotated[
    ReportLanguage,
    typer.Option(
        "--language",
        "-l",
        help="Language of the HTML, PDF, charts and spreadsheet headers (JSON is the "
        "same in every language).",
    ),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _emit(data: bytes, out: Path | None, binary: bool, default_name: str) -> None:
    if out is None and binary:
        out = Path(default_name)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    _write_atomically(out, data)
    typer.echo(f"written: {out}", err=True)


def _name(kind: str, date_from: dt.date, date_to: dt.date, public: bool, suffix: str) -> str:
    version = "-public" if public else ""
    return f"{kind}-{date_from.isoformat()}-{date_to.isoformat()}{version}.{suffix}"


def _write_report(
    kind: str,
    fmt: ReportFormat,
    public: bool,
    out: Path | None,
    period: tuple[dt.date, dt.date],
    run: Callable[[UnitOfWork], Any],
    document: Callable[[Any, Form], bytes],
) -> None:
    """Run one report as the system and write it in the chosen form: the steps the
    returns and programme reports share (errors, file name, every format)."""
    try:
        with UnitOfWork() as uow:
            report = run(uow)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
    name = _name(kind, period[0], period[1], public, fmt.value)
    _emit(document(report, fmt), out, fmt in BINARY, name)


@report_app.command("returns")
def returns(
    date_from: DateFrom,
    date_to: DateTo,
    fmt: Format = ReportFormat.json,
    public: Public = False,
    out: Out = None,
    language: Language = ReportLanguage.en,
) -> None:
    """The returns report (docs/reports.md): arrivals of the period and to date."""
    start, end = date_from.date(), date_to.date()
    written_in = language_of(language.value)
    _write_report(
        "returns",
        fmt,
        public,
        out,
        (start, end),
        lambda uow: reporting.returns(uow, SYSTEM, start, end, public),
        lambda report, form: returns_document(report, form, language=written_in),
    )


@report_app.command("programmes")
def programmes(
    date_from: DateFrom,
    date_to: DateTo,
    fmt: Format = ReportFormat.json,
    public: Public = False,
    out: Out = None,
    language: Language = ReportLanguage.en,
) -> None:
    """Programme reports: projects, beneficiaries, jobs, grants, houses, requests, trainings."""
    start, end = date_from.date(), date_to.date()
    written_in = language_of(language.value)
    _write_report(
        "programmes",
        fmt,
        public,
        out,
        (start, end),
        lambda uow: reporting.programmes(uow, SYSTEM, start, end, public),
        lambda report, form: programmes_document(report, form, language=written_in),
    )


@report_app.command("bulletin")
def bulletin(
    date_from: DateFrom,
    date_to: DateTo,
    public: Public = False,
    fmt: Annotated[
        BulletinFormat,
        typer.Option("--format", "-f", help="html, pdf, both (html and pdf), or xlsx."),
    ] = BulletinFormat.both,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (with --format both, its .html and .pdf siblings); "
            "default bulletin-FROM-TO in the working directory.",
        ),
    ] = None,
    language: Language = ReportLanguage.en,
) -> None:
    """The quarterly bulletin: news in brief written from the data, then a section per programme."""
    start, end = date_from.date(), date_to.date()
    try:
        with UnitOfWork() as uow:
            result = reporting.bulletin(uow, SYSTEM, start, end, public)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    except (OperationalError, ProgrammingError):
        raise _fail(NOT_READY) from None
    stem = out if out is not None else Path(_name("bulletin", start, end, public, "html"))
    if fmt is BulletinFormat.xlsx:
        target = stem if out is not None else stem.with_suffix(".xlsx")
        written_in = language_of(language.value)
        sheets = bulletin_document(
            result.returns, result.programmes, Form.xlsx, language=written_in
        )
        _emit(sheets, target, True, target.name)
        return
    html = render_bulletin_html(
        result.returns, result.programmes, language=language_of(language.value)
    )
    if fmt in (BulletinFormat.html, BulletinFormat.both):
        target = stem if fmt is BulletinFormat.html else stem.with_suffix(".html")
        _emit(html.encode("utf-8"), target, True, target.name)
    if fmt in (BulletinFormat.pdf, BulletinFormat.both):
        target = stem if fmt is BulletinFormat.pdf and out is not None else stem.with_suffix(".pdf")
        _emit(html_to_pdf(html), target, True, target.name)


def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generator (same seed, same data).")] = 2004,
    history_scale: Annotated[
        float,
        typer.Option(
            "--history-scale",
            min=0.0,
            max=1.0,
            help="Fraction of the 186,000 arrivals before the quarter to load (1 = all).",
        ),
    ] = 1.0,
    write_bulletin: Annotated[
        bool,
        typer.Option(
            "--bulletin/--no-bulletin",
            help="Also write the demo quarter's bulletin (HTML and PDF) here.",
        ),
    ] = True,
) -> None:
    """Load the demo data set (IOM Kosovo, August-October 2004) into an empty database.

    The database (RRMS_DATABASE_URL, or rrms.db here) is created or brought to the
    latest schema first. The data is synthetic but reproduces the figures of the
    November 2004 bulletin; nothing in it describes a real person.
    """
    from rich.console import Console

    from rrms.storage.database import upgrade

    upgrade()
    console = Console(stderr=True, highlight=False)
    load_demo_database(console, seed, history_scale, write_bulletin)
    start, end = PERIOD_FROM, PERIOD_TO
    console.print(
        f"demo loaded. Try: rrms report bulletin --from {start} --to {end} --public\n"
        f"           rrms report returns --from {start} --to {end} --format json"
    )


DEMO_ACCOUNTS_FILE = Path("rrms-demo-accounts.txt")
"""Where the demo's sign-in accounts are written (readable by the owner only)."""


def load_demo_database(
    console: Console, seed: int = 2004, history_scale: float = 1.0, write_bulletin: bool = False
) -> None:
    """Load the demo data set and its accounts into the configured, migrated database.

    Shared by `rrms demo` and `rrms serve --demo`. The accounts' password is shown once
    and written to `rrms-demo-accounts.txt` (mode 0600) in the working directory.
    """
    from rrms.demo.loader import add_demo_accounts, load_demo
    from rrms.storage.database import session_factory

    factory = session_factory()
    try:
        with console.status("loading the demo data set") as status:
            summary = load_demo(
                factory,
                seed=seed,
                history_scale=history_scale,
                progress=lambda message: status.update(message),
            )
        accounts = add_demo_accounts(factory)
    except ServiceError as exc:
        raise _fail(exc.message) from None
    for table, count in summary.counts.items():
        console.print(f"  {table.replace('_', ' ')}: {count:,}")
    lines = [f"{role}: {name}" for role, name in accounts.usernames.items()]
    text = "RRMS demo accounts (one per role)\n" + "\n".join(lines)
    text += f"\npassword of every demo account: {accounts.password}\n"
    write_private(DEMO_ACCOUNTS_FILE.resolve(), text.encode("utf-8"))
    console.print(text + f"(also written to {DEMO_ACCOUNTS_FILE}, readable by you only)")
    start, end = summary.period_from, summary.period_to
    if write_bulletin:
        with UnitOfWork() as uow:
            result = reporting.bulletin(uow, SYSTEM, start, end, False)
        html = render_bulletin_html(result.returns, result.programmes)
        stem = Path(_name("bulletin", start, end, False, "html"))
        _emit(html.encode("utf-8"), stem, True, stem.name)
        _emit(html_to_pdf(html), stem.with_suffix(".pdf"), True, stem.name)
