"""Concurrent writers keep the audit chain linear (no fork, no lost entry)."""

import threading

from sqlalchemy import func, select

from rrms.services.core import audit
from rrms.services.core.access import SYSTEM
from rrms.storage.tables import AuditEntry


def test_concurrent_audit_entries_form_one_chain(uow):
    failures = []

    def reader(number):
        for _ in range(15):
            try:
                with uow() as u:
                    audit.record(u, SYSTEM, "read", "persons", number, after={"n": 1})
                    u.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(repr(exc))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with uow() as u:
        assert u.session.scalar(select(func.count()).select_from(AuditEntry)) == 90
        assert list(audit.verify_chain(u)) == []
