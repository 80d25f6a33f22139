"""Write benchmarks/scenarios_holdout22/*.yaml and README.md: ``python -m benchmarks.holdout22_gen [--out DIR]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from . import readme, s01_03, s04_06, s07_09, s10_12, s13_14, s15_16

BUILDERS = [s01_03.s01, s01_03.s02, s01_03.s03, s04_06.s04, s04_06.s05, s04_06.s06, s07_09.s07, s07_09.s08,
            s07_09.s09, s10_12.s10, s10_12.s11, s10_12.s12, s13_14.s13, s13_14.s14, s15_16.s15, s15_16.s16]
BASE_SEED = 22_000
MAX_BYTES = 4_000_000
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.holdout22_gen", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "scenarios_holdout22")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows, bad = [], 0
    for i, build in enumerate(BUILDERS, start=1):
        doc, meta = build(BASE_SEED + i)
        name = doc["name"]
        text = yaml.dump(doc, Dumper=_Dumper, default_flow_style=None, sort_keys=False, width=1_000_000, allow_unicode=True)
        path = args.out / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        size = len(text.encode("utf-8"))
        if size > MAX_BYTES:
            bad += 1
            print(f"TOO BIG: {path.name} {size} bytes", file=sys.stderr)
        exp = doc["expect"]
        rows.append({"file": path.name, "region": doc["region"], "alarm": exp["alarm"], "category": exp["root_cause"]["category"],
                     "resources": exp["root_cause"]["resource"], "origin": meta["origin"], "decoys": meta["decoys"]})
        print(f"{path.name}: {size / 1e6:.2f} MB, {exp['root_cause']['category']}")
    (args.out / "README.md").write_text(readme.render(rows) + "\n", encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
