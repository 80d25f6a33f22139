"""h5-03 (ALB 5xx: ECS checkout's external payment API fails) and h5-10 (ECS task role loses S3 access)."""
from __future__ import annotations

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, ecs_metrics, expect, find, hexid, level, log, logts, pgts,
                     pois, poisson_times, rds_metrics, scenario, window)


def spring(t, lvl, thread, logger, msg, app="checkout-api"):
    return f"{logts(t).replace(',', '.')} {lvl:>5} 1 --- [{app}] [{thread}] {logger:<40} : {msg}"


def pg_checkpoints(rng, t0, t1, pid=412):
    ev = []
    t = t0 + rng.uniform(0, 300)
    while t < t1:
        ev.append((t, f"{pgts(t)}::@:[{pid}]:LOG:  checkpoint starting: time"))
        ev.append((t + 27.1, f"{pgts(t + 27.1)}::@:[{pid}]:LOG:  checkpoint complete: wrote {rng.integers(300, 4000)} "
                             f"buffers ({rng.uniform(0.2, 3):.1f}%); 0 WAL file(s) added, 0 removed, "
                             f"{rng.integers(1, 4)} recycled; write={rng.uniform(20, 27):.3f} s, sync=0.0{rng.integers(1, 9)}3 s"))
        t += 300
    return ev


