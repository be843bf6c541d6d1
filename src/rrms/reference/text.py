"""Text keys for matching names against the reference data.

Notification lists spell the same place, community or country in many ways:
Albanian or Serbian, Latin or Cyrillic, with or without diacritics, with a
slash between two languages. Everything in ``rrms.reference`` is matched on a
*folded* key (:func:`fold`), so that one dictionary lookup finds a name in any
of these spellings. The helpers for reading the shipped CSV files live here too,
because every reference module reads its data the same way.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from importlib import resources
from typing import TypeVar

__all__ = [
    "build_index",
    "cyrillic_to_latin",
    "fold",
    "latin_to_cyrillic",
    "read_data_rows",
    "resolve_compound",
    "spelling_keys",
    "split_variants",
]

T = TypeVar("T")

# Serbian Cyrillic (Vuk's alphabet) and its official Latin counterpart (Gaj's alphabet).
_SERBIAN_UPPER: dict[str, str] = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Ђ": "Đ",
    "Е": "E",
    "Ж": "Ž",
    "З": "Z",
    "И": "I",
    "Ј": "J",
    "К": "K",
    "Л": "L",
    "Љ": "Lj",
    "М": "M",
    "Н": "N",
    "Њ": "Nj",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "Ћ": "Ć",
    "У": "U",
    "Ф": "F",
    "Х": "H",
    "Ц": "C",
    "Ч": "Č",
    "Џ": "Dž",
    "Ш": "Š",
}
_CYRILLIC_TO_LATIN: dict[str, str] = {
    **_SERBIAN_UPPER,
    **{cyr.lower(): lat.lower() for cyr, lat in _SERBIAN_UPPER.items()},
}
_LATIN_TO_CYRILLIC: dict[str, str] = {lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items()}
_LATIN_TO_CYRILLIC.update({"LJ": "Љ", "NJ": "Њ", "DŽ": "Џ"})
_LATIN_TOKEN = re.compile(r"Lj|LJ|lj|Nj|NJ|nj|Dž|DŽ|dž|.", re.DOTALL)

# Lower-case letters that Unicode decomposition does not reduce to ASCII. Cyrillic
# letters outside the Serbian alphabet are given their usual Latin reading so that a
# name typed on a Russian or Macedonian keyboard still folds to Latin.
_FOLD_LETTERS: dict[str, str] = {
    **{cyr: lat.replace("đ", "dj") for cyr, lat in _CYRILLIC_TO_LATIN.items() if cyr.islower()},
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    "й": "j",
    "ё": "e",
    "ы": "y",
    "э": "e",
    "ю": "ju",
    "я": "ja",
    "щ": "sc",
    "ъ": "",
    "ь": "",
    "є": "je",
    "і": "i",
    "ї": "ji",
    "ґ": "g",
    # Đ (U+0110) has no decomposition. Ð/ð (eth, U+00D0) looks the same and is what
    # a Windows-1250 'Đ' becomes when the file is read as Windows-1252.
    "đ": "dj",
    "ð": "dj",
    "ø": "o",
    "ł": "l",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ŋ": "n",
}
_FOLD_TABLE = str.maketrans(_FOLD_LETTERS)
_NON_WORD = re.compile(r"[\W_]+")
# Apostrophes join the letters around them: "Côte d'Ivoire" -> 'cote divoire'.
_APOSTROPHES = re.compile("['\u2019\u02bc\u0060\u00b4]")
_D_STROKES = str.maketrans({"Đ": "D", "đ": "d", "Ђ": "D", "ђ": "d", "Ð": "D", "ð": "d"})
_GERMAN_UMLAUTS = str.maketrans({"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue"})
_COMPOUND_SEPARATORS = re.compile(r"\s*(?:[/\\|()\[\];,]|\s[-–—]\s)\s*")


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Serbian Latin, keeping diacritics and case.

    Used to show and compare Cyrillic input in the Latin script that the rest of the
    system uses ('Ђаковица' -> 'Đakovica'). A digraph letter in an all-capitals word
    is written in capitals ('ЉУБИЊЕ' -> 'LJUBINJE'). Other characters pass through.
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        latin = _CYRILLIC_TO_LATIN.get(ch)
        if latin is None:
            out.append(ch)
            continue
        if len(latin) > 1 and ch.isupper():
            neighbours = text[i + 1 : i + 2] or text[i - 1 : i]
            if neighbours.isupper():
                latin = latin.upper()
        out.append(latin)
    return "".join(out)


def latin_to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin to Serbian Cyrillic ('Đakovica' -> 'Ђаковица').

    Lj, Nj and Dž are read as single letters, as Serbian orthography does; letters
    that Serbian does not use (q, w, x, y, ë, ç) are left as they are. Used to check
    the Cyrillic column of the reference data and in tests.
    """
    normalized = unicodedata.normalize("NFC", text)
    return "".join(
        _LATIN_TO_CYRILLIC.get(token, token) for token in _LATIN_TOKEN.findall(normalized)
    )


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).casefold()
    latin = unicodedata.normalize("NFKD", decomposed.translate(_FOLD_TABLE))
    bare = "".join(ch for ch in latin if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).strip()


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Return the search key of a name: one form for all its spellings.

    Serbian Cyrillic is transliterated to Latin, Đ/đ becomes 'dj', other diacritics
    are dropped (ë -> e, ç -> c, č/ć -> c, š -> s, ž -> z), the text is lower-cased,
    apostrophes are dropped, other punctuation ('/', '-', '.', brackets ...) becomes
    a space and runs of spaces collapse. So 'Đakovica', 'Djakovica', 'ĐAKOVICA' and
    'Ђаковица' share the key 'djakovica', and 'Pejë', 'Peje' and 'PEJE' share 'peje'.
    The result is cached, because screening folds the same few values on every row,
    and ``fold(fold(x))`` equals ``fold(x)``.
    """
    if text.isascii():
        return _NON_WORD.sub(" ", _APOSTROPHES.sub("", text).lower()).strip()
    folded = _fold_once(text)
    # Unicode case folding and compatibility decomposition can, for rare characters,
    # each undo the other's normal form; repeat until the key is stable.
    for _ in range(4):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def spelling_keys(name: str) -> set[str]:
    """Return every search key under which a reference name should be found.

    Besides ``fold(name)`` this covers spellings that folding cannot derive from the
    typed text: 'Đ' written as a plain 'D' ('Dakovica' for 'Đakovica') and German
    umlauts written as 'ae', 'oe', 'ue' ('Aegypter' for 'Ägypter'), and an apostrophe
    written as a space ("Cote d Ivoire"). Empty keys are left out.
    """
    keys = {fold(name)}
    if any(ch in name for ch in "ĐđЂђÐð"):
        keys.add(fold(name.translate(_D_STROKES)))
    if any(ch in name for ch in "ÄÖÜäöü"):
        keys.add(fold(name.translate(_GERMAN_UMLAUTS)))
    if _APOSTROPHES.search(name):
        keys.add(fold(_APOSTROPHES.sub(" ", name)))
    keys.discard("")
    return keys


def split_variants(cell: str) -> list[str]:
    """Split a ``variants`` cell of a reference CSV on '|' into its spellings."""
    return [part.strip() for part in cell.split("|") if part.strip()]


def build_index(entries: Iterable[tuple[str, T]], what: str) -> dict[str, T]:
    """Map every spelling key of every name to its value, for O(1) lookups.

    Raises ValueError when two different values claim the same key: an ambiguous
    spelling in the reference data must be fixed in the data, not resolved by
    whichever row happens to come last.
    """
    index: dict[str, T] = {}
    for text, value in entries:
        for key in spelling_keys(text):
            known = index.setdefault(key, value)
            if known != value:
                raise ValueError(
                    f"{what}: the spelling {text!r} (key {key!r}) names both "
                    f"{known!r} and {value!r}"
                )
    return index


def resolve_compound(text: str, resolve: Callable[[str], T | None]) -> T | None:
    """Resolve a name, or a name written in two languages such as 'Pejë/Peć'.

    ``resolve`` is tried on the whole text first. Failing that, the text is split on
    '/', '|', ';', ',', brackets and ' - '; if every part resolves and all parts
    resolve to the same value, that value is returned. Parts that disagree or do not
    resolve give None: a half-understood value is an input error, not a guess.
    """
    found = resolve(text)
    if found is not None:
        return found
    parts = [part for part in _COMPOUND_SEPARATORS.split(text) if part.strip()]
    if len(parts) < 2:
        return None
    first = resolve(parts[0])
    if first is None:
        return None
    for part in parts[1:]:
        if resolve(part) != first:
            return None
    return first


def read_data_rows(filename: str, required: Iterable[str]) -> list[dict[str, str]]:
    """Read one CSV file shipped in ``rrms/reference/data``, values trimmed.

    The files are package data, read through importlib.resources so that they are
    found in an installed wheel as well as in a source checkout. Raises ValueError
    when a required column is missing, so a damaged data file fails loudly at load.
    """
    resource = resources.files("rrms.reference").joinpath("data").joinpath(filename)
    content = resource.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(content))
    columns = set(reader.fieldnames or ())
    missing = [column for column in required if column not in columns]
    if missing:
        raise ValueError(f"{filename}: missing column(s) {', '.join(missing)}")
    return [
        {key: (value or "").strip() for key, value in row.items() if key is not None}
        for row in reader
    ]


def search_key(family_name: str, given_name: str, father_name: str | None = None) -> str:
    """The diacritic- and script-insensitive key a person is found by."""
    return " ".join(fold(part) for part in (family_name, given_name, father_name or "") if part)
