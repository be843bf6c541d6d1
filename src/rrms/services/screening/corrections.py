"""Answers to a recorded list's open questions, correctable until the list is closed.

An officer's answer stands in for the list's cell (`mixed_marriage`, `treatment_availability`
...). A wrong one — `mixed_marriage` yes by mistake turns a whole family to `object` —
must be undone without uploading the list again, so every answer stays open to change
until the list is closed, each change audited (who, when, before and after), and the
person's family is screened again at once from the cells the list was received with plus
the current answers. Families linked by `caregiver_of` are screened with it, since clause
B3 reaches a caregiver in another family.

A member whose recommendation changes loses a decision already taken on it: it was a
decision on a recommendation that no longer stands, and the officer decides again.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from rrms.domain.messages import N_, Word
from rrms.formats.errors import InputFileError
from rrms.formats.manifest_columns import MANIFEST_COLUMNS
from rrms.policy.facts import MISSABLE_FACTS, YES_NO_FACTS
from rrms.reports.screening import ScreeningReport
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Conflict, Forbidden, Invalid, NotFound
from rrms.services.screening.decisions import ENTITY, open_list
from rrms.services.screening.screen import screen_manifest
from rrms.storage.tables import ScreeningAnswer, ScreeningDecision, ScreeningList
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["ANSWERABLE", "answer", "answers_of"]

ANSWERABLE: tuple[str, ...] = tuple(dict.fromkeys((*MISSABLE_FACTS, *YES_NO_FACTS)))
"""The columns an officer may answer: every fact a review can ask for, and the yes/no
facts (a `best_interests_separation` determination among them)."""

MAX_ANSWER = 200
"""The longest answer kept (a settlement's name is the longest kind)."""


def answers_of(
    uow: UnitOfWork, actor: Actor, decision_ids: Iterable[int]
) -> dict[int, dict[str, ScreeningAnswer]]:
    """The current answers of these persons, by decision id and fact (for the page that
    shows them with their questions)."""
    authorize(actor, ENTITY, "read")
    found: dict[int, dict[str, ScreeningAnswer]] = {}
    for row in uow.screening.answers(decision_ids):
        found.setdefault(row.decision_id, {})[row.fact] = row
    return found


def answer(
    uow: UnitOfWork, actor: Actor, decision_id: int, fact: str, value: str
) -> list[ScreeningDecision]:
    """Give, change or (with a blank `value`) withdraw an answer, and screen the
    person's family again at once; returns the family's persons as now recommended.

    Refused on a closed list (`Conflict`); an unknown fact names the field `fact`, a
    value the list's format does not accept names the field `value`. Audited with the
    answer before and after and every recommendation that changed.
    """
    authorize(actor, ENTITY, "write")
    if actor.user_id is None:
        raise Forbidden(N_("an answer is given by a signed-in screening officer"))
    if fact not in ANSWERABLE:
        raise Invalid(
            N_(
                "{fact!r} is not a question; questions: {questions}",
                fact=fact,
                questions=", ".join(ANSWERABLE),
            ),
            "fact",
        )
    value = value.strip()
    if len(value) > MAX_ANSWER:
        raise Invalid(
            N_(
                "an answer of {length} characters is longer than {max_answer}",
                length=len(value),
                max_answer=MAX_ANSWER,
            ),
            "value",
        )
    row = uow.screening.decision(decision_id)
    if row is None:
        raise NotFound(N_("no screening decision with id {decision_id}", decision_id=decision_id))
    screened = open_list(uow, row.list_id)
    if row.cells is None:
        raise Conflict(
            N_(
                "the list {file_name!r} was recorded before answers could be corrected; "
                "screen it again to correct its answers",
                file_name=screened.file_name,
            )
        )
    current = answers_of(uow, actor, [decision_id]).get(decision_id, {}).get(fact)
    before = current.value if current is not None else None
    if (before or "") == value:
        return uow.screening.families(row.list_id, [row.family_ref])
    if current is not None and value:
        current.value, current.answered_by, current.answered_at = value, actor.user_id, _now()
    elif current is not None:
        uow.screening.remove_answer(current)
    else:
        uow.screening.add(
            ScreeningAnswer(
                decision_id=decision_id,
                fact=fact,
                value=value,
                answered_by=actor.user_id,
                answered_at=_now(),
            )
        )
    uow.screening.flush()
    members, changed = _screen_again(uow, screened, row.family_ref, fact, value)
    audit.record(
        uow,
        actor,
        "answer",
        "screening_decisions",
        decision_id,
        before={"person_ref": row.person_ref, "fact": fact, "value": before},
        after={
            "person_ref": row.person_ref,
            "fact": fact,
            "value": value or None,
            "recommendations": changed,
        },
    )
    uow.commit()
    return [m for m in members if m.family_ref == row.family_ref]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _linked_families(uow: UnitOfWork, list_id: int, family_ref: str) -> list[ScreeningDecision]:
    """The family's persons and those of every family linked to it by `caregiver_of`."""
    families = {family_ref}
    while True:
        members = uow.screening.families(list_id, families)
        linked = uow.screening.caregiver_families(
            list_id,
            [m.person_ref for m in members],
            [m.caregiver_of for m in members if m.caregiver_of],
        )
        if linked <= families:
            return members
        families |= linked


def _screen_again(
    uow: UnitOfWork, screened: ScreeningList, family_ref: str, fact: str, value: str
) -> tuple[list[ScreeningDecision], dict[str, list[str]]]:
    """Screen the family (and linked ones) from their cells and current answers, and
    store the new recommendations; returns the persons and, for each one whose
    recommendation changed, [before, after]."""
    members = _linked_families(uow, screened.id, family_ref)
    ref_of = {m.id: m.person_ref for m in members}
    given = {(ref_of[a.decision_id], a.fact): a.value for a in uow.screening.answers(ref_of)}
    report = _screen(members, screened, given, fact, value)
    if report.result.policy.id != screened.policy_version:
        raise Conflict(
            N_(
                "the list was screened under policy version {policy_version}, which no "
                "longer covers {as_of}; screen the list again",
                policy_version=screened.policy_version,
                as_of=screened.as_of,
            )
        )
    position_of = {ref: i for i, ref in enumerate(report.person_refs)}
    persons = list(report.persons())
    changed: dict[str, list[str]] = {}
    for member in members:
        position = position_of[member.person_ref]
        person = persons[position]
        if person["outcome"] != member.recommendation:
            changed[member.person_ref] = [member.recommendation, person["outcome"]]
            member.decision = member.reason = None
            member.decided_by = member.decided_at = None
        member.recommendation = person["outcome"]
        member.clauses = person["clauses"]
        member.missing = person["missing"]
        member.explanation = person["explanation"]
        for name, text in report.who(position).items():
            setattr(member, name, text or None)
    uow.screening.flush()
    return members, changed


def _screen(
    members: Sequence[ScreeningDecision],
    screened: ScreeningList,
    given: dict[tuple[str, str], str],
    fact: str,
    value: str,
) -> ScreeningReport:
    with tempfile.TemporaryDirectory(prefix="rrms-rescreen-") as folder:
        path = Path(folder) / "family.csv"
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(MANIFEST_COLUMNS)
            for member in members:
                cells = member.cells or {}
                writer.writerow([cells.get(column, "") for column in MANIFEST_COLUMNS])
        try:
            return screen_manifest(path, screened.as_of, answers=given)
        except InputFileError as exc:
            problem = exc.errors[0] if exc.errors else None
            message = problem.message if problem else N_("not accepted")
            if problem and problem.suggestions:
                refusal = N_(
                    "{value!r} is not an answer to {fact}: {problem}; did you mean: {suggestions}?",
                    value=value,
                    fact=Word(fact),
                    problem=message,
                    suggestions=", ".join(problem.suggestions),
                )
            else:
                refusal = N_(
                    "{value!r} is not an answer to {fact}: {problem}",
                    value=value,
                    fact=Word(fact),
                    problem=message,
                )
            raise Invalid(refusal, "value") from exc
