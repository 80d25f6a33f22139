"""h85-09 (ap-south-1, external SMS gateway down under a Ruby OTP function) and h85-10 (eu-west-1,
MySQL crash and long recovery under a Go dispatch service behind an ALB)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, mysql

from .kit import (H85, alb_metrics, apigw_metrics, bump, ct, ecs_deploy, ecs_metrics, emit,
                  lambda_deploy, lambda_metrics, periodic, ramp, rds_metrics, sample)


def build_09() -> H85:
    sc = H85(9, "otp-send-errors",
             "Riders in Mumbai and Delhi are not receiving login OTPs; OTP sender errors alarm fired.",
             "ap-south-1", 8509, "2026-03-03T13:45:00+00:00", {
                 "front": "origin (API Gateway alarm also firing)", "runtime": "Ruby 3.3 (Lambda Logger)",
                 "decoys": "deploy of another function 4 min before onset; config change on the same "
                           "function 2.7 h earlier; pre-existing 400 invalid-number errors from the same "
                           "provider; API Gateway 5XX alarm",
             })
    fn, api, other = "rider-otp-send", "rider-auth", "driver-payout-calc"
    rest = "q8w2e4r6t0"
    sc.resource("lambda", fn, runtime="ruby3.3", memory_size=384, timeout=15,
                environment_keys=["SMS_PROVIDER_URL", "SMS_SENDER_ID", "OTP_TTL"])
    sc.resource("apigateway", api, stage="v1", rest_api_id=rest)
    sc.resource("lambda", other, runtime="java21", memory_size=1536, timeout=120)
    onset, cfg = -2400, -9720
    sc.meta["onset"] = onset
    host = "api.textlane.in"

    def inv(t):
        return 46 * (1 + 0.5 * ramp(t, -10000, -1800))

    def down(t):
        return ramp(t, onset, onset + 120)

    lm = lambda_metrics(sc, fn, inv, err=lambda t: 0.6 + 0.88 * inv(t) * down(t),
                        dur=lambda t: 430 + 4300 * down(t))
    apigw_metrics(sc, api, count=lambda t: inv(t) * 1.6, e4=lambda t: 1.2 + 0.6 * inv(t) * 0.012,
                  e5=lambda t: 0.6 + 0.88 * inv(t) * down(t), lat=lambda t: 520 + 4200 * down(t))
    lambda_metrics(sc, other, inv=lambda t: 2.0, dur=lambda t: 31000.0)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "ruby3.3", 384, 15, mem_used=(96, 6), retire=[cfg])

    def mask():
        return f"+91******{rng.randint(1000, 9999)}"

    def body(ll, t, rid, is_err, cold):
        lines = []
        if rng.random() < 0.1:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "warn", f"DND-registered number {mask()}, skipping "
                                                               "promotional template")))
        if is_err and t < onset:
            d = rng.uniform(180, 320)
            err = {"errorMessage": f"400 Bad Request from {host}: invalid MSISDN", "errorType":
                   "Function<SmsGateway::InvalidNumber>", "stackTrace": [
                       "/var/task/lib/sms_gateway.rb:58:in `deliver!'",
                       "/var/task/app/handler.rb:21:in `handler'"]}
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", json.dumps(err))))
            return {"lines": lines, "dur": d}
        if is_err:
            if rng.random() < 0.78:
                d = rng.uniform(5004, 5060)
                err = {"errorMessage": f"Failed to open TCP connection to {host}:443 (execution expired)",
                       "errorType": "Function<Net::OpenTimeout>", "stackTrace": [
                           "/var/lang/lib/ruby/3.3.0/net/http.rb:1603:in `initialize'",
                           "/var/lang/lib/ruby/3.3.0/net/http.rb:1603:in `open'",
                           "/var/task/lib/sms_gateway.rb:44:in `deliver!'",
                           "/var/task/app/handler.rb:21:in `handler'"]}
            else:
                d = rng.uniform(900, 2400)
                err = {"errorMessage": f"503 Service Unavailable from {host} (body: upstream connect error "
                                       "or disconnect/reset before headers)",
                       "errorType": "Function<SmsGateway::UpstreamError>", "stackTrace": [
                           "/var/task/lib/sms_gateway.rb:61:in `deliver!'",
                           "/var/task/app/handler.rb:21:in `handler'"]}
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", json.dumps(err))))
            return {"lines": lines, "dur": d}
        d = max(120.0, rng.gauss(430, 90))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                      f"OTP sent to {mask()} via textlane msg_id=TL{rng.randint(10 ** 9, 10 ** 10)} "
                                      f"template=login_otp_v3 latency_ms={int(d - 12)}")))
        return {"lines": lines, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 0.3), sample(sc, lm["Errors"], 0.3), body)

    grp, st = f"API-Gateway-Execution-Logs_{rest}/v1", sc.hexid(32)

    def fail(t):
        rid = sc.uuid()
        sc.log(grp, st, t, f"({rid}) Lambda execution failed with status 200 due to customer function error: "
                           f"Failed to open TCP connection to {host}:443 (execution expired). Lambda request id: "
                           f"{sc.uuid()}")
        return f"({rid}) Method completed with status: 502"

    emit(sc, grp, st, lambda t: 2.0, lambda t: f"({sc.uuid()}) Method completed with status: 200")
    emit(sc, grp, st, lambda t: 1.6 * down(t), fail)

    ol = LambdaLogs(sc, other, "java21", 1536, 120, mem_used=(610, 30), retire=[onset - 240])

    def payout(ll, t, rid, is_err, cold):
        d = rng.gauss(31000, 3000)
        return {"lines": [(d / 1000, ll.fmt(t + d / 1000, rid, "info",
                                           f"Computed payouts batch={rng.randint(1000, 9999)} drivers="
                                           f"{rng.randint(200, 900)} currency=INR"))], "dur": d}

    ol.run(sample(sc, list(sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other}).values()), 0.5),
           {}, payout)

    ct(sc, cfg, "lambda_config", fn, "neha.iyer")
    lambda_deploy(sc, onset - 240, other, "gh-actions-deployer")

    sc.alarm("rider-otp-send-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "OTP sender failures")
    sc.alarm("rider-auth-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 25,
             "GreaterThanThreshold", "Rider auth API 5XX")
    sc.expect_("rider-otp-send-errors", "dependency_failure", [fn],
               [("AWS/Lambda", "Errors", {"FunctionName": fn}), ("AWS/Lambda", "Duration", {"FunctionName": fn})])
    sc.meta["story"] = (
        f"`{fn}` (Ruby 3.3) sends login OTPs through an external SMS provider, `{host}`. From about "
        f"{-onset // 60} min ago most invocations fail with `Net::OpenTimeout: Failed to open TCP connection "
        f"to {host}:443 (execution expired)` after the 5 s open timeout, the rest with `503 Service "
        f"Unavailable from {host}`; Duration jumps from ~0.4 s to ~4.7 s (far below the 15 s timeout) and "
        f"`{api}` returns 502s for the same calls. The function itself is unchanged: its last "
        f"configuration update was 2.7 h earlier and it ran cleanly after it. `{other}` was deployed four "
        f"minutes before onset and is unrelated. The `400 Bad Request ... invalid MSISDN` errors from the "
        f"same provider and the DND warnings are present at the same low rate all day.")
    sc.meta["judgement"] = (
        "The failing dependency is outside the account, so the origin is the function that depends on "
        "it (the resource where the fault surfaces), not the API Gateway in front.")
    return sc


logfmt = logfmt_writer("time", quote_msg=True)


def build_10() -> H85:
    sc = H85(10, "dispatch-5xx",
             "Trip requests in London failing to assign a driver; dispatch edge ALB 5XX alarm fired.",
             "eu-west-1", 8510, "2026-02-19T12:20:00+00:00", {
                 "front": "front (ALB -> ECS -> RDS)", "runtime": "Go (logfmt), MySQL error log",
                 "decoys": "deploy of a sibling service 5 min before onset; the service's own deploy 3 h "
                           "earlier; pre-existing push-ack timeouts and stale-location warnings",
             })
    lb = "app/dispatch-edge/4b5c6d7e8f9a0b1c"
    cl, svc, sib, db = "dispatch", "assigner", "eta-broadcaster", "assign-my-01"
    sc.resource("alb", lb, name="dispatch-edge", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048)
    sc.resource("ecs", f"{cl}/{sib}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=800, multi_az=False)
    onset, own = -2100, -11000
    sc.meta["onset"] = onset

    def req(t):
        return 2600 * (1 + 0.3 * ramp(t, -16000, -6000))

    def dead(t):
        return 1.0 if t >= onset else 0.0

    alb_metrics(sc, lb, req, t5=lambda t: 0.5 + 0.62 * req(t) * ramp(t, onset, onset + 60),
                e5=lambda t: 0.3 + 4 * dead(t), rt=lambda t: 0.07 + 0.35 * dead(t), healthy=3)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 31 - 12 * dead(t) + bump(t, own, own + 120, 15, 30), mem=38.0,
                running=3)
    ecs_metrics(sc, cl, sib, cpu=lambda t: 18 + bump(t, onset - 300, onset - 180, 28, 60), mem=33.0, running=2)
    rds_metrics(sc, db, cpu=lambda t: 34 * (1 - dead(t)) + dead(t) * (22 + 6 * ramp(t, onset, 0)),
                conns=lambda t: 140 * (1 - dead(t)), free_gb=512.0,
                mem_gb=lambda t: 9.1 + 18 * dead(t) * (1 - 0.2 * ramp(t, onset, 0)),
                wiops=lambda t: 900 + 2600 * dead(t), rlat=0.0011, wlat=0.0019)

    rng = sc.rng
    dbip = "10.20.3.41"
    tasks = [sc.hexid(32) for _ in range(2)]
    for tid in tasks:
        g, s = f"/ecs/{svc}", f"ecs/{svc}/{tid}"

        def ok(t):
            return logfmt(sc, t, "info", "trip assigned", trip_id=f"T{rng.randint(10 ** 8, 10 ** 9)}",
                          driver_id=f"D{rng.randint(10 ** 6, 10 ** 7)}", zone=rng.choice(["LHR", "SOHO", "CAN", "KX"]),
                          candidates=rng.randint(3, 40), took=f"{rng.randint(8, 60)}ms")

        def stale(t):
            return logfmt(sc, t, "warn", "driver location stale, skipping candidate",
                          driver_id=f"D{rng.randint(10 ** 6, 10 ** 7)}", age=f"{rng.randint(31, 180)}s")

        def push(t):
            return logfmt(sc, t, "error", "push ack timeout", driver_id=f"D{rng.randint(10 ** 6, 10 ** 7)}",
                          err="context deadline exceeded", provider="fcm")

        def refused(t):
            e = rng.choice([f"dial tcp {dbip}:3306: connect: connection refused"] * 4 +
                           [f"dial tcp {dbip}:3306: i/o timeout"])
            return logfmt(sc, t, "error", "assign failed", trip_id=f"T{rng.randint(10 ** 8, 10 ** 9)}",
                          err=f"reserve driver: {e}", attempt=3)

        emit(sc, g, s, lambda t: 3.0 * req(t) / 2600 * (1 - dead(t)), ok)
        emit(sc, g, s, lambda t: 0.9, stale)
        emit(sc, g, s, lambda t: 0.35, push)
        emit(sc, g, s, lambda t: 2.4 * dead(t), refused, start=onset + 6)
        sc.log(g, s, onset + rng.uniform(0.2, 2), f"[mysql] {sc.at(onset).strftime('%Y/%m/%d %H:%M:%S')} "
                                                   f"packets.go:37: unexpected EOF")
        sc.log(g, s, onset + rng.uniform(2, 4), logfmt(sc, onset + 3, "error", "assign failed",
                                                        trip_id=f"T{rng.randint(10 ** 8, 10 ** 9)}",
                                                        err="reserve driver: invalid connection", attempt=1))
        sc.log(g, s, own + 50, logfmt(sc, own + 50, "info", "assigner starting", version="1.27.3",
                                      commit="4be91a0", db_host=dbip))
    for ver, t0, t1 in (("0.9.7", -14400, onset - 250), ("0.9.8", onset - 240, 0)):
        emit(sc, f"/ecs/{sib}", f"ecs/{sib}/{sc.hexid(32)}", lambda t: 1.0, lambda t, v=ver: logfmt(
            sc, t, "info", "broadcast eta batch", riders=rng.randint(20, 300), version=v), start=t0, end=t1)

    el = f"/aws/rds/instance/{db}/error"
    periodic(sc, el, db, 1200, lambda t: mysql(sc, t, 0, "Note", "MY-010914", "Aborted connection "
             f"{rng.randint(10 ** 5, 10 ** 6)} to db: 'dispatch' user: 'assigner' host: '10.20.{rng.randint(1, 9)}."
             f"{rng.randint(2, 250)}' (Got an error reading communication packets).", "Server"), end=onset)
    d = sc.at(onset)
    crash = [
        f"{d.strftime('%H:%M:%S')} UTC - mysqld got signal 11 ;",
        "Most likely, you have hit a bug, but this error can also be caused by malfunctioning hardware.",
        "Thread pointer: 0x7f3a1c0d2000",
        "Attempting backtrace. You can use the following information to find out",
        "where mysqld died. If you see no messages after this, something went terribly wrong...",
        "stack_bottom = 7f3b2a9fbbf0 thread_stack 0x100000",
    ]
    for i, line in enumerate(crash):
        sc.log(el, db, onset + 0.01 * i, line)
    boot = onset + 48
    for i, (lvl, code, sub, msg) in enumerate([
            ("System", "MY-010116", "Server", "/rdsdbbin/mysql/bin/mysqld (mysqld 8.0.35) starting as process 1245"),
            ("System", "MY-013576", "InnoDB", "InnoDB initialization has started."),
            ("Note", "MY-012557", "InnoDB", "Database was not shutdown normally!"),
            ("Note", "MY-013086", "InnoDB", "Starting to parse redo log at lsn = 5841207745024, whereas "
                                            "checkpoint_lsn = 5841207744512 and start_lsn = 5841207744512"),
            ("Note", "MY-012550", "InnoDB", "Doing recovery: scanned up to log sequence number 5843811264512"),
            ("Note", "MY-013083", "InnoDB", "Log background threads are being started...")]):
        sc.log(el, db, boot + i * 3.1, mysql(sc, boot + i * 3.1, 0, lvl, code, msg, sub))
    periodic(sc, el, db, 120, lambda t: mysql(
        sc, t, 0, "Note", "MY-012553", f"Apply batch completed! ... progress "
        f"{int(6 + 62 * (t - boot) / -boot)}%", "InnoDB"), start=boot + 120, jitter=4)

    ecs_deploy(sc, onset - 300, cl, sib, "eta-broadcaster", 18, "buildkite")
    ecs_deploy(sc, own - 60, cl, svc, "assigner", 142, "buildkite")

    sc.alarm("dispatch-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 60, "GreaterThanThreshold", "Dispatch edge 5XX")
    sc.expect_("dispatch-edge-target-5xx", "dependency_failure", [db],
               [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{cl}/{svc}` (Go, logfmt) reserves drivers in MySQL `{db}`. {-onset // 60} min ago the database "
        f"process crashed (`mysqld got signal 11`) and restarted into InnoDB crash recovery that is still "
        f"applying redo (`Apply batch completed! ... progress` lines up to the present). "
        f"DatabaseConnections drops from ~140 to 0 and stays there; FreeableMemory jumps as the buffer pool "
        f"is empty and WriteIOPS rise with recovery, while CPU, storage and connections are nowhere near a "
        f"limit. The service logs `packets.go:37: unexpected EOF` / `invalid connection` at the crash and "
        f"then `dial tcp {dbip}:3306: connect: connection refused` on every assignment; target 5XX on "
        f"`dispatch-edge` rises to most requests. `{sib}` was deployed five minutes before the crash and "
        f"the assigner itself three hours before; the push-ack timeouts and stale-location warnings are "
        f"steady all day.")
    sc.meta["judgement"] = (
        "The database is down rather than exhausted, so `dependency_failure` with the database as the "
        "origin. A reader could argue for `unknown` (a server crash has no category); the table's "
        "'connection refused ... from a downstream dependency that is not itself exhausted' fits exactly.")
    return sc


BUILDERS = [build_09, build_10]
