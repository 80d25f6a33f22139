"""h80-01 (HL7 engine volume fills up behind its ALB) and h80-02 (clinical PostgreSQL out of
connection slots behind the FHIR API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pg

from .kit import (GRID, LOG_START, alb_id, alb_metrics, apigw_exec, apigw_metrics, bump, derive,
                  ec2_metrics, emit, expect, iid, lam_metrics, log4j, meta, new, pick, ramp, rds_metrics)

MSG_TYPES = [("ADT^A04", "EPIC_ADT"), ("ADT^A08", "EPIC_ADT"), ("ORU^R01", "SUNQUEST_LAB"),
             ("ORM^O01", "CERNER_ORD"), ("SIU^S12", "CADENCE_SCHED"), ("MDM^T02", "DICTATION")]


def build_01():
    sc = new(1, "inbound-hl7-500s", "Inbound HL7 gateway returning 500s to sending facilities; "
             "target 5XX alarm paged the integration on-call.", "eu-west-2", "2026-02-17T04:10:00+00:00")
    t0 = -2160
    lb = alb_id(sc, "ie-inbound")
    a, b = iid(sc), iid(sc)
    fn = "consent-lookup"
    sc.resource("alb", lb, name="ie-inbound", scheme="internal", target_group="tg-ie-engines",
                targets=[a, b], listener="HTTPS:443")
    for i, x in ((a, "ie-engine-a"), (b, "ie-engine-b")):
        sc.resource("ec2", i, name=x, instance_type="m6i.xlarge", platform="Amazon Linux 2023",
                    app="HL7 interface engine (Java 17)", data_volume="/var/lib/ie (gp3 200 GiB)",
                    log_groups=["/ie/engine/app", "/ie/engine/access"])
    sc.resource("lambda", fn, runtime="java21", timeout=20, memory_size=1024)

    def disk_a(t):
        return min(100.0, 71.5 + 28.5 * (t + 21600) / (t0 + 21600))

    req = sc.series(lambda t: 96 + 30 * bump(t, -9000, -7800, 1.0), integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.47 if t >= t0 else 0.0008,
                rt=lambda t: 0.21 if t < t0 else 0.12, t4_frac=lambda t: 0.004)
    ec2_metrics(sc, a, cpu=lambda t: 31 + 6 * bump(t, -9000, -7800, 1.0) - (9 if t >= t0 else 0),
                mem=lambda t: 63.0, disk=disk_a, path="/var/lib/ie", net=lambda t: 5.1e6)
    ec2_metrics(sc, b, cpu=lambda t: 29 + 48 * bump(t, -7500, -6600, 1.0), mem=lambda t: 61.0,
                disk=lambda t: 47.2 + 0.4 * (t + 21600) / 21600, path="/var/lib/ie", net=lambda t: 5.0e6)
    lam = lam_metrics(sc, fn, lambda t: 3.2, dur=lambda t: 180.0)

    def engine(inst, broken):
        g_app, g_acc = "/ie/engine/app", "/ie/engine/access"
        seq = [sc.rng.randint(100000, 900000)]

        def received(t):
            mt, src = pick(sc, MSG_TYPES)
            seq[0] += 1
            ctl = f"{src[:3]}{seq[0]}"
            fail = broken and t >= t0
            ip = sc.ip("10.40")
            if fail:
                sc.log(g_app, inst, t, log4j(sc, t, "ERROR", f"qtp1183-{sc.rng.randint(20, 60)}",
                       "c.h.ie.store.JournalWriter", f"Failed to persist inbound {mt} MSH-10={ctl} from "
                       f"{src}: java.io.IOException: No space left on device\n\tat java.base/sun.nio.ch."
                       f"FileDispatcherImpl.write0(Native Method)\n\tat java.base/sun.nio.ch.FileChannelImpl"
                       f".write(FileChannelImpl.java:311)\n\tat com.hie.ie.store.JournalWriter.append("
                       f"JournalWriter.java:142)\n\tat com.hie.ie.inbound.HttpInbound.accept(HttpInbound"
                       f".java:88)"))
                sc.log(g_app, inst, t + 0.002, log4j(sc, t + 0.002, "ERROR", "qtp1183-31",
                       "c.h.ie.inbound.HttpInbound", f"NACK AE returned to {src} for MSH-10={ctl}: "
                       "message not stored"))
                sc.log(g_acc, inst, t + 0.01, nginx(sc, t + 0.01, ip, "POST", "/hl7/v2/inbound", 500, 212,
                       sc.rng.uniform(0.004, 0.02), ua="HL7-Sender/4.2"))
                return
            sc.log(g_app, inst, t, log4j(sc, t, "INFO", f"qtp1183-{sc.rng.randint(20, 60)}",
                   "c.h.ie.inbound.HttpInbound", f"Accepted {mt} MSH-10={ctl} from {src} "
                   f"({sc.rng.randint(900, 9000)} bytes), ACK AA"))
            sc.log(g_acc, inst, t + 0.01, nginx(sc, t + 0.01, ip, "POST", "/hl7/v2/inbound", 200, 164,
                   sc.rng.uniform(0.05, 0.3), ua="HL7-Sender/4.2"))

        emit(sc, lambda t: 3.0, received)
        emit(sc, lambda t: 0.7, lambda t: sc.log(g_app, inst, t, log4j(
            sc, t, "WARN", "outbound-LAB_RECV-1", "c.h.ie.outbound.MllpSender",
            f"ACK timeout from LAB_RECV (10.44.3.17:6661) after 30000 ms, message "
            f"{sc.rng.randint(10**7, 10**8)} queued for retry (attempt {sc.rng.randint(1, 3)}/5)")))
        for m in range(LOG_START, 0, 600):
            t = m + sc.rng.uniform(0, 5)
            used = disk_a(t) if broken else 47.5
            if broken and used >= 90 and t < t0:
                sc.log(g_app, inst, t, log4j(sc, t, "WARN", "housekeeping-1", "c.h.ie.ops.VolumeWatch",
                       f"/var/lib/ie at {used:.1f}% used; journal retention is 14 days"))
            sc.log(g_app, inst, t + 1, log4j(sc, t + 1, "INFO", "housekeeping-1", "c.h.ie.ops.Stats",
                   f"channels=14 started=14 queued={sc.rng.randint(0, 40)} "
                   f"errored={sc.rng.randint(60, 140) if broken and t >= t0 else 0}"))

    engine(a, True)
    engine(b, False)
    ll = LambdaLogs(sc, fn, "java21", 1024, 20, retire=[t0 - 300])
    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START}, {}, lambda ll, t, r, e, c: {
        "lines": [(0.01, ll.fmt(t, r, "INFO", f"consent decision PERMIT for patient {sc.rng.randint(10**6, 10**7)} "
                                "purpose=TREAT"))], "dur": sc.rng.gauss(180, 30)})
    sc.change(t0 - 300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "j.okafor")
    sc.change(-16200, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-ie-engines", "terraform-ci")
    sc.alarm("ie-inbound-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Inbound HL7 gateway: targets returning 5xx")
    sc.alarm("ie-engine-b-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 2, 70,
             "GreaterThanThreshold", "Interface engine B CPU")
    expect(sc, "ie-inbound-target-5xx", "storage_exhaustion", [a, "ie-engine-a"],
           [{"namespace": "CWAgent", "name": "disk_used_percent",
             "dimensions": {"InstanceId": a, "path": "/var/lib/ie", "fstype": "xfs"}}])
    meta(sc, "front (ALB → engine A)",
         "consent Lambda config update 5 min before onset; ACK-timeout WARNs on both engines for hours; "
         "engine B CPU spike (and its alarm) ~1.4 h earlier",
         "The internal ALB in front of two HL7 engines starts returning target 500s for about half of "
         "inbound messages 36 minutes ago. The 500s come only from engine A, whose journal volume "
         "/var/lib/ie has been filling at ~4.7 %/h all night (71 % six hours ago, 100 % at onset; its own "
         "VolumeWatch WARNs from 90 %), and whose log switches to `java.io.IOException: No space left on "
         "device` from JournalWriter with NACKs to the senders. Engine B's volume is at 47 %. The consent "
         "Lambda's configuration update 5 minutes before onset is on a function outside the HL7 path and its "
         "metrics do not move; the outbound ACK-timeout WARNs to the lab system run at the same rate on both "
         "engines for the whole log window; engine B's CPU spike and alarm were about 80 minutes earlier.",
         services="EC2 Java HL7 engine (log4j + nginx access), ALB, Lambda java21")
    return sc


def build_02():
    sc = new(2, "fhir-read-502", "FHIR R4 API returning 502s on Patient reads; API Gateway 5XX alarm.",
             "us-east-1", "2026-03-04T02:35:00+00:00")
    t0 = -1680
    api, fn, db, other = "fhir-r4", "fhir-patient-read", "clin-pg-prod-1", "provider-directory"
    sc.resource("apigateway", api, stage="prod", integration=f"lambda:{fn}")
    sc.resource("apigateway", other, stage="v1")
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=200, allocated_storage_gb=500)

    def conns(t):
        return 64 + 136 * ramp(t, t0 - 2700, t0) + 10 * bump(t, -15000, -14400, 1.0)

    lam = lam_metrics(sc, fn, lambda t: 13.0, err_frac=lambda t: 0.78 if t >= t0 else 0.0,
                      dur=lambda t: 95.0 if t < t0 else 60.0)
    e4 = derive(sc, lam["inv"], lambda t: 0.05)
    apigw_metrics(sc, api, lam["inv"], e4, lam["err"], lambda t: 118.0 if t < t0 else 84.0)
    o = sc.series(lambda t: 22.0, integer=True)
    apigw_metrics(sc, other, o, derive(sc, o, lambda t: 0.01), [0] * len(GRID), lambda t: 41.0)
    rds_metrics(sc, db, cpu=lambda t: 24 + 52 * bump(t, -15000, -14000, 1.0) + 9 * ramp(t, t0 - 2700, t0),
                conns=lambda t: min(199.0, conns(t)), max_conns=200.0, free_gb=lambda t: 311.0 - (t + 21600) / 21600 * 0.4)
    host = f"{db}.c7x2mqlw1kds.us-east-1.rds.amazonaws.com"
    ll = LambdaLogs(sc, fn, "python3.12", 512, 15, mem_used=(118, 6))
    bad = {"birthDate": "Patient.birthDate: '19781302' is not a valid date",
           "identifier": "Patient.identifier[0].system is required"}

    def body(ll, t, r, is_err, cold):
        pid = sc.rng.randint(10**6, 10**7)
        if is_err:
            return {"lines": [(0.03, ll.fmt(t, r, "ERROR", f"psycopg2.OperationalError: connection to server at "
                               f"\"{host}\" (10.12.4.87), port 5432 failed: FATAL:  remaining connection slots "
                               f"are reserved for non-replication superuser connections\nTraceback (most recent "
                               f"call last):\n  File \"/var/task/app/handler.py\", line 31, in lambda_handler\n"
                               f"    with db.connect() as conn:\n  File \"/var/task/app/db.py\", line 19, in "
                               f"connect\n    return psycopg2.connect(DSN, connect_timeout=5)"))],
                    "dur": sc.rng.gauss(45, 8)}
        if sc.rng.random() < 0.05:
            k = pick(sc, list(bad))
            return {"lines": [(0.02, ll.fmt(t, r, "WARNING", f"GET Patient/{pid}/$everything rejected: "
                               f"{bad[k]} -> 400 OperationOutcome"))], "dur": sc.rng.gauss(40, 6)}
        return {"lines": [(0.04, ll.fmt(t, r, "INFO", f"GET Patient/{pid} 200 ({sc.rng.randint(1, 9)} "
                           f"resources) in {sc.rng.randint(40, 140)} ms"))], "dur": sc.rng.gauss(95, 20)}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    g, s = "API-Gateway-Execution-Logs_7hq2kd91xa/prod", "7hq2kd91xa-prod-a1"
    for m, n in zip(GRID, lam["err"]):
        for _ in range(n if m >= LOG_START else 0):
            t = m + sc.rng.uniform(0, 60)
            rid = sc.uuid()
            sc.log(g, s, t, apigw_exec(rid, "Lambda execution failed with status 200 due to customer function "
                                       "error: connection to server at \"" + host + "\" (10.12.4.87), port 5432 "
                                       "failed: FATAL:  remaining connection slots are reserved for "
                                       f"non-replication superuser connections. Lambda request id: {sc.uuid()}"))
            sc.log(g, s, t + 0.001, apigw_exec(rid, "Method completed with status: 502"))
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, lambda t: 0.1, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote "
         f"{sc.rng.randint(900, 4000)} buffers ({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, "
         f"{sc.rng.randint(0, 3)} removed, {sc.rng.randint(1, 4)} recycled", pid=571)))
    emit(sc, lambda t: 0.1 + 3.2 * ramp(t, t0 - 2700, t0) * (t < t0 + 60),
         lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", "connection authorized: user=cohort_rpt database=clinical "
                          "application_name=cohort-extract SSL enabled (protocol=TLSv1.3)", client=f"10.12.9.41("
                          f"{sc.rng.randint(30000, 60000)})", user="cohort_rpt", db="clinical")))
    emit(sc, lambda t: 8.0 if t >= t0 else 0.0, lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections",
        client=f"10.12.{sc.rng.randint(20, 23)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
        user="fhir_app", db="clinical")))
    emit(sc, lambda t: 0.3 if t >= t0 - 1200 else 0.0, lambda t: sc.log(pgg, pgs, t, pg(
        sc, t, "LOG", f"duration: {sc.rng.randint(300000, 900000)}.{sc.rng.randint(100, 999)} ms  idle in "
        "transaction: BEGIN; SELECT e.* FROM encounter e JOIN condition c ON c.encounter_id = e.id WHERE ...",
        client="10.12.9.41(44120)", user="cohort_rpt", db="clinical")))
    sc.change(-9300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-fhir-deploy")
    sc.change(-9280, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "gha-fhir-deploy")
    sc.change(t0 - 240, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{other}/v1",
              "m.vasquez")
    sc.alarm("fhir-r4-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 12,
             "GreaterThanThreshold", "FHIR R4 API server errors")
    sc.alarm("fhir-r4-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "FHIR R4 API client errors")
    expect(sc, "fhir-r4-5xx", "db_connection_exhaustion", [db],
           [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}])
    meta(sc, "front (API Gateway → Lambda → RDS)",
         "UpdateStage on another API 4 min before onset; Lambda deploy 2.1 h earlier; 400 OperationOutcome "
         "WARNs at a steady 5 %; nightly vacuum CPU spike on the DB 3.7 h earlier",
         "The FHIR API's 5XX alarm fires as ~78 % of Patient reads fail. Every failing invocation of the read "
         "function (and the API's execution log) carries psycopg2 `FATAL: remaining connection slots are "
         "reserved for non-replication superuser connections`; the database's DatabaseConnections climbs from "
         "~64 to its 200-connection limit over the 45 minutes before onset, while its PostgreSQL log shows a "
         "stream of new `cohort_rpt` sessions from a reporting host sitting idle in transaction. The DB is not "
         "down (CPU modest, checkpoints normal), it is out of slots. The stage update 4 minutes before onset is "
         "on a different API (provider-directory), the function's last deploy was 2.1 hours earlier with no "
         "change in its error rate, and the 400 WARNs are at the same 5 % all night.",
         judgement="02: the slots are consumed by an ad-hoc reporting client (cohort_rpt) that is not a resource "
                   "in the account; the resource where the fault shows and that must be fixed (kill sessions, "
                   "set idle_in_transaction_session_timeout) is the database, as in the format's own example.",
         services="API Gateway, Lambda python3.12 (plain), RDS PostgreSQL (pg log)")
    return sc


BUILDERS = [build_01, build_02]
