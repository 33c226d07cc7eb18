"""The evaluation of r. 650-X-4-.06: answers and a date in, an Assessment out. Pure.

Each condition of the rule becomes one Finding with its paragraph, a tri-state `met`
and an `effect` saying how it moves the outcome. Unknown answers stay unknown: a
condition is decided only when it holds whatever the missing value is (interpretation 7).
Facts that disqualify (a felony, a grandfathered certificate) are assumed absent when not
answered, and the finding says so; facts that qualify must be shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dialogs.answers import STILL_SERVING, Answers, DateValue
from dialogs.assessment import (
    BAR, INFO, LIKELY_ELIGIBLE, LIKELY_INELIGIBLE, NEEDS_REVIEW, OUTCOMES, REQUIRED, REVIEW,
    Assessment, Finding, IntRange, PointsBreakdown,
)
from dialogs.checklist import build_checklist
from dialogs.periods import Period, break_within, later_of
from dialogs.render import say
from dialogs.rules import Rules, load_rules
from dialogs.spans import whole_years

POINTS_PATHWAYS = ("federal", "military_police")
PATHWAYS = ("out_of_state", *POINTS_PATHWAYS)


@dataclass(frozen=True)
class _Ctx:
    a: Answers
    rules: Rules
    as_of: date

    @property
    def reference(self) -> DateValue:
        """Breaks are measured to the planned hire date if given, else the estimate date."""
        return self.a.planned_hire_date or DateValue.day(self.as_of)

    @property
    def end(self) -> DateValue | None:
        end = self.a.service_end
        if end == STILL_SERVING:
            return DateValue.day(self.as_of)
        if isinstance(end, DateValue):
            return DateValue(min(end.earliest, self.as_of), min(end.latest, self.as_of))
        return None

    def period(self, start: DateValue | None) -> Period | None:
        """Full-time service from `start`; an unknown end lies between start and today."""
        if start is None:
            return None
        end = self.end or DateValue(start.earliest, self.as_of)
        return Period(start, end, self.a.service_gap_days or 0)

    @property
    def experience_period(self) -> Period | None:
        """Experience counts from the later of starting service and finishing the course."""
        if self.a.service_start is None:
            return None
        return self.period(later_of(self.a.service_start, self.a.basic_course_completed_on))


@dataclass(frozen=True)
class _PathwayResult:
    pathway: str | None
    outcome: str
    findings: tuple[Finding, ...]
    points: PointsBreakdown | None
    deadlines: tuple[str, ...]


def outcome_of(findings: list[Finding]) -> str:
    if any(f.met is False and f.effect in (REQUIRED, BAR) for f in findings):
        return LIKELY_INELIGIBLE
    if any((f.met is None and f.effect == REQUIRED) or (f.met is False and f.effect == REVIEW) for f in findings):
        return NEEDS_REVIEW
    return LIKELY_ELIGIBLE


def _finding(rule: str, met: bool | None, code: str, effect: str = REQUIRED,
             fixes: tuple[str, ...] = (), **params: object) -> Finding:
    return Finding(rule=rule, met=met, text=say(code, met=met, **params), effect=effect, fixes=fixes)


# --- shared conditions: the break after separation ----------------------------------

def _break_finding(ctx: _Ctx, rule: str, limit_span, deadlines: list[str]) -> Finding:
    a, ref = ctx.a, ctx.reference
    if a.service_end == STILL_SERVING:
        return _finding(rule, True, "break_none", still_serving=True)
    end = ctx.end
    if end is None:
        return _finding(rule, None, "break_unknown", fixes=(say("fix_give_separation"),), limit=limit_span)
    met = break_within(end, ref, limit_span)
    last_ok = limit_span.after(end.earliest)
    passes_on = last_ok + timedelta(days=1)
    if met:
        deadlines.append(say("deadline_break", passes_on=passes_on, limit=limit_span))
    fixes = () if met is not False else (say("fix_break_over", limit=limit_span),)
    if met is None:
        fixes = (say("fix_exact_day", which="separation"),)
    return _finding(rule, met, "break_after_separation", fixes=fixes, end=end, passes_on=passes_on,
                    limit=limit_span, reference=ref, planned=a.planned_hire_date is not None)


# --- out-of-state certification, (5)(a) ----------------------------------------------

def _out_of_state(ctx: _Ctx) -> tuple[list[Finding], list[str]]:
    a, r = ctx.a, ctx.rules.out_of_state
    findings: list[Finding] = []
    deadlines: list[str] = []
    rule = r.continuous_employment_more_than.cite.split(";")[0]

    if a.certifying_state == r.excluded_state.value:
        findings.append(_finding(r.excluded_state.cite, False, "oos_alabama"))
    elif a.background == "out_of_state" or a.certifying_state:
        findings.append(_finding(rule, True, "oos_certified", state=a.certifying_state))
    else:
        findings.append(_finding(rule, None, "oos_certified", state=None, fixes=(say("fix_background"),)))

    status = a.certification_status
    if status == "valid":
        findings.append(_finding(rule, True, "cert_status", status=status))
    elif status == "lapsed":
        findings.append(_finding(rule, False, "cert_status", effect=REVIEW, status=status,
                                 fixes=(say("fix_lapsed"),)))
    elif status in ("suspended", "revoked"):
        findings.append(_finding("650-X-4-.06(8)(c)", False, "cert_status", status=status,
                                 fixes=(say("fix_none_revoked"),)))
    else:
        findings.append(_finding(rule, None, "cert_status", status=None, fixes=(say("fix_find_cert_status"),)))

    cert = a.certified_on
    end = ctx.end
    if a.service_full_time is False:
        findings.append(_finding(rule, False, "oos_full_time", reason="part_time", fixes=(say("fix_full_time"),)))
    elif cert is None or a.service_start is None:
        findings.append(_finding(rule, None, "oos_full_time", reason="unknown",
                                 fixes=(say("fix_give_dates"),)))
    elif end is not None and end.latest < cert.earliest:
        findings.append(_finding(rule, False, "oos_full_time", reason="before_cert", fixes=(say("fix_full_time"),)))
    else:
        findings.append(_finding(rule, None if end is None else True, "oos_full_time", reason="ok",
                                 fixes=() if end else (say("fix_give_separation"),)))

    one_year = r.continuous_employment_more_than.value
    period = ctx.period(later_of(a.service_start, cert)) if a.service_start and cert else None
    if period is None:
        findings.append(_finding(rule, None, "oos_one_year", span=one_year, period=None,
                                 fixes=(say("fix_give_dates"),)))
    else:
        met = period.more_than(one_year)
        fixes: tuple[str, ...] = ()
        if met is False and a.service_end == STILL_SERVING:
            fixes = (say("fix_wait_until", on=period.date_reaching(one_year) + timedelta(days=1),
                         what=say("what_one_year", span=one_year)),)
        elif met is False:
            fixes = (say("fix_none_one_year", span=one_year),)
        elif met is None:
            fixes = (say("fix_exact_day", which="certification_and_service"),)
        approx = period.near([one_year], ctx.rules.estimates.approximate_within_days.value)
        findings.append(_finding(rule, met, "oos_one_year", span=one_year, period=period, approx=approx,
                                 fixes=fixes))

    gap = a.service_gap_days or 0
    limit = r.max_break_in_service.value
    findings.append(_break_finding(ctx, r.max_break_in_service.cite.split(";")[0], limit, deadlines))
    if gap and gap > 365 * limit.years:
        findings.append(_finding(r.max_break_in_service.cite.split(";")[0], None, "gap_maybe_over",
                                 gap=gap, limit=limit, fixes=(say("fix_gap_lengths", limit=limit),)))
    return findings, deadlines


# --- federal and military police: the points system, (6)-(7) ------------------------

def _points(ctx: _Ctx) -> tuple[PointsBreakdown, bool]:
    a, p = ctx.a, ctx.rules.points
    period = ctx.experience_period
    if period is None:
        experience = IntRange(0, p.experience.bands[-1].points)
        approx = False
    else:
        experience = period.band_points(p.experience.bands)
        approx = period.near([b.min for b in p.experience.bands[1:]],
                             ctx.rules.estimates.approximate_within_days.value)
    if a.basic_course_hours is None:
        training = IntRange(0, p.training.bands[-1].points)
    else:
        pts = max(b.points for b in p.training.bands if a.basic_course_hours >= b.min)
        training = IntRange(pts, pts)
    education = _education_points(ctx)
    return PointsBreakdown(experience, training, education, p.pass_mark.value), approx


def _education_points(ctx: _Ctx) -> IntRange:
    a = ctx.a
    if a.highest_degree is None:
        return IntRange(0, ctx.rules.points.education.degrees[-1].points)
    pts = ctx.rules.degree(a.highest_degree).points
    if a.degree_accredited is False or a.degree_by_correspondence is True:
        return IntRange(0, 0)
    if a.degree_accredited is None:
        return IntRange(0, pts)
    return IntRange(pts, pts)


def _points_fixes(ctx: _Ctx, pts: PointsBreakdown) -> tuple[str, ...]:
    """The smallest concrete changes that reach the pass mark, or what to find out."""
    a, p = ctx.a, ctx.rules.points
    mark = p.pass_mark.value
    fixes: list[str] = []
    if pts.total.lo >= mark:
        return ()
    if a.basic_course_hours is None:
        need = mark - (pts.experience.lo + pts.education.lo)
        band = next((b for b in p.training.bands if b.points >= need), None)
        if band is not None:
            fixes.append(say("fix_find_hours", hours=band.min, mark=mark))
    if a.highest_degree not in (None, "none") and a.degree_accredited is None:
        fixes.append(say("fix_find_accreditation", degree=ctx.rules.degree(a.highest_degree).label))
    if pts.experience.lo != pts.experience.hi and ctx.experience_period is not None:
        fixes.append(say("fix_exact_day", which="service"))
    if pts.total.hi < mark:
        lack = mark - pts.total.hi
        current = pts.education.hi
        for degree in p.education.degrees:
            if degree.points - current >= lack:
                fixes.append(say("fix_degree", degree=degree.label, gain=degree.points - current, lack=lack,
                                 has_unaccredited=a.highest_degree == degree.degree))
                break
        period = ctx.experience_period
        if period is not None and a.service_end == STILL_SERVING:
            for band in p.experience.bands:
                if band.points - pts.experience.hi >= lack:
                    fixes.append(say("fix_wait_until", on=period.date_reaching(band.min),
                                     what=say("what_experience", label=band.label, points=band.points)))
                    break
        if len(fixes) == 0:
            fixes.append(say("fix_none_points"))
    return tuple(fixes)


def _points_pathway(ctx: _Ctx, pathway: str) -> tuple[list[Finding], list[str], PointsBreakdown]:
    a, pp = ctx.a, ctx.rules.points_pathways
    para = "650-X-4-.06(7)(a)" if pathway == "military_police" else "650-X-4-.06(7)(b)"
    findings: list[Finding] = []
    deadlines: list[str] = []
    if a.background != pathway:
        findings.append(_finding("650-X-4-.06(6)", None, "pp_background", pathway=pathway,
                                 fixes=(say("fix_background"),)))

    grad = a.basic_course_graduate
    findings.append(_finding(para, grad, "pp_graduate", pathway=pathway,
                             fixes=(say("fix_find_graduate"),) if grad is None else
                             ((say("fix_none_graduate"),) if grad is False else ())))

    if a.service_full_time is not None:  # service dates are full-time service by definition
        findings.append(_finding("650-X-4-.06(2)(a), (6)(a)", a.service_full_time, "pp_full_time",
                                 fixes=() if a.service_full_time else (say("fix_full_time"),)))

    four = pp.le_duties_before_separation.value
    duties = a.le_duties_last_4_years
    derived = False
    if duties is None:
        period = ctx.period(a.service_start)
        if period is not None and ctx.end is not None:
            duties = period.at_least(four)
            if duties and period.gap_days:
                duties = None  # a gap may fall inside the last four years
            derived = True
    duty_fixes: tuple[str, ...] = ()
    if duties is None:
        duty_fixes = (say("fix_find_duties", span=four),)
    elif duties is False and a.service_end == STILL_SERVING and ctx.experience_period is not None:
        duty_fixes = (say("fix_wait_until", on=ctx.period(a.service_start).date_reaching(four),
                          what=say("what_duties", span=four)),)
    elif duties is False:
        duty_fixes = (say("fix_none_duties", span=four),)
    findings.append(_finding(pp.le_duties_before_separation.cite, duties, "pp_duties", span=four,
                             derived=derived, fixes=duty_fixes))

    findings.append(_break_finding(ctx, para, pp.max_break_after_separation.value, deadlines))

    pts, approx = _points(ctx)
    mark = pts.pass_mark
    met = True if pts.total.lo >= mark else False if pts.total.hi < mark else None
    findings.append(_finding(ctx.rules.points.pass_mark.cite, met, "pp_points", pts=pts, approx=approx,
                             degree=ctx.rules.degree(a.highest_degree).label if a.highest_degree else None,
                             degree_zero=a.degree_accredited is False or a.degree_by_correspondence is True,
                             hours=a.basic_course_hours, fixes=_points_fixes(ctx, pts)))

    if pathway == "military_police" or a.security_police_primary_code:
        sp = a.security_police_primary_code
        findings.append(_finding("650-X-4-.06(8)(d)", None if sp is None else not sp, "security_police",
                                 effect=BAR, fixes=(say("fix_none_security_police"),) if sp else ()))
    return findings, deadlines, pts


# --- standards and exclusions every pathway shares ----------------------------------

def _common(ctx: _Ctx) -> list[Finding]:
    a, rules = ctx.a, ctx.rules
    out: list[Finding] = []
    g = a.grandfathered_or_exempted
    out.append(_finding("650-X-4-.06(8)(b)", None if g is None else not g, "grandfathered", effect=BAR,
                        fixes=(say("fix_none_grandfathered"),) if g else ()))
    if a.background != "out_of_state" and a.certification_status in ("suspended", "revoked"):
        out.append(_finding("650-X-4-.06(8)(c)", False, "cert_status", status=a.certification_status,
                            fixes=(say("fix_none_revoked"),)))
    if a.background != "military_police" and a.security_police_primary_code:
        out.append(_finding("650-X-4-.06(8)(d)", False, "security_police", effect=BAR,
                            fixes=(say("fix_none_security_police"),)))
    f = a.felony_conviction
    out.append(_finding("650-X-2-.05; 650-X-4-.06(8)(a)", None if f is None else not f, "felony", effect=BAR,
                        fixes=(say("fix_none_felony"),) if f else ()))
    if a.expunged_record is not None:
        out.append(_finding("650-X-2-.05", not a.expunged_record, "expunged", effect=REVIEW,
                            fixes=(say("fix_expunged"),) if a.expunged_record else ()))
    out.append(_education_standard(ctx))
    if a.us_citizen is not None:
        out.append(_finding("650-X-2 (check with the agency)", a.us_citizen, "citizen", effect=REVIEW,
                            fixes=(say("fix_check_agency", what="citizenship"),) if not a.us_citizen else ()))
    if a.birth_date is not None:
        minimum = rules.standards.minimum_age.value
        age_lo = whole_years(a.birth_date.latest, ctx.reference.earliest)
        age_hi = whole_years(a.birth_date.earliest, ctx.reference.earliest)
        met = True if age_lo >= minimum else False if age_hi < minimum else None
        out.append(_finding(rules.standards.minimum_age.cite, met, "age", effect=REVIEW, minimum=minimum,
                            fixes=(say("fix_check_agency", what="age"),) if met is not True else ()))
    out.append(_agency_finding(a))
    return out


def _education_standard(ctx: _Ctx) -> Finding:
    a = ctx.a
    rule = ctx.rules.standards.education_degree_min.cite + "; 650-X-4-.06(8)(a)"
    has_degree = a.highest_degree not in (None, "none")
    if has_degree and a.degree_accredited is True:
        return _finding(rule, True, "education_standard", how="degree")
    hs = a.high_school_diploma_or_ged
    if hs:
        return _finding(rule, True, "education_standard", how="bat")
    if hs is False and (not has_degree or a.degree_accredited is False):
        return _finding(rule, False, "education_standard", how="none", effect=BAR, fixes=(say("fix_ged"),))
    return _finding(rule, None, "education_standard", how="unknown", effect=BAR)


def _agency_finding(a: Answers) -> Finding:
    status = a.alabama_employment
    met = None if status is None else status != "none"
    rule = "650-X-4-.06(1)(a)-(b)" if status == "reserve" else "650-X-4-.06(1); 650-X-2-.09"
    return _finding(rule, met, "agency", effect=INFO, status=status)


# --- putting it together ------------------------------------------------------------

def _evaluate(ctx: _Ctx, pathway: str) -> _PathwayResult:
    if pathway == "out_of_state":
        findings, deadlines = _out_of_state(ctx)
        points = None
    else:
        findings, deadlines, points = _points_pathway(ctx, pathway)
    findings += _common(ctx)
    return _PathwayResult(pathway, outcome_of(findings), tuple(findings), points, tuple(deadlines))


def _no_prior_training(ctx: _Ctx) -> _PathwayResult:
    findings = [_finding("650-X-4-.06(1), (2)(b)", False, "no_prior_training", fixes=(say("fix_basic_academy"),))]
    findings += _common(ctx)
    return _PathwayResult(None, LIKELY_INELIGIBLE, tuple(findings), None, ())


def assess(answers: Answers, today: date, rules: Rules | None = None) -> Assessment:
    """`today` is the default estimate date; an answer file's `as_of` overrides it."""
    rules = rules or load_rules()
    ctx = _Ctx(answers, rules, answers.as_of or today)
    if answers.background == "none":
        result = _no_prior_training(ctx)
    else:
        candidates = [answers.background] if answers.background else list(PATHWAYS)
        results = [_evaluate(ctx, p) for p in candidates]
        result = min(results, key=lambda r: OUTCOMES.index(r.outcome))
        if answers.background is None and result.outcome != LIKELY_ELIGIBLE:
            result = _PathwayResult(None, result.outcome, result.findings, result.points, result.deadlines)

    changes: list[str] = []
    if result.outcome == LIKELY_ELIGIBLE:
        changes += result.deadlines
    else:
        for f in result.findings:
            counts = (f.met is False and f.effect != INFO) or (f.met is None and f.effect == REQUIRED)
            if counts:
                changes += [fix for fix in f.fixes if fix not in changes]
    return Assessment(
        outcome=result.outcome,
        pathway=result.pathway,
        points=result.points,
        findings=result.findings,
        checklist=build_checklist(answers, rules, result.pathway, result.outcome),
        what_would_change=tuple(changes),
        rules_version=rules.meta.version,
        as_of=ctx.as_of,
        notice=say("notice", rule=rules.meta.rule),
    )
