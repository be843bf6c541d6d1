"""What a desk page is made of: fields, status buttons, list columns and filters.

These are plain descriptions; `values.py` reads a submitted form by them and
`routes.py` renders and saves through the services. Labels are English source strings
marked with `N_` and translated where they are shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from rrms.services.core.access import Actor
from rrms.services.core.records import RecordKind
from rrms.storage.unit_of_work import UnitOfWork

__all__ = ["Computed", "N_", "Desk", "Field", "FieldKind", "Link", "Toggle", "Transition"]

FieldKind = Literal[
    "text",
    "textarea",
    "date",
    "int",
    "amount",
    "choice",
    "yes_no",
    "person",
    "programme",
    "municipality",
    "country",
]
"""How a value is entered: `choice` from a fixed vocabulary shown in the reader's
language; `person` by id (a person chosen from their page); `programme` chosen from the
programmes by code and name (stored as its id); a municipality in any spelling, stored
as its KAS code; a `country` chosen by ISO code and name (a code or an English or German
name is read too), stored as its ISO 3166-1 alpha-2 code."""


def N_(text: str) -> str:  # noqa: N802 - the name Babel's extractor looks for
    """Mark a label for extraction; it is translated where it is shown."""
    return text


@dataclass(frozen=True)
class Field:
    """One value of a record as people enter it.

    `hxl` is the column's HXL hashtag in an export, where a documented export of the
    same values has one (`docs/reports.md`); `options` are the (value, label) pairs of a
    `programme` or `country` field, filled in for each page (`choices.py`).
    """

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[str, ...] = ()
    required: bool = False
    on_create: bool = True
    on_edit: bool = True
    hint: str = ""
    choices_by_unit: Mapping[str, tuple[str, ...]] | None = None
    hxl: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def for_unit(self, unit: str | None) -> Field:
        """This field as a user of `unit` fills it in: a confidential unit chooses only
        from its own vocabulary (a medical user never sees trafficking case types)."""
        if self.choices_by_unit is None:
            return self
        return replace(self, choices=self.choices_by_unit.get(unit or "", ()))


@dataclass(frozen=True)
class Computed:
    """A list column worked out from a record, not stored: how long a request took."""

    label: str
    value: Callable[[Any], str]
    """The cell's text from the record (a `Message` is shown in the reader's language)."""


@dataclass(frozen=True)
class Transition:
    """A status button: moves a record from one of `from_` to `to`.

    `roles` limits who sees the button beyond the kind's write permission (only a
    programme manager approves assistance); `asks` names fields the button's small form
    asks for (a refusal's reason, an answer's text).
    """

    from_: tuple[str, ...]
    to: str
    label: str
    roles: frozenset[str] | None = None
    asks: tuple[str, ...] = ()
    danger: bool = False


@dataclass(frozen=True)
class Link:
    """A link on a list page to work that is not a record form (the returns import),
    shown to the roles that may do `action` on `entity`."""

    label: str
    href: str
    entity: str
    action: str = "write"


@dataclass(frozen=True)
class Toggle:
    """A yes/no filter of a list that is not one column's value ("overdue").

    `narrow(today)` gives the exact filters and the date ranges (inclusive) the list
    is narrowed to when the box is ticked; they take the place of a filter of the same
    name and are intersected with a range of the same column.
    """

    name: str
    label: str
    narrow: Callable[[dt.date], tuple[dict[str, Any], dict[str, tuple[Any, Any]]]]


@dataclass(frozen=True)
class Desk:
    """Everything the pages of one kind of record need.

    `list_page`: the kind has a list (columns, filters, sort, paging, exports at
    `{path}/export.csv` and `.xlsx`); `list_route`: the desk serves the list and its
    exports itself (the persons page serves them, the list below its search box).
    `ranges` are fields narrowed by a range besides `date_field` (`birth_year_from`,
    `birth_year_to`).
    """

    path: str
    kind: RecordKind[Any]
    title: str
    singular: str
    fields: tuple[Field, ...]
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    date_field: str | None = None
    ranges: tuple[str, ...] = ()
    default_order: tuple[str, bool] | None = None
    transitions: tuple[Transition, ...] = ()
    computed: tuple[Computed, ...] = ()
    status_field: str = "status"
    heading: Callable[[Any, Callable[[str], str]], str] | None = None
    """The record's heading from the row and the reader's gettext; "Singular 12" if None."""
    fixed_on_create: Mapping[str, str] = field(default_factory=dict)
    creatable: bool = True
    list_page: bool = True
    list_route: bool = True
    record_page: bool = True
    flags: Callable[[Any], tuple[str, ...]] | None = None
    after_save: Callable[[Any], str] | None = None
    links: tuple[Link, ...] = ()
    toggles: tuple[Toggle, ...] = ()
    record_template: str = "desk/record.html"
    record_context: Callable[[UnitOfWork, Actor, Any], dict[str, Any]] | None = None
    """What a kind's record page shows beyond its fields (a family's members): more
    template context, read through the services, for `record_template`."""

    def fields_for(self, unit: str | None) -> tuple[Field, ...]:
        """The fields as a user of `unit` (None outside the confidential units) sees them."""
        return tuple(f.for_unit(unit) for f in self.fields)

    def address(self, row: Any) -> str:
        """Where a saved record is shown (a document on its person's page)."""
        return self.after_save(row) if self.after_save else f"{self.path}/{row.id}"

    def field(self, name: str) -> Field | None:
        """The field called `name`, if the desk shows it."""
        return next((f for f in self.fields if f.name == name), None)

    def buttons(self, status: str | None, role: str) -> list[Transition]:
        """The status buttons a user of `role` sees on a record in `status`."""
        return [
            t
            for t in self.transitions
            if status in t.from_ and (t.roles is None or role in t.roles)
        ]
