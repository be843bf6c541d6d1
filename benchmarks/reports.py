"""Benchmark the returns report on a million and ten million arrivals, SQLite and PostgreSQL.

IOM Kosovo had recorded 187,739 returns by October 2004; a register that keeps
growing for twenty years, with forced returns added, reaches millions of arrivals.
The quarterly report must stay interactive at that size. Targets:

* `returns_report` (both queries, folding, the spec's JSON) on 1,000,000 arrivals in
  under 2 seconds;
* at most 2 times the *floor*: the same aggregation written by hand as one SQL
  statement (every breakdown of the period, the cumulative district counts, secondary
  transport and the first arrival), its rows fetched and nothing else done. The floor
  is the fastest of three such statements: one GROUP BY per breakdown joined by UNION
  ALL; the period's margins (country x programme x municipality with conditional
  sums) and the cumulative counts in one UNION ALL; and, on PostgreSQL only, GROUPING
  SETS with FILTER clauses.

Arrivals are generated inside the database (a recursive CTE on SQLite,
generate_series on PostgreSQL) spread evenly from 12 June 1999 to 31 October 2004 in
arrival order, as imports append them; the report covers August-October 2004 (4.7 %
of the rows in the period, all of them in the cumulative figures). Times are the
median of five runs after one warm-up. PostgreSQL runs in a private throwaway cluster
(the test suite's, on a Unix socket) unless --postgres-url names a database.

Run from the project root:

    .venv/bin/python benchmarks/reports.py                       # 1M and 10M, both backends
    .venv/bin/python benchmarks/reports.py --arrivals 1000000 --backends sqlite --keep
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, event, insert, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "tests"))

from rrms.reports.returns_report import returns_report  # noqa: E402
from rrms.storage.database import _sqlite_pragmas, upgrade  # noqa: E402
from rrms.storage.queries.reports import ReportQueries  # noqa: E402
from rrms.storage.tables import Person, Programme  # noqa: E402

FROM = dt.date(2004, 8, 1)
TO = dt.date(2004, 10, 31)
FIRST = dt.date(1999, 6, 12)
DAYS = (TO - FIRST).days
PROGRAMMES = ("AVR", "KHRP", "SMR", "RSMC", "AVR-VD", "VARRP", "AVR-VC", "IDP-PEJA",
              "CSP", "SEDMIN", "CT", "MH")  # fmt: skip
PERSONS = 1000
# sending countries, two letters each, Germany weighted as in the bulletin
COUNTRIES = "DEDEDEDEDEDECHCHSENOATNLGBBEDKFRITHRMKAL"
TIME_TARGET = 2.0
FACTOR_TARGET = 2.0
RUNS = 5

console = Console(highlight=False, width=110)


def _hash(column: str, multiplier: int) -> str:
    return f"(({column} * {multiplier}) % 4294967296)"


def _row_sql(dialect: str, count: int) -> str:
    """The SELECT list making arrival number `i` of `count` (deterministic, no random())."""
    h1, h2, h3, h4, h5 = (
        _hash("i", m) for m in (2654435761, 40503, 2246822519, 3266489917, 668265263)
    )
    n = len(COUNTRIES) // 2
    position = f"1 + 2 * ({h2} % {n})"
    if dialect != "sqlite":
        position = f"({position})::int"
    country = f"substr('{COUNTRIES}', {position}, 2)"
    if dialect == "sqlite":
        day = f"date('{FIRST}', '+' || (i * {DAYS} / {count}) || ' days')"
        municipality = f"printf('%02d', 1 + {h3} % 30)"
        secondary = f"CASE WHEN {h4} % 20 = 0 THEN 1 WHEN {h4} % 20 < 12 THEN 0 ELSE NULL END"
        ref = "'B' || i"
    else:
        day = f"DATE '{FIRST}' + (i::bigint * {DAYS} / {count})::int"
        municipality = f"lpad((1 + {h3} % 30)::text, 2, '0')"
        secondary = f"CASE WHEN {h4} % 20 = 0 THEN true WHEN {h4} % 20 < 12 THEN false END"
        ref = "'B' || i::text"
    return f"""
        {ref},
        1 + i % {PERSONS},
        CASE WHEN {h1} % 10 < 3 THEN 'forced' ELSE 'voluntary' END,
        CASE WHEN {h5} % 13 = 0 THEN NULL ELSE 1 + {h5} % {len(PROGRAMMES)} END,
        {country},
        CASE WHEN {country} IN ('HR', 'MK', 'AL') THEN 'land' ELSE 'air' END,
        {day},
        {municipality},
        {secondary},
        1
    """


COLUMNS = (
    "movement_ref, person_id, return_type, programme_id, sending_country, transport_mode, "
    "arrival_date, destination_municipality, secondary_transport, version"
)


def populate(engine: Engine, count: int) -> None:
    """Fill a migrated, empty database with `count` arrivals."""
    dialect = engine.dialect.name
    with engine.begin() as connection:
        connection.execute(
            insert(Programme.__table__),
            [{"code": code, "name": code, "donors": [], "objectives": "", "version": 1}
             for code in PROGRAMMES],
        )  # fmt: skip
        connection.execute(
            insert(Person.__table__),
            [{"family_name": "Bench", "given_name": str(i), "search_key": f"bench {i}",
              "version": 1} for i in range(PERSONS)],
        )  # fmt: skip
        select_list = _row_sql(dialect, count)
        if dialect == "sqlite":
            connection.execute(
                text(
                    f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    f"WHERE i < {count}) "
                    f"INSERT INTO returns ({COLUMNS}) SELECT {select_list} FROM n"
                )
            )
        else:
            connection.execute(
                text(
                    f"INSERT INTO returns ({COLUMNS}) SELECT {select_list} "
                    f"FROM generate_series(1::bigint, {count}) AS i"
                )
            )
    with engine.connect() as connection:
        if dialect == "sqlite":
            connection.execute(text("ANALYZE"))
            connection.commit()
        else:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE returns")
            )


# --- the floor: the same aggregation, by hand, as one statement ---------------------------

UNION_ALL = """
SELECT 'type' AS k, return_type AS v, count(*) AS n FROM returns
  WHERE arrival_date BETWEEN :f AND :t GROUP BY return_type
