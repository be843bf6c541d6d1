"""The linkage model: what is compared, how candidates are found, and what was learnt.

A model is data. Its file (JSON) holds the Splink settings with the trained m and u
probabilities of every comparison level, the blocking rules that find candidate
pairs, the default threshold, and a name and version that every output of
`rrms link` repeats, so a result can always be traced to the model that produced it.
RRMS ships one model trained on a synthetic Kosovo-shaped register
(`models/kosovo-synthetic-*.json`); `rrms link-train` trains another on a site's own
register and writes it under a new version.

The comparisons are defined here in code (:func:`comparisons`) so that one
definition yields the SQL of every engine: a model trained on DuckDB is run on Spark
by building the same comparisons in Spark's SQL and carrying the learnt
probabilities over, level by level (:meth:`LinkageModel.splink_settings`).

Each comparison level's label is the evidence shown to people: "same after
transliteration", "same year, day and month swapped". Those words come from the
model file, so an explanation never disagrees with the model that scored the pair.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from rrms.domain.birth_dates import DateAgreement

__all__ = [
    "FORMAT",
    "FULL_NAME",
    "TF_MIN_RECORDS",
    "IDENTITY_COLUMNS",
    "UNIQUE_ID",
    "LinkType",
    "LinkageModel",
    "ModelError",
    "check_version",
    "comparison_names",
    "comparisons",
    "prediction_blocking_rules",
    "settings_creator",
    "shipped_model",
    "shipped_models",
    "trained_facts",
    "training_blocking_rules",
]

FORMAT: Final = "rrms-linkage-model/1"
"""The form of a model file; a file of another form is refused, not guessed at."""

UNIQUE_ID: Final = "unique_id"
DIALECTS: Final = ("duckdb", "spark")
"""The SQL dialects a model can be stored in (those of the engines RRMS runs)."""
MIN_CANDIDATES: Final = 1000
"""The fewest other records a run's prior assumes (see `LinkageModel.prior`)."""
IDENTITY_COLUMNS: Final[tuple[str, ...]] = (
    "family_spelling",
    "family_canonical",
    "family_key",
    "given_spelling",
    "given_canonical",
    "given_key",
    "father_spelling",
    "father_canonical",
    "father_key",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "community",
    "municipality",
    "settlement",
    "birth_place",
    "address",
    "document_number",
)
"""The engine's input columns besides the record's id: `IdentityFields`, in order."""

FULL_NAME: Final = "full_name"
"""A column the engine derives: canonical family and given name together, whose
frequency in the data weighs an agreement on both names (term frequency adjustment)."""
TF_MIN_RECORDS: Final = 50_000
"""The fewest records from which a run takes name frequencies (term frequency
adjustments). A name's frequency is counted in the run's own records, duplicates
included, so in a small file every duplicated name looks common (in a list of ten, a
name written twice is a fifth of it). On the synthetic lists the adjustments cost F1
at 14,000 records (0.959 to 0.945) and gained at 119,000 (0.921 to 0.928); below
this size the level's average weight is used, as without adjustments."""
TF_MINIMUM_U: Final = 1e-6
"""The lowest frequency a name is given: a name seen once in a million records."""

_SAME: Final = "same"
_SIMILAR: Final = "similar"
_DIFFERENT: Final = "different"
_UNKNOWN: Final = "unknown in one record"

_MODELS_PACKAGE: Final = "rrms.services.identity"
_MODELS_FOLDER: Final = "models"
_SHIPPED_MODEL: Final = "kosovo-synthetic"
_VERSION: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


class ModelError(Exception):
    """A model file that cannot be used: unreadable, of another form, or not matching."""


_DIALECT: contextvars.ContextVar[str] = contextvars.ContextVar("dialect", default="duckdb")


def _level(condition: str, label: str) -> ComparisonLevelCreator:
    """A level written in SQL that DuckDB and Spark both read: plain column names (Spark
    reads a double-quoted name as a string), functions named for the dialect."""
    level: ComparisonLevelCreator = cll.CustomLevel(
        condition, label, base_dialect_str=_DIALECT.get()
    )
    return level


def _null(column: str) -> ComparisonLevelCreator:
    level: ComparisonLevelCreator = cll.NullLevel(column).configure(label_for_charts=_UNKNOWN)
    return level


