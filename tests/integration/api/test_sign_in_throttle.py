"""Sign-in is throttled per account and per address (issue 13, finding 6).

Before, 50 wrong passwords and then the right one signed in, and one client could try
passwords as fast as Argon2 allowed. Every test here failed on that code.
"""

from support.pages import PASSWORD


def _sign_in(client, username, password):
    return client.post("/auth/token", json={"username": username, "password": password})


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, actors):
    for _ in range(50):
        assert _sign_in(client, "caseworker_user", "not the password at all").status_code in (
            401,
            429,
        )
    answer = _sign_in(client, "caseworker_user", PASSWORD)
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) >= 1
    assert "too many sign-in attempts" in answer.json()["detail"]


def test_five_failures_lock_the_account_whatever_the_case(client, actors):
    for _ in range(5):
        assert _sign_in(client, "CASEWORKER_USER", "not the password at all").status_code == 401
    locked = _sign_in(client, "caseworker_user", PASSWORD)
    assert locked.status_code == 429
    assert 800 < int(locked.headers["Retry-After"]) <= 900  # the rest of 15 minutes
    assert _sign_in(client, "reporting_user", PASSWORD).status_code == 200  # others unaffected


def test_an_address_gets_twenty_attempts_a_minute_even_when_they_succeed(client, actors):
    for _ in range(20):
        assert _sign_in(client, "reporting_user", PASSWORD).status_code == 200
    refused = _sign_in(client, "administrator_user", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
