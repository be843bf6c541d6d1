"""A synthetic, Kosovo-shaped population with known truth, for record linkage.

No real register may leave a case file, so linkage is trained, tested and measured
on persons made up here, with the shape of the real thing:

- Albanian, Serbian, Bosniak, Roma, Ashkali, Egyptian, Turkish and Gorani names,
  common ones far more common than rare ones (so that namesakes occur as they do);
- families: children share their family name, their father's name, their
  municipality and settlement, and differ in given name and birth date (siblings,
  who must never be matched);
- each person's records written as different officials write them: Albanian,
  Serbian Latin (with and without diacritics), Serbian Cyrillic, and German, Swiss,
  Austrian, Swedish and Dutch officials writing by ear; with given and family name
  now and then swapped, birth dates partial, missing or with day and month swapped,
  the father's name or the place left out, a letter mistyped.

Every record carries the id of the person it was made from (``truth``), so
precision and recall can be counted. Everything is drawn from one
``random.Random(seed)``: a seed always gives the same records.

Used by the accuracy tests (`tests/integration/identity`), the benchmark
(`benchmarks/linkage.py`) and the training of the shipped model
(`scripts/train_linkage_model.py`).
"""

from __future__ import annotations

import csv
import difflib
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rrms.reference.places import gazetteer
from rrms.reference.text import latin_to_cyrillic

__all__ = [
    "COLUMNS",
    "Person",
    "dedupe_set",
    "link_sets",
    "population",
    "render",
    "write_csv",
]

COLUMNS: tuple[str, ...] = (
    "person_ref",
    "family_name",
    "given_name",
    "father_name",
    "sex",
    "birth_date",
    "community",
    "origin_municipality",
    "origin_settlement",
    "birth_place",
    "address",
    "document_number",
    "return_type",
    "sending_country",
)

# --- names, in their own orthography, most common first -------------------------------


def _words(text: str) -> list[str]:
    return text.split()


ALBANIAN_FAMILY: list[str] = _words(
    "Krasniqi Berisha Gashi Morina Hoxha Shala Bytyqi Kastrati Hasani Rexhepi Kelmendi "
    "Thaçi Syla Zeqiri Ahmeti Osmani Haliti Mustafa Xhaferi Jashari Gjoka Rama Hyseni "
    "Sadiku Dervishi Qerimi Bajrami Kryeziu Mehmeti Shabani Veseli Hajdari Demaj Limani "
    "Haxhiu Latifi Musliu Gjergji Bislimi Halimi Rugova Selmani Shehu Maloku Sopi Uka "
    "Pllana Zhuja Çeku Qosja Gërxhaliu Hoti Islami Ibrahimi Jakupi Kurti Nuhiu Ramadani "
    "Salihu Tahiri Zymberi Ymeri Avdiu Beqiri Dibrani Elshani Fazliu Gecaj Hamiti Ismajli "
    "Kabashi Lladrovci Mazreku Nimani Paçarizi Rrahmani Sejdiu Tërshnjaku Vitija Xhemajli "
    "Zogaj Abazi Aliu Bekteshi Cena Dobruna Emini Fetahu Gjinovci Hajrullahu Imeri Jonuzi"
)
SERBIAN_FAMILY: list[str] = _words(
    "Jovanović Petrović Nikolić Marković Đorđević Stojanović Ilić Stanković Pavlović "
    "Milošević Đukić Simić Todorović Kostić Mitić Lazić Živković Vučković Radić Trajković "
    "Stevanović Božović Dimitrijević Arsić Čolić Ćirić Janjić Gligorijević Jakšić Popović "
    "Vasić Krstić Nešić Spasić Tasić Žarković Šćepanović Denić Cvetković Milenković"
)
BOSNIAK_FAMILY: list[str] = _words(
    "Hodžić Mehmedović Husić Begović Alić Hadžić Kurtović Salihović Dervišević Bajrović "
    "Ćorović Ramović Šabanović Hasanović Muratović Džaferović Bešić Kajtazović"
)
ROMA_FAMILY: list[str] = _words(
    "Berisha Gashi Mustafa Bajrami Salihi Hasani Ademi Memeti Sejdiu Asllani Krasniqi "
    "Qerkini Durmishi Jahirović Mehmeti Rexhepi Bislimi Demiri Osmani Kurteshi Avdija"
)
TURKISH_FAMILY = _words("Bejta Kuqi Lenjani Mutlu Baki Doğan Şahin Hoxha Sokoli Kadriu")
GORANI_FAMILY = _words("Dauti Šehu Redžepi Hajrulahu Jonuzi Bajramović Ramadani Kurti")

