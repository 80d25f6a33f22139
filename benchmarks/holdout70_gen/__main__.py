"""Write benchmarks/scenarios_holdout70/*.yaml and its README."""
from __future__ import annotations

import importlib
import pathlib
import sys

from .readme import render

MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout70"


def main(argv=None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    OUT.mkdir(exist_ok=True)
    built = []
    for mod in MODULES:
        try:
            m = importlib.import_module(f"{__package__}.{mod}")
        except ModuleNotFoundError:
            if only:
                continue
            raise
        for fn in m.BUILDERS:
            sc = fn()
            built.append(sc)
            if only and f"{sc.num:02d}" not in only:
                continue
            path = OUT / f"{sc.name}.yaml"
            text = sc.dump()
            path.write_text(text)
            print(f"{path.name}: {len(text) / 1e6:.2f} MB", file=sys.stderr)
    if not only:
        (OUT / "README.md").write_text(render(built))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
