"""Generate benchmarks/scenarios_holdout23/*.yaml and README.md."""
import os
import sys

from . import readme
from .lib import dump
from .s01_02 import s01, s02
from .s03_04 import s03, s04
from .s05_06 import s05, s06
from .s07_08 import s07, s08
from .s09_10 import s09, s10
from .s11_12 import s11, s12
from .s13_14 import s13, s14
from .s15_16 import s15, s16

BUILDERS = [s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15, s16]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout23")


def main(argv):
    only = set(argv[1:])
    os.makedirs(OUT, exist_ok=True)
    built = []
    for build in BUILDERS:
        s = build()
        if only and not any(s.slug.startswith(o) for o in only):
            built.append(s)
            continue
        path = os.path.join(OUT, s.slug + ".yaml")
        dump(s.doc(), path)
        print("%-55s %7.2f MB" % (os.path.basename(path), os.path.getsize(path) / 1e6))
        built.append(s)
    readme.write(built, os.path.join(OUT, "README.md"))


if __name__ == "__main__":
    main(sys.argv)
