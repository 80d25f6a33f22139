"""Write the holdout68 scenarios and README: python -m benchmarks.holdout68_gen [NN ...]."""
from __future__ import annotations

import importlib
import pathlib
import sys

from .readme import write_readme

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout68"
ALL = [f"s{n:02d}" for n in range(1, 17)]


def main(argv: list) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = [f"s{int(a):02d}" for a in argv] or ALL
    built = []
    for mod in wanted:
        sc = importlib.import_module(f".{mod}", __package__).build()
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        al = {a["name"]: a for a in sc.alarms}[sc.expect["alarm"]]
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, alarm {al['state']} "
              f"since {al['state_changed']}s, logs={sum(len(v) for v in sc.logs.values())}")
        for a in sc.alarms:
            if a["name"] != al["name"]:
                print(f"    other alarm {a['name']}: {a['state']} since {a['state_changed']}")
        built.append(sc)
    if not argv:
        write_readme(OUT / "README.md", built)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
