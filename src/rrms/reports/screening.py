"""The screening result of one notification list, and its JSON, CSV and HTML forms.

Output follows shared/spec/screening.md's Output section. Writers stream: a person's
line is its two references plus a fragment shared by every person with the same
result, encoded once, so writing a million persons costs about as much as copying.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, BinaryIO, TextIO

import numpy as np
from jinja2 import Environment, select_autoescape
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from rrms.domain.vocabulary import OUTCOMES
from rrms.formats.errors import CellError
from rrms.formats.safe_cells import neutralise_formula, xml_safe
from rrms.formats.tabular import encoding_label
from rrms.policy.engine import ScreeningResult
from rrms.policy.explain import Explainer
from rrms.policy.facts import missing_names

TABLE_COLUMNS = (
    "person_ref",
    "family_ref",
    "outcome",
    "family_outcome",
    "clauses",
    "missing",
    "policy_version",
    "as_of",
    "explanation",
)

IDENTITY_COLUMNS = (
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "community",
    "origin_municipality",
)
"""Who a person is, shown beside their `person_ref` in every view and download (not in
the JSON of shared/spec/screening.md, a fixed contract): the names as written in any
script, the birth date as given (partial stays partial), sex and community as codes,
the municipality of origin as written."""

NOTE_COLUMNS = ("note", "row", "column", "value", "message")
"""The table of notes after the persons in a download: the list's file name, the
encoding detected, and every warning (shared/spec/manifest.md)."""


@dataclass
class ScreeningReport:
    """Everything a screening produced: the source file, the persons and the result."""

    source: dict[str, Any]
    person_refs: list[str]
    family_refs: list[str]
    family_labels: list[str]
    family_index: np.ndarray
    result: ScreeningResult
    warnings: list[CellError] = field(default_factory=list)
    extra: dict[str, Sequence[str]] = field(default_factory=dict)
    """The list's columns the format does not know, each person's cell in list order:
    kept as extra data (shared/spec/manifest.md), repeated in every output form."""
    identity: dict[str, Sequence[str]] = field(default_factory=dict)
    """`IDENTITY_COLUMNS`, each person's value in list order; empty when not read."""
    cells: dict[str, Sequence[str]] = field(default_factory=dict)
    """The list's known columns as received (before answers), for a recorded list."""

    def __post_init__(self) -> None:
        self.explainer = Explainer(self.result.policy)

    def _keys(self) -> Iterator[tuple[int, int, int, int, int]]:
        r = self.result
        return zip(
            r.outcome.tolist(),
            r.clauses.tolist(),
            r.unresolved.tolist(),
            r.missing.tolist(),
            r.family_effect.tolist(),
            strict=True,
        )

    def person(self, position: int) -> dict[str, Any]:
        """One person's result as the spec's JSON object."""
        r = self.result
        key = (
            int(r.outcome[position]),
            int(r.clauses[position]),
            int(r.unresolved[position]),
            int(r.missing[position]),
            int(r.family_effect[position]),
        )
        return {
            "person_ref": self.person_refs[position],
            "family_ref": self.family_refs[position],
            **self._result_fields(key),
            **self._extra(position),
        }

    def persons(self) -> Iterator[dict[str, Any]]:
        """Every person's result, in list order."""
        for position, key in enumerate(self._keys()):
            yield {
                "person_ref": self.person_refs[position],
                "family_ref": self.family_refs[position],
                **self._result_fields(key),
                **self._extra(position),
            }

    def who(self, position: int) -> dict[str, str]:
        """The person's identity (`IDENTITY_COLUMNS`) at `position`; {} if not read."""
        return {name: column[position] for name, column in self.identity.items()}

    def notes(self) -> list[list[str]]:
        """What a download says about its list besides the persons (`NOTE_COLUMNS`):
        the uploaded file's own name, the encoding detected, then each warning."""
        found = [["list", "", "", str(self.source.get("file", "")), "the uploaded file"]]
        encoding = encoding_label(self.source.get("encoding"))
        if encoding:
            found.append(["encoding", "", "", encoding, "the encoding detected"])
        for warning in self.warnings:
            found.append(
                [
                    "warning",
                    str(warning.row or ""),
                    warning.column,
                    warning.value,
                    warning.describe(),
                ]
            )
        return found

    def _extra(self, position: int) -> dict[str, Any]:
        """`{"extra": {column: cell}}` with the person's non-blank extra cells, or {}."""
        cells = {name: column[position] for name, column in self.extra.items() if column[position]}
        return {"extra": cells} if cells else {}

    def _result_fields(self, key: tuple[int, int, int, int, int]) -> dict[str, Any]:
        outcome, clauses, unresolved, missing, effect = key
        return {
            "outcome": OUTCOMES[outcome],
            "clauses": self.explainer.clause_ids(clauses),
            "missing": missing_names(missing),
            "explanation": self.explainer.explain(*key),
        }

    def families(self) -> list[dict[str, Any]]:
        """Every family unit with its outcome and members, in order of first appearance."""
        members: list[list[str]] = [[] for _ in self.family_labels]
        for ref, family in zip(self.person_refs, self.family_index.tolist(), strict=True):
            members[family].append(ref)
        return [
            {"family_ref": label, "outcome": OUTCOMES[int(outcome)], "members": refs}
            for label, outcome, refs in zip(
                self.family_labels, self.result.family_outcome.tolist(), members, strict=True
            )
        ]

    def header(self) -> dict[str, Any]:
        """The fields that precede the persons in the JSON object."""
        return {
            "policy_version": self.result.policy.id,
            "as_of": self.result.as_of.isoformat(),
        }

    def write_json(self, out: TextIO) -> None:
        """Write the spec's JSON object, streaming the persons."""
        head = self.header()
        out.write("{")
        out.write(", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in head.items()))
        out.write(', "source": ' + json.dumps(self.source, ensure_ascii=False))
        out.write(', "persons": [')
        fragments: dict[tuple[int, int, int, int, int], str] = {}
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        first = True
        people = zip(self.person_refs, self.family_refs, self._keys(), strict=True)
        for position, (ref, family, key) in enumerate(people):
            fragment = fragments.get(key)
            if fragment is None:
                fields = self._result_fields(key)
                fragment = ", ".join(f'"{k}": {dumps(v)}' for k, v in fields.items()) + "}"
                fragments[key] = fragment
            if self.extra:
                extra = self._extra(position)
                if extra:
                    fragment = fragment[:-1] + ', "extra": ' + dumps(extra["extra"]) + "}"
            out.write(
                ("\n  " if first else ",\n  ")
                + '{"person_ref": '
                + dumps(ref)
                + ', "family_ref": '
                + dumps(family)
                + ", "
                + fragment
            )
            first = False
        out.write('\n], "families": [')
        out.write(",\n  ".join(json.dumps(f, ensure_ascii=False) for f in self.families()))
        out.write('], "summary": ' + json.dumps(self.result.summary()))
        out.write(
            ', "warnings": ' + json.dumps([w.as_dict() for w in self.warnings], ensure_ascii=False)
        )
        out.write("}\n")

    def rows(self) -> Iterator[list[str]]:
        """The tabular form (CSV, XLSX): a header, then one row per person, their
        identity beside their `person_ref` when it was read."""
        identity = list(self.identity.values())
        yield [TABLE_COLUMNS[0], *self.identity, *TABLE_COLUMNS[1:], *self.extra]
        family_outcomes = [OUTCOMES[int(o)] for o in self.result.family_outcome.tolist()]
        version, as_of = self.result.policy.id, self.result.as_of.isoformat()
        extra = list(self.extra.values())
        people = zip(self.persons(), self.family_index.tolist(), strict=True)
        for position, (person, family) in enumerate(people):
            yield [
                person["person_ref"],
                *(column[position] for column in identity),
                person["family_ref"],
                person["outcome"],
                family_outcomes[family],
                " ".join(person["clauses"]),
                " ".join(person["missing"]),
                version,
                as_of,
                person["explanation"],
                *(column[position] for column in extra),
            ]

    def write_csv(self, out: TextIO, notes: bool = False) -> None:
        """One row per person; no cell is ever written as a spreadsheet formula.

        With `notes` (the downloads), an empty line and the table of `notes()` follow
        the persons, so the warnings travel with the result; `rrms screen` prints them
        on its own and keeps its CSV one table.
        """
        writer = csv.writer(out, lineterminator="\n")
        for row in self.rows():
            writer.writerow([neutralise_formula(cell) for cell in row])
        if notes:
            writer.writerow([])
            for row in [list(NOTE_COLUMNS), *self.notes()]:
                writer.writerow([neutralise_formula(cell) for cell in row])

    def write_xlsx(self, out: BinaryIO) -> None:
        """The same rows as the CSV in a workbook, and the notes (file name, encoding,
        warnings) on a second sheet; every cell is stored as text, never as a formula,
        whatever it starts with, without the control characters XLSX cannot hold."""
        book = Workbook(write_only=True)
        for title, rows in (("screening", self.rows()), ("notes", [NOTE_COLUMNS, *self.notes()])):
            sheet = book.create_sheet(title)
            for row in rows:
                cells = []
                for value in row:
                    cell = WriteOnlyCell(sheet, value=xml_safe(value))
                    cell.data_type = "s"
                    cells.append(cell)
                sheet.append(cells)
        book.save(out)

    def pdf_bytes(self) -> bytes:
        """The HTML form printed to PDF (WeasyPrint)."""
        from weasyprint import HTML

        page = io.StringIO()
        self.write_html(page)
        return bytes(HTML(string=page.getvalue()).write_pdf())

    def write_html(self, out: TextIO) -> None:
        """A self-contained HTML page saying the same as the JSON, in words."""
        env = Environment(
            autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True
        )
        template = env.from_string(
            (resources.files("rrms.reports") / "templates" / "screening.html").read_text(
                encoding="utf-8"
            )
        )
        out.write(
            template.render(
                report=self,
                persons=[
                    {**person, **self.who(position)}
                    for position, person in enumerate(self.persons())
                ],
                notes=self.notes(),
                families=self.families(),
                summary=self.result.summary(),
                clauses=self.result.policy.clauses,
                generated=dt.date.today().isoformat(),
            )
        )
