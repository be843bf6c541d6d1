"""Status workflows: where each kind of record may go from each status.

A record's status only moves along its workflow (an assistance is requested, then
approved, then paid; a house is assessed, rebuilt, finished, handed over), so the
bulletin's counts by status never go backwards. Each workflow is a table of allowed
next statuses; a status with none is final.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from rrms.domain.errors import RuleBroken
from rrms.domain.messages import N_

__all__ = [
    "ASSISTANCE_TRANSITIONS",
    "CORRECTION_TRANSITIONS",
    "HOUSING_TRANSITIONS",
    "INFORMATION_REQUEST_TRANSITIONS",
    "PROJECT_TRANSITIONS",
    "check_transition",
]

ASSISTANCE_TRANSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "requested": ("approved", "refused"),
    "approved": ("paid", "refused"),
    "paid": (),
    "refused": (),
}
"""Where an assistance may go from each status; paid and refused are final."""

PROJECT_TRANSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "approved": ("ongoing",),
    "ongoing": ("completed",),
    "completed": (),
}
"""A project moves one step forward at a time; completed is final."""

HOUSING_TRANSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "assessed": ("under_reconstruction",),
    "under_reconstruction": ("finished",),
    "finished": ("handed_over",),
    "handed_over": (),
}
"""A house moves one step forward at a time; handed over is final."""

INFORMATION_REQUEST_TRANSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "open": ("answered",),
    "answered": ("closed",),
    "closed": (),
}
"""A request is answered, then closed; closed is final."""

CORRECTION_TRANSITIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "open": ("corrected", "refused"),
    "corrected": (),
    "refused": (),
}
"""A correction request is closed once: corrected, or refused with a reason."""


def check_transition(
    what: str, allowed: Mapping[str, tuple[str, ...]], current: str, new: str
) -> None:
    """Refuse a status change the workflow does not allow, naming the allowed ones.

    Staying put is always allowed (an edit that leaves the status alone). Raises
    `RuleBroken` on the field `status`.
    """
    if new == current or new in allowed.get(current, ()):
        return
    onward = allowed.get(current, ())
    options = ", ".join(onward) if onward else "nothing: it is final"
    raise RuleBroken(
        N_(
            "{what} cannot go from {current} to {new}; from {current} it can go to {options}",
            what=what,
            current=current,
            new=new,
            options=options,
        ),
        "status",
    )
