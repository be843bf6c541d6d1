"""Benchmark forced-return screening of a million-person notification list.

Sending states notify returns in lists of up to a million persons, and an officer
should get the screening back while still at the desk. Two targets follow from that:

* the engine alone screens at least 500,000 persons per second, so the policy logic
  is never the bottleneck;
* `rrms screen` end to end (reading and checking the CSV, screening, writing JSON)
  takes at most three times the *floor*: what plain Python needs merely to read the
  same CSV with `csv.DictReader` and write every row back out with `json.dump`, with
  no checking at all. Checking every cell must not cost more than twice that again.

The list is synthetic (see `synthetic_manifest.py`), generated once per size and seed
into benchmarks/out/ and reusable with `--keep`. Figures are printed and written to
benchmarks/out/screening.json.

Run from the project root:

    .venv/bin/python benchmarks/screening.py               # 1,000,000 persons
    .venv/bin/python benchmarks/screening.py --persons 100000 --keep
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from synthetic_manifest import generate_manifest

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
REFERENCE_CSV = ROOT / "src" / "rrms" / "reference" / "data" / "municipalities-2004.csv"
RRMS = ROOT / ".venv" / "bin" / "rrms"

AS_OF = dt.date(2004, 11, 15)
SETTLEMENT_REQUIRED = frozenset({"11"})  # Mitrovicë/Mitrovica: the policy's own example

ENGINE_TARGET = 500_000
"""Persons per second the engine alone must reach."""
END_TO_END_FACTOR = 3.0
"""`rrms screen` may take at most this many times the floor."""

console = Console(highlight=False)


def manifest_path(persons: int, seed: int) -> Path:
    """Where the list for this size and seed lives, so `--keep` can find it again."""
    return OUT / f"manifest-{persons}-{seed}.csv"


def prepare_manifest(persons: int, seed: int, keep: bool) -> tuple[Path, float | None]:
    """Generate the list (or reuse it with `keep`); return its path and generation time.

    The file is written under a temporary name and renamed, so an interrupted run never
    leaves a truncated list that a later `--keep` would silently reuse.
    """
    path = manifest_path(persons, seed)
    if keep and path.is_file():
        return path, None
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".csv.partial")
    began = time.perf_counter()
    generate_manifest(partial, persons, seed, REFERENCE_CSV)
    elapsed = time.perf_counter() - began
    os.replace(partial, path)
    return path, elapsed


def measure_floor(path: Path) -> dict[str, Any]:
    """Time reading the CSV into dicts and writing them back as JSON, with no checks.

    This is the floor the brief defines (`csv.DictReader`, then `json.dump` of the list
    of dicts). `json.dump` streams through the pure-Python encoder, so the same rows are
    also written with `json.dumps` (the C encoder) to show a stricter floor.
    """
    began = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    read = time.perf_counter() - began
    with (OUT / "floor.json").open("w", encoding="utf-8") as handle:
        json.dump(rows, handle, ensure_ascii=False)
    total = time.perf_counter() - began

    began = time.perf_counter()
    with (OUT / "floor-dumps.json").open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(rows, ensure_ascii=False))
    dumps_write = time.perf_counter() - began
    count = len(rows)
    del rows
    gc.collect()
    for written in ("floor.json", "floor-dumps.json"):  # 0.7 GB each for a million
        (OUT / written).unlink(missing_ok=True)
    return {
        "method": "csv.DictReader into a list, json.dump(list of dicts, file)",
        "persons": count,
        "read_seconds": read,
        "write_seconds": total - read,
        "seconds": total,
        "persons_per_second": count / total,
        "c_encoder_seconds": read + dumps_write,
        "c_encoder_method": "same read, file.write(json.dumps(list of dicts))",
    }


def measure_engine(path: Path, runs: int = 3) -> dict[str, Any]:
    """Time `rrms.policy.engine.evaluate` alone on facts read once (not timed).

    Reading the list is timed separately for information. Input errors are returned
    instead of raised: an error on generated data is a finding to report, not a crash.
    """
    from rrms.formats.errors import InputFileError
    from rrms.policy.engine import evaluate
    from rrms.policy.versions import PolicyCatalogue
    from rrms.services.screening.manifest import read_manifest

    began = time.perf_counter()
    try:
        manifest = read_manifest(path, SETTLEMENT_REQUIRED)
    except InputFileError as exc:
        return {
            "error": f"{len(exc.errors)} input error(s)",
            "errors": [error.describe() for error in exc.errors[:50]],
            "read_seconds": time.perf_counter() - began,
        }
    read = time.perf_counter() - began
    policy = PolicyCatalogue.bundled().in_force(AS_OF)
    timings: list[float] = []
    summary: dict[str, int] = {}
    for _ in range(runs):
        began = time.perf_counter()
        result = evaluate(policy, manifest.facts, AS_OF)
        timings.append(time.perf_counter() - began)
        summary = result.summary()
    best = min(timings)
    size = manifest.size
    warnings = [warning.describe() for warning in manifest.warnings[:20]]
    del manifest, result
    gc.collect()
    return {
        "policy_version": policy.id,
        "persons": size,
        "read_manifest_seconds": read,
        "runs_seconds": timings,
        "best_seconds": best,
        "persons_per_second": size / best,
        "target_persons_per_second": ENGINE_TARGET,
        "pass": size / best >= ENGINE_TARGET,
        "summary": summary,
        "warnings": warnings,
    }


def measure_end_to_end(path: Path, persons: int) -> dict[str, Any]:
    """Time `rrms screen FILE --format json --out ...` as a user runs it, in a subprocess.

    Parsing the output to check it is not timed. A non-zero exit keeps the first
    lines of stderr, which for exit status 2 are the input errors.
    """
    out = OUT / "screened.json"
    out.unlink(missing_ok=True)
    command = [
        str(RRMS),
        "screen",
        str(path),
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "--out",
        str(out),
    ]
    began = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    figures: dict[str, Any] = {
        "command": " ".join(command),
        "exit_code": completed.returncode,
        "seconds": elapsed,
        "persons_per_second": persons / elapsed,
    }
    if completed.returncode != 0:
        figures["stderr_head"] = completed.stderr.splitlines()[:60]
        figures["stdout_head"] = completed.stdout.splitlines()[:20]
        return figures
    with out.open(encoding="utf-8") as handle:
        report = json.load(handle)
    figures["persons_in_output"] = len(report["persons"])
    figures["families_in_output"] = len(report["families"])
    figures["output_ok"] = len(report["persons"]) == persons
    figures["summary"] = report.get("summary")
    figures["warnings"] = len(report.get("warnings") or [])
    figures["output_bytes"] = out.stat().st_size
    return figures


def _environment() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def _show(results: dict[str, Any]) -> None:
    """Print the figures as one table, with PASS/MISS against the targets."""
    table = Table(title=f"Screening benchmark: {results['persons']:,} persons", show_lines=False)
    table.add_column("measure")
    table.add_column("seconds", justify="right")
    table.add_column("persons/s", justify="right")
    table.add_column("target / note")
    gen = results["generation_seconds"]
    table.add_row(
        "generate list",
        "reused" if gen is None else f"{gen:.2f}",
        "",
        f"{results['file_bytes'] / 1e6:.1f} MB, {Path(results['file']).name}",
    )
    floor = results["floor"]
    table.add_row(
        "floor (DictReader + json.dump)",
        f"{floor['seconds']:.2f}",
        f"{floor['persons_per_second']:,.0f}",
        f"read {floor['read_seconds']:.2f} s, write {floor['write_seconds']:.2f} s",
    )
    table.add_row(
        "floor, json.dumps (C encoder)", f"{floor['c_encoder_seconds']:.2f}", "", "for comparison"
    )
    engine = results["engine"]
    if "error" in engine:
        table.add_row("engine", "", "", f"[red]not run: {engine['error']}[/]")
    else:
        verdict = "[green]PASS[/]" if engine["pass"] else "[red]MISS[/]"
        table.add_row(
            "read_manifest (untimed for engine)", f"{engine['read_manifest_seconds']:.2f}", "", ""
        )
        table.add_row(
            "engine.evaluate (best of 3)",
            f"{engine['best_seconds']:.3f}",
            f"{engine['persons_per_second']:,.0f}",
            f"≥ {ENGINE_TARGET:,}: {verdict}",
        )
    e2e = results["end_to_end"]
    if e2e["exit_code"] != 0:
        table.add_row(
            "rrms screen", f"{e2e['seconds']:.2f}", "", f"[red]exit {e2e['exit_code']}[/]"
        )
    else:
        verdict = "[green]PASS[/]" if results["pass"] else "[red]MISS[/]"
        table.add_row(
            "rrms screen (end to end)",
            f"{e2e['seconds']:.2f}",
            f"{e2e['persons_per_second']:,.0f}",
            f"ratio {results['ratio_end_to_end_to_floor']:.2f} × floor "
            f"(≤ {END_TO_END_FACTOR:g}): {verdict}",
        )
        table.add_row(
            "", "", "", f"vs json.dumps floor: {results['ratio_end_to_end_to_c_floor']:.2f} ×"
        )
    console.print(table)
    if e2e["exit_code"] == 0:
        console.print(f"outcomes: {e2e['summary']}; output persons {e2e['persons_in_output']:,}")
    else:
        console.print("[red]rrms screen failed; first lines of its stderr:[/]")
        for line in e2e.get("stderr_head", []):
            console.print(f"  {line}", markup=False)
    if "errors" in engine:
        console.print("[red]read_manifest reported:[/]")
        for line in engine["errors"][:30]:
            console.print(f"  {line}", markup=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate (or reuse) the list, run the three measurements, print and save them.

    Exit status 1 when a measurement could not be made (input errors, a failing
    `rrms screen`, wrong output size); a MISS against a target still exits 0, as the
    figures themselves are the result.
    """
    parser = argparse.ArgumentParser(description="Benchmark rrms screening.")
    parser.add_argument("--persons", type=int, default=1_000_000, help="list size (1,000,000)")
    parser.add_argument("--seed", type=int, default=2004, help="generator seed (2004)")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse benchmarks/out/manifest-N-SEED.csv if it exists instead of regenerating",
    )
    args = parser.parse_args(argv)
    if args.persons < 1:
        parser.error("--persons must be at least 1")

    with console.status(f"generating {args.persons:,} persons (seed {args.seed})…"):
        path, generation = prepare_manifest(args.persons, args.seed, args.keep)
    size = path.stat().st_size
    note = "reused" if generation is None else f"generated in {generation:.2f} s"
    console.print(f"list: {path} ({size / 1e6:.1f} MB), {note}")

    with console.status("floor: csv.DictReader + json.dump…"):
        floor = measure_floor(path)
    console.print(f"floor: {floor['seconds']:.2f} s")
    with console.status("engine: read_manifest once, then evaluate × 3…"):
        engine = measure_engine(path)
    if "error" in engine:
        console.print(f"[red]engine not measured: {engine['error']}[/]")
    else:
        console.print(f"engine: {engine['persons_per_second']:,.0f} persons/s")
    with console.status("end to end: rrms screen…"):
        e2e = measure_end_to_end(path, args.persons)
    console.print(f"end to end: {e2e['seconds']:.2f} s, exit {e2e['exit_code']}")

    ok = e2e["exit_code"] == 0 and e2e.get("output_ok", False) and "error" not in engine
    ratio = e2e["seconds"] / floor["seconds"]
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "as_of": AS_OF.isoformat(),
        "persons": args.persons,
        "seed": args.seed,
        "file": str(path),
        "file_bytes": size,
        "generation_seconds": generation,
        "floor": floor,
        "engine": engine,
        "end_to_end": e2e,
        "ratio_end_to_end_to_floor": ratio,
        "ratio_end_to_end_to_c_floor": e2e["seconds"] / floor["c_encoder_seconds"],
        "ratio_target": END_TO_END_FACTOR,
        "pass": ok and ratio <= END_TO_END_FACTOR,
        "engine_pass": bool(engine.get("pass", False)),
        "measured": ok,
        "environment": _environment(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "screening.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _show(results)
    console.print(f"figures written to {OUT / 'screening.json'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
