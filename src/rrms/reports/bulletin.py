"""The quarterly bulletin: its news in brief and its parts, computed from the reports.

IOM Kosovo's bulletin (November 2004) opens with "news in brief": figures written as
sentences ("During the last three months, 472 Kosovars returned through the AVR
programme, of which 441 by plane and 31 by land"), followed by a part per programme
with its charts. Here those sentences are written from a
:class:`~rrms.reports.returns_model.ReturnsReport` and a
:class:`~rrms.reports.programme_model.ProgrammeReport`, so the bulletin can never
disagree with the records, and in a public bulletin a hidden count is "fewer than
five" (or the clause is left out when the count was hidden to protect another).

The bulletin's HTML and PDF are drawn by `rrms.reports.rendering`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rrms.i18n import ENGLISH, N_, Language
from rrms.reports.disclosure import Cell, Mark
from rrms.reports.programme_model import ProgrammeReport, ProgrammeSection
from rrms.reports.returns_model import ProgrammeReturns, ReturnsReport

__all__ = [
    "BulletinPart",
    "bulletin_parts",
    "long_date",
    "news_in_brief",
    "period_phrase",
]

_THE = ("United", "Netherlands", "Czech", "Russian", "Slovak", "Philippines")
_NUMBER_WORDS = {
    2: N_("two"),
    3: N_("three"),
    4: N_("four"),
    5: N_("five"),
    6: N_("six"),
    12: N_("twelve"),
}
FEWER_THAN_FIVE = N_("fewer than five")
_PLURAL = 5
"""The count that picks a plural form for "fewer than five" (plural in every language)."""


def long_date(day: dt.date) -> str:
    """'1 August 2004': the bulletin's way of writing a date (English)."""
    return ENGLISH.date(day)


