"""Returns pages: import a register file with progress and errors.

The arrivals themselves are listed, filtered and corrected on the desk (`/arrivals`,
`rrms.web.desk.desks.RETURN_DESK`), which links here to import; `/returns`, the old
address of the list, leads there with its filters."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rrms.domain.messages import N_
from rrms.domain.vocabulary import MAX_UPLOAD_BYTES
from rrms.formats.errors import InputFileError
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import NotFound, ServiceError
from rrms.services.core.private_files import new_private_id
from rrms.services.returns.register_import import import_returns
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.i18n import translations
from rrms.web.import_jobs import ImportJob, load_job, save_job
from rrms.web.session import SignedInPage
from rrms.web.uploads import read_upload

router = APIRouter(prefix="/returns")


def _run_import(factory: Any, actor: Actor, path: Path, job_id: str, job: ImportJob) -> None:
    def progress(done: int, total: int | None) -> None:
        job.done, job.total = done, total
        save_job(job_id, job)

    try:
        summary = import_returns(
            lambda: UnitOfWork(factory), actor, path, progress, file_name=job.file_name
        )
        job.summary = summary.as_dict()
    except InputFileError as exc:
        job.errors, job.error_count = exc.errors, exc.total
    except ServiceError as exc:
        job.failure = exc.message
    except Exception:  # the page must not poll for ever; the server log has the rest
        job.failure = "the import failed unexpectedly; nothing was imported"
        raise
    finally:
        path.unlink(missing_ok=True)
        job.finished = True
        save_job(job_id, job)


@router.get("", response_model=None)
def arrivals(request: Request) -> RedirectResponse:
    """The one list of arrivals is the desk's: go there with the same filters."""
    query = request.url.query
    return RedirectResponse("/arrivals" + (f"?{query}" if query else ""), status_code=303)


@router.get("/import", response_class=HTMLResponse)
def import_form(page: SignedInPage) -> HTMLResponse:
    """The form to upload a returns register."""
    assert page.actor is not None
    authorize(page.actor, "returns", "write")
    return page.render("returns/upload.html", error=None)


@router.post("/import", response_model=None)
async def start_import(
    page: SignedInPage, request: Request, file: Annotated[UploadFile, File()]
) -> Response:
    """Start importing an uploaded register file in the background."""
    assert page.actor is not None
    authorize(page.actor, "returns", "write")
    data = await read_upload(file)
    _ = translations(page.language).gettext
    refusal = None
    if not data:
        refusal = _("the uploaded file is empty")
    elif len(data) > MAX_UPLOAD_BYTES:  # never import the first part of a file cut off
        refusal = _(
            "the file is larger than %(mb)s MB; import it with the command rrms import returns"
        ) % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if refusal is not None:
        return page.render("returns/upload.html", status_code=422, error=refusal)
    suffix = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as copy:
        copy.write(data)
    job_id = new_private_id()
    job = ImportJob(owner=page.actor.username, file_name=Path(file.filename or "register").name)
    save_job(job_id, job)
    threading.Thread(
        target=_run_import,
        args=(request.app.state.session_factory, page.actor, Path(copy.name), job_id, job),
        daemon=True,
    ).start()
    return RedirectResponse(f"/returns/import/{job_id}", status_code=303)


@router.get("/import/{job_id}", response_class=HTMLResponse)
def import_status(page: SignedInPage, request: Request, job_id: str) -> HTMLResponse:
    """The import's progress, then its summary or every error of the file."""
    assert page.actor is not None
    job = load_job(job_id)
    if job is None or job.owner != page.actor.username:
        raise NotFound(N_("no such import"))
    template = (
        "returns/import_status.html" if request.headers.get("hx-request") else "returns/import.html"
    )
    return page.render(template, job=job, job_id=job_id, today=dt.date.today())


ROUTERS = [router]
