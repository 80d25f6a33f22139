"""README for scenarios_holdout62."""
from __future__ import annotations

from collections import Counter

HEAD = """# Holdout set 62: data platforms and streaming

Sixteen incidents from data pipelines: Kinesis, SQS and DynamoDB-stream consumers on Lambda, ECS
workers, Aurora writers and readers, batch ETL and the APIs that feed them. Poison records,
growing iterator age, backlogs, partial batch failures and fan-out load are the usual symptoms;
the usual decoys are scheduled jobs that spike every hour or night, changes to neighbouring
resources closer to the onset than the cause, and loud errors that were already there.

The set was written independently of the bot: the author read only the scenario format, the four
public examples and the generic series/log helpers, decided each incident's cause first, and then
generated the evidence an on-call engineer would see (six hours of one-minute metrics, about three
hours of sparse logs, alarms with states computed from the series, CloudTrail changes). Labels are
what a senior SRE reading all of the evidence would conclude, with the category table and its
tie-break rules applied as written. `python -m benchmarks.holdout62_gen` regenerates the files
deterministically (seeded).
"""


def render(rows: list) -> str:
    rows = sorted(rows, key=lambda r: r["num"])
    out = [HEAD, "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        res = ", ".join(f"`{x}`" for x in r["resources"])
        out.append(f"| {r['file']} | {r['region']} | `{r['alarm']}` | {r['category']} | {res} | "
                   f"{r['where']} | {r['decoys']} |")
    cats = Counter(r["category"] for r in rows)
    svcs = Counter(s.strip() for r in rows for s in r["services"].split(","))
    origin = Counter("origin" if r["where"] == "origin" else "front" for r in rows)
    out += ["", "## Coverage", "",
            "Categories: " + ", ".join(f"{c} ({n})" for c, n in sorted(cats.items())) + ".",
            "`unknown` is not used: every incident here has a decidable cause.", "",
            "Services: " + ", ".join(f"{s} ({n})" for s, n in sorted(svcs.items())) + ".", "",
            f"Alarm on the origin resource: {origin['origin']}; on a front or downstream-visible "
            f"resource (queue, stream, API, load balancer, caller): {origin['front']}.", "",
            "Runtimes and log styles: Python (Powertools JSON, plain Lambda, gunicorn), Node.js "
            "(plain Lambda, pino JSON), Java (Lambda, Spring Boot), Go (logfmt, zerolog JSON), .NET "
            "(Serilog, Lambda), Ruby (Lambda, Shoryuken/Logger), PHP (php-fpm + nginx access log), "
            "plus PostgreSQL/MySQL engine logs and API Gateway execution/access logs.", "",
            "## Judgement notes", ""]
    for r in rows:
        if r.get("judgement"):
            out.append(f"- **{r['file']}**: {r['judgement']}")
    out += ["", "## Scenarios", ""]
    for r in rows:
        out += [f"### {r['file']}", "", r["story"], ""]
    return "\n".join(out)
