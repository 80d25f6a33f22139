"""Small hand-made analysis/logs outputs for the LLM tests (no AWS, no sandbox)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from analyzers.model import Anomaly, Change, Hypothesis, LogPattern, MetricKey, ResourceRef, TimelineEvent
from bot.config import Secrets, parse_config
from bot.engine.collect import AnalysisOutput, LogsOutput
from bot.llm import LlmAnalyst
from bot.store import Store

ONSET = datetime(2026, 11, 25, 3, 15, tzinfo=timezone.utc)
FN = ResourceRef("lambda", "checkout-api", "us-east-1")
DB = ResourceRef("rds", "orders-db", "us-east-1")
SECRETS = ("AKIAZ3XQ7PLM4RT2WX9Q", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "alice.smith@example.com",
           "hunter2-Sup3rSecret", "10.20.30.40")
SECRET_SAMPLES = (f"KeyError: 'shipping_address' user={SECRETS[2]} key={SECRETS[0]} "
                  f"aws_secret_access_key={SECRETS[1]}",
                  f"retrying with password={SECRETS[3]} from {SECRETS[4]}")


def pattern(pid: str, template: str, samples: tuple[str, ...] = (), new: bool = True, level: str = "ERROR",
            count_after: int = 248) -> LogPattern:
    return LogPattern(pid, template, count_after, "/aws/lambda/checkout-api", ONSET + timedelta(minutes=1),
                      ONSET + timedelta(minutes=20), samples, 0 if new else 10, count_after, 0.0 if new else 0.1,
                      12.4, new, level, "exception" if level == "ERROR" else "app")


def hypotheses() -> tuple[Hypothesis, ...]:
    return (Hypothesis("bad_deployment", FN, 0.82, ("[de2bf5d03017] UpdateFunctionCode on checkout-api",),
                       "bad deployment on lambda checkout-api", ("c:de2bf5d03017",)),
            Hypothesis("application_error", FN, 0.4, ("[l1] 248 events: KeyError",),
                       "application error on lambda checkout-api", ("l1",)),
            Hypothesis("dependency_failure", DB, 0.2, ("no direct evidence",), "dependency", ()))


def analysis(extra_patterns: int = 0) -> tuple[AnalysisOutput, LogsOutput]:
    key = MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, "Sum", "us-east-1")
    anomaly = Anomaly("a1", "s1", key, FN, ONSET, 7.5, 0.0, 10.0, "up")
    change = Change("de2bf5d03017", ONSET - timedelta(minutes=1), "lambda.amazonaws.com",
                    "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "checkout-api", "ci-deployer")
    patterns = [pattern("l1", "KeyError: <*>", SECRET_SAMPLES), pattern("l2", "Created order <*>", new=False,
                                                                        level="INFO")]
    patterns += [pattern(f"l{n}", f"Upstream {n} failed with code <*> after <*> ms " + "detail " * 60,
                         (f"Upstream {n} failed with code 503 after 1200 ms " + "x" * 250,) * 2)
                 for n in range(3, 3 + extra_patterns)]
    timeline = (TimelineEvent(change.time, "change", "UpdateFunctionCode on checkout-api", "c:de2bf5d03017"),
                TimelineEvent(ONSET, "anomaly_start", "Errors on checkout-api goes up", "a1"),
                TimelineEvent(ONSET + timedelta(minutes=1), "log_pattern_start", "new KeyError pattern", "l1"))
    out = AnalysisOutput(ONSET, (), (anomaly,), hypotheses(), timeline, (change,))
    return out, LogsOutput(patterns=tuple(patterns), raw_bytes=1_000_000, raw_lines=5000)


def good_answer(**overrides: Any) -> dict[str, Any]:
    answer = {"summary": "A deployment of checkout-api at 03:14 introduced a KeyError.",
              "causal_chain": [{"step": "checkout-api code was updated", "evidence_ids": ["c:de2bf5d03017"]},
                               {"step": "a new KeyError pattern appeared", "evidence_ids": ["l1"]},
                               {"step": "Errors alarm fired", "evidence_ids": ["a1"]}],
              "ranking": [2, 1], "next_checks": ["Compare the deployed version with the previous one"],
              "cited_evidence_ids": ["c:de2bf5d03017", "l1", "a1"]}
    answer.update(overrides)
    return answer


def make_analyst(base_url: str, store: Store | None = None, **llm: Any) -> LlmAnalyst:
    # a model that accepts a forced tool_choice, so the request shape under test is deterministic
    config = parse_config({"llm": {"max_retries": 0, "timeout": 5, "model": "claude-sonnet-4-5", **llm}})
    return LlmAnalyst.from_config(config, Secrets(anthropic_api_key="test"), store or Store(memory=True), None,
                                  base_url=base_url)
