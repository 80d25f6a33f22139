"""Build every scenario of set 55 and write the YAML files plus the README."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from . import readme
from .kit import dump
from .registry import BUILDERS

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout55"


def main(argv: list[str] | None = None) -> int:
    only = set(argv if argv is not None else sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for number, build in enumerate(BUILDERS, start=1):
        if only and f"{number:02d}" not in only:
            continue
        t0 = time.perf_counter()
        scn, expect, meta = build()
        fname = f"h55-{number:02d}-{meta['slug']}.yaml"
        size = dump(scn.doc(expect), OUT / fname)
        rows.append((fname, scn, expect, meta))
        print(f"{fname:55s} {size / 1e6:5.2f} MB  {time.perf_counter() - t0:5.1f} s", flush=True)
    if not only:
        (OUT / "README.md").write_text(readme.render(rows), encoding="utf-8")
        print(f"wrote {len(rows)} scenarios and README.md to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
