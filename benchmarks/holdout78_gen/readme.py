"""README.md for set 78, rendered from each scenario's expect, alarms and meta."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """# Held-out scenario set 78: travel booking and search

Sixteen incidents from a travel platform: fare search fanning out to partner APIs, booking and PNR
databases, seat holds and their timeouts, currency/rate services and caches, partner-facing APIs. They run
in three regions (eu-west-1, ap-southeast-2, us-west-2) on Ruby, Java and Node.js mostly, with Python, Go,
.NET and PHP services as well.

How it was written: each scenario was designed from the incident outward, with the story first, then the
evidence a senior SRE would use to decide it, then decoys that a lazy analysis would fall for (a change to
another resource closer to onset than the cause, errors that were already there at the same rate for hours,
benign spikes, second alarms, alarms with stale thresholds). Labels follow the category table and tie-break
rules of `scenario-format.md` as written. They were never checked against the bot's output. The generator
(`python -m benchmarks.holdout78_gen`) is seeded and deterministic. It writes 6 hours of one-minute metrics
for every series that matters, sparse but continuous logs (a few events a minute per stream, so a pattern's
baseline before onset is visible), alarm states computed from the series themselves, and CloudTrail-style
changes. The YAML files are git-ignored; regenerate them with the command above.
"""


def _alarm(sc):
    return next(a for a in sc.alarms if a["name"] == sc.expect["alarm"])


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios\n",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        a = _alarm(sc)
        out.append(f"| `{sc.name}.yaml` | {sc.region} | `{a['name']}` ({a['namespace']} {a['metric']}) | "
                   f"`{rc['category']}` | {', '.join(f'`{r}`' for r in rc['resource'])} | {sc.meta['front']} | "
                   f"{sc.meta['decoys']} |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    out += ["", "## Coverage\n",
            "Categories (" + f"{len([c for c in CATEGORIES if cats[c]])} of {len(CATEGORIES)}): " +
            ", ".join(f"`{c}` x{cats[c]}" for c in CATEGORIES if cats[c]) + ". Not covered: " +
            ", ".join(f"`{c}`" for c in CATEGORIES if not cats[c]) + ".", ""]
    types = Counter()
    for sc in scs:
        for r in sc.resources:
            types[r["type"]] += 1
    origin_types = Counter()
    for sc in scs:
        ids = set(sc.expect["root_cause"]["resource"])
        t = next((r["type"] for r in sc.resources if r["id"] in ids), None)
        origin_types[t] += 1
    regions = Counter(sc.region for sc in scs)
    fronts = sum(1 for sc in scs if sc.meta["front"].startswith("front"))
    out += ["Resource types in the set: " + ", ".join(f"{k} ({v})" for k, v in sorted(types.items())) + ".",
            "",
            "Origin resource types: " + ", ".join(f"{k} ({v})" for k, v in sorted(origin_types.items())) + ".",
            "",
            "Regions: " + ", ".join(f"{k} ({v})" for k, v in sorted(regions.items())) + ". Scenario 05 also "
            "has a same-named function, metrics and a deploy in us-west-2.",
            "",
            f"Alarm on a front resource (API Gateway, ALB or a calling function) with the origin behind it: "
            f"{fronts} of {len(scs)}.",
            "", "Services and runtimes:", ""]
    for sc in scs:
        out.append(f"- {sc.name[:6]}: {sc.meta['services']}; {sc.meta['runtime']}")
    out += ["", "## Judgement notes\n",
            "These are the labels a reader might dispute, and why they are what they are.", ""]
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name[:6]}** ({sc.expect['root_cause']['category']}): {sc.meta['judgement']}")
    out += ["", "## Stories\n"]
    for sc in scs:
        a = _alarm(sc)
        out.append(f"**{sc.name}** ({sc.region}; alarm `{a['name']}` in ALARM since {-a['state_changed'] // 60} "
                   f"min ago). {sc.meta['story']}")
        out.append("")
    return "\n".join(out)
