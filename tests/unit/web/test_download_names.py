"""File names of downloads in any script, and cells XLSX can hold."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from rrms.formats.safe_cells import xml_safe
from rrms.http.headers import ascii_file_name, content_disposition


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("списак-screening.csv", "spisak-screening.csv"),
        ("Ђорђевић.pdf", "Djordjevic.pdf"),
        ("Pejë.xlsx", "Peje.xlsx"),
        ('a"b;c\\d.csv', "a_b_c_d.csv"),
        ("日本.csv", "__.csv"),
        ("", "download"),
    ],
)
def test_the_ascii_name_beside_the_exact_one(name, fallback):
    assert ascii_file_name(name) == fallback
    header = content_disposition(name)
    header.encode("latin-1")  # what an HTTP header can carry
    assert header.startswith(f'attachment; filename="{fallback}"')
    if fallback != name and name:
        assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name


def test_a_plain_name_is_written_once():
    assert content_disposition("report.pdf", "inline") == 'inline; filename="report.pdf"'


def test_control_characters_leave_the_name_and_the_cell():
    assert "%01" not in content_disposition("list\x01.csv")
    assert xml_safe("a\x01b\x0bc\ufffe\td\ne") == "abc\td\ne"
