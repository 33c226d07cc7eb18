"""`lateral-screener chat`: the interview in a terminal, interactive or with piped answers.

Keyed by the local user name, so running it again resumes where that user stopped
(`--new` starts a fresh screening). Text is wrapped to the terminal's width, never cutting
a word. With `--json` it speaks JSON lines instead, one object per thing it says, for
integrations and scripted tests (see the README).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from bot.checklist_pdf import checklist_pdf
from bot.conversation import Conversation, Turn, next_ask
from bot.presenter import (
    answer_value_text,
    assessment_json,
    choice_label,
    present,
    prompt_text,
    reask_text,
    understood_text,
)
from bot.render import answer_file, block, say
from bot.settings import Settings
from dialogs.answers import CHOICE, END_DATE, YES_NO
from dialogs.interview import Event, Flow, Reply, Text, current_prompt, export_answers
from storage import SessionSnapshot, Store, data_dir, private_dir, private_file

CHANNEL = "terminal"
QUIT_WORDS = {"quit", "exit", "q", ":q", "/quit", "/exit", "bye"}
MIN_WIDTH, MAX_WIDTH = 40, 100


def applicant_key(user: str) -> str:
    """A short, stable, non-identifying key for the local applicant's files."""
    return hashlib.sha256(f"{CHANNEL}:{user}".encode()).hexdigest()[:12]


def pdf_path(folder: Path, user: str, turn: Turn) -> Path:
    assert turn.assessment is not None and turn.session is not None
    return folder / f"checklist-{turn.assessment.as_of.isoformat()}-{applicant_key(user)}-{turn.session.id}.pdf"


def save_pdf(turn: Turn, folder: Path, user: str) -> Path:
    assert turn.assessment is not None
    path = pdf_path(folder, user, turn)
    private_file(path, checklist_pdf(turn.assessment))
    return path


def tighten_pdfs(folder: Path) -> None:
    """An older install's checklist folder and PDFs become private too (0700, 0600)."""
    if not folder.is_dir():
        return
    private_dir(folder)
    for path in folder.glob("checklist-*.pdf"):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


def remove_pdfs(folder: Path, user: str) -> None:
    """`delete` erases the applicant's checklist PDFs too."""
    for path in folder.glob(f"checklist-*-{applicant_key(user)}-*.pdf"):
        path.unlink(missing_ok=True)


