"""Generate a realistic synthetic notification list ("manifest") for benchmarks.

The screening pipeline is meant to handle a sending state's list of a million persons.
No such real list may leave a case file, so this module writes a synthetic one with the
shape of the real thing: families of one to eight persons sharing `family_ref`, a
Kosovo-like mix of communities and municipalities, and the spelling variety sending
states produce (Albanian, Serbian Latin and Cyrillic, German, with and without
diacritics, four birth-date forms, yes/no in five languages). Every value is one that
shared/spec/manifest.md allows, so a correct reader must accept the whole file; an input
error on it points at the reader or at this generator, never at "noisy data".

Speed matters more than elegance here: columns are drawn as NumPy index arrays from
precomputed pools (one `numpy.random.Generator` seeded with `--seed`, so a seed always
gives the same file) and written with `csv.writer`, which keeps a million persons
well under a minute.

Run on its own: `python benchmarks/synthetic_manifest.py --persons 1000 --out list.csv`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import time
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rrms.formats.manifest_columns import MANIFEST_COLUMNS

__all__ = ["COLUMNS", "REFERENCE_AS_OF", "generate_manifest"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

COLUMNS: tuple[str, ...] = MANIFEST_COLUMNS
"""Every column of a notification list, in the manifest spec's order."""

REFERENCE_AS_OF = dt.date(2004, 11, 15)
"""Ages are drawn relative to this day (the benchmark's screening date)."""

# --- Pools. A pool is a tuple of (value, weight); weights need not sum to one.

Pool = Sequence[tuple[str, float]]

FAMILY_SIZES: Sequence[tuple[int, float]] = (
    (1, 0.27),
    (2, 0.14),
    (3, 0.16),
    (4, 0.17),
    (5, 0.14),
    (6, 0.07),
    (7, 0.03),
    (8, 0.02),
)

# Communities, grouped by which name pools and which origin areas fit them.
COMMUNITY_SHARES: Sequence[tuple[str, float]] = (
    ("albanian", 0.795),
    ("roma", 0.035),
    ("ashkali", 0.04),
    ("egyptian", 0.02),
    ("serb", 0.035),
    ("bosniak", 0.02),
    ("gorani", 0.01),
    ("turk", 0.008),
    ("croat", 0.001),
    ("montenegrin", 0.001),
    ("other", 0.005),
    ("", 0.03),
)

COMMUNITY_WORDS: dict[str, Pool] = {
    "albanian": (
        ("albanian", 0.45),
        ("Albanian", 0.12),
        ("shqiptar", 0.1),
        ("Shqiptar", 0.05),
        ("Kosovo Albanian", 0.08),
        ("Albaner", 0.08),
        ("Kosovo-Albaner", 0.04),
        ("Albanac", 0.04),
        ("K-Albanian", 0.02),
        ("Shqiptarë", 0.02),
    ),
    "serb": (
        ("serb", 0.45),
        ("Serb", 0.15),
        ("Serbe", 0.12),
        ("srbin", 0.08),
        ("Srbin", 0.05),
        ("Kosovo Serb", 0.08),
        ("Србин", 0.01),
        ("Serbian", 0.07),
    ),
    "roma": (("roma", 0.5), ("Roma", 0.3), ("Rom", 0.15), ("Romë", 0.05)),
    "ashkali": (("ashkali", 0.5), ("Ashkali", 0.3), ("Aschkali", 0.1), ("Aškalija", 0.1)),
    "egyptian": (("egyptian", 0.5), ("Egyptian", 0.25), ("Ägypter", 0.15), ("Egjiptian", 0.1)),
    "bosniak": (
        ("bosniak", 0.5),
        ("Bosniak", 0.2),
        ("Bošnjak", 0.15),
        ("Boshnjak", 0.1),
        ("Bosniake", 0.05),
    ),
    "gorani": (("gorani", 0.6), ("Gorani", 0.2), ("Goranac", 0.1), ("Goran", 0.1)),
    "turk": (("turk", 0.5), ("Turk", 0.2), ("Türke", 0.2), ("Turčin", 0.1)),
    "croat": (("croat", 0.6), ("Kroate", 0.2), ("Hrvat", 0.2)),
    "montenegrin": (("montenegrin", 0.6), ("Crnogorac", 0.4)),
    "other": (("other", 0.6), ("Andere", 0.2), ("Tjetër", 0.1), ("Ostali", 0.1)),
    "": (("", 1.0),),
}

