"""Train the linkage model shipped with RRMS, on a synthetic Kosovo-shaped list.

The shipped model must not learn from real persons, so it learns from the synthetic
population of `tests/support/kosovo_persons.py` (seeded: the same seed gives the same
list, hence the same model), without labels, exactly as `rrms link-train` trains a
site's model. It is written to `src/rrms/services/identity/models/` under a new
version; an existing version is never overwritten.

Run from the project root:

    .venv/bin/python scripts/train_linkage_model.py --version 1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from rrms.services.identity.engine import train  # noqa: E402
from rrms.services.identity.records import identity_records  # noqa: E402
from support.kosovo_persons import dedupe_set  # noqa: E402

MODELS = ROOT / "src" / "rrms" / "services" / "identity" / "models"


def main() -> None:
    """Train, and write the model file under its version."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    rows, _truth = dedupe_set(args.persons, args.seed)
    model = train(
        identity_records(rows),
        name="kosovo-synthetic",
        version=args.version,
        threshold=args.threshold,
        source=(
            f"synthetic Kosovo-shaped list: {args.persons} persons, {len(rows)} records, "
            f"seed {args.seed} (tests/support/kosovo_persons.py)"
        ),
    )
    target = MODELS / f"kosovo-synthetic-{args.version}.json"
    model.save(target)
    print(f"{model.label}: {model.trained}; written to {target}")


if __name__ == "__main__":
    main()
