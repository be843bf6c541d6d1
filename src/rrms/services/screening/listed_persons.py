"""Who is on a recorded list, as the sending state wrote them: the one place that knows
where a recorded list's names come from.

A recorded list stores, per person, the engine's recommendation and the officer's
decision, keyed by the sending state's `person_ref`, but not the person's name or birth
date. The reply to the sending state and the export of decisions must show them, so
the list's own file is kept privately when the list is recorded (`keep_list_file`,
owner-only, in the private data folder under the file's SHA-256, which the list
records) and read back here (`listed_persons`). A list recorded from the screening page
before files were kept is found through its upload, if the officer has not discarded
it. When the names move into the database beside each decision, only `listed_persons`
changes; its callers keep asking it.

Cells are returned exactly as written (any script; a partial birth date stays partial):
the sending state must recognise its own spelling in the reply.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rrms.formats.manifest_columns import MANIFEST_COLUMNS
from rrms.formats.tabular import match_header, read_table
from rrms.reference.countries import countries
from rrms.services.core.private_files import private_folder, write_private
from rrms.services.screening import uploads
from rrms.storage.tables import ScreeningList

__all__ = ["ListedPerson", "keep_list_file", "list_sending_country", "listed_persons"]

FOLDER = "screening-lists"
"""The private folder holding recorded lists' files, named by their SHA-256."""


@dataclass(frozen=True)
class ListedPerson:
    """One person as the list wrote them; '' where the cell was blank or the file is gone."""

    family_name: str = ""
    given_name: str = ""
    birth_date: str = ""
    sex: str = ""
    community: str = ""
    origin_municipality: str = ""
    sending_country: str = ""

    @property
    def name(self) -> str:
        """Family name and given name, as written ('' when neither is known)."""
        return " ".join(part for part in (self.family_name, self.given_name) if part)


UNKNOWN = ListedPerson()
"""A person whose list file is no longer kept: no name to show."""


def keep_list_file(path: str | Path, sha256: str) -> None:
    """Keep a recorded list's file privately, so its persons can be named later."""
    if not _is_sha256(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    target = private_folder(FOLDER) / sha256
    if not target.exists():
        write_private(target, Path(path).read_bytes())


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _list_file(sha256: str) -> Path | None:
    """The kept file with this SHA-256, else an upload with it still on the server."""
    if not _is_sha256(sha256):
        return None
    kept = private_folder(FOLDER) / sha256
    if kept.exists():
        return kept
    for meta_path in sorted(uploads.data_dir().glob("*.json")):
        if meta_path.name.endswith(".result.json"):
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and meta.get("sha256") == sha256:
            upload = meta_path.with_suffix(str(meta.get("suffix", ".csv")))
            if upload.exists():
                shutil.copyfile(upload, private_folder(FOLDER) / sha256)
                return private_folder(FOLDER) / sha256
    return None


def listed_persons(screened: ScreeningList) -> dict[str, ListedPerson]:
    """Each person of the recorded list by `person_ref`, as written; {} when the list's
    file is no longer kept (callers then show `UNKNOWN`)."""
    path = _list_file(screened.file_sha256)
    if path is None:
        return {}
    table = read_table(path)
    index, _, _ = match_header(table.header, MANIFEST_COLUMNS, ())
    if "person_ref" not in index:
        return {}
    fields = [name for name in ListedPerson.__dataclass_fields__ if name in index]

    def cell(row: list[str], name: str) -> str:
        return row[index[name]] if index[name] < len(row) else ""

    found: dict[str, ListedPerson] = {}
    for _, row in table.rows:
        ref = cell(row, "person_ref")
        if ref and ref not in found:
            found[ref] = ListedPerson(**{name: cell(row, name) for name in fields})
    return found


def list_sending_country(screened: ScreeningList, persons: dict[str, ListedPerson]) -> str | None:
    """The list's sending state (ISO alpha-2): the one recorded with the list, else the
    one most of its persons name; None when neither is known."""
    if screened.sending_country:
        return screened.sending_country
    registry = countries()
    named = Counter(
        country.alpha2
        for person in persons.values()
        if person.sending_country
        and (country := registry.parse(person.sending_country)) is not None
    )
    return named.most_common(1)[0][0] if named else None
