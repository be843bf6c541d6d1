"""Subject access: everything RRMS holds on a person, for an administrator or a unit,
audited, as JSON and PDF; confidential cases only to their unit, never hinted at."""

from __future__ import annotations

import datetime as dt
import json
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.i18n import language
from rrms.services.core import records
from rrms.services.core.errors import Forbidden, NotFound
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.persons import PERSONS, search_persons
from rrms.services.records.subject_access import CONFIDENTIAL_NOTICE, subject_access
from rrms.storage.tables import (
    Assistance,
    AuditEntry,
    ConfidentialCase,
    Document,
    Family,
    FamilyMember,
    Programme,
    ScreeningDecision,
    ScreeningList,
)
from support.pdf import pdf_text


def _person(uow, actor, family_name="Gashi", given_name="Drita", **values):
    with uow() as u:
        person = records.create_record(
            u,
            actor,
            PERSONS,
            {"family_name": family_name, "given_name": given_name, **values},
        )
    return person.id


@pytest.fixture
def held(uow, actors):
    """A person with a record of every kind, and a second person in the same family."""
    worker = actors["caseworker"]
    person_id = _person(uow, worker, person_ref="KS-0001", birth_date="1970-05-02")
    other_id = _person(uow, worker, family_name="Krasniqi", given_name="Arben")
    with uow() as u:
        records.create_record(u, worker, PERSONS, {"family_name": "Gashi", "given_name": "X"})
        programme = Programme(code="T1", name="Test", donors=[], objectives="", version=1)
        family = Family(family_ref="FAM-1", version=1)
        listed = ScreeningList(
            file_name="list.csv",
            file_sha256="0" * 64,
            policy_version="p",
            as_of=dt.date(2004, 11, 15),
            screened_by=actors["screening_officer"].user_id,
            screened_at=dt.datetime(2004, 11, 15, tzinfo=dt.UTC),
            persons=1,
        )
        u.session.add_all([programme, family, listed])
        u.session.flush()
        u.session.add_all(
            [
                FamilyMember(family_id=family.id, person_id=person_id, relationship_to_head="head"),
                FamilyMember(
                    family_id=family.id, person_id=other_id, relationship_to_head="spouse"
                ),
                Document(person_id=person_id, kind="passport", number="P123", version=1),
                Assistance(
                    person_id=person_id,
                    programme_id=programme.id,
                    kind="cash",
                    amount=Decimal("100.00"),
                    currency="EUR",
                    status="paid",
                    requested_on=dt.date(2004, 9, 1),
                    version=1,
                ),
                ScreeningDecision(
                    list_id=listed.id,
                    person_ref="KS-0001",
                    family_ref="F",
                    policy_version="p",
                    recommendation="accept",
                    clauses=[],
                    missing=[],
                    explanation="accepted",
                    version=1,
                ),
                ConfidentialCase(
                    unit="counter_trafficking",
                    person_id=person_id,
                    case_type="victim_assistance",
                    opened_on=dt.date(2004, 3, 1),
                    summary="secret",
                    version=1,
                ),
            ]
        )
        u.commit()
    with uow() as u:
        records.create_record(
            u, worker, CORRECTION_REQUESTS, {"person_id": person_id, "what": "birth date"}
        )
    with uow() as u:
        search_persons(u, worker, "Gashi", limit=10)
    return person_id, other_id


def test_an_administrator_gets_everything_but_confidential_cases(uow, actors, held):
    person_id, other_id = held
    with uow() as u:
        doc = subject_access(u, actors["administrator"], person_id).document
    assert doc["person"]["family_name"] == "Gashi" and doc["person"]["person_ref"] == "KS-0001"
    assert [d["number"] for d in doc["documents"]] == ["P123"]
    assert [a["amount"] for a in doc["assistance"]] == ["100.00"]
    assert [d["person_ref"] for d in doc["screening_decisions"]] == ["KS-0001"]
    assert [c["what"] for c in doc["correction_requests"]] == ["birth date"]
    assert doc["families"][0]["family_ref"] == "FAM-1"
    assert {m["person_id"] for m in doc["families"][0]["members"]} == {person_id, other_id}
    text = json.dumps(doc)
    assert "Krasniqi" not in text, "another person's values are not given"
    assert "confidential_cases" not in doc and "secret" not in text
    assert CONFIDENTIAL_NOTICE in doc["notices"]
    actions = [(line["who"], line["action"], line["entity"]) for line in doc["log"]]
    assert ("caseworker_user", "create", "persons") in actions
    assert ("caseworker_user", "search", "persons") in actions, "listings that showed them"
    assert ("caseworker_user", "create", "correction_requests") in actions
    assert ("administrator_user", "subject_access", "persons") in actions, "itself"
    assert all(set(line) == {"at", "who", "action", "entity", "record_id"} for line in doc["log"])
    assert not any(line["record_id"] == str(other_id) for line in doc["log"])
    with uow() as u:
        entry = u.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "subject_access")
        ).one()
        assert entry.entity_id == str(person_id) and entry.username == "administrator_user"
        assert entry.after["records"]["documents"] == 1
        assert "Gashi" not in json.dumps(entry.after)


