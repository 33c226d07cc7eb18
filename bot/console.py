"""`lateral-screener chat`: the interview in a terminal, interactive or with piped answers.

Keyed by the local user name, so running it again resumes where that user stopped.
"""
from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path
from typing import Callable, TextIO

from bot.checklist_pdf import checklist_pdf
from bot.conversation import Conversation, Turn
from bot.settings import Settings
from dialogs.interview import Command, Text
from dialogs.presenter import present
from dialogs.render import say
from dialogs.rules import load_rules
from storage import Store, data_dir

CHANNEL = "terminal"
QUIT_WORDS = {"quit", "exit", "q", ":q"}


def save_pdf(turn: Turn, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    assert turn.assessment is not None and turn.session is not None
    path = folder / f"checklist-{turn.assessment.as_of.isoformat()}-{turn.session.id}.pdf"
    path.write_bytes(checklist_pdf(turn.assessment, load_rules()))
    return path


def _show(turn: Turn, out: TextIO, settings: Settings, pdf_dir: Path) -> None:
    answers = dict(turn.flow.answers)
    for reply in turn.replies:
        out.write(present(reply, answers, retention_days=settings.retention_days) + "\n\n")
    if turn.assessment is not None:
        path = save_pdf(turn, pdf_dir)
        out.write(say("pdf_saved", _file="console.j2", path=str(path)) + "\n\n")
    out.flush()


def run_chat(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
             user_id: str | None = None, today: Callable[[], date] = date.today,
             pdf_dir: Path | None = None) -> int:
    user = user_id or getpass.getuser()
    pdf_dir = pdf_dir or data_dir() / "checklists"
    store = Store(settings.database_url)
    try:
        conversation = Conversation(store, CHANNEL, today)
        _show(conversation.handle(user, Command("start")), stdout, settings, pdf_dir)
        interactive = stdin.isatty()
        while True:
            if interactive:
                stdout.write("> ")
                stdout.flush()
            line = stdin.readline()
            if not line:
                break
            text = line.rstrip("\r\n")
            if text.strip().lower() in QUIT_WORDS:
                break
            _show(conversation.handle(user, Text(text)), stdout, settings, pdf_dir)
        stdout.write(say("goodbye", _file="console.j2") + "\n")
        return 0
    finally:
        store.close()
