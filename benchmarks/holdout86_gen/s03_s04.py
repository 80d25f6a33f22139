"""h86-03 wallet MySQL out of connections at an event launch; h86-04 patch-day inventory deploy."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import jline, mysql, serilog

from .kit import (GRID, LambdaLogs, alb_metrics, ecs_metrics, lambda_metrics, load, new,
                  rds_metrics, sample_logs, sprinkle, task_id)

SKUS = ["gems_500", "gems_1200", "battlepass_s11", "skin_bundle_ember", "emote_pack_7"]


def s03():
    sc = new(3, "store-purchases-failing", "In-game store purchases failing in EU; store ALB 5xx alarm.",
             "eu-central-1", "2026-03-14T19:10:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=19.0, amp=0.3)
    db, lb = "econ-mysql-a", "app/store-edge-euc1/3b8e51c07a9d2f44"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500, multi_az=True)
    sc.resource("alb", lb, name="store-edge-euc1")
    sc.resource("ecs", "shop/store-api", launch_type="FARGATE", desired_count=6, language="dotnet8",
                db_pool_max=20)
    sc.resource("ecs", "shop/catalog-api", launch_type="FARGATE", desired_count=3, language="dotnet8")
    sc.resource("lambda", "event-grant", runtime="nodejs20.x", timeout=30, memory_size=256,
                trigger="sqs:reward-grants")
    on, full = -2400, -2130

    def envs(t):  # event-grant execution environments alive (each keeps its own connection)
        return 1 + 330 * (0 if t < on else min(1.0, (t - on) / 420))

    def conns(t):
        return min(400.0, 64 + 22 * L(t) + 1.0 * envs(t))

    def sat(t):
        return 1.0 if conns(t) >= 399 and t >= full else 0.0

    rds_metrics(sc, db, lambda t: 21 * L(t) + (17 if t >= on else 0), conns, lambda t: 311 - (t + 21600) / 21600 * 0.6,
                lambda t: 5.8 - (0.5 if t >= on else 0), read_lat=lambda t: 0.0011 + (0.0006 if t >= on else 0),
                conn_cap=400.0)
    req = lambda t: 2600 * L(t)
    alb_metrics(sc, lb, req, lambda t: 1.2 + 0.34 * req(t) * sat(t), lambda t: 0.3,
                lambda t: 0.085 + 0.05 * sat(t), lambda t: 9, tgt4=lambda t: 0.02 * req(t))
    ecs_metrics(sc, "shop", "store-api", lambda t: 27 * L(t), lambda t: 54.0, lambda t: 6)
    ecs_metrics(sc, "shop", "catalog-api", lambda t: 18 * L(t) + bump(t, -2180, -1960, 30, 60),
                lambda t: 47.0 - (6 if t >= -2180 else 0), lambda t: 3 + (1 if -2180 <= t < -1960 else 0))
    gi, ge = lambda_metrics(sc, "event-grant", lambda t: 4 if t < on else 4 + 880 * min(1.0, (t - on) / 300),
                            lambda t: 0 if not sat(t) else 330, lambda t: 170 + (230 if t >= on else 0),
                            conc=lambda t: envs(t) * (0.9 if t >= on else 0.4))
    sc.alarm("store-edge-euc1-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 30, "GreaterThanThreshold", "Store API 5xx (EU)")
    sc.alarm("catalog-api-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "shop", "ServiceName": "catalog-api"},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.change(-2190, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-api:57",
              "azure-devops-shop")
    sc.change(-2180, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/catalog-api", "azure-devops-shop")
    sc.change(-20900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "event-grant", "azure-devops-shop")
    # ---- store-api (Serilog plain text)
    for k in range(3):
        st = f"ecs/store-api/{task_id(sc)}"
        src = "Store.Api.Controllers.PurchaseController"
        sprinkle(sc, "/ecs/shop/store-api", st, -21600, 0, lambda t: 2.0 * L(t), lambda t: serilog(
            sc, t, "INF", src, f"Purchase completed sku={rng.choice(SKUS)} player=p_{rng.randint(10 ** 7, 10 ** 8)} "
                               f"order=ord_{sc.hexid(12)} elapsed={rng.randint(40, 140)}ms") if not sat(t) or rng.random() < 0.6 else None)
        sprinkle(sc, "/ecs/shop/store-api", st, -21600, 0, 0.5, lambda t: serilog(
            sc, t, "WRN", "Store.Api.Fraud.VelocityCheck",
            f"Purchase velocity flag player=p_{rng.randint(10 ** 7, 10 ** 8)} count={rng.randint(3, 6)} window=60s action=review"))
        sprinkle(sc, "/ecs/shop/store-api", st, full, 0, lambda t: 3.0 * sat(t), lambda t: serilog(
            sc, t, "ERR", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
            "An unhandled exception has occurred while executing the request.\n"
            "MySqlConnector.MySqlException (0x80004005): Too many connections\n"
            "   at MySqlConnector.Core.ServerSession.ReceiveReplyAsyncAwaited(ValueTask`1 task) in /_/src/MySqlConnector/Core/ServerSession.cs:line 951\n"
            "   at MySqlConnector.Core.ServerSession.ConnectAsync(ConnectionSettings cs, MySqlConnection connection, Int64 startingTimestamp, ILoadBalancer loadBalancer, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken)\n"
            "   at MySqlConnector.MySqlConnection.CreateSessionAsync(ConnectionPool pool, Int64 startingTimestamp, Activity activity, Nullable`1 ioBehavior, CancellationToken cancellationToken)\n"
            "   at Store.Api.Wallet.WalletRepository.DebitAsync(PlayerId player, Int64 gems, CancellationToken ct) in /src/Store.Api/Wallet/WalletRepository.cs:line 58"))
    cs = f"ecs/catalog-api/{task_id(sc)}"
    sprinkle(sc, "/ecs/shop/catalog-api", cs, -21600, 0, 1.0, lambda t: serilog(
        sc, t, "INF", "Catalog.Api.Offers.OfferService", f"Served offers region=EU count={rng.randint(12, 30)} cache=hit"))
    for t in (-2170, -2169.5):
        sc.log("/ecs/shop/catalog-api", f"ecs/catalog-api/{task_id(sc)}", t, serilog(
            sc, t, "INF", "Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080"))
    # ---- MySQL error log: aborted connections, more once frozen Lambda environments hold them
    eg = f"/aws/rds/instance/{db}/error"
    sprinkle(sc, eg, db, -21600, 0, lambda t: 0.15 + (1.2 if t >= on + 600 else 0), lambda t: mysql(
        sc, t, rng.randint(20000, 90000), "Note", "MY-010914", f"Aborted connection {rng.randint(10 ** 5, 10 ** 6)} to db: "
        f"'econ' user: '{rng.choice(['grant_svc', 'grant_svc', 'store_app']) if t >= on else 'store_app'}' host: '10.40.{rng.randint(8, 40)}.{rng.randint(2, 250)}' "
        f"(Got timeout reading communication packets)."))
    # ---- event-grant Lambda (Node)
    ll = LambdaLogs(sc, "event-grant", "nodejs20.x", 256, 30, mem_used=(96, 8))

    def gbody(ll, t, req, is_err, cold):
        lines = []
        if cold:
            lines.append((0.002, ll.fmt(t, req, "INFO", "mysql pool created host=econ-mysql-a.cqk3v1xyzp0e.eu-central-1.rds.amazonaws.com connectionLimit=2")))
        if is_err:
            lines.append((0.03, ll.fmt(t, req, "ERROR", "Invoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"Too many connections\","
                                       "\"code\":\"ER_CON_COUNT_ERROR\",\"errno\":1040,\"sqlState\":\"08004\",\"stack\":[\"Error: Too many connections\","
                                       "\"    at Packet.asError (/var/task/node_modules/mysql2/lib/packets/packet.js:728:17)\"]}")))
            return {"dur": rng.uniform(25, 60), "lines": lines, "status": "error", "error_type": "Error"}
        n = rng.randint(5, 10)
        lines.append((0.3, ll.fmt(t, req, "INFO", f"granted {n} rewards event={'spring_fest_d1' if t >= on else 'daily_login'}")))
        return {"dur": rng.gauss(170 + (230 if t >= on else 0), 40), "lines": lines}
    sample_logs(sc, ll, gi, ge, -14400, 2.5, gbody)
    sc.expect = {"alarm": "store-edge-euc1-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        alarm_on="front (ALB)", runtime=".NET 8 on ECS, Node.js Lambda", logs="Serilog plain, MySQL error log, Lambda (Node)",
        services=["alb", "ecs", "rds", "lambda"],
        decoys="catalog-api deployment 3 min before errors start (and its CPU alarm); steady fraud velocity warnings",
        story="At the Spring Festival launch (-40 min) the event-grant Lambda goes from a few invocations a minute to "
              "about 880 from an SQS backlog; each of its ~330 execution environments keeps its own MySQL pool. "
              "econ-mysql-a's DatabaseConnections climb from about 90 and flat-top at max_connections 400 at -33 min, "
              "and from then store-api's purchases fail with `MySqlConnector.MySqlException: Too many connections` "
              "(event-grant also fails with ER_CON_COUNT_ERROR 1040). DB CPU rises only to ~45 %. The catalog-api "
              "deployment just before has nothing to do with the wallet path.",
        judgement="event-grant's environment fan-out is what used the connections up; the label follows the category "
                  "table (connections at the limit) and names the exhausted database as the origin, as the public "
                  "example does.")
    return sc


def s04():
    sc = new(4, "inventory-merge-500s", "Patch 7.2 day: players report items disappearing on merge; inventory ALB 5xx.",
             "eu-central-1", "2026-03-17T10:40:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=19.0, amp=0.35)
    cl, svc, lb = "live-euc1", "inventory-api", "app/inv-edge-euc1/c41d0e9a7b3f6612"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, language="dotnet8",
                image="…/inventory-api:7.2.0")
    sc.resource("alb", lb, name="inv-edge-euc1")
    sc.resource("rds", "inv-pg-euc1", engine="postgres", instance_class="db.r6g.xlarge", max_connections=1000,
                allocated_storage_gb=800)
    sc.resource("lambda", "chat-filter", runtime="dotnet8", timeout=5, memory_size=512)
    dep = -2520
    new_share = lambda t: 0.0 if t < dep + 60 else min(1.0, (t - dep - 60) / 240)
    req = lambda t: 3100 * L(t)
    merge = 0.11
    alb_metrics(sc, lb, req, lambda t: 0.6 + req(t) * merge * 0.8 * new_share(t), lambda t: 0.4,
                lambda t: 0.062 + 0.01 * new_share(t), lambda t: 4 + (4 if dep + 60 <= t < dep + 330 else 0),
                tgt4=lambda t: 0.01 * req(t))
    ecs_metrics(sc, cl, svc, lambda t: 33 * L(t) + bump(t, dep + 60, dep + 330, 12, 60), lambda t: 61.0,
                lambda t: 4 + (4 if dep + 60 <= t < dep + 330 else 0))
    rds_metrics(sc, "inv-pg-euc1", lambda t: 19 * L(t) + bump(t, -17400, -16500, 48, 240), lambda t: 180 * L(t),
                lambda t: 402 - (t + 21600) / 3600 * 0.4, lambda t: 21.0)
    lambda_metrics(sc, "chat-filter", lambda t: 2200 * L(t), lambda t: 0.4, lambda t: 14.0 + (1.5 if t > -2440 else 0))
    sc.alarm("inv-edge-euc1-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Inventory API 5xx")
    sc.alarm("inv-pg-euc1-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "inv-pg-euc1"}, "Average",
             300, 1, 60, "GreaterThanThreshold")
    sc.change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:214",
              "github-actions-patch72")
    sc.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-patch72")
    sc.change(-2440, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "chat-filter", "m.keller")
    sc.change(-17500, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "inv-pg16-params", "m.keller")
    grp = "/ecs/live-euc1/inventory-api"

    def ev(t, level, mt, x=None, **props):
        src = props.pop("src", "Inventory.Api")
        o = {"@t": sc.iso(t, 6)[:-1] + "0Z", "@mt": mt}
        if level != "Information":
            o["@l"] = level
        if x:
            o["@x"] = x
        o.update(props)
        o["SourceContext"] = src
        return jline(o)
    nre = ("System.NullReferenceException: Object reference not set to an instance of an object.\n"
           "   at Inventory.Api.Stacking.ItemStackMerger.Merge(InventoryItem target, InventoryItem source) in /src/Inventory.Api/Stacking/ItemStackMerger.cs:line 87\n"
           "   at Inventory.Api.Endpoints.MergeEndpoint.HandleAsync(MergeRequest req, CancellationToken ct) in /src/Inventory.Api/Endpoints/MergeEndpoint.cs:line 41\n"
           "   at Microsoft.AspNetCore.Http.RequestDelegateFactory.ExecuteTaskResult[T](Task`1 task, HttpContext httpContext)")

    def stream(start, end, version, build, share):
        st = f"ecs/inventory-api/{task_id(sc)}"
        if start > -21600:
            for j, (mt, kv) in enumerate([("Inventory API {Version} ({Build}) starting", {"Version": version, "Build": build}),
                                          ("Now listening on: {address}", {"address": "http://[::]:8080"}),
                                          ("Application started. Press Ctrl+C to shut down.", {})]):
                sc.log(grp, st, start + 0.2 * j, ev(start + 0.2 * j, "Information", mt, src="Microsoft.Hosting.Lifetime", **kv))
        sprinkle(sc, grp, st, start, end, lambda t: 2.4 * L(t), lambda t: ev(
            t, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
            src="Serilog.AspNetCore.RequestLoggingMiddleware", RequestMethod=rng.choice(["GET", "GET", "POST"]),
            RequestPath=f"/v2/inventory/p_{rng.randint(10 ** 7, 10 ** 8)}", StatusCode=200, Elapsed=round(rng.uniform(8, 60), 4)))
        sprinkle(sc, grp, st, start, end, 0.7, lambda t: ev(
            t, "Warning", "Optimistic concurrency conflict on {PlayerId}, retry {Attempt}", src="Inventory.Api.Data.InventoryStore",
            PlayerId=f"p_{rng.randint(10 ** 7, 10 ** 8)}", Attempt=rng.randint(1, 3)))
        if share:
            sprinkle(sc, grp, st, start, end, lambda t: 2.2 * L(t), lambda t: ev(
                t, "Error", "Unhandled exception processing {Method} {Path}", nre, src="Inventory.Api.Middleware.ErrorHandling",
                Method="POST", Path="/v2/inventory/{playerId}/merge", RequestId=f"0HN{sc.hexid(9).upper()}:00000002", Version=version))
    for k in range(4):
        stream(-21600, dep + 90 + 60 * k, "7.1.4", "2026.03.03.1", False)
        stream(dep + 60 + 60 * k, 0, "7.2.0", "2026.03.17.3", True)
    cf = LambdaLogs(sc, "chat-filter", "dotnet8", 512, 5)
    ci = {t: 2 for t in GRID if t >= -10800}
    cf.run(ci, {}, lambda ll, t, req, e, c: {"dur": rng.gauss(14, 3), "lines": [(0.002, ll.fmt(t, req, "INFO", f"Filtered message channel=guild verdict={rng.choice(['clean'] * 9 + ['masked'])}"))]})
    sc.expect = {"alarm": "inv-edge-euc1-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        alarm_on="front (ALB)", runtime=".NET 8 on ECS", logs="Serilog compact JSON", services=["alb", "ecs", "rds", "lambda"],
        decoys="chat-filter configuration update 80 s after the deploy, closer to the onset; DB CPU alarm from a morning spike; steady concurrency-conflict warnings",
        story="inventory-api is rolled to 7.2.0 (RegisterTaskDefinition + UpdateService at -42 min). As the new tasks "
              "replace the old ones the ALB's target 5xx rise to about 11 % of requests, and every new task logs "
              "`System.NullReferenceException` in `ItemStackMerger.Merge` on POST /merge, a signature absent from the 7.1.4 "
              "tasks' logs all morning. The chat-filter environment change lands closer to the onset but that "
              "function's metrics never move; the optimistic-concurrency warnings run at the same rate before and after.")
    return sc


BUILDERS = [s03, s04]
