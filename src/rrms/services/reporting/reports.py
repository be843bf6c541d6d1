"""Running a report: who may see which version, and the audit entry of every run.

Every role may read reports (`access.PERMISSIONS["reports"]`), but not the same
report. The `reporting` role prepares what is published, so it only ever gets the
*public* version: small counts hidden (`rrms.reports.disclosure`), confidential
programmes folded away, confidential cases by year and district only. Asking for an
internal report with that role is refused, not silently downgraded, so that nobody
publishes a table believing it to be internal or the other way round. Every other
role gets the internal version by default and the public one on request. A user of a
confidential unit also sees their own unit's cases in detail in an internal report;
nobody else does (administrators included).

Each run writes one audit entry (action ``report``) naming the report, the period and
the version, and commits it; the report itself only reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rrms.domain.messages import N_, Word
from rrms.reports.programme_model import ProgrammeReport
from rrms.reports.programme_report import programme_report
from rrms.reports.returns_model import ReturnsReport
from rrms.reports.returns_report import returns_report
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Forbidden, Invalid
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "PUBLIC_ONLY_ROLES",
    "Bulletin",
    "bulletin",
    "is_public",
    "programmes",
    "returns",
]

PUBLIC_ONLY_ROLES = frozenset({"reporting"})
"""Roles that may only receive the public version of a report."""

AUDIT_ACTION = "report"


def is_public(actor: Actor, public: bool | None) -> bool:
    """Which version `actor` gets when asking for `public` (None: the role's default)."""
    authorize(actor, "reports", "read")
    if actor.role in PUBLIC_ONLY_ROLES:
        if public is False:
            raise Forbidden(
                N_(
                    "the role {role!r} receives public reports only; ask without public=false (or "
                    "with --public)",
                    role=Word(actor.role),
                )
            )
        return True
    return bool(public)


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise Invalid(
            N_(
                "the period ends ({date_to}) before it starts ({date_from})",
                date_to=date_to,
                date_from=date_from,
            ),
            "to",
        )


def _record(
    uow: UnitOfWork, actor: Actor, kind: str, date_from: dt.date, date_to: dt.date, public: bool
) -> None:
    audit.record(
        uow,
        actor,
        AUDIT_ACTION,
        "reports",
        f"{kind}:{date_from.isoformat()}:{date_to.isoformat()}",
        after={
            "report": kind,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "public": public,
        },
    )
    uow.commit()


def returns(
    uow: UnitOfWork, actor: Actor, date_from: dt.date, date_to: dt.date, public: bool | None = None
) -> ReturnsReport:
    """The returns report for the period, in the version the actor may see; audited."""
    shown_publicly = is_public(actor, public)
    _check_period(date_from, date_to)
    report = returns_report(uow.reports, date_from, date_to, shown_publicly)
    _record(uow, actor, "returns", date_from, date_to, shown_publicly)
    return report


def programmes(
    uow: UnitOfWork, actor: Actor, date_from: dt.date, date_to: dt.date, public: bool | None = None
) -> ProgrammeReport:
    """The programme report for the period, in the version the actor may see; audited."""
    shown_publicly = is_public(actor, public)
    _check_period(date_from, date_to)
    report = programme_report(uow.reports, date_from, date_to, shown_publicly, actor.unit)
    _record(uow, actor, "programmes", date_from, date_to, shown_publicly)
    return report


@dataclass(frozen=True)
class Bulletin:
    """The two reports a bulletin is written from, in the same version."""

    returns: ReturnsReport
    programmes: ProgrammeReport


def bulletin(
    uow: UnitOfWork, actor: Actor, date_from: dt.date, date_to: dt.date, public: bool | None = None
) -> Bulletin:
    """Both reports behind a bulletin, in one version, with one audit entry."""
    shown_publicly = is_public(actor, public)
    _check_period(date_from, date_to)
    result = Bulletin(
        returns=returns_report(uow.reports, date_from, date_to, shown_publicly),
        programmes=programme_report(uow.reports, date_from, date_to, shown_publicly, actor.unit),
    )
    _record(uow, actor, "bulletin", date_from, date_to, shown_publicly)
    return result
