"""Change classification and relevance: which changes could have caused the incident.

A change is relevant when it touches a candidate resource (by any of its
aliases) and happened within the look-back window before onset. Kinds:
deployment (code/image/version), config (settings, env vars, parameters,
concurrency), iam (policies, roles), scaling, other.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from dataclasses import replace
from typing import Iterable, Mapping, Sequence

from .model import Change, LogPattern, ResourceRef, iso
from .topology import fleet_names, pattern_owner, target_group_name, target_groups_of

_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iam", re.compile(r"(Attach|Detach|Put|Delete)(Role|User|Group)Policy|UpdateAssumeRolePolicy|"
                       r"RemovePermission|AddPermission|DeletePolicyVersion|CreatePolicyVersion|SetDefaultPolicy",
                       re.I)),
    ("deployment", re.compile(r"UpdateFunctionCode|PublishVersion|UpdateAlias|CreateDeployment|"
                              r"RegisterTaskDefinition|Deployment:|UpdateService|CreateService|"
                              r"PutImage|UpdateStack|ExecuteChangeSet|StartDeployment|"
                              # a fleet's new image: a launch template version rolled out by an instance refresh
                              r"StartInstanceRefresh|CreateLaunchTemplateVersion|ModifyLaunchTemplate|"
                              r"^SendCommand: deploy ", re.I)),  # a Run Command after which a release starts
    ("config", re.compile(r"UpdateFunctionConfiguration|PutFunctionConcurrency|DeleteFunctionConcurrency|"
                          r"PutProvisionedConcurrency|Modify(DB|Cache|LoadBalancer|TargetGroup|Instance)|"
                          r"ParameterGroup|PutParameter|UpdateStage|UpdateEnvironment|PutMetricAlarm|"
                          r"UpdateUsagePlan|PutBucket|SetQueueAttributes|UpdateSecret|PutSecretValue|"
                          r"LastModified|RDSEvent:.*parameter|(?:Authorize|Revoke)SecurityGroup(?:Ingress|Egress)|"
                          r"ModifySecurityGroupRules|(?:Create|Replace|Delete)NetworkAclEntry|"
                          # a balancer's routing, an API's methods/integrations/authorizers, a table's capacity
                          r"(?:Modify|Create|Delete)(?:Rule|Listener)|SetRulePriorities|"
                          r"(?:Update|Put)(?:Method|Integration|Authorizer|RestApi|Api|Route)\b|"
                          r"UpdateEventSourceMapping|UpdateTable\b|"
                          r"ChangeResourceRecordSets|"  # DNS records
                          r"^SendCommand: ", re.I)),  # a Run Command whose output shows settings written
    ("scaling", re.compile(r"SetDesiredCapacity|UpdateAutoScalingGroup|RegisterScalableTarget|"
                           r"PutScalingPolicy|Reboot|StopInstances|StartInstances", re.I)),
)


GLOBAL_SOURCES = ("iam.amazonaws.com", "sts.amazonaws.com", "route53.amazonaws.com", "cloudfront.amazonaws.com",
                  "organizations.amazonaws.com")  # global services: CloudTrail records them in us-east-1
SETTING_STORES = ("ssm.amazonaws.com", "secretsmanager.amazonaws.com", "appconfig.amazonaws.com")
_AUTOSCALER = re.compile(r"AWSServiceRoleFor\w*AutoScaling|autoscaling\.amazonaws\.com", re.I)
# writes of a setting (not reads, not SendCommand/StartSession): PutParameter, RotateSecret, StartDeployment...
_SETTING_WRITE = re.compile(r"^(?:Put|Delete|Update|Label|Rotate|Restore|Create|Start)\w*?"
                            r"(?:Parameter|Secret|Deployment|HostedConfigurationVersion)", re.I)


def change_kind(change: Change) -> str:
    if _AUTOSCALER.search(change.username or ""):
        return "scaling"  # capacity that auto scaling set in answer to load: a reaction, not a cause
    if change.event_source in SETTING_STORES and _SETTING_WRITE.match(change.event_name):
        return "config"  # a parameter, secret or AppConfig deployment ("StartDeployment") is a setting
    for kind, pattern in _KIND_RULES:
        if pattern.search(change.event_name):
            return kind
    return "other"


_SHIPS_CODE = re.compile(r"UpdateFunctionCode|UpdateAlias|CreateAlias", re.I)
VERSION_COMPANION = timedelta(minutes=15)


def inert_version_publish(change: Change, changes: Iterable[Change]) -> bool:
    """A CloudTrail ``PublishVersion`` with no code update or alias move on that function around it: it
    snapshots the code already running and changes nothing that runs (callers of ``$LATEST`` or of an alias
    that did not move). A version read from the function's metadata (``PublishVersion:<n>``) is kept: it
    may be the only trace of a deployment."""
    if not change.event_name.startswith("PublishVersion") or change.event_name.startswith("PublishVersion:"):
        return False
    names = candidates_named(change.resource_name or "")
    return not any(_SHIPS_CODE.search(other.event_name) and abs(other.time - change.time) <= VERSION_COMPANION
                   and candidates_named(other.resource_name or "") & names for other in changes)


TASK_DEFINITION_LEAD = timedelta(hours=1)


def ships_no_task_definition(change: Change, changes: Iterable[Change], resource: ResourceRef) -> bool:
    """An ECS ``UpdateService`` with no task definition registered for that service in the hour before it:
    it changed the task count or restarted the same tasks (a scale-out by hand, a forced redeployment), so
    it shipped nothing new to the service."""
    if resource.type != "ecs" or not change.event_name.startswith("UpdateService"):
        return False
    return not any(other.event_name.startswith("RegisterTaskDefinition") and touches(other, resource)
                   and change.time - TASK_DEFINITION_LEAD <= other.time <= change.time + VERSION_COMPANION
                   for other in changes)


def _service_family(change: Change, resource: ResourceRef) -> bool:
    """A task definition registered under its service's "<cluster>-<service>" family ("storefront/web"
    registers "storefront-web:42")."""
    return resource.type == "ecs" and "TaskDefinition" in (change.resource_type or change.event_name) \
        and (change.resource_name or "").rsplit("/", 1)[-1].split(":")[0] == resource.id.replace("/", "-")


_ARN_PATH = re.compile(r"(?:function:|loadbalancer/|targetgroup/|service/|task-definition/|:db:|:cluster:)"
                       r"([^:]+?)(?::[\w$-]+)?$")
_API_PATH = re.compile(r"/(?:restapis|apis)/([^/]+)")
# a listener (rule) ARN or path names its balancer: listener-rule/app/<name>/<id>/..., or app/<name>/<id>/<listener>/...
_LISTENER_PATH = re.compile(r"(?:^|[:/])(?:listener(?:-rule)?/|(?=(?:app|net)/[^/]+/[0-9a-f]+/[0-9a-f]+))"
                            r"((?:app|net)/([^/]+)/[0-9a-f]+)/")


def candidates_named(name: str) -> set[str]:
    """The identifiers a change's resource name can stand for: itself, its last ARN or path part, a
    function name without its ``:alias``/``:version``, a balancer's ``app/<name>/<id>``, an API id."""
    out = {name, name.rsplit(":", 1)[-1], name.rsplit("/", 1)[-1]}
    if not name.startswith("arn:") and ":" in name:
        out.add(name.split(":", 1)[0])  # checkout-api:live
    out.update(m.group(1) for m in (_ARN_PATH.search(name), _API_PATH.search(name)) if m)
    listener = _LISTENER_PATH.search(name)  # a listener (rule) ARN names its balancer
    if listener:
        out.update({listener.group(1), listener.group(2)})
    return {n for n in out if n}


