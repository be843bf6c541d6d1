"""The rule that keeps arrivals out of confidential units' programmes."""

import pickle

from rrms.domain.confidential_programmes import returns_refusal
from rrms.services.returns.arrivals import ProgrammeCodes, check_programme


def test_an_open_programme_is_allowed_and_a_confidential_one_refused():
    assert returns_refusal("AVR", None) is None
    refusal = returns_refusal("CT-KVOT", "counter_trafficking")
    assert refusal is not None
    assert "CT-KVOT" in refusal and "counter trafficking unit" in refusal
    assert "recorded in the unit's confidential case instead" in refusal


def test_the_programme_column_refuses_a_confidential_code_in_any_case():
    codes = ProgrammeCodes({"AVR": 1, "MH": 2}, {"MH": "medical"})
    assert check_programme(" avr ", codes) == 1
    problem = check_programme("mh", codes)
    assert not isinstance(problem, int | None) and "medical unit" in problem.message
    # the codes travel to the import's checking process with what they know
    copy = pickle.loads(pickle.dumps(codes))
    assert copy == codes and copy.confidential == {"MH": "medical"}
