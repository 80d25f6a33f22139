"""h88-01 (Postgres connection slots used up behind the app ALB) and h88-02 (public API Lambda at
its reserved concurrency during one tenant's bulk upsert)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, pg, rails

from .kit import LOG_START, S88, alb_metrics, apigw_metrics, ecs_metrics, emit, flat, lam_metrics, per_min, rds_metrics


def sidekiq(sc, t, level, msg, cls=None, jid=None, **kv):
    ctx = f" class={cls} jid={jid}" if cls else ""
    extra = "".join(f" {k}={v}" for k, v in kv.items())
    return f"{sc.iso(t)} pid=7 tid={sc.hexid(4)}{ctx}{extra} {level}: {msg}"


def build01() -> S88:
    T0 = -2280
    sc = S88(1, "bulk-merge-4471", "Customers see 500s in the CRM web app; the ALB target 5XX alarm "
             "paged the on-call.", "eu-west-2", 8801, "2026-02-17T10:40:00+00:00", {
                 "front": "front (ALB)", "services": ["alb", "ecs", "rds", "lambda"],
                 "decoys": "deploy of search-indexer-sync 2.5 min before onset; steady webhook "
                           "Net::ReadTimeout and Rack::Attack noise; nightly reindex spike",
             })
    lb, db = "app/crm-app-edge/3f9a1c7e20b4d815", "crm-pg-main"
    sc.resource("alb", lb, name="crm-app-edge", scheme="internet-facing")
    sc.resource("ecs", "crm-prod/web", launch_type="FARGATE", desired_count=6, cpu=2048, memory=4096,
                log_group="/ecs/crm-prod/web")
    sc.resource("ecs", "crm-prod/sidekiq-default", launch_type="FARGATE", desired_count=4,
                log_group="/ecs/crm-prod/sidekiq")
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=250, allocated_storage_gb=500, multi_az=True)
    sc.resource("lambda", "search-indexer-sync", runtime="python3.12", timeout=120, memory_size=1024)
    hot = lambda t: ramp(t, T0 - 420, T0 + 60)  # noqa: E731  lock pile-up after the merge jobs start
    req = lambda t: 880 * diurnal(sc, t, 13)  # noqa: E731
    alb = alb_metrics(sc, lb, req, lambda t: 0.14 + 2.6 * hot(t), lambda t: 1.2 + 70 * ramp(t, T0 - 60, T0 + 240),
                      hosts=6)
    ecs_metrics(sc, "crm-prod", "web", lambda t: 34 * diurnal(sc, t, 13) - 12 * hot(t), flat(52))
    ecs_metrics(sc, "crm-prod", "sidekiq-default", lambda t: 27 + 14 * hot(t), flat(61))
    rds_metrics(sc, db, lambda t: 24 + 26 * hot(t), lambda t: min(247, 128 * diurnal(sc, t, 13, 0.1) + 140 * hot(t)),
                lambda t: 311.4 - 0.2 * (t + 21600) / 21600,
                read_lat=lambda t: 0.0012 + 0.004 * hot(t), conn_cap=247)
    lam = lam_metrics(sc, "search-indexer-sync", lambda t: 7 + bump(t, -14100, -13000, 40), lambda t: 0.004,
                      lambda t: 5200 + bump(t, -14100, -13000, 30000))
    sc.alarm("crm-app-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "CRM web app: targets returning 5xx")
    sc.alarm("crm-pg-main-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 60, 5, 225, "GreaterThanThreshold", "Primary CRM database connection count")
    sc.alarm("crm-app-edge-latency-p50", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold")
    sc.alarm("search-indexer-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "search-indexer-sync"},
             "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.change(T0 - 150, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "search-indexer-sync", "gh-actions-deployer")
    sc.change(T0 - 140, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "search-indexer-sync", "gh-actions-deployer")
    sc.change(-15800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-automation")
    # ---- web (lograge key=value inside the Rails logger prefix)
    err5 = dict(zip(range(-21600, 0, 60), alb["5xx"]))
    tasks = [sc.hexid(32) for _ in range(2)]
    paths = [("GET", "/api/v1/contacts", "Api::V1::ContactsController#index"),
             ("GET", "/api/v1/deals", "Api::V1::DealsController#index"),
             ("PATCH", "/api/v1/contacts/{id}", "Api::V1::ContactsController#update"),
             ("GET", "/inbox/threads", "InboxController#index"), ("POST", "/api/v1/notes", "Api::V1::NotesController#create")]

    def web(t):
        task = sc.rng.choice(tasks)
        stream = f"web/rails/{task}"
        rid = sc.uuid()
        meth, path, ca = sc.rng.choice(paths)
        path = path.replace("{id}", str(sc.rng.randint(10 ** 6, 9 * 10 ** 6)))
        tenant = sc.rng.choice([1180, 2210, 3307, 4471, 5123, 6610, 7002])
        m = int(t // 60 * 60)
        fail = sc.rng.random() < min(0.9, err5.get(m, 0) / max(1, req(t)) * 6)
        if fail and t < T0 - 90:
            sc.log("/ecs/crm-prod/web", stream, t, rails(sc, t, "ERROR", "ActionView::Template::Error (undefined "
                   "method `display_name' for nil:NilClass)", rid))
            status, dur, dbt = 500, sc.rng.uniform(40, 200), 12.0
        elif fail:
            e = sc.rng.choice([
                'ActiveRecord::ConnectionNotEstablished (connection to server at "10.0.21.14", port 5432 failed: '
                'FATAL:  remaining connection slots are reserved for non-replication superuser connections)',
                "ActiveRecord::ConnectionNotEstablished (connection to server at \"10.0.21.14\", port 5432 failed: "
                "FATAL:  sorry, too many clients already)"])
            sc.log("/ecs/crm-prod/web", stream, t, rails(sc, t, "ERROR", e, rid))
            sc.log("/ecs/crm-prod/web", stream, t + 0.001, rails(sc, t, "ERROR", "  app/models/current_tenant.rb:18:in `load!'", rid))
            status, dur, dbt = 500, sc.rng.uniform(40, 900), 0.0
        else:
            status = 200
            dur = sc.rng.uniform(30, 160) * (1 + 14 * hot(t))
            dbt = dur * sc.rng.uniform(0.3, 0.7)
        ctrl, act = ca.split("#")
        sc.log("/ecs/crm-prod/web", stream, t + dur / 1000, rails(
            sc, t + dur / 1000, "INFO", f"method={meth} path={path} format=json controller={ctrl} action={act} "
            f"status={status} duration={dur:.2f} view={dur * 0.1:.2f} db={dbt:.2f} tenant_id={tenant}", rid))

    emit(sc, LOG_START, 0, lambda t: 5 * diurnal(sc, t, 13), web)
    emit(sc, LOG_START, 0, 0.7, lambda t: sc.log("/ecs/crm-prod/web", f"web/rails/{tasks[0]}", t, rails(
        sc, t, "WARN", f"[Rack::Attack] throttled discriminator=tenant:2210 matched=api/tenant/burst "
        f"path=/api/v1/contacts/search ip=52.56.{sc.rng.randint(1, 250)}.{sc.rng.randint(1, 250)}")))
    # ---- sidekiq
    sq = "/ecs/crm-prod/sidekiq"
    sstreams = [f"sidekiq/worker/{sc.hexid(32)}" for _ in range(2)]

    def job(t):
        cls = sc.rng.choice(["SyncMailboxJob", "ReindexContactJob", "ActivityRollupJob", "SendSequenceStepJob"])
        jid = sc.hexid(24)
        s = sc.rng.choice(sstreams)
        sc.log(sq, s, t, sidekiq(sc, t, "INFO", "start", cls, jid))
        if T0 - 60 < t and sc.rng.random() < 0.55 * ramp(t, T0 - 60, T0 + 200):
            sc.log(sq, s, t + 0.3, sidekiq(sc, t + 0.3, "WARN", "ActiveRecord::ConnectionNotEstablished: connection to "
                   "server at \"10.0.21.14\", port 5432 failed: FATAL:  sorry, too many clients already", cls, jid))
            sc.log(sq, s, t + 0.31, sidekiq(sc, t + 0.31, "INFO", "fail", cls, jid, elapsed=0.301))
        else:
            el = sc.rng.uniform(0.05, 1.6) * (1 + 6 * hot(t))
            sc.log(sq, s, t + el, sidekiq(sc, t + el, "INFO", "done", cls, jid, elapsed=f"{el:.3f}"))

    emit(sc, LOG_START, 0, 4, job)
    emit(sc, LOG_START, 0, 0.9, lambda t: sc.log(sq, sstreams[1], t, sidekiq(
        sc, t, "WARN", f"Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)> "
        f"(POST https://hooks.{sc.rng.choice(['acme-freight.io', 'brightlane.co.uk', 'solvent-hr.com'])}/crm/events)",
        "WebhookDeliveryJob", sc.hexid(24), retry_count=sc.rng.randint(1, 12))))

    def merge(t):
        jid = sc.hexid(24)
        sc.log(sq, sc.rng.choice(sstreams), t, sidekiq(sc, t, "INFO", "start", "Tenants::BulkMergeDuplicatesJob",
                                                       jid, tenant_id=4471, batch=f"{sc.rng.randint(1, 380)}/380"))
    emit(sc, T0 - 560, 0, lambda t: 3.5 if t < T0 + 600 else 1.2, merge)
    sc.log(sq, sstreams[0], T0 - 575, sidekiq(sc, T0 - 575, "INFO", "enqueued 380 batches (382114 contacts) "
                                              "strategy=email_domain", "Tenants::BulkMergeDuplicatesJob",
                                              sc.hexid(24), tenant_id=4471))
    # ---- postgres
    pgg = f"/aws/rds/instance/{db}/postgresql"
    pgs = f"{db}.0"
    emit(sc, LOG_START, 0, 0.17, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", "checkpoint complete: wrote "
         f"{sc.rng.randint(800, 4000)} buffers ({sc.rng.uniform(1, 5):.1f}%); 0 WAL file(s) added, 0 removed, "
         f"{sc.rng.randint(1, 4)} recycled; write=269.{sc.rng.randint(100, 999)} s, sync=0.004 s, total="
         f"269.{sc.rng.randint(100, 999)} s")))
    emit(sc, LOG_START, 0, 0.5, lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT \"activities\".* FROM "
        "\"activities\" WHERE \"activities\".\"tenant_id\" = $1 ORDER BY occurred_at DESC LIMIT 500",
        "10.0.11.52(40312)", "crm_app", "crm_production")))
    emit(sc, T0 - 480, 0, lambda t: 4 * hot(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"process {sc.rng.randint(2000, 30000)} still waiting for ShareLock on transaction "
        f"{sc.rng.randint(91000000, 91900000)} after 1000.{sc.rng.randint(100, 999)} ms",
        f"10.0.12.{sc.rng.randint(20, 90)}(5{sc.rng.randint(1000, 9999)})", "crm_app", "crm_production")))
    emit(sc, T0 - 30, 0, lambda t: 9 * ramp(t, T0 - 30, T0 + 120), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "FATAL", sc.rng.choice(["remaining connection slots are reserved for non-replication superuser "
                                       "connections", "sorry, too many clients already"]),
        f"10.0.{sc.rng.choice([11, 12])}.{sc.rng.randint(20, 90)}(4{sc.rng.randint(1000, 9999)})", "crm_app",
        "crm_production")))
    # ---- search-indexer-sync (python, the decoy deploy)
    ll = LambdaLogs(sc, "search-indexer-sync", "python3.12", 1024, 120,
                    epochs=((-10 ** 9, "41"), (T0 - 140, "42")), retire=(T0 - 150,))

    def body(ll, t, rid, is_err, cold):
        n = sc.rng.randint(20, 400)
        lines = [(0.01, ll.fmt(t + 0.01, rid, "INFO", f"indexed batch docs={n} index=contacts-v7 took_ms={n * 11}"))]
        if is_err:
            lines.append((0.5, ll.fmt(t + 0.5, rid, "WARNING", "bulk item failed status=429 es_rejected_execution_exception; "
                                                          "will retry via DLQ")))
        return {"dur": sc.rng.uniform(2500, 8000), "lines": lines}
    ll.run(per_min(lam["inv"]), per_min(lam["err"]), body)
    sc.expect_("crm-app-edge-target-5xx", "db_connection_exhaustion", [db],
               [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta["story"] = (
        "Tenant 4471 kicked off a bulk duplicate merge (380 Sidekiq batches) about 14 minutes before the "
        "page. The merge batches take row locks on contacts; Postgres starts logging `still waiting for "
        "ShareLock`, web requests pile up holding their connections, and `DatabaseConnections` on crm-pg-main "
        "climbs from ~130 to 247 of 250. From then on both Rails web and Sidekiq fail with `FATAL: remaining "
        "connection slots are reserved` / `sorry, too many clients already`, and the ALB counts target 5xx. "
        "The deploy to search-indexer-sync 2.5 minutes before onset is closer in time but its errors and "
        "duration do not move; the webhook `Net::ReadTimeout` and Rack::Attack lines run at the same rate all "
        "morning. Decided by the connection metric at the limit plus the server-side FATALs.")
    return sc


def build02() -> S88:
    T0 = -1980
    sc = S88(2, "partner-batch-upsert", "Public REST API returning 5xx to integration partners; the 5XXError "
             "alarm fired.", "ca-central-1", 8802, "2026-02-18T17:25:00+00:00", {
                 "front": "front (API Gateway)", "services": ["apigateway", "lambda"],
                 "decoys": "config update on deal-stage-webhooks 90 s before onset; API 4XX alarm in ALARM "
                           "for hours (one tenant over its usage-plan quota)",
             })
    api, fn = "crm-public-api", "contacts-api-handler"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", api_id="k3v9q2x7ma")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=29, memory_size=1024, reserved_concurrency=60)
    sc.resource("lambda", "deal-stage-webhooks", runtime="nodejs20.x", timeout=60, memory_size=512)
    bulk = lambda t: ramp(t, T0 - 240, T0 + 60) * (1 - ramp(t, -300, -60) * 0.1)  # noqa: E731
    base = lambda t: 1300 * diurnal(sc, t, 18, 0.2)  # noqa: E731
    want = lambda t: base(t) + 850 * bulk(t)  # noqa: E731
    thr = lambda t: 420 * ramp(t, T0 - 60, T0 + 120) * bulk(t)  # noqa: E731
    lam = lam_metrics(sc, fn, lambda t: want(t) - thr(t), lambda t: 0.002,
                      lambda t: 780 + 1150 * bulk(t), thr=thr, conc_cap=60)
    overq = lambda t: 58 + 4 * diurnal(sc, t, 18)  # noqa: E731
    apigw_metrics(sc, api, want, overq, lambda t: 0.5 + thr(t) * 0.97, lambda t: 820 + 1000 * bulk(t))
    lam_metrics(sc, "deal-stage-webhooks", lambda t: 40 * diurnal(sc, t, 18), lambda t: 0.01, lambda t: 950)
    sc.alarm("crm-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api, "Stage": "prod"}, "Sum", 60, 3,
             20, "GreaterThanThreshold", "Public API server errors (partners)")
    sc.alarm("crm-public-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api, "Stage": "prod"}, "Sum", 300, 2,
             200, "GreaterThanThreshold", "Public API client errors")
    sc.alarm(f"{fn}-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 5, 10,
             "GreaterThanThreshold")
    sc.change(T0 - 90, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "deal-stage-webhooks", "jmartel@crmco.ca")
    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-release-bot")
    sc.change(-16900, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan", "partner-gold",
              "jmartel@crmco.ca")
    tenants = ["t_1a90", "t_2c07", "t_44be", "t_5d11", "t_8f21", "t_91aa"]
    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 29, epochs=((-10 ** 9, "$LATEST"),), mem_used=(210, 25))

    def body(ll, t, rid, is_err, cold):
        big = sc.rng.random() < 0.6 * bulk(t)
        ten = "t_8f21" if big else sc.rng.choice(tenants)
        route = "POST /v1/contacts/batch" if big else sc.rng.choice(
            ["GET /v1/contacts", "GET /v1/contacts/{id}", "PATCH /v1/deals/{id}", "GET /v1/companies"])
        dur = sc.rng.uniform(2200, 4200) if big else sc.rng.uniform(300, 1200)
        msg = jline({"level": "info", "tenant": ten, "route": route, "status": 200,
                     "records": sc.rng.randint(200, 500) if big else 1, "ms": round(dur)})
        return {"dur": dur, "lines": [(dur / 1000 - 0.002, ll.fmt(t + dur / 1000 - 0.002, rid, "INFO", msg))]}
    sample = {m: max(1, round(v / 160)) for m, v in per_min(lam["inv"]).items()}
    ll.run(sample, {}, body)
    gid, gs = "API-Gateway-Execution-Logs_k3v9q2x7ma/prod", "k3v9q2x7ma-prod"

    def gw(t):
        rid = sc.uuid()
        if sc.rng.random() < thr(t) / max(1.0, want(t)):
            sc.log(gid, gs, t, f"({rid}) Lambda invocation failed with status: 429. Lambda request id: {sc.uuid()}")
            sc.log(gid, gs, t + 0.002, f"({rid}) Execution failed due to configuration error: Rate Exceeded.")
            sc.log(gid, gs, t + 0.003, f"({rid}) Method completed with status: 500")
        elif sc.rng.random() < 0.35:
            sc.log(gid, gs, t, f"({rid}) API Key **********{sc.hexid(6)} exceeded the quota for usage plan "
                                f"partner-standard (tenant t_2c07)")
            sc.log(gid, gs, t + 0.001, f"({rid}) Method completed with status: 429")
        else:
            sc.log(gid, gs, t, f"({rid}) Method completed with status: 200")
    emit(sc, LOG_START, 0, 3, gw)
    sc.expect_("crm-public-api-5xx", "throttling", [fn],
               [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "Tenant t_8f21 starts a bulk contact upsert through `POST /v1/contacts/batch` a few minutes before the "
        "page. Batch calls run 2-4 s instead of under a second, so concurrency on contacts-api-handler reaches "
        "its reserved 60 while total requests rise only ~60 %. Lambda `Throttles` jumps from 0 to hundreds a "
        "minute and API Gateway's execution log shows `Lambda invocation failed with status: 429` / `Rate "
        "Exceeded` mapped to 500. The 4XX alarm has been in ALARM all afternoon because another tenant is "
        "over its usage-plan quota (unchanged rate), and the config update to deal-stage-webhooks 90 s before "
        "onset touches a function whose metrics stay flat. Decided by Throttles on the function with "
        "ConcurrentExecutions pinned at the reserved limit.")
    return sc


BUILDERS = [build01, build02]
