"""The ``/aiops`` slash command: a router of subcommand -> function (extensible via ``add_subcommand``).

Every request is acknowledged first; bad arguments are answered in the ack
itself (ephemeral usage). Work happens after the ack, on the service's threads
(``services.after_ack``), so Bolt's listener threads are free for the next acks.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote
from typing import Any, Callable

from bot.config import MAX_WINDOW_HOURS

from . import blocks as ui

log = logging.getLogger(__name__)

COMMAND = "/aiops"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([mhd]?)$", re.IGNORECASE)
_CONSOLE_ALARM = re.compile(r"[#&?/]alarms?V?2?[:/]alarm[/:=]([^/?&#|]+)", re.IGNORECASE)


class UsageError(Exception):
    """Bad arguments; the message is shown to the user with the usage line."""


@dataclass(frozen=True)
class CommandContext:
    services: Any
    args: tuple[str, ...]
    user_id: str
    channel_id: str
    respond: Callable[..., Any]

    def reply(self, text: str, blocks: list[dict] | None = None) -> None:
        self.respond(text=text, blocks=blocks, response_type="ephemeral")


@dataclass(frozen=True)
class Subcommand:
    run: Callable[[CommandContext], None]
    usage: str
    validate: Callable[[tuple[str, ...]], None] = lambda args: None


SUBCOMMANDS: dict[str, Subcommand] = {}


def add_subcommand(name: str, run: Callable[[CommandContext], None], usage: str,
                   validate: Callable[[tuple[str, ...]], None] = lambda args: None) -> None:
    SUBCOMMANDS[name] = Subcommand(run, usage, validate)


def usage_text() -> str:
    return "*Usage*\n" + "\n".join(f"• `{COMMAND} {spec.usage}`" for spec in SUBCOMMANDS.values())


def parse_hours(text: str) -> float:
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"'{text}' is not a time window (like 90m, 3h, 2d)")
    value, unit = float(match.group(1)), (match.group(2) or "h").lower()
    hours = value * {"m": 1 / 60, "h": 1, "d": 24}[unit]
    if not 0 < hours <= MAX_WINDOW_HOURS:
        raise UsageError("the time window must be between 1 minute and 14 days")
    return hours


def split_investigate(args: tuple[str, ...]) -> tuple[str, float | None]:
    if not args:
        raise UsageError("give an alarm name or ARN")
    if len(args) > 1 and _DURATION.match(args[-1]):
        return " ".join(args[:-1]), parse_hours(args[-1])
    return " ".join(args), None


def unwrap(word: str) -> str:
    """A word as the user meant it: without the `code` backticks or Slack's <link|label> wrapping that
    pasting an id or ARN can add."""
    word = word.strip("`")
    if len(word) > 2 and word.startswith("<") and word.endswith(">"):
        target, _, label = word[1:-1].partition("|")
        if not target.lower().startswith(("http://", "https://")):
            return target  # <arn:...|arn:...>, <mailto:...>: the target is what was pasted
        named = _CONSOLE_ALARM.search(target)  # a console link to an alarm: its name
        return unquote(named.group(1)) if named else (label or target)
    return word


def handle(services: Any, ack: Callable[..., Any], command: dict, respond: Callable[..., Any]) -> None:
    """Bolt listener body for ``/aiops``: route, ack (usage on bad input), then run the subcommand."""
    words = tuple(unwrap(w) for w in (command.get("text") or "").split())
    name = words[0].lower() if words else "help"
    spec = SUBCOMMANDS.get(name)
    if spec is None:
        ack(text=f"Unknown subcommand `{ui.esc(name, 40)}`.\n{usage_text()}")
        return
    try:
        spec.validate(words[1:])
    except UsageError as exc:
        ack(text=f"{ui.esc(exc)}\nUsage: `{COMMAND} {spec.usage}`")
        return
    ack()
    ctx = CommandContext(services, words[1:], command.get("user_id", ""), command.get("channel_id", ""), respond)
    services.after_ack(lambda: spec.run(ctx), respond)


# Subcommands ---------------------------------------------------------------------------------
def _investigate(ctx: CommandContext) -> None:
    alarm, hours = split_investigate(ctx.args)
    outcome = ctx.services.start_investigation(alarm, hours, ctx.channel_id, ctx.user_id)
    if outcome.status != "started":
        ctx.reply(outcome.message)


def _status(ctx: CommandContext) -> None:
    running = ctx.services.running()
    incidents = ctx.services.open_incidents()
    lines = [f"• `{ui.esc(r['alarm'])}` ({r['investigation_id']})" for r in running] or ["• none"]
    inc = [f"• {ui.esc(i.get('title'))} ({ui.esc(i.get('region'))})" + (" :mute:" if i.get("muted") else "")
           for i in incidents[:15]] or ["• none"]
    ctx.reply("aiops status", [ui.section("*Running investigations*\n" + "\n".join(lines)),
                               ui.section("*Open incidents*\n" + "\n".join(inc))])


def _history(ctx: CommandContext) -> None:
    rows = ctx.services.history(10)
    lines = [f"• `{r['id']}` {r['created_at'][:16].replace('T', ' ')} {ui.esc(r.get('alarm_name') or r['alarm_ref'])}"
             f" — {r['status']}" + (f", {ui.esc(r['root_category'])}" if r.get("root_category") else "")
             for r in rows] or ["No investigations yet."]
    ctx.reply("aiops history", [ui.section("*Recent investigations*\n" + "\n".join(lines))])


def _report(ctx: CommandContext) -> None:
    record = ctx.services.report(ctx.args[0])
    if record is None:
        ctx.reply(f"No investigation with id `{ui.esc(ctx.args[0], 80)}` (see `{COMMAND} history`).")
        return
    report = record.get("report")
    if not report:
        hint = {"interrupted": " It resumes in its thread when the bot restarts, or run "
                               f"`aiops-bot investigate --resume {record['id']}`.",
                "failed": f" Its error: {ui.esc(record.get('error'), 300)}"}.get(record["status"], "")
        ctx.reply(f"Investigation `{record['id']}` has no report yet (status {record['status']}).{hint}")
        return
    scripts = [f"• `{ui.esc(s['id'])}` {ui.esc(s['title'])} (risk {ui.esc(s['risk'])}) — "
               + ui.decision_note(ctx.services.decision(record["id"], s["id"])) for s in report.get("scripts") or []]
    body = ui.findings_blocks(report)[:3] + ui.hypotheses_blocks(report)
    if scripts:
        body.append(ui.section("*Proposed scripts* (never executed)\n" + "\n".join(scripts)))
    ctx.reply(f"Report {record['id']}", body)


def _summary(ctx: CommandContext) -> None:
    since = ctx.args[0] if ctx.args else "24h"
    text = ui.clip_lines(ui.esc(ctx.services.summary(since)), 11900,
                         f"run `aiops-bot summary --since {ui.esc(since, 20)}` for all of it")
    ctx.reply("aiops summary", [ui.markdown(text)])


def _period(args: tuple[str, ...]) -> None:
    from analyzers.summary import PeriodError, parse_period
    if len(args) > 1:
        raise UsageError("give at most one period, like 24h or 7d")
    try:
        if args:
            parse_period(args[0])
    except PeriodError as exc:
        raise UsageError(str(exc)) from None


def _help(ctx: CommandContext) -> None:
    ctx.reply("aiops help", [ui.section(usage_text()),
                             ui.context("Scripts are proposed only: approving records who/when/sha256; "
                                        "nothing is executed.")])


def _one_id(args: tuple[str, ...]) -> None:
    if len(args) != 1:
        raise UsageError("give one investigation id")


def _no_args(args: tuple[str, ...]) -> None:
    if args:
        raise UsageError("this subcommand takes no arguments")


add_subcommand("investigate", _investigate, "investigate <alarm name or ARN> [time window, e.g. 3h]",
               lambda args: (split_investigate(args), None)[1])
add_subcommand("status", _status, "status", _no_args)
add_subcommand("history", _history, "history", _no_args)
add_subcommand("report", _report, "report <investigation id>", _one_id)
add_subcommand("summary", _summary, "summary [since, e.g. 24h or 7d]", _period)
add_subcommand("help", _help, "help")
