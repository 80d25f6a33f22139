"""Write benchmarks/scenarios_holdout61/*.yaml and README.md."""
from __future__ import annotations

import pathlib
import sys

from . import readme
from .s01_s02 import s01, s02
from .s03_s04 import s03, s04
from .s05_s06 import s05, s06
from .s07_s08 import s07, s08
from .s09_s10 import s09, s10
from .s11_s12 import s11, s12
from .s13_s14 import s13, s14
from .s15_s16 import s15, s16

BUILDERS = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16]
OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout61"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    built = []
    for build in BUILDERS:
        sc = build()
        exp = sc.expect["alarm"]
        st = next(a for a in sc.alarms if a["name"] == exp)
        if st["state"] != "ALARM":
            raise SystemExit(f"{sc.name}: expected alarm {exp} is {st['state']}")
        text = sc.dump()
        (OUT / f"{sc.name}.yaml").write_text(text)
        print(f"{sc.name}.yaml {len(text) / 1e6:.2f} MB  alarm since {st['state_changed']}s")
        built.append(sc)
    (OUT / "README.md").write_text(readme.render(built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
