"""Write every holdout-45 scenario and the README."""
from __future__ import annotations

import sys
from pathlib import Path

from . import sc_a, sc_b, sc_c, sc_d, sc_e, sc_f
from .core import dump
from .readme import render

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout45"
BUILDERS = [sc_a.s01, sc_a.s02, sc_b.s03, sc_b.s04, sc_b.s05, sc_c.s06, sc_c.s07, sc_c.s08,
            sc_d.s09, sc_d.s10, sc_d.s11, sc_e.s12, sc_e.s13, sc_e.s14, sc_f.s15, sc_f.s16]


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for build in BUILDERS:
        sc = build()
        name = sc.d["name"]
        if only and not any(name.startswith(o) for o in only):
            continue
        sc.check()
        text = dump(sc.d)
        path = OUT / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        built.append(sc)
        print(f"{path.name}: {len(text) / 1e6:.2f} MB, {len(sc.d['metrics'])} metrics, "
              f"{sum(len(lg['events']) for lg in sc.d['logs'])} log events")
    if not only:
        (OUT / "README.md").write_text(render(built), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
