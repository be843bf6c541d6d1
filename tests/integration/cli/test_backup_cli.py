"""`rrms db backup` and `rrms db restore` on both backends, as an operator runs them."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from rrms.cli.main import app

PASSWORD = "a long enough secret"
Rrms = Callable[..., Result]


@pytest.fixture
def rrms(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Rrms:
    """Run `rrms ...` in-process; `url=` picks the database (default: the test's)."""
    monkeypatch.delenv("RRMS_USER", raising=False)
    runner = CliRunner()

    def invoke(*args: str, url: str = database_url, input: str | None = None) -> Result:
        monkeypatch.setenv("RRMS_DATABASE_URL", url)
        return runner.invoke(app, list(args), input=input)

    return invoke


def add_users(rrms: Rrms, *names: str) -> None:
    for name in names:
        added = rrms(
            "user", "add", name, "--role", "reporting", "--password-stdin", input=f"{PASSWORD}\n"
        )
        assert added.exit_code == 0, added.output


def audit_rows(url: str) -> list[tuple[str, str, str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT username, action, entity, entity_id FROM audit_log ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    return [(row[0], row[1], row[2], row[3]) for row in found]


def test_backup_then_restore_reports_what_was_copied_and_the_chain(
    rrms: Rrms, database_url: str, empty_database: Callable[[bool], str], tmp_path: Path
) -> None:
    add_users(rrms, "ana", "besa")
    target = tmp_path / "nightly.backup"
    backed_up = rrms("db", "backup", str(target), "--as", "vlora")
    assert backed_up.exit_code == 0, backed_up.output
    assert f"backup written: {target}" in backed_up.stdout
    assert "users" in backed_up.stdout and "audit_log" in backed_up.stdout
    assert target.stat().st_mode & 0o777 == 0o600
    assert audit_rows(database_url)[-1] == ("vlora", "backup", "database", "nightly.backup")

    restored_url = empty_database(False)
    restored = rrms("db", "restore", str(target), url=restored_url)
    assert restored.exit_code == 0, restored.output
    assert "audit log intact: 3 entries" in restored.stdout
    assert "rows" in restored.stdout and "restored" in restored.stdout
    entries = audit_rows(restored_url)
    assert entries[-2:] == [
        ("vlora", "backup", "database", "nightly.backup"),
        (getpass.getuser(), "restore", "database", "nightly.backup"),
    ]
    verified = rrms("audit", "verify", url=restored_url)
    assert verified.exit_code == 0 and "audit log intact: 4 entries" in verified.output


def test_json_summaries(rrms: Rrms, empty_database: Callable[[bool], str], tmp_path: Path) -> None:
    add_users(rrms, "ana")
    target = tmp_path / "rrms.backup"
    backed_up = rrms("db", "backup", str(target), "--format", "json", "--as", "vlora")
    assert backed_up.exit_code == 0, backed_up.output
    summary = json.loads(backed_up.stdout)
    assert summary["bytes"] == target.stat().st_size
    assert summary["tables"]["users"] == 1 and summary["tables"]["audit_log"] == 2
    assert summary["rows"] == sum(summary["tables"].values())
    restored = rrms(
        "db", "restore", str(target), "--format", "json", "--as", "vlora", url=empty_database(False)
    )
    assert restored.exit_code == 0, restored.output
    answer = json.loads(restored.stdout)
    assert answer["audit_log"] == {"entries": 2, "intact": True, "problems": []}
    assert answer["tables"]["users"] == 1


def test_refusals_exit_2_and_say_what_to_do(
    rrms: Rrms, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_users(rrms, "ana")
    target = tmp_path / "rrms.backup"
    assert rrms("db", "backup", str(target), "--as", "vlora").exit_code == 0
    again = rrms("db", "backup", str(target), "--as", "vlora")
    assert again.exit_code == 2 and "exists already" in again.output
    into_itself = rrms("db", "restore", str(target), "--as", "vlora")
    assert into_itself.exit_code == 2
    assert "not empty" in into_itself.output and "RRMS_DATABASE_URL" in into_itself.output
    no_folder = rrms("db", "backup", str(tmp_path / "missing" / "x.backup"))
    assert no_folder.exit_code == 2 and "no such folder" in no_folder.output
    monkeypatch.setenv("RRMS_USER", "operator_from_env")
    assert rrms("db", "backup", str(tmp_path / "env.backup")).exit_code == 0
    assert audit_rows(database_url)[-1][0] == "operator_from_env"


def test_a_broken_chain_in_a_backup_is_restored_and_reported_with_exit_1(
    rrms: Rrms, database_url: str, empty_database: Callable[[bool], str], tmp_path: Path
) -> None:
    add_users(rrms, "first", "second", "third")
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(text("DROP TRIGGER audit_log_no_update"))
            else:
                connection.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
            connection.execute(text("UPDATE audit_log SET username = 'someone' WHERE id = 2"))
    finally:
        engine.dispose()
    target = tmp_path / "tampered.backup"
    assert rrms("db", "backup", str(target), "--as", "vlora").exit_code == 0
    restored_url = empty_database(False)
    restored = rrms("db", "restore", str(target), "--as", "vlora", url=restored_url)
    assert restored.exit_code == 1, restored.output
    assert "entry 2: content does not match its hash" in restored.stdout
    assert "audit log BROKEN: 1 problem(s) in 4 entries" in restored.stdout
    assert audit_rows(restored_url)[-1] == ("vlora", "restore", "database", "tampered.backup")


def test_a_database_that_is_not_ready_or_not_there_is_named(
    rrms: Rrms, tmp_path: Path, database_url: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite file cases")
    missing = rrms("db", "backup", str(tmp_path / "x.backup"), url=f"sqlite:///{tmp_path}/no.db")
    assert missing.exit_code == 2 and "no database at" in missing.output
    assert not (tmp_path / "no.db").exists()
    (tmp_path / "bare.db").touch()
    bare = rrms("db", "backup", str(tmp_path / "y.backup"), url=f"sqlite:///{tmp_path}/bare.db")
    assert bare.exit_code == 2 and "rrms db upgrade" in bare.output
    assert not (tmp_path / "y.backup").exists()
