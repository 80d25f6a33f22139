"""h35-14: the storage of an RDS PostgreSQL instance degrades (I/O latency x200, queue depth up, IOPS
down) with no change and no exhaustion; the .NET API times out. Fast, front alarm on the ALB."""
import datetime as dt

from .lib import Scenario, alb_dims, ecs_dims, rds_dims, first_breach, clamp

FILE = "h35-14-claims-rds-io-stall.yaml"
DB = "claims-pg"
ALB = "app/claims-alb/8a4e2b6d0c1f3957"
META = {
    "file": FILE, "region": "us-west-1", "alarm": "claims-alb-target-5xx",
    "category": "dependency_failure", "resources": [DB], "where": "front (ALB)", "shape": "fast",
    "decoys": "ModifyDBParameterGroup on a different database (claims-reporting-pg) 1 h before; document-ocr "
              "deploy 3 h before; constant FraudScoreClient 429 warnings in claims-api",
    "story": (
        "24 minutes ago claims-pg's storage latency jumps: ReadLatency from ~1 ms to 150-300 ms, WriteLatency "
        "to 250-400 ms, DiskQueueDepth from ~1 to 60-90, while Read/WriteIOPS and CPU drop (the engine is "
        "waiting on I/O). Postgres logs checkpoints with `sync=` tens of seconds and many multi-second simple "
        "statements. Connections rise from ~120 to ~260 of ~3400 (not exhausted), FreeStorageSpace and memory "
        "are fine and EBSIOBalance% stays at ~99 % (no instance burst exhaustion). claims-api (.NET on ECS) "
        "logs `Npgsql.NpgsqlException: Exception while reading from stream ---> System.TimeoutException` and "
        "the ALB 5XX/latency rise. No change touched claims-pg or claims-api: the parameter-group change is "
        "on claims-reporting-pg, the OCR deploy is hours earlier, and the fraud-score 429s are constant. "
        "Label: dependency_failure, origin claims-pg."),
}


