"""The desk of every kind of record: its fields, list, filters and status buttons.

One entry per kind; the routes are generic (`routes.py`). Who may read and write each
kind is the permission table's (`rrms.services.core.access`); the buttons' `roles`
only hide what the services would refuse anyway (a caseworker never sees "Approve").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrms.domain import messages
from rrms.domain.vocabulary import CURRENCIES, PROJECT_SCOPES
from rrms.formats.vocabulary import RELATIONSHIP, SEX
from rrms.reference.communities import communities
from rrms.services.programmes.assistance import ASSISTANCE, ASSISTANCE_KINDS, DECIDING_ROLE
from rrms.services.programmes.confidential import CASE_TYPES, CONFIDENTIAL_CASES
from rrms.services.programmes.housing import HOUSING
from rrms.services.programmes.information_requests import (
    INFORMATION_REQUESTS,
    TOPICS,
    is_overdue,
    overdue_narrowing,
    turnaround_days,
)
from rrms.services.programmes.projects import PROJECTS, SECTORS
from rrms.services.programmes.trainings import TRAININGS
from rrms.services.records.documents import DOCUMENT_KINDS, DOCUMENTS
from rrms.services.records.persons import FAMILIES, PERSONS, family_members
from rrms.services.returns.arrivals import RETURNS
from rrms.storage.unit_of_work import UnitOfWork
from rrms.web.desk.spec import N_, Computed, Desk, Field, Link, Toggle, Transition
from rrms.web.desk.values import Translate
from rrms.web.words import word_filter

_MANAGER = frozenset({DECIDING_ROLE})
_COMMUNITIES = tuple(c.code for c in communities().all)
_ALL_CASE_TYPES = tuple(t for types in CASE_TYPES.values() for t in types)


def _titled(label: str, *names: str, coded: tuple[str, ...] = ()) -> Any:
    """A heading from a record's own words ("Assistance 12: reinstallation grant"), in
    the reader's language: the label translated, and each of the `coded` fields (a
    stored code such as `reintegration_grant`) as its word, never the raw code."""

    def heading(row: Any, gettext: Translate) -> str:
        word = word_filter(gettext)
        words = [
            word(value) if name in coded else str(value)
            for name in names
            if (value := getattr(row, name, None))
        ]
        return f"{gettext(label)} {row.id}" + (f": {', '.join(words)}" if words else "")

    return heading


PERSON_DESK = Desk(
    path="/persons",
    kind=PERSONS,
    title=N_("Persons"),
    singular=N_("Person"),
    fields=(
        Field("person_ref", N_("Reference"), on_create=True),
        Field("family_name", N_("Family name"), required=True),
        Field("given_name", N_("Given name"), required=True),
        Field("father_name", N_("Father's name")),
        Field("birth_date", N_("Birth date"), hint=N_("YYYY, YYYY-MM or YYYY-MM-DD")),
        Field("sex", N_("Sex"), "choice", SEX.canonical),
        Field("community", N_("Community"), "choice", _COMMUNITIES),
        Field("origin_municipality", N_("Municipality of origin"), "municipality"),
        Field("origin_settlement", N_("Settlement of origin")),
        Field("notes", N_("Notes"), "textarea"),
        Field("birth_year", N_("Birth year"), "int", on_create=False, on_edit=False),
    ),
    columns=("person_ref", "family_name", "given_name", "birth_date", "sex", "origin_municipality"),
    filters=("community", "origin_municipality", "sex", "birth_date"),
    ranges=("birth_year",),
    sortable=("family_name", "given_name", "birth_date", "person_ref"),
    default_order=("family_name", False),
    heading=lambda row, _: f"{row.family_name} {row.given_name}",
    creatable=False,
    list_route=False,
    record_page=False,
)
"""Persons are found by search and recorded with a duplicate check (`pages/persons.py`),
whose page shows this list when no name is searched for; the desk gives them an edit
form and the list's exports."""

MEMBER_FIELDS = (
    Field(
        "person_id",
        N_("Person"),
        "person",
        required=True,
        hint=N_("the number on the person's page"),
    ),
    Field(
        "relationship",
        N_("Relationship to the head"),
        "choice",
        RELATIONSHIP.canonical,
        required=True,
    ),
)
"""The form that puts a person in a family (`rrms.services.records.persons.add_member`)."""


def _members(uow: UnitOfWork, actor: Any, row: Any) -> dict[str, Any]:
    return {"members": family_members(uow, actor, row.id), "member_fields": MEMBER_FIELDS}


