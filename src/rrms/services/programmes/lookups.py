"""The records a programme's record points at: its programme, its person.

A record under a programme names them by id; a missing, malformed or unknown id is
refused with `Invalid` naming the field, never left to the database's foreign key
(which would answer with a conflict that names nothing). Looked up through
`uow.programmes`.
"""

from __future__ import annotations

from typing import Any

from rrms.domain.messages import N_, Word
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import MAX_ID
from rrms.storage.tables import Person, Programme
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["require_person", "require_programme"]


def _whole_number(record_id: Any, what: str, field: str) -> int:
    """The id as given, if it is a whole number (a bool is not)."""
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        raise Invalid(N_("a {what} id is a whole number", what=what), field)
    return record_id


def require_programme(uow: UnitOfWork, programme_id: Any, field: str = "programme_id") -> Programme:
    """The programme with this id, or `Invalid` naming the field."""
    if programme_id is None:
        raise Invalid(N_("programme id is required"), field)
    wanted = _whole_number(programme_id, "programme", field)
    programme = uow.programmes.programme(wanted) if 1 <= wanted <= MAX_ID else None
    if programme is None:
        raise Invalid(N_("no programme with id {programme_id}", programme_id=programme_id), field)
    return programme


def require_person(uow: UnitOfWork, person_id: Any, field: str = "person_id") -> Person:
    """The person with this id, or `Invalid` naming the field."""
    if person_id is None:
        raise Invalid(N_("{field} is required", field=Word(field, field.replace("_", " "))), field)
    wanted = _whole_number(person_id, "person", field)
    person = uow.programmes.person(wanted) if 1 <= wanted <= MAX_ID else None
    if person is None:
        raise Invalid(N_("no person with id {person_id}", person_id=person_id), field)
    return person
