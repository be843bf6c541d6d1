"""The review queue through the API: a pair's other proposals, as the page shows them."""

from rrms.services.identity.duplicates import find_duplicates
from rrms.storage.tables import AuditEntry
from support.duplicates import also_proposed_around, one_person_twice


def test_a_pair_names_the_other_pairs_that_propose_either_person(client, auth, uow, actors):
    queued = one_person_twice(uow, actors["caseworker"], actors["programme_manager"])
    with uow() as u:
        queued["pair"] = find_duplicates(u, actors["caseworker"]).queued[0].id
    others = also_proposed_around(uow, actors["caseworker"], queued)
    answer = client.get(
        f"/duplicates/{queued['pair']}/also-proposed", headers=auth("programme_manager")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == 3
    items = answer.json()["items"]
    assert [item["third"]["id"] for item in items] == [
        others["namesake"],
        others["twin"],
        others["twin"],
    ]
    namesake = items[0]
    assert namesake["pair"]["id"] == others["with_second"]
    assert namesake["shared_person_id"] == queued["second"]
    assert namesake["not_proposed_with"] == queued["first"]
    assert namesake["pair"]["left"]["id"] < namesake["pair"]["right"]["id"]
    assert [item["not_proposed_with"] for item in items[1:]] == [None, None]
    refused = client.get(f"/duplicates/{queued['pair']}/also-proposed", headers=auth("medical"))
    assert refused.status_code == 403


def test_reading_a_pair_is_audited_naming_both_persons(client, auth, uow, actors):
    queued = one_person_twice(uow, actors["caseworker"], actors["programme_manager"])
    with uow() as u:
        pair = find_duplicates(u, actors["caseworker"]).queued[0].id
    answer = client.get(f"/duplicates/{pair}", headers=auth("programme_manager"))
    assert answer.status_code == 200, answer.text
    assert {answer.json()["left"]["id"], answer.json()["right"]["id"]} == {
        queued["first"],
        queued["second"],
    }
    with uow() as u:
        entry = (
            u.session.query(AuditEntry)
            .filter_by(action="read", entity="duplicates", entity_id=str(pair))
            .one()
        )
        assert entry.username == "programme_manager_user"
        assert sorted(entry.after["persons"]) == sorted([queued["first"], queued["second"]])
