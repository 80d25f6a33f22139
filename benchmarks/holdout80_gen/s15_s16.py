"""h80-15 (.NET HL7 router on EC2 denied SQS after an instance-role edit) and h80-16 (encounter sync
Lambda refused by a clinical PostgreSQL that an instance scheduler stopped)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, serilog

from .kit import (GRID, LOG_START, bump, ec2_metrics, ecs_metrics, emit, expect, iid, lam_metrics, meta, new, pick,
                  put, ramp, rds_metrics)

FEEDS = [("ADT^A01", "EPIC"), ("ADT^A03", "EPIC"), ("ORU^R01", "LABCORP"), ("ORM^O01", "RIS"), ("MDM^T02", "TRANSCR")]


def build_15():
    sc = new(15, "hl7-router-outbound-failures", "HL7 router outbound failures alarm; downstream systems "
             "missing ADT and results.", "ap-northeast-1", "2026-02-09T00:40:00+00:00")
    t0 = -2220
    rtr, pacs = iid(sc), iid(sc)
    role = "hl7-router-instance"
    fn = "adt-fanout-consumer"
    acct = sc.account
    sc.resource("ec2", rtr, name="ie-router-1", instance_type="m6i.large", platform="Windows Server 2022",
                app="HL7 router (.NET 8 worker service)", instance_profile=role,
                log_groups=["/hl7/router/app"])
    sc.resource("ec2", pacs, name="pacs-gw-1", instance_type="c6i.large", app="DICOM gateway")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=512, trigger="SQS adt-fanout")
    d = {"InstanceId": rtr}
    put(sc, "HL7Router", "MessagesRouted", d, "Count", lambda t: 48.0 if t < t0 else 9.0, integer=True)
    put(sc, "HL7Router", "OutboundFailures", d, "Count", lambda t: 0.15 + 38 * (t >= t0), integer=True)
    ec2_metrics(sc, rtr, cpu=lambda t: 14 + 30 * bump(t, -12600, -12000, 1.0), mem=lambda t: 57.0,
                disk=lambda t: 44.0, fstype="NTFS", path="C:")
    ec2_metrics(sc, pacs, cpu=lambda t: 33.0, mem=lambda t: 40.0)
    lam = lam_metrics(sc, fn, lambda t: 30.0 if t < t0 else 4.0, dur=lambda t: 95.0)
    grp = "/hl7/router/app"
    queue = f"https://sqs.ap-northeast-1.amazonaws.com/{acct}/adt-fanout"

    def route(t):
        mt, src = pick(sc, FEEDS)
        ctl = f"{src[:2]}{sc.rng.randint(10**6, 10**7)}"
        sqs_bound = mt.startswith(("ADT", "ORU"))
        if t >= t0 and sqs_bound:
            sc.log(grp, rtr, t, serilog(sc, t, "ERR", "Healthnet.Hl7Router.Outbound.SqsPublisher",
                   f"Publish of {mt} {ctl} to {queue} failed: Amazon.SQS.AmazonSQSException: User: arn:aws:sts::"
                   f"{acct}:assumed-role/{role}/{rtr} is not authorized to perform: sqs:SendMessage on resource: "
                   f"arn:aws:sqs:ap-northeast-1:{acct}:adt-fanout because no identity-based policy allows the "
                   "sqs:SendMessage action\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception "
                   "of type 'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n   at Amazon."
                   "Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)"))
            sc.log(grp, rtr, t + 0.003, serilog(sc, t + 0.003, "WRN", "Healthnet.Hl7Router.Outbound.RetryQueue",
                   f"{ctl} parked in local retry store (attempt 1/10)"))
            return
        sc.log(grp, rtr, t, serilog(sc, t, "INF", "Healthnet.Hl7Router.Routing.Router",
               f"Routed {mt} {ctl} from {src} to {'sqs:adt-fanout' if sqs_bound else 'mllp:ris-01:2575'} in "
               f"{sc.rng.randint(2, 40)} ms"))

    emit(sc, lambda t: 3.5, route)
    emit(sc, lambda t: 0.5, lambda t: sc.log(grp, rtr, t, serilog(
        sc, t, "WRN", "Healthnet.Hl7Router.Routing.FacilityMap", "MSH-4 sending facility 'LABX^2.16.840.1.113883."
        "3.7771' not mapped; routed to default channel")))
    emit(sc, lambda t: 0.3, lambda t: sc.log(grp, rtr, t, serilog(
        sc, t, "ERR", "Healthnet.Hl7Router.Outbound.MllpSender", f"RIS returned ACK AR for ORM^O01 "
        f"RI{sc.rng.randint(10**6, 10**7)}: ERR|^^^207&Application internal error&HL70357")))
    ll = LambdaLogs(sc, fn, "dotnet8", 512, 30, mem_used=(120, 8))
    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= -7200}, {}, lambda ll, t, r, e, c: {
        "lines": [(0.01, ll.fmt(t, r, "INFO", f"fan-out ADT {sc.rng.randint(10**6, 10**7)} to 3 subscribers"))],
        "dur": sc.rng.gauss(95, 15)})
    sc.change(t0 - 150, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "AWSReservedSSO_CloudOps/"
              "h.sato")
    sc.change(t0 - 40, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-pacs-gw (pacs-gw-1)", "AWSReservedSSO_CloudOps/h.sato")
    sc.change(-15500, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline",
              "patch-manager")
    sc.alarm("hl7-router-outbound-failures", "HL7Router", "OutboundFailures", d, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "HL7 router failed outbound deliveries")
    expect(sc, "hl7-router-outbound-failures", "permission_denied", [rtr, "ie-router-1", role],
           [{"namespace": "HL7Router", "name": "OutboundFailures", "dimensions": d}])
    meta(sc, "origin (custom metric on the router instance)",
         "security-group ingress change 40 s before onset; RIS ACK-AR ERRORs and unmapped-facility WARNs all "
         "night; CPU spike 2.9 h and patching command 3.7 h earlier",
         "The router's OutboundFailures metric jumps to ~38 per minute and MessagesRouted drops. Every failure "
         "is an ADT or ORU publish to the adt-fanout SQS queue, rejected with `AmazonSQSException: User: "
         "...assumed-role/hl7-router-instance/... is not authorized to perform: sqs:SendMessage ... because no "
         "identity-based policy allows`; MLLP deliveries to the RIS keep working. 2.5 minutes before onset an "
         "operator replaced an inline policy on the router's instance role (PutRolePolicy). The security-group "
         "ingress rule 40 s before onset is on the PACS gateway, and a network change would show timeouts, not "
         "AccessDenied; the RIS `ACK AR` ERRORs and the unmapped-facility WARNs are there at the same rate all "
         "night. The fan-out consumer Lambda simply receives fewer messages.",
         judgement="15: the alarm is on the router's own custom metric, so alarm and origin coincide; the IAM "
                   "role is accepted as an alternative name for the origin.",
         services="EC2 Windows .NET 8 worker (Serilog), custom CloudWatch metrics, Lambda dotnet8")
    return sc


def build_16():
    sc = new(16, "encounter-sync-errors", "Encounter sync Lambda erroring on every batch; Errors alarm.",
             "ap-south-1", "2026-03-06T16:35:00+00:00")
    t0 = -1920
    fn, db, other_db = "encounter-sync", "enc-store-pg", "analytics-pg"
    cluster, svc = "ops", "bed-board"
    sc.resource("lambda", fn, runtime="java17", timeout=60, memory_size=1024,
                trigger="EventBridge schedule rate(1 minute) + SQS encounter-events")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=1000,
                allocated_storage_gb=300, tags={"Schedule": "office-hours-ist"})
    sc.resource("rds", other_db, engine="postgres", instance_class="db.r6g.xlarge", max_connections=1500,
                allocated_storage_gb=1000, tags={"Schedule": "office-hours-ist"})
    sc.resource("ecs", f"{cluster}/{svc}", cluster=cluster, service=svc, launch_type="FARGATE")
    up = (lambda t: t < t0)
    lam = lam_metrics(sc, fn, lambda t: 6.0, err_frac=lambda t: 1.0 if t >= t0 else 0.0,
                      dur=lambda t: 2400.0 if t < t0 else 180.0)

    def when_up(v):
        return lambda t: v(t) if up(t) else None

    rds_metrics(sc, db, cpu=when_up(lambda t: 17 + 40 * bump(t, -11000, -10300, 1.0)),
                conns=when_up(lambda t: 34 - 30 * ramp(t, t0 - 60, t0)), free_gb=when_up(lambda t: 211.0),
                mem_gb=when_up(lambda t: 5.2), read_ms=when_up(lambda t: 1.3), write_ms=when_up(lambda t: 1.9),
                iops=when_up(lambda t: 140.0))
    rds_metrics(sc, other_db, cpu=lambda t: 41.0, conns=lambda t: 88.0, free_gb=lambda t: 720.0)
    ecs_metrics(sc, cluster, svc, cpu=lambda t: 12.0, mem=lambda t: 39.0, running=lambda t: 2)
    host = f"{db}.cq81m2zv0pha.ap-south-1.rds.amazonaws.com"
    ll = LambdaLogs(sc, fn, "java17", 1024, 60, mem_used=(380, 15))

    def body(ll, t, r, is_err, cold):
        n = sc.rng.randint(5, 60)
        lines = [(0.01, ll.fmt(t, r, "INFO", f"polling encounter-events: {n} messages"))]
        if is_err:
            lines.append((0.15, ll.fmt(t, r, "ERROR", f"HikariPool-1 - Exception during pool initialization.\n"
                                       f"org.postgresql.util.PSQLException: Connection to {host}:5432 refused. "
                                       "Check that the hostname and port are correct and that the postmaster is "
                                       "accepting TCP/IP connections.\n\tat org.postgresql.core.v3."
                                       "ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:342)\n"
                                       "Caused by: java.net.ConnectException: Connection refused")))
            return {"lines": lines, "dur": sc.rng.gauss(180, 30)}
        if sc.rng.random() < 0.3:
            lines.append((0.4, ll.fmt(t, r, "WARN", f"A08 for unknown MRN {sc.rng.randint(10**7, 10**8)} skipped "
                                      "(patient not yet registered)")))
        if sc.rng.random() < 0.1:
            lines.append((0.5, ll.fmt(t, r, "WARN", "HikariPool-1 - Thread starvation or clock leap detected "
                                      f"(housekeeper delta={sc.rng.randint(61, 90)}s).")))
        lines.append((2.3, ll.fmt(t, r, "INFO", f"upserted {n} encounters, {sc.rng.randint(0, 8)} bed moves")))
        return {"lines": lines, "dur": sc.rng.gauss(2400, 300)}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, lambda t: 0.1, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote "
         f"{sc.rng.randint(200, 2000)} buffers ({sc.rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added", pid=377)),
         end=t0 - 60)
    for i, msg in enumerate(["received fast shutdown request", "aborting any active transactions",
                             "terminating connection due to administrator command",
                             "background worker \"logical replication launcher\" (PID 412) exited with exit code 1",
                             "shutting down", "database system is shut down"]):
        t = t0 - 50 + i * 6
        sc.log(pgg, pgs, t, pg(sc, t, "FATAL" if "terminating" in msg else "LOG", msg, pid=371))
    sc.change(t0 - 70, "rds.amazonaws.com", "StopDBInstance", "AWS::RDS::DBInstance", db, "instance-scheduler-ist")
    sc.change(t0 - 30, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "codepipeline-ops")
    sc.change(-13800, "rds.amazonaws.com", "StartDBInstance", "AWS::RDS::DBInstance", other_db,
              "instance-scheduler-ist")
    sc.alarm("encounter-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Encounter sync failures")
    expect(sc, "encounter-sync-errors", "dependency_failure", [db],
           [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    meta(sc, "front (Lambda caller → RDS)",
         "ECS service deploy 30 s before onset (after the stop); unknown-MRN and Hikari clock-leap WARNs all day; DB CPU bump "
         "2.5 h earlier; scheduler started another DB 3.3 h earlier",
         "The encounter-sync function fails every invocation from 32 minutes ago with `PSQLException: "
         "Connection to enc-store-pg...:5432 refused ... Caused by: java.net.ConnectException: Connection "
         "refused`. The database's own log ends with `received fast shutdown request ... database system is "
         "shut down` a minute before onset, its metrics stop (no data), and CloudTrail shows "
         "StopDBInstance by the instance-scheduler (the DB carries an office-hours tag although this feed runs "
         "around the clock). The DB is not exhausted — it is gone. The bed-board ECS deploy 30 s before "
         "onset is unrelated and healthy; the unknown-MRN and HikariPool clock-leap WARNs occur all day.",
         judgement="16: StopDBInstance is an operational action, not a configuration setting of the failing "
                   "function, so the category is dependency_failure with the stopped database as origin; a "
                   "reader could argue config_change for the scheduler's tag schedule, but the tag predates the "
                   "window and nothing in the function's configuration changed.",
         services="Lambda java17 (Java logger), RDS PostgreSQL x2 (pg log), ECS")
    return sc


BUILDERS = [build_15, build_16]
