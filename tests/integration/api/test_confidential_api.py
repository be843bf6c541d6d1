"""The confidential cases API: own unit only, 404 for another unit's case, 403 for others."""

from support.api import field_of


def open_case(client, headers, **fields):
    body = {"opened_on": "2004-09-01", **fields}
    answer = client.post("/confidential-cases", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_units_see_only_their_own_cases(client, auth):
    ct, med = auth("counter_trafficking"), auth("medical")
    trafficking = open_case(client, ct, case_type="victim_assistance", district="Gjakovë")
    medical = open_case(client, med, case_type="swedish_medical_team_surgery")
    assert (trafficking["unit"], trafficking["district"], trafficking["status"]) == (
        "counter_trafficking",
        "GJA",
        "open",
    )
    ct_list = client.get("/confidential-cases", headers=ct).json()
    assert (ct_list["total"], [c["id"] for c in ct_list["items"]]) == (1, [trafficking["id"]])
    med_list = client.get("/confidential-cases", headers=med).json()
    assert (med_list["total"], [c["id"] for c in med_list["items"]]) == (1, [medical["id"]])
    filtered = client.get(
        "/confidential-cases", params={"case_type": "victim_assistance"}, headers=med
    ).json()
    assert filtered["total"] == 0
    open_case(client, ct, case_type="family_tracing")
    paged = client.get("/confidential-cases", params={"limit": 1, "offset": 1}, headers=ct)
    assert paged.status_code == 200, paged.text
    assert (paged.json()["total"], len(paged.json()["items"])) == (2, 1)

    hidden = client.get(f"/confidential-cases/{trafficking['id']}", headers=med)
    absent = client.get("/confidential-cases/999999", headers=med)
    assert hidden.status_code == absent.status_code == 404
    change = client.patch(
        f"/confidential-cases/{trafficking['id']}", json={"version": 1, "summary": "x"}, headers=med
    )
    assert change.status_code == 404
    assert client.get(f"/confidential-cases/{trafficking['id']}", headers=ct).status_code == 200


def test_other_roles_are_refused(client, auth):
    for role in ("caseworker", "administrator", "reporting"):
        headers = auth(role)
        assert client.get("/confidential-cases", headers=headers).status_code == 403
        assert client.get("/confidential-cases/1", headers=headers).status_code == 403
        created = client.post(
            "/confidential-cases",
            json={"opened_on": "2004-09-01", "case_type": "victim_assistance"},
            headers=headers,
        )
        assert created.status_code == 403, role


def test_bad_values_name_the_field(client, auth):
    med = auth("medical")
    wrong_type = client.post(
        "/confidential-cases",
        json={"opened_on": "2004-09-01", "case_type": "victim_assistance"},
        headers=med,
    )
    assert wrong_type.status_code == 422 and field_of(wrong_type) == "case_type"
    wrong_district = client.post(
        "/confidential-cases",
        json={"opened_on": "2004-09-01", "case_type": "medical_transport", "district": "Nis"},
        headers=med,
    )
    assert wrong_district.status_code == 422 and field_of(wrong_district) == "district"
    other_unit = client.post(
        "/confidential-cases",
        json={"opened_on": "2004-09-01", "case_type": "medical_transport", "unit": "medical"},
        headers=med,
    )
    assert other_unit.status_code == 422  # the unit is never chosen by the client
