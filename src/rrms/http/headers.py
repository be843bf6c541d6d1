"""HTTP headers every answer carries: the security headers, and file names of downloads.

`SecurityHeaders` wraps the pages and the API. Each header is only added when the
answer has not set it itself, so a page that needs its own policy (the API's
documentation, a report document) keeps it:

- `Content-Security-Policy` (`CSP`): scripts, styles, images and forms from RRMS only,
  no inline script and no inline style, never framed;
- `X-Frame-Options: DENY` for browsers that predate `frame-ancestors`;
- `X-Content-Type-Options: nosniff`: a download is never run as a script or page;
- `Referrer-Policy: same-origin`: no address (which may hold a searched name) leaves
  for another site, while RRMS's own form posts keep their `Origin` header, which the
  request-forgery check reads (`no-referrer` would make browsers send `Origin: null`);
- `Cache-Control: no-store` on everything but `/static`: no page or download with a
  person's data stays in the browser's cache (or shows again with Back after signing
  out).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rrms.reference.text import cyrillic_to_latin

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
"""The policy of every page: nothing inline, nothing from another host."""

DOCUMENT_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
"""The policy of a generated report document (HTML with its own style sheet and
charts, made for printing): its inline styles apply, no script runs at all, and the
forms of RRMS's header above it (language, sign out) post to RRMS only."""

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
CACHEABLE_PREFIX = "/static/"


class SecurityHeaders:
    """ASGI middleware adding the security headers (and `no-store`) to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the missing headers to the answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = HEADERS if cacheable else (*HEADERS, (b"cache-control", b"no-store"))
                headers.extend(item for item in wanted if item[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def ascii_file_name(name: str) -> str:
    """A file name in ASCII for old clients: Serbian Cyrillic in Latin letters, accents
    dropped (`Ђорђевић.csv` → `Djordjevic.csv`), anything else, quotes and control
    characters as `_`."""
    latin = cyrillic_to_latin(name).replace("đ", "dj").replace("Đ", "Dj")
    plain = "".join(c for c in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(c))
    kept = "".join(c if " " <= c < "\x7f" and c not in '"\\;' else "_" for c in plain)
    return kept.strip() or "download"


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """A `Content-Disposition` header naming the file in any script (RFC 6266): an ASCII
    `filename` for old clients and the exact name as `filename*=UTF-8''…` (RFC 5987)."""
    name = "".join(c for c in name if c.isprintable())
    fallback = ascii_file_name(name)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header
