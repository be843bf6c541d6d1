"""`rrms user deactivate | activate | role | password | tokens revoke` (issue 13,
finding 6): none existed before, so each test here failed on that code."""

import pytest
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.services.accounts.users import actor_for_token, issue_token
from rrms.services.core.errors import NotAuthenticated
from rrms.storage.unit_of_work import UnitOfWork
from support.pages import PASSWORD

NEW = "a quiet river at dusk"


@pytest.fixture
def rrms(monkeypatch, database_url):
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(app, list(args), input=input)


def _token(session_factory, password=PASSWORD):
    with UnitOfWork(session_factory) as uow:
        return issue_token(uow, "caseworker_user", password)


def _works(session_factory, token):
    with UnitOfWork(session_factory) as uow:
        try:
            actor_for_token(uow, token)
        except NotAuthenticated:
            return False
        return True


def test_deactivate_stops_the_users_tokens_and_activate_restores_sign_in(
    rrms, actors, session_factory
):
    token = _token(session_factory)
    done = rrms("user", "deactivate", "CASEWORKER_USER")
    assert done.exit_code == 0, done.output
    assert not _works(session_factory, token)
    with pytest.raises(NotAuthenticated):
        _token(session_factory)
    assert rrms("user", "activate", "caseworker_user").exit_code == 0
    assert _works(session_factory, _token(session_factory))


def test_role_and_unknown_names(rrms, actors):
    assert rrms("user", "role", "caseworker_user", "reporting").exit_code == 0
    assert rrms("user", "role", "caseworker_user", "boss").exit_code == 2
    missing = rrms("user", "deactivate", "nobody_here")
    assert missing.exit_code == 2 and "no user named" in missing.output


def test_password_follows_the_policy_and_revokes_tokens(rrms, actors, session_factory):
    token = _token(session_factory)
    weak = rrms("user", "password", "caseworker_user", "--password-stdin", input="password12\n")
    assert weak.exit_code == 2 and "password12" not in weak.output
    done = rrms("user", "password", "caseworker_user", "--password-stdin", input=f"{NEW}\n")
    assert done.exit_code == 0, done.output
    assert not _works(session_factory, token)
    assert _works(session_factory, _token(session_factory, NEW))


def test_tokens_revoke(rrms, actors, session_factory):
    token = _token(session_factory)
    done = rrms("user", "tokens", "revoke", "caseworker_user")
    assert done.exit_code == 0 and "1 token(s) revoked" in done.output
    assert not _works(session_factory, token)
