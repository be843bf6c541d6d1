"""Checks where records come in, on SQLite and PostgreSQL: a list's persons against the
register (with returns and earlier lists), a new person at the desk, an import's
incoming persons. Each is an audited read; confidential cases' persons are never
shown; nothing is merged or written but the audit entry."""

from __future__ import annotations

import datetime as dt
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
from rrms.services.identity.checks import (
    file_person_refs,
    incoming_matches,
    likely_duplicates,
    list_checks,
)
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.tables import AuditEntry, Person, ScreeningDecision, ScreeningList
from rrms.storage.unit_of_work import UnitOfWork
from support.known_persons import brothers_and_a_victim, person

Uow = Callable[[], UnitOfWork]


@pytest.fixture
def register(uow: Uow, actors: dict[str, Actor]) -> dict[str, Person]:
    """Agim Xhaferi, returned from Germany and on an earlier Swiss list where he was
    accepted; his brother Arben; and Arta Gashi, a victim of trafficking known only
    to the counter-trafficking unit."""
    caseworker = actors["caseworker"]
    known = brothers_and_a_victim(uow, actors)
    agim = known["agim"]
    with uow() as u:
        records.create_record(
            u,
            caseworker,
            RETURNS,
            {
                "movement_ref": "M-1",
                "person_id": agim.id,
                "return_type": "forced",
                "sending_country": "DE",
                "transport_mode": "air",
                "arrival_date": dt.date(2004, 3, 9),
                "destination_municipality": "Pejë",
            },
        )
        officer = actors["screening_officer"]
        earlier = ScreeningList(
            file_name="swiss-2004-10.csv",
            file_sha256="a" * 64,
            sending_country="CH",
            policy_version="2004-1",
            as_of=dt.date(2004, 10, 1),
            screened_by=officer.user_id,
            screened_at=dt.datetime(2004, 10, 1, 9, tzinfo=dt.UTC),
            persons=2,
        )
        u.session.add(earlier)
        u.session.flush()
        for ref, person_id, outcome in (("CH-9", agim.id, "accept"), ("L9", None, "object")):
            u.session.add(
                ScreeningDecision(
                    list_id=earlier.id,
                    person_ref=ref,
                    family_ref="F-" + ref,
                    person_id=person_id,
                    policy_version="2004-1",
                    recommendation=outcome,
                    clauses=[],
                    missing=[],
                    explanation="",
                    decision=outcome,
                    decided_by=officer.user_id,
                    decided_at=dt.datetime(2004, 10, 2, tzinfo=dt.UTC),
                )
            )
        u.commit()
    return known


@pytest.fixture
def new_list(write_list: Callable[..., Path]) -> Path:
    """A German list: Agim by ear, a stranger, Arta (confidential), and a person whose
    reference was on the Swiss list."""
    return write_list(
        "germany.csv",
        [
            ("L1", "Dschaferi", "Agim", "Bajram", "m", "12.05.1980", "", "Peć"),
            ("L2", "Hoxha", "Besnik", "Ramadan", "m", "1969", "", "Gjilan"),
            ("L3", "Gashi", "Arta", "Naim", "f", "01.01.1990", "", "Prizren"),
            ("L9", "Morina", "Fatime", "", "f", "1955", "", "Ferizaj"),
        ],
    )


def audited(uow: Uow, entity_id: str) -> list[tuple[str, dict | None]]:
    with uow() as u:
        query = select(AuditEntry).where(
            AuditEntry.entity == "persons", AuditEntry.entity_id == entity_id
        )
        return [(e.username, e.after) for e in u.session.scalars(query)]


def test_a_list_is_checked_against_the_register_and_earlier_lists(
    uow, actors, register, new_list
) -> None:
    officer = actors["screening_officer"]
    with uow() as u:
        checks = list_checks(u, officer, new_list, ["L1", "L2", "L3", "L9"])
    assert set(checks) == {"L1", "L9"}  # the stranger matches nobody; Arta is never read
    agim = checks["L1"].persons
    assert [k.person_id for k in agim] == [register["agim"].id]  # not his brother
    assert agim[0].evidence["family_name"] == "same after transliteration"
    assert [(r.arrival_date, r.sending_country) for r in agim[0].returns] == [
        (dt.date(2004, 3, 9), "DE")
    ]
    [swiss] = agim[0].notifications
    assert (swiss.sending_country, swiss.as_of, swiss.decision) == (
        "CH",
        dt.date(2004, 10, 1),
        "accept",
    )
    [same_ref] = checks["L9"].same_reference
    assert (same_ref.list_name, same_ref.decision) == ("swiss-2004-10.csv", "object")
    [(username, after)] = audited(uow, "screening-check")
    assert username == "screening_officer_user" and after is not None
    assert after["persons_shown"] == [register["agim"].id]
    assert after["persons_checked"] == 4


