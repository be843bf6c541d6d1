"""Persons pages: search in any script, a person's page, creating with a duplicate warning.

The warning comes from the linkage model (`rrms.services.identity.checks`): the
register's persons who are likely the one being recorded, with the evidence in
words, shown before anything is saved."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.domain.messages import N_
from rrms.http.headers import content_disposition
from rrms.reports.rendering import html_to_pdf
from rrms.services.core import records
from rrms.services.core.access import allowed, authorize
from rrms.services.core.errors import Conflict, Invalid
from rrms.services.identity.checks import likely_duplicates
from rrms.services.records.consents import CONSENTS, withdraw_consent
from rrms.services.records.corrections import CORRECTION_REQUESTS
from rrms.services.records.overview import person_overview
from rrms.services.records.persons import (
    FAMILIES,
    PERSONS,
    add_member,
    search_persons,
)
from rrms.services.records.subject_access import subject_access
from rrms.web.desk.desks import MEMBER_FIELDS, PERSON_DESK
from rrms.web.desk.exports import ExportForm
from rrms.web.desk.routes import Submitted, export_list, render_list
from rrms.web.desk.spec import Field
from rrms.web.desk.values import read_form
from rrms.web.i18n import environment, report_language, translations
from rrms.web.session import Page, PageUow, SignedInPage

router = APIRouter(prefix="/persons")


@router.get("", response_class=HTMLResponse)
def persons(page: SignedInPage, uow: PageUow, request: Request, q: str = "") -> HTMLResponse:
    """The search page; with htmx, only the results list. Without a name to search
    for, the list of persons below the search box: filtered, sorted, paged, exported."""
    assert page.actor is not None
    authorize(page.actor, "persons", "read")
    if request.headers.get("hx-request"):
        found = search_persons(uow, page.actor, q, limit=50) if q.strip() else []
        return page.render("persons/results.html", q=q, found=found)
    if not q.strip():
        return render_list(PERSON_DESK, page, uow, request.query_params, "persons/list.html", q="")
    found = search_persons(uow, page.actor, q, limit=50)
    return page.render("persons/search.html", q=q, found=found)


NEW_PERSON_FIELDS = tuple(
    field
    for name in (
        "family_name",
        "given_name",
        "father_name",
        "birth_date",
        "sex",
        "community",
        "origin_municipality",
    )
    if (field := PERSON_DESK.field(name)) is not None
)
"""The new person form's fields, entered as on the desk's edit form (choices for codes)."""


def _new_person_form(
    page: Page, status_code: int = 200, values: dict[str, Any] | None = None, **context: Any
) -> HTMLResponse:
    """The form with what was typed; a refusal naming a field is shown beside it."""
    typed = {name: str(value) for name, value in (values or {}).items() if value is not None}
    errors: dict[str, str] = {}
    error = context.pop("error", None)
    field = context.pop("field", None)
    if error and any(f.name == field for f in NEW_PERSON_FIELDS):
        errors[field] = error
        error = None
    return page.render(
        "persons/new.html",
        status_code=status_code,
        fields=NEW_PERSON_FIELDS,
        typed=typed,
        errors=errors,
        error=error,
        **{"similar": [], **context},
    )


@router.get("/new", response_class=HTMLResponse)
def new_person_form(page: SignedInPage) -> HTMLResponse:
    """The form to record a person."""
    assert page.actor is not None
    authorize(page.actor, "persons", "write")
    return _new_person_form(page)


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
    try:  # the duplicate check reads the birth date too: its refusal goes beside it
        similar = [] if confirmed == "yes" else likely_duplicates(uow, page.actor, values)
        if similar:
            return _new_person_form(page, 409, values, similar=similar)
        person = records.create_record(uow, page.actor, PERSONS, values)
    except Invalid as exc:
        return _new_person_form(page, 422, values, error=exc.message, field=exc.field)
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
        family_fields=FAMILY_FIELDS,
        today=dt.date.today().isoformat(),
        **extra,
    )


@router.get("/export.{form}", response_model=None)
def persons_export(
    page: SignedInPage, uow: PageUow, request: Request, form: ExportForm
) -> Response:
    """The persons list as filtered and sorted, as a CSV or XLSX file (before
    `/{person_id}`, which would take `export.csv` for an id)."""
    return export_list(PERSON_DESK, page, uow, request.query_params, form)


@router.get("/{person_id}", response_class=HTMLResponse)
def person_page(page: SignedInPage, uow: PageUow, person_id: int) -> HTMLResponse:
    """A person with their family, returns, decisions, assistance, projects, correction
    requests and audit trail."""
    return _person_page(page, uow, person_id)


def _summary_context(page: SignedInPage, uow: PageUow, person_id: int) -> dict[str, Any]:
    """What a printed case summary shows: the person's overview as the reader's role may
    read it, audited as a print."""
    assert page.actor is not None
    overview = person_overview(uow, page.actor, person_id, action="print")
    return {
        "person": overview.person,
        "families": overview.families,
        "relatives": overview.relatives,
        "related": overview.related,
        "printed_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


@router.get("/{person_id}/summary", response_class=HTMLResponse)
def case_summary(page: SignedInPage, uow: PageUow, person_id: int) -> HTMLResponse:
    """A printable case summary (the page's print stylesheet drops the navigation)."""
    return page.render("persons/summary.html", **_summary_context(page, uow, person_id))


@router.get("/{person_id}/summary.pdf", response_model=None)
def case_summary_pdf(page: SignedInPage, uow: PageUow, person_id: int) -> Response:
    """The case summary as an A4 PDF; the file is named by the person's id, not name."""
    context = _summary_context(page, uow, person_id)
    html = (
        environment(page.language)
        .get_template("persons/summary_document.html")
        .render(actor=page.actor, **context)
    )
    stylesheet = (resources.files("rrms.web") / "static" / "case-summary.css").read_text("utf-8")
    return Response(
        html_to_pdf(html, stylesheet),
        media_type="application/pdf",
        headers={"Content-Disposition": content_disposition(f"case-summary-{person_id}.pdf")},
    )


@router.get("/{person_id}/subject-access", response_model=None)
def person_subject_access(
    page: SignedInPage, uow: PageUow, person_id: int, form: Literal["pdf", "json"] = "pdf"
) -> Response:
    """Everything RRMS holds on the person, as a PDF (in the page's language) or a JSON
    file to hand to them."""
    assert page.actor is not None
    access = subject_access(uow, page.actor, person_id)
    if form == "json":
        body, media = access.json_bytes(), "application/json"
    else:
        body, media = access.pdf_bytes(report_language(page.language)), "application/pdf"
    return Response(
        body,
        media_type=media,
        headers={
            "Content-Disposition": content_disposition(access.file_name(form)),
        },
    )


FAMILY_FIELDS = (
    Field("family_ref", N_("Family reference"), required=True),
    *(f for f in MEMBER_FIELDS if f.name == "relationship"),
    Field("notes", N_("Notes on a new family"), "textarea"),
)
"""The person page's form that puts the person in a family, or starts one."""


@router.post("/{person_id}/families", response_model=None)
def join_family(page: SignedInPage, uow: PageUow, person_id: int, form: Submitted) -> Response:
    """Put the person in a family by its reference (`action=add`), or record a new
    family with them in it (`action=new`); errors beside the fields."""
    assert page.actor is not None
    _ = translations(page.language).gettext
    reading = read_form(FAMILY_FIELDS, form, _)
    for spec in FAMILY_FIELDS:
        if spec.required and reading.values.get(spec.name) is None:
            reading.errors.setdefault(spec.name, _("a value is required"))
    family_id: int | None = None
    if reading.ok:
        ref = reading.values["family_ref"]
        try:
            if form.get("action") == "new":
                family = records.create_record(
                    uow, page.actor, FAMILIES, {"family_ref": ref, "notes": reading.values["notes"]}
                )
                family_id = family.id
            else:
                found = records.list_records(uow, page.actor, FAMILIES, {"family_ref": ref}, 1)
                if not found.items:
                    raise Invalid(
                        N_(
                            "no family has this reference; press “Record a new family” to start one"
                        ),
                        "family_ref",
                    )
                family_id = found.items[0].id
            add_member(uow, page.actor, family_id, person_id, reading.values["relationship"])
        except (Invalid, Conflict) as exc:
            uow.rollback()
            name = exc.field if isinstance(exc, Invalid) and exc.field else "family_ref"
            reading.errors[name if name in reading.typed else "family_ref"] = exc.message
    if not reading.ok:
        return _person_page(
            page, uow, person_id, 422, family_typed=reading.typed, family_errors=reading.errors
        )
    return RedirectResponse(f"/persons/{person_id}#family", status_code=303)


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
            raise Invalid(
                N_("request {request_id} is not about this person", request_id=request_id),
                "request_id",
            )
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
