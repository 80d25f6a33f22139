"""Write benchmarks/scenarios_holdout56/*.yaml and its README."""
import os
import sys

from .core import write_yaml
from .readme import render
from .sc_a import s01_invoice_renderer_deploy, s02_clickstream_env_change
from .sc_b import s03_archiver_access_denied, s04_settlement_partner_timeouts
from .sc_c import s05_reconcile_connection_exhaustion, s06_reports_cron_cpu
from .sc_d import s07_statement_generator_oom, s08_audit_mysql_storage_full
from .sc_e import s09_snapshot_writer_throttled, s10_reindex_worker_timeout
from .sc_f import s11_storefront_scraper_surge, s12_projector_nil_address
from .sc_g import s13_core_api_host_lost, s14_geofence_deploy_panic
from .sc_h import s15_orders_aurora_lock, s16_quotes_stage_variable

BUILDERS = [
    s01_invoice_renderer_deploy, s02_clickstream_env_change, s03_archiver_access_denied,
    s04_settlement_partner_timeouts, s05_reconcile_connection_exhaustion, s06_reports_cron_cpu,
    s07_statement_generator_oom, s08_audit_mysql_storage_full, s09_snapshot_writer_throttled,
    s10_reindex_worker_timeout, s11_storefront_scraper_surge, s12_projector_nil_address,
    s13_core_api_host_lost, s14_geofence_deploy_panic, s15_orders_aurora_lock, s16_quotes_stage_variable,
]
LIMIT = 4 * 1024 * 1024


def main(out_dir=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = out_dir or os.path.join(root, "scenarios_holdout56")
    os.makedirs(out_dir, exist_ok=True)
    built = []
    for i, build in enumerate(BUILDERS, 1):
        sc = build()
        assert sc.name.startswith(f"h56-{i:02d}-"), sc.name
        assert sc.expect["alarm"] in {a["name"] for a in sc.alarms}, sc.name
        size = write_yaml(sc, os.path.join(out_dir, f"{sc.name}.yaml"))
        if size > LIMIT:
            raise SystemExit(f"{sc.name}: {size} bytes is over the 4 MB budget")
        print(f"{sc.name}.yaml  {size / 1e6:5.2f} MB  {sc.expect['root_cause']['category']}")
        built.append(sc)
    with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(render(built))
    return built


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
