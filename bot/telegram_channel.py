"""The Telegram channel: a thin python-telegram-bot adapter around bot.conversation.

Every handler loads the session from the database, steps the interview, commits, and only
then sends. Interview state never lives in PTB's memory or persistence.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import date
from typing import Any, Callable

from telegram import BotCommand, InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters,
)

from bot.checklist_pdf import checklist_pdf
from bot.conversation import Conversation, EventFor, Turn
from bot.errors import describe
from bot.keyboards import NOT_SURE, keyboard_for, parse_callback
from bot.messages import send_reliably, split_message
from bot.recruiter_telegram import RecruiterCommands
from bot.settings import Settings
from dialogs.interview import COMMANDS, Command, Event, Flow, Pick, Reply, Text, ask, next_question
from bot.presenter import present, understood_text
from dialogs.answers import CHOICE, END_DATE, NOT_SURE_JSON, YES_NO
from bot.render import say
from dialogs.rules import load_rules
from storage import SessionSnapshot, Store, database_location
from storage.recruiting import Recruiting

log = logging.getLogger(__name__)
CHANNEL = "telegram"
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PURGE_EVERY_SECONDS = 6 * 3600


def _words(code: str, **params: Any) -> str:
    return say(code, _file="telegram.j2", **params)


class TelegramChannel:
    def __init__(self, store: Store, settings: Settings, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.settings = settings
        self.recruiting = Recruiting(store)
        self.recruiters = RecruiterCommands(self.recruiting)
        self.conversation = Conversation(store, CHANNEL, today, recruiter_name=self._recruiter_name)

    def _recruiter_name(self, recruiter_id: int) -> str | None:
        """Who a result may be shared with; None once the recruiter is disabled."""
        recruiter = self.recruiting.get(recruiter_id)
        if recruiter is None or recruiter.disabled:
            return None
        return _words("recruiter_name", name=recruiter.name, agency=recruiter.agency)

    # --- handlers ----------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user_id = str(update.effective_user.id)
        payload = context.args[0] if context.args else None
        if payload and DEEP_LINK.match(payload):
            recruiter = self.recruiting.by_link(payload)  # unknown or disabled: a normal screening
            current = self.store.current_session(CHANNEL, user_id)
            if current is None or (not current.answers and current.recruiter_id is None):
                self.store.start_session(CHANNEL, user_id, referral_code=payload,
                                         recruiter_id=recruiter.id if recruiter else None)
        await self._turn(update, Command("start"))

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram's share-contact button: only the applicant's own number is accepted."""
        contact = update.effective_message.contact
        if contact.user_id != update.effective_user.id:
            await send_reliably(lambda: update.effective_chat.send_message(_words("own_contact_only")))
            return
        digits = re.sub(r"\D", "", contact.phone_number or "")
        await self._turn(update, Pick("contact", "+" + digits))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = update.effective_message.text.split()[0][1:].split("@")[0].lower()
        await self._turn(update, Command(name))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._turn(update, Text(update.effective_message.text or ""))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_reliably(lambda: update.effective_chat.send_message(_words("not_text")))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await send_reliably(lambda: update.effective_chat.send_message(_words("unknown_command")))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        tap = parse_callback(query.data)

        def event_for(session: SessionSnapshot, flow: Flow) -> Event | None:
            """Judged on the session the turn applies to, inside the retry: a double tap that
            raced another worker finds its token spent and changes nothing."""
            if tap is None or tap.ask != session.channel_state.get("ask"):
                return None
            return self._event_for(tap, flow)

        turn = await self._turn(update, event_for, tapped=query.message)
        if turn is None:
            await send_reliably(lambda: query.answer(_words("stale_tap")))
            await self._drop_keyboard(query.message)
        else:
            await send_reliably(lambda: query.answer())

    def _event_for(self, tap, flow) -> Event | None:
        if tap.kind == "r":
            return Pick("review", "done" if tap.value == "done" else int(tap.value))
        if tap.kind == "d":
            return Text("yes" if tap.value == "yes" else "no")
        if tap.kind == "s":
            return Pick("share", tap.value == "yes")
        if tap.kind == "w":
            return Command("withdraw")
        q = next_question(flow.answers, self.conversation.today())
        if q is None:
            return None
        if tap.value == NOT_SURE:
            return Pick(q.id, dict(NOT_SURE_JSON))
        if q.kind == YES_NO:
            return Pick(q.id, tap.value == "yes")
        if q.kind == END_DATE and tap.value == "still":
            return Pick(q.id, None)
        if q.kind == CHOICE and tap.value.isdigit() and int(tap.value) < len(q.choices):
            return Pick(q.id, q.choices[int(tap.value)])
        return None

    # --- one turn ----------------------------------------------------------------------
    async def _turn(self, update: Update, event: Event | EventFor, tapped: Message | None = None) -> Turn | None:
        """Commit, then send. Returns None (and sends nothing) for a stale tap or a redelivered update."""
        user_id = str(update.effective_user.id)
        chat = update.effective_chat
        turn = self.conversation.handle(user_id, event, state_update=_next_ask, update_id=update.update_id)
        if turn is None:
            return None
        ask = turn.session.channel_state.get("ask", 0) if turn.session else 0
        previous_kb = tapped.message_id if tapped is not None else (
            turn.previous_state.get("kb") if turn.previous_state else None)
        answers = dict(turn.flow.answers)
        understood = next((r for r in turn.replies if r.kind == "understood"), None)
        if previous_kb and understood is not None:
            await self._show_answer(chat.id, previous_kb, understood, answers, update)
        elif previous_kb:
            await self._drop_keyboard_by_id(chat.id, previous_kb, update)
        keyboard_message: int | None = None
        for reply in turn.replies:
            if reply is understood and previous_kb:
                continue  # shown in the question's own message
            if reply.kind == "mydata":
                await self._send_mydata(chat, reply.params["answers"])
                continue
            text = present(reply, answers, html=True, buttons=True, retention_days=self.settings.retention_days)
            markup = keyboard_for(reply, ask)
            chunks = split_message(text)
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                message = await send_reliably(lambda chunk=chunk, last=last: chat.send_message(
                    chunk, parse_mode=ParseMode.HTML, reply_markup=markup if last else None,
                    disable_web_page_preview=True))
                if last and hasattr(markup, "inline_keyboard"):
                    keyboard_message = message.message_id
            if reply.kind == "result":
                await self._send_pdf(chat, reply.params["assessment"])
        if turn.share and turn.share[0] and turn.session is not None and turn.session.recruiter_id:
            try:
                await self.recruiters.notify(update.get_bot(), turn.session.recruiter_id, turn.session.id)
            except Exception:  # noqa: BLE001 - the lead is stored; /leads shows it even if this fails
                log.warning("could not notify recruiter %s", turn.session.recruiter_id, exc_info=True)
        if turn.session is not None:
            self.conversation.remember(turn.session, {"kb": keyboard_message})
        return turn

    async def _send_pdf(self, chat: Any, assessment: Any) -> None:
        pdf = await asyncio.to_thread(checklist_pdf, assessment, load_rules())  # ~10 ms: not on the event loop
        name = f"lateral-entry-checklist-{assessment.as_of.isoformat()}.pdf"
        await send_reliably(lambda: chat.send_document(InputFile(pdf, filename=name), caption=_words("pdf_caption")))

    async def _show_answer(self, chat_id: int, message_id: int, understood: Reply, answers: dict[str, Any],
                           update: Update) -> None:
        """The answered question's message shows the question and how the answer was read, with
        no keyboard: the chat reads as a filled-in form, and the old buttons cannot be pressed."""
        question = present(ask(understood.question, answers), answers, html=True, buttons=True)
        text = f"{question}\n{understood_text(understood, html=True, change=True)}"
        try:
            await send_reliably(lambda: update.get_bot().edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=None))
        except BadRequest as err:  # already gone or not modified: the answer is stored either way
            log.debug("could not show the answer in place: %s", err)

    async def _send_mydata(self, chat: Any, answers: dict[str, Any]) -> None:
        data = json.dumps(answers, indent=2, ensure_ascii=False).encode()
        await send_reliably(lambda: chat.send_document(InputFile(data, filename="my-answers.json"),
                                                       caption=_words("mydata_caption")))

    async def _drop_keyboard(self, message: Message | None) -> None:
        if message is None:
            return
        try:
            await send_reliably(lambda: message.edit_reply_markup(reply_markup=None))
        except BadRequest:
            pass

    async def _drop_keyboard_by_id(self, chat_id: int, message_id: int, update: Update) -> None:
        try:
            await send_reliably(lambda: update.get_bot().edit_message_reply_markup(chat_id, message_id, reply_markup=None))
        except BadRequest:
            pass

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A database that is down, full or read-only is one line per failed update, and the
        applicant is asked to try again in a moment (nothing to recover: the next update opens a
        fresh connection). Anything else is a bug: logged with its traceback."""
        failure = describe(context.error, database_location(self.store.url)) if context.error else None
        if failure is not None:
            log.error("could not handle an update: %s", failure.line)
        else:
            log.error("error while handling an update", exc_info=context.error)
        note = Reply("note", params={"code": "unavailable" if failure else "error"})
        if isinstance(update, Update) and update.effective_chat is not None and not isinstance(context.error, Forbidden):
            try:
                await send_reliably(lambda: update.effective_chat.send_message(present(note, {})))
            except Exception:  # noqa: BLE001 - the apology is best effort
                log.warning("could not tell the user about the error", exc_info=True)


def _next_ask(session, result) -> dict[str, Any]:
    """Each prompt gets a new token, so older keyboards become stale."""
    return {"ask": int(session.channel_state.get("ask", 0)) + 1}


async def _post_init(app: Application) -> None:
    commands = [BotCommand(name, _words(f"command_{name}")) for name in COMMANDS]
    await send_reliably(lambda: app.bot.set_my_commands(commands))
    channel: TelegramChannel = app.bot_data["channel"]
    app.bot_data["purge_task"] = asyncio.create_task(_purge_forever(channel))


async def _post_shutdown(app: Application) -> None:
    task = app.bot_data.pop("purge_task", None)
    if task is not None:
        task.cancel()


async def _purge_forever(channel: TelegramChannel) -> None:
    """Retention inside the bot: the same purge as `lateral-screener purge`, every few hours."""
    while True:
        try:
            report = await asyncio.to_thread(channel.recruiting.purge, channel.settings.retention_days)
            log.info("purged %d sessions and %d applicants older than %s", report.sessions, report.applicants,
                     report.cutoff.date())
        except Exception:  # noqa: BLE001 - retried at the next tick
            log.warning("purge failed", exc_info=True)
        await asyncio.sleep(PURGE_EVERY_SECONDS)


def build_application(settings: Settings, store: Store | None = None, *, today: Callable[[], date] = date.today,
                      request: Any = None, updates_request: Any = None) -> Application:
    """The one Application factory: production (`lateral-screener telegram`) and tests share it."""
    store = store or Store(settings.database_url)
    channel = TelegramChannel(store, settings, today)
    builder = (ApplicationBuilder().token(settings.require_token())
               .base_url(settings.telegram_base_url).base_file_url(settings.telegram_base_file_url)
               .post_init(_post_init).post_shutdown(_post_shutdown))
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    app = builder.build()
    app.bot_data["channel"] = channel
    app.add_handler(CommandHandler("start", channel.on_start))
    app.add_handler(CommandHandler([c for c in COMMANDS if c != "start"], channel.on_command))
    app.add_handler(CommandHandler("recruiter", channel.recruiters.on_claim))
    app.add_handler(CommandHandler("leads", channel.recruiters.on_leads))
    app.add_handler(CommandHandler("stats", channel.recruiters.on_stats))
    app.add_handler(CommandHandler("export", channel.recruiters.on_export))
    app.add_handler(CallbackQueryHandler(channel.on_callback))
    app.add_handler(MessageHandler(filters.CONTACT, channel.on_contact))
    app.add_handler(MessageHandler(filters.COMMAND, channel.on_unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, channel.on_text))
    app.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, channel.on_other))
    app.add_error_handler(channel.on_error)
    return app
