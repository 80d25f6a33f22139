"""Generate benchmarks/scenarios_holdout36/*.yaml and its README."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from .common import write
from .readme import render

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout36"
MODULES = [f"sc{i:02d}" for i in range(1, 17)]


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for mod in MODULES:
        if only and mod not in only:
            continue
        m = importlib.import_module(f"{__package__}.{mod}")
        s = m.build()
        doc = s.finish()
        path = OUT / f"{doc['name']}.yaml"
        size = write(doc, path)
        assert size < 4_000_000, f"{path.name} is {size} bytes"
        nev = sum(len(x["events"]) for x in doc["logs"])
        print(f"{path.name}: {size / 1e6:.2f} MB, {len(doc['metrics'])} metrics, {nev} log events")
        rows.append((path.name, s))
    if not only:
        (OUT / "README.md").write_text(render(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
