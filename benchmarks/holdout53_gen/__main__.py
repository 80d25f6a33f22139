"""Write benchmarks/scenarios_holdout53/*.yaml and README.md:  python -m benchmarks.holdout53_gen [--only NN]"""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from .core import dump_yaml
from .readme import write_readme

MODULES = ["s01_rails_disk", "s02_dotnet_oom", "s03_pg_wal_slot", "s04_mysql_burst", "s05_go_statuscheck",
           "s06_expired_cert", "s07_hikari_leak", "s08_java_gc", "s09_int32_overflow", "s10_ruby_timeout",
           "s11_pg_cpu", "s12_revoked_key", "s13_go_bad_deploy", "s14_onsale_surge", "s15_node_tmp_full",
           "s16_apigw_throttle"]

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout53"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.holdout53_gen")
    ap.add_argument("--only", nargs="*", help="module numbers to build, e.g. 01 07")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    metas = []
    for name in MODULES:
        mod = importlib.import_module(f"{__package__}.{name}")
        metas.append(mod.META)
        if args.only and name[1:3] not in args.only:
            continue
        scn = mod.build()
        text = dump_yaml(scn.to_dict())
        (out / mod.META["file"]).write_text(text, encoding="utf-8")
        print(f"{mod.META['file']}: {len(text) / 1e6:.2f} MB, {sum(len(l['events']) for l in scn.logs)} log events")
    write_readme(out, metas)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
