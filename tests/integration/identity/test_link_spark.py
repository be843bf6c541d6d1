"""The Spark engine (local mode) gives the answer DuckDB gives, when Spark can run here.

Spark needs the `[spark]` extra (pyspark) and Java; CI installs neither, so there this
test is skipped with the reason. On a machine with both it runs a small list.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rrms.cli.main import app
from support.linkage_lists import DEDUPE_ROWS

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="pyspark is not installed (pip install 'rrms[spark]')",
    ),
    pytest.mark.skipif(shutil.which("java") is None, reason="no Java on this machine"),
]


def link(path: Path, engine: str) -> dict:
    result = CliRunner().invoke(
        app, ["link", str(path), "--engine", engine, "--format", "json", "--threshold", "0.5"]
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_spark_and_duckdb_agree(write_list: Callable[..., Path]) -> None:
    path = write_list("list.csv", DEDUPE_ROWS)
    spark, duck = link(path, "spark"), link(path, "duckdb")
    assert spark["model"]["engine"] == "spark"
    assert [(p["left"], p["right"]) for p in spark["pairs"]] == [
        (p["left"], p["right"]) for p in duck["pairs"]
    ]
    for a, b in zip(spark["pairs"], duck["pairs"], strict=True):
        assert a["probability"] == pytest.approx(b["probability"], abs=1e-3)
        assert a["evidence"] == b["evidence"]
    assert spark["clusters"] == duck["clusters"]
