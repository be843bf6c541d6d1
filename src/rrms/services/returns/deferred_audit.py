"""The audit entries of an import, kept until the whole file is known to be good.

Recording an entry takes the audit chain's lock (`rrms.services.core.audit`), which is
then held to the commit, and every audited read of every user waits for it. So the
import keeps the `update` entries of the rows it changes (`PendingAudit`) and records
them only once the file has been checked, just before it commits: the lock is held for
moments, and a file with errors never takes it.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Any

__all__ = ["PendingAudit"]


class PendingAudit:
    """The `update` audit entries of an import, kept until the file has been checked.

    Until then they wait in a private temporary file (owner only, deleted when
    closed): memory stays flat however many rows change.
    """

    def __init__(self) -> None:
        self.file: Any = None
        self.count = 0

    def add(
        self, entity: str, record_id: int, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        """Keep one entry for later."""
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="rrms-import-audit-")  # noqa: SIM115
        pickle.dump((entity, record_id, before, after), self.file, pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def entries(self) -> Iterator[tuple[str, int, dict[str, Any], dict[str, Any]]]:
        """The entries kept, in the order they were added; each is given once."""
        if self.file is None:
            return
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)  # noqa: S301 - our own private file
        self.close()

    def close(self) -> None:
        """Delete the file."""
        if self.file is not None:
            self.file.close()
            self.file = None
            self.count = 0
