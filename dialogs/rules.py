"""The rules data file: loaded once, validated strictly, exposed as frozen dataclasses.

Numbers and citations live in `dialogs/data/*.yaml`, so an amendment of the rule is an
edit of data. Validation is strict because a silently ignored key (a typo in `below`,
say) would change an estimate without anyone noticing.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from dialogs.spans import Span

DEFAULT_RULES_FILE = Path(__file__).parent / "data" / "al-650-X-4-06.yaml"

T = TypeVar("T")


class RulesError(ValueError):
    """A rules file that cannot be trusted; the message names the file and the key."""


@dataclass(frozen=True)
class Cited(Generic[T]):
    value: T
    cite: str


@dataclass(frozen=True)
class Meta:
    rule: str
    title: str
    current_through: str
    version: str
    cite: str


@dataclass(frozen=True)
class SpanBand:
    min: Span
    below: Span | None
    points: int
    label: str
    cite: str


@dataclass(frozen=True)
class HoursBand:
    min: int
    below: int | None
    points: int
    label: str
    cite: str


@dataclass(frozen=True)
class DegreeValue:
    degree: str
    points: int
    label: str
    cite: str


@dataclass(frozen=True)
class ExperienceTable:
    cite: str
    bands: tuple[SpanBand, ...]


@dataclass(frozen=True)
class TrainingTable:
    cite: str
    bands: tuple[HoursBand, ...]


@dataclass(frozen=True)
class EducationTable:
    cite: str
    degrees: tuple[DegreeValue, ...]
    accreditation_required: Cited[bool]
    correspondence_excluded: Cited[bool]


@dataclass(frozen=True)
class Points:
    pass_mark: Cited[int]
    experience: ExperienceTable
    training: TrainingTable
    education: EducationTable


@dataclass(frozen=True)
class OutOfState:
    continuous_employment_more_than: Cited[Span]
    max_break_in_service: Cited[Span]
    excluded_state: Cited[str]


@dataclass(frozen=True)
class PointsPathways:
    le_duties_before_separation: Cited[Span]
    max_break_after_separation: Cited[Span]


@dataclass(frozen=True)
class Estimates:
    approximate_within_days: Cited[int]


@dataclass(frozen=True)
class Standards:
    minimum_age: Cited[int]
    education_degree_min: Cited[str]


@dataclass(frozen=True)
class Course:
    refresher_hours: Cited[int]
    basic_academy_hours: Cited[int]
    academic_average_percent: Cited[int]
    legal_exam_percent: Cited[int]
    max_absence_percent: Cited[int]
    driving_attempts: Cited[int]
    firearms_passes_needed: Cited[int]
    firearms_attempts: Cited[int]
    firearms_score: Cited[int]
    failure_bar_years: Cited[int]
    provisional_appointment_days: Cited[int]
    package_due_weeks_before: Cited[int]


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


@dataclass(frozen=True)
class ChecklistEntry:
    id: str
    when: str
    cite: str


@dataclass(frozen=True)
class Interview:
    ask_hire_date_within: Cited[Span]


@dataclass(frozen=True)
class Rules:
    meta: Meta
    points: Points
    out_of_state: OutOfState
    points_pathways: PointsPathways
    estimates: Estimates
    standards: Standards
    course: Course
    interview: Interview
    citations: dict[str, str]
    checklist: tuple[ChecklistEntry, ...]

    def degree(self, name: str) -> DegreeValue:
        return next(d for d in self.points.education.degrees if d.degree == name)

    def cite(self, key: str) -> str:
        """The paragraph a condition of the engine cites (`citations` in the rules data)."""
        return self.citations[key]


# --- building dataclasses from plain data, with errors that name the key -------------


def _fail(where: str, message: str) -> typing.NoReturn:
    raise RulesError(f"{where.lstrip('.') or '(top level)'}: {message}")


def _convert(tp: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if raw is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        return _convert(real[0], raw, where)
    if origin is dict:
        if not isinstance(raw, dict) or not raw:
            _fail(where, "expected a non-empty mapping")
        key_type, value_type = typing.get_args(tp)
        return {_convert(key_type, k, f"{where}.{k}"): _convert(value_type, v, f"{where}.{k}") for k, v in raw.items()}
    if origin is tuple:
        if not isinstance(raw, list) or not raw:
            _fail(where, "expected a non-empty list")
        return tuple(_convert(typing.get_args(tp)[0], item, f"{where}[{i}]") for i, item in enumerate(raw))
    target = origin or tp
    if target is Span:
        try:
            return Span.parse(raw)
        except ValueError as exc:
            _fail(where, str(exc))
    if dataclasses.is_dataclass(target):
        return _build(tp, raw, where)
    if target is bool:
        if not isinstance(raw, bool):
            _fail(where, f"expected true or false, got {raw!r}")
        return raw
    if target is int:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            _fail(where, f"expected a whole number >= 0, got {raw!r}")
        return raw
    if target is str:
        if not isinstance(raw, str) or not raw.strip():
            _fail(where, f"expected non-empty text, got {raw!r}")
        return raw
    raise TypeError(f"unsupported type {tp!r} at {where}")  # a programming error, not data


def _build(tp: Any, raw: Any, where: str) -> Any:
    cls = typing.get_origin(tp) or tp
    if not isinstance(raw, dict):
        _fail(where, "expected a mapping")
    hints = typing.get_type_hints(cls)
    if typing.get_origin(tp) is not None:  # Cited[Span] and friends
        params = dict(zip(cls.__parameters__, typing.get_args(tp), strict=False))
        hints = {k: params.get(v, v) for k, v in hints.items()}
    names = [f.name for f in dataclasses.fields(cls)]
    for key in raw:
        if key not in names:
            _fail(f"{where}.{key}", "unknown key")
    values = {}
    for name in names:
        if name not in raw:
            _fail(f"{where}.{name}", "missing" + (" citation" if name == "cite" else " key"))
        values[name] = _convert(hints[name], raw[name], f"{where}.{name}")
    return cls(**values)


def _check_bands(bands: tuple[Any, ...], where: str, zero: Any, step: Any) -> None:
    if bands[0].min != zero:
        _fail(f"{where}[0].min", f"the first band must start at {zero}")
    for i, (band, nxt) in enumerate(zip(bands, bands[1:], strict=False)):
        if band.below is None:
            _fail(f"{where}[{i}].below", "only the last band may be open-ended")
        if nxt.min != band.below:
            kind = "gap" if nxt.min > band.below else "overlap"
            _fail(f"{where}[{i + 1}].min", f"{kind} between bands ({band.below} then {nxt.min})")
        if nxt.points < band.points:
            _fail(f"{where}[{i + 1}].points", "points must not fall as the band rises")
    for i, band in enumerate(bands):
        if band.below is not None and not step(band.min, band.below):
            _fail(f"{where}[{i}].below", "must be above min")
    if bands[-1].below is not None:
        _fail(f"{where}[{len(bands) - 1}].below", "the last band must be open-ended (null)")


def _validate(rules: Rules) -> None:
    _check_bands(rules.points.experience.bands, "points.experience.bands", Span(), lambda a, b: a < b)
    _check_bands(rules.points.training.bands, "points.training.bands", 0, lambda a, b: a < b)
    degrees = [d.degree for d in rules.points.education.degrees]
    expected = ["none", "associate", "bachelor", "master", "doctorate"]
    if degrees != expected:
        _fail("points.education.degrees", f"must list {expected} in order")
    ids = set()
    for i, item in enumerate(rules.checklist):
        if item.when not in CHECKLIST_CONDITIONS:
            _fail(f"checklist[{i}].when", f"unknown condition {item.when!r}")
        if item.id in ids:
            _fail(f"checklist[{i}].id", f"duplicate id {item.id!r}")
        ids.add(item.id)


def parse_rules(data: Any, name: str) -> Rules:
    """Build and check the rules; every error message starts with `name` (the file)."""
    try:
        rules = _build(Rules, data, "")
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


@cache
def load_rules(path: Path = DEFAULT_RULES_FILE) -> Rules:
    return load_rules_file(path)
