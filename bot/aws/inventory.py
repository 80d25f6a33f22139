"""Resource inventory per region: Lambda, RDS, EC2, ECS, API Gateway, ALB.

Each service is listed independently; one service's AccessDenied degrades the
inventory (logged) instead of failing it. Properties kept are the few a
responder looks at, plus references found in environment values (host names,
ARNs) for dependency following — never the values themselves.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

from analyzers.model import ResourceRef

from .changes import list_function_versions
from .clients import AwsError, call

log = logging.getLogger(__name__)

_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{2,}")


def _env_refs(env: dict[str, str]) -> list[str]:
    """Host-like tokens (names before the first dot) in environment values, for dependency following."""
    refs: set[str] = set()
    for value in env.values():
        for token in re.findall(r"[@/]([A-Za-z0-9][A-Za-z0-9-]+)\.[A-Za-z0-9.-]+", f"/{value}"):
            refs.add(token)
    return sorted(refs)


_CONFIG_REF = re.compile(r"^(/[A-Za-z0-9_.\-/]+|arn:aws[a-z-]*:(ssm|secretsmanager|appconfig):\S+)$")


_APPCONFIG_APP = re.compile(r"^APPCONFIG_APP(?:LICATION)?(?:_(?:ID|NAME))?$", re.I)
_APPCONFIG_PROFILE = re.compile(r"^APPCONFIG_(?:CONFIG(?:URATION)?_?)?PROFILE(?:_(?:ID|NAME))?$|^APPCONFIG_CONFIG(?:URATION)?$",
                                re.I)


def config_refs(env: dict[str, str]) -> list[str]:
    """SSM parameter names and secret/parameter ARNs that environment values point at, and the AppConfig
    ``application/profile`` the APPCONFIG_* variables name (names, not values)."""
    refs = {v for v in env.values() if isinstance(v, str) and _CONFIG_REF.match(v) and "/" in v[1:]}
    apps = [v for k, v in env.items() if _APPCONFIG_APP.match(k) and v]
    profiles = [v for k, v in env.items() if _APPCONFIG_PROFILE.match(k) and v]
    refs.update(f"{app}/{profile}" for app in apps for profile in profiles)
    return sorted(refs)


def list_lambda(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("lambda", region)
    out: list[ResourceRef] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = call("ListFunctions", client.list_functions, **kwargs)
        for fn in page.get("Functions", []):
            env = (fn.get("Environment") or {}).get("Variables") or {}
            props = {"runtime": fn.get("Runtime"), "timeout": fn.get("Timeout"),
                     "memory_size": fn.get("MemorySize"), "last_modified": fn.get("LastModified"),
                     "arn": fn.get("FunctionArn"), "env_names": sorted(env), "env_refs": _env_refs(env),
                     "role": fn.get("Role"), "config_refs": config_refs(env)}
            out.append(ResourceRef("lambda", fn["FunctionName"], region, props))
        token = page.get("NextMarker")
        if not token:
            return out
        kwargs["Marker"] = token


def cluster_roles(client: Any) -> dict[str, str]:
    """Instance id -> "writer" or "reader" for the members of the region's Aurora clusters ({} when unreadable)."""
    try:
        page = call("DescribeDBClusters", client.describe_db_clusters)
    except AwsError as exc:
        log.info("DB clusters not readable: %s", exc.code)
        return {}
    return {m["DBInstanceIdentifier"]: "writer" if m.get("IsClusterWriter") else "reader"
            for cluster in page.get("DBClusters", []) for m in cluster.get("DBClusterMembers", [])
            if m.get("DBInstanceIdentifier")}


