"""Write benchmarks/scenarios_holdout37/*.yaml:  python -m benchmarks.holdout37_gen [NUM ...]"""
from __future__ import annotations

import os
import sys

from . import sc_01_02, sc_03_04, sc_05_06, sc_07_08, sc_09_10, sc_11_12, sc_13_14, sc_15_16

BUILDERS = {
    1: sc_01_02.build_01, 2: sc_01_02.build_02, 3: sc_03_04.build_03, 4: sc_03_04.build_04,
    5: sc_05_06.build_05, 6: sc_05_06.build_06, 7: sc_07_08.build_07, 8: sc_07_08.build_08,
    9: sc_09_10.build_09, 10: sc_09_10.build_10,
    11: sc_11_12.build_11, 12: sc_11_12.build_12,
    13: sc_13_14.build_13, 14: sc_13_14.build_14,
    15: sc_15_16.build_15, 16: sc_15_16.build_16,
}


def main(argv: list[str]) -> int:
    wanted = [int(a) for a in argv] or sorted(BUILDERS)
    for num in wanted:
        scn = BUILDERS[num]()
        path = scn.write()
        print(f"{os.path.basename(path)}  {os.path.getsize(path) / 1e6:.2f} MB  "
              f"metrics={len(scn.metrics)} events={sum(len(v) for v in scn._logs.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
