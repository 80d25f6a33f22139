"""h49-15: someone lowers max_connections to 150 in shop-mysql's parameter group (a
dynamic parameter, applied at once). Connections drain down to the new ceiling and stay
pinned there; new connections from orders-handler get 'Too many connections'. The app
logs JSON without a level field, stamped in Japan time; Performance Insights is off
(DBLoad alarm INSUFFICIENT_DATA) and the old connection alarm's threshold (800) never
trips."""
from __future__ import annotations

import json

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario
from .lambda_sim import Inv, lambda_logs, lambda_metrics, simulate

NOW = "2026-03-14T06:30:00"
REGION = "ap-northeast-1"
TZ = 9
DB = "shop-mysql"
PG = "shop-mysql80-prod"
FN = "orders-handler"
CHANGE = -1500
LIMIT = 150
LOG_FROM = -3600

TRACE = "\n".join([
    "Traceback (most recent call last):",
    '  File "/var/task/handler.py", line 33, in handler',
    "    conn = get_conn()",
    '  File "/var/task/shop/db.py", line 18, in get_conn',
    "    _conn = pymysql.connect(**_params())",
    '  File "/var/task/pymysql/connections.py", line 361, in __init__',
    "    self.connect()",
    '  File "/var/task/pymysql/connections.py", line 669, in connect',
    "    self._get_server_information()",
    '  File "/var/task/pymysql/connections.py", line 1077, in _get_server_information',
    "    packet = self._read_packet()",
    '  File "/var/task/pymysql/connections.py", line 775, in _read_packet',
    "    packet.raise_for_error()",
    '  File "/var/task/pymysql/protocol.py", line 219, in raise_for_error',
    "    err.raise_mysql_exception(self._data)",
    '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception',
    "    raise errorclass(errno, errval)",
])


