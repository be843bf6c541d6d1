"""Who a programme admits: its communities, the countries returnees came from, its period.

VARRP is only for Albanian returnees from the United Kingdom, SMR only for returnees
from Switzerland or Liechtenstein, AVR-VD only from September 2004. The rule takes
plain values (the programme's terms; the person's community, the countries they
returned from and the date) and gives the reason a person is not eligible in words a
caseworker can act on, or None. Gathering those values (from the database, a form)
is the caller's job; so is naming codes in words (`community_name`, `country_name`),
which needs the reference data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from rrms.domain.messages import N_, Message

__all__ = ["ProgrammeTerms", "check_eligibility"]

Name = Callable[[str], str]
"""Names a code in words for a reason ('AL' -> 'Albania (AL)')."""


@dataclass(frozen=True)
class ProgrammeTerms:
    """What a programme requires of a person: None means anyone, or an open period.

    `code` names the programme in the reasons; `communities` and `sending_countries`
    are codes (community codes, ISO 3166 alpha-2).
    """

    code: str
    communities: Sequence[str] | None = None
    sending_countries: Sequence[str] | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None


def _as_is(code: str) -> str:
    return code


def _either(codes: Sequence[str], name: Name) -> str:
    """'Albanian', or 'Switzerland (CH) or Liechtenstein (LI)', or 'a, b or c'."""
    names = [name(code) for code in codes]
    if len(names) == 1:
        return names[0]
    return N_("{names} or {last}", names=", ".join(names[:-1]), last=names[-1])


def _community_reason(terms: ProgrammeTerms, community: str | None, name: Name) -> Message | None:
    if terms.communities is None:
        return None
    wanted = _either(terms.communities, name)
    if community is None:
        return N_(
            "{code} is only for {wanted} returnees, and this person's community is "
            "not recorded; record it first",
            code=terms.code,
            wanted=wanted,
        )
    if community not in terms.communities:
        return N_(
            "{code} is only for {wanted} returnees; this person is recorded as {community}",
            code=terms.code,
            wanted=wanted,
            community=_either([community], name),
        )
    return None


def _country_reason(
    terms: ProgrammeTerms, returned_from: Collection[str], name: Name
) -> Message | None:
    if terms.sending_countries is None:
        return None
    wanted = _either(terms.sending_countries, name)
    if not returned_from:
        return N_(
            "{code} is only for returnees from {wanted}; no return of this person is "
            "recorded, so the country they returned from is not known",
            code=terms.code,
            wanted=wanted,
        )
    if not any(country in terms.sending_countries for country in returned_from):
        return N_(
            "{code} is only for returnees from {wanted}; this person returned from {came_from}",
            code=terms.code,
            wanted=wanted,
            came_from=_either(sorted(set(returned_from)), name),
        )
    return None


def _period_reason(terms: ProgrammeTerms, on: dt.date | None) -> Message | None:
    if on is None:
        return None
    if terms.period_start is not None and on < terms.period_start:
        return N_(
            "{code} runs from {start}; {on} is before it began",
            code=terms.code,
            start=terms.period_start.isoformat(),
            on=on.isoformat(),
        )
    if terms.period_end is not None and on > terms.period_end:
        return N_(
            "{code} ended on {end}; {on} is after it ended",
            code=terms.code,
            end=terms.period_end.isoformat(),
            on=on.isoformat(),
        )
    return None


def check_eligibility(
    terms: ProgrammeTerms,
    *,
    community: str | None,
    returned_from: Collection[str],
    on: dt.date | None,
    community_name: Name = _as_is,
    country_name: Name = _as_is,
) -> Message | None:
    """The reason a person is not eligible under `terms`, or None when they are.

    Checked in order: the person's `community` against the programme's communities;
    the countries they `returned_from` (consulted only when the programme names
    sending countries) against its sending countries; and the date `on` (None: not
    checked) against its period. A fact the rule needs but nobody recorded (a
    community, a return) is a reason too: it says what to record.
    """
    return (
        _community_reason(terms, community, community_name)
        or _country_reason(terms, returned_from, country_name)
        or _period_reason(terms, on)
    )
