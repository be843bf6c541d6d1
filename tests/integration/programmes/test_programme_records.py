"""Projects, housing, RIF requests and trainings: their workflows and checks."""

import datetime as dt
from decimal import Decimal

import pytest

from rrms.services.core import records
from rrms.services.core.errors import Forbidden, Invalid
from rrms.services.programmes.housing import HOUSING
from rrms.services.programmes.information_requests import INFORMATION_REQUESTS, turnaround_days
from rrms.services.programmes.projects import PROJECTS, jobs_created
from rrms.services.programmes.trainings import TRAININGS, person_hours

D = dt.date


def create(uow, actor, kind, **values):
    with uow() as u:
        return records.create_record(u, actor, kind, values)


def change(uow, actor, kind, row, **changes):
    with uow() as u:
        return records.update_record(u, actor, kind, row.id, row.version, changes)


def refused(uow, actor, kind, field, row=None, **values):
    with uow() as u, pytest.raises(Invalid) as caught:
        if row is None:
            records.create_record(u, actor, kind, values)
        else:
            records.update_record(u, actor, kind, row.id, row.version, values)
    assert caught.value.field == field, caught.value.message
    return caught.value.message


def test_projects_move_forward_with_dates_and_count_jobs(uow, staff, programme_ids):
    manager = staff["programme_manager"]
    base = {
        "programme_id": programme_ids["SMR"],
        "name": "Bakery",
        "sector": "production",
        "scope": "individual",
        "approved_on": D(2004, 3, 1),
    }
    project = create(
        uow,
        manager,
        PROJECTS,
        **base,
        municipality="Prizreni",
        beneficiary_community="Rom",
        jobs_returnees=2,
        jobs_residents=1,
        grant_amount=Decimal("2500"),
        grant_currency="chf",
    )
    assert (project.status, project.municipality, project.beneficiary_community) == (
        "approved",
        "20",
        "roma",
    )
    assert jobs_created(project.jobs_returnees, project.jobs_residents) == 3
    assert refused(uow, manager, PROJECTS, "status", project, status="completed").startswith(
        "a project cannot go from approved to completed"
    )
    refused(uow, manager, PROJECTS, "completed_on", project, completed_on=D(2004, 5, 1))
    refused(
        uow, manager, PROJECTS, "started_on", project, status="ongoing", started_on=D(2004, 2, 1)
    )  # before the approval
    project = change(uow, manager, PROJECTS, project, status="ongoing", started_on=D(2004, 4, 1))
    project = change(uow, manager, PROJECTS, project, status="completed")
    assert (project.started_on, project.completed_on) == (D(2004, 4, 1), dt.date.today())
    refused(uow, manager, PROJECTS, "status", project, status="ongoing")
    for field, value in [
        ("jobs_residents", -1),
        ("direct_beneficiaries", True),
        ("sector", "mining"),
        ("scope", "regional"),
        ("municipality", "Atlantis"),
        ("loan_currency", "USD"),
    ]:
        refused(uow, manager, PROJECTS, field, **base | {field: value})
    refused(uow, manager, PROJECTS, "grant_currency", **base, grant_amount=Decimal("5"))
    refused(uow, manager, PROJECTS, "started_on", **base, status="ongoing")
    done = create(
        uow,
        manager,
        PROJECTS,
        **base | {"status": "completed"},
        completed_on=D(2004, 9, 30),
        loan_amount="16820",
        loan_currency="EUR",
    )
    assert (done.status, done.loan_amount) == ("completed", Decimal("16820.00"))
    with uow() as u, pytest.raises(Forbidden):
        records.create_record(u, staff["caseworker"], PROJECTS, base)


def test_houses_are_found_in_any_spelling_and_handed_over_in_order(uow, staff, programme_ids):
    manager = staff["programme_manager"]
    base = {"programme_id": programme_ids["IDP-PEJA"], "beneficiaries": 5}
    house = create(
        uow, manager, HOUSING, **base, house_ref="SIG-01", municipality="Peć", village="Siga"
    )
    assert (house.municipality, house.village, house.status) == ("17", "Sigë/Siga", "assessed")
    other = create(
        uow, manager, HOUSING, **base, house_ref="BRE-01", municipality="Peja", village="brestoviku"
    )
    assert other.village == "Brestovik"
    with uow() as u:
        found = records.list_records(
            u, manager, HOUSING, {"municipality": "17", "village": "Sigë/Siga"}
        )
        assert [h.id for h in found.items] == [house.id]
    refused(
        uow,
        manager,
        HOUSING,
        "village",
        **base,
        house_ref="X",
        municipality="Istog",
        village="Brestovik",
    )
    refused(uow, manager, HOUSING, "status", house, status="finished")
    house = change(
        uow, manager, HOUSING, house, status="under_reconstruction", started_on=D(2004, 8, 2)
    )
    house = change(uow, manager, HOUSING, house, status="finished", finished_on=D(2004, 10, 20))
    refused(
        uow,
        manager,
        HOUSING,
        "handed_over_on",
        house,
        status="handed_over",
        handed_over_on=D(2004, 10, 1),
    )
    house = change(uow, manager, HOUSING, house, status="handed_over")
    assert house.handed_over_on == dt.date.today()
    refused(uow, manager, HOUSING, "status", house, status="finished")
    with uow() as u, pytest.raises(Exception, match="conflicts"):
        records.create_record(
            u,
            manager,
            HOUSING,
            base | {"house_ref": "SIG-01", "municipality": "17", "village": "Siga"},
        )


