"""Templates shared by every service: read-only diagnostics and IAM policy re-attachment."""
from __future__ import annotations

import logging

from analyzers.remediation.facts import RemediationFacts, make_plan
from analyzers.remediation.steps import (
    Basename, Call, Lit, Plan, Say, Step, StopIf, Var, VarList, params,
)

logger = logging.getLogger(__name__)

SERVICE_NAMES = {"lambda": "Lambda function", "ec2": "EC2 instance", "rds": "RDS instance",
                 "ecs": "ECS service", "apigateway": "API Gateway API", "alb": "load balancer", "other": "resource"}


def ecs_parts(facts: RemediationFacts) -> tuple[str, str]:
    """(cluster, service) from properties or the ``cluster/service`` id."""
    cluster, _, service = facts.resource.id.partition("/")
    return (facts.str_prop("cluster") or (cluster if service else "default"),
            facts.str_prop("service") or service or cluster)


def alb_name(facts: RemediationFacts) -> str:
    """Load balancer name from ``app/<name>/<hash>`` or a plain name."""
    parts = facts.resource.id.split("/")
    return parts[1] if len(parts) >= 2 and parts[0] in ("app", "net") else parts[0]


def api_id(facts: RemediationFacts) -> str | None:
    value = facts.str_prop("api_id", "rest_api_id")
    if value:
        return value
    rid = facts.resource.id
    return rid if len(rid) == 10 and rid.isalnum() and rid.islower() else None


def alarm_steps() -> tuple[Step, ...]:
    return (
        Call("cloudwatch", "DescribeAlarms", params(AlarmNames=VarList("ALARM_NAME")),
             query="MetricAlarms[].{name:AlarmName,state:StateValue,reason:StateReason,since:StateUpdatedTimestamp}",
             label="the alarm that fired"),
        Call("cloudwatch", "DescribeAlarms", params(StateValue=Lit("ALARM")),
             query="MetricAlarms[].[AlarmName,Namespace,MetricName]",
             label="every alarm in ALARM now (a failing dependency usually shows up here)"),
    )


def cloudtrail_steps(attribute: str = "RESOURCE_NAME_LOOKUP") -> tuple[Step, ...]:
    return (Call("cloudtrail", "LookupEvents", params(LookupAttributes=Var(attribute)),
                 query="Events[:20].[EventTime,EventName,Username]", cli_extra=("--max-items", "20"),
                 label="recent management events (CloudTrail)"),)


