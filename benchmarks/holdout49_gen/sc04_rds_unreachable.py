"""h49-04: the single-AZ MySQL instance catalog-db becomes unreachable (an AWS-side host
problem: nothing in CloudTrail); its metrics simply stop, then come back with zero
connections while InnoDB recovers. catalog-sync can't connect (timed out, later
refused). The DB error log was never exported. price-feed-import has been failing
and alarming for hours for its own reasons."""
from __future__ import annotations

from .common import Clock, Rng, alarm, change, expect, log_stream, metric, pts, ramp, scenario
from .lambda_sim import Inv, lambda_logs, lambda_metrics, py_line, simulate

NOW = "2026-03-14T11:05:00"
REGION = "eu-central-1"
DB = "catalog-db"
HOST = "catalog-db.cq8zbm1xk2ab.eu-central-1.rds.amazonaws.com"
FN = "catalog-sync"
DOWN = -1020      # host unreachable from here
REFUSED = -420    # instance back, mysqld still in crash recovery: port closed
METRICS_BACK = -240
LOG_FROM = -7200

TB_TAIL = "\n".join([
    "Traceback (most recent call last):",
    '  File "/var/task/app.py", line 48, in handler',
    "    with db.connect() as conn:",
    '  File "/var/task/catalog/db.py", line 21, in connect',
    '    return pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database="catalog", connect_timeout=10)',
    '  File "/var/task/pymysql/connections.py", line 361, in __init__',
    "    self.connect()",
    '  File "/var/task/pymysql/connections.py", line 716, in connect',
    "    raise exc",
])


