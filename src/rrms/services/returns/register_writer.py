"""Writing checked rows into the register: what is new, changed or unchanged, and the
audit of every change.

The import is idempotent: persons are matched by `person_ref` and arrivals by
`movement_ref`, and a row equal to what is stored is left alone (its `version` does not
move), so importing the same file twice changes nothing the second time. A blank cell
is unknown, not an erasure: a person keeps a stored value the file leaves blank. Every
person or arrival that existed before and is changed gets its own `update` audit entry
with the values before and after (created rows get none, docs/returns.md says why),
kept until the file is known to be good (`rrms.services.returns.deferred_audit`).

The SQL is the storage's (`rrms.storage.bulk_writers`, handed out by
`uow.returns.bulk_writer`): lookups, inserts and upserts by the batch, `COPY` on
PostgreSQL, the deferred indexes of a bulk load.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from rrms.services.core import audit
from rrms.services.core.access import Actor
from rrms.services.returns.checked_rows import derived
from rrms.services.returns.deferred_audit import PendingAudit
from rrms.storage.bulk_writers import PERSON_FIELDS, RETURN_FIELDS
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["BULK_LOAD_ROWS", "CreatedRefs", "RegisterWriter"]

BULK_LOAD_ROWS = 50_000
"""A file of at least this many rows, written into a table holding fewer than half as
many, is a bulk load: that table's secondary indexes are built once at the end
(`rrms.storage.bulk_load`) instead of row by row."""

_BOOLEAN_FIELDS = frozenset({"secondary_transport", "vulnerable"})
"""Yes/no fields, which SQLite gives back as 0 and 1: audited as false and true."""


class CreatedRefs:
    """The person_refs an import has created so far, as a Bloom filter of fixed size.

    Into a register with no person yet, a person_ref can only be stored if this import
    created it (one transaction; another user creating the same person_ref meanwhile
    is refused by the unique index, and the import rolls back). The filter answers
    "certainly not" for most new refs, which are then inserted without a lookup, and
    "maybe" for every ref created (and about 1 % of the others at a million
    persons), which are looked up as usual. 16 MB, whatever the file's size.
    """

    _SLOTS = 1 << 24

    def __init__(self) -> None:
        self.slots = np.zeros(self._SLOTS, dtype=np.bool_)

    def _positions(self, refs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        hashes = np.fromiter(map(hash, refs), np.int64, len(refs)).view(np.uint64)
        mask = np.uint64(self._SLOTS - 1)
        return hashes & mask, (hashes >> np.uint64(32)) & mask

    def add(self, refs: Sequence[str]) -> None:
        """Remember refs just created."""
        for positions in self._positions(refs):
            self.slots[positions] = True

    def maybe(self, refs: Sequence[str]) -> list[bool]:
        """Per ref: False if it was certainly not created by this import."""
        first, second = self._positions(refs)
        return (self.slots[first] & self.slots[second]).tolist()  # type: ignore[no-any-return]


class RegisterWriter:
    """Upserts persons and arrivals chunk by chunk inside one unit of work, counting what
    it creates, changes and leaves alone; the caller records the import and commits."""

    def __init__(
        self, uow: UnitOfWork, actor: Actor, sha256: str, now: dt.datetime, rows: int
    ) -> None:
        self.uow = uow
        self.actor = actor
        self.sha256 = sha256
        self.written_at = now
        self.sql = uow.returns.bulk_writer(now)
        if rows >= BULK_LOAD_ROWS:
            self.sql.defer_indexes(rows)
        self.pending_audit = PendingAudit()
        # no person stored when the import began: only those it creates can be found
        self.created_refs = CreatedRefs() if self.sql.persons_were_empty else None
        self.refusals = self.sql.refusals
        """What the database raises when it refuses a row."""
        self.created = self.updated = self.unchanged = 0
        self.persons_created = 0
        self.persons_updated: set[int] = set()

    def write(self, persons: list[tuple[Any, ...]], arrivals: list[tuple[Any, ...]]) -> None:
        """Write one checked chunk: its persons first, then its arrivals."""
        person_ids = self._persons(persons)
        self._returns(arrivals, person_ids)

    def finish(self) -> None:
        """Complete what was deferred: the audit entries of the rows changed, the
        indexes dropped for a bulk load, and the search index of the persons created."""
        for entity, record_id, before, after in self.pending_audit.entries():
            audit.record(self.uow, self.actor, "update", entity, record_id, before, after)
        self.sql.finish()

    def close(self) -> None:
        """Give the connection back as it was found, and delete the audit entries not
        recorded (an import that failed)."""
        self.pending_audit.close()
        self.sql.close()

    def _audit(
        self,
        entity: str,
        record_id: int,
        fields: Sequence[str],
        before: Sequence[Any],
        after: Sequence[Any],
    ) -> None:
        """Keep the `update` entry of a stored row the import changes: the fields that
        differ, before and after, and the file's SHA-256 among the values after."""
        changed = [
            (name, old, new)
            for name, old, new in zip(fields, before, after, strict=True)
            if old != new
        ]

        def plain(name: str, value: Any) -> Any:
            return bool(value) if name in _BOOLEAN_FIELDS and value is not None else value

        self.pending_audit.add(
            entity,
            record_id,
            {name: plain(name, old) for name, old, _ in changed},
            {name: plain(name, new) for name, _, new in changed} | {"returns_import": self.sha256},
        )

    def _persons(self, persons: list[tuple[Any, ...]]) -> dict[str, int]:
        """Store a chunk's persons (`PERSON_ROW` order, then the `derived` columns);
        the id of each person_ref."""
        refs = [person[0] for person in persons]
        if self.created_refs is not None:
            refs = list(itertools.compress(refs, self.created_refs.maybe(refs)))
        existing = {row[1]: row for row in self.sql.find_persons(refs)}
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        renamed: list[tuple[int, str, str]] = []  # (id, old key, new key) for search
        now = self.sql.now
        for person in persons:
            row = existing.get(person[0])
            if row is None:
                inserts.append((*person, 1, now, now))
                continue
            stored = row[2:8]
            new = tuple(
                value if value is not None else old
                for value, old in zip(person[1:7], stored, strict=True)
            )
            if new == stored:
                continue
            birth_year, key, *name_keys = derived(new)
            updates.append((*new, birth_year, key, *name_keys, now, row[0]))
            if row[9] != now:  # a person the import did not create: audited
                self.persons_updated.add(row[0])
                self._audit("persons", row[0], PERSON_FIELDS, stored, new)
                if key != row[8]:
                    renamed.append((row[0], row[8], key))
        ids = {ref: row[0] for ref, row in existing.items()}
        if inserts:
            ids.update(self._insert_persons(inserts))
        if updates:
            self.sql.change_persons(updates)
        if renamed:
            self.sql.reindex_names(renamed)
        return ids

    def _insert_persons(self, inserts: list[tuple[Any, ...]]) -> dict[str, int]:
        """Insert new persons with ids reserved beforehand; their person_refs' ids."""
        new_ids = self.sql.new_person_ids(len(inserts))
        inserts = [(new_id, *row) for new_id, row in zip(new_ids, inserts, strict=True)]
        self.sql.insert_persons(inserts)
        self.persons_created += len(inserts)
        if self.created_refs is not None:
            self.created_refs.add([row[1] for row in inserts])
        return {row[1]: row[0] for row in inserts}

    def _returns(self, arrivals: list[tuple[Any, ...]], person_ids: dict[str, int]) -> None:
        """Store a chunk's arrivals (`checked_rows.RETURN_ROW` order): insert the new,
        update the changed, leave the equal alone."""
        now = self.sql.now
        if self.sql.returns_were_empty:  # every arrival is new: no lookup, no comparison
            self.created += len(arrivals)
            self.sql.insert_returns(
                [(a[0], person_ids[a[1]], *a[2:], 1, now, now) for a in arrivals]
            )
            return
        arrivals = self.sql.comparable(arrivals)
        rows = [(a[0], person_ids[a[1]], *a[2:]) for a in arrivals]
        existing = {row[1]: row for row in self.sql.find_returns([a[0] for a in rows])}
        writes: list[tuple[Any, ...]] = []
        for row in rows:
            stored = existing.get(row[0])
            if stored is None:
                self.created += 1
                writes.append((*row, 1, now, now))
            elif stored[1:] == row:
                self.unchanged += 1
            else:
                self.updated += 1
                writes.append((*row, 1, now, now))
                self._audit("returns", stored[0], RETURN_FIELDS, stored[1:], row)
        if writes:
            self.sql.upsert_returns(writes)
