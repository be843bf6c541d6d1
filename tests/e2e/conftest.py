"""Browser tests: the real server on a loopback port, driven by Debian's Chromium.

Playwright for Python launches the system browser (`/usr/bin/chromium`, or
`RRMS_CHROMIUM`); no browser is downloaded. The server runs in a thread on a fresh
SQLite database with one user per role.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from rrms.domain.vocabulary import ROLES
from rrms.services.accounts.users import add_user
from rrms.services.core.access import SYSTEM
from rrms.storage.database import _sqlite_pragmas
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.server import create_server
from support.databases import SqliteTemplate

PASSWORD = "correct horse battery"
CHROMIUM = os.environ.get("RRMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker]:  # type: ignore[type-arg]
    template = SqliteTemplate()
    engine = create_engine(template.fresh_database(), connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    for role in ROLES:
        with UnitOfWork(factory) as uow:
            add_user(uow, SYSTEM, f"{role}_user", PASSWORD, role)
    os.environ["RRMS_DATA_DIR"] = str(tmp_path_factory.mktemp("rrms-data"))
    yield factory
    engine.dispose()
    template.stop()


@pytest.fixture(scope="session")
def base_url(server_factory: sessionmaker) -> Iterator[str]:  # type: ignore[type-arg]
    port = _free_port()
    config = uvicorn.Config(
        create_server(server_factory), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def signed_in(browser: object, base_url: str):  # type: ignore[no-untyped-def]
    """Open a new browser context signed in as a user of the given role."""
    contexts = []

    def open_as(role: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")  # type: ignore[attr-defined]
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{base_url}/sign-in")
        page.get_by_label("Username").fill(f"{role}_user")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base_url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a screenshot of a main page for the README, when RRMS_SCREENSHOTS=1.

    Off by default so that a test run leaves the work tree as it found it; the README's
    pictures are refreshed with `make screenshots`.
    """
    if os.environ.get("RRMS_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
