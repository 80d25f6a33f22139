"""Write benchmarks/scenarios_holdout34/*.yaml and README.md."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from .readme import write_readme

MODULES = ["sc01", "sc03", "sc05", "sc07", "sc09", "sc11", "sc13", "sc15"]
OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout34"


def builders():
    out = []
    for mod in MODULES:
        try:
            m = importlib.import_module(f"{__package__}.{mod}")
        except ModuleNotFoundError:
            continue
        out += [getattr(m, n) for n in sorted(dir(m)) if n.startswith("s") and n[1:].isdigit()]
    return sorted(out, key=lambda f: int(f.__name__[1:]))


def main(argv=None):
    only = set(argv if argv is not None else sys.argv[1:])
    OUT.mkdir(parents=True, exist_ok=True)
    done = []
    for b in builders():
        if only and b.__name__ not in only:
            continue
        s = b()
        path = OUT / f"h34-{s.num:02d}-{s.slug}.yaml"
        text = s.to_yaml()
        path.write_text(text, encoding="utf-8")
        done.append(s)
        print(f"{path.name}: {len(text) / 1e6:.2f} MB, {len(s.metrics)} metrics, "
              f"{sum(len(g['events']) for g in s.logs)} log events")
    if not only:
        write_readme(OUT / "README.md", done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
