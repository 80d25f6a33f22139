"""h93-01 (midnight meter-read normaliser, Java Lambda) and h93-02 (outage-map API during a storm)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from . import kit
from .kit import apigw_exec, emit, java_err_json, lam_metrics, apigw_metrics, lambda_run, py_trace

PKG = "com.meterops.ingest"


def build_01():
    sc = kit.new(1, "interval-normaliser-midnight", "Meter-read ingestion errors during the nightly "
                 "head-end file drop; the Errors alarm on the normaliser paged the data-platform on-call.",
                 "eu-west-3", "2026-11-18T00:52:00+00:00")
    fn, vee, tar = "intervalread-normalize", "vee-estimator", "tariff-snapshot"
    deploy, decoy = -2280, -2150
    sc.resource("lambda", fn, runtime="java21", memory_size=1536, timeout=120, handler=f"{PKG}.NormalizeHandler")
    sc.resource("lambda", vee, runtime="java21", memory_size=1024, timeout=300)
    sc.resource("lambda", tar, runtime="python3.12", memory_size=512, timeout=60)

    def inv(t):
        return 14 + bump(t, -6600, 900, 48, edge=420)

    def err_old(t):
        return 0.35 + 0.008 * inv(t)

    def err_new(t):
        return 0.3 * inv(t) if t >= deploy + 40 else 0.0

    v = lam_metrics(sc, fn, inv, lambda t: err_old(t) + err_new(t),
                    lambda t: 820 + 9 * (inv(t) - 14) - (250 if t >= deploy else 0))
    vv = lam_metrics(sc, vee, lambda t: 4 + bump(t, -6300, 900, 20, edge=600),
                     lambda t: 0.05, lambda t: 2600 + 30 * bump(t, -6300, 900, 20, edge=600))
    lam_metrics(sc, tar, lambda t: 2.0, lambda t: 0.02,
                lambda t: 1400 + bump(t, -9300, -8700, 5200, edge=120))

    ll = LambdaLogs(sc, fn, "java21", 1536, 120, epochs=((-10 ** 9, "14"), (deploy, "15")),
                    mem_used=(610, 60), retire=(deploy,))

    def body(ll, t, rid, is_err, cold):
        vendor = kit.pick(sc, [(5, "landis"), (3 if t < deploy else 0.0001, "itron"), (2, "sagemcom")])
        n_new, n_old = err_new(t), err_old(t)
        new = is_err and sc.rng.random() < n_new / (n_new + n_old)
        if new:
            vendor = "itron"
        key = f"hes-drop-par3/{vendor}/2026/11/17/{vendor.upper()}_{sc.rng.randint(100, 999):05d}.csv.gz"
        meters = sc.rng.randint(400, 2400)
        lines = [(0.02, ll.fmt(t + 0.02, rid, "INFO", f"{PKG}.NormalizeHandler - Received s3://{key} "
                                                        f"size={sc.rng.randint(80, 900)}KiB"))]
        if sc.rng.random() < 0.2:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "WARN", f"{PKG}.DedupFilter - {sc.rng.randint(2, 40)} "
                                      f"duplicate interval reads for meter 0{sc.rng.randint(10**8, 10**9)}; keeping first")))
        if new:
            stamp = f"2026-11-17T23:{sc.rng.choice(['00', '15', '30', '45'])}:00+01:00[Europe/Paris]"
            msg = f"Text '{stamp}' could not be parsed, unparsed text found at index 25"
            lines.append((0.41, ll.fmt(t + 0.41, rid, "ERROR", f"{PKG}.IntervalParser - Failed to parse "
                                       f"interval timestamp in s3://{key} row {sc.rng.randint(2, 400)}: {msg}")))
            lines.append((0.43, java_err_json("java.time.format.DateTimeParseException", msg, [
                "java.base/java.time.format.DateTimeFormatter.parseResolved0(Unknown Source)",
                "java.base/java.time.OffsetDateTime.parse(Unknown Source)",
                f"{PKG}.IntervalParser.parseStamp(IntervalParser.java:118)",
                f"{PKG}.IntervalParser.readRow(IntervalParser.java:76)",
                f"{PKG}.NormalizeHandler.handleRequest(NormalizeHandler.java:54)"])))
            return {"dur": sc.rng.uniform(300, 700), "lines": lines}
        if is_err:
            msg = ("The specified key does not exist. (Service: S3, Status Code: 404, Request ID: "
                   f"{sc.hexid(16).upper()})")
            lines.append((0.12, ll.fmt(t + 0.12, rid, "ERROR", f"{PKG}.NormalizeHandler - Source object "
                                       f"s3://{key} already archived by a duplicate trigger")))
            lines.append((0.13, java_err_json("software.amazon.awssdk.services.s3.model.NoSuchKeyException",
                                              msg, [f"{PKG}.S3Source.open(S3Source.java:41)",
                                                    f"{PKG}.NormalizeHandler.handleRequest(NormalizeHandler.java:47)"])))
            return {"dur": sc.rng.uniform(90, 200), "lines": lines}
        d = sc.rng.gauss(820 + 9 * (inv(t) - 14), 150)
        lines.append((d / 1000 - 0.02, ll.fmt(t + d / 1000 - 0.02, rid, "INFO",
                      f"{PKG}.NormalizeHandler - Normalised {meters} meters, {meters * 96} intervals, "
                      f"{sc.rng.randint(0, 30)} gaps flagged for VEE")))
        return {"dur": max(150, d), "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.12, body)

    lv = LambdaLogs(sc, vee, "java21", 1024, 300, mem_used=(420, 40))

    def vbody(ll, t, rid, is_err, cold):
        d = sc.rng.gauss(2600, 400)
        return {"dur": d, "lines": [(d / 1000 - 0.05, ll.fmt(t, rid, "INFO",
                "com.meterops.vee.EstimateJob - Estimated " + str(sc.rng.randint(3, 60)) +
                " missing intervals using linear interpolation (rule VEE-07)"))]}
    lambda_run(lv, vv["inv"], [0] * len(vv["inv"]), 0.25, vbody)

    sc.change(-17200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-runner-deploy")
    sc.change(-17180, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "gitlab-runner-deploy")
    sc.change(deploy - 25, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gitlab-runner-deploy")
    sc.change(deploy - 8, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "gitlab-runner-deploy")
    sc.change(deploy, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "gitlab-runner-deploy")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              vee, "n.ghanem")
    sc.change(-9100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", tar,
              "gitlab-runner-deploy")

    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Interval read normaliser errors")
    sc.alarm(f"{vee}-duration-high", "AWS/Lambda", "Duration", {"FunctionName": vee}, "Average", 300, 2,
             60000, "GreaterThanThreshold")
    sc.alarm(f"{tar}-duration", "AWS/Lambda", "Duration", {"FunctionName": tar}, "Maximum", 300, 1, 5000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "bad_deployment", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="origin", services="Lambda (Java 21)",
        decoys=f"memory change on `{vee}` 130 s after the deploy and before the alarm; midnight file-drop "
               f"volume spike; S3 NoSuchKey errors at a steady rate all night; earlier harmless deploy",
        story=f"The head-end file drop starts at 23:00 UTC and quadruples `{fn}` invocations for an hour "
              f"with no new errors. At -{abs(deploy)} s a pipeline publishes version 15 and moves the alias; "
              "from the first version-15 log streams a new `DateTimeParseException` appears on Itron files "
              "whose timestamps carry a `[Europe/Paris]` zone suffix, and Errors go from ~1/min to ~18/min (every Itron file, 30 % of the drop). "
              f"The memory change on `{vee}` lands after the errors began, the NoSuchKey errors run at the "
              "same rate for hours, and the version-14 deploy five hours earlier was harmless.")
    return sc


def build_02():
    sc = kit.new(2, "outage-map-storm-evening", "Public outage map returning errors during the evening "
                 "storm; the API Gateway 5XX alarm fired.", "us-east-2", "2026-11-19T23:40:00+00:00")
    api, fn, sub, etr = "outage-map-public", "outage-geojson", "outage-subscribe", "etr-estimator"
    cfg, decoy = -2520, -2440
    api_id = "k3v9qz7w1d"
    sc.resource("apigateway", api, stage="prod", api_id=api_id)
    sc.resource("lambda", fn, runtime="python3.12", memory_size=1024, timeout=15)
    sc.resource("lambda", sub, runtime="python3.12", memory_size=256, timeout=10)
    sc.resource("lambda", etr, runtime="python3.12", memory_size=512, timeout=120)

    def count(t):
        return 180 * diurnal(sc, t, 23.0, 0.15) * (1 + 1.3 * ramp(t, -12500, -6000))

    def miss(t):
        return 0.55 if t >= cfg + 20 else 0.0

    def old(t):
        return 0.3 + 0.0008 * count(t)

    v = lam_metrics(sc, fn, lambda t: 0.86 * count(t), lambda t: 0.86 * count(t) * miss(t) + old(t),
                    lambda t: 160 if t < cfg else 95)
    lam_metrics(sc, sub, lambda t: 0.14 * count(t), lambda t: 0.2, lambda t: 230)
    er = lam_metrics(sc, etr, lambda t: 1.0 if int(t) % 300 == 0 else None,
                     lambda t: 1.0 if t > -15100 else 0.0,
                     lambda t: 900 if t > -15100 else 4100, exact=True)
    apigw_metrics(sc, api, count, lambda t: 0.86 * count(t) * miss(t) + old(t) + 0.1,
                  lambda t: 2 + 0.01 * count(t), lambda t: 190 if t < cfg else 120,
                  lambda t: 170 if t < cfg else 100)

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 15, mem_used=(210, 20), retire=(cfg,))

    def body(ll, t, rid, is_err, cold):
        z, x, y = 9, sc.rng.randint(130, 150), sc.rng.randint(185, 200)
        p_new = miss(t) * 0.86 * count(t) / (miss(t) * 0.86 * count(t) + old(t))
        if is_err and sc.rng.random() < p_new:
            return {"dur": sc.rng.uniform(20, 60), "lines": [
                (0.01, ll.fmt(t, rid, "INFO", f"GET /v1/tiles/{z}/{x}/{y}.geojson cache=MISS")),
                (0.03, py_trace("ValueError: invalid literal for int() with base 10: '15m'", [
                    ("/var/task/app.py", 61, "handler", "return _render(event, headers=_cache_headers())"),
                    ("/var/task/app.py", 88, "_cache_headers",
                     "ttl = int(os.environ[\"TILE_CACHE_TTL_SECONDS\"])")]))]}
        if is_err:
            return {"dur": 3010, "lines": [
                (0.01, ll.fmt(t, rid, "INFO", f"GET /v1/tiles/{z}/{x}/{y}.geojson cache=MISS")),
                (3.0, py_trace('ReadTimeoutError: Read timeout on endpoint URL: '
                               '"https://dynamodb.us-east-2.amazonaws.com/"', [
                    ("/var/task/app.py", 74, "_render", "items = incidents.query(**_tile_query(z, x, y))"),
                    ("/var/runtime/botocore/client.py", 565, "_api_call",
                     "return self._make_api_call(operation_name, kwargs)")]))]}
        hit = sc.rng.random() < 0.45
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"GET /v1/tiles/{z}/{x}/{y}.geojson cache={'HIT' if hit else 'MISS'} "
                               f"incidents={sc.rng.randint(0, 60)} customers_out={sc.rng.randint(0, 9000)}"))]
        if sc.rng.random() < 0.06:
            lines.append((0.05, ll.fmt(t, rid, "WARNING", f"ETR missing for incident INC-{sc.rng.randint(400000, 499999)}; "
                                       "showing 'Assessing condition'")))
        return {"dur": sc.rng.gauss(160, 40), "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.011, body, err_floor=0.12)

    grp, stream = f"API-Gateway-Execution-Logs_{api_id}/prod", f"{sc.hexid(32)}"

    def exec_line(t):
        rid = sc.uuid()
        miss_p = 0.86 * miss(t)
        if sc.rng.random() < miss_p:
            lrid = sc.uuid()
            return [apigw_exec(sc, t, rid, "Lambda execution failed with status 200 due to customer function "
                               f"error: invalid literal for int() with base 10: '15m'. Lambda request id: {lrid}"),
                    apigw_exec(sc, t, rid, "Method completed with status: 502")]
        return apigw_exec(sc, t, rid, "Method completed with status: 200")
    emit(sc, grp, stream, lambda t: 3.0, exec_line)

    le = LambdaLogs(sc, etr, "python3.12", 512, 120, mem_used=(300, 15))

    def ebody(ll, t, rid, is_err, cold):
        if t > -15100:
            return {"dur": sc.rng.gauss(900, 100), "lines": [(0.4, ll.fmt(t, rid, "ERROR",
                    f"No crew ETA model input for region OH-NE-{sc.rng.randint(1, 9)}: feature "
                    "'crew_eta_hist' missing"))]}
        return {"dur": sc.rng.gauss(4100, 300), "lines": [(3.9, ll.fmt(t, rid, "INFO",
                f"Published ETR for {sc.rng.randint(20, 90)} incidents"))]}
    le.run({m: 1 for m in range(kit.LOG_START, 0, 300)}, {m: 1 for m in range(-15000, 0, 300)}, ebody)

    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              etr, "github-actions-deploy")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "jlopez")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", sub,
              "github-actions-deploy")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Outage map public API 5XX")
    sc.alarm(f"{etr}-errors", "AWS/Lambda", "Errors", {"FunctionName": etr}, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.alarm(f"{api}-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 1500,
             "GreaterThanThreshold")
    _ = er
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "config_change", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", services="API Gateway, Lambda (Python 3.12)",
        decoys=f"code deploy of `{sub}` 80 s after the config change; storm traffic doubling over the "
               f"evening; DynamoDB read timeouts at a steady rate; `{etr}` errors alarm in ALARM for hours",
        story=f"Storm traffic more than doubles the map's requests over four hours without errors. At "
              f"-{abs(cfg)} s an operator updates `{fn}`'s configuration; from then on every cache-miss tile "
              "fails with `ValueError: invalid literal for int() with base 10: '15m'` raised while reading "
              "`TILE_CACHE_TTL_SECONDS`, API Gateway logs the customer function error and returns 502, and "
              f"5XXError jumps to ~200/min. The `{sub}` deploy is later and that function's errors stay flat; "
              f"`{etr}` has been failing on a missing model feature since long before.")
    return sc


BUILDERS = [build_01, build_02]
