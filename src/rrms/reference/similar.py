"""Closest matches for a value that is not in the reference data.

An input error for an unknown place, community or country must name the closest
valid values (see the manifest contract), so that the officer can correct the
list. Matching is done on folded keys (:func:`rrms.reference.text.fold`), so that
a missing diacritic or a Cyrillic spelling does not count as a difference. This
is the slow path: it is only called for values that did not match exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from rrms.reference.text import fold

__all__ = ["closest", "closest_labels"]


def closest_labels(query: str, pairs: Iterable[tuple[str, str]], n: int = 3) -> list[str]:
    """Return the labels of the ``n`` spellings most similar to ``query``, best first.

    ``pairs`` holds (spelling, label) tuples: many spellings may share a label (all
    the names of one municipality share 'Pejë/Peć'), and each label is returned once,
    scored by its best spelling. Ties keep the order of ``pairs``. At least one label
    is returned whenever ``pairs`` is not empty, however poor the match, since the
    caller shows it as a suggestion, not as a correction.
    """
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(fold(query))
    best: dict[str, tuple[float, int]] = {}
    for position, (spelling, label) in enumerate(pairs):
        matcher.set_seq1(fold(spelling))
        score = matcher.ratio()
        known = best.get(label)
        if known is None:
            best[label] = (score, position)
        elif score > known[0]:
            best[label] = (score, known[1])
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [label for label, _ in ranked[: max(n, 1)]]


def closest(query: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return the ``n`` candidates most similar to ``query``, best first.

    Candidates are compared by their folded forms with difflib and returned in their
    own display form; candidates that fold alike count once, in the form seen first.
    The list is empty only when there are no candidates; otherwise it holds at least
    one (``n`` below 1 counts as 1).
    """
    first_forms: dict[str, str] = {}
    for candidate in candidates:
        first_forms.setdefault(fold(candidate), candidate)
    return closest_labels(query, ((form, form) for form in first_forms.values()), n)
