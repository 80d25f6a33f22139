"""h89-09 (drop-copy capture host's journal disk full, alarm on its ALB) and h89-10 (month-end
statement renderer running into its 30 s timeout on market-maker accounts)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .kit import (alb_id, alb_metrics, ec2_metrics, emit, every, golog, instance_id, lambda_metrics, new,
                  put, rds_metrics, sample_lambda, tg_id)


def build_09():
    sc = new(9, "dropcopy-5xx",
             "Drop-copy fill submissions failing intermittently; ALB target 5xx alarm.",
             "eu-west-1", "2026-03-20T16:50:00+00:00")
    a, b = instance_id(sc), instance_id(sc)
    lb, tg = alb_id(sc, "dropcopy-api"), tg_id(sc, "dc-capture-9090")
    for iid, name in ((a, "dc-capture-a"), (b, "dc-capture-b")):
        sc.resource("ec2", iid, name=name, instance_type="m7i.xlarge", data_volume_gb=500,
                    log_groups=["/trading/dropcopy/app", "/trading/dropcopy/access"])
    sc.resource("alb", lb, name="dropcopy-api", targets=[a, b])
    ON = -2300
    full = lambda t: ramp(t, ON, ON + 60)
    req = lambda t: 1750 + 250 * ramp(t, -7000, -6000)
    writes = 0.56
    alb_metrics(sc, lb, tg, req=req, t5=lambda t: 0.3 + req(t) / 2 * writes * 0.93 * full(t), e5=lambda t: 0.2,
                rt=lambda t: 0.009 - 0.003 * full(t), healthy=lambda t: 2, unhealthy=lambda t: 0)
    ec2_metrics(sc, a, cpu=lambda t: 23 - 5 * full(t), net_in=lambda t: 4.1e7, mem=lambda t: 48)
    ec2_metrics(sc, b, cpu=lambda t: 24 + bump(t, -4000, -3600, 38, 90), net_in=lambda t: 4.0e7, mem=lambda t: 47)
    for iid, used in ((a, lambda t: min(100.0, 79.4 + 20.6 * (t + 21600) / (21600 + ON))),
                      (b, lambda t: 61.2 + 0.6 * (t + 21600) / 21600)):
        put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/data", "device": "nvme1n1",
                                                 "fstype": "xfs"}, "Percent", used, noise=0.0008, cap=100.0)
        put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "device": "nvme0n1p1",
                                                 "fstype": "xfs"}, "Percent", lambda t: 41.3, noise=0.001)
    g, ga = "/trading/dropcopy/app", "/trading/dropcopy/access"
    seq = {a: 48_110_000, b: 48_090_000}
    for iid, sick in ((a, True), (b, False)):
        def batch(t, iid=iid, sick=sick):
            seq[iid] += sc.rng.randint(300, 700)
            if sick and t > ON:
                return golog(sc, t, "journal.go:97", "ERROR append segment 000481: write "
                                                     "/data/journal/seg-000481.log: no space left on device")
            return golog(sc, t, "capture.go:88", f"fills batch seq={seq[iid]} n={sc.rng.randint(300, 700)} "
                                                 f"fsync={sc.rng.randint(1, 6)}ms")
        every(sc, g, iid, 30, batch)
        emit(sc, g, iid, lambda t: 0.15, lambda t: golog(sc, t, "journal.go:140",
                                                         f"WARN fsync took {sc.rng.randint(180, 420)}ms"))
        if sick:
            every(sc, g, iid, 3600, lambda t: golog(sc, t, "pruner.go:52", "journal pruner: skipped, lock "
                                                                          "/data/journal/.prune.lock held by pid "
                                                                          "1187 (started 2026-03-19T02:00:00Z)"),
                  start=-12600 + 1290)
            emit(sc, g, iid, lambda t: 2.5, lambda t: golog(
                sc, t, "http.go:55", f"POST /v1/fills status=500 err=\"journal append: no space left on device\" "
                                     f"client={sc.rng.choice(['lp-citadel-01', 'mm-wint-03', 'ib-broker-7'])}"),
                 start=ON)
        else:
            every(sc, g, iid, 3600, lambda t: golog(sc, t, "pruner.go:71", f"journal pruner: removed "
                                                                          f"{sc.rng.randint(18, 24)} segments, freed "
                                                                          f"{sc.rng.uniform(9, 13):.1f}GiB"),
                  start=-12600 + 1290)

        def access(t, sick=sick):
            w = sc.rng.random() < writes
            st = 500 if (sick and w and t > ON and sc.rng.random() < 0.93) else (201 if w else 200)
            path = "/v1/fills" if w else f"/v1/fills?since={sc.rng.randint(10 ** 8, 10 ** 9)}"
            return nginx(sc, t, sc.ip("10.30"), "POST" if w else "GET", path, st, sc.rng.randint(80, 900),
                         sc.rng.uniform(0.002, 0.02), ua="dropcopy-client/2.3")
        emit(sc, ga, iid, lambda t: 3, access)
    sc.change(-2350, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              f"sg-0{sc.hexid(16)}", "netops")
    sc.alarm("dropcopy-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 30, "GreaterThanThreshold", "Drop-copy API target errors")
    sc.alarm("dc-capture-b-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "dropcopy-api-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [a, "dc-capture-a"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": a, "path": "/data", "device": "nvme1n1", "fstype": "xfs"}}]}
    sc.meta = {
        "front": "front (ALB)", "services": ["ec2", "alb"], "origin_type": "ec2",
        "decoys": "security-group ingress change 50 s before onset; dc-capture-b CPU spike (its alarm fired "
                  "and cleared) 28 min earlier; fsync-latency warnings on both hosts",
        "story": "dropcopy-api's target 5xx goes from ~0 to ~500 a minute. dc-capture-a's /data volume has "
                 "been filling all day (79 % six hours ago, 100 % at onset) because its hourly journal pruner "
                 "keeps skipping on a stale lock from yesterday, while dc-capture-b's pruner frees ~10 GiB an "
                 "hour. From onset dc-capture-a logs 'write /data/journal/seg-000481.log: no space left on "
                 "device' and its access log shows POST /v1/fills returning 500, while dc-capture-b serves "
                 "201s. The security-group change is minutes before onset but nothing network-related "
                 "fails; the fsync warnings are on both hosts all along.",
    }
    return sc


def build_10():
    sc = new(10, "statement-render-errors",
             "Month-end account statements not being produced; renderer Errors alarm.",
             "ap-southeast-1", "2026-03-31T16:20:00+00:00")
    fn = "stmt-render"
    sc.resource("lambda", fn, runtime="java17", timeout=30, memory_size=2048)
    sc.resource("rds", "rpt-replica-01", engine="postgres", instance_class="db.r6g.large", max_connections=800,
                replica_of="ldg-core-01")
    sc.resource("lambda", "stmt-mailer", runtime="python3.12", timeout=60, memory_size=256)
    ON = -2200
    heavy = lambda t: 0.38 * ramp(t, ON, ON + 120)
    inv, err = lambda_metrics(sc, fn, inv=lambda t: 22, err=lambda t: 22 * heavy(t),
                              dur=lambda t: 5200 * (1 - heavy(t)) + 30000 * heavy(t))
    lambda_metrics(sc, "stmt-mailer", inv=lambda t: 21 - 8 * heavy(t), err=lambda t: 0.0, dur=lambda t: 380)
    rds_metrics(sc, "rpt-replica-01", cpu=lambda t: 19 + bump(t, -2280, -1900, 36, 60), conns=lambda t: 61,
                free_gb=lambda t: 602, rlat=lambda t: 0.0012, wlat=lambda t: 0.0011, mem_gb=lambda t: 5.6)
    put(sc, "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "rpt-replica-01"}, "Seconds", lambda t: 0.4,
        noise=0.3, digits=2)
    L = "c.k.stmt.StatementHandler"

    def body(ll, t, reqid, is_err, cold):
        acct = sc.rng.randint(10_000_000, 99_999_999)
        if is_err:
            fills = sc.rng.randint(250_000, 620_000)
            pages = fills // 440
            lines = [(0.01, ll.fmt(t, reqid, "INFO", f"{L} - statement acct={acct} period=2026-03 start")),
                     (0.9, ll.fmt(t + 0.9, reqid, "INFO", f"{L} - loaded fills={fills} in {sc.rng.randint(700, 1100)}ms"))]
            for k, dt in enumerate((8, 16, 24)):
                lines.append((dt, ll.fmt(t + dt, reqid, "INFO", f"c.k.stmt.PdfRenderer - rendering page "
                                                                f"{(k + 1) * sc.rng.randint(90, 130)}/{pages}")))
            return {"lines": lines, "dur": 30000, "status": "timeout", "mem": sc.rng.randint(1010, 1240)}
        fills = sc.rng.randint(40, 9000)
        d = 600 + fills * 0.5 + sc.rng.gauss(2500, 700)
        lines = [(0.01, ll.fmt(t, reqid, "INFO", f"{L} - statement acct={acct} period=2026-03 start")),
                 (0.2, ll.fmt(t + 0.2, reqid, "INFO", f"{L} - loaded fills={fills} in {sc.rng.randint(40, 160)}ms"))]
        if sc.rng.random() < 0.2:
            lines.append((0.3, ll.fmt(t + 0.3, reqid, "WARN", "c.k.stmt.FontCache - font cache miss: "
                                                              "NotoSansCJK-Regular, loading from /opt/fonts")))
        lines.append((d / 1000 - 0.02, ll.fmt(t + d / 1000, reqid, "INFO",
                                              f"{L} - rendered {max(1, fills // 440)} pages, uploaded "
                                              f"s3://stmt-out/2026-03/{acct}.pdf")))
        return {"lines": lines, "dur": d, "mem": sc.rng.randint(380, 520)}

    ll = LambdaLogs(sc, fn, "java17", 2048, 30, prewarm=-12480, mem_used=(450, 40))
    sample_lambda(ll, inv, err, body, cap=3)
    sc.change(-2290, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "stmt-mailer-role", "terraform-ci")
    sc.change(-20100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-release")
    sc.alarm("stmt-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Statement renderer failures")
    sc.alarm("rpt-replica-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "rpt-replica-01"},
             "Average", 300, 1, 40, "GreaterThanThreshold")
    sc.expect = {"alarm": "stmt-render-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin", "services": ["lambda", "rds"], "origin_type": "lambda",
        "decoys": "IAM policy change on the mailer's role 90 s before onset; reporting replica CPU bump (with its "
                  "own alarm) at onset; font-cache warnings all along",
        "story": "stmt-render's Errors go from 0 to ~8 a minute on the month-end run. Invocations are flat, "
                 "but from onset about 40 % end with 'Task timed out after 30.00 seconds' and REPORT "
                 "'Status: timeout': those are market-maker accounts with 250k-620k fills, loaded from the "
                 "replica in under 1.1 s and then still rendering page ~300 of ~1,000 when the 30 s limit "
                 "hits. Memory stays near half of 2 GB, no dependency error is logged, and "
                 "rpt-replica-01's short CPU bump leaves its read latency and replica lag untouched. The IAM "
                 "change is to stmt-mailer's role, whose function keeps succeeding.",
        "judgement": "The replica's CPU bump coincides with onset, but the function's own log shows the "
                     "data loaded quickly and time spent rendering: function_timeout on stmt-render.",
    }
    return sc


BUILDERS = [build_09, build_10]
