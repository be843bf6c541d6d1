"""A subject access document as HTML (and so PDF), in the reports' print style.

The document is plain JSON values (`rrms.services.records.subject_access`); this only
lays it out, so the PDF says exactly what the JSON file says. The PDF is written in the
reader's language (`rrms.i18n.Language`, English by default): headings, field labels,
stored codes as words, the notices, dates and figures; the JSON file stays as it is.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from rrms import __version__
from rrms.domain.labels import LABELS, word_filter
from rrms.domain.messages import Message, localise
from rrms.i18n import ENGLISH, LANGUAGES, N_, Language
from rrms.i18n import language as i18n_language

PARTS: tuple[tuple[str, str], ...] = (
    ("documents", N_("Documents")),
    ("returns", N_("Returns")),
    ("screening_decisions", N_("Screening decisions")),
    ("assistance", N_("Assistance")),
    ("projects", N_("Projects")),
    ("housing", N_("Housing")),
    ("information_requests", N_("Information requests")),
    ("correction_requests", N_("Correction requests")),
    ("confidential_cases", N_("Confidential cases")),
)
"""The document's parts, in the order printed, with their headings."""

FIELD_TITLES: dict[str, str] = {
    "id": N_("Record number"),
    "arrival_point": N_("Arrival point"),
    "birth_year": N_("Birth year"),
    "caregiver_of": N_("Caregiver of"),
    "case_type": N_("Case type"),
    "cells": N_("Cells as received"),
    "clauses": N_("Clauses"),
    "closed_by": N_("Closed by"),
    "created_at": N_("Created at"),
    "decided_at": N_("Decided at"),
    "decided_by": N_("Decided by"),
    "decision": N_("Decision"),
    "destination_municipality": N_("Destination municipality"),
    "destination_settlement": N_("Destination settlement"),
    "direct_beneficiaries": N_("Direct beneficiaries"),
    "district": N_("District"),
    "explanation": N_("Explanation"),
    "grant_amount": N_("Grant amount"),
    "grant_currency": N_("Grant currency"),
    "head_person_id": N_("Head of household (person)"),
    "indirect_beneficiaries": N_("Indirect beneficiaries"),
    "jobs_residents": N_("Jobs for residents"),
    "jobs_returnees": N_("Jobs for returnees"),
    "list_id": N_("Screening list"),
    "loan_amount": N_("Loan amount"),
    "loan_currency": N_("Loan currency"),
    "missing": N_("Questions still open"),
    "notes": N_("Notes"),
    "policy_version": N_("Policy version"),
    "reason": N_("Reason"),
    "recommendation": N_("Recommendation"),
    "recorded_by": N_("Recorded by"),
    "search_key": N_("Search key"),
    "family_key": N_("Family name key"),
    "given_key": N_("Given name key"),
    "sending_country": N_("Sending country"),
    "summary": N_("Summary"),
    "transport_mode": N_("Transport mode"),
    "unit": N_("Unit"),
    "updated_at": N_("Updated at"),
    "version": N_("Version"),
    "vulnerable": N_("Vulnerable"),
}
"""Field names of the records whose label is not a vocabulary word (`LABELS`)."""

YES, NO = N_("yes"), N_("no")


def field_label(name: object, language: Language = ENGLISH) -> str:
    """A record's field as a row heading: 'Family name', 'Mbiemri', 'Prezime'."""
    text = str(name)
    title = FIELD_TITLES.get(text)
    if title is not None:
        return language.gettext(title)
    if text in LABELS:
        label = language.gettext(LABELS[text])
        return label[:1].upper() + label[1:]
    return language.gettext(text.replace("_", " ").capitalize())


CODED = frozenset(
    {
        "sex",
        "community",
        "status",
        "kind",
        "decision",
        "recommendation",
        "return_type",
        "transport_mode",
        "relationship",
        "case_type",
        "unit",
        "topic",
        "sector",
        "scope",
        "role",
    }
)
"""Fields that hold a stored code, shown as its word; other values are shown as held."""


def _shown(value: Any, language: Language, name: object = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return language.gettext(YES if value else NO)
    if isinstance(value, list):
        return ", ".join(_shown(item, language, name) for item in value)
    if language.code == "en":
        return str(value)
    if isinstance(value, int | float) and name != "id" and not str(name).endswith("_id"):
        return language.number(value)
    if isinstance(value, str) and name in CODED and value in LABELS:
        return language.gettext(LABELS[value])
    return str(value)


def _moment(value: str, language: Language) -> str:
    """An ISO timestamp as the reader's language writes its day, with the time (UTC)."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if language.code == "en":
        return value
    return f"{language.short_date(when.date())} {when:%H:%M:%S}"


@lru_cache(maxsize=len(LANGUAGES))
def _environment(code: str) -> Environment:
    """The document's template in one language: `_()` translates, `label`, `shown`,
    `word`, `moment` and `notice` write field names, values, codes, timestamps and the
    service's notices in it."""
    language = i18n_language(code)
    word = word_filter(language.gettext)
    environment = Environment(
        loader=PackageLoader("rrms.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(language.catalogue, newstyle=True)  # type: ignore[attr-defined]
    environment.filters["label"] = lambda name: field_label(name, language)
    environment.filters["shown"] = lambda value, name=None: _shown(value, language, name)
    environment.filters["word"] = word
    environment.filters["moment"] = lambda value: _moment(str(value), language)
    environment.filters["notice"] = lambda text: (
        localise(text, language.gettext, word)
        if isinstance(text, Message)
        else language.gettext(str(text))
    )
    environment.globals["lang"] = language.code
    return environment


def render_subject_access_html(document: dict[str, Any], language: Language = ENGLISH) -> str:
    """The document as one HTML page for print, in `language`."""
    template = _environment(language.code).get_template("subject_access.html")
    return template.render(doc=document, parts=PARTS, version=__version__)
