"""Reports in Albanian and Serbian: Babel's figures and dates, translated labels, charts
and the bulletin's sentences, and the JSON the same in every language."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from figures import no_programmes, returns
from openpyxl import load_workbook

from rrms.i18n import ENGLISH, language
from rrms.reports.bulletin import news_in_brief, period_phrase
from rrms.reports.charts import Bar, bar_chart, bars_of
from rrms.reports.documents import Form, returns_document
from rrms.reports.localise import figure, localise
from rrms.reports.rendering import render_bulletin_html, render_returns_html
from rrms.web.i18n import environment

SQ, SR = language("sq"), language("sr")


@pytest.mark.parametrize(
    ("code", "number", "money", "share", "date"),
    [
        ("en", "1,234.5", "78,310.00 EUR", "29.8%", "1 August 2004"),
        ("sq", "1\u00a0234,5", "78\u00a0310,00 EUR", "29,8%", "1 gusht 2004"),
        ("sr", "1.234,5", "78.310,00 EUR", "29,8%", "1. avgust 2004."),
    ],
)
def test_figures_and_dates_are_written_as_the_locale_does(code, number, money, share, date):
    written = language(code)
    assert written.number(1234.5) == number
    assert written.money(Decimal("78310"), "EUR") == money
    assert written.percent(29.8) == share
    assert written.date(dt.date(2004, 8, 1)) == date


def test_an_unknown_language_is_refused_naming_the_languages() -> None:
    with pytest.raises(ValueError, match="'de'.*en, sq, sr"):
        language("de")


def test_labels_and_titles_are_translated_and_the_figures_kept() -> None:
    report = returns()
    albanian = localise(report, SQ)
    assert albanian.by_return_type.title == "Mbërritjet sipas llojit të kthimit"
    assert [e.label for e in albanian.by_transport_mode.entries] == [
        "Me aeroplan",
        "Me rrugë tokësore",
    ]
    labels = {e.key: e.label for e in albanian.by_sending_country.entries}
    assert labels["DE"] == "Gjermani" and labels["NL"] == "Holandë"
    assert {e.key: e.label for e in localise(report, SR).by_sending_country.entries}["DE"] == (
        "Nemačka"
    )
    assert albanian.to_json() == report.to_json()  # the JSON is never translated
    assert localise(report, ENGLISH) is report


def test_a_hidden_count_keeps_its_mark_in_every_language() -> None:
    public = returns(public=True, small_country=3)
    hidden = [e.cell for e in public.by_sending_country.entries if e.cell.suppressed]
    assert hidden and {figure(cell, SR) for cell in hidden} <= {"<5", "x"}


def test_the_bulletins_sentences_in_albanian_and_serbian() -> None:
    report, programmes = returns(), no_programmes()
    albanian = news_in_brief(localise(report, SQ), localise(programmes, SQ), SQ)
    assert albanian[0] == (
        "Gjatë tre muajve të fundit, 472 kosovarë u kthyen përmes programit AVR, "
        "nga të cilët 441 me aeroplan dhe 31 me rrugë tokësore."
    )
    assert "187\u00a0739" in albanian[2] and "37,6%" in albanian[2]
    serbian = news_in_brief(localise(report, SR), localise(programmes, SR), SR)
    assert serbian[0].startswith("Tokom poslednja tri meseca, kroz program AVR vratila su se 472")
    assert serbian[1].startswith("Većina ih je došla iz sledećih zemalja: Nemačka (310)")
    assert "9.613 povratnika" in serbian[3]


def test_the_public_bulletin_says_fewer_than_five_in_the_language() -> None:
    report, programmes = returns(public=True, land=3), no_programmes(public=True)
    news = news_in_brief(localise(report, SR), localise(programmes, SR), SR)
    assert news[0].endswith("od toga manje od pet kopnenim putem.")


def test_period_phrases_in_serbian_take_the_plural_form_of_their_count() -> None:
    assert period_phrase(dt.date(2004, 8, 1), dt.date(2004, 10, 31), SR) == (
        "Tokom poslednja tri meseca"
    )
    assert period_phrase(dt.date(2004, 1, 1), dt.date(2004, 12, 31), SR) == (
        "Tokom poslednjih dvanaest meseci"
    )
    assert period_phrase(dt.date(2004, 10, 1), dt.date(2004, 10, 31), SQ) == (
        "Gjatë muajit tetor 2004"
    )


def test_chart_figures_and_axis_are_written_for_the_locale() -> None:
    report = localise(returns(), SR)
    bars = bars_of(report.cumulative_by_region, percent=True, language=SR)
    svg = bar_chart("Udeo", bars, "Udeo povratnika (%)", "Okrug", False, language=SR)
    assert "37,6%" in svg and "37.6%" not in svg
    big = bar_chart("t", [Bar("a", 1500, "1.500"), Bar("b", 700, "700")], "x", "y", language=SR)
    ticks = re.findall(r">([0-9.,]+)</text>", big)
    assert "1.000" in ticks and "1000" not in ticks  # the value axis, as Serbian groups


def test_an_empty_chart_says_so_in_the_language() -> None:
    assert "Nema zapisa u periodu" in bar_chart("t", [], "a", "b", language=SR)


def test_the_report_html_is_in_the_language_throughout() -> None:
    html = render_returns_html(returns(), language=SQ)
    assert '<html lang="sq">' in html and "<h1>Raporti i kthimeve</h1>" in html
    assert "Returns in the period" not in html and "Total" not in html
    assert "187\u00a0739" in html  # the cumulative total, grouped as Albanian does
    bulletin = render_bulletin_html(returns(), no_programmes(), language=SR)
    assert "Vesti ukratko" in bulletin and "News in brief" not in bulletin


def test_spreadsheets_translate_the_header_only() -> None:
    english = load_workbook(io.BytesIO(returns_document(returns(), Form.xlsx)))["returns"]
    serbian = load_workbook(io.BytesIO(returns_document(returns(), Form.xlsx, language=SR)))[
        "returns"
    ]
    rows_en = [[c.value for c in row] for row in english.iter_rows()]
    rows_sr = [[c.value for c in row] for row in serbian.iter_rows()]
    assert rows_en[0][:3] == ["period_from", "period_to", "figure"]
    assert rows_sr[0][:3] == ["Period od", "Period do", "Podatak"]
    assert rows_sr[1] == rows_en[1]  # the HXL row
    country = rows_en[0].index("sending_country_name")
    for row_en, row_sr in zip(rows_en[2:], rows_sr[2:], strict=True):
        assert row_sr[:country] == row_en[:country]  # codes, dates, numbers as they are
    names = {row[country] for row in rows_sr[2:] if row[country]}
    assert "Nemačka" in names and "Germany" not in names
    assert any(isinstance(row[rows_en[0].index("returnees")], int) for row in rows_sr[2:])
    csv_sr = returns_document(returns(), Form.csv, language=SR).decode()
    assert csv_sr.splitlines()[1] == returns_document(returns(), Form.csv).decode().splitlines()[1]
    assert returns_document(returns(), Form.json, language=SR) == returns_document(
        returns(), Form.json
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "1,234 | 450.50 CHF | Aug 1, 2004 | 1 August 2004 | &lt;5 | |x"),
        ("sq", "1\u00a0234 | 450,50 CHF | 1 gush 2004 | 1 gusht 2004 | &lt;5 | |x"),
        ("sr", "1.234 | 450,50 CHF | 1. 8. 2004. | 1. avgust 2004. | &lt;5 | |x"),
    ],
)
def test_the_pages_filters_write_figures_for_the_pages_language(code, expected) -> None:
    public = returns(public=True, small_country=3)
    hidden = next(e.cell for e in public.by_sending_country.entries if e.cell.mark.value == "<5")
    template = environment(code).from_string(
        "{{ 1234|number }} | {{ amount|money('CHF') }} | {{ '2004-08-01'|date }} | "
        "{{ day|date('long') }} | {{ hidden|number }} | {{ none|date }}|{{ 'x'|date }}"
    )
    rendered = template.render(amount=Decimal("450.50"), day=dt.date(2004, 8, 1), hidden=hidden)
    assert rendered == expected
