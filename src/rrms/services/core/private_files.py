"""Files holding personal data outside the database: uploaded lists, import progress,
the demo's accounts.

They live in the private data folder (`RRMS_DATA_DIR`, default `rrms-data/` in the
working directory), in sub-folders readable by the server's user alone, under random
ids that cannot be guessed or used to walk out of the folder. Every file is written
whole or not at all: a temporary file (mode 0600) renamed into place.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")


def private_folder(name: str) -> Path:
    """The sub-folder `name` of the private data folder, created owner-only."""
    root = Path(os.environ.get("RRMS_DATA_DIR", "rrms-data")) / name
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def new_private_id() -> str:
    """A random id for a private file (128 bits, hexadecimal)."""
    return secrets.token_hex(16)


def is_private_id(text: str) -> bool:
    """Whether `text` has the form of an id from `new_private_id` (and nothing else)."""
    return bool(_ID.match(text))


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path`, readable by the owner only, replacing it in one step."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
