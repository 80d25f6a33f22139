"""Incidents in an ECS service behind an ALB: deployment, config, permission, app error, CPU, memory."""
from __future__ import annotations

import numpy as np

from . import decoys, logs
from .builder import Scenario
from .common import alarm_from_data, lead_time
from .names import ACCOUNT, role_arn_session
from .series import clip, ramp
from .tier import EcsTier, add_5xx, ecs_tier, emit_tier, error_line, frames_for
from .web import share_after

JAVA_REGRESSIONS = [
    ("java.lang.NullPointerException", 'Cannot invoke "{cls}.getCurrency()" because "{var}" is null'),
    ("java.lang.ClassCastException", "class java.lang.Integer cannot be cast to class java.lang.Long"),
    ("java.lang.IllegalArgumentException", "No enum constant com.example.{domain}.Status.PARTIALLY_SHIPPED"),
]
NODE_REGRESSIONS = [("TypeError", "Cannot read properties of undefined (reading 'currency')"),
                    ("TypeError", "order.lines.reduce is not a function")]


def _deploy(sc: Scenario, tier: EcsTier, at: float, user: str) -> None:
    sc.add_change(at - sc.randint(20, 90), "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                  tier.service, user)
    sc.add_change(at, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", tier.id, user)
    tier.restarts.append(at + sc.uniform(40, 120))


def _regression(sc: Scenario, tier: EcsTier) -> tuple[str, str]:
    exc, message = sc.pick(JAVA_REGRESSIONS if tier.style == "java" else NODE_REGRESSIONS)
    return exc, message.format(cls=tier.domain.capitalize() + "Order", var="order.getPayment()", domain=tier.domain)


def _alarm_5xx(sc: Scenario, tier: EcsTier, refs: dict) -> str:
    return alarm_from_data(sc, f"{tier.service}-5xx", refs["HTTPCode_Target_5XX_Count"], "Sum",
                           description=f"{tier.service} target 5XX")


def bad_deployment_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    deployed = lead_time(sc, 5, 18)
    _deploy(sc, tier, deployed, sc.namer.user())
    sc.onset = max(sc.onset, tier.restarts[0] + 60)
    exc, message = _regression(sc, tier)
    share = share_after(sc.onset, sc.uniform(0.08, 0.35))
    add_5xx(tier, share, sc.rng)
    alb, _ = emit_tier(sc, tier, share, error_line(sc, tier, exc, message, frames_for(tier, "priceOrder", 212)))
    alarm = _alarm_5xx(sc, tier, alb)
    sc.description = f"{tier.service} returning 5XX; on-call paged."
    decoys.add_background(sc)
    sc.set_expect(alarm, "bad_deployment", [tier.id], [alb["HTTPCode_Target_5XX_Count"]])


def config_change_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    changed = lead_time(sc, 3, 12)
    _deploy(sc, tier, changed, sc.namer.user(human=True))
    sc.onset = max(sc.onset, tier.restarts[0] + 30)
    setting = sc.pick(["ORDERS_QUEUE_URL", "PAYMENT_API_URL", "REDIS_URL", "FEATURE_FLAGS_URL", "JWT_ISSUER"])
    if tier.style == "java":
        exc = "java.lang.IllegalStateException"
        message = f"Required environment variable {setting} is not set"
    else:
        exc, message = "Error", f"environment variable {setting} is not set"
    share = share_after(sc.onset, sc.uniform(0.3, 0.9), 60)
    add_5xx(tier, share, sc.rng)
    alb, _ = emit_tier(sc, tier, share, error_line(sc, tier, exc, message, frames_for(tier, "resolveEndpoint", 64)))
    sc.resources[-1]["properties"]["environment"] = {"SPRING_PROFILES_ACTIVE": "prod", "LOG_FORMAT": tier.style}
    alarm = _alarm_5xx(sc, tier, alb)
    sc.description = f"{tier.service} error rate alarm."
    decoys.add_background(sc)
    sc.set_expect(alarm, "config_change", [tier.id], [alb["HTTPCode_Target_5XX_Count"]])


def permission_denied_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    role = sc.pick([f"{tier.service}-task-role", f"ecs-{tier.domain}-task", "ecs-shared-task-role"])
    queue = f"arn:aws:sqs:{sc.region}:{ACCOUNT}:{tier.domain}-events"
    message = (f"User: {role_arn_session(role, sc.namer.hex(32))} is not authorized to perform: sqs:SendMessage "
               f"on resource: {queue} because no identity-based policy allows the sqs:SendMessage action")
    exc = "software.amazon.awssdk.services.sqs.model.SqsException" if tier.style == "java" else "AccessDenied"
    share = share_after(sc.onset, sc.uniform(0.2, 0.6), 60)
    add_5xx(tier, share, sc.rng)
    alb, _ = emit_tier(sc, tier, share, error_line(sc, tier, exc, message, frames_for(tier, "publishEvent", 133)))
    sc.resources[-1]["properties"]["task_role"] = role
    sc.add_change(lead_time(sc, 1, 10), "iam.amazonaws.com", sc.pick(["DetachRolePolicy", "DeleteRolePolicy",
                                                                    "PutRolePolicy"]),
                  "AWS::IAM::Role", role, sc.pick(["terraform", sc.namer.user(human=True)]))
    alarm = _alarm_5xx(sc, tier, alb)
    sc.description = f"{tier.service} 5XX alarm; events not being published."
    decoys.add_background(sc)
    sc.set_expect(alarm, "permission_denied", [tier.id, role], [alb["HTTPCode_Target_5XX_Count"]])


def application_error_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    exc, message = _regression(sc, tier)
    share = share_after(sc.onset, sc.uniform(0.05, 0.2), 30)
    add_5xx(tier, share, sc.rng)
    alb, _ = emit_tier(sc, tier, share, error_line(sc, tier, exc, message, frames_for(tier, "applyPromotion", 98)))
    alarm = _alarm_5xx(sc, tier, alb)
    sc.description = f"{tier.service} intermittent 5XX."
    decoys.add_background(sc, sc.pick(["lambda", "ecs"]), deploy=True)
    sc.set_expect(alarm, "application_error", [tier.id], [alb["HTTPCode_Target_5XX_Count"]])


def cpu_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    tier.ecs["CPUUtilization"] = clip(ramp(tier.ecs["CPUUtilization"], sc.onset, 99.0, sc.uniform(2, 6), sc.rng,
                                           0.01), 0, 100)
    tier.alb["TargetResponseTime"] = ramp(tier.alb["TargetResponseTime"], sc.onset,
                                          tier.alb["TargetResponseTime"] * sc.uniform(8, 20), 5, sc.rng, 0.1)
    share = share_after(sc.onset, sc.uniform(0.005, 0.03), 300)
    add_5xx(tier, share, sc.rng)
    slow = "Slow request: {ms} ms (event loop lag {lag} ms)" if tier.style == "json" else \
        "Request handling exceeded {ms} ms; executor queue depth {lag}"
    for t in np.sort(sc.rng.uniform(sc.onset, -60, sc.randint(40, 100))):
        text = slow.format(ms=sc.randint(2500, 9000), lag=sc.randint(200, 1500))
        t = float(t)
        tier.extra_events.append((t, logs.json_line(t, "warn", text) if tier.style == "json" else
                                  logs.java_line(t, "WARN", f"http-nio-8080-exec-{sc.randint(1, 24)}",
                                                 f"c.e.{tier.domain}.web.LatencyFilter", text)))
    if tier.style == "java":
        exc, message = ("java.util.concurrent.RejectedExecutionException", "Task rejected from java.util.concurrent."
                        "ThreadPoolExecutor[Running, pool size = 200, active threads = 200, queued tasks = 1000]")
    else:
        exc, message = "Error", "Server overloaded: event loop lag above 2000 ms, rejecting request"
    alb, ecs = emit_tier(sc, tier, share, error_line(sc, tier, exc, message, frames_for(tier, "render", 77)))
    if sc.chance(0.5):
        alarm = alarm_from_data(sc, f"{tier.service}-cpu-high", ecs["CPUUtilization"], "Average", period=300,
                                evaluation_periods=1)
    else:
        alarm = alarm_from_data(sc, f"{tier.service}-latency", alb["TargetResponseTime"], "Average", period=60,
                                evaluation_periods=3)
    sc.description = f"{tier.service} slow; alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "cpu_saturation", [tier.id], [ecs["CPUUtilization"], alb["TargetResponseTime"]])


def memory_ecs(sc: Scenario) -> None:
    tier = ecs_tier(sc)
    crash_every = sc.uniform(240, 600)
    crashes = list(np.arange(sc.onset + crash_every * 0.6, -90, crash_every))
    tier.restarts += [float(c) + 5 for c in crashes]
    mem = ramp(tier.ecs["MemoryUtilization"], sc.onset - 900, 99.5, 15, sc.rng, 0.005)
    for c in crashes:  # sawtooth: a fresh task starts low and leaks again
        idx = int((c + 10800) // 60)
        mem[idx:idx + 3] = np.minimum(mem[idx:idx + 3], [55, 75, 92][:len(mem[idx:idx + 3])])
    tier.ecs["MemoryUtilization"] = clip(mem, 0, 100)
    for c in crashes:
        line = (logs.java_line(c, "ERROR", "http-nio-8080-exec-3", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                               "Handler dispatch failed; nested exception is java.lang.OutOfMemoryError: Java heap space")
                if tier.style == "java" else
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory")
        tier.extra_events.append((float(c) - 2, line))
    share = share_after(sc.onset, sc.uniform(0.03, 0.12), 120)
    add_5xx(tier, share, sc.rng)
    add_5xx(tier, share_after(sc.onset, 0.01, 60), sc.rng, "HTTPCode_ELB_5XX_Count")
    alb, ecs = emit_tier(sc, tier, share, error_line(sc, tier, "java.lang.OutOfMemoryError" if tier.style == "java"
                                                     else "RangeError", "Java heap space" if tier.style == "java" else
                                                     "Array buffer allocation failed", frames_for(tier, "loadCatalog", 301)))
    alarm = alarm_from_data(sc, f"{tier.service}-memory-high", ecs["MemoryUtilization"], "Average", period=60,
                            evaluation_periods=3) if sc.chance(0.5) else _alarm_5xx(sc, tier, alb)
    sc.description = f"{tier.service} tasks restarting; users see errors."
    decoys.add_background(sc)
    sc.set_expect(alarm, "memory_exhaustion", [tier.id], [ecs["MemoryUtilization"]])
