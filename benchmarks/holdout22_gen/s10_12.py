"""Scenarios 10-12: disk filled by an unrotated log, slow Node.js heap leak, cron job saturating a shared MySQL."""
from __future__ import annotations

import json

from .common import (Ctx, LogBook, alarm, alb_metrics, anomaly, change, day, ec2_metrics, ecs_deploy, ecs_metrics, every,
                     grid, lambda_deploy, lambda_metrics, metric, py_line, rds_metrics, scenario, sig, values)
from .sim import LambdaSim, Tasks, plan_from


def s10(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T13:30:00", "us-east-2", "667788990011")
    rng, ts, ts5, full = ctx.rng, grid(), grid(-43200, -300, 300), -2100
    alb_id = "app/media-api/8c1d3e5f7a9b2c4d"
    good, bad = ("i-0d3a5b7c9e1f20468", "media-api-1"), ("i-0c4e6a8b0d2f13579", "media-api-2")
    req = values(ctx, ts, lambda t: 400 * day(ctx, t, 15, 0.3), count=True)
    t5 = [float(int(r * 0.5 * 0.31 * rng.uniform(0.85, 1.15))) if t >= full else float(rng.random() < 0.05) for t, r in zip(ts, req)]
    metrics = alb_metrics(alb_id, ts, req, values(ctx, ts, lambda t: 0.31 if t < full else 0.24, 0.1), t5, None, [2.0] * len(ts))
    for iid, name in (good, bad):
        disk = (lambda t: 44.0 + (t + 43200) * 1e-5) if iid == good[0] else (lambda t: min(100.0, 69.0 + 31.0 * (t + 43200) / (43200 + full)))
        metrics += ec2_metrics(iid, ts5, values(ctx, ts5, lambda t: 28 * day(ctx, t, 15, 0.3), 0.07), values(ctx, ts5, lambda t: 61.0, 0.02),
                               [round(min(100.0, disk(t) + rng.uniform(-0.05, 0.05)), 2) for t in ts5],
                               values(ctx, ts5, lambda t: 9.1e7 * day(ctx, t, 15, 0.3), 0.08, nd=0))
    th_inv = values(ctx, ts, lambda t: 45.0 if -9000 <= t < -8000 else 3.0, count=True)
    metrics += lambda_metrics("thumbnail-builder", ts, th_inv, [0.0] * len(ts), [0.0] * len(ts), values(ctx, ts, lambda t: 2300.0, 0.1),
                              [float(min(10, max(1, int(i * 2.3 / 60 + 1)))) for i in th_inv])

    book = LogBook()
    uas = ["okhttp/4.12.0", "MediaKit/3.2 (iOS 18.1)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"]
    for iid, name in (good, bad):
        for t in every(-10800, -5, 3.0, 0.8, rng):
            ip, ua = ctx.ip(), rng.choice(uas)
            upload = rng.random() < 0.31
            if upload and iid == bad[0] and t >= full:
                book.add("/media-api/app", iid, t, f"{ctx.spaced(t).replace('.', ',')} ERROR media.app: Exception on /v1/uploads [POST]\n"
                         "Traceback (most recent call last):\n"
                         '  File "/opt/media-api/venv/lib/python3.11/site-packages/flask/app.py", line 1473, in wsgi_app\n    response = self.full_dispatch_request()\n'
                         '  File "/opt/media-api/venv/lib/python3.11/site-packages/flask/app.py", line 882, in full_dispatch_request\n    rv = self.handle_user_exception(e)\n'
                         '  File "/opt/media-api/app/uploads.py", line 64, in create_upload\n    tmp.write(chunk)\n'
                         "OSError: [Errno 28] No space left on device")
                book.add("/media-api/access", iid, t + 0.01, f'{ip} - - [{ctx.clf(t)}] "POST /v1/uploads HTTP/1.1" 500 265 "-" "{ua}" {rng.uniform(0.05, 0.3):.3f}')
                if rng.random() < 0.2:
                    book.add("/media-api/app", iid, t + 0.02, "--- Logging error ---\nTraceback (most recent call last):\n"
                             '  File "/usr/lib64/python3.11/logging/__init__.py", line 1114, in emit\n    self.flush()\n'
                             '  File "/usr/lib64/python3.11/logging/__init__.py", line 1094, in flush\n    self.stream.flush()\n'
                             "OSError: [Errno 28] No space left on device\nCall stack:\n"
                             '  File "/opt/media-api/app/uploads.py", line 71, in create_upload\n    log.info("stored upload %s", upload_id)\n'
                             "Message: 'stored upload %s'\nArguments: ('up_" + ctx.hexid(10) + "',)")
                continue
            if upload:
                up = f"up_{ctx.hexid(10)}"
                book.add("/media-api/app", iid, t, f"{ctx.spaced(t).replace('.', ',')} INFO media.uploads: stored upload {up} ({rng.uniform(0.2, 9):.1f} MB)")
                if rng.random() < 0.05:
                    book.add("/media-api/app", iid, t + 0.001, f"{ctx.spaced(t).replace('.', ',')} WARNING media.exif: EXIF orientation tag missing for {up}; assuming 1")
                book.add("/media-api/access", iid, t + 0.01, f'{ip} - - [{ctx.clf(t)}] "POST /v1/uploads HTTP/1.1" 201 312 "-" "{ua}" {rng.uniform(0.2, 1.4):.3f}')
            else:
                path = rng.choice(["/v1/media/", "/v1/media/", "/v1/albums/", "/healthz"]) + (ctx.hexid(10) if rng.random() < 0.9 else "")
                book.add("/media-api/access", iid, t, f'{ip} - - [{ctx.clf(t)}] "GET {path} HTTP/1.1" 200 {rng.randint(300, 9000)} "-" "{ua}" {rng.uniform(0.01, 0.2):.3f}')
        for t in every(-43200, -5, 3600, 0.0, rng):
            book.add("/var/log/messages", iid, t + 1, f"{ctx.syslog(t + 1)} {name} CROND[{rng.randint(20000, 60000)}]: (root) CMD (run-parts /etc/cron.hourly)")
            if iid == bad[0]:
                book.add("/var/log/messages", iid, t + 2, f"{ctx.syslog(t + 2)} {name} logrotate[{rng.randint(20000, 60000)}]: error: skipping \"/var/log/media-api/access.log\" "
                         "because parent directory has insecure permissions (It's world writable or writable by group which is not \"root\") Set \"su\" directive in config "
                         "file to tell logrotate which user/group should be used for rotation.")
            else:
                book.add("/var/log/messages", iid, t + 2, f"{ctx.syslog(t + 2)} {name} logrotate[{rng.randint(20000, 60000)}]: rotating /var/log/media-api/access.log (size 214M)")
    th = LambdaSim(ctx, 1024, 60, lambda t0, rid, cold, kind: {
        "lines": [py_line(ctx, t0 + 0.01, "INFO", rid, f"Building thumbnails for up_{ctx.hexid(10)} sizes=[128,512,1024]")], "dur": rng.uniform(1800, 2800),
        "mem": rng.randint(300, 380)}, version=lambda t: "14" if t < -9500 else "15")
    th.run(book, "/aws/lambda/thumbnail-builder", plan_from(ts, {"ok": th_inv}, -10800))

    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "m6i.large", "root_volume_gb": 100,
                                                          "log_groups": ["/media-api/app", "/media-api/access", "/var/log/messages"]}} for iid, name in (good, bad)]
    resources += [{"type": "alb", "id": alb_id, "properties": {"name": "media-api", "targets": [good[0], bad[0]]}},
                  {"type": "lambda", "id": "thumbnail-builder", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024}}]
    changes = lambda_deploy(-9500, "thumbnail-builder") + [change(-7000, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", good[0], "ops-bot")]
    lb = {"LoadBalancer": alb_id}
    alarms = [alarm("media-api-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 15, "ALARM", full + 200, desc="media-api 5XX"),
              alarm("thumbnail-builder-duration", "AWS/Lambda", "Duration", {"FunctionName": "thumbnail-builder"}, "Average", 300, 2, 20000, "OK", -600000)]
    expect = {"alarm": "media-api-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [bad[0], bad[1]]},
              "anomalies": [anomaly("CWAgent", "disk_used_percent", {"InstanceId": bad[0], "path": "/", "fstype": "xfs"}), anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)]}
    doc = scenario("h22-10-media-api-disk-full", "Uploads failing for part of users; media-api 5XX alarm.", ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (ALB); origin is one instance", "decoys": [
        "ModifyInstanceAttribute on the healthy sibling 1.4 h before onset", "thumbnail-builder deploy + backfill spike 2 h before onset",
        "steady pre-existing EXIF WARNINGs", "EC2 metrics at 5-minute resolution over 12 h"]}


# ------------------------------------------------------------------------------------------------
def s11(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T22:10:00", "us-east-1", "402917365584")
    rng, ts = ctx.rng, grid(-43200, -60, 60)
    alb_id, svc = "app/ws-gateway/4e6f8a0b2c4d6e8f", "realtime/ws-gateway"
    s0, lim, floor = -108000.0, 88.0, 19.0
    crash1 = [-3000.0, -1900.0, -800.0, 400.0]  # the fourth task has not died yet
    rate = [(lim - floor) / (c - s0) for c in crash1]
    def per_task(k, t):
        c = crash1[k]
        if t < c:
            return floor + rate[k] * (t - s0)
        if t < c + 70:
            return None
        return floor + rate[k] * (t - c - 70)
    def svc_mem(t, agg):
        v = [per_task(k, t) for k in range(4)]
        return agg(x for x in v if x is not None)
    mem = [round(svc_mem(t, max) + rng.gauss(0, 0.3), 2) for t in ts]  # per-minute Maximum across tasks
    cpu = [round((14 + 0.32 * svc_mem(t, lambda v: sum(list(v)) / 4.0)) * day(ctx, t, 20, 0.15) * rng.uniform(0.93, 1.07), 2) for t in ts]
    metrics = ecs_metrics(svc, ts, cpu, mem)
    over = [t for i, t in enumerate(ts) if i >= 14 and all(m > 85 for m in mem[i - 14:i + 1])]
    crash_min = [any(c <= t < c + 120 for c in crash1) for t in ts]
    req = values(ctx, ts, lambda t: 310 * day(ctx, t, 20, 0.3), count=True)
    req = [r + (rng.randint(900, 1400) if cm else 0) for r, cm in zip(req, crash_min)]  # clients reconnect after a task dies
    metrics += alb_metrics(alb_id, ts, req, values(ctx, ts, lambda t: 0.018, 0.15, nd=4), [0.0] * len(ts),
                           [float(rng.randint(40, 90)) if cm else 0.0 for cm in crash_min], [3.0 if cm else 4.0 for cm in crash_min],
                           [1.0 if cm else 0.0 for cm in crash_min])
    metrics.append(metric("AWS/ApplicationELB", "ActiveConnectionCount", {"LoadBalancer": alb_id}, "Count", ts, values(ctx, ts, lambda t: 20500 * day(ctx, t, 20, 0.3), 0.02, nd=0)))
    metrics += ecs_metrics("realtime/presence-api", ts, values(ctx, ts, lambda t: 21 * day(ctx, t, 20, 0.2), 0.06), values(ctx, ts, lambda t: 38.0 if t < -5400 else 35.0, 0.02))

    book, grp = LogBook(), "/ecs/ws-gateway"
    tasks = Tasks(ctx, "ws/ws-gateway", 4, s0)
    def pino(t, level, msg, **kw):
        rec = {"level": level, "time": int(ctx.epoch(t) * 1000 + (t % 1) * 1000), "pid": 1, "hostname": f"ip-10-0-{rng.randint(1, 30)}-{rng.randint(2, 250)}.ec2.internal", "msg": msg}
        rec.update(kw)
        return json.dumps(rec, separators=(",", ":"))
    for k, c in enumerate(crash1[:3]):
        sid = tasks.stream(k, c - 1)
        book.add(grp, sid, c, "<--- Last few GCs --->\n\n"
                 f"[1:0x6b3c2a0] {int((c - s0) * 1000)} ms: Mark-Compact 1521.{rng.randint(0, 9)} (1545.8) -> 1519.{rng.randint(0, 9)} (1546.1) MB, {rng.uniform(1500, 2100):.2f} / 0.00 ms  (average mu = 0.112, current mu = 0.031) allocation failure; scavenge might not succeed\n\n\n"
                 "<--- JS stacktrace --->\n\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\n"
                 " 1: 0xb8d0a3 node::Abort() [node]\n 2: 0xa9c7f5  [node]\n 3: 0xd6f5b0 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]\n"
                 " 4: 0xd6f957 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]")
        new = tasks.replace(k, c + 70)
        book.add(grp, new, c + 71, pino(c + 71, 30, "ws-gateway listening", port=8080, version="4.12.1", node="v20.18.0"))
        book.add(grp, new, c + 71 + rng.uniform(300, 700), "(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 presence listeners added to [EventEmitter]. "
                 "Use emitter.setMaxListeners() to increase limit\n(Use `node --trace-warnings ...` to show where the warning was created)")
    for k in range(4):
        for t in every(-43200, -5, 300, 0.02, rng):
            m = per_task(k, t)
            sid = tasks.stream(k, t)
            if m is None or sid is None:
                continue
            heap = m / 100 * 2048 * 0.86
            alive = t - (crash1[k] + 70 if t > crash1[k] else s0)
            book.add(grp, sid, t, pino(t, 30, "runtime stats", heapUsedMB=int(heap), rssMB=int(m / 100 * 2048), connections=int(5100 * day(ctx, t, 20, 0.3) * rng.uniform(0.95, 1.05)),
                                       presenceListeners=int(alive * 1.9 + rng.randint(0, 200)), eventLoopLagMs=round(rng.uniform(2, 9) + max(0, m - 70) * 0.8, 1)))
    for t in every(-10800, -5, 4.0, 0.8, rng):
        k, sid = tasks.pick(t)
        if per_task(k, t) is None:
            continue
        if rng.random() < 0.03:
            book.add(grp, sid, t, pino(t, 40, "client sent malformed frame; closing", code=1007, room=f"doc:{ctx.hexid(8)}"))
        else:
            book.add(grp, sid, t, pino(t, 30, rng.choice(["client connected", "client disconnected"]), room=f"doc:{ctx.hexid(8)}", user=f"u_{rng.randint(10**5, 10**6)}"))

    resources = [
        {"type": "alb", "id": alb_id, "properties": {"name": "ws-gateway", "targets": [svc]}},
        {"type": "ecs", "id": svc, "properties": {"log_groups": [grp], "desired_count": 4, "load_balancer": alb_id, "task_memory_mib": 2048,
                                                  "image": "ws-gateway:4.12.1", "environment": {"NODE_OPTIONS": "--max-old-space-size=1536"}}},
        {"type": "ecs", "id": "realtime/presence-api", "properties": {"desired_count": 2}},
    ]
    changes = ecs_deploy(-5400, "realtime/presence-api")
    ecsd = {"ClusterName": "realtime", "ServiceName": "ws-gateway"}
    alarms = [alarm("ws-gateway-memory-high", "AWS/ECS", "MemoryUtilization", ecsd, "Maximum", 300, 3, 85, "ALARM", over[0],
                    desc="ws-gateway task memory (max across tasks)"),
              alarm("ws-gateway-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": alb_id}, "Sum", 60, 2, 30, "OK", -200),
              alarm("presence-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "realtime", "ServiceName": "presence-api"}, "Average", 300, 3, 80, "OK", -800000)]
    expect = {"alarm": "ws-gateway-memory-high", "root_cause": {"category": "memory_exhaustion", "resource": [svc, "ws-gateway"]},
              "anomalies": [anomaly("AWS/ECS", "MemoryUtilization", ecsd)]}
    doc = scenario("h22-11-ws-gateway-heap-leak", "ws-gateway memory alarm; collaborative editors report dropped live sessions.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "origin (ECS memory)", "decoys": [
        "presence-api ECS deploy 90 min ago", "brief ELB 5XX spikes at each task crash (alarm back to OK)", "steady malformed-frame WARNs",
        "CPU rising with GC pressure"]}


# ------------------------------------------------------------------------------------------------
def s12(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T02:40:00", "eu-west-2", "271828182845")
    rng, ts, job = ctx.rng, grid(), -2400  # 02:00 UTC cron
    fn, db, batch = "invoice-api", "shared-mysql", ("i-0e1f2a3b4c5d6e7f8", "batch-cron-1")
    host = "shared-mysql.cq81fz0ab3xy.eu-west-2.rds.amazonaws.com"
    hot = [sig(t, job + 40, 80) for t in ts]
    inv = values(ctx, ts, lambda t: 34 * day(ctx, t, 14, 0.45), count=True)
    tmo = [float(int(i * 0.12 * h)) for i, h in zip(inv, hot)]
    dberr = [float(int(i * 0.33 * h)) for i, h in zip(inv, hot)]
    err = [a + b for a, b in zip(tmo, dberr)]
    dur = [round((120 * (1 - h) + h * (0.12 * 10000 + 0.33 * 8050 + 0.55 * rng.uniform(2500, 5200))) * rng.uniform(0.92, 1.08), 1) for h in hot]
    metrics = lambda_metrics(fn, ts, inv, err, [0.0] * len(ts), dur, [float(max(1, int(i * d / 60000 + rng.uniform(0.5, 2)))) for i, d in zip(inv, dur)])
    pdf = values(ctx, ts, lambda t: 1.5, count=True)
    metrics += lambda_metrics("invoice-pdf", ts, pdf, [0.0] * len(ts), [0.0] * len(ts), values(ctx, ts, lambda t: 2100.0 if t < -3000 else 1900.0, 0.1), [min(1.0, p) for p in pdf])
    metrics += rds_metrics(db, ts, values(ctx, ts, lambda t: 18 + 81 * sig(t, job + 40, 80), 0.015, hi=100), values(ctx, ts, lambda t: 61 + 8 * sig(t, job, 30) + 20 * sig(t, job + 120, 200), 0.05, nd=0),
                           values(ctx, ts, lambda t: 388e9 - (t + 21600) * 1.1e4, 0.0001, nd=0), values(ctx, ts, lambda t: 21e9 - 2.5e9 * sig(t, job, 200), 0.01, nd=0),
                           values(ctx, ts, lambda t: 0.0006 + 0.0026 * sig(t, job + 40, 80), 0.1, nd=5), values(ctx, ts, lambda t: 0.0011 + 0.0009 * sig(t, job + 40, 80), 0.1, nd=5))
    dbd = {"DBInstanceIdentifier": db}
    metrics.append(metric("AWS/RDS", "ReadIOPS", dbd, "Count/Second", ts, values(ctx, ts, lambda t: 420 + 5600 * sig(t, job + 40, 80), 0.08)))
    metrics += ec2_metrics(batch[0], ts, values(ctx, ts, lambda t: 3 + 14 * (1 if t >= job else 0) + (9 if -6000 <= t < -5950 else 0), 0.1),
                           values(ctx, ts, lambda t: 31 + 9 * (1 if t >= job else 0), 0.02), values(ctx, ts, lambda t: 52.0, 0.002))
    dlq = {"QueueName": "invoice-events-dlq"}
    metrics.append(metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Count", ts, [3.0] * len(ts)))

    book = LogBook()

    def invoke(t0, rid, cold, kind):
        inv_id = f"inv_{rng.randint(10**7, 10**8)}"
        lines = []
        if cold:
            lines.append(py_line(ctx, t0 + 0.001, "INFO", rid, f"Connecting to {host}:3306 db=billing read_timeout=8"))
        if kind == "timeout":
            lines.append(py_line(ctx, t0 + 0.003, "INFO", rid, f"GET /invoices/{inv_id}"))
            return {"lines": lines, "dur": 0.0, "mem": rng.randint(96, 104), "status": "timeout"}
        if kind == "db":
            t = t0 + 8.04
            lines.append((t, "[ERROR] OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')\nTraceback (most recent call last):\n"
                          '  File "/var/task/invoices/handler.py", line 36, in handler\n    row = repo.get_invoice(invoice_id)\n'
                          '  File "/var/task/invoices/repo.py", line 22, in get_invoice\n    cur.execute(SQL_GET_INVOICE, (invoice_id,))\n'
                          '  File "/var/task/pymysql/cursors.py", line 153, in execute\n    result = self._query(query)\n'
                          '  File "/var/task/pymysql/connections.py", line 759, in _read_bytes\n    raise err.OperationalError(')) 
            return {"lines": lines, "dur": 8050.0 + rng.uniform(0, 40), "mem": rng.randint(96, 104)}
        d = rng.gauss(120, 25) if t0 < job + 40 else rng.uniform(2500, 5200)
        if rng.random() < 0.03:
            lines.append(py_line(ctx, t0 + 0.01, "WARNING", rid, "currency rate for XOF missing; defaulting to 1.0"))
        lines.append(py_line(ctx, t0 + d / 1000 - 0.002, "INFO", rid, f"GET /invoices/{inv_id} 200 ({int(d - 8)} ms)"))
        return {"lines": lines, "dur": d, "mem": rng.randint(96, 104)}
    ok = [i - e for i, e in zip(inv, err)]
    LambdaSim(ctx, 512, 10, invoke).run(book, f"/aws/lambda/{fn}", plan_from(ts, {"ok": ok, "timeout": tmo, "db": dberr}, -10800))
    LambdaSim(ctx, 1024, 60, lambda t0, rid, cold, kind: {"lines": [py_line(ctx, t0 + 0.01, "INFO", rid, f"Rendered invoice pdf inv_{rng.randint(10**7, 10**8)}")],
                                                          "dur": rng.uniform(1700, 2300), "mem": rng.randint(200, 240)},
              version=lambda t: "31" if t < -3000 else "32").run(book, "/aws/lambda/invoice-pdf", plan_from(ts, {"ok": pdf}, -10800))

    sq = "/aws/rds/instance/shared-mysql/slowquery"
    def slow(t, user, ip, qt, rows, sql, sent=None):
        book.add(sq, db, t, f"# Time: {ctx.iso_us(t)}\n# User@Host: {user}[{user}] @  [{ip}]  Id: {rng.randint(40000, 90000)}\n"
                 f"# Query_time: {qt:.6f}  Lock_time: 0.000{rng.randint(100, 999)} Rows_sent: {sent if sent is not None else rng.randint(1, 50)}  Rows_examined: {rows}\n"
                 f"SET timestamp={ctx.epoch(t)};\n{sql}")
    for t in every(-21600, -5, 900, 0.2, rng):
        slow(t, "reporting", "10.0.7.12", rng.uniform(2.1, 3.4), rng.randint(400000, 900000), "SELECT plan_id, COUNT(*) FROM subscriptions WHERE status = 'active' GROUP BY plan_id;")
    for c in range(1, 10):
        t = job + 20 + c * rng.uniform(230, 260)
        if t < -5:
            slow(t, "rollup", "10.0.3.17", rng.uniform(210, 300), rng.randint(900000, 1100000),
                 f"INSERT INTO ledger_rollup_monthly (account_id, period, debit_total, credit_total) SELECT account_id, '2026-11', SUM(debit), SUM(credit) "
                 f"FROM ledger_entries PARTITION (p2026_11) WHERE chunk_id = {c} GROUP BY account_id ON DUPLICATE KEY UPDATE debit_total = VALUES(debit_total), credit_total = VALUES(credit_total);", sent=0)
    for t in every(job + 60, -5, 6, 0.7, rng):
        slow(t, "invoices", f"10.0.{rng.randint(8, 11)}.{rng.randint(2, 250)}", rng.uniform(2.2, 7.9), 1, "SELECT * FROM invoices WHERE invoice_id = '" + f"inv_{rng.randint(10**7, 10**8)}" + "' LIMIT 1;", sent=1)
    cg, cs = "/var/log/batch/cron", batch[0]
    for h in range(1, 6):
        tt = job - 3600 * h + 1
        book.add(cg, cs, tt, f"{ctx.syslog(tt)} {batch[1]} CRON[{rng.randint(10000, 30000)}]: (batch) CMD (/opt/jobs/bin/ledger-rollup --mode=auto >> /var/log/batch/ledger-rollup.log 2>&1)")
        pid, took = rng.randint(10000, 30000), rng.randint(25, 48)
        book.add(cg, cs, tt + 1, f"{ctx.syslog(tt + 1)} {batch[1]} ledger-rollup[{pid}]: mode=incremental since={ctx.at(tt - 3600).strftime('%H:%M')} rows={rng.randint(8000, 30000)}")
        book.add(cg, cs, tt + 1 + took, f"{ctx.syslog(tt + 1 + took)} {batch[1]} ledger-rollup[{pid}]: done in {took}s")
    book.add(cg, cs, job + 1, f"{ctx.syslog(job + 1)} {batch[1]} CRON[21877]: (batch) CMD (/opt/jobs/bin/ledger-rollup --mode=auto >> /var/log/batch/ledger-rollup.log 2>&1)")
    book.add(cg, cs, job + 2, f"{ctx.syslog(job + 2)} {batch[1]} ledger-rollup[21879]: billing cycle close detected (day 20): mode=full partitions=p2026_11 chunks=48 workers=8")
    for c in range(1, 10):
        t = job + 20 + c * 245
        if t < -5:
            book.add(cg, cs, t, f"{ctx.syslog(t)} {batch[1]} ledger-rollup[21879]: chunk {c}/48 rows={rng.randint(900000, 1100000)} elapsed={int(t - job)}s")

    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512, "environment": {"DB_HOST": host, "DB_NAME": "billing"}}},
        {"type": "lambda", "id": "invoice-pdf", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 1024}},
        {"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.xlarge", "max_connections": 1000,
                                                 "allocated_storage_gb": 400, "endpoint": host}},
        {"type": "ec2", "id": batch[0], "properties": {"name": batch[1], "instance_type": "t3.large", "log_groups": [cg]}},
    ]
    changes = lambda_deploy(-3000, "invoice-pdf")
    alarms = [alarm("invoice-api-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3, "ALARM", job + 260, desc="invoice API errors"),
              alarm("invoice-events-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Maximum", 300, 1, 0, "ALARM", -90000),
              alarm("batch-cron-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": batch[0]}, "Average", 300, 3, 90, "OK", -900000)]
    expect = {"alarm": "invoice-api-errors", "root_cause": {"category": "cpu_saturation", "resource": [db]},
              "anomalies": [anomaly("AWS/RDS", "CPUUtilization", dbd), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})]}
    doc = scenario("h22-12-shared-mysql-batch-saturation", "invoice API errors overnight; partner billing portal timing out.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (API Lambda); origin is the shared database", "decoys": [
        "invoice-pdf deploy 10 min before onset", "DLQ alarm in ALARM for a day with 3 old messages", "hourly incremental rollups earlier in the night",
        "pre-existing slow reporting query every 15 min", "steady XOF-rate WARNINGs"]}
