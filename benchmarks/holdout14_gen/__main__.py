"""Writes benchmarks/scenarios_holdout14/*.yaml and README.md (deterministic: fixed seeds)."""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import yaml

from .readme import write_readme

CASES = [
    "c01_ledger_deploy", "c02_invoice_config", "c03_intake_role", "c04_partner_quota",
    "c05_storefront_mysql", "c06_tariff_cpu", "c07_thumbnailer_oom", "c08_payouts_disk",
    "c09_pricing_engine_down", "c10_feed_timeout", "c11_shopfront_surge", "c12_carrier_webhook",
    "c13_wallet_blip", "c14_booking_rule", "c15_claims_db_crash", "c16_search_oom",
]
SEED_BASE = 14_000

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    _Dumper = yaml.SafeDumper


def dump(data: dict, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh, Dumper=_Dumper, default_flow_style=None, sort_keys=False, width=1 << 20,
                  allow_unicode=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "scenarios_holdout14"))
    parser.add_argument("--only", nargs="*", help="case module names or numbers to build")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    metas = []
    for k, name in enumerate(CASES, start=1):
        mod = importlib.import_module(f".{name}", __package__)
        metas.append(mod.META)
        if args.only and name not in args.only and str(k) not in args.only:
            continue
        data = mod.build(SEED_BASE + k)
        path = out / mod.META["file"]
        dump(data, path)
        print(f"{path}  {path.stat().st_size / 1e6:.2f} MB")
    write_readme(out / "README.md", metas)


if __name__ == "__main__":
    main()
