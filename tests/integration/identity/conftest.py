"""Small lists for the linkage tests, written as a sending state writes them."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

HEADER = (
    "person_ref",
    "family_name",
    "given_name",
    "father_name",
    "sex",
    "birth_date",
    "community",
    "origin_municipality",
    "origin_settlement",
    "birth_place",
    "address",
    "document_number",
)


@pytest.fixture
def write_list(tmp_path: Path) -> Callable[..., Path]:
    """Write a list: write_list("name.csv", [("D1", "Xhaferi", "Agim", ...), ...])."""

    def write(name: str, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for row in rows:
                writer.writerow(list(row) + [""] * (len(header) - len(row)))
        return path

    return write
