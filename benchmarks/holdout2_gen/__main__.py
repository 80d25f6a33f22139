"""Writes the held-out-2 scenarios and their README (deterministic)."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from . import scenarios_a, scenarios_b, scenarios_c, scenarios_d
from .notes import NOTES, readme

BUILDERS = [scenarios_a.s01_ledger_disk_full, scenarios_a.s02_wms_planner_oom, scenarios_a.s03_quotes_db_restart,
            scenarios_b.s04_tiles_render_cpu, scenarios_b.s05_cart_bad_image, scenarios_b.s06_settlement_config,
            scenarios_b.s07_tax_calc_access_denied, scenarios_c.s08_loyalty_conn_leak,
            scenarios_c.s09_merchant_api_throttled, scenarios_c.s10_invoice_render_timeout,
            scenarios_c.s11_onsale_surge, scenarios_d.s12_offer_rule_typeerror, scenarios_d.s13_portal_elb_502_blip,
            scenarios_d.s14_search_db_cpu]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "scenarios_holdout2"
    out.mkdir(parents=True, exist_ok=True)
    docs = []
    for build in BUILDERS:
        slug, doc = build()
        path = out / f"{slug}.yaml"
        text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=None, width=100000,
                         allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        docs.append((slug, doc))
        print(f"{path.name:<45} {len(text) / 1024:7.1f} KB")
    missing = [slug for slug, _ in docs if slug not in NOTES]
    if missing:
        print(f"no README notes for {missing}", file=sys.stderr)
        return 1
    (out / "README.md").write_text(readme(docs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
