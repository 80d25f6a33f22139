"""h64-15 (ECS gunicorn service fed by a legacy cron host) and h64-16 (Django hosts, SSM parameter edit)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp, step
from .estate import alb, ec2, ecs, emit, every, iid, lam, pick, pylog, rds, syslog
from .runtimes import LambdaLogs, gunicorn, pg


def s15() -> Scenario:
    sc = Scenario(15, "pricing-service-memory",
                  "Pricing service memory alarm; shop pages intermittently missing prices.",
                  "ap-southeast-1", 6415, "2026-06-18T02:30:00")
    rng = sc.rng
    push, decoy = -2950, -2400
    kills = [-2160, -1930, -1710, -1420, -1150, -880, -640, -420, -190]
    sync = iid(sc)
    load = lambda t: 1.0 + 2.2 * ramp(t, push + 60, push + 900)

    def mem(t):
        v = 51.0 + 45.5 * ramp(t, push + 60, push + 780)
        for k in kills:
            if k <= t < k + 120:
                v -= 4.5 * (1 - ramp(t, k + 20, k + 120))
        return v
    ecs(sc, "core-svc", "pricing-api", lambda t: 31 * diurnal(sc, t, 3, .2) + 9 * ramp(t, push + 60, push + 780),
        mem, lambda t: 3.0 if any(k <= t < k + 60 for k in kills[::3]) else 4.0, 4, launch_type="FARGATE",
        task_definition="pricing-api:118", memory_mb=4096, cpu_units=1024)
    ecs(sc, "core-svc", "promo-api", lambda t: 12.0 + bump(t, decoy + 30, decoy + 240, 10, 20), lambda t: 34.0 + bump(t, decoy + 30, decoy + 240, 6, 20),
        lambda t: 2.0 + bump(t, decoy + 30, decoy + 200, 2, 10), 2, launch_type="FARGATE", task_definition="promo-api:57")
    ec2(sc, sync, "catalog-sync-01", "m5.large", lambda t: 6 + bump(t, push - 600, push + 60, 55, 60), lambda t: 41.0 + bump(t, push - 600, push + 60, 20, 60),
        lambda t: 57.0, log_groups=["/catalog/sync", "/var/log/cron"])
    rds(sc, "catalog-pg", "postgres", "db.r6g.large", 800, 400, lambda t: 12 + bump(t, push - 600, push + 60, 44, 60), lambda t: 38.0, lambda t: 240.0)
    tasks = [sc.hexid(32) for _ in range(4)]
    g = "/ecs/pricing-api"
    for i, tk in enumerate(tasks):
        st = f"pricing/pricing-api/{tk}"
        pids = [rng.randint(20, 40) + 10 * j for j in range(4)]
        emit(sc, g, st, lambda t: 2.0, lambda t: gunicorn(sc, t, rng.choice(pids), "INFO", f'{sc.ip("10.31")} "GET /v1/price?sku={rng.randint(10 ** 6, 10 ** 7)} HTTP/1.1" 200 {rng.randint(180, 420)} {rng.randint(4, 40)}ms').replace("[INFO] ", ""), start=-14400)
        emit(sc, g, st, lambda t: 0.35, lambda t: gunicorn(sc, t, rng.choice(pids), "WARNING", f"Invalid request from ip={sc.ip('10.31')}: Invalid HTTP request line: ''"), start=-14400)
        for j, p in enumerate(pids):
            tt = push + 90 + i * 7 + j * 2
            sc.log(g, st, tt, pylog(sc, tt, "INFO", "pricing.catalog", f"worker {p}: catalog reloaded from s3://catalog-exports/full/2026-06-18.parquet: 1,284,113 SKUs (was 412,806), rss={rng.uniform(0.82, 0.9):.2f} GiB"))
        for k in kills:
            if rng.random() < 0.55 or k == kills[-1 - i % 3]:
                p = rng.choice(pids)
                sc.log(g, st, k + rng.uniform(0, 20), gunicorn(sc, k + 1, 1, "ERROR", f"Worker (pid:{p}) was sent SIGKILL! Perhaps out of memory?"))
                sc.log(g, st, k + 21, gunicorn(sc, k + 21, rng.randint(100, 900), "INFO", f"Booting worker with pid: {rng.randint(100, 900)}"))
    sg = "/catalog/sync"
    sc.log("/var/log/cron", sync, push - 610, syslog(sc, push - 610, "ip-10-31-6-14", "CROND", "(catalog) CMD (/opt/catalog/bin/push_full_catalog.sh --include-marketplace)", pid=31877))
    every(sc, "/var/log/cron", sync, 3600, lambda t: syslog(sc, t, "ip-10-31-6-14", "CROND", "(catalog) CMD (/opt/catalog/bin/push_delta.sh)", pid=rng.randint(2000, 30000)), start=-21000)
    every(sc, sg, sync, 3600, lambda t: pylog(sc, t, "INFO", "catalog.delta", f"delta push: {rng.randint(800, 3000)} changed SKUs"), start=-20990)
    sc.log(sg, sync, push - 5, pylog(sc, push - 5, "INFO", "catalog.full", "exported 1,284,113 SKUs (marketplace sellers included) to s3://catalog-exports/full/2026-06-18.parquet"))
    sc.log(sg, sync, push, pylog(sc, push, "INFO", "catalog.full", "POST http://pricing.core-svc.internal/internal/catalog/reload -> 202 Accepted"))
    sc.change(decoy - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "promo-api:57", "jenkins")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "core-svc/promo-api", "jenkins")
    sc.alarm("pricing-api-memory", "AWS/ECS", "MemoryUtilization", {"ClusterName": "core-svc", "ServiceName": "pricing-api"},
             "Average", 60, 3, 85, "GreaterThanThreshold", "pricing-api memory high")
    sc.alarm("catalog-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-pg"}, "Average", 300, 1, 50, "GreaterThanThreshold")
    sc.expect = {"alarm": "pricing-api-memory", "root_cause": {"category": "memory_exhaustion", "resource": ["core-svc/pricing-api", "pricing-api"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": {"ClusterName": "core-svc", "ServiceName": "pricing-api"}}]}
    sc.meta = {"front": "origin (ECS service)", "decoys": "promo-api deployment in the same cluster 4 min before the first OOM kill; catalog-pg CPU alarm from the export; gunicorn 'Invalid request' warnings all along",
               "story": "`pricing-api` MemoryUtilization rises from ~51 % to ~96 % and stays there with saw-teeth. Jenkins deployed `promo-api` in the same cluster shortly before the first kills, a tempting culprit, but promo-api's metrics and its tasks are fine. In pricing-api's log every worker logs `catalog reloaded ... 1,284,113 SKUs (was 412,806)` after catalog-sync-01's nightly cron pushed a full catalog that now includes marketplace sellers; from then on gunicorn reports `Worker (pid:N) was sent SIGKILL! Perhaps out of memory?` every few minutes and RunningTaskCount dips as tasks are replaced. No deploy or config change touched pricing-api. Memory exhaustion on core-svc/pricing-api."}
    return sc


def s16() -> Scenario:
    sc = Scenario(16, "crm-outage-afternoon",
                  "CRM down for the sales team; ALB target 5xx alarm.",
                  "eu-south-1", 6416, "2026-03-25T14:10:00")
    rng = sc.rng
    put, restart, decoy = -2460, -2400, -2430
    hosts = [iid(sc), iid(sc)]
    names = {hosts[0]: "crm-app-01", hosts[1]: "crm-app-02"}
    load = lambda t: 260 * diurnal(sc, t, 14, .3)
    bad = lambda t: step(t, restart + 20, 0.0, 1.0)
    for h in hosts:
        ec2(sc, h, names[h], "m6i.large", lambda t: 24 * diurnal(sc, t, 14, .3) * (1 - 0.6 * bad(t)) + bump(t, restart, restart + 40, 30, 10) + (h == hosts[1]) * bump(t, -9000, -8600, 40, 60),
            lambda t: 58.0 - 5 * bad(t), lambda t: 46.0, log_groups=["/crm/django", "/crm/gunicorn"])
    lb = alb(sc, "crm-lb", load, lambda t: 0.4 + 0.9 * load(t) * bad(t), lambda t: 0.16 + 4.9 * bad(t), lambda t: 2.0)
    rds(sc, "crm-pg", "postgres", "db.m6g.large", 400, 200, lambda t: 18 * diurnal(sc, t, 14, .3) * (1 - 0.8 * bad(t)),
        lambda t: 42 - 38 * bad(t), lambda t: 133.0)
    fn = "crm-lead-scorer"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=512)
    lm = lam(sc, fn, lambda t: 1.5, lambda t: 0.0, lambda t: 820.0)
    LambdaLogs(sc, fn, "python3.12", 512, 60, retire=[decoy]).run(
        {m: v for m, v in zip(range(-21600, 0, 60), lm["inv"]) if m >= -10800 and v}, {},
        lambda ll, t, rq, e, c: {"dur": rng.uniform(500, 1200), "lines": [(0.4, ll.fmt(t + 0.4, rq, "INFO", f"scored {rng.randint(5, 60)} leads"))]})
    endpoint = "crm-pg.c9xk2mv1ab3d.eu-south-1.rds.amazonaws.com"
    for i, h in enumerate(hosts):
        pids = [rng.randint(3000, 9000) for _ in range(4)]
        emit(sc, "/crm/gunicorn", h, lambda t: 3.0, lambda t: f'{sc.ip("10.20")} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET /{pick(rng, [(3, "leads/"), (2, "accounts/%d/" % rng.randint(100, 9999)), (1, "reports/pipeline/")])} HTTP/1.1" {500 if bad(t) and rng.random() < 0.9 else 200} {rng.randint(900, 40000)} "-" "Mozilla/5.0"', start=-14400)
        emit(sc, "/crm/django", h, lambda t: 0.6, lambda t: pylog(sc, t, "ERROR", "django.security.DisallowedHost",
             f"Invalid HTTP_HOST header: '{rng.randint(3, 99)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}'. You may need to add it to ALLOWED_HOSTS."), start=-14400)
        emit(sc, "/crm/django", h, lambda t: 2.5 * bad(t), lambda t: pylog(sc, t, "ERROR", "django.request",
             f'Internal Server Error: /leads/\nTraceback (most recent call last):\n  File "/opt/crm/venv/lib/python3.11/site-packages/django/db/backends/base/base.py", line 275, in ensure_connection\n    self.connect()\npsycopg2.OperationalError: connection to server at "{endpoint}" (10.20.3.14), port 5433 failed: timeout expired'), start=restart)
        t0 = restart + 3 + i
        for k, (lv, name, msg) in enumerate([
                ("INFO", "gunicorn.error", "Handling signal: term"), ("INFO", "gunicorn.error", "Shutting down: Master"),
                ("INFO", "gunicorn.error", "Starting gunicorn 21.2.0"), ("INFO", "gunicorn.error", "Listening at: unix:/run/crm/gunicorn.sock"),
                ("INFO", "crm.settings", f"loaded 14 parameters from SSM path /crm/prod/ (DB_HOST={endpoint}, DB_PORT=5433, DB_NAME=crm)")]):
            sc.log("/crm/django", h, t0 + k * 0.8, pylog(sc, t0 + k * 0.8, lv, name, msg))
        sc.log("/crm/django", h, -20500 + i, pylog(sc, -20500 + i, "INFO", "crm.settings", f"loaded 14 parameters from SSM path /crm/prod/ (DB_HOST={endpoint}, DB_PORT=5432, DB_NAME=crm)"))
    pgg, pgs = "/aws/rds/instance/crm-pg/postgresql", "crm-pg.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(300, 2000)} buffers ({rng.uniform(0.2, 1.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=402), start=-21600)
    emit(sc, pgg, pgs, lambda t: 0.1, lambda t: pg(sc, t, "LOG", f"duration: {rng.uniform(1000, 2600):.3f} ms  statement: SELECT COUNT(*) FROM leads_lead WHERE owner_id = {rng.randint(1, 90)}",
         client=f"{sc.ip('10.20')}({rng.randint(30000, 60000)})", user="crm", db="crm") if t < restart else None, start=-21600)
    sc.change(-19800, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/crm/prod/SMTP_RELAY_HOST", "luca.bianchi")
    sc.change(put, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/crm/prod/DB_PORT", "luca.bianchi")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "bitbucket-pipelines")
    for h in hosts:
        sc.change(restart, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", h, "luca.bianchi")
    sc.alarm("crm-lb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "CRM 5xx from targets")
    sc.alarm("crm-lb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 2.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "crm-lb-5xx", "root_cause": {"category": "config_change", "resource": hosts + [names[h] for h in hosts]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "front (ALB -> crm-app hosts)", "decoys": "Lambda code deploy 30 s after the parameter edit; errors read like a database outage (connection timeouts) while crm-pg is healthy; DisallowedHost errors all along",
               "story": "`crm-lb` target 5xx jump to ~90 % of requests and latency to ~5 s. The Django log is full of `psycopg2.OperationalError: connection to server at crm-pg... port 5433 failed: timeout expired`, which reads like a database failure; but crm-pg is healthy: CPU and connections fall because nothing reaches it, and its log shows no crash or restart. CloudTrail shows `luca.bianchi` running `PutParameter` on `/crm/prod/DB_PORT` and, a minute later, an SSM `SendCommand` to both app hosts; each host's log shows gunicorn restarting and `crm.settings` now loading `DB_PORT=5433` where this morning it loaded 5432. The Lambda code deploy in between is unrelated. A configuration change applied to the CRM app hosts (config beats dependency by the tie-break)."}
    return sc
