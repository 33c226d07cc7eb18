"""The `lateral-screener` command line: one entry point for every channel and tool."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot import admin_commands, assess_command
from bot.errors import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_PIPE_CLOSED, describe, silence_stdout
from bot.settings import ConfigError, Settings
from storage import configured_database_location


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lateral-screener", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assess", help="assess an answer file (JSON) and print the estimate")
    p.add_argument("file", help="answer file, or - for standard input")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=assess_command.run)
    p = sub.add_parser("chat", help="run the screening interview in this terminal (resumes where you stopped)")
    p.add_argument("--new", action="store_true", help="start a fresh screening instead of resuming")
    p.add_argument(
        "--json",
        action="store_true",
        help="JSON lines: one message per line in, one JSON object per line out (for integrations)",
    )
    p.set_defaults(run=_chat)
    p = sub.add_parser("answers", help="print your stored answers as an answer file (for assess -)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.set_defaults(run=_answers)
    p = sub.add_parser("telegram", help="run the Telegram bot (long polling, or a webhook server with --webhook-url)")
    p.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to; without it, long polling")
    p.add_argument("--listen", default="127.0.0.1", help="address the webhook server binds (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8443, help="port the webhook server binds (default 8443)")
    p.add_argument("--url-path", default="telegram", help="path of the webhook endpoint (default 'telegram')")
    p.add_argument(
        "--secret-token",
        default=None,
        help="secret Telegram must send in X-Telegram-Bot-Api-Secret-Token (or WEBHOOK_SECRET)",
    )
    p.set_defaults(run=_telegram)
    p = sub.add_parser(
        "serve",
        help="the web server: the screener in a browser (/), recruiter dashboard, /healthz and the Telegram "
        "webhook (with a token)",
    )
    p.add_argument("--listen", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to bind (default 8080)")
    p.add_argument("--url-path", default="telegram", help="path of the webhook endpoint (default 'telegram')")
    p.add_argument(
        "--secret-token",
        default=None,
        help="webhook secret (or WEBHOOK_SECRET; default: derived from SECRET_KEY)",
    )
    p.set_defaults(run=_serve)
    admin_commands.add_parsers(sub)
    return parser


def _telegram(args: argparse.Namespace) -> int:
    from bot.telegram_runner import run_telegram

    return run_telegram(Settings.from_environment(), args)


def _serve(args: argparse.Namespace) -> int:
    from bot.web.serve import run_serve

    return run_serve(Settings.from_environment(), args)


def _chat(args: argparse.Namespace) -> int:
    from bot.console import run_chat

    return run_chat(Settings.from_environment(), new=args.new, json_lines=args.json)


def _answers(args: argparse.Namespace) -> int:
    from bot.console import print_answers

    return print_answers(Settings.from_environment(), args.format)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; operational failures end in one line and their exit code (bot/errors.py)."""
    args = build_parser().parse_args(argv)
    try:
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, while it can still be said
        return status
    except ConfigError as err:
        print(f"lateral-screener: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()  # whoever reads our output stopped reading: nothing to say
        return EXIT_PIPE_CLOSED
    except Exception as exc:
        failure = describe(exc, configured_database_location())
        if failure is None:
            raise  # a bug: keep the traceback
        if isinstance(exc, OSError) and exc.filename is None:
            silence_stdout()
        print(f"lateral-screener: {failure.line}", file=sys.stderr)
        return failure.exit_code


if __name__ == "__main__":
    sys.exit(main())
