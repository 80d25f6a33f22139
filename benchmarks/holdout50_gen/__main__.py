"""Write benchmarks/scenarios_holdout50/*.yaml and README.md."""
import os
import sys

from . import readme
from .registry import BUILDERS

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout50")


def main(argv=None):
    only = set(argv or sys.argv[1:])
    os.makedirs(OUT, exist_ok=True)
    built = []
    for build in BUILDERS:
        s = build()
        name = s.slug + ".yaml"
        if only and not any(o in s.slug for o in only):
            continue
        path = os.path.join(OUT, name)
        s.dump(path)
        built.append(s)
        print("%-62s %7.2f MB  alarm=%s  %s" % (name, os.path.getsize(path) / 1e6, s.expect["alarm"],
                                                 s.expect["root_cause"]["category"]))
    if not only:
        with open(os.path.join(OUT, "README.md"), "w") as fh:
            fh.write(readme.render(built))


if __name__ == "__main__":
    main()
