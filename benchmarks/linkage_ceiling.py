"""How high can dedupe F1 go on the synthetic Kosovo-shaped register, whatever the model?

`benchmarks/linkage.py` reports the shipped model's F1. This script asks what any
decision could reach on the same records, so that the model's figure can be read
against what the records allow. On a register of N persons (default 100,000, seed 77,
as `benchmarks/linkage.py`) it scores every candidate pair down to a match probability
of 0.01 and reports:

* **true pairs scored**: the share of true pairs the model scores at 0.01 or more
  (the others are never compared by the blocking rules, or nearly certainly not the
  same person to the model: no decision below can find them);
* **the model**: F1 at the model's threshold and at the best threshold;
* **oracle on the comparisons**: the best F1 of any rule that decides on the
  comparison levels alone (which level each of the eight comparisons found), each
  combination of levels decided with the truth in hand, on the very pairs it is
  measured on: an upper bound for every model that weighs these levels, however
  trained. The model itself also weighs how common a name is (term frequencies, in
  runs of 50,000 records or more), which the oracle does not see, so it can come out
  a little above it;
* **supervised** (only where scikit-learn is installed, which RRMS does not need): a
  gradient-boosted classifier trained *with the truth* on the comparison levels, the
  years between the birth dates, settlement, address, and how common the names are
  in the register and in the municipality; F1 by five-fold cross-validation. What
  labelled training could reach on the evidence the records carry.

Run from the project root:

    .venv/bin/python benchmarks/linkage_ceiling.py                  # 100,000 persons
    .venv/bin/python benchmarks/linkage_ceiling.py --persons 1000000
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from linkage import OUT, accuracy, timed_records  # noqa: E402
from rrms.reference.identity import IdentityFields  # noqa: E402
from rrms.services.identity.engine import ScoredPair, score  # noqa: E402
from rrms.services.identity.model import shipped_model  # noqa: E402
from support.kosovo_persons import dedupe_set, true_pairs  # noqa: E402

Pair = tuple[str, str]
console = Console(highlight=False)
FLOOR = 0.01
"""The lowest match probability scored: pairs below it are, to every bound here,
decided "not the same person"."""


def best_f1(ranked: Sequence[tuple[int, int]], true_total: int) -> float:
    """The best F1 of accepting groups of pairs in the given order, each group given as
    (true pairs in it, false pairs in it)."""
    found = hits = 0
    best = 0.0
    for true, false in ranked:
        hits, found = hits + true, found + true + false
        if hits:
            precision, recall = hits / found, hits / true_total
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def oracle(pairs: Sequence[ScoredPair], truth: set[Pair]) -> float:
    """The best F1 of any decision on the comparison levels alone, made with the truth."""
    counts: dict[tuple[int, ...], list[int]] = {}
    for pair in pairs:
        pattern = tuple(pair.levels.values())
        counts.setdefault(pattern, [0, 0])[(pair.left, pair.right) not in truth] += 1
    ranked = sorted(counts.values(), key=lambda tf: -tf[0] / (tf[0] + tf[1]))
    return best_f1([(t, f) for t, f in ranked], len(truth))


def _features(pairs: Sequence[ScoredPair], fields: dict[str, IdentityFields]) -> list[list[float]]:
    names = Counter((f.family_canonical, f.given_canonical) for f in fields.values())
    local = Counter((f.family_key, f.given_key, f.municipality) for f in fields.values())

    def agree(a: object, b: object) -> float:
        return -1.0 if a is None or b is None else float(a == b)

    rows = []
    for pair in pairs:
        a, b = fields[pair.left], fields[pair.right]
        years = (
            -1.0
            if a.birth_year is None or b.birth_year is None
            else float(abs(a.birth_year - b.birth_year))
        )
        rows.append(
            [
                *map(float, pair.levels.values()),
                years,
                agree(a.settlement, b.settlement),
                agree(a.address, b.address),
                math.log(names[a.family_canonical, a.given_canonical] + 1),
                math.log(names[b.family_canonical, b.given_canonical] + 1),
                math.log(local[a.family_key, a.given_key, a.municipality] + 1),
                math.log(local[b.family_key, b.given_key, b.municipality] + 1),
            ]
        )
    return rows


def supervised(
    pairs: Sequence[ScoredPair], fields: dict[str, IdentityFields], truth: set[Pair]
) -> float | None:
    """F1 of a classifier trained with the truth (five-fold cross-validated), or None
    where scikit-learn is not installed."""
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.model_selection import cross_val_predict
    except ImportError:
        return None
    labels = [(pair.left, pair.right) in truth for pair in pairs]
    predicted = cross_val_predict(
        HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=1),
        _features(pairs, fields),
        labels,
        cv=5,
        method="predict_proba",
    )[:, 1]
    best = 0.0
    for step in range(1, 20):
        chosen = [label for label, p in zip(labels, predicted, strict=True) if p >= step / 20]
        hits = sum(chosen)
        if hits:
            precision, recall = hits / len(chosen), hits / len(truth)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


def main() -> None:
    """Score, bound, print and write benchmarks/out/linkage_ceiling.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=77)
    args = parser.parse_args()
    model = shipped_model()
    console.print(f"generating a register of {args.persons:,} persons with duplicates ...")
    rows, truth_ids = dedupe_set(args.persons, args.seed)
    records, _seconds = timed_records(rows)
    truth = true_pairs(truth_ids, [ref for ref, _ in records], None)
    console.print(f"scoring with {model.label} down to {FLOOR} ...")
    pairs = score(model, records, None, FLOOR)
    scored = {(pair.left, pair.right) for pair in pairs}
    at = {
        str(threshold / 20): accuracy(
            {(p.left, p.right) for p in pairs if p.probability >= threshold / 20}, truth
        )["f1"]
        for threshold in range(2, 20)
    }
    results: dict[str, Any] = {
        "persons": args.persons,
        "records": len(records),
        "true_pairs": len(truth),
        "model": model.label,
        "true_pairs_scored": round(len(scored & truth) / len(truth), 4),
        "model_f1_at_its_threshold": accuracy(
            {(p.left, p.right) for p in pairs if p.probability >= model.threshold}, truth
        )["f1"],
        "model_best_f1": max(at.values()),
        "model_best_threshold": float(max(at, key=lambda key: at[key])),
        "oracle_on_comparisons_f1": round(oracle(pairs, truth), 4),
    }
    console.print("training a classifier with the truth (if scikit-learn is installed) ...")
    learnt = supervised(pairs, dict(records), truth)
    results["supervised_cv_f1"] = None if learnt is None else round(learnt, 4)
    for key, value in results.items():
        console.print(f"{key}: {value}")
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "linkage_ceiling.json"
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    console.print(f"written to {target}")


if __name__ == "__main__":
    main()