ALBANIAN_MALE: list[str] = _words(
    "Agim Arben Bajram Besnik Blerim Burim Driton Fatmir Flamur Gazmend Ilir Jeton "
    "Kushtrim Lulzim Mentor Naim Petrit Qëndrim Rexhep Shkëlzen Valon Xhevdet Ylber "
    "Zenel Afrim Bekim Dardan Edon Fisnik Gëzim Hajdar Ismet Jusuf Kadri Labinot Mërgim "
    "Nexhat Osman Përparim Ramë Sabri Sokol Taulant Uran Vesel Xhemajl Zymer Arbër "
    "Shpëtim Gjon Gjergj Xhafer Çlirim Fatjon Hysen Idriz Shaban Bujar Avni Ardian"
)
ALBANIAN_FEMALE: list[str] = _words(
    "Arta Blerina Drita Elira Fatime Fitore Hana Jehona Kaltrina Lirije Mimoza Njomza "
    "Qëndresa Rina Shqipe Teuta Vjosa Vlora Xhevahire Zana Albulena Besa Donika Edona "
    "Flutura Gresa Hyrije Lumnije Mirlinda Nazmije Shpresa Valbona Yllka Zejnepe "
    "Afërdita Bukurije Ganimete Hatixhe Sadije Zyhrije Vesa Ardita"
)
SERBIAN_MALE = _words(
    "Dragan Zoran Milan Nenad Dejan Goran Slobodan Miloš Nikola Stefan Đorđe Dušan "
    "Živojin Vojislav Radomir Srđan Saša Bojan Miroslav Ljubiša Dragiša Momčilo Živko "
    "Žarko Predrag Vladimir Uroš Nebojša Čedomir Jovan"
)
SERBIAN_FEMALE = _words(
    "Jelena Milica Dragana Snežana Vesna Ljiljana Jasmina Marija Ivana Tijana Danijela "
    "Biljana Slađana Gordana Mirjana Nataša Jovana Kosovka Živana Đurđa"
)
BOSNIAK_MALE = _words(
    "Emir Mirsad Adnan Amir Edin Senad Jasmin Elvir Safet Sead Nermin Kemal Alija "
    "Ćazim Džemal Fikret Hasan"
)
BOSNIAK_FEMALE = _words("Amra Emina Lejla Selma Aida Amela Merima Sabina Medina Šemsa Džana Hajra")
ROMA_MALE = _words(
    "Bajram Sabit Ramadan Nexhat Shaban Ramiz Muharem Ibush Xhevdet Sefer Bekim Qamil "
    "Haqif Avdi Skender Ismet"
)
ROMA_FEMALE = _words("Selvije Fikrije Bedrije Hajrije Sebahate Mevlude Zade Shpresa Nexhmije")
ALBANIAN_MALE += _words(
    "Adem Adnan Agron Alban Albert Alush Arianit Armend Arton Astrit Avdullah Azem Bardh "
    "Bashkim Behxhet Blend Brahim Dalip Demë Destan Dritan Durim Egzon Elvis Enver Erion "
    "Ermal Etnik Fadil Faik Fehmi Ferid Gani Granit Hamdi Hamit Haxhi Hekuran Ibrahim "
    "Ilaz Isa Isuf Jakup Kemajl Kujtim Leutrim Liridon Lulëzim Mehmet Mentor Milaim "
    "Muhamet Nazim Nijazi Njazi Qazim Qerim Rifat Rrahman Sadri Sami Selim Shefqet Shyqyri "
    "Skënder Sylejman Tahir Tefik Urim Valmir Visar Xhavit Xhelal Ymer Zeqir Zijadin"
)
ALBANIAN_FEMALE += _words(
    "Adelina Agnesa Alketa Anila Arbnora Ariana Arjeta Besarta Besjana Blerta Diellza "
    "Dafina Doruntina Drenusha Egzona Elona Elza Emine Erblina Fatjona Fexhrije Fjolla "
    "Floriana Gentiana Hajrije Hava Kimete Kosovare Lindita Lule Luljeta Majlinda Makfire "
    "Merita Mirjeta Nafije Nora Pranvera Qefsere Remzije Rukije Sanije Shukrije Sevdije "
    "Shkurte Teuta Time Vlorjana Ylberina Zahide Zojë"
)


