"""`rrms db`, `rrms user` and `rrms audit` against a real database on both backends."""

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from rrms.cli.main import app

NEW_PASSWORD = "a long enough secret"


@pytest.fixture
def rrms(monkeypatch, database_url):
    """Run `rrms ...` in-process against the test's database: rrms("user", "add", ...)."""
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(app, list(args), input=input)

    return invoke


def test_db_upgrade_is_idempotent(rrms):
    for _ in range(2):
        result = rrms("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "database at the latest schema" in result.output
        assert "reference programmes:" in result.output


def test_db_upgrade_creates_a_new_database(monkeypatch, tmp_path):
    monkeypatch.setenv("RRMS_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    verify = CliRunner().invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    assert "audit log intact:" in verify.output


def test_db_upgrade_masks_the_database_password(monkeypatch, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("only a server URL carries a password")
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url.replace("rrms@", "rrms:hunter2secret@"))
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "hunter2secret" not in result.output and "***" in result.output


def test_user_added_from_stdin_can_sign_in(rrms, client):
    result = rrms(
        "user",
        "add",
        "vlora",
        "--role",
        "screening_officer",
        "--full-name",
        "Vlora Hoxha",
        "--password-stdin",
        input=NEW_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "user added" in result.output and "screening_officer" in result.output
    assert NEW_PASSWORD not in result.output
    answer = client.post("/auth/token", json={"username": "vlora", "password": NEW_PASSWORD})
    assert answer.status_code == 200, answer.text


def test_password_is_asked_twice_and_never_shown(rrms, client):
    result = rrms("user", "add", "admin", "--role", "administrator", input=f"{NEW_PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert "Repeat for confirmation" in result.output
    answer = client.post("/auth/token", json={"username": "admin", "password": NEW_PASSWORD})
    assert answer.status_code == 200, answer.text


def test_bad_input_exits_2_with_a_clear_message(rrms):
    bad_role = rrms("user", "add", "x", "--role", "boss", "--password-stdin", input="whatever\n")
    assert bad_role.exit_code == 2
    assert "unknown role 'boss'" in bad_role.output and "caseworker" in bad_role.output
    short = rrms("user", "add", "x", "--role", "caseworker", "--password-stdin", input="short\n")
    assert short.exit_code == 2
    assert "at least 12 characters" in short.output and "short\n" not in short.output
    first = rrms(
        "user", "add", "x", "--role", "caseworker", "--password-stdin", input=f"{NEW_PASSWORD}\n"
    )
    assert first.exit_code == 0, first.output
    taken = rrms(
        "user", "add", "x", "--role", "caseworker", "--password-stdin", input=f"{NEW_PASSWORD}\n"
    )
    assert taken.exit_code == 2 and "taken" in taken.output


def test_audit_verify_reports_intact_log(rrms):
    empty = rrms("audit", "verify")
    assert empty.exit_code == 0, empty.output
    assert "audit log intact: 0 entries" in empty.output
    for name in ("a", "b"):
        added = rrms(
            "user",
            "add",
            name,
            "--role",
            "reporting",
            "--password-stdin",
            input=f"{NEW_PASSWORD}\n",
        )
        assert added.exit_code == 0, added.output
    result = rrms("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "audit log intact: 2 entries" in result.output


def test_audit_verify_names_an_entry_changed_by_an_attacker(rrms, session_factory):
    for name in ("first", "second", "third"):
        rrms(
            "user",
            "add",
            name,
            "--role",
            "reporting",
            "--password-stdin",
            input=f"{NEW_PASSWORD}\n",
        )
    # An attacker with database access removes the append-only trigger(s), then edits.
    with session_factory() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        target = session.execute(text("SELECT id FROM audit_log ORDER BY id")).scalars().all()[1]
        session.execute(
            text("UPDATE audit_log SET username = 'someone_else' WHERE id = :id"), {"id": target}
        )
        session.commit()
    result = rrms("audit", "verify")
    assert result.exit_code == 1, result.output
    assert f"entry {target}: content does not match its hash" in result.output
    assert "entry " + str(target - 1) not in result.output
    assert "BROKEN" in result.output


def test_commands_on_a_database_never_upgraded_say_so(monkeypatch, tmp_path):
    monkeypatch.setenv("RRMS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 2
    assert "rrms db upgrade" in result.output


def test_db_upgrade_seeds_programmes_when_the_service_exists(rrms, monkeypatch):
    import sys
    import types

    calls = []

    def seed_programmes(uow, actor):
        calls.append(actor.username)
        return 3, 1

    fake = types.ModuleType("rrms.services.programmes.programmes")
    fake.seed_programmes = seed_programmes
    monkeypatch.setitem(sys.modules, "rrms.services.programmes.programmes", fake)
    result = rrms("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert calls == ["system"]
    assert "reference programmes: 3 added, 1 updated" in result.output


def test_screen_record_stores_the_list_for_a_screening_officer(rrms, session_factory):
    example = str(Path(__file__).parents[3] / "examples" / "manifest-example.csv")
    for name, role in (("officer", "screening_officer"), ("worker", "caseworker")):
        added = rrms(
            "user", "add", name, "--role", role, "--password-stdin", input=f"{NEW_PASSWORD}\n"
        )
        assert added.exit_code == 0, added.output
    screen = ("screen", example, "--as-of", "2004-11-15", "--format", "json", "--record")
    result = rrms(*screen, "--as", "officer")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["policy_version"] == "unmik-orc-2004-08"
    assert "recorded as screening list 1" in result.stderr
    with session_factory() as session:
        stored = session.execute(
            text("SELECT recommendation FROM screening_decisions WHERE list_id = 1")
        ).scalars()
        assert sorted(stored) == ["accept"] * 3 + ["object"] * 3
    refused = rrms(*screen, "--as", "worker")
    assert refused.exit_code == 2 and "screening" in refused.output
    unknown = rrms(*screen, "--as", "nobody")
    assert unknown.exit_code == 2 and "no active user named 'nobody'" in unknown.output
    missing = rrms(*screen)
    assert missing.exit_code == 2 and "--as" in missing.output
