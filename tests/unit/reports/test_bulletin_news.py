"""The bulletin's "news in brief": sentences written from the figures, public or internal."""

from __future__ import annotations

import datetime as dt

from figures import no_programmes, returns

from rrms.reports.bulletin import news_in_brief, period_phrase
from rrms.reports.rendering import render_bulletin_html


def test_avr_sentence_reads_like_the_bulletin():
    news = news_in_brief(returns(), no_programmes())
    assert news[0] == (
        "During the last three months, 472 Kosovars returned through the AVR programme, "
        "of which 441 by plane and 31 by land."
    )
    assert news[1] == (
        "Most of them came from Germany (310), the Netherlands (52), the United Kingdom (46), "
        "Austria (26) and Belgium (22), and a small number from various other countries."
    )
    assert news[2].startswith("Since June 1999, a total of 187,739 returnees have been assisted.")
    assert (
        "Prishtinë/Priština region (37.6%), Ferizaj/Uroševac (14.9%), Pejë/Peć (13.1%)" in news[2]
    )
    assert news[3] == (
        "From August until October 2004, secondary land transportation was provided to "
        "462 returnees. Since 1999, 9,613 returnees were provided with this type of assistance."
    )


def test_public_sentence_says_fewer_than_five_and_drops_the_protecting_figure():
    news = news_in_brief(returns(public=True, land=3), no_programmes(public=True))
    assert news[0] == (
        "During the last three months, 472 Kosovars returned through the AVR programme, "
        "of which fewer than five by land."
    )
    assert all("469" not in sentence for sentence in news)


def test_period_phrase():
    assert period_phrase(dt.date(2004, 8, 1), dt.date(2004, 10, 31)) == (
        "During the last three months"
    )
    assert period_phrase(dt.date(2004, 10, 1), dt.date(2004, 10, 31)) == "In October 2004"
    assert period_phrase(dt.date(2004, 8, 3), dt.date(2004, 9, 30)) == (
        "Between 3 August 2004 and 30 September 2004"
    )


def test_public_html_never_shows_a_hidden_count():
    html = render_bulletin_html(returns(public=True, small_country=3), no_programmes(public=True))
    assert "Public version." in html
    assert "&lt;5" in html
    # Liechtenstein's 3 arrivals appear nowhere as a number next to its name
    assert '>Liechtenstein</td>\n    <td class="n hidden">&lt;5</td>' in html
    assert "=HYPERLINK" not in html.split("<body>")[0]


def test_confidential_programme_is_folded_into_other_in_public():
    internal = returns().to_json()["returns"]["by_programme"]
    public = returns(public=True).to_json()["returns"]["by_programme"]
    assert internal["CT"] == 2 and "other" not in internal
    assert "CT" not in public and public["other"] is None  # 2: hidden, with its neighbour
