"""`rrms.services.core.backups` with `rrms.storage.backup`: a backup restores to the same
rows in every table, on SQLite and PostgreSQL, with its audit chain whole."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from rrms.demo.loader import add_demo_accounts, load_demo
from rrms.services.accounts.users import actor_of, add_user, issue_token
from rrms.services.core import records
from rrms.services.core.access import SYSTEM, Actor
from rrms.services.core.backups import BackupFailed, back_up, operator, restore
from rrms.services.core.errors import Conflict, Forbidden, Invalid
from rrms.services.programmes.assistance import ASSISTANCE
from rrms.services.records.consents import CONSENTS
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.documents import DOCUMENTS
from rrms.services.records.persons import FAMILIES, PERSONS, add_member
from rrms.services.screening.decisions import file_sha256, record_screening
from rrms.services.screening.screen import screen_manifest
from rrms.storage import backup as storage
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.tables import (
    AuditEntry,
    DuplicatePair,
    PersonMerge,
    Programme,
    Return,
    ScreeningAnswer,
    ScreeningDecision,
)
from rrms.storage.unit_of_work import UnitOfWork

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"
PASSWORD = "correct horse battery"


def engine_of(url: str) -> Engine:
    engine = create_engine(url)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@pytest.fixture
def engines() -> Iterator[Callable[[str], Engine]]:
    """Engines for URLs, disposed of at the end of the test."""
    made: list[Engine] = []

    def make(url: str) -> Engine:
        made.append(engine_of(url))
        return made[-1]

    yield make
    for engine in made:
        engine.dispose()


@pytest.fixture
def source(database_url: str, engines: Callable[[str], Engine]) -> Engine:
    """The test's database (migrated, empty), the one backed up."""
    return engines(database_url)


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (all columns), in a stable order, by table name."""
    tables = inspect(engine).get_table_names()
    with engine.connect() as connection:
        return {
            name: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{name}"'))),
                key=repr,
            )
            for name in tables
        }


def populate(engine: Engine) -> None:
    """Rows in every table: the demo at a small scale, its accounts and a token, and
    through the services a family with members, a document, assistance and a screened
    list."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    load_demo(factory, history_scale=0.002)
    add_demo_accounts(factory)
    with UnitOfWork(factory) as uow:
        worker = actor_of(add_user(uow, SYSTEM, "backup_worker", PASSWORD, "caseworker"))
    with UnitOfWork(factory) as uow:
        officer = actor_of(add_user(uow, SYSTEM, "backup_officer", PASSWORD, "screening_officer"))
    with UnitOfWork(factory) as uow:
        issue_token(uow, "backup_worker", PASSWORD)
    with UnitOfWork(factory) as uow:
        head = records.create_record(
            uow, worker, PERSONS, {"family_name": "Krasniqi", "given_name": "Agim"}
        )
        spouse = records.create_record(
            uow, worker, PERSONS, {"family_name": "Krasniqi", "given_name": "Drita"}
        )
        uow.commit()
    with UnitOfWork(factory) as uow:
        family = records.create_record(uow, worker, FAMILIES, {"family_ref": "FAM-BACKUP"})
        uow.commit()
    with UnitOfWork(factory) as uow:
        add_member(uow, worker, family.id, head.id, "head")
    with UnitOfWork(factory) as uow:
        add_member(uow, worker, family.id, spouse.id, "wife")
    with UnitOfWork(factory) as uow:
        records.create_record(
            uow,
            worker,
            DOCUMENTS,
            {
                "person_id": head.id,
                "kind": "id",
                "number": "A-123",
                "issued_on": dt.date(2003, 1, 5),
            },
        )
        uow.commit()
    with UnitOfWork(factory) as uow:
        consent = records.create_record(
            uow,
            worker,
            CONSENTS,
            {
                "person_id": head.id,
                "purpose": "research",
                "scope": ["demographics"],
                "recipients": ["UNHCR"],
                "given_on": dt.date(2004, 1, 5),
            },
        )
    with UnitOfWork(factory) as uow:
        uow.sharing.add_log(
            at=dt.datetime(2004, 2, 1, 9, tzinfo=dt.UTC),
            user_id=None,
            username="backup_manager",
            purpose="research",
            recipient="UNHCR",
            consent_ids=[consent.id],
            records=5,
            withheld=0,
            file_format="csv",
            file_sha256="0" * 64,
        )
        uow.commit()
        records.create_record(
            uow, worker, CORRECTION_REQUESTS, {"person_id": spouse.id, "what": "given name"}
        )
    with factory() as session:
        candidates = session.execute(
            select(Return.person_id, Return.programme_id, Return.arrival_date)
            .join(Programme, Programme.id == Return.programme_id)
            .where(Programme.confidential_unit.is_(None))
            .limit(50)
        ).all()
    for person_id, programme_id, arrived in candidates:
        values = {
            "person_id": person_id,
            "programme_id": programme_id,
            "kind": "reintegration_grant",
            "amount": Decimal("150.00"),
            "currency": "EUR",
            "requested_on": arrived + dt.timedelta(days=10),
        }
        try:
            with UnitOfWork(factory) as uow:
                records.create_record(uow, worker, ASSISTANCE, values)
                uow.commit()
            break
        except Invalid:
            continue
    report = screen_manifest(EXAMPLE, dt.date(2004, 11, 15))
    with UnitOfWork(factory) as uow:
        screened = record_screening(uow, officer, report, EXAMPLE.name, file_sha256(EXAMPLE))
    with factory() as session:
        first = session.scalars(
            select(ScreeningDecision).where(ScreeningDecision.list_id == screened.id)
        ).first()
        assert first is not None
        at = dt.datetime(2004, 11, 16, 9, tzinfo=dt.UTC)
        session.add(
            ScreeningAnswer(
                decision_id=first.id,
                fact="mixed_marriage",
                value="no",
                answered_by=officer.user_id,
                answered_at=at,
            )
        )
        pair = DuplicatePair(
            left_person_id=head.id,
            right_person_id=spouse.id,
            probability=0.97,
            evidence={"family_name": "same"},
            model="kosovo-synthetic-1",
            found_by="backup_worker",
        )
        session.add(pair)
        session.flush()
        session.add(
            PersonMerge(
                pair_id=pair.id,
                kept_person_id=head.id,
                merged_person_id=spouse.id,
                merged_person={"given_name": "Drita"},
                filled={},
                moved={},
                memberships=[],
                cap_breaches=[],
                merged_by="backup_worker",
                merged_at=at,
            )
        )
        session.commit()