def test_the_notice_is_the_same_whether_a_confidential_case_exists(uow, actors, held):
    person_id, other_id = held
    with uow() as u:
        with_case = subject_access(u, actors["administrator"], person_id).document
    with uow() as u:
        without = subject_access(u, actors["administrator"], other_id).document
    assert with_case["notices"] == without["notices"]


def test_a_unit_gets_its_own_cases_only_and_is_audited_apart(uow, actors, held):
    person_id, _ = held
    with uow() as u:
        mine = subject_access(u, actors["counter_trafficking"], person_id).document
    assert [c["summary"] for c in mine["confidential_cases"]] == ["secret"]
    assert "person" not in mine and "returns" not in mine
    with uow() as u:
        theirs = subject_access(u, actors["medical"], person_id).document
    assert theirs["confidential_cases"] == []
    assert all(line["who"] == "medical_user" for line in theirs["log"])
    with uow() as u:
        entities = set(
            u.session.scalars(
                select(AuditEntry.entity).where(AuditEntry.action == "subject_access")
            )
        )
    assert entities == {"confidential_cases"}, "never on the person"
    with uow() as u:
        admin = subject_access(u, actors["administrator"], person_id).document
    assert not any(line["who"] == "counter_trafficking_user" for line in admin["log"])


@pytest.mark.parametrize(
    "role", ["caseworker", "screening_officer", "programme_manager", "reporting"]
)
def test_other_roles_are_refused(uow, actors, held, role):
    with uow() as u, pytest.raises(Forbidden):
        subject_access(u, actors[role], held[0])


def test_an_unknown_person_is_not_found(uow, actors, held):
    with uow() as u, pytest.raises(NotFound):
        subject_access(u, actors["administrator"], 999_999)


def test_the_pdf_and_json_files(uow, actors, held):
    with uow() as u:
        access = subject_access(u, actors["administrator"], held[0])
    assert json.loads(access.json_bytes())["person_id"] == held[0]
    assert access.pdf_bytes().startswith(b"%PDF")
    assert access.file_name("pdf") == f"subject-access-{held[0]}.pdf"


def test_the_command_writes_both_files_privately(
    uow, actors, held, database_url, monkeypatch, tmp_path: Path
):
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    out = tmp_path / "answer"
    result = CliRunner().invoke(
        app, ["subject-access", str(held[0]), "--out", str(out), "--as", "administrator_user"]
    )
    assert result.exit_code == 0, result.output
    for suffix in ("json", "pdf"):
        path = out / f"subject-access-{held[0]}.{suffix}"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    refused = CliRunner().invoke(
        app, ["subject-access", str(held[0]), "--out", str(out), "--as", "caseworker_user"]
    )
    assert refused.exit_code == 2 and "subject access" in refused.output
    unknown = CliRunner().invoke(
        app, ["subject-access", str(held[0]), "--out", str(out), "--as", "nobody"]
    )
    assert unknown.exit_code == 2 and "no active RRMS user" in unknown.output


@pytest.mark.parametrize("code", ["en", "sq", "sr", "sr-Cyrl"])
def test_the_command_writes_the_pdf_in_the_persons_language(
    code, uow, actors, held, database_url, monkeypatch, tmp_path: Path
):
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    result = CliRunner().invoke(
        app,
        ["subject-access", str(held[0]), "--out", str(tmp_path), "--as", "administrator_user"]
        + ["--language", code],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text((tmp_path / f"subject-access-{held[0]}.pdf").read_bytes()).split())
    heading = language(code).gettext("What RRMS holds on person %(id)s") % {"id": held[0]}
    assert heading in text
    english = [words for words in SUBJECT_ACCESS_ENGLISH if words in text]
    assert english == (list(SUBJECT_ACCESS_ENGLISH) if code == "en" else []), english


SUBJECT_ACCESS_ENGLISH = (
    "What RRMS holds on person",
    "Confidential.",
    "This document holds personal data",
    "Families",
    "Screening decisions",
    "Correction requests",
    "Who read or changed these records",
    "None recorded",
    "Family name",
    "Given name",
    "Produced by RRMS",
    "Cases of the counter-trafficking",
)
"""Headings, labels and notices of the English document."""


def test_the_pdf_is_written_in_the_readers_language(uow, actors, held):
    with uow() as u:
        access = subject_access(u, actors["administrator"], held[0])
    english = " ".join(pdf_text(access.pdf_bytes()).split())
    albanian = " ".join(pdf_text(access.pdf_bytes(language("sq"))).split())
    assert all(words in english for words in SUBJECT_ACCESS_ENGLISH)
    shown = [words for words in SUBJECT_ACCESS_ENGLISH if words in albanian]
    assert not shown, shown
    assert f"Çfarë mban RRMS për personin {held[0]}" in albanian
    assert "Mbiemri" in albanian and "Gashi" in albanian  # the label translated, not the name
    assert json.loads(access.json_bytes())["notices"][0] == CONFIDENTIAL_NOTICE  # JSON as is
