"""ECS/ALB incidents, part 2: IAM policy detach, SSM parameter change, Go image deploy."""
from __future__ import annotations

import numpy as np

from .common import Scn, blip, counts, daily, flat, noisy, ramp, step
from .containers import tasks
from .services import alb_metrics, app_streams, ecs_metrics, per_minute


def uvicorn(sc, t, level, msg):
    return f"{sc.stamp(t)},{int((t % 1) * 1000):03d} {level} [profile_svc] {msg}"


# ------------------------------------------------------------------------------
def s09_profile_iam_detach():
    sc = Scn("h7-09-profile-iam-detach", "us-east-1",
             "Profile API - 5XX (prod): account pages failing for signed-in users.", 7109)
    lb, tg = "app/web-prod/1a2b3c4d5e6f7a8b", "targetgroup/profile-svc/9a8b7c6d5e4f3a2b"
    cl, onset = "web-prod", -1500
    sc.resource("alb", lb, name="web-prod", targets=["targetgroup/profile-svc", "targetgroup/frontend"])
    sc.resource("ecs", f"{cl}/profile-svc", cluster=cl, task_definition="profile-svc:140", desired_count=4,
                cpu=512, memory=1024, task_role="profile-svc-task-role")
    sc.resource("ecs", f"{cl}/frontend", cluster=cl, task_definition="frontend:903", desired_count=6, cpu=512,
                memory=1024, task_role="frontend-task-role")
    req = counts(sc, daily(260, 0.2))
    share = 0.58  # profile reads that hit DynamoDB
    t5 = counts(sc, req * 0.0006 + step(onset + 30) * req * share)
    trt = noisy(sc, flat(0.034) - step(onset + 30) * 0.012, 0.1, 0.005)
    alb_metrics(sc, lb, tg, req=req, trt=trt, t5xx=t5)
    ecs_metrics(sc, cl, "profile-svc", desired=4, cpu=noisy(sc, daily(18), 0.1, 1) - step(onset) * 5)
    ecs_metrics(sc, cl, "frontend", desired=6, cpu=noisy(sc, daily(29), 0.1, 1))
    ids = tasks(sc, 4)
    sess = sc.hexid(32)

    def ok(t):
        return [(t, uvicorn(sc, t, "INFO", f'10.0.{sc.rng.integers(1, 30)}.{sc.rng.integers(2, 250)}:0 - "GET '
                                           f'/v2/profile/me HTTP/1.1" 200'))]

    def bad(t):
        user = f"u_{sc.rng.integers(1e7, 9e7)}"
        msg = ("botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetItem "
               f"operation: User: arn:aws:sts::123456789012:assumed-role/profile-svc-task-role/{sess} is not "
               "authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/"
               "user-profiles because no identity-based policy allows the dynamodb:GetItem action")
        return [(t, uvicorn(sc, t, "ERROR", f"failed to load profile {user}\nTraceback (most recent call last):\n"
                                           '  File "/app/profile_svc/store.py", line 52, in get_profile\n'
                                           "    item = self.table.get_item(Key={'pk': user_id})['Item']\n" + msg)),
                (t + 0.002, uvicorn(sc, t, "INFO", f'10.0.{sc.rng.integers(1, 30)}.{sc.rng.integers(2, 250)}:0 - '
                                                   f'"GET /v2/profile/me HTTP/1.1" 500'))]
    lines = per_minute(sc, counts(sc, flat(8)), ok)
    lines += per_minute(sc, np.maximum(t5 - 1, 0), bad)
    app_streams(sc, "/ecs/profile-svc", [f"profile-svc/profile-svc/{i}" for i in ids], lines)

    def fe(t):
        if sc.rng.random() < 0.08:  # long-standing noisy warning, unchanged by the incident
            return [(t, f"{sc.iso(t)} WARN  upstream recommendations-svc slow ({sc.rng.integers(800, 2400)} ms), "
                        f"serving cached carousel")]
        return [(t, f"{sc.iso(t)} INFO  GET /{sc.rng.choice(['', 'cart', 'search', 'account'])} 200")]
    app_streams(sc, "/ecs/frontend", [f"frontend/frontend/{i}" for i in tasks(sc, 3)],
                per_minute(sc, counts(sc, flat(6)), fe))
    sc.change(-6100, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "frontend:903",
              "codedeploy-web")
    sc.change(-6080, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/frontend", "codedeploy-web")
    sc.change(onset - 45, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "profile-svc-task-role",
              "terraform-iam-cleanup")
    sc.change(onset - 40, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy", "profile-svc-legacy-ddb-access",
              "terraform-iam-cleanup")
    name = "Profile API - 5XX (prod)"
    sc.alarm(name, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"TargetGroup": tg, "LoadBalancer": lb},
             "Sum", 300, 1, 50.0, "GreaterThanThreshold", t5, description="profile-svc target group 5XX > 50 / 5 min")
    sc.expect(name, "permission_denied", [f"{cl}/profile-svc", "profile-svc", "profile-svc-task-role"],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                "dimensions": {"TargetGroup": tg, "LoadBalancer": lb}}],
              decoys="frontend deploy 1.3 h before; frontend's constant 'upstream slow' warnings; latency on the "
                     "target group drops (fast failures)",
              story="An IAM clean-up run detached and deleted a 'legacy' managed policy that still granted "
                    "profile-svc's task role dynamodb:GetItem on user-profiles. Every profile read now fails with "
                    "AccessDeniedException and the service answers 500.")
    return sc


