"""`rrms link` on files: the JSON contract of shared/spec/linkage.md, other forms, errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.services.identity.model import shipped_model
from support.linkage_lists import DEDUPE_ROWS

Writer = Callable[..., Path]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["link", *args])
    return result.exit_code, result.stdout, result.stderr


def link_json(*args: str) -> dict:
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def pair_refs(answer: dict) -> set[tuple[str, str]]:
    return {(pair["left"], pair["right"]) for pair in answer["pairs"]}


def test_dedupe_finds_one_person_in_four_spellings(write_list: Writer) -> None:
    answer = link_json(str(write_list("list.csv", DEDUPE_ROWS)))
    assert answer["mode"] == "dedupe"
    assert answer["threshold"] == shipped_model().threshold
    assert answer["records"] == {"left": 7, "right": 7}
    same = {
        ("D01", "D02"),
        ("D01", "D03"),
        ("D01", "D04"),
        ("D02", "D03"),
        ("D02", "D04"),
        ("D03", "D04"),
    }
    assert pair_refs(answer) == same
    assert answer["clusters"] == [["D01", "D02", "D03", "D04"]]
    probabilities = [pair["probability"] for pair in answer["pairs"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(answer["threshold"] <= p <= 1 for p in probabilities)
    assert all(pair["left"] < pair["right"] for pair in answer["pairs"])
    assert answer["model"]["name"] == "kosovo-synthetic"
    assert answer["model"]["version"] == shipped_model().version


def test_evidence_says_in_words_what_agreed(write_list: Writer) -> None:
    answer = link_json(str(write_list("list.csv", DEDUPE_ROWS)))
    evidence = {(p["left"], p["right"]): p["evidence"] for p in answer["pairs"]}
    assert evidence[("D01", "D02")]["family_name"] == "same after transliteration"
    assert evidence[("D01", "D02")]["given_name"] == "same"
    assert evidence[("D01", "D02")]["birth_date"] == "same date"
    assert evidence[("D01", "D02")]["origin_municipality"] == "same municipality"
    assert evidence[("D01", "D03")]["given_name"] == "same after transliteration"
    assert evidence[("D01", "D03")]["birth_date"] == "same year, one date known only to the year"
    assert evidence[("D01", "D04")]["birth_date"] == "same year, day and month swapped"
    assert evidence[("D01", "D04")]["document_number"] == "same"
    # a field unknown in one record gives no evidence either way
    assert "father_name" not in evidence[("D01", "D04")]


def test_brother_and_namesake_are_not_matched(write_list: Writer) -> None:
    answer = link_json(str(write_list("list.csv", DEDUPE_ROWS)), "--threshold", "0.5")
    matched = {ref for pair in answer["pairs"] for ref in (pair["left"], pair["right"])}
    assert "D05" not in matched and "D06" not in matched and "D07" not in matched


def test_swapped_names_are_one_person(write_list: Writer) -> None:
    rows = [
        ("A1", "Krasniqi", "Blerina", "Jeton", "f", "1987-04-02", "", "Gjilan"),
        ("A2", "Blerina", "Krasnitschi", "Jeton", "weiblich", "02.04.1987", "", "Gnjilane"),
    ]
    answer = link_json(str(write_list("list.csv", rows)))
    assert pair_refs(answer) == {("A1", "A2")}
    assert answer["pairs"][0]["evidence"]["family_name"] == "swapped with the given name"


def test_a_lower_threshold_finds_more_pairs_never_fewer(write_list: Writer) -> None:
    path = str(write_list("list.csv", DEDUPE_ROWS))
    strict = pair_refs(link_json(path, "--threshold", "0.99"))
    lax = pair_refs(link_json(path, "--threshold", "0.2"))
    assert strict <= lax
    assert link_json(path, "--threshold", "0.99")["threshold"] == 0.99


def test_link_with_another_list(write_list: Writer) -> None:
    listed = write_list("list.csv", DEDUPE_ROWS[:2] + DEDUPE_ROWS[4:])
    other = write_list(
        "other.csv",
        [
            ("S1", "Džaferi", "Agim", "Bajram", "m", "1980-05-12", "", "Peć"),
            ("S2", "Berisha", "Drita", "Ilir", "f", "05.1975", "", "Đakovica"),
            ("S3", "Gashi", "Arta", "", "f", "1990", "", "Prizren"),
        ],
    )
    answer = link_json(str(listed), "--with", str(other))
    assert answer["mode"] == "link"
    assert answer["records"] == {"left": 5, "right": 3}
    assert pair_refs(answer) == {("D01", "S1"), ("D02", "S1"), ("D07", "S2")}
    assert answer["clusters"] == [["D01", "S1"], ["D02", "S1"], ["D07", "S2"]]
    assert answer["sources"] == {"left": "list.csv", "right": "other.csv"}


def test_only_person_ref_is_required(write_list: Writer) -> None:
    path = write_list(
        "bare.csv",
        [("B1",), ("B2", "", "", "", "", "1980"), ("B3", "Gashi")],
        header=("person_ref", "family_name", "given_name", "father_name", "sex", "birth_date"),
    )
    answer = link_json(str(path))
    assert answer["records"] == {"left": 3, "right": 3}
    assert answer["pairs"] == [] and answer["clusters"] == []


def test_only_person_ref_column_at_all(tmp_path: Path) -> None:
    path = tmp_path / "refs.csv"
    path.write_text("person_ref\nX1\nX2\n", encoding="utf-8")
    assert link_json(str(path))["pairs"] == []


def test_a_file_with_errors_is_refused_with_every_error(write_list: Writer) -> None:
    path = write_list(
        "bad.csv",
        [
            ("E1", "Gashi", "Arta", "", "q", "31.02.1980", "albanain", "Pejja"),
            ("E1", "Gashi", "Arta"),
            ("", "Gashi"),
        ],
    )
    code, out, err = run(str(path), "--format", "json")
    assert code == 2
    answer = json.loads(out)
    assert answer["valid"] is False
    errors = {(e["row"], e["column"]): e for e in answer["errors"]}
    assert errors[(2, "sex")]["value"] == "q"
    assert errors[(2, "birth_date")]["suggestions"]
    assert "albanian" in errors[(2, "community")]["suggestions"]
    assert errors[(2, "origin_municipality")]["suggestions"][0] == "Pejë/Peć"
    assert "duplicate person_ref" in errors[(3, "person_ref")]["message"]
    assert errors[(4, "person_ref")]["message"] == "a value is required"
    assert "nothing was linked" in err


def test_a_missing_person_ref_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "noref.csv"
    path.write_text("family_name,given_name\nGashi,Arta\n", encoding="utf-8")
    code, _out, err = run(str(path))
    assert code == 2 and "person_ref" in err and "required column is missing" in err


def test_errors_in_the_other_file_name_it(write_list: Writer) -> None:
    listed = write_list("list.csv", DEDUPE_ROWS)
    other = write_list("other.csv", [("S1", "Gashi", "Arta", "", "", "1980-13-01")])
    code, _out, err = run(str(listed), "--with", str(other))
    assert code == 2 and "in other.csv" in err and "birth_date" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--threshold", "1"), "between 0 and 1"),
        (("--threshold", "0"), "between 0 and 1"),
        (("--with", "missing.csv"), "no such file"),
        (("--with-register", "--with", "{list}"), "exclude each other"),
        (("--model", "missing-model.json"), "cannot read the model"),
    ],
)
def test_bad_options_exit_with_status_2(
    write_list: Writer, args: tuple[str, ...], message: str
) -> None:
    path = str(write_list("list.csv", DEDUPE_ROWS))
    code, _out, err = run(path, *(arg.replace("{list}", path) for arg in args))
    assert code == 2 and message in err


def test_csv_table_and_xlsx_forms(write_list: Writer, tmp_path: Path) -> None:
    path = str(write_list("list.csv", DEDUPE_ROWS))
    code, out, _err = run(path, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6 and rows[0]["cluster"] == "1" and rows[0]["family_name"]
    assert rows[0]["model"] == shipped_model().label
    code, out, _err = run(path, "--format", "table")
    assert code == 0 and "kosovo-synthetic" in out and "cluster 1: D01, D02, D03, D04" in out
    target = tmp_path / "pairs.xlsx"
    code, _out, _err = run(path, "--format", "xlsx", "--out", str(target))
    assert code == 0
    book = load_workbook(target)
    assert book.sheetnames == ["pairs", "clusters", "model"]
    assert book["pairs"].max_row == 7 and book["clusters"].max_row == 5
    code, _out, err = run(path, "--format", "xlsx")
    assert code == 2 and "--out" in err


def test_json_to_a_file(write_list: Writer, tmp_path: Path) -> None:
    target = tmp_path / "pairs.json"
    code, out, _err = run(
        str(write_list("list.csv", DEDUPE_ROWS)), "--format", "json", "--out", str(target)
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text("utf-8"))["mode"] == "dedupe"


def test_the_two_files_may_use_the_same_references(write_list: Writer) -> None:
    listed = write_list(
        "list.csv",
        [
            ("1", "Xhaferi", "Agim", "Bajram", "m", "12.05.1980", "", "Pejë"),
            ("2", "Berisha", "Drita", "Ilir", "f", "1975-03-01", "", "Gjakovë"),
        ],
    )
    other = write_list(
        "other.csv",
        [
            ("1", "Berisha", "Drita", "Ilir", "f", "1975", "", "Đakovica"),
            ("2", "Dschaferi", "Agim", "Bajram", "m", "1980-05-12", "", "Peć"),
        ],
    )
    answer = link_json(str(listed), "--with", str(other))
    assert pair_refs(answer) == {("1", "2"), ("2", "1")}
    evidence = {(p["left"], p["right"]): p["evidence"] for p in answer["pairs"]}
    assert evidence[("1", "2")]["family_name"] == "same after transliteration"
    assert evidence[("2", "1")]["birth_date"] == "same year, one date known only to the year"
