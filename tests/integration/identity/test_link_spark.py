"""The Spark engine (local mode) gives the answer DuckDB gives, when Spark can run here.

Spark needs the `[spark]` extra (pyspark, which `make test` installs) and Java 17+
(`scripts/test-deps`, run by `make test` and CI, installs Debian's
default-jre-headless where java is missing). The test is skipped, with the reason,
only where either cannot be had. It runs a seven-record list with one partition, so
that it stays short: it checks that the engine gives DuckDB's answer, not its speed.
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
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no Java on this machine (scripts/test-deps installs default-jre-headless)",
    ),
]


@pytest.fixture(autouse=True)
def one_partition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven records need no parallelism: one partition spares Spark's scheduling."""
    monkeypatch.setenv("RRMS_SPARK_PARTITIONS", "1")
    monkeypatch.setenv("RRMS_SPARK_DRIVER_MEMORY", "1g")


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
