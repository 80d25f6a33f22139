"""Red herrings every scenario carries: an unrelated healthy resource with its own logs, an unrelated
deployment to it 1-3 h ago, and/or a benign spike on it that ended long before the incident."""
from __future__ import annotations

import numpy as np

from . import compute, content, logs
from .builder import Scenario
from .lambda_sim import LambdaFunction, emit
from .series import baseline, bump, clip
from .timeline import START


def add_background(sc: Scenario, kind: str | None = None, deploy: bool | None = None) -> None:
    """Add one unrelated resource plus a deployment to it and/or a benign spike on it."""
    kind = kind or sc.pick(["lambda", "lambda", "ec2", "ecs"])
    deploy_default, spike = sc.pick([(True, True), (True, False), (False, True)])
    deploy = deploy_default if deploy is None else deploy
    deploy_at = float(-sc.randint(3700, 10500))
    spike_end_limit = sc.onset - 45 * 60
    spike_at = sc.uniform(START + 600, spike_end_limit - 25 * 60)
    {"lambda": _lambda, "ec2": _ec2, "ecs": _ecs}[kind](sc, deploy_at if deploy else None,
                                                        spike_at if spike else None)


def _lambda(sc: Scenario, deploy_at: float | None, spike_at: float | None) -> None:
    domain = sc.namer.domain()
    name = sc.namer.function(domain)
    rate = baseline(sc.rng, sc.uniform(0.6, 2.5), 0.05, 0.3)
    duration_factor = np.ones_like(rate)
    if spike_at is not None:
        minutes = sc.randint(8, 20)
        rate = bump(rate, spike_at, minutes, sc.uniform(6, 12), "triangle")
        duration_factor = bump(duration_factor, spike_at, minutes, sc.uniform(1.5, 3.0), "triangle")
        sc.decoys.append(f"benign batch spike on {name} (Invocations/Duration) ending long before onset")
    fn = LambdaFunction(name=name, rate=rate, work=content.work(domain, 0.8),
                        runtime=sc.pick(["python3.12", "python3.11", "nodejs20.x"]),
                        memory_size=sc.pick([256, 512, 1024]), timeout=sc.pick([15, 30, 60]),
                        duration_ms=sc.uniform(80, 900), duration_factor=duration_factor,
                        memory_used_mb=sc.randint(70, 180), restarts=[deploy_at] if deploy_at else [])
    _, refs = emit(sc, fn)
    if deploy_at is not None:
        user = sc.namer.user()
        sc.add_change(deploy_at, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                      name, user)
        sc.add_change(deploy_at + sc.randint(5, 30), "lambda.amazonaws.com", "PublishVersion20150331",
                      "AWS::Lambda::Function", name, user)
        sc.decoys.append(f"unrelated deployment to {name} {int(-deploy_at / 60)} min ago")
    sc.add_alarm(f"{name}-errors", refs["Errors"], "Sum", 5, state="OK")
    sc.decoys.append(f"second healthy function {name}")


def _ec2(sc: Scenario, deploy_at: float | None, spike_at: float | None) -> None:
    instance = sc.namer.instance_id()
    name = f"{sc.pick(['batch', 'reports', 'etl', 'cron', 'bastion'])}-{sc.randint(1, 4)}"
    series = compute.ec2_baseline(sc, sc.uniform(5, 20))
    group = f"/app/{name.split('-')[0]}/jobs"
    events = []
    for t in compute.sampled_times(sc, (240, 720)):
        events.append((t, logs.syslog(t, name, "jobrunner[812]", f"job sync-{sc.namer.hex(6)} finished in "
                                      f"{sc.uniform(2, 40):.1f}s status=ok")))
    if spike_at is not None:
        minutes = sc.randint(10, 20)
        series["CPUUtilization"] = clip(bump(series["CPUUtilization"], spike_at, minutes, 100), 0, 100)
        series["NetworkIn"] = bump(series["NetworkIn"], spike_at, minutes, series["NetworkIn"].mean() * 1.5)
        events.append((spike_at + 2, logs.syslog(spike_at + 2, name, "jobrunner[812]",
                                                 "job nightly-reindex started (full rebuild)")))
        end = spike_at + minutes * 60 - 20
        events.append((end, logs.syslog(end, name, "jobrunner[812]", "job nightly-reindex finished status=ok")))
        sc.decoys.append(f"benign CPU spike on {instance} ({name}) ending long before onset")
    if deploy_at is not None:
        sc.add_change(deploy_at, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", instance,
                      sc.namer.user())
        sc.decoys.append(f"unrelated change to instance {instance} {int(-deploy_at / 60)} min ago")
    refs = compute.emit_ec2(sc, instance, name, series, sc.pick(["m6i.large", "c6i.xlarge", "t3.large"]), [group])
    sc.add_log(group, instance, events)
    sc.add_alarm(f"{name}-cpu-high", refs["CPUUtilization"], "Average", 95, period=300, evaluation_periods=3,
                 state="OK")
    sc.decoys.append(f"second healthy instance {instance}")


def _ecs(sc: Scenario, deploy_at: float | None, spike_at: float | None) -> None:
    cluster, service = sc.namer.cluster(), sc.namer.service()
    series = compute.ecs_baseline(sc)
    if spike_at is not None:
        minutes = sc.randint(8, 18)
        series["CPUUtilization"] = clip(bump(series["CPUUtilization"], spike_at, minutes, sc.uniform(40, 60),
                                             "triangle"), 0, 100)
        sc.decoys.append(f"benign CPU spike on {cluster}/{service} ending long before onset")
    compute.emit_ecs(sc, cluster, service, series, desired_count=2)
    switch = deploy_at if deploy_at is not None else 1.0
    streams: dict[str, list] = {"old": [], "new": []}
    for t in compute.sampled_times(sc, (15, 45)):
        target = streams["new" if t >= switch else "old"]
        path = sc.pick(["/healthz", "/v1/items", "/v1/items/search", "/v1/status"])
        target.append((t, logs.json_line(t, "info", "request completed", path=path, status=200,
                                         duration_ms=sc.randint(3, 120))))
    if deploy_at is not None:
        user = sc.namer.user()
        sc.add_change(deploy_at - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                      service, user)
        sc.add_change(deploy_at, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
                      f"{cluster}/{service}", user)
        streams["new"].insert(0, (deploy_at + 30, logs.json_line(deploy_at + 30, "info", "server listening",
                                                                 port=8080, version=f"1.{sc.randint(4, 40)}.0")))
        sc.decoys.append(f"unrelated ECS deployment to {cluster}/{service} {int(-deploy_at / 60)} min ago")
    for events in streams.values():
        sc.add_log(f"/ecs/{service}", compute.ecs_stream(sc, service), events)
    sc.decoys.append(f"second healthy ECS service {cluster}/{service}")