def _labelled(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    configured: ComparisonLevelCreator = level.configure(label_for_charts=label)
    return configured


def _else() -> ComparisonLevelCreator:
    return _labelled(cll.ElseLevel(), _DIFFERENT)


def _father() -> ComparisonCreator:
    """The father's name by its forms (`rrms.reference.names`), then by similarity."""
    comparison: ComparisonCreator = cl.CustomComparison(
        [
            _null("father_canonical"),
            _labelled(
                cll.ExactMatchLevel("father_canonical", term_frequency_adjustments=True), _SAME
            ).configure(tf_minimum_u_value=TF_MINIMUM_U),
            _level(_similar("father"), _SIMILAR),
            _else(),
        ],
        output_column_name="father_name",
        comparison_description="father's name",
    )
    return comparison


def _similar(part: str) -> str:
    """Two names are similar if their canonical forms are close (Jaro-Winkler 0.9), or
    sound alike (one sound key) and are not far apart (0.8): 'Taci' and 'Thaçi' are,
    'Bajram' and 'Burim', whose consonants agree, are not. `part`: family, given, father."""
    left, right = f"{part}_canonical_l", f"{part}_canonical_r"
    return (
        f"({_jaro(left, right, 0.9)} OR "
        f"({part}_key_l = {part}_key_r AND {_jaro(left, right, 0.8)}))"
    )


def _jaro(left: str, right: str, threshold: float) -> str:
    """Jaro-Winkler similarity at least `threshold`, in the SQL of the dialect being built
    (DuckDB's `jaro_winkler_similarity`, the `jaro_winkler` Splink registers on Spark)."""
    function = SplinkDialect.from_string(_DIALECT.get()).jaro_winkler_function_name
    return f"{function}({left}, {right}) >= {threshold}"


NAME_LEVELS: Final[tuple[tuple[str, str], ...]] = (
    ("both", "family_name: same; given_name: same"),
    (
        "swapped",
        "family_name: swapped with the given name; given_name: swapped with the family name",
    ),
    ("family", "family_name: same; given_name: similar"),
    ("given", "family_name: similar; given_name: same"),
    ("similar", "family_name: similar; given_name: similar"),
    (
        "swapped_similar",
        "family_name: similar to the given name; given_name: similar to the family name",
    ),
    ("family_only", "family_name: same; given_name: different"),
    ("given_only", "family_name: different; given_name: same"),
)
"""The name comparison's levels (after 'unknown'), strongest first, with the evidence
each gives per column. 'same' is refined to 'same after transliteration', 'similar'
to 'sounds alike', from the two records' names (`rrms.services.identity.link`)."""


def _names() -> ComparisonCreator:
    """Family and given name together, one comparison.

    Together, because they are not independent evidence: swapped names are one
    event, not two agreements; and brothers and sisters share the family name, so its
    agreement means little once the given name differs.
    """

    def same(part: str) -> str:
        return f"{part}_canonical_l = {part}_canonical_r"

    def similar(part: str) -> str:
        return _similar(part)

    conditions = {
        "both": f"{same('family')} AND {same('given')}",
        "swapped": "family_canonical_l = given_canonical_r "
        "AND given_canonical_l = family_canonical_r",
        "family": f"{same('family')} AND {similar('given')}",
        "given": f"{similar('family')} AND {same('given')}",
        "similar": f"{similar('family')} AND {similar('given')}",
        "swapped_similar": _jaro("family_canonical_l", "given_canonical_r", 0.9)
        + " AND "
        + _jaro("given_canonical_l", "family_canonical_r", 0.9),
        "family_only": same("family"),
        "given_only": same("given"),
    }
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _level(
            "family_canonical_l IS NULL OR family_canonical_r IS NULL OR "
            "given_canonical_l IS NULL OR given_canonical_r IS NULL",
            "family_name: " + _UNKNOWN + "; given_name: " + _UNKNOWN,
        ).configure(is_null_level=True)
    ]
    levels += [
        _level(conditions[key], label).configure(
            tf_adjustment_column=FULL_NAME,
            tf_minimum_u_value=TF_MINIMUM_U,
            disable_tf_exact_match_detection=True,
        )
        if key == "both"
        else _level(conditions[key], label)
        for key, label in NAME_LEVELS
    ]
    levels.append(_labelled(cll.ElseLevel(), "family_name: different; given_name: different"))
    comparison: ComparisonCreator = cl.CustomComparison(
        levels, output_column_name="name", comparison_description="family and given name"
    )
    return comparison


