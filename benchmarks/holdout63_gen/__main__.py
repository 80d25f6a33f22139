"""python -m benchmarks.holdout63_gen -> benchmarks/scenarios_holdout63/*.yaml + README.md"""
from __future__ import annotations

import importlib
import pathlib
import sys

from . import readme

MODULES = ["s01_prior_auth", "s02_permits", "s03_provdir", "s04_referral_cpu", "s05_docs_render",
           "s06_foia_disk", "s07_appointments", "s08_lab_timeout", "s09_benefits_surge",
           "s10_referral_deploy", "s11_consent", "s12_exporter", "s13_eligibility",
           "s14_licensing", "s15_case_notes", "s16_vital_records"]

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout63"


def main(argv: list) -> int:
    only = set(argv[1:])
    OUT.mkdir(exist_ok=True)
    built = []
    for name in MODULES:
        if only and not any(name.startswith(o) for o in only):
            continue
        mod = importlib.import_module(f".{name}", __package__)
        sc = mod.build()
        path = OUT / f"{sc.name}.yaml"
        text = sc.dump()
        path.write_text(text)
        built.append(sc)
        print(f"{path.name}: {len(text) / 1e6:.2f} MB, {sum(len(v) for v in sc.logs.values())} log events")
    if not only:
        (OUT / "README.md").write_text(readme.render(built))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
