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
from dataclasses import dataclass

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
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 12: "twelve"}


def long_date(day: dt.date) -> str:
    """'1 August 2004': the bulletin's way of writing a date."""
    return f"{day.day} {day:%B %Y}"


def _figure(cell: Cell) -> str | None:
    """A count as words in a sentence, or None when the clause must be left out."""
    if cell.value is not None:
        return f"{cell.value:,}"
    if cell.mark is Mark.PRIMARY:
        return "fewer than five"
    return None


def _counted(cell: Cell, singular: str, plural: str | None = None) -> str | None:
    """'1 project', '12 projects', 'fewer than five projects'; None to leave the clause out."""
    figure = _figure(cell)
    if figure is None or cell.value == 0:
        return None
    noun = singular if cell.value == 1 else (plural or singular + "s")
    return f"{figure} {noun}"


def _country(label: str) -> str:
    return f"the {label}" if label.startswith(_THE) else label


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _months(date_from: dt.date, date_to: dt.date) -> int | None:
    """The number of whole calendar months the period covers, if it covers whole months."""
    next_day = date_to + dt.timedelta(days=1)
    if date_from.day != 1 or next_day.day != 1:
        return None
    return (next_day.year - date_from.year) * 12 + next_day.month - date_from.month


def period_phrase(date_from: dt.date, date_to: dt.date) -> str:
    """'During the last three months' for a whole quarter, otherwise the dates."""
    months = _months(date_from, date_to)
    if months is not None and months > 1:
        return f"During the last {_NUMBER_WORDS.get(months, str(months))} months"
    if months == 1:
        return f"In {date_from:%B %Y}"
    return f"Between {long_date(date_from)} and {long_date(date_to)}"


def _month_span(date_from: dt.date, date_to: dt.date) -> str:
    if date_from.year == date_to.year:
        return f"From {date_from:%B} until {date_to:%B %Y}"
    return f"From {date_from:%B %Y} until {date_to:%B %Y}"


def _returns_news(returns: ReturnsReport) -> list[str]:
    news = []
    period = period_phrase(returns.period_from, returns.period_to)
    avr = returns.programme("AVR")
    if avr is not None and avr.total.value:
        air = _figure(avr.by_transport_mode.get("air"))
        land = _figure(avr.by_transport_mode.get("land"))
        split = [f"{air} by plane" if air else "", f"{land} by land" if land else ""]
        split = [part for part in split if part]
        sentence = f"{period}, {avr.total.value:,} Kosovars returned through the AVR programme"
        news.append(sentence + (f", of which {_join(split)}." if split else "."))
        top = [
            f"{_country(e.label)} ({e.cell.value:,})"
            for e in avr.by_sending_country.visible()[:5]
            if e.cell.value
        ]
        if top:
            others = len(avr.by_sending_country.entries) > len(top)
            news.append(
                "Most of them came from "
                + _join(top)
                + (", and a small number from various other countries." if others else ".")
            )
    elif returns.total:
        voluntary = returns.by_return_type.get("voluntary")
        sentence = f"{period}, {returns.total:,} persons arrived in Kosovo"
        if voluntary.value == returns.total:
            sentence += ", all of them returning voluntarily"
        elif voluntary.value:
            sentence += f", {voluntary.value:,} of them returning voluntarily"
        news.append(sentence + ".")
    if returns.cumulative_total and returns.cumulative_from is not None:
        regions = [
            f"{e.label} ({e.share_pct:.1f}%)"
            for e in returns.cumulative_by_region.visible()[:4]
            if e.share_pct
        ]
        sentence = (
            f"Since {returns.cumulative_from:%B %Y}, a total of "
            f"{returns.cumulative_total:,} returnees have been assisted"
        )
        if regions:
            sentence += (
                f". Most of them returned to the {regions[0].split(' (')[0]} region "
                f"({regions[0].split(' (')[1]}"
            )
            sentence += (", " + ", ".join(regions[1:])) if regions[1:] else ""
            sentence += ", while the rest settled in the other districts"
        news.append(sentence + ".")
    secondary = _figure(returns.secondary_period)
    if secondary and returns.secondary_period.value != 0:
        sentence = (
            f"{_month_span(returns.period_from, returns.period_to)}, secondary land "
            f"transportation was provided to {secondary} returnees."
        )
        cumulative = _figure(returns.secondary_cumulative)
        if cumulative and returns.cumulative_from is not None:
            sentence += (
                f" Since {returns.cumulative_from.year}, {cumulative} returnees were provided "
                "with this type of assistance."
            )
        news.append(sentence)
    return news


