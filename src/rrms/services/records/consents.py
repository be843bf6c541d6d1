"""A person's consents: for which purpose, which data, to whom, since when, withdrawn.

IOM's data protection principles ask that personal data be used only for the purposes
the person consented to (or that another legitimate basis allows), and that a consent
can be withdrawn. RRMS records each consent given, per person:

* **purpose**, one of `CONSENT_PURPOSES` (case management, reintegration assistance,
  referral to a partner, research, reporting);
* **scope**, the categories of data it covers (`DATA_CATEGORIES`);
* **recipients**, the organisations that may receive the data (names, at least one;
  "IOM" for IOM's own use);
* **given on**, and **recorded by** (the user, set by RRMS, never by the client);
* **withdrawal**: the date and the user who recorded it. A withdrawn consent is kept,
  never deleted, and cannot be un-withdrawn: a new consent is recorded instead.

A consent's terms are not edited after it is recorded: a mistake is corrected by
withdrawing it and recording the right one, so that what was allowed on any day stays
known. `CONSENTS` stores them through `rrms.services.core.records`: authorised by the
`consents` permission, audited in the same transaction, a stale version refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rrms.domain.messages import N_, Word
from rrms.domain.vocabulary import CONSENT_PURPOSES, DATA_CATEGORIES
from rrms.services.core import audit, records
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import check_dates_in_order, clean_choice, clean_date, merged
from rrms.services.core.fields import require_person as _require_person
from rrms.services.core.records import RecordKind
from rrms.storage.tables import Consent
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["CONSENTS", "ConsentView", "consents_of_person", "withdraw_consent"]

MAX_RECIPIENTS = 20
MAX_RECIPIENT_LENGTH = 200


def _clean_list(
    values: dict[str, Any], name: str, *, choices: tuple[str, ...] | None = None
) -> None:
    value = values.get(name)
    if value is None:
        raise Invalid(N_("{name} is required: name at least one", name=name), name)
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list | tuple):
        raise Invalid(N_("{name} must be a list", name=name), name)
    cleaned: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise Invalid(N_("each of {name} must be text", name=name), name)
        if choices is not None:
            one = {name: item}
            clean_choice(one, name, choices, required=True)
            word = one[name]
        else:
            word = " ".join(item.split())
            if len(word) > MAX_RECIPIENT_LENGTH:
                raise Invalid(
                    N_(
                        "a recipient's name has at most {max_recipient_length} characters",
                        max_recipient_length=MAX_RECIPIENT_LENGTH,
                    ),
                    name,
                )
        if word and word not in cleaned:
            cleaned.append(word)
    if not cleaned:
        raise Invalid(N_("{name} is required: name at least one", name=name), name)
    if len(cleaned) > MAX_RECIPIENTS:
        raise Invalid(
            N_("at most {max_recipients} {name}", max_recipients=MAX_RECIPIENTS, name=name), name
        )
    values[name] = cleaned


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    _require_person(uow, values.get("person_id"))
    clean_choice(values, "purpose", CONSENT_PURPOSES, required=True)
    _clean_list(values, "scope", choices=DATA_CATEGORIES)
    _clean_list(values, "recipients")
    clean_date(values, "given_on", required=True, nullable=False)
    for name in ("recorded_by", "withdrawn_on", "withdrawn_by"):
        if values.get(name) is not None:
            raise Invalid(
                N_("{name} is set by RRMS, not given", name=Word(name, name.replace("_", " "))),
                name,
            )
    values["recorded_by"] = actor.user_id


def _check_update(uow: UnitOfWork, actor: Actor, row: Consent, changes: dict[str, Any]) -> None:
    for name in changes:
        if name != "withdrawn_on":
            raise Invalid(
                N_(
                    "a consent's {name} cannot be changed: withdraw it and record a new one",
                    name=Word(name, name.replace("_", " ")),
                ),
                name,
            )
    if row.withdrawn_on is not None:
        raise Invalid(
            N_(
                "this consent was withdrawn on {withdrawn_on}; a withdrawal is kept as recorded",
                withdrawn_on=row.withdrawn_on.isoformat(),
            ),
            "withdrawn_on",
        )
    clean_date(changes, "withdrawn_on", required=True, nullable=False)
    check_dates_in_order(merged(row, changes), ("given_on", "withdrawn_on"))
    changes["withdrawn_by"] = actor.user_id


CONSENTS: RecordKind[Consent] = RecordKind(
    entity="consents",
    table=Consent,
    filterable=("person_id", "purpose"),
    check_create=_check_create,
    check_update=_check_update,
)
"""Consents: recorded by caseworkers and administrators; only a withdrawal changes one."""


@dataclass(frozen=True)
class ConsentView:
    """A consent as a person's page shows it, with the usernames behind it."""

    consent: Consent
    recorded_by: str | None
    withdrawn_by: str | None

    @property
    def active(self) -> bool:
        """Whether the consent is in force today."""
        withdrawn = self.consent.withdrawn_on
        return withdrawn is None or withdrawn > dt.date.today()


def consents_of_person(
    uow: UnitOfWork, actor: Actor, person_id: int, *, audit_read: bool = True
) -> list[ConsentView]:
    """The person's consents, newest first; a read of case data, audited (the person's
    page audits them in its own entry and passes `audit_read=False`)."""
    authorize(actor, "consents", "read")
    found = [ConsentView(c, r, w) for c, r, w in uow.sharing.consents_of(person_id)]
    if audit_read and found:
        ids = [view.consent.id for view in found]
        audit.record(
            uow,
            actor,
            "list",
            "consents",
            "-",
            after={"ids": ids, "filters": {"person_id": person_id}},
        )
        uow.commit()
    return found


def withdraw_consent(
    uow: UnitOfWork, actor: Actor, consent_id: int, version: int, on: Any
) -> Consent:
    """Record the withdrawal of a consent on day `on` (by the actor); audited."""
    return records.update_record(uow, actor, CONSENTS, consent_id, version, {"withdrawn_on": on})