def test_the_list_itself_is_not_an_earlier_list(uow, actors, register, new_list) -> None:
    with uow() as u:
        checks = list_checks(u, actors["screening_officer"], new_list, ["L9"], list_sha256="a" * 64)
    assert checks == {}


def test_a_role_that_may_not_read_returns_or_screening_sees_only_the_persons(
    uow, actors, register, new_list
) -> None:
    with uow() as u:
        checks = list_checks(u, actors["programme_manager"], new_list, ["L1", "L9"])
    assert set(checks) == {"L1"}
    assert checks["L1"].persons[0].notifications == []  # screening is not theirs to read
    assert checks["L1"].persons[0].returns != []  # returns are


def test_likely_duplicates_before_creating_a_person(uow, actors, register) -> None:
    caseworker = actors["caseworker"]
    with uow() as u:
        found = likely_duplicates(
            u,
            caseworker,
            {
                "family_name": "Džaferi",
                "given_name": "Agim",
                "father_name": "Bajram",
                "birth_date": "1980",
                "origin_municipality": "Peja",
            },
        )
        nobody = likely_duplicates(
            u,
            caseworker,
            {"family_name": "Gashi", "given_name": "Arta", "birth_date": "1990-01-01"},
        )
    assert [k.person_id for k in found] == [register["agim"].id]
    assert found[0].evidence["birth_date"] == "same year, one date known only to the year"
    assert nobody == []  # the confidential case's person is never shown
    shown = [after["persons_shown"] for _, after in audited(uow, "duplicate-check") if after]
    assert shown == [[register["agim"].id], []]


def test_checks_need_a_role_that_may_read_persons(uow, actors, register, new_list) -> None:
    with uow() as u, pytest.raises(Forbidden):
        likely_duplicates(u, actors["reporting"], {"family_name": "Xhaferi", "given_name": "A"})
    with uow() as u, pytest.raises(Forbidden):
        list_checks(u, actors["counter_trafficking"], new_list, ["L1"])


def test_incoming_persons_matching_other_references(uow, actors, register) -> None:
    caseworker = actors["caseworker"]
    person(
        uow,
        caseworker,
        person_ref="IOM-77",
        family_name="Džaferi",
        given_name="Agim",
        father_name="Bajram",
        sex="m",
        birth_date="1980-05-12",
        origin_municipality="Peć",
    )
    with uow() as u:
        persons_before = u.session.scalar(select(func.count()).select_from(Person))
        found = incoming_matches(u, caseworker, {"IOM-77", "R-2"})
    assert (found.incoming, found.matching) == (2, 1)  # IOM-77 is R-1; R-2 is his brother
    with uow() as u:  # nothing merged
        assert u.session.scalar(select(func.count()).select_from(Person)) == persons_before
    [(_user, after)] = audited(uow, "import-check")
    assert after is not None and after["matching"] == ["IOM-77"]


def test_import_returns_reports_the_matches(
    monkeypatch, database_url, uow, actors, register, write_list
) -> None:
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    header = (
        "movement_ref",
        "person_ref",
        "family_name",
        "given_name",
        "father_name",
        "sex",
        "birth_date",
        "return_type",
        "sending_country",
        "transport_mode",
        "arrival_date",
        "destination_municipality",
    )
    row = ("M-9", "IOM-77", "Džaferi", "Agim", "Bajram", "m", "1980-05-12", "forced", "DE")
    path = write_list("returns.csv", [(*row, "air", "2005-01-10", "Peć")], header=header)
    assert file_person_refs(path) == {"IOM-77"}
    result = CliRunner().invoke(
        app, ["import", "returns", str(path), "--as", "caseworker_user", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["identity"]["incoming_persons"] == 1
    assert answer["identity"]["matching_other_persons"] == 1
    text = CliRunner().invoke(app, ["import", "returns", str(path), "--as", "caseworker_user"])
    assert "1 of 1 incoming persons are likely persons already held" in text.stdout
