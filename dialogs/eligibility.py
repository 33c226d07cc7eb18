"""The evaluation of r. 650-X-4-.06: answers and a date in, an Assessment out. Pure.

Each condition of the rule becomes one Finding: a code, the paragraph it cites (from the
rules data), a tri-state `met`, an `effect` saying how it moves the outcome, and fixes
(what would satisfy it, what to find out, or that nothing under this rule would).
No words: templates/findings.j2 renders each code.

Unknowns stay unknown: a condition is decided only when it holds whatever the missing
value is (interpretation 7). Facts that exclude (a felony, a grandfathered certificate)
are assumed absent when not answered, and the finding says so; when the applicant says
they are not sure, the fact is unknown and decides like any other (interpretation 11).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from dialogs.answers import EMPLOYED, NOT_SURE, PRIOR_TRAINING, STILL_SERVING, Answers, DateValue
from dialogs.assessment import (
    BAR,
    DEADLINE,
    DECIDED_BY,
    FIND_OUT,
    LIKELY_ELIGIBLE,
    LIKELY_INELIGIBLE,
    NEEDS_REVIEW,
    NO_REMEDY,
    OUTCOMES,
    REMEDY,
    REQUIRED,
    REVIEW,
    Assessment,
    Finding,
    Fix,
    IntRange,
    Note,
    PointsBreakdown,
)
from dialogs.checklist import build_checklist
from dialogs.periods import Period, break_within, later_of
from dialogs.rules import Rules, rules_in_force
from dialogs.spans import Span, add_years, whole_years

PATHWAYS = PRIOR_TRAINING
# What ends the break in service (see _Ctx.hire):
HIRED, PLANNED, TODAY, UNKNOWN = "hired", "planned", "today", "unknown"


def _fix(code: str, kind: str, **params: Any) -> Fix:
    return Fix(code, kind, params)


def _finding(
    code: str,
    rule: str,
    met: bool | None,
    effect: str = REQUIRED,
    fixes: tuple[Fix, ...] = (),
    assumed: bool = False,
    absolute: bool = False,
    **params: Any,
) -> Finding:
    return Finding(code, rule, met, effect, params, fixes, assumed, absolute)


@dataclass(frozen=True)
class _Ctx:
    a: Answers
    rules: Rules
    as_of: date

    @property
    def employed(self) -> bool:
        """Already working for an Alabama agency (full-time, part-time or reserve): hired on some day."""
        return self.a.known("alabama_employment") in EMPLOYED

    @property
    def hire(self) -> str:
        """What ends the break in service (interpretation 4): HIRED (the day an Alabama agency
        hired the applicant, who already works there), PLANNED (the planned hire date), TODAY
        (not hired yet: the estimate date), or UNKNOWN (whether an agency already hired them
        is not known: a hire in the past may have ended the break in time)."""
        if self.employed:
            return HIRED
        if isinstance(self.a.known("planned_hire_date"), DateValue):
            return PLANNED
        if self.a.known("alabama_employment") is None:
            return UNKNOWN
        return TODAY

    @property
    def reference(self) -> DateValue:
        """The day the break in service is measured to: the Alabama hire (a range from the end
        of service to today when its day is not known), the planned hire date, or the estimate date."""
        hire = self.hire
        if hire == HIRED:
            hired = self.a.known("alabama_hire_date")
            if isinstance(hired, DateValue):
                return hired
            end = self.end
            return DateValue(min(end.earliest, self.as_of) if end else self.as_of, self.as_of)
        if hire == PLANNED:
            return self.a.known("planned_hire_date")
        return DateValue.day(self.as_of)

    @property
    def age_reference(self) -> tuple[str, DateValue]:
        """The day the minimum age is checked on: the planned or actual hire date when known, else today."""
        if self.hire == HIRED and isinstance(hired := self.a.known("alabama_hire_date"), DateValue):
            return HIRED, hired
        if self.hire == PLANNED:
            return PLANNED, self.a.known("planned_hire_date")
        return TODAY, DateValue.day(self.as_of)

    @property
    def end(self) -> DateValue | None:
        end = self.a.known("service_end")
        if end == STILL_SERVING:
            return DateValue.day(self.as_of)
        if isinstance(end, DateValue):
            return DateValue(min(end.earliest, self.as_of), min(end.latest, self.as_of))
        return None

    @property
    def still_serving(self) -> bool:
        return self.a.service_end == STILL_SERVING

    @property
    def may_still_serve(self) -> bool:
        """Still serving, or the end of service is not known: time may still add to the service."""
        return self.still_serving or self.end is None

    def period(self, start: DateValue | None) -> Period | None:
        """Full-time service from `start`; an unknown end lies between start and today."""
        if start is None:
            return None
        end = self.end or DateValue(start.earliest, self.as_of)
        return Period(start, end, self.a.known("service_gap_days") or 0, self.a.unsure("service_gap_days"))

    @property
    def service_start(self) -> DateValue | None:
        start = self.a.known("service_start")
        return start if isinstance(start, DateValue) else None

    @property
    def experience_period(self) -> Period | None:
        """Experience counts from the later of starting service and finishing the course."""
        if self.service_start is None:
            return None
        return self.period(later_of(self.service_start, self.a.known("basic_course_completed_on")))

    @property
    def gaps_assumed(self) -> bool:
        return self.a.service_gap_days is None

    def gap_fix(self) -> Fix | None:
        return _fix("find_gaps", FIND_OUT) if self.a.unsure("service_gap_days") else None

    def starts(self, first: str, second: str) -> tuple[str, ...]:
        """Of two dates a period starts from (the later of them), those that can be the later one."""
        one, two = self.a.known(first), self.a.known(second)
        if not isinstance(two, DateValue):
            return (first,)
        if not isinstance(one, DateValue):
            return (second,)
        return tuple(n for n, v, w in ((first, one, two), (second, two, one)) if v.latest > w.earliest) or (first,)

    def date_fixes(self, period: Period, check: Any, starts: tuple[str, ...]) -> tuple[Fix, ...]:
        """What to find out when a period's dates leave `check` open, naming only what can
        decide it: an unknown end of service, the dates given only as a month (of `starts`, the
        dates the period starts from, and the end), gaps of unknown length."""
        parts = period.decisive(check)
        fixes: list[Fix] = []
        if "end" in parts and self.end is None and not self.still_serving:
            fixes.append(_fix("give_separation", FIND_OUT))
        months = tuple(
            n for n in starts if "start" in parts and isinstance(v := self.a.known(n), DateValue) and not v.exact
        )
        if "end" in parts and isinstance(end := self.a.known("service_end"), DateValue) and not end.exact:
            months += ("service_end",)
        if months:
            fixes.append(_fix("exact_day", FIND_OUT, fields=months))
        if "gaps" in parts and (gap := self.gap_fix()) is not None:
            fixes.append(gap)
        return tuple(fixes)

    def missing_dates(self, *names: str) -> Fix:
        """The dates not given (unknown or not answered) that a condition needs."""
        return _fix(
            "give_dates", FIND_OUT, missing=tuple(n for n in names if not isinstance(self.a.known(n), DateValue))
        )

    def wait(self, what: str, period: Period, span: Span, more_than: bool = False, **params: Any) -> Fix:
        """Still serving (or maybe) and short of `span`: the day it is reached, from the period's
        dates, and how precise that day is ("exact"; "by" when the start is only a month; "not_before"
        when gaps of unknown length push it later). Never a day already past: then no day is given."""
        earliest, latest = period.date_reaching_range(span)
        extra = timedelta(days=1 if more_than else 0)
        on = latest + extra if latest is not None else earliest + extra
        if on <= self.as_of:
            return _fix("wait_until", REMEDY, on=None, what=what, span=span, precision="unknown", **params)
        precision = "exact" if earliest == latest else "by" if latest is not None else "not_before"
        return _fix("wait_until", REMEDY, on=on, what=what, span=span, precision=precision, **params)


@dataclass(frozen=True)
class _PathwayResult:
    pathway: str | None
    outcome: str
    findings: tuple[Finding, ...]
    points: PointsBreakdown | None


def outcome_of(findings: list[Finding] | tuple[Finding, ...]) -> str:
    if any(f.met is False and f.effect in (REQUIRED, BAR) for f in findings):
        return LIKELY_INELIGIBLE
    if any(f.decisive_unknown or (f.met is False and f.effect == REVIEW) for f in findings):
        return NEEDS_REVIEW
    return LIKELY_ELIGIBLE


# --- shared conditions: the break after separation ----------------------------------


def _break_finding(ctx: _Ctx, rule: str, limit: Span) -> Finding:
    if ctx.still_serving:
        return _finding("break_none", rule, True)
    end = ctx.end
    if end is None:
        return _finding("break_unknown", rule, None, fixes=(_fix("give_separation", FIND_OUT),), limit=limit)
    a, hire, ref = ctx.a, ctx.hire, ctx.reference
    last_day, last_latest = limit.after(end.earliest), limit.after(end.latest)
    passes_on = last_day + timedelta(days=1)
    met = break_within(end, ref, limit)
    now = break_within(end, DateValue.day(ctx.as_of), limit)
    why = None
    fixes: tuple[Fix, ...] = ()
    if hire == UNKNOWN and met is not True:
        # over (or maybe over) today, but an Alabama agency may already have hired them in time
        met, why = None, "employment_unknown"
        fixes = (_fix("find_alabama_hire", FIND_OUT, by=last_day, employed=False),)
        if now is None:
            fixes = (_fix("exact_day", FIND_OUT, fields=("service_end",)),) + fixes
    elif met:
        if hire != HIRED:  # hired already: the break ended on that day, no deadline runs
            fixes = (
                _fix(
                    "deadline_break",
                    DEADLINE,
                    passes_on=passes_on,
                    limit=limit,
                    planned=hire == PLANNED,
                    exact=end.exact,
                ),
            )
    elif met is False:
        if hire == PLANNED and now is not False:  # over only because of the planned date: an earlier hire keeps it
            fixes = (
                _fix(
                    "hire_by",
                    REMEDY,
                    passes_on=passes_on if now else last_latest + timedelta(days=1),
                    limit=limit,
                    sure=bool(now),
                    end=end,
                ),
            )
        else:
            fixes = (_fix("none_break_over", NO_REMEDY, limit=limit),)
    else:
        if hire == HIRED and not isinstance(a.known("alabama_hire_date"), DateValue):
            why = "hired_unknown"
            fixes = (_fix("find_alabama_hire", FIND_OUT, by=last_day, employed=True),)
        else:
            fields: tuple[str, ...] = ("service_end",) if not end.exact else ()
            if hire == HIRED and not ref.exact:
                fields += ("alabama_hire_date",)
            why = "end_month" if not end.exact else "hired_month" if hire == HIRED else "planned_month"
            fixes = (_fix("exact_day", FIND_OUT, fields=fields),) if fields else ()
            if hire == PLANNED and not ref.exact:
                fixes += (_fix("exact_hire_day", FIND_OUT, passes_on=passes_on),)
    return _finding(
        "break_after_separation",
        rule,
        met,
        fixes=fixes,
        end=end,
        passes_on=passes_on,
        limit=limit,
        reference=ref,
        hire=hire,
        why=why,
        planned=hire == PLANNED,
        hired_on=a.known("alabama_hire_date") if hire == HIRED else None,
    )


# --- out-of-state certification, (5)(a) ----------------------------------------------


def _out_of_state(ctx: _Ctx) -> list[Finding]:
    a, r, rules = ctx.a, ctx.rules.out_of_state, ctx.rules
    rule = rules.cite("out_of_state")
    findings: list[Finding] = []

    state = a.known("certifying_state")
    if state == r.excluded_state.value:
        findings.append(_finding("oos_alabama", r.excluded_state.cite, False, fixes=(_fix("none_alabama", NO_REMEDY),)))
    elif a.background == "out_of_state" or state:
        findings.append(_finding("oos_certified", rule, True, state=state))
    else:
        findings.append(_finding("oos_certified", rule, None, fixes=(_fix("background", FIND_OUT),), state=None))

    status = a.known("certification_status")
    if status == "valid":
        findings.append(_finding("cert_status", rule, True, status=status))
    elif status == "lapsed":
        findings.append(_finding("cert_status", rule, False, REVIEW, (_fix("lapsed", DECIDED_BY),), status=status))
    elif status in ("suspended", "revoked"):
        findings.append(
            _finding(
                "cert_status",
                rules.cite("suspended_or_revoked"),
                False,
                fixes=(_fix("none_revoked", NO_REMEDY),),
                status=status,
            )
        )
    else:
        findings.append(_finding("cert_status", rule, None, fixes=(_fix("find_cert_status", FIND_OUT),), status=None))

    cert = a.known("certified_on")
    start = ctx.service_start
    end = ctx.end
    full_time = a.known("service_full_time")
    if full_time is False:
        findings.append(_finding("oos_full_time", rule, False, fixes=(_fix("full_time", REMEDY),), reason="part_time"))
    elif a.unsure("service_full_time"):
        findings.append(
            _finding("oos_full_time", rule, None, fixes=(_fix("find_full_time", FIND_OUT),), reason="unsure")
        )
    elif cert is None or start is None:
        findings.append(
            _finding(
                "oos_full_time",
                rule,
                None,
                fixes=(ctx.missing_dates("certified_on", "service_start"),),
                reason="unknown",
            )
        )
    elif end is not None and end.latest < cert.earliest:
        findings.append(
            _finding("oos_full_time", rule, False, fixes=(_fix("full_time", REMEDY),), reason="before_cert")
        )
    else:
        findings.append(
            _finding(
                "oos_full_time",
                rule,
                None if end is None else True,
                fixes=() if end else (_fix("give_separation", FIND_OUT),),
                reason="ok" if end else "no_end",
            )
        )

    one_year = r.continuous_employment_more_than.value
    one_year_rule = r.continuous_employment_more_than.cite.split(";")[0]
    period = ctx.period(later_of(start, cert)) if start and cert else None
    if period is None:
        findings.append(
            _finding(
                "oos_one_year",
                one_year_rule,
                None,
                fixes=(ctx.missing_dates("certified_on", "service_start"),),
                span=one_year,
                period=None,
                approx=False,
                gaps_assumed=False,
            )
        )
    else:
        met = period.more_than(one_year)
        fixes: tuple[Fix, ...] = ()
        if met is False and ctx.may_still_serve:
            fixes = (ctx.wait("one_year", period, one_year, more_than=True),)
        elif met is False:
            fixes = (_fix("none_one_year", NO_REMEDY, span=one_year),)
        elif met is None:
            fixes = ctx.date_fixes(
                period, lambda per: per.more_than(one_year), ctx.starts("certified_on", "service_start")
            )
        approx = period.near([one_year], ctx.rules.estimates.approximate_within_days.value)
        findings.append(
            _finding(
                "oos_one_year",
                one_year_rule,
                met,
                fixes=fixes,
                span=one_year,
                period=period,
                approx=approx,
                gaps_assumed=ctx.gaps_assumed,
                end_unknown=ctx.end is None,
            )
        )

    limit = r.max_break_in_service.value
    break_rule = r.max_break_in_service.cite.split(";")[0]
    findings.append(_break_finding(ctx, break_rule, limit))
    gap = a.known("service_gap_days") or 0
    if gap > 365 * limit.years:
        findings.append(
            _finding(
                "gap_maybe_over",
                break_rule,
                None,
                fixes=(_fix("gap_lengths", FIND_OUT, limit=limit),),
                gap=gap,
                limit=limit,
            )
        )
    return findings


# --- federal and military police: the points system, (6)-(7) ------------------------


def _points(ctx: _Ctx) -> tuple[PointsBreakdown, bool]:
    a, p = ctx.a, ctx.rules.points
    period = ctx.experience_period
    if period is None:
        experience = IntRange(0, p.experience.bands[-1].points)
        approx = False
    else:
        experience = period.band_points(p.experience.bands)
        approx = period.near([b.min for b in p.experience.bands[1:]], ctx.rules.estimates.approximate_within_days.value)
    hours = a.known("basic_course_hours")
    if hours is None:
        training = IntRange(0, p.training.bands[-1].points)
    else:
        pts = max(b.points for b in p.training.bands if hours >= b.min)
        training = IntRange(pts, pts)
    return PointsBreakdown(experience, training, _education_points(ctx), p.pass_mark.value), approx


def _education_points(ctx: _Ctx) -> IntRange:
    a = ctx.a
    degree = a.known("highest_degree")
    if degree is None:
        return IntRange(0, ctx.rules.points.education.degrees[-1].points)
    pts = ctx.rules.degree(degree).points
    if a.known("degree_accredited") is False or a.known("degree_by_correspondence") is True:
        return IntRange(0, 0)
    if a.known("degree_accredited") is None or a.unsure("degree_by_correspondence"):
        return IntRange(0, pts)
    return IntRange(pts, pts)


def _points_fixes(ctx: _Ctx, pts: PointsBreakdown) -> tuple[Fix, ...]:
    """The smallest concrete changes that reach the pass mark, or what to find out."""
    a, p = ctx.a, ctx.rules.points
    mark = p.pass_mark.value
    if pts.total.lo >= mark:
        return ()
    fixes: list[Fix] = []
    degree = a.known("highest_degree")
    if pts.total.hi >= mark:  # undecided: name every unknown in the total
        if a.known("basic_course_hours") is None:
            need = mark - (pts.experience.lo + pts.education.lo)
            band = next((b for b in p.training.bands if b.points >= need), None)
            # no band reaches the mark alone: the hours still decide, together with the other unknowns
            fixes.append(_fix("find_hours", FIND_OUT, hours=band.min if band else None, mark=mark))
        if degree is None:
            fixes.append(_fix("find_degree", FIND_OUT, why=("points",)))
        elif degree != "none" and a.known("degree_accredited") is None:
            fixes.append(_fix("find_accreditation", FIND_OUT, degree=degree))
        if degree not in (None, "none") and a.unsure("degree_by_correspondence"):
            fixes.append(_fix("find_correspondence", FIND_OUT, degree=degree))
        period = ctx.experience_period
        if period is None:
            fixes.append(ctx.missing_dates("service_start"))
            if ctx.end is None and not ctx.still_serving:
                fixes.append(_fix("give_separation", FIND_OUT))
        elif pts.experience.lo != pts.experience.hi:
            fixes.extend(
                ctx.date_fixes(
                    period,
                    lambda per: per.band_points(p.experience.bands),
                    ctx.starts("service_start", "basic_course_completed_on"),
                )
            )
        return tuple(fixes)
    lack = mark - pts.total.hi
    current = pts.education.hi
    for d in p.education.degrees:
        if d.points - current >= lack:
            fixes.append(
                _fix(
                    "degree",
                    REMEDY,
                    degree=d.degree,
                    gain=d.points - current,
                    lack=lack,
                    has_unaccredited=degree == d.degree,
                )
            )
            break
    period = ctx.experience_period
    if period is not None and ctx.may_still_serve:
        for years in p.experience.bands:
            if years.points - pts.experience.hi >= lack:
                fixes.append(ctx.wait("experience", period, years.min, label=years.label, points=years.points))
                break
    if not fixes:
        fixes.append(_fix("none_points", NO_REMEDY))
    return tuple(fixes)


def _duties(ctx: _Ctx) -> Finding:
    a = ctx.a
    pp = ctx.rules.points_pathways
    four = pp.le_duties_before_separation.value
    said = a.known("le_duties_last_4_years")
    period = ctx.period(ctx.service_start) if ctx.end is not None else None
    from_dates = period.at_least(four) if period is not None else None
    if said is True and from_dates is False:
        duties: bool | None = False  # dates beat a yes/no (interpretation 12)
        how = "contradicted"
    elif said is not None:
        duties, how = said, "answered"
    elif period is not None:
        duties, how = from_dates, "dates"
        if duties and period.gap_days:
            duties = None  # a gap may fall inside the last four years
    else:
        duties, how = None, "unknown"
    fixes: tuple[Fix, ...] = ()
    if duties is None:
        fixes = (_fix("find_duties", FIND_OUT, span=four),)
    elif duties is False and ctx.still_serving and period is not None and how != "answered":
        fixes = (ctx.wait("duties", period, four),)  # the dates are short: the day they reach the span
    elif duties is False and ctx.still_serving:
        # "no" while still serving: the duties stopped at some point in the last four years,
        # so the day they cover four years is not in the answers (4 years after they resumed)
        fixes = (_fix("wait_until", REMEDY, on=None, what="duties", span=four, precision="unknown"),)
    elif duties is False:
        fixes = (_fix("none_duties", NO_REMEDY, span=four),)
    return _finding("pp_duties", pp.le_duties_before_separation.cite, duties, fixes=fixes, span=four, how=how)


def _graduate(ctx: _Ctx, pathway: str, rule: str) -> Finding:
    grad = ctx.a.known("basic_course_graduate")
    fixes = (
        (_fix("find_graduate", FIND_OUT),)
        if grad is None
        else (_fix("none_graduate", NO_REMEDY),)
        if grad is False
        else ()
    )
    return _finding("pp_graduate", rule, grad, fixes=fixes, pathway=pathway)


def _security_police(ctx: _Ctx) -> Finding:
    a = ctx.a
    sp = a.known("security_police_primary_code")
    rule = ctx.rules.cite("security_police")
    if sp is None:
        unsure = a.unsure("security_police_primary_code")
        return _finding(
            "security_police",
            rule,
            None,
            BAR,
            (_fix("find_security_police", FIND_OUT),) if unsure else (),
            assumed=not unsure,
        )
    return _finding("security_police", rule, not sp, BAR, (_fix("none_security_police", NO_REMEDY),) if sp else ())


def _points_pathway(ctx: _Ctx, pathway: str) -> tuple[list[Finding], PointsBreakdown]:
    a, rules = ctx.a, ctx.rules
    rule = rules.cite(pathway)
    findings: list[Finding] = []
    if a.background != pathway:
        findings.append(
            _finding(
                "pp_background",
                rules.cite("points_background"),
                None,
                fixes=(_fix("background", FIND_OUT),),
                pathway=pathway,
            )
        )
    findings.append(_graduate(ctx, pathway, rule))
    full_time = a.known("service_full_time")
    if full_time is not None:  # service dates are full-time service by definition
        findings.append(
            _finding(
                "pp_full_time",
                rules.cite("points_full_time"),
                full_time,
                fixes=() if full_time else (_fix("none_full_time", NO_REMEDY),),
            )
        )
    findings.append(_duties(ctx))
    findings.append(_break_finding(ctx, rule, rules.points_pathways.max_break_after_separation.value))

    pts, approx = _points(ctx)
    mark = pts.pass_mark
    met = True if pts.total.lo >= mark else False if pts.total.hi < mark else None
    degree = a.known("highest_degree")
    findings.append(
        _finding(
            "pp_points",
            rules.points.pass_mark.cite,
            met,
            fixes=_points_fixes(ctx, pts),
            pts=pts,
            approx=approx,
            degree=degree,
            degree_zero=degree not in (None, "none")
            and (a.known("degree_accredited") is False or a.known("degree_by_correspondence") is True),
            correspondence_assumed=degree not in (None, "none") and a.degree_by_correspondence is None,
            gaps_assumed=ctx.gaps_assumed and ctx.experience_period is not None,
            hours=a.known("basic_course_hours"),
        )
    )

    if pathway == "military_police" or a.known("security_police_primary_code"):
        findings.append(_security_police(ctx))
    return findings, pts


# --- standards and exclusions every pathway shares ----------------------------------


def _excluding_fact(ctx: _Ctx, name: str, code: str, cite: str, none_fix: str, absolute: bool = False) -> Finding:
    """A fact whose "yes" excludes: met when answered no, assumed absent when not answered,
    unknown (and decisive) when the applicant is not sure."""
    value = ctx.a.known(name)
    if value is None:
        unsure = ctx.a.unsure(name)
        return _finding(
            code,
            cite,
            None,
            BAR,
            (_fix(f"find_{code}", FIND_OUT),) if unsure else (),
            assumed=not unsure,
            absolute=absolute,
        )
    return _finding(code, cite, not value, BAR, (_fix(none_fix, NO_REMEDY),) if value else (), absolute=absolute)


def _common(ctx: _Ctx) -> list[Finding]:
    a, rules = ctx.a, ctx.rules
    out: list[Finding] = []
    if a.background in PATHWAYS or a.background is None or a.background is NOT_SURE:
        out.append(
            _excluding_fact(
                ctx, "grandfathered_or_exempted", "grandfathered", rules.cite("grandfathered"), "none_grandfathered"
            )
        )
    if a.background != "out_of_state" and a.known("certification_status") in ("suspended", "revoked"):
        out.append(
            _finding(
                "cert_status",
                rules.cite("suspended_or_revoked"),
                False,
                fixes=(_fix("none_revoked", NO_REMEDY),),
                status=a.certification_status,
            )
        )
    if a.background != "military_police" and a.known("security_police_primary_code"):
        out.append(_security_police(ctx))
    out.append(_excluding_fact(ctx, "felony_conviction", "felony", rules.cite("felony"), "none_felony", absolute=True))
    expunged = a.expunged_record
    if expunged is not None:
        out.append(
            _finding(
                "expunged",
                rules.cite("expunged"),
                None if expunged is NOT_SURE else not expunged,
                REVIEW,
                (_fix("find_expunged", FIND_OUT),)
                if expunged is NOT_SURE
                else (_fix("expunged", DECIDED_BY),)
                if expunged
                else (),
            )
        )
    out.append(_education_standard(ctx))
    citizen = a.us_citizen
    if citizen is not None:
        out.append(
            _finding(
                "citizen",
                rules.cite("citizenship"),
                None if citizen is NOT_SURE else citizen,
                REVIEW,
                (_fix("find_citizenship", FIND_OUT),)
                if citizen is NOT_SURE
                else ()
                if citizen
                else (_fix("check_agency", DECIDED_BY, what="citizenship"),),
            )
        )
    age = _age(ctx)
    if age is not None:
        out.append(age)
    return out


def _age(ctx: _Ctx) -> Finding | None:
    """The minimum age on the day of the hire: the planned or actual hire date when known;
    otherwise today, and then an applicant under the minimum is told the day they reach it."""
    a, minimum = ctx.a, ctx.rules.standards.minimum_age
    born = a.known("birth_date")
    at, on = ctx.age_reference
    if isinstance(born, DateValue):
        lo, hi = whole_years(born.latest, on.earliest), whole_years(born.earliest, on.earliest)
        met = True if lo >= minimum.value else False if hi < minimum.value else None
        how = "birth_date"
    elif a.meets_minimum_age is not None:
        met = a.known("meets_minimum_age")
        how, at = "answered", "hire"
    else:
        return None
    reaches = None
    fixes: tuple[Fix, ...] = ()
    if met is None:
        fixes = (
            _fix("exact_birth_date" if how == "birth_date" else "find_age", FIND_OUT, minimum=minimum.value, at=at),
        )
    elif met is False:
        if isinstance(born, DateValue) and at != HIRED:  # the birthday is after today and after the hire date
            reaches = DateValue(add_years(born.earliest, minimum.value), add_years(born.latest, minimum.value))
            fixes = (_fix("age_from", REMEDY, reaches=reaches, minimum=minimum.value),)
        fixes += (_fix("check_agency", DECIDED_BY, what="age"),)
    return _finding(
        "age", minimum.cite, met, REVIEW, fixes, minimum=minimum.value, how=how, at=at, on=on, reaches=reaches
    )


def _education_standard(ctx: _Ctx) -> Finding:
    """650-X-2-.03: a high-school diploma or GED (with the BAT), or an accredited degree.
    Either side may settle it; when neither does, the unknowns named are those of the sides
    still open. Only a diploma question left unanswered is assumed (interpretation 11): a
    "no" or "not sure" is never read as a diploma."""
    a = ctx.a
    rule = ctx.rules.cite("education_standard")
    degree = a.known("highest_degree")
    has_degree = degree not in (None, "none")
    accredited = a.known("degree_accredited")
    if has_degree and accredited is True:
        return _finding("education_standard", rule, True, BAR, how="degree", absolute=True)
    hs = a.known("high_school_diploma_or_ged")
    if hs:
        return _finding("education_standard", rule, True, BAR, how="bat", absolute=True)
    # the degree side: False (no degree, or one not accredited), or the unknown that leaves it open
    degree_fix: Fix | None = None
    if degree == "none" or (has_degree and accredited is False):
        degree_ok: bool | None = False
    elif has_degree:
        degree_ok, degree_fix = None, _fix("find_accreditation", FIND_OUT, degree=degree)
    else:
        degree_ok, degree_fix = None, _fix("find_degree", FIND_OUT, why=("standard",))
    if hs is False:
        if degree_ok is False:
            return _finding("education_standard", rule, False, BAR, (_fix("ged", REMEDY),), how="none", absolute=True)
        assert degree_fix is not None  # the degree side is open, so it names what would settle it
        return _finding(
            "education_standard",
            rule,
            None,
            BAR,
            (degree_fix,),
            how="accreditation" if has_degree else "degree_unknown",
            degree=degree,
            absolute=True,
        )
    if a.unsure("high_school_diploma_or_ged"):
        fixes = (_fix("find_diploma", FIND_OUT),) + ((degree_fix,) if degree_fix else ())
        return _finding(
            "education_standard", rule, None, BAR, fixes, how="unsure", degree_open=degree_ok is None, absolute=True
        )
    return _finding("education_standard", rule, None, BAR, how="unknown", assumed=True, absolute=True)


def _notes(ctx: _Ctx) -> tuple[Note, ...]:
    status = ctx.a.known("alabama_employment")
    rule = ctx.rules.cite("reserve_request" if status == "reserve" else "agency_request")
    return (Note("agency", rule, {"status": status}),)


# --- putting it together ------------------------------------------------------------


def _evaluate(ctx: _Ctx, pathway: str) -> _PathwayResult:
    if pathway == "out_of_state":
        findings, points = _out_of_state(ctx), None
    else:
        findings, points = _points_pathway(ctx, pathway)
    findings += _common(ctx)
    findings = _before_the_break_deadline(findings)
    return _PathwayResult(pathway, outcome_of(findings), tuple(findings), points)


TAKES_TIME = ("ged", "degree")  # remedies that take time: said with the break deadline they race


def _before_the_break_deadline(findings: list[Finding]) -> list[Finding]:
    """A remedy that takes time (a GED, a degree) is only worth it before the break in service
    passes its limit: when a deadline runs (or an earlier hire is the remedy), it says so."""
    brk = next((f for f in findings if f.code == "break_after_separation"), None)
    deadline = next(
        (fix.params["passes_on"] for fix in (brk.fixes if brk else ()) if fix.code in ("deadline_break", "hire_by")),
        None,
    )
    if deadline is None:
        return findings
    return [
        replace(
            f,
            fixes=tuple(
                Fix(x.code, x.kind, {**x.params, "before": deadline}) if x.code in TAKES_TIME else x for x in f.fixes
            ),
        )
        for f in findings
    ]


def _no_prior_training(ctx: _Ctx) -> _PathwayResult:
    findings = [
        _finding(
            "no_prior_training", ctx.rules.cite("no_prior_training"), False, fixes=(_fix("basic_academy", NO_REMEDY),)
        )
    ]
    findings += _common(ctx)
    return _PathwayResult(None, LIKELY_INELIGIBLE, tuple(findings), None)


def _changes(outcome: str, findings: tuple[Finding, ...]) -> tuple[Fix, ...]:
    """What would change the outcome, without contradicting itself: when something failed
    that nothing under this rule can mend, only that is said (no remedies beside it)."""
    out: list[Fix] = []

    def add(fixes: Any) -> None:
        for fix in fixes:
            same = next(
                (
                    i
                    for i, f in enumerate(out)
                    if (f.code, f.kind) == (fix.code, fix.kind) and "why" in f.params and "why" in fix.params
                ),
                None,
            )
            if same is not None:  # one unknown deciding two things: said once, with both reasons
                why = out[same].params["why"] + tuple(w for w in fix.params["why"] if w not in out[same].params["why"])
                out[same] = Fix(fix.code, fix.kind, {**out[same].params, "why": why})
            elif fix not in out:
                out.append(fix)

    if outcome == LIKELY_ELIGIBLE:
        add(fix for f in findings for fix in f.fixes if fix.kind == DEADLINE)
    elif outcome == LIKELY_INELIGIBLE:
        failing = [f for f in findings if f.met is False and f.effect in (REQUIRED, BAR)]
        final = [fix for f in failing for fix in f.fixes if fix.kind == NO_REMEDY]
        add(final or [fix for f in failing for fix in f.fixes if fix.kind == REMEDY])
    else:
        add(fix for f in findings if f.decisive_unknown for fix in f.fixes if fix.kind == FIND_OUT)
        add(fix for f in findings if f.met is False and f.effect == REVIEW for fix in f.fixes)
    return tuple(out)


def assess(answers: Answers, today: date, rules: Rules | None = None) -> Assessment:
    """`today` is the default estimate date; an answer file's `as_of` overrides it. The rules
    are the version in force on the estimate date unless given."""
    as_of = answers.as_of or today
    rules = rules or rules_in_force(as_of)
    ctx = _Ctx(answers, rules, as_of)
    background = answers.known("background")
    if background == "none":
        result = _no_prior_training(ctx)
    else:
        candidates = [background] if background else list(PATHWAYS)
        results = [_evaluate(ctx, p) for p in candidates]
        result = min(results, key=lambda r: OUTCOMES.index(r.outcome))
        if background is None and result.outcome != LIKELY_ELIGIBLE:
            result = replace(result, pathway=None)
    changes = _changes(result.outcome, result.findings)
    findings = result.findings
    if any(fix.kind == NO_REMEDY for fix in changes):
        findings = tuple(f for f in findings if not f.assumed)  # nothing can change it: no assumptions to state
    return Assessment(
        outcome=result.outcome,
        pathway=result.pathway,
        points=result.points,
        findings=findings,
        notes=_notes(ctx),
        checklist=build_checklist(answers, rules, result.pathway, result.outcome, findings),
        changes=changes,
        rules_version=rules.meta.version,
        rule=rules.meta.rule,
        as_of=ctx.as_of,
    )


def settled(assessment: Assessment) -> bool:
    """Nothing under the rule can change this outcome: no further question matters."""
    return assessment.outcome == LIKELY_INELIGIBLE and assessment.no_remedy
