"""Reading and checking a register file chunk by chunk, in this process or beside it.

The file is read once, as a stream (`rrms.formats.tabular.iter_table`), and never held
in memory: each chunk of `BATCH_ROWS` rows is checked (`rrms.services.returns.row_checks`,
and hashed for `rrms.services.returns.cross_checks`) and handed on as writable tuples
while the file is clean, so the import writes while the rest is still being checked.
The file is read to the end whatever it holds, so that every error is reported.

A large file (`PARALLEL_BYTES`) is checked by a second process, started with `spawn`,
while this one writes, so that checking and the database's own work overlap (on two
cores, a third of the time). Like any use of `multiprocessing`, a script that imports
must guard its own top level with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import marshal
import multiprocessing
import pickle
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rrms.formats.errors import CellError, ErrorList
from rrms.formats.tabular import TableStream, iter_table, match_header
from rrms.services.returns.checked_rows import CheckedRows, writable
from rrms.services.returns.cross_checks import CrossRowHashes, name_cross_row_errors
from rrms.services.returns.row_checks import (
    REQUIRED_COLUMNS,
    RETURN_COLUMNS,
    CheckedChunk,
    RowChecker,
)

__all__ = [
    "BATCH_ROWS",
    "PARALLEL_BYTES",
    "CheckBeside",
    "CollectorPause",
    "FileCheck",
    "Outcome",
    "check_file",
]

BATCH_ROWS = 5000
"""Rows checked and written together: large enough for `executemany` to pay off, small
enough that a batch's parameters (and an `IN (...)` list) stay far below the limits."""
PARALLEL_BYTES = 8 * 1024 * 1024
"""Files at least this large are checked by a second process while this one writes
(about 60,000 arrivals); smaller ones are not worth starting a process for."""


@dataclass
class Outcome:
    """What checking the whole file found: every error, every warning, and how it was read."""

    rows: int = 0
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None


def check_file(
    path: Path, size: int | None, programmes: dict[str, int], today: dt.date
) -> FileCheck | CheckBeside:
    """The checking of the file at `path` (of `size` bytes, None if it is no plain file):
    beside this process for a large file, else in it. Close it when done."""
    # a daemonic process (some servers' workers) may not start processes of its own
    beside = size is not None and size >= PARALLEL_BYTES
    if beside and not multiprocessing.current_process().daemon:
        return CheckBeside(path, programmes, today)
    return FileCheck(path, programmes, today)


class FileCheck:
    """Reads and checks the file chunk by chunk, handing each clean chunk on at once.

    `chunks()` yields `(rows, checked)` per chunk: `checked` holds the chunk's
    writable rows until the first error is met and is None from then on (the file is
    still read to the end, so that every error is reported). `estimated_rows` is set
    before the first chunk is handed on; `outcome` once the chunks are exhausted,
    with the checks across rows done.
    """

    def __init__(self, path: Path, programmes: dict[str, int], today: dt.date) -> None:
        self.path = path
        self.programmes = programmes
        self.today = today
        self.estimated_rows = 0
        self.outcome = Outcome()

    def close(self) -> None:
        """Nothing to release: the file is closed when `chunks` ends."""

    def chunks(self) -> Iterator[tuple[int, CheckedRows | None]]:
        """The file's chunks, checked (see the class)."""
        outcome = self.outcome
        with iter_table(self.path) as stream:
            if stream.errors and not stream.header:
                outcome.errors = list(stream.errors)
                return
            index, header_errors, warnings = match_header(
                stream.header, RETURN_COLUMNS, REQUIRED_COLUMNS, header_row=stream.header_row
            )
            outcome.warnings = _warnings(warnings)
            errors = outcome.errors = ErrorList(header_errors)  # capped: memory stays flat
            checker = RowChecker(index, self.programmes, self.today)
            cross = CrossRowHashes()
            for rows in _batches(stream):
                chunk = checker.check(rows, errors)
                cross.add(chunk, checker)
                if not self.estimated_rows:
                    self.estimated_rows = _estimated_rows(self.path, rows)
                outcome.rows += len(rows)
                yield len(rows), None if errors else writable(chunk)
            errors.extend(stream.errors)
            outcome.warnings.extend(stream.warnings)
            outcome.file_format, outcome.encoding = stream.file_format, stream.encoding
            outcome.delimiter = stream.delimiter
        movements, persons = cross.suspects()
        del cross
        if movements or persons:
            errors.extend(name_cross_row_errors(self._again(checker), movements, persons))
        outcome.errors = _sorted(errors)

    def _again(self, checker: RowChecker) -> Iterator[CheckedChunk]:
        """The file read and checked a second time, to name the rows behind colliding
        hashes (the error path only)."""
        with iter_table(self.path) as stream:
            for rows in _batches(stream):
                yield checker.check(rows, [])


