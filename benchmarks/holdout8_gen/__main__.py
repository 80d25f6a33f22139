"""Write benchmarks/scenarios_holdout8/*.yaml and its README (seeded, deterministic)."""
from __future__ import annotations

import sys
from pathlib import Path

from .catalog import BUILDERS
from .common import dump
from .readme import write_readme

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout8"


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(exist_ok=True)
    built = []
    for number, (builder, seed) in enumerate(BUILDERS, start=1):
        sc = builder(8000 + seed)
        if only and not any(o in sc.name for o in only):
            built.append(sc)
            continue
        path = OUT / f"{sc.name}.yaml"
        text = dump(sc.to_dict())
        path.write_text(text, encoding="utf-8")
        events = sum(len(lg["events"]) for lg in sc.logs)
        print(f"{path.name:48s} {len(text) / 1e6:5.2f} MB  metrics={len(sc.metrics):3d} "
              f"log_events={events:6d}  alarm_changed={sc.notes.get('alarm_changed')}")
        built.append(sc)
    write_readme(OUT / "README.md", built)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
