"""The officer's and the caseworker's journey in Albanian: no English outside a quote.

A page in Albanian shows every word in Albanian: its own text, the vocabulary (outcomes,
communities, sex, questions and their yes/no choices), the screening explanations (the
policy's clause quoted in English, as the policy is written, with an Albanian gloss
beside it) and the refusals of the services. These tests read the visible text of the
pages and look for English words that must not be there.
"""

import re
from pathlib import Path

from playwright.sync_api import expect

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"

ENGLISH = (
    "Search",
    "Family",
    "Return",
    "decision",
    "Decision",
    "Download",
    "Explanation",
    "Outcome",
    "Questions",
    "Person",
    "Community",
    "Born",
    "Record",
    "Apply",
    "accept",
    "object",
    "review",
    "unknown",
    "female",
    "Albanian",
    "Individual assessment",
    "clause",
    "policy version",
    "forced return",
    "answers are needed",
    "treatment",
    "No objection",
    "Voluntary",
)
QUOTED = re.compile("\\([^()\u201c]*\u201c[^\u201d]*\u201d\\)")
"""A clause quoted in the policy's words, with its lead-in: "(At present, … “…”)"."""


def english_words(text: str) -> list[str]:
    """The English words of `text` once the quoted policy clauses are taken out."""
    unquoted = QUOTED.sub(" ", text)
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", unquoted)]


def in_albanian(page, base_url):
    page.goto(f"{base_url}/")
    page.locator("#language-choice").select_option("sq")
    page.locator("#language-choice ~ button").click()
    expect(page.locator("html")).to_have_attribute("lang", "sq")


def visible(page) -> str:
    return page.locator("header nav").inner_text() + "\n" + page.locator("main").inner_text()


def test_screening_results_in_albanian(signed_in, base_url, tmp_path):
    listed = tmp_path / "list.csv"
    listed.write_text(  # DE-0008: is her marriage ethnically mixed? (clause A3b)
        EXAMPLE.read_text(encoding="utf-8")
        + "DE-0008,F8,Hoxha,Arta,,f,1985,head,albanian,,Prizren,,forced,DE,"
        "no,,no,no,no,no,,no,,,yes,,,\n",
        encoding="utf-8",
    )
    page = signed_in("screening_officer")
    in_albanian(page, base_url)
    page.goto(f"{base_url}/screening")
    page.locator("#file").set_input_files(str(listed))
    page.locator("#as_of").fill("2004-11-15")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#summary-object")).to_be_visible()
    text = visible(page)
    assert english_words(text) == [], text
    # the clause stays in the policy's English, its Albanian gloss beside it
    assert "\u201cUnaccompanied elderly persons" in text
    assert "Të moshuarit e pashoqëruar" in text
    assert "klauzola B4" in text
    # the open question and its yes/no choices in Albanian
    question = page.locator("#person-DE-0008")
    assert "martesë etnikisht e përzier" in question.inner_text()
    choices = question.get_by_label("martesë etnikisht e përzier").locator("option")
    assert choices.all_inner_texts() == ["nuk dihet", "po", "jo"]


def test_person_search_and_page_in_albanian(signed_in, base_url):
    page = signed_in("caseworker")
    in_albanian(page, base_url)
    page.goto(f"{base_url}/persons/new")
    for field, value in (
        ("family_name", "Krasniqi"),
        ("given_name", "Vjosa"),
        ("birth_date", "1979"),
        ("origin_municipality", "Pejë"),
    ):
        page.locator(f"#f-{field}").fill(value)
    page.locator("#f-sex").select_option("f")
    page.locator("#f-community").select_option("albanian")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/persons/\d+$"))
    text = visible(page)
    assert english_words(text) == [], text
    assert "femër" in text and "shqiptar" in text

    page.goto(f"{base_url}/persons?q=Krasniqi")
    expect(page.locator("main")).to_contain_text("Vjosa")
    text = visible(page)
    assert english_words(text) == [], text


def test_a_service_refusal_is_shown_in_albanian(signed_in, base_url):
    page = signed_in("caseworker")
    in_albanian(page, base_url)
    page.goto(f"{base_url}/persons?q=%21%21")
    message = page.locator("main").inner_text()
    assert "shkruani të paktën një shkronjë të një emri" in message
    assert "type at least one letter" not in message


def test_serbian_in_cyrillic_is_chosen_in_the_header(signed_in, base_url):
    page = signed_in("caseworker")
    page.goto(f"{base_url}/persons")
    page.locator("#language-choice").select_option(label="Српски")
    page.locator("#language-choice ~ button").click()
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl")
    text = visible(page)
    assert re.search("[\u0400-\u04ff]{4}", text), text
    assert not re.search(r"\b(?:Pretraži|Lica|Search)\b", text), text
