"""Stack traces (Python, Java, Node, .NET, Ruby, PHP): recognise their lines, find the exception type and the
innermost frame of the application's own code (library and runtime frames are skipped)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

PY_TRACEBACK_HEADER = "Traceback (most recent call last):"
_PY_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>\S+))?')
_PY_EXCEPTION = re.compile(
    r"^(?:\[\w+\]\s*)?(?P<type>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Fault|"
    r"Timeout|Failure|NotFound|Denied|Invalid\w*|Iteration))(?::\s?(?P<msg>.*))?$"
)
# Inside a Python traceback any unindented "Name: message" line names the exception.
_PY_LOOSE_EXCEPTION = re.compile(r"^(?:\[\w+\]\s*)?(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<msg>.*))?$")
_JAVA_FRAME = re.compile(r"^\s*at (?P<func>[\w$.<>]+)\((?P<where>[^)]*)\)")
_JAVA_EXCEPTION = re.compile(
    r"^(?:Exception in thread \"[^\"]*\"\s+|Caused by:\s+)?"
    r"(?P<type>(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)[\w$]*)(?::\s?(?P<msg>.*))?$"
)
_NODE_FRAME = re.compile(
    r"^\s*at (?:(?P<func>.+?) \((?P<where>[^()]+)\)|(?P<bare>\S+:\d+:\d+))\s*$"
)
_NODE_EXCEPTION = re.compile(
    r"^(?:Uncaught\s+)?(?P<type>[A-Z][\w$]*(?:Error|Exception))(?:\s*\[[^\]]*\])?:\s?(?P<msg>.*)$"
)

# .NET: "Npgsql.NpgsqlException (0x80004005): msg", " ---> System.TimeoutException: msg" (an inner exception),
# frames "at Ns.Type.Method(Type arg) in /src/File.cs:line 42" (no space before the parenthesis)
_DOTNET_EXCEPTION = re.compile(
    r"^(?P<inner>--->\s*)?(?P<type>(?:[A-Z]\w*\.)+[A-Z]\w*(?:Exception|Error))"
    r"(?:\s*\(0x[0-9A-Fa-f]+\))?:\s?(?P<msg>.*)$"
)
_DOTNET_FRAME = re.compile(r"^\s*at (?P<func>[\w.`<>|\[\],]+)\((?P<args>[^)]*)\)(?: in (?P<where>.+:line \d+))?\s*$")
_DOTNET_LIBRARY_PREFIXES = ("System.", "Microsoft.", "Npgsql.", "MySqlConnector.", "MySql.", "Amazon.", "Newtonsoft.",
                            "Polly.", "Grpc.", "StackExchange.", "Dapper.", "Pomelo.", "Oracle.", "Serilog.")
# Ruby: frames "app/models/x.rb:31:in `method'" (Ruby 3.4: 'Class#method'), possibly "from "-prefixed;
# Rails logs the exception as "NoMethodError (undefined method ...):", plain Ruby as
# "app.rb:12:in `m': message (RuntimeError)".
_RUBY_FRAME = re.compile(r"^\s*(?:from\s+)?(?P<path>[^\s:]+\.rb):(?P<line>\d+):in [`'](?P<func>[^'`]+)'")
_RUBY_RAILS_EXCEPTION = re.compile(r"^(?P<type>(?:[A-Z]\w*::)*[A-Z]\w*(?:Error|Exception|Invalid|Timeout|NotFound|"
                                   r"Denied|Interrupt|Exit|Unique|Violation|Required|Unknown\w*))"
                                   r" \((?P<msg>.*)\):?$")
_RUBY_INLINE_EXCEPTION = re.compile(r"^(?:[^\s:]+\.rb):\d+:in [`'][^'`]+': (?P<msg>.*) \((?P<type>(?:[A-Z]\w*::)*[A-Z]\w*)\)$")
_RUBY_LIBRARY_MARKERS = ("/gems/", "/ruby/", "vendor/bundle", "<internal:", "/rubygems/")
# PHP (Laravel/Monolog): "... {"exception":"[object] (Ns\\Type(code: 0): msg at /path.php:42)", then
# "[stacktrace]", frames "#0 /var/www/app/X.php(12): Ns\\Cls->m()", "#14 {main}" and the closing '"}'.
_PHP_FRAME = re.compile(r"^#\d+ (?:(?P<path>/\S+\.php)\((?P<line>\d+)\): (?P<func>\S+?)(?:\(.*)?|\{main\}|"
                        r"\[internal function\]: .*)$")
_PHP_TRACE_MARKERS = ("[stacktrace]", "{main}", '"}')
_PHP_EXCEPTION = re.compile(r"\((?P<type>(?:[A-Z]\w*\\+)*[A-Z]\w*)\(code: -?\d+\): (?P<msg>.*?) at /\S+:\d+\)"
                            r"|PHP Fatal error:\s+Uncaught (?P<fatal>(?:[A-Z]\w*\\+)*[A-Z]\w*): (?P<fmsg>.*?) in /")

# Frames from these places are not the application's own code.
_V8_FATAL = re.compile(r"^FATAL ERROR: (?P<msg>.+)$")
_LIBRARY_MARKERS = (
    "site-packages/",
    "dist-packages/",
    "/var/runtime/",
    "/var/lang/",
    "/opt/python/",
    "/usr/lib/python",
    "/usr/local/lib/python",
    "<frozen ",
    "node_modules/",
    "node:internal",
    "node:",
    "internal/",
)
_JAVA_LIBRARY_PREFIXES = (
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "kotlin.",
    "scala.",
    "org.springframework.",
    "org.apache.",
    "com.amazonaws.",
    "software.amazon.",
    "io.netty.",
    "lambdainternal.",
    "reactor.",
)


@dataclass(frozen=True)
class StackSummary:
    """What a stack trace says: exception type, message and innermost own-code frame."""

    exception_type: str | None
    exception_message: str | None
    frame: str | None


# Ruby's Logger header, then Rails' request id: "F, [2026-11-27T18:09:15.512838 #1] FATAL -- : [97bc...] "
_RUBY_LOGGER_HEAD = re.compile(r"^[A-Z], \[[^\]]+\] +[A-Z]+ -- [^:]*: (?:\[[\w-]+\] )?")


def rails_exception_type(line: str) -> str | None:
    """The exception class a Rails log line reports after Ruby's Logger header ("... FATAL -- : [req]
    NoMethodError (undefined method ...):"), or None."""
    head = _RUBY_LOGGER_HEAD.match(line)
    found = _RUBY_RAILS_EXCEPTION.match(line[head.end():].strip()) if head else None
    return found.group("type") if found else None


