import json
from decimal import Decimal

import pytest

from rrms.domain.money import Money
from rrms.reference.programmes import Programmes, programmes

BULLETIN_PROGRAMMES = {
    "AVR": "Assisted Voluntary Returns",
    "KHRP": "Kosovo Humanitarian Returns Programme",
    "SMR": "Employment Assistance Services for Members of Ethnic Minorities Returning from "
    "Switzerland and Liechtenstein",
    "RSMC": "Returns Sustainability for Minority Communities",
    "AVR-VD": "Canton of Vaud",
    "VARRP": "Voluntary Assisted Return and Reintegration Programme",
    "AVR-VC": "Vulnerable Cases",
    "IDP-PEJA": "Brestovik",
    "FSR-NGO": "Reinforcing Local NGOs Capacity",
    "EAS": "Employment Assistance Services (EAS)",
    "CSP": "Community Stabilisation Programme",
    "SEDMIN": "Support for Enterprise Development in Minority Regions",
    "CT": "Counter Trafficking",
    "CT-KVOT": "Kosovar Victims of Trafficking",
    "CT-WB": "Western Balkans",
    "CT-SEE": "Southeastern Europe",
    "CT-PCB": "Prevention & Capacity Building",
    "CT-CARDS": "Policing Systems",
    "MH": "Migration Health",
    "MH-SMT": "Swedish Medical Team",
    "MH-HAM": "Health Assessment of Migrants",
    "MH-CMC": "Complex Medical Cases",
    "MH-MHVT": "Mental Health of Victims of Trafficking",
    "KPCT": "Kosovo Protection Corps Training Programme",
    "KPC-TF": "Trust Fund",
    "KTI": "Kosovo Transition Initiative",
}


def test_every_programme_the_bulletin_names_is_present():
    for code, words in BULLETIN_PROGRAMMES.items():
        definition = programmes().get(code)
        assert definition is not None, code
        assert words in definition.name, (code, definition.name)
    assert {d.code for d in programmes()} == set(BULLETIN_PROGRAMMES)


def test_varrp_caps_reintegration_support_at_1000_gbp_for_albanians_from_the_uk():
    varrp = programmes().get("varrp")
    assert varrp.cap is not None
    assert varrp.cap.limit == Money(Decimal("1000.00"), "GBP")
    assert (varrp.cap.per, varrp.cap.applies_to) == ("person", "reintegration support")
    assert varrp.eligible_communities == ("albanian",)
    assert varrp.eligible_sending_countries == ("GB",)
    assert varrp.donors == ("United Kingdom",)
    assert varrp.row_values()["cap_amount"] == Decimal("1000.00")


def test_only_varrp_states_a_cap_and_the_others_say_so():
    for definition in programmes():
        if definition.code != "VARRP":
            assert definition.cap is None, definition.code
            assert "No cap is stated" in definition.notes, definition.code


def test_eligibility_follows_the_bulletin():
    smr = programmes().get("SMR")
    assert set(smr.eligible_communities) >= {"roma", "ashkali", "egyptian", "bosniak", "albanian"}
    assert smr.eligible_sending_countries == ("CH", "LI")
    assert set(programmes().get("RSMC").eligible_communities) == {
        "roma",
        "ashkali",
        "serb",
        "bosniak",
    }
    for code in ("AVR-VD", "AVR-VC"):
        assert programmes().get(code).eligible_sending_countries == ("CH",)
    assert "albanian" not in programmes().get("IDP-PEJA").eligible_communities
    assert programmes().get("AVR").eligible_communities is None
    assert programmes().get("CSP").donors == ("European Agency for Reconstruction (EAR)",)


def test_confidential_units_and_umbrellas():
    units = {d.code: d.confidential_unit for d in programmes()}
    assert {c for c, u in units.items() if u == "counter_trafficking"} == {
        "CT",
        "CT-KVOT",
        "CT-WB",
        "CT-SEE",
        "CT-PCB",
        "CT-CARDS",
    }
    assert {c for c, u in units.items() if u == "medical"} == {
        "MH",
        "MH-SMT",
        "MH-HAM",
        "MH-CMC",
        "MH-MHVT",
    }
    assert units["VARRP"] is None
    assert {d.code for d in programmes().children("MH")} == {
        "MH-SMT",
        "MH-HAM",
        "MH-CMC",
        "MH-MHVT",
    }


def test_periods_are_as_precise_as_the_bulletin():
    import datetime as dt

    vaud = programmes().get("AVR-VD").row_values()
    assert (vaud["period_start"], vaud["period_end"]) == (dt.date(2004, 9, 1), None)
    kti = programmes().get("KTI").row_values()  # "September 31" read as the end of September
    assert kti["period_end"] == dt.date(2004, 9, 30)
    assert programmes().get("KPCT").row_values()["period_end"] == dt.date(2004, 10, 15)


def test_objectives_are_the_bulletins_own_words():
    assert (
        programmes()
        .get("VARRP")
        .objectives[0]
        .startswith("Facilitating sustainable returns of Kosovars from the UK")
    )
    assert "up to 1,000 GBP" in programmes().get("VARRP").objectives[0]
    for definition in programmes():
        assert definition.objectives or definition.code in ("CT", "MH"), definition.code
        assert definition.figures or definition.code in ("CT-PCB", "MH"), definition.code


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "avr"}, "upper-case"),
        ({"eligibility": {"communities": ["muslim"]}}, "unknown community"),
        ({"eligibility": {"sending_countries": ["ZZ"]}}, "unknown country"),
        ({"cap": {"amount": "1000", "currency": "USD"}}, "cap"),
        ({"cap": {"amount": "1000.001", "currency": "GBP"}}, "cap"),
        ({"period": {"start": "2005", "end": "2004"}}, "starts after it ends"),
        ({"confidential_unit": "police"}, "unknown confidential unit"),
        ({"parent": "NOPE"}, "unknown parent"),
    ],
)
def test_a_damaged_file_fails_loudly(change, message):
    entry = {"code": "X", "name": "X", "donors": [], "objectives": []} | change
    with pytest.raises(ValueError, match=message):
        Programmes.from_json(json.dumps({"programmes": [entry]}))


def test_duplicate_codes_fail():
    entry = {"code": "X", "name": "X"}
    with pytest.raises(ValueError, match="duplicate"):
        Programmes.from_json(json.dumps({"programmes": [entry, entry]}))
