"""The recruiter dashboard under /dashboard: the leads table (filters, sorting, pages), a lead's
page (facts, findings with citations, documents, deadline, status, notes), the CSV of the
current filter, and statistics drawn as SVG.

A recruiter sees their own leads; an agency admin sees every lead of their agency. A lead that
is not the reader's is answered exactly like one that does not exist (404), so lead ids reveal
nothing. URLs carry lead ids and filter choices only, never a name or a contact.

Filtering happens in SQL; sorting by what is computed from the shared answers (points, the
break-in-service deadline, the pathway) happens here, over the filtered leads of one recruiter
or agency, which are a few hundred at most.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.leads import LeadView, leads_csv, view
from bot.render import say
from bot.web import charts
from bot.web.app import Web
from bot.web.forms import read_form
from bot.web.pages import NO_STORE, page
from bot.web.sessions import SignedIn, signed_in
from storage.leads import LeadFilter, LeadRecord, Leads
from storage.models import LEAD_STATUSES
from storage.sign_in import LINK_MINUTES, Viewer
from storage.stats import Counts, link_stats

PAGE_SIZE = 20
NOTES_MAX = 4000  # characters
WEEKS_SHOWN = 12
OUTCOMES = ("likely_eligible", "needs_review", "likely_ineligible")
RECRUITER = "recruiter.j2"


def _rank(order: tuple[str, ...]) -> Callable[[str | None], int]:
    return lambda value: order.index(value) if value in order else len(order)


# Sort keys: None where the lead has no value (those come last either way).
SORTS: dict[str, Callable[[LeadView], Any]] = {
    "shared": lambda v: v.lead.shared_at,
    "number": lambda v: (v.lead.recruiter, v.lead.number),
    "outcome": lambda v: _rank(OUTCOMES)(v.assessment.outcome),
    "pathway": lambda v: v.assessment.pathway,
    "points": lambda v: v.assessment.points.total.lo if v.assessment.points else None,
    "deadline": lambda v: v.break_passes_on,
    "status": lambda v: _rank(LEAD_STATUSES)(v.lead.status),
}


SORT_LABELS = (  # the sort menu of the filter form (a phone shows no column headings)
    ("shared", "Shared on"),
    ("points", "Points"),
    ("deadline", "Hire before"),
    ("outcome", "Outcome"),
    ("status", "Status"),
    ("pathway", "Pathway"),
    ("number", "Lead number"),
)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Query:
    """The table's state, all in the URL (so a filter can be bookmarked and exported)."""

    status: str | None = None
    outcome: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    sort: str = "shared"
    descending: bool = True
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Query:
        """Unknown values are ignored, never an error: a stale bookmark still shows the leads."""
        status = params.get("status")
        outcome = params.get("outcome")
        sort = params.get("sort", "shared")
        sort = sort if sort in SORTS else "shared"
        number = params.get("page", "1")
        return cls(
            status if status in LEAD_STATUSES else None,
            outcome if outcome in OUTCOMES else None,
            _day(params.get("from")),
            _day(params.get("to")),
            sort,
            params.get("order", "desc" if sort in ("shared", "points") else "asc") != "asc",
            int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1,
        )

    def filter(self, zone: ZoneInfo) -> LeadFilter:
        start = datetime.combine(self.since, time.min, zone) if self.since else None
        end = datetime.combine(self.until + timedelta(days=1), time.min, zone) if self.until else None
        return LeadFilter(self.status, self.outcome, start, end)

    @property
    def filtered(self) -> bool:
        return any((self.status, self.outcome, self.since, self.until))

    def params(self, **changes: Any) -> str:
        q = replace(self, **changes)
        pairs = {
            "status": q.status,
            "outcome": q.outcome,
            "from": q.since.isoformat() if q.since else None,
            "to": q.until.isoformat() if q.until else None,
            "sort": q.sort if q.sort != "shared" else None,
            "order": "desc" if q.descending else "asc",
            "page": str(q.page) if q.page > 1 else None,
        }
        if q.sort == "shared" and q.descending:
            pairs["order"] = None
        return urlencode({k: v for k, v in pairs.items() if v})

    def sorted_by(self, column: str) -> str:
        """The link of a column heading: sort by it, or reverse it if it is the sort already."""
        descending = not self.descending if column == self.sort else column in ("shared", "points")
        return self.params(sort=column, descending=descending, page=1)


def sort_views(views: list[LeadView], query: Query) -> list[LeadView]:
    key = SORTS[query.sort]
    present = [v for v in views if key(v) is not None]
    missing = [v for v in views if key(v) is None]
    return sorted(present, key=key, reverse=query.descending) + missing


def scope(me: Viewer) -> tuple[int | None, int | None]:
    """(recruiter_id, agency_id) for Leads.list: an agency admin reads the agency's leads,
    anyone else their own."""
    return (None, me.agency_id) if me.agency_admin else (me.recruiter_id, None)


def visible(me: Viewer, lead: LeadRecord) -> bool:
    return lead.recruiter_id == me.recruiter_id or (me.agency_admin and lead.agency_id == me.agency_id)


