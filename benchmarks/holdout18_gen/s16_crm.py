"""h18-16: CRM ALB latency; accounts-api waits on a PostgreSQL instance whose CPU is pinned after a plan flip."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import LambdaLog, TaskLog, pg, pg_background, poisson_times
from . import svc

LB = "app/crm-alb/5d9b3f7e1a6c2048"
DB = "crm-db"
LOOKUP = ("SELECT c.id, c.account_id, c.first_name, c.last_name, c.email, c.updated_at FROM contacts c WHERE "
          "c.tenant_id = $1 AND lower(c.email) = lower($2) AND c.deleted_at IS NULL")


def build():
    s = Scn("h18-16-crm-latency-db-cpu", 1816, "ap-northeast-1", "2026-03-30T02:40:00", 9.0)
    s.res("alb", LB, name="crm-alb", scheme="internet-facing", target_groups=["accounts-api-tg"])
    s.res("ecs", "crm/accounts-api", desired_count=4, launch_type="FARGATE", awslogs_groups=["/ecs/accounts-api"],
          environment={"DATABASE_URL": "postgres://accounts@crm-db.cx1v5b9n3m7q.ap-northeast-1.rds.amazonaws.com"
                                       ":5432/crm", "QUERY_TIMEOUT": "5s"})
    s.res("ecs", "crm/import-worker", desired_count=1, launch_type="FARGATE", awslogs_groups=["/ecs/import-worker"])
    s.res("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.m6g.large", vcpu=2,
          allocated_storage_gb=300, max_connections=400, log_min_duration_statement_ms=5000)
    s.res("lambda", "crm-webhooks", runtime="nodejs20.x", timeout=30, memory_size=256,
          environment={"SOURCE_QUEUE": "crm-outbound-events", "SIGNING_SECRET_ARN": "arn:aws:secretsmanager:"
                                                                                    "ap-northeast-1:123456789012:"
                                                                                    "secret:crm/webhook-hmac"})

    analyze = -2700.0
    onset = analyze + 55
    shape = s.diurnal(peak=14.0, depth=0.7)
    hot_db = s.ramp(onset, onset + 100)                 # the database saturates first
    hot = s.ramp(onset + 120, onset + 300)              # the application follows as queries queue
    req = s.pois(950 * shape * (1 + s.ar(0.04)))
    lookups = req * 0.21
    fails = s.pois(req * 0.075 * hot)
    trt = s.gauge(0.085 + 0.02 * shape, 0.006, lo=0.03) + hot * s.gauge(np.full(N, 2.3), 0.25, lo=1.2)
    svc.alb(s, LB, req, trt, t5=fails + s.pois(np.full(N, 0.15)), t4=s.pois(req * 0.01), healthy=np.full(N, 4.0))
    svc.ecs(s, "crm", "accounts-api", s.gauge(20 * shape + 5, 1.5, lo=2) - 8 * hot, s.gauge(np.full(N, 34.0), 0.5))
    imp = s.win(-12100, -11200, rise=120, fall=240)
    svc.ecs(s, "crm", "import-worker", s.gauge(np.full(N, 3.0), 0.6, lo=0.5) + 70 * imp,
            s.gauge(np.full(N, 22.0), 0.4) + 30 * imp)
    cpu = s.gauge(13 + 20 * shape, 1.8, lo=3) + 25 * imp
    cpu = cpu * (1 - hot_db) + hot_db * s.gauge(np.full(N, 99.0), 0.6, lo=96.5, hi=100)
    svc.rds(s, DB, cpu, s.gauge(58 + 14 * shape, 2.5, lo=20) + 95 * hot, s.gauge(np.full(N, 188.0), 0.05), 4.4,
            load=shape + 0.8 * hot, wiops=s.gauge(150 * shape + 40, 12, lo=10) + 900 * imp)
    dep = analyze - 200
    wh_inv = s.pois(np.full(N, 6.0) * shape)
    wh_dur = s.gauge(np.full(N, 340.0), 30, lo=80)
    svc.lam(s, "crm-webhooks", wh_inv, np.zeros(N), wh_dur)

    # ---- crm-db log ------------------------------------------------------------------
    db = pg_background(s, t_from=-10800, tables=("contacts", "activities", "accounts"), dbname="crm")
    db.append((analyze, pg(s, analyze, "LOG", 'automatic analyze of table "crm.public.contacts"\n\tavg read rate: '
                           "41.223 MB/s, avg write rate: 0.112 MB/s\n\tbuffer usage: 30011 hits, 98722 misses, 12 "
                           "dirtied\n\tsystem usage: CPU: user: 2.81 s, system: 0.64 s, elapsed: 18.71 s")))
    db.append((-11900, pg(s, -11900, "LOG", 'automatic vacuum of table "crm.public.import_staging": index scans: 0\n'
                          "\tpages: 0 removed, 88120 remain, 88120 scanned (100.00% of total)")))
    for t in poisson_times(s, 0.08, -10800):
        db.append((t, pg(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                         f"{s.ip('10.16')}({int(s.rng.integers(32768, 60999))})", "accounts", "crm")))
    for i in np.nonzero(hot > 0)[0]:
        for _ in range(int(s.rng.poisson(lookups[i] * 0.14 * hot[i]))):
            t = T[i] + float(s.rng.uniform(0, 60))
            c = f"{s.ip('10.16')}({int(s.rng.integers(32768, 60999))})"
            db.append((t, pg(s, t, "LOG", f"duration: {s.rng.uniform(5000, 11800):.3f} ms  execute <unnamed>: {LOOKUP}",
                             c, "accounts", "crm")))
            db.append((t + 0.0004, pg(s, t, "DETAIL", f"parameters: $1 = '{int(s.rng.integers(1000, 9999))}', $2 = "
                                                      f"'{s.hexs(7)}@{s.pick(['gmail.com', 'outlook.jp', 'corp.example'])}'",
                                      c, "accounts", "crm")))
    s.stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", db)

    # ---- accounts-api (Go slog) ------------------------------------------------------
    al = TaskLog(s, "/ecs/accounts-api", "accounts-api", "accounts-api", 4)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in al.live(t):
            tt = t + float(s.rng.uniform(0, 10))
            al.add(tt, json.dumps({"time": s.iso(tt), "level": "INFO", "msg": "http stats", "requests": int(req[i] / 4),
                                   "p95_ms": int(120 + 4800 * hot[i] * s.rng.uniform(0.9, 1.05)),
                                   "db_open_conns": int(14 + 24 * hot[i]), "db_wait_count": int(300 * hot[i])}),
                   task)
    for t in poisson_times(s, 0.25):
        al.add(t, json.dumps({"time": s.iso(t), "level": "WARN", "msg": "tenant rate limit hit",
                              "tenant": int(s.rng.integers(1000, 9999)), "limit_rps": 50}))
    for i in np.nonzero(fails > 0)[0]:
        for _ in range(int(fails[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            al.add(t, json.dumps({"time": s.iso(t), "level": "ERROR", "msg": "request failed",
                                  "path": s.pick(["/v1/contacts/lookup", "/v1/accounts/summary", "/v1/contacts/search"]),
                                  "status": 503, "elapsed_ms": int(s.rng.integers(5000, 5060)),
                                  "err": "pq: canceling statement due to user request",
                                  "cause": "context deadline exceeded"}))
    al.flush()

    il = TaskLog(s, "/ecs/import-worker", "import-worker", "import-worker", 1)
    for t in np.arange(-12090, -11250, 30.0):
        il.add(t, json.dumps({"time": s.iso(t), "level": "INFO", "msg": "import batch applied",
                              "file": "s3://crm-imports/2026-03-30/contacts_0800.csv",
                              "rows": int(s.rng.integers(4000, 6000))}))
    il.add(-11240, json.dumps({"time": s.iso(-11240), "level": "INFO", "msg": "import finished", "rows": 141880}))
    il.flush()

    wl = LambdaLog(s, "crm-webhooks", "nodejs20.x", 256, mem_used=(70, 90))
    okw = (lambda t, rid: [(0.2, wl.line(t, rid, "INFO", f"delivered event contact.updated to partner "
                                                          f"p{int(s.rng.integers(10, 99))} status=200"))])
    wl.minutes(-9000, wh_inv, np.zeros(N), wh_dur, okw, None, t_to=dep)
    wl.set_version("$LATEST")
    wl.minutes(dep, wh_inv, np.zeros(N), wh_dur, okw, None)
    wl.flush()

    s.change(-9800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "crm/accounts-api", "gha-crm")
    s.change(-9830, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "accounts-api:64",
             "gha-crm")
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "crm-webhooks",
             "gha-crm")
    s.alarm("crm-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3, 1.0,
            desc="CRM API average latency", after=onset, before=onset + 600)
    s.alarm("crm-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3, 20,
            after=onset)
    s.alarm("crm-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 2, 90,
            after=onset)
    doc = s.doc("CRM screens take seconds to load and some fail; CRM ALB latency alarm in ALARM.",
                "crm-alb-latency", "cpu_saturation", [DB],
                [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": DB}}])
    meta = {"alarm_on": "front (ALB of accounts-api; the DB CPU alarm also fires, later)",
            "decoys": "crm-webhooks deploy 3 min before the plan flip; accounts-api deploy 2 h earlier; "
                      "import-worker run 2.6 h earlier (DB CPU/IO bump, no impact)",
            "story": (
                "An automatic ANALYZE of crm.public.contacts changes the plan of the contact lookup; within a minute "
                "crm-db (2 vCPU) is at 97-100 % CPU, lookups take 5-12 s (duration lines), connections pile up, and "
                "accounts-api's 5 s query timeout cancels statements (`pq: canceling statement due to user request`, "
                "503). The CRM ALB latency alarm fires first, the DB CPU alarm a few minutes later. Deciding evidence: "
                "DB CPU pinned before the app symptoms, accounts-api's own CPU falls (waiting), the analyze line at the "
                "start; the webhook deploy neither touches the database nor shows any change in its metrics.")}
    return doc, meta
