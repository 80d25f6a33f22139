"""README for scenarios_holdout73, built from the scenarios' own metadata."""
from __future__ import annotations

import collections

INTRO = """# Holdout set 73: strangling a legacy monolith

Sixteen incidents from estates where a Java or PHP monolith on EC2 sits behind an ALB while
new services on Lambda and ECS take over its routes one by one (listener rules, API Gateway
routes), sharing its database, its sessions and its cron jobs. Faults sit in the new services, in
the monolith, and in the seams between them (routing rules, shared schema, shared database).

Written independently of the analyser: only the scenario format, its four public examples and
the holdout57 helper modules (series/log builders, YAML dumping) were read. Each label is what
an SRE reading all of the evidence would conclude, applying the category table and its tie-break
rules as written. The generator (`python -m benchmarks.holdout73_gen`) is seeded and
deterministic. Every scenario has six hours of one-minute metrics, sparse logs with each
pattern's baseline visible for hours before onset, and decoys: deploy churn on the new services,
the monolith's chronic warnings and errors at a steady rate, changes to other resources closer to
the onset than the cause, benign spikes, and second alarms.
"""

TYPES = ("ec2", "lambda", "rds", "ecs", "apigateway", "alb")

JUDGEMENT = [
    ("h73-03", "The connections are exhausted by the legacy `dunning-nightly` cron on "
     "bss-batch-01, but the category table puts the origin of a `db_connection_exhaustion` at "
     "the exhausted database (as in the public example); only `bss-mysql-01` is accepted."),
    ("h73-04", "The CPU is taken by a scheduled job inside the monolith, not by a change or by "
     "traffic (request count is flat), so `cpu_saturation` on the one pinned host."),
    ("h73-05", "The leak is a code defect, but no deployment of catalog-bff falls in the window "
     "and the evidence is memory at the limit plus heap OOM kills: `memory_exhaustion`, not "
     "`bad_deployment`."),
    ("h73-08", "The database is slow (read/write latency and disk queue up), yet not exhausted: "
     "CPU ~30 %, connections ~230/1700, storage far from full, no burst-balance metric. "
     "Callers time out, so `dependency_failure` on the database rather than `storage_exhaustion` "
     "or `throttling`."),
    ("h73-09", "Demand grows about 1.7x during the morning ramp, well short of 'far above its usual "
     "level'. The fault is the reserved-concurrency cap (ConcurrentExecutions flat at 30, "
     "Throttles > 0): `throttling`, not `traffic_surge`."),
    ("h73-10", "The timeouts come from larger month-end invoices, not more calls. Lines load from "
     "the database in < 300 ms and no dependency error is logged, so `function_timeout`."),
    ("h73-11", "A surge has no faulty component; we name the entry point where the surplus "
     "arrives, the ALB. Both monolith hosts rise together and neither is pinned."),
    ("h73-12", "The trigger is a promotion window opening in the monolith's data (gift-card-only "
     "carts), not an AWS change: the only changes are to the monolith (CodeDeploy) and to another "
     "function. The unhandled NoMethodError in fulfilment makes it `application_error`."),
    ("h73-13", "The failing dependency is an external HTTPS API outside the account, so the "
     "origin resource is the calling function, `postal-lookup`."),
    ("h73-15", "The CloudTrail resource is the listener rule ARN, which contains the load "
     "balancer's name; the ALB is the origin. A listener rule is a setting, so by the tie-break "
     "rule `config_change` wins over any reading as a deployment of basket."),
    ("h73-16", "The Lambda reaches its timeout, but the table's `function_timeout` requires no "
     "dependency fault, and here the database's CPU sits at 99-100 %: `cpu_saturation` on "
     "`selfserve-pg`."),
    ("h73-07", "The IAM event carries region us-east-1 (IAM is global) while the scenario is in "
     "ca-central-1; a reader should still link the role to the function by name and by the "
     "assumed-role ARN in the AccessDenied message."),
]


def _runtime(r: dict) -> str:
    p = r.get("properties", {})
    return p.get("runtime") or p.get("platform") or ""


def render(scenarios) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin "
           "or front | decoys |", "|---|---|---|---|---|---|---|"]
    cats, origin_types, all_types, regions = (collections.Counter(), collections.Counter(),
                                              collections.Counter(), collections.Counter())
    runtimes = set()
    for sc in scenarios:
        rc = sc.expect["root_cause"]
        res = ", ".join(f"`{x}`" for x in rc["resource"])
        out.append(f"| {sc.name}.yaml | {sc.region} | `{sc.expect['alarm']}` | {rc['category']} | "
                   f"{res} | {sc.meta['alarm_on']} | {sc.meta['decoys']} |")
        cats[rc["category"]] += 1
        regions[sc.region] += 1
        types = {r["id"]: r["type"] for r in sc.resources}
        origin_types[types.get(rc["resource"][0], "?")] += 1
        for r in sc.resources:
            all_types[r["type"]] += 1
            runtimes.add(_runtime(r))
    out += ["", "## Coverage", "",
            "Categories (" + str(len(cats)) + " of 13): " +
            ", ".join(f"{k} x{v}" for k, v in sorted(cats.items())) + ". `unknown` is not used.",
            "",
            "Origin resource types: " + ", ".join(f"{k} x{origin_types[k]}" for k in TYPES
                                                  if origin_types[k]) +
            ". Resource types present across the set: " +
            ", ".join(f"{k} ({all_types[k]})" for k in TYPES) + ".", "",
            "Regions: " + ", ".join(f"{k} x{v}" for k, v in sorted(regions.items())) + ".", "",
            "Runtimes and platforms: Java (Spring Boot/Tomcat, JBoss, WebLogic monoliths; java21 "
            "Lambda), PHP (Apache/php-fpm, Laravel, Magento fork), Node (nodejs20.x Lambda, ECS), "
            "Go (ECS, provided.al2023 Lambda), .NET (dotnet8 Lambda, ECS), Ruby (Rails on ECS, "
            "ruby3.3 Lambda), Python (python3.11/3.12 Lambdas, gunicorn and uvicorn on ECS).", "",
            "Log styles: Lambda START/END/REPORT with runtime-specific app lines, Spring Boot, "
            "JBoss, WebLogic, Laravel, PHP error log, Apache/nginx/Tomcat access logs, zap JSON "
            "(Go), pino JSON (Node), Serilog compact JSON (.NET), lograge key=value (Rails), "
            "logfmt (Go), PostgreSQL and MySQL error logs, cron and CodeDeploy agent lines.", "",
            "Alarms on a front resource while the origin is behind it: " +
            str(sum(1 for s in scenarios if s.meta["alarm_on"].startswith("front"))) +
            " of " + str(len(scenarios)) + ".", "",
            "## Judgement notes", ""]
    out += [f"- **{k}**: {v}" for k, v in sorted(JUDGEMENT)]
    out += ["", "## Stories", ""]
    for sc in scenarios:
        out += [f"**{sc.name}** ({sc.region}). {sc.meta['story']}", ""]
    return "\n".join(out).rstrip() + "\n"
