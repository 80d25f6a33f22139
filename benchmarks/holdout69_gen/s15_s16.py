"""h69-15 (SMTP relay parameter typo) and h69-16 (tenant console release behind an ALB)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, Tasks, bump, emit, jline, lam_props,
                  lambda_sampled, meta, put, ramp, tenant)
from .runtimes import nginx

ALB15 = "app/msg-internal/5a0c93e7f1d24b68"
ALB16 = "app/tenant-console/c07e4b19a8d35f62"


# --------------------------------------------------------------------------- h69-15
def build15() -> Scenario:
    sc = Scenario(15, "msg-internal-5xx", "Transactional e-mail (invoices, password resets) not "
                  "going out; 5xx alarm on the internal messaging ALB.", "ap-northeast-1", 691515,
                  "2026-02-03T08:20:00")
    TP, TR, TN = -3000, -2940, -2880
    sc.resource("alb", ALB15, name="msg-internal", scheme="internal", target_groups=["tg-mailer"])
    sc.resource("ecs", "messaging/mailer", launch_type="FARGATE", desired_count=3, cpu=256,
                memory=512, config_source="ssm:/messaging/prod/*", log_group="/ecs/mailer")
    sc.resource("ecs", "messaging/templates", launch_type="FARGATE", desired_count=2, cpu=256,
                memory=512, log_group="/ecs/templates")
    sc.resource("lambda", "bounce-processor", **lam_props("nodejs20.x", 30, 256))
    rng = sc.rng
    bad = lambda t: ramp(t, TN - 20, TN + 40)  # noqa: E731
    dl = lambda t: diurnal(sc, t, 8, 0.25)  # noqa: E731
    B = {"LoadBalancer": ALB15}
    req = put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 420 * dl(t), integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count",
        lambda t: 0.3 + req.get(t, 0) * 0.74 * bad(t), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds",
        lambda t: 0.34 - 0.27 * bad(t), noise=0.08, digits=4)
    S = {"ClusterName": "messaging", "ServiceName": "mailer"}
    put(sc, "AWS/ECS", "CPUUtilization", S, "Percent",
        lambda t: 21 * dl(t) - 8 * bad(t) + bump(t, TR, TN, 25, 30), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", S, "Percent", lambda t: 38, noise=0.03)
    T = {"ClusterName": "messaging", "ServiceName": "templates"}
    put(sc, "AWS/ECS", "CPUUtilization", T, "Percent", lambda t: 11 + bump(t, -2910, -2760, 30, 30),
        noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", T, "Percent", lambda t: 44, noise=0.03)
    L = {"FunctionName": "bounce-processor"}
    put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 6 * dl(t) * (1 - 0.85 * ramp(t, TN, TN + 600)),
        integer=True)
    put(sc, "AWS/Lambda", "Errors", L, "Count", lambda t: 0.02, integer=True)

    good, typo = "smtp-relay.mailhub.example.com", "smtp-relay.mailhub.example.con"
    tk = Tasks(sc, "mailer", "mailer", 3, deploys=(-12600, TN))

    def slog(t, level, msg, **kv):
        tail = " ".join(f"{k}={v}" for k, v in kv.items())
        return f"time={sc.iso(t)} level={level} msg=\"{msg}\" {tail}".rstrip()

    for t0, host in ((-12600, good), (TN, typo)):
        for k, tid in enumerate(tk.ids(t0 + 1)):
            t = t0 - 30 + k * 6.1
            st = f"ecs/mailer/{tid}"
            sc.log("/ecs/mailer", st, t, slog(t, "INFO", "starting mailer", version="3.8.1", go="go1.22.4"))
            sc.log("/ecs/mailer", st, t + 0.4, slog(t + 0.4, "INFO", "config loaded", SMTP_RELAY_HOST=host,
                                                    SMTP_RELAY_PORT=587, source="ssm:/messaging/prod/"))
            sc.log("/ecs/mailer", st, t + 0.5, slog(t + 0.5, "INFO", "listening", addr=":8080"))
    tpl = ["invoice_ready", "password_reset", "trial_ending", "weekly_digest", "payment_failed"]

    def line(t):
        ten = tenant(sc)
        if t >= TN - 30 and rng.random() < 0.76 * bad(t):
            return slog(t, "ERROR", "smtp dial failed", tenant=ten, template=rng.choice(tpl),
                        relay=f"{typo}:587", err=f"\"dial tcp: lookup {typo} on 10.2.0.2:53: no such host\"",
                        status=502)
        if rng.random() < 0.06:
            return slog(t, "WARN", "recipient rejected", tenant=ten, relay=f"{good}:587", smtp_code=550,
                        err="\"5.1.1 mailbox unavailable\"")
        if bad(t) > 0.5:
            return slog(t, "INFO", "preview rendered", tenant=ten, template=rng.choice(tpl),
                        ms=rng.randint(8, 40))
        return slog(t, "INFO", "message sent", tenant=ten, template=rng.choice(tpl), relay=f"{good}:587",
                    smtp_code=250, ms=rng.randint(180, 520))
    emit(sc, "/ecs/mailer", tk.stream, lambda t: 4.5, line)
    tt = Tasks(sc, "templates", "templates", 2, deploys=(-2910,))
    emit(sc, "/ecs/templates", tt.stream, lambda t: 1.5,
         lambda t: jline({"ts": sc.iso(t), "level": "info", "msg": "template compiled",
                          "template": rng.choice(tpl), "locale": rng.choice(["ja-JP", "en-US", "ko-KR"]),
                          "ms": rng.randint(2, 30)}))
    bl = LambdaLogs(sc, "bounce-processor", "nodejs20.x", 256, 30, mem_used=(80, 4))

    def bbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.05, ll.fmt(t, rid, "INFO", f"processed {rng.choice(['bounce', 'complaint'])} "
                                        f"for {tenant(sc)} type={rng.choice(['Permanent', 'Transient'])}"))],
                "dur": rng.gauss(60, 10)}
    lambda_sampled(bl, {t: 1 for t in range(LOG_START, 0, 120)}, {}, bbody, cap=1)
    sc.change(TP, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
              "/messaging/prod/SMTP_RELAY_HOST", "kenji.watanabe")
    sc.change(TR, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "messaging/mailer",
              "kenji.watanabe")
    sc.change(-2922, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "templates:64", "spinnaker")
    sc.change(-2910, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "messaging/templates",
              "spinnaker")
    sc.change(-12630, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "messaging/mailer",
              "spinnaker")
    sc.alarm("msg-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "Messaging API errors")
    sc.alarm("bounce-processor-idle", "AWS/Lambda", "Invocations", L, "Sum", 300, 2, 12, "LessThanThreshold")
    sc.expect = {"alarm": "msg-internal-5xx",
                 "root_cause": {"category": "config_change", "resource": ["messaging/mailer", "mailer"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": B}]}
    meta(sc, alarm_on="front (internal ALB; origin is the ECS service behind it)",
         decoys="templates deploy 30 s after the mailer restart (closest change to onset); errors "
                "look like a DNS/dependency failure; steady 550 recipient rejections; bounce Lambda "
                "idle alarm",
         services="ALB, ECS (Go, slog text/logfmt), Lambda, SSM",
         story="Someone edited the SSM parameter `/messaging/prod/SMTP_RELAY_HOST` and forced a new "
               "deployment of `messaging/mailer` a minute later so the tasks would pick it up. The "
               "new tasks log `config loaded SMTP_RELAY_HOST=smtp-relay.mailhub.example.con` (the "
               "tasks started four hours earlier loaded `.com`), and from then on every send fails "
               "with `dial tcp: lookup smtp-relay.mailhub.example.con ... no such host` and a 502; "
               "the ALB's 5xx count jumps while its latency drops (failures are fast). It reads "
               "like a dependency outage, but the error names a setting that was just changed, "
               "which the format's table assigns to config_change (and a config change beats the "
               "forced redeploy). The `templates` deploy in between is unrelated.")
    return sc


# --------------------------------------------------------------------------- h69-16
def build16() -> Scenario:
    sc = Scenario(16, "tenant-console-5xx", "Tenant admins see 500 errors on integration pages; ALB "
                  "5xx alarm.", "sa-east-1", 691616, "2026-06-09T15:00:00")
    TD, TN = -2640, -2560
    sc.resource("alb", ALB16, name="tenant-console", scheme="internet-facing", target_groups=["tg-console-web"])
    sc.resource("ecs", "console/web", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                log_group="/ecs/console-web")
    sc.resource("ecs", "console/queue-worker", launch_type="FARGATE", desired_count=2, cpu=512,
                memory=1024, log_group="/ecs/console-queue-worker")
    sc.resource("rds", "console-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=200)
    sc.resource("rds", "console-reporting", engine="mysql", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=200, read_replica_of="console-mysql")
    rng = sc.rng
    bad = lambda t: ramp(t, TN, TN + 150)  # noqa: E731  rolling replacement of the four tasks
    dl = lambda t: diurnal(sc, t, 17, 0.2)  # noqa: E731
    B = {"LoadBalancer": ALB16}
    req = put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 1300 * dl(t), integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count",
        lambda t: 1.8 + req.get(t, 0) * 0.21 * bad(t), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds", lambda t: 0.18, noise=0.08, digits=4)
    W = {"ClusterName": "console", "ServiceName": "web"}
    put(sc, "AWS/ECS", "CPUUtilization", W, "Percent", lambda t: 34 * dl(t) + bump(t, TN - 60, TN + 120, 18, 30),
        noise=0.06)
    put(sc, "AWS/ECS", "MemoryUtilization", W, "Percent", lambda t: 51, noise=0.03)
    Q = {"ClusterName": "console", "ServiceName": "queue-worker"}
    put(sc, "AWS/ECS", "CPUUtilization", Q, "Percent", lambda t: 26, noise=0.1)
    R = {"DBInstanceIdentifier": "console-mysql"}
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent", lambda t: 31 * dl(t), noise=0.07)
    put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", lambda t: 118, integer=True)
    RR = {"DBInstanceIdentifier": "console-reporting"}
    put(sc, "AWS/RDS", "CPUUtilization", RR, "Percent", lambda t: 14 + bump(t, -2580, -2300, 30, 60),
        noise=0.1)
    put(sc, "AWS/RDS", "ReplicaLag", RR, "Seconds", lambda t: 0.4 + bump(t, -2580, -2350, 40, 60),
        noise=0.2, digits=2)

    web = Tasks(sc, "web", "web", 4, deploys=(TN,))

    def lv(t, level, msg, ctx=None):
        d = sc.at(t).strftime("%Y-%m-%d %H:%M:%S")
        return f"[{d}] production.{level}: {msg} {jline(ctx or {})}"
    integ = ["/integrations/hubspot/contacts", "/integrations/hubspot/sync", "/api/v1/integrations/status"]
    other = ["/dashboard", "/settings/users", "/billing/invoices", "/api/v1/audit-log", "/settings/sso"]

    def wline(t):
        ip, ten = sc.ip("10.70"), tenant(sc)
        if rng.random() < 0.24:
            p = rng.choice(integ)
            if rng.random() < bad(t):
                if rng.random() < 0.5:
                    return nginx(sc, t, ip, "GET", p, 500, 1201, rng.uniform(0.03, 0.09))
                cls = "App\\Integrations\\Hubspot\\V3\\ContactsClient"
                return lv(t, "ERROR", f'Class "{cls}" not found',
                          {"tenant": ten, "exception": f'[object] (Error(code: 0): Class "{cls}" not '
                           'found at /var/www/html/app/Http/Controllers/IntegrationController.php:88)'})
            return nginx(sc, t, ip, "GET", p, 200, rng.randint(900, 30000), rng.uniform(0.1, 0.5))
        r = rng.random()
        if r < 0.02:
            return lv(t, "ERROR", "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying "
                      "to get lock; try restarting transaction (SQL: update `sync_cursors` set `position` = "
                      f"{rng.randint(10 ** 6, 10 ** 7)} where `tenant_id` = '{ten}')", {"tenant": ten})
        if r < 0.05:
            return lv(t, "WARNING", f"Hubspot token for tenant {ten} expires in {rng.randint(2, 23)}h; refresh "
                      "scheduled", {"tenant": ten})
        return nginx(sc, t, ip, rng.choice(["GET", "GET", "POST"]), rng.choice(other), 200,
                     rng.randint(900, 60000), rng.uniform(0.05, 0.4))
    emit(sc, "/ecs/console-web", web.stream, lambda t: 7, wline)
    for t0, build in ((TN, "2026.06.09-1 (git 4be1f0a)"),):
        for k, tid in enumerate(web.ids(t0 + 1)):
            t = t0 - 20 + k * 35
            sc.log("/ecs/console-web", f"ecs/web/{tid}", t, lv(t, "INFO", f"Booting console build {build}"))
    qw = Tasks(sc, "queue-worker", "queue-worker", 2)
    emit(sc, "/ecs/console-queue-worker", qw.stream, lambda t: 2,
         lambda t: lv(t, "INFO", f"Processed: App\\Jobs\\SyncHubspotContacts tenant={tenant(sc)} "
                      f"({rng.randint(200, 4000)}ms)"))
    sc.change(TD - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "console-web:311", "github-actions-console")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "console/web",
              "github-actions-console")
    sc.change(-2590, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "console-reporting",
              "dba.ana")
    sc.change(-11000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "console-mysql8", "dba.ana")
    sc.alarm("tenant-console-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Sum", 60, 3, 40,
             "GreaterThanThreshold", "Tenant console 5xx")
    sc.alarm("console-reporting-replica-lag", "AWS/RDS", "ReplicaLag", RR, "Maximum", 60, 3, 30,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "tenant-console-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": ["console/web", "web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": B}]}
    meta(sc, alarm_on="front (ALB; origin is the ECS service behind it)",
         decoys="ModifyDBInstance on the reporting replica between the deploy and onset, with a "
                "replica-lag alarm that fired and cleared; steady deadlock ERRORs and token-expiry "
                "warnings; parameter-group change 3 h ago",
         services="ALB, ECS (PHP/Laravel), RDS MySQL",
         story="GitHub Actions registered task definition `console-web:311` and updated "
               "`console/web`; the new tasks log `Booting console build 2026.06.09-1` and, from that "
               "minute, every request to the integration pages fails with `Class "
               "\"App\\Integrations\\Hubspot\\V3\\ContactsClient\" not found` at "
               "IntegrationController.php:88 and a 500 in the access log. About a fifth of ALB "
               "requests now return 5xx; latency and the primary database are unchanged. The "
               "reporting replica was modified 50 s after the deploy and briefly lagged, but "
               "the console does not read from it and the error is a missing class. The deadlock "
               "ERRORs have run all day at the same rate.")
    return sc


BUILDERS = [build15, build16]
