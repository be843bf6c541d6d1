"""Screen a notification list: the use case behind `rrms screen`, the screening page and API.

Reads and checks the file, picks the policy version in force on the screening date,
runs the engine over the whole list at once and returns a report ready to render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from rrms.formats.errors import CellError, InputFileError
from rrms.policy.engine import evaluate
from rrms.policy.versions import PolicyCatalogue
from rrms.reports.screening import ScreeningReport
from rrms.services.screening.manifest import Answers, Manifest, read_manifest


def check_manifest(path: str | Path) -> tuple[list[CellError], list[CellError]]:
    """Validate a list without screening it: (errors, warnings)."""
    try:
        manifest = read_manifest(path)
    except InputFileError as exc:
        return exc.errors, exc.warnings
    return [], manifest.warnings


def screen_manifest(
    path: str | Path,
    as_of: dt.date | None = None,
    policy_files: Sequence[Path] = (),
    answers: Answers | None = None,
    file_name: str | None = None,
) -> ScreeningReport:
    """Screen every person on the list at `path` under the policy in force on `as_of`.

    `answers` are an officer's answers to open questions, keyed by (person_ref, column).
    `file_name` is the name the list was uploaded under, which every output names it
    by (an upload is kept under a random id; default: the path's own name).
    Raises `InputFileError` (with every error) for a bad file and
    `rrms.policy.versions.PolicyError` for a date no policy version covers.
    """
    day = as_of or dt.date.today()
    policy = PolicyCatalogue.bundled(policy_files).in_force(day)
    manifest: Manifest = read_manifest(path, policy.settlement_required_municipalities, answers)
    result = evaluate(policy, manifest.facts, day)
    return ScreeningReport(
        source={
            "file": file_name or Path(path).name,
            "format": manifest.file_format,
            "encoding": manifest.encoding,
            "delimiter": manifest.delimiter,
            "rows": manifest.size,
        },
        person_refs=manifest.person_refs,
        family_refs=manifest.family_refs,
        family_labels=manifest.family_labels,
        family_index=manifest.facts.family,
        result=result,
        warnings=manifest.warnings,
        extra=manifest.extra,
        identity=manifest.identity,
        cells=manifest.received,
    )
