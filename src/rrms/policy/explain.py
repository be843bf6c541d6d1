"""Plain-words explanations of screening outcomes, quoting every clause they cite.

An explanation depends only on the outcome and the clause and fact masks, so there are
few distinct ones even on a list of a million persons: `Explainer` builds each once.

Each explanation is a `Message` (rrms.domain.messages): one of the fixed English
templates below, filled with the clauses it quotes, the facts it asks for and the
policy version. Its text is the English sentence that `rrms screen`, the API and the
downloads carry; a page translates the template and keeps each quoted clause in the
policy's own words (English), with a gloss beside it. Explanations kept as text (a
screening's JSON, a recorded decision) are read back into their message by `parse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rrms.domain.messages import Message, WordList, localise
from rrms.policy.engine import ACCEPT, FAMILY_EFFECT_OBJECT, FAMILY_EFFECT_REVIEW, OBJECT, REVIEW
from rrms.policy.facts import missing_names
from rrms.policy.versions import Clause, PolicyVersion

__all__ = ["QUOTE", "TEMPLATES", "Explainer", "explanation", "parse"]


def N_(template: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark an explanation's template for extraction; pages translate it."""
    return template


QUOTE = N_("clause {id} ({lead}\u201c{text}\u201d)")
"""A clause quoted in the policy's words: `lead` is its group's lead-in and a space."""

# Every template written out whole, so that Babel extracts each one as translators
# read it.
FAMILY_OBJECT = N_(
    "UNMIK does not accept this forced return: another member of the family unit "
    "cannot be returned ({others}), and {family_clause}. No best-interests "
    "determination for separation is recorded for this person. The family member's "
    "clauses: {clauses}. (policy version {policy})"
)
FAMILY_OBJECT_VOLUNTARY = N_(
    "UNMIK does not accept this forced return: another member of the family unit "
    "cannot be returned ({others}), and {family_clause}. No best-interests "
    "determination for separation is recorded for this person. The family member's "
    "clauses: {clauses}. The person's own return is voluntary: {voluntary_clause}. "
    "(policy version {policy})"
)
OBJECT_TEMPLATE = N_(
    "UNMIK does not accept this forced return: {clauses} applies. No further answers "
    "are needed for this outcome. (policy version {policy})"
)
AN_A_OR_B_CLAUSE = Message(N_("an A or B clause"))
VOLUNTARY_ACCEPT = N_(
    "Voluntary return, no objection: {voluntary_clause}. Informed consent is recorded. "
    "(policy version {policy})"
)
VOLUNTARY_ACCEPT_COUNSELLING = N_(
    "Voluntary return, no objection: {voluntary_clause}. Informed consent is recorded. "
    "For counselling, the person falls under {clauses}, which would bar a forced "
    "return. (policy version {policy})"
)
VOLUNTARY_FAMILY = N_(
    "Voluntary return ({voluntary_clause}); another member of the family unit is under "
    "review, and {family_clause}. (policy version {policy})"
)
VOLUNTARY_FAMILY_COUNSELLING = N_(
    "Voluntary return ({voluntary_clause}); another member of the family unit is under "
    "review, and {family_clause}. For counselling, the person falls under {clauses}, "
    "which would bar a forced return. (policy version {policy})"
)
VOLUNTARY_CONFIRM = N_(
    "Voluntary return to be confirmed: {voluntary_clause}. Informed consent (counselled, "
    "deciding freely) is not recorded: informed_consent is needed. (policy version "
    "{policy})"
)
VOLUNTARY_CONFIRM_COUNSELLING = N_(
    "Voluntary return to be confirmed: {voluntary_clause}. Informed consent (counselled, "
    "deciding freely) is not recorded: informed_consent is needed. For counselling, the "
    "person falls under {clauses}, which would bar a forced return. (policy version "
    "{policy})"
)
FAMILY_REVIEW = N_(
    "Individual assessment needed: another member of the family unit is under review, "
    "and {family_clause}. The family is not split while one member's case is open. "
    "(policy version {policy})"
)
REVIEW_ASK = N_(
    "Individual assessment needed: no clause is known to apply, but these clauses cannot "
    "be ruled out: {clauses}. To decide, these answers are needed: {answers}. (policy "
    "version {policy})"
)
REVIEW_CARED_FOR = N_(
    "Individual assessment needed: no clause is known to apply, but these clauses cannot "
    "be ruled out: {clauses}. To decide, it depends on the outcome for the person this "
    "person cares for. (policy version {policy})"
)
ACCEPT_TEMPLATE = N_(
    "No objection: every clause that could apply has been answered and none applies. "
    "(policy version {policy})"
)
NOT_APPLICABLE = N_(
    "Screening does not apply: the person does not originate from Kosovo, and the policy "
    "covers only returns to Kosovo. (policy version {policy})"
)

