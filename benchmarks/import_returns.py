"""Benchmark importing the returns register, against the databases' own CSV loaders.

IOM Kosovo assisted 187,739 returnees between 1999 and October 2004, so an import of a
few hundred thousand arrivals is routine, and the whole register may be re-imported
after corrections. The target: `rrms.services.returns.register_import.import_returns` (checking
every cell, upserting persons and arrivals, auditing) takes at most four times the
*floor*, the time the database itself needs to load the same CSV into a plain table
with no checking at all:

* SQLite: the `sqlite3` shell's `.import --csv` into a new table (or, where the shell
  is not installed, Python's `sqlite3` `executemany` of the `csv.reader` rows; the
  output says which);
* PostgreSQL: `COPY ... FROM STDIN (FORMAT csv, HEADER)` through psycopg.

Beside it the *schema floor*: the database alone writing the rows the import stored
into RRMS's own tables (keys, unique and foreign keys, indexes, the name search index),
from tuples already checked and converted, the cheapest way it has (`schema_floor`).
That is the least any importer into these tables can take; the ratio of the import to
it is the import's own overhead (reading, checking, matching, auditing).

The register is synthetic but shaped like the real one (see `generate_register`):
persons returning once or twice, families travelling together, sending countries
weighted like the November 2004 bulletin (Germany, then the Netherlands, the United
Kingdom, Belgium, Croatia, Switzerland ...), two thirds by air, destinations weighted
so that the Prishtinë district receives about 38 %, arrivals from 1999-06-12 to
2004-10-31, and the spelling variety of real exports (Deutschland/DE/Germany, Pejë/Peja/
Peć/Пећ, plane/air, DD.MM.YYYY dates). Every value is valid, so an input error is a
finding about the importer or the generator.

Run from the project root:

    .venv/bin/python benchmarks/import_returns.py                      # 1,000,000 arrivals
    .venv/bin/python benchmarks/import_returns.py --arrivals 200000 --keep
    .venv/bin/python benchmarks/import_returns.py --postgres-url postgresql://...

PostgreSQL: without `--postgres-url` a throwaway cluster is started with the test
suite's `PostgresCluster` (server binaries needed); `--no-postgres` skips it.
Figures are printed and written to benchmarks/out/import_returns.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from rich.console import Console
from rich.table import Table as RichTable
from sqlalchemy import Engine, create_engine, event, insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from rrms.services.returns.register_import import RETURN_COLUMNS
from synthetic_manifest import (
    COMMUNITY_SHARES,
    COMMUNITY_WORDS,
    FAMILY_NAMES,
    FAMILY_SIZES,
    GIVEN_NAMES,
    NAME_GROUP,
    NO_WORDS,
    SEX_WORDS,
    YES_WORDS,
    municipality_spellings,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
REFERENCE_CSV = ROOT / "src" / "rrms" / "reference" / "data" / "municipalities-2004.csv"
TARGET_FACTOR = 4.0
"""The import may take at most this many times the database's own CSV load."""

console = Console(highlight=False)

Pool = Sequence[tuple[str, float]]

COLUMNS = RETURN_COLUMNS
"""Every column of the register format, in the spec's order (the import's own list)."""

