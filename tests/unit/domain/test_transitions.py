"""Status workflows as pure rules: each table covers its statuses and only moves forward."""

import pytest

from rrms.domain import vocabulary
from rrms.domain.errors import RuleBroken
from rrms.domain.transitions import (
    ASSISTANCE_TRANSITIONS,
    HOUSING_TRANSITIONS,
    INFORMATION_REQUEST_TRANSITIONS,
    PROJECT_TRANSITIONS,
    check_transition,
)

WORKFLOWS = [
    (ASSISTANCE_TRANSITIONS, vocabulary.ASSISTANCE_STATUSES),
    (PROJECT_TRANSITIONS, vocabulary.PROJECT_STATUSES),
    (HOUSING_TRANSITIONS, vocabulary.HOUSING_STATUSES),
    (INFORMATION_REQUEST_TRANSITIONS, vocabulary.INFORMATION_REQUEST_STATUSES),
]


@pytest.mark.parametrize(("table", "statuses"), WORKFLOWS)
def test_every_status_has_a_row_and_every_step_leads_to_a_status(table, statuses):
    assert set(table) == set(statuses)
    assert all(step in statuses for steps in table.values() for step in steps)


@pytest.mark.parametrize(("table", "statuses"), WORKFLOWS)
def test_staying_put_is_always_allowed(table, statuses):
    for status in statuses:
        check_transition("a record", table, status, status)


@pytest.mark.parametrize(("table", "statuses"), WORKFLOWS[1:])
def test_the_step_by_step_workflows_follow_the_vocabulary_order(table, statuses):
    for current, new in zip(statuses, statuses[1:], strict=False):
        assert table[current] == (new,)
    assert table[statuses[-1]] == ()


def test_a_step_not_allowed_names_the_allowed_ones():
    with pytest.raises(RuleBroken) as caught:
        check_transition("a project", PROJECT_TRANSITIONS, "approved", "completed")
    assert caught.value.field == "status"
    assert caught.value.message == (
        "a project cannot go from approved to completed; from approved it can go to ongoing"
    )
    with pytest.raises(RuleBroken) as caught:
        check_transition("assistance", ASSISTANCE_TRANSITIONS, "requested", "paid")
    assert caught.value.message == (
        "assistance cannot go from requested to paid; from requested it can go to approved, refused"
    )


def test_a_final_status_says_so():
    with pytest.raises(RuleBroken) as caught:
        check_transition("assistance", ASSISTANCE_TRANSITIONS, "paid", "refused")
    assert caught.value.message == (
        "assistance cannot go from paid to refused; from paid it can go to nothing: it is final"
    )


def test_an_unknown_current_status_allows_nothing():
    with pytest.raises(RuleBroken):
        check_transition("a house", HOUSING_TRANSITIONS, "demolished", "finished")
