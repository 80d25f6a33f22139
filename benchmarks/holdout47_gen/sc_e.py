"""h47-09 (secret scheduled for deletion blocks checkout-api's scale-out) and h47-10 (task-role policy rewrite
denies S3 access to document-api)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, ok_alarm, ramp,
                   scenario)

C = aws.C


# =====================================================================================================
# h47-09
# =====================================================================================================

def build_09():
    rng = Rng(4709)
    region, acct = "us-west-2", "209876543210"
    clk = Clock(datetime(2026, 3, 17, 16, 30, 0))
    lb, tg = "app/pay-usw2-public/8a0c2e4f6b1d3579", "targetgroup/checkout-api-tg/3b5d7f9a1c2e4680"
    deleted = -4700
    scale = [(-3420, 6), (-2700, 8), (-1920, 10), (-1200, 12)]
    secret_arn = f"arn:aws:secretsmanager:{region}:{acct}:secret:prod/checkout/stripe-Xk2P9d"
    req = lambda t: 700 + 1050 * ramp(t, -5400, -600, 0, 1)  # noqa: E731  morning ramp (PDT)
    cpu = lambda t: min(97.0, 0.055 * req(t))  # noqa: E731  4 tasks carry everything
    hot = lambda t: ramp(t, -2000, -900, 0, 1)  # noqa: E731
    desired = lambda t: max([4] + [v for ts_, v in scale if t >= ts_])  # noqa: E731
    resources = [
        aws.ecs_resource("payments-usw2", "checkout-api", launch_type="FARGATE", td="checkout-api:96",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/checkout-api:2.19.4", cpu=1024, memory=2048,
                         desired=12, log_group="/ecs/payments-usw2/checkout-api", tg=tg, container="checkout-api",
                         extra={"runtime": "python3.12 (Flask on gunicorn, 4 sync workers, timeout 30s)",
                                "secrets": [{"name": "STRIPE_API_KEY", "valueFrom": secret_arn},
                                            {"name": "DATABASE_URL", "valueFrom":
                                             f"arn:aws:secretsmanager:{region}:{acct}:secret:prod/checkout/db-Qm81Lz"}],
                                "autoscaling": {"min": 4, "max": 12, "policy": "target tracking ECSServiceAverageCPUUtilization 60"}}),
        aws.ecs_resource("payments-usw2", "refund-worker", launch_type="FARGATE", td="refund-worker:45",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/refund-worker:1.8.0", cpu=256, memory=512,
                         desired=2, log_group="/ecs/payments-usw2/refund-worker", container="refund-worker",
                         extra={"runtime": "python3.12"}),
        {"type": "alb", "id": lb, "properties": {"name": "pay-usw2-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service payments-usw2/checkout-api"}]}},
        {"type": "rds", "id": "checkout-db", "properties": {"engine": "postgres", "engine_version": "15.6",
                                                            "instance_class": "db.r6g.large", "max_connections": 800,
                                                            "allocated_storage_gb": 300}},
    ]
    metrics = []
    metrics += aws.ecs_service(rng, "payments-usw2", "checkout-api", cpu=cpu, mem=C(57.0), running=C(4), desired=desired,
                               pending=lambda t: (rng.choice([0, 1, 2, 2, 3]) if t >= scale[0][0] else 0),
                               task_cpu=1024, task_mem=2048, cpu_noise=0.03)
    metrics += aws.ecs_service(rng, "payments-usw2", "refund-worker", cpu=C(6.0), mem=C(31.0),
                               running=lambda t: 4 if -3560 <= t < -3380 else 2, desired=C(2), task_cpu=256, task_mem=512)
    t5 = C(0.2)  # killed gunicorn workers drop the connection: the ALB answers 502 itself
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.11 + 2.4 * hot(t), t5xx=t5, elb5xx=lambda t: 0.05 + 9 * hot(t),
                          elb502=lambda t: 0.05 + 9 * hot(t))
    metrics += aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.11 + 2.4 * hot(t), t5xx=t5, healthy=C(4))
    metrics += aws.rds(rng, "checkout-db", cpu=lambda t: 12 + 0.012 * req(t), conns=C(66), free_mem=C(9.6e9),
                       free_storage=C(2.31e11))
    cpu_m = next(m for m in metrics if m["name"] == "CPUUtilization" and m["dimensions"].get("ServiceName") == "checkout-api")
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    ts = aws.TaskSet(rng, "/ecs/payments-usw2/checkout-api", "checkout-api", 4, LOG_START)
    ev = Stream("/aws/events/ecs", "ecs-events")
    svc = dict(region=region, account=acct, cluster="payments-usw2", service="checkout-api")
    for i, (ts_, v) in enumerate(scale):
        ev.add(ts_ + 30, aws.service_event(clk, rng, ts_ + 30, detail_type="ECS Service Action", event_type="WARN",
                                           event_name="SERVICE_TASK_START_IMPAIRED", **svc))
        end = scale[i + 1][0] if i + 1 < len(scale) else -10
        t = ts_ + 8
        while t < end:
            for _ in range(rng.randint(1, 3)):
                tid = rng.hexid(32)
                tt = t + rng.uniform(0, 10)
                ev.add(tt, aws.task_state_event(
                    clk, rng, tt, td="checkout-api:96", task_id=tid, container="checkout-api", stop_code="TaskFailedToStart",
                    stopped_reason=(f"ResourceInitializationError: unable to pull secrets or registry auth: execution "
                                    f"resource retrieval failed: unable to retrieve secret from asm: service call has been "
                                    f"retried 1 time(s): failed to fetch secret {secret_arn} from secrets manager: "
                                    f"InvalidRequestException: You can't perform this operation on the secret because it "
                                    f"was marked for deletion. status code: 400, request id: {rng.uuid()}"), **svc))
            t += rng.uniform(70, 150)
    pid = {k["id"]: [rng.randint(8, 40) for _ in range(4)] for k in ts.tasks}
    for t in arrivals(rng, lambda t: req(t) / 60):
        k = ts.pick(t)
        s = k["stream"]
        r = rng.random()
        if r < 0.6:
            s.add(t, fmt.pylog(clk, t, "INFO", "checkout.sessions", f"session cs_{rng.hexid(24)} created "
                                                                   f"amount={rng.randint(900, 45000)} currency=usd items={rng.randint(1, 6)}"))
        else:
            s.add(t, fmt.pylog(clk, t, "INFO", "checkout.payments", f"payment pi_{rng.hexid(24)} confirmed "
                                                                   f"status=succeeded latency_ms={int(rng.lognormvariate(5.4, 0.3) * (1 + 6 * hot(t)))}"))
    for t in arrivals(rng, lambda t: 1.0):
        ts.pick(t)["stream"].add(t, fmt.pylog(clk, t, "ERROR", "checkout.tax", "tax provider returned 422 for "
                                                                            "address: unsupported country code 'XK'"))
    for t in arrivals(rng, lambda t: 9 * hot(t)):
        k = ts.pick(t)
        p = rng.choice(pid[k["id"]])
        s = k["stream"]
        s.add(t, fmt.gunicorn(clk, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{p})"))
        s.add(t + 0.02, fmt.gunicorn(clk, t + 0.02, p, "INFO", f"Worker exiting (pid: {p})"))
        s.add(t + 0.3, fmt.gunicorn(clk, t + 0.3, 1, "ERROR", f"Worker (pid:{p}) exited with code 1"))
        newp = rng.randint(41, 900)
        pid[k["id"]][pid[k["id"]].index(p)] = newp
        s.add(t + 0.31, fmt.gunicorn(clk, t + 0.31, 1, "INFO", f"Booting worker with pid: {newp}"))
    rw_old = Stream("/ecs/payments-usw2/refund-worker", f"ecs/refund-worker/{rng.hexid(32)}")
    rw_new = Stream("/ecs/payments-usw2/refund-worker", f"ecs/refund-worker/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 2.0):
        (rw_old if t < -3400 else rw_new).add(t, fmt.pylog(clk, t, "INFO", "refunds.worker",
                                                           f"refund re_{rng.hexid(24)} processed"))
    rw_new.add(-3500, fmt.pylog(clk, -3500, "INFO", "refunds.worker", "refund-worker 1.8.0 polling queue refunds-prod"))
    alarms = [alarm("checkout-api-cpu-high", cpu_m, "Average", 60, 3, 85, "GreaterThanThreshold",
                    "checkout-api service CPU above 85 %"),
              ok_alarm("checkout-db-cpu", rds_cpu, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-7300, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
                      "prod/refunds/db", "refunds-db-rotation-lambda"),
               change(deleted, "secretsmanager.amazonaws.com", "DeleteSecret", "AWS::SecretsManager::Secret",
                      "prod/checkout/stripe", "m.osei"),
               change(-3600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments-usw2/refund-worker",
                      "gha-payments")]
    changes += [change(ts_, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments-usw2/checkout-api",
                       "AWSServiceRoleForApplicationAutoScaling_ECSService") for ts_, v in scale]
    doc = scenario("h47-09-checkout-deleted-secret", "checkout-api CPU alarm during the morning ramp; checkout "
                   "latency up and some 502s.", region, resources, metrics, ts.streams() + [ev, rw_old, rw_new], alarms,
                   changes, {"alarm": "checkout-api-cpu-high",
                             "root_cause": {"category": "config_change",
                                            "resource": ["payments-usw2/checkout-api", "checkout-api"]},
                             "anomalies": [{"namespace": "AWS/ECS", "name": "CPUUtilization",
                                            "dimensions": {"ClusterName": "payments-usw2", "ServiceName": "checkout-api"}}]})
    meta = {"region": region, "alarm": "checkout-api-cpu-high", "category": "config_change",
            "resources": ["payments-usw2/checkout-api", "checkout-api"], "position": "origin (ECS service)",
            "decoys": "RotateSecret on prod/refunds/db 2 h earlier; refund-worker deploy 1 h earlier; steady tax-provider "
                      "422 ERRORs; the morning traffic ramp itself (normal daily shape); autoscaling UpdateService calls",
            "story": "78 min ago an engineer's secrets clean-up ran DeleteSecret on prod/checkout/stripe, which "
                     "checkout-api's task definition still injects as STRIPE_API_KEY. Running tasks keep their copy, so "
                     "nothing broke until the morning ramp: from ~57 min ago target tracking raised the desired count 4 "
                     "-> 6 -> 8 -> 10 -> 12, but every new task stops with `ResourceInitializationError ... failed to fetch "
                     "secret ...prod/checkout/stripe... marked for deletion`. The service stays at 4 tasks, their CPU climbs "
                     "past 85 % (the alarm), gunicorn workers time out and the ALB returns 502s. The CPU pinning is the "
                     "symptom; the cause is the removed secret, a configuration change the errors name. Label: "
                     "config_change on checkout-api."}
    return doc, meta


# =====================================================================================================
# h47-10
# =====================================================================================================

def _s3_denied(acct, op, action, key, sess):
    return (f"botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the {op} operation: "
            f"User: arn:aws:sts::{acct}:assumed-role/document-api-task-role/{sess} is not authorized to perform: "
            f"{action} on resource: \"arn:aws:s3:::acme-docs-prod-eu-west-2/{key}\" because no identity-based policy "
            f"allows the {action} action")


def build_10():
    rng = Rng(4710)
    region, acct = "eu-west-2", "118273645509"
    clk = Clock(datetime(2026, 3, 19, 11, 20, 0))
    lb, tg = "app/docs-public/2c4e6a8b0d1f3579", "targetgroup/document-api-tg/9e1b3d5f7a2c4068"
    chg = -1900
    bad = lambda t: 1.0 if t >= chg + 12 else 0.0  # noqa: E731
    resources = [
        aws.ecs_resource("docs-prod", "document-api", launch_type="FARGATE", td="document-api:52",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/document-api:5.6.1", cpu=1024, memory=2048,
                         desired=4, log_group="/ecs/docs-prod/document-api", tg=tg, container="document-api",
                         extra={"runtime": "python3.11 (FastAPI, gunicorn + uvicorn workers)",
                                "task_role": f"arn:aws:iam::{acct}:role/document-api-task-role",
                                "bucket": "acme-docs-prod-eu-west-2"}),
        aws.ecs_resource("docs-prod", "thumbnailer", launch_type="FARGATE", td="thumbnailer:19",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/thumbnailer:0.9.7", cpu=512, memory=1024, desired=2,
                         log_group="/ecs/docs-prod/thumbnailer", container="thumbnailer",
                         extra={"runtime": "python3.11", "task_role": f"arn:aws:iam::{acct}:role/thumbnailer-task-role"}),
        {"type": "alb", "id": lb, "properties": {"name": "docs-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service docs-prod/document-api"}]}},
        {"type": "rds", "id": "docs-db", "properties": {"engine": "postgres", "engine_version": "16.1",
                                                        "instance_class": "db.t4g.large", "max_connections": 870,
                                                        "allocated_storage_gb": 100}},
    ]
    req = lambda t: 410 * diurnal(t, 0.2, -15000)  # noqa: E731
    t5 = lambda t: 0.1 + req(t) * 0.41 * bad(t)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "docs-prod", "document-api", cpu=lambda t: 26 - 7 * bad(t), mem=C(44.0), running=C(4),
                               desired=C(4))
    metrics += aws.ecs_service(rng, "docs-prod", "thumbnailer", cpu=C(31.0), mem=C(48.0),
                               running=lambda t: 4 if -2400 <= t < -2220 else 2, desired=C(2), task_cpu=512, task_mem=1024)
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.180 - 0.07 * bad(t), t5xx=t5, elb5xx=C(0.05))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.180 - 0.07 * bad(t), t5xx=t5, healthy=C(4))
    metrics += tgm
    metrics += aws.rds(rng, "docs-db", cpu=C(14.0), conns=C(38), free_mem=C(4.4e9), free_storage=C(6.1e10))
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    ts = aws.TaskSet(rng, "/ecs/docs-prod/document-api", "document-api", 4, LOG_START)
    sess = {k["id"]: k["id"] for k in ts.tasks}
    pids = {k["id"]: [rng.randint(7, 12) + j for j in range(3)] for k in ts.tasks}
    ips = [rng.ip("10.70") for _ in range(6)]
    for t in arrivals(rng, lambda t: req(t) / 12):
        k = ts.pick(t)
        s = k["stream"]
        p = rng.choice(pids[k["id"]])
        tenant = f"t{rng.randint(1000, 9999)}"
        doc_id = f"doc_{rng.hexid(12)}"
        r = rng.random()
        if r < 0.3:
            meth, path, op, action, key = "GET", f"/v1/documents/{doc_id}/content", "GetObject", "s3:GetObject", \
                f"tenant/{tenant}/{doc_id}.pdf"
        elif r < 0.41:
            meth, path, op, action, key = "POST", "/v1/documents", "PutObject", "s3:PutObject", f"tenant/{tenant}/{doc_id}.pdf"
        else:
            meth, path, op = "GET", rng.choice([f"/v1/documents/{doc_id}", f"/v1/documents?tenant={tenant}&page=1"]), None
        peer = f"{rng.choice(ips)}:{rng.randint(30000, 60000)}"
        if op and bad(t):
            tb = fmt.pytrace([
                ("/usr/local/lib/python3.11/site-packages/uvicorn/protocols/http/httptools_impl.py", 419, "run_asgi",
                 "result = await app(  # type: ignore[func-returns-value]"),
                ("/usr/local/lib/python3.11/site-packages/fastapi/routing.py", 193, "run_endpoint_function",
                 "return await dependant.call(**values)"),
                ("/app/docapi/routes/documents.py", 71 if op == "GetObject" else 104,
                 "download_content" if op == "GetObject" else "upload_document",
                 "body = await storage.get(key)" if op == "GetObject" else "await storage.put(key, data, content_type)"),
                ("/app/docapi/storage.py", 38 if op == "GetObject" else 52, "get" if op == "GetObject" else "put",
                 "resp = await run_in_threadpool(self._s3.get_object, Bucket=self.bucket, Key=key)" if op == "GetObject"
                 else "await run_in_threadpool(self._s3.put_object, Bucket=self.bucket, Key=key, Body=data)"),
                ("/usr/local/lib/python3.11/site-packages/botocore/client.py", 565, "_api_call",
                 "return self._make_api_call(operation_name, kwargs)"),
                ("/usr/local/lib/python3.11/site-packages/botocore/client.py", 1021, "_make_api_call",
                 "raise error_class(parsed_response, operation_name)")],
                _s3_denied(acct, op, action, key, sess[k["id"]]))
            s.add(t, fmt.gunicorn(clk, t, p, "ERROR", "Exception in ASGI application\n" + tb))
            s.add(t + 0.001, fmt.gunicorn(clk, t + 0.001, p, "INFO", f'{peer} - "{meth} {path} HTTP/1.1" 500'))
        else:
            s.add(t, fmt.gunicorn(clk, t, p, "INFO", f'{peer} - "{meth} {path} HTTP/1.1" {201 if meth == "POST" else 200}'))
    for t in arrivals(rng, lambda t: 2.0):
        k = ts.pick(t)
        k["stream"].add(t, fmt.gunicorn(clk, t, rng.choice(pids[k["id"]]), "WARNING",
                                        "pdfminer.pdfpage: CropBox missing from /Page, defaulting to MediaBox"))
    th_old = Stream("/ecs/docs-prod/thumbnailer", f"ecs/thumbnailer/{rng.hexid(32)}")
    th_new = Stream("/ecs/docs-prod/thumbnailer", f"ecs/thumbnailer/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 4.0):
        (th_old if t < -2230 else th_new).add(t, fmt.pylog(
            clk, t, "INFO", "thumbnailer", f"thumbnail written s3://acme-docs-thumbs-eu-west-2/tenant/t{rng.randint(1000, 9999)}/"
                                           f"doc_{rng.hexid(12)}/p1.webp ({rng.randint(9, 60)} KiB)"))
    th_new.add(-2300, fmt.pylog(clk, -2300, "INFO", "thumbnailer", "thumbnailer 0.9.7 started, polling docs-thumbnail-jobs"))
    alarms = [alarm("docs-public-5xx", tgm[2], "Sum", 60, 3, 25, "GreaterThanThreshold", "document-api 5xx"),
              ok_alarm("docs-db-cpu", rds_cpu, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-5000, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "ci-readonly",
                      "s.baptiste", region="us-east-1"),
               change(-2420, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbnailer:19",
                      "gha-docs-deploy"),
               change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "docs-prod/thumbnailer",
                      "gha-docs-deploy"),
               change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "document-api-task-role",
                      "platform-terraform", region="us-east-1")]
    doc = scenario("h47-10-document-api-access-denied", "Document downloads and uploads failing with 500; "
                   "docs-public 5xx alarm.", region, resources, metrics, ts.streams() + [th_old, th_new], alarms, changes,
                   {"alarm": "docs-public-5xx",
                    "root_cause": {"category": "permission_denied", "resource": ["docs-prod/document-api", "document-api"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": {"LoadBalancer": lb, "TargetGroup": tg}}]})
    meta = {"region": region, "alarm": "docs-public-5xx", "category": "permission_denied",
            "resources": ["docs-prod/document-api", "document-api"], "position": "front (target group)",
            "decoys": "thumbnailer deploy 40 min before (clean); UpdateAssumeRolePolicy on ci-readonly 83 min before; "
                      "steady pdfminer CropBox warnings; docs-db CPU alarm in OK",
            "story": "Terraform rewrote the inline policy of document-api-task-role 32 min ago (PutRolePolicy, recorded "
                     "in us-east-1 as IAM is global). Within seconds every S3 call of document-api fails: `AccessDenied ... "
                     "assumed-role/document-api-task-role/... is not authorized to perform: s3:GetObject ... because no "
                     "identity-based policy allows the s3:GetObject action` (and s3:PutObject on uploads), ~41 % of "
                     "requests -> 500. Metadata endpoints served from docs-db keep working; latency even drops. Label: "
                     "permission_denied on document-api (its task role)."}
    return doc, meta
