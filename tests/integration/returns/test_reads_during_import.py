"""Pages answer while an import writes to SQLite (issue 13, finding 4).

An import holds SQLite's one write lock until it commits, and every page view appends
a `read` (or `list`) entry to the audit chain, which needs that lock: page requests
once failed with 500 "database is locked" after the busy timeout. Now a reader who
cannot get the lock at once queues its entry durably beside the database
(`rrms.storage.read_queue`), and the next holder of the lock chains it; a change that
must wait past the busy timeout gets 503 with Retry-After ("an import is running").

The import is held in its writing phase (a progress callback that waits) for longer
than the busy timeout, lowered here to one second so the test stays short.
"""

from __future__ import annotations

import csv
import sqlite3
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from rrms.services.core import audit, records
from rrms.services.core.access import Actor
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.services.returns.register_import import RETURN_COLUMNS, import_returns
from rrms.storage.tables import AuditEntry, Programme
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.server import create_server
from support.pages import PASSWORD, sign_in

WORKER = Actor(user_id=None, username="caseworker_user", role="caseworker")
ROWS = 3000


def _pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=1000")  # the production 10 s, shortened
    cursor.close()


@pytest.fixture
def factory(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's single write lock")
    engine = create_engine(database_url)
    event.listen(engine, "connect", _pragmas)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def _register(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(RETURN_COLUMNS), extrasaction="ignore")
        writer.writeheader()
        for number in range(1, ROWS + 1):
            writer.writerow(
                {
                    "movement_ref": f"MOV-{number}",
                    "person_ref": f"KS-{number}",
                    "family_name": "Krasniqi",
                    "given_name": f"Arben{number}",
                    "return_type": "voluntary",
                    "programme": "AVR",
                    "sending_country": "DE",
                    "transport_mode": "air",
                    "arrival_date": "2004-08-03",
                    "destination_municipality": "Pejë/Peć",
                }
            )
    return path


def _database_file(factory) -> str:
    return str(factory.kw["bind"].url.database)


def test_pages_answer_during_an_import_and_their_reads_reach_the_chain(
    factory, actors, tmp_path, monkeypatch
):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    with UnitOfWork(factory) as u:
        u.session.add(Programme(code="AVR", name="Assisted Voluntary Returns"))
        person = records.create_record(
            u, WORKER, PERSONS, {"family_name": "Gashi", "given_name": "Drita"}
        )
        u.commit()
    with UnitOfWork(factory) as u:  # an arrival, so that listing returns is audited
        records.create_record(u, WORKER, RETURNS, {
            "movement_ref": "MOV-0", "person_id": person.id, "return_type": "forced",
            "sending_country": "DE", "transport_mode": "air", "arrival_date": "2004-08-01",
            "destination_municipality": "Peja"})  # fmt: skip
    holding, release = threading.Event(), threading.Event()

    def progress(done: int, total: int | None) -> None:
        if total is not None and not holding.is_set():
            holding.set()  # writing: the import holds the write lock until it commits
            release.wait(30)

    failures: list[BaseException] = []

    def run() -> None:
        try:
            import_returns(
                lambda: UnitOfWork(factory), WORKER, _register(tmp_path / "big.csv"), progress
            )
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            holding.set()

    importer = threading.Thread(target=run)
    with TestClient(create_server(factory)) as client:
        sign_in(client, "caseworker")
        token = client.post(
            "/api/auth/token", json={"username": "caseworker_user", "password": PASSWORD}
        ).json()["access_token"]
        api = {"Authorization": f"Bearer {token}"}
        importer.start()
        try:
            assert holding.wait(120) and not failures, failures
            with pytest.raises(sqlite3.OperationalError):  # the lock is held
                sqlite3.connect(_database_file(factory), timeout=0).execute("BEGIN IMMEDIATE")
            reads = [
                client.get(f"/persons/{person.id}"),
                client.get("/returns"),
                client.get(f"/api/persons/{person.id}", headers=api),
                client.get("/api/returns", headers=api),
            ]
            assert [r.status_code for r in reads] == [200, 200, 200, 200]
            # a change must wait for the import: a clear answer, not a 500
            created = client.post(
                "/api/persons", json={"family_name": "Berisha", "given_name": "Ilir"}, headers=api
            )
            assert created.status_code == 503
            assert created.json()["detail"] == "an import is running; try again in a moment"
            assert created.headers["Retry-After"]
            page = client.post(
                "/persons/new",
                data={"family_name": "Berisha", "given_name": "Ilir"},
                headers={"Accept-Language": "sq"},
            )
            assert page.status_code == 503 and page.headers["Retry-After"]
            assert "Po kryhet një importim" in page.text
        finally:
            release.set()
            importer.join(120)
        assert not failures, failures

        # what was queued after the import chained the queue waits for the next holder
        # of the lock: the next page view, or `rrms audit verify`
        assert client.get(f"/persons/{person.id}").status_code == 200
    with UnitOfWork(factory) as u:
        assert u.audit_log.deferred() == []
        deferred = [
            (e.action, e.entity, e.entity_id, e.username)
            for e in u.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if isinstance(e.after, dict) and "deferred" in e.after
        ]
        assert list(audit.verify_chain(u)) == []
    # the person's page and the API's read, the page's and the API's list of returns
    assert deferred.count(("read", "persons", str(person.id), "caseworker_user")) == 2
    assert deferred.count(("list", "returns", "-", "caseworker_user")) == 2


def test_a_queued_read_chained_twice_is_not_chained_again(factory, actors, monkeypatch):
    """A crash after the chain committed but before the queue forgot the entry leaves
    it queued: the next holder of the lock recognises it and does not chain it again."""
    with UnitOfWork(factory) as u:
        person = records.create_record(
            u, WORKER, PERSONS, {"family_name": "Gashi", "given_name": "Drita"}
        )
    with UnitOfWork(factory) as u:
        u.audit_log.defer("token-1", audit._fields(_entry(person.id)))
    with UnitOfWork(factory) as u:
        monkeypatch.setattr(type(u.audit_log), "forget_on_commit", lambda self, ids: None)
        assert audit.write_deferred(u) == 1
        u.commit()
    monkeypatch.undo()
    assert len(_queued(factory)) == 1  # the "crash": still queued
    with UnitOfWork(factory) as u:
        assert audit.write_deferred(u) == 0
        u.commit()
    assert _queued(factory) == []
    with UnitOfWork(factory) as u:
        tokens = [
            e.after.get("deferred")
            for e in u.session.scalars(select(AuditEntry))
            if isinstance(e.after, dict)
        ]
        assert tokens.count("token-1") == 1
        assert list(audit.verify_chain(u)) == []


def test_audit_verify_chains_the_queue_first(factory, actors, monkeypatch):
    from rrms.cli.main import app

    with UnitOfWork(factory) as u:
        u.audit_log.defer("token-2", audit._fields(_entry(7)))
    monkeypatch.setenv("RRMS_DATABASE_URL", str(factory.kw["bind"].url))
    answer = CliRunner().invoke(app, ["audit", "verify"])
    assert answer.exit_code == 0, answer.output
    assert "audit log intact" in answer.output
    assert _queued(factory) == []


def _entry(entity_id: int) -> AuditEntry:
    import datetime as dt

    return AuditEntry(
        at=dt.datetime(2004, 8, 3, 10, 0, tzinfo=dt.UTC),
        user_id=None,
        username="caseworker_user",
        action="read",
        entity="persons",
        entity_id=str(entity_id),
        before=None,
        after=None,
        prev_hash="",
        hash="",
    )


def _queued(factory) -> list:
    with UnitOfWork(factory) as u:
        return u.audit_log.deferred()
