"""h98-05 (control: the alarmed caller was deployed 2.5 h earlier; a batch client of the same Aurora
PostgreSQL was deployed 25 min ago) and h98-06 (control: a caller deploy lands while the database's
CPU is already climbing from autovacuum-resistant bloat)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import rails, zap

from .base import (LOGS_FROM, alb_metrics, diurnal, ecs_metrics, emit, every, lam_metrics, meta,
                   new, pg, pg_checkpoint, pg_slow, put, ramp, rds_metrics, step)


# --------------------------------------------------------------------------- h98-05
def build_05():
    sc = new(5, "ledger-api-latency", "Ledger API latency is high for postings and balance reads; the internal "
             "load balancer's latency alarm paged.", "eu-central-1", "2026-04-24T09:30:00")
    rng = sc.rng
    lb, cl_, api, batch = "app/ledger-int/2c7e9a4b1d3f5068", "ledger", "ledger-api", "recon-batch"
    writer, cluster, fx = "ledger-aurora-pg-1", "ledger-aurora-pg", "fx-rates-fetcher"
    sc.resource("alb", lb, name="ledger-int", scheme="internal", target_group="tg-ledger-api")
    sc.resource("ecs", f"{cl_}/{api}", launch_type="FARGATE", desired_count=4, task_definition=f"{api}:57",
                runtime="go1.22 / pgx v5")
    sc.resource("ecs", f"{cl_}/{batch}", launch_type="FARGATE", desired_count=1, task_definition=f"{batch}:23",
                runtime="python3.12 / psycopg 3", role="continuous reconciliation worker")
    sc.resource("lambda", fx, runtime="python3.12", timeout=60, memory_size=256, trigger="schedule rate(15 minutes)")
    sc.resource("rds", writer, engine="aurora-postgresql", engine_version="15.5", instance_class="db.r6g.xlarge",
                cluster=cluster, role="writer", max_connections=3200, log_min_duration_statement_ms=1000)
    a_reg, a_upd = -10440, -10420
    b_reg, b_upd = -1520, -1505
    b_up = -1430                            # recon-batch:23 task running, old task stopped
    onset = -1390
    sat = lambda t: ramp(t, onset, onset + 150)
    req = lambda t: 2400 * diurnal(sc, t, 9, 0.25)
    rt = lambda t: 0.034 + 0.86 * sat(t)
    t5 = lambda t: 0.3 + 0.028 * req(t) * ramp(t, onset + 90, onset + 300)
    roll = lambda t: 4 + 4 * (step(t, a_upd + 60, 0, 1) - step(t, a_upd + 330, 0, 1))
    alb_metrics(sc, lb, req, t5, rt, roll)
    ecs_metrics(sc, cl_, api, lambda t: 22 * diurnal(sc, t, 9, 0.25) * (1 - 0.2 * sat(t)), lambda t: 34.0, running=roll)
    ecs_metrics(sc, cl_, batch, lambda t: 7 + 9 * sat(t), lambda t: 28 + 19 * sat(t),
                running=lambda t: 1 + step(t, b_up - 70, 0, 1) - step(t, b_up, 0, 1))
    rds_metrics(sc, writer, lambda t: 30 * diurnal(sc, t, 9, 0.2) * (1 - sat(t)) + 96 * sat(t),
                lambda t: 210 + 36 * sat(t), lambda t: 1e4, lambda t: 18.5 - 2.2 * sat(t),
                read_ms=lambda t: 0.7 + 2.4 * sat(t), write_ms=lambda t: 1.1 + 1.8 * sat(t))
    put(sc, "AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": writer}, "Count/Second", lambda t: 420 + 5100 * sat(t), noise=0.08)
    put(sc, "AWS/RDS", "BufferCacheHitRatio", {"DBInstanceIdentifier": writer}, "Percent",
        lambda t: 99.6 - 6.5 * sat(t), noise=0.002, cap=100.0)
    lam_metrics(sc, fx, lambda t: 0.0667, lambda t: 0.0, lambda t: 1800.0)

    # ledger-api (Go, zap)
    grp = f"/ecs/{api}"
    accts = [f"acc_{sc.hexid(8)}" for _ in range(40)]

    def api_task(start, end, ver, commit):
        s = f"{api}/{api}/{sc.hexid(32)}"
        if start > LOGS_FROM:
            sc.log(grp, s, start, zap(sc, start, "info", "ledger-api starting", "cmd/ledger-api/main.go:48",
                                      version=ver, commit=commit, go="go1.22.2"))
            sc.log(grp, s, start + 0.4, zap(sc, start + 0.4, "info", "db pool ready", "internal/db/pool.go:77",
                                            max_conns=24, statement_timeout="2s"))
        if end < 0:
            sc.log(grp, s, end, zap(sc, end, "info", "shutting down: SIGTERM, draining", "cmd/ledger-api/main.go:112"))

        def line(ts):
            acct = rng.choice(accts)
            r = rng.random()
            method, path, status = (("POST", "/v1/postings", 201) if r < 0.45 else
                                    ("GET", f"/v1/accounts/{acct}/balance", 200) if r < 0.85 else
                                    ("GET", f"/v1/accounts/{acct}/entries?limit=50", 200))
            if rng.random() < 0.03:
                return zap(sc, ts, "warn", "idempotency key reused, returning original posting", "internal/http/postings.go:93",
                           account=acct)
            if rng.random() < 0.03 * ramp(ts, onset + 90, onset + 300):
                return zap(sc, ts, "error", "request failed", "internal/http/middleware.go:64", method=method, path=path,
                           status=500, duration_ms=round(2000 + rng.uniform(1, 30), 1),
                           error="ERROR: canceling statement due to statement timeout (SQLSTATE 57014)")
            ms = (rng.uniform(250, 1900) if rng.random() < sat(ts) else rng.uniform(6, 60))
            return zap(sc, ts, "info", "request", "internal/http/middleware.go:58", method=method, path=path,
                       status=status, duration_ms=round(ms, 1))
        emit(sc, grp, s, lambda t: 0.6, line, start=max(start + 1, LOGS_FROM), end=end)

    for _ in range(4):
        api_task(-21600, a_upd + 300 + rng.uniform(0, 30), "v2.40.3", "9d2c0aa")
    for _ in range(4):
        api_task(a_upd + 60 + rng.uniform(0, 40), 0, "v2.41.0", "e41b7c9")

    # recon-batch (Python, structlog JSON)
    bg = f"/ecs/{batch}"

    def sl(ts, event, level="info", **kv):
        return json.dumps({"event": event, "level": level, "logger": "recon.worker",
                           "timestamp": sc.iso(ts, 6), **kv}, separators=(",", ":"))
    old_s, new_s = f"{batch}/{batch}/{sc.hexid(32)}", f"{batch}/{batch}/{sc.hexid(32)}"
    t = LOGS_FROM + rng.uniform(0, 60)
    while t < b_up:
        rid = sc.hexid(8)
        d = rng.uniform(1.4, 2.6)
        sc.log(bg, old_s, t, sl(t, "reconciliation run started", run_id=rid, strategy="incremental",
                                watermark=sc.iso(t - 300, 0), version="1.8.4"))
        sc.log(bg, old_s, t + d, sl(t + d, "reconciliation run finished", run_id=rid, matched=rng.randint(900, 1500),
                                    unmatched=rng.randint(0, 4), duration_s=round(d, 2)))
        if rng.random() < 0.1:
            sc.log(bg, old_s, t + d + 0.1, sl(t + d + 0.1, "psp statement line without reference, parked", "warning",
                                              psp="adyen"))
        t += 60 + d
    sc.log(bg, old_s, b_up - 5, sl(b_up - 5, "received SIGTERM, finishing current run", "warning"))
    t0 = b_up - 60
    sc.log(bg, new_s, t0, sl(t0, "recon-batch starting", version="1.9.0", git_sha="c0f81d3", workers=4))
    sc.log(bg, new_s, t0 + 0.3, sl(t0 + 0.3, "matching strategy full_rescan (window_days=90, per-account partitions)"))
    t = onset
    while t < 0:
        rid = sc.hexid(8)
        d = rng.uniform(228, 262)
        sc.log(bg, new_s, t, sl(t, "reconciliation run started", run_id=rid, strategy="full_rescan", window_days=90,
                                version="1.9.0", workers=4))
        sc.log(bg, new_s, t + d, sl(t + d, "reconciliation run finished", run_id=rid, matched=rng.randint(900, 1500),
                                    unmatched=rng.randint(0, 4), duration_s=round(d, 2)))
        t += 60 + d

    # Aurora PostgreSQL log
    g, s = f"/aws/rds/cluster/{cluster}/postgresql", f"{writer}.0"
    pg_checkpoint(sc, g, s)
    cl = lambda: f"10.80.{rng.randint(32, 47)}.{rng.randint(2, 250)}({rng.randint(32768, 60999)})"
    q_full = ("SELECT e.id, e.account_id, e.amount_minor, e.currency, e.external_ref, p.line_id FROM ledger_entries e "
              "LEFT JOIN psp_statement_lines p ON p.external_ref = e.external_ref AND p.amount_minor = e.amount_minor "
              "WHERE e.account_id = ANY($1) AND e.booked_at >= now() - interval '90 days' ORDER BY e.booked_at")
    q_inc = q_full.replace("now() - interval '90 days'", "$2")

    def full(ts):
        p, c = rng.randint(4000, 30000), cl()
        ms = rng.uniform(212000, 248000)
        return [(0, pg_slow(sc, ts, ms, q_full, c, "recon_batch", "ledger", p)),
                (0.0004, pg(sc, ts, "DETAIL", "parameters: $1 = '{" + ",".join(rng.sample(accts, 6)) + "}'",
                            c, "recon_batch", "ledger", p))]
    emit(sc, g, s, lambda t: 1.0 * step(t, onset + 230, 0, 1), full, start=onset)
    emit(sc, g, s, lambda t: 0.01, lambda ts: pg_slow(sc, ts, rng.uniform(1000, 1300), q_inc, cl(), "recon_batch", "ledger"),
         start=LOGS_FROM, end=b_up)
    emit(sc, g, s, lambda t: 3.5 * ramp(t, onset + 40, onset + 200), lambda ts: pg_slow(
        sc, ts, rng.uniform(1000, 1999), rng.choice([
            "SELECT balance_minor, currency, version FROM account_balances WHERE account_id = $1",
            "INSERT INTO ledger_entries (id, account_id, amount_minor, currency, external_ref, booked_at) VALUES "
            "($1, $2, $3, $4, $5, now())"]), cl(), "ledger_api", "ledger"), start=onset)

    def timeout(ts):
        p, c = rng.randint(4000, 30000), cl()
        return [(0, pg(sc, ts, "ERROR", "canceling statement due to statement timeout", c, "ledger_api", "ledger", p)),
                (0.0003, pg(sc, ts, "STATEMENT", "SELECT balance_minor, currency, version FROM account_balances WHERE "
                            "account_id = $1 FOR UPDATE", c, "ledger_api", "ledger", p))]
    emit(sc, g, s, lambda t: 1.5 * ramp(t, onset + 90, onset + 300), timeout, start=onset)

    fl = f"/aws/lambda/{fx}"
    every(sc, fl, f"{sc.at(-10000).strftime('%Y/%m/%d')}/[$LATEST]{sc.hexid(32)}", 900,
          lambda ts: f"[INFO]\t{sc.iso(ts)}\t{sc.uuid()}\tstored {rng.randint(150, 170)} ECB reference rates "
          f"for {sc.at(ts).strftime('%Y-%m-%d')}", start=LOGS_FROM)

    sc.change(a_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{api}:57",
              "gitlab-ci-ledger")
    sc.change(a_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{api}", "gitlab-ci-ledger")
    sc.change(b_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{batch}:23",
              "gitlab-ci-ledger")
    sc.change(b_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{batch}", "gitlab-ci-ledger")
    sc.change(-1450, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fx,
              "f.schmidt")
    sc.alarm("ledger-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             0.5, "GreaterThanThreshold", "ledger-api p-avg latency above 500 ms")
    sc.alarm("ledger-aurora-writer-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": writer}, "Average", 300,
             3, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "ledger-int-latency",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl_}/{batch}", batch]}}
    meta(sc, front="front (internal ALB -> ledger-api, a victim; the cause is another client of its database)",
         decoys="ledger-api (the alarmed caller) deployed 2.5 h before the onset and clean since; fx-rates-fetcher "
         "configuration change 1 min before the onset (closer than the cause); the writer CPU alarm (3 x 5 min) "
         "still OK; constant idempotency-key WARN and parked-statement WARNING",
         services="internal ALB, ECS Fargate (API and worker), Aurora PostgreSQL, Lambda",
         runtime="Go (zap, pgx); Python (structlog, psycopg)",
         logfmt="zap JSON, structlog JSON, Aurora PostgreSQL log",
         story="recon-batch:23 (1.9.0) was rolled out at -25 min and switched matching to `full_rescan "
         "(window_days=90)`: its first run starts at -23 min and from then on the writer's log shows 4-minute "
         "recon_batch executions of the 90-day entries join, ReadIOPS jumps and the buffer cache hit ratio drops, "
         "and CPU goes from ~30 % to ~96 % with the ALB's request count flat. ledger-api's own statements "
         "(balance reads, inserts) are unchanged but now take 1-2 s and hit its 2 s statement_timeout; its "
         "v2.41.0 deploy 2.5 h earlier was followed by two clean hours. bad_deployment on recon-batch.")
    return sc


# --------------------------------------------------------------------------- h98-06
def build_06():
    sc = new(6, "fulfil-web-latency", "The fulfilment dashboard and carrier label API are slow; the web load "
             "balancer's latency alarm paged.", "us-east-2", "2026-04-27T20:15:00")
    rng = sc.rng
    lb, cl_, web, wrk, db = "app/fulfil-web/6e1c3a5f7b9d2048", "fulfil", "dispatch-api", "dispatch-worker", "fulfil-pg"
    bi = "i-0b7d2e9c4a1f63850"
    sc.resource("alb", lb, name="fulfil-web", target_group="tg-dispatch-api")
    sc.resource("ecs", f"{cl_}/{web}", launch_type="FARGATE", desired_count=4, task_definition=f"{web}:88",
                runtime="ruby 3.3 / rails 7.1 / puma 6")
    sc.resource("ecs", f"{cl_}/{wrk}", launch_type="FARGATE", desired_count=3, task_definition=f"{wrk}:61",
                runtime="ruby 3.3 / good_job 3.26 (Postgres-backed queue)")
    sc.resource("ec2", bi, name="bi-export-1", instance_type="m6i.large",
                role="warehouse export host (cron: weekly pg_dump of fulfil-pg, Mondays 19:05 UTC)")
    sc.resource("rds", db, engine="postgres", engine_version="14.10", instance_class="db.r6g.xlarge",
                max_connections=1700, allocated_storage_gb=800, log_min_duration_statement_ms=1000,
                log_autovacuum_min_duration_ms=0)
    dump = -4195                           # pg_dump opens its snapshot (still running now); the xmin horizon stops moving
    dep_reg, dep_upd = -3020, -3000         # dispatch-api:88
    span = 3400.0
    x = lambda t: min(1.0, max(0.0, (t - dump) / span))
    req = lambda t: 1900 * diurnal(sc, t, 19, 0.2)
    rt = lambda t: 0.12 + 1.3 * x(t) ** 3
    t5 = lambda t: 0.5 + 0.012 * req(t) * ramp(t, -1500, -600)
    roll = lambda t: 4 + 4 * (step(t, dep_upd + 70, 0, 1) - step(t, dep_upd + 300, 0, 1))
    alb_metrics(sc, lb, req, t5, rt, roll)
    ecs_metrics(sc, cl_, web, lambda t: 26 * diurnal(sc, t, 19, 0.2), lambda t: 58 + 3 * (t > dep_upd + 70) - 3 * (t > dep_upd + 400),
                running=roll)
    ecs_metrics(sc, cl_, wrk, lambda t: 31.0 * (1 - 0.3 * x(t)), lambda t: 47.0, running=lambda t: 3.0)
    rds_metrics(sc, db, lambda t: 34 * diurnal(sc, t, 19, 0.1) + 63 * x(t) ** 1.3,
                lambda t: 142 + 30 * x(t), lambda t: 214 - 0.00002 * (t + 21600), lambda t: 14.2 - 1.1 * x(t),
                read_ms=lambda t: 0.8 + 0.4 * x(t) + 0.4 * (t > dump))
    put(sc, "AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
        lambda t: 600 + 2100 * (t > dump), noise=0.08)
    put(sc, "AWS/RDS", "NetworkTransmitThroughput", {"DBInstanceIdentifier": db}, "Bytes/Second",
        lambda t: 2.1e6 + 38e6 * (t > dump), noise=0.08)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": bi}, "Percent", lambda t: 2.0 + 31 * (t > dump), noise=0.08)
    put(sc, "AWS/EC2", "NetworkIn", {"InstanceId": bi}, "Bytes", lambda t: 2e6 + 2.2e9 * (t > dump), noise=0.08)

    # dispatch-api (Rails, lograge)
    grp = f"/ecs/{web}"

    def web_task(start, end, release, sha):
        s = f"{web}/{web}/{sc.hexid(32)}"
        if start > LOGS_FROM:
            for i, msg in enumerate(["Puma starting in single mode...",
                                     "* Puma version: 6.4.2 (ruby 3.3.0-p0) (\"The Eagle of Durango\")",
                                     "*  Min threads: 5 *  Max threads: 5", "*  Environment: production",
                                     f"[boot] dispatch-api release={release} sha={sha}",
                                     "* Listening on http://0.0.0.0:3000", "Use Ctrl-C to stop"]):
                sc.log(grp, s, start + i * 0.05, msg)
        if end < 0:
            sc.log(grp, s, end, "- Gracefully stopping, waiting for requests to finish")

        def line(ts):
            rid = sc.uuid()
            r = rng.random()
            if r < 0.5:
                path, ctrl, act = f"/api/v1/shipments/SH-{rng.randint(1000000, 9999999)}", "ShipmentsController", "show"
            elif r < 0.8:
                path, ctrl, act = f"/api/v1/shipments/SH-{rng.randint(1000000, 9999999)}/label", "LabelsController", "create"
            else:
                path, ctrl, act = "/dashboard/queues", "Dashboard::QueuesController", "index"
            if rng.random() < 0.02:
                return rails(sc, ts, "WARN", f"[{rid}] Carrier rate cache miss for zone {rng.choice(['Z4', 'Z7', 'Z8'])}, "
                             "falling back to table rates")
            db_ms = rng.uniform(3, 40) + 1400 * x(ts) ** 3 * rng.uniform(0.4, 1.6)
            status = 200 if act != "create" else 201
            if rng.random() < 0.012 * ramp(ts, -1500, -600):
                status, db_ms = 500, 5000 + rng.uniform(0, 50)
                return rails(sc, ts, "ERROR", f"[{rid}] ActiveRecord::QueryCanceled (PG::QueryCanceled: ERROR:  canceling "
                             "statement due to statement timeout\n):\n  app/models/shipment.rb:88:in `pending_label_job?'\n"
                             f"  app/controllers/{'labels' if act == 'create' else 'shipments'}_controller.rb:21:in `{act}'")
            return rails(sc, ts, "INFO", f"[{rid}] method={'POST' if act == 'create' else 'GET'} path={path} format=json "
                         f"controller={ctrl} action={act} status={status} allocations={rng.randint(2000, 9000)} "
                         f"duration={db_ms + rng.uniform(4, 30):.2f} view={rng.uniform(0.5, 3):.2f} db={db_ms:.2f}")
        emit(sc, grp, s, lambda t: 0.75, line, start=max(start + 1, LOGS_FROM), end=end)

    for _ in range(4):
        web_task(-21600, dep_upd + 280 + rng.uniform(0, 30), "2026.04.27.1", "b83d6c0")
    for _ in range(4):
        web_task(dep_upd + 60 + rng.uniform(0, 30), 0, "2026.04.27.2", "4f2a9e1")

    # dispatch-worker (good_job)
    wg = f"/ecs/{wrk}"
    jobs = ["CarrierLabelJob", "TrackingSyncJob", "ManifestCloseJob", "LabelEmailJob"]
    for _ in range(3):
        s = f"{wrk}/{wrk}/{sc.hexid(32)}"

        def job(ts):
            j = rng.choice(jobs)
            jid = sc.uuid()
            lat = rng.uniform(0.2, 2.0) + 90 * x(ts) ** 2.5 * rng.uniform(0.5, 1.5)
            run = rng.uniform(120, 900) * (1 + 1.5 * x(ts) ** 3)
            return [(0, rails(sc, ts, "INFO", f"[ActiveJob] [{j}] [{jid}] Performing {j} (Job ID: {jid}) from "
                              f"GoodJob(default) enqueued at {sc.iso(ts - lat)} with arguments: \"SH-{rng.randint(1000000, 9999999)}\"")),
                    (run / 1000, rails(sc, ts + run / 1000, "INFO", f"[ActiveJob] [{j}] [{jid}] Performed {j} (Job ID: {jid}) "
                                       f"from GoodJob(default) in {run:.2f}ms"))]
        emit(sc, wg, s, lambda t: 0.9, job, start=LOGS_FROM)

    # RDS PostgreSQL log
    g, s = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    pg_checkpoint(sc, g, s)
    ipw = lambda: f"10.60.{rng.randint(16, 23)}.{rng.randint(2, 250)}({rng.randint(32768, 60999)})"
    q_poll = ('SELECT "good_jobs".* FROM "good_jobs" WHERE "good_jobs"."finished_at" IS NULL AND ("good_jobs"."scheduled_at" '
              '<= $1 OR "good_jobs"."scheduled_at" IS NULL) ORDER BY priority DESC NULLS LAST, created_at ASC LIMIT $2 FOR '
              'UPDATE SKIP LOCKED')
    q_pend = ('SELECT 1 AS one FROM "good_jobs" WHERE "good_jobs"."finished_at" IS NULL AND "good_jobs"."concurrency_key" '
              '= $1 LIMIT $2')
    emit(sc, g, s, lambda t: 9 * x(t) ** 2, lambda ts: pg_slow(sc, ts, 1000 + 3800 * x(ts) ** 2 * rng.random(), q_poll, ipw(),
                                                               "fulfil_worker", "fulfil"), start=dump)
    emit(sc, g, s, lambda t: 5 * x(t) ** 2.5, lambda ts: pg_slow(sc, ts, 1000 + 3900 * x(ts) ** 2 * rng.random(), q_pend, ipw(),
                                                                 "fulfil_web", "fulfil"), start=dump)

    def tmo(ts):
        p, c = rng.randint(3000, 30000), ipw()
        return [(0, pg(sc, ts, "ERROR", "canceling statement due to statement timeout", c, "fulfil_web", "fulfil", p)),
                (0.0003, pg(sc, ts, "STATEMENT", q_pend, c, "fulfil_web", "fulfil", p))]
    emit(sc, g, s, lambda t: 1.6 * ramp(t, -1500, -600), tmo, start=-1500)
    c_bi = "10.60.40.21(51812)"
    sc.log(g, s, dump - 0.4, pg(sc, dump - 0.4, "LOG", "connection received: host=10.60.40.21 port=51812", None, "", "", 28417))
    sc.log(g, s, dump, pg(sc, dump, "LOG", "connection authorized: user=bi_export database=fulfil application_name=pg_dump "
                          "SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)", c_bi, "bi_export",
                          "fulfil", 28417))
    t_done = dump + 4.2
    for tbl, d in (("public.addresses", 212.6), ("public.carrier_events", 1261.9), ("public.parcels", 905.3),
                   ("public.shipments", 1387.1)):
        t_done += d
        if t_done < 0:
            sc.log(g, s, t_done, pg_slow(sc, t_done, d * 1000, f"COPY {tbl} TO stdout;", c_bi, "bi_export", "fulfil", 28417,
                                         kind="statement"))
    # autovacuum on the queue table: before the snapshot it cleans; after, dead rows pile up
    t = LOGS_FROM + rng.uniform(0, 200)
    while t < 0:
        if t < dump:
            rem, dead, removed, xmin = rng.randint(3800, 4600), 0, rng.randint(14000, 22000), 2914000000 + int(t + 21600) * 40
        else:
            k = (t - dump)
            rem, dead, removed, xmin = 4200 + int(k * 118), int(k * 116), 0, 2914000000 + int(dump + 21600) * 40
        pages = max(60, rem // 9)
        sc.log(g, s, t, pg(sc, t, "LOG", (
            f"automatic vacuum of table \"fulfil.public.good_jobs\": index scans: {0 if dead else 1}\n"
            f"\tpages: 0 removed, {pages} remain, {pages} skipped due to pins, 0 skipped frozen\n"
            f"\ttuples: {removed} removed, {rem} remain, {dead} are dead but not yet removable, oldest xmin: {xmin}\n"
            f"\tindex scan {'not needed' if dead else 'needed'}: {pages if dead else pages // 2} pages from table "
            f"({100.0 if dead else 50.0:.2f}% of total) had {dead or removed} dead item identifiers removed\n"
            f"\tavg read rate: 0.{rng.randint(10, 99)} MB/s, avg write rate: 0.{rng.randint(10, 99)} MB/s\n"
            f"\tbuffer usage: {pages * 3} hits, {rng.randint(0, 40)} misses, {0 if dead else pages // 3} dirtied\n"
            f"\tWAL usage: {0 if dead else pages} records, 0 full page images, {0 if dead else pages * 61} bytes\n"
            f"\tsystem usage: CPU: user: 0.{rng.randint(1, 40):02d} s, system: 0.00 s, elapsed: 0.{rng.randint(10, 99)} s"),
            None, "", "", rng.randint(20000, 32000)))
        t += rng.uniform(150, 260)

    # bi-export-1 cron log
    eg = "/bi-export/cron"
    sc.log(eg, bi, dump - 5, f"{sc.at(dump - 5).strftime('%b %d %H:%M:%S')} bi-export-1 CROND[41822]: (etl) CMD "
           "(/opt/etl/bin/weekly_export.sh fulfil)")
    sc.log(eg, bi, dump - 2, f"{sc.iso(dump - 2)} weekly_export: pg_dump -h {db}.cs9t1ab2cdef.us-east-2.rds.amazonaws.com "
           "-U bi_export -d fulfil -Fd -j 1 -f /data/export/fulfil-2026-04-27 (previous run 2026-04-20: 41 min)")

    sc.change(-14100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{wrk}", "github-actions-fulfil")
    sc.change(dep_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{web}:88",
              "github-actions-fulfil")
    sc.change(dep_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl_}/{web}", "github-actions-fulfil")
    sc.alarm("fulfil-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             1.0, "GreaterThanThreshold", "fulfil-web average response time above 1 s")
    sc.alarm("fulfil-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "fulfil-web-latency", "root_cause": {"category": "cpu_saturation", "resource": [db]}}
    meta(sc, front="front (ALB -> dispatch-api, whose database is saturating)",
         decoys="dispatch-api deploy 50 min before now, 20 min after the climb began (same slope before and after, same "
         "statements); dispatch-worker deploy 3.9 h earlier; second alarm on the DB CPU; constant carrier-rate WARN",
         services="ALB, ECS Fargate (web and worker), RDS PostgreSQL, EC2", runtime="Ruby 3.3 (Rails 7.1, good_job)",
         logfmt="Rails lograge, ActiveJob lines, Puma boot, RDS PostgreSQL log with autovacuum detail, cron",
         story="At -70 min the weekly warehouse export on bi-export-1 opened a pg_dump snapshot on fulfil-pg. From "
         "then on autovacuum of the Postgres-backed job queue `good_jobs` removes nothing (`0 removed ... N are dead but "
         "not yet removable, oldest xmin` frozen at one value, N growing by ~7 k a minute), so every queue poll and "
         "pending-job check walks an ever longer chain of dead rows. fulfil-pg's CPU climbs steadily from ~34 % to "
         "~97 %, the slow-statement log fills with those two good_jobs statements from both the web and the worker "
         "user, and the site's response time follows. dispatch-api's deploy at -50 min lands in the middle of the "
         "climb and changes nothing (same slope, same statements, same request mix). No change explains the "
         "saturation; the exhausted resource is the database: cpu_saturation on fulfil-pg.")
    return sc


BUILDERS = [build_05, build_06]
