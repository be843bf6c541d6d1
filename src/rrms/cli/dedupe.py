"""`rrms dedupe persons`: probable duplicates among the stored persons, into the review
queue where caseworkers decide (docs/identity.md, *The register deduplicated*).

The command reads the register as an RRMS user (`--as USERNAME`, else `RRMS_USER`,
else the login name) who may change persons (a caseworker or an administrator),
scores every pair with the linkage model, and queues the pairs at or above the
threshold that were never queued before. It merges nothing: people decide, on the
Duplicates page. The run is audited; its summary names the model.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from rrms.cli.link import Engine, ModelFileOption, _actor, _fail, _model
from rrms.services.core.errors import ServiceError
from rrms.services.identity.duplicates import DedupeRun, find_duplicates
from rrms.services.identity.engine import EngineUnavailable
from rrms.storage.database import session_factory
from rrms.storage.unit_of_work import UnitOfWork

dedupe_app = typer.Typer(
    help="Find probable duplicates for people to review.", no_args_is_help=True
)


class DedupeFormat(StrEnum):
    """The forms `rrms dedupe persons` can print."""

    json = "json"
    table = "table"


def _summary(run: DedupeRun) -> str:
    return (
        f"{run.persons} persons compared with model {run.model.label} on {run.engine} "
        f"(threshold {run.threshold}): {len(run.found)} probable duplicate pairs, "
        f"{len(run.queued)} new in the review queue, {run.already_known} already queued "
        "or decided"
    )


def _print_table(run: DedupeRun) -> None:
    console = Console()
    if run.queued:
        table = Table("pair", "persons", "probability", "evidence", show_lines=True)
        for pair in run.queued:
            table.add_row(
                str(pair.id),
                f"{pair.left_person_id} and {pair.right_person_id}",
                f"{pair.probability:.3f}",
                "\n".join(
                    f"{key.replace('_', ' ')}: {word}" for key, word in pair.evidence.items()
                ),
            )
        console.print(table)
    console.print(_summary(run), highlight=False, markup=False)


@dedupe_app.command("persons")
def dedupe_persons(
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold", help="Least match probability (0 < P < 1); default: the model's."
        ),
    ] = None,
    fmt: Annotated[
        DedupeFormat, typer.Option("--format", help="Output form.")
    ] = DedupeFormat.table,
    engine: Annotated[Engine, typer.Option("--engine", help="Where Splink runs.")] = Engine.duckdb,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="RRMS_USER",
            help="The RRMS user (a caseworker or an administrator); default: your login.",
        ),
    ] = None,
    model_file: ModelFileOption = None,
) -> None:
    """Queue probable duplicates among the stored persons for caseworkers to decide."""
    if threshold is not None and not 0 < threshold < 1:
        raise _fail(f"--threshold must be between 0 and 1, not {threshold}")
    model = _model(model_file)
    factory = session_factory()
    actor = _actor(factory, as_user)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("starting", total=None)
    try:
        with progress, UnitOfWork(factory) as uow:
            run = find_duplicates(
                uow,
                actor,
                threshold=threshold,
                engine=engine.value,
                model=model,
                progress=lambda step: progress.update(task, description=step),
            )
    except (ServiceError, EngineUnavailable) as exc:
        raise _fail(getattr(exc, "message", str(exc))) from None
    if fmt is DedupeFormat.json:
        sys.stdout.write(json.dumps(run.as_dict(), ensure_ascii=False, indent=1) + "\n")
        Console(stderr=True).print(_summary(run), highlight=False, markup=False)
    else:
        _print_table(run)