def build():
    now = dt.datetime(2026, 8, 5, 18, 15, tzinfo=dt.timezone.utc)
    s = Scenario("h35-14-claims-rds-io-stall", "us-west-1",
                 "Claims portal timing out; claims ALB 5XX alarm.",
                 seed=3514, now=now, window_h=6, tz_offset_h=-7)
    s.resource("rds", DB, engine="postgres", engine_version="14.12", instance_class="db.m6g.2xlarge",
               storage_type="gp3", iops=12000, allocated_storage_gb=1000, max_connections=3400, multi_az=False,
               log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    s.resource("rds", "claims-reporting-pg", engine="postgres", engine_version="14.12", instance_class="db.r6g.large",
               allocated_storage_gb=500, max_connections=1600)
    s.resource("ecs", "claims/claims-api", cluster="claims", service="claims-api", desired_count=5, runtime="dotnet8",
               log_groups=["/ecs/claims-api"])
    s.resource("ecs", "claims/document-ocr", cluster="claims", service="document-ocr", desired_count=2)
    s.resource("alb", ALB, name="claims-alb", scheme="internet-facing", target_groups=["claims-api-tg"])

    mins = list(range(s.start, 0, 60))
    on = -24 * 60
    bad = {t: t >= on for t in mins}
    sev = {t: (0.7 + 0.3 * s.rng.random()) if bad[t] else 0 for t in mins}
    d = rds_dims(DB)
    load = {t: s.diurnal(t, 0.15, 13) for t in mins}
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds",
             lambda t: (0.16 + 0.15 * sev[t]) if bad[t] else 0.0009 + abs(s.g(0, 0.00015)), nd=5)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds",
             lambda t: (0.25 + 0.15 * sev[t]) if bad[t] else 0.0015 + abs(s.g(0, 0.0002)), nd=5)
    s.metric("AWS/RDS", "DiskQueueDepth", d, "Count", lambda t: (58 + 32 * sev[t]) if bad[t] else 0.8 + abs(s.g(0, 0.3)))
    s.metric("AWS/RDS", "ReadIOPS", d, "Count/Second",
             lambda t: (380 + 80 * s.rng.random()) if bad[t] else 1200 + 2600 * load[t] + s.g(0, 120))
    s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second",
             lambda t: (190 + 50 * s.rng.random()) if bad[t] else 600 + 900 * load[t] + s.g(0, 60))
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent",
             lambda t: (11 + s.g(0, 1.5)) if bad[t] else 14 + 26 * load[t] + s.g(0, 2))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count",
             lambda t: (250 + s.rng.randint(-10, 15)) if bad[t] else 118 + s.rng.randint(-5, 5), nd=0)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 611.3e9 - (t - s.start) * 1.2e4, nd=0)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: 9.6e9 + s.g(0, 5e7), nd=0)
    s.metric("AWS/RDS", "EBSIOBalance%", d, "Percent", lambda t: 99 + s.rng.random() * 0.9)
    r = rds_dims("claims-reporting-pg")
    pg_chg = -60 * 60
    s.metric("AWS/RDS", "CPUUtilization", r, "Percent", lambda t: 9 + s.g(0, 1) + (6 if pg_chg <= t < pg_chg + 300 else 0))
    s.metric("AWS/RDS", "DatabaseConnections", r, "Count", lambda t: 24 + s.rng.randint(-2, 2) - (20 if pg_chg <= t < pg_chg + 120 else 0), nd=0)
    req = {t: 2300 * load[t] * (1 + s.g(0, 0.04)) + 40 for t in mins}
    r5 = {t: s.pois(0.8) + (s.pois(req[t] * 0.33 * sev[t]) if bad[t] else 0) for t in mins}
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: s.pois(0.1 + (4 if bad[t] else 0)), nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds",
             lambda t: (6 + 7 * sev[t]) if bad[t] else 0.09 + 0.02 * load[t] + abs(s.g(0, 0.005)))
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 5, nd=0)
    e = ecs_dims("claims", "claims-api")
    s.metric("AWS/ECS", "CPUUtilization", e, "Percent", lambda t: (9 if bad[t] else 16 + 22 * load[t]) + s.g(0, 1.5))
    s.metric("AWS/ECS", "MemoryUtilization", e, "Percent", lambda t: (49 if bad[t] else 41) + s.g(0, 0.8))
    ocr = -3 * 3600
    o = ecs_dims("claims", "document-ocr")
    s.metric("AWS/ECS", "CPUUtilization", o, "Percent", lambda t: 30 + s.g(0, 3) + (20 if ocr <= t < ocr + 300 else 0))

    # ---- logs ---------------------------------------------------------------------------------
    def net(t, lvl, cat, msg):
        return (t, f"{lvl}: {cat}\n      {msg}")

    exc = ("An unhandled exception has occurred while executing the request.\n      Npgsql.NpgsqlException (0x80004005): "
           "Exception while reading from stream\n       ---> System.TimeoutException: Timeout during reading attempt\n"
           "         at Npgsql.Internal.NpgsqlReadBuffer.<Ensure>g__EnsureLong|55_0(NpgsqlReadBuffer buffer, Int32 count, "
           "Boolean async, Boolean readingNotifications)\n         --- End of inner exception stack trace ---\n"
           "         at Npgsql.NpgsqlDataReader.NextResult(Boolean async, Boolean isConsuming, CancellationToken "
           "cancellationToken)\n         at Claims.Api.Data.ClaimRepository.GetClaimAsync(String claimId) in "
           "/src/Claims.Api/Data/ClaimRepository.cs:line 64")
    for k in range(2):
        ev = []
        for t in s.times(lambda t: 7 * s.diurnal(t, 0.15, 13), start=-3 * 3600):
            m = t - t % 60
            cid = f"CLM-{s.rng.randint(10 ** 6, 10 ** 7)}"
            if s.rng.random() < 0.04:
                ev.append(net(t, "warn", "Claims.Api.Integrations.FraudScoreClient[0]",
                              f"Fraud score provider returned 429 for {cid}, using default score 0.5"))
            if bad[m] and s.rng.random() < 0.36 * sev[m] / 0.85:
                ev.append(net(t + 30, "fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]", exc))
            elif bad[m]:
                ev.append(net(t + 4, "info", "Claims.Api.Controllers.ClaimsController[0]",
                              f"GET /v1/claims/{cid} 200 in {int(2500 + s.rng.random() * 9000)} ms"))
            else:
                ev.append(net(t, "info", "Claims.Api.Controllers.ClaimsController[0]",
                              f"GET /v1/claims/{cid} 200 in {int(25 + s.rng.random() * 70)} ms"))
        s.log("/ecs/claims-api", f"claims-api/claims-api/{s.hexid(32)}", ev)

    def pg(t, who, pid, level, msg):
        return (t, f"{s.stamp(t, '%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}")

    ev = []
    t = s.start + 41
    while t < 0:
        b = t >= on
        ev.append(pg(t, "@", 611, "LOG", "checkpoint starting: time"))
        w = 269.7 + s.rng.random() * 0.3 if not b else 270 + s.rng.random() * 40
        sy = s.rng.random() * 0.05 if not b else 22 + s.rng.random() * 40
        ev.append(pg(t + w + sy, "@", 611, "LOG", f"checkpoint complete: wrote {s.rng.randint(3000, 9000)} buffers; 0 WAL "
                                                  f"file(s) added, 0 removed, {s.rng.randint(2, 9)} recycled; write={w:.3f} s, "
                                                  f"sync={sy:.3f} s, total={w + sy:.3f} s; sync files={s.rng.randint(40, 90)}, "
                                                  f"longest={sy * 0.6:.3f} s, average={sy / 60:.3f} s"))
        t += 300
    for t in s.times(lambda t: 14 if t >= on else 0.03, start=s.start):
        ev.append(pg(t, f"{s.ip('10.50')}({s.rng.randint(30000, 60000)}):claims_app@claims", s.rng.randint(3000, 9000),
                     "LOG", f"duration: {(1500 + s.rng.random() * 9000) if t >= on else 1000 + s.rng.random() * 300:.3f} ms  "
                            "execute <unnamed>: SELECT c.* FROM claims c WHERE c.claim_id = $1"))
    s.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)

    s.change(ocr - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "document-ocr:77",
             "ci-deployer")
    s.change(ocr, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "claims/document-ocr", "ci-deployer")
    s.change(pg_chg, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
             "claims-reporting-pg14", "d.nguyen")
    when = first_breach(r5, 60, 3, 25, ">")
    s.alarm("claims-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Sum", 60, 3, 25,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (25.0).",
            min(when or -1200, -60), description="claims API 5xx")
    s.expect = {"alarm": "claims-alb-target-5xx",
                "root_cause": {"category": "dependency_failure", "resource": [DB]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "ReadLatency", "dimensions": d},
                              {"namespace": "AWS/RDS", "name": "DiskQueueDepth", "dimensions": d}]}
    return s
