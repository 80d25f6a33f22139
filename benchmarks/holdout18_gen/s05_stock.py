"""h18-05: warehouse ALB 5xx; stock-api's heavy queries are cancelled after a DB parameter change."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import TaskLog, pg, pg_background, poisson_times
from . import svc

LB = "app/warehouse-alb/5c8e1f3a7b9d2e46"
DB = "inventory-db"
PGROUP = "inventory-pg14"

_BULK = ("SELECT s.sku, s.warehouse_id, sum(s.qty_on_hand) - coalesce(sum(r.qty), 0) AS available FROM stock_levels s "
         "LEFT JOIN reservations r ON r.sku = s.sku AND r.warehouse_id = s.warehouse_id AND r.expires_at > now() "
         "WHERE s.sku = ANY($1) GROUP BY s.sku, s.warehouse_id")


def _pino(s, t, level, msg, **kw):
    return json.dumps({"level": level, "time": int(s.at(t).timestamp() * 1000), "pid": 1,
                       "hostname": "ip-10-60-%d-%d.us-east-2.compute.internal" % (int(s.rng.integers(1, 30)),
                                                                                 int(s.rng.integers(2, 250))),
                       "msg": msg, **kw}, separators=(",", ":"))


def build():
    s = Scn("h18-05-warehouse-5xx-db-parameter", 1805, "us-east-2", "2026-03-16T15:42:00", -4.0)
    s.res("alb", LB, name="warehouse-alb", scheme="internet-facing", target_groups=["stock-api-tg"])
    s.res("ecs", "warehouse/stock-api", desired_count=4, launch_type="FARGATE", awslogs_groups=["/ecs/stock-api"],
          environment={"PGHOST": "inventory-db.c3k8w1q5zt0r.us-east-2.rds.amazonaws.com", "PGDATABASE": "inventory",
                       "PG_POOL_MAX": "20"})
    s.res("ecs", "warehouse/label-printer", desired_count=2, launch_type="FARGATE",
          awslogs_groups=["/ecs/label-printer"])
    s.res("rds", DB, engine="postgres", engine_version="14.10", instance_class="db.r6g.xlarge",
          allocated_storage_gb=500, max_connections=1000, parameter_group=PGROUP, multi_az=True)

    chg = -2050.0
    reload_t = chg + 9
    shape = s.diurnal(peak=12.5, depth=0.75)
    req = s.pois(930 * shape * (1 + s.ar(0.05)))
    bulk = s.pois(req * 0.03)
    after = T >= reload_t - 30
    bulk_err = np.where(after, s.rng.binomial(bulk.astype(int), 0.74), 0).astype(float)
    onset = float(T[int(np.argmax(bulk_err > 0))])
    t5 = bulk_err + s.pois(np.full(N, 0.25))
    trt = s.gauge(0.21 + 0.05 * shape, 0.015, lo=0.08) - 0.07 * after
    svc.alb(s, LB, req, trt, t5=t5, t4=s.pois(req * 0.006), healthy=np.full(N, 4.0))
    svc.ecs(s, "warehouse", "stock-api", s.gauge(26 * shape + 4, 2, lo=2), s.gauge(np.full(N, 38.0), 0.6))
    svc.ecs(s, "warehouse", "label-printer", s.gauge(np.full(N, 6.0), 1, lo=1), s.gauge(np.full(N, 29.0), 0.4))
    load = req / req.max()
    cpu = s.gauge(12 + 34 * load, 2.2, lo=3) - 9 * after * load
    svc.rds(s, DB, cpu, s.gauge(np.full(N, 92.0), 2.5, lo=60), s.gauge(np.full(N, 286.0), 0.08), 19.0,
            load=load, riops=s.gauge(2100 * load + 200, 90, lo=50) * (1 - 0.25 * after))

    # ---- RDS log ---------------------------------------------------------------------
    db = pg_background(s, t_from=-10800, tables=("stock_levels", "reservations", "pick_tasks"), dbname="inventory")
    for t in poisson_times(s, 0.05, -10800):
        db.append((t, pg(s, t, "LOG", "could not receive data from client: Connection reset by peer",
                         f"{s.ip('10.60')}({int(s.rng.integers(32768, 60999))})", "stock_api", "inventory")))
    for i in np.nonzero(T >= -10800)[0]:
        n_slow = int(bulk[i]) - int(bulk_err[i])
        for _ in range(int(s.rng.binomial(max(n_slow, 0), 0.0 if after[i] else 0.55))):
            t = T[i] + float(s.rng.uniform(0, 60))
            db.append((t, pg(s, t, "LOG", f"duration: {s.rng.uniform(2000, 7400):.3f} ms  execute <unnamed>: {_BULK}",
                             f"{s.ip('10.60')}({int(s.rng.integers(32768, 60999))})", "stock_api", "inventory")))
        for _ in range(int(bulk_err[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            c, pid = f"{s.ip('10.60')}({int(s.rng.integers(32768, 60999))})", int(s.rng.integers(2000, 32000))
            db.append((t, pg(s, t, "ERROR", "canceling statement due to statement timeout", c, "stock_api",
                             "inventory", pid)))
            db.append((t + 0.0004, pg(s, t, "STATEMENT", _BULK, c, "stock_api", "inventory", pid)))
    pm = 611
    db += [(reload_t, pg(s, reload_t, "LOG", "received SIGHUP, reloading configuration files", pid=pm)),
           (reload_t + 0.002, pg(s, reload_t, "LOG", 'parameter "statement_timeout" changed to "1500"', pid=pm)),
           (reload_t + 0.003, pg(s, reload_t, "LOG", 'parameter "idle_in_transaction_session_timeout" changed to '
                                                     '"60000"', pid=pm))]
    s.stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", db)

    # ---- stock-api -------------------------------------------------------------------
    tl = TaskLog(s, "/ecs/stock-api", "stock-api", "stock-api", 4)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in tl.live(t):
            tt = t + float(s.rng.uniform(0, 15))
            tl.add(tt, _pino(s, tt, 30, "pool stats", total=20, idle=int(s.rng.integers(12, 19)), waiting=0,
                             requestsLastMinute=int(req[i] / 4)), task)
    for t in poisson_times(s, 0.3):
        tl.add(t, _pino(s, t, 40, "reservation already expired", sku=f"WH-{int(s.rng.integers(10000, 99999))}",
                        req={"method": "DELETE", "url": "/v1/reservations"}))
    stack = ("error: canceling statement due to statement timeout\n"
             "    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)\n"
             "    at Parser.handlePacket (/app/node_modules/pg-protocol/dist/parser.js:122:29)\n"
             "    at Parser.parse (/app/node_modules/pg-protocol/dist/parser.js:35:38)\n"
             "    at Socket.<anonymous> (/app/node_modules/pg-protocol/dist/index.js:11:42)\n"
             "    at async AvailabilityRepo.bulk (/app/dist/repos/availability.js:58:22)\n"
             "    at async bulkAvailability (/app/dist/routes/availability.js:31:19)")
    for i in np.nonzero(bulk_err > 0)[0]:
        for _ in range(int(bulk_err[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            tl.add(t, _pino(s, t, 50, "request failed", reqId=f"req-{s.hexs(5)}",
                            req={"method": "POST", "url": "/v1/availability/bulk"}, res={"statusCode": 500},
                            responseTime=int(s.rng.integers(1503, 1530)),
                            err={"type": "DatabaseError", "message": "canceling statement due to statement timeout",
                                 "code": "57014", "stack": stack}))
    tl.flush()

    pl = TaskLog(s, "/ecs/label-printer", "label-printer", "label-printer", 2)
    for t in poisson_times(s, 0.45):
        dev = s.pick(["ZD420-07", "ZD420-11", "ZT410-02"])
        pl.add(t, f"{s.iso(t)} [ERROR] printer {dev} unreachable (tcp 9100): timed out after 3000 ms; job requeued")
    for t in poisson_times(s, 2.0 * shape):
        pl.add(t, f"{s.iso(t)} [INFO] printed label LBL-{int(s.rng.integers(10 ** 6, 10 ** 7))} on "
                  f"{s.pick(['ZD420-03', 'ZD420-05', 'ZT410-01'])}")
    pl.flush()

    s.change(-11620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "stock-api:203",
             "buildkite")
    s.change(-11600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "warehouse/stock-api", "buildkite")
    s.change(-3120, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "aws-backup-service")
    s.change(chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PGROUP,
             "atlantis-terraform")
    s.alarm("warehouse-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60,
            3, 10, desc="Warehouse handheld API 5xx", after=onset, before=onset + 600)
    s.alarm("warehouse-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60,
            5, 1.5, want="OK")
    s.alarm("inventory-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
            want="OK")
    doc = s.doc("Pickers' handhelds show 'stock check failed' on wave picking; warehouse ALB 5xx alarm.",
                "warehouse-alb-5xx", "config_change", [DB, PGROUP],
                [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                  "dimensions": {"LoadBalancer": LB}}])
    meta = {"alarm_on": "front (ALB of stock-api; origin is the database's parameter group)",
            "decoys": "stock-api deploy 2.7 h before onset; automated DB snapshot 18 min before; label-printer's constant "
                      "printer-unreachable errors",
            "story": (
                "A Terraform run modifies the inventory-pg14 parameter group; PostgreSQL reloads and logs "
                "`parameter \"statement_timeout\" changed to \"1500\"`. The bulk availability query, which routinely "
                "takes 2-7 s (visible in the duration lines before), is now cancelled (`canceling statement due to "
                "statement timeout`, SQLSTATE 57014) and stock-api returns 500 for POST /v1/availability/bulk; the "
                "ALB 5xx alarm fires while average latency actually drops. Deciding evidence: the parameter-group change "
                "and SIGHUP reload one minute before the first cancellations, the same statement succeeding slowly "
                "before; the config-change tie-break wins over a dependency error.")}
    return doc, meta
