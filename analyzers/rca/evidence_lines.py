"""How one log pattern or change reads as evidence: its strength and the line that cites it."""
from __future__ import annotations

import math
import re
from datetime import datetime

from ..model import Change, LogPattern, iso
from ..redaction import clip

CRASH = re.compile(r"heap out of memory|OutOfMemoryError|OOMKilled|exit(?:ed)? (?:with )?(?:code|status):? 137|"
                   r"signal: killed|core dumped|Segmentation fault|^FATAL ERROR", re.I)
CRASH_VOLUME = 0.8
# an AWS refusal is deterministic: every call of that kind fails, so a handful of new ones is an outage
REFUSED = re.compile(r"AccessDenied|is not authori[sz]ed to perform|UnauthorizedOperation", re.I)
REFUSED_VOLUME = 0.6


def pattern_strength(p: LogPattern) -> float:
    volume = min(1.0, math.log10(1 + p.count_after) / 1.5)
    if CRASH.search(" ".join((p.exception_type or "", p.template))):
        volume = max(volume, CRASH_VOLUME)  # each one is a process dying: a handful already means an outage
    elif p.new and REFUSED.search(p.template):
        volume = max(volume, REFUSED_VOLUME)
    return (1.0 if p.new else 0.7) * max(volume, 0.3)


_CATEGORY_HEADER = re.compile(r"^(?:trce|dbug|info|warn|fail|crit): [\w.`]+\[\d+\]\s*$")


def fmt_pattern(p: LogPattern) -> str:
    state = "new" if p.new else f"x{p.rate_after / max(p.rate_before, 1e-9):.0f} rate"
    lines = (p.samples[0] if p.samples else p.template).split("\n", 2)
    head = lines[0]
    if len(lines) > 1 and _CATEGORY_HEADER.match(head):  # .NET console: the message is on the next line
        head = f"{head} {lines[1].strip()}"
    sample = clip(head, 180)
    return f"[{p.id}] {p.count_after} log events after onset ({state}, first {iso(p.first_seen)}) in {p.log_group}: {sample}"


def fmt_change(c: Change, onset: datetime, period_s: int | float = 60) -> str:
    minutes = (onset - c.time).total_seconds() / 60
    who = f" by {c.username}" if c.username else ""
    when = f"{minutes:.0f} min before onset" if minutes >= 0 else f"{-minutes:.0f} min after onset"
    if minutes < 0 and period_s > 120:
        when += f", within the alarm's {period_s / 60:.0f}-min period that holds the onset"
    return f"[{c.id}] {c.event_name} on {c.resource_name}{who} at {iso(c.time)} ({when})"
