"""Persons and families: recording them, finding them in any script, spotting duplicates.

Names arrive in Albanian, Serbian Latin or Cyrillic, with or without diacritics. Each
person carries a search key (`rrms.reference.text.fold` of their names), so
"Djordjevic", "Đorđević" and "Ђорђевић" find the same person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rrms.domain.messages import N_, message_of
from rrms.domain.partial_date import PartialDate
from rrms.formats.vocabulary import INVALID, RELATIONSHIP, SEX
from rrms.reference.communities import communities
from rrms.reference.places import gazetteer
from rrms.reference.text import fold, search_key
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Invalid, NotFound
from rrms.services.core.fields import clean_text
from rrms.services.core.records import RecordKind
from rrms.storage.tables import Family, FamilyMember, Person
from rrms.storage.unit_of_work import UnitOfWork

NAME_FIELDS = ("family_name", "given_name", "father_name")


def normalise_person(values: dict[str, Any], current: Person | None = None) -> None:
    """Check and normalise a person's fields in place; `Invalid` names the bad field."""
    for name in ("family_name", "given_name"):
        if name in values and not str(values[name] or "").strip():
            raise Invalid(N_("{name} must not be blank", name=name), name)
    if values.get("birth_date"):
        try:
            date = PartialDate.parse(str(values["birth_date"]))
        except ValueError as exc:
            raise Invalid(message_of(exc), "birth_date") from exc
        values["birth_date"] = date.isoformat()
        values["birth_year"] = date.year
    elif "birth_date" in values:
        values["birth_date"] = None
        values["birth_year"] = None
    if values.get("sex"):
        sex = SEX.parse(str(values["sex"]))
        if sex is INVALID or sex is None:
            raise Invalid(
                N_(
                    "unknown sex {sex!r}; closest: {closest}",
                    sex=values["sex"],
                    closest=", ".join(SEX.closest(str(values["sex"]))),
                ),
                "sex",
            )
        values["sex"] = sex
    if values.get("community"):
        code = communities().parse(str(values["community"]))
        if code is None:
            hints = ", ".join(communities().closest(str(values["community"])))
            raise Invalid(
                N_(
                    "unknown community {community!r}; closest: {hints}",
                    community=values["community"],
                    hints=hints,
                ),
                "community",
            )
        values["community"] = code
    if values.get("origin_municipality"):
        found = gazetteer().municipality(str(values["origin_municipality"]))
        if found is None:
            hints = ", ".join(
                gazetteer().closest_municipalities(str(values["origin_municipality"]))
            )
            raise Invalid(
                N_(
                    "not a Kosovo municipality: {origin_municipality!r}; closest: {hints}",
                    origin_municipality=values["origin_municipality"],
                    hints=hints,
                ),
                "origin_municipality",
            )
        values["origin_municipality"] = found.kas_code
    if any(name in values for name in NAME_FIELDS):
        merged = {
            name: values.get(name, getattr(current, name, None) if current else None)
            for name in NAME_FIELDS
        }
        values["search_key"] = search_key(
            merged["family_name"] or "", merged["given_name"] or "", merged["father_name"]
        )


