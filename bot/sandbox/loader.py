"""Seeds the emulator from a scenario: resources, metric data, log events, alarms.

Everything the emulator can hold goes in through the normal AWS APIs
(PutMetricData, PutLogEvents, PutMetricAlarm, CreateFunction...), so the bot
reads it back through its ordinary boto3 code. EC2 instances and load balancers
are not created (the emulator would invent other ids than the scenario's).
"""
from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from analyzers.topology import as_strings
from bot.aws.clients import AwsError, ClientFactory, call

from .scenario import Scenario

log = logging.getLogger(__name__)

_METRIC_BATCH = 1000
_LOG_BATCH = 5000
_ACCOUNT = "123456789012"  # the emulator's default account


def _function_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


# Engines the emulator has no default version for (Aurora, MariaDB): a version keeps them loadable.
_ENGINE_VERSIONS = {"aurora-postgresql": "15.4", "aurora-mysql": "8.0.mysql_aurora.3.05.2", "aurora": "5.6.10a",
                    "mariadb": "10.11.6"}


def _create_db_instance(client: Any, identifier: str, props: dict[str, Any]) -> None:
    """CreateDBInstance; an engine the emulator rejects is emulated as postgres (the scenario's
    ``engine`` property still shows in the inventory, which merges the scenario's properties)."""
    engine = str(props.get("engine", "postgres"))
    version = props.get("engine_version") or _ENGINE_VERSIONS.get(engine.lower())
    common = dict(DBInstanceIdentifier=identifier, DBInstanceClass=str(props.get("instance_class", "db.t3.medium")),
                  AllocatedStorage=int(props.get("allocated_storage_gb", 20)),
                  MasterUsername="sandbox", MasterUserPassword="sandbox-password")
    try:
        call("CreateDBInstance", client.create_db_instance, Engine=engine,
             **({"EngineVersion": str(version)} if version else {}), **common)
    except AwsError as exc:
        if engine == "postgres":
            raise
        log.warning("sandbox: engine %s of %s not emulated (%s); emulating postgres", engine, identifier, exc.code)
        call("CreateDBInstance", client.create_db_instance, Engine="postgres", **common)


def seed(factory: ClientFactory, scenario: Scenario) -> dict[str, int]:
    """Load the scenario into the emulator; returns counts of what was created."""
    counts = {"resources": 0, "datapoints": 0, "log_events": 0, "alarms": 0}
    _seed_resources(factory, scenario, counts)
    _seed_metrics(factory, scenario, counts)
    _seed_logs(factory, scenario, counts)
    _seed_alarms(factory, scenario, counts)
    return counts


def _seed_resources(factory: ClientFactory, scenario: Scenario, counts: dict[str, int]) -> None:
    role_arn = None
    for res in scenario.resources:
        region = scenario.region_of(res)
        props = res.properties
        if res.type == "lambda":
            if role_arn is None:
                iam = factory.client("iam", region)
                role_arn = call("CreateRole", iam.create_role, RoleName="aiops-sandbox-lambda",
                                AssumeRolePolicyDocument="{}")["Role"]["Arn"]
            client = factory.client("lambda", region)
            env = environment_of(props)
            call("CreateFunction", client.create_function, FunctionName=res.id,
                 Runtime=str(props.get("runtime", "python3.12")), Role=role_arn, Handler="handler.handler",
                 Code={"ZipFile": _function_zip()}, Timeout=int(props.get("timeout", 30)),
                 MemorySize=int(props.get("memory_size", 512)),
                 Environment={"Variables": {str(k): str(v) for k, v in env.items()}})
            if props.get("reserved_concurrency") is not None:
                call("PutFunctionConcurrency", client.put_function_concurrency, FunctionName=res.id,
                     ReservedConcurrentExecutions=int(props["reserved_concurrency"]))
        elif res.type == "rds":
            client = factory.client("rds", region)
            _create_db_instance(client, res.id, props)
        elif res.type == "ecs" and "/" in res.id:
            client = factory.client("ecs", region)
            cluster, service = res.id.split("/", 1)
            call("CreateCluster", client.create_cluster, clusterName=cluster)
            taskdef = call("RegisterTaskDefinition", client.register_task_definition,
                           **_task_definition(scenario, service, props, region))
            call("CreateService", client.create_service, cluster=cluster, serviceName=service,
                 taskDefinition=taskdef["taskDefinition"]["taskDefinitionArn"],
                 desiredCount=int(props.get("desired_count", 2)))
        elif res.type == "apigateway":
            client = factory.client("apigateway", region)
            tags = {"_custom_id_": str(props["api_id"])} if props.get("api_id") else {}
            call("CreateRestApi", client.create_rest_api, name=res.id, tags=tags)
        else:
            continue
        counts["resources"] += 1


def environment_of(props: dict[str, Any]) -> dict[str, str]:
    """A resource's ``environment`` (or ``env``) as name -> value: a mapping, or a list of names (values unknown) or of
    ``NAME=value`` strings, as scenario authors write it."""
    env = props.get("environment") or props.get("env") or props.get("environment_variables") or {}
    if isinstance(env, dict):
        return {str(k): "" if v is None else str(v) for k, v in env.items()}
    if isinstance(env, (list, tuple)):
        pairs = (str(item).partition("=") for item in env if item is not None)
        return {name.strip(): value for name, _, value in pairs if name.strip()}
    return {}


