"""Write benchmarks/scenarios_holdout29/*.yaml and its README.md."""
from __future__ import annotations

import importlib
import os
import sys

from .common import dump
from .readme import write_readme

MODULES = ["s01_02", "s03_04", "s05_06", "s07_08", "s09_10", "s11_12", "s13_14", "s15_16"]


def builders():
    out = []
    for name in MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError:
            continue
        out += [getattr(mod, f) for f in sorted(dir(mod)) if f.startswith("b") and f[1:].isdigit()]
    return out


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(os.path.dirname(here), "scenarios_holdout29")
    os.makedirs(out_dir, exist_ok=True)
    metas = []
    for build in builders():
        sc = build()
        path = os.path.join(out_dir, sc.meta["file"])
        dump(sc.doc, path)
        size = os.path.getsize(path)
        metas.append(sc.meta)
        print(f"{sc.meta['file']}: {size / 1e6:.2f} MB, {len(sc.doc['metrics'])} metrics, "
              f"{sum(len(l['events']) for l in sc.doc['logs'])} log events")
    write_readme(os.path.join(out_dir, "README.md"), metas)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
