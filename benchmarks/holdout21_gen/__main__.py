"""python -m benchmarks.holdout21_gen -> benchmarks/scenarios_holdout21/*.yaml + README.md"""
from __future__ import annotations

import os
import sys

from .common import dump, settle_alarm
from .readme import write_readme
from . import s01_02, s03_04, s05_06, s07_08, s09_10, s11_12, s13_14, s15_16

BUILDERS = [s01_02.s01, s01_02.s02, s03_04.s03, s03_04.s04, s05_06.s05, s05_06.s06, s07_08.s07, s07_08.s08, s09_10.s09, s09_10.s10, s11_12.s11, s11_12.s12, s13_14.s13, s13_14.s14, s15_16.s15, s15_16.s16]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "scenarios_holdout21")
    os.makedirs(out, exist_ok=True)
    rows = []
    for build in BUILDERS:
        doc, meta = build()
        settle_alarm(doc)
        fname = doc["name"] + ".yaml"
        dump(doc, os.path.join(out, fname))
        rows.append((fname, doc, meta))
        print(f"wrote {fname} ({os.path.getsize(os.path.join(out, fname)) / 1e6:.2f} MB)")
    write_readme(os.path.join(out, "README.md"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
