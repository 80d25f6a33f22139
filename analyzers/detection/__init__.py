"""Online statistical anomaly detection for metric series (pure: numpy only, no I/O).

Public API: `score_series`, `OnlineDetector`, `find_onset`, `StaticThreshold`,
plus `raw_scores` (no repeat suppression) and `DetectorConfig` for experiments.
"""

from analyzers.detection.config import DEFAULT_CONFIG, DetectorConfig
from analyzers.detection.online import OnlineDetector, find_onset, find_onsets, raw_scores, score_series
from analyzers.detection.thresholds import COMPARISONS, StaticThreshold

__all__ = [
    "COMPARISONS",
    "DEFAULT_CONFIG",
    "DetectorConfig",
    "OnlineDetector",
    "StaticThreshold",
    "find_onset",
    "find_onsets",
    "raw_scores",
    "score_series",
]
