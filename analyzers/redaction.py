"""Secret and PII redaction for text that leaves the account (LLM prompts, Slack, reports).

Pure and deterministic: compiled regular expressions, no I/O. A ``Redactor``
replaces every finding with ``[REDACTED:<kind>]`` and keeps a cumulative
receipt (kind -> count) so a report can say what was removed without showing it.
Ordinary operational text is left alone: UUID request ids, ARNs, timestamps,
version strings such as ``v1.2.3.4`` or ``version 1.2.3.4``, log templates with ``<*>``.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Pattern

logger = logging.getLogger(__name__)

MARK = "[REDACTED:{}]"

# kind -> (singular label, plural label) for the receipt, in display order.
KIND_LABELS: dict[str, tuple[str, str]] = {
    "private_key": ("private key", "private keys"),
    "aws_access_key": ("AWS access key", "AWS access keys"),
    "aws_secret_key": ("AWS secret key", "AWS secret keys"),
    "aws_session_token": ("AWS session token", "AWS session tokens"),
    "jwt": ("JWT", "JWTs"),
    "bearer_token": ("bearer token", "bearer tokens"),
    "slack_token": ("Slack token", "Slack tokens"),
    "api_key": ("API key", "API keys"),
    "github_token": ("GitHub token", "GitHub tokens"),
    "password": ("password", "passwords"),
    "url_credential": ("URL credential", "URL credentials"),
    "secret": ("secret", "secrets"),
    "encoded_secret": ("long encoded token", "long encoded tokens"),
    "email": ("email", "emails"),
    "ip_address": ("IP address", "IP addresses"),
    "custom": ("custom match", "custom matches"),
}

_ALREADY = re.compile(r"\[REDACTED:")
_PLACEHOLDER_VALUES = frozenset({"<*>", "null", "none", "nil", "true", "false", "undefined", "''", '""'})
# first words of an error message after a label like "NoCredentials:" or "InvalidToken:", not values
_PROSE_WORDS = frozenset({"no", "not", "missing", "invalid", "expired", "unable", "required", "unknown", "failed",
                          "could", "cannot", "the", "is", "was", "has", "incorrect", "wrong", "empty", "too", "reset",
                          "changed", "set", "correct", "valid", "for", "of", "authentication", "auth", "login",
                          "policy", "change", "expiry", "rotation", "hash", "prompt", "a", "an", "required."})
_NOT_SECRET_NAMES = re.compile(r"(?i)(next|pagination|continuation|page|cancellation|idempotency|client)_?token$")

_SECRET_NAME = (r"[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey"
                r"|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)")
_SECRET_NAME_ONLY = re.compile(rf"(?i)^{_SECRET_NAME}$")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H = r"[0-9A-Fa-f]{1,4}"
_IPV6 = (
    rf"(?:(?:{_H}:){{7}}{_H}"
    rf"|(?:{_H}:){{1,6}}:{_H}"
    rf"|(?:{_H}:){{1,5}}(?::{_H}){{1,2}}"
    rf"|(?:{_H}:){{1,4}}(?::{_H}){{1,3}}"
    rf"|(?:{_H}:){{1,3}}(?::{_H}){{1,4}}"
    rf"|(?:{_H}:){{1,2}}(?::{_H}){{1,5}}"
    rf"|{_H}:(?::{_H}){{1,6}}"
    rf"|::(?:ffff:)?{_IPV4}"
    rf"|::{_H}(?::{_H}){{0,6}}"
    rf"|(?:{_H}:){{1,7}}:(?![0-9A-Fa-f]))"
)
_VERSION_CONTEXT = re.compile(r"(?i)(?:version|ver|release|build|rev|v)[\s:=/-]*$")
_NON_SENSITIVE_IPS = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1"})


_TOKEN_BOUNDARY = re.compile(r"[\s,;\"'()\[\]{}<>|]")


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters (plus "…") at a token boundary, never inside a token: text is
    often cut before it is redacted, and a cut-off secret (a URL password without its "@", a JWT without its
    last part) no longer matches the rule that would have caught it, so the cut-off token is dropped whole."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    boundaries = [m.start() for m in _TOKEN_BOUNDARY.finditer(head)]
    return (head[: boundaries[-1]].rstrip() if boundaries else "") + "…"


@dataclass(frozen=True)
class RedactionConfig:
    """What to redact beyond secrets (which are always redacted)."""

    emails: bool = True
    ip_addresses: bool = True
    extra_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: Pattern[str]
    group: int = 0                       # the group to replace; 0 = whole match
    accept: Callable[[re.Match[str]], bool] | None = None
    kind_of: Callable[[re.Match[str]], str] | None = None


def _value_is_secret(match: re.Match[str]) -> bool:
    value = match.group("value")
    stripped = value.strip("\"'") if value else ""
    if not stripped or _ALREADY.match(stripped):
        return False
    if stripped.lower() in _PLACEHOLDER_VALUES or set(stripped) <= {"*", "x", "X", "."}:
        return False
    if stripped.lower() in _PROSE_WORDS and value == stripped:  # unquoted: "NoCredentials: no credentials found"
        return False
    return not _NOT_SECRET_NAMES.search(match.group("name"))


def _secret_kind(match: re.Match[str]) -> str:
    return "password" if re.search(r"(?i)pass|pwd", match.group("name")) else "secret"


def _not_redacted(match: re.Match[str]) -> bool:
    return not _ALREADY.match(match.group(match.lastindex or 0))


def _ip_accept(match: re.Match[str]) -> bool:
    if match.group(0) in _NON_SENSITIVE_IPS:
        return False
    if ":" not in match.group(0):  # IPv4: skip version strings such as "version 1.2.3.4"
        before = match.string[max(0, match.start() - 12):match.start()]
        return not _VERSION_CONTEXT.search(before)
    return True


_ENCODED_LINE = r"(?m)^[ \t]*([A-Za-z0-9+/]{16,}={0,2})[ \t]*$"  # a line that is one base64 token
_ENCODED_TOKEN = r"(?<![\w+/=.-])[A-Za-z0-9+/]{40,}={0,2}(?![\w+/=.-])"  # one inside a longer line
_WORDLIKE = re.compile(r"[a-z]{6}|[A-Z]{6}")  # a run of letters no random key is likely to hold
_SHORT_WORDLIKE = re.compile(r"[a-z]{5}|[A-Z]{5}")


def _mixed_classes(token: str) -> bool:
    return any(c.isupper() for c in token) and any(c.islower() for c in token) and any(c.isdigit() for c in token)


def _is_key_line(match: re.Match[str]) -> bool:
    """A line that is nothing but a base64 token mixing upper case, lower case and digits: a line of a private
    key logged one line per event (as container runtimes and the CloudWatch agent write multi-line output),
    its short last line included."""
    token = match.group(1)
    cased = any(c.isupper() for c in token) and any(c.islower() for c in token)
    if _ALREADY.match(token) or not cased:  # (a line of only [A-Za-z0-9+/=] holds no URL or dotted path)
        return False
    if token.startswith("/"):  # a short one is a path; a long line of only [A-Za-z0-9+/=] (no dot, dash or
        return len(token) >= 40  # underscore, as paths have) is a key line that happens to start with "/"
    if any(c in token for c in "+/="):  # looks encoded
        return True
    # otherwise it needs a digit too, and a short one no word-like run: "HealthCheck2Passed" is a word, not a key
    return _mixed_classes(token) and (len(token) >= 40 or not _SHORT_WORDLIKE.search(token))


def _looks_like_key_material(match: re.Match[str]) -> bool:
    """A long random-looking base64 token inside a line (a bare secret key). Identifiers are not: a word-like run
    of letters (CamelCase class names, table names, S3 keys) or a path (leading or doubled "/")."""
    token = match.group(0)
    if token.startswith("/") or "//" in token or _WORDLIKE.search(token):
        return False
    return _mixed_classes(token)


def _secret_rules() -> list[_Rule]:
    kv_value = r"(?P<value>\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^\s\"'&,;)}\]]+)"
    return [
        _Rule("private_key", re.compile(
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY"
            r"(?: BLOCK)?-----"
            r"|[A-Za-z0-9+/=\s\\]*)")),
        _Rule("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")),
        _Rule("aws_access_key", re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])")),
        _Rule("aws_session_token", re.compile(r"(?<![A-Za-z0-9/+])(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9/+=%]{40,}")),
        _Rule("slack_token", re.compile(
            r"\b(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})"
            r"|hooks\.slack\.com/services/[A-Za-z0-9_/]+")),
        _Rule("api_key", re.compile(r"(?<![A-Za-z0-9_-])sk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}")),
        _Rule("api_key", re.compile(  # Stripe secret and restricted keys, Google API keys
            r"(?<![A-Za-z0-9_-])(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[A-Za-z0-9_-]{30,})")),
        _Rule("github_token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})")),
        _Rule("bearer_token", re.compile(
            r"(?i)\b(?:authorization[\"']?\s*[:=]\s*[\"']?(?:bearer|basic|token)\s+|bearer\s+)"
            r"([A-Za-z0-9._~+/-]{8,}=*)"), group=1, accept=_not_redacted),
        _Rule("password", re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^:/?#@\s\"']+:([^@/\s\"']+)@"),
              group=1, accept=_not_redacted),
        _Rule("url_credential", re.compile(
            r"(?i)[?&;](?:api[_-]?key|apikey|key|token|access_token|id_token|refresh_token|auth|auth_token"
            r"|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|client_secret|password"
            r"|secret)=([^&\s#\"']+)"), group=1, accept=_not_redacted),
        _Rule("aws_secret_key", re.compile(
            r"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key|secret_?key)[\"']?\s*[:=]\s*"
            r"[\"']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"), group=1, accept=_not_redacted),
        _Rule("aws_session_token", re.compile(
            r"(?i)(?:aws_?session_?token|session_?token|x-amz-security-token)[\"']?\s*[:=]\s*[\"']?"
            r"([A-Za-z0-9/+=%]{16,})"), group=1, accept=_not_redacted),
        _Rule("secret", re.compile(
            rf"(?i)(?<![A-Za-z0-9_.-])[\"']?(?P<name>{_SECRET_NAME})[\"']?\s*[:=]\s*{kv_value}"),
            group=2, accept=_value_is_secret, kind_of=_secret_kind),
        _Rule("secret", re.compile(  # Azure storage and service bus connection strings
            r"(?i)\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=([^;\s\"']+)"), group=1, accept=_not_redacted),
        _Rule("password", re.compile(  # in prose: "login failed with password hunter2", "the password is x"
            r"(?i)\b(?:(?:with|using)\s+(?:the\s+)?password|password\s+is)\s+(?P<value>[^\s\"',;]+)(?P<name>)"),
            group=1, accept=_value_is_secret),
        _Rule("encoded_secret", re.compile(_ENCODED_LINE), group=1, accept=_is_key_line),
        _Rule("encoded_secret", re.compile(_ENCODED_TOKEN), accept=_looks_like_key_material),
    ]


def _pii_rules(config: RedactionConfig) -> list[_Rule]:
    rules = []
    if config.emails:
        rules.append(_Rule("email", re.compile(
            r"(?<![A-Za-z0-9._%+/:-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
            r"(?!:[^\s\d])")))  # not git@github.com:org/repo (an SSH remote)
    if config.ip_addresses:
        rules.append(_Rule("ip_address", re.compile(rf"(?<![\w.:-]){_IPV6}(?![\w:])|(?<![\w.-]){_IPV4}(?!\w|\.\d)"),
                           accept=_ip_accept))
    return rules


class Redactor:
    """Replaces secrets and (configurable) PII with ``[REDACTED:<kind>]`` and counts them."""

    def __init__(self, config: RedactionConfig = RedactionConfig()) -> None:
        self.config = config
        self._rules = _secret_rules()
        self._rules += [_Rule("custom", re.compile(p)) for p in config.extra_patterns]
        self._rules += _pii_rules(config)
        self._counts: Counter[str] = Counter()

    def redact(self, text: str) -> str:
        """Return ``text`` with every finding replaced; counts go to the receipt."""
        if not text:
            return text
        for rule in self._rules:
            text = rule.pattern.sub(lambda m, r=rule: self._replace(r, m), text)
        return text

    def redact_obj(self, obj: object) -> object:
        """Redact every string inside dicts, lists and tuples; values under secret-named keys entirely."""
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return {key: self._redact_item(key, value) for key, value in obj.items()}
        if isinstance(obj, list):
            return [self.redact_obj(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.redact_obj(item) for item in obj)
        return obj

    def receipt(self) -> dict[str, int]:
        """Cumulative counts by kind."""
        return dict(self._counts)

    def receipt_text(self) -> str:
        """Human summary, e.g. ``redacted: 3 AWS access keys, 12 emails``."""
        if not self._counts:
            return "nothing redacted"
        order = list(KIND_LABELS)
        parts = []
        for kind in sorted(self._counts, key=lambda k: order.index(k) if k in order else len(order)):
            count = self._counts[kind]
            singular, plural = KIND_LABELS.get(kind, (kind, kind))
            parts.append(f"{count} {singular if count == 1 else plural}")
        return "redacted: " + ", ".join(parts)

    def _redact_item(self, key: object, value: object) -> object:
        if isinstance(key, str) and isinstance(value, str) and value and _SECRET_NAME_ONLY.match(key) \
                and not _NOT_SECRET_NAMES.search(key) and not _ALREADY.match(value):
            kind = "password" if re.search(r"(?i)pass|pwd", key) else "secret"
            self._counts[kind] += 1
            return MARK.format(kind)
        return self.redact_obj(value)

    def _replace(self, rule: _Rule, match: re.Match[str]) -> str:
        if rule.accept is not None and not rule.accept(match):
            return match.group(0)
        kind = rule.kind_of(match) if rule.kind_of else rule.kind
        self._counts[kind] += 1
        whole, start = match.group(0), match.start()
        inner_start, inner_end = match.start(rule.group) - start, match.end(rule.group) - start
        value = whole[inner_start:inner_end]
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            inner_start, inner_end = inner_start + 1, inner_end - 1  # keep the quotes: JSON stays JSON
        return whole[:inner_start] + MARK.format(kind) + whole[inner_end:]


def redact_text(text: str, config: RedactionConfig = RedactionConfig()) -> str:
    """One-shot convenience: redact ``text`` with a fresh ``Redactor``."""
    return Redactor(config).redact(text)
