"""Persons pages: search in any script, a person's page, creating with a duplicate warning.

The warning comes from the linkage model (`rrms.services.identity.checks`): the
register's persons who are likely the one being recorded, with the evidence in
words, shown before anything is saved."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.http.headers import content_disposition
from rrms.services.core import records
from rrms.services.core.access import allowed, authorize
from rrms.services.core.errors import Invalid
from rrms.services.identity.checks import likely_duplicates
from rrms.services.records.consents import CONSENTS, withdraw_consent
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.overview import person_overview
from rrms.services.records.persons import PERSONS, search_persons
from rrms.services.records.subject_access import subject_access
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/persons")


@router.get("", response_class=HTMLResponse)
def persons(page: SignedInPage, uow: PageUow, request: Request, q: str = "") -> HTMLResponse:
    """The search page; with htmx, only the results list."""
    assert page.actor is not None
    authorize(page.actor, "persons", "read")
    found = search_persons(uow, page.actor, q, limit=50) if q.strip() else []
    template = (
        "persons/results.html" if request.headers.get("hx-request") else "persons/search.html"
    )
    return page.render(template, q=q, found=found)


@router.get("/new", response_class=HTMLResponse)
def new_person_form(page: SignedInPage) -> HTMLResponse:
    """The form to record a person."""
    assert page.actor is not None
    authorize(page.actor, "persons", "write")
    return page.render("persons/new.html", values={}, similar=[])


@router.post("/new", response_model=None)
def create_person(
    page: SignedInPage,
    uow: PageUow,
    family_name: Annotated[str, Form(max_length=200)],
    given_name: Annotated[str, Form(max_length=200)],
    birth_date: Annotated[str, Form(max_length=12)] = "",
    father_name: Annotated[str, Form(max_length=200)] = "",
    sex: Annotated[str, Form(max_length=10)] = "",
    community: Annotated[str, Form(max_length=40)] = "",
    origin_municipality: Annotated[str, Form(max_length=80)] = "",
    confirmed: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Create the person, unless the register likely holds them already and the user
    has not confirmed that this is someone else."""
    assert page.actor is not None
    values: dict[str, Any] = {
        "family_name": family_name,
        "given_name": given_name,
        "birth_date": birth_date or None,
        "father_name": father_name or None,
        "sex": sex or None,
        "community": community or None,
        "origin_municipality": origin_municipality or None,
    }
    similar = [] if confirmed == "yes" else likely_duplicates(uow, page.actor, values)
    if similar:
        return page.render("persons/new.html", status_code=409, values=values, similar=similar)
    try:
        person = records.create_record(uow, page.actor, PERSONS, values)
    except Invalid as exc:
        return page.render(
            "persons/new.html", status_code=422, values=values, similar=[], error=exc.message
        )
    return RedirectResponse(f"/persons/{person.id}", status_code=303)


def _person_page(
    page: SignedInPage, uow: PageUow, person_id: int, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    assert page.actor is not None
    overview = person_overview(uow, page.actor, person_id)
    corrections: list[Any] | None = None
    if allowed(page.actor, "correction_requests", "read"):
        corrections = list(
            records.list_records(
                uow, page.actor, CORRECTION_REQUESTS, {"person_id": person_id}, limit=100
            ).items
        )
    return page.render(
        "persons/person.html",
        status_code=status_code,
        person=overview.person,
        families=overview.families,
        relatives=overview.relatives,
        trail=overview.trail,
        related=overview.related,
        consents=overview.consents,
        corrections=corrections,
        today=dt.date.today().isoformat(),
        **extra,
    )


@router.get("/{person_id}", response_class=HTMLResponse)
def person_page(page: SignedInPage, uow: PageUow, person_id: int) -> HTMLResponse:
    """A person with their family, returns, decisions, assistance, projects, correction
    requests and audit trail."""
    return _person_page(page, uow, person_id)


@router.get("/{person_id}/subject-access", response_model=None)
def person_subject_access(
    page: SignedInPage, uow: PageUow, person_id: int, form: Literal["pdf", "json"] = "pdf"
) -> Response:
    """Everything RRMS holds on the person, as a PDF or a JSON file to hand to them."""
    assert page.actor is not None
    access = subject_access(uow, page.actor, person_id)
    if form == "json":
        body, media = access.json_bytes(), "application/json"
    else:
        body, media = access.pdf_bytes(), "application/pdf"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": content_disposition(access.file_name(form)),
        },
    )


@router.post("/{person_id}/corrections", response_model=None)
def record_correction(
    page: SignedInPage,
    uow: PageUow,
    person_id: int,
    what: Annotated[str, Form(max_length=5000)],
    requested_on: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Take down a person's request to correct their data."""
    assert page.actor is not None
    values: dict[str, Any] = {"person_id": person_id, "what": what}
    if requested_on.strip():
        values["requested_on"] = requested_on
    try:
        records.create_record(uow, page.actor, CORRECTION_REQUESTS, values)
    except Invalid as exc:
        return _person_page(page, uow, person_id, 422, correction_error=exc.message)
    return RedirectResponse(f"/persons/{person_id}#corrections", status_code=303)


@router.post("/{person_id}/corrections/{request_id}", response_model=None)
def close_correction(
    page: SignedInPage,
    uow: PageUow,
    person_id: int,
    request_id: int,
    version: Annotated[int, Form()],
    status: Annotated[str, Form(max_length=10)],
    refusal_reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Close a correction request: corrected, or refused with the reason."""
    assert page.actor is not None
    changes: dict[str, Any] = {"status": status}
    if refusal_reason.strip():
        changes["refusal_reason"] = refusal_reason
    try:
        row = records.get_record(uow, page.actor, CORRECTION_REQUESTS, request_id)
        if row.person_id != person_id:
            raise Invalid(f"request {request_id} is not about this person", "request_id")
        records.update_record(uow, page.actor, CORRECTION_REQUESTS, request_id, version, changes)
    except Invalid as exc:
        return _person_page(page, uow, person_id, 422, correction_error=exc.message)
    return RedirectResponse(f"/persons/{person_id}#corrections", status_code=303)


@router.post("/{person_id}/consents", response_model=None)
def record_consent(
    page: SignedInPage,
    uow: PageUow,
    person_id: int,
    purpose: Annotated[str, Form(max_length=40)],
    recipients: Annotated[str, Form(max_length=2000)],
    given_on: Annotated[str, Form(max_length=12)],
    scope: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Record a consent the person gave (a refusal shows the field at fault)."""
    assert page.actor is not None
    values: dict[str, Any] = {
        "person_id": person_id,
        "purpose": purpose,
        "scope": scope or [],
        "recipients": [name for name in recipients.split(",")],
        "given_on": given_on,
    }
    records.create_record(uow, page.actor, CONSENTS, values)
    return RedirectResponse(f"/persons/{person_id}#consents", status_code=303)


@router.post("/{person_id}/consents/{consent_id}/withdraw", response_model=None)
def withdraw(
    page: SignedInPage,
    uow: PageUow,
    person_id: int,
    consent_id: int,
    version: Annotated[int, Form(ge=1)],
    withdrawn_on: Annotated[str, Form(max_length=12)],
) -> Response:
    """Record the withdrawal of a consent; the consent is kept, marked withdrawn."""
    assert page.actor is not None
    withdraw_consent(uow, page.actor, consent_id, version, withdrawn_on)
    return RedirectResponse(f"/persons/{person_id}#consents", status_code=303)


ROUTERS = [router]
