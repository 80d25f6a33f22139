"""Synthetic series shared by the detector tests (tests/test_detection*.py): noise, timestamps, and the
detector config without its novelty track."""

from __future__ import annotations

import dataclasses

import numpy as np

from analyzers.detection import DEFAULT_CONFIG

STEP_S = 300.0  # 5-minute samples
T0 = 1_700_000_000.0
NO_NOVELTY = dataclasses.replace(DEFAULT_CONFIG, novelty_score=0.0)  # the statistical scores alone


def noise(n: int, seed: int = 0, level: float = 50.0, sigma: float = 2.0) -> np.ndarray:
    return np.random.default_rng(seed).normal(level, sigma, n)


def times(n: int) -> np.ndarray:
    return T0 + STEP_S * np.arange(n)
