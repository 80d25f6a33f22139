"""Write benchmarks/scenarios_holdout38/*.yaml and README.md.

    python -m benchmarks.holdout38_gen
"""
from __future__ import annotations

from pathlib import Path

from . import sc_a, sc_b, sc_c, sc_d
from .common import write
from .readme import render

BUILDERS = [sc_a.s01, sc_a.s02, sc_a.s03, sc_a.s04, sc_b.s05, sc_b.s06, sc_b.s07, sc_b.s08,
            sc_c.s09, sc_c.s10, sc_c.s11, sc_c.s12, sc_d.s13, sc_d.s14, sc_d.s15, sc_d.s16]

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout38"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    docs = []
    for build in BUILDERS:
        doc = build().finish()
        size = write(doc, OUT / f"{doc['name']}.yaml")
        docs.append(doc)
        print(f"{doc['name']}.yaml  {size / 1e6:.2f} MB  {doc['expect']['root_cause']['category']}")
    (OUT / "README.md").write_text(render(docs), encoding="utf-8")


if __name__ == "__main__":
    main()
