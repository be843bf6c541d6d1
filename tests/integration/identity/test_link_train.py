"""`rrms link-train`: a site's own model, as a new version, used by `rrms link --model`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rrms.cli.main import app
from support.kosovo_persons import dedupe_set, write_csv
from support.linkage_lists import DEDUPE_ROWS


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_train_on_a_list_and_link_with_the_new_model(
    tmp_path: Path, write_list: Callable[..., Path]
) -> None:
    rows, _truth = dedupe_set(600, 31)
    training = write_csv(rows, tmp_path / "site-list.csv")
    target = tmp_path / "site-7.json"
    code, out, err = invoke("link-train", str(training), "--version", "7", "--out", str(target))
    assert code == 0, err
    assert "model site 7 trained on" in out and target.is_file()
    code, out, err = invoke(
        "link", str(write_list("list.csv", DEDUPE_ROWS)), "--model", str(target), "--format", "json"
    )
    assert code == 0, err
    answer = json.loads(out)
    assert answer["model"]["name"] == "site" and answer["model"]["version"] == "7"
    assert answer["model"]["trained"]["on"] == "file site-list.csv"
    assert ["D01", "D02", "D03", "D04"] in answer["clusters"]
    code, _out, err = invoke("link-train", str(training), "--version", "7", "--out", str(target))
    assert code == 2 and "never overwritten" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name a FILE or --from-register"),
        (("{list}", "--from-register", "--version", "1"), "name a FILE or --from-register"),
        (("{list}",), "--version is required"),
        (("{list}", "--version", "a b"), "model version"),
    ],
)
def test_bad_training_requests(write_list, args, message) -> None:
    path = str(write_list("list.csv", DEDUPE_ROWS))
    code, _out, err = invoke("link-train", *(a.replace("{list}", path) for a in args))
    assert code == 2 and message in err


def test_training_on_the_register_is_for_administrators(
    monkeypatch, database_url, actors, tmp_path
) -> None:
    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    target = str(tmp_path / "m.json")
    code, _out, err = invoke(
        "link-train",
        "--from-register",
        "--version",
        "1",
        "--as",
        "caseworker_user",
        "--out",
        target,
    )
    assert code == 2 and "only an administrator" in err
    code, _out, err = invoke(
        "link-train",
        "--from-register",
        "--version",
        "1",
        "--as",
        "administrator_user",
        "--out",
        target,
    )
    assert code == 2 and "at least 100 records" in err  # an empty register
