"""ECS incidents (part C): a bad image rolled out by ECS, a task-role policy rewrite breaking S3 writes."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T

NODE_TB = ("TypeError: Cannot read properties of undefined (reading 'amount')\n"
           "    at formatTotals (/app/dist/routes/cart/totals.js:88:31)\n"
           "    at buildCartView (/app/dist/routes/cart/view.js:41:18)\n"
           "    at async /app/dist/routes/cart/index.js:27:20")


def h16(seed=1116):
    region = "us-east-1"
    sc = Scenario("h11-16-checkout-web-image", "checkout-web 5xx alarm; cart page errors for some shoppers.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "web-prod"
    lb = "app/web-prod-alb/4a6c8e0b2d1f3579"
    tg_c, tg_r = "targetgroup/checkout-web/7b9d1f3a5c0e2468", "targetgroup/recommendations/0c2e4a6b8d1f3579"
    sc.resource("ecs", f"{cluster}/checkout-web", cluster=cluster, launch_type="FARGATE", task_definition="checkout-web:412", desired_count=4, cpu=512, memory=1024)
    sc.resource("ecs", f"{cluster}/recommendations", cluster=cluster, launch_type="FARGATE", task_definition="recommendations:96", desired_count=2, cpu=1024, memory=4096)
    sc.resource("alb", lb, name="web-prod-alb", scheme="internet-facing")
    t_reg, t_upd = -2180, -2150
    sc.change(t_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-web", "github-actions-deployer")
    sc.change(t_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/checkout-web", "github-actions-deployer")
    sc.change(-5020, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/recommendations/prod/model_version", "ml-release-bot")
    sc.change(-12600, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "recommendations", "github-actions-deployer")
    sc.change(-12570, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/recommendations", "github-actions-deployer")
    starts = [t_upd + 35 + 55 * k + rng.uniform(0, 10) for k in range(4)]  # new tasks replace old one by one
    new_frac = sum(after(s + 20) for s in starts) / 4.0
    req_c = counts(rng, 1100 + daily(200) + ar1(rng, 0, 30))
    t5 = counts(rng, req_c * (0.0006 + new_frac * 0.085))
    lat = clip(ar1(rng, 0.07, 0.007), 0.01)
    M.ecs(sc, cluster, "checkout-web", cpu=clip(ar1(rng, 29, 2.5) + daily(4) + 20 * between(t_upd, t_upd + 300), 1, 100), mem_level=46,
          running=4 + np.round(between(t_upd + 30, t_upd + 270) * rng.uniform(0, 1, len(T)), 0), desired=np.full(len(T), 4.0))
    M.ecs(sc, cluster, "recommendations", cpu=clip(ar1(rng, 35, 3) + 30 * between(-4980, -4500), 1, 100), mem_level=71, tasks=2)
    req_r = counts(rng, 700 + daily(120))
    M.alb(sc, lb, req_c + req_r, target_5xx=t5, lat_level=0.09)
    M.target_group(sc, lb, tg_c, req_c, np.full(len(T), 4.0), target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg_r, req_r, np.full(len(T), 2.0), lat_level=0.14)

    def web_lines(host, new):
        def line(t):
            if rng.random() < 0.05:
                return L.pino(t, 40, "upstream recommendations slow", host, ms=int(rng.integers(700, 1400)), route="/cart")
            route = str(rng.choice(["/cart", "/cart", "/checkout/shipping", "/checkout/review"]))
            if new and route == "/cart" and rng.random() < 0.2:
                return L.pino(t, 50, "request errored", host, reqId=f"req-{ids.hexs(6)}", req={"method": "GET", "url": route},
                              res={"statusCode": 500}, err={"type": "TypeError", "message": "Cannot read properties of undefined (reading 'amount')", "stack": NODE_TB})
            return L.pino(t, 30, "request completed", host, reqId=f"req-{ids.hexs(6)}", req={"method": "GET", "url": route},
                          res={"statusCode": 200}, responseTime=int(rng.gamma(3, 14)))
        return line
    for k in range(4):
        host = f"ip-10-0-{rng.integers(10, 60)}-{rng.integers(2, 250)}.ec2.internal"
        stop = starts[k] + 20
        ev = L.emit(rng, -10800, stop, 10, web_lines(host, False))
        ev.append((stop - 1, L.pino(stop - 1, 30, "SIGTERM received, draining connections", host)))
        sc.log("/ecs/checkout-web", L.ecs_stream("checkout", "checkout-web", ids.hexs(32)), ev)
        host = f"ip-10-0-{rng.integers(10, 60)}-{rng.integers(2, 250)}.ec2.internal"
        ev = [(starts[k], L.pino(starts[k], 30, "checkout-web 4.18.0 (git 3f9c2e1) listening on :3000", host, node="v20.18.1"))]
        ev += L.emit(rng, starts[k] + 1, 0, 10, web_lines(host, True))
        sc.log("/ecs/checkout-web", L.ecs_stream("checkout", "checkout-web", ids.hexs(32)), ev)
    for _ in range(2):
        sc.log("/ecs/recommendations", L.ecs_stream("reco", "recommendations", ids.hexs(32)), L.emit(
            rng, -10800, 0, 4, lambda t: f'{L.iso(t)} INFO uvicorn.access: 10.0.{rng.integers(10, 60)}.{rng.integers(2, 250)}:{rng.integers(30000, 60000)} - "GET /v1/recs?sku={ids.hexs(8)} HTTP/1.1" 200'))
    dims = {"LoadBalancer": lb, "TargetGroup": tg_c}
    a = sc.alarm("checkout-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 15,
                 "GreaterThanThreshold", description="checkout-web target 5xx")
    sc.set_expect(a["name"], "bad_deployment", [f"{cluster}/checkout-web", "checkout-web"],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    sc.meta = dict(alarm_on="front (the service's own target group)", decoys="SSM PutParameter model_version on "
                   "recommendations 48 min before onset; recommendations deploy 3.5 h earlier; recommendations CPU spike; "
                   "constant 'upstream recommendations slow' warnings",
                   story="GitHub Actions registered checkout-web:413 with a new image (4.18.0, git 3f9c2e1) and updated the "
                   "service; ECS replaced the four tasks one by one. The new cart totals code reads `.amount` of an "
                   "undefined discount for carts without a promotion, so ~20 % of /cart requests on the new tasks fail "
                   "with TypeError and the target group 5xx alarm fires.")
    return sc


def h17(seed=1117):
    region = "eu-west-1"
    sc = Scenario("h11-17-media-upload-s3-deny", "Photo uploads failing in the app; media-upload 5xx alarm.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "media"
    lb = "app/media-alb/2c4e6a8b0d1f3579"
    tg_u, tg_t = "targetgroup/media-upload/8e0a2c4b6d1f3579", "targetgroup/thumbnailer/1f3a5c7e9b0d2468"
    role = "media-upload-task-role"
    sc.resource("ecs", f"{cluster}/media-upload", cluster=cluster, launch_type="FARGATE", task_definition="media-upload:37",
                desired_count=3, task_role=role)
    sc.resource("ecs", f"{cluster}/thumbnailer", cluster=cluster, launch_type="FARGATE", task_definition="thumbnailer:58",
                desired_count=2, task_role="thumbnailer-task-role")
    sc.resource("alb", lb, name="media-alb", scheme="internet-facing")
    t_c = -1520
    sc.change(t_c, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "alice.roberts")
    sc.change(-7040, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbnailer", "ci-ecs-deploy")
    sc.change(-7010, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/thumbnailer", "ci-ecs-deploy")
    sc.change(-3900, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "media-thumbs-prod", "alice.roberts")
    broken = after(t_c + 8)
    req_u = counts(rng, 160 + daily(30) + ar1(rng, 0, 6))
    t5 = counts(rng, req_u * (0.002 + broken * 0.93))
    lat = clip(ar1(rng, 0.62, 0.06) - broken * 0.5, 0.02)
    M.ecs(sc, cluster, "media-upload", cpu=clip(ar1(rng, 27, 2.5) - broken * 9, 1, 100), mem_level=55, tasks=3)
    M.ecs(sc, cluster, "thumbnailer", cpu=clip(ar1(rng, 41, 4) + 35 * between(-6960, -6700), 1, 100), mem_level=62, tasks=2)
    req_t = counts(rng, 240 + daily(40))
    M.alb(sc, lb, req_u + req_t, target_5xx=t5, lat_level=0.4)
    M.target_group(sc, lb, tg_u, req_u, np.full(len(T), 3.0), target_5xx=t5, latency=lat)
    M.target_group(sc, lb, tg_t, clip(req_t), np.full(len(T), 2.0), lat_level=0.2)

    app = "media-upload"
    def uline(t):
        key = f"uploads/2026/11/20/{ids.uuid()}.jpg"
        if t >= t_c + 8 and rng.random() < 0.93:
            return L.spring(t, "ERROR", f"http-nio-8080-exec-{rng.integers(1, 50)}", "c.m.upload.api.UploadController",
                            f"upload failed for key={key}\nsoftware.amazon.awssdk.services.s3.model.S3Exception: User: arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{ids.hexs(32)} "
                            f"is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::media-originals-prod/{key}\" because no identity-based policy allows the "
                            f"s3:PutObject action (Service: S3, Status Code: 403, Request ID: {ids.hexs(16).upper()}, Extended Request ID: {ids.hexs(40)})\n"
                            "\tat software.amazon.awssdk.services.s3.model.S3Exception$BuilderImpl.build(S3Exception.java:104)\n"
                            "\tat c.m.upload.storage.S3OriginalStore.put(S3OriginalStore.java:66)", app)
        if rng.random() < 0.05:
            return L.spring(t, "WARN", f"http-nio-8080-exec-{rng.integers(1, 50)}", "c.m.upload.api.UploadController",
                            "client aborted multipart upload after 3 parts (ClientAbortException: java.io.EOFException)", app)
        return L.spring(t, "INFO", f"http-nio-8080-exec-{rng.integers(1, 50)}", "c.m.upload.storage.S3OriginalStore",
                        f"stored s3://media-originals-prod/{key} bytes={rng.integers(200000, 6000000)}", app)
    for _ in range(3):
        sc.log("/ecs/media-upload", L.ecs_stream("media", "media-upload", ids.hexs(32)), L.emit(rng, -10800, 0, 5, uline))
    tb = ("Traceback (most recent call last):\n  File \"/app/thumbnailer/worker.py\", line 57, in handle\n    img = Image.open(io.BytesIO(body))\n"
          "  File \"/usr/local/lib/python3.12/site-packages/PIL/Image.py\", line 3498, in open\n    raise UnidentifiedImageError(msg)\n"
          "PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f3a%s>")
    for _ in range(2):
        ev = L.emit(rng, -10800, 0, lambda t: 3 if t < t_c else 0.3, lambda t: f"{L.iso(t)} INFO thumbnailer.worker: wrote 3 renditions for {ids.uuid()}.jpg")
        ev += L.emit(rng, -10800, 0, 0.4, lambda t: f"{L.iso(t)} ERROR thumbnailer.worker: failed to render\n" + tb % ids.hexs(8))
        sc.log("/ecs/thumbnailer", L.ecs_stream("thumb", "thumbnailer", ids.hexs(32)), ev)

    dims = {"LoadBalancer": lb, "TargetGroup": tg_u}
    a = sc.alarm("media-upload-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 5,
                 "GreaterThanThreshold", description="media-upload 5xx")
    sc.set_expect(a["name"], "permission_denied", [role, f"{cluster}/media-upload", "media-upload"],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)])
    sc.meta = dict(alarm_on="front (the service's own target group)", decoys="thumbnailer deploy 1.5 h earlier; S3 lifecycle "
                   "change on the thumbnails bucket 40 min earlier by the same person; constant PIL UnidentifiedImageError "
                   "tracebacks in thumbnailer; thumbnailer CPU spike",
                   story="An engineer rewrote the inline policy of media-upload's ECS task role (PutRolePolicy) to scope S3 "
                   "access by prefix and left out uploads/*. From the next request every PutObject to media-originals-prod "
                   "fails with 403 AccessDenied naming the assumed task role, media-upload returns 500 and thumbnailer goes "
                   "quiet because nothing new lands in the bucket.")
    return sc
