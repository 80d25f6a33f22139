"""Write benchmarks/scenarios_holdout52/*.yaml and README.md."""
from __future__ import annotations

import importlib
import pathlib
import sys

from .common import dump
from .readme import render

MODULES = [f"s{i:02d}" for i in range(1, 17)]
OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout52"
LIMIT = 4_000_000


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in MODULES:
        mod = importlib.import_module(f"{__package__}.{name}")
        doc, meta = mod.build()
        text = dump(doc)
        if len(text.encode()) > LIMIT:
            raise SystemExit(f"{doc['name']} is {len(text) / 1e6:.2f} MB, over the limit")
        fname = f"{doc['name']}.yaml"
        (OUT / fname).write_text(text, encoding="utf-8")
        rows.append((fname, doc["region"], meta))
        print(f"wrote {fname} ({len(text) / 1e6:.2f} MB) {meta['category']} -> {', '.join(meta['resources'])}")
    (OUT / "README.md").write_text(render(rows), encoding="utf-8")
    print(f"wrote {OUT / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
