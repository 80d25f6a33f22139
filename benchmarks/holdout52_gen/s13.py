"""h52-13: a CodeDeploy release of billing-api to two EC2 hosts ships a Jackson version clash."""
from __future__ import annotations

from .common import Scenario, alb_dims, ec2_pack, lambda_pack, rds_pack, tg_dims
from .logfmt import spring

ALB = "app/billing-alb/8e5c3a1f7d9b2046"
TG = "targetgroup/billing-api-tg/3d9b1f7a5c2e4860"
API1, API2, BATCH = "i-0b7d3f5a1c9e24680", "i-0c9e1a3b5d7f46802", "i-05f7b9d1e3a2c4068"
T_DB, T_ASG, T_RULE, T_CD, T_ARCH = -4200, -3000, -2200, -1680, -1000
# OneAtATime deployment windows: (deregister, app stop, app start, registered)
WIN = {API1: (-1660, -1645, -1615, -1580), API2: (-1565, -1550, -1520, -1485)}
WRITE_SHARE = 0.36
NSME = ("java.lang.NoSuchMethodError: 'com.fasterxml.jackson.core.util.JacksonFeatureSet "
        "com.fasterxml.jackson.core.JsonParser.getReadCapabilities()'")
TRACE = ("\tat com.fasterxml.jackson.databind.DeserializationContext.<init>(DeserializationContext.java:211)\n"
         "\tat com.fasterxml.jackson.databind.deser.DefaultDeserializationContext.<init>(DefaultDeserializationContext.java:50)\n"
         "\tat com.fasterxml.jackson.databind.deser.DefaultDeserializationContext$Impl.createInstance(DefaultDeserializationContext.java:413)\n"
         "\tat com.fasterxml.jackson.databind.ObjectMapper.createDeserializationContext(ObjectMapper.java:4717)\n"
         "\tat com.fasterxml.jackson.databind.ObjectReader._bindAndClose(ObjectReader.java:2079)\n"
         "\tat org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter.readJavaType(AbstractJackson2HttpMessageConverter.java:378)\n"
         "\tat org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor.readWithMessageConverters(RequestResponseBodyMethodProcessor.java:163)\n"
         "\tat com.acme.billing.web.InvoiceController.create(InvoiceController.java:58)\n"
         "\t... 51 common frames omitted")


def new_version(iid, t):
    return t >= WIN[iid][2]


def in_service(iid, t):
    d, _, _, r = WIN[iid]
    return not (d <= t < r)


