"""README of the set-17 scenarios, rendered from each case's metadata."""
from __future__ import annotations

_SERVICE = {"ec2": "EC2", "lambda": "Lambda", "rds": "RDS", "ecs": "ECS", "apigateway": "API Gateway", "alb": "ALB"}


def _origin_service(case) -> str:
    first = case.expect["root_cause"]["resource"][0]
    for r in case.resources:
        if r["id"] == first:
            return _SERVICE[r["type"]]
    return "?"


def render(cases) -> str:
    lines = [
        "# Held-out scenario set 17",
        "",
        "Sixteen incident scenarios (aiops-scenario/v1) written independently of the analyzers, balanced across the "
        "13 root-cause categories and the six services, in the style of the public examples (six hours of one-minute "
        "metrics, three hours of runtime-format logs, CloudTrail changes, one or more decoys each).",
        "",
        "Generate with `python -m benchmarks.holdout17_gen` (seeded, deterministic); check with "
        "`python -m benchmarks.holdout17_gen.check`. Only the generator and this README are meant to be committed.",
        "",
        "| file | region | alarm | intended category | accepted resources | alarm on origin or front | origin service | decoys |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in cases:
        rc = c.expect["root_cause"]
        res = ", ".join(f"`{r}`" for r in rc["resource"])
        lines.append(f"| {c.name}.yaml | {c.region} | `{c.expect['alarm']}` | `{rc['category']}` | {res} | "
                     f"{c.meta['front']} | {_origin_service(c)} | {c.meta['decoys']} |")
    lines += ["", "## Scenarios", ""]
    for c in cases:
        lines += [f"### {c.name}", "", c.meta["story"], ""]
    return "\n".join(lines)
