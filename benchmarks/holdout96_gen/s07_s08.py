"""h96-07 bag tracing service on ECS (Java) and h96-08 OOOI event relay (Java Lambda) -> ACARS message
gateway hosts (Go on EC2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, HISTORY, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, logfmt_writer, spring

from .kit import (Scenario, alb_metrics, bagtag, ec2_metrics, ecs_metrics, every, flight,
                  lambda_metrics, pick, sampled, scatter, task_id)


# =========================================================================== h96-07
def build_07() -> Scenario:
    sc = Scenario(7, "bag-trace", "Bag trace lookups failing for transfer desks at ICN; "
                  "bag-trace memory alarm.", "ap-northeast-2", 9607, "2026-03-25T02:15:00")
    cl, svc, other = "bagops", "bag-trace", "bag-message-parser"
    lb = "app/bagtrace-int/5e2c9a7d10b4f386"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
                task_definition=f"{svc}:31", java_opts="-Xmx1536m -XX:+ExitOnOutOfMemoryError")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("alb", lb, name="bagtrace-int", scheme="internal", target_groups=["bag-trace-tg"])

    def start_level(b):
        return 38 + 44 * ramp(b, -7800, -1500)

    def rate(t):  # % of task memory per second
        return 0.0009 if t < -7800 else (0.0085 if t < -2400 else 0.019)
    slots = []
    for k, lv in enumerate((51.0, 48.0, 45.5)):
        slots.append({"mem": lv, "born": -HISTORY - 3600 * (k + 1), "down_until": None, "deaths": []})
    avg, run, per_task = [], [], []
    for t in GRID:
        vals = []
        for s in slots:
            if s["down_until"] is not None:
                if t >= s["down_until"]:
                    s["born"], s["mem"], s["down_until"] = s["down_until"], start_level(s["down_until"]), None
                else:
                    continue
            s["mem"] += rate(t) * 60 * sc.rng.uniform(0.8, 1.2)
            if t < -7800 and s["mem"] > 53:
                s["mem"] -= 4.5  # old-gen collections still reclaim before the storm backlog
            if s["mem"] >= 99.0:
                s["deaths"].append(t + sc.rng.uniform(5, 50))
                s["down_until"] = t + 60
                s["mem"] = 99.6
            vals.append(min(s["mem"], 99.8))
        avg.append(sum(vals) / len(vals))
        run.append(float(len(vals)))
        per_task.append(max(vals))
    mem_at = dict(zip(GRID, avg))
    deaths = sorted(d for s in slots for d in s["deaths"])
    ecs_metrics(sc, cl, svc, lambda t: 24 + 0.9 * max(0.0, mem_at[t] - 60), lambda t: mem_at[t],
                running=lambda t: run[GRID.index(t)])
    ecs_metrics(sc, cl, other, lambda t: 22 * diurnal(sc, t, 3.0, 0.2), lambda t: 44 - 6 * ramp(t, -4290, -4200))
    near = lambda t: any(0 <= t - d < 120 for d in deaths)  # noqa: E731
    req = lambda t: 260 * diurnal(sc, t, 3.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.05 + 0.004 * max(0.0, mem_at[int(t)] - 70),
                t5=lambda t: 0.3 + (0.2 * req(t) if near(t) else 0.0), healthy=lambda t: 3.0 - (1 if near(t) else 0),
                unhealthy=lambda t: 1.0 if near(t) else 0.0)

    sc.change(-4290, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "gitlab-bagops-deployer")
    sc.change(-4295, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", other, "gitlab-bagops-deployer")
    sc.change(-540, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "AWSReservedSSO_BagOpsOnCall_41d7b2e0c9a8f653/jiwoo.kang")

    grp, app = f"/ecs/{svc}", svc
    lifetimes = []
    for s in slots:
        b = -HISTORY
        for d in s["deaths"]:
            lifetimes.append((b, d))
            b = d + 60 + sc.rng.uniform(-8, 8)
        lifetimes.append((b, 0))
    for b, e in lifetimes:
        st = f"ecs/{svc}/{task_id(sc)}"
        if b > -HISTORY:
            n = int(182000 * ramp(b, -7800, -1500)) + sc.rng.randint(8000, 12000)
            sc.log(grp, st, b, spring(sc, b, "INFO", "main", "c.b.trace.BagTraceApplication",
                                      "Starting BagTraceApplication v1.19.4 using Java 17.0.10 with PID 1", app))
            sc.log(grp, st, b + 14, spring(sc, b + 14, "INFO", "main", "c.b.trace.cache.JourneyCache",
                                           f"Warm-loaded {n} open bag journeys into JourneyCache (no expiry for open journeys)", app))
        scatter(sc, grp, st, lambda t: 2.0, lambda t: spring(
            sc, t, "INFO", f"http-nio-8080-exec-{sc.rng.randint(1, 50)}", "c.b.trace.web.TraceController",
            f"Trace {bagtag(sc)}: {pick(sc, ['ICN', 'ICN', 'GMP', 'NRT', 'LAX'])} -> ICN -> "
            f"{pick(sc, ['SFO', 'FRA', 'SYD', 'BKK'])} ({sc.rng.randint(2, 7)} scans)", app), b + 20, e)
        scatter(sc, grp, st, lambda t: 0.5, lambda t: spring(
            sc, t, "WARN", "bsm-consumer-1", "c.b.trace.bsm.BsmParser",
            f"BSM for {bagtag(sc)} missing .V element; defaulting station to ICN", app), b + 20, e)
        scatter(sc, grp, st, lambda t: 0.2, lambda t: spring(
            sc, t, "ERROR", "typeb-gw-1", "c.b.trace.typeb.SitaGateway",
            f"SITA Type B gateway NAK for message {sc.hexid(8).upper()} (ERR 07 address unknown); will not retry", app), b + 20, e)

        def gc(t):
            m = mem_at.get(int(t // 60 * 60), 50)
            if m < 80:
                return None
            used = int(1536 * m / 100)
            return spring(sc, t, "WARN", "GC-monitor", "c.b.trace.ops.GcMonitor",
                          f"G1 pause (mixed) {sc.rng.randint(180, 900)} ms; heap {used}M->{used - sc.rng.randint(2, 20)}M(1536M); "
                          f"JourneyCache size {int(150000 + 2000 * m)}", app)
        every(sc, grp, st, 60, gc, b + 30, e)
        if e < 0:
            sc.log(grp, st, e, spring(sc, e, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 50)}",
                                      "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                      "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                                      "java.lang.OutOfMemoryError: Java heap space\n"
                                      "\tat java.base/java.util.HashMap.resize(HashMap.java:702)\n"
                                      "\tat com.bagops.trace.cache.JourneyCache.put(JourneyCache.java:88)", app))
            sc.log(grp, st, e + 0.2, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
    g2 = f"/ecs/{other}"
    s2 = f"ecs/{other}/{task_id(sc)}"
    every(sc, g2, s2, 45, lambda t: spring(sc, t, "INFO", "parser-1", "c.b.parser.Pipeline",
                                           f"Parsed {sc.rng.randint(80, 160)} BSM/BPM messages", other), -HISTORY, -4260)
    s3 = f"ecs/{other}/{task_id(sc)}"
    sc.log(g2, s3, -4250, spring(sc, -4250, "INFO", "main", "c.b.parser.ParserApplication",
                                 "Started ParserApplication v3.2.0 in 7.9 seconds", other))
    every(sc, g2, s3, 45, lambda t: spring(sc, t, "INFO", "parser-1", "c.b.parser.Pipeline",
                                           f"Parsed {sc.rng.randint(80, 160)} BSM/BPM messages", other), -4240, 0)

    sc.alarm("bag-trace-memory", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average",
             60, 3, 80, "GreaterThanThreshold", "bag-trace tasks near their memory limit")
    sc.alarm("bagtrace-int-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Maximum",
             60, 2, 0, "GreaterThanThreshold")
    sc.expect = {"alarm": "bag-trace-memory",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    sc.note(alarm_on="origin (the ECS service)",
            decoys="deploy of bag-message-parser 3 min before the memory alarm fired; the on-call's forced redeploy of "
                   "bag-trace after onset; GC-driven CPU rise; long-standing BSM and SITA NAK messages",
            story="Since the storm backlog began (~-7800 s) the JourneyCache keeps every open bag journey with no "
                  "expiry; task memory climbs steadily until the first task dies with `OutOfMemoryError: Java heap "
                  "space` around -2300 s. Replacement tasks warm-load an ever larger journey set and die again "
                  "within 15-20 minutes, so MemoryUtilization stays above 80 % and UnHealthyHostCount blips. CPU rises "
                  "only from GC pauses; the parser deploy and the later forced redeploy do not explain a climb that "
                  "started hours earlier.")
    return sc


# =========================================================================== h96-08
def build_08() -> Scenario:
    sc = Scenario(8, "oooi-relay", "OOOI (out/off/on/in) events from the fleet not reaching ops "
                  "control; oooi-event-relay errors alarm.", "us-east-1", 9608, "2026-03-27T21:05:00")
    fn, wx = "oooi-event-relay", "acars-weather-uplink"
    g1, g2 = "i-04d1b7e9c2a5f3086", "i-09a2f6c3e8d1b7540"
    sc.resource("lambda", fn, runtime="java21", timeout=20, memory_size=1024)
    sc.resource("lambda", wx, runtime="java21", timeout=60, memory_size=512)
    sc.resource("ec2", g1, name="msg-gw-1", instance_type="m6i.large", private_ip="10.70.3.20",
                log_groups=["/acars/msg-gw"])
    sc.resource("ec2", g2, name="msg-gw-2", instance_type="m6i.large", private_ip="10.70.3.21",
                log_groups=["/acars/msg-gw"])
    full_t = -1700
    disk2 = lambda t: min(100.0, 71 + 29 * (t + HISTORY) / (full_t + HISTORY))  # noqa: E731
    full = lambda t: 1.0 if t >= full_t else 0.0  # noqa: E731
    inv = lambda t: 44 * diurnal(sc, t, 20.0, 0.3)  # noqa: E731
    m = lambda_metrics(sc, fn, inv, lambda t: 0.4 + 0.5 * inv(t) * full(t), lambda t: 180 + 25 * full(t))
    m2 = lambda_metrics(sc, wx, lambda t: 6.0, lambda t: 0.0, lambda t: 2400.0)
    ec2_metrics(sc, g1, lambda t: 18 * diurnal(sc, t, 20.0, 0.3), mem=lambda t: 46.0, disk=lambda t: 64 + 0.0002 * (t + HISTORY))
    ec2_metrics(sc, g2, lambda t: 19 * diurnal(sc, t, 20.0, 0.3) - 6 * full(t), mem=lambda t: 47.0, disk=disk2)

    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "codepipeline-flightops")
    sc.change(-1760, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", wx,
              "codepipeline-flightops")
    sc.change(-1740, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", wx,
              "codepipeline-flightops")

    tails = [f"N{sc.rng.randint(100, 999)}{pick(sc, 'UADNW')}{pick(sc, 'ABCDEJKLMN')}" for _ in range(40)]
    spool = "/var/lib/acars/spool/seg-0019288.wal"

    def body(ll, t, rid, is_err, cold):
        tail, ev = pick(sc, tails), pick(sc, ["OUT", "OFF", "ON", "IN"])
        f = flight(sc, ("UA", "UA", "DL"))
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"Received {ev} for {f} tail {tail} from ACARS downlink"))]
        if sc.rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"Duplicate {ev} event for {f} ({tail}) within 90 s; ignored")))
        if is_err and not full(t):  # malformed downlinks have always failed now and then
            d = sc.rng.uniform(5, 20)
            msg = f"Malformed OOOI downlink for {tail}: missing block id in label QA message"
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", f"java.lang.IllegalArgumentException: {msg}")))
            lines.append((d / 1000 + 0.001, jline({"errorMessage": msg, "errorType": "java.lang.IllegalArgumentException",
                                                   "stackTrace": ["com.flightops.oooi.OooiParser.parse(OooiParser.java:52)"]})))
            return {"lines": lines, "dur": d}
        if is_err:
            d = sc.rng.uniform(30, 90)
            msg = (f"java.io.IOException: POST http://10.70.3.21:8080/v1/oooi returned 500: "
                   f"{{\"error\":\"spool append failed: write {spool}: no space left on device\"}}")
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", f"Relay to msg-gw-2 failed for {f} {ev}: {msg}")))
            lines.append((d / 1000 + 0.001, jline({"errorMessage": msg.split(": ", 1)[1], "errorType": "java.io.IOException",
                                                   "stackTrace": ["com.flightops.oooi.GatewayClient.post(GatewayClient.java:77)",
                                                                  "com.flightops.oooi.RelayHandler.handleRequest(RelayHandler.java:41)"]})))
            return {"lines": lines, "dur": d}
        d = m["dur"].get(int(t // 60 * 60), 180) * sc.rng.uniform(0.7, 1.3)
        gw = "msg-gw-1" if full(t) or sc.rng.random() < 0.5 else "msg-gw-2"
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Relayed {ev} for {f} to {gw} (202 Accepted)")))
        return {"lines": lines, "dur": d}
    ll = LambdaLogs(sc, fn, "java21", 1024, 20, mem_used=(214, 10))
    inv_l, err_l = sampled(m, -16200, 4)
    ll.run(inv_l, err_l, body)

    def body_wx(ll2, t, rid, is_err, cold):
        return {"lines": [(0.01, ll2.fmt(t, rid, "INFO", f"Uplinked METAR/TAF bundle to {sc.rng.randint(3, 12)} aircraft"))],
                "dur": sc.rng.uniform(1900, 2900)}
    ll2 = LambdaLogs(sc, wx, "java21", 512, 60, retire=(-1760, -1740), mem_used=(160, 8))
    inv2, err2 = sampled(m2, -16200, 1)
    ll2.run(inv2, err2, body_wx)

    lf = logfmt_writer("time")
    for iid, name in ((g1, "msg-gw-1"), (g2, "msg-gw-2")):
        grp = "/acars/msg-gw"
        hot = iid == g2
        scatter(sc, grp, iid, lambda t, _h=hot: 0.0 if _h and full(t) else 2.0, lambda t: lf(
            sc, t, "info", "spooled message", src=pick(sc, ["vhf", "satcom", "hf"]), label=pick(sc, ["QA", "QB", "QC", "H1", "5Z"]),
            tail=pick(sc, tails), bytes=sc.rng.randint(180, 2200)))
        scatter(sc, grp, iid, lambda t: 0.3, lambda t: lf(sc, t, "warn", "ARINC 620 frame CRC mismatch, dropping",
                                                          src="vhf", station=pick(sc, ["KJFK", "KEWR", "KORD", "KIAD"])))
        if hot:
            every(sc, grp, iid, 900, lambda t: lf(sc, t, "warn", "spool compaction skipped",
                                                   reason="previous compaction still marked running",
                                                   lock="/var/lib/acars/spool/.compact.lock", lock_age=f"{31 + int((t + HISTORY) / 3600)}h"))
            every(sc, grp, iid, 1800, lambda t: lf(sc, t, "info", "spool usage", segments=19200 + int((t + HISTORY) / 7),
                                                    used_pct=f"{disk2(t):.1f}"), -HISTORY, full_t)
            scatter(sc, grp, iid, lambda t: 3.0 * full(t), lambda t: lf(
                sc, t, "error", "append spool segment failed", err=f"write {spool}: no space left on device",
                tail=pick(sc, tails), status=500), full_t, 0)
        else:
            every(sc, grp, iid, 900, lambda t: lf(sc, t, "info", "spool compaction finished", reclaimed_mb=sc.rng.randint(300, 900)))

    sc.alarm("oooi-event-relay-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "OOOI relay failures")
    sc.alarm("msg-gw-2-disk", "CWAgent", "disk_used_percent", {"InstanceId": g2, "path": "/", "fstype": "xfs"},
             "Average", 300, 1, 92, "GreaterThanThreshold")
    sc.expect = {"alarm": "oooi-event-relay-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [g2, "msg-gw-2"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": g2, "path": "/", "fstype": "xfs"}}]}
    sc.note(alarm_on="caller (the Lambda) - origin is one of the two gateway hosts it posts to",
            decoys="code + configuration update of acars-weather-uplink 60 s before onset; an old deploy of the "
                   "relay itself; malformed-downlink invocation errors at a steady trickle all day; long-standing "
                   "duplicate-event and CRC WARNs; a disk alarm that has sat in ALARM "
                   "for hours",
            story="Spool compaction on msg-gw-2 has been stuck behind a stale lock for over a day, so its root "
                  "volume fills steadily from 71 % and reaches 100 % at -1700 s. From then every append fails with "
                  "`no space left on device`, the gateway returns 500, and about half of the relay's invocations "
                  "(the tails hashed to msg-gw-2) fail naming that error. msg-gw-1 keeps compacting and stays below 70 %.")
    return sc


BUILDERS = [build_07, build_08]
