"""Write the holdout73 scenarios and README: python -m benchmarks.holdout73_gen"""
from __future__ import annotations

import pathlib

from . import sa, sb, sc_, sd, se
from .readme import write_readme

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout73"
BUILDERS = [sa.s01, sa.s02, sa.s03, sb.s04, sb.s05, sb.s06, sc_.s07, sc_.s08, sc_.s09,
            sd.s10, sd.s11, sd.s12, se.s13, se.s14, se.s15, se.s16]


def main(only=None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for b in BUILDERS:
        sc = b()
        built.append(sc)
        if only and sc.num not in only:
            continue
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KiB)")
    write_readme(OUT / "README.md", built)


if __name__ == "__main__":
    main()
