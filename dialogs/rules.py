"""The rules data: dated versions, loaded once, validated strictly, exposed as frozen models.

Numbers and citations live in `dialogs/data/al-650-X-4-06/*.yaml`, one file per version of
the rule, each with the day it took effect (the OpenFisca idea): an amendment is a new file,
and an assessment uses the version in force on its `as_of`, so a result computed last year
still reads as it did. Validation is strict because a silently ignored key (a typo in
`below`, say) would change an estimate without anyone noticing; pydantic does the typing and
the errors name the file and the key.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from dialogs.spans import Span

RULES_DIR = Path(__file__).parent / "data" / "al-650-X-4-06"

T = TypeVar("T")


class RulesError(ValueError):
    """A rules file that cannot be trusted; the message names the file and the key."""


def _span(raw: Any) -> Span:
    if isinstance(raw, Span):
        return raw
    return Span.parse(raw)  # its ValueError names the expected form ("a span like '5y1d'")


def _day(raw: Any) -> date:
    if type(raw) is not date:  # YAML reads an unquoted 2022-10-15 as a date
        raise ValueError(f"expected a date like 2022-10-15, got {raw!r}")
    return raw


Whole = Annotated[StrictInt, Field(ge=0)]
Text = Annotated[StrictStr, StringConstraints(pattern=r"\S")]
SpanValue = Annotated[Span, PlainValidator(_span)]
Day = Annotated[date, PlainValidator(_day)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Cited(_Data, Generic[T]):
    value: T
    cite: Text


class Meta(_Data):
    rule: Text
    title: Text
    current_through: Text
    version: Text
    effective: Day  # the first day this version is in force
    cite: Text


class SpanBand(_Data):
    min: SpanValue
    below: SpanValue | None
    points: Whole
    label: Text
    cite: Text


class HoursBand(_Data):
    min: Whole
    below: Whole | None
    points: Whole
    label: Text
    cite: Text


class DegreeValue(_Data):
    degree: Text
    points: Whole
    label: Text
    cite: Text


class ExperienceTable(_Data):
    cite: Text
    bands: Annotated[tuple[SpanBand, ...], Field(min_length=1)]


class TrainingTable(_Data):
    cite: Text
    bands: Annotated[tuple[HoursBand, ...], Field(min_length=1)]


class EducationTable(_Data):
    cite: Text
    degrees: Annotated[tuple[DegreeValue, ...], Field(min_length=1)]


class Points(_Data):
    pass_mark: Cited[Whole]
    experience: ExperienceTable
    training: TrainingTable
    education: EducationTable


class OutOfState(_Data):
    continuous_employment_more_than: Cited[SpanValue]
    max_break_in_service: Cited[SpanValue]
    excluded_state: Cited[Text]


class PointsPathways(_Data):
    le_duties_before_separation: Cited[SpanValue]
    max_break_after_separation: Cited[SpanValue]


class Estimates(_Data):
    approximate_within_days: Cited[Whole]


class Standards(_Data):
    minimum_age: Cited[Whole]
    education_degree_min: Cited[Text]


class Course(_Data):
    refresher_hours: Cited[Whole]
    basic_academy_hours: Cited[Whole]
    academic_average_percent: Cited[Whole]
    legal_exam_percent: Cited[Whole]
    max_absence_percent: Cited[Whole]
    driving_attempts: Cited[Whole]
    firearms_passes_needed: Cited[Whole]
    firearms_attempts: Cited[Whole]
    firearms_score: Cited[Whole]
    failure_bar_years: Cited[Whole]
    provisional_appointment_days: Cited[Whole]
    package_due_weeks_before: Cited[Whole]


CHECKLIST_CONDITIONS = frozenset(
    {
        "always",
        "prior_training",
        "out_of_state",
        "service_history",
        "degree_claimed",
        "no_accredited_degree",
        "heading_to_course",
        "reserve",
    }
)


class ChecklistEntry(_Data):
    id: Text
    when: Text
    cite: Text


class Interview(_Data):
    ask_hire_date_within: Cited[SpanValue]


class Rules(_Data):
    meta: Meta
    points: Points
    out_of_state: OutOfState
    points_pathways: PointsPathways
    estimates: Estimates
    standards: Standards
    course: Course
    interview: Interview
    citations: Annotated[dict[Text, Text], Field(min_length=1)]
    checklist: Annotated[tuple[ChecklistEntry, ...], Field(min_length=1)]

    def degree(self, name: str) -> DegreeValue:
        return next(d for d in self.points.education.degrees if d.degree == name)

    def cite(self, key: str) -> str:
        """The paragraph a condition of the engine cites (`citations` in the rules data)."""
        return self.citations[key]


# --- errors that name the file and the key -------------------------------------------

_MESSAGES = {
    "missing": "missing key",
    "extra_forbidden": "unknown key",
    "int_type": "expected a whole number >= 0",
    "int_from_float": "expected a whole number >= 0",
    "greater_than_equal": "expected a whole number >= 0",
    "string_type": "expected non-empty text",
    "string_pattern_mismatch": "expected non-empty text",
    "bool_type": "expected true or false",
    "tuple_type": "expected a non-empty list",
    "too_short": "expected a non-empty list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
}


def _fail(where: str, message: str) -> RulesError:
    return RulesError(f"{where or '(top level)'}: {message}")


def _where(loc: tuple[int | str, ...]) -> str:
    """points.training.bands[2].min from pydantic's location (union member tags dropped)."""
    where = ""
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        elif part.isidentifier():
            where += f".{part}"
    return where.lstrip(".")


