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
    # the review queue of probable duplicates (docs/identity.md)
    "merged": N_("merged"),
    "not_same": N_("not the same person"),
    "family_name": N_("family name"),
    "given_name": N_("given name"),
    "father_name": N_("father's name"),
    "birth_date": N_("birth date"),
    "sex": N_("sex"),
    "community": N_("community"),
    "origin_municipality": N_("place of origin"),
    "birth_place": N_("birth place"),
    "document_number": N_("document number"),
    "screening_decisions": N_("screening decisions"),
    "consents": N_("consents"),
    "correction_requests": N_("correction requests"),
    "housing": N_("housing"),
    "confidential_cases": N_("confidential cases"),
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
