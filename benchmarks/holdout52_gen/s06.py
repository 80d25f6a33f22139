"""h52-06: telemetry-db runs out of allocated storage; the SQS consumer's Errors alarm fires."""
from __future__ import annotations

from .common import Scenario, ecs_pack, lambda_pack, rds_pack
from .logfmt import LambdaSim, pg, starts_from

T_DEP, T_ESM, T_GW, T_TAG, T_IAM = -4200, -3900, -3000, -2000, -1000
FULL = -1500
ON = FULL + 20
FREE0 = 13.0e9
RATE = (FREE0 - 0.15e9) / (FULL + 21600)
REL = "base/16404/1259881"


def free_at(t: float) -> float:
    return FREE0 - (t + 21600) * RATE


def build():
    s = Scenario(6, "telemetry-db-disk-full", "ap-northeast-1", "2026-07-08T11:15:00",
                 "Device telemetry stopped appearing on dashboards; the telemetry-ingest Errors alarm fired "
                 "and the telemetry-events queue is backing up.")
    s.resource("lambda", "telemetry-ingest", runtime="python3.12", timeout=60, memory_size=1024,
               event_source="sqs:telemetry-events", role="telemetry-ingest-role")
    s.resource("lambda", "telemetry-rollup", runtime="python3.12", timeout=120, memory_size=512,
               schedule="rate(5 minutes)")
    s.resource("rds", "telemetry-db", engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
               allocated_storage_gb=500, max_allocated_storage=None, storage_autoscaling=False,
               max_connections=900)
    s.resource("ecs", "iot/device-gateway", launch_type="FARGATE", runtime="Go 1.22", desired_count=4)

    msgs = s.series(lambda t: s.count(3000 * s.diurnal(t, 4, 0.12)))     # readings per minute into SQS
    bsize = {t: (25 if t < T_ESM else 50) for t in msgs}
    inv = {t: s.count(msgs[t] / bsize[t] * (1.0 if t < ON else 1.35)) for t in msgs}
    err = {t: (s.count(inv[t] * 0.97) if t >= ON else 0.0) for t in msgs}
    dur = {t: ((620 if bsize[t] == 25 else 1050) + s.noise(60)) * (1 if t < ON else 0.22) for t in msgs}
    lambda_pack(s, "telemetry-ingest", inv, err, dur)
    rinv = s.series(lambda t: 1.0 if t % 300 == 0 else None)
    rerr = {t: (1.0 if t >= ON else 0.0) for t in rinv}
    lambda_pack(s, "telemetry-rollup", rinv, rerr, {t: (9400 if t < ON else 2100) + s.noise(500) for t in rinv},
                conc={t: 1.0 for t in rinv})
    free = {t: (free_at(t) + s.noise(4e7) if t < FULL else 0.09e9 + abs(s.noise(3e7))) for t in msgs}
    rds_pack(s, "telemetry-db", {t: (37 if t < ON else 14) + s.noise(3) for t in msgs},
             s.series(lambda t: 46 + s.noise(2)), free, s.series(lambda t: 2.4e9 + s.noise(5e7)),
             s.series(lambda t: 0.0012 + abs(s.noise(0.0002))),
             {t: (0.0031 if t < ON else 0.0009) + abs(s.noise(0.0004)) for t in msgs})
    s.metric("AWS/RDS", "WriteIOPS", {"DBInstanceIdentifier": "telemetry-db"}, "Count/Second",
             {t: (820 if t < ON else 60) + s.noise(40) for t in msgs})
    vis, age = {}, {}
    backlog, a = 0.0, 0.0
    for t in sorted(msgs):
        if t >= ON:
            backlog += msgs[t]
            a += 60
        vis[t] = backlog + s.count(60)
        age[t] = a + 20 + abs(s.noise(8))
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "telemetry-events"}, "Count", vis,
             integer=True)
    s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "telemetry-events"}, "Seconds", age,
             integer=True)
    ecs_pack(s, "iot", "device-gateway", s.series(lambda t: 33 + s.noise(3) + (18 if T_GW <= t < T_GW + 240 else 0)),
             s.series(lambda t: 44 + s.noise(1)), s.series(lambda t: 4.0 + (4 if T_GW <= t < T_GW + 240 else 0)),
             s.series(lambda t: 4.0))

    # ---- telemetry-ingest logs
    sim = LambdaSim(s, "telemetry-ingest", "python3.12", 1024, 60)

    def ingest(t, rid):
        n = 25 if t < T_ESM else 50
        lines = [(0.002, "INFO", f"received batch of {n} records from telemetry-events")]
        if t >= ON:
            return {"lines": lines, "dur": 180 + s.noise(30), "mem": 141, "error": (
                "DiskFull", f'could not extend file "{REL}.{s.rng.randint(108, 114)}": No space left on device\n'
                "HINT:  Check free disk space.", [
                    '  File "/var/task/app.py", line 61, in handler',
                    "    written = store.insert_readings(readings)",
                    '  File "/var/task/telemetry/store.py", line 88, in insert_readings',
                    "    execute_values(cur, INSERT_SQL, rows, page_size=500)",
                    '  File "/var/task/psycopg2/extras.py", line 1299, in execute_values',
                    "    cur.execute(b''.join(parts))",
                    "psycopg2.errors.DiskFull: could not extend file: No space left on device"])}
        dupes = s.rng.randint(0, 3)
        lines.append((0.5, "INFO", f"inserted {n - dupes} readings into readings_2026_07 ({dupes} duplicates skipped)"))
        if t >= T_DEP:
            lines.append((0.52, "INFO", f"dedupe metrics: window=300s keys={s.rng.randint(2000, 4000)} hit_ratio="
                          f"{s.rng.uniform(0, 0.08):.3f}"))
        return {"lines": lines, "dur": (620 if n == 25 else 1050) + s.noise(60), "mem": 212}

    def init(t):
        v = "2.7.0" if t >= T_DEP else "2.6.3"
        return [(0.05, "INFO", f"telemetry-ingest {v} init: db=telemetry-db.cx8r3nq2vw1a.ap-northeast-1.rds.amazonaws.com "
                 "table=readings_2026_07")]

    sim.run(starts_from(s, inv, 0.1), ingest, envs=3, recycle=[T_DEP + 5], init_lines=init)

    rsim = LambdaSim(s, "telemetry-rollup", "python3.12", 512, 120)

    def rollup(t, rid):
        if t >= ON:
            return {"lines": [(0.01, "INFO", "rolling up readings into readings_5m for window ending "
                               f"{s.stamp(t, '%H:%M')}")], "dur": 2100 + s.noise(200), "mem": 160, "error": (
                "DiskFull", 'could not write to file "base/pgsql_tmp/pgsql_tmp31877.3": No space left on device', [
                    '  File "/var/task/rollup.py", line 40, in handler', "    cur.execute(ROLLUP_SQL, (start, end))",
                    "psycopg2.errors.DiskFull: could not write to file: No space left on device"])}
        return {"lines": [(0.01, "INFO", f"rolling up readings into readings_5m for window ending {s.stamp(t, '%H:%M')}"),
                          (9.2, "INFO", f"upserted {s.rng.randint(11000, 14000)} rows into readings_5m")],
                "dur": 9400 + s.noise(500), "mem": 188}

    rsim.run([t + 0.3 for t in rinv if t >= -10800], rollup, envs=1)

    # ---- postgres log
    ev = []
    for t in range(-21600, 0, 300):
        if t < ON:
            ev.append((t + 11, pg(s, t + 11, "@", 402, "LOG", f"checkpoint complete: wrote {s.rng.randint(9000, 16000)} "
                                  f"buffers ({s.rng.uniform(6, 12):.1f}%); 0 WAL file(s) added, 0 removed, "
                                  f"{s.rng.randint(2, 6)} recycled")))
        if t % 1800 == 0 and t < ON:
            ev.append((t + 140, pg(s, t + 140, "@", s.rng.randint(20000, 30000), "LOG",
                                   'automatic analyze of table "telemetry.public.readings_2026_07"')))
    for t in range(ON, 0, 60):
        for _ in range(int(s.count(4))):
            tt = t + s.rng.uniform(0, 59)
            who = f"10.8.{s.rng.randint(20, 40)}.{s.rng.randint(2, 250)}({s.rng.randint(30000, 60000)}):ingest@telemetry"
            p = s.rng.randint(20000, 40000)
            ev.append((tt, pg(s, tt, who, p, "ERROR", f'could not extend file "{REL}.{s.rng.randint(108, 114)}": No space '
                              "left on device")))
            ev.append((tt + 0.001, pg(s, tt + 0.001, who, p, "HINT", "Check free disk space.")))
            ev.append((tt + 0.002, pg(s, tt + 0.002, who, p, "STATEMENT", "INSERT INTO readings_2026_07 (device_id, ts, "
                                      "metric, value) VALUES ($1,$2,$3,$4),($5,$6,$7,$8),...")))
        if t % 600 == 0:
            ev.append((t + 3, pg(s, t + 3, "@", 402, "LOG", 'could not write to file "pg_wal/xlogtemp.402": No space left on device')))
    s.log("/aws/rds/instance/telemetry-db/postgresql", "telemetry-db.0", ev)

    # ---- changes
    s.change(T_DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "telemetry-ingest",
             "ci-deployer")
    s.change(T_ESM, "lambda.amazonaws.com", "UpdateEventSourceMapping20150331", "AWS::Lambda::EventSourceMapping",
             "telemetry-ingest (sqs:telemetry-events)", "m.tanaka")
    s.change(T_GW, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "iot/device-gateway", "ci-deployer")
    s.change(T_TAG, "rds.amazonaws.com", "AddTagsToResource", "AWS::RDS::DBInstance", "telemetry-db", "finops-bot")
    s.change(T_IAM, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "grafana-cloudwatch-read",
             "terraform-ci")

    a = s.alarm("telemetry-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": "telemetry-ingest"}, "Sum", 60, 3,
                5, "GreaterThanThreshold", expect_state="ALARM", description="telemetry-ingest failing batches")
    s.alarm("telemetry-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "telemetry-db"},
            "Minimum", 300, 1, 5.0e9, "LessThanThreshold", expect_state="ALARM",
            description="telemetry-db free storage below 5 GB")
    s.alarm("telemetry-events-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "telemetry-events"},
            "Maximum", 60, 5, 600, "GreaterThanThreshold", expect_state="ALARM")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "storage_exhaustion", "resource": ["telemetry-db"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                   "dimensions": {"DBInstanceIdentifier": "telemetry-db"}},
                                  {"namespace": "AWS/Lambda", "name": "Errors",
                                   "dimensions": {"FunctionName": "telemetry-ingest"}}]})
    meta = dict(alarm=a["name"], category="storage_exhaustion", resources=["telemetry-db"],
                where="front (queue consumer Lambda; origin is its database)",
                decoys="telemetry-ingest code deploy (new 'dedupe metrics' INFO line) and event-source-mapping batch "
                       "size 25->50 about 45 min before onset (invocations halve, nothing else); device-gateway "
                       "deploy; AddTagsToResource on telemetry-db itself; IAM policy version on a Grafana policy",
                story="telemetry-db (500 GB, storage autoscaling off) has been losing about 2.3 GB of free space per "
                      "hour for the whole six-hour window; the team's own FreeStorageSpace < 5 GB alarm has been in "
                      "ALARM for about two and a half hours. At -25 min free space reaches ~100 MB and stays there: PostgreSQL logs "
                      "`could not extend file ... No space left on device`, every telemetry-ingest batch fails with "
                      "psycopg2 DiskFull, rollup temp files fail, WriteIOPS collapse and the SQS backlog grows. The "
                      "consumer's deploy and batch-size change happened 45 minutes earlier, did not change the slope "
                      "of storage use and ran cleanly until the disk filled; the tag change is metadata. Label: "
                      "storage_exhaustion on telemetry-db.")
    return doc, meta
