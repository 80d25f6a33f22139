"""Log patterns of an investigation: templates with counts and rates before vs after onset.

Raw records are assembled into events (stack traces joined, Lambda platform
lines recognised), mined into templates, then compared across the onset: a
pattern is **new** when it never occurs before onset, and **surging** when its
rate after onset is several times its rate before. A pattern that was already
there at the same rate is noise, however loud.
"""
from __future__ import annotations

from collections import defaultdict
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Iterable, Mapping, Sequence

from .logs import TemplateMiner
from .logs import extract_keywords, parse_events
from .logs.events import ParsedEvent
from .logs.stacktraces import PY_TRACEBACK_HEADER
from .model import ERROR_LEVELS, LogPattern, LogRecord

MAX_SAMPLES = 3
SAMPLE_CHARS = 500
_CAUSED_BY = re.compile(r"^\s*(Caused by: .{0,200})", re.M)
_REPORT_MEMORY = re.compile(r"Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB")


def sample_text(message: str) -> str:
    """A sample short enough to show, keeping where a long trace names its cause: a Java trace's
    "Caused by:" chain, or the final "Type: message" line of a Python traceback."""
    if len(message) <= SAMPLE_CHARS:
        return message
    causes = _CAUSED_BY.findall(message[SAMPLE_CHARS:])[-3:]
    if not causes:
        final = _final_exception_line(message)
        if final and final not in message[:SAMPLE_CHARS]:
            causes = [final[:300]]
    return "\n".join([message[:SAMPLE_CHARS], *("\t" + c for c in causes)])


def _final_exception_line(message: str) -> str | None:
    """The last unindented line after a Python traceback's header (the exception and its message)."""
    header = message.rfind(PY_TRACEBACK_HEADER)
    if header < 0:
        return None
    lines = [line for line in message[header:].splitlines()[1:] if line.strip() and line[:1] not in " \t"]
    return lines[-1].strip() if lines else None


RUNTIME_STARTED = "Lambda INIT_START runtime"  # the template of a runtime's cold starts, one per runtime version
_INIT_RUNTIME = re.compile(r"^INIT_START Runtime Version: ([a-z]+):([0-9a-z]+(?:\.\d+)?)\.v\d+")


def runtime_started(event: ParsedEvent) -> ParsedEvent | None:
    """A Lambda INIT_START line as the runtime (family and version) a cold start ran: a switch of runtime
    shows as a new one."""
    found = _INIT_RUNTIME.match(event.message)
    return None if found is None else replace(event, message=f"{RUNTIME_STARTED} {found.group(1)}:{found.group(2)}",
                                              level="INFO", kind="platform")


def lambda_report_problem(event: ParsedEvent) -> ParsedEvent | None:
    """A Lambda REPORT line that shows a problem, as an error event (others are dropped as platform noise):
    the invocation timed out, ran out of memory, or used all of its configured memory."""
    text = event.message
    if not text.startswith("REPORT"):
        return None
    memory = _REPORT_MEMORY.search(text)
    full = memory is not None and int(memory.group(2)) >= 0.98 * int(memory.group(1))
    if "Status: timeout" in text:
        message = "Lambda REPORT: Task timed out after its configured timeout (Status: timeout)"
    elif "Runtime.OutOfMemory" in text or full:
        message = "Lambda REPORT: Max Memory Used reached Memory Size (out of memory)"
    else:
        return None
    return replace(event, message=message, level="ERROR", kind="app")


SURGE_FACTOR = 3.0
LATE_DATA = timedelta(minutes=15)  # a group whose data starts later than this before onset had a baseline
ONSET_GRAIN = 60.0  # seconds: the onset is read from one-minute samples, so a line this soon before it is new


@dataclass(frozen=True)
class PatternWindow:
    """The time span the records cover, split at the onset."""

    start: datetime
    onset: datetime
    end: datetime
    data_starts: Mapping[str, datetime] = field(default_factory=dict)  # group -> first line read, when known

    def minutes_before(self, group: str | None = None) -> float:
        """Minutes of baseline; for a group whose complete baseline read starts late (a log stream that
        began an hour ago), from its first line, so steady lines are not taken for a surge."""
        start = self.start
        first = self.data_starts.get(group) if group is not None else None
        if first is not None and start < first <= self.onset - LATE_DATA:
            start = first
        return max((self.onset - start).total_seconds() / 60.0, 1.0)

    def minutes_after(self) -> float:
        return max((self.end - self.onset).total_seconds() / 60.0, 1.0)


def is_surging(p: LogPattern) -> bool:
    return p.new or p.rate_after >= SURGE_FACTOR * max(p.rate_before, 1e-9) and p.count_after >= 3


