from rrms.domain.screening_decisions import Progress, reason_missing, tally, written_reason
from rrms.domain.vocabulary import OUTCOMES


def test_a_reason_is_stored_trimmed_and_blank_is_none() -> None:
    assert written_reason("  known to the police  ") == "known to the police"
    assert written_reason("   ") is None
    assert written_reason("") is None
    assert written_reason(None) is None


def test_an_override_needs_a_written_reason() -> None:
    assert reason_missing("accept", "object", None)
    assert reason_missing("accept", "object", " \t ")
    assert not reason_missing("accept", "object", "the family was reunited")


def test_following_the_recommendation_needs_no_reason() -> None:
    assert not reason_missing("review", "review", None)
    assert not reason_missing("review", "review", "")


def test_an_empty_list_counts_zero_for_every_outcome() -> None:
    progress = tally([])
    assert progress == Progress(
        dict.fromkeys(OUTCOMES, 0), dict.fromkeys(OUTCOMES, 0), undecided=0, overridden=0
    )
    assert list(progress.recommended) == list(OUTCOMES)


def test_tally_counts_recommended_decided_undecided_and_overridden() -> None:
    progress = tally(
        [
            ("accept", None, 5),
            ("accept", "accept", 3),
            ("object", "accept", 2),
            ("review", "object", 1),
            ("review", None, 4),
        ]
    )
    assert progress.recommended == {"not_applicable": 0, "accept": 8, "review": 5, "object": 2}
    assert progress.decided == {"not_applicable": 0, "accept": 5, "review": 0, "object": 1}
    assert progress.undecided == 9
    assert progress.overridden == 3
