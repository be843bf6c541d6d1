"""The checks across the rows of a register: a `movement_ref` used twice, and one
`person_ref` whose rows disagree on the person (names, sex, birth date, community).

A register of a million rows cannot keep every row's values to compare them, so
`CrossRowHashes` keeps 8-byte hashes per row in NumPy arrays (about 40 bytes per row
in all) and finds the hashes that meet once the file has been read; only then, and
only when some do, `name_cross_row_errors` goes through the rows again to name the
rows behind them. A hash meeting another by chance costs that second reading, never a
false error: the rows' own values are compared there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from rrms.formats.errors import CellError
from rrms.services.returns.row_checks import HASH_MASK, CheckedChunk, RowChecker, hash32
from rrms.storage.bulk_writers import PERSON_FIELDS

__all__ = ["CrossRowHashes", "name_cross_row_errors"]


class CrossRowHashes:
    """Per-row hashes of the refs and person fields, kept in NumPy arrays."""

    _CODED = ("sex", "birth_date", "community")

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {
            name: [] for name in ("row", "movement", "person", "names", "father_name", *self._CODED)
        }

    def add(self, chunk: CheckedChunk, checker: RowChecker) -> None:
        """Hash one checked chunk's refs and person fields."""
        count = len(chunk.rows)
        raw = chunk.raw
        parts = self.parts
        parts["row"].append(np.asarray(chunk.rows, dtype=np.int32))
        parts["movement"].append(np.fromiter(map(hash, raw["movement_ref"]), np.int64, count))
        parts["person"].append(np.fromiter(map(hash, raw["person_ref"]), np.int64, count))
        family = np.fromiter(map(hash, raw["family_name"]), np.int64, count).view(np.uint64)
        given = np.fromiter(map(hash, raw["given_name"]), np.int64, count).view(np.uint64)
        names = (family * np.uint64(1_000_003) ^ given) & np.uint64(HASH_MASK)
        names[(family == 0) | (given == 0)] = 0  # a blank name is reported on its own
        names[(names == 0) & (family != 0) & (given != 0)] = 1
        parts["names"].append(names.astype(np.uint32))
        parts["father_name"].append(
            np.fromiter(map(hash32, chunk.values["father_name"]), np.uint32, count)
        )
        for name in self._CODED:
            parts[name].append(
                np.fromiter(map(checker.hashes[name].__getitem__, raw[name]), np.uint32, count)
            )

    def suspects(self) -> tuple[set[int], set[int]]:
        """Hashes of movement_refs seen twice, and of person_refs whose rows disagree."""
        if not self.parts["row"]:
            return set(), set()
        movement = np.concatenate(self.parts["movement"])
        ordered = np.sort(movement)
        repeated = ordered[1:][ordered[1:] == ordered[:-1]]
        movements = set(np.unique(repeated).tolist())
        person = np.concatenate(self.parts["person"])
        persons: set[int] = set()
        for name in ("names", "father_name", *self._CODED):
            values = np.concatenate(self.parts[name])
            known = values != 0
            refs, values = person[known], values[known]
            order = np.lexsort((values, refs))
            refs, values = refs[order], values[order]
            differ = (refs[1:] == refs[:-1]) & (values[1:] != values[:-1])
            persons.update(np.unique(refs[1:][differ]).tolist())
        return movements, persons


def name_cross_row_errors(
    chunks: Iterable[CheckedChunk], movements: set[int], persons: set[int]
) -> list[CellError]:
    """Go through the checked rows again to name the rows behind colliding hashes
    (`CrossRowHashes.suspects`): each later use of a movement_ref, and each value of a
    person's field that differs from the first row of that person_ref giving one."""
    errors: list[CellError] = []
    first_movement: dict[str, int] = {}
    first_person: dict[str, dict[str, tuple[Any, str, int]]] = {}
    for chunk in chunks:
        raw = chunk.raw
        for position, number in enumerate(chunk.rows):
            movement_ref = raw["movement_ref"][position]
            if movement_ref and hash(movement_ref) in movements:
                first = first_movement.setdefault(movement_ref, number)
                if first != number:
                    errors.append(
                        CellError(
                            number,
                            "movement_ref",
                            movement_ref,
                            f"duplicate movement_ref: already used on row {first}",
                        )
                    )
            person_ref = raw["person_ref"][position]
            if person_ref and hash(person_ref) in persons:
                seen = first_person.setdefault(person_ref, {})
                errors.extend(_disagreements(chunk, position, person_ref, seen))
    return errors


def _disagreements(
    chunk: CheckedChunk, position: int, person_ref: str, seen: dict[str, tuple[Any, str, int]]
) -> list[CellError]:
    """The fields of one row that differ from the person's first value of each (`seen`:
    field -> normalised value, raw cell, row; filled from this row where it is the
    first to give a value). A blank cell is unknown and agrees with anything."""
    errors: list[CellError] = []
    number = chunk.rows[position]
    raw, values = chunk.raw, chunk.values
    for name in PERSON_FIELDS:
        value = values[name][position]
        if value is None:
            continue
        if name == "birth_date":
            value = value[0]
        known = seen.setdefault(name, (value, raw[name][position], number))
        if known[0] != value:
            errors.append(
                CellError(
                    number,
                    name,
                    raw[name][position],
                    f"person_ref {person_ref} has {name} {known[1]!r} on row "
                    f"{known[2]}; the rows of one person must agree",
                    (known[1],),
                )
            )
    return errors
