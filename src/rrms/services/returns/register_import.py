"""Import the returns register (one row per arrival) from CSV or XLSX: all or nothing.

IOM Kosovo's register holds a few hundred thousand arrivals, and it is re-exported and
re-imported as it is corrected. So the import (shared/spec/returns.md, "Import"):

* reads the file once as a stream and never holds it in memory. Every cell is checked
  and every error collected; each clean batch is written at once, in one transaction
  that is committed only when the whole file has been checked. A file with any error
  raises `InputFileError` and the transaction is rolled back: nothing it wrote is ever
  seen by anyone (`rrms.services.returns.pipeline`);
* checks a large file (`PARALLEL_BYTES`) in a second process while this one writes,
  so that checking and the database's own work overlap. Like any use of
  `multiprocessing`, a script that calls the import must guard its own top level
  with `if __name__ == "__main__":`;
* checks each distinct cell value once, with the same checks as single records
  (`rrms.services.returns.row_checks`), and the rows against each other on hashes
  (`rrms.services.returns.cross_checks`): about 40 bytes per row while the file is
  read, and the batches in flight, one being checked and one being written;
* is idempotent: persons are matched by `person_ref` and arrivals by `movement_ref`,
  and a row equal to what is stored is left alone, so importing the same file twice
  changes nothing the second time (`rrms.services.returns.register_writer`);
* is audited: one `returns_import` entry names the file (name, SHA-256) and the
  counts, and every arrival or person that existed before and is changed gets its
  own `update` entry with the values before and after (docs/returns.md explains
  why created rows get no entry of their own), recorded just before the commit
  (`rrms.services.returns.deferred_audit`);
* loads in bulk when the file is at least twice the size of the register (the first
  load of a register): the plain secondary indexes of persons and arrivals are
  dropped inside the transaction and built once at the end (`BULK_LOAD_ROWS`); the
  SQL of all of it, `COPY` on PostgreSQL included, is `rrms.storage.bulk_writers`.

This module is the use case: it authorises, runs the checking and the writing side
by side, and records and commits the import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rrms.formats.errors import CellError, InputFileError
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.returns.arrivals import programme_codes
from rrms.services.returns.pipeline import (
    BATCH_ROWS,
    PARALLEL_BYTES,
    CheckBeside,
    CollectorPause,
    FileCheck,
    Outcome,
    check_file,
)
from rrms.services.returns.register_writer import BULK_LOAD_ROWS, RegisterWriter
from rrms.services.returns.row_checks import REQUIRED_COLUMNS, RETURN_COLUMNS
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "BATCH_ROWS",
    "BULK_LOAD_ROWS",
    "PARALLEL_BYTES",
    "REQUIRED_COLUMNS",
    "RETURN_COLUMNS",
    "ImportRefused",
    "ImportSummary",
    "Progress",
    "import_returns",
]

Progress = Callable[[int, int | None], None]
"""`progress(rows_done, rows_total)`: rows_total is None while the file is being read
(each batch checked and, while the file is clean, written), then the number of data
rows once every row is written, while the import finishes (indexes of a bulk load,
the search index, the commit)."""


class ImportRefused(RuntimeError):
    """The database refused a row that the file's checks found nothing wrong with (a
    movement_ref another user stored meanwhile, say); nothing was imported."""


@dataclass
class ImportSummary:
    """What an import did: the file it read and how many rows it created or changed."""

    file_name: str
    file_sha256: str
    file_format: str
    encoding: str | None
    delimiter: str | None
    rows: int
    created: int
    updated: int
    unchanged: int
    persons_created: int
    persons_updated: int
    seconds: float
    warnings: list[CellError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Machine-readable form (the CLI's JSON, the API's answer)."""
        return {
            "file": self.file_name,
            "sha256": self.file_sha256,
            "format": self.file_format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "persons_created": self.persons_created,
            "persons_updated": self.persons_updated,
            "seconds": round(self.seconds, 3),
            "warnings": [warning.as_dict() for warning in self.warnings],
        }


