"""h69-05 (OAuth token broker loses kms:Decrypt) and h69-06 (tenant export pins a reports instance)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, Tasks, bump, emit, jline, lam_props,
                  lambda_sampled, meta, put, ramp, tenant)
from .runtimes import nginx

ALB5 = "app/int-tokens/3c9e0a7741f2b6d5"


def build05() -> Scenario:
    sc = Scenario(5, "int-tokens-5xx", "Partner integrations failing to sync; internal token "
                  "service ALB returning 5xx.", "ca-central-1", 690505, "2026-02-24T20:30:00")
    TC, T0 = -3300, -3000
    sc.resource("alb", ALB5, name="int-tokens", scheme="internal", target_groups=["tg-token-broker"])
    sc.resource("ecs", "integrations/token-broker", launch_type="FARGATE", desired_count=3,
                cpu=512, memory=1024, task_role="token-broker-task", log_group="/ecs/token-broker")
    sc.resource("ecs", "integrations/crm-sync", launch_type="FARGATE", desired_count=2, cpu=512,
                memory=1024, log_group="/ecs/crm-sync")
    sc.resource("lambda", "tenant-onboarding", **lam_props("python3.12", 120, 512))
    sc.resource("rds", "integrations-db", engine="postgres", instance_class="db.t4g.large",
                max_connections=450, allocated_storage_gb=100)
    rng = sc.rng
    dl = lambda t: diurnal(sc, t, 18, 0.2)  # noqa: E731
    den = lambda t: ramp(t, T0, T0 + 180)  # noqa: E731
    B = {"LoadBalancer": ALB5}
    req = put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 610 * dl(t), integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count",
        lambda t: 0.4 + req.get(t, 0) * 0.68 * den(t), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds", lambda t: 0.041 + 0.03 * den(t),
        noise=0.1, digits=4)
    S = {"ClusterName": "integrations", "ServiceName": "token-broker"}
    put(sc, "AWS/ECS", "CPUUtilization", S, "Percent", lambda t: 21 * dl(t), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", S, "Percent", lambda t: 47, noise=0.03)
    C = {"ClusterName": "integrations", "ServiceName": "crm-sync"}
    put(sc, "AWS/ECS", "CPUUtilization", C, "Percent", lambda t: 30 + bump(t, -3060, -2880, 45, 40),
        noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", C, "Percent", lambda t: 52 + bump(t, -3060, -2900, 15, 40),
        noise=0.03)
    O = {"FunctionName": "tenant-onboarding"}
    put(sc, "AWS/Lambda", "Invocations", O, "Count", lambda t: 0.6, integer=True)
    put(sc, "AWS/Lambda", "Duration", O, "Milliseconds",
        lambda t: 21000 + 52000 * ramp(t, -9600, -9000), noise=0.12)
    put(sc, "AWS/Lambda", "Errors", O, "Count", lambda t: 0.01, integer=True)
    R = {"DBInstanceIdentifier": "integrations-db"}
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent", lambda t: 18 + bump(t, -6400, -5900, 40, 100),
        noise=0.1)
    put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", lambda t: 64, integer=True)

    tb = Tasks(sc, "token-broker", "token-broker", 3)
    provs = ["hubspot", "salesforce", "xero", "quickbooks", "paystream"]
    key = sc.uuid()

    def clef(t, mt, level=None, exc=None, **props):
        d = {"@t": sc.iso(t, 6), "@mt": mt}
        if level:
            d["@l"] = level
        if exc:
            d["@x"] = exc
        d.update(props)
        d["SourceContext"] = props.get("SourceContext", "TokenBroker.Refresh.RefreshService")
        return jline(d)

    def tb_line(t):
        ten, prov = tenant(sc), rng.choice(provs)
        if rng.random() < 0.7 * den(t):
            tid = tb.ids(t)[0]
            exc = (f"Amazon.KeyManagementService.Model.AccessDeniedException: User: arn:aws:sts::"
                   f"{sc.account}:assumed-role/token-broker-task/{tid} is not authorized to perform: "
                   f"kms:Decrypt on resource: arn:aws:kms:ca-central-1:{sc.account}:key/{key} because "
                   "no identity-based policy allows the kms:Decrypt action\n ---> Amazon.Runtime.Internal"
                   ".HttpErrorResponseException: Exception of type 'Amazon.Runtime.Internal.HttpError"
                   "ResponseException' was thrown.\n   at TokenBroker.Crypto.KmsEnvelope.DecryptAsync"
                   "(Byte[] blob) in /src/TokenBroker/Crypto/KmsEnvelope.cs:line 57")
            return clef(t, "Failed to decrypt stored refresh token for {Tenant} ({Provider})", "Error",
                        exc, Tenant=ten, Provider=prov, StatusCode=500)
        if rng.random() < 0.06:
            return clef(t, "Refresh failed for {Tenant} at {Provider}: {Error}; tenant must "
                        "re-authorize", "Warning", Tenant=ten, Provider=prov,
                        Error="invalid_grant (refresh token revoked)")
        return clef(t, "Issued access token for {Tenant} provider {Provider} (cache {CacheResult}, "
                    "expires in {ExpiresIn}s)", Tenant=ten, Provider=prov,
                    CacheResult=rng.choice(["hit", "hit", "miss"]), ExpiresIn=rng.randint(300, 3600))
    emit(sc, "/ecs/token-broker", tb.stream, lambda t: 4.5, tb_line)
    cs = Tasks(sc, "crm-sync", "crm-sync", 2, deploys=(-3060,))

    def cs_line(t):
        ts = sc.at(t).strftime("%Y-%m-%d %H:%M:%S,") + f"{sc.at(t).microsecond // 1000:03d}"
        if rng.random() < 0.7 * den(t):
            return (f"{ts} ERROR crm_sync.worker: token fetch failed for {tenant(sc)}: 500 Internal "
                    "Server Error from http://int-tokens.internal/v1/tokens; skipping cycle")
        return f"{ts} INFO crm_sync.worker: synced {rng.randint(0, 80)} records for {tenant(sc)}"
    emit(sc, "/ecs/crm-sync", cs.stream, lambda t: 2.5, cs_line)
    for t in (-3040.4, -3031.9):
        sc.log("/ecs/crm-sync", f"ecs/crm-sync/{cs.ids(t)[0 if t < -3035 else 1]}", t,
               sc.at(t).strftime("%Y-%m-%d %H:%M:%S,000") + " INFO crm_sync.main: starting crm-sync "
               "2.14.0 (git 9e1c0d2)")
    ol = LambdaLogs(sc, "tenant-onboarding", "python3.12", 512, 120, mem_used=(210, 12))

    def obody(ll, t, rid, is_err, cold):
        d = 21000 + 52000 * ramp(t, -9600, -9000)
        return {"lines": [(d / 1000 - 0.1, ll.fmt(t, rid, "INFO", f"onboarded {tenant(sc)}: provisioned "
                                                  "schema, default roles, sample data"))],
                "dur": rng.gauss(d, d * 0.1)}
    lambda_sampled(ol, {t: 1 for t in range(LOG_START, 0, 300)}, {}, obody, cap=1)
    sc.change(TC, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "token-broker-task",
              "terraform-ci")
    sc.change(TC + 4, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy",
              "kms-tenant-tokens-decrypt", "terraform-ci")
    sc.change(-3075, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "crm-sync:41", "argo-deployer")
    sc.change(-3060, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "integrations/crm-sync",
              "argo-deployer")
    sc.alarm("int-tokens-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Token service target errors")
    sc.alarm("tenant-onboarding-duration", "AWS/Lambda", "Duration", O, "Average", 300, 2, 60000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "int-tokens-5xx",
                 "root_cause": {"category": "permission_denied",
                                "resource": ["integrations/token-broker", "token-broker"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": B}]}
    meta(sc, alarm_on="front (internal ALB; origin is the ECS service behind it)",
         decoys="crm-sync deploy 1 min before onset (closer than the IAM change); long-standing "
                "tenant-onboarding Duration alarm; steady invalid_grant warnings; crm-sync errors",
         services="ALB, ECS (.NET, Python), Lambda, RDS, IAM",
         story="Terraform detached and deleted the policy `kms-tenant-tokens-decrypt` from the task "
               "role `token-broker-task`. Once the in-memory token cache drained (five minutes "
               "later) the .NET service `integrations/token-broker` logs `AccessDeniedException: "
               "... assumed-role/token-broker-task/... is not authorized to perform: kms:Decrypt` "
               "for most refreshes, and its internal ALB returns 500s. `crm-sync` was redeployed "
               "a minute before onset and its logs fill with `token fetch failed ... 500` - "
               "but those are the symptom of calling the broker. The `invalid_grant` warnings and "
               "the onboarding Duration alarm have been there for hours.")
    return sc


# --------------------------------------------------------------------------- h69-06
ALB6 = "app/tenant-portal/b81d55e0c3a94f27"
REP, WEB1, WEB2 = "i-0c41d7a9e2b5f3086", "i-09ab3c5e7d1f24b68", "i-0f2e8d4c6b1a39057"


def build06() -> Scenario:
    sc = Scenario(6, "tenant-portal-latency", "Tenant portal slow; exports and dashboards time out. "
                  "ALB response-time alarm fired.", "us-east-1", 690606, "2026-04-15T15:50:00")
    T0 = -2400
    sc.resource("alb", ALB6, name="tenant-portal", scheme="internet-facing",
                target_groups=["tg-portal-web", "tg-reports"])
    sc.resource("ec2", REP, name="reports-1", instance_type="c6i.xlarge", target_group="tg-reports",
                log_groups=["/portal/nginx/access", "/portal/php-fpm"])
    for iid, nm in ((WEB1, "portal-web-1"), (WEB2, "portal-web-2")):
        sc.resource("ec2", iid, name=nm, instance_type="m6i.large", target_group="tg-portal-web",
                    log_groups=["/portal/nginx/access"])
    rng = sc.rng
    dl = lambda t: diurnal(sc, t, 16, 0.25)  # noqa: E731
    hot = lambda t: ramp(t, T0 - 180, T0 + 120)  # noqa: E731
    B = {"LoadBalancer": ALB6}
    put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 2350 * dl(t), integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds",
        lambda t: 0.13 + 1.9 * hot(t), noise=0.1, digits=4)
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", B, "Count", lambda t: 0.3 + 9 * hot(t),
        integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count", lambda t: 0.8 + 2 * hot(t),
        integer=True)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": REP}, "Percent",
        lambda t: min(99.6, 31 * dl(t) + 75 * hot(t)), noise=0.02, cap=100)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": WEB1}, "Percent", lambda t: 41 * dl(t), noise=0.07)
    put(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": WEB2}, "Percent",
        lambda t: 40 * dl(t) + bump(t, -8100, -7700, 45, 60), noise=0.07)
    for iid in (REP, WEB1, WEB2):
        put(sc, "AWS/EC2", "NetworkOut", {"InstanceId": iid}, "Bytes",
            lambda t: 5.2e7 * dl(t), noise=0.1, digits=0)
    paths = ["/reports/dashboard", "/reports/usage?period=30d", "/exports/contacts.csv",
             "/reports/pipeline", "/exports/invoices.csv?range=month"]

    def acc(t):
        ip = sc.ip("10.40")
        if rng.random() < 0.35 * hot(t):
            rt = rng.uniform(24, 60)
            st = 504 if rt > 58 else 200
            return nginx(sc, t, ip, "GET", "/exports/ledger.csv?tenant=t_5120&range=all", st,
                         rng.randint(4_000_000, 40_000_000) if st == 200 else 167, rt,
                         ua="TenantPortal/3.2 (export)")
        rt = rng.uniform(0.15, 1.2) + hot(t) * rng.uniform(4, 14)
        st = 504 if rt > 14.5 else 200
        p = rng.choice(paths)
        sep = "&" if "?" in p else "?"
        return nginx(sc, t, ip, "GET", f"{p}{sep}tenant={tenant(sc)}", st, rng.randint(2000, 90000), rt)
    emit(sc, "/portal/nginx/access", REP, lambda t: 4, acc)
    for iid in (WEB1, WEB2):
        emit(sc, "/portal/nginx/access", iid, lambda t: 3,
             lambda t: nginx(sc, t, sc.ip("10.40"), rng.choice(["GET", "GET", "POST"]),
                             rng.choice(["/app/contacts", "/app/deals", "/api/session", "/app/settings"]),
                             200, rng.randint(900, 40000), rng.uniform(0.03, 0.25)))

    def fpm(t):
        d = sc.at(t)
        ts = d.strftime("%d-%b-%Y %H:%M:%S")
        if hot(t) > 0.5 and rng.random() < 0.55:
            if rng.random() < 0.4:
                return f"[{ts}] WARNING: [pool reports] server reached pm.max_children setting (24), consider raising it"
            return (f"[{ts}] WARNING: [pool reports] child {rng.randint(2000, 9000)}, script "
                    "'/var/www/portal/public/index.php' (request: \"GET /index.php?tenant=t_5120&range=all\") "
                    f"executing too slow ({rng.uniform(10, 30):.6f} sec), logging")
        if rng.random() < 0.7:
            return (f"[{ts}] WARNING: [pool reports] child {rng.randint(2000, 9000)} said into stderr: "
                    "\"PHP Warning:  Undefined array key \"utm_source\" in /var/www/portal/app/Http/"
                    "Middleware/Attribution.php on line 31\"")
        return f"[{ts}] NOTICE: [pool reports] child {rng.randint(2000, 9000)} started"
    emit(sc, "/portal/php-fpm", REP, lambda t: 1.2 + 2 * hot(t), fpm)
    sc.change(-2650, "ec2.amazonaws.com", "ModifyInstanceMetadataOptions", "AWS::EC2::Instance", WEB2,
              "ssm-hardening-automation")
    sc.change(-2630, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", WEB2,
              "ssm-hardening-automation")
    sc.change(-17500, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::"
              "ListenerRule", "tenant-portal", "mia.okafor")
    sc.alarm("tenant-portal-latency", "AWS/ApplicationELB", "TargetResponseTime", B, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "Tenant portal p-avg latency above 1 s")
    sc.alarm("reports-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": REP}, "Average", 300, 2,
             90, "GreaterThanThreshold")
    sc.alarm("portal-web-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": WEB2}, "Average", 300,
             2, 90, "GreaterThanThreshold")
    sc.expect = {"alarm": "tenant-portal-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [REP, "reports-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": REP}}]}
    meta(sc, alarm_on="front (ALB; origin is the reports target instance)",
         decoys="metadata-options change and tags on portal-web-2 a minute before CPU starts climbing; portal-web-2 "
                "cron CPU spike 1.6 h earlier; steady PHP 'Undefined array key' warnings",
         services="ALB, EC2 (PHP-FPM + nginx)",
         story="The ALB's average response time climbs from 0.13 s to about 2 s with flat request "
               "volume. Behind it, the reports instance `reports-1` sits at 97-100 % CPU; its nginx "
               "log shows one tenant (`t_5120`) pulling `/exports/ledger.csv?range=all` with 25-60 s "
               "responses, other report pages slowing to several seconds and some 504s, and "
               "PHP-FPM logs `server reached pm.max_children` and `executing too slow`. The web "
               "instances stay at 40 %. The automation that changed metadata options on "
               "portal-web-2 a minute before the climb is a decoy. Request count is flat, so this is CPU "
               "saturation from expensive requests, not a traffic surge.")
    return sc


BUILDERS = [build05, build06]