def starts_stack_trace(line: str) -> bool:
    """True when ``line`` opens a stack trace (or a line announcing one)."""
    stripped = line.strip()
    if stripped.startswith(PY_TRACEBACK_HEADER) or stripped.startswith("Exception in thread"):
        return True
    return bool(_JAVA_EXCEPTION.match(stripped) or _NODE_EXCEPTION.match(stripped)
                or _RUBY_RAILS_EXCEPTION.match(stripped) or _RUBY_INLINE_EXCEPTION.match(stripped))


def opens_frames(line: str) -> bool:
    """True for a line that, right after an error line, starts its frames (Laravel's "[stacktrace]", "#0 ...")."""
    stripped = line.strip()
    return stripped == "[stacktrace]" or bool(_PHP_FRAME.match(stripped))


def is_continuation(line: str) -> bool:
    """True for lines that continue a stack trace (frames, causes, source lines)."""
    if not line.strip():
        return False
    if line[0] in " \t":
        return True
    stripped = line.strip()
    return (
        stripped.startswith(("at ", "Caused by:", "Suppressed:", "... ", PY_TRACEBACK_HEADER))
        or stripped.startswith("During handling of the above exception")
        or stripped.startswith("The above exception was the direct cause")
        or bool(_PY_EXCEPTION.match(stripped))
        or bool(_RUBY_FRAME.match(stripped))
        or bool(_PHP_FRAME.match(stripped))
        or stripped in _PHP_TRACE_MARKERS
    )


