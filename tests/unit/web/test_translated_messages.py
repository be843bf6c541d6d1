"""Service messages, screening explanations and words on the pages, in every language.

A service's refusal is one English sentence for the API and the CLI and a translated one
on the pages (`rrms.domain.messages`); an explanation keeps each quoted clause in the
policy's English with a gloss; every stored code has a label; and Serbian in Cyrillic
is the Serbian Latin catalogue transliterated, placeholders and codes untouched.
"""

from __future__ import annotations

import html
import itertools
import json
import pickle
import re

import pytest

from rrms.domain.caps import cap_use, check_within_cap
from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_, Message, Word
from rrms.domain.money import Money
from rrms.policy.engine import FAMILY_EFFECT_OBJECT, FAMILY_EFFECT_REVIEW, OUTCOMES
from rrms.policy.explain import TEMPLATES, Explainer, parse
from rrms.policy.facts import MISSING_BIT
from rrms.policy.versions import PolicyCatalogue
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Forbidden
from rrms.web.i18n import CYRILLIC, LANGUAGES, choose_language, environment, translations
from rrms.web.words import LABELS


def cap_refusal() -> RuleBroken:
    use = cap_use("VARRP", Money.parse("1,000.00 GBP"), [Money.parse("900.00 GBP")])
    with pytest.raises(RuleBroken) as refused:
        check_within_cap("VARRP", "reintegration support", use, Money.parse("200.00 GBP"))
    return refused.value


def shown(language: str, value: object) -> str:
    return environment(language).from_string("{{ value }}").render(value=value)


def test_a_message_is_its_english_sentence_for_the_api_and_the_cli() -> None:
    message = cap_refusal().message
    assert isinstance(message, Message)
    assert message == (
        "VARRP caps reintegration support at 1,000.00 GBP per person; 900.00 GBP is already "
        "approved or requested, so 200.00 GBP would exceed it by 100.00 GBP"
    )
    assert json.loads(json.dumps({"detail": message})) == {"detail": str(message)}
    again = pickle.loads(pickle.dumps(message))
    assert again == message and again.template == message.template
    assert shown("en", message) == str(message)


def test_a_service_message_is_translated_on_the_page_with_its_values() -> None:
    message = cap_refusal().message
    albanian = shown("sq", message)
    assert albanian.startswith("VARRP e kufizon reintegration support në 1,000.00 GBP për person")
    assert "100.00 GBP" in albanian and "would exceed" not in albanian
    assert shown("sr", message).startswith("VARRP ograničava")


def test_codes_among_the_values_are_shown_as_words() -> None:
    with pytest.raises(Forbidden) as refused:
        authorize(Actor(user_id=1, username="r", role="reporting"), "persons", "read")
    assert refused.value.message == "the role 'reporting' may not see persons"
    assert html.unescape(shown("sq", refused.value.message)) == (
        "roli 'raportim' nuk mund të shohë person"
    )
    assert html.unescape(shown("sr", refused.value.message)) == (
        "uloga 'izveštavanje' ne sme da vidi lice"
    )


def test_a_message_missing_from_the_catalogue_is_shown_in_english() -> None:
    message = N_("no such thing {name}", name=Word("accept"))
    assert shown("sq", message) == "no such thing pranohet"  # its word still translated


def policy_explainer() -> Explainer:
    return Explainer(PolicyCatalogue.bundled().in_force(__import__("datetime").date(2005, 1, 1)))


def every_explanation() -> list[Message]:
    explainer = policy_explainer()
    ids = [c.id for c in explainer.policy.clauses]
    bit = {clause: 1 << ids.index(clause) for clause in ids}
    masks = [0, bit["A1"], bit["A1"] | bit["B4"], bit["D"], bit["D"] | bit["B1"]]
    missing = [0, MISSING_BIT["community"] | MISSING_BIT["mixed_marriage"]]
    effects = [0, FAMILY_EFFECT_OBJECT, FAMILY_EFFECT_REVIEW]
    made = [
        explainer.explain(outcome, clauses, bit["A3b"] | bit["B2"], gaps, effect)
        for outcome, clauses, gaps, effect in itertools.product(
            range(len(OUTCOMES)), masks, missing, effects
        )
    ]
    return made


def test_every_explanation_is_read_back_from_its_text() -> None:
    made = every_explanation()
    assert {m.template for m in made} == set(TEMPLATES)  # every template is reached
    for message in made:
        found = parse(str(message))
        assert found is not None, str(message)
        assert found == message and found.template == message.template


