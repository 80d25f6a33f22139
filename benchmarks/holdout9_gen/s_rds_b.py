"""RDS scenarios, part 2: CPU saturation behind an API, and an unexplained latency blip."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, N, START, T, Ctx, apigw_metrics, ec2_metrics, lambda_metrics
from .logfmt import lambda_log, pg, plan_counts, py, times_in
from .s_rds import SCENARIOS_A, _rds


def h07_catalog_db_cpu():
    ctx = Ctx(907, "h9-07-catalog-search-db-cpu", "sa-east-1", datetime(2026, 10, 6, 20, 30))
    onset = -2700
    ctx.resource("apigateway", "catalog-api")
    ctx.resource("lambda", "catalog-search")
    ctx.resource("rds", "catalog-db")
    ctx.resource("ec2", "i-0e5d7c3b9a1f24680", name="etl-1", log_groups=["/etl/jobs"])
    host = "catalog-db.ch4n9eo1l3xk.sa-east-1.rds.amazonaws.com"
    r = ctx.ramp(onset, onset + 300)
    cpu = np.clip(ctx.noise(ctx.drift(34, 0.12), 3) * (1 - r) + r * (100 - np.abs(ctx.rng.normal(1.5, 1.5, N))), 1, 100)
    _rds(ctx, "catalog-db", cpu, ctx.noise(42 + 38 * r, 3), storage_free=410e9, read=0.0008, write=0.0015, mem=11e9)
    base = ctx.drift(26, 0.15)
    plan = plan_counts(ctx, ok=base, slowlog=np.full(N, 0.4))

    def render(kind, rid, t):
        q = str(ctx.rng.choice(["tenis corrida", "geladeira frost free", "notebook i7", "cafeteira", "bicicleta aro 29", "fone bluetooth"]))
        db_ms = ctx.rng.uniform(15, 70) if t < onset + 120 else ctx.rng.uniform(2500, 7000)
        d = db_ms + ctx.rng.uniform(40, 90)
        lines = [(0.005, py("INFO", ctx, t, rid, f"search q='{q}' page=1 sort=relevance"))]
        if kind == "slowlog" or db_ms > 2000:
            lines.append((d / 1000 - 0.02, py("WARNING", ctx, t, rid, f"slow query {int(db_ms)} ms on {host}/catalog (search_products)")))
        lines.append((d / 1000 - 0.005, py("INFO", ctx, t, rid, f"search returned {int(ctx.rng.integers(0, 48))} results db_ms={int(db_ms)}")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(120, 150))}

    inv, err, dur = lambda_log(ctx, "catalog-search", "python3.12", 512, plan, render, 30)
    lambda_metrics(ctx, "catalog-search", inv, err, dur)
    apigw_metrics(ctx, "catalog-api", inv, ctx.poisson(np.full(N, 0.3)), np.zeros(N), dur + ctx.noise(14, 2))
    pglog = [(t, pg(ctx, t, f"LOG:  checkpoint complete: wrote {int(ctx.rng.integers(400, 2200))} buffers "
                             f"({ctx.rng.uniform(0.2, 1.8):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=399))
             for t in np.arange(START + 40, 0, 300.0)]
    pglog.append((-2790, pg(ctx, -2790, 'LOG:  automatic analyze of table "catalog.public.products" system usage: CPU: user: 2.91 s, '
                                        "system: 0.11 s, elapsed: 4.37 s", pid=30211)))
    for t in times_in(ctx, np.where(T >= onset, 9.0, 0.06), START):
        ms = ctx.rng.uniform(1100, 1900) if t < onset else ctx.rng.uniform(2500, 9000)
        pglog.append((t, pg(ctx, t, f"LOG:  duration: {ms:.3f} ms  execute <unnamed>: SELECT p.id, p.title, p.price FROM products p "
                                    "WHERE p.active AND (p.title ILIKE $1 OR p.tags @> ARRAY[$2]) ORDER BY p.popularity DESC LIMIT 48",
                            client=f"10.30.{int(ctx.rng.integers(1, 9))}.{int(ctx.rng.integers(2, 250))}({int(ctx.rng.integers(30000, 60000))})",
                            user_db="search@catalog")))
    ctx.log("/aws/rds/instance/catalog-db/postgresql", "catalog-db.0", pglog)

    # etl-1: hourly price import pins its CPU for ~12 min (one run overlaps the onset)
    starts = [-20700 + 3600 * k for k in range(6)]
    burst = np.zeros(N)
    for s in starts:
        burst += ((T >= s) & (T < s + 720)).astype(float)
    ec2_metrics(ctx, "i-0e5d7c3b9a1f24680", np.clip(ctx.noise(6, 1.5) + burst * (92 + ctx.rng.normal(0, 3, N)), 0, 100),
                ctx.noise(3e5 + burst * 4.8e7, 5e4), ctx.noise(35 + 30 * burst, 1.5), ctx.noise(58.4, 0.2))
    etl = []
    for s in starts:
        etl.append((s + 2, f"{ctx.iso(s + 2)} INFO  price_import: run started feed=supplier-prices-full"))
        etl.append((s + 700, f"{ctx.iso(s + 700)} INFO  price_import: run finished rows={int(ctx.rng.integers(1_800_000, 2_100_000))} "
                             f"elapsed={int(ctx.rng.integers(690, 712))}s"))
        for k in range(1, 12):
            etl.append((s + 60 * k, f"{ctx.iso(s + 60 * k)} INFO  price_import: parsed chunk {k}/12"))
    ctx.log("/etl/jobs", "i-0e5d7c3b9a1f24680", etl)
    ctx.alarm("catalog-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "catalog-api"}, "Average", 300, 2, 2000,
              description="Catalog API average latency")
    data = ctx.build("Product search very slow on the storefront; catalog-api latency alarm.",
                     {"alarm": "catalog-api-latency", "root_cause": {"category": "cpu_saturation", "resource": ["catalog-db"]},
                      "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": "catalog-db"}}]})
    meta = dict(alarm="catalog-api-latency", category="cpu_saturation", resources=["catalog-db"],
                decoys="etl-1 EC2 pins its CPU for 12 min every hour (one run overlaps the onset); occasional slow queries before onset",
                story="After an automatic ANALYZE of products, the search query switched to a worse plan; every search now "
                      "burns CPU on catalog-db, which sits at ~100% from 45 min ago. Queries take 2.5-9 s, catalog-search "
                      "duration and API latency follow. No errors, no deploy. The ETL box's hourly CPU spikes are routine.")
    return data, meta


def h12_ledger_latency_blip():
    ctx = Ctx(912, "h9-12-ledger-read-latency-blip", "eu-central-1", datetime(2026, 11, 2, 13, 45))
    ctx.resource("rds", "ledger-pg")
    ctx.resource("rds", "ledger-pg-replica")
    ctx.resource("lambda", "ledger-api")
    blip = (T >= -420).astype(float)
    rl = ctx.noise(0.0014, 0.0002) + blip * np.abs(ctx.rng.normal(0.034, 0.01, N))
    _rds(ctx, "ledger-pg", ctx.noise(ctx.drift(27, 0.1), 2.5), ctx.noise(58, 3), storage_free=730e9, rl=rl, mem=14e9)
    _rds(ctx, "ledger-pg-replica", ctx.noise(12, 1.5) + 40 * np.exp(-((T + 1230) / 120.0) ** 2), ctx.noise(21, 2),
         storage_free=730e9, read=0.0011, mem=14.3e9)
    base = ctx.drift(19, 0.2)
    plan = plan_counts(ctx, ok=base, dup=np.full(N, 2.2))

    def render(kind, rid, t):
        tx = f"tx_{ctx.hexid(12)}"
        lines = [(0.004, py("INFO", ctx, t, rid, f"POST /v1/entries idempotency_key={ctx.hexid(16)} amount_cents={int(ctx.rng.integers(100, 900000))}"))]
        if kind == "dup":
            lines.append((0.03, "[ERROR]\t" + ctx.iso(t) + f"\t{rid}\tInsert failed, returning 409\nTraceback (most recent call last):\n"
                                "  File \"/var/task/ledger/entries.py\", line 64, in create\n    cur.execute(INSERT_ENTRY, params)\n"
                                "psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint \"idempotency_keys_pkey\"\n"
                                "DETAIL:  Key (key)=(" + ctx.hexid(16) + ") already exists."))
            return {"lines": lines, "dur": ctx.rng.uniform(25, 60), "mem": 101}
        d = ctx.rng.uniform(30, 95)
        lines.append((d / 1000 - 0.003, py("INFO", ctx, t, rid, f"entry {tx} committed")))
        return {"lines": lines, "dur": d, "mem": int(ctx.rng.integers(98, 110))}

    inv, err, dur = lambda_log(ctx, "ledger-api", "python3.12", 256, plan, render, 10)
    lambda_metrics(ctx, "ledger-api", inv, err, dur)
    pglog = [(t, pg(ctx, t, f"LOG:  checkpoint complete: wrote {int(ctx.rng.integers(2000, 6000))} buffers "
                             f"({ctx.rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=512))
             for t in np.arange(START + 95, 0, 300.0)]
    for t in times_in(ctx, np.full(N, 2.2), LOG_START):
        c = f"10.12.{int(ctx.rng.integers(1, 9))}.{int(ctx.rng.integers(2, 250))}({int(ctx.rng.integers(30000, 60000))})"
        pid = int(ctx.rng.integers(1200, 32000))
        pglog.append((t, pg(ctx, t, 'ERROR:  duplicate key value violates unique constraint "idempotency_keys_pkey"', client=c,
                            user_db="ledger_app@ledger", pid=pid)))
        pglog.append((t + 0.0005, pg(ctx, t, f"DETAIL:  Key (key)=({ctx.hexid(16)}) already exists.", client=c, user_db="ledger_app@ledger", pid=pid)))
    ctx.log("/aws/rds/instance/ledger-pg/postgresql", "ledger-pg.0", pglog)
    ctx.change(-9000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "ledger-pg-replica", "dba.lena")
    ctx.alarm("ledger-pg-read-latency", "AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": "ledger-pg"}, "Average", 60, 3, 0.02,
              description="ledger-pg read latency above 20 ms")
    data = ctx.build("ledger-pg ReadLatency alarm fired; no user reports so far.",
                     {"alarm": "ledger-pg-read-latency", "root_cause": {"category": "unknown", "resource": ["ledger-pg"]},
                      "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": "ledger-pg"}}]})
    meta = dict(alarm="ledger-pg-read-latency", category="unknown", resources=["ledger-pg"],
                decoys="loud but steady UniqueViolation ERRORs (Lambda and postgres log) for 6 h; replica CPU bump 20 min "
                       "earlier; ModifyDBInstance on the replica 2.5 h earlier",
                story="ReadLatency on ledger-pg rose from ~1.4 ms to 25-50 ms for the last 7 minutes. CPU, connections, "
                      "queue depth, the function's duration and error rate are all unchanged; the only errors are the "
                      "idempotency-key duplicates that have been logged at the same rate all day. Nothing in the account "
                      "explains the blip (most likely a transient storage hiccup); the right answer is 'unknown'.")
    return data, meta


SCENARIOS = [*SCENARIOS_A, h07_catalog_db_cpu, h12_ledger_latency_blip]
