"""A notification list for the screening officer's desk tests: the example list, an
unknown column (a warning), a family whose open question is answered by mistake, and
a person written in Cyrillic with a partial birth date."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifest-example.csv"

MORINA = (
    "DE-0007,F7,Morina,Ervin,,m,1982,head,albanian,,Prizren,,forced,DE,no,,no,no,no,no,,no,,,yes,,,"
)
"""Head of family F7: `mixed_marriage` unanswered, so the family is `review`."""

MORINA_SPOUSE = (
    "DE-0008,F7,Morina,Teuta,,f,1985,spouse,albanian,,Prizren,,forced,DE,"
    "no,no,no,no,no,no,,no,,,yes,,,"
)

CYRILLIC = "DE-0009,,Јовановић,Милица,,ж,1944-05,head,srbin,,Пећ,,forced,DE,,,,,,,,,,,,,,"
"""A Kosovo Serb in Cyrillic, born in May 1944 (a partial date stays partial)."""


def desk_list(folder: Path, name: str = "Liste Oktober.csv") -> Path:
    """Write the list under `name` in `folder`; its `remarks` column is unknown."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",remarks"] + [line + "," for line in lines[1:]]
    rows += [MORINA + ",", MORINA_SPOUSE + ",called twice", CYRILLIC + ","]
    path = folder / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
