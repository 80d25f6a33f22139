"""Write benchmarks/scenarios_holdout10/*.yaml and README.md (seeded, deterministic)."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from . import s_changes, s_config_limits, s_data, s_db, s_ecs, s_misc, s_perms
from .readme import write_readme

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout10"
MODULES = [s_config_limits, s_perms, s_changes, s_data, s_db, s_misc, s_ecs]


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(exist_ok=True)
    built = []
    builders = sorted((b for m in MODULES for b in m.BUILDERS), key=lambda b: b.__name__)
    for build in builders:
        s = build()
        built.append(s)
        if only and s.name not in only and s.slug not in only:
            continue
        path = OUT / f"{s.name}.yaml"
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(s.to_dict(), fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None,
                      width=100000, allow_unicode=True)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, "
              f"{sum(len(l['events']) for l in s.logs)} log events, {len(s.metrics)} metrics")
    write_readme(OUT / "README.md", built)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