def build():
    s = Scenario(13, "billing-api-jackson-clash", "us-west-1", "2026-04-08T20:35:00",
                 "Billing: creating and updating invoices fails with HTTP 500 for finance users; the billing ALB 5XX "
                 "alarm fired after a busy afternoon of changes.")
    s.resource("alb", ALB, name="billing-alb", scheme="internal", target_groups=["billing-api-tg", "billing-v2-tg"])
    for iid, name in ((API1, "billing-api-1"), (API2, "billing-api-2")):
        s.resource("ec2", iid, name=name, instance_type="m6i.large", role="Spring Boot 2.7 (Java 17) billing-api",
                   deployment_group="billing-api-prod (CodeDeploy, OneAtATime)",
                   log_groups=["/billing/api/application", "/billing/codedeploy"])
    s.resource("ec2", BATCH, name="billing-batch-1", instance_type="c6i.large", autoscaling_group="billing-batch-asg")
    s.resource("rds", "billing-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
               max_connections=1000, allocated_storage_gb=400, pending_modifications="instance class db.r6g.xlarge "
               "(next maintenance window)")
    s.resource("lambda", "invoice-archiver", runtime="python3.12", timeout=300, memory_size=1024)

    req = s.series(lambda t: s.count(520 * s.diurnal(t, 18, 0.25)))

    def share_bad(t):
        mid = t + 30
        live = [i for i in (API1, API2) if in_service(i, mid)]
        bad = [i for i in live if new_version(i, mid)]
        return len(bad) / max(len(live), 1)
    e5 = {t: s.count(req[t] * WRITE_SHARE * share_bad(t)) + (1.0 if s.rng.random() < 0.05 else 0.0) for t in req}
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", e5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count",
             s.series(lambda t: 1.0 if s.rng.random() < 0.04 else 0.0), integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds",
             {t: 0.061 + s.noise(0.005) - 0.01 * share_bad(t) for t in req}, nd=4)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             {t: float(sum(in_service(i, t + 30) for i in (API1, API2))) for t in req}, integer=True)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", {t: 0.0 for t in req}, integer=True)
    for iid in (API1, API2):
        d, stop, start, r = WIN[iid]

        def cpu(t, iid=iid, stop=stop, start=start):
            if stop <= t < start:
                return 2 + s.noise(0.5)
            if start <= t < start + 60:
                return 71 + s.noise(4)
            return 19 * req[t] / 520 + s.noise(1.8)
        ec2_pack(s, iid, s.series(cpu), {t: req[t] * 2600 + s.noise(1e5) for t in req}, s.series(lambda t: 0.0),
                 mem=s.series(lambda t, stop=stop: (54 if t < stop else 47 + 6 * min(1.0, (t - stop) / 900)) + s.noise(0.5)),
                 disk=s.series(lambda t: 36.4 + s.noise(0.05) + (0.3 if t >= -1650 else 0)))
    kw = dict(step=300, start=-43200, end=-300)
    ec2_pack(s, BATCH, s.series(lambda t: 46 + s.noise(8), **kw), s.series(lambda t: 3e7 + s.noise(4e6), **kw),
             s.series(lambda t: 0.0, **kw), **kw)
    rds_pack(s, "billing-db", {t: 23 + s.noise(2) - 3 * share_bad(t) for t in req}, s.series(lambda t: 61 + s.noise(3)),
             s.series(lambda t: 301.0e9 + s.noise(4e7)), s.series(lambda t: 6.3e9 + s.noise(6e7)),
             s.series(lambda t: 0.0010 + abs(s.noise(0.0002))))
    ai = s.series(lambda t: 1.0 if t % 900 == 0 else None)
    lambda_pack(s, "invoice-archiver", ai, {t: 0.0 for t in ai}, {t: 61000 + s.noise(5000) for t in ai},
                conc={t: 1.0 for t in ai})

    # ---- application logs (Spring Boot 2.7 logback) + CodeDeploy agent
    for iid, host in ((API1, "ip-10-2-1-84"), (API2, "ip-10-2-2-19")):
        d, stop, start, r = WIN[iid]
        pid_old, pid_new = (2281, 30911) if iid == API1 else (2307, 31177)
        ev = []
        thr = [f"nio-8080-exec-{k}" for k in range(1, 21)]
        for t in range(-10800, 0, 60):
            pid = pid_new if t >= start else pid_old
            if stop <= t < start + 20 or (d <= t < r and s.rng.random() < 0.7):
                continue
            for _ in range(int(s.count(6))):
                tt = t + s.rng.uniform(0, 59.9)
                if stop <= tt < start + 25:
                    continue
                write = s.rng.random() < WRITE_SHARE
                inv = f"INV-2026-{s.rng.randint(1000, 99999):06d}"
                if write and new_version(iid, tt) and in_service(iid, tt):
                    ev.append((tt, spring(s, tt, "ERROR", pid, s.rng.choice(thr), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                          "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                          f"exception [Handler dispatch failed; nested exception is {NSME}] with root cause"
                                          f"\n\n{NSME}\n{TRACE}")))
                    continue
                if write:
                    msg = f"{s.rng.choice(['POST /api/invoices', f'PUT /api/invoices/{inv}'])} {s.rng.choice([201, 200])} ({s.rng.randint(25, 90)} ms)"
                else:
                    msg = f"GET /api/invoices/{inv} 200 ({s.rng.randint(6, 40)} ms)"
                ev.append((tt, spring(s, tt, "INFO", pid, s.rng.choice(thr), "c.a.billing.web.AccessLogFilter", msg)))
            if s.rng.random() < 0.25:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, spring(s, tt, "WARN", pid, s.rng.choice(thr), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                      "SQL Warning Code: 1287, SQLState: HY000 -- '@@tx_isolation' is deprecated and will "
                                      "be removed in a future release. Please use '@@transaction_isolation' instead")))
        ev += [(stop + 1, spring(s, stop + 1, "INFO", pid_old, "ionShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                                 "Graceful shutdown complete")),
               (start - 19, spring(s, start - 19, "INFO", pid_new, "main", "c.acme.billing.BillingApiApplication",
                                   f"Starting BillingApiApplication v4.12.0 using Java 17.0.10 on {host} with PID {pid_new}")),
               (start - 12, spring(s, start - 12, "INFO", pid_new, "main", "com.zaxxer.hikari.HikariDataSource",
                                   "HikariPool-1 - Start completed.")),
               (start, spring(s, start, "INFO", pid_new, "main", "c.acme.billing.BillingApiApplication",
                              "Started BillingApiApplication in 19.84 seconds (JVM running for 21.31)"))]
        s.log("/billing/api/application", iid, ev)
        dep = "d-7Q2WX1Y8Z"

        def cd(t, msg):
            return (t, f"{s.stamp(t, '%Y-%m-%dT%H:%M:%S')} INFO  [codedeploy-agent(3112)]: [InstanceAgent::Plugins::"
                       f"CodeDeployPlugin::CommandExecutor] {msg}")
        cdl = [cd(d + 4, f"Executing lifecycle event BeforeBlockTraffic for deployment {dep}"),
               cd(stop - 2, f"Executing lifecycle event ApplicationStop for deployment {dep} (script scripts/stop.sh)"),
               cd(stop + 3, f"Executing lifecycle event DownloadBundle for deployment {dep} (revision "
                            "s3://acme-artifacts/billing-api/billing-api-4.12.0.zip)"),
               cd(stop + 9, f"Executing lifecycle event AfterInstall for deployment {dep} (script scripts/install.sh)"),
               cd(start - 21, f"Executing lifecycle event ApplicationStart for deployment {dep} (script scripts/start.sh)"),
               cd(start + 6, f"Executing lifecycle event ValidateService for deployment {dep} (script scripts/validate.sh)"),
               cd(start + 8, "[stdout]GET http://localhost:8080/actuator/health -> 200 {\"status\":\"UP\"}"),
               cd(r - 3, f"Executing lifecycle event AllowTraffic for deployment {dep}"),
               cd(r, f"Deployment {dep} lifecycle events succeeded on this instance")]
        s.log("/billing/codedeploy", iid, cdl)

    # ---- changes
    s.change(T_DB, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "billing-db", "dba-g.huang")
    s.change(T_ASG, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
             "billing-batch-asg", "ops-n.patel")
    s.change(T_ASG + 40, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", "i-0a3c5e7b9d1f20468 (billing-batch-2)",
             "autoscaling.amazonaws.com")
    s.change(T_RULE, "elasticloadbalancing.amazonaws.com", "CreateRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             "app/billing-alb/8e5c3a1f7d9b2046/4c2a8e6f0b1d3957", "web-platform-y.kim")
    s.change(T_CD, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "billing-api-prod",
             "jenkins")
    s.change(T_ARCH, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-archiver",
             "jenkins")

    a = s.alarm("billing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Sum", 60,
                3, 25, "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("billing-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "billing-db"}, "Average", 300,
            3, 80, "GreaterThanThreshold", expect_state="OK")
    res = [API1, "billing-api-1", API2, "billing-api-2", "billing-api-prod"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "bad_deployment", "resource": res},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="bad_deployment", resources=res,
                where="front (ALB; origin is the application deployed on both targets)",
                decoys="new listener rule on the same ALB 10 min before the first errors; billing-db class change pending for the "
                       "maintenance window; batch ASG scale-out with RunInstances; invoice-archiver deploy after onset; "
                       "steady MySQL '@@tx_isolation' deprecation WARN",
                story="Jenkins starts CodeDeploy deployment d-7Q2WX1Y8Z of billing-api 4.12.0 to deployment group "
                      "billing-api-prod (OneAtATime). billing-api-1 is back in service at -26 min and billing-api-2 at "
                      "-25 min. Each host starts throwing `java.lang.NoSuchMethodError: ... "
                      "JsonParser.getReadCapabilities()` (jackson-databind newer than jackson-core) on every request "
                      "that reads a JSON body as soon as it runs 4.12.0: from the moment billing-api-1 returns to service "
                      "(with billing-api-2 taken out for its turn) roughly a third of all requests fail, and it stays "
                      "that way once both hosts run the new build; GETs still work and the health check passes. The new listener "
                      "rule forwards /v2/* to an empty target group at weight 0, the RDS change is pending, and the "
                      "batch scale-out is elsewhere. Label: bad_deployment of billing-api (both instances / the "
                      "deployment group).")
    return doc, meta