TEMPLATES: tuple[str, ...] = (
    FAMILY_OBJECT_VOLUNTARY,
    FAMILY_OBJECT,
    OBJECT_TEMPLATE,
    VOLUNTARY_ACCEPT_COUNSELLING,
    VOLUNTARY_ACCEPT,
    VOLUNTARY_FAMILY_COUNSELLING,
    VOLUNTARY_FAMILY,
    VOLUNTARY_CONFIRM_COUNSELLING,
    VOLUNTARY_CONFIRM,
    FAMILY_REVIEW,
    REVIEW_ASK,
    REVIEW_CARED_FOR,
    ACCEPT_TEMPLATE,
    NOT_APPLICABLE,
)
"""Every explanation there is, the longer of two alike first (for `parse`)."""


class Explainer:
    """Writes (and remembers) the explanation for each distinct screening result."""

    def __init__(self, policy: PolicyVersion):
        self.policy = policy
        self._cache: dict[tuple[int, int, int, int, int], Message] = {}

    def clause_ids(self, mask: int) -> list[str]:
        """Decode a clause bit mask into clause ids, in the policy's order."""
        return [c.id for i, c in enumerate(self.policy.clauses) if mask >> i & 1]

    def quote(self, clause: Clause) -> Message:
        """The clause in the policy's own words, with its lead-in and id."""
        lead = self.policy.lead_ins.get(clause.group or "", "")
        return Message(
            QUOTE, {"id": clause.id, "lead": f"{lead} " if lead else "", "text": clause.text}
        )

    def _quotes(self, mask: int, exclude: tuple[str, ...] = ()) -> Message:
        quotes = [
            self.quote(c)
            for i, c in enumerate(self.policy.clauses)
            if mask >> i & 1 and c.id not in exclude
        ]
        return _joined(quotes)

    def explain(
        self, outcome: int, clauses: int, unresolved: int, missing: int, family_effect: int
    ) -> Message:
        """The explanation for one person's result (cached per distinct result)."""
        key = (outcome, clauses, unresolved, missing, family_effect)
        text = self._cache.get(key)
        if text is None:
            text = self._compose(*key)
            self._cache[key] = text
        return text

    def _compose(
        self, outcome: int, clauses: int, unresolved: int, missing: int, family_effect: int
    ) -> Message:
        ids = self.clause_ids(clauses)
        voluntary = "D" in ids
        params: dict[str, object] = {"policy": self.policy.id}
        params["voluntary_clause"] = self.quote(self.policy.clause("D"))
        params["family_clause"] = self.quote(self.policy.clause("C"))
        if outcome == OBJECT and family_effect == FAMILY_EFFECT_OBJECT:
            others = ", ".join(i for i in ids if i not in ("C", "D")) or AN_A_OR_B_CLAUSE
            params.update(others=others, clauses=self._quotes(clauses, ("C", "D")))
            return _made(FAMILY_OBJECT_VOLUNTARY if voluntary else FAMILY_OBJECT, params)
        if outcome == OBJECT:
            return _made(OBJECT_TEMPLATE, {**params, "clauses": self._quotes(clauses)})
        if voluntary:
            counselling = self._quotes(clauses, ("C", "D"))
            if outcome == ACCEPT:
                plain, counselled = VOLUNTARY_ACCEPT, VOLUNTARY_ACCEPT_COUNSELLING
            elif family_effect == FAMILY_EFFECT_REVIEW:
                plain, counselled = VOLUNTARY_FAMILY, VOLUNTARY_FAMILY_COUNSELLING
            else:
                plain, counselled = VOLUNTARY_CONFIRM, VOLUNTARY_CONFIRM_COUNSELLING
            if counselling:
                return _made(counselled, {**params, "clauses": counselling})
            return _made(plain, params)
        if outcome == REVIEW and family_effect == FAMILY_EFFECT_REVIEW:
            return _made(FAMILY_REVIEW, params)
        if outcome == REVIEW:
            asked = missing_names(missing)
            params["clauses"] = self._quotes(unresolved)
            if asked:
                return _made(REVIEW_ASK, {**params, "answers": WordList(asked)})
            return _made(REVIEW_CARED_FOR, params)
        if outcome == ACCEPT:
            return _made(ACCEPT_TEMPLATE, params)
        return _made(NOT_APPLICABLE, params)


