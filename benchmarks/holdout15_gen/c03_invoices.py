"""h15-03: Python invoice API on ECS (structlog JSON mixed with plain uvicorn access lines);
a Terraform run rewrites the task role's inline policy without the KMS permission the
SSE-KMS bucket needs. The IAM event is recorded in us-east-1, as IAM events are."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import ACCOUNT, Ctx, Stream, alarm, change, ramp, scenario
from .logfmt import structlog

REGION = "eu-central-1"
CLUSTER, SERVICE = "billing-prod", "invoice-api"
ROLE = "ecs-task-invoicing-prod"
LB = "app/int-billing/0d5e7c1b93a2f846"
TG = "targetgroup/inv-8000/6b2f90d1c7e3a5d4"
TG_PORTAL = "targetgroup/portal-web/f2a8c61e0b9d3477"
IAM_AT = -2040.0
ONSET = -2010.0
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/5b1e7c2a-94f0-4d1b-8e3a-0c6f2d9b7a15"
BUCKET = "lmp-invoices-archive-euc1"

TRACE = ("Traceback (most recent call last):\n"
         '  File "/app/invoice_api/storage.py", line 64, in put_pdf\n'
         "    self._s3.put_object(\n"
         '  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 565, in _api_call\n'
         "    return self._make_api_call(operation_name, kwargs)\n"
         "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
         '  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n'
         "    raise error_class(parsed_response, operation_name)\n"
         "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: "
         f"User: arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/{{sess}} is not authorized to perform: "
         f"kms:GenerateDataKey on resource: {KEY} because no identity-based policy allows the "
         "kms:GenerateDataKey action")

ROUTES = [("GET", "/v1/invoices/{id}", 200, 0.38), ("GET", "/v1/customers/{c}/invoices", 200, 0.22),
          ("POST", "/v1/invoices", 201, 0.2), ("POST", "/v1/invoices/{id}/pdf", 202, 0.12),
          ("GET", "/healthz", 200, 0.08)]
STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 500: "Internal Server Error"}


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 1, 20, 9, 55), utc_offset_h=1)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(11.0, 0.45)
    bad = ramp(t, ONSET, 60)
    req = ctx.poisson(58 * shape * (1 + ctx.ar(0.06)))
    writes = np.array([rng.binomial(int(n), 0.32) for n in req], dtype=float)
    fail = writes * bad
    pre = (rng.random(ctx.n) < 0.03).astype(float)
    t5 = fail + pre
    portal = ctx.poisson(310 * shape * (1 + ctx.ar(0.05)))
    portal5 = (rng.random(ctx.n) < 0.05).astype(float)
    rt = 0.11 * (1 + ctx.ar(0.07)) - 0.02 * bad

    metrics = aws.alb_lb(ctx, LB, req + portal, t5xx=t5 + portal5, rt=(rt * req + 0.16 * portal) / (req + portal))
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=np.full(ctx.n, 4), unhealthy=np.zeros(ctx.n), rt=rt)
    metrics += aws.alb_tg(ctx, LB, TG_PORTAL, portal, t5xx=portal5, healthy=np.full(ctx.n, 3),
                          unhealthy=np.zeros(ctx.n), rt=0.16 * (1 + ctx.ar(0.06)))
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 18 * shape + ctx.ar(2), 38 + ctx.ar(1), np.full(ctx.n, 4))
    dun_cpu = 6 + ctx.ar(1) + 30 * ((t > -2200) & (t < -1900))
    metrics += aws.ecs(ctx, CLUSTER, "dunning-scheduler", dun_cpu, 27 + ctx.ar(1),
                       1 + ((t > -2290) & (t < -2200)))
    metrics += aws.rds(ctx, "billing-pg", cpu=14 * shape + ctx.ar(2), conns=42 + ctx.ar(2),
                       free_gb=148 + ctx.ar(0.03), freemem_gb=5.2 + ctx.ar(0.08),
                       rlat=0.0009 + np.abs(ctx.ar(0.0002)), wlat=0.0014 + np.abs(ctx.ar(0.0003)))

    tasks = []
    for _ in range(4):
        s = Stream(f"/ecs/{SERVICE}", f"{SERVICE}/{SERVICE}/{ctx.hex(32)}")
        s.sess = ctx.hex(32)
        tasks.append(s)
    log_from = -5400.0
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        n = int(req[i])
        kinds = ["w_fail"] * int(fail[i]) + ["w_ok"] * int(writes[i] - fail[i]) + ["r"] * int(n - writes[i])
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            s = tasks[int(rng.integers(4))]
            ip = f"10.30.{int(rng.integers(1, 4))}.{int(rng.integers(10, 250))}"
            rid = ctx.hex(16)
            inv_id = f"inv_{ctx.hex(10)}"
            if kind == "r":
                choice = [r for r in ROUTES if r[0] == "GET"]
                meth, path, st, _ = choice[int(rng.choice(len(choice), p=[0.38 / 0.68, 0.22 / 0.68, 0.08 / 0.68]))]
            else:
                meth, path, st, _ = ROUTES[2] if rng.random() < 0.62 else ROUTES[3]
            path = path.format(id=inv_id, c=f"cus_{ctx.hex(8)}")
            if kind == "w_fail":
                st = 500
                s.add(ts + 0.08, structlog(ctx, ts + 0.08, "error", "invoice pdf upload failed", "invoice_api.storage",
                                           invoice_id=inv_id, bucket=BUCKET, request_id=rid,
                                           exception=TRACE.replace("{sess}", s.sess)))
            elif kind == "w_ok":
                s.add(ts + 0.1, structlog(ctx, ts + 0.1, "info", "invoice stored", "invoice_api.storage",
                                          invoice_id=inv_id, bucket=BUCKET, request_id=rid,
                                          key=f"{ctx.day(ts, '/')}/{inv_id}.pdf", bytes=int(rng.integers(30000, 190000))))
            if path != "/healthz":
                s.add(ts + 0.12, f'INFO:     {ip}:{int(rng.integers(32768, 60999))} - "{meth} {path} HTTP/1.1" '
                                 f'{st} {STATUS_TEXT[st]}')
        if rng.random() < 0.12:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(4))].add(ts, structlog(ctx, ts, "warning", "vat rate lookup slow",
                                                          "invoice_api.tax", country=ctx.pick(["DE", "AT", "NL", "FR"]),
                                                          elapsed_ms=int(rng.integers(800, 2400))))
        if pre[i]:
            ts = m0 + float(rng.uniform(0, 60))
            tasks[int(rng.integers(4))].add(ts, structlog(ctx, ts, "error", "webhook signature verification failed",
                                                          "invoice_api.webhooks", provider="stripe",
                                                          request_id=ctx.hex(16)))

    dun = Stream("/ecs/dunning-scheduler", f"dunning-scheduler/dunning-scheduler/{ctx.hex(32)}")
    for k, ts in enumerate(np.arange(-2200, -60, 300.0)):
        dun.add(ts, structlog(ctx, ts, "info", "dunning run started", "dunning.scheduler", version="2.3.0"))
        dun.add(ts + 41, structlog(ctx, ts + 41, "info", "dunning run finished", "dunning.scheduler",
                                   reminders_sent=int(rng.integers(0, 40)) if k else 412))

    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 4, "task_definition": f"{SERVICE}:57", "task_role": ROLE,
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG, "container_port": 8000,
            "environment": {"INVOICE_BUCKET": BUCKET, "INVOICE_KMS_KEY_ARN": KEY, "DB_HOST": "billing-pg.internal",
                            "UVICORN_WORKERS": "2"}}},
        {"type": "ecs", "id": f"{CLUSTER}/dunning-scheduler", "properties": {
            "launch_type": "FARGATE", "desired_count": 1, "task_definition": "dunning-scheduler:23",
            "task_role": "ecs-task-dunning-prod"}},
        {"type": "alb", "id": LB, "properties": {"name": "int-billing", "scheme": "internal",
                                                 "target_groups": [TG, TG_PORTAL]}},
        {"type": "rds", "id": "billing-pg", "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                          "max_connections": 400, "allocated_storage_gb": 200}},
    ]
    changes = [
        change(-2290, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               "dunning-scheduler:23", "terraform-cloud"),
        change(-2282, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/dunning-scheduler",
               "terraform-cloud"),
        change(IAM_AT, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-cloud",
               region="us-east-1"),
        change(-13900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}",
               "terraform-cloud"),
    ]
    lb5 = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count" and "TargetGroup" not in m["dimensions"])
    lat = next(m for m in metrics if m["name"] == "TargetResponseTime" and m["dimensions"].get("TargetGroup") == TG)
    alarms = [
        alarm(lb5, "int-billing-target-5xx", "Sum", 60, 3, 8, "GreaterThanThreshold", rng=rng,
              description="Billing internal ALB: targets answering 5xx"),
        alarm(lat, "invoice-api-latency-p99", "p99", 60, 5, 1.5, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-03-invoice-kms-denied", "Finance ops: invoice PDFs not generating, 500s from the billing API. "
        "int-billing-target-5xx is in ALARM.", REGION, resources, metrics, tasks + [dun], alarms, changes,
        {"alarm": "int-billing-target-5xx",
         "root_cause": {"category": "permission_denied", "resource": [f"{CLUSTER}/{SERVICE}", SERVICE, ROLE]},
         "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                        "dimensions": {"LoadBalancer": LB}}]})
    meta = {"alarm_on": "front (ALB, load-balancer level)",
            "decoys": "dunning-scheduler task-definition deploy 4 min before with a CPU bump; invoice-api "
                      "redeploy 3.9 h ago; constant Stripe-signature errors and slow-VAT warnings",
            "story": "Terraform rewrote the inline policy of ecs-task-invoicing-prod (invoice-api's task role, "
                     "linked only through the service's task_role property) at -34 min; the IAM event is in "
                     "us-east-1 as IAM events always are. From then on every invoice write fails with botocore "
                     "AccessDenied: the assumed role is not authorized to perform kms:GenerateDataKey on the "
                     "bucket's key. Reads keep working; the alarm is on the load balancer's aggregate 5xx. The "
                     "dunning-scheduler deploy four minutes earlier belongs to another service with clean logs."}
    return doc, meta
