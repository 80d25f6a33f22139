"""Write benchmarks/scenarios_holdout67/*.yaml and README.md (deterministic)."""
from __future__ import annotations

import importlib
import pathlib

from .readme import render

MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14",
           "s15_s16"]
OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout67"


def builders():
    for name in MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as e:
            if e.name and e.name.endswith(name):
                continue
            raise
        for attr in sorted(dir(mod)):
            if attr.startswith("build_"):
                yield getattr(mod, attr)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("h67-*.yaml"):
        old.unlink()
    scenarios = []
    for build in builders():
        sc = build()
        (OUT / f"{sc.name}.yaml").write_text(sc.dump())
        scenarios.append(sc)
        print(f"wrote {sc.name}.yaml")
    scenarios.sort(key=lambda s: s.num)
    (OUT / "README.md").write_text(render(scenarios))
    print(f"wrote README.md ({len(scenarios)} scenarios)")


if __name__ == "__main__":
    main()
