"""h36-13 Sat 10:40 SGT, loyalty (snake_case): loyalty_public_api_prd 5XXError.

The weekly points settlement (SQS-driven Lambda, max concurrency 60, one MySQL connection per
execution) starts at 10:00 and, on top of the API's ~35 connections, fills the Aurora
db.t4g.medium's 90 connection slots; the API's new connections fail with error 1040.
"""
from __future__ import annotations

import json

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, apigw, ecs, rds
from .lam import Lambda, Outcome

API, FN, BATCH = "loyalty_public_api_prd", "loyalty_api_prd", "loyalty_points_weekly_settle"
DB, CLUSTER, ADMIN = "loyalty-aurora-prd-instance-1", "loyalty-aurora-prd", "loyalty/loyalty_admin_ui"
T0 = -2400
HOST = f"{CLUSTER}.cluster-c7x2k9q1w3ab.ap-southeast-1.rds.amazonaws.com"

META = {
    "region": "ap-southeast-1", "category": "db_connection_exhaustion", "front": "front (REST API)",
    "resources": [DB, CLUSTER],
    "decoys": "loyalty_admin_ui deploy 32 min before the onset; the settlement Lambda's own invocation "
              "burst (scheduled weekly, expected); Aurora CPU up but far from saturated",
    "story": (
        "The public loyalty REST API pages on 5XXError. Its backing Lambda loyalty_api_prd fails "
        "with `pymysql.err.OperationalError: (1040, 'Too many connections')` whenever an "
        "execution environment needs a new connection; warm ones keep working, so ~20-30 % of "
        "calls fail. On loyalty-aurora-prd-instance-1 (db.t4g.medium, max_connections 90) "
        "DatabaseConnections climb from ~40 to a flat 88-90 at 10:00, exactly when the weekly "
        "loyalty_points_weekly_settle run scales to its 60-execution cap, each holding its own "
        "connection; the batch itself also logs 1040s. CPU rises to ~55 % only, storage and "
        "latency are fine. The batch run is the weekly schedule, not a change; the only change "
        "nearby is an admin UI deploy half an hour before. Connections at the limit and 'too many "
        "connections' errors: db_connection_exhaustion on the Aurora instance."),
}

TB = ("Traceback (most recent call last):\n"
      '  File "/var/task/loyalty/db.py", line 22, in get_conn\n'
      "    _conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=_secret(), database=\"loyalty\", connect_timeout=3)\n"
      '  File "/var/lang/lib/python3.12/site-packages/pymysql/connections.py", line 361, in __init__\n'
      "    self.connect()\n"
      '  File "/var/lang/lib/python3.12/site-packages/pymysql/connections.py", line 669, in connect\n'
      "    self._get_server_information()\n"
      '  File "/var/lang/lib/python3.12/site-packages/pymysql/connections.py", line 1070, in _get_server_information\n'
      "    packet = self._read_packet()\n"
      '  File "/var/lang/lib/python3.12/site-packages/pymysql/err.py", line 150, in raise_mysql_exception\n'
      "    raise errorclass(errno, errval)\n"
      "pymysql.err.OperationalError: (1040, 'Too many connections')")


