"""Signing in and out, and choosing the language of the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.services.accounts.users import TOKEN_LIFETIME, issue_token, revoke_token
from rrms.services.core.errors import NotAuthenticated, TooManyAttempts
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.i18n import LANGUAGES
from rrms.web.session import LANGUAGE_COOKIE, TOKEN_COOKIE, Page, PageUow

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths may be returned to after signing in (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return Page(request, None).render("sign_in.html", next=_safe_next(next))


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    uow: PageUow,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the credentials; on success keep the token in an HttpOnly cookie."""
    address = request.client.host if request.client else None
    try:
        token = issue_token(uow, username, password, address)
    except TooManyAttempts as exc:
        throttled = Page(request, None).render(
            "sign_in.html", status_code=429, throttled=True, username=username, next=next
        )
        throttled.headers["Retry-After"] = str(exc.retry_after)
        return throttled
    except NotAuthenticated as exc:
        return Page(request, None).render(
            "sign_in.html", status_code=401, error=exc.message, username=username, next=next
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        max_age=int(TOKEN_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/sign-out")
def sign_out(request: Request) -> RedirectResponse:
    """Revoke the session's token and forget the cookie."""
    token = request.cookies.get(TOKEN_COOKIE)
    if token:
        with UnitOfWork(request.app.state.session_factory) as uow:
            revoke_token(uow, token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.post("/language")
def choose_language(
    language: Annotated[str, Form(max_length=10)], next: Annotated[str, Form(max_length=500)] = "/"
) -> RedirectResponse:
    """Remember the chosen language for a year."""
    response = RedirectResponse(_safe_next(next), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="strict", httponly=True
        )
    return response


ROUTERS = [router]