FAMILY_DESK = Desk(
    path="/families",
    kind=FAMILIES,
    title=N_("Families"),
    singular=N_("Family"),
    fields=(
        Field("family_ref", N_("Family reference"), required=True),
        Field("notes", N_("Notes"), "textarea"),
    ),
    columns=("family_ref", "notes"),
    filters=("family_ref",),
    sortable=("family_ref",),
    default_order=("family_ref", False),
    heading=lambda row, _: f"{row.family_ref}",
    record_template="families/family.html",
    record_context=_members,
)
"""A family and its members; members are added and removed on its page
(`pages/families.py`) and from a member's person page."""

DOCUMENT_DESK = Desk(
    path="/documents",
    kind=DOCUMENTS,
    title=N_("Documents"),
    singular=N_("Document"),
    fields=(
        Field("person_id", N_("Person"), "person", required=True, on_edit=False),
        Field("kind", N_("Kind of document"), "choice", DOCUMENT_KINDS.canonical, required=True),
        Field("number", N_("Number")),
        Field("issued_by", N_("Issued by")),
        Field("issued_on", N_("Issued on"), "date"),
        Field("expires_on", N_("Expires on"), "date"),
    ),
    columns=("person_id", "kind", "number", "issued_on", "expires_on"),
    filters=("kind",),
    heading=_titled(N_("Document"), "kind", "number", coded=("kind",)),
    list_page=False,
    after_save=lambda row: f"/persons/{row.person_id}",
)

RETURN_DESK = Desk(
    path="/arrivals",
    kind=RETURNS,
    title=N_("Arrivals"),
    singular=N_("Arrival"),
    fields=(
        Field("movement_ref", N_("Movement reference"), on_edit=False),
        Field("person_id", N_("Person"), "person", on_edit=False),
        Field("family_ref", N_("Family reference")),
        Field(
            "return_type",
            N_("Kind of return"),
            "choice",
            ("voluntary", "forced"),
            hxl="#status+return_type",
        ),
        Field("sending_country", N_("Sending country"), "country", hxl="#country+code+asylum"),
        Field("transport_mode", N_("By"), "choice", ("air", "land"), hxl="#meta+transport"),
        Field("departure_date", N_("Departure date"), "date"),
        Field("arrival_date", N_("Arrival date"), "date", required=True),
        Field("arrival_point", N_("Arrival point")),
        Field(
            "destination_municipality",
            N_("Municipality of destination"),
            "municipality",
            hxl="#adm2+name+dest",
        ),
        Field("destination_settlement", N_("Settlement of destination")),
        Field("secondary_transport", N_("Secondary transport"), "yes_no"),
        Field("vulnerable", N_("Vulnerable"), "yes_no"),
        Field("programme_id", N_("Programme"), "programme", hxl="#activity+code"),
        Field("notes", N_("Notes"), "textarea"),
    ),
    columns=(
        "movement_ref",
        "arrival_date",
        "person_id",
        "family_ref",
        "return_type",
        "sending_country",
        "transport_mode",
        "destination_municipality",
        "programme_id",
    ),
    filters=(
        "return_type",
        "transport_mode",
        "destination_municipality",
        "sending_country",
        "programme_id",
    ),
    sortable=("arrival_date", "movement_ref", "sending_country", "family_ref"),
    date_field="arrival_date",
    default_order=("arrival_date", True),
    heading=_titled(N_("Arrival"), "movement_ref"),
    creatable=False,
    links=(Link(N_("Import a returns register"), "/returns/import", "returns"),),
)
"""The one list of arrivals (`/returns` leads here). Arrivals come in through the
returns register import, linked from the list; one arrival is corrected here."""

ASSISTANCE_DESK = Desk(
    path="/assistance",
    kind=ASSISTANCE,
    title=N_("Reintegration assistance"),
    singular=N_("Assistance"),
    fields=(
        Field("person_id", N_("Person"), "person", required=True, on_edit=False),
        Field(
            "programme_id",
            N_("Programme"),
            "programme",
            required=True,
            on_edit=False,
            hxl="#activity+code",
        ),
        Field("kind", N_("Kind of assistance"), "choice", ASSISTANCE_KINDS, required=True),
        Field(
            "amount",
            N_("Amount"),
            "amount",
            required=True,
            hint=N_("e.g. 800.00; 0 for help in kind"),
        ),
        Field("currency", N_("Currency"), "choice", CURRENCIES, required=True),
        Field("requested_on", N_("Requested on"), "date"),
        Field(
            "status",
            N_("Status"),
            "choice",
            ("requested", "approved", "paid", "refused"),
            on_create=False,
            on_edit=False,
        ),
        Field("approved_on", N_("Approved on"), "date", on_create=False, on_edit=False),
        Field("paid_on", N_("Paid on"), "date", on_create=False, on_edit=False),
        Field(
            "refusal_reason", N_("Reason for refusal"), "textarea", on_create=False, on_edit=False
        ),
    ),
    columns=("person_id", "programme_id", "kind", "amount", "currency", "status", "requested_on"),
    filters=("status", "kind", "programme_id", "person_id", "currency"),
    sortable=("requested_on", "amount", "status"),
    date_field="requested_on",
    default_order=("requested_on", True),
    transitions=(
        Transition(("requested",), "approved", N_("Approve"), roles=_MANAGER),
        Transition(("approved",), "paid", N_("Record payment"), roles=_MANAGER),
        Transition(("requested",), "refused", N_("Refuse"), asks=("refusal_reason",), danger=True),
        Transition(
            ("approved",),
            "refused",
            N_("Revoke approval"),
            roles=_MANAGER,
            asks=("refusal_reason",),
            danger=True,
        ),
    ),
    heading=_titled(N_("Assistance"), "kind", coded=("kind",)),
)

