"""Markdown narrative built from a *validated* answer (never the model's free text).

Model text is made inert for chat surfaces here (control characters dropped,
angle brackets swapped for look-alikes so ``<!channel>``/``<@U..>``/links cannot
form); the Slack renderer must still apply its own mrkdwn escaping.
"""
from __future__ import annotations

import re
from typing import Sequence

from analyzers.model import Hypothesis
from analyzers.report.md_text import flat

from .schema import AnalysisAnswer

_BLOCK_START = re.compile(r"[#>*+=_~|-]|\d{1,9}[.)]")  # what would start a heading, quote, list or rule


def plain(text: str, limit: int = 600) -> str:
    """Model text as one inert line: no control or direction characters, no <...> (mentions, links), no
    code fence, and nothing at its start that Markdown would read as a heading, quote, list item or rule."""
    text = flat(text).replace("<", "‹").replace(">", "›").replace("```", "'''")
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return "\u200b" + text if _BLOCK_START.match(text) else text


def build_narrative(answer: AnalysisAnswer, hypotheses: Sequence[Hypothesis], reranked: bool,
                    redaction_text: str) -> str:
    lines = [plain(answer.summary, 2000)]
    if answer.causal_chain:
        lines += ["", "**Causal chain**"]
        lines += [f"{n}. {plain(s.step)} [{', '.join(plain(i, 60) for i in s.evidence_ids)}]"
                  for n, s in enumerate(answer.causal_chain, start=1)]
    if answer.ranking:
        lines += ["", "**Ranking** (" + ("re-ranked by Claude" if reranked else "agrees with the engine") + ")"]
        for n, number in enumerate(answer.ranking, start=1):
            h = hypotheses[number - 1]
            lines.append(f"{n}. {h.category.replace('_', ' ')} on {h.resource.type} {plain(h.resource.id, 120)}")
    if answer.next_checks:
        lines += ["", "**Next checks**"]
        lines += [f"- {plain(c)}" for c in answer.next_checks]
    lines += ["", f"_Claude saw mined log patterns, metrics and changes only, no raw logs ({redaction_text})._"]
    return "\n".join(lines)