def build():
    rng = Rng(4915)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"), ensure_ascii=False)
    before = lambda t: 205 * diurnal(t, 0.12, 30000)
    conns = {t: (rng.noise(before(t), 5) if t < CHANGE
                 else max(LIMIT - rng.randint(0, 2) + 1, before(t) - (t - CHANGE) / 60 * 9 + rng.noise(0, 2)))
             for t in range(-21600, 0, 60)}
    pinned = min(t for t in conns if t >= CHANGE and conns[t] <= LIMIT + 1)
    fail_p = lambda t: 0.24 if t >= pinned else 0.0

    def order(t, rid):
        o = "O%s" % rng.randint(10**9, 10**10 - 1)
        if rng.random() < fail_p(t):
            dur = rng.uniform(9, 25)
            return Inv(t, rid, dur, "error", [(dur / 1000 - 0.002, "[ERROR] OperationalError: (1040, 'Too many connections')\n%s\n"
                                               "pymysql.err.OperationalError: (1040, 'Too many connections')" % TRACE)],
                       rng.randint(86, 95))
        dur = max(40.0, rng.gauss(140, 35))
        lines = [(dur / 1000 - 0.004, J({"asctime": clock.iso_off(t + dur / 1000, TZ), "message": "order placed",
                                         "order_id": o, "items": rng.randint(1, 6), "total_jpy": rng.randint(8, 400) * 100,
                                         "request_id": rid}))]
        if rng.random() < 0.02:
            lines.insert(0, (0.01, J({"asctime": clock.iso_off(t + 0.01, TZ), "message": "cart total mismatch, recalculated",
                                      "cart": "c%s" % rng.hx(8), "delta_jpy": rng.randint(1, 50) * 10})))
        return Inv(t, rid, dur, "ok", lines, rng.randint(88, 99))

    invs = simulate(rng, clock, lambda t: 72 * diurnal(t, 0.12, 30000), order, init_ms=(320.0, 610.0))
    lm = lambda_metrics(FN, invs)
    logs = [log_stream("/aws/lambda/" + FN, s, ev) for s, ev in lambda_logs(clock, invs, LOG_FROM, 512).items()]

    d = {"DBInstanceIdentifier": DB}
    m_conn = metric("AWS/RDS", "DatabaseConnections", d, "Count", pts(lambda t: conns[t], integer=True))
    m_cpu = metric("AWS/RDS", "CPUUtilization", d, "Percent",
                   pts(lambda t: rng.noise(34 if t < CHANGE else 29, 2.2) * diurnal(t, 0.12, 30000)))
    m_mem = metric("AWS/RDS", "FreeableMemory", d, "Bytes", pts(lambda t: rng.noise(1.19e10, 5e7), nd=0))
    m_rl = metric("AWS/RDS", "ReadLatency", d, "Seconds", pts(lambda t: rng.noise(0.0007, 0.00012), nd=5, lo=0.0002))
    m_wl = metric("AWS/RDS", "WriteLatency", d, "Seconds", pts(lambda t: rng.noise(0.0013, 0.0002), nd=5, lo=0.0003))
    m_fs = metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", pts(lambda t: rng.noise(131.8e9, 4e7), nd=0))
    inv_f = {"FunctionName": "inventory-sync"}
    m_inv = [metric("AWS/Lambda", "Invocations", inv_f, "Count", pts(lambda t: rng.pois(21), integer=True)),
             metric("AWS/Lambda", "Errors", inv_f, "Count",
                    pts(lambda t: rng.pois(2.2 if t >= pinned else 0.02), integer=True)),
             metric("AWS/Lambda", "Duration", inv_f, "Milliseconds", pts(lambda t: rng.noise(820 if t >= -6000 else 910, 60)))]
    # API Gateway in front of orders-handler
    per = {}
    for i in invs:
        m = int(i.t // 60) * 60
        c = per.setdefault(m, [0, 0])
        c[0] += 1
        c[1] += i.status != "ok"
    api = {"ApiName": "shop-api"}
    m_cnt = metric("AWS/ApiGateway", "Count", api, "Count", pts(lambda t: per.get(t, [0, 0])[0] + rng.pois(3), integer=True))
    m_5 = metric("AWS/ApiGateway", "5XXError", api, "Count", pts(lambda t: per.get(t, [0, 0])[1], integer=True))
    m_4 = metric("AWS/ApiGateway", "4XXError", api, "Count", pts(lambda t: rng.pois(3), integer=True))

    err = []
    t = -7200
    while t < 0:  # MySQL error log (UTC): ordinary noise only; 'Too many connections' is never logged here
        t += rng.expovariate(1 / 45.0)
        cid = rng.randint(880000, 990000)
        err.append([t, "%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: 'shop' user: '%s' host: '10.0.%d.%d' "
                       "(Got timeout reading communication packets)."
                    % (clock.fmt(t, "%Y-%m-%dT%H:%M:%S.%f") + "Z", cid, cid, rng.choice(["orders", "inventory", "admin"]),
                       rng.randint(1, 6), rng.randint(10, 250))])
    for t in range(-7200 + 300, 0, 1800):
        err.append([t, "%sZ 0 [Warning] [MY-010055] [Server] IP address '10.0.5.77' could not be resolved: Name or service not known"
                    % clock.fmt(t, "%Y-%m-%dT%H:%M:%S.%f")])
    logs.append(log_stream("/aws/rds/instance/%s/error" % DB, DB, err))

    metrics = list(lm.values()) + [m_conn, m_cpu, m_mem, m_rl, m_wl, m_fs, m_cnt, m_5, m_4] + m_inv
    alarms = [
        alarm("orders-handler-errors", lm["Errors"], "Sum", 60, 3, 8.0, "GreaterThanThreshold", clock, "ALARM",
              "orders-handler Lambda errors"),
        alarm("shop-api-5xx", m_5, "Sum", 300, 1, 25.0, "GreaterThanThreshold", clock, "ALARM"),
        alarm("shop-mysql-dbload", None, "Average", 60, 5, 8.0, "GreaterThanThreshold", clock, "INSUFFICIENT_DATA",
              "DB load (Performance Insights)", namespace="AWS/RDS", metric_name="DBLoad", dims=d,
              insufficient_since=-15552000),
        alarm("shop-mysql-connections-high", m_conn, "Maximum", 300, 2, 800.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-6000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "inventory-sync", "codebuild-shop"),
        change(-11000, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", DB, "finops-tagger"),
        change(CHANGE, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG, "k.tanaka"),
    ]
    resources = [
        {"type": "rds", "id": DB, "properties": {
            "engine": "mysql", "engine_version": "8.0.35", "instance_class": "db.r6g.xlarge",
            "max_connections": LIMIT, "parameter_group": PG, "allocated_storage_gb": 200,
            "performance_insights": "disabled", "exported_logs": ["error"]}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512}},
        {"type": "lambda", "id": "inventory-sync", "properties": {"runtime": "python3.12", "timeout": 60,
                                                                  "memory_size": 512}},
        {"type": "apigateway", "id": "shop-api", "properties": {"stage": "prod", "integrations": {"POST /orders": FN}}},
    ]
    data = scenario("h49-15-mysql-max-connections-lowered",
                    "orders-handler Errors alarm and shop-api 5XX; some checkouts fail.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("orders-handler-errors", "config_change", [DB, PG], [lm["Errors"], m_conn]))
    meta = {
        "slug": "mysql-max-connections-lowered", "region": REGION, "alarm": "orders-handler-errors",
        "category": "config_change", "resources": [DB, PG], "alarm_on": "front (Lambda)",
        "decoys": "inventory-sync deploy 1.7 h earlier; tags added to the DB; steady 'Aborted connection' notes "
                  "and 'cart total mismatch' lines; DBLoad alarm INSUFFICIENT_DATA; connections alarm at 800 "
                  "stays OK",
        "paragraph": (
            "25 minutes ago k.tanaka modified `shop-mysql80-prod`, the parameter group of shop-mysql "
            "(ModifyDBParameterGroup); the instance now reports max_connections 150, while it normally "
            "carries 200-235 connections at this hour. max_connections is dynamic in MySQL, so existing "
            "sessions drain and DatabaseConnections settles exactly at the new ceiling (~150-151) and stays "
            "flat; from then on ~a quarter of orders-handler invocations fail with pymysql `(1040, 'Too "
            "many connections')` (its own log lines are JSON without a level, in Japan time), inventory-sync "
            "errors too, and shop-api returns 5XX. The MySQL error log shows only its usual noise and "
            "Performance Insights is off. The connections alarm (threshold 800) never fires because the "
            "metric is at the new, lower limit, not high. Exhaustion is the mechanism; the trigger is the "
            "configuration change just before onset, and the tie-break puts the more specific trigger "
            "first: config_change of shop-mysql (its parameter group); the alarm is on the Lambda in front."),
    }
    return data, meta