def _batches(stream: TableStream) -> Iterator[list[tuple[int, list[str]]]]:
    rows = iter(stream)
    while chunk := list(itertools.islice(rows, BATCH_ROWS)):
        yield chunk


def _estimated_rows(path: Path, first: list[tuple[int, list[str]]]) -> int:
    """The file's rows, estimated from its size and its first chunk (the writer decides
    on a bulk load before the file is read to the end). A first chunk that is not
    full is the whole file; XLSX is compressed, so its estimate runs high."""
    if len(first) < BATCH_ROWS:
        return len(first)
    characters = sum(len(cell) + 1 for _, cells in first for cell in cells)
    return max(len(first), int(path.stat().st_size * len(first) / max(characters, 1)))


def _sorted(errors: list[CellError]) -> list[CellError]:
    """The errors in row order, then column order (in place: an `ErrorList` keeps its
    counts of the errors not listed)."""
    order = {name: position for position, name in enumerate(RETURN_COLUMNS)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return errors


def _warnings(warnings: list[CellError]) -> list[CellError]:
    """Unknown columns are reported, never dropped silently; the register has no place
    to keep them, so the warning says they are not imported."""
    return [
        CellError(
            w.row,
            w.column,
            w.value,
            w.message.replace("kept as extra data", "not imported"),
            w.suggestions,
        )
        for w in warnings
    ]


_CHUNK, _LAST = b"c", b"l"
"""The first byte of each message from the checking process: a chunk, or the end."""


def _check_beside(connection: Any, path: str, programmes: dict[str, int], today: dt.date) -> None:
    """The second process: checks the file and sends each chunk down `connection`.

    Checked chunks travel as `marshal` bytes (tuples of str, int, bool and None;
    far cheaper than pickle) with the estimate; the outcome is pickled, last. An
    unexpected failure is sent as its exception type only: its message could quote
    a cell, and cells are personal data.
    """
    gc.disable()  # as `CollectorPause`: no reference cycles, millions of small tuples
    check = FileCheck(Path(path), programmes, today)
    try:
        for rows, checked in check.chunks():
            connection.send_bytes(_CHUNK + marshal.dumps((check.estimated_rows, rows, checked)))
        connection.send_bytes(_LAST + pickle.dumps(("outcome", check.outcome)))
    except (BrokenPipeError, EOFError):
        pass  # the importing process stopped listening: it has failed or been stopped
    except Exception as exc:  # noqa: BLE001 - reported to the importing process, which raises
        with contextlib.suppress(BrokenPipeError):
            connection.send_bytes(_LAST + pickle.dumps(("failed", type(exc).__name__)))
    finally:
        connection.close()


class CheckBeside:
    """`FileCheck`'s interface over a second process running it (`_check_beside`):
    the file is read and checked there while this process writes what it sent."""

    def __init__(self, path: Path, programmes: dict[str, int], today: dt.date) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_check_beside,
            args=(child, str(path), programmes, today),
            name="rrms-returns-import-check",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.estimated_rows = 0
        self.outcome = Outcome()

    def chunks(self) -> Iterator[tuple[int, CheckedRows | None]]:
        """The chunks the second process checked, in the file's order."""
        try:
            while True:
                message = memoryview(self.connection.recv_bytes())
                if message[:1] == _LAST:
                    kind, value = pickle.loads(message[1:])  # noqa: S301 - our own child
                    if kind == "failed":
                        raise RuntimeError(f"checking the file failed ({value})")
                    self.outcome = value
                    return
                self.estimated_rows, rows, checked = marshal.loads(message[1:])
                yield rows, checked
        except EOFError:
            raise RuntimeError("checking the file failed: the checking process ended") from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the second process (if still running) and release the pipe."""
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


class CollectorPause:
    """Pauses Python's cyclic garbage collector while an import runs.

    An import allocates millions of short-lived lists and tuples (rows, columns,
    checked chunks) that hold no reference cycles, so reference counting frees each
    chunk as soon as it is done and memory stays flat without the collector. Left
    running, the collector is triggered by those allocations again and again and
    walks the chunk in hand and the parse caches each time: about a sixth of the
    import's time. The collector is process-wide (the web app may run two imports
    at once), so pauses are counted: the first one in stops it (if it was running)
    and the last one out starts it again.
    """

    _lock = threading.Lock()
    _holders = 0
    _restart = False

    @classmethod
    @contextlib.contextmanager
    def held(cls) -> Iterator[None]:
        """The collector paused for a `with` block, or for each call of a function
        this decorates."""
        with cls._lock:
            if cls._holders == 0:
                cls._restart = gc.isenabled()
                gc.disable()
            cls._holders += 1
        try:
            yield
        finally:
            with cls._lock:
                cls._holders -= 1
                if cls._holders == 0 and cls._restart:
                    gc.enable()