def describe_steps(facts: RemediationFacts) -> tuple[tuple[Step, ...], dict]:
    """Read-only describe calls for the resource's service, plus the constants they need."""
    service = facts.service
    if service == "lambda":
        fn = params(FunctionName=Var("FUNCTION_NAME"))
        return ((
            Call("lambda", "GetFunctionConfiguration", fn, label="function configuration (env var names only)",
                 query="{runtime:Runtime,timeout:Timeout,memory:MemorySize,version:Version,state:State,"
                       "lastUpdate:LastUpdateStatus,lastModified:LastModified,role:Role,vpc:VpcConfig,"
                       "envVarNames:keys(Environment.Variables || `{}`)}"),
            Call("lambda", "GetFunctionConcurrency", fn, label="reserved concurrency"),
            Call("lambda", "ListAliases", fn, query="Aliases[].[Name,FunctionVersion]", label="aliases"),
            Call("lambda", "ListEventSourceMappings", fn, label="event sources",
                 query="EventSourceMappings[].[EventSourceArn,State,LastProcessingResult]"),
        ), {"FUNCTION_NAME": facts.resource.id})
    if service == "ec2":
        ids = params(InstanceIds=VarList("INSTANCE_ID"))
        return ((
            Call("ec2", "DescribeInstances", ids, label="instance",
                 query="Reservations[].Instances[].{type:InstanceType,state:State.Name,az:Placement.AvailabilityZone,"
                       "launched:LaunchTime,profile:IamInstanceProfile.Arn,securityGroups:SecurityGroups[].GroupId}"),
            Call("ec2", "DescribeInstanceStatus", ids, label="status checks",
                 query="InstanceStatuses[].{system:SystemStatus.Status,instance:InstanceStatus.Status,events:Events}"),
        ), {"INSTANCE_ID": facts.resource.id})
    if service == "rds":
        return ((
            Call("rds", "DescribeDBInstances", params(DBInstanceIdentifier=Var("DB_INSTANCE_ID")), label="DB instance",
                 query="DBInstances[].{class:DBInstanceClass,status:DBInstanceStatus,engine:Engine,"
                       "version:EngineVersion,storageGb:AllocatedStorage,maxStorageGb:MaxAllocatedStorage,"
                       "multiAZ:MultiAZ,parameterGroups:DBParameterGroups[].DBParameterGroupName,"
                       "pending:PendingModifiedValues}"),
            Call("rds", "DescribeEvents", params(SourceIdentifier=Var("DB_INSTANCE_ID"),
                                                 SourceType=Lit("db-instance"), Duration=Lit(1440)),
                 query="Events[].[Date,Message]", label="RDS events (last 24 h)"),
        ), {"DB_INSTANCE_ID": facts.resource.id})
    if service == "ecs":
        cluster, svc = ecs_parts(facts)
        return ((
            Call("ecs", "DescribeServices", params(cluster=Var("CLUSTER"), services=VarList("SERVICE")),
                 label="service and deployments",
                 query="services[].{status:status,desired:desiredCount,running:runningCount,pending:pendingCount,"
                       "taskDefinition:taskDefinition,deployments:deployments[].{status:status,"
                       "taskDefinition:taskDefinition,rollout:rolloutState,running:runningCount}}"),
            Call("ecs", "DescribeServices", params(cluster=Var("CLUSTER"), services=VarList("SERVICE")),
                 query="services[].events[:10].[createdAt,message]", label="latest service events"),
        ), {"CLUSTER": cluster, "SERVICE": svc})
    if service == "apigateway":
        known = api_id(facts)
        steps: tuple[Step, ...] = (Call("apigateway", "GetRestApis", query="items[].[id,name]",
                                        label="REST APIs (id, name)"),)
        if known:
            steps += (Call("apigateway", "GetStages", params(restApiId=Var("API_ID")), label="stages and throttling",
                           query="item[].{stage:stageName,deployment:deploymentId,methodSettings:methodSettings}"),)
        return steps, ({"API_ID": known} if known else {})
    if service == "alb":
        return ((
            Call("elbv2", "DescribeLoadBalancers", params(Names=VarList("LB_NAME")),
                 query="LoadBalancers[0].LoadBalancerArn", capture="LB_ARN", label="load balancer ARN"),
            Call("elbv2", "DescribeTargetGroups", params(LoadBalancerArn=Var("LB_ARN")),
                 query="TargetGroups[].[TargetGroupName,HealthCheckPath,HealthCheckPort]", label="target groups"),
            Call("elbv2", "DescribeTargetGroups", params(LoadBalancerArn=Var("LB_ARN")),
                 query="TargetGroups[0].TargetGroupArn", capture="TG_ARN", label="first target group"),
            Call("elbv2", "DescribeTargetHealth", params(TargetGroupArn=Var("TG_ARN")),
                 query="TargetHealthDescriptions[].{target:Target.Id,state:TargetHealth.State,"
                       "reason:TargetHealth.Reason}", label="target health"),
        ), {"LB_NAME": alb_name(facts)})
    if facts.resource.id.startswith("sg-"):  # a security group a change edited (see analyzers.rca.network)
        return ((
            Call("ec2", "DescribeSecurityGroups", params(GroupIds=VarList("GROUP_ID")), label="security group",
                 query="SecurityGroups[].{name:GroupName,vpc:VpcId,description:Description}"),
            Call("ec2", "DescribeSecurityGroupRules",
                 params(Filters=Var("GROUP_FILTER")),
                 query="SecurityGroupRules[].[IsEgress,IpProtocol,FromPort,ToPort,CidrIpv4,"
                       "ReferencedGroupInfo.GroupId]", label="its rules now (compare with the revoked one)"),
        ), {"GROUP_ID": facts.resource.id, "GROUP_FILTER": [{"Name": "group-id", "Values": [facts.resource.id]}]})
    return (), {}


def diagnostics(facts: RemediationFacts, *, focus: str = "") -> Plan:
    """Read-only: the resource, its alarm, every firing alarm and recent CloudTrail changes."""
    steps, constants = describe_steps(facts)
    constants.update(ALARM_NAME=facts.alarm_name, RESOURCE_NAME_LOOKUP=[
        {"AttributeKey": "ResourceName", "AttributeValue": facts.resource.id}])
    dependency = facts.category == "dependency_failure"
    what = ("Collect read-only diagnostics for the " + SERVICE_NAMES[facts.service]
            + (" and check its downstream dependencies" if dependency else "") + (f" ({focus})" if focus else "") + ".")
    reason = ("The evidence points at a downstream dependency: confirm which one is failing before changing anything."
              if dependency else "No template change is safe without more evidence; these reads narrow it down.")
    return make_plan(
        facts, script_id=f"{facts.service}-diagnostics" + ("-dependency" if dependency else ""),
        title=f"Read-only diagnostics for {SERVICE_NAMES[facts.service]} {facts.resource.id}", risk="low",
        what=what, reason=reason, changes="Nothing: every call is a read (describe/get/list/lookup).",
        constants=constants,
        prechecks=steps + alarm_steps() + cloudtrail_steps()
        + (Say("Check the dependency named in the firing alarms above: its health, limits and recent changes."),)
        * dependency)


