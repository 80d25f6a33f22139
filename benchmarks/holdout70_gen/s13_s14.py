"""h70-13 (entitlement API: DB table locked by maintenance) and h70-14 (.NET ad-marker function rollout)."""
from __future__ import annotations


from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, apigw_metrics, at_rate, dmap, emit, lambda_config, lambda_deploy,
                  lambda_metrics, meta, pick, rds_metrics)
from .runtimes import LambdaLogs, pg


# =========================================================================== h70-13
def build_13() -> Scenario:
    sc = Scenario(13, "entitlement-api-5xx", "Subscribers told 'this title is not available on your plan'; "
                  "5XX alarm on the entitlement API.", "us-east-1", 7013, "2026-03-19T01:55:00+00:00")
    api, fn, db = "entitlement-api", "playback-authz", "subscriber-pg"
    sc.resource("apigateway", api, stage="live", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=10, memory_size=512,
                environment_keys=["DATABASE_URL", "PG_STATEMENT_TIMEOUT_MS=4000"])
    sc.resource("lambda", "device-register", runtime="ruby3.3", timeout=10, memory_size=256)
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=2500, allocated_storage_gb=500)
    lock0 = -2520
    game0, game1 = -14400, -12600  # late-night football: legit extra playback starts
    locked = lambda t: ramp(t, lock0, lock0 + 60)
    cnt = sc.series(lambda t: 16 * diurnal(sc, t, 1.5, 0.2) * (1 + bump(t, game0, game1, 0.8, 300)), integer=True)
    e5 = [float(min(c, max(0, round(c * 0.62 * locked(t) + sc.rng.gauss(0, 1.0) * locked(t))
                          + (1 if sc.rng.random() < 0.1 else 0)))) for t, c in zip(GRID, cnt)]
    e4 = sc.series(lambda t: at_rate(cnt, t) * 0.03, integer=True)
    lat = sc.series(lambda t: 85 + 2700 * locked(t), noise=0.08)
    apigw_metrics(sc, api, cnt, e4, e5, lat, [round(v - 9, 3) for v in lat])
    dur = sc.series(lambda t: 70 + 2600 * locked(t), noise=0.08)
    lambda_metrics(sc, fn, cnt, e5, dur)
    dinv = sc.series(lambda t: 3, integer=True)
    lambda_metrics(sc, "device-register", dinv, sc.series(lambda t: 0.02, integer=True), sc.series(lambda t: 60, noise=0.1))
    rds_metrics(sc, db, sc.series(lambda t: 11 + 6 * bump(t, game0, game1, 1) + 9 * locked(t), noise=0.06),
                sc.series(lambda t: 42 + 12 * bump(t, game0, game1, 1) + 30 * locked(t), noise=0.04, digits=0),
                sc.series(lambda t: 318.5 - 0.01 * (t + 21600) / 3600, noise=0.0002),
                read_lat=sc.series(lambda t: 0.0008 + 0.004 * locked(t), noise=0.1, digits=5),
                write_lat=sc.series(lambda t: 0.0014 + 0.006 * locked(t), noise=0.1, digits=5),
                free_mem_gb=sc.series(lambda t: 18.5, noise=0.01))

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 10, mem_used=(118, 6))
    titles = [f"ttl-{sc.rng.randint(10000, 99999)}" for _ in range(80)]

    def body(ll_, t, rid, is_err, cold):
        acct = f"acc_{sc.hexid(10)}"
        ti = pick(sc, titles)
        lines = [(0.002, ll_.fmt(t, rid, "INFO", f"authz account={acct} title={ti} device={pick(sc, ['tv', 'web', 'ios', 'android'])}"))]
        if is_err and t >= lock0:
            return {"dur": sc.rng.uniform(4010, 4150), "lines": lines + [(4.02, ll_.fmt(
                t + 4.02, rid, "ERROR", "PG::QueryCanceled: ERROR:  canceling statement due to statement timeout\n"
                "/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:244:in `exec_params'\n"
                "/var/task/lib/entitlements/repo.rb:31:in `plan_for'\n/var/task/handler.rb:18:in `call'"))]}
        if is_err:
            return {"dur": sc.rng.uniform(20, 60), "lines": lines + [(0.01, ll_.fmt(
                t + 0.01, rid, "ERROR", "NoMethodError: undefined method `[]' for nil (NoMethodError)\n"
                "/var/task/lib/geo/lookup.rb:12:in `country_for'"))]}
        extra = []
        if sc.rng.random() < 0.04:
            extra.append((0.01, ll_.fmt(t + 0.01, rid, "WARN", f"PG::UniqueViolation on device_seen insert for {acct}; ignored")))
        d = sc.rng.gauss(70, 15) + (2000 * locked(t) * sc.rng.random())
        return {"dur": d, "lines": lines + extra + [(d / 1000, ll_.fmt(t + d / 1000, rid, "INFO", f"granted plan=premium title={ti}"))]}

    ll.run({k: v for k, v in dmap(cnt).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(e5).items() if k >= LOG_FROM}, body)
    pl, ps = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.15, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(800, 5000)} buffers ({sc.rng.uniform(0.2, 1.8):.1f}%); "
        "0 WAL file(s) added, 0 removed, 2 recycled"))
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.3, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint \"device_seen_pkey\"", client=sc.ip("10.31"),
        user="authz_app", db="subscribers"))
    holder = 30417
    sc.log(pl, ps, lock0 - 2.5, pg(sc, lock0 - 2.5, "LOG", "statement: VACUUM (FULL, VERBOSE, ANALYZE) public.entitlements;",
                                   client="10.31.9.14", user="dba_maint", db="subscribers", pid=holder))
    sc.log(pl, ps, lock0 - 2.4, pg(sc, lock0 - 2.4, "INFO", "vacuuming \"public.entitlements\"", client="10.31.9.14",
                                   user="dba_maint", db="subscribers", pid=holder))
    emit(sc, pl, ps, lock0 + 1, 0, lambda t: 2.5, lambda t: pg(
        sc, t, "LOG", f"process {sc.rng.randint(1000, 29000)} still waiting for AccessShareLock on relation 16421 of "
        f"database 16390 after 1000.{sc.rng.randint(10, 99)} ms\nDETAIL:  Process holding the lock: {holder}. Wait queue: "
        f"{', '.join(str(sc.rng.randint(1000, 29000)) for _ in range(4))}.", client=sc.ip("10.31"), user="authz_app", db="subscribers"))
    emit(sc, pl, ps, lock0 + 4, 0, lambda t: at_rate(e5, t) * 0.3, lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout\nSTATEMENT:  SELECT plan_id, windows FROM "
        "entitlements WHERE account_id = $1 AND title_id = $2", client=sc.ip("10.31"), user="authz_app", db="subscribers"))
    lambda_deploy(sc, -2490, "device-register", "gha-identity")
    sc.change(game0 - 600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/live",
              "sre-oncall")
    sc.alarm("entitlement-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Entitlement API 5XX")
    sc.alarm("playback-authz-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 60, 3, 1000,
             "GreaterThanThreshold")
    sc.alarm("subscriber-pg-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum",
             300, 1, 2000, "GreaterThanThreshold")
    sc.expect = {"alarm": "entitlement-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}},
                               {"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": {"DBInstanceIdentifier": db}}]}
    meta(sc, "front (API Gateway); origin is the database behind the Lambda",
         "another function's deploy 30 s after the onset; long-standing NoMethodError and duplicate-key errors; "
         "football-match traffic bump 4 h ago; Lambda duration alarm (symptom)",
         "`entitlement-api` 5XX rise at about -2500. `playback-authz` fails with `PG::QueryCanceled: canceling "
         "statement due to statement timeout` after its 4 s statement timeout, and its duration jumps from 70 ms to "
         "seconds. `subscriber-pg` is far from any limit (CPU about 20 %, 70 of 2,500 connections, storage and "
         "memory fine), but its log shows a `VACUUM (FULL ...) public.entitlements` started by `dba_maint` "
         "at -2522, followed by continuous `still waiting for AccessShareLock on relation 16421 ... Process holding "
         "the lock: 30417`: the table is locked, so every entitlement query waits. The `device-register` deploy is "
         "right at the onset but it does not touch this path. The `NoMethodError` in geo lookup and duplicate-key "
         "errors are steady all night, and the traffic bump four hours ago was a football match. Verdict: "
         "dependency failure; origin is the database (not exhausted, locked by maintenance).")
    return sc


