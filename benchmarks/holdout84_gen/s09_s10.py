"""h84-09 (.NET packet renderer hits its 120 s timeout on litigation bulk exports) and h84-10
(claims database stuck in crash recovery after a Multi-AZ failover; the workflow's ALB 5XX)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from .kit import (H84, alb_set, anomaly, ecs_set, emit, every, expect, lambda_set, meta, minutes,
                  pick, rds_set)


def build_09() -> H84:
    sc = H84(9, "packet-render-errors", "Claim packet rendering failing for a share of requests; the "
             "Errors alarm on the render function fired.", "eu-north-1", 8409, "2026-03-25T07:45:00")
    fn, idx, db = "claim-packet-render", "claim-packet-index", "claims-docmeta"
    t0 = -2400
    sc.resource("lambda", fn, runtime="dotnet8", timeout=120, memory_size=3008)
    sc.resource("lambda", idx, runtime="dotnet8", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="postgres", instance_class="db.m6g.large", max_connections=800, allocated_storage_gb=300)
    big = lambda t: 0.45 * ramp(t, t0, t0 + 120)
    inv = lambda t: 5 * diurnal(sc, t, 9, 0.4)
    m = lambda_set(sc, fn, inv, lambda t: inv(t) * big(t) * 0.95, lambda t: 17500 + 102000 * big(t) * 0.95,
                   dur_cap=120000.0)
    x = lambda_set(sc, idx, lambda t: 3 * diurnal(sc, t, 9, 0.4), lambda t: 0.0, lambda t: 820.0)
    rds_set(sc, db, lambda t: 19 + bump(t, -11000, -9800, 64, 180) + 4 * big(t), lambda t: 48, lambda t: 188.0, lambda t: 3.9,
            read_lat=lambda t: 0.0011 + 0.004 * bump(t, -11000, -9800, 1, 180))
    sc.change(-2450, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", idx, "e.lindqvist")
    sc.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "azure-pipelines-docs")
    sc.change(-13895, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "azure-pipelines-docs")
    cat = "ClaimPackets.Render.PacketRenderer"

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        pkt, claim = f"PKT-{rng.randint(300000, 399999)}", f"CLM-{rng.randint(8800000, 8999999)}"
        if is_err:
            pages, kind, who = rng.randint(1500, 2600), "litigation", "legal-bulk-export"
        elif rng.random() < big(t) * 0.12:
            pages, kind, who = rng.randint(900, 1100), "litigation", "legal-bulk-export"
        else:
            pages, kind, who = rng.randint(20, 320), pick(sc, ["adjuster", "customer", "reinsurer"]), "claims-portal"
        rate = rng.uniform(13.5, 16.5)  # pages per second
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"{cat}[0] Rendering packet {pkt} for {claim} type={kind} requestedBy={who}")),
                 (0.25, ll.fmt(t + 0.25, rid, "INFO", f"ClaimPackets.Data.DocMetaRepository[0] Loaded {pages} page refs "
                                                       f"({pages // 4} documents) from {db} in {rng.randint(90, 260)} ms"))]
        if rng.random() < 0.3:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARN", "PdfSharpCore.Fonts[0] Font 'Arial Narrow' not found; "
                                      "substituting 'Liberation Sans Narrow'")))
        total = pages / rate + 0.8
        step = 30.0
        k = step
        while k < min(total, 119.0):
            lines.append((k, ll.fmt(t + k, rid, "INFO", f"{cat}[0] {pkt}: rendered {int(min(pages, (k - 0.5) * rate))}/{pages} "
                                    f"pages (elapsed {k:.1f} s, working set {rng.randint(1400, 2300)} MB)")))
            k += step
        if is_err:
            return {"lines": lines, "dur": 120000.0, "status": "timeout", "mem": rng.randint(2100, 2450)}
        mb = pages * rng.uniform(0.12, 0.2)
        lines.append((total - 0.02, ll.fmt(t + total, rid, "INFO", f"{cat}[0] Packet {pkt} written to s3://claims-packets-arn/"
                                           f"{claim}/{pkt}.pdf (pages={pages}, {mb:.1f} MB) in {total:.1f} s")))
        return {"lines": lines, "dur": total * 1000, "mem": rng.randint(700, 1500) if pages < 500 else rng.randint(1900, 2300)}

    LambdaLogs(sc, fn, "dotnet8", 3008, 120, mem_used=(1100, 200)).run(minutes(m["inv"]), minutes(m["err"]), body)

    def ibody(ll, t, rid, is_err, cold):
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"ClaimPackets.Index.Indexer[0] Indexed packet PKT-{sc.rng.randint(300000, 399999)} "
                                        f"into OpenSearch alias packets-current"))], "dur": sc.rng.gauss(820, 120)}

    LambdaLogs(sc, idx, "dotnet8", 512, 30, retire=[-2450], mem_used=(140, 8)).run(minutes(x["inv"]), {}, ibody)
    sc.alarm("claim-packet-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 4,
             "GreaterThanThreshold", "Packet rendering failures")
    sc.alarm("claims-docmeta-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 75,
             "GreaterThanThreshold")
    expect(sc, "claim-packet-render-errors", "function_timeout", [fn],
           [anomaly("AWS/Lambda", "Duration", {"FunctionName": fn}), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, alarm_on="origin", services="Lambda (.NET 8), RDS PostgreSQL",
         decoys="configuration update of the indexer Lambda 50 s before onset; render function deployed ~4 h earlier; "
                "RDS CPU alarm from a spike 3 h ago (back to OK); font-substitution warnings all along",
         story="From -40 min the legal department's bulk export (`requestedBy=legal-bulk-export`) asks for "
               "litigation packets of 1,500-2,600 pages. The renderer does ~15 pages a second, so these "
               "invocations log steady progress (`rendered 1350/2100 pages (elapsed 90.0 s)`) until `Task timed "
               "out after 120.00 seconds`; Duration's maximum sits at 120 000 ms. Metadata comes back from the "
               "database in ~200 ms and no dependency errors appear; request volume is unchanged. The indexer's "
               "configuration update 50 s before onset and the renderer's four-hour-old deploy (with clean hours "
               "after it) are decoys.")
    return sc


def build_10() -> H84:
    sc = H84(10, "claim-flow-db-down", "Claim workflow (ALB) returning 5XX for most requests; adjusters "
             "cannot open claims.", "ap-northeast-1", 8410, "2026-03-26T05:30:00")
    db, cl, flow, rep = "jp-claims-pg", "jp-claims", "claim-flow", "claim-reports"
    lb = "app/jp-claim-flow/0d8e4b6a2f1c9357"
    t_fail, t_up = -1080, -960
    sc.resource("rds", db, engine="postgres", engine_version="14.11", instance_class="db.r6g.2xlarge",
                max_connections=1500, allocated_storage_gb=2000, multi_az=True)
    sc.resource("ecs", f"{cl}/{flow}", launch_type="FARGATE", desired_count=4, runtime="Python 3.12 / Django 4.2 / gunicorn")
    sc.resource("ecs", f"{cl}/{rep}", launch_type="FARGATE", desired_count=2, runtime="Python 3.12")
    sc.resource("alb", lb, name="jp-claim-flow", health_check="/healthz/ready")
    down = lambda t: t >= t_fail
    gap = lambda t: t_fail <= t < t_fail + 240
    req = lambda t: 160 * diurnal(sc, t, 5, 0.3)
    rds_set(sc, db, lambda t: None if gap(t) else (31 if not down(t) else 27), lambda t: None if gap(t) else (212 if not down(t) else 0),
            lambda t: None if gap(t) else 1240.0, lambda t: None if gap(t) else (21.5 if not down(t) else 58.0),
            read_lat=lambda t: None if gap(t) else (0.0011 if not down(t) else 0.0065),
            write_lat=lambda t: None if gap(t) else (0.0019 if not down(t) else 0.0))
    alb_set(sc, lb, req, lambda t: 0.14 - 0.08 * down(t), lambda t: 0.2 + req(t) * 0.74 * ramp(t, t_fail, t_fail + 60),
            e5xx=lambda t: 0.05, healthy=lambda t: 0 if t > t_fail + 90 else 4, unhealthy=lambda t: 4 if t > t_fail + 90 else 0)
    ecs_set(sc, cl, flow, lambda t: 24 * diurnal(sc, t, 5, 0.3) * (1 - 0.5 * down(t)), lambda t: 47.0, tasks=lambda t: 4)
    ecs_set(sc, cl, rep, lambda t: 8 + bump(t, -1150, -1000, 6, 30), lambda t: 33.0, tasks=lambda t: 2 + 2 * bump(t, -1140, -1010, 1, 5))
    sc.change(-1160, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "claim-reports:58", "circleci-deployer")
    sc.change(-1150, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{rep}", "circleci-deployer")
    sc.change(-20100, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-automation")
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", db
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(2000, 9000)} buffers "
                                          f"({sc.rng.uniform(0.4, 1.9):.1f}%); 0 WAL file(s) added, 0 removed, 3 recycled", pid=611),
          end=t_fail, phase=40)
    emit(sc, pgg, pgs, lambda t: 0.3, lambda t: pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2400):.3f} ms  statement: "
                                                  "SELECT * FROM claim_reserve_history WHERE claim_id = ANY($1)",
                                                  client="10.31.4.22(41822)", user="reports", db="claims"), end=t_fail)
    rec = [(t_up, "database system was interrupted; last known up at " + sc.at(t_fail - 7).strftime("%Y-%m-%d %H:%M:%S") + " UTC"),
           (t_up + 0.2, "database system was not properly shut down; automatic recovery in progress"),
           (t_up + 0.5, "redo starts at 3B1/7F000028")]
    for t, msg in rec:
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", msg, pid=77))
    every(sc, pgg, pgs, 60, lambda t: pg(sc, t, "LOG", f"redo in progress, elapsed time: {t - t_up:.2f} s, current LSN: "
                                         f"3B1/{0x7F000028 + int((t - t_up) * 2100000):08X}", pid=77), start=t_up + 10, phase=50)
    emit(sc, pgg, pgs, lambda t: 8, lambda t: pg(sc, t, "FATAL", "the database system is starting up",
                                               client=f"10.31.{sc.rng.randint(4, 7)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                                               user=pick(sc, ["claimflow", "claimflow", "reports"]), db="claims"), start=t_up + 2)
    host = f"{db}.c1ab2cd3ef4g.ap-northeast-1.rds.amazonaws.com"

    def pylog(t, level, logger, msg):
        d = sc.at(t)
        return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} {level} [{logger}] {msg}"

    def db_err(t):
        if t < t_up:
            why = (f"connection to server at \"{host}\" (10.31.2.14), port 5432 failed: Connection refused\n\tIs the server "
                   "running on that host and accepting TCP/IP connections?")
        else:
            why = f"connection to server at \"{host}\" (10.31.9.201), port 5432 failed: FATAL:  the database system is starting up"
        return why

    for svc, n, rate in ((flow, 4, 1.0), (rep, 2, 0.3)):
        g = f"/ecs/{svc}"
        for i in range(n):
            s = f"ecs/{svc}/{sc.hexid(32)}"
            start = -1100 if (svc == rep) else -21600
            emit(sc, g, s, lambda t: rate * 1.5 * (0.3 if down(t) else 1), lambda t: pylog(
                t, "INFO", "gunicorn.access", f"10.31.{sc.rng.randint(4, 7)}.{sc.rng.randint(2, 250)} \"GET /api/v1/claims/"
                f"CLM-{sc.rng.randint(100000, 999999)}/ HTTP/1.1\" 200 {sc.rng.randint(900, 9000)}"), start=start)
            emit(sc, g, s, lambda t: 0.25 * rate, lambda t: pylog(
                t, "WARNING", "django.request", f"Not Found: /api/v1/claims/CLM-{sc.rng.randint(100000, 999999)}/attachments/legacy"),
                 start=start)
            if svc == flow:
                emit(sc, g, s, lambda t: 0.08, lambda t: pylog(
                    t, "ERROR", "claimflow.integrations.kintone", "webhook delivery failed: 502 Bad Gateway (retry 1/3)"))
            emit(sc, g, s, lambda t: 4 * rate * down(t), lambda t: pylog(
                t, "ERROR", "django.request", f"Internal Server Error: /api/v1/claims/CLM-{sc.rng.randint(100000, 999999)}/\n"
                "Traceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/django/db/backends/base/"
                "base.py\", line 275, in ensure_connection\n    self.connect()\n"
                f"django.db.utils.OperationalError: {db_err(t)}"), start=max(start, t_fail))
            if svc == rep:
                sc.log(g, s, -1100 + i * 20, pylog(-1100 + i * 20, "INFO", "gunicorn.error", "Booting worker with pid: 8"))
    sc.alarm("jp-claim-flow-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Claim workflow 5XX")
    sc.alarm("jp-claim-flow-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Maximum", 60, 2, 0,
             "GreaterThanThreshold")
    expect(sc, "jp-claim-flow-target-5xx", "dependency_failure", [db],
           [anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}),
            anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> ECS -> RDS)", services="ALB, ECS (Python/Django, gunicorn), RDS PostgreSQL Multi-AZ",
         decoys="claim-reports ECS deploy 70 s before the failure (second service also fails); Django 404 warnings, "
                "a third-party webhook's 502s and slow-query LOG lines all along",
         story="At -18 min the database stops answering: its metrics have a four-minute gap, the workflow logs "
               "`Connection refused` and the ALB's targets fail their DB-backed readiness check. When the "
               "standby takes over (-16 min) Postgres logs `database system was not properly shut down; automatic "
               "recovery in progress` and `redo in progress` every minute, rejecting every client with `FATAL: the "
               "database system is starting up`. DatabaseConnections is 0, CPU and storage are normal: the "
               "dependency has failed, it is not exhausted. The claim-reports deploy 70 s before the outage is a "
               "decoy; that service fails the same way, and claim-flow was not changed.")
    return sc


BUILDERS = [build_09, build_10]
