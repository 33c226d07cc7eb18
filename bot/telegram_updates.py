"""What a handler can count on in an update: the gate (TelegramChannel.gate) lets through only
updates with a sender and a chat, and each handler is registered for the update kind it reads,
so these are checks of that contract, not of Telegram's input."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, Update, User


def sender(update: Update) -> tuple[User, Chat]:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None, "the gate passes only updates with a sender and a chat"
    return user, chat


def message_of(update: Update) -> Message:
    message = update.effective_message
    assert message is not None, "registered for messages"
    return message


def query_of(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None, "registered for callback queries"
    return query


def tapped_message(query: CallbackQuery) -> Message | None:
    """The message with the tapped keyboard, unless Telegram no longer gives it (too old)."""
    return query.message if isinstance(query.message, Message) else None