def mine_patterns(records: Iterable[LogRecord], window: PatternWindow, id_prefix: str = "l",
                  stream_sources: Mapping[tuple[str, str], str] | None = None) -> list[LogPattern]:
    """Mine templates per log group; returns patterns, errors and new ones first.

    ``stream_sources`` ((group, stream) -> resource id) splits a group that several resources
    write (instances sharing an agent config) into one set of patterns per resource.
    """
    sources = stream_sources or {}
    by_stream: dict[tuple[str, str], list[LogRecord]] = defaultdict(list)
    for record in records:
        by_stream[(record.group, record.stream)].append(record)
    events = []
    for (group, stream), recs in by_stream.items():
        recs.sort(key=lambda r: r.timestamp)
        source = sources.get((group, stream), "")
        for event in parse_events([(r.timestamp, r.message) for r in recs]):
            if event.kind == "platform":
                event = runtime_started(event) or lambda_report_problem(event)
            if event is not None:
                events.append((group, source, event))
    miners: dict[str, TemplateMiner] = defaultdict(TemplateMiner)
    keyed: dict[tuple[str, str, int, str, bool, str, str], list] = defaultdict(list)
    for group, source, event in events:
        if event.message.startswith(RUNTIME_STARTED):  # one pattern per runtime version, never merged
            keyed[(group, source, -1, event.message, False, "", "")].append(event)
            continue
        text = _mining_text(event)
        cluster = miners[group].add(text)  # one exception type per pattern, whatever headline they share
        # and errors apart from the other lines of a template ("level=error msg=..." beside "level=info msg=...")
        # each server-error status apart ("status: 500" beside the "status: 502" it merges with), and each
        # logfmt message apart (msg="assign failed" beside msg="push ack timeout", their other fields alike)
        key = (event.exception_type or "", event.level in ERROR_LEVELS, _server_error(event.message),
               _logfmt_message(event.message))
        keyed[(group, source, cluster, *key)].append(event)
    onset_ts = window.onset.timestamp()
    patterns: list[LogPattern] = []
    for (group, source, cluster, exc_type, *_), evs in keyed.items():
        before = sum(1 for e in evs if e.timestamp < onset_ts)
        after = len(evs) - before
        first, last = min(e.timestamp for e in evs), max(e.timestamp for e in evs)
        template = miners[group].template(cluster) if cluster >= 0 else exc_type
        exc_type = exc_type if cluster >= 0 else ""
        if exc_type and exc_type not in template:  # "Internal Server Error: <*>" raised as TypeError
            template = f"{exc_type}: {template}"
        levels = [e.level for e in evs if e.level]
        frame = next((e.frame for e in evs if e.frame), None)
        kinds = {e.kind for e in evs}
        kind = "exception" if "exception" in kinds else ("timeout" if "timeout" in kinds else "app")
        samples = tuple(dict.fromkeys(sample_text(e.message) for e in _spread(evs, onset_ts)))[:MAX_SAMPLES]
        patterns.append(LogPattern(
            id="", template=template, count=len(evs), log_group=group,
            first_seen=_dt(first), last_seen=_dt(last), samples=samples, count_before=before,
            count_after=after, rate_before=before / window.minutes_before(group),
            rate_after=after / window.minutes_after(), new=first >= onset_ts - ONSET_GRAIN,
            level=_dominant(levels), kind=kind, exception_type=exc_type or None, frame=frame,
            keywords=tuple(extract_keywords(template)), source=source))
    patterns.sort(key=lambda p: (not (p.is_error and is_surging(p)), not p.is_error, not p.new, -p.count))
    return [LogPattern(**{**p.__dict__, "id": f"{id_prefix}{i + 1}"}) for i, p in enumerate(patterns)]


def _mining_text(event) -> str:
    head = event.message.split("\n", 1)[0]
    if event.exception_type and event.exception_type not in head:
        head = f"{event.exception_type}: {head}"
    return head[:1000]


_VARIABLE = re.compile(r"[0-9a-fA-F]*\d[0-9a-fA-F-]*")  # numbers, hex ids, uuids
_STATUS = re.compile(r'(?:status|code|HTTP/\d(?:\.\d)?"?)\W{0,3}([1-5]\d\d)\b', re.I)  # kept: 200 vs 429


def _head(message: str) -> str:
    """A line's first 200 characters, up to its first line break."""
    return message[:200].split("\n", 1)[0]


def _shape(message: str) -> str:
    head = _head(message)
    return _VARIABLE.sub("0", head) + "|" + ",".join(_STATUS.findall(head))


_LOGFMT_MSG = re.compile(r'(?:^|\s)msg=(?:"((?:[^"\\]|\\.){1,200})"|([^\s"]+))')


def _logfmt_message(message: str) -> str:
    """A logfmt line's ``msg`` value, numbers and ids aside, or ""."""
    found = _LOGFMT_MSG.search(message[:500])
    return _VARIABLE.sub("0", found.group(1) or found.group(2)) if found else ""


def _server_error(message: str) -> str:
    """The first 5xx status a line's head states, or ""."""
    return next((code for code in _STATUS.findall(_head(message)) if code[0] == "5"), "")


def _spread(events: Sequence, onset_ts: float) -> list:
    """Samples: one event of each distinct line shape (numbers and ids aside), the shapes that grew
    most across the onset first, so a template that merges several messages ("Lost connection" /
    "Can't connect to <host>", 200s and 429s of an access log) shows the ones that changed; then
    events spread evenly over the rest."""
    if len(events) <= MAX_SAMPLES:
        return list(events)
    shapes: dict[str, list] = {}
    for e in events:
        shapes.setdefault(_shape(e.message), []).append(e)
    step = (len(events) - 1) / (MAX_SAMPLES - 1)
    spread = [events[round(i * step)] for i in range(MAX_SAMPLES)]
    if len(shapes) < 2:
        return spread

    def growth(group: list) -> tuple[float, int]:
        after = sum(1 for e in group if e.timestamp >= onset_ts)
        return (after + 1) / (len(group) - after + 1), len(group)
    ranked = sorted(shapes.values(), key=growth, reverse=True)[:MAX_SAMPLES]
    varied = [next((e for e in group if e.timestamp >= onset_ts), group[0]) for group in ranked]
    return (varied + [e for e in spread if e not in varied])[:MAX_SAMPLES]


def _dominant(levels: list[str]) -> str | None:
    if not levels:
        return None
    return max(set(levels), key=levels.count)


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)
