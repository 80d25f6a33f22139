"""h50-05 (launch-template AMI bump + instance refresh: Tomcat 10 breaks a javax WAR) and
h50-06 (Parameter Store value change breaks the payments API)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, times
from . import fmt
from .s01_02 import SPRING_FRAMES


def h05():
    s = Scn(5, "h50-05-launch-template-ami-tomcat10-instance-refresh", "eu-central-1",
            "catalog target group reports unhealthy hosts; catalog pages slower than usual.",
            dt.datetime(2026, 11, 16, 13, 50, 0), 5005)
    alb, tg = "app/catalog-alb/8f3b1d7e2c5a9046", "targetgroup/catalog-tg/2d7f9e1b4c6a8035"
    old_ami, new_ami = "ami-0c1f7e2a9b3d45e61", "ami-0f2c8d4b6e1a37592"
    REF, CYCLE, GRACE = -3000, 640, 600
    olds = [inst(s, "catalog-web", "10.61", alive=(-10 ** 9, REF + 10 if k < 2 else 10 ** 9)) for k in range(4)]
    news = []
    for c, t0 in enumerate(range(REF + 15, 0, CYCLE)):
        for _ in range(2):
            news.append((inst(s, "catalog-web", "10.61", alive=(t0, min(10 ** 9, t0 + GRACE + 40) if t0 + GRACE + 40 < 0 else 10 ** 9)), t0))
    G = ["/catalog/prod/catalina", "/catalog/prod/access", "/catalog/prod/app"]
    for i in olds:
        s.res("ec2", i["id"], name="catalog-web", instance_type="m6i.large", autoscaling_group="catalog-asg", image_id=old_ami,
              launch_template="catalog-web-lt (lt-07d2b9e4c1a3f5086) v17", platform="Amazon Linux 2023 / Tomcat 9.0.83 / Corretto 17",
              state="running" if i["alive"][1] > 0 else "terminated", private_ip=i["ip"], log_groups=G)
    for i, t0 in news:
        s.res("ec2", i["id"], name="catalog-web", instance_type="m6i.large", autoscaling_group="catalog-asg", image_id=new_ami,
              launch_template="catalog-web-lt (lt-07d2b9e4c1a3f5086) v18", platform="Amazon Linux 2023 / Tomcat 10.1.16 / Corretto 17",
              state="running" if i["alive"][1] > 0 else "terminated", private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="catalog-alb", target_group=tg, health_check="GET /catalog/health, 2 of 2 failures -> unhealthy")
    s.res("rds", "catalog-pg", engine="postgres", engine_version="16.1", instance_class="db.r6g.large", max_connections=1700,
          allocated_storage_gb=400)
    registered_unhealthy = lambda t: sum(1 for i, t0 in news if t0 + 150 <= t < i["alive"][1])
    healthy_n = lambda t: 4 if t < REF + 10 else 2
    req_tot = lambda t: 2100.0 * diurnal(s, t, 0.2, 13)
    alb_metrics(s, alb, tg, counts(s, req_tot), counts(s, lambda t: 0.8 + (1.5 if t >= REF else 0)),
                series(s, lambda t: 0.105 if t < REF + 10 else 0.34, noise=0.02, lo=0.04),
                [float(healthy_n(t)) for t in GRID], [float(registered_unhealthy(t)) for t in GRID])
    asg_metrics(s, "catalog-asg", [float(min(4, healthy_n(t) + sum(1 for i, t0 in news if t0 + 90 <= t < i["alive"][1]))) for t in GRID], [4.0] * 360)
    for i in olds:
        ec2_metrics(s, i, series(s, lambda t: (8 + req_tot(t) / healthy_n(t) / 24.0), noise=2.5, hi=100, alive=i["alive"]),
                    series(s, lambda t: 63.0, noise=0.8, alive=i["alive"]), series(s, lambda t: 44.0, noise=0.04, alive=i["alive"]))
    for i, t0 in news:
        ec2_metrics(s, i, series(s, lambda t, t0=t0: 55.0 if t < t0 + 180 else 2.5, noise=1.5, hi=100, alive=(t0 + 30, i["alive"][1])),
                    series(s, lambda t: 18.0, noise=0.6, alive=(t0 + 90, i["alive"][1])), series(s, lambda t: 21.0, noise=0.02, alive=(t0 + 90, i["alive"][1])))
    rds_default(s, "catalog-pg", cpu=22.0, conns=120.0, free_gb=260.0, mem_gb=7.2)

    cl = clients(s, "10.61", 30)
    for i in olds:
        st, end = i["id"], min(i["alive"][1], -5)
        for t in times(s, LOG_FROM, end, lambda t: 4.0 * 4 / healthy_n(t)):
            p = s.rng.choice(["/catalog/api/products/%d" % s.rng.randint(1, 90000), "/catalog/api/search?q=%s" % s.rng.choice(["drill", "lamp", "desk", "tent", "usb-c"]),
                              "/catalog/api/categories/%d" % s.rng.randint(1, 400), "/catalog/api/products/%d/stock" % s.rng.randint(1, 90000)])
            base = 95 if t < REF else 300
            s.log(G[1], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "GET", p, 200, s.rng.randint(400, 30000), int(base * s.rng.uniform(0.4, 1.9))))
        for t in every(s, LOG_FROM, end, 10, 1):
            s.log(G[1], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.61.0.17", "10.61.9.203"]), "GET", "/catalog/health", 200, 2, 3))
        for t in times(s, LOG_FROM, end, 0.9):
            s.log(G[2], st, t, "%s  WARN [http-nio-8080-exec-%d] c.a.catalog.search.SolrClient - slow query %d ms q=name_t:(%s) rows=48"
                  % (fmt.ms(s, t), s.rng.randint(1, 200), s.rng.randint(1000, 2400), s.rng.choice(["drill", "lamp", "desk", "tent"])))
        for t in every(s, LOG_FROM, end, 120, 5):
            s.log(G[2], st, t, "%s  INFO [scheduling-1] c.a.catalog.stock.StockSync - stock delta applied: %d SKUs from warehouse feed" % (fmt.ms(s, t), s.rng.randint(10, 500)))
        if i["alive"][1] < 0:
            e = i["alive"][1] - 8
            s.log(G[0], st, e, fmt.catalina(s, e, "INFO", "Thread-1", "org.apache.coyote.AbstractProtocol.pause", "Pausing ProtocolHandler [\"http-nio-8080\"]"))
            s.log(G[0], st, e + 0.3, fmt.catalina(s, e + 0.3, "INFO", "Thread-1", "org.apache.catalina.core.StandardService.stopInternal", "Stopping service [Catalina]"))
    for i, t0 in news:
        st, b = i["id"], t0 + 95
        lines = [(0, "INFO", "main", "org.apache.catalina.startup.VersionLoggerListener.log", "Server version name:   Apache Tomcat/10.1.16"),
                 (0.01, "INFO", "main", "org.apache.catalina.startup.VersionLoggerListener.log", "Server built:          Nov 7 2023 21:13:22 UTC"),
                 (0.02, "INFO", "main", "org.apache.catalina.startup.VersionLoggerListener.log", "Server version number: 10.1.16.0"),
                 (0.03, "INFO", "main", "org.apache.catalina.startup.VersionLoggerListener.log", "JVM Version:           17.0.9+8-LTS"),
                 (0.9, "INFO", "main", "org.apache.catalina.startup.HostConfig.deployWAR", "Deploying web application archive [/opt/tomcat/webapps/catalog.war]"),
                 (4.1, "SEVERE", "main", "org.apache.catalina.core.StandardContext.listenerStart",
                  "Error configuring application listener of class [org.springframework.web.context.ContextLoaderListener]\n" + fmt.jstack(
                      "java.lang.NoClassDefFoundError: javax/servlet/ServletContextListener",
                      ["java.base/java.lang.ClassLoader.defineClass1(Native Method)", "java.base/java.lang.ClassLoader.defineClass(ClassLoader.java:1012)",
                       "org.apache.catalina.loader.WebappClassLoaderBase.findClassInternal(WebappClassLoaderBase.java:2483)",
                       "org.apache.catalina.core.DefaultInstanceManager.newInstance(DefaultInstanceManager.java:144)",
                       "org.apache.catalina.core.StandardContext.listenerStart(StandardContext.java:4614)"],
                      ("java.lang.ClassNotFoundException: javax.servlet.ServletContextListener",
                       ["org.apache.catalina.loader.WebappClassLoaderBase.loadClass(WebappClassLoaderBase.java:1332)",
                        "org.apache.catalina.loader.WebappClassLoaderBase.loadClass(WebappClassLoaderBase.java:1144)"]))),
                 (4.2, "SEVERE", "main", "org.apache.catalina.core.StandardContext.startInternal", "One or more listeners failed to start. Full details will be found in the appropriate container log file"),
                 (4.3, "SEVERE", "main", "org.apache.catalina.core.StandardContext.startInternal", "Context [/catalog] startup failed due to previous errors"),
                 (4.5, "INFO", "main", "org.apache.catalina.startup.HostConfig.deployWAR", "Deployment of web application archive [/opt/tomcat/webapps/catalog.war] has finished in [3,612] ms"),
                 (4.6, "INFO", "main", "org.apache.coyote.AbstractProtocol.start", "Starting ProtocolHandler [\"http-nio-8080\"]"),
                 (4.7, "INFO", "main", "org.apache.catalina.startup.Catalina.start", "Server startup in [4,702] milliseconds")]
        for off, lvl, th, src, msg in lines:
            if b + off < i["alive"][1]:
                s.log(G[0], st, b + off, fmt.catalina(s, b + off, lvl, th, src, msg))
        for t in every(s, t0 + 150, min(i["alive"][1], -5), 10, 1):
            s.log(G[1], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.61.0.17", "10.61.9.203"]), "GET", "/catalog/health", 404, 762, 1))
    for t in every(s, LOG_FROM, -5, 300, 5):
        s.log("/aws/rds/instance/catalog-pg/postgresql", "catalog-pg.0", t, fmt.pg(s, t, "@", 544, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 2 recycled"
              % ((lambda b: (b, b / 1310.72))(s.rng.randint(900, 3000)))))
    s.change(-6000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "catalog-pg", "dba-team")
    s.change(-4200, "ec2.amazonaws.com", "CreateLaunchTemplateVersion", "AWS::EC2::LaunchTemplate", "catalog-web-lt", "packer-pipeline")
    s.change(-4180, "ec2.amazonaws.com", "ModifyLaunchTemplate", "AWS::EC2::LaunchTemplate", "catalog-web-lt", "packer-pipeline")
    s.change(REF, "autoscaling.amazonaws.com", "StartInstanceRefresh", "AWS::AutoScaling::AutoScalingGroup", "catalog-asg", "platform-oncall")
    for i in olds[:2]:
        s.change(REF + 5, "ec2.amazonaws.com", "TerminateInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
    for i, t0 in news:
        s.change(t0, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
        if i["alive"][1] < 0:
            s.change(i["alive"][1] - 5, "ec2.amazonaws.com", "TerminateInstances", "AWS::EC2::Instance", i["id"], "AutoScaling")
    s.alarm("catalog-tg-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"TargetGroup": tg, "LoadBalancer": alb}, "Maximum", 300, 1, 1,
            "GreaterThanOrEqualToThreshold", s.values("UnHealthyHostCount", TargetGroup=tg, LoadBalancer=alb), desc="catalog targets failing health checks", state="ALARM")
    s.alarm("catalog-pg-read-latency", "AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": "catalog-pg"}, "Average", 300, 3, 0.02, "GreaterThanThreshold",
            s.values("ReadLatency", DBInstanceIdentifier="catalog-pg"), state="OK")
    s.expect = {"alarm": "catalog-tg-unhealthy-hosts",
                "root_cause": {"category": "bad_deployment",
                               "resource": ["catalog-asg", "catalog-web-lt", "lt-07d2b9e4c1a3f5086", "catalog-web"] + [i["id"] for i, _ in news]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "dimensions": {"TargetGroup": tg, "LoadBalancer": alb}},
                              {"namespace": "AWS/ApplicationELB", "name": "HealthyHostCount", "dimensions": {"TargetGroup": tg, "LoadBalancer": alb}}]}
    return s


def h06():
    s = Scn(6, "h50-06-parameter-store-invalid-timeout-payments", "us-east-2",
            "Payments API (internal ALB) returning 500 on charge requests; payments-alb target 5XX alarm in ALARM.",
            dt.datetime(2026, 11, 19, 16, 45, 0), 5006)
    alb, tg = "app/payments-alb/3c9e1a5f7d2b8046", "targetgroup/payments-api-tg/7a1d3f5b9c2e4068"
    fleet = [inst(s, "payments-api-%d" % k, "10.72") for k in range(1, 4)]
    lw = inst(s, "ledger-worker-01", "10.72")
    G = ["/payments/prod/access", "/payments/prod/app"]
    PARAM = "/payments/prod/gateway/connect-timeout-ms"
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="m6i.large", autoscaling_group="payments-api-asg",
              platform="Amazon Linux 2023 / Corretto 17 / Spring Boot 2.7 (embedded Tomcat)",
              config_source="SSM Parameter Store /payments/prod/* (polled every 60 s, @RefreshScope beans)", private_ip=i["ip"], log_groups=G)
    s.res("ec2", lw["id"], name=lw["name"], instance_type="c6i.large", codedeploy_application="ledger-worker",
          platform="Amazon Linux 2023 / Corretto 21", private_ip=lw["ip"], log_groups=["/ledger/prod/worker"])
    s.res("alb", alb, name="payments-alb", scheme="internal", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "payments-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge", max_connections=2000,
          allocated_storage_gb=500)
    PUT = -2160
    refresh = [PUT + 8 + 19 * k + s.rng.uniform(0, 30) for k in range(3)]
    req_tot = lambda t: 980.0 * diurnal(s, t, 0.2, 17)
    GW = 0.56
    t5 = counts(s, lambda t: 0.4 + sum(req_tot(t) / 3 * GW for k in range(3) if t >= refresh[k]))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.31 if t < PUT else 0.16, noise=0.02, lo=0.05),
                [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "payments-api-asg", [3.0] * 360, [3.0] * 360)
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 11 + req_tot(t) / 3 / 20.0 - (5 if t > PUT else 0), noise=2, hi=100),
                    series(s, lambda t: 58.0, noise=0.6), series(s, lambda t: 36.0, noise=0.03))
    dep = -2700
    ec2_metrics(s, lw, series(s, lambda t: 22 + bump(t, dep + 40, dep + 150, 55), noise=3, hi=100), series(s, lambda t: 49.0, noise=0.8),
                series(s, lambda t: 40.0, noise=0.03))
    rds_default(s, "payments-pg", cpu=29.0, conns=210.0, free_gb=330.0, mem_gb=22.0, riops=1200.0, wiops=800.0)

    cl = clients(s, "10.72", 12)
    for k, i in enumerate(fleet):
        st, pid = i["id"], s.rng.randint(1500, 9000)
        for t in times(s, LOG_FROM, -5, 5.0):
            gw = s.rng.random() < GW
            th = "http-nio-8080-exec-%d" % s.rng.randint(1, 200)
            if gw:
                path = s.rng.choice(["/v1/charges", "/v1/charges/ch_%s/capture" % s.hexid(14), "/v1/refunds"])
                if t >= refresh[k]:
                    s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "POST", path, 500, 312, s.rng.randint(3, 15)))
                    err = "org.springframework.boot.context.properties.ConfigurationPropertiesBindException: Error creating bean with name 'scopedTarget.gatewayProperties': Could not bind properties to 'GatewayProperties' : prefix=payments.gateway, ignoreInvalidFields=false, ignoreUnknownFields=true; nested exception is org.springframework.boot.context.properties.bind.BindException: Failed to bind properties under 'payments.gateway.connect-timeout-ms' to int"
                    s.log(G[1], st, t - 0.003, fmt.spring(s, t, "ERROR", pid, th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                          "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is %s] with root cause\n\n%s" % (
                              err, fmt.jstack("java.lang.NumberFormatException: For input string: \"2500ms\"",
                                              ["java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
                                               "java.base/java.lang.Integer.parseInt(Integer.java:668)",
                                               "java.base/java.lang.Integer.valueOf(Integer.java:999)",
                                               "org.springframework.util.NumberUtils.parseNumber(NumberUtils.java:211)",
                                               "org.springframework.core.convert.support.StringToNumberConverterFactory$StringToNumber.convert(StringToNumberConverterFactory.java:64)",
                                               "org.springframework.boot.context.properties.bind.BindConverter.convert(BindConverter.java:99)",
                                               "org.springframework.cloud.context.scope.GenericScope$BeanLifecycleWrapper.getBean(GenericScope.java:374)",
                                               "com.example.payments.gateway.GatewayClient$$EnhancerBySpringCGLIB$$5d1f2e7a.authorize(<generated>)",
                                               "com.example.payments.api.ChargeController.create(ChargeController.java:64)"] + SPRING_FRAMES))))
                else:
                    s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "POST", path, 201 if path == "/v1/charges" else 200, s.rng.randint(400, 1400), s.rng.randint(180, 900)))
                    if s.rng.random() < 0.5:
                        s.log(G[1], st, t - 0.01, fmt.spring(s, t, "INFO", pid, th, "c.e.payments.gateway.GatewayClient",
                              "authorize ok psp=adyen ref=%s amount=%d currency=USD latency_ms=%d" % (s.hexid(16).upper(), s.rng.randint(100, 90000), s.rng.randint(150, 850))))
            else:
                s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(cl), "GET", "/v1/charges/ch_%s" % s.hexid(14), 200, s.rng.randint(600, 1500), s.rng.randint(6, 40)))
        for t in every(s, LOG_FROM, -5, 15, 1):
            s.log(G[0], st, t, fmt.tomcat_access(s, t, s.rng.choice(["10.72.2.11", "10.72.10.5"]), "GET", "/actuator/health", 200, 15, 2))
        for t in times(s, LOG_FROM, -5, 0.7):      # pre-existing, same rate throughout
            s.log(G[1], st, t, fmt.spring(s, t, "ERROR", pid, "webhook-%d" % s.rng.randint(1, 8), "c.e.payments.webhook.WebhookDispatcher",
                  "Webhook delivery %s to merchant m_4411 failed: 410 Gone (https://hooks.merchant-4411.example/payments) - will not retry" % ("evt_" + s.hexid(16))))
        for t in every(s, LOG_FROM, -5, 60, 2):
            if t < refresh[k] - 1 or t > refresh[k] + 1:
                s.log(G[1], st, t, fmt.spring(s, t, "INFO", pid, "ssm-poller-1", "c.e.p.config.ParameterStoreRefresher",
                      "polled /payments/prod/ (14 parameters), no changes"))
        s.log(G[1], st, refresh[k], fmt.spring(s, refresh[k], "INFO", pid, "ssm-poller-1", "c.e.p.config.ParameterStoreRefresher",
              "polled /payments/prod/ (14 parameters), version change on %s (v6 -> v7), publishing RefreshEvent" % PARAM))
        s.log(G[1], st, refresh[k] + 0.2, fmt.spring(s, refresh[k] + 0.2, "INFO", pid, "ssm-poller-1", "o.s.c.e.event.RefreshEventListener",
              "Refresh keys changed: [payments.gateway.connect-timeout-ms]"))
    lst = lw["id"]
    for t in every(s, LOG_FROM, -5, 45, 4):
        s.log("/ledger/prod/worker", lst, t, "%s INFO  [ledger-consumer-1] c.e.ledger.PostingConsumer - posted %d journal lines (lag=%d)"
              % (fmt.iso(s, t), s.rng.randint(50, 900), s.rng.randint(0, 30)))
    for off, msg in [(30, "LifecycleEvent - ApplicationStop"), (40, "LifecycleEvent - Install"), (55, "LifecycleEvent - ApplicationStart"),
                     (56, "[stdout]Started ledger-worker 3.18.0"), (90, "LifecycleEvent - ValidateService")]:
        s.log("/ledger/prod/codedeploy", lst, dep + off, fmt.codedeploy(s, dep + off, "d-X81KD0M2B", msg))
    s.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "ledger-worker-prod", "github-actions")
    s.change(PUT, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", PARAM, "m.kowalski")
    s.alarm("payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 20,
            "GreaterThanThreshold", t5, desc="payments API 5xx", state="ALARM")
    s.alarm("ledger-worker-01-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": lst}, "Average", 300, 2, 85, "GreaterThanThreshold",
            s.values("CPUUtilization", InstanceId=lst), state="OK")
    s.expect = {"alarm": "payments-alb-target-5xx",
                "root_cause": {"category": "config_change",
                               "resource": [i["id"] for i in fleet] + [i["name"] for i in fleet] + ["payments-api-asg", PARAM]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s