# Which name pools a community uses.
NAME_GROUP = {
    "albanian": "sq",
    "ashkali": "sq",
    "egyptian": "sq",
    "other": "sq",
    "": "sq",
    "roma": "rom",
    "serb": "sr",
    "montenegrin": "sr",
    "croat": "sr",
    "bosniak": "bs",
    "gorani": "bs",
    "turk": "tr",
}

FAMILY_NAMES: dict[str, Pool] = {
    "sq": (
        ("Krasniqi", 8),
        ("Gashi", 7),
        ("Berisha", 7),
        ("Hoxha", 5),
        ("Bajrami", 4),
        ("Shala", 5),
        ("Morina", 5),
        ("Kelmendi", 4),
        ("Rexhepi", 3),
        ("Hasani", 3),
        ("Thaçi", 2),
        ("Ahmeti", 3),
        ("Sylejmani", 2),
        ("Bytyçi", 2),
        ("Zeqiri", 2),
        ("Rama", 2),
        ("Haxhiu", 2),
        ("Dërmaku", 1),
        ("Kastrati", 1),
        ("Gërxhaliu", 1),
    ),
    "rom": (
        ("Bajrami", 3),
        ("Mustafa", 3),
        ("Salihu", 2),
        ("Osmani", 2),
        ("Avdiu", 2),
        ("Berisha", 1),
        ("Gashi", 1),
        ("Šaćiri", 1),
    ),
    "sr": (
        ("Jovanović", 5),
        ("Đorđević", 4),
        ("Petrović", 5),
        ("Stojanović", 3),
        ("Nikolić", 3),
        ("Marković", 3),
        ("Ilić", 2),
        ("Popović", 2),
        ("Јовановић", 1),
        ("Петровић", 1),
        ("Djordjevic", 1),
    ),
    "bs": (("Hodžić", 3), ("Mehmedović", 2), ("Begović", 2), ("Ramović", 2), ("Jusufi", 1)),
    "tr": (("Kahraman", 2), ("Tahiri", 2), ("Yıldız", 1), ("Şahin", 1)),
}

GIVEN_NAMES: dict[tuple[str, str], Pool] = {
    ("sq", "m"): (
        ("Arben", 5),
        ("Fatmir", 5),
        ("Besnik", 5),
        ("Ervin", 4),
        ("Agim", 3),
        ("Bujar", 3),
        ("Driton", 3),
        ("Ilir", 3),
        ("Valon", 3),
        ("Blerim", 2),
        ("Shkëlzen", 2),
        ("Luan", 2),
        ("Ramë", 1),
        ("Xhevdet", 1),
    ),
    ("sq", "f"): (
        ("Vjosa", 5),
        ("Shpresa", 5),
        ("Drita", 5),
        ("Mimoza", 3),
        ("Teuta", 3),
        ("Fatime", 3),
        ("Lirije", 2),
        ("Arta", 2),
        ("Blerta", 2),
        ("Qëndresa", 2),
        ("Valbona", 2),
        ("Hyrije", 1),
    ),
    ("rom", "m"): (("Ervin", 3), ("Besnik", 2), ("Sabit", 2), ("Nexhmedin", 1), ("Bekim", 2)),
    ("rom", "f"): (("Shpresa", 2), ("Drita", 2), ("Fatime", 2), ("Selvije", 1), ("Mirsade", 1)),
    ("sr", "m"): (
        ("Dragan", 5),
        ("Milan", 4),
        ("Nenad", 3),
        ("Dušan", 3),
        ("Goran", 3),
        ("Zoran", 3),
        ("Miloš", 2),
        ("Đorđe", 2),
        ("Драган", 1),
    ),
    ("sr", "f"): (
        ("Milica", 5),
        ("Ljiljana", 5),
        ("Jelena", 4),
        ("Dragana", 3),
        ("Snežana", 3),
        ("Vesna", 2),
        ("Милица", 1),
    ),
    ("bs", "m"): (("Emir", 3), ("Senad", 2), ("Adnan", 2), ("Edin", 1)),
    ("bs", "f"): (("Amra", 3), ("Selma", 2), ("Edina", 2), ("Ljiljana", 1)),
    ("tr", "m"): (("Ergin", 2), ("Orhan", 2), ("Ervin", 1)),
    ("tr", "f"): (("Ayşe", 2), ("Leyla", 2), ("Drita", 1)),
}

