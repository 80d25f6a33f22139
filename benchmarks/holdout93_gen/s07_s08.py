"""h93-07 (demand-response enrolment portal whose database runs out of memory) and h93-08 (midnight
head-end file ingestion on EC2 collectors behind an ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, pg

from . import kit
from .kit import emit, every, java_json, lam_metrics, lambda_run

logfmt = logfmt_writer("ts", quote_msg=True)


def build_07():
    sc = kit.new(7, "flex-enrolment-evening-peak", "Demand-response enrolment portal returning 500s during "
                 "the evening flexibility event; the ALB target 5XX alarm fired.", "eu-west-3",
                 "2026-11-19T17:20:00+00:00")
    lb = "app/flex-portal/2b8e61c0d4a97f35"
    cl, svc, notif, db, rep = "flex", "der-enrolment", "notif-gateway", "flexdb-main", "dr-settlement-report"
    start, onset, decoy = -2220, -2100, -2160
    crashes = list(range(onset, 0, 170))
    sc.resource("alb", lb, name="flex-portal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4)
    sc.resource("ecs", f"{cl}/{notif}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="16.1", instance_class="db.t4g.large",
                max_connections=800, allocated_storage_gb=400)
    sc.resource("lambda", rep, runtime="python3.12", memory_size=1024, timeout=900)

    def req(t):
        return 600 * diurnal(sc, t, 18.0, 0.3)

    def sick(t):
        return t >= onset

    def since_crash(t):
        return min([t - c for c in crashes if c <= t], default=10 ** 6)

    def e5(t):
        if not sick(t):
            return 0.4
        return req(t) * (0.35 if since_crash(t) < 60 else 0.07)

    kit.alb_metrics(sc, lb, req, e5, lambda t: 0.3, lambda t: 0.12 + (0.9 if sick(t) else 0))
    kit.ecs_metrics(sc, cl, svc, lambda t: 28 * diurnal(sc, t, 18.0, 0.3), lambda t: 56.0)
    kit.ecs_metrics(sc, cl, notif, lambda t: 12 + bump(t, decoy, decoy + 180, 25, edge=60), lambda t: 40.0)
    kit.rds_metrics(sc, db, lambda t: 22 + 30 * ramp(t, start, start + 120),
                    lambda t: 6 if 0 <= since_crash(t) < 60 else 62 + 4 * ramp(t, start, start + 60),
                    lambda t: 318.0, lambda t: 3.1 - 3.02 * ramp(t, start, onset),
                    lambda t: 0.0009 + 0.02 * ramp(t, start, onset), lambda t: 0.0013 + 0.006 * ramp(t, start, onset),
                    swap_mb=lambda t: 40 + 1900 * ramp(t, start, onset + 300),
                    iops=lambda t: 180 + 2600 * ramp(t, start, start + 120))
    rv = lam_metrics(sc, rep, lambda t: 1.0 if (t - start) % 600 == 0 and t >= start else None,
                     lambda t: 1.0 if t >= onset else 0.0, lambda t: 240000, exact=True)

    grp = f"/ecs/{svc}"
    tasks = [sc.hexid(32) for _ in range(4)]
    lg = "com.gridflex.enrol"

    def app(t):
        if sick(t) and sc.rng.random() < (0.5 if since_crash(t) < 60 else 0.12):
            m = sc.rng.choice(["FATAL: the database system is in recovery mode",
                               "An I/O error occurred while sending to the backend.",
                               "ERROR: out of memory\n  Detail: Failed on request of size 8388608 in memory "
                               "context \"ExecutorState\"."])
            return java_json(sc, t, "ERROR", f"{lg}.web.ApiExceptionHandler", "Request failed: "
                             f"POST /api/v1/enrolments/{sc.rng.randint(10**6, 10**7)}/opt-out -> 500",
                             stack_trace=f"org.postgresql.util.PSQLException: {m}\n\tat org.postgresql.core.v3."
                             "QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n\tat "
                             f"{lg}.repo.EnrolmentRepository.optOut(EnrolmentRepository.java:141)")
        if sc.rng.random() < 0.06:
            return java_json(sc, t, "WARN", f"{lg}.vendor.CallbackVerifier", "Thermostat vendor callback "
                             f"signature invalid vendor=tado-bridge device={sc.hexid(12)}")
        return java_json(sc, t, "INFO", f"{lg}.web.EnrolmentController", sc.rng.choice([
            "opt-out recorded", "enrolment status served", "event acknowledgement stored"]) +
            f" device={sc.hexid(12)} event=DR-2026-11-19-E2")
    for tid in tasks:
        emit(sc, grp, f"ecs/{svc}/{tid}", lambda t: 1.8 * diurnal(sc, t, 18.0, 0.3), app)

    pgrp = f"/aws/rds/instance/{db}/postgresql"
    every(sc, pgrp, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(500, 3000)} "
                                                  "buffers (0.4%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=644))
    emit(sc, pgrp, f"{db}.0", 0.4, lambda t: pg(sc, t, "ERROR", "duplicate key value violates unique constraint "
                                                "\"enrolment_device_uk\"", client="10.30.8.21(41022)", user="enrol", db="flex"))
    q = ("SELECT e.participant_id, date_trunc('hour', t.ts), sum(t.kw_delta) FROM telemetry_15m t JOIN "
         "dr_enrolment e USING (device_id) WHERE t.ts >= $1 GROUP BY 1, 2 ORDER BY 3 DESC")
    for i, c in enumerate(crashes):
        pid = sc.rng.randint(20000, 32000)
        lines = [("LOG", f"server process (PID {pid}) was terminated by signal 9: Killed"),
                 ("DETAIL", f"Failed process was running: {q}"),
                 ("LOG", "terminating any other active server processes"),
                 ("LOG", "all server processes terminated; reinitializing"),
                 ("LOG", f"database system was interrupted; last known up at {sc.at(c - 40).strftime('%Y-%m-%d %H:%M:%S')} UTC"),
                 ("LOG", "database system was not properly shut down; automatic recovery in progress"),
                 ("LOG", f"redo done at 1A/{sc.hexid(8).upper()} system usage: CPU: user: 0.41 s, system: 0.22 s, elapsed: 2.81 s"),
                 ("LOG", "database system is ready to accept connections")]
        for j, (lvl, msg) in enumerate(lines):
            tt = c + (j * 0.002 if j < 4 else 6 + j * 1.7)
            sc.log(pgrp, f"{db}.0", tt, pg(sc, tt, lvl, msg, pid=411))
        for k in range(sc.rng.randint(3, 6)):
            tt = c + sc.rng.uniform(8, 30)
            sc.log(pgrp, f"{db}.0", tt, pg(sc, tt, "FATAL", "the database system is in recovery mode",
                                            client=f"10.30.8.{sc.rng.randint(2, 250)}(4{sc.rng.randint(1000, 9999)})",
                                            user="enrol", db="flex"))
        if i % 2 == 0:
            tt = c - sc.rng.uniform(20, 60)
            sc.log(pgrp, f"{db}.0", tt, pg(sc, tt, "ERROR", "out of memory", user="report_ro", db="flex",
                                            client="10.30.12.77(52210)"))
            sc.log(pgrp, f"{db}.0", tt + 0.001, pg(sc, tt, "DETAIL", "Failed on request of size 33554432 in "
                                                    "memory context \"HashBatchContext\".", user="report_ro", db="flex"))

    lr = LambdaLogs(sc, rep, "python3.12", 1024, 900, mem_used=(180, 10))
    lambda_run(lr, rv["inv"], rv["err"], 1.0, lambda ll, t, rid, e, c: {"dur": 240000, "lines": [
        (0.2, ll.fmt(t, rid, "INFO", "settlement aggregation for event DR-2026-11-19-E2 participants=48211 "
                     "window=2026-11-19T16:00Z/now")),
        (239.0, ll.fmt(t + 239, rid, "ERROR" if e else "INFO", "aggregation query failed: server closed the "
                       "connection unexpectedly" if e else "aggregation complete rows=48211"))]})

    sc.change(-12000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-lmartin")
    sc.change(decoy - 4, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", notif,
              "codepipeline-flex")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{notif}", "codepipeline-flex")
    sc.alarm("flex-portal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 2, 50, "GreaterThanThreshold", "DR enrolment portal 5XX")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "flex-portal-target-5xx", "root_cause": {"category": "memory_exhaustion", "resource": [db]}}
    sc.meta = dict(
        alarm_on="front (ALB → ECS → RDS)", services="ALB, ECS Fargate (Java/Spring), RDS PostgreSQL, Lambda",
        decoys=f"`{notif}` task-definition deploy 60 s before onset (with a CPU blip); app errors that read like "
               "a dependency outage; steady duplicate-key errors and vendor-signature warnings; an RDS "
               "ModifyDBInstance hours earlier",
        story=f"At -2220 s the scheduled `{rep}` starts a large hash-join aggregation on `{db}` "
              "(db.t4g.large, 8 GiB). FreeableMemory falls from 3.1 GB to under 100 MB and swap grows to "
              "1.9 GB; from -2100 s the PostgreSQL log shows a backend `terminated by signal 9: Killed` "
              "every ~3 minutes followed by crash recovery, plus `out of memory ... HashBatchContext`. "
              f"DatabaseConnections saw-tooths, and `{svc}` requests fail with `the database system is in "
              "recovery mode` / I/O errors, which the ALB counts as target 5XX. ECS CPU and memory are normal.")
    sc.meta["judgement"] = (f"Callers see a failing dependency, but the dependency is itself exhausted "
                            f"(memory), which rules out dependency_failure. The report Lambda is the trigger; "
                            f"the exhausted resource is `{db}`.")
    return sc


def build_08():
    sc = kit.new(8, "hes-ingest-midnight-drop", "Head-end systems report failed uploads of the nightly "
                 "register files; the ingest ALB 5XX alarm fired.", "us-east-2", "2026-11-20T06:10:00+00:00")
    lb, tg = "app/hes-ingest/5d2a9e4c71b08f36", "targetgroup/mdc-collectors/8e0b5c3a1d7f2946"
    ids = ["i-0d4b7e29a1c3f5086", "i-02f9c6a8e4b1d7359", "i-07a1e3c5b9d2f4860"]
    names = ["mdc-collector-1", "mdc-collector-2", "mdc-collector-3"]
    batch, full_t, decoy, split = -4200, -1900, -1960, "read-file-splitter"
    sc.resource("alb", lb, name="hes-ingest", target_group=tg)
    for iid, n, gb in zip(ids, names, (100, 30, 100)):
        sc.resource("ec2", iid, name=n, instance_type="c6g.large", root_volume_gb=gb, runtime="go1.22",
                    log_groups=["/mdc/collector"])
    sc.resource("lambda", split, runtime="python3.11", memory_size=1024, timeout=300)

    def req(t):
        return 90 + 1400 * bump(t, batch + 300, 900, 1.0, edge=300)

    def full(t):
        return t >= full_t

    kit.alb_metrics(sc, lb, req, lambda t: 0.3 + (req(t) / 3 * 0.97 if full(t) else 0), lambda t: 0.1,
                    lambda t: 0.06 + 0.05 * (req(t) / 1490))
    kit.alb_hosts(sc, lb, tg, lambda t: 3.0, lambda t: 0.0)
    for i, (iid, n) in enumerate(zip(ids, names)):
        if i == 1:
            disk = (lambda t: min(100.0, 67.0 + 0.3 * (t + 21600) / 3600 + 32.0 * ramp(t, batch, full_t) ** 1.1)
                    if t < full_t else 100.0)
        else:
            disk = (lambda t, i=i: 34.0 + 2 * i + 10.0 * ramp(t, batch, 0))
        kit.ec2_metrics(sc, iid, lambda t: 8 + 0.035 * req(t), lambda t: 1 + 0.09 * req(t), mem=lambda t: 38.0,
                        disk=disk)
    lam_metrics(sc, split, lambda t: 0.5 + 12 * bump(t, batch + 200, 900, 1.0, edge=300), lambda t: 0.02,
                lambda t: 8200)

    for i, (iid, n) in enumerate(zip(ids, names)):
        def line(t, i=i):
            hes = f"HES-{sc.rng.randint(1, 14):02d}"
            f = f"{hes}-{sc.at(t).strftime('%Y%m%d')}-{sc.rng.randint(1, 9999):04d}.xml.gz"
            r = sc.rng.random()
            if i == 1 and full(t) and r < 0.85:
                return logfmt(sc, t, "error", "spool write failed", hes=hes, file=f, status=500,
                              err=f"write /var/lib/mdc/spool/{sc.at(t).strftime('%Y%m%d')}/{f}.part: no space left on device")
            if r < 0.05:
                return logfmt(sc, t, "warn", "payload checksum mismatch; requesting resend", hes=hes, file=f)
            if r < 0.09:
                return logfmt(sc, t, "error", "unknown meter serial, dropping read", hes=hes,
                              serial=f"LGZ{sc.rng.randint(10**7, 10**8 - 1)}")
            if r < 0.16:
                return logfmt(sc, t, "info", "spool shipped", dest="s3://mdc-landing-use2/raw/",
                              files=sc.rng.randint(3, 40), dur_ms=sc.rng.randint(300, 4000))
            return logfmt(sc, t, "info", "file accepted", hes=hes, file=f, reads=sc.rng.randint(2000, 20000),
                          bytes=sc.rng.randint(200000, 4000000), dur_ms=sc.rng.randint(40, 400), status=202)
        emit(sc, "/mdc/collector", iid, lambda t: 1.0 + 5.0 * (req(t) - 90) / 1400, line)
        every(sc, "/mdc/collector", iid, 600, lambda t, i=i: logfmt(
            sc, t, "info", "spool usage", path="/var/lib/mdc/spool",
            used_pct=round(67 + 0.3 * (t + 21600) / 3600 + 32 * ramp(t, batch, full_t) ** 1.1 if i == 1 and t < full_t
                           else (100 if i == 1 else 34 + 2 * i + 10 * ramp(t, batch, 0)), 1)))

    sc.change(-20000, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ids[1], "svc-asset-inventory")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", split,
              "github-actions-mdm")
    sc.alarm("hes-ingest-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 50, "GreaterThanThreshold", "HES ingest 5XX")
    sc.alarm("hes-ingest-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 5, 1.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "hes-ingest-target-5xx", "root_cause": {"category": "storage_exhaustion",
                                                                 "resource": [ids[1], names[1]]}}
    sc.meta = dict(
        alarm_on="front (ALB)", services="ALB, EC2 (Go collectors), Lambda",
        decoys=f"`{split}` deploy 60 s before onset; midnight request/network surge on all collectors; steady "
               "checksum-mismatch and unknown-serial errors",
        story="At midnight Eastern the head-end systems upload their register files and ALB requests go from "
              "~90 to ~1,500 per minute, spread over three collectors. `mdc-collector-2` has a 30 GB root "
              "volume (the others 100 GB); its spool grows from 68 % to 100 % by -1900 s, after which most of its "
              "writes fail with `no space left on device` and return 500 — a third of all requests. "
              "Collectors 1 and 3 stay under 50 % and keep accepting files.")
    return sc


BUILDERS = [build_07, build_08]
