"""Single log message formats: AWS Lambda runtime and tab-separated lines, JSON logs, and
severity detection in plain text. Each function looks at one message only."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_LAMBDA_PLATFORM = re.compile(
    r"^(?:START|END|REPORT|INIT_START|INIT_REPORT|RESTORE_START|RESTORE_REPORT|EXTENSION|"
    r"TELEMETRY|PLATFORM\.\w+)\b(?:\s+RequestId:|\s+Runtime Version:|\s+Name:|\s+Duration:|\s)"
)
_LAMBDA_TIMEOUT = re.compile(r"Task timed out after (?P<seconds>\d+(?:\.\d+)?) seconds")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?$")
_REQUEST_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Python runtime: "[ERROR]\t2024-01-01T00:00:00.000Z\t<request id>\tmessage"
_BRACKET_LEVEL = re.compile(r"^\[(?P<level>[A-Za-z]+)\]\t(?P<rest>.*)$", re.DOTALL)
_LEVEL_WORDS = {
    "FATAL": "ERROR",
    "CRITICAL": "ERROR",
    "CRIT": "ERROR",
    "ERROR": "ERROR",
    "ERR": "ERROR",
    "SEVERE": "ERROR",
    "PANIC": "ERROR",
    "ALERT": "ERROR",
    "EMERG": "ERROR",
    "EMERGENCY": "ERROR",
    "WARN": "WARN",
    "WARNING": "WARN",
    "INFO": "INFO",
    "NOTICE": "INFO",
    "NOTE": "INFO",  # MySQL: "[Note]", "[System]"
    "SYSTEM": "INFO",
    "LOG": "INFO",
    "DEBUG": "DEBUG",
    "TRACE": "DEBUG",
    "FINE": "DEBUG",
    "VERBOSE": "DEBUG",
    "FAIL": "ERROR",  # .NET console logger: "fail: Category[0]", "warn:", "info:", "dbug:", "trce:"
    "DBUG": "DEBUG",
    "TRCE": "DEBUG",
}
# Upper-case level words in plain text ("ERROR", "FATAL:", "[warn]", "level=error").
_PLAIN_LEVEL = re.compile(
    r"(?:^|[\s\[(|:])(?P<word>FATAL|CRITICAL|ERROR|SEVERE|PANIC|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)"
    r"(?=$|[\s\]):|,])"
    r"|\[(?P<bracketed>(?i:fatal|critical|error|warn|warning|info|notice|note|system|debug|trace))\]"
    r"|\b(?:level|severity|lvl)=\"?(?P<kv>[A-Za-z]+)"
    r"|:(?P<postgres>LOG):\s"  # postgres "...:[pid]:LOG:  message"
    r"|^(?P<dotnet>trce|dbug|info|warn|fail|crit):\s",  # .NET console logger
)
# PHP's own level inside what relays it (php-fpm: 'NOTICE: PHP message: PHP Fatal error: ...', Bref, Apache):
# the relay's word is its own, PHP's is the message's.
_PHP_LEVEL = re.compile(r"\bPHP (?P<php>Fatal error|Parse error|Recoverable fatal error|Warning|Notice|Deprecated):")
_PHP_LEVELS = {"Warning": "WARN", "Notice": "INFO", "Deprecated": "INFO"}  # the rest are errors
_ERRORISH = re.compile(r"\bTraceback \(most recent call last\)|\b\w*Exception\b|\bUncaught\b")
# .NET (Microsoft.Extensions.Logging JSON console, Serilog and its compact form) capitalises its keys
_JSON_LEVEL_KEYS = ("level", "severity", "lvl", "levelname", "level_name", "log_level", "loglevel", "status",
                    "LogLevel", "Level", "@l")
_PINO_LEVELS = {10: "DEBUG", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "ERROR"}
# Monolog (PHP, Laravel): 100 debug, 200 info, 250 notice, 300 warning, 400 error ... 600 emergency
_MONOLOG_LEVELS = {100: "DEBUG", 200: "INFO", 250: "INFO", 300: "WARN", 400: "ERROR", 500: "ERROR", 550: "ERROR",
                   600: "ERROR"}
_NUMERIC_LEVELS = {**_PINO_LEVELS, **_MONOLOG_LEVELS}
_JSON_MESSAGE_KEYS = ("message", "msg", "error", "err", "errorMessage", "event", "text", "Message",
                      "RenderedMessage", "@m", "@mt", "MessageTemplate")


@dataclass(frozen=True)
class LineFormat:
    """Level and message read from one message, plus its Lambda classification."""

    message: str
    level: str | None
    kind: str  # "platform", "timeout" or "app"
    exception_type: str | None = None


def normalize_level(word: str | None) -> str | None:
    """Map a level word in any case to ERROR/WARN/INFO/DEBUG (None when unknown)."""
    if not word:
        return None
    return _LEVEL_WORDS.get(word.strip().upper())


def detect_level(text: str) -> str | None:
    """Level written in plain text (PHP's own level before its relay's), or ERROR for exceptions and tracebacks."""
    php = _PHP_LEVEL.search(text)
    if php:
        return _PHP_LEVELS.get(php.group("php"), "ERROR")
    match = _PLAIN_LEVEL.search(text)
    if match:
        word = (
            match.group("word")
            or match.group("bracketed")
            or match.group("kv")
            or match.group("postgres")
            or match.group("dotnet")
        )
        level = normalize_level(word)
        if level:
            return level
    if _ERRORISH.search(text):
        return "ERROR"
    return None


def read_line_format(message: str) -> LineFormat:
    """Classify one message: Lambda platform/timeout lines, Lambda tab format, JSON, text."""
    text = message.rstrip("\n")
    stripped = text.strip()
    if _LAMBDA_PLATFORM.match(stripped):
        return LineFormat(message=stripped, level=None, kind="platform")
    timeout = _LAMBDA_TIMEOUT.search(stripped)
    if timeout:
        return LineFormat(message=stripped[timeout.start() :], level="ERROR", kind="timeout")
    if stripped.startswith("{"):
        parsed = _read_json(stripped)
        if parsed is not None:
            return parsed
    tabbed = _read_lambda_tabbed(text)
    if tabbed is not None:
        return tabbed
    return LineFormat(message=text, level=detect_level(text), kind="app")


def _read_lambda_tabbed(text: str) -> LineFormat | None:
    """``[LEVEL]\\t[time\\t]request-id\\tmessage`` or ``time\\trequest-id\\tLEVEL\\tmessage``."""
    bracket = _BRACKET_LEVEL.match(text)
    if bracket:
        fields = bracket.group("rest").split("\t")
        fields = _drop_time_and_request_id(fields)
        message = "\t".join(fields)
        level = normalize_level(bracket.group("level")) or detect_level(message)
        return _with_json_body(message, level)
    if "\t" not in text:
        return None
    fields = text.split("\t")
    if len(fields) >= 4 and _ISO_TIME.match(fields[0]) and normalize_level(fields[2]):
        message = "\t".join(fields[3:])
        return _with_json_body(message, normalize_level(fields[2]))
    if len(fields) >= 3 and _ISO_TIME.match(fields[0]) and _REQUEST_ID.match(fields[1]):
        message = "\t".join(fields[2:])
        return _with_json_body(message, detect_level(message))
    return None


def _drop_time_and_request_id(fields: list[str]) -> list[str]:
    if len(fields) > 1 and _ISO_TIME.match(fields[0]):
        fields = fields[1:]
    if len(fields) > 1 and _REQUEST_ID.match(fields[0]):
        fields = fields[1:]
    return fields


def _with_json_body(message: str, level: str | None) -> LineFormat:
    """Node's ``Invoke Error \\t{"errorType": ...}`` carries a JSON body after the text."""
    brace = message.find("{")
    if brace >= 0 and message.rstrip().endswith("}"):
        parsed = _read_json(message[brace:].strip())
        if parsed is not None and parsed.exception_type:
            return LineFormat(
                message=parsed.message,
                level=level or parsed.level,
                kind="app",
                exception_type=parsed.exception_type,
            )
    return LineFormat(message=message, level=level, kind="app")


