"""h63-03: a BI gateway opens and parks hundreds of sessions on the provider-directory
PostgreSQL instance; the search function behind a private API can no longer connect."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import LOG_START, apigw, apigw_exec, emit, lambda_set, night_window, part, rds, sample, scanner
from .runtimes import LambdaLogs, pg

API, STAGE, API_ID = "provider-directory", "prod", "r7k2mq9x4d"
FN, DB = "directory-search", "provdir-pg-01"
MAXC = 300


def build() -> Scenario:
    sc = Scenario(3, "provider-directory", "Provider directory API (private) returning 502s to "
                  "clinic systems since mid-morning.", "ca-central-1", 6303, "2026-05-12T14:20:00+00:00")
    rng = sc.rng
    bi_start, full = -3300, -2160
    sc.resource("apigateway", API, endpoint_type="PRIVATE", stage=STAGE, api_id=API_ID,
                integration=f"lambda-proxy:{FN}")
    sc.resource("lambda", FN, runtime="dotnet8", timeout=15, memory_size=1024,
                environment={"DB_HOST": f"{DB}.cz1pq2rxy3ab.ca-central-1.rds.amazonaws.com",
                             "DB_POOL_MAX": "5"})
    sc.resource("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=MAXC, allocated_storage_gb=200, storage_encrypted=True)

    # ---------------------------------------------------------------- metrics
    cnt = sc.series(lambda t: 120 * diurnal(sc, t, 16, 0.45), integer=True)
    app_conns = lambda t: 62 * diurnal(sc, t, 16, 0.45)
    bi = lambda t: (MAXC - 3 - 62) * ramp(t, bi_start, full + 60)
    conns = sc.series(lambda t: min(MAXC - 3, app_conns(t) + bi(t)), noise=0.02, integer=True, cap=MAXC - 3)
    p_err = lambda t: 0.001 + 0.55 * ramp(t, full - 200, full + 400)
    err = part(sc, cnt, p_err)
    e4 = part(sc, cnt, lambda t: 0.012)
    dur = sc.series(lambda t: 140 + 5200 * p_err(t), noise=0.1)
    lat = [round(d + rng.gauss(22, 4), 2) for d in dur]
    apigw(sc, API, STAGE, cnt, err, e4, lat, integ=[round(d + 6, 2) for d in dur])
    conc = sc.series(lambda t: 4 + 60 * p_err(t), noise=0.1, integer=True)
    lambda_set(sc, FN, cnt, err, dur, thr=[0.0] * len(GRID), conc=conc)
    rds(sc, DB,
        CPUUtilization=sc.series(lambda t: 21 * diurnal(sc, t, 16, 0.45) + bump(t, -12300, -11700, 41, 120)
                                 + 6 * ramp(t, bi_start, full), noise=0.08),
        DatabaseConnections=conns,
        FreeableMemory=sc.series(lambda t: 9.4e9 - 11e6 * bi(t), noise=0.01, digits=0),
        FreeStorageSpace=sc.series(lambda t: 1.12e11, noise=0.0003, digits=0),
        ReadLatency=sc.series(lambda t: 0.0009, noise=0.2, digits=5),
        WriteLatency=sc.series(lambda t: 0.0014, noise=0.2, digits=5))

    # ---------------------------------------------------------------- function logs
    ll = LambdaLogs(sc, FN, "dotnet8", 1024, 15, mem_used=(212, 14))

    def body(_l, s, rid, is_err, cold):
        spec = rng.choice(["family-medicine", "pediatrics", "psychiatry", "physiotherapy", "cardiology"])
        city = rng.choice(["Ottawa", "Toronto", "Kingston", "Sudbury", "Hamilton"])
        lines = [(0.002, _l.fmt(s, rid, "INFO", f"GET /v2/practitioners?specialty={spec}&city={city}"
                                                 f"&acceptingPatients=true"))]
        if rng.random() < 0.05:
            lines.append((0.004, _l.fmt(s, rid, "WARN", f"CPSO registration {rng.randint(10000, 99999)} failed "
                                                         "checksum, record skipped")))
        if is_err and s < full - 200:
            msg = ("System.FormatException: The input string 'K1A 0B1x' was not in a correct format.\n   at "
                   "ProvDir.Search.PostalCode.Parse(String s) in /src/ProvDir.Search/PostalCode.cs:line 23")
            lines.append((0.01, _l.fmt(s, rid, "ERROR", f"Search failed: {msg}")))
            lines.append((0.011, f"{sc.iso(s)}\t{rid}\tfail\t{{\"errorType\":\"FormatException\",\"errorMessage\":"
                                 "\"The input string 'K1A 0B1x' was not in a correct format.\"}"))
            return {"lines": lines, "dur": rng.uniform(15, 30), "status": "error"}
        if is_err:
            if rng.random() < 0.6:
                msg = ("Npgsql.PostgresException (0x80004005): 53300: remaining connection slots are reserved "
                       "for non-replication superuser connections\n   at Npgsql.Internal.NpgsqlConnector."
                       "ReadMessageLong(...)\n   at Npgsql.NpgsqlConnection.OpenAsync(CancellationToken)\n   at "
                       "ProvDir.Search.PractitionerRepository.QueryAsync(SearchRequest req) in "
                       "/src/ProvDir.Search/PractitionerRepository.cs:line 57")
                d = rng.uniform(40, 160)
            else:
                msg = ("System.InvalidOperationException: The connection pool has been exhausted, either raise "
                       "'Max Pool Size' (currently 5) or 'Timeout' (currently 5 seconds) in your connection "
                       "string.\n   at Npgsql.PoolingDataSource.Get(...)\n   at ProvDir.Search.PractitionerRepository."
                       "QueryAsync(SearchRequest req) in /src/ProvDir.Search/PractitionerRepository.cs:line 57")
                d = rng.uniform(5000, 5100)
            lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "ERROR", f"Search failed: {msg}")))
            lines.append((d / 1000 + 0.001, f"{sc.iso(s + d / 1000)}\t{rid}\tfail\t"
                          f"{{\"errorType\":\"{'PostgresException' if d < 200 else 'InvalidOperationException'}\","
                          f"\"errorMessage\":\"{msg.splitlines()[0].split(': ', 1)[1]}\"}}"))
            apigw_exec(sc, API_ID, STAGE, s - 0.02, [
                (0.0, f"Starting execution for request: {sc.uuid()}"),
                (d / 1000 + 0.03, "Lambda execution failed with status 200 due to customer function error: "
                                  f"{msg.splitlines()[0].split(': ', 1)[1]}. Lambda request id: {rid}"),
                (d / 1000 + 0.04, "Method completed with status: 502")])
            return {"lines": lines, "dur": d + 2, "status": "error"}
        d = max(30, rng.gauss(140, 35))
        lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "INFO", f"returned {rng.randint(3, 60)} practitioners "
                                                                   f"in {d:.0f} ms")))
        return {"lines": lines, "dur": d}

    ll.run(*sample(sc, cnt, err, cap=2), body)

    # ---------------------------------------------------------------- database logs
    grp, st = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    emit(sc, grp, st, LOG_START, 0, lambda t: 0.2,
         lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 4200)} buffers "
                                    f"({rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, {rng.randint(1, 6)} removed, "
                                    f"{rng.randint(0, 4)} recycled", pid=583))
    emit(sc, grp, st, LOG_START, 0, lambda t: 0.6,
         lambda t: pg(sc, t, "LOG", "could not receive data from client: Connection reset by peer",
                      client=f"10.60.{rng.randint(20, 23)}.{rng.randint(5, 250)}({rng.randint(30000, 65000)})",
                      user="dirsvc", db="provdir"))
    emit(sc, grp, st, bi_start, full, lambda t: 2.8,
         lambda t: pg(sc, t, "LOG", "connection authorized: user=bi_reader database=provdir "
                                    "application_name=PowerBIGateway SSL enabled (protocol=TLSv1.3, "
                                    "cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                      client=f"10.72.8.15({rng.randint(30000, 65000)})", user="bi_reader", db="provdir"))
    emit(sc, grp, st, full - 120, 0, lambda t: 3.0,
         lambda t: pg(sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser "
                                      "connections",
                      client=f"10.60.{rng.randint(20, 23)}.{rng.randint(5, 250)}({rng.randint(30000, 65000)})",
                      user="dirsvc", db="provdir"))
    scanner(sc, "itsg33-controls-scan", "itsg33-audit", ["provdir-exports-cac1", "provdir-tf-state"],
            ["prod/provdir/db-admin", "prod/provdir/bi-reader"])

    # ---------------------------------------------------------------- changes
    night_window(sc, -21400, -19300, [
        ("kms.amazonaws.com", "CreateGrant", "AWS::KMS::Key", f"arn:aws:kms:ca-central-1:{sc.account}:key/{sc.uuid()}",
         "rds.amazonaws.com"),
        ("rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "provdir-pg-staging", "svc-terraform"),
        ("lambda.amazonaws.com", "TagResource", "AWS::Lambda::Function", FN, "svc-terraform"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "itsg33-audit", "svc-terraform"),
    ])
    sc.change(-2420, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              f"{API_ID}/{STAGE}", "platform-admin-ngagnon")
    sc.change(-9100, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "directory-sync",
              "github-actions-oidc")

    # ---------------------------------------------------------------- alarms
    d = {"ApiName": API, "Stage": STAGE}
    sc.alarm("provider-directory-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Provider directory private API server errors")
    sc.alarm("provider-directory-latency-p90", "AWS/ApiGateway", "Latency", d, "Average", 300, 2, 2000,
             "GreaterThanThreshold")
    sc.alarm(f"{DB}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 75,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "provider-directory-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": DB}}]}
    return sc
