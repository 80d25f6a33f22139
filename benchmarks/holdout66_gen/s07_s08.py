"""h66-07 (imaging viewer API vs a throttled loader) and h66-08 (portal web host pinned by cron)."""
from __future__ import annotations

from .common import diurnal, ramp
from .kit import M, apigw_access, laravel, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, nginx


def build_07():
    sc = new_scenario(7, "imaging-prefetch-night", "Radiology viewer API returning 500s overnight; "
                      "API Gateway 5XXError alarm.", "eu-west-2", 6607, "2026-03-15T02:26:00+00:00")
    T0 = -1560  # 02:00
    api, fn, disp, comp = "imaging-viewer", "study-loader", "prefetch-dispatcher", "audit-log-compactor"
    sc.resource("apigateway", api, stage="v1", endpoint="REGIONAL", api_id="p0d8w1fz3c")
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=2048,
                reserved_concurrency=20)
    sc.resource("lambda", disp, runtime="python3.12", timeout=300, memory_size=256,
                schedule="cron(0 2 * * ? *)")
    sc.resource("lambda", comp, runtime="python3.12", timeout=900, memory_size=1024,
                schedule="cron(0 2 * * ? *)")
    sc.resource("lambda", "dicom-thumbnailer", runtime="python3.12", timeout=120, memory_size=3008)
    pf = lambda t: 1.0 if t >= T0 else 0.0
    sync = lambda t: 14 * diurnal(sc, t, 14, 0.4)
    da, dl = {"ApiName": api, "Stage": "v1"}, {"FunctionName": fn}
    sy = {t: v for t, v in zip(minutes(-21600), sc.series(sync, integer=True))}
    thr_sync = {t: round(v * 0.85 * pf(t)) for t, v in sy.items()}
    asy = {t: v for t, v in zip(minutes(-21600), sc.series(lambda t: 38 * pf(t), integer=True))}
    inv = {t: sy[t] - thr_sync[t] + asy[t] for t in sy}
    sc.metric("AWS/Lambda", "Invocations", dl, "Count", list(inv.values()))
    M(sc, "AWS/Lambda", "Throttles", dl, "Count", lambda t: 190 * pf(t) + 4.5 * pf(t), integer=True)
    M(sc, "AWS/Lambda", "ConcurrentExecutions", dl, "Count", lambda t: 20 if pf(t) else 1.2,
      integer=True, cap=20)
    M(sc, "AWS/Lambda", "Errors", dl, "Count", lambda t: 0.05, integer=True)
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds", lambda t: 1400 + 21000 * pf(t), noise=0.1)
    c4 = sc.series(lambda t: 0.7, integer=True)
    sc.metric("AWS/ApiGateway", "Count", da, "Count", [sy[t] + c for t, c in zip(sy, c4)])
    sc.metric("AWS/ApiGateway", "5XXError", da, "Count", list(thr_sync.values()))
    sc.metric("AWS/ApiGateway", "4XXError", da, "Count", c4)
    M(sc, "AWS/ApiGateway", "Latency", da, "Milliseconds", lambda t: 1450 - 600 * pf(t), noise=0.1)
    for f, dur in ((disp, 240000), (comp, 540000)):
        M(sc, "AWS/Lambda", "Invocations", {"FunctionName": f}, "Count",
          lambda t: 1 if t == T0 else None)
        M(sc, "AWS/Lambda", "Duration", {"FunctionName": f}, "Milliseconds",
          lambda t, d=dur: d if t == T0 else None, noise=0.05)
        M(sc, "AWS/Lambda", "Errors", {"FunctionName": f}, "Count", lambda t: 0 if t == T0 else None)
    # ---- study-loader logs (from -3h)
    ll = LambdaLogs(sc, fn, "python3.12", 2048, 60, prewarm=-10800, max_envs=20)

    def body(ll, s, rid, is_err, cold):
        study = f"1.2.826.0.1.3680043.{sc.rng.randint(10 ** 6, 10 ** 7)}"
        if sc.rng.random() < asy.get((int(s) // 60) * 60, 0) / max(1, inv.get((int(s) // 60) * 60, 1)):
            lines = [(0.003, ll.fmt(s, rid, "info", f"prefetch study={study} source=nightly"))]
            if sc.rng.random() < 0.1:
                lines.append((2, ll.fmt(s + 2, rid, "warning", f"PACS returned 404 for series of "
                                         f"{study}; skipping")))
            d = sc.rng.uniform(15000, 30000)
            lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", f"cached {sc.rng.randint(80, 900)} "
                                           f"instances to s3 in {d / 1000:.1f}s")))
            return {"lines": lines, "dur": d + 20, "mem": sc.rng.randint(600, 1400)}
        lines = [(0.003, ll.fmt(s, rid, "info", f"GET /studies/{study}/metadata"))]
        if sc.rng.random() < 0.1:
            lines.append((0.5, ll.fmt(s + 0.5, rid, "warning", f"PACS returned 404 for series of "
                                      f"{study}; skipping")))
        d = sc.rng.uniform(900, 2000)
        lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", "metadata served (cache hit)"
                                       if sc.rng.random() < 0.6 else "metadata served (PACS)")))
        return {"lines": lines, "dur": d + 10}
    ll.run({t: v for t, v in inv.items() if t >= -10800}, {}, body)
    # ---- dispatcher + compactor
    dl2 = LambdaLogs(sc, disp, "python3.12", 256, 300, prewarm=-10800)
    dl2.run({T0: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.02, ll.fmt(s, r, "info", "Tomorrow's clinic list: 14 sessions, 2140 prior studies to prefetch")),
        (238, ll.fmt(s + 238, r, "info", "Dispatched 2140 async invocations of study-loader"))],
        "dur": 239000})
    cl = LambdaLogs(sc, comp, "python3.12", 1024, 900, prewarm=-10800)
    cl.run({T0: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.02, ll.fmt(s, r, "info", "Compacting audit partitions for 2026-03-14")),
        (530, ll.fmt(s + 530, r, "info", "Compacted 188 files into 6 parquet objects"))], "dur": 539000})
    # ---- API access + execution logs
    ag, xg = f"/aws/apigateway/{api}-v1-access", "API-Gateway-Execution-Logs_p0d8w1fz3c/v1"

    def access(s):
        m = (int(s) // 60) * 60
        if sy.get(m) and sc.rng.random() < thr_sync.get(m, 0) / sy[m]:
            sc.log(ag, "v1", s, apigw_access(sc, s, "GET", "/studies/{uid}/metadata", 500, 31, 22,
                                             429, 36))
            sc.log(xg, sc.hexid(32), s, f"({sc.uuid()}) Lambda invocation failed with status: 429. "
                   f"Lambda request id: {sc.uuid()}")
            sc.log(xg, sc.hexid(32), s + 0.002, f"({sc.uuid()}) Execution failed due to configuration "
                   "error: Rate Exceeded.")
        else:
            sc.log(ag, "v1", s, apigw_access(sc, s, "GET", "/studies/{uid}/metadata", 200,
                                             sc.rng.randint(900, 2100), sc.rng.randint(880, 2000), 200,
                                             sc.rng.randint(2000, 40000)))
    sprinkle(sc, -21600, 0, lambda t: sync(t) * 0.35, access)
    sc.alarm(f"{api}-v1-5xx", "AWS/ApiGateway", "5XXError", da, "Sum", 60, 2, 1,
             "GreaterThanThreshold", "Viewer API server errors")
    sc.alarm(f"{comp}-duration", "AWS/Lambda", "Duration", {"FunctionName": comp}, "Maximum", 60, 1,
             500000, "GreaterThanThreshold", "Audit compactor running long")
    sc.change(-9600, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function",
              "dicom-thumbnailer", "terraform-imaging")
    sc.change(T0 - 65, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "dicom-thumbnailer", "gha-imaging")
    sc.expect = {"alarm": f"{api}-v1-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": dl}]}
    meta(sc, alarm_pos="front (API Gateway)", services=["API Gateway", "Lambda (Python)"],
         decoys=["thumbnailer deploy 65 s before onset", "02:00 audit compactor + its duration alarm",
                 "PACS 404 warnings all night"],
         story=(
             "At 02:00 the nightly dispatcher fans out 2140 async prefetches to `study-loader`. That "
             "function also serves the viewer API and has reserved concurrency 20. "
             "ConcurrentExecutions goes flat at 20, Throttles jumps to ~190/min, and the API's "
             "synchronous calls get `Lambda invocation failed with status: 429` / `Rate Exceeded`, "
             "which surface as 500s. The function itself logs no errors. The thumbnailer deploy a "
             "minute earlier and the compactor's long-running alarm are unrelated, and the PACS 404 "
             "warnings were there all night."),
         judgement=("The dispatcher's fan-out is the load, but the fault is the throttling at "
                    "study-loader's reserved concurrency, so the origin is study-loader. No concurrency "
                    "setting on study-loader changed (the PutFunctionConcurrency was on the "
                    "thumbnailer, hours earlier)."))
    return sc


