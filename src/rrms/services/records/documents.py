"""A person's identity and travel documents: which they hold, their numbers and dates.

Returnees arrive with whatever papers they have: an UNMIK identity card or travel
document, a Yugoslav or Serbian passport, a German Duldung, a laissez-passer issued
for the journey, a birth certificate. Caseworkers record each one against the person,
so that missing documents can be requested and expiring ones renewed.

The kind of document is a controlled vocabulary (`DOCUMENT_KINDS`): it accepts the
words caseworkers and sending states use, in English, German, Albanian and Serbian
(Latin or Cyrillic), and stores one canonical value, so that documents can be counted.
An unknown word is refused naming the closest and the valid kinds.

`DOCUMENTS` stores them through `rrms.services.core.records`: authorised by the
`documents` permission, audited in the same transaction, a stale version refused.
"""

from __future__ import annotations

from typing import Any, Final

from rrms.domain.messages import N_
from rrms.formats.vocabulary import INVALID, Vocabulary
from rrms.services.core.access import Actor
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import (
    check_dates_in_order,
    clean_date,
    clean_text,
    merged,
    require_person,
)
from rrms.services.core.records import RecordKind
from rrms.storage.tables import Document
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["DOCUMENTS", "DOCUMENT_KINDS", "document_kind"]

DOCUMENT_KINDS: Final = Vocabulary(
    "document kind",
    {
        "identity_card": (
            "id card",
            "id",
            "UNMIK identity card",
            "UNMIK ID",
            "Personalausweis",
            "letërnjoftim",
            "letërnjoftimi",
            "lična karta",
            "лична карта",
        ),
        "passport": ("pass", "Reisepass", "pasaportë", "pasaporta", "pasoš", "пасош"),
        "unmik_travel_document": (
            "UNMIK TD",
            "UNMIK travel doc",
            "dokument udhëtimi UNMIK",
            "UNMIK putni dokument",
            "UNMIK путни документ",
        ),
        "birth_certificate": (
            "Geburtsurkunde",
            "certifikatë lindjeje",
            "certifikata e lindjes",
            "izvod iz matične knjige rođenih",
            "izvod iz maticne knjige rodjenih",  # đ written as dj, as on many lists
            "извод из матичне књиге рођених",
        ),
        "marriage_certificate": (
            "Heiratsurkunde",
            "certifikatë martese",
            "certifikata e martesës",
            "izvod iz matične knjige venčanih",
            "извод из матичне књиге венчаних",
        ),
        "driving_licence": (
            "driving license",
            "driver's license",
            "Führerschein",
            "patentë shoferi",
            "leje vozitjeje",
            "vozačka dozvola",
            "возачка дозвола",
        ),
        "residence_permit": (
            "Aufenthaltserlaubnis",
            "Aufenthaltstitel",
            "leje qëndrimi",
            "boravišna dozvola",
            "боравишна дозвола",
        ),
        "toleration_certificate": ("Duldung", "tolerated stay"),
        "refugee_travel_document": (
            "convention travel document",
            "Reiseausweis",
            "Reiseausweis für Flüchtlinge",
        ),
        "laissez_passer": ("laissez-passer", "emergency travel document", "Passersatzpapier"),
        "other": (),
    },
)
"""The kinds of document recorded, with the words accepted for each (any case, with or
without diacritics; underscores, hyphens and spaces are alike)."""


def document_kind(text: str) -> str:
    """The canonical kind for any accepted word ('Reisepass' -> 'passport').

    Raises `Invalid` naming the field `kind`, with the closest and all valid kinds.
    """
    value = DOCUMENT_KINDS.parse(text)
    if value is INVALID or value is None:
        closest = DOCUMENT_KINDS.closest(text)
        hint = f"closest: {', '.join(closest)}; " if closest else ""
        raise Invalid(
            N_(
                "unknown document kind {text!r}; {hint}kinds: {canonical}",
                text=text,
                hint=hint,
                canonical=", ".join(DOCUMENT_KINDS.canonical),
            ),
            "kind",
        )
    return value


def _clean(uow: UnitOfWork, values: dict[str, Any], creating: bool) -> None:
    if creating or "person_id" in values:
        require_person(uow, values.get("person_id"))
    if creating or "kind" in values:
        kind = values.get("kind")
        if kind is None:
            raise Invalid(N_("kind is required"), "kind")
        if not isinstance(kind, str):
            raise Invalid(N_("kind must be text"), "kind")
        values["kind"] = document_kind(kind)
    clean_text(values, "number", 80)
    clean_text(values, "issued_by", 200)
    clean_date(values, "issued_on")
    clean_date(values, "expires_on", future=True)


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    _clean(uow, values, creating=True)
    check_dates_in_order(values, ("issued_on", "expires_on"))


def _check_update(uow: UnitOfWork, actor: Actor, row: Document, changes: dict[str, Any]) -> None:
    _clean(uow, changes, creating=False)
    check_dates_in_order(merged(row, changes), ("issued_on", "expires_on"))


DOCUMENTS: RecordKind[Document] = RecordKind(
    entity="documents",
    table=Document,
    filterable=("person_id", "kind", "number"),
    check_create=_check_create,
    check_update=_check_update,
)
"""A person's documents: case readers read them, caseworkers and administrators record them."""
