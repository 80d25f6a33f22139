"""AWS console deep links for a report: alarm, metrics, log queries, resources, changes (pure).

Every link opens the console of the resource's own region
(``https://<region>.console.aws.amazon.com/...?region=<region>``). The
CloudWatch console keeps its state in the URL fragment in two encodings:

* ``#metricsV2:graph=~(...)`` and ``#logsV2:logs-insights?queryDetail=~(...)``
  use a compact ``~(key~'value)`` notation where every character of a value
  other than ``[A-Za-z0-9_.-]`` is written ``*hh`` (UTF-8 bytes, hex), and the
  ``?`` / ``=`` / ``&`` of the fragment's own query string become ``$3F``, ``$3D``, ``$26``;
* ``#logsV2:log-groups/log-group/<name>`` takes the group name URL-encoded twice with ``%`` written ``$``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote

from .model import Alarm, Change, MetricKey, ResourceRef

_PLAIN = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def console(region: str, service_path: str, fragment: str = "", extra_query: str = "") -> str:
    """``https://<region>.console.aws.amazon.com/<service_path>?region=<region>[&extra]#fragment``."""
    query = f"region={quote(region, safe='')}" + (f"&{extra_query}" if extra_query else "")
    return f"https://{region}.console.aws.amazon.com/{service_path}?{query}" + (f"#{fragment}" if fragment else "")


def tilde_value(text: str) -> str:
    """A value in the console's ``~(...)`` notation: ``'`` then ``*hh`` for every non-plain byte."""
    return "'" + "".join(chr(b) if b in _PLAIN else f"*{b:02x}" for b in str(text).encode("utf-8"))


def dollar_quote(text: str, times: int = 1) -> str:
    """URL-encode ``times`` times, then write ``%`` as ``$`` (the console's fragment encoding)."""
    for _ in range(times):
        text = quote(text, safe="")
    return text.replace("%", "$")


def console_time(value: datetime | str) -> str:
    """``2026-01-01T10:00:00.000Z`` (what the console puts in its absolute time ranges)."""
    when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def alarm_url(region: str, name: str) -> str:
    return console(region, "cloudwatch/home", f"alarmsV2:alarm/{quote(name, safe='')}")


def metric_url(key: MetricKey, start: datetime | str, end: datetime | str, period: int = 60,
               region: str | None = None) -> str:
    """The metrics console graphing exactly this metric (namespace, name, dimensions, stat) over [start, end]."""
    region = region or key.region or "us-east-1"
    parts = [key.namespace, key.name] + [p for dim in key.dimensions for p in dim]
    metric = "(" + "".join(f"~{tilde_value(p)}" for p in parts) + ")"
    graph = (f"~(metrics~(~{metric})~view~'timeSeries~stacked~false~region~{tilde_value(region)}"
             f"~stat~{tilde_value(key.stat)}~period~{int(period)}"
             f"~start~{tilde_value(console_time(start))}~end~{tilde_value(console_time(end))})")
    return console(region, "cloudwatch/home", f"metricsV2:graph={graph}")


def logs_insights_url(region: str, log_groups: Sequence[str], query: str, start: datetime | str,
                      end: datetime | str) -> str:
    """Logs Insights with this query, these log groups and this absolute UTC time range."""
    sources = "".join(f"~{tilde_value(g)}" for g in log_groups)
    detail = (f"~(end~{tilde_value(console_time(end))}~start~{tilde_value(console_time(start))}"
              f"~timeType~'ABSOLUTE~tz~'UTC~editorString~{tilde_value(query)}~isLiveTail~false"
              f"~source~({sources}))")
    return console(region, "cloudwatch/home", f"logsV2:logs-insights$3FqueryDetail$3D{detail}")


def log_events_url(region: str, log_group: str, start: datetime | str, end: datetime | str) -> str:
    """The log group's events between start and end (what FilterLogEvents read)."""
    def ms(v: datetime | str) -> int:
        when = datetime.fromisoformat(v.replace("Z", "+00:00")) if isinstance(v, str) else v
        return int(when.timestamp() * 1000)

    fragment = (f"logsV2:log-groups/log-group/{dollar_quote(log_group, 2)}/log-events"
                f"{dollar_quote(f'?start={ms(start)}&end={ms(end)}')}")
    return console(region, "cloudwatch/home", fragment)


