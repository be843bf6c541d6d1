"""Generate ``src/rrms/reference/data/countries.csv`` from the ISO 3166-1 list.

This script was used once to produce the shipped ``countries.csv``; rrms itself
never imports pycountry. It takes every ISO 3166-1 country from the PyPI package
``pycountry`` (which ships the Debian iso-codes data and its German
translations, gettext domain 'iso3166-1'), adds Kosovo (XK/XKX, a user-assigned
code that ISO does not list) and the short or historical names that notification
lists use ('UK', 'Holland', 'Serbia and Montenegro' ...), and drops any spelling
that would name two countries.

Run it again only to refresh the data, with pycountry installed temporarily::

    .venv/bin/pip install pycountry
    .venv/bin/python scripts/make_countries_csv.py
    .venv/bin/pip uninstall -y pycountry
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

from rrms.reference.text import spelling_keys

OUTPUT = Path(__file__).resolve().parent.parent / "src/rrms/reference/data/countries.csv"

KOSOVO = {
    "alpha2": "XK",
    "alpha3": "XKX",
    "name_en": "Kosovo",
    "name_de": "Kosovo",
}

EXTRA_VARIANTS: dict[str, tuple[str, ...]] = {
    "XK": (
        "Kosova",
        "Kosovë",
        "Kosovo (UNSCR 1244)",
        "Kosovo UNSCR 1244",
        "Kosovo under UNSCR 1244",
        "Kosovo (UNSC 1244)",
        "Kosovo*",
        "UNMIK",
        "Republic of Kosovo",
        "Republika e Kosovës",
        "Republik Kosovo",
        "Kosovo and Metohija",
        "Kosovo i Metohija",
        "Kosovo und Metochien",
        "KOS",
        "RKS",
    ),
    "RS": (
        "Serbia and Montenegro",
        "Serbien und Montenegro",
        "Srbija i Crna Gora",
        "State Union of Serbia and Montenegro",
        "CS",
        "SCG",
        "Yugoslavia",
        "Federal Republic of Yugoslavia",
        "FRY",
        "Jugoslawien",
        "Bundesrepublik Jugoslawien",
        "Jugoslavija",
        "SR Jugoslavija",
        "YU",
        "YUG",
        "Srbija",
        "Serbien",
    ),
    "GB": (
        "UK",
        "U.K.",
        "Great Britain",
        "Britain",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Großbritannien",
        "England und Wales",
    ),
    "NL": ("Holland", "The Netherlands", "Nederland"),
    "DE": ("BRD", "Germany (Federal Republic)"),
    "CH": ("Suisse", "Svizzera", "Confoederatio Helvetica"),
    "AT": ("Österreich",),
    "US": ("USA", "U.S.A.", "United States of America", "Vereinigte Staaten"),
    "RU": ("Russia", "Russland"),
    "CZ": ("Czech Republic", "Tschechische Republik"),
    "MK": (
        "Macedonia",
        "Republic of Macedonia",
        "FYROM",
        "Former Yugoslav Republic of Macedonia",
        "Mazedonien",
        "Makedonija",
    ),
    "TR": ("Turkey", "Türkei"),
    "BA": ("Bosnia", "Bosnien", "Bosnia-Herzegovina", "Bosnien-Herzegowina", "BiH"),
    "GR": ("EL", "Hellas"),
    "AL": ("Shqipëri", "Shqipëria"),
    "ME": ("Crna Gora",),
    "HR": ("Hrvatska",),
    "SI": ("Slovenija",),
    "HU": ("Magyarország",),
    "SE": ("Sverige",),
    "NO": ("Norge",),
    "DK": ("Danmark",),
    "FI": ("Suomi",),
    "BE": ("Belgique", "België"),
    "IT": ("Italia",),
    "ES": ("España",),
    "PL": ("Polska",),
    "IE": ("Éire",),
    "MD": ("Moldova", "Moldawien"),
    "KR": ("Korea (South)", "Südkorea"),
    "KP": ("North Korea", "Korea (North)", "Nordkorea"),
    "IR": ("Iran",),
    "SY": ("Syria", "Syrien"),
    "LA": ("Laos",),
    "VN": ("Vietnam",),
    "TZ": ("Tanzania", "Tansania"),
    "VE": ("Venezuela",),
    "VA": ("Vatican", "Vatican City", "Vatikan", "Vatikanstadt"),
    "CI": ("Ivory Coast", "Elfenbeinküste"),
    "CV": ("Cape Verde", "Kap Verde"),
    "SZ": ("Swaziland", "Swasiland"),
    "MM": ("Burma", "Birma"),
    "PS": ("Palestine", "Palästina"),
    "CD": ("DR Congo", "Democratic Republic of the Congo", "Kongo (Demokratische Republik)"),
    "CG": ("Republic of the Congo", "Kongo-Brazzaville"),
}

NOTES = {
    "XK": "not in ISO 3166-1: XK/XKX is the user-assigned code in common use (EU, UN bodies)",
    "RS": (
        "'Serbia and Montenegro' (CS, SCG) and 'Yugoslavia' (YU, FRY) are read as Serbia: "
        "they were one state in 2004, and the later Montenegro is ME"
    ),
}


def translator() -> gettext.NullTranslations:
    """Return the German translations of ISO 3166-1 names shipped with pycountry."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])


