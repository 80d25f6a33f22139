"""Write benchmarks/scenarios_holdout35/*.yaml and README.md.

Run: cd /work/main && .venv/bin/python -m benchmarks.holdout35_gen [NN ...]
"""
import importlib
import os
import sys

from .readme import write_readme

MODULES = [
    "s01_ledger_heap", "s02_pricefeed_oom", "s03_orders_wal_slot", "s04_reports_disk",
    "s05_inventory_conn_leak", "s06_settlement_timeout", "s07_search_cron_cpu", "s08_quotes_concurrency",
    "s09_pricing_cert", "s10_export_kms", "s11_profile_deploy", "s12_checkout_node_deploy",
    "s13_notify_config", "s14_claims_io_stall", "s15_tickets_onsale", "s16_invoice_monthend",
]
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout35")


def main(argv):
    os.makedirs(OUT, exist_ok=True)
    only = set(argv)
    metas = []
    for name in MODULES:
        mod = importlib.import_module(f"{__package__}.{name}")
        metas.append(mod.META)
        if only and name[1:3] not in only:
            continue
        scn = mod.build()
        path = scn.write(OUT, mod.META["file"])
        print(f"wrote {path} ({os.path.getsize(path) / 1e6:.2f} MB)")
    if not only:
        write_readme(OUT, metas)
        print(f"wrote {os.path.join(OUT, 'README.md')}")


if __name__ == "__main__":
    main(sys.argv[1:])
