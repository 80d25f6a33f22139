"""README.md of set 94, rendered from the built scenarios' expect and meta."""
from __future__ import annotations

from collections import Counter

INTRO = """# Held-out set 94 — a social/dating app on a Sunday evening

Sixteen incidents in the production account of a dating app at its weekly peak (Sunday ~20:00 local
in us-west-1 and ap-southeast-1): photo moderation, chat delivery, push notifications and the
recommendation feed. The set was written independently of the bot: only the scenario format, the four
public examples and the shared generator helpers (`holdout57_gen.common`/`runtimes`,
`holdout_writer`) were read. Every label is what an SRE reading all of the evidence (metrics, logs,
alarms, CloudTrail) would conclude, applying the category table and its tie-breaks as written; the bot
was never run on these files. Traffic follows an evening ramp (about +50 % over the six hours), logs
keep five hours of baseline so that old and new signatures can be told apart, and every scenario
carries decoys: a change to another resource closer to the alarm than the cause, loud errors that
were there all afternoon, benign spikes and second alarms. The generator is seeded and deterministic:
`python -m benchmarks.holdout94_gen`.
"""


def _cell(x) -> str:
    return str(x).replace("|", "\\|")


def render(scs: list) -> str:
    out = [INTRO, "## Scenarios\n",
           "| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |",
           "|---|---|---|---|---|---|---|"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append("| " + " | ".join(_cell(c) for c in (
            f"{sc.name}.yaml", sc.region, f"`{sc.expect['alarm']}`", f"`{rc['category']}`",
            ", ".join(f"`{r}`" for r in rc["resource"]), sc.meta["front"],
            "; ".join(sc.meta["decoys"]))) + " |")
    cats = Counter(sc.expect["root_cause"]["category"] for sc in scs)
    types = Counter(r["type"] for sc in scs for r in sc.resources)
    regions = Counter(sc.region for sc in scs)
    out += ["", "## Coverage\n",
            "- Categories: " + ", ".join(f"`{c}` ×{n}" for c, n in sorted(cats.items())) + ".",
            "- Resource types present: " + ", ".join(f"{t} ({n})" for t, n in sorted(types.items())) + ".",
            "- Regions: " + ", ".join(f"{r} ({n})" for r, n in sorted(regions.items())) + ".",
            "- Runtimes and log styles: Go (zap JSON, logfmt/slog, plain Lambda runtime lines), Node "
            "(Lambda tab-separated, pino JSON), Kotlin (Spring Boot console, Lambda java21), Python "
            "(Lambda, gunicorn + nginx access logs), PostgreSQL and MySQL engine logs, API Gateway "
            "execution logs.",
            "- Front/origin: " + str(sum(1 for s in scs if s.meta["front"].startswith("front")))
            + " scenarios alarm on a front resource (ALB, API Gateway or a calling function) while the "
            "fault originates behind it.",
            "", "## Judgement notes\n"]
    for sc in scs:
        if sc.meta.get("judgement"):
            out.append(f"- **{sc.name}**: {sc.meta['judgement']}")
    out += ["", "## Stories\n"]
    for sc in scs:
        rc = sc.expect["root_cause"]
        out.append(f"**{sc.name}** (`{rc['category']}`, {sc.region}). {sc.meta['story']}\n")
    return "\n".join(out) + "\n"
