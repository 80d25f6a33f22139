"""Writes benchmarks/scenarios_holdout16/*.yaml and README.md (see package docstring)."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import BASE_SEED, CASES
from .readme import render_readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.holdout16_gen")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "scenarios_holdout16"))
    parser.add_argument("--only", help="comma-separated case numbers to build (default: all)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = {int(x) for x in args.only.split(",")} if args.only else None
    rows = []
    for number, module_name in enumerate(CASES, start=1):
        module = importlib.import_module(f".{module_name}", __package__)
        if only and number not in only:
            continue
        scenario = module.build(BASE_SEED + number)
        path = out / f"{module.META['file']}.yaml"
        text = scenario.dump()
        path.write_text(text)
        rows.append((module.META, scenario))
        print(f"{path.name}: {len(text) / 1e6:.2f} MB, {len(scenario.metrics)} metrics, "
              f"{sum(len(s['events']) for s in scenario.logs)} log events", file=sys.stderr)
    if not only:
        (out / "README.md").write_text(render_readme(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
