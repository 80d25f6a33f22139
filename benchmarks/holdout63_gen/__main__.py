"""python -m benchmarks.holdout63_gen [sNN ...] -> benchmarks/scenarios_holdout63/*.yaml + README.md
(only the modules starting with sNN ..., and no README, when given)."""
import sys

from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

MODULES = ["s01_prior_auth", "s02_permits", "s03_provdir", "s04_referral_cpu", "s05_docs_render",
           "s06_foia_disk", "s07_appointments", "s08_lab_timeout", "s09_benefits_surge",
           "s10_referral_deploy", "s11_consent", "s12_exporter", "s13_eligibility",
           "s14_licensing", "s15_case_notes", "s16_vital_records"]


def main(argv=None) -> int:
    only = set(sys.argv[1:] if argv is None else argv)
    modules = [m for m in MODULES if not only or any(m.startswith(o) for o in only)]
    write_set(__package__, module_builders(__package__, modules), render, readme=not only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
