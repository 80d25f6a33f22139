"""h35-06: a 5-minute settlement batch Lambda re-scans every ledger row since local midnight; the work
grows through the day until runs hit the 120 s timeout. No dependency is slow. Slow burn, origin alarm."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, rds_dims

FILE = "h35-06-settlement-lambda-timeout.yaml"
FN = "settlement-batcher"
META = {
    "file": FILE, "region": "eu-west-2", "alarm": "settlement-batcher-errors",
    "category": "function_timeout", "resources": [FN], "where": "origin", "shape": "slow",
    "decoys": "configuration change on fx-rate-fetcher 3 h before; fx-rate-fetcher's constant 503 errors from "
              "its rate provider; ledger-replica read replica healthy with flat latency",
    "story": (
        "settlement-batcher (python3.12, timeout 120 s) runs every 5 minutes and re-reads every ledger row "
        "since local midnight from the ledger-replica read replica in 50,000-row pages. Each page is fetched "
        "in ~80-95 ms all day (replica CPU, ReadLatency and lag flat) but matched in ~1.9 s of Python, and "
        "the row count grows with the day's card traffic, so Duration climbs run after run from ~10 s to "
        "the 120 s limit. For the last ~35 minutes every run and both async retries end with `Task timed out "
        "after 120.00 seconds` (REPORT `Status: timeout`), mid-way through the pages, with no dependency "
        "error. The fx-rate-fetcher config change and its provider 503s are a different function and "
        "constant. Label: function_timeout in settlement-batcher."),
}


def build():
    now = dt.datetime(2026, 4, 17, 13, 55, tzinfo=dt.timezone.utc)
    s = Scenario("h35-06-settlement-lambda-timeout", "eu-west-2",
                 "Merchant payouts delayed; settlement-batcher Errors alarm in ALARM.",
                 seed=3506, now=now, window_h=12, tz_offset_h=1)
    s.resource("lambda", FN, runtime="python3.12", timeout=120, memory_size=1769, handler="settle.handler",
               trigger="EventBridge Scheduler rate(5 minutes)")
    s.resource("lambda", "fx-rate-fetcher", runtime="python3.12", timeout=15, memory_size=256)
    s.resource("rds", "ledger-replica", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
               read_replica_of="ledger-primary", max_connections=1700, allocated_storage_gb=1000)

    mins = list(range(s.start, 0, 60))
    midnight = s.start - 2 * 3600 - 55 * 60  # 00:00 BST = 23:00Z; the window starts at 02:55 BST
    rowrate = {}
    acc = 0.0
    t = midnight
    while t < 0:
        acc += (1 + s.diurnal(t, 0.06, 13.5) * 14.5) * 260 * (1 + s.g(0, 0.05))
        rowrate[t] = acc
        t += 60
    target_t = -45 * 60
    PAGE = 50000
    scale = (119.0 - 3.2) / (rowrate[target_t] / PAGE * 1.99)
    ll = LambdaLog(s, 1769, runtime="python")
    inv, err, dur, conc = {}, {}, {}, {}
    ev = []
    runs = [t for t in mins if (t - s.start) % 300 == 0]
    for rt in runs:
        rows = int(rowrate[rt] * scale)
        pages = -(-rows // PAGE)
        need = 3.2 + pages * 1.99 * (1 + s.g(0, 0.02))
        attempts = [rt + 0.3 + s.rng.random()]
        if need > 120:
            attempts += [rt + 61 + s.rng.random() * 4, rt + 182 + s.rng.random() * 6]
        for a in attempts:
            m = a - a % 60
            inv[m] = inv.get(m, 0) + 1
            body = [(0.02, "info", f"settlement window {s.stamp(midnight, '%Y-%m-%dT%H:%M:%SZ')} .. "
                                   f"{s.stamp(a, '%Y-%m-%dT%H:%M:%SZ')} source=ledger-replica page_size={PAGE}")]
            off = 1.1
            done_rows = 0
            timed_out = False
            for p in range(1, pages + 1):
                fetch = 78 + s.rng.random() * 17
                match = 1.9 * (1 + s.g(0, 0.03))
                off += fetch / 1000 + match
                if off > 119.9:
                    timed_out = True
                    break
                n = min(PAGE, rows - done_rows)
                done_rows += n
                if p % 4 == 0 or p == pages:
                    body.append((off, "info", f"page {p}/{pages}: {n:,} rows fetched in {fetch:.0f} ms, matched in "
                                              f"{match:.2f} s (cumulative {done_rows:,})"))
            if timed_out:
                rid, blk = ll.invoke(a, 120000.0, 1132 + s.rng.randint(-20, 20), body,
                                     status="Status: timeout")
                blk.insert(-2, (a + 119.999, f"{s.iso(a + 120)} {rid} Task timed out after 120.00 seconds"))
                err[m] = err.get(m, 0) + 1
                dur[m] = max(dur.get(m, 0), 120000.0)
            else:
                settled = int(120 + rows / 9000)
                body.append((off + 0.4, "info", f"settled {settled} payouts ({rows:,} ledger rows) in {off + 0.4:.1f}s"))
                d_ms = (off + 0.45) * 1000
                _, blk = ll.invoke(a, d_ms, 640 + rows / 4000, body)
                err.setdefault(m, 0)
                dur[m] = max(dur.get(m, 0), d_ms)
            conc[m] = max(conc.get(m, 0), 1 + (1 if len(attempts) > 1 and a != attempts[0] else 0))
            ev.extend(blk)
    s.log(f"/aws/lambda/{FN}", stream_name(s, s.start), ev)
    has = lambda t: t in inv
    lambda_metrics(s, FN, lambda t: inv.get(t), lambda t: err.get(t, 0) if has(t) else None,
                   lambda t: 0 if has(t) else None, lambda t: dur.get(t), lambda t: conc.get(t))

    cfg = -3 * 3600
    fx_err = {t: 1 if s.rng.random() < 0.09 else 0 for t in mins}
    lambda_metrics(s, "fx-rate-fetcher", lambda t: 1, lambda t: fx_err[t], lambda t: 0,
                   lambda t: 420 + s.g(0, 40) + (2000 if fx_err[t] else 0), lambda t: 1)
    fl = LambdaLog(s, 256, runtime="python")
    ev = []
    for t in mins:
        if t < -6 * 3600:
            continue
        a = t + 2 + s.rng.random()
        body = [(0.01, "info", f"fetching rates base=GBP provider={'ratesx-v2' if t >= cfg else 'ratesx'}")]
        if fx_err[t]:
            _, blk = fl.invoke(a, 2400 + s.rng.random() * 200, 71, body, after_end=[
                "[ERROR] HTTPError: 503 Server Error: Service Unavailable for url: https://api.ratesx.example/v2/latest"
                "?base=GBP\nTraceback (most recent call last):\n  File \"/var/task/fetch.py\", line 33, in handler\n"
                "    resp.raise_for_status()"])
        else:
            body.append((0.38, "info", "stored 164 rates as-of " + s.stamp(t, "%Y-%m-%dT%H:%M:00Z")))
            _, blk = fl.invoke(a, 400 + s.rng.random() * 60, 70, body)
        ev.extend(blk)
    s.log("/aws/lambda/fx-rate-fetcher", stream_name(s, -6 * 3600), ev)
    d = rds_dims("ledger-replica")
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: 12 + 14 * s.diurnal(t, 0.1, 13.5) + s.g(0, 1.5))
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0008 + abs(s.g(0, 0.00015)), nd=5)
    s.metric("AWS/RDS", "ReplicaLag", d, "Seconds", lambda t: max(0, s.g(0.4, 0.3)))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: 38 + s.rng.randint(-3, 3), nd=0)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: 14.2e9 + s.g(0, 8e7), nd=0)

    s.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "fx-rate-fetcher", "maria.okafor")
    when = first_breach({t: err.get(t, 0) for t in mins}, 300, 2, 1, ">=")
    s.alarm("settlement-batcher-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 2, 1,
            "GreaterThanOrEqualToThreshold", "ALARM",
            "Threshold Crossed: 2 datapoints were greater than or equal to the threshold (1.0).",
            min(when or -900, -60), description="settlement-batcher failed runs")
    s.expect = {"alarm": "settlement-batcher-errors",
                "root_cause": {"category": "function_timeout", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}},
                              {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return s