def _patronymic_surnames(roots: Sequence[str], endings: Sequence[str]) -> list[str]:
    """Surnames made from given names, as most Albanian and Serbian surnames were made
    (Ahmet -> Ahmeti, Jovan -> Jovanović): the long tail of rarer surnames."""
    made = []
    for root in roots:
        stem = root[:-1] if root[-1] in "aeëi" else root
        for ending in endings:
            made.append(stem + ending)
    return made


ALBANIAN_FAMILY += _patronymic_surnames(ALBANIAN_MALE, ("i", "aj", "ku"))
SERBIAN_FAMILY += _patronymic_surnames(SERBIAN_MALE, ("ović", "ić"))
BOSNIAK_FAMILY += _patronymic_surnames(BOSNIAK_MALE, ("ović", "agić"))
ROMA_FAMILY += _patronymic_surnames(ROMA_MALE, ("i", "ović"))

# community -> (share, native orthography, family names, male, female)
COMMUNITIES: dict[str, tuple[float, str, Sequence[str], Sequence[str], Sequence[str]]] = {
    "albanian": (0.86, "sq", ALBANIAN_FAMILY, ALBANIAN_MALE, ALBANIAN_FEMALE),
    "serb": (0.06, "sr", SERBIAN_FAMILY, SERBIAN_MALE, SERBIAN_FEMALE),
    "bosniak": (0.02, "sr", BOSNIAK_FAMILY, BOSNIAK_MALE, BOSNIAK_FEMALE),
    "roma": (0.015, "sq", ROMA_FAMILY, ROMA_MALE, ROMA_FEMALE),
    "ashkali": (0.02, "sq", ROMA_FAMILY, ROMA_MALE, ROMA_FEMALE),
    "egyptian": (0.01, "sq", ROMA_FAMILY, ROMA_MALE, ROMA_FEMALE),
    "turk": (0.01, "sq", TURKISH_FAMILY, ALBANIAN_MALE, ALBANIAN_FEMALE),
    "gorani": (0.005, "sr", GORANI_FAMILY, BOSNIAK_MALE, BOSNIAK_FEMALE),
}
COMMUNITY_WORDS = {
    "albanian": ("albanian", "Shqiptar", "Albaner", "Albanac"),
    "serb": ("serb", "Serbe", "Srbin", "Србин"),
    "bosniak": ("bosniak", "Bosniake", "Bošnjak", "Boshnjak"),
    "roma": ("roma", "Rom", "Roma"),
    "ashkali": ("ashkali", "Aschkali", "Aškalija"),
    "egyptian": ("egyptian", "Egjiptian", "Ägypter"),
    "turk": ("turk", "Türke", "Turčin"),
    "gorani": ("gorani", "Goraner", "Goranac"),
}
STREETS = (
    "Nëna Terezë",
    "Adem Jashari",
    "Skënderbeu",
    "Bill Klinton",
    "Agim Ramadani",
    "Fehmi Agani",
    "UÇK",
    "Dëshmorët e Kombit",
    "Ilir Konushevci",
    "Mbretëresha Teutë",
)

# --- how officials write names --------------------------------------------------------

