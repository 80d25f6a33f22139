"""Write the h47 held-out scenarios and their README:  python -m benchmarks.holdout47_gen"""
from __future__ import annotations

import os
import sys

from . import core, sc_a, sc_b, sc_c, sc_d, sc_e, sc_f, sc_g, sc_h

BUILDERS = [sc_a.build_01, sc_a.build_02, sc_b.build_03, sc_b.build_04, sc_c.build_05, sc_c.build_06,
            sc_d.build_07, sc_d.build_08, sc_e.build_09, sc_e.build_10, sc_f.build_11, sc_f.build_12,
            sc_g.build_13, sc_g.build_14, sc_h.build_15, sc_h.build_16]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout47")

INTRO = """# Held-out scenarios h47: containers and hosts

Sixteen incidents on ECS services (Fargate and EC2 launch types) and EC2 fleets behind ALBs, written by an
independent author from the scenario format (`aiops-scenario/v1`) and the public examples only. Generated,
seeded and deterministic: `python -m benchmarks.holdout47_gen` rewrites every file here.

Each file has six hours of one-minute metrics (ECS service and Container Insights task counts, ALB balancer and
target-group metrics, EC2 + CloudWatch agent, RDS), about three hours of logs in the runtimes' own formats (Spring
Boot/Logback and JVM GC logs, .NET JSON console, Go zap/logfmt and panics, gunicorn/Flask/Django, pino, nginx,
PostgreSQL/MySQL server logs, syslog/kernel, ECS agent, EventBridge-forwarded ECS and EC2 events), the alarms, and
CloudTrail changes. Labels follow the format's category table and tie-breaks as a senior SRE reading all of the
evidence would; every file has at least one unrelated decoy.

| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |
|---|---|---|---|---|---|---|
"""


def main(argv=None):
    os.makedirs(OUT, exist_ok=True)
    rows, paras = [], []
    for build in BUILDERS:
        doc, meta = build()
        fn = f"{doc['name']}.yaml"
        size = core.dump(doc, os.path.join(OUT, fn))
        if size > 4_000_000:
            raise SystemExit(f"{fn} is {size} bytes, over the 4 MB budget")
        assert doc["expect"]["alarm"] == meta["alarm"] and doc["expect"]["root_cause"]["category"] == meta["category"]
        res = ", ".join(f"`{r}`" for r in meta["resources"])
        rows.append(f"| {fn} | {meta['region']} | `{meta['alarm']}` | {meta['category']} | {res} | {meta['position']} "
                    f"| {meta['decoys']} |")
        paras.append(f"**{fn}** — {meta['story']}")
        print(f"{fn:48s} {size / 1e6:5.2f} MB  {meta['category']}", file=sys.stderr)
    text = INTRO + "\n".join(rows) + "\n\n## What happened, and what decides the label\n\n" + "\n\n".join(paras) + "\n"
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
