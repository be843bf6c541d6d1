"""Who may do what: roles, the permission table, and confidential units.

Every read and write of a case passes through `authorize` in the service layer, so the
API, the web pages and the CLI cannot disagree. Confidential case types
(counter-trafficking, medical) are visible only to users of their unit — not to
administrators, not in counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from rrms.domain.messages import N_, Word
from rrms.domain.vocabulary import CONFIDENTIAL_UNITS, ROLES
from rrms.services.core.errors import Forbidden

__all__ = ["PERMISSIONS", "SYSTEM", "Actor", "allowed", "authorize"]


_ALL = frozenset(ROLES)
_CASE_READERS = frozenset({"screening_officer", "caseworker", "programme_manager", "administrator"})
_PROGRAMME_STAFF = frozenset({"caseworker", "programme_manager", "administrator"})

PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "persons": {"read": _CASE_READERS, "write": frozenset({"caseworker", "administrator"})},
    "families": {"read": _CASE_READERS, "write": frozenset({"caseworker", "administrator"})},
    "documents": {"read": _CASE_READERS, "write": frozenset({"caseworker", "administrator"})},
    "returns": {
        "read": frozenset(
            {"caseworker", "programme_manager", "administrator", "screening_officer"}
        ),
        "write": frozenset({"caseworker", "administrator"}),
    },
    "screening": {
        "read": frozenset({"screening_officer", "administrator"}),
        "write": frozenset({"screening_officer"}),
    },
    "programmes": {"read": _ALL, "write": frozenset({"programme_manager", "administrator"})},
    "assistance": {
        "read": _PROGRAMME_STAFF,
        "write": frozenset({"caseworker", "programme_manager"}),
    },
    "projects": {"read": _PROGRAMME_STAFF, "write": frozenset({"programme_manager"})},
    "housing": {"read": _PROGRAMME_STAFF, "write": frozenset({"programme_manager"})},
    "information_requests": {
        "read": _PROGRAMME_STAFF,
        "write": frozenset({"caseworker", "programme_manager"}),
    },
    "trainings": {
        # The units record their own trainings (of police, carers, doctors); a training
        # concerns its trainees, never a victim or a patient.
        "read": _PROGRAMME_STAFF | {"reporting", "counter_trafficking", "medical"},
        "write": frozenset({"programme_manager", "counter_trafficking", "medical"}),
    },
    "confidential_cases": {
        "read": frozenset(CONFIDENTIAL_UNITS),
        "write": frozenset(CONFIDENTIAL_UNITS),
    },
    "consents": {
        "read": _PROGRAMME_STAFF,
        "write": frozenset({"caseworker", "administrator"}),
    },
    "sharing": {
        # A pseudonymised export of persons' data for a partner or a researcher, and
        # the log of such exports: programme managers and administrators only.
        "read": frozenset({"programme_manager", "administrator"}),
        "write": frozenset({"programme_manager", "administrator"}),
    },
    "correction_requests": {
        "read": _CASE_READERS,
        "write": frozenset({"caseworker", "administrator"}),
    },
    "subject_access": {
        # The administrator answers a person's request for everything RRMS holds on
        # them; the confidential units answer for their own cases, which nobody else
        # can see (docs/data-protection.md).
        "read": frozenset({"administrator", *CONFIDENTIAL_UNITS}),
        "write": frozenset(),
    },
    "duplicates": {
        # The review queue of probable duplicates in the register (`rrms dedupe persons`)
        # and merging two persons into one: those who keep persons' records decide.
        "read": _PROGRAMME_STAFF,
        "write": frozenset({"caseworker", "administrator"}),
    },
    "retention": {"read": frozenset({"administrator"}), "write": frozenset({"administrator"})},
    "users": {"read": frozenset({"administrator"}), "write": frozenset({"administrator"})},
    "audit": {"read": frozenset({"administrator"}), "write": frozenset()},
    "reports": {"read": _ALL, "write": frozenset()},
}
"""entity -> action ("read" or "write") -> roles allowed. Approving or paying assistance
additionally needs the programme_manager role (see `services.assistance`)."""


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service acts."""

    user_id: int | None
    username: str
    role: str

    @property
    def unit(self) -> str | None:
        """The confidential unit this user belongs to, if any."""
        return self.role if self.role in CONFIDENTIAL_UNITS else None


SYSTEM = Actor(user_id=None, username="system", role="administrator")
"""The actor for work RRMS does itself (migrations, seeding reference programmes)."""


def allowed(actor: Actor, entity: str, action: str) -> bool:
    """Whether the actor's role may perform `action` on `entity`."""
    return actor.role in PERMISSIONS[entity][action]


def authorize(actor: Actor, entity: str, action: str) -> None:
    """Refuse with `Forbidden` unless the actor's role allows the action."""
    if not allowed(actor, entity, action):
        role, what = Word(actor.role), Word(entity, entity.replace("_", " "))
        if action == "read":
            raise Forbidden(N_("the role {role!r} may not see {entity}", role=role, entity=what))
        raise Forbidden(N_("the role {role!r} may not change {entity}", role=role, entity=what))