def _birth_date() -> ComparisonCreator:
    """Partial dates as `rrms.domain.birth_dates.agreement` orders them, in SQL."""
    y_l, y_r = "birth_year_l", "birth_year_r"
    m_l, m_r = "birth_month_l", "birth_month_r"
    d_l, d_r = "birth_day_l", "birth_day_r"
    full = f"{d_l} IS NOT NULL AND {d_r} IS NOT NULL"
    partial = f"({d_l} IS NULL OR {d_r} IS NULL)"
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _null("birth_year"),
        _level(f"{y_l} = {y_r} AND {m_l} = {m_r} AND {d_l} = {d_r}", DateAgreement.SAME.value),
        _level(
            f"{y_l} = {y_r} AND {m_l} = {d_r} AND {d_l} = {m_r} AND {m_l} <> {d_l}",
            DateAgreement.SWAPPED.value,
        ),
        _level(
            f"{y_l} = {y_r} AND {m_l} = {m_r} AND {partial}",
            DateAgreement.SAME_MONTH_PARTIAL.value,
        ),
        _level(
            f"{y_l} = {y_r} AND ({m_l} IS NULL OR {m_r} IS NULL)",
            DateAgreement.SAME_YEAR_PARTIAL.value,
        ),
        _level(
            f"{full} AND (({y_l} = {y_r} AND ({m_l} = {m_r} OR {d_l} = {d_r})) "
            f"OR (abs({y_l} - {y_r}) = 1 AND {m_l} = {m_r} AND {d_l} = {d_r}))",
            DateAgreement.ONE_PART_DIFFERS.value,
        ),
        _level(f"{partial} AND abs({y_l} - {y_r}) <= 1", DateAgreement.NEAR_YEAR_PARTIAL.value),
        _level(f"abs({y_l} - {y_r}) >= 2", DateAgreement.YEARS_APART.value),
        _labelled(cll.ElseLevel(), DateAgreement.DIFFERENT.value),
    ]
    comparison: ComparisonCreator = cl.CustomComparison(
        levels, output_column_name="birth_date", comparison_description="birth date"
    )
    return comparison


def _exact(column: str, name: str) -> ComparisonCreator:
    comparison: ComparisonCreator = cl.CustomComparison(
        [_null(column), _labelled(cll.ExactMatchLevel(column), _SAME), _else()],
        output_column_name=name,
        comparison_description=name.replace("_", " "),
    )
    return comparison


def _text(column: str, name: str) -> ComparisonCreator:
    comparison: ComparisonCreator = cl.CustomComparison(
        [
            _null(column),
            _labelled(cll.ExactMatchLevel(column), _SAME),
            _labelled(cll.JaroWinklerLevel(column, 0.9), _SIMILAR),
            _else(),
        ],
        output_column_name=name,
        comparison_description=name.replace("_", " "),
    )
    return comparison


def _origin() -> ComparisonCreator:
    """Where the person lives or comes from: address, settlement, municipality.

    One comparison, not three, and the address no stronger than the settlement: a
    household shares all three, so counting each as separate evidence, or an address
    as the near-proof it is between strangers, would make brothers and sisters one
    person.
    """
    comparison: ComparisonCreator = cl.CustomComparison(
        [
            _null("municipality"),
            _level(
                "municipality_l = municipality_r AND (settlement_l = settlement_r "
                "OR address_l = address_r)",
                "same municipality, and same settlement or address",
            ),
            _labelled(
                cll.ExactMatchLevel("municipality", term_frequency_adjustments=True),
                "same municipality",
            ),
            _else(),
        ],
        output_column_name="origin_municipality",
        comparison_description="place of origin",
    )
    return comparison


def _document() -> ComparisonCreator:
    comparison: ComparisonCreator = cl.CustomComparison(
        [
            _null("document_number"),
            _labelled(cll.ExactMatchLevel("document_number"), _SAME),
            _labelled(cll.DamerauLevenshteinLevel("document_number", 1), "one character differs"),
            _else(),
        ],
        output_column_name="document_number",
        comparison_description="document number",
    )
    return comparison


def comparisons(dialect: str = "duckdb") -> list[ComparisonCreator]:
    """What the model compares, one comparison per identity field, strongest level first,
    in the SQL of `dialect` ('duckdb' or 'spark').

    The output names are the evidence keys of `rrms link` (the list's column names),
    but for `name`, which gives evidence for both `family_name` and `given_name`.
    """
    token = _DIALECT.set(dialect)
    try:
        return _comparisons()
    finally:
        _DIALECT.reset(token)


