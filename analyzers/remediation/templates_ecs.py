"""ECS templates: scale the service, force a new deployment, roll back the task definition."""
from __future__ import annotations

import logging

from analyzers.remediation.facts import RemediationFacts, make_plan
from analyzers.remediation.steps import Call, Flag, Grow, Lit, Plan, Say, Step, StopIf, Var, VarList, Waiter, params
from analyzers.remediation.templates_common import ecs_parts

logger = logging.getLogger(__name__)

_SVC = params(cluster=Var("CLUSTER"), service=Var("SERVICE"))
_DESCRIBE = params(cluster=Var("CLUSTER"), services=VarList("SERVICE"))
_STATE = Call("ecs", "DescribeServices", _DESCRIBE, label="service now",
              query="services[0].{desired:desiredCount,running:runningCount,pending:pendingCount,"
                    "taskDefinition:taskDefinition,deployments:length(deployments)}")
_STABLE = Waiter("ecs", "services_stable", _DESCRIBE)


def _constants(facts: RemediationFacts) -> dict:
    cluster, service = ecs_parts(facts)
    return {"CLUSTER": cluster, "SERVICE": service}


def _no_rollout_in_progress() -> tuple[Step, ...]:
    return (Call("ecs", "DescribeServices", _DESCRIBE, query="length(services[0].deployments)",
                 capture="DEPLOYMENT_COUNT", label="deployments in flight"),
            StopIf("ge", "DEPLOYMENT_COUNT", Lit(2), "Pre-check failed: a deployment is already rolling out; "
                   "wait for it to finish.", 1))


