"""Pseudonymised sharing: an export of persons' data for a partner or a researcher,
only as far as each person consented, and logged.

What a partner receives (docs/data-protection.md):

* one row per person whose consent, in force today, covers the **purpose** and names
  the **recipient**; nobody else. No such consent at all: the export is refused,
  naming the purpose.
* the person as a **keyed hash** (HMAC-SHA256 of their id under the site's sharing key,
  `sharing_key`); the key is never in the file, so the pseudonym can be followed from
  one export to the next but not turned back into a person without the key;
* only the categories the consent covers (its scope): demographics as sex, **birth
  year** (never the date) and **municipality** of origin (never the village);
  returns as counts, the year and kind of the last arrival; assistance as counts.
  Names, references, documents, free text (notes, reasons, summaries) and any
  confidential case data are never exported;
* **k-anonymity**: every combination of sex, birth year and municipality occurs at
  least `K_ANONYMITY` (5) times; rarer rows get their birth year as a five-year band,
  and rows still rarer are withheld. The XLSX file's summary sheet counts persons by
  municipality under the public reports' disclosure control (1 to 4 hidden).
* rows in the order of their pseudonyms, which says nothing of when a person was
  recorded.

Every export is a row of the sharing log (to whom, why, under which consents, when, by
whom, how many records, the file's SHA-256) and an audit entry, written together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rrms.domain.messages import N_
from rrms.domain.sharing import ConsentTerms, birth_band, covers, k_anonymise, keyed_id
from rrms.domain.vocabulary import CONSENT_PURPOSES, SHARING_FORMATS
from rrms.reports.disclosure import protect
from rrms.reports.exports import Column, ExportTable, write_csv, write_xlsx
from rrms.services.core import audit
from rrms.services.core.access import Actor, authorize
from rrms.services.core.errors import Invalid
from rrms.services.core.fields import clean_choice
from rrms.storage.tables import SharingLogEntry
from rrms.storage.unit_of_work import UnitOfWork

__all__ = [
    "KEY_ENV",
    "KEY_FILE",
    "SharedFile",
    "export_for_sharing",
    "sharing_key",
    "sharing_log",
]

KEY_ENV = "RRMS_SHARING_KEY"
"""The environment variable that may hold the site's sharing key (at least 32 characters)."""
KEY_FILE = "sharing.key"
"""The key file in the private data folder (`RRMS_DATA_DIR`), made on first use."""
MIN_KEY_CHARACTERS = 32

COLUMNS = (
    Column("person", "#beneficiary+code+pseudonym"),
    Column("sex", "#beneficiary+sex"),
    Column("birth_year", "#beneficiary+birth_year"),
    Column("origin_municipality", "#adm2+code+origin"),
    Column("returns", "#reached+returns"),
    Column("last_arrival_year", "#date+year+arrival"),
    Column("last_return_type", "#status+return_type"),
    Column("assistance", "#reached+assistance"),
    Column("assistance_paid", "#reached+assistance+paid"),
)
SUMMARY_COLUMNS = (
    Column("origin_municipality", "#adm2+code+origin"),
    Column("persons", "#reached+persons"),
    Column("suppressed", "#meta+suppressed"),
)


def sharing_key() -> bytes:
    """The site's sharing key: `RRMS_SHARING_KEY`, else the key file in the private data
    folder, created on first use (256 random bits, readable by its owner only)."""
    given = os.environ.get(KEY_ENV)
    if given is not None:
        if len(given.strip()) < MIN_KEY_CHARACTERS:
            raise Invalid(
                N_(
                    "{key_env} must hold at least {min_key_characters} characters (e.g. `python "
                    "-c 'import secrets; print(secrets.token_hex(32))'`)",
                    key_env=KEY_ENV,
                    min_key_characters=MIN_KEY_CHARACTERS,
                ),
                KEY_ENV,
            )
        return given.strip().encode("utf-8")
    folder = Path(os.environ.get("RRMS_DATA_DIR", "rrms-data"))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text(encoding="ascii").strip()
        if len(text) < MIN_KEY_CHARACTERS:
            raise Invalid(
                N_("the sharing key file {path} is damaged (too short)", path=path), KEY_ENV
            ) from None
        return text.encode("ascii")
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return path.read_text(encoding="ascii").strip().encode("ascii")


