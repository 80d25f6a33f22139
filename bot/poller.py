"""Poller: one pass over CloudWatch in every configured region, turned into current incidents.

Per region a poll costs one DescribeAlarms (state ALARM) plus ceil(series / 500)
GetMetricData calls (the adapter batches); resource discovery and the CWAgent
ListMetrics are cached for ``discovery_ttl``. Derived rates are computed
client-side, series pass the "current, sustained, material" gates, and the
signals are grouped into incidents (:mod:`analyzers.grouping`). The poller keeps
the open incidents between polls so keys stay stable and it can report what is
new, updated or resolved (:attr:`Poller.last_changes`). With ``aws.accounts``
every account x region is polled and grouped on its own; incident keys and
titles name the account, and an account that cannot be read (its role cannot be
assumed) is reported in :class:`PollStats` and skipped, the others still polled.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from analyzers.catalog import (WatchRule, listed_dimension_sets, published_with_more_dimensions, resource_dimensions,
                               watch_rules)
from analyzers.detection import StaticThreshold
from analyzers.grouping import Changes, Relations, carry_keys, diff, group_signals
from analyzers.incidents import Incident, Signal
from analyzers.model import Alarm, MetricKey, ResourceRef, Series
from analyzers.redaction import RedactionConfig, Redactor
from analyzers.series_math import (DEFAULT_GATES, Gates, anomaly_candidates, anomaly_signal, derive_rates,
                                   threshold_signal)
from bot.aws import AwsError, account_problem, accounts_of
from bot.aws.cloudwatch import MetricQuery

log = logging.getLogger(__name__)

SMALL_INVENTORY = 10  # at most this many watched resources in a region: its API / load balancer fronts them all
MIN_POLL_POINTS = 180  # points a poll reads of each series at least (see Poller.lookback_for)...
MAX_LOOKBACK = timedelta(hours=24)  # ...within this


@dataclass
class PollStats:
    """Figures of the last poll (for logs, the watch command and the benchmark)."""

    regions: int = 0
    resources: int = 0
    series: int = 0
    derived: int = 0
    signals: int = 0
    incidents: int = 0
    cpu_seconds: float = 0.0
    failed_regions: list[str] = field(default_factory=list)  # "region", or "account/region" with accounts
    small_regions: set[str] = field(default_factory=set)
    failed_accounts: dict[str, str] = field(default_factory=dict)  # account name -> why it was skipped
    silent_resources: list[str] = field(default_factory=list)  # listed resources (--resources-file) with no
    # datapoint in any watched metric of any region: a wrong id or region, or a resource that does not exist
    heard: set[tuple[str, str]] = field(default_factory=set)  # (type, id) with datapoints in this poll
    watched: set[tuple[str, str]] = field(default_factory=set)  # (type, id) of every resource polled
    unknown_overrides: list[str] = field(default_factory=list)  # per-resource thresholds naming no watched resource


@dataclass(frozen=True)
class _Planned:
    query: MetricQuery
    resource: ResourceRef
    rule: WatchRule


def _parts(runtime_or_parts: Any) -> tuple[Any, Any]:
    if isinstance(runtime_or_parts, tuple):
        return runtime_or_parts[0], runtime_or_parts[1]
    return runtime_or_parts.config, runtime_or_parts.provider


class Poller:
    """Polls CloudWatch; ``runtime_or_parts`` is a Runtime or a ``(config, provider)`` pair."""

    def __init__(self, runtime_or_parts: Any, *, resources: Sequence[ResourceRef] | None = None,
                 lookback: timedelta | None = None, relations: Relations | None = None,
                 gates: Gates = DEFAULT_GATES, resolve_after: int = 2,
                 discovery_ttl: timedelta = timedelta(minutes=30)):
        self.config, self.provider = _parts(runtime_or_parts)
        self.monitoring = self.config.monitoring
        self.explicit = list(resources) if resources is not None else None
        self.lookback = lookback or timedelta(hours=self.monitoring.history_hours)
        self.relations = relations or Relations(groups={k: tuple(v) for k, v in self.monitoring.groups.items()})
        self.gates = gates
        self.resolve_after = max(1, resolve_after)
        self.discovery_ttl = discovery_ttl
        self._rules = {svc: watch_rules(svc, dict(self.monitoring.metrics.get(svc, {})))
                       for svc in self.monitoring.services}
        for svc in self.monitoring.metrics:
            self._rules.setdefault(svc, watch_rules(svc, dict(self.monitoring.metrics[svc])))
        self._discovered: dict[tuple[str | None, str], tuple[datetime, list[ResourceRef]]] = {}
        # (account, region, namespace) -> (when listed, ListMetrics answer or None when it failed)
        self._listed: dict[tuple[str | None, str, str], tuple[datetime, list[tuple[str, dict[str, str]]] | None]] = {}
        self._open: dict[str, Incident] = {}
        self._misses: dict[str, int] = {}
        self._warned: set[str] = set()  # per-resource thresholds already named as matching no resource
        redaction = self.config.redaction  # alarm state reasons are free text (SetAlarmState): Slack, `watch`
        self._redaction = RedactionConfig(emails=redaction.emails, ip_addresses=redaction.ip_addresses,  # and the
                                          extra_patterns=tuple(redaction.extra_patterns))  # database see them redacted
        self.last_changes = Changes()
        self.last_stats = PollStats()

    # The poll ----------------------------------------------------------------------------------
    def poll(self, now: datetime | None = None) -> list[Incident]:
        """Open incidents now, plus those that resolved in this poll (``state="resolved"``)."""
        started = time.process_time()
        now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        stats = PollStats()
        current: list[Incident] = []
        errors: list[AwsError] = []
        failed: set[str | None] = set()
        for account in accounts_of(self.provider):
            name = getattr(account, "account", None)
            found, account_errors = self._poll_account(account, name, now, stats)
            if account_errors:
                failed.add(name)
                errors.extend(account_errors)
            previous = [i for i in self._open.values() if i.account == name]
            current.extend(carry_keys(previous, found))
        if errors and len(stats.failed_regions) == stats.regions:
            raise errors[0]
        if self.explicit is not None:
            stats.silent_resources = [f"{r.type} {r.id}" + (f" in {r.region}" if r.region else "")
                                      for r in self.explicit if (r.type, r.id) not in stats.heard]
        if not failed:
            self._check_overrides(stats)
        result = self._track(current, failed)
        stats.incidents = sum(1 for i in result if i.state == "open")
        stats.cpu_seconds = time.process_time() - started
        self.last_stats = stats
        log.info("poll: %d series (+%d derived), %d signals, %d open incidents",
                 stats.series, stats.derived, stats.signals, stats.incidents)
        return result

    def _poll_account(self, account: Any, name: str | None, now: datetime,
                      stats: PollStats) -> tuple[list[Incident], list[AwsError]]:
        """Every region of one account, grouped into that account's incidents (tagged when it has a name)."""
        signals: list[Signal] = []
        alarms: list[Alarm] = []
        errors: list[AwsError] = []
        small: set[str] = set()
        for i, region in enumerate(account.regions):
            stats.regions += 1
            label = f"{name}/{region}" if name else region
            try:
                region_signals, region_alarms = self._poll_region(account, name, region, now, stats, small)
            except AwsError as exc:
                log.warning("poll of %s failed: %s %s", label, exc.operation, exc.code)
                stats.failed_regions.append(label)
                errors.append(exc)
                if name and exc.operation == "AssumeRole":  # the whole account is unreadable: skip its regions
                    stats.failed_accounts[name] = account_problem(account, region, exc)
                    log.warning("poll: %s; skipped", stats.failed_accounts[name])
                    rest = account.regions[i + 1:]
                    stats.regions += len(rest)
                    stats.failed_regions.extend(f"{name}/{r}" for r in rest)
                    break
                continue
            signals.extend(region_signals)
            alarms.extend(region_alarms)
        stats.signals += len(signals)
        relations = replace(self.relations, front_door_regions=self.relations.front_door_regions | frozenset(small))
        found = group_signals(signals, alarms, now=now, relations=relations, default_region=account.regions[0])
        return ([_in_account(i, name, alarms) for i in found] if name else found), errors

    def _poll_region(self, account: Any, name: str | None, region: str, now: datetime, stats: PollStats,
                     small: set[str]) -> tuple[list[Signal], list[Alarm]]:
        gateway = account.region(region)
        scope = (name, region)
        resources = self._resources(gateway, scope, now)
        stats.resources += len(resources)
        stats.watched.update(r.key for r in resources)
        if len(resources) <= SMALL_INVENTORY:
            stats.small_regions.add(f"{name}/{region}" if name else region)
            small.add(region)
        plan = self._plan(gateway, scope, resources, now)
        end = now.replace(second=0, microsecond=0)
        series = self._fetch(gateway, plan, end)
        stats.series += len(series)
        watched: list[tuple[Series, ResourceRef, WatchRule]] = [
            (one, planned.resource, planned.rule) for planned, one in zip(plan, series)]
        wanted = {r.metric for rules in self._rules.values() for r in rules if r.derived is not None}
        by_identity = {(p.query.key.dimensions, p.resource.type): p.resource for p in plan}
        derived = derive_rates(series, wanted)
        stats.derived += len(derived)
        for one in derived:
            resource = one.key.resource()
            if resource is None:
                continue
            resource = by_identity.get((one.key.dimensions, resource.type), resource)
            rule = next((r for r in self._rules.get(resource.type, ()) if r.metric == one.key.name), None)
            if rule is not None:
                watched.append((one, resource, rule))
        signals = self._signals(watched, now)
        redactor = Redactor(self._redaction)
        alarms = [replace(a, state_reason=redactor.redact(a.state_reason)) if a.state_reason else a
                  for a in gateway.describe_alarms(state="ALARM")]
        if self.explicit is not None:  # only what was listed: its alarms, and a word on listed ones never seen
            listed = {r.key for r in resources}
            alarms = [a for a in alarms if a.resource is not None and a.resource.key in listed]
            stats.heard.update((r.type, r.id) for r, one in ((p.resource, o) for p, o in zip(plan, series))
                               if one.values)
        return signals, alarms

    def _signals(self, watched: list[tuple[Series, ResourceRef, WatchRule]], now: datetime) -> list[Signal]:
        """Threshold breaches, then the detector on the series the vectorised pre-screen lets through."""
        out: list[Signal] = []
        for series, resource, rule in watched:
            threshold = rule.threshold_for(resource.id)
            if threshold is not None:
                found = threshold_signal(series, resource, StaticThreshold(threshold, rule.comparison),
                                         rule.period, now, self.gates)
                if found is not None:
                    out.append(found)
        candidates = anomaly_candidates([w[0] for w in watched], [w[2].period for w in watched], now, self.gates)
        for (series, resource, rule), candidate in zip(watched, candidates):
            if candidate:
                found = anomaly_signal(series, resource, rule.period, now, self.gates, screened=True)
                if found is not None:
                    out.append(found)
        return out

    def _check_overrides(self, stats: PollStats) -> None:
        """Name (once a process) the per-resource thresholds of ``monitoring.metrics`` whose resource id no
        region has: a typo there would leave that resource on the metric's general threshold unnoticed."""
        if self.explicit is not None:  # only the listed resources are watched: the others are not typos
            return
        for service, rules in self._rules.items():
            for rule in rules:
                for rid, _ in rule.per_resource:
                    if (service, rid) in stats.watched:
                        continue
                    item = f"{service} {rule.metric} threshold for {rid!r}"
                    stats.unknown_overrides.append(item)
                    if item not in self._warned:
                        self._warned.add(item)
                        log.warning("monitoring.metrics: %s: no watched %s has that id (a typo?)", item, service)

    def lookback_for(self, period: int) -> timedelta:
        """How far back a series of ``period`` seconds is read: ``history_hours``, stretched for long periods to
        MIN_POLL_POINTS points (what three hours of one-minute data give the detector; five-minute EC2 basic
        monitoring would have 36), at most MAX_LOOKBACK."""
        wanted = min(timedelta(seconds=MIN_POLL_POINTS * period), MAX_LOOKBACK)
        return max(self.lookback, wanted)

    def _fetch(self, gateway: Any, plan: list[_Planned], end: datetime) -> list[Series]:
        """Every planned series, in plan order: one batched GetMetricData run per distinct look-back (series of
        one period share one; usually one or two runs a poll)."""
        by_start: dict[datetime, list[int]] = {}
        for i, planned in enumerate(plan):
            by_start.setdefault(end - self.lookback_for(planned.query.period), []).append(i)
        fetched: dict[int, Series] = {}
        for start, indices in by_start.items():
            fetched.update(zip(indices, gateway.get_metric_data([plan[i].query for i in indices], start, end)))
        return [fetched[i] for i in range(len(plan))]

    # What to fetch ------------------------------------------------------------------------------
    def _resources(self, gateway: Any, scope: tuple[str | None, str], now: datetime) -> list[ResourceRef]:
        region = scope[1]
        services = {name: svc for name, svc in self.monitoring.services.items() if svc.enabled}
        chosen: dict[tuple[str, str], ResourceRef] = {}
        for name, svc in services.items():
            for rid in svc.resources:
                chosen[(name, rid)] = ResourceRef(name, rid, region)
        if self.explicit is not None:
            for ref in self.explicit:
                if ref.region in (None, region):
                    chosen[ref.key] = ResourceRef(ref.type, ref.id, region, ref.properties)
            return list(chosen.values())
        to_discover = {name for name, svc in services.items() if not svc.resources}
        if to_discover:
            for ref in self._discover(gateway, scope, now):
                if ref.type in to_discover:
                    chosen.setdefault(ref.key, ref)
        return list(chosen.values())

    def _discover(self, gateway: Any, scope: tuple[str | None, str], now: datetime) -> list[ResourceRef]:
        cached = self._discovered.get(scope)
        if cached and now - cached[0] < self.discovery_ttl:
            return cached[1]
        found = gateway.list_resources()
        self._discovered[scope] = (now, found)
        return found

    def _plan(self, gateway: Any, scope: tuple[str | None, str], resources: Sequence[ResourceRef],
              now: datetime) -> list[_Planned]:
        region = scope[1]
        plan: list[_Planned] = []
        for resource in resources:
            dims = resource_dimensions(resource)
            if not dims:
                continue
            for rule in self._rules.get(resource.type, ()):
                if rule.derived is not None:
                    continue
                if published_with_more_dimensions(rule.namespace, rule.metric):  # the agent's disk path, a target group
                    for full_dims in self._listed_dimensions(gateway, scope, now, rule.namespace, rule.metric, dims):
                        key = MetricKey.of(rule.namespace, rule.metric, full_dims, rule.stat, region)
                        plan.append(_Planned(MetricQuery(key, rule.period), resource, rule))
                    continue
                key = MetricKey.of(rule.namespace, rule.metric, dims, rule.stat, region)
                plan.append(_Planned(MetricQuery(key, rule.period), resource, rule))
        return plan

    def _listed_dimensions(self, gateway: Any, scope: tuple[str | None, str], now: datetime, namespace: str,
                           metric: str, dims: dict[str, str]) -> list[dict[str, str]]:
        """The real dimension sets of a resource's metric, from ListMetrics (cached for ``discovery_ttl``):
        the CloudWatch agent's (path, fstype...), a balancer's per target group."""
        cached = self._listed.get((*scope, namespace))
        if cached is None or now - cached[0] >= self.discovery_ttl:
            try:
                listed: list[tuple[str, dict[str, str]]] | None = gateway.list_metrics(namespace)
            except AwsError as exc:
                log.warning("ListMetrics %s in %s failed (%s); using the resource's dimensions only", namespace,
                            scope[1], exc.code)
                listed = None
            cached = (now, listed)
            self._listed[(*scope, namespace)] = cached
        listed = cached[1]
        if listed is None:
            return [dims]
        return listed_dimension_sets(listed, metric, dims)

    # Continuity -----------------------------------------------------------------------------------
    def _track(self, current: list[Incident], failed: set[str | None]) -> list[Incident]:
        """New/updated/resolved; an account with a failed region resolves nothing (it may not have seen it)."""
        previous = dict(self._open)
        seen = {i.key for i in current}
        resolved: list[Incident] = []
        kept: list[Incident] = []
        for key, prior in previous.items():
            if key in seen:
                self._misses.pop(key, None)
                continue
            blind = prior.account in failed
            misses = self._misses.get(key, 0) + (0 if blind else 1)
            if not blind and (key.startswith("alarm:") or misses >= self.resolve_after):
                resolved.append(replace(prior, state="resolved"))
                self._misses.pop(key, None)
            else:
                self._misses[key] = misses
                kept.append(prior)
        self._open = {i.key: i for i in current + kept}
        self.last_changes = diff(previous, current, resolved)
        return current + kept + resolved


def _in_account(incident: Incident, account: str, alarms: Sequence[Alarm]) -> Incident:
    """The incident of one named account: its key and title name the account; ``alarm_name`` is the alarm's ARN
    (so that "Investigate" picks this account even when another one has an alarm of the same name)."""
    kind, _, rest = incident.key.partition(":")
    arn = next((a.arn for a in alarms if a.name == incident.alarm_name and a.region == incident.region and a.arn),
               None)
    return replace(incident, key=f"{kind}:{account}:{rest}", title=f"[{account}] {incident.title}",
                   account=account, alarm_name=arn or incident.alarm_name)
