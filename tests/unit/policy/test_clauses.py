"""One test per clause, and per way each clause can end in review."""

import datetime as dt

import pytest

from support.population import answered, blank, one


def test_fully_answered_albanian_from_albanian_area_is_accepted():
    result = one(answered())
    assert result == {
        "outcome": "accept",
        "clauses": [],
        "missing": [],
        "explanation": result["explanation"],
    }
    assert "No objection" in result["explanation"]


@pytest.mark.parametrize("community", ["serb", "roma", "ashkali", "egyptian"])
def test_a1_objects_to_serbs_and_rae(community):
    result = one(answered(community=community, area="serb"))
    assert result["outcome"] == "object"
    assert result["clauses"] == ["A1"]
    assert result["missing"] == []
    assert "\u201cKosovo Serbs, Roma, Ashkaeli and Egyptians (RAE)\u201d" in result["explanation"]


def test_a1_needs_no_other_answer_to_object():
    result = one(blank(community="serb"))
    assert result["outcome"] == "object"
    assert result["clauses"] == ["A1"]
    assert result["missing"] == []


def test_unknown_community_is_review_asking_for_community():
    result = one(answered(community=None))
    assert result["outcome"] == "review"
    assert result["missing"] == ["community"]
    assert "A1" in result["explanation"] and "A2" in result["explanation"]


@pytest.mark.parametrize("community", ["albanian", "bosniak"])
def test_a2_objects_to_albanians_and_bosniaks_from_minority_areas(community):
    result = one(answered(community=community, area="serb"))
    assert result["outcome"] == "object"
    assert result["clauses"] == ["A2"]


def test_a2_bosniak_in_albanian_majority_area_is_a_minority():
    assert one(answered(community="bosniak", area="albanian"))["clauses"] == ["A2"]


def test_a2_mixed_area_is_read_protectively():
    assert one(answered(area="mixed"))["outcome"] == "object"


def test_a2_does_not_apply_to_majority_community():
    assert one(answered(area="albanian"))["outcome"] == "accept"


def test_a2_unknown_origin_is_review_asking_for_municipality():
    result = one(answered(area=None))
    assert result["outcome"] == "review"
    assert result["missing"] == ["origin_municipality"]


def test_a2_mitrovica_without_settlement_is_review_asking_for_settlement():
    result = one(answered(area="settlement_needed"))
    assert result["outcome"] == "review"
    assert result["missing"] == ["origin_settlement"]


def test_a2_unknown_origin_does_not_matter_for_a_turk():
    assert one(answered(community="turk", area=None))["outcome"] == "accept"


def test_a3a_protection_problems():
    result = one(answered(protection_problems="yes"))
    assert (result["outcome"], result["clauses"]) == ("object", ["A3a"])


def test_a3a_unknown_is_review():
    assert one(answered(protection_problems=None))["missing"] == ["protection_problems"]


def test_a3b_only_albanians_in_mixed_marriages():
    assert one(answered(mixed_marriage="yes"))["clauses"] == ["A3b"]
    assert one(answered(community="turk", mixed_marriage="yes"))["outcome"] == "accept"


def test_a3b_unknown_marriage_is_review_for_albanian_only():
    assert one(answered(mixed_marriage=None))["missing"] == ["mixed_marriage"]
    assert one(answered(community="turk", mixed_marriage=None))["outcome"] == "accept"


def test_a3c_mixed_ethnicity_whatever_the_community():
    assert one(answered(community="turk", mixed_ethnicity="yes"))["clauses"] == ["A3c"]
    assert one(answered(mixed_ethnicity=None))["missing"] == ["mixed_ethnicity"]


@pytest.mark.parametrize("community", ["albanian", "gorani", "bosniak"])
def test_a3d_perceived_association(community):
    area = "albanian" if community == "albanian" else community
    result = one(answered(community=community, area=area, perceived_association="yes"))
    assert "A3d" in result["clauses"]


def test_a3d_not_for_turks_and_unknown_is_review():
    assert one(answered(community="turk", perceived_association="yes"))["outcome"] == "accept"
    assert one(answered(perceived_association=None))["missing"] == ["perceived_association"]


def test_b1_severe_illness_treatment_unavailable():
    result = one(answered(severe_illness="yes", treatment_availability="unavailable"))
    assert (result["outcome"], result["clauses"]) == ("object", ["B1"])


@pytest.mark.parametrize("availability", ["available", "rarely"])
def test_b1_does_not_apply_when_treatment_available_or_rarely(availability):
    assert (
        one(answered(severe_illness="yes", treatment_availability=availability))["outcome"]
        == "accept"
    )


