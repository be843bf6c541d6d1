"""Single arrivals through the service layer, on both backends: checks, updates, roles."""

import datetime as dt

import pytest

from rrms.services.core import records
from rrms.services.core.access import Actor
from rrms.services.core.errors import Conflict, Forbidden, Invalid
from rrms.services.records.persons import PERSONS
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.tables import Programme

WORKER = Actor(user_id=None, username="caseworker_user", role="caseworker")


def actor(role: str) -> Actor:
    return Actor(user_id=None, username=f"{role}_user", role=role)


@pytest.fixture
def person_id(uow) -> int:
    with uow() as u:
        u.session.add_all(
            [
                Programme(code="AVR", name="Assisted Voluntary Returns"),
                Programme(code="KHRP", name="Kosovo Humanitarian Returns Programme"),
            ]
        )
        u.commit()
    with uow() as u:
        person = records.create_record(
            u, WORKER, PERSONS, {"family_name": "Krasniqi", "given_name": "Arben"}
        )
    return person.id


def arrival(owner: int, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "movement_ref": "MOV-1",
        "person_id": owner,
        "return_type": "freiwillig",
        "sending_country": "Deutschland",
        "transport_mode": "plane",
        "departure_date": dt.date(2004, 8, 2),
        "arrival_date": "03.08.2004",
        "destination_municipality": "Peja",
        "secondary_transport": "po",
    }
    values.update(changes)
    return values


def create(uow, values, who=WORKER):
    with uow() as u:
        return records.create_record(u, who, RETURNS, values)


def test_values_in_any_spelling_are_stored_as_codes(uow, person_id):
    row = create(uow, arrival(person_id))
    assert (
        row.return_type,
        row.sending_country,
        row.transport_mode,
        row.destination_municipality,
        row.arrival_date,
        row.secondary_transport,
        row.version,
    ) == ("voluntary", "DE", "air", "17", dt.date(2004, 8, 3), True, 1)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"arrival_date": "tomorrow"}, "arrival_date", "future"),
        ({"arrival_date": "2004-08-01"}, "arrival_date", "before the departure"),
        ({"arrival_date": "2004-08"}, "arrival_date", "full date"),
        ({"destination_municipality": "Pejja"}, "destination_municipality", "Pejë/Peć"),
        ({"sending_country": "Germny"}, "sending_country", "Germany"),
        ({"transport_mode": "boat"}, "transport_mode", "air, land"),
        ({"return_type": "maybe"}, "return_type", "forced or voluntary"),
        ({"programme_id": 999}, "programme_id", "AVR, KHRP"),
        ({"person_id": 999}, "person_id", "no person"),
        ({"movement_ref": "  "}, "movement_ref", "blank"),
        ({"return_type": None}, "return_type", "required"),
    ],
)
def test_bad_values_name_the_field_the_value_and_the_closest(uow, person_id, changes, field, words):
    if changes.get("arrival_date") == "tomorrow":  # the day the test runs, not collection's
        changes = {"arrival_date": dt.date.today() + dt.timedelta(days=1)}
    with pytest.raises(Invalid) as caught:
        create(uow, arrival(person_id, **changes))
    assert caught.value.field == field
    assert words in caught.value.message


def test_update_checks_dates_against_the_stored_values_and_versions(uow, person_id):
    row = create(uow, arrival(person_id))
    with uow() as u, pytest.raises(Invalid) as caught:
        records.update_record(
            u, WORKER, RETURNS, row.id, 1, {"departure_date": dt.date(2004, 8, 5)}
        )
    assert caught.value.field == "departure_date"
    with uow() as u:
        changed = records.update_record(
            u, WORKER, RETURNS, row.id, 1, {"transport_mode": "bus", "sending_country": "NL"}
        )
        assert (changed.transport_mode, changed.sending_country, changed.version) == (
            "land",
            "NL",
            2,
        )
    with uow() as u, pytest.raises(Conflict):
        records.update_record(u, WORKER, RETURNS, row.id, 1, {"notes": "stale"})


def test_filters_and_roles(uow, person_id):
    create(uow, arrival(person_id))
    create(uow, arrival(person_id, movement_ref="MOV-2", sending_country="CH"))
    with uow() as u:
        page = records.list_records(
            u, actor("screening_officer"), RETURNS, {"sending_country": "CH"}
        )
        assert [r.movement_ref for r in page.items] == ["MOV-2"]
        assert page.total == 1
    for role in ("reporting", "medical", "counter_trafficking", "screening_officer"):
        with pytest.raises(Forbidden):
            create(uow, arrival(person_id, movement_ref=f"X-{role}"), actor(role))
    for role in ("reporting", "medical"):
        with uow() as u, pytest.raises(Forbidden):
            records.list_records(u, actor(role), RETURNS)
