"""API Gateway and load-balancer templates: stage throttling, stage rollback, Auto Scaling scale-out."""
from __future__ import annotations

import logging

from analyzers.remediation.facts import RemediationFacts, make_plan
from analyzers.remediation.steps import Call, Grow, Lit, Plan, Say, StopIf, Var, VarList, params
from analyzers.remediation.templates_common import api_id

logger = logging.getLogger(__name__)

_STAGE = params(restApiId=Var("API_ID"), stageName=Var("STAGE"))


def _stage_constants(facts: RemediationFacts) -> dict | None:
    known, stage = api_id(facts), facts.str_prop("stage", "stage_name")
    return {"API_ID": known, "STAGE": stage} if known and stage else None


def raise_stage_throttle(facts: RemediationFacts) -> Plan | None:
    """Double the stage's default method throttling (rate and burst)."""
    constants = _stage_constants(facts)
    rate, burst = facts.int_prop("throttle_rate_limit"), facts.int_prop("throttle_burst_limit")
    if constants is None or not rate:
        return None
    burst = burst or rate

    def patch(rate_limit: int, burst_limit: int) -> list[dict]:
        return [{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(rate_limit)},
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(burst_limit)}]

    constants.update(NEW_PATCH=patch(rate * 2, burst * 2), OLD_PATCH=patch(rate, burst))
    return make_plan(
        facts, script_id="apigateway-raise-stage-throttle", title="Raise the stage throttling limits", risk="medium",
        what=f"Raise the default method throttling of stage {constants['STAGE']} of API {facts.resource.id} from "
             f"{rate} to {rate * 2} requests/s (burst {burst} to {burst * 2}).",
        reason="Clients receive 429 Too Many Requests at the stage limit." if facts.category == "throttling"
        else "Request volume is far above normal and the stage limit rejects the excess.",
        changes="The stage's method settings (apigateway:UpdateStage). Backends receive more traffic; the "
                "account-level limit still applies.",
        constants=constants,
        prechecks=(Call("apigateway", "GetStage", _STAGE, label="stage throttling now",
                        query="{deployment:deploymentId,settings:methodSettings}"),
                   Call("apigateway", "GetStage", _STAGE, query="methodSettings.\"*/*\".throttlingRateLimit",
                        capture="LIVE_RATE", label="default rate limit"),
                   StopIf("ne", "LIVE_RATE", Lit(str(float(rate))), f"Pre-check failed: the stage's default rate "
                          f"limit is not the {rate} requests/s the investigation read (raised since?), so this "
                          "change and its rollback are stale; re-run the investigation.", 1),
                   Call("apigateway", "GetAccount", query="throttleSettings", label="account-level throttling")),
        apply=(Call("apigateway", "UpdateStage", _STAGE + params(patchOperations=Var("NEW_PATCH")), write=True,
                    query="methodSettings", label="raise the limits"),),
        verify=(Call("apigateway", "GetStage", _STAGE, query="methodSettings", label="stage throttling after"),),
        rollback=(Call("apigateway", "UpdateStage", _STAGE + params(patchOperations=Var("OLD_PATCH")), write=True),),
        prerequisites=("apigateway:GET and apigateway:PATCH on the stage",))


