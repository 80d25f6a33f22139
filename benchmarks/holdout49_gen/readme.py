"""README.md for the generated set: a summary table and one paragraph per scenario."""
from __future__ import annotations

INTRO = """# Holdout 49: incidents seen through imperfect telemetry

Sixteen independent incident scenarios (format `aiops-scenario/v1`, see
`shared/scenario-format.md`), written from the outside, without reference to the bot's
code. Regenerate with `python -m benchmarks.holdout49_gen` (seeded, deterministic).

Theme: the telemetry is what real accounts have, not what a lab would want. Some
resources only have 5-minute basic-monitoring metrics (EC2 without detailed monitoring),
a metric or a log group that would have helped does not exist (CloudWatch agent never
installed or not collecting disk, Container Insights off, ALB access logs off, RDS logs
not exported, a Lambda whose role cannot write logs), alarms use several evaluation
periods or M-of-N datapoints and some flap, alarms in INSUFFICIENT_DATA sit beside the
firing one, logs are mostly INFO noise with the telling line rare, JSON logs have no
level field, and several applications stamp their log text in a local time zone that is
not UTC. In every case the evidence that remains is enough for a careful senior SRE to
reach the label; each scenario also carries at least one genuinely unrelated decoy.

Every alarm's `state`, `state_reason` and `state_changed` is computed by replaying
CloudWatch's evaluation over the scenario's own metric series, so the alarms agree with
the data. Log text time stamps are consistent with the event times for a fixed notional
"now" per scenario (the loader re-anchors event times, so only relative positions matter).

"""


def write_readme(path: str, metas: list) -> None:
    lines = [INTRO, "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
             "|---|---|---|---|---|---|---|"]
    for m in metas:
        lines.append("| %s | %s | `%s` | `%s` | %s | %s | %s |" % (
            m["file"], m["region"], m["alarm"], m["category"],
            ", ".join("`%s`" % r for r in m["resources"]), m["alarm_on"], m["decoys"]))
    lines.append("")
    lines.append("## Scenarios")
    lines.append("")
    for m in metas:
        lines.append("### %s (`%s`)" % (m["file"], m["category"]))
        lines.append("")
        lines.append(m["paragraph"])
        lines.append("")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
