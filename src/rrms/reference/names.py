"""Personal names as this region writes them, brought to one comparable form.

The same Kosovo Albanian reaches RRMS as "Xhaferi" (Albanian), "Džaferi" (Serbian
Latin), "Џафери" (Serbian Cyrillic), "Dzaferi" (Serbian without diacritics),
"Dschaferi" (a German or Swiss official writing by ear), "Djaferi" (Swedish) or
"Dzjaferi" (Dutch). Record linkage can only weigh such names if it first sees that
they are one name. This module gives every name three forms, each coarser than the
one before:

- :func:`spelling`: the name as written, in its own script, lower case, spaces and
  hyphens tidied. Two names with the same spelling are "the same".
- :func:`canonical`: the sounds of the name in one notation, Cyrillic first
  transliterated to Serbian Latin by the `cyrtranslit` library. Each sound these
  orthographies write differently gets one letter: /ʃ ʒ/ (sh, š, sch, sj, zh, ž, zj)
  is ``S``; /tʃ tɕ/ (ç, č, ć, q, tsch, tsj, tj, a final -ich) is ``C``; /dʒ dʑ/ (xh,
  dž, dsch, dzj, gj, đ, dj) is ``J``; ë is e, y is i (j before a vowel), ü is i, w is
  v, dh is d, th is t, ph is f, Dutch oe is u, doubled letters are single. Two names
  with one canonical form are "the same after transliteration".
- :func:`sound_key`: a key for finding candidates, robust to what canonical forms
  keep apart: lost diacritics (š written s, č written c, đ written d), vowels (ë
  dropped, e for i) and doubled letters. It is the first letter and the consonants
  of the canonical form with the classes above merged into plain letters
  ("Krasniqi", "Krasnici" and "Krasnitschi" all give ``krsnc``). Equal keys mean
  "sounds alike"; the key is also what record linkage blocks on.

Every function is pure and deterministic. The rules are deliberately aggressive: a
rule that maps two real, different names to one form would be a fault, but a rule
that merely maps a name nobody has onto a real one ("Fatjon" -> ``faCon``) costs
nothing, because every spelling of "Fatjon" takes the same path.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

import cyrtranslit

__all__ = [
    "canonical",
    "document_key",
    "has_cyrillic",
    "sound_key",
    "spelling",
    "to_latin",
]

_CYRILLIC: Final = re.compile("[\u0400-\u052f]")
# Serbian first (the Cyrillic that lists use), then Macedonian (ѓ ќ ѕ), then Russian and
# Ukrainian for letters a Russian or Ukrainian keyboard adds (й щ ы э ю я є ї).
_CYRILLIC_LANGUAGES: Final = ("sr", "mk", "ru", "ua")
# What the Macedonian table leaves with diacritics that decomposition would lose.
_MACEDONIAN_LATIN: Final = str.maketrans({"ǵ": "gj", "Ǵ": "Gj", "ḱ": "kj", "Ḱ": "Kj"})
# Letters that Unicode decomposition does not reduce to a base letter plus a mark.
_LETTERS: Final = str.maketrans(
    {
        "đ": "J",  # d with stroke: Serbian /dʑ/
        "ð": "J",  # eth: what Windows-1250 'đ' becomes when read as Windows-1252
        "ß": "ss",
        "ø": "o",
        "æ": "e",
        "œ": "e",
        "ł": "l",
        "ı": "i",
    }
)
_APOSTROPHES: Final = re.compile("['\u2019\u02bc\u0060\u00b4]")
_SEPARATORS: Final = re.compile(r"[\s\-_./,;:()\[\]\"]+")

# Letter groups, longest first, as the orthographies of Albanian, Serbian Latin,
# German, Swiss and Austrian German, Dutch and Swedish write one sound. Applied to
# lower-case text that still has its diacritics, before they are dropped.
_GROUPS: Final[tuple[tuple[str, str], ...]] = (
    # /dʒ/ and /dʑ/: Albanian xh, gj; Serbian dž, đ (dj, and dz without the caron);
    # German dsch, dj; Dutch dzj, dsj; English dzh.
    ("dzsch", "J"),
    ("dsch", "J"),
    ("dzh", "J"),
    ("dzj", "J"),
    ("dsj", "J"),
    ("dž", "J"),
    ("xh", "J"),
    ("gj", "J"),
    ("dj", "J"),
    ("dz", "J"),
    # /tʃ/ and /tɕ/: Albanian ç, q; Serbian č, ć; German tsch; Dutch tsj; Swedish tj;
    # English tch.
    ("tsch", "C"),
    ("tsj", "C"),
    ("tch", "C"),
    ("tj", "C"),
    ("ç", "C"),
    ("č", "C"),
    ("ć", "C"),
    ("q", "C"),
    # /ʃ/ and /ʒ/: Albanian sh, zh; Serbian š, ž; German sch; Dutch and Swedish sj, zj.
    ("sch", "S"),
    ("sh", "S"),
    ("zh", "S"),
    ("sj", "S"),
    ("zj", "S"),
    ("š", "S"),
    ("ž", "S"),
    # Albanian dh and th; Greek-style ph; German ck, tz; Dutch oe for u.
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("ck", "k"),
    ("tz", "c"),
    ("oe", "u"),
    # German ch is /x/, which Albanian and Serbian write h (Mihajlo, Michajlo).
    ("ch", "h"),
)
_GROUP_PATTERN: Final = re.compile("|".join(re.escape(group) for group, _ in _GROUPS))
_GROUP_SOUND: Final = dict(_GROUPS)
# The Serbian patronymic ending -ić as English (-ich, -itch) or German (-itsch) write it.
_FINAL_ICH: Final = re.compile(r"ich\b")
_VOWELS: Final = frozenset("aeiou")
# The sound classes of `canonical`, merged into plain letters for `sound_key`.
_KEY_LETTERS: Final = str.maketrans({"S": "s", "C": "c", "J": "d", "z": "s", "j": ""})
_DOCUMENT_DROP: Final = re.compile(r"[\W_]+")


def has_cyrillic(text: str) -> bool:
    """Tell whether the text holds any Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


