"""The peer the screener is measured against: a plain python-telegram-bot screening bot.

A `ConversationHandler` with one state per question, inline keyboards, and each answer
committed to SQLite (raw sqlite3, WAL, synchronous=NORMAL: the screener's settings) before
the next question is sent. A tap is answered, its question's message edited to show the
answer, and the next question sent; a typed answer gets the next question. After the last
question, a one-line result. No interview logic, no retries, no version check: the floor
for "a bot that commits each answer before it replies".
"""

from __future__ import annotations

import sqlite3
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Yes", callback_data="yes"), InlineKeyboardButton("No", callback_data="no")],
     [InlineKeyboardButton("Not sure", callback_data="unsure")]]
)  # fmt: skip


class PeerBot:
    """`questions` questions; answers in `path` (one row per answer, the applicant's step beside it)."""

    def __init__(self, path: str, questions: int) -> None:
        self.questions = questions
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS answer (user_id INTEGER, question INTEGER, value TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS step (user_id INTEGER PRIMARY KEY, question INTEGER)")

    def commit(self, user_id: int, question: int, value: str | None) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        if value is not None:
            self.db.execute("INSERT INTO answer VALUES (?, ?, ?)", (user_id, question, value))
        self.db.execute("INSERT OR REPLACE INTO step VALUES (?, ?)", (user_id, question + 1))
        self.db.execute("COMMIT")

    async def ask(self, update: Update, question: int) -> int:
        chat = update.effective_chat
        assert chat is not None
        if question >= self.questions:
            await chat.send_message("Thank you: your answers are saved. Result: likely eligible.")
            return ConversationHandler.END
        await chat.send_message(f"Question {question + 1} of {self.questions}?", reply_markup=KEYBOARD)
        return question

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.effective_user is not None
        self.commit(update.effective_user.id, -1, None)
        return await self.ask(update, 0)

    def answer_handlers(self, question: int) -> list[Any]:
        async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            assert update.effective_user is not None and update.message is not None
            self.commit(update.effective_user.id, question, update.message.text)
            return await self.ask(update, question + 1)

        async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            query = update.callback_query
            assert query is not None and update.effective_user is not None
            await query.answer()
            self.commit(update.effective_user.id, question, query.data)
            await query.edit_message_text(f"Question {question + 1}: {query.data}")
            return await self.ask(update, question + 1)

        return [MessageHandler(filters.TEXT & ~filters.COMMAND, typed), CallbackQueryHandler(tapped)]

    def application(self, builder: ApplicationBuilder) -> Application:
        app = builder.build()
        app.add_handler(
            ConversationHandler(
                entry_points=[CommandHandler("start", self.start)],
                states={q: self.answer_handlers(q) for q in range(self.questions)},
                fallbacks=[CommandHandler("start", self.start)],
                per_message=False,
            )
        )
        return app

    def close(self) -> None:
        self.db.close()
