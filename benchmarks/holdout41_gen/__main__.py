"""Generate the holdout41 scenario set ("serverless estates").

    python -m benchmarks.holdout41_gen [OUTPUT_DIR]

Writes h41-NN-<slug>.yaml files and a README.md into benchmarks/scenarios_holdout41/ (default).
Deterministic: every scenario seeds its own random.Random.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from . import sc_a, sc_b, sc_c, sc_d, sc_e, sc_f, sc_g, sc_h
from .common import dump

BUILDERS = [sc_a.s01, sc_a.s02, sc_b.s03, sc_b.s04, sc_c.s05, sc_c.s06, sc_d.s07, sc_d.s08,
            sc_e.s09, sc_e.s10, sc_f.s11, sc_f.s12, sc_f.s13, sc_g.s14, sc_h.s15, sc_h.s16]

MAX_BYTES = 4 * 1024 * 1024

HEADER = """# holdout41 - "serverless estates"

Sixteen independently written incident scenarios (format `aiops-scenario/v1`, see
`/work/shared/scenario-format.md`) built around Lambda-heavy applications behind API Gateway and ALBs, with
SQS, SNS, DynamoDB, RDS/Aurora, Secrets Manager, KMS and self-managed EC2 dependencies. Regenerate with

    cd /work/main && .venv/bin/python -m benchmarks.holdout41_gen

The generator is seeded and deterministic. Every file holds six hours of one-minute metrics
(-21600 s .. -60 s), one to two and a half hours of sampled CloudWatch Logs per function (Lambda
START/END/REPORT/INIT_START/RESTORE lines, per-runtime application formats, RDS engine logs, API Gateway
access/execution logs), the alarms and the CloudTrail-style changes. Labels follow the category table and
tie-breaks of the format; `root_cause.resource` lists the ids accepted for the origin resource.

| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |
|---|---|---|---|---|---|---|
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "scenarios_holdout41"
    out.mkdir(parents=True, exist_ok=True)
    rows, paras = [], []
    for build in BUILDERS:
        sc = build()
        doc = sc.doc()
        path = out / (doc["name"] + ".yaml")
        dump(doc, path)
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise SystemExit("%s is %d bytes (> 4 MiB)" % (path.name, size))
        exp = doc["expect"]
        rc = exp["root_cause"]
        alarm = next(a for a in doc["alarms"] if a["name"] == exp["alarm"])
        rows.append("| %s | %s | `%s` (%s %s) | `%s` | %s | %s | %s |" % (
            path.name, doc["region"], alarm["name"], alarm["namespace"], alarm["metric"], rc["category"],
            ", ".join("`%s`" % r for r in rc["resource"]), sc.meta["front"], "; ".join(sc.meta["decoys"])))
        paras.append("### %s\n\n%s\n" % (path.name, sc.meta["story"]))
        print("%-52s %7.2f MB  %-26s %s" % (path.name, size / 1e6, rc["category"], ",".join(rc["resource"])))
    readme = HEADER + "\n".join(rows) + "\n\n## What happened, and the judgement behind each label\n\n" + "\n".join(paras)
    readme += NOTES
    (out / "README.md").write_text(readme, encoding="utf-8")
    return 0


NOTES = """
## Notes on conventions used

- Lambda `Duration` points are per-minute averages; `ConcurrentExecutions` per-minute maxima; SQS
  `ApproximateAgeOfOldestMessage` a per-minute maximum. Logs are a sample of invocations (metrics are the
  authoritative counts), so log volume is not proportional to `Invocations` in high-traffic functions.
- Where the fault originates outside the account (h41-16, an external card gateway), the accepted resource is the
  in-account function that calls it. Where it originates in a resource the sandbox has no `resources[]` type for
  (h41-10, a DynamoDB table), the accepted id is that table's name as it appears in the metric dimensions.
- h41-03 accepts both the failing function and its IAM role (the role is what was changed); h41-13 accepts the API
  receiving the surge and the function behind it (same request path); h41-09 accepts only the function that
  drained the shared concurrency pool, not the throttled victim whose alarm fired.
"""

if __name__ == "__main__":
    raise SystemExit(main())
