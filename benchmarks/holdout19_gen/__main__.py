"""Writes benchmarks/scenarios_holdout19/*.yaml and README.md."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from .common import write_yaml
from .readme import render

CASES = ["s01_payment_webhooks", "s02_cart_service", "s03_telemetry_db", "s04_quote_api", "s05_partner_api",
         "s06_statement_renderer", "s07_preview_renderer", "s08_catalog_db", "s09_booking_alb",
         "s10_orders_intake", "s11_search_es", "s12_loyalty_points", "s13_billing_db", "s14_news_alb",
         "s15_shipping_api", "s16_mobile_bff"]


def main(argv: list[str]) -> int:
    out = Path(__file__).resolve().parent.parent / "scenarios_holdout19"
    out.mkdir(exist_ok=True)
    only = set(argv)
    rows = []
    for name in CASES:
        if only and name not in only and not any(o.startswith(name[:3].replace("s", "h19-")) for o in only):
            continue
        mod = importlib.import_module(f"{__package__}.{name}")
        case = mod.build()
        size = write_yaml(out / f"{mod.SLUG}.yaml", case.to_dict())
        rows.append((mod, case, size))
        print(f"{mod.SLUG}.yaml  {size / 1e6:.2f} MB")
    if not only:
        (out / "README.md").write_text(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
