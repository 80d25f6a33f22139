"""The evidence pack sent to the LLM, its token budget, and applying the LLM's re-ranking.

Pure: no I/O, no SDKs. Raw log lines never get here; only mined patterns
(template + at most two truncated samples), anomalies, changes, the timeline and
the hypotheses with their evidence lines. Every text goes through ``redact``
before it is stored in an item, and untrusted text is neutralised so that it
cannot close the ``<evidence>`` block it is wrapped in.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from .model import Anomaly, Change, Hypothesis, LogPattern, TimelineEvent, iso

CHARS_PER_TOKEN = 4
MAX_SAMPLES = 2
TEMPLATE_CHARS = 400
SAMPLE_CHARS = 300
LINE_CHARS = 240
MAX_HYPOTHESES = 6
MAX_HYPOTHESIS_LINES = 5
MAX_TIMELINE_EVENTS = 30
MAX_BATCHES = 4

_TAG = re.compile(r"(?i)<\s*(/?)\s*(evidence|hypothes[ie]s|batch_summary|instructions|system|data)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def estimate_tokens(text: str) -> int:
    """~4 characters per token: a deliberately simple, slightly pessimistic estimate."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def neutralise(text: str, limit: int | None = None) -> str:
    """Untrusted text made inert inside our delimiters: control chars dropped, our tags defused, truncated."""
    text = _CONTROL.sub(" ", text or "")
    text = _TAG.sub(lambda m: f"[{m.group(1)}{m.group(2)}", text)
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


@dataclass(frozen=True)
class EvidenceItem:
    """One citable piece of evidence, already redacted and truncated."""

    id: str
    kind: str  # log_pattern | anomaly | change | timeline
    text: str
    priority: int  # lower = sent first

    def render(self) -> str:
        return f'<evidence id="{self.id}" kind="{self.kind}">\n{self.text}\n</evidence>'

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.render()) + 1


@dataclass(frozen=True)
class EvidencePack:
    """Hypotheses (always sent) and the evidence items, most important first."""

    hypotheses: tuple[Hypothesis, ...]
    hypotheses_text: str
    items: tuple[EvidenceItem, ...]

    @property
    def known_ids(self) -> frozenset[str]:
        ids = {i.id for i in self.items}
        for h in self.hypotheses:
            ids.update(h.evidence_ids)
        return frozenset(ids)

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.hypotheses_text) + sum(i.tokens for i in self.items)


@dataclass(frozen=True)
class BatchPlan:
    """How the items are sent: one batch = one direct call; several = map-reduce."""

    batches: tuple[tuple[EvidenceItem, ...], ...]
    dropped: tuple[str, ...] = ()

    @property
    def map_reduce(self) -> bool:
        return len(self.batches) > 1


def is_rankable(h: Hypothesis) -> bool:
    """The LLM may only move hypotheses that carry evidence ids (never the 'unknown' placeholder)."""
    return h.category != "unknown" and bool(h.evidence_ids)


# Building -----------------------------------------------------------------------------
def _pattern_text(p: LogPattern, redact: Callable[[str], str]) -> str:
    flags = ", ".join(x for x in (p.level, "new" if p.new else None, p.kind if p.kind != "app" else None) if x)
    lines = [f"log group: {neutralise(redact(p.log_group), LINE_CHARS)}" + (f" [{flags}]" if flags else ""),
             f"count before/after onset: {p.count_before}/{p.count_after}; rate per min {p.rate_before:.2f} -> "
             f"{p.rate_after:.2f}; first {iso(p.first_seen)}, last {iso(p.last_seen)}",
             f"template: {neutralise(redact(p.template), TEMPLATE_CHARS)}"]
    if p.exception_type:
        lines.append(f"exception: {neutralise(redact(p.exception_type), LINE_CHARS)}")
    lines += [f"sample: {neutralise(redact(s), SAMPLE_CHARS)}" for s in p.samples[:MAX_SAMPLES]]
    return "\n".join(lines)


def _anomaly_text(a: Anomaly, redact: Callable[[str], str]) -> str:
    where = f" on {a.resource.type} {a.resource.id}" if a.resource else ""
    return neutralise(redact(f"metric {a.key.label}{where} went {a.direction}: baseline {a.baseline:g} -> peak "
                             f"{a.peak:g}, onset {iso(a.onset)}, anomaly score {a.score:.2f}"), 2 * LINE_CHARS)


def _change_text(c: Change, redact: Callable[[str], str]) -> str:
    target = " ".join(x for x in (c.resource_type, c.resource_name) if x) or "unknown resource"
    who = f" by {c.username}" if c.username else ""
    return neutralise(redact(f"{c.event_name} ({c.event_source}) on {target}{who} at {iso(c.time)}, "
                             f"source {c.source}"), 2 * LINE_CHARS)


def _timeline_text(events: Sequence[TimelineEvent], redact: Callable[[str], str]) -> str:
    lines = []
    for e in list(events)[:MAX_TIMELINE_EVENTS]:
        ref = f" ({e.evidence_id})" if e.evidence_id else ""
        lines.append(f"{iso(e.time)} {e.kind}: {neutralise(redact(e.text), LINE_CHARS)}{ref}")
    return "\n".join(lines)


def _hypotheses_text(hypotheses: Sequence[Hypothesis], redact: Callable[[str], str]) -> str:
    blocks = []
    for n, h in enumerate(hypotheses, start=1):
        tag = "" if is_rankable(h) else " (not rankable: no evidence ids)"
        lines = [f"H{n}: {h.category} on {h.resource.type} {neutralise(redact(h.resource.id), LINE_CHARS)}, "
                 f"engine confidence {h.confidence:.2f}{tag}",
                 f"  rationale: {neutralise(redact(h.rationale), LINE_CHARS)}",
                 f"  evidence ids: {', '.join(h.evidence_ids) or 'none'}"]
        lines += [f"  - {neutralise(redact(line), LINE_CHARS)}" for line in h.evidence[:MAX_HYPOTHESIS_LINES]]
        blocks.append("\n".join(lines))
    return "<hypotheses>\n" + "\n".join(blocks) + "\n</hypotheses>"


