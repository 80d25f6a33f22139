"""h75-03 (a MySQL parameter-group change in a night change window breaks ledger postings behind
an internal ALB) and h75-04 (a security-baseline IAM rewrite removes kms:Decrypt from the
reconciliation function's role)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import mysql, spring
from .common75 import (alb_pack, biz, const, ecs_pack, emit, every, lambda_logs, lambda_pack, new,
                       rds_pack, stacktrace_java, tid)


def build03():
    sc = new(3, "ledger-posting-5xx", "Internal ledger ALB returning 5XX to the posting clients "
             "during the Saturday change window.", "us-east-1", "2026-03-14T02:20:00")
    lb = "app/ledger-int/7f3c9e21ab04d5e6"
    cl, svc, other, db, pgrp = "ledger", "posting-api", "fx-feed", "ledger-my-03", "ledger-my80-params"
    deploy_self, change, decoy, onset = -2700, -1980, -1930, -1900
    sc.resource("alb", lb, name="ledger-int", scheme="internal", target_groups=["tg-posting-api"])
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, image="posting-api:2026.03.13-2")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.2xlarge",
                max_connections=2000, allocated_storage_gb=1200, parameter_group=pgrp,
                multi_az=True)
    req = biz(sc, 520, peak=13.0, amp=0.4)
    share = lambda t: 0.2 * ramp(t, onset, onset + 240)
    alb_pack(sc, lb, req, lambda t: 0.15 + req(t) * share(t),
                   lambda t: 0.085 + 0.02 * ramp(t, onset, onset + 300), 4)
    ecs_pack(sc, cl, svc, lambda t: 27 + bump(t, deploy_self, deploy_self + 240, 18), const(58.0),
             lambda t: 4 + 4 * (deploy_self <= t < deploy_self + 300))
    ecs_pack(sc, cl, other, lambda t: 12 + bump(t, decoy, decoy + 200, 25), const(44.0),
             lambda t: 2 + 2 * (decoy <= t < decoy + 240))
    rds_pack(sc, db, lambda t: 19 + bump(t, -14400, -13200, 35), const(124.0), const(702.0),
             const(27.5), read_ms=const(0.8), write_ms=const(1.9), iops=const(610.0))
    sc.alarm("ledger-int-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Ledger internal ALB target 5XX")
    sc.alarm("ledger-my-03-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 85, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-14500, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
             "dba-change-window"),
            (deploy_self - 20, "ecs.amazonaws.com", "RegisterTaskDefinition",
             "AWS::ECS::TaskDefinition", "posting-api:418", "codepipeline-ledger"),
            (deploy_self, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
             "codepipeline-ledger"),
            (change, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
             pgrp, "dba-change-window"),
            (decoy - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "fx-feed:77", "codepipeline-ledger"),
            (decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
             "codepipeline-ledger")]:
        sc.change(t, src, ev, rt, name, user)
    app = "posting-api"
    group = f"/ecs/{svc}"
    streams = {"old": [f"ecs/{svc}/{tid(sc)}" for _ in range(4)],
               "new": [f"ecs/{svc}/{tid(sc)}" for _ in range(4)]}
    pick = lambda t: sc.rng.choice(streams["new" if t >= deploy_self + 150 else "old"])
    r = sc.rng
    for s in streams["new"]:
        sc.log(group, s, deploy_self + r.uniform(40, 70), spring(
            sc, deploy_self + 60, "INFO", "main", "c.n.ledger.PostingApiApplication",
            f"Started PostingApiApplication in {r.uniform(11, 16):.3f} seconds (process running "
            f"for {r.uniform(13, 18):.3f})", app))

    def ok(t):
        return spring(sc, t, "INFO", f"http-nio-8080-exec-{r.randint(1, 40)}",
                      "c.n.ledger.posting.JournalService", f"Posted journal JE-{r.randint(10 ** 7, 10 ** 8)}"
                      f" lines={r.choice([2, 2, 4, 6])} book=USD-GL value_date=2026-03-13 in "
                      f"{r.randint(18, 70)} ms", app)

    def slow(t):
        return spring(sc, t, "WARN", f"http-nio-8080-exec-{r.randint(1, 40)}",
                      "com.zaxxer.hikari.pool.PoolBase", "HikariPool-1 - Failed to validate "
                      "connection com.mysql.cj.jdbc.ConnectionImpl@" + sc.hexid(8) +
                      " (No operations allowed after connection closed.). Possibly consider using "
                      "a shorter maxLifetime value.", app)
    msg = ("Expression #3 of SELECT list is not in GROUP BY clause and contains nonaggregated "
           "column 'ledger.jl.value_date' which is not functionally dependent on columns in GROUP "
           "BY clause; this is incompatible with sql_mode=only_full_group_by")

    def bad(t):
        th = f"http-nio-8080-exec-{r.randint(1, 40)}"
        if r.random() < 0.5:
            return spring(sc, t, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper", msg, app)
        return spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] "
                      "threw exception [Request processing failed: org.springframework.orm.jpa."
                      "JpaSystemException: could not execute query] with root cause\n" +
                      stacktrace_java("java.sql.SQLSyntaxErrorException", msg, [
                          "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:121)",
                          "com.mysql.cj.jdbc.ClientPreparedStatement.executeQuery(ClientPreparedStatement.java:1009)",
                          "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java:52)",
                          "c.n.ledger.posting.BalanceRepository.openingBalances(BalanceRepository.java:88)"]), app)
    for rate, fn in [(const(3.0), ok), (const(0.35), slow),
                     (lambda t: 3.5 * ramp(t, onset, onset + 300), bad)]:
        emit(sc, group, pick, rate, fn)
    fgroup = f"/ecs/{other}"
    fs = [f"ecs/{other}/{tid(sc)}" for _ in range(2)]
    emit(sc, fgroup, fs[0], const(1.0), lambda t: (
        f'{{"ts":"{sc.iso(t)}","level":"info","msg":"rates refreshed","pairs":{r.randint(38, 44)},'
        f'"source":"refinitiv","age_ms":{r.randint(200, 900)}}}'), end=decoy + 60)
    emit(sc, fgroup, fs[1], const(1.0), lambda t: (
        f'{{"ts":"{sc.iso(t)}","level":"info","msg":"rates refreshed","pairs":{r.randint(38, 44)},'
        f'"source":"refinitiv","age_ms":{r.randint(200, 900)}}}'), start=decoy + 60)
    eg, es = f"/aws/rds/instance/{db}/error", db
    emit(sc, eg, es, const(0.25), lambda t: mysql(
        sc, t, r.randint(40000, 90000), "Note", "MY-010914", f"Aborted connection {r.randint(10 ** 5, 10 ** 6)} "
        f"to db: 'ledger' user: 'posting' host: '10.20.{r.randint(1, 30)}.{r.randint(2, 250)}' "
        "(Got timeout reading communication packets).", "Server"), start=-21600)
    every(sc, eg, es, 3600, lambda t: mysql(sc, t, 0, "Note", "MY-010733",
          "Binlog file rotated: mysql-bin-changelog." + str(r.randint(180000, 190000)), "Repl"),
          start=-21600, offset=1300)
    sc.expect = {"alarm": "ledger-int-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [db, pgrp]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="front (ALB; origin is the DB's parameter group)",
                   services="ALB, ECS Fargate (Java Spring), RDS MySQL",
                   decoys=f"`{other}` rolled out 30 s before onset (after the parameter change); `{svc}` itself deployed 45 min "
                          "earlier; Hikari validation warnings all night; a DB CPU bump 4 h earlier",
                   story=(
        "In the Saturday change window the DBA modifies the DB parameter group "
        f"`{pgrp}` used by `{db}` at -33 min. Over the next five minutes, as Hikari recycles "
        f"connections, `{svc}` starts failing with `SQLSyntaxErrorException ... incompatible with "
        "sql_mode=only_full_group_by` and the ALB's target 5XX rises to ~20 % of requests. The "
        f"`{other}` roll-out 50 s later is closer to the alarm but that service logs normally "
        f"and `{svc}` is never named in its errors; the `{svc}` deployment 45 min earlier ran "
        "clean for twelve minutes. The error names the setting that changed."))
    return sc


def build04():
    sc = new(4, "settlement-recon-errors", "Card settlement reconciliation function erroring on "
             "every scheme file since late evening.", "ap-southeast-2", "2026-03-05T22:50:00")
    fn, parser, db, role = "recon-matcher", "swift-mt940-parser", "recon-store-1", "recon-matcher-exec"
    iam, onset, decoy = -1700, -1690, -1650
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1536, role=role,
                trigger="s3:ObjectCreated settlement-inbound-prod")
    sc.resource("lambda", parser, runtime="python3.12", timeout=60, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=300)
    inv = lambda t: 18 + 4 * bump(t, -7200, -6000, 1.0)
    share = lambda t: 0.72 * (t >= onset)
    base_err = 0.25
    lam = lambda_pack(sc, fn, inv, lambda t: base_err + inv(t) * share(t),
                      lambda t: 2300 - 1900 * (t >= onset))
    lambda_pack(sc, parser, const(6.0), const(0.0), const(850.0))
    rds_pack(sc, db, lambda t: 14 - 6 * (t >= onset), const(36.0), const(214.0), const(3.2),
             iops=lambda t: 310 - 220 * (t >= onset))
    sc.alarm("recon-matcher-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1,
             10, "GreaterThanThreshold", "Settlement reconciliation errors")
    sc.alarm("recon-store-1-write-iops-low", "AWS/RDS", "WriteIOPS", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 150, "LessThanThreshold", "Reconciliation writes stalled")
    for t, src, ev, rt, name, user in [
            (-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             fn, "github-actions-recon"),
            (iam - 40, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", role,
             "terraform-sec-baseline"),
            (iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role,
             "terraform-sec-baseline"),
            (iam + 20, "iam.amazonaws.com", "TagRole", "AWS::IAM::Role", role,
             "terraform-sec-baseline"),
            (decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             parser, "github-actions-recon"),
            (decoy + 25, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             "AWS::Lambda::Function", parser, "github-actions-recon")]:
        sc.change(t, src, ev, rt, name, user)
    acct, key = sc.account, sc.uuid()
    denied = (f"An error occurred (AccessDenied) when calling the GetObject operation: User: "
              f"arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: "
              f"kms:Decrypt on resource: arn:aws:kms:ap-southeast-2:{acct}:key/{key} because no "
              "identity-based policy allows the kms:Decrypt action")
    r = sc.rng

    def body(ll, t, rid, is_err, cold):
        scheme = r.choice(["VISA", "MC", "MC", "AMEX", "EFTPOS"])
        obj = f"inbound/{scheme}/2026-03-05/SETTLE_{scheme}_{r.randint(1000, 9999)}.csv"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"processing s3://settlement-inbound-prod/{obj}"))]
        if is_err:
            if t >= onset and r.random() > 0.04:
                tb = (f"ClientError: {denied}\nTraceback (most recent call last):\n"
                      '  File "/var/task/recon/handler.py", line 38, in handler\n'
                      "    body = s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
                      '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line '
                      "1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)"
                      f"\nbotocore.exceptions.ClientError: {denied}")
            else:
                tb = ("ClientError: An error occurred (NoSuchKey) when calling the GetObject "
                      "operation: The specified key does not exist.\nTraceback (most recent call "
                      'last):\n  File "/var/task/recon/handler.py", line 38, in handler\n'
                      "    body = s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
                      "botocore.errorfactory.NoSuchKey: An error occurred (NoSuchKey) when calling "
                      "the GetObject operation: The specified key does not exist.")
            lines.append((0.09, f"[ERROR] {tb}"))
            return {"dur": r.uniform(70, 160), "lines": lines}
        n = r.randint(800, 6000)
        brk = r.randint(0, 4)
        if brk:
            lines.append((1.2, ll.fmt(t, rid, "WARNING", f"{brk} unmatched item(s) moved to "
                                      "recon-exceptions queue (amount mismatch)")))
        lines.append((2.1, ll.fmt(t, rid, "INFO", f"matched {n - brk}/{n} records against ledger "
                                  f"batch B{r.randint(10 ** 5, 10 ** 6)}")))
        return {"dur": r.gauss(2300, 300), "lines": lines}

    lambda_logs(sc, fn, "python3.12", 1536, 120, lam["inv"], lam["err"], body, per_min=2.5,
                epochs=[(-10 ** 9, "$LATEST")], retire=[-9000])

    def pbody(ll, t, rid, is_err, cold):
        return {"dur": r.gauss(850, 90), "lines": [(0.3, ll.fmt(
            t, rid, "INFO", f"parsed MT940 statement :20:{r.randint(10 ** 8, 10 ** 9)} entries="
            f"{r.randint(20, 300)}"))]}
    lambda_logs(sc, parser, "python3.12", 512, 60, [6.0] * 360, [0.0] * 360, pbody, per_min=1.0,
                retire=[decoy + 25])
    sc.expect = {"alarm": "recon-matcher-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Python 3.12), RDS PostgreSQL, IAM",
                   decoys=f"code + config update of `{parser}` 40 s after onset; `{fn}`'s own "
                          "deploy 2.5 h earlier; NoSuchKey errors all evening; a second alarm on "
                          "the reconciliation DB's write IOPS",
                   story=(
        f"The security baseline pipeline rewrites the inline policy of `{role}` (DeleteRolePolicy "
        "+ PutRolePolicy) at -28 min. From the next invocation `recon-matcher` fails with "
        "`AccessDenied ... not authorized to perform: kms:Decrypt` on every scheme file, so "
        f"Errors jump from a steady ~0.25/min (old NoSuchKey) to ~13/min and the reconciliation "
        f"DB's writes drop, which trips its low-IOPS alarm as a consequence. The parser release "
        "lands 40 s after onset and logs nothing unusual; the function's own release 2.5 h "
        "earlier ran clean."))
    return sc


BUILDERS = [build03, build04]
