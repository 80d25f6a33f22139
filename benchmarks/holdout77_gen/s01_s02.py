"""h77-01 (ranker image rollout behind the edge ALB) and h77-02 (batch scorer settings change)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, alb_metrics, bump, diurnal, ecs_deploy, ecs_metrics,
                  lam, lam_metrics, lambda_config, lambda_deploy, pg, pyjson, ramp, rds_metrics,
                  run_lambda, uvicorn_access, zap)


def s01() -> S77:
    sc = S77(1, "inference-edge-5xx",
             "Inference edge ALB target 5XX alarm; mobile home feed shows the fallback carousel.",
             "us-east-1", 7701, "2026-03-10T16:40:00+00:00")
    lb, cl = "app/inference-edge/3f9c1b2d7a4e6c10", "inference-prod"
    sc.resource("alb", lb, name="inference-edge", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/ranker-svc", launch_type="FARGATE", cpu=2048, memory=4096,
                desired_count=6, image="ranker-svc:1.18.0", runtime="python3.11 uvicorn")
    sc.resource("ecs", f"{cl}/candidate-gen", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=4, image="candidate-gen:2.7.1", runtime="go1.22")
    sc.resource("lambda", "nightly-feature-sync", runtime="ruby3.3", timeout=120, memory_size=512)
    sc.resource("rds", "fs-online-01", engine="postgres", engine_version="15.5",
                instance_class="db.r6g.xlarge", max_connections=1700, allocated_storage_gb=500)
    dep, dec = -2940, -2850
    new = lambda t: ramp(t, -2880, -2700)  # noqa: E731 share of traffic on the new tasks
    req = lambda t: 900 * diurnal(sc, t)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.085 + 0.01 * new(t), lambda t: 0.6 + 0.34 * req(t) * new(t),
                healthy=lambda t: 10 + 6 * bump(t, -2880, -2700, 1, 60))
    ecs_metrics(sc, cl, "ranker-svc", lambda t: 41 * diurnal(sc, t) * (1 - 0.2 * new(t)), lambda t: 61,
                lambda t: 6 + 6 * bump(t, -2880, -2700, 1, 60), lambda t: 6)
    ecs_metrics(sc, cl, "candidate-gen", lambda t: 33 * diurnal(sc, t) + bump(t, -2830, -2700, 9, 60),
                lambda t: 44, lambda t: 4 + 4 * bump(t, -2800, -2690, 1, 60), lambda t: 4)
    rds_metrics(sc, "fs-online-01", lambda t: 22 + bump(t, -14300, -13300, 64, 240),
                lambda t: 180 * diurnal(sc, t), lambda t: 311 - 0.00002 * (t + 21600) / 60)
    fn_inv, fn_err = lam_metrics(sc, "nightly-feature-sync", lambda t: 0.2, lambda t: 0.0,
                                 lambda t: 8300, inv_noise=0.0,
                                 err_frac=lambda t: 0.4)
    # ---------------------------------------------------------------- ranker logs
    rk = Tasks(sc, "ranker", "ranker")
    old = rk.add(6, -40000, tag="old")
    for k in old:
        k["end"] = -2880 + sc.rng.uniform(40, 180)
    for k in rk.add(6, -2890, tag="new"):
        st = rk.stream(k)
        s0 = k["start"]
        for i, txt in enumerate([
                "Started server process [1]", "Waiting for application startup.",
                "model registry: fetched ranker-web gbdt v2026.02.21 (n_features=146)",
                "model registry: fetched ranker-mobile gbdt v2026.03.09-rc2 (n_features=142)",
                "feature schema: user_ctx v14 (146 columns)",
                "Application startup complete.", "Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)"]):
            sc.log("/ecs/ranker-svc", st, s0 + 4 + i * 0.7,
                   pyjson(sc, s0 + 4 + i * 0.7, "INFO", "uvicorn.error" if "Uvicorn" in txt or "process" in txt
                          or "startup" in txt else "ranker.models", txt, image="ranker-svc:1.18.0"))
    paths = ["/v1/rank?surface=mobile"] * 35 + ["/v1/rank?surface=web"] * 45 + ["/v1/similar"] * 20

    def access(t):
        k = rk.at(t)
        if not k:
            return None
        p = sc.pick(paths)
        status = 500 if (k["tag"] == "new" and "mobile" in p) else (422 if sc.rng.random() < 0.01 else 200)
        return rk.stream(k), uvicorn_access(sc, sc.ip(), "POST" if "rank" in p else "GET", p, status), k, p, status

    def emit_access(t):
        a = access(t)
        if not a:
            return
        st, line, k, p, status = a
        sc.log("/ecs/ranker-svc", st, t, line)
        if status == 500 and sc.rng.random() < 0.7:
            sc.log("/ecs/ranker-svc", st, t - 0.004, pyjson(
                sc, t - 0.004, "ERROR", "ranker.serve", "inference failed for surface=mobile",
                request_id=sc.uuid(), model="ranker-mobile", exc_info=(
                    "Traceback (most recent call last):\n  File \"/app/ranker/serve.py\", line 212, in rank\n"
                    "    scores = model.predict_proba(features)[:, 1]\n  File \"/app/.venv/lib/python3.11/site-"
                    "packages/sklearn/ensemble/_hist_gradient_boosting/gradient_boosting.py\", line 1975, in "
                    "predict_proba\n    raw_predictions = self._raw_predict(X)\nValueError: X has 146 features, "
                    "but HistGradientBoostingClassifier is expecting 142 features as input.")))
        return None
    sc.emit("/ecs/ranker-svc", "-", LOG_START, 0, lambda t: 4 * diurnal(sc, t), lambda t: emit_access(t))

    def warn(t):
        k = rk.at(t)
        if k:
            sc.log("/ecs/ranker-svc", rk.stream(k), t, pyjson(
                sc, t, "WARNING", "ranker.features", "feature store lookup miss; using cold-start defaults",
                user_id=sc.rng.randint(10 ** 7, 10 ** 8), missing=sc.rng.randint(9, 31)))
    sc.emit("/ecs/ranker-svc", "-", LOG_START, 0, 1.3, warn)
    # ---------------------------------------------------------------- candidate-gen (decoy deploy)
    cg = Tasks(sc, "cg", "candidate-gen")
    for k in cg.add(4, -40000, tag="old"):
        k["end"] = -2800 + sc.rng.uniform(30, 120)
    for k in cg.add(4, -2810, tag="new"):
        sc.log("/ecs/candidate-gen", cg.stream(k), k["start"] + 2, zap(
            sc, k["start"] + 2, "info", "starting candidate-gen", "cmd/server/main.go:58", version="2.7.1",
            ann_index="items-hnsw-2026-03-10"))

    def cgl(t):
        k = cg.at(t)
        if not k:
            return None
        if sc.rng.random() < 0.15:
            return zap(sc, t, "warn", "ann search degraded to brute force for small segment",
                       "internal/ann/search.go:141", segment=f"seg-{sc.rng.randint(1, 40)}")
        return zap(sc, t, "info", "candidates retrieved", "internal/api/handler.go:77",
                   n=sc.rng.randint(180, 400), took_ms=sc.ms(4, 19))
    sc.emit("/ecs/candidate-gen", lambda t: cg.stream(cg.at(t) or cg.tasks[0]), LOG_START, 0, 2.0, cgl)
    # ---------------------------------------------------------------- ruby lambda with old errors
    ll = lam(sc, "nightly-feature-sync", "ruby3.3", 512, 120)

    def rb(ll, t, rid, err, cold):
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"syncing partition dt=2026-03-10 shard={sc.rng.randint(0, 31)}"))]
        if err:
            lines.append((5.2, ll.fmt(t + 5, rid, "ERROR", "PG::UniqueViolation: ERROR:  duplicate key value violates "
                                      "unique constraint \"user_agg_7d_pkey\" (skipped batch)")))
        return {"lines": lines, "dur": sc.rng.gauss(8300, 900)}
    run_lambda(ll, fn_inv, fn_err, rb)
    for t in range(-21000, 0, 600):
        sc.log("/aws/rds/instance/fs-online-01/postgresql", "fs-online-01.0", t + sc.rng.uniform(0, 30),
               pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} buffers; "
                  f"0 WAL file(s) added, 0 removed, {sc.rng.randint(1, 4)} recycled", pid=611))
    # ---------------------------------------------------------------- changes, alarms
    ecs_deploy(sc, -17100, cl, "ranker-svc", "ranker-svc", 86, "ml-rollout-bot")
    ecs_deploy(sc, dep, cl, "ranker-svc", "ranker-svc", 87, "ml-rollout-bot")
    ecs_deploy(sc, dec, cl, "candidate-gen", "candidate-gen", 41, "ml-rollout-bot")
    lambda_deploy(sc, -12200, "nightly-feature-sync", "github-actions-data")
    sc.alarm("inference-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 40, "GreaterThanThreshold", "Edge ALB target 5XX")
    sc.alarm("fs-online-01-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "fs-online-01"},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.alarm("nightly-feature-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "nightly-feature-sync"},
             "Sum", 300, 1, 3, "GreaterThanThreshold")
    sc.expect_root("inference-edge-target-5xx", "bad_deployment", [f"{cl}/ranker-svc", "ranker-svc"],
                   [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                     "dimensions": {"LoadBalancer": lb}}])
    sc.meta.update(
        origin_type="ecs", front="front (ALB → ECS service)", services=["alb", "ecs", "lambda", "rds"],
        decoys="candidate-gen deploy 90 s closer to onset; steady feature-store-miss WARNINGs; Ruby "
               "lambda UniqueViolation errors all day; old RDS CPU alarm",
        story="ml-rollout-bot registers ranker-svc:87 and updates the service at -49 min; the new tasks log "
              "that they fetched ranker-mobile v2026.03.09-rc2 with 142 features while the feature schema "
              "still produces 146 columns. From -48 min every mobile-surface request on a new task fails with "
              "`ValueError: X has 146 features, but HistGradientBoostingClassifier is expecting 142`, the "
              "edge ALB's target 5XX climbs to about a third of requests and its alarm fires. candidate-gen "
              "was deployed 90 s later (closer to the onset) but its logs and metrics stay clean; the ranker "
              "WARNINGs about feature-store misses and the Ruby function's duplicate-key errors run at the "
              "same rate for hours before.",
        judgement="The faulty artefact is a model bundled into the ranker image rollout, so the category is "
                  "bad_deployment (a model rollout is a deployment), not config_change.")
    return sc


def s02() -> S77:
    sc = S77(2, "batch-runner-errors",
             "Batch scoring runner Errors alarm; churn scores for the morning campaign are not landing.",
             "eu-west-1", 7702, "2026-03-12T09:25:00+00:00")
    fn, nt = "score-batch-runner", "score-batch-notifier"
    sc.resource("lambda", fn, runtime="python3.12", timeout=300, memory_size=1024, event_source="sqs:score-batches")
    sc.resource("lambda", nt, runtime="nodejs20.x", timeout=30, memory_size=256)
    sc.resource("rds", "campaign-meta-pg", engine="postgres", instance_class="db.t4g.large",
                max_connections=410, allocated_storage_gb=100)
    cfg, dec = -2530, -2505
    bad = lambda t: t >= cfg + 20  # noqa: E731
    inv = lambda t: 8.0 * diurnal(sc, t, 10.0, 0.2) * (1.12 if bad(t) else 1.0)  # noqa: E731 SQS redeliveries
    iv, ev = lam_metrics(sc, fn, inv, lambda t: 0.02, lambda t: 45 if bad(t) else 2600,
                         err_frac=lambda t: 1.0 if bad(t) else 0.0)
    niv, nev = lam_metrics(sc, nt, lambda t: 1.5 * diurnal(sc, t, 10.0, 0.2), lambda t: 0.0, lambda t: 180)
    rds_metrics(sc, "campaign-meta-pg", lambda t: 14, lambda t: 33, lambda t: 71,
                queue=lambda t: 0.4 + bump(t, -2450, -2300, 0.5, 60))
    ll = lam(sc, fn, "python3.12", 1024, 300, retire=(-9800, cfg), mem_used=(610, 40))

    def body(ll, t, rid, err, cold):
        if err:
            return {"dur": sc.rng.gauss(45, 8), "mem": sc.rng.randint(118, 131), "lines": [(0.03, ll.fmt(
                t, rid, "ERROR", "ValidationError: 1 validation error for ScoringSettings\nscore_threshold\n  Input "
                "should be a valid number, unable to parse string as a number [type=float_parsing, input_value="
                "'0,35', input_type=str]\n    For further information visit https://errors.pydantic.dev/2.6/v/"
                "float_parsing\nTraceback (most recent call last):\n  File \"/var/task/handler.py\", line 31, in "
                "handler\n    settings = ScoringSettings()\n  File \"/var/task/pydantic_settings/main.py\", line "
                "84, in __init__\n    super().__init__(\n"))]}
        b = sc.hexid(8)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"scoring batch {b} records=500 model=churn-xgb@41 threshold=0.35"))]
        if sc.rng.random() < 0.2:
            lines.append((0.9, ll.fmt(t + 0.9, rid, "WARNING", "feature drift: psi=0.2%d for 'basket_size' exceeds "
                                      "0.20 (monitor only)" % sc.rng.randint(1, 6))))
        d = sc.rng.gauss(2600, 250)
        lines.append((d / 1000 - 0.02, ll.fmt(t + d / 1000, rid, "INFO", f"wrote 500 scores to s3://campaign-scores-euw1/"
                                              f"dt=2026-03-12/{b}.parquet")))
        return {"dur": d, "lines": lines}
    run_lambda(ll, iv, ev, body, ratio=0.5)
    nl = lam(sc, nt, "nodejs20.x", 256, 30, retire=(dec,), mem_used=(92, 6))

    def nbody(ll, t, rid, err, cold):
        return {"dur": sc.rng.gauss(180, 30), "lines": [(0.005, ll.fmt(
            t, rid, "INFO", f"notified campaign-service batch={sc.hexid(8)} status=queued"))]}
    run_lambda(nl, niv, nev, nbody, ratio=0.6)
    lambda_deploy(sc, -9800, fn, "github-actions-ml")
    lambda_config(sc, cfg, fn, "j.martin@acme-ml.io")
    lambda_deploy(sc, dec, nt, "github-actions-ml")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 10,
             "GreaterThanThreshold", "Batch scoring runner failures")
    sc.alarm(f"{nt}-errors", "AWS/Lambda", "Errors", {"FunctionName": nt}, "Sum", 300, 1, 1,
             "GreaterThanThreshold")
    sc.expect_root(f"{fn}-errors", "config_change", [fn],
                   [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta.update(
        origin_type="lambda", front="origin", services=["lambda", "rds"],
        decoys="code deploy of the notifier 25 s after the settings edit (closer to onset); an older deploy "
               "of the runner itself at -2.7 h; steady psi drift WARNINGs",
        story="At -42 min a person updates score-batch-runner's configuration (UpdateFunctionConfiguration). "
              "From the next batch on every invocation fails within ~45 ms with a pydantic ValidationError "
              "naming `score_threshold` with input_value '0,35' (a decimal comma), so Errors equals "
              "Invocations and SQS redeliveries push invocations up ~12 %. The runner's own code deploy at "
              "-2.7 h was followed by hours of clean batches, and the notifier deploy 25 s after the edit "
              "is a different function whose logs stay clean.",
        judgement="Errors name an invalid setting right after a configuration update of the same function: "
                  "config_change on the function.")
    return sc


BUILDERS = [s01, s02]
