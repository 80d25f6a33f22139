"""Write the held-out set 48 scenario files and their README.

    cd /work/main && .venv/bin/python -m benchmarks.holdout48_gen
"""
import os
import sys

from . import s01_03, s04_05, s06_08, s09_10, s11_12, s13_14, s15_16
from .readme import write_readme

BUILDERS = [s01_03.s01, s01_03.s02, s01_03.s03, s04_05.s04, s04_05.s05, s06_08.s06, s06_08.s07, s06_08.s08,
            s09_10.s09, s09_10.s10, s11_12.s11, s11_12.s12, s13_14.s13, s13_14.s14, s15_16.s15, s15_16.s16]
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout48")
MAX_BYTES = 4 * 1024 * 1024


def main(argv=None):
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for build in BUILDERS:
        sc, info = build()
        path = os.path.join(OUT, sc.slug + ".yaml")
        sc.dump(path)
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise SystemExit("%s is %d bytes (> 4 MiB)" % (path, size))
        rows.append((sc, info))
        print("%-45s %7.2f MB  %s -> %s" % (sc.slug, size / 1048576.0, sc.expect["alarm"],
                                            sc.expect["root_cause"]["category"]))
    write_readme(os.path.join(OUT, "README.md"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
