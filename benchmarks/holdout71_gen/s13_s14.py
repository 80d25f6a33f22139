"""h71-13 frame decoder release crash-loops; h71-14 telemetry DB stuck in crash recovery."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, device_id, ecs_metrics, lam_metrics, lambda_logs, logfmt, rds_metrics,
                  sprinkle, zeros)
from .runtimes import jline, pg

PANIC = ("goroutine 87 [running]:\n"
         "github.com/fleetco/frame-decoder/internal/can.(*Decoder).decodeSignals(0xc0001a2000, "
         "{0xc000b3e000, 0xc, 0xc})\n\t/src/internal/can/decoder.go:214 +0x4a5\n"
         "github.com/fleetco/frame-decoder/internal/can.(*Decoder).Decode(...)\n"
         "\t/src/internal/can/decoder.go:131\n"
         "main.(*worker).run(0xc00012c0f0, {0x1a3b2c0, 0xc000098000})\n"
         "\t/src/cmd/frame-decoder/worker.go:77 +0x2f1\n"
         "created by main.main in goroutine 1\n\t/src/cmd/frame-decoder/main.go:58 +0x5d8")


def s13() -> Scenario:
    sc = Scenario(13, "frame-decoder-tasks",
                  "Frame decoder running task count below desired; position data stalling.",
                  "us-west-2", 7113, "2026-03-21T19:37:00")
    svc, dep, prev = "telemetry/frame-decoder", -2820, -13000
    sc.resource("ecs", svc, desired_count=4, cpu=1024, memory=2048, launch_type="FARGATE",
                runtime="go1.22", source="kinesis:can-frames", log_group="/ecs/frame-decoder")
    sc.resource("ecs", "telemetry/ts-writer", desired_count=3, runtime="go1.22")
    sc.resource("rds", "fleet-ts-west", engine="postgres", instance_class="db.r6g.xlarge",
                max_connections=1800, allocated_storage_gb=800)
    tasks = []   # (id, born, died, version)
    for k in range(4):
        tasks.append((sc.hexid(32), prev + 30 + 20 * k, dep + 60 + 40 * k, "v2.30.4"))
        tasks.append((sc.hexid(32), -21600, prev + 60 + 20 * k, "v2.30.3"))
    for k in range(4):
        born = dep + 30 + 25 * k
        while born < 0:
            life = sc.rng.uniform(25, 70)
            tasks.append((sc.hexid(32), born, born + life, "v2.31.0"))
            born += life + sc.rng.uniform(40, 80)
    running = []
    for m in GRID:
        n = sum(1 for _, b, d, _ in tasks if b <= m + 30 < d)
        running.append(float(min(n, 6)))
    ecs_metrics(sc, "telemetry", "frame-decoder",
                sc.series(lambda t: 46 - 28 * ramp(t, dep + 60, dep + 240), noise=0.06),
                sc.series(lambda t: 52 - 20 * ramp(t, dep + 60, dep + 240), noise=0.03), running)
    ecs_metrics(sc, "telemetry", "ts-writer", sc.series(lambda t: 31 - 18 * ramp(t, dep + 60, dep + 300),
                                                        noise=0.06),
                sc.series(lambda t: 40, noise=0.02))
    rds_metrics(sc, "fleet-ts-west", sc.series(lambda t: 38 - 20 * ramp(t, dep + 60, dep + 300), noise=0.05),
                sc.series(lambda t: 210, noise=0.03, integer=True),
                sc.series(lambda t: 402 - 0.0001 * (t + 21600), noise=0.0002),
                sc.series(lambda t: 12.4, noise=0.01),
                sc.series(lambda t: 0.0009, noise=0.1, digits=5),
                sc.series(lambda t: 0.0014, noise=0.1, digits=5))
    ev_group = "/aws/events/ecs-task-state"
    for task, born, died, ver in tasks:
        if died < -14400:
            continue
        stream = f"ecs/frame-decoder/{task}"
        if born > -21600:
            sc.log("/ecs/frame-decoder", stream, born + 2,
                   logfmt(sc, born + 2, "INFO", "starting frame-decoder", version=ver,
                          commit={"v2.30.4": "41d07be", "v2.30.3": "c3a9e12"}.get(ver, "9f2c1ab"),
                          go="go1.22.5"))

        def line(t, born=born, died=died):
            if t < born + 3 or t > died - 1:
                return None
            r = sc.rng.random()
            dev = device_id(sc, "TCU")
            if r < 0.07:
                return logfmt(sc, t, "WARN", "dropping frame with future timestamp", device=dev,
                              skew="1h0m1s")
            if r < 0.12:
                return logfmt(sc, t, "ERROR", "crc mismatch", device=dev,
                              frame_id=f"0x{sc.rng.randint(256, 2047):03X}")
            return logfmt(sc, t, "INFO", "decoded batch", shard=f"shardId-00000000000{sc.rng.randint(0, 7)}",
                          frames=sc.rng.randint(200, 600), lag_ms=sc.rng.randint(300, 1400))
        sprinkle(sc, "/ecs/frame-decoder", stream, lambda t: 1.0 if ver != "v2.31.0" else 4.0, line,
                 t0=max(born, -14400), t1=min(died, 0))
        if died < 0 and ver == "v2.31.0":
            sc.log("/ecs/frame-decoder", stream, died - 0.01,
                   "panic: runtime error: index out of range [12] with length 12")
            sc.log("/ecs/frame-decoder", stream, died, PANIC)
            reason, code = "Essential container in task exited", 2
        elif died < 0:
            reason, code = "Scaling activity initiated by (deployment ecs-svc/" + sc.hexid(19) + ")", 0
            sc.log("/ecs/frame-decoder", stream, died - 0.5,
                   logfmt(sc, died - 0.5, "INFO", "received SIGTERM, checkpointing and shutting down"))
        else:
            continue
        sc.log(ev_group, "ecs-events", died + 3, jline({
            "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
            "time": sc.iso(died + 3, 0), "region": sc.region, "detail": {
                "clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/telemetry",
                "group": "service:frame-decoder", "lastStatus": "STOPPED",
                "stopCode": "EssentialContainerExited" if code else "ServiceSchedulerInitiated",
                "stoppedReason": reason,
                "taskDefinitionArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task-definition/frame-decoder:"
                                     + ("142" if ver == "v2.31.0" else ("141" if ver == "v2.30.4" else "140")),
                "containers": [{"name": "frame-decoder", "exitCode": code}]}}))
    for t, n in ((prev - 10, "RegisterTaskDefinition"), (prev, "UpdateService"),
                 (dep - 10, "RegisterTaskDefinition"), (dep, "UpdateService")):
        sc.change(t, "ecs.amazonaws.com", n, "AWS::ECS::TaskDefinition" if n[0] == "R" else "AWS::ECS::Service",
                  ("frame-decoder:" + ("142" if t > -5000 else "141")) if n[0] == "R" else svc,
                  "github-actions-deploy")
    sc.change(-2755, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "ts-writer:77", "m.alvarez")
    sc.change(-2750, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "telemetry/ts-writer",
              "m.alvarez")
    sc.alarm("frame-decoder-running-tasks", "ECS/ContainerInsights", "RunningTaskCount",
             {"ClusterName": "telemetry", "ServiceName": "frame-decoder"}, "Average", 300, 2, 3,
             "LessThanThreshold", "frame-decoder has fewer running tasks than expected")
    sc.expect = {"alarm": "frame-decoder-running-tasks",
                 "root_cause": {"category": "bad_deployment", "resource": [svc, "frame-decoder"]}}
    sc.meta = dict(where="alarm on origin (ECS service)",
                   decoys="ts-writer task-definition change by a human 70 s after the release "
                          "(closer to onset); an earlier clean release of the same service; crc and "
                          "future-timestamp errors at a constant rate; downstream CPU drops",
                   services="ECS (Go), RDS")
    return sc


def s14() -> Scenario:
    sc = Scenario(14, "ts-batch-writer-failing",
                  "Telemetry batch writer Lambda failing every batch; Errors alarm paged.",
                  "eu-central-1", 7114, "2026-03-22T03:44:00")
    fn, db, other = "ts-batch-writer", "telemetry-pg", "routes-pg"
    host = f"{db}.c9x2kq1wz7ab.eu-central-1.rds.amazonaws.com"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=30, memory_size=512,
                event_source="sqs:position-batches")
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.2xlarge",
                multi_az=True, max_connections=5000, allocated_storage_gb=2000)
    sc.resource("rds", other, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=300)
    sc.resource("ecs", "routing/eta-api", desired_count=3, runtime="java21")
    down = -2000
    dn = lambda t: 1.0 if t >= down else 0.0
    inv = sc.series(lambda t: 38 * (1 + 0.8 * ramp(t, down, down + 600)) + (20 if sc.at(t).minute < 3 else 0),
                    noise=0.03, integer=True)
    err = [float(round(i * 0.985)) if t >= down else float(sc.rng.random() < 0.02)
           for t, i in zip(GRID, inv)]
    dur = sc.series(lambda t: 420 + 1350 * dn(t), noise=0.06)
    lam_metrics(sc, fn, inv, err, dur)
    gap = lambda t: down <= t < down + 240
    rec = lambda v, t: None if gap(t) else v
    rds_metrics(sc, db, [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 41 + 14 * dn(t), noise=0.05))],
                [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 118 * (1 - dn(t)) + 2 * dn(t), noise=0.05,
                                                           integer=True))],
                [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 611, noise=0.0002))],
                [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 21 + 20 * dn(t), noise=0.01))],
                [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 0.0011 + 0.004 * dn(t), noise=0.1, digits=5))],
                [rec(v, t) for t, v in zip(GRID, sc.series(lambda t: 0.0017 + 0.0008 * dn(t), noise=0.1, digits=5))])
    rb = lambda t: -2060 <= t < -1960
    rds_metrics(sc, other, [None if rb(t) else v for t, v in zip(GRID, sc.series(lambda t: 22, noise=0.07))],
                [None if rb(t) else v for t, v in zip(GRID, sc.series(lambda t: 64, noise=0.04, integer=True))],
                sc.series(lambda t: 207, noise=0.0002), sc.series(lambda t: 5.2, noise=0.01),
                sc.series(lambda t: 0.0010, noise=0.1, digits=5),
                sc.series(lambda t: 0.0015, noise=0.1, digits=5))

    def body(ll, t, rid, is_err, cold):
        lines = []
        if sc.rng.random() < 0.1:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"skipping {sc.rng.randint(1, 30)} points with "
                                       "device clock skew > 300s")))
        if sc.rng.random() < 0.04:
            lines.append((0.06, ll.fmt(t, rid, "ERROR", f"dead-lettering message {sc.uuid()}: "
                                       "JSON::ParserError unexpected token at '\\x00\\x00'")))
        if is_err:
            fatal = sc.rng.choice([
                "FATAL:  the database system is not yet accepting connections\\nDETAIL:  Consistent "
                "recovery state has not been yet reached.\\n",
                "FATAL:  the database system is not yet accepting connections\\nDETAIL:  Consistent "
                "recovery state has not been yet reached.\\n",
                "timeout expired\\n"])
            d = 5000 if fatal.startswith("timeout") else sc.rng.uniform(40, 120)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR",
                "Error raised from handler method\n{\n  \"errorMessage\": \"connection to server at "
                f"\\\"{host}\\\" (10.31.4.17), port 5432 failed: {fatal}\",\n"
                "  \"errorType\": \"Function<PG::ConnectionBad>\",\n  \"stackTrace\": [\n"
                "    \"/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/connection.rb:701:in `async_connect_or_reset'\",\n"
                "    \"/var/task/lib/ts_store.rb:14:in `connection'\",\n"
                "    \"/var/task/handler.rb:11:in `handler'\"\n  ]\n}")))
            return {"lines": lines, "dur": d + 10}
        d = sc.rng.uniform(250, 650)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"inserted {sc.rng.randint(200, 2400)} "
                                       f"rows into positions_2026_03 batch={sc.hexid(8)}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "ruby3.3", 512, 30, inv, err, body, k=3, retire=(-9000,))

    def pgl(t):
        if t < down:
            return pg(sc, t, "LOG", sc.rng.choice(["checkpoint starting: time",
                      "checkpoint complete: wrote 18233 buffers (3.5%); 0 WAL file(s) added, 0 removed, 14 recycled",
                      "automatic vacuum of table \"telemetry.public.positions_2026_03\": index scans: 0"]))
        if gap(t):
            return None
        if sc.rng.random() < 0.25:
            el = t - down - 240
            return pg(sc, t, "LOG", f"redo in progress, elapsed time: {el:.2f} s, current LSN: "
                      f"5A3/{int(0x10000000 + el * 190000):08X}")
        return pg(sc, t, "FATAL", "the database system is not yet accepting connections",
                  client=f"10.31.{sc.rng.randint(1, 30)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})",
                  user="writer", db="telemetry")
    sprinkle(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0", lambda t: 0.4 if t < down else 2.0, pgl)
    st = down + 240
    for k, msg in enumerate(["database system was interrupted; last known up at "
                             f"{sc.at(down - 40).strftime('%Y-%m-%d %H:%M:%S')} UTC",
                             "database system was not properly shut down; automatic recovery in progress",
                             "redo starts at 5A3/0E2B4F10"]):
        sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", st + k * 0.4, pg(sc, st + k * 0.4, "LOG", msg))
    sc.change(-2060, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", other, "dba.nschulz")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "circleci-deploy")
    sc.alarm("ts-batch-writer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Telemetry batch writer errors")
    sc.expect = {"alarm": "ts-batch-writer-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [db]}}
    sc.meta = dict(where="alarm on the caller (Lambda); origin RDS behind it",
                   decoys="manual reboot of a different database 60 s before onset; a code deploy "
                          "of the caller 2.5 h earlier; clock-skew and dead-letter lines all night",
                   services="Lambda (Ruby), RDS PostgreSQL, ECS")
    return sc
