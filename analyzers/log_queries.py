"""Logs Insights queries chosen by alarm type (pure: no I/O, no vendor SDK).

An alarm on errors, throttles, latency or saturation asks a different question of
the logs; each kind adds its own vocabulary to a filter that always keeps the
generic problem words and stack-trace lines (so multi-line traces stay whole).
The patterns use no ``/`` and no backslash escapes beyond ``\\s``/``\\d``, so they sit inside
Insights' ``/.../`` literal as they are.
"""
from __future__ import annotations

import re

from analyzers.model import Alarm

INSIGHTS_MAX_LIMIT = 10000
KINDS = ("errors", "throttles", "latency", "saturation", "generic")

GENERIC_WORDS = ("error", "exception", "fail", "fatal", "panic", "critical", "denied", "refused",
                 "timed out", "timeout", "traceback")
# Continuation lines of Java/Node ("  at ..."), Python ('  File "...'), chained causes.
STACK_LINES = (r"^\s+at ", r'^\s*File "', r"^\s*Caused by:", "^Traceback")
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "errors": ("unhandled", "uncaught", "errorMessage", "errorType", "internal server error", "bad gateway",
               "service unavailable", "status.{0,4}5[0-9][0-9]", "invalid", "cannot", "unable to"),
    "throttles": ("throttl", "rate exceeded", "too many requests", "status.{0,4}429", "TooManyRequests",
                  "limit exceeded", "ProvisionedThroughputExceeded", "RequestLimitExceeded", "SlowDown", "concurrency",
                  "backoff", "retry"),
    "latency": ("Task timed out", "^REPORT RequestId", "deadline exceeded", "slow", "latency", "took [0-9]+",
                "elapsed", "waiting for", "connection pool", "gateway timeout", "status.{0,4}504"),
    "saturation": ("out of memory", "OutOfMemory", "OOM", "memory", "no space left", "disk full",
                   "too many connections", "connection pool", "exhausted", "Runtime exited", "killed",
                   "cpu", "resource temporarily unavailable", "too many open files"),
    "generic": (),
}

_ALLOWED_ESCAPES = re.compile(r"\\[/sd]")

_ERROR_METRICS = {"errors", "5xxerror", "4xxerror", "5xx", "4xx", "systemerrors", "usererrors", "faults",
                  "deadlettererrors", "destinationdeliveryfailures", "statuscheckfailed", "executionsfailed",
                  "executionsaborted", "numberofnotificationsfailed"}
_THROTTLE_METRICS = {"throttles", "throttledrequests", "readthrottleevents", "writethrottleevents",
                     "throttledrecords", "executionthrottled", "throttlecount"}
_LATENCY_METRICS = {"duration", "latency", "integrationlatency", "targetresponsetime", "readlatency",
                    "writelatency", "successfulrequestlatency", "iteratorage", "approximateageofoldestmessage",
                    "executiontime", "responsetime", "executionstimedout"}
_SATURATION_METRICS = {"cpuutilization", "memoryutilization", "mem_used_percent", "databaseconnections",
                       "freestoragespace", "freeablememory", "disk_used_percent", "cpu_usage_active",
                       "concurrentexecutions", "swapusage", "diskqueuedepth", "burstbalance",
                       "cpucreditbalance", "activeconnectioncount", "approximatenumberofmessagesvisible"}


def alarm_log_kind(alarm: Alarm | None) -> str:
    """The kind of log question an alarm asks: errors, throttles, latency, saturation or generic.

    Decided from the alarm's metric name (exact catalogue first, then name fragments such as
    ``HTTPCode_*_5XX_Count``, ``*Latency``, ``*Utilization``); the namespace only breaks ties for
    ambiguous names. Alarms without a single metric (composite, metric math) are ``generic``.
    """
    if alarm is None or not alarm.metric:
        return "generic"
    name = alarm.metric.strip().lower()
    for kind, names in (("errors", _ERROR_METRICS), ("throttles", _THROTTLE_METRICS),
                        ("latency", _LATENCY_METRICS), ("saturation", _SATURATION_METRICS)):
        if name in names:
            return kind
    if "throttl" in name:
        return "throttles"
    if re.search(r"5xx|4xx|error|fault|fail", name):
        return "errors"
    if re.search(r"latency|duration|responsetime|timeout|timedout|iteratorage|ageof", name):
        return "latency"
    if re.search(r"utilization|_percent|usage|free|connections|memory|cpu|disk", name):
        return "saturation"
    return "generic"


def filter_regex(kind: str) -> str:
    """The case-insensitive alternation for ``kind``: its words, the generic problem words and stack lines.

    Raises ``ValueError`` for an unknown kind. The result is checked by :func:`validate_insights_regex`.
    """
    if kind not in KIND_WORDS:
        raise ValueError(f"unknown log query kind '{kind}' (expected one of {', '.join(KINDS)})")
    terms: list[str] = []
    for term in (*KIND_WORDS[kind], *GENERIC_WORDS, *STACK_LINES):
        if term not in terms:
            terms.append(term)
    regex = "(?i)(" + "|".join(terms) + ")"
    validate_insights_regex(regex)
    return regex


def validate_insights_regex(regex: str) -> None:
    """Raise ``ValueError`` unless ``regex`` can sit inside an Insights ``/.../`` literal as is.

    Rejected: an unescaped ``/`` (it would end the literal), line breaks, backslash escapes other than
    ``\\/``, ``\\s`` and ``\\d`` (kept to what every regex dialect reads alike), and anything that does
    not compile as a regular expression. ``(?i)`` is allowed only as the leading flag.
    """
    if "\n" in regex or "\r" in regex:
        raise ValueError("an Insights regex cannot span lines")
    stripped = _ALLOWED_ESCAPES.sub("", regex)
    if "/" in stripped:
        raise ValueError("unescaped '/' would end the Insights /.../ literal")
    if "\\" in stripped:
        raise ValueError("only the escapes \\/, \\s and \\d are used in Insights regexes here")
    body = regex[4:] if regex.startswith("(?i)") else regex
    if "(?" in body:
        raise ValueError("only a leading (?i) flag is allowed")
    try:
        re.compile(regex.replace("\\/", "/"))
    except re.error as exc:
        raise ValueError(f"invalid regex: {exc}") from exc


def insights_query(kind: str, limit: int) -> str:
    """The Logs Insights query for ``kind``, newest first, at most ``min(limit, 10000)`` rows.

    ``fields @timestamp, @message, @logStream | filter @message like /(?i)(...)/ | sort @timestamp desc
    | limit N``; the filter keeps the kind's vocabulary, the generic problem words and stack-trace
    continuation lines.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return (f"fields @timestamp, @message, @logStream | filter @message like /{filter_regex(kind)}/"
            f" | sort @timestamp desc | limit {min(limit, INSIGHTS_MAX_LIMIT)}")
