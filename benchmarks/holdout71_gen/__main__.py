"""Write the holdout71 scenarios and README: python -m benchmarks.holdout71_gen"""
from __future__ import annotations

import importlib
import pathlib

from .readme import render

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout71"
MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]


def build_all() -> list:
    scenarios = []
    for mod in MODULES:
        try:
            m = importlib.import_module(f"{__package__}.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(mod):
                continue
            raise
        for name in sorted(n for n in dir(m) if n[:1] == "s" and n[1:].isdigit()):
            scenarios.append(getattr(m, name)())
    return sorted(scenarios, key=lambda s: s.num)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scenarios = build_all()
    for sc in scenarios:
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
    (OUT / "README.md").write_text(render(scenarios))


if __name__ == "__main__":
    main()
