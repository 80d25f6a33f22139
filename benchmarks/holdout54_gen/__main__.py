"""Generate benchmarks/scenarios_holdout54/*.yaml and its README."""
import os
import sys

from . import registry
from .core import dump
from .readme import write_readme

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout54")


def main(argv):
    only = set(argv[1:])
    os.makedirs(OUT, exist_ok=True)
    built = []
    for builder in registry.BUILDERS:
        S = builder()
        if only and S.name not in only and ("%02d" % S.num) not in only:
            built.append(S)
            continue
        path = os.path.join(OUT, S.name + ".yaml")
        dump(S, path)
        print("%-45s %7.2f MB  metrics=%d logs=%d events=%d" % (
            os.path.basename(path), os.path.getsize(path) / 1e6, len(S.metrics), len(S.logs),
            sum(len(l["events"]) for l in S.logs)))
        built.append(S)
    write_readme(os.path.join(OUT, "README.md"), built)


if __name__ == "__main__":
    main(sys.argv)
