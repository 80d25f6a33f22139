"""Log analysis (pure): template mining, event assembly (stack traces, Lambda, JSON), keywords."""

from analyzers.logs.events import (
    DEFAULT_JOIN_WINDOW_S,
    EVENT_KINDS,
    ParsedEvent,
    assemble_messages,
    parse_event,
    parse_events,
)
from analyzers.logs.keywords import extract_keywords
from analyzers.logs.line_formats import detect_level, normalize_level
from analyzers.logs.masking import WILDCARD, mask_line, tokenize
from analyzers.logs.stacktraces import StackSummary, summarize_stack
from analyzers.logs.templates import Cluster, TemplateMiner

__all__ = [
    "DEFAULT_JOIN_WINDOW_S",
    "EVENT_KINDS",
    "WILDCARD",
    "Cluster",
    "ParsedEvent",
    "StackSummary",
    "TemplateMiner",
    "assemble_messages",
    "detect_level",
    "extract_keywords",
    "mask_line",
    "normalize_level",
    "parse_event",
    "parse_events",
    "summarize_stack",
    "tokenize",
]
