"""h66-05 (formulary lookups vs a CPU-pinned MySQL) and h66-06 (HL7 router OOM behind an ALB)."""
from __future__ import annotations

from .common import bump, ramp
from .kit import M, jl, logfmt, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, mysql


def build_05():
    sc = new_scenario(5, "formulary-night-report", "Pharmacy formulary lookups failing overnight; "
                      "Lambda Errors alarm.", "eu-central-1", 6605, "2026-03-13T01:47:00+00:00")
    T0 = -1920  # 01:15
    db, fn = "mysql-rx-02", "formulary-lookup"
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.m6g.large",
                max_connections=1000, allocated_storage_gb=400, multi_az=True)
    sc.resource("rds", f"{db}-replica", engine="mysql", instance_class="db.m6g.large")
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512)
    hot = lambda t: ramp(t, T0, T0 + 240)
    refresh = lambda t: bump(t, -2820, -2460, 1.0, edge=60)
    dd = {"DBInstanceIdentifier": db}
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent",
      lambda t: 19 + 22 * refresh(t) + 80 * hot(t), noise=0.04, cap=99.9)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 34 + 6 * refresh(t) + 30 * hot(t),
      integer=True)
    M(sc, "AWS/RDS", "ReadIOPS", dd, "Count/Second", lambda t: 420 + 300 * refresh(t) + 2600 * hot(t),
      noise=0.1)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0009 + 0.0022 * hot(t), noise=0.12,
      digits=5)
    M(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes", lambda t: 2.9e9, noise=0.01, digits=0)
    M(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes", lambda t: 2.24e11, noise=0.0005, digits=0)
    dr = {"DBInstanceIdentifier": f"{db}-replica"}
    M(sc, "AWS/RDS", "CPUUtilization", dr, "Percent", lambda t: 11, noise=0.1)
    M(sc, "AWS/RDS", "ReplicaLag", dr, "Seconds", lambda t: 0.4 + 9 * hot(t), noise=0.3)
    dl = {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", dl, "Count", lambda t: 10.5, integer=True)
    errs = {t: min(v, round(v * 0.7 * hot(t))) for t, v in inv.items()}
    sc.metric("AWS/Lambda", "Errors", dl, "Count", list(errs.values()))
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds", lambda t: 140 + 7600 * hot(t), noise=0.1)
    M(sc, "AWS/Lambda", "Throttles", dl, "Count", lambda t: 0, integer=True)
    M(sc, "AWS/Lambda", "ConcurrentExecutions", dl, "Count", lambda t: 1 + 2 * hot(t), integer=True)
    # ---- Lambda logs (python)
    ll = LambdaLogs(sc, fn, "python3.12", 512, 15, retire=[-9000], prewarm=-14400)
    ndc = ["00093-7180-01", "00378-1805-10", "68180-0513-06", "00781-5184-01"]

    def body(ll, s, rid, is_err, cold):
        n = sc.rng.choice(ndc)
        lines = [(0.002, ll.fmt(s, rid, "info", f"lookup ndc={n} plan=MEDPLUS-{sc.rng.randint(100, 999)}"))]
        if sc.rng.random() < 0.25:
            lines.append((0.03, ll.fmt(s, rid, "warning", f"NDC {n} not in formulary tier table; "
                                       "falling back to generic tier")))
        if is_err:
            d = sc.rng.uniform(8000, 8300)
            lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "error", (
                "[ERROR] OperationalError: (3024, 'Query execution was interrupted, maximum statement "
                "execution time exceeded')\nTraceback (most recent call last):\n  File \"/var/task/"
                "handler.py\", line 48, in handler\n    rows = repo.tier_for(ndc, plan)\n  File "
                "\"/var/task/rx/repo.py\", line 91, in tier_for\n    cur.execute(TIER_SQL, (ndc, plan))"))))
            return {"lines": lines, "dur": d + 15}
        d = 120 + 5200 * hot(s) * sc.rng.random()
        lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", f"tier={sc.rng.randint(1, 5)} "
                                       f"copay_cents={sc.rng.randint(0, 9000)} took_ms={int(d)}")))
        return {"lines": lines, "dur": d + 8}
    ll.run({t: v for t, v in inv.items() if t >= -14400}, errs, body)
    # ---- RDS logs
    eg, qg = f"/aws/rds/instance/{db}/error", f"/aws/rds/instance/{db}/slowquery"
    sprinkle(sc, -21600, 0, lambda t: 0.4, lambda s: sc.log(eg, db, s, mysql(
        sc, s, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.30')}' could not be resolved: "
        "Name or service not known")))
    sprinkle(sc, -21600, 0, lambda t: 0.2, lambda s: sc.log(eg, db, s, mysql(
        sc, s, sc.rng.randint(9000, 30000), "Note", "MY-010914", "Aborted connection to db: 'rx' "
        "user: 'audit_ro' host: '10.30.9.7' (Got an error reading communication packets).")))

    def slow(s, user, qt, rows, sql):
        d = sc.at(s)
        sc.log(qg, db, s, (f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n"
                           f"# User@Host: {user}[{user}] @  [{sc.ip('10.30')}]  Id: {sc.rng.randint(10000, 99999)}\n"
                           f"# Query_time: {qt:.6f}  Lock_time: 0.000004 Rows_sent: {sc.rng.randint(1, 3000)}  "
                           f"Rows_examined: {rows}\nSET timestamp={int(d.timestamp())};\n{sql}"))
    sprinkle(sc, -21600, 0, lambda t: 0.05 + 2 * refresh(t), lambda s: slow(
        s, "formulary_etl", sc.rng.uniform(2, 4.5), sc.rng.randint(2 * 10 ** 5, 9 * 10 ** 5),
        "INSERT INTO formulary_staging SELECT * FROM fdb_import WHERE load_id = 8812;"))
    sprinkle(sc, T0 + 30, 0, lambda t: 1.6, lambda s: slow(
        s, "dur_report", sc.rng.uniform(60, 420), sc.rng.randint(3 * 10 ** 7, 6 * 10 ** 7),
        "SELECT p.prescriber_npi, d.ndc, COUNT(*) AS fills, SUM(d.days_supply) FROM dispense_events d "
        "JOIN prescriptions p ON p.id = d.rx_id WHERE d.filled_at >= '2025-03-01' GROUP BY "
        "p.prescriber_npi, d.ndc ORDER BY fills DESC;"))
    sprinkle(sc, T0 + 60, 0, lambda t: 2.5, lambda s: slow(
        s, "formulary_app", sc.rng.uniform(5, 8), sc.rng.randint(40, 400),
        "SELECT tier, copay_cents FROM plan_tiers WHERE ndc = '00093-7180-01' AND plan_id = 4411;"))
    jg, js = "/ecs/dur-analytics", f"ecs/dur-analytics/{sc.hexid(32)}"
    s = T0 + 4
    sc.log(jg, js, s, jl({"time": sc.iso(s), "level": "INFO", "msg": "DUR monthly run starting",
                          "period": "2025-03..2026-02", "workers": 16}))
    sprinkle(sc, T0 + 60, 0, lambda t: 0.3, lambda s: sc.log(jg, js, s, jl({
        "time": sc.iso(s), "level": "INFO", "msg": "partition done",
        "prescriber_shard": sc.rng.randint(0, 63), "elapsed_s": sc.rng.randint(60, 500)})))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 60, 3, 2, "GreaterThanThreshold",
             "Formulary lookups failing")
    sc.alarm(f"{db}-replica-lag", "AWS/RDS", "ReplicaLag", dr, "Average", 60, 5, 5,
             "GreaterThanThreshold")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "jenkins-pharmacy")
    sc.change(-2830, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition",
              "formulary-refresh:12", "eventbridge-ecs-scheduler")
    sc.change(-1990, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "rx-replica-params", "dba-automation")
    sc.change(T0 - 2, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition",
              "dur-analytics:7", "eventbridge-ecs-scheduler")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": dd}]}
    meta(sc, alarm_pos="front (calling Lambda)", services=["Lambda (Python)", "RDS MySQL", "ECS task"],
         decoys=["parameter-group change on the replica 70 s before onset",
                 "function deploy 2.5 h earlier", "01:00 formulary refresh bump",
                 "steady NDC-tier warnings and MySQL DNS warnings"],
         story=(
             "Formulary lookups fail from 01:15 with MySQL error 3024 (`maximum statement execution "
             "time exceeded`) and take ~8 s. The primary `mysql-rx-02` goes from ~20 % to a pinned "
             "99 % CPU at 01:15, the minute the monthly DUR analytics task starts. Its 16 workers "
             "fill the slow-query log with 60-400 s GROUP BY scans over tens of millions of rows, "
             "and the lookup queries that normally take milliseconds now appear there too. There are "
             "only ~65 connections, far below the limit. The replica-parameter change, the replica "
             "lag alarm and the earlier deploy (followed by 2 h of clean runs) are not the cause."),
         judgement=("The database is itself exhausted (CPU), so this is cpu_saturation on the DB, "
                    "not dependency_failure. The DUR task is what loads it, but the format labels "
                    "the saturated instance."))
    return sc


