"""h59-05 (one read replica stops replaying) and h59-06 (tasks leak memory until killed)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import jline, pg, serilog


# =========================================================================== h59-05
def s05() -> Scenario:
    sc = Scenario(5, "ledger-web-read-5xx", "Ledger web 5xx alarm; balance pages fail for some "
                  "customers, transfers look fine.", "us-east-2", 5905, "2026-08-11T15:30:00")
    lb = "app/ledger-web/8e1f2a9b3c4d5e6f"
    cluster, svc = "core-prod", "balance-svc"
    prim, r1, r2 = "pg-ledger-primary", "pg-ledger-replica-1", "pg-ledger-replica-2"
    q0, limit = -3900, 300
    onset = q0 + limit
    sc.resource("alb", lb, name="ledger-web", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=6, cpu=1024,
                memory=2048, image="balance-svc:2026.08.11-1",
                environment=["READ_REPLICAS", "MAX_STALENESS_S", "PRIMARY_DSN"])
    sc.resource("rds", prim, engine="postgres", engine_version="16.3",
                instance_class="db.r6g.2xlarge", max_connections=2000, allocated_storage_gb=1500)
    for r in (r1, r2):
        sc.resource("rds", r, engine="postgres", engine_version="16.3",
                    instance_class="db.r6g.xlarge", max_connections=1000,
                    allocated_storage_gb=1500, read_replica_source=prim,
                    max_standby_streaming_delay=-1, hot_standby_feedback=False)
    load = lambda t: 2400 * diurnal(sc, t, 15.0, 0.2)
    bad = lambda t: 0.3 * 0.5 * ramp(t, onset - 20, onset + 40)
    req = sc.series(load, integer=True, noise=0.03)
    t5 = sc.series(lambda t: 0.8 + load(t) * bad(t), integer=True, noise=0.05)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lambda t: 0.034, noise=0.1),
                    healthy=[6.0] * len(GRID), unhealthy=[0.0] * len(GRID))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 31 * diurnal(sc, t, 15.0, 0.2),
                                                noise=0.06), sc.series(lambda t: 47.0, noise=0.02))
    lag_q = lambda t: max(0.0, t - q0) if t >= q0 else 0.0
    for db, cpu_fn, lag_fn, conns in (
            (prim, lambda t: 38 + bump(t, -4500, -4140, 31.0, 120), None, 410),
            (r1, lambda t: 24.0, lambda t: 0.0, 180),
            (r2, lambda t: 24.0 + 9 * ramp(t, q0, q0 + 60), lag_q, 182)):
        extra = {"WriteIOPS": ("Count/Second", sc.series(lambda t: 900.0, noise=0.1))}
        if lag_fn:
            extra["ReplicaLag"] = ("Seconds", sc.series(lambda t, f=lag_fn: f(t) + 0.4,
                                                         noise=0.05, abs_noise=0.25, digits=1))
        kit.flat_rds(sc, db, cpu_fn, lambda t, c=conns: c, 1500, 611, 18.0, extra=extra)

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{svc}"
    tasks = [sc.hexid(32) for _ in range(6)]
    routes = [(40, "POST", "/v1/transfers", None), (20, "GET", "/v1/transfers/{id}", None),
              (18, "GET", "/v1/accounts/{id}/balance", "r"), (12, "GET", "/v1/accounts/{id}/"
                                                                    "statements", "r"),
              (10, "POST", "/v1/holds", None)]

    def lf(t, level, msg, **kw):
        parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
        parts += [f"{k}={v}" for k, v in kw.items()]
        return " ".join(parts)

    for task in tasks:
        stream = f"balance-svc/balance-svc/{task}"

        def req_line(t):
            m, path, kind = kit.pick(sc, [(w, (m, p, k)) for w, m, p, k in routes])
            path = path.replace("{id}", f"acc_{sc.rng.randint(10 ** 6, 10 ** 7)}")
            rid = sc.hexid(16)
            if kind:
                rep = r1 if sc.rng.random() < 0.5 else r2
                lag = lag_q(t) + sc.rng.uniform(0.1, 1.2)
                if lag > limit:
                    return lf(t, "ERROR", "replica too stale, refusing read", method=m, path=path,
                              replica=rep, lag_s=int(lag), max_staleness_s=limit, status=503,
                              req_id=rid)
                return lf(t, "INFO", "request", method=m, path=path, status=200,
                          dur_ms=sc.rng.randint(4, 30), db=rep, req_id=rid)
            return lf(t, "INFO", "request", method=m, path=path, status=sc.rng.choice([200, 201]),
                      dur_ms=sc.rng.randint(8, 60), db=prim, req_id=rid)
        kit.events(sc, grp, stream, lambda t: 1.6, req_line)
        kit.events(sc, grp, stream, lambda t: 0.12, lambda t: lf(
            t, "WARN", "idempotency key reused", key=f"idk_{sc.hexid(12)}", action="replayed"))
        kit.events(sc, grp, stream, lambda t: 0.08, lambda t: lf(
            t, "ERROR", "fx-rates lookup failed", err='"context deadline exceeded '
            '(Client.Timeout exceeded while awaiting headers)"', upstream="fxrates.partner.example",
            fallback="cached"))
    pgl = "/aws/rds/instance/{}/postgresql"
    for db in (prim, r1, r2):
        kit.periodic(sc, pgl.format(db), f"{db}.0", 300, lambda t: pg(
            sc, t, "LOG", ("checkpoint" if db == prim else "restartpoint") + f" complete: wrote "
            f"{sc.rng.randint(2000, 9000)} buffers ({sc.rng.uniform(0.4, 2):.1f}%); write="
            f"{sc.rng.uniform(30, 120):.3f} s, sync=0.006 s", pid=604),
            end=(q0 + 30 if db == r2 else 0))
    sc.log(pgl.format(r2), f"{r2}.0", q0 - 14, pg(
        sc, q0 - 14, "LOG", "connection authorized: user=analyst_ro database=ledger "
        "application_name=Metabase v0.49.7 SSL enabled (protocol=TLSv1.3)", client="10.30.9.88"
        "(51514)", user="analyst_ro", db="ledger", pid=28114))
    sc.log(pgl.format(r2), f"{r2}.0", q0 + 1.1, pg(
        sc, q0 + 1.1, "LOG", "recovery still waiting after 1000.412 ms: recovery conflict on "
        "snapshot\nDETAIL:  Conflicting process: 28114.\nCONTEXT:  WAL redo at 3A/7F0021C8 for "
        "Heap2/PRUNE: snapshotConflictHorizon: 917245511, nredirected: 0, ndead: 14; blkref #0: "
        "rel 1663/16401/24577, blk 88120", pid=87))
    sc.log(pgl.format(prim), f"{prim}.0", -4460, pg(
        sc, -4460, "LOG", "automatic vacuum of table \"ledger.public.ledger_entries\": index "
        "scans: 2\n\tpages: 0 removed, 9120442 remain, 2210034 scanned (24.23% of total)", pid=3310))

    sc.alarm("ledger-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 50, "GreaterThanThreshold", "Ledger web 5xx")
    sc.alarm("pg-ledger-primary-cpu", "AWS/RDS", "CPUUtilization",
             {"DBInstanceIdentifier": prim}, "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.change(-18400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{svc}", "github-actions-deploy")
    sc.change(-3700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", prim,
              "dba-ravi")
    kit.check_alarm(sc, "ledger-web-5xx", latest=onset + 300, earliest=onset)
    sc.expect = {"alarm": "ledger-web-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [r2]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "ReplicaLag",
                                "dimensions": {"DBInstanceIdentifier": r2}}]}
    return sc


# =========================================================================== h59-06
def s06() -> Scenario:
    sc = Scenario(6, "quotes-edge-502-bursts", "Bursts of 502s on the quotes load balancer "
                  "over the last hour; brokers see intermittent failures.", "eu-west-2", 5906,
                  "2026-09-03T13:50:00")
    lb = "app/quotes-edge/2b7c9d1e0f3a4b5c"
    cluster, svc, other = "web-prod", "quote-api", "quote-pdf"
    kills = [-4620, -3300, -1980, -230]
    rate = 8.5 / 3600  # percent per second
    sc.resource("alb", lb, name="quotes-edge", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, image="quote-api:3.14.2", runtime="dotnet8")
    sc.resource("ecs", f"{cluster}/{other}", launch_type="FARGATE", desired_count=2, cpu=512,
                memory=1024, image="quote-pdf:1.9.0")

    def task_mem(i, t):
        k = kills[i]
        return 100 - rate * (k - t) if t < k else 28 + rate * (t - k - 60)
    avg_mem = lambda t: sum(min(100.0, task_mem(i, t)) for i in range(4)) / 4
    near = lambda t: max(ramp(task_mem(i, t), 85, 99) if t < kills[i] else 0 for i in range(4))
    burst = lambda t: max(bump(t, k, k + 90, 1.0, 30) for k in kills)
    load = lambda t: 900 * diurnal(sc, t, 13.0, 0.3)
    req = sc.series(load, integer=True, noise=0.03)
    e5 = sc.series(lambda t: 34 * burst(t), integer=True, noise=0.1)
    t5 = sc.series(lambda t: 0.5, integer=True)
    rt = sc.series(lambda t: 0.09 + 0.35 * near(t), noise=0.08)
    kit.alb_metrics(sc, lb, req, t5, rt, e5xx=e5, healthy=sc.series(
        lambda t: 4 - burst(t), integer=True, noise=0.0), unhealthy=[0.0] * len(GRID))
    running = sc.series(lambda t: 4 - (1 if burst(t) > 0.5 else 0), noise=0.0, digits=0)
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 27 + 25 * near(t), noise=0.07),
                    sc.series(avg_mem, noise=0.004, cap=100.0), running)
    kit.ecs_metrics(sc, cluster, other, sc.series(lambda t: 12.0, noise=0.1),
                    sc.series(lambda t: 38.0, noise=0.02), sc.series(lambda t: 2.0, noise=0.0))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{svc}"
    ids = [[sc.hexid(32)] for _ in range(4)]
    for i in range(4):
        ids[i].append(sc.hexid(32))
    for i in range(4):
        for gen, (a, b) in enumerate(((-14400, kills[i]), (kills[i] + 55, 0))):
            stream = f"quote-api/quote-api/{ids[i][gen]}"
            if gen == 1:
                for dt, msg in ((0, "Now listening on: http://[::]:8080"),
                                (0.4, "Application started. Press Ctrl+C to shut down."),
                                (0.5, "Hosting environment: Production")):
                    sc.log(grp, stream, a + dt, serilog(sc, a + dt, "INF",
                                                        "Microsoft.Hosting.Lifetime", msg))
            kit.events(sc, grp, stream, lambda t: 1.5, lambda t: serilog(
                sc, t, "INF", "Quotes.Api.Endpoints.QuoteEndpoint",
                f"Quote Q-{sc.rng.randint(10 ** 6, 10 ** 7)} priced for broker "
                f"{sc.rng.choice(['BRK-118', 'BRK-204', 'BRK-331', 'BRK-077'])} in "
                f"{sc.rng.randint(20, 140)} ms"), start=a, end=b)
            kit.events(sc, grp, stream, lambda t: 0.1, lambda t: serilog(
                sc, t, "ERR", "Quotes.Api.Validation.PostcodeValidator",
                f"Postcode lookup failed for '{sc.rng.choice(['XX1 1XX', 'ZZ99 9ZZ', 'AB1 2'])}'"
                ": address service returned 404"), start=a, end=b)
            kit.events(sc, grp, stream, lambda t, i=i: 3 * ramp(task_mem(i, t), 82, 99)
                       if t < kills[i] else 0.0, lambda t, i=i: serilog(
                sc, t, "WRN", "Quotes.Api.Diagnostics.GcMonitor",
                f"Gen2 GC pause {0.3 + 1.6 * ramp(task_mem(i, t), 80, 99):.2f}s, managed heap "
                f"{1.80 * min(99.5, task_mem(i, t)) / 100:.2f} GB of 1.80 GB limit, "
                f"PriceCurveCache entries={int(40000 + 5200 * (t + 21600) / 3600)}"),
                start=a, end=b)
    ev = "/aws/events/ecs/web-prod"
    for i, k in enumerate(kills):
        arn = f"arn:aws:ecs:eu-west-2:{sc.account}:task/{cluster}/"
        sc.log(ev, "ecs-task-state-change", k + 8, jline({
            "detail-type": "ECS Task State Change", "source": "aws.ecs", "time": sc.iso(k + 8, 0),
            "detail": {"group": f"service:{svc}", "lastStatus": "STOPPED",
                       "stopCode": "EssentialContainerExited",
                       "stoppedReason": "OutOfMemoryError: Container killed due to memory usage",
                       "taskArn": arn + ids[i][0], "containers": [
                           {"name": "quote-api", "exitCode": 137, "lastStatus": "STOPPED"}]}}))
        sc.log(ev, "ecs-task-state-change", k + 52, jline({
            "detail-type": "ECS Task State Change", "source": "aws.ecs",
            "time": sc.iso(k + 52, 0), "detail": {"group": f"service:{svc}", "lastStatus":
                                                  "RUNNING", "taskArn": arn + ids[i][1]}}))
    for k in (-4800 + 20, -4800 + 95):
        sc.log(ev, "ecs-task-state-change", k, jline({
            "detail-type": "ECS Task State Change", "source": "aws.ecs", "time": sc.iso(k, 0),
            "detail": {"group": f"service:{other}", "lastStatus": "RUNNING",
                       "taskArn": f"arn:aws:ecs:eu-west-2:{sc.account}:task/{cluster}/"
                                  f"{sc.hexid(32)}"}}))

    sc.alarm("quotes-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 300, 1, 20, "GreaterThanThreshold",
             "quotes-edge 5xx generated by the load balancer")
    sc.alarm("quotes-edge-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.0, "GreaterThanThreshold")
    sc.change(-4800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{other}", "github-actions")
    sc.change(-4815, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              other, "github-actions")
    kit.check_alarm(sc, "quotes-edge-elb-5xx", latest=-1, earliest=-600)
    sc.expect = {"alarm": "quotes-edge-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion",
                                "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cluster, "ServiceName": svc}}]}
    return sc
