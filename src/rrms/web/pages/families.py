"""A family's members on its page: add one with their relationship to the head, take
one out. The family itself (reference, notes) is a desk record (`/families`); these
forms are read like the desk's and each refusal is shown beside its field."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.services.core import records
from rrms.services.core.errors import Invalid, NotFound
from rrms.services.records.persons import FAMILIES, add_member, remove_member
from rrms.web.desk.desks import FAMILY_DESK, MEMBER_FIELDS
from rrms.web.desk.routes import Submitted, record_response
from rrms.web.desk.values import read_form
from rrms.web.i18n import translations
from rrms.web.session import PageUow, SignedInPage

router = APIRouter(prefix="/families")


@router.post("/{family_id}/members", response_model=None)
def add_family_member(
    page: SignedInPage, uow: PageUow, family_id: int, form: Submitted
) -> Response:
    """Put a person in the family; a wrong person or relationship is shown beside its field."""
    assert page.actor is not None
    family = records.get_record(uow, page.actor, FAMILIES, family_id, audit_read=False)
    reading = read_form(MEMBER_FIELDS, form, translations(page.language).gettext)
    for spec in MEMBER_FIELDS:
        if reading.values.get(spec.name) is None and spec.name not in reading.errors:
            reading.errors[spec.name] = translations(page.language).gettext("a value is required")
    if reading.ok:
        try:
            add_member(
                uow,
                page.actor,
                family_id,
                reading.values["person_id"],
                reading.values["relationship"],
            )
        except Invalid as exc:
            uow.rollback()
            reading.errors[exc.field or "person_id"] = exc.message
    if not reading.ok:
        return _family_page(page, uow, family, reading.typed, reading.errors)
    return RedirectResponse(f"/families/{family_id}#members", status_code=303)


def _family_page(
    page: SignedInPage,
    uow: PageUow,
    family: object,
    typed: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    return record_response(
        FAMILY_DESK, page, uow, family, 422, member_typed=typed, member_errors=errors
    )


@router.post("/{family_id}/members/{person_id}/remove", response_model=None)
def remove_family_member(
    page: SignedInPage, uow: PageUow, family_id: int, person_id: int, form: Submitted
) -> Response:
    """Take a person out of the family; back to the page the button was on (a person's,
    named by `back`, or the family's)."""
    assert page.actor is not None
    try:
        remove_member(uow, page.actor, family_id, person_id)
    except NotFound as exc:
        uow.rollback()
        family = records.get_record(uow, page.actor, FAMILIES, family_id, audit_read=False)
        return record_response(FAMILY_DESK, page, uow, family, 404, member_error=exc.message)
    back = form.get("back", "")
    if back.isdigit() and len(back) <= 10:
        return RedirectResponse(f"/persons/{int(back)}#family", status_code=303)
    return RedirectResponse(f"/families/{family_id}#members", status_code=303)


ROUTERS = [router]
