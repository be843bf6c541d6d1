"""Benchmark accepting a recorded list's recommendations in bulk.

A sending state's list may hold thousands of persons, and the screening officer accepts
the engine's recommendations of every person recommended `accept` or `object` in one
action (`accept_recommendations(..., "accept_or_object")`). Each decision is still
recorded per person with its own audit entry (issue 11), so the action writes one
decision row and one chained audit entry per person; this measures how long that takes.

A synthetic list (`synthetic_manifest.generate_manifest`) is screened and recorded in a
fresh migrated database, then the recommendations are accepted in one call, timed; the
audit chain is verified afterwards (every hash recomputed) so that a faster path can
never be a broken chain.

Run from the project root:

    .venv/bin/python benchmarks/screening_bulk.py                  # 5,000 persons, SQLite
    .venv/bin/python benchmarks/screening_bulk.py --persons 20000
    .venv/bin/python benchmarks/screening_bulk.py --postgres-url postgresql://...

Figures are printed and written to benchmarks/out/screening_bulk.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_manifest import REFERENCE_AS_OF, generate_manifest  # noqa: E402

REFERENCE_CSV = ROOT / "src" / "rrms" / "reference" / "data" / "municipalities-2004.csv"
OUT = ROOT / "benchmarks" / "out" / "screening_bulk.json"


def measure(url: str, persons: int, seed: int, work: Path) -> dict[str, Any]:
    """Record a synthetic list of `persons` and accept its recommendations; the figures."""
    from rrms.services.accounts.users import actor_of, add_user
    from rrms.services.core.access import SYSTEM
    from rrms.services.core.audit import verify_chain
    from rrms.services.screening import decisions
    from rrms.services.screening.screen import screen_manifest
    from rrms.storage.database import engine_for, session_factory, upgrade
    from rrms.storage.unit_of_work import UnitOfWork

    upgrade(url)
    factory = session_factory(engine_for(url))
    path = work / "bulk-list.csv"
    generate_manifest(path, persons, seed, REFERENCE_CSV)
    report = screen_manifest(path, REFERENCE_AS_OF, file_name=path.name)
    with UnitOfWork(factory) as uow:
        officer = actor_of(
            add_user(uow, SYSTEM, "bench_officer", "a long passphrase", "screening_officer")
        )
    started = time.perf_counter()
    with UnitOfWork(factory) as uow:
        screened = decisions.record_screening(uow, officer, report, path.name, "0" * 64)
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    with UnitOfWork(factory) as uow:
        accepted = decisions.accept_recommendations(uow, officer, screened.id, "accept_or_object")
    seconds = time.perf_counter() - started
    with UnitOfWork(factory) as uow:
        problems = list(verify_chain(uow))
    return {
        "backend": url.split(":", 1)[0],
        "persons": persons,
        "record_screening_s": round(recorded, 3),
        "accepted": accepted,
        "accept_s": round(seconds, 3),
        "ms_per_decision": round(1000 * seconds / max(accepted, 1), 3),
        "chain_problems": len(problems),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark on SQLite (and PostgreSQL when a URL is given); print figures."""
    parser = argparse.ArgumentParser(description="Benchmark bulk screening decisions.")
    parser.add_argument("--persons", type=int, default=5_000, help="list size (5,000)")
    parser.add_argument("--seed", type=int, default=2004, help="generator seed (2004)")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database to use as well")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        urls = [f"sqlite:///{work / 'bulk.db'}"]
        if args.postgres_url:
            urls.append(args.postgres_url)
        for url in urls:
            figures = measure(url, args.persons, args.seed, work)
            print(json.dumps(figures))
            results.append(figures)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(r["chain_problems"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
