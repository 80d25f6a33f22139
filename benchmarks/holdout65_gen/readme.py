"""README for scenarios_holdout65, built from each scenario's meta and expect."""
from __future__ import annotations

from .notes import COVERAGE_EXTRA, HOW, JUDGEMENT, TITLE


def render(scenarios) -> str:
    out = [f"# {TITLE}", "", HOW, "",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scenarios:
        rc = sc.expect["root_cause"]
        res = ", ".join(f"`{r}`" for r in rc["resource"])
        out.append(f"| {sc.name}.yaml | {sc.region} | `{sc.expect['alarm']}` | `{rc['category']}` | {res} | "
                   f"{sc.meta['where']} | {sc.meta['decoys']} |")
    cats: dict = {}
    for sc in scenarios:
        cats.setdefault(sc.expect["root_cause"]["category"], []).append(f"{sc.num:02d}")
    out += ["", "## Coverage", "", "Categories:", ""]
    for c in sorted(cats):
        out.append(f"- `{c}`: {', '.join(cats[c])}")
    types: dict = {}
    for sc in scenarios:
        for r in sc.resources:
            types.setdefault(r["type"], set()).add(f"{sc.num:02d}")
    out += ["", "Resource types (scenarios that contain one):", ""]
    for t in sorted(types):
        out.append(f"- `{t}`: {', '.join(sorted(types[t]))}")
    out += ["", "Runtimes and log styles:", ""]
    for sc in scenarios:
        out.append(f"- {sc.num:02d}: {sc.meta['runtime']} ({sc.meta['services']})")
    out += ["", COVERAGE_EXTRA, "", "## Judgement notes", ""]
    out += [f"- {j}" for j in JUDGEMENT]
    out += ["", "## Scenarios", ""]
    for sc in scenarios:
        out += [f"**{sc.name}.** {sc.meta['story']}", ""]
    return "\n".join(out).rstrip() + "\n"