# Municipality weights (roughly by 2004 population) per community group; KAS codes.
MUNICIPALITY_WEIGHTS: dict[str, Pool] = {
    "albanian": (
        ("19", 12),
        ("20", 10),
        ("25", 7),
        ("17", 6),
        ("02", 7),
        ("11", 6),
        ("04", 6),
        ("18", 5),
        ("27", 4),
        ("13", 3),
        ("24", 4),
        ("16", 3),
        ("30", 3),
        ("21", 3),
        ("03", 3),
        ("01", 2),
        ("06", 2),
        ("08", 2),
        ("10", 2),
        ("26", 2),
        ("22", 1),
        ("07", 1),
        ("15", 1),
        ("09", 1),
        ("05", 1),
        ("14", 0.3),
        ("23", 0.2),
        ("12", 0.1),
        ("29", 0.1),
        ("28", 0.05),
    ),
    "serb": (
        ("11", 4),
        ("12", 3),
        ("29", 2),
        ("28", 2),
        ("23", 2),
        ("14", 2),
        ("19", 3),
        ("13", 1),
        ("15", 1),
        ("04", 1),
        ("17", 1),
        ("16", 0.5),
        ("26", 0.5),
        ("10", 0.5),
    ),
    "rae": (
        ("20", 3),
        ("11", 3),
        ("17", 3),
        ("02", 3),
        ("25", 3),
        ("09", 3),
        ("15", 2),
        ("19", 2),
        ("13", 1),
        ("04", 1),
        ("27", 1),
    ),
    "bosniak": (("20", 4), ("17", 2), ("05", 2), ("06", 1), ("11", 1), ("19", 1)),
    "gorani": (("05", 6), ("20", 2), ("19", 1)),
    "turk": (("20", 5), ("19", 1), ("27", 1), ("04", 1)),
}

MUNICIPALITY_GROUP = {
    "albanian": "albanian",
    "other": "albanian",
    "": "albanian",
    "serb": "serb",
    "montenegrin": "serb",
    "croat": "serb",
    "roma": "rae",
    "ashkali": "rae",
    "egyptian": "rae",
    "bosniak": "bosniak",
    "gorani": "gorani",
    "turk": "turk",
}

# Albanian definite forms in common use ("Prishtina", "Peja"), by KAS code.
DEFINITE_FORMS = {
    "02": "Gjakova",
    "09": "Fushë Kosova",
    "10": "Kamenica",
    "11": "Mitrovica",
    "08": "Klina",
    "17": "Peja",
    "18": "Podujeva",
    "19": "Prishtina",
    "24": "Suhareka",
    "30": "Malisheva",
    "14": "Novobërda",
}

