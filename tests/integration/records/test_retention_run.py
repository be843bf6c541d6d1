"""`rrms retention run`: records past their period are anonymised, every report's figures
stay the same, nothing under an open case is touched, a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.demo.data import PERIOD_FROM, PERIOD_TO
from rrms.demo.loader import load_demo
from rrms.domain.retention import REMOVED, RetentionPeriods
from rrms.reference.identity import name_keys
from rrms.reports.rendering import render_bulletin_html
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.core.errors import Forbidden
from rrms.services.records.retention import run_retention
from rrms.services.reporting import reports as reporting
from rrms.storage.tables import (
    Assistance,
    AuditEntry,
    ConfidentialCase,
    CorrectionRequest,
    Document,
    Family,
    FamilyMember,
    InformationRequest,
    Person,
    Programme,
    Return,
    ScreeningDecision,
    ScreeningList,
)

LATER = dt.date(2050, 1, 1)
"""A day when every demo record is past every default period."""


def _figures(uow, actors: dict[str, Actor]) -> dict[str, Any]:
    """Every report, internal and public, and the unit's own internal view."""
    result: dict[str, Any] = {}
    for name, actor in (("system", SYSTEM), ("unit", actors["counter_trafficking"])):
        for public in (False, True):
            with uow() as u:
                both = reporting.bulletin(u, actor, PERIOD_FROM, PERIOD_TO, public)
            key = f"{name}:{'public' if public else 'internal'}"
            result[f"{key}:bulletin"] = render_bulletin_html(both.returns, both.programmes)
            with uow() as u:
                result[f"{key}:returns"] = reporting.returns(
                    u, actor, PERIOD_FROM, PERIOD_TO, public
                ).to_json()
            with uow() as u:
                result[f"{key}:programmes"] = reporting.programmes(
                    u, actor, PERIOD_FROM, PERIOD_TO, public
                ).to_json()
    return json.loads(json.dumps(result, default=str))


def _person(session, ref: str, **values: Any) -> Person:
    person = Person(
        person_ref=ref,
        family_name="Berisha",
        given_name=ref,
        father_name="Agim",
        search_key=f"berisha {ref.lower()}",
        sex="f",
        birth_date="1970-05-02",
        birth_year=1970,
        community="roma",
        origin_municipality="PR",
        origin_settlement="Kolonia",
        notes="lives with her brother",
        version=1,
        **values,
    )
    session.add(person)
    session.flush()
    return person


