"""h78-05 fare-rule upload function out of memory (eu-west-1); h78-06 PNR store disk full (us-west-2)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .kit import (H78, apigw_metrics, lambda_deploy, lambda_metrics, lambda_sample, rds_metrics, times)

PARTNERS = ["oceanic-ndc", "nordlys-air", "alpine-connect", "iberis-gds", "meridian-air"]


def build_05() -> H78:
    sc = H78(5, "fare-rule-upload-heap",
             "Partners report fare uploads rejected with 502; partner upload API 5XX alarm in ALARM.",
             "eu-west-1", 7805, "2026-09-09T13:30:00+00:00")
    T0 = -2460
    fn, api = "fare-rules-ingest", "partner-fare-upload"
    sc.resource("apigateway", api, stage="v1", api_id="p4f1m9zz02")
    sc.resource("lambda", fn, runtime="java17", timeout=60, memory_size=1024)
    sc.resource("lambda", fn, region="us-west-2", runtime="java17", timeout=60, memory_size=1024)
    sc.resource("lambda", "rules-index-notify", runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("rds", "farerules-aurora-eu", engine="aurora-postgresql", instance_class="db.r6g.xlarge",
                max_connections=2000)
    big = lambda t: 1.0 if t >= T0 else 0.0
    inv = lambda t: 42 * diurnal(sc, t, 13, 0.25)
    errs = lambda t: 0.15 + inv(t) * 0.3 * big(t)
    L = lambda_metrics(sc, fn, inv, errs, lambda t: 3100 + 4200 * big(t) * 0.3)
    apigw_metrics(sc, api, inv, lambda t: inv(t) * 0.04, errs, lambda t: 3150 + 4200 * big(t) * 0.3)
    lambda_metrics(sc, fn, lambda t: 18.0, lambda t: 0.05, lambda t: 2700.0, region="us-west-2")
    lambda_metrics(sc, "rules-index-notify", inv, lambda t: 0.05, lambda t: 140.0)
    rds_metrics(sc, "farerules-aurora-eu", lambda t: 22 + bump(t, -6900, -6300, 48), lambda t: 88.0,
                lambda t: 900.0, mem_gb=lambda t: 12.5)
    lambda_deploy(sc, -14100, fn)
    lambda_deploy(sc, T0 - 190, fn, region="us-west-2")
    sc.change(T0 - 80, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "rules-index-notify", "sofia.brennan")
    sc.change(-6950, "rds.amazonaws.com", "ModifyDBCluster", "AWS::RDS::DBCluster", "farerules-aurora-eu-cluster",
              "terraform-ci")
    ll = LambdaLogs(sc, fn, "java17", 1024, 60, mem_used=(560, 60), retire=(-14100,))

    def body(ll, t, rid, is_err, cold):
        p = "meridian-air" if is_err else sc.rng.choice(PARTNERS[:4] + (["meridian-air"] if t < T0 else []))
        recs = sc.rng.randint(176000, 192000) if is_err else sc.rng.randint(2500, 11000)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"c.t.rules.UploadHandler - received batch partner={p} "
                                             f"records={recs} gzipBytes={recs * 212}"))]
        if sc.rng.random() < 0.07:
            lines.append((0.4, ll.fmt(t, rid, "WARN", f"c.t.rules.RuleParser - skipped rule tariff=T{sc.rng.randint(100, 999)} "
                                                    "unknown category 31 (ignored)")))
        if is_err:
            dur = sc.rng.uniform(6000, 14000)
            if sc.rng.random() < 0.65:
                err = {"errorMessage": "Java heap space", "errorType": "java.lang.OutOfMemoryError",
                       "stackTrace": ["java.base/java.util.Arrays.copyOf(Unknown Source)",
                                      "java.base/java.util.ArrayList.grow(Unknown Source)",
                                      "com.travel.rules.RuleParser.parseAll(RuleParser.java:88)",
                                      "com.travel.rules.UploadHandler.handleRequest(UploadHandler.java:51)"]}
                lines.append((dur / 1000 - 0.01, ll.fmt(t, rid, "ERROR", "c.t.rules.UploadHandler - batch failed "
                                                                     f"partner={p}: java.lang.OutOfMemoryError: Java heap space")))
                lines.append((dur / 1000, json.dumps(err, separators=(",", ":"))))
                return {"lines": lines, "dur": dur, "mem": 1024}
            lines.append((dur / 1000, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            return {"lines": lines, "dur": dur, "mem": 1024, "status": "error", "error_type": "Runtime.ExitError"}
        dur = sc.rng.gauss(3100, 500)
        lines.append((dur / 1000, ll.fmt(t, rid, "INFO", f"c.t.rules.UploadHandler - stored {recs} rules partner={p} "
                                                         f"heapUsedMb={sc.rng.randint(380, 640)}")))
        return {"lines": lines, "dur": dur}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Partner fare upload failures")
    sc.alarm("rules-index-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": "rules-index-notify"}, "Sum",
             60, 3, 3, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="memory_exhaustion", front="front (API Gateway); origin is the upload function",
        runtime="Java 17 Lambda", services="API Gateway, Lambda, RDS (Aurora)",
        decoys="a deploy of the same-named function in us-west-2 3 min before onset; config change to "
               "rules-index-notify 80 s before; Aurora CPU bump after a cluster modify 75 min earlier; "
               "RuleParser WARNs all along",
        story="partner-fare-upload starts returning 502s 41 minutes ago. Every failing fare-rules-ingest "
              "invocation in eu-west-1 is a meridian-air batch of ~180k records (usual batches are 2.5-11k) that ends in "
              "`java.lang.OutOfMemoryError: Java heap space` or `Runtime exited with error: signal: killed`, "
              "with Max Memory Used 1024 MB of 1024 MB; other partners' batches still succeed using 380-640 MB of heap. "
              "The eu-west-1 function was last deployed four hours ago; the deploy just before onset is to its "
              "us-west-2 twin, which keeps running cleanly. rules-index-notify's config change has no errors after it.",
        judgement="The trigger is a partner's much larger batch, not a change in the account; the fault is the "
                  "function's memory limit being hit (heap OOM and sandbox kill at 1024 MB), so memory_exhaustion "
                  "rather than application_error or traffic_surge (request volume is unchanged).")
    return sc


def build_06() -> H78:
    sc = H78(6, "pnr-store-disk",
             "Booking confirmations failing to persist PNRs; pnr-writer Errors alarm paged.",
             "us-west-2", 7806, "2026-02-11T07:50:00+00:00")
    T0 = -1560
    db, fn = "pnrstore-w2", "pnr-writer"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                allocated_storage_gb=500, storage_autoscaling=False, max_connections=1000)
    sc.resource("rds", "loyalty-mysql-w2", engine="mysql", instance_class="db.t4g.large", allocated_storage_gb=200)
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=15, memory_size=512)
    sc.resource("lambda", "itinerary-mailer", runtime="ruby3.3", timeout=30, memory_size=256)
    free = lambda t: max(0.0, 13.9 - (t + 21600) * 13.9 / (21600 + T0) * 1.0)
    full = lambda t: ramp(t, T0 - 60, T0 + 60)
    inv = lambda t: 95 * diurnal(sc, t, 16, 0.35)
    L = lambda_metrics(sc, fn, inv, lambda t: 0.1 + inv(t) * 0.82 * full(t), lambda t: 180 + 120 * full(t))
    rds_metrics(sc, db, lambda t: 24 + bump(t, -16200, -15300, 25), lambda t: 64.0, free,
                wlat=lambda t: 0.0021 + 0.004 * full(t), max_conns=1000)
    rds_metrics(sc, "loyalty-mysql-w2", lambda t: 11.0, lambda t: 22.0, lambda t: 121.0)
    lambda_metrics(sc, "itinerary-mailer", lambda t: inv(t) * 0.2 * (1 - full(t)), lambda t: 0.05, lambda t: 640.0)
    lambda_deploy(sc, -13000, fn)
    lambda_deploy(sc, T0 - 330, "itinerary-mailer")
    sc.change(T0 - 120, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loyalty-mysql-w2",
              "dana.whitfield")
    sc.change(-16260, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup")
    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 15, mem_used=(118, 8), retire=(-13000,))

    def body(ll, t, rid, is_err, cold):
        loc = "".join(sc.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        lines = [(0.005, ll.fmt(t, rid, "INFO", f"persist pnr={loc} segments={sc.rng.randint(1, 6)} "
                                              f"source={sc.rng.choice(['web', 'app', 'agency'])}"))]
        if sc.rng.random() < 0.06:
            lines.append((0.03, ll.fmt(t, rid, "WARN", f"duplicate PNR {loc} ignored (idempotent retry)")))
        if is_err:
            msg = sc.rng.choice(["The table 'pnr_events' is full",
                                 "Error writing file '/rdsdbdata/tmp/MYfd=58' (OS errno 28 - No space left on device)"])
            lines.append((0.2, ll.fmt(t, rid, "ERROR", f"Mysql2::Error: {msg}")))
            err = {"errorMessage": msg, "errorType": "Function<Mysql2::Error>",
                   "stackTrace": ["/var/task/vendor/bundle/ruby/3.3.0/gems/mysql2-0.5.6/lib/mysql2/client.rb:151:in `_query'",
                                  "/var/task/vendor/bundle/ruby/3.3.0/gems/mysql2-0.5.6/lib/mysql2/client.rb:151:in `query'",
                                  "/var/task/lib/pnr_store.rb:42:in `insert_events'", "/var/task/handler.rb:18:in `call'"]}
            lines.append((0.21, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(220, 420)}
        d = sc.rng.gauss(180, 40)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"stored pnr={loc} events={sc.rng.randint(3, 14)} ms={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    g, s = f"/aws/rds/instance/{db}/error", db
    for t in range(-21540, 0, 1800):
        sc.log(g, s, t, mysql(sc, t, 0, "Note", "MY-010914", f"Aborted connection {sc.rng.randint(10 ** 5, 10 ** 6)} to db: "
                              "'pnr' user: 'pnr_app' host: '10.30.4.17' (Got timeout reading communication packets).",
                              "Server"))
    for t in times(sc, lambda m: 0.6 * full(m)):
        sc.log(g, s, t, mysql(sc, t, sc.rng.randint(40, 900), "ERROR", "MY-012130",
                              "Write to file ./pnr/pnr_events.ibd failed at offset 0, 1048576 bytes "
                              "should have been written, only 0 were written. Operating system error number 28.",
                              "InnoDB"))
    for t in range(T0 + 20, 0, 600):
        sc.log(g, s, t, mysql(sc, t, 0, "ERROR", "MY-000035", "Disk is full writing '/rdsdbdata/log/binlog/"
                              "mysql-bin-changelog.084512' (OS errno 28 - No space left on device). Waiting for "
                              "someone to free space... Retry in 60 secs. Message reprinted in 600 secs.", "Server"))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "PNR persistence failures")
    sc.alarm(f"{db}-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum",
             300, 1, 2 * 1024 ** 3, "LessThanThreshold", "Less than 2 GiB free")
    sc.alarm("loyalty-mysql-w2-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "loyalty-mysql-w2"},
             "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        category="storage_exhaustion", front="front (calling Lambda); origin is the MySQL instance",
        runtime="Ruby 3.3 Lambda; MySQL 8 error log", services="Lambda, RDS",
        decoys="itinerary-mailer deploy 5.5 min before onset; ModifyDBInstance on another DB 2 min before; "
               "duplicate-PNR WARNs all along; a free-storage alarm that went off 43 min before onset and was left alone",
        story="pnr-writer's Errors alarm fires 26 minutes ago: 82 % of invocations fail with `Mysql2::Error: The "
              "table 'pnr_events' is full` or `OS errno 28 - No space left on device`. FreeStorageSpace on "
              "pnrstore-w2 has fallen steadily for six hours from 13.9 GB to zero (no storage autoscaling), and the "
              "MySQL error log reports `Disk is full writing ... mysql-bin-changelog` and InnoDB `Operating system error number 28` from onset; the low-storage alarm on the DB had been in ALARM for 43 minutes before that. "
              "The itinerary-mailer deploy and the ModifyDBInstance on loyalty-mysql-w2 are close to onset "
              "but neither function nor DB shows a fault.")
    return sc


BUILDERS = [build_05, build_06]
