"""Detector settings and stream state: `DetectorConfig` (generic knobs, in points), `DEFAULT_CONFIG`,
`KernelState` (what a stream carries between chunks) and `history_needed` (how much history it keeps)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analyzers.detection.seasonal import NEVER


@dataclass(frozen=True)
class DetectorConfig:
    """Generic (not per-metric) knobs of the detector, in points."""

    window: int = 1024  # trailing history used for the baseline
    block: int = 64  # the baseline is refreshed every `block` points
    suppress: int = 128  # a score is reported only if it beats the last `suppress` raw scores
    within_range_cap: float = 2.5  # max z for a value already seen in the window
    range_rank: int = 2  # the "seen range" spans the k-th smallest to the k-th largest value
    score_scale: float = 20.0  # -log10 tail probability giving a channel score of 0.5
    combine: str = "noisy_or"  # channel scores -> point score: "noisy_or" (1 - prod(1 - s)) or "max"
    relative_floor: float = 1e-3  # minimum spread as a fraction of |median|
    absolute_floor: float = 1e-9
    max_season_points: int = 20_000
    season_gain: float = 0.5  # seasonal model used when its spread < gain * plain spread
    season_periods: int = 5  # daily reference = median of the same phase over the last 1, 3 or 5 periods, as
    # history allows, up to this many (1, 3 or 5; see seasonal.seasonal_residual)
    week_season: bool = True  # also a weekly seasonal model (lag: one week at the sampling step)
    week_min_periods: int = 3  # ...used from this many weeks of history on (3: median-of-3-weeks reference)
    week_periods: int = 3  # weekly reference: as season_periods (3: five weeks of history would cost memory)
    ma_windows: tuple[int, ...] = (8, 32)  # extra channels: trailing means (level shifts, bursts)
    ma_gain: float = 1.0  # weight of a mean channel's z against the point channel's
    ma_stride_div: int = 2  # a mean channel's baseline samples its window every w // div points
    repeat_ratio: float = 0.9  # a repeat must beat the recent max by 1 / ratio to be reported (or be the first
    # of the last `suppress` points to reach `alert_escalate`: a slow climb is reported where it gets there)
    tail_scale: float = 0.15  # excess beyond the seen range: in max(sigma, tail_scale * (extreme - median))
    vol_windows: tuple[int, ...] = (16,)  # extra channels: trailing mean of |first difference| (variance changes)
    vol_gain: float = 0.6  # weight of a volatility channel's z against the point channel's
    season_veto: bool = True  # where the plain model is kept, z <= the daily model's z (its residual over
    # max(its spread, the plain spread)): a value the daily model explains (a spike at the same time each day)
    # is no surprise, and a non-seasonal series keeps the plain model's sensitivity
    novelty_score: float = 0.45  # raw score floor of a novel value: beyond all but `novelty_rank` - 1 earlier
    # values of the stream by `novelty_tolerance` of their range (0: off). Above `alert_level`, a new record
    # outranks the weakest statistical alerts; below 0.5, it alone never makes an episode or an incident
    novelty_tolerance: float = 0.05
    novelty_after: int = 256  # points of history before a new extreme counts as novel (at least novelty_rank)
    novelty_rank: int = 2  # novel = beyond the k-th smallest / largest earlier value (2: one freak value, e.g. a
    # glitch at startup, does not mask every later record)
    novelty_min_raw: float = 0.1  # ...and its statistical raw score is at least this: a record the baselines find
    # ordinary (about 2.7 robust sigmas or less, e.g. a slow drift past the old high) is not novel
    burst_rank: int = 5  # a report of a new local high that rises above the trailing median by less than
    burst_fraction: float = 0.5  # this fraction of the k-th largest value ever (above that median) is dropped
    # (see bursts; fraction 0: off)
    alert_level: float = 0.4  # a report at this score or more is an alert...
    alert_hold: int = 32  # ...and nothing else is reported for this many points (see hold; 0: off)...
    alert_escalate: float = 0.5  # ...but the first report at this score or more after an alert below it
    # (and the first raw score at it or more in `suppress` points is reported even if it is no 11 % step up)

    def __post_init__(self) -> None:
        if self.combine not in ("noisy_or", "max"):
            raise ValueError(f"combine must be 'noisy_or' or 'max', not {self.combine!r}")
        if not 0.0 <= self.burst_fraction < 1.0:
            raise ValueError(f"burst_fraction must be in [0, 1), not {self.burst_fraction!r}")
        for name in ("season_periods", "week_periods"):
            if getattr(self, name) not in (1, 3, 5):
                raise ValueError(f"{name} must be 1, 3 or 5, not {getattr(self, name)!r}")


DEFAULT_CONFIG = DetectorConfig()


@dataclass(frozen=True)
class KernelState:
    """Everything a stream needs to continue scoring exactly like the batch path."""

    tail_values: np.ndarray  # last valid values (enough history for windows + season lags)
    tail_raw: np.ndarray  # last raw (unsuppressed) scores, for suppression
    n_seen: int  # valid points seen so far
    season_lag: int  # daily seasonal lag in points, 0 = no daily model
    week_lag: int = 0  # weekly seasonal lag in points, 0 = no weekly model
    week_win: int = NEVER  # global index of the weekly model's last win (see seasonal.weekly_recent)
    lows: tuple[float, ...] = ()  # the `novelty_rank` smallest and largest valid values seen, most extreme
    highs: tuple[float, ...] = ()  # first (see novelty)
    last_novel: int = NEVER  # global index of the last novel point
    last_alert: tuple[int, float] = (NEVER, 0.0)  # (global index, score) of the last alert (see hold)
    tops: tuple[float, ...] = ()  # the `burst_rank` largest valid values seen, largest first (see bursts)

    @staticmethod
    def empty(season_lag: int = 0, week_lag: int = 0) -> "KernelState":
        return KernelState(np.empty(0), np.empty(0), 0, season_lag, week_lag)

    def nbytes(self) -> int:
        return int(self.tail_values.nbytes + self.tail_raw.nbytes)


def history_needed(config: DetectorConfig, season_lag: int, week_lag: int = 0) -> int:
    """Number of trailing values a stream must keep."""
    widest = max((1, *config.ma_windows, *config.vol_windows))
    longest = max(config.season_periods * season_lag, config.week_periods * week_lag)
    return config.window + config.block + longest + widest + 2  # +1 for first differences