# ------------------------------------------------------------------ h5-03
def ecs_external_api(rng):
    region, cluster = "us-east-1", "shop"
    lb = "app/shop-public-alb/8a41c0de9b7f2135"
    onset = -1680
    bad = window(onset, 0)
    req = np.round(level(rng, 1800, 0.05, daily=0.3, phase=-25000))
    confirms = req * 0.034
    fail_frac = bad * (0.7 + 0.25 * rng.uniform(0, 1, N))
    t5 = pois(rng, 0.8 + confirms * fail_frac)
    trt = level(rng, 0.092, 0.07) + bad * confirms * fail_frac * 0.45 * 8.0 / req * rng.uniform(0.8, 1.2, N)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.05 * np.ones(N)), np.zeros(N), np.full(N, 9.0), rng=rng)
    metrics += ecs_metrics(cluster, "checkout-api", level(rng, 24, 0.07) - bad * 3, level(rng, 61, 0.015),
                           np.full(N, 3.0), np.full(N, 3.0), np.zeros(N))
    metrics += ecs_metrics(cluster, "catalog-api", level(rng, 41, 0.07, daily=0.3, phase=-25000),
                           level(rng, 52, 0.02), np.full(N, 6.0), np.full(N, 6.0), np.zeros(N))
    spike = window(-12600, -11400)
    gb = 1024 ** 3
    metrics += rds_metrics("shop-db", level(rng, 18, 0.1) + spike * rng.uniform(45, 60, N),
                           np.round(level(rng, 64, 0.05)), 412 * gb - T * 1200 + rng.normal(0, 5e7, N),
                           level(rng, 0.0011, 0.15) + spike * 0.004, level(rng, 0.0019, 0.15),
                           level(rng, 5.1 * gb, 0.01) - spike * 0.6 * gb)

    logs = []
    th = lambda: f"nio-8080-exec-{rng.integers(1, 200)}"  # noqa: E731
    for k in range(3):
        ev = []
        host_ip = f"10.40.{rng.integers(1, 30)}.{rng.integers(2, 250)}"
        for t in poisson_times(rng, 12.0, -10800, 0):
            o = f"ord_{hexid(rng, 10)}"
            r = rng.uniform()
            if r < 0.35:
                if t >= onset and rng.uniform() < 0.85:
                    if rng.uniform() < 0.55:
                        ev.append((t, spring(t, "ERROR", th(), "c.s.checkout.payment.PaystreamClient",
                                             f"Charge request failed for order {o}: I/O error on POST request for "
                                             '"https://api.paystream.io/v1/charges": Read timed out')))
                        ev.append((t + 0.01, spring(t + 0.01, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                  "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                  "exception [Request processing failed: com.shop.checkout.payment."
                                  "PaymentGatewayException: paystream charge failed] with root cause\n"
                                  "java.net.SocketTimeoutException: Read timed out\n"
                                  "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)\n"
                                  "\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)\n"
                                  "\tat java.base/sun.security.ssl.SSLSocketInputRecord.read(SSLSocketInputRecord.java:484)\n"
                                  "\tat org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)\n"
                                  "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:889)\n"
                                  "\tat com.shop.checkout.payment.PaystreamClient.charge(PaystreamClient.java:88)\n"
                                  "\tat com.shop.checkout.order.ConfirmService.confirm(ConfirmService.java:142)")))
                    else:
                        ev.append((t, spring(t, "ERROR", th(), "c.s.checkout.payment.PaystreamClient",
                                             f"Charge request failed for order {o}: 503 Service Unavailable: "
                                             '"{"error":{"type":"api_error","code":"service_unavailable",'
                                             '"message":"The service is temporarily unavailable. Please retry."}}"')))
                    ev.append((t + 0.02, f'{host_ip} - - "POST /v1/checkout/confirm HTTP/1.1" 502 87'))
                else:
                    ms = int(rng.gamma(3, 120))
                    ev.append((t, spring(t, "INFO", th(), "c.s.checkout.order.ConfirmService",
                                         f"Order {o} confirmed, charge ch_{hexid(rng, 14)} captured in {ms} ms")))
                    ev.append((t + 0.01, f'{host_ip} - - "POST /v1/checkout/confirm HTTP/1.1" 200 412'))
            else:
                path = ["GET /v1/cart", "POST /v1/cart/items", "GET /v1/checkout/shipping-options"][rng.integers(0, 3)]
                ev.append((t, f'{host_ip} - - "{path} HTTP/1.1" 200 {rng.integers(200, 3000)}'))
        for t in poisson_times(rng, 0.8, -10800, 0):
            ev.append((t, spring(t, "WARN", th(), "c.s.checkout.promo.PromoService",
                                 f"Promo code lookup miss: code={hexid(rng, 6).upper()} (expired or unknown)")))
        for t in poisson_times(rng, 0.25, onset + 60, 0):
            s = ["CLOSED to OPEN", "OPEN to HALF_OPEN", "HALF_OPEN to OPEN"][rng.integers(0, 3)]
            ev.append((t, spring(t, "WARN", th(), "i.g.r.c.i.CircuitBreakerStateMachine",
                                 f"CircuitBreaker 'paystream' changed state from {s}")))
        logs.append(log("/ecs/checkout-api", f"checkout-api/checkout-api/{hexid(rng)}", ev))
    for k in range(2):
        ev = []
        for t in poisson_times(rng, 8.0, -10800, 0):
            ev.append((t, spring(t, "INFO", th(), "c.s.catalog.web.ProductController",
                                 f"GET /v1/products/{rng.integers(100000, 999999)} 200 {int(rng.gamma(2, 14))}ms",
                                 app="catalog-api")))
        for t in poisson_times(rng, 0.5, -10800, 0):
            ev.append((t, spring(t, "WARN", th(), "c.s.catalog.search.OpenSearchClient",
                                 f"slow search query took {rng.integers(800, 2400)} ms (q='{['red dress', 'usb c', 'desk lamp'][rng.integers(0, 3)]}')",
                                 app="catalog-api")))
        logs.append(log("/ecs/catalog-api", f"catalog-api/catalog-api/{hexid(rng)}", ev))
    ev = pg_checkpoints(rng, -21600, 0)
    for t in poisson_times(rng, 1.5, -21600, 0):
        ev.append((t, f"{pgts(t)}:10.40.{rng.integers(1, 30)}.{rng.integers(2, 250)}({rng.integers(30000, 60000)}):"
                      f"checkout@shop:[{rng.integers(1000, 30000)}]:ERROR:  duplicate key value violates unique "
                      f"constraint \"carts_session_id_key\""))
    for t in poisson_times(rng, 1.2, -12600, -11400):
        ev.append((t, f"{pgts(t)}:10.40.7.19({rng.integers(30000, 60000)}):analytics@shop:[{rng.integers(1000, 30000)}]:"
                      f"LOG:  duration: {rng.uniform(4000, 30000):.3f} ms  statement: SELECT date_trunc('day', created_at), "
                      f"sum(total_cents) FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY 1"))
    logs.append(log("/aws/rds/instance/shop-db/postgresql", "shop-db.0", ev))

    changes = [change(-9000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "shop-db", "dba-priya"),
               change(-14400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/catalog-api",
                      "github-actions")]
    al = alarm("shop-public-alb-target-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 25,
               description="Shop public ALB: targets returning 5xx")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "shop-public-alb",
                                                 "targets": [f"{cluster}/checkout-api", f"{cluster}/catalog-api"]}},
        {"type": "ecs", "id": f"{cluster}/checkout-api", "properties": {
            "cluster": cluster, "task_definition": "checkout-api:214", "desired_count": 3, "cpu": 1024,
            "memory": 2048, "environment": {"PAYSTREAM_BASE_URL": "https://api.paystream.io",
                                            "DB_HOST": "shop-db.cq1xvz8h2k4e.us-east-1.rds.amazonaws.com"}}},
        {"type": "ecs", "id": f"{cluster}/catalog-api", "properties": {
            "cluster": cluster, "task_definition": "catalog-api:388", "desired_count": 6, "cpu": 512, "memory": 1024}},
        {"type": "rds", "id": "shop-db", "properties": {"engine": "postgres", "instance_class": "db.r6g.large",
                                                         "max_connections": 1600, "allocated_storage_gb": 500}},
    ]
    scn = scenario("h5-03-alb-payment-api-down", "Customers cannot complete checkout; shop ALB target 5xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "dependency_failure", [f"{cluster}/checkout-api", "checkout-api",
                                                             "api.paystream.io"],
                          [find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-03-alb-payment-api-down.yaml", "scenario": scn,
            "decoys": "shop-db ModifyDBInstance 2.5 h earlier and an analytics CPU burst 3.5 h earlier; steady "
                      "duplicate-key errors in the postgres log; catalog-api deploy 4 h earlier",
            "story": "The external payment provider (api.paystream.io) degraded: charge calls time out after the "
                     "10 s read timeout or return 503. checkout-api turns every failed charge into a 502, so the "
                     "shared ALB's target 5xx count jumps while CPU, memory, task counts and the database stay "
                     "normal. The provider is outside the account; the affected in-account resource is "
                     "checkout-api."}