def to_latin(text: str) -> str:
    """Transliterate Cyrillic to Latin with `cyrtranslit`, keeping diacritics and case.

    Serbian Cyrillic gives Serbian Latin ('Краснићи' -> 'Krasnići', 'Џафери' ->
    'Džaferi'); Macedonian, Russian and Ukrainian letters that Serbian lacks are
    transliterated by those languages' tables. Latin text is returned unchanged.
    """
    if not has_cyrillic(text):
        return text
    for language in _CYRILLIC_LANGUAGES:
        text = cyrtranslit.to_latin(text, language)
        if language == "mk":
            text = text.translate(_MACEDONIAN_LATIN)
        if not has_cyrillic(text):
            break
    return text


@functools.lru_cache(maxsize=1 << 17)
def spelling(name: str) -> str:
    """The name as written, in its own script: lower case, diacritics kept, spaces tidied.

    'ĐORĐEVIĆ' gives 'đorđević', 'ЂОРЂЕВИЋ' gives 'ђорђевић'; 'Krasniqi-Berisha '
    gives 'krasniqi berisha'. Apostrophes are dropped ("D'Amico" -> 'damico').
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _canonical_word(word: str) -> str:
    word = _FINAL_ICH.sub("iC", word)
    # Diacritics that carry a sound of their own are read by the groups; the others
    # (ë, é, á, ü ...) are dropped after, so compose first: 'c' + caron is 'č'.
    word = _GROUP_PATTERN.sub(lambda match: _GROUP_SOUND[match.group(0)], word)
    word = word.replace("ü", "y").translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out: list[str] = []
    for position, ch in enumerate(bare):
        if ch == "w":
            ch = "v"
        elif ch == "x":
            ch = "ks"
        elif ch == "y":
            following = bare[position + 1 : position + 2]
            ch = "j" if following in _VOWELS else "i"
        elif not ch.isalnum():
            continue
        if out and out[-1] == ch:
            continue  # doubled letters: ll, rr, ss, nn ... are one sound
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 17)
def canonical(name: str) -> str:
    """The name's sounds in one notation: equal for all spellings of one name.

    'Xhaferi', 'Džaferi', 'Џафери', 'Dschaferi' and 'Dzjaferi' all give 'Jaferi';
    'Krasniqi', 'Krasnići', 'Краснићи' and 'Krasnitschi' give 'krasniCi'; 'Berisha',
    'Beriša' and 'Berischa' give 'beriSa'. Words keep their order, one space apart.
    """
    latin = spelling(to_latin(unicodedata.normalize("NFKC", name)))
    return " ".join(word for word in (_canonical_word(w) for w in latin.split(" ")) if word)


def _key_word(word: str) -> str:
    merged = word.translate(_KEY_LETTERS)
    if not merged:
        return ""
    out = [merged[0]]
    for ch in merged[1:]:
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 17)
def sound_key(name: str) -> str:
    """A coarse key for finding candidate matches: first letter and consonants.

    Built from :func:`canonical` with ``S`` -> s, ``C`` -> c, ``J`` -> d, z -> s and
    j dropped, then vowels after the first letter and repeated letters removed.
    'Krasniqi', 'Krasnici' (Serbian without diacritics) and 'Krasnitschi' give
    'krsnc'; 'Đorđević' and 'Dordevic' give 'drdvc'. Several words are keyed
    separately and joined without a space, so a double name keeps one key.
    """
    return "".join(_key_word(word) for word in canonical(name).split(" "))


def document_key(number: str) -> str:
    """An identity or travel document number without spaces and punctuation, upper case.

    'P 123-456.7' and 'p1234567' give 'P1234567'; Cyrillic letters are transliterated.
    """
    return _DOCUMENT_DROP.sub("", to_latin(number)).upper()
