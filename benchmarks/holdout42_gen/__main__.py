"""Entry point: python -m benchmarks.holdout42_gen [--out DIR] [--only N,N]"""
from __future__ import annotations

import argparse
import os
import sys

from .common import dump
from .readme import write_readme
from . import s01_02, s03_04, s05_06, s07_08, s09_10, s11_12, s13_14, s15_16

BUILDERS = [s01_02.h42_01, s01_02.h42_02, s03_04.h42_03, s03_04.h42_04,
            s05_06.h42_05, s05_06.h42_06, s07_08.h42_07, s07_08.h42_08,
            s09_10.h42_09, s09_10.h42_10, s11_12.h42_11, s11_12.h42_12,
            s13_14.h42_13, s13_14.h42_14, s15_16.h42_15, s15_16.h42_16]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(prog="python -m benchmarks.holdout42_gen")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(here), "scenarios_holdout42"))
    ap.add_argument("--only", default="", help="comma separated scenario numbers (1-16); README skipped")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    only = {int(x) for x in args.only.split(",") if x.strip()}
    metas = []
    for i, build in enumerate(BUILDERS, 1):
        if only and i not in only:
            continue
        fname, doc, meta = build()
        size = dump(doc, os.path.join(args.out, fname + ".yaml"))
        meta["file"] = fname + ".yaml"
        metas.append(meta)
        print(f"{fname}.yaml  {size / 1e6:.2f} MB  {meta['category']}", file=sys.stderr)
    if not only:
        write_readme(os.path.join(args.out, "README.md"), metas)
    return 0


if __name__ == "__main__":
    sys.exit(main())
