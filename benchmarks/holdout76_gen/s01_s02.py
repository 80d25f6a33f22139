"""h76-01 WordPress fleet behind an ALB loses its MySQL (connection slots exhausted);
h76-02 photo-desk variant Lambda killed at its memory size by oversized TIFF uploads."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, counts_per_minute, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .kit import (LOG_START, alb, alb_id, apigw, ec2, fpm_log, instance_id, lam, make, php_log,
                  rds, scatter)

PATHS = ["/", "/politics/", "/world/europe/", "/business/markets/", "/sport/football/",
         "/culture/", "/wp-json/wp/v2/posts?per_page=12", "/feed/", "/live/"]
UA = ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/134.0 Safari/537.36",
      "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/134.0 Mobile Safari/537.36",
      "Googlebot-News"]


def build01():
    sc = make(1, "wp-front-mysql-slots", "Public site serving 500s; the ALB target 5XX alarm paged "
              "the web on-call during the evening peak.", "eu-west-1", "2026-03-09T19:20:00")
    T = -1900
    lb = alb_id(sc, "pub-www")
    webs = [(instance_id(sc), "wp-front-a"), (instance_id(sc), "wp-front-b")]
    db = "edit-mysql-2"
    fail = lambda t: ramp(t, T - 120, T + 240)
    alb(sc, lb, "pub-www", lambda t: 2300 * diurnal(sc, t, 20.0, 0.2)
        + bump(t, -12600, -11700, 1500), lambda t: 0.17 + 0.75 * fail(t),
        t5xx=lambda t: 0.4 + 85 * fail(t), hosts=2)
    for iid, name in webs:
        ec2(sc, iid, name, "c6i.xlarge", lambda t: 31 * diurnal(sc, t, 20.0, 0.2) - 9 * fail(t),
            mem=lambda t: 58.0, disk=lambda t: 47.0,
            net=lambda t: 3.1e7 * diurnal(sc, t, 20.0, 0.2),
            log_groups=["/wp/nginx/access", "/wp/php-fpm/error"])
    rds(sc, db, "mysql", "db.r6g.large", 400, 500,
        lambda t: 34 * diurnal(sc, t, 20.0, 0.15) + 14 * ramp(t, T - 500, T),
        lambda t: 118 * diurnal(sc, t, 20.0, 0.15) + 300 * ramp(t, T - 560, T - 40),
        lambda t: 212.0 - (t + 21600) / 21600 * 0.4, engine_version="8.0.39")
    lam(sc, "img-derivs", "python3.12", 1536, 60, lambda t: 6.0, lambda t: 0.02,
        lambda t: 1800 + 400 * bump(t, -2040, -1500, 1.0, 60))
    # logs: sparse access lines, the PHP error log's long-running noise, then 1040s
    for iid, _ in webs:
        def access(t, iid=iid):
            bad = sc.rng.random() < 0.62 * fail(t)
            path = sc.rng.choice(PATHS)
            st = 500 if bad else sc.rng.choice([200] * 14 + [301, 304, 404])
            size = 3120 if bad else sc.rng.randint(9000, 160000)
            rt = sc.rng.uniform(0.02, 0.08) if bad else sc.rng.lognormvariate(-1.9, 0.5)
            sc.log("/wp/nginx/access", iid, t, nginx(sc, t, sc.ip("10.0"), "GET", path, st, size, rt,
                                                     ua=sc.rng.choice(UA)))
        scatter(sc, lambda m: 4.0, access)
        scatter(sc, lambda m: 0.9, lambda t, iid=iid: sc.log(
            "/wp/php-fpm/error", iid, t, php_log(
                sc, t, "Deprecated", "Creation of dynamic property WPSEO_Schema_Article::$newsroom_"
                "kicker is deprecated in /var/www/html/wp-content/plugins/newsroom-schema/"
                "class-schema.php on line 88")))
        scatter(sc, lambda m: 0.35, lambda t, iid=iid: sc.log(
            "/wp/php-fpm/error", iid, t, php_log(
                sc, t, "Warning", 'Undefined array key "lead_image" in /var/www/html/wp-content/'
                "themes/newsroom/template-parts/card-standard.php on line 41")))
        scatter(sc, lambda m: 5.5 * fail(m), lambda t, iid=iid: sc.log(
            "/wp/php-fpm/error", iid, t, php_log(
                sc, t, "Warning", "mysqli_real_connect(): (HY000/1040): Too many connections in "
                "/var/www/html/wp-includes/class-wpdb.php on line 1987")))
        scatter(sc, lambda m: 0.2 + 0.5 * fail(m), lambda t, iid=iid: sc.log(
            "/wp/php-fpm/error", iid, t, fpm_log(
                sc, t, "WARNING", f"[pool www] child {sc.rng.randint(2000, 9000)}, script "
                "'/var/www/html/index.php' (request: \"GET /index.php\") executing too slow "
                f"({sc.rng.uniform(5.0, 9.0):.6f} sec), logging")))
    scatter(sc, lambda m: 0.3, lambda t: sc.log(
        f"/aws/rds/instance/{db}/error", f"{db}", t,
        f"{sc.iso(t, 6)[:-1]}Z {sc.rng.randint(30000, 99000)} [Note] [MY-010914] [Server] Aborted "
        f"connection {sc.rng.randint(400000, 900000)} to db: 'wp_news' user: 'wp_app' host: "
        f"'{sc.ip('10.0')}' (Got timeout reading communication packets)."))
    sc.alarm("pub-www-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Public site: targets returning 5xx")
    sc.alarm("pub-www-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 300, 2, 1.5, "GreaterThanThreshold")
    sc.alarm("edit-mysql-2-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.alarm("img-derivs-duration", "AWS/Lambda", "Duration", {"FunctionName": "img-derivs"},
             "Average", 300, 1, 2100, "GreaterThanThreshold")
    sc.change(-15020, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "rds-snapshot-scheduler")
    sc.change(-9100, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0b71c2e4a9d3f1e20", "d.ferreira")
    sc.change(-2050, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "img-derivs", "d.ferreira")
    sc.expect = {"alarm": "pub-www-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {"front": "front (ALB)", "decoys": "img-derivs config update 150 s before onset; "
               "long-running PHP deprecations/warnings; newsletter traffic bump 3.5 h earlier",
               "services": "ALB, EC2, RDS MySQL, Lambda", "runtime": "PHP (WordPress)",
               "logs": "nginx access, PHP error_log, MySQL error log"}
    return sc


def build02():
    sc = make(2, "pic-variants-big-tiffs", "Photo desk reports missing crops; the variants "
              "function's Errors alarm fired.", "us-west-2", "2026-05-02T15:10:00")
    T = -2500
    fn = "pic-variants"
    big = lambda t: 0.36 * ramp(t, T - 60, T + 120)
    rate = lambda t: 10 * diurnal(sc, t, 16.0, 0.2)
    iv, ev = lam(sc, fn, "python3.12", 1024, 60, rate,
                 lambda t: 0.1 + rate(t) * big(t), lambda t: 2300 + 5200 * big(t))
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
              sc.series(lambda t: 24 + 76 * min(1.0, big(t) * 4), noise=0.05, cap=100.0))
    lam(sc, "og-card-render", "nodejs20.x", 512, 15, lambda t: 22 * diurnal(sc, t, 16.0, 0.2),
        lambda t: 0.05, lambda t: 380 + 900 * bump(t, -2600, -2300, 1.0, 60))
    apigw(sc, "photo-desk-api", lambda t: 140 * diurnal(sc, t, 16.0, 0.2), lambda t: 9.0,
          lambda t: 0.05, lambda t: 120.0)
    bucket = "wirepix-ingest-prod"

    def body(ll, t, reqid, is_err, cold):
        key = f"incoming/2026/05/02/{sc.hexid(12)}"
        if is_err:
            w, h = sc.rng.choice([(11648, 8736), (14204, 10652), (9504, 6336)])
            mb = w * h * 6 / 1e6 * sc.rng.uniform(0.95, 1.05)
            dur = sc.rng.uniform(7000, 16000)
            return {"dur": dur, "status": "error", "error_type": "Runtime.OutOfMemory",
                    "mem": 1024, "lines": [
                        (0.004, ll.fmt(t, reqid, "INFO", f"Fetched s3://{bucket}/{key}.tif "
                                       f"({mb:.1f} MB, {w}x{h}, 16-bit RGB)")),
                        (0.9, ll.fmt(t, reqid, "INFO", "Decoding TIFF with Pillow 11.1.0")),
                        (dur / 1000 - 0.002, f"RequestId: {reqid} Error: Runtime exited with "
                                             "error: signal: killed")]}
        if sc.rng.random() < 0.012:
            return {"dur": sc.rng.uniform(300, 600), "status": "error",
                    "error_type": "UnidentifiedImageError", "lines": [
                        (0.004, ll.fmt(t, reqid, "INFO", f"Fetched s3://{bucket}/{key}.heic (2.1 MB)")),
                        (0.2, "[ERROR] UnidentifiedImageError: cannot identify image file "
                              f"'/tmp/{key[-12:]}.heic'\nTraceback (most recent call last):\n"
                              "  File \"/var/task/app.py\", line 57, in handler\n"
                              "    img = Image.open(path)")]}
        w, h = sc.rng.choice([(4032, 3024), (6000, 4000), (5472, 3648), (3000, 2000)])
        dur = sc.rng.gauss(2300, 500)
        lines = [(0.004, ll.fmt(t, reqid, "INFO", f"Fetched s3://{bucket}/{key}.jpg "
                                f"({w * h * 0.28 / 1e6:.1f} MB, {w}x{h})"))]
        if sc.rng.random() < 0.3:
            lines.append((0.05, ll.fmt(t, reqid, "WARNING", "EXIF Orientation tag missing; "
                                       "assuming 1")))
        lines.append((dur / 1000 - 0.01, ll.fmt(t, reqid, "INFO", "Wrote 6 variants "
                                                f"(320w..2560w) in {dur / 1000:.2f}s")))
        return {"dur": dur, "lines": lines, "mem": int(sc.rng.gauss(250, 30))}

    ll = LambdaLogs(sc, fn, "python3.12", 1024, 60, mem_used=(250, 30))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    sc.alarm("pic-variants-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 8,
             "GreaterThanThreshold", "Photo variants generation failures")
    sc.alarm("photo-desk-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": "photo-desk-api"},
             "Sum", 300, 1, 30, "GreaterThanThreshold")
    sc.alarm("og-card-render-duration", "AWS/Lambda", "Duration", {"FunctionName": "og-card-render"},
             "Average", 300, 1, 1000, "GreaterThanThreshold")
    sc.change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gh-actions-media")
    sc.change(-2620, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "og-card-render", "gh-actions-media")
    sc.change(-2600, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "og-card-render", "gh-actions-media")
    sc.expect = {"alarm": "pic-variants-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "decoys": "og-card-render deploy 2 min before onset (with its "
               "own cold-start duration bump); chronic photo-desk-api 4XX alarm; rare HEIC decode "
               "errors all along; pic-variants deploy 4.7 h earlier",
               "services": "Lambda, API Gateway", "runtime": "Python 3.12 Lambda",
               "logs": "Lambda plain text"}
    return sc


BUILDERS = [build01, build02]