def _made(template: str, params: dict[str, object]) -> Message:
    fields = set(re.findall(r"\{(\w+)\}", template))
    return Message(template, {k: v for k, v in params.items() if k in fields})


def _joined(quotes: list[Message]) -> Message:
    """Quotes joined by '; ' as one parameter, each still a message of its own."""
    names = [f"q{i}" for i in range(len(quotes))]
    return Message("; ".join("{" + n + "}" for n in names), dict(zip(names, quotes, strict=True)))


_QUOTE_PATTERN = re.compile(
    r"clause (?P<id>\S+) \((?P<lead>[^\u201c]*)\u201c(?P<text>[^\u201d]*)\u201d\)"
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    return re.compile(
        "".join(f"(?P<{p[1:-1]}>.*?)" if p.startswith("{") else re.escape(p) for p in parts)
        + r"\Z",
        re.S,
    )


_PATTERNS = tuple((template, _pattern(template)) for template in TEMPLATES)


@lru_cache(maxsize=4096)
def parse(text: str) -> Message | None:
    """The message an explanation kept as text was made from, or None if it is none.

    Screenings kept as JSON and recorded decisions hold the English text; a page reads
    it back into its template and parameters to show it in the reader's language.
    """
    for template, pattern in _PATTERNS:
        found = pattern.match(text)
        if found is None:
            continue
        params: dict[str, object] = {}
        for name, value in found.groupdict().items():
            if name in ("clauses", "voluntary_clause", "family_clause"):
                quotes = [
                    Message(QUOTE, match.groupdict()) for match in _QUOTE_PATTERN.finditer(value)
                ]
                if not quotes and value:
                    break
                params[name] = _joined(quotes) if name == "clauses" or not quotes else quotes[0]
            elif name == "answers":
                params[name] = WordList(value.split(", "))
            elif name == "others" and value == AN_A_OR_B_CLAUSE:
                params[name] = AN_A_OR_B_CLAUSE
            else:
                params[name] = value
        else:
            made = Message(template, params)
            if made == text:
                return made
    return None


def explanation(text: object, gettext: Callable[[str], str], word: Callable[[object], str]) -> str:
    """A screening explanation in the reader's language (a page, a report); each quoted
    clause stays in the policy's words (English) with a translated gloss beside it in brackets.

    `gettext` is the language's, `word` shows a stored code (`rrms.domain.labels`).
    """
    if text is None:
        return ""
    made = text if isinstance(text, Message) else parse(str(text))
    if made is None:
        return str(text)

    def gloss(message: Message, translated: str) -> str:
        if message.template != QUOTE:
            return translated
        words = [message.params["lead"].strip(), message.params["text"]]
        shown = " ".join(gettext(w) for w in words if w)
        if shown == f"{message.params['lead']}{message.params['text']}":
            return translated
        return f"{translated} [{shown}]"

    return localise(made, gettext, word, gloss)
