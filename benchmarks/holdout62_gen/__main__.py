"""python -m benchmarks.holdout62_gen: write scenarios_holdout62/*.yaml and README.md."""
from __future__ import annotations

import importlib
import pathlib

from .readme import render

MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]
OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout62"


def builders():
    for mod in MODULES:
        try:
            m = importlib.import_module(f".{mod}", __package__)
        except ModuleNotFoundError:
            continue
        for name in sorted(n for n in dir(m) if n.startswith("s") and n[1:].isdigit()):
            yield getattr(m, name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for build in builders():
        sc, info = build()
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        info.update(file=path.name, region=sc.region, num=sc.num, size=path.stat().st_size)
        rows.append(info)
        print(f"{path.name}: {info['size'] / 1e6:.2f} MB, alarm {info['alarm']} -> "
              f"{[a['state'] for a in sc.alarms]}")
    (OUT / "README.md").write_text(render(rows))


if __name__ == "__main__":
    main()