def touches(change: Change, resource: ResourceRef) -> bool:
    """Whether a change names the resource (by id, name, ARN suffix, or cluster/service) or
    something attached to it (its role, parameter group, task definition family)."""
    name = change.resource_name or ""
    if not name or change.region and resource.region and change.region != resource.region \
            and change.event_source not in GLOBAL_SOURCES:  # a namesake in another region
        return False
    if candidates_named(name) & (resource.aliases | resource.attached_names) or _service_family(change, resource):
        return True
    if ("targetgroup/" in name or "TargetGroup" in (change.resource_type or "")) and resource.type in ("alb", "nlb"):
        return target_group_name(name) in {target_group_name(g) for g in target_groups_of(resource)}
    if change.event_source == "codedeploy.amazonaws.com":  # "<application>/<group>" rolls out onto a fleet
        return bool(set(name.split("/")) & fleet_names(resource))
    if change.event_source in ("apigateway.amazonaws.com", "elasticloadbalancing.amazonaws.com") and "/" in name \
            and not name.startswith(("arn:", "/")):  # "<api>/<stage>", "<balancer>/<listener>/<rule>": a part of it
        return name.split("/", 1)[0] in resource.aliases
    if change.event_source in SETTING_STORES and "/" in name:  # /<app>/<env>/<service>/<KEY> names its service
        segments = set(name.rsplit(":", 1)[-1].split("/"))
        return bool(segments & {a for a in resource.aliases if len(a) >= 4 and "/" not in a})
    return False


