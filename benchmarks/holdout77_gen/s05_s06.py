"""h77-05 (feature store out of connection slots) and h77-06 (one CPU-bound scoring worker pinned)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, alb_metrics, bump, diurnal, ec2_metrics, ecs_metrics, golog,
                  lam, lam_metrics, lambda_deploy, laravel, logfmt_writer, nginx, pg, ramp, rds_metrics,
                  run_lambda)

logfmt = logfmt_writer("ts", quote_msg=True)


def s05() -> S77:
    sc = S77(5, "online-features-5xx",
             "features-online ALB target 5XX alarm; recommendation and fraud callers get empty feature sets.",
             "eu-central-1", 7705, "2026-03-11T13:35:00+00:00")
    lb, cl, db, bf = "app/features-online/9a1e4c7b2f0d3e58", "feature-platform", "fstore-pg-main", "materialize-backfill"
    php = "i-04c1e9a7b3d25f816"
    sc.resource("alb", lb, name="features-online", scheme="internal")
    sc.resource("ecs", f"{cl}/online-features", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=8,
                runtime="go1.22 pgx", pool_max_conns=20)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
                max_connections=400, allocated_storage_gb=1000)
    sc.resource("lambda", bf, runtime="python3.12", timeout=900, memory_size=2048, schedule="cron(50 * * * ? *)")
    sc.resource("ec2", php, name="registry-ui-1", instance_type="t3.medium", log_groups=["/registry-ui/laravel"])
    run0 = -2700
    runs = [run0 - 3600 * k for k in range(1, 6)]
    small = lambda t: sum(bump(t, r + 60, r + 540, 1, 60) for r in runs)  # noqa: E731
    big = lambda t: ramp(t, run0 + 60, run0 + 200)  # noqa: E731 the current run does not finish
    scale = lambda t: 8 + 4 * (t >= -2400)  # noqa: E731
    conns = lambda t: min(399.0, 14 * scale(t) * 0.98 + 30 * small(t) + 330 * big(t))  # noqa: E731
    exh = lambda t: ramp(t, -2600, -2520)  # noqa: E731
    req = lambda t: 2400 * diurnal(sc, t, 12.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.018 + 0.35 * exh(t), lambda t: 0.3 + 0.22 * req(t) * exh(t),
                healthy=lambda t: scale(t) if t < -2340 else 12)
    ecs_metrics(sc, cl, "online-features", lambda t: 46 * diurnal(sc, t, 12, 0.2) * (1 + 0.2 * exh(t)) * 8 / scale(t),
                lambda t: 38, lambda t: scale(t) if t < -2340 else 12, scale)
    rds_metrics(sc, db, lambda t: 31 + 9 * small(t) + 24 * big(t), conns, lambda t: 488,
                mem_gb=lambda t: 21 - 5 * big(t), max_conns=400)
    bv, be = lam_metrics(sc, bf, lambda t: 3 * small(t) + 140 * big(t), lambda t: 0.0, lambda t: 52000,
                         conc=lambda t: 1 + 20 * small(t) + 150 * big(t), err_frac=lambda t: 0.18 * exh(t))
    ec2_metrics(sc, php, lambda t: 9, mem=lambda t: 61)
    # ---------------------------------------------------------------- online-features (logfmt)
    tk = Tasks(sc, "online-features", "app")
    tk.add(8, -50000)
    tk.add(4, -2340, tag="scaled")
    views = ["user_txn_30d", "user_7d_agg", "merchant_risk_v3", "device_graph_1h"]

    def line(t):
        k = tk.at(t)
        if not k:
            return
        st, r = tk.stream(k), sc.rng.random()
        if r < 0.55 * exh(t):
            text = logfmt(sc, t, "error", "feature fetch failed", path="/v2/features", status=503, err=(
                f"failed to connect to `host={db}.cq7x0kd1vbnm.eu-central-1.rds.amazonaws.com user=features "
                "database=features`: server error (FATAL: remaining connection slots are reserved for "
                "non-replication superuser connections (SQLSTATE 53300))"))
        elif r < 0.12 + 0.55 * exh(t):
            text = logfmt(sc, t, "warn", "feature view stale", view="user_7d_agg", lag_s=sc.rng.randint(610, 900))
        else:
            text = logfmt(sc, t, "info", "served", path="/v2/features", status=200, view=sc.pick(views),
                          entities=sc.rng.randint(1, 64), dur=f"{sc.rng.uniform(3, 22):.1f}ms")
        sc.log("/ecs/online-features", st, t, text)
    sc.emit("/ecs/online-features", "-", LOG_START, 0, 4.0, line)
    for k in tk.live(-2300, "scaled"):
        sc.log("/ecs/online-features", tk.stream(k), k["start"] + 1.5, logfmt(
            sc, k["start"] + 1.5, "info", "pgxpool configured", max_conns=20, min_conns=10, host=db))
    # ---------------------------------------------------------------- backfill lambda
    ll = lam(sc, bf, "python3.12", 2048, 900, mem_used=(840, 60))

    def body(ll, t, rid, err, cold):
        part = f"dt=2026-03-{sc.rng.randint(1, 10):02d}/bucket={sc.rng.randint(0, 511):03d}"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"materializing feature view user_txn_30d partition {part}"))]
        if err:
            return {"dur": sc.rng.gauss(900, 200), "lines": lines + [(0.8, ll.fmt(
                t + 0.8, rid, "ERROR", "OperationalError: connection to server at \"fstore-pg-main.cq7x0kd1vbnm."
                "eu-central-1.rds.amazonaws.com\" (10.60.4.12), port 5432 failed: FATAL:  sorry, too many clients "
                "already\nTraceback (most recent call last):\n  File \"/var/task/materialize.py\", line 77, in "
                "handler\n    conn = psycopg2.connect(DSN)\npsycopg2.OperationalError: connection to server "
                "failed: FATAL:  sorry, too many clients already"))]}
        return {"dur": sc.rng.gauss(52000, 9000), "lines": lines + [(40, ll.fmt(
            t + 40, rid, "INFO", f"upserted {sc.rng.randint(40000, 90000)} rows into user_txn_30d"))]}
    run_lambda(ll, bv, be, body, ratio=0.04)
    # ---------------------------------------------------------------- RDS log, PHP box
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(LOG_START, 0, 300):
        sc.log(rg, rs, t + sc.rng.uniform(0, 20), pg(sc, t, "LOG", f"checkpoint complete: wrote "
                                                       f"{sc.rng.randint(3000, 12000)} buffers", pid=702))
    sc.emit(rg, rs, -2600, 0, lambda t: 4 * exh(t), lambda t: pg(
        sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections"
        if sc.rng.random() < 0.7 else "sorry, too many clients already", client=f"{sc.ip('10.60')}({sc.rng.randint(30000, 60000)})",
        user=sc.pick(["features", "features", "materialize"]), db="features"))
    sc.emit("/registry-ui/laravel", php, LOG_START, 0, 0.6, lambda t: laravel(
        sc, t, "error", "Undefined array key \"owner\" {\"exception\":\"[object] (ErrorException(code: 0): Undefined "
        "array key \\\"owner\\\" at /var/www/registry/app/Http/Controllers/FeatureViewController.php:88)\"}"))
    # ---------------------------------------------------------------- changes, alarms
    lambda_deploy(sc, -20100, bf, "github-actions-data")
    sc.change(-2620, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", php, "m.weber@featureops.de")
    sc.change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/online-features",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("features-online-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 30, "GreaterThanThreshold", "Online feature service 5XX")
    sc.alarm(f"{db}-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum",
             60, 5, 360, "GreaterThanThreshold")
    sc.expect_root("features-online-target-5xx", "db_connection_exhaustion", [db],
                   [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta.update(
        origin_type="rds", front="front (ALB → ECS → RDS)",
        decoys="instance attribute change on the PHP registry box 80 s before saturation; autoscaling "
               "UpdateService on the front service after onset; hourly backfill bumps; steady Laravel "
               "ErrorExceptions and stale-view WARNs",
        story="The hourly materialize-backfill run that starts at -45 min fans out to ~150 concurrent "
              "invocations, each opening its own connection; DatabaseConnections on fstore-pg-main climbs from "
              "~110 to 398 of max_connections 400 within four minutes (earlier runs only added ~30). "
              "online-features then fails to open pool connections with `FATAL: remaining connection slots "
              "are reserved ... (SQLSTATE 53300)`, the RDS log fills with the same FATALs and `sorry, too many "
              "clients already`, and the ALB target 5XX alarm fires. Autoscaling adds four tasks (and pools) "
              "afterwards, which does not help.",
        judgement="The backfill function is what consumed the slots, but the category table's evidence "
                  "(too many connections, connections metric at the limit) and the format's rule name the "
                  "exhausted database as the origin; the backfill is not accepted.")
    return sc


def s06() -> S77:
    sc = S77(6, "scoring-pool-latency",
             "scoring-pool ALB response-time alarm; offer ranking p99 above SLO.",
             "us-east-2", 7706, "2026-03-13T18:05:00+00:00")
    lb = "app/scoring-pool/6e2b90d1c4a7f385"
    hot, a, b = "i-0b71c3e9d2a4f5608", "i-02d4a8f6c1e3b5790", "i-0e5c7a9b3d1f2468a"
    names = {a: "scorer-01", b: "scorer-02", hot: "scorer-03"}
    sc.resource("alb", lb, name="scoring-pool", scheme="internal", idle_timeout_s=10)
    for iid in (a, b, hot):
        sc.resource("ec2", iid, name=names[iid], instance_type="c6i.2xlarge",
                    log_groups=["/scoring/app", "/scoring/nginx-access"])
    sc.resource("lambda", "score-report-mailer", runtime="python3.12", timeout=60, memory_size=256)
    on = -1620
    pin = lambda t: ramp(t, on, on + 180)  # noqa: E731
    req = lambda t: 1500 * diurnal(sc, t, 17.0, 0.25)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.11 + 0.95 * pin(t), lambda t: 0.2 + 0.004 * req(t) * pin(t),
                lambda t: 0.1 + 2.5 * pin(t), healthy=lambda t: 3)
    ec2_metrics(sc, hot, lambda t: 37 * diurnal(sc, t, 17, 0.25) + (99.4 - 37) * pin(t), mem=lambda t: 58 + 6 * pin(t))
    ec2_metrics(sc, a, lambda t: 36 * diurnal(sc, t, 17, 0.25) + bump(t, -10800, -9900, 52, 120), mem=lambda t: 57)
    ec2_metrics(sc, b, lambda t: 35 * diurnal(sc, t, 17, 0.25), mem=lambda t: 56)
    mv, me = lam_metrics(sc, "score-report-mailer", lambda t: 0.1, lambda t: 0.0, lambda t: 900, inv_noise=0.0)
    seg = ["offers", "offers", "bundles", "upsell"]
    for iid in (a, b, hot):
        slow = (lambda t: pin(t)) if iid == hot else (lambda t: 0.0)

        def acc(t, iid=iid, slow=slow):
            s = slow(t)
            rt = sc.rng.uniform(0.06, 0.2) if sc.rng.random() > s else sc.rng.uniform(1.8, 9.9)
            st = 200 if rt < 9.5 else 504
            if sc.rng.random() < 0.02:
                st, rt = 499, sc.rng.uniform(0.3, 1.0)
            return nginx(sc, t, sc.ip("10.8"), "POST", f"/v1/score/{sc.pick(seg)}", st, sc.rng.randint(900, 4000),
                         rt, ua="offer-svc/3.4 (go-http-client)")
        sc.emit("/scoring/nginx-access", iid, LOG_START, 0, 3.0, acc)

        def app(t, iid=iid, slow=slow):
            if sc.rng.random() < 0.2:
                return golog(sc, t, f"WARN slow feature fetch segment={sc.pick(seg)} took={sc.rng.randint(60, 140)}ms")
            p = sc.rng.uniform(40, 160) if sc.rng.random() > slow(t) else sc.rng.uniform(1800, 7000)
            return golog(sc, t, f"INFO scored batch size={sc.rng.randint(16, 64)} p50={p * 0.6:.0f}ms "
                                f"p99={p * 1.8:.0f}ms workers=16 queue={int(slow(t) * sc.rng.randint(300, 900))}")
        sc.emit("/scoring/app", iid, LOG_START, 0, 1.5, app)
    for i, txt in enumerate(["INFO ann: segment count 41 >= 40, scheduling background index rebuild",
                             "INFO ann: starting background index rebuild shards=64 workers=16 nice=0",
                             "INFO ann: rebuild shard 1/64 done in 212.4s"]):
        sc.log("/scoring/app", hot, on - 40 + i * 40 + (170 if i == 2 else 0), golog(sc, on - 40 + i * 40, txt))
    sc.emit("/scoring/app", hot, on + 600, 0, 0.3, lambda t: golog(
        sc, t, f"INFO ann: rebuild shard {int((t - on) / 210) + 1}/64 done in {sc.rng.uniform(190, 240):.1f}s"))
    sc.change(-1680, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "scoring-pool-tg", "sre-oncall")
    lambda_deploy(sc, -1650, "score-report-mailer", "github-actions-ml")
    sc.change(-16000, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", hot, "terraform-ci")
    sc.alarm("scoring-pool-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.6, "GreaterThanThreshold", "Scoring pool response time")
    sc.alarm("scorer-01-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.expect_root("scoring-pool-latency", "cpu_saturation", [hot, "scorer-03"],
                   [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": hot}}])
    sc.meta.update(
        origin_type="ec2", front="front (ALB → EC2 target)",
        decoys="target-group attribute change and a Lambda deploy 60 s and 30 s before onset; scorer-01's "
               "nightly CPU spike (old alarm); steady slow-feature-fetch WARNs and 499s on every instance",
        story="At -27 min scorer-03's ANN layer decides its segment count is high and starts a full index "
              "rebuild with 16 workers at normal priority. CPU on that instance climbs from ~37 % to 99 % and "
              "stays there; its nginx access log shows request times of 2-10 s (some 504s) while scorer-01 "
              "and -02 keep answering in ~0.1 s, so the pool's average TargetResponseTime rises above 0.6 s "
              "and the alarm fires. The target-group tweak and the mailer deploy just before onset leave no "
              "trace, and scorer-01's 88 % spike three hours ago was the nightly batch.",
        judgement="The rebuild is an application activity, not a change in CloudTrail; the decisive evidence "
                  "is one instance pinned at ~100 % with latency following, so cpu_saturation on scorer-03.")
    return sc


BUILDERS = [s05, s06]