# ------------------------------------------------------------------ h5-10
def ecs_permission_denied(rng):
    region, cluster, svc, other = "eu-west-2", "media", "upload-api", "thumbnailer"
    lb = "app/media-alb/c27e9a01f4b85d36"
    onset = -1560
    bad = window(onset, 0)
    req = np.round(level(rng, 620, 0.06, daily=0.2, phase=-20000))
    uploads = req * 0.24
    t5 = pois(rng, 0.4 + bad * uploads * 0.97)
    t4 = pois(rng, req * 0.018)
    trt = level(rng, 0.41, 0.08) * (1 - bad * 0.35)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.03 * np.ones(N)), np.zeros(N), np.full(N, 4.0), t4=t4)
    metrics += ecs_metrics(cluster, svc, level(rng, 29, 0.07) * (1 - bad * 0.3), level(rng, 44, 0.02),
                           np.full(N, 4.0), np.full(N, 4.0), np.zeros(N))
    dep = -3300
    metrics += ecs_metrics(cluster, other, level(rng, 46, 0.09), level(rng, 63, 0.02),
                           np.full(N, 3.0) + window(dep, dep + 360) * 3, np.full(N, 3.0), window(dep, dep + 120) * 3)

    logs = []

    def py(t, lvl, logger, msg):
        return f"{logts(t)} {lvl} [{logger}] {msg}"

    for k in range(4):
        ev = []
        sess = hexid(rng, 32)
        ip = f"10.60.{rng.integers(1, 40)}.{rng.integers(2, 250)}"
        for t in poisson_times(rng, 155.0 / 4 * 0.35, -10800, 0):
            r = rng.uniform()
            cip = f"{ip}:{rng.integers(30000, 65000)}"
            if r < 0.24:
                user, mid = f"u_{hexid(rng, 8)}", hexid(rng, 16)
                key = f"u/{user}/{mid}/original.jpg"
                if t >= onset:
                    ev.append((t, py(t, "ERROR", "upload_api.routes.uploads",
                                     f"upload failed for {user}: An error occurred (AccessDenied) when calling the "
                                     f"PutObject operation: User: arn:aws:sts::123456789012:assumed-role/"
                                     f"upload-api-task-role/{sess} is not authorized to perform: s3:PutObject on "
                                     f"resource: \"arn:aws:s3:::acme-media-uploads-prod/{key}\" because no "
                                     f"identity-based policy allows the s3:PutObject action\n"
                                     "Traceback (most recent call last):\n"
                                     '  File "/app/upload_api/routes/uploads.py", line 88, in create_upload\n'
                                     "    await storage.put_original(key, body, content_type)\n"
                                     '  File "/app/upload_api/storage.py", line 41, in put_original\n'
                                     "    return await asyncio.to_thread(self._s3.put_object, Bucket=self.bucket, "
                                     "Key=key, Body=body, ContentType=content_type)\n"
                                     '  File "/usr/local/lib/python3.12/site-packages/botocore/client.py", line 1023, '
                                     "in _make_api_call\n    raise error_class(parsed_response, operation_name)\n"
                                     "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling "
                                     "the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/"
                                     f"upload-api-task-role/{sess} is not authorized to perform: s3:PutObject")))
                    ev.append((t + 0.02, f'INFO:     {cip} - "POST /v1/uploads HTTP/1.1" 500 Internal Server Error'))
                else:
                    ev.append((t, py(t, "INFO", "upload_api.routes.uploads",
                                     f"stored s3://acme-media-uploads-prod/{key} ({rng.integers(200, 9000)} KiB)")))
                    ev.append((t + 0.02, f'INFO:     {cip} - "POST /v1/uploads HTTP/1.1" 201 Created'))
            elif r < 0.26:
                ev.append((t, f'INFO:     {cip} - "POST /v1/uploads HTTP/1.1" 413 Request Entity Too Large'))
            else:
                ev.append((t, f'INFO:     {cip} - "GET /v1/media/{hexid(rng, 16)} HTTP/1.1" 200 OK'))
        for t in poisson_times(rng, 0.7, -10800, 0):
            ev.append((t, py(t, "WARNING", "upload_api.media",
                             f"EXIF orientation tag missing for upload {hexid(rng, 16)}; assuming 1")))
        logs.append(log(f"/ecs/{svc}", f"{svc}/{svc}/{hexid(rng)}", ev))
    for k, (a, b, ver) in enumerate([(-10800, dep + 200, "1.31.0"), (dep + 60, 0, "1.32.0")]):
        ev = [(a + 1, py(a + 1, "INFO", "thumbnailer.main", f"thumbnailer {ver} started, polling thumbnail-jobs"))] \
            if a > -10800 else []
        for t in poisson_times(rng, 9.0, a, b):
            ev.append((t, py(t, "INFO", "thumbnailer.worker", f"wrote 3 renditions for {hexid(rng, 16)} "
                                                              f"in {int(rng.gamma(3, 90))} ms")))
        logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))

    changes = [
        change(dep - 80, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:19",
               "github-actions"),
        change(dep - 30, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
               "github-actions"),
        change(onset - 75, "iam.amazonaws.com", "CreatePolicy", "AWS::IAM::Policy", "media-s3-access",
               "terraform-ci", region="us-east-1"),
        change(onset - 68, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "thumbnailer-task-role",
               "terraform-ci", region="us-east-1"),
        change(onset - 60, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "upload-api-task-role",
               "terraform-ci", region="us-east-1"),
        change(onset - 55, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy", "upload-api-s3-write",
               "terraform-ci", region="us-east-1"),
    ]
    al = alarm("media-alb-target-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 20,
               description="media ALB target 5xx")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "media-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:66", "desired_count": 4, "cpu": 512, "memory": 1024,
            "task_role": "upload-api-task-role"}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:19", "desired_count": 3, "cpu": 1024, "memory": 2048,
            "task_role": "thumbnailer-task-role"}},
    ]
    scn = scenario("h5-10-ecs-s3-access-denied", "Users report photo uploads failing; media ALB 5xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "permission_denied", [f"{cluster}/{svc}", svc, "upload-api-task-role"],
                          [find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-10-ecs-s3-access-denied.yaml", "scenario": scn,
            "decoys": "thumbnailer image deploy 30 min before onset (same cluster); steady 413s and EXIF warnings",
            "story": "A Terraform refactor consolidated S3 permissions into a new `media-s3-access` policy, attached "
                     "it to the thumbnailer role only, and detached/deleted the old `upload-api-s3-write` policy "
                     "from upload-api-task-role. From then on every upload's PutObject fails with AccessDenied and "
                     "upload-api returns 500; reads keep working. The IAM events are recorded in us-east-1 while "
                     "the service runs in eu-west-2."}
