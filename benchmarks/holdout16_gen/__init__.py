"""Held-out scenario set 16: incidents adapted from kinds of outage that public post-mortems describe.

Run ``python -m benchmarks.holdout16_gen`` from the project root: it writes
``benchmarks/scenarios_holdout16/h16-NN-<slug>.yaml`` and ``README.md``. Deterministic (fixed seeds);
numpy, PyYAML and the standard library only.
"""

BASE_SEED = 16_000

CASES = [
    "c01_reconnect_storm",
    "c02_expired_certificate",
    "c03_migration_lock",
    "c04_feature_flag",
    "c05_idle_timeout",
    "c06_iam_rightsizing",
    "c07_kms_key_policy",
    "c08_pool_leak",
    "c09_wrong_arch_package",
    "c10_memory_leak",
    "c11_replication_slot",
    "c12_regex_backtracking",
    "c13_noisy_neighbour",
    "c14_growing_input_timeout",
    "c15_top_of_hour_stampede",
    "c16_int32_overflow",
]
