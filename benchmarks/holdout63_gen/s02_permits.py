"""h63-02: a hardened MySQL parameter group (require_secure_transport=ON) is applied in the
night window; the PHP app connects without TLS, so connections fail as PHP-FPM recycles."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import LOG_START, alb, alb_id, emit, night_window, part, rds, scanner
from .runtimes import laravel, mysql, nginx

DB = "permits-db-01"
PG = "permits-mysql80-hardened"
PATHS = [("GET", "/permits/search", 0.18), ("GET", "/permits/{id}", 0.12), ("POST", "/applications", 0.35),
         ("GET", "/applications/{id}/status", 0.09), ("POST", "/inspections/schedule", 0.28),
         ("GET", "/fees/estimate", 0.07)]


def build() -> Scenario:
    sc = Scenario(2, "permits-portal", "Building-permits portal returning 500s overnight; the ALB "
                  "target 5XX alarm fired during the change window.",
                  "us-gov-west-1", 6302, "2026-04-08T10:05:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "permits-web")
    inst = [("i-0b7d2e91c4a35f086", "permits-web-a"), ("i-06f1a8c3d92e7b514", "permits-web-b")]
    cause = -3060
    for iid, name in inst:
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", stack="nginx 1.24 + php-fpm 8.2 (Laravel 10)",
                    log_groups=["/permits/nginx/access", "/permits/laravel"])
    sc.resource("alb", lb, name="permits-web", scheme="internet-facing", waf="permits-web-acl")
    sc.resource("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400, parameter_group=PG, multi_az=True,
                storage_encrypted=True)
    sc.resource("lambda", "permit-fee-calc", runtime="python3.12", timeout=10, memory_size=256)

    # ---------------------------------------------------------------- metrics
    req = sc.series(lambda t: 46 * diurnal(sc, t, 20, 0.3), integer=True)
    p5 = lambda t: 0.002 + 0.9 * ramp(t, cause + 30, cause + 1000)
    t5 = part(sc, req, p5)
    rt = sc.series(lambda t: 0.19 - 0.12 * ramp(t, cause + 30, cause + 1000), noise=0.12)
    alb(sc, lb, req, t5, rt, e5xx=[0.0] * len(GRID))
    for k, (iid, _n) in enumerate(inst):
        sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent",
                  sc.series(lambda t: 11 + bump(t, -6500, -6200, 38, 60) - 4 * ramp(t, cause, cause + 900),
                            noise=0.1))
    conns = sc.series(lambda t: 26 - 22 * ramp(t, cause + 30, cause + 1100), noise=0.06, integer=True)
    rds(sc, DB,
        CPUUtilization=sc.series(lambda t: 9 + bump(t, -3520, -3300, 14, 60) - 4 * ramp(t, cause, cause + 900),
                                 noise=0.1),
        DatabaseConnections=conns,
        FreeableMemory=sc.series(lambda t: 5.9e9, noise=0.01, digits=0),
        FreeStorageSpace=sc.series(lambda t: 2.71e11 - 2.0e6 * (t + 21600) / 60, noise=0.0005, digits=0),
        ReadLatency=sc.series(lambda t: 0.0011, noise=0.15, digits=5),
        WriteLatency=sc.series(lambda t: 0.0016, noise=0.15, digits=5))
    fee = sc.series(lambda t: 4 * diurnal(sc, t, 20, 0.3), integer=True)
    d = {"FunctionName": "permit-fee-calc"}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", fee)
    sc.metric("AWS/Lambda", "Errors", d, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", sc.series(lambda t: 48, noise=0.12))

    # ---------------------------------------------------------------- logs
    req_at = {t: v for t, v in zip(GRID, req)}
    p_at = {t: p5(t) for t in GRID}
    for k, (iid, _n) in enumerate(inst):
        def line(t, k=k, iid=iid):
            m = int(t // 60 * 60)
            meth, path, base = rng.choice(PATHS)
            path = path.replace("{id}", str(rng.randint(40000, 49999)))
            ip = f"10.{rng.choice([8, 9])}.{rng.randint(1, 250)}.{rng.randint(2, 250)}"
            if t < cause + 30 and rng.random() < 0.002:
                sc.log("/permits/laravel", iid, t + 0.01, laravel(sc, t + 0.01, "ERROR", "Undefined array key "
                       "\"parcel_id\" {\"exception\":\"[object] (ErrorException(code: 0): Undefined array key "
                       "\\\"parcel_id\\\" at /var/www/permits/app/Http/Controllers/PermitController.php:214)\"}"))
                return [(0.03, nginx(sc, t + 0.03, ip, meth, path, 500, 1142, 0.03))]
            if t >= cause and rng.random() < p_at.get(m, 0):
                sc.log("/permits/laravel", iid, t + 0.01, laravel(sc, t + 0.01, "ERROR", _tls_error(rng, path)))
                rt_ = rng.uniform(0.02, 0.06)
                out = []
                out.append((rt_, nginx(sc, t + rt_, ip, meth, path, 500, 1142, rt_,
                                       ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)")))
                return out
            rt_ = max(0.01, rng.gauss(base, base * 0.3))
            return [(rt_, nginx(sc, t + rt_, ip, meth, path, 200 if meth == "GET" else 201,
                                rng.randint(900, 24000), rt_, ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))]

        emit(sc, "/permits/nginx/access", iid, LOG_START, 0,
             lambda t: min(3.0, (req_at.get(int(t // 60 * 60)) or 0) / 2 / 6), line)
        # background noise that has always been there
        emit(sc, "/permits/nginx/access", iid, LOG_START, 0, lambda t: 0.6,
             lambda t: nginx(sc, t, f"198.51.100.{rng.randint(2, 250)}", "GET",
                             rng.choice(["/wp-login.php", "/.env", "/phpmyadmin/", "/.git/config",
                                         "/cgi-bin/luci"]), 404, 162, 0.002, ua="Mozilla/5.0 zgrab/0.x"))
        emit(sc, "/permits/laravel", iid, LOG_START, 0, lambda t: 0.25,
             lambda t: laravel(sc, t, "ERROR", "Unable to send notification mail: Connection could not be "
                               "established with host \"smtp-relay.gov.internal:587\": stream_socket_client(): "
                               "unable to connect to smtp-relay.gov.internal:587 (Connection timed out) "
                               "{\"exception\":\"[object] (Symfony\\\\Component\\\\Mailer\\\\Exception\\\\"
                               "TransportException(code: 0))\"}"))
        emit(sc, "/permits/laravel", iid, LOG_START, 0, lambda t: 0.3,
             lambda t: laravel(sc, t, "WARNING", f"Login throttled for contractor account "
                               f"C-{rng.randint(1000, 9999)} (5 failed attempts)"))

    grp = f"/aws/rds/instance/{DB}/error"
    emit(sc, grp, DB, LOG_START, 0, lambda t: 0.5,
         lambda t: mysql(sc, t, rng.randint(80000, 99000), "Note", "MY-010914",
                         f"Aborted connection {rng.randint(80000, 99000)} to db: 'permits' user: 'permits_app' "
                         f"host: '10.20.{rng.randint(3, 4)}.{rng.randint(10, 90)}' (Got an error reading "
                         "communication packets)."))
    emit(sc, grp, DB, LOG_START, 0, lambda t: 0.08,
         lambda t: mysql(sc, t, 0, "Warning", "MY-010055",
                         f"IP address '10.20.{rng.randint(3, 4)}.{rng.randint(10, 90)}' could not be resolved: "
                         "Name or service not known"))
    scanner(sc, "fedramp-evidence-collector", "conmon-readonly", ["permits-uploads-gov", "permits-backups-gov"],
            ["prod/permits/app-key", "prod/permits/smtp"], every=600)

    # ---------------------------------------------------------------- changes
    U = "svc-terraform-ops"
    night_window(sc, -7400, -3600, [
        ("ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "ssm-maintenance-window"),
        ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0e5f6a9d1c2b38470", U),
        ("elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
         f"{lb.replace('app/', 'listener/app/')}/{sc.hexid(16)}", U),
        ("wafv2.amazonaws.com", "UpdateWebACL", "AWS::WAFv2::WebACL", "permits-web-acl", U),
        ("rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", DB, U),
    ])
    sc.change(-3510, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot",
              f"{DB}-pre-cw-20260408", "dba-jchen")
    sc.change(cause, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG, "dba-jchen")
    sc.change(-3045, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "permit-fee-calc", "gitlab-deployer")
    sc.change(-2400, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", inst[0][0], U)

    # ---------------------------------------------------------------- alarms
    sc.alarm("permits-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 5, "GreaterThanThreshold", "Permits portal backend errors")
    sc.alarm("permits-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 300, 2, 1.5, "GreaterThanThreshold")
    sc.alarm(f"{DB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "permits-web-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}},
                               {"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": DB}}]}
    return sc


def _tls_error(rng, path: str) -> str:
    table = rng.choice(["permit_applications", "inspections", "fee_schedules", "contractors"])
    msg = ("SQLSTATE[HY000] [3159] Connections using insecure transport are prohibited while "
           "--require_secure_transport=ON.")
    return (f"{msg} (Connection: mysql, SQL: select * from `{table}` where `id` = {rng.randint(40000, 49999)} "
            f"limit 1) {{\"url\":\"https://permits.example.gov{path}\",\"exception\":\"[object] "
            f"(Illuminate\\\\Database\\\\QueryException(code: 3159): {msg} at "
            f"/var/www/permits/vendor/laravel/framework/src/Illuminate/Database/Connection.php:822)\"}}")