UNION ALL SELECT 'mode', transport_mode, count(*) FROM returns
  WHERE arrival_date BETWEEN :f AND :t GROUP BY transport_mode
UNION ALL SELECT 'country', sending_country, count(*) FROM returns
  WHERE arrival_date BETWEEN :f AND :t GROUP BY sending_country
UNION ALL SELECT 'programme', coalesce(p.code, 'other'), count(*) FROM returns r
  LEFT JOIN programmes p ON p.id = r.programme_id
  WHERE r.arrival_date BETWEEN :f AND :t GROUP BY coalesce(p.code, 'other')
UNION ALL SELECT 'municipality', destination_municipality, count(*) FROM returns
  WHERE arrival_date BETWEEN :f AND :t GROUP BY destination_municipality
UNION ALL SELECT 'secondary', 'period', count(*) FROM returns
  WHERE arrival_date BETWEEN :f AND :t AND secondary_transport
UNION ALL SELECT 'cumulative', destination_municipality, count(*) FROM returns
  WHERE arrival_date <= :t GROUP BY destination_municipality
UNION ALL SELECT 'secondary', 'cumulative', count(*) FROM returns
  WHERE arrival_date <= :t AND secondary_transport
UNION ALL SELECT 'first', CAST(min(arrival_date) AS TEXT), 0 FROM returns WHERE arrival_date <= :t
"""

GROUPING_SETS = """
SELECT return_type, transport_mode, sending_country, programme_id, destination_municipality,
       count(*) FILTER (WHERE arrival_date >= :f) AS period,
       count(*) AS cumulative,
       count(*) FILTER (WHERE secondary_transport AND arrival_date >= :f) AS secondary_period,
       count(*) FILTER (WHERE secondary_transport) AS secondary_cumulative,
       min(arrival_date) AS first
FROM returns WHERE arrival_date <= :t
GROUP BY GROUPING SETS ((return_type), (transport_mode), (sending_country), (programme_id),
                        (destination_municipality), ())
"""


MARGINS = """
SELECT 'period' AS part, sending_country, programme_id, destination_municipality,
       count(*) AS n,
       sum(CASE WHEN return_type = 'forced' THEN 1 ELSE 0 END) AS forced,
       sum(CASE WHEN transport_mode = 'land' THEN 1 ELSE 0 END) AS land,
       sum(CASE WHEN secondary_transport THEN 1 ELSE 0 END) AS secondary,
       NULL AS first
FROM returns WHERE arrival_date BETWEEN :f AND :t
GROUP BY sending_country, programme_id, destination_municipality
UNION ALL
SELECT 'cumulative', NULL, NULL, destination_municipality, count(*), 0, 0,
       sum(CASE WHEN secondary_transport THEN 1 ELSE 0 END), min(arrival_date)
