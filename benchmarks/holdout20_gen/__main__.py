"""python -m benchmarks.holdout20_gen: writes benchmarks/scenarios_holdout20/*.yaml and README.md."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import dump
from .readme import write_readme
from .registry import CASES

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout20"


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(exist_ok=True)
    rows = []
    for make in CASES:
        doc, meta = make()
        if only and doc["name"] not in only and doc["name"][:6] not in only:
            continue
        size = dump(doc, str(OUT / f"{doc['name']}.yaml"))
        rows.append((doc, meta))
        print(f"{doc['name']:<52} {size / 1e6:6.2f} MB  {sum(len(l['events']) for l in doc['logs']):6d} log events")
    if not only:
        write_readme(OUT / "README.md", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
