"""README.md for scenarios_holdout83, rendered from the built scenarios and their `meta`."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """# Held-out set 83 — exam season on a learning-management platform

Sixteen incidents from the busiest weeks of a university's LMS: submission uploads and hourly
deadlines, grading and autograder workers, plagiarism/originality Lambdas, LTI and SAML sign-in
integrations, grade passback and exports, on MySQL and PostgreSQL, mostly in PHP, Python and Java
with Node.js, Go, .NET and Ruby around them. The set was written from the scenario format, its
category table and tie-break rules and the four public examples only, without looking at the
bot's analyzers, tests or other held-out sets, and the bot was never run on it. Every scenario
was designed story-first: what broke, what a responder would see, and what a careless reading
would blame instead. Labels are what an SRE reading all the evidence would conclude. Series are
six hours of one-minute points with the platform's top-of-hour deadline rhythm, alarm states and
reasons are computed from the series they watch, and logs keep each pattern's baseline visible
for hours before onset. Regenerate with `python -m benchmarks.holdout83_gen` (seeded,
deterministic); the YAML files are git-ignored.
"""


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append(f"| {sc.name}.yaml | {sc.region} | {sc.expect['alarm']} | {rc['category']} | "
                   f"{', '.join(f'`{r}`' for r in rc['resource'])} | {_cell(sc.meta['position'])} | "
                   f"{_cell(sc.meta['decoys'])} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = Counter(r["type"] for sc in scs for r in sc.resources)
    fronts = sum(1 for sc in scs if sc.meta["position"].startswith("front"))
    out += ["", "## Coverage", "",
            "Categories: " + ", ".join(f"{c} ×{cats[c]}" for c in CATEGORIES if cats[c]) + ". Not covered: "
            + (", ".join(c for c in CATEGORIES if not cats[c]) or "none") + ".", "",
            "Resource types (resources declared across the set): "
            + ", ".join(f"{t} ×{n}" for t, n in sorted(types.items())) + ".", "",
            f"Alarm position: {fronts} of {len(scs)} alarms fire on a front resource (ALB, API Gateway or a calling "
            "Lambda) while the fault originates behind it; the rest fire on the origin.", "",
            "Regions: " + ", ".join(sorted({sc.region for sc in scs})) + ".", "",
            "| file | services | runtime | log formats |", "|---|---|---|---|"]
    for sc in scs:
        out.append(f"| {sc.name} | {sc.meta['services']} | {sc.meta['runtime']} | {sc.meta['logfmt']} |")
    out += ["", "## Judgement notes", "",
            "- `unknown` is not used: every incident here has a cause the evidence supports.",
            "- Where the origin is an ECS service both `cluster/service` and `service` are accepted; for EC2 the "
            "instance id and its Name tag; for an origin ALB its full `app/name/id` and its name.",
            "- A change that is nearer the alarm than the cause is a decoy only when the evidence rules it out "
            "(errors that begin before it, a different resource, an error text that names something else); each "
            "case is spelled out in the scenario's paragraph."]
    for sc in scs:
        if sc.meta.get("note"):
            out.append(f"- {sc.meta['note']}")
    out += ["", "## The incidents", ""]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out += [f"**{sc.name}** ({rc['category']}, `{rc['resource'][0]}`). {sc.meta['story']}", ""]
    return "\n".join(out)
