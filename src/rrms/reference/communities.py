"""The communities of Kosovo and the words that name them.

The screening clauses (A1, A2, A3b, A3d) turn on a person's community, and lists
name it in English, Albanian, Serbian or German. This module maps any accepted
word to one community code. The words live in ``data/communities.csv``; words
that could mean more than one community ('Muslim', 'Bosnian', 'RAE', 'Gypsy')
are deliberately not accepted, so that they are reported as input errors rather
than guessed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rrms.reference.similar import closest_labels
from rrms.reference.text import (
    build_index,
    fold,
    read_data_rows,
    resolve_compound,
    split_variants,
)

__all__ = ["COMMUNITY_CODES", "Communities", "Community", "communities"]

COMMUNITY_CODES: tuple[str, ...] = (
    "albanian",
    "serb",
    "roma",
    "ashkali",
    "egyptian",
    "bosniak",
    "gorani",
    "turk",
    "croat",
    "montenegrin",
    "other",
)
"""The community codes of the manifest's ``community`` column, in display order."""

_DATA_FILE = "communities.csv"
_COLUMNS = ("code", "name_en", "name_sq", "name_sr", "name_de", "variants")


@dataclass(frozen=True)
class Community:
    """One community, with its name in the languages that lists are written in."""

    code: str
    name_en: str
    name_sq: str
    name_sr: str
    name_de: str


class Communities:
    """All communities, and the lookup from any accepted word to a community code."""

    all: tuple[Community, ...]

    def __init__(self, rows: tuple[tuple[Community, tuple[str, ...]], ...]) -> None:
        """Index the communities; each comes with its extra accepted spellings."""
        self.all = tuple(community for community, _ in rows)
        codes = tuple(community.code for community in self.all)
        if codes != COMMUNITY_CODES:
            raise ValueError(f"{_DATA_FILE}: codes {codes} differ from {COMMUNITY_CODES}")
        self._by_code = {community.code: community for community in self.all}
        words: list[tuple[str, str]] = []
        for community, variants in rows:
            names = (
                community.code,
                community.name_en,
                community.name_sq,
                community.name_sr,
                community.name_de,
            )
            words.extend((word, community.code) for word in (*names, *variants))
        self._words = tuple(words)
        self._index = build_index(words, _DATA_FILE)

    @classmethod
    def load(cls) -> Communities:
        """Read the communities from the package data (use :func:`communities`)."""
        rows = tuple(
            (
                Community(
                    code=row["code"],
                    name_en=row["name_en"],
                    name_sq=row["name_sq"],
                    name_sr=row["name_sr"],
                    name_de=row["name_de"],
                ),
                tuple(split_variants(row["variants"])),
            )
            for row in read_data_rows(_DATA_FILE, _COLUMNS)
        )
        return cls(rows)

    def parse(self, word: str) -> str | None:
        """Return the community code for ``word``, or None if it is not an accepted word.

        Case, diacritics and script do not matter ('SRBIN', 'Србин', 'serbe' are all
        'serb'); a bilingual form such as 'shqiptar/Albanac' is accepted when both
        halves agree.
        """
        return resolve_compound(word, lambda part: self._index.get(fold(part)))

    def closest(self, word: str, n: int = 3) -> list[str]:
        """Return the codes of the ``n`` communities whose words are closest to ``word``.

        Used to name valid values in an input error; codes are returned because they
        are the canonical values of the ``community`` column.
        """
        return closest_labels(word, self._words, n)

    def get(self, code: str) -> Community:
        """Return the community with this code; KeyError for an unknown code."""
        return self._by_code[code]


@functools.lru_cache(maxsize=1)
def communities() -> Communities:
    """Return the communities, loaded once per process."""
    return Communities.load()
