"""Writes benchmarks/scenarios_holdout15/*.yaml and README.md (deterministic: fixed seeds)."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import yaml

from .readme import write_readme

CASES = [
    ("c01_ledger", 1501), ("c02_quotes", 1502), ("c03_invoices", 1503), ("c04_sessions", 1504),
    ("c05_bookings", 1505), ("c06_rails", 1506), ("c07_picker", 1507), ("c08_geo_pg", 1508),
    ("c09_tax", 1509), ("c10_statements", 1510), ("c11_feed", 1511), ("c12_tracking", 1512),
    ("c13_edge502", 1513), ("c14_catalog", 1514), ("c15_reports", 1515), ("c16_settlement", 1516),
]

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout15"

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def dump(doc: dict, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=10 ** 9,
                  allow_unicode=True)


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for mod_name, seed in CASES:
        if only and mod_name not in only:
            continue
        mod = importlib.import_module(f"{__package__}.{mod_name}")
        doc, meta = mod.build(seed)
        path = OUT / f"{doc['name']}.yaml"
        dump(doc, path)
        rows.append((path.name, doc, meta))
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, "
              f"{sum(len(s['events']) for s in doc['logs'])} log events, {len(doc['metrics'])} metrics")
    if not only:
        write_readme(OUT / "README.md", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