def named_by_later_failures(change: Change, patterns: Iterable[LogPattern]) -> bool:
    """A parameter or secret change whose full name new error lines give, lines first seen after it: the
    change came first and the failures name it (a deleted secret the tasks started later cannot fetch),
    whatever the onset estimate says (a load ramp can make the alarm's metric look abnormal earlier)."""
    name = (change.resource_name or "").rsplit(":", 1)[-1]
    if change_kind(change) != "config" or change.event_source not in SETTING_STORES or len(name) < 6:
        return False
    return any(p.new and p.is_error and p.first_seen >= change.time and name in " ".join((p.template, *p.samples))
               for p in patterns)


def before_incident(change: Change, onset: datetime, lookback: timedelta, grace: timedelta,
                    patterns: Iterable[LogPattern] = ()) -> bool:
    """Whether a change counts as before the incident: in [onset - lookback, onset + grace], or later
    when the failures after it name it (:func:`named_by_later_failures`)."""
    return onset - lookback <= change.time <= onset + grace or (
        change.time > onset and named_by_later_failures(change, patterns))


def onset_grace(alarm_period_s: int | float | None) -> timedelta:
    """How long after the estimated onset a change still counts as before it: two minutes, or the
    alarm's period when longer (a 5-minute metric only places the onset within its bucket)."""
    return max(timedelta(minutes=2), timedelta(seconds=float(alarm_period_s or 0)))


def relevant_changes(changes: Iterable[Change], resources: Sequence[ResourceRef], onset: datetime,
                     lookback: timedelta, grace: timedelta = timedelta(minutes=2),
                     patterns: Iterable[LogPattern] = ()) -> list[tuple[Change, ResourceRef]]:
    """(change, resource) pairs for changes on candidate resources that count as before the incident
    (:func:`before_incident`)."""
    out = []
    patterns = list(patterns)
    for change in changes:
        if not before_incident(change, onset, lookback, grace, patterns):
            continue
        for resource in resources:
            if touches(change, resource):
                out.append((change, resource))
                break
    return sorted(out, key=lambda pair: pair[0].time)


RUN_COMMAND_OUTPUT = "/aws/ssm/"  # where SSM Run Command output goes: /aws/ssm/<document>
RUN_COMMAND_DELAY = timedelta(minutes=15)
# a line of a command's output that writes a setting: "pm.max_children = 4", "sysctl -w vm.swappiness=1", "sed -i ..."
_SETTING_WRITTEN = re.compile(r"^\s*(?:[A-Za-z_][\w.-]*\s*=\s*\S.*|(?:sudo\s+)?(?:sed\s+-i|sysctl\s+-w|ulimit\s+-\w"
                              r"|crudini\s+--set)\s.*)$")


# a line that announces a release: "deploy/install/upgrade ... 3.10.0", "starting ... 3.10.0.1187", "3.9.4 -> 3.10.0"
_RELEASE_LINE = re.compile(r"\b(?:deploy|install|upgrad|releas|rollout|roll-out)\w*\b.{0,80}?\bv?\d+\.\d+\.\d+|"
                           r"\bv?\d+\.\d+\.\d+\S*\s*(?:->|=>|→)\s*v?\d+\.\d+\.\d+", re.I)


def with_run_command_settings(changes: Iterable[Change], patterns: Iterable[LogPattern],
                              group_owner: Mapping[str, ResourceRef]) -> list[Change]:
    """An SSM Run Command (``SendCommand``) on an instance whose output on that instance, within
    minutes, shows settings being written (``pm.max_children = 4``) is a configuration change: it
    becomes ``SendCommand: <the settings>``; one after which the instance's own logs newly announce a
    release ("ClaimsSoapBridge 3.9.4 -> 3.10.0") is a deployment: ``SendCommand: deploy <that line>``.
    Other commands (patching, diagnostics) stay as they were."""
    patterns = list(patterns)
    output = [p for p in patterns if p.log_group.startswith(RUN_COMMAND_OUTPUT)]
    fresh = [p for p in patterns if p.new]
    out = []
    for change in changes:
        if change.event_name == "SendCommand":
            written = [line for line in _lines_after(change, output, group_owner) if _SETTING_WRITTEN.match(line)]
            released = [line for line in _lines_after(change, fresh, group_owner) if _RELEASE_LINE.search(line)]
            if written:
                change = replace(change, event_name="SendCommand: " + "; ".join(dict.fromkeys(written))[:160])
            elif released:
                change = replace(change, event_name="SendCommand: deploy " + released[0][:160])
        out.append(change)
    return out


def _lines_after(command: Change, patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef]) -> list[str]:
    """The first sample of each pattern that the command's instance began logging within minutes of it."""
    return [line for p in sorted(patterns, key=lambda p: p.first_seen)
            if command.time - timedelta(minutes=1) <= p.first_seen <= command.time + RUN_COMMAND_DELAY
            and (owner := pattern_owner(p, group_owner)) is not None and touches(command, owner)
            for line in p.samples[:1]]