# ------------------------------------------------------------------------------
def s17_checkout_ssm_endpoint():
    sc = Scn("h7-17-checkout-ssm-endpoint", "us-west-1",
             "Checkout - target 5XX on checkout-alb; customers cannot place orders.", 7117)
    lb, tg = "app/checkout-alb/5e6f7a8b9c0d1e2f", "targetgroup/checkout-web/0f1e2d3c4b5a6978"
    cl, svc, onset = "checkout", "checkout-web", -1740
    param = "/checkout/prod/payments/endpoint"
    sc.resource("alb", lb, name="checkout-alb", targets=["targetgroup/checkout-web"])
    sc.resource("ecs", f"{cl}/{svc}", cluster=cl, task_definition="checkout-web:77", desired_count=3, cpu=1024,
                memory=2048, task_role="checkout-web-task")
    sc.resource("ecs", f"{cl}/cart-sync", cluster=cl, task_definition="cart-sync:19", desired_count=1, cpu=256,
                memory=512)
    req = counts(sc, daily(150, 0.15))
    pay = 0.22  # share of requests that reach the payment step
    t5 = counts(sc, req * 0.002 + step(onset + 50) * req * pay)
    trt = noisy(sc, flat(0.11), 0.1, 0.02) + step(onset + 50) * 0.05
    alb_metrics(sc, lb, tg, req=req, trt=trt, t5xx=t5)
    ecs_metrics(sc, cl, svc, desired=3, task_cpu=1024, task_mem=2048)
    ecs_metrics(sc, cl, "cart-sync", desired=1, task_cpu=256, task_mem=512)
    ids = tasks(sc, 3)

    def ok(t):
        return [(t, f"{sc.iso(t)} info: POST /api/cart/items 200 {sc.rng.integers(20, 90)}ms")]

    def rec(t):  # pre-existing, constant
        return [(t, f"{sc.iso(t)} error: recommendations fetch failed: read ECONNRESET "
                    f"(recs.internal.shopco.net) - continuing without recommendations")]

    def bad(t):
        oid = f"ord_{sc.hexid(10)}"
        return [(t, f"{sc.iso(t)} error: payment authorisation failed for {oid}: Error: getaddrinfo ENOTFOUND "
                    f"payments-v2.internal.shopco.net\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] "
                    f"(node:dns:107:26) {{\n  errno: -3008,\n  code: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n"
                    f"  hostname: 'payments-v2.internal.shopco.net'\n}}"),
                (t + 0.003, f"{sc.iso(t)} info: POST /api/checkout/confirm 502 {sc.rng.integers(3, 15)}ms")]
    lines = per_minute(sc, counts(sc, flat(6)), ok)
    lines += per_minute(sc, counts(sc, flat(0.7)), rec)
    lines += per_minute(sc, np.maximum(t5 - 1, 0) * (np.arange(len(t5)) * 60 - 21600 >= onset), bad)
    for k in range(3):  # each task refreshes its config every 5 minutes
        for t in range(-10800 + 40 * k, 0, 300):
            ver = 14 if t >= onset else 13
            lines.append((t + 0.5, f"{sc.iso(t)} info: config refreshed from SSM path /checkout/prod/ "
                                   f"({param} version {ver})", k))
    app_streams(sc, f"/ecs/{svc}", [f"web/{svc}/{i}" for i in ids], lines)
    cs = per_minute(sc, counts(sc, flat(1)), lambda t: [(t, f"{sc.iso(t)} INFO synced {sc.rng.integers(10, 400)} "
                                                          f"carts to redis")])
    app_streams(sc, "/ecs/cart-sync", [f"cart-sync/cart-sync/{sc.hexid(32)}"], cs)
    sc.change(onset - 200, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param, "r.silva")
    sc.change(-12600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/cart-sync", "r.silva")
    name = "Checkout - target 5XX"
    sc.alarm(name, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 5, 10.0,
             "GreaterThanThreshold", t5, datapoints_to_alarm=3)
    sc.expect(name, "config_change", [f"{cl}/{svc}", svc, param],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}],
              decoys="constant ECONNRESET errors from the recommendations service; cart-sync UpdateService 3.5 h earlier",
              story="Ahead of a planned payments migration someone updated the SSM parameter with the payments "
                    "endpoint to the new payments-v2 host, which does not exist in DNS yet. The tasks pick up the "
                    "new value on their next 5-minute refresh and every payment authorisation fails with ENOTFOUND.")
    return sc


