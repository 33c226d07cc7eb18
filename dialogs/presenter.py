"""Turns interview replies into the words a channel sends, from templates/replies.j2.

Pure: the same reply renders as plain text (terminal) or escaped HTML (Telegram).
"""
from __future__ import annotations

from typing import Any

from dialogs.interview import Reply
from dialogs.parsing import reask_text
from dialogs.render import lines, macros, render
from dialogs.rules import load_rules

RETENTION_DAYS_DEFAULT = 30


def _macros(html: bool) -> Any:
    return macros("replies.j2", html)


def choice_label(question: Any, value: str) -> str:
    return " ".join(str(_macros(False).choice_label(question, value)).split())


def present(reply: Reply, answers: dict[str, Any], *, html: bool = False, buttons: bool = False,
            retention_days: int = RETENTION_DAYS_DEFAULT) -> str:
    m = _macros(html)
    p = reply.params
    kind = reply.kind
    if kind == "question":
        text = m.question(reply.question, answers, previous=p.get("previous"), cleared=p.get("cleared", 0),
                          buttons=buttons)
    elif kind == "reask":
        reask = p["reask"]
        if reask.code == "contradiction":
            text = m.contradiction(reask.params["field"], reask.params["problem"])
        else:
            text = reask_text(reask)
            if html:
                from markupsafe import escape
                text = escape(text)
    elif kind == "review":
        text = m.review(p["items"], before_result=p.get("before_result", False), buttons=buttons)
    elif kind == "result":
        rules = load_rules()
        text = render("result.html.j2" if html else "result.txt.j2", html=html, a=p["assessment"], rules=rules)
    elif kind == "help":
        text = m.help(reply.question, answers)
    elif kind == "privacy":
        text = m.privacy(retention_days, p.get("shared", False), p.get("recruiter"))
    elif kind == "welcome":
        text = m.welcome(p.get("recruiter"))
    elif kind in ("share_offer", "ask_contact"):
        text = getattr(m, kind)(p["recruiter"])
    elif kind == "shared":
        text = m.shared(p["recruiter"], p.get("contact"))
    elif kind == "note":
        text = m.note(p["code"], p.get("count", 0))
    elif kind == "resumed":
        text = m.resumed(p["count"])
    else:  # restarted, confirm_delete, deleted, share_declined, withdrawn
        text = getattr(m, kind)()
    return lines(text)
