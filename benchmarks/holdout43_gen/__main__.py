"""python -m benchmarks.holdout43_gen  ->  benchmarks/scenarios_holdout43/*.yaml + README.md"""
import os
import sys

import yaml

from . import readme

SCENARIOS = []
for _mod in ("scen_a", "scen_b", "scen_c", "scen_d", "scen_e", "scen_f", "scen_g", "scen_h"):
    try:
        _m = __import__("benchmarks.holdout43_gen." + _mod, fromlist=["x"])
    except ImportError:
        continue
    SCENARIOS += [getattr(_m, n) for n in sorted(dir(_m)) if n[:1] == "s" and n[1:].isdigit()]


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def main(argv=None):
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout43")
    os.makedirs(out, exist_ok=True)
    only = set(argv or [])
    done = []
    seen = set()
    for fn in SCENARIOS:
        if fn.__name__ in seen:
            continue
        seen.add(fn.__name__)
        if only and fn.__name__ not in only:
            continue
        sc = fn()
        path = os.path.join(out, sc.name + ".yaml")
        with open(path, "w") as f:
            yaml.dump(sc.doc(), f, Dumper=_NoAlias, default_flow_style=None, sort_keys=False,
                      width=100000, allow_unicode=True)
        print("%-60s %8.1f KB" % (sc.name, os.path.getsize(path) / 1024.0))
        done.append(sc)
    if not only:
        readme.write(out, done)


if __name__ == "__main__":
    main(sys.argv[1:])
