"""README.md for scenarios_holdout79, rendered from each scenario's `meta`."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion",
              "storage_exhaustion", "throttling", "function_timeout", "traffic_surge",
              "application_error", "unknown"]

INTRO = """\
# Held-out set 79: the internal platform after the reorg

Sixteen incidents on a mid-size company's internal platform a few months after a reorganisation.
Shared services (sign-in and sessions, notifications, feature flags, the people directory) are used
by many teams. Cron-driven Lambdas and batch jobs share databases and hosts with the interactive
services (noisy neighbours). Resource names still carry old team names, so a name says little about
who owns a resource or what it does.

The set was written from the scenario format document, its category table and the four public
examples only, without looking at the analyser. Each label is what a senior SRE would conclude after
reading all the evidence in the file. `benchmarks/holdout79_gen` generates the set from a fixed seed
and reuses the holdout57 helpers for series, Lambda log streams and YAML output. Metrics cover six
hours at one-minute resolution and logs cover the last three hours, so "was this already there?" can
be checked. Every scenario has at least one decoy: a change nearer the onset than the cause, loud
errors at an unchanged rate, a benign spike, or a second alarm. Seven languages (Python, Node,
Java, Go, .NET, Ruby, PHP) and plain, JSON, logfmt and access-log formats are mixed.
"""

JUDGEMENT = [
    ("h79-04", "The failing dependency is an LDAP replica on EC2 whose status check fails. It is "
               "neither saturated nor exhausted (CPU falls to ~0, memory and disk are flat), so the "
               "category is dependency_failure and the origin is the instance. The calling token "
               "service is not accepted."),
    ("h79-05", "A cron Lambda that leaks connections to the shared MySQL instance fills "
               "`max_connections`. The fault is in the database's connection pool, so the accepted "
               "origin is the RDS instance, as in the public example. An answer naming the cron "
               "function is defensible but not accepted, because the category table ties "
               "db_connection_exhaustion to the exhausted database."),
    ("h79-09", "Traffic to the webhook function roughly doubles when a second team starts calling "
               "it. That is not 'far above its usual level', and the failures are throttles against "
               "a reserved-concurrency limit set months ago, so the label is throttling (the same "
               "reading as the public lambda-throttling example), not traffic_surge."),
    ("h79-11", "Nothing is broken: CPU on the two targets rises to ~78 % and stays below "
               "saturation. Latency and 504s follow a ~9x rise in requests from one new client "
               "user-agent. The accepted origin is the load balancer that takes the surge (both "
               "forms of its name). The targets are not accepted."),
    ("h79-12", "The service was deployed five hours before the onset and ran cleanly for more than "
               "four hours. The exception appears when one new org unit with no manager reaches "
               "the endpoint, so this is application_error, not bad_deployment."),
    ("h79-14", "The trigger is an ECS task-definition revision plus UpdateService, which looks like "
               "a deployment. Its only difference is an environment-variable rename, and the new "
               "tasks log that a required setting is missing. Following the tie-break rule (a "
               "config change beats a deployment), the label is config_change."),
    ("h79-15", "The callers log statement timeouts from Postgres, which reads like "
               "dependency_failure. But the database is itself pinned at ~99 % CPU by another "
               "team's reporting queries, so the category is cpu_saturation on the RDS instance."),
]


def _row(sc) -> str:
    m = sc.meta
    res = ", ".join(f"`{r}`" for r in m["resources"])
    return (f"| `{sc.name}.yaml` | {sc.region} | `{sc.expect['alarm']}` | {m['category']} | {res} | "
            f"{m['front']} | {m['decoys']} |")


def render(scenarios: list) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    out += [_row(sc) for sc in scenarios]
    cats = Counter(sc.meta["category"] for sc in scenarios)
    rtypes = Counter(r["type"] for sc in scenarios for r in sc.resources)
    out += ["", "## Coverage", "",
            "Categories (scenarios each): " + ", ".join(
                f"{c} {cats[c]}" for c in CATEGORIES if cats[c]) + ". Not covered: " + ", ".join(
                c for c in CATEGORIES if not cats[c]) + ".", "",
            "Resource types (resources across the set): " + ", ".join(
                f"{t} {n}" for t, n in sorted(rtypes.items())) + ".", "",
            "Regions: " + ", ".join(sorted({sc.region for sc in scenarios})) + ".", "",
            "Services and log formats per scenario:", ""]
    out += [f"- {sc.name}: {sc.meta['services']}" for sc in scenarios]
    fronts = sum(1 for sc in scenarios if sc.meta["front"].startswith("front"))
    out += ["", f"In {fronts} of {len(scenarios)} scenarios the alarm fires on a front resource or a "
            "caller, and the origin sits behind it.", "", "## Judgement notes", ""]
    out += [f"- **{k}**: {v}" for k, v in JUDGEMENT]
    out += ["", "## Stories", ""]
    for sc in scenarios:
        out += [f"**{sc.name}** ({sc.meta['category']}, `{sc.meta['resources'][0]}`). {sc.meta['story']}", ""]
    return "\n".join(out)
