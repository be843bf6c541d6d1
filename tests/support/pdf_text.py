"""The text of a PDF as the tests compare it: read with pypdfium2, white space removed.

A table cell or a paragraph wraps where the page needs it, so a clause or a name may be
broken over lines. Removing white space (and turning the marker pdfium puts where a
line ends in a hyphen, U+FFFE, back into the hyphen) lets a test ask whether a text
is there, whole, whatever the wrapping.
"""

from __future__ import annotations

import pypdfium2


def squeeze(text: str) -> str:
    """The text without white space, as `pdf_text` returns it."""
    return "".join(text.replace("\ufffe", "-").split())


def pdf_text(body: bytes) -> str:
    """Every page's text, in order, squeezed."""
    document = pypdfium2.PdfDocument(body)
    return squeeze("".join(page.get_textpage().get_text_range() for page in document))


def page_sizes(body: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    document = pypdfium2.PdfDocument(body)
    return [tuple(page.get_size()) for page in document]  # type: ignore[misc]
