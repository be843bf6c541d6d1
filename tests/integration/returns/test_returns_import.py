"""Importing the returns register on both backends: all or nothing, idempotent, audited."""

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from rrms.formats.errors import InputFileError
from rrms.reference.identity import name_keys
from rrms.services.core import audit
from rrms.services.core.access import Actor
from rrms.services.core.errors import Forbidden
from rrms.services.records.persons import search_persons
from rrms.services.returns import cross_checks, pipeline, register_writer
from rrms.services.returns import register_import as returns_import
from rrms.services.returns.register_import import RETURN_COLUMNS, import_returns
from rrms.storage.tables import AuditEntry, Person, Programme, Return

WORKER = Actor(user_id=None, username="caseworker_user", role="caseworker")


def row(number: int, **changes: str) -> dict[str, str]:
    values = {
        "movement_ref": f"MOV-{number}",
        "person_ref": f"KS-{number}",
        "family_ref": "FAM-1" if number < 3 else "",
        "family_name": "Krasniqi" if number < 3 else "Đorđević",
        "given_name": f"Arben{number}",
        "father_name": "Fatmir",
        "sex": "m",
        "birth_date": "1970",
        "community": "shqiptar",
        "return_type": "voluntary",
        "programme": "avr",
        "sending_country": "Deutschland",
        "transport_mode": "plane",
        "departure_date": "2004-08-02",
        "arrival_date": "03.08.2004",
        "arrival_point": "Pristina Airport",
        "destination_municipality": "Pejë/Peć",
        "destination_settlement": "",
        "secondary_transport": "yes",
        "vulnerable": "",
        "notes": "",
    }
    values.update(changes)
    return values


def write_csv(path: Path, rows: list[dict[str, str]], columns=RETURN_COLUMNS, **options) -> Path:
    with path.open("w", encoding=options.pop("encoding", "utf-8"), newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore", **options)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def programmes(uow) -> None:
    with uow() as u:
        u.session.add_all(
            [
                Programme(code="AVR", name="Assisted Voluntary Returns"),
                Programme(code="KHRP", name="Kosovo Humanitarian Returns Programme"),
            ]
        )
        u.commit()


@pytest.fixture(params=["in this process", "in a second process"])
def checking(request, monkeypatch) -> str:
    """Where the file is checked: small files here, large ones (`PARALLEL_BYTES`) in a
    second process while this one writes; the threshold is lowered to test both."""
    if request.param == "in a second process":
        monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    return str(request.param)


def counts(uow) -> tuple[int, int, int]:
    with uow() as u:
        return tuple(  # type: ignore[return-value]
            u.session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Return, Person, AuditEntry)
        )


def run(uow, path: Path, who: Actor = WORKER, progress=None):
    return import_returns(uow, who, path, progress)


def test_import_creates_arrivals_and_persons(uow, programmes, tmp_path, checking):
    rows = [row(1), row(2), row(3, sending_country="CH", transport_mode="bus"), row(4)]
    rows.append(row(5, person_ref="KS-3", given_name="Arben3", arrival_date="2004-10-01",
                    birth_date="", departure_date=""))  # fmt: skip
    seen: list[tuple[int, int | None]] = []
    summary = run(
        uow, write_csv(tmp_path / "register.csv", rows), progress=lambda *a: seen.append(a)
    )
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (5, 5, 0, 0)
    assert (summary.persons_created, summary.persons_updated) == (4, 0)
    assert (summary.file_format, summary.encoding, len(summary.file_sha256)) == ("csv", "utf-8", 64)
    assert seen[0] == (5, None) and seen[-1] == (5, 5)
    with uow() as u:
        third = u.session.scalar(select(Return).where(Return.movement_ref == "MOV-3"))
        assert (
            third.sending_country,
            third.transport_mode,
            third.destination_municipality,
            third.arrival_date,
            third.secondary_transport,
            third.version,
        ) == ("CH", "land", "17", dt.date(2004, 8, 3), True, 1)
        person = u.session.scalar(select(Person).where(Person.person_ref == "KS-3"))
        assert (person.community, person.birth_date, person.birth_year, person.sex) == (
            "albanian",
            "1970",
            1970,
            "m",
        )
        assert (
            u.session.scalar(
                select(func.count()).select_from(Return).where(Return.person_id == person.id)
            )
            == 2
        )
        entry = u.session.scalar(select(AuditEntry).where(AuditEntry.entity == "returns_import"))
        assert entry.after["created"] == 5 and entry.after["sha256"] == summary.file_sha256
        assert entry.username == "caseworker_user"
        assert list(audit.verify_chain(u.session)) == []
    with uow() as u:  # the name search index knows the imported persons (FTS5 on SQLite)
        found = search_persons(u, WORKER, "Djordjevic arben4")
        assert [p.person_ref for p in found] == ["KS-4"]