def _programme_news(section: ProgrammeSection, period_to: dt.date) -> list[str]:
    news = []
    if section.has_projects:
        total = _counted(Cell(section.projects_total), "project")
        status = [
            text
            for text in (
                _counted(section.projects_by_status.get("completed"), "completed", "completed"),
                _counted(section.projects_by_status.get("ongoing"), "ongoing", "ongoing"),
            )
            if text
        ]
        sentence = f"By {long_date(period_to)}, the {section.code} programme had {total}"
        if status:
            sentence += f" ({_join(status)})"
        benefit = [
            text
            for text in (
                _counted(section.direct_beneficiaries, "person directly", "persons directly"),
                _counted(section.indirect_beneficiaries, "indirectly", "indirectly"),
            )
            if text
        ]
        if benefit:
            sentence += f", benefiting {_join(benefit)}"
        jobs = _counted(Cell(section.jobs.total), "long-term job")
        if jobs:
            holders = [
                text
                for text in (
                    _counted(
                        section.jobs.get("returnees"), "held by returnees", "held by returnees"
                    ),
                    _counted(section.jobs.get("residents"), "by residents", "by residents"),
                )
                if text
            ]
            sentence += f"; they created {jobs}" + (f", {_join(holders)}" if holders else "")
        news.append(sentence + ".")
    if section.has_housing:
        finished = section.houses_by_status.get("finished")
        handed = section.houses_by_status.get("handed_over")
        clauses = []
        if (
            finished.value is not None
            and handed.value is not None
            and finished.value + handed.value
        ):
            done = finished.value + handed.value
            clauses.append(f"work on {done:,} house{'s' if done != 1 else ''} has been completed")
        under = _counted(section.houses_by_status.get("under_reconstruction"), "house")
        if under:
            clauses.append(
                f"{under} {'is' if under.startswith('1 ') else 'are'} under reconstruction"
            )
        handed_text = _counted(handed, "house")
        if handed_text:
            clauses.append(f"{handed_text} handed over to their beneficiaries")
        if clauses:
            news.append(f"{section.code}: " + _join(clauses) + ".")
    if section.has_requests:
        received = _figure(Cell(section.requests_in_period)) if section.requests_in_period else None
        answered = _figure(section.turnaround.answered)
        if section.turnaround.answered.value == 0:
            answered = None
        topics = [e.label.lower() for e in section.requests_by_topic.visible()[:3] if e.cell.value]
        if received or answered:
            if received and answered:
                verb = f"{received} information requests were received and {answered} answered"
            elif received:
                verb = f"{received} information requests were received"
            else:
                verb = f"{answered} information requests were answered"
            sentence = f"{section.code}: {verb} in the period"
            if topics:
                sentence += f", mainly on {_join(topics)}"
            if section.turnaround.median_days is not None:
                sentence += f" (median turnaround {section.turnaround.median_days:g} days)"
            news.append(sentence + ".")
    if section.has_trainings:
        sessions = _counted(section.trainings_in_period, "training session")
        participants = _counted(section.participants_in_period, "participant")
        if sessions:
            sentence = f"{section.code}: {sessions} in the period"
            news.append(sentence + (f" for {participants}." if participants else "."))
    return news


def news_in_brief(returns: ReturnsReport, programmes: ProgrammeReport) -> list[str]:
    """The bulletin's opening sentences, every figure taken from the reports."""
    news = _returns_news(returns)
    for section in programmes.sections:
        news.extend(_programme_news(section, programmes.period_to))
    for unit in programmes.confidential:
        cell = unit.by_year.get(str(unit.year))
        figure = _figure(cell)
        if figure and cell.value != 0:
            about = "about " if unit.rounded_to and cell.value is not None else ""
            whole_year = (unit.last_day.month, unit.last_day.day) == (12, 31)
            news.append(
                f"In {unit.year}, the {unit.title.lower()} unit opened {about}{figure} cases"
                + ("." if whole_year else f" (to {long_date(unit.last_day)}).")
            )
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
