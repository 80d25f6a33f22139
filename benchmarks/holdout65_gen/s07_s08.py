"""h65-07 (Postgres runs out of disk under a Ruby Lambda) and h65-08 (API → Lambda at its reserved concurrency)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import apigw, binom, counts, emit, minute, rds, request_times, run_lambda, smooth
from .runtimes import LambdaLogs, pg


# --------------------------------------------------------------------------- 07
def s07() -> Scenario:
    sc = Scenario(7, "fleet-telemetry-pg", "Errors alarm on the telemetry ingest function; vehicle "
                  "positions stopped updating on the dispatch map.", "eu-north-1",
                  seed=6507, now_iso="2026-01-21T11:15:00")
    fn, rollup, db = "telemetry-ingest", "rollup-hourly", "fleetdb"
    full, snap, decoy = -2100, -2400, -2280
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=15, memory_size=256)
    sc.resource("lambda", rollup, runtime="ruby3.3", timeout=300, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.t4g.small",
                max_connections=180, allocated_storage_gb=20, storage_autoscaling=False)
    rng = sc.rng
    free = smooth(sc, lambda t: max(0.0, 3.45 * (full - t) / (full + 21600)) + 0.0,
                  noise=0.0, abs_noise=0.004, floor=0.0, digits=4)
    free = {m: (max(0.0, min(v, 0.06)) if m >= full else v) for m, v in free.items()}
    rds(sc, db, smooth(sc, lambda t: 12 + bump(t, -9300, -8400, 81, 120), noise=0.1, cap=99),
        smooth(sc, lambda t: 9, noise=0.1, digits=0), free_gb=free,
        freeable_mb=smooth(sc, lambda t: 520, noise=0.02),
        write_iops=smooth(sc, lambda t: 38 + bump(t, -9300, -8400, 240, 120), noise=0.12))
    inv = counts(sc, lambda t: 2.1 * diurnal(sc, t, 11, 0.2))
    err = binom(sc, inv, lambda t: 0.94 if t >= full else 0.02)
    ll = LambdaLogs(sc, fn, "ruby3.3", 256, 15, mem_used=(71, 4))

    def body(l, t, rid, is_err, cold):
        veh = f"VH-{rng.randint(1000, 1999)}"
        lines = [(0.003, l.fmt(t, rid, "INFO", f"batch vehicle={veh} points={rng.randint(8, 60)}"))]
        if rng.random() < 0.3:
            lines.append((0.004, l.fmt(t, rid, "WARN", f"clock skew {rng.randint(2, 40)}s for {veh}, clamping")))
        if is_err:
            if t >= full:
                oid = rng.choice([24601, 24605, 24611])
                msg = (f"ERROR:  could not extend file \"base/16384/{oid}.{rng.randint(1, 4)}\": No space left on device\n"
                       "HINT:  Check free disk space.\n")
                et = "PG::DiskFull"
            else:
                msg = ("ERROR:  duplicate key value violates unique constraint \"positions_vehicle_ts_key\"\n"
                       f"DETAIL:  Key (vehicle_id, ts)=({veh}, {sc.iso(t - 30)}) already exists.\n")
                et = "PG::UniqueViolation"
            d = rng.gauss(60, 15)
            lines.append((d / 1000, json.dumps({"errorMessage": msg, "errorType": f"Function<{et}>",
                          "stackTrace": ["/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.9/lib/pg/connection.rb:243:in `exec_params'",
                                         "/var/task/lib/ingest.rb:57:in `insert_points'", "/var/task/handler.rb:12:in `handler'"]})))
            return {"dur": d, "lines": lines}
        d = rng.gauss(95, 20)
        lines.append((d / 1000, l.fmt(t + d / 1000, rid, "INFO", f"stored {veh} in {d:.0f}ms")))
        return {"dur": d, "lines": lines}

    run_lambda(sc, ll, inv, err, body)
    inv2 = {m: (1 if (m // 60) % 60 == 5 else 0) for m in GRID}
    ll2 = LambdaLogs(sc, rollup, "ruby3.3", 512, 300, mem_used=(140, 9), retire=(decoy,))
    run_lambda(sc, ll2, inv2, {}, lambda l, t, rid, e, c: {"dur": rng.gauss(41000, 3000), "lines": [
        (0.01, l.fmt(t, rid, "INFO", "rollup window closed, aggregating")),
        (40.0, l.fmt(t + 40, rid, "INFO", f"rolled up {rng.randint(5000, 9000)} rows into positions_hourly"))]})
    g = f"/aws/rds/instance/{db}/postgresql"
    for t in range(-21600, 0, 300):
        tt = t + rng.uniform(0, 280)
        if tt < full:
            sc.log(g, db, tt, pg(sc, tt, "LOG", f"checkpoint complete: wrote {rng.randint(200, 900)} buffers "
                                 f"({rng.uniform(1, 6):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(1, 3)} recycled"))
    for t in range(-9300, -8400, 120):
        sc.log(g, db, t + 5, pg(sc, t + 5, "LOG", "automatic vacuum of table \"fleet.public.positions\": index scans: 1"))
    for t in request_times(sc, {m: min(3, err[m]) for m in GRID if m >= full}):
        sc.log(g, db, t, pg(sc, t, "ERROR", f"could not extend file \"base/16384/24601.{rng.randint(1, 4)}\": "
                            "No space left on device", client=f"{sc.ip()}({rng.randint(30000, 60000)})",
                            user="ingest", db="fleet"))
        sc.log(g, db, t + 0.001, pg(sc, t, "STATEMENT", "INSERT INTO positions (vehicle_id, ts, lat, lon, speed) "
                                    "VALUES ($1, $2, $3, $4, $5)", user="ingest", db="fleet"))
    sc.change(snap, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-scheduler")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              rollup, "elin.b")
    sc.alarm("telemetry-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 3,
             "GreaterThanThreshold", "Ingest errors, two 5-minute periods")
    sc.alarm("fleetdb-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "telemetry-ingest-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        where="front (caller Lambda) → origin RDS", services="Lambda, RDS PostgreSQL",
        runtime="Ruby 3.3 Lambda logger + JSON error objects; PostgreSQL log",
        decoys="snapshot of the DB 5 min and a config update of the rollup function 3 min before onset; an 81 % "
               "DB CPU / IOPS spike from autovacuum 2 h earlier (its alarm cycled); hourly UniqueViolation errors",
        story="Vehicles post positions about twice a minute to a Ruby ingest function that writes to a 20 GB "
              "Postgres without storage autoscaling. `FreeStorageSpace` drains in a straight line from 3.4 GB to "
              "zero over six hours. At -35 min inserts begin failing with `PG::DiskFull ... could not extend file "
              "... No space left on device`, which both the function and the Postgres log record, and the "
              "routine checkpoint lines stop. A scheduled snapshot and a config update on the hourly rollup "
              "function land just before onset, and the autovacuum CPU spike two hours earlier looks "
              "dramatic, but none of them explain a disk-full error. The occasional UniqueViolation errors were "
              "there all along. The answer is `storage_exhaustion` on `fleetdb`.")
    return sc


# --------------------------------------------------------------------------- 08
def s08() -> Scenario:
    sc = Scenario(8, "kiosk-menu-concurrency", "5XX alarm on the kiosk API; some store kiosks show "
                  "'menu unavailable' after opening.", "ap-northeast-1", seed=6528, now_iso="2026-04-15T00:20:00")
    api, fn, sync = "kiosk-api", "kiosk-render", "kiosk-sync"
    limit, decoy = 3, -2580
    sc.resource("apigateway", api, api_type="REST", stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="python3.12", timeout=28, memory_size=1024, reserved_concurrency=limit)
    sc.resource("lambda", sync, runtime="python3.12", timeout=60, memory_size=256)
    rng = sc.rng
    req = counts(sc, lambda t: 4.0 + 2.0 * ramp(t, -4200, -2400))
    bad = binom(sc, req, lambda t: 0.03)
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 28, mem_used=(410, 30), max_envs=limit, prewarm=-21600)
    running: list = []
    inv, thr, conc, durs, e5, e4, lat = {}, {}, {}, {}, {}, {}, {}
    alog = f"/aws/apigateway/{api}/access"
    for t in request_times(sc, req):
        m = minute(t)
        running = [e for e in running if e > t]
        store = f"S{rng.randint(100, 460):04d}"
        rid = sc.uuid()
        rec = {"requestId": rid, "ip": sc.ip("100.64"), "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
               "httpMethod": "GET", "resourcePath": "/menu/{storeId}", "path": f"/prod/menu/{store}", "protocol": "HTTP/1.1"}
        if rng.random() < 0.03:
            rec.update(status="403", responseLength="42", integrationStatus="-", integrationLatency="-",
                       errorMessage="Forbidden")
            e4[m] = e4.get(m, 0) + 1
            lat.setdefault(m, []).append(rng.uniform(3, 9))
        elif len(running) >= limit:
            thr[m] = thr.get(m, 0) + 1
            e5[m] = e5.get(m, 0) + 1
            rec.update(status="500", responseLength="36", integrationStatus="429", integrationLatency="11",
                       errorMessage="Internal server error", integrationErrorMessage="Rate Exceeded.")
            lat.setdefault(m, []).append(rng.uniform(14, 30))
        else:
            d = max(6000.0, rng.gauss(20000, 3000))
            running.append(t + d / 1000)
            conc[m] = max(conc.get(m, 0), len(running))
            inv[m] = inv.get(m, 0) + 1
            durs.setdefault(m, []).append(d)
            items = rng.randint(40, 160)

            def body(l, s, r, e, c, d=d, items=items, store=store):
                lines = [(0.002, l.fmt(s, r, "INFO", f"render menu store={store} locale=ja-JP items={items}"))]
                if rng.random() < 0.25:
                    lines.append((0.8, l.fmt(s + 0.8, r, "WARNING", f"image cache miss for {items // 8} items, fetching originals")))
                lines.append((d / 1000 - 0.01, l.fmt(s + d / 1000, r, "INFO", f"menu rendered store={store} bytes={items * 5100}")))
                return {"dur": d, "lines": lines}
            ll.invoke(t, False, body)
            rec.update(status="200", responseLength=str(items * 5100), integrationStatus="200",
                       integrationLatency=str(int(d)))
            lat.setdefault(m, []).append(d + rng.uniform(15, 40))
        sc.log(alog, "prod", t + float(lat[m][-1]) / 1000, json.dumps(rec, separators=(",", ":")))
    d = {"FunctionName": fn}
    active = sorted(set(inv) | set(thr))
    emit(sc, "AWS/Lambda", "Invocations", d, "Count", {m: float(inv.get(m, 0)) for m in active})
    emit(sc, "AWS/Lambda", "Errors", d, "Count", {m: 0.0 for m in active})
    emit(sc, "AWS/Lambda", "Throttles", d, "Count", {m: float(thr.get(m, 0)) for m in active})
    emit(sc, "AWS/Lambda", "Duration", d, "Milliseconds", {m: round(sum(v) / len(v), 2) for m, v in durs.items()})
    emit(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count", {m: float(v) for m, v in conc.items()})
    apigw(sc, api, req, e4, e5, {m: round(sum(v) / len(v), 1) for m, v in lat.items()})
    inv2 = {m: (1 if (m // 60) % 10 == 3 else 0) for m in GRID}
    ll2 = LambdaLogs(sc, sync, "python3.12", 256, 60, mem_used=(88, 5), retire=(decoy + 5,))
    run_lambda(sc, ll2, inv2, {}, lambda l, t, rid, e, c: {"dur": rng.gauss(2600, 300), "lines": [
        (0.01, l.fmt(t, rid, "INFO", f"synced {rng.randint(0, 14)} price changes from POS"))]})
    sc.change(-20400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "kenji.w")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              sync, "kenji.w")
    sc.alarm("kiosk-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 600, 1, 8,
             "GreaterThanThreshold", "Kiosk API 5xx per 10 minutes")
    sc.alarm("kiosk-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 3, 27000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "kiosk-api-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": d}]}
    sc.meta = dict(
        where="front (API Gateway) → origin Lambda", services="API Gateway REST, Lambda",
        runtime="Python 3.12 Lambda text logs; API Gateway JSON access log",
        decoys="config update of the POS sync function just before onset; a 1.5x morning rise in requests that "
               "is not a surge; a low background of throttles that was always there; constant 403s from unregistered kiosks and image-cache warnings",
        story="A REST API sends kiosk menu requests to a Python renderer that takes about 20 s per call and "
              "has `reserved_concurrency: 3`. As stores open, requests rise from about 4 to 6 a minute, which "
              "is a normal morning ramp rather than a surge. The needed concurrency then moves from about 1.3 to "
              "2, and the bursts go over 3 much more often. `ConcurrentExecutions` sits at 3, and `Throttles` rise "
              "from a background of about three or four per 10 min to 12-20, and the access log shows status 500 with `integrationStatus 429`, "
              "`Rate Exceeded.`. The function itself never errors. The POS sync config change and the "
              "always-present 403s are distractions. The answer is `throttling` on `kiosk-render`, with the "
              "alarm on the API.")
    return sc
