"""h96-15 aircraft movement (MVT) intake: ALB -> Go on ECS -> RDS PostgreSQL, and h96-16 airport kiosk
backend: ALB listener rules -> .NET on EC2."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import pg, zap

from .kit import (GB, Scenario, alb_metrics, ec2_metrics, ecs_metrics, every, flight, kestrel, pick,
                  rds_metrics, scatter, task_id)


# =========================================================================== h96-15
def build_15() -> Scenario:
    sc = Scenario(15, "mvt-intake", "Aircraft movement messages rejected; ops control missing "
                  "actual times; mvt-intake 5XX alarm.", "ap-northeast-2", 9615, "2026-04-15T06:40:00")
    db, cl, svc, other = "opsdata-pg-02", "opsplatform", "movement-writer", "delay-code-api"
    lb = "app/mvt-intake/2a6e9c1f4b8d0735"
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.xlarge",
                max_connections=1800, allocated_storage_gb=200, storage_autoscaling=False)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3)
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("alb", lb, name="mvt-intake", scheme="internal", target_groups=["movement-writer-tg"])
    full_t = -1400
    free = lambda t: max(0.12, 21.4 * (full_t - t) / (full_t + HISTORY) + 0.12)  # noqa: E731 - GB
    full = lambda t: 1.0 if t >= full_t else 0.0  # noqa: E731
    req = lambda t: 410 * diurnal(sc, t, 5.0, 0.25)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.035 + 0.01 * full(t), t5=lambda t: 0.3 + 0.88 * req(t) * full(t),
                healthy=lambda t: 3.0, t4=lambda t: 0.01 * req(t))
    rds_metrics(sc, db, lambda t: 17 * diurnal(sc, t, 5.0, 0.25), lambda t: 46.0, free, lambda t: 7.4,
                wlat=lambda t: 0.0019 + 0.004 * full(t),
                extra=[("TransactionLogsDiskUsage", "Bytes", lambda t: (1.6 + 21.0 * (t + HISTORY) / (full_t + HISTORY) if t < full_t else 22.6) * GB,
                        {"noise": 0.002, "digits": 0}),
                       ("OldestReplicationSlotLag", "Bytes", lambda t: (1.1 + 21.0 * (t + HISTORY) / (full_t + HISTORY) if t < full_t else 22.1) * GB,
                        {"noise": 0.002, "digits": 0})])
    ecs_metrics(sc, cl, svc, lambda t: 14 * diurnal(sc, t, 5.0, 0.25), lambda t: 33.0)
    ecs_metrics(sc, cl, other, lambda t: 11.0, lambda t: 29 - 5 * ramp(t, -1500, -1440))

    sc.change(-20500, "dms.amazonaws.com", "StopReplicationTask", "AWS::DMS::ReplicationTask", "ops-dwh-cdc",
              "AWSReservedSSO_DataEng_6e1a9d3c0b7f2458/k.seo")
    sc.change(-1500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "argo-opsplatform")
    sc.change(-540, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db,
              "AWSReservedSSO_DBA_2f8c6a0e4d1b9573/dba-oncall")

    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    wal = [0]

    def ckpt(t):
        if t >= full_t:
            return None
        wal[0] += sc.rng.randint(70, 110)
        return pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(1500, 4200)} buffers ({sc.rng.uniform(0.6, 2.1):.1f}%); "
                                f"{sc.rng.randint(70, 110)} WAL file(s) added, 0 removed, 0 recycled", pid=402)
    every(sc, pgg, pgs, 300, ckpt)
    every(sc, pgg, pgs, 3600, lambda t: pg(sc, t, "LOG", "automatic vacuum of table \"opsdata.public.mvt_msg\": index scans: 1",
                                           pid=sc.rng.randint(20000, 30000)))
    cli = lambda: f"10.80.{sc.rng.randint(1, 3)}.{sc.rng.randint(10, 250)}({sc.rng.randint(30000, 60000)})"  # noqa: E731
    scatter(sc, pgg, pgs, lambda t: 0.3, lambda t: pg(sc, t, "ERROR", "duplicate key value violates unique constraint \"mvt_msg_pkey\"",
                                                       client=cli(), user="mvt_writer", db="opsdata"))
    scatter(sc, pgg, pgs, lambda t: 4.0 * full(t), lambda t: pg(
        sc, t, "ERROR", f"could not extend file \"base/16402/{pick(sc, ['88231.14', '88244', '88231_fsm'])}\": No space left on device",
        client=cli(), user="mvt_writer", db="opsdata"), full_t, 0)
    sc.log(pgg, pgs, full_t + 2, pg(sc, full_t + 2, "PANIC", "could not write to file \"pg_wal/xlogtemp.402\": No space left on device", pid=402))
    sc.log(pgg, pgs, full_t + 3, pg(sc, full_t + 3, "LOG", "checkpointer process (PID 402) was terminated by signal 6: Aborted", pid=377))
    sc.log(pgg, pgs, full_t + 40, pg(sc, full_t + 40, "LOG", "database system is ready to accept connections", pid=377))

    grp = f"/ecs/{svc}"
    for _ in range(3):
        st = f"ecs/{svc}/{task_id(sc)}"
        scatter(sc, grp, st, lambda t: 2.0 * (1 - 0.85 * full(t)), lambda t: zap(
            sc, t, "info", "MVT processed", "mvt/handler.go:112", flight=flight(sc, ("KE", "KE", "LJ", "7C")),
            kind=pick(sc, ["AD", "AA", "ED", "NI"]), station=pick(sc, ["ICN", "GMP", "PUS", "CJU"]), latency_ms=sc.rng.randint(4, 30)))
        scatter(sc, grp, st, lambda t: 0.3, lambda t: zap(
            sc, t, "warn", "duplicate MVT ignored", "mvt/store.go:71", err="pq: duplicate key value violates unique constraint \"mvt_msg_pkey\"",
            smi=f"MVT-{sc.hexid(6).upper()}"))
        scatter(sc, grp, st, lambda t: 3.0 * full(t), lambda t: zap(
            sc, t, "error", "store MVT failed", "mvt/store.go:64",
            err="pq: could not extend file \"base/16402/88231.14\": No space left on device",
            flight=flight(sc, ("KE", "LJ", "7C")), status=500), full_t, 0)
    g2 = f"/ecs/{other}"
    s2 = f"ecs/{other}/{task_id(sc)}"
    sc.log(g2, s2, -1470, zap(sc, -1470, "info", "starting delay-code-api", "main.go:33", version="v0.9.7"))
    every(sc, g2, s2, 60, lambda t: zap(sc, t, "info", "served delay codes", "api/codes.go:40", n=sc.rng.randint(20, 90)), -1460, 0)

    sc.alarm("mvt-intake-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 25,
             "GreaterThanThreshold", "MVT intake rejecting messages")
    sc.alarm("opsdata-pg-02-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum", 300, 1,
             5 * GB, "LessThanThreshold")
    sc.expect = {"alarm": "mvt-intake-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.note(alarm_on="front (ALB) - origin is the PostgreSQL instance behind the ECS writer",
            decoys="deploy of delay-code-api 100 s before onset; the DBA's ModifyDBInstance (storage grow) after "
                   "onset on the origin itself; long-standing duplicate-key ERRORs; the stopped DMS task is almost "
                   "six hours old",
            story="A DMS CDC task was stopped 5.7 h ago, leaving its logical replication slot inactive; PostgreSQL "
                  "keeps every WAL segment for it (checkpoints add WAL files and remove none, TransactionLogsDiskUsage "
                  "and OldestReplicationSlotLag climb). FreeStorageSpace falls from 21 GB to nearly zero at -1400 s, "
                  "writes fail with `could not extend file ... No space left on device` and the movement writer "
                  "answers 500. The DBA's storage increase is the response, not the cause.",
            judgement="The DMS stop explains why storage filled, but it is an operational action hours earlier on "
                      "another service and the symptom the table names (storage full) is unambiguous, so "
                      "storage_exhaustion on the database.")
    return sc


# =========================================================================== h96-16
def build_16() -> Scenario:
    sc = Scenario(16, "kiosk-core", "Check-in kiosks at JFK T4 and EWR C show 'service unavailable'; "
                  "kiosk-core ELB 5XX alarm.", "us-east-1", 9616, "2026-04-18T12:30:00")
    lb = "app/kiosk-core/4d7a0e2c9b1f6853"
    rule = "listener-rule/app/kiosk-core/4d7a0e2c9b1f6853/9e3b5f1a7c2d4860/6f0c8a2e4b1d3957"
    ids = {"kiosk-api-1": "i-03c7e1a9d5b2f8046", "kiosk-api-2": "i-0a8d2f6b4e1c97350", "kiosk-api-3": "i-06e4b0c8a2d5f1937"}
    sc.resource("alb", lb, name="kiosk-core", target_groups=["kiosk-api-tg", "kiosk-api-canary-tg"])
    for n, iid in ids.items():
        sc.resource("ec2", iid, name=n, instance_type="c6i.large", log_groups=["/kiosk/api"])
    cause = -1500
    moved = lambda t: 0.61 if t >= cause + 5 else 0.0  # noqa: E731 - /api/checkin/* share now sent to the empty TG
    req = lambda t: 1300 * diurnal(sc, t, 13.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.07 - 0.01 * (moved(t) > 0), t5=lambda t: 0.3, e5=lambda t: 0.2 + moved(t) * req(t),
                healthy=lambda t: 3.0, t4=lambda t: 0.02 * req(t), e503=lambda t: 0.1 + moved(t) * req(t))
    for n, iid in ids.items():
        patch = n == "kiosk-api-2"
        ec2_metrics(sc, iid, lambda t, _p=patch: 27 * diurnal(sc, t, 13.0, 0.2) * (1 - 0.55 * (moved(t) > 0))
                    + (bump(t, -1470, -1260, 58, 60) if _p else 0.0), mem=lambda t: 49.0, disk=lambda t: 36.0)

    sc.change(-2400, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "kiosk-api-prod",
              "jenkins-airport-systems")
    sc.change(cause, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule", rule,
              "AWSReservedSSO_NetworkAdmin_9c4e2a7b0d1f3568/a.lindqvist")
    sc.change(-1485, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "patch-manager")

    kiosks = [f"{a}-K{n:03d}" for a in ("JFK-T4", "EWR-C", "LGA-B") for n in range(10, 60, 7)]
    for n, iid in ids.items():
        g = "/kiosk/api"
        t_up = -2330 + sc.rng.uniform(0, 60)
        sc.log(g, iid, t_up, kestrel(sc, t_up, "info", "Microsoft.Hosting.Lifetime",
                                     "Application started. Kiosk API 5.12.0 (build 2026.04.18.2)"))

        def line(t):
            ck = t < cause or sc.rng.random() > 0.95
            path = pick(sc, [f"/api/checkin/{pick(sc, ['session', 'passengers', 'seats', 'bags'])}"] * 3 + ["/api/bagtag/print", "/api/heartbeat"]) if ck \
                else pick(sc, ["/api/bagtag/print", "/api/heartbeat", "/api/heartbeat"])
            if not ck and path.startswith("/api/checkin"):
                path = "/api/heartbeat"
            return kestrel(sc, t, "info", "Microsoft.AspNetCore.Hosting.Diagnostics",
                           f"Request finished HTTP/1.1 {'POST' if 'checkin' in path else 'GET'} http://kiosk-core{path} - 200 "
                           f"{sc.rng.randint(200, 6000)} application/json {sc.rng.uniform(6, 90):.4f}ms")
        scatter(sc, g, iid, lambda t: 3.0 * (1 - 0.6 * (moved(t) > 0)), line)
        scatter(sc, g, iid, lambda t: 0.4, lambda t: kestrel(sc, t, "warn", "Kiosk.Api.Fleet.HeartbeatMonitor",
                                                              f"Kiosk '{pick(sc, kiosks)}' heartbeat late ({sc.rng.randint(70, 140)} s)"))
        scatter(sc, g, iid, lambda t: 0.2, lambda t: kestrel(sc, t, "fail", "Kiosk.Api.Devices.PrinterGateway",
                                                              f"BTP printer error PAPER_LOW at kiosk {pick(sc, kiosks)}"))
        if n == "kiosk-api-2":
            sc.log(g, iid, -1472, kestrel(sc, -1472, "info", "Kiosk.Api.Ops.MaintenanceHook",
                                          "SSM patch run detected (AWS-RunPatchBaseline); no reboot required"))

    sc.alarm("kiosk-core-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Kiosk backend: load balancer 5XX")
    sc.alarm("kiosk-core-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 30,
             "GreaterThanThreshold")
    sc.alarm("kiosk-api-2-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ids["kiosk-api-2"]}, "Average", 60, 3, 70,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "kiosk-core-elb-5xx",
                 "root_cause": {"category": "config_change", "resource": [lb, "kiosk-core", rule]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_503_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.note(alarm_on="origin (the ALB whose listener rule changed)",
            decoys="SSM patch run on kiosk-api-2 15 s after the rule edit with a CPU spike (and alarm) on it; a "
                   "CodeDeploy release of the kiosk API 15 min earlier; long-standing heartbeat WARNs and printer "
                   "'fail' lines; TargetResponseTime slightly lower",
            story="At -1500 s a network admin edits the HTTPS listener rule for /api/checkin/* (ModifyRule) so that it "
                  "forwards to kiosk-api-canary-tg, which has no registered targets. From that second the ALB itself "
                  "answers 503 for about 61 % of requests (HTTPCode_ELB_503_Count), Target 5XX stays at zero, and the "
                  "kiosk API hosts stop seeing /api/checkin requests at all while heartbeats and bag-tag prints continue. "
                  "The patch run and the earlier deploy touch the targets, which are healthy and error-free.",
            judgement="The listener rule is part of the load balancer's configuration, so the ALB (both name forms) "
                      "and the rule's ARN suffix are accepted.")
    return sc


BUILDERS = [build_15, build_16]
