"""The controlled vocabularies of the manifest format, with the words each one accepts.

Sending states write lists in English, German, Albanian or Serbian (Latin or
Cyrillic), with or without diacritics. Each coded column therefore accepts a set of
words per canonical value; everything else is reported with the closest valid values
instead of being guessed. All accepted words live in the tables below, one per
vocabulary, so the manifest specification has a single counterpart in code.

Parsing never raises: a blank cell is `None` (unknown) and an unrecognised word is the
`INVALID` sentinel, so a reader can collect every error of a file in one pass.
"""

from __future__ import annotations

import difflib
import enum
import re
import unicodedata
from collections.abc import Mapping
from typing import Final

__all__ = [
    "INVALID",
    "RELATIONSHIP",
    "RETURN_TYPE",
    "SEX",
    "SUPPORT_AVAILABILITY",
    "TRANSPORT_MODE",
    "TREATMENT_AVAILABILITY",
    "YES_NO",
    "Invalid",
    "Vocabulary",
    "fold",
]


class Invalid(enum.Enum):
    """Type of the `INVALID` sentinel: a one-member enum, so mypy narrows `is INVALID`."""

    INVALID = "INVALID"

    def __repr__(self) -> str:
        return "INVALID"


#: Returned by `Vocabulary.parse` for a word that is not in the vocabulary.
INVALID: Final = Invalid.INVALID

_SEPARATORS = re.compile(r"[\s_\-]+")


def fold(text: str) -> str:
    """Reduce a word to the form vocabularies compare: lower case, no diacritics.

    'Femër', 'femer' and ' FEMER ' all fold to 'femer'; underscores, hyphens and runs
    of spaces become one space, so 'other_relative' equals 'Other relative'.
    Cyrillic letters are kept (lower-cased), so 'Ж' folds to 'ж'.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", bare).strip()


class Vocabulary:
    """One coded column's values: canonical values and the words accepted for each."""

    def __init__(self, name: str, words: Mapping[str, tuple[str, ...]]) -> None:
        """Build the lookup from `{canonical value: (other accepted words, ...)}`.

        The canonical value itself is always accepted. Two canonical values claiming
        the same folded word is a programming error and raises at import time.
        """
        self.name = name
        self.canonical: tuple[str, ...] = tuple(words)
        lookup: dict[str, str] = {}
        for value, synonyms in words.items():
            for word in (value, *synonyms):
                key = fold(word)
                if lookup.setdefault(key, value) != value:
                    raise ValueError(
                        f"vocabulary {name}: {word!r} accepted for both "
                        f"{lookup[key]!r} and {value!r}"
                    )
        self._lookup = lookup

    @property
    def accepted(self) -> Mapping[str, str]:
        """Every accepted word in folded form, mapped to its canonical value."""
        return dict(self._lookup)

    def parse(self, text: str) -> str | None | Invalid:
        """Read a cell: '' means unknown (None); an accepted word gives its value.

        Anything else gives `INVALID`; ask `closest` for suggestions to report.
        """
        key = fold(text)
        if not key:
            return None
        return self._lookup.get(key, INVALID)

    def closest(self, text: str, n: int = 3) -> list[str]:
        """Suggest up to `n` canonical values for an unrecognised word, best first.

        Compares against every accepted word (so 'freiwilig' suggests 'voluntary').
        When nothing is close and the vocabulary is small, all its values are
        offered, since a person can then simply pick one.
        """
        matches = difflib.get_close_matches(fold(text), self._lookup, n=len(self._lookup))
        suggestions: list[str] = []
        for match in matches:
            value = self._lookup[match]
            if value not in suggestions:
                suggestions.append(value)
        if not suggestions and len(self.canonical) <= n:
            suggestions = list(self.canonical)
        return suggestions[:n]

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {self.canonical!r})"


# --- The vocabularies. Languages: English, German, Albanian, Serbian (Latin, Cyrillic).
# Matching folds case and diacritics, so 'ženski' also covers 'zenski', 'Femër' 'femer'.

YES_NO: Final = Vocabulary(
    "yes/no",
    {
        "yes": ("y", "1", "true", "ja", "j", "wahr", "po", "da", "да"),
        "no": ("n", "0", "false", "nein", "falsch", "jo", "ne", "не"),
    },
)

SEX: Final = Vocabulary(
    "sex",
    {
        "f": ("female", "woman", "w", "weiblich", "femër", "ž", "ženski", "ж", "женски"),
        "m": ("male", "man", "männlich", "mashkull", "muški", "м", "мушки"),
        "x": ("divers", "diverse", "other"),
    },
)

RELATIONSHIP: Final = Vocabulary(
    "relationship",
    {
        "head": ("head of family", "head of household"),
        "spouse": ("husband", "wife", "partner"),
        "child": ("son", "daughter"),
        "parent": ("father", "mother"),
        "sibling": ("brother", "sister"),
        "grandchild": ("grandson", "granddaughter"),
        "grandparent": ("grandfather", "grandmother"),
        "other_relative": ("relative",),
        "caregiver": ("carer",),
        "other": (),
    },
)

TREATMENT_AVAILABILITY: Final = Vocabulary(
    "treatment availability",
    {
        "available": (),
        "rarely": ("rare", "rarely available"),
        "unavailable": ("not available", "none"),
    },
)

SUPPORT_AVAILABILITY: Final = Vocabulary(
    "support availability",
    {
        "available": (),
        "unavailable": ("not available",),
    },
)

RETURN_TYPE: Final = Vocabulary(
    "return type",
    {
        "forced": (
            "forced return",
            "deportation",
            "Abschiebung",
            "zwangsweise",
            "erzwungen",
            "i detyruar",
            "detyruar",
            "prinudno",
            "prisilno",
            "принудно",
            "присилно",
        ),
        "voluntary": (
            "voluntary return",
            "freiwillig",
            "vullnetar",
            "vullnetare",
            "dobrovoljno",
            "dobrovoljni",
            "добровољно",
            "добровољни",
        ),
    },
)

TRANSPORT_MODE: Final = Vocabulary(
    "transport mode",
    {
        "air": ("plane", "flight", "charter"),
        "land": ("bus", "road"),
    },
)
