"""README for scenarios_holdout60, built from the scenarios' own metadata."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion",
              "storage_exhaustion", "throttling", "function_timeout", "traffic_surge",
              "application_error", "unknown"]

RUNTIMES = {
    1: "Python 3.12 Lambda (plain runtime lines, tracebacks)",
    2: "Java 21 Spring Boot (Spring text log), PostgreSQL log, logfmt batch tasks",
    3: "PHP 8.3/Laravel + PHP-FPM (nginx access log, FPM slow log)",
    4: "API Gateway JSON access log, Node.js 20 Lambda",
    5: ".NET 8 ASP.NET Core (Serilog text)",
    6: "Ruby 3.3 Lambda (Ruby logger, JSON error object)",
    7: "Java 21 Lambda, MySQL slow-query and error logs",
    8: "Node.js 20 fastify (pino JSON, V8 OOM stderr)",
    9: "Go (logfmt), API Gateway JSON access log",
    10: ".NET 8 Lambda",
    11: "Python 3.12 gunicorn (access log + gunicorn error log)",
    12: "Ruby on Rails 7.1 (Rails request log), PostgreSQL log",
    13: "Node.js 20 + Python 3.12 Lambdas, API Gateway execution log",
    14: "Java 21 Spring Boot (logstash JSON)",
    15: "Go (zap JSON)",
    16: "Python 3.12 Lambda, PostgreSQL replica log",
}

JUDGEMENT = [
    ("h60-02", "The connections are taken by the month-end `recon-fanout` scheduled tasks, which "
     "are not a service and not a resource of the six types, and the fault shows at the shared "
     "limit, so the origin is the database `pgcore-prod-01`, as in the public "
     "connection-exhaustion example. It is not traffic_surge: ALB request volume is flat."),
    ("h60-04", "The trigger is one partner's bulk volume, but the failure is the API's usage-plan "
     "rate limit (`THROTTLED`, 429). By the table, throttling beats traffic_surge, which needs "
     "\"no other fault\". The limit lives on `partner-data-api`, so that API is the origin."),
    ("h60-07", "The lock is held by a manual `SELECT ... FOR UPDATE` session. It is not a "
     "resource and not a CloudTrail change. The callers fail because their downstream database "
     "keeps them waiting, and that database is not exhausted (CPU ~30 %, 260 of 3,000 "
     "connections), so this is dependency_failure with the database as origin. It is not "
     "function_timeout: invocations end at the 50 s lock-wait timeout, well under the 90 s "
     "Lambda timeout, with an explicit database error."),
    ("h60-10", "The workload changes (month-end mode), but the number of messages barely "
     "changes. Invocations rise only through retries. Each invocation hits its configured 30 s "
     "timeout with no dependency errors, so the label is function_timeout, not traffic_surge."),
    ("h60-11", "For a surge, the \"origin\" is the entry point that receives it. The ALB "
     "(`retail-web`, both name forms) and the overloaded service `retail/balance-api` are both "
     "accepted. CPU peaks around 80-85 % and is never pinned, and the DB uses 420 of 1,000 "
     "connections with normal latency, so neither cpu_saturation nor db_connection_exhaustion "
     "applies."),
    ("h60-12", "Midnight on the 31st is the only trigger. There is no deployment or "
     "configuration change on the service, and no resource or dependency fault, so this is "
     "application_error even though the date is the trigger."),
    ("h60-13", "`eom-fanout` produces the load and its own errors alarm fires, but the limit that "
     "is hit is `settlement-query`'s reserved concurrency (25). This follows the public "
     "throttling example: the throttled function is the origin. `eom-fanout` is not accepted."),
    ("h60-15", "The failing dependency is an external clearing gateway, not a resource in the "
     "account, so the origin is the calling ECS service. The break-glass hotfix 91 minutes "
     "earlier is not \"shortly before onset\", and its signature (external timeouts) does not "
     "point at code."),
    ("h60-16", "The change is to a DB parameter group, which is not a resource type. The origin "
     "is the DB instance that uses it (`rpt-replica-01`), not the calling Lambda. The "
     "cancellations name the setting (`statement_timeout`), and the replica log records the "
     "change, so config_change wins over the older deployment of the builder and the "
     "archiver's deployment."),
    ("h60-01 / h60-14", "The IAM role and the KMS key are not resource types, so the origin is "
     "the workload whose calls are denied (`stmt-assembler`, `cards/token-vault`)."),
    ("h60-03", "The load comes from a month-end render job started by the Laravel scheduler on "
     "the web host. That is not a CloudTrail change and not request traffic (ALB volume is "
     "flat), so the label is cpu_saturation of `recon-web-2`. The ALB and recon-web-1 are "
     "not accepted."),
]


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def render(built) -> str:
    out = ["# Holdout set 60: a regulated fintech at month end", "",
           "Sixteen incidents from one regulated fintech during month-, quarter- and half-year "
           "close: scheduled Lambdas and ECS scheduled tasks, heavy reporting queries on RDS, KMS "
           "and Secrets Manager access, API quotas and Lambda concurrency limits, batch fan-outs "
           "and long transactions, break-glass hotfixes during deploy freezes, and auditors' "
           "\"read-only\" SSO roles that turn out to be able to change IAM and key policies.", "",
           "## How it was written",
           "The set was written independently of the bot. Its authors read only the scenario "
           "format, the four public examples and the generic series and log helpers. Each "
           "incident was designed first as a story with one decisive chain of evidence, and its "
           "label is what a senior SRE would conclude after reading all metrics, logs, alarms and "
           "CloudTrail events, applying the category table and tie-breaks as written. The bot was "
           "never run on these files. `python -m benchmarks.holdout60_gen` regenerates the set "
           "deterministically (fixed seeds, fixed wall-clock anchors). Alarm states and reasons "
           "are computed from each scenario's own series. Every scenario keeps six hours of "
           "one-minute metrics, and its log patterns (including the misleading ones) are visible "
           "for hours before onset.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in built:
        e = sc.expect
        res = ", ".join(f"`{r}`" for r in e["root_cause"]["resource"])
        out.append(f"| {sc.name}.yaml | {sc.region} | `{e['alarm']}` | "
                   f"{e['root_cause']['category']} | {res} | {_cell(sc.meta['front'])} | "
                   f"{_cell(sc.meta['decoys'])} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in built)
    rtypes = Counter(r["type"] for sc in built for r in sc.resources)
    origin_types = Counter()
    for sc in built:
        ids = set(sc.expect["root_cause"]["resource"])
        for r in sc.resources:
            if r["id"] in ids:
                origin_types[r["type"]] += 1
    missing = [c for c in CATEGORIES if c not in cats]
    out += ["", "## Coverage", "",
            "**Categories** (" + f"{len(cats)} of 13): " +
            ", ".join(f"{c} ×{cats[c]}" for c in CATEGORIES if c in cats) +
            (". Not covered: " + ", ".join(missing) + "." if missing else "."),
            "",
            "**Resource types** present: " + ", ".join(f"{k} ({v})" for k, v in sorted(rtypes.items()))
            + ". Origin resource types: " + ", ".join(f"{k} ×{v}" for k, v in sorted(origin_types.items()))
            + ".", "",
            "**Regions**: " + ", ".join(sorted({sc.region for sc in built})) + ".", "",
            "**Front vs origin**: "
            f"{sum(1 for sc in built if sc.meta['front'].startswith('front'))} of {len(built)} "
            "alarms fire on a front or caller resource (ALB, API Gateway, calling Lambda) "
            "rather than on the origin.", "",
            "**Services, runtimes and log styles**:", ""]
    for sc in built:
        out.append(f"- {sc.name}: {sc.meta['services']}; {RUNTIMES[sc.num]}.")
    out += ["", "## Judgement notes", ""]
    for name, note in JUDGEMENT:
        out.append(f"- **{name}**: {note}")
    out += ["", "## Scenarios", ""]
    for sc in built:
        out += [f"### {sc.name}", "", sc.meta["story"], ""]
    return "\n".join(out).rstrip() + "\n"
