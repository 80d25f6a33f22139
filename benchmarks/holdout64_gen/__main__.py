"""Write benchmarks/scenarios_holdout64/*.yaml and README.md (deterministic)."""
from __future__ import annotations

import os
import sys

from . import s01_s02, s03_s04, s05_s06, s07_s08, s09_s10, s11_s12, s13_s14, s15_s16
from .readme import readme

BUILDERS = [s01_s02.s01, s01_s02.s02, s03_s04.s03, s03_s04.s04, s05_s06.s05, s05_s06.s06,
            s07_s08.s07, s07_s08.s08, s09_s10.s09, s09_s10.s10, s11_s12.s11, s11_s12.s12,
            s13_s14.s13, s13_s14.s14, s15_s16.s15, s15_s16.s16]


def main(argv: list[str]) -> int:
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "scenarios_holdout64")
    os.makedirs(out, exist_ok=True)
    only = {int(a) for a in argv}
    built = []
    for build in BUILDERS:
        num = int(build.__name__[1:])
        if only and num not in only:
            continue
        sc = build()
        alarm = next(a for a in sc.alarms if a["name"] == sc.expect["alarm"])
        if alarm["state"] != "ALARM":
            raise SystemExit(f"{sc.name}: expected alarm {alarm['name']} is {alarm['state']}")
        text = sc.dump()
        with open(os.path.join(out, sc.name + ".yaml"), "w") as fh:
            fh.write(text)
        print(f"{sc.name}.yaml  {len(text) / 1e6:.2f} MB  alarm at {alarm['state_changed']}")
        built.append(sc)
    if not only:
        with open(os.path.join(out, "README.md"), "w") as fh:
            fh.write(readme(built))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
