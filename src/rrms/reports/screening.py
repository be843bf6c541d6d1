"""The screening result of one notification list, and its JSON, CSV and HTML forms.

Output follows shared/spec/screening.md's Output section. Writers stream: a person's
line is its two references plus a fragment shared by every person with the same
result, encoded once, so writing a million persons costs about as much as copying.

The downloads are written in the reader's language (`rrms.i18n.Language`, English by
default), as the other reports are (docs/reports.md, "Languages"): the HTML and PDF
throughout (headings, column headers, outcome and vocabulary words, warnings, dates
and figures); the CSV and XLSX their header rows, the notes' messages and the
explanations, keeping the codes (outcomes, clauses, questions, sex, community) and ISO
dates a script reads. An explanation's quoted policy clause stays in the policy's
words (English) with a translated gloss, as on the pages. The JSON is the spec's
fixed contract and never translated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO, TextIO

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from rrms.domain.labels import word_filter
from rrms.domain.vocabulary import OUTCOMES
from rrms.formats.errors import CellError
from rrms.formats.safe_cells import neutralise_formula, xml_safe
from rrms.formats.tabular import encoding_label
from rrms.i18n import ENGLISH, LANGUAGES, N_, Language
from rrms.i18n import language as i18n_language
from rrms.policy.engine import ScreeningResult
from rrms.policy.explain import Explainer, explanation
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

COLUMN_TITLES: dict[str, str] = {
    "person_ref": N_("Person reference"),
    "family_name": N_("Family name"),
    "given_name": N_("Given name"),
    "birth_date": N_("Birth date"),
    "sex": N_("Sex"),
    "community": N_("Community"),
    "origin_municipality": N_("Municipality of origin"),
    "family_ref": N_("Family reference"),
    "outcome": N_("Outcome"),
    "family_outcome": N_("Family outcome"),
    "clauses": N_("Clauses"),
    "missing": N_("Questions still open"),
    "policy_version": N_("Policy version"),
    "as_of": N_("Screened on"),
    "explanation": N_("Explanation"),
    "note": N_("Note"),
    "row": N_("Row"),
    "column": N_("Column"),
    "value": N_("Value"),
    "message": N_("Message"),
}
"""The header of a column of the CSV and XLSX in a translated download (English keeps
the column codes, which scripts read)."""

UPLOADED_FILE = N_("the uploaded file")
ENCODING_DETECTED = N_("the encoding detected")
UNKNOWN_COLUMN = N_("Unknown column %(column)s kept as extra data")
UNNAMED_COLUMN = N_("Column %(column)s has no name; its cells are kept as extra data")
CELLS_RIGHT = N_(
    "Row %(row)s, column %(column)s: cells right of the last named column (%(last)s) are "
    "not read; give their column a name in the header to keep them"
)
_UNNAMED = re.compile(r"column (?P<column>\S+) has no name; its cells are kept as extra data")
_RIGHT = re.compile(r"cells right of the last named column \((?P<last>[^)]*)\) are not read")


def warning_text(warning: CellError, language: Language = ENGLISH) -> str:
    """A warning about the list as one line in `language` (English: as `describe`
    writes it); a warning without a translation is written in English."""
    if language.code == "en":
        return warning.describe()
    found = _RIGHT.match(warning.message)
    if warning.message == "unknown column kept as extra data":
        return language.gettext(UNKNOWN_COLUMN) % {"column": warning.column}
    if found is not None:
        return language.gettext(CELLS_RIGHT) % {
            "row": warning.row,
            "column": warning.column,
            "last": found.group("last"),
        }
    found = _UNNAMED.match(warning.message)
    if found is not None:
        return language.gettext(UNNAMED_COLUMN) % {"column": found.group("column")}
    return warning.describe()


def translator(language: Language) -> Callable[[str], str]:
    """An explanation in `language`, each distinct one translated once: the quoted
    clauses stay in the policy's words, with a gloss (as on the pages)."""
    if language.code == "en":
        return str
    word = word_filter(language.gettext)
    done: dict[str, str] = {}

    def translate(text: str) -> str:
        shown = done.get(text)
        if shown is None:
            shown = done[text] = explanation(text, language.gettext, word)
        return shown

    return translate


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

    def notes(self, language: Language = ENGLISH) -> list[list[str]]:
        """What a download says about its list besides the persons (`NOTE_COLUMNS`):
        the uploaded file's own name, the encoding detected, then each warning; the
        kinds stay codes, the messages are in `language`."""
        _ = language.gettext
        found = [["list", "", "", str(self.source.get("file", "")), _(UPLOADED_FILE)]]
        encoding = encoding_label(self.source.get("encoding"))
        if encoding:
            found.append(["encoding", "", "", encoding, _(ENCODING_DETECTED)])
        for warning in self.warnings:
            found.append(
                [
                    "warning",
                    str(warning.row or ""),
                    warning.column,
                    warning.value,
                    warning_text(warning, language),
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

    def rows(self, language: Language = ENGLISH) -> Iterator[list[str]]:
        """The tabular form (CSV, XLSX): a header, then one row per person, their
        identity beside their `person_ref` when it was read. In a translated download
        the header and the explanations are in `language`, the cells keep their codes."""
        identity = list(self.identity.values())
        header = [TABLE_COLUMNS[0], *self.identity, *TABLE_COLUMNS[1:]]
        yield [*_titles(header, language), *self.extra]
        explain = translator(language)
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
                explain(person["explanation"]),
                *(column[position] for column in extra),
            ]

    def write_csv(self, out: TextIO, notes: bool = False, language: Language = ENGLISH) -> None:
        """One row per person; no cell is ever written as a spreadsheet formula.

        With `notes` (the downloads), an empty line and the table of `notes()` follow
        the persons, so the warnings travel with the result; `rrms screen` prints them
        on its own and keeps its CSV one table.
        """
        writer = csv.writer(out, lineterminator="\n")
        for row in self.rows(language):
            writer.writerow([neutralise_formula(cell) for cell in row])
        if notes:
            writer.writerow([])
            for row in [_titles(NOTE_COLUMNS, language), *self.notes(language)]:
                writer.writerow([neutralise_formula(cell) for cell in row])

    def write_xlsx(self, out: BinaryIO, language: Language = ENGLISH) -> None:
        """The same rows as the CSV in a workbook, and the notes (file name, encoding,
        warnings) on a second sheet; every cell is stored as text, never as a formula,
        whatever it starts with, without the control characters XLSX cannot hold."""
        book = Workbook(write_only=True)
        notes = [_titles(NOTE_COLUMNS, language), *self.notes(language)]
        for title, rows in (("screening", self.rows(language)), ("notes", notes)):
            sheet = book.create_sheet(title)
            for row in rows:
                cells = []
                for value in row:
                    cell = WriteOnlyCell(sheet, value=xml_safe(value))
                    cell.data_type = "s"
                    cells.append(cell)
                sheet.append(cells)
        book.save(out)

    def pdf_bytes(self, language: Language = ENGLISH) -> bytes:
        """The HTML form printed to PDF (WeasyPrint)."""
        from weasyprint import HTML

        page = io.StringIO()
        self.write_html(page, language)
        return bytes(HTML(string=page.getvalue()).write_pdf())

    def write_html(self, out: TextIO, language: Language = ENGLISH) -> None:
        """A self-contained HTML page saying the same as the JSON, in words, in
        `language`."""
        explain = translator(language)
        template = _environment(language.code).get_template("screening.html")
        out.write(
            template.render(
                report=self,
                persons=[
                    {**person, **self.who(position), "explanation": explain(person["explanation"])}
                    for position, person in enumerate(self.persons())
                ],
                warnings=[warning_text(warning, language) for warning in self.warnings],
                encoding=encoding_label(self.source.get("encoding")),
                families=self.families(),
                summary=self.result.summary(),
                clauses=self.result.policy.clauses,
                generated=dt.date.today().isoformat(),
            )
        )


def _titles(columns: Sequence[str], language: Language) -> list[str]:
    """A header row: the column codes in English, their titles in another language."""
    if language.code == "en":
        return list(columns)
    return [language.gettext(COLUMN_TITLES.get(name, name)) for name in columns]


@lru_cache(maxsize=len(LANGUAGES))
def _environment(code: str) -> Environment:
    """The screening template in one language: `_()` translates, `word` shows a code's
    label, `gloss` a clause's translation, `number` and `longdate` write figures and
    dates as the locale does."""
    language = i18n_language(code)
    environment = Environment(
        loader=PackageLoader("rrms.reports", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(language.catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.filters["word"] = word_filter(language.gettext)
    environment.filters["gloss"] = language.gettext  # a quoted clause's translation
    environment.filters["number"] = language.number
    environment.filters["longdate"] = language.date
    environment.globals["lang"] = language.code
    return environment