def redeploy_previous(facts: RemediationFacts) -> Plan | None:
    """Point the stage back at the previous deployment."""
    constants = _stage_constants(facts)
    previous = facts.str_prop("previous_deployment_id")
    if constants is None or not previous:
        return None
    constants["TARGET_DEPLOYMENT"] = previous
    constants["PATCH"] = [{"op": "replace", "path": "/deploymentId", "value": previous}]
    return make_plan(
        facts, script_id="apigateway-rollback-stage-deployment", title="Roll the stage back to the previous deployment",
        risk="medium",
        what=f"Point stage {constants['STAGE']} of API {facts.resource.id} at deployment {previous}.",
        reason="A new deployment (or configuration) reached the stage shortly before the errors began.",
        changes="The stage's deploymentId (apigateway:UpdateStage); stage variables and settings stay.",
        constants=constants,
        prechecks=(Call("apigateway", "GetDeployments", params(restApiId=Var("API_ID")),
                        query="items[:10].[id,createdDate,description]", label="recent deployments"),
                   Call("apigateway", "GetStage", _STAGE, query="deploymentId", capture="CURRENT_DEPLOYMENT",
                        label="deployment served now"),
                   StopIf("eq", "CURRENT_DEPLOYMENT", Var("TARGET_DEPLOYMENT"), "The stage already serves the "
                          "target deployment: nothing to do.")),
        apply=(Call("apigateway", "UpdateStage", _STAGE + params(patchOperations=Var("PATCH")), write=True,
                    query="deploymentId", label="switch the deployment"),),
        verify=(Call("apigateway", "GetStage", _STAGE, query="deploymentId", label="deployment after"),),
        rollback_note="To undo, patch /deploymentId back to the CURRENT_DEPLOYMENT printed in the pre-checks "
                      "(aws apigateway update-stage --patch-operations op=replace,path=/deploymentId,value=ID).",
        prerequisites=("apigateway:GET and apigateway:PATCH on the stage",))


def scale_out_asg(facts: RemediationFacts) -> Plan | None:
    """Raise desired and max capacity of the Auto Scaling group behind the load balancer/instance."""
    group = facts.str_prop("autoscaling_group", "asg_name")
    if not group:
        return None
    asg = params(AutoScalingGroupName=Var("ASG_NAME"))
    describe = params(AutoScalingGroupNames=VarList("ASG_NAME"))
    return make_plan(
        facts, script_id=f"{facts.service}-scale-out-asg", title="Scale out the Auto Scaling group", risk="low",
        what=f"Raise desired capacity (and max size) of Auto Scaling group {group} by about 50 %.",
        reason={"traffic_surge": "Request volume is far above normal; more instances absorb it.",
                "throttling": "Targets reject requests at their capacity; more instances raise it."}.get(
            facts.category, "Targets are saturated; more instances spread the load."),
        changes="DesiredCapacity and MaxSize of one Auto Scaling group (autoscaling:UpdateAutoScalingGroup); "
                "cost rises with the instance count; scaling policies may move it again.",
        constants={"ASG_NAME": group},
        prechecks=(Call("autoscaling", "DescribeAutoScalingGroups", describe, label="group now",
                        query="AutoScalingGroups[0].{min:MinSize,desired:DesiredCapacity,max:MaxSize,"
                              "instances:length(Instances)}"),
                   Call("autoscaling", "DescribeAutoScalingGroups", describe, capture="CURRENT_DESIRED",
                        query="AutoScalingGroups[0].DesiredCapacity", label="desired now"),
                   Call("autoscaling", "DescribeAutoScalingGroups", describe, capture="CURRENT_MAX",
                        query="AutoScalingGroups[0].MaxSize", label="max now"),
                   Grow("NEW_DESIRED", "CURRENT_DESIRED", 50, 1, 1000),
                   Grow("NEW_MAX", "CURRENT_MAX", 50, 1, 2000),
                   Say("Plan: desired {CURRENT_DESIRED} -> {NEW_DESIRED}, max {CURRENT_MAX} -> {NEW_MAX}")),
        apply=(Call("autoscaling", "UpdateAutoScalingGroup", asg + params(DesiredCapacity=Var("NEW_DESIRED"),
                                                                          MaxSize=Var("NEW_MAX")),
                    write=True, label="raise capacity"),),
        verify=(Call("autoscaling", "DescribeAutoScalingGroups", describe, label="group after",
                     query="AutoScalingGroups[0].{desired:DesiredCapacity,max:MaxSize,"
                           "instances:Instances[].[InstanceId,LifecycleState]}"),),
        rollback=(Call("autoscaling", "UpdateAutoScalingGroup", asg + params(DesiredCapacity=Var("CURRENT_DESIRED"),
                                                                             MaxSize=Var("CURRENT_MAX")),
                       write=True),),
        prerequisites=("autoscaling:DescribeAutoScalingGroups, autoscaling:UpdateAutoScalingGroup",))
