"""User names are normalised and passwords follow a policy (issue 13, finding 6)."""

import pytest

from rrms.domain.accounts import check_password, normalise_username
from rrms.domain.errors import RuleBroken


@pytest.mark.parametrize(
    "password",
    [
        "password12",
        "Password!2024",
        "qwerty123456",
        " " * 12,
        "\t" * 14,
        "aaaaaaaaaaaa",
        "abababababab",
        "123456789012",
        "abcdefghijkl",
        "short",
        "my name is drita really",
        "DRITA-forever-2024",
        "P A S S W O R D 1 2",
    ],
)
def test_weak_passwords_are_refused_naming_the_field(password):
    with pytest.raises(RuleBroken) as refused:
        check_password(password, "drita")
    assert refused.value.field == "password"
    assert password not in refused.value.message


def test_the_username_itself_is_refused():
    with pytest.raises(RuleBroken):
        check_password("caseworker_user", "caseworker_user")


@pytest.mark.parametrize(
    "password", ["correct horse battery", "tram to Prizren at 7", "6Yq!vz-3Lw9p"]
)
def test_ordinary_passphrases_are_accepted(password):
    check_password(password, "drita")


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("DEMO_ADMINISTRATOR", "demo_administrator"),
        ("Drita.K-1", "drita.k-1"),
        ("ｄｒｉｔａ", "drita"),  # full-width letters fold to ASCII under NFKC
        ("  drita  ", "drita"),
    ],
)
def test_usernames_are_folded_and_normalised(given, stored):
    assert normalise_username(given) == stored


@pytest.mark.parametrize(
    "given",
    ["drita\u200b", "dr\u0456ta", "drita name", "", "   ", "drïta", "a/b", "x" * 81],
)
def test_look_alike_and_invisible_characters_are_refused(given):
    with pytest.raises(RuleBroken) as refused:
        normalise_username(given)
    assert refused.value.field == "username"