def build_06():
    sc = new_scenario(6, "hl7-replay-oom", "Interface engine returning 502s during the overnight ADT "
                      "replay; ALB 5xx alarm.", "us-east-2", 6606, "2026-03-14T00:38:00+00:00")
    REPLAY, OOM = -2280, -1440  # 00:00, 00:14
    lb, tg = "app/ifc-engine/3f9a0c2d71be4460", "targetgroup/ifc-router-tg/9b0d2c51e7aa1f03"
    svc = "integration/hl7-router"
    sc.resource("alb", lb, name="ifc-engine", scheme="internal")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                image="hl7-router:v3.14.2")
    sc.resource("ecs", "integration/mpi-matcher", launch_type="FARGATE", desired_count=2)
    rep = lambda t: 1.0 if t >= REPLAY else 0.0
    oom = lambda t: t >= OOM
    dl, dt = {"LoadBalancer": lb}, {"LoadBalancer": lb, "TargetGroup": tg}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 610 * (1 + 0.3 * rep(t)),
      integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dl, "Count",
      lambda t: (38 + 30 * ((t // 60) % 7 < 2)) if oom(t) else 0.2, integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count", lambda t: 3 + 4 * oom(t),
      integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds", lambda t: 0.045 + 0.02 * rep(t)
      + 0.25 * oom(t), noise=0.15)
    M(sc, "AWS/ApplicationELB", "UnHealthyHostCount", dt, "Count",
      lambda t: (1 + ((t // 60) % 5 < 2)) if oom(t) else 0, integer=True)
    de = {"ClusterName": "integration", "ServiceName": "hl7-router"}
    M(sc, "AWS/ECS", "CPUUtilization", de, "Percent", lambda t: 22 + 25 * rep(t) *
      (1 - 0.5 * ramp(t, REPLAY, REPLAY + 600)), noise=0.08)
    M(sc, "AWS/ECS", "MemoryUtilization", de, "Percent", lambda t: 46 + 50 * ramp(t, REPLAY, OOM) **
      0.8 - (9 + 10 * (((t - OOM) // 60) % 4 == 0)) * oom(t), noise=0.02, cap=100)
    M(sc, "ECS/ContainerInsights", "RunningTaskCount", de, "Count",
      lambda t: 4 - (((t // 60) % 5 < 2) + ((t // 60) % 7 == 0)) * oom(t), noise=0.0, digits=0)
    dm = {"ClusterName": "integration", "ServiceName": "mpi-matcher"}
    M(sc, "AWS/ECS", "CPUUtilization", dm, "Percent", lambda t: 14 + 8 * rep(t), noise=0.1)
    M(sc, "AWS/ECS", "MemoryUtilization", dm, "Percent", lambda t: 61, noise=0.02)
    # ---- router logs (Go, logfmt)
    g = "/ecs/hl7-router"
    tasks = [sc.hexid(32) for _ in range(4)]
    streams = {tid: f"router/hl7-router/{tid}" for tid in tasks}
    heap = lambda t: 610 + 1350 * ramp(t, REPLAY, OOM) ** 0.8
    for m in minutes(-21600):
        for tid in tasks:
            if sc.rng.random() < 0.5:
                s = m + sc.rng.uniform(0, 60)
                sc.log(g, streams[tid], s, logfmt(sc, s, "info", "runtime stats",
                       heap_alloc_mb=int(heap(s) * sc.rng.uniform(0.9, 1.08)),
                       goroutines=sc.rng.randint(180, 260), gc_cycles=sc.rng.randint(10 ** 4, 10 ** 5)))

    def msg(s):
        tid = sc.rng.choice(tasks)
        typ = sc.rng.choice(["ADT^A01", "ADT^A08", "ADT^A03", "ORM^O01"])
        src = "replay" if rep(s) and sc.rng.random() < 0.3 else "live"
        sc.log(g, streams[tid], s, logfmt(sc, s, "info", "routed", type=typ, source=src,
                                          ctrl_id=sc.hexid(12), dest="epic-bridge", ms=sc.rng.randint(3, 40)))
    sprinkle(sc, -21600, 0, lambda t: 3 * (1 + 0.3 * rep(t)), msg)
    sprinkle(sc, -21600, 0, lambda t: 0.8, lambda s: sc.log(g, streams[sc.rng.choice(tasks)], s, logfmt(
        sc, s, "error", "NAK from downstream", code="AR", dest="lab-bridge",
        err="MSA-3: unknown patient class")))
    sprinkle(sc, -21600, 0, lambda t: 0.5, lambda s: sc.log(g, streams[sc.rng.choice(tasks)], s, logfmt(
        sc, s, "warn", "duplicate MSH-10 control id dropped", ctrl_id=sc.hexid(12))))
    eg = "/aws/events/ecs-task-state"
    t, k = OOM, 0
    while t < -10:
        tid = tasks[k % 4]
        sc.log(eg, "ecs-task-state", t + 2, jl({
            "detail-type": "ECS Task State Change", "source": "aws.ecs", "time": sc.iso(t + 2, 0),
            "region": "us-east-2", "detail": {
                "clusterArn": f"arn:aws:ecs:us-east-2:{sc.account}:cluster/integration",
                "group": "service:hl7-router", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                "stopCode": "EssentialContainerExited", "stoppedReason":
                "OutOfMemoryError: Container killed due to memory usage",
                "containers": [{"name": "hl7-router", "exitCode": 137, "lastStatus": "STOPPED"}],
                "taskArn": f"arn:aws:ecs:us-east-2:{sc.account}:task/integration/{tid}"}}))
        tasks[k % 4] = new = sc.hexid(32)
        streams[new] = f"router/hl7-router/{new}"
        s = t + sc.rng.uniform(35, 60)
        sc.log(g, streams[new], s, logfmt(sc, s, "info", "listener started", addr=":2575",
                                          version="v3.14.2"))
        t += sc.rng.uniform(150, 260)
        k += 1
    sc.log(eg, "ecs-task-state", REPLAY + 3, jl({
        "detail-type": "ECS Task State Change", "source": "aws.ecs", "time": sc.iso(REPLAY + 3, 0),
        "detail": {"group": "family:adt-replay", "lastStatus": "RUNNING", "startedBy": "events-rule/adt-replay-nightly"}}))
    sc.alarm("ifc-engine-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dl, "Sum", 60, 2,
             10, "GreaterThanThreshold", "Interface engine ALB 5xx (502/503)")
    sc.alarm("ifc-router-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", dt, "Maximum",
             60, 3, 0, "GreaterThanThreshold")
    sc.change(-19000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "argo-deployer")
    sc.change(REPLAY - 120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "integration/mpi-matcher", "argo-deployer")
    sc.change(REPLAY - 2, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition",
              "adt-replay:23", "eventbridge-ecs-scheduler")
    sc.change(OOM - 70, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "ifc-router-tg", "terraform-net")
    sc.expect = {"alarm": "ifc-engine-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [svc, "hl7-router"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": de}]}
    meta(sc, alarm_pos="front (ALB)", services=["ALB", "ECS Fargate (Go)"],
         decoys=["target-group attribute change 70 s before the first kill",
                 "mpi-matcher deploy just before the replay", "replay CPU/traffic bump (1.3x)",
                 "steady NAK errors and duplicate-id warnings"],
         story=(
             "The nightly ADT replay starts at 00:00. From then the router's `heap_alloc_mb` climbs "
             "steadily from ~600 toward 2 GB and ECS `MemoryUtilization` rises to ~96 %. At 00:14 the "
             "first task stops with `OutOfMemoryError: Container killed due to memory usage` (exit "
             "137). Kills repeat every few minutes, RunningTaskCount and UnHealthyHostCount swing, "
             "and the ALB emits ELB 502/503s. Traffic rises only 30 %. The target-group change right "
             "before the first kill only touches deregistration settings, and the NAK errors were "
             "there all evening."),
         judgement=("The replay is a normal nightly job. It triggers a memory blow-up inside "
                    "hl7-router, so the origin is the ECS service (also accepted as `hl7-router`), "
                    "not the ALB or the replay."))
    return sc


BUILDERS = [build_05, build_06]
