"""CLI: ``python -m benchmarks.scenario_gen --out benchmarks/scenarios [--seed N] [--demo PATH]``."""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from . import render
from .builder import Scenario
from .catalog import CATALOG, build
from .demo import build_demo
from .validate import problems

MAX_BYTES = 1_500_000
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scenario_gen", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/scenarios"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--demo", type=Path, default=Path("bot/scenarios/demo-checkout-outage.yaml"),
                        help="where to write the demo scenario ('-' to skip)")
    args = parser.parse_args(argv)
    failures = 0
    built: list[tuple[Scenario, str, int]] = []
    for index in range(len(CATALOG)):
        sc = build(index, args.seed)
        path = args.out / f"{sc.name}.yaml"
        size = render.write(sc.to_dict(), path)
        failures += _check(path, size)
        built.append((sc, path.name, size))
    for stale in set(args.out.glob("gen-*.yaml")) - {args.out / name for _, name, _ in built}:
        stale.unlink()
    (args.out / "README.md").write_text(readme(built, args.seed), encoding="utf-8")
    if str(args.demo) != "-":
        demo = build_demo()
        failures += _check(args.demo, render.write(demo.to_dict(), args.demo))
    categories = Counter(sc.category for sc, _, _ in built)
    print(f"wrote {len(built)} scenarios to {args.out} ({sum(s for _, _, s in built) / 1e6:.1f} MB); "
          f"categories: {dict(sorted(categories.items()))}")
    return 1 if failures else 0


def _check(path: Path, size: int) -> int:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    found = problems(doc)
    if size > MAX_BYTES:
        found.append(f"{size} bytes > {MAX_BYTES}")
    for problem in found:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if found else 0


def readme(built: list[tuple[Scenario, str, int]], seed: int) -> str:
    lines = ["# Generated root-cause scenarios", "",
             f"Written by `python -m benchmarks.scenario_gen --out benchmarks/scenarios --seed {seed}` "
             "(deterministic: same seed, same files). Do not edit by hand; change the generator in "
             "`benchmarks/scenario_gen/` and regenerate.", "",
             "Each file is an `aiops-scenario/v1` scenario (see `scenario-format.md`): three hours of one-minute "
             "metrics, request-level logs, CloudTrail changes, alarms, and an `expect` block for graders. Every "
             "scenario carries decoys (listed below) so the analyzer has to work from evidence, not names.", "",
             "| file | region | services | category | expected resource | alarm | onset | decoys | size |",
             "|---|---|---|---|---|---|---|---|---|"]
    for sc, name, size in built:
        decoys = "; ".join(dict.fromkeys(sc.decoys))
        lines.append(f"| `{name}` | {sc.region} | {sc.variant} | `{sc.category}` | "
                     f"{', '.join(f'`{r}`' for r in sc.expect['root_cause']['resource'])} | `{sc.expect['alarm']}` | "
                     f"{sc.onset / 60:.0f} min | {decoys} | {size // 1000} KB |")
    counts = Counter(sc.category for sc, _, _ in built)
    lines += ["", "## Categories", ""] + [f"- `{c}`: {n}" for c, n in sorted(counts.items())] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
