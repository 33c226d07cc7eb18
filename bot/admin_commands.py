"""Administrator commands: recruiters and their links, lead export, statistics, retention."""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Callable, TypeVar

from bot.leads import leads_csv
from bot.settings import ConfigError, Settings
from bot.render import block
from storage import Store
from storage.recruiting import Recruiting, format_claim

CLAIM_DAYS = 7
T = TypeVar("T")


def _recruiting(settings: Settings) -> tuple[Store, Recruiting]:
    store = Store(settings.database_url)
    return store, Recruiting(store)


def _with_recruiting(settings: Settings, action: Callable[[Recruiting], T]) -> T:
    store, recruiting = _recruiting(settings)
    with store:
        return action(recruiting)


def bot_username(settings: Settings) -> str:
    """From BOT_USERNAME, else asked from Telegram (getMe) with the token."""
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if not settings.telegram_token:
        raise ConfigError("set BOT_USERNAME (or TELEGRAM_BOT_TOKEN, to ask Telegram) to print recruiter links")
    from telegram import Bot

    async def ask() -> str:
        async with Bot(settings.require_token(), base_url=settings.telegram_base_url) as bot:
            return (await bot.get_me()).username

    return asyncio.run(ask())


def _text(name: str, **params: object) -> str:
    return block(name, "admin.j2", **params)


def recruiter_add(settings: Settings, args: argparse.Namespace) -> int:
    username = bot_username(settings)
    store, recruiting = _recruiting(settings)
    with store:
        info, claim = recruiting.add(args.agency, args.name, CLAIM_DAYS)
    print(_text("recruiter_added", r=info, link=f"https://t.me/{username}?start={info.link_code}",
                claim=format_claim(claim), days=CLAIM_DAYS))
    return 0


def recruiter_list(settings: Settings, args: argparse.Namespace) -> int:
    print(_text("recruiter_table", rows=_with_recruiting(settings, lambda r: r.list())))
    return 0


def recruiter_disable(settings: Settings, args: argparse.Namespace) -> int:
    store, recruiting = _recruiting(settings)
    with store:
        ok = recruiting.disable(args.id)
    print(_text("recruiter_disabled" if ok else "no_recruiter", id=args.id), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 2


def recruiter_rotate(settings: Settings, args: argparse.Namespace) -> int:
    username = bot_username(settings)
    store, recruiting = _recruiting(settings)
    with store:
        code = recruiting.rotate(args.id)
    if code is None:
        print(_text("no_recruiter", id=args.id), file=sys.stderr)
        return 2
    print(_text("recruiter_rotated", id=args.id, link=f"https://t.me/{username}?start={code}"))
    return 0


def leads_export(settings: Settings, args: argparse.Namespace) -> int:
    store, recruiting = _recruiting(settings)
    with store:
        if recruiting.get(args.recruiter) is None:
            print(_text("no_recruiter", id=args.recruiter), file=sys.stderr)
            return 2
        leads = recruiting.leads(args.recruiter)
    Path(args.out).write_bytes(leads_csv(leads))
    print(_text("exported", count=len(leads), path=args.out))
    return 0


def stats(settings: Settings, args: argparse.Namespace) -> int:
    print(_text("stats_table", rows=_with_recruiting(settings, lambda r: r.stats())))
    return 0


def purge(settings: Settings, args: argparse.Namespace) -> int:
    days = args.days or settings.retention_days
    print(_text("purged", r=_with_recruiting(settings, lambda r: r.purge(days)), days=days))
    return 0


def add_parsers(sub: argparse._SubParsersAction, wrap) -> None:
    rec = sub.add_parser("recruiter", help="recruiter links: add, list, disable, rotate")
    rsub = rec.add_subparsers(dest="action", required=True)
    p = rsub.add_parser("add", help="create a recruiter: prints their link and a one-time claim code")
    p.add_argument("--agency", required=True)
    p.add_argument("--name", required=True)
    p.set_defaults(run=wrap(recruiter_add))
    p = rsub.add_parser("list", help="list recruiters")
    p.set_defaults(run=wrap(recruiter_list))
    for name, func, text in (("disable", recruiter_disable, "stop a recruiter's link attributing and their access"),
                             ("rotate", recruiter_rotate, "give a recruiter a new link code (the old stops attributing)")):
        p = rsub.add_parser(name, help=text)
        p.add_argument("id", type=int)
        p.set_defaults(run=wrap(func))
    leads = sub.add_parser("leads", help="consented leads")
    lsub = leads.add_subparsers(dest="action", required=True)
    p = lsub.add_parser("export", help="write a recruiter's consented leads to a CSV file")
    p.add_argument("--recruiter", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=wrap(leads_export))
    p = sub.add_parser("stats", help="per recruiter link: started, finished, likely eligible, needs review, shared")
    p.set_defaults(run=wrap(stats))
    p = sub.add_parser("purge", help="delete unfinished screenings and unshared results past the retention period")
    p.add_argument("--days", type=int, default=None, help="retention in days (default RETENTION_DAYS, 30)")
    p.set_defaults(run=wrap(purge))
