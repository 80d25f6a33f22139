"""Write benchmarks/scenarios_holdout65/*.yaml and README.md (python -m benchmarks.holdout65_gen)."""
from __future__ import annotations

import os
import sys

from . import s01_s02, s03_s04, s05_s06, s07_s08, s09_s10, s11_s12, s13_s14, s15_s16
from .readme import write_readme

BUILDERS = [s01_s02.s01, s01_s02.s02, s03_s04.s03, s03_s04.s04, s05_s06.s05, s05_s06.s06,
            s07_s08.s07, s07_s08.s08, s09_s10.s09, s09_s10.s10, s11_s12.s11, s11_s12.s12,
            s13_s14.s13, s13_s14.s14, s15_s16.s15, s15_s16.s16]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout65")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = {int(a) for a in argv if a.isdigit()}
    os.makedirs(OUT, exist_ok=True)
    built = []
    for b in BUILDERS:
        sc = b()
        built.append(sc)
        if only and sc.num not in only:
            continue
        path = os.path.join(OUT, f"{sc.name}.yaml")
        with open(path, "w") as f:
            f.write(sc.dump())
        print(f"wrote {path} ({os.path.getsize(path) // 1024} KiB)")
    write_readme(built, os.path.join(OUT, "README.md"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