class _Writer:
    """The sentences' words in one language: figures, counted nouns and lists."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._ = language.gettext

    def figure(self, cell: Cell) -> str | None:
        """A count as words in a sentence, or None when the clause must be left out."""
        if cell.value is not None:
            return self.language.number(cell.value)
        if cell.mark is Mark.PRIMARY:
            return self._(FEWER_THAN_FIVE)
        return None

    def number(self, value: int) -> str:
        return self.language.number(value)

    def counted(self, cell: Cell, forms: Callable[[int], str]) -> str | None:
        """'1 project', '12 projects', 'fewer than five projects'; None to leave the
        clause out. `forms` gives the message for a count, holding the figure as
        ``%(n)s`` (a call of `ngettext`, where Babel's extraction finds both forms)."""
        figure = self.figure(cell)
        if figure is None or cell.value == 0:
            return None
        return forms(_PLURAL if cell.value is None else cell.value) % {"n": figure}

    @staticmethod
    def present(*clauses: str | None) -> list[str]:
        """The clauses that `counted` did not leave out, in order."""
        return [clause for clause in clauses if clause]

    def country(self, label: str) -> str:
        if self.language.code == ENGLISH.code and label.startswith(_THE):
            return f"the {label}"
        return label

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return self._(N_("%(items)s and %(last)s")) % {
            "items": ", ".join(items[:-1]),
            "last": items[-1],
        }


def _months(date_from: dt.date, date_to: dt.date) -> int | None:
    """The number of whole calendar months the period covers, if it covers whole months."""
    next_day = date_to + dt.timedelta(days=1)
    if date_from.day != 1 or next_day.day != 1:
        return None
    return (next_day.year - date_from.year) * 12 + next_day.month - date_from.month


def period_phrase(date_from: dt.date, date_to: dt.date, language: Language = ENGLISH) -> str:
    """'During the last three months' for a whole quarter, otherwise the dates."""
    _ = language.gettext
    months = _months(date_from, date_to)
    if months is not None and months > 1:
        word = _NUMBER_WORDS.get(months)
        return language.ngettext(
            "During the last %(months)s month", "During the last %(months)s months", months
        ) % {"months": _(word) if word else language.number(months)}
    if months == 1:
        return _(N_("In %(month)s")) % {"month": language.month_year(date_from)}
    return _(N_("Between %(start)s and %(end)s")) % {
        "start": language.date(date_from),
        "end": language.date(date_to),
    }


def _month_span(date_from: dt.date, date_to: dt.date, language: Language) -> str:
    start = (
        language.month(date_from)
        if date_from.year == date_to.year
        else language.month_year(date_from)
    )
    return language.gettext(N_("From %(start)s until %(end)s")) % {
        "start": start,
        "end": language.month_year(date_to),
    }


def _avr_news(avr: ProgrammeReturns, period: str, write: _Writer) -> list[str]:
    _, news = write._, []
    air = write.figure(avr.by_transport_mode.get("air"))
    land = write.figure(avr.by_transport_mode.get("land"))
    split = [
        _(N_("%(n)s by plane")) % {"n": air} if air else "",
        _(N_("%(n)s by land")) % {"n": land} if land else "",
    ]
    split = [part for part in split if part]
    total = avr.total.value or 0
    sentence = write.language.ngettext(
        "%(period)s, %(n)s Kosovar returned through the AVR programme",
        "%(period)s, %(n)s Kosovars returned through the AVR programme",
        total,
    ) % {"period": period, "n": write.number(total)}
    if split:
        news.append(
            _(N_("%(sentence)s, of which %(split)s."))
            % {
                "sentence": sentence,
                "split": write.join(split),
            }
        )
    else:
        news.append(sentence + ".")
    top = [
        f"{write.country(e.label)} ({write.number(e.cell.value)})"
        for e in avr.by_sending_country.visible()[:5]
        if e.cell.value
    ]
    if top:
        others = len(avr.by_sending_country.entries) > len(top)
        message = (
            N_(
                "Most of them came from %(countries)s, and a small number from various other "
                "countries."
            )
            if others
            else N_("Most of them came from %(countries)s.")
        )
        news.append(_(message) % {"countries": write.join(top)})
    return news


def _returns_news(returns: ReturnsReport, write: _Writer) -> list[str]:
    language, _ = write.language, write._
    news = []
    period = period_phrase(returns.period_from, returns.period_to, language)
    avr = returns.programme("AVR")
    if avr is not None and avr.total.value:
        news.extend(_avr_news(avr, period, write))
    elif returns.total:
        voluntary = returns.by_return_type.get("voluntary")
        values = {"period": period, "n": write.number(returns.total)}
        if voluntary.value == returns.total:
            message = language.ngettext(
                "%(period)s, %(n)s person arrived in Kosovo, returning voluntarily.",
                "%(period)s, %(n)s persons arrived in Kosovo, all of them returning voluntarily.",
                returns.total,
            )
        elif voluntary.value:
            values["voluntary"] = write.number(voluntary.value)
            message = language.ngettext(
                "%(period)s, %(n)s person arrived in Kosovo, %(voluntary)s of them "
                "returning voluntarily.",
                "%(period)s, %(n)s persons arrived in Kosovo, %(voluntary)s of them "
                "returning voluntarily.",
                returns.total,
            )
        else:
            message = language.ngettext(
                "%(period)s, %(n)s person arrived in Kosovo.",
                "%(period)s, %(n)s persons arrived in Kosovo.",
                returns.total,
            )
        news.append(message % values)
    if returns.cumulative_total and returns.cumulative_from is not None:
        regions = [
            (e.label, language.percent(e.share_pct))
            for e in returns.cumulative_by_region.visible()[:4]
            if e.share_pct
        ]
        values = {
            "month": language.month_year(returns.cumulative_from),
            "total": write.number(returns.cumulative_total),
        }
        if regions:
            values["region"], values["share"] = regions[0]
            values["others"] = "".join(f", {label} ({share})" for label, share in regions[1:])
            message = N_(
                "Since %(month)s, a total of %(total)s returnees have been assisted. Most of "
                "them returned to the %(region)s region (%(share)s)%(others)s, while the rest "
                "settled in the other districts."
            )
        else:
            message = N_("Since %(month)s, a total of %(total)s returnees have been assisted.")
        news.append(_(message) % values)
    secondary = write.figure(returns.secondary_period)
    if secondary and returns.secondary_period.value != 0:
        sentence = _(
            N_("%(span)s, secondary land transportation was provided to %(n)s returnees.")
        ) % {"span": _month_span(returns.period_from, returns.period_to, language), "n": secondary}
        cumulative = write.figure(returns.secondary_cumulative)
        if cumulative and returns.cumulative_from is not None:
            sentence += " " + _(
                N_("Since %(year)s, %(n)s returnees were provided with this type of assistance.")
            ) % {"year": returns.cumulative_from.year, "n": cumulative}
        news.append(sentence)
    return news


def _projects_news(section: ProgrammeSection, period_to: dt.date, write: _Writer) -> str:
    _, ngettext = write._, write.language.ngettext
    total = write.counted(
        Cell(section.projects_total), lambda n: ngettext("%(n)s project", "%(n)s projects", n)
    )
    sentence = _(N_("By %(day)s, the %(code)s programme had %(projects)s")) % {
        "day": write.language.date(period_to),
        "code": section.code,
        "projects": total,
    }
    status = write.present(
        write.counted(
            section.projects_by_status.get("completed"),
            lambda n: ngettext("%(n)s completed", "%(n)s completed", n),
        ),
        write.counted(
            section.projects_by_status.get("ongoing"),
            lambda n: ngettext("%(n)s ongoing", "%(n)s ongoing", n),
        ),
    )
    if status:
        sentence += f" ({write.join(status)})"
    benefit = write.present(
        write.counted(
            section.direct_beneficiaries,
            lambda n: ngettext("%(n)s person directly", "%(n)s persons directly", n),
        ),
        write.counted(
            section.indirect_beneficiaries,
            lambda n: ngettext("%(n)s indirectly", "%(n)s indirectly", n),
        ),
    )
    if benefit:
        sentence += _(N_(", benefiting %(whom)s")) % {"whom": write.join(benefit)}
    jobs = write.counted(
        Cell(section.jobs.total),
        lambda n: ngettext("%(n)s long-term job", "%(n)s long-term jobs", n),
    )
    if jobs:
        holders = write.present(
            write.counted(
                section.jobs.get("returnees"),
                lambda n: ngettext("%(n)s held by returnees", "%(n)s held by returnees", n),
            ),
            write.counted(
                section.jobs.get("residents"),
                lambda n: ngettext("%(n)s by residents", "%(n)s by residents", n),
            ),
        )
        if holders:
            sentence += _(N_("; they created %(jobs)s, %(holders)s")) % {
                "jobs": jobs,
                "holders": write.join(holders),
            }
        else:
            sentence += _(N_("; they created %(jobs)s")) % {"jobs": jobs}
    return sentence + "."


def _housing_news(section: ProgrammeSection, write: _Writer) -> str | None:
    language = write.language
    ngettext = language.ngettext
    finished = section.houses_by_status.get("finished")
    handed = section.houses_by_status.get("handed_over")
    clauses = []
    if finished.value is not None and handed.value is not None and finished.value + handed.value:
        done = finished.value + handed.value
        clauses.append(
            language.ngettext(
                "work on %(n)s house has been completed",
                "work on %(n)s houses has been completed",
                done,
            )
            % {"n": write.number(done)}
        )
    under = write.counted(
        section.houses_by_status.get("under_reconstruction"),
        lambda n: ngettext(
            "%(n)s house is under reconstruction", "%(n)s houses are under reconstruction", n
        ),
    )
    if under:
        clauses.append(under)
    handed_text = write.counted(
        handed,
        lambda n: ngettext(
            "%(n)s house handed over to their beneficiaries",
            "%(n)s houses handed over to their beneficiaries",
            n,
        ),
    )
    if handed_text:
        clauses.append(handed_text)
    if not clauses:
        return None
    return f"{section.code}: " + write.join(clauses) + "."


def _requests_news(section: ProgrammeSection, write: _Writer) -> str | None:
    _ = write._
    received = (
        write.figure(Cell(section.requests_in_period)) if section.requests_in_period else None
    )
    answered = write.figure(section.turnaround.answered)
    if section.turnaround.answered.value == 0:
        answered = None
    topics = [e.label.lower() for e in section.requests_by_topic.visible()[:3] if e.cell.value]
    if not (received or answered):
        return None
    values = {"code": section.code, "received": received, "answered": answered}
    if received and answered:
        message = N_(
            "%(code)s: %(received)s information requests were received and %(answered)s "
            "answered in the period"
        )
    elif received:
        message = N_("%(code)s: %(received)s information requests were received in the period")
    else:
        message = N_("%(code)s: %(answered)s information requests were answered in the period")
    sentence = _(message) % values
    if topics:
        sentence += _(N_(", mainly on %(topics)s")) % {"topics": write.join(topics)}
    if section.turnaround.median_days is not None:
        sentence += _(N_(" (median turnaround %(days)s days)")) % {
            "days": write.language.number(section.turnaround.median_days)
        }
    return sentence + "."


def _programme_news(section: ProgrammeSection, period_to: dt.date, write: _Writer) -> list[str]:
    news = []
    if section.has_projects:
        news.append(_projects_news(section, period_to, write))
    if section.has_housing:
        housing = _housing_news(section, write)
        if housing:
            news.append(housing)
    if section.has_requests:
        requests = _requests_news(section, write)
        if requests:
            news.append(requests)
    if section.has_trainings:
        ngettext = write.language.ngettext
        sessions = write.counted(
            section.trainings_in_period,
            lambda n: ngettext("%(n)s training session", "%(n)s training sessions", n),
        )
        participants = write.counted(
            section.participants_in_period,
            lambda n: ngettext("%(n)s participant", "%(n)s participants", n),
        )
        if sessions:
            values = {"code": section.code, "sessions": sessions, "participants": participants}
            message = (
                N_("%(code)s: %(sessions)s in the period for %(participants)s.")
                if participants
                else N_("%(code)s: %(sessions)s in the period.")
            )
            news.append(write._(message) % values)
    return news


def news_in_brief(
    returns: ReturnsReport, programmes: ProgrammeReport, language: Language = ENGLISH
) -> list[str]:
    """The bulletin's opening sentences, every figure taken from the reports, in
    `language` (labels as the reports carry them: `rrms.reports.localise`)."""
    write = _Writer(language)
    news = _returns_news(returns, write)
    for section in programmes.sections:
        news.extend(_programme_news(section, programmes.period_to, write))
    for unit in programmes.confidential:
        cell = unit.by_year.get(str(unit.year))
        figure = write.figure(cell)
        if figure and cell.value != 0:
            about = bool(unit.rounded_to and cell.value is not None)
            whole_year = (unit.last_day.month, unit.last_day.day) == (12, 31)
            values = {
                "year": unit.year,
                "unit": unit.title.lower(),
                "n": figure,
                "day": language.date(unit.last_day),
            }
            if whole_year:
                message = (
                    N_("In %(year)s, the %(unit)s unit opened about %(n)s cases.")
                    if about
                    else N_("In %(year)s, the %(unit)s unit opened %(n)s cases.")
                )
            else:
                message = (
                    N_("In %(year)s, the %(unit)s unit opened about %(n)s cases (to %(day)s).")
                    if about
                    else N_("In %(year)s, the %(unit)s unit opened %(n)s cases (to %(day)s).")
                )
            news.append(write._(message) % values)
    return news


@dataclass(frozen=True)
class BulletinPart:
    """One programme's part of a document: its arrivals and/or its achievements."""

    code: str
    name: str
    returns: ProgrammeReturns | None
    programme: ProgrammeSection | None


def bulletin_parts(
    returns: ReturnsReport | None, programmes: ProgrammeReport
) -> list[BulletinPart]:
    """One part per programme with arrivals or achievements to show, by code."""
    details = {d.code: d for d in returns.programmes} if returns else {}
    sections = {s.code: s for s in programmes.sections}
    names = {
        **{d.code: d.name for d in details.values()},
        **{s.code: s.name for s in sections.values()},
    }
    return [
        BulletinPart(code, names[code], details.get(code), sections.get(code))
        for code in sorted(names)
    ]