@pytest.fixture
def population(session_factory, uow, actors) -> dict[str, int]:
    """The demo at a small scale, and persons each held by one kind of open case."""
    load_demo(session_factory, history_scale=0.002)
    with uow() as u:
        s = u.session
        programme = s.scalars(
            select(Programme).where(Programme.confidential_unit.is_(None))
        ).first()
        assert programme is not None
        free = _person(s, "FREE")
        family = Family(family_ref="FAM-R", notes="the father is in prison", version=1)
        s.add(family)
        s.flush()
        s.add(FamilyMember(family_id=family.id, person_id=free.id, relationship_to_head="head"))
        s.add(Document(person_id=free.id, kind="passport", number="P1", version=1))
        s.add(
            Assistance(
                person_id=free.id,
                programme_id=programme.id,
                kind="cash",
                amount=Decimal("50.00"),
                currency="EUR",
                status="refused",
                requested_on=dt.date(2004, 1, 5),
                refusal_reason="she has a job",
                version=1,
            )
        )
        held_assistance = _person(s, "HELD-ASSISTANCE")
        s.add(
            Assistance(
                person_id=held_assistance.id,
                programme_id=programme.id,
                kind="cash",
                amount=Decimal("50.00"),
                currency="EUR",
                status="requested",
                requested_on=dt.date(2004, 1, 5),
                version=1,
            )
        )
        held_case = _person(s, "HELD-CASE")
        s.add(
            ConfidentialCase(
                unit="medical",
                person_id=held_case.id,
                case_type="medical_escort",
                opened_on=dt.date(2004, 1, 1),
                status="assisted",
                summary="needs dialysis",
                version=1,
            )
        )
        s.add(
            ConfidentialCase(
                unit="counter_trafficking",
                person_id=free.id,
                case_type="shelter_referral",
                opened_on=dt.date(2004, 1, 1),
                closed_on=dt.date(2004, 2, 1),
                status="closed",
                district="GJI",
                summary="sheltered in Gjilan",
                version=1,
            )
        )
        held_correction = _person(s, "HELD-CORRECTION")
        s.add(
            CorrectionRequest(
                person_id=held_correction.id,
                what="my name",
                requested_on=dt.date(2004, 2, 1),
                recorded_by="caseworker_user",
                status="open",
                version=1,
            )
        )
        s.add(
            CorrectionRequest(
                person_id=free.id,
                what="my father's name",
                requested_on=dt.date(2004, 2, 1),
                recorded_by="caseworker_user",
                status="refused",
                refusal_reason="the register agrees",
                closed_on=dt.date(2004, 3, 1),
                closed_by="caseworker_user",
                version=1,
            )
        )
        held_list = _person(s, "HELD-LIST")
        undecided = ScreeningList(
            file_name="open.csv",
            file_sha256="1" * 64,
            policy_version="p",
            as_of=dt.date(2004, 11, 1),
            screened_by=actors["screening_officer"].user_id,
            screened_at=dt.datetime(2004, 11, 1, tzinfo=dt.UTC),
            persons=1,
        )
        decided = ScreeningList(
            file_name="closed.csv",
            file_sha256="2" * 64,
            policy_version="p",
            as_of=dt.date(2004, 10, 1),
            screened_by=actors["screening_officer"].user_id,
            screened_at=dt.datetime(2004, 10, 1, tzinfo=dt.UTC),
            persons=1,
        )
        s.add_all([undecided, decided])
        s.flush()
        s.add_all(
            [
                ScreeningDecision(
                    list_id=undecided.id,
                    person_ref="HELD-LIST",
                    family_ref="F1",
                    policy_version="p",
                    recommendation="review",
                    clauses=["A.1"],
                    missing=[],
                    explanation="severe illness",
                    version=1,
                ),
                ScreeningDecision(
                    list_id=decided.id,
                    person_ref="FREE",
                    family_ref="F2",
                    person_id=free.id,
                    policy_version="p",
                    recommendation="review",
                    clauses=["A.1"],
                    missing=[],
                    explanation="threatened by neighbours",
                    decision="object",
                    reason="the officer heard of threats",
                    decided_by=actors["screening_officer"].user_id,
                    decided_at=dt.datetime(2004, 10, 5, tzinfo=dt.UTC),
                    version=1,
                ),
            ]
        )
        ids = {
            "free": free.id,
            "held_assistance": held_assistance.id,
            "held_case": held_case.id,
            "held_correction": held_correction.id,
            "held_list": held_list.id,
            "family": family.id,
        }
        u.commit()
    return ids


def _table(uow, table: Any) -> list[tuple[Any, ...]]:
    with uow() as u:
        rows = u.session.execute(select(table.__table__).order_by(table.__table__.c.id)).all()
    return [tuple(row) for row in rows]


def test_the_reports_are_the_same_after_anonymising(uow, actors, population):
    before = _figures(uow, actors)
    with uow() as u:
        dry = run_retention(u, SYSTEM, today=LATER)
    with uow() as u:
        run = run_retention(u, SYSTEM, apply=True, today=LATER)
    assert run.counts == dry.counts
    assert run.counts["persons"] > 10 and run.counts["information_requests"] > 0
    assert run.confidential, "closed demo cases are anonymised too"
    after = _figures(uow, actors)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key

    with uow() as u:
        free = u.session.get(Person, population["free"])
        assert (free.family_name, free.given_name, free.father_name) == (REMOVED, REMOVED, None)
        assert (free.family_key, free.given_key) == name_keys(REMOVED, REMOVED)  # not Berisha's
        assert (free.birth_date, free.birth_year, free.origin_municipality) == ("1970", 1970, "PR")
        assert free.notes is None and free.origin_settlement is None and free.version == 2
        assert free.person_ref == "FREE"
        document = u.session.scalars(select(Document).where(Document.person_id == free.id)).one()
        assert document.number is None and document.kind == "passport"
        refused = u.session.scalars(select(Assistance).where(Assistance.person_id == free.id)).one()
        assert refused.refusal_reason == REMOVED and refused.amount == Decimal("50.00")
        assert u.session.get(Family, population["family"]).notes is None
        decision = u.session.scalars(
            select(ScreeningDecision).where(ScreeningDecision.person_ref == "FREE")
        ).one()
        assert (decision.reason, decision.explanation) == (REMOVED, REMOVED)
        assert decision.decision == "object"
        for key in ("held_assistance", "held_case", "held_correction", "held_list"):
            held = u.session.get(Person, population[key])
            assert held.family_name == "Berisha" and held.version == 1, key
        undecided = u.session.scalars(
            select(ScreeningDecision).where(ScreeningDecision.person_ref == "HELD-LIST")
        ).one()
        assert undecided.explanation == "severe illness"
        summaries = {
            case.person_id: case.summary
            for case in u.session.scalars(
                select(ConfidentialCase).where(ConfidentialCase.person_id.is_not(None))
            )
        }
        assert summaries == {population["held_case"]: "needs dialysis", free.id: ""}
        requests = u.session.scalars(select(InformationRequest)).all()
        assert all((r.question == REMOVED) == (r.status != "open") for r in requests)
        assert all(r.notes is None for r in u.session.scalars(select(Return)))
        entries = u.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "retention").order_by(AuditEntry.id)
        ).all()
        assert [e.entity for e in entries] == ["retention", "confidential_cases"]
        assert entries[0].after["counts"] == run.counts
        assert "Berisha" not in json.dumps(entries[0].after)
        assert "confidential_cases" not in entries[0].after["counts"]

    with uow() as u:
        again = run_retention(u, SYSTEM, apply=True, today=LATER)
    assert set(again.counts.values()) == {0} and again.confidential == []


