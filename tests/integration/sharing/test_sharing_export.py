"""The pseudonymised sharing export, on both backends: only consenting persons, keyed
ids without the key in the file, birth years, no free text, k-anonymity, refusal
without consent, and every transfer in the sharing log and the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import stat
from collections import Counter

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rrms.domain.sharing import K_ANONYMITY, keyed_id
from rrms.services.core import records
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.records.consents import CONSENTS, withdraw_consent
from rrms.services.records.sharing import KEY_ENV, export_for_sharing, sharing_key
from rrms.storage.tables import AuditEntry, Person, Return, SharingLogEntry

KEY = b"a-test-sharing-key-of-32-characters!"
OTHER_KEY = b"another-sharing-key-of-32-characters"
UNIVERSITY = "University of Prishtina"
SECRET = "Talked about the brother in Mitrovica"


def _persons(uow, *specs):
    """Insert persons (sex, birth date, municipality) with names, notes and villages."""
    ids = []
    with uow() as u:
        for number, (sex, born, municipality) in enumerate(specs):
            person = Person(
                family_name=f"Familyname{number}",
                given_name=f"Givenname{number}",
                search_key=f"familyname{number} givenname{number}",
                sex=sex,
                birth_date=born,
                birth_year=int(born[:4]),
                origin_municipality=municipality,
                origin_settlement="Upper Village",
                notes=SECRET,
                version=1,
            )
            u.session.add(person)
            u.session.flush()
            u.session.add(
                Return(
                    movement_ref=f"MOV-{person.id}",
                    person_id=person.id,
                    return_type="forced",
                    sending_country="DE",
                    transport_mode="air",
                    arrival_date=dt.date(2004, 3, 1 + number % 27),
                    destination_municipality=municipality,
                    notes=SECRET,
                    version=1,
                )
            )
            ids.append(person.id)
        u.commit()
    return ids


def _consent(uow, actor, person_id, purpose="research", recipients=(UNIVERSITY,)):
    with uow() as u:
        return records.create_record(
            u,
            actor,
            CONSENTS,
            {
                "person_id": person_id,
                "purpose": purpose,
                "scope": ["demographics", "returns", "assistance"],
                "recipients": list(recipients),
                "given_on": "2004-01-10",
            },
        )


@pytest.fixture
def population(uow, actors):
    worker = actors["caseworker"]
    common = _persons(uow, *[("F", f"1970-05-0{i + 1}", "07") for i in range(6)])
    banded = _persons(uow, *[("M", f"198{i}-02-02", "13") for i in range(5)])
    lonely = _persons(uow, ("M", "1990-12-24", "27"))
    nobody = _persons(uow, *[("F", "1970-05-05", "07") for _ in range(3)])
    withdrawn = _persons(uow, ("F", "1970-06-06", "07"))
    elsewhere = _persons(uow, ("F", "1970-07-07", "07"))
    for pid in common + banded + lonely:
        _consent(uow, worker, pid, recipients=(UNIVERSITY, "IOM"))
    gone = _consent(uow, worker, withdrawn[0])
    with uow() as u:
        withdraw_consent(u, worker, gone.id, gone.version, "2004-02-01")
    _consent(uow, worker, elsewhere[0], recipients=("UNICEF",))
    _consent(uow, worker, nobody[0], purpose="reporting")
    return {
        "shared": common + banded + lonely,
        "common": common,
        "banded": banded,
        "lonely": lonely,
        "not_shared": nobody + withdrawn + elsewhere,
    }


def _export(uow, actor, key=KEY, **options):
    with uow() as u:
        return export_for_sharing(
            u,
            actor,
            options.pop("purpose", "research"),
            options.pop("recipient", UNIVERSITY),
            key=key,
            **options,
        )


def _rows(data: bytes) -> list[dict[str, str]]:
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return lines[1:]  # the HXL row


def test_only_consenting_persons_under_keyed_ids(uow, actors, population):
    shared = _export(uow, actors["programme_manager"], recipient="university of  prishtina")
    rows = _rows(shared.data)
    published = {row["person"] for row in rows}
    expected = {keyed_id(KEY, pid) for pid in population["common"] + population["banded"]}
    assert published == expected
    assert not published & {keyed_id(KEY, pid) for pid in population["not_shared"]}
    assert shared.withheld == 1 and shared.generalised == 5  # the lonely one; the band
    # stable: the same key gives the same ids next time
    again = _export(uow, actors["administrator"])
    assert {row["person"] for row in _rows(again.data)} == published
    # unlinkable without the key: another key, other ids; no key, no id in the file
    other = {row["person"] for row in _rows(_export(uow, actors["administrator"], OTHER_KEY).data)}
    assert other.isdisjoint(published) and len(other) == len(published)
    text = shared.data.decode("utf-8")
    assert KEY.decode() not in text
    assert all(len(p) == 64 and int(p, 16) >= 0 for p in published)  # no bare ids
    # rows in pseudonym order, not in the order persons were recorded
    assert [row["person"] for row in rows] == sorted(published)


def test_years_only_no_free_text_and_k_anonymity(uow, actors, population):
    shared = _export(uow, actors["programme_manager"])
    text = shared.data.decode("utf-8")
    header = text.splitlines()[0].split(",")
    assert header == [
        "person",
        "sex",
        "birth_year",
        "origin_municipality",
        "returns",
        "last_arrival_year",
        "last_return_type",
        "assistance",
        "assistance_paid",
    ]
    for forbidden in (SECRET, "Upper Village", "Familyname", "Givenname", "1970-05-0", "MOV-"):
        assert forbidden not in text
    rows = _rows(shared.data)
    assert {row["birth_year"] for row in rows} == {"1970", "1980-1984"}
    assert all(row["last_arrival_year"] == "2004" for row in rows)
    groups = Counter((row["sex"], row["birth_year"], row["origin_municipality"]) for row in rows)
    assert min(groups.values()) >= K_ANONYMITY


def test_refused_without_a_consent_for_the_purpose(uow, actors, population):
    with pytest.raises(Invalid) as caught:
        _export(uow, actors["programme_manager"], purpose="referral_to_partner")
    assert "'referral_to_partner'" in caught.value.message
    assert caught.value.field == "purpose"
    with pytest.raises(Invalid) as caught:
        _export(uow, actors["programme_manager"], recipient="Some Newspaper")
    assert "'research'" in caught.value.message
    with pytest.raises(Forbidden):
        _export(uow, actors["caseworker"])
    with pytest.raises(Forbidden):
        _export(uow, actors["reporting"])
    with uow() as u:
        assert u.session.scalars(select(SharingLogEntry)).all() == []


def test_every_transfer_is_logged_and_audited(uow, actors, population):
    manager = actors["programme_manager"]
    shared = _export(
        uow, manager, file_format="xlsx", start=dt.date(2004, 1, 1), end=dt.date(2004, 12, 31)
    )
    with uow() as u:
        entry = u.session.scalars(select(SharingLogEntry)).one()
        consents = u.session.scalars(
            select(CONSENTS.table.id).where(
                CONSENTS.table.person_id.in_(population["common"] + population["banded"])
            )
        ).all()
        audited = u.session.scalars(select(AuditEntry).where(AuditEntry.entity == "sharing")).one()
        assert (entry.purpose, entry.recipient, entry.username) == (
            "research",
            UNIVERSITY,
            manager.username,
        )
        assert entry.user_id == manager.user_id
        assert (entry.period_from, entry.period_to) == (dt.date(2004, 1, 1), dt.date(2004, 12, 31))
        assert sorted(entry.consent_ids) == sorted(consents)
        assert (entry.records, entry.withheld, entry.file_format) == (11, 1, "xlsx")
        assert entry.file_sha256 == hashlib.sha256(shared.data).hexdigest() == shared.sha256
        assert (audited.action, audited.entity_id) == ("share", str(entry.id))
        assert audited.after["file_sha256"] == shared.sha256
        assert audited.after["consent_ids"] == entry.consent_ids
    workbook = load_workbook(io.BytesIO(shared.data))
    assert workbook.sheetnames == ["persons", "summary"]
    summary = {row[0]: row[1] for row in workbook["summary"].iter_rows(min_row=3, values_only=True)}
    assert summary == {"07": 6, "13": 5}
    assert len(list(workbook["persons"].iter_rows(min_row=3))) == 11


def test_a_period_keeps_only_persons_returning_in_it(uow, actors, population):
    with pytest.raises(Invalid):
        # nobody returned in 2005: too few (none) to share
        _export(uow, actors["programme_manager"], start=dt.date(2005, 1, 1))


def test_the_site_key_file_is_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("RRMS_DATA_DIR", str(tmp_path / "data"))
    first = sharing_key()
    path = tmp_path / "data" / "sharing.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sharing_key() == first and len(first) >= 32
    monkeypatch.setenv(KEY_ENV, "x" * 40)
    assert sharing_key() == b"x" * 40
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(Invalid):
        sharing_key()


def test_the_command_line_exports_and_refuses(
    uow, actors, population, database_url, monkeypatch, tmp_path
):
    from typer.testing import CliRunner

    from rrms.cli.main import app

    monkeypatch.setenv("RRMS_DATABASE_URL", database_url)
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    runner = CliRunner()
    out = tmp_path / "share.csv"
    manager = actors["programme_manager"].username
    args = ["share", "export", "--recipient", UNIVERSITY, "--as", manager]
    result = runner.invoke(app, [*args, "--purpose", "research", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "11 persons" in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert {row["person"] for row in _rows(out.read_bytes())} == {
        keyed_id(KEY, pid) for pid in population["common"] + population["banded"]
    }
    refused = runner.invoke(
        app, [*args, "--purpose", "reporting", "--out", str(tmp_path / "no.csv")]
    )
    assert refused.exit_code == 2
    assert "'reporting'" in refused.output
    assert not (tmp_path / "no.csv").exists()
    worker = actors["caseworker"].username
    refused = runner.invoke(
        app,
        [
            "share",
            "export",
            "--recipient",
            UNIVERSITY,
            "--as",
            worker,
            "--purpose",
            "research",
            "--out",
            str(tmp_path / "no.csv"),
        ],
    )
    assert refused.exit_code == 2 and "may not" in refused.output


def test_the_api_exports_and_lists_the_log(client, auth, population, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    manager = auth("programme_manager")
    body = {"purpose": "research", "recipient": UNIVERSITY, "format": "csv"}
    answer = client.post("/sharing/exports", json=body, headers=manager)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-rrms-records"] == "11"
    assert {row["person"] for row in _rows(answer.content)} == {
        keyed_id(KEY, pid) for pid in population["common"] + population["banded"]
    }
    refused = client.post("/sharing/exports", json=body | {"purpose": "reporting"}, headers=manager)
    assert refused.status_code == 422 and "'reporting'" in refused.json()["detail"][0]["msg"]
    assert client.post("/sharing/exports", json=body, headers=auth("caseworker")).status_code == 403
    log = client.get("/sharing/log", headers=manager).json()
    assert [(e["recipient"], e["records"]) for e in log] == [(UNIVERSITY, 11)]
    assert log[0]["file_sha256"] == hashlib.sha256(answer.content).hexdigest()