def weekly(views: list[LeadView], today: date, weeks: int = WEEKS_SHOWN) -> list[tuple[date, int]]:
    """Leads shared per week (Monday to Sunday, in the agency's time zone), the last `weeks` weeks."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in reversed(range(weeks))]
    counts = dict.fromkeys(mondays, 0)
    for v in views:
        day = v.shared_at.date()
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return list(counts.items())


def routes(web: Web) -> list[BaseRoute]:
    leads = Leads(web.store, web.now)
    zone = ZoneInfo(web.settings.timezone)

    def signed_out() -> Response:
        return page("signed_out.j2", status_code=401, minutes=LINK_MINUTES)

    def filtered_views(me: Viewer, query: Query) -> list[LeadView]:
        recruiter_id, agency_id = scope(me)
        records = leads.list(recruiter_id, agency_id=agency_id, only=query.filter(zone))
        return sort_views([view(lead, zone) for lead in records], query)

    def common(me: SignedIn, section: str) -> dict[str, Any]:
        return {"me": me.viewer, "csrf": me.csrf(web), "section": section}

    async def table(request: Request) -> Response:
        me = signed_in(web, request)
        if me is None:
            return signed_out()
        query = Query.parse(request.query_params)
        views = filtered_views(me.viewer, query)
        pages = max(1, math.ceil(len(views) / PAGE_SIZE))
        query = replace(query, page=min(query.page, pages))
        shown = views[(query.page - 1) * PAGE_SIZE : query.page * PAGE_SIZE]
        return page(
            "leads.j2",
            **common(me, "leads"),
            views=shown,
            total=len(views),
            pages=pages,
            q=query,
            statuses=LEAD_STATUSES,
            outcomes=OUTCOMES,
            sorts=SORT_LABELS,
        )

    async def export(request: Request) -> Response:
        me = signed_in(web, request)
        if me is None:
            return signed_out()
        views = filtered_views(me.viewer, Query.parse(request.query_params))
        name = f"leads-{web.now().astimezone(zone).date().isoformat()}.csv"
        return Response(
            leads_csv(views),
            media_type="text/csv; charset=utf-8",
            headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'},
        )

    def lead_of(me: SignedIn, request: Request) -> LeadRecord | None:
        lead = leads.by_id(request.path_params["lead_id"])
        return lead if lead is not None and visible(me.viewer, lead) else None

    def missing(me: SignedIn) -> Response:
        return page("no_lead.j2", status_code=404, **common(me, "leads"))

    async def lead_page(request: Request) -> Response:
        me = signed_in(web, request)
        if me is None:
            return signed_out()
        lead = lead_of(me, request)
        if lead is None:
            return missing(me)
        done = request.query_params.get("done")
        return page(
            "lead.j2",
            **common(me, "leads"),
            v=view(lead, zone),
            statuses=LEAD_STATUSES,
            done=done if done in ("status", "notes") else None,
            notes_max=NOTES_MAX,
        )

    async def change(request: Request) -> Response:
        me = signed_in(web, request)
        form = await read_form(request)
        if me is None:
            return signed_out()
        if form is None or not me.csrf_ok(web, form.get("csrf")):
            return page("form_expired.j2", status_code=400)
        lead = lead_of(me, request)
        if lead is None:
            return missing(me)
        what = request.path_params["what"]
        if what == "status" and form.get("status") in LEAD_STATUSES:
            changed = leads.set_status(lead.recruiter_id, lead.number, form["status"])
        elif what == "notes" and len(form.get("notes", "")) <= NOTES_MAX:
            changed = leads.set_notes(lead.id, form.get("notes", ""))
        else:
            return page("form_expired.j2", status_code=400)
        if changed is None:
            return missing(me)
        return RedirectResponse(f"/dashboard/leads/{lead.id}?done={what}", status_code=303)

    async def stats(request: Request) -> Response:
        me = signed_in(web, request)
        if me is None:
            return signed_out()
        viewer = me.viewer
        rows = (
            link_stats(web.store, agency_id=viewer.agency_id)
            if viewer.agency_admin
            else link_stats(web.store, viewer.recruiter_id)
        )
        counts = sum((r.counts for r in rows), Counts())
        steps = [
            (say("funnel_step", "web/words.j2", step=name), getattr(counts, name))
            for name in ("started", "finished", "likely_eligible", "needs_review", "shared")
        ]
        recruiter_id, agency_id = scope(viewer)
        views = [view(lead, zone) for lead in leads.list(recruiter_id, agency_id=agency_id)]
        weeks = weekly(views, web.now().astimezone(zone).date())
        week_points = [(monday.strftime("%b %-d"), n) for monday, n in weeks]
        return page(
            "stats.j2",
            **common(me, "stats"),
            steps=steps,
            weeks=week_points,
            funnel_svg=charts.funnel("funnel", steps, say("funnel_title", "web/words.j2")),
            weeks_svg=charts.columns("weeks", week_points, say("weeks_title", "web/words.j2", weeks=WEEKS_SHOWN)),
            statuses=[(s, getattr(counts, s)) for s in LEAD_STATUSES],
        )

    return [
        Route("/dashboard", table, methods=["GET"]),
        Route("/dashboard/leads.csv", export, methods=["GET"]),
        Route("/dashboard/leads/{lead_id:int}", lead_page, methods=["GET"]),
        Route("/dashboard/leads/{lead_id:int}/{what:str}", change, methods=["POST"]),
        Route("/dashboard/stats", stats, methods=["GET"]),
    ]