def test_a_dry_run_changes_nothing(uow, population):
    tables = (Person, Document, Return, Assistance, ScreeningDecision, InformationRequest)
    before = {t.__tablename__: _table(uow, t) for t in tables}
    with uow() as u:
        dry = run_retention(u, SYSTEM, today=LATER)
    assert dry.counts["persons"] > 0 and not dry.applied
    assert {t.__tablename__: _table(uow, t) for t in tables} == before
    with uow() as u:
        actions = list(u.session.scalars(select(AuditEntry.action)))
    assert actions.count("retention_dry_run") == 2 and "retention" not in actions


def test_nothing_is_due_before_its_period(uow, population):
    with uow() as u:
        run = run_retention(u, SYSTEM, apply=True, today=dt.date(2005, 1, 1))
    assert set(run.counts.values()) == {0}
    with uow() as u:
        never = RetentionPeriods(
            persons=None,
            screening_decisions=None,
            information_requests=None,
            confidential_cases=None,
            correction_requests=None,
        )
        assert set(run_retention(u, SYSTEM, never, today=LATER).counts.values()) == {0}


def test_only_an_administrator_runs_it(uow, actors, population):
    for role in ("caseworker", "programme_manager", "counter_trafficking", "reporting"):
        with uow() as u, pytest.raises(Forbidden):
            run_retention(u, actors[role], today=LATER)


def test_the_command_dry_run_then_apply(population, database_url, monkeypatch, tmp_path: Path, uow):
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    monkeypatch.delenv("RRMS_RETENTION_FILE", raising=False)
    runner = CliRunner()
    dry = runner.invoke(app, ["retention", "run", "--as", "vhoxha"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "information_requests" in dry.output
    assert "nothing was changed" in dry.output
    counted = runner.invoke(app, ["retention", "run", "--json", "--as", "vhoxha"])
    counts = json.loads(counted.output)["counts"]
    assert counts["information_requests"] > 0 and counts["persons"] == 0, "demo persons are new"
    applied = runner.invoke(app, ["retention", "run", "--apply", "--json", "--as", "vhoxha"])
    assert json.loads(applied.output) == {"applied": True, "counts": counts}
    again = runner.invoke(app, ["retention", "run", "--json", "--as", "vhoxha"])
    assert set(json.loads(again.output)["counts"].values()) == {0}
    with uow() as u:
        who = set(
            u.session.scalars(select(AuditEntry.username).where(AuditEntry.entity == "retention"))
        )
    assert who == {"vhoxha"}

    periods = tmp_path / "retention.toml"
    periods.write_text('[retention]\npersons = "ten"\n', encoding="utf-8")
    bad = runner.invoke(app, ["retention", "run", "--periods", str(periods), "--as", "v"])
    assert bad.exit_code == 2 and "persons" in bad.output
    monkeypatch.setenv("RRMS_RETENTION_FILE", str(periods))
    assert runner.invoke(app, ["retention", "run", "--as", "v"]).exit_code == 2
