"""h67-09 (Lambda reaching its timeout, us-east-1) and
h67-10 (ALB -> ECS -> degraded RDS storage latency, eu-west-1)."""
from __future__ import annotations

from . import kit
from .common import Scenario, bump, ramp, step
from .runtimes import LambdaLogs, pg, serilog


# =========================================================================== 09
def build_09() -> Scenario:
    sc = Scenario(9, "invoice-render-errors-use1", "invoice-render Errors alarm in us-east-1; "
                  "B2B customers missing invoice e-mails.", "us-east-1", 67009,
                  "2026-12-05T17:30:00")
    EU = "eu-west-1"
    onset = -2700
    for reg in ("us-east-1", EU):
        sc.resource("lambda", "invoice-render", region=reg, runtime="ruby3.3",
                    timeout=30 if reg != EU else 60, memory_size=1536, trigger="eventbridge")
        sc.resource("lambda", "invoice-mailer", region=reg, runtime="ruby3.3", timeout=30,
                    memory_size=256)
        sc.resource("rds", "billing-db", region=reg, engine="postgres", engine_version="16.4",
                    instance_class="db.m6g.large", max_connections=600, allocated_storage_gb=200)
    lu, le = kit.load(sc, "us-east-1", 0.25, 13), kit.load(sc, EU, 0.25, 13)
    bulk = lambda t: step(t, onset, 0, 1)  # noqa: E731
    rate = lambda t: 9 * lu(t)             # noqa: E731
    fn = kit.lam(sc, "invoice-render", rate, lambda t: 3900 + 7600 * bulk(t),
                 ratio=lambda t: 0.27 * bulk(t))
    kit.lam(sc, "invoice-render", lambda t: 6 * le(t), lambda t: 3700, region=EU)
    kit.lam(sc, "invoice-mailer", lambda t: 9 * lu(t) * (1 - 0.27 * bulk(t)), lambda t: 310)
    kit.lam(sc, "invoice-mailer", lambda t: 6 * le(t), lambda t: 300, region=EU)
    kit.rds(sc, "billing-db", lambda t: 22 * lu(t) + 45 * bump(t, -2880, -2640, 1, 60),
            lambda t: 60, lambda t: 150 - t / 86400)
    kit.rds(sc, "billing-db", lambda t: 20 * le(t), lambda t: 55, lambda t: 158, region=EU)

    ll = LambdaLogs(sc, "invoice-render", "ruby3.3", 1536, 30, mem_used=(420, 40),
                    prewarm=-10740)

    def body(ll_, t, rid, is_err, cold):
        f = ll_.fmt
        big = is_err or (t >= onset and sc.rng.random() < 0.2)
        lines_n = sc.rng.randint(420, 950) if big else sc.rng.randint(1, 40)
        oid = f"{'B2B' if big else 'ORD'}-{sc.rng.randint(10 ** 6, 10 ** 7)}"
        pages = max(1, lines_n // 12)
        out = [(0.01, f(t + 0.01, rid, "INFO", f"rendering invoice order={oid} lines={lines_n} "
                                               f"pages={pages} template=invoice_v7"))]
        if sc.rng.random() < 0.12:
            out.append((0.4, f(t + 0.4, rid, "WARN", "Prawn: font fallback to NotoSans for glyph "
                                                      "U+20B9 (INR sign)")))
        if is_err:
            for k in range(1, 4):
                tt = 8.5 * k
                out.append((tt, f(t + tt, rid, "INFO", f"render progress order={oid} page="
                                  f"{int(pages * tt / 34)}/{pages}")))
            return {"dur": 30000, "lines": out, "status": "timeout"}
        dur = (max(900.0, sc.rng.gauss(3500, 900)) if not big
               else sc.rng.uniform(14000, 28500))
        out.append((dur / 1000 - 0.3, f(t + dur / 1000 - 0.3, rid, "INFO",
                    f"uploaded s3://invoices-use1/{oid}.pdf ({pages} pages, "
                    f"{sc.rng.randint(40, 900)} KB)")))
        out.append((dur / 1000 - 0.01, f(t + dur / 1000, rid, "INFO",
                    f"published InvoiceReady order={oid} in {int(dur)} ms")))
        return {"dur": dur, "lines": out}

    ll.run(kit.counts_per_minute(fn["inv"], -10800, 0), kit.counts_per_minute(fn["err"], -10800, 0),
           body)
    sc.change(-2900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "invoice-render", "p.dubois", region=EU)
    sc.change(-2650, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "invoice-mailer", "gitlab-ci")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "invoice-render", "gitlab-ci")
    sc.alarm("invoice-render-use1-errors", "AWS/Lambda", "Errors",
             {"FunctionName": "invoice-render"}, "Sum", 300, 1, 4, "GreaterThanThreshold",
             "invoice-render failures (us-east-1)")
    sc.alarm("billing-db-use1-cpu", "AWS/RDS", "CPUUtilization",
             {"DBInstanceIdentifier": "billing-db"}, "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "invoice-render-use1-errors",
                 "root_cause": {"category": "function_timeout", "resource": ["invoice-render"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": "invoice-render"}}]}
    sc.meta = dict(front="origin", services="Lambda (Ruby 3.3), RDS PostgreSQL",
                   decoys="invoice-render config update in eu-west-1; invoice-mailer deploy "
                          "in us-east-1 50 s after onset; billing-db CPU blip; old font warnings",
                   story=(
        "From onset about a quarter of us-east-1 `invoice-render` invocations end with "
        "`Task timed out after 30.00 seconds` (REPORT `Status: timeout`, Duration pinned at "
        "30 000 ms). The failing requests are large B2B orders (`lines=420..950`, dozens of "
        "pages) whose render progress lines advance steadily until the limit; there is no "
        "error from S3, the database or any other dependency, and ordinary orders keep "
        "rendering in ~3.5 s. Decoys: the eu-west-1 copy of the function (timeout 60 s) had its "
        "configuration updated shortly before onset, `invoice-mailer` was deployed in us-east-1 "
        "50 s after onset, `billing-db` shows a short CPU blip, and font-fallback warnings are "
        "old."))
    return sc


# =========================================================================== 10
def build_10() -> Scenario:
    sc = Scenario(10, "account-alb-5xx-euw1", "account-alb 5xx alarm in eu-west-1; sign-in and "
                  "'my orders' pages failing in Europe.", "eu-west-1", 67010, "2026-12-06T09:15:00")
    US = "us-east-1"
    onset = -1980
    lb_e, lb_u = kit.alb_id(sc, "account-alb"), kit.alb_id(sc, "account-alb")
    for reg, lb in (("eu-west-1", lb_e), (US, lb_u)):
        sc.resource("alb", lb, region=reg, name="account-alb", scheme="internet-facing")
        sc.resource("ecs", "shop/accounts", region=reg, launch_type="FARGATE", desired_count=6,
                    log_group="/ecs/accounts")
        sc.resource("ecs", "shop/wishlist", region=reg, launch_type="FARGATE", desired_count=3)
        sc.resource("rds", "profile-db", region=reg, engine="postgres", engine_version="15.8",
                    instance_class="db.r6g.large", max_connections=800, allocated_storage_gb=300,
                    storage_type="gp3")
    le, lu = kit.load(sc, "eu-west-1", 0.3, 12), kit.load(sc, US, 0.3, 12)
    io = lambda t: ramp(t, onset, onset + 180)  # noqa: E731
    kit.alb(sc, lb_e, lambda t: 900 * le(t), lambda t: 0.07 + 6.5 * io(t),
            t5=lambda t: 0.8 + 85 * io(t) * le(t), e5=lambda t: 0.1 + 12 * io(t),
            healthy=lambda t: 6)
    kit.alb(sc, lb_u, lambda t: 700 * lu(t), lambda t: 0.07, t5=lambda t: 0.6,
            healthy=lambda t: 6, region=US)
    kit.ecs(sc, "shop", "accounts", lambda t: 30 * le(t) - 12 * io(t), lambda t: 47,
            tasks=lambda t: 6)
    kit.ecs(sc, "shop", "accounts", lambda t: 28 * lu(t) + 20 * bump(t, -2160, -1900, 1, 60),
            lambda t: 46, tasks=lambda t: 6 + 6 * bump(t, -2100, -1850, 1, 30), region=US)
    kit.ecs(sc, "shop", "wishlist", lambda t: 12 + 15 * bump(t, -2060, -1800, 1, 60),
            lambda t: 35, tasks=lambda t: 3)
    lat_r = lambda t: 0.0009 + 0.75 * io(t)  # noqa: E731
    kit.rds(sc, "profile-db", lambda t: 18 * le(t) - 5 * io(t), lambda t: 120 + 95 * io(t),
            lambda t: 211 - t / 86400, rlat=lat_r, wlat=lambda t: 0.0018 + 1.3 * io(t),
            extra=[("DiskQueueDepth", "Count", lambda t: 0.8 + 64 * io(t), {"noise": 0.15}),
                   ("ReadIOPS", "Count/Second", lambda t: 2400 * le(t) * (1 - 0.85 * io(t)),
                    {"noise": 0.1})])
    kit.rds(sc, "profile-db", lambda t: 17 * lu(t), lambda t: 110, lambda t: 207 - t / 86400,
            region=US, extra=[("DiskQueueDepth", "Count", lambda t: 0.7, {"noise": 0.2})])

    g = "/ecs/accounts"
    for _ in range(3):
        st = f"accounts/accounts/{kit.task_id(sc)}"
        kit.sprinkle(sc, g, st, lambda t: 3 * le(t) * (1 - 0.6 * io(t)), lambda t: serilog(
            sc, t, "INF", "Serilog.AspNetCore.RequestLoggingMiddleware",
            f"HTTP {kit.pick(sc, ['GET', 'GET', 'POST'])} "
            f"{kit.pick(sc, ['/account/orders', '/account/profile', '/auth/session'])} responded "
            f"200 in {sc.rng.uniform(12, 90):.4f} ms"))
        kit.sprinkle(sc, g, st, lambda t: 0.5, lambda t: serilog(
            sc, t, "WRN", "Accounts.Api.Auth.TokenService", f"Refresh token expired for user "
            f"{sc.rng.randint(10 ** 6, 10 ** 7)}; forcing re-login"), start=-21600)
        kit.sprinkle(sc, g, st, lambda t: 0.25, lambda t: serilog(
            sc, t, "ERR", "Microsoft.EntityFrameworkCore.Update", "An exception occurred in the "
            "database while saving changes for context type 'Accounts.Data.ProfileContext'. "
            "Npgsql.PostgresException (0x80004005): 23505: duplicate key value violates unique "
            "constraint \"ix_newsletter_subscriptions_email\""), start=-21600)
        kit.sprinkle(sc, g, st, lambda t: 4 * io(t), lambda t: serilog(
            sc, t, "ERR", "Microsoft.EntityFrameworkCore.Database.Command",
            f"Failed executing DbCommand ({sc.rng.randint(30000, 30090):,}ms) "
            "[Parameters=[@__userId_0='?' (DbType = Int64)], CommandType='Text', "
            "CommandTimeout='30'] SELECT o.id, o.placed_at, o.total FROM orders_view AS o WHERE "
            "o.user_id = @__userId_0"), start=onset)
        kit.sprinkle(sc, g, st, lambda t: 3 * io(t), lambda t: serilog(
            sc, t, "ERR", "Microsoft.AspNetCore.Server.Kestrel", "Connection id \"0HN8"
            f"{sc.hexid(8).upper()}\", Request id \"0HN8{sc.hexid(8).upper()}:00000002\": An "
            "unhandled exception was thrown by the application. Npgsql.NpgsqlException "
            "(0x80004005): Exception while reading from stream ---> System.TimeoutException: "
            "Timeout during reading attempt"), start=onset)
    pg_g, pg_s = "/aws/rds/instance/profile-db/postgresql", "profile-db.0"

    def ckpt(t):
        slow = io(t) > 0.5
        w = sc.rng.uniform(180, 280) if slow else sc.rng.uniform(26, 29.9)
        s = sc.rng.uniform(40, 95) if slow else sc.rng.uniform(0.01, 0.2)
        return pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(1500, 6000)} buffers"
                  f" ({sc.rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, "
                  f"{sc.rng.randint(1, 4)} recycled; write={w:.3f} s, sync={s:.3f} s, "
                  f"total={w + s:.3f} s", pid=388)
    kit.every(sc, pg_g, pg_s, 300, ckpt)
    kit.sprinkle(sc, pg_g, pg_s, lambda t: 3 * io(t), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(8000, 31000):.3f} ms  execute <unnamed>: SELECT "
        "o.id, o.placed_at, o.total FROM orders_view AS o WHERE o.user_id = $1",
        client=f"10.40.{sc.rng.randint(1, 30)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
        user="accounts", db="profile"), start=onset)
    kit.sprinkle(sc, pg_g, pg_s, lambda t: 0.15, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint "
        "\"ix_newsletter_subscriptions_email\"", user="accounts", db="profile"), start=-21600)
    sc.change(-2160, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/accounts",
              "argo-deployer", region=US)
    sc.change(-2040, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/wishlist",
              "argo-deployer")
    sc.change(-17800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/accounts",
              "argo-deployer")
    sc.alarm("account-alb-euw1-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb_e}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "account ALB target 5xx (eu-west-1)")
    sc.alarm("profile-db-euw1-read-latency", "AWS/RDS", "ReadLatency",
             {"DBInstanceIdentifier": "profile-db"}, "Average", 300, 1, 0.05,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "account-alb-euw1-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": ["profile-db"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency",
                                "dimensions": {"DBInstanceIdentifier": "profile-db"}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (.NET 8/Serilog), RDS PostgreSQL",
                   decoys="shop/accounts deploy in us-east-1 and shop/wishlist deploy in "
                          "eu-west-1 shortly before onset; old duplicate-key ERRORs and token "
                          "warnings",
                   judgement=(
        "The database is slow, not exhausted: connections rise only from ~120 to ~215 of 800, "
        "CPU falls, storage is two-thirds free. Storage I/O latency (ReadLatency ~0.75 s, "
        "DiskQueueDepth ~65, checkpoint sync taking minutes) is the fault, so this is "
        "dependency_failure at profile-db, not storage_exhaustion or db_connection_exhaustion."),
                   story=(
        "The eu-west-1 `account-alb` returns target 5xx because `shop/accounts` requests hang "
        "for the full 30 s command timeout: `Failed executing DbCommand (30,0xxms)` and "
        "`NpgsqlException: Exception while reading from stream ---> TimeoutException`. The "
        "eu-west-1 `profile-db` shows why: ReadLatency from ~1 ms to ~750 ms, WriteLatency "
        "over a second, DiskQueueDepth ~65 and ReadIOPS collapsing, while CPU drops and "
        "connections stay far below max_connections; its log shows minute-long checkpoint "
        "syncs and 8-30 s statements that normally take milliseconds. The us-east-1 copy is "
        "healthy. Decoys: `shop/accounts` was deployed in us-east-1 and `shop/wishlist` in "
        "eu-west-1 in the minutes before onset; duplicate-key and expired-token messages are "
        "old."))
    return sc
