"""Lists people can work with (issue 10): the persons list beside the name search, the
filters people need, and every list exported as filtered, formula-safe, audited and
only to the roles that may read it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from rrms.services.core import records
from rrms.services.core.access import SYSTEM
from rrms.services.programmes.programmes import seed_programmes
from rrms.services.records.persons import PERSONS
from rrms.storage.tables import (
    Assistance,
    AuditEntry,
    ConfidentialCase,
    Programme,
    Return,
    ScreeningList,
    Training,
)
from support.pages import page_client


def _sheet(answer):
    assert answer.status_code == 200, answer.text[:500]
    book = load_workbook(io.BytesIO(answer.content))
    return book.worksheets[0]


def _csv(answer):
    assert answer.status_code == 200, answer.text[:500]
    text = answer.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def desk_data(uow, actors):
    """Six persons, arrivals from three countries and five assistance records."""
    with uow() as u:
        seed_programmes(u)
        varrp = u.session.query(Programme).filter_by(code="VARRP").one()
        people = [
            ("Krasniqi", "Arta", "f", "1980-05-15", "albanian", "Pejë"),
            ("Berisha", "Driton", "m", "1975", "albanian", "Prizren"),
            ("Jovanović", "Milica", "f", "1990-02", "serb", "Pec"),
            ("Gashi", "Besa", "f", "1962-11-30", "albanian", "Gjilan"),
            ("Hoxha", "Agim", "m", "1999-01-01", "ashkali", "Peja"),
            ("Aliu", "Fatmir", "m", "1985", "roma", "Ferizaj"),
        ]
        ids = []
        for number, (family, given, sex, born, community, place) in enumerate(people, 1):
            person = records.create_record(
                u,
                SYSTEM,
                PERSONS,
                {
                    "person_ref": f"REF-{number:03d}",
                    "family_name": family,
                    "given_name": given,
                    "sex": sex,
                    "birth_date": born,
                    "community": community,
                    "origin_municipality": place,
                },
            )
            ids.append(person.id)
        for number, (country, day) in enumerate(
            [("DE", 3), ("GB", 9), ("DE", 12), ("CH", 20), ("DE", 25)], 1
        ):
            u.session.add(
                Return(
                    movement_ref=f"MV-{number}",
                    person_id=ids[number - 1],
                    return_type="forced" if country == "DE" else "voluntary",
                    sending_country=country,
                    transport_mode="air",
                    arrival_date=dt.date(2004, 6, day),
                    destination_municipality="17",
                    programme_id=varrp.id,
                )
            )
        for number, (amount, status) in enumerate(
            [("100", "requested"), ("500", "approved"), ("300", "requested"), ("900", "paid")],
            1,
        ):
            u.session.add(
                Assistance(
                    person_id=ids[number - 1],
                    programme_id=varrp.id,
                    kind="toolkit",
                    amount=Decimal(amount),
                    currency="GBP",
                    status=status,
                    requested_on=dt.date(2004, 7, number),
                )
            )
        u.commit()
        return {"persons": ids, "programme": varrp.id}


def test_an_export_holds_exactly_the_filtered_rows_in_the_order_shown(
    session_factory, uow, desk_data
):
    worker = page_client(session_factory, "caseworker")
    listed = worker.get("/assistance?status=requested&sort=-amount&limit=25")
    assert "2 records" in listed.text
    link = re.search(r'href="(/assistance/export\.xlsx\?[^"]+)"', listed.text)
    assert link, "the list page has no export link"
    query = link.group(1).replace("&amp;", "&")
    assert "status=requested" in query and "sort=-amount" in query and "limit" not in query
    sheet = _sheet(worker.get(query))
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:4] == ["Number", "Person", "Programme", "Kind of assistance"]
    data = [dict(zip(header, row, strict=True)) for row in rows[2:]]
    assert rows[1][header.index("Programme")] == "#activity+code", "no HXL row"
    assert [r["Amount"] for r in data] == [300, 100]
    assert {r["Programme"] for r in data} == {"VARRP"}
    assert {r["Status"] for r in data} == {"requested"}
    flat = _csv(worker.get(query.replace("export.xlsx", "export.csv")))
    assert [row[flat[0].index("Amount")] for row in flat[2:]] == ["300.00", "100.00"]
    with uow() as u:
        entries = [
            (e.entity, e.username, e.after)
            for e in u.session.query(AuditEntry).filter_by(action="export").order_by(AuditEntry.id)
        ]
    assert [(entity, who) for entity, who, _ in entries] == [("assistance", "caseworker_user")] * 2
    seen = entries[0][2]
    assert seen["records"] == 2 and seen["form"] == "xlsx"
    assert seen["filters"] == {"status": "requested"}
    assert seen["order"] == ["amount", "descending"]


def test_headers_are_in_the_readers_language(session_factory, desk_data):
    worker = page_client(session_factory, "caseworker")
    worker.cookies.set("rrms_language", "sq")
    sheet = _sheet(worker.get("/arrivals/export.xlsx?sending_country=DE"))
    header = [c.value for c in next(sheet.iter_rows())]
    assert "Sending country" not in header
    assert len([row for row in sheet.iter_rows()]) == 2 + 3


def test_a_formula_like_value_is_stored_as_text(session_factory, uow, actors):
    with uow() as u:
        u.session.add(
            Training(
                topic='=HYPERLINK("http://evil","x")',
                audience="@police",
                participants=12,
                hours=Decimal("6"),
                held_on=dt.date(2004, 5, 4),
            )
        )
        u.commit()
    manager = page_client(session_factory, "programme_manager")
    sheet = _sheet(manager.get("/trainings/export.xlsx"))
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    topic = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert topic.data_type == "s" and topic.value.startswith("'=")
    flat = _csv(manager.get("/trainings/export.csv"))
    assert flat[-1][flat[0].index("Topic")].startswith("'=")
    assert flat[-1][flat[0].index("Audience")] == "'@police"


def test_an_export_is_refused_to_a_role_that_cannot_read_the_list(session_factory, desk_data):
    reporting = page_client(session_factory, "reporting")
    assert reporting.get("/assistance/export.csv").status_code == 403
    assert reporting.get("/persons/export.xlsx").status_code == 403


def test_confidential_exports_hold_only_the_users_unit(session_factory, uow, actors):
    with uow() as u:
        u.session.add_all(
            [
                ConfidentialCase(
                    unit="counter_trafficking",
                    case_type="victim_assistance",
                    opened_on=dt.date(2004, 9, 1),
                    district="Gjilan",
                ),
                ConfidentialCase(
                    unit="medical",
                    case_type="medical_escort",
                    opened_on=dt.date(2004, 9, 2),
                    district="Pejë",
                ),
            ]
        )
        u.commit()
    medical = _csv(page_client(session_factory, "medical").get("/confidential-cases/export.csv"))
    assert len(medical) == 2 and "Pejë" in medical[1] and "Gjilan" not in str(medical)
    trafficking = page_client(session_factory, "counter_trafficking")
    rows = _csv(trafficking.get("/confidential-cases/export.csv"))
    assert len(rows) == 2 and "Gjilan" in rows[1]
    worker = page_client(session_factory, "caseworker")
    assert worker.get("/confidential-cases/export.csv").status_code == 403


def test_the_persons_list_pages_sorts_and_counts(session_factory, desk_data):
    worker = page_client(session_factory, "caseworker")
    first = worker.get("/persons?limit=25")
    assert first.status_code == 200 and "6 records" in first.text
    assert 'role="search"' in first.text, "the name search is gone"
    refs = re.findall(r"<td>(REF-\d+)</td>", first.text)
    assert refs[:2] == ["REF-006", "REF-002"], "the default order is by family name"
    by_birth = worker.get("/persons?sort=-birth_date&limit=25").text
    refs = re.findall(r"<td>(REF-\d+)</td>", by_birth)
    assert refs == ["REF-005", "REF-003", "REF-006", "REF-001", "REF-002", "REF-004"]
    page = worker.get("/persons?sort=person_ref&limit=25&offset=4").text
    assert re.findall(r"<td>(REF-\d+)</td>", page) == ["REF-005", "REF-006"]
    assert 'rel="prev"' in page and 'rel="next"' not in page
    search = worker.get("/persons?q=Krasniqi")
    assert "search-results" in search.text and "Arta" in search.text


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("origin_municipality=Pec", ["REF-001", "REF-003", "REF-005"]),
        ("origin_municipality=Пећ&sex=m", ["REF-005"]),
        ("community=albanian&birth_year_from=1970&birth_year_to=1985", ["REF-001", "REF-002"]),
        ("birth_year_from=1990", ["REF-003", "REF-005"]),
        ("birth_date=15.05.1980", ["REF-001"]),
    ],
)
def test_the_persons_list_filters(session_factory, desk_data, query, refs):
    worker = page_client(session_factory, "caseworker")
    listed = worker.get(f"/persons?{query}&sort=person_ref")
    assert listed.status_code == 200, listed.text[:300]
    assert re.findall(r"<td>(REF-\d+)</td>", listed.text) == refs
    rows = _csv(worker.get(f"/persons/export.csv?{query}&sort=person_ref"))
    assert [row[1] for row in rows[1:]] == refs


def test_an_unreadable_persons_filter_is_shown_beside_its_field(session_factory, desk_data):
    worker = page_client(session_factory, "caseworker")
    wrong = worker.get("/persons?origin_municipality=Atlantis&birth_year_from=abc")
    assert wrong.status_code == 422
    assert wrong.text.count('class="field-error"') == 2
    backwards = worker.get("/persons?birth_year_from=1990&birth_year_to=1980")
    assert backwards.status_code == 422 and "before its start" in backwards.text
    bad_date = worker.get("/persons?birth_date=1980-13")
    assert bad_date.status_code == 422 and "field-error" in bad_date.text


def test_programme_and_country_filters_are_choices(session_factory, desk_data):
    worker = page_client(session_factory, "caseworker")
    page = worker.get("/arrivals").text
    assert re.search(r'<select id="q-programme_id"[^>]*>.*VARRP — ', page, re.S)
    assert re.search(r'<select id="q-sending_country"[^>]*>.*DE — Germany', page, re.S)
    germany = worker.get("/arrivals?sending_country=DE").text
    assert "3 records" in germany
    by_name = worker.get("/arrivals?sending_country=Deutschland").text
    assert "3 records" in by_name
    june = worker.get(
        f"/arrivals?from=2004-06-05&to=2004-06-20&programme_id={desk_data['programme']}"
    )
    assert "3 records" in june.text
    form = worker.get(f"/assistance/new?person_id={desk_data['persons'][0]}").text
    assert re.search(r'<select id="f-programme_id"[^>]*>.*VARRP — ', form, re.S)


def test_a_list_too_long_to_export_says_so(session_factory, desk_data, monkeypatch):
    monkeypatch.setattr(records, "MAX_EXPORT", 3)
    worker = page_client(session_factory, "caseworker")
    page = worker.get("/persons").text
    assert "Too many records to download" in page and "export.xlsx" not in page
    refused = worker.get("/persons/export.xlsx")
    assert refused.status_code == 422 and "narrow the filters" in refused.text


def test_screening_lists_page_with_the_total_and_sort_by_date(session_factory, uow, actors):
    with uow() as u:
        for number in range(1, 56):
            u.session.add(
                ScreeningList(
                    file_name=f"list-{number:02d}.csv",
                    file_sha256=f"{number:064d}",
                    policy_version="unmik-2004",
                    as_of=dt.date(2004, 1, 1) + dt.timedelta(days=number),
                    persons=number,
                    screened_by=actors["screening_officer"].user_id,
                    screened_at=dt.datetime(2004, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=number),
                )
            )
        u.commit()
    officer = page_client(session_factory, "screening_officer")
    first = officer.get("/screening/lists")
    assert "55 records" in first.text and 'rel="next"' in first.text
    assert re.findall(r"list-\d\d\.csv", first.text)[0] == "list-55.csv"
    oldest = officer.get("/screening/lists?sort=as_of").text
    assert re.findall(r"list-\d\d\.csv", oldest)[:2] == ["list-01.csv", "list-02.csv"]
    second = officer.get("/screening/lists?sort=as_of&offset=50").text
    assert re.findall(r"list-\d\d\.csv", second) == [f"list-{n}.csv" for n in range(51, 56)]
