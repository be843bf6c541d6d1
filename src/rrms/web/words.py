"""Stored vocabulary words as a page shows them, in the reader's language.

The database and the API keep the codes of the specs and the schema (`accept`,
`handed_over`, `programme_manager`), so that figures and exports do not depend on
anyone's language. A page shows each code's label, translated through the same
gettext catalogues as the rest of the page: `{{ status|word }}`. The labels are
marked with `N_` so that Babel extracts them (docs/web.md); a code without a label
is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["LABELS", "word_filter"]


def N_(text: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark a label for extraction; it is translated where it is shown."""
    return text


LABELS: dict[str, str] = {
    # screening outcomes (shared/spec/screening.md)
    "accept": N_("accept"),
    "object": N_("object"),
    "review": N_("review"),
    "not_applicable": N_("not applicable"),
    # arrivals
    "voluntary": N_("voluntary"),
    "forced": N_("forced"),
    "air": N_("air"),
    "land": N_("land"),
    # assistance, projects, housing, information requests, confidential cases
    "requested": N_("requested"),
    "approved": N_("approved"),
    "paid": N_("paid"),
    "refused": N_("refused"),
    "ongoing": N_("ongoing"),
    "completed": N_("completed"),
    "assessed": N_("assessed"),
    "under_reconstruction": N_("under reconstruction"),
    "finished": N_("finished"),
    "handed_over": N_("handed over"),
    "open": N_("open"),
    "answered": N_("answered"),
    "closed": N_("closed"),
    "assisted": N_("assisted"),
    # consent purposes and data categories (docs/data-protection.md)
    "case_management": N_("case management"),
    "reintegration_assistance": N_("reintegration assistance"),
    "referral_to_partner": N_("referral to a partner"),
    "research": N_("research"),
    "identity": N_("identity"),
    "demographics": N_("demographics"),
    "returns": N_("returns"),
    "assistance": N_("assistance"),
    "projects": N_("projects"),
    "documents": N_("documents"),
    "corrected": N_("corrected"),
    # roles and confidential units
    "screening_officer": N_("screening officer"),
    "caseworker": N_("caseworker"),
    "programme_manager": N_("programme manager"),
    "counter_trafficking": N_("counter trafficking"),
    "medical": N_("medical"),
    "reporting": N_("reporting"),
    "administrator": N_("administrator"),
    # --- the desk's vocabularies (issue 10, deskrecords): every code a desk form or
    # filter offers. Kept together at the end of the dict to ease merging. ---
    # sex
    "f": N_("female"),
    "m": N_("male"),
    "x": N_("other or not stated"),
    # communities (reference/data/communities.csv)
    "albanian": N_("Albanian"),
    "serb": N_("Serb"),
    "roma": N_("Roma"),
    "ashkali": N_("Ashkali"),
    "egyptian": N_("Egyptian"),
    "bosniak": N_("Bosniak"),
    "gorani": N_("Gorani"),
    "turk": N_("Turk"),
    "croat": N_("Croat"),
    "montenegrin": N_("Montenegrin"),
    "other": N_("other"),
    # relationships to the head of a family
    "head": N_("head of the family"),
    "spouse": N_("spouse"),
    "child": N_("child"),
    "parent": N_("parent"),
    "sibling": N_("brother or sister"),
    "grandchild": N_("grandchild"),
    "grandparent": N_("grandparent"),
    "other_relative": N_("other relative"),
    "caregiver": N_("caregiver"),
    # kinds of assistance
    "reinstallation_grant": N_("reinstallation grant"),
    "reintegration_grant": N_("reintegration grant"),
    "secondary_transport": N_("secondary transport"),
    "onward_transport": N_("onward transport"),
    "housing": N_("housing"),
    "business_grant": N_("business grant"),
    "micro_credit": N_("micro-credit"),
    "toolkit": N_("toolkit"),
    "vocational_training": N_("vocational training"),
    "on_the_job_training": N_("on-the-job training"),
    "education": N_("education"),
    "school_fees": N_("school fees"),
    "employment_referral": N_("employment referral"),
    "counselling": N_("counselling"),
    "social_care": N_("social care"),
    # topics of information requests
    "business": N_("business"),
    "employment": N_("employment"),
    "medical_care": N_("medical care"),
    "medication": N_("medication"),
    "construction": N_("construction"),
    "transport": N_("transport"),
    "ngo_contacts": N_("NGO contacts"),
    "vulnerable_support": N_("support for vulnerable returnees"),
    "social_welfare": N_("social welfare"),
    # sectors and scopes of projects
    "agriculture": N_("agriculture"),
    "production": N_("production"),
    "services": N_("services"),
    "trade": N_("trade"),
    "infrastructure": N_("infrastructure"),
    "individual": N_("individual (micro-business)"),
    "community": N_("community"),
    # confidential case types
    "victim_assistance": N_("assistance to a victim"),
    "voluntary_return_of_victim": N_("voluntary return of a victim"),
    "shelter_referral": N_("referral to a shelter"),
    "legal_assistance": N_("legal assistance"),
    "reintegration_support": N_("reintegration support"),
    "family_tracing": N_("family tracing"),
    "complex_medical_case": N_("complex medical case"),
    "medical_transport": N_("medical transport"),
    "medical_escort": N_("medical escort"),
    "swedish_medical_team_surgery": N_("surgery by the Swedish medical team"),
    "psychiatric_care": N_("psychiatric care"),
    "medication_supply": N_("supply of medication"),
    # kinds of documents
    "identity_card": N_("identity card"),
    "passport": N_("passport"),
    "unmik_travel_document": N_("UNMIK travel document"),
    "birth_certificate": N_("birth certificate"),
    "marriage_certificate": N_("marriage certificate"),
    "driving_licence": N_("driving licence"),
    "residence_permit": N_("residence permit"),
    "toleration_certificate": N_("toleration certificate (Duldung)"),
    "refugee_travel_document": N_("refugee travel document"),
    "laissez_passer": N_("laissez-passer"),
}
"""Code -> English label (the msgid)."""


def word_filter(gettext: Callable[[str], str]) -> Callable[[object], str]:
    """The Jinja2 filter `word` for a language whose translations are `gettext`."""

    def word(code: object) -> str:
        if code is None:
            return ""
        text = str(code)
        label = LABELS.get(text)
        return gettext(label) if label is not None else text

    return word
