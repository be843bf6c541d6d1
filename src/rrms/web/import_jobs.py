"""The state of returns imports started from the web page, shared by every server process.

`rrms serve --workers N` runs several processes; the import runs in the one that took
the upload, while the page polling its progress may reach another. So a job's state is
a small JSON file in the private data folder (`RRMS_DATA_DIR`, owner-only), rewritten
whole through a temporary file so that a reader never sees half of it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rrms.formats.errors import CellError
from rrms.services.core.private_files import is_private_id, private_folder, write_private


@dataclass
class ImportJob:
    """An import running in the background, polled by the page for its progress."""

    owner: str
    file_name: str
    done: int = 0
    total: int | None = None
    finished: bool = False
    summary: dict[str, Any] | None = None
    errors: list[CellError] = field(default_factory=list)
    """The errors listed (at most `MAX_ERRORS_PER_COLUMN` a column, then a count)."""
    error_count: int = 0
    """Every error of the file, listed or not."""
    failure: str | None = None


def jobs_dir() -> Path:
    """The private folder holding the jobs' state."""
    return private_folder("imports")


def save_job(job_id: str, job: ImportJob) -> None:
    """Write the job's state, replacing the previous one in one step."""
    state = json.dumps(asdict(job), ensure_ascii=False, default=str)
    write_private(jobs_dir() / f"{job_id}.json", state.encode("utf-8"))


def load_job(job_id: str) -> ImportJob | None:
    """The job's last saved state, or None for an unknown (or malformed) id."""
    if not is_private_id(job_id):
        return None
    try:
        data = json.loads((jobs_dir() / f"{job_id}.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    errors = [
        CellError(e["row"], e["column"], e["value"], e["message"], tuple(e["suggestions"]))
        for e in data.pop("errors")
    ]
    return ImportJob(**data, errors=errors)
