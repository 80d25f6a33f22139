"""Shared building blocks for the holdout69 scenario set: set 57's (:mod:`benchmarks.holdout57_gen.common`),
naming its files ``h69-NN-<slug>``, whose changes may record a region."""
from __future__ import annotations

from benchmarks.holdout57_gen import common as _set57
from benchmarks.holdout57_gen.common import GRID, HISTORY, bump, counts_per_minute, diurnal, ramp, step

__all__ = ["GRID", "HISTORY", "Scenario", "bump", "counts_per_minute", "diurnal", "ramp", "step"]


class Scenario(_set57.Scenario):
    prefix = "h69"

    def change(self, t: float, source: str, event: str, rtype: str, rname: str, user: str,
               region: str | None = None) -> None:
        """Set 57's, with the change's ``region`` (last) when one is given."""
        super().change(t, source, event, rtype, rname, user)
        if region:
            self.changes[-1]["region"] = region