def scale_service(facts: RemediationFacts) -> Plan:
    """Add tasks: more capacity for CPU, memory pressure or a traffic surge."""
    desired = facts.int_prop("desired_count")
    target = max(desired + 2, desired * 3 // 2) if desired else None
    constants = _constants(facts)
    pre: list[Step] = [_STATE, Call("ecs", "DescribeServices", _DESCRIBE, query="services[0].desiredCount",
                                    capture="CURRENT_DESIRED", label="desired count now")]
    if target:
        constants["NEW_DESIRED"] = target
    else:
        pre.append(Grow("NEW_DESIRED", "CURRENT_DESIRED", 50, 2, 1000))
    pre += [StopIf("ge", "CURRENT_DESIRED", Var("NEW_DESIRED"), "Desired count already at or above the target: "
                   "nothing to do."), Say("Plan: desired count {CURRENT_DESIRED} -> {NEW_DESIRED}")]
    return make_plan(
        facts, script_id="ecs-scale-service", title="Scale out the ECS service", risk="low",
        what=f"Raise the desired task count of {facts.resource.id} from {desired or 'its current value'} to "
             f"{target or 'about 1.5x'}.",
        reason={"traffic_surge": "Request volume is far above normal; more tasks absorb it.",
                "memory_exhaustion": "Tasks hit their memory limit under load; more tasks spread the load.",
                "throttling": "Requests are rejected at the service's capacity; more tasks raise it."}.get(
            facts.category, "CPU is pinned across tasks; more tasks spread the load."),
        changes="The service's desiredCount (ecs:UpdateService). Cost rises with the task count. An "
                "Application Auto Scaling policy may later move it again.",
        constants=constants, prechecks=tuple(pre),
        apply=(Call("ecs", "UpdateService", _SVC + params(desiredCount=Var("NEW_DESIRED")), write=True,
                    query="service.desiredCount", label="set the desired count"), _STABLE),
        verify=(_STATE,),
        rollback=(Call("ecs", "UpdateService", _SVC + params(desiredCount=Var("CURRENT_DESIRED")), write=True),),
        prerequisites=("ecs:DescribeServices, ecs:UpdateService",
                       "cluster capacity (Fargate quota or container instances) for the extra tasks"))


def force_new_deployment(facts: RemediationFacts) -> Plan:
    """Replace every task with a fresh one from the same task definition."""
    reason = {"db_connection_exhaustion": "Tasks hold leaked database connections; fresh tasks release them.",
              "storage_exhaustion": "Task storage is full; fresh tasks start with empty ephemeral storage.",
              "memory_exhaustion": "Tasks leak memory over time; fresh tasks start clean.",
              "config_change": "Tasks must pick up restored configuration (secrets/parameters read at start)."}
    return make_plan(
        facts, script_id="ecs-force-new-deployment", title="Force a new deployment of the ECS service",
        risk="medium",
        what=f"Start a rolling replacement of every task of {facts.resource.id} (same task definition).",
        reason=reason.get(facts.category, "A rolling restart clears per-task state."),
        changes="Every running task is replaced, respecting the service's minimum healthy percent "
                "(ecs:UpdateService forceNewDeployment).",
        constants=_constants(facts), prechecks=(_STATE,) + _no_rollout_in_progress(),
        apply=(Call("ecs", "UpdateService", _SVC + params(forceNewDeployment=Flag(True)), write=True,
                    query="service.deployments[0].{id:id,status:status}", label="force a new deployment"), _STABLE),
        verify=(_STATE,),
        rollback_note="Nothing to undo: tasks run the same task definition. If the rollout stalls, the "
                      "deployment circuit breaker (if enabled) rolls back; otherwise scale as needed.",
        prerequisites=("ecs:DescribeServices, ecs:UpdateService",))


def rollback_task_definition(facts: RemediationFacts) -> Plan:
    """Run the previous task definition revision again."""
    target = facts.str_prop("previous_task_definition") or ""
    return make_plan(
        facts, script_id="ecs-rollback-task-definition", title="Roll back to the previous task definition",
        risk="medium",
        what=f"Update {facts.resource.id} to run task definition {target or 'TARGET_TASK_DEFINITION'} again.",
        reason="A new task definition (image or configuration) was deployed shortly before the errors began.",
        changes="The service's task definition (ecs:UpdateService); tasks are replaced by a rolling deployment.",
        constants={**_constants(facts), "TARGET_TASK_DEFINITION": target},
        prechecks=(_STATE,
                   Call("ecs", "DescribeServices", _DESCRIBE, query="services[0].taskDefinition",
                        capture="CURRENT_TASK_DEFINITION", label="task definition now"),
                   Call("ecs", "DescribeTaskDefinition", params(taskDefinition=Var("CURRENT_TASK_DEFINITION")),
                        query="taskDefinition.family", capture="FAMILY", label="its family"),
                   Call("ecs", "ListTaskDefinitions", params(familyPrefix=Var("FAMILY"), sort=Lit("DESC"),
                                                             maxResults=Lit(5)),
                        query="taskDefinitionArns", label="newest revisions of the family (candidates)"),
                   StopIf("empty", "TARGET_TASK_DEFINITION", None, "Pre-check failed: set TARGET_TASK_DEFINITION "
                          "(family:revision of the last good revision, from the candidates above) and re-review.", 1),
                   Call("ecs", "DescribeTaskDefinition", params(taskDefinition=Var("TARGET_TASK_DEFINITION")),
                        query="taskDefinition.{arn:taskDefinitionArn,status:status,"
                              "images:containerDefinitions[].image}", label="target revision exists"),
                   Call("ecs", "DescribeTaskDefinition", params(taskDefinition=Var("TARGET_TASK_DEFINITION")),
                        query="taskDefinition.taskDefinitionArn", capture="TARGET_ARN", label="target revision"),
                   StopIf("eq", "CURRENT_TASK_DEFINITION", Var("TARGET_ARN"),
                          "The service already runs the target revision: nothing to do.")),
        # no "rollout in progress" stop: a bad deployment that keeps failing is itself a rollout in progress, and
        # UpdateService during it is the standard way back
        apply=(Call("ecs", "UpdateService", _SVC + params(taskDefinition=Var("TARGET_TASK_DEFINITION")),
                    write=True, query="service.taskDefinition", label="switch the task definition"), _STABLE),
        verify=(_STATE,),
        rollback=(Call("ecs", "UpdateService", _SVC + params(taskDefinition=Var("CURRENT_TASK_DEFINITION")),
                       write=True),),
        prerequisites=("ecs:DescribeServices, ecs:DescribeTaskDefinition, ecs:UpdateService",
                       "iam:PassRole on the task and execution roles"))
