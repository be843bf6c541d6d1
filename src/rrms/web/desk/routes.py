"""The pages of one desk: a list, a record, a create form, an edit form, status buttons.

Every read and write goes through `rrms.services.core.records`, which authorises and
audits; a refusal that names a field (`Invalid.field`) is shown beside that field with
what the user typed; a save that lost the race to another user's (`Conflict`) comes
back as the form, the other user's values beside the user's own and the current
version, so pressing save again applies the change on top of theirs. The edit form
carries the values it opened with (`was-<field>`), so a field the user left alone
takes the other user's value in that form instead of writing the old one back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.services.core import records
from rrms.services.core.access import authorize
from rrms.services.core.errors import Conflict, Invalid
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.desk.choices import Programmes, programmes_for, with_options
from rrms.web.desk.exports import ExportForm, export_response, table_of, write
from rrms.web.desk.listing import Listing, read_listing
from rrms.web.desk.spec import Desk, Field
from rrms.web.desk.values import Reading, as_text, read_form, same
from rrms.web.i18n import translations
from rrms.web.session import Page, PageUow, SignedInPage

MAX_FORM_FIELDS = 200


async def submitted(request: Request) -> dict[str, str]:
    """The text fields of a posted form (files and repeated names are not desk input)."""
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    return {name: value for name, value in form.items() if isinstance(value, str)}


Submitted = Annotated[dict[str, str], Depends(submitted)]


def _gettext(page: Page) -> Any:
    return translations(page.language).gettext


def _heading(desk: Desk, row: Any, page: Page) -> str:
    if desk.heading is not None:
        return desk.heading(row, _gettext(page))
    return f"{_gettext(page)(desk.singular)} {row.id}"


def _refused(reading: Reading, fields: tuple[Field, ...], exc: Invalid | Conflict) -> str | None:
    """Put a service's refusal beside its field; the message left for the top, if any."""
    if exc.field and any(f.name == exc.field for f in fields):
        reading.errors[exc.field] = exc.message
        return None
    return exc.message


WAS = "was-"
"""The prefix of the hidden fields that carry the values an edit form opened with."""


def opened_with(fields: Iterable[Field], form: Mapping[str, str]) -> dict[str, str] | None:
    """The values the edit form showed when it was opened, by field; None if the form
    did not carry them (then a conflict cannot tell which fields the user changed)."""
    names = [f.name for f in fields]
    if not all(WAS + name in form for name in names):
        return None
    return {name: form[WAS + name] for name in names}


def untouched(typed: str, opened: str | None) -> bool:
    """Whether a field's text is still what the form opened with (a browser sends a
    textarea's line ends as CRLF)."""
    if opened is None:
        return False
    return typed.replace("\r\n", "\n") == opened.replace("\r\n", "\n")


def _fields_and_programmes(
    desk: Desk, page: Page, uow: UnitOfWork
) -> tuple[dict[str, Field], Programmes]:
    """The desk's fields by name as the user sees them, choices filled in, and the
    programmes read once for them (to name a programme by its code)."""
    assert page.actor is not None
    programmes = programmes_for(desk.fields, uow, page.actor)
    fields = with_options(desk.fields_for(page.actor.unit), programmes)
    return {f.name: f for f in fields}, programmes


