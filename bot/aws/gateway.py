"""AwsGateway: everything the bot asks of one AWS region, named after the operations it wraps.

This is the adapter interface the engine talks to. The real implementation
calls boto3 (through :class:`ClientFactory`, which the sandbox points at the
local emulator); :class:`bot.sandbox.SandboxGateway` subclasses it only for the
few APIs the emulator lacks. :class:`GatewayProvider` hands out the gateways of
one account; :class:`AccountsProvider` those of several (``aws.accounts``).
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any, Sequence

from analyzers.model import Alarm, Change, LogRecord, ResourceRef, Series

from . import changes, cloudwatch, inventory, logs
from .clients import AwsError, ClientFactory
from .cloudwatch import AlarmTransition, MetricQuery
from .logs import InsightsResult

log = logging.getLogger(__name__)


class AwsGateway:
    """One region of one account. Methods raise :class:`bot.aws.AwsError` on failure."""

    insights_available = True
    account: str | None = None  # the configured account name; None with a single account

    def __init__(self, factory: ClientFactory, region: str):
        self.factory = factory
        self.region = region
        self.inventory_skipped: list[str] = []  # services the last list_resources could not list

    def _client(self, service: str):
        return self.factory.client(service, self.region)

    # CloudWatch -----------------------------------------------------------
    def describe_alarms(self, names: Sequence[str] | None = None, state: str | None = None) -> list[Alarm]:
        alarms = cloudwatch.describe_alarms(self._client("cloudwatch"), self.region, names, state)
        return [replace(a, account=self.account) for a in alarms] if self.account else alarms

    def describe_alarm_history(self, name: str, start: datetime, end: datetime) -> list[AlarmTransition]:
        return cloudwatch.describe_alarm_history(self._client("cloudwatch"), name, start, end)

    def get_metric_data(self, queries: Sequence[MetricQuery], start: datetime, end: datetime) -> list[Series]:
        return cloudwatch.get_metric_data(self._client("cloudwatch"), queries, start, end)

    def list_metrics(self, namespace: str, name: str | None = None) -> list[tuple[str, dict[str, str]]]:
        return cloudwatch.list_metrics(self._client("cloudwatch"), namespace, name)

    # Logs -----------------------------------------------------------------
    def describe_log_groups(self, prefix: str | None = None) -> list[str]:
        return logs.describe_log_groups(self._client("logs"), prefix)

    def describe_log_streams(self, group: str, prefix: str) -> list[str]:
        return logs.describe_log_streams(self._client("logs"), group, prefix)

    def filter_log_events(self, group: str, start: datetime, end: datetime, limit: int,
                          pattern: str | None = None) -> tuple[list[LogRecord], bool]:
        return logs.filter_log_events(self._client("logs"), group, start, end, limit, pattern)

    def run_insights_query(self, groups: list[str], query: str, start: datetime, end: datetime,
                           limit: int, max_bytes: float | None = None) -> InsightsResult:
        return logs.run_insights_query(self._client("logs"), groups, query, start, end, limit,
                                       max_bytes=max_bytes)

    # Changes and resources -----------------------------------------------
    def lookup_events(self, start: datetime, end: datetime, event_source: str | None = None) -> list[Change]:
        return changes.lookup_events(self._client("cloudtrail"), self.region, start, end, event_source=event_source)

    def resource_metadata_changes(self, ref: ResourceRef, start: datetime, end: datetime) -> list[Change]:
        return changes.resource_metadata_changes(self.factory, ref, self.region, start, end)

    def list_resources(self) -> list[ResourceRef]:
        """The region's inventory; the services that could not be listed are in ``inventory_skipped`` after."""
        self.inventory_skipped = []
        return inventory.list_resources(self.factory, self.region, skipped=self.inventory_skipped)

    def get_lambda_concurrency(self, function: str) -> int | None:
        return inventory.get_lambda_concurrency(self.factory, self.region, function)

    def get_lambda_release(self, function: str) -> dict[str, object]:
        return inventory.get_lambda_release(self.factory, self.region, function)


class GatewayProvider:
    """Hands out one gateway per configured region of one account (the object graph's AWS door)."""

    def __init__(self, factory: ClientFactory, regions: Sequence[str], gateway_cls: type[AwsGateway] = AwsGateway,
                 *, account: str | None = None, account_id: str | None = None, **gateway_kwargs: object):
        self.factory = factory
        self.regions = list(regions)
        self.account = account
        self.account_id = account_id
        self._cls = gateway_cls
        self._kwargs = gateway_kwargs
        self._cache: dict[str, AwsGateway] = {}

    def region(self, region: str, account: str | None = None) -> AwsGateway:
        if account is not None and account != self.account:
            raise KeyError(f"account {account} is not configured")
        if region not in self._cache:
            gateway = self._cls(self.factory, region, **self._kwargs)  # type: ignore[arg-type]
            gateway.account = self.account
            self._cache[region] = gateway
        return self._cache[region]

    def all(self) -> list[AwsGateway]:
        return [self.region(r) for r in self.regions]

    def accounts(self) -> list[GatewayProvider]:
        return [self]


class AccountsProvider:
    """Several accounts (one :class:`GatewayProvider` each, with its own regions): (account, region) -> gateway.

    ``regions`` is the union of the accounts' regions, in configuration order.
    """

    def __init__(self, providers: Sequence[GatewayProvider]):
        if not providers:
            raise ValueError("AccountsProvider needs at least one account")
        self._providers = {p.account: p for p in providers}
        self.regions = list(dict.fromkeys(r for p in providers for r in p.regions))

    def accounts(self) -> list[GatewayProvider]:
        return list(self._providers.values())

    def account(self, name: str) -> GatewayProvider:
        if name not in self._providers:
            raise KeyError(f"account {name} is not configured (aws.accounts: {', '.join(map(str, self._providers))})")
        return self._providers[name]

    def by_id(self, account_id: str) -> GatewayProvider | None:
        return next((p for p in self._providers.values() if p.account_id == account_id), None)

    def region(self, region: str, account: str | None = None) -> AwsGateway:
        if account is None:
            if len(self._providers) > 1:
                raise KeyError("several accounts are configured: say which one")
            return self.accounts()[0].region(region)
        return self.account(account).region(region)

    def all(self) -> list[AwsGateway]:
        return [g for p in self._providers.values() for g in p.all()]


def accounts_of(provider: Any) -> list[Any]:
    """The per-account providers of ``provider`` (itself when it knows no accounts, like a test fake)."""
    listed = getattr(provider, "accounts", None)
    return listed() if callable(listed) else [provider]


def gateway_of(provider: Any, region: str, account: str | None = None) -> AwsGateway:
    """The gateway of ``region`` in ``account`` (None: the provider's only account)."""
    return provider.region(region) if account is None else provider.region(region, account)


def account_problem(account: Any, region: str, exc: AwsError) -> str:
    """One user-facing line for an account (or one of its regions) that could not be read."""
    if exc.operation == "AssumeRole":
        role = getattr(getattr(account, "factory", None), "role_arn", None) or "its role"
        return f"account {account.account}: cannot assume {role} ({exc.code}: {exc.message})"
    return f"account {account.account} in {region}: {exc.operation} failed ({exc.code}: {exc.message})"