# Settlements a list may name, by KAS code: towns, villages, and the later
# municipalities the spec says are settlements of their 2004 municipality.
SETTLEMENTS: dict[str, tuple[str, ...]] = {
    "11": ("Mitrovicë e Veriut", "Severna Mitrovica", "Mitrovicë", "Shipol"),
    "19": ("Graçanicë", "Gračanica", "Llapllasellë", "Laplje Selo", "Prishtinë"),
    "16": ("Hoçë e Madhe", "Velika Hoča", "Rahovec"),
    "17": ("Gorazhdec", "Goraždevac", "Vitomiricë", "Pejë"),
    "20": ("Mamushë", "Mamuša", "Prizren", "Zhur"),
    "18": ("Lluzhan", "Podujevë"),
    "21": ("Prekaz", "Skënderaj"),
    "03": ("Komoran", "Drenas"),
    "24": ("Mushtisht", "Suharekë"),
    "05": ("Brod", "Restelicë", "Dragash"),
}

SENDING_COUNTRIES: Pool = (
    ("DE", 30),
    ("CH", 10),
    ("NL", 4),
    ("GB", 4),
    ("BE", 3),
    ("AT", 4),
    ("SE", 4),
    ("FR", 3),
    ("DEU", 3),
    ("CHE", 1),
    ("AUT", 1),
    ("SWE", 1),
    ("Germany", 4),
    ("Deutschland", 6),
    ("Schweiz", 3),
    ("Switzerland", 1),
    ("Österreich", 1),
    ("Netherlands", 1),
    ("Schweden", 0.5),
    ("United Kingdom", 0.5),
    ("Belgien", 0.5),
    ("Frankreich", 0.5),
)

SENDING_ALPHA2 = {
    **{code: code for code in ("DE", "CH", "NL", "GB", "BE", "AT", "SE", "FR")},
    "DEU": "DE",
    "CHE": "CH",
    "AUT": "AT",
    "SWE": "SE",
    "Germany": "DE",
    "Deutschland": "DE",
    "Schweiz": "CH",
    "Switzerland": "CH",
    "Österreich": "AT",
    "Netherlands": "NL",
    "Schweden": "SE",
    "United Kingdom": "GB",
    "Belgien": "BE",
    "Frankreich": "FR",
}
"""The sender's alpha-2 code, used only to prefix person_ref as a sender would."""

# Blank, Kosovo, or (not_applicable) another country with a town there.
ORIGIN_COUNTRIES: Pool = (
    ("", 85),
    ("XK", 6),
    ("Kosovo", 6),
    ("AL", 0.8),
    ("Albania", 0.4),
    ("MK", 0.6),
    ("RS", 0.5),
    ("Serbien", 0.3),
    ("BA", 0.4),
)
FOREIGN_TOWNS = {
    "AL": ("Tiranë", "Durrës", "Kukës", ""),
    "Albania": ("Tirana", "Shkodër", ""),
    "MK": ("Tetovo", "Skopje", "Kumanovo", ""),
    "RS": ("Niš", "Kraljevo", "Kragujevac", ""),
    "Serbien": ("Belgrad", "Novi Pazar", ""),
    "BA": ("Sarajevo", "Tuzla", ""),
}

YES_WORDS: Pool = (
    ("yes", 0.55),
    ("Yes", 0.1),
    ("ja", 0.1),
    ("po", 0.08),
    ("da", 0.07),
    ("1", 0.05),
    ("y", 0.05),
)
NO_WORDS: Pool = (
    ("no", 0.55),
    ("No", 0.1),
    ("nein", 0.1),
    ("jo", 0.08),
    ("ne", 0.07),
    ("0", 0.05),
    ("n", 0.05),
)

SEX_WORDS: dict[str, Pool] = {
    "m": (("m", 0.8), ("M", 0.05), ("male", 0.1), ("männlich", 0.03), ("", 0.02)),
    "f": (("f", 0.75), ("F", 0.05), ("female", 0.1), ("w", 0.05), ("ž", 0.03), ("", 0.02)),
}