FROM returns WHERE arrival_date <= :t
GROUP BY destination_municipality
"""


def floor_queries(dialect: str) -> dict[str, str]:
    """The hand-written statements the report is measured against (the fastest counts)."""
    queries = {"union all": UNION_ALL, "margins": MARGINS}
    if dialect == "postgresql":
        queries["grouping sets"] = GROUPING_SETS
    return queries


def measure(work: Callable[[], Any]) -> float:
    work()  # warm-up: caches, statistics, page cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_backend(engine: Engine, count: int) -> dict[str, Any]:
    dialect = engine.dialect.name
    with engine.connect() as connection, Session(bind=connection) as session:
        queries = ReportQueries(session)  # `uow.reports`, on the benchmark's connection

        def report(public: bool) -> Callable[[], Any]:
            return lambda: json.dumps(returns_report(queries, FROM, TO, public).to_json())

        def floor(sql: str) -> Callable[[], Any]:
            return lambda: connection.execute(text(sql), {"f": FROM, "t": TO}).all()

        internal = measure(report(False))
        public = measure(report(True))
        floors = {name: measure(floor(sql)) for name, sql in floor_queries(dialect).items()}
        check = returns_report(queries, FROM, TO, False).to_json()
    best = min(floors.values())
    return {
        "backend": dialect,
        "arrivals": count,
        "period_arrivals": check["returns"]["total"],
        "report_seconds": round(internal, 3),
        "public_report_seconds": round(public, 3),
        "floor_seconds": {name: round(value, 3) for name, value in floors.items()},
        "factor": round(internal / best, 2),
        "meets_time_target": internal < TIME_TARGET if count <= 1_000_000 else None,
        "meets_factor_target": internal <= FACTOR_TARGET * best,
    }


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def sqlite_database(count: int, keep: bool) -> Iterator[Engine]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"returns-{count}.db"
    if not (keep and path.exists()):
        for stale in (path, path.with_suffix(".db-wal"), path.with_suffix(".db-shm")):
            stale.unlink(missing_ok=True)
        upgrade(f"sqlite:///{path}")
        started = time.perf_counter()
        populate(sqlite_engine(path), count)
        console.print(
            f"  sqlite: {count:,} arrivals generated in {time.perf_counter() - started:.0f} s"
        )
    engine = sqlite_engine(path)
    try:
        yield engine
    finally:
        engine.dispose()
        if not keep:
            for stale in (path, path.with_suffix(".db-wal"), path.with_suffix(".db-shm")):
                stale.unlink(missing_ok=True)


@contextmanager
def postgres_database(count: int, url: str | None) -> Iterator[Engine]:
    cluster = None
    if url is None:
        from support.databases import PostgresCluster

        cluster = PostgresCluster()
        cluster.start()
        url = cluster.fresh_database()
    else:
        upgrade(url)
    engine = create_engine(url)
    try:
        started = time.perf_counter()
        populate(engine, count)
        console.print(
            f"  postgresql: {count:,} arrivals generated in {time.perf_counter() - started:.0f} s"
        )
        yield engine
    finally:
        engine.dispose()
        if cluster is not None:
            cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--arrivals", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])  # fmt: skip
    parser.add_argument(
        "--postgres-url", help="an empty PostgreSQL database to fill (else a private cluster)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep (and reuse) the SQLite files in benchmarks/out"
    )
    args = parser.parse_args(argv)

    results = []
    for count in args.arrivals:
        for backend in args.backends:
            console.print(f"[bold]{backend}, {count:,} arrivals[/]")
            if backend == "sqlite":
                with sqlite_database(count, args.keep) as engine:
                    results.append(run_backend(engine, count))
            else:
                with postgres_database(count, args.postgres_url) as engine:
                    results.append(run_backend(engine, count))
                if args.postgres_url:
                    console.print("  (the given PostgreSQL database now holds the generated rows)")

    table = Table(
        "backend", "arrivals", "in period", "report", "public", "floor", "factor", "targets"
    )
    for r in results:
        floor = min(r["floor_seconds"].values())
        ok = r["meets_factor_target"] and r["meets_time_target"] is not False
        table.add_row(
            r["backend"], f"{r['arrivals']:,}", f"{r['period_arrivals']:,}",
            f"{r['report_seconds']:.3f} s", f"{r['public_report_seconds']:.3f} s",
            f"{floor:.3f} s", f"{r['factor']:.2f}x", "met" if ok else "[red]missed[/]",
        )  # fmt: skip
    console.print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    summary = {
        "period": [FROM.isoformat(), TO.isoformat()],
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "targets": {"seconds_at_one_million": TIME_TARGET, "factor_of_floor": FACTOR_TARGET},
        "results": results,
    }  # fmt: skip
    (OUT / "reports.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    console.print(f"written: {OUT / 'reports.json'}")
    return (
        0
        if all(r["meets_factor_target"] and r["meets_time_target"] is not False for r in results)
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
