"""Administrator commands: agencies, recruiters and their links, lead export, statistics,
retention. Every word printed comes from templates/admin.j2; a mistake (an unknown id, a
bad number of days) is one line on standard error and exit code 2."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.leads import leads_csv, view
from bot.recruiter_qr import FORMATS, qr_page
from bot.render import block
from bot.settings import ConfigError, Settings, positive_days
from storage import Store, private_file
from storage.leads import Leads
from storage.recruiting import CLAIM_DAYS, AgencyInfo, RecruiterInfo, Recruiting, format_claim
from storage.retention import purge as purge_store
from storage.sign_in import LINK_MINUTES
from storage.stats import agency_stats, link_stats

Action = Callable[[Settings, argparse.Namespace, Recruiting], str]


def _text(name: str, **params: Any) -> str:
    return block(name, "admin.j2", **params)


def bot_username(settings: Settings) -> str:
    """From BOT_USERNAME, else asked from Telegram (getMe) with the token."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if not settings.telegram_token:
        raise ConfigError("set BOT_USERNAME (or TELEGRAM_BOT_TOKEN, to ask Telegram) to print recruiter links")
    from telegram import Bot

    async def ask() -> str:
        async with Bot(settings.require_token(), base_url=settings.telegram_base_url) as bot:
            username = (await bot.get_me()).username
            assert username is not None  # every bot has one
            return username

    return asyncio.run(ask())


def link_of(settings: Settings, info: RecruiterInfo) -> str:
    return f"https://t.me/{bot_username(settings)}?start={info.link_code}"


def web_link_of(settings: Settings, info: RecruiterInfo) -> str:
    """The same attribution in a browser: the web channel's start page for the code."""
    from bot.web.links import web_link

    return web_link(settings, info.link_code)


def _recruiter(recruiting: Recruiting, recruiter_id: int) -> RecruiterInfo:
    info = recruiting.get(recruiter_id)
    if info is None:
        raise ConfigError(_text("no_recruiter", id=recruiter_id))
    return info


def _agency(recruiting: Recruiting, key: str) -> AgencyInfo:
    agency = recruiting.find_agency(key)
    if agency is None:
        raise ConfigError(_text("no_agency", key=key))
    return agency


def _changed(info: RecruiterInfo | None, recruiter_id: int) -> RecruiterInfo:
    if info is None:
        raise ConfigError(_text("no_recruiter", id=recruiter_id))
    return info


