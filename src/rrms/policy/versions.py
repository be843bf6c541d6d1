"""Dated versions of the forced-return policy, loaded from data files.

A policy version is a JSON file beside this module (or in a directory given by the
caller): its clauses with the policy's own words, the conditions under which each
objection clause applies, its parameters and its validity period. Screening picks the
version in force on its `as_of` date, so a new policy is a new file, not new code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rrms.domain.messages import N_
from rrms.policy.facts import CATEGORICAL_FACTS, YES_NO_FACTS

DERIVED_FACTS: dict[str, str] = {
    "minority_in_origin": "the person's community is a minority in their area of origin",
    "unaccompanied": "the person is the only member of their family unit on the list",
    "elderly": "the person's age on the screening date is at least `elderly_age`",
    "caregiver_of_person_under_this_clause": "the person cares for someone this clause covers",
}
"""Facts the engine derives from several columns; a version's conditions may use them."""

OBJECTION_KINDS = ("objection",)
CLAUSE_KINDS = ("preamble", "objection", "family_unity", "voluntary_return")


class PolicyError(ValueError):
    """A policy file that cannot be used, or a date no version covers."""


@dataclass(frozen=True)
class Condition:
    """One condition of a clause: a fact compared with values, or a derived fact."""

    fact: str | None = None
    derived: str | None = None
    is_value: str | None = None
    in_values: tuple[str, ...] = ()

    @property
    def asked_fact(self) -> str:
        """The manifest column an officer must fill in when this condition is unknown."""
        if self.fact is not None:
            return self.fact
        return {"elderly": "birth_date"}.get(self.derived or "", "")


@dataclass(frozen=True)
class Clause:
    """A numbered piece of the policy, quoted word for word in explanations."""

    id: str
    kind: str
    text: str
    group: str | None = None
    when: tuple[tuple[Condition, ...], ...] = ()


@dataclass(frozen=True)
class PolicyVersion:
    """One version of the policy, valid from `valid_from` up to and including `valid_to`."""

    id: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    parameters: dict[str, Any]
    clauses: tuple[Clause, ...]
    lead_ins: dict[str, str] = field(default_factory=dict)
    basis: str = ""

    @property
    def objection_clauses(self) -> tuple[Clause, ...]:
        """The clauses whose applying means UNMIK objects (A and B)."""
        return tuple(c for c in self.clauses if c.kind in OBJECTION_KINDS)

    def clause(self, clause_id: str) -> Clause:
        """The clause with this id; KeyError if the version has none."""
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(clause_id)

    def has_clause(self, clause_id: str) -> bool:
        """Whether this version contains the clause (later versions may drop some)."""
        return any(c.id == clause_id for c in self.clauses)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this version applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def elderly_age(self) -> int:
        """Age at which a person counts as elderly for clause B4."""
        return int(self.parameters["elderly_age"])

    @property
    def settlement_required_municipalities(self) -> frozenset[str]:
        """Municipality codes (KAS) where only the settlement tells the majority (Mitrovica)."""
        return frozenset(self.parameters.get("settlement_required_municipalities", ()))


def _parse_condition(raw: dict[str, Any], where: str) -> Condition:
    if "derived" in raw:
        name = raw["derived"]
        if name not in DERIVED_FACTS:
            raise PolicyError(
                f"{where}: unknown derived fact {name!r}; known: {sorted(DERIVED_FACTS)}"
            )
        return Condition(derived=name)
    fact = raw.get("fact")
    if fact in YES_NO_FACTS:
        if raw.get("is") not in ("yes", "no"):
            raise PolicyError(f'{where}: yes/no fact {fact!r} needs "is": "yes" or "no"')
        return Condition(fact=fact, is_value=raw["is"])
    if fact in CATEGORICAL_FACTS:
        values = tuple(raw.get("in", ()))
        unknown = [v for v in values if v not in CATEGORICAL_FACTS[fact].categories]
        if not values or unknown:
            raise PolicyError(
                f'{where}: fact {fact!r} needs "in" with values from '
                f"{CATEGORICAL_FACTS[fact].categories}; got {values}"
            )
        return Condition(fact=fact, in_values=values)
    raise PolicyError(f"{where}: unknown fact {fact!r}")


