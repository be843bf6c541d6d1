"""Benchmark record linkage (`rrms link`) on a synthetic Kosovo-shaped register.

Issue 12 asks for a register of a million persons deduplicated in under five minutes on
this two-core machine with DuckDB, and an F1 of at least 0.95 on a Kosovo-shaped set.
This script measures, at N persons (default 100,000; `--persons 1000000` for the
target size):

* **dedupe**: one register in which some persons appear two or three times, written
  by different officials (`tests/support/kosovo_persons.py`, with known truth);
* **link**: a list of 10,000 persons, half of them in the register, linked against a
  register of N persons, each in one clean record;

on DuckDB (and on Spark in local mode with `--engines duckdb,spark`, where pyspark and
Java exist), with the shipped model at its threshold. For each it reports the time to
bring the records to comparable form, the time Splink takes, and precision, recall
and F1 against the truth, beside a **baseline**: records are the same person when their
canonical family and given names and their full birth dates are equal (what an exact
match on normalised name and birth date finds).

The figures are printed and written to benchmarks/out/linkage.json. Run from the
project root:

    .venv/bin/python benchmarks/linkage.py                  # 100,000 persons
    .venv/bin/python benchmarks/linkage.py --persons 1000000
    .venv/bin/python benchmarks/linkage.py --persons 1000000 --engines spark --tasks link
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "tests"))

from rrms.reference.identity import IdentityFields  # noqa: E402
from rrms.services.identity.engine import score  # noqa: E402
from rrms.services.identity.model import shipped_model  # noqa: E402
from rrms.services.identity.records import identity_records  # noqa: E402
from support.kosovo_persons import dedupe_set, link_sets, true_pairs  # noqa: E402

Record = tuple[str, IdentityFields]
Pairs = set[tuple[str, str]]
console = Console(highlight=False)


def accuracy(found: Pairs, truth: Pairs) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_found": len(found),
        "true_pairs": len(truth),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def _exact_key(fields: IdentityFields) -> tuple[Any, ...] | None:
    key = (
        fields.family_canonical,
        fields.given_canonical,
        fields.birth_year,
        fields.birth_month,
        fields.birth_day,
    )
    return None if any(part is None for part in key) else key


def baseline(left: Sequence[Record], right: Sequence[Record] | None) -> tuple[Pairs, float]:
    """Pairs with equal canonical names and equal full birth dates, and the time taken."""
    began = time.perf_counter()
    groups: dict[tuple[Any, ...], list[str]] = {}
    for ref, fields in left:
        key = _exact_key(fields)
        if key is not None:
            groups.setdefault(key, []).append(ref)
    found: Pairs = set()
    if right is None:
        for refs in groups.values():
            refs.sort()
            found.update((a, b) for i, a in enumerate(refs) for b in refs[i + 1 :])
    else:
        for ref, fields in right:
            key = _exact_key(fields)
            for other in groups.get(key, ()) if key is not None else ():
                found.add((other, ref))
    return found, time.perf_counter() - began


def timed_records(rows: list[dict[str, str]]) -> tuple[list[Record], float]:
    began = time.perf_counter()
    records = identity_records(rows)
    return records, time.perf_counter() - began


CURVE = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
"""Thresholds at which precision, recall and F1 are also reported (one scoring run)."""


def run_engine(
    engine: str, left: Sequence[Record], right: Sequence[Record] | None, truth: Pairs
) -> dict[str, Any]:
    """Score once at the lowest threshold of `CURVE`; report the model's threshold and
    the curve. The time is that of the scoring at the lowest threshold (it writes a
    few more pairs than the model's threshold would)."""
    model = shipped_model()
    began = time.perf_counter()
    pairs = score(model, left, right, min(CURVE), engine)
    seconds = time.perf_counter() - began
    curve = {
        str(threshold): accuracy(
            {(pair.left, pair.right) for pair in pairs if pair.probability >= threshold}, truth
        )
        for threshold in CURVE
    }
    return {
        "engine": engine,
        "seconds": round(seconds, 1),
        **curve[str(model.threshold)],
        "by_threshold": curve,
    }


def dedupe_task(persons: int, seed: int, engines: Sequence[str]) -> dict[str, Any]:
    """Dedupe a register of `persons` with duplicates written by different officials."""
    console.print(f"generating a register of {persons:,} persons with duplicates ...")
    rows, truth_ids = dedupe_set(persons, seed)
    records, normalise = timed_records(rows)
    truth = true_pairs(truth_ids, [ref for ref, _ in records], None)
    del rows
    dedupe: dict[str, Any] = {"records": len(records), "normalise_seconds": round(normalise, 1)}
    base, base_seconds = baseline(records, None)
    dedupe["baseline"] = {"seconds": round(base_seconds, 1), **accuracy(base, truth)}
    dedupe["engines"] = []
    for engine in engines:
        console.print(f"dedupe on {engine} ...")
        dedupe["engines"].append(run_engine(engine, records, None, truth))
    return dedupe


def link_task(persons: int, size: int, seed: int, engines: Sequence[str]) -> dict[str, Any]:
    """Link a list of `size` persons, half of them registered, with a register."""
    console.print(f"generating a list of {size:,} persons and a register to link with ...")
    register_rows, list_rows, link_ids = link_sets(persons, size, seed + 1)
    register, register_seconds = timed_records(register_rows)
    listed, list_seconds = timed_records(list_rows)
    truth = true_pairs(link_ids, [ref for ref, _ in listed], [ref for ref, _ in register])
    link: dict[str, Any] = {
        "register_records": len(register),
        "list_records": len(listed),
        "normalise_seconds": round(register_seconds + list_seconds, 1),
    }
    base, base_seconds = baseline(listed, register)
    link["baseline"] = {"seconds": round(base_seconds, 1), **accuracy(base, truth)}
    link["engines"] = []
    for engine in engines:
        console.print(f"link on {engine} ...")
        link["engines"].append(run_engine(engine, listed, register, truth))
    return link


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--list", type=int, default=10_000, help="persons on the linked list")
    parser.add_argument("--seed", type=int, default=77)
    parser.add_argument("--engines", default="duckdb", help="duckdb,spark")
    parser.add_argument("--tasks", default="dedupe,link", help="dedupe,link")
    args = parser.parse_args()
    engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    tasks = {task.strip() for task in args.tasks.split(",") if task.strip()}
    if not tasks or tasks - {"dedupe", "link"}:
        parser.error(f"--tasks {args.tasks!r}: name dedupe, link or both (dedupe,link)")
    model = shipped_model()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load_average_at_start": [round(load, 1) for load in os.getloadavg()],
        "persons": args.persons,
        "model": model.label,
        "threshold": model.threshold,
    }

    if "dedupe" in tasks:
        results["dedupe"] = dedupe_task(args.persons, args.seed, engines)
    if "link" in tasks:
        results["link"] = link_task(args.persons, args.list, args.seed, engines)

    table = Table("task", "method", "records", "seconds", "pairs", "precision", "recall", "F1")
    sizes = {
        "dedupe": lambda block: f"{block['records']:,}",
        "link": lambda block: f"{block['list_records']:,} x {block['register_records']:,}",
    }
    for task in ("dedupe", "link"):
        if task not in results:
            continue
        block, size = results[task], sizes[task](results[task])
        for row in [*block["engines"], {"engine": "baseline", **block["baseline"]}]:
            table.add_row(
                task,
                row["engine"],
                size,
                f"{row['seconds']:.1f}",
                f"{row['pairs_found']:,}",
                f"{row['precision']:.4f}",
                f"{row['recall']:.4f}",
                f"{row['f1']:.4f}",
            )
    console.print(table)
    for task in ("dedupe", "link"):
        if task not in results:
            continue
        block = results[task]
        console.print(f"normalising for {task}: {block['normalise_seconds']} s")
        for row in block["engines"]:
            console.print(
                f"{task} on {row['engine']}, F1 by threshold: "
                + ", ".join(f"{t}: {m['f1']:.4f}" for t, m in row["by_threshold"].items())
            )
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "linkage.json"
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    results["load_average_at_end"] = [round(load, 1) for load in os.getloadavg()]
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    console.print(f"written to {target}")


if __name__ == "__main__":
    main()