def _sha256(path: Path) -> str:
    """The file's SHA-256, which names the import in the audit log."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _signature(path: Path) -> tuple[int, int]:
    """Size and modification time, compared before the commit: a file that changed
    while it was read is refused."""
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


@CollectorPause.held()
def import_returns(
    factory: Callable[[], UnitOfWork],
    actor: Actor,
    path: str | Path,
    progress: Progress | None = None,
    *,
    file_name: str | None = None,
) -> ImportSummary:
    """Import a returns register file; all or nothing, idempotent, audited.

    `factory` makes units of work on the target database: the programme codes are
    read in one, and everything is written in another, one transaction that is
    committed only when the whole file has been checked without an error. Raises
    `Forbidden` unless the actor may write returns, and `InputFileError` with every
    error of the file (nothing is written then). `file_name` is the name to record
    when `path` is a temporary copy (an upload).
    """
    authorize(actor, "returns", "write")
    began = time.perf_counter()
    source = Path(path)
    signature = _signature(source) if source.is_file() else None
    today = dt.date.today()
    with factory() as uow:
        programmes = programme_codes(uow.returns)
    with contextlib.ExitStack() as cleanup:
        size = signature[0] if signature is not None else None
        check = check_file(source, size, programmes, today)
        cleanup.callback(check.close)  # whatever fails from here on stops the checking
        sha256 = _sha256(source) if signature is not None else ""
        opener = partial(_open_writer, cleanup, factory, actor, sha256)
        writer, refused, done = _write_while_checking(check, opener, progress)
        outcome = check.outcome
        _refuse(outcome, refused, signature, source)
        if writer is None:  # no rows: the import is still recorded
            writer = opener(0)
        if progress:
            progress(done, outcome.rows)
        writer.finish()
        summary = _summary(file_name or source.name, sha256, outcome, writer)
        _record(writer, actor, summary)
        writer.close()
        writer.uow.commit()
    summary.seconds = time.perf_counter() - began
    return summary


def _write_while_checking(
    check: FileCheck | CheckBeside,
    opener: Callable[[int], RegisterWriter],
    progress: Progress | None,
) -> tuple[RegisterWriter | None, Exception | None, int]:
    """Write each clean chunk as soon as it is checked, until the first error (the file
    is still read to the end). The writer is opened with the first clean chunk, once
    the file's size is estimated; a refusal of the database stops the writing and is
    returned, with the writer (None if nothing was clean) and the rows read."""
    writer: RegisterWriter | None = None
    refused: Exception | None = None
    done = 0
    for rows, checked in check.chunks():
        if checked is not None and refused is None:
            if writer is None:
                writer = opener(check.estimated_rows)
            try:
                writer.write(*checked)
            except writer.refusals as exc:
                refused = exc  # stop writing; the checks may name the row (see `_refuse`)
        done += rows
        if progress:
            progress(done, None)
    return writer, refused, done


def _refuse(
    outcome: Outcome,
    refused: Exception | None,
    signature: tuple[int, int] | None,
    source: Path,
) -> None:
    """Raise if the import may not be committed: the file's errors first (they name the
    row a refusal of the database was about), then the refusal, then a file that
    changed while it was read."""
    if outcome.errors:
        raise InputFileError(outcome.errors, outcome.warnings)
    if refused is not None:
        # the driver's message may quote a row's values (a key, a name): only the
        # kind of refusal is passed on, never the values
        raise ImportRefused(
            f"the database refused the import ({type(refused).__name__}); nothing was imported"
        ) from None
    if signature is not None and _signature(source) != signature:
        raise InputFileError([_FILE_CHANGED])


def _summary(
    file_name: str, sha256: str, outcome: Outcome, writer: RegisterWriter
) -> ImportSummary:
    """What the import did, from how the file was read and what the writer counted."""
    return ImportSummary(
        file_name=file_name,
        file_sha256=sha256,
        file_format=outcome.file_format,
        encoding=outcome.encoding,
        delimiter=outcome.delimiter,
        rows=outcome.rows,
        created=writer.created,
        updated=writer.updated,
        unchanged=writer.unchanged,
        persons_created=writer.persons_created,
        persons_updated=len(writer.persons_updated),
        seconds=0.0,
        warnings=outcome.warnings,
    )


def _record(writer: RegisterWriter, actor: Actor, summary: ImportSummary) -> None:
    """The import's own audit entry, in its transaction: the file and the counts."""
    audit.record(
        writer.uow,
        actor,
        "import",
        "returns_import",
        summary.file_sha256,
        after={
            key: value
            for key, value in summary.as_dict().items()
            if key not in ("seconds", "warnings")
        }
        | {"written_at": writer.written_at.isoformat()},
    )


_FILE_CHANGED = CellError(
    0,
    "",
    "",
    "the file changed while it was being read; nothing was imported. "
    "Import it again once it is complete",
)


def _open_writer(
    cleanup: contextlib.ExitStack,
    factory: Callable[[], UnitOfWork],
    actor: Actor,
    sha256: str,
    rows: int,
) -> RegisterWriter:
    """The writer, in a new unit of work that `cleanup` rolls back unless committed."""
    uow = cleanup.enter_context(factory())
    writer = RegisterWriter(uow, actor, sha256, dt.datetime.now(dt.UTC), rows)
    cleanup.callback(writer.close)
    return writer