# The bulletin (Aug-Oct 2004): Germany 310, Netherlands 52, United Kingdom 46, Belgium 22,
# Croatia 16, "a small number ... from various other European countries".
SENDING: Sequence[tuple[str, float, tuple[tuple[str, float], ...]]] = (
    ("DE", 310, (("DE", 0.5), ("Germany", 0.2), ("Deutschland", 0.25), ("DEU", 0.05))),
    ("NL", 52, (("NL", 0.6), ("Netherlands", 0.3), ("Niederlande", 0.1))),
    ("GB", 46, (("GB", 0.5), ("United Kingdom", 0.3), ("UK", 0.2))),
    ("BE", 22, (("BE", 0.7), ("Belgium", 0.2), ("Belgien", 0.1))),
    ("HR", 16, (("HR", 0.7), ("Croatia", 0.2), ("Kroatien", 0.1))),
    ("CH", 14, (("CH", 0.6), ("Switzerland", 0.2), ("Schweiz", 0.2))),
    ("AT", 5, (("AT", 0.7), ("Österreich", 0.3))),
    ("SE", 3, (("SE", 0.8), ("Sweden", 0.2))),
    ("NO", 2, (("NO", 1.0),)),
    ("FR", 2, (("FR", 0.8), ("France", 0.2))),
    ("IT", 1, (("IT", 1.0),)),
    ("DK", 1, (("DK", 1.0),)),
)
DISTRICT_SHARES = {
    "Prishtinë": 0.376,
    "Ferizaj": 0.149,
    "Pejë": 0.131,
    "Gjakovë": 0.089,
    "Prizren": 0.12,
    "Gjilan": 0.08,
    "Mitrovicë": 0.055,
}
"""The bulletin's regional shares (Prishtinë 37.6 %, Ferizaj 14.9 %, Pejë 13.1 %,
Gjakovë 8.9 %); the rest is split over the other three districts."""
MUNICIPALITY_POPULATION = {
    "19": 12, "20": 10, "25": 7, "17": 6, "02": 7, "11": 6, "04": 6, "18": 5, "27": 4,
    "13": 3, "24": 4, "16": 3, "30": 3, "21": 3, "03": 3, "01": 2, "06": 2, "08": 2,
    "10": 2, "26": 2, "22": 1, "07": 1, "15": 1, "09": 1, "05": 1, "14": 0.5,
    "23": 0.4, "12": 0.3, "28": 0.2, "29": 0.2,
}  # fmt: skip
PROGRAMMES: Pool = (("AVR", 70), ("KHRP", 10), ("SMR", 2), ("AVR-VD", 3), ("VARRP", 2), ("", 13))
PROGRAMME_ROWS = {
    "AVR": "Assisted Voluntary Returns",
    "KHRP": "Kosovo Humanitarian Returns Programme",
    "SMR": "Employment Assistance Services for Minorities Returning from Switzerland",
    "AVR-VD": "Assisted Voluntary Return from the Canton of Vaud",
    "VARRP": "Voluntary Assisted Return and Reintegration Programme",
}
AIR_WORDS: Pool = (("air", 0.6), ("plane", 0.25), ("flight", 0.1), ("charter", 0.05))
LAND_WORDS: Pool = (("land", 0.6), ("bus", 0.3), ("road", 0.1))
LAND_POINTS: Pool = (
    ("Merdare", 0.3),
    ("Hani i Elezit", 0.35),
    ("Vërmicë", 0.15),
    ("Jarinje", 0.1),
    ("Kulla", 0.1),
)
RETURN_WORDS: Pool = (
    ("voluntary", 0.8),
    ("freiwillig", 0.05),
    ("forced", 0.12),
    ("deportation", 0.03),
)
FIRST_DAY = dt.date(1999, 6, 12)
LAST_DAY = dt.date(2004, 10, 31)
SECOND_RETURN_SHARE = 0.15