def _task_definition(scenario: Scenario, service: str, props: dict[str, Any], region: str) -> dict[str, Any]:
    """A task definition like the service's real one: its family (``task_definition``, else the service's
    name), awslogs to its log group, its task role, its container environment."""
    container: dict[str, Any] = {"name": service, "image": "app:latest", "memory": 512}
    env = environment_of(props)
    if env:
        container["environment"] = [{"name": str(k), "value": str(v)} for k, v in env.items()]
    groups = next((as_strings(props[k]) for k in ("awslogs_groups", "log_groups", "awslogs_group", "log_group")
                   if props.get(k)), [])
    if not groups:  # the awslogs convention: a group named after the service
        groups = sorted({s.group for s in scenario.logs if scenario.region_of(s) == region
                         and s.group.rstrip("/").rsplit("/", 1)[-1] == service})
    if groups:
        container["logConfiguration"] = {"logDriver": "awslogs", "options": {
            "awslogs-group": groups[0], "awslogs-region": region,
            "awslogs-stream-prefix": service}}
    named = str(props.get("task_definition") or "")  # "storefront-web:89" or its ARN: the family it runs
    family = named.rsplit("/", 1)[-1].split(":", 1)[0] or service
    kwargs: dict[str, Any] = {"family": family, "containerDefinitions": [container]}
    for prop, arg in (("task_role", "taskRoleArn"), ("execution_role", "executionRoleArn")):
        role = props.get(prop)
        if isinstance(role, str) and role:
            kwargs[arg] = role if role.startswith("arn:") else f"arn:aws:iam::{_ACCOUNT}:role/{role}"
    return kwargs


def _seed_metrics(factory: ClientFactory, scenario: Scenario, counts: dict[str, int]) -> None:
    by_region: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for metric in scenario.metrics:
        # moto matches GetMetricData dimensions in the order they were put (AWS ignores the order);
        # put them sorted, the order the bot's metric keys query them in
        dims = [{"Name": k, "Value": v} for k, v in sorted(metric.dimensions.items())]
        batch = by_region.setdefault((scenario.region_of(metric), metric.namespace), [])
        for rel, value in metric.points:
            datum = {"MetricName": metric.name, "Dimensions": dims, "Timestamp": scenario.at(rel),
                     "Value": float(value)}
            if metric.unit:
                datum["Unit"] = metric.unit
            batch.append(datum)
    for (region, namespace), data in by_region.items():
        client = factory.client("cloudwatch", region)
        for i in range(0, len(data), _METRIC_BATCH):
            call("PutMetricData", client.put_metric_data, Namespace=namespace, MetricData=data[i:i + _METRIC_BATCH])
        counts["datapoints"] += len(data)


def _seed_logs(factory: ClientFactory, scenario: Scenario, counts: dict[str, int]) -> None:
    """Creates each log group and stream once; entries naming the same stream twice are merged."""
    streams: dict[tuple[str, str, str], list[tuple[float, str]]] = {}
    for stream in scenario.logs:
        key = (scenario.region_of(stream), stream.group, stream.stream)
        streams.setdefault(key, []).extend(stream.events)
    created: set[tuple[str, str]] = set()
    for (region, group, name), raw_events in streams.items():
        client = factory.client("logs", region)
        if (region, group) not in created:
            call("CreateLogGroup", client.create_log_group, logGroupName=group)
            created.add((region, group))
        call("CreateLogStream", client.create_log_stream, logGroupName=group, logStreamName=name)
        events = sorted(({"timestamp": int(scenario.at(rel).timestamp() * 1000), "message": msg}
                         for rel, msg in raw_events if msg), key=lambda e: e["timestamp"])
        if len(events) < len(raw_events):  # CloudWatch Logs rejects empty messages
            skipped = len(raw_events) - len(events)
            log.warning("%s %s: %d empty log messages skipped", group, name, skipped)
            counts["empty_log_events_skipped"] = counts.get("empty_log_events_skipped", 0) + skipped
        for i in range(0, len(events), _LOG_BATCH):
            call("PutLogEvents", client.put_log_events, logGroupName=group, logStreamName=name,
                 logEvents=events[i:i + _LOG_BATCH])
        counts["log_events"] += len(events)


def _seed_alarms(factory: ClientFactory, scenario: Scenario, counts: dict[str, int]) -> None:
    for alarm in scenario.alarms:
        client = factory.client("cloudwatch", scenario.region_of(alarm))
        kwargs: dict[str, Any] = {
            "AlarmName": alarm.name, "Namespace": alarm.namespace, "MetricName": alarm.metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in alarm.dimensions.items()],
            "Period": alarm.period, "EvaluationPeriods": alarm.evaluation_periods,
            "Threshold": alarm.threshold, "ComparisonOperator": alarm.comparison}
        if alarm.statistic.startswith("p"):
            kwargs["ExtendedStatistic"] = alarm.statistic
        else:
            kwargs["Statistic"] = alarm.statistic
        if alarm.description:
            kwargs["AlarmDescription"] = alarm.description
        call("PutMetricAlarm", client.put_metric_alarm, **kwargs)
        call("SetAlarmState", client.set_alarm_state, AlarmName=alarm.name, StateValue=alarm.state,
             StateReason=alarm.state_reason or f"sandbox: {alarm.state}")  # moto creates every alarm as OK
        counts["alarms"] += 1
