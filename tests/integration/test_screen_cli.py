"""`rrms screen` end to end on real files: good lists, every kind of bad file, outputs."""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rrms.cli.main import app
from rrms.services.screening.screen import screen_manifest

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["screen", *map(str, args)])


def screen_json(path, as_of="2004-11-15"):
    result = run(path, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def errors_of(path):
    result = run(path, "--as-of", "2004-11-15", "--format", "json")
    assert result.exit_code == 2, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert "persons" not in payload
    return payload["errors"]


def write_csv(path, header, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADER = EXAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")


def row(**values):
    base = dict.fromkeys(HEADER, "")
    base.update(
        person_ref="X-1",
        family_name="Krasniqi",
        given_name="Arben",
        return_type="forced",
        sending_country="DE",
    )
    base.update(values)
    return [base[h] for h in HEADER]


def test_example_manifest_outcomes():
    payload = screen_json(EXAMPLE)
    assert payload["policy_version"] == "unmik-orc-2004-08"
    assert payload["as_of"] == "2004-11-15"
    persons = {p["person_ref"]: p for p in payload["persons"]}
    assert {k: (p["outcome"], p["clauses"]) for k, p in persons.items()} == {
        "DE-0001": ("accept", []),
        "DE-0002": ("accept", []),
        "DE-0003": ("object", ["A1"]),
        "DE-0004": ("object", ["A2"]),
        "DE-0005": ("object", ["B4"]),
        "DE-0006": ("accept", ["D"]),
    }
    assert all(p["missing"] == [] for p in persons.values())
    assert "\u201cUnaccompanied elderly persons" in persons["DE-0005"]["explanation"]
    families = {f["family_ref"]: f for f in payload["families"]}
    assert families["F1"] == {
        "family_ref": "F1",
        "outcome": "accept",
        "members": ["DE-0001", "DE-0002"],
    }
    assert payload["summary"] == {"object": 3, "accept": 3, "review": 0, "not_applicable": 0}


def test_person_without_family_ref_is_a_family_of_one(tmp_path):
    path = write_csv(tmp_path / "m.csv", HEADER, [row(community="serb")])
    payload = screen_json(path)
    assert payload["persons"][0]["family_ref"] == "X-1"
    assert payload["families"] == [{"family_ref": "X-1", "outcome": "object", "members": ["X-1"]}]


def test_not_from_kosovo_skips_municipality_check(tmp_path):
    path = write_csv(
        tmp_path / "m.csv", HEADER, [row(origin_country="AL", origin_municipality="Tirana")]
    )
    assert screen_json(path)["persons"][0]["outcome"] == "not_applicable"


def test_mitrovica_albanian_needs_the_settlement(tmp_path):
    rows = [
        row(person_ref="A", community="albanian", origin_municipality="Mitrovicë"),
        row(
            person_ref="B",
            community="albanian",
            origin_municipality="Kosovska Mitrovica",
            origin_settlement="Severna Mitrovica",
            protection_problems="no",
        ),
        row(person_ref="C", community="albanian", origin_municipality="North Mitrovica"),
    ]
    persons = {
        p["person_ref"]: p
        for p in screen_json(write_csv(tmp_path / "m.csv", HEADER, rows))["persons"]
    }
    assert persons["A"]["outcome"] == "review"
    assert "origin_settlement" in persons["A"]["missing"]
    assert persons["B"]["clauses"] == ["A2"]
    assert persons["C"]["clauses"] == ["A2"]


def test_gracanica_is_a_serb_majority_settlement_of_prishtine(tmp_path):
    rows = [
        row(community="albanian", origin_municipality="Prishtinë", origin_settlement="Graçanicë")
    ]
    assert screen_json(write_csv(tmp_path / "m.csv", HEADER, rows))["persons"][0]["clauses"] == [
        "A2"
    ]


@pytest.mark.parametrize("encoding", ["cp1250", "utf-8-sig"])
def test_legacy_and_bom_encodings_are_detected(tmp_path, encoding):
    path = write_csv(
        tmp_path / "m.csv",
        HEADER,
        [
            row(
                family_name="Đorđević",
                given_name="Čedomir",
                community="srbin",
                origin_municipality="Peć",
            )
        ],
        encoding=encoding,
        delimiter=";",
    )
    payload = screen_json(path)
    assert payload["source"]["encoding"] == encoding
    assert payload["source"]["delimiter"] == ";"
    assert payload["persons"][0]["clauses"] == ["A1"]


def test_xlsx_manifest(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["#x" for _ in HEADER])
    sheet.append(row(community="roma", birth_date="1980"))
    path = tmp_path / "m.xlsx"
    book.save(path)
    payload = screen_json(path)
    assert payload["source"]["format"] == "xlsx"
    assert payload["persons"][0]["clauses"] == ["A1"]


def test_wrong_encoding_is_an_error(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16"))
    errors = errors_of(path)
    assert errors[0]["row"] == 0
    assert "encoding" in errors[0]["message"].lower() or "utf" in errors[0]["message"].lower()


def test_wrong_delimiter_is_an_error_naming_missing_columns(tmp_path):
    path = write_csv(tmp_path / "m.csv", HEADER, [row()], delimiter="|")
    errors = errors_of(path)
    assert {e["column"] for e in errors} >= {"person_ref", "family_name", "return_type"}


def test_missing_required_column(tmp_path):
    header = [h for h in HEADER if h != "sending_country"]
    rows = [[v for h, v in zip(HEADER, row(), strict=True) if h != "sending_country"]]
    errors = errors_of(write_csv(tmp_path / "m.csv", header, rows))
    assert [(e["row"], e["column"]) for e in errors] == [(1, "sending_country")]


def test_duplicate_person_ref(tmp_path):
    errors = errors_of(write_csv(tmp_path / "m.csv", HEADER, [row(), row(), row(person_ref="X-2")]))
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [(3, "person_ref", "X-1")]
    assert "row 2" in errors[0]["message"]


def test_impossible_date(tmp_path):
    errors = errors_of(write_csv(tmp_path / "m.csv", HEADER, [row(birth_date="31.02.1980")]))
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (2, "birth_date", "31.02.1980")
    ]


def test_unknown_municipality_names_closest_matches(tmp_path):
    errors = errors_of(write_csv(tmp_path / "m.csv", HEADER, [row(origin_municipality="Pejja")]))
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (2, "origin_municipality", "Pejja")
    ]
    assert "Pej" in errors[0]["suggestions"][0]


def test_unknown_vocabulary_words_all_reported_at_once(tmp_path):
    rows = [
        row(person_ref="A", protection_problems="maybe"),
        row(person_ref="B", community="klingon", return_type="deported?"),
        row(person_ref="C", sending_country="Germani", treatment_availability="soon"),
    ]
    errors = errors_of(write_csv(tmp_path / "m.csv", HEADER, rows))
    located = {(e["row"], e["column"]) for e in errors}
    assert located == {
        (2, "protection_problems"),
        (3, "community"),
        (3, "return_type"),
        (4, "sending_country"),
        (4, "treatment_availability"),
    }
    by_column = {e["column"]: e for e in errors}
    assert (
        "DE" in " ".join(by_column["sending_country"]["suggestions"])
        or "Germany" in by_column["sending_country"]["suggestions"]
    )
    assert all(e["suggestions"] for e in errors)


def test_caregiver_of_unknown_person(tmp_path):
    errors = errors_of(write_csv(tmp_path / "m.csv", HEADER, [row(caregiver_of="X-9")]))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "caregiver_of")]


