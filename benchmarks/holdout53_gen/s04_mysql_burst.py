"""h53-04: catalog-mysql on gp2 drains its I/O burst credits; storage I/O is throttled to the 300 IOPS baseline."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import add, apigw_set, lambda_set, minutes, rds_set

REGION = "eu-central-1"
NOW_H = 11.85
BUCKET = 5.4e6
BASE = 300.0

META = {
    "file": "h53-04-rds-mysql-burst-balance.yaml", "region": REGION, "alarm": "catalog-api-latency",
    "category": "throttling", "resources": ["catalog-mysql"], "alarm_on": "front (API Gateway)",
    "decoys": "deploy of catalog-indexer 60 min ago (writes to OpenSearch, not MySQL); replica-lag alarm on "
              "catalog-mysql-ro1 that fired and cleared about 2.5 h earlier; steady recommendation-service 404 ERROR "
              "lines and 4XX from bad API keys",
    "story": (
        "catalog-api's latency alarm fires; catalog-search (Python Lambda) shows db_ms going from ~40 ms to seconds "
        "and some `OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')`. "
        "catalog-mysql is a gp2 volume of 100 GB, i.e. 300 IOPS baseline with burst credits. Its BurstBalance "
        "has been draining since the morning ramp (read IOPS well above 300 as the working set outgrew the buffer "
        "pool) and reached 0 %; from that minute read+write IOPS sit flat at ~300, DiskQueueDepth jumps into the "
        "tens and Read/WriteLatency go from sub-millisecond to tens of milliseconds, while CPU stays low and "
        "FreeStorageSpace is unchanged. The slow-query log shows simple queries (Rows_examined = Rows_sent) taking "
        "seconds, i.e. waiting on I/O, not bad plans. The database is not merely a failing dependency: its storage "
        "I/O is being throttled to baseline. The indexer deploy, the replica-lag blip and the steady 404/4XX noise "
        "do not explain it. Judgement: throttling (EBS burst credits exhausted, I/O capped) on catalog-mysql."),
}


def build() -> Scenario:
    scn = Scenario("h53-04-rds-mysql-burst-balance", "Catalog search slow for shoppers; API latency alarm.", REGION,
                   5304, datetime(2026, 3, 18, 10, 51))
    rng = scn.rng
    scn.resource("rds", "catalog-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.m5.large",
                 allocated_storage_gb=100, storage_type="gp2", iops_baseline=300, max_connections=683,
                 read_replicas=["catalog-mysql-ro1"])
    scn.resource("rds", "catalog-mysql-ro1", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                 allocated_storage_gb=100, storage_type="gp3", replica_of="catalog-mysql")
    scn.resource("apigateway", "catalog-api", api_id="k3v9qz1m7d", stage="prod", endpoint_type="REGIONAL")
    scn.resource("lambda", "catalog-search", runtime="python3.12", timeout=10, memory_size=1024)
    scn.resource("lambda", "catalog-indexer", runtime="python3.12", timeout=120, memory_size=512,
                 event_source="dynamodb-stream:catalog-products", target="opensearch:catalog-search-v3")

    mult = lambda t: diurnal(t, NOW_H, peak_hour=13.0, amp=0.5)
    demand = lambda t, s: (140 + s * mult(t) ** 1.6) * (1 + 0.04 * ((t // 60) % 7 - 3) / 3)

    def simulate(s):
        b, out = 0.98 * BUCKET, {}
        for t in minutes(-21600):
            d = demand(t, s)
            served = d if b > 0 else min(d, BASE)
            b = min(BUCKET, max(0.0, b + (BASE - served) * 60))
            out[t] = (b, d, served)
        return out
    lo, hi = 300.0, 2000.0
    for _ in range(40):
        mid = (lo + hi) / 2
        hit = next((t for t, v in simulate(mid).items() if v[0] <= 0), 0)
        lo, hi = (lo, mid) if hit and hit < -2500 else (mid, hi)
    sim = simulate(hi)
    onset = next(t for t, v in sim.items() if v[0] <= 0)
    throttled = lambda t: t >= onset
    rf = 0.82
    rds_set(scn, "catalog-mysql",
            BurstBalance=lambda t: sim[t][0] / BUCKET * 100,
            ReadIOPS=lambda t: sim[t][2] * rf + rng.gauss(0, 6),
            WriteIOPS=lambda t: sim[t][2] * (1 - rf) + rng.gauss(0, 3),
            DiskQueueDepth=lambda t: (min(64, 18 + (sim[t][1] - BASE) / 12) if throttled(t) else 0.4 + sim[t][1] / 900)
            + abs(rng.gauss(0, 1.2 if throttled(t) else 0.15)),
            ReadLatency=lambda t: (0.045 + (sim[t][1] - BASE) / 9000 if throttled(t) else 0.00055 + sim[t][1] / 2e6)
            * rng.uniform(0.85, 1.15),
            WriteLatency=lambda t: (0.038 + (sim[t][1] - BASE) / 11000 if throttled(t) else 0.0012) * rng.uniform(0.85, 1.15),
            CPUUtilization=lambda t: (11 if throttled(t) else 14 + 12 * mult(t)) + rng.gauss(0, 1.5),
            DatabaseConnections=lambda t: (150 + 60 * mult(t) if throttled(t) else 22 + 16 * mult(t)) + rng.gauss(0, 4),
            FreeStorageSpace=lambda t: 38.6e9 - (t + 21600) * 9e2 + rng.uniform(-4e6, 4e6),
            FreeableMemory=lambda t: 1.12e9 + rng.uniform(-2e7, 2e7))
    lag_on = lambda t: -9900 <= t < -8700
    ro_lag = rds_set(scn, "catalog-mysql-ro1",
                     ReplicaLag=lambda t: (min(420, (t + 9900) / 2.6) if lag_on(t) else rng.choice([0, 0, 1])),
                     CPUUtilization=lambda t: (64 if lag_on(t) else 9) + rng.gauss(0, 2),
                     BurstBalance=lambda t: 100.0, ReadIOPS=lambda t: (1900 if lag_on(t) else 120) + rng.gauss(0, 10))

    inv = counts(lambda t: 880 * mult(t), rng)
    dur = lambda t: (min(9500, 1400 + (sim[t][1] - BASE) * 3.1) if throttled(t) else 70 + 25 * mult(t))
    err_rate = lambda t: (0.05 + min(0.15, (sim[t][1] - BASE) / 7000)) if throttled(t) else 0.0
    errs = [[t, float(round(v * err_rate(t) * rng.uniform(0.8, 1.2)))] for t, v in inv]
    lambda_set(scn, "catalog-search", inv=inv, err=errs, thr=lambda t: 0,
               dur=lambda t: dur(t) * rng.uniform(0.9, 1.1),
               conc=lambda t: value_at(inv, t) / 60 * dur(t) / 1000 * 1.6 + rng.uniform(0, 2))
    ix = lambda t: 4 + rng.randint(0, 3)
    lambda_set(scn, "catalog-indexer", inv=ix, err=lambda t: 0, thr=lambda t: 0,
               dur=lambda t: rng.uniform(300, 700) * (0.92 if t > -3600 else 1.0), conc=lambda t: 1)
    e4 = lambda t: value_at(inv, t) * 0.021 * rng.uniform(0.7, 1.3)
    api = apigw_set(scn, "catalog-api", count=lambda t: value_at(inv, t) * 1.021, e4=e4,
                    e5=lambda t: value_at(errs, t), latency=lambda t: dur(t) * rng.uniform(0.92, 1.08) + 18,
                    integ=lambda t: dur(t) * rng.uniform(0.92, 1.08) + 4)

    scn.alarm("catalog-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "catalog-api"}, "Average", 60, 5, 1500,
              "GreaterThanThreshold", points=api["Latency"], description="catalog-api p50-ish latency above 1.5 s")
    scn.alarm("catalog-mysql-ro1-replica-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "catalog-mysql-ro1"},
              "Maximum", 60, 3, 300, "GreaterThanThreshold", points=ro_lag["ReplicaLag"])
    scn.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "catalog-indexer", "gitlab-ci")
    scn.change(-3580, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "catalog-indexer",
               "gitlab-ci")
    _logs(scn, inv, dur, err_rate, throttled, sim, onset)
    scn.set_expect("catalog-api-latency", META["category"], META["resources"],
                   [dims_ref("AWS/RDS", "BurstBalance", {"DBInstanceIdentifier": "catalog-mysql"}),
                    dims_ref("AWS/RDS", "DiskQueueDepth", {"DBInstanceIdentifier": "catalog-mysql"}),
                    dims_ref("AWS/ApiGateway", "Latency", {"ApiName": "catalog-api"})])
    return scn


QUERIES = ["wanderschuhe", "regenjacke", "rucksack 30l", "kaffeemaschine", "bluetooth kopfhörer", "laufshirt",
           "zelt 2 personen", "thermoskanne", "akkuschrauber", "yogamatte"]


def _logs(scn, inv, dur, err_rate, throttled, sim, onset):
    rng = scn.rng
    ev, acc = [], []
    for m0 in minutes(-7200):
        n = max(1, int(value_at(inv, m0) / 70))
        for _ in range(n):
            t = m0 + rng.uniform(0, 60)
            d = dur(m0) * rng.uniform(0.5, 1.5)
            q = rng.choice(QUERIES)
            body = []
            failed = rng.random() < err_rate(m0)
            if rng.random() < 0.06:
                body.append((0.02, L.py_lambda(scn, t, "ERROR", f"Recommendation service returned 404 for "
                             f"sku=DE-{rng.randint(100000, 999999)}, skipping related items")))
            if failed:
                d = 3000 + rng.uniform(5, 60)
                body.append((d / 1000 - 0.01, L.py_lambda(scn, t + d / 1000, "ERROR",
                             "OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')\n"
                             "Traceback (most recent call last):\n"
                             '  File "/var/task/handler.py", line 61, in lambda_handler\n'
                             "    rows = repo.search(query, filters, limit=20)\n"
                             '  File "/var/task/catalog/repo.py", line 118, in search\n'
                             "    cur.execute(SQL_SEARCH, params)\n"
                             '  File "/opt/python/pymysql/cursors.py", line 153, in execute\n'
                             "    result = self._query(query)\n"
                             '  File "/opt/python/pymysql/connections.py", line 757, in _read_bytes\n'
                             "    raise err.OperationalError(\n"
                             "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query "
                             "(timed out)')")))
            else:
                body.append((d / 1000 - 0.004, L.py_lambda(scn, t + d / 1000, "INFO",
                             f"search q='{q}' category={rng.randint(100, 999)} hits={rng.randint(0, 20)} "
                             f"db_ms={d * 0.82:.1f} total_ms={d:.1f}")))
            ev += L.lambda_invocation(scn, t, d, 1024, rng.randint(148, 171), body)
            rid = scn.hex(8) + "-" + scn.hex(4) + "-" + scn.hex(4) + "-" + scn.hex(4) + "-" + scn.hex(12)
            acc.append((t + d / 1000 + 0.02, L.apigw_access(scn, t, rid, f"84.{rng.randint(1, 250)}.{rng.randint(1, 250)}."
                        f"{rng.randint(1, 250)}", "GET", "/v1/search", 502 if failed else 200,
                        36 if failed else rng.randint(2000, 9000), int(d + 18), int(d + 4),
                        "Internal server error" if failed else "-")))
        if rng.random() < 0.4:
            t = m0 + rng.uniform(0, 60)
            rid = scn.uuid()
            acc.append((t, L.apigw_access(scn, t, rid, f"185.{rng.randint(1, 250)}.{rng.randint(1, 250)}.7", "GET",
                                          "/v1/search", 403, 42, 3, "-", "Forbidden")))
    scn.log("/aws/lambda/catalog-search", "2026/03/18/[$LATEST]f2b7c91d04e84a6e8c3a5d1e9b0f7264", ev)
    scn.log("API-Gateway-Access-Logs_k3v9qz1m7d/prod", "k3v9qz1m7d-prod", acc)
    slow, err = [], []
    for m0 in minutes(-7200):
        if not throttled(m0):
            if rng.random() < 0.03:
                slow.append(_slow(scn, m0 + rng.uniform(0, 60), rng.uniform(1.0, 1.4), "reporting", 250000, 1))
            continue
        for _ in range(int(4 + (sim[m0][1] - BASE) / 120)):
            slow.append(_slow(scn, m0 + rng.uniform(0, 60), rng.uniform(1.2, 5.5), "catalog_ro", 20, 20))
        for _ in range(rng.randint(1, 4)):
            t = m0 + rng.uniform(0, 60)
            cid = rng.randint(80000, 99999)
            err.append((t, L.mysql_err(scn, t, 0, "Note", "MY-010914", "Server",
                        f"Aborted connection {cid} to db: 'catalog' user: 'catalog_ro' host: '10.30.{rng.randint(4, 7)}."
                        f"{rng.randint(2, 250)}' (Got an error reading communication packets).")))
    t = -20000
    err.append((t, L.mysql_err(scn, t, 0, "Warning", "MY-010055", "Server",
                               "IP address '10.30.5.141' could not be resolved: Name or service not known")))
    scn.log("/aws/rds/instance/catalog-mysql/slowquery", "catalog-mysql", slow)
    scn.log("/aws/rds/instance/catalog-mysql/error", "catalog-mysql", err)
    ixl = []
    for m0 in minutes(-7200):
        t = m0 + rng.uniform(0, 20)
        d = rng.uniform(300, 700)
        body = [(d / 1000 - 0.01, L.py_lambda(scn, t + d / 1000, "INFO", f"indexed {rng.randint(3, 60)} product "
                 f"changes into catalog-search-v3 (bulk took {d * 0.8:.0f} ms, errors=false)"))]
        ixl += L.lambda_invocation(scn, t, d, 512, rng.randint(95, 110), body, version="41" if t > -3600 else "40")
    scn.log("/aws/lambda/catalog-indexer", "2026/03/18/[41]0c6e2a9f7d1b4c83a5e0f2d6b8c1a947", ixl)


def _slow(scn, t, qt, user, examined, sent):
    rng = scn.rng
    ts = scn.at(t)
    ip = f"10.30.{rng.randint(4, 7)}.{rng.randint(2, 250)}"
    if user == "reporting":
        sql = ("SELECT category_id, COUNT(*) FROM products WHERE status = 'active' GROUP BY category_id;")
    else:
        sql = (f"SELECT p.id, p.sku, p.title, p.price_minor FROM products p JOIN product_categories pc ON "
               f"pc.product_id = p.id WHERE pc.category_id = {rng.randint(100, 999)} AND p.status = 'active' "
               f"ORDER BY pc.position LIMIT 20;")
    text = (f"# Time: {L.iso(ts, 6)}\n# User@Host: {user}[{user}] @  [{ip}]  Id: {rng.randint(80000, 99999)}\n"
            f"# Query_time: {qt:.6f}  Lock_time: 0.000004 Rows_sent: {sent}  Rows_examined: {examined}\n"
            f"use catalog;\nSET timestamp={int(ts.timestamp())};\n{sql}")
    return (t + qt, text)
