"""The administrator's users page (list, add, change role, deactivate) and the page on
which any signed-in user changes their own password. The same services as the API and
`rrms user ...`: every change authorised and audited there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.services.accounts.users import (
    USERS,
    add_user,
    change_own_password,
    update_user,
)
from rrms.services.core import records
from rrms.services.core.errors import Conflict, Invalid, ServiceError
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.session import Page, PageUow, SignedInPage

router = APIRouter()

NEW_USER_FIELDS = ("username", "full_name", "role", "password")
"""The fields of the form that adds a user; a refusal naming one is shown beside it."""


def _users_page(
    page: Page, uow: UnitOfWork, status_code: int = 200, **context: object
) -> HTMLResponse:
    assert page.actor is not None
    listed = records.list_records(uow, page.actor, USERS, limit=200)
    context.setdefault("errors", {})
    context.setdefault("row_errors", {})
    return page.render("users/index.html", status_code=status_code, users=listed.items, **context)


@router.get("/users", response_class=HTMLResponse)
def users(page: SignedInPage, uow: PageUow) -> HTMLResponse:
    """Every account, with forms to add one, change a role and deactivate (administrators)."""
    return _users_page(page, uow, values={})


@router.post("/users/new", response_model=None)
def new_user(
    page: SignedInPage,
    uow: PageUow,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=40)],
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Add an account; a refusal (policy, taken name) shown on the page, never the password."""
    assert page.actor is not None
    try:
        add_user(uow, page.actor, username, password, role, full_name=full_name)
    except ServiceError as exc:
        values = {"username": username, "role": role, "full_name": full_name}
        field = exc.field if isinstance(exc, Invalid) else None
        if isinstance(exc, Conflict):  # the only conflict of a new user: a taken name
            field = "username"
        if field in NEW_USER_FIELDS:
            errors = {field: exc.message}
            return _users_page(page, uow, status_code=exc.status, values=values, errors=errors)
        return _users_page(page, uow, status_code=exc.status, values=values, error=exc.message)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/change", response_model=None)
def change_user(
    page: SignedInPage,
    uow: PageUow,
    user_id: int,
    role: Annotated[str | None, Form(max_length=40)] = None,
    active: Annotated[str | None, Form(max_length=5)] = None,
) -> Response:
    """Change a role, or deactivate / reactivate (`active` = "false" / "true")."""
    assert page.actor is not None
    try:
        update_user(
            uow,
            page.actor,
            user_id,
            role=role or None,
            active=None if active is None else active == "true",
        )
    except ServiceError as exc:
        return _users_page(
            page, uow, status_code=exc.status, values={}, row_errors={user_id: exc.message}
        )
    return RedirectResponse("/users", status_code=303)


@router.get("/account/password", response_class=HTMLResponse)
def password_form(page: SignedInPage) -> HTMLResponse:
    """The form to change one's own password."""
    return page.render("users/password.html")


@router.post("/account/password", response_model=None)
def change_password(
    page: SignedInPage,
    uow: PageUow,
    current_password: Annotated[str, Form(max_length=200)],
    new_password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Change one's own password; every session of the user ends, so sign in again."""
    assert page.actor is not None
    try:
        change_own_password(uow, page.actor, current_password, new_password)
    except ServiceError as exc:
        return page.render("users/password.html", status_code=exc.status, error=exc.message)
    return RedirectResponse("/sign-in", status_code=303)


ROUTERS = [router]
