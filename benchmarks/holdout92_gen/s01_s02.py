"""h92-01 (feed sync setting change) and h92-02 (photo derivatives out of memory)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .base import (ZERO, anomaly, api_id, apigw_metrics, cnt, expect, lambda_metrics, make,
                   rds_metrics, sample, val)

BOARDS = ["TRREB", "OREB", "RAHB", "KWAR", "LSTAR", "CREB"]


# =========================================================================== h92-01
def build_01():
    sc = make(1, "ddf-sync-errors-saturday", "Canadian listing sync failing; Lambda Errors alarm "
              "paged the data-platform on-call.", "ca-central-1", "2026-05-16T14:10:00",
              category="config_change", side="origin", services="Lambda (Python), RDS PostgreSQL",
              runtime="python3.12", fmt="plain Lambda text",
              decoys="photo-fetch deploy 12 s after the cause; chronic photo-fetch Duration alarm + 404 errors; geocode warnings",
              story=(
                  "`ddf-listing-sync` pulls CREA DDF listings for six boards on a one-minute schedule. "
                  "At -2850 s `marie.gagnon` ran UpdateFunctionConfiguration on it; from the next "
                  "scheduled batch (-2820 s) every invocation fails at start-up with `ValueError: "
                  "DDF_PAGE_SIZE must be between 1 and 100 (got '250')` raised from `Settings.from_env`, "
                  "and duration collapses from ~2.4 s to ~0.2 s. `listing-photo-fetch` got a code "
                  "deploy 12 s later (closer to the onset), but its errors (photo 404s) and its long-"
                  "standing Duration alarm are unchanged for six hours; the PostgreSQL database only "
                  "gets quieter because upserts stop."))
    fn, photo, db = "ddf-listing-sync", "listing-photo-fetch", "ca-listings-pg"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=512,
                handler="app.handler.handler")
    sc.resource("lambda", photo, runtime="python3.12", timeout=60, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=400)
    t_cfg, t_dec, onset = -2850, -2838, -2820
    bad = lambda t: t >= onset
    inv = [6.0 for _ in GRID]
    err = [6.0 if bad(t) else 0.0 for t in GRID]
    dur = val(sc, lambda t: 190.0 if bad(t) else 2400.0 * diurnal(sc, t, 17, 0.15), noise=0.12)
    lambda_metrics(sc, fn, inv, err, dur, conc=[1.0 for _ in GRID])

    ll = LambdaLogs(sc, fn, "python3.12", 512, 120, retire=(t_cfg,), mem_used=(182, 14))

    def body(ll, t, rid, is_err, cold):
        board = sc.rng.choice(BOARDS)
        if is_err:
            tb = ("[ERROR] ValueError: DDF_PAGE_SIZE must be between 1 and 100 (got '250')\n"
                  "Traceback (most recent call last):\n"
                  '  File "/var/task/app/handler.py", line 41, in handler\n    cfg = Settings.from_env()\n'
                  '  File "/var/task/app/settings.py", line 58, in from_env\n'
                  "    raise ValueError(f\"DDF_PAGE_SIZE must be between 1 and 100 (got {raw!r})\")")
            return {"lines": [(0.004, ll.fmt(t, rid, "INFO", f"sync start board={board}")),
                              (0.15, tb)], "dur": sc.rng.uniform(150, 240)}
        d = max(600.0, sc.rng.gauss(2400, 500))
        n = sc.rng.randint(40, 260)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"sync start board={board}")),
                 (0.3, ll.fmt(t + 0.3, rid, "INFO",
                              f"GET /v1/property?LastUpdated=gt&page_size=100 board={board} -> 200 "
                              f"({min(n, 100)} records)"))]
        if sc.rng.random() < 0.45:
            lines.append((d / 2000, ll.fmt(t + d / 2000, rid, "WARNING",
                                           f"listing {sc.rng.randint(26000000, 26999999)}: missing "
                                           "Latitude/Longitude, geocode deferred")))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                                               f"upserted {n} listings, {n // 5} photo jobs queued")))
        return {"lines": lines, "dur": d}

    for m in GRID:
        for k in range(3):  # three of the six board jobs logged a minute
            s = m + 2 + k * 3.3 + sc.rng.uniform(0, 1.5)
            ll.invoke(s, bad(s), body)

    # the photo fetcher: noisy and slow for hours, deployed right before the onset
    pinv = cnt(sc, lambda t: 22 * diurnal(sc, t, 17, 0.2))
    perr = cnt(sc, lambda t: 1.6)
    pdur = val(sc, lambda t: 4200 * diurnal(sc, t, 17, 0.1), noise=0.1)
    pd = lambda_metrics(sc, photo, pinv, perr, pdur)
    pl = LambdaLogs(sc, photo, "python3.12", 1024, 60, retire=(t_dec,), mem_used=(430, 40))

    def pbody(ll, t, rid, is_err, cold):
        key = f"{sc.rng.choice(BOARDS).lower()}/{sc.rng.randint(26000000, 26999999)}/{sc.rng.randint(1, 40)}.jpg"
        if is_err:
            return {"lines": [(0.2, ll.fmt(t, rid, "ERROR", f"HTTPError: 404 Client Error: Not Found for url: "
                                            f"https://ddfcdn.realtor.ca/listings/{key}"))],
                    "dur": sc.rng.uniform(300, 900)}
        d = max(900.0, sc.rng.gauss(4200, 900))
        return {"lines": [(d / 1000 - 0.02, ll.fmt(t, rid, "INFO", f"stored s3://ca-listing-media/{key} "
                                                     f"({sc.rng.randint(180, 2400)} KB)"))], "dur": d}

    li, le = sample(sc, pinv, perr, cap=2)
    pl.run(li, le, pbody)

    rds_metrics(sc, db, val(sc, lambda t: 22 - 6 * ramp(t, onset, onset + 300), noise=0.12),
                cnt(sc, lambda t: 46 - 8 * ramp(t, onset, onset + 300)),
                val(sc, lambda t: 212e9 - 1e5 * (t + 21600) / 60, noise=0.0005, digits=0),
                val(sc, lambda t: 9.1e9, noise=0.01, digits=0),
                val(sc, lambda t: 0.0011, noise=0.2, digits=5))

    sc.change(t_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "marie.gagnon")
    sc.change(t_dec, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", photo, "gh-actions-deploy")
    sc.change(t_dec + 4, "lambda.amazonaws.com", "PublishVersion20150331",
              "AWS::Lambda::Function", photo, "gh-actions-deploy")
    sc.change(-15400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "aws-backup-ca-central")
    sc.alarm("listing-photo-fetch-slow", "AWS/Lambda", "Duration", pd, "Average", 300, 1, 3000,
             "GreaterThanThreshold", "photo fetch p-avg duration")
    sc.alarm("ddf-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "DDF listing sync errors")
    expect(sc, "ddf-sync-errors", "config_change", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


# =========================================================================== h92-02
def build_02():
    sc = make(2, "media-derivatives-failing", "Listing photos stuck without thumbnails; Errors "
              "alarm on the derivative generator.", "us-east-1", "2026-05-17T16:25:00",
              category="memory_exhaustion", side="origin", services="Lambda (Node.js), API Gateway",
              runtime="nodejs20.x", fmt="Lambda Node text",
              decoys="PutFunctionConcurrency on lead-notify 40 s before onset; own deploy 2.6 h earlier; chronic 4XX alarm on the upload API; steady 'unsupported image format' errors",
              story=(
                  "`photo-derivatives` (Node 20, sharp, 1024 MB) resizes every uploaded listing photo. "
                  "From about -3060 s a growing share of inputs are 40-70 MB high-resolution originals; "
                  "those invocations end with `Error: Runtime exited with error: signal: killed` and "
                  "REPORT `Max Memory Used: 1024 MB ... Error Type: Runtime.OutOfMemory`, while normal "
                  "photos still succeed at ~540 MB. The function's last deploy was 2.6 h earlier and ran "
                  "cleanly; a concurrency change on `lead-notify` is the only CloudTrail event near the onset, the upload API's 4XX "
                  "alarm has been in ALARM for hours, and the 'unsupported image format' errors run at "
                  "the same low rate all day."))
    fn, other, api = "photo-derivatives", "lead-notify", "media-upload-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=90, memory_size=1024,
                ephemeral_storage_mb=2048)
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=15, memory_size=256)
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL")
    onset = -3060
    big = lambda t: 0.30 * ramp(t, onset, onset + 420)
    inv = cnt(sc, lambda t: 26 * diurnal(sc, t, 17, 0.25))
    err = [float(round(n * big(t) + (1 if sc.rng.random() < 0.35 else 0))) for t, n in zip(GRID, inv)]
    dur = val(sc, lambda t: 2700 * (1 + 0.9 * big(t)), noise=0.1)
    lambda_metrics(sc, fn, inv, err, dur,
                   conc=val(sc, lambda t: 1.3 * diurnal(sc, t, 17, 0.25) * (1 + 1.5 * big(t)), noise=0.2, digits=0))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 90, mem_used=(540, 60))
    mls = ["NJMLS", "GSMLS", "BRIGHT", "NYSAR", "OneKey"]

    def body(ll, t, rid, is_err, cold):
        key = f"raw/{sc.rng.choice(mls)}/{sc.rng.randint(3800000, 3999999)}/{sc.rng.randint(1, 36):02d}.jpg"
        oom = is_err and sc.rng.random() < big(t) / (big(t) + 0.012)
        if oom:
            w, h = sc.rng.choice([(11648, 8736), (9504, 6336), (12032, 9024)])
            mb = round(sc.rng.uniform(41, 72), 1)
            d = sc.rng.uniform(3800, 9000)
            return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"processing s3://lst-media-ingest-use1/{key} "
                                             f"({w}x{h}, {mb} MB)")),
                              (d / 1000 - 0.002, f"RequestId: {rid} Error: Runtime exited with error: signal: killed")],
                    "dur": d, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
        if is_err:
            return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"processing s3://lst-media-ingest-use1/{key}")),
                              (0.2, ll.fmt(t + 0.2, rid, "ERROR", 'Invoke Error \t{"errorType":"Error",'
                                           '"errorMessage":"Input buffer contains unsupported image format",'
                                           '"stack":["Error: Input buffer contains unsupported image format"]}'))],
                    "dur": sc.rng.uniform(180, 400)}
        d = max(800.0, sc.rng.gauss(2700, 600))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"processing s3://lst-media-ingest-use1/{key} "
                                f"(4032x3024, {round(sc.rng.uniform(2.1, 6.5), 1)} MB)"))]
        if sc.rng.random() < 0.3:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "WARN", "EXIF orientation tag missing, assuming 1")))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                                               f"wrote 4 derivatives (2048w,1024w,640w,320w) in {int(d - 60)} ms")))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)

    oinv = cnt(sc, lambda t: 4 * diurnal(sc, t, 17, 0.3))
    lambda_metrics(sc, other, oinv, ZERO, val(sc, lambda t: 320, noise=0.15))
    ol = LambdaLogs(sc, other, "nodejs20.x", 256, 15, retire=(onset - 40,), mem_used=(92, 6))

    def obody(ll, t, rid, is_err, cold):
        return {"lines": [(0.12, ll.fmt(t, rid, "INFO", f"lead {sc.uuid()[:8]} notified agent via SES"))],
                "dur": sc.rng.uniform(180, 480)}

    li, le = sample(sc, oinv, ZERO, cap=1)
    ol.run(li, le, obody)

    acount = cnt(sc, lambda t: 30 * diurnal(sc, t, 17, 0.25))
    a4 = cnt(sc, lambda t: 3.2)
    ad = apigw_metrics(sc, api, acount, a4, ZERO, val(sc, lambda t: 140, noise=0.15))
    sc.meta["api_id"] = api_id(sc)

    sc.change(-9400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "codepipeline-media")
    sc.change(onset - 40, "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
              "AWS::Lambda::Function", other, "devon.ramirez")
    sc.alarm("media-upload-4xx", "AWS/ApiGateway", "4XXError", ad, "Sum", 300, 1, 8,
             "GreaterThanThreshold", "upload API client errors")
    sc.alarm("photo-derivatives-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 4,
             "GreaterThanThreshold", "derivative generation failures")
    expect(sc, "photo-derivatives-errors", "memory_exhaustion", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


BUILDERS = [build_01, build_02]
