"""Scenarios with ECS services behind an ALB."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, N, T, Ctx, alb_metrics, ecs_metrics
from .logfmt import pino, spring, times_in


def _tasks(ctx, n):
    return [ctx.hexid(32) for _ in range(n)]


def _emit(ctx, group, container, tasks_by_time, lines):
    """Spread (t, text) lines over the task streams alive at t: tasks_by_time = [(t_from, [task ids])]."""
    streams: dict[str, list] = {}
    for t, text in lines:
        alive = [g for g in tasks_by_time if g[0] <= t][-1][1]
        task = alive[int(ctx.rng.integers(0, len(alive)))]
        streams.setdefault(f"ecs/{container}/{task}", []).append((t, text))
    for s, ev in streams.items():
        ctx.log(group, s, ev)


def h01_payments_deploy():
    ctx = Ctx(901, "h9-01-payments-api-rollout", "eu-west-1", datetime(2026, 3, 3, 14, 40))
    lb = "app/payments-alb/3f9a1c2b4d5e6f70"
    ctx.resource("alb", lb)
    ctx.resource("ecs", "payments/payments-api")
    ctx.resource("ecs", "payments/ledger-worker")
    reg, upd, live = -2770, -2750, -2610
    a = ctx.after(live)
    req = ctx.noise(ctx.drift(880, 0.12), 30)
    fx = np.where(a, np.clip(ctx.rng.normal(0.11, 0.015, N), 0.05, 0.2), 0)
    t5 = np.round(req * fx) + ctx.poisson(np.full(N, 0.3))
    alb_metrics(ctx, lb, req, ctx.noise(0.142, 0.012), t5, ctx.poisson(np.full(N, 0.05)),
                np.where((T >= upd) & (T < live + 120), 8, 4), None)
    roll = ((T >= upd) & (T < live + 120)).astype(float)
    ecs_metrics(ctx, "payments", "payments-api", ctx.noise(41, 3) + 8 * roll, ctx.noise(58, 1.5) - 6 * ctx.after(live + 120),
                4 + 4 * roll)
    wroll = ((T >= -3560) & (T < -3380)).astype(float)
    ecs_metrics(ctx, "payments", "ledger-worker", ctx.noise(22, 2.5), ctx.noise(47, 1.2), 2 + 2 * wroll)

    old, new = _tasks(ctx, 4), _tasks(ctx, 4)
    lines = []
    app = "payments-api"
    for t in times_in(ctx, np.full(N, 18.0), LOG_START):
        cur = str(ctx.rng.choice(["EUR", "EUR", "GBP", "USD", "EUR", "PLN"]))
        lines.append((t, spring(ctx, t, "INFO", f"nio-8080-exec-{int(ctx.rng.integers(1, 64))}", "c.a.payments.web.ChargeController",
                                f"charge ch_{ctx.hexid(14)} authorised amount={int(ctx.rng.integers(100, 90000))} currency={cur} in {int(ctx.rng.integers(40, 260))} ms", app)))
    for t in times_in(ctx, np.full(N, 1.0), LOG_START):
        lines.append((t, spring(ctx, t, "WARN", f"nio-8080-exec-{int(ctx.rng.integers(1, 64))}", "c.a.payments.client.FraudClient",
                                "fraud score timeout after 800 ms, defaulting to REVIEW", app)))
    for t in times_in(ctx, np.where(a, 2.6, 0.0), LOG_START):
        lines.append((t, spring(ctx, t, "ERROR", f"nio-8080-exec-{int(ctx.rng.integers(1, 64))}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: "
                                "java.lang.NullPointerException: Cannot invoke \"java.math.BigDecimal.scale()\" because the return value of "
                                "\"com.acme.payments.fx.FxQuote.getRate()\" is null] with root cause\n"
                                "java.lang.NullPointerException: Cannot invoke \"java.math.BigDecimal.scale()\" because the return value of "
                                "\"com.acme.payments.fx.FxQuote.getRate()\" is null\n"
                                "\tat com.acme.payments.fx.FxConverter.convert(FxConverter.java:88)\n"
                                "\tat com.acme.payments.service.ChargeService.settleCurrency(ChargeService.java:214)\n"
                                "\tat com.acme.payments.web.ChargeController.create(ChargeController.java:61)", app)))
    for i, task in enumerate(new):
        t = upd + 60 + 12 * i
        lines.append((t, spring(ctx, t, "INFO", "main", "c.a.payments.PaymentsApiApplication",
                                "Starting PaymentsApiApplication v2026.03.1-7e41c2d using Java 21.0.2 with PID 1", app)))
        lines.append((t + 14.8, spring(ctx, t + 14.8, "INFO", "main", "c.a.payments.PaymentsApiApplication",
                                       "Started PaymentsApiApplication in 14.62 seconds (process running for 15.4)", app)))
    _emit(ctx, "/ecs/payments-api", "payments-api", [(-1e9, old), (live, new)], sorted(lines))

    wl = []
    for t in times_in(ctx, np.full(N, 9.0), LOG_START):
        wl.append((t, spring(ctx, t, "INFO", "kafka-consumer-1", "c.a.ledger.PostingConsumer",
                             f"posted journal je_{ctx.hexid(12)} lines={int(ctx.rng.integers(2, 6))} offset={int(ctx.rng.integers(10**7, 10**8))}", "ledger-worker")))
    _emit(ctx, "/ecs/ledger-worker", "ledger-worker", [(-1e9, _tasks(ctx, 2)), (-3400, _tasks(ctx, 2))], wl)
    ctx.change(-3620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-worker:19", "gitlab-ci")
    ctx.change(-3600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/ledger-worker", "gitlab-ci")
    ctx.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payments-api:58", "gitlab-ci")
    ctx.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payments-api", "gitlab-ci")
    ctx.alarm("payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20)
    acc = ["payments/payments-api", "payments-api"]
    data = ctx.build("Card payments failing for some customers; payments ALB target 5XX alarm.",
                     {"alarm": "payments-alb-target-5xx", "root_cause": {"category": "bad_deployment", "resource": acc},
                      "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(alarm="payments-alb-target-5xx", category="bad_deployment", resources=acc,
                decoys="deploy of sibling ledger-worker (RegisterTaskDefinition + UpdateService) 14 min before, healthy; "
                       "steady FraudClient timeout WARNs at the same rate before and after",
                story="payments-api v2026.03.1 was rolled out via a new task definition. Its currency conversion path "
                      "dereferences a null FX rate for cross-currency charges, so ~11% of requests now end in a "
                      "NullPointerException (new signature, only in the new tasks' log streams) and the ALB counts target 5XX.")
    return data, meta


def h03_export_task_role():
    ctx = Ctx(903, "h9-03-export-api-task-role", "us-west-2", datetime(2026, 4, 21, 17, 30))
    lb = "app/exports-alb/9b8c7d6e5f4a3b21"
    ctx.resource("alb", lb)
    ctx.resource("ecs", "reports/export-api")
    ctx.resource("ecs", "reports/export-scheduler")
    change = -2040
    a = ctx.after(change + 60)
    req = ctx.noise(ctx.drift(140, 0.2), 8)
    t5 = np.where(a, ctx.poisson(req * 0.22), ctx.poisson(np.full(N, 0.1)))
    alb_metrics(ctx, lb, req, ctx.noise(0.21, 0.02) - 0.05 * a, t5, np.zeros(N), 2)
    ecs_metrics(ctx, "reports", "export-api", ctx.noise(27, 3) - 5 * a, ctx.noise(51, 1.2), 2)
    ecs_metrics(ctx, "reports", "export-scheduler", ctx.noise(6, 1), ctx.noise(33, 1), 1)
    role = "export-api-task-role"
    lines = []
    for t in times_in(ctx, np.full(N, 14.0), LOG_START):
        lines.append((t, spring(ctx, t, "INFO", f"http-nio-8080-exec-{int(ctx.rng.integers(1, 40))}", "c.a.exports.web.ExportController",
                                f"GET /exports/exp_{ctx.hexid(10)} 200 status=READY", "export-api")))
    for t in times_in(ctx, np.where(a, 0.0, 4.2), LOG_START):
        lines.append((t, spring(ctx, t, "INFO", f"http-nio-8080-exec-{int(ctx.rng.integers(1, 40))}", "c.a.exports.service.ExportWriter",
                                f"Uploaded s3://acme-exports-usw2/exports/{ctx.hexid(10)}.csv.gz ({int(ctx.rng.integers(20, 9000))} KiB)", "export-api")))
    for t in times_in(ctx, np.where(a, 5.0, 0.0), LOG_START):
        key = f"exports/{ctx.hexid(10)}.csv.gz"
        lines.append((t, spring(ctx, t, "ERROR", f"http-nio-8080-exec-{int(ctx.rng.integers(1, 40))}", "c.a.exports.web.ApiExceptionHandler",
                                f"POST /exports failed\nsoftware.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::123456789012:assumed-role/"
                                f"{role}/{ctx.hexid(32)} is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-exports-usw2/{key}\" "
                                "because no identity-based policy allows the s3:PutObject action (Service: S3, Status Code: 403, "
                                f"Request ID: {ctx.hexid(16).upper()})\n\tat software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:10628)\n"
                                "\tat com.acme.exports.service.ExportWriter.upload(ExportWriter.java:73)", "export-api")))
    _emit(ctx, "/ecs/export-api", "export-api", [(-1e9, _tasks(ctx, 2))], lines)
    sl = []
    for t in times_in(ctx, np.full(N, 2.0), LOG_START):
        sl.append((t, pino(ctx, t, 30, f"scheduled export {ctx.hexid(8)} enqueued", "ip-10-60-3-14.us-west-2.compute.internal")))
    for t in times_in(ctx, np.full(N, 1.0), LOG_START):
        sl.append((t, pino(ctx, t, 40, "metrics flush failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/"
                                       "export-scheduler-task-role/5c2d is not authorized to perform: cloudwatch:PutMetricData "
                                       "because no identity-based policy allows the cloudwatch:PutMetricData action",
                           "ip-10-60-3-14.us-west-2.compute.internal")))
    _emit(ctx, "/ecs/export-scheduler", "export-scheduler", [(-1e9, _tasks(ctx, 1))], sl)
    ctx.change(-5200, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "export-scheduler-task-role", "terraform-ci")
    ctx.change(change, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    ctx.alarm("exports-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 15)
    acc = ["reports/export-api", "export-api", role]
    data = ctx.build("Customers cannot create CSV exports ('Something went wrong'); exports ALB 5XX alarm.",
                     {"alarm": "exports-alb-target-5xx", "root_cause": {"category": "permission_denied", "resource": acc},
                      "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(alarm="exports-alb-target-5xx", category="permission_denied", resources=acc,
                decoys="export-scheduler has logged AccessDenied for cloudwatch:PutMetricData at a steady rate for hours; "
                       "PutRolePolicy on the scheduler's role 53 min before onset",
                story="A Terraform refactor detached the managed policy granting s3:PutObject from export-api's task role. "
                      "Reading existing exports still works, but every new export fails with S3 403 'not authorized to perform: "
                      "s3:PutObject' and the API returns 500. The ECS service is linked to the role only through the ARN in the "
                      "error message.")
    return data, meta


SCENARIOS_A = [h01_payments_deploy, h03_export_task_role]
