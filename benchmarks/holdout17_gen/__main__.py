"""Write benchmarks/scenarios_holdout17/*.yaml and its README: ``python -m benchmarks.holdout17_gen``."""
from __future__ import annotations

import sys
from pathlib import Path

from . import cases_alb, cases_apigw, cases_ec2, cases_ecs, cases_lambda, cases_rds
from .check import check_case
from .readme import render

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout17"


def build_all():
    builders = cases_lambda.CASES + cases_rds.CASES + cases_ecs.CASES + cases_ec2.CASES + cases_apigw.CASES + cases_alb.CASES
    return sorted((b() for b in builders), key=lambda c: c.num)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = build_all()
    problems = []
    for c in cases:
        problems += check_case(c)
        path = c.write(OUT)
        print(f"{path.relative_to(OUT.parent.parent)}  {path.stat().st_size / 1e6:.2f} MB")
    (OUT / "README.md").write_text(render(cases))
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
