"""Turns interview replies and assessments into what a channel sends, from templates/.

The same reply renders as plain text (terminal) or escaped HTML (Telegram); the JSON form
of an assessment is what `assess --format json` prints and `chat --json` sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

from bot.render import document_name, document_text, finding_text, fix_text, lines, macros, note_text
from dialogs.assessment import Assessment
from dialogs.interview import Reply
from dialogs.reading import Reask

RETENTION_DAYS_DEFAULT = 30
LEAD_RETENTION_DAYS_DEFAULT = 365


def reask_text(reask: Reask) -> str:
    """The sentence saying why an answer was not taken (a macro of templates/reasks.j2)."""
    macro = getattr(macros("reasks.j2", False), reask.code)
    params = {k: v for k, v in reask.params.items() if k in macro.arguments}
    return " ".join(str(macro(**params)).split())


def choice_label(field: str, value: str) -> str:
    return " ".join(str(macros("questions.j2", False).choice_label(field, value)).split())


def prompt_text(question: Any, answers: Mapping[str, Any], context: Mapping[str, Any] | None = None) -> str:
    return " ".join(str(macros("replies.j2", False).prompt(question, dict(answers), dict(context or {}))).split())


def understood_text(reply: Reply, html: bool = False, change: bool = False, web: bool = False) -> str:
    """How an answer was read ("✓ Certified on: June 2019"); `change` adds how to change it."""
    p = reply.params
    return " ".join(
        str(
            macros("replies.j2", html or web, web).understood(
                reply.question, p["value"], p.get("note"), p.get("note_params") or {}, change
            )
        ).split()
    )


def answer_value_text(question: Any, value: Any) -> str:
    return " ".join(str(macros("replies.j2", False).answer_value(question, value)).split())


def result_text(assessment: Assessment, html: bool = False, part: str = "full", web: bool = False) -> str:
    m = macros("result.j2", html or web, web)
    if part in ("full", "next_steps", "rest"):
        text = getattr(m, part)(assessment, assessment.rules)
    else:
        text = getattr(m, part)(assessment)
    return _tidy(str(text))


def _tidy(text: str) -> str:
    """Rendered blocks as lines: trailing spaces, outer blank lines and runs of blank lines gone."""
    return re.sub(r"\n{3,}", "\n\n", lines(text))


def present(
    reply: Reply,
    answers: Mapping[str, Any],
    *,
    html: bool = False,
    buttons: bool = False,
    retention_days: int = RETENTION_DAYS_DEFAULT,
    lead_retention_days: int = LEAD_RETENTION_DAYS_DEFAULT,
    terminal: bool = False,
    web: bool = False,
) -> str:
    """A reply's words: plain text, Telegram HTML (`html`), or the web page's HTML (`web`)."""
    html = html or web
    m = macros("replies.j2", html, web)
    p = reply.params
    kind = reply.kind
    a = dict(answers)
    if kind == "question":
        text = m.question(
            reply.question,
            a,
            previous=p.get("previous"),
            cleared=p.get("cleared", 0),
            buttons=buttons,
            again=p.get("again", False),
            context=p.get("context", {}),
        )
    elif kind == "reask":
        why = reask_text(p["reask"])
        why = str(escape(why)) if html else why
        if reply.question is None:
            return why
        text = why + "\n\n" + str(m.question(reply.question, a, buttons=buttons, context=p.get("context", {})))
    elif kind == "understood":
        text = understood_text(reply, html, change=True)
    elif kind == "review":
        text = m.review(
            p["items"], before_result=p.get("before_result", False), buttons=buttons, pending=p.get("pending", False)
        )
    elif kind == "result":
        text = result_text(p["assessment"], html, web=web)
    elif kind == "help":
        text = m.help(reply.question, a, terminal=terminal)
    elif kind == "privacy":
        text = m.privacy(retention_days, lead_retention_days, p.get("shared_with", ()), terminal)
    elif kind == "welcome":
        text = m.welcome(p.get("recruiter"), terminal=terminal)
    elif kind == "share_offer":
        text = m.share_offer(p["recruiter"], p.get("again", False), p.get("earlier_result", False))
    elif kind in ("share_later", "ask_contact"):
        text = getattr(m, kind)(p["recruiter"])
    elif kind == "shared":
        text = m.shared(p["recruiter"], p.get("contact"))
    elif kind == "note":
        text = m.note(
            p["code"], p.get("count", 0), p.get("recruiter"), p.get("recruiters", ()), reply.question, p.get("value")
        )
    elif kind == "resumed":
        text = m.resumed(p["count"])
    elif kind == "mydata":
        text = m.mydata(p["answers"])
    elif kind == "withdrawn":
        text = m.withdrawn(p.get("recruiters", ()))
    else:  # restarted, confirm_delete, confirm_restart, deleted, share_declined
        text = getattr(m, kind)()
    return _tidy(str(text))


def next_steps(a: Assessment) -> list[str]:
    """What comes next, one sentence per item (templates/result.j2, next_step_items)."""
    text = str(macros("result.j2", False).next_step_items(a, a.rules))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def assessment_json(a: Assessment) -> dict[str, Any]:
    """The assessment as `assess --format json` prints it: codes and values, with the words."""
    rules = a.rules
    return {
        "outcome": a.outcome,
        "pathway": a.pathway,
        "points": a.points.to_json() if a.points else None,
        "findings": [
            {
                "code": f.code,
                "rule": f.rule,
                "met": f.met,
                "effect": f.effect,
                "assumed": f.assumed,
                "text": finding_text(f),
            }
            for f in a.findings
        ],
        "notes": [{"code": n.code, "rule": n.rule, "text": note_text(n)} for n in a.notes],
        "checklist": [
            {"id": c.id, "rule": c.rule, "name": document_name(c), "text": document_text(c)} for c in a.checklist
        ],
        "what_would_change": [fix_text(fix) for fix in a.changes],
        "changes": [{"code": fix.code, "kind": fix.kind, "text": fix_text(fix)} for fix in a.changes],
        "next_steps": next_steps(a),
        "rules_version": a.rules_version,
        "as_of": a.as_of.isoformat(),
        "notice": " ".join(str(macros("result.j2", False).notice(rules.meta.rule)).split()),
    }