def build_evidence(hypotheses: Sequence[Hypothesis], patterns: Sequence[LogPattern] = (),
                   anomalies: Sequence[Anomaly] = (), changes: Sequence[Change] = (),
                   timeline: Sequence[TimelineEvent] = (), metrics_summary: Sequence[Mapping[str, Any]] = (),
                   redact: Callable[[str], str] = lambda s: s) -> EvidencePack:
    """The pack, most useful first: evidence the hypotheses cite, new/surging error patterns, anomalies..."""
    hyps = tuple(hypotheses)[:MAX_HYPOTHESES]
    cited = {i for h in hyps for i in h.evidence_ids}
    items: list[EvidenceItem] = []
    for p in patterns:
        rank = 0 if p.id in cited else (1 if p.is_error and (p.new or p.rate_after > p.rate_before) else 5)
        items.append(EvidenceItem(p.id, "log_pattern", _pattern_text(p, redact), rank))
    for a in anomalies:
        items.append(EvidenceItem(a.id, "anomaly", _anomaly_text(a, redact), 0 if a.id in cited else 2))
    for c in changes:
        cid = f"c:{c.id}"
        items.append(EvidenceItem(cid, "change", _change_text(c, redact), 0 if cid in cited else 3))
    for m in metrics_summary:
        mid = str(m.get("id", ""))
        if mid:
            text = ", ".join(f"{k}={v}" for k, v in m.items() if k != "id" and v is not None)
            items.append(EvidenceItem(mid, "metric", neutralise(redact(text), 2 * LINE_CHARS),
                                      0 if mid in cited else 4))
    if timeline:
        items.append(EvidenceItem("timeline", "timeline", _timeline_text(timeline, redact), 1))
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda i: (i.priority, order[id(i)]))
    return EvidencePack(hyps, _hypotheses_text(hyps, redact), tuple(items))


# Packing ------------------------------------------------------------------------------
def _fit(item: EvidenceItem, tokens: int) -> EvidenceItem:
    """The item truncated so that it renders within ``tokens``."""
    overhead = estimate_tokens(EvidenceItem(item.id, item.kind, "", item.priority).render()) + 2
    chars = max(40, (tokens - overhead) * CHARS_PER_TOKEN)
    return item if item.tokens <= tokens else EvidenceItem(item.id, item.kind, neutralise(item.text, chars),
                                                           item.priority)


def plan_batches(items: Sequence[EvidenceItem], available_tokens: int,
                 max_batches: int = MAX_BATCHES) -> BatchPlan:
    """Split items (already in priority order) into at most ``max_batches`` batches of ``available_tokens``.

    One batch means everything fits in a single call. Items that fit in no batch are dropped (their ids
    are reported), so the number of calls is bounded by ``max_batches + 1``.
    """
    available = max(50, available_tokens)
    batches: list[list[EvidenceItem]] = [[]]
    used = 0
    dropped: list[str] = []
    for item in items:
        item = _fit(item, available)
        if used + item.tokens > available and batches[-1]:
            if len(batches) >= max_batches:
                dropped.append(item.id)
                continue
            batches.append([])
            used = 0
        batches[-1].append(item)
        used += item.tokens
    return BatchPlan(tuple(tuple(b) for b in batches if b) or ((),), tuple(dropped))


def take_within(items: Iterable[EvidenceItem], tokens: int) -> tuple[EvidenceItem, ...]:
    """The leading items (priority order) whose rendering fits in ``tokens``."""
    out, used = [], 0
    for item in items:
        if used + item.tokens > tokens:
            continue
        out.append(item)
        used += item.tokens
    return tuple(out)


def render_items(items: Iterable[EvidenceItem]) -> str:
    return "\n".join(item.render() for item in items)


# Applying the answer ------------------------------------------------------------------
def ranking_key(h: Hypothesis) -> tuple[str, str, str]:
    return (h.category, h.resource.type, h.resource.id)


def apply_llm_ranking(hypotheses: Sequence[Hypothesis], llm_result: Mapping[str, Any] | None) -> tuple[Hypothesis, ...]:
    """Hypotheses re-ordered by a *valid* LLM ranking; unchanged otherwise. Idempotent.

    ``llm_result["ranking"]`` lists ``{"category", "resource_type", "resource_id"}``; the named
    hypotheses come first in that order, the others keep the engine's order. Confidences are the
    engine's (not rewritten). Only rankable hypotheses (with evidence ids) move, and only among their own
    slots: an ``unknown`` placeholder the engine put first stays first.
    """
    hyps = tuple(hypotheses)
    if not llm_result or llm_result.get("status") != "ok" or not llm_result.get("ranking"):
        return hyps
    by_key = {ranking_key(h): h for h in hyps}
    chosen: list[Hypothesis] = []
    for entry in llm_result["ranking"]:
        key = (entry.get("category"), entry.get("resource_type"), entry.get("resource_id"))
        h = by_key.get(key)  # type: ignore[arg-type]
        if h is None or not is_rankable(h) or h in chosen:
            return hyps  # stale or invalid ranking: keep the engine's
        chosen.append(h)
    movable = chosen + [h for h in hyps if is_rankable(h) and h not in chosen]
    refill = iter(movable)
    return tuple(next(refill) if is_rankable(h) else h for h in hyps)