_SQ_TO_SR = (
    ("xh", "dž"),
    ("Xh", "Dž"),
    ("gj", "đ"),
    ("Gj", "Đ"),
    ("sh", "š"),
    ("Sh", "Š"),
    ("zh", "ž"),
    ("Zh", "Ž"),
    ("dh", "d"),
    ("Dh", "D"),
    ("th", "t"),
    ("Th", "T"),
    ("ll", "l"),
    ("rr", "r"),
    ("Rr", "R"),
    ("ç", "č"),
    ("Ç", "Č"),
    ("q", "ć"),
    ("Q", "Ć"),
    ("ë", "e"),
    ("Ë", "E"),
    ("y", "i"),
    ("Y", "I"),
    ("x", "dz"),
    ("X", "Dz"),
)
_SR_TO_SQ = (
    ("dž", "xh"),
    ("Dž", "Xh"),
    ("đ", "gj"),
    ("Đ", "Gj"),
    ("š", "sh"),
    ("Š", "Sh"),
    ("ž", "zh"),
    ("Ž", "Zh"),
    ("č", "ç"),
    ("Č", "Ç"),
    ("ć", "q"),
    ("Ć", "Q"),
)
# By ear, from the native spelling: (Albanian, Serbian) letters -> the official's letters.
_BY_EAR: dict[str, tuple[tuple[str, str], ...]] = {
    "german": (
        ("xh", "dsch"),
        ("dž", "dsch"),
        ("sh", "sch"),
        ("zh", "sch"),
        ("š", "sch"),
        ("ž", "sch"),
        ("ç", "tsch"),
        ("č", "tsch"),
        ("ć", "tsch"),
        ("q", "tsch"),
        ("gj", "dj"),
        ("đ", "dj"),
        ("ë", "e"),
        ("y", "ü"),
        ("v", "w"),
    ),
    "swiss": (
        ("xh", "dsch"),
        ("dž", "dsch"),
        ("sh", "sch"),
        ("zh", "sch"),
        ("š", "sch"),
        ("ž", "sch"),
        ("ç", "tsch"),
        ("č", "tsch"),
        ("ć", "tsch"),
        ("q", "tsch"),
        ("gj", "dj"),
        ("đ", "dj"),
        ("ë", "e"),
        ("y", "i"),
    ),
    "swedish": (
        ("xh", "dj"),
        ("dž", "dj"),
        ("sh", "sj"),
        ("zh", "zj"),
        ("š", "sj"),
        ("ž", "zj"),
        ("ç", "tj"),
        ("č", "tj"),
        ("ć", "tj"),
        ("q", "tj"),
        ("gj", "dj"),
        ("đ", "dj"),
        ("ë", "e"),
    ),
    "dutch": (
        ("xh", "dzj"),
        ("dž", "dzj"),
        ("sh", "sj"),
        ("zh", "zj"),
        ("š", "sj"),
        ("ž", "zj"),
        ("ç", "tsj"),
        ("č", "tsj"),
        ("ć", "tj"),
        ("q", "tj"),
        ("gj", "dj"),
        ("đ", "dj"),
        ("ë", "e"),
        ("u", "oe"),
        ("y", "i"),
    ),
}
_BY_EAR["austrian"] = _BY_EAR["german"]
_ASCII_SR = str.maketrans({"š": "s", "č": "c", "ć": "c", "ž": "z", "Š": "S", "Č": "C", "Ć": "C"})

STYLES: tuple[tuple[str, float], ...] = (
    ("albanian", 0.22),
    ("serbian", 0.12),
    ("cyrillic", 0.10),
    ("ascii", 0.14),
    ("german", 0.16),
    ("swiss", 0.08),
    ("austrian", 0.05),
    ("swedish", 0.07),
    ("dutch", 0.06),
)
SENDING = {
    "albanian": "XK",
    "serbian": "RS",
    "cyrillic": "RS",
    "ascii": "FR",
    "german": "DE",
    "swiss": "CH",
    "austrian": "AT",
    "swedish": "SE",
    "dutch": "NL",
}


