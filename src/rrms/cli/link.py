"""`rrms link` and `rrms link-train`: the same person across lists and the register.

`rrms link` is exactly the command of shared/spec/linkage.md: dedupe one list, link
it with another (`--with`) or with the persons RRMS holds (`--with-register`), and
print the pairs and clusters as JSON, a table, CSV or XLSX. The register is read as
an RRMS user (`--as USERNAME`, else `RRMS_USER`, else the login name) whose role may
read persons, and the read is audited; nothing else is written to the database. A
file with errors prints every one (as `rrms screen` does) and exits with status 2.

`rrms link-train` trains a new version of the model on a site's register or on a
list, and writes it to a file for `rrms link --model`.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rrms.cli.file_errors import report_file_errors
from rrms.formats.safe_cells import neutralise_formula
from rrms.services.accounts.users import actor_named
from rrms.services.core.access import Actor
from rrms.services.core.errors import ServiceError
from rrms.services.identity.engine import ENGINES, EngineUnavailable
from rrms.services.identity.link import (
    EVIDENCE_FIELDS,
    LinkResult,
    link_files,
    link_with_register,
)
from rrms.services.identity.model import LinkageModel, ModelError, shipped_model
from rrms.services.identity.records import ListFileError
from rrms.services.identity.train import train_on_file, train_on_register
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

EXIT_INPUT_ERROR = 2
MODEL_ENVIRONMENT = "RRMS_LINKAGE_MODEL"


ModelFileOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help=f"A model file from `rrms link-train` (or ${MODEL_ENVIRONMENT}); "
        "default: the model shipped with RRMS.",
    ),
]
"""`--model FILE`, as every command that runs the linkage model takes it."""


class LinkFormat(StrEnum):
    """The forms `rrms link` can print."""

    json = "json"
    table = "table"
    csv = "csv"
    xlsx = "xlsx"


class Engine(StrEnum):
    """The engines Splink runs on."""

    duckdb = "duckdb"
    spark = "spark"


assert tuple(Engine) == ENGINES


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INPUT_ERROR)


def _model(path: Path | None) -> LinkageModel:
    chosen = path or (
        Path(os.environ[MODEL_ENVIRONMENT]) if os.environ.get(MODEL_ENVIRONMENT) else None
    )
    try:
        return LinkageModel.load(chosen) if chosen is not None else shipped_model()
    except ModelError as exc:
        raise _fail(str(exc)) from None


def _actor(factory: Any, as_user: str | None) -> Actor:
    username = as_user or getpass.getuser()
    try:
        with UnitOfWork(factory) as uow:
            actor = actor_named(uow, username)
    except Exception as exc:  # no database, or one never migrated
        raise _fail(
            f"cannot read the RRMS database ({type(exc).__name__}); "
            "is it set up (`rrms db upgrade`)?"
        ) from None
    if actor is None:
        raise _fail(
            f"no active RRMS user {username!r}; name one with --as USERNAME "
            "(`rrms user add` creates users)"
        )
    return actor


def _rows(result: LinkResult) -> list[list[str]]:
    cluster_of = {
        ref: str(number) for number, cluster in enumerate(result.clusters, 1) for ref in cluster
    }
    header = ["left", "right", "probability", "cluster", *EVIDENCE_FIELDS, "model"]
    rows = [header]
    for pair in result.pairs:
        rows.append(
            [
                pair.left,
                pair.right,
                f"{pair.probability:.4f}",
                cluster_of.get(pair.left, ""),
                *(pair.evidence.get(name, "") for name in EVIDENCE_FIELDS),
                result.model.label,
            ]
        )
    return [[neutralise_formula(cell) for cell in row] for row in rows]


def _caption(result: LinkResult) -> str:
    right = result.sources.get("right", result.sources.get("left", ""))
    return (
        f"{result.mode}: {result.sources.get('left', '')} ({result.left_count} records)"
        + (f" with {right} ({result.right_count})" if result.mode == "link" else "")
        + f"; model {result.model.label} on {result.engine}; threshold {result.threshold}; "
        f"{len(result.pairs)} pairs in {len(result.clusters)} clusters"
    )


def _print_table(result: LinkResult) -> None:
    console = Console()
    console.print(_caption(result), highlight=False, markup=False)
    table = Table("left", "right", "probability", "evidence", show_lines=True)
    for pair in result.pairs:
        table.add_row(
            pair.left,
            pair.right,
            f"{pair.probability:.3f}",
            "\n".join(f"{key.replace('_', ' ')}: {word}" for key, word in pair.evidence.items()),
        )
    console.print(table)
    for number, cluster in enumerate(result.clusters, 1):
        console.print(f"cluster {number}: {', '.join(cluster)}", markup=False, highlight=False)


def _xlsx(result: LinkResult, out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    pairs = book.create_sheet("pairs")
    for row in _rows(result):
        pairs.append(row)
    clusters = book.create_sheet("clusters")
    clusters.append(["cluster", "person_ref"])
    for number, cluster in enumerate(result.clusters, 1):
        for ref in cluster:
            clusters.append([number, neutralise_formula(ref)])
    about = book.create_sheet("model")
    for key, value in (
        ("mode", result.mode),
        ("threshold", result.threshold),
        ("model", result.model.label),
        ("engine", result.engine),
        *result.sources.items(),
    ):
        about.append([key, neutralise_formula(str(value))])
    book.save(out)


def _write(result: LinkResult, fmt: LinkFormat, out: Path | None) -> None:
    if fmt is LinkFormat.table:
        _print_table(result)
        return
    if fmt is LinkFormat.xlsx:
        if out is None:
            raise _fail("--format xlsx needs --out FILE")
        _xlsx(result, out)
        return
    if fmt is LinkFormat.json:
        text = json.dumps(result.as_dict(), ensure_ascii=False, indent=1) + "\n"
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(_rows(result))
        text = buffer.getvalue()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def link(
    file: Annotated[Path, typer.Argument(help="The list, CSV or XLSX (manifest form).")],
    with_file: Annotated[
        Path | None, typer.Option("--with", help="Link with this other list.")
    ] = None,
    with_register: Annotated[
        bool, typer.Option("--with-register", help="Link with the persons RRMS holds.")
    ] = False,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold", help="Least match probability (0 < P < 1); default: the model's."
        ),
    ] = None,
    fmt: Annotated[LinkFormat, typer.Option("--format", help="Output form.")] = LinkFormat.table,
    engine: Annotated[Engine, typer.Option("--engine", help="Where Splink runs.")] = Engine.duckdb,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file, not stdout.")
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="RRMS_USER",
            help="The RRMS user reading the register (--with-register); default: your login.",
        ),
    ] = None,
    model_file: ModelFileOption = None,
) -> None:
    """Find the records that are the same person: in one list, another, or the register."""
    for path in (file, with_file):
        if path is not None and not path.is_file():
            raise _fail(f"no such file: {path}")
    if with_file is not None and with_register:
        raise _fail("--with and --with-register exclude each other")
    if threshold is not None and not 0 < threshold < 1:
        raise _fail(f"--threshold must be between 0 and 1, not {threshold}")
    model = _model(model_file)
    try:
        if with_register:
            factory = session_factory()
            actor = _actor(factory, as_user)
            with UnitOfWork(factory) as uow:
                result = link_with_register(
                    uow, actor, file, threshold=threshold, engine=engine.value, model=model
                )
        else:
            result = link_files(
                file, with_file, threshold=threshold, engine=engine.value, model=model
            )
    except ListFileError as exc:
        report_file_errors(
            exc.errors, exc.warnings, fmt is LinkFormat.json, f"in {exc.file}: nothing was linked"
        )
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except (ServiceError, EngineUnavailable) as exc:
        raise _fail(getattr(exc, "message", str(exc))) from None
    _write(result, fmt, out)
    console = Console(stderr=True, highlight=False)
    for warning in result.warnings:
        console.print(f"warning: {warning.describe()}", markup=False)


def link_train(
    file: Annotated[
        Path | None, typer.Argument(help="Train on this list (manifest form) ...")
    ] = None,
    from_register: Annotated[
        bool, typer.Option("--from-register", help="... or on the persons RRMS holds.")
    ] = False,
    version: Annotated[str, typer.Option("--version", help="The new model's version.")] = "",
    name: Annotated[str, typer.Option("--name", help="The model's name.")] = "site",
    out: Annotated[
        Path | None, typer.Option("--out", help="The model file (default: NAME-VERSION.json).")
    ] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="Where Splink runs.")] = Engine.duckdb,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="The model's default threshold.")
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option("--as", envvar="RRMS_USER", help="The administrator (--from-register)."),
    ] = None,
) -> None:
    """Train the linkage model on a site's own register or list, as a new version."""
    if (file is None) == (not from_register):
        raise _fail("name a FILE or --from-register (one of them)")
    if not version:
        raise _fail("--version is required: models are kept by version")
    if threshold is not None and not 0 < threshold < 1:
        raise _fail(f"--threshold must be between 0 and 1, not {threshold}")
    target = out or Path(f"{name}-{version}.json")
    if target.exists():
        raise _fail(f"{target} exists; a model version is never overwritten")
    try:
        if from_register:
            factory = session_factory()
            actor = _actor(factory, as_user)
            with UnitOfWork(factory) as uow:
                model = train_on_register(
                    uow, actor, name=name, version=version, engine=engine.value, threshold=threshold
                )
        else:
            assert file is not None
            if not file.is_file():
                raise _fail(f"no such file: {file}")
            model = train_on_file(
                file, name=name, version=version, engine=engine.value, threshold=threshold
            )
        model.save(target)
    except ListFileError as exc:
        report_file_errors(exc.errors, exc.warnings, False, f"in {exc.file}: nothing was trained")
        raise typer.Exit(EXIT_INPUT_ERROR) from None
    except (ServiceError, EngineUnavailable, ModelError) as exc:
        raise _fail(getattr(exc, "message", str(exc))) from None
    typer.echo(
        f"model {model.label} trained on {model.trained.get('records')} records "
        f"in {model.trained.get('seconds')} s; written to {target}"
    )
