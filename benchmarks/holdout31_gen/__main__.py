"""python -m benchmarks.holdout31_gen: write benchmarks/scenarios_holdout31/*.yaml and README.md."""
import os
import sys

from .common import dump
from .readme import write_readme
from . import sc_a, sc_b, sc_c, sc_d, sc_e, sc_f, sc_g

BUILDERS = [sc_a.s01, sc_a.s02, sc_a.s03, sc_b.s04, sc_b.s05, sc_b.s06, sc_c.s07, sc_c.s08,
            sc_d.s09, sc_d.s10, sc_e.s11, sc_e.s12, sc_f.s13, sc_f.s14, sc_g.s15, sc_g.s16]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout31")


def main(argv):
    only = set(argv)
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for build in BUILDERS:
        if only and build.__name__ not in only:
            continue
        doc, meta = build()
        fname = doc["name"] + ".yaml"
        text = dump(doc)
        with open(os.path.join(OUT, fname), "w") as fh:
            fh.write(text)
        meta["file"] = fname
        rows.append(meta)
        print("%-45s %6.2f MB  %d metrics  %d log streams  %d events" % (
            fname, len(text) / 1e6, len(doc["metrics"]), len(doc["logs"]),
            sum(len(lg["events"]) for lg in doc["logs"])))
    if not only:
        write_readme(os.path.join(OUT, "README.md"), rows)


if __name__ == "__main__":
    main(sys.argv[1:])
