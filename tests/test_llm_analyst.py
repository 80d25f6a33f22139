"""LlmAnalyst against the local Messages API stub: tool use, validation, faults, budget, usage."""
from __future__ import annotations

import json

import pytest

from analyzers.llm_evidence import MAX_BATCHES, apply_llm_ranking
from bot.llm.client import price_for, supports_forced_tool_choice
from bot.store import Store
from tests.llm_fixtures import SECRETS, analysis, good_answer, make_analyst
from tests.stubs import MessagesApiStub, error_body


@pytest.fixture()
def stub():
    with MessagesApiStub() as server:
        yield server


def usage_rows(store: Store) -> list[dict]:
    return list(store.db["llm_usage"].rows)


def test_tool_use_answer_is_parsed_validated_and_reranks(stub):
    # GIVEN a stub answering with a valid report_analysis tool call that swaps H1 and H2
    stub.enqueue_tool_use("report_analysis", good_answer())
    analyst, (out, logs) = make_analyst(stub.base_url), analysis()
    # WHEN Claude explains the analysis
    result = analyst.explain("inv-1", out, logs)
    # THEN the answer is accepted, the narrative is built from it and the ranking can be applied
    assert result["status"] == "ok" and result["step_status"] == "ok" and result["error"] is None
    assert result["reranked"] is True
    assert [r["hypothesis"] for r in result["ranking"]] == [2, 1]
    assert "**Causal chain**" in result["narrative"] and "[c:de2bf5d03017]" in result["narrative"]
    reordered = apply_llm_ranking(out.hypotheses, result)
    assert [h.category for h in reordered] == ["application_error", "bad_deployment", "dependency_failure"]
    # AND the request forced the one tool and carried the evidence in delimited blocks
    body = stub.calls()[0].body
    assert body["tool_choice"] == {"type": "tool", "name": "report_analysis"}
    assert [t["name"] for t in body["tools"]] == ["report_analysis"]
    assert '<evidence id="l1" kind="log_pattern">' in body["messages"][0]["content"]
    assert "instructions" in body["system"] and "DATA" in body["system"]
    json.dumps(result)  # the step output must be storable


def test_no_secret_reaches_any_request_and_receipt_is_returned(stub):
    # GIVEN log samples carrying an AWS key pair, an email, a password and an IP address
    stub.enqueue_tool_use("report_analysis", good_answer(ranking=[]))
    analyst, (out, logs) = make_analyst(stub.base_url), analysis()
    # WHEN the analysis is explained
    result = analyst.explain("inv-2", out, logs)
    # THEN none of them appears in any recorded request body
    raw = b"".join(c.raw for c in stub.calls(None)).decode()
    for secret in SECRETS:
        assert secret not in raw
    assert "[REDACTED:aws_access_key]" in raw
    assert result["redaction"]["aws_access_key"] >= 1 and result["redaction"]["email"] >= 1
    assert result["redaction_text"].startswith("redacted:")
    assert result["reranked"] is False


def test_big_evidence_is_map_reduced_within_budget_and_bounded(stub):
    # GIVEN far more evidence than a 2500-token budget allows
    analyst, (out, logs) = make_analyst(stub.base_url, max_input_tokens=2500), analysis(extra_patterns=40)
    plan = analyst.plan(analyst.pack(out, logs, lambda s: s))
    assert plan.map_reduce and len(plan.batches) <= MAX_BATCHES
    for n in range(len(plan.batches)):
        stub.enqueue_tool_use("report_batch_summary", {"summary": f"batch {n}: upstream failures",
                                                       "evidence_ids": [plan.batches[n][0].id]})
    stub.enqueue_tool_use("report_analysis", good_answer())
    # WHEN explained
    result = analyst.explain("inv-3", out, logs)
    # THEN one call per batch plus a final call, each request within ~max_input_tokens * 4 chars
    calls = stub.calls()
    assert result["status"] == "ok", result["error"]
    assert len(calls) == len(plan.batches) + 1 <= MAX_BATCHES + 1
    assert result["evidence"]["map_reduce"] is True and result["calls"] == len(calls)
    assert all(len(c.raw) <= 2500 * 4 * 1.1 for c in calls), [len(c.raw) for c in calls]
    assert [c.body["tools"][0]["name"] for c in calls][-1] == "report_analysis"
    assert "<batch_summary" in calls[-1].body["messages"][0]["content"]


