"""README for scenarios_holdout68, assembled from each scenario's expect and meta."""
from __future__ import annotations

import collections

INTRO = """# Held-out RCA set 68: game studio backend on launch and event days

Sixteen incidents from a game studio's AWS account on launch, patch and event days: matchmaking,
leaderboards, inventory and store, login, chat, guild rewards and replays. Every scenario has an
expected spike (event start, season rollover, sale opening, patch day) that the system absorbs and
that a lazy analyser could blame, plus a change on another resource near the onset, errors that were
already there at the same rate for hours, and usually a second alarm.

The set was written from the scenario format document, the four public examples and the holdout57
helper modules only (copied and adapted into `common.py` / `runtimes.py`); no analyser, bot or test
code was read and the bot was never run on these files. Labels are what an SRE reading all the
evidence would conclude, applying the category table and its tie-break rules as written. The files
are produced by `python -m benchmarks.holdout68_gen` (seeded, deterministic; one module per
scenario). All times below are relative to the end of the data ("now"); the alarm onset is the
first minute of the fault, not the alarm's state change.
"""

CATS = ["bad_deployment", "config_change", "permission_denied", "dependency_failure",
        "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
        "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"]


def _cell(s: str) -> str:
    return s.replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios\n",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append(f"| `{sc.name}.yaml` | {sc.region} | `{sc.expect['alarm']}` | {rc['category']} | "
                   f"{', '.join(f'`{r}`' for r in rc['resource'])} | {_cell(sc.meta['front'])} | "
                   f"{_cell(sc.meta['decoys'])} |")
    cats = collections.Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = collections.Counter(r["type"] for sc in scs for r in sc.resources)
    origin_types = collections.Counter(
        next((r["type"] for r in sc.resources if r["id"] == sc.expect["root_cause"]["resource"][0]), "other")
        for sc in scs)
    regions = sorted({sc.region for sc in scs})
    out += ["", "## Coverage\n",
            "- Categories (" + f"{sum(1 for c in CATS if cats[c])} of {len(CATS)}): "
            + ", ".join(f"{c} x{cats[c]}" for c in CATS if cats[c])
            + ". Not covered: " + ", ".join(c for c in CATS if not cats[c]) + ".",
            "- Resource types present: " + ", ".join(f"{t} ({n} resources)" for t, n in sorted(types.items())) + ".",
            "- Origin resource types: " + ", ".join(f"{t} x{n}" for t, n in sorted(origin_types.items())) + ".",
            f"- Alarm on a front resource (ALB, API Gateway or a calling function) with the origin behind it: "
            f"{sum(1 for sc in scs if sc.meta['front'].startswith('front'))} of {len(scs)}.",
            f"- Regions ({len(regions)}): " + ", ".join(regions) + ".",
            "- Runtimes and log styles: " + "; ".join(f"{sc.name[4:6]} {sc.meta['runtime']}" for sc in scs) + ".",
            ""]
    out.append("## Judgement notes\n")
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name}** ({sc.expect['root_cause']['category']}): {sc.meta['judgement']}")
    out.append("")
    out.append("## Stories\n")
    for sc in scs:
        out.append(f"**{sc.name}** - {sc.description} {sc.meta['story']}\n")
    return "\n".join(out)
