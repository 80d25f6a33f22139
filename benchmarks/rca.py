"""RCA accuracy: run the investigation on each scenario's ``expect.alarm`` and score against ``expect.root_cause``.

    python -m benchmarks.rca SCENARIO_DIR [--json] [--only NAME...]

Prints, per scenario, the expected and ranked categories/resources, the time taken, and the
top-1 / top-3 accuracy of category + resource. The bot never reads ``expect``: each scenario is
loaded into a fresh sandbox and investigated through the same engine the CLI uses (no LLM).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bot.engine import InvestigationRequest
from bot.wiring import build_runtime

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expected(path: Path) -> dict[str, Any] | None:
    with path.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_Loader)  # noqa: S506 - safe loader
    return (data or {}).get("expect")


def _hit(hyp: dict[str, Any], expect: dict[str, Any]) -> bool:
    root = expect["root_cause"]
    resources = root.get("resource") or []
    resources = resources if isinstance(resources, list) else [resources]
    return hyp["category"] == root["category"] and hyp["resource"]["id"] in resources


def run_one(path: Path) -> dict[str, Any]:
    expect = _expected(path)
    if not expect or "alarm" not in expect:
        return {"scenario": path.stem, "skipped": "no expect block"}
    started = time.perf_counter()
    runtime = build_runtime(scenario=path, memory_db=True, env={})
    setup = time.perf_counter() - started
    try:
        t0 = time.perf_counter()
        report = runtime.investigator.investigate(InvestigationRequest(expect["alarm"]))
        took = time.perf_counter() - t0
    finally:
        runtime.close()
    ranked = report["hypotheses"]
    return {"scenario": path.stem, "expected": f"{expect['root_cause']['category']} {expect['root_cause']['resource']}",
            "got": [f"{h['category']} {h['resource']['id']} {h['confidence']:.2f}" for h in ranked[:3]],
            "top1": bool(ranked) and _hit(ranked[0], expect), "top3": any(_hit(h, expect) for h in ranked[:3]),
            "investigate_s": round(took, 2), "setup_s": round(setup, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("scenario_dir")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    for noisy in ("werkzeug", "moto", "botocore"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    paths = sorted(Path(args.scenario_dir).glob("*.yaml"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    if not paths:
        print(f"no scenarios in {args.scenario_dir}", file=sys.stderr)
        return 2
    rows = []
    for path in paths:
        try:
            row = run_one(path)
        except Exception as exc:  # one broken scenario is a miss, not the end of the run
            row = {"scenario": path.stem, "expected": "-", "got": [f"error: {exc}"[:200]], "top1": False,
                   "top3": False, "investigate_s": 0.0, "setup_s": 0.0}
        rows.append(row)
        if "skipped" in row:
            print(f"{row['scenario']:<40} skipped: {row['skipped']}")
            continue
        mark = "OK " if row["top1"] else ("ok3" if row["top3"] else "MISS")
        print(f"{mark} {row['scenario']:<40} {row['investigate_s']:>5.1f}s  expected {row['expected']:<45} "
              f"got {row['got'][0] if row['got'] else '-'}", flush=True)
    scored = [r for r in rows if "skipped" not in r]
    top1 = sum(r["top1"] for r in scored) / len(scored) if scored else 0.0
    top3 = sum(r["top3"] for r in scored) / len(scored) if scored else 0.0
    times = [r["investigate_s"] for r in scored]
    print(f"\nscenarios {len(scored)}  top-1 {top1:.1%}  top-3 {top3:.1%}  "
          f"investigate time max {max(times, default=0):.1f}s mean {sum(times) / max(len(times), 1):.1f}s")
    if args.json:
        print(json.dumps({"scenarios": len(scored), "top1": round(top1, 4), "top3": round(top3, 4),
                          "results": scored}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
