"""README.md for scenarios_holdout81, rendered from the built scenarios' expect and meta."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """\
# Held-out set 81: ad-tech real-time bidding

Sixteen incidents in the bidding stack of an ad-tech company: exchange-facing bidder services on ECS
behind ALBs answering a hundred thousand or more requests a minute within a few milliseconds,
budget-pacing and spend Lambdas, campaign databases on RDS and frequency-capping caches on EC2,
written mostly in Go, Java and Node (with Python, .NET, Ruby and PHP on bystander resources).
The set was written independently of the analyser: only the scenario format, its four public
examples and the shared generator helpers (`holdout57_gen.common`, `holdout57_gen.runtimes`,
`holdout_writer`) were read. Each label is what a senior SRE would conclude after reading all the
metrics, logs, alarms and CloudTrail events in the file, with the category table and its tie-break
rules applied as written. `python -m benchmarks.holdout81_gen` rebuilds the YAML files (seeded,
deterministic); every scenario has six hours of one-minute metrics and four hours of sparse logs, so
that patterns that predate the incident stay visible as such.
"""

JUDGEMENT = """\
## Judgement notes

- **Exhausted dependencies (h81-03, h81-04, h81-06, h81-16)**: the alarming caller sees errors or timeouts from a
  downstream resource, but that resource is itself at a limit (connections, CPU, storage, disk), so the table's
  `dependency_failure` ("not itself exhausted") does not apply and the specific exhaustion category, on the
  exhausted resource, does. In h81-16 the Redis error (`MISCONF ... unable to persist to disk`) is the disk being full.
- **h81-03 (connection exhaustion)**: the connections are opened by a half-hourly audience batch Lambda whose
  concurrency ran higher than usual, without any change to it; the exhausted resource, and the label, is
  the database. A reader naming the Lambda has found the consumer, not the resource at its limit.
- **h81-04, h81-09, h81-16 (EC2 behind a caller)**: the accepted resource is the instance (id or Name tag),
  not the ALB or the ECS caller that raised the alarm.
- **h81-05 (memory)**: the scorer's heap grows with its segment cache without any deploy; one could call the
  unbounded cache a bug, but the evidence is OOM kills with memory at the limit, which the table files under
  `memory_exhaustion`. The model-publish deploy 3 min before the onset is on another resource and runs hourly.
- **h81-07 (throttling)**: traffic on the win-notice path is at its evening peak, about 15 % above the level two
  hours earlier, not "far above its usual level"; duration is flat and the reserved concurrency (200) was not
  changed. The concurrency ceiling being hit is the fault, so `throttling` rather than `traffic_surge`.
- **h81-08 (traffic surge)**: a surge has no single faulty resource; the load balancer that received it and the
  gateway service it overloaded are both accepted. ECS CPU rises to about 80 % but is not pinned, and the
  autoscaling UpdateService events come after the onset (they are the reaction, not the cause).
- **h81-10 (permission)**: the IAM role is not a resource type of the format, so the function whose calls are
  denied is the accepted resource.
- **h81-11 (timeout)**: the function's input grew (more active line items) without any change or dependency
  error; the runs hit the 120 s limit, which is `function_timeout`, not `traffic_surge` (invocation count is flat).
- **h81-12 (application error)**: the exchange is a caller, not a downstream dependency, and nothing in the
  account changed on the failing service, so malformed input triggering a nil dereference is `application_error`.
- **h81-14 (config change)**: the change is an SSM parameter (not a resource type of the format); the service
  that loaded it and fails naming the setting is the accepted resource. The ECS deploy of another service is closer
  to the alarm but that service is healthy.
- **h81-09 (dependency)**: the failed instance shows StatusCheckFailed_System and then no data at all; it was at
  ~22 % CPU and 64 % memory before it vanished, so nothing was exhausted and the caller's ETIMEDOUT errors make it a
  `dependency_failure` with the instance as origin.
- **h81-15 (dependency)**: the database crashed (segmentation fault) and is replaying WAL; it is not exhausted
  (CPU, memory, storage and connections are all far from limits), so the caller's errors are a
  `dependency_failure` whose origin is the database.
"""


def _row(sc) -> str:
    rc = sc.expect["root_cause"]
    alarm = next(a for a in sc.alarms if a["name"] == sc.expect["alarm"])
    res = ", ".join(f"`{r}`" for r in rc["resource"])
    return (f"| `{sc.name}.yaml` | {sc.region} | `{alarm['name']}` ({alarm['namespace']} {alarm['metric']}) | "
            f"`{rc['category']}` | {res} | {sc.meta['front']} | {sc.meta['decoys']} |")


def render(scenarios: list) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    out += [_row(sc) for sc in scenarios]
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scenarios)
    missing = [c for c in CATEGORIES if c not in cats]
    types = Counter(r["type"] for sc in scenarios for r in sc.resources)
    regions = sorted({sc.region for sc in scenarios})
    out += ["", "## Coverage", "",
            "- Categories: " + ", ".join(f"`{c}` x{cats[c]}" for c in CATEGORIES if c in cats)
            + (f"; not covered: {', '.join(f'`{c}`' for c in missing)}" if missing else "") + ".",
            "- Resource types (resources declared across the set): "
            + ", ".join(f"{t} x{n}" for t, n in sorted(types.items())) + ".",
            f"- Regions ({len(regions)}): " + ", ".join(regions) + ".",
            "- Alarm on a front resource (ALB, API Gateway or a calling function) in "
            f"{sum(1 for sc in scenarios if sc.meta['front'] != 'origin')} of {len(scenarios)} scenarios.",
            "- Runtimes and log styles: Go (zap JSON, slog JSON, logrus text, stdlib `log` with panics), Java "
            "(Spring Boot console with stack traces), Node (pino JSON, Lambda Node format), Python, .NET and Ruby "
            "Lambdas, PHP-FPM and nginx access logs, PostgreSQL and MySQL error logs, Redis logs, logfmt.",
            "- Services per scenario: " + "; ".join(f"{sc.name[:6]} {sc.meta['services']}" for sc in scenarios)
            + ".", "", JUDGEMENT, "## Stories", ""]
    for sc in scenarios:
        out += [f"**{sc.name}** ({sc.expect['root_cause']['category']}). {sc.meta['story']}", ""]
    return "\n".join(out)
