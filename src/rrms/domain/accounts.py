"""The rules for user names and passwords: pure, so they can be tested alone.

User names are compared and stored NFKC-normalised and case-folded, and may then hold
only `a-z`, `0-9`, `.`, `_` and `-`: `DEMO_ADMINISTRATOR` is `demo_administrator`, and
a zero-width space, a Cyrillic `а` or a full-width letter cannot make a second account
that looks like the first.

Passwords follow NIST SP 800-63B: a minimum length (12), no composition rules, and a
check against the passwords attackers try first. The list below is short and kept by
hand: the base words that head the published lists of common passwords, plus words
an attacker would try on this installation. A password is refused when, folded to
lower case and stripped of its spaces and of the digits and symbols around it, it is
one of them (so `password12`, `Password!2024` and `qwerty123456` all fail), when it
is one character or a short pattern repeated or a run like `123456789012`, or when
it contains the user name.
"""

from __future__ import annotations

import re
import unicodedata

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "check_password",
    "normalise_username",
]

MIN_PASSWORD_LENGTH = 12
MAX_USERNAME_LENGTH = 80
_USERNAME = re.compile(r"[a-z0-9._-]+")
_MIN_NAME_CHECKED = 3
"""Names shorter than this are not looked for inside the password (`a` is in most)."""

COMMON_PASSWORDS: frozenset[str] = frozenset(
    [
        "password",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "pass",
        "passwd",
        "pwd",
        "secret",
        "letmein",
        "welcome",
        "qwerty",
        "qwertyuiop",
        "qwertz",
        "azerty",
        "asdf",
        "asdfgh",
        "asdfghjkl",
        "zxcvbn",
        "zxcvbnm",
        "qazwsx",
        "abc",
        "abcd",
        "abcdef",
        "abcdefg",
        "abcdefgh",
        "abc123",
        "iloveyou",
        "admin",
        "administrator",
        "root",
        "user",
        "guest",
        "login",
        "test",
        "demo",
        "default",
        "changeme",
        "monkey",
        "dragon",
        "master",
        "shadow",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "soccer",
        "hockey",
        "superman",
        "batman",
        "trustno1",
        "starwars",
        "whatever",
        "freedom",
        "hello",
        "hellothere",
        "charlie",
        "michael",
        "jennifer",
        "jordan",
        "hunter",
        "ranger",
        "buster",
        "thomas",
        "tigger",
        "robert",
        "daniel",
        "andrew",
        "harley",
        "jessica",
        "pepper",
        "ginger",
        "summer",
        "winter",
        "spring",
        "autumn",
        "flower",
        "cookie",
        "chocolate",
        "computer",
        "internet",
        "access",
        "killer",
        "mustang",
        "maggie",
        "michelle",
        "nicole",
        "ashley",
        "bailey",
        "cheese",
        "matrix",
        "samsung",
        "google",
        "facebook",
        "linkedin",
        "twitter",
        "apple",
        "orange",
        "banana",
        "secure",
        "security",
        "system",
        "server",
        "office",
        "company",
        "welcome",
        "password",
        "rrms",
        "returns",
        "iom",
        "unhcr",
        "prishtina",
        "pristina",
        "kosovo",
        "belgrade",
        "beograd",
        "tirana",
        "albania",
        "serbia",
        "correct",
        "horse",
        "battery",
        "staple",
    ]
)
"""Base words refused as passwords once digits and symbols around them are stripped."""

_STRIP = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def normalise_username(username: str) -> str:
    """The canonical form of a user name, or `RuleBroken` naming `username`."""
    folded = unicodedata.normalize("NFKC", username).casefold().strip()
    if not folded:
        raise RuleBroken(N_("a username is required"), "username")
    if len(folded) > MAX_USERNAME_LENGTH:
        raise RuleBroken(
            N_(
                "a username has at most {max_username_length} characters",
                max_username_length=MAX_USERNAME_LENGTH,
            ),
            "username",
        )
    if not _USERNAME.fullmatch(folded):
        raise RuleBroken(
            N_("a username may hold only the letters a-z, digits, '.', '_' and '-'"), "username"
        )
    return folded


def _repeats_a_short_pattern(text: str) -> bool:
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 5)
    )


def _is_a_sequence(text: str) -> bool:
    """`123456789012`, `abcdefghijkl`, `987654321098`: consecutive code points."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(steps) == 1 and abs(next(iter(steps))) == 1 or text.isdigit()


def check_password(password: str, username: str) -> None:
    """Refuse a weak password with `RuleBroken` naming `password` (never echoing it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleBroken(
            N_(
                "a password needs at least {min_password_length} characters",
                min_password_length=MIN_PASSWORD_LENGTH,
            ),
            "password",
        )
    folded = unicodedata.normalize("NFKC", password).casefold()
    squeezed = "".join(folded.split())
    if not squeezed:
        raise RuleBroken(N_("a password cannot be only spaces"), "password")
    name = unicodedata.normalize("NFKC", username).casefold().strip()
    if len(name) >= _MIN_NAME_CHECKED and (name in folded or name in squeezed):
        raise RuleBroken(N_("a password must not contain the username"), "password")
    if _repeats_a_short_pattern(squeezed) or _is_a_sequence(squeezed):
        raise RuleBroken(N_("a password must not be a repeated or sequential pattern"), "password")
    base = _STRIP.sub("", squeezed)
    if base in COMMON_PASSWORDS or not base or _repeats_a_short_pattern(base):
        raise RuleBroken(
            N_("this password is among the most common ones; choose a less guessable one"),
            "password",
        )
