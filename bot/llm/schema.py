"""The structured answers Claude must give (tool input schemas) and their strict validation.

The tool schemas are hand-written JSON Schema (no ``$ref``) mirroring the pydantic
models; the models are the authority: whatever the tool returns is validated here,
then checked against the evidence ids and hypotheses actually sent.
"""
from __future__ import annotations

from typing import Any, Sequence

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analyzers.llm_evidence import is_rankable
from analyzers.model import Hypothesis

ANALYSIS_TOOL = "report_analysis"
BATCH_TOOL = "report_batch_summary"


class AnswerError(ValueError):
    """The model's answer is unusable (schema violation, unknown ids, illegal ranking)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "1" is no hypothesis number


class CausalStep(_Strict):
    step: str = Field(min_length=1, max_length=600)
    evidence_ids: list[str] = Field(min_length=1, max_length=10)


class AnalysisAnswer(_Strict):
    summary: str = Field(min_length=1, max_length=2000)
    causal_chain: list[CausalStep] = Field(default_factory=list, max_length=8)
    ranking: list[int] = Field(default_factory=list, max_length=10)
    next_checks: list[str] = Field(default_factory=list, max_length=8)
    cited_evidence_ids: list[str] = Field(min_length=1, max_length=40)


class BatchSummary(_Strict):
    summary: str = Field(min_length=1, max_length=1500)
    evidence_ids: list[str] = Field(default_factory=list, max_length=30)


_IDS = {"type": "array", "items": {"type": "string"}}

ANALYSIS_TOOL_SPEC: dict[str, Any] = {
    "name": ANALYSIS_TOOL,
    "description": "Report the incident analysis. Cite only evidence ids that appear in the evidence blocks "
                   "or hypotheses; rank only hypotheses marked as rankable, by their number (H1 -> 1).",
    "input_schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["summary", "causal_chain", "ranking", "next_checks", "cited_evidence_ids"],
        "properties": {
            "summary": {"type": "string", "description": "2-4 sentences: what happened and the likely cause."},
            "causal_chain": {"type": "array", "maxItems": 8, "items": {
                "type": "object", "additionalProperties": False, "required": ["step", "evidence_ids"],
                "properties": {"step": {"type": "string"}, "evidence_ids": {**_IDS, "minItems": 1}}}},
            "ranking": {"type": "array", "maxItems": 10, "items": {"type": "integer", "minimum": 1},
                        "description": "Hypothesis numbers, most likely first. Empty keeps the engine's order."},
            "next_checks": {"type": "array", "maxItems": 8, "items": {"type": "string"},
                            "description": "Read-only checks a responder should do next (no commands to run)."},
            "cited_evidence_ids": {**_IDS, "minItems": 1},
        },
    },
}

BATCH_TOOL_SPEC: dict[str, Any] = {
    "name": BATCH_TOOL,
    "description": "Summarise this batch of incident evidence for a later analysis step.",
    "input_schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["summary", "evidence_ids"],
        "properties": {
            "summary": {"type": "string", "description": "At most 6 short sentences on what matters."},
            "evidence_ids": {**_IDS, "description": "Ids of the most relevant evidence in this batch."},
        },
    },
}


def _parse(model: type[BaseModel], raw: object) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(root)"
        raise AnswerError(f"schema violation at {where}: {first['msg']}") from None


def validate_answer(raw: object, known_ids: frozenset[str], hypotheses: Sequence[Hypothesis]) -> AnalysisAnswer:
    """The validated final answer; AnswerError says what is wrong."""
    answer: AnalysisAnswer = _parse(AnalysisAnswer, raw)
    cited = set(answer.cited_evidence_ids)
    for step in answer.causal_chain:
        cited.update(step.evidence_ids)
    unknown = sorted(cited - known_ids)
    if unknown:
        raise AnswerError(f"cites unknown evidence ids: {', '.join(unknown[:5])}")
    if len(set(answer.ranking)) != len(answer.ranking):
        raise AnswerError("ranking repeats a hypothesis")
    for number in answer.ranking:
        if not 1 <= number <= len(hypotheses):
            raise AnswerError(f"ranks H{number}, which is not among the {len(hypotheses)} hypotheses")
        if not is_rankable(hypotheses[number - 1]):
            raise AnswerError(f"ranks H{number}, which has no evidence ids")
    return answer


def validate_batch(raw: object, batch_ids: frozenset[str]) -> BatchSummary:
    """An intermediate summary: schema enforced, ids outside the batch dropped (only the final answer is strict)."""
    summary: BatchSummary = _parse(BatchSummary, raw)
    kept = [i for i in summary.evidence_ids if i in batch_ids]
    return summary if len(kept) == len(summary.evidence_ids) else summary.model_copy(update={"evidence_ids": kept})
