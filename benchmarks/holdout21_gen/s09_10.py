"""h21-09 (ECS Fargate Node.js heap exhaustion) and h21-10 (Lambda AccessDenied behind an HTTP API)."""
from __future__ import annotations

import json

from .common import (LogSink, Rng, alarm, change, diurnal, iso, lambda_invocations, lambda_stream, scenario, wall)
from .kits import alb_set, apigw_http_set, ecs_set, lambda_set


# ----------------------------------------------------------------------------- 09
def s09():
    rng = Rng(2109)
    region = "eu-north-1"
    lb, tg = "app/recs-alb/0e2a4c6d8f0b2d49", "targetgroup/recs-api-tg/9d1f3b5c7e9a1c38"
    t_delta = -4020
    sink = LogSink()
    grp = "/ecs/recs-api"
    log_start = -7200
    # three task "slots"; each slot holds a chain of tasks (a task is replaced after it dies)
    slots = []
    for i in range(3):
        chain, start = [], -90000.0
        t_peak = t_delta + 1400 + 353 * i + rng.uniform(-15, 15)
        chain.append({"id": rng.hexid(32), "start": start, "end": t_peak, "m0": 47.0 + i, "t_grow": t_delta})
        t = t_peak
        while t < 0:
            st = t + rng.uniform(55, 65)
            life = rng.uniform(985, 1015)
            chain.append({"id": rng.hexid(32), "start": st, "end": st + life, "m0": 29.0, "t_grow": st + 40})
            t = st + life
        slots.append(chain)

    def task_mem(task, t):
        if not (task["start"] <= t < task["end"]):
            return None
        if t < task["t_grow"]:
            return task["m0"]
        return task["m0"] + (99.5 - task["m0"]) * ((t - task["t_grow"]) / (task["end"] - task["t_grow"])) ** 1.2

    def live(t):
        return [tk for ch in slots for tk in ch if tk["start"] <= t < tk["end"]]

    def mem_max(t):
        v = [task_mem(tk, t) for tk in live(t)]
        return max(v) if v else 30.0

    def pino(tk, t, level, msg, **kv):
        d = {"level": level, "time": int(wall(t).timestamp() * 1000), "pid": 1, "hostname": f"ip-10-50-{int(tk['id'][0], 16) % 4}-{int(tk['id'][1:3], 16)}.eu-north-1.compute.internal", "msg": msg}
        d.update(kv)
        sink.add(grp, f"ecs/recs-api/{tk['id']}", t, json.dumps(d))

    for ch in slots:
        for tk in ch:
            s = f"ecs/recs-api/{tk['id']}"
            a, b = max(tk["start"], log_start), min(tk["end"], 0)
            if tk["start"] >= log_start:
                pino(tk, tk["start"] + 1.2, 30, "recs-api 5.12.3 listening on :3000", node="v20.18.1", heapLimitMb=768)
                pino(tk, tk["start"] + 3.4, 30, "catalog snapshot loaded", products=2318455)
            t = a - (a % 60) + 60
            while t < b:
                m = task_mem(tk, t)
                entries = int(410000 + max(0.0, m - tk["m0"]) * 52000) if t >= tk["t_grow"] else 410000 + rng.randint(0, 900)
                pino(tk, t + 0.5, 30, "similarity cache stats", entries=entries, hitRatio=round(rng.uniform(0.55, 0.7) if t >= t_delta else rng.uniform(0.9, 0.95), 3),
                     heapUsedMb=int(m / 100 * 1024 * 0.74), rssMb=int(m / 100 * 1024))
                for _ in range(rng.poisson(14)):
                    tt = t + rng.uniform(0, 59)
                    if tt < b:
                        pino(tk, tt, 30, "request completed", req={"method": "GET", "url": f"/v2/recs/user/{rng.randint(100000, 999999)}?n=24"},
                             res={"statusCode": 200}, responseTime=int(rng.uniform(18, 70) * (1 + max(0, m - 85) / 10)))
                if rng.random() < 0.2:
                    pino(tk, t + rng.uniform(0, 59), 40, "upstream catalog-service slow", ms=rng.randint(510, 900), path="/v1/products/batch")
                t += 60
            if tk["end"] < 0 and tk["end"] >= log_start:
                e = tk["end"]
                lines = ["", "<--- Last few GCs --->", "",
                         f"[1:0x5e4b2a0] {int((e - tk['start']) * 1000)} ms: Mark-Compact (reduce) 763.4 (790.1) -> 761.9 (788.6) MB, "
                         f"{rng.uniform(1100, 1600):.2f} / 0.00 ms  (average mu = 0.142, current mu = 0.027) allocation failure; scavenge might not succeed",
                         "", "<--- JS stacktrace --->", "",
                         "FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory",
                         "----- Native stack trace -----", "",
                         " 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]",
                         " 2: 0xf06460 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]",
                         " 3: 0xf06747 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]",
                         " 4: 0x1118105  [node]",
                         " 5: 0x112ff88 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags) [node]"]
                for k, ln in enumerate(lines):
                    sink.add(grp, s, e - 0.05 + k * 0.001, ln)
    pino(slots[0][0], t_delta + 2, 30, "catalog delta applied", added=1912400, removed=310, source="marketplace-onboarding")
    deaths = [tk["end"] for ch in slots for tk in ch if tk["end"] < 0]
    metrics = ecs_set(rng, "recs", "recs-api", cpu=lambda t: 24 * diurnal(t, 0.1, 8) + (6 if t >= t_delta else 0), mem=mem_max,
                      running=lambda t: len(live(t)), desired=lambda t: 3)
    metrics += alb_set(rng, lb, req=lambda t: 640 * diurnal(t, 0.1, 8), rt=lambda t: 0.041 + (0.03 if t >= t_delta + 1200 else 0),
                       t5xx=lambda t: 0.1, t4xx=lambda t: 11, e502=lambda t: sum(rng.uniform(6, 14) for d in deaths if 0 <= d - t < 60),
                       e503=lambda t: 0.02, tgs=[(tg, lambda t: len(live(t)), lambda t: 0)])
    metrics += lambda_set(rng, "newsletter-sender", inv=lambda t: 3, err=lambda t: 0.0, dur=lambda t: 2100, conc=lambda t: 1)
    resources = [
        {"type": "ecs", "id": "recs/recs-api", "properties": {"launch_type": "FARGATE", "task_definition": "recs-api:96", "cpu": 512,
                                                              "memory": 1024, "desired_count": 3, "log_group": grp,
                                                              "load_balancer": "recs-alb", "node_options": "--max-old-space-size=768"}},
        {"type": "alb", "id": lb, "properties": {"name": "recs-alb", "target_groups": [tg], "targets": "ecs:recs/recs-api"}},
        {"type": "lambda", "id": "newsletter-sender", "properties": {"runtime": "nodejs20.x", "timeout": 120, "memory_size": 512}},
    ]
    changes = [change(-4200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "newsletter-sender", "gh-actions"),
               change(-13000, "elasticloadbalancing.amazonaws.com", "AddTags", "AWS::ElasticLoadBalancingV2::LoadBalancer", "recs-alb", "tagger-bot")]
    alarms = [alarm("recs-api-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": "recs", "ServiceName": "recs-api"}, "Maximum",
                    300, 3, 90, "GreaterThanThreshold", -2520, datapoints=2, description="recs-api task memory")]
    doc = scenario("h21-09-recs-fargate-heap-oom",
                   "recs-api memory alarm; recommendation widgets intermittently blank.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "recs-api-memory-high",
                    "root_cause": {"category": "memory_exhaustion", "resource": ["recs/recs-api", "recs-api"]},
                    "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                   "dimensions": {"ClusterName": "recs", "ServiceName": "recs-api"}}]})
    meta = {"placement": "origin (ECS)",
            "decoys": "newsletter-sender Lambda deploy 3 min before the growth starts; ALB tag change; constant 'catalog-service slow' WARNs",
            "story": "After a marketplace onboarding added 1.9 M products to the catalogue (an app-log event, not an AWS change), "
                     "recs-api's unbounded similarity cache grows with every request. Task memory climbs from ~47 % to the "
                     "limit, V8 dies with 'Reached heap limit ... JavaScript heap out of memory', ECS replaces the task and the new "
                     "task refills and dies again within ~17 min, so MemoryUtilization keeps peaking at ~100 % and the ALB "
                     "sees 502 bursts at each death. OOM crashes with memory at the limit is memory_exhaustion on the service."}
    return doc, meta


# ----------------------------------------------------------------------------- 10
def s10():
    rng = Rng(2110)
    region = "eu-west-3"
    fn, api_id, role = "export-builder", "p2w9c4h7ke", "export-builder-role"
    t_iam = -2100
    acct = "418295730164"
    key = "arn:aws:kms:eu-west-3:418295730164:key/7c1e9a52-3b4d-4f60-8e21-9d0a5b6c7e83"
    sink = LogSink()
    log_start = -7200
    streams = [(lambda_stream(rng, -30000), -30000, 1) for _ in range(3)]

    def body(r, t, rid):
        job = f"exp_{r.alnum(10)}"
        rows = r.randint(800, 64000)
        out = [(0.004, f"[INFO]\t{iso(t)}\t{rid}\texport job {job} tenant=t-{r.randint(100, 999)} report={r.choice(['ledger', 'vat', 'payouts', 'refunds'])} rows={rows}")]
        if rows > 50000:
            out.append((0.2, f"[WARNING]\t{iso(t + 0.2)}\t{rid}\trow count {rows} exceeds 50000; streaming CSV in chunks"))
        q = r.uniform(0.3, 1.6) + rows / 40000
        if t >= t_iam + 25:
            msg = (f"[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: "
                   f"arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: kms:GenerateDataKey on resource: {key} "
                   f"because no identity-based policy allows the kms:GenerateDataKey action\n"
                   "Traceback (most recent call last):\n"
                   "  File \"/var/task/app.py\", line 88, in handler\n    url = publish(csv_buf, job)\n"
                   "  File \"/var/task/exports/publish.py\", line 41, in publish\n"
                   "    s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption=\"aws:kms\", SSEKMSKeyId=KMS_KEY)\n"
                   "  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 569, in _api_call\n"
                   "    return self._make_api_call(operation_name, kwargs)\n"
                   "  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1023, in _make_api_call\n"
                   "    raise error_class(parsed_response, operation_name)")
            out.append((q, msg))
            return out, q * 1000 + 40, r.randint(180, 260), "error"
        out.append((q, f"[INFO]\t{iso(t + q)}\t{rid}\tuploaded s3://acme-exports-prod/{job}.csv ({rows} rows, SSE-KMS); presigned url valid 15m"))
        return out, q * 1000 + 60, r.randint(180, 260), None

    stats = lambda_invocations(rng, sink, f"/aws/lambda/{fn}", streams, lambda m: rng.poisson(16 * diurnal(m, 0.1, 3)), body, 1024, log_start)
    by = {s[0]: s for s in stats}
    metrics = lambda_set(rng, fn, inv=lambda t: 16 * diurnal(t, 0.1, 3), err=lambda t: 0.0, dur=lambda t: 1500, conc=lambda t: 1.3, stats=stats)
    metrics += apigw_http_set(rng, api_id, count=lambda t: (by[t][1] if t in by else 16 * diurnal(t, 0.1, 3)) + 40,
                              e4xx=lambda t: 2.2, e5xx=lambda t: by[t][2] if t in by else 0.0,
                              latency=lambda t: (by[t][3] or 1500) * by[t][1] / (by[t][1] + 40) + 30 if t in by else 640)
    clean_streams = [(lambda_stream(rng, -30000), -30000, 1)]

    def cbody(r, t, rid):
        return [(0.01, f"[INFO]\t{iso(t)}\t{rid}\tdeleted {r.randint(0, 40)} expired exports older than 7d")], r.uniform(300, 900), 110, None

    lambda_invocations(rng, sink, "/aws/lambda/exports-cleanup", clean_streams, lambda m: 1 if m % 300 == 0 else 0, cbody, 256, log_start)
    metrics += lambda_set(rng, "exports-cleanup", inv=lambda t: 0.2, err=lambda t: 0.0, dur=lambda t: 600, conc=lambda t: 1)
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024, "role": role,
                                                    "environment": {"EXPORT_BUCKET": "acme-exports-prod", "KMS_KEY": key}}},
        {"type": "lambda", "id": "exports-cleanup", "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 256,
                                                                   "role": "exports-cleanup-role"}},
        {"type": "apigateway", "id": "exports-http", "properties": {"api_id": api_id, "protocol": "HTTP", "stage": "$default",
                                                                    "routes": ["POST /exports", "GET /exports/{id}", "GET /health"],
                                                                    "integration": f"AWS_PROXY lambda:{fn}"}},
    ]
    changes = [change(t_iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci"),
               change(t_iam + 4, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", role, "terraform-ci"),
               change(-1500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "exports-cleanup", "terraform-ci"),
               change(-14400, "kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", key, "sec-baseline")]
    alarms = [alarm("exports-http-5xx", "AWS/ApiGateway", "5xx", {"ApiId": api_id}, "Sum", 60, 3, 2, "GreaterThanThreshold", -1920,
                    description="Exports HTTP API server errors")]
    doc = scenario("h21-10-export-builder-kms-access-denied",
                   "Finance users cannot download report exports (HTTP 500); exports API 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "exports-http-5xx",
                    "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    meta = {"placement": "front (HTTP API)",
            "decoys": "exports-cleanup code deploy (same pipeline) 10 min after the IAM change; KMS key rotation enabled hours earlier; "
                      "constant 'row count exceeds 50000' WARNINGs and 4xx",
            "story": "terraform-ci rewrote the inline policy of export-builder-role at -35 min (PutRolePolicy + DeleteRolePolicy). "
                     "From the next invocation every export fails at the S3 upload with AccessDenied: the role is not authorized "
                     "for kms:GenerateDataKey on the bucket's KMS key, so the HTTP API returns 500. Code and configuration of "
                     "export-builder did not change; the cleanup function's deploy is another function. AccessDenied right after "
                     "an IAM change is permission_denied, origin export-builder (and its role)."}
    return doc, meta