def _read_json(text: str) -> LineFormat | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    if isinstance(document.get("detail"), dict) and isinstance(document.get("detail-type"), str):
        return _aws_event(document["detail-type"], document["detail"])
    level = None
    for key in _JSON_LEVEL_KEYS:
        value = _lookup(document, key)
        if isinstance(value, str) and normalize_level(value):
            level = normalize_level(value)
            break
        if key == "level" and type(value) is int and value in _NUMERIC_LEVELS:
            level = _NUMERIC_LEVELS[value]  # pino / bunyan: 30 info, 50 error; Monolog: 400 error
            break
    message = None
    exception_type = None
    for key in _JSON_MESSAGE_KEYS:
        value = _lookup(document, key)
        if isinstance(value, dict):
            exception_type = exception_type or _as_text(value.get("type") or value.get("name"))
            value = value.get("message") or value.get("msg")
        if isinstance(value, str) and value:
            message = value
            break
    exception_type = exception_type or _as_text(
        document.get("errorType") or document.get("exception_type") or document.get("exc_type")
    )
    detail, detail_type = _error_detail(document, message)
    exception_type = exception_type or detail_type
    if detail:
        message = f"{message}: {detail}" if message else detail
    if level is None and exception_type:
        level = "ERROR"
    host = next((v for k in _JSON_HOST_KEYS if isinstance(v := _lookup(document, k), str) and _MACHINE.match(v)),
                None)
    if message is not None and host and host not in message:  # on a line of its own: samples, not templates
        message = f"{message}\n(host {host})"
    return LineFormat(
        message=message if message is not None else text,
        level=level if level is not None else (detect_level(message) if message else None),
        kind="app",
        exception_type=exception_type,
    )


