"""Generate benchmarks/scenarios_holdout32/*.yaml (deterministic)."""
import os
import sys

from . import common, set_a, set_b, set_c, set_d

BUILDERS = [set_a.s01, set_a.s02, set_a.s03, set_a.s04, set_b.s05, set_b.s06, set_b.s07, set_b.s08,
            set_c.s09, set_c.s10, set_c.s11, set_c.s12, set_d.s13, set_d.s14, set_d.s15, set_d.s16]


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "scenarios_holdout32")
    for build in BUILDERS:
        sc = build()
        path = os.path.join(out, sc["name"] + ".yaml")
        size = common.write(sc, path)
        print(f"{os.path.basename(path):48s} {size / 1e6:5.2f} MB  {sc['expect']['root_cause']['category']}")
        if size > 4_000_000:
            print("  WARNING: over 4 MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
