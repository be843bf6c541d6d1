"""Take the README's pictures of the pages people work in, on the demo data set.

The browser tests take pictures of their own small data (`make screenshots`); these
show what a new user sees after `make run`: a programme with its figures and charts,
a person's page, the information-request queue, the arrivals and the home page in
Albanian. The script starts `rrms serve --demo` on a free loopback port in a
temporary folder (so nothing of the working directory is touched), signs in with the
demo accounts it created, and saves PNGs under docs/screenshots/.

    .venv/bin/python scripts/demo_screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("RRMS_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("rrms serve stopped before answering")
        try:
            httpx.get(f"{base}/sign-in", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(1)
    raise SystemExit(f"rrms serve did not answer within {seconds:.0f} s")


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def _shoot(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    print(f"docs/screenshots/{name}.png")


def main() -> None:
    """Serve the demo, take the pictures, stop the server."""
    rrms = str(Path(sys.executable).parent / "rrms")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rrms-demo-") as folder:
        environment = {
            **os.environ,
            "RRMS_DATABASE_URL": f"sqlite:///{folder}/rrms.db",
            "RRMS_DATA_DIR": f"{folder}/data",
        }
        server = subprocess.Popen(
            [rrms, "serve", "--demo", "--port", str(port), "--workers", "1"],
            cwd=folder,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base, server, seconds=300)
            accounts = (Path(folder) / "rrms-demo-accounts.txt").read_text(encoding="utf-8")
            password = accounts.rsplit(": ", 1)[1].strip()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                manager = browser.new_page(viewport={"width": 1280, "height": 860})
                _sign_in(manager, base, "demo_programme_manager", password)
                manager.goto(f"{base}/programmes")
                manager.locator("a", has_text="VARRP").first.click()
                manager.wait_for_load_state()
                _shoot(manager, manager.url, "programme")
                _shoot(manager, f"{base}/information-requests", "information-requests")
                worker = browser.new_page(viewport={"width": 1280, "height": 860})
                _sign_in(worker, base, "demo_caseworker", password)
                _shoot(worker, f"{base}/returns?destination_municipality=Pec", "arrivals-pec")
                worker.goto(f"{base}/persons?q=Pec")
                worker.locator("main a[href^='/persons/']:not([href='/persons/new'])").first.click()
                worker.wait_for_load_state()
                _shoot(worker, worker.url, "person")
                worker.goto(f"{base}/")
                worker.select_option("select[name=language]", "sq")
                worker.wait_for_load_state()
                _shoot(worker, f"{base}/", "home-sq")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