class Draw:
    """Weighted draws of whole columns from one seeded generator (same seed, same file)."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def index(self, weights: Sequence[float], size: int) -> npt.NDArray[np.int64]:
        """`size` indices drawn by `weights`."""
        p = np.asarray(weights, dtype=np.float64)
        return self.rng.choice(len(p), size=size, p=p / p.sum())

    def words(self, pool: Pool, size: int) -> npt.NDArray[np.object_]:
        """`size` values of `pool` drawn by their weights."""
        values = np.array([value for value, _ in pool], dtype=object)
        return values[self.index([w for _, w in pool], size)]

    def chance(self, p: float, size: int) -> npt.NDArray[np.bool_]:
        """True with probability `p`."""
        return self.rng.random(size) < p


def _by_key(
    draw: Draw, keys: npt.NDArray[np.object_], pools: dict[Any, Pool]
) -> npt.NDArray[np.object_]:
    """For each item, a word from the pool its key selects."""
    out = np.empty(len(keys), dtype=object)
    for key, pool in pools.items():
        where = np.flatnonzero(keys == key)
        if len(where):
            out[where] = draw.words(pool, len(where))
    return out


def _iso(days: npt.NDArray[np.int64]) -> list[str]:
    base = np.datetime64(FIRST_DAY.isoformat())
    return np.datetime_as_string(base + days.astype("timedelta64[D]"), unit="D").tolist()


def _dotted(iso: list[str]) -> list[str]:
    return [f"{d[8:10]}.{d[5:7]}.{d[:4]}" for d in iso]


def generate_register(path: Path, arrivals: int, seed: int = 2004) -> dict[str, Any]:
    """Write a synthetic register of exactly `arrivals` rows; return its shape."""
    draw = Draw(seed)
    persons_needed = int(arrivals / (1 + SECOND_RETURN_SHARE) * 1.08) + 64
    sizes_pool = [size for size, _ in FAMILY_SIZES]
    mean_size = sum(s * w for s, w in FAMILY_SIZES) / sum(w for _, w in FAMILY_SIZES)
    families = int(persons_needed / mean_size) + 16
    sizes = np.asarray(sizes_pool)[draw.index([w for _, w in FAMILY_SIZES], families)]
    family_of = np.repeat(np.arange(families), sizes)
    persons = len(family_of)

    # per family: who, from where, how, to where, when
    community = draw.words(tuple((c, w) for c, w in COMMUNITY_SHARES), families)
    group = np.array([NAME_GROUP[c] for c in community], dtype=object)
    family_name = _by_key(draw, group, FAMILY_NAMES)
    community_word = _by_key(draw, community, COMMUNITY_WORDS)
    country_index = draw.index([weight for _, weight, _ in SENDING], families)
    country_word = np.empty(families, dtype=object)
    for position, (_, _, spellings) in enumerate(SENDING):
        where = np.flatnonzero(country_index == position)
        if len(where):
            country_word[where] = draw.words(spellings, len(where))
    by_air = draw.chance(2 / 3, families)
    spellings = municipality_spellings(REFERENCE_CSV)
    district_of = {}
    with REFERENCE_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            district_of[row["kas_code"]] = row["district"]
    codes = sorted(MUNICIPALITY_POPULATION)
    weights = []
    for code in codes:
        district = district_of[code]
        in_district = sum(MUNICIPALITY_POPULATION[c] for c in codes if district_of[c] == district)
        weights.append(DISTRICT_SHARES[district] * MUNICIPALITY_POPULATION[code] / in_district)
    destination = np.array(codes, dtype=object)[draw.index(weights, families)]
    span = (LAST_DAY - FIRST_DAY).days
    first_day = np.minimum((draw.rng.exponential(700, families)).astype(np.int64), span)
    programme = draw.words(PROGRAMMES, families)
    return_type = draw.words(RETURN_WORDS, families)
    secondary = draw.chance(0.35, families)

    # per person
    sex = np.where(draw.chance(0.5, persons), "m", "f").astype(object)
    group_p = group[family_of]
    given = np.empty(persons, dtype=object)
    father = np.empty(persons, dtype=object)
    for (name_group, name_sex), pool in GIVEN_NAMES.items():
        where = np.flatnonzero((group_p == name_group) & (sex == name_sex))
        if len(where):
            given[where] = draw.words(pool, len(where))
        if name_sex == "m":
            where = np.flatnonzero(group_p == name_group)
            father[where] = draw.words(pool, len(where))
    father[draw.chance(0.4, persons)] = ""
    sex_word = _by_key(draw, sex, SEX_WORDS)
    birth_year = draw.rng.integers(1930, 2004, persons)
    birth_day = draw.rng.integers(0, 365, persons)
    birth = np.datetime_as_string(
        np.array([f"{y}-01-01" for y in birth_year], dtype="datetime64[D]")
        + birth_day.astype("timedelta64[D]"),
        unit="D",
    ).astype(object)
    year_only = draw.chance(0.15, persons)
    birth[year_only] = birth_year[year_only].astype(str)
    birth[draw.chance(0.05, persons)] = ""

    # arrivals: each person with the family, some again later on their own
    second = np.flatnonzero(draw.chance(SECOND_RETURN_SHARE, persons))
    base_day = first_day[family_of]
    second = second[base_day[second] < span - 60]
    later = base_day[second] + 30 + (draw.rng.random(len(second)) * (span - 30 - base_day[second]))
    person_of = np.concatenate([np.arange(persons), second])
    day = np.concatenate([base_day, later.astype(np.int64)])
    alone = np.concatenate([np.zeros(persons, bool), np.ones(len(second), bool)])
    if len(day) < arrivals:
        raise RuntimeError("generator produced too few arrivals; raise persons_needed")
    keep = np.sort(draw.rng.choice(len(day), size=arrivals, replace=False))
    person_of, day, alone = person_of[keep], day[keep], alone[keep]
    order = np.argsort(day, kind="stable")
    person_of, day, alone = person_of[order], day[order], alone[order]
    count = len(person_of)
    fam = family_of[person_of]

    air = by_air[fam].copy()
    air[alone] = draw.chance(2 / 3, int(alone.sum()))
    transport = np.where(air, draw.words(AIR_WORDS, count), draw.words(LAND_WORDS, count))
    point = np.where(air, "Pristina Airport", draw.words(LAND_POINTS, count))
    arrival_iso = _iso(day)
    dotted = draw.chance(0.2, count)
    arrival_text = np.array(arrival_iso, dtype=object)
    arrival_text[dotted] = np.array(_dotted(arrival_iso), dtype=object)[dotted]
    departure = np.array(_iso(np.maximum(day - draw.rng.integers(0, 2, count), 0)), dtype=object)
    departure[draw.chance(0.4, count)] = ""
    destination_word = np.empty(count, dtype=object)
    destination_code = destination[fam]
    for code in codes:
        where = np.flatnonzero(destination_code == code)
        if len(where):
            destination_word[where] = draw.words(spellings[code], len(where))
    yes = draw.words(YES_WORDS, count)
    no = draw.words(NO_WORDS, count)
    secondary_word = np.where(secondary[fam], yes, no)
    secondary_word[draw.chance(0.1, count)] = ""
    vulnerable = np.where(draw.chance(0.05, count), yes, no)
    vulnerable[draw.chance(0.5, count)] = ""
    sizes_of = sizes[fam]
    family_ref = np.where(sizes_of > 1, np.char.add("FAM-", fam.astype(str)), "").astype(object)

    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        person_ref = np.char.add("KS-", person_of.astype(str)).tolist()
        rows = zip(
            (f"MOV-{i:07d}" for i in range(1, count + 1)),
            person_ref,
            family_ref.tolist(),
            family_name[fam].tolist(),
            given[person_of].tolist(),
            father[person_of].tolist(),
            sex_word[person_of].tolist(),
            birth[person_of].tolist(),
            community_word[fam].tolist(),
            return_type[fam].tolist(),
            programme[fam].tolist(),
            country_word[fam].tolist(),
            transport.tolist(),
            departure.tolist(),
            arrival_text.tolist(),
            point.tolist(),
            destination_word.tolist(),
            [""] * count,
            secondary_word.tolist(),
            vulnerable.tolist(),
            [""] * count,
            strict=True,
        )
        writer.writerows(rows)
    districts = {}
    for code, share in zip(codes, weights, strict=True):
        districts[district_of[code]] = districts.get(district_of[code], 0) + share
    return {
        "arrivals": count,
        "persons": len(np.unique(person_of)),
        "families": families,
        "bytes": path.stat().st_size,
        "air_share": round(float(air.mean()), 3),
    }


# --- measuring ------------------------------------------------------------------------------


def _sqlite_engine(url: str) -> Engine:
    from rrms.storage.database import _sqlite_pragmas

    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _seed_programmes(engine: Engine) -> None:
    from rrms.storage.tables import Programme

    with engine.begin() as connection:
        connection.execute(
            insert(Programme.__table__),
            [
                {"code": code, "name": name, "donors": [], "objectives": "", "version": 1}
                for code, name in PROGRAMME_ROWS.items()
            ],
        )


def measure_import(url: str, path: Path, rows: int) -> dict[str, Any]:
    """Time `import_returns` into a freshly migrated database, then a re-import."""
    from rrms.services.core.access import SYSTEM
    from rrms.services.returns.register_import import import_returns
    from rrms.storage.database import upgrade
    from rrms.storage.unit_of_work import UnitOfWork

    upgrade(url)
    engine = _sqlite_engine(url) if url.startswith("sqlite") else create_engine(url)
    _seed_programmes(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    gc.collect()
    began = time.perf_counter()
    summary = import_returns(lambda: UnitOfWork(factory), SYSTEM, path)
    seconds = time.perf_counter() - began
    began = time.perf_counter()
    again = import_returns(lambda: UnitOfWork(factory), SYSTEM, path)
    again_seconds = time.perf_counter() - began
    engine.dispose()
    return {
        "seconds": seconds,
        "rows_per_second": rows / seconds,
        "summary": {k: v for k, v in summary.as_dict().items() if k != "warnings"},
        "reimport_seconds": again_seconds,
        "reimport": {
            k: again.as_dict()[k] for k in ("created", "updated", "unchanged", "persons_created")
        },
    }


def sqlite_floor(path: Path, folder: Path) -> dict[str, Any]:
    """Time SQLite loading the CSV into a plain new table with its own loader."""
    database = folder / "floor.db"
    database.unlink(missing_ok=True)
    shell = shutil.which("sqlite3")
    began = time.perf_counter()
    if shell:
        subprocess.run(
            [shell, str(database), f".import --csv {path} returns_floor"],
            check=True,
            capture_output=True,
        )
        method = "sqlite3 shell: .import --csv FILE returns_floor (new table, no indexes)"
    else:
        connection = sqlite3.connect(database)
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"{name}" TEXT' for name in header)
            connection.execute(f"CREATE TABLE returns_floor ({columns})")
            marks = ", ".join("?" * len(header))
            connection.executemany(f"INSERT INTO returns_floor VALUES ({marks})", reader)
        connection.commit()
        connection.close()
        method = "Python sqlite3 executemany of csv.reader rows (no sqlite3 shell found)"
    seconds = time.perf_counter() - began
    loaded = sqlite3.connect(database).execute("SELECT count(*) FROM returns_floor").fetchone()[0]
    database.unlink(missing_ok=True)
    return {"method": method, "seconds": seconds, "rows": loaded}


def postgres_floor(url: str, path: Path) -> dict[str, Any]:
    """Time PostgreSQL's COPY of the CSV into a plain new table (all columns text)."""
    parsed = make_url(url)
    connect: dict[str, Any] = {"dbname": parsed.database, "user": parsed.username}
    if parsed.password:
        connect["password"] = parsed.password
    connect["host"] = parsed.query.get("host", parsed.host) or "localhost"
    connect["port"] = int(parsed.query.get("port", parsed.port or 5432))  # type: ignore[arg-type]
    with psycopg.connect(**connect) as connection:
        connection.execute("DROP TABLE IF EXISTS returns_floor")
        columns = ", ".join(f"{name} text" for name in COLUMNS)
        connection.execute(f"CREATE TABLE returns_floor ({columns})")  # type: ignore[arg-type]
        connection.commit()
        began = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY returns_floor FROM STDIN (FORMAT csv, HEADER)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        connection.commit()
        seconds = time.perf_counter() - began
        row = connection.execute("SELECT count(*) FROM returns_floor").fetchone()
        connection.execute("DROP TABLE returns_floor")
        connection.commit()
    return {
        "method": "psycopg COPY returns_floor FROM STDIN (FORMAT csv, HEADER), all columns text",
        "seconds": seconds,
        "rows": row[0] if row else 0,
    }


