"""Password policy and user-name folding through the API (issue 13, finding 6).

Each of these passed before: `password12`, ten spaces and the user name were accepted
as passwords, and `CASEWORKER_USER` or a zero-width space made a second account.
"""

import pytest

from support.api import field_of


@pytest.mark.parametrize("password", ["password1234", " " * 14, "drita_berisha", "Password!2024"])
def test_weak_passwords_are_refused(client, auth, password):
    made = client.post(
        "/users",
        json={"username": "drita_berisha", "password": password, "role": "caseworker"},
        headers=auth("administrator"),
    )
    assert made.status_code == 422 and field_of(made) == "password"


@pytest.mark.parametrize(
    "username", ["CASEWORKER_USER", "caseworker_user\u200b", "Caseworker_User"]
)
def test_look_alike_usernames_are_refused(client, auth, username):
    made = client.post(
        "/users",
        json={"username": username, "password": "a quiet river at dusk", "role": "caseworker"},
        headers=auth("administrator"),
    )
    assert made.status_code in (409, 422), made.text


def test_usernames_are_stored_folded_and_sign_in_ignores_case(client, auth):
    made = client.post(
        "/users",
        json={
            "username": "Drita.Berisha",
            "password": "a quiet river at dusk",
            "role": "caseworker",
        },
        headers=auth("administrator"),
    )
    assert made.status_code == 201 and made.json()["username"] == "drita.berisha"
    signed = client.post(
        "/auth/token", json={"username": "DRITA.BERISHA", "password": "a quiet river at dusk"}
    )
    assert signed.status_code == 200