_PARAMETER_GROUP_CHANGE = re.compile(r"^ModifyDB(?:Cluster)?ParameterGroup$", re.I)
_RESTART = re.compile(r"^RebootDB(?:Instance|Cluster)|^RDSEvent:.*\b(?:restart|reboot)", re.I)


def with_pending_parameters_applied(changes: Iterable[Change], resources: Sequence[ResourceRef],
                                    until: datetime) -> list[Change]:
    """A parameter group modified, then (before ``until``) a database using it restarted: parameters that
    wait for a reboot (``max_connections``, ``shared_buffers``) took effect only then, so the change is
    dated at that restart, its name saying when it was made and what applied it."""
    changes = list(changes)
    out = []
    for change in changes:
        users = [r for r in resources if r.type == "rds" and change.resource_name in r.attached_names] \
            if _PARAMETER_GROUP_CHANGE.match(change.event_name) else []
        restarts = [r for r in changes if _RESTART.match(r.event_name) and change.time < r.time <= until
                    and any(touches(r, db) for db in users)]
        if restarts:
            restart = min(restarts, key=lambda r: r.time)
            change = replace(change, time=restart.time, event_name=(
                f"{change.event_name} (made {iso(change.time)}, applied by {restart.event_name.split(':')[0]} "
                f"on {restart.resource_name})"))
        out.append(change)
    return out


def setting_search_term(change: Change) -> str | None:
    """What a log line reading a changed parameter/secret would name: its parent path when that
    has two segments or more (``/cart/prod`` for ``/cart/prod/redis_endpoint``: a loader logs
    "reloaded /cart/prod/*"), else the name itself; None for other changes and short names."""
    name = (change.resource_name or "").rsplit(":", 1)[-1]
    if change.event_source not in SETTING_STORES or len(name) < 6:
        return None
    parent = name.rsplit("/", 1)[0]
    return parent if len([s for s in parent.split("/") if s]) >= 2 else name


_PARAMETERS_APPLIED = re.compile(r'parameter "[^"]+" (?:changed|removed from configuration)|received SIGHUP, '
                                 r'reloading configuration|parameter group .{0,60} (?:applied|in-sync)', re.I)


def with_parameter_groups_applied(resources: Sequence[ResourceRef], changes: Iterable[Change],
                                  patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef]
                                  ) -> list[ResourceRef]:
    """A database whose own log reports parameters changing ('parameter "statement_timeout" changed
    to "1000"') after a ModifyDBParameterGroup gets that group in ``parameter_groups``."""
    modified = [c for c in changes if "ParameterGroup" in c.event_name and c.resource_name]
    if not modified:
        return list(resources)
    applied: dict[tuple[str, str], list[LogPattern]] = {}
    for p in patterns:
        owner = pattern_owner(p, group_owner)
        text = " ".join((p.template, *p.samples))
        if owner is not None and owner.type == "rds" and _PARAMETERS_APPLIED.search(text):
            applied.setdefault(owner.key, []).append(p)
    found = {key: {c.resource_name for c in modified if any(p.last_seen >= c.time for p in shown)}
             for key, shown in applied.items()}
    return _with_names(resources, "parameter_groups", found)


def with_settings_read_in_logs(resources: Sequence[ResourceRef], changes: Iterable[Change],
                               patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef],
                               setting_reads: Iterable[tuple[str, str]] = ()) -> list[ResourceRef]:
    """Resources whose own logs name a changed parameter or secret, or its parent path ("config
    refreshed from /checkout/prod/*"), get it in ``config_refs``, so that change touches them.
    ``setting_reads`` are extra (group or group@source, line) pairs, e.g. start-up lines."""
    terms = {c.resource_name: re.compile(re.escape(term) + r"(?![\w.-])")
             for c in changes if c.resource_name and (term := setting_search_term(c))}
    if not terms:
        return list(resources)
    texts = [(pattern_owner(p, group_owner), " ".join((p.template, *p.samples))) for p in patterns]
    texts += [(group_owner.get(where) or group_owner.get(where.rsplit("@", 1)[0]), line)
              for where, line in setting_reads]
    read: dict[tuple[str, str], set[str]] = {}
    for owner, text in texts:
        if owner is None:
            continue
        found = {name for name, term in terms.items() if name in text or term.search(text)}
        if found:
            read.setdefault(owner.key, set()).update(found)
    return _with_names(resources, "config_refs", read)


def _with_names(resources: Sequence[ResourceRef], prop: str, found: Mapping[tuple[str, str], set[str]]
                ) -> list[ResourceRef]:
    """``resources`` with the ``found`` names (resource key -> names) added to their list ``prop``."""
    out = []
    for r in resources:
        names = list(r.properties.get(prop) or [])
        added = sorted(n for n in found.get(r.key, ()) if n not in names)
        out.append(replace(r, properties={**r.properties, prop: names + added}) if added else r)
    return out
