"""An import's state survives the trip through its file, so any server process can show it."""

from __future__ import annotations

import os
import stat

from rrms.formats.errors import CellError
from rrms.web.import_jobs import ImportJob, jobs_dir, load_job, save_job


def test_state_round_trips_and_stays_private(tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    job = ImportJob(owner="cw", file_name="register.csv", done=5000, total=None)
    job.errors = [CellError(3, "arrival_date", "31.02.2004", "no such day", ("28.02.2004",))]
    job_id = "ab" * 16
    save_job(job_id, job)
    assert load_job(job_id) == job
    job.finished, job.summary = True, {"rows": 2, "created": 2}
    save_job(job_id, job)
    assert load_job(job_id) == job
    assert stat.S_IMODE(os.stat(jobs_dir()).st_mode) == 0o700
    assert [p.name for p in jobs_dir().iterdir()] == [f"{job_id}.json"]  # no leftovers


def test_unknown_and_malformed_ids_are_not_found(tmp_path, monkeypatch):
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path))
    assert load_job("cd" * 16) is None
    assert load_job("../../etc/passwd") is None
