"""Scenarios 07-08."""
from __future__ import annotations

from .blocks import lambda_metrics, rds_metrics, rest_api_metrics, sqs_metrics
from .common import Scn, ramp
from .lambdalog import Inv, lambda_logs, py_trace

GB = 1024 ** 3


def b07() -> Scn:
    sc = Scn(7, "telemetry-iterator-age-db-storage-full", "sa-east-1", 2907, "2026-03-09T13:05:00",
             "Device telemetry is delayed; the stream consumer's IteratorAge alarm fired.")
    on = -2000
    full = lambda t: 1.0 if t >= on else 0.0
    sc.res("lambda", "telemetry-writer", runtime="provided.al2023", architecture="arm64", timeout=60,
           memory_size=512, trigger="Kinesis device-telemetry (batch 500, parallelization 1, retry until expiry)",
           environment={"PG_HOST": "telemetry-proxy.proxy-c1x2y3z4.sa-east-1.rds.amazonaws.com"})
    sc.res("lambda", "device-registry-api", runtime="provided.al2023", timeout=10, memory_size=256)
    sc.res("rds", "telemetry-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
           allocated_storage_gb=200, max_allocated_storage_gb=None, max_connections=1600,
           rds_proxy="telemetry-proxy")
    free = lambda t: max(0.09 * GB, 14.2 * GB - (t + 21600) / 3600 * 2.61 * GB)
    rds_metrics(sc, "telemetry-db", lambda t: 34 + 30 * ramp(t, -12300, -12000) * (1 - ramp(t, -11100, -10800))
                - 12 * full(t), lambda t: 26, free, write_lat=lambda t: 0.0031,
                freeable_mem=lambda t: 5.1e9)
    sc.metric("AWS/RDS", "WriteIOPS", {"DBInstanceIdentifier": "telemetry-db"}, "Count/Second",
              sc.gauge(lambda t: 1850 - 1400 * full(t), noise=0.07, nd=1))
    px = {"ProxyName": "telemetry-proxy"}
    sc.metric("AWS/RDS", "DatabaseConnections", px, "Count", sc.gauge(lambda t: 22, noise=0.1, nd=0))
    sc.metric("AWS/RDS", "ClientConnections", px, "Count", sc.gauge(lambda t: 16, noise=0.1, nd=0))
    sc.metric("AWS/RDS", "QueryDatabaseResponseLatency", px, "Milliseconds",
              sc.gauge(lambda t: 6.5, noise=0.15, nd=2))
    age = lambda t: 900 + (max(0, t - on) * 1000 if t > on else 0)
    lambda_metrics(sc, "telemetry-writer", lambda t: 48 * (1 - 0.35 * full(t)), lambda t: 0.0005 + 0.99 * full(t),
                   lambda t: 1150 - 700 * full(t), iterator_age=age)
    ks = {"StreamName": "device-telemetry"}
    sc.metric("AWS/Kinesis", "IncomingRecords", ks, "Count",
              sc.counts(lambda t: 5900 * sc.diurnal(t, 17, 0.2)))
    sc.metric("AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", ks, "Milliseconds",
              sc.gauge(age, noise=0.05, nd=0))
    sc.metric("AWS/Kinesis", "WriteProvisionedThroughputExceeded", ks, "Count", sc.counts(lambda t: 0.0))
    lambda_metrics(sc, "device-registry-api", lambda t: 210 * sc.diurnal(t, 17, 0.2), lambda t: 0.0008,
                   lambda t: 38)
    shards = [f"shardId-00000000000{i}" for i in range(4)]
    rel = f"base/16401/98312.{sc.rng.randint(11, 19)}"

    def writer(sc, t, rid, env):
        r = sc.rng
        sh = shards[env["slot"] % 4]
        n = r.randint(380, 500)
        if t >= on:
            d = r.uniform(300, 520)
            return Inv(d, r.randint(51, 60), [
                (4, "INFO", ("batch received", {"shard": sh, "records": n, "first_seq": f"4964{r.randint(10**15, 10**16)}"})),
                (d - 6, "ERROR", ("batch insert failed", {
                    "shard": sh, "records": n, "table": "readings",
                    "err": f"ERROR: could not extend file \"{rel}\": No space left on device (SQLSTATE 53100)"})),
                (d - 2, "ERROR", ("returning error; Lambda will retry the batch", {"shard": sh}))], "error")
        d = r.uniform(700, 1500)
        return Inv(d, r.randint(51, 60), [
            (4, "INFO", ("batch received", {"shard": sh, "records": n, "first_seq": f"4964{r.randint(10**15, 10**16)}"})),
            (d - 5, "INFO", ("batch written", {"shard": sh, "records": n, "table": "readings", "copy_ms": int(d - 40)}))])

    lambda_logs(sc, "telemetry-writer", "provided.al2023", -6600, 0, 4, lambda t: 6.0 if t < on else 5.0,
                writer, 512, 60, init_ms=(60, 140))
    pg = []
    t = -21597.0
    while t < 0:
        pg.append((t, f"{sc.stamp(t)} UTC::@:[{411}]:LOG:  checkpoint starting: time"))
        pg.append((t + 268, f"{sc.stamp(t + 268)} UTC::@:[411]:LOG:  checkpoint complete: wrote {sc.rng.randint(9000, 16000)} "
                            f"buffers ({sc.rng.uniform(6, 12):.1f}%); 0 WAL file(s) added, 0 removed, "
                            f"{sc.rng.randint(18, 30)} recycled; write={sc.rng.uniform(250, 269):.3f} s"))
        t += 300
    t = -21500.0
    while t < 0:
        t += sc.rng.uniform(240, 900)
        pg.append((t, f"{sc.stamp(t)} UTC::@:[{sc.rng.randint(20000, 40000)}]:LOG:  automatic vacuum of table "
                      f"\"telemetry.public.device_state\": index scans: 1"))
    pg.append((-12290.0, f"{sc.stamp(-12290)} UTC:10.40.7.19(51822):analyst@telemetry:[28811]:LOG:  duration: "
                         f"1183420.112 ms  statement: SELECT device_id, date_trunc('hour', ts) ..."))
    t = float(on)
    while t < -1:
        t += sc.rng.expovariate(14 / 60)
        ip = f"10.40.{sc.rng.randint(8, 11)}.{sc.rng.randint(3, 250)}"
        p = sc.rng.randint(40000, 60000)
        pre = f"{sc.stamp(t)} UTC:{ip}({sc.rng.randint(40000, 65000)}):telemetry_writer@telemetry:[{p}]:"
        pg.append((t, f"{pre}ERROR:  could not extend file \"{rel}\": No space left on device"))
        pg.append((t + 0.001, f"{pre}HINT:  Check free disk space."))
        pg.append((t + 0.002, f"{pre}STATEMENT:  COPY readings (device_id, ts, metric, value) FROM STDIN (FORMAT binary)"))
    sc.log("/aws/rds/instance/telemetry-db/postgresql", "telemetry-db.0", pg)
    sc.change(-4000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "reporting-pg15", "dba-oncall")
    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "device-registry-api", "github-actions-deployer")
    fd = {"FunctionName": "telemetry-writer"}
    sc.alarm("telemetry-writer-iterator-age", "AWS/Lambda", "IteratorAge", fd, "Maximum", 60, 5, 300000,
             description="Telemetry consumer falling behind (> 5 min)", want="ALARM")
    sc.alarm("device-registry-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "device-registry-api"},
             "Sum", 60, 3, 5, want="OK")
    sc.expect("telemetry-writer-iterator-age", "storage_exhaustion", ["telemetry-db"],
              [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "telemetry-db"}),
               ("AWS/Lambda", "IteratorAge", fd)])
    sc.readme("caller (Kinesis consumer)", "device-registry-api deploy 10 min before onset; parameter-group "
              "change on another DB; an analyst's 20-minute query causing an RDS CPU bump 3 h earlier",
              "telemetry-db's FreeStorageSpace has been falling ~2.6 GB/h all day (200 GB, no storage autoscaling) "
              "and reaches ~0 at 12:32. From then every COPY from telemetry-writer fails with `could not extend "
              "file ... No space left on device (SQLSTATE 53100)` - logged by PostgreSQL too - the consumer returns "
              "an error, Kinesis retries the same batches and IteratorAge grows linearly until the alarm. CPU, "
              "connections and RDS Proxy latency are normal. A full disk is `storage_exhaustion` and the origin is "
              "the database, although the alarm is on the consumer.")
    return sc


