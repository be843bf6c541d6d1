"""Eligibility as a pure rule: plain facts in, the reason (or None) out, no database."""

import datetime as dt

from rrms.domain.eligibility import ProgrammeTerms, check_eligibility

COMMUNITIES = {"albanian": "Albanian", "serb": "Serb", "ashkali": "Ashkali"}
COUNTRIES = {"CH": "Switzerland (CH)", "LI": "Liechtenstein (LI)", "DE": "Germany (DE)"}

VARRP = ProgrammeTerms(code="VARRP", communities=("albanian",), sending_countries=("GB",))
SMR = ProgrammeTerms(code="SMR", sending_countries=("CH", "LI"))
AVR_VD = ProgrammeTerms(
    code="AVR-VD", period_start=dt.date(2004, 9, 1), period_end=dt.date(2004, 12, 31)
)


def reason(terms, community=None, returned_from=(), on=None):
    return check_eligibility(
        terms,
        community=community,
        returned_from=returned_from,
        on=on,
        community_name=COMMUNITIES.__getitem__,
        country_name=lambda code: COUNTRIES.get(code, code),
    )


def test_a_programme_open_to_anyone_admits_anyone():
    assert reason(ProgrammeTerms(code="KHRP")) is None
    assert reason(ProgrammeTerms(code="KHRP"), on=dt.date(1999, 1, 1)) is None


def test_the_community_must_be_one_of_the_programmes():
    assert reason(VARRP, "serb", ["GB"]) == (
        "VARRP is only for Albanian returnees; this person is recorded as Serb"
    )
    assert reason(VARRP, "albanian", ["GB"]) is None


def test_an_unrecorded_community_says_what_to_record():
    assert reason(VARRP, None, ["GB"]) == (
        "VARRP is only for Albanian returnees, and this person's community is not recorded; "
        "record it first"
    )


def test_several_names_read_as_a_list_with_or():
    terms = ProgrammeTerms(code="X", communities=("albanian", "serb", "ashkali"))
    assert reason(terms, None) == (
        "X is only for Albanian, Serb or Ashkali returnees, and this person's community is "
        "not recorded; record it first"
    )


def test_the_country_returned_from_must_be_a_sending_country():
    assert reason(SMR, "ashkali", ["DE"]) == (
        "SMR is only for returnees from Switzerland (CH) or Liechtenstein (LI); "
        "this person returned from Germany (DE)"
    )
    assert reason(SMR, "ashkali", ["DE", "CH"]) is None  # any of their returns will do


def test_the_countries_returned_from_are_named_once_each_in_order():
    assert reason(SMR, None, ["DE", "AT", "DE"]) == (
        "SMR is only for returnees from Switzerland (CH) or Liechtenstein (LI); "
        "this person returned from AT or Germany (DE)"
    )


def test_no_recorded_return_means_the_country_is_not_known():
    assert reason(SMR, "ashkali", []) == (
        "SMR is only for returnees from Switzerland (CH) or Liechtenstein (LI); no return of "
        "this person is recorded, so the country they returned from is not known"
    )


def test_the_community_is_checked_before_the_country():
    assert reason(VARRP, "serb", []) == (
        "VARRP is only for Albanian returnees; this person is recorded as Serb"
    )


def test_the_date_must_lie_in_the_period():
    assert reason(AVR_VD, on=dt.date(2004, 8, 31)) == (
        "AVR-VD runs from 2004-09-01; 2004-08-31 is before it began"
    )
    assert reason(AVR_VD, on=dt.date(2005, 1, 1)) == (
        "AVR-VD ended on 2004-12-31; 2005-01-01 is after it ended"
    )
    assert reason(AVR_VD, on=dt.date(2004, 9, 1)) is None
    assert reason(AVR_VD, on=dt.date(2004, 12, 31)) is None
    assert reason(AVR_VD, on=None) is None  # no date, nothing to check


def test_codes_are_named_as_they_are_without_naming_functions():
    assert check_eligibility(VARRP, community="serb", returned_from=["GB"], on=None) == (
        "VARRP is only for albanian returnees; this person is recorded as serb"
    )
