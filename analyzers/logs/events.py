"""Event assembly for one log stream: ``(timestamp, message)`` pairs become ``ParsedEvent``s.

Multi-line stack traces (Python, Java, Node, .NET, Ruby) become one event whether CloudWatch delivered
them as one message with embedded newlines or as consecutive messages at (nearly) the same
timestamp. Lambda runtime lines, Lambda's tab-separated format and JSON logs are read by
``line_formats``; stack traces by ``stacktraces``. Pure: no I/O, no clock.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from analyzers.logs.line_formats import LineFormat, read_line_format
from analyzers.logs.stacktraces import (
    PY_TRACEBACK_HEADER,
    is_continuation,
    opens_frames,
    rails_exception_type,
    starts_stack_trace,
    summarize_stack,
)

logger = logging.getLogger(__name__)

EVENT_KINDS = ("platform", "app", "timeout", "exception")
# Consecutive messages at most this far apart (seconds) may belong to one stack trace.
DEFAULT_JOIN_WINDOW_S = 1.0
# A header whose message is empty but for tags: Rails' "F, [ts #pid] FATAL -- : [request-id] " puts the
# exception and its backtrace on the following lines.
_EMPTY_HEADER = re.compile(r"^[DIWEFAU], \[[^\]]*\]\s+[A-Z]+ -- [^:]*:(?:\s*\[[^\]]*\])*\s*$")


@dataclass(frozen=True)
class ParsedEvent:
    """One log event: a line, or a whole stack trace assembled from several lines."""

    timestamp: float
    message: str
    level: str | None  # "ERROR", "WARN", "INFO", "DEBUG" or None
    kind: str  # one of EVENT_KINDS
    exception_type: str | None = None
    frame: str | None = None  # innermost frame of the application's own code

    @property
    def first_line(self) -> str:
        """The message's first line (a stack trace's headline)."""
        return self.message.split("\n", 1)[0]


def parse_event(timestamp: float, message: str) -> ParsedEvent:
    """Parse one (possibly multi-line) message."""
    head, _, rest = message.rstrip("\n").partition("\n")
    line_format: LineFormat = read_line_format(head)
    if rest.strip() and _EMPTY_HEADER.match(head):  # the headline is the next line; the header gives the level
        head, _, rest = rest.lstrip("\n").partition("\n")
        line_format = LineFormat(read_line_format(head).message, line_format.level, line_format.kind)
    text = line_format.message + ("\n" + rest if rest else "")
    if line_format.kind in ("platform", "timeout"):
        return ParsedEvent(timestamp, text, line_format.level, line_format.kind)
    # a JSON line can carry a whole trace in one field ({"exception": "Traceback ...\n  File ..."})
    if rest or "\n" in line_format.message or starts_stack_trace(line_format.message):
        summary = summarize_stack(text)
        if summary is not None and summary.exception_type:
            return ParsedEvent(
                timestamp=timestamp,
                message=text,
                level=line_format.level or "ERROR",
                kind="exception",
                exception_type=summary.exception_type,
                frame=summary.frame,
            )
    exception_type = line_format.exception_type
    if exception_type is None and rest.lstrip().startswith("{"):  # Ruby/Node runtimes: "Error ...\n{json}"
        exception_type = read_line_format(rest.strip()).exception_type
    exception_type = exception_type or rails_exception_type(head)
    if exception_type:
        return ParsedEvent(timestamp, text, line_format.level or "ERROR", "exception", exception_type)
    return ParsedEvent(timestamp, text, line_format.level, "app")


def parse_events(
    records: Iterable[tuple[float, str]], join_window_s: float = DEFAULT_JOIN_WINDOW_S
) -> list[ParsedEvent]:
    """Parse a stream's messages in order, joining stack traces split over messages."""
    events: list[ParsedEvent] = []
    for timestamp, text in assemble_messages(records, join_window_s):
        events.append(parse_event(timestamp, text))
    return events


def assemble_messages(
    records: Iterable[tuple[float, str]], join_window_s: float = DEFAULT_JOIN_WINDOW_S
) -> list[tuple[float, str]]:
    """Join consecutive messages that continue a stack trace; keeps the first timestamp."""
    assembled: list[tuple[float, str]] = []
    buffer: list[str] = []
    started_at = last_at = 0.0
    for timestamp, message in records:
        message = message.rstrip("\n")
        if buffer and abs(timestamp - last_at) <= join_window_s and _continues(buffer, message):
            buffer.append(message)
            last_at = timestamp
            continue
        if buffer:
            assembled.append((started_at, "\n".join(buffer)))
        buffer, started_at, last_at = [message], timestamp, timestamp
    if buffer:
        assembled.append((started_at, "\n".join(buffer)))
    return assembled


def _continues(buffer: Sequence[str], message: str) -> bool:
    """Whether ``message`` continues the stack trace (or error report) held in ``buffer``."""
    first = message.split("\n", 1)[0]
    opening = buffer[0]
    in_trace = len(buffer) > 1 or "\n" in opening or starts_stack_trace(_body(opening))
    if first.strip().startswith(PY_TRACEBACK_HEADER):
        # A traceback right after an error line (logger.exception split into messages).
        return in_trace or read_line_format(opening).level == "ERROR"
    if not in_trace:
        if _EMPTY_HEADER.match(opening):  # Rails: the exception follows its tagged header as its own message
            return starts_stack_trace(first)
        return (_is_frame(first) or opens_frames(first)) and read_line_format(opening).level == "ERROR"
    if is_continuation(first):
        return True
    # Python puts the exception line, unindented, right after the last frame's source line.
    previous = buffer[-1].split("\n")[-1]
    return previous[:1] in (" ", "\t") and _in_python_trace(buffer) and not _ends_python_trace(buffer)


def _body(message: str) -> str:
    return read_line_format(message.split("\n", 1)[0]).message


def _is_frame(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("at ", 'File "')) and line[:1] in (" ", "\t", "a")


def _in_python_trace(buffer: Sequence[str]) -> bool:
    return any(PY_TRACEBACK_HEADER in part for part in buffer)


def _ends_python_trace(buffer: Sequence[str]) -> bool:
    last = buffer[-1].split("\n")[-1]
    return bool(last) and last[:1] not in (" ", "\t") and PY_TRACEBACK_HEADER not in last