@dataclass(frozen=True)
class SharedFile:
    """An export as handed over, and what the sharing log recorded of it."""

    data: bytes
    file_name: str
    media_type: str
    file_format: str
    sha256: str
    records: int
    generalised: int
    withheld: int
    consent_ids: tuple[int, ...]
    log_id: int


@dataclass(frozen=True)
class _Row:
    person_id: int
    person: str
    sex: str | None
    birth_year: int | str | None
    municipality: str | None
    values: dict[str, Any]


def _quasi(row: _Row) -> tuple[Any, ...]:
    return (row.sex, str(row.birth_year) if row.birth_year is not None else None, row.municipality)


def _generalise(row: _Row) -> _Row:
    year = row.birth_year if isinstance(row.birth_year, int) else None
    return replace(row, birth_year=birth_band(year) if year is not None else row.birth_year)


def _clean_request(
    purpose: str, recipient: str, file_format: str, start: dt.date | None, end: dt.date | None
) -> tuple[str, str, str]:
    values: dict[str, Any] = {"purpose": purpose, "format": file_format}
    clean_choice(values, "purpose", CONSENT_PURPOSES, required=True)
    clean_choice(values, "format", SHARING_FORMATS, required=True)
    name = " ".join((recipient or "").split())
    if not name:
        raise Invalid(N_("recipient is required: the organisation receiving the file"), "recipient")
    if len(name) > 200:
        raise Invalid(N_("a recipient's name has at most 200 characters"), "recipient")
    if start is not None and end is not None and start > end:
        raise Invalid(N_("from {start} is after to {end}", start=start, end=end), "from")
    return values["purpose"], name, values["format"]