def last_entries(engine: Engine, count: int) -> list[tuple[str, str, str, str]]:
    with engine.connect() as connection:
        found = connection.execute(
            select(AuditEntry.username, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id)
            .order_by(AuditEntry.id.desc())
            .limit(count)
        ).all()
    return [tuple(row) for row in reversed(found)]  # type: ignore[misc]


def test_a_backup_restores_every_row_of_every_table(
    source: Engine,
    empty_database: Callable[[bool], str],
    engines: Callable[[str], Engine],
    tmp_path: Path,
) -> None:
    populate(source)
    target = tmp_path / "rrms.backup"
    written = back_up(source, operator("vlora"), target)
    assert target.stat().st_mode & 0o777 == 0o600
    assert written.size == target.stat().st_size > 0
    before = every_row(source)
    empty = [name for name, rows in before.items() if not rows]
    assert not empty, f"the population leaves tables empty: {empty}"
    # What the backup reports is what it holds (full-text indexes aside, on SQLite).
    assert {name: len(before[name]) for name in written.contents.tables} == dict(
        written.contents.tables
    )
    assert last_entries(source, 1) == [("vlora", "backup", "database", "rrms.backup")]

    restored_engine = engines(empty_database(False))
    restored = restore(restored_engine, operator("arben"), target)
    if restored_engine.url.database and restored.backend == "sqlite":
        assert os.stat(restored_engine.url.database).st_mode & 0o777 == 0o600
    assert restored.intact and restored.audit_entries == len(before["audit_log"])
    after = every_row(restored_engine)
    assert set(after) == set(before)
    restore_entry = max(after["audit_log"], key=lambda row: row[0])
    after["audit_log"].remove(restore_entry)
    for name in before:
        assert after[name] == before[name], f"table {name} differs after the restore"
    # The backup holds the record of its own making; the restore is recorded after it.
    assert last_entries(restored_engine, 2) == [
        ("vlora", "backup", "database", "rrms.backup"),
        ("arben", "restore", "database", "rrms.backup"),
    ]
    # The restored database works on: ids continue after the restored ones.
    factory = sessionmaker(bind=restored_engine, expire_on_commit=False)
    worker = Actor(user_id=None, username="w", role="caseworker")
    with UnitOfWork(factory) as uow:
        person = records.create_record(
            uow, worker, PERSONS, {"family_name": "Hoti", "given_name": "Besa"}
        )
        uow.commit()
    assert person.id > max(row[0] for row in before["persons"])