PROJECT_DESK = Desk(
    path="/projects",
    kind=PROJECTS,
    title=N_("Projects"),
    singular=N_("Project"),
    fields=(
        Field("programme_id", N_("Programme"), "programme", required=True, on_edit=False),
        Field("name", N_("Name"), required=True),
        Field("sector", N_("Sector"), "choice", SECTORS, required=True),
        Field("scope", N_("Scope"), "choice", PROJECT_SCOPES, required=True),
        Field("municipality", N_("Municipality"), "municipality"),
        Field("settlement", N_("Settlement")),
        Field(
            "beneficiary_community", N_("Community of the beneficiaries"), "choice", _COMMUNITIES
        ),
        Field("person_id", N_("Returnee (for a micro-business)"), "person"),
        Field("direct_beneficiaries", N_("Direct beneficiaries"), "int"),
        Field("indirect_beneficiaries", N_("Indirect beneficiaries"), "int"),
        Field("jobs_returnees", N_("Jobs for returnees"), "int"),
        Field("jobs_residents", N_("Jobs for residents"), "int"),
        Field("grant_amount", N_("Grant"), "amount"),
        Field("grant_currency", N_("Grant currency"), "choice", CURRENCIES),
        Field("loan_amount", N_("Loan"), "amount"),
        Field("loan_currency", N_("Loan currency"), "choice", CURRENCIES),
        Field("approved_on", N_("Approved on"), "date"),
        Field(
            "status",
            N_("Status"),
            "choice",
            ("approved", "ongoing", "completed"),
            on_create=False,
            on_edit=False,
        ),
        Field("started_on", N_("Started on"), "date", on_create=False),
        Field("completed_on", N_("Completed on"), "date", on_create=False),
    ),
    columns=("name", "programme_id", "sector", "municipality", "status", "approved_on"),
    filters=("status", "sector", "programme_id", "municipality"),
    sortable=("name", "approved_on", "status"),
    date_field="approved_on",
    default_order=("approved_on", True),
    transitions=(
        Transition(("approved",), "ongoing", N_("Start"), asks=("started_on",)),
        Transition(("ongoing",), "completed", N_("Complete"), asks=("completed_on",)),
    ),
    heading=_titled(N_("Project"), "name"),
)

HOUSING_DESK = Desk(
    path="/housing",
    kind=HOUSING,
    title=N_("Housing reconstruction"),
    singular=N_("House"),
    fields=(
        Field("programme_id", N_("Programme"), "programme", required=True, on_edit=False),
        Field("house_ref", N_("House reference"), required=True),
        Field("municipality", N_("Municipality"), "municipality", required=True),
        Field("village", N_("Village"), required=True),
        Field("beneficiaries", N_("Beneficiaries"), "int"),
        Field("head_person_id", N_("Head of household"), "person"),
        Field(
            "status",
            N_("Status"),
            "choice",
            ("assessed", "under_reconstruction", "finished", "handed_over"),
            on_create=False,
            on_edit=False,
        ),
        Field("started_on", N_("Started on"), "date", on_create=False),
        Field("finished_on", N_("Finished on"), "date", on_create=False),
        Field("handed_over_on", N_("Handed over on"), "date", on_create=False),
    ),
    columns=("house_ref", "programme_id", "municipality", "village", "status", "beneficiaries"),
    filters=("status", "programme_id", "municipality"),
    sortable=("house_ref", "status", "beneficiaries"),
    transitions=(
        Transition(
            ("assessed",), "under_reconstruction", N_("Start reconstruction"), asks=("started_on",)
        ),
        Transition(
            ("under_reconstruction",), "finished", N_("Record finished"), asks=("finished_on",)
        ),
        Transition(("finished",), "handed_over", N_("Hand over"), asks=("handed_over_on",)),
    ),
    heading=_titled(N_("House"), "house_ref", "village"),
)