def _parse_clause(raw: dict[str, Any], where: str) -> Clause:
    kind = raw.get("kind")
    if kind not in CLAUSE_KINDS:
        raise PolicyError(f"{where}: clause kind {kind!r} is not one of {CLAUSE_KINDS}")
    where = f"{where} clause {raw.get('id')}"
    alternatives = tuple(
        tuple(_parse_condition(c, where) for c in chain) for chain in raw.get("when", ())
    )
    if kind in OBJECTION_KINDS and not alternatives:
        raise PolicyError(f'{where}: an objection clause needs "when" conditions')
    return Clause(
        id=str(raw["id"]),
        kind=kind,
        text=str(raw["text"]),
        group=raw.get("group"),
        when=alternatives,
    )


def parse_policy(raw: dict[str, Any], where: str = "policy") -> PolicyVersion:
    """Build a PolicyVersion from its JSON form, refusing anything the engine cannot read."""
    try:
        clauses = tuple(_parse_clause(c, where) for c in raw["clauses"])
        valid_to = raw.get("valid_to")
        version = PolicyVersion(
            id=str(raw["id"]),
            title=str(raw.get("title", raw["id"])),
            valid_from=dt.date.fromisoformat(raw["valid_from"]),
            valid_to=dt.date.fromisoformat(valid_to) if valid_to else None,
            parameters=dict(raw.get("parameters", {})),
            clauses=clauses,
            lead_ins=dict(raw.get("lead_ins", {})),
            basis=str(raw.get("basis", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PolicyError):
            raise
        raise PolicyError(f"{where}: malformed policy file ({exc})") from exc
    if "elderly_age" not in version.parameters:
        raise PolicyError(f"{where}: parameter elderly_age is missing")
    ids = [c.id for c in clauses]
    if len(ids) != len(set(ids)):
        raise PolicyError(f"{where}: duplicate clause ids in {ids}")
    return version


def load_policy_file(path: Path) -> PolicyVersion:
    """Read one policy version from a JSON file."""
    return parse_policy(json.loads(path.read_text(encoding="utf-8")), where=str(path))


class PolicyCatalogue:
    """All known policy versions, to pick the one in force on a date."""

    def __init__(self, versions: Iterable[PolicyVersion]):
        self.versions: tuple[PolicyVersion, ...] = tuple(
            sorted(versions, key=lambda v: v.valid_from)
        )
        if not self.versions:
            raise PolicyError("no policy versions loaded")

    @classmethod
    def bundled(cls, extra_files: Sequence[Path] = ()) -> PolicyCatalogue:
        """The versions shipped with RRMS, plus any extra version files."""
        folder = resources.files("rrms.policy") / "versions"
        versions = [
            parse_policy(json.loads(entry.read_text(encoding="utf-8")), where=entry.name)
            for entry in folder.iterdir()
            if entry.name.endswith(".json")
        ]
        versions += [load_policy_file(p) for p in extra_files]
        return cls(versions)

    def in_force(self, day: dt.date) -> PolicyVersion:
        """The version in force on `day`; the latest-starting one if several overlap."""
        candidates = [v for v in self.versions if v.in_force_on(day)]
        if not candidates:
            first = self.versions[0].valid_from
            if day < first:
                raise PolicyError(
                    N_(
                        "no policy version is in force on {day}: the first version starts "
                        "on {first}",
                        day=day.isoformat(),
                        first=first.isoformat(),
                    )
                )
            raise PolicyError(N_("no policy version is in force on {day}", day=day.isoformat()))
        return candidates[-1]

    def get(self, version_id: str) -> PolicyVersion:
        """The version with this id."""
        for version in self.versions:
            if version.id == version_id:
                return version
        raise PolicyError(
            f"unknown policy version {version_id!r}; known: {[v.id for v in self.versions]}"
        )


def source_text(version_id: str) -> str:
    """The full text of the policy document a bundled version was split from."""
    folder = resources.files("rrms.policy") / "versions"
    return (folder / f"{version_id}.source.txt").read_text(encoding="utf-8")
