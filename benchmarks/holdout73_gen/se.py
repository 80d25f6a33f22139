"""h73-13..16: postal lookup upstream, self-care release, cart listener rule, usage reconcile."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (alb, apigw, ec2, ecs, every, jline, lam, lam_logs, laravel, lines, load,
                  logfmt, rds, tg)
from .runtimes import LambdaLogs, gunicorn, nginx, pg, spring


# --------------------------------------------------------------------------- 13
def s13() -> Scenario:
    sc = Scenario(13, "signup-address-errors", "New customer sign-ups failing at the address "
                  "step; Lambda errors alarm.", "ca-central-1", 7313, "2026-03-16T15:45:00")
    T, DECOY = -2220, -2280
    fn, api = "postal-lookup", "signup-api"
    mono = "i-0" + sc.hexid(16)
    up = "https://ws1.addressing-partner.ca/AddressComplete/Interactive/Find/v2.10/json3.ws"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=256,
                architecture="arm64")
    sc.resource("apigateway", api, stage="prod")
    sc.resource("ecs", "signup-apps/kyc-check", launch_type="FARGATE", desired_count=2)
    sc.resource("ec2", mono, name="tel-legacy-01", instance_type="m5.xlarge",
                platform="Tomcat 9 / Java 11", log_groups=["/tel/legacy/app"])
    sc.resource("rds", "tel-accounts", engine="postgres", instance_class="db.m6g.large",
                max_connections=900, allocated_storage_gb=250)
    bad = lambda t: ramp(t, T, T + 60)
    inv = load(sc, 38, 0.25, 18)
    err = lambda t: 0.72 * inv(t) * bad(t)
    iv, ev = lam(sc, fn, inv, err, lambda t: 160 + 4300 * bad(t))
    apigw(sc, api, lambda t: inv(t) * 1.6, lambda t: 3.0, lambda t: 0.1 + err(t),
          lambda t: 240 + 4300 * bad(t))
    ecs(sc, "signup-apps", "kyc-check", lambda t: 17.0, lambda t: 39.0,
        lambda t: 2 + 2 * bump(t, DECOY + 20, DECOY + 300, 1, 1))
    ec2(sc, mono, lambda t: 31 * diurnal(sc, t, 18), mem=lambda t: 66.0, disk=lambda t: 55.0)
    rds(sc, "tel-accounts", lambda t: 18.0, lambda t: 77, lambda t: 187.0)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 10, retire=[-15100], mem_used=(31, 3))
    codes = ["H2X 1Y4", "M5V 3L9", "K1P 5G4", "V6B 2W9", "T2P 1J9", "R3C 4T3", "B3J 3K5"]

    def body(ll, t, rid, is_err, cold):
        pc = sc.rng.choice(codes)
        if is_err:
            ln = []
            for a in (1, 2):
                ln.append((3.0 * a, logfmt(sc, t + 3.0 * a, "ERROR", "upstream call failed",
                                           request_id=rid, upstream=up, attempt=a,
                                           err=f'Get "{up}?Text={pc.replace(" ", "+")}": context '
                                           "deadline exceeded (Client.Timeout exceeded while "
                                           "awaiting headers)")))
            return {"dur": 6000 + sc.rng.uniform(5, 40), "status": "error",
                    "error_type": "Runtime.ExitError", "lines": ln}
        ms = sc.rng.gauss(140, 35)
        ln = [(ms / 1000, logfmt(sc, t + ms / 1000, "INFO", "lookup ok", request_id=rid,
                                 postal=pc.replace(" ", ""), candidates=sc.rng.randint(1, 9),
                                 upstream_ms=int(ms - 8)))]
        if sc.rng.random() < 0.05:
            ln.append((0.01, logfmt(sc, t, "WARN", "legacy account has unparsable address; "
                                    "skipping prefill", request_id=rid,
                                    account=f"T{sc.rng.randint(10**6, 10**7)}")))
        return {"dur": ms + 5, "lines": ln}
    lam_logs(ll, iv, ev, 3, body, start=-12600)
    lines(sc, "/tel/legacy/app", mono, lambda t: 0.8, lambda t: spring(
        sc, t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 100)}",
        "c.t.legacy.address.CanadaPostSoapClient", "SOAP fault from legacy address service: "
        "Server.Timeout (connection timed out after 5000 ms) - falling back to manual entry",
        "tel-legacy"))
    kyc = "/ecs/kyc-check"
    for s in [f"ecs/kyc-check/{sc.hexid(32)}" for _ in range(2)]:
        lines(sc, kyc, s, lambda t: 1.2, lambda t: jline(
            {"time": sc.iso(t), "level": "INFO", "msg": "kyc decision", "decision": "pass",
             "score": round(sc.rng.uniform(0.6, 0.99), 2)}))
    sc.change(-15100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gitlab-ci-signup")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "signup-apps/kyc-check", "gitlab-ci-signup")
    sc.alarm("postal-lookup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.alarm("signup-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 1,
             2000, "GreaterThanThreshold")
    sc.expect = {"alarm": "postal-lookup-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="origin (Lambda; the failing dependency is outside the account)",
        decoys="kyc-check rollout 1 min before onset; the function's own deploy 3.6 h earlier; "
        "the monolith's chronic SOAP timeouts to a different (legacy) address service; API "
        "latency alarm",
        story="Address lookup at sign-up moved from the Java telco monolith (which still calls a "
        "legacy SOAP address service and logs timeouts all day) to the Go `postal-lookup` Lambda, "
        "which calls an external addressing partner over HTTPS. From about -37 min 72 % of "
        "invocations log two `context deadline exceeded (Client.Timeout exceeded while awaiting "
        "headers)` attempts against the partner URL and fail after ~6 s, well inside the 10 s "
        "timeout. No resource in the account is degraded and the function's last deploy was "
        "hours earlier with clean logs since.")
    return sc


# --------------------------------------------------------------------------- 14
def s14() -> Scenario:
    sc = Scenario(14, "selfcare-500s", "Self-care portal account page returning 500s; ALB target "
                  "5xx alarm.", "eu-west-1", 7314, "2026-03-17T11:40:00")
    T, DEPLOY, DECOY = -1980, -2230, -2010
    web = "i-0" + sc.hexid(16)
    lb = f"app/selfcare-www/{sc.hexid(16)}"
    rel = sc.at(DEPLOY).strftime("%Y%m%d-%H%M")
    sc.resource("ec2", web, name="ie-selfcare-web", instance_type="m6i.xlarge",
                platform="PHP 8.2 / Laravel 10 / nginx + php-fpm", codedeploy_group="selfcare-monolith-prod",
                log_groups=["/selfcare/laravel", "/selfcare/nginx", "/selfcare/codedeploy"])
    sc.resource("alb", lb, name="selfcare-www")
    sc.resource("ecs", "selfcare-apps/notifications", launch_type="FARGATE", desired_count=2)
    sc.resource("lambda", "meter-read-ingest", runtime="python3.12", timeout=60, memory_size=512)
    sc.resource("rds", "selfcare-mysql", engine="mysql", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300)
    bad = lambda t: ramp(t, T, T + 60)
    req = load(sc, 230, 0.2, 12)
    alb(sc, lb, req, lambda t: 0.17, lambda t: 0.6 + 0.16 * req(t) * bad(t))
    ec2(sc, web, lambda t: 29 * diurnal(sc, t, 12) + 25 * bump(t, DEPLOY + 20, DEPLOY + 200, 1, 30),
        mem=lambda t: 57.0, disk=lambda t: 62.0)
    ecs(sc, "selfcare-apps", "notifications", lambda t: 9.0, lambda t: 28.0,
        lambda t: 2 + 2 * bump(t, DECOY + 20, DECOY + 300, 1, 1))
    lam(sc, "meter-read-ingest", lambda t: 14.0, lambda t: 0.3, lambda t: 3100.0)
    rds(sc, "selfcare-mysql", lambda t: 26 * diurnal(sc, t, 12), lambda t: 150, lambda t: 172.0)

    lv, ng, cd = "/selfcare/laravel", "/selfcare/nginx", "/selfcare/codedeploy"
    paths = ["/account", "/account/bills", "/meter/submit", "/login", "/account/payments"]

    def acc(t):
        p = sc.rng.choice(paths)
        st = 500 if (p in ("/account", "/account/bills") and sc.rng.random() < bad(t)) else 200
        return nginx(sc, t, sc.ip("10.9"), "GET", p, st, sc.rng.randint(900, 30000),
                     sc.rng.uniform(0.03, 0.25))
    lines(sc, ng, web, lambda t: 3.5 * diurnal(sc, t, 12), acc)
    lines(sc, lv, web, lambda t: 0.12, lambda t: laravel(
        sc, t, "ERROR", "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying "
        "to get lock; try restarting transaction (SQL: update `meter_reads` set `status` = "
        "processed ...)", '{"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: '
        '40001))"}'))
    lines(sc, lv, web, lambda t: 0.9, lambda t: laravel(
        sc, t, "WARNING", "Legacy tariff code missing, defaulting to STD1",
        '{"account":"' + str(sc.rng.randint(10**6, 10**7)) + '"}'))
    lines(sc, lv, web, lambda t: 1.3 * bad(t), lambda t: laravel(
        sc, t, "ERROR", "Call to undefined method App\\Services\\Billing\\LegacyInvoiceGateway::"
        "fetchOpenBalances()", '{"userId":' + str(sc.rng.randint(10**5, 10**6)) + ',"exception":'
        '"[object] (Error(code: 0): Call to undefined method App\\\\Services\\\\Billing\\\\'
        'LegacyInvoiceGateway::fetchOpenBalances() at /var/www/selfcare/releases/' + rel +
        '/app/Http/Controllers/AccountController.php:142)"}'), start=T)
    rels = [sc.at(x).strftime("%Y%m%d-%H%M") for x in (-19000, DEPLOY)]
    for x, r in zip((-19000, DEPLOY), rels):
        did = "d-" + sc.hexid(9).upper()
        for k, ev in enumerate(["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install",
                                "AfterInstall", "ApplicationStart", "ValidateService"]):
            tt = x + 20 + k * 28
            sc.log(cd, web, tt, f"{sc.at(tt).strftime('%Y-%m-%dT%H:%M:%S')} INFO  [codedeploy-agent"
                   f"(3221)]: [Aws::CodeDeployCommand::CommandExecutor] Executing {ev} for "
                   f"deployment {did} (release {r})")
        sc.log(cd, web, x + 220, f"{sc.at(x + 220).strftime('%Y-%m-%dT%H:%M:%S')} INFO  "
               f"[codedeploy-agent(3221)]: symlink /var/www/selfcare/current -> releases/{r}; "
               "php-fpm reloaded")
    sc.change(-19000, "codedeploy.amazonaws.com", "CreateDeployment",
              "AWS::CodeDeploy::DeploymentGroup", "selfcare-monolith-prod", "jenkins-release")
    sc.change(DEPLOY, "codedeploy.amazonaws.com", "CreateDeployment",
              "AWS::CodeDeploy::DeploymentGroup", "selfcare-monolith-prod", "jenkins-release")
    sc.change(-8000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "selfcare-apps/notifications", "github-actions-selfcare")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "selfcare-apps/notifications", "github-actions-selfcare")
    sc.alarm("selfcare-www-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 12, "GreaterThanThreshold")
    sc.expect = {"alarm": "selfcare-www-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [web, "ie-selfcare-web"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", decoys="notifications rollout 30 s before onset; an earlier clean "
        "monolith release 5 h before; chronic deadlock errors and tariff warnings in the Laravel log",
        story="The Laravel self-care monolith is deployed by CodeDeploy to its single web host. "
        "Jenkins created a deployment at about -37 min; the agent log on ie-selfcare-web shows "
        "the lifecycle hooks and the symlink switch to the new release. From about -33 min the "
        "account pages fail with `Call to undefined method ... LegacyInvoiceGateway::"
        "fetchOpenBalances()` from the new release's path, a signature absent all morning, "
        "including after the clean release five hours earlier. The notifications rollout is "
        "closer to the onset but that service is not on the failing path.")
    return sc


# --------------------------------------------------------------------------- 15
def s15() -> Scenario:
    sc = Scenario(15, "market-www-503", "Shoppers get 503 on the cart; market site ELB 5xx alarm.",
                  "us-east-1", 7315, "2026-03-19T21:15:00")
    T, RULE, DECOY, OLD = -1890, -1905, -1880, -3200
    h = sc.hexid(16)
    lb = f"app/market-www/{h}"
    tgs = {k: f"targetgroup/{k}/{sc.hexid(16)}" for k in ("tg-legacy-web", "tg-basket-green",
                                                          "tg-basket-blue")}
    ids = ["i-0" + sc.hexid(16), "i-0" + sc.hexid(16)]
    sc.resource("alb", lb, name="market-www", listener_rules="/cart/* -> basket; default -> legacy")
    for i, iid in enumerate(ids):
        sc.resource("ec2", iid, name=f"mkt-legacy-{i + 1}", instance_type="c5.xlarge",
                    platform="PHP 8.1 / Apache", log_groups=["/mkt/legacy/access"])
    sc.resource("ecs", "market-apps/basket", launch_type="FARGATE", desired_count=3)
    sc.resource("lambda", "mkt-search-index", runtime="nodejs22.x", timeout=120, memory_size=1024)
    cut = lambda t: 1.0 if t >= T else 0.0
    legacy = load(sc, 380, 0.3, 22)
    cart = load(sc, 115, 0.3, 22)
    alb(sc, lb, lambda t: legacy(t) + cart(t), lambda t: 0.19, lambda t: 1.5,
        e5xx=lambda t: 0.3 + cart(t) * cut(t), healthy=lambda t: 5)
    tg(sc, lb, tgs["tg-legacy-web"], legacy, lambda t: 2)
    tg(sc, lb, tgs["tg-basket-green"], lambda t: cart(t) * (1 - cut(t)), lambda t: 3)
    tg(sc, lb, tgs["tg-basket-blue"], lambda t: 0.0, lambda t: 0)
    for iid in ids:
        ec2(sc, iid, lambda t: 35 * diurnal(sc, t, 22, 0.3), mem=lambda t: 60.0, disk=lambda t: 41.0)
    ecs(sc, "market-apps", "basket", lambda t: 21 - 15 * cut(t), lambda t: 44.0,
        lambda t: 3 + 3 * bump(t, OLD + 30, OLD + 330, 1, 1))
    lam(sc, "mkt-search-index", lambda t: 3.0, lambda t: 0.0, lambda t: 21000.0)

    bs = "/ecs/basket"
    for s in [f"ecs/basket/{sc.hexid(32)}" for _ in range(3)]:
        pid = sc.rng.randint(8, 40)
        lines(sc, bs, s, lambda t: 1.8 * (1 - cut(t)) * diurnal(sc, t, 22, 0.3), lambda t, p=pid: (
            f'{sc.ip("10.44")} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "'
            f'{sc.rng.choice(["GET /cart/", "POST /cart/items", "GET /cart/summary"])} HTTP/1.1" '
            f'200 {sc.rng.randint(300, 4000)} "-" "ELB-HTTP/2.0" {sc.rng.randint(9000, 80000)}'))
        every(sc, bs, s, 30, lambda t: (f'{sc.ip("10.44")} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")}'
                                         ' +0000] "GET /healthz HTTP/1.1" 200 2 "-" '
                                         '"ELB-HealthChecker/2.0" 812'))
        lines(sc, bs, s, lambda t: 0.1, lambda t, p=pid: gunicorn(
            sc, t, p, "WARNING", "legacy cart cookie without version, migrating in place"))
    for iid in ids:
        lines(sc, "/mkt/legacy/access", iid, lambda t: 2.0 * diurnal(sc, t, 22, 0.3), lambda t: (
            f'{sc.ip("10.44")} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET '
            f'{sc.rng.choice(["/", "/c/garden", "/p/" + str(sc.rng.randint(1000, 9999)), "/search"])}'
            f' HTTP/1.1" {500 if sc.rng.random() < 0.012 else 200} {sc.rng.randint(3000, 60000)} "-" '
            f'"Mozilla/5.0" {sc.rng.randint(30000, 300000)}'))
    lid, rid = sc.hexid(16), sc.hexid(16)
    sc.change(OLD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "market-apps/basket",
              "buildkite-deploy")
    sc.change(RULE, "elasticloadbalancing.amazonaws.com", "ModifyRule",
              "AWS::ElasticLoadBalancingV2::ListenerRule",
              f"listener-rule/app/market-www/{h}/{lid}/{rid}", "terraform-platform")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "mkt-search-index", "buildkite-deploy")
    sc.alarm("market-www-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold")
    sc.expect = {"alarm": "market-www-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": [lb, "market-www"]}}
    sc.meta = dict(
        alarm_on="origin (ALB)", decoys="basket rollout 21 min before onset; mkt-search-index code "
        "deploy 25 s after the rule change; monolith's steady 1 % 500s",
        story="/cart/* had already been strangled out of the PHP market monolith to the ECS "
        "`basket` service through target group tg-basket-green. At about -32 min Terraform "
        "modified the market-www listener rule; from that minute tg-basket-green receives no "
        "requests, the leftover tg-basket-blue (no registered targets) is the rule's target, and "
        "the ALB itself answers every cart request with a 5xx (HTTPCode_ELB_5XX ~150/min, target "
        "5xx unchanged). basket's log shows only health checks after the change. The earlier "
        "basket rollout served traffic cleanly for 20 minutes.")
    return sc


# --------------------------------------------------------------------------- 16
def s16() -> Scenario:
    sc = Scenario(16, "selfserve-usage-5xx", "Customers' usage dashboard failing; self-serve API "
                  "5xx alarm.", "ca-central-1", 7316, "2026-03-18T16:20:00")
    T, DECOY = -2400, -2500
    db, fn, api = "selfserve-pg", "usage-summary", "selfserve-api"
    mono = "i-0" + sc.hexid(16)
    sc.resource("rds", db, engine="postgres", engine_version="13.14", instance_class="db.m5.xlarge",
                max_connections=1600, allocated_storage_gb=700)
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=10, memory_size=512)
    sc.resource("lambda", "bill-notify", runtime="ruby3.3", timeout=30, memory_size=256)
    sc.resource("apigateway", api, stage="prod")
    sc.resource("ec2", mono, name="ss-legacy-app", instance_type="m5.2xlarge",
                platform="Tomcat 9 / Java 11 + crontab", log_groups=["/ss/legacy/app", "/ss/legacy/cron"])
    hot = lambda t: ramp(t, T, T + 180)
    rds(sc, db, lambda t: 31 * diurnal(sc, t, 17) + 69 * hot(t), lambda t: 90 + 55 * hot(t),
        lambda t: 338.0, rlat=lambda t: 0.0021 + 0.006 * hot(t), mem_gb=lambda t: 4.2,
        dq=lambda t: 0.8 + 3 * hot(t))
    inv = load(sc, 44, 0.2, 17)
    err = lambda t: 0.6 * inv(t) * hot(t)
    iv, ev = lam(sc, fn, inv, err, lambda t: 420 + 7600 * hot(t))
    apigw(sc, api, lambda t: inv(t) * 1.5, lambda t: 2.0, lambda t: 0.1 + err(t),
          lambda t: 470 + 7600 * hot(t))
    lam(sc, "bill-notify", lambda t: 5.0, lambda t: 0.0, lambda t: 700.0)
    ec2(sc, mono, lambda t: 24 * diurnal(sc, t, 17) + 8 * hot(t), mem=lambda t: 62.0,
        disk=lambda t: 58.0)

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 10, mem_used=(121, 7))

    def body(ll, t, rid, is_err, cold):
        acct = sc.rng.randint(10 ** 6, 10 ** 7)
        ln = [(0.01, ll.fmt(t, rid, "INFO", f"usage summary account={acct} periods=12"))]
        if is_err:
            ln.append((6.0, ll.fmt(t + 6, rid, "WARN", f"still waiting on usage_interval query "
                                   f"account={acct} elapsed=6.0s")))
            return {"dur": 0, "status": "timeout", "lines": ln}
        d = sc.rng.gauss(420, 90) + 7600 * hot(t) * sc.rng.uniform(0.5, 1.0)
        if d > 2000:
            ln.append((d / 1000 - 0.05, ll.fmt(t + d / 1000, rid, "WARN",
                                               f"slow query usage_interval {d / 1000 - 0.1:.1f}s")))
        return {"dur": d, "lines": ln}
    lam_logs(ll, iv, ev, 3, body, start=-12600)
    pgg = f"/aws/rds/instance/{db}/postgresql"
    lines(sc, pgg, db, lambda t: 0.4, lambda t: pg(
        sc, t, "LOG", "could not receive data from client: Connection reset by peer",
        client=f"{sc.ip('10.16')}({sc.rng.randint(30000, 60000)})", user="ss_app", db="selfserve"))
    lines(sc, pgg, db, lambda t: 0.8 * hot(t), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(30000, 90000):.3f} ms  statement: SELECT "
        "a.account_id, date_trunc('hour', u.read_at), sum(u.kwh) FROM usage_interval u JOIN "
        "account a ON a.id = u.account_id WHERE u.read_at >= now() - interval '400 days' GROUP BY 1, 2",
        client=f"{sc.ip('10.16')}({sc.rng.randint(30000, 60000)})", user="legacy_batch",
        db="selfserve"), start=T + 60)
    lines(sc, pgg, db, lambda t: 2.5 * hot(t), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(2500, 9800):.3f} ms  execute <unnamed>: SELECT "
        "period, sum(kwh) FROM usage_interval WHERE account_id = $1 GROUP BY period",
        client=f"{sc.ip('10.16')}({sc.rng.randint(30000, 60000)})", user="ss_app", db="selfserve"),
        start=T)
    cron, app = "/ss/legacy/cron", "/ss/legacy/app"
    for x in range(-21600 + 600, 0, 1800):
        sc.log(cron, mono, x, f"{sc.at(x).strftime('%b %d %H:%M:%S')} ss-legacy-app CROND["
               f"{sc.rng.randint(2000, 30000)}]: (sslegacy) CMD (/opt/ss/bin/usage-delta.sh)")
    sc.log(cron, mono, T + 1, f"{sc.at(T).strftime('%b %d %H:%M:%S')} ss-legacy-app CROND[18842]: "
           "(sslegacy) CMD (/opt/ss/bin/usage-reconcile.sh --full --parallel 8)")
    lines(sc, app, mono, lambda t: 0.5, lambda t: spring(
        sc, t, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 100)}", "c.s.legacy.TariffCache",
        "tariff cache refresh skipped: previous refresh still running", "ss-legacy"))
    sc.log(app, mono, T + 4, spring(sc, T + 4, "INFO", "reconcile-main", "c.s.batch.UsageReconcile",
                                    "full reconcile: 8 parallel workers over 400 days of "
                                    "usage_interval", "ss-legacy"))
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "github-actions-ss")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "bill-notify", "r.tremblay")
    sc.alarm("selfserve-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 8,
             "GreaterThanThreshold")
    sc.alarm("usage-summary-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "selfserve-api-5xx",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", decoys="usage-summary timeouts (look like function_timeout); "
        "bill-notify config change 100 s before onset; half-hourly usage-delta cron runs; the "
        "monolith's chronic tariff-cache warnings",
        story="The usage dashboard moved from the Java self-serve monolith to the Ruby "
        "`usage-summary` Lambda, which reads the shared `selfserve-pg`. At about -40 min the "
        "monolith's crontab starts a full `usage-reconcile --parallel 8` over 400 days of data; "
        "the database's CPU goes from ~30 % to 99-100 % within three minutes, with "
        "30-90 s reconcile statements from `legacy_batch` in its log. The Lambda's queries slow "
        "from 0.4 s to many seconds and 60 % of invocations reach the 10 s timeout, so the API "
        "returns 5xx. The timeouts are the symptom; the saturated database is where it starts.")
    return sc
