"""Write every hold-out case to OUT_DIR (default benchmarks/scenarios_holdout)."""
from __future__ import annotations

import sys
from pathlib import Path

CASES: list = []
for _mod in ("cases_a", "cases_b", "cases_c", "cases_d", "cases_e", "cases_f"):
    try:
        CASES += getattr(__import__(f"benchmarks.holdout_gen.{_mod}", fromlist=["CASES"]), "CASES")
    except ModuleNotFoundError:
        pass


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "benchmarks/scenarios_holdout")
    out.mkdir(parents=True, exist_ok=True)
    for build in CASES:
        sc = build()
        path = out / f"{sc.data['name']}.yaml"
        size = sc.write(path)
        n_ev = sum(len(l["events"]) for l in sc.data["logs"])
        n_pts = max(len(m["points"]) for m in sc.data["metrics"])
        print(f"{path.name:<45} {size / 1024:7.0f} KB  logs={n_ev:5d}  max_points={n_pts}  "
              f"{sc.data['expect']['root_cause']['category']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
