"""h18-01: card payments API -> charge Lambda -> PostgreSQL connection slots run out at the lunch peak."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn, idx
from .logfmt import LambdaLog, TaskLog, pg, pg_background, poisson_times, py_frames
from . import svc

DB_HOST = "payments-db.c1x9ez4kq2lm.eu-west-1.rds.amazonaws.com"
DB_IP = "10.20.41.17"


def _rolling_max(a: np.ndarray, w: int) -> np.ndarray:
    return np.array([a[max(0, i - w + 1):i + 1].max() for i in range(len(a))])


def build():
    s = Scn("h18-01-payments-connection-slots", 1801, "eu-west-1", "2026-03-10T12:48:00", 0.0)
    s.res("apigateway", "payments-api", api_id="k3v9qz1m7a", stage="prod", endpoint_type="REGIONAL")
    s.res("lambda", "payments-charge", runtime="python3.12", timeout=15, memory_size=1024,
          log_format="JSON", application_log_level="WARN", system_log_level="WARN",
          environment={"DB_HOST": DB_HOST, "DB_NAME": "payments", "DB_USER": "payments_app",
                       "ACQUIRER_URL": "https://api.paylink-acquiring.com/v3", "POWERTOOLS_SERVICE_NAME": "charge"})
    s.res("lambda", "payments-refund", runtime="python3.12", timeout=30, memory_size=512,
          environment={"DB_HOST": DB_HOST, "DB_NAME": "payments", "DB_USER": "payments_app"})
    s.res("lambda", "receipt-mailer", runtime="python3.12", timeout=60, memory_size=256,
          environment={"SES_CONFIGURATION_SET": "receipts", "FROM_ADDRESS": "receipts@northpay.io"})
    s.res("rds", "payments-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
          max_connections=200, allocated_storage_gb=200, multi_az=True, endpoint=DB_HOST)
    s.res("ecs", "finance/ledger-sync", desired_count=2, launch_type="FARGATE", awslogs_groups=["/ecs/ledger-sync"])

    # traffic: late-morning ramp towards the 13:00 lunch peak
    shape = s.diurnal(peak=13.2, depth=0.7) * (1 + 0.2 * s.ramp(-4200, -1500))   # lunch rush on top
    wobble = 1 + s.ar(0.03)
    dur = s.gauge(2150 + 250 * shape, 60, lo=900)

    def expected_demand(amp):
        m = amp * shape * wobble * 0.93 / 60 * dur / 1000
        return 52 + 1.04 * _rolling_max(m + 1.6 * np.sqrt(m) + 1, 12) + 3

    lo_a, hi_a = 1000.0, 9000.0                    # amplitude whose expected demand meets the limit at ~-2100 s
    for _ in range(40):
        mid = (lo_a + hi_a) / 2
        if expected_demand(mid)[idx(-2100)] > 197:
            hi_a = mid
        else:
            lo_a = mid
    count = s.pois(lo_a * shape * wobble)
    inv = s.pois(count * 0.93)
    mean_conc = inv / 60 * dur / 1000
    conc = np.ceil(mean_conc + 1.6 * np.sqrt(mean_conc) + s.rng.uniform(0, 2, N))
    warm = _rolling_max(conc, 12) * 1.04 + 3                   # every warm environment keeps one connection
    refund_conns = np.round(s.gauge(np.full(N, 7.0), 1.2, lo=4))
    demand = 40 + 2 + refund_conns + warm                        # ledger-sync pools + rdsadmin
    cap = 200 - s.rng.integers(0, 3, N)
    demand = demand + np.round(s.ar(1.5))
    full = demand >= cap
    first = int(np.argmax(full))
    onset = float(T[first])
    assert full.any() and -2700 < onset < -1500, onset
    full = T >= onset                                            # idle connections are never handed back
    conns = np.where(full, cap, np.minimum(demand, cap - 1))
    over = np.clip(demand - cap, 0, None)
    frac = np.where(T >= onset, np.clip(0.025 + over / np.maximum(warm, 1) * 0.5, 0.02, 0.12), 0.0)
    base_err = s.pois(np.full(N, 0.45))                           # long-standing acquirer read timeouts
    slot_err = s.pois(inv * frac)
    err = base_err + slot_err
    d2 = dur.copy()
    d2[T >= onset] = dur[T >= onset] * (1 - frac[T >= onset]) + 40 * frac[T >= onset]
    lam = svc.lam(s, "payments-charge", inv, err, d2, conc=np.where(full, np.minimum(conc, warm), conc))
    e5 = err + s.pois(np.full(N, 0.2))
    lat = s.gauge(d2 + 35, 40, lo=50)
    svc.apigw(s, "payments-api", count, e4=s.pois(count * 0.011), e5=e5, lat=lat)

    ref_inv = s.pois(np.full(N, 3.2) * shape)
    ref_err_n = np.where(T >= onset + 60, s.rng.binomial(ref_inv.astype(int), 0.3), 0).astype(float)
    ref_dur = s.gauge(np.full(N, 380.0), 30, lo=120)
    svc.lam(s, "payments-refund", ref_inv, ref_err_n, ref_dur)
    deploy = onset - 480
    rm_inv = s.pois(np.full(N, 2.4) * shape)
    rm_dur = s.gauge(np.where(T >= deploy, 640.0, 610.0), 40, lo=200)
    svc.lam(s, "receipt-mailer", rm_inv, np.zeros(N), rm_dur)

    load = inv / inv.max()
    svc.rds(s, "payments-db", s.gauge(14 + 30 * load, 2.2, lo=3), conns, s.gauge(np.full(N, 121.4), 0.05), 7.5,
            load=load)
    svc.ecs(s, "finance", "ledger-sync", s.gauge(np.full(N, 22.0), 2.5, lo=2), s.gauge(np.full(N, 41.0), 0.6))

    # ---- logs ------------------------------------------------------------------------
    ll = LambdaLog(s, "payments-charge", "python3.12", 1024, fmt="json", logger="charge")
    frames_db = py_frames([("/var/task/charge/handler.py", 48, "lambda_handler", "conn = db.connection()"),
                           ("/var/task/charge/db.py", 27, "connection", "_conn = psycopg2.connect(**_params())"),
                           ("/var/task/psycopg2/__init__.py", 122, "connect",
                            "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)")])
    frames_acq = py_frames([("/var/task/charge/handler.py", 71, "lambda_handler",
                             "auth = acquirer.authorize(intent, idempotency_key=key)"),
                            ("/var/task/charge/acquirer.py", 58, "authorize",
                             "resp = self._session.post(url, json=body, timeout=(3, 10))"),
                            ("/var/task/requests/adapters.py", 713, "send", "raise ReadTimeout(e, request=request)")])
    for i in np.nonzero(T >= -7200)[0]:
        for _ in range(int(base_err[i])):
            t = T[i] + s.rng.uniform(0, 60)
            rid = s.uuid()
            ll.record(t, ll.unhandled(t, rid, "ReadTimeout",
                                      "HTTPSConnectionPool(host='api.paylink-acquiring.com', port=443): "
                                      "Read timed out. (read timeout=10)", frames_acq), int(conc[i]))
        for _ in range(int(slot_err[i])):
            t = T[i] + s.rng.uniform(0, 60)
            rid = s.uuid()
            ll.record(t, ll.unhandled(
                t, rid, "OperationalError",
                f'connection to server at "{DB_HOST}" ({DB_IP}), port 5432 failed: FATAL:  remaining connection '
                "slots are reserved for non-replication superuser connections\n", frames_db), int(conc[i]))
    for t in poisson_times(s, 2.6 * shape, -7200):
        ll.record(t, ll.line(t, s.uuid(), "WARN",
                             f"Acquirer soft decline code={s.pick(['05', '51', '61', '65'])} for merchant "
                             f"m_{int(s.rng.integers(1000, 9999))}, returning 402"), 20)
    for t in poisson_times(s, 0.5, -7200):
        ll.record(t, ll.line(t, s.uuid(), "WARN", "3DS challenge not completed within 90s, intent "
                                                  f"pi_{s.hexs(14)} left in requires_action"), 20)
    ll.flush()

    rl = LambdaLog(s, "payments-refund", "python3.12", 512)
    def ref_ok(t, rid):
        return [(0.05, rl.line(t, rid, "INFO", f"Refund re_{s.hexs(12)} queued for charge ch_{s.hexs(12)} "
                                               f"amount={int(s.rng.integers(300, 25000))} EUR cents"))]

    def ref_err(t, rid, k):
        return ([(0.03, rl.unhandled(t, rid, "OperationalError",
                                     f'connection to server at "{DB_HOST}" ({DB_IP}), port 5432 failed: FATAL:  '
                                     "remaining connection slots are reserved for non-replication superuser "
                                     "connections\n", frames_db))], 45.0, None)
    rl.minutes(-7200, ref_inv, ref_err_n, ref_dur, ref_ok, ref_err)
    rl.flush()

    ml = LambdaLog(s, "receipt-mailer", "python3.12", 256)
    ml.minutes(-7200, rm_inv, np.zeros(N), rm_dur,
               lambda t, rid: [(0.3, ml.line(t, rid, "INFO", f"Sent receipt for ch_{s.hexs(12)} "
                                                             f"MessageId={s.hexs(16)}-{s.hexs(8)}"))],
               None, t_to=deploy)
    ml.set_version("$LATEST")
    ml.minutes(deploy, rm_inv, np.zeros(N), rm_dur,
               lambda t, rid: [(0.02, ml.line(t, rid, "INFO", "template receipt_v7 loaded from layer")),
                               (0.3, ml.line(t, rid, "INFO", f"Sent receipt for ch_{s.hexs(12)} "
                                                             f"MessageId={s.hexs(16)}-{s.hexs(8)}"))], None)
    ml.flush()

    db = pg_background(s, tables=("charges", "payment_intents", "ledger_entries"), dbname="payments")
    for t in poisson_times(s, 0.08):
        db.append((t, pg(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                         f"{s.ip('10.20')}({int(s.rng.integers(32768, 60999))})", "payments_app", "payments")))
    for i in np.nonzero(T >= onset)[0]:
        for _ in range(int(slot_err[i]) + int(ref_err_n[i])):
            t = T[i] + s.rng.uniform(0, 60)
            db.append((t, pg(s, t, "FATAL", "remaining connection slots are reserved for non-replication "
                             "superuser connections", f"{s.ip('10.20')}({int(s.rng.integers(32768, 60999))})",
                             "payments_app", "payments")))
    s.stream("/aws/rds/instance/payments-db/postgresql", "payments-db.0", db)

    tl = TaskLog(s, "/ecs/ledger-sync", "ledger-sync", "ledger-sync", 2)
    for t in np.arange(-21600, 0, 60.0):
        for task in tl.live(t):
            tt = t + float(s.rng.uniform(0, 50))
            tl.add(tt, json.dumps({"time": s.iso(tt), "level": "INFO", "msg": "ledger batch committed",
                                   "batch": int((tt + 30000) // 60), "rows": int(s.rng.integers(80, 900)),
                                   "duration_ms": int(s.rng.integers(40, 400)), "pool_in_use": 20}), task)
    tl.flush()

    # ---- changes ---------------------------------------------------------------------
    s.change(-17820, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "payments-charge", "gitlab-ci")
    s.change(-17790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "payments-charge", "gitlab-ci")
    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "receipt-mailer", "gitlab-ci")
    s.change(deploy + 25, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "receipt-mailer", "gitlab-ci")
    s.change(-9400, "monitoring.amazonaws.com", "PutMetricAlarm", "AWS::CloudWatch::Alarm",
             "payments-api-latency", "k.brennan")

    # ---- alarms ----------------------------------------------------------------------
    s.alarm("payments-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "payments-api"}, "Sum", 60, 3, 25,
            desc="Payments API returning 5xx to merchants", after=onset, before=onset + 900)
    s.alarm("payments-charge-errors", "AWS/Lambda", "Errors", {"FunctionName": "payments-charge"}, "Sum", 60, 3,
            20, desc="payments-charge unhandled errors", after=onset)
    s.alarm("payments-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "payments-api"}, "Average", 60, 5,
            5000, want="OK")
    s.alarm("payments-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "payments-db"},
            "Average", 300, 2, 80, want="OK")

    doc = s.doc("Merchants report intermittent 502s on card payments; the payments API 5xx alarm paged on-call.",
                "payments-api-5xx", "db_connection_exhaustion", ["payments-db"],
                [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                  "dimensions": {"DBInstanceIdentifier": "payments-db"}}])
    meta = {"alarm_on": "front (API Gateway, two hops from the database)",
            "decoys": "receipt-mailer deploy 8 min before onset; payments-charge deploy 4.5 h before onset; "
                      "constant acquirer ReadTimeout errors; payments-refund also failing (symptom)",
            "story": (
                "Lunch-peak traffic raises payments-charge concurrency; every warm Lambda environment keeps its own "
                "PostgreSQL connection, and together with ledger-sync's two 20-connection pools the total reaches "
                "max_connections=200 on payments-db. From then on new environments (and payments-refund) fail with "
                "`FATAL: remaining connection slots are reserved for non-replication superuser connections`, which "
                "surfaces as 502s at payments-api. Deciding evidence: DatabaseConnections flat at the limit before "
                "the first errors, the FATAL lines in the RDS log and in both functions, CPU and storage normal; the "
                "receipt-mailer deploy touches no database and its own metrics are clean.")}
    return doc, meta
