"""Stored vocabulary words as a page shows them: `{{ status|word }}`.

The labels are kept in `rrms.domain.labels`, below the reports, so that the pages and
the reports (screening downloads, subject access) show the same words; this module
keeps the pages' import path.
"""

from __future__ import annotations

from rrms.domain.labels import LABELS, word_filter

__all__ = ["LABELS", "word_filter"]
