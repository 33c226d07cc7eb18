"""The Telegram channel: a thin python-telegram-bot adapter around bot.conversation.

Every handler loads the session from the database, steps the interview, commits, and only
then sends. Interview state never lives in PTB's memory or persistence.

Telegram conventions it keeps: screenings happen in private chats only (a group gets one
pointer to a private chat, and nothing is stored); an edited message is not an answer; a
tap is acknowledged before the work of the step; an answered question's message is edited
to show the answer; the result comes as a short verdict first, then the details; flood
control is python-telegram-bot's AIORateLimiter and retention runs on its JobQueue.

Nothing blocks the event loop: database work runs in a thread, updates of different
applicants are handled at the same time (bot/update_order.py keeps one applicant's in
order), and the checklist PDF follows the result in a task of its own, so neither the
result nor anyone else waits for it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Callable
from datetime import date
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, Chat, InputFile, Message, Update
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.bot_api_request import AiohttpRequest
from bot.checklist_pdf import checklist_pdf
from bot.conversation import LINK_CODE, Conversation, EventFor, Referral, Turn, next_ask, referral_for
from bot.errors import describe
from bot.keyboards import BUTTON_OF, Tap, keyboard_for, parse_callback
from bot.messages import send_html, send_reliably
from bot.presenter import present, result_text, understood_text
from bot.recruiter_telegram import CALLBACK_PREFIX, RECRUITER_COMMANDS, RecruiterCommands
from bot.render import answer_file, say
from bot.settings import Settings
from bot.telegram_updates import message_of, query_of, sender, tapped_message
from bot.update_order import PerApplicantOrder
from dialogs.buttons import button_event
from dialogs.interview import ASK_CONTACT, COMMANDS, REFERRED, Command, Event, Flow, Pick, Reply, Text, ask
from storage import SessionSnapshot, Store, database_location
from storage.recruiting import Recruiting
from storage.retention import purge

log = logging.getLogger(__name__)
CHANNEL = "telegram"
DEEP_LINK = LINK_CODE
PURGE_EVERY_SECONDS = 6 * 3600
POINTED_GROUPS = 1024  # group chats already pointed to a private chat (per process, bounded)
RESULT_PARTS = ("verdict", "details", "rest")
BOT_API_CONNECTIONS = 8  # kept-alive connections to the Bot API (calls beyond wait for one)
BOT_API_POOL_TIMEOUT = 30.0  # seconds a call may wait for a free connection


def _words(code: str, **params: Any) -> str:
    return say(code, "telegram.j2", **params)


class TelegramChannel:
    def __init__(self, store: Store, settings: Settings, today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.settings = settings
        self.recruiting = Recruiting(store)
        self.recruiters = RecruiterCommands(self.recruiting, settings.timezone, settings)
        self.conversation = Conversation(store, CHANNEL, today)
        self._pointed: deque[int] = deque(maxlen=POINTED_GROUPS)
        self._follow_ups: dict[int, asyncio.Task[Any]] = {}  # per chat: what is still to be sent after a turn
        self.application: Application | None = None  # set by build_application (follow-ups are its tasks)

    # --- before any handler: private chats only, edits are not answers ------------------
    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs first for every update; stops the ones no screening handler may see."""
        chat = update.effective_chat
        if update.effective_user is None or chat is None:
            raise ApplicationHandlerStop  # channel posts, anonymous senders: nothing to do
        if chat.type != ChatType.PRIVATE:
            await self._point_to_private(update, context)
            raise ApplicationHandlerStop
        if update.edited_message is not None:
            await send_reliably(lambda: chat.send_message(self._note("edited"), parse_mode=ParseMode.HTML))
            raise ApplicationHandlerStop

    async def _point_to_private(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One short pointer per group, only when someone addressed the bot with a command."""
        message = update.effective_message
        chat = update.effective_chat
        text = message.text if message is not None and message.text else ""
        if not text.startswith("/") or chat is None or chat.id in self._pointed:
            return
        self._pointed.append(chat.id)
        parts = text.split()
        code = parts[1] if parts[0].split("@")[0] == "/start" and len(parts) > 1 and DEEP_LINK.match(parts[1]) else None
        link = f"https://t.me/{context.bot.username}" + (f"?start={code}" if code else "")
        await send_reliably(
            lambda: chat.send_message(
                _words("private_only", link=link), parse_mode=ParseMode.HTML, disable_web_page_preview=True
            )
        )

    # --- handlers ----------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, or a deep link: a recruiter's link (unknown or disabled codes start a normal
        screening) attributes the screening to them, in the turn's own write."""
        code = context.args[0] if context.args else None
        referral = await asyncio.to_thread(referral_for, self.recruiting, code) if code else None  # a database read
        await self._turn(update, Command(REFERRED if referral else "start"), referral=referral)

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Telegram's share-contact button: only the applicant's own number, only when asked."""
        user, chat = sender(update)
        contact = message_of(update).contact
        assert contact is not None  # registered for filters.CONTACT
        if contact.user_id != user.id:
            await send_reliably(lambda: chat.send_message(_words("own_contact_only")))
            return
        digits = re.sub(r"\D", "", contact.phone_number or "")

        def event_for(session: SessionSnapshot, flow: Flow) -> Event:
            if flow.share == ASK_CONTACT:
                return Pick("contact", "+" + digits)
            return Command("contact_not_asked")  # nothing is stored

        await self._turn(update, event_for)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = (message_of(update).text or "/").split()[0][1:].split("@")[0].lower()
        if name == "mydata":
            _, chat = sender(update)
            await send_reliably(lambda: chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT))
        await self._turn(update, Command(name))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._turn(update, Text(message_of(update).text or ""))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._turn(update, Command("not_text"))

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._turn(update, Command("unknown_command"))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The tap is acknowledged first (the button stops spinning at once); a stale one is
        told so and changes nothing."""
        query = query_of(update)
        user, chat = sender(update)
        tap = parse_callback(query.data)
        stale = tap is None or not await self._looks_current(str(user.id), tap)
        await send_reliably(lambda: query.answer(_words("stale_tap") if stale else None), idempotent=True)
        if stale:
            await self._drop_keyboard(tapped_message(query))
            return

        def event_for(session: SessionSnapshot, flow: Flow) -> Event | None:
            """Judged again on the session the turn applies to, inside the retry: a double tap
            that raced another worker finds its token spent and changes nothing."""
            if tap is None or not _tap_is_current(tap, session.channel_state):
                return None
            return self._event_for(tap, flow)

        turn = await self._turn(update, event_for, tapped=tapped_message(query))
        if turn is None:
            await self._drop_keyboard(tapped_message(query))

    async def _looks_current(self, user_id: str, tap: Tap) -> bool:
        """A quick look before the step (so the tap can be answered first): this process's view
        of the session, and the stored one when that view says stale (another worker may have
        moved on). The step judges again, inside its transaction."""
        seen = self.conversation.recent(user_id)
        if seen is not None and _tap_is_current(tap, seen.channel_state):
            return True
        stored = await asyncio.to_thread(self.store.current_session, CHANNEL, user_id)
        return stored is not None and _tap_is_current(tap, stored.channel_state)

    def _event_for(self, tap: Tap, flow: Flow) -> Event | None:
        return button_event(flow, BUTTON_OF[tap.kind], tap.value, self.conversation.today())

    # --- one turn ----------------------------------------------------------------------
    async def _turn(
        self, update: Update, event: Event | EventFor, tapped: Message | None = None, referral: Referral | None = None
    ) -> Turn | None:
        """Commit, then send. Returns None (and sends nothing) for a stale tap or a redelivered update."""
        user, chat = sender(update)
        turn = await asyncio.to_thread(
            self.conversation.handle,
            str(user.id),
            event,
            state_update=next_ask,
            update_id=update.update_id,
            referral=referral,
        )
        if turn is None:
            return None
        await self.settled(chat.id)  # what an earlier turn still had to send comes first
        ask_token = turn.session.channel_state.get("ask", 0) if turn.session else 0
        before = turn.previous_state or {}
        previous_kb = tapped.message_id if tapped is not None else before.get("kb")
        answers = dict(turn.flow.answers)
        understood = next((r for r in turn.replies if r.kind == "understood"), None)
        # The answer is shown in its question's own message only when that message is known to be
        # this question's (a tap on it, or the keyboard this chat last got for it): another worker's
        # older keyboard id must never receive this answer.
        shown_in: int | None = None
        if understood is not None and understood.question is not None and isinstance(previous_kb, int):
            if tapped is not None or before.get("kb_q") == understood.question.id:
                shown_in = previous_kb
        if shown_in is not None and understood is not None:
            await self._show_answer(chat.id, shown_in, understood, answers, update)
        elif previous_kb:
            await self._drop_keyboard_by_id(chat.id, previous_kb, update)
        keyboard_message: int | None = None
        keyboard_question: str | None = None
        for reply in turn.replies:
            if reply is understood and shown_in is not None:
                continue  # shown in the question's own message
            if reply.kind == "mydata":
                await self._send_mydata(chat, reply.params["answers"])
                continue
            if reply.kind == "result":
                await self._send_result(chat, reply.params["assessment"], update)
                continue
            text = present(
                reply,
                answers,
                html=True,
                buttons=True,
                retention_days=self.settings.retention_days,
                lead_retention_days=self.settings.lead_retention_days,
            )
            sent = await self._send(chat, text, keyboard_for(reply, ask_token))
            if sent is not None:
                keyboard_message = sent
                keyboard_question = reply.question.id if reply.question is not None else None
        if turn.lead_events:
            await self.recruiters.deliver(update.get_bot(), turn.lead_events)
        if turn.session is not None:
            self.conversation.remember(turn.session, {"kb": keyboard_message, "kb_q": keyboard_question})
        return turn

    async def _send(self, chat: Chat, text: str, markup: Any = None) -> int | None:
        """Send `text`; the id of the message holding an inline keyboard, if it has one."""
        message = await send_html(chat.send_message, text, markup)
        return message.message_id if hasattr(markup, "inline_keyboard") else None

    async def _send_result(self, chat: Any, assessment: Any, update: Update) -> None:
        """A result made for a phone: the short verdict first, then the findings and what would
        change it, then the documents and what comes next; the checklist PDF follows on its own
        (made in a thread, ~10 ms), so the turn is over once the result is sent."""
        for part in RESULT_PARTS:
            text = result_text(assessment, html=True, part=part)
            if text.strip():
                await self._send(chat, text)
        self._follow_up(chat.id, self._send_checklist(chat, assessment), update)

    async def _send_checklist(self, chat: Any, assessment: Any) -> None:
        """The chat shows "sending a file..." while the PDF is made, outside the turn."""
        await send_reliably(lambda: chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT), idempotent=True)
        pdf = await asyncio.to_thread(checklist_pdf, assessment)
        name = f"lateral-entry-checklist-{assessment.as_of.isoformat()}.pdf"
        await send_reliably(lambda: chat.send_document(InputFile(pdf, filename=name), caption=_words("pdf_caption")))

    def _follow_up(self, chat_id: int, sending: Any, update: Update) -> None:
        """Send later, in a task of the application (its errors reach on_error with the update;
        Application.stop waits for it). The chat's next turn waits for it first (`settled`)."""
        app = self.application
        if app is not None and app.running:
            task: asyncio.Task[Any] = app.create_task(sending, update=update, name=f"follow-up {chat_id}")
        else:  # driven without start() (benchmarks): whoever drives it awaits `settled`
            task = asyncio.ensure_future(sending)
        self._follow_ups[chat_id] = task

        def forget(done: asyncio.Task[Any]) -> None:
            if self._follow_ups.get(chat_id) is done:
                del self._follow_ups[chat_id]

        task.add_done_callback(forget)

    async def settled(self, chat_id: int) -> None:
        """Wait until what earlier turns of this chat still had to send is sent (or failed)."""
        task = self._follow_ups.get(chat_id)
        if task is not None and not task.done():
            await asyncio.wait([task])

    async def all_settled(self) -> None:
        """Wait until every chat's follow-ups are sent (or failed)."""
        while self._follow_ups:
            await asyncio.wait(list(self._follow_ups.values()))

    async def _show_answer(
        self, chat_id: int, message_id: int, understood: Reply, answers: dict[str, Any], update: Update
    ) -> None:
        """The answered question's message shows the question and how the answer was read, with
        no keyboard: the chat reads as a filled-in form, and the old buttons cannot be pressed."""
        assert understood.question is not None  # an answer is always to a question
        question = present(
            ask(understood.question, answers, self.conversation.today()), answers, html=True, buttons=True
        )
        text = f"{question}\n{understood_text(understood, html=True, change=True)}"
        try:
            await send_reliably(
                lambda: update.get_bot().edit_message_text(
                    text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=None
                ),
                idempotent=True,
            )
        except BadRequest as err:  # already gone or not modified: the answer is stored either way
            log.debug("could not show the answer in place: %s", err)

    async def _send_mydata(self, chat: Any, answers: dict[str, Any]) -> None:
        data = answer_file(answers).encode()
        await send_reliably(
            lambda: chat.send_document(InputFile(data, filename="my-answers.json"), caption=_words("mydata_caption"))
        )

    async def _drop_keyboard(self, message: Message | None) -> None:
        if message is None:
            return
        try:
            await send_reliably(lambda: message.edit_reply_markup(reply_markup=None), idempotent=True)
        except BadRequest:
            pass

    async def _drop_keyboard_by_id(self, chat_id: int, message_id: int, update: Update) -> None:
        try:
            await send_reliably(
                lambda: update.get_bot().edit_message_reply_markup(chat_id, message_id, reply_markup=None),
                idempotent=True,
            )
        except BadRequest:
            pass

    def _note(self, code: str) -> str:
        return present(Reply("note", params={"code": code}), {}, html=True)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A database that is down, full or read-only is one line per failed update, and the
        applicant is asked to try again in a moment (nothing to recover: the next update opens a
        fresh connection). Anything else is a bug: logged with its traceback."""
        failure = describe(context.error, database_location(self.store.url)) if context.error else None
        if failure is not None:
            log.error("could not handle an update: %s", failure.line)
        else:
            log.error("error while handling an update", exc_info=context.error)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None and chat.type == ChatType.PRIVATE and not isinstance(context.error, Forbidden):
            try:
                note = self._note("unavailable" if failure else "error")
                await send_reliably(lambda: chat.send_message(note, parse_mode=ParseMode.HTML))
            except Exception:  # noqa: BLE001 - the apology is best effort
                log.warning("could not tell the user about the error", exc_info=True)


def _tap_is_current(tap: Tap, state: dict[str, Any]) -> bool:
    """A tap counts if its keyboard is the latest prompt's, or (for an answer keyboard) was
    shown for the question that is still being asked (a question shown again after /help)."""
    latest = state.get("ask")
    if tap.ask == latest:
        return True
    asked = state.get("asked") or {}
    question = asked.get(str(tap.ask))
    return tap.kind == "a" and question is not None and question == asked.get(str(latest))


async def _post_init(app: Application) -> None:
    commands = [BotCommand(name, _words(f"command_{name}")) for name in COMMANDS]
    await send_reliably(lambda: app.bot.set_my_commands(commands), idempotent=True)
    channel: TelegramChannel = app.bot_data["channel"]
    if app.job_queue is not None:
        app.job_queue.run_repeating(_purge, interval=PURGE_EVERY_SECONDS, first=0, name="retention purge", data=channel)


async def _purge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Retention inside the bot: the same purge as `lateral-screener purge`, on PTB's JobQueue."""
    channel: TelegramChannel = context.job.data  # type: ignore[union-attr,assignment]
    try:
        report = await asyncio.to_thread(
            purge, channel.store, channel.settings.retention_days, channel.settings.lead_retention_days
        )
        log.info("purged %d screenings, %d leads and %d applicants", report.sessions, report.leads, report.applicants)
    except Exception as err:  # noqa: BLE001 - retried at the next run
        failure = describe(err, database_location(channel.store.url))
        if failure is not None:
            log.warning("purge failed, will retry: %s", failure.line)
        else:
            log.warning("purge failed, will retry", exc_info=True)