def iam_reattach_policy(facts: RemediationFacts) -> Plan:
    """Re-attach a policy detached from the resource's execution/task/instance role."""
    constants: dict = {"POLICY_ARN": facts.str_prop("policy_arn", "detached_policy_arn") or ""}
    role_name = facts.str_prop("role_name")
    steps: list[Step] = [StopIf("empty", "POLICY_ARN", None, "Pre-check failed: set POLICY_ARN to the detached "
                                "policy ARN (see the DetachRolePolicy event in CloudTrail) and re-review.", 1)]
    if role_name:
        constants["ROLE_NAME"] = role_name
    elif facts.service == "lambda":
        constants["FUNCTION_NAME"] = facts.resource.id
        steps += [Call("lambda", "GetFunctionConfiguration", params(FunctionName=Var("FUNCTION_NAME")),
                       query="Role", capture="ROLE_ARN", label="execution role"), Basename("ROLE_NAME", "ROLE_ARN")]
    elif facts.service == "ecs":
        cluster, svc = ecs_parts(facts)
        constants.update(CLUSTER=cluster, SERVICE=svc)
        steps += [Call("ecs", "DescribeServices", params(cluster=Var("CLUSTER"), services=VarList("SERVICE")),
                       query="services[0].taskDefinition", capture="TASK_DEFINITION", label="task definition"),
                  Call("ecs", "DescribeTaskDefinition", params(taskDefinition=Var("TASK_DEFINITION")),
                       query="taskDefinition.taskRoleArn", capture="ROLE_ARN", label="task role"),
                  StopIf("empty", "ROLE_ARN", None, "Pre-check failed: the task definition has no task role.", 1),
                  Basename("ROLE_NAME", "ROLE_ARN")]
    elif facts.service == "ec2":
        constants["INSTANCE_ID"] = facts.resource.id
        steps += [Call("ec2", "DescribeInstances", params(InstanceIds=VarList("INSTANCE_ID")),
                       query="Reservations[0].Instances[0].IamInstanceProfile.Arn", capture="PROFILE_ARN",
                       label="instance profile"),
                  StopIf("empty", "PROFILE_ARN", None, "Pre-check failed: the instance has no instance profile.", 1),
                  Basename("PROFILE_NAME", "PROFILE_ARN"),
                  Call("iam", "GetInstanceProfile", params(InstanceProfileName=Var("PROFILE_NAME")),
                       query="InstanceProfile.Roles[0].RoleName", capture="ROLE_NAME", label="role of the profile")]
    else:
        return diagnostics(facts, focus="permissions")
    attached = params(RoleName=Var("ROLE_NAME"))
    steps += [Call("iam", "ListAttachedRolePolicies", attached, query="AttachedPolicies[].PolicyArn",
                   capture="ATTACHED_POLICIES", label="policies attached now"),
              StopIf("contains", "ATTACHED_POLICIES", Var("POLICY_ARN"),
                     "The policy is already attached: nothing to do (look for an explicit Deny instead).")]
    return make_plan(
        facts, script_id=f"{facts.service}-reattach-iam-policy", title="Re-attach the detached IAM policy",
        risk="medium", what="Attach POLICY_ARN back to the role used by the resource.",
        reason="AccessDenied errors started after the role lost permissions; restoring the policy restores access.",
        changes="One IAM role gains one managed policy (iam:AttachRolePolicy).", constants=constants,
        prechecks=tuple(steps),
        apply=(Call("iam", "AttachRolePolicy", params(RoleName=Var("ROLE_NAME"), PolicyArn=Var("POLICY_ARN")),
                    write=True, label="attach the policy"),),
        verify=(Call("iam", "ListAttachedRolePolicies", attached, query="AttachedPolicies[].PolicyArn",
                     label="policies attached after the change"),),
        rollback=(Call("iam", "DetachRolePolicy", params(RoleName=Var("ROLE_NAME"), PolicyArn=Var("POLICY_ARN")),
                       write=True),),
        prerequisites=("iam:ListAttachedRolePolicies and iam:AttachRolePolicy on the role",),
        notes=("IAM is global: the change applies in every region.",))
