"""CloudWatch-style static thresholds (the alarm's own rule, as a baseline to the detector)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np

logger = logging.getLogger(__name__)

COMPARISONS = (
    "GreaterThanThreshold",
    "GreaterThanOrEqualToThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)


@dataclass(frozen=True)
class StaticThreshold:
    """A CloudWatch alarm comparison; NaN values never breach."""

    threshold: float
    comparison: str

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise ValueError(f"unknown comparison {self.comparison!r}; expected one of {COMPARISONS}")

    def breaches(self, values: np.ndarray | Sequence[float]) -> np.ndarray:
        x = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            if self.comparison == "GreaterThanThreshold":
                hit = x > self.threshold
            elif self.comparison == "GreaterThanOrEqualToThreshold":
                hit = x >= self.threshold
            elif self.comparison == "LessThanThreshold":
                hit = x < self.threshold
            else:
                hit = x <= self.threshold
        return hit & np.isfinite(x)
