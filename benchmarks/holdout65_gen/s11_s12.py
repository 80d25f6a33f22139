"""h65-11 (Django month-end date bug on ECS) and h65-12 (background ELB 502s trip a tight alarm)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, bump, diurnal
from .kit import (EC2_GRID, alb, alb_id, binom, counts, ec2, ecs, instance_id, rds, request_times,
                  run_lambda, smooth, tg_id)
from .runtimes import LambdaLogs, gunicorn, mysql


# --------------------------------------------------------------------------- 11
def s11() -> Scenario:
    sc = Scenario(11, "billing-month-end", "Target 5XX alarm on the main load balancer; customers cannot "
                  "renew subscriptions since midnight.", "ap-south-1", seed=6511, now_iso="2026-03-30T19:15:00")
    lbname, cluster, svc, db, mailer = "main-alb", "main", "web", "main-db", "invoice-mailer"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "main-web")
    onset, decoy = -2700, -3300          # onset is 00:00 IST on the 31st
    sc.resource("alb", lb, name=lbname)
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                runtime="python3.12 (Django 5, gunicorn)", log_groups=[f"/ecs/{svc}"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.40", instance_class="db.t4g.small",
                max_connections=150, allocated_storage_gb=50)
    sc.resource("lambda", mailer, runtime="python3.12", timeout=60, memory_size=256)
    rng = sc.rng
    req = counts(sc, lambda t: 4.8 * diurnal(sc, t, 8, 0.45))
    renew = binom(sc, req, lambda t: 0.4)
    fails = {m: (renew[m] if m >= onset else 0) for m in GRID}
    t5 = {m: fails[m] + (1 if rng.random() < 0.003 else 0) for m in GRID}
    alb(sc, lb, tg, req, t5, smooth(sc, lambda t: 0.16, noise=0.2), healthy={m: 2.0 for m in GRID},
        unhealthy={m: 0.0 for m in GRID})
    ecs(sc, cluster, svc, smooth(sc, lambda t: 8 * diurnal(sc, t, 8, 0.45), noise=0.12),
        smooth(sc, lambda t: 41, noise=0.015))
    rds(sc, db, smooth(sc, lambda t: 9 + bump(t, onset + 30, onset + 720, 63, 60), noise=0.1, cap=99),
        smooth(sc, lambda t: 12 + bump(t, onset + 30, onset + 720, 6, 60), noise=0.08, digits=0),
        free_gb=smooth(sc, lambda t: 38.2, noise=0.0003),
        read_lat=smooth(sc, lambda t: 0.0009 + bump(t, onset + 30, onset + 720, 0.006, 60), noise=0.15, digits=5))
    g, tasks = f"/ecs/{svc}", (sc.hexid(32), sc.hexid(32))
    left = dict(fails)
    paths = ["/dashboard/", "/invoices/", "/invoices/%d/", "/account/", "/api/usage/"]
    for t in request_times(sc, req):
        m = int(t // 60 * 60)
        task = rng.choice(tasks)
        st = f"web/web/{task}"
        pid = 17 if task == tasks[0] else 18
        if left.get(m, 0) > 0:
            left[m] -= 1
            sub = rng.randint(20000, 29999)
            sc.log(g, st, t + 0.05, f"ERROR {sc.at(t).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} log Internal Server Error: "
                   f"/subscriptions/{sub}/renew/\nTraceback (most recent call last):\n"
                   f"  File \"/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py\", line 55, in inner\n"
                   f"    response = get_response(request)\n"
                   f"  File \"/app/billing/views.py\", line 142, in renew\n    cycle = next_cycle(sub.anchor_date, today)\n"
                   f"  File \"/app/billing/schedule.py\", line 88, in next_cycle\n"
                   f"    return anchor.replace(year=y, month=m + 1)\nValueError: day is out of range for month")
            sc.log(g, st, t + 0.051, f'{sc.ip()} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] "POST /subscriptions/{sub}/renew/ '
                   f'HTTP/1.1" 500 145 "-" "Mozilla/5.0 (Linux; Android 14)"')
            continue
        p = rng.choice(paths)
        p = p % rng.randint(100000, 199999) if "%d" in p else p
        if rng.random() < 0.4 and m < onset:
            p, meth = f"/subscriptions/{rng.randint(20000, 29999)}/renew/", "POST"
        else:
            meth = "GET"
        sc.log(g, st, t + rng.uniform(0.05, 0.3), f'{sc.ip()} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] '
               f'"{meth} {p} HTTP/1.1" {302 if meth == "POST" else 200} {rng.randint(900, 30000)} "-" "Mozilla/5.0 (Linux; Android 14)"')
    for t in range(-21600, 0, 1200):
        tt = t + rng.uniform(0, 1100)
        sc.log(g, f"web/web/{tasks[0]}", tt, gunicorn(sc, tt, 17, "WARNING", "Worker with pid 23 was terminated due to signal 9")
               if rng.random() < 0.1 else f"WARNING {sc.at(tt).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} csrf Forbidden "
               f"(Origin checking failed - https://partner.example does not match any trusted origins.): /api/usage/")
    dg = f"/aws/rds/instance/{db}/slowquery"
    for t in range(onset + 40, onset + 700, 60):
        sc.log(dg, db, t, f"# Time: {sc.iso(t, 6)}\n# User@Host: reports[reports] @  [{sc.ip()}]  Id: {rng.randint(4000, 9000)}\n"
               f"# Query_time: {rng.uniform(2, 9):.6f}  Lock_time: 0.000004 Rows_sent: 1  Rows_examined: {rng.randint(400000, 900000)}\n"
               "SELECT plan_id, COUNT(*), SUM(amount) FROM invoices WHERE issued_at >= '2026-03-01' GROUP BY plan_id;")
    eg = f"/aws/rds/instance/{db}/error"
    for t in range(-21600, 0, 1800):
        tt = t + rng.uniform(0, 1700)
        sc.log(eg, db, tt, mysql(sc, tt, rng.randint(2000, 9000), "Note", "MY-010914", f"Aborted connection to db: "
                                 f"'billing' user: 'app' host: '{sc.ip()}' (Got an error reading communication packets)."))
    inv = {m: (1 if (m // 60) % 30 == 7 else 0) for m in GRID}
    ll = LambdaLogs(sc, mailer, "python3.12", 256, 60, mem_used=(82, 4), retire=(decoy,))
    run_lambda(sc, ll, inv, {}, lambda l, t, rid, e, c: {"dur": rng.gauss(1800, 300), "lines": [
        (0.1, l.fmt(t, rid, "INFO", f"mailed {rng.randint(0, 25)} invoices"))]})
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mailer, "aarav.k")
    sc.change(-19900, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aarav.k")
    sc.alarm("main-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             600, 1, 5, "GreaterThanThreshold", "Target 5xx per 10 minutes")
    sc.alarm("main-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "main-alb-target-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        where="front (ALB) → origin ECS service", services="ALB, ECS Fargate, RDS MySQL, Lambda",
        runtime="Python 3.12 Django + gunicorn access lines; MySQL slow/error logs",
        decoys="month-end report queries push DB CPU to ~70 % right at onset (its alarm cycled); code deploy of the "
               "mailer Lambda 10 min before onset; old CSRF warnings and rare worker SIGKILLs",
        story="A two-task Django app takes about five requests a minute. At exactly 00:00 IST on 31 March, and "
              "with no change anywhere near, every `POST /subscriptions/<id>/renew/` begins failing with "
              "`ValueError: day is out of range for month` from `anchor.replace(month=m + 1)` in "
              "`billing/schedule.py`, a classic 31st-of-the-month bug. The month-end report queries in the "
              "slow log drive DB CPU to about 70 % at the same minute, but they finish after about 11 minutes while the 500s "
              "continue, and no DB error appears in the tracebacks. The mailer deploy 10 min before onset is "
              "another function with clean runs. The answer is `application_error` in `main/web`.")
    return sc


# --------------------------------------------------------------------------- 12
def s12() -> Scenario:
    sc = Scenario(12, "api-lb-stray-502", "ELB 5XX alarm on the API load balancer fired overnight; nobody "
                  "has reported a problem.", "us-east-1", seed=6512, now_iso="2026-08-14T07:05:00")
    api, worker, lbname = instance_id(sc), instance_id(sc), "api-lb"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "api-go")
    sc.resource("ec2", api, name="api-1", instance_type="t3.medium", log_groups=["/srv/api"])
    sc.resource("ec2", worker, name="cron-1", instance_type="t3.small", log_groups=["/srv/cron"])
    sc.resource("alb", lb, name=lbname, idle_timeout=60)
    rng = sc.rng
    req = counts(sc, lambda t: 3.0 * diurnal(sc, t, 15, 0.35))
    # stray 502s: about one an hour all night, three of them close together at the end
    stray = {m: 0 for m in GRID}
    for m in (-20760, -17580, -15960, -13020, -11340, -9600, -6420, -4860, -2280, -780, -540, -180):
        stray[m] = 1
    alb(sc, lb, tg, req, {m: 0 for m in GRID}, smooth(sc, lambda t: 0.018, noise=0.25, digits=4),
        elb5xx=stray, healthy={m: 1.0 for m in GRID}, unhealthy={m: 0.0 for m in GRID})
    ec2(sc, api, smooth(sc, lambda t: 6 + bump(t, -5700, -4500, 93, 60), noise=0.08, cap=99.6, times=EC2_GRID))
    ec2(sc, worker, smooth(sc, lambda t: 2 + bump(t, -1500, -1200, 40, 60), noise=0.1, times=EC2_GRID))
    g = "/srv/api"
    routes = ["/v1/devices/%s/state", "/v1/devices/%s/config", "/v1/ping", "/v1/firmware/latest"]
    for t in request_times(sc, req):
        p = rng.choice(routes)
        p = p % sc.hexid(8) if "%s" in p else p
        lat = max(0.002, rng.gauss(0.016, 0.006))
        sc.log(g, api, t + lat, json.dumps({"level": "info", "ts": round(sc.epoch_ms(t + lat) / 1000, 6),
               "caller": "httpx/log.go:41", "msg": "request", "method": "GET", "path": p, "status": 200,
               "latency": round(lat, 6), "remote": sc.ip()}, separators=(",", ":")))
    for t in range(-21600, 0, 900):
        tt = t + rng.uniform(0, 880)
        sc.log(g, api, tt, json.dumps({"level": "warn", "ts": round(sc.epoch_ms(tt) / 1000, 6), "caller": "mqtt/client.go:212",
               "msg": "broker keepalive missed, reconnecting", "attempt": 1}, separators=(",", ":")))
    for t in (-5690, -5100, -4520):
        sc.log(g, api, t, json.dumps({"level": "info", "ts": round(sc.epoch_ms(t) / 1000, 6), "caller": "archive/rotate.go:77",
               "msg": "compressing rotated device-state archive" if t < -4600 else "archive rotation done",
               "bytes": 7340032000}, separators=(",", ":")))
    cg = "/srv/cron"
    for t in range(-21600, 0, 3600):
        sc.log(cg, worker, t + 30, f"{sc.at(t + 30).strftime('%b %d %H:%M:%S')} cron-1 CRON[{rng.randint(2000, 9000)}]: "
               "(deploy) CMD (/opt/jobs/firmware-index.sh)")
    sc.log(cg, worker, -1480, f"{sc.at(-1480).strftime('%b %d %H:%M:%S')} cron-1 firmware-index: rebuilt index, 412 images")
    sc.change(-1620, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "patch-manager")
    sc.change(-1600, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", worker, "patch-manager")
    sc.alarm("api-lb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 900, 1, 2,
             "GreaterThanThreshold", "Load balancer 5xx (15 min)")
    sc.alarm("api-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": api}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.alarms[0]["state_changed"] = -150  # evaluated shortly after the third stray 502
    sc.expect = {"alarm": "api-lb-elb-5xx", "root_cause": {"category": "unknown", "resource": [lb, lbname]},
                 "anomalies": []}
    sc.meta = dict(
        where="front (ALB); no origin can be shown", services="ALB, EC2", runtime="Go, zap JSON; syslog cron lines",
        decoys="api-1 CPU pinned at ~99 % for 20 min an hour before (archive compression, its alarm went back to OK); "
               "patch-baseline run on the cron host 25 min before; MQTT reconnect warnings all night",
        story="A single Go instance behind an ALB serves about three requests a minute overnight. The ALB "
              "has produced a stray `HTTPCode_ELB_5XX_Count` of one about once an hour for the whole window, and "
              "the alarm (more than 2 in 15 minutes) fired only because three of them fell into the same "
              "quarter hour. Target 5xx, latency, healthy-host count and request rate are flat, and the target's "
              "log has no failed or unusual request. The big CPU plateau on api-1 from archive compression ended "
              "an hour before, caused no errors then, and the patch run touched only the cron host. Nothing in "
              "the evidence supports a category, so the label is `unknown`, with the ALB as the only resource "
              "that can be named.")
    return sc