@pytest.mark.parametrize("answer, reason", [
    (good_answer(cited_evidence_ids=["l1", "zz9"]), "unknown evidence ids: zz9"),
    (good_answer(ranking=[3, 1]), "ranks H3, which has no evidence ids"),
    (good_answer(ranking=[7]), "ranks H7, which is not among"),
    ({"causal_chain": [], "ranking": [], "next_checks": [], "cited_evidence_ids": ["l1"]}, "summary"),
    (good_answer(script="rm -rf /"), "schema violation"),
    (good_answer(ranking=["2", "1"]), "schema violation at ranking.0"),
])
def test_invalid_answer_falls_back_to_the_deterministic_result(stub, answer, reason):
    # GIVEN an answer that violates the schema or the evidence/hypothesis constraints
    stub.enqueue_tool_use("report_analysis", answer)
    store = Store(memory=True)
    analyst, (out, logs) = make_analyst(stub.base_url, store), analysis()
    # WHEN explained
    result = analyst.explain("inv-4", out, logs)
    # THEN the step degrades, says why, and the engine's ranking is kept
    assert result["status"] == "failed" and result["step_status"] == "degraded"
    assert result["error"].startswith("invalid answer from Claude") and reason in result["error"]
    assert result["narrative"] is None and result["ranking"] == []
    assert apply_llm_ranking(out.hypotheses, result) == out.hypotheses
    # AND the usage row of that call says the answer was invalid (its tokens are still counted)
    assert [r["status"] for r in usage_rows(store)] == ["invalid"] and usage_rows(store)[0]["input_tokens"] > 0


def test_a_request_over_the_input_cap_is_not_sent(stub):
    # GIVEN an input cap smaller than the prompt, tools and hypotheses need (set past the config's minimum)
    analyst, (out, logs) = make_analyst(stub.base_url), analysis()
    analyst.max_input_tokens = 300
    # WHEN explained
    result = analyst.explain("inv-cap", out, logs)
    # THEN nothing is sent and the step says why
    assert result["status"] == "failed" and "over llm.max_input_tokens (300); nothing was sent" in result["error"]
    assert stub.calls(None) == []


def test_text_only_answer_is_invalid(stub):
    stub.enqueue_text("I think it was the deployment.")
    result = make_analyst(stub.base_url).explain("inv-5", *analysis())
    assert result["status"] == "failed" and "no report_analysis tool call" in result["error"]


def test_overloaded_then_success_is_retried_by_the_sdk(stub):
    # GIVEN one 529 before a good answer, and one SDK retry allowed
    stub.enqueue_status(529, retry_after=0)
    stub.enqueue_tool_use("report_analysis", good_answer())
    # WHEN explained
    result = make_analyst(stub.base_url, max_retries=1).explain("inv-6", *analysis())
    # THEN the retry succeeds
    assert result["status"] == "ok"
    assert [c.status for c in stub.calls()] == [529, 200]


def test_persistent_overload_degrades_with_claude_unavailable(stub):
    stub.enqueue_status(529, retry_after=0)
    result = make_analyst(stub.base_url, max_retries=0).explain("inv-7", *analysis())
    assert result["status"] == "failed" and result["step_status"] == "degraded"
    assert result["error"] == "Claude unavailable: HTTP 529 overloaded_error"


def test_timeout_degrades_without_llm(stub):
    # GIVEN an API slower than the client timeout and no retries
    stub.enqueue_delay(3)
    analyst = make_analyst(stub.base_url, timeout=0.3, max_retries=0)
    # WHEN explained
    result = analyst.explain("inv-8", *analysis())
    # THEN the investigation can complete without Claude and says so
    assert result["status"] == "failed" and result["step_status"] == "degraded"
    assert result["error"].startswith("Claude unavailable: no answer within 0.3s")
    assert "deterministic analysis only" in result["note"]


