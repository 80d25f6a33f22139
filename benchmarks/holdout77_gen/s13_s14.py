"""h77-13 (catalog scorer model version rollout) and h77-14 (Redis feature cache host impaired)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, alb_metrics, bump, diurnal, ec2_metrics, ecs_deploy, ecs_metrics, jline,
                  lam, lam_metrics, lambda_config, lambda_deploy, ramp, rds_metrics, run_lambda, serilog, spring, zap)


def s13() -> S77:
    sc = S77(13, "catalog-scorer-errors",
             "catalog-scorer Errors alarm; new listings are published without relevance scores.",
             "us-west-1", 7713, "2026-03-21T06:50:00+00:00")
    fn, ix = "catalog-scorer", "catalog-indexer"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=30, memory_size=1769, language="go1.22",
                alias="live", trigger="sqs:catalog-updates")
    sc.resource("lambda", ix, runtime="python3.12", timeout=60, memory_size=1024)
    sc.resource("rds", "catalog-pg", engine="postgres", instance_class="db.r6g.large", max_connections=1600,
                allocated_storage_gb=400)
    dep = -3300
    live = dep + 60  # UpdateAlias live -> 58
    new = lambda t: ramp(t, live, live + 30)  # noqa: E731
    inv = lambda t: 25 * diurnal(sc, t, 20.0, 0.25)  # noqa: E731
    iv, ev = lam_metrics(sc, fn, inv, lambda t: 0.0, lambda t: 180 - 40 * new(t),
                         err_frac=lambda t: 0.04 + 0.55 * new(t))
    xv, xe = lam_metrics(sc, ix, lambda t: 4, lambda t: 0.0, lambda t: 2300)
    rds_metrics(sc, "catalog-pg", lambda t: 21 + bump(t, -9000, -8200, 30, 120), lambda t: 70, lambda t: 233)
    ll = lam(sc, fn, "provided.al2023", 1769, 30, epochs=((-10 ** 9, "57"), (live, "58")), mem_used=(402, 12))

    def body(ll, t, rid, err, cold):
        item = f"itm_{sc.hexid(10)}"
        ver = ll._version(t)
        lines = []
        if cold:
            lines.append((0.001, zap(sc, t, "info", "model loaded", "internal/model/onnx.go:44",
                                     model="relevance-dnn", version="v58" if ver == "58" else "v57",
                                     dense_inputs=64 if ver == "58" else 72)))
        lines.append((0.003, zap(sc, t, "info", "scoring item", "cmd/scorer/main.go:91", item=item,
                                 has_image_embedding=sc.rng.random() < 0.55 or err)))
        if err and (ver == "57" or sc.rng.random() < 0.07):
            return {"dur": 35, "status": "error", "error_type": "Runtime.ExitError", "lines": lines + [(
                0.03, jline({"errorMessage": f"validation: price must be positive (item {item})",
                             "errorType": "ValidationError"}))]}
        if err:
            return {"dur": sc.rng.gauss(140, 20), "status": "error", "error_type": "Runtime.ExitError",
                    "lines": lines + [(0.12, zap(sc, t + 0.12, "error", "inference failed", "internal/model/onnx.go:118",
                                                 item=item, error="onnxruntime: input 'dense_features' expected shape "
                                                 "[-1,64] got [-1,72]")),
                                      (0.13, jline({"errorMessage": "onnxruntime: input 'dense_features' expected "
                                                    "shape [-1,64] got [-1,72]", "errorType": "errorString"}))]}
        d = sc.rng.gauss(180, 30)
        return {"dur": d, "lines": lines + [(d / 1000 - 0.002, zap(sc, t, "info", "scored", "cmd/scorer/main.go:120",
                                                                   item=item, score=round(sc.rng.random(), 4)))]}
    run_lambda(ll, iv, ev, body, ratio=0.16)
    xl = lam(sc, ix, "python3.12", 1024, 60, retire=(-3200,), mem_used=(240, 10))
    run_lambda(xl, xv, xe, lambda ll, t, rid, err, cold: {"dur": sc.rng.gauss(2300, 200), "lines": [(
        0.01, ll.fmt(t, rid, "INFO", f"indexed {sc.rng.randint(50, 400)} listings into catalog-v3"))]}, ratio=0.5)
    lambda_config(sc, -18500, fn, "terraform-ci")
    lambda_deploy(sc, dep, fn, "ml-rollout-bot", alias="live")
    lambda_config(sc, -3200, ix, "k.osei@catalog-ml.com")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 20,
             "GreaterThanThreshold", "catalog-scorer failures")
    sc.alarm(f"{ix}-duration", "AWS/Lambda", "Duration", {"FunctionName": ix}, "Average", 300, 1, 20000,
             "GreaterThanThreshold")
    sc.expect_root(f"{fn}-errors", "bad_deployment", [fn],
                   [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta.update(
        origin_type="lambda", front="origin",
        decoys="configuration update on catalog-indexer about a minute after the alias flip (closer to onset); "
               "catalog-scorer's own configuration change 5 h earlier; a steady trickle of price "
               "ValidationErrors in Errors all morning",
        story="ml-rollout-bot uploads new code to catalog-scorer at -55 min, publishes version 58 and moves "
              "the `live` alias to it. The [58] log streams load relevance-dnn v58 with 64 dense inputs "
              "while the feature builder still sends 72, and from the first v58 invocation about half of "
              "the items (those with image embeddings) fail with `onnxruntime: input 'dense_features' "
              "expected shape [-1,64] got [-1,72]`; the Errors alarm fires. The [57] streams never show it. "
              "The background of `price must be positive` ValidationErrors runs at the same rate before and "
              "after, and the configuration update on catalog-indexer is a different function.",
        judgement="A configuration update lands closer to the onset, but on another function, and the new "
                  "error appears only in the new version's streams: bad_deployment wins on the evidence, "
                  "not by the tie-break.")
    return sc


def s14() -> S77:
    sc = S77(14, "feature-gw-5xx",
             "feature-gw ALB target 5XX alarm; pricing and fraud models receive incomplete features.",
             "eu-west-3", 7714, "2026-03-22T12:10:00+00:00")
    lb, cl, iid, db = "app/feature-gw/7d3a1c5e9b2f4086", "ml-features", "i-0c3f5a7e9b1d2c468", "feature-registry-db"
    sc.resource("alb", lb, name="feature-gw", scheme="internal")
    sc.resource("ecs", f"{cl}/feature-gateway", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=4,
                runtime="java21 spring-boot 3.2 (lettuce)")
    sc.resource("ecs", f"{cl}/feature-admin", launch_type="FARGATE", cpu=512, memory=1024, desired_count=1,
                runtime=".NET 8")
    sc.resource("ec2", iid, name="feat-cache-a", instance_type="r6g.large", role="redis 7.2 online aggregates",
                private_ip="10.0.7.41", log_groups=["/feat-cache/redis"])
    sc.resource("rds", db, engine="mysql", instance_class="db.t4g.medium", max_connections=312, allocated_storage_gb=50)
    on = -1300
    down = lambda t: t >= on  # noqa: E731
    f = lambda t: 0.38 * ramp(t, on, on + 60)  # noqa: E731 share of requests needing live aggregates
    req = lambda t: 1800 * diurnal(sc, t, 11.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.012 + 0.5 * f(t), lambda t: 0.3 + req(t) * f(t), healthy=lambda t: 4)
    ecs_metrics(sc, cl, "feature-gateway", lambda t: 36 * diurnal(sc, t, 11, 0.2) - 8 * f(t), lambda t: 63,
                lambda t: 4)
    ecs_metrics(sc, cl, "feature-admin", lambda t: 6 + bump(t, -1360, -1250, 30, 40), lambda t: 38,
                lambda t: 1 + bump(t, -1360, -1270, 1, 20), lambda t: 1)
    ec2_metrics(sc, iid, lambda t: None if down(t) else 21 + bump(t, -8100, -7800, 38, 60),
                mem=lambda t: None if down(t) else 71, status=lambda t: 1.0 if down(t) else 0.0,
                net_mb=lambda t: None if down(t) else 310.0)
    rds_metrics(sc, db, lambda t: 7 + bump(t, -4000, -3700, 20, 60), lambda t: 12, lambda t: 36)
    tk = Tasks(sc, "feature-gateway", "app")
    tk.add(4, -40000)
    app = "feature-gateway"

    def line(t):
        k = tk.at(t)
        st, r = tk.stream(k), sc.rng.random()
        th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
        if down(t) and r < f(t) * 1.3:
            if sc.rng.random() < 0.6:
                text = spring(sc, t, "ERROR", th, "c.a.m.features.OnlineAggregateService",
                              "Redis lookup failed for entity=user:" + str(sc.rng.randint(10 ** 6, 10 ** 7)) + "\n"
                              "io.lettuce.core.RedisCommandTimeoutException: Command timed out after 500 millisecond(s)\n"
                              "\tat io.lettuce.core.internal.ExceptionFactory.createTimeoutException(ExceptionFactory.java:59)\n"
                              "\tat io.lettuce.core.internal.Futures.awaitOrCancel(Futures.java:246)", app)
            else:
                text = spring(sc, t, "WARN", "lettuce-eventExecutorLoop-1-3", "i.l.core.protocol.ConnectionWatchdog",
                              "Cannot reconnect to [10.0.7.41/<unresolved>:6379]: connection timed out after 2000 ms: "
                              "/10.0.7.41:6379\nio.netty.channel.ConnectTimeoutException: connection timed out after "
                              "2000 ms: /10.0.7.41:6379", app)
            sc.log(f"/ecs/{app}", st, t + 0.5, spring(sc, t + 0.5, "WARN", th, "c.a.m.features.api.FeatureController",
                                                       "Responding 503: online aggregates unavailable", app))
        elif r < 0.1 + f(t):
            text = spring(sc, t, "ERROR", th, "c.a.m.features.api.FeatureController",
                          "FeatureNotFoundException: feature 'acct_age_bucket' is not registered in view "
                          "'pricing_v4'", app)
        else:
            text = spring(sc, t, "INFO", th, "c.a.m.features.api.FeatureController",
                          f"served view={sc.pick(['pricing_v4', 'fraud_v9', 'ranking_v2'])} "
                          f"entities={sc.rng.randint(1, 40)} in {sc.rng.randint(3, 15)} ms", app)
        sc.log(f"/ecs/{app}", st, t, text)
    sc.emit(f"/ecs/{app}", "-", LOG_START, 0, 4.0, line)

    def redis(t):
        if down(t):
            return None
        d = sc.at(t)
        ts = d.strftime("%d %b %Y %H:%M:%S.") + f"{d.microsecond // 1000:03d}"
        if sc.rng.random() < 0.5:
            return f"1:M {ts} * 100 changes in 300 seconds. Saving..."
        return f"1:M {ts} * Background saving terminated with success"
    sc.emit("/feat-cache/redis", iid, LOG_START, 0, 0.3, redis)
    ad = Tasks(sc, "feature-admin", "admin")
    ad.add(1, -60000)[0]["end"] = -1300
    ad.add(1, -1300)
    sc.emit("/ecs/feature-admin", lambda t: ad.stream(ad.at(t) or ad.tasks[-1]), LOG_START, 0, 0.5, lambda t: serilog(
        sc, t, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics", f"Request finished HTTP/1.1 GET /admin/views - 200 "
        f"{sc.rng.randint(500, 9000)} application/json {sc.rng.uniform(4, 40):.4f}ms"))
    ecs_deploy(sc, -1360, cl, "feature-admin", "feature-admin", 19, "azure-devops-deployer")
    ecs_deploy(sc, -16000, cl, "feature-gateway", "feature-gateway", 64, "ml-rollout-bot")
    sc.alarm("feature-gw-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 50, "GreaterThanThreshold", "Feature gateway 5XX")
    sc.alarm("feat-cache-a-status-check", "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Maximum", 60, 2,
             1, "GreaterThanOrEqualToThreshold")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 20,
             "GreaterThanThreshold")
    sc.expect_root("feature-gw-target-5xx", "dependency_failure", [iid, "feat-cache-a"],
                   [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": iid}}])
    sc.meta.update(
        origin_type="ec2", front="front (ALB → ECS → EC2 Redis)",
        decoys="feature-admin deploy 60 s before onset; steady FeatureNotFoundException ERRORs; a BGSAVE CPU "
               "spike on the cache 2 h earlier; a benign CPU alarm on the registry DB",
        story="At -22 min the host under feat-cache-a fails: StatusCheckFailed_System goes to 1, the "
              "instance's CPU, memory and network series stop, and its Redis log (regular BGSAVE lines) goes "
              "silent. feature-gateway's Lettuce client starts timing out (`RedisCommandTimeoutException: "
              "Command timed out after 500 millisecond(s)`) and cannot reconnect to 10.0.7.41:6379; requests "
              "that need live aggregates get 503 and the ALB target 5XX alarm fires. The feature-admin "
              "deploy a minute earlier is unrelated, and the FeatureNotFoundException ERRORs were there all "
              "morning at the same rate.",
        judgement="The cache instance is impaired rather than exhausted, and it is a resource in the account: "
                  "dependency_failure with the EC2 instance as origin.")
    return sc


BUILDERS = [s13, s14]
