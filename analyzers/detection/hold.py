"""Alert hold: once a point is reported at `alert_level` or more, nothing else is reported for the next
`alert_hold` points, unless it escalates the alert past `alert_escalate`.

Repeat suppression (`_kernel`) already reports a point only when it beats the recent raw scores, so a
burst that climbs over a few points is reported at every step up. Those steps add nothing to the first
report: an alert is already out. The hold keeps the first and drops the rest. An alert below
`alert_escalate` (0.5, the level that makes an episode and an incident in the bot) is still followed by
the first report at or above it, so a user thresholding at 0.5 or less sees every anomaly he would see
without the hold. Reports below `alert_level` never start a hold, so a weak early report does not hide
the stronger one after it. Raw scores, and so the bot's episodes and incidents, are not affected; the
novelty track (`novelty`) is applied after the hold and neither starts nor obeys it.
"""

from __future__ import annotations

import numpy as np

from analyzers.detection.config import DetectorConfig


def apply_hold(reported: np.ndarray, first_index: int, last_alert: tuple[int, float],
               config: DetectorConfig) -> tuple[int, float]:
    """Zero (in place) the reports held by an alert; `first_index`: global index of reported[0];
    `last_alert`: (global index, score) of the last alert before these. Returns it after them."""
    if config.alert_hold <= 0:
        return last_alert
    for local in np.flatnonzero(reported).tolist():
        reported[local], last_alert = hold_point(float(reported[local]), first_index + local, last_alert, config)
    return last_alert


def hold_point(score: float, index: int, last_alert: tuple[int, float],
               config: DetectorConfig) -> tuple[float, tuple[int, float]]:
    """`apply_hold` of one report (`score` > 0 at global `index`): (the score kept or 0, the last alert)."""
    at, level = last_alert
    if index - at < config.alert_hold and not (score >= config.alert_escalate > level):
        return 0.0, last_alert
    return score, ((index, score) if score >= config.alert_level else last_alert)
