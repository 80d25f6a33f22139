"""The command line: ``aiops-bot investigate | history | report | purge | sandbox | demo | watch | serve | approvals``.

Every command turns user errors (bad config, unknown alarm, malformed ARN,
missing scenario, AWS errors) into one line on stderr and a non-zero exit;
never a traceback. Results go to stdout; progress goes to stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import sqlite3
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from bot.aws import AwsError
from bot.config import MAX_WINDOW_HOURS, ConfigError
from bot.engine import InvestigationError
from bot.store import StoreError

log = logging.getLogger("bot.cli")

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAIL):
        super().__init__(message)
        self.code = code


def _add_verbose(p: argparse.ArgumentParser) -> None:
    """-v also after the subcommand (SUPPRESS: not given there, the main parser's value stands)."""
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging on stderr")


def _add_common(p: argparse.ArgumentParser, scenario: bool = True) -> None:
    _add_verbose(p)
    p.add_argument("--config", help="config file (default: $AIOPS_CONFIG or ./config.yaml)")
    p.add_argument("--db", help="SQLite database (default: $AIOPS_DB or ./.aiops/aiops.db)")
    if scenario:
        p.add_argument("--scenario", help="run against the local sandbox AWS seeded from this scenario file")


def _window_hours(text: str) -> float:
    """``--time-window``: more than 0 and at most two weeks of history."""
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of hours") from None
    if not 0 < hours <= MAX_WINDOW_HOURS:
        raise argparse.ArgumentTypeError(f"{text} hours: use more than 0 and at most {MAX_WINDOW_HOURS} (two weeks)")
    return hours


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aiops-bot", description="Investigate AWS CloudWatch alarms.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("investigate", help="investigate one alarm (name or ARN) and print the report")
    p.add_argument("alarm", nargs="?", help="alarm name or ARN")
    _add_common(p)
    p.add_argument("--time-window", type=_window_hours, metavar="HOURS",
                   help="hours of history, at most 336 (default from config)")
    p.add_argument("--resources", help="extra resources or log groups to include, comma separated")
    p.add_argument("--description", help="what you observed (kept in the report)")
    p.add_argument("--format", choices=("json", "markdown", "text"), default=None,
                   help="stdout format (default: text on a terminal, markdown otherwise)")
    p.add_argument("--output", help="also write the report: PATH.json or PATH.md by its extension, else both "
                                    "(charts go beside it)")
    p.add_argument("--resume", metavar="ID", help="resume an interrupted investigation")

    p = sub.add_parser("history", help="list past investigations")
    _add_common(p, scenario=False)
    p.add_argument("--limit", type=_limit, default=20, help="how many (1 to 10000, default 20)")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = sub.add_parser("report", help="show a stored report")
    p.add_argument("id")
    _add_common(p, scenario=False)
    p.add_argument("--format", choices=("json", "markdown", "text"), default="markdown")

    p = sub.add_parser("purge", help="delete records older than analysis.cache_retention days")
    _add_common(p, scenario=False)

    p = sub.add_parser("sandbox", help="run the local AWS emulator seeded from a scenario until Ctrl-C")
    _add_verbose(p)
    p.add_argument("--scenario", required=True)

    p = sub.add_parser("demo", help="run the whole path on the bundled sandbox scenario")
    _add_verbose(p)
    p.add_argument("--scenario", help="another scenario file instead of the bundled one")
    p.add_argument("--out", default="reports", help="where to write the reports (default ./reports)")

    from bot.commands import register_extra_commands
    register_extra_commands(sub, _add_common)
    return parser


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"{value} is outside 1-10000")
    return value


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("botocore", "boto3", "urllib3", "werkzeug", "moto", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)


_DB_HINTS = {"locked": " (another process holds a write lock; retry when it is done, or use another --db)",
             "disk is full": " (free space on its disk, or use another --db)",
             "readonly": " (it or its folder is read-only; use a writable --db)"}


def main(argv: Sequence[str] | None = None) -> int:
    for name in ("stdout", "stderr"):  # started with one closed (`>&-`): write to nowhere rather than crash
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the process's life
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from bot import commands
    handler: Callable[[argparse.Namespace], int] = getattr(args, "func", None) or getattr(commands, f"cmd_{args.command}")
    try:
        if getattr(args, "config", None):  # a bad --config is refused even by commands that only read the database
            from bot.config import load_config
            load_config(args.config)
        return handler(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except (ConfigError, InvestigationError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL if isinstance(exc, InvestigationError) else EXIT_USAGE
    except AwsError as exc:
        print(f"error: AWS {exc.operation} failed: {exc.code}: {exc.message}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except sqlite3.OperationalError as exc:  # the database: locked by another process, its disk full...
        print(f"error: the database ({getattr(args, 'db', None) or 'the default'}) could not be used: {exc}"
              f"{_DB_HINTS.get(next((k for k in _DB_HINTS if k in str(exc)), ''), '')}", file=sys.stderr)
        return EXIT_FAIL
    except OSError as exc:  # stdout a full disk (/dev/full), or a file or socket the command was writing
        print(f"error: could not write{' to ' + str(exc.filename) if exc.filename else ' the output'}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as exc:  # last resort: an error id, never a traceback
        error_id = secrets.token_hex(4)
        log.debug("internal error %s", error_id, exc_info=True)
        scenario_err = exc.__class__.__name__ == "ScenarioError"
        if scenario_err:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"error: internal error {error_id} ({exc.__class__.__name__}); run with -v for details",
              file=sys.stderr)
        return EXIT_FAIL


def write_json(data: Any, stream=None) -> None:
    (stream or sys.stdout).write(json.dumps(data, indent=2, default=str) + "\n")


def resolve_path(path: str) -> Path:
    return Path(path).expanduser()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
