"""Generate holdout set 30 ("fleets of containers and VMs").

    cd /work/main && .venv/bin/python -m benchmarks.holdout30_gen [--only 1 5 ...]

Writes benchmarks/scenarios_holdout30/h30-NN-<slug>.yaml and README.md. Deterministic: every
scenario seeds its own random.Random.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import readme, s01_02, s03_04, s05_06, s07_08, s09_10, s11_12, s13_14, s15_16

BUILDERS = [s01_02.s01, s01_02.s02, s03_04.s03, s03_04.s04, s05_06.s05, s05_06.s06, s07_08.s07, s07_08.s08,
            s09_10.s09, s09_10.s10, s11_12.s11, s11_12.s12, s13_14.s13, s13_14.s14, s15_16.s15, s15_16.s16]

OUT = Path(__file__).resolve().parents[1] / "scenarios_holdout30"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", type=int)
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for i, build in enumerate(BUILDERS, start=1):
        if args.only and i not in args.only:
            continue
        sc = build()
        path = sc.write(OUT)
        size = path.stat().st_size
        if size > 4 * 1024 * 1024:
            raise SystemExit(f"{path.name} is {size} bytes (> 4 MiB)")
        built.append(sc)
        print(f"{path.name}: {size / 1e6:.2f} MB, {len(sc.metrics)} metrics, "
              f"{sum(len(x['events']) for x in sc.logs)} log events")
    if not args.only:
        (OUT / "README.md").write_text(readme.render(built), encoding="utf-8")
        print("README.md written")


if __name__ == "__main__":
    main()
