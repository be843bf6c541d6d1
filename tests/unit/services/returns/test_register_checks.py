"""The register import's checks need no database: cells, rows against each other, and
the tuples handed to the writer are tested here on plain lists of cells."""

import datetime as dt

from rrms.services.returns.checked_rows import RETURN_ROW, writable
from rrms.services.returns.cross_checks import CrossRowHashes, name_cross_row_errors
from rrms.services.returns.row_checks import RETURN_COLUMNS, RowChecker, ValueCache
from rrms.storage.bulk_writers import PERSON_ROW

TODAY = dt.date(2004, 11, 15)
PROGRAMMES = {"AVR": 1, "KHRP": 2}
INDEX = {name: position for position, name in enumerate(RETURN_COLUMNS)}


def cells(number: int, **changes: str) -> list[str]:
    values = {
        "movement_ref": f"MOV-{number}",
        "person_ref": f"KS-{number}",
        "family_ref": "",
        "family_name": "Krasniqi",
        "given_name": f"Arben{number}",
        "father_name": "Fatmir",
        "sex": "m",
        "birth_date": "1970-05-01",
        "community": "shqiptar",
        "return_type": "freiwillig",
        "programme": "avr",
        "sending_country": "Deutschland",
        "transport_mode": "plane",
        "departure_date": "2004-08-02",
        "arrival_date": "03.08.2004",
        "arrival_point": "Pristina Airport",
        "destination_municipality": "Pejë/Peć",
        "destination_settlement": "",
        "secondary_transport": "yes",
        "vulnerable": "",
        "notes": "",
    }
    values.update(changes)
    return [values[name] for name in RETURN_COLUMNS]


def check(*rows: list[str]):
    checker = RowChecker(INDEX, PROGRAMMES, TODAY)
    errors: list = []
    chunk = checker.check([(number, row) for number, row in enumerate(rows, start=2)], errors)
    return checker, chunk, errors


def test_cells_are_normalised_to_the_stored_values():
    _, chunk, errors = check(cells(1))
    assert errors == []
    values = chunk.values
    assert (values["return_type"], values["programme"], values["sending_country"]) == (
        ["voluntary"],
        [1],
        ["DE"],
    )
    assert (values["transport_mode"], values["arrival_date"], values["departure_date"]) == (
        ["air"],
        ["2004-08-03"],
        ["2004-08-02"],
    )
    assert values["destination_municipality"] == ["17"]
    assert (values["secondary_transport"], values["vulnerable"]) == ([True], [None])
    assert (values["birth_date"], values["community"]) == ([("1970-05-01", 1970)], ["albanian"])


def test_every_bad_cell_is_reported_with_its_row_and_column():
    _, chunk, errors = check(
        cells(1, transport_mode="boat", arrival_date=""),
        cells(2, departure_date="2004-08-10", given_name=""),
        cells(3, programme="XYZ", movement_ref="M" * 81),
        cells(4, arrival_date="2004-11-16", departure_date=""),
    )
    found = {(e.row, e.column): e.message for e in errors}
    assert set(found) == {
        (2, "transport_mode"),
        (2, "arrival_date"),
        (3, "arrival_date"),
        (3, "given_name"),
        (4, "programme"),
        (4, "movement_ref"),
        (5, "arrival_date"),
    }
    assert found[2, "arrival_date"] == "a value is required"
    assert found[3, "arrival_date"] == "the arrival is before the departure (2004-08-10)"
    assert found[4, "movement_ref"] == "longer than 80 characters (81)"
    assert "AVR, KHRP" in found[4, "programme"]
    assert found[5, "arrival_date"] == "the date is in the future (today is 2004-11-15)"
    assert chunk.values["transport_mode"] == [None, "air", "air", "air"]


def test_a_missing_optional_column_is_blank():
    index = {name: i for i, name in enumerate(RETURN_COLUMNS) if name != "departure_date"}
    checker = RowChecker(index, PROGRAMMES, TODAY)
    errors: list = []
    chunk = checker.check([(2, cells(1))], errors)
    assert errors == []
    assert chunk.values["departure_date"] == [None]


def test_each_distinct_value_is_checked_once():
    seen: list[str] = []
    cache = ValueCache(lambda text: seen.append(text) or text.upper())
    assert [cache[v] for v in ("a", "b", "a", "a")] == ["A", "B", "A", "A"]
    assert seen == ["a", "b"]


def test_rows_of_one_person_must_agree_and_a_movement_ref_is_used_once():
    rows = [
        cells(1),
        cells(2, movement_ref="MOV-1"),
        cells(3, person_ref="KS-1", given_name="Arben1", sex="f"),
        cells(4, person_ref="KS-1", given_name="Arben1", sex=""),
    ]
    checker, chunk, errors = check(*rows)
    assert errors == []
    hashes = CrossRowHashes()
    hashes.add(chunk, checker)
    movements, persons = hashes.suspects()
    assert movements == {hash("MOV-1")} and persons == {hash("KS-1")}
    named = name_cross_row_errors([chunk], movements, persons)
    assert [(e.row, e.column) for e in named] == [(3, "movement_ref"), (4, "sex")]
    assert named[0].message == "duplicate movement_ref: already used on row 2"
    assert "person_ref KS-1 has sex 'm' on row 2" in named[1].message


def test_agreeing_rows_raise_no_suspicion():
    rows = [cells(1), cells(2), cells(3, person_ref="KS-1", given_name="Arben1", sex="")]
    checker, chunk, _ = check(*rows)
    hashes = CrossRowHashes()
    hashes.add(chunk, checker)
    assert hashes.suspects() == (set(), set())


def test_a_checked_chunk_becomes_one_person_per_ref_and_one_arrival_per_row():
    rows = [cells(1, father_name=""), cells(2, person_ref="KS-1", given_name="Arben1")]
    _, chunk, _ = check(*rows)
    persons, arrivals = writable(chunk)
    assert len(persons) == 1  # the rows' values merged: the later row's father_name
    derived = ("birth_year", "search_key", "family_key", "given_key")
    person = dict(zip((*PERSON_ROW, *derived), persons[0], strict=True))
    assert person["person_ref"] == "KS-1" and person["father_name"] == "Fatmir"
    assert (person["birth_date"], person["birth_year"]) == ("1970-05-01", 1970)
    assert person["search_key"].startswith("krasniqi arben1")
    assert (person["family_key"], person["given_key"]) == ("krsnc", "arbn1")
    first = dict(zip(RETURN_ROW, arrivals[0], strict=True))
    assert (first["movement_ref"], first["person_ref"], first["programme_id"]) == (
        "MOV-1",
        "KS-1",
        1,
    )
    assert [a[1] for a in arrivals] == ["KS-1", "KS-1"]