def b08() -> Scn:
    sc = Scn(8, "loyalty-db-connections-exhausted", "us-east-1", 2908, "2026-03-16T11:30:00",
             "loyalty-db DatabaseConnections alarm; loyalty point updates and the loyalty API failing.")
    on = -2400
    burst = lambda t: ramp(t, on, on + 240)
    sc.res("rds", "loyalty-db", engine="mysql", engine_version="8.0.39", instance_class="db.t3.medium",
           max_connections=150, allocated_storage_gb=100, parameter_group="loyalty-mysql80")
    sc.res("lambda", "loyalty-points-consumer", runtime="python3.12", timeout=30, memory_size=512,
           trigger="SQS loyalty-points-events (batch 10, no maximum concurrency)", rds_proxy=None)
    sc.res("lambda", "loyalty-api", runtime="python3.12", timeout=10, memory_size=512)
    sc.res("apigateway", "loyalty-rest-api", stage="prod", integration="loyalty-api")
    conns = lambda t: 36 + 190 * burst(t) if t >= on else 36 * sc.diurnal(t, 14, 0.15)
    rds_metrics(sc, "loyalty-db", lambda t: 21 * sc.diurnal(t, 14, 0.15) + 24 * burst(t), conns,
                lambda t: 61.5 * GB - (t + 21600) * 9000, freeable_mem=lambda t: 1.05e9 - 1.4e8 * burst(t),
                conn_hi=150.0)
    cinv = lambda t: 40 * sc.diurnal(t, 14, 0.15) + 860 * burst(t)
    lambda_metrics(sc, "loyalty-points-consumer", cinv, lambda t: 0.002 + 0.42 * burst(t),
                   lambda t: 190 + 140 * burst(t), conc_extra=lambda t: 140 * burst(t), conc_cap=152)
    ainv = lambda t: 520 * sc.diurnal(t, 14, 0.15)
    lambda_metrics(sc, "loyalty-api", ainv, lambda t: 0.0005 + 0.31 * burst(t), lambda t: 45 + 30 * burst(t))
    rest_api_metrics(sc, "loyalty-rest-api", ainv, lambda t: 0.0005 + 0.31 * burst(t), lambda t: 0.021,
                     lambda t: 60 + 40 * burst(t))
    sqs_metrics(sc, "loyalty-points-events", lambda t: 40 * sc.diurnal(t, 14, 0.15) + (90000 if on <= t < on + 60 else 0),
                lambda t: 12 + max(0.0, 90000 - max(0, t - on) / 60 * 520) * (1 if t >= on else 0),
                lambda t: 4 + max(0, t - on) if t >= on else 4, received=cinv,
                deleted=lambda t: cinv(t) * (1 - 0.42 * burst(t)))
    sqs_metrics(sc, "loyalty-email-queue", lambda t: 30.0, lambda t: 3, lambda t: 5)
    err = "(1040, 'Too many connections')"

    def consumer(sc, t, rid, env):
        r = sc.rng
        n = r.randint(1, 10) if t < on else 10
        if t >= on and r.random() < 0.45 * burst(t) and (env["n"] == 0 or r.random() < 0.5):
            d = r.uniform(30, 90)
            return Inv(d, r.randint(88, 97), [
                (3, "INFO", f"Processing {n} point events from loyalty-points-events"),
                (d - 2, None, py_trace("pymysql.err.OperationalError", err, [
                    ("/var/task/app.py", 48, "handler", "conn = get_connection()"),
                    ("/var/task/loyalty/db.py", 22, "get_connection",
                     "_conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database='loyalty')"),
                    ("/var/lang/lib/python3.12/site-packages/pymysql/connections.py", 361, "__init__", "self.connect()"),
                    ("/var/lang/lib/python3.12/site-packages/pymysql/connections.py", 669, "connect",
                     "self._get_server_information()")]))], "error")
        d = r.uniform(110, 320)
        lines = [(3, "INFO", f"Processing {n} point events from loyalty-points-events")]
        src = "partner-bulk:northwind-air" if t >= on and r.random() < 0.96 else "pos"
        lines.append((d - 4, "INFO", f"Credited {n} events (source={src}); balances updated in {d - 20:.0f} ms"))
        return Inv(d, r.randint(84, 96), lines)

    lambda_logs(sc, "loyalty-points-consumer", "python3.12", -7800, 0, 3,
                lambda t: 1.2 if t < on else 14.0, consumer, 512, 30, init_ms=(480, 900))

    def api(sc, t, rid, env):
        r = sc.rng
        m = f"M{r.randint(1000000, 9999999)}"
        if t >= on and r.random() < 0.31 * burst(t):
            d = r.uniform(20, 60)
            return Inv(d, r.randint(90, 99), [
                (d - 3, "ERROR", f"GET /members/{m}/balance failed: pymysql.err.OperationalError: {err}")], "error")
        d = r.uniform(25, 70)
        lines = [(d - 3, "INFO", f"GET /members/{m}/balance 200 {d:.0f}ms")]
        if r.random() < 0.02:
            lines = [(d - 3, "WARN", f"GET /members/{m}/balance 404 member not found")]
        return Inv(d, r.randint(90, 99), lines)

    lambda_logs(sc, "loyalty-api", "python3.12", -7800, 0, 2, lambda t: 5.0, api, 512, 10, init_ms=(450, 800))
    my = []
    t = -21600.0
    while t < 0:
        t += sc.rng.expovariate(1 / 240)
        cid = sc.rng.randint(180000, 260000)
        my.append((t, f"{sc.iso_us(t)} {cid} [Note] [MY-010914] [Server] Aborted connection {cid} to db: 'loyalty' "
                      f"user: 'app' host: '10.0.{sc.rng.randint(12, 15)}.{sc.rng.randint(3, 250)}' "
                      f"(Got timeout reading communication packets)."))
    sc.log("/aws/rds/instance/loyalty-db/error", "loyalty-db", my)
    sc.change(-7600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "loyalty-api", "github-actions-deployer")
    sc.change(-4100, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "loyalty-email-queue",
              "terraform-ci")
    db = {"DBInstanceIdentifier": "loyalty-db"}
    sc.alarm("loyalty-db-connections-high", "AWS/RDS", "DatabaseConnections", db, "Maximum", 60, 3, 140,
             description="loyalty-db connections near max_connections (150)", want="ALARM")
    sc.alarm("loyalty-db-cpu-high", "AWS/RDS", "CPUUtilization", db, "Average", 300, 2, 80, want="OK")
    sc.expect("loyalty-db-connections-high", "db_connection_exhaustion", ["loyalty-db"],
              [("AWS/RDS", "DatabaseConnections", db),
               ("AWS/Lambda", "Errors", {"FunctionName": "loyalty-points-consumer"})])
    sc.readme("origin", "loyalty-api deploy 2 h earlier; SQS attribute change on loyalty-email-queue; "
              "pre-existing MySQL `Aborted connection` notes at a constant rate; CPU alarm stays OK",
              "A partner drops a 90k-event bulk file into loyalty-points-events at 10:50. The SQS event source has no "
              "maximum concurrency, so loyalty-points-consumer scales to ~140 environments, each holding its own "
              "MySQL connection (no RDS Proxy). DatabaseConnections flat-tops at max_connections=150 and both the "
              "consumer and loyalty-api start failing with `pymysql.err.OperationalError: (1040, 'Too many "
              "connections')`. CPU rises moderately but stays far from saturation. Connections at the limit with "
              "`Too many connections` is `db_connection_exhaustion` on loyalty-db.")
    return sc
