"""Latency of the web pages with a million persons: person search, a person's page and
the lists (persons, arrivals, assistance), each filtered and sorted, with its total.

Fills a fresh database with N persons (default 1,000,000; names drawn from a Zipf-like
pool of about 60,000 family names and 4,000 given names, some in Cyrillic or without
diacritics; sex, community and municipality of origin drawn at random), an arrival
for every second person (sending countries weighted as in 2004, six years of dates)
and an assistance record for every fifth, starts `rrms serve` on loopback, and runs U
concurrent users (default 20): each signs in, then repeatedly searches a name, opens a
person's page or one of the three lists with a filter and a sort (the page carries
the total count), waits for the answer, and pauses for a think time (default 0.5 s)
before the next request. The run is bounded in requests and in time. Beside it, the
same lookups as bare SQL on the same database (the floor). Reports p50 and p95 per
page; the target is p95 under 150 ms.

    .venv/bin/python benchmarks/web.py [--persons N] [--users U] [--think S]
        [--requests R] [--max-seconds T] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PASSWORD = "ninety-nine red balloons"  # must not contain the username (policy)
SYLLABLES = [
    "ba",
    "ber",
    "dra",
    "ga",
    "ha",
    "ja",
    "kra",
    "le",
    "ma",
    "mi",
    "na",
    "ni",
    "pe",
    "qi",
    "ra",
    "re",
    "sa",
    "sha",
    "ta",
    "vi",
    "xhe",
    "za",
    "zo",
    "đo",
    "ko",
    "lju",
    "šo",
    "ći",
    "ve",
    "do",
]
COUNTRIES = ["DE"] * 6 + ["CH"] * 3 + ["SE", "AT", "NL", "GB", "FR", "BE", "NO", "DK"]
COMMUNITIES = ["albanian"] * 8 + ["serb", "roma", "ashkali", "egyptian", "bosniak", "gorani"]
STATUSES = ["requested", "approved", "paid", "paid", "refused"]
PAGES = ("search", "person_page", "persons_list", "arrivals_list", "assistance_list")
FAMILY_ENDINGS = ["ni", "ja", "shi", "qi", "vić", "ović", "ević", "iu", "aj", "ri", "lli", "ku"]


def _family_names(rng: random.Random, count: int) -> list[str]:
    names = set()
    while len(names) < count:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
        names.add((stem + rng.choice(FAMILY_ENDINGS)).capitalize())
    return sorted(names)


def _given_names(rng: random.Random, count: int) -> list[str]:
    names = set()
    while len(names) < count:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize())
    return sorted(names)


def fill(database: Path, persons: int, seed: int) -> list[str]:
    """Create the database with `persons` persons; return sample full names to search."""
    sys.path.insert(0, str(ROOT / "src"))
    from rrms.reference.identity import name_keys
    from rrms.reference.places import gazetteer
    from rrms.reference.text import fold
    from rrms.storage.database import upgrade

    if database.exists():
        database.unlink()
    upgrade(f"sqlite:///{database}")
    rng = random.Random(seed)
    places = [m.kas_code for m in gazetteer().municipalities]
    families = _family_names(rng, 60_000)
    given = _given_names(rng, 4_000)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(families))]
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    samples = []
    batch = []
    started = time.perf_counter()
    chosen_families = rng.choices(families, weights, k=persons)
    for number, family in enumerate(chosen_families, 1):
        first = rng.choice(given)
        year = rng.randint(1925, 2004)
        key = f"{fold(family)} {fold(first)}"
        family_key, given_key = name_keys(family, first)
        sex, community, place = rng.choice("fm"), rng.choice(COMMUNITIES), rng.choice(places)
        batch.append(
            (f"P{number:07d}", family, first, key, family_key, given_key)
            + (sex, str(year), year, community, place)
        )
        if number % 997 == 0:
            samples.append(f"{family} {first}")
        if len(batch) == 20_000:
            _insert(connection, batch)
            batch.clear()
    _insert(connection, batch)
    connection.commit()
    _fill_cases(connection, rng, persons, places)
    connection.close()
    print(f"filled {persons:,} persons in {time.perf_counter() - started:.1f} s")
    return samples


def _insert(connection: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    connection.executemany(
        "INSERT INTO persons (person_ref, family_name, given_name, search_key, family_key, "
        "given_key, sex, birth_date, birth_year, community, origin_municipality, version, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        rows,
    )


def _fill_cases(
    connection: sqlite3.Connection, rng: random.Random, persons: int, places: list[str]
) -> None:
    """An arrival for every second person and an assistance for every fifth, under the
    reference programmes (seeded through the service, as `rrms` does)."""
    from sqlalchemy import create_engine

    from rrms.services.programmes.programmes import seed_programmes
    from rrms.storage.database import session_factory
    from rrms.storage.unit_of_work import UnitOfWork

    database = connection.execute("PRAGMA database_list").fetchone()[2]
    engine = create_engine(f"sqlite:///{database}")
    with UnitOfWork(session_factory(engine)) as uow:
        seed_programmes(uow)
    engine.dispose()
    programmes = [row[0] for row in connection.execute("SELECT id FROM programmes")]
    first_day = dt.date(1999, 6, 12).toordinal()
    days = dt.date(2004, 10, 31).toordinal() - first_day
    arrivals, assistance = [], []
    for person in range(1, persons + 1):
        if person % 2 == 0:
            day = dt.date.fromordinal(first_day + rng.randrange(days)).isoformat()
            arrivals.append(
                (
                    f"MV{person:08d}",
                    person,
                    rng.choice(("forced", "voluntary")),
                    rng.choice(COUNTRIES),
                    rng.choice(("air", "land")),
                    day,
                    rng.choice(places),
                )
            )
        if person % 5 == 0:
            day = dt.date.fromordinal(first_day + rng.randrange(days)).isoformat()
            amount = f"{rng.randrange(50, 1000)}.00"
            assistance.append(
                (person, rng.choice(programmes), "toolkit", amount, rng.choice(STATUSES), day)
            )
    connection.executemany(
        "INSERT INTO returns (movement_ref, person_id, return_type, sending_country, "
        "transport_mode, arrival_date, destination_municipality, version, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        arrivals,
    )
    connection.executemany(
        "INSERT INTO assistance (person_id, programme_id, kind, amount, currency, status, "
        "requested_on, version, created_at, updated_at) VALUES (?, ?, ?, ?, 'EUR', ?, ?, 1, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        assistance,
    )
    connection.commit()
    connection.execute("ANALYZE")
    print(f"filled {len(arrivals):,} arrivals and {len(assistance):,} assistance records")


def list_urls(rng: random.Random, places: list[str]) -> dict[str, str]:
    """One address of each list, with a filter and a sort, as a caseworker asks them."""
    return {
        "persons_list": f"/persons?origin_municipality={rng.choice(places)}&sort=family_name",
        "arrivals_list": f"/arrivals?sending_country={rng.choice(COUNTRIES)}&sort=-arrival_date",
        "assistance_list": f"/assistance?status={rng.choice(STATUSES)}&sort=-requested_on",
    }


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {"count": 0}
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


LIST_SQL = {
    "persons_list": (
        "SELECT count(*) FROM persons WHERE origin_municipality = ?",
        "SELECT * FROM persons WHERE origin_municipality = ? ORDER BY family_name, id LIMIT 50",
    ),
    "arrivals_list": (
        "SELECT count(*) FROM returns WHERE sending_country = ?",
        "SELECT * FROM returns WHERE sending_country = ? "
        "ORDER BY arrival_date DESC, id DESC LIMIT 50",
    ),
    "assistance_list": (
        "SELECT count(*) FROM assistance WHERE status = ?",
        "SELECT * FROM assistance WHERE status = ? ORDER BY requested_on DESC, id DESC LIMIT 50",
    ),
}
"""The lists' two queries (the total, the first page) as bare SQL, for the floor."""


