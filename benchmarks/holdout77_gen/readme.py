"""README.md for scenarios_holdout77, built from the scenarios' expect and meta."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """# Held-out set 77: machine-learning inference platform

Sixteen incidents on an ML inference platform: model-serving ECS services (Python/uvicorn,
gunicorn and Go), online feature-store databases (PostgreSQL and MySQL on RDS), batch-scoring
and fan-out Lambdas, CPU-bound EC2 scoring workers and a Redis feature cache, with model rollouts
shipped as ECS/Lambda deployments. They were written independently of the analyser: only the
scenario format, its category table and the four public examples were read, and every label is
what an SRE reading all the evidence would conclude, with the format's tie-break rules applied as
written. The generator (`python -m benchmarks.holdout77_gen`) is seeded and deterministic; it
builds six hours of one-minute metrics, about four hours of sparse logs per stream (so the
pre-onset baseline of every log pattern is visible), alarms evaluated against the series they
watch (state, reason and state_changed agree with the data), and CloudTrail changes. Every
scenario carries decoys: a change on another resource closer to the onset than the cause, loud
errors that were already there at the same rate, benign spikes on other resources and second
alarms.
"""


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append("| " + " | ".join(_cell(x) for x in [
            f"{sc.name}.yaml", sc.region, sc.expect["alarm"], rc["category"],
            ", ".join(f"`{r}`" for r in rc["resource"]), sc.meta["front"], sc.meta["decoys"]]) + " |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = Counter(r["type"] for sc in scs for r in sc.resources)
    origin_types = Counter(sc.meta.get("origin_type", "") for sc in scs)
    regions = sorted({sc.region for sc in scs})
    out += ["", "## Coverage", "",
            "Categories (scenarios each): " + ", ".join(f"`{c}` {cats[c]}" for c in CATEGORIES if cats[c]) + ". "
            + "Not covered: " + ", ".join(f"`{c}`" for c in CATEGORIES if not cats[c]) + ".", "",
            "Resource types present (resources across the set): " + ", ".join(f"{t} {n}" for t, n in sorted(types.items()))
            + ". Origin resource types: " + ", ".join(f"{t} {n}" for t, n in sorted(origin_types.items()) if t) + ".",
            "",
            f"Regions: {', '.join(regions)}. Alarm on a front resource (ALB, API Gateway, a calling "
            f"function) while the origin sits behind it: {sum(1 for s in scs if s.meta['front'].startswith('front'))} "
            "of 16.", "",
            "Runtimes and log styles: Python (Lambda plain `[LEVEL]` lines, python-json-logger JSON, uvicorn "
            "and gunicorn text, pydantic/psycopg/pymysql tracebacks), Go (zap JSON, logfmt, standard `log`, "
            "Apache combined access logs, custom-runtime Lambdas), Java (Spring Boot/Lettuce), .NET (Serilog), "
            "Node (Lambda text), Ruby (Lambda Logger), PHP (Laravel), plus RDS PostgreSQL/MySQL engine logs, "
            "nginx access logs, API Gateway execution logs and ECS task-state events.", "",
            "## Judgement notes", ""]
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name}**: {sc.meta['judgement']}")
    out += ["", "## Scenarios", ""]
    for sc in scs:
        out += [f"### {sc.name}", "", sc.meta["story"], ""]
    return "\n".join(out) + "\n"
