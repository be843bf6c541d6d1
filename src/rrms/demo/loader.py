"""`rrms demo`: load the demo data set, so that a new user sees a full bulletin at once.

The rows come from `rrms.demo.data` (synthetic, matching the November 2004
bulletin). They are written with SQLAlchemy Core in batches rather than through the
record services one by one: 187,739 arrivals through the audited per-record path
would take minutes and fill the audit log with entries nobody made. Instead the whole
load is one transaction with one audit entry saying what was loaded, so it is all
there or not at all, and the log still tells that the demo was loaded, when, by whom.

The demo goes only into a database without arrivals: mixing invented returnees with
real ones would make every report wrong. Programmes come from the reference
programmes (`rrms.services.programmes.programmes.seed_programmes`) when that module is present;
any code the demo needs that is still missing is added by code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from rrms.demo.data import PERIOD_FROM, PERIOD_TO, DemoData, generate
from rrms.domain.vocabulary import ROLES
from rrms.reference.identity import name_keys
from rrms.reference.text import search_key
from rrms.services.accounts.users import add_user
from rrms.services.core import audit
from rrms.services.core.access import SYSTEM, Actor, authorize
from rrms.services.core.errors import Conflict
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["DemoAccounts", "DemoSummary", "add_demo_accounts", "has_arrivals", "load_demo"]

Progress = Callable[[str], None]

_UNIT_PREFIXES = {"CT": "counter_trafficking", "MH": "medical"}


@dataclass(frozen=True)
class DemoSummary:
    """What the demo load wrote, and the period its bulletin covers."""

    counts: Mapping[str, int]
    period_from: dt.date
    period_to: dt.date


def _seed_programmes(factory: sessionmaker[Session], actor: Actor) -> None:
    try:
        module = import_module("rrms.services.programmes.programmes")
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the installed version
        if exc.name != "rrms.services.programmes.programmes":
            raise
        return
    seed: Any = getattr(module, "seed_programmes", None)
    if seed is None:  # pragma: no cover
        return
    with UnitOfWork(factory) as uow:
        seed(uow, actor)
        uow.commit()


def _placeholder(code: str) -> dict[str, Any]:
    """A programme the reference data lacks, named by its code (CT-/MH- for the units)."""
    return {
        "code": code,
        "name": code,
        "donors": [],
        "objectives": "",
        "confidential_unit": _UNIT_PREFIXES.get(code.split("-")[0]),
        "version": 1,
    }


def _keys(person: Mapping[str, Any]) -> dict[str, str | None]:
    family_key, given_key = name_keys(person["family_name"], person["given_name"])
    return {"family_key": family_key, "given_key": given_key}


def _person_rows(data: DemoData) -> list[dict[str, Any]]:
    return [
        {
            **person,
            "search_key": search_key(person["family_name"], person["given_name"]),
            **_keys(person),
            "version": 1,
        }
        for person in data.persons
    ]


def _with_ids(
    rows: list[dict[str, Any]], programmes: Mapping[str, int], persons: Mapping[str, int] | None
) -> list[dict[str, Any]]:
    result = []
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("programme", "person_ref")}
        code = row.get("programme")
        values["programme_id"] = programmes[code] if code else None
        if persons is not None:
            values["person_id"] = persons[row["person_ref"]]
        values["version"] = 1
        result.append(values)
    return result


def load_demo(
    factory: sessionmaker[Session],
    actor: Actor = SYSTEM,
    seed: int = 2004,
    history_scale: float = 1.0,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write the demo data set into a migrated database that has no arrivals yet.

    Raises `Conflict` if the database already holds arrivals. One transaction, one
    audit entry (action ``create``, entity ``demo``).
    """
    authorize(actor, "returns", "write")
    authorize(actor, "programmes", "write")
    say = progress or (lambda message: None)
    if has_arrivals(factory):
        raise Conflict(
            "this database already has arrivals; load the demo into a new database "
            "(set RRMS_DATABASE_URL, e.g. sqlite:///demo.db)"
        )
    say("seeding the reference programmes")
    _seed_programmes(factory, actor)
    say("generating the demo data set")
    data = generate(seed, history_scale)
    counts = {
        "persons": len(data.persons),
        "returns": len(data.returns),
        "projects": len(data.projects),
        "housing": len(data.housing),
        "information_requests": len(data.information_requests),
        "trainings": len(data.trainings),
        "confidential_cases": len(data.confidential_cases),
    }
    with UnitOfWork(factory) as uow:
        writer = uow.demo_writer
        programmes = writer.programme_ids(data.programme_codes(), _placeholder)
        say(f"writing {len(data.persons):,} persons")
        writer.insert("persons", _person_rows(data))
        persons = writer.person_ids("DEMO-P")
        say(f"writing {len(data.returns):,} arrivals")
        writer.insert("returns", _with_ids(data.returns, programmes, persons))
        say("writing projects, houses, information requests, trainings and cases")
        for kind, rows in (
            ("projects", data.projects),
            ("housing", data.housing),
            ("information_requests", data.information_requests),
            ("trainings", data.trainings),
            ("confidential_cases", data.confidential_cases),
        ):
            writer.insert(kind, _with_ids(rows, programmes, None))
        audit.record(
            uow,
            actor,
            "create",
            "demo",
            f"seed {seed}",
            after={"seed": seed, "history_scale": history_scale, **counts},
        )
        uow.commit()
    return DemoSummary(counts=counts, period_from=PERIOD_FROM, period_to=PERIOD_TO)


DEMO_ACCOUNT_PREFIX = "demo_"
"""Demo accounts are named `demo_<role>`, one per role."""


@dataclass(frozen=True)
class DemoAccounts:
    """The demo's sign-in accounts: one username per role, one shared password."""

    usernames: Mapping[str, str]
    password: str


def add_demo_accounts(factory: sessionmaker[Session], actor: Actor = SYSTEM) -> DemoAccounts:
    """Create one account per role so a new user can see what each role sees.

    The password is random, made anew for each demo database and shown once: a demo
    left reachable on a network must not open with a password printed in the README.
    Refused (`Conflict`) if a demo account exists already.
    """
    password = secrets.token_urlsafe(12)
    usernames = {role: f"{DEMO_ACCOUNT_PREFIX}{role}" for role in ROLES}
    with UnitOfWork(factory) as uow:
        for role, username in usernames.items():
            add_user(
                uow, actor, username, password, role, full_name=f"Demo {role.replace('_', ' ')}"
            )
    return DemoAccounts(usernames=usernames, password=password)


def has_arrivals(factory: sessionmaker[Session]) -> bool:
    """Whether the database holds any arrival (the demo goes only into one without)."""
    with UnitOfWork(factory) as uow:
        return uow.demo_writer.has_arrivals()