async def set_recruiter_menu(bot: Any, chat_id: int) -> None:
    """A linked recruiter's command menu: the applicant commands and the recruiter ones."""
    commands = [BotCommand(name, _words(f"command_{name}")) for name in (*COMMANDS, *RECRUITER_COMMANDS)]
    await send_reliably(lambda: bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id)), idempotent=True)


def build_application(
    settings: Settings,
    store: Store | None = None,
    *,
    today: Callable[[], date] = date.today,
    request: Any = None,
    updates_request: Any = None,
) -> Application:
    """The one Application factory: production (`lateral-screener telegram`) and tests share it."""
    store = store or Store(settings.database_url)
    channel = TelegramChannel(store, settings, today)
    channel.recruiters.on_linked = set_recruiter_menu
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_max_rate, overall_time_period=1, max_retries=3))
        .post_init(_post_init)
    )
    if request is not None:
        builder = builder.request(request)
    else:  # the Bot API calls over aiohttp (bot/bot_api_request.py: a third of a worker's CPU was httpx)
        builder = builder.request(AiohttpRequest(BOT_API_CONNECTIONS, pool_timeout=BOT_API_POOL_TIMEOUT))
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    app = builder.concurrent_updates(PerApplicantOrder()).build()
    app.bot_data["channel"] = channel
    channel.application = app
    app.add_handler(TypeHandler(Update, channel.gate), group=-1)
    app.add_handler(CommandHandler("start", channel.on_start))
    app.add_handler(CommandHandler([c for c in COMMANDS if c != "start"], channel.on_command))
    app.add_handler(CommandHandler("recruiter", channel.recruiters.on_claim))
    app.add_handler(CommandHandler("leads", channel.recruiters.on_leads))
    app.add_handler(CommandHandler("stats", channel.recruiters.on_stats))
    app.add_handler(CommandHandler("export", channel.recruiters.on_export))
    app.add_handler(CommandHandler("dashboard", channel.recruiters.on_dashboard))
    app.add_handler(CallbackQueryHandler(channel.recruiters.on_callback, pattern=f"^{CALLBACK_PREFIX}"))
    app.add_handler(CallbackQueryHandler(channel.on_callback))
    app.add_handler(MessageHandler(filters.CONTACT, channel.on_contact))
    app.add_handler(MessageHandler(filters.COMMAND, channel.on_unknown_command))
    app.add_handler(MessageHandler(filters.TEXT, channel.on_text))
    app.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, channel.on_other))
    app.add_error_handler(channel.on_error)
    return app