def _list_floor(
    connection: sqlite3.Connection, rng: random.Random, places: list[str]
) -> dict[str, dict[str, float]]:
    values = {
        "persons_list": places,
        "arrivals_list": COUNTRIES,
        "assistance_list": STATUSES,
    }
    result = {}
    for kind, (count, page) in LIST_SQL.items():
        timings = []
        for _ in range(100):
            value = rng.choice(values[kind])
            started = time.perf_counter()
            connection.execute(count, (value,)).fetchall()
            connection.execute(page, (value,)).fetchall()
            timings.append(time.perf_counter() - started)
        result[kind] = _percentiles(timings)
    return result


def _places() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from rrms.reference.places import gazetteer

    return [m.kas_code for m in gazetteer().municipalities]


def floor(database: Path, queries: list[str], ids: list[int]) -> dict[str, dict[str, float]]:
    """The same lookups as bare SQL on one connection."""
    sys.path.insert(0, str(ROOT / "src"))
    from rrms.reference.text import fold

    connection = sqlite3.connect(database)
    search, page = [], []
    for query in queries:
        words = fold(query).split()
        like = [f"%{w}%" for w in words]
        sql = (
            "SELECT * FROM persons WHERE id IN (SELECT rowid FROM persons_fts WHERE "
            + " AND ".join("search_key LIKE ?" for _ in words)
            + ") ORDER BY search_key, id LIMIT 50"
        )
        started = time.perf_counter()
        connection.execute(sql, like).fetchall()
        search.append(time.perf_counter() - started)
    for person_id in ids:
        started = time.perf_counter()
        connection.execute("SELECT * FROM persons WHERE id = ?", (person_id,)).fetchall()
        connection.execute(
            "SELECT * FROM audit_log WHERE entity = 'persons' AND entity_id = ? "
            "ORDER BY id DESC LIMIT 50",
            (str(person_id),),
        ).fetchall()
        page.append(time.perf_counter() - started)
    lists = _list_floor(connection, random.Random(len(ids)), _places())
    connection.close()
    return {"search": _percentiles(search), "person_page": _percentiles(page), **lists}


