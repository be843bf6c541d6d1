"""Reading a PDF's text in tests, with the pdfium the project already uses."""

from __future__ import annotations

import pypdfium2


def pdf_text(pdf_bytes: bytes) -> str:
    """All the text of a PDF, page after page."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
