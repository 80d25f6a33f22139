"""h63-10: referral-svc 2.19.0 is rolled out in the night window; it queries a column whose
migration was never run. The database logs the error too, but the database is healthy."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import LOG_START, alb, alb_id, ecs, emit, lambda_set, night_window, part, rds, sample, scanner, task_ids
from .runtimes import LambdaLogs, pg, spring

CL, SVC, DB, NOTIFY = "intake", "referral-svc", "referrals-pg", "referral-notify"
APP = "referral-svc"


def build() -> Scenario:
    sc = Scenario(10, "referral-intake", "Hospital referral intake returning 500s for new referrals "
                  "and triage views; ALB 5XX alarm.", "eu-west-1", 6310, "2026-10-20T01:35:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "referrals-internal")
    reg, upd, onset = -2700, -2680, -2560
    sc.resource("alb", lb, name="referrals-internal", scheme="internal")
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=4, cpu=1024, memory_mb=2048,
                runtime="java21 spring-boot 3.3 (hibernate 6.5, HikariCP)", task_definition=f"{SVC}:88")
    sc.resource("rds", DB, engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=400, allocated_storage_gb=300)
    sc.resource("lambda", NOTIFY, runtime="python3.12", timeout=30, memory_size=256)

    # ---------------------------------------------------------------- metrics
    new_share = lambda t: ramp(t, onset, onset + 200)
    req = sc.series(lambda t: 95 * diurnal(sc, t, 13, 0.5), integer=True)
    p5 = lambda t: 0.004 + 0.41 * new_share(t)
    t5 = part(sc, req, p5)
    alb(sc, lb, req, t5, sc.series(lambda t: 0.14 - 0.03 * new_share(t), noise=0.12), e5xx=[0.0] * len(GRID))
    ecs(sc, CL, SVC, sc.series(lambda t: 17 * diurnal(sc, t, 13, 0.5) + bump(t, upd + 40, upd + 200, 38, 40),
                               noise=0.1),
        sc.series(lambda t: 58 + bump(t, upd + 40, upd + 200, 14, 40) - 6 * new_share(t), noise=0.02))
    rds(sc, DB,
        CPUUtilization=sc.series(lambda t: 11 * diurnal(sc, t, 13, 0.5) + bump(t, -5460, -5200, 23, 60), noise=0.1),
        DatabaseConnections=sc.series(lambda t: 40 + bump(t, upd + 40, upd + 200, 40, 30), noise=0.03, integer=True),
        FreeableMemory=sc.series(lambda t: 4.1e9, noise=0.01, digits=0),
        FreeStorageSpace=sc.series(lambda t: 2.2e11, noise=0.0003, digits=0),
        ReadLatency=sc.series(lambda t: 0.0008, noise=0.2, digits=5),
        WriteLatency=sc.series(lambda t: 0.0015, noise=0.2, digits=5))
    ninv = sc.series(lambda t: 7 * diurnal(sc, t, 13, 0.5), integer=True)
    lambda_set(sc, NOTIFY, ninv, part(sc, ninv, lambda t: 0.0),
               sc.series(lambda t: 180 + 25 * ramp(t, -2610, -2590), noise=0.1))

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{SVC}"
    old, new = task_ids(sc, 4), task_ids(sc, 4)
    swap = [upd + 90 + 35 * i for i in range(4)]
    for i in range(4):
        _stream(sc, grp, f"{SVC}/{SVC}/{old[i]}", LOG_START, swap[i] + 60, "2.18.3", False)
        _stream(sc, grp, f"{SVC}/{SVC}/{new[i]}", swap[i], 0, "2.19.0", True)
    dgrp, dst = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    emit(sc, dgrp, dst, LOG_START, 0, lambda t: 0.2,
         lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(300, 2500)} buffers "
                                    f"({rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added, 1 removed, 2 recycled", pid=412))
    emit(sc, dgrp, dst, LOG_START, 0, lambda t: 0.3,
         lambda t: pg(sc, t, "LOG", "could not receive data from client: Connection reset by peer",
                      client=f"10.70.{rng.randint(1, 3)}.{rng.randint(5, 250)}({rng.randint(30000, 65000)})",
                      user="referral_app", db="referrals"))
    emit(sc, dgrp, dst, onset, 0, lambda t: 2.0,
         lambda t: [(0, pg(sc, t, "ERROR", "column r1_0.triage_band does not exist at character 213",
                           client=f"10.70.{rng.randint(1, 3)}.{rng.randint(5, 250)}({rng.randint(30000, 65000)})",
                           user="referral_app", db="referrals", pid=rng.randint(9000, 30000))),
                    (0.0005, pg(sc, t, "STATEMENT", "select r1_0.id,r1_0.created_at,r1_0.nhs_no,r1_0.priority,"
                                "r1_0.specialty,r1_0.status,r1_0.triage_band from referral r1_0 where r1_0.id=$1",
                                user="referral_app", db="referrals"))])
    ll = LambdaLogs(sc, NOTIFY, "python3.12", 256, 30, mem_used=(84, 4), retire=(-2600,))
    ll.run(*sample(sc, ninv, None, cap=1),
           lambda _l, s, rid, e, c: {"lines": [(0.01, _l.fmt(s, rid, "INFO", f"GP notified of referral RF"
                                                                                f"{rng.randint(10 ** 6, 10 ** 7)}"))],
                                     "dur": rng.gauss(185, 20)})
    scanner(sc, "hse-controls-audit", "controls-audit-ro", ["referrals-docs-euw1", "referrals-backup-euw1"],
            ["prod/referrals/db", "prod/referrals/healthlink"], every=900)

    # ---------------------------------------------------------------- changes
    U = "github-actions-oidc"
    night_window(sc, -9000, -3200, [
        ("rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", DB, "svc-terraform"),
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", f"arn:aws:kms:eu-west-1:{sc.account}:key/{sc.uuid()}",
         "sec-baseline"),
        ("ecr.amazonaws.com", "PutImageScanningConfiguration", "AWS::ECR::Repository", SVC, "sec-baseline"),
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "controls-audit-ro", "sec-baseline"),
        ("elasticloadbalancing.amazonaws.com", "AddTags", "AWS::ElasticLoadBalancingV2::LoadBalancer", lb, "svc-terraform"),
    ])
    sc.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{SVC}:88", U)
    sc.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", U)
    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              NOTIFY, "ops-aoconnor")

    # ---------------------------------------------------------------- alarms
    sc.alarm("referrals-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 5, "GreaterThanThreshold", "Referral intake backend errors")
    sc.alarm(f"{DB}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.alarm(f"{NOTIFY}-errors", "AWS/Lambda", "Errors", {"FunctionName": NOTIFY}, "Sum", 300, 1, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "referrals-internal-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{CL}/{SVC}", SVC]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc


def _stream(sc: Scenario, grp: str, st: str, start: float, end: float, version: str, broken: bool) -> None:
    rng = sc.rng
    thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 40)}"
    sc.log(grp, st, start + 0.5, spring(sc, start + 0.5, "INFO", "main", "c.h.r.ReferralServiceApplication",
                                         f"Starting ReferralServiceApplication v{version} using Java 21.0.4", APP))
    sc.log(grp, st, start + 14.2, spring(sc, start + 14.2, "INFO", "main", "c.h.r.ReferralServiceApplication",
                                          "Started ReferralServiceApplication in 13.71 seconds (process running "
                                          "for 14.9)", APP))

    def line(t):
        if broken and rng.random() < 0.42:
            sql = ("select r1_0.id,r1_0.created_at,r1_0.nhs_no,r1_0.priority,r1_0.specialty,r1_0.status,"
                   "r1_0.triage_band from referral r1_0 where r1_0.id=?")
            th = thr()
            return [(0, spring(sc, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                               "SQL Error: 0, SQLState: 42703", APP)),
                    (0.0002, spring(sc, t, "ERROR", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                    "ERROR: column r1_0.triage_band does not exist\n  Position: 213", APP)),
                    (0.002, spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                   "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw "
                                   "exception [Request processing failed: org.springframework.dao."
                                   f"InvalidDataAccessResourceUsageException: JDBC exception executing SQL [{sql}] "
                                   "[ERROR: column r1_0.triage_band does not exist\n  Position: 213] [n/a]; SQL "
                                   "[n/a]] with root cause\n\norg.postgresql.util.PSQLException: ERROR: column "
                                   "r1_0.triage_band does not exist\n  Position: 213\n\tat org.postgresql.core.v3."
                                   "QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n\tat "
                                   "com.hse.referrals.triage.TriageController.view(TriageController.java:61)", APP))]
        ref = f"RF{rng.randint(10 ** 6, 10 ** 7)}"
        return spring(sc, t, "INFO", thr(), "c.h.r.web.ReferralController",
                      f"{rng.choice(['GET', 'GET', 'POST'])} /api/v2/referrals/{ref} -> 200 in {rng.randint(20, 140)} ms", APP)

    emit(sc, grp, st, start + 15, end, lambda t: 1.4, line)
    emit(sc, grp, st, start + 15, end, lambda t: 0.3,
         lambda t: spring(sc, t, "WARN", thr(), "com.zaxxer.hikari.pool.PoolBase",
                          f"HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@"
                          f"{sc.hexid(8)} (This connection has been closed.). Possibly consider using a shorter "
                          "maxLifetime value.", APP))
    emit(sc, grp, st, start + 15, end, lambda t: 0.2,
         lambda t: spring(sc, t, "ERROR", thr(), "c.h.r.client.HealthlinkDirectoryClient",
                          f"practice lookup failed: 404 NOT_FOUND for practice code {rng.randint(10000, 99999)}", APP))
