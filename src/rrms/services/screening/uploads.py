"""Notification lists uploaded on the screening page, kept while an officer works on them.

A list holds personal data, so it is kept only in the private data folder
(`RRMS_DATA_DIR`, default `rrms-data/` in the working directory), readable by the
server's user alone (mode 0600), under a random id, with the officer's answers to open
questions beside it. Only the officer who uploaded it can open it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rrms.domain.messages import N_
from rrms.domain.vocabulary import MAX_UPLOAD_BYTES
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid, NotFound
from rrms.services.core.private_files import (
    is_private_id,
    new_private_id,
    private_folder,
    write_private,
)


def data_dir() -> Path:
    """The private folder for uploads, created with owner-only permissions."""
    return private_folder("uploads")


@dataclass(frozen=True)
class Upload:
    """An uploaded list: where it is, who uploaded it, and the answers given so far."""

    upload_id: str
    path: Path
    file_name: str
    sha256: str
    owner: str
    answers: dict[tuple[str, str], str]


def store_upload(actor: Actor, file_name: str, data: bytes) -> Upload:
    """Keep an uploaded list for the actor; refuse empty or oversized files."""
    authorize(actor, "screening", "write")
    if not data:
        raise Invalid(N_("the uploaded file is empty"), "file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(
            N_(
                "the file is larger than {max_upload_bytes} MB",
                max_upload_bytes=MAX_UPLOAD_BYTES // (1024 * 1024),
            ),
            "file",
        )
    upload_id = new_private_id()
    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    root = data_dir()
    write_private(root / f"{upload_id}{suffix}", data)
    meta = {
        "file_name": Path(file_name).name[:200] or "list",
        "sha256": hashlib.sha256(data).hexdigest(),
        "owner": actor.username,
        "suffix": suffix,
        "uploaded_at": dt.datetime.now(dt.UTC).isoformat(),
        "answers": [],
    }
    write_private(root / f"{upload_id}.json", json.dumps(meta).encode())
    return open_upload(actor, upload_id)


def open_upload(actor: Actor, upload_id: str) -> Upload:
    """An upload of the actor's; `NotFound` for any other id."""
    authorize(actor, "screening", "read")
    meta_path = data_dir() / f"{upload_id}.json"
    if not is_private_id(upload_id) or not meta_path.exists():
        raise NotFound(N_("no such uploaded list (it may have been discarded)"))
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["owner"] != actor.username:
        raise NotFound(N_("no such uploaded list (it may have been discarded)"))
    return Upload(
        upload_id=upload_id,
        path=data_dir() / f"{upload_id}{meta['suffix']}",
        file_name=meta["file_name"],
        sha256=meta["sha256"],
        owner=meta["owner"],
        answers={(ref, column): value for ref, column, value in meta["answers"]},
    )


def save_answers(actor: Actor, upload_id: str, answers: dict[tuple[str, str], str]) -> Upload:
    """Add the officer's answers (a blank answer removes an earlier one)."""
    upload = open_upload(actor, upload_id)
    merged = dict(upload.answers)
    for key, value in answers.items():
        if value.strip():
            merged[key] = value.strip()
        else:
            merged.pop(key, None)
    meta_path = data_dir() / f"{upload_id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["answers"] = [[ref, column, value] for (ref, column), value in sorted(merged.items())]
    write_private(meta_path, json.dumps(meta).encode())
    return open_upload(actor, upload_id)


def discard_upload(actor: Actor, upload_id: str) -> None:
    """Delete an uploaded list and its answers."""
    upload = open_upload(actor, upload_id)
    upload.path.unlink(missing_ok=True)
    (data_dir() / f"{upload_id}.result.json").unlink(missing_ok=True)  # its kept screening
    (data_dir() / f"{upload_id}.json").unlink(missing_ok=True)
