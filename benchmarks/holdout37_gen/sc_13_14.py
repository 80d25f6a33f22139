"""h37-13 (Black Friday load hits a Lambda's reserved concurrency) and h37-14 (DB security-group rule replaced by Terraform)."""
from __future__ import annotations

import json

from .common import LOG_START, Scenario, ramp, sig
from .logs import LambdaLogs, every, times


def build_13() -> Scenario:
    s = Scenario(13, "storefront-5xx-rails-lambda-concurrency",
                 "storefront-api 5XX alarm on Black Friday morning; shoppers see intermittent errors.",
                 "us-east-1", seed=3713, anchor=(2026, 11, 27, 14, 5, 0), tz_hours=-5)
    fname = "storefront-rails"
    s.resource("lambda", fname, runtime="ruby3.3", timeout=30, memory_size=2048, reserved_concurrency=60,
               libs="lamby 6.0 / rails 7.1.3 / mysql2 0.5.6 (pool 1) / dalli 3.2",
               env={"DATABASE_HOST": "storefront-aurora.cluster-c0a1b2c3d4e5.us-east-1.rds.amazonaws.com",
                    "MEMCACHE_SERVERS": "storefront-fragments.x1y2z3.cfg.use1.cache.amazonaws.com:11211"},
               note="reserved concurrency capped at 60 to protect Aurora connections")
    s.resource("apigateway", "storefront-api", stage="prod", integration="lambda-proxy:storefront-rails")
    for iid, role in (("storefront-aurora-w", "writer"), ("storefront-aurora-r", "reader")):
        s.resource("rds", iid, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2", instance_class="db.r6g.xlarge",
                   cluster_identifier="storefront-aurora", role=role, max_connections=2000)
    s.resource("lambda", "order-export", runtime="python3.12", timeout=300, memory_size=1024)

    t_deals = -2100
    dur = 0.68
    demand = lambda t: (1500 + 900 * ramp(t, -7500, t_deals)) * (1 + 2.0 * sig(t, t_deals + 60, 40))
    cap = 60 / dur * 60
    ok = lambda t: min(demand(t), cap * s.n(1.0, 0.015))
    thr = lambda t: max(0.0, demand(t) - cap)
    fn = {"FunctionName": fname}
    s.series("AWS/Lambda", "Invocations", fn, "Count", lambda t: s.cnt(ok(t)))
    s.series("AWS/Lambda", "Throttles", fn, "Count", lambda t: s.cnt(thr(t)))
    s.series("AWS/Lambda", "ConcurrentExecutions", fn, "Count", lambda t: min(60, round(s.n(demand(t) / 60 * dur, 0.05))))
    s.series("AWS/Lambda", "Duration", fn, "Milliseconds", lambda t: s.n(dur * 1000, 0.06))
    s.series("AWS/Lambda", "Errors", fn, "Count", lambda t: s.cnt(0.3))
    api = {"ApiName": "storefront-api"}
    s.series("AWS/ApiGateway", "Count", api, "Count", lambda t: s.cnt(demand(t)))
    s.series("AWS/ApiGateway", "5XXError", api, "Count", lambda t: s.cnt(1.2 + thr(t)))
    s.series("AWS/ApiGateway", "4XXError", api, "Count", lambda t: s.cnt(demand(t) * 0.008))
    s.series("AWS/ApiGateway", "Latency", api, "Milliseconds", lambda t: s.n(700 - 200 * min(1.0, thr(t) / max(demand(t), 1)), 0.05))
    for iid, base in (("storefront-aurora-w", 24), ("storefront-aurora-r", 29)):
        dd = {"DBInstanceIdentifier": iid}
        s.series("AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: s.n(base * min(ok(t), cap) / 2400, 0.07))
        s.series("AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: round(s.n(8, 0.1) + min(60, demand(t) / 60 * dur) * 1.02))
        s.series("AWS/RDS", "SelectLatency", dd, "Milliseconds", lambda t: s.n(0.9, 0.1))
    s.series("AWS/RDS", "DMLLatency", {"DBInstanceIdentifier": "storefront-aurora-w"}, "Milliseconds", lambda t: s.n(1.6, 0.1))
    oe = {"FunctionName": "order-export"}
    s.series("AWS/Lambda", "Invocations", oe, "Count", lambda t: s.cnt(1))
    s.series("AWS/Lambda", "Errors", oe, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", oe, "Milliseconds", lambda t: s.n(24000, 0.1))

    rl = LambdaLogs(s, fname, "ruby3.3", 2048)
    for t in times(s, LOG_START, 0, lambda t: 1.8 * ok(t) / 1500):
        cold = not rl.envs or s.chance(0.01)
        pre = ([(0.001, "RAW", "Dalli::Server#connect storefront-fragments.x1y2z3.cfg.use1.cache.amazonaws.com:11211")] if cold else [])
        path = s.pick(["/deals/doorbusters", "/deals/doorbusters", "/products/" + str(s.rng.randint(10000, 99999)), "/cart", "/search?q=tv"])
        ip = f"{s.rng.randint(24, 98)}.{s.rng.randint(0, 255)}.{s.rng.randint(0, 255)}.{s.rng.randint(1, 254)}"
        ms = s.n(dur * 1000, 0.25)
        lines = pre + [(0.002, "INFO", f"Started GET \"{path}\" for {ip} at {s.dt(t - 5 * 3600).strftime('%Y-%m-%d %H:%M:%S')} -0500")]
        if s.chance(0.0007):
            lines.append((ms / 1000 - 0.01, "ERROR", "ActiveRecord::Deadlocked (Mysql2::Error: Deadlock found when trying to get lock; try restarting transaction):"))
            lines.append((ms / 1000 - 0.005, "INFO", f"Completed 500 Internal Server Error in {int(ms)}ms (ActiveRecord: {ms * 0.3:.1f}ms | Allocations: {s.rng.randint(20000, 60000)})"))
        else:
            lines.append((ms / 1000 - 0.005, "INFO", f"Completed 200 OK in {int(ms)}ms (Views: {ms * 0.45:.1f}ms | ActiveRecord: {ms * 0.15:.1f}ms | Allocations: {s.rng.randint(20000, 60000)})"))
        rl.invoke(t, ms + 6, lines, s.rng.randint(380, 430), cold, init_ms=s.n(2900, 0.1))
    eg = "API-Gateway-Execution-Logs_k7f3q9z2ab/prod"
    streams = [s.hexs(32) for _ in range(4)]
    for t in times(s, t_deals, 0, lambda t: 22 * thr(t) / max(demand(t), 1)):
        rid, st = s.uid(), s.pick(streams)
        s.log(eg, st, t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {s.uid()}")
        s.log(eg, st, t + 0.001, f"({rid}) Execution failed due to configuration error: Rate Exceeded.")
        s.log(eg, st, t + 0.002, f"({rid}) Method completed with status: 500")
    ol = LambdaLogs(s, "order-export", "python3.12", 1024)
    for t in times(s, LOG_START, 0, lambda t: 1):
        if t > -3590 and not getattr(ol, "_dep", False):
            ol.envs.clear()
            ol._dep = True
        ms = s.n(24000, 0.1)
        ol.invoke(t, ms, [(ms / 1000 - 0.05, "INFO", f"exported {s.rng.randint(200, 900)} orders to s3://storefront-exports/erp/")], 311, s.chance(0.03))

    s.change(-9000, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBCluster", "storefront-aurora", "oncall-dkim")
    s.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "order-export", "github-actions-deploy")
    s.alarm("storefront-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 50, "GreaterThanThreshold",
            "storefront API server errors", after=-7200)
    s.expect("storefront-api-5xx", "throttling", [fname],
             [("AWS/Lambda", "Throttles", fn), ("AWS/ApiGateway", "5XXError", api)])
    return s


def build_14() -> Scenario:
    s = Scenario(14, "pix-gateway-5xx-db-security-group",
                 "pix-gateway ALB 5XX alarm; PIX payments failing, the database looks idle.",
                 "sa-east-1", seed=3714, anchor=(2026, 11, 20, 16, 45, 0), tz_hours=-3)
    cl, svc, lb, sg = "pagamentos-prod", "pix-gateway", "app/pix-gateway/3a9e5c1d7f2b4068", "sg-0c4e7a19d2b36f581"
    s.resource("ecs", f"{cl}/{svc}", cluster=cl, service=svc, desired_count=6, cpu=512, memory=1024,
               runtime="go1.22 database/sql + pgx v5.5 stdlib", security_groups=["sg-0a71c3e5f9b2d4068 (pix-gateway-tasks)"],
               db_conn_max_lifetime="5m", log_group="/ecs/pix-gateway")
    s.resource("ecs", f"{cl}/boleto-api", cluster=cl, service="boleto-api", desired_count=3)
    s.resource("rds", "pix-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge", max_connections=3000,
               vpc_security_groups=[f"{sg} (pix-pg-sg)"], log_connections=True, log_disconnections=True)
    s.resource("alb", lb, name="pix-gateway")
    s.resource("lambda", "pix-reconcile-batch", runtime="python3.12", timeout=120, memory_size=512,
               security_groups=["sg-05d2e8b1a7c4f3690 (pix-batch-lambda)"], subnets="10.60.32.0/20")

    t_sg = -1920
    cut = lambda t: ramp(t, t_sg + 10, t_sg + 320)           # pooled connections age out over ConnMaxLifetime
    d = lambda t: s.diurnal(t, 0.3, 14.0)
    req = lambda t: 2600 * d(t)
    alb = {"LoadBalancer": lb}
    s.series("AWS/ApplicationELB", "RequestCount", alb, "Count", lambda t: s.cnt(req(t)))
    s.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", lambda t: s.cnt(1 + req(t) * 0.7 * cut(t)))
    s.series("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", lambda t: s.n(0.045 + 5.0 * cut(t) * 0.7, 0.08), nd=4)
    s.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", lambda t: s.cnt(0.2))
    ecs = {"ClusterName": cl, "ServiceName": svc}
    s.series("AWS/ECS", "CPUUtilization", ecs, "Percent", lambda t: s.n(40 * d(t), 0.07) * (1 - 0.55 * cut(t)))
    s.series("AWS/ECS", "MemoryUtilization", ecs, "Percent", lambda t: s.n(33, 0.03))
    be = {"ClusterName": cl, "ServiceName": "boleto-api"}
    s.series("AWS/ECS", "CPUUtilization", be, "Percent", lambda t: s.n(21 * d(t), 0.08) + 12 * (ramp(t, -2500, -2440) - ramp(t, -2300, -2240)))
    s.series("AWS/ECS", "MemoryUtilization", be, "Percent", lambda t: s.n(38, 0.03))
    db = {"DBInstanceIdentifier": "pix-pg"}
    s.series("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: round(s.n(22, 0.08) + s.n(150, 0.03) * (1 - cut(t))))
    s.series("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: s.n(8, 0.1) + s.n(27 * d(t), 0.08) * (1 - cut(t)))
    s.series("AWS/RDS", "NetworkReceiveThroughput", db, "Bytes/Second", lambda t: s.n(2.5e5, 0.1) + s.n(3.1e6 * d(t), 0.08) * (1 - cut(t)), nd=0)
    s.series("AWS/RDS", "WriteIOPS", db, "Count/Second", lambda t: s.n(60, 0.1) + s.n(700 * d(t), 0.08) * (1 - cut(t)))
    s.series("AWS/RDS", "FreeableMemory", db, "Bytes", lambda t: s.n(20.4e9, 0.005), nd=0)
    pr = {"FunctionName": "pix-reconcile-batch"}
    s.series("AWS/Lambda", "Invocations", pr, "Count", lambda t: s.cnt(1))
    s.series("AWS/Lambda", "Errors", pr, "Count", lambda t: 0)
    s.series("AWS/Lambda", "Duration", pr, "Milliseconds", lambda t: s.n(5200, 0.1))

    grp, tasks = "/ecs/pix-gateway", [s.hexs(32) for _ in range(6)]
    ep = "pix-pg.c7xk2m9qz1ab.sa-east-1.rds.amazonaws.com"

    def gl(task, t, level, msg, **kw):
        rec = {"time": s.dt(t - 3 * 3600).strftime("%Y-%m-%dT%H:%M:%S.") + f"{s.rng.randint(0, 999):03d}-03:00", "level": level, "msg": msg}
        rec.update(kw)
        s.log(grp, f"ecs/pix-gateway/{task}", t, json.dumps(rec, separators=(",", ":")))
    for t in times(s, LOG_START, 0, lambda t: 11 * d(t)):
        task, e2e = s.pick(tasks), f"E{s.rng.randint(10**30, 10**31 - 1)}"
        if s.chance(0.7 * cut(t)):
            gl(task, t + 5.0, "ERROR", "db acquire failed", endtoend_id=e2e,
               err=f"failed to connect to `user=pix_app database=pix`: 10.60.21.14:5432 ({ep}): dial error: dial tcp 10.60.21.14:5432: i/o timeout")
            gl(task, t + 5.001, "INFO", "pix payment", endtoend_id=e2e, status=500, dur_ms=int(s.n(5004, 0.002)))
        else:
            gl(task, t, "INFO", "pix payment", endtoend_id=e2e, status=200, dur_ms=int(s.n(42, 0.3)))
    for i, task in enumerate(tasks):
        for t in every(LOG_START + i * 9, 0, 60):
            c = cut(t)
            open_ = max(0, round(s.n(25, 0.08) * (1 - c)))
            gl(task, t, "INFO", "db pool stats", open=open_, in_use=min(open_, round(open_ * 0.4)), idle=open_ - min(open_, round(open_ * 0.4)),
               max_open=40, wait_count=int(c * s.n(300, 0.2)))
    for t in times(s, LOG_START, 0, lambda t: 0.6):
        gl(s.pick(tasks), t, "WARN", "webhook delivery failed", partner="bancoX", status=503, attempt=s.rng.randint(1, 4))

    pg, st = "/aws/rds/instance/pix-pg/postgresql", "pix-pg.0"
    for t in times(s, LOG_START, 0, lambda t: 6 * (1 - cut(t)) + 0.4):
        ecs_side = s.chance(6 * (1 - cut(t)) / (6 * (1 - cut(t)) + 0.4))
        ip = f"10.60.{s.rng.randint(0, 15)}.{s.rng.randint(2, 250)}" if ecs_side else f"10.60.{s.rng.randint(32, 47)}.{s.rng.randint(2, 250)}"
        port, pid = s.rng.randint(30000, 60000), s.rng.randint(1000, 60000)
        user = "pix_app" if ecs_side else "pix_batch"
        pre = f"{s.pgts(t)}:{ip}({port}):{user}@pix:[{pid}]:"
        s.log(pg, st, t, f"{s.pgts(t)}:{ip}({port}):[unknown]@[unknown]:[{pid}]:LOG:  connection received: host={ip} port={port}")
        s.log(pg, st, t + 0.01, pre + f"LOG:  connection authorized: user={user} database=pix SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)")
    for t in times(s, LOG_START, 0, lambda t: 6 * (1 - cut(t)) + 0.4 + 5 * (cut(t) - cut(t - 60)) * 5):
        ecs_side = t < t_sg + 330 and s.chance(0.93)
        ip = f"10.60.{s.rng.randint(0, 15)}.{s.rng.randint(2, 250)}" if ecs_side else f"10.60.{s.rng.randint(32, 47)}.{s.rng.randint(2, 250)}"
        user = "pix_app" if ecs_side else "pix_batch"
        s.log(pg, st, t, f"{s.pgts(t)}:{ip}({s.rng.randint(30000, 60000)}):{user}@pix:[{s.rng.randint(1000, 60000)}]:LOG:  disconnection: "
              f"session time: 0:0{s.rng.randint(4, 5)}:{s.rng.randint(0, 59):02d}.{s.rng.randint(0, 999):03d} user={user} database=pix host={ip} port={s.rng.randint(30000, 60000)}")
    for t in every(LOG_START, 0, 300, 2, s):
        s.log(pg, st, t + 90, f"{s.pgts(t + 90)}::@:[388]:LOG:  checkpoint complete: wrote {s.rng.randint(300, 1400)} buffers "
              f"({s.rng.uniform(0.2, 1.0):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=89.9{s.rng.randint(10, 99)} s, sync=0.003 s, total=90.0{s.rng.randint(10, 99)} s")

    bl = LambdaLogs(s, "pix-reconcile-batch", "python3.12", 512)
    for t in every(LOG_START + 7, 0, 60, 3, s):
        ms = s.n(5200, 0.1)
        bl.invoke(t, ms, [(ms / 1000 - 0.01, "INFO", f"reconciled {s.rng.randint(800, 2400)} PIX settlements against SPI report; 0 mismatches")], 122, s.chance(0.02))
    btasks = [s.hexs(32) for _ in range(3)]
    for k, tk in enumerate(btasks):
        t = -2430 + 45 * k
        s.log("/ecs/boleto-api", f"ecs/boleto-api/{tk}", t, json.dumps({"time": s.iso(t), "level": "INFO", "msg": "boleto-api starting", "version": "3.9.1"}))
    for t in times(s, -2420, 0, lambda t: 2):
        s.log("/ecs/boleto-api", f"ecs/boleto-api/{s.pick(btasks)}", t, json.dumps({
            "time": s.iso(t), "level": "INFO", "msg": "boleto issued", "status": 201, "dur_ms": int(s.n(35, 0.3))}))

    s.change(-2500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/boleto-api", "github-actions-deploy")
    s.change(t_sg, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup", sg, "terraform-ci")
    s.change(t_sg + 2, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", sg, "terraform-ci")
    s.alarm("pix-gateway-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Sum", 60, 3, 30, "GreaterThanThreshold",
            "pix-gateway target 5XX", after=-7200)
    s.expect("pix-gateway-5xx", "config_change", [sg, "pix-pg-sg", "pix-pg"],
             [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb), ("AWS/RDS", "DatabaseConnections", db)])
    return s