def _comparisons() -> list[ComparisonCreator]:
    return [
        _names(),
        _father(),
        _birth_date(),
        _exact("sex", "sex"),
        _exact("community", "community"),
        _origin(),
        _text("birth_place", "birth_place"),
        _document(),
    ]


def prediction_blocking_rules() -> list[BlockingRuleCreator]:
    """How candidate pairs are found: each rule an equi-join on keys, cheap to index.

    Any one of them finding a pair makes it a candidate, so a pair is missed only if
    it escapes all: a misspelt given name is found by the family name, the year and
    the given name's first letter; a misspelt family name by the given name with the
    year and place, the father and place, or the full birth date; a wrong or missing
    year by both names with the place or the father; swapped names by the swap rules;
    anything by the same document. Every rule joins on at least two keys, so that in
    a register of a million persons no block is large: a common family name with a
    common given name is still a few hundred persons, not tens of thousands.
    """

    def swapped(also: str) -> BlockingRuleCreator:
        rule: BlockingRuleCreator = CustomRule(
            f"l.family_key = r.given_key AND l.given_key = r.family_key AND l.{also} = r.{also}",
            sql_dialect="duckdb",
        )
        return rule

    return [
        block_on("family_key", "birth_year", "substr(given_key, 1, 1)"),
        block_on("family_key", "given_key", "municipality"),
        block_on("family_key", "given_key", "father_key"),
        block_on("given_key", "birth_year", "municipality"),
        block_on("given_key", "father_key", "municipality"),
        block_on("given_key", "birth_year", "birth_month", "birth_day"),
        block_on("document_number"),
        swapped("birth_year"),
        swapped("municipality"),
    ]


def training_blocking_rules() -> list[BlockingRuleCreator]:
    """The blocks expectation maximisation learns from, one session each.

    A session cannot learn the fields it blocks on, so the two sessions block on
    different fields: both names and the place (learning the birth date, the
    father's name, sex ...), then the full birth date (learning the names and the
    place). Both blocks hold
    mostly true matches, which is what expectation maximisation needs.
    """
    return [
        block_on("family_key", "given_key", "municipality"),
        block_on("birth_year", "birth_month", "birth_day"),
    ]


LinkType = Literal["dedupe_only", "link_only"]


def settings_creator(
    link_type: LinkType, probability_two_random_records_match: float, dialect: str = "duckdb"
) -> SettingsCreator:
    """The untrained model for `link_type` (`dedupe_only` or `link_only`) on `dialect`."""
    compared: list[ComparisonCreator | dict[str, Any]] = list(comparisons(dialect))
    rules: list[BlockingRuleCreator | dict[str, Any]] = list(prediction_blocking_rules())
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name=UNIQUE_ID,
        comparisons=compared,
        blocking_rules_to_generate_predictions=rules,
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=[],
    )


