"""h75-05 (settlement PostgreSQL fills its storage with WAL held by a stalled replication slot)
and h75-06 (one core-banking target pinned by the midnight accrual run behind the teller ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import logfmt_writer, pg
from .common75 import (GIB, alb_pack, biz, const, ec2_pack, ecs_pack, emit, every, m, new,
                       rds_pack, tid)

logfmt = logfmt_writer("time", quote_msg=True)


def build05():
    sc = new(5, "settlement-db-storage", "Settlement database free storage alarm; ACH export "
             "failing as well.", "us-west-2", "2026-03-11T18:05:00")
    db, lb = "stlpg-2", "app/settle-ops/3a9d0c51e2b74f18"
    cl, svc, cdc = "settlement", "ach-exporter", "debezium-connect"
    stall, full, deploy = -18000, -1320, -1520
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.xlarge",
                max_connections=1700, allocated_storage_gb=200, storage_autoscaling=False,
                logical_replication=True)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3)
    sc.resource("ecs", f"{cl}/{cdc}", launch_type="FARGATE", desired_count=1)
    sc.resource("alb", lb, name="settle-ops", scheme="internal")
    free = lambda t: max(0.0, 64.0 - 64.0 * max(0.0, t - stall) / (full - stall)) + 0.0
    used_wal = lambda t: 2.1 + 64.0 * min(1.0, max(0.0, t - stall) / (full - stall))
    rds_pack(sc, db, lambda t: 22 + bump(t, -11000, -10400, 30) - 8 * (t >= full), const(88.0),
             free, const(5.8), write_ms=lambda t: 2.2 + 6 * ramp(t, full - 600, full),
             iops=lambda t: 520 - 400 * (t >= full),
             extra=[("TransactionLogsDiskUsage", "Bytes", lambda t: used_wal(t) * GIB),
                    ("OldestReplicationSlotLag", "Bytes",
                     lambda t: (0.02 + 64.0 * min(1.0, max(0.0, t - stall) / (full - stall))) * GIB)])
    req = biz(sc, 140, peak=17.0)
    err = lambda t: 0.5 + req(t) * 0.35 * (t >= full)
    alb_pack(sc, lb, req, err, lambda t: 0.21 + 0.3 * (t >= full), 3)
    ecs_pack(sc, cl, svc, lambda t: 18 + bump(t, deploy, deploy + 200, 20), const(41.0),
             lambda t: 3 + 3 * (deploy <= t < deploy + 240))
    ecs_pack(sc, cl, cdc, lambda t: 9 - 7 * (t >= stall), const(63.0), const(1.0))
    m(sc, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "stlpg-2-ro"}, "Bytes",
      lambda t: 118 * GIB, noise=0.0003, digits=0)
    sc.alarm("stlpg-2-free-storage-low", "AWS/RDS", "FreeStorageSpace",
             {"DBInstanceIdentifier": db}, "Minimum", 300, 1, 2 * GIB, "LessThanThreshold",
             "Settlement DB free storage below 2 GiB")
    sc.alarm("settle-ops-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Settlement operations API target 5XX")
    for t, src, ev, rt, name, user in [
            (-19800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
             "rds-backup-automation"),
            (-6900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "stlpg-2-ro",
             "dba-mchen"),
            (deploy - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "ach-exporter:203", "argo-settlement"),
            (deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
             "argo-settlement")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
          f"{r.randint(2400, 8000)} buffers ({r.uniform(1.0, 3.0):.1f}%); 0 WAL file(s) added, 0 "
          "removed, 0 recycled; write=269.8 s, sync=0.004 s", pid=588), start=-21600, end=full)
    emit(sc, pgg, pgs, const(0.3), lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", user="ach_app",
        db="settlement", client=f"10.60.{r.randint(2, 9)}.{r.randint(2, 250)}(4{r.randint(1000, 9999)})"),
        start=-21600)
    sc.log(pgg, pgs, stall + 11, pg(sc, stall + 11, "LOG", 'could not send data to client: '
           'Connection reset by peer', user="cdc_repl", db="settlement", client="10.60.7.44(51022)",
           pid=20931))
    sc.log(pgg, pgs, stall + 12, pg(sc, stall + 12, "LOG", 'unexpected EOF on standby connection',
           user="cdc_repl", db="settlement", client="10.60.7.44(51022)", pid=20931))
    every(sc, pgg, pgs, 1800, lambda t: pg(sc, t, "WARNING", 'replication slot "debezium_ledger" '
          "is inactive; retained WAL "
          f"{used_wal(t):.1f} GB exceeds 1 GB", pid=588), start=stall + 600, end=full)
    sc.log(pgg, pgs, full - 4, pg(sc, full - 4, "PANIC", 'could not write to file '
           '"pg_wal/xlogtemp.588": No space left on device', pid=588))
    sc.log(pgg, pgs, full - 3, pg(sc, full - 3, "LOG", "WAL writer process (PID 588) was "
           "terminated by signal 6: Aborted", pid=412))
    sc.log(pgg, pgs, full + 40, pg(sc, full + 40, "LOG", "database system was interrupted; last "
           "known up at " + sc.at(full - 300).strftime("%Y-%m-%d %H:%M:%S") + " UTC", pid=771))
    emit(sc, pgg, pgs, lambda t: 3.0 if t >= full + 60 else 0.0, lambda t: pg(
        sc, t, "ERROR", f'could not extend file "base/16401/{r.choice([98231, 98244, 2619])}": No '
        "space left on device", user="ach_app", db="settlement",
        client=f"10.60.{r.randint(2, 9)}.{r.randint(2, 250)}(4{r.randint(1000, 9999)})"))
    emit(sc, pgg, pgs, lambda t: 0.8 if t >= full + 60 else 0.0, lambda t: pg(
        sc, t, "HINT", "Check free disk space.", user="ach_app", db="settlement"))
    old = [f"ecs/{svc}/{tid(sc)}" for _ in range(3)]
    new_ = [f"ecs/{svc}/{tid(sc)}" for _ in range(3)]
    pick = lambda t: r.choice(new_ if t >= deploy + 120 else old)
    group = f"/ecs/{svc}"
    emit(sc, group, pick, lambda t: 3.0 * (1 - 0.7 * (t >= full)), lambda t: logfmt(
        sc, t, "info", "exported ACH batch", batch=f"B{r.randint(10 ** 6, 10 ** 7)}",
        entries=r.randint(40, 900), odfi="121000248", duration_ms=r.randint(80, 400)))
    emit(sc, group, pick, const(0.4), lambda t: logfmt(
        sc, t, "warn", "addenda record truncated to 80 chars", entry=f"E{r.randint(10 ** 8, 10 ** 9)}",
        field="payment_related_info"))
    emit(sc, group, pick, lambda t: 3.5 if t >= full + 50 else 0.0, lambda t: logfmt(
        sc, t, "error", "insert ach_entry failed", batch=f"B{r.randint(10 ** 6, 10 ** 7)}",
        err='pq: could not extend file \\"base/16401/98231\\": No space left on device',
        code="53100"))
    for s in new_:
        t = deploy + r.uniform(60, 110)
        sc.log(group, s, t, logfmt(sc, t, "info", "starting ach-exporter", version="2026.03.11-1",
                                   go="go1.22.4", db_host=f"{db}.c7uw2hq0ktx1.us-west-2.rds.amazonaws.com"))
    cg = f"/ecs/{cdc}"
    cs = f"ecs/{cdc}/{tid(sc)}"
    every(sc, cg, cs, 60, lambda t: (
        f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} INFO   ||  WorkerSourceTask{{id=ledger-cdc-0}} "
        "Committing offsets for 1834 acknowledged messages"), start=-21600, end=stall)
    sc.log(cg, cs, stall + 5, f"{sc.at(stall + 5).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} INFO   ||  "
           "Connector ledger-cdc paused by request (PUT /connectors/ledger-cdc/pause)")
    every(sc, cg, cs, 600, lambda t: (
        f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} INFO   ||  Connector ledger-cdc state: "
        "PAUSED, tasks: 1 PAUSED"), start=stall + 600)
    sc.expect = {"alarm": "settle-ops-target-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(front="front (ALB; origin is the RDS instance behind the ECS service)",
                   services="RDS PostgreSQL, ECS Fargate (Go, logfmt), ALB",
                   decoys=f"`{svc}` rolled out 3 min before the disk filled; replica modified 2 h "
                          "earlier; statement-timeout errors all day; the storage alarm itself is a second alarm",
                   story=(
        f"The CDC connector was paused five hours ago, so the logical slot `debezium_ledger` on "
        f"`{db}` stops advancing: TransactionLogsDiskUsage and OldestReplicationSlotLag climb "
        "steadily while FreeStorageSpace falls from 64 GiB to zero at -22 min. PostgreSQL logs "
        "`PANIC: could not write to file \"pg_wal/xlogtemp.588\": No space left on device`, then "
        f"`could not extend file`; `{svc}` fails its inserts with the same message and the ALB "
        f"5XX alarm that paged follows (the storage alarm had fired minutes earlier). The `{svc}` release three minutes before is a red herring: its errors "
        "quote the database's disk."))
    return sc


def access(sc, t, ip, method, path, status, size, ms):
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f"{status} {size} {ms}")


def build06():
    sc = new(6, "teller-latency", "Branch teller screens slow; ALB response-time alarm on the "
             "core banking web tier.", "ap-northeast-1", "2026-03-09T15:35:00")
    lb = "app/corebank-web/c02b6f8e91d4a773"
    ids = ["i-0c41f7a2b9e6d3051", "i-08e2d5b6a1c9f7d42", "i-0f9a3c6e2d8b41e57"]
    names = ["corebank-app-a", "corebank-app-b", "corebank-app-c"]
    hot, start, tg_change = 1, -2100, -2040
    for i, n in zip(ids, names):
        sc.resource("ec2", i, name=n, instance_type="m6i.2xlarge", platform="Amazon Linux 2023",
                    log_groups=["/corebank/tomcat/access", "/corebank/app"])
    sc.resource("alb", lb, name="corebank-web", target_group="tg-corebank-8443")
    req = biz(sc, 900, peak=3.0, amp=0.35)
    slow = lambda t: ramp(t, start, start + 420)
    rt = lambda t: 0.13 + 1.55 * slow(t)
    alb_pack(sc, lb, req, lambda t: 0.3 + 6 * slow(t), rt, 3, elb5xx=lambda t: 4 * slow(t))
    for k, i in enumerate(ids):
        cpu = (lambda t: 34 + 64 * slow(t)) if k == hot else \
            (lambda t, k=k: 31 + 3 * k + bump(t, -12600, -12000, 45 if k == 2 else 0))
        ec2_pack(sc, i, cpu, net_mb=const(55.0), mem=const(61.0 + k), disk=const(48.0 + 2 * k))
    sc.alarm("corebank-web-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 0.8, "GreaterThanThreshold",
             "Teller web tier average response time")
    sc.alarm("corebank-app-c-status", "AWS/EC2", "StatusCheckFailed", {"InstanceId": ids[2]},
             "Maximum", 60, 2, 0, "GreaterThanThreshold")
    for t, src, ev, rt_, name, user in [
            (-12700, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document",
             "AWS-RunPatchBaseline", "patch-manager"),
            (tg_change, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
             "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-corebank-8443", "netops-tyamada"),
            (tg_change + 30, "elasticloadbalancing.amazonaws.com", "ModifyListener",
             "AWS::ElasticLoadBalancingV2::Listener", "corebank-web", "netops-tyamada")]:
        sc.change(t, src, ev, rt_, name, user)
    r = sc.rng
    paths = [("GET", "/teller/api/v2/accounts/{}/balance"), ("POST", "/teller/api/v2/postings"),
             ("GET", "/teller/api/v2/customers/{}"), ("GET", "/teller/health")]
    for k, i in enumerate(ids):
        def line(t, k=k):
            meth, p = r.choice(paths)
            base = r.lognormvariate(4.4, 0.5)
            ms = int(base + (r.uniform(3000, 6500) * slow(t) if k == hot else 0))
            st = 200 if meth == "GET" else 201
            if ms > 6000 and r.random() < 0.3:
                st = 503
            return access(sc, t, f"10.8.{r.randint(1, 6)}.{r.randint(2, 250)}", meth,
                          p.format(r.randint(10 ** 9, 10 ** 10)), st, r.randint(200, 4000), ms)
        emit(sc, "/corebank/tomcat/access", i, const(3.0), line)
        app = lambda t, lvl, th, lg, msg: (f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S,%f')[:-3]} "
                                           f"{lvl:<5} [{th}] {lg} - {msg}")
        emit(sc, "/corebank/app", i, const(0.8), lambda t: app(
            t, "ERROR", f"https-jsse-nio-8443-exec-{r.randint(1, 200)}", "c.n.core.auth.LdapAuthenticator",
            "bind failed for svc_teller_ro: [LDAP: error code 49 - 80090308: LdapErr: DSID-0C09044E, "
            "comment: AcceptSecurityContext error, data 52e, v4563]"))
        if k == hot:
            sc.log("/corebank/app", i, start + 1.2, app(start + 1.2, "INFO", "quartz-worker-1",
                   "c.n.core.accrual.AccrualJob", "EOD interest accrual started: business_date="
                   "2026-03-09 accounts=1842113 partitions=32 threads=32"))
            every(sc, "/corebank/app", i, 60, lambda t: app(
                t, "INFO", "quartz-worker-1", "c.n.core.accrual.AccrualJob",
                f"accrued {int((t - start) * 1.2 * 480):,}/1,842,113 accounts (rate ~575/s)"),
                start=start, offset=55)
            emit(sc, "/corebank/app", i, lambda t: 1.5 * slow(t), lambda t: app(
                t, "WARN", f"https-jsse-nio-8443-exec-{r.randint(1, 200)}", "o.a.c.c.StandardWrapperValve",
                f"request processing took {r.randint(3200, 7800)} ms, executor active=200/200 queue="
                f"{r.randint(40, 180)}"))
        every(sc, "/corebank/app", i, 300, lambda t: app(
            t, "INFO", "housekeeping", "c.n.core.ops.HealthReporter",
            "heap used 3.1 GiB/8.0 GiB, threads=412, datasource active=14/80"), start=-21600)
    sc.expect = {"alarm": "corebank-web-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [ids[hot], names[hot]]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization",
                                "dimensions": {"InstanceId": ids[hot]}}]}
    sc.meta = dict(front="front (ALB; origin is one target instance)",
                   services="ALB, EC2 (Java/Tomcat, access log + log4j)",
                   decoys="target-group attribute and listener changes 60-90 s after the batch "
                          "started; LDAP bind errors on every node all day; patch-run CPU bump on "
                          "another node 3.5 h earlier; an OK status alarm on a sibling",
                   story=(
        f"At midnight JST the EOD interest accrual job starts on `{names[hot]}` with 32 threads. "
        f"Within seven minutes that instance's CPU is at ~98 % while its siblings stay near 33 %; "
        "its Tomcat access log shows multi-second responses and its app log reports the executor "
        "at 200/200. Only one target in three is slow, so the ALB average climbs to ~1.7 s and the "
        "alarm fires. The network team's target-group and listener edits a minute after the job "
        "start change nothing on the other two targets; the LDAP bind errors are present on all "
        "three nodes for the whole six hours."))
    return sc


BUILDERS = [build05, build06]
