"""README.md for scenarios_holdout53: a table plus one paragraph per scenario."""
from __future__ import annotations

from pathlib import Path

HEAD = """# Held-out scenario set 53: infrastructure wear and slow burns

Written by `python -m benchmarks.holdout53_gen` (standard library + PyYAML, seeded, deterministic). Do not edit
the YAML by hand; change the generator in `benchmarks/holdout53_gen/` and regenerate.

Each file is an `aiops-scenario/v1` scenario (see `scenario-format.md`): six hours of CloudWatch metrics (one-minute
points; EC2 basic-monitoring metrics at five minutes in some files), request-level logs in the real format of the
runtime or server, CloudTrail changes, alarms and an `expect` block for graders. Most incidents build up over hours
(disk or WAL filling, leaks, burst credits draining, data growth, an ID passing 2^31, a certificate reaching its
expiry date); a few are sudden (a bad deploy, an on-sale surge, a rate limit). Every file carries decoys: unrelated
deploys or configuration changes, errors that were just as loud before the incident, benign spikes, other alarms.

Labels follow the category table and tie-breaks of `scenario-format.md` as a senior SRE would apply them after
reading all the evidence. "Alarm on" says whether the alarm to investigate is on the origin resource or on a
front resource (ALB, API Gateway, a calling Lambda) that only shows the symptom.

| file | region | alarm | intended category | accepted resources | alarm on | decoys |
|---|---|---|---|---|---|---|
"""


def write_readme(out: Path, metas: list[dict]) -> None:
    lines = [HEAD.rstrip("\n")]
    for m in metas:
        res = ", ".join(f"`{r}`" for r in m["resources"])
        lines.append(f"| `{m['file']}` | {m['region']} | `{m['alarm']}` | `{m['category']}` | {res} | "
                     f"{m['alarm_on']} | {m['decoys']} |")
    lines.append("")
    lines.append("## What happened in each scenario, and why it gets its label")
    lines.append("")
    for m in metas:
        lines.append(f"### {m['file']}")
        lines.append("")
        lines.append(m["story"])
        lines.append("")
    lines.append(TAIL)
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


TAIL = """## Judgement calls worth knowing

- **h53-04 (gp2 burst credits)**: the table has no I/O category. `storage_exhaustion` is defined as space
  (FreeStorageSpace is unchanged here) and `dependency_failure` requires a dependency that is *not* exhausted,
  so the I/O cap imposed by EBS when BurstBalance reaches 0 is labelled `throttling` (throughput capped to the
  300 IOPS baseline), on the database.
- **h53-07 (HikariCP leak)**: the exhausted pool is the client's (20/20 per task) while the database has 70 of
  1000 connections, so the origin is the leaking service, not the database.
- **h53-12 (deactivated key)**: the IAM user whose key was deactivated is accepted as an alias of the origin
  alongside the instance, as the public generated set does for execution roles.
- **h53-14 (traffic surge)**: both the ALB (entry point) and the ECS service (where the load lands) are accepted.
- Alarm states and reasons are computed from the metric series by the generator (same period/statistic/threshold
  as the alarm), so every ALARM transition time matches its data.
"""
