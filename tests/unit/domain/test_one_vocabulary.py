"""One vocabulary: every place that must spell a coded word out (typing `Literal`s for
the API schema, table constraints) agrees with `rrms.domain.vocabulary`."""

from typing import get_args

import pytest
from sqlalchemy import CheckConstraint

from rrms.api.routers import consents as consent_routes
from rrms.api.routers import programmes as programme_routes
from rrms.api.routers import screening as screening_routes
from rrms.domain import vocabulary
from rrms.services.programmes import assistance, housing, information_requests, projects
from rrms.services.records import corrections
from rrms.storage import tables


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        (assistance.AssistanceStatus, vocabulary.ASSISTANCE_STATUSES),
        (housing.HousingStatus, vocabulary.HOUSING_STATUSES),
        (information_requests.RifStatus, vocabulary.INFORMATION_REQUEST_STATUSES),
        (projects.ProjectStatus, vocabulary.PROJECT_STATUSES),
        (projects.ProjectScope, vocabulary.PROJECT_SCOPES),
        (programme_routes.Currency, vocabulary.CURRENCIES),
        (programme_routes.Unit, vocabulary.CONFIDENTIAL_UNITS),
        (screening_routes.Outcome, vocabulary.OUTCOMES),
        (consent_routes.Purpose, vocabulary.CONSENT_PURPOSES),
        (consent_routes.Category, vocabulary.DATA_CATEGORIES),
        (corrections.CorrectionStatus, vocabulary.CORRECTION_STATUSES),
    ],
)
def test_typed_choices_are_the_vocabulary(literal: object, words: tuple[str, ...]) -> None:
    assert set(get_args(literal)) == set(words)


@pytest.mark.parametrize(
    ("table", "constraint", "words"),
    [
        (tables.Assistance, "ck_assistance_status", vocabulary.ASSISTANCE_STATUSES),
        (tables.User, "ck_users_role", vocabulary.ROLES),
        (tables.CorrectionRequest, "ck_correction_requests_status", vocabulary.CORRECTION_STATUSES),
        (tables.ScreeningDecision, "ck_screening_decisions_recommendation", vocabulary.OUTCOMES),
        (tables.Consent, "ck_consents_purpose", vocabulary.CONSENT_PURPOSES),
        (tables.SharingLogEntry, "ck_sharing_log_purpose", vocabulary.CONSENT_PURPOSES),
    ],
)
def test_table_constraints_are_built_from_the_vocabulary(
    table: type[tables.Base], constraint: str, words: tuple[str, ...]
) -> None:
    checks = [c for c in table.__table__.constraints if isinstance(c, CheckConstraint)]  # type: ignore[attr-defined]
    found = {str(c.name): str(c.sqltext) for c in checks}
    assert constraint in found, sorted(found)
    for word in words:
        assert repr(word) in found[constraint]


def test_no_word_is_defined_twice() -> None:
    lists = [v for k, v in vars(vocabulary).items() if k.isupper() and isinstance(v, tuple)]
    for words in lists:
        assert len(words) == len(set(words))