def build():
    rng = Rng(4904)
    clock = Clock(NOW)

    def sync(t, rid):
        batch = rng.hx(8)
        n = rng.randint(5, 25)
        lines = [(0.002, py_line(clock, t + 0.002, rid, "INFO", "Received %d product updates (batch %s)" % (n, batch)))]
        if t < DOWN:
            dur = max(120.0, rng.gauss(24 * n + 180, 60))
            if rng.random() < 0.02:
                lines.append((0.3, py_line(clock, t + 0.3, rid, "WARNING",
                                           "SKU %s has no EAN, indexed without barcode" % rng.randint(100000, 999999))))
            lines.append((dur / 1000 - 0.004, py_line(clock, t + dur / 1000 - 0.004, rid, "INFO",
                                                      "Upserted %d products into catalog in %d ms" % (n, int(dur - 90)))))
            return Inv(t, rid, dur, "ok", lines, rng.randint(96, 112))
        if t < REFUSED:
            dur = rng.uniform(10005, 10030)
            why = "timed out"
        else:
            dur = rng.uniform(14, 40)
            why = "[Errno 111] Connection refused"
        msg = "(2003, \"Can't connect to MySQL server on '%s' (%s)\")" % (HOST, why)
        lines.append((dur / 1000 - 0.003, "[ERROR] OperationalError: %s\n%s\npymysql.err.OperationalError: %s"
                      % (msg, TB_TAIL, msg)))
        return Inv(t, rid, dur, "error", lines, rng.randint(95, 104))

    invs = simulate(rng, clock, lambda t: 9.0 if t < DOWN else 11.5, sync, init_ms=(480.0, 900.0))
    lm = lambda_metrics(FN, invs)

    def price(t, rid):
        lines = [(0.002, py_line(clock, t + 0.002, rid, "INFO", "Fetching supplier feed s3://acme-supplier-feeds/%s/latest.csv"
                                 % rng.choice(["brightline", "nordwerk", "kasai"])))]
        if rng.random() < 0.5:  # chronic bad rows, same rate all day
            col = rng.choice(["N/A", "", "TBD"])
            lines.append((0.8, "[ERROR] ValueError: could not convert string to float: '%s'\nTraceback (most recent call last):\n"
                               '  File "/var/task/feed.py", line 77, in handler\n    price = float(row["net_price"])\n'
                               "ValueError: could not convert string to float: '%s'" % (col, col)))
            return Inv(t, rid, rng.uniform(700, 900), "error", lines, rng.randint(140, 160))
        lines.append((1.1, py_line(clock, t + 1.1, rid, "INFO", "Imported %d price rows" % rng.randint(800, 4000))))
        return Inv(t, rid, rng.uniform(1200, 2400), "ok", lines, rng.randint(150, 190))

    p_invs = simulate(rng, clock, lambda t: 6.0, price, init_ms=(500.0, 800.0))
    pm = lambda_metrics("price-feed-import", p_invs)

    ix = {"FunctionName": "catalog-search-indexer"}
    m_ix = [metric("AWS/Lambda", "Invocations", ix, "Count", pts(lambda t: rng.pois(6), integer=True)),
            metric("AWS/Lambda", "Errors", ix, "Count", pts(lambda t: 0.0)),
            metric("AWS/Lambda", "Duration", ix, "Milliseconds",
                   pts(lambda t: rng.noise(930, 80) if t < -2400 else rng.noise(520, 50)))]

    gap = ((DOWN, METRICS_BACK),)
    d = {"DBInstanceIdentifier": DB}
    back = lambda t: t >= METRICS_BACK
    m_cpu = metric("AWS/RDS", "CPUUtilization", d, "Percent",
                   pts(lambda t: rng.noise(46, 6) if back(t) else rng.noise(17, 2.5), gaps=gap))
    m_conn = metric("AWS/RDS", "DatabaseConnections", d, "Count",
                    pts(lambda t: 0 if back(t) else rng.noise(23, 2.5), integer=True, gaps=gap))
    m_mem = metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                   pts(lambda t: rng.noise(14.1e9, 1e8) if back(t) else rng.noise(9.2e9, 6e7), nd=0, gaps=gap))
    m_rl = metric("AWS/RDS", "ReadLatency", d, "Seconds",
                  pts(lambda t: rng.noise(0.0006, 0.0001), nd=5, gaps=gap, lo=0.0001))
    m_wl = metric("AWS/RDS", "WriteLatency", d, "Seconds",
                  pts(lambda t: rng.noise(0.0011, 0.0002), nd=5, gaps=gap, lo=0.0002))
    m_fs = metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                  pts(lambda t: ramp(t, -21600, 0, 381.4e9, 381.1e9) + rng.noise(0, 5e7), nd=0, gaps=gap))

    logs = []
    for stream, ev in lambda_logs(clock, invs, LOG_FROM, 512).items():
        logs.append(log_stream("/aws/lambda/" + FN, stream, ev))
    for stream, ev in lambda_logs(clock, p_invs, -3600, 256).items():
        logs.append(log_stream("/aws/lambda/price-feed-import", stream, ev))

    metrics = list(lm.values()) + [m_cpu, m_conn, m_mem, m_rl, m_wl, m_fs] + list(pm.values()) + m_ix
    alarms = [
        alarm("catalog-sync-errors", lm["Errors"], "Sum", 60, 3, 3.0, "GreaterThanThreshold", clock, "ALARM",
              "catalog-sync failing to apply product updates"),
        alarm("price-feed-import-errors", pm["Errors"], "Sum", 300, 1, 4.0, "GreaterThanThreshold", clock, "ALARM",
              "supplier price feed import errors"),
        alarm("catalog-db-cpu-high", m_cpu, "Average", 300, 2, 80.0, "GreaterThanThreshold", clock, "OK"),
        alarm("catalog-db-free-storage-low", m_fs, "Minimum", 300, 1, 50e9, "LessThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-15800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "price-feed-import", "jenkins"),
        change(-2400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "catalog-search-indexer", "a.becker"),
    ]
    resources = [
        {"type": "rds", "id": DB, "properties": {
            "engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.large", "multi_az": False,
            "max_connections": 1000, "allocated_storage_gb": 500, "endpoint": HOST,
            "enhanced_monitoring": "disabled", "exported_logs": []}},
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "python3.12", "timeout": 60, "memory_size": 512, "event_source": "sqs:catalog-updates"}},
        {"type": "lambda", "id": "price-feed-import", "properties": {
            "runtime": "python3.12", "timeout": 120, "memory_size": 256}},
        {"type": "lambda", "id": "catalog-search-indexer", "properties": {
            "runtime": "python3.12", "timeout": 60, "memory_size": 1024}},
    ]
    data = scenario("h49-04-rds-mysql-unreachable",
                    "catalog-sync Errors alarm; product updates are not reaching the catalog.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("catalog-sync-errors", "dependency_failure", [DB], [lm["Errors"], m_conn]))
    meta = {
        "slug": "rds-mysql-unreachable", "region": REGION, "alarm": "catalog-sync-errors",
        "category": "dependency_failure", "resources": [DB], "alarm_on": "front (Lambda)",
        "decoys": "price-feed-import chronic ValueErrors with its own ALARM for hours; catalog-search-indexer "
                  "memory change 40 min earlier; price-feed-import deploy 4 h earlier",
        "paragraph": (
            "17 minutes ago every catalog-sync invocation started failing with pymysql "
            "`(2003, \"Can't connect to MySQL server on 'catalog-db...' (timed out)\")` after its 10 s connect "
            "timeout, and for the last 7 minutes with `[Errno 111] Connection refused`. catalog-db's own "
            "metrics stop at the same minute (a gap: the instance was not reporting), then return with 0 "
            "connections and elevated CPU: a single-AZ instance that went away and is recovering. Before, it "
            "ran 23 of 1000 connections at 17 % CPU with plenty of storage and memory: not exhausted. There is "
            "no CloudTrail event on the DB (AWS-side), its error log is not exported and Enhanced Monitoring "
            "is off, so the only DB-side evidence is the gap. price-feed-import's alarm and ValueErrors are "
            "chronic (same rate for hours) and the indexer's memory change touches another function. "
            "Connection timeouts/refusals from a downstream database that is not exhausted: "
            "dependency_failure with origin catalog-db; the alarm is on the Lambda in front."),
    }
    return data, meta