def schema_floor(source_url: str, target_url: str) -> dict[str, Any]:
    """Time the database alone writing the import's result into RRMS's own tables.

    The persons and arrivals that `import_returns` stored are read back (not timed),
    and written into a freshly migrated database the cheapest way each database has,
    with no checking at all: SQLite `executemany` of the stored tuples, PostgreSQL
    `COPY`, each as a bulk load (the plain indexes deferred as the import defers
    them, the SQLite name search index filled once). Keys, unique indexes, foreign
    keys, the deferred indexes and the search index are all built. No importer that
    writes these tables can take less; the CSV floor, a bare table with no index,
    is the issue's yardstick.
    """
    from rrms.storage.bulk_load import defer_indexes
    from rrms.storage.database import upgrade
    from rrms.storage.tables import Person, Return

    upgrade(target_url)
    sqlite = source_url.startswith("sqlite")
    source = _sqlite_engine(source_url) if sqlite else create_engine(source_url)
    target = _sqlite_engine(target_url) if sqlite else create_engine(target_url)
    _seed_programmes(target)  # the same codes in the same order: the same ids
    data: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with source.connect() as connection:
        for table in (Person.__table__, Return.__table__):
            names = [column.name for column in table.columns]  # type: ignore[attr-defined]
            rows = connection.exec_driver_sql(
                f"SELECT {', '.join(names)} FROM {table.name} ORDER BY id"  # type: ignore[attr-defined]
            ).fetchall()
            data[table.name] = (names, [tuple(row) for row in rows])  # type: ignore[attr-defined]
    source.dispose()
    gc.collect()
    began = time.perf_counter()
    with target.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            connection.exec_driver_sql("PRAGMA cache_size = -262144")
            trigger = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'persons_fts_insert'"
            ).scalar()
            connection.exec_driver_sql("DROP TRIGGER persons_fts_insert")
        deferred = defer_indexes(connection, ["persons", "returns"])
        driver = connection.connection.driver_connection
        for table, (names, rows) in data.items():
            if sqlite:
                marks = ", ".join("?" * len(names))
                driver.executemany(  # type: ignore[union-attr]
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows
                )
            else:
                with (
                    driver.cursor() as cursor,  # type: ignore[union-attr]
                    cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
        deferred.restore()
        if sqlite:
            connection.exec_driver_sql(
                "INSERT INTO persons_fts(rowid, search_key) SELECT id, search_key FROM persons"
            )
            connection.exec_driver_sql(str(trigger))
        connection.commit()
    seconds = time.perf_counter() - began
    target.dispose()
    return {
        "method": ("executemany of the stored rows" if sqlite else "COPY of the stored rows")
        + " into a freshly migrated database, as a bulk load (indexes deferred)",
        "seconds": seconds,
        "persons": len(data["persons"][1]),
        "returns": len(data["returns"][1]),
    }


def _compare(floor: dict[str, Any], measured: dict[str, Any]) -> dict[str, Any]:
    ratio = measured["seconds"] / floor["seconds"]
    return {
        "floor": floor,
        "import": measured,
        "ratio": ratio,
        "target": TARGET_FACTOR,
        "meets_target": ratio <= TARGET_FACTOR,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (or reuse) the register, measure both databases, print and save figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arrivals", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument("--keep", action="store_true", help="reuse a register generated before")
    parser.add_argument("--postgres-url", help="measure on this database instead of a throwaway")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args(argv)

    register = OUT / f"returns-{args.arrivals}-{args.seed}.csv"
    shape: dict[str, Any] = {"arrivals": args.arrivals, "bytes": None}
    if not (args.keep and register.is_file()):
        console.print(f"generating {args.arrivals:,} arrivals into {register} ...")
        began = time.perf_counter()
        partial = register.with_suffix(".partial")
        shape = generate_register(partial, args.arrivals, args.seed)
        os.replace(partial, register)
        shape["generation_seconds"] = time.perf_counter() - began
    else:
        shape["bytes"] = register.stat().st_size
    rows = args.arrivals
    results: dict[str, Any] = {
        "arrivals": rows,
        "file": str(register.relative_to(ROOT)),
        "register": shape,
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "sqlite": sqlite3.sqlite_version,
        },
    }

    work = OUT / "import-work"
    work.mkdir(parents=True, exist_ok=True)
    if not args.no_sqlite:
        console.print("SQLite: floor ...")
        floor = sqlite_floor(register, work)
        database = work / "rrms-import.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        console.print("SQLite: import_returns ...")
        measured = measure_import(f"sqlite:///{database}", register, rows)
        results["sqlite"] = _compare(floor, measured)
        console.print("SQLite: schema floor ...")
        written = work / "schema-floor.db"
        results["sqlite"]["schema_floor"] = schema_floor(
            f"sqlite:///{database}", f"sqlite:///{written}"
        )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
            Path(f"{written}{suffix}").unlink(missing_ok=True)

    if not args.no_postgres:
        cluster = None
        if args.postgres_url:
            import_url = floor_url = args.postgres_url
            if import_url.startswith("postgresql://"):
                import_url = "postgresql+psycopg://" + import_url.split("://", 1)[1]
        else:
            sys.path.insert(0, str(ROOT / "tests"))
            from support.databases import PostgresCluster

            cluster = PostgresCluster()
            cluster.start()
            import_url = cluster.fresh_database()
            floor_url = cluster.fresh_database()
        try:
            console.print("PostgreSQL: floor ...")
            floor = postgres_floor(floor_url, register)
            console.print("PostgreSQL: import_returns ...")
            measured = measure_import(import_url, register, rows)
            results["postgresql"] = _compare(floor, measured)
            if cluster is not None:  # a database of its own is needed
                console.print("PostgreSQL: schema floor ...")
                results["postgresql"]["schema_floor"] = schema_floor(
                    import_url, cluster.fresh_database()
                )
            results["postgresql"]["server"] = (
                "throwaway cluster (fsync=off, synchronous_commit=off)"
                if cluster
                else "given by --postgres-url"
            )
        finally:
            if cluster is not None:
                cluster.stop()

    table = RichTable(
        "database",
        "floor s",
        "schema floor s",
        "import s",
        "rows/s",
        "ratio",
        f"≤ {TARGET_FACTOR:g}×",
        "÷ schema floor",
        "re-import s",
    )
    for name in ("sqlite", "postgresql"):
        if name not in results:
            continue
        result = results[name]
        written = result.get("schema_floor", {}).get("seconds")
        table.add_row(
            name,
            f"{result['floor']['seconds']:.2f}",
            "-" if written is None else f"{written:.2f}",
            f"{result['import']['seconds']:.2f}",
            f"{result['import']['rows_per_second']:,.0f}",
            f"{result['ratio']:.2f}",
            "yes" if result["meets_target"] else "NO",
            "-" if written is None else f"{result['import']['seconds'] / written:.2f}",
            f"{result['import']['reimport_seconds']:.2f}",
        )
    console.print(f"{rows:,} arrivals ({register.name})")
    console.print(table)
    out = OUT / "import_returns.json"
    existing: dict[str, Any] = {}
    if out.is_file():
        try:
            existing = json.loads(out.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            existing = {}
    existing[str(rows)] = results
    out.write_text(json.dumps(existing, indent=1, ensure_ascii=False), encoding="utf-8")
    console.print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
