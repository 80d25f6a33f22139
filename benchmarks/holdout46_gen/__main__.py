"""Write benchmarks/scenarios_holdout46/*.yaml and README.md.

    cd /work/main && .venv/bin/python -m benchmarks.holdout46_gen
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from .core import dump
from .readme import write_readme

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout46"
MODULES = ["s01_03", "s04_06", "s07_09", "s10_12", "s13_14", "s15_16"]


def builders():
    for name in MODULES:
        mod = importlib.import_module(f"{__package__}.{name}")
        for attr in sorted(a for a in dir(mod) if a.startswith("s") and a[1:].isdigit()):
            yield getattr(mod, attr)


def main(argv=None):
    only = set(argv if argv is not None else sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for build in builders():
        if only and build.__name__ not in only:
            continue
        doc, meta = build()
        path = OUT / f"{doc['name']}.yaml"
        dump(doc, path)
        rows.append((path.name, doc, meta))
        print(f"{path.name:45s} {path.stat().st_size / 1e6:5.2f} MB  {doc['expect']['root_cause']['category']}")
    if not only:
        write_readme(OUT / "README.md", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
