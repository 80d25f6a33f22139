"""h72-13 (build log shipper Lambda writing to MySQL) and h72-14 (preview edge router on ECS)."""
from __future__ import annotations

import json

from .common import Scenario, bump, ramp
from .kit import (LOG_START, alb_bundle, const, ecs_bundle, emit, lambda_bundle, lb_id,
                  rds_bundle, task_id, thin)
from .runtimes import LambdaLogs, serilog


# ============================================================================ 13
def s13() -> Scenario:
    sc = Scenario(13, "build-logs-missing", "Job logs in the CI UI stop mid-way for new "
                  "pipelines; the log shipper Lambda error alarm fired.", "ap-northeast-1", 7213,
                  "2026-03-09T05:30:00")
    FN, DB, ODB = "build-log-shipper", "ci-logs-db", "ci-metrics-db"
    FULL, MOD = -1800, -1950
    sc.resource("lambda", FN, runtime="java21", timeout=60, memory_size=1024,
                trigger="sqs:job-log-chunks")
    sc.resource("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=1000, allocated_storage_gb=400, max_allocated_storage_gb=None)
    sc.resource("rds", ODB, engine="postgres", engine_version="16.2",
                instance_class="db.t4g.large", max_connections=400, allocated_storage_gb=100)
    load = lambda t: 0.3 + 0.7 * ramp(t, -19800, -16200)  # noqa: E731  09:00 JST onwards

    def free(t):
        x = (t + 21600) / (FULL + 21600)
        return max(0.18, 36.5 * (1 - x ** 1.35)) if t < FULL else 0.16 + 0.03 * ((t // 60) % 3)
    full = lambda t: 1.0 if t >= FULL else 0.0  # noqa: E731
    inv, err = lambda_bundle(sc, FN, lambda t: 35 * load(t), const(0.0),
                             lambda t: 420.0 + 600 * full(t), p_err=lambda t: 0.96 * full(t))
    rds_bundle(sc, DB, lambda t: 18 + 22 * load(t), lambda t: 60 + 40 * load(t), free,
               write_lat=lambda t: 0.0021 + 0.18 * full(t))
    rds_bundle(sc, ODB, lambda t: 12 + 55 * bump(t, -2300, -1500, 1, 120), const(44),
               const(61.0))
    ll = LambdaLogs(sc, FN, "java21", 1024, 60, prewarm=LOG_START + 600)

    def body(ll, t, rid, is_err, cold):
        job = sc.rng.randint(771000000, 779999999)
        n = sc.rng.randint(4, 60)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"batch of {n} chunks (jobs={sc.rng.randint(1, 9)}, "
                                            f"first={job})"))]
        if sc.rng.random() < 0.04:
            lines.append((0.2, ll.fmt(t, rid, "WARN", "Deadlock found when trying to get lock; "
                                      "try restarting transaction (retry 1/3)")))
        if is_err:
            msg = "The table 'step_log_chunks' is full"
            lines.append((0.5, ll.fmt(t, rid, "ERROR", f"insert failed for job {job}: "
                                      f"java.sql.SQLException: {msg}")))
            lines.append((0.51, json.dumps({
                "errorMessage": msg, "errorType": "java.sql.SQLException", "stackTrace": [
                    "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)",
                    "com.mysql.cj.jdbc.ClientPreparedStatement.executeBatchInternal("
                    "ClientPreparedStatement.java:409)",
                    "dev.acme.ci.logs.ChunkWriter.write(ChunkWriter.java:77)",
                    "dev.acme.ci.logs.Handler.handleRequest(Handler.java:42)"]},
                separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(600, 1400)}
        lines.append((0.3, ll.fmt(t, rid, "INFO", f"wrote {n} chunks ({sc.rng.randint(20, 900)} KiB)"
                                  f" in {sc.rng.randint(40, 300)} ms")))
        return {"lines": lines, "dur": sc.rng.uniform(300, 600)}
    ll.run(*thin(sc, inv, err, 6), body)
    eg = f"/aws/rds/instance/{DB}/error"

    def myerr(t):
        d = sc.at(t)
        ts = f"{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z"
        if t >= FULL and sc.rng.random() < 0.9:
            return sc.rng.choice([
                f"{ts} 0 [ERROR] [MY-012144] [InnoDB] posix_fallocate(): Failed to preallocate "
                "data for file ./ci_logs/step_log_chunks.ibd, desired size 4194304 bytes. "
                "Operating system error number 28. Check that the disk is not full or a disk "
                "quota exceeded. Make sure the file system supports this function.",
                f"{ts} {sc.rng.randint(30, 900)} [ERROR] [MY-012639] [InnoDB] Write to file "
                f"./ci_logs/step_log_chunks.ibd failed at offset {sc.rng.randint(10**9, 10**11)}, "
                "16384 bytes should have been written, only 0 were written. Operating system "
                "error number 28.",
                f"{ts} {sc.rng.randint(30, 900)} [ERROR] [MY-000035] [Server] Disk is full "
                f"writing '/rdsdbdata/log/binlog/mysql-bin-changelog.0{sc.rng.randint(41000, 41999)}'"
                " (OS errno 28 - No space left on device). Waiting for someone to free space... "
                "Retry in 60 secs. Message reprinted in 600 secs."])
        return (f"{ts} {sc.rng.randint(30, 900)} [Warning] [MY-010055] [Server] IP address "
                f"'10.60.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}' could not be resolved: "
                "Name or service not known")
    emit(sc, eg, "mysql-error-running.log", lambda t: 0.25 + 3.0 * full(t), myerr)
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Build log shipping failing")
    sc.alarm(f"{ODB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": ODB}, "Average",
             300, 2, 60, "GreaterThanThreshold")
    sc.change(MOD, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", ODB,
              "terraform-platform")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", FN, "ci-deployer")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": DB}}]}
    sc.meta = {"front": "front (Lambda -> RDS)", "decoys": "ModifyDBInstance on the other "
               "database 2.5 min before the onset, plus its CPU alarm; the shipper's own deploy "
               "4.4 h earlier; deadlock-retry warnings and DNS warnings all morning"}
    return sc