def test_information_requests_are_answered_then_closed(uow, staff, programme_ids):
    worker = staff["caseworker"]
    rif = create(
        uow,
        worker,
        INFORMATION_REQUESTS,
        programme_id=programme_ids["AVR-VC"],
        requesting_mission="IOM Bern",
        topic="medical care",
        question="Is dialysis available in Prizren?",
        received_on=D(2004, 9, 1),
    )
    assert (rif.status, rif.topic, turnaround_days(rif.received_on, rif.answered_on)) == (
        "open",
        "medical_care",
        None,
    )
    refused(uow, worker, INFORMATION_REQUESTS, "status", rif, status="closed")
    refused(uow, worker, INFORMATION_REQUESTS, "answer", rif, status="answered")
    refused(
        uow,
        worker,
        INFORMATION_REQUESTS,
        "answered_on",
        rif,
        answer="Yes",
        answered_on=D(2004, 8, 1),
    )
    rif = change(
        uow,
        worker,
        INFORMATION_REQUESTS,
        rif,
        answer="Yes, at the regional hospital.",
        answered_on=D(2004, 9, 15),
    )
    assert rif.status == "answered"
    assert turnaround_days(rif.received_on, rif.answered_on) == 14
    rif = change(uow, worker, INFORMATION_REQUESTS, rif, status="closed")
    refused(uow, worker, INFORMATION_REQUESTS, "answer", rif, answer="changed")
    refused(
        uow,
        worker,
        INFORMATION_REQUESTS,
        "topic",
        topic="weather",
        requesting_mission="IOM Bern",
        question="?",
    )
    with uow() as u, pytest.raises(Forbidden):
        records.list_records(u, staff["reporting"], INFORMATION_REQUESTS)


def test_trainings_count_participants_and_hours_per_unit(uow, staff, programme_ids):
    trafficking = staff["counter_trafficking"]
    base = {
        "topic": "Skills Building Training for Anti-Trafficking Carers",
        "audience": "NGO carers",
        "held_on": D(2004, 10, 12),
    }
    training = create(
        uow,
        trafficking,
        TRAININGS,
        **base,
        programme_id=programme_ids["CT-SEE"],
        participants=26,
        hours=Decimal("16.5"),
        municipality="Prishtina",
    )
    assert training.municipality == "19"
    assert person_hours(training.participants, training.hours) == Decimal("429.0")
    with uow() as u:  # the unit reads what it records
        page = records.list_records(
            u, trafficking, TRAININGS, {"programme_id": training.programme_id}
        )
        assert page.total == 1
    with uow() as u, pytest.raises(Forbidden):
        records.create_record(
            u,
            trafficking,
            TRAININGS,
            base | {"programme_id": programme_ids["MH-SMT"], "participants": 1, "hours": 1},
        )
    refused(uow, trafficking, TRAININGS, "programme_id", **base, participants=1, hours=1)
    manager = staff["programme_manager"]
    refused(uow, manager, TRAININGS, "participants", **base, participants=-1, hours=1)
    refused(uow, manager, TRAININGS, "hours", **base, participants=1, hours=Decimal("1.25"))
    refused(uow, manager, TRAININGS, "hours", **base, participants=1, hours=Decimal("-1"))
    kpct = create(
        uow,
        manager,
        TRAININGS,
        **base | {"topic": "Instructor Training Course"},
        programme_id=programme_ids["KPCT"],
        participants=40,
        hours=80,
    )
    assert kpct.hours == Decimal("80.0")


def test_vocabularies_match_the_table_constraints():
    from typing import get_args

    from rrms.domain import vocabulary
    from rrms.services.programmes import assistance, housing, information_requests, projects

    assert get_args(assistance.AssistanceStatus) == vocabulary.ASSISTANCE_STATUSES
    assert get_args(projects.ProjectStatus) == vocabulary.PROJECT_STATUSES
    assert get_args(projects.ProjectScope) == vocabulary.PROJECT_SCOPES
    assert get_args(housing.HousingStatus) == vocabulary.HOUSING_STATUSES
    assert get_args(information_requests.RifStatus) == vocabulary.INFORMATION_REQUEST_STATUSES
    assert set(projects.SECTORS) == {
        s for group in projects.ECONOMIC_GROUPS.values() for s in group
    }
    for kind in (assistance.ASSISTANCE_KINDS, projects.SECTORS, information_requests.TOPICS):
        assert all(len(word) <= 60 for word in kind)
