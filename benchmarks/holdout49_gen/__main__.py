"""Generate benchmarks/scenarios_holdout49/*.yaml and its README.md."""
from __future__ import annotations

import importlib
import os
import sys

from .common import dump
from .readme import write_readme

MODULES = [
    "sc01_ecs_deploy",
    "sc02_lambda_config",
    "sc03_ec2_iam",
    "sc04_rds_unreachable",
    "sc05_pg_connections",
    "sc06_ec2_cpu",
    "sc07_ecs_oom",
    "sc08_ec2_disk",
    "sc09_apigw_throttle",
    "sc10_lambda_timeout",
    "sc11_alb_surge",
    "sc12_lambda_npe",
    "sc13_alb_unknown",
    "sc14_ec2_codedeploy",
    "sc15_mysql_param",
    "sc16_rds_cpu",
]

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scenarios_holdout49")


def main(argv: list) -> int:
    only = set(argv[1:])
    os.makedirs(OUT, exist_ok=True)
    metas = []
    for i, name in enumerate(MODULES, 1):
        if only and name not in only and str(i) not in only:
            continue
        mod = importlib.import_module("." + name, __package__)
        data, meta = mod.build()
        fname = "h49-%02d-%s.yaml" % (i, meta["slug"])
        size = dump(os.path.join(OUT, fname), data)
        meta["file"] = fname
        metas.append(meta)
        print("%-48s %8.2f MB  %s / %s" % (fname, size / 1e6, meta["category"], meta["alarm"]))
        if size > 4_000_000:
            print("  WARNING: over 4 MB", file=sys.stderr)
    if not only:
        write_readme(os.path.join(OUT, "README.md"), metas)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
