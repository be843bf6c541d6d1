"""Plain-words explanations of screening outcomes, quoting every clause they cite.

An explanation depends only on the outcome and the clause and fact masks, so there are
few distinct ones even on a list of a million persons: `Explainer` builds each once.
"""

from __future__ import annotations

from rrms.policy.engine import ACCEPT, FAMILY_EFFECT_OBJECT, FAMILY_EFFECT_REVIEW, OBJECT, REVIEW
from rrms.policy.facts import missing_names
from rrms.policy.versions import Clause, PolicyVersion


class Explainer:
    """Writes (and remembers) the explanation for each distinct screening result."""

    def __init__(self, policy: PolicyVersion):
        self.policy = policy
        self._cache: dict[tuple[int, int, int, int, int], str] = {}

    def clause_ids(self, mask: int) -> list[str]:
        """Decode a clause bit mask into clause ids, in the policy's order."""
        return [c.id for i, c in enumerate(self.policy.clauses) if mask >> i & 1]

    def quote(self, clause: Clause) -> str:
        """The clause in the policy's own words, with its lead-in and id."""
        lead = self.policy.lead_ins.get(clause.group or "", "")
        lead = f"{lead} " if lead else ""
        return f"clause {clause.id} ({lead}\u201c{clause.text}\u201d)"

    def _quotes(self, mask: int, exclude: tuple[str, ...] = ()) -> list[str]:
        return [
            self.quote(c)
            for i, c in enumerate(self.policy.clauses)
            if mask >> i & 1 and c.id not in exclude
        ]

    def explain(
        self, outcome: int, clauses: int, unresolved: int, missing: int, family_effect: int
    ) -> str:
        """The explanation for one person's result (cached per distinct result)."""
        key = (outcome, clauses, unresolved, missing, family_effect)
        text = self._cache.get(key)
        if text is None:
            text = self._compose(*key)
            self._cache[key] = text
        return text

    def _compose(
        self, outcome: int, clauses: int, unresolved: int, missing: int, family_effect: int
    ) -> str:
        ids = self.clause_ids(clauses)
        voluntary = "D" in ids
        version = f"(policy version {self.policy.id})"
        if outcome == OBJECT and family_effect == FAMILY_EFFECT_OBJECT:
            others = ", ".join(i for i in ids if i not in ("C", "D")) or "an A or B clause"
            text = (
                "UNMIK does not accept this forced return: another member of the family unit "
                f"cannot be returned ({others}), and {self.quote(self.policy.clause('C'))}. "
                "No best-interests determination for separation is recorded for this person. "
                "The family member's clauses: " + "; ".join(self._quotes(clauses, ("C", "D")))
            )
            if voluntary:
                text += ". The person's own return is voluntary: " + self.quote(
                    self.policy.clause("D")
                )
            return f"{text}. {version}"
        if outcome == OBJECT:
            quotes = self._quotes(clauses)
            return (
                "UNMIK does not accept this forced return: "
                + "; ".join(quotes)
                + f" applies. No further answers are needed for this outcome. {version}"
            )
        if voluntary:
            return self._voluntary(outcome, clauses, family_effect) + f" {version}"
        if outcome == REVIEW and family_effect == FAMILY_EFFECT_REVIEW:
            return (
                "Individual assessment needed: another member of the family unit is under "
                f"review, and {self.quote(self.policy.clause('C'))}. The family is not split "
                f"while one member's case is open. {version}"
            )
        if outcome == REVIEW:
            asked = missing_names(missing)
            open_clauses = "; ".join(self._quotes(unresolved))
            if asked:
                need = "these answers are needed: " + ", ".join(asked)
            else:
                need = "it depends on the outcome for the person this person cares for"
            return (
                "Individual assessment needed: no clause is known to apply, but these "
                f"clauses cannot be ruled out: {open_clauses}. To decide, {need}. {version}"
            )
        if outcome == ACCEPT:
            return (
                "No objection: every clause that could apply has been answered and none "
                f"applies. {version}"
            )
        return (
            "Screening does not apply: the person does not originate from Kosovo, and the "
            f"policy covers only returns to Kosovo. {version}"
        )

    def _voluntary(self, outcome: int, clauses: int, family_effect: int) -> str:
        d_quote = self.quote(self.policy.clause("D"))
        if outcome == ACCEPT:
            text = f"Voluntary return, no objection: {d_quote}. Informed consent is recorded."
        elif family_effect == FAMILY_EFFECT_REVIEW:
            text = (
                f"Voluntary return ({d_quote}); another member of the family unit is under "
                f"review, and {self.quote(self.policy.clause('C'))}."
            )
        else:
            text = (
                f"Voluntary return to be confirmed: {d_quote}. Informed consent (counselled, "
                "deciding freely) is not recorded: informed_consent is needed."
            )
        counselling = self._quotes(clauses, ("C", "D"))
        if counselling:
            text += (
                " For counselling, the person falls under "
                + "; ".join(counselling)
                + ", which would bar a forced return."
            )
        return text
