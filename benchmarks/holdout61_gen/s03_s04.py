"""h61-03 (push campaign vs reserved concurrency) and h61-04 (hot room on one websocket node)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, mysql, pino


# --------------------------------------------------------------------------- 03
def s03() -> Scenario:
    sc = Scenario(3, "summer-event-push", "Mobile app inbox not loading after the summer event "
                  "push went out; API 5XX alarm.", "us-east-1", 6103, "2026-06-02T17:20:00+00:00")
    api, fn, db, dec = "mobile-edge", "inbox-sync", "inbox-db", "avatar-resize"
    RES = 100
    sc.resource("apigateway", api, stage="v1", api_id="p0q8z3n6ud", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=256,
                reserved_concurrency=RES)
    sc.resource("lambda", dec, runtime="python3.12", timeout=60, memory_size=1024)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=500)
    PUSH, MORNING, ETL = -1800, -14400, -2400

    def demand(t):
        d = 2400 * diurnal(sc, t, 18.0, 0.2)
        d *= 1 + bump(t, MORNING, MORNING + 1500, 0.6, 240) + 7.5 * ramp(t, PUSH, PUSH + 240) * (
            1 - 0.35 * ramp(t, PUSH + 900, 0))
        return d * (1 + 0.25 * ramp(t, PUSH + 60, PUSH + 360))       # client retries on 5xx

    def dur(t):
        return 880.0 + 60 * ramp(t, PUSH, PUSH + 300)

    cap = RES * 60000.0 / 940.0

    def served(t):
        return min(demand(t), cap * 0.97)

    out = lambda_set(sc, fn, served, lambda t: 0.004, dur,
                     conc=lambda t: min(float(RES), demand(t) * dur(t) / 60000 * 1.25),
                     throttles=lambda t: max(0.0, demand(t) - cap * 0.97), conc_cap=float(RES))
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", demand, integer=True, noise=0.03)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt,
         lambda t: 0.004 + max(0.0, demand(t) - cap * 0.97) / demand(t))
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.031)
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds",
        lambda t: 930 - 520 * (max(0.0, demand(t) - cap * 0.97) / demand(t)), noise=0.05)
    rd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent",
        lambda t: 22 + bump(t, ETL, ETL + 900, 50, 120) + 9 * ramp(t, PUSH, PUSH + 300), noise=0.06)
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count",
        lambda t: 160 + 0.9 * min(float(RES), demand(t) * dur(t) / 60000 * 1.25), integer=True)
    put(sc, "AWS/RDS", "ReadLatency", rd, "Seconds",
        lambda t: 0.0011 + bump(t, ETL, ETL + 900, 0.004, 120), noise=0.1, digits=6)
    dd = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", dd, "Count", lambda t: 30 * diurnal(sc, t, 18, 0.3),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", dd, "Count", lambda t: 0.05, integer=True)

    ll = LambdaLogs(sc, fn, "python3.12", 256, 15, mem_used=(97, 6), max_envs=RES)
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        lines = []
        u = f"u_{rng.randint(10 ** 8, 10 ** 9)}"
        if rng.random() < 0.1:
            lines.append((0.003, ll.fmt(t, rid, "WARNING", f"push token expired for device "
                                        f"{sc.hexid(16)} (user {u}); skipping badge refresh")))
        if is_err:
            lines.append((0.2, ll.fmt(t, rid, "ERROR", f"Failed to decode inbox cursor for {u}: "
                                      f"binascii.Error: Incorrect padding")))
            return {"lines": lines, "dur": 210.0}
        d = max(120.0, rng.gauss(dur(t), 160))
        lines.append((d / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"inbox synced user={u} "
                                              f"items={rng.randint(0, 40)} took={int(d)}ms")))
        return {"lines": lines, "dur": d}
    si, se = sampled(sc, out["inv"], out["err"], 0.0012, cap=5, err_boost=4)
    ll.run(si, se, body)

    eg, es = "API-Gateway-Execution-Logs_p0q8z3n6ud/v1", "p0q8z3n6ud-v1-0a3e"

    def throttled(t):
        rid, lid = sc.uuid(), sc.uuid()
        return [(0.0, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {lid}"),
                (0.002, f"({rid}) Method completed with status: 500")]
    emit(sc, eg, es, lambda t: 6 * min(1.0, max(0.0, demand(t) - cap * 0.97) / 2000), throttled)
    emit(sc, eg, es, lambda t: 0.6, lambda t: (
        f"({sc.uuid()}) Method completed with status: 401"))
    lg = f"/aws/rds/instance/{db}/error"
    every(sc, lg, db, 900, lambda t: mysql(sc, t, 0, "Note", "MY-010914", "Aborted connection "
                                           f"{rng.randint(90000, 99999)} to db: 'inbox' user: "
                                           "'analytics' host: '10.8.4.21' (Got timeout reading "
                                           "communication packets)."))
    sc.change(-12800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "buildkite-prod")
    sc.change(-1860, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              dec, "buildkite-prod")
    sc.change(-1845, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", dec,
              "buildkite-prod")
    sc.alarm("mobile-edge-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 200,
             "GreaterThanThreshold", "Mobile edge API returning server errors")
    sc.alarm("inbox-sync-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 3,
             50, "GreaterThanThreshold")
    sc.alarm("inbox-db-cpu", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "mobile-edge-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (Python), RDS MySQL",
                   decoys="avatar-resize deploy 60 s before onset; nightly ETL CPU alarm on "
                          "inbox-db; daily morning push (1.6x); steady token/cursor errors and 401s")
    return sc


# --------------------------------------------------------------------------- 04
def s04() -> Scenario:
    sc = Scenario(4, "hot-room-gateway", "Realtime gateway slow: presence and chat API calls timing "
                  "out during the evening; ALB latency alarm.", "us-west-2", 6104,
                  "2026-02-13T04:30:00+00:00")
    lb, lbn = "app/rt-edge/3c7d0e19a4b2f658", "rt-edge"
    i1, i2 = "i-0c4f19ab27de8305e", "i-08a2d7e6f1b39c4d0"
    sc.resource("alb", lb, name=lbn, scheme="internet-facing", stickiness="lb_cookie")
    sc.resource("ec2", i1, name="ws-1", instance_type="c6g.xlarge", log_groups=["/rt/gateway"])
    sc.resource("ec2", i2, name="ws-2", instance_type="c6g.xlarge", log_groups=["/rt/gateway"])
    sc.resource("lambda", "presence-digest", runtime="nodejs20.x", timeout=120, memory_size=512)
    T0, RESET = -2400, -10800

    def load(t):
        return diurnal(sc, t, 3.0, 0.25) * (1 + bump(t, RESET, RESET + 1200, 0.7, 180))

    def hot(t):
        return ramp(t, T0, T0 + 300)

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count",
             lambda t: 4000 * load(t) * (1 + 0.06 * hot(t)), integer=True)
    put(sc, "AWS/ApplicationELB", "ActiveConnectionCount", lbd, "Count",
        lambda t: 52000 * load(t) * (1 + 0.14 * hot(t)), integer=True, noise=0.01)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.045 * load(t) + 1.35 * hot(t), noise=0.12, digits=4)
    part(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, rc, lambda t: 0.0002 + 0.018 * hot(t))
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lbd, rc, lambda t: 0.024)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", lbd, "Count", lambda t: 2.0, noise=0.0)
    d1, d2 = {"InstanceId": i1}, {"InstanceId": i2}
    put(sc, "AWS/EC2", "CPUUtilization", d1, "Percent",
        lambda t: 34 * load(t) + (99.3 - 34 * load(t)) * hot(t), noise=0.03, cap=100.0)
    put(sc, "AWS/EC2", "CPUUtilization", d2, "Percent", lambda t: 35 * load(t), noise=0.05)
    put(sc, "AWS/EC2", "NetworkOut", d1, "Bytes", lambda t: 9.0e8 * load(t) * (1 + 2.4 * hot(t)),
        noise=0.06, digits=0)
    put(sc, "AWS/EC2", "NetworkOut", d2, "Bytes", lambda t: 9.2e8 * load(t), noise=0.06, digits=0)
    put(sc, "CWAgent", "mem_used_percent", d1, "Percent", lambda t: 47 + 5 * hot(t), noise=0.01)
    put(sc, "CWAgent", "mem_used_percent", d2, "Percent", lambda t: 46.0, noise=0.01)
    pdims = {"FunctionName": "presence-digest"}
    put(sc, "AWS/Lambda", "Invocations", pdims, "Count", lambda t: 1.0, integer=True, noise=0.0)
    put(sc, "AWS/Lambda", "Errors", pdims, "Count", lambda t: 0.0, integer=True)

    rng, grp = sc.rng, "/rt/gateway"
    for inst, host, pid in ((i1, "ip-10-20-3-41", 2211), (i2, "ip-10-20-7-118", 2198)):
        h = (lambda t: hot(t)) if inst == i1 else (lambda t: 0.0)

        def stats(t, h=h, host=host, pid=pid):
            return pino(sc, t, "info", "gateway stats", host, pid,
                        sockets=int(26000 * load(t) * (1 + 0.25 * h(t))),
                        eventLoopLagMs=int(4 + 1900 * h(t) * rng.uniform(0.7, 1.3)),
                        rss=int(1.4e9 * (1 + 0.1 * h(t))))
        every(sc, grp, inst, 60, stats)

        def line(t, h=h, host=host, pid=pid):
            r = rng.random()
            if r < 0.18:
                return pino(sc, t, "error", "jwt verify failed", host, pid,
                            err={"type": "TokenExpiredError", "message": "jwt expired"},
                            route="/ws/connect")
            if h(t) > 0.5 and r < 0.55:
                if r < 0.3:
                    return pino(sc, t, "info", "room broadcast", host, pid, room="r_88412",
                                members=int(41000 + rng.uniform(-900, 900)),
                                fanoutMs=int(700 + rng.uniform(0, 500)), event="chat.message")
                if r < 0.42:
                    return pino(sc, t, "warn", "event loop lag", host, pid,
                                lagMs=int(1200 + rng.uniform(0, 1600)))
                return pino(sc, t, "warn", "request slow", host, pid, route=rng.choice(
                    ["/v1/presence", "/v1/rooms/history"]), ms=int(1500 + rng.uniform(0, 4000)))
            if r < 0.45:
                return pino(sc, t, "info", "room broadcast", host, pid,
                            room=f"r_{rng.randint(10000, 99999)}", members=rng.randint(40, 2600),
                            fanoutMs=rng.randint(1, 40), event="chat.message")
            return pino(sc, t, "info", "request completed", host, pid,
                        route=rng.choice(["/v1/presence", "/v1/rooms/history", "/v1/friends"]),
                        status=200, ms=rng.randint(4, 60))
        emit(sc, grp, inst, lambda t: 3.0, line)
    sc.change(-9100, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0b7e4c21d9a3f1e65", "netops-terraform")
    sc.change(-2460, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "presence-digest", "gha-deploy")
    sc.alarm("rt-edge-target-latency", "AWS/ApplicationELB", "TargetResponseTime", lbd, "Average", 60,
             5, 0.8, "GreaterThanThreshold", "Realtime edge average target response time")
    sc.alarm("ws-1-cpu-high", "AWS/EC2", "CPUUtilization", d1, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.alarm("ws-2-cpu-high", "AWS/EC2", "CPUUtilization", d2, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "rt-edge-target-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [i1, "ws-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": d1}]}
    sc.meta = dict(front="front (ALB)", services="ALB, EC2 (Node, pino JSON), Lambda",
                   decoys="presence-digest deploy 60 s before onset; daily reward-reset peak "
                          "(1.7x); steady jwt-expired errors on both nodes")
    return sc