NOTES: Pool = (
    ("", 93),
    ("lives alone", 1),
    ("asylum refused, appeal pending", 1),
    ("Duldung abgelaufen", 1),
    ("medical report attached", 1),
    ('says "no family left" in Kosovo', 0.5),
    ("- see file", 0.5),
    ("+ two children remain in DE", 0.3),
    ("=file 2004/117", 0.1),
    ("@ IOM counselling done", 0.1),
    ("Arztbericht folgt; Termin 03.12.2004", 0.5),
)

# (yes share, no share) of each screening question among answered cells.
YES_NO_RATES: dict[str, tuple[float, float]] = {
    "protection_problems": (0.04, 0.96),
    "mixed_marriage": (0.02, 0.98),
    "mixed_ethnicity": (0.02, 0.98),
    "perceived_association": (0.015, 0.985),
    "severe_illness": (0.05, 0.95),
    "severe_mental_illness": (0.03, 0.97),
    "severe_handicap": (0.02, 0.98),
    "support_in_kosovo": (0.7, 0.3),
}


def _without_diacritics(text: str) -> str:
    """'Đakovica' -> 'Djakovica', 'Pejë' -> 'Peje': how lists typed without them look."""
    text = text.replace("Đ", "Dj").replace("đ", "dj")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def municipality_spellings(reference_csv: Path) -> dict[str, Pool]:
    """Read the 30 municipalities of 2004 and every way a list spells each one.

    Albanian and Serbian Latin dominate, then the forms without diacritics, the
    definite Albanian form, Serbian Cyrillic, and names noted in the reference
    ("also Drenas").
    """
    spellings: dict[str, Pool] = {}
    with reference_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["kas_code"]
            forms: dict[str, float] = {}

            def add(name: str, weight: float, forms: dict[str, float] = forms) -> None:
                forms[name] = forms.get(name, 0.0) + weight

            add(row["name_sq"], 0.4)
            add(row["name_sr"], 0.2)
            add(_without_diacritics(row["name_sq"]), 0.12)
            add(_without_diacritics(row["name_sr"]), 0.08)
            add(row["name_sr_cyrl"], 0.05)
            if code in DEFINITE_FORMS:
                add(DEFINITE_FORMS[code], 0.15)
                add(_without_diacritics(DEFINITE_FORMS[code]), 0.03)
            if "also " in row["notes"]:
                add(row["notes"].split("also ", 1)[1].strip(), 0.05)
            spellings[code] = tuple(forms.items())
    return spellings


