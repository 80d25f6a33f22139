"""Write benchmarks/scenarios_holdout7/*.yaml and its README."""
from __future__ import annotations

import sys

from . import containers, containers_b, hosts, hosts_b, lambdas_a, lambdas_b
from .common import OUT

MODULES = [lambdas_a, lambdas_b, containers, containers_b, hosts, hosts_b]


def main(argv: list[str]) -> None:
    only = set(argv)
    built = []
    for mod in MODULES:
        for fn in mod.SCENARIOS:
            sc = fn()
            if only and not any(o in sc.slug for o in only):
                continue
            path = sc.write()
            built.append(sc)
            print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, {sum(len(l['events']) for l in sc.d['logs'])} "
                  f"log events, alarm state_changed={sc.d['alarms'][0]['state_changed']}")
    if not only:
        from .readme import write_readme
        write_readme(sorted(built, key=lambda s: s.slug), OUT / "README.md")


if __name__ == "__main__":
    main(sys.argv[1:])
