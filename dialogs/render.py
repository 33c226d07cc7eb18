"""One Jinja2 environment per output flavour, shared by every channel.

Plain text (terminal, answer reports, PDF) is not escaped; Telegram HTML is, so user text
can never inject markup.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import templates

TEMPLATE_DIR = Path(templates.__file__).parent


@lru_cache(maxsize=None)
def environment(html: bool = False) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["html"] = html
    return env


def render(name: str, html: bool = False, **context: Any) -> str:
    return environment(html).get_template(name).render(**context).strip() + "\n"


@lru_cache(maxsize=None)
def macros(name: str, html: bool) -> Any:
    """A template's macros, built once per flavour (rendering a module is not free)."""
    return environment(html).get_template(name).module


def lines(text: Any) -> str:
    """Rendered text as lines: trailing spaces and outer blank lines dropped."""
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


def say(code: str, _file: str = "phrases.j2", **params: Any) -> str:
    """One phrase (a macro in templates/phrases.j2), whitespace folded to single spaces."""
    macro = getattr(macros(_file, False), code)
    return " ".join(str(macro(**params)).split())


def block(code: str, _file: str, html: bool = False, **params: Any) -> str:
    """A macro rendered as a block of lines (trailing spaces and outer blank lines dropped)."""
    return lines(getattr(macros(_file, html), code)(**params))