def small_database(engine: Engine) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with UnitOfWork(factory) as uow:
        add_user(uow, SYSTEM, "first_admin", PASSWORD, "administrator")
    with UnitOfWork(factory) as uow:
        records.create_record(
            uow,
            Actor(None, "w", "caseworker"),
            PERSONS,
            {"family_name": "Gashi", "given_name": "Arta", "birth_date": "1980-05"},
        )
        uow.commit()


def test_a_migrated_database_without_rows_takes_a_restore(
    source: Engine,
    empty_database: Callable[[bool], str],
    engines: Callable[[str], Engine],
    tmp_path: Path,
) -> None:
    small_database(source)
    target = tmp_path / "small.backup"
    back_up(source, operator("vlora"), target)
    before = every_row(source)
    restored_engine = engines(empty_database(True))
    restored = restore(restored_engine, operator("vlora"), target)
    assert restored.intact
    after = every_row(restored_engine)
    assert len(after["audit_log"]) == len(before["audit_log"]) + 1
    for name in ("persons", "users", "alembic_version"):
        assert after[name] == before[name]


def test_a_database_with_rows_is_refused_and_left_as_it_was(
    source: Engine,
    empty_database: Callable[[bool], str],
    engines: Callable[[str], Engine],
    tmp_path: Path,
) -> None:
    small_database(source)
    target = tmp_path / "small.backup"
    back_up(source, operator("vlora"), target)
    other = engines(empty_database(True))
    small_database(other)
    before = every_row(other)
    with pytest.raises(Conflict) as refused:
        restore(other, operator("vlora"), target)
    message = refused.value.message
    assert "not empty" in message and "users (1 rows)" in message
    assert "RRMS_DATABASE_URL" in message
    assert every_row(other) == before
    with pytest.raises(Conflict):  # nor into the database it came from
        restore(source, operator("vlora"), target)


