"""h58-13 (self-managed cache host impaired after an arm64 move elsewhere) and h58-14 (IAM tidy-up)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import LambdaLogs, jline, logfmt, pg, pino


# =========================================================================== 13
def s13() -> Scenario:
    sc = Scenario(13, "rider-quotes-cache-host", "Ride quotes failing in the app; API Gateway 5XX "
                  "alarm on the rider API.", "ap-south-1", 5813, "2026-02-09T08:40:00+00:00")
    X = -1400            # cache host impaired
    api, fq, fd = "rider-api", "trip-quote", "driver-location"
    iid = "i-0f5a2c8e1b7d39460"
    sc.resource("apigateway", api, api_id="m4q8w2e6r0", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fq, runtime="provided.al2023", architectures=["arm64"], timeout=6, memory_size=512,
                vpc=True, environment_keys=["REDIS_ADDR", "QUOTE_TTL"])
    sc.resource("lambda", fd, runtime="provided.al2023", architectures=["arm64"], timeout=10, memory_size=256)
    sc.resource("ec2", iid, name="cache-01", instance_type="r6g.large", private_ip="10.20.3.41",
                log_groups=["/cache/redis"])
    down = lambda t: t >= X  # noqa: E731
    inv = sc.series(lambda t: 140 * diurnal(sc, t, 8, 0.3), integer=True)
    err = [float(round(v * 0.88)) if down(t) else float(sc.rng.random() < 0.03) for t, v in zip(GRID, inv)]
    B.lambda_metrics(sc, fq, inv, err, sc.series(lambda t: 1090 if down(t) else 36, noise=0.08),
                     conc=sc.series(lambda t: 2.5 + 3 * down(t), noise=0.2, digits=0))
    B.apigw_metrics(sc, api, [v + d for v, d in zip(inv, sc.series(lambda t: 260 * diurnal(sc, t, 8, 0.3), integer=True))],
                    sc.series(lambda t: 4, integer=True), err,
                    sc.series(lambda t: 1130 if down(t) else 64, noise=0.08), sc.series(lambda t: 1100 if down(t) else 45, noise=0.08))
    dinv = sc.series(lambda t: 260 * diurnal(sc, t, 8, 0.3), integer=True)
    derr = sc.series(lambda t: 0.3 + bump(t, -5400, -4800, 9, 120), integer=True)
    B.lambda_metrics(sc, fd, dinv, derr,
                     sc.series(lambda t: 22 + bump(t, -5400, -4800, 60, 120), noise=0.1))
    B.ec2_metrics(sc, iid, sc.series(lambda t: None if down(t) else 14 * diurnal(sc, t, 8, 0.3), noise=0.08),
                  sc.series(lambda t: None if down(t) else 2.1e7 * diurnal(sc, t, 8, 0.3), noise=0.08, digits=0),
                  [1.0 if down(t) else 0.0 for t in GRID],
                  sc.series(lambda t: None if down(t) else 61.5, noise=0.005))
    sc.metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Count", [1.0 if down(t) else 0.0 for t in GRID])

    ll = LambdaLogs(sc, fq, "provided.al2023", 512, 6, mem_used=(34, 2))
    zones = ["BLR-K", "BLR-W", "BLR-E", "BLR-S"]

    def body(l, t, rid, is_err, cold):
        trip = f"tr_{sc.hexid(12)}"
        z = sc.rng.choice(zones)
        lines = []
        if sc.rng.random() < 0.06:
            lines.append((0.003, logfmt(sc, t + 0.003, "WARN", "surge multiplier stale, using default", zone=z, age_s=sc.rng.randint(300, 900))))
        if down(t) and is_err:
            lines += [(1.0, logfmt(sc, t + 1.0, "ERROR", "quote cache lookup failed", trip_id=trip, zone=z,
                                   err="dial tcp 10.20.3.41:6379: i/o timeout")),
                      (1.01, jline({"errorMessage": "quote: cache: dial tcp 10.20.3.41:6379: i/o timeout", "errorType": "wrapError"}))]
            return {"dur": sc.rng.gauss(1030, 20), "lines": lines}
        if down(t):
            lines.append((1.0, logfmt(sc, t + 1.0, "WARN", "cache unavailable, computed quote without cache", trip_id=trip, zone=z)))
            return {"dur": sc.rng.gauss(1200, 60), "lines": lines}
        if is_err:
            lines.append((0.02, jline({"errorMessage": "quote: pickup outside service area", "errorType": "errorString"})))
            return {"dur": 12, "lines": lines}
        lines.append((0.02, logfmt(sc, t + 0.02, "INFO", "quote served", trip_id=trip, zone=z, cache="hit" if sc.rng.random() < 0.8 else "miss",
                                   fare_inr=sc.rng.randint(90, 900))))
        return {"dur": sc.rng.gauss(34, 8), "lines": lines}
    ll.run(B.sample(inv, 5), B.scaled(inv, err, 5), body)
    dl = LambdaLogs(sc, fd, "provided.al2023", 256, 10, mem_used=(28, 2))
    dl.run(B.sample(dinv, 3), B.scaled(dinv, derr, 3), lambda l, t, rid, e, c: {"dur": sc.rng.gauss(22, 4), "lines": [
        (0.01, logfmt(sc, t + 0.01, "ERROR", "location batch rejected", err="ProvisionedThroughputExceededException: "
                      "Rate of requests exceeds the allowed throughput", table="driver_positions") if e else
         logfmt(sc, t + 0.01, "INFO", "location batch stored", drivers=sc.rng.randint(20, 120), table="driver_positions"))]})

    rg = "/cache/redis"
    B.every(sc, rg, iid, 300, lambda t: f"1:M {sc.at(t).strftime('%d %b %Y %H:%M:%S')}.{sc.rng.randint(100, 999)} * "
            f"{sc.rng.randint(100, 400)} changes in 300 seconds. Saving...", t1=X)
    B.every(sc, rg, iid, 300, lambda t: f"1:M {sc.at(t).strftime('%d %b %Y %H:%M:%S')}.{sc.rng.randint(100, 999)} * "
            "Background saving terminated with success", t1=X, t0=B.LOG_START + 3)

    sc.alarm("rider-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Rider API server errors")
    sc.alarm("trip-quote-duration", "AWS/Lambda", "Duration", {"FunctionName": fq}, "Average", 60, 3, 700, "GreaterThanThreshold")
    sc.expect = {"alarm": "rider-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [iid, "cache-01"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": iid}}]}
    return sc


# =========================================================================== 14
def s14() -> Scenario:
    sc = Scenario(14, "returns-label-policy", "Returns portal failing to issue labels; target 5XX "
                  "alarm.", "eu-west-2", 5814, "2026-10-27T11:20:00+00:00")
    I = -2520            # role policies replaced
    RS = -2420           # DB secret rotation
    lb, cl, svc, db = "app/returns-portal/9e4a1c7f3b2d5086", "ops", "returns-api", "returns-pg"
    role = "returns-api-task-role"
    sc.resource("alb", lb, name="returns-portal", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", desired_count=3, launch_type="FARGATE", image="returns-api:3.2.7",
                task_role=role)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.t4g.large",
                max_connections=800, allocated_storage_gb=100)
    denied = lambda t: t >= I + 15  # noqa: E731
    req = sc.series(lambda t: 380 * diurnal(sc, t, 11), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.18, noise=0.08, digits=4),
                  sc.series(lambda t: 0.2 + 29 * denied(t) * diurnal(sc, t, 11), integer=True),
                  sc.series(lambda t: 0.1, integer=True), B.flat(3), B.flat(0))
    B.ecs_metrics(sc, cl, svc, sc.series(lambda t: 19 * diurnal(sc, t, 11), noise=0.07), sc.series(lambda t: 46, noise=0.02))
    B.rds_metrics(sc, db, sc.series(lambda t: 11, noise=0.1), sc.series(lambda t: 24 + (6 if RS <= t < RS + 120 else 0), integer=True),
                  sc.series(lambda t: 71.0, noise=0.0004), sc.series(lambda t: 0.0009, noise=0.1, digits=5),
                  sc.series(lambda t: 2.3, noise=0.01))

    lg = "/ecs/returns-api"
    hosts = [f"ip-10-90-{sc.rng.randint(1, 20)}-{sc.rng.randint(2, 250)}" for _ in range(3)]
    streams = [f"api/returns-api/{B.ecs_task_id(sc)}" for _ in range(3)]

    def make(host):
        def f(t):
            rma = f"RMA-{sc.rng.randint(10 ** 5, 10 ** 6)}"
            r = sc.rng.random()
            if denied(t) and r < 0.3:
                arn = f"arn:aws:s3:::returns-labels-prd/labels/2026/10/{rma}.pdf"
                msg = (f"User: arn:aws:sts::{sc.account}:assumed-role/{role}/{sc.hexid(32)} is not authorized to perform: "
                       f"s3:PutObject on resource: \"{arn}\" because no identity-based policy allows the s3:PutObject action")
                return [(0, pino(sc, t, 50, "Failed to store shipping label", "LabelService", host=host,
                                 err={"type": "AccessDenied", "message": msg, "stack": f"AccessDenied: {msg}\n    at throwDefaultError "
                                      "(/app/node_modules/@smithy/smithy-client/dist-cjs/index.js:867:20)\n    at /app/node_modules/"
                                      "@aws-sdk/client-s3/dist-cjs/index.js:5031:21\n    at LabelService.store (/app/dist/labels/"
                                      "label.service.js:58:9)"}, rma=rma)),
                        (0.002, pino(sc, t + 0.002, 50, "Internal server error", "ExceptionsHandler", host=host,
                                     req={"method": "POST", "url": f"/returns/{rma}/label"}, statusCode=500))]
            if r > 0.95:
                return pino(sc, t, 40, "Carrier rate quote slow", "CarrierClient", host=host,
                            carrier=sc.rng.choice(["dpd", "evri", "royalmail"]), ms=sc.rng.randint(2100, 4800))
            if r > 0.91:
                return pino(sc, t, 40, "Return rejected: order outside 30-day window", "ReturnsController", host=host, rma=rma)
            return pino(sc, t, 30, "request completed", "HTTP", host=host,
                        req={"method": sc.rng.choice(["GET", "POST"]), "url": sc.rng.choice([f"/returns/{rma}", f"/returns/{rma}/label", "/returns"])},
                        res={"statusCode": 200}, responseTime=sc.rng.randint(20, 200))
        return f
    for st, h in zip(streams, hosts):
        B.emit(sc, lg, st, lambda t: 3, make(h))
        sc.log(lg, st, RS + 40 + sc.rng.uniform(0, 20), pino(sc, RS + 50, 30, "Refreshed database credentials from Secrets "
                                                          "Manager (stage AWSCURRENT)", "DbCredentialsProvider", host=h))
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    B.every(sc, rg, rs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(100, 900)} buffers "
                                          f"({sc.rng.uniform(0.1, 1):.1f}%); 0 WAL file(s) added", pid=377))
    for k in range(3):
        t = RS + 25 + k * 9
        sc.log(rg, rs, t, pg(sc, t, "FATAL", 'password authentication failed for user "returns_app"',
                             sc.ip("10.90") + f"({sc.rng.randint(30000, 60000)})", "returns_app", "returns"))
    sc.log(rg, rs, RS + 6, pg(sc, RS + 6, "LOG", "statement: ALTER USER returns_app WITH PASSWORD <REDACTED>",
                              sc.ip("10.90") + "(41822)", "rotation_admin", "postgres"))

    u = "iam-cleanup-pipeline"
    sc.change(I - 10, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, u)
    sc.change(I, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, u)
    sc.change(RS, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret", "returns-pg/app",
              "secretsmanager-rotation")
    sc.change(RS + 4, "secretsmanager.amazonaws.com", "PutSecretValue", "AWS::SecretsManager::Secret", "returns-pg/app",
              "secretsmanager-rotation")
    sc.change(-15000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-ops")
    sc.alarm("returns-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Returns portal 5xx")
    sc.expect = {"alarm": "returns-portal-target-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