def _replace_all(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _by_ear(name: str, style: str) -> str:
    lower = name.lower()
    written = _replace_all(lower, _BY_EAR[style])
    if style in ("german", "austrian"):
        written = written.replace("wić", "witsch").replace("ić", "itsch")
    return written[:1].upper() + written[1:]


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "dj").replace("Đ", "Dj"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def render(name: str, native: str, style: str) -> str:
    """Write a name (in its `native` orthography, 'sq' or 'sr') as `style` writes it."""
    if not name:
        return ""
    serbian = _replace_all(name, _SQ_TO_SR) if native == "sq" else name
    albanian = _replace_all(name, _SR_TO_SQ) if native == "sr" else name
    if style == "albanian":
        return albanian
    if style == "serbian":
        return serbian
    if style == "cyrillic":
        return latin_to_cyrillic(serbian)
    if style == "ascii":
        return _strip(serbian.translate(_ASCII_SR)) if native == "sr" else _strip(albanian)
    return _by_ear(name, style)


# --- persons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One true person: the facts every record of them is written from."""

    pid: int
    community: str
    native: str
    family: str
    given: str
    father: str
    sex: str
    year: int
    month: int
    day: int
    municipality: str
    settlement: str
    document: str
    address: str


FAMILY_SKEW = 0.6
"""Zipf exponent of family names: the commonest Albanian one (Krasniqi) is about 4% of
Albanians, as in Kosovo (a steeper 0.9 made it 9%, and namesakes ten times too
common)."""
GIVEN_SKEW = 0.4
"""Zipf exponent of given names: the commonest is about 3% of its sex."""


def _zipf_pick(rng: random.Random, names: Sequence[str], skew: float = 1.0) -> str:
    # index ~ a truncated Zipf: weight 1/(rank+1)^skew, by inverse transform on a table
    weights = _WEIGHTS.setdefault((len(names), skew), _cumulative(len(names), skew))
    x = rng.random() * weights[-1]
    low, high = 0, len(weights) - 1
    while low < high:
        middle = (low + high) // 2
        if weights[middle] < x:
            low = middle + 1
        else:
            high = middle
    return names[low]


_WEIGHTS: dict[tuple[int, float], list[float]] = {}


def _cumulative(size: int, skew: float) -> list[float]:
    total, out = 0.0, []
    for rank in range(size):
        total += 1.0 / (rank + 1) ** skew
        out.append(total)
    return out


def _municipalities() -> dict[str, list[tuple[str, float]]]:
    places = gazetteer()
    by_community: dict[str, list[tuple[str, float]]] = {}
    for community in COMMUNITIES:
        options = []
        for municipality in places.municipalities:
            weight = 8.0 if municipality.majority == community else 1.0
            if municipality.kas_code == "19":
                weight *= 3  # Prishtinë
            options.append((municipality.kas_code, weight))
        by_community[community] = options
    return by_community


def _settlements() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for settlement in gazetteer().settlements:
        found.setdefault(settlement.municipality_kas, []).append(settlement.name_sq)
    return found


def _pick_weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    total = sum(weight for _, weight in options)
    x = rng.random() * total
    for value, weight in options:
        x -= weight
        if x <= 0:
            return value
    return options[-1][0]


def _document(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "P" + "".join(rng.choice("0123456789") for _ in range(7))
    return "".join(rng.choice("0123456789") for _ in range(10))


def population(size: int, seed: int) -> list[Person]:
    """`size` persons in families: siblings share family name, father, place."""
    rng = random.Random(seed)
    places = _municipalities()
    settlements = _settlements()
    communities = [(name, share) for name, (share, *_rest) in COMMUNITIES.items()]
    persons: list[Person] = []
    while len(persons) < size:
        community = _pick_weighted(rng, communities)
        _share, native, families, male, female = COMMUNITIES[community]
        family = _zipf_pick(rng, families, FAMILY_SKEW)
        father = _zipf_pick(rng, male, GIVEN_SKEW)
        municipality = _pick_weighted(rng, places[community])
        local = settlements.get(municipality, [])
        settlement = rng.choice(local) if local and rng.random() < 0.3 else ""
        address = f"Rr. {rng.choice(STREETS)} {rng.randint(1, 120)}" if rng.random() < 0.4 else ""
        children = min(size - len(persons), 1 + int(rng.expovariate(0.6)))
        year = rng.randint(1950, 2015)
        used: set[str] = set()
        for _ in range(children):
            sex = "m" if rng.random() < 0.52 else "f"
            if not set(male if sex == "m" else female) - used - {father}:
                break  # no name left for another child (a large family, few names)
            given = father
            while given == father or given in used:
                given = _zipf_pick(rng, male if sex == "m" else female, GIVEN_SKEW)
            used.add(given)
            persons.append(
                Person(
                    pid=len(persons),
                    community=community,
                    native=native,
                    family=family,
                    given=given,
                    father=father,
                    sex=sex,
                    year=min(year, 2020),
                    month=rng.randint(1, 12),
                    day=rng.randint(1, 28),
                    municipality=municipality,
                    settlement=settlement,
                    document=_document(rng) if rng.random() < 0.5 else "",
                    address=address,
                )
            )
            year += rng.randint(1, 4)
    return persons


def namesake(person: Person, pid: int, rng: random.Random) -> Person:
    """Another person of the same name and birth year, with another father or place."""
    _share, _native, _families, male, _female = COMMUNITIES[person.community]
    father = person.father
    while difflib.SequenceMatcher(None, father, person.father).ratio() > 0.6:
        father = rng.choice(male)  # another name, not a variant of it (Brahim, Ibrahim)
    municipality = person.municipality
    if rng.random() < 0.5:
        municipality = rng.choice([m.kas_code for m in gazetteer().municipalities])
    month, day = person.month, person.day
    while (month, day) in ((person.month, person.day), (person.day, person.month)):
        month, day = rng.randint(1, 12), rng.randint(1, 28)
    return replace(
        person,
        pid=pid,
        father=father,
        municipality=municipality,
        settlement="",
        month=month,
        day=day,
        document=_document(rng) if rng.random() < 0.5 else "",
        address="",
    )


def sibling(person: Person, pid: int, rng: random.Random) -> Person:
    """A brother or sister: same family name, father, place; other given name and date."""
    _share, _native, _families, male, female = COMMUNITIES[person.community]
    sex = rng.choice("mf")
    given = person.given
    while given in (person.given, person.father):
        given = rng.choice(male if sex == "m" else female)
    year = person.year + rng.choice((-3, -2, -1, 1, 2, 3))
    return replace(
        person,
        pid=pid,
        given=given,
        sex=sex,
        year=year,
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        document=_document(rng) if rng.random() < 0.5 else "",
    )


# --- records -----------------------------------------------------------------------------


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name
    at = rng.randint(1, len(name) - 2)
    kind = rng.random()
    if kind < 0.35:
        return name[:at] + name[at + 1 :]
    if kind < 0.6:
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind < 0.8:
        return name[:at] + name[at] + name[at:]
    vowels = "aeiou"
    if name[at] in vowels:
        return name[:at] + rng.choice(vowels.replace(name[at], "")) + name[at + 1 :]
    return name[:at] + name[at + 1] + name[at + 1 :]


def _date(person: Person, style: str, rng: random.Random, clean: bool) -> str:
    year, month, day = person.year, person.month, person.day
    x = rng.random()
    if not clean:
        if x < 0.06:
            return ""
        if x < 0.18:
            return str(year)
        if x < 0.22:
            return f"{year}-{month:02d}" if rng.random() < 0.5 else f"{month:02d}.{year}"
        if x < 0.27 and day <= 12:
            month, day = day, month
        elif x < 0.30:
            day = max(1, min(28, day + rng.choice((-1, 1, 10))))
        elif x < 0.31:
            year += rng.choice((-1, 1))
    if style in ("german", "swiss", "austrian", "serbian", "cyrillic") or rng.random() < 0.3:
        return f"{day:02d}.{month:02d}.{year}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _place(code: str, style: str, rng: random.Random) -> str:
    municipality = next(m for m in gazetteer().municipalities if m.kas_code == code)
    if style == "cyrillic":
        return municipality.name_sr_cyrl
    if style in ("serbian", "ascii") or (style != "albanian" and rng.random() < 0.4):
        name = municipality.name_sr
        return _strip(name) if style == "ascii" else name
    return municipality.name_sq if rng.random() < 0.7 else _strip(municipality.name_sq)


def record(person: Person, ref: str, style: str, rng: random.Random, clean: bool) -> dict[str, str]:
    """One list row about `person`, as an official of `style` writes it.

    A `clean` record (a register's) has every field the person has, fully; the
    others leave out, abbreviate and mistype as lists do.
    """
    family = render(person.family, person.native, style)
    given = render(person.given, person.native, style)
    father = render(person.father, person.native, style)
    if not clean:
        if rng.random() < 0.05:
            family = _typo(family, rng)
        if rng.random() < 0.05:
            given = _typo(given, rng)
        if rng.random() < 0.4:
            father = ""
        if rng.random() < 0.04:
            family, given = given, family
    sex_words = {
        "m": ("m", "M", "male", "männlich", "mashkull"),
        "f": ("f", "F", "female", "weiblich", "femër"),
    }
    drop = 0.0 if clean else 1.0
    sex = rng.choice(sex_words[person.sex]) if rng.random() > 0.1 * drop else ""
    community = rng.choice(COMMUNITY_WORDS[person.community]) if rng.random() > 0.35 * drop else ""
    municipality = _place(person.municipality, style, rng) if rng.random() > 0.15 * drop else ""
    if municipality and not clean and rng.random() < 0.03:
        other = rng.choice(gazetteer().municipalities).kas_code
        municipality = _place(other, style, rng)
    settlement = person.settlement if municipality and rng.random() > 0.5 * drop else ""
    birth_place = (
        _place(person.municipality, style, rng) if rng.random() < (0.2 if not clean else 0) else ""
    )
    address = person.address if rng.random() < (0.3 if not clean else 1.0) else ""
    document = ""
    if person.document and rng.random() < (0.3 if not clean else 1.0):
        document = person.document
        if rng.random() < 0.3:
            document = f"{document[:3]} {document[3:6]}-{document[6:]}"
    return {
        "person_ref": ref,
        "family_name": family,
        "given_name": given,
        "father_name": father,
        "sex": sex,
        "birth_date": _date(person, style, rng, clean),
        "community": community,
        "origin_municipality": municipality,
        "origin_settlement": settlement,
        "birth_place": birth_place,
        "address": address,
        "document_number": document,
        "return_type": "forced",
        "sending_country": SENDING[style],
    }


def _style(rng: random.Random) -> str:
    return _pick_weighted(rng, STYLES)


def dedupe_set(
    persons: int, seed: int, *, copies: Sequence[float] = (0.86, 0.11, 0.03), hard: float = 0.02
) -> tuple[list[dict[str, str]], dict[str, int]]:
    """One list in which some persons appear more than once, differently written.

    `copies` are the shares of persons with one, two, three ... records. A share
    `hard` of the persons gets a sibling or a namesake added to the list, so that the
    list holds the pairs that must not be matched. Returns the rows (shuffled) and
    the truth: person_ref -> person id.
    """
    rng = random.Random(seed + 1)
    people = population(persons, seed)
    extra: list[Person] = []
    for person in people:
        if rng.random() < hard:
            maker = sibling if rng.random() < 0.5 else namesake
            extra.append(maker(person, len(people) + len(extra), rng))
    rows: list[dict[str, str]] = []
    truth: dict[str, int] = {}
    for person in (*people, *extra):
        count = 1 + sum(1 for share in _cumulative_shares(copies) if rng.random() >= share)
        for _ in range(count):
            ref = f"D{len(rows) + 1:07d}"
            rows.append(record(person, ref, _style(rng), rng, clean=False))
            truth[ref] = person.pid
    rng.shuffle(rows)
    return rows, truth


def _cumulative_shares(copies: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for share in copies[:-1]:
        total += share
        out.append(total)
    return out


def link_sets(
    register_size: int, list_size: int, seed: int, *, known: float = 0.5
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, int]]:
    """A register (one clean record per person) and a list of whom `known` are in it.

    The list's other persons come from the same population, so that siblings and
    namesakes of registered persons are on it too. Returns (register rows, list
    rows, truth for both: person_ref -> person id).
    """
    rng = random.Random(seed + 2)
    newcomers = round(list_size * (1 - known))
    people = population(register_size + newcomers, seed)
    rng.shuffle(people)
    registered, others = people[:register_size], people[register_size:]
    truth: dict[str, int] = {}
    register_rows = []
    for number, person in enumerate(registered, 1):
        ref = f"R{number:07d}"
        style = "albanian" if person.native == "sq" else "serbian"
        register_rows.append(record(person, ref, style, rng, clean=True))
        truth[ref] = person.pid
    listed = rng.sample(registered, list_size - newcomers) + others
    rng.shuffle(listed)
    list_rows = []
    for number, person in enumerate(listed, 1):
        ref = f"L{number:07d}"
        list_rows.append(record(person, ref, _style(rng), rng, clean=False))
        truth[ref] = person.pid
    return register_rows, list_rows, truth


def write_csv(rows: Sequence[dict[str, str]], path: Path) -> Path:
    """Write rows as a UTF-8 CSV list with the manifest's header."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def true_pairs(
    truth: dict[str, int], left: Iterable[str], right: Iterable[str] | None
) -> set[tuple[str, str]]:
    """The pairs of references that are one person (dedupe: left < right)."""
    by_person: dict[int, list[str]] = {}
    for ref in left:
        by_person.setdefault(truth[ref], []).append(ref)
    pairs: set[tuple[str, str]] = set()
    if right is None:
        for refs in by_person.values():
            refs.sort()
            pairs.update((a, b) for i, a in enumerate(refs) for b in refs[i + 1 :])
        return pairs
    for ref in right:
        for other in by_person.get(truth[ref], ()):
            pairs.add((other, ref))
    return pairs
