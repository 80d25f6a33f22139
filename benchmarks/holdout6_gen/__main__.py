"""Write the holdout6 scenario set: python -m benchmarks.holdout6_gen [OUT_DIR]"""
from __future__ import annotations

import sys
from pathlib import Path

from . import readme
from .common import write
from .s_lambda_a import h01_invoice_render_deploy, h03_quote_engine_env, h05_thumbnail_iam
from .s_data import h04_reports_statement_timeout, h06_accounts_mysql_connections, h07_cart_pg_connections, h12_analytics_cpu
from .s_ec2 import h10_partner_api_throttle, h14_logsink_disk, h17_billing_app_error, h18_storefront_blip
from .s_ecs import h02_ledger_deploy, h09_catalog_redis_down, h11_click_kinesis_throttle
from .s_ecs_b import h13_recommender_oom, h16_promo_surge
from .s_lambda_b import h08_shipping_quote_carrier, h15_pdf_merge_timeout, h19_profile_api_blip

BUILDERS = [
    h01_invoice_render_deploy, h02_ledger_deploy, h03_quote_engine_env, h04_reports_statement_timeout,
    h05_thumbnail_iam, h06_accounts_mysql_connections, h07_cart_pg_connections, h08_shipping_quote_carrier,
    h09_catalog_redis_down, h10_partner_api_throttle, h11_click_kinesis_throttle, h12_analytics_cpu,
    h13_recommender_oom, h14_logsink_disk, h15_pdf_merge_timeout, h16_promo_surge, h17_billing_app_error,
    h18_storefront_blip, h19_profile_api_blip,
]


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "scenarios_holdout6"
    out.mkdir(parents=True, exist_ok=True)
    metas = []
    for build in BUILDERS:
        sc, meta = build()
        size = write(out / f"{sc['name']}.yaml", sc)
        metas.append(meta)
        print(f"{sc['name']}.yaml  {size / 1e6:.2f} MB  {meta['category']}  {meta['alarm']}  changed={[a['state_changed'] for a in sc['alarms']]}")
    (out / "README.md").write_text(readme.render(metas), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
