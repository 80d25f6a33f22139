"""h50-11 (instance-role policy rewrite denies S3 to the media fleet) and
h50-12 (SSM Run Command rewrites php-fpm pm.max_children to 4 across the forum fleet)."""
import datetime as dt

from .core import GRID, Scn, bump, counts, diurnal, ramp, series
from .fleet import LOG_FROM, alb_metrics, asg_metrics, clients, ec2_metrics, every, inst, rds_default, times
from . import fmt


def h11():
    s = Scn(11, "h50-11-iam-role-policy-s3-access-denied-php", "ap-northeast-1",
            "Image uploads failing on the media site; media-alb target 5XX alarm in ALARM.",
            dt.datetime(2026, 11, 19, 5, 20, 0), 5011)
    alb, tg = "app/media-alb/7e3a9c1f5d2b0648", "targetgroup/media-web-tg/1c5e9a3f7b0d2486"
    fleet = [inst(s, "media-web-" + z, "10.23") for z in "acd"]
    G = ["/media/prod/nginx-access", "/media/prod/laravel", "/media/prod/php-fpm"]
    ROLE, BUCKET = "media-web-ec2-role", "media-uploads-prod-apne1"
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.large", autoscaling_group="media-web-asg", iam_instance_profile=ROLE,
              platform="Amazon Linux 2023 / nginx / PHP-FPM 8.2 (Laravel 10, league/flysystem-aws-s3-v3)", s3_bucket=BUCKET,
              private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="media-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "media-mysql", engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large", max_connections=1000,
          allocated_storage_gb=200)
    IAM, RUN = -2040, -2600
    req_tot = lambda t: 900.0 * diurnal(s, t, 0.25, 5)
    S3SHARE = 0.19
    t5 = counts(s, lambda t: 0.3 + (req_tot(t) * S3SHARE if t >= IAM + 8 else 0))
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, series(s, lambda t: 0.21 if t < IAM else 0.17, noise=0.015, lo=0.05), [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "media-web-asg", [3.0] * 360, [3.0] * 360)
    for i in fleet:
        gap = lambda t: None if RUN + 40 <= t < RUN + 100 else 44.0
        ec2_metrics(s, i, series(s, lambda t: 12 + req_tot(t) / 3 / 14.0 + bump(t, RUN, RUN + 90, 9), noise=2, hi=100),
                    series(s, gap, noise=0.7), series(s, lambda t: None if gap(t) is None else 31.0, noise=0.03))
    rds_default(s, "media-mysql", cpu=15.0, conns=70.0, free_gb=120.0, mem_gb=9.0)

    cl = clients(s, "10.23", 40)
    for i in fleet:
        st = i["id"]
        for t in times(s, LOG_FROM, -5, lambda t: 4.0 * diurnal(s, t, 0.25, 5)):
            x = s.rng.random()
            c, ua = s.rng.choice(cl), s.rng.choice(fmt.UA[:5])
            if x < S3SHARE:
                up = x < 0.11
                key = "u/%s/%s.%s" % (s.at(t).strftime("%Y/%m/%d"), s.hexid(12), s.rng.choice(["jpg", "png", "webp"]))
                path = "/api/uploads" if up else "/media/%d/thumb?w=%d" % (s.rng.randint(10 ** 6, 10 ** 7), s.rng.choice([320, 640, 1280]))
                if t >= IAM + 8:
                    rt = s.rng.uniform(0.05, 0.25)
                    s.log(G[0], st, t, fmt.nginx_access(s, t, c, "POST" if up else "GET", path, 500, 1218, rt, ua, rt))
                    op, verb = ("PutObject", "PUT") if up else ("GetObject", "GET")
                    rid, hid = s.hexid(16).upper(), s.hexid(40)
                    url = "https://%s.s3.ap-northeast-1.amazonaws.com/%s" % (BUCKET, key)
                    msg = ("%s: %s. Error executing \"%s\" on \"%s\"; AWS HTTP error: Client error: `%s %s` resulted in a `403 Forbidden` response:\n"
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>%s</RequestId><HostId>%s</HostId></Error>\n"
                           " AccessDenied (client): Access Denied - <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>%s</RequestId><HostId>%s</HostId></Error>"
                           % ("Unable to write file at location" if up else "Unable to read file from location", key, op, url, verb, url, rid, hid, rid, hid))
                    s.log(G[1], st, t - 0.01, fmt.monolog(s, t, "production", "ERROR", msg,
                          '{"userId":%d,"exception":"[object] (League\\\\Flysystem\\\\%s(code: 0): %s at /var/www/media/vendor/league/flysystem/src/%s.php:24)\\n[previous exception] [object] (Aws\\\\S3\\\\Exception\\\\S3Exception(code: 403): Error executing \\"%s\\" on \\"%s\\"; AWS HTTP error: Client error: 403 Forbidden AccessDenied (client): Access Denied at /var/www/media/vendor/aws/aws-sdk-php/src/WrappedHttpHandler.php:195)"}'
                          % (s.rng.randint(1000, 999999), "UnableToWriteFile" if up else "UnableToReadFile", "Unable to write file" if up else "Unable to read file",
                             "UnableToWriteFile" if up else "UnableToReadFile", op, url)))
                else:
                    rt = s.rng.uniform(0.15, 0.9) if up else s.rng.uniform(0.03, 0.2)
                    s.log(G[0], st, t, fmt.nginx_access(s, t, c, "POST" if up else "GET", path, 201 if up else 200, s.rng.randint(300, 90000), rt, ua, rt))
                    if up:
                        s.log(G[1], st, t + rt, fmt.monolog(s, t + rt, "production", "INFO", "upload stored s3://%s/%s (%d bytes)" % (BUCKET, key, s.rng.randint(80000, 4000000))))
            else:
                p = s.rng.choice(["/", "/feed", "/u/%s" % s.hexid(6), "/api/posts/%d" % s.rng.randint(10 ** 5, 10 ** 6), "/search?q=%s" % s.rng.choice(["cat", "tokyo", "sunset"])])
                rt = s.rng.uniform(0.03, 0.4)
                s.log(G[0], st, t, fmt.nginx_access(s, t, c, "GET", p, 200, s.rng.randint(2000, 80000), rt, ua, rt))
        for t in every(s, LOG_FROM, -5, 10, 1):
            s.log(G[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.23.0.5", "10.23.4.66"]), "GET", "/up", 200, 2, 0.002, "ELB-HealthChecker/2.0", 0.002))
        for t in times(s, LOG_FROM, -5, 1.2):
            s.log(G[1], st, t, fmt.monolog(s, t, "production", "WARNING", "Imagick: profile 'icc': 'RGB ': RGB color space not permitted on grayscale PNG `/tmp/php%s' @ warning/png.c/MagickPNGWarningHandler/1754" % s.hexid(6)))
        for off, msg in [(0, "INFO [ssm-agent-worker] [MessageService] received command 7d2e4f60-1a3b-4c5d-9e8f-0a1b2c3d4e5f document AWS-ConfigureAWSPackage"),
                         (3, "INFO [ssm-agent-worker] [ConfigurePackage] Installing AmazonCloudWatchAgent version 1.300042.1"),
                         (40, "INFO [ssm-agent-worker] [ConfigurePackage] amazon-cloudwatch-agent stopped for upgrade"),
                         (98, "INFO [ssm-agent-worker] [ConfigurePackage] amazon-cloudwatch-agent started (1.300042.1)"),
                         (101, "INFO [ssm-agent-worker] [MessageService] command 7d2e4f60-1a3b-4c5d-9e8f-0a1b2c3d4e5f complete: Success")]:
            lvl, m = msg.split(" ", 1)
            s.log("/media/prod/ssm-agent", st, RUN + off, fmt.ssm_agent(s, RUN + off, lvl, m))
    s.change(RUN, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-ConfigureAWSPackage", "platform-automation")
    for i in fleet:
        s.change(RUN, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", i["id"], "platform-automation")
    s.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci")
    s.alarm("media-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 20,
            "GreaterThanThreshold", t5, desc="media web 5xx", state="ALARM")
    s.alarm("media-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "media-mysql"}, "Average", 300, 2, 80,
            "GreaterThanThreshold", s.values("CPUUtilization", DBInstanceIdentifier="media-mysql"), state="OK")
    s.expect = {"alarm": "media-alb-target-5xx",
                "root_cause": {"category": "permission_denied",
                               "resource": [i["id"] for i in fleet] + [i["name"] for i in fleet] + ["media-web-asg", ROLE]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}}]}
    return s


def h12():
    s = Scn(12, "h50-12-ssm-run-command-php-fpm-max-children", "eu-west-3",
            "Forum pages timing out or returning 502/504; forum-alb target 5XX alarm fired.",
            dt.datetime(2026, 11, 18, 11, 15, 0), 5012)
    alb, tg = "app/forum-alb/0c8e4a2f6d1b9357", "targetgroup/forum-web-tg/6f2b8d4a0c1e3579"
    fleet = [inst(s, "forum-web-%d" % k, "10.66") for k in range(1, 4)]
    G = ["/forum/prod/nginx-access", "/forum/prod/nginx-error", "/forum/prod/php-fpm", "/forum/prod/fpm-status"]
    for i in fleet:
        s.res("ec2", i["id"], name=i["name"], instance_type="c6i.xlarge", autoscaling_group="forum-web-asg",
              platform="Amazon Linux 2023 / nginx 1.24 / PHP-FPM 8.2", private_ip=i["ip"], log_groups=G)
    s.res("alb", alb, name="forum-alb", target_group=tg, targets=[i["id"] for i in fleet])
    s.res("rds", "forum-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large", max_connections=1600,
          allocated_storage_gb=300)
    CMD, CID = -2520, "3c1f9e2a-6b7d-4a58-b0c3-d9e8f7a6b5c4"
    rel = [CMD + 6 + 4 * k for k in range(3)]
    req_tot = lambda t: 2000.0 * diurnal(s, t, 0.25, 11)
    cap = 4 * 3 * 60 / 0.5                                    # 4 workers x 3 hosts at ~0.5 s of PHP time per request
    starved = lambda t: t >= CMD + 10
    over = lambda t: max(0.0, 1 - cap / req_tot(t)) if starved(t) else 0.0
    t5 = counts(s, lambda t: 0.5 + req_tot(t) * over(t))
    rt = series(s, lambda t: 0.24 if not starved(t) else 0.24 + 9.5 * over(t) + 3.0, noise=0.05, rel=True, lo=0.05)
    alb_metrics(s, alb, tg, counts(s, req_tot), t5, rt, [3.0] * 360, [0.0] * 360)
    asg_metrics(s, "forum-web-asg", [3.0] * 360, [3.0] * 360)
    for i in fleet:
        ec2_metrics(s, i, series(s, lambda t: 9 + (req_tot(t) / 3 / 28.0 if not starved(t) else 7), noise=1.8, hi=100),
                    series(s, lambda t: 63.0 if not starved(t) else 24.0, noise=0.7), series(s, lambda t: 35.0, noise=0.03))
    rds_default(s, "forum-pg", cpu=26.0, conns=130.0, free_gb=170.0, mem_gb=5.0)

    cl = clients(s, "10.66", 60)
    for k, i in enumerate(fleet):
        st, master = i["id"], s.rng.randint(900, 1100)
        for t in times(s, LOG_FROM, -5, lambda t: 3.6 * diurnal(s, t, 0.25, 11)):
            p = s.rng.choice(["/", "/t/%d" % s.rng.randint(10 ** 4, 10 ** 6), "/t/%d?page=%d" % (s.rng.randint(10 ** 4, 10 ** 6), s.rng.randint(2, 40)),
                              "/c/%s" % s.rng.choice(["general", "help", "offtopic", "dev"]), "/search?q=%s" % s.rng.choice(["php", "nginx", "bug"])])
            c, ua = s.rng.choice(cl), s.rng.choice(fmt.UA[:5])
            x = s.rng.random()
            o = over(t)
            if x < o * 0.6:
                s.log(G[0], st, t, fmt.nginx_access(s, t, c, "GET", p, 502, 552, 0.0, ua, None))
                s.log(G[1], st, t, fmt.nginx_error(s, t, "error", 2211, s.rng.randint(10 ** 6, 9 * 10 ** 6), "connect() to unix:/run/php-fpm/www.sock failed (11: Resource temporarily unavailable) while connecting to upstream",
                      c, "forum.example.fr", "GET %s HTTP/1.1" % p, "fastcgi://unix:/run/php-fpm/www.sock:", "forum.example.fr"))
            elif x < o:
                s.log(G[0], st, t + 60, fmt.nginx_access(s, t, c, "GET", p, 504, 562, 60.0, ua, 60.0))
                s.log(G[1], st, t + 60, fmt.nginx_error(s, t + 60, "error", 2211, s.rng.randint(10 ** 6, 9 * 10 ** 6), "upstream timed out (110: Connection timed out) while reading response header from upstream",
                      c, "forum.example.fr", "GET %s HTTP/1.1" % p, "fastcgi://unix:/run/php-fpm/www.sock:", "forum.example.fr"))
            else:
                r = s.rng.uniform(0.06, 0.5) + (s.rng.uniform(2, 25) if starved(t) else 0)
                s.log(G[0], st, t + r, fmt.nginx_access(s, t, c, "GET", p, 200, s.rng.randint(4000, 90000), r, ua, r - 0.001))
        for t in every(s, LOG_FROM, -5, 10, 1):
            s.log(G[0], st, t, fmt.nginx_access(s, t, s.rng.choice(["10.66.2.4", "10.66.9.18"]), "GET", "/nginx-health", 200, 2, 0.0, "ELB-HealthChecker/2.0"))
        for t in every(s, LOG_FROM, -5, 60, 1):
            if t < rel[k]:
                a = s.rng.randint(5, 16)
                line = "pool=www process_manager=static max_children=40 active=%d idle=%d listen_queue=0 max_listen_queue=0 accepted_conn=%d" % (a, 40 - a, int(req_tot(t) / 3))
            else:
                line = "pool=www process_manager=static max_children=4 active=4 idle=0 listen_queue=%d max_listen_queue=511 accepted_conn=%d" % (s.rng.randint(480, 511), int(cap / 3))
            s.log(G[3], st, t, "%s fpm-status %s" % (fmt.iso(s, t), line))
        for t in every(s, rel[k] + 3, -5, 15, 3):
            s.log(G[2], st, t, fmt.fpm(s, t, "WARNING", "[pool www] server reached max_children setting (4), consider raising it"))
        for t in times(s, LOG_FROM, -5, 0.5):
            s.log(G[2], st, t, fmt.fpm(s, t, "WARNING", "[pool www] child %d said into stderr: \"NOTICE: PHP message: PHP Deprecated:  strftime() is deprecated in /var/www/forum/lib/Date.php on line 31\"" % s.rng.randint(1100, 1500)))
        r0 = rel[k]
        for off, lvl, msg in [(0, "NOTICE", "Reloading in progress ..."), (0.01, "NOTICE", "reloading: execvp(\"/usr/sbin/php-fpm\", {\"/usr/sbin/php-fpm\", \"--nodaemonize\"})"),
                              (0.2, "NOTICE", "using inherited socket fd=7, \"/run/php-fpm/www.sock\""), (0.21, "NOTICE", "fpm is running, pid %d" % master),
                              (0.22, "NOTICE", "ready to handle connections"), (0.23, "NOTICE", "systemd monitor interval set to 10000ms")]:
            s.log(G[2], st, r0 + off, fmt.fpm(s, r0 + off, lvl, msg))
        out = "/aws/ssm/AWS-RunShellScript"
        stream = "%s/%s/aws-runShellScript/stdout" % (CID, st)
        for off, msg in [(2, "== OPS-2291 php-fpm pool tuning =="), (2.1, "backup: /etc/php-fpm.d/www.conf -> /etc/php-fpm.d/www.conf.bak.20261118"),
                         (2.2, "pm = static"), (2.3, "pm.max_children = 4"), (2.4, "pm.max_requests = 500"),
                         (3.5, "[%s] NOTICE: configuration file /etc/php-fpm.conf test is successful" % s.at(CMD + 3.5).strftime("%d-%b-%Y %H:%M:%S")),
                         (r0 - CMD, "Reloading php-fpm.service"), (r0 - CMD + 1, "done")]:
            s.log(out, stream, CMD + off, msg)
    for t in times(s, LOG_FROM, -5, 0.6):
        who = "%s(%d):forum_app@forum" % (s.rng.choice([i["ip"] for i in fleet]), s.rng.randint(40000, 60000))
        s.log("/aws/rds/instance/forum-pg/postgresql", "forum-pg.0", t, fmt.pg(s, t, who, s.rng.randint(10000, 30000), "LOG",
              "duration: %.3f ms  statement: SELECT p.* FROM posts p WHERE p.topic_id = %d ORDER BY p.created_at LIMIT 50 OFFSET %d" % (s.rng.uniform(1000, 2600), s.rng.randint(10 ** 4, 10 ** 6), s.rng.randint(500, 4000))))
    s.change(-3300, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup", "forum-worker-asg", "d.okafor")
    s.change(CMD, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunShellScript", "d.okafor")
    for i in fleet:
        s.change(CMD, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", i["id"], "d.okafor")
    s.alarm("forum-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb}, "Sum", 60, 3, 30,
            "GreaterThanThreshold", t5, desc="forum 5xx", state="ALARM")
    s.expect = {"alarm": "forum-alb-target-5xx",
                "root_cause": {"category": "config_change", "resource": [i["id"] for i in fleet] + [i["name"] for i in fleet] + ["forum-web-asg"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb}},
                              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": alb}}]}
    return s
