"""h69-07 (webhook fan-out service runs out of heap) and h69-08 (delivery-state MySQL fills up)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, Tasks, bump, emit, jline, lam_props,
                  lambda_sampled, meta, put, tenant)
from .runtimes import mysql


# --------------------------------------------------------------------------- h69-07
def build07() -> Scenario:
    sc = Scenario(7, "fanout-memory", "Outbound webhook fan-out lagging; tenants report missing "
                  "events. Memory alarm on the fan-out service.", "ap-northeast-1", 690707,
                  "2026-01-28T06:15:00")
    T0 = -2600
    sc.resource("ecs", "hooks/fanout", launch_type="FARGATE", desired_count=4, cpu=512, memory=1024,
                node_options="--max-old-space-size=896", log_group="/ecs/fanout")
    sc.resource("ecs", "hooks/ack", launch_type="FARGATE", desired_count=2, cpu=256, memory=512,
                log_group="/ecs/ack")
    sc.resource("apigateway", "hooks-public", stage="prod")
    rng = sc.rng
    big = lambda t: 1.0 if t >= T0 else 0.0  # noqa: E731
    saw = lambda t: ((t - T0) % 270) / 270.0  # noqa: E731
    F = {"ClusterName": "hooks", "ServiceName": "fanout"}
    put(sc, "AWS/ECS", "MemoryUtilization", F, "Percent",
        lambda t: 46 + (34 + 20 * saw(t)) * big(t), noise=0.02, cap=100)
    put(sc, "AWS/ECS", "CPUUtilization", F, "Percent", lambda t: 24 + 30 * big(t), noise=0.1)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", F, "Count",
        lambda t: 4 - (rng.random() < 0.45) * big(t) * rng.randint(1, 2), noise=0.0, digits=0)
    K = {"ClusterName": "hooks", "ServiceName": "ack"}
    put(sc, "AWS/ECS", "CPUUtilization", K, "Percent", lambda t: 15 + bump(t, -2700, -2520, 50, 40),
        noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", K, "Percent", lambda t: 38 + bump(t, -2700, -2560, 12, 40),
        noise=0.03)
    A = {"ApiName": "hooks-public"}
    put(sc, "AWS/ApiGateway", "Count", A, "Count",
        lambda t: 310 * diurnal(sc, t, 5, 0.2) + bump(t, -9300, -9000, 400, 60), integer=True)
    put(sc, "AWS/ApiGateway", "5XXError", A, "Count", lambda t: 0.1, integer=True)
    put(sc, "AWS/ApiGateway", "4XXError", A, "Count", lambda t: 3, integer=True)

    # four task slots; after T0 each slot dies of heap exhaustion every ~4-6 minutes
    slots = []
    for i in range(4):
        ids = [(-10 ** 9, sc.hexid(32))]
        t = T0 + rng.uniform(150, 300)
        while t < -20:
            ids.append((t, sc.hexid(32)))
            t += rng.uniform(230, 340)
        slots.append(ids)

    def cur(i, t):
        return [x for x in slots[i] if x[0] <= t][-1][1]

    def stream(t):
        return f"ecs/fanout/{cur(rng.randrange(4), t)}"

    def pino(t, level, msg, **kv):
        d = {"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": f"ip-10-3-{rng.randint(1, 60)}"
             f"-{rng.randint(2, 250)}.ap-northeast-1.compute.internal"}
        d.update(kv)
        d["msg"] = msg
        return jline(d)

    def line(t):
        ten = tenant(sc)
        if big(t) and rng.random() < 0.2:
            return pino(t, 30, "batch payload received", tenant="t_4471", source="crmhub",
                        event="contact.bulk_updated", bytes=rng.randint(31_000_000, 48_000_000),
                        records=rng.randint(90_000, 140_000))
        if big(t) and rng.random() < 0.15:
            return pino(t, 40, "heap usage high", heapUsedMB=rng.randint(760, 890), heapLimitMB=896,
                        rssMB=rng.randint(900, 1010))
        if rng.random() < 0.06:
            return pino(t, 40, "subscriber endpoint responded 500; scheduling retry", tenant=ten,
                        attempt=rng.randint(1, 5), url=f"https://hooks.{ten[2:]}.example.net/in")
        return pino(t, 30, "fanned out delivery", tenant=ten, event=rng.choice(
            ["contact.updated", "deal.won", "invoice.paid", "ticket.closed"]),
            subscribers=rng.randint(1, 6), bytes=rng.randint(600, 9000))
    emit(sc, "/ecs/fanout", stream, lambda t: 4, line)
    for i in range(4):
        for (t, new), (_, old) in zip(slots[i][1:], slots[i][:-1]):
            st_old, st_new = f"ecs/fanout/{old}", f"ecs/fanout/{new}"
            ms = int(rng.uniform(200000, 400000))
            gc = [f"[1:0x{sc.hexid(7)}]   {ms} ms: Mark-Compact {rng.uniform(880, 895):.1f} "
                  f"({rng.uniform(920, 935):.1f}) -> {rng.uniform(870, 890):.1f} ({rng.uniform(925, 940):.1f})"
                  f" MB, {rng.uniform(900, 1600):.2f} / 0.00 ms  (average mu = 0.1{rng.randint(10, 99)}, "
                  "current mu = 0.0{0}) allocation failure; scavenge might not succeed".format(rng.randint(10, 60))]
            seq = ["<--- Last few GCs --->"] + gc + ["<--- JS stacktrace --->",
                   "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                   " 1: 0xb8cf10 node::Abort() [node]",
                   " 2: 0xa98e3b node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]",
                   " 3: 0xd63a40 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, "
                   "v8::OOMDetails const&) [node]"]
            for k, txt in enumerate(seq):
                sc.log("/ecs/fanout", st_old, t - 2 + k * 0.001, txt)
            sc.log("/ecs/fanout", st_new, t + 24.5, pino(t + 24.5, 30, "fanout worker started",
                                                         version="4.7.2", concurrency=8))
    ack = Tasks(sc, "ack", "ack", 2, deploys=(-2700,))
    emit(sc, "/ecs/ack", ack.stream, lambda t: 2,
         lambda t: pino(t, 30, "acknowledged delivery", tenant=tenant(sc), latency_ms=rng.randint(2, 30)))
    for k, tid in enumerate(ack.ids(-2600)):
        sc.log("/ecs/ack", f"ecs/ack/{tid}", -2660 + k * 7.3, pino(-2660 + k * 7.3, 30, "ack service "
               "listening", port=8080, version="1.19.0"))
    sc.change(-2712, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "ack:57", "gitlab-runner-hooks")
    sc.change(-2700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "hooks/ack",
              "gitlab-runner-hooks")
    sc.change(-20100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "hooks/fanout",
              "gitlab-runner-hooks")
    sc.alarm("fanout-memory-high", "AWS/ECS", "MemoryUtilization", F, "Average", 300, 2, 85,
             "GreaterThanThreshold", "Fan-out service memory")
    sc.alarm("hooks-ack-cpu", "AWS/ECS", "CPUUtilization", K, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "fanout-memory-high",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["hooks/fanout", "fanout"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": F}]}
    meta(sc, alarm_on="origin (ECS service)",
         decoys="hooks/ack deploy 100 s before onset with CPU blip; last fanout deploy 5.5 h ago; "
                "steady subscriber-500 retry warnings; API traffic spike 1.8 h earlier",
         services="ECS (Node.js, pino JSON), API Gateway",
         story="From about 45 minutes ago a tenant's CRM posts `contact.bulk_updated` batches of "
               "30-50 MB; the Node.js fan-out service buffers them whole. Its logs show `heap usage "
               "high` near the 896 MB old-space limit, then V8's `Last few GCs` block and `FATAL "
               "ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`, and a "
               "new task stream starts each time; MemoryUtilization saws between 77 and 100 % and "
               "RunningTaskCount dips. The `hooks/ack` deploy 100 s before onset is the nearest "
               "change, but ack's own memory is flat; the last fan-out deploy was 5.5 hours ago.")
    return sc


# --------------------------------------------------------------------------- h69-08
def build08() -> Scenario:
    sc = Scenario(8, "delivery-recorder-errors", "Webhook delivery history not updating; errors alarm "
                  "on the recorder function.", "sa-east-1", 690808, "2026-03-03T13:00:00")
    T0 = -1980
    sc.resource("lambda", "delivery-recorder", **lam_props("python3.12", 15, 256,
                event_source="sqs:delivery-attempts"))
    sc.resource("lambda", "retry-scheduler", **lam_props("python3.12", 60, 256))
    sc.resource("rds", "hookstate-mysql", engine="mysql", engine_version="8.0.35",
                instance_class="db.m6g.large", max_connections=1000, allocated_storage_gb=100,
                storage_autoscaling=False)
    sc.resource("rds", "analytics-pg", engine="postgres", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=400)
    rng = sc.rng
    full = lambda t: 1.0 if t >= T0 else 0.0  # noqa: E731
    R = {"DBInstanceIdentifier": "hookstate-mysql"}
    put(sc, "AWS/RDS", "FreeStorageSpace", R, "Bytes",
        lambda t: max(3.1e7, 14.6e9 * (T0 - t) / (T0 + 21600)), noise=0.003, digits=0)
    put(sc, "AWS/RDS", "WriteIOPS", R, "Count/Second", lambda t: 410 - 330 * full(t), noise=0.08)
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent", lambda t: 27 - 6 * full(t), noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", lambda t: 46, integer=True)
    P = {"DBInstanceIdentifier": "analytics-pg"}
    put(sc, "AWS/RDS", "CPUUtilization", P, "Percent", lambda t: 20 + bump(t, -2080, -1700, 38, 60),
        noise=0.1)
    put(sc, "AWS/RDS", "FreeStorageSpace", P, "Bytes", lambda t: 2.61e11, noise=0.001, digits=0)
    L = {"FunctionName": "delivery-recorder"}
    inv = put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 88 * diurnal(sc, t, 15, 0.2),
              integer=True)
    err = put(sc, "AWS/Lambda", "Errors", L, "Count", lambda t: 0.05 + inv.get(t, 0) * 0.83 * full(t),
              integer=True)
    put(sc, "AWS/Lambda", "Duration", L, "Milliseconds", lambda t: 64 + 30 * full(t), noise=0.08)
    S = {"FunctionName": "retry-scheduler"}
    put(sc, "AWS/Lambda", "Invocations", S, "Count", lambda t: 1, integer=True)
    put(sc, "AWS/Lambda", "Errors", S, "Count", lambda t: 0.0, integer=True)

    ll = LambdaLogs(sc, "delivery-recorder", "python3.12", 256, 15, mem_used=(88, 4))

    def body(ll, t, rid, is_err, cold):
        did = f"whd_{sc.hexid(14)}"
        n = rng.randint(1, 6)
        st = rng.choice([200, 200, 200, 202, 500, 503, 410])
        lines = []
        if is_err:
            tb = ("[ERROR] OperationalError: (1114, \"The table 'webhook_attempts' is full\")\n"
                  "Traceback (most recent call last):\n  File \"/var/task/recorder/handler.py\", line 61, "
                  "in handler\n    repo.insert_attempt(msg)\n  File \"/var/task/recorder/repo.py\", line "
                  "34, in insert_attempt\n    cur.execute(INSERT_ATTEMPT, row)\n  File \"/var/task/pymysql/"
                  "connections.py\", line 775, in _read_packet\n    packet.raise_for_error()")
            lines.append((0.09, tb))
            return {"lines": lines, "dur": rng.gauss(95, 15)}
        if rng.random() < 0.05:
            lines.append((0.02, ll.fmt(t, rid, "WARNING", f"duplicate delivery {did} attempt #{n}; "
                                       "skipping insert")))
        else:
            lines.append((0.04, ll.fmt(t, rid, "INFO", f"recorded attempt #{n} for {did} tenant="
                                       f"{tenant(sc)} status={st}")))
        return {"lines": lines, "dur": rng.gauss(64, 10)}
    lambda_sampled(ll, inv, err, body, cap=3)
    g, s = "/aws/rds/instance/hookstate-mysql/error", "hookstate-mysql"

    def my(t):
        th = rng.randint(20, 90000)
        if full(t) and rng.random() < 0.75:
            k = rng.random()
            if k < 0.4:
                return mysql(sc, t, th, "ERROR", "MY-013132", "The table 'webhook_attempts' is full!")
            if k < 0.7:
                return (mysql(sc, t, th, "ERROR", "MY-012639", "").replace("[Server] ", "[InnoDB] ") +
                        f"Write to file ./hookstate/webhook_attempts.ibd failed at offset "
                        f"{rng.randint(19_000, 21_000) * 1048576}, 1048576 bytes should have been written, only 0 "
                        "were written. Operating system error number 28. Check that your OS and file "
                        "system support files of this size. Check also that the disk is not full or a "
                        "disk quota exceeded.")
            return (mysql(sc, t, th, "ERROR", "MY-012640", "").replace("[Server] ", "[InnoDB] ") +
                    "Error number 28 means 'No space left on device'")
        if rng.random() < 0.5:
            return mysql(sc, t, th, "Note", "MY-010914", f"Aborted connection {th} to db: 'hookstate' "
                         f"user: 'recorder' host: '{sc.ip('10.8')}' (Got an error reading communication "
                         "packets).")
        return mysql(sc, t, 0, "Warning", "MY-010055", f"IP address '{sc.ip('10.8')}' could not be "
                     "resolved: Name or service not known")
    emit(sc, g, s, lambda t: 0.6 + 3 * full(t), my)
    rl = LambdaLogs(sc, "retry-scheduler", "python3.12", 256, 60, mem_used=(70, 3))

    def rbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.3, ll.fmt(t, rid, "INFO", f"scheduled {rng.randint(20, 400)} retries "
                                       "(backoff 2^n*30s, max 8 attempts)"))], "dur": rng.gauss(900, 90)}
    lambda_sampled(rl, {t: 1 for t in range(LOG_START, 0, 60)}, {}, rbody, cap=1)
    sc.change(-2100, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-pg",
              "dba.rodrigo")
    sc.change(-2088, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", "analytics-pg",
              "dba.rodrigo")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "retry-scheduler", "ci-hooks")
    sc.alarm("delivery-recorder-errors", "AWS/Lambda", "Errors", L, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Delivery recorder failures")
    sc.alarm("hookstate-free-storage-low", "AWS/RDS", "FreeStorageSpace", R, "Minimum", 300, 1, 2e9,
             "LessThanThreshold")
    sc.alarm("analytics-pg-cpu", "AWS/RDS", "CPUUtilization", P, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "delivery-recorder-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": ["hookstate-mysql"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": R}]}
    meta(sc, alarm_on="front (the writing Lambda; origin is the MySQL instance)",
         decoys="ModifyDBInstance + reboot of analytics-pg 2 min before onset (CPU bump); retry-"
                "scheduler deploy 5 h ago; steady duplicate-delivery warnings and aborted-connection notes",
         services="Lambda (Python), RDS MySQL, RDS PostgreSQL",
         story="FreeStorageSpace of `hookstate-mysql` (100 GB, no storage autoscaling) has fallen in "
               "a straight line for six hours and reaches about 30 MB 33 minutes ago; WriteIOPS "
               "collapses at the same minute. The MySQL error log then fills with `Write to file "
               "./hookstate/webhook_attempts.ibd failed ... Operating system error number 28`, `No "
               "space left on device` and `The table 'webhook_attempts' is full!`, and the Python "
               "`delivery-recorder` raises `OperationalError: (1114, \"The table 'webhook_attempts' "
               "is full\")` on most invocations. The modification and reboot of `analytics-pg` two "
               "minutes earlier is the nearest change, but that database serves nothing on this path.")
    return sc


BUILDERS = [build07, build08]
