"""README.md for scenarios_holdout98, rendered from the built scenarios' expect and meta."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """\
# Held-out RCA set 98 — a database made busy by its own caller

Six incidents on one theme: a relational database (RDS PostgreSQL, Aurora MySQL, RDS MySQL, Aurora
PostgreSQL) goes from a comfortable CPU to pinned while the traffic that reaches its callers stays flat,
and the question is what made it busy. In three of them the caller that was just deployed is the
answer, whichever alarm paged (the caller's errors, the load balancer's latency or the database's own
CPU alarm). The other three are controls that must not be blamed on a deploy: a real traffic surge with
a neighbour's deploy close by, an old caller deploy while a different client (a batch service) was
just deployed, and a caller deploy that lands while the database was already climbing. Each label is
what a senior SRE would conclude after reading all of the metrics, logs, alarms and CloudTrail changes
in the file. Metrics cover six hours at one-minute resolution; request-level logs cover the last three
hours. The YAML files are generated (seeded, deterministic) by
`.venv/bin/python -m benchmarks.holdout98_gen` and are not committed.
"""

JUDGEMENT = """\
## Judgement notes

- **h98-03 (bad_deployment although the database's CPU alarm paged):** the alarm is on the saturated
  resource, but the trigger is the caller's new version (alias flip 2 min before the rise, the new
  statement in the PostgreSQL log from the caller's database user only, invocations flat). The deployment
  is the more specific cause.
- **h98-04 (traffic_surge, not bad_deployment):** rates-sync, another client of the same database, was
  deployed 12 min before the onset, but its own schedule, durations and statements are unchanged; what
  changed is pricing-quote's invocation count (x4, one partner's bulk refresh visible in the API access
  log) running the same statement as before. The surge enters at the API and its Lambda; both are
  accepted.
- **h98-05 (bad_deployment of the batch client, not the alarmed caller):** ledger-api was deployed
  2.5 h before the onset and ran cleanly for two hours afterwards. recon-batch:23, deployed 25 min before
  now, switched its reconciliation to a full rescan; its statements dominate the slow log from its first
  run. The service id and the task family are both accepted.
- **h98-06 (cpu_saturation, not bad_deployment):** dispatch-api was deployed at -50 min, but the
  database's CPU, the queue-poll statement durations and the site latency had been climbing for 20 min
  before it on the same slope, and the new version's statements are identical. The climb comes from the
  job table's dead tuples that autovacuum cannot remove while a long `pg_dump` snapshot holds back the
  xmin horizon (the autovacuum lines say so). No change in CloudTrail explains it; the exhausted
  resource is the database: cpu_saturation on fulfil-pg.
"""


def _cell(s: str) -> str:
    return str(s).replace("|", "\\|")


def render(scs: list) -> str:
    scs = sorted(scs, key=lambda s: s.num)
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append(f"| {sc.name}.yaml | {sc.region} | {sc.expect['alarm']} | {rc['category']} | "
                   f"{', '.join(f'`{r}`' for r in rc['resource'])} | {_cell(sc.meta['front'])} | "
                   f"{_cell(sc.meta['decoys'])} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = Counter(r["type"] for sc in scs for r in sc.resources)
    regions = Counter(sc.region for sc in scs)
    out += ["", "## Coverage", "",
            "- Categories: " + ", ".join(f"{c} ×{cats[c]}" for c in CATEGORIES if cats[c]) + ".",
            "- Resource types present: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) + ".",
            "- Regions: " + ", ".join(f"{r} ({n})" for r, n in sorted(regions.items())) + ".",
            "- Services, runtimes and log styles:", ""]
    for sc in scs:
        out.append(f"  - {sc.name}: {sc.meta['services']}; {sc.meta['runtime']}; {sc.meta['logfmt']}")
    out += ["", JUDGEMENT, "## Stories", ""]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out += [f"**{sc.name}** ({rc['category']}, `{rc['resource'][0]}`). {sc.meta['story']}", ""]
    return "\n".join(out)
