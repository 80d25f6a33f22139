"""Markdown narrative built from a *validated* answer (never the model's free text).

Model text is made inert for chat surfaces here (control characters dropped,
angle brackets swapped for look-alikes so ``<!channel>``/``<@U..>``/links cannot
form); the Slack renderer must still apply its own mrkdwn escaping.
"""
from __future__ import annotations

import re
from typing import Sequence

from analyzers.model import Hypothesis

from .schema import AnalysisAnswer

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: str, limit: int = 600) -> str:
    text = _CONTROL.sub(" ", text).replace("<", "‹").replace(">", "›").replace("```", "'''")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
