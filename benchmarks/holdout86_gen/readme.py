"""README.md for benchmarks/scenarios_holdout86, rendered from the built scenarios' expect/meta."""
from __future__ import annotations

from collections import Counter

CATEGORIES = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]

INTRO = """\
# Held-out set 86: a multiplayer gaming backend

Sixteen incidents in the production account of an online game: matchmaking queues and allocators,
leaderboards and season resets, player inventory, wallet and store databases, weekend event launches,
patch-7.2 days and anti-cheat telemetry floods, across us-west-2, eu-central-1 and ap-northeast-1.
The set was written independently of the bot: only the scenario format, its category table and
tie-break rules, the four public examples and the shared generator helpers (holdout57's
`common.py`/`runtimes.py`, the shared writer, and that package's entry point for how they are called) were read. Each incident
was designed first as a story with a single origin, then rendered by `python -m benchmarks.holdout86_gen`
(seeded, deterministic) into six hours of one-minute metrics, sparse but continuous log streams in the
service's own runtime and logging style, alarms evaluated against their own series, and CloudTrail
changes. Every label is what a senior SRE would conclude from all the evidence; none was checked
against the bot. Every scenario carries decoys: a change to another resource nearer the onset than
the cause, loud errors or warnings that were already there at the same rate hours earlier, benign
spikes and second alarms. In half of them the paged alarm sits on a front resource (ALB or API Gateway)
while the fault lies behind it.
"""


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios", "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append("| " + " | ".join(_cell(v) for v in (
            f"{sc.name}.yaml", sc.region, f"`{sc.expect['alarm']}`", f"`{rc['category']}`",
            ", ".join(f"`{r}`" for r in rc["resource"]), sc.meta["alarm_on"], sc.meta["decoys"])) + " |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    svc = Counter(s for sc in scs for s in sc.meta["services"])
    regions = Counter(sc.region for sc in scs)
    out += ["", "## Coverage", "",
            "Categories (" + f"{sum(1 for c in CATEGORIES if cats[c])} of {len(CATEGORIES)}): " +
            ", ".join(f"`{c}` x{cats[c]}" for c in CATEGORIES if cats[c]) +
            ". Not covered: " + ", ".join(f"`{c}`" for c in CATEGORIES if not cats[c]) + ".", "",
            "Resource types present (scenarios using each): " +
            ", ".join(f"{k} {v}" for k, v in sorted(svc.items())) + ".", "",
            "Regions: " + ", ".join(f"{k} {v}" for k, v in sorted(regions.items())) + ".", "",
            "Runtimes and log styles:", ""]
    for sc in scs:
        out.append(f"- {sc.name}: {sc.meta['runtime']}; {sc.meta['logs']}")
    fronts = [sc.name[:6] for sc in scs if sc.meta["alarm_on"].startswith("front")]
    out += ["", f"Alarm on a front resource with the origin behind it: {', '.join(fronts)} ({len(fronts)} of {len(scs)}).",
            "", "## Judgement notes", ""]
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name[:6]}** ({sc.expect['root_cause']['category']}): {sc.meta['judgement']}")
    out += ["- **General**: where the paged alarm is on an ALB or API Gateway, the accepted resource is where the "
            "fault starts (the database, function, instance or service behind it), never the front that merely "
            "reports it, except in h86-15 where the ALB's own target-group setting is the fault. ECS services "
            "are accepted as `cluster/service` and as the bare service name; EC2 instances by id and Name tag.",
            "", "## Stories", ""]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out += [f"**{sc.name}** ({sc.region}, `{rc['category']}` at `{rc['resource'][0]}`). {sc.meta['story']}", ""]
    return "\n".join(out).rstrip() + "\n"
