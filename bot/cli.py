"""The `lateral-screener` command line: one entry point for every channel and tool."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from bot import assess_command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lateral-screener", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("assess", help="assess an answer file (JSON) and print the estimate")
    p.add_argument("file", help="answer file, or - for standard input")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=assess_command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