# ============================================================================ 14
def s14() -> Scenario:
    sc = Scenario(14, "preview-urls-500", "Preview URLs for merge requests return HTTP 500 for "
                  "many reviewers; the previews ALB 5xx alarm fired.", "us-east-2", 7214,
                  "2026-03-09T17:45:00")
    CL, SV, GC = "previews", "edge-router", "preview-gc"
    LB = lb_id(sc, "previews")
    REG, DEP, DECOY = -2530, -2500, -2420
    NEW0, NEW1 = -2430, -2250
    sc.resource("alb", LB, name="previews", scheme="internet-facing")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=3, task_definition=f"{SV}:88",
                image=f"{sc.account}.dkr.ecr.us-east-2.amazonaws.com/{SV}:4.12.0")
    sc.resource("lambda", GC, runtime="dotnet8", timeout=300, memory_size=512)
    load = lambda t: 0.5 + 0.5 * ramp(t, -12000, -8000)  # noqa: E731
    share = lambda t: ramp(t, NEW0, NEW1)  # noqa: E731
    req = lambda t: 1100 * load(t)  # noqa: E731
    alb_bundle(sc, LB, req, lambda t: 2.5 + 0.31 * req(t) * share(t), const(0.1),
               lambda t: 0.11 + 0.02 * share(t), lambda t: 3 + 3 * bump(t, NEW0, NEW1 - 60, 1, 60),
               t4xx=lambda t: 0.04 * req(t))
    ecs_bundle(sc, CL, SV, lambda t: 16 + 14 * load(t), const(36.0),
               lambda t: 3 + 3 * bump(t, NEW0, NEW1 - 60, 1, 60))
    lambda_bundle(sc, GC, lambda t: 1.0 if t % 900 == 0 else 0.0, const(0.0), const(42000.0))
    grp = f"/ecs/{SV}"
    src = "Yarp.ReverseProxy.Forwarder.HttpForwarder"

    def task(tid, t0, t1, version, bad):
        st = f"{SV}/{SV}/{tid}"
        if t0 > LOG_START:
            sc.log(grp, st, t0 + 1.0, serilog(sc, t0 + 1.0, "INF", "PreviewRouter.Program",
                                              f"Starting PreviewRouter {version} (commit "
                                              f"{'9f2c1ab' if bad else '41d07e3'})"))
            sc.log(grp, st, t0 + 2.2, serilog(sc, t0 + 2.2, "INF", "Microsoft.Hosting.Lifetime",
                                              "Now listening on: http://[::]:8080"))

        def line(t):
            pr = sc.rng.randint(4000, 4999)
            host = f"mr-{pr}.preview.dev.example.com"
            if bad and sc.rng.random() < 0.33:
                host = host.replace("mr-", "MR-")
                return serilog(sc, t, "ERR", "Microsoft.AspNetCore.Server.Kestrel",
                               f'Connection id "0HN{sc.hexid(10).upper()}", Request id '
                               f'"0HN{sc.hexid(10).upper()}:00000002": An unhandled exception was '
                               f"thrown by the application. System.ArgumentNullException: Value "
                               f"cannot be null. (Parameter 'key')\n   at System.Collections."
                               f"Generic.Dictionary`2.FindValue(TKey key)\n   at PreviewRouter."
                               f"Routing.HostRouteResolver.Resolve(HttpContext ctx) in /src/"
                               f"PreviewRouter/Routing/HostRouteResolver.cs:line 37\n   at "
                               f"PreviewRouter.Routing.PreviewMiddleware.InvokeAsync(HttpContext"
                               f" ctx) host={host}")
            r = sc.rng.random()
            if r < 0.05:
                return serilog(sc, t, "WRN", src, f"Request to http://10.44.{sc.rng.randint(1, 9)}."
                               f"{sc.rng.randint(2, 250)}:3000/ for {host} failed: connection "
                               "refused (preview torn down) -> 502")
            return serilog(sc, t, "INF", "PreviewRouter.Routing.PreviewMiddleware",
                           f"{host} -> {sc.rng.choice(['GET', 'GET', 'POST'])} / 200 "
                           f"{sc.rng.randint(8, 400)}ms")
        emit(sc, grp, st, lambda t: 1.6 * load(t) if t0 <= t < t1 else 0.0, line,
             start=max(LOG_START, t0 - t0 % 60))
        for h in range(int(max(t0, LOG_START)) + 120, int(min(t1, 0)), 900):
            sc.log(grp, st, h, serilog(sc, h, "INF", "PreviewRouter.Routing.RouteTable",
                                       f"Route table refreshed: {sc.rng.randint(180, 240)} previews "
                                       f"(router {version})"))
    for i in range(3):
        task(task_id(sc), -40000, NEW0 + 60 + i * 60, "4.11.3", False)
        task(task_id(sc), NEW0 - 40 + i * 50, 1, "4.12.0", True)
    gl = LambdaLogs(sc, GC, "dotnet8", 512, 300, prewarm=LOG_START + 600, retire=(DECOY,))
    gl.run({m: 1 for m in range(LOG_START, 0, 900)}, {}, lambda ll, t, rid, e, c: {
        "lines": [(0.1, ll.fmt(t, rid, "INFO", f"gc: {sc.rng.randint(0, 6)} previews idle > 48h "
                               "scaled to zero"))], "dur": sc.rng.uniform(38000, 46000)})
    sc.alarm("previews-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 60, "GreaterThanThreshold",
             "Preview URLs returning 5xx")
    sc.change(REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{SV}:88", "ci-deployer")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
              "ci-deployer")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", GC, "terraform-platform")
    sc.expect = {"alarm": "previews-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{CL}/{SV}", SV]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]}
    sc.meta = {"front": "front (ALB -> ECS)", "decoys": "preview-gc configuration update 80 s "
               "after the deploy, at the onset; steady 'preview torn down' 502 warnings; "
               "ALB 5xx baseline of a few per minute"}
    return sc
