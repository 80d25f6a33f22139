"""h47-13 (pricing-api TypeError on a campaign's bundle SKUs) and h47-14 (billing-web-1 runs out of memory)."""
from __future__ import annotations

from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, ok_alarm,
                   scenario)

C = aws.C

FLASK_TB = [("/usr/local/lib/python3.12/site-packages/flask/app.py", 1473, "wsgi_app",
             "response = self.full_dispatch_request()"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 882, "full_dispatch_request",
             "rv = self.handle_user_exception(e)"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 880, "full_dispatch_request",
             "rv = self.dispatch_request()"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 865, "dispatch_request",
             "return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)  # type: ignore[no-any-return]"),
            ("/app/pricing/views.py", 58, "price_batch", "results = [engine.price(item, ctx) for item in payload[\"items\"]]"),
            ("/app/pricing/engine.py", 141, "price", "discount = self._campaign_discount(item, campaign)"),
            ("/app/pricing/engine.py", 203, "_campaign_discount",
             "return (item.list_price * campaign.rate_for(item.sku)).quantize(YEN)")]


def _flask(clk, t, level, module, msg):
    d = clk.dt(t)
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d}] {level} in {module}: {msg}"


def build_13():
    rng = Rng(4713)
    region, acct = "ap-northeast-1", "667788990011"
    clk = Clock(datetime(2026, 3, 23, 1, 40, 0))
    lb, tg = "app/shop-jp-public/5e7a9c1b3d0f2468", "targetgroup/pricing-api-tg/2d4f6a8c0e1b3579"
    onset = -2400
    active = lambda t: 1.0 if t >= onset else 0.0  # noqa: E731
    resources = [
        aws.ecs_resource("catalog-jp", "pricing-api", launch_type="FARGATE", td="pricing-api:88",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/pricing-api:6.3.0", cpu=1024, memory=2048, desired=4,
                         log_group="/ecs/catalog-jp/pricing-api", tg=tg, container="pricing-api",
                         extra={"runtime": "python3.12 (Flask on gunicorn, 8 gthread workers)",
                                "deployments": [{"task_definition": "pricing-api:88", "status": "PRIMARY",
                                                 "rollout_state": "COMPLETED", "desired": 4}],
                                "last_deployed": "9 days ago"}),
        aws.ecs_resource("catalog-jp", "search-indexer", launch_type="FARGATE", td="search-indexer:57",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/search-indexer:2.2.0", cpu=512, memory=1024,
                         desired=2, log_group="/ecs/catalog-jp/search-indexer", container="search-indexer",
                         extra={"runtime": "go1.22"}),
        {"type": "alb", "id": lb, "properties": {"name": "shop-jp-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service catalog-jp/pricing-api"}]}},
        {"type": "rds", "id": "catalog-db", "properties": {"engine": "postgres", "engine_version": "15.5",
                                                           "instance_class": "db.r6g.xlarge", "max_connections": 1600,
                                                           "allocated_storage_gb": 800}},
    ]
    req = lambda t: 1900 * diurnal(t, 0.35, -26000)  # noqa: E731
    t5 = lambda t: 0.2 + req(t) * 0.071 * active(t)  # noqa: E731
    vacuum = lambda t: 1.0 if (t % 7200) // 60 in range(30, 42) else 0.0  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "catalog-jp", "pricing-api", cpu=lambda t: 31 * diurnal(t, 0.35, -26000), mem=C(52.0),
                               running=C(4), desired=C(4))
    metrics += aws.ecs_service(rng, "catalog-jp", "search-indexer", cpu=C(18.0), mem=C(40.0),
                               running=lambda t: 4 if -2700 <= t < -2520 else 2, desired=C(2), task_cpu=512, task_mem=1024)
    metrics += aws.alb_lb(rng, lb, req=req, rt=C(0.052), t5xx=t5, elb5xx=C(0.05))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=C(0.052), t5xx=t5, healthy=C(4))
    metrics += tgm
    metrics += aws.rds(rng, "catalog-db", cpu=lambda t: 19 * diurnal(t, 0.35, -26000) + 26 * vacuum(t), conns=C(132),
                       free_mem=C(1.9e10), free_storage=C(5.6e11))
    rds_cpu = next(m for m in metrics if m["namespace"] == "AWS/RDS" and m["name"] == "CPUUtilization")

    ts = aws.TaskSet(rng, "/ecs/catalog-jp/pricing-api", "pricing-api", 4, LOG_START)
    for k in ts.tasks:
        tr = onset + rng.uniform(3, 40)
        k["stream"].add(tr, fmt.pylog(
            clk, tr, "INFO", "pricing.campaigns", "campaign cache refreshed: 3 active campaigns "
                                                         "(SPRING26 starts_at=2026-03-23T10:00:00+09:00, 1284 skus)"))
        for t in every(LOG_START, -5, 300, jitter=5, rng=rng):
            if t < onset:
                k["stream"].add(t, fmt.pylog(clk, t, "INFO", "pricing.campaigns",
                                             "campaign cache refreshed: 2 active campaigns"))
    ips = [rng.ip("10.90") for _ in range(8)]
    for t in arrivals(rng, lambda t: req(t) / 40):
        k = ts.pick(t)
        s = k["stream"]
        camp = active(t) and rng.random() < 0.31
        bundle = camp and rng.random() < 0.23
        sku = f"{'BND' if bundle else rng.choice(['APP', 'SHO', 'BAG', 'ACC'])}-{rng.randint(100000, 999999)}"
        if bundle:
            s.add(t, _flask(clk, t, "ERROR", "app", "Exception on /v2/prices [POST]\n" + fmt.pytrace(
                FLASK_TB, "TypeError: unsupported operand type(s) for *: 'decimal.Decimal' and 'NoneType'")))
            s.add(t + 0.002, f'{rng.choice(ips)} - - [{clk.dt(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
                             f'"POST /v2/prices HTTP/1.1" 500 265 "-" "storefront-bff/4.8"')
            continue
        lp = rng.randint(9, 400) * 100
        fin = int(lp * (0.8 if camp else 1))
        s.add(t, fmt.pylog(clk, t, "INFO", "pricing.engine", f"priced sku={sku} list={lp} final={fin} JPY "
                                                           f"campaign={'SPRING26' if camp else 'none'}"))
        s.add(t + 0.002, f'{rng.choice(ips)} - - [{clk.dt(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
                         f'"POST /v2/prices HTTP/1.1" 200 {rng.randint(300, 4000)} "-" "storefront-bff/4.8"')
    for t in arrivals(rng, lambda t: 1.0):
        ts.pick(t)["stream"].add(t, fmt.pylog(clk, t, "WARNING", "pricing.fx", "fx rate cache stale for KRW "
                                                                             f"(age {rng.randint(700, 1500)}s), using last known rate"))
    si_old = Stream("/ecs/catalog-jp/search-indexer", f"ecs/search-indexer/{rng.hexid(32)}")
    si_new = Stream("/ecs/catalog-jp/search-indexer", f"ecs/search-indexer/{rng.hexid(32)}")
    for t in every(LOG_START, -5, 60, jitter=3, rng=rng):
        (si_old if t < -2540 else si_new).add(t, fmt.logfmt(clk, t, "info", "index batch committed",
                                                            docs=rng.randint(300, 900), took=f"{rng.randint(80, 400)}ms",
                                                            version="2.2.0" if t >= -2540 else "2.1.3"))
    alarms = [alarm("pricing-api-5xx", tgm[2], "Sum", 60, 3, 8, "GreaterThanThreshold", "pricing-api 5xx"),
              ok_alarm("catalog-db-cpu", rds_cpu, "Average", 300, 3, 75, "GreaterThanThreshold")]
    changes = [change(-2730, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
                      "search-indexer:57", "codepipeline-catalog"),
               change(-2700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog-jp/search-indexer",
                      "codepipeline-catalog")]
    doc = scenario("h47-13-pricing-api-typeerror", "Some product prices fail to load on the JP shop (500 from "
                   "pricing-api); 5xx alarm.", region, resources, metrics, ts.streams() + [si_old, si_new], alarms,
                   changes, {"alarm": "pricing-api-5xx",
                             "root_cause": {"category": "application_error",
                                            "resource": ["catalog-jp/pricing-api", "pricing-api"]},
                             "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                            "dimensions": {"LoadBalancer": lb, "TargetGroup": tg}}]})
    meta = {"region": region, "alarm": "pricing-api-5xx", "category": "application_error",
            "resources": ["catalog-jp/pricing-api", "pricing-api"], "position": "front (target group)",
            "decoys": "search-indexer deploy 5 min before onset (other service, clean); catalog-db autovacuum CPU "
                      "bumps every 2 h; steady KRW fx-cache warnings; catalog-db CPU alarm in OK",
            "story": "At 10:00 JST (40 min ago) the merchandisers' SPRING26 campaign became active by its own start "
                     "date. Its bundle SKUs (BND-...) have no campaign rate, and pricing-api's `_campaign_discount` "
                     "multiplies a Decimal by None: `TypeError: unsupported operand type(s) for *: 'decimal.Decimal' "
                     "and 'NoneType'` on ~7 % of POST /v2/prices. pricing-api's revision is 9 days old, there is no "
                     "config or IAM change, CPU/memory/DB are normal and the traffic is its usual daily shape. An "
                     "unhandled exception triggered by data, with no preceding change or resource fault: "
                     "application_error on pricing-api. The search-indexer deploy just before is another service."}
    return doc, meta


# =====================================================================================================
# h47-14
# =====================================================================================================

def build_14():
    rng = Rng(4714)
    region = "us-east-1"
    clk = Clock(datetime(2026, 3, 25, 14, 50, 0))
    lb, tg = "app/billing-portal/3c5e7a9b1d0f2468", "targetgroup/billing-web-tg/8b0d2f4a6c1e3579"
    web = [("i-0e1f2a3b4c5d6e7f8", "billing-web-1", "10.16.1.44"), ("i-0f9e8d7c6b5a40312", "billing-web-2", "10.16.2.61")]
    start = -2700
    # export attempts on web-1: (start, oom kill); systemd restarts it 60 s after each kill
    runs, a = [(-300, 60)], -300          # the current run is still thrashing at `now`
    while True:
        b = a - 15
        a = b - rng.randint(300, 400)
        if a <= start + 200:
            runs.append((start, b))
            break
        runs.append((a, b))
    runs.reverse()
    groups = ["/billing/syslog", "/billing/app", "/billing/gunicorn"]

    def mem1(t):
        for a, b in runs:
            if a <= t < b:
                return 50 + 46 * min(1.0, (t - a) / 120) + 1.6 * max(0.0, (t - a - 120) / (b - a - 120))
        return 47.0 if t < start else 52.0

    pressure = lambda t: 1.0 if mem1(t) > 90 else 0.0  # noqa: E731
    resources = [{"type": "ec2", "id": iid, "properties": {"name": nm, "instance_type": "m6i.large", "memory_gib": 8,
                                                           "swap": "none", "private_ip": ip, "log_groups": groups,
                                                           "cron": ("invoice-export.timer (hourly at :05, systemd, "
                                                                    "Restart=on-failure, RestartSec=15)") if i == 0 else "none"}}
                 for i, (iid, nm, ip) in enumerate(web)]
    resources.append({"type": "alb", "id": lb, "properties": {"name": "billing-portal", "scheme": "internet-facing",
                                                              "target_groups": [{"name": tg, "target_type": "instance",
                                                                                 "targets": [w[0] for w in web]}]}})
    resources.append({"type": "rds", "id": "billing-db", "properties": {"engine": "postgres", "engine_version": "14.10",
                                                                        "instance_class": "db.m6g.large",
                                                                        "max_connections": 800, "allocated_storage_gb": 400}})
    req = lambda t: 260 * diurnal(t, 0.2, 4000)  # noqa: E731
    metrics = []
    metrics += aws.ec2(rng, web[0][0], cpu=lambda t: 14 + 33 * (1.0 if any(a <= t < b for a, b in runs) else 0.0)
                       + 20 * pressure(t), mem=mem1, disk=C(58.0))
    metrics += aws.ec2(rng, web[1][0], cpu=C(13.0), mem=C(44.0), disk=C(81.0))
    t5 = lambda t: 0.1 + 9 * pressure(t)  # noqa: E731
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.12 + 1.1 * pressure(t), t5xx=C(0.1), elb5xx=t5, elb502=t5)
    metrics += aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.12 + 1.1 * pressure(t), t5xx=C(0.1), healthy=C(2))
    metrics += aws.rds(rng, "billing-db", cpu=lambda t: 17 + 9 * (1.0 if any(a <= t < b for a, b in runs) else 0.0),
                       conns=C(64), free_mem=C(4.1e9), free_storage=C(2.2e11))
    mem_m = next(m for m in metrics if m["name"] == "mem_used_percent" and m["dimensions"]["InstanceId"] == web[0][0])
    mem2 = next(m for m in metrics if m["name"] == "mem_used_percent" and m["dimensions"]["InstanceId"] == web[1][0])

    sysl = {w[0]: Stream(groups[0], w[0]) for w in web}
    app = {w[0]: Stream(groups[1], w[0]) for w in web}
    gun = {w[0]: Stream(groups[2], w[0]) for w in web}
    for i, (iid, nm, ip) in enumerate(web):
        host = f"ip-{ip.replace('.', '-')}"
        pids = [3100 + 17 * j + i for j in range(6)]
        for t in every(LOG_START, -5, 3600):
            h = t - (t % 3600) + 300
            if LOG_START <= h < start and i == 0:
                sysl[iid].add(h, fmt.syslog(clk, h, host, "systemd[1]", "Started invoice-export.service - Hourly invoice export."))
                app[iid].add(h + 4, fmt.pylog(clk, h + 4, "INFO", "billing.export", f"export_invoices: {rng.randint(3, 9)} "
                                                                                   "accounts due, 0 large"))
                sysl[iid].add(h + 140, fmt.syslog(clk, h + 140, host, "systemd[1]", "invoice-export.service: Deactivated successfully."))
        for t in every(LOG_START, -5, 600, jitter=20, rng=rng):
            sysl[iid].add(t, fmt.syslog(clk, t, host, "amazon-cloudwatch-agent[1207]", "D! [outputs.cloudwatchlogs] "
                                                                                      "Pusher published 412 log events"))
        for t in arrivals(rng, lambda t: req(t) / 2 / 10):
            pr = pressure(t) if i == 0 else 0.0
            ms = int(rng.lognormvariate(4.5, 0.5) * (1 + 12 * pr * rng.random()))
            app[iid].add(t, fmt.pylog(clk, t, "INFO", "billing.views", f"{rng.choice(['GET /invoices/', 'GET /account/', 'POST /payments/'])}"
                                                                      f" 200 {ms}ms user={rng.randint(10000, 99999)}"))
        for t in arrivals(rng, lambda t: 0.5):
            app[iid].add(t, fmt.pylog(clk, t, "ERROR", "billing.payments", "psycopg2.errors.SerializationFailure: could not "
                                                                          "serialize access due to concurrent update (retrying)"))
        gun[iid].add(LOG_START + 30, fmt.gunicorn(clk, LOG_START + 30, 3094 + i, "INFO", "Handling signal: hup"))
        if i != 0:
            continue
        pid = 48000
        for n, (a, b) in enumerate(runs):
            pid += rng.randint(150, 400)
            sysl[iid].add(a, fmt.syslog(clk, a, host, "systemd[1]", "Started invoice-export.service - Hourly invoice export."))
            app[iid].add(a + 5, fmt.pylog(clk, a + 5, "INFO", "billing.export",
                                          "export_invoices: 1 accounts due, 1 large (ACME-0042: 182331 invoices)"))
            for tt in every(a + 20, min(b - 5, -2), 30):
                done = int(182331 * min(0.97, (tt - a) / 140 * 0.9))
                app[iid].add(tt, fmt.pylog(clk, tt, "INFO", "billing.export", f"export_invoices: account=ACME-0042 loaded "
                                                                              f"{done}/182331 invoices into memory"))
            if b > -5:
                continue
            rss = rng.randint(5_300_000, 5_700_000)
            sysl[iid].add(b - 0.2, fmt.syslog(clk, b - 0.2, host, "kernel", f"python3 invoked oom-killer: "
                                              "gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0"))
            sysl[iid].add(b, fmt.syslog(clk, b, host, "kernel", f"Out of memory: Killed process {pid} (python3) "
                                        f"total-vm:{rss + 90000}kB, anon-rss:{rss}kB, file-rss:0kB, shmem-rss:0kB, UID:996 "
                                        f"pgtables:{rng.randint(10500, 11400)}kB oom_score_adj:0"))
            sysl[iid].add(b + 0.4, fmt.syslog(clk, b + 0.4, host, "systemd[1]", "invoice-export.service: Main process "
                                              "exited, code=killed, status=9/KILL"))
            sysl[iid].add(b + 0.5, fmt.syslog(clk, b + 0.5, host, "systemd[1]", "invoice-export.service: Failed with result 'oom-kill'."))
            if b + 15 < -5:
                sysl[iid].add(b + 15, fmt.syslog(clk, b + 15, host, "systemd[1]", f"invoice-export.service: Scheduled "
                                                 f"restart job, restart counter is at {n + 1}."))
            # gunicorn workers lose the race for memory now and then
            for j in range(rng.randint(1, 2)):
                tk = b - rng.uniform(20, 80)
                w = rng.choice(pids)
                sysl[iid].add(tk, fmt.syslog(clk, tk, host, "kernel", f"Out of memory: Killed process {w} (gunicorn) "
                                             f"total-vm:{rng.randint(610000, 680000)}kB, anon-rss:{rng.randint(420000, 480000)}kB, "
                                             "file-rss:0kB, shmem-rss:0kB, UID:995 pgtables:1240kB oom_score_adj:0"))
                gun[iid].add(tk + 0.3, fmt.gunicorn(clk, tk + 0.3, 3094, "ERROR",
                                                    f"Worker (pid:{w}) was sent SIGKILL! Perhaps out of memory?"))
                nw = pids[pids.index(w)] = w + 5000 + rng.randint(1, 900)
                gun[iid].add(tk + 0.5, fmt.gunicorn(clk, tk + 0.5, nw, "INFO", f"Booting worker with pid: {nw}"))
            for j in range(rng.randint(2, 4)):
                tk = b - rng.uniform(5, 120)
                gun[iid].add(tk, fmt.gunicorn(clk, tk, 3094, "CRITICAL", f"WORKER TIMEOUT (pid:{rng.choice(pids)})"))
    alarms = [alarm("billing-web-1-memory", mem_m, "Average", 60, 5, 90, "GreaterThanThreshold",
                    "billing-web-1 memory used above 90 %", datapoints_to_alarm=3),
              ok_alarm("billing-web-2-memory", mem2, "Average", 60, 3, 90, "GreaterThanThreshold")]
    changes = [change(-14400, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
                      "billing-web/prod", "jenkins-billing")]
    doc = scenario("h47-14-billing-web-oom", "billing-web-1 memory alarm; billing portal intermittently slow with 502s.",
                   region, resources, metrics, list(sysl.values()) + list(app.values()) + [g for g in gun.values()],
                   alarms, changes,
                   {"alarm": "billing-web-1-memory",
                    "root_cause": {"category": "memory_exhaustion", "resource": [web[0][0], web[0][1]]},
                    "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent",
                                   "dimensions": {"InstanceId": web[0][0]}}]})
    meta = {"region": region, "alarm": "billing-web-1-memory", "category": "memory_exhaustion",
            "resources": [web[0][0], web[0][1]], "position": "origin (instance)",
            "decoys": "CodeDeploy deployment to both instances 4 h earlier (clean since); billing-web-2 disk at 81 % "
                      "flat; steady SerializationFailure retry ERRORs on both nodes",
            "story": "billing-web-1 also runs the hourly invoice-export timer. At the 14:05 run one large account "
                     "(ACME-0042, 182k invoices) is loaded into memory at once; with 8 GiB and no swap the instance "
                     "hits ~97 % memory, the kernel OOM killer kills the export (and some gunicorn workers: `Worker ... "
                     "was sent SIGKILL! Perhaps out of memory?`), systemd restarts the export 15 s later and the cycle "
                     "repeats. Requests to that node slow down and the ALB returns 502s. billing-web-2 is normal; the "
                     "old deploy and the steady serialization retries are noise. Label: memory_exhaustion on billing-web-1."}
    return doc, meta