def build_08():
    sc = new_scenario(8, "statement-run-web-host", "Patient portal slow after 01:00; ALB target "
                      "response time alarm.", "us-east-2", 6608, "2026-03-16T01:33:00+00:00")
    T0 = -1980  # 01:00
    lb, wa, wb, db = "app/pt-portal/a41d9e07c2f35b88", "i-04e7b1c9a2d3f5e60", "i-09d2c4a7e1b3f6085", "pg-billing"
    sc.resource("alb", lb, name="pt-portal", scheme="internet-facing")
    sc.resource("ec2", wa, name="portal-web-a", instance_type="c6i.xlarge",
                log_groups=["/ec2/pt-portal/nginx", "/ec2/pt-portal/php-fpm", "/ec2/pt-portal/scheduler"])
    sc.resource("ec2", wb, name="portal-web-b", instance_type="c6i.xlarge")
    sc.resource("rds", db, engine="postgres", instance_class="db.m6g.large", max_connections=800,
                allocated_storage_gb=300)
    hr = lambda t: 1.0 if sc.at(t).minute < 6 else 0.0
    pin = lambda t: ramp(t, T0, T0 + 180)
    load = lambda t: diurnal(sc, t, 16, 0.45)
    di, dj = {"InstanceId": wa}, {"InstanceId": wb}
    M(sc, "AWS/EC2", "CPUUtilization", di, "Percent",
      lambda t: max(18 * load(t) + 45 * hr(t) * (1 - pin(t)), 99.2 * pin(t)), noise=0.03, cap=100)
    M(sc, "AWS/EC2", "CPUUtilization", dj, "Percent", lambda t: 17 * load(t), noise=0.08)
    dl = {"LoadBalancer": lb}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 340 * load(t), integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds",
      lambda t: 0.21 + 0.05 * hr(t) + 2.3 * pin(t), noise=0.12)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count", lambda t: 0.3 + 5 * pin(t),
      integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dl, "Count", lambda t: 9, integer=True)
    dd = {"DBInstanceIdentifier": db}
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 22 + 8 * hr(t) + 26 * pin(t), noise=0.07)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 64 + 6 * pin(t), integer=True)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0012, noise=0.15, digits=5)
    # ---- logs
    ng, fg, cg = "/ec2/pt-portal/nginx", "/ec2/pt-portal/php-fpm", "/ec2/pt-portal/scheduler"
    paths = ["/billing/statements", "/appointments", "/messages", "/records/labs", "/login"]

    def req(s):
        host = wa if sc.rng.random() < 0.5 else wb
        p = sc.rng.choice(paths)
        if host == wa and pin(s) > 0.5:
            if sc.rng.random() < 0.12:
                sc.log(ng, host, s, nginx(sc, s, sc.ip("10.40"), "GET", p, 504, 562, 60.0))
                sc.log(fg, host, s + 0.01, f"{sc.at(s).strftime('%Y/%m/%d %H:%M:%S')} [error] 2211#2211: "
                       f"*{sc.rng.randint(10 ** 5, 10 ** 6)} upstream timed out (110: Connection timed out) "
                       f'while reading response header from upstream, upstream: "fastcgi://unix:/run/php/'
                       f'php8.2-fpm.sock", request: "GET {p} HTTP/1.1"')
            else:
                sc.log(ng, host, s, nginx(sc, s, sc.ip("10.40"), "GET", p, 200,
                                          sc.rng.randint(2000, 40000), sc.rng.uniform(2.5, 9.0)))
        else:
            sc.log(ng, host, s, nginx(sc, s, sc.ip("10.40"), "GET", p, 200, sc.rng.randint(2000, 40000),
                                      sc.rng.uniform(0.08, 0.45)))
    sprinkle(sc, -21600, 0, lambda t: 3.5 * load(t), req)
    sprinkle(sc, -21600, 0, lambda t: 0.6, lambda s: sc.log(ng, sc.rng.choice([wa, wb]), s, nginx(
        sc, s, sc.ip("45.146"), "GET", sc.rng.choice(["/wp-login.php", "/.env", "/phpmyadmin/"]), 404,
        162, 0.002, ua="Mozilla/5.0 zgrab/0.x")))
    sprinkle(sc, -21600, 0, lambda t: 0.5, lambda s: sc.log(fg, sc.rng.choice([wa, wb]), s, (
        f"[{sc.at(s).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP Warning:  Undefined array key \"insurer\" in "
        "/var/www/portal/app/Http/Controllers/BillingController.php on line 212")))
    sprinkle(sc, T0 + 120, 0, lambda t: 0.8, lambda s: sc.log(fg, wa, s, (
        f"[{sc.at(s).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached pm.max_children "
        "setting (24), consider raising it")))
    for m in minutes(-21600):
        if sc.at(m).minute == 0:
            big = m >= T0
            sc.log(cg, wa, m + 1, laravel(sc, m + 1, "info", "Running scheduled command: statements:render "
                                          f"--cycle={'monthly' if big else 'hourly'}"))
            sc.log(cg, wa, m + 2, laravel(sc, m + 2, "info", "statements:render queued",
                                          {"statements": 48211 if big else sc.rng.randint(300, 700),
                                           "renderer": "wkhtmltopdf", "parallel": 8}))
            if not big:
                sc.log(cg, wa, m + 330, laravel(sc, m + 330, "info", "statements:render finished",
                                                {"seconds": sc.rng.randint(290, 350)}))
    sprinkle(sc, T0 + 60, 0, lambda t: 0.2, lambda s: sc.log(cg, wa, s, laravel(
        sc, s, "info", "statements:render progress", {"done": int((s - T0) * 9.5), "of": 48211})))
    sc.alarm("pt-portal-target-latency", "AWS/ApplicationELB", "TargetResponseTime", dl, "Average",
             60, 5, 1.0, "GreaterThanThreshold", "Portal latency above 1 s")
    sc.alarm(f"{db}-cpu-elevated", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 2, 40,
             "GreaterThanThreshold")
    sc.change(-15000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-portal-web", "secops-automation")
    sc.change(T0 - 110, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db,
              "l.fernandes")
    sc.expect = {"alarm": "pt-portal-target-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [wa, "portal-web-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": di}]}
    meta(sc, alarm_pos="front (ALB)", services=["ALB", "EC2 (PHP-FPM/nginx, Laravel scheduler)", "RDS Postgres"],
         decoys=["ModifyDBInstance on the billing DB 2 min before onset + DB CPU alarm",
                 "hourly statement run CPU bumps", "scanner 404s and PHP warnings all night"],
         story=(
             "The portal's two web hosts share the ALB. `portal-web-a` also runs the Laravel "
             "scheduler, which renders statements every hour with a short CPU bump. At 01:00 the "
             "monthly cycle queues 48 211 statements (wkhtmltopdf x8). web-a's CPU goes to ~99 % "
             "and stays there. Its nginx lines show 2.5-9 s responses and 504 `upstream timed out`, "
             "and php-fpm reports `pm.max_children` reached. web-b is at ~11 % and fast. The billing "
             "DB is busier (~50 % CPU, its alarm at 40 %) and was modified two minutes earlier, but "
             "there are no DB errors and no DB latency change."),
         judgement=("The cron job is the load, but the saturated resource is portal-web-a. "
                    "Labelled cpu_saturation on that instance, not traffic_surge: ALB request volume "
                    "did not change."))
    return sc


BUILDERS = [build_07, build_08]
