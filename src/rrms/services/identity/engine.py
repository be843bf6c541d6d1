"""Splink, run on DuckDB (embedded, the default) or Spark (local mode or a cluster).

RRMS writes no linkage engine of its own: Splink (a Fellegi–Sunter model, trained
without labels by expectation maximisation) scores the candidate pairs that the
model's blocking rules find, in SQL, on the engine chosen. This module is the only
one that talks to Splink and the engines; everything above it deals in records
(`IdentityFields` under a reference) and scored pairs.

DuckDB runs in memory, in this process, with as many threads as the machine has.
Spark runs in local mode (`local[*]`) unless `RRMS_SPARK_MASTER` names a cluster
(`spark://host:7077`); it needs the `[spark]` extra (pyspark) and Java.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import pyarrow as pa
from splink import DuckDBAPI, Linker
from splink.internals.database_api import DatabaseAPI

from rrms.domain.birth_dates import DateAgreement
from rrms.reference.identity import IdentityFields
from rrms.services.identity.model import (
    FULL_NAME,
    IDENTITY_COLUMNS,
    UNIQUE_ID,
    LinkageModel,
    LinkType,
    ModelError,
    settings_creator,
    trained_facts,
    training_blocking_rules,
)

__all__ = ["ENGINES", "EngineUnavailable", "Record", "ScoredPair", "score", "train"]

ENGINES: Final = ("duckdb", "spark")

Record = tuple[str, IdentityFields]
"""A record to link: its reference (a list's person_ref) and its identity fields."""

_INTEGER_COLUMNS: Final = frozenset({"birth_year", "birth_month", "birth_day"})
_SCHEMA: Final = pa.schema(
    [(UNIQUE_ID, pa.string())]
    + [(name, pa.int32() if name in _INTEGER_COLUMNS else pa.string()) for name in IDENTITY_COLUMNS]
    + [(FULL_NAME, pa.string())]
)
_RUN_NUMBERS: Final = itertools.count(1)
_TRAINING_U_PAIRS: Final = 2_000_000
_M_FLOOR: Final = 0.005
_U_FLOOR: Final = 1e-5
KNOWN_M: Final[dict[tuple[str, str], float]] = {
    ("father_name", "different"): 0.0001,
    ("birth_date", DateAgreement.DIFFERENT.value): 0.001,
    ("birth_date", DateAgreement.YEARS_APART.value): 0.002,
}
"""m probabilities the model states rather than learns. Learnt without labels, these
came out far higher, because the training blocks hold namesakes, and namesakes differ
exactly there:

- the father's name: one in 10,000 (two fathers' names that are not even similar are
  taken as near-proof of two persons, the namesakes that must never be merged);
- two full birth dates at most a year apart that differ beyond a swap or one mistyped
  part: one in 1,000 (model 2 stated 2% for every disagreeing date, which in
  practice were mostly dates years apart);
- dates two or more years apart: two in 1,000, an age guessed or a year misread.
  Dates years apart are far more common between two persons than dates close but
  different, so this level weighs more against a match than the other."""


class EngineUnavailable(Exception):
    """The engine asked for cannot run here (pyspark or Java missing)."""


@dataclass(frozen=True)
class ScoredPair:
    """Two records the model scored, with the level each comparison found (gamma)."""

    left: str
    right: str
    probability: float
    levels: dict[str, int]


def _table(records: Sequence[Record]) -> pa.Table:
    columns: dict[str, list[Any]] = {UNIQUE_ID: [ref for ref, _ in records]}
    for name in IDENTITY_COLUMNS:
        columns[name] = [getattr(fields, name) for _, fields in records]
    columns[FULL_NAME] = [
        f"{fields.family_canonical} {fields.given_canonical}"
        if fields.family_canonical and fields.given_canonical
        else None
        for _, fields in records
    ]
    return pa.table(columns, schema=_SCHEMA)


@contextmanager
def _quiet() -> Iterator[None]:
    """Splink logs its progress at INFO; RRMS's outputs must carry only the result."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _spark_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineUnavailable(
            "the spark engine needs pyspark: pip install 'rrms[spark]' (and Java 17+)"
        ) from None
    from splink.backends.spark import similarity_jar_location

    master = os.environ.get("RRMS_SPARK_MASTER", "local[*]")
    try:
        builder = SparkSession.builder.master(master)
        if master.startswith("local"):
            # local mode talks to no other machine: listen on loopback only
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
                "spark.driver.host", "127.0.0.1"
            )
        session = (
            builder.appName("rrms-link")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", os.environ.get("RRMS_SPARK_PARTITIONS", "4"))
            .config("spark.default.parallelism", os.environ.get("RRMS_SPARK_PARTITIONS", "4"))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", os.environ.get("RRMS_SPARK_DRIVER_MEMORY", "4g"))
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        return session
    except Exception as exc:  # Java missing or a cluster unreachable
        raise EngineUnavailable(f"cannot start Spark ({master}): {exc}") from None


class _Run:
    """One engine's database for one linkage: where the records are registered."""

    def __init__(self, engine: str) -> None:
        if engine not in ENGINES:
            raise EngineUnavailable(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
        self.engine = engine
        self.spark: Any = None
        self.api: DatabaseAPI[Any]
        if engine == "duckdb":
            self.api = DuckDBAPI()
        else:
            from splink.backends.spark import SparkAPI

            self.spark = _spark_session()
            self.api = SparkAPI(  # type: ignore[no-untyped-call]
                spark_session=self.spark,
                break_lineage_method="persist",
                num_partitions_on_repartition=int(os.environ.get("RRMS_SPARK_PARTITIONS", "4")),
            )

    def register(self, records: Sequence[Record], role: str) -> Any:
        """Register records under a name unique to this run (a Spark session outlives
        runs and keeps their views), returned as Splink's frame."""
        name = f"rrms_{role}_{next(_RUN_NUMBERS)}_{os.getpid()}"
        table = _table(records)
        if self.spark is not None:
            frame = self.spark.createDataFrame(table.to_pylist(), schema=_spark_schema())
            return self.api.register(frame, table_name=name)
        return self.api.register(table, table_name=name)


def _spark_schema() -> Any:
    from pyspark.sql import types

    return types.StructType(
        [
            types.StructField(
                field.name,
                types.IntegerType() if field.name in _INTEGER_COLUMNS else types.StringType(),
            )
            for field in _SCHEMA
        ]
    )


def score(
    model: LinkageModel,
    left: Sequence[Record],
    right: Sequence[Record] | None,
    threshold: float,
    engine: str = "duckdb",
    *,
    population: int | None = None,
) -> list[ScoredPair]:
    """Every candidate pair whose match probability is at least `threshold`.

    Without `right`, the pairs within `left` (dedupe); with it, the pairs of one
    record of `left` and one of `right` (link). `population`: in a link, how many
    records `right` was narrowed from (a register's candidates for a check): the prior
    is that of the whole register, and no term frequencies are taken from the
    candidates, who share their names by construction.
    """
    if len(left) + len(right or ()) < 2 or (right is not None and not (left and right)):
        return []
    run = _Run(engine)
    link_type: LinkType = "dedupe_only" if right is None else "link_only"
    others = None if right is None else max(len(right), population or 0)
    settings = model.splink_settings(
        run.api.sql_dialect.sql_dialect_str,
        link_type,
        model.prior(len(left), others),
        0 if population is not None else len(left) + len(right or ()),
    )
    with _quiet():
        frames = [run.register(left, "list")]
        if right is not None:
            frames.append(run.register(right, "other"))
        other_name = frames[-1].templated_name
        # Splink's settings validation only logs, and `_quiet` drops its log: the
        # model's comparisons are checked when it is loaded (`LinkageModel`)
        linker = Linker(
            frames if right is not None else frames[0],
            settings,
            log_level=None,
            validate_settings=False,
        )
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        rows = predictions.as_record_list()
    gammas = [name for name in rows[0] if name.startswith("gamma_")] if rows else []
    pairs = []
    for row in rows:
        left_ref, right_ref = str(row[f"{UNIQUE_ID}_l"]), str(row[f"{UNIQUE_ID}_r"])
        if (right is not None and row.get("source_dataset_l") == other_name) or (
            right is None and right_ref < left_ref
        ):
            left_ref, right_ref = right_ref, left_ref
        pairs.append(
            ScoredPair(
                left=left_ref,
                right=right_ref,
                probability=float(row["match_probability"]),
                levels={name[len("gamma_") :]: int(row[name]) for name in gammas},
            )
        )
    return pairs


def train(
    records: Sequence[Record],
    *,
    name: str,
    version: str,
    threshold: float,
    source: str,
    engine: str = "duckdb",
    seed: int = 12,
) -> LinkageModel:
    """Train a model on one set of records, without labels, and return it.

    The prior is first estimated from pairs that agree on names and birth year (with
    an assumed recall), the u probabilities from random pairs, then the m
    probabilities by expectation maximisation in the blocks of
    `training_blocking_rules`.
    """
    if len(records) < 100:
        raise ModelError("training needs at least 100 records")
    started = time.perf_counter()
    run = _Run(engine)
    with _quiet():
        frame = run.register(records, "training")
        untrained = settings_creator("dedupe_only", 0.0001).create_settings_dict(
            run.api.sql_dialect.sql_dialect_str
        )
        linker = Linker(frame, _with_known_m(untrained), log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [
                "l.family_canonical = r.family_canonical AND "
                "l.given_canonical = r.given_canonical AND l.birth_year = r.birth_year",
                "l.document_number = r.document_number",
            ],
            recall=0.6,
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=_TRAINING_U_PAIRS, seed=seed)
        for rule in training_blocking_rules():
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        settings = linker.misc.save_model_to_json()
    settings.pop("linker_uid", None)
    _regularise(settings)
    prior = float(settings["probability_two_random_records_match"])
    return LinkageModel(
        name=name,
        version=version,
        threshold=threshold,
        matches_per_record=prior * (len(records) - 1),
        splink=settings,
        trained=trained_facts(len(records), source, engine, time.perf_counter() - started),
    )


def _with_known_m(settings: dict[str, Any]) -> dict[str, Any]:
    """The untrained settings with the m probabilities of `KNOWN_M` set and fixed, so
    that expectation maximisation learns the other levels around them (left free, a
    level it never sees in a small list would be driven to an m of 0, which Splink
    refuses)."""
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            known = KNOWN_M.get((comparison["output_column_name"], level["label_for_charts"]))
            if known is not None:
                level["m_probability"] = known
                level["fix_m_probability"] = True
    return settings


def _regularise(settings: dict[str, Any]) -> None:
    """Make the learnt probabilities safe to use, in place.

    Expectation maximisation drives the m probability of a level it rarely sees to
    0 (a weight of minus infinity: "this never happens to the same person"), and
    leaves levels it never sees untrained. One typing error would then outweigh all
    other evidence. So each level's m is at least 0.5% and each u at least 1e-5; a
    level never seen in training gets m = u (no weight either way). And where
    unlabelled data cannot tell the rate apart from namesakes in the training blocks,
    the model states it (`KNOWN_M`): a father's name or a full birth date written
    differently for one person. The other levels are scaled to sum to 1.
    """
    for comparison in settings["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        u = [max(float(level.get("u_probability") or 0.0), _U_FLOOR) for level in levels]
        m = [
            max(float(level["m_probability"]), _M_FLOOR)
            if level.get("m_probability") is not None
            else u_value
            for level, u_value in zip(levels, u, strict=True)
        ]
        fixed = {
            position: KNOWN_M[(comparison["output_column_name"], level["label_for_charts"])]
            for position, level in enumerate(levels)
            if (comparison["output_column_name"], level["label_for_charts"]) in KNOWN_M
        }
        free = sum(value for position, value in enumerate(m) if position not in fixed)
        scale = (1 - sum(fixed.values())) / free
        for position, level in enumerate(levels):
            level["m_probability"] = fixed.get(position, m[position] * scale)
            level["u_probability"] = u[position] / sum(u)
