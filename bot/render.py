"""One Jinja2 environment per output flavour, shared by every channel: the only place words
are rendered from templates/.

Plain text (terminal, answer reports, PDF) is not escaped; Telegram HTML is, so user text
can never inject markup. The web flavour is that HTML with the web's words where a channel
differs (commands are buttons there, not /commands; the place is kept by a cookie).
Filters give the American forms the audience expects: dates as
"June 1, 2015" (or "June 2015" for a month), spans as "2 years".
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import templates
from dialogs.answers import DateValue, parse_iso_date
from dialogs.reading.states import STATE_NAMES
from dialogs.rules import rules_in_force
from dialogs.spans import Span

TEMPLATE_DIR = Path(templates.__file__).parent


def us_date(value: Any) -> str:
    """June 1, 2015 / June 2015 from a date, a DateValue or an answer-file date string."""
    if isinstance(value, str):
        try:
            value = parse_iso_date(value)
        except ValueError:
            return value
    if isinstance(value, DateValue):
        if value.exact:
            value = value.earliest
        else:
            return f"{calendar.month_name[value.earliest.month]} {value.earliest.year}"
    if isinstance(value, date):
        return f"{calendar.month_name[value.month]} {value.day}, {value.year}"
    return str(value)


def months_after(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month (for an example date ahead)."""
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


def month_year(day: date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def answer_file(answers: Any) -> str:
    """An answer file as JSON, in the questions' order (as `mydata` and `answers` give it)."""
    return json.dumps(answers, indent=2, ensure_ascii=False)


def span_words(span: Span) -> str:
    parts = []
    if span.years:
        parts.append(f"{span.years} year" + ("s" if span.years != 1 else ""))
    if span.days or not parts:
        parts.append(f"{span.days} day" + ("s" if span.days != 1 else ""))
    return " ".join(parts)


def number(value: int) -> str:
    return f"{value:,}"


def duration(days: int) -> str:
    """Gaps as stored (whole days), with the months or years they amount to."""
    if days == 0:
        return "none"
    years, rest = divmod(days, 365)
    months = round(rest / 30)
    if months == 12:
        years, months = years + 1, 0
    parts = [f"{years} year" + ("s" if years != 1 else "")] if years else []
    if months:
        parts.append(f"{months} month" + ("s" if months != 1 else ""))
    about = " ".join(parts)
    return f"{days:,} days" + (f" (about {about})" if about and days >= 28 else "")


_US_PHONE = re.compile(r"^\+1(\d{3})(\d{3})(\d{4})$")


def contact_text(contact: str | None) -> str:
    """A U.S. number as Americans write it, "(205) 555-0100" (no leading "+", so a spreadsheet
    shows it as typed and never takes it for a formula); other numbers and e-mail addresses
    as given."""
    if not contact:
        return ""
    match = _US_PHONE.match(contact)
    return f"({match[1]}) {match[2]}-{match[3]}" if match else contact


def state_name(code: str) -> str:
    return STATE_NAMES.get(str(code).upper(), str(code))


def _plain(file: str, macro: str, *args: Any, **kwargs: Any) -> str:
    return " ".join(str(getattr(macros(file, False), macro)(*args, **kwargs)).split())


def finding_text(finding: Any) -> str:
    """The sentence for an engine finding (templates/findings.j2, one macro per code)."""
    return _plain("findings.j2", finding.code, finding)


def fix_text(fix: Any) -> str:
    return _plain("fixes.j2", fix.code, **fix.params)


def fix_topic(fix: Any) -> str:
    """The short noun phrase for an unknown or a review (a needs-review headline)."""
    return _plain("fixes.j2", "topic_" + fix.code, **fix.params)


def note_text(note: Any) -> str:
    return _plain("documents.j2", "note_" + note.code, **note.params)


def document_name(item: Any) -> str:
    return _plain("documents.j2", "name", getattr(item, "id", item))


def document_text(item: Any) -> str:
    return _plain("documents.j2", "document", getattr(item, "id", item))


@cache
def environment(html: bool = False, web: bool = False) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["html"] = html or web
    env.globals["web"] = web
    # Questions quote numbers (the minimum age, the duty span) from the version in force when
    # this process first renders; a result quotes its own version (`a.rules`), whenever shown.
    env.globals["rules"] = rules_in_force(date.today())
    env.filters["usdate"] = us_date
    env.filters["span"] = span_words
    env.filters["number"] = number
    env.filters["duration"] = duration
    env.filters["state_name"] = state_name
    env.filters["contact"] = contact_text
    env.filters["months_after"] = months_after
    env.filters["answer_file"] = answer_file
    env.filters["month_year"] = month_year
    env.filters["finding"] = finding_text
    env.filters["fix"] = fix_text
    env.filters["topic"] = fix_topic
    env.filters["note"] = note_text
    env.filters["document_name"] = document_name
    env.filters["document"] = document_text
    return env


def render(name: str, html: bool = False, **context: Any) -> str:
    return environment(html).get_template(name).render(**context).strip() + "\n"


@cache
def macros(name: str, html: bool, web: bool = False) -> Any:
    """A template's macros, built once per flavour (rendering a module is not free)."""
    return environment(html, web).get_template(name).module


def lines(text: Any) -> str:
    """Rendered text as lines: trailing spaces and outer blank lines dropped."""
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


def say(code: str, _file: str, html: bool = False, **params: Any) -> str:
    """One phrase (a macro), whitespace folded to single spaces."""
    macro = getattr(macros(_file, html), code)
    return " ".join(str(macro(**params)).split())


def block(code: str, _file: str, html: bool = False, **params: Any) -> str:
    """A macro rendered as a block of lines (trailing spaces and outer blank lines dropped)."""
    return lines(getattr(macros(_file, html), code)(**params))
