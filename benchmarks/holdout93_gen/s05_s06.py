"""h93-05 (customer portal vs. the billing-run fan-out on the CIS database) and h93-06 (field-ops
dispatch portal on EC2 behind an ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pg

from . import kit
from .kit import apigw_exec, emit, every, lam_metrics, lambda_run, php_fpm, py_trace, syslog


def build_05():
    sc = kit.new(5, "portal-vs-billing-fanout", "My-account portal failing for customers at midday; the "
                 "API Gateway 5XX alarm fired.", "us-east-2", "2026-11-21T13:40:00+00:00")
    api, fn, wk, sync, db = "myaccount-api", "account-usage", "bill-calc-worker", "meter-usage-sync", "cis-pg-01"
    api_id, run, onset, decoy = "p0x4r8m2ta", -2400, -2040, -2120
    host = f"{db}.c7rk2mzq1wxa.us-east-2.rds.amazonaws.com"
    sc.resource("apigateway", api, stage="prod", api_id=api_id)
    sc.resource("lambda", fn, runtime="python3.12", memory_size=512, timeout=20)
    sc.resource("lambda", wk, runtime="python3.12", memory_size=1024, timeout=300)
    sc.resource("lambda", sync, runtime="python3.12", memory_size=512, timeout=120)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=500)

    def count(t):
        return 320 * diurnal(sc, t, 17.0, 0.35)

    def wconc(t):
        return 2 + 285 * ramp(t, run, run + 420)

    def full(t):
        return t >= onset

    def p_fail(t):
        return 0.45 if full(t) else 0.0

    v = lam_metrics(sc, fn, lambda t: 0.72 * count(t), lambda t: 0.72 * count(t) * p_fail(t) + 0.1,
                    lambda t: 210 if not full(t) else 150)
    lam_metrics(sc, wk, lambda t: 1 + wconc(t) * 0.9, lambda t: (0.08 * wconc(t) if full(t) else 0.02),
                lambda t: 61000 if t >= run else 30000, conc=wconc)
    lam_metrics(sc, sync, lambda t: 6.0, lambda t: 0.05, lambda t: 2400)
    kit.apigw_metrics(sc, api, count, lambda t: 0.72 * count(t) * p_fail(t) + 0.2,
                                      lambda t: 0.03 * count(t), lambda t: 260 if not full(t) else 240,
                                      lambda t: 230 if not full(t) else 205)
    kit.rds_metrics(sc, db, lambda t: 24 + 24 * ramp(t, run, run + 600), lambda t: min(400, 110 + wconc(t)),
                    lambda t: 212.0 - (21600 + t) / 21600 * 0.6, lambda t: 5.1 - 0.8 * ramp(t, run, run + 600),
                    lambda t: 0.0011 + 0.0015 * ramp(t, run, run + 600), lambda t: 0.0016)

    ll = LambdaLogs(sc, fn, "python3.12", 512, 20, mem_used=(140, 12))

    def body(ll, t, rid, is_err, cold):
        prem = f"P-{sc.rng.randint(10**6, 10**7 - 1)}"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"GET /v2/premises/{prem}/usage?granularity=day&months=13"))]
        if is_err and full(t):
            lines.append((0.04, py_trace(
                f'OperationalError: connection failed: connection to server at "{host}" (10.1.22.84), port '
                "5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser "
                "connections", [("/var/task/handler.py", 33, "lambda_handler", "with db.connect() as conn:"),
                                ("/var/task/db.py", 19, "connect", "return psycopg.connect(DSN, connect_timeout=5)")])))
            return {"dur": sc.rng.uniform(30, 80), "lines": lines}
        if sc.rng.random() < 0.08:
            lines.append((0.09, ll.fmt(t, rid, "WARNING", f"usage series for premise {prem} has "
                                       f"{sc.rng.randint(1, 6)} gaps; interpolating")))
        d = max(60, sc.rng.gauss(210, 50))
        lines.append((d / 1000 - 0.005, ll.fmt(t, rid, "INFO", f"200 {prem} points={sc.rng.choice([365, 396, 395])}")))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.012, body)

    grp = f"/aws/rds/instance/{db}/postgresql"

    def pgl(t):
        if full(t) and sc.rng.random() < 0.8:
            msg = sc.rng.choice(["remaining connection slots are reserved for non-replication superuser connections",
                                 "sorry, too many clients already"])
            who = sc.rng.choice([("cis_portal", "cis"), ("billcalc", "cis")])
            return pg(sc, t, "FATAL", msg, client=f"10.1.{sc.rng.randint(30, 60)}.{sc.rng.randint(2, 250)}"
                      f"({sc.rng.randint(30000, 60000)})", user=who[0], db=who[1])
        if sc.rng.random() < 0.15:
            return pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 4000):.3f} ms  statement: SELECT premise_id, "
                      "read_date, kwh FROM daily_usage WHERE premise_id = $1 AND read_date >= $2",
                      client="10.1.40.12(50312)", user="cis_portal", db="cis")
        return None
    emit(sc, grp, f"{db}.0", lambda t: 1.5 if not full(t) else 6.0, pgl)
    every(sc, grp, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
                                                 "buffers (0.9%); 0 WAL file(s) added, 0 removed, 1 recycled",
                                                 pid=587))
    def gw(t):
        r = sc.uuid()
        if full(t) and sc.rng.random() < 0.45:
            return [apigw_exec(sc, t, r, "Lambda execution failed with status 200 due to customer function "
                               "error: connection failed: FATAL:  remaining connection slots are reserved for "
                               f"non-replication superuser connections. Lambda request id: {sc.uuid()}"),
                    apigw_exec(sc, t, r, "Method completed with status: 502")]
        if sc.rng.random() < 0.03:
            return apigw_exec(sc, t, r, "Method completed with status: 401")
        return apigw_exec(sc, t, r, "Method completed with status: 200")
    emit(sc, f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32), 2.5, gw)

    sc.change(-14000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "backup-automation")
    sc.change(decoy - 10, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", sync,
              "github-actions-cis")
    sc.change(decoy, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", sync,
              "github-actions-cis")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Customer portal API 5XX")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "db_connection_exhaustion", "resource": [db]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", services="API Gateway, Lambda (Python 3.12), RDS PostgreSQL",
        decoys=f"code deploy of `{sync}` 80 s before onset; RDS CPU doubling (still < 50 %); steady "
               "usage-gap warnings and 4XX; a snapshot hours earlier",
        story=f"At 13:00 UTC the billing run fans `{wk}` out to ~285 concurrent executions, each holding its "
              f"own PostgreSQL connection. `{db}` DatabaseConnections climbs from ~110 to its 400 limit within "
              "six minutes; from then the portal's `account-usage` calls fail to connect with `remaining "
              "connection slots are reserved`, the RDS log fills with `too many clients`, and API Gateway "
              f"returns 502 for ~45 % of requests. The `{sync}` deploy neither touches the portal path nor "
              "changes its own error rate; RDS CPU rises with the billing queries but stays below 50 %.")
    sc.meta["judgement"] = (f"The billing fan-out drives the exhaustion, but the exhausted resource (and the "
                            f"origin the format asks for) is the database `{db}`.")
    return sc


def build_06():
    sc = kit.new(6, "dispatch-board-slow", "Field-crew dispatch board very slow for dispatchers; the ALB "
                 "response-time alarm fired.", "eu-south-1", "2026-11-17T09:50:00+00:00")
    lb = "app/fieldops-web/7c1e9a2b4d6f8a03"
    tg = "targetgroup/fieldops-web-tg/3f9b1c2d4e5a6b7c"
    w1, w2, bt = "i-03c8d5e71a2b4f906", "i-0b91f24c6e8a7d315", "i-06ae3b7c9d1f25e48"
    cron, onset, decoy = -2460, -2440, -2380
    sc.resource("alb", lb, name="fieldops-web", target_group=tg)
    sc.resource("ec2", w1, name="fo-web-1", instance_type="c6i.xlarge", runtime="php8.2-fpm + nginx")
    sc.resource("ec2", w2, name="fo-web-2", instance_type="c6i.xlarge", runtime="php8.2-fpm + nginx")
    sc.resource("ec2", bt, name="fo-batch-1", instance_type="m6i.large")

    def req(t):
        return 430 * diurnal(sc, t, 10.5, 0.45)

    def hot(t):
        return t >= onset

    kit.alb_metrics(sc, lb, req, lambda t: 0.002 * req(t) + (0.045 * req(t) if hot(t) else 0),
                    lambda t: 0.2 + (0.6 if hot(t) else 0), lambda t: 0.21 + (2.6 * ramp(t, onset, onset + 240)),
                    t4=lambda t: 0.02 * req(t))
    kit.alb_hosts(sc, lb, tg, lambda t: 2.0, lambda t: 0.0)
    for iid, h in ((w1, True), (w2, False)):
        kit.ec2_metrics(sc, iid, lambda t, h=h: 98.0 if h and hot(t) else 30 * diurnal(sc, t, 10.5, 0.45),
                        lambda t: 9 * diurnal(sc, t, 10.5, 0.45),
                        mem=lambda t, h=h: 52 + (9 * ramp(t, onset, onset + 600) if h else 0),
                        disk=lambda t: 41.0)
    kit.reshape(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": w1}, lambda t, v: min(
        100.0, round(98.4 + sc.rng.gauss(0, 0.9), 3)) if hot(t) else v)
    kit.ec2_metrics(sc, bt, lambda t: 9 + bump(t, -9000, -7800, 84, edge=120), lambda t: 2.0,
                    mem=lambda t: 44.0)

    for iid, name, h in ((w1, "fo-web-1", True), (w2, "fo-web-2", False)):
        def acc(t, h=h):
            path = kit.pick(sc, [(5, "/dispatch/board"), (3, "/api/crews/positions"), (2, "/api/orders/open"),
                                 (1, "/dispatch/order/%d" % sc.rng.randint(10**5, 10**6)), (1, "/healthz")])
            slow = h and hot(t)
            rt = sc.rng.uniform(2.0, 9.0) if slow else sc.rng.lognormvariate(-1.9, 0.5)
            st = 200
            if slow and sc.rng.random() < 0.09:
                st, rt = 504, 30.0 + sc.rng.random() * 0.01
            return nginx(sc, t, sc.ip("10.40"), "GET", path, st, sc.rng.randint(900, 48000) if st == 200 else 160, rt,
                         ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0")
        emit(sc, "/fieldops/nginx/access", iid, lambda t: 4.0 * diurnal(sc, t, 10.5, 0.45), acc)

        def fpm(t, h=h):
            if h and hot(t) and sc.rng.random() < 0.6:
                if sc.rng.random() < 0.3:
                    return php_fpm(sc, t, "WARNING", "[pool www] server reached pm.max_children setting (24), "
                                   "consider raising it")
                return php_fpm(sc, t, "WARNING", f"[pool www] child {sc.rng.randint(3000, 9000)}, script "
                               "'/var/www/fieldops/public/index.php' (request: \"GET /index.php\") executing too "
                               f"slow ({sc.rng.uniform(5, 12):.6f} sec), logging")
            return php_fpm(sc, t, "WARNING", f"[pool www] child {sc.rng.randint(3000, 9000)} said into stderr: "
                           "\"PHP Warning:  Undefined array key \"crew_skill\" in /var/www/fieldops/app/Dispatch/"
                           "Board.php on line 212\"")
        emit(sc, "/fieldops/php-fpm/error", iid, lambda t, h=h: 0.5 + (3.0 if h and hot(t) else 0), fpm)

        every(sc, "/fieldops/syslog", iid, 3600, lambda t, n=name: syslog(
            sc, t, n, f"CRON[{sc.rng.randint(2000, 40000)}]", "(root) CMD (cd / && run-parts --report /etc/cron.hourly)"),
            start=-10800 + 17 * 60)
        every(sc, "/fieldops/syslog", iid, 900, lambda t, n=name: syslog(
            sc, t, n, "amazon-ssm-agent[1120]", "INFO [HealthCheck] HealthCheck reporting agent health."))
    sc.log("/fieldops/syslog", w1, cron, syslog(sc, cron, "fo-web-1", "CRON[30112]", "(fieldops) CMD (cd /var/www/"
           "fieldops && php artisan reports:rebuild-crew-kpis --full --window=365d >> storage/logs/kpi.log 2>&1)"))
    lv = "/fieldops/laravel"
    sc.log(lv, w1, cron + 1.4, f"[{sc.at(cron + 1.4).strftime('%Y-%m-%d %H:%M:%S')}] production.INFO: kpi rebuild "
           "started scope=full crews=1840 window=365d workers=8")
    every(sc, lv, w1, 300, lambda t: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.INFO: kpi rebuild "
          f"progress {int((t - cron) / 60 * 1.6)}% rows={int((t - cron) * 5100)}", start=cron + 300)
    for iid in (w1, w2):
        emit(sc, lv, iid, 0.3, lambda t: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.WARNING: crew "
             f"C-{sc.rng.randint(100, 999)} GPS position stale ({sc.rng.randint(16, 90)} min)")

    sc.change(-16000, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", bt, "svc-scheduler")
    sc.change(decoy, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "fieldops-web-tg", "netops-ci")
    sc.alarm("fieldops-web-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.5, "GreaterThanThreshold", "Dispatch portal latency")
    sc.alarm("fo-batch-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": bt}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "fieldops-web-response-time", "root_cause": {"category": "cpu_saturation",
                                                                       "resource": [w1, "fo-web-1"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", services="ALB, EC2 (PHP 8.2 / nginx)",
        decoys="target-group attribute change 60 s after onset; `fo-batch-1` CPU at 93 % two hours earlier "
               "(its own alarm, now OK); steady PHP 'Undefined array key' warnings; php-fpm max_children warnings",
        story="Traffic is an ordinary weekday morning. At -2460 s cron on `fo-web-1` launches a full 365-day "
              "crew-KPI rebuild on the web node; its CPU goes to 97-100 % while `fo-web-2` stays near 40 %. "
              "Requests served by `fo-web-1` take 2-9 s (nginx `rt=`), php-fpm reports slow scripts and "
              "`pm.max_children` reached, a few 504s follow, and the ALB average response time passes 1.5 s. "
              "The target-group change comes after onset and affects both targets alike.")
    sc.meta["judgement"] = ("A scheduled job, not a deploy or config change, pins the CPU: no CloudTrail event "
                            "explains it, so cpu_saturation on the instance is the specific answer.")
    return sc


BUILDERS = [build_05, build_06]
