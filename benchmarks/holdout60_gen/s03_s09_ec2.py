"""Scenarios 03 (render job pins a web host's CPU) and 09 (remittance disk fills up)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (alb_id, alb_metrics, apigw_access, apigw_metrics, const, counts, ec2_id,
                  ec2_metrics, emit, gauge, lambda_metrics, logfmt, periodic, php_error, php_fpm,
                  rds_metrics, share)
from .runtimes import nginx

PATHS = ["/recon/matches?date=2026-04-29", "/recon/exceptions", "/recon/accounts/{}/lines",
         "/api/v1/breaks?status=open", "/recon/statements/{}"]


# ============================================================================ 03
def s03() -> Scenario:
    sc = Scenario(3, "recon-portal-slow", "Reconciliation portal very slow for the finance team "
                  "on April close; ALB latency alarm.", "ap-southeast-2", 6003,
                  "2026-04-30T05:40:00+00:00")
    T0, TJOB, TD = -2040, -2099, -2130
    lbn = "recon-portal"
    lb, web1, web2 = alb_id(sc, lbn), ec2_id(sc), ec2_id(sc)
    sc.resource("ec2", web1, name="recon-web-1", instance_type="c6i.xlarge",
                log_groups=["/recon/nginx/access", "/recon/php-fpm", "/recon/laravel"])
    sc.resource("ec2", web2, name="recon-web-2", instance_type="c6i.xlarge",
                log_groups=["/recon/nginx/access", "/recon/php-fpm", "/recon/laravel",
                            "/recon/scheduler"])
    sc.resource("alb", lb, name=lbn, targets=[web1, web2])
    sc.resource("rds", "recon-mysql", engine="mysql", engine_version="8.0.39",
                instance_class="db.r6g.large", max_connections=1000, allocated_storage_gb=500)
    sc.resource("lambda", "recon-notifier", runtime="nodejs20.x", timeout=30, memory_size=256)

    hot = lambda t: ramp(t, TJOB + 20, T0 + 90)
    ec2_metrics(sc, web1, gauge(sc, lambda t: 27 * diurnal(sc, t, 4) + bump(t, -9100, -8500, 46, 120),
                                abs_noise=3, cap=100),
                counts(sc, lambda t: 2.1e7 * diurnal(sc, t, 4)), const(0),
                gauge(sc, lambda t: 54, abs_noise=1), gauge(sc, lambda t: 38.2, noise=0.002))
    ec2_metrics(sc, web2, gauge(sc, lambda t: min(99.4, 29 * diurnal(sc, t, 4) + 72 * hot(t)),
                                abs_noise=1.5, cap=100),
                counts(sc, lambda t: 2.0e7 * diurnal(sc, t, 4) + 4e6 * hot(t)), const(0),
                gauge(sc, lambda t: 57 + 9 * hot(t), abs_noise=1),
                gauge(sc, lambda t: 41.0 + 0.8 * hot(t), noise=0.002))
    req = counts(sc, lambda t: 420 * diurnal(sc, t, 4, 0.3))
    t5 = share(sc, req, lambda t: 0.0015 + 0.05 * hot(t))
    rt = gauge(sc, lambda t: 0.19 + 3.1 * hot(t) + bump(t, -9100, -8500, 0.12, 120), noise=0.08,
               digits=4)
    alb_metrics(sc, lb, req, t5, share(sc, req, lambda t: 0.0005), rt, const(2), const(0),
                t4xx=share(sc, req, lambda t: 0.03))
    rds_metrics(sc, "recon-mysql", gauge(sc, lambda t: 19 + 7 * hot(t), abs_noise=2),
                counts(sc, lambda t: 44 + 8 * hot(t)), gauge(sc, lambda t: 318, noise=0.0005),
                gauge(sc, lambda t: 0.0011, noise=0.2, digits=5))
    lambda_metrics(sc, "recon-notifier", counts(sc, lambda t: 2), const(0),
                   gauge(sc, lambda t: 420, noise=0.1))

    for iid, slow_fn in ((web1, lambda t: 0.0), (web2, hot)):
        def access(t, iid=iid, slow_fn=slow_fn):
            p = sc.rng.choice(PATHS).format(sc.rng.randint(10000, 99999))
            s = slow_fn(t)
            rt_ = sc.rng.uniform(0.05, 0.4) if sc.rng.random() > s else sc.rng.uniform(2.5, 14)
            st = 200
            r = sc.rng.random()
            if r < 0.03:
                st, p = 404, "/recon/assets/legacy/branding.css"
            elif s > 0.5 and r < 0.13:
                st, rt_ = 504, 60.0
            return nginx(sc, t, sc.ip("10.60"), "GET", p, st, sc.rng.randint(900, 48000), rt_,
                         ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0")
        emit(sc, "/recon/nginx/access", iid, lambda t: 4.0, access)
        emit(sc, "/recon/laravel", iid, lambda t: 0.5, lambda t: php_error(
            sc, t, "production.WARNING: Undefined array key \"branch_code\" {\"exception\":\"[object] "
            "(ErrorException(code: 0): Undefined array key \\\"branch_code\\\" at /var/www/recon/"
            "app/Services/Matcher.php:212)\"}"))
        periodic(sc, "/recon/php-fpm", iid, 3600, lambda t: php_fpm(
            sc, t, "NOTICE", f"[pool www] child {sc.rng.randint(2000, 40000)} exited with code 0 "
            f"after {sc.rng.uniform(3590, 3610):.6f} seconds from start"), offset=1300)
    emit(sc, "/recon/php-fpm", web2, lambda t: 3.0 * hot(t), lambda t: php_fpm(
        sc, t, "WARNING", f"[pool www] child {sc.rng.randint(2000, 40000)}, script "
        "'/var/www/recon/public/index.php' (request: \"GET /index.php\") executing too slow "
        f"({sc.rng.uniform(5, 19):.6f} sec), logging"), start=TJOB)
    emit(sc, "/recon/php-fpm", web2, lambda t: 0.4 * hot(t), lambda t: php_fpm(
        sc, t, "WARNING", "[pool www] server reached pm.max_children setting (24), consider "
        "raising it"), start=TJOB)
    periodic(sc, "/recon/scheduler", web2, 900, lambda t: php_error(
        sc, t, f"production.INFO: schedule:run fx:refresh finished in {sc.rng.uniform(1.5, 4):.1f}s"),
        offset=60)
    sc.log("/recon/scheduler", web2, TJOB, php_error(
        sc, TJOB, "production.INFO: Running scheduled command: '/usr/bin/php8.3' 'artisan' "
        "statements:render --month=2026-04 --workers=8"))
    sc.log("/recon/scheduler", web2, TJOB + 2.4, php_error(
        sc, TJOB + 2.4, "production.INFO: statements:render started {\"month\":\"2026-04\","
        "\"workers\":8,\"accounts\":184220,\"engine\":\"dompdf\"}"))
    periodic(sc, "/recon/scheduler", web2, 120, lambda t: php_error(
        sc, t, "production.INFO: statements:render progress {\"rendered\":"
        f"{int((t - TJOB) * 41)},\"total\":184220}}"), start=TJOB + 118, jitter=3)

    sc.change(-10800, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "recon-mysql80", "a.nguyen")
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "recon-notifier", "bitbucket-pipelines")
    sc.change(TD + 40, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              "recon-notifier", "bitbucket-pipelines")

    sc.alarm("recon-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": web1}, "Average",
             300, 2, 80, "GreaterThanThreshold")
    sc.alarm("recon-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 300, 1, 25, "GreaterThanThreshold")
    sc.alarm("recon-portal-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.5, "GreaterThanThreshold",
             "Reconciliation portal response time")
    sc.expect = {"alarm": "recon-portal-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [web2, "recon-web-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": web2}}]}
    sc.meta = dict(
        front="front (ALB → one of two targets)",
        services="ALB, EC2 (PHP-FPM/Laravel, nginx), RDS MySQL, Lambda",
        decoys="recon-notifier deploy closer to onset; old Laravel 'Undefined array key' warnings "
               "on both hosts; CPU spike + alarm on the other web host 2 h earlier; DB parameter "
               "change 2.4 h earlier",
        story=(
            "ALB `recon-portal` balances the reconciliation portal (PHP 8.3/Laravel under "
            "PHP-FPM) over `recon-web-1` and `recon-web-2`. At onset-1 min the Laravel scheduler "
            "on recon-web-2 starts the month-end `statements:render --workers=8` PDF job on the "
            "web host itself; within two minutes its CPUUtilization is pinned at ~99 %, PHP-FPM "
            "logs `executing too slow` and `server reached pm.max_children`, and its nginx access "
            "log shows multi-second responses and 504s. recon-web-1 stays at ~30 % with fast "
            "responses, request volume is flat and the database is quiet, so ALB latency rises "
            "only through the saturated target. Decoys: `recon-notifier` is deployed 90 s before "
            "onset; the `Undefined array key \"branch_code\"` warnings are old and on both hosts; "
            "recon-web-1 had its own CPU spike and alarm two hours earlier; a DB parameter-group "
            "change happened 2.4 hours earlier."),
    )
    return sc


# ============================================================================ 09
def s09() -> Scenario:
    sc = Scenario(9, "boleto-remittance-api", "Banks' remittance uploads failing with 500s on "
                  "the last business day of October; API 5XX alarm.", "sa-east-1", 6009,
                  "2026-10-30T17:45:00+00:00")
    T0, TD = -1500, -1630
    api, iid, relay = "cobranca-api", ec2_id(sc), ec2_id(sc)
    sc.resource("ec2", iid, name="boleto-gw-01", instance_type="m6i.large",
                log_groups=["/boleto-gw/app"], volumes={"/data": "gp3 200 GiB xfs"})
    sc.resource("ec2", relay, name="sftp-relay-01", instance_type="t3.medium")
    sc.resource("apigateway", api, stage="prod", integration=f"HTTP_PROXY -> {iid}:8443")
    sc.resource("rds", "cobranca-pg", engine="postgres", engine_version="16.4",
                instance_class="db.m6g.large", max_connections=600, allocated_storage_gb=300)

    full = lambda t: ramp(t, T0 - 30, T0 + 30)
    disk = lambda t: min(100.0, 71 + (t + 21600) / 3600 * 0.5 + 26 * ramp(t, -5400, T0 - 10))
    ec2_metrics(sc, iid, gauge(sc, lambda t: 24 * diurnal(sc, t, 17), abs_noise=2),
                counts(sc, lambda t: 9e6 * diurnal(sc, t, 17)), const(0),
                gauge(sc, lambda t: 52, abs_noise=1.2),
                gauge(sc, disk, noise=0.0, abs_noise=0.05, cap=100.0, digits=2),
                disk_path="/data")
    ec2_metrics(sc, relay, gauge(sc, lambda t: 11 + bump(t, -4100, -3500, 70, 90), abs_noise=2,
                                 cap=100))
    cnt = counts(sc, lambda t: 180 * diurnal(sc, t, 17, 0.3))
    writes = 0.42
    e5 = share(sc, cnt, lambda t: 0.0008 + writes * 0.97 * full(t))
    e4 = share(sc, cnt, lambda t: 0.012)
    apigw_metrics(sc, api, cnt, e4, e5, gauge(sc, lambda t: 140 - 60 * full(t), noise=0.1),
                  gauge(sc, lambda t: 118 - 60 * full(t), noise=0.1))
    rds_metrics(sc, "cobranca-pg", gauge(sc, lambda t: 21 + bump(t, -7300, -6800, 48), abs_noise=2),
                counts(sc, lambda t: 58), gauge(sc, lambda t: 171, noise=0.0005),
                gauge(sc, lambda t: 0.0009, noise=0.2, digits=5))

    grp = "/boleto-gw/app"
    bank = ["0341", "0237", "0001", "0104", "0033"]

    def app(t):
        r = sc.rng.random()
        if r < writes:
            f = f"/data/remessa/2026-10/CNAB240_{sc.rng.choice(bank)}_{sc.rng.randint(10 ** 6, 10 ** 7)}.rem"
            if sc.rng.random() < 0.97 * full(t):
                return [logfmt(sc, t, "error", "remessa/writer.go:214", "write remittance failed",
                               err=f"write {f}: no space left on device", path="/v1/remessas",
                               status=500),
                        logfmt(sc, t, "info", "httpserver/log.go:41", "request handled",
                               method="POST", path="/v1/remessas", status=500,
                               dur_ms=sc.rng.randint(3, 20))]
            return logfmt(sc, t, "info", "remessa/writer.go:231", "remittance written", file=f,
                          bytes=sc.rng.randint(40000, 2400000), lines=sc.rng.randint(200, 9000))
        if r < 0.47:
            return logfmt(sc, t, "error", "boleto/validate.go:77", "boleto validation failed",
                          err="linha digitavel: digito verificador invalido", status=422)
        return logfmt(sc, t, "info", "httpserver/log.go:41", "request handled", method="GET",
                      path="/v1/boletos/:id", status=200, dur_ms=sc.rng.randint(4, 60))
    emit(sc, grp, iid, lambda t: 5.0, app)
    emit(sc, grp, iid, lambda t: 0.2, lambda t: logfmt(
        sc, t, "warn", "sftp/client.go:102", "bank sftp slow handshake",
        host=f"sftp.{sc.rng.choice(['itau', 'bradesco', 'bb'])}.example.com.br",
        took_ms=sc.rng.randint(3000, 9000)))
    emit(sc, grp, iid, lambda t: 1.0 * full(t), lambda t: logfmt(
        sc, t, "error", "audit/journal.go:88", "append audit journal",
        err="sync /data/audit/journal-20261030.log: no space left on device"), start=T0 - 60)
    periodic(sc, grp, iid, 600, lambda t: logfmt(
        sc, t, "info", "housekeeping/sweep.go:55", "sweep done", dir="/data/remessa",
        files=int(2100 + (t + 21600) / 60 * (3 + 40 * ramp(t, -5400, T0))),
        uploaded_pending=int(180 + 3800 * ramp(t, -5400, T0)),
        note="bank pickup window opens 19:00 BRT"))

    acc = f"/aws/apigateway/{api}-access"

    def access(t):
        r = sc.rng.random()
        rid = sc.uuid()
        if r < writes:
            bad = sc.rng.random() < 0.97 * full(t)
            return apigw_access(sc, t, rid, sc.ip("200.155"), "POST", "/v1/remessas",
                                500 if bad else 201, 92 if bad else 310,
                                sc.rng.randint(3, 20) if bad else sc.rng.randint(60, 240))
        st = 422 if r < 0.47 else 200
        return apigw_access(sc, t, rid, sc.ip("177.71"), "GET", "/v1/boletos/{id}", st, 1400,
                            sc.rng.randint(8, 90))
    emit(sc, acc, "prod", lambda t: 3.0, access)

    sc.change(-12100, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              api, "deploy-bot")
    sc.change(TD, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "cobranca-pg",
              "c.almeida")
    sc.change(TD + 70, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", relay, "c.almeida")

    sc.alarm("boleto-gw-01-data-disk", "CWAgent", "disk_used_percent",
             {"InstanceId": iid, "path": "/data", "fstype": "xfs"}, "Maximum", 300, 1, 90,
             "GreaterThanThreshold")
    sc.alarm("cobranca-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "cobranca-pg"},
             "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.alarm("cobranca-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Cobranca API server errors")
    sc.expect = {"alarm": "cobranca-api-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [iid, "boleto-gw-01"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": iid, "path": "/data", "fstype": "xfs"}}]}
    sc.meta = dict(
        front="front (API Gateway → EC2)",
        services="API Gateway (REST, HTTP proxy), EC2 (Go, logfmt), RDS PostgreSQL",
        decoys="RDS ModifyDBInstance 2 min before onset; old 422 validation errors; CPU spikes on "
               "the SFTP relay and the DB earlier; API deployment 2.9 h earlier",
        story=(
            "`cobranca-api` (REST API, HTTP proxy) fronts a Go service on `boleto-gw-01` that "
            "writes CNAB remittance files to `/data` until the banks' evening pickup. The "
            "month-end run starts generating files about 1.5 h before onset and disk_used_percent "
            "on /data climbs from ~74 % to 100 % (its own disk alarm went to ALARM ~25 min before "
            "the page). From onset every POST /v1/remessas fails with `write /data/remessa/...: "
            "no space left on device` (and the audit journal cannot sync), so 5XXError jumps "
            "while GETs keep working and CPU/memory stay normal. Decoys: `cobranca-pg` gets a "
            "`ModifyDBInstance` two minutes before onset (DB metrics unchanged); the 422 "
            "`digito verificador invalido` errors are old; the SFTP relay and the DB each had a "
            "harmless CPU spike earlier; the API was redeployed three hours before."),
    )
    return sc
