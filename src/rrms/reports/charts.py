"""Charts for reports and the bulletin: horizontal bar charts as SVG, drawn with matplotlib.

Donors check the bulletin's charts against its tables, so every chart has a title,
labelled axes and its figure printed at the end of each bar. Charts are drawn from
the same protected :class:`~rrms.reports.disclosure.Breakdown` as the tables: a
hidden count is an empty bar labelled ``<5`` (or ``x`` for a cell hidden to protect
another), never a bar of its true length.

Counts are whole: their axis only has whole-number ticks (no "2.5 returnees"). A public
chart whose every bar is hidden says so in words rather than drawing an empty axis.

matplotlib runs headless (the Agg backend, no pyplot and no global figure state, so
reports may be drawn from several threads). Text stays text in the SVG
(``svg.fonttype: none``): the numbers can be searched, copied and tested. Output is
deterministic (fixed hash salt per chart, no date), so the same data gives the same
bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402  (the backend must be chosen first)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from rrms.i18n import ENGLISH, N_, Language  # noqa: E402
from rrms.reports.disclosure import Breakdown, Entry  # noqa: E402

__all__ = ["Bar", "bar_chart", "bars_of", "breakdown_chart"]

BAR_COLOUR = "#1f5fa8"
HIDDEN_COLOUR = "#bbbbbb"
MAX_BARS = 12
NO_RECORDS = N_("No records in the period")
ALL_HIDDEN = N_(
    "Every figure of this chart is hidden in the public version\n"
    "(counts from 1 to 4, and those that would reveal them)"
)
_XML_HEADER = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.DOTALL)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when hidden) and the text printed beside it."""

    label: str
    value: float | None
    text: str


def bars_of(
    item: Breakdown, max_bars: int = MAX_BARS, percent: bool = False, language: Language = ENGLISH
) -> list[Bar]:
    """The bars for a breakdown, largest first, the smallest visible ones grouped.

    Visible entries beyond ``max_bars`` are summed into one "Other (n)" bar; hidden
    entries follow as empty bars with their mark (several as one bar). Labels are the
    breakdown's; figures and the grouped bars' words are written in ``language``.
    """
    visible = [e for e in item.entries if not e.cell.suppressed]
    hidden = [e for e in item.entries if e.cell.suppressed]
    if not percent:
        visible = [e for e in visible if e.cell.amount > 0] or visible[:0]
    bars: list[Bar] = []
    room = max_bars - (1 if hidden else 0)
    shown = visible if len(visible) <= room else visible[: room - 1]
    for entry in shown:
        bars.append(_bar(entry, percent, language))
    rest = visible[len(shown) :]
    if rest:
        total = sum(e.cell.amount for e in rest)
        other = language.gettext(N_("Other (%(n)s)")) % {"n": language.number(len(rest))}
        bars.append(Bar(other, total, language.number(total)))
    if len(hidden) == 1 or (hidden and len(hidden) + len(bars) <= max_bars):
        bars.extend(Bar(e.label, None, e.cell.text) for e in hidden)
    elif hidden:
        marks = sorted({e.cell.text for e in hidden})
        more = language.gettext(N_("%(n)s more (hidden)")) % {"n": language.number(len(hidden))}
        bars.append(Bar(more, None, " / ".join(marks)))
    return bars


def _bar(entry: Entry, percent: bool, language: Language) -> Bar:
    if percent:
        share = entry.share_pct or 0.0
        return Bar(entry.label, share, language.percent(share))
    text = entry.cell.text if entry.cell.suppressed else language.number(entry.cell.amount)
    return Bar(entry.label, entry.cell.amount, text)


def _plain(text: str) -> str:
    """Text as matplotlib should print it: a '$' in a label is a dollar, not mathtext."""
    return text.replace("$", r"\$")


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    value_label: str,
    category_label: str,
    whole_numbers: bool = True,
    language: Language = ENGLISH,
) -> str:
    """A horizontal bar chart as an SVG document fragment (no XML header).

    Bars run top to bottom in the given order; each carries its figure as text. The
    value axis has whole-number ticks unless ``whole_numbers`` is False (percentages),
    written with ``language``'s separators, as are the words of an empty chart. An
    empty list draws a chart saying "No records in the period"; bars that are all
    hidden, one saying that every figure is hidden in the public version.
    """
    salt = hashlib.sha256(
        repr((title, [(b.label, b.value, b.text) for b in bars])).encode()
    ).hexdigest()[:16]
    height = 1.0 + 0.24 * max(len(bars), 1)
    with rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": salt,
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure = Figure(figsize=(6.4, height), layout="constrained")
        axes = figure.subplots()
        axes.set_title(_plain(title), loc="left", fontsize=10, fontweight="bold")
        axes.set_xlabel(_plain(value_label))
        axes.set_ylabel(_plain(category_label))
        if not bars or all(b.value is None for b in bars):
            axes.text(
                0.5,
                0.5,
                language.gettext(NO_RECORDS if not bars else ALL_HIDDEN),
                ha="center",
                va="center",
                transform=axes.transAxes,
            )
            axes.set_yticks([])
            axes.set_xticks([])
        else:
            positions = list(range(len(bars)))
            values = [b.value or 0 for b in bars]
            colours = [HIDDEN_COLOUR if b.value is None else BAR_COLOUR for b in bars]
            axes.barh(positions, values, color=colours, height=0.7)
            axes.set_yticks(positions, [_plain(b.label) for b in bars])
            axes.invert_yaxis()
            largest = max(values) if max(values) > 0 else 1
            axes.set_xlim(0, largest * 1.18)
            if whole_numbers:
                axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            if language.code != ENGLISH.code:  # matplotlib writes English figures itself
                axes.xaxis.set_major_formatter(
                    FuncFormatter(lambda value, _position: language.number(round(value, 6)))
                )
            for position, bar in zip(positions, bars, strict=True):
                axes.text(
                    (bar.value or 0) + largest * 0.01,
                    position,
                    _plain(bar.text),
                    va="center",
                    ha="left",
                    color="#555555" if bar.value is None else "#000000",
                )
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return _XML_HEADER.sub("", out.getvalue())


def breakdown_chart(
    item: Breakdown,
    title: str,
    value_label: str,
    category_label: str,
    percent: bool = False,
    max_bars: int = MAX_BARS,
    language: Language = ENGLISH,
) -> str:
    """Draw a protected breakdown as a bar chart (SVG); counts on a whole-number axis,
    percentages (``percent``) on a decimal one; figures written in ``language`` (the
    title and axis labels are given already in it)."""
    return bar_chart(
        title,
        bars_of(item, max_bars, percent, language),
        value_label,
        category_label,
        whole_numbers=not percent,
        language=language,
    )
