"""h64-07 (Node hosts + self-managed Redis host) and h64-08 (batch host calling a Lambda)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp, step
from .estate import alb, ec2, emit, every, iid, lam, pick, pino, pylog, rds, syslog
from .runtimes import LambdaLogs


def s07() -> Scenario:
    sc = Scenario(7, "storefront-checkout-500s",
                  "Storefront returns 500s at login and checkout; ALB 5xx alarm paged.",
                  "us-east-1", 6407, "2026-08-20T20:05:00")
    rng = sc.rng
    onset, decoy, deploy = -2040, -2160, -9600
    w1, w2, kv = iid(sc), iid(sc), iid(sc)
    names = {w1: "sf-node-1", w2: "sf-node-2", kv: "kv-01"}
    load = lambda t: 980 * diurnal(sc, t, 20, .3)
    bad = lambda t: step(t, onset, 0.0, 1.0, 40)
    dead = lambda t: t >= onset
    for h in (w1, w2):
        ec2(sc, h, names[h], "c6i.xlarge", lambda t: 31 * diurnal(sc, t, 20, .3) - 9 * bad(t) + bump(t, deploy, deploy + 180, 30, 30),
            lambda t: 52.0 + 4 * bad(t), lambda t: 41.0, net=lambda t: 4.2e6 * diurnal(sc, t, 20, .3),
            log_groups=["/storefront/app"])
    ec2(sc, kv, names[kv], "r5.large", lambda t: None if dead(t) else 11 * diurnal(sc, t, 20, .3),
        lambda t: None if dead(t) else 63.0, lambda t: None if dead(t) else 29.0,
        net=lambda t: None if dead(t) else 5.1e6 * diurnal(sc, t, 20, .3),
        status=lambda t: 1.0 if dead(t) else 0.0, log_groups=["/kv/redis"])
    lb = alb(sc, "storefront-alb", load, lambda t: 2.0 + 0.68 * load(t) * bad(t),
             lambda t: 0.082 + 1.1 * bad(t), lambda t: 2.0)
    rds(sc, "sf-orders", "mysql", "db.r6g.large", 1000, 300, lambda t: 27 * diurnal(sc, t, 20, .3) * (1 - 0.6 * bad(t)),
        lambda t: 88 - 30 * bad(t), lambda t: 204.0)
    fn = "sf-feed-export"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=300, memory_size=1024)
    lm = lam(sc, fn, lambda t: 1.0 if int(t // 60) % 5 == 0 else 0.0, lambda t: 0.0, lambda t: 41000.0)
    LambdaLogs(sc, fn, "nodejs20.x", 1024, 300, retire=[decoy]).run(
        {m: v for m, v in zip(range(-21600, 0, 60), lm["inv"]) if m >= -14400 and v}, {},
        lambda ll, t, rq, e, c: {"dur": rng.uniform(36000, 47000), "lines": [
            (1.2, ll.fmt(t + 1.2, rq, "INFO", f"exported {rng.randint(18000, 19000)} SKUs to s3://sf-feeds/google/products.xml"))]})
    paths = [(30, "/products/%d"), (25, "/cart"), (20, "/account/login"), (15, "/checkout"), (10, "/search")]
    for h, host in ((w1, "ip-10-0-3-21"), (w2, "ip-10-0-4-88")):
        pid = rng.randint(2000, 9000)

        def line(t, host=host, pid=pid):
            p = pick(rng, paths)
            p = p % rng.randint(1000, 9999) if "%d" in p else p
            if bad(t) and rng.random() < 0.7:
                return pino(sc, t, 50, host, "request failed", pid=pid, reqId=f"req-{sc.hexid(6)}",
                            req={"method": "GET", "url": p}, res={"statusCode": 500},
                            err={"type": "Error", "message": "session store unavailable: Connection is closed.", "stack": "Error: session store unavailable\n    at RedisStore.get (/srv/storefront/node_modules/connect-redis/dist/cjs/index.js:38:19)"})
            return pino(sc, t, 30, host, "request completed", pid=pid, reqId=f"req-{sc.hexid(6)}",
                        req={"method": "GET", "url": p}, res={"statusCode": 200}, responseTime=rng.randint(18, 140))
        emit(sc, "/storefront/app", h, lambda t: 3.0, line, start=-14400)
        emit(sc, "/storefront/app", h, lambda t: 0.45, lambda t, host=host, pid=pid: pino(
            sc, t, 50, host, "Unhandled rejection", pid=pid, err={"type": "Error", "message": "getaddrinfo ENOTFOUND tracking.shipfast-partner.example", "code": "ENOTFOUND"}), start=-14400)
        emit(sc, "/storefront/app", h, lambda t: 0.3, lambda t, host=host, pid=pid: pino(
            sc, t, 40, host, "payment webhook signature mismatch; ignoring event", pid=pid, provider="adyen"), start=-14400)
        emit(sc, "/storefront/app", h, lambda t: 1.2 * bad(t), lambda t, host=host, pid=pid: pino(
            sc, t, 50, host, "Redis connection error", pid=pid, err={"type": "Error", "message": "connect ETIMEDOUT", "errno": -110, "code": "ETIMEDOUT", "syscall": "connect", "address": "10.0.12.40", "port": 6379}), start=onset)
        emit(sc, "/storefront/app", h, lambda t: 0.5 * bad(t), lambda t, host=host, pid=pid: pino(
            sc, t, 40, host, f"Reconnecting to Redis in {rng.choice([1000, 2000, 5000])}ms", pid=pid, attempt=rng.randint(3, 400)), start=onset)
        sc.log("/storefront/app", h, deploy + 40, pino(sc, deploy + 40, 30, host, "storefront listening", pid=pid, port=3000, version="4.18.2"))
    kh = "ip-10-0-12-40"
    every(sc, "/kv/redis", kv, 300, lambda t: None if dead(t) else f"1412:M {sc.at(t).strftime('%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * {rng.randint(100, 900)} changes in 300 seconds. Saving...", start=-21600)
    every(sc, "/kv/redis", kv, 300, lambda t: None if dead(t + 2) else f"1412:M {sc.at(t + 2).strftime('%d %b %Y %H:%M:%S')}.{rng.randint(100, 999)} * Background saving terminated with success", start=-21598)
    every(sc, "/kv/redis", kv, 1800, lambda t: None if dead(t) else syslog(sc, t, kh, "amazon-ssm-agent", "INFO [HealthCheck] HealthCheck reporting agent health.", pid=903), start=-21500)
    sc.change(deploy, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "storefront-prod", "github-actions")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "github-actions")
    sc.alarm("storefront-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 30, "GreaterThanThreshold", "Storefront target 5xx")
    sc.alarm("storefront-latency-p", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.5, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-5xx", "root_cause": {"category": "dependency_failure", "resource": [kv, names[kv]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": kv}}]}
    sc.meta = {"front": "front (ALB -> Node hosts -> Redis host)", "decoys": "Lambda code deploy 2 min before onset; CodeDeploy of the storefront 2 h before onset; long-standing ENOTFOUND unhandled rejections; latency alarm",
               "story": "`storefront-alb` target 5xx jump to ~70 % of requests. The nearest change is a code deploy of the `sf-feed-export` Lambda two minutes earlier, which only writes a product feed to S3 and keeps succeeding. Both Node hosts log `Redis connection error ... connect ETIMEDOUT 10.0.12.40:6379` and `session store unavailable` from the onset, while the `getaddrinfo ENOTFOUND` unhandled rejections are hours old. kv-01, the self-managed Redis host, reports `StatusCheckFailed` = 1 from the onset and its CPU, agent metrics and Redis save log stop: the instance is unreachable (a system-status failure with no CloudTrail action). The Redis host is not exhausted, it is gone: dependency failure on kv-01."}
    return sc


def s08() -> Scenario:
    sc = Scenario(8, "statement-run-failures",
                  "Month-end statement run reporting failed renders; batch alarm fired.",
                  "eu-west-2", 6408, "2026-09-30T23:40:00")
    rng = sc.rng
    start, decoy = -4200, -4290
    hourly = [-20400, -16800, -13200, -9600, -6000]
    caller = iid(sc)
    fn = "doc-render"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=60, memory_size=2048, reserved_concurrency=10)
    run = lambda t: t >= start
    hour = lambda t: any(h <= t < h + 480 for h in hourly)
    attempts = lambda t: 31.0 * ramp(t, start, start + 120) + (40.0 if hour(t) else 0.0)
    dur = lambda t: 23800.0 if run(t) else 1850.0
    cap = lambda t: 10 * 60000 / dur(t)
    inv = lambda t: min(attempts(t), cap(t)) if run(t) else attempts(t)
    thr = lambda t: max(0.0, attempts(t) * 1.6 - cap(t)) if run(t) else 0.0
    failed = lambda t: max(0.0, attempts(t) - cap(t)) * 0.95 if run(t) else 0.0
    lm = lam(sc, fn, inv, lambda t: 0.0, lambda t: dur(t) if inv(t) > 0 else None, thr=thr,
             conc=lambda t: 10.0 if run(t) and t > start + 160 else (1.4 if hour(t) else 1.0))
    sc.resource("lambda", "doc-thumbs", runtime="python3.12", timeout=30, memory_size=512)
    lam(sc, "doc-thumbs", lambda t: 2.0, lambda t: 0.0, lambda t: 640.0)
    ec2(sc, caller, "stmt-batch-01", "m5.large", lambda t: 6 + 14 * run(t) + (9 if hour(t) else 0), lambda t: 33 + 11 * run(t),
        lambda t: 52.0, log_groups=["/stmt/batch", "/var/log/cron"])
    sc.metric("StatementRun", "FailedRenders", {"InstanceId": caller}, "Count", sc.series(failed, integer=True))
    sc.metric("StatementRun", "RenderedDocuments", {"InstanceId": caller}, "Count", sc.series(inv, integer=True))
    rds(sc, "stmt-db", "postgres", "db.m6g.large", 400, 500, lambda t: 13 + 24 * run(t) + (8 if hour(t) else 0),
        lambda t: 22 + 48 * run(t), lambda t: 341.0)
    ll = LambdaLogs(sc, fn, "dotnet8", 2048, 60, max_envs=10, mem_used=(610, 40))

    def body(ll, t, rq, e, c):
        pages = rng.randint(48, 64) if run(t) else rng.randint(2, 6)
        d = (pages * 420 + rng.uniform(300, 900)) if run(t) else rng.uniform(1400, 2300)
        sid = f"ST-{rng.randint(1000000, 9999999)}"
        return {"dur": d, "lines": [
            (0.01, ll.fmt(t + 0.01, rq, "INFO", f"Rendering {sid} template=statement-{'monthly' if run(t) else 'interim'}-v7 pages={pages}")),
            (0.3, ll.fmt(t + 0.3, rq, "WARN", "Font 'Arial' not found in /opt/fonts; falling back to 'DejaVu Sans'"))]}
    ll.run({m: v for m, v in zip(range(-21600, 0, 60), lm["inv"]) if m >= -14400 and v}, {}, body)
    g, ch = "/stmt/batch", "ip-172-20-5-61"
    for h in hourly + [start]:
        if h < -14400:
            continue
        cmd = "/opt/stmt/bin/run_statements.py --interim" if h != start else "/opt/stmt/bin/run_statements.py --month-end --threads 12"
        sc.log("/var/log/cron", caller, h - 1, syslog(sc, h - 1, ch, "CROND", f"(stmt) CMD ({cmd})", pid=rng.randint(4000, 30000)))
        sc.log(g, caller, h + 1, pylog(sc, h + 1, "INFO", "stmt.run", "interim run: 318 statements, 8 threads" if h != start else "month-end run (business accounts): 8,420 statements, 12 threads"))
        if h != start:
            sc.log(g, caller, h + 470, pylog(sc, h + 470, "INFO", "stmt.run", "interim run finished: 318 rendered, 0 failed"))
    emit(sc, g, caller, lambda t: min(4.0, inv(t)) if (run(t) or hour(t)) else 0.0, lambda t: pylog(
        sc, t, "INFO", "stmt.worker", f"rendered ST-{rng.randint(1000000, 9999999)} in {dur(t) / 1000 + rng.uniform(0.1, 0.5):.1f}s"), start=-14400)
    emit(sc, g, caller, lambda t: min(6.0, failed(t)), lambda t: pylog(
        sc, t, "ERROR", "stmt.worker", f"render failed for ST-{rng.randint(1000000, 9999999)}: An error occurred (TooManyRequestsException) when calling the Invoke operation (reached max retries: 4): Rate Exceeded."), start=start)
    every(sc, g, caller, 300, lambda t: pylog(sc, t, "INFO", "stmt.run", f"progress {int((t - start) * 0.42)}/8420 done, {int((t - start) * 0.085)} failed, queue={rng.randint(40, 60)}"), start=start + 300)
    emit(sc, g, caller, lambda t: 0.15, lambda t: pylog(sc, t, "WARNING", "stmt.db", "statement_lines query took 2.3s (> 2s)"), start=-14400)
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "doc-thumbs", "d.price")
    sc.change(-15200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "azure-pipelines")
    sc.alarm("stmt-run-failed-renders", "StatementRun", "FailedRenders", {"InstanceId": caller}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Statement renders failing on the batch host")
    sc.alarm("stmt-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "stmt-db"}, "Average", 300, 3, 70,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "stmt-run-failed-renders", "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "front (caller EC2 -> Lambda)", "decoys": "config update on doc-thumbs 90 s before the run; doc-render code deploy 3 h earlier (hourly runs fine since); font-fallback WARN on every invocation; stmt-db busier",
               "story": "The batch host's custom `FailedRenders` alarm fires during the month-end run. The config update on `doc-thumbs` just before is unrelated, and doc-render's code deploy three hours earlier was followed by clean hourly runs. The caller logs `TooManyRequestsException ... Rate Exceeded` for each failure. doc-render has reserved concurrency 10; month-end statements run ~55 pages and take ~24 s instead of ~2 s, so ~31 invokes a minute need ~12-13 concurrent executions: `ConcurrentExecutions` sits flat at 10 and `Throttles` climbs, while the function itself logs no errors (the font warning is on every invocation, always). Throttling at doc-render's concurrency limit."}
    return sc
