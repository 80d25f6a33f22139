"""The shared time axis: three hours of one-minute points ending a minute before "now"."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

START = -10800
END = -60
STEP = 60
MINUTES = (END - START) // STEP + 1
TIMES = np.arange(START, END + 1, STEP)

# Message texts that carry a wall-clock date (postgres, Java, ISO stamps) use this fictitious
# "now"; the loader shifts event times, never message texts, so any fixed date will do.
ANCHOR = datetime(2026, 11, 20, 14, 0, 0, tzinfo=timezone.utc)


def minute_index(t: float) -> int:
    """Index of the minute bucket that contains relative time ``t``."""
    return int(min(MINUTES - 1, max(0, (t - START) // STEP)))


def wall(t: float) -> datetime:
    return ANCHOR + timedelta(seconds=float(t))


def iso_stamp(t: float) -> str:
    """2026-11-20T13:12:05.123Z"""
    return wall(t).strftime("%Y-%m-%dT%H:%M:%S.") + f"{wall(t).microsecond // 1000:03d}Z"


def pg_stamp(t: float) -> str:
    """2026-11-20 13:12:05 UTC (postgres log_line_prefix %t)."""
    return wall(t).strftime("%Y-%m-%d %H:%M:%S UTC")


def java_stamp(t: float) -> str:
    """2026-11-20 13:12:05.123 (logback default)."""
    return wall(t).strftime("%Y-%m-%d %H:%M:%S.") + f"{wall(t).microsecond // 1000:03d}"


def stream_date() -> str:
    return ANCHOR.strftime("%Y/%m/%d")