@dataclass
class LinkageModel:
    """A trained model as RRMS stores it: Splink's settings and RRMS's own facts."""

    name: str
    version: str
    threshold: float
    matches_per_record: float
    """How many other records a record matches on average, learnt in training. Turned
    into Splink's prior for each run (`probability_two_random_records_match`), so that
    the same evidence means the same probability in a list of 50 and a register of a
    million."""
    splink: dict[str, Any]
    trained: dict[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def label(self) -> str:
        """The name and version, as outputs name the model: 'kosovo-synthetic 1'."""
        return f"{self.name} {self.version}"

    def describe(self) -> dict[str, Any]:
        """What outputs say about the model."""
        return {
            "name": self.name,
            "version": self.version,
            "threshold": self.threshold,
            "trained": self.trained,
        }

    def as_json(self) -> dict[str, Any]:
        """The model file's content."""
        return {
            "format": FORMAT,
            "name": self.name,
            "version": self.version,
            "threshold": self.threshold,
            "matches_per_record": self.matches_per_record,
            "trained": self.trained,
            "splink": self.splink,
        }

    def save(self, path: Path) -> None:
        """Write the model file (never over an existing one: versions are kept)."""
        if path.exists():
            raise ModelError(f"{path} exists; a model version is never overwritten")
        path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")

    @classmethod
    def from_json(cls, content: Mapping[str, Any], path: str | None = None) -> LinkageModel:
        """Read a model file's content; `ModelError` if it is not a model RRMS can use."""
        where = path or "model"
        if content.get("format") != FORMAT:
            raise ModelError(f"{where}: not an RRMS linkage model (format {FORMAT})")
        try:
            model = cls(
                name=str(content["name"]),
                version=str(content["version"]),
                threshold=float(content["threshold"]),
                matches_per_record=float(content["matches_per_record"]),
                splink=copy.deepcopy(dict(content["splink"])),
                trained=dict(content.get("trained") or {}),
                path=path,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{where}: incomplete model file ({exc})") from None
        if not 0 < model.threshold < 1:
            raise ModelError(f"{where}: threshold must be between 0 and 1")
        dialect = model.splink.get("sql_dialect", "duckdb")
        if dialect not in DIALECTS:
            raise ModelError(f"{where}: SQL dialect {dialect!r}, not one of {', '.join(DIALECTS)}")
        try:
            _add_levels_added_later(model.splink)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"{where}: incomplete model file ({exc!r})") from None
        model.check()
        return model

    @classmethod
    def load(cls, path: Path) -> LinkageModel:
        """Read a model file."""
        try:
            content = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read the model {path}: {exc}") from None
        return cls.from_json(content, str(path))

    def check(self) -> None:
        """Refuse a model whose comparisons are not the ones this RRMS computes."""
        expected = _level_labels(_current_settings("duckdb"))
        found = _level_labels(self.splink)
        if found != expected:
            raise ModelError(
                f"{self.path or self.label}: its comparisons differ from this version of "
                "RRMS's; train a new model with `rrms link-train`"
            )

    def evidence_words(self) -> dict[str, dict[int, str]]:
        """Per comparison, the words for each comparison vector value (gamma)."""
        words: dict[str, dict[int, str]] = {}
        for comparison in self.splink["comparisons"]:
            levels = comparison["comparison_levels"]
            values: dict[int, str] = {}
            count = sum(1 for level in levels if not level.get("is_null_level"))
            position = count - 1
            for level in levels:
                if level.get("is_null_level"):
                    values[-1] = level["label_for_charts"]
                else:
                    values[position] = level["label_for_charts"]
                    position -= 1
            words[comparison["output_column_name"]] = values
        return words

    def splink_settings(
        self, dialect: str, link_type: LinkType, prior: float, records: int = TF_MIN_RECORDS
    ) -> dict[str, Any]:
        """Splink's settings for one run on `dialect`, with the run's prior.

        The stored settings are used as they are on their own dialect; on another,
        the comparisons are built afresh in that dialect's SQL and the learnt m and
        u probabilities copied over level by level. A run of fewer than
        `TF_MIN_RECORDS` records (all inputs together) makes no term frequency
        adjustments.
        """
        stored_dialect = self.splink.get("sql_dialect", "duckdb")
        if dialect == stored_dialect:
            settings = copy.deepcopy(self.splink)
        else:
            settings = settings_creator(link_type, prior, dialect).create_settings_dict(dialect)
            settings["sql_dialect"] = dialect
            _copy_probabilities(self.splink, settings)
            settings["blocking_rules_to_generate_predictions"] = [
                rule.get_blocking_rule(dialect).as_dict()  # type: ignore[no-untyped-call]
                for rule in prediction_blocking_rules()
            ]
        settings["link_type"] = link_type
        settings["probability_two_random_records_match"] = prior
        if records < TF_MIN_RECORDS:
            for comparison in settings["comparisons"]:
                for level in comparison["comparison_levels"]:
                    level.pop("tf_adjustment_column", None)
                    level.pop("tf_adjustment_weight", None)
        settings.pop("linker_uid", None)
        return settings

    def prior(self, left: int, right: int | None) -> float:
        """Splink's prior for a run: of all pairs compared, the share expected to match.

        Dedupe of n records: each has `matches_per_record` matches among n - 1 others.
        Link of a list against m records: each list record has as many among m. Never
        fewer than `MIN_CANDIDATES` others are assumed, so that the records of a small
        file are not presumed duplicates because the file is small: the persons on a
        list of twenty are drawn from thousands who could have been on it.
        """
        others = (left - 1) if right is None else right
        return min(0.5, self.matches_per_record / max(others, MIN_CANDIDATES))


LEVELS_ADDED: Final[dict[tuple[str, str], str]] = {
    ("birth_date", DateAgreement.YEARS_APART.value): DateAgreement.DIFFERENT.value,
}
"""Comparison levels added after models were first trained, each with the level whose
pairs it took: model 3 split "born two or more years apart" off "different"."""


def _add_levels_added_later(splink: dict[str, Any]) -> None:
    """Give a model trained before a level existed that level, in place, weighing as
    the level it was split from: the model then scores every pair exactly as it did,
    and a site's model trained on an older RRMS still loads. A comparison that differs
    in any other way is left as it is, for `LinkageModel.check` to refuse."""
    current = {
        comparison["output_column_name"]: comparison["comparison_levels"]
        for comparison in _current_settings(splink.get("sql_dialect", "duckdb"))["comparisons"]
    }
    for comparison in splink.get("comparisons", []):
        name = comparison.get("output_column_name")
        levels = _with_added_levels(name, comparison["comparison_levels"], current.get(name, []))
        if levels is not None:
            comparison["comparison_levels"] = levels


def _with_added_levels(
    name: str, stored: list[dict[str, Any]], wanted: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The stored levels of comparison `name` with the levels added since, or None
    where they are not exactly the current levels, in order, less the added ones, or
    an added level does not sit just before the catch-all level it was split from
    (only then does it take nothing but pairs that level held)."""
    labels = [level["label_for_charts"] for level in wanted]
    stored_labels = [level["label_for_charts"] for level in stored]
    added = [
        label for label in labels if (name, label) in LEVELS_ADDED and label not in stored_labels
    ]
    if not added or [label for label in labels if label not in added] != stored_labels:
        return None
    by_label = dict(zip(stored_labels, stored, strict=True))
    levels = []
    for position, level in enumerate(wanted):
        label = level["label_for_charts"]
        if label not in added:
            levels.append(by_label[label])
            continue
        split_from = by_label[LEVELS_ADDED[(name, label)]]
        following = labels[position + 1] if position + 1 < len(labels) else None
        if following != split_from["label_for_charts"] or split_from.get("sql_condition") != "ELSE":
            return None
        new = copy.deepcopy(level)
        for probability in ("m_probability", "u_probability"):
            if probability in split_from:
                new[probability] = split_from[probability]
        levels.append(new)
    return levels


@cache
def _current_settings(dialect: str) -> Mapping[str, Any]:
    """The comparisons this RRMS computes, as Splink's settings in `dialect`: built once
    per process, to be read (copied before any change), never changed."""
    return settings_creator("dedupe_only", 0.001, dialect).create_settings_dict(dialect)


def _level_labels(settings: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (
            comparison["output_column_name"],
            tuple(level["label_for_charts"] for level in comparison["comparison_levels"]),
        )
        for comparison in settings["comparisons"]
    ]


def _copy_probabilities(source: Mapping[str, Any], target: dict[str, Any]) -> None:
    learnt = {
        (comparison["output_column_name"], level["label_for_charts"]): level
        for comparison in source["comparisons"]
        for level in comparison["comparison_levels"]
    }
    for comparison in target["comparisons"]:
        for level in comparison["comparison_levels"]:
            known = learnt.get((comparison["output_column_name"], level["label_for_charts"]))
            if known is None:
                raise ModelError("the model's comparisons differ from this version of RRMS's")
            for name in ("m_probability", "u_probability"):
                if name in known:
                    level[name] = known[name]


def check_version(version: str) -> str:
    """A model version is a short word of letters, digits, dots, hyphens: '2', '2027.1'."""
    if not _VERSION.fullmatch(version):
        raise ModelError(
            f"model version {version!r}: use up to 40 letters, digits, '.', '_' or '-'"
        )
    return version


def shipped_models() -> list[str]:
    """The file names of the models shipped with RRMS."""
    folder = resources.files(_MODELS_PACKAGE).joinpath(_MODELS_FOLDER)
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".json"))


def shipped_model() -> LinkageModel:
    """RRMS's default model: the latest shipped version of the synthetic Kosovo model."""
    names = [name for name in shipped_models() if name.startswith(_SHIPPED_MODEL)]
    if not names:
        raise ModelError("no linkage model is shipped with this RRMS")
    latest = max(names, key=_version_order)
    resource = resources.files(_MODELS_PACKAGE).joinpath(_MODELS_FOLDER).joinpath(latest)
    return LinkageModel.from_json(json.loads(resource.read_text("utf-8")), latest)


def _version_order(file_name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", file_name))


def trained_facts(records: int, source: str, engine: str, seconds: float) -> dict[str, Any]:
    """What a model file says about its training."""
    return {
        "on": source,
        "records": records,
        "engine": engine,
        "date": dt.date.today().isoformat(),
        "seconds": round(seconds, 1),
    }


def comparison_names() -> Sequence[str]:
    """The evidence keys, in the order the model compares them."""
    return [str(comparison.create_output_column_name() or "") for comparison in comparisons()]
