"""Write benchmarks/scenarios_holdout4/*.yaml and README.md (deterministic: every scenario has its own seed)."""
from __future__ import annotations

import sys
from pathlib import Path

from . import s_compute, s_conn, s_data, s_lambda_a, s_lambda_b, s_release
from .common import write

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout4"

BUILDERS = [s_data.s01, s_compute.s02, s_compute.s03, s_lambda_a.s04, s_lambda_a.s05, s_lambda_a.s06,
            s_lambda_b.s07, s_compute.s08, s_lambda_b.s09, s_release.s10, s_data.s11, s_compute.s12, s_conn.s13,
            s_release.s14, s_release.s15, s_data.s16, s_lambda_b.s17, s_lambda_b.s18]

HEAD = """# Held-out scenario set 4

Eighteen incident scenarios written as an independent check of whether root-cause analysis generalises.
They were written from an SRE's point of view without looking at the bot's analyzers or earlier scenario sets,
and were not tuned against the bot's answers. Regenerate with

    .venv/bin/python -m benchmarks.holdout4_gen

(seeded and deterministic). Every scenario has 6 h of one-minute metrics (`-21600..-60`) with the standard metric
set for each resource, about 3 h of logs, one alarm whose state, `state_changed` and `state_reason` are worked out
from the generated series, CloudTrail changes, and at least one decoy. The `expect` block holds the ground truth;
`resource` lists every id that counts as correct.

| file | region | alarm | intended category | accepted resources | decoys |
|---|---|---|---|---|---|
"""


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rows, stories = [], []
    for build in BUILDERS:
        scenario, meta = build()
        name = scenario["name"]
        size = write(OUT / f"{name}.yaml", scenario)
        print(f"{name:<45} {size / 1e6:5.2f} MB  {meta['category']}", file=sys.stderr)
        res = ", ".join(f"`{r}`" for r in meta["resources"])
        rows.append(f"| {name}.yaml | {meta['region']} | {meta['alarm']} | {meta['category']} | {res} | "
                    f"{meta['decoys']} |")
        stories.append(f"**{name}** ({meta['category']}). {meta['story']}")
    text = HEAD + "\n".join(rows) + "\n\n## What happened\n\n" + "\n\n".join(stories) + "\n"
    (OUT / "README.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