def test_an_explanation_keeps_the_clause_in_english_with_a_gloss() -> None:
    explainer = policy_explainer()
    clause = explainer.policy.clause("A3b")
    text = str(explainer.explain(2, 0, 1 << explainer.policy.clauses.index(clause), 0, 0))
    page = environment("sq").from_string("{{ text|explanation }}").render(text=text)
    assert f"“{clause.text}”" in page  # the policy's own words
    assert "Shqiptarët e Kosovës në martesa etnikisht të përziera" in page  # the gloss
    assert page.startswith("Nevojitet vlerësim individual")
    assert "Individual assessment" not in page and "clause A3b" not in page
    assert "klauzola A3b" in page
    english = environment("en").from_string("{{ text|explanation }}").render(text=text)
    assert english == text.replace("“", "&#34;").replace("”", "&#34;") or english == text


def test_text_that_is_no_explanation_is_shown_as_it_is() -> None:
    page = environment("sq").from_string("{{ text|explanation }}").render(text="a note")
    assert page == "a note"


def codes_shown_on_pages() -> dict[str, tuple[str, ...]]:
    from rrms.domain import vocabulary
    from rrms.formats.vocabulary import RELATIONSHIP, SEX, YES_NO
    from rrms.policy.facts import CATEGORICAL_FACTS, MISSABLE_FACTS, YES_NO_FACTS
    from rrms.reference.communities import COMMUNITY_CODES
    from rrms.services.programmes.assistance import ASSISTANCE_KINDS
    from rrms.services.programmes.confidential import CASE_TYPES
    from rrms.services.programmes.information_requests import TOPICS
    from rrms.services.records.documents import DOCUMENT_KINDS

    codes = {
        name: value
        for name, value in vars(vocabulary).items()
        if name.isupper()
        and isinstance(value, tuple)
        and name not in ("CURRENCIES", "SHARING_FORMATS")  # ISO codes and file types
    }
    codes |= {
        "COMMUNITY_CODES": COMMUNITY_CODES,
        "SEX": tuple(SEX.canonical),
        "RELATIONSHIP": tuple(RELATIONSHIP.canonical),
        "YES_NO": tuple(YES_NO.canonical),
        "ASSISTANCE_KINDS": ASSISTANCE_KINDS,
        "TOPICS": TOPICS,
        "CASE_TYPES": tuple(t for types in CASE_TYPES.values() for t in types),
        "DOCUMENT_KINDS": tuple(DOCUMENT_KINDS.canonical),
        "FACTS": MISSABLE_FACTS + YES_NO_FACTS,
        "CATEGORIES": tuple(c for f in CATEGORICAL_FACTS.values() for c in f.categories),
    }
    return codes


def test_every_stored_code_has_a_label() -> None:
    missing = {
        name: [code for code in codes if code not in LABELS]
        for name, codes in codes_shown_on_pages().items()
    }
    assert {name: codes for name, codes in missing.items() if codes} == {}


def test_serbian_in_cyrillic_is_a_language_to_choose() -> None:
    assert LANGUAGES[CYRILLIC] == "Српски"
    assert choose_language(CYRILLIC, None, None) == CYRILLIC
    assert choose_language(None, None, "sr-Cyrl-RS,sr;q=0.8") == CYRILLIC
    assert choose_language(None, None, "sr-Latn,en") == "sr"
    page = environment(CYRILLIC).from_string('{{ _("Family %(ref)s", ref="F-12") }}')
    assert page.render() == "Породица F-12"


PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sdr]|\{[^{}]*\}|<[^>]*>")


def test_cyrillic_keeps_placeholders_markup_and_codes() -> None:
    from babel.messages.pofile import read_po

    from rrms.i18n import _read_catalogue

    catalogue: object = _read_catalogue("sr")
    assert read_po  # the Latin catalogue is the one source
    gettext = translations(CYRILLIC).gettext
    for message in catalogue:  # type: ignore[attr-defined]
        if not message.id or not isinstance(message.id, str):
            continue
        latin, cyrillic = message.string, gettext(message.id)
        assert sorted(PLACEHOLDER.findall(cyrillic)) == sorted(PLACEHOLDER.findall(latin))
        for code in re.findall(r"\b(?:CSV|XLSX|PDF|UNMIK|YYYY-MM-DD|[A-Z]\d[a-z]?)\b", latin):
            assert code in cyrillic, (code, cyrillic)
    assert re.search("[\u0400-\u04ff]", gettext("Return and Reintegration Management System"))
