"""AwsGateway: everything the bot asks of one AWS region, named after the operations it wraps.

This is the adapter interface the engine talks to. The real implementation
calls boto3 (through :class:`ClientFactory`, which the sandbox points at the
local emulator); :class:`bot.sandbox.SandboxGateway` subclasses it only for the
few APIs the emulator lacks.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Sequence

from analyzers.model import Alarm, Change, LogRecord, ResourceRef, Series

from . import changes, cloudwatch, inventory, logs
from .clients import ClientFactory
from .cloudwatch import AlarmTransition, MetricQuery
from .logs import InsightsResult

log = logging.getLogger(__name__)


class AwsGateway:
    """One region of one account. Methods raise :class:`bot.aws.AwsError` on failure."""

    insights_available = True

    def __init__(self, factory: ClientFactory, region: str):
        self.factory = factory
        self.region = region

    def _client(self, service: str):
        return self.factory.client(service, self.region)

    # CloudWatch -----------------------------------------------------------
    def describe_alarms(self, names: Sequence[str] | None = None, state: str | None = None) -> list[Alarm]:
        return cloudwatch.describe_alarms(self._client("cloudwatch"), self.region, names, state)

    def describe_alarm_history(self, name: str, start: datetime, end: datetime) -> list[AlarmTransition]:
        return cloudwatch.describe_alarm_history(self._client("cloudwatch"), name, start, end)

    def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> list[Series]:
        return cloudwatch.get_metric_data(self._client("cloudwatch"), queries, start, end)

    def list_metrics(self, namespace: str, name: str | None = None) -> list[tuple[str, dict[str, str]]]:
        return cloudwatch.list_metrics(self._client("cloudwatch"), namespace, name)

    # Logs -----------------------------------------------------------------
    def describe_log_groups(self, prefix: str | None = None) -> list[str]:
        return logs.describe_log_groups(self._client("logs"), prefix)

    def filter_log_events(self, group: str, start: datetime, end: datetime, limit: int,
                          pattern: str | None = None) -> tuple[list[LogRecord], bool]:
        return logs.filter_log_events(self._client("logs"), group, start, end, limit, pattern)

    def run_insights_query(self, groups: list[str], query: str, start: datetime, end: datetime,
                           limit: int, max_bytes: float | None = None) -> InsightsResult:
        return logs.run_insights_query(self._client("logs"), groups, query, start, end, limit,
                                       max_bytes=max_bytes)

    # Changes and resources -----------------------------------------------
    def lookup_events(self, start: datetime, end: datetime) -> list[Change]:
        return changes.lookup_events(self._client("cloudtrail"), self.region, start, end)

    def resource_metadata_changes(self, ref: ResourceRef, start: datetime, end: datetime) -> list[Change]:
        return changes.resource_metadata_changes(self.factory, ref, self.region, start, end)

    def list_resources(self) -> list[ResourceRef]:
        return inventory.list_resources(self.factory, self.region)

    def get_lambda_concurrency(self, function: str) -> int | None:
        return inventory.get_lambda_concurrency(self.factory, self.region, function)

    def get_lambda_release(self, function: str) -> dict[str, object]:
        return inventory.get_lambda_release(self.factory, self.region, function)


class GatewayProvider:
    """Hands out one gateway per configured region (the object graph's AWS door)."""

    def __init__(self, factory: ClientFactory, regions: Sequence[str], gateway_cls: type[AwsGateway] = AwsGateway,
                 **gateway_kwargs: object):
        self.factory = factory
        self.regions = list(regions)
        self._cls = gateway_cls
        self._kwargs = gateway_kwargs
        self._cache: dict[str, AwsGateway] = {}

    def region(self, region: str) -> AwsGateway:
        if region not in self._cache:
            self._cache[region] = self._cls(self.factory, region, **self._kwargs)  # type: ignore[arg-type]
        return self._cache[region]

    def all(self) -> list[AwsGateway]:
        return [self.region(r) for r in self.regions]
