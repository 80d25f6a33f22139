"""What Claude would be sent vs the raw logs read: per public scenario, raw log bytes vs packed input tokens.

Runs each scenario offline (sandbox, no API key, no LLM call), then builds the
redacted evidence pack and the request(s) the LLM step would send, and estimates
their tokens (~4 chars/token). Map-reduce is counted as batch calls + final call.

Usage: python -m benchmarks.llm_budget [--scenarios DIR] [--max-input-tokens N] [--json]
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import yaml

from analyzers.redaction import Redactor
from bot.codec import load
from bot.config import Config, LlmConfig, Secrets
from bot.engine.collect import AnalysisOutput, LogsOutput
from bot.engine.investigation import InvestigationRequest
from bot.llm import LlmAnalyst
from bot.wiring import build_runtime

DEFAULT_DIR = Path("/work/shared/scenarios")


def _alarm_of(path: Path) -> str | None:
    data = yaml.safe_load(path.read_text())
    expected = (data.get("expect") or {}).get("alarm")
    alarms = data.get("alarms") or []
    return expected or (alarms[0]["name"] if alarms else None)


def measure(path: Path, max_input_tokens: int) -> dict[str, Any]:
    alarm = _alarm_of(path)
    if alarm is None:
        return {"scenario": path.stem, "error": "no alarm"}
    config = Config(llm=LlmConfig(provider="none", max_input_tokens=max_input_tokens))
    runtime = build_runtime(scenario=path, memory_db=True, config=config, env={})
    try:
        report = runtime.investigator.investigate(InvestigationRequest(alarm))
        steps = runtime.store.get_steps(report["id"])
        logs = load(steps["logs"]["output"], LogsOutput) if steps["logs"]["output"] else LogsOutput()
        analysis = load(steps["analysis"]["output"], AnalysisOutput)
    finally:
        runtime.close()
    analyst = LlmAnalyst.from_config(config, Secrets(), store=None, redactor_factory=None, client=object())
    redactor = Redactor()
    pack = analyst.pack(analysis, logs, redactor.redact)
    plan = analyst.plan(pack)
    tokens = analyst.estimate_input_tokens(pack, plan)
    return {"scenario": path.stem, "raw_log_bytes": logs.raw_bytes, "raw_log_lines": logs.raw_lines,
            "patterns": len(logs.patterns), "evidence_items": len(pack.items), "evidence_tokens": pack.tokens,
            "llm_input_tokens": tokens, "calls": len(plan.batches) + (1 if plan.map_reduce else 0),
            "map_reduce": plan.map_reduce, "dropped": len(plan.dropped),
            "bytes_per_input_token": round(logs.raw_bytes / tokens, 1) if tokens else None,
            "redacted": redactor.receipt_text()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default=str(DEFAULT_DIR))
    parser.add_argument("--max-input-tokens", type=int, default=LlmConfig().max_input_tokens)
    parser.add_argument("--json", action="store_true", help="also print one JSON line at the end")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    folder = Path(args.scenarios)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        print(f"no scenarios in {folder}; skipped")
        if args.json:
            print(json.dumps({"benchmark": "llm_budget", "skipped": True, "rows": []}))
        return 0
    rows = [measure(p, args.max_input_tokens) for p in files]
    header = f"{'scenario':32} {'raw log bytes':>13} {'lines':>7} {'patterns':>8} {'LLM in tokens':>13} " \
             f"{'calls':>5} {'bytes/token':>11}"
    print(f"LLM input budget: {args.max_input_tokens} tokens per call (~4 chars/token)")
    print(header)
    print("-" * len(header))
    for r in rows:
        if "error" in r:
            print(f"{r['scenario']:32} {r['error']}")
            continue
        print(f"{r['scenario']:32} {r['raw_log_bytes']:>13} {r['raw_log_lines']:>7} {r['patterns']:>8} "
              f"{r['llm_input_tokens']:>13} {r['calls']:>5} {r['bytes_per_input_token']!s:>11}")
    if args.json:
        print(json.dumps({"benchmark": "llm_budget", "max_input_tokens": args.max_input_tokens, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
