"""Write benchmarks/scenarios_holdout26/*.yaml and README.md.

Run from the repo root:  .venv/bin/python -m benchmarks.holdout26_gen
"""
from __future__ import annotations

import os
import sys

from .common import dump
from .readme import write_readme
from . import s01_02, s03_04, s05_06, s07_08, s09_10, s11_12, s13_14, s15_16

BUILDERS = [s01_02.build_01, s01_02.build_02, s03_04.build_03, s03_04.build_04,
            s05_06.build_05, s05_06.build_06, s07_08.build_07, s07_08.build_08,
            s09_10.build_09, s09_10.build_10, s11_12.build_11, s11_12.build_12,
            s13_14.build_13, s13_14.build_14, s15_16.build_15, s15_16.build_16]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout26")


def main(argv=None):
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for b in BUILDERS:
        sc = b()
        path = os.path.join(OUT, sc.slug + ".yaml")
        dump(sc.to_dict(), path)
        rows.append(sc)
        print("%-60s %7.2f MB" % (os.path.basename(path), os.path.getsize(path) / 1e6))
    write_readme(rows, os.path.join(OUT, "README.md"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