def test_reimport_is_idempotent_and_a_changed_row_updates(uow, programmes, tmp_path, checking):
    rows = [row(1), row(2), row(3)]
    path = write_csv(tmp_path / "register.csv", rows)
    run(uow, path)
    before = counts(uow)
    again = run(uow, path)
    assert (again.created, again.updated, again.unchanged, again.persons_updated) == (0, 0, 3, 0)
    assert counts(uow)[:2] == before[:2]
    with uow() as u:
        assert u.session.scalar(select(func.max(Return.version))) == 1

    rows[1] = row(2, transport_mode="land", notes="bus from Merdare", birth_date="")
    rows[2] = row(3, family_name="Đorđević-Gashi")
    changed = run(uow, write_csv(tmp_path / "corrected.csv", rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert changed.persons_updated == 1
    assert counts(uow)[:2] == before[:2]
    with uow() as u:
        second = u.session.scalar(select(Return).where(Return.movement_ref == "MOV-2"))
        assert (second.transport_mode, second.notes, second.version) == (
            "land",
            "bus from Merdare",
            2,
        )
        kept = u.session.scalar(select(Person).where(Person.person_ref == "KS-2"))
        assert kept.birth_date == "1970"  # a blank cell is unknown, not an erasure
        renamed = u.session.scalar(select(Person).where(Person.person_ref == "KS-3"))
        assert (renamed.family_name, renamed.version) == ("Đorđević-Gashi", 2)
        assert renamed.search_key.startswith("djordjevic gashi")
        assert (renamed.family_key, renamed.given_key) == name_keys(
            "Đorđević-Gashi", renamed.given_name
        )  # the bulk update keeps the name keys in step
        updates = u.session.execute(
            select(AuditEntry.entity, AuditEntry.before, AuditEntry.after).where(
                AuditEntry.action == "update"
            )
        ).all()
        by_entity = {entity: (before_, after_) for entity, before_, after_ in updates}
        assert by_entity["returns"][0] == {"transport_mode": "air", "notes": None}
        assert by_entity["returns"][1]["transport_mode"] == "land"
        assert by_entity["returns"][1]["returns_import"] == changed.file_sha256
        assert by_entity["persons"][0] == {"family_name": "Đorđević"}
        assert list(audit.verify_chain(u.session)) == []


def test_a_file_with_errors_changes_nothing_and_reports_every_error(
    uow, programmes, tmp_path, checking
):
    run(uow, write_csv(tmp_path / "first.csv", [row(1)]))
    before = counts(uow)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    rows = [
        row(2, arrival_date="31.02.2004"),
        row(3, arrival_date=future, departure_date=""),
        row(4, departure_date="2004-08-10"),
        row(5, destination_municipality="Pejja"),
        row(6, programme="XYZ"),
        row(7, movement_ref="MOV-2"),
        row(8, transport_mode="boat"),
        row(9, person_ref="KS-4", given_name="Besnik"),
        row(10, sending_country=""),
        row(1),  # valid: an update of the arrival imported before, not written either
    ]
    with pytest.raises(InputFileError) as caught:
        run(uow, write_csv(tmp_path / "bad.csv", rows))
    found = {(e.row, e.column): e for e in caught.value.errors}
    assert set(found) == {
        (2, "arrival_date"),
        (3, "arrival_date"),
        (4, "arrival_date"),
        (5, "destination_municipality"),
        (6, "programme"),
        (7, "movement_ref"),
        (8, "transport_mode"),
        (9, "given_name"),
        (10, "sending_country"),
    }
    assert "does not exist" in found[2, "arrival_date"].message
    assert "future" in found[3, "arrival_date"].message
    assert "before the departure" in found[4, "arrival_date"].message
    assert found[5, "destination_municipality"].suggestions[0] == "Pejë/Peć"
    assert "AVR, KHRP" in found[6, "programme"].message
    assert "row 2" in found[7, "movement_ref"].message
    assert found[8, "transport_mode"].suggestions == ("air", "land")
    assert "KS-4" in found[9, "given_name"].message and "row 4" in found[9, "given_name"].message
    assert found[10, "sending_country"].message == "a value is required"
    assert counts(uow) == before


def test_an_error_after_rows_were_written_undoes_them(uow, programmes, tmp_path, monkeypatch):
    """Rows are written while the rest of the file is still being checked; an error
    found later (here in the fourth chunk, and a duplicate found only at the end)
    rolls back everything written before it."""
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    written: list[int] = []
    write = register_writer.RegisterWriter.write

    def counted(self, persons, arrivals):
        written.append(len(arrivals))
        write(self, persons, arrivals)

    monkeypatch.setattr(register_writer.RegisterWriter, "write", counted)
    rows = [row(n) for n in range(1, 9)]
    rows[6] = row(7, arrival_date="2004-13-01")
    with pytest.raises(InputFileError) as caught:
        run(uow, write_csv(tmp_path / "late-error.csv", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(8, "arrival_date")]
    assert written == [2, 2, 2]  # the three clean chunks before the error were written
    assert counts(uow) == (0, 0, 0)
    rows[6] = row(7, movement_ref="MOV-1")
    with pytest.raises(InputFileError) as caught:
        run(uow, write_csv(tmp_path / "late-duplicate.csv", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(8, "movement_ref")]
    assert counts(uow) == (0, 0, 0)


def test_a_movement_ref_twice_in_one_batch_is_an_error_not_a_database_failure(
    uow, programmes, tmp_path, checking
):
    """Both rows reach the database in one statement (the register is not empty, so
    they are upserted); the database refuses, the checks name the row, nothing stays."""
    run(uow, write_csv(tmp_path / "first.csv", [row(1)]))
    before = counts(uow)
    rows = [row(1, notes="corrected"), row(2), row(3, movement_ref="MOV-2")]
    with pytest.raises(InputFileError) as caught:
        run(uow, write_csv(tmp_path / "twice.csv", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "movement_ref")]
    assert counts(uow) == before
    with uow() as u:
        first = u.session.scalar(select(Return).where(Return.movement_ref == "MOV-1"))
        assert (first.notes, first.version) == (None, 1)


def test_a_person_returning_in_a_later_batch_is_matched(uow, programmes, tmp_path, checking):
    """Into an empty register, persons of a later batch are looked up only if this
    import may have created them (a Bloom filter); one returning twice is matched."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    try:
        rows = [row(n) for n in range(1, 7)]
        rows.append(row(7, person_ref="KS-1", given_name="Arben1", family_name="Krasniqi"))
        summary = run(uow, write_csv(tmp_path / "second-return.csv", rows))
    finally:
        monkeypatch.undo()
    assert (summary.created, summary.persons_created) == (7, 6)
    with uow() as u:
        first = u.session.scalar(select(Person).where(Person.person_ref == "KS-1"))
        arrivals = u.session.scalars(select(Return).where(Return.person_id == first.id)).all()
        assert sorted(a.movement_ref for a in arrivals) == ["MOV-1", "MOV-7"]


def test_the_created_refs_filter_never_forgets_and_seldom_guesses():
    created = register_writer.CreatedRefs()
    refs = [f"KS-{n}" for n in range(20_000)]
    created.add(refs)
    assert all(created.maybe(refs))
    others = [f"KS-other-{n}" for n in range(20_000)]
    assert sum(created.maybe(others)) < 200  # about 0.01 % expected at this size


def test_the_name_search_index_stays_sound_when_persons_change_during_an_import(
    uow, programmes, tmp_path, monkeypatch
):
    """A person created in one batch and completed by a later one (into an empty
    register, so the search index has seen nobody yet), then a person stored before and
    renamed: search finds both by their new names only, and on SQLite the FTS5 index
    passes its own integrity check."""
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    rows = [row(1, father_name=""), row(2), row(3), row(4)]
    rows.append(row(5, person_ref="KS-1", given_name="Arben1", family_name="Krasniqi",
                    father_name="Bajram"))  # fmt: skip
    summary = run(uow, write_csv(tmp_path / "first.csv", rows))
    assert (summary.persons_created, summary.persons_updated) == (4, 0)
    renamed = run(uow, write_csv(tmp_path / "second.csv", [row(2, family_name="Morina")]))
    assert renamed.persons_updated == 1
    with uow() as u:
        if u.session.connection().dialect.name == "sqlite":
            u.session.execute(
                text("INSERT INTO persons_fts(persons_fts) VALUES ('integrity-check')")
            )
        assert [p.person_ref for p in search_persons(u, WORKER, "krasniqi arben1 bajram")] == [
            "KS-1"
        ]
        assert [p.person_ref for p in search_persons(u, WORKER, "morina arben2")] == ["KS-2"]
        assert search_persons(u, WORKER, "krasniqi arben2") == []


def test_a_refusal_the_checks_do_not_explain_is_reported_without_values(
    uow, programmes, tmp_path, monkeypatch
):
    """Were the database to refuse a row the checks passed (another user storing the same
    movement_ref meanwhile), the error names the kind of refusal, never the values."""
    monkeypatch.setattr(cross_checks.CrossRowHashes, "suspects", lambda self: (set(), set()))
    rows = [row(1), row(2, movement_ref="MOV-1")]
    with pytest.raises(returns_import.ImportRefused) as caught:
        run(uow, write_csv(tmp_path / "twice.csv", rows))
    assert "MOV-1" not in str(caught.value) and "Arben" not in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert counts(uow) == (0, 0, 0)


def test_missing_column_and_unknown_column(uow, programmes, tmp_path):
    columns = [c for c in RETURN_COLUMNS if c != "arrival_date"] + ["arival_date", "phone"]
    rows = [dict(row(1), arival_date="2004-08-03", phone="x")]
    with pytest.raises(InputFileError) as caught:
        run(uow, write_csv(tmp_path / "m.csv", rows, columns=columns))
    assert [(e.row, e.column, e.suggestions) for e in caught.value.errors] == [
        (1, "arrival_date", ("arival_date",))
    ]
    assert {w.column for w in caught.value.warnings} == {"arival_date", "phone"}
    assert all("not imported" in w.message for w in caught.value.warnings)
    assert counts(uow) == (0, 0, 0)


def test_roles_that_may_not_write_returns_cannot_import(uow, programmes, tmp_path):
    path = write_csv(tmp_path / "register.csv", [row(1)])
    for role in ("reporting", "medical", "screening_officer", "programme_manager"):
        with pytest.raises(Forbidden):
            run(uow, path, Actor(user_id=None, username=role, role=role))
    assert counts(uow) == (0, 0, 0)


def test_xlsx_and_legacy_semicolon_csv(uow, programmes, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(RETURN_COLUMNS))
    first = row(1)
    sheet.append([first[c] for c in RETURN_COLUMNS[:14]] + [dt.date(2004, 8, 3)]
                 + [first[c] for c in RETURN_COLUMNS[15:]])  # fmt: skip
    workbook.save(tmp_path / "register.xlsx")
    summary = run(uow, tmp_path / "register.xlsx")
    assert (summary.file_format, summary.created) == ("xlsx", 1)

    legacy = write_csv(
        tmp_path / "legacy.csv",
        [row(2, family_name="Jovanović", destination_municipality="Priština")],
        encoding="cp1250",
        delimiter=";",
    )
    summary = run(uow, legacy)
    assert (summary.encoding, summary.delimiter, summary.created) == ("cp1250", ";", 1)
    with uow() as u:
        assert (
            u.session.scalar(select(Person.family_name).where(Person.person_ref == "KS-2"))
            == "Jovanović"
        )


def test_cli_imports_as_a_named_user_and_reports_errors(
    uow, programmes, actors, database_url, tmp_path, monkeypatch
):
    from rrms.cli.main import app

    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    runner = CliRunner()
    good = write_csv(tmp_path / "register.csv", [row(1), row(2)])
    answer = runner.invoke(app, ["import", "returns", str(good), "--as", "caseworker_user",
                                 "--format", "json"])  # fmt: skip
    assert answer.exit_code == 0, answer.output
    summary = json.loads(answer.stdout)
    assert (summary["valid"], summary["created"], summary["persons_created"]) == (True, 2, 2)

    refused = runner.invoke(app, ["import", "returns", str(good), "--as", "reporting_user"])
    assert refused.exit_code == 2
    assert "may not import returns" in refused.output

    bad = write_csv(tmp_path / "bad.csv", [row(3, transport_mode="boat")])
    answer = runner.invoke(app, ["import", "returns", str(bad), "--as", "caseworker_user",
                                 "--format", "json"])  # fmt: skip
    assert answer.exit_code == 2
    report = json.loads(answer.stdout)
    assert report["valid"] is False
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "transport_mode")]
    with uow() as u:
        entry = u.session.execute(
            text("SELECT username FROM audit_log WHERE entity = 'returns_import'")
        ).scalar()
        assert entry == "caseworker_user"
    assert counts(uow)[0] == 2


def test_a_bulk_load_builds_the_indexes_at_the_end(uow, programmes, tmp_path, monkeypatch):
    """A file much larger than the register drops the plain indexes and builds them again
    before committing: afterwards every index is there and search finds the persons."""
    monkeypatch.setattr(register_writer, "BULK_LOAD_ROWS", 4)
    with uow() as u:
        indexes_before = index_names(u.session)
    summary = run(uow, write_csv(tmp_path / "register.csv", [row(n) for n in range(1, 9)]))
    assert (summary.created, summary.persons_created) == (8, 8)
    with uow() as u:
        assert index_names(u.session) == indexes_before
        found = search_persons(u, WORKER, "Djordjevic arben7")
        assert [p.person_ref for p in found] == ["KS-7"]
        ids = sorted(u.session.scalars(select(Person.id)))
        assert ids == list(range(ids[0], ids[0] + 8))  # reserved a batch at a time
        later = Person(family_name="Berisha", given_name="Drita", search_key="berisha drita")
        u.session.add(later)
        u.session.flush()  # the next person the ordinary way comes after them
        assert later.id > ids[-1]


def test_a_failure_while_writing_undoes_everything_the_import_changed(
    uow, programmes, tmp_path, monkeypatch
):
    """Indexes and the search trigger dropped for a bulk load belong to the import's
    transaction: a failure half-way through writing leaves the schema as it was."""
    monkeypatch.setattr(register_writer, "BULK_LOAD_ROWS", 4)
    with uow() as u:
        indexes_before = index_names(u.session)
        triggers_before = trigger_names(u.session)

    def fail(self, persons, arrivals):
        raise RuntimeError("disk full")

    monkeypatch.setattr(register_writer.RegisterWriter, "write", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        run(uow, write_csv(tmp_path / "register.csv", [row(n) for n in range(1, 9)]))
    assert counts(uow) == (0, 0, 0)
    with uow() as u:
        assert index_names(u.session) == indexes_before
        assert trigger_names(u.session) == triggers_before


def index_names(session) -> set[str]:
    if session.connection().dialect.name == "postgresql":
        query = "SELECT indexname FROM pg_indexes WHERE tablename IN ('persons', 'returns')"
    else:
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('persons', 'returns')"
        )
    return set(session.execute(text(query)).scalars())


def trigger_names(session) -> set[str]:
    if session.connection().dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return set(session.execute(text(query)).scalars())


def test_errors_are_capped_per_column_in_either_process_and_on_the_command_line(
    uow, programmes, actors, tmp_path, checking, database_url, monkeypatch
):
    from rrms.cli.main import app
    from rrms.formats.limits import MAX_ERRORS_PER_COLUMN

    bad = write_csv(tmp_path / "bad.csv", [row(n, transport_mode="boat") for n in range(1, 301)])
    with pytest.raises(InputFileError) as raised:
        run(uow, bad)
    assert raised.value.total == 300  # counted in the checking process too (pickled)
    listed = [e for e in raised.value.errors if e.row]
    assert len(listed) == MAX_ERRORS_PER_COLUMN
    assert "280 more error(s) in this column not listed" in raised.value.errors[-1].message

    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    answer = CliRunner().invoke(
        app, ["import", "returns", str(bad), "--as", "caseworker_user", "--format", "json"]
    )
    assert answer.exit_code == 2
    report = json.loads(answer.stdout)
    assert (report["error_count"], len(report["errors"])) == (300, MAX_ERRORS_PER_COLUMN + 1)
    assert "300 error(s); nothing was imported." in answer.stderr
