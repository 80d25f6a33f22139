"""h75-01 (card authorisation API over an exhausted core PostgreSQL) and h75-02 (fraud scorer
release with a new NullPointerException)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import pg
from .common75 import (apigw_exec, apigw_pack, biz, const, emit, every,
                       lambda_logs, lambda_pack, new, plus, rds_pack, stacktrace_dotnet,
                       stacktrace_java)


def build01():
    sc = new(1, "card-authorisation-5xx", "Card authorisation API returning 5XX to the card "
             "processor; the API Gateway 5XX alarm paged the payments on-call.", "eu-west-2",
             "2026-03-02T10:42:00")
    api, fn, db, vault = "cardauth-public", "authz-svc", "pgcore-a1", "card-token-vault"
    onset, leak = -1500, -2760
    sc.resource("apigateway", api, stage="prod", api_id="k3v9q2m1xa", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=10, memory_size=1024,
                environment_keys=["CORE_DB_HOST", "HSM_ENDPOINT", "AUTH_RULESET"])
    sc.resource("lambda", vault, runtime="dotnet8", timeout=6, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                max_connections=400, allocated_storage_gb=500, multi_az=True)
    rate = biz(sc, 640, peak=12.0, amp=0.35)
    err_share = lambda t: 0.17 * ramp(t, onset, onset + 180)
    apigw_pack(sc, api, rate, lambda t: rate(t) * 0.011, lambda t: rate(t) * err_share(t),
               lambda t: 185 + 90 * ramp(t, onset, onset + 180))
    lam = lambda_pack(sc, fn, rate, lambda t: rate(t) * err_share(t),
                      lambda t: 142 + 40 * ramp(t, onset, onset + 180))
    lambda_pack(sc, vault, biz(sc, 210), const(0.0), const(38.0))
    conns = lambda t: min(400.0, 176 + 226 * ramp(t, leak, onset - 30))
    rds_pack(sc, db, lambda t: 31 + 5 * ramp(t, leak, onset) + bump(t, -9300, -8700, 38),
             conns, lambda t: 311 - 0.00002 * (t + 21600), const(9.4),
             read_ms=const(1.3), write_ms=const(2.1), conn_cap=400.0)
    sc.alarm("cardauth-public-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3,
             25, "GreaterThanThreshold", "Card authorisation API 5XX (processor sees declines)")
    sc.alarm("authz-svc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 100,
             "GreaterThanThreshold", "authz-svc unhandled errors")
    sc.alarm("pgcore-a1-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 80, "GreaterThanThreshold", "Core ledger DB CPU")
    sc.change(-20400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "rds-backup-automation")
    sc.change(-5400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "azdo-release-payments")
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", vault, "chg-window-CHG0048811")
    sc.change(-1590, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              vault, "chg-window-CHG0048811")

    def body(ll, t, rid, is_err, cold):
        r = sc.rng
        lines = []
        if r.random() < 0.02:
            lines.append((0.004, ll.fmt(t, rid, "WARN", "HSM call exceeded 80 ms budget; Polly "
                                        f"retry 1/3 (keyslot=pin-{r.randint(1, 8)})")))
        if is_err:
            exc = stacktrace_dotnet(
                "Npgsql.PostgresException (0x80004005)",
                "53300: remaining connection slots are reserved for non-replication superuser "
                "connections",
                ["Npgsql.Internal.NpgsqlConnector.<ReadMessageLong>g__ReadMessageLong|234_0"
                 "(NpgsqlConnector connector, Boolean async, DataRowLoadingMode dataRowLoadingMode,"
                 " Boolean readingNotifications, Boolean isReadingPrependedMessage)",
                 "Npgsql.Internal.NpgsqlConnector.Open(NpgsqlTimeout timeout, Boolean async, "
                 "CancellationToken cancellationToken)",
                 "Npgsql.PoolingDataSource.OpenNewConnector(NpgsqlConnection conn, NpgsqlTimeout "
                 "timeout, Boolean async, CancellationToken cancellationToken)",
                 "Northbank.Cards.Authz.Ledger.HoldRepository.PlaceHoldAsync(AuthRequest req) "
                 "in /src/Authz/Ledger/HoldRepository.cs:line 58",
                 "Northbank.Cards.Authz.Function.FunctionHandler(APIGatewayProxyRequest request, "
                 "ILambdaContext context) in /src/Authz/Function.cs:line 41"])
            lines.append((0.03, ll.fmt(t, rid, "ERROR", exc)))
            lines.append((0.031, json.dumps({"errorType": "PostgresException", "errorMessage":
                          "53300: remaining connection slots are reserved for non-replication "
                          "superuser connections"})))
            return {"dur": r.uniform(25, 60), "lines": lines}
        amt = round(r.lognormvariate(3.4, 1.0), 2)
        lines.append((r.uniform(0.03, 0.12), ll.fmt(
            t, rid, "INFO", f"Authorised stan={r.randint(100000, 999999)} mcc={r.choice(['5411', '5812', '4111', '5999', '6011'])} "
            f"amount={amt:.2f} {r.choice(['GBP', 'GBP', 'EUR'])} decision={'APPROVE' if r.random() < 0.93 else 'DECLINE'} "
            f"hold_id=H{r.randint(10 ** 8, 10 ** 9)}")))
        return {"dur": r.gauss(140, 25), "lines": lines}

    lambda_logs(sc, fn, "dotnet8", 1024, 10, lam["inv"], lam["err"], body, per_min=3.0)
    g, s = apigw_exec(sc, "k3v9q2m1xa")
    emit(sc, g, s, lambda t: 2.5 if t >= onset + 20 else 0.0, lambda t: (
        f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
        "53300: remaining connection slots are reserved for non-replication superuser "
        f"connections. Lambda request id: {sc.uuid()}"))
    emit(sc, g, s, lambda t: 0.4, lambda t: f"({sc.uuid()}) Method completed with status: 429")
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
          f"{sc.rng.randint(1800, 5200)} buffers ({sc.rng.uniform(0.8, 2.4):.1f}%); 0 WAL file(s) "
          f"added, 0 removed, {sc.rng.randint(2, 6)} recycled", pid=611), start=-21600)
    emit(sc, pgg, pgs, const(0.5), lambda t: pg(
        sc, t, "ERROR", 'duplicate key value violates unique constraint "auth_idempotency_pk"',
        client=f"10.40.{sc.rng.randint(16, 31)}.{sc.rng.randint(2, 250)}(5{sc.rng.randint(1000, 9999)})",
        user="authz_app", db="corebank"), start=-21600)
    emit(sc, pgg, pgs, lambda t: 0.3 + 4.5 * (leak <= t < onset) + 0.6 * (t >= onset), lambda t: pg(
        sc, t, "LOG", "connection authorized: user=recon_ro database=corebank "
        "application_name=recon-export SSL enabled (protocol=TLSv1.3)",
        client=f"10.40.72.{sc.rng.randint(10, 40)}(4{sc.rng.randint(1000, 9999)})", user="recon_ro",
        db="corebank"), start=-21600)
    emit(sc, pgg, pgs, lambda t: 4.0 if t >= onset else 0.0, lambda t: pg(
        sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser "
        "connections", client=f"10.40.{sc.rng.randint(16, 31)}.{sc.rng.randint(2, 250)}"
        f"(5{sc.rng.randint(1000, 9999)})", user="authz_app", db="corebank"))
    every(sc, pgg, pgs, 600, lambda t: pg(sc, t, "LOG", "automatic vacuum of table "
          '"corebank.public.card_holds": index scans: 1', pid=sc.rng.randint(20000, 30000)),
          start=-21600, offset=140)
    sc.expect = {"alarm": "cardauth-public-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(front="front (API Gateway; origin is the RDS instance two hops back)",
                   decoys=f"config update + publish on `{vault}` 2 min before onset; duplicate-key "
                          "errors and HSM retry warnings all six hours; a second alarm on the "
                          "function; an autovacuum CPU bump 2.5 h earlier",
                   services="API Gateway, Lambda (.NET 8), RDS PostgreSQL",
                   story=(
        "The processor-facing authorisation API starts failing about 25 minutes before the page. "
        f"API Gateway execution logs and `{fn}` show Npgsql `53300: remaining connection slots are "
        f"reserved` from `{db}`, whose DatabaseConnections climbs from ~176 to the 400 limit over "
        "twenty minutes before onset while CPU and latency stay normal. The PostgreSQL log shows "
        "why: `recon_ro` sessions from `recon-export` are opened at ~5 a minute and never closed, "
        "then FATAL slot refusals for `authz_app`. The configuration update to the token vault two "
        "minutes earlier touches a function that never errors; the duplicate-key errors and HSM "
        "retries are at the same rate all morning."))
    return sc


def build02():
    sc = new(2, "risk-scoring-errors", "Risk scoring function errors alarm fired during the "
             "afternoon e-commerce peak.", "eu-central-1", "2026-03-10T15:18:00")
    fn, other, db = "fraud-scorer", "dispute-intake", "riskfeat-my2"
    deploy = -2440
    sc.resource("lambda", fn, runtime="java21", timeout=15, memory_size=2048, alias="live",
                snap_start=True)
    sc.resource("lambda", other, runtime="java21", timeout=30, memory_size=1024)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)
    rate = biz(sc, 310, peak=16.0, amp=0.3)
    err = lambda t: 0.4 + rate(t) * 0.16 * ramp(t, deploy, deploy + 120)
    lam = lambda_pack(sc, fn, rate, err, lambda t: 61 - 6 * ramp(t, deploy, deploy + 120))
    lambda_pack(sc, other, plus(biz(sc, 14), lambda t: bump(t, -3300, -2900, 60)), const(0.0),
                const(420.0))
    rds_pack(sc, db, biz(sc, 22), const(140.0), const(288.0), const(6.1), read_ms=const(0.9))
    sc.alarm("fraud-scorer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Fraud scoring unhandled errors")
    sc.alarm("dispute-intake-invocations-high", "AWS/Lambda", "Invocations",
             {"FunctionName": other}, "Sum", 300, 1, 250, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             other, "gitlab-runner-risk"),
            (deploy - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", fn, "gitlab-runner-risk"),
            (deploy - 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             fn, "gitlab-runner-risk"),
            (deploy, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
             "gitlab-runner-risk"),
            (-2350, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db,
             "dba-kpatel"),
            (-2300, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", db,
             "dba-kpatel")]:
        sc.change(t, src, ev, rt, name, user)

    npe = stacktrace_java(
        "java.lang.NullPointerException", 'Cannot invoke "com.northbank.risk.model.DeviceFingerprint'
        '.hash()" because the return value of "com.northbank.risk.model.ScoringRequest.device()" is '
        "null", ["com.northbank.risk.features.DeviceVelocity.compute(DeviceVelocity.java:74)",
                 "com.northbank.risk.engine.FeaturePipeline.lambda$run$2(FeaturePipeline.java:118)",
                 "java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
                 "com.northbank.risk.engine.FeaturePipeline.run(FeaturePipeline.java:121)",
                 "com.northbank.risk.Handler.handleRequest(Handler.java:52)"])
    old = stacktrace_java(
        "com.northbank.risk.features.FeatureStoreTimeoutException", "merchant_profile lookup "
        "exceeded 250 ms", ["com.northbank.risk.features.FeatureStoreClient.get(FeatureStoreClient."
                            "java:203)", "com.northbank.risk.Handler.handleRequest(Handler.java:47)"])

    def body(ll, t, rid, is_err, cold):
        r = sc.rng
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"scoring auth_ref={r.randint(10 ** 11, 10 ** 12)} "
                                f"channel={r.choice(['ECOM', 'ECOM', 'POS', 'MOTO'])}"))]
        if r.random() < 0.03:
            lines.append((0.02, ll.fmt(t, rid, "WARN", "FeatureStoreClient - feature lookup slow "
                                       f"({r.randint(130, 240)} ms), using cached merchant_profile")))
        if is_err:
            new_sig = t >= deploy and r.random() > 0.03
            trace = npe if new_sig else old
            lines.append((0.03, ll.fmt(t, rid, "ERROR", trace)))
            etype = trace.split(":")[0]
            lines.append((0.031, json.dumps({"errorMessage": trace.split("\n")[0].split(": ", 1)[1],
                                             "errorType": etype})))
            return {"dur": r.uniform(20, 45) if new_sig else r.uniform(260, 300), "lines": lines}
        score = r.betavariate(1.2, 9)
        lines.append((r.uniform(0.03, 0.06), ll.fmt(
            t, rid, "INFO", f"score={score:.3f} model=gbm-2026.02 action="
            f"{'REVIEW' if score > 0.6 else 'ALLOW'}")))
        return {"dur": r.gauss(60, 12), "lines": lines}

    lambda_logs(sc, fn, "java21", 2048, 15, lam["inv"], lam["err"], body, per_min=3.0,
                epochs=[(-10 ** 9, "142"), (deploy, "143")], mem_used=(610, 40))
    sc.expect = {"alarm": "fraud-scorer-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Java 21), RDS MySQL",
                   decoys=f"`ModifyDBInstance` + tags on `{db}` after the release but before the "
                          f"alarm; FeatureStoreTimeoutException errors all day; an invocation "
                          f"burst and its alarm on `{other}`",
                   story=(
        f"`{fn}` is released (code update, version 143, alias `live` moved) at -41 min. From that "
        "minute a NullPointerException in `DeviceVelocity.compute` appears on version-143 "
        "streams only and Errors go from a steady ~0.4/min (old FeatureStoreTimeoutException) "
        f"to ~50/min. The DBA's `ModifyDBInstance` on `{db}` comes 90 s after onset and the "
        "database metrics never move; the dispute-intake burst is an unrelated batch."))
    return sc


BUILDERS = [build01, build02]
