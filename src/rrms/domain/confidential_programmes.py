"""Which records may name a person under a confidential unit's programme.

A counter-trafficking or medical programme's beneficiaries are known only to that
unit: their support is recorded as the unit's confidential cases, which no other role
reads and no count includes (docs/access.md). A record that any other role reads and
that names a person under such a programme (an assistance, a project, an arrival)
would tell every reader who the unit's beneficiaries are, so it is refused, and the
link is kept inside the unit's confidential case instead.
"""

from __future__ import annotations

__all__ = ["returns_refusal", "unit_name"]


def unit_name(unit: str) -> str:
    """A unit's code as words ('counter_trafficking' -> 'counter trafficking')."""
    return unit.replace("_", " ")


def returns_refusal(code: str, confidential_unit: str | None) -> str | None:
    """Why an arrival cannot be recorded under this programme, or None if it can.

    Every role that reads returns lists an arrival with its programme, and internal
    reports count arrivals by programme: an arrival under a confidential unit's
    programme would identify the person as, say, a victim of trafficking.
    """
    if confidential_unit is None:
        return None
    return (
        f"{code} belongs to the {unit_name(confidential_unit)} unit: returns under a "
        "confidential unit's programme are recorded in the unit's confidential case "
        "instead, where only the unit can see them"
    )
