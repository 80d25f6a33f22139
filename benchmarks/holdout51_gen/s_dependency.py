"""dependency_failure scenarios: an RDS PostgreSQL instance whose storage
latency soars (alarm on the API in front), and an EC2 routing engine lost to a
host hardware fault (alarm on the ALB of the ECS service calling it)."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, ramp, window
from .lambda_sim import LAMBDA_WARNING, LambdaFn, python_traceback
from .services import S, alb, apigw, ec2, ecs, ecs_deploy, lambda_deploy, pg, pino, rds, syslog

GB = 1024 ** 3


def quotes_db_latency():
    s = Scn("h51-06-quotes-db-storage-latency", 5106, "ap-northeast-1", "2026-11-16T06:20:00",
            "Logistics partners get HTTP 502 from the freight quote API; the API's 5XX alarm is "
            "firing.")
    on = -2580
    slow = lambda t: t >= on
    lat = lambda t: ramp(t, on, on + 240, 0.0, 1.0) if slow(t) else 0.0
    count = S(s, lambda t: s.poisson(diurnal(t, 23, 5, -16000)))
    fail_p = lambda t: 0.38 * lat(t)
    err = [s.binom(c, fail_p(t)) for t, c in zip(s.times, count)]
    dur = [s.gauss(88, 7) if not slow(t) else
           (1 - fail_p(t)) * s.gauss(2600 * lat(t) + 88, 300) + fail_p(t) * 8050 for t in s.times]
    fn = LambdaFn(s, "quote-service", "python3.11", 1024, 15, mem_used=(141, 188),
                  environment={"DB_HOST": "quotes-db.cq1x8h2k9z3a.ap-northeast-1.rds.amazonaws.com",
                               "DB_NAME": "quotes", "STATEMENT_TIMEOUT_MS": "8000"})
    fn.metrics(count, err, dur)
    e4 = S(s, lambda t: float(s.poisson(9)))
    apigw(s, "partner-quotes-api", count, e4, [float(e) for e in err],
          [d + 14 + s.gauss(0, 2) for d in dur], [d + 3 for d in dur], stage="prod", api_type="REST")
    base_conn = lambda t: diurnal(t, 58, 9, -16000)
    rds(s, "quotes-db",
        S(s, lambda t: clamp(diurnal(t, 24, 5, -16000) - 6 * lat(t) + s.gauss(0, 1.8), 1, 100)),
        S(s, lambda t: float(round(base_conn(t) + 85 * lat(t) + s.gauss(0, 3)))),
        S(s, lambda t: 318.4 * GB - (t + 21600) * 2100 + s.gauss(0, 4e6)),
        S(s, lambda t: max(0.0004, s.gauss(0.0011, 0.0002) + lat(t) * s.gauss(1.15, 0.25))),
        S(s, lambda t: max(0.0005, s.gauss(0.0016, 0.0003) + lat(t) * s.gauss(1.4, 0.3))),
        S(s, lambda t: 5.9 * GB + s.gauss(0, 6e7)),
        extra=[("DiskQueueDepth", "Count", S(s, lambda t: max(0.0, s.gauss(0.6, 0.2) + 64 * lat(t) * s.gauss(1, 0.15)))),
               ("ReadIOPS", "Count/Second", S(s, lambda t: max(5.0, s.gauss(1450, 120) * (1 - 0.82 * lat(t))))),
               ("WriteIOPS", "Count/Second", S(s, lambda t: max(5.0, s.gauss(620, 60) * (1 - 0.78 * lat(t)))))],
        engine="postgres", engine_version="15.8", instance_class="db.r6g.large", max_connections=600,
        allocated_storage_gb=500, storage_type="gp3", multi_az=False)

    tb = python_traceback("psycopg2.errors.QueryCanceled", "canceling statement due to statement timeout", [
        ("/var/task/handler.py", 58, "lambda_handler", "quote = pricing.quote(conn, req)"),
        ("/var/task/pricing/engine.py", 112, "quote", "cur.execute(RATE_CARD_SQL, (lane, weight_band))"),
        ("/var/task/psycopg2/extras.py", 236, "execute", "return super().execute(query, vars)")])
    lanes = ["NRT-ICN", "HND-TPE", "KIX-PVG", "NRT-SIN", "NGO-BKK", "NRT-LAX", "FUK-HKG"]

    def body(c):
        partner = f"P-{s.rng.randint(100, 999):04d}"
        lane = s.pick(lanes)
        out = []
        if s.chance(0.05):
            out.append((0.003, "WARN", f"partner P-0877 sent deprecated field 'currency_code'; use 'currency'"))
        if c.failed:
            c.outcome, c.duration_ms = "error", s.gauss(8046, 12)
            out.append((8.02, "RAW", LAMBDA_WARNING))
            out.append((8.021, "RAW", "[ERROR] QueryCanceled: canceling statement due to statement timeout\n" + tb))
            return out
        db_ms = max(3, int(c.duration_ms - 60))
        if db_ms > 1500:
            out.append((db_ms / 1000, "WARN", f"slow rate-card lookup lane={lane} took {db_ms} ms"))
        out.append((c.duration_ms / 1000 - 0.003, "INFO",
                    f"quote partner={partner} lane={lane} weight_kg={s.rng.randint(20, 2400)} "
                    f"price=JPY {s.rng.randint(9000, 900000):,} db_ms={db_ms}"))
        return out

    fn.simulate(body)

    # postgres log
    ev, host = [], "10.20.{}.{}"
    client = lambda: f"{host.format(s.rng.randint(3, 5), s.rng.randint(10, 250))}({s.rng.randint(32768, 60999)})"
    for t in range(-21600 + 17, 0, 300):
        w, sy = (s.gauss(26, 3), s.gauss(0.04, 0.01)) if not slow(t) else (s.gauss(212, 30), s.gauss(41, 8))
        ev.append((t, pg(s, t, "", "@", 3881, "LOG", "checkpoint starting: time")))
        ev.append((t + w + sy, pg(s, t + w + sy, "", "@", 3881, "LOG",
                                  f"checkpoint complete: wrote {s.rng.randint(1800, 4200)} buffers "
                                  f"({s.rng.uniform(0.6, 1.8):.1f}%); 0 WAL file(s) added, 0 removed, "
                                  f"{s.rng.randint(1, 3)} recycled; write={w:.3f} s, sync={sy:.3f} s, "
                                  f"total={w + sy + 0.01:.3f} s; sync files={s.rng.randint(40, 90)}, "
                                  f"longest={sy * 0.6:.3f} s, average={sy / 50:.3f} s")))
    for t0 in s.times:
        n = s.poisson(0.12 if not slow(t0) else 6 * lat(t0))
        for _ in range(n):
            t = t0 + s.rng.random() * 60
            ms = s.uniform(1000, 1900) if not slow(t0) else s.uniform(1200, 8000)
            ev.append((t, pg(s, t, client(), "quotes_app@quotes", s.rng.randint(20000, 32000), "LOG",
                             f"duration: {ms:.3f} ms  execute <unnamed>: SELECT rc.id, rc.base_rate, "
                             f"rc.fuel_pct FROM rate_cards rc WHERE rc.lane = $1 AND rc.weight_band = $2 "
                             f"AND rc.valid_to > now()")))
    for t0, e in zip(s.times, err):
        for _ in range(int(e)):
            t, pid, cl = t0 + s.rng.random() * 60, s.rng.randint(20000, 32000), client()
            ev.append((t, pg(s, t, cl, "quotes_app@quotes", pid, "ERROR",
                             "canceling statement due to statement timeout")))
            ev.append((t + 0.0001, pg(s, t, cl, "quotes_app@quotes", pid, "STATEMENT",
                                      "SELECT rc.id, rc.base_rate, rc.fuel_pct FROM rate_cards rc WHERE "
                                      "rc.lane = $1 AND rc.weight_band = $2 AND rc.valid_to > now()")))
    s.log("/aws/rds/instance/quotes-db/postgresql", "quotes-db.0", ev)

    # decoys
    ar = LambdaFn(s, "quote-archiver", "python3.11", 512, 300, mem_used=(120, 160))
    run = lambda t: window(t, -10200, -9600)
    ai = S(s, lambda t: s.poisson(22 if run(t) else 0.4))
    ar.metrics(ai, [0] * len(ai), S(s, lambda t: s.gauss(14000 if run(t) else 2100, 500)))
    ar.simulate(lambda c: [(c.duration_ms / 1000 - 0.05, "INFO",
                            f"Archived {s.rng.randint(100, 4000)} expired quotes to "
                            f"s3://acme-quote-archive-apne1/2026/11/")])
    lambda_deploy(s, -13800, "quote-archiver", "gha-freight")
    s.alarm("partner-quotes-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": "partner-quotes-api"},
            "Sum", 300, 1, 30, description="Partner API client errors")
    s.alarm("partner-quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "partner-quotes-api"},
            "Sum", 300, 1, 15, description="Partner quote API returning 5XX")
    doc = s.to_dict({
        "alarm": "partner-quotes-api-5xx",
        "root_cause": {"category": "dependency_failure", "resource": ["quotes-db"]},
        "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency",
                       "dimensions": {"DBInstanceIdentifier": "quotes-db"}},
                      {"namespace": "AWS/ApiGateway", "name": "5XXError",
                       "dimensions": {"ApiName": "partner-quotes-api"}}]})
    meta = dict(
        alarm="partner-quotes-api-5xx", category="dependency_failure", resources=["quotes-db"],
        on="front (API Gateway)",
        decoys=["quote-archiver deployed 3.8 h earlier", "steady deprecated-field WARNING and 4XX",
                "quote-archiver nightly burst", "partner-quotes-api-4xx alarm in ALARM for hours (revoked key)"],
        text="Nothing was changed. 43 minutes ago quotes-db's ReadLatency and WriteLatency jump from "
             "~1-2 ms to over a second, DiskQueueDepth goes from <1 to ~60 and IOPS collapse, while "
             "its CPU, memory and free storage stay normal and connections (~140) remain far below "
             "max_connections 600. The PostgreSQL log shows checkpoints whose sync phase goes from "
             "0.04 s to ~40 s, rate-card SELECTs logged at several seconds and `canceling statement "
             "due to statement timeout`; quote-service (8 s statement timeout) fails with "
             "psycopg2 QueryCanceled and API Gateway returns 5XX. The 4XX alarm (a partner with a "
             "revoked key) and the deprecated-field warning were there all day; the archiver is "
             "unrelated. Timeouts from a database that is slow but not exhausted: "
             "dependency_failure, origin quotes-db.")
    return doc, meta


# ----------------------------------------------------------------------------
RE = ("i-0a7c3e5b9d1f24680", "routing-engine-1", "10.42.7.19")


def routing_engine_down():
    s = Scn("h51-07-routing-engine-host-failure", 5107, "eu-west-2", "2026-11-19T17:55:00",
            "Courier app shows 'ETA unavailable' for most deliveries; ALB 5XX alarm on the ETA API.")
    fail = -2280
    down = lambda t: t >= fail
    req = S(s, lambda t: s.poisson(diurnal(t, 410, 90, -3000)))
    t5 = [float(s.poisson(0.3) + (s.binom(r, 0.71) if down(t) else 0)) for t, r in zip(s.times, req)]
    lb = alb(s, "eta-alb", "6b0d4e2f8a1c3957", req,
             S(s, lambda t: s.gauss(0.061, 0.004) if not down(t) else s.gauss(1.86, 0.05)), t5,
             S(s, lambda t: float(s.poisson(0.05))), [3.0] * len(s.times), [0.0] * len(s.times),
             scheme="internet-facing", target_group="eta-api-tg")
    ecs(s, "delivery-prod", "eta-api", S(s, lambda t: clamp(diurnal(t, 29, 6, -3000) * (0.7 if down(t) else 1)
                                                              + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 41 + s.gauss(0, 0.8) + (3 if down(t) else 0)), [3.0] * len(s.times),
        launch_type="FARGATE", task_definition="eta-api:57", runtime="nodejs20 / fastify 4",
        environment={"ROUTING_URL": f"http://{RE[2]}:5000", "ROUTING_TIMEOUT_MS": "2500"})
    st = S(s, lambda t: 1.0 if down(t) else 0.0)
    ec2(s, RE[0], RE[1], "r6i.2xlarge",
        S(s, lambda t: None if down(t) else clamp(diurnal(t, 38, 9, -3000) + s.gauss(0, 3), 0, 100)),
        S(s, lambda t: None if down(t) else 71 + s.gauss(0, 0.4)),
        S(s, lambda t: None if down(t) else 64.2 + s.gauss(0, 0.02)),
        S(s, lambda t: None if down(t) else diurnal(t, 9.5e6, 2e6, -3000) * s.gauss(1, 0.05)),
        status=st, private_ip=RE[2], service="osrm-routed :5000",
        log_groups=["/routing-engine/osrm", "/routing-engine/messages"])
    s.metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": RE[0]}, "Count", st)
    s.metric("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": RE[0]}, "Count", [0.0] * len(s.times))

    hosts = [f"ip-10-42-{s.rng.randint(1, 3)}-{s.rng.randint(10, 250)}.eu-west-2.compute.internal" for _ in range(3)]
    tasks = [s.hex(32) for _ in range(3)]
    osrm, app = [], {tid: [] for tid in tasks}
    pt = lambda: f"{s.uniform(-0.25, 0.05):.4f},{s.uniform(51.42, 51.58):.4f}"
    for t0, r in zip(s.times, req):
        if t0 < -10800:
            continue
        for _ in range(s.poisson(9)):
            t = t0 + s.rng.random() * 60
            k = s.rng.randrange(3)
            tid, host = tasks[k], hosts[k]
            rid = f"req-{s.hex(6)}"
            path = s.pick(["/v1/eta", "/v1/eta", "/v1/eta/batch", "/v1/zones", "/healthz"])
            needs = path.startswith("/v1/eta")
            if needs and not down(t):
                ms = abs(s.gauss(4.2, 2))
                osrm.append((t + 0.002, f"[info] {s.fmt(t, '%d-%m-%Y %H:%M:%S')} {ms:.2f}ms 10.42.{k + 1}.{40 + k} - "
                                        f"undici 200 /route/v1/driving/{pt()};{pt()}?overview=false"))
            if needs and down(t):
                code = "ETIMEDOUT" if s.chance(0.7) else "EHOSTUNREACH"
                app[tid].append((t + 2.5, pino(s, t + 2.5, "error", host, "routing-engine request failed", reqId=rid,
                                               err={"type": "Error", "message": f"connect {code} {RE[2]}:5000",
                                                    "stack": f"Error: connect {code} {RE[2]}:5000\n    at "
                                                             f"TCPConnectWrap.afterConnect [as oncomplete] "
                                                             f"(node:net:1607:16)",
                                                    "errno": -110 if code == "ETIMEDOUT" else -113,
                                                    "code": code, "syscall": "connect", "address": RE[2],
                                                    "port": 5000})))
                app[tid].append((t + 2.51, pino(s, t + 2.51, "info", host, "request completed", reqId=rid,
                                                res={"statusCode": 502}, responseTime=round(2504 + s.uniform(0, 9), 3))))
                continue
            if s.chance(0.06):
                app[tid].append((t, pino(s, t, "warn", host, "driver position stale, using last known",
                                         reqId=rid, driverId=f"drv_{s.hex(8)}", ageSec=s.rng.randint(120, 900))))
            app[tid].append((t + 0.03, pino(s, t + 0.03, "info", host, "request completed", reqId=rid,
                                            res={"statusCode": 200}, responseTime=round(s.uniform(9, 60), 3))))
    for tid, ev in app.items():
        s.log("/ecs/eta-api", f"eta-api/eta-api/{tid}", ev)
    s.log("/routing-engine/osrm", RE[0], osrm)
    msgs, h = [], "ip-10-42-7-19"
    for t in range(-10800, fail - 200, 600):
        msgs.append((t, syslog(s, t, h, "systemd[1]", "Started sysstat-collect.service - system activity "
                                                      "accounting tool.")))
    msgs += [(fail - 95, syslog(s, fail - 95, h, "kernel", "mce: [Hardware Error]: Machine check events logged")),
             (fail - 94, syslog(s, fail - 94, h, "kernel", "mce: [Hardware Error]: CPU 5: Machine Check: 0 Bank 7: "
                                                            "cc00008000010092")),
             (fail - 93, syslog(s, fail - 93, h, "kernel", "EDAC MC0: 1 UE memory read error on CPU_SrcID#0_MC#0_"
                                                            "Chan#1_DIMM#0 (channel:1 slot:0 page:0x3f1a2 offset:0x0)"))]
    s.log("/routing-engine/messages", RE[0], msgs)

    # decoys
    dl = ecs(s, "delivery-prod", "driver-locator",
             S(s, lambda t: clamp((88 if window(t, -9600, -8700) else 22) + s.gauss(0, 3), 0, 100)),
             S(s, lambda t: 52 + s.gauss(0, 1)), [2.0] * len(s.times), launch_type="FARGATE",
             task_definition="driver-locator:112")
    ecs_deploy(s, -15000, "delivery-prod", "driver-locator", "argocd-image-updater")
    s.alarm("driver-locator-cpu-high", "AWS/ECS", "CPUUtilization", dl, "Average", 300, 1, 80)
    s.alarm("routing-engine-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": RE[0]},
            "Maximum", 60, 2, 1, "GreaterThanOrEqualToThreshold", description="routing-engine-1 status check")
    s.alarm("eta-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
            "Sum", 60, 3, 20, description="ETA API returning 5XX")
    res = [RE[0], RE[1]]
    doc = s.to_dict({
        "alarm": "eta-alb-target-5xx",
        "root_cause": {"category": "dependency_failure", "resource": res},
        "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": RE[0]}},
                      {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="eta-alb-target-5xx", category="dependency_failure", resources=res, on="front (ALB of the caller)",
        decoys=["driver-locator deployed 4.2 h earlier", "steady 'driver position stale' warn",
                "driver-locator CPU spike 2.5 h ago", "driver-locator-cpu-high alarm (fired and recovered)"],
        text="38 minutes ago the EC2 host of routing-engine-1 (10.42.7.19, the OSRM server eta-api calls "
             "via ROUTING_URL) logged machine-check / uncorrectable memory errors, then went silent: its "
             "system status check fails, its CPU, network and agent metrics stop, its OSRM access log "
             "ends, and its own status-check alarm is in ALARM. From that minute eta-api logs `connect "
             "ETIMEDOUT/EHOSTUNREACH 10.42.7.19:5000` and answers ETA requests with 502 after its 2.5 s "
             "timeout; the ALB 5XX alarm fires. eta-api's tasks, CPU and memory are fine and nothing "
             "was changed. The driver-locator deploy, spike and recovered alarm and the stale-position "
             "warning are unrelated. Connection failures to a downstream that is down (not "
             "saturated): dependency_failure, origin routing-engine-1.")
    return doc, meta
