"""README.md for scenarios_holdout30, built from each scenario's metadata."""
from __future__ import annotations

from collections import Counter

HEAD = """# Holdout set 30: fleets of containers and VMs

Sixteen independent incident scenarios (aiops-scenario/v1) written from outside the bot: ECS services on
Fargate and on EC2 capacity, EC2 fleets in auto scaling groups behind ALBs, RDS PostgreSQL/MySQL, Redis
on EC2, a Lambda called from a container service. Labels follow the category table and tie-breaks of
`/work/shared/scenario-format.md` as a senior SRE would apply them after reading all the evidence.

Regenerate (deterministic, seeded per scenario):

    cd /work/main && .venv/bin/python -m benchmarks.holdout30_gen

Conventions used throughout:

* Six hours of one-minute metrics (`-21600 .. -60`); logs cover the last three hours (some DB and system
  logs six). Timestamps printed inside log lines use a fictitious wall clock per scenario that is
  consistent with the relative event times.
* ECS services are `cluster/service`; ALB metrics use the `app/name/hash` id, target-group metrics
  `{TargetGroup, LoadBalancer}`; container and instance logs use awslogs-style streams
  (`prefix/container/task-id`, or the instance id for the CloudWatch agent).
* CloudTrail changes for ECS deployments are `RegisterTaskDefinition` + `UpdateService`; whether such a
  change is a code/image deployment or a configuration change is decided from the evidence (image tag and the
  version the tasks print at start-up vs. an environment value they print or complain about).
* IAM events are recorded in us-east-1 (IAM is global), as in real CloudTrail.
* "origin" in the table means the alarm is on the resource where the fault originates (for a traffic surge
  the ALB that takes the load; for a target-group setting the ALB/target group); "front" means the alarm is
  on the ALB or a caller and the origin is elsewhere.

"""


def render(scs):
    lines = [HEAD, "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
             "|---|---|---|---|---|---|---|"]
    for sc in scs:
        m = sc.meta
        res = ", ".join(f"`{r}`" for r in m["resources"])
        lines.append(f"| `{sc.name}.yaml` | {sc.region} | `{m['alarm']}` | {m['category']} | {res} | {m['where']} | "
                     f"{m['decoys']} |")
    cats = Counter(sc.meta["category"] for sc in scs)
    regions = Counter(sc.region for sc in scs)
    origin = sum(1 for sc in scs if sc.meta["where"].startswith("origin"))
    lines += ["", f"Categories: {', '.join(f'{k} x{v}' for k, v in sorted(cats.items()))} "
                  f"({len(cats)} distinct).  ",
              f"Regions: {', '.join(f'{k} x{v}' for k, v in sorted(regions.items()))}.  ",
              f"Alarm on the origin: {origin} of {len(scs)}; on the ALB or a caller: {len(scs) - origin}.", "",
              "## Scenarios", ""]
    for sc in scs:
        lines += [f"### {sc.name}", "", sc.meta["story"], ""]
    return "\n".join(lines)
