"""Recruiters in Telegram: /recruiter <claim code>, /leads (paged with buttons, each lead opened
with its status buttons), /stats, /export, /dashboard (a sign-in link for the web dashboard),
and the notifications of their leads.

Lead buttons carry `L:<action>:<values>` callback data and act only on the tapping
recruiter's own leads (numbers are per recruiter), so a forwarded or forged button reaches
nothing else. A notification is edited when its lead is replaced or withdrawn, so no
withdrawn contact details stay in the recruiter's chat.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from datetime import date
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.leads import LeadView, lead_card, leads_csv, view
from bot.messages import send_html, send_reliably
from bot.render import block, say
from bot.settings import Settings
from bot.telegram_updates import query_of, sender, tapped_message
from bot.web.links import sign_in_link
from storage.leads import NEW, UPDATED, WITHDRAWN, LeadEvent, LeadRecord, Leads
from storage.models import LEAD_STATUSES
from storage.recruiting import ALREADY_LINKED, CLAIM_ATTEMPTS_PER_HOUR, LIMITED, LINKED, RecruiterInfo, Recruiting
from storage.sign_in import LINK_MINUTES
from storage.stats import agency_stats, link_stats

log = logging.getLogger(__name__)
PAGE_SIZE = 5
RECRUITER_COMMANDS = ("leads", "stats", "export", "dashboard")
CALLBACK_PREFIX = "L:"
CALLBACK = re.compile(r"^L:(?:p:(?P<page>\d{1,6})|v:(?P<open>\d{1,9})|s:(?P<lead>\d{1,9}):(?P<status>\d))$")
TEMPLATE = "recruiter.j2"


def words(name: str, **params: Any) -> str:
    return block(name, TEMPLATE, html=True, **params)


def _label(name: str, **params: Any) -> str:
    return say(name, TEMPLATE, **params)


def status_keyboard(lead: LeadRecord) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            _label("status_button", status=s, current=lead.status), callback_data=f"L:s:{lead.number}:{i}"
        )
        for i, s in enumerate(LEAD_STATUSES)
    ]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def page_keyboard(views: list[LeadView], page: int, pages: int) -> InlineKeyboardMarkup | None:
    rows = (
        [
            [
                InlineKeyboardButton(_label("open_button", number=v.lead.number), callback_data=f"L:v:{v.lead.number}")
                for v in views
            ]
        ]
        if views
        else []
    )
    nav = []
    if page > 1:
        nav.append(InlineKeyboardButton(_label("previous_page"), callback_data=f"L:p:{page - 1}"))
    if page < pages:
        nav.append(InlineKeyboardButton(_label("next_page"), callback_data=f"L:p:{page + 1}"))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


class RecruiterCommands:
    def __init__(self, recruiting: Recruiting, zone: str, settings: Settings | None = None) -> None:
        self.recruiting = recruiting
        self.settings = settings
        self.leads = Leads(recruiting.store)
        self.zone = ZoneInfo(zone)
        self.on_linked: Any = None  # called with (bot, chat_id) once a recruiter links their account

    def _view(self, lead: LeadRecord) -> LeadView:
        return view(lead, self.zone)

    async def _reply(self, update: Update, text: str, markup: Any = None) -> None:
        _, chat = sender(update)
        await send_html(chat.send_message, text, markup)

    async def _me(self, update: Update) -> RecruiterInfo | None:
        """The linked recruiter sending this command; anyone else is refused politely."""
        me = await asyncio.to_thread(self.recruiting.for_telegram, str(sender(update)[0].id))
        if me is None:
            await self._reply(update, words("not_recruiter"))
        return me

    # --- commands ----------------------------------------------------------------------------
    async def on_claim(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not context.args:
            await self._reply(update, words("claim_usage"))
            return
        result = await asyncio.to_thread(self.recruiting.claim, "".join(context.args), str(sender(update)[0].id))
        if result.outcome == LINKED:
            await self._reply(update, words("claimed", recruiter=result.recruiter))
            if self.on_linked is not None:
                await self.on_linked(context.bot, sender(update)[1].id)
        elif result.outcome == ALREADY_LINKED:
            await self._reply(update, words("already_linked", recruiter=result.recruiter))
        elif result.outcome == LIMITED:
            await self._reply(update, words("claim_limited", limit=CLAIM_ATTEMPTS_PER_HOUR))
        else:
            await self._reply(update, words("claim_failed"))

    def _page(self, me: RecruiterInfo, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
        total = self.leads.count(me.id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(page, 1), pages)
        views = [self._view(lead) for lead in self.leads.list(me.id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)]
        return words("leads_page", views=views, page=page, pages=pages, total=total), page_keyboard(views, page, pages)

    async def on_leads(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        page = int(context.args[0]) if context.args and context.args[0].isdigit() else 1
        text, markup = await asyncio.to_thread(self._page, me, page)
        await self._reply(update, text, markup)

    async def on_stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        store = self.recruiting.store
        mine = (await asyncio.to_thread(link_stats, store, me.id))[0]
        agency = await asyncio.to_thread(agency_stats, store, me.agency_id)
        await self._reply(update, words("stats", mine=mine, agency=agency[0] if agency else None))

    async def on_export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        views = [self._view(lead) for lead in await asyncio.to_thread(self.leads.list, me.id)]
        name = f"leads-{date.today().isoformat()}.csv"
        data = leads_csv(views)
        _, chat = sender(update)
        await send_reliably(
            lambda: chat.send_document(
                InputFile(data, filename=name), caption=words("export_caption", count=len(views))
            )
        )

    async def on_dashboard(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A one-time sign-in link, only in the recruiter's private chat (the gate lets no other
        chat through), sent without a preview so that no preview fetches it."""
        me = await self._me(update)
        if me is None or self.settings is None:
            return
        made = sign_in_link(self.recruiting.store, self.settings, me.id, self.recruiting.now)
        if made is None:
            await self._reply(update, words("not_recruiter"))
            return
        link, _ = made
        _, chat = sender(update)
        await send_reliably(
            lambda: chat.send_message(
                words("dashboard_link", link=link, minutes=LINK_MINUTES),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )

    # --- lead buttons ------------------------------------------------------------------------
    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = query_of(update)
        message = tapped_message(query)
        match = CALLBACK.match(query.data or "")
        me = await asyncio.to_thread(self.recruiting.for_telegram, str(sender(update)[0].id))
        if match is None or me is None:
            await send_reliably(lambda: query.answer(say("not_recruiter", TEMPLATE)), idempotent=True)
            return
        if match["page"]:
            await send_reliably(lambda: query.answer(), idempotent=True)
            text, markup = await asyncio.to_thread(self._page, me, int(match["page"]))
            await self._edit(message, text, markup)
            return
        number = int(match["open"] or match["lead"])
        if match["status"] is not None and int(match["status"]) < len(LEAD_STATUSES):
            status = LEAD_STATUSES[int(match["status"])]
            lead = await asyncio.to_thread(self.leads.set_status, me.id, number, status)
            await send_reliably(
                lambda: query.answer(_label("status_set", status=status) if lead else None), idempotent=True
            )
            if lead is None:
                await self._edit(message, words("lead_gone", number=number), None)
                return
            await self._edit(message, lead_card(self._view(lead)), status_keyboard(lead))
            return
        await send_reliably(lambda: query.answer(), idempotent=True)
        lead = await asyncio.to_thread(self.leads.get, me.id, number)
        if lead is None:
            await self._reply(update, words("lead_gone", number=number))
            return
        await self._reply(update, lead_card(self._view(lead)), status_keyboard(lead))

    async def _edit(self, message: Message | None, text: str, markup: Any) -> None:
        if message is None:
            return
        try:
            await send_reliably(
                lambda: message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup), idempotent=True
            )
        except BadRequest as err:  # unchanged, or too old to edit: the status is stored either way
            log.debug("could not edit a recruiter message: %s", err)

    # --- notifications -----------------------------------------------------------------------
    async def deliver(self, bot: Any, events: tuple[LeadEvent, ...]) -> None:
        """Tell recruiters what the applicant's turn did to their leads. The lead is stored
        already; a failed notification is logged, and /leads shows the lead regardless."""
        for event in events:
            try:
                if event.kind == WITHDRAWN:
                    await self._edit_notice(
                        bot,
                        event.lead.notice_chat_id,
                        event.lead.notice_message_id,
                        words("withdrawn_notice", number=event.lead.number),
                    )
                elif event.kind in (NEW, UPDATED):
                    await self._notify(bot, event)
            except (BadRequest, Forbidden):
                log.warning(
                    "could not notify recruiter %s about lead %s",
                    event.lead.recruiter_id,
                    event.lead.number,
                    exc_info=True,
                )

    async def _notify(self, bot: Any, event: LeadEvent) -> None:
        recruiter = await asyncio.to_thread(self.recruiting.get, event.lead.recruiter_id)
        if recruiter is None or recruiter.disabled or not recruiter.telegram_user_id:
            return
        if event.previous_notice is not None:
            await self._edit_notice(bot, *event.previous_notice, words("replaced_notice", number=event.lead.number))
        v = self._view(event.lead)
        text = words("new_lead" if event.kind == NEW else "updated_lead", v=v)
        chat_id = int(recruiter.telegram_user_id)
        message = await send_html(partial(bot.send_message, chat_id), text, status_keyboard(event.lead))
        await asyncio.to_thread(self.leads.set_notice, event.lead.id, str(chat_id), message.message_id)

    async def _edit_notice(self, bot: Any, chat_id: str | None, message_id: int | None, text: str) -> None:
        if not chat_id or not message_id:
            return
        try:
            await send_reliably(
                lambda: bot.edit_message_text(
                    text, chat_id=int(chat_id), message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=None
                ),
                idempotent=True,
            )
        except BadRequest as err:  # deleted by the recruiter, or too old to edit
            log.info("could not edit the notice of a lead: %s", err)
