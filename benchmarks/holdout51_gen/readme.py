"""README for the generated set: one table row and one paragraph per scenario."""
from __future__ import annotations

HEAD = """# Held-out scenario set 51

Sixteen incident scenarios in `aiops-scenario/v1` format, modelled on the four
public examples (six hours of one-minute metrics, three hours of logs, one
alarm to investigate, CloudTrail changes, unrelated decoys). Regenerate with
`python -m benchmarks.holdout51_gen` (seeded, deterministic).

Categories: one scenario for each concrete category of the format's table, plus
a second scenario for bad_deployment, config_change, dependency_failure and
db_connection_exhaustion. `unknown` is deliberately not used: every scenario
carries enough evidence for a definite label.

Every scenario keeps the decoy kinds the public examples use (an unrelated
earlier deployment, a loud log line at a constant rate before and after onset,
a benign spike on another resource) and adds one more (another alarm on an
unrelated resource, or an unrelated change close to onset).

| file | region | alarm | intended category | accepted resources | alarm on origin or front | decoys |
|---|---|---|---|---|---|---|
"""


def write_readme(path, metas):
    rows, paras = [], []
    for m in metas:
        res = ", ".join(f"`{r}`" for r in m["resources"])
        rows.append(f"| {m['file']} | {m['region']} | `{m['alarm']}` | {m['category']} | {res} | "
                    f"{m['on']} | {'; '.join(m['decoys'])} |")
        paras.append(f"### {m['file']} ({m['category']})\n\n{m['text']}\n")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEAD + "\n".join(rows) + "\n\n## What happened, and why that label\n\n" + "\n".join(paras))