def test_a_backup_is_private_whole_and_never_replaces_a_file_unasked(
    source: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_database(source)
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        target = tmp_path / "first.backup"
        back_up(source, operator("vlora"), target)
    finally:
        os.umask(old_umask)
    assert target.stat().st_mode & 0o777 == 0o600
    first = target.read_bytes()
    with pytest.raises(BackupFailed, match="exists already"):
        back_up(source, operator("vlora"), target)
    assert target.read_bytes() == first
    back_up(source, operator("vlora"), target, overwrite=True)
    assert target.stat().st_mode & 0o777 == 0o600

    def broken(engine: Engine, temporary: Path) -> storage.Contents:
        temporary.write_bytes(b"half a backup")
        raise storage.BackupError("the disk is full")

    monkeypatch.setattr(storage, "_sqlite_backup", broken)
    monkeypatch.setattr(storage, "_postgres_backup", broken)
    with pytest.raises(BackupFailed, match="the disk is full"):
        back_up(source, operator("vlora"), tmp_path / "second.backup")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.backup"]
    assert last_entries(source, 2) == [
        ("vlora", "backup", "database", "second.backup"),
        ("vlora", "backup_failed", "database", "second.backup"),
    ]


def test_only_backups_of_the_same_kind_of_database_are_restored(
    source: Engine,
    empty_database: Callable[[bool], str],
    engines: Callable[[str], Engine],
    tmp_path: Path,
) -> None:
    target = engines(empty_database(False))
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup\n")
    with pytest.raises(BackupFailed, match="not an RRMS backup"):
        restore(target, operator("vlora"), text_file)
    with pytest.raises(BackupFailed, match="no such file"):
        restore(target, operator("vlora"), tmp_path / "missing.backup")
    other_kind = tmp_path / "other.backup"
    if source.dialect.name == "sqlite":
        other_kind.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "backup of a postgresql database"
    else:
        other_kind.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "backup of a sqlite database"
    with pytest.raises(BackupFailed, match=expected):
        restore(target, operator("vlora"), other_kind)


def test_backups_are_for_administrators_named_by_someone(source: Engine, tmp_path: Path) -> None:
    with pytest.raises(Forbidden):
        back_up(source, Actor(None, "w", "caseworker"), tmp_path / "x.backup")
    with pytest.raises(Invalid):
        operator("  ")
    assert not (tmp_path / "x.backup").exists()


def test_sqlite_backup_of_a_database_being_written_restores(
    database_url: str, tmp_path: Path, engines: Callable[[str], Engine]
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's pg_dump works from one snapshot by design")
    source = engines(database_url)
    factory: sessionmaker[Session] = sessionmaker(bind=source, expire_on_commit=False)
    load_demo(factory, history_scale=0.002)
    writer_engine = engines(database_url)
    writer_factory = sessionmaker(bind=writer_engine, expire_on_commit=False)
    worker = Actor(user_id=None, username="w", role="caseworker")
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                with UnitOfWork(writer_factory) as uow:
                    row = records.create_record(
                        uow, worker, PERSONS, {"family_name": "Writer", "given_name": "Busy"}
                    )
                    uow.commit()
                written.append(row.id)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        during = len(written)
        backups = [tmp_path / f"busy-{n}.backup" for n in range(3)]
        for target in backups:
            back_up(source, operator("vlora"), target)
    finally:
        stop.set()
        writer.join()
    assert not failures, failures
    assert len(written) > during  # the writer went on while the backups were taken
    for number, target in enumerate(backups):
        restored_engine = engines(f"sqlite:///{tmp_path / f'restored-{number}.db'}")
        restored = restore(restored_engine, operator("vlora"), target)
        assert restored.intact
        with restored_engine.connect() as connection:
            persons = connection.scalar(
                text("SELECT count(*) FROM persons WHERE family_name = 'Writer'")
            )
            created = connection.scalar(
                text(
                    "SELECT count(*) FROM audit_log WHERE entity = 'persons' AND action = 'create'"
                )
            )
            (check,) = connection.execute(text("PRAGMA integrity_check")).one()
        # One snapshot: every person written has its audit entry, and no more.
        assert persons == created and check == "ok"


def test_pg_tools_are_found_where_the_tests_find_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pg_dump").write_text("#!/bin/sh\n")
    monkeypatch.setenv("RRMS_PG_BINDIR", str(tmp_path))
    assert storage.pg_tool("pg_dump") == tmp_path / "pg_dump"
    with pytest.raises(storage.BackupError, match="pg_restore not found in RRMS_PG_BINDIR"):
        storage.pg_tool("pg_restore")
    monkeypatch.delenv("RRMS_PG_BINDIR")
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    monkeypatch.setattr(storage.glob, "glob", lambda pattern: [])
    with pytest.raises(storage.BackupError, match="postgresql-client"):
        storage.pg_tool("pg_dump")
    monkeypatch.setattr(
        storage.glob,
        "glob",
        lambda pattern: [
            "/usr/lib/postgresql/9.6/bin/pg_dump",
            "/usr/lib/postgresql/16/bin/pg_dump",
            "/usr/lib/postgresql/10/bin/pg_dump",
        ],
    )
    assert storage.pg_tool("pg_dump") == Path("/usr/lib/postgresql/16/bin/pg_dump")


def test_the_database_password_stays_off_the_command_line() -> None:
    from sqlalchemy.engine import make_url

    url = make_url("postgresql+psycopg://rrms:s3cret'pw@db.example:5433/rrms?sslmode=require")
    conninfo, env = storage._libpq(url)
    assert "s3cret" not in conninfo and env == {"PGPASSWORD": "s3cret'pw"}
    assert "host='db.example'" in conninfo and "port='5433'" in conninfo
    assert "sslmode='require'" in conninfo and "dbname='rrms'" in conninfo