def list_rds(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("rds", region)
    page = call("DescribeDBInstances", client.describe_db_instances)
    roles = cluster_roles(client) if any(db.get("DBClusterIdentifier") for db in page.get("DBInstances", [])) else {}
    caps: dict[str, int | None] = {}  # parameter group -> the max_connections it sets
    out = []
    for db in page.get("DBInstances", []):
        props = {"engine": db.get("Engine"), "instance_class": db.get("DBInstanceClass"),
                 "allocated_storage_gb": db.get("AllocatedStorage"), "arn": db.get("DBInstanceArn"),
                 "endpoint": (db.get("Endpoint") or {}).get("Address"), "cluster": db.get("DBClusterIdentifier"),
                 "parameter_groups": [g["DBParameterGroupName"] for g in db.get("DBParameterGroups", [])
                                      if g.get("DBParameterGroupName")],
                 "security_groups": [g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])
                                     if g.get("VpcSecurityGroupId")]}
        if db["DBInstanceIdentifier"] in roles:
            props["role"] = roles[db["DBInstanceIdentifier"]]
        cap = _max_connections(client, props["parameter_groups"], caps)
        if cap is not None:
            props["max_connections"] = cap
        out.append(ResourceRef("rds", db["DBInstanceIdentifier"], region, props))
    return out


MAX_PARAMETER_GROUPS = 10  # custom parameter groups read per region and inventory (one DescribeDBParameters each)


def _max_connections(client: Any, groups: list[str], caps: dict[str, int | None]) -> int | None:
    """The max_connections the first of an instance's parameter groups to set one sets (``caps``: the groups
    read so far, at most MAX_PARAMETER_GROUPS per inventory; the rest count as unknown)."""
    for group in groups:
        if group not in caps and len(caps) < MAX_PARAMETER_GROUPS:
            caps[group] = user_max_connections(client, group)
        if caps.get(group) is not None:
            return caps[group]
    return None


def user_max_connections(client: Any, group: str) -> int | None:
    """``max_connections`` as a number when a custom parameter group sets it (DescribeDBParameters, Source=user);
    None for a default group, a formula (``{DBInstanceClassMemory/...}``), or a group that cannot be read."""
    if group.startswith("default."):
        return None
    kwargs: dict[str, Any] = {"DBParameterGroupName": group, "Source": "user"}
    for _ in range(5):  # pages of 100 parameters a user set: a few at most
        try:
            page = call("DescribeDBParameters", client.describe_db_parameters, **kwargs)
        except AwsError as exc:
            log.info("parameter group %s not readable: %s", group, exc.code)
            return None
        value = next((str(p.get("ParameterValue", "")) for p in page.get("Parameters", [])
                      if p.get("ParameterName") == "max_connections"), None)
        if value is not None:
            return int(value) if value.isdigit() and int(value) > 0 else None
        if not page.get("Marker"):
            return None
        kwargs["Marker"] = page["Marker"]
    return None


_ASG_TAG = "aws:autoscaling:groupName"


