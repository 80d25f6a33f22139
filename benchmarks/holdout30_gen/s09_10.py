"""h30-09 (DB security-group rule revoked, config_change) and h30-10 (thumbnailer Lambda at reserved concurrency, throttling)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s09():
    R = "us-west-2"
    sc = Scenario(9, "fulfillment-5xx-db-sg-rule-revoked", R,
                  "fulfillment ALB 5XX alarm; warehouse scanners report 'order lookup failed', getting worse.",
                  3009, kit.now(2026, 3, 16, 21, 10))
    lb = "app/fulfillment-alb/8e0a2c4e6a8c0e2a"
    tgid = "targetgroup/fulfillment-api-tg/3f5b7d9f1b3d5f7b"
    db, dbsg, appsg = "fulfillment-mysql", "sg-0b7c1d2e3f4a5b6c7", "sg-0a1b2c3d4e5f60718"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300, endpoint_ip="10.50.12.40",
                vpc_security_groups=[f"{dbsg} (fulfillment-db-sg)"])
    sc.resource("ecs", "fulfillment/fulfillment-api", launch_type="FARGATE", task_definition="fulfillment-api:140",
                image=f"{img}/fulfillment-api:6.2.3", desired_count=6, security_groups=[f"{appsg} (fulfillment-app-sg)"],
                runtime="java17 (Spring Boot 3.2, HikariCP max 15, maxLifetime 30 min)", health_check_path="/ping",
                log_groups=["/ecs/fulfillment/fulfillment-api"])
    sc.resource("ecs", "fulfillment/label-printer", launch_type="FARGATE", task_definition="label-printer:52",
                image=f"{img}/label-printer:0.19.0", desired_count=2, runtime="python3.12",
                log_groups=["/ecs/fulfillment/label-printer"])
    sc.resource("alb", lb, name="fulfillment-alb", scheme="internal", target_groups=["fulfillment-api-tg"])

    T_SG = -2280
    lost = lambda t: ramp(t, T_SG + 120, T_SG + 1800)
    req = sc.counts(lambda t: 950 * diurnal(t, 0.1, 9000))
    t5 = kit.frac(sc, req, lambda t: 0.0006 + 0.88 * lost(t) ** 1.3)
    rt = lambda t: 0.064 + 9.5 * lost(t) ** 1.3
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 6, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.05)) for _ in GRID])
    fleet.rds(sc, db, lambda t: 24 * (1 - 0.85 * lost(t)), lambda t: 92 - 90 * lost(t), lambda t: 183.0,
              lambda t: 6.3, read_iops=lambda t: 610 * (1 - 0.9 * lost(t)), write_iops=lambda t: 300 * (1 - 0.9 * lost(t)))
    fleet.ecs(sc, "fulfillment", "fulfillment-api", lambda t: 29 - 14 * lost(t), lambda t: 52, lambda t: 6, lambda t: 6,
              mem_reserved_mb=2048)
    fleet.ecs(sc, "fulfillment", "label-printer", lambda t: 15 + 20 * (-7000 < t < -6800), lambda t: 30,
              lambda t: 2 + 2 * (-6980 < t < -6840), lambda t: 2, mem_reserved_mb=512)

    app = "fulfillment-api"

    def ok(t):
        return L.spring(sc, t, "INFO", "c.a.fulfillment.pick.PickListService",
                        f"Pick list PL-{sc.rng.randint(10**6, 10**7)} built for order {sc.rng.randint(10**7, 10**8)} "
                        f"lines={sc.rng.randint(1, 14)} took={sc.rng.randint(6, 70)}ms",
                        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}", app=app)

    def retire(t):
        return L.spring(sc, t, "WARN", "com.zaxxer.hikari.pool.PoolBase",
                        "HikariPool-1 - Failed to create/setup connection: Communications link failure\n\nThe last packet "
                        "sent successfully to the server was 0 milliseconds ago. The driver has not received any packets "
                        "from the server.", thread="HikariPool-1 connection adder", app=app)

    def fail(t):
        tot = max(0, int(15 * (1 - lost(t))))
        return (L.spring(sc, t, "ERROR", "c.a.fulfillment.web.ApiExceptionHandler",
                         "GET /v1/orders/{id}/picklist failed", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}", app=app)
                + "\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
                  f"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                  f"request timed out after 30000ms (total={tot}, active={tot}, idle=0, waiting={sc.rng.randint(10, 40)})\n"
                  "Caused by: com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n"
                  "The last packet sent successfully to the server was 0 milliseconds ago. The driver has not received "
                  "any packets from the server.\nCaused by: java.net.SocketTimeoutException: Connect timed out\n"
                  "\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546)\n"
                  "\tat com.mysql.cj.protocol.StandardSocketFactory.connect(StandardSocketFactory.java:153)")

    def slowlabel(t):
        return L.spring(sc, t, "WARN", "c.a.fulfillment.carrier.CarrierRatesClient",
                        "carrier rates fallback: UPS rating API slow (2043 ms), using cached table",
                        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 60)}", app=app)

    for k in range(6):
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 6 * (1 - 0.9 * lost(t))), ok)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.3), slowlabel)
        ev += kit.events(sc, L.times(sc, T_SG + 150, -1, lambda t: 1.5 * min(1, 3 * lost(t) + 0.2)), retire)
        ev += kit.events(sc, L.times(sc, T_SG + 200, -1, lambda t: 8 * lost(t)), fail)
        sc.log("/ecs/fulfillment/fulfillment-api", f"fulfillment/fulfillment-api/{kit.task_id(sc)}", ev)
    lp = [(-6900, L.pylog(sc, -6900, "INFO", "label_printer", "label-printer 0.19.0 started, printers online: 14"))]
    lp += kit.events(sc, L.times(sc, -6890, -1, 2), lambda t: L.pylog(
        sc, t, "INFO", "label_printer", f"printed label for shipment SHP{sc.rng.randint(10**7, 10**8)} on zpl-{sc.rng.randint(1, 14):02d}"))
    sc.log("/ecs/fulfillment/label-printer", f"lp/label-printer/{kit.task_id(sc)}", lp)

    eni = "eni-0c3e5a7b9d1f3a5c7"

    def flow(t, action):
        src = f"10.50.{sc.rng.randint(3, 5)}.{sc.rng.randint(10, 240)}"
        st = int(sc.dt(t).timestamp())
        pk = 1 if action == "REJECT" else sc.rng.randint(4, 40)
        return (f"2 {kit.ACCOUNT} {eni} {src} 10.50.12.40 {sc.rng.randint(32768, 60999)} 3306 6 {pk} "
                f"{pk * (60 if action == 'REJECT' else 310)} {st} {st + 58} {action} OK")
    fl = kit.events(sc, L.times(sc, -10800, T_SG, 4), lambda t: flow(t, "ACCEPT"))
    fl += kit.events(sc, L.times(sc, T_SG, -1, lambda t: 4 * (1 - lost(t))), lambda t: flow(t, "ACCEPT"))
    fl += kit.events(sc, L.times(sc, T_SG + 60, -1, lambda t: 2 + 14 * lost(t)), lambda t: flow(t, "REJECT"))
    sc.log("/vpc/flowlogs/fulfillment-db-subnets", f"{eni}-all", fl)
    er = kit.events(sc, L.times(sc, -21600, -1, 0.1), lambda t: L.mysql_err(
        sc, t, sc.rng.randint(100000, 200000), "Note", "MY-010914",
        f"Aborted connection {sc.rng.randint(100000, 200000)} to db: 'fulfillment' user: 'metabase_ro' host: "
        "'10.50.9.31' (Got an error reading communication packets)."))
    sc.log(f"/aws/rds/instance/{db}/error", db, er)

    net = "assumed-role/AWSReservedSSO_NetworkAdmin/d.kowalski"
    sc.change(-9000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0d9e8f7a6b5c4d3e2", net)
    sc.change(-7040, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfillment/label-printer",
              "assumed-role/github-actions-deploy/GitHubActions")
    sc.change(T_SG, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup", dbsg, net)

    dims = {"LoadBalancer": lb}
    a = sc.alarm("fulfillment-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 40,
                 "GreaterThanThreshold", desc="fulfillment-api returning 5XX", expect_state="ALARM")
    res = [db, dbsg, "fulfillment-db-sg"]
    sc.expect(a["name"], "config_change", res, [(ELB, "HTTPCode_Target_5XX_Count", dims),
                                                ("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db})])
    kit.meta(sc, a["name"], "config_change", res, "front (ALB)",
             "AuthorizeSecurityGroupIngress on another SG 2.5 h earlier; label-printer deploy 2 h earlier; constant "
             "carrier-rates and Aborted-connection noise",
             "38 minutes ago a network admin revoked an ingress rule on fulfillment-db-sg, the security group of "
             "fulfillment-mysql. Established MySQL connections survived (tracked flows), so nothing broke at once; as "
             "Hikari retired connections at maxLifetime, every new connect timed out ('Communications link failure ... "
             "Connect timed out'), the pool drained (total=0) and the 5XX share rose to ~90 %. VPC flow logs show port "
             "3306 from the app subnets going from ACCEPT to REJECT and the DB's connection count falls toward zero while "
             "its CPU idles: the database is healthy but unreachable. The trigger is the SG configuration change, which "
             "by the tie-break beats dependency_failure: config_change on fulfillment-mysql's security group.")
    return sc


def s10():
    R = "eu-west-1"
    sc = Scenario(10, "uploads-5xx-thumbnailer-concurrency", R,
                  "media ALB 5XX alarm; some photo uploads fail with 'please try again'.",
                  3010, kit.now(2026, 3, 17, 13, 25))
    lb = "app/media-alb/9f1b3d5f7b9d1f3b"
    tgid = "targetgroup/upload-api-tg/5a7c9e1a3c5e7a9c"
    fn, fn2 = "image-thumbnailer", "exif-scrubber"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("ecs", "media/upload-api", launch_type="FARGATE", task_definition="upload-api:88",
                image=f"{img}/upload-api:12.4.0", desired_count=6, runtime="nodejs20 (AWS SDK v3)",
                log_groups=["/ecs/media/upload-api"])
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=1536, reserved_concurrency=40)
    sc.resource("lambda", fn2, runtime="python3.12", timeout=20, memory_size=512)
    sc.resource("alb", lb, name="media-alb", scheme="internet-facing", target_groups=["upload-api-tg"])

    CAP, DUR = 40, 1.38
    up = lambda t: 1480 * (1 + 0.42 * ramp(t, -21600, 0))
    uploads = sc.counts(up)
    want = [u * 0.92 for u in uploads]
    served, thr, conc = [], [], []
    for t, w in zip(GRID, want):
        demand = w / 60.0 * DUR * sc.rng.uniform(0.97, 1.05)
        if demand > CAP:
            ok = w * CAP / demand
            served.append(float(round(ok)))
            thr.append(float(round((w - ok) * 2.6)))  # SDK retries re-hit the limit
            conc.append(float(CAP))
        else:
            served.append(float(round(w)))
            thr.append(0.0)
            conc.append(float(round(demand + sc.rng.uniform(-1, 1.5))))
    failed = [float(sc.poisson(x / 2.6 * 0.62)) for x in thr]
    fleet.lam(sc, fn, served, [float(sc.poisson(0.3)) for _ in GRID], thr, DUR * 1000, conc)
    fleet.lam(sc, fn2, sc.counts(lambda t: 30), [0.0] * len(GRID), [0.0] * len(GRID),
              lambda t: 800 + 200 * (t > -6600), [float(sc.rng.randint(0, 2)) for _ in GRID])
    t5 = [f + sc.poisson(0.3) for f in failed]
    req = [u + sc.poisson(u * 1.8) for u in uploads]
    rt = lambda t: 1.6 + 0.002 * (up(t) - 1480)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 6, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.1)) for _ in GRID])
    fleet.ecs(sc, "media", "upload-api", lambda t: 24 + 0.012 * (up(t) - 1480), lambda t: 46, lambda t: 6, lambda t: 6,
              mem_reserved_mb=2048)
    first = next(t for t, x in zip(GRID, thr) if x > 0)

    host = "ip-10-70-4-22.eu-west-1.compute.internal"

    def ok(t):
        return L.pino(sc, t, "info", "upload stored", host, uploadId=f"up_{sc.hexid(16)}",
                      bytes=sc.rng.randint(200000, 9000000), thumbnails=3, ms=sc.rng.randint(900, 2400))

    def heic(t):
        return L.pino(sc, t, "warn", "rejected upload: unsupported media type", host, mime="image/heic", status=415)

    def fail(t):
        return L.pino(sc, t, "error", "thumbnail generation failed", host, uploadId=f"up_{sc.hexid(16)}", status=503,
                      err={"type": "TooManyRequestsException", "name": "TooManyRequestsException", "message": "Rate Exceeded.",
                           "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
                           "$metadata": {"httpStatusCode": 429, "requestId": sc.uuid(), "attempts": 3,
                                         "totalRetryDelay": sc.rng.randint(250, 900)},
                           "stack": "TooManyRequestsException: Rate Exceeded.\n    at de_TooManyRequestsExceptionRes "
                                    "(/app/node_modules/@aws-sdk/client-lambda/dist-cjs/index.js:3019:21)\n    at "
                                    "async ThumbnailClient.generate (/app/dist/thumbnails/client.js:41:22)"})
    for k in range(6):
        ev = kit.events(sc, L.times(sc, -10800, -1, 3), ok)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.4), heic)
        ev += kit.events(sc, L.times(sc, first, -1, lambda t: kit.at(failed, t) * 0.045), fail)
        sc.log("/ecs/media/upload-api", f"upload/upload-api/{kit.task_id(sc)}", ev)
    lg = []
    for t in L.times(sc, -10800, -1, 4):
        lg += L.lambda_invocation(sc, t, DUR * 1000 * sc.rng.uniform(0.7, 1.4), 1536, sc.rng.randint(610, 790),
                                  [("INFO", f"thumbnails written s3://acme-media-euw1/thumbs/{sc.hexid(12)}/ sizes=[160,480,1080]")],
                                  node=True)
    sc.log(f"/aws/lambda/{fn}", f"2026/03/17/[$LATEST]{sc.hexid(32)}", lg)
    lg2 = []
    for t in L.times(sc, -10800, -1, 3):
        lg2 += L.lambda_invocation(sc, t, sc.rng.uniform(600, 1100), 512, sc.rng.randint(90, 140),
                                   [("INFO", "stripped EXIF GPS tags from 1 object")])
    sc.log(f"/aws/lambda/{fn2}", f"2026/03/17/[$LATEST]{sc.hexid(32)}", lg2)

    sc.change(-6600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn2,
              "assumed-role/AWSReservedSSO_Developer/r.oconnell")
    sc.alarm("image-thumbnailer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", expect_state="OK")
    dims = {"LoadBalancer": lb}
    a = sc.alarm("media-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 5, 30,
                 "GreaterThanThreshold", m=3, desc="media ALB targets returning 5XX", expect_state="ALARM")
    res = [fn]
    sc.expect(a["name"], "throttling", res, [("AWS/Lambda", "Throttles", {"FunctionName": fn}),
                                             (ELB, "HTTPCode_Target_5XX_Count", dims)])
    kit.meta(sc, a["name"], "throttling", res, "front (ALB)",
             "exif-scrubber timeout change 1.8 h earlier; constant HEIC 415 rejections; the Lambda Errors alarm stays OK",
             "Upload volume has grown steadily through the afternoon (about +40 % over six hours, no step). Each upload "
             "synchronously invokes image-thumbnailer, whose reserved concurrency is 40; at ~1.4 s per call the "
             "function's concurrency reached 40 and stayed pinned there, Throttles appeared and grew, and upload-api "
             "logs TooManyRequestsException 'Rate Exceeded.' (ReservedFunctionConcurrentInvocationLimitExceeded) after "
             "three SDK attempts and answers 503. The function itself has no errors and normal duration. The traffic "
             "increase is modest and gradual, so the failure is the concurrency ceiling: throttling on image-thumbnailer.")
    return sc
