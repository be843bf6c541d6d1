"""How far an uploaded file may expand once read: the bounds every reader checks.

`rrms.domain.vocabulary.MAX_UPLOAD_BYTES` bounds the file as sent; these bound what
it holds. An XLSX is a zip archive: 2 MB of it can inflate to a sheet of a million
rows of one repeated string, or a header row of a million cells, and without these
bounds reading it took minutes and gigabytes of a server worker. Each bound is
checked while the file is streamed (never after it has been read into memory), and
exceeding one refuses the file with one error that names the bound.
The numbers are set for what a sending state's list or a returns register really
is: a million persons at most, a few dozen columns.
"""

from __future__ import annotations

from typing import Final

MAX_ROWS: Final[int] = 1_048_576
"""Rows a sheet or CSV may have, blank rows and the header included: Excel's own
limit, so every list that Excel or LibreOffice can save fits, and the design size of
a list or register (a million persons) with it."""

MAX_COLUMNS: Final[int] = 1_000
"""Cells a row may have. A list has about 20 columns and a register about 25; a
thousand leaves room for any export with extra columns while a row stays small (a
header of a million columns was the attack)."""

MAX_CELL_CHARS: Final[int] = 32_767
"""Characters one cell may hold: Excel's own limit for a cell."""

MAX_LINE_CHARS: Final[int] = 1_048_576
"""Characters one line of a CSV may have (a quoted cell may span lines). A row of the
widest list is a few hundred characters; the bound lets a line be refused before it
is split into cells, so a one-line file of 200 MB never becomes a list of millions."""

MAX_XLSX_UNCOMPRESSED_BYTES: Final[int] = 1024 * 1024 * 1024
"""Bytes all parts of a workbook may inflate to, as the zip declares (Python's zip
reader never inflates a part past its declared size). A sheet of a million persons
of about twenty columns is 0.6-0.9 GB of XML."""

MAX_XLSX_SHARED_STRINGS_BYTES: Final[int] = 200 * 1024 * 1024
"""Bytes the workbook's shared-strings part may inflate to: the reader holds every
shared string in memory, so they get no more room than a CSV upload's whole text
(`MAX_UPLOAD_BYTES`)."""

MAX_XLSX_PART_BYTES: Final[int] = 16 * 1024 * 1024
"""Bytes any other part of a workbook (styles, theme, the workbook part, relationships)
may inflate to: openpyxl reads these whole into objects; a real one is kilobytes."""

MAX_XLSX_PARTS: Final[int] = 10_000
"""Parts (files) a workbook's zip may hold; a workbook has a dozen or so. The zip's
directory is read into memory before anything else."""

MAX_ERRORS_PER_COLUMN: Final[int] = 20
"""Errors listed per column (errors of the file as a whole are always listed); the
rest are counted. Twenty show the pattern of a column's mistake; a million-row file
with every row wrong must not answer with a million errors."""
