"""Markdown for untrusted text: log lines, CloudTrail fields, resource names and Claude's words.

A log line or a CloudTrail user name is attacker-influenced. Put raw into a Markdown document it could
add a heading, a fake code block, a link, a tracking image or HTML. These helpers keep such text inert:
`inline` (one line, every Markdown and HTML metacharacter escaped), `code_span` (one line as code,
fenced by more backticks than it holds), `fence` (a code block no line of the body can close) and
`prose` (multi-line Markdown kept as emphasis and lists, minus anything that could restructure the document
or point elsewhere).
"""
from __future__ import annotations

import re
from typing import Any

BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # direction overrides make text read other than it is (a
# character-class fragment, for every place that cleans untrusted text)
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f\\u2028\\u2029{BIDI}]+")
_CONTROL_KEEP_NEWLINE = re.compile(f"[\\x00-\\x09\\x0b-\\x1f\\x7f\\u2028\\u2029{BIDI}]+")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<#|~])|^(>)")  # emphasis, code, links/images, HTML, headings,
# tables, and a quote at the start (a ">" elsewhere, as in "a -> b", is plain text)
_PROSE_SPECIAL = re.compile(r"([\[\]<|])")
_FENCE_START = re.compile(r"^(\s*)(`{3,}|~{3,}|>|#)")
_BACKTICKS = re.compile(r"`+")


def flat(text: Any) -> str:
    """`text` as one line: control characters and line breaks become single spaces."""
    return _CONTROL.sub(" ", "" if text is None else str(text)).strip()


def printable(text: Any) -> str:
    """`text` without control characters other than newlines (no terminal escape sequences)."""
    return _CONTROL_KEEP_NEWLINE.sub(" ", "" if text is None else str(text))


def printable_obj(obj: Any) -> Any:
    """`printable` applied to every string inside dicts and lists (a report from untrusted sources)."""
    if isinstance(obj, str):
        return printable(obj)
    if isinstance(obj, dict):
        return {key: printable_obj(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [printable_obj(item) for item in obj]
    return obj


def inline(text: Any) -> str:
    """One line of plain text, safe anywhere in a Markdown line or table cell."""
    return _INLINE_SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), flat(text))


def code_span(text: Any, in_table: bool = False) -> str:
    """One line shown as inline code; `in_table` also escapes ``|`` (GFM reads it before the span)."""
    value = flat(text)
    if in_table:
        value = value.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(value)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def fence(body: str, info: str = "") -> list[str]:
    """Lines of a fenced code block holding `body`, fenced by more backticks than any run in it."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [f"{ticks}{info}", body.rstrip(), ticks]


def prose(text: Any) -> str:
    """Multi-line Markdown kept as formatting (emphasis, lists), without headings, tables, links, images, HTML,
    code fences or quotes, so that untrusted words cannot point a reader elsewhere or swallow the document."""
    lines = printable(text).split("\n")
    return "\n".join(_FENCE_START.sub(r"\1\\\2", _PROSE_SPECIAL.sub(r"\\\1", line)) for line in lines)