def test_b1_illness_yes_availability_unknown_is_review():
    result = one(answered(severe_illness="yes"))
    assert result["outcome"] == "review"
    assert result["missing"] == ["treatment_availability"]


def test_b1_unknown_illness_asks_only_illness_not_availability():
    result = one(answered(severe_illness=None))
    assert result["missing"] == ["severe_illness"]


@pytest.mark.parametrize("availability", ["unavailable", "rarely"])
def test_b2_mental_illness_unavailable_or_rarely(availability):
    result = one(answered(severe_mental_illness="yes", treatment_availability=availability))
    assert result["clauses"] == ["B2"]
    assert "PTSD" in result["explanation"]


def test_b2_available_treatment_accepts_and_unknown_is_review():
    assert (
        one(answered(severe_mental_illness="yes", treatment_availability="available"))["outcome"]
        == "accept"
    )
    assert one(answered(severe_mental_illness="yes"))["missing"] == ["treatment_availability"]
    assert one(answered(severe_mental_illness=None))["missing"] == ["severe_mental_illness"]


def test_b3_severe_handicap_without_support():
    result = one(answered(severe_handicap="yes", support_availability="unavailable"))
    assert result["clauses"] == ["B3"]


def test_b3_support_available_accepts_and_unknown_support_is_review():
    assert (
        one(answered(severe_handicap="yes", support_availability="available"))["outcome"]
        == "accept"
    )
    result = one(answered(severe_handicap="yes"))
    assert (result["outcome"], result["missing"]) == ("review", ["support_availability"])
    assert one(answered(severe_handicap=None))["missing"] == ["severe_handicap"]


def test_b4_unaccompanied_elderly_without_support():
    result = one(answered(birth_date="1939", support_in_kosovo="no"))
    assert (result["outcome"], result["clauses"]) == ("object", ["B4"])


def test_b4_support_in_kosovo_rules_it_out():
    assert one(answered(birth_date="1939", support_in_kosovo="yes"))["outcome"] == "accept"


def test_b4_elderly_unaccompanied_unknown_support_is_review():
    result = one(answered(birth_date="1939", support_in_kosovo=None))
    assert (result["outcome"], result["missing"]) == ("review", ["support_in_kosovo"])


def test_b4_unknown_birth_date_with_other_conditions_true_is_review():
    result = one(answered(birth_date=None, support_in_kosovo="no"))
    assert (result["outcome"], result["missing"]) == ("review", ["birth_date"])


def test_b4_young_person_is_not_asked_about_support():
    assert one(answered(support_in_kosovo=None))["outcome"] == "accept"


def test_b4_unknown_birth_date_but_support_yes_needs_nothing():
    assert one(answered(birth_date=None, support_in_kosovo="yes"))["outcome"] == "accept"


@pytest.mark.parametrize(
    ("birth_date", "as_of", "elderly"),
    [
        ("1944", dt.date(2004, 12, 31), True),
        ("1944", dt.date(2004, 12, 30), False),
        ("1945", dt.date(2005, 6, 30), False),
        ("1945-06", dt.date(2005, 6, 30), True),
        ("1945-06", dt.date(2005, 6, 29), False),
        ("1948-02", dt.date(2008, 2, 29), True),
        ("1948-02", dt.date(2008, 2, 28), False),
        ("1945-06-15", dt.date(2005, 6, 15), True),
        ("1945-06-15", dt.date(2005, 6, 14), False),
        ("15.06.1945", dt.date(2005, 6, 15), True),
    ],
)
def test_elderly_boundary_counts_partial_dates_by_their_latest_day(birth_date, as_of, elderly):
    result = one(answered(birth_date=birth_date, support_in_kosovo="no"), as_of=as_of)
    assert (result["outcome"] == "object") is elderly
    assert (result["clauses"] == ["B4"]) is elderly


def test_several_clauses_are_all_cited():
    result = one(answered(community="roma", area="roma", protection_problems="yes"))
    assert result["clauses"] == ["A1", "A3a"]


def test_object_person_is_not_asked_remaining_questions():
    result = one(blank(community="serb", protection_problems=None))
    assert result["missing"] == []


def test_blank_person_is_review_with_every_screening_question():
    # Alone on the list, so B4 asks first whether the person is elderly.
    result = one(blank())
    assert result["outcome"] == "review"
    assert result["missing"] == [
        "community",
        "birth_date",
        "protection_problems",
        "mixed_ethnicity",
        "severe_illness",
        "severe_mental_illness",
        "severe_handicap",
    ]


def test_not_from_kosovo_is_not_applicable():
    result = one(blank(community="serb", not_kosovo=True))
    assert (result["outcome"], result["clauses"], result["missing"]) == (
        "not_applicable",
        [],
        [],
    )
