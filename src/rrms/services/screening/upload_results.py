"""An uploaded list's screening, computed once and kept beside the list.

The screening page was screened again on every view, and a list of 100,000 persons
takes seconds to screen; paging through its results would screen it once per page.
So the result the page shows (summary, families, persons with their explanations)
is kept in the upload's private folder (`uploads.data_dir()`, owner-only, like the
list itself) as JSON, keyed by everything it depends on: the list's bytes (its
SHA-256), the officer's answers, the screening date and the policy version. A view
with the same key reads it back; any change of key screens again and replaces it.
Discarding the upload removes it (`uploads.discard_upload`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from rrms.formats.tabular import encoding_label
from rrms.policy.versions import PolicyCatalogue
from rrms.services.core.private_files import write_private
from rrms.services.screening import uploads
from rrms.services.screening.screen import screen_manifest

CACHE_FORMAT: Final = 2
"""Part of the key: raised when the kept fields change, so old results are not read."""


@dataclass(frozen=True)
class ScreenedUpload:
    """What the screening page shows of an uploaded list's screening."""

    policy_id: str
    as_of: str
    summary: dict[str, int]
    families: list[dict[str, Any]]
    """`family_ref`, `outcome` and `members` (person refs), in order of first appearance."""
    persons: dict[str, dict[str, Any]]
    """Each person's result by person_ref: outcome, clauses, missing, explanation, and
    who they are (`reports.screening.IDENTITY_COLUMNS`)."""
    clauses: dict[str, dict[str, str]]
    """The policy's clauses by id, with their `text`."""
    warnings: list[dict[str, Any]]
    """The list's warnings (unknown columns, cells right of the header), each as
    `CellError.as_dict` with its one-line `text`."""
    encoding: str | None
    """The CSV encoding detected, as a person knows it ('Windows-1250'); None for XLSX."""


def result_path(upload: uploads.Upload) -> Path:
    """Where the upload's kept screening lives, beside the list."""
    return uploads.data_dir() / f"{upload.upload_id}.result.json"


def screened_upload(upload: uploads.Upload, as_of: dt.date | None = None) -> ScreenedUpload:
    """The upload's screening under the policy in force on `as_of` (default today).

    `upload` comes from `uploads.open_upload`, which checked the actor. Raises
    `InputFileError` for a list with errors (nothing is kept) and `PolicyError` for a
    date no policy version covers.
    """
    day = as_of or dt.date.today()
    policy = PolicyCatalogue.bundled().in_force(day)
    key = _key(upload, day, policy.id)
    path = result_path(upload)
    kept = _read(path, key)
    if kept is not None:
        return kept
    report = screen_manifest(upload.path, day, answers=upload.answers, file_name=upload.file_name)
    persons = {
        person["person_ref"]: {
            **{name: person[name] for name in ("outcome", "clauses", "missing", "explanation")},
            **report.who(position),
        }
        for position, person in enumerate(report.persons())
    }
    result = ScreenedUpload(
        policy_id=report.result.policy.id,
        as_of=report.result.as_of.isoformat(),
        summary=dict(report.result.summary()),
        families=report.families(),
        persons=persons,
        clauses={c.id: {"text": c.text} for c in report.result.policy.clauses},
        warnings=[{**w.as_dict(), "text": w.describe()} for w in report.warnings],
        encoding=encoding_label(report.source.get("encoding")) or None,
    )
    state = {"key": key, **result.__dict__}
    write_private(path, json.dumps(state, ensure_ascii=False).encode("utf-8"))
    return result


def _key(upload: uploads.Upload, day: dt.date, policy_id: str) -> str:
    parts = [CACHE_FORMAT, upload.sha256, sorted(upload.answers.items()), day.isoformat()]
    return hashlib.sha256(json.dumps([*parts, policy_id]).encode()).hexdigest()


def _read(path: Path, key: str) -> ScreenedUpload | None:
    """The kept result if it has this key; None if absent, stale or unreadable."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.pop("key", None) != key:
        return None
    try:
        return ScreenedUpload(**state)
    except TypeError:
        return None
