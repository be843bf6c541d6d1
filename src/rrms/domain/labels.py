"""Stored vocabulary words as people read them, in the reader's language.

The database and the API keep the codes of the specs and the schema (`accept`,
`handed_over`, `programme_manager`), so that figures and exports do not depend on
anyone's language. A page or a report shows each code's label, translated through the
gettext catalogues (`rrms.i18n`): `{{ status|word }}` on a page, `word_filter(gettext)`
in a report. The labels live here, at the bottom of the layers, so that the pages and
the reports (below the pages) read the same labels. They are marked with `N_` so that
Babel extracts them (docs/web.md); a code without a label is shown as it is.
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
    # communities (reference/communities.py, the screening's `community` fact)
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
    # sex and relationships (formats/vocabulary.py)
    "head": N_("head of family"),
    "spouse": N_("spouse"),
    "child": N_("child"),
    "parent": N_("parent"),
    "sibling": N_("sibling"),
    # relationships to the head of a family
    "grandchild": N_("grandchild"),
    "grandparent": N_("grandparent"),
    "other_relative": N_("other relative"),
    "caregiver": N_("caregiver"),
    # the screening's questions and their answers (policy/facts.py)
    "yes": N_("yes"),
    "no": N_("no"),
    "unknown": N_("unknown"),
    "community": N_("community"),
    "origin_municipality": N_("municipality of origin"),
    "origin_settlement": N_("settlement of origin"),
    "birth_date": N_("birth date"),
    "protection_problems": N_("serious protection problems"),
    "mixed_marriage": N_("ethnically mixed marriage"),
    "mixed_ethnicity": N_("mixed ethnicity"),
    "perceived_association": N_("perceived association with the Serbian regime"),
    "severe_illness": N_("severe illness"),
    "severe_mental_illness": N_("severe mental illness"),
    "treatment_availability": N_("treatment available in Kosovo"),
    "severe_handicap": N_("severe handicap"),
    "support_availability": N_("specialised support available in Kosovo"),
    "support_in_kosovo": N_("relatives or other support in Kosovo"),
    "best_interests_separation": N_("best-interests determination for separation"),
    "informed_consent": N_("informed consent to a voluntary return"),
    "return_type": N_("return type"),
    "available": N_("available"),
    "rarely": N_("rarely available"),
    "unavailable": N_("not available"),
    # assistance kinds (services/programmes/assistance.py)
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
    # information request topics (services/programmes/information_requests.py)
    # topics of information requests
    "business": N_("business"),
    "employment": N_("employment"),
    "medical_care": N_("medical care"),
    "medication": N_("medication"),
    "construction": N_("construction"),
    "transport": N_("transport"),
    "ngo_contacts": N_("NGO contacts"),
    "vulnerable_support": N_("support for vulnerable persons"),
    "social_welfare": N_("social welfare"),
    # confidential case types (services/programmes/confidential.py)
    "victim_assistance": N_("victim assistance"),
    "voluntary_return_of_victim": N_("voluntary return of a victim"),
    "shelter_referral": N_("shelter referral"),
    # sectors and scopes of projects
    "agriculture": N_("agriculture"),
    "production": N_("production"),
    "services": N_("services"),
    "trade": N_("trade"),
    "infrastructure": N_("infrastructure"),
    "individual": N_("individual (micro-business)"),
    # confidential case types
    "legal_assistance": N_("legal assistance"),
    "reintegration_support": N_("reintegration support"),
    "family_tracing": N_("family tracing"),
    "complex_medical_case": N_("complex medical case"),
    "medical_transport": N_("medical transport"),
    "medical_escort": N_("medical escort"),
    "swedish_medical_team_surgery": N_("surgery by the Swedish medical team"),
    "psychiatric_care": N_("psychiatric care"),
    "medication_supply": N_("medication supply"),
    # document kinds (services/records/documents.py)
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
    # project scopes
    # what the audit log records (a person's history)
    "create": N_("created"),
    "read": N_("read"),
    "update": N_("changed"),
    "search": N_("searched"),
    "sign_in": N_("signed in"),
    "sign_out": N_("signed out"),
    "change_password": N_("changed the password"),
    "revoke_tokens": N_("revoked the sessions"),
    # records and fields named in the services' messages
    "persons": N_("person"),
    "families": N_("family"),
    "programmes": N_("programme"),
    "information_requests": N_("information request"),
    "trainings": N_("training"),
    "confidential_cases": N_("confidential case"),
    "consents": N_("consent"),
    "correction_requests": N_("correction request"),
    "screening_decisions": N_("screening decision"),
    "users": N_("user"),
    "family_name": N_("family name"),
    "given_name": N_("given name"),
    "father_name": N_("father's name"),
    "sex": N_("sex"),
    "person_ref": N_("person reference"),
    "family_ref": N_("family reference"),
    "arrival_date": N_("arrival date"),
    "departure_date": N_("departure date"),
    "movement_ref": N_("movement reference"),
    "person_id": N_("person"),
    "programme_id": N_("programme"),
    "amount": N_("amount"),
    "currency": N_("currency"),
    "answer": N_("answer"),
    "answered_on": N_("answered on"),
    "approved_on": N_("approved on"),
    "paid_on": N_("paid on"),
    "requested_on": N_("requested on"),
    "received_on": N_("received on"),
    "closed_on": N_("closed on"),
    "opened_on": N_("opened on"),
    "given_on": N_("given on"),
    "issued_on": N_("issued on"),
    "expires_on": N_("expires on"),
    "withdrawn_on": N_("withdrawn on"),
    "held_on": N_("held on"),
    "period_start": N_("start of the period"),
    "period_end": N_("end of the period"),
    "started_on": N_("started on"),
    "completed_on": N_("completed on"),
    "handed_over_on": N_("handed over on"),
    "finished_on": N_("finished on"),
    "refusal_reason": N_("reason for refusal"),
    "question": N_("question"),
    "topic": N_("topic"),
    "requesting_mission": N_("requesting mission"),
    "kind": N_("kind"),
    "number": N_("number"),
    "issued_by": N_("issued by"),
    "name": N_("name"),
    "code": N_("code"),
    "purpose": N_("purpose"),
    "recipients": N_("recipients"),
    "scope": N_("scope"),
    "what": N_("what is to be corrected"),
    "status": N_("status"),
    "sector": N_("sector"),
    "beneficiaries": N_("beneficiaries"),
    "beneficiary_community": N_("beneficiaries' community"),
    "participants": N_("participants"),
    "hours": N_("hours"),
    "audience": N_("audience"),
    "objectives": N_("objectives"),
    "village": N_("village"),
    "municipality": N_("municipality"),
    "settlement": N_("settlement"),
    "house_ref": N_("house reference"),
    "cap_amount": N_("cap amount"),
    "cap_currency": N_("cap currency"),
    "username": N_("username"),
    "password": N_("password"),
    "role": N_("role"),
    # the review queue of probable duplicates (docs/identity.md)
    "merged": N_("merged"),
    "not_same": N_("not the same person"),
    "birth_place": N_("birth place"),
    "document_number": N_("document number"),
    # the evidence of a pair, in the words of rrms.services.identity
    "same": N_("same"),
    "same after transliteration": N_("same after transliteration"),
    "sounds alike": N_("sounds alike"),
    "similar": N_("similar"),
    "different": N_("different"),
    "swapped with the given name": N_("swapped with the given name"),
    "swapped with the family name": N_("swapped with the family name"),
    "similar to the given name": N_("similar to the given name"),
    "similar to the family name": N_("similar to the family name"),
    "same date": N_("same date"),
    "same year, day and month swapped": N_("same year, day and month swapped"),
    "same year and month, one date without the day": N_(
        "same year and month, one date without the day"
    ),
    "same year, one date known only to the year": N_("same year, one date known only to the year"),
    "one part of the date differs": N_("one part of the date differs"),
    "birth year the same or one apart, one date partial": N_(
        "birth year the same or one apart, one date partial"
    ),
    "born two or more years apart": N_("born two or more years apart"),
    "same municipality": N_("same municipality"),
    "same municipality, and same settlement or address": N_(
        "same municipality, and same settlement or address"
    ),
    "one character differs": N_("one character differs"),
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