# --- recruiters --------------------------------------------------------------------------------
def recruiter_add(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    username = bot_username(settings)  # fails before anything is created
    info, claim = recruiting.add(args.agency, args.name, CLAIM_DAYS)
    return _text(
        "recruiter_added",
        r=info,
        link=f"https://t.me/{username}?start={info.link_code}",
        web_link=web_link_of(settings, info),
        claim=format_claim(claim),
        days=CLAIM_DAYS,
    )


def recruiter_list(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    agency = _agency(recruiting, args.agency).id if args.agency else None
    return _text("recruiter_table", rows=recruiting.list(agency), now=recruiting.now())


def recruiter_disable(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("recruiter_disabled", r=_changed(recruiting.disable(args.id), args.id))


def recruiter_enable(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("recruiter_enabled", r=_changed(recruiting.enable(args.id), args.id))


def recruiter_unlink(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("recruiter_unlinked", r=_changed(recruiting.unlink(args.id), args.id))


def recruiter_rename(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    if args.name is None and args.agency is None:
        raise ConfigError(_text("rename_usage"))
    return _text("recruiter_renamed", r=_changed(recruiting.rename(args.id, args.name, args.agency), args.id))


def recruiter_rotate(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    _recruiter(recruiting, args.id)
    bot_username(settings)  # fails before the old link stops working
    info = _changed(recruiting.rotate(args.id), args.id)
    return _text("recruiter_rotated", r=info, link=link_of(settings, info), web_link=web_link_of(settings, info))


def recruiter_reissue(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    issued = recruiting.reissue_code(args.id, CLAIM_DAYS)
    if issued is None:
        raise ConfigError(_text("no_recruiter", id=args.id))
    info, claim = issued
    return _text("claim_reissued", r=info, claim=format_claim(claim), days=CLAIM_DAYS)


def recruiter_login_link(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    from bot.web.links import sign_in_link

    info = _recruiter(recruiting, args.id)
    made = sign_in_link(recruiting.store, settings, info.id, recruiting.now)
    if made is None:
        raise ConfigError(_text("login_link_disabled", r=info))
    link, expires = made
    return _text("login_link", r=info, link=link, minutes=round((expires - recruiting.now()).total_seconds() / 60))


def recruiter_admin(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("recruiter_admin", r=_changed(recruiting.set_admin(args.id, not args.off), args.id))


def recruiter_qr(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    info = _recruiter(recruiting, args.id)
    out = Path(args.out)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ConfigError(_text("qr_format", path=args.out))
    link = web_link_of(settings, info) if args.web else link_of(settings, info)
    out.write_bytes(qr_page(link, info.agency, info.name, fmt))
    return _text("qr_written", r=info, path=args.out, disabled=info.disabled, web=args.web)


# --- agencies, leads, statistics, retention ----------------------------------------------------
def agency_list(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("agency_table", rows=agency_stats(recruiting.store))


def agency_stats_command(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    agency = _agency(recruiting, args.agency).id if args.agency else None
    return _text(
        "agency_stats",
        rows=agency_stats(recruiting.store, agency),
        links=link_stats(recruiting.store, agency_id=agency),
    )


def leads_export(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    leads = Leads(recruiting.store)
    if args.agency:
        agency = _agency(recruiting, args.agency)
        records = leads.list(agency_id=agency.id)
    else:
        records = leads.list(_recruiter(recruiting, args.recruiter).id)
    zone = ZoneInfo(settings.timezone)
    private_file(Path(args.out).resolve(), own_folder=False, data=leads_csv([view(lead, zone) for lead in records]))
    return _text("exported", count=len(records), path=args.out)


def stats(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    return _text("stats_table", rows=link_stats(recruiting.store))


def purge(settings: Settings, args: argparse.Namespace, recruiting: Recruiting) -> str:
    days = positive_days("--days", args.days, settings.retention_days)
    lead_days = positive_days("--lead-days", args.lead_days, settings.lead_retention_days)
    report = purge_store(recruiting.store, days, lead_days, recruiting.now)
    return _text("purged", r=report, days=days, lead_days=lead_days)


# --- the parsers -------------------------------------------------------------------------------
def _run(action: Action) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        settings = Settings.from_environment()
        with Store(settings.database_url) as store:
            print(action(settings, args, Recruiting(store)))
        return 0

    return run


def add_parsers(sub: Any) -> None:
    rec = sub.add_parser(
        "recruiter",
        help="recruiters and their links: add, list, qr, reissue-code, login-link, admin, rename, rotate, unlink, "
        "disable, enable",
    )
    rsub = rec.add_subparsers(dest="action", required=True)
    p = rsub.add_parser("add", help="create a recruiter: prints their link and a one-time claim code")
    p.add_argument("--agency", required=True, help="the agency's name (created if new)")
    p.add_argument("--name", required=True)
    p.set_defaults(run=_run(recruiter_add))
    p = rsub.add_parser("list", help="recruiters with their claim status")
    p.add_argument("--agency", help="only this agency (id or name)")
    p.set_defaults(run=_run(recruiter_list))
    for name, func, text in (
        ("disable", recruiter_disable, "stop a recruiter's link attributing and their access (leads are kept)"),
        ("enable", recruiter_enable, "undo disable"),
        ("unlink", recruiter_unlink, "detach the Telegram account (then reissue-code for the right one)"),
        ("rotate", recruiter_rotate, "give a recruiter a new link (the old one stops attributing)"),
        ("reissue-code", recruiter_reissue, f"a new one-time claim code, valid {CLAIM_DAYS} days"),
        ("login-link", recruiter_login_link, f"a one-time dashboard sign-in link (valid {LINK_MINUTES} minutes)"),
    ):
        p = rsub.add_parser(name, help=text)
        p.add_argument("id", type=int)
        p.set_defaults(run=_run(func))
    p = rsub.add_parser("admin", help="make a recruiter their agency's admin: they see all its leads on the dashboard")
    p.add_argument("id", type=int)
    p.add_argument("--off", action="store_true", help="no longer an admin")
    p.set_defaults(run=_run(recruiter_admin))
    p = rsub.add_parser("rename", help="change a recruiter's name or move them to another agency")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    p.add_argument("--agency", help="the agency's name (created if new)")
    p.set_defaults(run=_run(recruiter_rename))
    p = rsub.add_parser("qr", help="a printable page with the QR code of the recruiter's link")
    p.add_argument("id", type=int)
    p.add_argument("--out", required=True, help="file to write: .pdf (US Letter flyer) or .png")
    p.add_argument("--format", choices=FORMATS, help="pdf or png (default: from the file name)")
    p.add_argument(
        "--web", action="store_true", help="the code carries the web link (PUBLIC_URL/s/CODE) instead of Telegram's"
    )
    p.set_defaults(run=_run(recruiter_qr))

    agency = sub.add_parser("agency", help="agencies as a whole: list, stats")
    asub = agency.add_subparsers(dest="action", required=True)
    p = asub.add_parser("list", help="agencies with their recruiters and leads")
    p.set_defaults(run=_run(agency_list))
    p = asub.add_parser("stats", help="an agency's totals and each of its recruiters")
    p.add_argument("agency", nargs="?", help="id or name (default: every agency)")
    p.set_defaults(run=_run(agency_stats_command))

    leads = sub.add_parser("leads", help="consented leads")
    lsub = leads.add_subparsers(dest="action", required=True)
    p = lsub.add_parser("export", help="write a recruiter's or an agency's leads to a CSV file")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--recruiter", type=int)
    who.add_argument("--agency", help="id or name")
    p.add_argument("--out", required=True)
    p.set_defaults(run=_run(leads_export))
    p = sub.add_parser("stats", help="per recruiter link: screenings, outcomes, leads and their status")
    p.set_defaults(run=_run(stats))
    p = sub.add_parser("purge", help="apply the retention periods now (the bot also does it every 6 hours)")
    p.add_argument("--days", help="days after which unshared screenings go (default RETENTION_DAYS, 30)")
    p.add_argument("--lead-days", help="days after its last share a lead goes (default LEAD_RETENTION_DAYS, 365)")
    p.set_defaults(run=_run(purge))