def wrap(text: str, width: int) -> str:
    """Each line wrapped to `width`; list items keep their hanging indent; no word is cut."""
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        lead = line[: len(line) - len(stripped)]
        marker = next(
            (
                m
                for m in (
                    "- ",
                    "[ ] ",
                    "[met]     ",
                    "[not met] ",
                    "[review]  ",
                    "[unknown] ",
                    "[assumed] ",
                    "• ",
                    "✓ ",
                )
                if stripped.startswith(m)
            ),
            "",
        )
        if not marker and stripped[:3].rstrip(". ").isdigit() and ". " in stripped[:5]:
            marker = stripped[: stripped.index(". ") + 2]
        out.append(
            textwrap.fill(
                stripped,
                width=width,
                initial_indent=lead,
                subsequent_indent=lead + " " * len(marker),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


class TerminalOutput:
    """Replies as wrapped text."""

    def __init__(self, out: TextIO, settings: Settings) -> None:
        self.out = out
        self.settings = settings
        columns = shutil.get_terminal_size((80, 24)).columns
        self.width = max(MIN_WIDTH, min(MAX_WIDTH, columns - 1 if out.isatty() else columns))

    def reply(self, reply: Reply, answers: dict[str, Any]) -> None:
        text = present(
            reply,
            answers,
            retention_days=self.settings.retention_days,
            lead_retention_days=self.settings.lead_retention_days,
            terminal=True,
        )
        self.out.write(wrap(text, self.width) + "\n\n")

    def note(self, code: str, text: str, **extra: Any) -> None:
        self.out.write(wrap(text, self.width) + "\n\n")

    def goodbye(self) -> None:
        self.out.write(wrap(say("goodbye", "console.j2"), self.width) + "\n")

    def flush(self) -> None:
        self.out.flush()


class JsonOutput:
    """Replies as JSON lines: one object per thing the bot says, flushed per line."""

    def __init__(self, out: TextIO, settings: Settings) -> None:
        self.out = out
        self.settings = settings

    def _emit(self, obj: dict[str, Any]) -> None:
        self.out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.out.flush()

    def reply(self, reply: Reply, answers: dict[str, Any]) -> None:
        kind, p, q = reply.kind, reply.params, reply.question
        if kind in ("question", "reask") and q is not None:
            reask = p.get("reask") if kind == "reask" else None
            obj: dict[str, Any] = {
                "type": "question",
                "id": q.id,
                "kind": q.kind,
                "text": prompt_text(q, answers, p.get("context")),
                "choices": _choices(q),
                "reask": reask is not None,
                "reason": reask.code if reask else None,
            }
            if reask is not None:
                obj["reask_text"] = reask_text(reask)
            if "previous" in p:
                obj["previous"] = p["previous"]
            self._emit(obj)
        elif kind == "understood" and q is not None:
            self._emit({"type": "understood", "id": q.id, "value": p["value"], "text": understood_text(reply)})
        elif kind == "review":
            items = p["items"]
            self._emit(
                {
                    "type": "review",
                    "answers": {question.id: value for _, question, value in items},
                    "text": present(reply, answers),
                }
            )
        elif kind == "result":
            self._emit({"type": "result", "assessment": assessment_json(p["assessment"])})
        else:
            code = p.get("code", kind) if kind == "note" else (p["reask"].code if kind == "reask" else kind)
            text = present(
                reply,
                answers,
                retention_days=self.settings.retention_days,
                lead_retention_days=self.settings.lead_retention_days,
                terminal=True,
            )
            obj = {"type": "note", "code": code, "text": text}
            if kind == "mydata":
                obj["answers"] = p["answers"]
            self._emit(obj)

    def note(self, code: str, text: str, **extra: Any) -> None:
        self._emit({"type": "note", "code": code, "text": text, **extra})

    def goodbye(self) -> None:
        """Nothing: the end of input is the end of the conversation."""

    def flush(self) -> None:
        self.out.flush()


def _choices(q: Any) -> list[dict[str, Any]]:
    if q.kind == CHOICE:
        return [{"value": v, "label": choice_label(q.id, v)} for v in q.choices]
    if q.kind == YES_NO:
        return [
            {"value": True, "label": say("yes", "telegram.j2")},
            {"value": False, "label": say("no", "telegram.j2")},
        ]
    if q.kind == END_DATE:
        return [{"value": None, "label": say("still_serving", "telegram.j2")}]
    return []


def _token(session: SessionSnapshot | None) -> int | None:
    return session.channel_state.get("ask") if session is not None else None


class Window:
    """This terminal's view of the screening: the token of the prompt it showed last.

    Two windows (or a window and a script) may work on the same applicant. A typed line
    answers the prompt this window showed, so it is applied only while that prompt is still
    the current one, judged on the fresh session inside the write's retry (the token of the
    Telegram keyboards); otherwise the window says another one moved on and shows where the
    screening is now, and the next line answers that.
    """

    def __init__(self, conversation: Conversation, user: str) -> None:
        self.conversation = conversation
        self.user = user
        self.shown: int | None = None

    def _seen(self, turn: Turn | None) -> Turn | None:
        if turn is not None:
            self.shown = _token(turn.session)
        return turn

    def start(self, fresh: bool) -> Turn | None:
        return self._seen(self.conversation.begin(self.user, fresh=fresh, state_update=next_ask))

    def line(self, text: str) -> Turn | None:
        def event_for(session: SessionSnapshot, flow: Flow) -> Event | None:
            return Text(text) if _token(session) == self.shown else None

        turn = self.conversation.handle(self.user, event_for, state_update=next_ask)
        if turn is not None:
            return self._seen(turn)
        session, flow = self.conversation.load(self.user)
        self.shown = _token(session)
        moved_on = Reply("note", params={"code": "moved_on"})
        return Turn((moved_on, current_prompt(flow, self.conversation.today())), flow, session, None)


def run_chat(
    settings: Settings,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    user_id: str | None = None,
    today: Callable[[], date] = date.today,
    pdf_dir: Path | None = None,
    *,
    new: bool = False,
    json_lines: bool = False,
) -> int:
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout  # looked up when called, not when imported
    user = user_id or getpass.getuser()
    pdf_dir = pdf_dir or data_dir() / "checklists"
    out: TerminalOutput | JsonOutput = JsonOutput(stdout, settings) if json_lines else TerminalOutput(stdout, settings)
    store = Store(settings.database_url)
    tighten_pdfs(pdf_dir)
    try:
        window = Window(Conversation(store, CHANNEL, today), user)
        show = _shower(out, settings, pdf_dir, user)
        show(window.start(fresh=new))
        interactive = stdin.isatty() and not json_lines
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
            show(window.line(text))
        out.goodbye()
        return 0
    finally:
        store.close()


def _shower(
    out: TerminalOutput | JsonOutput, settings: Settings, pdf_dir: Path, user: str
) -> Callable[[Turn | None], None]:
    def show(turn: Turn | None) -> None:
        if turn is None:
            return
        answers = dict(turn.flow.answers)
        for reply in turn.replies:
            out.reply(reply, answers)
        if turn.session is None:  # deleted: their files go too
            remove_pdfs(pdf_dir, user)
        elif turn.assessment is not None:
            path = save_pdf(turn, pdf_dir, user)
            out.note("pdf_saved", block("pdf_saved", "console.j2", path=str(path)), path=str(path))
        out.flush()

    return show


def print_answers(
    settings: Settings,
    fmt: str,
    stdout: TextIO | None = None,
    user_id: str | None = None,
    today: Callable[[], date] = date.today,
) -> int:
    """`lateral-screener answers`: the local applicant's stored answers as an answer file."""
    stdout = stdout or sys.stdout
    user = user_id or getpass.getuser()
    with Store(settings.database_url) as store:
        session = Conversation(store, CHANNEL, today).current(user)
    answers = session.answers if session else {}
    data = export_answers(answers, today())
    if fmt == "json":
        stdout.write(answer_file(data) + "\n")
    else:
        from dialogs.questions import BY_ID

        for name, value in data.items():
            label = "as of" if name == "as_of" else name
            shown = value if name == "as_of" else answer_value_text(BY_ID[name], value)
            stdout.write(f"{label}: {shown}\n")
    return 0
