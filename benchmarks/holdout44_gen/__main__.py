"""Write benchmarks/scenarios_holdout44/*.yaml and README.md (deterministic)."""
from __future__ import annotations

import importlib
import os
import sys

from .common import dump

MODULES = [f"s{i:02d}" for i in range(1, 17)]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "scenarios_holdout44")
    os.makedirs(out, exist_ok=True)
    only = set(argv)
    docs = []
    for mod in MODULES:
        if only and mod not in only:
            continue
        m = importlib.import_module(f".{mod}", __package__)
        d = m.build()
        path = os.path.join(out, d["name"] + ".yaml")
        dump(d, path)
        docs.append(d)
        print(f"{os.path.basename(path)}  {os.path.getsize(path) / 1e6:.2f} MB  "
              f"{sum(len(l['events']) for l in d['logs'])} log events")
    if not only:
        from .readme import write_readme
        write_readme(os.path.join(out, "README.md"), docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
