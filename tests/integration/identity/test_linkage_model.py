"""The model as data: its file, its comparisons in every engine's SQL, its prior."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from rrms.domain.birth_dates import DateAgreement, agreement
from rrms.domain.partial_date import PartialDate
from rrms.services.identity.engine import train
from rrms.services.identity.model import (
    FORMAT,
    FULL_NAME,
    TF_MIN_RECORDS,
    LinkageModel,
    ModelError,
    check_version,
    shipped_model,
)
from rrms.services.identity.records import identity_records
from support.kosovo_persons import dedupe_set


def test_the_shipped_model_names_itself_and_its_training() -> None:
    model = shipped_model()
    assert model.name == "kosovo-synthetic" and model.version
    assert 0 < model.threshold < 1
    assert "synthetic" in model.trained["on"]
    assert model.label == f"kosovo-synthetic {model.version}"


def _tf_columns(settings: dict) -> set[tuple[str, str]]:
    return {
        (comparison["output_column_name"], level["tf_adjustment_column"])
        for comparison in settings["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_name_frequencies_weigh_only_in_large_runs(dialect: str) -> None:
    """A rare name agreeing weighs more than a common one (term frequency adjustments
    on both names, the father's name, the municipality), but only where the run has
    enough records to tell a name's frequency from its duplicates'."""
    model = shipped_model()
    large = model.splink_settings(dialect, "dedupe_only", 1e-6, TF_MIN_RECORDS)
    assert _tf_columns(large) == {
        ("name", FULL_NAME),
        ("father_name", "father_canonical"),
        ("origin_municipality", "municipality"),
    }
    small = model.splink_settings(dialect, "dedupe_only", 1e-3, TF_MIN_RECORDS - 1)
    assert _tf_columns(small) == set()
    assert _tf_columns(model.splink) == _tf_columns(large)  # the stored model is untouched


def test_a_model_file_round_trips(tmp_path: Path) -> None:
    model = shipped_model()
    target = tmp_path / "copy.json"
    model.save(target)
    again = LinkageModel.load(target)
    assert again.as_json() == model.as_json()
    with pytest.raises(ModelError, match="never overwritten"):
        model.save(target)


def test_a_foreign_or_stale_model_is_refused(tmp_path: Path) -> None:
    content = shipped_model().as_json()
    path = tmp_path / "model.json"
    path.write_text(json.dumps({**content, "format": "splink"}), "utf-8")
    with pytest.raises(ModelError, match="not an RRMS linkage model"):
        LinkageModel.load(path)
    stale = json.loads(json.dumps(content))
    stale["splink"]["comparisons"][0]["comparison_levels"][1]["label_for_charts"] = "old"
    path.write_text(json.dumps(stale), "utf-8")
    with pytest.raises(ModelError, match="differ from this version"):
        LinkageModel.load(path)


def _levels(model: LinkageModel, name: str) -> dict[str, dict]:
    comparison = next(c for c in model.splink["comparisons"] if c["output_column_name"] == name)
    return {level["label_for_charts"]: level for level in comparison["comparison_levels"]}


def test_a_model_trained_before_a_level_existed_still_loads_and_weighs_as_it_did() -> None:
    """Model 2 knew no "born two or more years apart": read now, it has that level,
    weighing exactly as "different", which held those pairs when it was trained."""
    path = Path(__file__).parents[3] / "src/rrms/services/identity/models/kosovo-synthetic-2.json"
    stored = json.loads(path.read_text("utf-8"))
    labels = [
        level["label_for_charts"]
        for comparison in stored["splink"]["comparisons"]
        if comparison["output_column_name"] == "birth_date"
        for level in comparison["comparison_levels"]
    ]
    assert DateAgreement.YEARS_APART.value not in labels  # the file is as it was shipped
    before = json.dumps(stored)
    assert LinkageModel.from_json(stored).version == "2"
    assert json.dumps(stored) == before  # the level is added to the model, not the caller's
    old = _levels(LinkageModel.load(path), "birth_date")
    apart, different = old[DateAgreement.YEARS_APART.value], old[DateAgreement.DIFFERENT.value]
    assert apart["sql_condition"] != "ELSE" and different["sql_condition"] == "ELSE"
    assert apart["m_probability"] == different["m_probability"]
    assert apart["u_probability"] == different["u_probability"]
    current = _levels(shipped_model(), "birth_date")  # model 3 states them apart
    assert current[DateAgreement.YEARS_APART.value]["m_probability"] < 0.01


def _model_2() -> dict:
    path = Path(__file__).parents[3] / "src/rrms/services/identity/models/kosovo-synthetic-2.json"
    return json.loads(path.read_text("utf-8"))


def test_an_old_model_that_differs_in_more_than_a_missing_level_is_refused() -> None:
    """Only a missing level is added: an old model whose other levels are out of order
    (a pair would meet another level first, and score otherwise) is refused, not
    silently put in order."""
    content = _model_2()
    birth = next(
        c for c in content["splink"]["comparisons"] if c["output_column_name"] == "birth_date"
    )
    levels = birth["comparison_levels"]
    levels[1], levels[5] = levels[5], levels[1]
    before = json.dumps(content)
    with pytest.raises(ModelError, match="differ from this version"):
        LinkageModel.from_json(content)
    assert json.dumps(content) == before  # the caller's content is not changed


def test_a_model_with_a_level_missing_its_label_is_refused_cleanly() -> None:
    content = _model_2()
    del content["splink"]["comparisons"][2]["comparison_levels"][1]["label_for_charts"]
    with pytest.raises(ModelError, match="incomplete model file"):
        LinkageModel.from_json(content)


def test_a_model_in_an_unknown_sql_dialect_is_refused() -> None:
    content = _model_2()
    content["splink"]["sql_dialect"] = "oracle"
    with pytest.raises(ModelError, match="SQL dialect 'oracle'"):
        LinkageModel.from_json(content)


@pytest.mark.parametrize("version", ["1", "2027.1", "site-a_2"])
def test_versions(version: str) -> None:
    assert check_version(version) == version


@pytest.mark.parametrize("version", ["", "a b", "../x", "x" * 41])
def test_bad_versions(version: str) -> None:
    with pytest.raises(ModelError):
        check_version(version)


def test_the_prior_follows_the_size_of_the_run() -> None:
    model = shipped_model()
    small, large = model.prior(20, None), model.prior(1_000_001, None)
    assert small == model.matches_per_record / 1000  # never fewer than 1,000 candidates
    assert large == pytest.approx(model.matches_per_record / 1_000_000)
    assert model.prior(500, 2_000_000) == pytest.approx(model.matches_per_record / 2_000_000)


def test_every_level_has_words_for_people() -> None:
    words = shipped_model().evidence_words()
    assert set(words) == {
        "name",
        "father_name",
        "birth_date",
        "sex",
        "community",
        "origin_municipality",
        "birth_place",
        "document_number",
    }
    assert words["birth_date"][-1] == DateAgreement.UNKNOWN.value
    assert {label for label in words["birth_date"].values()} == {a.value for a in DateAgreement}


def test_the_spark_settings_carry_the_learnt_probabilities() -> None:
    model = shipped_model()
    spark = model.splink_settings("spark", "dedupe_only", 0.001)
    duck = model.splink_settings("duckdb", "dedupe_only", 0.001)
    assert spark["sql_dialect"] == "spark"
    for left, right in zip(spark["comparisons"], duck["comparisons"], strict=True):
        for a, b in zip(left["comparison_levels"], right["comparison_levels"], strict=True):
            assert a["label_for_charts"] == b["label_for_charts"]
            assert a.get("m_probability") == b.get("m_probability")
    conditions = json.dumps(spark["comparisons"])
    assert "jaro_winkler_similarity" not in conditions and "jaro_winkler(" in conditions


def _date_level_sql() -> list[tuple[str, str]]:
    levels = shipped_model().splink["comparisons"]
    birth = next(c for c in levels if c["output_column_name"] == "birth_date")
    return [
        (level["sql_condition"], level["label_for_charts"]) for level in birth["comparison_levels"]
    ]


def test_the_sql_date_levels_agree_with_the_domain_rule() -> None:
    """The model's SQL and rrms.domain.birth_dates say the same of every pair of dates."""
    rng = random.Random(5)
    dates: list[PartialDate | None] = [None]
    for _ in range(120):
        year, month, day = rng.randint(1979, 1981), rng.randint(1, 12), rng.randint(1, 12)
        precision = rng.choice((0, 1, 2, 2, 2))
        dates.append(
            PartialDate(year, month if precision else None, day if precision == 2 else None)
        )
    levels = _date_level_sql()
    case = " ".join(f"WHEN {sql} THEN '{label}'" for sql, label in levels if sql != "ELSE")
    rows = [
        (
            a and a.year,
            a and a.month,
            a and a.day,
            b and b.year,
            b and b.month,
            b and b.day,
        )
        for a in dates
        for b in dates
    ]
    names = [f"birth_{part}_{side}" for side in "lr" for part in ("year", "month", "day")]
    table = pa.table(
        {name: pa.array([row[i] for row in rows], pa.int32()) for i, name in enumerate(names)}
    )
    connection = duckdb.connect()
    connection.register("pairs", table)
    found = connection.execute(
        f"SELECT CASE {case} ELSE '{DateAgreement.DIFFERENT.value}' END FROM pairs"
    ).fetchall()
    expected = [agreement(a, b).value for a in dates for b in dates]
    assert [label for (label,) in found] == expected


def test_training_learns_a_usable_model(tmp_path: Path) -> None:
    rows, _truth = dedupe_set(800, 99)
    model = train(identity_records(rows), name="site", version="t1", threshold=0.9, source="test")
    assert model.label == "site t1" and model.trained["records"] == len(rows)
    assert 0 < model.matches_per_record < 2
    for comparison in model.splink["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert 0 < level["m_probability"] < 1 and 0 < level["u_probability"] < 1
    target = tmp_path / "site-t1.json"
    model.save(target)
    assert LinkageModel.load(target).version == "t1"
    assert json.loads(target.read_text("utf-8"))["format"] == FORMAT
