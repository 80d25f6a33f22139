"""Salient words of a log template: error-ish terms and exception names, for summaries and
for matching log patterns to hypotheses."""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

_EXCEPTION_NAME = re.compile(r"\b(?:[A-Za-z_][\w$]*\.)*([A-Z][\w$]*(?:Error|Exception|Exceeded|Fault))\b")
_ERROR_TERMS = re.compile(
    r"\b(error|errors|exception|fail|failed|failing|failure|fatal|panic|crash(?:ed)?|"
    r"timeout|timed out|time out|refused|denied|unauthori[sz]ed|forbidden|throttl\w*|"
    r"out of memory|oom|killed|abort(?:ed)?|deadlock(?:ed)?|unavailable|unreachable|"
    r"reset|rejected|invalid|corrupt(?:ed)?|exceeded|exhausted|too many|not found|"
    r"cannot|can't|unable|warn|warning|critical|severe|retry(?:ing)?|rollback|"
    r"traceback|segfault|segmentation fault|overflow|lost|broken|disconnected)\b",
    re.IGNORECASE,
)


def extract_keywords(template: str) -> tuple[str, ...]:
    """Exception names (as written) and error-ish terms (lower case), first occurrence order."""
    found: list[tuple[int, str]] = []
    for match in _EXCEPTION_NAME.finditer(template):
        found.append((match.start(1), match.group(1)))
    exception_spans = [(m.start(), m.end()) for m in _EXCEPTION_NAME.finditer(template)]
    for match in _ERROR_TERMS.finditer(template):
        inside_exception_name = any(start <= match.start() < end for start, end in exception_spans)
        if not inside_exception_name:
            found.append((match.start(), match.group(1).lower()))
    keywords: list[str] = []
    for _position, word in sorted(found):
        if word not in keywords:
            keywords.append(word)
    return tuple(keywords)
