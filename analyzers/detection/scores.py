"""Channel z -> point score: the Gaussian tail surprise, `z_to_score`, `combine_channels`
(noisy-OR or max) and `noisy_or_point`, the same noisy-OR arithmetic on one point's floats."""

from __future__ import annotations

import math

import numpy as np

from analyzers.detection.chunking import CHUNK, chunks
from analyzers.detection.config import DetectorConfig

_LN10 = float(np.log(10.0))
_HALF_LN_2PI = 0.5 * float(np.log(2 * np.pi))


def surprise(z: np.ndarray) -> np.ndarray:
    """-log10 of the Gaussian upper tail of |z| (Borjesson-Sundberg approx), minus its
    value at z = 0 (so 0 at z = 0), clipped at 0."""
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    flat_z, flat_out = z.reshape(-1), out.reshape(-1)
    for part in chunks(flat_z.size):
        _surprise_into(flat_z[part], flat_out[part])
    return out


def _surprise_into(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = surprise(z) for 1-D arrays of one size (z is left unchanged)."""
    z = np.abs(z)
    np.fmax(z, 0.0, out=z)  # NaN -> 0
    np.minimum(z, 1e6, out=z)
    denom = z * z
    minus_ln_tail = np.multiply(denom, 0.5, out=out)
    denom += 5.51
    np.sqrt(denom, out=denom)
    denom *= 0.661
    z *= 0.339
    denom += z
    np.log(denom, out=denom)
    minus_ln_tail += denom
    minus_ln_tail += _HALF_LN_2PI
    minus_ln_tail *= 1.0 / _LN10
    minus_ln_tail -= 0.59
    return np.maximum(minus_ln_tail, 0.0, out=minus_ln_tail)


def z_to_score(z: np.ndarray, scale: float) -> np.ndarray:
    """Map |z| to [0, 1) through the tail surprise: surprise / (surprise + scale)."""
    s = surprise(z)
    return s / (s + scale)


def noisy_or_point(zs: list[float], scale: float) -> float:
    """combine_channels (noisy-OR) of finite channel z's of one point: surprise's arithmetic on floats
    (log by numpy, as on arrays)."""
    z = [min(abs(v), 1e6) for v in zs]
    denom = [math.sqrt(v * v + 5.51) * 0.661 + v * 0.339 for v in z]
    logs = np.log(np.array(denom)).tolist()
    total = None
    for v, log in zip(z, logs):
        minus_ln_tail = (v * v) * 0.5
        minus_ln_tail += log
        minus_ln_tail += _HALF_LN_2PI
        minus_ln_tail *= 1.0 / _LN10
        minus_ln_tail -= 0.59
        more = max(minus_ln_tail, 0.0) + scale
        total = more if total is None else total * more
    return 1.0 - scale ** len(zs) / total


def combine_channels(channel_z: list[np.ndarray], config: DetectorConfig) -> np.ndarray:
    """Point score from the channels' z: noisy-OR of the per-channel scores (evidence from
    several channels, e.g. a level shift seen by the point and the mean channels, adds up)
    or the score of the largest z."""
    scale = config.score_scale
    if config.combine == "max":
        return z_to_score(np.maximum.reduce(channel_z), scale)
    # 1 - score = scale / (surprise + scale) per channel
    out = np.empty(np.shape(channel_z[0]))
    more = np.empty(min(out.size, CHUNK))
    numerator = scale ** len(channel_z)
    for part in chunks(out.size):
        denom = _surprise_into(channel_z[0][part], out[part])
        denom += scale
        for z in channel_z[1:]:
            extra = _surprise_into(z[part], more[: denom.size])
            extra += scale
            denom *= extra
        miss = np.divide(numerator, denom, out=denom)
        np.subtract(1.0, miss, out=miss)
    return out