_JSON_HOST_KEYS = ("hostname", "host", "instance_id", "instanceId")  # which machine wrote it (pino, bunyan...)
# an EC2 machine (default host name, instance id, address), not a container or pod named after its service
_MACHINE = re.compile(r"^(?:ip-\d{1,3}(?:-\d{1,3}){3}|i-[0-9a-f]{8,17}|\d{1,3}(?:\.\d{1,3}){3})(?:\.|$)")


# What an AWS service event (EventBridge envelope: "detail-type", "detail") says, in this order: an ECS
# task's status, stop code and reason, a deployment's event, an RDS event's message, Auto Scaling's cause...
_EVENT_FIELDS = ("lastStatus", "stopCode", "stoppedReason", "eventName", "reason", "EventID", "Message", "message",
                 "StatusCode", "Cause", "instance-action", "state", "status", "DaysToExpiry", "CommonName")
_EVENT_FAILURE = re.compile(r"\b(?:error|fail(?:ed|ure|s|ing)?|unable|killed|unhealthy|OutOfMemory\w*|denied|"
                            r"timed? ?out)\b", re.I)


def _aws_event(detail_type: str, detail: dict) -> LineFormat:
    """"<detail-type>: <status> <stop code>: <reason>; container <name> exit code <n>: <reason>", the
    words a responder reads in an AWS service event, instead of its envelope of ids and ARNs; ERROR when
    the event reports a failure (a task that failed to start or whose container exited non-zero, an
    ERROR deployment event, a failure word in its reason)."""
    parts = [f"{detail[key]}" for key in _EVENT_FIELDS if isinstance(detail.get(key), (str, int, float))
             and not isinstance(detail.get(key), bool) and str(detail[key])]
    exits = []
    for container in detail.get("containers") or []:
        if isinstance(container, dict) and (container.get("exitCode") not in (None, 0) or container.get("reason")):
            code = container.get("exitCode")
            exits.append(f"container {container.get('name', '?')}"
                         + (f" exit code {code}" if code is not None else "")
                         + (f": {container['reason']}" if container.get("reason") else ""))
    message = f"{detail_type}: " + " ".join(parts) + "".join(f"; {e}" for e in exits)
    failed = (detail.get("stopCode") == "TaskFailedToStart" or bool(exits and any(" exit code " in e for e in exits))
              or str(detail.get("eventType", "")).upper() == "ERROR" or bool(_EVENT_FAILURE.search(message)))
    return LineFormat(message=message, level="ERROR" if failed else "INFO", kind="app")


# where JSON loggers put the error: logstash/logback "stack_trace", python-json-logger "exc_info" (or a
# formatter's "exc" / "exc_text"), Serilog "Exception" (compact: "@x"), pino/bunyan "err", winston "stack"
_JSON_ERROR_KEYS = ("error", "err", "exception", "errorMessage", "error_message", "stack_trace", "stackTrace",
                    "stacktrace", "exc_info", "exc", "exc_text", "traceback", "Exception", "@x", "stack")


def _error_detail(document: dict, message: str | None) -> tuple[str | None, str | None]:
    """"Type: message" of an error object logged beside the main message (often where the cause is)."""
    for key in _JSON_ERROR_KEYS:
        value = _lookup(document, key)
        if isinstance(value, dict):
            kind = _as_text(value.get("type") or value.get("name") or value.get("class") or value.get("code"))
            text = _as_text(value.get("message") or value.get("msg")) or _as_text(
                " ".join(f"{k}={v}" for k, v in value.items() if isinstance(v, (str, int)) and k not in
                         ("type", "name", "code", "stack"))[:300])
        else:
            text = _as_text(value)
            named = _EXCEPTION_HEAD.match(text) if text else None  # "System.InvalidOperationException: ..."
            kind = named.group(1) if named else None
        if text and text == message:
            return None, kind
        if text or kind:
            return ": ".join(part for part in (kind, text) if part), kind
    return None, None


_EXCEPTION_HEAD = re.compile(r"^\s*([A-Za-z_][\w.$]*(?:Exception|Error))(?::|\s|$)")


def _lookup(document: dict, key: str) -> object:
    """Value under ``key``, also inside a nested ``log`` or (Monolog's) ``context`` object
    (``{"log": {"level": ..}}``, ``{"context": {"exception": {"class": ..}}}``)."""
    if key in document:
        return document[key]
    for outer in ("log", "context"):
        nested = document.get(outer)
        if isinstance(nested, dict) and key in nested:
            return nested[key]
    return None


def _as_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
