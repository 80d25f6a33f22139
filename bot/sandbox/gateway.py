"""SandboxGateway: the real AwsGateway, plus scenario data for what the emulator lacks.

moto 5.2 has no CloudTrail LookupEvents and no DescribeAlarmHistory, ignores
Logs Insights filters and stats, and cannot keep the scenario's EC2/ALB ids.
For exactly those, this subclass answers from the scenario in the same shapes
the real adapter returns; everything else goes to the emulator over HTTP.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Sequence

from analyzers.model import Alarm, Change, ResourceRef
from bot.aws import inventory
from bot.aws.clients import AwsError, ClientFactory
from bot.aws.cloudwatch import AlarmTransition
from bot.aws.gateway import AwsGateway
from bot.aws.logs import InsightsResult

from .scenario import Scenario

_EMULATOR_LISTED = ("lambda", "rds", "ecs", "apigateway")
SEEDING_STAMPS = timedelta(minutes=2)  # seeding a scenario takes seconds; what moto stamped then is no change
SEEDING_TIME = timedelta(minutes=15)  # an alarm stamped later than this after loading changed state since


class SandboxGateway(AwsGateway):
    """One region of the sandbox account."""

    insights_available = False

    def __init__(self, factory: ClientFactory, region: str, scenario: Scenario, seeded_at: datetime | None = None):
        """``seeded_at``: when the emulator was seeded (the stamp moto puts on the alarms it created); by
        default the scenario's ``loaded_at`` (they differ when a resume reloads a scenario on its old clock)."""
        super().__init__(factory, region)
        self.scenario = scenario
        self.seeded_at = seeded_at or scenario.loaded_at

    def lookup_events(self, start: datetime, end: datetime, event_source: str | None = None) -> list[Change]:
        out = []
        for change in self.scenario.changes:
            when = self.scenario.at(change.time)
            if self.scenario.region_of(change) != self.region or not (start <= when <= end):
                continue
            if event_source is not None and change.event_source != event_source:
                continue
            digest = hashlib.sha1(f"{change.time}{change.event_name}{change.resource_name}".encode()).hexdigest()
            out.append(Change(id=digest[:12], time=when, event_source=change.event_source,
                              event_name=change.event_name, resource_type=change.resource_type,
                              resource_name=change.resource_name, username=change.username,
                              region=self.region, source="cloudtrail"))
        return sorted(out, key=lambda c: c.time)

    def describe_alarms(self, names: Sequence[str] | None = None, state: str | None = None) -> list[Alarm]:
        """The emulator's alarms; one still in its scenario state since seeding (moto stamps the seeding time)
        changed state when the scenario says, as in the alarm history."""
        given = {a.name: a for a in self.scenario.alarms if self.scenario.region_of(a) == self.region}
        seeded_by = self.seeded_at + SEEDING_TIME
        out = []
        for alarm in super().describe_alarms(names, state):
            spec = given.get(alarm.name)
            if spec is not None and alarm.state == spec.state and (alarm.state_changed is None
                                                                   or alarm.state_changed <= seeded_by):
                alarm = replace(alarm, state_changed=self.scenario.at(spec.state_changed))
            out.append(alarm)
        return out

    def resource_metadata_changes(self, ref: ResourceRef, start: datetime, end: datetime) -> list[Change]:
        """The emulator stamps what it creates (a function's LastModified) with the seeding time: such a stamp is
        no change (a scenario states its changes under ``changes``)."""
        low, high = self.seeded_at - SEEDING_STAMPS, self.seeded_at + timedelta(minutes=1)
        return [c for c in super().resource_metadata_changes(ref, start, end) if not low <= c.time <= high]

    def describe_alarm_history(self, name: str, start: datetime, end: datetime) -> list[AlarmTransition]:
        for alarm in self.scenario.alarms:
            if alarm.name == name and self.scenario.region_of(alarm) == self.region:
                when = self.scenario.at(alarm.state_changed)
                if start <= when <= end:
                    return [AlarmTransition(when, "OK" if alarm.state != "OK" else "ALARM", alarm.state,
                                            f"Alarm updated to {alarm.state}")]
                return []
        raise AwsError("DescribeAlarmHistory", "ResourceNotFound", f"alarm {name} not found")

    def run_insights_query(self, groups: list[str], query: str, start: datetime, end: datetime,
                           limit: int, max_bytes: float | None = None) -> InsightsResult:
        raise AwsError("StartQuery", "Unavailable", "Logs Insights is not emulated in the sandbox")

    def list_resources(self) -> list[ResourceRef]:
        self.inventory_skipped = []
        listed = {r.key: r for r in inventory.list_resources(self.factory, self.region, _EMULATOR_LISTED,
                                                             skipped=self.inventory_skipped)}
        out = []
        for res in self.scenario.resources:
            if self.scenario.region_of(res) != self.region:
                continue
            emulated = listed.get((res.type, res.id))
            props = dict(emulated.properties) if emulated else {}
            props.update(res.properties)
            out.append(ResourceRef(res.type, res.id, self.region, props))
        return out
