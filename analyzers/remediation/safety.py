"""Static safety check for remediation scripts: regex/token based, never runs anything.

Shell (``bash``, ``aws-cli``) bodies are scanned quote-aware: comments are dropped,
single-quoted text is treated as the inert literal it is, and pure literal
assignments (``NAME='...'``) are exempt from content rules. Python bodies are
tokenised (``tokenize``/``ast.parse`` only parse; they never execute).
"""
from __future__ import annotations

import ast
import io
import logging
import re
import tokenize
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SafetyIssue:
    """One rule violation at a 1-based line."""

    rule: str
    line: int
    text: str


RULES = (
    "rm-rf-root", "rm-unguarded-variable", "unquoted-variable", "destructive-without-confirmation",
    "pipe-to-shell", "eval", "shell-c", "variable-as-command", "chmod-777", "missing-strict-mode",
    "ungated-write", "os-system", "subprocess", "python-syntax", "unknown-language",
)

_READ_OPS = re.compile(r"^(?:get|describe|list|lookup|filter|search|batch-get|head|test|validate|simulate"
                       r"|estimate|preview)-|^(?:wait|ls|help)$")
_AWS_CMD = re.compile(r"\baws\s+(?:--(?:region|profile|output|endpoint-url|color|query)[ =]\S+\s+|--[\w-]+\s+)*"
                      r"([a-z0-9-]+)\s+([a-z][a-z0-9-]*)")
_DESTRUCTIVE_AWS = re.compile(r"^(?:delete|terminate|remove|purge|deregister|detach|rm)\b")
_DESTRUCTIVE_CMD = re.compile(r"(?:^|[\s;&|(])(?:sudo\s+)?(rm|dd|mkfs(?:\.\w+)?|shred|wipefs|truncate)\b")
_LITERAL_ASSIGNMENT = re.compile(r"^\s*(?:export\s+|readonly\s+)?[A-Za-z_]\w*=(?:'[^']*'|\"'\"|\\.|[\w@%+=:,./-])*\s*$")
_PIPE_TO_SHELL = re.compile(r"\b(?:curl|wget)\b[^;&]*\|\s*(?:sudo\s+)?(?:env\s+)?(?:ba|z|k|da|fi)?sh\b"
                            r"|\b(?:curl|wget)\b[^;&]*\|\s*(?:sudo\s+)?(?:python\d?|perl|ruby|node)\b"
                            r"|(?:\b(?:ba|z|k|da)?sh|\bsource|(?:^|\s)\.)\s+<\(\s*(?:curl|wget)\b")
_EVAL = re.compile(r"(?:^|[;&|({\s!])eval(?:\s|$)")
_SHELL_C = re.compile(r"(?:^|[;&|({\s])(?:ba|z|k|da)?sh\s+-\w*c\b")
_VAR_COMMAND = re.compile(r"(?:^|[;&|]\s*|\b(?:then|do|else)\s+)\"?\$\{?[A-Za-z_]")
_TESTS = re.compile(r"\[\[.*?\]\]|\(\(.*?\)\)")
_CHMOD_777 = re.compile(r"\bchmod\s+(?:-\w+\s+)*(?:0?777|[ugoa]*\+rwx)(?![\w])")
_GATE_BASH = re.compile(r"^\s*if\s+\[\[?\s*\"?\$\{?APPLY\b")
_CONFIRM_BASH = re.compile(r"\bread\s+(?:-\w+\s+)*(?:\"[^\"]*\"\s+|'[^']*'\s+)?[A-Za-z_]\w*\s*$|\bread\s+-r\b")
_DANGEROUS_RM_TARGET = re.compile(r"^(?:/|/\*|/\.\.?|~/?\*?|\$\{?HOME\}?/?\*?|\*|/(?:bin|boot|dev|etc|home|lib"
                                  r"|lib64|opt|root|sbin|srv|usr|var)/?\*?)$")
_UNGUARDED_VAR_PATH = re.compile(r"^\$\{?[A-Za-z_]\w*\}?/")


def check_script_safety(language: str, body: str) -> list[SafetyIssue]:
    """Every rule violation in ``body``; an empty list means the script passes."""
    if language in ("bash", "aws-cli"):
        return _check_shell(language, body)
    if language == "python":
        return _check_python(body)
    return [SafetyIssue("unknown-language", 1, language)]


# ---------------------------------------------------------------- shell

@dataclass(frozen=True)
class _ShellLine:
    number: int
    raw: str
    code: str          # comments removed
    masked: str        # code with single-quoted contents blanked
    unquoted: str      # code with quote characters removed
    expansions: tuple[int, ...]   # offsets in ``code`` of "$" outside any quotes


