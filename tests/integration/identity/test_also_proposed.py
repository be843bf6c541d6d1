"""Other pairs beside one pair of the review queue: which contradict it, how many."""

from fastapi.testclient import TestClient

from rrms.services.core import records
from rrms.services.identity.duplicates import (
    ALSO_PROPOSED_LIMIT,
    also_proposed,
    also_proposed_counts,
    queue,
    queued_pair,
)
from rrms.services.records.persons import PERSONS
from rrms.web.server import create_server
from support.duplicates import propose
from support.pages import sign_in


def test_a_third_person_proposed_with_both_is_never_flagged_even_beyond_the_list(
    uow, actors, session_factory
):
    """The list shows the most probable other pairs only; whether a third person is
    proposed with both persons of the pair is read from all of them. T is proposed
    with B at 0.99 (shown) and with A at 0.50 (beyond the 20 shown): not flagged."""
    worker = actors["caseworker"]
    with uow() as u:
        a, b, t, *fillers = (
            records.create_record(
                u,
                worker,
                PERSONS,
                {"family_name": "Gashi", "given_name": "Arta", "person_ref": ref},
            ).id
            for ref in [f"G-{n}" for n in range(3 + ALSO_PROPOSED_LIMIT + 1)]
        )
        pair = propose(u, a, b, 0.98)
        propose(u, t, b, 0.99)
        for number, filler in enumerate(fillers):
            propose(u, a, filler, 0.9 - number / 100)
        propose(u, t, a, 0.5)
        u.commit()
    with uow() as u:
        others = also_proposed(u, worker, queued_pair(u, worker, pair))
        assert others.total == 2 + ALSO_PROPOSED_LIMIT + 1
        assert len(others.shown) == ALSO_PROPOSED_LIMIT
        first = others.shown[0]
        assert (first.shared.id, first.third.id, first.apart_from) == (b, t, None)
        assert all(
            item.apart_from is not None and item.apart_from.id == b for item in others.shown[1:]
        )
        rows, _total = queue(u, worker)
        counts = also_proposed_counts(u, worker, rows)
        assert counts[pair] == others.total
    with TestClient(create_server(session_factory)) as client:
        sign_in(client, "caseworker")
        page = client.get(f"/duplicates/{pair}").text
    assert f"The {ALSO_PROPOSED_LIMIT} most probable of {others.total} other pairs." in page
    assert page.count("not proposed with #") == ALSO_PROPOSED_LIMIT - 1
