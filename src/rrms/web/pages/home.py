"""The start page: what the signed-in user can do, by role."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from rrms.web.session import SignedInPage

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(page: SignedInPage) -> HTMLResponse:
    """Links to the work the user's role allows."""
    return page.render("home.html")


ROUTERS = [router]
