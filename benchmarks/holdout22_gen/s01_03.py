"""Scenarios 01-03: expired internal TLS certificate, DNS record change, retry storm on MySQL."""
from __future__ import annotations

import json

from .common import (Ctx, LogBook, alarm, anomaly, change, day, ecs_deploy, every, grid, lambda_deploy, lambda_metrics,
                     metric, node_line, py_line, ramp, scenario, sig, values)
from .sim import LambdaSim, Tasks, plan_from



# ------------------------------------------------------------------------------------------------
def s01(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T14:00:00", "eu-west-1", "481726390514")
    rng, ts, onset = ctx.rng, grid(), -2400
    alb_id, host = "app/ledger-internal/7f3c9a1e2b4d6085", "ledger.internal.acme-pay.net"
    base = [5.0 * day(ctx, t, 14, 0.3) for t in ts]
    inv = [float(int(round(b * (1.0 + 0.6 * sig(t, onset + 90, 120)) * rng.uniform(0.8, 1.2)))) for t, b in zip(ts, base)]
    err = [v if t >= onset else 0.0 for t, v in zip(ts, inv)]
    dur = values(ctx, ts, lambda t: 430.0 if t < onset else 2060.0, 0.08)
    conc = [float(max(1, round(i * d / 60000.0 + rng.uniform(0.4, 1.4)))) for i, d in zip(inv, dur)]
    other = values(ctx, ts, lambda t: 19.0 * day(ctx, t, 14, 0.3), count=True)
    req = [float(i + o) if t < onset else None for t, i, o in zip(ts, inv, other)]
    tls = [0.0 if t < onset else float(int(i * 4 + o * 3)) for t, i, o in zip(ts, inv, other)]
    trt = [round(rng.uniform(0.16, 0.24), 3) if t < onset else None for t in ts]
    fx_inv = [1.0 if (t // 60) % 5 == 0 else 0.0 for t in ts]
    metrics = lambda_metrics("payout-dispatcher", ts, inv, err, [0.0] * len(ts), dur, conc)
    metrics += lambda_metrics("fx-rates-refresh", ts, fx_inv, [0.0] * len(ts), [0.0] * len(ts),
                              [round(rng.uniform(1500, 2100), 1) if f else None for f in fx_inv], fx_inv)
    lb = {"LoadBalancer": alb_id}
    metrics += [metric("AWS/ApplicationELB", "RequestCount", lb, "Count", ts, req),
                metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", ts, trt),
                metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", ts,
                       [float(rng.random() < 0.03) for _ in ts]),
                metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ts, [0.0] * len(ts)),
                metric("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", lb, "Count", ts, tls),
                metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", ts, [3.0] * len(ts)),
                metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", ts, [0.0] * len(ts))]
    ecs = {"ClusterName": "ledger", "ServiceName": "ledger-api"}
    metrics += [metric("AWS/ECS", "CPUUtilization", ecs, "Percent", ts,
                       values(ctx, ts, lambda t: 14.0 * day(ctx, t, 14, 0.3) if t < onset else 4.5, 0.1)),
                metric("AWS/ECS", "MemoryUtilization", ecs, "Percent", ts,
                       values(ctx, ts, lambda t: 46.0 if t < -7400 else 44.0, 0.02))]

    book = LogBook()
    grp = "/aws/lambda/payout-dispatcher"
    ssl_err = ("SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
               "certificate has expired (_ssl.c:1000)'))")

    def invoke(t0, rid, cold, kind):
        po, amt = f"po_{rng.randint(10**7, 10**8 - 1)}", rng.uniform(40, 9000)
        rc = 1 if kind == "ok" else rng.choice([1, 1, 2, 3, 4])
        lines = []
        if cold:
            lines.append(py_line(ctx, t0 + 0.001, "INFO", rid, f"Ledger client initialised base_url=https://{host}/v2 timeout=(3.05, 15) retries=3"))
        lines.append(py_line(ctx, t0 + 0.004, "INFO", rid, f"Received payout {po} merchant=m_{rng.randint(1000, 9999)} "
                                                           f"amount={amt:.2f} EUR receive_count={rc}"))
        if rng.random() < 0.03:
            lines.append(py_line(ctx, t0 + 0.02, "WARNING", rid, f"Beneficiary name match score 0.{rng.randint(55, 79)} for {po}; "
                                                                 "flagged for manual review (payout continues)"))
        if kind == "ok":
            d = rng.gauss(430, 60)
            lines.append(py_line(ctx, t0 + d / 1000 - 0.01, "INFO", rid, f"Ledger posting created posting_id=lp_{ctx.hexid(12)} "
                                                                         f"status=201 elapsed_ms={int(d - 25)}"))
            return {"lines": lines, "dur": d, "mem": rng.randint(116, 124)}
        t = t0 + 0.05
        for total, back in ((2, 0.0), (1, 0.6), (0, 1.2)):
            t += back + 0.03
            lines.append(py_line(ctx, t, "WARNING", rid, f"Retrying (Retry(total={total}, connect=None, read=None, redirect=None, "
                                                         f"status=None)) after connection broken by '{ssl_err}': /v2/postings"))
        t += 0.05
        msg = (f"[ERROR] SSLError: HTTPSConnectionPool(host='{host}', port=443): Max retries exceeded with url: /v2/postings "
               f"(Caused by {ssl_err})\nTraceback (most recent call last):\n"
               '  File "/var/task/handler.py", line 57, in lambda_handler\n    posting = ledger.create_posting(payout)\n'
               '  File "/var/task/payouts/ledger.py", line 88, in create_posting\n'
               '    resp = self.session.post(f"{self.base_url}/postings", json=body, timeout=self.timeout)\n'
               '  File "/var/task/requests/sessions.py", line 637, in post\n'
               '    return self.request("POST", url, data=data, json=json, **kwargs)\n'
               '  File "/var/task/requests/sessions.py", line 589, in request\n    resp = self.send(prep, **send_kwargs)\n'
               '  File "/var/task/requests/sessions.py", line 703, in send\n    r = adapter.send(request, **kwargs)\n'
               '  File "/var/task/requests/adapters.py", line 698, in send\n    raise SSLError(e, request=request)')
        lines.append((t, msg))
        return {"lines": lines, "dur": (t - t0) * 1000 + 3, "mem": rng.randint(117, 125)}

    sim = LambdaSim(ctx, 512, 60, invoke)
    sim.run(book, grp, plan_from(ts, {"ok": [i - e for i, e in zip(inv, err)], "err": err}, -9000))

    tasks = Tasks(ctx, "ecs/ledger-api", 3, -30000)
    tasks.replace_all(-7360, -7100)
    for i in range(3):
        t = -7360 + (i + 0.5) * 260 / 3
        sid = tasks.stream(i, t + 0.01)
        book.add("/ecs/ledger-api", sid, t, json.dumps({"level": "info", "ts": ctx.iso(t), "msg": "starting ledger-api", "version": "1.42.0", "listen": ":8080"}))
        book.add("/ecs/ledger-api", sid, t + 1.2, json.dumps({"level": "info", "ts": ctx.iso(t + 1.2), "msg": "connected to postgres", "host": "ledger-pg.cluster-c7hx2k.eu-west-1.rds.amazonaws.com", "pool_max": 20}))
    for t in every(-10800, -5, 6.0, 0.6, rng):
        slot, sid = tasks.pick(t)
        if t < onset:
            rec = {"level": "info", "ts": ctx.iso(t), "msg": "posting created", "posting_id": f"lp_{ctx.hexid(12)}",
                   "currency": "EUR", "latency_ms": rng.randint(14, 90)}
        elif rng.random() < 0.1:
            rec = {"level": "info", "ts": ctx.iso(t), "msg": "reconciler cycle complete", "pending": 0, "matched": 0}
        else:
            continue
        book.add("/ecs/ledger-api", sid, t, json.dumps(rec))

    fx = LambdaSim(ctx, 256, 30, lambda t0, rid, cold, kind: {
        "lines": [py_line(ctx, t0 + 0.01, "INFO", rid, "Fetching ECB reference rates"),
                  py_line(ctx, t0 + 1.7, "INFO", rid, f"Stored {rng.randint(30, 32)} rates as of {ctx.at(t0).date()}")],
        "dur": rng.uniform(1600, 2100), "mem": rng.randint(88, 95)})
    fx.run(book, "/aws/lambda/fx-rates-refresh", plan_from(ts, {"ok": fx_inv}, -10800))

    resources = [
        {"type": "lambda", "id": "payout-dispatcher", "properties": {
            "runtime": "python3.12", "timeout": 60, "memory_size": 512, "role": "payout-dispatcher-role",
            "environment": {"LEDGER_URL": f"https://{host}/v2", "LOG_LEVEL": "INFO", "QUEUE": "payouts-approved"}}},
        {"type": "alb", "id": alb_id, "properties": {
            "name": "ledger-internal", "scheme": "internal", "targets": ["ledger/ledger-api"],
            "listeners": ["HTTPS:443"], "certificate_arn": f"arn:aws:acm:eu-west-1:{ctx.account}:certificate/5d2f0b7e-91a3-4c4e-8f0d-2b6a9e1c7d43",
            "certificate_type": "IMPORTED", "dns_name": host}},
        {"type": "ecs", "id": "ledger/ledger-api", "properties": {"log_groups": ["/ecs/ledger-api"], "desired_count": 3,
                                                                 "load_balancer": alb_id}},
        {"type": "lambda", "id": "fx-rates-refresh", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256,
                                                                    "role": "fx-rates-refresh-role"}},
    ]
    changes = ecs_deploy(-7400, "ledger/ledger-api") + [
        change(-15800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "fx-rates-refresh", "a.kowalski"),
        change(-5100, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "fx-rates-refresh-role", "a.kowalski")]
    alarms = [alarm("payout-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "payout-dispatcher"}, "Sum", 60, 3, 5,
                    "ALARM", onset + 180, desc="Payout dispatcher Lambda errors"),
              alarm("ledger-internal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 3, 10,
                    "OK", -86000),
              alarm("fx-rates-refresh-errors", "AWS/Lambda", "Errors", {"FunctionName": "fx-rates-refresh"}, "Sum", 300, 1, 0,
                    "OK", -250000)]
    expect = {"alarm": "payout-dispatcher-errors",
              "root_cause": {"category": "dependency_failure", "resource": [alb_id, "ledger-internal", "ledger/ledger-api", "ledger-api", host]},
              "anomalies": [anomaly("AWS/Lambda", "Errors", {"FunctionName": "payout-dispatcher"}),
                            anomaly("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", lb)]}
    doc = scenario("h22-01-payouts-ledger-cert-expired", "Payout dispatcher errors alarm; merchants' payouts are not being posted.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (caller Lambda)", "decoys": [
        "ledger-api ECS deploy ~80 min before onset (healthy afterwards)", "fx-rates-refresh config + IAM role policy changes",
        "steady pre-existing beneficiary-match WARNINGs", "OK alarms on ledger 5xx and fx-rates-refresh"]}


# ------------------------------------------------------------------------------------------------
def s02(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T16:30:00", "us-east-1", "902318475566")
    rng, ts, chg = ctx.rng, grid(), -1800
    alb_id, zone, record = "app/search-public/3e5d7c9a1b2f4d60", "Z0871234ABCDEF1GHIJKL", "es.search.internal.example.net"
    inst = [("i-0a4f1c2b3d5e6f708", "search-api-1"), ("i-0b5e2d3c4f6a7b819", "search-api-2")]
    batch = ("i-0c6f3e4d5a7b8c920", "reindex-batch-1")
    frac = [ramp(t, chg + 20, chg + 110, 0.0, 1.0) for t in ts]  # share of resolvers that picked up the new record
    req = values(ctx, ts, lambda t: 820.0 * day(ctx, t, 17, 0.2), count=True)
    t5 = [float(int(r * 0.88 * f + (rng.random() < 0.2))) for r, f in zip(req, frac)]
    trt = [round((0.062 * (1 - f) + f * (0.12 * 0.02 + 0.88 * 0.004)) * rng.uniform(0.9, 1.1), 4) for f in frac]
    lb = {"LoadBalancer": alb_id}
    metrics = [metric("AWS/ApplicationELB", "RequestCount", lb, "Count", ts, req),
               metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", ts, trt),
               metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", ts, t5),
               metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", ts, [0.0] * len(ts)),
               metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", ts, [2.0] * len(ts)),
               metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", ts, [0.0] * len(ts))]
    for iid, _ in inst:
        d = {"InstanceId": iid}
        metrics += [metric("AWS/EC2", "CPUUtilization", d, "Percent", ts, values(ctx, ts, lambda t: 34 * day(ctx, t, 17, 0.2) * (1 - 0.62 * sig(t, chg + 60, 60)), 0.06)),
                    metric("AWS/EC2", "NetworkIn", d, "Bytes", ts, values(ctx, ts, lambda t: 5.2e6 * day(ctx, t, 17, 0.2) * (1 - 0.5 * sig(t, chg + 60, 60)), 0.08, nd=0)),
                    metric("AWS/EC2", "StatusCheckFailed", d, "Count", ts, [0.0] * len(ts)),
                    metric("CWAgent", "mem_used_percent", d, "Percent", ts, values(ctx, ts, lambda t: 48.0, 0.01)),
                    metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent", ts, values(ctx, ts, lambda t: 37.0, 0.003))]
    d = {"InstanceId": batch[0]}
    metrics += [metric("AWS/EC2", "CPUUtilization", d, "Percent", ts, values(ctx, ts, lambda t: 92.0 if -12600 <= t < -10500 else 6.0, 0.08, hi=100)),
                metric("AWS/EC2", "StatusCheckFailed", d, "Count", ts, [0.0] * len(ts)),
                metric("CWAgent", "mem_used_percent", d, "Percent", ts, values(ctx, ts, lambda t: 71.0 if -12600 <= t < -10500 else 22.0, 0.03))]
    es = {"DomainName": "products-search", "ClientId": ctx.account}
    metrics += [metric("AWS/ES", "SearchRate", es, "Count", ts, [round(r * 0.88 * (1 - f) / 60.0 * 0.5, 2) for r, f in zip(req, frac)]),
                metric("AWS/ES", "ClusterStatus.green", es, "Count", ts, [1.0] * len(ts)),
                metric("AWS/ES", "CPUUtilization", es, "Percent", ts, values(ctx, ts, lambda t: 31 * day(ctx, t, 17, 0.2) if t < chg + 60 else 4.0, 0.08))]

    book = LogBook()
    upstream_old, upstream_new = "10.0.22.41:9200", "10.0.40.17:9200"
    for k, (iid, name) in enumerate(inst):
        def z(t, level, msg, **kw):
            rec = {"level": level, "ts": ctx.iso(t), "caller": kw.pop("caller", "search/handler.go:118"), "msg": msg}
            rec.update(kw)
            book.add("/app/search-api", iid, t, json.dumps(rec))
        for t in every(-10800, -5, 60.0, 0.02, rng):
            i = int((t + 21600) // 60)
            f = frac[min(i, len(frac) - 1)]
            n = int(req[min(i, len(req) - 1)] / 2)
            z(t, "info", "window stats", caller="stats/window.go:52", requests=n, errors=int(n * 0.88 * f), p99_ms=int(rng.uniform(180, 260) if f < 0.5 else 9),
              es_upstream=upstream_old if f < 0.5 else upstream_new, cache_hit_ratio=round(rng.uniform(0.06, 0.09), 3))
        for t in every(-10800, -5, 8.0, 0.7, rng):
            if t < chg + 20 + 90 * rng.random():
                if rng.random() < 0.08:
                    z(t, "warn", "slow search", index="products-v7", took_ms=rng.randint(1100, 1900), q_len=rng.randint(3, 40))
                else:
                    z(t, "info", "search served", index="products-v7", took_ms=rng.randint(12, 140), hits=rng.randint(0, 400), upstream=upstream_old)
            else:
                z(t, "error", "search backend request failed", caller="search/client.go:88", index="products-v7", status=502,
                  error=f"Post \"http://{record}:9200/products-v7/_search\": dial tcp {upstream_new}: connect: connection refused")
        z(-10790 + k * 3, "info", "suggest cache refreshed", caller="suggest/cache.go:41", entries=rng.randint(180000, 190000))
    for t in every(-12700, -10400, 120, 0.2, rng):
        book.add("/app/reindex/jobs", batch[0], t, f"{ctx.syslog(t)} reindex-batch-1 reindexer[2281]: bulk batch indexed docs=5000 took={rng.randint(8, 15)}s")
    book.add("/app/reindex/jobs", batch[0], -10420, f"{ctx.syslog(-10420)} reindex-batch-1 reindexer[2281]: reindex products-v7 complete docs=4118230 elapsed=2171s")

    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "c6i.xlarge", "log_groups": ["/app/search-api"],
                                                          "app_config": {"ES_URL": f"http://{record}:9200", "LISTEN": ":8080"}}} for iid, name in inst]
    resources += [{"type": "ec2", "id": batch[0], "properties": {"name": batch[1], "instance_type": "r6i.large", "log_groups": ["/app/reindex/jobs"]}},
                  {"type": "alb", "id": alb_id, "properties": {"name": "search-public", "targets": [i for i, _ in inst]}}]
    changes = [change(chg, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::HostedZone", zone, "netops-terraform"),
               change(-9000, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", batch[0], "j.martin"),
               change(-4300, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0b1c2d3e4f5061728", "j.martin")]
    alarms = [alarm("search-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 60, 2, 50, "ALARM", chg + 180,
                    desc="search-public ALB target 5XX"),
              alarm("reindex-batch-1-cpu-high", "AWS/EC2", "CPUUtilization", d, "Average", 300, 3, 95, "OK", -10300)]
    expect = {"alarm": "search-public-target-5xx",
              "root_cause": {"category": "config_change", "resource": [zone, "search.internal.example.net", record]},
              "anomalies": [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb), anomaly("AWS/ES", "SearchRate", es)]}
    doc = scenario("h22-02-search-dns-record-change", "search-public 5XX alarm; product search returns errors on web and app.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (ALB); origin is a Route 53 record", "decoys": [
        "security-group ingress rule added ~40 min before onset", "reindex-batch-1 CPU spike 2.5-3 h and instance attribute change 2 h before onset",
        "steady pre-existing 'slow search' warnings", "OK CPU alarm on reindex-batch-1"]}


# ------------------------------------------------------------------------------------------------
def s03(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T11:00:00", "us-east-1", "330915724408")
    rng, ts = ctx.rng, grid()
    b0, b1 = -2400, -2280  # storage latency blip on the DB
    host = "quotes-mysql.c2x8kq1vzm4p.us-east-1.rds.amazonaws.com"
    blip = [b0 <= t < b1 for t in ts]
    storm = [sig(t, b1 + 60, 150) for t in ts]
    base = [10.0 * day(ctx, t, 15, 0.35) for t in ts]
    inv = [float(int(b * (1 + 3.2 * s) * rng.uniform(0.9, 1.1))) for b, s in zip(base, storm)]
    tmo = [float(int(inv[i] * 0.8 + 1)) if blip[i] else 0.0 for i in range(len(ts))]
    err = [float(int(inv[i] * 0.86 * storm[i])) + tmo[i] for i in range(len(ts))]
    err = [min(e, i) for e, i in zip(err, inv)]
    dur = [round(20000 * 0.8 + 260 * 0.2, 1) if bl else round((260 * (1 - s) + 1380 * s) * rng.uniform(0.93, 1.07), 1)
           for bl, s in zip(blip, storm)]
    conc = [float(int(31 * rng.uniform(0.9, 1.1))) if bl else float(int((3 + 9 * s) * rng.uniform(0.7, 1.2)) + 1) for bl, s in zip(blip, storm)]
    conns = [float(min(250, int((42 + 210 * sig(t, b0 + 160, 90)) * rng.uniform(0.95, 1.05)))) for t in ts]
    conns = [c if t < b0 + 300 else float(rng.randint(246, 250)) for t, c in zip(ts, conns)]
    metrics = lambda_metrics("quote-pricer", ts, inv, err, [0.0] * len(ts), dur, conc)
    db = {"DBInstanceIdentifier": "quotes-mysql"}
    metrics += [metric("AWS/RDS", "DatabaseConnections", db, "Count", ts, conns),
                metric("AWS/RDS", "CPUUtilization", db, "Percent", ts, values(ctx, ts, lambda t: 21 * day(ctx, t, 15, 0.3) + 14 * sig(t, b1, 120), 0.06)),
                metric("AWS/RDS", "ReadLatency", db, "Seconds", ts, [round(rng.uniform(0.3, 0.42), 4) if bl else round(rng.uniform(0.0007, 0.0012), 5) for bl in blip]),
                metric("AWS/RDS", "WriteLatency", db, "Seconds", ts, [round(rng.uniform(0.35, 0.5), 4) if bl else round(rng.uniform(0.0012, 0.0018), 5) for bl in blip]),
                metric("AWS/RDS", "FreeableMemory", db, "Bytes", ts, values(ctx, ts, lambda t: 5.1e9 - 0.55e9 * sig(t, b0 + 160, 90), 0.004, nd=0)),
                metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", ts, values(ctx, ts, lambda t: 151.2e9 - (t + 21600) * 2.0e3, 0.0002, nd=0))]
    q = {"QueueName": "quote-requests"}
    vis, age = [], []
    for t, b, s in zip(ts, base, storm):
        vis.append(float(rng.randint(0, 4)) if t < b1 else float(round(9.0 * (t - b1) / 60.0 * rng.uniform(0.9, 1.05))))
        age.append(float(rng.randint(2, 9)) if t < b0 else float(int(t - b0 + rng.randint(0, 20))))
    metrics += [metric("AWS/SQS", "NumberOfMessagesSent", q, "Count", ts, [float(int(b * rng.uniform(0.9, 1.1))) for b in base]),
                metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", ts, vis),
                metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds", ts, age)]
    ecs = {"ClusterName": "quotes", "ServiceName": "quote-api"}
    metrics += [metric("AWS/ECS", "CPUUtilization", ecs, "Percent", ts, values(ctx, ts, lambda t: 18 * day(ctx, t, 15, 0.3), 0.08)),
                metric("AWS/ECS", "MemoryUtilization", ecs, "Percent", ts, values(ctx, ts, lambda t: 41.0, 0.02))]
    pdf_inv = values(ctx, ts, lambda t: 2.0, count=True)
    metrics += lambda_metrics("quote-pdf-render", ts, pdf_inv, [0.0] * len(ts), [0.0] * len(ts),
                              values(ctx, ts, lambda t: 1450.0 if t > -9300 else 1610.0, 0.1), [min(p, 2.0) for p in pdf_inv])

    book = LogBook()

    def invoke(t0, rid, cold, kind):
        n = rng.randint(1, 5)
        rc = 1 if kind == "ok" or t0 < b0 + 60 else rng.choice([1, 2, 2, 3, 4, 5])
        lines = []
        if cold:
            lines.append(node_line(ctx, t0 + 0.002, "INFO", rid, f"mysql pool created host={host} connectionLimit=2 queueLimit=0"))
        lines.append(node_line(ctx, t0 + 0.004, "INFO", rid, f"processing batch size={n} receiveCount={rc}"))
        if kind == "timeout":
            return {"lines": lines, "dur": 0.0, "mem": rng.randint(141, 150), "status": "timeout"}
        if kind == "ok":
            if rng.random() < 0.03:
                lines.append(node_line(ctx, t0 + 0.01, "WARN", rid, f"rate card cache stale (age {rng.randint(900, 990)}s), refreshing from s3://quotes-config/ratecards/current.json"))
            d = rng.gauss(260, 45)
            prem = ",".join(f"{rng.uniform(12, 95):.2f}" for _ in range(n))
            lines.append(node_line(ctx, t0 + d / 1000 - 0.005, "INFO", rid, f"priced batch size={n} product=term-life premiums=[{prem}] db_ms={int(d * 0.3)}"))
            return {"lines": lines, "dur": d, "mem": rng.randint(139, 152)}
        t = t0 + 0.01
        for a in range(1, 5):
            t += 0.27
            if a in (1, 4):
                lines.append(node_line(ctx, t, "WARN", rid, f"db connect failed (attempt {a}/5): Too many connections; retrying in 250ms"))
        t += 0.28
        stack = ["Error: Too many connections", "    at Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:740:17)",
                 "    at ClientHandshake.execute (/var/task/node_modules/mysql2/lib/commands/command.js:29:26)",
                 "    at Connection.handlePacket (/var/task/node_modules/mysql2/lib/connection.js:481:34)",
                 "    at PacketParser.onPacket (/var/task/node_modules/mysql2/lib/connection.js:97:12)"]
        body = {"errorType": "Error", "errorMessage": "Too many connections", "code": "ER_CON_COUNT_ERROR", "errno": 1040,
                "sqlState": "08004", "sqlMessage": "Too many connections", "stack": stack}
        lines.append(node_line(ctx, t, "ERROR", rid, "Invoke Error \t" + json.dumps(body, separators=(",", ":"))))
        return {"lines": lines, "dur": (t - t0) * 1000 + 4, "mem": rng.randint(140, 151)}

    sim = LambdaSim(ctx, 1024, 20, invoke, init_ms=(210, 420))
    ok = [i - e for i, e in zip(inv, err)]
    sim.run(book, "/aws/lambda/quote-pricer", plan_from(ts, {"ok": ok, "timeout": tmo, "err": [e - x for e, x in zip(err, tmo)]}, -7200))

    eg, es = "/aws/rds/instance/quotes-mysql/error", "quotes-mysql"
    for t in every(-21600, -10, 700, 0.5, rng):
        book.add(eg, es, t, f"{ctx.iso_us(t)} {rng.randint(80000, 99999)} [Note] [MY-010914] [Server] Aborted connection {rng.randint(80000, 99999)} "
                            f"to db: 'quotes' user: 'reporting' host: '10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}' (Got an error reading communication packets).")
    for k, t in enumerate((b0 + 8, b0 + 49, b0 + 93)):
        book.add(eg, es, t, f"{ctx.iso_us(t)} 0 [Note] [MY-011953] [InnoDB] Page cleaner took {rng.randint(6000, 9800)}ms to flush {rng.randint(900, 2100)} and evict 0 pages")

    tasks = Tasks(ctx, "ecs/quote-api", 2, -40000)
    for t in every(-9000, -5, 7.0, 0.8, rng):
        _, sid = tasks.pick(t)
        st = sig(t, b1 + 60, 150)
        if rng.random() < 0.015 * st:
            book.add("/ecs/quote-api", sid, t, f"ERROR:    Exception in ASGI application\nTraceback (most recent call last):\n"
                     f"  File \"/app/quotes/db.py\", line 31, in session\n    conn = engine.connect()\n"
                     f"sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1040, 'Too many connections')\n"
                     f"(Background on this error at: https://sqlalche.me/e/20/e3q8)")
            book.add("/ecs/quote-api", sid, t + 0.002, f'INFO:     10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}:{rng.randint(30000, 60000)} - "GET /v1/quotes/q_{ctx.hexid(10)} HTTP/1.1" 500 Internal Server Error')
        else:
            book.add("/ecs/quote-api", sid, t, f'INFO:     10.0.{rng.randint(1, 9)}.{rng.randint(2, 250)}:{rng.randint(30000, 60000)} - "GET /v1/quotes/q_{ctx.hexid(10)} HTTP/1.1" 200 OK')

    pdf = LambdaSim(ctx, 2048, 60, lambda t0, rid, cold, kind: {
        "lines": [node_line(ctx, t0 + 0.01, "INFO", rid, f"rendering quote pdf q_{ctx.hexid(10)} pages={rng.randint(2, 6)}"),
                  node_line(ctx, t0 + 1.3, "INFO", rid, "uploaded to s3://quotes-documents/pdf/")],
        "dur": rng.uniform(1200, 1800), "mem": rng.randint(610, 680)}, version=lambda t: "11" if t < -9300 else "12")
    pdf.run(book, "/aws/lambda/quote-pdf-render", plan_from(ts, {"ok": pdf_inv}, -10800))

    resources = [
        {"type": "lambda", "id": "quote-pricer", "properties": {
            "runtime": "nodejs20.x", "timeout": 20, "memory_size": 1024,
            "environment": {"DB_HOST": host, "DB_NAME": "quotes", "DB_CONNECT_RETRIES": "5", "DB_RETRY_DELAY_MS": "250"},
            "event_source": "sqs:quote-requests (batch size 5, visibility timeout 30 s, maxReceiveCount 10)"}},
        {"type": "rds", "id": "quotes-mysql", "properties": {"engine": "mysql", "engine_version": "8.0.35", "instance_class": "db.r6g.large",
                                                             "max_connections": 250, "allocated_storage_gb": 200, "endpoint": host}},
        {"type": "ecs", "id": "quotes/quote-api", "properties": {"log_groups": ["/ecs/quote-api"], "desired_count": 2}},
        {"type": "lambda", "id": "quote-pdf-render", "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 2048}},
    ]
    changes = lambda_deploy(-9300, "quote-pdf-render") + [
        change(-14000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "quotes-mysql", "dba.k.lee")]
    alarms = [alarm("quote-pricer-errors", "AWS/Lambda", "Errors", {"FunctionName": "quote-pricer"}, "Sum", 60, 3, 10, "ALARM", b1 + 240,
                    desc="quote-pricer Lambda errors"),
              alarm("quote-requests-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 60, 5, 600, "ALARM", b0 + 900),
              alarm("quotes-mysql-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 2, 80, "OK", -180000)]
    expect = {"alarm": "quote-pricer-errors", "root_cause": {"category": "db_connection_exhaustion", "resource": ["quotes-mysql"]},
              "anomalies": [anomaly("AWS/RDS", "DatabaseConnections", db), anomaly("AWS/Lambda", "Errors", {"FunctionName": "quote-pricer"})]}
    doc = scenario("h22-03-quote-pricer-retry-storm", "quote-pricer errors alarm; quote requests backing up in the queue.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front (consumer Lambda)", "decoys": [
        "2-minute storage-latency blip on quotes-mysql that cleared (the trigger, not the ongoing fault)",
        "quote-pdf-render deploy 1 h 55 min before onset", "ModifyDBInstance on quotes-mysql ~3 h before onset",
        "steady pre-existing 'Aborted connection' notes and rate-card WARNs", "second alarm (SQS age) also in ALARM"]}
