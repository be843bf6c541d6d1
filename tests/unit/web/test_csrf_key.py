"""The key of the form tokens: from RRMS_SECRET_KEY, or made once in the private data
folder and then shared by every worker."""

from __future__ import annotations

import stat

import pytest

from rrms.web import csrf


@pytest.fixture
def no_configured_key(monkeypatch, tmp_path):
    monkeypatch.delenv("RRMS_SECRET_KEY", raising=False)
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    csrf._secret.cache_clear()
    yield tmp_path / "keys" / "csrf"
    csrf._secret.cache_clear()


def test_a_key_is_made_once_owner_only(no_configured_key):
    key = csrf._secret()
    assert len(key) == 64 and no_configured_key.read_bytes() == key
    assert stat.S_IMODE(no_configured_key.stat().st_mode) == 0o600
    csrf._secret.cache_clear()  # another worker starting
    assert csrf._secret() == key


def test_a_second_worker_keeps_the_first_workers_key(no_configured_key):
    no_configured_key.parent.mkdir(parents=True)
    csrf._create_once(no_configured_key, b"first")
    csrf._create_once(no_configured_key, b"second")
    assert no_configured_key.read_bytes() == b"first"
    assert [p.name for p in no_configured_key.parent.iterdir()] == ["csrf"], "no leftovers"


def test_the_configured_key_is_used(monkeypatch):
    monkeypatch.setenv("RRMS_SECRET_KEY", "configured")
    csrf._secret.cache_clear()
    try:
        assert csrf._secret() == b"configured"
    finally:
        csrf._secret.cache_clear()
