"""Write benchmarks/scenarios_holdout28/*.yaml and README.md."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import yaml

from .readme import write_readme

MODULES = [
    "s01_ledger", "s02_telemetry", "s03_checkout", "s04_ingest", "s05_inventory", "s06_coupon",
    "s07_routing", "s08_kyc", "s09_usage", "s10_shipments", "s11_promo", "s12_fxquote",
    "s13_loyalty", "s14_render", "s15_wallet", "s16_profile",
]

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout28"

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def main(argv=None) -> int:
    only = set((argv if argv is not None else sys.argv[1:]))
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, mod in enumerate(MODULES, 1):
        if only and mod not in only and f"{i:02d}" not in only:
            continue
        m = importlib.import_module(f"{__package__}.{mod}")
        scen, meta = m.build()
        path = OUT / f"{scen['name']}.yaml"
        with open(path, "w", encoding="utf-8") as fh:
            yaml.dump(scen, fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False, width=4096,
                      allow_unicode=True)
        size = path.stat().st_size
        print(f"{path.name:<52} {size / 1e6:5.2f} MB  {scen['expect']['root_cause']['category']}")
        rows.append((scen, meta))
    if not only:
        write_readme(OUT / "README.md", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
