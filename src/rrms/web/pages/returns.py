"""Returns pages: import a register file with progress and errors; list and filter arrivals."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from rrms.domain.messages import N_
from rrms.domain.vocabulary import MAX_UPLOAD_BYTES
from rrms.formats.errors import InputFileError
from rrms.services.core import records
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid, NotFound, ServiceError
from rrms.services.core.private_files import new_private_id
from rrms.services.returns.arrivals import RETURNS
from rrms.services.returns.register_import import import_returns
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.import_jobs import ImportJob, load_job, save_job
from rrms.web.session import PageUow, SignedInPage
from rrms.web.uploads import read_upload

router = APIRouter(prefix="/returns")

FILTERS = ("return_type", "sending_country", "transport_mode", "destination_municipality")


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


@router.get("", response_class=HTMLResponse)
def arrivals(page: SignedInPage, uow: PageUow, request: Request, offset: int = 0) -> HTMLResponse:
    """Arrivals, filtered by the query's fields, 50 a page."""
    assert page.actor is not None
    filters = {name: request.query_params.get(name) or None for name in FILTERS}
    found = records.list_records(uow, page.actor, RETURNS, filters, limit=50, offset=max(0, offset))
    return page.render("returns/list.html", found=found, filters=filters)


@router.post("/import", response_model=None)
async def start_import(
    page: SignedInPage, request: Request, file: Annotated[UploadFile, File()]
) -> RedirectResponse:
    """Start importing an uploaded register file in the background."""
    assert page.actor is not None
    authorize(page.actor, "returns", "write")
    data = await read_upload(file)
    if not data:
        raise Invalid(N_("the uploaded file is empty"), "file")
    if len(data) > MAX_UPLOAD_BYTES:  # never import the first part of a file cut off
        raise Invalid(
            N_(
                "the file is larger than {max_upload_bytes} MB; import it with `rrms import "
                "returns`",
                max_upload_bytes=MAX_UPLOAD_BYTES // (1024 * 1024),
            ),
            "file",
        )
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
