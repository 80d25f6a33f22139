"""README.md for scenarios_holdout96, rendered from the scenarios' own expect/alarms and notes."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

STACK = {  # runtime(s) and log styles, for the coverage section
    1: ("Java (Spring Boot on ECS)", "Spring plain text"),
    2: ("Go (Lambda provided.al2023)", "Go stdlib plain text, Lambda JSON error"),
    3: (".NET 8 (Lambda)", "Lambda .NET plain text, API Gateway execution logs"),
    4: ("Java (Spring Boot on EC2), PostgreSQL", "Spring plain text, Tomcat access log, PostgreSQL log"),
    5: (".NET 8 (Lambda), Java (ECS), MySQL", "Lambda .NET plain text, Spring plain text, MySQL error log"),
    6: ("Java (Tomcat on EC2)", "Spring plain text, Tomcat access log"),
    7: ("Java (Spring Boot on ECS)", "Spring plain text, JVM stderr"),
    8: ("Java 21 (Lambda), Go (EC2)", "Lambda Java plain text, logfmt"),
    9: (".NET 8 (Lambda)", "Lambda .NET plain text, API Gateway execution logs"),
    10: ("Java 21 (Lambda)", "Lambda Java plain text"),
    11: (".NET 8 (ASP.NET Core on ECS)", "Serilog compact JSON (CLEF)"),
    12: ("Go (Lambda provided.al2023)", "zap JSON, Lambda JSON error"),
    13: (".NET 8 (Kestrel on EC2)", "Microsoft.Extensions.Logging console"),
    14: ("Go (Lambda provided.al2023)", "logfmt, API Gateway execution logs"),
    15: ("Go (ECS), PostgreSQL", "zap JSON, PostgreSQL log"),
    16: (".NET 8 (Kestrel on EC2)", "Microsoft.Extensions.Logging console"),
}


def _alarm(sc) -> dict:
    return next(a for a in sc.alarms if a["name"] == sc.expect["alarm"])


def render(scenarios: list) -> str:
    out = ["# Held-out set 96 - airline operations", "",
           "Sixteen incidents from an airline's operations platform: the public flight-status API, crew "
           "rostering and flight-time-limit checks, baggage scanning and tracing, online and kiosk check-in "
           "surges, irregular operations (IROPS) during storms, and codeshare partner integrations, across "
           "eu-west-1, us-east-1 and ap-northeast-2. The set was written independently of the bot: only the "
           "scenario format, its category table and the four public examples were read, and the generator "
           "(`benchmarks/holdout96_gen`, seeded and deterministic) reuses the shared holdout57 helpers for "
           "series, Lambda log streams and YAML. Each label is what an SRE reading all the evidence would "
           "conclude with the category table and its tie-break rules applied as written; the bot was never run "
           "on these files. Every scenario carries decoys: a change to another resource closer to the onset than "
           "the cause, error lines that were already there at the same rate for hours, benign spikes or second "
           "alarms.", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scenarios:
        a = _alarm(sc)
        res = ", ".join(f"`{r}`" for r in sc.expect["root_cause"]["resource"])
        out.append(f"| `{sc.name}.yaml` | {sc.region} | `{a['name']}` ({a['namespace']} {a['metric']}) | "
                   f"`{sc.expect['root_cause']['category']}` | {res} | {sc.meta['alarm_on']} | {sc.meta['decoys']} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scenarios)
    types = Counter(r["type"] for sc in scenarios for r in sc.resources)
    regions = Counter(sc.region for sc in scenarios)
    out += ["", "## Coverage", "",
            "Categories: " + ", ".join(f"`{c}` x{cats[c]}" for c in CATEGORIES) + ".", "",
            "Resource types present: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) +
            ". Regions: " + ", ".join(f"{r} ({n})" for r, n in sorted(regions.items())) + ".", "",
            "Runtimes and log styles:", ""]
    for sc in scenarios:
        rt, lg = STACK[sc.num]
        out.append(f"- h96-{sc.num:02d}: {rt}; {lg}")
    fronts = [f"h96-{sc.num:02d}" for sc in scenarios if sc.meta["alarm_on"].startswith(("front", "caller"))]
    out += ["", f"The alarm fires on a front resource or a caller, not on the origin, in {len(fronts)} scenarios: "
            + ", ".join(fronts) + ".", "", "## Judgement notes", ""]
    for sc in scenarios:
        if sc.meta.get("judgement"):
            out.append(f"- **h96-{sc.num:02d}** ({sc.expect['root_cause']['category']}): {sc.meta['judgement']}")
    out += ["", "## Scenarios", ""]
    for sc in scenarios:
        out += [f"**{sc.name}** - {sc.description} {sc.meta['story']}", ""]
    return "\n".join(out)
