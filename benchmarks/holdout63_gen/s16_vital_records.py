"""h63-16: a CDC replication task was stopped in the evening; its logical replication slot keeps
WAL on the vital-records PostgreSQL instance until the allocated storage is full."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal
from .kit import LOG_START, alb, alb_id, ecs, emit, night_window, part, periodic, rds, scanner, task_ids
from .runtimes import pg, serilog

CL, SVC, SIB, DB = "vitals", "registry-api", "cert-issuer", "vr-pg-prod"
GB = 1024 ** 3


def build() -> Scenario:
    sc = Scenario(16, "vital-records", "Birth and death registration submissions failing overnight; "
                  "ALB 5XX alarm on the registry.", "ca-central-1", 6316, "2026-10-07T06:30:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "vitals-registry")
    stop, full = -20700, -1760
    sc.resource("alb", lb, name="vitals-registry", scheme="internal")
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=3, cpu=1024, memory_mb=2048, runtime="dotnet8 (ASP.NET Core, Npgsql 8)")
    sc.resource("ecs", f"{CL}/{SIB}", desired_count=2, cpu=512, memory_mb=1024, runtime="dotnet8")
    sc.resource("rds", DB, engine="postgres", engine_version="15.7", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=200, storage_autoscaling="disabled",
                logical_replication=True, storage_encrypted=True)

    # ---------------------------------------------------------------- metrics
    free0 = 41.5 * GB
    rate = free0 / (full - stop)  # bytes per second of retained WAL

    def free(t):
        if t < stop:
            return free0
        return max(0.35 * GB, free0 - rate * (t - stop))

    wal = lambda t: 2.1 * GB + max(0.0, min(free0 - 0.35 * GB, rate * (t - stop)))
    down = lambda t: 1.0 if t >= full else 0.0
    crash = lambda t: 1.0 if t >= full and int((t - full) // 60) % 6 in (0, 1) else 0.0
    rds(sc, DB,
        FreeStorageSpace=sc.series(free, noise=0.002, digits=0),
        TransactionLogsDiskUsage=sc.series(wal, noise=0.002, digits=0),
        OldestReplicationSlotLag=sc.series(lambda t: max(0.0, rate * (t - stop)) + 1.2e6, noise=0.002, digits=0),
        CPUUtilization=sc.series(lambda t: 14 * diurnal(sc, t, 17, 0.4) + bump(t, -9300, -8900, 22, 60)
                                 - 6 * down(t), noise=0.08),
        DatabaseConnections=sc.series(lambda t: 42 - 30 * crash(t), noise=0.05, integer=True),
        WriteIOPS=sc.series(lambda t: 320 * diurnal(sc, t, 17, 0.4) * (1 - 0.7 * down(t)), noise=0.08),
        FreeableMemory=sc.series(lambda t: 9.8e9, noise=0.01, digits=0))
    req = sc.series(lambda t: 44 * diurnal(sc, t, 17, 0.4), integer=True)
    p = lambda t: 0.002 + (0.55 + 0.4 * crash(t)) * down(t)
    t5 = part(sc, req, p)
    alb(sc, lb, req, t5, sc.series(lambda t: 0.12 + 0.5 * down(t), noise=0.15), e5xx=[0.0] * len(GRID))
    ecs(sc, CL, SVC, sc.series(lambda t: 16 * diurnal(sc, t, 17, 0.4), noise=0.1), sc.series(lambda t: 49, noise=0.02))
    ecs(sc, CL, SIB, sc.series(lambda t: 9 + bump(t, -1840, -1700, 30, 40), noise=0.1),
        sc.series(lambda t: 37, noise=0.02))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{SVC}"
    for tid in task_ids(sc, 3):
        st = f"api/{SVC}/{tid}"

        def line(t):
            kind = rng.choice(["birth", "birth", "death", "marriage"])
            rid = f"{kind[0].upper()}R-2026-{rng.randint(10 ** 5, 10 ** 6)}"
            if t >= full and rng.random() < p(t):
                if crash(t):
                    ex = "Npgsql.PostgresException (0x80004005): 57P03: the database system is in recovery mode"
                else:
                    ex = (f"Npgsql.PostgresException (0x80004005): 53100: could not extend file \"base/16401/"
                          f"{rng.randint(20000, 90000)}\": No space left on device")
                return [(0, serilog(sc, t, "ERR", "Vitals.Registry.Api.Controllers.RegistrationsController",
                                    f"Failed to save {kind} registration {rid}\n{ex}\n   at Npgsql.Internal."
                                    "NpgsqlConnector.ReadMessageLong(...)\n   at Vitals.Registry.Data."
                                    "RegistrationStore.InsertAsync(Registration r) in /src/Vitals.Registry.Data/"
                                    "RegistrationStore.cs:line 88")),
                        (0.002, serilog(sc, t, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
                                        f"Request finished HTTP/1.1 POST http://registry/api/v1/registrations/{kind} - "
                                        f"500 null application/problem+json {rng.uniform(20, 90):.4f}ms"))]
            return serilog(sc, t, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
                           f"Request finished HTTP/1.1 {rng.choice(['POST', 'GET'])} http://registry/api/v1/"
                           f"registrations/{kind} - 200 null application/json {rng.uniform(20, 180):.4f}ms")

        emit(sc, grp, st, LOG_START, 0, lambda t: 1.5, line)
        emit(sc, grp, st, LOG_START, 0, lambda t: 0.35,
             lambda t: serilog(sc, t, "WRN", "Vitals.Registry.Api.Pki.CrlCache",
                               "Certificate revocation list fetch failed for https://pki.gc.ca/crl/gcroot.crl "
                               "(HttpRequestException: Connection timed out); using cached CRL"))
    dgrp, dst = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    periodic(sc, dgrp, dst, -21600, 0, 300,
             lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(400, 3000)} buffers "
                                        f"({rng.uniform(0.3, 2.4):.1f}%); 0 WAL file(s) added, "
                                        f"{rng.randint(6, 14) if t < stop else 0} removed, "
                                        f"{rng.randint(2, 6) if t < stop else 0} recycled", pid=611)
             if t < full else None)
    sc.log(dgrp, dst, stop + 3, pg(sc, stop + 3, "LOG", "could not send data to client: Connection reset by peer",
                                   client="10.80.4.19(51122)", user="dms_cdc", db="vitals", pid=22871))
    sc.log(dgrp, dst, stop + 3.1, pg(sc, stop + 3.1, "LOG", "unexpected EOF on client connection with an open "
                                     "transaction", client="10.80.4.19(51122)", user="dms_cdc", db="vitals", pid=22871))
    k = 0
    t = full
    while t < 0:
        pid = rng.randint(30000, 40000)
        for dt, lvl, msg in [(0, "PANIC", f"could not write to file \"pg_wal/xlogtemp.{pid}\": No space left on device"),
                             (0.4, "LOG", f"server process (PID {pid}) was terminated by signal 6: Aborted"),
                             (0.41, "LOG", "terminating any other active server processes"),
                             (1.2, "LOG", "all server processes terminated; reinitializing"),
                             (2.0, "LOG", "database system was interrupted; last known up at "
                                          f"{sc.at(t - 5).strftime('%Y-%m-%d %H:%M:%S')} UTC"),
                             (9.0, "FATAL", "the database system is in recovery mode"),
                             (95.0, "LOG", "database system is ready to accept connections")]:
            sc.log(dgrp, dst, t + dt, pg(sc, t + dt, lvl, msg, pid=pid if lvl == "PANIC" else 611))
        emit(sc, dgrp, dst, t + 100, min(0, t + 360), lambda t: 2.0,
             lambda t: pg(sc, t, "ERROR", f"could not extend file \"base/16401/{rng.randint(20000, 90000)}\": No space "
                                          "left on device", client=f"10.80.{rng.randint(1, 3)}.{rng.randint(5, 250)}"
                                          f"({rng.randint(30000, 65000)})", user="registry_app", db="vitals"))
        t += 360
        k += 1
    for i, tid in enumerate(task_ids(sc, 4)):
        emit(sc, f"/ecs/{SIB}", f"api/{SIB}/{tid}", *((LOG_START, -1790) if i < 2 else (-1800, 0)), lambda t: 0.8,
             lambda t: serilog(sc, t, "INF", "Vitals.CertIssuer.Worker", f"Issued certificate batch "
                                                                         f"{rng.randint(100, 999)} (0 pending)"))
    scanner(sc, "pbmm-controls-scan", "pbmm-audit-ro", ["vitals-certs-cac1", "vitals-dms-staging"],
            ["prod/vitals/db-admin", "prod/vitals/pki"], every=600)

    # ---------------------------------------------------------------- changes
    night_window(sc, -9800, -2400, [
        ("kms.amazonaws.com", "CreateGrant", "AWS::KMS::Key", f"arn:aws:kms:ca-central-1:{sc.account}:key/{sc.uuid()}",
         "rds.amazonaws.com"),
        ("rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "vr-pg-reporting", "svc-terraform"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "pbmm-audit-ro", "pbmm-baseline"),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0d4f7a2c91e6b3508", "netsec-automation"),
        ("rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", "vr-pg-reporting-pre-change", "dba-mtremblay"),
    ])
    sc.change(stop, "dms.amazonaws.com", "StopReplicationTask", "AWS::DMS::ReplicationTask", "vr-cdc-to-analytics",
              "data-platform-ops")
    sc.change(-1860, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{SIB}:19",
              "azure-devops-deployer")
    sc.change(-1850, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SIB}", "azure-devops-deployer")

    # ---------------------------------------------------------------- alarms
    sc.alarm("vitals-registry-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 3, "GreaterThanThreshold", "Vital records registry backend errors")
    sc.alarm(f"{DB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "vitals-registry-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": DB}}]}
    return sc
