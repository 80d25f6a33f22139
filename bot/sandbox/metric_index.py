"""Speed for the emulator's GetMetricData: moto answers each MetricStat query by scanning every stored
datapoint once per period (queries x periods x datapoints: minutes of CPU for a six-hour, seventy-series
scenario). Installed in the sandbox's own process, this hands each query only the datapoints moto's own
filter would keep (same name; same namespace, or the same dimensions), checked once per datapoint instead
of once per period. moto still computes every answer, so the responses are unchanged."""
from __future__ import annotations

import logging
from typing import Any

from moto.cloudwatch.models import CloudWatchBackend, Dimension

log = logging.getLogger(__name__)

_INSTALLED = "_aiops_metric_index"
MOTO_GET_METRIC_DATA = CloudWatchBackend.get_metric_data  # moto's own (this module is the only one patching it)


class _OneQueryView:
    """The backend as one query sees it: only its candidate datapoints; everything else delegated."""

    def __init__(self, backend: CloudWatchBackend, datapoints: list[Any]):
        self._backend = backend
        self._datapoints = datapoints

    def get_all_metrics(self) -> list[Any]:
        return self._datapoints

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)


def _candidates(datapoints: list[Any], query: dict[str, Any]) -> list[Any]:
    """moto's own per-period predicate, applied once: the name, then the namespace or, when the query has
    dimensions, the (sorted) dimensions."""
    metric = query["MetricStat"]["Metric"]
    name, namespace = metric["MetricName"], metric["Namespace"]
    dimensions = sorted(Dimension(name=d["Name"], value=d["Value"]) for d in metric.get("Dimensions", []))
    same_name = [md for md in datapoints if md.name == name]
    if dimensions:
        return [md for md in same_name if sorted(md.dimensions) == dimensions]
    return [md for md in same_name if md.namespace == namespace]


def install() -> None:
    """Make ``CloudWatchBackend.get_metric_data`` filter per query first (idempotent, process-wide)."""
    if getattr(CloudWatchBackend, _INSTALLED, False):
        return
    original = MOTO_GET_METRIC_DATA

    def get_metric_data(self: CloudWatchBackend, queries: list[dict[str, Any]], start_time: Any, end_time: Any,
                        scan_by: str = "TimestampAscending") -> list[dict[str, Any]]:
        if not queries or any("MetricStat" not in q for q in queries):  # metric math needs its inputs together
            return original(self, queries, start_time, end_time, scan_by)
        everything = self.get_all_metrics()
        results: list[dict[str, Any]] = []
        for query in queries:
            view = _OneQueryView(self, _candidates(everything, query))
            results.extend(original(view, [query], start_time, end_time, scan_by))  # type: ignore[arg-type]
        return results

    CloudWatchBackend.get_metric_data = get_metric_data  # type: ignore[method-assign]
    setattr(CloudWatchBackend, _INSTALLED, True)
    log.debug("emulator GetMetricData filters per query")
