"""Small lists for the linkage tests, written as sending states write them."""

from __future__ import annotations

# One person four times (Albanian, German by ear, Serbian Cyrillic with the year only,
# Swedish with day and month swapped), a brother, a namesake, and a stranger.
DEDUPE_ROWS = (
    (
        "D01",
        "Xhaferi",
        "Agim",
        "Bajram",
        "m",
        "12.05.1980",
        "albanian",
        "Pejë",
        "",
        "",
        "",
        "P 123-4567",
    ),
    ("D02", "Dschaferi", "Agim", "Bajram", "männlich", "12.05.1980", "", "Peć"),
    ("D03", "Џафери", "Агим", "Бајрам", "m", "1980", "", "Пећ"),
    ("D04", "Djaferi", "Agim", "", "m", "1980-12-05", "", "Peja", "", "", "", "P1234567"),
    # brother: same family name, father and place; other given name and birth date
    ("D05", "Xhaferi", "Arben", "Bajram", "m", "03.02.1983", "albanian", "Pejë"),
    # namesake: same name and year, other father and place
    ("D06", "Xhaferi", "Agim", "Hasan", "m", "1980-09-23", "albanian", "Prizren"),
    ("D07", "Berisha", "Drita", "Ilir", "f", "1975", "albanian", "Gjakovë"),
)
