"""What changed: CloudTrail LookupEvents and resource metadata (Lambda versions, ECS deployments, RDS events).

Each function returns :class:`analyzers.model.Change` records; read-only API
calls (Get*, Describe*, List*) are dropped since they change nothing.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from analyzers.model import Change, ResourceRef

from .clients import call

log = logging.getLogger(__name__)

_READ_PREFIXES = ("Get", "Describe", "List", "Lookup", "Head", "Search", "Select", "Batch Get")
_RESOURCE_PARAM_KEYS = ("functionName", "dBInstanceIdentifier", "service", "cluster", "instanceId",
                        "loadBalancerArn", "restApiId", "roleName", "policyArn", "name")


def lookup_events(client: Any, region: str, start: datetime, end: datetime, max_events: int = 1000,
                  event_source: str | None = None) -> list[Change]:
    """Write (management) events in [start, end] from CloudTrail, oldest first.

    With ``event_source`` (``iam.amazonaws.com``) only that service's events are looked up
    (LookupEvents takes one attribute, so read-only calls are then dropped here by name).
    """
    attribute = ({"AttributeKey": "EventSource", "AttributeValue": event_source} if event_source
                 else {"AttributeKey": "ReadOnly", "AttributeValue": "false"})
    kwargs: dict[str, Any] = {"StartTime": start, "EndTime": end, "MaxResults": 50, "LookupAttributes": [attribute]}
    changes: list[Change] = []
    while len(changes) < max_events:
        page = call("LookupEvents", client.lookup_events, **kwargs)
        for event in page.get("Events", []):
            change = change_from_event(event, region)
            if change is not None:
                changes.append(change)
        token = page.get("NextToken")
        if not token:
            break
        kwargs["NextToken"] = token
    return sorted(changes, key=lambda c: c.time)


def change_from_event(event: dict[str, Any], region: str) -> Change | None:
    """A CloudTrail ``Event`` as a Change, or None for read-only calls."""
    name = event.get("EventName", "")
    if name.startswith(_READ_PREFIXES):
        return None
    resources = event.get("Resources") or []
    rtype = resources[0].get("ResourceType") if resources else None
    rname = resources[0].get("ResourceName") if resources else None
    if rname is None:
        rname = _resource_from_payload(event.get("CloudTrailEvent"))
    when = event["EventTime"]
    when = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    return Change(id=str(event.get("EventId", "")), time=when, event_source=event.get("EventSource", ""),
                  event_name=name, resource_type=rtype, resource_name=rname,
                  username=event.get("Username"), region=region, source="cloudtrail")


def _resource_from_payload(payload: str | None) -> str | None:
    if not payload:
        return None
    try:
        params = json.loads(payload).get("requestParameters") or {}
    except (ValueError, AttributeError):
        return None
    for key in _RESOURCE_PARAM_KEYS:
        value = params.get(key)
        if isinstance(value, str) and value:
            return value.rsplit(":", 1)[-1] if value.startswith("arn:") and key == "functionName" else value
    return None


def list_function_versions(client: Any, function: str) -> list[dict[str, Any]]:
    """Every version of a function ($LATEST and the published ones), all pages."""
    versions: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"FunctionName": function}
    while True:
        page = call("ListVersionsByFunction", client.list_versions_by_function, **kwargs)
        versions += page.get("Versions", [])
        if not page.get("NextMarker"):
            return versions
        kwargs["Marker"] = page["NextMarker"]


def lambda_version_changes(client: Any, function: str, region: str) -> list[Change]:
    """Published versions and the last modification of a function, as changes."""
    out: list[Change] = []
    for version in list_function_versions(client, function):
        modified = _parse_lambda_time(version.get("LastModified"))
        if modified is None:
            continue
        label = version.get("Version", "")
        event = "LastModified" if label == "$LATEST" else f"PublishVersion:{label}"
        out.append(Change(id=f"lambda:{function}:{label}", time=modified, event_source="lambda.amazonaws.com",
                          event_name=event, resource_type="AWS::Lambda::Function", resource_name=function,
                          region=region, source="lambda-metadata"))
    return out


def ecs_deployment_changes(client: Any, cluster: str, service: str, region: str) -> list[Change]:
    """ECS service deployments (task definition roll-outs) as changes."""
    page = call("DescribeServices", client.describe_services, cluster=cluster, services=[service])
    out: list[Change] = []
    for svc in page.get("services", []):
        for dep in svc.get("deployments", []):
            created = dep.get("createdAt")
            if not isinstance(created, datetime):
                continue
            out.append(Change(id=f"ecs:{dep.get('id', '')}", time=created.astimezone(timezone.utc),
                              event_source="ecs.amazonaws.com",
                              event_name=f"Deployment:{dep.get('taskDefinition', '').rsplit('/', 1)[-1]}",
                              resource_type="AWS::ECS::Service", resource_name=f"{cluster}/{service}",
                              region=region, source="ecs-metadata"))
    return out


def rds_event_changes(client: Any, instance: str, region: str, start: datetime, end: datetime) -> list[Change]:
    """RDS events (reboots, parameter changes, failovers) for an instance."""
    page = call("DescribeEvents", client.describe_events, SourceIdentifier=instance,
                SourceType="db-instance", StartTime=start, EndTime=end)
    out: list[Change] = []
    for i, event in enumerate(page.get("Events", [])):
        when = event.get("Date")
        if not isinstance(when, datetime):
            continue
        out.append(Change(id=f"rds:{instance}:{i}", time=when.astimezone(timezone.utc),
                          event_source="rds.amazonaws.com", event_name=f"RDSEvent:{event.get('Message', '')}",
                          resource_type="AWS::RDS::DBInstance", resource_name=instance, region=region,
                          source="rds-events"))
    return out


def resource_metadata_changes(factory: Any, ref: ResourceRef, region: str, start: datetime,
                              end: datetime) -> list[Change]:
    """Metadata-derived changes for one resource (service-specific)."""
    if ref.type == "lambda":
        return lambda_version_changes(factory.client("lambda", region), ref.id, region)
    if ref.type == "ecs" and "/" in ref.id:
        cluster, service = ref.id.split("/", 1)
        return ecs_deployment_changes(factory.client("ecs", region), cluster, service, region)
    if ref.type == "rds":
        return rds_event_changes(factory.client("rds", region), ref.id, region, start, end)
    return []


def _parse_lambda_time(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(value.replace("Z", "+0000")[:31] if "." not in value else
                                     _trim_fraction(value), fmt).astimezone(timezone.utc)
        except ValueError:
            continue
    return None


def _trim_fraction(value: str) -> str:
    head, frac = value.split(".", 1)
    digits = "".join(ch for ch in frac if ch.isdigit())
    zone = frac[len(digits):].replace("Z", "+0000").replace(":", "")
    return f"{head}.{digits[:6]}{zone or '+0000'}"