class _Draw:
    """Weighted draws of whole columns from a seeded NumPy generator."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def index(self, pool: Sequence[tuple[object, float]], size: int) -> IntArray:
        """Draw `size` indices into `pool` by its weights."""
        weights = np.array([w for _, w in pool], dtype=np.float64)
        return self.rng.choice(len(pool), size=size, p=weights / weights.sum())

    def words(self, pool: Pool, size: int) -> npt.NDArray[np.object_]:
        """Draw `size` values of `pool` as an object array of strings."""
        values = np.array([v for v, _ in pool], dtype=object)
        return values[self.index(pool, size)]

    def chance(self, p: float | npt.NDArray[np.float64], size: int) -> BoolArray:
        """True with probability `p` (a scalar or one per item)."""
        return self.rng.random(size) < p


def _fill_by_group(
    draw: _Draw,
    out: npt.NDArray[np.object_],
    groups: npt.NDArray[np.object_],
    pools: Mapping[str, Pool],
) -> None:
    """Fill `out[i]` from `pools[groups[i]]` for every group present."""
    for key, pool in pools.items():
        where = np.flatnonzero(groups == key)
        if where.size:
            out[where] = draw.words(pool, where.size)


def _birth_dates(draw: _Draw, ages: IntArray) -> list[str]:
    """Birth dates `ages` years before the reference day, in the four forms or blank.

    The date is drawn to the day first; the year-only and year-month forms cut it
    down, as a list does when only part of it is known.
    """
    n = ages.size
    days = ages * 365 + ages // 4 + draw.rng.integers(0, 365, size=n)
    born = np.datetime64(REFERENCE_AS_OF.isoformat(), "D") - days.astype("timedelta64[D]")
    iso = np.datetime_as_string(born, unit="D").tolist()
    form = draw.index(
        (("iso", 0.5), ("dotted", 0.22), ("month", 0.05), ("year", 0.17), ("blank", 0.06)), n
    ).tolist()
    out: list[str] = []
    append = out.append
    for text, kind in zip(iso, form, strict=True):
        if kind == 0:
            append(text)
        elif kind == 1:
            append(f"{text[8:10]}.{text[5:7]}.{text[:4]}")
        elif kind == 2:
            append(text[:7])
        elif kind == 3:
            append(text[:4])
        else:
            append("")
    return out


def _ages_and_relationships(
    draw: _Draw, size_of: IntArray, position: IntArray, head_age: IntArray
) -> tuple[IntArray, npt.NDArray[np.object_]]:
    """Each person's age and relationship to the head, from their place in the family."""
    n = position.size
    relationship = np.empty(n, dtype=object)
    is_head = position == 0
    relationship[is_head] = np.where(
        (size_of[is_head] == 1) & draw.chance(0.35, int(is_head.sum())), "", "head"
    )
    second = np.flatnonzero(position == 1)
    relationship[second] = draw.words(
        (("spouse", 0.85), ("sibling", 0.05), ("parent", 0.05), ("other_relative", 0.05)),
        second.size,
    )
    rest = np.flatnonzero(position >= 2)
    relationship[rest] = draw.words(
        (
            ("child", 0.82),
            ("parent", 0.05),
            ("grandchild", 0.04),
            ("sibling", 0.03),
            ("other_relative", 0.03),
            ("grandparent", 0.01),
            ("caregiver", 0.01),
            ("other", 0.01),
        ),
        rest.size,
    )
    ages = head_age.copy()
    r = draw.rng

    def set_age(kind: str, low: IntArray | int, high: IntArray | int) -> None:
        where = relationship == kind
        lo = np.broadcast_to(low, (n,))[where]
        hi = np.broadcast_to(high, (n,))[where]
        ages[where] = r.integers(lo, np.maximum(hi, lo + 1))

    set_age("spouse", np.maximum(head_age - 8, 18), head_age + 5)
    set_age("child", np.maximum(head_age - 45, 0), np.maximum(head_age - 17, 1))
    set_age("parent", np.minimum(head_age + 20, 85), np.minimum(head_age + 35, 91))
    set_age("grandparent", np.minimum(head_age + 40, 85), 91)
    set_age("grandchild", 0, 12)
    set_age("sibling", np.maximum(head_age - 10, 0), head_age + 10)
    set_age("other_relative", 5, 75)
    set_age("caregiver", 18, 60)
    set_age("other", 10, 70)
    return np.clip(ages, 0, 90), relationship


