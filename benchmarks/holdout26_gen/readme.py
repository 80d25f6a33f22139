"""README.md for the generated set (table + one paragraph per scenario)."""
from __future__ import annotations

HEAD = """# Holdout set 26 — "bread-and-butter pages"

Sixteen ordinary incidents an on-call SRE at a mid-size SaaS gets every week, written
independently of the bot as a held-out root-cause benchmark. Generated deterministically by
`python -m benchmarks.holdout26_gen` (standard library + PyYAML, fixed seeds). Labels follow
`/work/shared/scenario-format.md` (category table and tie-breaks) as a senior SRE reading all
the evidence would conclude. Metrics: 6 h at 1-minute resolution; logs: the last 3 h.

| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |
|---|---|---|---|---|---|---|
"""


NOTES = """
## Conventions

- Timestamps inside log lines are rendered from a fixed wall-clock anchor per scenario (the
  loader re-bases only the event times), so they read as a plausible date, not the load date.
- Alarm `state_changed` values are computed from the alarm's own metric series (aligned
  period windows, last OK->ALARM transition), so every ALARM is consistent with its data.
- Logs cover the last 3 h, except high-volume streams kept shorter to stay under ~4 MB:
  quote-generator and the API Gateway logs in h26-09 (2 h), partner-api logs in h26-14 (45 min),
  promo-banner in h26-15 and geo-lookup in h26-08 (1 h). Request-level logs are emitted where a
  real service would emit them (Lambda, nginx, lograge, API Gateway access logs); JVM/Node
  services log business events, per-minute summaries, warnings and errors instead.
- `expect.root_cause.resource` lists every id a responder could use for the origin: ECS
  `cluster/service` and service name, EC2 instance id and Name tag, ALB name and `app/...` id,
  API name and REST API id; for h26-03 the function and its IAM role; for h26-15 both instances
  and the CodeDeploy deployment group.
"""


def write_readme(scs, path):
    out = [HEAD]
    for sc in scs:
        e = sc.expect
        out.append("| `%s.yaml` | %s | `%s` | `%s` | %s | %s | %s |\n" % (
            sc.slug, sc.region, e["alarm"], e["root_cause"]["category"],
            ", ".join("`%s`" % r for r in e["root_cause"]["resource"]),
            sc.meta["front"], sc.meta["decoys"]))
    out.append("\n## What happened and why the label\n")
    for sc in scs:
        out.append("\n### %s\n\n%s\n" % (sc.slug, sc.meta["story"]))
    out.append(NOTES)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("".join(out))