def _first_error(err: ValidationError) -> RulesError:
    errors = [e for e in err.errors() if e["type"] != "none_required"] or err.errors()
    e = errors[0]
    where = _where(e["loc"])
    if e["type"] == "missing" and where.endswith("cite"):
        return _fail(where, "missing citation")
    if e["type"] == "value_error":
        return _fail(where, str(e["ctx"]["error"]))
    message = _MESSAGES.get(e["type"], e["msg"])
    if e["type"] not in ("missing", "extra_forbidden"):
        message += f", got {e['input']!r}"
    return _fail(where, message)


def _check_bands(bands: tuple[Any, ...], where: str, zero: Any) -> None:
    if bands[0].min != zero:
        raise _fail(f"{where}[0].min", f"the first band must start at {zero}")
    for i, (band, nxt) in enumerate(zip(bands, bands[1:], strict=False)):
        if band.below is None:
            raise _fail(f"{where}[{i}].below", "only the last band may be open-ended")
        if nxt.min != band.below:
            kind = "gap" if nxt.min > band.below else "overlap"
            raise _fail(f"{where}[{i + 1}].min", f"{kind} between bands ({band.below} then {nxt.min})")
        if nxt.points < band.points:
            raise _fail(f"{where}[{i + 1}].points", "points must not fall as the band rises")
    for i, band in enumerate(bands):
        if band.below is not None and not band.min < band.below:
            raise _fail(f"{where}[{i}].below", "must be above min")
    if bands[-1].below is not None:
        raise _fail(f"{where}[{len(bands) - 1}].below", "the last band must be open-ended (null)")


def _validate(rules: Rules) -> None:
    _check_bands(rules.points.experience.bands, "points.experience.bands", Span())
    _check_bands(rules.points.training.bands, "points.training.bands", 0)
    degrees = [d.degree for d in rules.points.education.degrees]
    expected = ["none", "associate", "bachelor", "master", "doctorate"]
    if degrees != expected:
        raise _fail("points.education.degrees", f"must list {expected} in order")
    ids = set()
    for i, item in enumerate(rules.checklist):
        if item.when not in CHECKLIST_CONDITIONS:
            raise _fail(f"checklist[{i}].when", f"unknown condition {item.when!r}")
        if item.id in ids:
            raise _fail(f"checklist[{i}].id", f"duplicate id {item.id!r}")
        ids.add(item.id)


def parse_rules(data: Any, name: str) -> Rules:
    """Build and check one version; every error message starts with `name` (the file)."""
    try:
        try:
            rules = Rules.model_validate(data)
        except ValidationError as err:
            raise _first_error(err) from None
        _validate(rules)
    except RulesError as exc:
        raise RulesError(f"{name}: {exc}") from None
    return rules


def load_rules_file(path: Path) -> Rules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: cannot read rules data ({exc})") from exc
    return parse_rules(data, str(path))


# --- versions by effective date ---------------------------------------------------------


class RuleVersions:
    """Every version of the rule, oldest first; each in force from its `effective` day."""

    def __init__(self, versions: list[Rules], where: str) -> None:
        if not versions:
            raise RulesError(f"{where}: no rules versions (*.yaml)")
        self.versions = tuple(sorted(versions, key=lambda r: r.meta.effective))
        for older, newer in zip(self.versions, self.versions[1:], strict=False):
            if older.meta.effective == newer.meta.effective:
                raise RulesError(f"{where}: two versions take effect on {newer.meta.effective}")
        names = [r.meta.version for r in self.versions]
        if len(set(names)) != len(names):
            raise RulesError(f"{where}: two versions share a meta.version name")

    def in_force(self, on: date) -> Rules:
        """The version in force on `on`. Before the first one, the first: the product holds no
        older text (the rule before its 2022 renumbering read the same)."""
        current = self.versions[0]
        for version in self.versions[1:]:
            if version.meta.effective <= on:
                current = version
        return current

    def named(self, version: str) -> Rules | None:
        return next((r for r in self.versions if r.meta.version == version), None)


def load_rule_versions(directory: Path) -> RuleVersions:
    return RuleVersions([load_rules_file(p) for p in sorted(directory.glob("*.yaml"))], str(directory))


_loaded = cache(load_rule_versions)


def rule_versions() -> RuleVersions:
    """The shipped versions (from RULES_DIR, read once)."""
    return _loaded(RULES_DIR)


def rules_in_force(on: date) -> Rules:
    """The rules an assessment as of `on` uses."""
    return rule_versions().in_force(on)


def rules_of(version: str | None, as_of: date) -> Rules:
    """The rules an earlier assessment was made under: its version by name, or, if that
    version is not known (no longer shipped, or never recorded), the one in force on its day."""
    return (rule_versions().named(version) if version else None) or rules_in_force(as_of)