def generate_manifest(
    path: Path, persons: int, seed: int, reference_csv: Path
) -> dict[str, float | int]:
    """Write a synthetic manifest of `persons` rows to `path`; return a few statistics.

    Families are drawn first and their shared facts (name, community, origin, sending
    state, return type, whether the sender answered the screening questions at all)
    are repeated over their members; personal facts are drawn per person.
    """
    draw = _Draw(seed)
    r = draw.rng
    spellings = municipality_spellings(reference_csv)

    # Families: sizes until the list is full, the last family cut to fit.
    sizes_pool = [(str(s), w) for s, w in FAMILY_SIZES]
    sizes = np.array([s for s, _ in FAMILY_SIZES])[
        draw.index(sizes_pool, max(1, persons // 2 + 16))
    ]
    cumulative = np.cumsum(sizes)
    families = int(np.searchsorted(cumulative, persons)) + 1
    sizes = sizes[:families].copy()
    sizes[-1] -= int(cumulative[families - 1]) - persons
    family = np.repeat(np.arange(families), sizes)
    start = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.arange(persons) - start[family]
    size_of = sizes[family]

    # Family-level facts.
    community = draw.words(COMMUNITY_SHARES, families)
    sending = draw.words(SENDING_COUNTRIES, families)
    prefix = np.array([SENDING_ALPHA2[s] for s in sending], dtype=object)
    voluntary = draw.chance(0.1, families)
    answered = ~draw.chance(0.15, families)  # some senders leave the questions blank
    single = sizes == 1
    head_age = np.where(
        single,
        np.where(
            draw.chance(0.1, families), r.integers(60, 91, families), r.integers(18, 60, families)
        ),
        r.integers(22, 76, families),
    )

    origin_country = draw.words(ORIGIN_COUNTRIES, families)
    municipality_code = np.empty(families, dtype=object)
    groups = np.array([MUNICIPALITY_GROUP[c] for c in community], dtype=object)
    _fill_by_group(draw, municipality_code, groups, MUNICIPALITY_WEIGHTS)
    municipality = np.empty(families, dtype=object)
    _fill_by_group(draw, municipality, municipality_code, spellings)
    municipality[draw.chance(0.04, families)] = ""
    settlement = np.full(families, "", dtype=object)
    with_settlement = draw.chance(0.12, families) | (
        (municipality_code == "11") & draw.chance(0.5, families)
    )
    for code, names in SETTLEMENTS.items():
        where = np.flatnonzero(with_settlement & (municipality_code == code) & (municipality != ""))
        settlement[where] = np.array(names, dtype=object)[r.integers(0, len(names), where.size)]
    foreign = np.flatnonzero(
        (origin_country != "") & (origin_country != "XK") & (origin_country != "Kosovo")
    )
    for i in foreign:
        towns = FOREIGN_TOWNS[origin_country[i]]
        municipality[i] = towns[int(r.integers(0, len(towns)))]
        settlement[i] = ""

    family_names = np.empty(families, dtype=object)
    name_groups = np.array([NAME_GROUP[c] for c in community], dtype=object)
    _fill_by_group(draw, family_names, name_groups, FAMILY_NAMES)
    community_word = np.empty(families, dtype=object)
    _fill_by_group(draw, community_word, community, COMMUNITY_WORDS)

    # Persons.
    ages, relationship = _ages_and_relationships(draw, size_of, position, head_age[family])
    head_male = draw.chance(0.75, families)[family]
    male = np.where(
        position == 0,
        head_male,
        np.where(relationship == "spouse", ~head_male, draw.chance(0.5, persons)),
    )
    sex = np.where(male, "m", "f").astype(object)
    sex_word = np.empty(persons, dtype=object)
    _fill_by_group(draw, sex_word, sex, SEX_WORDS)
    sex_word[draw.chance(0.0005, persons)] = "x"

    person_group = name_groups[family]
    given = np.empty(persons, dtype=object)
    _fill_by_group(
        draw,
        given,
        np.array([f"{g}|{s}" for g, s in zip(person_group, sex, strict=True)], dtype=object),
        {f"{g}|{s}": pool for (g, s), pool in GIVEN_NAMES.items()},
    )
    father = np.empty(persons, dtype=object)
    _fill_by_group(draw, father, person_group, {g: GIVEN_NAMES[(g, "m")] for g in FAMILY_NAMES})
    father[draw.chance(0.5, persons)] = ""

    person_ref = [f"{p}-{i + 1:07d}" for i, p in enumerate(prefix[family].tolist())]
    family_label = np.array([f"F{i + 1:07d}" for i in range(families)], dtype=object)
    family_label[single & draw.chance(0.4, families)] = ""
    person_community = community_word[family]
    person_community[draw.chance(0.005, persons)] = ""

    # Screening questions: blank where the sender did not answer.
    answered_p = answered[family]
    adult = ages >= 18
    yes_no: dict[str, npt.NDArray[np.object_]] = {}
    yes_flags: dict[str, BoolArray] = {}
    for column, (p_yes, _) in YES_NO_RATES.items():
        blank = ~answered_p | draw.chance(0.015, persons)
        if column == "mixed_marriage":
            blank |= ~adult & draw.chance(0.2, persons)
        if column == "support_in_kosovo":
            blank |= draw.chance(0.1, persons)
        is_yes = draw.chance(p_yes, persons) & ~blank
        if column == "mixed_marriage":
            is_yes &= adult
        cells = np.where(is_yes, draw.words(YES_WORDS, persons), draw.words(NO_WORDS, persons))
        cells[blank] = ""
        yes_no[column] = cells
        yes_flags[column] = is_yes

    ill = yes_flags["severe_illness"] | yes_flags["severe_mental_illness"]
    treatment = np.full(persons, "", dtype=object)
    treatment[ill] = draw.words(
        (("available", 0.4), ("rarely", 0.25), ("unavailable", 0.2), ("", 0.15)), int(ill.sum())
    )
    handicap = yes_flags["severe_handicap"]
    support = np.full(persons, "", dtype=object)
    support[handicap] = draw.words(
        (("available", 0.4), ("unavailable", 0.35), ("", 0.25)), int(handicap.sum())
    )

    caregiver_of = np.full(persons, "", dtype=object)
    caregivers = 0
    for cared in np.flatnonzero(handicap & (size_of > 1)).tolist():
        if r.random() < 0.6:
            first = int(start[family[cared]])
            members = [m for m in range(first, first + int(size_of[cared])) if m != cared]
            carer = members[int(r.integers(0, len(members)))]
            if not caregiver_of[carer]:
                caregiver_of[carer] = person_ref[cared]
                caregivers += 1

    child = relationship == "child"
    separation = np.full(persons, "", dtype=object)
    separation[child & draw.chance(0.025, persons)] = "no"
    separation[child & draw.chance(0.005, persons)] = "yes"

    voluntary_p = voluntary[family]
    return_type = np.where(voluntary_p, "voluntary", "forced").astype(object)
    consent = np.full(persons, "", dtype=object)
    vol = np.flatnonzero(voluntary_p)
    consent_yes = draw.chance(0.8, vol.size)
    consent[vol] = np.where(
        consent_yes, draw.words(YES_WORDS, vol.size), draw.words(NO_WORDS, vol.size)
    )
    consent[vol[draw.chance(0.12, vol.size) & ~consent_yes]] = ""

    columns: dict[str, list[str]] = {
        "person_ref": person_ref,
        "family_ref": family_label[family].tolist(),
        "family_name": family_names[family].tolist(),
        "given_name": given.tolist(),
        "father_name": father.tolist(),
        "sex": sex_word.tolist(),
        "birth_date": _birth_dates(draw, ages),
        "relationship": relationship.tolist(),
        "community": person_community.tolist(),
        "origin_country": origin_country[family].tolist(),
        "origin_municipality": municipality[family].tolist(),
        "origin_settlement": settlement[family].tolist(),
        "return_type": return_type.tolist(),
        "sending_country": sending[family].tolist(),
        **{name: cells.tolist() for name, cells in yes_no.items()},
        "treatment_availability": treatment.tolist(),
        "support_availability": support.tolist(),
        "caregiver_of": caregiver_of.tolist(),
        "best_interests_separation": separation.tolist(),
        "informed_consent": consent.tolist(),
        "notes": draw.words(NOTES, persons).tolist(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(zip(*(columns[name] for name in COLUMNS), strict=True))
    return {"persons": persons, "families": families, "caregivers": caregivers}


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: write one synthetic manifest and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--reference",
        type=Path,
        default=Path(__file__).resolve().parent.parent
        / "src/rrms/reference/data/municipalities-2004.csv",
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()
    stats = generate_manifest(args.out, args.persons, args.seed, args.reference)
    print(f"{args.out}: {stats} in {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
