"""README.md of scenarios_holdout74, rendered from the built scenarios (their expect and meta)."""
from __future__ import annotations

from collections import Counter

INTRO = """# Held-out set 74: logistics and delivery routing

Sixteen incidents from a parcel and freight operator: dispatch APIs and driver apps, route-planning batch
jobs, warehouse and sortation scanners, carrier partner webhooks, dock and yard systems. Load peaks at shift
starts; services mix Go and Java with Node, Python, .NET, Ruby and PHP.

The set was written independently of the bot: only the scenario format, its four public examples and the
shared generator helpers (`holdout57_gen.common`, `holdout57_gen.runtimes`, `holdout_writer`) were read. Each
scenario was designed story-first, then rendered by `python -m benchmarks.holdout74_gen` (seeded, standard
library + PyYAML). Labels are what a senior SRE reading all of the evidence would conclude, applying the
format's category table and tie-break rules as written; the bot was never run on these files. Every scenario
carries decoys: a change to another resource closer to the onset than the cause (or no causal change at all),
error lines that were there at the same rate for hours, benign spikes and second alarms. Application logs
cover the last five hours so that "new since onset" and "always there" can be told apart.
"""


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append("| " + " | ".join(_cell(x) for x in (
            f"`{sc.name}.yaml`", sc.region, f"`{sc.expect['alarm']}`", f"`{rc['category']}`",
            ", ".join(f"`{r}`" for r in rc["resource"]), sc.meta["front"], sc.meta["decoys"])) + " |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = Counter(r["type"] for sc in scs for r in sc.resources)
    origin_types = Counter(next((r["type"] for r in sc.resources if r["id"] in sc.expect["root_cause"]["resource"]), "?")
                           for sc in scs)
    out += ["", "## Coverage", "",
            "**Categories** (" + str(len(cats)) + " of 13): " +
            ", ".join(f"`{c}` x{n}" for c, n in sorted(cats.items())) +
            ". `unknown` is not used: every scenario is meant to be decidable.", "",
            "**Resource types present**: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) +
            "; **origin types**: " + ", ".join(f"{t} ({n})" for t, n in sorted(origin_types.items())) + ".", "",
            "**Fronts**: the alarm fires on a front resource (ALB, API Gateway or a calling function) in " +
            str(sum(1 for sc in scs if sc.meta["front"] != "origin")) + " scenarios and on the origin in " +
            str(sum(1 for sc in scs if sc.meta["front"] == "origin")) + ".", "",
            "**Regions**: " + ", ".join(sorted({sc.region for sc in scs})) + ".", "",
            "**Runtimes and log styles**: Go (zap JSON, slog JSON, logfmt; on ECS and provided.al2023), Java 21 "
            "(Spring Boot console, logstash JSON, Lambda java21), Node 20 (Lambda console, Invoke Error JSON), "
            "Python 3.11/3.12 (Lambda tab format, tracebacks), .NET 8 (Serilog on EC2, Lambda dotnet8), Ruby 3.3 "
            "(Lambda logger format), PHP 8.2 (Monolog, PHP-FPM error log), nginx access logs, API Gateway "
            "execution logs, RDS PostgreSQL and MySQL error logs.", "",
            "## Judgement notes", ""]
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name}** (`{sc.expect['root_cause']['category']}`): {sc.meta['judgement']}")
    out += ["", "## Scenarios", ""]
    for sc in scs:
        out += [f"### {sc.name}", "", sc.meta["story"], ""]
    return "\n".join(out).rstrip() + "\n"
