"""h92-09 (search-suggest at its reserved concurrency behind API Gateway) and h92-10 (the PostGIS
database crash-recovering under the map search)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from .base import (ZERO, anomaly, api_id, apigw_exec, apigw_metrics, cnt, expect, lambda_metrics,
                   make, rds_metrics, sample, sprinkle, val)


# =========================================================================== h92-09
def build_09():
    sc = make(9, "search-api-500s-open-house", "Search box suggestions failing for some users on "
              "Saturday morning; API Gateway 5XX alarm.", "us-east-1", "2026-05-16T13:30:00",
              category="throttling", side="front", services="API Gateway (REST), Lambda (Node.js) x2",
              runtime="nodejs20.x", fmt="Lambda Node text, API Gateway execution logs",
              decoys="deploy of saved-search-digest 60 s before sustained throttling; chronic Errors alarm on that function; steady 400s from bots; steady slow-OpenSearch warnings",
              story=(
                  "`search-api` fronts `search-suggest` (reserved concurrency 40). Saturday open-house "
                  "browsing lifts demand ~30 % over an hour; from about -3400 s `ConcurrentExecutions` "
                  "sits flat at 40, `Throttles` climbs to hundreds a minute and API Gateway execution "
                  "logs show `Lambda invocation failed with status: 429 ... Rate Exceeded` before "
                  "returning 500. Duration is unchanged (~260 ms) and the function itself logs no new "
                  "errors. A deploy of `saved-search-digest` a minute before the onset, whose Errors "
                  "alarm has been firing for hours, is unrelated; the 4XX from bots and the slow-OpenSearch "
                  "warnings are constant all morning."),
              judgement=("h92-09: demand rises only ~30 %, a normal weekend morning, so the fault is the "
                         "concurrency limit (`throttling`), not `traffic_surge`."))
    fn, other, api = "search-suggest", "saved-search-digest", "search-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=5, memory_size=512, reserved_concurrency=40)
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=300, memory_size=1024)
    sc.resource("apigateway", api, stage="prod", integration="AWS_PROXY")
    dur_ms = 262.0
    demand = cnt(sc, lambda t: 7600 * (1 + 0.3 * ramp(t, -5400, -1800)) * diurnal(sc, t, 16, 0.05), noise=0.02)
    cap = 40 / (dur_ms / 1000) * 60
    inv = [min(d, cap * (0.985 + 0.01 * sc.rng.random())) for d in demand]
    inv = [float(round(v)) for v in inv]
    thr = [max(0.0, d - i) if d > cap * 0.985 else 0.0 for d, i in zip(demand, inv)]
    conc = [min(40.0, round(i / 60 * dur_ms / 1000 * (1.02 + 0.04 * sc.rng.random()))) for i in inv]
    lambda_metrics(sc, fn, inv, cnt(sc, lambda t: 0.3), val(sc, lambda t: dur_ms, noise=0.04), thr, conc)
    e4 = cnt(sc, lambda t: 41)
    apigw_metrics(sc, api, [d + e for d, e in zip(demand, e4)], e4, thr,
                  val(sc, lambda t: 288, noise=0.05), ilat=val(sc, lambda t: 270, noise=0.05))
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 5, mem_used=(128, 10), max_envs=40)

    def body(ll, t, rid, is_err, cold):
        q = sc.rng.choice(["mont", "hobo", "jersey c", "west orange", "maplew", "07042", "ridgewood"])
        d = max(40.0, sc.rng.gauss(dur_ms, 60))
        lines = [(d / 1000 - 0.004, ll.fmt(t + d / 1000, rid, "INFO", f"suggest q=\"{q}\" hits={sc.rng.randint(0, 12)} "
                                           f"os_ms={int(d * 0.7)}"))]
        if sc.rng.random() < 0.05:
            lines.insert(0, (d / 1000 - 0.01, ll.fmt(t, rid, "WARN", f"opensearch slow response {sc.rng.randint(800, 1400)}ms "
                                                     "index=listings-suggest-v7")))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, ZERO, cap=3)
    ll.run(li, le, body)
    aid = api_id(sc)
    group, stream = f"API-Gateway-Execution-Logs_{aid}/prod", f"{sc.hexid(32)}"
    arn = f"arn:aws:lambda:{sc.region}:{sc.account}:function:{fn}"
    thr_at = dict(zip(GRID, thr))

    def throttled(t):
        mid = [f"Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}",
               "Execution failed due to configuration error: Rate Exceeded."]
        for tt, x in apigw_exec(sc, t, "/suggest", "GET", 500, mid, arn, 12):
            sc.log(group, stream, tt, x)

    def ok(t):
        for tt, x in apigw_exec(sc, t, "/suggest", "GET", 200, ["Method response body after transformations: "
                                                               "{\"suggestions\":[...]}"], arn, 290):
            sc.log(group, stream, tt, x)

    def bot(t):
        for tt, x in apigw_exec(sc, t, "/suggest", "GET", 400, ["Request validation failed: query parameter q "
                                                               "must be at least 2 characters"], None, 4):
            sc.log(group, stream, tt, x)

    sprinkle(sc, GRID[0], 0, 1.0, ok)
    sprinkle(sc, GRID[0], 0, 0.4, bot)
    sprinkle(sc, GRID[0], 0, lambda t: min(3.0, thr_at.get(t, 0) / 100), throttled)
    oinv = cnt(sc, lambda t: 6)
    oerr = cnt(sc, lambda t: 2.5 if t >= -15000 else 0.1)
    od = lambda_metrics(sc, other, oinv, oerr, val(sc, lambda t: 41000, noise=0.15))
    ol = LambdaLogs(sc, other, "nodejs20.x", 1024, 300, retire=(-3480,), mem_used=(380, 30))

    def obody(ll, t, rid, is_err, cold):
        if is_err:
            return {"lines": [(2.0, ll.fmt(t + 2, rid, "ERROR", "Invoke Error \t{\"errorType\":\"MessageRejected\","
                                           "\"errorMessage\":\"Email address is not verified. The following identities "
                                           "failed the check in region US-EAST-1: digest@alerts.portal.example\"}"))],
                    "dur": sc.rng.uniform(1800, 2600)}
        return {"lines": [(30.0, ll.fmt(t + 30, rid, "INFO", f"digest batch sent={sc.rng.randint(200, 900)}"))],
                "dur": sc.rng.uniform(30000, 52000)}

    li, le = sample(sc, oinv, oerr, cap=1)
    ol.run(li, le, obody)
    sc.change(-3480, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "gh-actions-deploy")
    sc.alarm("saved-search-digest-errors", "AWS/Lambda", "Errors", od, "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.alarm("search-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "Search API server errors")
    expect(sc, "search-api-5xx", "throttling", [fn],
           [anomaly("AWS/Lambda", "Throttles", {"FunctionName": fn})])
    return sc


# =========================================================================== h92-10
def build_10():
    sc = make(10, "map-search-errors", "Map view shows no listings; Errors alarm on the map "
              "search function.", "us-east-1", "2026-05-17T19:40:00",
              category="dependency_failure", side="front",
              services="Lambda (Python), RDS PostgreSQL/PostGIS x2", runtime="python3.12",
              fmt="plain Lambda text, PostgreSQL log",
              decoys="ModifyDBInstance on crm-pg 60 s before onset; map-search deploy 42 min earlier; steady slow-query and bbox warnings",
              story=(
                  "`map-search` queries `geo-pg` (PostGIS). At -1800 s the database logs `server process "
                  "(PID ...) was terminated by signal 11: Segmentation fault`, terminates all backends and "
                  "enters crash recovery (`database system was not properly shut down; automatic recovery "
                  "in progress`, then `redo in progress, elapsed time: ...` every minute until now). Every "
                  "`map-search` invocation since fails with `Connection refused` and then `FATAL: the "
                  "database system is not yet accepting connections`; DatabaseConnections falls to ~0 — "
                  "the database is down, not exhausted, and its memory and storage are normal. The deploy "
                  "to `map-search` 42 minutes before ran cleanly, and the `crm-pg` modification a minute "
                  "before the onset is a different database."),
              judgement=("h92-10: the crash is inside the database, but for the alarmed caller it is a "
                         "failing dependency; no resource category (connections, CPU, memory, storage) "
                         "fits `geo-pg`, so `dependency_failure` on `geo-pg`."))
    fn, db, crm = "map-search", "geo-pg", "crm-pg"
    host = f"{db}.c{sc.hexid(11)}.us-east-1.rds.amazonaws.com"
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=1700, allocated_storage_gb=600, multi_az=False, extensions=["postgis 3.4"])
    sc.resource("rds", crm, engine="postgres", engine_version="15.5", instance_class="db.t4g.large",
                max_connections=900, allocated_storage_gb=100)
    crash, dep = -1800, -4300
    down = lambda t: t >= crash
    inv = cnt(sc, lambda t: 38 * diurnal(sc, t, 21, 0.3))
    err = [float(n) if down(t) else float(sc.rng.random() < 0.05) for t, n in zip(GRID, inv)]
    lambda_metrics(sc, fn, inv, err, val(sc, lambda t: 95 if down(t) else 420, noise=0.1))
    rds_metrics(sc, db, val(sc, lambda t: 41 * diurnal(sc, t, 21, 0.2) if not down(t) else 24, noise=0.1),
                cnt(sc, lambda t: 62 * diurnal(sc, t, 21, 0.2) if not down(t) else 0.5),
                val(sc, lambda t: 3.9e11, noise=0.0002, digits=0), val(sc, lambda t: 1.6e10 + (4e9 if down(t) else 0), noise=0.01, digits=0),
                val(sc, lambda t: 0.0016 if not down(t) else 0.0042, noise=0.2, digits=5))
    rds_metrics(sc, crm, val(sc, lambda t: 12, noise=0.1), cnt(sc, lambda t: 31),
                val(sc, lambda t: 6.1e10, noise=0.0003, digits=0), val(sc, lambda t: 3.1e9, noise=0.01, digits=0),
                val(sc, lambda t: 0.0011, noise=0.2, digits=5))
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 15, retire=(dep,), mem_used=(210, 15))

    def body(ll, t, rid, is_err, cold):
        z = sc.rng.randint(10, 16)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"map query zoom={z} bbox=-74.3,40.6,-73.9,40.9 filters=status:A,type:{sc.rng.choice(['any', 'condo', 'sfh'])}"))]
        if z <= 11 and not is_err:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "WARNING", f"bbox too large (zoom {z}), clamping to 500 results")))
        if is_err and t < crash:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", "QueryCanceled: canceling statement due to statement timeout")))
            return {"lines": lines, "dur": 5000 + sc.rng.uniform(5, 40)}
        if is_err:
            if t < crash + 40:
                e = (f"psycopg2.OperationalError: connection to server at \"{host}\" (10.12.3.45), port 5432 failed: "
                     "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?")
            else:
                e = (f"psycopg2.OperationalError: connection to server at \"{host}\" (10.12.3.45), port 5432 failed: "
                     "FATAL:  the database system is not yet accepting connections\nDETAIL:  Consistent recovery state has not been yet reached.")
            lines.append((0.04, f"[ERROR] OperationalError: {e.split(': ', 1)[1]}\nTraceback (most recent call last):\n"
                                "  File \"/var/task/mapsearch/handler.py\", line 27, in handler\n    with pool.connection() as conn:\n"
                                "  File \"/var/task/mapsearch/db.py\", line 19, in connection\n    conn = psycopg2.connect(DSN, connect_timeout=3)\n" + e))
            return {"lines": lines, "dur": sc.rng.uniform(40, 160)}
        d = max(90.0, sc.rng.gauss(420, 120))
        lines.append((d / 1000 - 0.003, ll.fmt(t + d / 1000, rid, "INFO", f"returned {sc.rng.randint(12, 500)} listings in {int(d - 10)} ms")))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)
    lg, ls = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    plog = lambda t, lvl, msg, **kw: sc.log(lg, ls, t, pg(sc, t, lvl, msg, **kw))
    for t in range(GRID[0] + 17, crash, 300):
        plog(t, "LOG", "checkpoint starting: time", pid=611)
        plog(t + 29.4, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} buffers ({round(sc.rng.uniform(0.3, 1.6), 1)}%); "
             f"0 WAL file(s) added, 0 removed, {sc.rng.randint(1, 6)} recycled; write=26.9 s, sync=0.4 s, total=29.4 s", pid=611)
    sprinkle(sc, GRID[0], crash, 0.3, lambda t: plog(
        t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT id, geom FROM listing_geo WHERE "
        "ST_Intersects(geom, ST_MakeEnvelope($1,$2,$3,$4,4326)) AND status = 'A' LIMIT 500",
        client="10.12.7.81(50211)", user="mapsearch", db="geo"))
    plog(crash, "LOG", "server process (PID 28817) was terminated by signal 11: Segmentation fault", pid=402)
    plog(crash + 0.001, "DETAIL", "Failed process was running: SELECT ST_ClusterDBSCAN(geom, eps := 0.002, minpoints := 3) OVER () "
         "AS cid, id FROM listing_geo WHERE ST_Intersects(geom, ST_MakeEnvelope($1,$2,$3,$4,4326))", pid=402)
    plog(crash + 0.002, "LOG", "terminating any other active server processes", pid=402)
    plog(crash + 0.9, "LOG", "all server processes terminated; reinitializing", pid=402)
    plog(crash + 1.4, "LOG", "database system was interrupted; last known up at "
         f"{sc.at(crash - 95).strftime('%Y-%m-%d %H:%M:%S')} UTC", pid=28991)
    plog(crash + 1.9, "LOG", "database system was not properly shut down; automatic recovery in progress", pid=28991)
    plog(crash + 2.0, "LOG", "redo starts at 3A1/5C0012F8", pid=28991)
    for k, t in enumerate(range(crash + 60, 0, 60)):
        plog(t + 2, "LOG", f"redo in progress, elapsed time: {t + 2 - crash - 2:.2f} s, current LSN: 3A{1 + k // 9}/{(k % 9 + 1) * 0x19000000 + sc.rng.randint(0, 0xFFFFFF):08X}", pid=28991)
    sprinkle(sc, crash + 40, 0, 1.2, lambda t: (
        plog(t, "FATAL", "the database system is not yet accepting connections", client=f"10.12.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)}(4{sc.rng.randint(1000, 9999)})",
             user="mapsearch", db="geo"),
        plog(t + 0.0001, "DETAIL", "Consistent recovery state has not been yet reached.", user="mapsearch", db="geo")))
    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-deploy")
    sc.change(dep + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gh-actions-deploy")
    sc.change(crash - 60, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", crm, "priya.natarajan")
    sc.alarm("map-search-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Map search function errors")
    expect(sc, "map-search-errors", "dependency_failure", [db],
           [anomaly("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db})])
    return sc


BUILDERS = [build_09, build_10]
