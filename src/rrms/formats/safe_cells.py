"""Keep cells from being evaluated as formulas when results are opened in a spreadsheet.

Manifests come from outside. A name cell such as `=HYPERLINK("http://evil", "x")` or
`@SUM(...)` written back unchanged into a CSV/XLSX result would be run by Excel or
LibreOffice when a caseworker opens it ("CSV injection", OWASP). Every exported text
cell therefore goes through `neutralise_formula`, and every XLSX text cell through
`xml_safe` (a control character such as `\\x01` cannot be stored in an XLSX file).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "FORMULA_PREFIXES",
    "XML_ILLEGAL",
    "is_formula_like",
    "neutralise_formula",
    "xml_safe",
]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP list:
#: equals, plus, minus, at, and tab / carriage return which some programs skip).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")

#: Control characters XML 1.0, and so an XLSX file, cannot hold (tab, line feed and
#: carriage return excepted), and the two non-characters U+FFFE and U+FFFF; openpyxl
#: refuses a cell holding one.
XML_ILLEGAL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """Drop the control characters an XLSX cell cannot hold (`\\x01` and the like).

    A list from outside may carry one in any cell; it is invisible in a spreadsheet,
    so it is dropped rather than shown, and the rest of the text is kept.
    """
    return XML_ILLEGAL.sub("", value)


def is_formula_like(value: str) -> bool:
    """Tell whether a spreadsheet could evaluate this cell as a formula."""
    return value.startswith(FORMULA_PREFIXES)


def neutralise_formula(value: str) -> str:
    """Return the cell so that no spreadsheet evaluates it, keeping the value visible.

    A cell starting with '=', '+', '-', '@', a tab or a carriage return is prefixed
    with a single quote, the spreadsheet convention for "this is text" (CSV
    injection defence, OWASP). The original text stays visible after the quote, so
    nothing is lost, e.g. a phone number '+383 44 123 456' becomes "'+383 44 123 456".
    Any other value is returned unchanged.
    """
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
