"""Write benchmarks/scenarios_holdout27/*.yaml and its README.md."""
from __future__ import annotations

import os
import sys

from .common import write
from . import readme

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout27")


def builders():
    from . import s01_02
    mods = [s01_02]
    for extra in ("s03_04", "s05_06", "s07_08", "s09_10", "s11_12", "s13_14", "s15_16"):
        try:
            mods.append(__import__(f"{__package__}.{extra}", fromlist=["x"]))
        except ModuleNotFoundError:
            pass
    out = []
    for mod in mods:
        out += [getattr(mod, n) for n in sorted(dir(mod)) if n.startswith("build_")]
    return out


def main(argv=None):
    only = set(argv or sys.argv[1:])
    docs = []
    for b in builders():
        num = b.__name__.split("_")[1]
        if only and num not in only:
            continue
        doc = b()
        path = write(doc, OUT, doc["name"] + ".yaml")
        docs.append(doc)
        print(f"{path}  {os.path.getsize(path) / 1e6:.2f} MB", flush=True)
    if not only:
        readme.write_readme(docs, OUT)


if __name__ == "__main__":
    main()
