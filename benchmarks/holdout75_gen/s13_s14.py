"""h75-13 (back-office PHP tier slow because ad-hoc BI scans pin the MySQL CPU) and h75-14
(statement renderer killed at its memory limit by the corporate statement batch)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import nginx
from .common75 import (alb_pack, biz, const, ec2_pack, emit, lambda_logs, lambda_pack,
                       new, rds_pack)


def build13():
    sc = new(13, "backoffice-slow", "Back-office portal (loan servicing, KYC review) timing out; "
             "ALB 504 alarm.", "us-west-1", "2026-03-20T17:30:00")
    lb, db = "app/bo-portal/4c2e7d90a13f58b6", "bo-mysql-1"
    ids = ["i-0b3e8a1f6c2d74590", "i-06d1c9f4e7a2b3815"]
    names = ["bo-web-1", "bo-web-2"]
    onset, deploy = -2040, -1900
    for i, n in zip(ids, names):
        sc.resource("ec2", i, name=n, instance_type="c6i.xlarge", stack="nginx + php-fpm 8.2",
                    log_groups=["/bo/nginx/access", "/bo/php-fpm/slow", "/bo/laravel"])
    sc.resource("alb", lb, name="bo-portal", idle_timeout=30)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=800)
    s = lambda t: ramp(t, onset, onset + 300)
    req = biz(sc, 220, peak=19.0, amp=0.3)
    alb_pack(sc, lb, req, lambda t: 0.3 + 2 * s(t), lambda t: 0.24 + 6.5 * s(t), 2,
             elb5xx=lambda t: 0.1 + req(t) * 0.11 * s(t))
    for k, i in enumerate(ids):
        ec2_pack(sc, i, lambda t: 22 - 9 * s(t) + bump(t, deploy, deploy + 120, 25),
                 net_mb=const(12.0), mem=const(54.0 + 3 * k), disk=const(37.0 + k))
    rds_pack(sc, db, lambda t: 31 + 68 * s(t) + bump(t, -15000, -14400, 25),
             lambda t: 48 + 95 * s(t), const(402.0), const(3.4),
             read_ms=lambda t: 1.2 + 9 * s(t), write_ms=lambda t: 1.8 + 4 * s(t), conn_cap=1000.0,
             extra=[("ReadIOPS", "Count/Second", lambda t: 900 + 2600 * s(t))])
    sc.alarm("bo-portal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Back-office portal gateway errors (504)")
    sc.alarm("bo-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ids[0]}, "Average", 300,
             2, 80, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (onset - 600, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
             "AWS::EC2::SecurityGroup", "sg-bo-mysql", "netadmin-lgarcia"),
            (deploy, "codedeploy.amazonaws.com", "CreateDeployment",
             "AWS::CodeDeploy::DeploymentGroup", "bo-portal-prod", "codepipeline-bo"),
            (-12000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
             "rds-backup-automation")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    paths = ["/loans/{}/schedule", "/kyc/reviews?status=pending", "/customers/{}/documents",
             "/payments/exceptions", "/api/notes"]
    for k, i in enumerate(ids):
        def acc(t):
            p = r.choice(paths).format(r.randint(10 ** 6, 10 ** 7))
            rt = r.lognormvariate(-1.7, 0.5) + r.uniform(2, 30) * s(t) * (r.random() < 0.8)
            st = 504 if rt > 29.5 else (200 if r.random() > 0.01 else 500)
            return nginx(sc, t, f"10.70.{r.randint(1, 9)}.{r.randint(2, 250)}", "GET", p, st,
                         r.randint(800, 40000), min(rt, 30.0), ua="Mozilla/5.0 (Windows NT 10.0)")
        emit(sc, "/bo/nginx/access", i, const(3.0), acc)
        emit(sc, "/bo/php-fpm/slow", i, lambda t: 1.5 * s(t), lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child "
            f"{r.randint(1000, 9000)}, script '/var/www/bo/public/index.php' (request: \"GET "
            f"/index.php\") executing too slow ({r.uniform(5, 29):.6f} sec), logging"))
        lar = lambda t, lvl, msg: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{lvl}: {msg}"
        emit(sc, "/bo/laravel", i, const(0.4), lambda t: lar(
            t, "ERROR", "Swift_TransportException: Connection could not be established with host "
            "smtp-relay.internal :stream_socket_client(): unable to connect (Connection timed out)"),
            start=-21600)
        emit(sc, "/bo/laravel", i, lambda t: 1.0 * s(t), lambda t: lar(
            t, "WARNING", f"Slow query ({r.randint(4000, 28000)} ms): select * from `loan_schedules`"
            " where `loan_id` = ? order by `due_date` asc"))
        sc.log("/bo/laravel", i, deploy + 40 + k * 20, lar(deploy + 40 + k * 20, "INFO",
               "Deployment hook: cache cleared, config cached, 0 pending migrations"))
    sg, ss = f"/aws/rds/instance/{db}/slowquery", db
    emit(sc, sg, ss, const(0.15), lambda t: (
        f"# Time: {sc.iso(t, 6)}\n# User@Host: bo_app[bo_app] @  [10.70.{r.randint(1, 9)}.{r.randint(2, 250)}]  Id: "
        f"{r.randint(10 ** 5, 10 ** 6)}\n# Query_time: {r.uniform(2.0, 3.5):.6f}  Lock_time: 0.000004 "
        f"Rows_sent: 50  Rows_examined: {r.randint(200000, 400000)}\nSELECT * FROM kyc_review WHERE "
        "status='pending' ORDER BY created_at LIMIT 50;"), start=-21600)
    emit(sc, sg, ss, lambda t: 3.0 * (t >= onset), lambda t: (
        f"# Time: {sc.iso(t, 6)}\n# User@Host: bi_reader[bi_reader] @  [10.91.{r.randint(4, 6)}.{r.randint(2, 250)}]  Id: "
        f"{r.randint(10 ** 5, 10 ** 6)}\n# Query_time: {r.uniform(180, 900):.6f}  Lock_time: 0.000011 "
        f"Rows_sent: {r.randint(10 ** 5, 10 ** 6)}  Rows_examined: {r.randint(140_000_000, 220_000_000)}\n"
        "SELECT l.branch_id, p.product_code, DATE(e.posted_at) d, SUM(e.amount) FROM ledger_entries e "
        "JOIN loans l ON l.id = e.loan_id JOIN products p ON p.id = l.product_id GROUP BY 1,2,3;"),
        start=onset + 180)
    sc.expect = {"alarm": "bo-portal-elb-5xx",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(front="front (ALB; origin is the MySQL instance behind the PHP tier)",
                   services="ALB, EC2 (nginx + PHP-FPM/Laravel), RDS MySQL",
                   decoys="CodeDeploy release to the web tier 2 min after onset; SMTP errors all "
                          "day; an OK CPU alarm on a web host; the security-group change that let "
                          "the BI subnet in (context, not a fault)",
                   story=(
        f"From -34 min `{db}` CPU climbs to ~99 % and read latency to ~10 ms; the slow-query log "
        "shows `bi_reader` from the analytics subnet running multi-minute GROUP BY scans over "
        "~200 M rows, three at a time. The PHP-FPM workers wait on the database (web-host CPU "
        "actually drops), requests exceed the ALB's 30 s idle timeout and the ELB 504 alarm "
        "fires. The CodeDeploy release lands two minutes after the DB CPU started rising and only "
        "clears caches; the SMTP relay errors are there all day. The fault is a saturated "
        "database CPU."))
    return sc


def build14():
    sc = new(14, "statement-render-errors", "Statement rendering function errors during the "
             "month-end statement run.", "eu-south-1", "2026-04-01T03:10:00")
    fn, mailer = "stmt-pdf-render", "stmt-mailer"
    onset, code, cfg = -1880, -14600, -2150
    sc.resource("lambda", fn, runtime="dotnet8", timeout=300, memory_size=1024,
                trigger="SQS statements-render")
    sc.resource("lambda", mailer, runtime="dotnet8", timeout=60, memory_size=512)
    big = lambda t: 1.0 if t >= onset else 0.0
    inv = lambda t: 14 + 10 * ramp(t, -9000, -8000) + 4 * big(t)
    err = lambda t: inv(t) * 0.38 * big(t)
    lam = lambda_pack(sc, fn, inv, err, lambda t: 4200 + 3100 * big(t))
    lambda_pack(sc, mailer, lambda t: 20 + 10 * ramp(t, -9000, -8000), const(0.0), const(640.0))
    sc.alarm("stmt-pdf-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300,
             1, 10, "GreaterThanThreshold", "Statement renderer failures")
    for t, src, ev, rt, name, user in [
            (code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             fn, "azdo-statements"),
            (code + 20, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             fn, "azdo-statements"),
            (cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", mailer, "ops-mrossi"),
            (onset - 70, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue",
             "statements-notify", "ops-mrossi")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng

    def body(ll, t, rid, is_err, cold):
        corp = t >= onset and (is_err or r.random() < 0.3)
        acct = f"IT{r.randint(10, 99)}X0{r.randint(10 ** 9, 10 ** 10)}"
        tx = r.randint(18000, 160000) if corp else r.randint(20, 900)
        lines = [(0.02, ll.fmt(t, rid, "INFO", f"Rendering statement {acct} period=2026-03 "
                               f"segment={'CORPORATE' if corp else 'RETAIL'} transactions={tx}"))]
        if r.random() < 0.05:
            lines.append((0.5, ll.fmt(t, rid, "WARN", "Font 'Titillium Web' missing glyph U+20BF; "
                                      "falling back to DejaVu Sans")))
        if is_err:
            d = r.uniform(9000, 40000)
            lines.append((d / 1000 - 2, ll.fmt(t + d / 1000 - 2, rid, "INFO", f"Laid out "
                          f"{int(tx * 0.7):,} rows across {tx // 38:,} pages; building PDF object graph")))
            lines.append((d / 1000 + 0.02, "Error: Runtime exited with error: signal: killed"))
            lines.append((d / 1000 + 0.03, "Runtime.ExitError"))
            return {"dur": d, "status": "error", "error_type": "Runtime.OutOfMemory",
                    "mem": 1024, "lines": lines}
        d = r.gauss(4200 + (tx / 20 if corp else 0), 500)
        lines.append((d / 1000 - 0.1, ll.fmt(t + d / 1000, rid, "INFO",
                      f"Uploaded s3://nb-statements-prod/2026-03/{acct}.pdf ({tx // 38 + 1} pages)")))
        return {"dur": d, "lines": lines,
                "mem": int(min(1010, r.gauss(380, 40) + (tx / 250 if corp else 0)))}
    lambda_logs(sc, fn, "dotnet8", 1024, 300, lam["inv"], lam["err"], body, per_min=2.5,
                err_cap=3, retire=[code + 20])

    def mbody(ll, t, rid, is_err, cold):
        return {"dur": r.gauss(640, 60), "lines": [(0.3, ll.fmt(
            t, rid, "INFO", f"Queued e-statement notice for {r.randint(10 ** 6, 10 ** 7)} via SES"))]}
    lambda_logs(sc, mailer, "dotnet8", 512, 60, [25.0] * 360, [0.0] * 360, mbody, per_min=1.0,
                retire=[cfg])
    sc.expect = {"alarm": "stmt-pdf-render-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (.NET 8), SQS",
                   decoys=f"`{fn}` code deploy 4 h earlier; configuration update of `{mailer}` 4.5 "
                          "min before onset; queue-attribute change 70 s before onset; font "
                          "warnings all night",
                   story=(
        "At -31 min the statement run reaches the corporate segment (18k-160k transactions per "
        f"statement). `{fn}` invocations for those accounts end with `Runtime exited with error: "
        "signal: killed` and REPORT lines showing `Max Memory Used: 1024 MB` of 1024 MB and "
        "`Error Type: Runtime.OutOfMemory`; retail statements keep succeeding at ~380 MB. The "
        "function was deployed four hours earlier and rendered cleanly since; the mailer's "
        "configuration update and the notification queue's attribute change belong to the mailer "
        "path, not the renderer."))
    return sc


BUILDERS = [build13, build14]