def _check_create(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> None:
    normalise_person(values)


def _check_update(uow: UnitOfWork, actor: Actor, row: Person, changes: dict[str, Any]) -> None:
    normalise_person(changes, row)


def normalise_person_filters(filters: dict[str, Any]) -> None:
    """A birth date typed as people write it (`15.05.1980`, `1980-05`) is filtered by
    its stored form; `Invalid` names the field if it is no date."""
    if filters.get("birth_date"):
        try:
            filters["birth_date"] = PartialDate.parse(str(filters["birth_date"])).isoformat()
        except ValueError as exc:
            raise Invalid(message_of(exc), "birth_date") from exc


PERSONS: RecordKind[Person] = RecordKind(
    entity="persons",
    table=Person,
    filterable=(
        "person_ref",
        "community",
        "origin_municipality",
        "birth_year",
        "birth_date",
        "sex",
    ),
    normalise_filters=normalise_person_filters,
    check_create=_check_create,
    check_update=_check_update,
    read_only_fields=(
        "id",
        "version",
        "created_at",
        "updated_at",
        "search_key",
        "family_key",
        "given_key",
        "birth_year",
    ),
)


def _check_family(uow: UnitOfWork, values: dict[str, Any], current: Family | None) -> None:
    clean_text(values, "family_ref", 80, required=current is None, nullable=False)
    clean_text(values, "notes", 20_000)
    ref = values.get("family_ref")
    if ref is not None and (current is None or ref != current.family_ref):
        taken = uow.persons.family_by_ref(ref)
        if taken is not None:
            raise Conflict(
                N_("the family reference {ref!r} is already used", ref=ref), "family_ref"
            )


FAMILIES: RecordKind[Family] = RecordKind(
    entity="families",
    table=Family,
    filterable=("family_ref",),
    check_create=lambda uow, actor, values: _check_family(uow, values, None),
    check_update=lambda uow, actor, row, changes: _check_family(uow, changes, row),
)
"""Families: a reference (unique) and notes; members are added with `add_member`."""


def _municipality_named(word: str) -> str | None:
    """The KAS code of the municipality a search word names (codes typed as digits are
    not taken as places: "17" is more likely part of a reference than Pejë)."""
    if word.isdigit() or len(word) < 3:
        return None
    found = gazetteer().municipality(word)
    return found.kas_code if found is not None else None


def search_persons(
    uow: UnitOfWork, actor: Actor, query: str, limit: int = 20, offset: int = 0
) -> list[Person]:
    """Persons matching every word of `query`, in any script or spelling.

    A word matches a person whose names contain it; a word that names a Kosovo
    municipality ("Pec", "Пећ", "Pejë") also matches everyone from there, so
    "Berisha Pec" finds the Berishas of Pejë/Peć.
    """
    authorize(actor, "persons", "read")
    words = fold(query).split()
    if not words:
        raise Invalid(N_("type at least one letter of a name"), "q")
    places = {word: _municipality_named(word) for word in words}
    names = [word for word in words if places[word] is None]
    named = {word: code for word, code in places.items() if code is not None}
    rows = uow.persons.search(names, named, limit, offset)
    audit.record(uow, actor, "search", "persons", "-", after={"ids": [p.id for p in rows]})
    uow.commit()
    return rows


def similar_persons(
    uow: UnitOfWork, actor: Actor, family_name: str, given_name: str, birth_date: str | None
) -> list[Person]:
    """Existing persons who may be the one about to be created: same birth year and
    a name that folds to the same family name and given name's first letters."""
    authorize(actor, "persons", "read")
    family_key, given_key = fold(family_name), fold(given_name)
    year = None
    if birth_date:
        try:
            year = PartialDate.parse(birth_date).year
        except ValueError as exc:
            raise Invalid(message_of(exc), "birth_date") from exc
    return uow.persons.similar(f"{family_key} {given_key[:3]}", year, limit=20)


def add_member(
    uow: UnitOfWork, actor: Actor, family_id: int, person_id: int, relationship: str
) -> FamilyMember:
    """Put a person in a family with their relationship to its head (audited)."""
    authorize(actor, "families", "write")
    value = RELATIONSHIP.parse(relationship)
    if value is INVALID or value is None:
        closest = RELATIONSHIP.closest(relationship)
        hint = f"closest: {', '.join(closest)}; " if closest else ""
        raise Invalid(
            N_(
                "unknown relationship {relationship!r}; {hint}relationships: {canonical}",
                relationship=relationship,
                hint=hint,
                canonical=", ".join(RELATIONSHIP.canonical),
            ),
            "relationship",
        )
    if uow.persons.family(family_id) is None:
        raise Invalid(N_("no family with id {family_id}", family_id=family_id), "family_id")
    if uow.persons.person(person_id) is None:
        raise Invalid(N_("no person with id {person_id}", person_id=person_id), "person_id")
    member = uow.persons.membership(family_id, person_id)
    before = {"relationship": member.relationship_to_head} if member else None
    if member is None:
        member = uow.persons.add_membership(family_id, person_id)
    member.relationship_to_head = value
    uow.persons.flush()
    audit.record(
        uow,
        actor,
        "update" if before else "create",
        "family_members",
        f"{family_id}:{person_id}",
        before=before,
        after={"relationship": value},
    )
    uow.commit()
    return member


def remove_member(uow: UnitOfWork, actor: Actor, family_id: int, person_id: int) -> None:
    """Take a person out of a family, recorded in error or gone their own way (audited
    with the relationship they had; the person and the family stay)."""
    authorize(actor, "families", "write")
    member = uow.persons.membership(family_id, person_id)
    if member is None:
        raise NotFound(
            N_(
                "person {person_id} is not a member of family {family_id}",
                person_id=person_id,
                family_id=family_id,
            )
        )
    before = {"relationship": member.relationship_to_head}
    uow.persons.remove_membership(member)
    uow.persons.flush()
    audit.record(uow, actor, "delete", "family_members", f"{family_id}:{person_id}", before=before)
    uow.commit()


@dataclass(frozen=True)
class Membership:
    """A person's place in a family, with the names needed to show it."""

    family_id: int
    family_ref: str
    person_id: int
    family_name: str
    given_name: str
    relationship: str


def families_of_person(uow: UnitOfWork, actor: Actor, person_id: int) -> list[Membership]:
    """The families a person belongs to, with their relationship in each (audited)."""
    authorize(actor, "families", "read")
    authorize(actor, "persons", "read")
    if uow.persons.person(person_id) is None:
        raise NotFound(N_("no person with id {person_id}", person_id=person_id))
    found = [Membership(*row) for row in uow.persons.memberships_of_person(person_id)]
    if found:
        audit.record(
            uow,
            actor,
            "list",
            "families",
            "-",
            after={"ids": [m.family_id for m in found], "filters": {"person_id": person_id}},
        )
        uow.commit()
    return found


def family_members(uow: UnitOfWork, actor: Actor, family_id: int) -> list[Membership]:
    """The members of a family with their relationship to its head (audited)."""
    authorize(actor, "families", "read")
    authorize(actor, "persons", "read")
    if uow.persons.family(family_id) is None:
        raise NotFound(N_("no family with id {family_id}", family_id=family_id))
    found = [Membership(*row) for row in uow.persons.memberships_of_family(family_id)]
    if found:
        audit.record(
            uow,
            actor,
            "list",
            "family_members",
            "-",
            after={
                "ids": [f"{m.family_id}:{m.person_id}" for m in found],
                "filters": {"family_id": family_id},
            },
        )
        uow.commit()
    return found