def country_rows() -> list[dict[str, str]]:
    """Build one row per country: codes, English and German names, other spellings."""
    german = translator()
    rows: list[dict[str, str]] = []
    for country in pycountry.countries:
        iso_name = country.name
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        name_en = common or iso_name
        name_de = german.gettext(common) if common else german.gettext(iso_name)
        if name_de == name_en and common:
            name_de = german.gettext(iso_name)
        names = [iso_name, common, official, german.gettext(iso_name)]
        if common:
            names.append(german.gettext(common))
        if official:
            names.append(german.gettext(official))
        names.extend(EXTRA_VARIANTS.get(country.alpha_2, ()))
        rows.append(
            {
                "alpha2": country.alpha_2,
                "alpha3": country.alpha_3,
                "name_en": name_en,
                "name_de": name_de,
                "variants": names_cell(names, (name_en, name_de)),
                "notes": NOTES.get(country.alpha_2, ""),
            }
        )
    rows.append(
        {
            **KOSOVO,
            "variants": names_cell(list(EXTRA_VARIANTS["XK"]), ("Kosovo",)),
            "notes": NOTES["XK"],
        }
    )
    rows.sort(key=lambda row: row["alpha2"])
    drop_ambiguous(rows)
    return rows


def names_cell(names: list[str | None], shown: tuple[str, ...]) -> str:
    """Join the distinct spellings that are not already a displayed name with '|'."""
    seen: list[str] = []
    for name in names:
        if name and name not in shown and name not in seen:
            seen.append(name)
    return "|".join(seen)


def drop_ambiguous(rows: list[dict[str, str]]) -> None:
    """Remove every variant spelling whose search key also names another country.

    Codes and displayed names must never collide; the script fails if they do.
    """
    owners: dict[str, set[str]] = {}
    for row in rows:
        names = [row["alpha2"], row["alpha3"], row["name_en"], row["name_de"]]
        names.extend(name for name in row["variants"].split("|") if name)
        for name in names:
            for key in spelling_keys(name):
                owners.setdefault(key, set()).add(row["alpha2"])
    ambiguous = {key for key, codes in owners.items() if len(codes) > 1}
    for row in rows:
        for name in (row["alpha2"], row["alpha3"], row["name_en"], row["name_de"]):
            if spelling_keys(name) & ambiguous:
                raise SystemExit(f"ambiguous displayed name or code: {name!r}")
        kept = [
            name
            for name in row["variants"].split("|")
            if name and not spelling_keys(name) & ambiguous
        ]
        dropped = set(row["variants"].split("|")) - set(kept) - {""}
        for name in sorted(dropped):
            print(f"{row['alpha2']}: dropped ambiguous spelling {name!r}", file=sys.stderr)
        row["variants"] = "|".join(kept)


def main() -> None:
    """Write the CSV file next to the other reference data."""
    rows = country_rows()
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=["alpha2", "alpha3", "name_en", "name_de", "variants", "notes"],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUTPUT}")


if __name__ == "__main__":
    main()
