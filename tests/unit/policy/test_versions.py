"""Dated policy versions: a new version is a data file, not new code."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from rrms.policy.versions import PolicyCatalogue, PolicyError, parse_policy, source_text
from support.population import answered, outcomes, screen

TEST_VERSION = Path(__file__).parents[2] / "fixtures" / "policy" / "test-only-2010-01.json"


def catalogue():
    return PolicyCatalogue.bundled([TEST_VERSION])


def test_2004_version_is_in_force_from_august_2004():
    policy = PolicyCatalogue.bundled().in_force(dt.date(2004, 8, 1))
    assert policy.id == "unmik-orc-2004-08"
    assert policy.elderly_age == 60


def test_date_before_first_version_is_an_error_not_a_guess():
    with pytest.raises(PolicyError, match="2004-08-01"):
        PolicyCatalogue.bundled().in_force(dt.date(2004, 7, 31))


def test_later_version_is_picked_by_date():
    assert catalogue().in_force(dt.date(2009, 12, 31)).id == "unmik-orc-2004-08"
    assert catalogue().in_force(dt.date(2010, 1, 1)).id == "test-only-2010-01"


def test_later_version_changes_elderly_age_without_code():
    later = catalogue().in_force(dt.date(2010, 6, 1))
    person = answered(birth_date="1948-01-01", support_in_kosovo="no")
    as_2004_rules = outcomes(screen([person], dt.date(2009, 12, 31)))[0]
    as_2010_rules = outcomes(screen([person], dt.date(2010, 6, 1), later))[0]
    assert as_2004_rules["outcome"] == "object"
    assert as_2010_rules["outcome"] == "accept"


def test_later_version_drops_a_clause():
    later = catalogue().in_force(dt.date(2010, 6, 1))
    person = answered(mixed_marriage="yes")
    assert outcomes(screen([person], dt.date(2009, 12, 31)))[0]["clauses"] == ["A3b"]
    assert outcomes(screen([person], dt.date(2010, 6, 1), later))[0]["outcome"] == "accept"
    assert not later.has_clause("A3b")


def _words(text):
    return re.sub(r"\s+", " ", text).strip()


def test_every_clause_quotes_the_policy_word_for_word():
    policy = PolicyCatalogue.bundled().get("unmik-orc-2004-08")
    source = _words(source_text(policy.id))
    for clause in policy.clauses:
        assert _words(clause.text) in source, clause.id
    for lead_in in policy.lead_ins.values():
        assert _words(lead_in) in source


def test_clause_ids_are_those_of_the_spec():
    policy = PolicyCatalogue.bundled().get("unmik-orc-2004-08")
    assert [c.id for c in policy.clauses] == [
        "P",
        "A1",
        "A2",
        "A3a",
        "A3b",
        "A3c",
        "A3d",
        "B1",
        "B2",
        "B3",
        "B4",
        "C",
        "D",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v["clauses"][1]["when"][0][0].update(fact="shoe_size"), "unknown fact"),
        (lambda v: v["clauses"][1]["when"][0][0].update({"in": ["martian"]}), 'needs "in"'),
        (lambda v: v["parameters"].pop("elderly_age"), "elderly_age"),
        (lambda v: v["clauses"][1].update(kind="wish"), "kind"),
        (lambda v: v["clauses"][2]["when"][0][1].update(derived="luck"), "derived"),
    ],
)
def test_malformed_policy_files_are_refused(change, message):
    raw = json.loads(TEST_VERSION.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(PolicyError, match=message):
        parse_policy(raw)
