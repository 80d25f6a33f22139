"""h94-15 (ranking flag pushed through AppConfig) and h94-16 (weekly recap pinning the social DB's CPU)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg, spring
from .kit import (GRID, HISTORY, LOG_START, LambdaLogs, M, after, alb_set, apigw_set, ecs_set, emit, every,
                  evening, expect, lam_run, lambda_set, new, rds_set, task_ids)


def build_15():
    sc = new(15, "home-feed-5xx", "Home feed returning errors for most users; home-edge target 5XX alarm.",
             "ap-southeast-1", shift_min=-2)
    rng = sc.rng
    cluster, svc, lb = "growth-apse1", "home-feed", "app/home-edge/48c2e9a1f07b3d65"
    sid = f"{cluster}/{svc}"
    sc.resource("alb", lb, name="home-edge", scheme="internet-facing")
    sc.resource("ecs", sid, launch_type="FARGATE", desired_count=6, task_definition="home-feed:302",
                appconfig_profile="home-feed/ranking-flags", appconfig_poll_s=45)
    sc.resource("ecs", f"{cluster}/profile-svc", launch_type="FARGATE", desired_count=4)
    cause, loaded = -2710, -2668
    ev = lambda t: evening(sc, t)  # noqa: E731
    bad = lambda t: after(t, loaded, 45)  # noqa: E731
    req = lambda t: 1900 * ev(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.14 * ev(t) - 0.05 * bad(t), lambda t: 1.0 + 0.58 * req(t) * bad(t), healthy=6)
    ecs_set(sc, cluster, svc, lambda t: 46 * ev(t) - 14 * bad(t), lambda t: 58.0)
    ecs_set(sc, cluster, "profile-svc", lambda t: 27 * ev(t) + 15 * (after(t, -2600, 60) - after(t, -2360, 60)),
            lambda t: 49.0)
    M(sc, "AWS/Kinesis", "WriteProvisionedThroughputExceeded", {"StreamName": "feed-impressions"}, "Count",
      lambda t: 3 * ev(t), integer=True)
    sc.alarm("home-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 40, "GreaterThanThreshold", "home-edge 5XX from targets")
    sc.alarm("feed-impressions-throttled", "AWS/Kinesis", "WriteProvisionedThroughputExceeded",
             {"StreamName": "feed-impressions"}, "Sum", 300, 1, 10, "GreaterThanThreshold")
    g, app = "/ecs/home-feed", "home-feed"
    streams = [f"feed/home-feed/{x}" for x in task_ids(sc, 6)]
    th = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"  # noqa: E731
    emit(sc, g, streams, LOG_START, 0, lambda t: 3 * ev(t) * (1 - 0.55 * bad(t)), lambda t: spring(
        sc, t, "INFO", th(), "c.p.feed.web.HomeFeedController",
        f"GET /v4/home user=u_{sc.hexid(8)} sections={rng.randint(4, 7)} status=200 took={rng.randint(40, 220)}ms", app))
    emit(sc, g, streams, LOG_START, 0, 2.0, lambda t: spring(
        sc, t, "WARN", th(), "c.p.feed.cache.FeedCache", f"Redis cache miss for feed:u_{sc.hexid(8)} (rebuilding)", app))
    emit(sc, g, streams, LOG_START, 0, 0.5, lambda t: spring(
        sc, t, "ERROR", "impressions-publisher-1", "c.p.feed.events.ImpressionPublisher",
        "Failed to publish impression batch: software.amazon.awssdk.services.kinesis.model."
        "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000003 in stream "
        "feed-impressions (Service: Kinesis, Status Code: 400)", app))
    for s in streams:
        every(sc, g, s, LOG_START, 900, lambda t: spring(
            sc, t, "INFO", "appconfig-poller", "c.p.feed.config.FlagClient",
            "Configuration ranking-flags unchanged (version 56)", app), t1=loaded)
        t = loaded + rng.uniform(-30, 12)
        sc.log(g, s, t, spring(sc, t, "INFO", "appconfig-poller", "c.p.feed.config.FlagClient",
                               "Loaded configuration ranking-flags version 57 (deployment 23, strategy AllAtOnce)", app))
    emit(sc, g, streams, loaded, 0, lambda t: 4.5 * bad(t) * ev(t), lambda t: spring(
        sc, t, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
        "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: "
        "java.lang.IllegalArgumentException: blend weight 'boost.newUsers' must be within [0.0, 1.0] but was 15.0] "
        "with root cause\njava.lang.IllegalArgumentException: blend weight 'boost.newUsers' must be within "
        "[0.0, 1.0] but was 15.0\n\tat com.pairly.feed.rank.BlendPolicy.<init>(BlendPolicy.kt:38)\n\tat "
        "com.pairly.feed.rank.BlendPolicyFactory.fromFlags(BlendPolicyFactory.kt:22)", app))
    sc.change(-10900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", sid, "codepipeline-growth")
    sc.change(cause - 25, "appconfig.amazonaws.com", "CreateHostedConfigurationVersion",
              "AWS::AppConfig::HostedConfigurationVersion", "home-feed/ranking-flags", "rachel.ng")
    sc.change(cause, "appconfig.amazonaws.com", "StartDeployment", "AWS::AppConfig::Deployment",
              "home-feed/ranking-flags", "rachel.ng")
    sc.change(-2625, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-svc:88",
              "codepipeline-growth")
    sc.change(-2610, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/profile-svc",
              "codepipeline-growth")
    expect(sc, "home-edge-target-5xx", "config_change", [sid, svc],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB → ECS)", decoys=[
        "profile-svc deploy 1.5 min after the flag, nearer the alarm",
        "home-feed's own deploy 3 h earlier",
        "Kinesis ProvisionedThroughputExceeded errors (and a throttling alarm) all afternoon"],
        judgement=("The change is an AppConfig deployment (event name StartDeployment), not a code "
                   "deployment: it is a feature-flag/configuration change, and the errors name the invalid "
                   "setting, so config_change. AppConfig is not one of the six resource types; the service "
                   "that consumes the flag is the accepted origin."),
        story=("rachel.ng deployed version 57 of the ranking-flags AppConfig profile at -45 min; every "
               "home-feed task logs `Loaded configuration ranking-flags version 57` within a poll interval and "
               "from then on ~55 % of requests fail with `IllegalArgumentException: blend weight "
               "'boost.newUsers' must be within [0.0, 1.0] but was 15.0`, sending home-edge target 5XX over "
               "the threshold. The profile-svc deploy a minute later, home-feed's own deploy three hours "
               "earlier and the long-running Kinesis throughput errors are not involved."))
    return sc


def build_16():
    sc = new(16, "who-liked-me-slow", "Who-liked-me screen very slow and timing out; match-gw latency alarm.",
             "us-west-1", shift_min=12)
    rng = sc.rng
    api, fn, job, db = "match-gw", "likes-inbox", "weekly-recap", "pg-social-1"
    sc.resource("apigateway", api, stage="prod", api_id="h6t1ra8w0n")
    sc.resource("apigateway", "safety-api", stage="prod")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512)
    sc.resource("lambda", job, runtime="python3.12", timeout=900, memory_size=1024,
                schedule="cron(0 3 ? * MON *)")
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.2xlarge",
                max_connections=1000, allocated_storage_gb=800)
    start = -2960
    ev = lambda t: evening(sc, t)  # noqa: E731
    hot = lambda t: after(t, start, 240)  # noqa: E731
    inv = lambda t: 420 * ev(t)  # noqa: E731
    slow = lambda t: 0.38 * hot(t)  # noqa: E731  share of requests hitting statement_timeout
    m = lambda_set(sc, fn, inv, lambda t: 0.3 + inv(t) * slow(t), lambda t: 85 + 2900 * hot(t))
    on = lambda t: t >= start  # noqa: E731
    lambda_set(sc, job, lambda t: 3.4 if on(t) else None, lambda t: 0.0 if on(t) else None,
               lambda t: 420000.0 if on(t) else None, conc=lambda t: 24.0 if on(t) else None)
    apigw_set(sc, api, lambda t: inv(t) + 260 * ev(t), lambda t: 5 * ev(t), lambda t: 0.2 + inv(t) * slow(t) * 0.97,
              lambda t: 70 + 2950 * hot(t) * inv(t) / (inv(t) + 260 * ev(t)) + 900 * hot(t))
    apigw_set(sc, "safety-api", lambda t: 60 * ev(t), lambda t: 1.0, lambda t: 0.05, lambda t: 95.0)
    rds_set(sc, db, lambda t: 34 * ev(t) + (99.2 - 34 * ev(t)) * hot(t), lambda t: 118 * ev(t) + 34 * hot(t),
            lambda t: 512.0 - 0.0004 * (t + HISTORY), rlat=lambda t: 0.0012 + 0.009 * hot(t), freemem_gb=14.0)
    M(sc, "AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second", lambda t: 1800 * ev(t) + 5200 * hot(t),
      noise=0.08)
    sc.alarm("match-gw-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 3, 1500,
             "GreaterThanThreshold", "match-gw average latency")
    sc.alarm("likes-inbox-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 50,
             "GreaterThanThreshold")
    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, prewarm=LOG_START, mem_used=(92, 6))

    def body(ll, t, rid, is_err, cold):
        uid = f"u_{sc.hexid(8)}"
        lines = [(0.004, ll.fmt(t + 0.004, rid, "INFO", f"likes inbox user={uid} page=1"))]
        if rng.random() < 0.05:
            lines.append((0.006, ll.fmt(t + 0.006, rid, "ERROR", "auth: token expired for "
                                        f"{uid}, returning 401")))
            return {"dur": rng.uniform(5, 9), "lines": lines}
        if is_err and t >= start:
            lines.append((3.01, "[ERROR] QueryCanceled: canceling statement due to statement timeout\n\nTraceback "
                          "(most recent call last):\n  File \"/var/task/inbox.py\", line 54, in handler\n    "
                          "cur.execute(LIKES_INBOX_SQL, (user_id, cursor))"))
            return {"dur": rng.uniform(3010, 3060), "lines": lines}
        if is_err:
            lines.append((0.2, "[ERROR] KeyError: 'cursor'\nTraceback (most recent call last):\n  File "
                          "\"/var/task/inbox.py\", line 31, in handler"))
            return {"dur": rng.uniform(180, 220), "lines": lines}
        d = max(20.0, rng.gauss(80 + 1900 * hot(t), 30 + 500 * hot(t)))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"returned {rng.randint(0, 40)} likes in "
                                       f"{int(d)} ms")))
        return {"dur": d, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.01, err_frac=0.02)
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, rg, rs, LOG_START, 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(3000, 12000)} buffers; 0 WAL file(s) added, "
        "0 removed, 4 recycled", pid=512))
    emit(sc, rg, rs, LOG_START, 0, 0.8, lambda t: pg(
        sc, t, "LOG", "could not receive data from client: Connection reset by peer",
        client=f"10.48.{rng.randint(1, 30)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
        user="likes_app", db="social"))
    emit(sc, rg, rs, start + 200, 0, lambda t: 3.0 * hot(t), lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", user="likes_app", db="social",
        client=f"10.48.{rng.randint(1, 30)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"))
    emit(sc, rg, rs, start + 240, 0, 0.6, lambda t: pg(
        sc, t, "LOG", f"duration: {rng.uniform(60000, 420000):.3f} ms  statement: SELECT l.likee_id, "
        "count(*) AS likes, count(DISTINCT l.liker_id) FILTER (WHERE m.id IS NOT NULL) AS matches FROM likes "
        "l LEFT JOIN matches m ON m.user_a = l.likee_id WHERE l.created_at >= now() - interval '7 days' "
        "GROUP BY l.likee_id", user="recap_job", db="social",
        client=f"10.48.{rng.randint(1, 30)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"))
    jl = LambdaLogs(sc, job, "python3.12", 1024, 900, prewarm=-10 ** 6, mem_used=(300, 20))

    def jbody(ll, t, rid, is_err, cold):
        shard = rng.randint(0, 63)
        return {"dur": rng.uniform(300000, 600000), "lines": [
            (0.01, ll.fmt(t + 0.01, rid, "INFO", f"weekly recap shard {shard}/64: aggregating last 7 days"))]}

    jl.run({t: 1 for t in GRID if t >= start}, {}, jbody)
    sc.change(-3010, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "safety-api",
              "github-actions-deployer")
    sc.change(-14200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "github-actions-deployer")
    expect(sc, "match-gw-latency", "cpu_saturation", [db],
           [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
            ("AWS/ApiGateway", "Latency", {"ApiName": api})])
    sc.meta.update(front="front (API Gateway → Lambda → RDS)", decoys=[
        "safety-api deployment 50 s before onset",
        "likes-inbox deploy 4 h earlier; expired-token and cursor errors, connection-reset notes all afternoon",
        "weekly-recap (the CPU consumer) has no change of its own"],
        judgement=("likes-inbox fails with statement timeouts from its database, which would read as "
                   "dependency_failure, but that dependency is itself exhausted: pg-social-1 CPU is pinned at "
                   "~99 % with latency following, so cpu_saturation on the database."),
        story=("At -49 min the scheduled weekly-recap job (~24 concurrent shards, multi-minute GROUP BY "
               "queries over a week of likes) starts; pg-social-1's CPU goes from ~40 % to ~99 % and stays "
               "there, ReadIOPS triple, and likes-inbox queries slow to seconds or die with `canceling "
               "statement due to statement timeout`, so match-gw's average latency crosses 1.5 s. Connections "
               "stay far below max_connections. The safety-api deployment just before is a different API, and "
               "the expired-token and cursor errors and connection-reset notes were constant."))
    return sc


BUILDERS = [build_15, build_16]
