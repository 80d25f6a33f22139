"""python -m benchmarks.holdout72_gen: write scenarios_holdout72/*.yaml and README.md."""
from __future__ import annotations

import os
import sys

from . import s01_s02, s03_s04
from .readme import render

BUILDERS = [s01_s02.s01, s01_s02.s02, s03_s04.s03, s03_s04.s04]
for _mod, _names in (("s05_s06", ("s05", "s06")), ("s07_s08", ("s07", "s08")),
                     ("s09_s10", ("s09", "s10")), ("s11_s12", ("s11", "s12")),
                     ("s13_s14", ("s13", "s14")), ("s15_s16", ("s15", "s16"))):
    try:
        _m = __import__(f"{__package__}.{_mod}", fromlist=list(_names))
    except ModuleNotFoundError:
        continue
    BUILDERS += [getattr(_m, n) for n in _names]


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(os.path.dirname(here), "scenarios_holdout72")
    os.makedirs(out, exist_ok=True)
    only = set(argv or [])
    built = []
    for b in BUILDERS:
        sc = b()
        built.append(sc)
        if only and sc.name[:6] not in only and str(sc.num) not in only:
            continue
        path = os.path.join(out, sc.name + ".yaml")
        with open(path, "w") as f:
            f.write(sc.dump())
        print(f"{path}  {os.path.getsize(path) / 1e6:.2f} MB")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(render(built))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