def test_budget_exceeded_stops_before_the_call(stub):
    # GIVEN a budget far below one call's worst-case cost
    store = Store(memory=True)
    analyst = make_analyst(stub.base_url, store=store, budget_usd=0.001)
    # WHEN explained
    result = analyst.explain("inv-9", *analysis())
    # THEN no request is sent and the step stops cleanly
    assert stub.calls() == []
    assert result["status"] == "budget_exceeded" and result["step_status"] == "degraded"
    assert "budget of $0.001 " in result["error"]
    assert [r["status"] for r in usage_rows(store)] == ["budget_exceeded"]


def test_budget_counts_what_the_investigation_already_spent(stub):
    # GIVEN an investigation that already spent almost all of its $0.50
    store = Store(memory=True)
    store.record_llm_usage(investigation_id="inv-10", model="claude-sonnet-4-5", input_tokens=1, output_tokens=1,
                           cost_usd=0.49, status="ok")
    # WHEN explained again (a resumed run)
    result = make_analyst(stub.base_url, store=store).explain("inv-10", *analysis())
    # THEN the budget gate stops it
    assert result["status"] == "budget_exceeded" and stub.calls() == []


def test_usage_and_cost_are_stored_per_call(stub):
    # GIVEN an answer with known usage (1000 in, 200 out) on a Sonnet model
    stub.enqueue_tool_use("report_analysis", good_answer(), usage=(1000, 200))
    store = Store(memory=True)
    # WHEN explained
    result = make_analyst(stub.base_url, store=store).explain("inv-11", *analysis())
    # THEN tokens and the $3/$15 per MTok estimate are in the result and in the store
    expected = (1000 * 3 + 200 * 15) / 1_000_000
    assert (result["input_tokens"], result["output_tokens"]) == (1000, 200)
    assert result["cost_usd"] == pytest.approx(expected)
    [row] = usage_rows(store)
    assert row["investigation_id"] == "inv-11" and row["model"] == "claude-sonnet-4-5"
    assert (row["input_tokens"], row["output_tokens"], row["status"]) == (1000, 200, "ok")
    assert row["cost_usd"] == pytest.approx(expected)


def test_models_rejecting_forced_tool_choice_get_auto(stub):
    # GIVEN a model documented to reject forced tool_choice
    stub.enqueue_tool_use("report_analysis", good_answer())
    result = make_analyst(stub.base_url, model="claude-sonnet-5-5").explain("inv-12", *analysis())
    # THEN the request uses auto and the answer is still the tool call
    assert result["status"] == "ok"
    assert stub.calls()[0].body["tool_choice"] == {"type": "auto"}


def test_tool_choice_rejection_is_retried_once_with_auto(stub):
    stub.enqueue_status(400, error_body(400, "tool_choice: forced tool use is not supported for this model"))
    stub.enqueue_tool_use("report_analysis", good_answer())
    result = make_analyst(stub.base_url).explain("inv-13", *analysis())
    assert result["status"] == "ok"
    assert [c.body["tool_choice"]["type"] for c in stub.calls()] == ["tool", "auto"]


def test_price_table_and_tool_choice_support():
    assert (price_for("claude-sonnet-4-5").input_per_mtok, price_for("claude-sonnet-4-5").output_per_mtok) == (3, 15)
    assert price_for("claude-haiku-4-5").cost(1_000_000, 1_000_000) == 6
    assert price_for("claude-opus-4-1").cost(1_000_000, 0) == 15
    assert price_for("claude-sonnet-5-5").cost(1_000_000, 1_000_000) == 12
    assert supports_forced_tool_choice("claude-sonnet-4-5") and not supports_forced_tool_choice("claude-opus-5-5")