# ------------------------------------------------------------------------------
def s18_booking_go_deploy():
    sc = Scn("h7-18-booking-go-deploy", "eu-central-1",
             "booking-api ELB 5xx: bookings intermittently fail with 502.", 7118)
    lb, tg = "app/travel-public/7c8d9e0f1a2b3c4d", "targetgroup/booking-api/1b2c3d4e5f6a7b8c"
    cl, svc, onset = "travel", "booking-api", -2280
    sc.resource("alb", lb, name="travel-public", targets=["targetgroup/booking-api"])
    sc.resource("ecs", f"{cl}/{svc}", cluster=cl, task_definition="booking-api:318", desired_count=4, cpu=512,
                memory=1024)
    sc.resource("rds", "booking-db", engine="postgres", instance_class="db.r6g.xlarge", max_connections=1600,
                allocated_storage_gb=500)
    promo = blip(-11400, -10500)
    req = counts(sc, daily(210, 0.2) * (1 + promo * 1.6))
    new_share = ramp(onset, onset + 240)  # rolling deployment replaces tasks over ~4 minutes
    e5 = counts(sc, flat(0.05) + new_share * req * 0.07)
    trt = noisy(sc, flat(0.082) * (1 + promo * 0.3), 0.1, 0.01)
    alb_metrics(sc, lb, tg, req=req, trt=trt, e5xx=e5)
    ecs_metrics(sc, cl, svc, desired=4, cpu=noisy(sc, daily(27) * (1 + promo), 0.1, 1, 100),
                running=flat(4) + blip(onset, onset + 240) * 2)
    from .services import rds_metrics
    rds_metrics(sc, "booking-db", storage_gb=500, mem_gb=32, conns=np.round(noisy(sc, flat(64), 0.05)))
    old, new = tasks(sc, 4), tasks(sc, 4)

    def go(t, lvl, msg):
        return f'{{"time":"{sc.iso(t)}","level":"{lvl}","msg":"{msg}"}}'

    def req_line(t):
        nw = sc.rng.random() < new_share[min(int((t + 21600) // 60), len(new_share) - 1)]
        k = int(sc.rng.integers(4)) + (4 if nw else 0)
        out = [(t, go(t, "INFO", f"POST /v1/bookings 201 {sc.rng.integers(30, 160)}ms"), k)]
        if sc.rng.random() < 0.05:
            out.append((t + 0.01, go(t, "WARN", "slow query: SELECT ... FROM fares WHERE route_id=$1 took "
                                               f"{sc.rng.integers(450, 900)}ms"), k))
        return out

    def panic(t):
        k = 4 + int(sc.rng.integers(4))
        return [(t, f"{sc.stamp(t, '%Y/%m/%d %H:%M:%S')} http: panic serving 10.8.{sc.rng.integers(1, 9)}."
                    f"{sc.rng.integers(2, 250)}:{sc.rng.integers(30000, 60000)}: runtime error: invalid memory address "
                    f"or nil pointer dereference\ngoroutine {sc.rng.integers(1000, 90000)} [running]:\n"
                    "net/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1898 +0xbe\n"
                    "panic({0x9a3b40?, 0xf1c2d0?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                    "github.com/travelco/booking-api/internal/pricing.(*Quote).ApplyLoyalty(0x0, ...)\n"
                    "\t/src/internal/pricing/loyalty.go:44 +0x1c\ngithub.com/travelco/booking-api/internal/http."
                    "(*Handler).CreateBooking(...)\n\t/src/internal/http/bookings.go:131 +0x2f5", k)]
    lines = per_minute(sc, counts(sc, flat(7)), req_line)
    lines += per_minute(sc, e5 * (np.arange(len(e5)) * 60 - 21600 >= onset), panic)
    lines += [(onset + 60 * k + 20, go(onset + 60 * k + 20, "INFO", "booking-api v2.41.0 (commit 9f3e1ab) listening "
                                                                   "on :8080"), 4 + k) for k in range(4)]
    app_streams(sc, f"/ecs/{svc}", [f"ecs/{svc}/{i}" for i in old + new], lines)
    sc.change(onset - 90, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "booking-api:318", "argo-deployer")
    sc.change(onset - 75, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "argo-deployer")
    sc.change(-15800, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "booking-pg16-params", "dba-oncall")
    name = "booking-api ELB 5xx"
    sc.alarm(name, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 20.0,
             "GreaterThanThreshold", e5, datapoints_to_alarm=2)
    sc.expect(name, "bad_deployment", [f"{cl}/{svc}", svc],
              [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}],
              decoys="promo traffic spike 3 h earlier; constant slow-query warnings; parameter-group change on "
                     "booking-db 4.4 h earlier",
              story="Task definition booking-api:318 (v2.41.0) rolled out. Its loyalty-discount code dereferences "
                    "a nil Quote for guests without a loyalty account; the Go HTTP server recovers the panic and "
                    "drops the connection, so the ALB returns 502 (ELB 5XX) only from the new tasks.")
    return sc


SCENARIOS = [s09_profile_iam_detach, s17_checkout_ssm_endpoint, s18_booking_go_deploy]
