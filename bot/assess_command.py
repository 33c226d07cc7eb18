"""`lateral-screener assess FILE`: the engine on an answer file, for scripts and checks."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from bot.presenter import assessment_json, result_text
from dialogs.answers import AnswerError, answers_from_json
from dialogs.eligibility import assess
from dialogs.rules import load_rules

EXIT_BAD_INPUT = 2


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def run(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    try:
        data = json.loads(_read(args.file))
        answers = answers_from_json(data, date.today())
    except OSError as exc:
        print(f"{name}: cannot read ({exc.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{name}: not valid JSON ({exc})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AnswerError as exc:
        print(f"{name}: field {exc.field}: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    rules = load_rules()
    assessment = assess(answers, date.today(), rules)
    if args.format == "json":
        print(json.dumps(assessment_json(assessment), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(result_text(assessment) + "\n")
    return 0