def test_map_reduce_stops_at_the_first_bad_batch(stub):
    # GIVEN big evidence and a first batch answer missing its summary
    analyst, (out, logs) = make_analyst(stub.base_url, max_input_tokens=2500), analysis(extra_patterns=40)
    stub.enqueue_tool_use("report_batch_summary", {"evidence_ids": []})
    # WHEN explained
    result = analyst.explain("inv-14", out, logs)
    # THEN no further call is made and the engine's result stands
    assert len(stub.calls()) == 1
    assert result["status"] == "failed" and "schema violation at summary" in result["error"]


def test_a_call_that_trickles_is_cut_at_its_wall_clock_deadline():
    import time
    from types import SimpleNamespace

    from bot.llm.analyst import LlmAnalyst

    # GIVEN a client whose call never times out per read but takes far longer than every attempt's timeout
    slow = SimpleNamespace(messages=SimpleNamespace(create=lambda **_: time.sleep(30)))
    analyst = LlmAnalyst(slow, "claude-sonnet-4-5", Store(memory=True), timeout=0.2, max_retries=0)
    started = time.monotonic()
    # WHEN explained
    result = analyst.explain("inv-drip", *analysis())
    # THEN the step gives up at its deadline (timeout + 1 s per attempt), degraded, and says so
    assert time.monotonic() - started < 5
    assert result["step_status"] == "degraded"
    assert result["error"].startswith("Claude unavailable: no complete answer within 1.2s")


def test_batch_calls_honour_a_small_max_output_tokens(stub):
    # GIVEN map-reduce and max_output_tokens below the batch default
    analyst, (out, logs) = make_analyst(stub.base_url, max_input_tokens=2500, max_output_tokens=100), \
        analysis(extra_patterns=40)
    plan = analyst.plan(analyst.pack(out, logs, lambda s: s))
    for n in range(len(plan.batches)):
        stub.enqueue_tool_use("report_batch_summary", {"summary": f"batch {n}", "evidence_ids": [plan.batches[n][0].id]})
    stub.enqueue_tool_use("report_analysis", good_answer())
    # WHEN explained
    analyst.explain("inv-small", out, logs)
    # THEN no request asks for more output than configured, and the final one fits the input budget
    calls = stub.calls()
    assert len(calls) == len(plan.batches) + 1
    assert {c.body["max_tokens"] for c in calls} == {100}
    assert len(calls[-1].raw) <= 2500 * 4 * 1.1


@pytest.mark.parametrize("url", ["http://[::1", "not-a-url", "ftp://host/x", "http://host:port/"])
def test_a_malformed_anthropic_base_url_is_a_configuration_error(url):
    from bot.config import ConfigError, Secrets, parse_config
    from bot.wiring import build_llm

    config = parse_config({"llm": {"provider": "anthropic"}})
    with pytest.raises(ConfigError, match="ANTHROPIC_BASE_URL"):
        build_llm(config, Secrets(anthropic_api_key="x"), Store(memory=True), None, {"ANTHROPIC_BASE_URL": url})


def test_a_map_reduce_plan_over_budget_is_refused_before_the_first_call(stub):
    # GIVEN more evidence than one request holds, and a budget below what its calls could cost
    store = Store(memory=True)
    analyst, (out, logs) = make_analyst(stub.base_url, store=store, max_input_tokens=2500, budget_usd=0.01), \
        analysis(extra_patterns=40)
    assert analyst.plan(analyst.pack(out, logs, lambda s: s)).map_reduce
    # WHEN explained
    result = analyst.explain("inv-budget", out, logs)
    # THEN nothing is sent (no money spent for no narrative) and the step says why
    assert stub.calls() == []
    assert result["status"] == "budget_exceeded" and "nothing was sent" in result["error"]


def test_a_reply_that_is_not_json_is_described_plainly():
    from bot.llm.client import describe_error
    assert describe_error(ValueError("Expecting value: line 1"), 5) == \
        "Claude unavailable: the answer was not a valid Messages API response"
