"""h86-09 core Postgres fills up under the anti-cheat report flood; h86-10 bracket settlement hits its timeout."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import pg, pino

from .kit import (GRID, LambdaLogs, alb_metrics, ecs_metrics, every, lambda_metrics, load, new, rds_metrics,
                  sample_logs, sprinkle, task_id)


def s09():
    sc = new(9, "profile-saves-failing", "Patch 7.2 day: profile and loadout saves failing in EU; profile ALB 5xx alarm.",
             "eu-central-1", "2026-03-17T13:20:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=19.0, amp=0.3)
    db, lb, cl = "pg-euc1-core", "app/profile-edge-euc1/8d2f63a1e07c5b94", "live-euc1"
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge", max_connections=2000,
                allocated_storage_gb=200, storage_autoscaling=False, storage_type="gp3")
    sc.resource("rds", "pg-euc1-analytics", engine="postgres", instance_class="db.r6g.large", allocated_storage_gb=1000)
    sc.resource("alb", lb, name="profile-edge-euc1")
    sc.resource("ecs", f"{cl}/profile-api", launch_type="FARGATE", desired_count=6, language="nodejs20")
    sc.resource("ecs", f"{cl}/anticheat-ingest", launch_type="FARGATE", desired_count=4, language="nodejs20")
    flood, full = -18600, -1260
    r = (30 - 0.5 * (full + 21600) / 3600) / ((full - flood) / 3600)

    def free(t):
        return max(0.04, 30 - 0.5 * (t + 21600) / 3600 - (r * (t - flood) / 3600 if t > flood else 0))
    dead = lambda t: t >= full
    rds_metrics(sc, db, lambda t: 24 * L(t) + (9 if t > flood else 0) - (12 if dead(t) else 0),
                lambda t: 340 * L(t) * (0.6 if dead(t) else 1), free, lambda t: 18.0,
                write_lat=lambda t: 0.0024 + (0.004 if t > flood else 0))
    rds_metrics(sc, "pg-euc1-analytics", lambda t: 31.0 + bump(t, -1380, -1080, 15, 60), lambda t: 40.0,
                lambda t: 612 - (t + 21600) / 21600, lambda t: 5.5)
    req = lambda t: 2100 * L(t)
    alb_metrics(sc, lb, req, lambda t: 0.8 + (0.42 * req(t) if dead(t) else 0), lambda t: 0.3,
                lambda t: 0.07 + (0.12 if dead(t) else 0), lambda t: 6)
    ecs_metrics(sc, cl, "profile-api", lambda t: 24 * L(t), lambda t: 52.0, lambda t: 6)
    ecs_metrics(sc, cl, "anticheat-ingest", lambda t: 38 + (44 if t > flood + 120 else 0) * L(t), lambda t: 63.0,
                lambda t: 4)
    sc.alarm("profile-edge-euc1-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 40, "GreaterThanThreshold", "Profile API 5xx (EU)")
    sc.alarm("anticheat-ingest-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": "anticheat-ingest"},
             "Average", 300, 2, 75, "GreaterThanThreshold", "anti-cheat ingest CPU")
    sc.change(flood - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/anticheat-ingest", "github-actions-patch72")
    sc.change(-1380, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "pg-euc1-analytics-params", "s.weber")
    sc.change(-1370, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "pg-euc1-analytics", "s.weber")
    # ---- postgres log
    pgg = f"/aws/rds/instance/{db}/postgresql"
    every(sc, pgg, f"{db}.0", -21590, full, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(9000, 30000)} buffers "
          f"({rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, {rng.randint(2, 9)} removed, {rng.randint(4, 12)} recycled", pid=531))
    every(sc, pgg, f"{db}.0", -21400, full, 900, lambda t: pg(sc, t, "LOG", "automatic vacuum of table \"core.public.cheat_reports\": "
          f"index scans: 1\n\tpages: 0 removed, {int((t + 30000) * 31)} remain\n\ttuples: {rng.randint(100, 900)} removed, "
          f"{int((t + 30000) * 410)} remain", pid=rng.randint(20000, 30000)))
    errs = [(full, "ERROR", "could not extend file \"base/16401/98231.41\": No space left on device"),
            (full + 0.001, "HINT", "Check free disk space."),
            (full + 9, "PANIC", "could not write to file \"pg_wal/xlogtemp.2211\": No space left on device"),
            (full + 10, "LOG", "server process (PID 2211) was terminated by signal 6: Aborted"),
            (full + 10.2, "LOG", "terminating any other active server processes"),
            (full + 14, "LOG", "database system was interrupted; last known up at " + sc.at(full - 60).strftime("%Y-%m-%d %H:%M:%S UTC")),
            (full + 20, "LOG", "database system is ready to accept connections")]
    for t, lv, msg in errs:
        sc.log(pgg, f"{db}.0", t, pg(sc, t, lv, msg, pid=2211))
    sprinkle(sc, pgg, f"{db}.0", full + 25, 0, 5, lambda t: pg(sc, t, "ERROR", f"could not extend file \"base/16401/{rng.choice([98231, 98240, 40982])}"
             f".{rng.randint(10, 41)}\": No space left on device", client=f"10.40.{rng.randint(8, 40)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
             user=rng.choice(["profile_app", "ac_ingest"]), db="core"))
    # ---- profile-api (pino)
    for k in range(3):
        st, host = f"ecs/profile-api/{task_id(sc)}", f"ip-10-40-{rng.randint(8, 40)}-{rng.randint(2, 250)}.eu-central-1.compute.internal"
        sprinkle(sc, f"/ecs/{cl}/profile-api", st, -14400, 0, lambda t: 2.0 * L(t), lambda t: pino(
            sc, t, "info", "request completed", host, 1, reqId=f"req-{sc.hexid(6)}",
            req={"method": rng.choice(["GET", "PUT"]), "url": f"/v1/profile/p_{rng.randint(10 ** 7, 10 ** 8)}/loadout"},
            res={"statusCode": 200}, responseTime=round(rng.uniform(9, 70), 1)) if not dead(t) or rng.random() < 0.5 else None)
        sprinkle(sc, f"/ecs/{cl}/profile-api", st, -14400, 0, 0.4, lambda t: pino(
            sc, t, "warn", "avatar CDN slow, using placeholder", host, 1, cdnMs=rng.randint(800, 1600)))
        sprinkle(sc, f"/ecs/{cl}/profile-api", st, full, 0, 2.5, lambda t: pino(
            sc, t, "error", "profile update failed", host, 1, reqId=f"req-{sc.hexid(6)}",
            err={"type": "DatabaseError", "message": f"could not extend file \"base/16401/98231.{rng.randint(10, 41)}\": No space left on device",
                 "code": "53100", "severity": "ERROR", "routine": "mdextend"}))
    # ---- anti-cheat ingest: a loud flood since the patch
    for k in range(2):
        st, host = f"ecs/anticheat-ingest/{task_id(sc)}", f"ip-10-40-{rng.randint(8, 40)}-{rng.randint(2, 250)}.eu-central-1.compute.internal"
        sprinkle(sc, f"/ecs/{cl}/anticheat-ingest", st, -21600, 0, lambda t: 1.0 if t < flood else 6.0, lambda t: pino(
            sc, t, "info" if t < flood or rng.random() < 0.6 else "warn",
            "ingested report batch" if t < flood else rng.choice(["ingested report batch", "report rate over budget"]), host, 1,
            reports=rng.randint(200, 400) if t < flood else rng.randint(2500, 4200), clientVersion="7.1.4" if t < flood else "7.2.0"))
    sc.expect = {"alarm": "profile-edge-euc1-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        alarm_on="front (ALB)", runtime="Node.js on ECS; RDS PostgreSQL 16", logs="pino JSON, PostgreSQL log",
        services=["alb", "ecs", "rds"],
        decoys="anti-cheat ingest CPU alarm and warning flood (hours old); parameter-group change on the analytics DB 2 min before the disk fills; steady avatar-CDN warnings",
        story="Since the 7.2 anti-cheat deploy five hours ago the ingest service writes ~10x more cheat reports; "
              "pg-euc1-core's FreeStorageSpace (200 GB, no storage autoscaling) falls from 30 GB to nothing at -21 min. "
              "Postgres logs `could not extend file ...: No space left on device`, a `PANIC` writing pg_wal and a crash "
              "restart, and from then profile-api's saves fail with DatabaseError 53100 (disk full), so the profile "
              "ALB's 5xx rise. The analytics DB's parameter change is closer to the onset but that DB is untouched, "
              "and the anti-cheat CPU alarm has been in ALARM for hours.",
        judgement="The report flood is why the disk filled, but nothing failed until the volume was full: the "
                  "category is storage exhaustion at the database, not a surge at the ingest service.")
    return sc


def s10():
    sc = new(10, "cup-settlement-timeouts", "Spring Cup brackets not advancing; settlement Lambda Errors alarm.",
             "us-west-2", "2026-03-15T01:30:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=3.0, amp=0.3)
    fn, db = "bracket-settle", "tourney-pg"
    sc.resource("lambda", fn, runtime="java21", timeout=120, memory_size=2048, trigger="EventBridge rate(1 minute) x 8 shards")
    sc.resource("lambda", "bracket-notify", runtime="java21", timeout=30, memory_size=1024)
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=800, allocated_storage_gb=300)
    cup, tmo = -16200, 120000.0

    def want(t):  # standings recompute grows with the square of finished matches
        return 9000 + 111000 * (max(0.0, t - cup) / (cup * -1 - 1500)) ** 2 if t > cup else 4200.0
    timed = lambda t: want(t) >= tmo
    inv, err = lambda_metrics(sc, fn, lambda t: 8, lambda t: 8 if timed(t) else 0, lambda t: min(tmo, want(t)), noise=0.04,
                              exact=True, dur_cap=tmo + 30)
    lambda_metrics(sc, "bracket-notify", lambda t: 120 * L(t), lambda t: 0.2, lambda t: 310.0 + (20 if t > -1620 else 0))
    rds_metrics(sc, db, lambda t: 17 + bump(t, -9000, -8700, 30, 60), lambda t: 45 + 0.3 * min(tmo, want(t)) / 1000,
                lambda t: 221 - (t + 21600) / 21600, lambda t: 6.1)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2, "GreaterThanThreshold",
             "Bracket settlement failures")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 40, "GreaterThanThreshold")
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "bracket-notify", "jenkins-tourney")
    sc.change(-1610, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "bracket-notify", "jenkins-tourney")
    ll = LambdaLogs(sc, fn, "java21", 2048, 120, mem_used=(690, 40), life=(3000, 7000))

    def body(ll, t, req, is_err, cold):
        shard = rng.randint(0, 7)
        done = int(max(0.0, t - cup) / 60 * 21) if t > cup else 0
        w = want(t) * rng.uniform(0.97, 1.03)
        lines = [(0.002, ll.fmt(t, req, "INFO", f"Settling cup=spring-cup-2026 shard={shard} matches_done={done}")),
                 (0.42, ll.fmt(t, req, "INFO", f"Loaded {done} results from tourney-pg in {rng.randint(280, 520)} ms")),
                 (0.45, ll.fmt(t, req, "INFO", "Recomputing standings (buchholz tiebreak) for 2048 teams"))]
        if rng.random() < 0.05:
            lines.append((0.3, ll.fmt(t, req, "WARN", f"Match report late match=m_{sc.hexid(10)} delay_s={rng.randint(60, 400)}")))
        if timed(t):
            for q in (0.25, 0.5, 0.75):
                if w * q < tmo:
                    lines.append((w * q / 1000, ll.fmt(t, req, "INFO", f"Standings recompute progress {int(q * 100)}%")))
            return {"dur": tmo, "lines": lines, "status": "timeout"}
        lines += [(w / 1000 - 0.25, ll.fmt(t, req, "INFO", f"Standings recompute took {int(w - 600)} ms")),
                  (w / 1000 - 0.05, ll.fmt(t, req, "INFO", f"Advanced {rng.randint(0, 40)} teams, standings written in {rng.randint(120, 260)} ms"))]
        return {"dur": w, "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 1.2, body)
    nl = LambdaLogs(sc, "bracket-notify", "java21", 1024, 30, epochs=((-10 ** 9, "$LATEST"),), retire=(-1620,))
    nl.run({t: 1 for t in GRID if t >= -10800}, {}, lambda ll, t, req, e, c: {"dur": rng.gauss(310, 40), "lines": [
        (0.01, ll.fmt(t, req, "INFO", f"Pushed {rng.randint(0, 30)} match-ready notifications"))]})
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="origin", runtime="Java 21 Lambda", logs="Lambda plain (Java)", services=["lambda", "rds"],
        decoys="bracket-notify deployment 2 min before the first timeouts; tourney-pg CPU alarm from an earlier spike; steady 'match report late' warnings",
        story="The cup started 4.5 h ago; bracket-settle runs every minute for 8 shards and recomputes standings over all "
              "finished matches, so its Duration grows steadily (about 9 s to 120 s) with no change to the function. "
              "From -25 min every run ends in `Task timed out after 120.00 seconds` with the log stopping mid-recompute, "
              "and Errors equal Invocations. Loading results from tourney-pg stays at ~0.4 s and the database metrics are "
              "normal; there are no dependency errors. The bracket-notify deploy just before is unrelated.")
    return sc


BUILDERS = [s09, s10]
