"""h88-15 (one tenant's smart-list query pins the Canadian Postgres CPU; the web ALB alarms; a web
deploy lands mid-incident) and h88-16 (attachment preview Lambda OOM on one tenant's scanned PDFs
behind the attachments API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, rails

from .kit import (LOG_START, S88, alb_metrics, apigw_metrics, ecs_metrics, emit, flat, lam_metrics, per_min,
                  rds_metrics)


def build15() -> S88:
    T0 = -2280
    HOT = T0 - 420
    DEP = T0 - 210
    sc = S88(15, "smart-list-ilike", "CRM web app slow for all Canadian customers; latency alarm on the web "
             "load balancer.", "ca-central-1", 8815, "2026-03-06T16:20:00+00:00", {
                 "front": "front (ALB)", "services": ["alb", "ecs", "rds"],
                 "decoys": "web service deploy 5 min before the alarm, after the CPU rise; scanner 404s "
                           "(RoutingError) all day; connections up but far from the limit",
             })
    lb, db, svc = "app/crm-web-ca/91f3a0c6d2e7b584", "crm-ca-pg-02", "crm-ca/web"
    sc.resource("alb", lb, name="crm-web-ca", scheme="internet-facing")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=8, cpu=2048, memory=4096, log_group="/ecs/crm-ca/web")
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
                max_connections=1600, allocated_storage_gb=2000)
    pin = lambda t: ramp(t, HOT, HOT + 240)  # noqa: E731
    req = lambda t: 1500 * diurnal(sc, t, 18, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.11 + 1.9 * pin(t), lambda t: 1 + 0.012 * req(t) * pin(t), hosts=8,
                t4xx=lambda t: 0.02 * req(t))
    ecs_metrics(sc, "crm-ca", "web", lambda t: 38 * diurnal(sc, t, 18, 0.2) - 10 * pin(t) + bump(t, DEP, DEP + 240, 9),
                flat(49), tasks=lambda t: 8 + 8 * bump(t, DEP + 30, DEP + 230, 1, 1) // 1)
    rds_metrics(sc, db, lambda t: 29 * diurnal(sc, t, 18, 0.2) + 75 * pin(t), lambda t: 240 + 110 * pin(t),
                lambda t: 1380.0, read_lat=lambda t: 0.0009 + 0.011 * pin(t), mem_gb=38.0)
    sc.alarm("crm-web-ca-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5,
             1.0, "GreaterThanThreshold", "CRM web (Canada) response time")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 90,
             "GreaterThanThreshold")
    sc.change(DEP - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "crm-ca-web",
              "github-actions-deploy")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-deploy")
    sc.change(-15100, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", db, "cost-tagger")
    g = "/ecs/crm-ca/web"
    old = [f"web/rails/{sc.hexid(32)}" for _ in range(2)]
    new = [f"web/rails/{sc.hexid(32)}" for _ in range(2)]
    err = lambda t: 0.012 * pin(t)  # noqa: E731

    def web(t):
        s = sc.rng.choice(old if t < DEP + 150 else new)
        rid = sc.uuid()
        ctrl, act, path = sc.rng.choice([("ContactsController", "index", "/contacts"),
                                         ("DealsController", "board", "/deals/board"),
                                         ("Api::V1::ContactsController", "show", "/api/v1/contacts/4418821"),
                                         ("InboxController", "index", "/inbox")])
        ten = sc.rng.choice(["t_0c4e", "t_19aa", "t_44be", "t_5d11", "t_8f21", "t_c3e8"])
        if sc.rng.random() < err(t) * 25:
            sc.log(g, s, t, rails(sc, t, "ERROR", "ActiveRecord::QueryCanceled (PG::QueryCanceled: ERROR:  canceling "
                                  "statement due to statement timeout\n):", rid))
            dur, st = 15000 + sc.rng.uniform(1, 40), 500
        else:
            dur, st = sc.rng.uniform(40, 220) * (1 + 16 * pin(t) * sc.rng.random()), 200
        sc.log(g, s, t + dur / 1000, rails(sc, t + dur / 1000, "INFO", f"method=GET path={path} format=html "
                                           f"controller={ctrl} action={act} status={st} duration={dur:.2f} "
                                           f"view={dur * 0.15:.2f} db={dur * 0.7:.2f} tenant_id={ten}", rid))
    emit(sc, LOG_START, 0, lambda t: 5 * diurnal(sc, t, 18, 0.2), web)
    emit(sc, LOG_START, 0, 0.8, lambda t: sc.log(g, sc.rng.choice(old if t < DEP + 150 else new), t, rails(
        sc, t, "FATAL", f"ActionController::RoutingError (No route matches [GET] \"/{sc.rng.choice(['wp-login.php', '.env', 'phpmyadmin/index.php', 'xmlrpc.php'])}\"):")))
    for s, t0 in [(new[0], DEP + 40), (new[1], DEP + 44)]:
        sc.log(g, s, t0, rails(sc, t0, "INFO", "Puma starting in cluster mode... * Puma version: 6.4.2 * Ruby version: "
                               "ruby 3.3.0 * Min threads: 5 * Max threads: 5 * Environment: production * Workers: 4"))
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, LOG_START, 0, 0.4, lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"automatic vacuum of table \"crm_production.public.activities\": index scans: 1 pages: 0 "
        f"removed, {sc.rng.randint(200000, 400000)} remain, 0 scanned (0.00% of total)")))
    emit(sc, HOT - 30, 0, lambda t: 6 * pin(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(9000, 15000):.3f} ms  execute <unnamed>: SELECT \"contacts\".* FROM "
        "\"contacts\" LEFT JOIN activities ON activities.contact_id = contacts.id WHERE contacts.tenant_id = $1 "
        "AND (contacts.notes ILIKE $2 OR activities.body ILIKE $2) ORDER BY contacts.updated_at DESC LIMIT 5000",
        f"10.30.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}(5{sc.rng.randint(1000, 9999)})", "crm_app",
        "crm_production")))
    emit(sc, HOT, 0, lambda t: 1.2 * pin(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", "application_name=crm-api-integration tenant=t_c3e8 smart_list=sl_88213 (\"Everyone who "
        "mentioned renewal\") refreshed via API", f"10.30.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}(5"
        f"{sc.rng.randint(1000, 9999)})", "crm_app", "crm_production")))
    emit(sc, HOT + 180, 0, lambda t: 3 * pin(t), lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", f"10.30.{sc.rng.randint(1, 9)}."
        f"{sc.rng.randint(2, 250)}(5{sc.rng.randint(1000, 9999)})", "crm_app", "crm_production")))
    sc.expect_("crm-web-ca-latency", "cpu_saturation", [db],
               [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}])
    sc.meta["story"] = (
        "Tenant t_c3e8's API integration starts refreshing a smart list (`Everyone who mentioned renewal`) "
        "whose query ILIKE-scans contacts joined to activities. Each run takes 9-15 s and they overlap: "
        "crm-ca-pg-02's CPU goes from ~33 % to 99-100 % and read latency rises tenfold; every page that "
        "touches the database slows, some hit the 15 s statement timeout (`PG::QueryCanceled`), and the ALB's "
        "average response time passes 1 s. A web deploy lands about five minutes before the alarm, but the "
        "database CPU was already pinned before it and the new tasks log the same errors as the old ones. "
        "Connections rise to ~350 of 1,600, so this is not connection exhaustion; the scanner RoutingErrors "
        "are constant.")
    return sc


def build16() -> S88:
    T0 = -1920
    sc = S88(16, "scanned-pdf-preview", "Attachment previews failing in the inbox; 5XXError alarm on the "
             "attachments API.", "eu-west-2", 8816, "2026-03-09T13:30:00+00:00", {
                 "front": "front (API Gateway)", "services": ["apigateway", "lambda"],
                 "decoys": "config update of attachment-av-scan 80 s before onset; `cannot identify image file` "
                           "415s all day; latency alarm",
             })
    api, fn = "crm-attachments-api", "attachment-preview"
    sc.resource("apigateway", api, stage="v1", endpoint_type="REGIONAL", api_id="w2ab6r8x1n")
    sc.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=1024)
    sc.resource("lambda", "attachment-av-scan", runtime="python3.12", timeout=120, memory_size=2048)
    big = lambda t: ramp(t, T0 - 200, T0 + 20)  # noqa: E731
    cnt = lambda t: 70 * diurnal(sc, t, 13, 0.25)  # noqa: E731
    lam = lam_metrics(sc, fn, cnt, lambda t: 0.003 + 0.3 * big(t), lambda t: 900 + 2600 * big(t))
    apigw_metrics(sc, api, cnt, lambda t: cnt(t) * 0.04, lambda t: 0.2 + cnt(t) * 0.3 * big(t),
                  lambda t: 980 + 2500 * big(t), stage="v1")
    lam_metrics(sc, "attachment-av-scan", lambda t: cnt(t) * 0.6, lambda t: 0.0, lambda t: 4200)
    dims = {"ApiName": api, "Stage": "v1"}
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", dims, "Sum", 60, 3, 6, "GreaterThanThreshold",
             "Attachment API server errors")
    sc.alarm(f"{api}-latency", "AWS/ApiGateway", "Latency", dims, "Average", 60, 5, 2500, "GreaterThanThreshold")
    sc.change(T0 - 80, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "attachment-av-scan", "k.doyle@crmco.io")
    sc.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gh-actions-deployer")
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 29, retire=(-13900,), mem_used=(310, 40))

    def body(ll, t, rid, is_err, cold):
        hot = (is_err and big(t) >= 0.2) or sc.rng.random() < 0.25 * big(t)
        ten = "t_91aa" if hot else sc.rng.choice(["t_0c4e", "t_19aa", "t_44be", "t_5d11", "t_8f21"])
        size = sc.rng.uniform(180, 420) if hot else sc.rng.uniform(0.05, 12)
        pages = sc.rng.randint(240, 900) if hot else sc.rng.randint(1, 20)
        kind = "application/pdf" if hot or sc.rng.random() < 0.6 else sc.rng.choice(["image/png", "image/jpeg",
                                                                                   "image/tiff"])
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"preview tenant={ten} attachment=att_{sc.hexid(12)} "
                                                        f"type={kind} size_mb={size:.1f} pages={pages}"))]
        if is_err and big(t) < 0.2:
            lines.append((0.3, "[ERROR] PDFPageCountError: Unable to get page count.\nSyntax Error: Couldn't find "
                               "trailer dictionary\nTraceback (most recent call last):\n  File \"/var/task/preview/"
                               "handler.py\", line 48, in handler\n    pages = pdfinfo_from_bytes(body)[\"Pages\"]"))
            return {"dur": sc.rng.uniform(300, 600), "lines": lines}
        if is_err:
            d = sc.rng.uniform(2500, 7000)
            lines.append((0.4, ll.fmt(t + 0.4, rid, "INFO", f"rasterizing pages 1-{pages} at 150dpi (pdf2image)")))
            lines.append((d / 1000 - 0.05, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            lines.append((d / 1000 - 0.04, "Runtime.ExitError"))
            return {"dur": d, "lines": lines, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
        if kind != "application/pdf" and sc.rng.random() < 0.08:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "WARNING", "PIL.UnidentifiedImageError: cannot identify image "
                                                                 "file <_io.BytesIO object> -> 415")))
            return {"dur": sc.rng.uniform(60, 200), "lines": lines}
        d = sc.rng.uniform(400, 1800) * (4 if hot else 1)
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000 - 0.01, rid, "INFO", f"preview rendered pages=1-"
                                                                            f"{min(pages, 3)} bytes={sc.rng.randint(40000, 400000)}")))
        return {"dur": d, "lines": lines, "mem": int(min(1000, sc.rng.gauss(860, 60))) if hot else None}
    ll.run({m: max(1, round(v / 6)) for m, v in per_min(lam["inv"]).items()},
           {m: round(v / 6) for m, v in per_min(lam["err"]).items()}, body)
    sc.expect_(f"{api}-5xx", "memory_exhaustion", [fn],
               [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "Tenant t_91aa's mailbox sync starts pulling scanned contracts (180-420 MB PDFs, hundreds of pages) "
        "and the inbox requests previews for them. attachment-preview rasterises every page in memory; those "
        "invocations end with `Runtime exited with error: signal: killed`, `Max Memory Used: 1024 MB` of "
        "1024 and `Error Type: Runtime.OutOfMemory`, and API Gateway returns 502 for about 30 % of requests. "
        "Durations stay far below the 29 s timeout. The config update to attachment-av-scan 80 s before "
        "onset is a different function with flat metrics; the `cannot identify image file` 415s are old "
        "background.")
    return sc


BUILDERS = [build15, build16]
