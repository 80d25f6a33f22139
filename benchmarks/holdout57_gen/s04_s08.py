"""h57-04 (Go Lambda, external provider failing) and h57-08 (PostgreSQL disk full)."""
from __future__ import annotations

from .common import GRID, Scenario, counts_per_minute, diurnal, bump
from .runtimes import LambdaLogs, jline, pg
from .s02_s03_lambda import _lambda_metrics

# =========================================================================== h57-04
T_WARMER, T_PROV = -1620, -1560
PROVIDER = "https://geocode.atlasmaps.io/v3/reverse"


def build_geo() -> Scenario:
    sc = Scenario(4, "geo-enricher-provider-timeouts", "Delivery app cannot resolve addresses; "
                  "geo-api 5XX alarm paged the logistics on-call.",
                  "ap-south-1", 5704, "2026-07-10T09:50:00+00:00")
    rng = sc.rng
    sc.resource("apigateway", "geo-api", stage="prod", api_id="k3v9x2m1qa")
    sc.resource("lambda", "geo-enricher", runtime="provided.al2023", timeout=15, memory_size=256,
                handler="bootstrap", environment_keys=["GEOCODER_BASE_URL", "CACHE_TABLE"])
    sc.resource("lambda", "geo-tile-cache-warmer", runtime="provided.al2023", timeout=300,
                memory_size=1024, schedule="rate(10 minutes)")
    after = lambda t: t >= T_PROV
    inv = sc.series(lambda t: 21 * diurnal(sc, t, 8, 0.3), integer=True)
    miss = 0.54
    err = [float(sum(rng.random() < miss for _ in range(int(i)))) if after(t) else 0.0
           for t, i in zip(GRID, inv)]
    dur = sc.series(lambda t: 3250 if after(t) else 96, noise=0.1)
    conc = [float(max(1, round(i * x / 60000 + rng.uniform(0, 1.2)))) for i, x in zip(inv, dur)]
    d = _lambda_metrics(sc, "geo-enricher", inv, err, dur, conc=conc)
    winv = [1.0 if t % 600 == 0 else 0.0 for t in GRID]
    _lambda_metrics(sc, "geo-tile-cache-warmer", winv, [0.0 for _ in GRID],
                    [round(rng.gauss(45200 if t < T_WARMER else 44100, 1500), 2) if w else None
                     for t, w in zip(GRID, winv)], conc=winv)
    a4 = [float(sum(rng.random() < 0.06 for _ in range(int(i)))) for i in inv]
    ad = {"ApiName": "geo-api"}
    sc.metric("AWS/ApiGateway", "Count", ad, "Count", inv)
    sc.metric("AWS/ApiGateway", "4XXError", ad, "Count", a4)
    sc.metric("AWS/ApiGateway", "5XXError", ad, "Count", err)
    sc.metric("AWS/ApiGateway", "Latency", ad, "Milliseconds", [round(x + rng.gauss(18, 3), 3) for x in dur])
    sc.metric("AWS/ApiGateway", "IntegrationLatency", ad, "Milliseconds",
              [round(x + rng.gauss(6, 1), 3) for x in dur])
    apigw = "API-Gateway-Execution-Logs_k3v9x2m1qa/prod"

    def j(t, reqid, level, msg, **kw):
        return jline({"time": sc.iso(t), "level": level, "msg": msg, "request_id": reqid, **kw})

    def body(ll, t, reqid, is_err, cold):
        lat, lon = round(rng.uniform(8, 30), 5), round(rng.uniform(70, 88), 5)
        lines = [(0.001, j(t + 0.001, reqid, "INFO", "reverse geocode request", lat=lat, lon=lon))]
        r = rng.random()
        if not is_err and r < 0.06:  # pre-existing client bug: NaN coordinates -> 400
            lines.append((0.002, j(t + 0.002, reqid, "WARN", "rejecting request: invalid coordinates",
                                   lat="NaN", lon=str(lon), client="courier-app/5.12.0")))
            return {"dur": rng.gauss(2.1, 0.3), "lines": lines}
        if not is_err and (r < 0.48 or not after(t)):
            hit = r < 0.48
            ms = rng.gauss(3, 1) if hit else (rng.gauss(150, 35) if not after(t) else rng.gauss(1400, 300))
            kw = {"cache": "hit"} if hit else {"cache": "miss", "provider": "atlasmaps", "status": 200}
            lines.append((ms / 1000, j(t + ms / 1000, reqid, "INFO", "reverse geocode ok",
                                       latency_ms=int(ms), **kw)))
            return {"dur": ms + rng.gauss(6, 1), "lines": lines}
        url = f'Get "{PROVIDER}?lat={lat}&lon={lon}&lang=en"'
        if rng.random() < 0.62:
            e1 = e2 = f"{url}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            a1, a2 = 4.0 + rng.uniform(0, 0.01), 8.1 + rng.uniform(0, 0.05)
        else:
            e1 = e2 = "upstream status 503 Service Unavailable: {\"error\":\"upstream_overloaded\",\"retry_after\":30}"
            a1, a2 = rng.uniform(0.2, 0.5), rng.uniform(0.9, 1.3)
        lines.append((a1, j(t + a1, reqid, "WARN", "provider request failed, retrying", provider="atlasmaps",
                            attempt=1, error=e1)))
        lines.append((a2, j(t + a2, reqid, "ERROR", "provider request failed", provider="atlasmaps",
                            attempt=2, error=e2)))
        final = f"reverse geocode: provider atlasmaps unavailable after 2 attempts: {e2}"
        lines.append((a2 + 0.001, jline({"errorMessage": final, "errorType": "wrapError"})))
        api_id = sc.uuid()
        sc.log(apigw, "k3v9x2m1qa-prod", t + a2 + 0.01,
               f"({api_id}) Lambda execution failed with status 200 due to customer function error: "
               f"{final}. Lambda request id: {reqid}")
        sc.log(apigw, "k3v9x2m1qa-prod", t + a2 + 0.012, f"({api_id}) Method completed with status: 502")
        return {"dur": a2 * 1000 + rng.gauss(3, 1), "lines": lines}

    ll = LambdaLogs(sc, "geo-enricher", "provided.al2023", 256, 15, mem_used=(38, 3))
    ll.run(counts_per_minute(inv, -9000, 0), counts_per_minute(err, -9000, 0), body)

    wl = LambdaLogs(sc, "geo-tile-cache-warmer", "provided.al2023", 1024, 300, mem_used=(410, 20),
                    life=(20000, 30000), retire=[T_WARMER])

    def wbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(45200 if t < T_WARMER else 44100, 1500)
        n = rng.randint(18000, 18600)
        return {"dur": dur, "lines": [
            (0.01, j(t + 0.01, reqid, "INFO", "warming tiles", zoom="12-14", region="IN-west")),
            (dur / 1000 - 0.01, j(t + dur / 1000 - 0.01, reqid, "INFO", "warmed tiles", tiles=n,
                                  duration_ms=int(dur)))]}
    for t in GRID:
        if t % 600 == 0 and t >= -10800:
            wl.invoke(t + rng.uniform(0.1, 0.9), False, wbody)

    sc.change(T_WARMER, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "geo-tile-cache-warmer", "github-actions-deployer")
    sc.change(-19500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "geo-enricher", "github-actions-deployer")
    sc.alarm("geo-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 3, "GreaterThanThreshold",
             "geo-api server errors")
    sc.alarm("geo-enricher-duration-high", "AWS/Lambda", "Duration", d, "Average", 300, 2, 1500,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "geo-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": ["geo-enricher"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": ad}]}
    sc.meta = {
        "alarm_on": "front (API Gateway geo-api); origin is geo-enricher's external provider",
        "decoys": "geo-tile-cache-warmer deploy 60 s before onset; geo-enricher's own deploy 5 h "
                  "earlier with clean traffic since; pre-existing WARN/400s for NaN coordinates; "
                  "second alarm (geo-enricher duration) on the same incident",
        "story": "From -1560 s every cache-missing geocode fails: geo-enricher logs `provider request "
                 "failed` for the external atlasmaps API with `context deadline exceeded "
                 "(Client.Timeout exceeded while awaiting headers)` or `upstream status 503`, retries "
                 "once and returns `provider atlasmaps unavailable after 2 attempts`; cache hits keep "
                 "succeeding. Duration rises to the 2 x 4 s client timeouts, well under the 15 s "
                 "function timeout, with no throttles or memory pressure. The tile-warmer deploy a "
                 "minute earlier touches a different, scheduled function that stays healthy. Timeouts "
                 "and 503s from a downstream HTTP API are dependency_failure; the provider is outside "
                 "the account, so the origin resource is the function that depends on it.",
    }
    return sc


# =========================================================================== h57-08
T_FULL, T_ARCHIVER = -1090, -1500
DB = "events-pg"


def build_events() -> Scenario:
    sc = Scenario(8, "events-pg-disk-full", "Event ingestion failing for all sources; "
                  "event-ingest Errors alarm in ALARM.", "us-east-2", 5708, "2026-10-14T06:20:00+00:00")
    rng = sc.rng
    sc.resource("rds", DB, engine="postgres", engine_version="15.7", instance_class="db.m6g.large",
                max_connections=901, allocated_storage_gb=200, storage_type="gp3",
                storage_autoscaling=False, multi_az=False)
    for fn, to in (("event-ingest", 30), ("event-compactor", 120), ("event-archiver", 60)):
        sc.resource("lambda", fn, runtime="python3.12", timeout=to, memory_size=512)
    full = lambda t: t >= T_FULL
    rd = {"DBInstanceIdentifier": DB}
    fss = lambda t: max(1.8e8, 41.2e9 - 2.0e6 * (t + 21600))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes", sc.series(fss, noise=0.002, digits=0))
    sc.metric("AWS/RDS", "TransactionLogsDiskUsage", rd, "Bytes",
              sc.series(lambda t: 6.1e9 + (41.2e9 - fss(t)) * 0.97, noise=0.001, digits=0))
    sc.metric("AWS/RDS", "ReplicationSlotDiskUsage", rd, "Bytes",
              sc.series(lambda t: 5.9e9 + (41.2e9 - fss(t)) * 0.97, noise=0.001, digits=0))
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent",
              sc.series(lambda t: (22 if not full(t) else 9) + bump(t, -8700, -8100, 38), noise=0.1))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count",
              sc.series(lambda t: 44 if not full(t) else 52, integer=True))
    sc.metric("AWS/RDS", "WriteIOPS", rd, "Count/Second",
              sc.series(lambda t: 880 if not full(t) else 60, noise=0.08))
    sc.metric("AWS/RDS", "FreeableMemory", rd, "Bytes", sc.series(lambda t: 3.1e9, noise=0.01, digits=0))

    inv = sc.series(lambda t: 16 * diurnal(sc, t, 14, 0.2), integer=True)
    err = [float(sum(rng.random() > 0.05 for _ in range(int(i)))) if full(t) else 0.0
           for t, i in zip(GRID, inv)]
    d = _lambda_metrics(sc, "event-ingest", inv, err,
                        sc.series(lambda t: 42 if not full(t) else 31, noise=0.1))
    cinv = [1.0 if t % 300 == 0 else 0.0 for t in GRID]
    _lambda_metrics(sc, "event-compactor", cinv, [c if full(t) else 0.0 for t, c in zip(GRID, cinv)],
                    [round(rng.gauss(7400 if not full(t) else 260, 500 if not full(t) else 30), 2) if c else None
                     for t, c in zip(GRID, cinv)], conc=cinv)
    ainv = sc.series(lambda t: 2, integer=True)
    _lambda_metrics(sc, "event-archiver", ainv, [0.0 for _ in GRID],
                    sc.series(lambda t: 1900 if t < T_ARCHIVER else 1650, noise=0.1))

    group, stream = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    clients = [sc.ip("10.8") for _ in range(12)]
    lsn = 0x2F4000000
    for t in range(-21600, 0, 300):
        tt = t + 17.3
        sc.log(group, stream, tt, pg(sc, tt, "LOG", "checkpoint starting: time", pid=411))
        if full(tt):
            continue
        buf = rng.randint(1800, 2900)
        lsn += rng.randint(0x20000000, 0x28000000)
        sc.log(group, stream, tt + 269.6, pg(
            sc, tt + 269.6, "LOG", f"checkpoint complete: wrote {buf} buffers ({buf / 1310.72:.1f}%); 0 WAL "
            f"file(s) added, 0 removed, 0 recycled; write=269.{rng.randint(100, 999)} s, sync=0.0"
            f"{rng.randint(10, 99)} s, total=269.{rng.randint(200, 999)} s; sync files={rng.randint(40, 90)}, "
            f"longest=0.004 s, average=0.001 s; distance={rng.randint(580000, 640000)} kB, "
            f"estimate={rng.randint(600000, 650000)} kB; lsn={lsn >> 32:X}/{lsn & 0xFFFFFFFF:08X}, "
            f"redo lsn={lsn >> 32:X}/{(lsn - 0x1000000) & 0xFFFFFFFF:08X}", pid=411))
    sc.log(group, stream, -21480, pg(sc, -21480, "LOG", "terminating walsender process due to replication timeout",
                                     client="10.8.9.41(51022)", user="cdc_debezium", db="events", pid=30211))
    sc.log(group, stream, -8650, pg(sc, -8650, "LOG", 'automatic vacuum of table "events.public.events": index '
                                    "scans: 1\n\tpages: 0 removed, 1843321 remain, 412008 scanned (22.35% of total)\n"
                                    "\ttuples: 2210431 removed, 61023117 remain, 0 are dead but not yet removable",
                                    pid=28813))
    for t in range(-21600, 0, 97):  # pre-existing noise: clients dropping idle connections
        if rng.random() < 0.35:
            tt = t + rng.uniform(0, 90)
            sc.log(group, stream, tt, pg(sc, tt, "LOG", "could not receive data from client: Connection reset by peer",
                                         client=f"{rng.choice(clients)}({rng.randint(40000, 60000)})",
                                         user="ingest", db="events"))
    seg = f"base/16404/18221.{rng.randint(9, 14)}"
    ddl = "INSERT INTO events (id, source, type, payload, received_at) VALUES ($1, $2, $3, $4, $5)"
    sc.log(group, stream, T_FULL + 38, pg(sc, T_FULL + 38, "PANIC", 'could not write to file "pg_wal/xlogtemp.9912": '
                                          "No space left on device", pid=9912))
    for k, msg in enumerate(["server process (PID 9912) was terminated by signal 6: Aborted",
                             "terminating any other active server processes",
                             "all server processes terminated; reinitializing",
                             "database system was interrupted; last known up at " + sc.at(T_FULL - 200).strftime("%Y-%m-%d %H:%M:%S UTC"),
                             "database system was not properly shut down; automatic recovery in progress",
                             "redo done at 2F/B3FFE1C8 system usage: CPU: user: 1.21 s, system: 0.40 s, elapsed: 3.88 s",
                             "database system is ready to accept connections"]):
        sc.log(group, stream, T_FULL + 39 + k * 1.3, pg(sc, T_FULL + 39 + k * 1.3, "LOG", msg, pid=412))

    def ing(ll, t, reqid, is_err, cold):
        src = rng.choice(["pos-gateway", "web-checkout", "mobile-app", "partner-feed"])
        eid = f"evt_{sc.hexid(16)}"
        lines = [(0.002, ll.fmt(t + 0.002, reqid, "INFO", f"received event {eid} source={src}"))]
        if is_err:
            c, bpid = f"{rng.choice(clients)}({rng.randint(40000, 60000)})", rng.randint(10000, 12000)
            for k, (lvl, m) in enumerate([("ERROR", f'could not extend file "{seg}": No space left on device'),
                                          ("HINT", "Check free disk space."), ("STATEMENT", ddl)]):
                sc.log(group, stream, t + 0.02 + k * 0.0001, pg(sc, t + 0.02, lvl, m, client=c, user="ingest",
                                                                db="events", pid=bpid))
            lines.append((0.025, f"[ERROR] DiskFull: could not extend file \"{seg}\": No space left on device\n"
                                 "HINT:  Check free disk space.\n\nTraceback (most recent call last):\n"
                                 '  File "/var/task/ingest/handler.py", line 61, in handler\n'
                                 "    cur.execute(INSERT_SQL, row)\n"
                                 f'  File "/var/task/psycopg2/extras.py", line 236, in execute\n'
                                 "    return super().execute(query, vars)"))
            return {"dur": rng.gauss(31, 4), "lines": lines}
        if rng.random() < 0.05:  # pre-existing: dropped legacy events
            lines.append((0.004, ll.fmt(t + 0.004, reqid, "WARNING", f"Dropping event {eid} with unknown "
                                                                    "schema_version=0 from source=legacy-pos")))
            return {"dur": rng.gauss(9, 2), "lines": lines}
        dur = rng.gauss(42, 7)
        lines.append((dur / 1000 - 0.001, ll.fmt(t + dur / 1000 - 0.001, reqid, "INFO", f"stored event {eid} in {int(dur - 4)} ms")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, "event-ingest", "python3.12", 512, 30, mem_used=(92, 5))
    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), ing)

    cl = LambdaLogs(sc, "event-compactor", "python3.12", 512, 120, mem_used=(140, 8), life=(20000, 30000))

    def comp(ll, t, reqid, is_err, cold):
        hour = sc.at(t - 3600).strftime("%Y-%m-%dT%H:00")
        if not full(t):
            dur = rng.gauss(7400, 500)
            return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                    f"compacted bucket {hour} ({rng.randint(40000, 52000)} rows -> events_hourly)"))]}
        return {"dur": rng.gauss(260, 30), "lines": [(0.2, f"[ERROR] DiskFull: could not extend file "
                f"\"base/16404/18307.2\": No space left on device\nHINT:  Check free disk space.\n\nTraceback "
                "(most recent call last):\n  File \"/var/task/compactor.py\", line 88, in handler\n"
                "    cur.execute(ROLLUP_SQL, (bucket,))")]}
    for t in GRID:
        if t % 300 == 0 and t >= -10800:
            cl.invoke(t + rng.uniform(0.1, 0.8), full(t), comp)

    al = LambdaLogs(sc, "event-archiver", "python3.12", 512, 60, mem_used=(120, 6), retire=[T_ARCHIVER])

    def arch(ll, t, reqid, is_err, cold):
        dur = rng.gauss(1900 if t < T_ARCHIVER else 1650, 180)
        key = f"s3://events-archive-prod/dt={sc.at(t).strftime('%Y-%m-%d')}/part-{sc.hexid(8)}.parquet"
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                                                                 f"archived {rng.randint(400, 520)} events to {key}"))]}
    al.run(counts_per_minute(ainv, -10800, 0), {}, arch)

    sc.change(T_ARCHIVER, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "event-archiver", "ci-deployer")
    sc.change(-17800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    sc.alarm("event-ingest-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "event-ingest failures")
    sc.alarm("events-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", rd, "Minimum", 300, 1, 5e9,
             "LessThanThreshold", "events-pg free storage under 5 GB")
    sc.expect = {"alarm": "event-ingest-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": rd}]}
    sc.meta = {
        "alarm_on": "front (event-ingest Errors); origin is the RDS instance",
        "decoys": "event-archiver deploy 7 min before the first error (closer to onset than anything "
                  "else); CreateDBSnapshot 4.6 h earlier; autovacuum CPU spike 2 h earlier; pre-existing "
                  "dropped-legacy-event WARNING and connection-reset LOG noise",
        "story": "events-pg's FreeStorageSpace falls steadily for the whole window while "
                 "TransactionLogsDiskUsage and ReplicationSlotDiskUsage climb by the same amount: an "
                 "inactive logical replication slot (its walsender timed out at the start of the "
                 "window; checkpoints report `0 removed`) retains WAL. At -1090 s the volume is full: "
                 "PostgreSQL logs `could not extend file ... No space left on device` and a PANIC on "
                 "pg_wal, and every writer (event-ingest and the scheduled event-compactor, neither "
                 "changed) fails with `DiskFull`. event-archiver, deployed 7 minutes earlier, only "
                 "writes to S3 and keeps succeeding. Storage at zero with disk-full errors is "
                 "storage_exhaustion on the database.",
    }
    return sc


BUILDERS = [build_geo, build_events]
