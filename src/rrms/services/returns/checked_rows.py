"""Checked rows as the writer takes them: plain tuples of persons and arrivals.

A checked chunk (`rrms.services.returns.row_checks`) holds columns; the writer
(`rrms.services.returns.register_writer`, then `rrms.storage.bulk_writers`) takes rows,
in the order `rrms.storage.bulk_writers` names. Plain tuples of str, int, bool and None
are also what the checking process can send to the writing one at the least cost
(`marshal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rrms.reference.identity import name_keys
from rrms.reference.text import search_key
from rrms.services.returns.row_checks import CheckedChunk
from rrms.storage.bulk_writers import RETURN_FIELDS

__all__ = ["RETURN_ROW", "CheckedRows", "derived", "writable"]

RETURN_ROW = ("movement_ref", "person_ref", *RETURN_FIELDS[2:])
"""Field order of a checked arrival: the writer's, with the person_ref where the table
has the person_id (the writer swaps it once the person is stored). A checked person is
in `rrms.storage.bulk_writers.PERSON_ROW` order, then what `derived` adds."""

_SOURCE_COLUMN = {"programme_id": "programme"}

CheckedRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]
"""One checked chunk: its persons and its arrivals, values as they will be stored."""


def writable(chunk: CheckedChunk) -> CheckedRows:
    """A checked chunk as plain tuples: its persons (one per person_ref, the rows'
    non-blank values merged, the `derived` columns added) and its arrivals."""
    values = chunk.values
    births = [birth[0] if birth else None for birth in values["birth_date"]]
    refs = chunk.raw["person_ref"]
    fields = list(
        zip(
            values["family_name"],
            values["given_name"],
            values["father_name"],
            values["sex"],
            births,
            values["community"],
            strict=True,
        )
    )
    merged: dict[str, tuple[Any, ...]] = dict(zip(refs, fields, strict=True))
    if len(merged) < len(refs):  # a person twice in the chunk: merge their rows' values
        merged = {}
        for ref, row in zip(refs, fields, strict=True):
            known = merged.get(ref)
            merged[ref] = row if known is None else _fill(known, row)
    arrivals = list(
        zip(
            chunk.raw["movement_ref"],
            chunk.raw["person_ref"],
            *(values[_SOURCE_COLUMN.get(name, name)] for name in RETURN_ROW[2:]),
            strict=True,
        )
    )
    return [(ref, *row, *derived(row)) for ref, row in merged.items()], arrivals


def _fill(known: tuple[Any, ...], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A person's values from two rows that agree (checked across the file): where the
    later row has a value it is taken, where it is blank the earlier row's stays."""
    return tuple(old if new is None else new for old, new in zip(known, row, strict=True))


def derived(person: Sequence[Any]) -> tuple[int | None, str, str | None, str | None]:
    """birth_year, search_key, family_key and given_key of a person's (family_name,
    given_name, father_name, sex, birth_date, community)."""
    family_name, given_name, father_name, _, birth_date, _ = person
    return (
        int(birth_date[:4]) if birth_date else None,
        search_key(family_name, given_name, father_name),
        *name_keys(family_name, given_name),
    )
