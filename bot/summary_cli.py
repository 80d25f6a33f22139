"""``aiops-bot summary [--since 24h] [--format markdown|json|table]``: what happened in a period.

:func:`load_summary` reads the store (incidents, investigations with their
reports and approvals) and hands it to :mod:`analyzers.summary`; the Slack
``/aiops summary [since]`` command calls the same function and renders it with
``analyzers.summary.render_summary_markdown``.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any, Callable

from analyzers.summary import (PeriodError, build_summary, parse_period, plural, render_summary_markdown,
                               render_summary_table)

log = logging.getLogger(__name__)

MAX_INVESTIGATIONS = 500
TABLE_HEADERS = ["id", "created (UTC)", "alarm", "status", "root cause", "resource", "scripts"]


def load_summary(store: Any, since: str = "24h", now: datetime | None = None,
                 limit: int = MAX_INVESTIGATIONS) -> dict[str, Any]:
    """The summary of the last ``since`` (``30m``, ``24h``, ``7d``, ``2w``); raises PeriodError on a bad period."""
    period = parse_period(since)
    until = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    start = until - period
    incidents = store.list_incidents(since=start)
    investigations = []
    for row in store.list_investigations(since=start, limit=limit):
        record = store.get_investigation(row["id"]) or {}
        investigations.append({"row": row, "report": record.get("report"),
                               "approvals": store.list_approvals(row["id"])})
    return build_summary(incidents, investigations, start, until, since.strip())


def cmd_summary(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from bot.cli import CliError
    from bot.store import Store

    try:
        parse_period(args.since)
    except PeriodError as exc:
        raise CliError(str(exc), 2) from None
    summary = load_summary(Store.for_reading(args.db), args.since)
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, indent=2, default=str) + "\n")
    elif args.format == "table":
        t = summary["totals"]
        sys.stdout.write(f"{summary['since']} -> {summary['until']}: {t['incidents']} "
                         f"{plural(t['incidents'], 'incident')} ({t['open_incidents']} open), {t['investigations']} "
                         f"{plural(t['investigations'], 'investigation')}, {t['scripts']} "
                         f"{plural(t['scripts'], 'script')} ({t['approved']} approved, {t['rejected']} rejected, "
                         f"{t['pending']} pending)\n")
        if summary["incidents"]:
            sys.stdout.write(tabulate([[i["opened_at"][:19].replace("T", " "), i["state"], i["region"],
                                        i["title"] or i["alarm"]] for i in summary["incidents"]],
                                      headers=["opened (UTC)", "state", "region", "incident"]) + "\n\n")
        rows = render_summary_table(summary)
        if rows:
            sys.stdout.write(tabulate(rows, headers=TABLE_HEADERS) + "\n")
    else:
        sys.stdout.write(render_summary_markdown(summary) + "\n")
    return 0


def register(sub: Any, add_common: Callable[..., None]) -> None:
    p = sub.add_parser("summary", help="summarize the incidents and investigations of a period")
    add_common(p, scenario=False)
    p.add_argument("--since", default="24h", help="period to cover: 30m, 24h, 7d, 2w (default 24h)")
    p.add_argument("--format", choices=("markdown", "json", "table"), default="markdown")
    p.set_defaults(func=cmd_summary)


__all__ = ["load_summary", "cmd_summary", "register"]
