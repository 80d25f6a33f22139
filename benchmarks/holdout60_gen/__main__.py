"""Write benchmarks/scenarios_holdout60/*.yaml and README.md (deterministic)."""
from __future__ import annotations

import pathlib
import sys

from . import scenarios
from .readme import render

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout60"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for build in scenarios.ALL:
        if argv and not any(f"{build.__name__[1:]}" == a for a in argv):
            continue
        sc = build()
        path = OUT / f"{sc.name}.yaml"
        path.write_text(sc.dump())
        built.append(sc)
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KiB)")
    if not argv:
        (OUT / "README.md").write_text(render(built))
        print("wrote README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