def summarize_stack(text: str) -> StackSummary | None:
    """Exception type and innermost own-code frame of a stack trace, or None if none."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if any(line.strip().startswith(PY_TRACEBACK_HEADER) for line in lines) or any(
        _PY_FRAME.match(line) for line in lines
    ):
        return _summarize_python(lines)
    if any(_JAVA_FRAME.match(line) and "(" in line and ".java" in line for line in lines):
        return _summarize_java(lines)
    if any(_NODE_FRAME.match(line) for line in lines):
        return _summarize_node(lines)
    if any(_DOTNET_FRAME.match(line) for line in lines) \
            and any(_DOTNET_EXCEPTION.match(line.strip()) for line in lines):
        return _summarize_dotnet(lines)
    if any(_PHP_FRAME.match(line.strip()) for line in lines) or _PHP_EXCEPTION.search(lines[0]):
        return _summarize_php(lines)
    if any(_RUBY_FRAME.match(line) for line in lines) or _RUBY_RAILS_EXCEPTION.match(lines[0].strip()):
        return _summarize_ruby(lines)
    fatal = next((m for line in lines if (m := _V8_FATAL.match(line.strip()))), None)
    if fatal:  # V8's fatal report ("<--- Last few GCs --->" ... "FATAL ERROR: ... heap out of memory")
        message = fatal.group("msg")
        return StackSummary(f"FATAL ERROR: {message.rsplit(' - ', 1)[-1]}", message, None)
    java = _JAVA_EXCEPTION.match(lines[0].strip())
    if java:
        return StackSummary(java.group("type"), java.group("msg"), None)
    return None


def _summarize_python(lines: list[str]) -> StackSummary:
    exception_type = exception_message = None
    own_frame: str | None = None
    any_frame: str | None = None
    for line in lines:
        frame = _PY_FRAME.match(line)
        if frame:
            described = _describe(frame.group("path"), frame.group("line"), frame.group("func"))
            any_frame = described
            if not _is_library_path(frame.group("path")):
                own_frame = described
            continue
        if line[:1] in " \t":
            continue
        stripped = line.strip()
        if stripped.startswith((PY_TRACEBACK_HEADER, "During handling", "The above exception")):
            continue
        match = _PY_EXCEPTION.match(stripped) or _PY_LOOSE_EXCEPTION.match(stripped)
        if match:
            exception_type, exception_message = match.group("type"), match.group("msg")
    return StackSummary(exception_type, exception_message, own_frame or any_frame)


def _summarize_java(lines: list[str]) -> StackSummary:
    """Root cause (last ``Caused by``) with its first own-code frame."""
    sections: list[tuple[str | None, str | None, list[str]]] = []
    for line in lines:
        stripped = line.strip()
        exception = _JAVA_EXCEPTION.match(stripped)
        if exception and not stripped.startswith("at "):
            sections.append((exception.group("type"), exception.group("msg"), []))
            continue
        frame = _JAVA_FRAME.match(line)
        if frame and sections:
            sections[-1][2].append(line)
    if not sections:
        return StackSummary(None, None, None)
    exception_type, message, _frames = sections[-1]
    own = _java_own_prefix(sections)
    for _type, _msg, frames in reversed(sections):
        for frame_line in frames:
            match = _JAVA_FRAME.match(frame_line)
            if match and _is_own_java(match.group("func"), own):
                return StackSummary(exception_type, message, f"{match.group('func')}({match.group('where')})")
    first = next((frames[0] for *_rest, frames in sections if frames), None)
    frame_text = first.strip()[3:] if first else None
    return StackSummary(exception_type, message, frame_text)


def _java_own_prefix(sections: list[tuple[str | None, str | None, list[str]]]) -> str | None:
    """Package prefix of the application: the outermost non-library frame's first two parts
    (the entry point, e.g. ``com.acme``), so drivers like ``org.postgresql`` are skipped."""
    for _type, _msg, frames in sections:
        for frame_line in reversed(frames):
            match = _JAVA_FRAME.match(frame_line)
            if match and not match.group("func").startswith(_JAVA_LIBRARY_PREFIXES):
                return ".".join(match.group("func").split(".")[:2]) + "."
    return None


def _is_own_java(func: str, own_prefix: str | None) -> bool:
    if func.startswith(_JAVA_LIBRARY_PREFIXES):
        return False
    return own_prefix is None or func.startswith(own_prefix)


def _summarize_node(lines: list[str]) -> StackSummary:
    exception_type = exception_message = None
    for line in lines:
        match = _NODE_EXCEPTION.match(line.strip())
        if match:
            exception_type, exception_message = match.group("type"), match.group("msg")
            break
    first_frame: str | None = None
    for line in lines:
        match = _NODE_FRAME.match(line)
        if not match:
            continue
        where = match.group("where") or match.group("bare") or ""
        described = f"{match.group('func')} ({where})" if match.group("func") else where
        first_frame = first_frame or described
        if not _is_library_path(where):
            return StackSummary(exception_type, exception_message, described)
    return StackSummary(exception_type, exception_message, first_frame)


def _summarize_ruby(lines: list[str]) -> StackSummary:
    """Rails' or plain Ruby's exception line with the innermost frame outside gems and the stdlib."""
    exception = next((m for line in lines if (m := _RUBY_RAILS_EXCEPTION.match(line.strip())
                                                 or _RUBY_INLINE_EXCEPTION.match(line.strip()))), None)
    frames = [m for line in lines if (m := _RUBY_FRAME.match(line))]
    own = next((m for m in frames if not any(marker in m.group("path") for marker in _RUBY_LIBRARY_MARKERS)), None)
    frame = own or (frames[0] if frames else None)
    described = _describe(frame.group("path"), frame.group("line"), frame.group("func")) if frame else None
    if exception is None:
        return StackSummary(None, None, described)
    return StackSummary(exception.group("type"), exception.group("msg"), described)


def _summarize_php(lines: list[str]) -> StackSummary:
    """The exception Monolog or PHP names (namespace separators as one backslash) and the innermost frame
    outside ``vendor/``."""
    exception = next((m for line in lines if (m := _PHP_EXCEPTION.search(line))), None)
    frames = [m for line in lines if (m := _PHP_FRAME.match(line.strip())) and m.group("path")]
    own = next((m for m in frames if "/vendor/" not in m.group("path")), None)
    frame = own or (frames[0] if frames else None)
    described = _describe(frame.group("path"), frame.group("line"), frame.group("func")) if frame else None
    if exception is None:
        return StackSummary(None, None, described)
    exception_type = re.sub(r"\\+", "\\\\", exception.group("type") or exception.group("fatal"))
    return StackSummary(exception_type, exception.group("msg") or exception.group("fmsg"), described)


def _is_library_path(path: str) -> bool:
    return any(marker in path for marker in _LIBRARY_MARKERS)


def _describe(path: str, line: str, func: str | None) -> str:
    return f"{path}:{line} in {func}" if func else f"{path}:{line}"


def _summarize_dotnet(lines: list[str]) -> StackSummary:
    """The innermost exception (the last `` ---> `` one, else the first) with the first own-code frame."""
    found = [m for line in lines if (m := _DOTNET_EXCEPTION.match(line.strip()))]
    inner = [m for m in found if m.group("inner")]
    exception = (inner or found)[-1 if inner else 0]
    frames = [m for line in lines if (m := _DOTNET_FRAME.match(line))]
    own = next((m for m in frames if not m.group("func").startswith(_DOTNET_LIBRARY_PREFIXES)), None)
    frame = own or (frames[0] if frames else None)
    if frame is None:
        return StackSummary(exception.group("type"), exception.group("msg"), None)
    where = f" ({frame.group('where')})" if frame.group("where") else ""
    return StackSummary(exception.group("type"), exception.group("msg"), frame.group("func") + where)
