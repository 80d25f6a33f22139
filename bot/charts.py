"""PNG charts of a report's metric series (matplotlib, Agg backend: no display needed).

The data drawn comes from ``report["charts"]`` (:mod:`analyzers.charts_data`);
this module only draws it: the series, the alarm threshold, the shaded anomaly
window, the onset and change markers, UTC time axis and units. A series with
fewer than two points becomes a placeholder chart that says so.
"""
from __future__ import annotations

import logging
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analyzers.charts_data import ChangeMarker, ChartSpec, chart_file_name  # noqa: E402

log = logging.getLogger(__name__)

SIZE_INCHES = (9.0, 3.6)
DPI = 100


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(float(epoch), timezone.utc)


def render_chart(spec: ChartSpec | Mapping[str, Any], path: str | Path) -> Path:
    """Draw one chart to ``path`` (PNG) and return the path."""
    spec = spec if isinstance(spec, ChartSpec) else ChartSpec.from_dict(spec)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI)  # no pyplot: thread-safe, nothing global
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title(spec.title, fontsize=10, loc="left")
    unit = spec.unit or "value"
    ax.set_ylabel(f"{spec.name or 'value'} ({unit})" if spec.name else unit, fontsize=9)
    if len(spec.values) < 2:
        _placeholder(ax, spec)
    else:
        _draw_series(ax, spec)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.16)  # fixed margins: tight_layout is slow
    with warnings.catch_warnings():  # a title in a script the font lacks (CJK) draws boxes: no warning per glyph
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        fig.savefig(path, format="png")
    return path


def _placeholder(ax: Any, spec: ChartSpec) -> None:
    what = "no data points" if not spec.values else f"only one data point ({spec.values[0]:g} {spec.unit or ''})"
    ax.text(0.5, 0.5, f"{what} for\n{spec.metric}", ha="center", va="center", fontsize=10,
            transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])


def _draw_series(ax: Any, spec: ChartSpec) -> None:
    times = [_utc(t) for t in spec.timestamps]
    ax.plot(times, spec.values, color="#1f77b4", linewidth=1.3, label=f"{spec.name} {spec.stat}".strip() or "value")
    if spec.window_start is not None and spec.window_end is not None:
        ax.axvspan(_utc(spec.window_start), _utc(spec.window_end), color="#d62728", alpha=0.10,
                   label="anomaly window")
    if spec.onset is not None:
        ax.axvline(_utc(spec.onset), color="#d62728", linestyle="--", linewidth=1.1,
                   label=f"onset {_utc(spec.onset):%H:%M} UTC")
    if spec.threshold is not None:
        ax.axhline(float(spec.threshold), color="#ff7f0e", linestyle=":", linewidth=1.4,
                   label=f"alarm threshold {float(spec.threshold):g}")
    for i, marker in enumerate(_merge_close(spec.markers, spec.timestamps[-1] - spec.timestamps[0])):
        when = _utc(marker.time)
        ax.axvline(when, color="#2ca02c", linestyle="-", linewidth=1.0, alpha=0.8,
                   label="change" if i == 0 else None)
        ax.text(when, 0.97 - 0.04 * (i % 2), f" {marker.label[:70]}", transform=ax.get_xaxis_transform(),
                rotation=90, ha="right", va="top", fontsize=7, color="#1b6e1b",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1})
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M", tz=timezone.utc))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(tz=timezone.utc, maxticks=10))
    span = f"{times[0]:%Y-%m-%d %H:%M} - {times[-1]:%Y-%m-%d %H:%M}"
    ax.set_xlabel(f"time (UTC), {span}", fontsize=9)
    ax.grid(True, alpha=0.3)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="upper left", framealpha=0.8)


def _merge_close(markers: tuple[ChangeMarker, ...], span: float) -> list[ChangeMarker]:
    """Markers closer than 2% of the time axis share one line and one label (else the labels overprint)."""
    merged: list[ChangeMarker] = []
    for m in sorted(markers, key=lambda m: m.time):
        if merged and m.time - merged[-1].time <= 0.02 * span:
            first = merged[-1]
            label = first.label if m.label in first.label else f"{first.label} + {m.label.split(' on ')[0]}"
            merged[-1] = ChangeMarker(first.time, label)
        else:
            merged.append(m)
    return merged


def chart_files(report: Mapping[str, Any], directory: str | Path) -> list[Path]:
    """Render every chart of the report into ``directory``; returns the PNG paths (for Slack uploads).

    A chart that cannot be drawn is logged and skipped; this never raises for bad chart data.
    """
    directory = Path(directory)
    out: list[Path] = []
    for data in report.get("charts") or []:
        try:
            out.append(render_chart(data, directory / chart_file_name(str(report.get("id", "report")),
                                                                      str(data["id"]))))
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            log.warning("chart %s of %s skipped: %s", data.get("id") if isinstance(data, Mapping) else "?",
                        report.get("id"), exc)
    return out


def write_charts_for_report(report: Mapping[str, Any], directory: str | Path) -> list[Path]:
    """Write ``<report id>-<chart id>.png`` beside the report files (the Markdown report embeds them)."""
    return chart_files(report, directory)


__all__ = ["render_chart", "chart_files", "write_charts_for_report", "chart_file_name"]
