"""`rrms link --with-register` on SQLite and PostgreSQL: an audited read by a named user."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.core.errors import Forbidden
from rrms.services.identity.link import link_with_register
from rrms.services.records.documents import DOCUMENTS
from rrms.storage.tables import AuditEntry, Person
from rrms.storage.unit_of_work import UnitOfWork
from support.known_persons import brothers_and_a_victim, person
from support.linkage_lists import DEDUPE_ROWS

Uow = Callable[[], UnitOfWork]


@pytest.fixture
def register(uow: Uow, actors: dict[str, Actor]) -> dict[str, Person]:
    """The register: Agim Xhaferi (with a passport), his brother, a person without a
    reference, and a victim of trafficking known to the counter-trafficking unit."""
    caseworker = actors["caseworker"]
    known = brothers_and_a_victim(uow, actors)
    with uow() as u:
        records.create_record(
            u,
            caseworker,
            DOCUMENTS,
            {"person_id": known["agim"].id, "kind": "passport", "number": "P1234567"},
        )
    unreferenced = person(
        uow,
        caseworker,
        family_name="Berisha",
        given_name="Drita",
        father_name="Ilir",
        birth_date="1975-03-01",
        origin_municipality="Gjakovë",
        sex="f",
    )
    return {**known, "unreferenced": unreferenced}


@pytest.fixture
def listed(write_list: Callable[..., Path]) -> Path:
    return write_list(
        "list.csv",
        [
            *DEDUPE_ROWS[:4],
            ("L1", "Berisha", "Drita", "Ilir", "f", "1975", "", "Đakovica"),
            ("L2", "Gashi", "Arta", "Naim", "f", "01.01.1990", "", "Prizren"),
        ],
    )


@pytest.fixture
def rrms(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return invoke


def audit_entries(uow: Uow) -> list[tuple[str, str, dict | None]]:
    """(username, action, after) of every audit entry of a linkage read."""
    with uow() as u:
        query = select(AuditEntry).where(
            AuditEntry.entity == "persons", AuditEntry.entity_id == "linkage"
        )
        return [(e.username, e.action, e.after) for e in u.session.scalars(query)]


def test_link_with_the_register(rrms, register, listed, uow) -> None:
    code, out, err = rrms(
        "link", str(listed), "--with-register", "--as", "caseworker_user", "--format", "json"
    )
    assert code == 0, err
    answer = json.loads(out)
    assert answer["mode"] == "link"
    assert answer["records"] == {"left": 6, "right": 3}  # the victim is not read
    pairs = {(pair["left"], pair["right"]) for pair in answer["pairs"]}
    unreferenced = f"rrms:{register['unreferenced'].id}"
    assert pairs == {
        ("D01", "R-1"),
        ("D02", "R-1"),
        ("D03", "R-1"),
        ("D04", "R-1"),
        ("L1", unreferenced),
    }
    assert ["D01", "R-1"] in answer["clusters"]
    assert all(pair["right"] != "R-4" for pair in answer["pairs"])
    evidence = next(p["evidence"] for p in answer["pairs"] if p["left"] == "D04")
    assert evidence["document_number"] == "same"
    assert answer["model"]["name"] == "kosovo-synthetic"

    entries = audit_entries(uow)
    assert len(entries) == 1
    username, action, after = entries[0]
    assert username == "caseworker_user" and action == "read"
    assert after is not None
    assert after["persons_compared"] == 3
    assert after["persons_matched"] == sorted(["R-1", unreferenced])


def test_nothing_but_the_audit_entry_is_written(rrms, register, listed, uow) -> None:
    with uow() as u:
        before = u.session.scalar(select(func.count()).select_from(Person))
        audited = u.session.scalar(select(func.count()).select_from(AuditEntry))
    code, _out, err = rrms("link", str(listed), "--with-register", "--as", "caseworker_user")
    assert code == 0, err
    with uow() as u:
        assert u.session.scalar(select(func.count()).select_from(Person)) == before
        assert u.session.scalar(select(func.count()).select_from(AuditEntry)) == audited + 1


@pytest.mark.parametrize(
    ("user", "message"),
    [("reporting_user", "may not see persons"), ("nobody", "no active RRMS user")],
)
def test_the_register_is_read_only_by_users_who_may_read_persons(
    rrms, register, listed, uow, user, message
) -> None:
    code, _out, err = rrms("link", str(listed), "--with-register", "--as", user)
    assert code == 2 and message in err
    assert audit_entries(uow) == []


def test_the_service_refuses_a_confidential_unit(uow, actors, register, listed) -> None:
    with uow() as u, pytest.raises(Forbidden):
        link_with_register(u, actors["counter_trafficking"], listed)
