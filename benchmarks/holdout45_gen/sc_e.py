"""Scenarios 12-14: a partner backfill floods the collector; a poison CDC record; a late cron pins a web host."""
from __future__ import annotations

import json

from .blocks import GB, alb, ec2, ecs, rds
from .core import HIST, LOGS, Scn, auto_alarm, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, poisson_times, py, py_unhandled


def s12() -> Scn:
    sc = Scn("h45-12-telemetry-alb-5xx-partner-backfill", 4512, "us-east-1", "2026-03-27T15:45:00",
             "Telemetry ingestion returning 503/504 at the load balancer; ELB 5xx alarm fired.", tz=-4)
    LB, CL, SV, RU, DB, EC = ("app/telemetry-alb/7c3e5a9d1f0b2486", "telemetry", "collector", "telemetry-rollup",
                              "telemetry-meta", "i-09e4b6c1d8a2f7053")
    ON = -2700
    sc.res("alb", LB, name="telemetry-alb", scheme="internet-facing", targets=f"{CL}/{SV}")
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", runtime="dotnet8", desired_count=8,
           max_inflight_per_task=512, log_groups=["/ecs/collector"])
    sc.res("lambda", RU, runtime="python3.12", timeout=300, memory_size=1024, schedule="rate(5 minutes)")
    sc.res("rds", DB, engine="postgres", instance_class="db.t4g.large", max_connections=900)
    sc.res("ec2", EC, name="rollup-batch-1", instance_type="c6i.xlarge", monitoring="basic", cron="0 5 * * *")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    surge = lambda t: min(1.0, max(0.0, (t - ON) / 240))  # noqa: E731
    b0, b1 = local_t(sc, 5.0), local_t(sc, 6.0)
    base = {t: 2300 * d(t) * (1 + sc.g(0.03)) for t in range(HIST, 0, 60)}
    extra = {t: 8200 * surge(t) * (1 + sc.g(0.04)) for t in base}
    load = lambda t: (base[t] + extra[t]) / 2300  # noqa: E731
    over = lambda t: max(0.0, load(t) - 2.2)  # noqa: E731
    alb(sc, LB, req=lambda t: base[t] + extra[t], rt=lambda t: 0.034 + 0.01 * d(t) + 0.42 * over(t) + abs(sc.g(0.004 + 0.05 * over(t))),
        t5xx=lambda t: sc.poisson(0.4 + (base[t] + extra[t]) * 0.012 * over(t)),
        e5xx=lambda t: sc.poisson(0.2 + (base[t] + extra[t]) * 0.006 * over(t)), healthy=lambda t: 8,
        t4xx=lambda t: sc.poisson(3 + 0.002 * (base[t] + extra[t])))
    ecs(sc, CL, SV, cpu=lambda t: 14 + 26 * d(t) + 44 * surge(t) + sc.g(2), mem=lambda t: 46 + 15 * surge(t) + sc.g(0.8),
        running=lambda t: 8)
    sc.metric("AWS/Kinesis", "IncomingRecords", {"StreamName": "telemetry-raw"}, "Count",
              lambda t: (base[t] + extra[t]) * 48 * (1 - 0.012 * over(t)), nd=0)
    sc.metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", {"StreamName": "telemetry-raw"}, "Count",
              lambda t: 0, nd=0)
    rm = LambdaModel(sc, RU, 1024, lambda t: [Inv(False, 26000 + sc.g(2500), "ok", 380)] if (t // 60) % 5 == 0 else [])
    rm.metrics()
    rm.logs(lambda ts, rid, inv: [(0.3, py(sc, ts, "INFO", rid, f"rolled up {sc.rng.randint(200, 900)}k readings into "
                                                                f"5m buckets" + (" (tdigest)" if ts > -3500 else "")))],
            streams=1, start=-9000)
    rds(sc, DB, cpu=lambda t: 8 + 6 * d(t) + sc.g(1), conns=lambda t: 33 + sc.g(2),
        free_storage=lambda t: 140 * GB + sc.g(0.03 * GB), freeable=lambda t: 3.9 * GB + sc.g(0.03 * GB),
        read_lat=lambda t: 0.0007 + abs(sc.g(0.0001)), write_lat=lambda t: 0.001 + abs(sc.g(0.0001)),
        read_iops=lambda t: 80 + sc.g(6), write_iops=lambda t: 60 + sc.g(5))
    ec2(sc, EC, cpu=lambda t: 3 + 90 * bump(t, b0, b1, 1.0, 300) + abs(sc.g(1)),
        net_in=lambda t: 2e5 + 3e9 * bump(t, b0, b1, 1.0, 300) + abs(sc.g(3e4)),
        net_out=lambda t: 1e5 + 8e8 * bump(t, b0, b1, 1.0, 300) + abs(sc.g(3e4)), step=300)

    tasks = [sc.hexid() for _ in range(4)]
    logs = {k: [] for k in tasks}
    host = "ingest.telemetry.acme-iot.com"
    for ts in poisson_times(sc, LOGS, 0, lambda m: (base[m] + extra[m]) / 260):
        k = sc.rng.choice(tasks)
        m = int(ts - ts % 60)
        partner = sc.rng.random() < extra[m] / (base[m] + extra[m])
        ua = "acme-gateway/2.3 (backfill; tenant=northgrid)" if partner else sc.rng.choice(
            ["acme-sdk-android/5.1.2", "acme-sdk-ios/5.1.0", "acme-edge/3.8.1"])
        o = over(m)
        if o > 0 and sc.rng.random() < 0.02 * o:
            logs[k].append((ts, "warn: Telemetry.Collector.Ingest.BackpressureMiddleware[0]\n      Request queue full "
                                f"(4096 pending, {sc.rng.randint(505, 512)}/512 in flight); rejecting with 503"))
            continue
        ms = 18 + abs(sc.rng.gauss(0, 8)) + o * sc.rng.uniform(250, 900)
        logs[k].append((ts, "info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 POST "
                            f"https://{host}/v1/batch - 202 0 - {ms:.4f}ms ua=\"{ua}\""))
    for k, ev in logs.items():
        sc.log("/ecs/collector", f"collector/collector/{k}", ev)
    sc.change(-7000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    sc.change(-3500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", RU, "analytics-ci")
    auto_alarm(sc, "telemetry-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Sum",
               60, 3, 50, "GreaterThanThreshold", "telemetry-alb load-balancer 5xx")
    sc.expect("telemetry-alb-elb-5xx", "traffic_surge", ["telemetry-alb", LB, f"{CL}/{SV}", SV], [
        {"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}}])
    sc.meta = dict(origin="origin (front door that receives the surge)", decoys="telemetry-rollup deploy 13 min before; "
                   "telemetry-meta snapshot; rollup-batch-1's usual 05:00 CPU peak")
    return sc


def s13() -> Scn:
    sc = Scn("h45-13-cdc-transformer-iterator-age", 4513, "ap-south-1", "2026-03-28T06:10:00",
             "Order search index stale; cdc-transformer iterator-age alarm fired.", tz=5.5)
    FN, ST, IX, DB = "cdc-transformer", "orders-cdc", "orders-search-indexer", "orders-mysql"
    P = -2520
    sc.res("lambda", FN, runtime="python3.11", timeout=60, memory_size=512, event_source=f"kinesis:{ST}", batch_size=100,
           maximum_retry_attempts=-1, bisect_batch_on_function_error=False)
    sc.res("lambda", IX, runtime="python3.11", timeout=120, memory_size=1024)
    sc.res("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large", max_connections=1365,
           binlog_format="ROW")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731

    def draw(t):
        out = []
        for shard in (0, 1):
            if shard == 1 and t >= P:
                out += [Inv(True, sc.rng.uniform(180, 320), "poison|1", 131) for _ in range(sc.poisson(14))]
            else:
                out += [Inv(False, max(120.0, 900 + sc.g(200)), f"ok|{shard}", sc.rng.randint(120, 140))
                        for _ in range(sc.poisson(4 + 9 * d(t)))]
        return out
    fm = LambdaModel(sc, FN, 512, draw)
    fm.metrics()
    sc.series("AWS/Lambda", "IteratorAge", {"FunctionName": FN}, "Milliseconds",
              {t: (t - P + sc.rng.uniform(5, 50)) * 1000 if t >= P else sc.rng.uniform(200, 1900) for t in fm.rows}, nd=0)
    sc.metric("AWS/Kinesis", "IncomingRecords", {"StreamName": ST}, "Count", lambda t: 900 + 2600 * d(t) + sc.g(60), nd=0)
    sc.metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", {"StreamName": ST}, "Milliseconds",
              lambda t: (t - P + 30) * 1000 if t >= P else sc.rng.uniform(200, 1800), nd=0)
    sc.metric("AWS/Kinesis", "ReadProvisionedThroughputExceeded", {"StreamName": ST}, "Count", lambda t: 0, nd=0)
    seq = 49650912375311044862199010227354117011337240098406580226

    def body(ts, rid, inv):
        kind, shard = inv.kind.split("|")
        sid = f"shardId-00000000000{shard}"
        first = seq + (0 if kind == "poison" else sc.rng.randint(10 ** 8, 10 ** 12))
        out = [(0.01, py(sc, ts, "INFO", rid, f"batch {sid} records=100 first_seq={first}"))]
        if kind == "ok":
            if sc.rng.random() < 0.25:
                out.append((0.2, py(sc, ts, "WARNING", rid, "unknown column 'legacy_flags' in after-image of orders; ignoring")))
            out.append((inv.dur / 1000 - 0.02, py(sc, ts, "INFO", rid, f"emitted 100 documents to {IX} queue")))
            return out
        out.append((0.05, py(sc, ts, "WARNING", rid, f"record seq={seq + 37} op=c table=orders pk=91188230: "
                                                     "pricing.total_amount='1,299.00' (str)")))
        return out + [(inv.dur / 1000 - 0.02 + o, line) for o, line in py_unhandled(
            sc, ts, rid, "InvalidOperation: [<class 'decimal.ConversionSyntax'>]", [
                ("/var/task/cdc/handler.py", 36, "handler", "docs = [transform(r) for r in records]"),
                ("/var/task/cdc/handler.py", 36, "<listcomp>", "docs = [transform(r) for r in records]"),
                ("/var/task/cdc/transform.py", 71, "transform", "doc['total'] = money(after['pricing']['total_amount'])"),
                ("/var/task/cdc/money.py", 12, "money", "return Decimal(value).quantize(CENTS)")])]
    fm.logs(body, streams=2, start=-7200)
    im = LambdaModel(sc, IX, 1024, lambda t: [Inv(False, 1600 + sc.g(250), "ok", 300)
                                               for _ in range(sc.poisson((4 + 9 * d(t)) * (0.5 if t >= P else 1)))])
    im.metrics()
    rds(sc, DB, cpu=lambda t: 12 + 18 * d(t) + sc.g(1.5), conns=lambda t: 70 + 40 * d(t) + sc.g(3),
        free_storage=lambda t: 530 * GB - 0.005 * GB * (t - HIST) / 60 + sc.g(0.03 * GB),
        freeable=lambda t: 4.8 * GB + sc.g(0.04 * GB), read_lat=lambda t: 0.0008 + abs(sc.g(0.0001)),
        write_lat=lambda t: 0.0012 + abs(sc.g(0.0002)), read_iops=lambda t: 300 + 300 * d(t) + sc.g(20),
        write_iops=lambda t: 400 + 500 * d(t) + sc.g(25))
    sc.change(-6000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    sc.change(-2900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", IX, "search-ci")
    auto_alarm(sc, "cdc-transformer-iterator-age", "AWS/Lambda", "IteratorAge", {"FunctionName": FN}, "Maximum", 60, 3,
               300000, "GreaterThanThreshold", "cdc-transformer falling behind orders-cdc")
    sc.expect("cdc-transformer-iterator-age", "application_error", [FN], [
        {"namespace": "AWS/Lambda", "name": "IteratorAge", "dimensions": {"FunctionName": FN}},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="origin (Lambda IteratorAge)", decoys="deploy of orders-search-indexer 6 min before the poison "
                   "record; orders-mysql snapshot; steady legacy_flags WARNING")
    return sc


def s14() -> Scn:
    sc = Scn("h45-14-reports-latency-cron-overlap", 4514, "us-east-2", "2026-04-01T13:30:00",
             "Customer reports portal slow; ALB latency alarm fired at the start of the business day.", tz=-4)
    LB, A1, A2, DW, DB = ("app/reports-alb/2d8e6f1a0c5b7394", "i-0c4f8b2d6e1a39570", "i-0e2a7c5f9b3d18464",
                          "i-03b9e5d7f1a2c6408", "reports-mysql")
    ST = -6600
    sc.res("alb", LB, name="reports-alb", targets=[A1, A2])
    sc.res("ec2", A1, name="reports-app-1", instance_type="m5.xlarge", role="web+cron-leader",
           log_groups=["/reports/nginx", "/reports/gunicorn", "/reports/pdf_rebuild"])
    sc.res("ec2", A2, name="reports-app-2", instance_type="m5.xlarge", role="web", log_groups=["/reports/nginx"])
    sc.res("ec2", DW, name="dw-loader-1", instance_type="r6i.large", monitoring="basic", cron="45 5 * * * dw_load")
    sc.res("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large", max_connections=1365,
           parameter_group="reports-mysql8", parameter_apply_status="pending-reboot")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    w0, w1 = local_t(sc, 5.75), local_t(sc, 6.5)
    busy = lambda t: 1.0 if t >= ST + 120 else (max(0.0, (t - ST) / 120) if t >= ST else 0.0)  # noqa: E731
    req = {t: 900 * d(t) ** 2.2 * 2.4 * (1 + sc.g(0.04)) for t in range(HIST, 0, 60)}
    slow = lambda t: busy(t) * max(0.0, req[t] - 200) / 200  # noqa: E731
    cpu1 = lambda t: min(100.0, 8 + 22 * d(t) + 85 * busy(t) + sc.g(1.5))  # noqa: E731
    ec2(sc, A1, cpu=cpu1, net_in=lambda t: 4e6 * d(t) + 2e7 * busy(t) + abs(sc.g(2e5)),
        net_out=lambda t: 9e6 * d(t) + 3e8 * busy(t) + abs(sc.g(4e5)), mem=lambda t: 44 + 29 * busy(t) + sc.g(0.7),
        disks=[("/", "nvme0n1p1", "xfs", lambda t: 52 + 6 * busy(t) * min(1, (t - ST) / 7200) + sc.g(0.05))])
    ec2(sc, A2, cpu=lambda t: 7 + 24 * d(t) + sc.g(1.5), net_in=lambda t: 4e6 * d(t) + abs(sc.g(2e5)),
        net_out=lambda t: 9e6 * d(t) + abs(sc.g(4e5)), mem=lambda t: 43 + sc.g(0.6),
        disks=[("/", "nvme0n1p1", "xfs", lambda t: 37 + sc.g(0.05))])
    ec2(sc, DW, cpu=lambda t: 2 + 87 * bump(t, w0, w1, 1.0, 300) + abs(sc.g(1)),
        net_in=lambda t: 1e5 + 2e9 * bump(t, w0, w1, 1.0, 300) + abs(sc.g(2e4)),
        net_out=lambda t: 1e5 + 4e8 * bump(t, w0, w1, 1.0, 300) + abs(sc.g(2e4)), step=300)
    alb(sc, LB, req=req.__getitem__, rt=lambda t: 0.21 + 0.05 * d(t) + 1.6 * min(2.2, slow(t)) + abs(sc.g(0.02 + 0.2 * busy(t))),
        t5xx=lambda t: sc.poisson(0.2 + req[t] * 0.01 * min(2.0, slow(t))),
        e5xx=lambda t: sc.poisson(0.1 + req[t] * 0.012 * min(2.0, slow(t))),
        healthy=lambda t: 2 if slow(t) < 1.2 or sc.rng.random() < 0.6 else 1,
        unhealthy=lambda t: 0, t4xx=lambda t: sc.poisson(req[t] * 0.01))
    rds(sc, DB, cpu=lambda t: 9 + 14 * d(t) + 6 * busy(t) + sc.g(1), conns=lambda t: 40 + 20 * d(t) + 8 * busy(t) + sc.g(2),
        free_storage=lambda t: 260 * GB + sc.g(0.04 * GB), freeable=lambda t: 5.2 * GB + sc.g(0.04 * GB),
        read_lat=lambda t: 0.0008 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0011 + abs(sc.g(0.0001)),
        read_iops=lambda t: 200 + 200 * d(t) + 300 * busy(t) + sc.g(15), write_iops=lambda t: 90 + 60 * d(t) + sc.g(8))

    ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36"
    for iid, name, hot in ((A1, "reports-app-1", True), (A2, "reports-app-2", False)):
        ev = []
        for t in poisson_times(sc, LOGS, 0, lambda m: req[m] / 2 / 12):
            m = int(t - t % 60)
            path = sc.rng.choice(["/statements/{id}.pdf", "/api/reports/monthly", "/dashboard", "/api/reports/usage"])
            rt = abs(sc.rng.gauss(0.2, 0.06)) + (sc.rng.uniform(1.5, 9) * min(2.2, slow(m)) if hot else 0)
            code = 200
            if hot and rt > 30:
                code, rt = 504, 30.0
            ev.append((t, f'10.0.{sc.rng.randint(1, 4)}.{sc.rng.randint(10, 250)} - - [{sc.clf(t)}] "GET '
                          f'{path.replace("{id}", str(sc.rng.randint(100000, 999999)))} HTTP/1.1" {code} '
                          f'{sc.rng.randint(900, 90000)} "-" "{ua}" rt={rt:.3f}'))
        sc.log("/reports/nginx", iid, ev)
    ev = []
    for t in poisson_times(sc, ST + 600, 0, lambda m: 0.8 * min(2.0, slow(m))):
        pid = sc.rng.randint(2300, 2999)
        ev += [(t, f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [2114] [CRITICAL] WORKER TIMEOUT (pid:{pid})"),
               (t + 0.4, f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [INFO] Worker exiting (pid: {pid})"),
               (t + 1.1, f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid + 17}] [INFO] Booting worker with pid: "
                         f"{pid + 17}")]
    sc.log("/reports/gunicorn", A1, ev)
    ev = [(ST - 30, f"{sc.logback(ST - 30).replace('.', ',')} INFO pdf_rebuild: statements_ready flag for "
                    f"{sc.day(-86400, '%Y-%m')} found (billing close finished {sc.at(ST - 90).strftime('%H:%M')}Z); "
                    "starting run"),
          (ST - 2, f"{sc.logback(ST - 2).replace('.', ',')} INFO pdf_rebuild: 412388 statements to render; workers=8 "
                   "(nice=0) on reports-app-1")]
    for i, t in enumerate(every(sc, ST + 300, 0, 300, 4)):
        done = int((i + 1) * 412388 * 300 / 21000)
        ev.append((t, f"{sc.logback(t).replace('.', ',')} INFO pdf_rebuild: rendered {done}/412388 ({done / 4123.88:.0f}%), "
                      f"eta {int((412388 - done) / (412388 * 300 / 21000) * 5)}m"))
    for t in [local_t(sc, h) for h in (1.0, 2.0, 3.0, 4.0)]:
        ev.append((t, f"{sc.logback(t).replace('.', ',')} INFO pdf_rebuild: statements_ready flag for "
                      f"{sc.day(-86400, '%Y-%m')} not present yet; next check in 60m"))
    sc.log("/reports/pdf_rebuild", A1, ev)
    sc.change(-12000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reports-mysql8",
              "dba-ana")
    sc.change(-15600, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0f3c9e1b7a5d24c86", "dlm-lifecycle")
    auto_alarm(sc, "reports-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average",
               60, 5, 2.0, "GreaterThanThreshold", "Reports portal average response time above 2 s")
    sc.expect("reports-alb-latency", "cpu_saturation", [A1, "reports-app-1"], [
        {"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": A1}},
        {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": LB}}])
    sc.meta = dict(origin="front (ALB)", decoys="dw-loader-1's usual 05:45 CPU peak; pending-reboot parameter edit on "
                   "reports-mysql; overnight EBS snapshot")
    return sc
