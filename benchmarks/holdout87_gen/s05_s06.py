"""h87-05 (acknowledgement ingest Lambda failing: its MySQL instance is out of connections) and
h87-06 (one Tomcat forms instance pinned at 100 % CPU behind the forms ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from . import kit
from .kit import LAST3H, emit, every, log4j, tomcat_access


def build_05():
    sc = kit.make(5, "ack-ingest-errors",
                  "Clearing-house acknowledgement ingest failing; filers' statuses stuck at 'Transmitted'. "
                  "ack-ingest Errors alarm.", "us-west-1", "2027-04-15T04:50:00+00:00")
    rng = sc.rng
    db, fn, other = "ack-ledger-db", "ack-ingest", "refund-status-sync"
    limit = 420
    climb, full = -3300, -2160
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m5.large",
                max_connections=limit, allocated_storage_gb=500)
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512)
    sc.resource("lambda", other, runtime="python3.11", timeout=30, memory_size=256)

    conns = lambda t: min(limit, 150 + (limit - 150) * ramp(t, climb, full) + 6 * diurnal(sc, t, 4.0))
    at_limit = lambda t: ramp(t, full - 120, full + 60)
    load = lambda t: 260 * diurnal(sc, t, 4.0, 0.2)
    err = lambda t: 0.6 + load(t) * 0.55 * at_limit(t)
    kit.rds_metrics(sc, db, lambda t: 48 + 9 * ramp(t, climb, full), lambda t: conns(t) - 2 * at_limit(t),
                    lambda t: 310.0 - (t + 21600) / 21600 * 0.8, freemem_gb=lambda t: 2.4 - 0.5 * ramp(t, climb, full))
    lm = kit.lambda_metrics(sc, fn, load, lambda t: 420 + 900 * ramp(t, climb, full) - 500 * at_limit(t), err)
    kit.lambda_metrics(sc, other, lambda t: 40 * diurnal(sc, t, 4.0), lambda t: 310 + 200 * at_limit(t),
                       lambda t: 6 * at_limit(t))

    sc.alarm("ack-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Ack ingest: invocation errors")
    sc.alarm("ack-ledger-db-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 1, 380, "GreaterThanThreshold")
    sc.alarm("ack-ledger-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average",
             300, 3, 80, "GreaterThanThreshold")
    sc.alarm("refund-status-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")

    sc.change(-16800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup-efile")
    sc.change(-2040, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "chg-CHG0042377-jwu")

    host = f"{db}.c{sc.hexid(10)}.us-west-1.rds.amazonaws.com"
    ll = LambdaLogs(sc, fn, "python3.11", 512, 60, mem_used=(96, 6))

    def body(l, t, rid, is_err, cold):
        batch = f"ACK-{sc.at(t).strftime('%Y%m%d')}-{rng.randint(10000, 99999)}"
        if is_err and t < full - 120:
            return {"dur": rng.uniform(200, 400), "lines": [
                (0.01, "[ERROR] KeyError: 'SubmissionId'\n" + kit.pytrace(
                    "KeyError: 'SubmissionId'", [("/var/task/ack/parse.py", 44, "record", "sid = node['SubmissionId']")]))]}
        if is_err:
            exc = "pymysql.err.OperationalError: (1040, 'Too many connections')"
            tb = kit.pytrace(exc, [("/var/task/ack/handler.py", 23, "handler", "conn = db.connect()"),
                                   ("/var/task/ack/db.py", 31, "connect", "return pymysql.connect(host=HOST, user=USER, password=pw(), database='acks', connect_timeout=5)"),
                                   ("/opt/python/pymysql/connections.py", 361, "__init__", "self.connect()")])
            return {"dur": rng.uniform(15, 60), "lines": [
                (0.003, l.fmt(t, rid, "INFO", f"received batch {batch} records={rng.randint(50, 400)}")),
                (0.01, f"[ERROR] OperationalError: (1040, 'Too many connections')\n{tb}")]}
        lines = [(0.003, l.fmt(t, rid, "INFO", f"received batch {batch} records={rng.randint(50, 400)}"))]
        if rng.random() < 0.3:
            lines.append((0.05, l.fmt(t + 0.05, rid, "WARNING",
                                      f"duplicate acknowledgement for SUB-{rng.randint(10**9, 10**10 - 1)} ignored (already ACCEPTED)")))
        lines.append((0.35, l.fmt(t + 0.35, rid, "INFO", f"batch {batch} applied: accepted={rng.randint(40, 380)} rejected={rng.randint(0, 9)}")))
        return {"dur": rng.uniform(300, 700), "lines": lines}

    si, se = kit.thin(lm["inv"], lm["err"], LAST3H, 4)
    ll.run(si, se, body)
    elog, estream = f"/aws/rds/instance/{db}/error", f"{db}"
    emit(sc, elog, estream, LAST3H, 0, lambda t: 0.6,
         lambda t: mysql(sc, t, rng.randint(80000, 99000), "Note", "MY-010914",
                         f"Aborted connection {rng.randint(80000, 99000)} to db: 'acks' user: 'ack_app' host: "
                         f"'10.40.{rng.randint(1, 3)}.{rng.randint(10, 250)}' (Got timeout reading communication packets)."))
    emit(sc, elog, estream, LAST3H, 0, lambda t: 0.3,
         lambda t: mysql(sc, t, 0, "Warning", "MY-010055",
                         f"IP address '10.40.{rng.randint(1, 3)}.{rng.randint(10, 250)}' could not be resolved: Name or service not known"))
    every(sc, f"/aws/lambda/{other}", "2027/04/15/[$LATEST]" + sc.hexid(32), LAST3H, 0, 90,
          lambda t: f"[INFO]\t{sc.iso(t)}\t{sc.uuid()}\tsynced {rng.randint(10, 60)} refund statuses from {host}"
          if t < full or rng.random() < 0.4 else
          "[ERROR] OperationalError: (1040, 'Too many connections')\n" + kit.pytrace(
              "pymysql.err.OperationalError: (1040, 'Too many connections')",
              [("/var/task/sync.py", 18, "handler", "with pymysql.connect(**DSN) as conn:")]))

    sc.expect["alarm"] = "ack-ingest-errors"
    kit.meta(sc, "db_connection_exhaustion", [db], "front (calling Lambda)",
             "configuration change to refund-status-sync 2 min after the limit was reached; KeyError on malformed acks and MySQL aborted-connection/DNS notes at a steady rate",
             "ack-ingest's Errors alarm. ack-ledger-db's DatabaseConnections climbs from ~150 for twenty "
             "minutes and flattens at its max_connections of 420; from then ack-ingest fails with "
             "`pymysql.err.OperationalError: (1040, 'Too many connections')` and the MySQL error log "
             "shows no other new signature. The handful of `KeyError: 'SubmissionId'` errors were "
             "there all along, and refund-status-sync's configuration change comes after the limit was "
             "hit (its few errors are the same DB refusals).",
             judgement="Why the connections piled up is not visible (traffic is flat); the origin is labelled the "
                       "database that ran out of connections, as in the public example.",
             services="RDS MySQL, Lambda (Python)")
    return sc


def build_06():
    sc = kit.make(6, "forms-latency",
                  "Interactive 1040 form pages loading slowly (10+ s) for part of the users; ALB "
                  "response-time alarm.", "us-east-2", "2027-04-14T21:10:00+00:00")
    rng = sc.rng
    alb = kit.alb_id(sc, "efile-forms-alb")
    iids = [kit.instance_id(sc) for _ in range(3)]
    hot = iids[1]
    onset = -2580
    sc.resource("alb", alb, name="efile-forms-alb", scheme="internet-facing")
    for i, iid in enumerate(iids):
        sc.resource("ec2", iid, name=f"forms-tc-{i + 1:02d}", instance_type="c5.2xlarge",
                    log_groups=["/efile/forms/catalina", "/efile/forms/access"])
    sc.resource("lambda", "pdf-1040-render", runtime="java21", timeout=60, memory_size=2048)

    load = lambda t: 2100 * diurnal(sc, t, 20.0, 0.3)
    pin = lambda t: ramp(t, onset, onset + 180)
    kit.alb_metrics(sc, alb, load, lambda t: 0.18 + 2.9 * pin(t), t5=lambda t: 0.5 + 9 * pin(t),
                    healthy=lambda t: 3.0, t4=lambda t: load(t) * 0.02)
    for iid in iids:
        if iid == hot:
            cpu = lambda t: 31 * diurnal(sc, t, 20.0, 0.2) + (99.3 - 31 * diurnal(sc, t, 20.0, 0.2)) * pin(t)
        elif iid == iids[2]:
            cpu = lambda t: 31 * diurnal(sc, t, 20.0, 0.2) + bump(t, -9400, -8300, 52.0, 240)
        else:
            cpu = lambda t: 31 * diurnal(sc, t, 20.0, 0.2)
        kit.ec2_metrics(sc, iid, cpu, lambda t: 63.0 + 2 * (iid == hot) * pin(t), lambda t: 38.0,
                        net=lambda t: load(t) / 3 * 5200)
    kit.lambda_metrics(sc, "pdf-1040-render", lambda t: 70 * diurnal(sc, t, 20.0), lambda t: 5200.0)

    sc.alarm("efile-forms-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": alb},
             "Average", 60, 5, 1.0, "GreaterThanThreshold", "Forms ALB average target response time > 1 s")
    sc.alarm("efile-forms-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 25, "GreaterThanThreshold")
    sc.alarm("forms-tc-03-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": iids[2]}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.alarm("pdf-1040-render-errors", "AWS/Lambda", "Errors", {"FunctionName": "pdf-1040-render"}, "Sum",
             60, 3, 5, "GreaterThanThreshold")

    sc.change(-12600, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline",
              "patch-manager-efile")
    sc.change(-2460, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "pdf-1040-render", "svc-forms-pipeline")
    sc.change(-2450, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "pdf-1040-render", "svc-forms-pipeline")

    pages = ["/forms/1040/step/income", "/forms/1040/step/deductions", "/forms/1040/step/credits",
             "/forms/sched-c/expenses", "/forms/1040/review", "/forms/static/app.js"]
    for n, iid in enumerate(iids):
        is_hot = iid == hot

        def acc(t):
            p = rng.choice(pages)
            slow = is_hot and t >= onset + 60
            ms = rng.lognormvariate(4.6, 0.5) if not slow else rng.uniform(4000, 14000)
            st = 200 if not (slow and rng.random() < 0.012) else 503
            th = f"http-nio-8080-exec-{rng.randint(1, 200)}"
            return tomcat_access(sc, t, kit.IP(sc), "POST" if "step" in p else "GET", p, st,
                                 rng.randint(3000, 90000), ms, th)

        emit(sc, "/efile/forms/access", iid, LAST3H, 0, lambda t: 6, acc)
        emit(sc, "/efile/forms/catalina", iid, LAST3H, 0, lambda t: 0.8,
             lambda t: log4j(sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 200)}",
                             "gov.efile.forms.validation.TinValidator",
                             f"TIN checksum failed for dependent #{rng.randint(1, 4)}; prompting user to re-enter"))
        emit(sc, "/efile/forms/catalina", iid, LAST3H, 0, lambda t: 0.25,
             lambda t: log4j(sc, t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 200)}",
                             "gov.efile.forms.session.SessionStore",
                             "Session expired before save; redirecting to /forms/login?reason=timeout"))
        every(sc, "/efile/forms/catalina", iid, LAST3H, 0, 600,
              lambda t: log4j(sc, t, "INFO", "pool-2-thread-1", "gov.efile.forms.health.Heartbeat",
                              f"heap used={rng.randint(900, 1300)}MB/4096MB threads busy={rng.randint(8, 30)}/200"
                              if not (is_hot and t > onset) else
                              f"heap used={rng.randint(1200, 1500)}MB/4096MB threads busy={rng.randint(170, 200)}/200"))
        if is_hot:
            every(sc, "/efile/forms/catalina", iid, onset + 75, 0, 45,
                  lambda t: log4j(sc, t, "WARN", "ContainerBackgroundProcessor[StandardEngine[Catalina]]",
                                  "org.apache.catalina.valves.StuckThreadDetectionValve",
                                  f"Thread [http-nio-8080-exec-{rng.randint(1, 200)}] (id=[{rng.randint(40, 260)}]) has been active "
                                  f"for [{rng.randint(60100, 64000):,}] milliseconds to serve the same request for "
                                  "[https://forms.efile.example.gov/forms/sched-c/expenses] and may be stuck (configured "
                                  f"threshold for this StuckThreadDetectionValve is [60] seconds). There is/are "
                                  f"[{rng.randint(12, 40)}] thread(s) in total that are monitored by this Valve and may be stuck.\n"
                                  "\tat java.base/java.util.regex.Pattern$Loop.match(Pattern.java:5051)\n"
                                  "\tat java.base/java.util.regex.Pattern$GroupTail.match(Pattern.java:4903)\n"
                                  "\tat gov.efile.forms.validation.BusinessCodeNormalizer.normalize(BusinessCodeNormalizer.java:77)"))

    sc.expect["alarm"] = "efile-forms-alb-latency"
    kit.meta(sc, "cpu_saturation", [hot, "forms-tc-02"], "front (ALB)",
             "pdf-1040-render deploy 2 min after onset; forms-tc-03's nightly CPU bump 2.5 h earlier (its own CPU alarm); TIN-checksum WARNs and session-expired ERRORs on every instance for hours",
             "The forms ALB's response-time alarm. Request volume follows its usual evening curve; one "
             "target, forms-tc-02, goes from ~30 % to a flat 99 % CPU at -43 min, and only its access "
             "log shows 4-14 s responses, with its busy threads at 170-200/200 and Tomcat's "
             "StuckThreadDetectionValve reporting request threads stuck in regex matching. The other two "
             "instances serve normally. The Lambda deploy and the earlier CPU bump on forms-tc-03 are "
             "unrelated.",
             judgement="The stuck threads sit in a regex (a pathological input is the likely trigger), but "
                       "there is no exception and no change: the evidence is a pinned CPU with latency following, "
                       "so cpu_saturation on that instance.",
             services="ALB, EC2 (Java/Tomcat, log4j + access log), Lambda")
    return sc


BUILDERS = [build_05, build_06]
