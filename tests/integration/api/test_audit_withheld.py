"""The audit log tells an administrator nothing of a confidential case it withholds:
neither a filter's total nor a hash lets one confirm or recover a case id."""

import datetime as dt
import hashlib
import json

CANDIDATES = range(1, 51)


def _cases(client, auth, count=3):
    ct = auth("counter_trafficking")
    ids = []
    for n in range(count):
        case = client.post(
            "/confidential-cases",
            json={"opened_on": "2004-09-01", "case_type": "victim_assistance", "summary": f"S{n}"},
            headers=ct,
        ).json()
        ids.append(case["id"])
        assert client.get(f"/confidential-cases/{case['id']}", headers=ct).status_code == 200
    return ids


def _digest(prev_hash, entry, entity_id):
    at = dt.datetime.fromisoformat(entry["at"].replace("Z", "+00:00")).astimezone(dt.UTC)
    fields = {
        "at": at.isoformat(),
        "user_id": entry["user_id"],
        "username": entry["username"],
        "action": entry["action"],
        "entity": entry["entity"],
        "entity_id": str(entity_id),
        "before": entry["before"],
        "after": entry["after"],
    }
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def test_filter_by_case_id_answers_the_same_whether_the_case_exists(client, auth):
    (case_id, *_) = _cases(client, auth)
    admin = auth("administrator")

    def total(entity_id, **more):
        answer = client.get("/audit", params={"entity_id": entity_id, **more}, headers=admin)
        assert answer.status_code == 200
        return answer.json()["total"]

    for more in ({"entity": "confidential_cases"}, {"action": "read"}):
        assert total(str(case_id), **more) == total("987654", **more) == 0, more
    # Unfiltered by entity, the id matches only entries the reader sees it in (a user's,
    # say): what it counts is what is shown, never a confidential case.
    everything = client.get("/audit", params={"limit": 500}, headers=admin).json()["items"]
    visible = [e for e in everything if e["entity_id"] == str(case_id)]
    assert all(e["entity"] != "confidential_cases" for e in visible)
    assert total(str(case_id)) == len(visible)


def test_no_withheld_entry_lets_a_case_id_be_recovered(client, auth):
    ids = _cases(client, auth)
    admin = auth("administrator")
    items = client.get("/audit", params={"limit": 500}, headers=admin).json()["items"]
    withheld = [i for i, e in enumerate(items) if e["entity"] == "confidential_cases"]
    assert len(withheld) == 2 * len(ids)  # a create and a read per case
    recovered = []
    for i in withheld:
        entry = items[i]
        assert entry["entity_id"] == "-"
        # The hash may also be read off the next entry's link, the previous hash off
        # the entry before: neither may be given.
        after_hash = entry["hash"] or (items[i + 1]["prev_hash"] if i + 1 < len(items) else None)
        before_hash = entry["prev_hash"] or (items[i - 1]["hash"] if i else None)
        if after_hash is None or before_hash is None:
            continue
        recovered += [c for c in CANDIDATES if _digest(before_hash, entry, c) == after_hash]
    assert recovered == []
    assert all(items[i]["hash"] is None and items[i]["prev_hash"] is None for i in withheld)


def test_the_units_own_users_see_their_entries_with_hashes(client, auth, actors, uow):
    ids = _cases(client, auth, count=1)
    admin = auth("administrator")
    assert client.get("/audit", headers=admin).status_code == 200
    from rrms.services.core.audit_log import content_visible, list_entries, shown

    ct, medical = actors["counter_trafficking"], actors["medical"]
    with uow() as u:
        _, as_admin = list_entries(u, actors["administrator"], {"entity": "confidential_cases"})
        rows, _ = list_entries(u, actors["administrator"], {"entity": "confidential_cases"})
        own = [shown(r, content=content_visible(u, ct, r)) for r in rows.items]
        other = [shown(r, content=content_visible(u, medical, r)) for r in rows.items]
    assert all(e["hash"] is None and e["entity_id"] == "-" for e in as_admin)
    assert [e["entity_id"] for e in own] == [str(ids[0])] * 2
    assert all(e["hash"] and e["prev_hash"] for e in own)
    assert all(e["hash"] is None for e in other)


def test_the_chain_is_still_verified_over_withheld_entries(client, auth):
    _cases(client, auth)
    answer = client.get("/audit/verify", headers=auth("administrator")).json()
    assert answer["intact"] is True and answer["problems"] == []
