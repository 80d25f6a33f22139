"""Write benchmarks/scenarios_holdout51/*.yaml and README.md."""
from __future__ import annotations

import importlib
import os
import sys

from .common import BUILT, dump
from .readme import write_readme

BUILDERS = [
    ("s_deploy", "payment_webhook"), ("s_deploy", "catalog_api"),
    ("s_config", "vat_calculator"), ("s_config", "storefront_rule"),
    ("s_access", "report_exporter"),
    ("s_dependency", "quotes_db_latency"), ("s_dependency", "routing_engine_down"),
    ("s_dbconn", "ledger_mysql"), ("s_dbconn", "notify_pg"),
    ("s_capacity", "report_api_cpu"), ("s_capacity", "session_svc_oom"),
    ("s_storage", "ingest_disk_full"),
    ("s_limits", "event_recorder_throttled"), ("s_limits", "statement_builder_timeout"),
    ("s_surge", "tickets_surge"), ("s_access", "invoice_importer_bug"),
]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "scenarios_holdout51")
    os.makedirs(out, exist_ok=True)
    metas = []
    for n, (mod, fn) in enumerate(BUILDERS, 1):
        if argv and f"{n:02d}" not in argv:
            continue
        doc, meta = getattr(importlib.import_module(f".{mod}", __package__), fn)()
        assert doc["name"].startswith(f"h51-{n:02d}-"), doc["name"]
        path = os.path.join(out, f"{doc['name']}.yaml")
        dump(doc, path)
        meta.update(file=os.path.basename(path), region=doc["region"], name=doc["name"])
        metas.append(meta)
        print(f"{meta['file']}: {os.path.getsize(path) / 1e6:.2f} MB", file=sys.stderr)
        if os.environ.get("H51_DEBUG"):
            for tr in BUILT[-1].transitions:
                print("    alarm transition", tr, file=sys.stderr)
    if not argv:
        write_readme(os.path.join(out, "README.md"), metas)


if __name__ == "__main__":
    main()