def export_for_sharing(
    uow: UnitOfWork,
    actor: Actor,
    purpose: str,
    recipient: str,
    file_format: str = "csv",
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    key: bytes | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> SharedFile:
    """The pseudonymised export for `recipient` and `purpose`, logged and audited.

    `Invalid` naming the purpose when no consent in force covers it for the recipient,
    or when no row would remain after k-anonymity; `Forbidden` for roles without the
    `sharing` write permission. With a period, only persons with a return arriving in
    it are exported, and their returns in it.
    """
    authorize(actor, "sharing", "write")
    purpose, recipient, file_format = _clean_request(purpose, recipient, file_format, start, end)
    day = today()
    covering: dict[int, list[Any]] = {}
    for consent in uow.sharing.consents_for(purpose):
        terms = ConsentTerms(
            consent.purpose, consent.recipients, consent.given_on, consent.withdrawn_on
        )
        if covers(terms, purpose, recipient, day):
            covering.setdefault(consent.person_id, []).append(consent)
    if not covering:
        raise Invalid(
            N_(
                "no consent in force covers sharing for the purpose {purpose!r} with "
                "{recipient!r}: nothing was exported. Record the persons' consent first.",
                purpose=purpose,
                recipient=recipient,
            ),
            "purpose",
        )
    person_ids = sorted(covering)
    returns: dict[int, list[Any]] = {}
    for arrival in uow.sharing.returns_of(person_ids, start, end):
        returns.setdefault(arrival.person_id, []).append(arrival)
    if start is not None or end is not None:
        person_ids = [pid for pid in person_ids if pid in returns]
    assistance = uow.sharing.assistance_counts(person_ids)
    rows: list[_Row] = []
    for person in uow.sharing.persons(person_ids):
        scope = {category for c in covering[person.id] for category in c.scope}
        values: dict[str, Any] = {}
        demographic = "demographics" in scope
        if "returns" in scope:
            arrivals = returns.get(person.id, [])
            values["returns"] = len(arrivals)
            if arrivals:
                values["last_arrival_year"] = arrivals[-1].arrival_date.year
                values["last_return_type"] = arrivals[-1].return_type
        if "assistance" in scope:
            counts = {s: n for (pid, s), n in assistance.items() if pid == person.id}
            values["assistance"] = sum(counts.values())
            values["assistance_paid"] = counts.get("paid", 0)
        rows.append(
            _Row(
                person_id=person.id,
                person="",  # the pseudonym, once the rows are known to be shared
                sex=person.sex if demographic else None,
                birth_year=person.birth_year if demographic else None,
                municipality=person.origin_municipality if demographic else None,
                values=values,
            )
        )
    anonymised = k_anonymise(rows, _quasi, _generalise)
    if not anonymised.rows:
        raise Invalid(
            N_(
                "the {rows_count} persons whose consent covers the purpose {purpose!r} are too "
                "few to share while keeping every combination of sex, birth year and municipality "
                "at 5 or more: nothing was exported",
                rows_count=len(rows),
                purpose=purpose,
            ),
            "purpose",
        )
    key = key if key is not None else sharing_key()
    shared = [replace(row, person=keyed_id(key, row.person_id)) for row in anonymised.rows]
    table = ExportTable("persons", COLUMNS)
    for row in sorted(shared, key=lambda r: r.person):
        table.add(
            person=row.person,
            sex=row.sex,
            birth_year=row.birth_year,
            origin_municipality=row.municipality,
            **row.values,
        )
    data = _write(table, anonymised.rows, file_format)
    digest = hashlib.sha256(data).hexdigest()
    consent_ids = sorted(c.id for row in anonymised.rows for c in covering[row.person_id])
    entry = uow.sharing.add_log(
        at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        user_id=actor.user_id,
        username=actor.username,
        purpose=purpose,
        recipient=recipient,
        period_from=start,
        period_to=end,
        consent_ids=consent_ids,
        records=len(anonymised.rows),
        withheld=anonymised.withheld,
        file_format=file_format,
        file_sha256=digest,
    )
    audit.record(
        uow,
        actor,
        "share",
        "sharing",
        entry.id,
        after={
            "purpose": purpose,
            "recipient": recipient,
            "period": [audit.plain(start), audit.plain(end)],
            "consent_ids": consent_ids,
            "records": len(anonymised.rows),
            "generalised": anonymised.generalised,
            "withheld": anonymised.withheld,
            "format": file_format,
            "file_sha256": digest,
        },
    )
    uow.commit()
    name = f"rrms-{purpose}-{day.isoformat()}-{entry.id}.{file_format}"
    media = (
        "text/csv; charset=utf-8"
        if file_format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return SharedFile(
        data=data,
        file_name=name,
        media_type=media,
        file_format=file_format,
        sha256=digest,
        records=len(anonymised.rows),
        generalised=anonymised.generalised,
        withheld=anonymised.withheld,
        consent_ids=tuple(consent_ids),
        log_id=entry.id,
    )


def _write(table: ExportTable, rows: list[_Row], file_format: str) -> bytes:
    if file_format == "csv":
        text = io.StringIO()
        write_csv(table, text)
        return text.getvalue().encode("utf-8")
    counts: dict[str, int] = {}
    for row in rows:
        if row.municipality is not None:
            counts[row.municipality] = counts.get(row.municipality, 0) + 1
    summary = ExportTable("summary", SUMMARY_COLUMNS)
    for code, cell in protect(dict(sorted(counts.items())), public=True).items():
        summary.add(
            origin_municipality=code,
            persons=cell.value if not cell.suppressed else cell.text,
            suppressed="yes" if cell.suppressed else None,
        )
    binary = io.BytesIO()
    write_xlsx([table, summary], binary)
    return binary.getvalue()


def sharing_log(uow: UnitOfWork, actor: Actor, limit: int = 50) -> list[SharingLogEntry]:
    """The latest exports, newest first (the sharing log holds no personal data beyond
    the consents' ids)."""
    authorize(actor, "sharing", "read")
    return uow.sharing.log(limit)