def test_check_reports_errors_and_nothing_else(tmp_path):
    path = write_csv(tmp_path / "m.csv", HEADER, [row(birth_date="1980-13")])
    result = run(path, "--check")
    assert result.exit_code == 2
    assert "birth_date" in result.stderr
    assert "outcome" not in result.stdout
    ok = run(EXAMPLE, "--check", "--format", "json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["valid"] is True


def test_date_before_first_policy_version_is_an_error():
    result = run(EXAMPLE, "--as-of", "2004-07-31", "--format", "json")
    assert result.exit_code == 2
    assert "2004-08-01" in result.stderr


def test_csv_output_never_holds_a_formula(tmp_path):
    path = write_csv(
        tmp_path / "m.csv",
        HEADER,
        [row(person_ref="=HYPERLINK(1)", family_ref="+F", community="serb")],
    )
    out = tmp_path / "out.csv"
    result = run(path, "--as-of", "2004-11-15", "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    cells = [c for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(1)" in cells


def test_html_and_table_outputs_quote_clauses(tmp_path):
    out = tmp_path / "out.html"
    assert run(EXAMPLE, "--as-of", "2004-11-15", "--format", "html", "--out", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Kosovo Serbs, Roma, Ashkaeli and Egyptians (RAE)" in html
    assert "DE-0005" in html
    table = run(EXAMPLE, "--as-of", "2004-11-15")
    assert table.exit_code == 0
    assert "DE-0003" in table.stdout and "object" in table.stdout


@pytest.mark.parametrize("code", ["en", "sq", "sr", "sr-Cyrl"])
def test_the_html_and_csv_are_written_in_the_officers_language(tmp_path, code):
    """`--language` writes the page and the CSV's titles in the officer's language; the
    JSON, the contract, and the terminal table are the same in every language."""
    from rrms.i18n import language

    said = language(code).gettext
    page, table = tmp_path / "out.html", tmp_path / "out.csv"
    for fmt, out in (("html", page), ("csv", table)):
        result = run(
            EXAMPLE, "--as-of", "2004-11-15", "--format", fmt, "--language", code, "--out", out
        )
        assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert f'lang="{code}"' in html and said("Forced-return screening") in html
    assert "Kosovo Serbs, Roma, Ashkaeli and Egyptians (RAE)" in html  # quoted as written
    header = next(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert (said("Outcome") in header) if code != "en" else ("outcome" in header)
    english = run(EXAMPLE, "--as-of", "2004-11-15", "--format", "json")
    translated = run(EXAMPLE, "--as-of", "2004-11-15", "--format", "json", "--language", code)
    assert translated.exit_code == 0 and translated.stdout == english.stdout
    table = run(EXAMPLE, "--as-of", "2004-11-15", "--language", code)  # stays English
    assert table.exit_code == 0 and table.stdout == run(EXAMPLE, "--as-of", "2004-11-15").stdout


def test_unknown_column_is_kept_as_a_warning(tmp_path):
    header = [*HEADER, "shoe_size"]
    payload = screen_json(write_csv(tmp_path / "m.csv", header, [[*row(), "42"]]))
    assert [w["column"] for w in payload["warnings"]] == ["shoe_size"]
    assert payload["warnings"][0]["message"] == "unknown column kept as extra data"


def test_unknown_columns_are_carried_into_every_output(tmp_path):
    """The manifest spec keeps unknown columns as extra data: each person's non-blank
    cells come back under "extra" in JSON, and as columns of their own in CSV and XLSX
    (never as formulas)."""
    header = [*HEADER, "Case worker", "remark"]
    rows = [
        [*row(person_ref="A"), "V. Hoxha", "=SUM(A1)"],
        [*row(person_ref="B"), "", ""],
    ]
    path = write_csv(tmp_path / "m.csv", header, rows)
    persons = {p["person_ref"]: p for p in screen_json(path)["persons"]}
    assert persons["A"]["extra"] == {"Case worker": "V. Hoxha", "remark": "=SUM(A1)"}
    assert "extra" not in persons["B"]
    out = tmp_path / "out.csv"
    assert run(path, "--as-of", "2004-11-15", "--format", "csv", "--out", out).exit_code == 0
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert table[0][-2:] == ["Case worker", "remark"]
    assert table[1][-2:] == ["V. Hoxha", "'=SUM(A1)"] and table[2][-2:] == ["", ""]
    book = io.BytesIO()  # XLSX is the web page's download; the same report writes it
    screen_manifest(path, dt.date(2004, 11, 15)).write_xlsx(book)
    book.seek(0)
    sheet = openpyxl.load_workbook(book).active
    cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert cells[0][-2:] == ["Case worker", "remark"]
    assert cells[1][-1] == "=SUM(A1)" and sheet.cell(2, len(cells[0])).data_type == "s"


def test_serbia_and_montenegro_with_a_kosovo_municipality_is_from_kosovo(tmp_path):
    rows = [
        row(
            person_ref="A",
            origin_country="Serbia and Montenegro",
            origin_municipality="Peć",
            community="serb",
        ),
        row(person_ref="B", origin_country="Serbia and Montenegro", origin_municipality="Niš"),
    ]
    persons = screen_json(write_csv(tmp_path / "m.csv", HEADER, rows))["persons"]
    assert [p["outcome"] for p in persons] == ["object", "not_applicable"]


def test_answers_replace_cells_and_change_the_outcome(tmp_path):
    import datetime as dt

    from rrms.services.screening.screen import screen_manifest

    path = write_csv(
        tmp_path / "m.csv",
        HEADER,
        [
            row(
                community="albanian",
                origin_municipality="Pejë",
                protection_problems="no",
                mixed_marriage="no",
                mixed_ethnicity="no",
                perceived_association="no",
                severe_illness="yes",
                severe_mental_illness="no",
                severe_handicap="no",
                birth_date="1980",
            )
        ],
    )
    before = next(screen_manifest(path, dt.date(2004, 11, 15)).persons())
    assert (before["outcome"], before["missing"]) == ("review", ["treatment_availability"])
    after = next(
        screen_manifest(
            path, dt.date(2004, 11, 15), answers={("X-1", "treatment_availability"): "unavailable"}
        ).persons()
    )
    assert (after["outcome"], after["clauses"]) == ("object", ["B1"])
