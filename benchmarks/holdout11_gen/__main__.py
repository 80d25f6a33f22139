"""Write the holdout11 scenario set: python -m benchmarks.holdout11_gen [--only NN ...]"""
from __future__ import annotations

import sys
from pathlib import Path

from .common import write
from .readme import write_readme
from .registry import BUILDERS

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout11"


def main(argv: list[str]) -> None:
    only = {a.zfill(2) for a in argv if not a.startswith("-")}
    OUT.mkdir(exist_ok=True)
    built = []
    for build in BUILDERS:
        sc = build()
        num = sc.name.split("-")[1]
        if only and num not in only:
            continue
        size = write(sc, OUT / f"{sc.name}.yaml")
        assert size < 4_000_000, f"{sc.name} too large ({size} bytes)"
        print(f"{sc.name}.yaml  {size / 1e6:.2f} MB  alarm={sc.alarms[0]['state']}@{sc.alarms[0]['state_changed']}")
        built.append(sc)
    if not only:
        write_readme(built, OUT / "README.md")


if __name__ == "__main__":
    main(sys.argv[1:])
