"""`rrms retention run`: anonymise the records past their retention period.

The periods are `rrms.domain.retention.RetentionPeriods` (defaults, or an
installation's TOML file named by `--periods` or `RRMS_RETENTION_FILE`). A run finds,
per kind of record, what is past its period and not held by an open case, and says how
many records of each kind it would change (a dry run, the default) or changes them
(`apply`): one transaction, all or nothing, with one audit entry naming the ids
anonymised — never a value, old or new.

What is held, whatever its age: every record of a person with an assistance not yet
paid or refused, a confidential case not closed, an open correction request, or a
decision on a screening list not fully decided; and open information requests, open
correction requests and confidential cases not closed themselves. Why a person is
held is not said: that would tell an administrator that a confidential case exists.

Confidential cases are anonymised like the rest, but their count is not printed nor
put in the administrator's entry: it goes into an entry of the `confidential_cases`
entity, whose ids and values the audit API withholds from everyone outside the units.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_
from rrms.domain.retention import (
    DEFAULT_PERIODS,
    RetentionPeriods,
    anonymised_person,
    is_due,
    parse_periods,
)
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid
from rrms.storage.tables import ConfidentialCase, CorrectionRequest, InformationRequest
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["PERIODS_ENV", "RetentionRun", "load_periods", "run_retention"]

PERIODS_ENV = "RRMS_RETENTION_FILE"
"""The environment variable naming an installation's retention file (TOML)."""

SHOWN_KINDS = (
    "persons",
    "documents",
    "returns",
    "assistance",
    "families",
    "screening_decisions",
    "information_requests",
    "correction_requests",
)
"""The kinds a run counts aloud, in the order printed."""


@dataclass(frozen=True)
class RetentionRun:
    """What a run changed (or, dry, would change): ids per kind."""

    applied: bool
    today: dt.date
    periods: RetentionPeriods
    changed: dict[str, list[int]] = field(default_factory=dict)
    confidential: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Records per kind, confidential cases left out (see the module's note)."""
        return {kind: len(self.changed.get(kind, [])) for kind in SHOWN_KINDS}


def load_periods(path: Path | None = None) -> RetentionPeriods:
    """The periods of `path`, else of the file `RRMS_RETENTION_FILE` names, else the
    defaults; `Invalid` naming the kind for a bad file."""
    named = path or (Path(os.environ[PERIODS_ENV]) if os.environ.get(PERIODS_ENV) else None)
    if named is None:
        return DEFAULT_PERIODS
    try:
        text = named.read_text(encoding="utf-8")
    except OSError as exc:
        raise Invalid(
            N_(
                "cannot read the retention file {named}: {strerror}",
                named=named,
                strerror=exc.strerror,
            ),
            "periods",
        ) from None
    try:
        return parse_periods(text, str(named))
    except RuleBroken as broken:
        raise Invalid(broken.message, broken.field) from None


def _due(closed: dict[int, dt.date], years: int | None, today: dt.date) -> list[int]:
    return sorted(i for i, day in closed.items() if is_due(day, years, today))


def run_retention(
    uow: UnitOfWork,
    actor: Actor,
    periods: RetentionPeriods = DEFAULT_PERIODS,
    *,
    apply: bool = False,
    today: dt.date | None = None,
) -> RetentionRun:
    """Find (and with `apply`, anonymise) what is past its period; audited, committed.

    A dry run needs `retention` read, applying needs `retention` write (administrators).
    """
    authorize(actor, "retention", "write" if apply else "read")
    today = today or dt.date.today()
    q = uow.retention
    held = q.held_persons()
    activity = q.last_activity()
    persons = sorted(
        person_id
        for person_id, last in activity.items()
        if person_id not in held and is_due(last, periods.persons, today)
    )
    changed: dict[str, list[int]] = {}
    changed["documents"] = q.anonymise_documents(persons, apply)
    changed["returns"] = q.anonymise_returns(persons, apply)
    changed["assistance"] = q.anonymise_assistance(persons, apply)
    changed["persons"] = q.anonymise_persons(persons, anonymised_person(None), apply)
    gone = set(changed["persons"])
    families = q.families_with_notes()
    members = {p for ids in families.values() for p in ids}
    already = q.anonymised_persons(members)
    families_due = sorted(
        family_id
        for family_id, ids in families.items()
        if ids and all(p in gone or p in already for p in ids)
    )
    changed["families"] = q.anonymise_families(families_due, apply)

    lists = _due(q.closed_lists(), periods.screening_decisions, today)
    decisions = [d for d, person in q.decisions_of_lists(lists) if person not in held]
    changed["screening_decisions"] = q.anonymise_decisions(decisions, apply)
    requests = _due(
        q.closed_on(InformationRequest, InformationRequest.answered_on, ("open",)),
        periods.information_requests,
        today,
    )
    changed["information_requests"] = q.anonymise_information_requests(requests, apply)
    corrections = _due(
        q.closed_on(CorrectionRequest, CorrectionRequest.closed_on, ("open",)),
        periods.correction_requests,
        today,
    )
    changed["correction_requests"] = q.anonymise_correction_requests(corrections, apply)
    cases = _due(
        q.closed_on(ConfidentialCase, ConfidentialCase.closed_on, ("open", "assisted")),
        periods.confidential_cases,
        today,
    )
    confidential = q.anonymise_confidential_cases(cases, apply)

    run = RetentionRun(apply, today, periods, changed, confidential)
    action = "retention" if apply else "retention_dry_run"
    audit.record(
        uow,
        actor,
        action,
        "retention",
        today.isoformat(),
        after={"periods": periods.as_dict(), "counts": run.counts, "ids": changed},
    )
    # Written on every run, with or without cases, so that its presence says nothing.
    audit.record(
        uow,
        actor,
        action,
        "confidential_cases",
        f"retention:{today.isoformat()}",
        after={"ids": confidential},
    )
    uow.commit()
    return run
