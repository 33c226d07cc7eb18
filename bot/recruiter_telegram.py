"""Recruiter commands in Telegram: /recruiter <claim code>, /leads, /stats, /export."""
from __future__ import annotations

import math
from datetime import date
from typing import Any

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.leads import leads_csv, view
from bot.messages import send_reliably, split_message
from bot.render import block
from storage.recruiting import RecruiterInfo, Recruiting

PAGE_SIZE = 5
RECRUITER_COMMANDS = ("leads", "stats", "export")


def words(name: str, **params: Any) -> str:
    return block(name, "recruiter.j2", html=True, **params)


class RecruiterCommands:
    def __init__(self, recruiting: Recruiting) -> None:
        self.recruiting = recruiting
        self.on_linked: Any = None  # called with (bot, chat_id) once a recruiter links their account

    async def _reply(self, update: Update, text: str) -> None:
        for chunk in split_message(text):
            await send_reliably(lambda chunk=chunk: update.effective_chat.send_message(chunk, parse_mode=ParseMode.HTML))

    async def _me(self, update: Update) -> RecruiterInfo | None:
        """The linked recruiter sending this command; anyone else is refused politely."""
        me = self.recruiting.for_telegram(str(update.effective_user.id))
        if me is None:
            await self._reply(update, words("not_recruiter"))
        return me

    async def on_claim(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not context.args:
            await self._reply(update, words("claim_usage"))
            return
        recruiter = self.recruiting.claim("".join(context.args), str(update.effective_user.id))
        await self._reply(update, words("claimed", recruiter=recruiter) if recruiter else words("claim_failed"))
        if recruiter is not None and self.on_linked is not None:
            await self.on_linked(context.bot, update.effective_chat.id)

    async def on_leads(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        total = self.recruiting.lead_count(me.id)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = int(context.args[0]) if context.args and context.args[0].isdigit() else 1
        page = min(max(page, 1), pages)
        views = [view(lead) for lead in self.recruiting.leads(me.id, (page - 1) * PAGE_SIZE, PAGE_SIZE)]
        await self._reply(update, words("leads_page", views=views, page=page, pages=pages, total=total))

    async def on_stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        await self._reply(update, words("stats", rows=self.recruiting.stats(me.id)))

    async def on_export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        me = await self._me(update)
        if me is None:
            return
        leads = self.recruiting.leads(me.id)
        data = leads_csv(leads)
        name = f"leads-{date.today().isoformat()}.csv"
        await send_reliably(lambda: update.effective_chat.send_document(
            InputFile(data, filename=name), caption=words("export_caption", count=len(leads))))

    async def notify(self, bot: Any, recruiter_id: int, session_id: int) -> None:
        """Tell the recruiter about a lead the applicant just agreed to share."""
        recruiter = self.recruiting.get(recruiter_id)
        if recruiter is None or recruiter.disabled or not recruiter.telegram_user_id:
            return
        lead = self.recruiting.lead(session_id)
        if lead is None or lead.recruiter_id != recruiter_id:
            return
        text = words("new_lead", v=view(lead))
        for chunk in split_message(text):
            await send_reliably(lambda chunk=chunk: bot.send_message(int(recruiter.telegram_user_id), chunk,
                                                                     parse_mode=ParseMode.HTML))
