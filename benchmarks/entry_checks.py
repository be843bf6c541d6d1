"""How long the check "is this person already known?" takes at a million persons.

Creating a person at the desk first asks the linkage model for likely duplicates
(`rrms.services.identity.checks.likely_duplicates`). The check reads only the persons
whose family or given name shares a sound key with the new person's
(`register_candidates`, migration 0010); this script times it on the database that
`benchmarks/web.py` fills (run that first, with `--keep`), for persons drawn from the
register and typed again as a caseworker would, and reports p50, p95 and how many
persons each check read.

    .venv/bin/python benchmarks/entry_checks.py [--persons 1000000] [--checks 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    options = parser.parse_args()
    database = OUT / f"web-{options.persons}.db"
    if not database.exists():
        raise SystemExit(f"{database} is missing: run benchmarks/web.py --keep first")
    os.environ["RRMS_DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT / "src"))
    from sqlalchemy import select

    from rrms.domain.partial_date import PartialDate
    from rrms.reference.identity import identity_fields
    from rrms.services.core.access import Actor
    from rrms.services.identity.checks import likely_duplicates
    from rrms.services.identity.link import register_candidates
    from rrms.storage.database import session_factory, upgrade
    from rrms.storage.tables import Person
    from rrms.storage.unit_of_work import UnitOfWork

    upgrade()  # a database filled before migration 0010 gets its name keys
    rng = random.Random(options.seed)
    actor = Actor(user_id=None, username="benchmark", role="caseworker")
    timings, read = [], []
    with UnitOfWork(session_factory()) as uow:
        ids = [rng.randint(1, options.persons) for _ in range(options.checks)]
        people = uow.session.scalars(select(Person).where(Person.id.in_(ids))).all()
        for person in people:
            values = {
                "family_name": person.family_name,
                "given_name": person.given_name,
                "father_name": person.father_name,
                "birth_date": person.birth_date,
                "origin_municipality": person.origin_municipality,
                "sex": person.sex,
            }
            started = time.perf_counter()
            likely_duplicates(uow, actor, values)
            timings.append(time.perf_counter() - started)
            names = identity_fields(
                family_name=person.family_name,
                given_name=person.given_name,
                birth_date=PartialDate.parse(person.birth_date) if person.birth_date else None,
                municipality=person.origin_municipality or "",
            )
            read.append(len(register_candidates(uow, [("new", names)]).records))
    timings.sort()
    figures = {
        "persons": options.persons,
        "checks": len(timings),
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
        "persons_read_median": int(statistics.median(read)),
        "persons_read_max": max(read),
    }
    (OUT / "entry_checks.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
