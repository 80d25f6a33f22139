"""Shared building blocks for the holdout72 scenario set: set 57's (:mod:`benchmarks.holdout57_gen.common`),
naming its files ``h72-NN-<slug>``."""
from __future__ import annotations

from benchmarks.holdout57_gen import common as _set57
from benchmarks.holdout57_gen.common import GRID, HISTORY, bump, counts_per_minute, diurnal, ramp, step

__all__ = ["GRID", "HISTORY", "Scenario", "bump", "counts_per_minute", "diurnal", "ramp", "step"]


class Scenario(_set57.Scenario):
    prefix = "h72"
