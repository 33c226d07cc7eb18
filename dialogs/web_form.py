"""What a web form's fields mean, channel-free: the web page posts one of

* `press` = "<button>:<value>" (a button of dialogs/buttons.py, e.g. "answer:yes", "review:3"),
* `command` = a command name (the page's Back, Review, Help... buttons),
* `text` = what the applicant typed (an answer, a contact, or a command word: the readers decide),

and this turns them into the interview's event. The page's own bookkeeping (CSRF, the step
token) is checked by the channel before; nothing here trusts the form beyond these fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from dialogs.buttons import BUTTONS, button_event
from dialogs.interview import COMMANDS, Command, Event, Flow, Text

PRESS, COMMAND, TEXT = "press", "command", "text"
MAX_TEXT = 1000  # characters: far more than any answer or contact; the rest is not read


def press_value(button: str, value: str) -> str:
    """The `press` field of a button (what the page puts in its value)."""
    return f"{button}:{value}"


def form_event(fields: Mapping[str, str], flow: Flow, today: date) -> Event | None:
    """The event a posted form stands for, or None when it stands for nothing the interview
    knows (an unknown button or command, a button that no longer fits the question)."""
    if PRESS in fields:
        button, _, value = fields[PRESS].partition(":")
        return button_event(flow, button, value, today) if button in BUTTONS else None
    if COMMAND in fields:
        name = fields[COMMAND]
        return Command(name) if name in COMMANDS else None
    if TEXT in fields:
        return Text(fields[TEXT][:MAX_TEXT])
    return None
