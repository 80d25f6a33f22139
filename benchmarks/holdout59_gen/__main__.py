"""python -m benchmarks.holdout59_gen  ->  benchmarks/scenarios_holdout59/*.yaml + README.md"""
from __future__ import annotations

import importlib
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout59"
MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14",
           "s15_s16"]


def build(only=None):
    out = []
    for mod in MODULES:
        m = importlib.import_module(f"{__package__}.{mod}")
        for fn in sorted(n for n in dir(m) if n[0] == "s" and n[1:].isdigit()):
            if only and int(fn[1:]) not in only:
                continue
            out.append(getattr(m, fn)())
    return out


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    only = {int(a) for a in argv} or None
    OUT.mkdir(parents=True, exist_ok=True)
    scenarios = build(only)
    for sc in scenarios:
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, alarm states "
              + ", ".join(f"{a['name']}={a['state']}@{a['state_changed']}" for a in sc.alarms))
    if only is None:
        from .readme import render
        (OUT / "README.md").write_text(render(scenarios))
        print("README.md written")


if __name__ == "__main__":
    main()