def resource_url(resource: ResourceRef, default_region: str) -> str | None:
    """The resource's own console page (None for types without one)."""
    region = resource.region or default_region
    rid, props = resource.id, resource.properties
    if resource.type == "lambda":
        return console(region, "lambda/home", f"/functions/{quote(rid, safe='')}")
    if resource.type == "rds":
        return console(region, "rds/home", f"database:id={quote(rid, safe='')};is-cluster=false")
    if resource.type == "ec2":
        return console(region, "ec2/home", f"InstanceDetails:instanceId={quote(rid, safe='')}")
    if resource.type == "ecs":
        cluster, _, service = rid.partition("/")
        service = service or str(props.get("service") or cluster)
        return console(region, f"ecs/v2/clusters/{quote(cluster, safe='')}/services/{quote(service, safe='')}/health")
    if resource.type == "apigateway":
        api_id = props.get("api_id")
        if isinstance(api_id, str) and api_id:
            return console(region, f"apigateway/main/apis/{quote(api_id, safe='')}/resources",
                           extra_query=f"api={quote(api_id, safe='')}")
        return console(region, "apigateway/main/apis", extra_query=f"search={quote(rid, safe='')}")
    if resource.type == "alb":
        name = str(props.get("name") or (rid.split("/")[1] if rid.count("/") >= 2 else rid))
        return console(region, "ec2/home", f"LoadBalancers:search={quote(name, safe='')}")
    return None


def change_url(change: Change, default_region: str) -> str:
    """CloudTrail event history: the event itself when its id is a CloudTrail EventId, else by resource name."""
    region = change.region or default_region
    if change.source == "cloudtrail" and _UUID.match(change.id or ""):
        return console(region, "cloudtrailv2/home", f"/events/{quote(change.id, safe='')}")
    if change.resource_name:
        return console(region, "cloudtrailv2/home", f"/events?ResourceName={quote(change.resource_name, safe='')}")
    return console(region, "cloudtrailv2/home", f"/events?EventName={quote(change.event_name, safe='')}")


def build_links(alarm: Alarm, resources: Iterable[ResourceRef], metrics: Iterable[tuple[str, MetricKey, int]],
                log_queries: Iterable[Mapping[str, Any]], changes: Iterable[Change],
                window_start: datetime, window_end: datetime) -> dict[str, Any]:
    """``{alarm, resources: {id: url}, metrics: {series id: url}, log_groups: {group: url}, log_queries: [...],
    changes: {change id: url}}``; log groups open the exact query (or the events read) over the exact range."""
    region = alarm.region
    out: dict[str, Any] = {"alarm": alarm_url(region, alarm.name), "resources": {}, "metrics": {},
                           "log_groups": {}, "log_queries": [], "changes": {}}
    for r in resources:
        url = resource_url(r, region)
        if url:
            out["resources"].setdefault(r.id, url)
    for series_id, key, period in metrics:
        out["metrics"].setdefault(series_id, metric_url(key, window_start, window_end, period, key.region or region))
    spans: dict[str, list[Any]] = {}
    for q in log_queries:
        group = q.get("log_group")
        if not group or not q.get("start") or not q.get("end"):
            continue
        where = q.get("region") or region  # a group read in another region opens there
        url = (logs_insights_url(where, [group], q["query"], q["start"], q["end"]) if q.get("query")
               else log_events_url(where, group, q["start"], q["end"]))
        out["log_queries"].append({"log_group": group, "window": q.get("window"), "url": url})
        span = spans.setdefault(group, [q["start"], q["end"], q.get("query"), where])
        span[0], span[1] = min(span[0], q["start"], key=_ts), max(span[1], q["end"], key=_ts)
    for group, (start, end, query, where) in spans.items():
        out["log_groups"][group] = (logs_insights_url(where, [group], query, start, end) if query
                                    else log_events_url(where, group, start, end))
    for c in changes:
        out["changes"].setdefault(c.id, change_url(c, region))
    return out


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


__all__ = ["build_links", "alarm_url", "metric_url", "logs_insights_url", "log_events_url", "resource_url",
           "change_url", "tilde_value", "console_time", "console"]