class _LineBuilder:
    """Accumulates the code/masked/unquoted views of one physical line."""

    def __init__(self) -> None:
        self.code: list[str] = []
        self.masked: list[str] = []
        self.unquoted: list[str] = []
        self.expansions: list[int] = []

    def add(self, char: str, *, masked: str | None = None, literal: bool = True) -> None:
        self.code.append(char)
        self.masked.append(char if masked is None else masked)
        if literal:
            self.unquoted.append(char)

    def build(self, number: int, raw: str) -> _ShellLine:
        return _ShellLine(number, raw, "".join(self.code), "".join(self.masked), "".join(self.unquoted),
                          tuple(self.expansions))


def _scan_shell(body: str) -> list[_ShellLine]:
    """Quote-aware split into lines; quote state carries across newlines."""
    raw_lines = body.split("\n")
    lines: list[_ShellLine] = []
    builder, state, escape, prev = _LineBuilder(), "code", False, "\n"
    for char in body:
        if char == "\n":
            lines.append(builder.build(len(lines) + 1, raw_lines[len(lines)]))
            builder, escape, prev = _LineBuilder(), False, char
            state = "code" if state == "comment" else state
            continue
        if state == "comment":
            pass
        elif escape:
            builder.add(char)
            escape = False
        elif state == "single":
            state = "code" if char == "'" else state
            builder.add(char, masked="'" if char == "'" else " ", literal=char != "'")
        elif state == "double":
            escape = char == "\\"
            state = "code" if char == '"' else state
            builder.add(char, literal=char != '"')
        elif char == "#" and (prev.isspace() or prev in ";&|("):
            state = "comment"
        else:
            if char == "$":
                builder.expansions.append(len(builder.code))
            escape = char == "\\"
            state = {"'": "single", '"': "double"}.get(char, state)
            builder.add(char, literal=char not in "'\"")
        prev = char
    lines.append(builder.build(len(lines) + 1, raw_lines[len(lines)] if len(lines) < len(raw_lines) else ""))
    return lines


def _has_strict_mode(lines: list[_ShellLine]) -> bool:
    for line in lines:
        match = re.match(r"^\s*set\s+(.*)$", line.code)
        if not match:
            continue
        args = match.group(1)
        clusters = "".join(re.findall(r"(?:^|\s)-([a-zA-Z]+)", args))
        has_e = "e" in clusters or "errexit" in args
        has_u = "u" in clusters or "nounset" in args
        if has_e and has_u and "pipefail" in args:
            return True
    return False


def _rm_issues(line: _ShellLine) -> list[SafetyIssue]:
    issues = []
    for segment in re.split(r"[;&|]+", line.unquoted):
        match = re.search(r"(?:^|\s)(?:sudo\s+)?rm\s+(.*)$", segment)
        if not match:
            continue
        tokens = match.group(1).split()
        flags = [t for t in tokens if t.startswith("-")]
        targets = [t for t in tokens if not t.startswith("-")]
        recursive = any(re.match(r"^-[^-]*[rR]", f) or f == "--recursive" for f in flags)
        if "--no-preserve-root" in flags or (recursive and any(_DANGEROUS_RM_TARGET.match(t) for t in targets)):
            issues.append(SafetyIssue("rm-rf-root", line.number, line.raw.strip()))
        elif recursive and any(_UNGUARDED_VAR_PATH.match(t) for t in targets):
            issues.append(SafetyIssue("rm-unguarded-variable", line.number, line.raw.strip()))
    return issues


def _logical_lines(lines: list[_ShellLine]) -> list[_ShellLine]:
    """Join backslash-continued lines (reported at their first line)."""
    joined: list[_ShellLine] = []
    pending: _ShellLine | None = None
    for line in lines:
        if pending is not None:
            offset = len(pending.code)
            line = _ShellLine(pending.number, pending.raw + " " + line.raw.strip(), pending.code + line.code,
                              pending.masked + line.masked, pending.unquoted + line.unquoted,
                              pending.expansions + tuple(offset + e for e in line.expansions))
            pending = None
        if line.code.endswith("\\") and not line.code.endswith("\\\\"):
            pending = _ShellLine(line.number, line.raw, line.code[:-1], line.masked[:-1], line.unquoted[:-1],
                                 line.expansions)
            continue
        joined.append(line)
    if pending is not None:
        joined.append(pending)
    return joined


