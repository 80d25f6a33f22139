"""Write the holdout58 scenarios and README: python -m benchmarks.holdout58_gen"""
from __future__ import annotations

import pathlib
import sys

from . import readme
from .s01_02 import s01, s02
from .s03_04 import s03, s04
from .s05_06 import s05, s06
from .s07_08 import s07, s08
from .s09_10 import s09, s10
from .s11_12 import s11, s12
from .s13_14 import s13, s14
from .s15_16 import s15, s16

BUILDERS = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16]

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout58"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    built = []
    for build in BUILDERS:
        sc = build()
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        built.append(sc)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
    (OUT / "README.md").write_text(readme.render(built))
    return 0


if __name__ == "__main__":
    sys.exit(main())