def record_response(
    desk: Desk, page: Page, uow: UnitOfWork, row: Any, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    """A record's page: its values, its status buttons, and what `desk.record_context`
    adds (a family's members); `extra` carries a refused form's errors back."""
    assert page.actor is not None
    more = desk.record_context(uow, page.actor, row) if desk.record_context else {}
    programmes = programmes_for(desk.fields, uow, page.actor)
    return page.render(
        desk.record_template,
        status_code=status_code,
        desk=desk,
        row=row,
        heading=_heading(desk, row, page),
        buttons=desk.buttons(getattr(row, desk.status_field, None), page.actor.role),
        programme_names=programmes.codes,
        **{**more, **extra},
    )


def render_list(
    desk: Desk,
    page: Page,
    uow: UnitOfWork,
    params: Mapping[str, str],
    template: str = "desk/list.html",
    **extra: Any,
) -> HTMLResponse:
    """A desk's list page: the records the user may read, filtered, sorted and paged,
    with the total and the links that export the list as filtered."""
    assert page.actor is not None
    fields, programmes = _fields_and_programmes(desk, page, uow)
    listing: Listing = read_listing(desk, params, _gettext(page))
    found = None
    if listing.ok:
        try:
            found = records.list_records(
                uow,
                page.actor,
                desk.kind,
                listing.filters,
                listing.limit,
                listing.offset,
                spans=listing.spans,
                order=listing.order,
            )
        except Invalid as exc:
            listing.errors[exc.field if exc.field in listing.typed else ""] = exc.message
    return page.render(
        template,
        status_code=200 if listing.ok else 422,
        desk=desk,
        fields=fields,
        listing=listing,
        found=found,
        max_export=records.MAX_EXPORT,
        programme_names=programmes.codes,
        columns=[fields[name] for name in desk.columns],
        **extra,
    )


def export_list(
    desk: Desk, page: Page, uow: UnitOfWork, params: Mapping[str, str], form: ExportForm
) -> Response:
    """A desk's list as a CSV or XLSX file: every record the filters match, in the
    order shown, audited as one export (`rrms.services.core.records.export_records`);
    the list page with the errors beside the filters if one cannot be read."""
    assert page.actor is not None
    _ = _gettext(page)
    listing = read_listing(desk, params, _)
    if not listing.ok:
        return render_list(desk, page, uow, params)
    fields, programmes = _fields_and_programmes(desk, page, uow)
    body = b""

    def write_file(rows: Iterable[Any]) -> None:
        nonlocal body
        body = write(table_of(desk, fields, rows, _, programmes.codes), form)

    records.export_records(
        uow,
        page.actor,
        desk.kind,
        write_file,
        listing.filters,
        spans=listing.spans,
        order=listing.order,
        form=form,
    )
    return export_response(body, desk, form)


def desk_router(desk: Desk) -> APIRouter:
    """The routes of one desk, under its path."""
    router = APIRouter(prefix=desk.path)

    def create_fields(page: Page) -> tuple[Field, ...]:
        assert page.actor is not None
        return tuple(f for f in desk.fields_for(page.actor.unit) if f.on_create)

    def edit_fields(page: Page) -> tuple[Field, ...]:
        assert page.actor is not None
        return tuple(f for f in desk.fields_for(page.actor.unit) if f.on_edit)

    def render_form(
        page: Page,
        uow: UnitOfWork,
        reading: Reading,
        *,
        row: Any = None,
        status_code: int = 200,
        error: str | None = None,
        theirs: dict[str, str] | None = None,
        was: dict[str, str] | None = None,
    ) -> HTMLResponse:
        actor = page.actor
        assert actor is not None
        shown = edit_fields(page) if row is not None else create_fields(page)
        return page.render(
            "desk/form.html",
            status_code=status_code,
            desk=desk,
            fields=with_options(shown, programmes_for(shown, uow, actor)),
            row=row,
            heading=_heading(desk, row, page) if row is not None else None,
            typed=reading.typed,
            errors=reading.errors,
            error=error,
            theirs=theirs or {},
            was=was if was is not None else {},
        )

    def render_record(
        page: Page, uow: UnitOfWork, row: Any, status_code: int = 200, **extra: Any
    ) -> HTMLResponse:
        return record_response(desk, page, uow, row, status_code, **extra)

    if desk.list_page and desk.list_route:

        @router.get("", response_class=HTMLResponse, name=f"{desk.kind.entity}_list")
        def list_page(page: SignedInPage, uow: PageUow, request: Request) -> HTMLResponse:
            """The records the user may read, filtered, sorted and paged."""
            return render_list(desk, page, uow, request.query_params)

        @router.get("/export.{form}", response_model=None)
        def export(
            page: SignedInPage, uow: PageUow, request: Request, form: ExportForm
        ) -> Response:
            """The filtered list as a file: every matching record, in the order shown."""
            return export_list(desk, page, uow, request.query_params, form)

    if desk.creatable:

        @router.get("/new", response_class=HTMLResponse)
        def new_form(page: SignedInPage, uow: PageUow, request: Request) -> HTMLResponse:
            """An empty form, filled from the address where a page links to it
            (`/assistance/new?person_id=12`)."""
            assert page.actor is not None
            authorize(page.actor, desk.kind.entity, "write")
            reading = Reading(
                typed={f.name: request.query_params.get(f.name, "") for f in create_fields(page)}
            )
            return render_form(page, uow, reading)

        @router.post("/new", response_model=None)
        def create(page: SignedInPage, uow: PageUow, form: Submitted) -> Response:
            """Create the record, or show the form again with each error beside its field."""
            assert page.actor is not None
            reading = read_form(create_fields(page), form, _gettext(page))
            if not reading.ok:
                return render_form(page, uow, reading, status_code=422)
            values = {k: v for k, v in reading.values.items() if v is not None}
            values.update(desk.fixed_on_create)
            try:
                row = records.create_record(uow, page.actor, desk.kind, values)
            except Invalid as exc:
                uow.rollback()
                error = _refused(reading, create_fields(page), exc)
                return render_form(page, uow, reading, status_code=422, error=error)
            except Conflict as exc:  # a value already taken, beside its field if named
                uow.rollback()
                error = _refused(reading, create_fields(page), exc)
                return render_form(page, uow, reading, status_code=409, error=error)
            return RedirectResponse(desk.address(row), status_code=303)

    if desk.record_page:

        @router.get("/{record_id}", response_class=HTMLResponse)
        def record_page(page: SignedInPage, uow: PageUow, record_id: int) -> HTMLResponse:
            """One record, its values in the reader's language, and its status buttons."""
            assert page.actor is not None
            return render_record(
                page, uow, records.get_record(uow, page.actor, desk.kind, record_id)
            )

    @router.get("/{record_id}/edit", response_class=HTMLResponse)
    def edit_form(page: SignedInPage, uow: PageUow, record_id: int) -> HTMLResponse:
        """The form with the record's values."""
        assert page.actor is not None
        authorize(page.actor, desk.kind.entity, "write")
        row = records.get_record(uow, page.actor, desk.kind, record_id)
        reading = Reading(
            typed={f.name: as_text(f, getattr(row, f.name)) for f in edit_fields(page)}
        )
        was = dict(reading.typed)
        reading.typed["version"] = str(row.version)
        return render_form(page, uow, reading, row=row, was=was)

    @router.post("/{record_id}/edit", response_model=None)
    def update(page: SignedInPage, uow: PageUow, record_id: int, form: Submitted) -> Response:
        """Save what changed; on a conflict, the form again with the other user's values."""
        assert page.actor is not None
        row = records.get_record(uow, page.actor, desk.kind, record_id, audit_read=False)
        reading = read_form(edit_fields(page), form, _gettext(page))
        reading.typed["version"] = form.get("version", "")
        was = opened_with(edit_fields(page), form)
        if not reading.ok:
            return render_form(page, uow, reading, row=row, status_code=422, was=was)
        version = int(form["version"]) if form.get("version", "").isdigit() else 0
        changes = {
            name: value
            for name, value in reading.values.items()
            if not same(getattr(row, name), value)
        }
        if not changes:
            return RedirectResponse(desk.address(row), status_code=303)
        try:
            records.update_record(uow, page.actor, desk.kind, record_id, version, changes)
        except Invalid as exc:
            uow.rollback()
            error = _refused(reading, edit_fields(page), exc)
            return render_form(page, uow, reading, row=row, status_code=422, error=error, was=was)
        except Conflict as exc:
            uow.rollback()
            if exc.field is not None:  # a value already taken, not a stale version
                error = _refused(reading, edit_fields(page), exc)
                return render_form(
                    page, uow, reading, row=row, status_code=409, error=error, was=was
                )
            return conflict(page, uow, record_id, reading, exc.message, was)
        return RedirectResponse(desk.address(row), status_code=303)

    def conflict(
        page: Page,
        uow: PageUow,
        record_id: int,
        reading: Reading,
        message: str,
        was: dict[str, str] | None,
    ) -> HTMLResponse:
        """The form as the user filled it, against the record as saved now: under each
        field that differs, the saved value; a field the user did not change (its text
        is still what the form opened with) takes the saved value, so that saving again
        writes the user's changes only, never the old values back over the other's."""
        assert page.actor is not None
        row = records.get_record(uow, page.actor, desk.kind, record_id, audit_read=False)
        theirs = {
            f.name: as_text(f, getattr(row, f.name))
            for f in edit_fields(page)
            if not same(getattr(row, f.name), reading.values.get(f.name))
        }
        for name, saved in theirs.items():
            if was is not None and untouched(reading.typed.get(name, ""), was.get(name)):
                reading.typed[name] = saved
        reading.typed["version"] = str(row.version)
        now = {f.name: as_text(f, getattr(row, f.name)) for f in edit_fields(page)}
        return render_form(
            page, uow, reading, row=row, status_code=409, error=message, theirs=theirs, was=now
        )

    @router.post("/{record_id}/status", response_model=None)
    def move(page: SignedInPage, uow: PageUow, record_id: int, form: Submitted) -> Response:
        """Press a status button: the status, and what the button asked for."""
        assert page.actor is not None
        row = records.get_record(uow, page.actor, desk.kind, record_id, audit_read=False)
        status = getattr(row, desk.status_field, None)
        _ = translations(page.language).gettext
        button = next(
            (t for t in desk.buttons(status, page.actor.role) if t.to == form.get("to")), None
        )
        if button is None:
            return render_record(
                page,
                uow,
                row,
                status_code=409,
                error=_("This record has moved on; here it is as saved now."),
            )
        asked = tuple(f for f in desk.fields if f.name in button.asks)
        reading = read_form(asked, form, _gettext(page))
        if not reading.ok:
            return render_record(
                page,
                uow,
                row,
                status_code=422,
                errors=reading.errors,
                typed=reading.typed,
                pressed=button.to,
            )
        changes: dict[str, Any] = {desk.status_field: button.to}
        changes.update({k: v for k, v in reading.values.items() if v is not None})
        version = int(form["version"]) if form.get("version", "").isdigit() else 0
        try:
            records.update_record(uow, page.actor, desk.kind, record_id, version, changes)
        except Invalid as exc:
            uow.rollback()
            errors = {exc.field if exc.field in button.asks else "": exc.message}
            return render_record(
                page,
                uow,
                row,
                status_code=422,
                errors=errors,
                typed=reading.typed,
                pressed=button.to,
            )
        except Conflict:
            uow.rollback()
            fresh = records.get_record(uow, page.actor, desk.kind, record_id, audit_read=False)
            return render_record(
                page,
                uow,
                fresh,
                status_code=409,
                error=_(
                    "Someone changed this record after you opened it; here it is as saved "
                    "now. Press the button again if it still applies."
                ),
            )
        return RedirectResponse(desk.address(row), status_code=303)

    return router
