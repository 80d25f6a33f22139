"""README.md for the generated set."""
from __future__ import annotations

HEAD = """# Holdout set 29 - "serverless shops"

Sixteen independent incident scenarios (aiops-scenario/v1) about event-driven Lambda systems: functions
behind SQS, SNS, EventBridge schedules, Kinesis / DynamoDB streams and API Gateway (REST and HTTP APIs),
DynamoDB tables (identified by `TableName` in their CloudWatch metrics), S3, Secrets Manager / SSM,
third-party HTTP APIs and RDS (directly or through RDS Proxy).

Generated deterministically by `python -m benchmarks.holdout29_gen` (standard library + PyYAML).
Labels follow the category table and tie-breaks of `scenario-format.md`; `expect.root_cause.resource`
names the origin resource (every accepted spelling of it), which is often not the resource whose alarm
fired. "origin" in the table means the alarm is on the origin resource; "front"/"caller" means it is on a
front door (API) or on a caller / consumer of the faulty resource.

| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |
|---|---|---|---|---|---|---|
"""


def write_readme(path, metas):
    rows = []
    for m in metas:
        res = ", ".join(f"`{r}`" for r in m["resources"])
        rows.append(f"| {m['file']} | {m['region']} | `{m['alarm']}` | `{m['category']}` | {res} | "
                    f"{m['alarm_on']} | {m['decoys']} |")
    body = [HEAD + "\n".join(rows), "", "## Scenarios", ""]
    for m in metas:
        body.append(f"**{m['file']}** - {m['story']}")
        body.append("")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(body))
