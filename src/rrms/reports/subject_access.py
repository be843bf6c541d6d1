"""A subject access document as HTML (and so PDF), in the reports' print style.

The document is plain JSON values (`rrms.services.records.subject_access`); this only
lays it out, so the PDF says exactly what the JSON file says.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from rrms import __version__

PARTS: tuple[tuple[str, str], ...] = (
    ("documents", "Documents"),
    ("returns", "Returns"),
    ("screening_decisions", "Screening decisions"),
    ("assistance", "Assistance"),
    ("projects", "Projects"),
    ("housing", "Housing"),
    ("information_requests", "Information requests"),
    ("correction_requests", "Correction requests"),
    ("confidential_cases", "Confidential cases"),
)
"""The document's parts, in the order printed, with their headings."""


def _label(name: object) -> str:
    return str(name).replace("_", " ").capitalize()


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def render_subject_access_html(document: dict[str, Any]) -> str:
    """The document as one HTML page for print."""
    environment = Environment(
        loader=PackageLoader("rrms.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["label"] = _label
    environment.filters["shown"] = _shown
    template = environment.get_template("subject_access.html")
    return template.render(doc=document, parts=PARTS, version=__version__)
