"""h96-03 baggage scan ingest (API Gateway -> .NET Lambda) and h96-04 check-in core (ALB -> Java on
EC2 -> RDS PostgreSQL)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, bump, diurnal
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, pg, spring

from .kit import (Scenario, alb_metrics, api_metrics, bagtag, ec2_metrics, every, flight,
                  lambda_metrics, pick, pnr, rds_metrics, sampled, scatter, tomcat_access)


# =========================================================================== h96-03
def build_03() -> Scenario:
    sc = Scenario(3, "bag-scan-events", "Bag scan uploads from JFK/EWR belts failing with 502; "
                  "baggage-events-api 5XX alarm.", "us-east-1", 9603, "2026-03-15T19:10:00")
    api, apiid, fn, other = "baggage-events-api", "k3v9q2m1xa", "bag-scan-ingest", "bag-reconcile-report"
    role = "bag-scan-ingest-exec"
    sc.resource("apigateway", api, api_id=apiid, stage="prod", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=512, role=role)
    sc.resource("lambda", other, runtime="dotnet8", timeout=300, memory_size=1024)
    cause, onset = -2790, -2735  # IAM edits take a little while to reach every region endpoint
    bad = lambda t: 0.0 if t < onset else 0.64  # noqa: E731 - share of requests that write (PutItem)
    req = lambda t: 380 * diurnal(sc, t, 20.0, 0.25)  # noqa: E731
    api_metrics(sc, api, req, lambda t: 0.025 * req(t), lambda t: 0.15 + bad(t) * req(t),
                lambda t: 74 - 30 * (bad(t) > 0), lambda t: 61 - 30 * (bad(t) > 0))
    m = lambda_metrics(sc, fn, lambda t: req(t) * 0.975, lambda t: bad(t) * req(t),
                       lambda t: 58 - 28 * (bad(t) > 0))
    m2 = lambda_metrics(sc, other, lambda t: 1.0 if int(t) % 900 == 0 else 0.0, lambda t: 0.0,
                        lambda t: 41000.0)

    acct = sc.account
    sc.change(-9800, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "github-actions-baggage")
    sc.change(cause, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role,
              "AWSReservedSSO_PlatformAdmin_5b7e0a1c9d2f4e36/m.okafor")
    sc.change(-2750, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "github-actions-baggage")

    stations = [("JFK", "T4 belt 7"), ("JFK", "T4 belt 12"), ("EWR", "TC belt 3"), ("JFK", "T8 make-up 2")]
    denied = (f"User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: "
              f"dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:{acct}:table/bag-scan-events "
              "because no identity-based policy allows the dynamodb:PutItem action")
    api_grp, api_stream = f"API-Gateway-Execution-Logs_{apiid}/prod", sc.hexid(32)

    def body(ll, t, rid, is_err, cold):
        tag, (st, loc) = bagtag(sc), pick(sc, stations)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"BSM scan {tag} at {st} {loc} (reader r-{sc.rng.randint(100, 180)}) "
                                                f"flight {flight(sc, ('DL', 'UA', 'B6', 'AA'))}"))]
        if sc.rng.random() < 0.04:
            lines.append((0.004, ll.fmt(t, rid, "WARN", f"Scanner clock skew {sc.rng.randint(200, 420)} s on reader "
                                                        f"r-{sc.rng.randint(100, 180)}; using server time")))
        if is_err:
            d = sc.rng.uniform(18, 40)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", f"Amazon.DynamoDBv2.AmazonDynamoDBException: {denied}\n"
                                           " ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
                                           "'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
                                           "   at BagOps.Ingest.ScanStore.PutAsync(ScanEvent scan) in /src/Ingest/ScanStore.cs:line 48\n"
                                           "   at BagOps.Ingest.Function.HandleAsync(APIGatewayProxyRequest req, ILambdaContext ctx)")))
            lines.append((d / 1000 + 0.001, jline({"errorType": "AmazonDynamoDBException", "errorMessage": denied,
                                                   "stackTrace": ["at BagOps.Ingest.ScanStore.PutAsync(ScanEvent scan)",
                                                                  "at BagOps.Ingest.Function.HandleAsync(APIGatewayProxyRequest req, ILambdaContext ctx)"]})))
            if sc.rng.random() < 0.5:
                sc.log(api_grp, api_stream, t + d / 1000 + 0.02,
                       f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
                       f"{denied}. Lambda request id: {rid}")
                sc.log(api_grp, api_stream, t + d / 1000 + 0.021, f"({sc.uuid()}) Method completed with status: 502")
            return {"lines": lines, "dur": d}
        d = m["dur"].get(int(t // 60 * 60), 58) * sc.rng.uniform(0.7, 1.3)
        if sc.rng.random() < 0.03:
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Bag tag {tag} not found in manifest; returning 404")))
        else:
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Stored scan event for {tag} (seq {sc.rng.randint(2, 9)})")))
        return {"lines": lines, "dur": d}

    ll = LambdaLogs(sc, fn, "dotnet8", 512, 15, mem_used=(112, 9))
    inv, err = sampled(m, -16200, 4)
    ll.run(inv, err, body)
    scatter(sc, api_grp, api_stream, lambda mm: 0.6, lambda t: (
        f"({sc.uuid()}) Method completed with status: {pick(sc, (400, 404, 404, 404))}"), -HISTORY, 0)

    def body2(ll2, t, rid, is_err, cold):
        return {"lines": [(0.01, ll2.fmt(t, rid, "INFO", f"Reconciled {sc.rng.randint(900, 2400)} bags vs "
                                                      "load sheets for last 15 min (0 mismatches)"))],
                "dur": sc.rng.uniform(30000, 52000)}
    ll2 = LambdaLogs(sc, other, "dotnet8", 1024, 300, retire=(-2750,), mem_used=(310, 20))
    inv2, err2 = sampled(m2, -HISTORY, 1)
    ll2.run(inv2, err2, body2)

    sc.alarm("baggage-events-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Bag scan API server errors")
    sc.alarm("baggage-events-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 2, 200,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "baggage-events-api-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="front (API Gateway) - origin is the Lambda's execution role",
            decoys="code deploy of bag-reconcile-report 40 s after the IAM edit and 15 s before the first AccessDenied; API stage "
                   "deployment 2 h earlier; steady 404/400 4XX and clock-skew WARNs",
            story="An admin rewrites the inline policy of bag-scan-ingest-exec (PutRolePolicy, -2790 s). Within "
                  "seconds every scan write fails with `not authorized to perform: dynamodb:PutItem on ... "
                  "table/bag-scan-events`; reads still work, so 5XX sits at about two thirds of traffic. The "
                  "closer deploy is of the nightly reconcile function, whose runs stay clean.",
            judgement="The broken permission is on the role, which is not one of the six resource types; the "
                      "function (whose role it is) and the role name are both accepted.")
    return sc


# =========================================================================== h96-04
def build_04() -> Scenario:
    sc = Scenario(4, "checkin-core", "Web and app check-in failing at the morning bank; ALB 5XX "
                  "and latency alarms.", "eu-west-1", 9604, "2026-03-18T06:55:00")
    lb, db = "app/checkin-web/3f9a0c7e21b4d6a8", "pax-ops-pg01"
    ia, ib, ic = "i-0c4e1f7a2b9d30e51", "i-07b2d9e4f1a6c8305", "i-0a5d8e2c7f1b43960"
    sc.resource("alb", lb, name="checkin-web", target_groups=["checkin-core-tg"])
    sc.resource("ec2", ia, name="checkin-core-a", instance_type="m6i.xlarge", log_groups=["/checkin-core/app", "/checkin-core/access"])
    sc.resource("ec2", ib, name="checkin-core-b", instance_type="m6i.xlarge", log_groups=["/checkin-core/app", "/checkin-core/access"])
    sc.resource("ec2", ic, name="ops-batch-1", instance_type="c6i.large")
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                max_connections=3000, allocated_storage_gb=500, multi_az=False)
    sc.resource("lambda", "seatmap-cache-warmer", runtime="java21", timeout=120, memory_size=1024)
    downs = [(-1500, -1385), (-1290, -1170), (-1020, -905), (-770, -610), (-480, -335), (-200, 0)]
    down = lambda t: any(a <= t < b for a, b in downs)  # noqa: E731
    hit = lambda t: 0.0 if t < -1500 else (0.86 if down(t) else 0.22)  # noqa: E731
    req = lambda t: 720 * diurnal(sc, t, 7.5, 0.35)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.14 + 5.5 * hit(t), t5=lambda t: 0.5 + hit(t) * req(t),
                healthy=lambda t: 2.0, t4=lambda t: 0.04 * req(t))
    for iid in (ia, ib):
        ec2_metrics(sc, iid, lambda t: 31 * diurnal(sc, t, 7.5, 0.35) * (0.6 if hit(t) > 0.5 else 1.0),
                    mem=lambda t: 63.0, disk=lambda t: 44.0)
    ec2_metrics(sc, ic, lambda t: 12 + bump(t, -7800, -6900, 70, 120), mem=lambda t: 38.0)
    rds_metrics(sc, db, lambda t: (2.5 if down(t) else 9.0 if t >= -1500 else 24 * diurnal(sc, t, 7.5, 0.3)),
                lambda t: (sc.rng.choice((0, 0, 1, 3)) if down(t) else 140 if t >= -1500 else 212 * diurnal(sc, t, 7.5, 0.2)),
                lambda t: 318 - 0.0001 * t, lambda t: 9.4,
                rlat=lambda t: 0.0011 if t < -1500 else (0.35 if down(t) else 0.012),
                wlat=lambda t: 0.0024 if t < -1500 else (0.82 if down(t) else 0.047),
                extra=[("DiskQueueDepth", "Count", lambda t: 0.8 if t < -1500 else (64.0 if down(t) else 9.0), {"noise": 0.2}),
                       ("WriteIOPS", "Count/Second", lambda t: 820 * diurnal(sc, t, 7.5, 0.3) if t < -1500 else (14 if down(t) else 160), {"noise": 0.1})])

    sc.change(-12600, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", db, "backup-automation")
    sc.change(-3000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0e71b3c5a9d24f180 (ops-batch)", "n.brennan")
    sc.change(-1560, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "seatmap-cache-warmer", "jenkins-checkin")

    host = f"{db}.c9xk2mf0elra.eu-west-1.rds.amazonaws.com"
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(2400, 9800)} buffers "
                                                       f"({sc.rng.uniform(0.8, 3.5):.1f}%); 0 WAL file(s) added, "
                                                       f"{sc.rng.randint(0, 3)} removed, 2 recycled", pid=388), -HISTORY, -1500)
    scatter(sc, pgg, pgs, lambda t: 0.15, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT b.* FROM boarding_pass b "
                      f"JOIN segment s ON s.id = b.segment_id WHERE s.departure_date = $1 AND s.origin = $2",
        client=f"10.40.{sc.rng.randint(1, 4)}.{sc.rng.randint(10, 250)}({sc.rng.randint(30000, 60000)})",
        user="checkin_app", db="paxops"), -HISTORY, -1500)
    for i, (a, b) in enumerate(downs):
        p = 600 + 37 * i
        seq = [(0, "PANIC", f"could not fdatasync file \"pg_wal/00000001000021A4000000{0xC4 + i:02X}\": Input/output error"),
               (0.4, "LOG", f"server process (PID {p}) was terminated by signal 6: Aborted"),
               (0.5, "LOG", "terminating any other active server processes"),
               (1.9, "LOG", "all server processes terminated; reinitializing"),
               (6.2, "LOG", f"database system was interrupted; last known up at {sc.at(a - 40).strftime('%Y-%m-%d %H:%M:%S')} UTC"),
               (6.9, "LOG", "database system was not properly shut down; automatic recovery in progress"),
               (7.5, "LOG", f"redo starts at 21A4/C{i}F01E28")]
        for dt, lvl, msg in seq:
            sc.log(pgg, pgs, a + dt, pg(sc, a + dt, lvl, msg, pid=412 if lvl != "PANIC" else p))
        scatter(sc, pgg, pgs, lambda t: 2.0, lambda t: pg(
            sc, t, "FATAL", "the database system is in recovery mode",
            client=f"10.40.{sc.rng.randint(1, 4)}.{sc.rng.randint(10, 250)}({sc.rng.randint(30000, 60000)})",
            user="checkin_app", db="paxops"), a + 10, b - 5)
        if b < 0:
            sc.log(pgg, pgs, b - 4, pg(sc, b - 4, "LOG", "redo done; database system is ready to accept connections", pid=412))
            scatter(sc, pgg, pgs, lambda t: 0.7, lambda t: pg(
                sc, t, "ERROR", "could not read block 88213 in file \"base/16401/27764\": Input/output error",
                client="10.40.2.31(44712)", user="checkin_app", db="paxops"), b, min(b + 90, 0))

    app = "checkin-core"
    for iid in (ia, ib):
        g, acc = "/checkin-core/app", "/checkin-core/access"

        def acc_line(t, _iid=iid):
            bad_ = sc.rng.random() < hit(t)
            path = pick(sc, [f"/api/v3/checkin/{pnr(sc)}", f"/api/v3/boardingpass/{pnr(sc)}", "/api/v3/seatmap/EI154"])
            return tomcat_access(sc, t, f"10.40.0.{sc.rng.randint(10, 90)}", pick(sc, ["GET", "POST"]), path,
                                 503 if bad_ else 200, 312 if bad_ else sc.rng.randint(900, 5200),
                                 sc.rng.randint(5000, 30000) if bad_ else sc.rng.randint(40, 260))
        scatter(sc, acc, iid, lambda t: 3.0, acc_line)
        scatter(sc, g, iid, lambda t: 0.5, lambda t: spring(
            sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.a.checkin.apis.ApisValidator",
            f"APIS document expiry in the past for pax on {flight(sc, ('EI',))} (PNR {pnr(sc)}); prompting passenger", app))
        scatter(sc, g, iid, lambda t: 0.2, lambda t: spring(
            sc, t, "ERROR", "timetable-sync-1", "c.a.checkin.oag.TimetableSync",
            "OAG flight-status feed returned 429 Too Many Requests; backing off 60 s", app))

        def err(t):
            r = sc.rng.random()
            if r < 0.62:
                return spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.a.checkin.web.ApiExceptionHandler",
                              f"Check-in failed for PNR {pnr(sc)}: org.postgresql.util.PSQLException: Connection to {host}:5432 "
                              "refused. Check that the hostname and port are correct and that the postmaster is accepting "
                              "TCP/IP connections.", app)
            if r < 0.86:
                return spring(sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.a.checkin.web.ApiExceptionHandler",
                              "Boarding pass issue failed: org.postgresql.util.PSQLException: FATAL: the database system "
                              "is in recovery mode", app)
            return spring(sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "com.zaxxer.hikari.pool.PoolBase",
                          "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@"
                          f"{sc.hexid(8)} (This connection has been closed.). Possibly consider using a shorter maxLifetime value.", app)
        scatter(sc, g, iid, lambda t: 6.0 * hit(t), err, -1500, 0)

    sc.alarm("checkin-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 50, "GreaterThanThreshold", "Check-in web: target 5XX")
    sc.alarm("checkin-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             300, 1, 1.5, "GreaterThanThreshold")
    sc.alarm("ops-batch-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ic}, "Average", 300, 2, 75,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "checkin-web-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.note(alarm_on="front (ALB) - origin is the RDS instance two hops behind it",
            decoys="Java Lambda deploy 60 s before onset; SG change and CPU spike on an unrelated batch host; "
                   "DB snapshot 3.5 h earlier; steady APIS WARNs and OAG 429 ERRORs; a Hikari pool WARN that "
                   "looks like pool trouble",
            story="From -1500 s the single-AZ PostgreSQL instance behind check-in hits WAL fsync I/O errors, "
                  "PANICs and goes through repeated crash recovery. The Java check-in hosts log `Connection ... "
                  "refused` and `the database system is in recovery mode`; DatabaseConnections falls to almost "
                  "nothing (far below max_connections), DB CPU drops, write latency and disk queue depth jump "
                  "while free storage stays at ~300 GB. The seatmap Lambda deploy is the closest change but "
                  "that function is not in the request path.",
            judgement="The database is failing rather than exhausted (connections collapse, storage ample), so "
                      "this is dependency_failure with the database as origin; no CloudTrail change touches it.")
    return sc


BUILDERS = [build_03, build_04]
