"""h35-02: a scheduled Python Lambda loads the day's append-only partner price feed into memory on
every run; the file grows all day and Max Memory Used creeps up run after run until every run is
killed at 1024 MB. Slow burn, alarm on the origin function."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach

FILE = "h35-02-pricefeed-lambda-oom.yaml"
FN = "price-feed-differ"
META = {
    "file": FILE, "region": "us-east-1", "alarm": "price-feed-differ-errors",
    "category": "memory_exhaustion", "resources": [FN], "where": "origin", "shape": "slow",
    "decoys": "partner-catalog-sync code deploy 45 min before the first failed run; partner-webhook-ingest errors alarm red "
              "for 3 days at a constant rate; a per-run 'unknown currency' WARNING in the failing function "
              "itself, identical before and after",
    "story": (
        "price-feed-differ (python3.12, 1024 MB, timeout 300 s) runs every 5 minutes and loads the whole "
        "of the day's append-only partner feed (`prices/<date>/feed.ndjson`) into a dict to diff it. The "
        "file restarts small at local midnight and grows with partner activity; its logged size, the run "
        "duration and the REPORT `Max Memory Used` rise run after run for ~11 h (200 MB -> 1000+ MB) while "
        "the duration stays far below the 300 s timeout. From ~50 minutes ago every run (and both async "
        "retries) ends with `Runtime exited with error: signal: killed` and `Error Type: Runtime.OutOfMemory` "
        "at Max Memory Used 1024 MB. Nothing changed on the function; the catalog-sync deploy is another "
        "function, and the webhook-ingest alarm has been red for days. Label: memory_exhaustion in "
        "price-feed-differ."),
}


def build():
    now = dt.datetime(2026, 5, 4, 19, 40, tzinfo=dt.timezone.utc)
    s = Scenario("h35-02-pricefeed-lambda-oom", "us-east-1",
                 "Partner price updates stopped flowing; price-feed-differ Errors alarm is in ALARM.",
                 seed=3502, now=now, window_h=12, tz_offset_h=-4)
    s.resource("lambda", FN, runtime="python3.12", timeout=300, memory_size=1024, handler="app.handler",
               trigger="EventBridge Scheduler rate(5 minutes)", layers=["LambdaInsightsExtension:49"])
    s.resource("lambda", "partner-catalog-sync", runtime="nodejs20.x", timeout=60, memory_size=512)
    s.resource("lambda", "partner-webhook-ingest", runtime="python3.12", timeout=30, memory_size=256)

    # feed size (MiB) grows with partner activity since local midnight (window starts 03:40 local)
    mins = list(range(s.start, 0, 60))
    inc = {t: 0.02 + s.diurnal(t, low=0.04, peak=12.5) * (1 + s.g(0, 0.08)) for t in mins}
    target_t = -50 * 60
    scale = (409.5 - 17.8) / sum(v for t, v in inc.items() if t <= target_t)
    size = {}
    acc = 17.8
    for t in mins:
        acc += inc[t] * scale
        size[t] = acc
    runs = [t for t in mins if (t - s.start) % 300 == 0]
    inv, err, dur, memu = {}, {}, {}, {}
    ll = LambdaLog(s, 1024, runtime="python")
    ev = []
    prev_env = None
    stream_t = s.start
    for rt in runs:
        mb = size[rt]
        recs = int(mb * 5991)
        need = 178 + 2.07 * mb + s.g(0, 6)
        d = (2.4 + 0.081 * mb) * 1000 * (1 + s.g(0, 0.04))
        attempts = [rt + 0.2 + s.rng.random()]
        oom = need >= 1024
        if oom:
            attempts += [rt + 62 + s.rng.random() * 3, rt + 181 + s.rng.random() * 5]
        for a in attempts:
            m = a - (a % 60)
            inv[m] = inv.get(m, 0) + 1
            key = f"prices/{s.stamp(a - 4 * 3600, '%Y-%m-%d')}/feed.ndjson"
            body = [(0.05, "info", f"loading s3://acme-partner-feeds/{key} ({mb:.1f} MiB, {recs:,} records)")]
            body.append((0.3, "warning", f"{37 + s.rng.randint(-3, 3)} records with unknown currency code 'XBT' "
                                         "will be skipped"))
            init = 612 + s.rng.random() * 90 if prev_env != "warm" else None
            if oom:
                dd = d * (0.55 + 0.2 * s.rng.random())
                _, blk = ll.invoke(a, dd, 1024, body, init_ms=init,
                                   status="Status: error\tError Type: Runtime.OutOfMemory")
                rid = blk[0][1].split()[2]
                blk.insert(-2, (a + dd / 1000 - 0.002,
                                f"RequestId: {rid} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
                err[m] = err.get(m, 0) + 1
                dur[m] = dd
                memu[m] = 100.0
                prev_env = "dead"
            else:
                changed = int(recs * 0.0023 * (1 + s.g(0, 0.1)))
                body.append((d / 1000 * 0.62, "info", f"parsed {recs:,} records in {d / 1000 * 0.6:.1f}s"))
                body.append((d / 1000 * 0.9, "info", f"diff vs previous snapshot: {changed:,} changed, "
                                                     f"{int(changed * 0.19):,} new, {s.rng.randint(3, 40)} removed"))
                body.append((d / 1000 - 0.1, "info", f"published {int(changed * 1.19):,} price updates to "
                                                     "EventBridge bus partner-prices"))
                _, blk = ll.invoke(a, d, need, body, init_ms=init)
                err.setdefault(m, 0)
                dur[m] = d
                memu[m] = need / 1024 * 100
                prev_env = "warm"
            ev.extend(blk)
    s.log(f"/aws/lambda/{FN}", stream_name(s, stream_t), ev)

    lambda_metrics(s, FN, lambda t: inv.get(t), lambda t: err.get(t) if t in inv else None, lambda t: 0 if t in inv else None,
                   lambda t: dur.get(t), lambda t: 1 if t in inv else None)
    s.metric("LambdaInsights", "memory_utilization", {"function_name": FN}, "Percent", lambda t: memu.get(t), nd=1)

    # decoys
    dep = -95 * 60
    cs_inv = {t: s.pois(30 * s.diurnal(t, 0.2, 13)) for t in mins}
    lambda_metrics(s, "partner-catalog-sync", lambda t: cs_inv[t], lambda t: s.pois(0.03), lambda t: 0,
                   lambda t: 420 + s.g(0, 30) + (1400 if dep <= t < dep + 120 else 0),
                   lambda t: max(1, round(cs_inv[t] * 0.42 / 60 + 0.5)))
    wh_inv = {t: s.pois(40 * s.diurnal(t, 0.25, 13)) for t in mins}
    wh_err = {t: s.pois(wh_inv[t] * 0.08) for t in mins}
    lambda_metrics(s, "partner-webhook-ingest", lambda t: wh_inv[t], lambda t: wh_err[t], lambda t: 0,
                   lambda t: 95 + s.g(0, 9), lambda t: max(1, round(wh_inv[t] * 0.1 / 60 + 0.5)))
    cl = LambdaLog(s, 512, runtime="node")
    ev = []
    for t in s.times(lambda t: 2.5, start=-3 * 3600):
        ver = "14" if t > dep else "13"
        _, blk = cl.invoke(t, 380 + s.rng.random() * 90, 151 if t > dep else 146,
                           [(0.003, "info", f"synced catalog page {s.rng.randint(1, 400)} partner=p-{s.rng.randint(100, 140)} "
                                            f"items={s.rng.randint(50, 200)}")], version=ver)
        ev.extend(blk)
    s.log("/aws/lambda/partner-catalog-sync", stream_name(s, -3 * 3600, "14"), ev)
    wl = LambdaLog(s, 256, runtime="python")
    ev = []
    for t in s.times(lambda t: 12 * s.diurnal(t, 0.25, 13), start=-4 * 3600):
        body = [(0.003, "info", f"webhook from partner p-{s.rng.randint(100, 140)} event=price.updated")]
        if s.rng.random() < 0.08:
            body.append((0.05, "error", "Unhandled exception: jsonschema.exceptions.ValidationError: 'sku' is a required "
                                        "property\n\nFailed validating 'required' in schema['items']\nTraceback (most "
                                        "recent call last):\n  File \"/var/task/app.py\", line 44, in handler\n    "
                                        "validate(payload, SCHEMA)"))
        _, blk = wl.invoke(t, 80 + s.rng.random() * 40, 74, body)
        ev.extend(blk)
    s.log("/aws/lambda/partner-webhook-ingest", stream_name(s, -4 * 3600), ev)

    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "partner-catalog-sync", "ci-deployer")
    s.change(dep + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "partner-catalog-sync", "ci-deployer")
    when = first_breach({t: err.get(t, 0) for t in mins}, 300, 3, 1, ">=")
    s.alarm("price-feed-differ-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 3, 1,
            "GreaterThanOrEqualToThreshold", "ALARM",
            "Threshold Crossed: 3 datapoints were greater than or equal to the threshold (1.0).",
            min(when or -600, -60), description="price-feed-differ failed runs")
    s.alarm("partner-webhook-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": "partner-webhook-ingest"},
            "Sum", 300, 1, 1, "GreaterThanOrEqualToThreshold", "ALARM",
            "Threshold Crossed: 1 datapoint was greater than or equal to the threshold (1.0).", -3 * 86400 + 4211)
    s.expect = {"alarm": "price-feed-differ-errors",
                "root_cause": {"category": "memory_exhaustion", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
                              {"namespace": "LambdaInsights", "name": "memory_utilization",
                               "dimensions": {"function_name": FN}}]}
    return s