def _check_shell(language: str, body: str) -> list[SafetyIssue]:
    issues: list[SafetyIssue] = []
    lines = _logical_lines(_scan_shell(body))
    if language == "bash" and not _has_strict_mode(lines):
        issues.append(SafetyIssue("missing-strict-mode", 1, "no 'set -euo pipefail'"))
    gate_seen = confirm_seen = False
    for line in lines:
        if not line.code.strip() or line.code.startswith("#!"):
            continue
        if _LITERAL_ASSIGNMENT.match(line.code):
            continue
        text = line.raw.strip()
        masked = line.masked
        issues += _rm_issues(line)
        for rule, pattern in (("pipe-to-shell", _PIPE_TO_SHELL), ("eval", _EVAL), ("shell-c", _SHELL_C),
                              ("variable-as-command", _VAR_COMMAND), ("chmod-777", _CHMOD_777)):
            target = {"chmod-777": line.unquoted, "variable-as-command": _TESTS.sub("[[ ]]", masked)}.get(rule, masked)
            if pattern.search(target):
                issues.append(SafetyIssue(rule, line.number, text))
        destructive = _DESTRUCTIVE_CMD.search(masked)
        for match in _AWS_CMD.finditer(masked):
            operation = match.group(2)
            if _READ_OPS.match(operation):
                continue
            if _DESTRUCTIVE_AWS.match(operation):
                destructive = destructive or match
                if not confirm_seen or language == "aws-cli":
                    issues.append(SafetyIssue("destructive-without-confirmation", line.number, text))
            if "--dry-run" not in masked and (language == "aws-cli" or not gate_seen):
                issues.append(SafetyIssue("ungated-write", line.number, text))
        if destructive and any(offset >= destructive.start() for offset in line.expansions):
            issues.append(SafetyIssue("unquoted-variable", line.number, text))
        if _GATE_BASH.search(line.code):
            gate_seen = True
        if _CONFIRM_BASH.search(masked):
            confirm_seen = True
    return issues


# ---------------------------------------------------------------- python

_OS_PROCESS = re.compile(r"^(?:system|popen\d?|exec\w*|spawn\w*|posix_spawn\w*|fork\w*|startfile|kill\w*)$")
_PY_WRITE = re.compile(r"^(?:update|put|modify|create|delete|reboot|attach|detach|terminate|start|stop|register"
                       r"|deregister|send|reset|restore|authorize|revoke|tag|untag|run|associate|disassociate"
                       r"|increase|decrease|invoke|publish|remove|purge|enable|disable|apply|promote|failover)_\w+$")
_PY_GATE = re.compile(r"^\s*if\s+not\s+(?:args\.)?apply\b")


def _check_python(body: str) -> list[SafetyIssue]:
    lines = body.split("\n")

    def issue(rule: str, number: int) -> SafetyIssue:
        return SafetyIssue(rule, number, lines[number - 1].strip() if 0 < number <= len(lines) else "")

    try:
        ast.parse(body)
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(body).readline)
                  if t.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER)]
    except (SyntaxError, tokenize.TokenError, IndentationError) as error:
        return [issue("python-syntax", getattr(error, "lineno", None) or 1)]
    issues: list[SafetyIssue] = []
    gate_line = next((i + 1 for i, text in enumerate(lines) if _PY_GATE.match(text)), None)
    confirm_line = next((t.start[0] for i, t in enumerate(tokens)
                         if t.string == "input" and i + 1 < len(tokens) and tokens[i + 1].string == "("), None)
    for i, token in enumerate(tokens):
        prev = tokens[i - 1].string if i else ""
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        after = tokens[i + 2].string if i + 2 < len(tokens) else ""
        number = token.start[0]
        if token.string in ("subprocess", "pty", "commands") and token.type == tokenize.NAME:
            issues.append(issue("subprocess", number))
        elif token.string == "os" and nxt == "." and _OS_PROCESS.match(after):
            issues.append(issue("os-system", number))
        elif token.string == "import" and _OS_PROCESS.match(nxt) and i >= 2 and tokens[i - 2].string == "from" \
                and prev == "os":
            issues.append(issue("os-system", number))
        elif token.string in ("eval", "exec", "compile", "__import__") and nxt == "(" and prev != ".":
            issues.append(issue("eval", number))
        elif token.string == "rmtree" and nxt == "(" and re.search(r"rmtree\(\s*['\"]/['\"]", lines[number - 1]):
            issues.append(issue("rm-rf-root", number))
        elif token.type == tokenize.NUMBER and token.string in ("0o777", "511") and "chmod" in lines[number - 1]:
            issues.append(issue("chmod-777", number))
        elif prev == "." and nxt == "(" and _PY_WRITE.match(token.string):
            line_text = lines[number - 1]
            if "DryRun=True" not in line_text and (gate_line is None or number < gate_line):
                issues.append(issue("ungated-write", number))
            if re.match(r"^(?:delete|terminate|remove|purge)_", token.string) and \
                    (confirm_line is None or number < confirm_line):
                issues.append(issue("destructive-without-confirmation", number))
    return issues