def load(
    base: str,
    users: int,
    think: float,
    requests: int,
    max_seconds: float,
    queries: list[str],
    persons: int,
    seed: int,
) -> dict[str, dict[str, float]]:
    """Closed-loop users on loopback, bounded in request count and time."""
    timings: dict[str, list[float]] = {kind: [] for kind in PAGES}
    places = _places()
    failures: list[str] = []
    lock = threading.Lock()
    remaining = [requests]

    # Every user signs in before the clock starts: a sign-in verifies an Argon2 hash on
    # purpose slowly, and twenty of them at once would be measured as slow searches.
    clients = []
    for _ in range(users):
        client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        form = client.get("/sign-in").text  # the form's request-forgery token
        token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post(
            "/sign-in",
            data={"username": "bench", "password": PASSWORD, "next": "/", "csrf_token": token},
        )
        if answer.status_code != 303:
            raise SystemExit(f"sign-in failed: {answer.status_code}")
        clients.append(client)
    deadline = time.monotonic() + max_seconds

    def user(number: int) -> None:
        rng = random.Random(seed + number)
        client = clients[number]
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            kind = rng.choice(PAGES)
            if kind == "search":
                url = f"/persons?q={rng.choice(queries)}"
            elif kind == "person_page":
                url = f"/persons/{rng.randint(1, persons)}"
            else:
                url = list_urls(rng, places)[kind]
            started = time.perf_counter()
            answer = client.get(url)
            elapsed = time.perf_counter() - started
            if answer.status_code != 200:
                failures.append(f"{kind} {answer.status_code}")
            with lock:
                timings[kind].append(elapsed)
            time.sleep(think * rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    result = {kind: _percentiles(values) for kind, values in timings.items()}
    result["run"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "failures": len(failures),
        "failure_kinds": sorted(set(failures)),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--think", type=float, default=0.5, help="seconds between a user's requests"
    )
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="rrms serve --workers")
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument("--keep", action="store_true", help="reuse the filled database")
    options = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / f"web-{options.persons}.db"
    samples_file = database.with_suffix(".names.json")
    if options.keep and database.exists() and samples_file.exists():
        samples = json.loads(samples_file.read_text(encoding="utf-8"))
    else:
        samples = fill(database, options.persons, options.seed)
        samples_file.write_text(json.dumps(samples), encoding="utf-8")
    rng = random.Random(options.seed)
    queries = [s if rng.random() < 0.7 else s.split()[0] for s in samples]
    env = dict(
        os.environ,
        RRMS_DATABASE_URL=f"sqlite:///{database}",
        PYTHONPATH=str(ROOT / "src"),  # this checkout's code, whichever venv runs it
    )
    rrms = [sys.executable, "-m", "rrms"]
    added = subprocess.run(
        [*rrms, "user", "add", "bench", "--role", "caseworker", "--password-stdin"],
        input=PASSWORD,
        text=True,
        env=env,
        capture_output=True,
    )
    if added.returncode != 0 and "is taken" not in added.stderr:  # a kept database has it
        added.check_returncode()
    server = subprocess.Popen(
        [*rrms, "serve", "--port", str(options.port), "--workers", str(options.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{options.port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/sign-in", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        figures = {
            "persons": options.persons,
            "users": options.users,
            "think_seconds": options.think,
            "web": load(
                base,
                options.users,
                options.think,
                options.requests,
                options.max_seconds,
                queries,
                options.persons,
                options.seed,
            ),
            "bare_sql": floor(
                database, queries[:500], [rng.randint(1, options.persons) for _ in range(500)]
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
    figures["target"] = "p95 < 150 ms"
    figures["pass"] = all(figures["web"][k].get("p95_ms", 1e9) < 150 for k in PAGES)
    (OUT / "web.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
