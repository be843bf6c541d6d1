"""Pure rules of consent and pseudonymised sharing: which consent covers an export,
the keyed-hash identifier, and k-anonymity of the rows handed over.

No I/O here: the service reads the consents and persons, these functions decide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from rrms.domain.messages import N_

__all__ = [
    "K_ANONYMITY",
    "Anonymised",
    "ConsentTerms",
    "birth_band",
    "covers",
    "k_anonymise",
    "keyed_id",
    "same_recipient",
]

K_ANONYMITY: Final = 5
"""Every combination of sex, birth year and municipality in a row-level export occurs at
least this many times (the public reports hide counts of 1 to 4 for the same reason)."""

R = TypeVar("R")


def keyed_id(key: bytes, person_id: int) -> str:
    """The person's pseudonym in an export: HMAC-SHA256 of the id under the site key.

    Stable for one key (the same person has the same pseudonym in every export, so a
    partner can follow them), unlinkable without it: without the key nobody can tell
    which id a pseudonym stands for, even by trying every id.
    """
    if len(key) < 16:
        raise ValueError(N_("the sharing key must be at least 16 bytes"))
    return hmac.new(key, str(person_id).encode("ascii"), hashlib.sha256).hexdigest()


def _folded(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def same_recipient(a: str, b: str) -> bool:
    """Whether two names of a recipient are the same (case, width and spacing aside)."""
    return _folded(a) == _folded(b)


@dataclass(frozen=True)
class ConsentTerms:
    """What a consent allows, as the rule needs it."""

    purpose: str
    recipients: Sequence[str]
    given_on: dt.date
    withdrawn_on: dt.date | None


def covers(terms: ConsentTerms, purpose: str, recipient: str, on: dt.date) -> bool:
    """Whether the consent allows sharing for `purpose` with `recipient` on day `on`:
    same purpose, the recipient named, given by then and not withdrawn by then."""
    return (
        terms.purpose == purpose
        and any(same_recipient(name, recipient) for name in terms.recipients)
        and terms.given_on <= on
        and (terms.withdrawn_on is None or terms.withdrawn_on > on)
    )


def birth_band(year: int | None, width: int = 5) -> str | None:
    """A birth year generalised to its band of `width` years: 1973 -> '1970-1974'."""
    if year is None:
        return None
    start = year - year % width
    return f"{start}-{start + width - 1}"


@dataclass(frozen=True)
class Anonymised(Generic[R]):
    """The rows kept (some generalised) and how many were withheld."""

    rows: list[R]
    generalised: int
    withheld: int


def k_anonymise(
    rows: Sequence[R],
    quasi: Callable[[R], Hashable],
    generalise: Callable[[R], R],
    k: int = K_ANONYMITY,
) -> Anonymised[R]:
    """Make every combination of quasi-identifiers occur at least `k` times.

    Rows whose combination is rarer than `k` are generalised once (`generalise`, e.g.
    the birth year to a five-year band); rows still in a combination rarer than `k`
    among the generalised ones are withheld. Rows already common enough stay as they
    are. Each combination published is then shared by at least `k` rows.
    """
    counts = Counter(quasi(row) for row in rows)
    kept = [row for row in rows if counts[quasi(row)] >= k]
    rare = [generalise(row) for row in rows if counts[quasi(row)] < k]
    rare_counts = Counter(quasi(row) for row in rare)
    generalised = [row for row in rare if rare_counts[quasi(row)] >= k]
    return Anonymised(
        rows=kept + generalised,
        generalised=len(generalised),
        withheld=len(rows) - len(kept) - len(generalised),
    )
