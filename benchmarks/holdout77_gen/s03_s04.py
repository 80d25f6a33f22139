"""h77-03 (embedder loses S3 read on its task role) and h77-04 (feature-store storage I/O stall)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, apigw_exec, apigw_metrics, bump, diurnal, ecs_deploy, ecs_metrics,
                  lam, lam_metrics, lambda_config, pg, ramp, rds_metrics, run_lambda, zap)


def s03() -> S77:
    sc = S77(3, "vector-search-5xx",
             "vector-search-api 5XX alarm; product search falls back to keyword results.",
             "us-west-2", 7703, "2026-03-14T21:10:00+00:00")
    api, cl, apiid = "vector-search-api", "ml-serving", "k3v9x2m1qa"
    sc.resource("apigateway", api, stage="prod", integration="HTTP_PROXY via VPC link (NLB → ECS)")
    sc.resource("ecs", f"{cl}/embedder", launch_type="FARGATE", cpu=4096, memory=8192, desired_count=4,
                task_role="ml-serving-embedder-task", runtime="go1.22")
    sc.resource("ecs", f"{cl}/reranker", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=3,
                runtime="python3.11")
    sc.resource("lambda", "apikey-authorizer", runtime="nodejs20.x", timeout=5, memory_size=256)
    iam = -1980
    fail = lambda t: 0.45 * ramp(t, iam + 30, iam + 630)  # noqa: E731 cached shards expire over 10 min
    cnt = lambda t: 600 * diurnal(sc, t, 19.0, 0.3)  # noqa: E731
    apigw_metrics(sc, api, cnt, lambda t: 0.03 * cnt(t), lambda t: 0.2 + cnt(t) * fail(t),
                  lambda t: 95 + 30 * fail(t))
    ecs_metrics(sc, cl, "embedder", lambda t: 52 * diurnal(sc, t, 19.0, 0.3) * (1 - 0.3 * fail(t)), lambda t: 71,
                lambda t: 4)
    ecs_metrics(sc, cl, "reranker", lambda t: 30 + bump(t, -1900, -1780, 25, 60), lambda t: 48,
                lambda t: 3 + 3 * bump(t, -1900, -1790, 1, 30), lambda t: 3)
    av, ae = lam_metrics(sc, "apikey-authorizer", lambda t: 0.35 * cnt(t), lambda t: 0.0, lambda t: 11)
    # ---------------------------------------------------------------- embedder logs (zap JSON)
    em = Tasks(sc, "embedder", "embedder")
    em.add(4, -60000)
    shards = [f"s3://ml-artifacts-usw2/ann/products-2026-03-14/shard-{i:03d}.faiss" for i in range(64)]

    def line(t):
        k = em.at(t)
        st = em.stream(k)
        text = _line(t, st)
        if text:
            sc.log("/ecs/embedder", st, t, text)

    def _line(t, st):
        r = sc.rng.random()
        if r < fail(t) * 1.6:
            sc.log("/ecs/embedder", st, t, zap(
                sc, t, "error", "shard load failed", "internal/index/loader.go:118", shard=sc.pick(shards),
                error=f"operation error S3: GetObject, https response error StatusCode: 403, RequestID: "
                      f"{sc.hexid(16).upper()}, HostID: {sc.hexid(40)}, api error AccessDenied: Access Denied"))
            return zap(sc, t + 0.003, "error", "search failed", "internal/api/search.go:64", status=500,
                       query_id=sc.uuid(), error="index shard unavailable")
        if r < 0.75:
            return zap(sc, t, "info", "search ok", "internal/api/search.go:71", status=200,
                       k=sc.pick([10, 20, 50]), took_ms=sc.ms(18, 70), cache_hit=sc.rng.random() < 0.55)
        if r < 0.87:
            return zap(sc, t, "warn", "redis get failed, falling back to origin", "internal/cache/redis.go:52",
                       error="dial tcp 10.20.8.31:6379: i/o timeout")
        return None
    sc.emit("/ecs/embedder", lambda t: em.stream(em.tasks[0]), LOG_START, 0, 4.5, line)
    # ---------------------------------------------------------------- API execution logs
    grp = f"API-Gateway-Execution-Logs_{apiid}/prod"

    def ex(t):
        if sc.rng.random() < fail(t):
            return apigw_exec(sc, "Method completed with status: 500")
        if sc.rng.random() < 0.04:
            return apigw_exec(sc, "Unauthorized request: apikey-authorizer returned Deny")
        return apigw_exec(sc, "Method completed with status: 200")
    sc.emit(grp, f"{sc.hexid(32)}", LOG_START, 0, 3.0, ex)
    ll = lam(sc, "apikey-authorizer", "nodejs20.x", 256, 5, mem_used=(88, 4))

    def ab(ll, t, rid, err, cold):
        if sc.rng.random() < 0.08:
            msg = f"key rejected: revoked api key prefix=pk_live_{sc.hexid(6)} -> Deny"
            return {"dur": sc.rng.gauss(9, 2), "lines": [(0.002, ll.fmt(t, rid, "WARN", msg))]}
        return {"dur": sc.rng.gauss(11, 3), "lines": [(0.002, ll.fmt(t, rid, "INFO", "key ok -> Allow"))]}
    run_lambda(ll, av, ae, ab, ratio=0.012)
    # ---------------------------------------------------------------- changes, alarms
    sc.change(-12600, "iam.amazonaws.com", "TagRole", "AWS::IAM::Role", "ml-serving-embedder-task", "terraform-ci")
    sc.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ml-serving-embedder-task",
              "terraform-ci")
    ecs_deploy(sc, -1930, cl, "reranker", "reranker", 112, "ml-rollout-bot")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Vector search API server errors")
    sc.alarm(f"{api}-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 150,
             "GreaterThanThreshold")
    sc.expect_root(f"{api}-5xx", "permission_denied", [f"{cl}/embedder", "embedder"],
                   [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}])
    sc.meta.update(
        origin_type="ecs", front="front (API Gateway → ECS service)",
        decoys="reranker deploy 50 s after the IAM edit, right where the 5XX ramp becomes visible; steady "
               "Redis i/o-timeout WARNs; steady 401/Deny 4XX from the authorizer",
        story="terraform-ci rewrites the inline policy of the embedder's task role (PutRolePolicy) at "
              "-33 min. Shards already cached keep serving, so 5XX ramps up over ten minutes as cache "
              "entries expire: every shard reload from s3://ml-artifacts-usw2 now fails with `S3: GetObject "
              "... StatusCode: 403 ... api error AccessDenied`, the embedder answers 500 and API Gateway's "
              "5XXError alarm fires. The reranker deploy lands 50 s later, on the same cluster, and its "
              "only trace is a short CPU/task-count bump; the Redis fallback WARNs and the authorizer's "
              "Deny 4XX run at the same rate all evening.",
        judgement="The fault is on the embedder (its task role can no longer read its artefacts); the role is "
                  "not a resource in the account list, so the ECS service is the origin.")
    return sc


def s04() -> S77:
    sc = S77(4, "realtime-scoring-5xx",
             "realtime-scoring API 5XX and latency alarms; card-authorisation risk scores time out.",
             "ap-southeast-2", 7704, "2026-03-09T04:50:00+00:00")
    api, fn, db, apiid = "realtime-scoring", "score-online", "featstore-pg-a", "p7c2w0d9xe"
    sc.resource("apigateway", api, stage="v1", integration="AWS_PROXY → score-online")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=1536, statement_timeout_ms=2000)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=800, storage_type="gp3")
    sc.resource("lambda", "feature-backfill-au", runtime="python3.12", timeout=900, memory_size=3008)
    on = -1560
    io = lambda t: ramp(t, on, on + 90) * (1 - 0.15 * ramp(t, -600, -200))  # noqa: E731
    qc = lambda t: 0.42 * io(t)  # noqa: E731 share of invocations cancelled by statement_timeout
    cnt = lambda t: 420 * diurnal(sc, t, 3.0, 0.25)  # noqa: E731
    apigw_metrics(sc, api, cnt, lambda t: 0.004 * cnt(t), lambda t: 0.1 + cnt(t) * (qc(t) + 0.05 * io(t)),
                  lambda t: 140 + 1900 * io(t))
    iv, ev = lam_metrics(sc, fn, cnt, lambda t: 0.1, lambda t: 120 + 1880 * io(t),
                         err_frac=lambda t: qc(t) + 0.05 * io(t))
    bv, be = lam_metrics(sc, "feature-backfill-au", lambda t: 0.2 + bump(t, -11000, -9800, 3, 120),
                         lambda t: 0.0, lambda t: 41000)
    rds_metrics(sc, db, lambda t: 28 * diurnal(sc, t, 3.0, 0.2) - 7 * io(t) + bump(t, -11000, -9800, 35, 120),
                lambda t: 60 + 35 * io(t) + bump(t, -11000, -9800, 140, 120), lambda t: 402,
                read_lat=lambda t: 0.0018 + 0.85 * io(t), write_lat=lambda t: 0.003 + 0.4 * io(t),
                queue=lambda t: 0.8 + 55 * io(t))
    # ---------------------------------------------------------------- lambda logs
    ll = lam(sc, fn, "python3.12", 1536, 10, retire=(-14500,), mem_used=(212, 9))

    def body(ll, t, rid, err, cold):
        m = sc.rng.randint(10 ** 6, 10 ** 7)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"score request merchant_id={m} card_bin=4{sc.rng.randint(10 ** 4, 10 ** 5)}"))]
        if sc.rng.random() < 0.2:
            lines.append((0.03, ll.fmt(t, rid, "WARNING", f"feature vector incomplete for merchant_id={m}: "
                                       f"{sc.rng.randint(2, 5)} of 58 features null, imputing")))
        if err:
            if sc.rng.random() < 0.1:
                msg = ("OperationalError: connection timeout expired\nTraceback (most recent call last):\n  File "
                       "\"/var/task/app/features.py\", line 44, in fetch\n    with pool.connection(timeout=3) as conn:\n"
                       "psycopg.OperationalError: connection timeout expired")
                return {"dur": sc.rng.gauss(3050, 40), "lines": lines + [(3.04, ll.fmt(t + 3, rid, "ERROR", msg))]}
            msg = ("QueryCanceled: canceling statement due to statement timeout\nTraceback (most recent call last):\n"
                   "  File \"/var/task/app/handler.py\", line 58, in handler\n    feats = store.merchant_features"
                   "(merchant_id)\n  File \"/var/task/app/features.py\", line 61, in merchant_features\n    cur.execute"
                   "(SQL_MERCHANT, (merchant_id,))\npsycopg.errors.QueryCanceled: canceling statement due to "
                   "statement timeout")
            return {"dur": sc.rng.gauss(2030, 15), "lines": lines + [(2.02, ll.fmt(t + 2, rid, "ERROR", msg))]}
        d = 120 + 1300 * io(t) * sc.rng.random() + sc.rng.gauss(0, 20)
        lines.append((d / 1000 - 0.003, ll.fmt(t, rid, "INFO", f"scored risk={sc.rng.random():.3f} "
                                               f"model=card-risk-lgbm@v33 feature_ms={int(d * 0.7)}")))
        return {"dur": max(40, d), "lines": lines}
    run_lambda(ll, iv, ev, body, ratio=0.009)
    grp = f"API-Gateway-Execution-Logs_{apiid}/v1"

    def ex(t):
        if sc.rng.random() < qc(t):
            return apigw_exec(sc, f"Lambda execution failed with status 200 due to customer function error: "
                                  f"canceling statement due to statement timeout. Lambda request id: {sc.uuid()}")
        return apigw_exec(sc, "Method completed with status: 200")
    sc.emit(grp, sc.hexid(32), LOG_START, 0, 2.0, ex)
    # ---------------------------------------------------------------- RDS engine log
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(LOG_START, 0, 300):
        slow = io(t) > 0.5
        sc.log(rg, rs, t + sc.rng.uniform(0, 20), pg(
            sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(2000, 9000)} buffers; 0 WAL file(s) added, 0 "
            f"removed, 3 recycled; write={sc.rng.uniform(200, 270) if not slow else sc.rng.uniform(1100, 1500):.3f} s, "
            f"sync={sc.rng.uniform(0.01, 0.2) if not slow else sc.rng.uniform(40, 90):.3f} s", pid=588))
    sc.emit(rg, rs, LOG_START, 0, 0.12, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1010, 1600):.3f} ms  statement: SELECT region, count(*) FROM "
        "txn_features_daily GROUP BY region", client="10.40.3.77(51022)", user="analytics", db="features"))
    sc.emit(rg, rs, on + 30, 0, lambda t: 3.0 * io(t), lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", client=f"{sc.ip('10.40')}({sc.rng.randint(30000, 60000)})",
        user="score_online", db="features") if sc.rng.random() < 0.6 else pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(2400, 9000):.3f} ms  statement: SELECT f.* FROM merchant_features f "
        "WHERE f.merchant_id = $1", client=f"{sc.ip('10.40')}(44102)", user="score_online", db="features"))
    # ---------------------------------------------------------------- changes, alarms
    lambda_config(sc, -14500, fn, "sam-deployer")
    sc.change(-1610, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "sam-deployer")
    sc.change(-1605, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "sam-deployer")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Realtime scoring API 5XX")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 25, "GreaterThanThreshold")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 55,
             "GreaterThanThreshold")
    sc.expect_root(f"{api}-5xx", "dependency_failure", [db],
                   [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta.update(
        origin_type="rds", front="front (API Gateway → Lambda → RDS)",
        decoys="API CreateDeployment/UpdateStage 50 s before onset; memory change on the function 4 h before; "
               "steady 'feature vector incomplete' WARNINGs and slow analytics queries; backfill spike "
               "on the DB 3 h earlier (old CPU alarm)",
        story="At -26 min the feature store's storage stalls: ReadLatency goes from ~2 ms to ~850 ms, "
              "DiskQueueDepth from <1 to ~55 and checkpoints take minutes to sync, while CPU drops and "
              "DatabaseConnections stays near 95 of 1600. score-online's queries hit their 2 s "
              "statement_timeout (`psycopg.errors.QueryCanceled`) or the pool's connection timeout, Lambda "
              "Duration jumps from 120 ms to ~2 s and the API's 5XX alarm fires. The stage deployment 50 s "
              "before onset changed nothing the logs show: the errors are the function's, and they name the "
              "database.",
        judgement="A degraded database that is not out of connections, CPU or storage is a dependency_failure "
                  "whose origin is the RDS instance, not the API or the function.")
    return sc


BUILDERS = [s03, s04]