# =========================================================================== h70-14
def build_14() -> Scenario:
    sc = Scenario(14, "ad-marker-errors", "VOD playlists missing ad breaks, some failing; Errors alarm on "
                  "the ad-marker function.", "eu-west-1", 7014, "2026-03-20T09:05:00+00:00")
    fn, other = "scte-marker-writer", "ssai-session-tracker"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=1024, alias="live")
    sc.resource("lambda", other, runtime="dotnet8", timeout=10, memory_size=512)
    sc.resource("apigateway", "vod-playlist-api", stage="prod", integration=f"lambda:{fn}")
    dep, onset, cfg = -2880, -2860, -2838
    batch0, batch1 = -16200, -14400
    inv = sc.series(lambda t: 16 * diurnal(sc, t, 9.0, 0.25) * (1 + bump(t, batch0, batch1, 1.0, 200)), integer=True)
    share = lambda m: 0.38 * min(1.0, max(0.0, (m + 60 - onset) / 60.0))  # cue points written as HH:MM:SS.fff
    base = sc.series(lambda t: 0.25, integer=True)
    err = [float(min(i, b + round(i * share(t)))) for t, i, b in zip(GRID, inv, base)]
    lambda_metrics(sc, fn, inv, err, sc.series(lambda t: 140, noise=0.12))
    apigw_metrics(sc, "vod-playlist-api", inv, sc.series(lambda t: 0.4, integer=True), err,
                  sc.series(lambda t: 170, noise=0.1))
    oinv = sc.series(lambda t: 40 * diurnal(sc, t, 9.0, 0.25), integer=True)
    lambda_metrics(sc, other, oinv, sc.series(lambda t: 0.05, integer=True), sc.series(lambda t: 35, noise=0.1))

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 15, mem_used=(190, 12),
                    epochs=((-10 ** 9, "41"), (dep + 20, "42")), retire=[dep + 20])
    titles = [f"vod_{sc.rng.randint(100000, 999999)}" for _ in range(90)]

    def body(ll_, t, rid, is_err, cold):
        ti = pick(sc, titles)
        lines = [(0.002, ll_.fmt(t, rid, "INFO", f"Writing SCTE-35 markers for {ti} (variants={pick(sc, [5, 6, 7])})"))]
        if sc.rng.random() < 0.12:
            lines.append((0.01, ll_.fmt(t + 0.01, rid, "WARN", f"Ladder rung 2160p absent for {ti}; markers written for 6 variants")))
        if is_err and t >= dep + 20:
            e = {"errorType": "FormatException",
                 "errorMessage": "The TimeSpan string '00:12:30.040' could not be parsed because at least one of the numeric "
                                 "components is out of range or contains too many digits.",
                 "stackTrace": ["at System.Globalization.TimeSpanParse.Parse(ReadOnlySpan`1 input, IFormatProvider formatProvider)",
                                "at Media.Ads.CuePointReader.ToOffset(String raw) in /src/Media.Ads/CuePointReader.cs:line 64",
                                "at Media.Ads.MarkerWriter.WriteAsync(PlaylistRequest req) in /src/Media.Ads/MarkerWriter.cs:line 38",
                                "at Media.Ads.Function.HandleAsync(APIGatewayProxyRequest request, ILambdaContext context)"]}
            return {"dur": sc.rng.uniform(20, 60), "lines": lines + [
                (0.02, ll_.fmt(t + 0.02, rid, "ERROR", "Unhandled exception. System.FormatException: " + e["errorMessage"])),
                (0.021, jdump(e))]}
        if is_err:
            return {"dur": sc.rng.uniform(40, 90), "lines": lines + [(0.03, ll_.fmt(
                t + 0.03, rid, "ERROR", f"Amazon.S3.AmazonS3Exception: The specified key does not exist. "
                f"(Key: cues/{ti}/breaks.json)"))]}
        return {"dur": sc.rng.gauss(140, 30), "lines": lines + [
            (0.12, ll_.fmt(t + 0.12, rid, "INFO", f"Inserted {sc.rng.randint(2, 6)} cue-outs into {ti}/master.m3u8"))]}

    ll.run({k: v for k, v in dmap(inv).items() if k >= LOG_FROM},
           {k: v for k, v in dmap(err).items() if k >= LOG_FROM}, body)
    lambda_deploy(sc, dep, fn, "azure-devops-media")
    sc.change(dep + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", f"{fn}:live",
              "azure-devops-media")
    lambda_config(sc, cfg, other, "m.oconnell")
    sc.change(batch0 - 45, "events.amazonaws.com", "EnableRule", "AWS::Events::Rule", "catalogue-ad-remarker",
              "ops-scheduler")
    sc.alarm("scte-marker-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Ad marker function errors")
    sc.alarm("ssai-session-tracker-throttles", "AWS/Lambda", "Throttles", {"FunctionName": other}, "Sum", 60, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "scte-marker-writer-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, "origin (the deployed function)",
         "configuration change on another function 22 s after the alias switch (nearest change); pre-existing S3 "
         "missing-key errors; ladder warnings; scheduled ad re-marking batch 4.5 h ago",
         "`scte-marker-writer` was deployed at -2880 (UpdateFunctionCode, PublishVersion 42, and the `live` alias "
         "moved at -2860). From then on about 40 % of invocations, all on version 42, fail with a new signature: "
         "`System.FormatException: The TimeSpan string '00:12:30.040' could not be parsed` in "
         "`CuePointReader.ToOffset`, the titles whose cue points carry milliseconds. The `ssai-session-tracker` "
         "configuration change at -2838 is the change nearest the onset, but the errors begin before it, it is "
         "another function and its metrics do not move. The `AmazonS3Exception: The specified key does not exist` errors on missing cue files and the "
         "ladder warnings ran at the same rate on version 41. The invocation bump 4.5 hours ago is a scheduled "
         "catalogue re-marking batch. Verdict: bad deployment of the function.")
    return sc


BUILDERS = [build_13, build_14]
