"""The screening result's PDF fits its pages: A4 landscape, long references and
explanations wrapped inside their columns, never cut at the page edge."""

import datetime as dt
from pathlib import Path

from rrms.services.screening.screen import screen_manifest
from support.pdf_text import page_sizes, pdf_text, squeeze

EXAMPLE = Path(__file__).parents[3] / "examples" / "manifest-example.csv"
LONG_REF = "DE-" + "X" * 77
LONG_FAMILY = "F" * 80


def test_long_cells_wrap_on_a4_landscape_and_nothing_is_cut(tmp_path):
    listed = tmp_path / "Liste Oktober.csv"
    listed.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        .replace("DE-0005,F4", f"{LONG_REF},F4")
        .replace("DE-0003,F2", f"DE-0003,{LONG_FAMILY}"),
        "utf-8",
    )
    report = screen_manifest(listed, dt.date(2004, 11, 15))
    body = report.pdf_bytes()
    assert {(round(w), round(h)) for w, h in page_sizes(body)} == {(842, 595)}  # A4 across
    text = pdf_text(body)
    for person in report.persons():
        assert squeeze(person["explanation"]) in text  # to its last word
    assert LONG_REF in text and LONG_FAMILY in text
    assert squeeze("Liste Oktober.csv") in text
