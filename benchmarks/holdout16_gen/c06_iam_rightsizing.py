"""h16-06: a least-privilege automation rewrites a task role's policy and drops sqs:SendMessage."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, jitter, step
from .logfmt import alb_line, poisson_times

META = {
    "file": "h16-06-iam-rightsizer-drops-sqs-send",
    "postmortem": "IAM policy tightened by a security automation that removed a permission it judged unused",
    "side": "front (public ALB target 5XX; origin is the ECS service)",
    "decoys": "the same automation rewrote two other roles in the same minute; fulfilment-worker scale-out 4 min "
              "before; steady webhook-signature warnings",
    "story": (
        "The access-rightsizer automation (least-privilege from last-accessed data) rewrites the inline policy of "
        "the order-api-task role (CloudTrail PutRolePolicy), along with two roles nobody depends on at that hour. "
        "Seconds later every POST /v1/orders on order-api fails: the Go service logs 'publish order event failed' "
        "with 'api error AccessDenied: User: arn:aws:sts::...:assumed-role/order-api-task/... is not authorized to "
        "perform: sqs:sendmessage on resource: ...:order-events because no identity-based policy allows the "
        "sqs:sendmessage action', and returns 500. GETs keep working, CPU and memory are flat, and the order-events "
        "queue stops receiving messages. AccessDenied after an IAM change on the service's own role: "
        "permission_denied on orders/order-api. The worker scale-out is routine morning autoscaling and the worker "
        "simply goes idle."),
}

ACCOUNT = "771209458230"
ALB = "app/orders-edge/5a6b7c8d9e0f1a2b"
TG = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:targetgroup/order-api/0e1f2a3b4c5d6e7f"


def _deny(sc: Scenario, task: str) -> str:
    return (f"operation error SQS: SendMessage, https response error StatusCode: 400, RequestID: {sc.uuid()}, "
            f"api error AccessDenied: User: arn:aws:sts::{ACCOUNT}:assumed-role/order-api-task/{task} is not "
            f"authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:eu-west-1:{ACCOUNT}:order-events "
            f"because no identity-based policy allows the sqs:sendmessage action")


def _zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **kw) -> str:
    rec = {"level": level, "ts": sc.iso(t), "caller": caller, "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def build(seed: int) -> Scenario:
    sc = Scenario("h16-06-iam-rightsizer-drops-sqs-send",
                  "Checkout fails at 'Place order' with a server error; orders-edge target 5XX alarm.",
                  "eu-west-1", seed, dt.datetime(2026, 1, 27, 10, 15))
    C = -1500.0
    on = step(C + 10)
    day = daily(sc, peak_hour=12, depth=0.5)
    sc.resource("alb", ALB, name="orders-edge", scheme="internet-facing", target_groups=["order-api"])
    sc.resource("ecs", "orders/order-api", desired_count=4, launch_type="FARGATE", cpu=512, memory=1024,
                task_role="order-api-task", image=f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/order-api:1.42.0",
                log_groups=["/ecs/order-api"])
    sc.resource("ecs", "orders/fulfilment-worker", desired_count=5, launch_type="FARGATE", cpu=512, memory=1024,
                task_role="fulfilment-worker-task", log_groups=["/ecs/fulfilment-worker"])
    sc.resource("rds", "orders-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=300)

    req = counts(sc, 1080 * day)
    posts = np.round(req * 0.24 * jitter(sc, 1, 0.05))
    t5 = counts(sc, 0.25) + np.round(posts * on)
    rt = jitter(sc, 0.052, 0.07) - on * 0.01
    aws.alb_metrics(sc, ALB, req, t5, rt, healthy=4, t4xx=counts(sc, 21 * day))
    aws.ecs_metrics(sc, "orders", "order-api", jitter(sc, 12 + 22 * day, 0.06), jitter(sc, 45, 0.02), 4, 4)
    desired = np.where(TIMES < C - 240, 3, 5)
    wcpu = jitter(sc, 8 + 30 * day, 0.08) * np.where(TIMES >= C, 0.25, 1) * np.where(desired == 5, 0.7, 1)
    aws.ecs_metrics(sc, "orders", "fulfilment-worker", wcpu, jitter(sc, 37, 0.02), desired, None)
    q = {"QueueName": "order-events"}
    sent = np.where(TIMES < C, posts * 1.02, 0)
    sc.metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", sent, decimals=0)
    sc.metric("AWS/SQS", "NumberOfMessagesReceived", q, "Count", np.where(TIMES < C + 60, posts, 0), decimals=0)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", counts(sc, 3 * day) *
              np.where(TIMES < C, 1, 0), decimals=0)
    aws.rds_metrics(sc, "orders-pg", jitter(sc, 9 + 18 * day, 0.07), 88 + sc.rng.normal(0, 3, N),
                    188 - (TIMES + 21600) / 21600 * 0.4, jitter(sc, 6.1, 0.005))

    # --- logs -----------------------------------------------------------------------------------------------
    tasks = [sc.hexid(32) for _ in range(4)]
    streams = {k: [] for k in tasks}
    for t in poisson_times(sc, 15 * day, -7200):
        task = sc.pick(tasks)
        post = sc.rng.random() < 0.24
        rid = sc.hexid(16)
        if post:
            oid = f"ord_{sc.hexid(10)}"
            if t >= C + 10:
                streams[task].append((t + 0.03, _zap(sc, t + 0.03, "error", "orders/publisher.go:88",
                                                     "publish order event failed", order_id=oid,
                                                     request_id=rid, error=_deny(sc, task))))
                streams[task].append((t + 0.04, _zap(sc, t + 0.04, "info", "httpx/log.go:41", "http request",
                                                     method="POST", path="/v1/orders", status=500,
                                                     duration_ms=int(sc.rng.integers(30, 60)), request_id=rid)))
                continue
            streams[task].append((t + 0.03, _zap(sc, t + 0.03, "info", "orders/service.go:131", "order placed",
                                                 order_id=oid, items=int(sc.rng.integers(1, 6)), request_id=rid)))
            streams[task].append((t + 0.04, _zap(sc, t + 0.04, "info", "httpx/log.go:41", "http request",
                                                 method="POST", path="/v1/orders", status=201,
                                                 duration_ms=int(sc.rng.integers(25, 80)), request_id=rid)))
        else:
            path = sc.pick(["/v1/orders/%s" % sc.hexid(10), "/v1/cart", "/v1/shipping/options"])
            streams[task].append((t + 0.01, _zap(sc, t + 0.01, "info", "httpx/log.go:41", "http request",
                                                 method="GET", path=path, status=200,
                                                 duration_ms=int(sc.rng.integers(4, 40)), request_id=rid)))
    for t in poisson_times(sc, 0.3, -7200):
        task = sc.pick(tasks)
        streams[task].append((t, _zap(sc, t, "warn", "webhooks/psp.go:57", "webhook signature mismatch, ignoring",
                                      provider="adyen", event_code="REPORT_AVAILABLE")))
    for task, ev in streams.items():
        sc.log("/ecs/order-api", f"order-api/order-api/{task}", ev)
    ev = []
    for t in poisson_times(sc, np.where(TIMES < C + 30, 2.2 * day, 0), -7200):
        ev.append((t, _zap(sc, t, "info", "worker/consume.go:66", "order event processed",
                           order_id=f"ord_{sc.hexid(10)}", shipment=f"shp_{sc.hexid(8)}")))
    for t in np.arange(C + 60, -1, 60.0):
        ev.append((t, _zap(sc, t, "debug", "worker/consume.go:40", "long poll returned no messages",
                           queue="order-events", wait_s=20)))
    sc.log_split("/ecs/fulfilment-worker", sc.task_streams("fulfilment-worker", 3), ev)

    alb_ev = []
    for t in poisson_times(sc, 5 * day, -5400):
        post = sc.rng.random() < 0.24
        st = 500 if post and t >= C + 10 else (201 if post else 200)
        path = "/v1/orders" if post else "/v1/orders/%s" % sc.hexid(10)
        alb_ev.append((t, alb_line(sc, t, ALB, f"10.30.{int(sc.rng.integers(1, 4))}.{int(sc.rng.integers(9, 250))}"
                                              f":8080", "POST" if post else "GET",
                                   f"https://api.brightcart.eu:443{path}", st, st, 0.001, sc.rng.gamma(3, 0.015), 0.0,
                                   TG, "BrightCart/6.4.1 (iOS 17.2)", int(sc.rng.integers(300, 2000)),
                                   int(sc.rng.integers(90, 4000)))))
    sc.log("/alb/orders-edge/access", "orders-edge", alb_ev)

    sc.change(-64000, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "order-api-task", "jdoyle")
    sc.change(C - 240, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/fulfilment-worker",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(C - 22, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "analytics-readonly",
              "access-rightsizer")
    sc.change(C, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "order-api-task", "access-rightsizer")
    sc.change(C + 14, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", "legacy-reporting-task",
              "access-rightsizer")
    lb = {"LoadBalancer": ALB}
    sc.alarm_on("orders-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, t5, "Sum", 60, 3,
                25, "GreaterThanThreshold", description="order-api returning 5XX behind orders-edge")
    sc.set_expect("orders-edge-target-5xx", "permission_denied", ["orders/order-api", "order-api"],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)])
    return sc
