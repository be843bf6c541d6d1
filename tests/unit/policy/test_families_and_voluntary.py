"""Clause C (family unity with the best-interests exception) and clause D (voluntary)."""

from support.population import answered, blank, outcomes, screen


def family(*people):
    return [dict(p, family="F1", ref=f"M{i}") for i, p in enumerate(people)]


def test_object_member_makes_whole_family_object_citing_c_and_member_clause():
    result = screen(family(answered(), answered(community="serb", area="serb"), answered()))
    rows = outcomes(result)
    assert [r["outcome"] for r in rows] == ["object"] * 3
    assert rows[0]["clauses"] == ["A1", "C"]
    assert rows[1]["clauses"] == ["A1"]
    assert (
        "C (" in rows[0]["explanation"] and "best interests of the child" in rows[0]["explanation"]
    )
    assert result.family_outcome.tolist() == [3]


def test_best_interests_determination_keeps_own_outcome():
    rows = outcomes(
        screen(
            family(
                answered(community="serb", area="serb"),
                answered(best_interests_separation="yes"),
            )
        )
    )
    assert rows[1]["outcome"] == "accept"
    assert rows[1]["clauses"] == []


def test_review_member_makes_accept_members_review_citing_c():
    result = screen(family(answered(), answered(protection_problems=None)))
    rows = outcomes(result)
    assert [r["outcome"] for r in rows] == ["review", "review"]
    assert rows[0]["clauses"] == ["C"]
    assert rows[0]["missing"] == []
    assert rows[1]["missing"] == ["protection_problems"]
    assert result.family_outcome.tolist() == [2]


def test_object_wins_over_review_in_a_family():
    rows = outcomes(screen(family(answered(protection_problems=None), blank(community="roma"))))
    assert rows[0]["outcome"] == "object"
    assert rows[0]["clauses"] == ["A1", "C"]
    assert rows[0]["missing"] == []


def test_caregiver_of_severely_handicapped_person_is_covered_by_b3():
    people = [
        answered(ref="H", family="F", severe_handicap="yes", support_availability="unavailable"),
        answered(ref="K", family="F", caregiver_of="H", best_interests_separation="yes"),
    ]
    rows = outcomes(screen(people))
    assert rows[1]["outcome"] == "object"
    assert rows[1]["clauses"] == ["B3"]


def test_caregiver_in_another_family_is_covered_too():
    people = [
        answered(ref="H", severe_handicap="yes", support_availability="unavailable"),
        answered(ref="K", caregiver_of="H"),
    ]
    assert outcomes(screen(people))[1]["clauses"] == ["B3"]


def test_caregiver_of_person_with_unknown_support_is_review():
    people = [
        answered(ref="H", severe_handicap="yes"),
        answered(ref="K", caregiver_of="H"),
    ]
    rows = outcomes(screen(people))
    assert rows[1]["outcome"] == "review"
    assert rows[1]["missing"] == []
    assert "cares for" in rows[1]["explanation"]


def test_family_member_is_not_unaccompanied():
    rows = outcomes(screen(family(answered(birth_date="1930", support_in_kosovo="no"), answered())))
    assert [r["outcome"] for r in rows] == ["accept", "accept"]


def test_voluntary_with_informed_consent_is_accept_citing_d():
    result = outcomes(screen([blank(return_type="voluntary", informed_consent="yes")]))[0]
    assert (result["outcome"], result["clauses"], result["missing"]) == ("accept", ["D"], [])
    assert "without coercion" in result["explanation"]


def test_voluntary_without_consent_is_review_asking_only_consent():
    for consent in (None, "no"):
        result = outcomes(screen([blank(return_type="voluntary", informed_consent=consent)]))[0]
        assert (result["outcome"], result["missing"]) == ("review", ["informed_consent"])


def test_voluntary_serb_is_told_which_clauses_apply():
    result = outcomes(
        screen([blank(return_type="voluntary", informed_consent="yes", community="serb")])
    )[0]
    assert result["outcome"] == "accept"
    assert result["clauses"] == ["A1", "D"]
    assert "counselling" in result["explanation"]


def test_not_applicable_member_does_not_change_or_follow_the_family():
    rows = outcomes(screen(family(blank(community="serb", not_kosovo=True), answered())))
    assert [r["outcome"] for r in rows] == ["not_applicable", "accept"]
    rows = outcomes(screen(family(blank(not_kosovo=True), answered(community="serb", area="serb"))))
    assert rows[0]["outcome"] == "not_applicable"
