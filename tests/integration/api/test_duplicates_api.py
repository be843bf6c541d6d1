"""The review queue through the API: a pair's other proposals, as the page shows them."""

from rrms.services.identity.duplicates import find_duplicates
from rrms.services.records.subject_access import subject_access
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


def test_reading_a_pair_is_a_listing_each_persons_subject_access_shows(client, auth, uow, actors):
    """Whoever read a pair through the API saw both persons' names and birth dates: the
    read is audited as a listing of both, which their subject access reports."""
    queued = one_person_twice(uow, actors["caseworker"], actors["programme_manager"])
    with uow() as u:
        pair = find_duplicates(u, actors["caseworker"]).queued[0].id
    answer = client.get(f"/duplicates/{pair}", headers=auth("programme_manager"))
    assert answer.status_code == 200, answer.text
    assert {answer.json()["left"]["id"], answer.json()["right"]["id"]} == {
        queued["first"],
        queued["second"],
    }
    for person_id in (queued["first"], queued["second"]):
        with uow() as u:
            log = subject_access(u, actors["administrator"], person_id).document["log"]
        seen = [
            line
            for line in log
            if line["who"] == "programme_manager_user" and line["record_id"] == f"duplicates {pair}"
        ]
        assert [(line["action"], line["entity"]) for line in seen] == [("list", "persons")]
