"""h36-16 Sun 17:20 PDT, warehouse (snake_case, _prd): wms_pick_allocator_prd errors.

A DBA sets idle_in_transaction_session_timeout=3000 (ms) in the parameter group of wms-pg-prd;
the allocator keeps a transaction open while it calls the label service for 1.5-6 s and the
server now kills those sessions.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ec2, rds
from .lam import Lambda, Outcome

DB, PG = "wms-pg-prd", "wms-pg15-prd"
FN, LABEL = "wms_pick_allocator_prd", "wms_label_sync_prd"
LB = "app/wms-api-prd/1f3a5c7e9b2d4f60"
IIDS = ["i-0a2b4c6d8e0f1a3b5", "i-0b3c5d7e9f1a2b4c6"]
T_PG, T_LABEL = -2700, -3300

META = {
    "region": "us-west-1", "category": "config_change", "front": "front (calling Lambda)",
    "resources": [DB, PG],
    "decoys": "wms_label_sync_prd deploy 10 min before the parameter change (healthy); the "
              "Django API's steady 404 WARNs; the label service's latency, which is normal",
    "story": (
        "wms_pick_allocator_prd pages on Errors. Its failures are `psycopg2.OperationalError: "
        "terminating connection due to idle-in-transaction timeout` raised at COMMIT after the "
        "label-service call, which has always run inside the transaction and takes 1.5-6 s. "
        "CloudTrail shows ModifyDBParameterGroup on wms-pg15-prd (the parameter group of "
        "wms-pg-prd) one minute before the first failure, and the PostgreSQL log records "
        "`parameter \"idle_in_transaction_session_timeout\" changed to \"3000\"` on reload, "
        "followed by a stream of `FATAL: terminating connection due to idle-in-transaction "
        "timeout` for the allocator's sessions. The database is otherwise healthy (CPU, "
        "connections, storage normal) and the code did not change; the nearby deploy is a "
        "different Lambda. A settings change shortly before onset and errors naming it: "
        "config_change on wms-pg-prd (its parameter group)."),
}

TB = ("[ERROR] OperationalError: terminating connection due to idle-in-transaction timeout\n"
      "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n"
      "\tbefore or while processing the request.\n\n"
      "Traceback (most recent call last):\n"
      '  File "/var/task/allocator/handler.py", line 44, in handler\n'
      "    allocate(conn, json.loads(record[\"body\"]))\n"
      '  File "/var/task/allocator/allocate.py", line 131, in allocate\n'
      "    conn.commit()\n")


def build() -> Scenario:
    s = Scenario(16, "wms-allocator-idle-tx-timeout", 3616, "us-west-1",
                 "Paged 17:20 PDT by wms_pick_allocator_prd-errors; the evening shift's pick lists "
                 "are not being generated.", "2026-03-16T00:20:00", -7)
    r = s.rng
    s.resource("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
               parameter_group=PG, max_connections=800, allocated_storage_gb=250)
    s.resource("lambda", FN, runtime="python3.12", timeout=30, memory_size=512,
               event_source="sqs:wms_pick_requests_prd")
    s.resource("lambda", LABEL, runtime="python3.12", timeout=60, memory_size=256,
               schedule="rate(2 minutes)")
    s.resource("alb", LB, name="wms-api-prd", scheme="internal")
    for iid in IIDS:
        s.resource("ec2", iid, name="wms_api_prd", instance_type="m6i.large", autoscaling_group="wms_api_prd",
                   log_groups=["/wms/prd/django"])

    rate = lambda t: 17 * s.diurnal(t, 0.4, 16, 5) * (1 + 0.4 * smooth(t, T_PG + 200, T_PG + 900))

    def alloc(t):
        order = f"SO-{r.randint(10 ** 6, 10 ** 7)}"
        lines = r.randint(1, 25)
        label_ms = r.uniform(1500, 6000)
        dur = label_ms + r.uniform(150, 500)
        out = [(0.002, "INFO", f"allocating picks for {order} lines={lines} wave=W{r.randint(100, 999)}"),
               (0.08, "INFO", f"reserved {lines} bin locations for {order}; requesting carrier label"),
               ((label_ms + 90) / 1000, "INFO", f"label service returned 201 for {order} in {int(label_ms)} ms")]
        if t >= T_PG + 12 and label_ms > 3000:
            return Outcome("error", dur, r.randint(96, 110), out + [(dur / 1000 - 0.002, None, TB.rstrip("\n"))])
        return Outcome("ok", dur, r.randint(96, 110), out + [(dur / 1000 - 0.005, "INFO", f"committed allocation for {order}")])
    pts = Lambda(s, FN, "python3.12", 512, 30, log_start=-5400).run(rate, alloc)

    def label(t):
        v = "2.3.0" if t >= T_LABEL else "2.2.4"
        return Outcome("ok", r.uniform(600, 2200), r.randint(80, 95),
                       [(0.01, "INFO", f"label-sync {v}: pushed {r.randint(0, 60)} label statuses to carrier portal")])
    Lambda(s, LABEL, "python3.12", 256, 60, log_start=-6000,
           versions=[(-10 ** 9, "a", "$LATEST"), (T_LABEL + 5, "b", "$LATEST")]).run(
        lambda t: 1.0 if (t // 60) % 2 == 0 else 0.0, label, exact=True)

    f = lambda t: smooth(t, T_PG, T_PG + 60)
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(17 * s.diurnal(t, 0.4, 16, 5) + 6, 0.08),
                "DatabaseConnections": lambda t: s.noise(58 + 6 * f(t), 0.05),
                "FreeStorageSpace": lambda t: 171 * GB + r.uniform(-3e7, 3e7),
                "FreeableMemory": lambda t: s.noise(3.9 * GB, 0.01),
                "ReadLatency": lambda t: s.noise(0.0008, 0.1), "WriteLatency": lambda t: s.noise(0.0013, 0.1),
                "WriteIOPS": lambda t: s.noise(240 - 80 * f(t), 0.1)})
    g, st = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    s.emit(g, st, T_PG + 9, L.pg(s, T_PG + 9, "received SIGHUP, reloading configuration files", pid=377))
    s.emit(g, st, T_PG + 9.01, L.pg(s, T_PG + 9, 'parameter "idle_in_transaction_session_timeout" changed to "3000"', pid=377))
    for t in range(-10800, 0, 300):
        s.emit(g, st, t + 0.3, L.pg(s, t, "checkpoint starting: time", pid=412))
        if t + 150 < 0:
            s.emit(g, st, t + 150, L.pg_checkpoint(s, t + 150, r.randint(300, 1800), r.uniform(140, 149), 0.008))
    err = dict(map(tuple, pts["Errors"]))
    for m0, v in err.items():
        for _ in range(int(v)):
            t = m0 + r.random() * 60
            s.emit(g, st, t, L.pg(s, t, "terminating connection due to idle-in-transaction timeout", level="FATAL",
                                  client=f"10.80.{r.randint(20, 23)}.{r.randint(2, 250)}({r.randint(30000, 60000)})",
                                  user="wms_allocator", db="wms"))

    # Django API on EC2, healthy; steady 404 warnings
    dj = Fleet(s, "/wms/prd/django")
    for iid in IIDS:
        dj.host(iid)
    dj.spread(-7200, 0, lambda t: 6, lambda t, m: dj.emit(m, t, (
        f'10.80.{r.randint(1, 3)}.{r.randint(2, 250)} - - [{s.wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
        f'"GET /api/v1/{r.choice(["bins", "waves", "orders"])}/{r.randint(1000, 99999)}/ HTTP/1.1" 200 '
        f'{r.randint(300, 9000)} "-" "{r.choice(["okhttp/4.12.0", "python-requests/2.31.0"])}"')), warm=0, drain=0)
    dj.spread(-7200, 0, lambda t: 2, lambda t, m: dj.emit(m, t, L.pylog(
        s, t, "WARNING", "django.request", f"Not Found: /api/v1/bins/{r.randint(1000, 99999)}/")), warm=0, drain=0)
    alb(s, LB, {"RequestCount": lambda t: s.noise(980 * s.diurnal(t, 0.4, 16, 5), 0.05),
                "TargetResponseTime": lambda t: s.noise(0.06, 0.1),
                "HTTPCode_Target_5XX_Count": lambda t: r.choice([0, 0, 0, 1]),
                "HTTPCode_Target_4XX_Count": lambda t: s.noise(9, 0.3),
                "HealthyHostCount": lambda t: 2, "UnHealthyHostCount": lambda t: 0})
    for iid in IIDS:
        ec2(s, iid, {"CPUUtilization": lambda t: s.noise(14 * s.diurnal(t, 0.4, 16, 5) + 5, 0.1),
                     "NetworkIn": lambda t: s.noise(1.6e6, 0.15), "StatusCheckFailed": lambda t: 0,
                     "mem_used_percent": lambda t: s.noise(49, 0.02), "disk_used_percent": lambda t: s.noise(33.0, 0.003)})

    s.change(T_LABEL, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", LABEL,
             "github-actions-wms")
    s.change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG,
             "AWSReservedSSO_DBAdmin_7c1d2e/m.okafor")
    s.change(-18400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "aws-backup-wms")

    dims = {"FunctionName": FN}
    s.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", dims, pts["Errors"], "Sum", 60, 3, 5,
            "GreaterThanThreshold", "Pick allocator failures")
    s.expect(f"{FN}-errors", "config_change", META["resources"],
             [anomaly("AWS/Lambda", "Errors", dims)])
    s.meta = META
    return s
