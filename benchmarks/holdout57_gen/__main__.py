"""Write benchmarks/scenarios_holdout57/*.yaml and its README."""
from __future__ import annotations

import importlib
import pathlib
import sys

from .readme import render

MODULES = ["s01_ledger", "s02_s03_lambda", "s04_s08", "s05_s14_rds", "s06_s13_ec2", "s07_s11_ecs", "s09_s15_apigw", "s10_s12_lambda", "s16_portal"]

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout57"


def main(argv=None) -> int:
    OUT.mkdir(exist_ok=True)
    built = []
    for mod in MODULES:
        m = importlib.import_module(f"{__package__}.{mod}")
        for fn in getattr(m, "BUILDERS", None) or [m.build]:
            sc = fn()
            path = OUT / f"{sc.name}.yaml"
            text = sc.dump()
            path.write_text(text)
            built.append(sc)
            print(f"{path.name}: {len(text) / 1e6:.2f} MB", file=sys.stderr)
    (OUT / "README.md").write_text(render(built))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
