"""The template library: which templates answer which (service, category), and ``build_scripts``.

The first template that applies is rendered in bash and python (boto3); the
second, when there is one, as a plain AWS CLI sequence. Every rendered body is
checked by ``check_script_safety`` before it is returned.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
from typing import Callable, Optional

from analyzers.model import Script
from analyzers.remediation import templates_ec2 as ec2
from analyzers.remediation import templates_ecs as ecs
from analyzers.remediation import templates_edge as edge
from analyzers.remediation import templates_lambda as lam
from analyzers.remediation import templates_rds as rds
from analyzers.remediation.facts import RemediationFacts
from analyzers.remediation.render_python import render_python
from analyzers.remediation.render_shell import render_aws_cli, render_bash
from analyzers.remediation.safety import check_script_safety
from analyzers.remediation.steps import Plan
from analyzers.remediation.templates_common import diagnostics, iam_reattach_policy

logger = logging.getLogger(__name__)

Template = Callable[[RemediationFacts], Optional[Plan]]

SERVICES = ("lambda", "ec2", "rds", "ecs", "apigateway", "alb", "other")

# (service, category) -> templates in preference order. Missing entries get diagnostics only.
REGISTRY: dict[tuple[str, str], tuple[Template, ...]] = {
    ("lambda", "bad_deployment"): (lam.rollback_alias, diagnostics),
    ("lambda", "config_change"): (lam.undo_config_change, lam.rollback_alias),
    ("lambda", "permission_denied"): (iam_reattach_policy, diagnostics),
    ("lambda", "db_connection_exhaustion"): (lam.cap_concurrency, diagnostics),
    ("lambda", "cpu_saturation"): (lam.raise_memory, diagnostics),
    ("lambda", "memory_exhaustion"): (lam.raise_memory, diagnostics),
    ("lambda", "storage_exhaustion"): (lam.raise_ephemeral_storage, diagnostics),
    ("lambda", "throttling"): (lam.raise_concurrency, diagnostics),
    ("lambda", "function_timeout"): (lam.raise_timeout, diagnostics),
    ("lambda", "traffic_surge"): (lam.raise_concurrency, diagnostics),
    ("ecs", "bad_deployment"): (ecs.rollback_task_definition, diagnostics),
    ("ecs", "config_change"): (ecs.rollback_task_definition, ecs.force_new_deployment),
    ("ecs", "permission_denied"): (iam_reattach_policy, diagnostics),
    ("ecs", "db_connection_exhaustion"): (ecs.force_new_deployment, diagnostics),
    ("ecs", "cpu_saturation"): (ecs.scale_service, diagnostics),
    ("ecs", "memory_exhaustion"): (ecs.scale_service, ecs.force_new_deployment),
    ("ecs", "storage_exhaustion"): (ecs.force_new_deployment, diagnostics),
    ("ecs", "throttling"): (ecs.scale_service, diagnostics),
    ("ecs", "traffic_surge"): (ecs.scale_service, diagnostics),
    ("rds", "db_connection_exhaustion"): (rds.raise_max_connections, rds.reboot),
    ("rds", "cpu_saturation"): (rds.modify_instance_class, diagnostics),
    ("rds", "memory_exhaustion"): (rds.modify_instance_class, rds.reboot),
    ("rds", "storage_exhaustion"): (rds.grow_storage, diagnostics),
    ("rds", "throttling"): (rds.grow_storage, diagnostics),
    ("rds", "traffic_surge"): (rds.modify_instance_class, diagnostics),
    ("ec2", "permission_denied"): (iam_reattach_policy, diagnostics),
    ("ec2", "cpu_saturation"): (ec2.investigate_processes, ec2.resize_instance),
    ("ec2", "memory_exhaustion"): (ec2.investigate_processes, ec2.reboot_instance),
    ("ec2", "storage_exhaustion"): (ec2.grow_volume, ec2.investigate_processes),
    ("ec2", "throttling"): (ec2.unlimited_credits, diagnostics),
    ("ec2", "traffic_surge"): (edge.scale_out_asg, ec2.resize_instance),
    ("apigateway", "bad_deployment"): (edge.redeploy_previous, diagnostics),
    ("apigateway", "config_change"): (edge.redeploy_previous, diagnostics),
    ("apigateway", "throttling"): (edge.raise_stage_throttle, diagnostics),
    ("apigateway", "traffic_surge"): (edge.raise_stage_throttle, diagnostics),
    ("alb", "cpu_saturation"): (edge.scale_out_asg, diagnostics),
    ("alb", "throttling"): (edge.scale_out_asg, diagnostics),
    ("alb", "traffic_surge"): (edge.scale_out_asg, diagnostics),
}

_RENDERERS = {"bash": render_bash, "python": render_python, "aws-cli": render_aws_cli}
_ID_SUFFIX = {"bash": "", "python": "-py", "aws-cli": "-cli"}
_RUN_HINT = {
    "bash": ("bash {file}", "bash {file} --apply"),
    "python": ("python3 {file}", "python3 {file} --apply"),
    "aws-cli": ("paste the PRE-CHECK commands one by one", "un-comment the '# APPLY>' lines one at a time"),
}
_FILE_EXT = {"bash": "sh", "python": "py", "aws-cli": "txt"}


class UnsafeTemplateError(AssertionError):
    """A rendered template failed the static safety check: a bug in the library, never shipped."""


def plans_for(facts: RemediationFacts) -> list[Plan]:
    """The applicable plans, best first, at most two; diagnostics when nothing else applies."""
    if facts.category == "unknown":
        return [diagnostics(facts)]
    plans: list[Plan] = []
    preferred_applies = True
    for n, template in enumerate(REGISTRY.get((facts.service, facts.category), (diagnostics,))):
        plan = template(facts)
        preferred_applies &= n > 0 or plan is not None
        if plan is not None and plan.script_id not in {p.script_id for p in plans}:
            plans.append(plan)
    if plans and plans[0].risk == "high" and not preferred_applies:
        # the preferred fix lacks a fact it needs (e.g. max_connections unknown): a riskier fallback is never the
        # ready-to-run script; read-only diagnostics are, and the fallback is shown as commented CLI steps
        plans = [diagnostics(facts), plans[0]]
    return plans[:2] or [diagnostics(facts)]


def build_scripts(facts: RemediationFacts) -> list[Script]:
    """1-3 reviewed, safety-checked scripts for the classified root cause. Nothing is executed."""
    plans = plans_for(facts)
    jobs = [(plans[0], "bash"), (plans[0], "python")] + [(plan, "aws-cli") for plan in plans[1:]]
    scripts = [render_script(plan, language) for plan, language in jobs]
    logger.debug("built %d scripts for %s/%s", len(scripts), facts.service, facts.category)
    return scripts


def render_script(plan: Plan, language: str) -> Script:
    """Render, safety-check and wrap one plan in one language."""
    script_id = plan.script_id + _ID_SUFFIX[language]
    body = _RENDERERS[language](dataclasses.replace(plan, script_id=script_id))  # the body names its own id
    issues = check_script_safety(language, body)
    if issues:
        raise UnsafeTemplateError(f"{script_id} ({language}) failed the safety check: {issues}")
    return Script(
        id=script_id, language=language, title=plan.title, body=body,
        sha256=hashlib.sha256(body.encode()).hexdigest(), risk=plan.risk, category=plan.category,
        description=f"{plan.what} Why: {plan.why} Risk: {plan.risk}.",
        instructions=_instructions(plan, language, f"{script_id}.{_FILE_EXT[language]}"),
        changes=plan.changes)


def _instructions(plan: Plan, language: str, file_name: str) -> str:
    dry, apply = (hint.format(file=file_name) for hint in _RUN_HINT[language])
    lines = [f"Prerequisites: AWS credentials for region {plan.constants['REGION']} allowing: "
             + ("; ".join(plan.prerequisites) or "the read calls in the script") + "."]
    if language == "python":
        lines.append("Needs python3 with boto3 (pip install boto3).")
    else:
        lines.append("Needs AWS CLI v2 and bash.")
    lines.append(f"1. Save the script as {file_name} and read it; check the sha256 matches the approved one.")
    blanks = [name for name, value in plan.constants.items() if value == ""]
    if blanks and language != "aws-cli":  # given in the environment, so the approved body runs unchanged
        lines.append("   It needs " + ", ".join(blanks) + " given when you run it, e.g. "
                     + " ".join(f"{name}=..." for name in blanks) + f" {dry}; do not edit the file.")
    if plan.read_only:
        lines.append(f"2. Run it: {dry}. It only reads.")
    else:
        lines.append(f"2. Dry run (the default): {dry}. It runs the pre-checks and prints the plan, changing nothing.")
        lines.append(f"3. Apply: {apply}"
                     + (". Production: type the resource id when asked." if plan.production else "."))
        lines.append("4. Keep the printed rollback command until the alarm has recovered.")
    return "\n".join(lines)
