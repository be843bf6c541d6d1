"""Signing in on the pages: the API's bearer token kept in an HttpOnly cookie.

The cookie is `SameSite=Strict` (no cross-site request carries it) and `HttpOnly` (no
script can read it); every form also carries a token, checked with the request's
origin (`rrms.web.csrf`), since a page of the same site is not cross-site. Pages
resolve the cookie to an `Actor` through the same service as the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from rrms.services.accounts.users import actor_for_token
from rrms.services.core.access import Actor, allowed
from rrms.services.core.errors import NotAuthenticated
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web import csrf
from rrms.web.i18n import choose_language, environment

TOKEN_COOKIE = csrf.SESSION_COOKIE
LANGUAGE_COOKIE = "rrms_language"


class SignInRequired(Exception):
    """Raised by page dependencies when nobody is signed in; answered with a redirect."""


def page_uow(request: Request) -> Iterator[UnitOfWork]:
    """A unit of work for one page request."""
    with UnitOfWork(request.app.state.session_factory) as uow:
        yield uow


PageUow = Annotated[UnitOfWork, Depends(page_uow)]


def page_actor(request: Request, uow: PageUow) -> Actor:
    """The signed-in actor, or `SignInRequired`."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise SignInRequired
    try:
        return actor_for_token(uow, token)
    except NotAuthenticated:
        raise SignInRequired from None


PageActor = Annotated[Actor, Depends(page_actor)]


def actor_from_cookie(request: Request) -> Actor | None:
    """The signed-in actor if any, for pages that also show to visitors (errors)."""
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    with UnitOfWork(request.app.state.session_factory) as uow:
        try:
            return actor_for_token(uow, token)
        except NotAuthenticated:
            return None


@dataclass
class Page:
    """Renders templates in the request's language with the actor's navigation."""

    request: Request
    actor: Actor | None

    @property
    def language(self) -> str:
        """The language this page is rendered in."""
        return choose_language(
            self.request.cookies.get(LANGUAGE_COOKIE),
            None,
            self.request.headers.get("accept-language"),
        )

    def can(self, entity: str, action: str = "read") -> bool:
        """Whether the signed-in user may do this (hides what their role cannot use)."""
        return self.actor is not None and allowed(self.actor, entity, action)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """An HTML response from `template` with the common context."""
        env = environment(self.language)
        html = env.get_template(template).render(
            request=self.request,
            actor=self.actor,
            can=self.can,
            csrf_token=csrf.form_token(self.request),
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        csrf.set_cookie(self.request, response)
        return response


def page(request: Request, actor: PageActor) -> Page:
    """A page for a signed-in actor."""
    return Page(request, actor)


SignedInPage = Annotated[Page, Depends(page)]