def _overdue(row: Any) -> tuple[str, ...]:
    """ "overdue" on a request still open after the turnaround target."""
    return (N_("overdue"),) if is_overdue(row.status, row.received_on, dt.date.today()) else ()


def _turnaround(row: Any) -> str:
    """Days from receipt to answer, or how long an unanswered request has been open
    (a message, which the page shows in its language)."""
    took = turnaround_days(row.received_on, row.answered_on)
    if took is not None:
        return str(took)
    return messages.N_("open for {days}", days=(dt.date.today() - row.received_on).days)


INFORMATION_REQUEST_DESK = Desk(
    path="/information-requests",
    kind=INFORMATION_REQUESTS,
    title=N_("Information requests"),
    singular=N_("Information request"),
    fields=(
        Field("requesting_mission", N_("Requesting mission"), required=True),
        Field("topic", N_("Topic"), "choice", TOPICS, required=True),
        Field("question", N_("Question"), "textarea", required=True),
        Field("received_on", N_("Received on"), "date", required=True),
        Field("programme_id", N_("Programme"), "programme"),
        Field(
            "status",
            N_("Status"),
            "choice",
            ("open", "answered", "closed"),
            on_create=False,
            on_edit=False,
        ),
        Field("answer", N_("Answer"), "textarea", on_create=False),
        Field("answered_on", N_("Answered on"), "date", on_create=False),
    ),
    columns=("received_on", "requesting_mission", "topic", "status", "answered_on", "programme_id"),
    filters=("status", "topic", "programme_id"),
    toggles=(Toggle("overdue", N_("Overdue only"), overdue_narrowing),),
    flags=_overdue,
    sortable=("received_on", "status", "requesting_mission"),
    date_field="received_on",
    default_order=("received_on", False),
    transitions=(
        Transition(("open",), "answered", N_("Answer"), asks=("answer", "answered_on")),
        Transition(("answered",), "closed", N_("Close")),
    ),
    computed=(Computed(N_("Turnaround (days)"), _turnaround),),
    heading=_titled(N_("Information request"), "requesting_mission"),
)

TRAINING_DESK = Desk(
    path="/trainings",
    kind=TRAININGS,
    title=N_("Trainings"),
    singular=N_("Training"),
    fields=(
        Field("topic", N_("Topic"), required=True),
        Field("audience", N_("Audience"), required=True),
        Field("participants", N_("Participants"), "int", required=True),
        Field("hours", N_("Hours"), "amount", required=True),
        Field("held_on", N_("Held on"), "date", required=True),
        Field("municipality", N_("Municipality"), "municipality"),
        Field("programme_id", N_("Programme"), "programme"),
    ),
    columns=("held_on", "topic", "audience", "participants", "hours", "municipality"),
    filters=("programme_id", "municipality"),
    sortable=("held_on", "participants", "topic"),
    date_field="held_on",
    default_order=("held_on", True),
    heading=_titled(N_("Training"), "topic"),
)

CONFIDENTIAL_CASE_DESK = Desk(
    path="/confidential-cases",
    kind=CONFIDENTIAL_CASES,
    title=N_("Confidential cases"),
    singular=N_("Confidential case"),
    fields=(
        Field(
            "case_type",
            N_("Case type"),
            "choice",
            _ALL_CASE_TYPES,
            required=True,
            choices_by_unit=CASE_TYPES,
        ),
        Field("opened_on", N_("Opened on"), "date", required=True),
        Field("person_id", N_("Person"), "person"),
        Field("district", N_("District")),
        Field("programme_id", N_("Programme"), "programme"),
        Field("summary", N_("Summary"), "textarea"),
        Field("status", N_("Status"), "choice", ("open", "closed"), on_create=False, on_edit=False),
        Field("closed_on", N_("Closed on"), "date", on_create=False, on_edit=False),
    ),
    columns=("case_type", "opened_on", "district", "status", "closed_on"),
    filters=("status", "case_type", "programme_id"),
    sortable=("opened_on", "status", "case_type"),
    date_field="opened_on",
    default_order=("opened_on", True),
    transitions=(
        Transition(("open",), "closed", N_("Close the case"), asks=("closed_on",)),
        Transition(("closed",), "open", N_("Reopen")),
    ),
    heading=_titled(N_("Confidential case"), "case_type", coded=("case_type",)),
)

DESKS: tuple[Desk, ...] = (
    PERSON_DESK,
    FAMILY_DESK,
    DOCUMENT_DESK,
    RETURN_DESK,
    ASSISTANCE_DESK,
    PROJECT_DESK,
    HOUSING_DESK,
    INFORMATION_REQUEST_DESK,
    TRAINING_DESK,
    CONFIDENTIAL_CASE_DESK,
)
"""Every desk, in the order of the main menu."""
