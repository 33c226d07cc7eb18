"""`lateral-screener assess FILE`: the engine on an answer file, for scripts and checks.

Its contract: exit 0 with the estimate, or exit 2 with one line naming the file and the
field, for any input whatsoever (see dialogs/answer_file.py for what is refused before the
fields are read). At most MAX_FILE_BYTES + 1 bytes are read, so `assess /dev/zero` stops
at once. Failures to write the result are the command line's (bot/cli.py).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date

from bot.presenter import assessment_json, result_text
from dialogs.answer_file import MAX_FILE_BYTES, decode, parse
from dialogs.answers import AnswerError, answers_from_json, check_plausible
from dialogs.eligibility import assess

EXIT_BAD_INPUT = 2
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_()]{1,40}")


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def _field(name: str) -> str:
    """A key as typed in the file, safe on one line: quoted and escaped unless it is a plain name."""
    if _PLAIN_NAME.fullmatch(name):
        return name
    return json.dumps(name if len(name) <= 40 else name[:40] + "…")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    today = date.today()
    try:
        data = parse(decode(_read(args.file)))
        answers = answers_from_json(data, today)
        check_plausible(answers, answers.as_of or today)
    except OSError as exc:
        print(_one_line(f"{name}: cannot read ({exc.strerror or exc})"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except AnswerError as exc:
        print(_one_line(f"{name}: field {_field(exc.field)}: {exc.message}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    assessment = assess(answers, today)
    if args.format == "json":
        sys.stdout.write(json.dumps(assessment_json(assessment), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result_text(assessment) + "\n")
    return 0
