"""h75-09 (month-end GL posting batch outgrows its Lambda timeout while the database is healthy)
and h75-10 (SEPA submission service fails because its IBM MQ host on EC2 went dark)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, ramp
from benchmarks.holdout57_gen.runtimes import zap
from .common75 import (alb_pack, biz, const, ec2_pack, ecs_pack, emit, every, lambda_logs,
                       lambda_pack, m, new, rds_pack, tid)


def build09():
    sc = new(9, "gl-batch-errors", "GL posting batch function errors alarm on month-end "
             "close night.", "eu-north-1", "2026-03-31T21:55:00")
    fn, db, feed = "gl-batch-poster", "glpg-n1", "gl-feed-enricher"
    timeout = 60
    sc.resource("lambda", fn, runtime="java17", timeout=timeout, memory_size=3072,
                trigger="EventBridge rate(1 minute) x 8 partitions")
    sc.resource("lambda", feed, runtime="java17", timeout=30, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6i.2xlarge",
                max_connections=3000, allocated_storage_gb=2000)
    work = lambda t: 14000 + 46000 * ramp(t, -14400, -600)  # postings queued per partition run
    per_ms = 0.95  # ms a posting, flat: the database is not slower
    want = lambda t: 1800 + work(t) * per_ms
    tout = lambda t: min(1.0, max(0.0, (want(t) - 56000) / 9000))
    inv = const(8.0)
    err = lambda t: 8.0 * tout(t)
    onset = next(t for t in GRID if err(t) >= 0.8)
    dbchg = onset - 240
    lam = lambda_pack(sc, fn, inv, err, lambda t: 60000.0 * tout(t) + min(want(t), 59000.0) *
                      (1 - tout(t)), dur_cap=60000.0)
    lambda_pack(sc, feed, biz(sc, 40), const(0.0), const(310.0))
    rds_pack(sc, db, lambda t: 28 + 6 * ramp(t, -14400, -600) + bump(t, -9000, -8500, 30),
             const(210.0), const(1210.0), const(41.0), read_ms=const(0.7), write_ms=const(1.4),
             iops=lambda t: 1900 + 600 * ramp(t, -14400, -600))
    sc.alarm("gl-batch-poster-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300,
             1, 3, "GreaterThanThreshold", "GL batch posting failures")
    sc.alarm("glpg-n1-write-latency", "AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db},
             "Average", 300, 2, 0.02, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-18500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
             "AWS::Lambda::Function", feed, "bamboo-gl"),
            (dbchg, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db,
             "dba-ekarlsson"),
            (dbchg + 60, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", db,
             "dba-ekarlsson")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng

    def body(ll, t, rid, is_err, cold):
        part = r.randint(0, 7)
        n = int(work(t) * (r.uniform(1.05, 1.25) if is_err else r.uniform(0.8, 1.02)))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"c.n.gl.BatchPoster - partition={part} "
                               f"business_date=2026-03-31 queued_postings={n}"))]
        if r.random() < 0.3:
            lines.append((0.4, ll.fmt(t, rid, "WARN", f"c.n.gl.Validator - skipped {r.randint(1, 9)} "
                                      "postings with zero amount (suspense account 999000)")))
        if is_err:
            for k in range(1, 6):
                lines.append((k * 11.0, ll.fmt(t + k * 11, rid, "INFO", f"c.n.gl.BatchPoster - "
                              f"partition={part} posted {int(k * 11000 / per_ms):,}/{n:,} "
                              "(commit every 5,000; db p99 3 ms)")))
            return {"dur": 0, "status": "timeout", "lines": lines}
        d = min(59000.0, max(3000.0, 1800 + n * per_ms))
        lines.append((d / 1000 - 0.05, ll.fmt(t + d / 1000, rid, "INFO", f"c.n.gl.BatchPoster - "
                      f"partition={part} posted {n:,}/{n:,} in {d / 1000:.1f} s")))
        return {"dur": d, "lines": lines}
    lambda_logs(sc, fn, "java17", 3072, timeout, lam["inv"], lam["err"], body, per_min=2.0,
                err_cap=3, mem_used=(1400, 120))
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, pgg, pgs, 300, lambda t: f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} UTC::@:[522]:LOG:"
          f"  checkpoint complete: wrote {r.randint(9000, 20000)} buffers", start=-21600)
    every(sc, pgg, pgs, 900, lambda t: f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} UTC::@:"
          f"[{r.randint(20000, 30000)}]:LOG:  automatic analyze of table \"gl.public.journal_line\"",
          start=-21600, offset=200)
    sc.expect = {"alarm": "gl-batch-poster-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin", services="Lambda (Java 17), RDS PostgreSQL",
                   decoys=f"`ModifyDBInstance` + tags on `{db}` 4 min before onset; zero-amount "
                          "warnings all night; a DB CPU bump 2.5 h earlier; an OK write-latency "
                          "alarm on the DB",
                   story=(
        "On month-end night the postings queued per partition grow from ~14k to ~60k. The "
        f"per-posting cost stays flat (~1 ms, DB read/write latency unchanged at 0.7/1.4 ms), so "
        f"`{fn}`'s duration climbs steadily until the big partitions hit the 60 s limit at "
        f"{onset // 60} min "
        "and log `Task timed out after 60.00 seconds` mid-batch while still making progress. "
        "There are no connection or query errors anywhere. The DBA's `ModifyDBInstance` four "
        "minutes earlier changes nothing in the database's metrics."))
    return sc


def build10():
    sc = new(10, "sepa-submission-5xx", "SEPA credit transfer submissions failing with 5XX from "
             "the payments gateway ALB.", "us-east-2", "2026-03-18T16:25:00")
    lb = "app/paygw-int/5e7a19c2d40f8b36"
    cl, svc, other = "payments", "sepa-submit", "instant-gw"
    broker, bname, bip = "i-0a7d3e9c51f2b8640", "mq-qm01", "10.30.4.18"
    onset, decoy = -1440, -1480
    sc.resource("alb", lb, name="paygw-int", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, runtime="go1.22")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=3, runtime="go1.22")
    sc.resource("ec2", broker, name=bname, instance_type="r6i.large", software="IBM MQ 9.3",
                private_ip=bip, log_groups=["/mq/qm01/errors"])
    req = biz(sc, 380, peak=14.0)
    down = lambda t: t >= onset
    alb_pack(sc, lb, req, lambda t: 0.6 + req(t) * 0.62 * down(t),
             lambda t: 0.06 + 4.9 * ramp(t, onset, onset + 60), 3)
    ecs_pack(sc, cl, svc, lambda t: 14 + 6 * down(t), lambda t: 38 + 9 * ramp(t, onset, onset + 600),
             const(3.0))
    ecs_pack(sc, cl, other, lambda t: 25 + bump(t, decoy, decoy + 200, 20), const(52.0),
             lambda t: 3 + 3 * (decoy <= t < decoy + 240))
    ec2_pack(sc, broker, lambda t: 0.4 if down(t) else 21 + bump(t, -11000, -10300, 40),
             net_mb=lambda t: 0.002 if down(t) else 18.0, status=lambda t: 1.0 * down(t))
    for name, fn in [("mem_used_percent", const(57.0)), ("disk_used_percent", const(44.0))]:
        dims = {"InstanceId": broker} if name.startswith("mem") else \
            {"InstanceId": broker, "path": "/var/mqm", "fstype": "xfs"}
        sc.metric("CWAgent", name, dims, "Percent",
                  sc.series(lambda t, fn=fn: None if down(t) else fn(t), noise=0.01))
    m(sc, "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": broker}, "Count",
      lambda t: 1.0 * down(t), noise=0.0, digits=0)
    sc.alarm("paygw-int-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "Payments gateway target 5XX")
    sc.alarm("paygw-int-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 3, 1.5, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-16000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
             "spinnaker-payments"),
            (decoy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "instant-gw:312", "spinnaker-payments"),
            (decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
             "spinnaker-payments")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    group = f"/ecs/{svc}"
    streams = [f"ecs/{svc}/{tid(sc)}" for _ in range(3)]
    pick = lambda t: r.choice(streams)
    emit(sc, group, pick, lambda t: 3.0 * (1 - 0.8 * down(t)), lambda t: zap(
        sc, t, "info", "credit transfer queued", "handler/submit.go:142",
        msgId=f"NBKS{r.randint(10 ** 11, 10 ** 12)}", queue="SEPA.OUT.SCT",
        amountEur=round(r.lognormvariate(5, 1.2), 2), latencyMs=r.randint(8, 40)))
    emit(sc, group, pick, const(0.5), lambda t: zap(
        sc, t, "error", "BIC directory lookup failed, using cached route", "routing/bic.go:77",
        bic=r.choice(["DEUTDEFFXXX", "BNPAFRPPXXX", "INGBNL2AXXX"]),
        error="TARGET2 directory snapshot older than 24h"), start=-21600)
    emit(sc, group, pick, lambda t: 3.5 if down(t) else 0.0, lambda t: zap(
        sc, t, "error", "put to queue failed", "mq/client.go:88", queue="SEPA.OUT.SCT",
        qmgr="QM01", conn=f"{bip}(1414)",
        error=r.choice([f"dial tcp {bip}:1414: i/o timeout",
                        "MQCONNX: MQCC_FAILED [2] MQRC_HOST_NOT_AVAILABLE [2538]",
                        "MQPUT: MQCC_FAILED [2] MQRC_CONNECTION_BROKEN [2009]"])))
    emit(sc, group, pick, lambda t: 0.6 if down(t) else 0.0, lambda t: zap(
        sc, t, "warn", "circuit open for QM01, rejecting submission with 503", "mq/breaker.go:41",
        failures=r.randint(20, 60)))
    mg = "/mq/qm01/errors"
    every(sc, mg, broker, 600, lambda t: (
        f"{sc.at(t).strftime('%m/%d/%Y %I:%M:%S %p')} - Process(2231.1) User(mqm) Program(amqzmuc0)\n"
        "                    Host(mq-qm01) Installation(Installation1)\n"
        "                    VRMF(9.3.0.15) QMgr(QM01)\n"
        "AMQ5041I: The queue manager task 'LOGGER-IO' has ended normally... recovery log "
        "checkpoint written."), start=-21600, end=onset - 30)
    sc.log(mg, broker, onset - 95, (
        f"{sc.at(onset - 95).strftime('%m/%d/%Y %I:%M:%S %p')} - Process(2231.7) User(mqm) "
        "Program(amqzmuc0)\nAMQ6209W: An unexpected asynchronous signal (7 : SIGBUS) has been "
        "received and ignored."))
    sc.expect = {"alarm": "paygw-int-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [broker, bname]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed",
                                "dimensions": {"InstanceId": broker}}]}
    sc.meta = dict(front="front (ALB; origin is the MQ host the service writes to)",
                   services="ALB, ECS Fargate (Go, zap JSON), EC2 (IBM MQ)",
                   decoys=f"`{other}` rolled out 40 s before onset; BIC-directory errors all day; "
                          "a second latency alarm on the same ALB; a CPU bump on the broker 3 h "
                          "earlier",
                   story=(
        f"At -24 min the IBM MQ host `{bname}` stops: its instance status check fails, CPU drops to "
        "idle, network goes flat and the CloudWatch agent stops reporting; its last log line is a "
        f"SIGBUS warning. `{svc}` logs `dial tcp {bip}:1414: i/o timeout` / `MQRC_HOST_NOT_AVAILABLE`"
        ", opens its circuit breaker and answers 503, so the ALB's target 5XX and latency alarms "
        f"fire. The `{other}` roll-out 40 s earlier is on a different service whose logs and "
        "metrics stay normal; the BIC lookup errors predate the incident by hours."))
    return sc


BUILDERS = [build09, build10]