def build() -> Scenario:
    s = Scenario(13, "loyalty-api-5xx-aurora-connections", 3613, "ap-southeast-1",
                 "Paged 10:40 SGT by loyalty_public_api_prd-5xx; members cannot see their points "
                 "balance in the app.", "2026-03-14T02:40:00", 8)
    r = s.rng
    s.resource("apigateway", API, protocol="REST", stage="prod", integration=f"lambda:{FN}")
    s.resource("lambda", FN, runtime="python3.12", timeout=10, memory_size=512)
    s.resource("lambda", BATCH, runtime="python3.12", timeout=120, memory_size=1024,
               event_source="sqs:loyalty_settle_jobs_prd", esm_maximum_concurrency=60,
               log_format="JSON", application_log_level="WARN", system_log_level="WARN")
    s.resource("rds", DB, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
               instance_class="db.t4g.medium", cluster=CLUSTER, max_connections=90)
    s.resource("ecs", ADMIN, launch_type="FARGATE", desired_count=1, cpu=256, memory=512,
               task_definition="loyalty_admin_ui:31", log_group="/ecs/loyalty/loyalty_admin_ui")

    on = lambda t: smooth(t, T0, T0 + 150)
    conns = {}

    def conn(t):
        if t not in conns:
            conns[t] = min(r.uniform(87, 90), s.noise(34 + 6 * s.diurnal(t, 0.3, 13), 0.05) + on(t) * 60)
        return conns[t]
    rate = lambda t: 45 * s.diurnal(t, 0.3, 13, 5)

    def api_out(t):
        member = f"mbr_{s.hexid(10)}"
        if on(t) > 0.8 and r.random() < 0.26:
            return Outcome("error", r.uniform(40, 300), r.randint(70, 80),
                           [(0.001, "INFO", f"GET /v1/members/{member}/balance"),
                            (0.03, None, "[ERROR] OperationalError: (1040, 'Too many connections')\n" + TB)])
        return Outcome("ok", r.uniform(25, 90), r.randint(78, 92),
                       [(0.001, "INFO", f"GET /v1/members/{member}/balance"),
                        (0.02, "INFO", f"balance member={member} points={r.randint(0, 90000)} tier={r.choice(['silver', 'gold', 'plat'])}")])
    fn = Lambda(s, FN, "python3.12", 512, 10, log_start=-3900)
    pts = fn.run(rate, api_out)

    # batch: JSON logs at WARN; runs only since 10:00
    def settle(t):
        lines = []
        if on(t) > 0.9 and r.random() < 0.16:
            rec = {"timestamp": s.iso(t), "level": "ERROR", "message": "settlement batch failed, message returned to queue",
                   "logger": "loyalty.settle", "requestId": s.uuid(), "batch": f"wk11-{r.randint(1, 4800):05d}",
                   "errorType": "OperationalError", "errorMessage": "(1040, 'Too many connections')"}
            lines.append((0.2, None, json.dumps(rec, separators=(",", ":"))))
            return Outcome("error", r.uniform(200, 600), 120, lines)
        if r.random() < 0.03:
            rec = {"timestamp": s.iso(t), "level": "WARN", "message": "member has pending dispute; skipped",
                   "logger": "loyalty.settle", "member": f"mbr_{s.hexid(10)}"}
            lines.append((0.5, None, json.dumps(rec, separators=(",", ":"))))
        return Outcome("ok", r.uniform(17000, 23000), r.randint(180, 240), lines)
    bt = Lambda(s, BATCH, "python3.12", 1024, 120, log_start=-3900)

    def quiet_log(t, o, conc):          # system log level WARN: no START/END/REPORT lines
        stream, _ = bt._env(t, conc)
        for dt, _lvl, msg in o.lines:
            s.emit(bt.group, stream, t + dt, msg)
    bt._log = quiet_log
    bt.run(lambda t: 0 if t < T0 else 138 * on(t), settle)   # ESM caps it at ~60 concurrent
    s.add("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "loyalty_settle_jobs_prd"}, "Count",
          lambda t: 0 if t < T0 else 4800 - (t - T0) / 60 * 95 * r.uniform(0.95, 1.05), integer=True)

    ddims = {"DBInstanceIdentifier": DB}
    rds(s, DB, {"DatabaseConnections": conn,
                "CPUUtilization": lambda t: s.noise(21 + 34 * on(t), 0.07),
                "FreeableMemory": lambda t: s.noise(1.1 * GB - 0.25 * GB * on(t), 0.02),
                "ReadLatency": lambda t: s.noise(0.0009 + 0.0006 * on(t), 0.1),
                "WriteLatency": lambda t: s.noise(0.0014 + 0.0012 * on(t), 0.1),
                "ReadIOPS": lambda t: s.noise(120 + 300 * on(t), 0.1), "WriteIOPS": lambda t: s.noise(90 + 650 * on(t), 0.1)})
    g = f"/aws/rds/cluster/{CLUSTER}/error"
    for _ in range(40):
        t = T0 + r.uniform(30, abs(T0))
        s.emit(g, DB, t, L.mysql(s, t, r.randint(2000, 9000), "Note", "MY-010914",
               f"Aborted connection {r.randint(200000, 299999)} to db: 'loyalty' user: 'loyalty_batch' host: "
               f"'10.60.{r.randint(16, 31)}.{r.randint(2, 250)}' (Got an error reading communication packets)."))
    for _ in range(8):
        t = -10800 + r.uniform(0, 10800 + T0)
        s.emit(g, DB, t, L.mysql(s, t, r.randint(100, 2000), "Note", "MY-010914",
               f"Aborted connection {r.randint(100000, 199999)} to db: 'loyalty' user: 'loyalty_api' host: "
               f"'10.60.{r.randint(16, 31)}.{r.randint(2, 250)}' (Got timeout reading communication packets)."))

    inv, err, dur = (dict(map(tuple, pts[k])) for k in ("Invocations", "Errors", "Duration"))
    adims = {"ApiName": API}
    api = apigw(s, adims, {
        "Count": lambda t: inv.get(t, 0) + s.poisson(1.5),
        "5XXError": lambda t: err.get(t, 0),
        "4XXError": lambda t: s.poisson(1.5),
        "Latency": lambda t: s.noise(dur.get(t, 60) + 22, 0.05),
        "IntegrationLatency": lambda t: s.noise(dur.get(t, 60) + 9, 0.05),
    })

    adm = Fleet(s, "/ecs/loyalty/loyalty_admin_ui")
    adm.task("loyalty_admin_ui", end=-4250)
    m = adm.task("loyalty_admin_ui", start=-4300)
    adm.emit(m, -4290, "  ▲ Next.js 14.1.0\n  - Local:        http://localhost:3000\n\n ✓ Ready in 412ms")
    adm.spread(-7200, 0, lambda t: 0.8, lambda t, mm: adm.emit(mm, t, f'{s.iso(t)} GET /admin/members?page={r.randint(1, 40)} 200 {r.randint(40, 300)}ms'))
    ecs(s, "loyalty", "loyalty_admin_ui", {"CPUUtilization": lambda t: s.noise(3, 0.3), "MemoryUtilization": lambda t: s.noise(31, 0.05),
                                           "RunningTaskCount": lambda t: 1 + (1 if -4300 <= t < -4240 else 0)})
    s.change(-4320, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", ADMIN, "github-actions-loyalty")

    s.alarm(f"{API}-5xx", "AWS/ApiGateway", "5XXError", adims, api["5XXError"], "Sum", 60, 3, 5,
            "GreaterThanThreshold", "Loyalty public API 5xx", to_alarm=2)
    s.quiet_alarm(f"{DB}-connections-high", "AWS/RDS", "DatabaseConnections", ddims, "Maximum", 300, 1, 200,
                  "GreaterThanThreshold", state="OK", changed=-2000000)
    s.expect(f"{API}-5xx", "db_connection_exhaustion", META["resources"],
             [anomaly("AWS/RDS", "DatabaseConnections", ddims), anomaly("AWS/ApiGateway", "5XXError", adims)])
    s.meta = META
    return s
