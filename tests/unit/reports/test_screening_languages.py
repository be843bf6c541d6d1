"""The screening downloads in the reader's language: the PDF and HTML throughout, the
CSV and XLSX their header rows and explanations with the codes kept; the quoted policy
clause stays English with a gloss, as on the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from rrms.i18n import language
from rrms.reports.screening import TABLE_COLUMNS
from rrms.services.screening.screen import screen_manifest
from support.pdf import pdf_text
from support.screening_lists import desk_list

AS_OF = dt.date(2004, 11, 15)

ENGLISH_WORDS = (
    "Forced-return screening",
    "Warnings about the list",
    "Summary",
    "Families",
    "Persons",
    "Municipality of origin",
    "Questions still open",
    "Explanation",
    "The policy's clauses",
    "Encoding detected",
    "Unknown column",
    "screened on",
    "No objection",
    "does not accept this forced return",
    "November",
)
"""Headings and words of the English download that a translated one must not show."""


def unquoted(text: str, report) -> str:
    """The text with white space made single and the policy's own words (its clauses,
    their lead-ins, its title: quoted in English on purpose) taken out."""
    flat = " ".join(text.split())
    policy = report.result.policy
    for quoted in sorted(
        [c.text for c in policy.clauses] + list(policy.lead_ins.values()) + [policy.title],
        key=len,
        reverse=True,
    ):
        flat = flat.replace(" ".join(quoted.split()), "")
    return flat


@pytest.fixture
def report(tmp_path):
    """The desk list (an unknown column, a person in Cyrillic) screened."""
    path = desk_list(tmp_path)
    return screen_manifest(path, AS_OF, file_name=path.name)


def test_the_albanian_pdf_has_no_english_heading_and_keeps_the_quoted_clause(report):
    flat = unquoted(pdf_text(report.pdf_bytes(language("sq"))), report)
    shown = [word for word in ENGLISH_WORDS if word in flat]
    assert not shown, shown
    for heading in ("Shqyrtimi i kthimeve të detyruara", "Përmbledhja", "Personat"):
        assert heading in flat
    assert "15 nëntor 2004" in flat
    assert "Liste Oktober.csv" in flat and "Јовановић" in flat
    # Clause A1 is quoted in the policy's words, with the Albanian gloss beside it.
    text = " ".join(pdf_text(report.pdf_bytes(language("sq"))).split())
    assert "Kosovo Serbs, Roma, Ashkaeli and Egyptians" in text
    assert "Serbët e Kosovës" in flat


@pytest.mark.parametrize("code", ["sr", "sr-Cyrl"])
def test_the_serbian_html_names_outcomes_and_warnings_in_serbian(report, code):
    page = io.StringIO()
    report.write_html(page, language(code))
    html = unquoted(page.getvalue(), report)
    assert f'lang="{code}"' in html
    for word in ENGLISH_WORDS:
        assert word not in html, word
    serbian = language(code).gettext
    assert serbian("Unknown column %(column)s kept as extra data") % {"column": "remarks"} in html
    assert serbian("Forced-return screening") in html


def test_the_csv_translates_its_header_and_keeps_the_codes(report):
    english, albanian = io.StringIO(), io.StringIO()
    report.write_csv(english, notes=True)
    report.write_csv(albanian, notes=True, language=language("sq"))
    rows_en = list(csv.reader(io.StringIO(english.getvalue())))
    rows_sq = list(csv.reader(io.StringIO(albanian.getvalue())))
    assert set(TABLE_COLUMNS) <= set(rows_en[0])  # English: the column codes
    assert not set(TABLE_COLUMNS) & set(rows_sq[0])  # Albanian: their titles
    assert "Referenca e personit" in rows_sq[0] and "Rezultati" in rows_sq[0]
    outcome = rows_en[0].index("outcome")
    explanation = rows_en[0].index("explanation")
    for en, sq in zip(rows_en[1:10], rows_sq[1:10], strict=True):
        assert [c for i, c in enumerate(en) if i != explanation] == [
            c for i, c in enumerate(sq) if i != explanation
        ]  # codes, ISO dates and names unchanged
        assert sq[outcome] in ("accept", "object", "review", "not_applicable")
    assert any("Pa kundërshtim" in row[explanation] for row in rows_sq[1:10])
    notes = rows_sq[rows_sq.index([]) + 1 :]
    assert notes[0] == ["Shënimi", "Rreshti", "Kolona", "Vlera", "Mesazhi"]
    assert ["list", "", "", "Liste Oktober.csv", "skedari i ngarkuar"] in notes


def test_the_xlsx_translates_both_header_rows(report):
    binary = io.BytesIO()
    report.write_xlsx(binary, language("sr"))
    book = load_workbook(io.BytesIO(binary.getvalue()))
    header = [cell.value for cell in next(book["screening"].iter_rows())]
    assert header[0] == "Oznaka lica" and "Obrazloženje" in header
    notes = [cell.value for cell in next(book["notes"].iter_rows())]
    assert notes == ["Napomena", "Red", "Kolona", "Vrednost", "Poruka"]
