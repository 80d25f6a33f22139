"""Write the third held-out RCA scenario set: python -m benchmarks.holdout3_gen [OUT_DIR]."""
from __future__ import annotations

import sys
from pathlib import Path

from . import set_a, set_b, set_c

SCENARIOS = [
    ("h3-01-billing-wal-slot-fills-storage.yaml", set_a.h3_01_billing_wal_slot_fills_storage),
    ("h3-02-telemetry-table-write-throttled.yaml", set_a.h3_02_telemetry_table_write_throttled),
    ("h3-03-search-api-oom-loop.yaml", set_b.h3_03_search_api_oom_loop),
    ("h3-04-quote-engine-concurrency-cap.yaml", set_a.h3_04_quote_engine_concurrency_cap),
    ("h3-05-discount-rules-parameter.yaml", set_a.h3_05_discount_rules_parameter),
    ("h3-06-storefront-rollout-healthcheck.yaml", set_b.h3_06_storefront_rollout_healthcheck),
    ("h3-07-report-exporter-policy-scoped.yaml", set_b.h3_07_report_exporter_policy_scoped),
    ("h3-08-sessions-redis-crash.yaml", set_b.h3_08_sessions_redis_crash),
    ("h3-09-ledger-mysql-connections.yaml", set_b.h3_09_ledger_mysql_connections),
    ("h3-10-catalog-plan-flip-cpu.yaml", set_c.h3_10_catalog_plan_flip_cpu),
    ("h3-11-statement-render-timeouts.yaml", set_c.h3_11_statement_render_timeouts),
    ("h3-12-spring-sale-email-blast.yaml", set_c.h3_12_spring_sale_email_blast),
    ("h3-13-webhook-new-event-shape.yaml", set_c.h3_13_webhook_new_event_shape),
    ("h3-14-partner-gateway-elb-502.yaml", set_c.h3_14_partner_gateway_elb_502),
]


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else Path(__file__).resolve().parents[1] / "scenarios_holdout3")
    out.mkdir(parents=True, exist_ok=True)
    for filename, build in SCENARIOS:
        scenario = build()
        path = scenario.write(out, filename)
        alarm = scenario.alarms[0]
        print(f"{path.name:<48} {path.stat().st_size / 1024:7.1f} KB  {alarm['name']}: {alarm['state']} "
              f"changed {alarm['state_changed']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
