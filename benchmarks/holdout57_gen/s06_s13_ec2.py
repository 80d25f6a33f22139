"""h57-06 (EC2 CPU pinned behind an ALB, .NET) and h57-13 (EC2 host failure: unknown)."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp, bump
from .runtimes import LambdaLogs, jline, serilog
from .s05_s14_rds import _alb


def _ec2(sc, iid, cpu, net, mem, disk, sys_fail=None, times=None):
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, times)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net, times)
    sf = sys_fail or [0.0] * len(times or GRID)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", sf, times)
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sf, times)
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", [0.0] * len(sf), times)
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", mem, times)
    sc.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"}, "Percent", disk, times)


# =========================================================================== h57-06
T_HOT, T_SUGGEST = -1800, -1860
SEARCH = {"search-api-1": "i-0c4e1a9b7d2f35a61", "search-api-2": "i-0f7d3b2c9e1a4b820",
          "search-api-3": "i-0a2b9c8d7e6f51432"}
ETL = "i-09e8d7c6b5a4f3e21"


def build_search() -> Scenario:
    sc = Scenario(6, "search-api-cpu-pinned", "Site search is slow for roughly a third of queries; "
                  "search ALB latency alarm fired.", "us-west-1", 5706, "2026-08-21T19:15:00+00:00")
    rng = sc.rng
    alb = "app/search-alb/9b2c4d6e8f0a1b3c"
    for name, iid in SEARCH.items():
        sc.resource("ec2", iid, name=name, instance_type="c7i.xlarge", runtime=".NET 8 (Kestrel)",
                    load_balancer=alb, log_groups=["/search/app"])
    sc.resource("ec2", ETL, name="etl-runner-1", instance_type="m7i.2xlarge", monitoring="basic",
                log_groups=["/etl/runner"])
    sc.resource("alb", alb, name="search-alb", target_group="search-api-tg")
    sc.resource("lambda", "search-suggest-sync", runtime="python3.12", timeout=120, memory_size=512)
    hot = lambda t: ramp(t, T_HOT, T_HOT + 150)
    for name, iid in SEARCH.items():
        h = name == "search-api-2"
        _ec2(sc, iid, sc.series(lambda t: min(100.0, 34 * diurnal(sc, t, 19, 0.2) + (66 * hot(t) if h else 0)),
                                noise=0.07 if not h else 0.04, cap=100.0),
             sc.series(lambda t: 2.6e7 * diurnal(sc, t, 19, 0.2), noise=0.08, digits=0),
             sc.series(lambda t: 52 + (9 * hot(t) if h else 0), noise=0.015),
             sc.series(lambda t: 41.2, noise=0.004))
    etl_times = list(range(-21600, 0, 300))  # basic monitoring: 5-minute datapoints
    etl_on = lambda t: -5400 <= t
    _ec2(sc, ETL, sc.series(lambda t: 97 if etl_on(t) else 11, noise=0.02, cap=100.0, times=etl_times),
         sc.series(lambda t: 9e7 if etl_on(t) else 4e6, noise=0.1, digits=0, times=etl_times),
         sc.series(lambda t: 71 if etl_on(t) else 33, noise=0.02, times=etl_times),
         sc.series(lambda t: 63.0 + 0.2 * ramp(t, -5400, 0), noise=0.002, times=etl_times), times=etl_times)
    req = sc.series(lambda t: 1500 * diurnal(sc, t, 19, 0.2), integer=True)
    _alb(sc, alb, req, sc.series(lambda t: 0.058 + 0.82 * hot(t), noise=0.08),
         [float(max(0, round(rng.gauss(4, 2) * hot(t)))) + float(rng.random() < 0.03) for t in GRID],
         [float(rng.random() < 0.02) for _ in GRID], 3)
    finv = [1.0 if t % 900 == 0 else 0.0 for t in GRID]
    fd = {"FunctionName": "search-suggest-sync"}
    sc.metric("AWS/Lambda", "Invocations", fd, "Count", finv)
    sc.metric("AWS/Lambda", "Errors", fd, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", fd, "Milliseconds",
              [round(rng.gauss(21000 if t < T_SUGGEST else 19500, 900), 2) if i else None for t, i in zip(GRID, finv)])

    paths = ["/api/search?q={q}&page=1", "/api/search?q={q}&page=2&sort=price", "/api/suggest?prefix={p}",
             "/api/facets?q={q}"]
    words = ["hiking boots", "usb-c hub", "rain jacket", "espresso", "desk lamp", "yoga mat", "kettle", "tent 4p"]
    for name, iid in SEARCH.items():
        h = name == "search-api-2"
        for t in range(-10800, 0, 60):
            for _ in range(3):
                tt = t + rng.uniform(0, 59)
                p = rng.choice(paths).format(q=rng.choice(words).replace(" ", "+"), p=rng.choice(words)[:3])
                ms = rng.uniform(1400, 4200) if h and hot(tt) > 0.5 else rng.uniform(18, 95)
                st = 504 if h and hot(tt) > 0.5 and rng.random() < 0.03 else 200
                sc.log("/search/app", iid, tt, serilog(sc, tt, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
                       f"Request finished HTTP/1.1 GET http://search-alb{p} - {st} {rng.randint(300, 9000)} "
                       f"application/json;+charset=utf-8 {ms:.4f}ms"))
            for k in range(2):  # pre-existing, identical on all three instances
                tt = t + 7 + 30 * k + rng.uniform(0, 2)
                sc.log("/search/app", iid, tt, serilog(sc, tt, "ERR", "OpenTelemetry.Exporter.OtlpTraceExporter",
                       'Export failed: Grpc.Core.RpcException: Status(StatusCode="Unavailable", Detail="Error connecting '
                       'to subchannel.", DebugException="System.Net.Sockets.SocketException (111): Connection refused")'))
            if h and hot(t) > 0.3:
                if rng.random() < 0.6:
                    tt = t + rng.uniform(0, 59)
                    sc.log("/search/app", iid, tt, serilog(sc, tt, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
                           f'Heartbeat took longer than "00:00:01" at "{sc.at(tt).strftime("%m/%d/%Y %H:%M:%S")} +00:00". '
                           "This could be caused by thread pool starvation."))
                if int(t) % 120 == 0:
                    done = int(1284113 * min(0.97, (t - T_HOT) / 2200))
                    sc.log("/search/app", iid, t + 3, serilog(sc, t + 3, "INF", "Search.Indexing.SynonymGraphBuilder",
                           f"Expanding synonym graph for catalog 'us-en': {done:,}/1,284,113 terms, "
                           f"{rng.randint(7, 8)} worker threads busy, elapsed {t - T_HOT + 3:.0f} s"))
    for k, msg in enumerate(["Job SynonymGraphRebuild #88213 triggered manually from dashboard by kpatel",
                             "Rebuilding synonym graph for catalog 'us-en' (1,284,113 terms, max parallelism 8)"]):
        tt = T_HOT - 10 + k
        sc.log("/search/app", SEARCH["search-api-2"], tt, serilog(sc, tt, "INF", "Hangfire.Server.Worker" if not k
                                                                   else "Search.Indexing.SynonymGraphBuilder", msg))
    for t in range(-10800, 0, 300):
        tt = t + rng.uniform(0, 20)
        if etl_on(t):
            msg = f"stage 3/5 transform orders_2026_08: {rng.randint(180, 220)}k rows/s, cpu workers 8/8"
        else:
            msg = "waiting for upstream export orders_2026_08 (next poll in 300 s)"
        sc.log("/etl/runner", ETL, tt, f"{sc.at(tt).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} INFO etl.runner {msg}")

    ll = LambdaLogs(sc, "search-suggest-sync", "python3.12", 512, 120, mem_used=(210, 10), life=(20000, 30000),
                    retire=[T_SUGGEST])

    def body(ll, t, reqid, is_err, cold):
        dur = rng.gauss(21000 if t < T_SUGGEST else 19500, 900)
        return {"dur": dur, "lines": [(dur / 1000 - 0.1, ll.fmt(t + dur / 1000 - 0.1, reqid, "INFO",
                f"synced {rng.randint(41000, 43000)} suggestion terms to search-suggest-prod"))]}
    for t in GRID:
        if t % 900 == 0 and t >= -10800:
            ll.invoke(t + rng.uniform(0.1, 1), False, body)

    sc.change(T_SUGGEST, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "search-suggest-sync", "ci-deployer")
    sc.change(-5460, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", ETL, "etl-scheduler")
    sc.alarm("search-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             "Average", 60, 5, 0.5, "GreaterThanThreshold", "Search p-avg latency above 500 ms")
    sc.alarm("etl-runner-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ETL}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    iid = SEARCH["search-api-2"]
    sc.expect = {"alarm": "search-alb-latency-high",
                 "root_cause": {"category": "cpu_saturation", "resource": [iid, "search-api-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": iid}}]}
    sc.meta = {
        "alarm_on": "front (ALB search-alb); origin is one EC2 target",
        "decoys": "search-suggest-sync deploy 60 s before onset; etl-runner-1 pinned at 97 % CPU with its own "
                  "CPU alarm in ALARM (not behind the ALB, 5-minute basic monitoring); loud pre-existing "
                  "OTLP exporter 'Connection refused' error on every instance",
        "story": "At -1810 s a manually triggered SynonymGraphRebuild job starts on search-api-2 with "
                 "parallelism 8; that instance's CPU goes from ~35 % to 100 % and stays there while "
                 "the other two targets are unchanged. Its Kestrel logs show thread-pool-starvation "
                 "heartbeat warnings and 1.4-4 s requests, so the ALB average latency rises and a few "
                 "504s appear; request volume is flat and memory is fine. etl-runner-1 is also at "
                 "97 % with an alarm, but it is a batch host outside the request path whose load "
                 "started an hour earlier; the suggest-sync deploy is a scheduled function. CPU pinned "
                 "with latency following is cpu_saturation on search-api-2.",
    }
    return sc


# =========================================================================== h57-13
T_FAIL, T_FANOUT = -1500, -1560
WS = {"ws-gateway-1": "i-0b71c3e5a9d2f4806", "ws-gateway-2": "i-0d2e4f6a8c1b3e579",
      "ws-gateway-3": "i-03f5a7c9e1b2d4068"}


def build_ws() -> Scenario:
    sc = Scenario(13, "ws-gateway-host-failure", "Chat clients disconnected and some cannot reconnect; "
                  "ws-gateway ALB unhealthy-host alarm fired.", "ap-southeast-1", 5713,
                  "2026-06-18T08:20:00+00:00")
    rng = sc.rng
    alb = "app/ws-gateway-alb/6c5d4e3f2a1b0c9d"
    for name, iid in WS.items():
        sc.resource("ec2", iid, name=name, instance_type="c6g.large", runtime="go1.22 websocket hub",
                    load_balancer=alb, log_groups=["/ws-gateway/app"])
    sc.resource("alb", alb, name="ws-gateway-alb", target_group="ws-gateway-tg")
    sc.resource("lambda", "presence-fanout", runtime="nodejs20.x", timeout=30, memory_size=512)
    dead = lambda t: t >= T_FAIL
    for name, iid in WS.items():
        bad = name == "ws-gateway-2"
        cpu = sc.series(lambda t: None if bad and dead(t) else 30 * diurnal(sc, t, 6, 0.2) +
                        (10 * ramp(t, T_FAIL, T_FAIL + 120) if not bad else 0) +
                        (bump(t, -9300, -8700, 45) if name == "ws-gateway-1" else 0), noise=0.06)
        _ec2(sc, iid, cpu,
             sc.series(lambda t: None if bad and dead(t) else 3.1e7 * (1.45 if dead(t) else 1), noise=0.08, digits=0),
             sc.series(lambda t: None if bad and dead(t) else 58, noise=0.01),
             sc.series(lambda t: None if bad and dead(t) else 37.5, noise=0.003),
             sys_fail=[1.0 if bad and t >= T_FAIL + 60 else 0.0 for t in GRID])
    req = sc.series(lambda t: 600 * diurnal(sc, t, 6, 0.2) * (1 + 1.8 * bump(t, T_FAIL + 60, T_FAIL + 240, 1, 60)),
                    integer=True)
    burst = lambda t: bump(t, T_FAIL + 30, T_FAIL + 120, 1, 30)
    d = _alb(sc, alb, req, sc.series(lambda t: 0.012, noise=0.1),
             [float(rng.random() < 0.05) for _ in GRID],
             [float(max(0, round(60 * burst(t) + rng.gauss(0, 4) * burst(t)))) + float(rng.random() < 0.03)
              for t in GRID], 3)
    sc.metrics = [m for m in sc.metrics if not (m["name"] in ("HealthyHostCount", "UnHealthyHostCount")
                                               and m["namespace"] == "AWS/ApplicationELB")]
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", [2.0 if t >= T_FAIL + 60 else 3.0 for t in GRID])
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", [1.0 if t >= T_FAIL + 60 else 0.0 for t in GRID])
    sc.metric("AWS/ApplicationELB", "TargetConnectionErrorCount", d, "Count",
              [float(max(0, round(45 * burst(t)))) for t in GRID])
    sc.metric("AWS/ApplicationELB", "ActiveConnectionCount", d, "Count",
              sc.series(lambda t: 9100 * diurnal(sc, t, 6, 0.2) * (1 - 0.3 * bump(t, T_FAIL + 60, T_FAIL + 180, 1, 60)),
                        integer=True))
    finv = sc.series(lambda t: 9, integer=True)
    fd = {"FunctionName": "presence-fanout"}
    sc.metric("AWS/Lambda", "Invocations", fd, "Count", finv)
    sc.metric("AWS/Lambda", "Errors", fd, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", fd, "Milliseconds", sc.series(lambda t: 64 if t < T_FANOUT else 58, noise=0.1))

    base_ts = sc.at(0).timestamp()
    for name, iid in WS.items():
        bad = name == "ws-gateway-2"
        end = T_FAIL - rng.uniform(2, 6) if bad else 0

        def z(tt, level, caller, msg, **kw):
            return jline({"level": level, "ts": round(base_ts + tt, 3), "caller": caller, "msg": msg, **kw})
        for t in range(-10800, 0, 60):
            if t >= end:
                break
            sess = int(3050 * diurnal(sc, t, 6, 0.2) * (1.5 if dead(t) and not bad else 1) + rng.gauss(0, 40))
            sc.log("/ws-gateway/app", iid, t + 1, z(t + 1, "info", "hub/stats.go:41", "hub stats", sessions=sess,
                                                    rooms=int(sess * 0.37), msgs_per_s=rng.randint(700, 980)))
            n = 4 + (14 if dead(t) and not bad and t < T_FAIL + 300 else 0)
            for _ in range(n):
                tt = t + rng.uniform(2, 59)
                if tt >= end:
                    continue
                resumed = dead(tt) and not bad and t < T_FAIL + 300
                sc.log("/ws-gateway/app", iid, tt, z(tt, "info", "hub/hub.go:88", "session opened",
                       conn_id=sc.hexid(12), user=f"u_{rng.randint(10 ** 6, 10 ** 7)}", resumed=resumed))
            for _ in range(3):  # pre-existing loud error, same rate everywhere
                tt = t + rng.uniform(2, 59)
                if tt < end:
                    sc.log("/ws-gateway/app", iid, tt, z(tt, "error", "hub/session.go:214", "write to closed websocket",
                           conn_id=sc.hexid(12), error="websocket: close sent"))

    fl = LambdaLogs(sc, "presence-fanout", "nodejs20.x", 512, 30, mem_used=(120, 6), retire=[T_FANOUT])

    def fbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(64 if t < T_FANOUT else 58, 8)
        return {"dur": dur, "lines": [(dur / 1000 - 0.002, ll.fmt(t + dur / 1000 - 0.002, reqid, "INFO",
                f"fanned out presence batch to {rng.randint(2, 40)} rooms"))]}
    fl.run({t: v for t, v in zip(GRID, finv) if t >= -7200}, {}, fbody)

    sc.change(T_FANOUT, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "presence-fanout", "ci-deployer")
    sc.alarm("ws-gateway-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", d, "Maximum", 60, 3, 0,
             "GreaterThanThreshold", "ws-gateway target unhealthy")
    iid = WS["ws-gateway-2"]
    sc.alarm("ws-gateway-2-system-status", "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Maximum",
             60, 2, 1, "GreaterThanOrEqualToThreshold")
    sc.expect = {"alarm": "ws-gateway-alb-unhealthy-hosts",
                 "root_cause": {"category": "unknown", "resource": [iid, "ws-gateway-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System",
                                "dimensions": {"InstanceId": iid}}]}
    sc.meta = {
        "alarm_on": "front (ALB ws-gateway-alb); origin is one EC2 target",
        "decoys": "presence-fanout deploy 60 s before the failure; transient ELB 5XX and "
                  "TargetConnectionError burst plus reconnect storm on the healthy hosts; ws-gateway-1 CPU "
                  "spike 2.2 h earlier; loud pre-existing 'write to closed websocket' error",
        "story": "At -1500 s ws-gateway-2 simply disappears: its application log stops mid-stream, "
                 "its CPU, network and CloudWatch-agent series stop reporting, and from -1440 s its "
                 "StatusCheckFailed_System is 1 (the instance check is not failed). Up to that moment "
                 "CPU, memory and disk were flat and nothing in its logs degraded. The ALB marks it "
                 "unhealthy, returns a short burst of 502s, and clients reconnect to the other two hosts "
                 "(`resumed=true`). There is no change on the instance; the presence-fanout deploy is an "
                 "unrelated function. A failed system status check is an AWS host/hardware problem that "
                 "none of the format's categories describe, so the label is unknown, located on "
                 "ws-gateway-2.",
    }
    return sc


BUILDERS = [build_search, build_ws]