def list_ec2(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("ec2", region)
    out = []
    kwargs: dict[str, Any] = {}
    while True:
        page = call("DescribeInstances", client.describe_instances, **kwargs)
        for reservation in page.get("Reservations", []):
            for inst in reservation.get("Instances", []):
                tags = {t["Key"]: t["Value"] for t in inst.get("Tags", [])}
                props = {"name": tags.get("Name"), "instance_type": inst.get("InstanceType"),
                         "state": (inst.get("State") or {}).get("Name"),
                         "private_ip": inst.get("PrivateIpAddress"), "private_dns": inst.get("PrivateDnsName"),
                         "security_groups": [v for g in inst.get("SecurityGroups", [])
                                             for v in (g.get("GroupId"), g.get("GroupName")) if v]}
                if tags.get(_ASG_TAG):  # AWS tags every instance an Auto Scaling group launches
                    props["autoscaling_group"] = tags[_ASG_TAG]
                out.append(ResourceRef("ec2", inst["InstanceId"], region, props))
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def list_ecs(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("ecs", region)
    out = []
    for cluster_arn in call("ListClusters", client.list_clusters).get("clusterArns", []):
        cluster = cluster_arn.rsplit("/", 1)[-1]
        arns = call("ListServices", client.list_services, cluster=cluster).get("serviceArns", [])
        if not arns:
            continue
        described = call("DescribeServices", client.describe_services, cluster=cluster, services=arns[:10])
        for svc in described.get("services", []):
            props = {"desired_count": svc.get("desiredCount"), "running_count": svc.get("runningCount"),
                     "task_definition": svc.get("taskDefinition"), "cluster": cluster,
                     "service": svc.get("serviceName"),
                     "target_groups": [lb["targetGroupArn"] for lb in svc.get("loadBalancers", [])
                                       if lb.get("targetGroupArn")]}
            if svc.get("taskDefinition"):
                props.update(describe_task_definition(client, svc["taskDefinition"]))
            out.append(ResourceRef("ecs", f"{cluster}/{svc['serviceName']}", region, props))
    return out


def describe_task_definition(client: Any, task_definition: str) -> dict[str, Any]:
    """Roles, family, awslogs log groups and environment names/references of a task definition
    ({} when it cannot be read)."""
    try:
        task = call("DescribeTaskDefinition", client.describe_task_definition,
                    taskDefinition=task_definition).get("taskDefinition") or {}
    except AwsError as exc:
        log.info("task definition %s not readable: %s", task_definition, exc.code)
        return {}
    groups = []
    env: dict[str, str] = {}
    secrets: list[str] = []
    for container in task.get("containerDefinitions", []):
        config = container.get("logConfiguration") or {}
        group = (config.get("options") or {}).get("awslogs-group")
        if config.get("logDriver") == "awslogs" and group and group not in groups:
            groups.append(group)
        env.update({str(e.get("name")): str(e.get("value", "")) for e in container.get("environment") or []
                    if e.get("name")})
        secrets += [str(s["valueFrom"]) for s in container.get("secrets") or [] if s.get("valueFrom")]
    # names and references only (hosts, parameters, secrets): values may be secrets and are not kept
    props: dict[str, Any] = {"task_definition_family": task.get("family"), "awslogs_groups": groups,
                             "env_names": sorted(env), "env_refs": _env_refs(env),
                             "config_refs": sorted(set(config_refs(env)) | set(secrets))}
    if task.get("taskRoleArn"):
        props["task_role"] = task["taskRoleArn"]
    if task.get("executionRoleArn"):
        props["execution_role"] = task["executionRoleArn"]
    return props


def list_apigateway(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("apigateway", region)
    page = call("GetRestApis", client.get_rest_apis)
    out = []
    for api in page.get("items", []):
        props: dict[str, Any] = {"api_id": api.get("id")}
        if api.get("id"):
            props["integrations"] = lambda_integrations(client, api["id"])
            props.update(stage_settings(client, api["id"]))
        out.append(ResourceRef("apigateway", api["name"], region, props))
    return out


_LOG_GROUP_ARN = re.compile(r":log-group:([^:]+)")


def stage_settings(client: Any, api_id: str) -> dict[str, Any]:
    """What a REST API's stages say (GetStages): ``access_log_groups``, the log groups they write access logs
    to, ``stages`` (their names), and when a stage throttles all its methods (``*/*``), the lowest
    ``throttle_rate_limit`` (requests/s) and ``throttle_burst_limit``. ``stage`` names the API's only stage, or
    the one stage with that lowest limit (which a throttle script then raises). Empty groups when unreadable."""
    try:
        page = call("GetStages", client.get_stages, restApiId=api_id)
    except AwsError as exc:
        log.info("stages of API %s not readable: %s", api_id, exc.code)
        return {"access_log_groups": []}
    stages = page.get("item", [])
    arns = [(stage.get("accessLogSettings") or {}).get("destinationArn", "") for stage in stages]
    out: dict[str, Any] = {"access_log_groups": sorted({m.group(1) for arn in arns
                                                        if (m := _LOG_GROUP_ARN.search(arn or ""))}),
                           "stages": sorted(str(s["stageName"]) for s in stages if s.get("stageName"))}
    every = [(stage.get("methodSettings") or {}).get("*/*") or {} for stage in stages]
    for prop, key in (("throttle_rate_limit", "throttlingRateLimit"), ("throttle_burst_limit", "throttlingBurstLimit")):
        limits = [m[key] for m in every if isinstance(m.get(key), (int, float)) and m[key] > 0]
        if limits:
            out[prop] = min(limits)
    throttled = [s.get("stageName") for s, m in zip(stages, every)
                 if out.get("throttle_rate_limit") is not None and m.get("throttlingRateLimit") == out["throttle_rate_limit"]]
    if len(out["stages"]) == 1:
        out["stage"] = out["stages"][0]
    elif len(throttled) == 1 and throttled[0]:  # the stage whose limit is the one reported
        out["stage"] = throttled[0]
    return out


_LAMBDA_URI = re.compile(r":function:([A-Za-z0-9_-]+)")


def lambda_integrations(client: Any, api_id: str) -> list[str]:
    """Names of the Lambda functions a REST API's methods integrate with ([] when unreadable)."""
    names: list[str] = []
    kwargs: dict[str, Any] = {"restApiId": api_id, "embed": ["methods"], "limit": 500}
    try:
        while True:
            page = call("GetResources", client.get_resources, **kwargs)
            for resource in page.get("items", []):
                for method in (resource.get("resourceMethods") or {}).values():
                    uri = (method.get("methodIntegration") or {}).get("uri", "")
                    for name in _LAMBDA_URI.findall(uri):
                        if name not in names:
                            names.append(name)
            if not page.get("position"):
                return names
            kwargs["position"] = page["position"]
    except AwsError as exc:
        log.info("integrations of API %s not readable: %s", api_id, exc.code)
        return names


def list_alb(factory: Any, region: str) -> list[ResourceRef]:
    client = factory.client("elbv2", region)
    page = call("DescribeLoadBalancers", client.describe_load_balancers)
    out = []
    for lb in page.get("LoadBalancers", []):
        arn = lb.get("LoadBalancerArn", "")
        lb_id = arn.split(":loadbalancer/", 1)[-1] if ":loadbalancer/" in arn else lb["LoadBalancerName"]
        out.append(ResourceRef("alb", lb_id, region, {"name": lb["LoadBalancerName"], "arn": arn,
                                                      "dns_name": lb.get("DNSName"),
                                                      "target_groups": target_groups(client, arn)}))
    return out


def target_groups(client: Any, load_balancer_arn: str) -> list[str]:
    """ARNs of a load balancer's target groups ([] when unreadable): ECS services name the same ARNs."""
    if not load_balancer_arn:
        return []
    try:
        page = call("DescribeTargetGroups", client.describe_target_groups, LoadBalancerArn=load_balancer_arn)
    except AwsError as exc:
        log.info("target groups of %s not readable: %s", load_balancer_arn, exc.code)
        return []
    return [g["TargetGroupArn"] for g in page.get("TargetGroups", []) if g.get("TargetGroupArn")]


LISTERS: dict[str, Callable[[Any, str], list[ResourceRef]]] = {
    "lambda": list_lambda, "rds": list_rds, "ec2": list_ec2, "ecs": list_ecs,
    "apigateway": list_apigateway, "alb": list_alb}


def list_resources(factory: Any, region: str, services: tuple[str, ...] = tuple(LISTERS),
                   skipped: list[str] | None = None) -> list[ResourceRef]:
    """Every resource of the given services in a region; a failing service is skipped, logged and named in
    ``skipped`` ("lambda (AccessDeniedException)")."""
    out: list[ResourceRef] = []
    for service in services:
        try:
            out.extend(LISTERS[service](factory, region))
        except AwsError as exc:
            log.warning("inventory of %s in %s skipped: %s", service, region, exc.code)
            if skipped is not None:
                skipped.append(f"{service} ({exc.code})")
    return out


def get_lambda_concurrency(factory: Any, region: str, function: str) -> int | None:
    client = factory.client("lambda", region)
    try:
        page = call("GetFunctionConcurrency", client.get_function_concurrency, FunctionName=function)
    except AwsError:
        return None
    return page.get("ReservedConcurrentExecutions")


def get_lambda_release(factory: Any, region: str, function: str) -> dict[str, Any]:
    """Which published version an alias serves and the version before it, for a rollback script.

    Returns ``{"alias", "current_version", "previous_version"}`` (values None when unknown). The
    alias is the one serving the newest version; without aliases the newest version is current.
    """
    client = factory.client("lambda", region)
    versions = [int(v["Version"]) for v in list_function_versions(client, function)
                if str(v.get("Version", "")).isdigit()]
    aliases = call("ListAliases", client.list_aliases, FunctionName=function).get("Aliases", [])
    served = [(int(a["FunctionVersion"]), a["Name"]) for a in aliases if str(a.get("FunctionVersion", "")).isdigit()]
    current, alias = max(served) if served else (max(versions) if versions else None, None)
    older = [v for v in versions if current is not None and v < current]
    return {"alias": alias, "current_version": None if current is None else str(current),
            "previous_version": str(max(older)) if older else None}
