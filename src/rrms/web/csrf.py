"""Request-forgery protection of the pages: a token in every form, a checked origin.

`SameSite=Strict` keeps the session cookie off requests from other *sites*, but a page
on the same site (another port of the host, a sibling host) is not another site: it
could post a form to RRMS with the victim's cookie. So every request that is not a
read (`GET`, `HEAD`, `OPTIONS`) must also

- carry the page's token, in the hidden field `csrf_token` of the form or, for htmx,
  in the header `X-CSRF-Token` (set once on `<body hx-headers>`); and
- when the browser says where it comes from, come from RRMS itself: an `Origin` (or,
  without one, a `Referer`) naming another host, or `Sec-Fetch-Site` other than
  `same-origin`, is refused.

The token is an HMAC, under the server's secret, of the session cookie when there is
one (a token per session: a form of one session is useless in another) and otherwise
of a random cookie `rrms_csrf` (HttpOnly, SameSite=Strict) that the sign-in page sets:
a signed double-submit token, so the sign-in and language forms are protected before
anyone has signed in. Another page can neither read the token nor make a valid one.

The secret is `RRMS_SECRET_KEY` when set (several servers behind one address must
share it), else a random key kept in the private data folder (`keys/csrf`, owner-only),
made once and shared by the server's workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from rrms.services.core.private_files import private_folder

FIELD = "csrf_token"
HEADER = "x-csrf-token"
COOKIE = "rrms_csrf"
SESSION_COOKIE = "rrms_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ForgedRequest(Exception):
    """A state-changing request without this site's token or from another origin."""


@lru_cache(maxsize=1)
def _secret() -> bytes:
    configured = os.environ.get("RRMS_SECRET_KEY")
    if configured:
        return configured.encode("utf-8")
    path = private_folder("keys") / "csrf"
    if not path.exists():
        _create_once(path, secrets.token_hex(32).encode("ascii"))
    return path.read_bytes().strip()


def _create_once(path: Path, key: bytes) -> None:
    """Write the key unless another worker has: a hard link appears whole or not at all."""
    temporary = path.with_name(f".{path.name}-{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(key)
        with contextlib.suppress(FileExistsError):  # another worker made it first
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _sign(kind: str, value: str) -> str:
    return hmac.new(_secret(), f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()


def _expected(request: Request) -> str | None:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return _sign("session", session)
    browser = request.cookies.get(COOKIE)
    return _sign("browser", browser) if browser else None


def form_token(request: Request) -> str:
    """The token for the forms of the page answering `request`.

    Without a session and without the `rrms_csrf` cookie, a new cookie value is made;
    `set_cookie` then sends it with the page.
    """
    expected = _expected(request)
    if expected is not None:
        return expected
    browser = getattr(request.state, "new_csrf_cookie", None)
    if browser is None:
        browser = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = browser
    return _sign("browser", browser)


def set_cookie(request: Request, response: Response) -> None:
    """Send the `rrms_csrf` cookie if `form_token` made one for this page."""
    browser = getattr(request.state, "new_csrf_cookie", None)
    if browser is not None:
        response.set_cookie(
            COOKIE,
            browser,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


def _same_host(address: str, host: str) -> bool:
    try:
        parts = urlsplit(address)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


async def check(request: Request) -> None:
    """Refuse a state-changing request that another page could have made.

    Applied to every route of the pages by `create_server`; the API is not included:
    it reads no cookie, only `Authorization: Bearer`, which no other page can send.
    """
    if request.method in SAFE_METHODS:
        return
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    referer = request.headers.get("referer")
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise ForgedRequest(f"Sec-Fetch-Site: {fetch_site}")
    if origin is not None and not _same_host(origin, host):
        raise ForgedRequest("the Origin is another site")
    if origin is None and referer and not _same_host(referer, host):
        raise ForgedRequest("the Referer is another site")
    given = request.headers.get(HEADER)
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(FIELD)
        given = value if isinstance(value, str) else None
    expected = _expected(request)
    if not given or expected is None or not hmac.compare_digest(given, expected):
        raise ForgedRequest("no valid form token")
