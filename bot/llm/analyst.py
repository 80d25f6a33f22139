"""The engine's ``llm`` step: Claude explains (and may re-rank) the deterministic analysis.

Never raises for vendor trouble: any failure returns ``status`` "failed" (or
"budget_exceeded") with ``step_status`` "degraded", and the engine keeps its own
ranking. Every call's tokens and estimated cost go to ``store.record_llm_usage``.
Narrative text is model output: renderers must still escape it for Slack mrkdwn.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from analyzers.llm_evidence import (BatchPlan, EvidencePack, apply_llm_ranking, build_evidence, plan_batches,
                                    ranking_key, take_within)
from bot.config import Config, Secrets

from .client import (Price, build_client, call_deadline, call_with_deadline, describe_error,
                     is_tool_choice_rejection, price_for)
from .prompt import batch_request, final_request, fixed_tokens, request_tokens
from .schema import ANALYSIS_TOOL, BATCH_TOOL, AnalysisAnswer, AnswerError, validate_answer, validate_batch
from .narrative import build_narrative

log = logging.getLogger(__name__)

BATCH_MAX_TOKENS = 400
SUMMARY_CHARS = 900


class _Stop(Exception):
    """Ends the step early with a status ("failed" | "budget_exceeded") and a reason."""

    def __init__(self, status: str, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class _Run:
    """Bookkeeping of one ``explain`` call."""

    inv_id: str
    spent_before: float
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    request_tokens: list[int] = field(default_factory=list)


class LlmAnalyst:
    """Builds the redacted evidence pack, asks Claude through one forced tool, validates the answer."""

    def __init__(self, client: Any, model: str, store: Any, redactor_factory: Callable[[], Any] | None = None, *,
                 max_input_tokens: int = 8000, max_output_tokens: int = 1500, budget_usd: float = 0.5,
                 timeout: float = 60.0, max_retries: int = 2):
        self.client = client
        self.model = model
        self.store = store
        self.redactor_factory = redactor_factory
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        self.budget_usd = budget_usd
        self.timeout = timeout
        self.deadline = call_deadline(timeout, max_retries)
        self.price: Price = price_for(model)

    @classmethod
    def from_config(cls, config: Config, secrets: Secrets, store: Any, redactor_factory: Callable[[], Any] | None,
                    *, base_url: str | None = None, client: Any = None) -> "LlmAnalyst":
        llm = config.llm
        client = client or build_client(config, secrets.anthropic_api_key, base_url)
        return cls(client, llm.model, store, redactor_factory, max_input_tokens=llm.max_input_tokens,
                   max_output_tokens=llm.max_output_tokens, budget_usd=llm.budget_usd, timeout=llm.timeout,
                   max_retries=llm.max_retries)

    # Public ---------------------------------------------------------------------------
    def explain(self, inv_id: str, analysis: Any, logs: Any) -> dict[str, Any]:
        redactor = self._redactor()
        run = _Run(inv_id, self._spent(inv_id))
        try:
            if analysis is None or not analysis.hypotheses:
                raise _Stop("failed", "no analysis to explain")
            pack = self.pack(analysis, logs, redactor.redact)
            plan = self.plan(pack)
            self._check_plan_budget(run, pack, plan)
            answer = self._answer(run, pack, plan)
            result = self._result(run, redactor, "ok", None, pack, plan)
            result.update(self._from_answer(answer, pack, redactor))
            log.info("llm step of %s: ok, %d calls, %d/%d tokens, $%.4f", inv_id, run.calls, run.input_tokens,
                     run.output_tokens, run.cost_usd)
            return result
        except _Stop as stop:
            log.warning("llm step of %s: %s", inv_id, stop.reason)
            return self._result(run, redactor, stop.status, stop.reason)

    def pack(self, analysis: Any, logs: Any, redact: Callable[[str], str]) -> EvidencePack:
        return build_evidence(analysis.hypotheses, getattr(logs, "patterns", ()) or (), analysis.anomalies,
                              analysis.related_changes, analysis.timeline, redact=redact)

    def plan(self, pack: EvidencePack) -> BatchPlan:
        return plan_batches(pack.items, self.max_input_tokens - fixed_tokens(pack.hypotheses_text))

    def estimate_input_tokens(self, pack: EvidencePack, plan: BatchPlan) -> int:
        """Input tokens the requests would carry (summaries assumed at their maximum size)."""
        if not plan.map_reduce:
            return request_tokens(final_request(self.model, self.max_output_tokens, pack.hypotheses_text,
                                                plan.batches[0]))
        total = sum(request_tokens(batch_request(self.model, self.batch_max_tokens, pack.hypotheses_text, b, n,
                                                 len(plan.batches))) for n, b in enumerate(plan.batches, 1))
        filler = [("x" * SUMMARY_CHARS, ())] * len(plan.batches)
        return total + request_tokens(self._final_with_summaries(pack, filler))

    def _check_plan_budget(self, run: _Run, pack: EvidencePack, plan: BatchPlan) -> None:
        """Refuse a plan whose calls together could cost more than the budget left, before the first one (a
        map-reduce that stops half-way has spent money for no narrative)."""
        outputs = self.max_output_tokens + (self.batch_max_tokens * len(plan.batches) if plan.map_reduce else 0)
        worst = self.price.cost(self.estimate_input_tokens(pack, plan), outputs)
        if plan.map_reduce and run.spent_before + worst > self.budget_usd:
            self._record(run, 0, 0, "budget_exceeded")
            raise _Stop("budget_exceeded",
                        f"LLM budget of ${self.budget_usd:g} per investigation is too small for this evidence "
                        f"({len(plan.batches)} batch calls and a final one, up to ${worst:.4f}; spent before "
                        f"${run.spent_before:.4f}); nothing was sent")

    # Calls ----------------------------------------------------------------------------
    def _answer(self, run: _Run, pack: EvidencePack, plan: BatchPlan) -> AnalysisAnswer:
        if not plan.map_reduce:
            request = final_request(self.model, self.max_output_tokens, pack.hypotheses_text, plan.batches[0])
        else:
            summaries = []
            for n, batch in enumerate(plan.batches, start=1):
                ids = frozenset(i.id for i in batch)
                summary = self._call(run, batch_request(self.model, self.batch_max_tokens, pack.hypotheses_text, batch,
                                                        n, len(plan.batches)), BATCH_TOOL,
                                     lambda raw, ids=ids: validate_batch(raw, ids))
                summaries.append((summary.summary, tuple(summary.evidence_ids)))
            request = self._final_with_summaries(pack, summaries)
        return self._call(run, request, ANALYSIS_TOOL,
                          lambda raw: validate_answer(raw, pack.known_ids, pack.hypotheses))

    def _final_with_summaries(self, pack: EvidencePack, summaries: list[tuple[str, Any]]) -> dict[str, Any]:
        short = [(s[:SUMMARY_CHARS], ids) for s, ids in summaries]
        base = final_request(self.model, self.max_output_tokens, pack.hypotheses_text, (), short)
        room = self.max_input_tokens - request_tokens(base)
        request = final_request(self.model, self.max_output_tokens, pack.hypotheses_text,
                                take_within(pack.items, room), short)
        for _ in range(4):  # items are sized as text; escaped in JSON they can weigh more: shrink until they fit
            over = request_tokens(request) - self.max_input_tokens
            if over <= 0 or room <= 0:
                break
            room -= over
            request = final_request(self.model, self.max_output_tokens, pack.hypotheses_text,
                                    take_within(pack.items, room), short)
        return request

    def _call(self, run: _Run, request: dict[str, Any], tool: str, validate: Callable[[Any], Any]) -> Any:
        """One Messages call through the token and budget gates; returns the validated tool input. Its usage
        row says "ok" only for an answer that passes `validate` ("invalid" otherwise)."""
        estimate = request_tokens(request)
        if estimate > self.max_input_tokens:  # the fixed part (prompt, tools, hypotheses) alone is too big
            sent = (f"the {run.calls} call(s) made before it are counted in the usage" if run.request_tokens
                    else "nothing was sent")
            raise _Stop("failed", f"a request needs about {estimate} input tokens, over llm.max_input_tokens "
                                   f"({self.max_input_tokens}); {sent}")
        worst = self.price.cost(estimate, request["max_tokens"])
        if run.spent_before + run.cost_usd + worst > self.budget_usd:
            self._record(run, 0, 0, "budget_exceeded")
            raise _Stop("budget_exceeded",
                        f"LLM budget of ${self.budget_usd:g} per investigation reached "
                        f"(spent ${run.spent_before + run.cost_usd:.4f}, next call up to ${worst:.4f})")
        run.request_tokens.append(estimate)
        try:
            response = self._create(request)
        except Exception as exc:  # SDK errors after its own retries; never crash the investigation
            self._record(run, 0, 0, "failed")
            raise _Stop("failed", describe_error(exc, self.timeout)) from None
        usage = getattr(response, "usage", None)
        tokens_in = max(int(getattr(usage, "input_tokens", 0) or 0), 0)  # a negative count must not refund
        tokens_out = max(int(getattr(usage, "output_tokens", 0) or 0), 0)  # the budget
        blocks = [b for b in (response.content or []) if getattr(b, "type", "") == "tool_use" and b.name == tool]
        if not blocks:
            self._record(run, tokens_in, tokens_out, "invalid")
            raise _Stop("failed", f"invalid answer from Claude: no {tool} tool call "
                                  f"(stop_reason {getattr(response, 'stop_reason', None)})")
        try:
            answer = validate(blocks[0].input)
        except AnswerError as exc:
            self._record(run, tokens_in, tokens_out, "invalid")
            raise _Stop("failed", f"invalid answer from Claude: {exc}") from None
        self._record(run, tokens_in, tokens_out, "ok")
        return answer

    @property
    def batch_max_tokens(self) -> int:
        """Output tokens of one map-reduce batch summary (never over llm.max_output_tokens)."""
        return min(BATCH_MAX_TOKENS, self.max_output_tokens)

    def _create(self, request: dict[str, Any]) -> Any:
        return call_with_deadline(lambda: self._create_once(request), self.deadline)

    def _create_once(self, request: dict[str, Any]) -> Any:
        try:
            return self.client.messages.create(**request)
        except Exception as exc:
            if request["tool_choice"].get("type") != "tool" or not is_tool_choice_rejection(exc):
                raise
            log.info("model %s rejected a forced tool_choice; retrying once with auto", self.model)
            return self.client.messages.create(**{**request, "tool_choice": {"type": "auto"}})

    def _record(self, run: _Run, tokens_in: int, tokens_out: int, status: str) -> None:
        cost = self.price.cost(tokens_in, tokens_out)
        if status != "budget_exceeded":
            run.calls += 1
        run.input_tokens += tokens_in
        run.output_tokens += tokens_out
        run.cost_usd += cost
        try:
            self.store.record_llm_usage(investigation_id=run.inv_id, model=self.model, input_tokens=tokens_in,
                                        output_tokens=tokens_out, cost_usd=round(cost, 6), status=status)
        except Exception:  # accounting must not lose the investigation
            log.exception("could not record LLM usage for %s", run.inv_id)

    # Results --------------------------------------------------------------------------
    def _result(self, run: _Run, redactor: Any, status: str, error: str | None, pack: EvidencePack | None = None,
                plan: BatchPlan | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {
            "status": status, "step_status": "ok" if status == "ok" else "degraded",
            "narrative": None, "summary": None, "causal_chain": [], "next_checks": [], "reranked": False,
            "ranking": [], "input_tokens": run.input_tokens, "output_tokens": run.output_tokens,
            "cost_usd": round(run.cost_usd, 6), "model": self.model, "error": error, "calls": run.calls,
            "request_tokens": list(run.request_tokens), "redaction": redactor.receipt(),
            "redaction_text": redactor.receipt_text(),
        }
        if status != "ok":
            result["note"] = f"deterministic analysis only: {error}"
        if pack is not None and plan is not None:
            result["evidence"] = {"items": len(pack.items), "batches": len(plan.batches),
                                  "map_reduce": plan.map_reduce, "dropped": list(plan.dropped)}
        return result

    def _from_answer(self, answer: AnalysisAnswer, pack: EvidencePack, redactor: Any) -> dict[str, Any]:
        ranking = []
        for number in answer.ranking:
            category, rtype, rid = ranking_key(pack.hypotheses[number - 1])
            ranking.append({"hypothesis": number, "category": category, "resource_type": rtype, "resource_id": rid})
        out: dict[str, Any] = {
            "summary": answer.summary,
            "causal_chain": [{"step": s.step, "evidence_ids": list(s.evidence_ids)} for s in answer.causal_chain],
            "next_checks": list(answer.next_checks), "ranking": ranking,
            "cited_evidence_ids": list(answer.cited_evidence_ids),
        }
        out["reranked"] = apply_llm_ranking(pack.hypotheses, {"status": "ok", **out}) != pack.hypotheses
        out["narrative"] = build_narrative(answer, pack.hypotheses, out["reranked"], redactor.receipt_text())
        return out

    # Helpers --------------------------------------------------------------------------
    def _redactor(self) -> Any:
        if self.redactor_factory is not None:
            made = self.redactor_factory()
            if made is not None:
                return made
        from analyzers.redaction import Redactor
        return Redactor()

    def _spent(self, inv_id: str) -> float:
        """Cost already recorded for this investigation (a resumed run keeps counting)."""
        try:
            rows = self.store.db["llm_usage"].rows_where("investigation_id = ?", [inv_id], select="cost_usd")
            return float(sum(r["cost_usd"] or 0 for r in rows))
        except Exception:
            return 0.0
