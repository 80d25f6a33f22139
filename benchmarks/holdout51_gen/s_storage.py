"""storage_exhaustion: the /data volume of a Go telemetry ingest server fills
up; the disk alarm on the instance is the one to investigate."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, ramp
from .lambda_sim import LambdaFn
from .services import S, alb, ec2, lambda_deploy, zap

IN1 = ("i-0b2d4f6a8c1e35790", "telemetry-ingest-1")
IN2 = ("i-07e9c1a3b5d2f4680", "telemetry-ingest-2")


def ingest_disk_full():
    s = Scn("h51-12-telemetry-ingest-data-disk-full", 5112, "us-west-1", "2026-11-26T23:50:00",
            "Device telemetry dashboards show gaps for about half of the fleet; disk alarm on an "
            "ingest server.")
    full = -1560

    def disk1(t):
        if t < -3000:
            return ramp(t, -21600, -3000, 84.0, 93.6)
        return min(100.0, ramp(t, -3000, full, 93.6, 100.0))

    isfull = lambda t: disk1(t) >= 99.99
    req = S(s, lambda t: s.poisson(diurnal(t, 1500, 260, -8000)))
    t5 = [float(s.poisson(0.3) + (s.binom(r, 0.46) if isfull(t) else 0)) for t, r in zip(s.times, req)]
    lb = alb(s, "telemetry-alb", "1c5e7a9b3d2f4608", req,
             S(s, lambda t: s.gauss(0.018, 0.002) - (0.004 if isfull(t) else 0)), t5,
             S(s, lambda t: float(s.poisson(0.04))), [2.0] * len(s.times), [0.0] * len(s.times),
             scheme="internet-facing", target_group="ingest-tg", health_check_path="/healthz")
    ec2(s, IN1[0], IN1[1], "c6i.2xlarge",
        S(s, lambda t: clamp(diurnal(t, 34, 6, -8000) * (0.8 if isfull(t) else 1) + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 47 + s.gauss(0, 0.6)), S(s, lambda t: 38.2 + s.gauss(0, 0.02)),
        S(s, lambda t: diurnal(t, 2.1e7, 4e6, -8000) * s.gauss(1, 0.05)),
        extra_disks=[("/data", S(s, lambda t: round(disk1(t) + (0 if isfull(t) else s.gauss(0, 0.02)), 3)))],
        data_volume="/data 500 GiB gp3 (xfs)", service="ingestd (Go 1.23)",
        log_groups=["/telemetry-ingest/ingestd"])
    ec2(s, IN2[0], IN2[1], "c6i.2xlarge",
        S(s, lambda t: clamp(diurnal(t, 35, 6, -8000) + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 46 + s.gauss(0, 0.6)), S(s, lambda t: 37.9 + s.gauss(0, 0.02)),
        S(s, lambda t: diurnal(t, 2.1e7, 4e6, -8000) * s.gauss(1, 0.05)),
        extra_disks=[("/data", S(s, lambda t: ramp(t, -21600, 0, 58.5, 63.1) + s.gauss(0, 0.02)))],
        data_volume="/data 500 GiB gp3 (xfs)", service="ingestd (Go 1.23)")

    for iid, name in (IN1, IN2):
        ev, seg = [], s.rng.randint(300, 400)
        mine = iid == IN1[0]
        for t0 in s.times:
            if t0 < -10800:
                continue
            hour = s.fmt(t0, "%Y%m%d%H")
            for _ in range(s.poisson(7)):
                t = t0 + s.rng.random() * 60
                if mine and isfull(t):
                    seg_name = f"/data/spool/{hour}/seg-{seg:06d}.wal"
                    ev.append((t, zap(s, t, "error", "spool/writer.go:88", "failed to persist batch",
                                      batch_id=f"b-{s.hex(12)}", points=s.rng.randint(500, 5000),
                                      error=f"write {seg_name}: no space left on device")))
                    ev.append((t + 0.0005, zap(s, t + 0.0005, "warn", "httpapi/ingest.go:141", "request failed",
                                               status=503, path="/v2/ingest", remote=f"10.70.{s.rng.randint(0, 9)}."
                                                                                      f"{s.rng.randint(2, 250)}")))
                    continue
                if s.chance(0.15):
                    seg += 1
                ev.append((t, zap(s, t, "info", "spool/writer.go:71", "batch persisted",
                                  segment=f"/data/spool/{hour}/seg-{seg:06d}.wal",
                                  points=s.rng.randint(500, 5000), bytes=s.rng.randint(200000, 2400000))))
            if t0 % 120 == 0:
                t = t0 + s.rng.random() * 60
                ev.append((t, zap(s, t, "warn", "model/point.go:203", "dropping datapoint with future timestamp",
                                  device_id=f"dev-{s.hex(8)}", skew_s=s.rng.randint(400, 9000))))
            if t0 % 600 == 0:
                t = t0 + 5
                free_gib = (100 - disk1(t)) * 5 if mine else 190
                if mine and free_gib < 48:
                    ev.append((t, zap(s, t, "warn", "compact/compactor.go:57", "compaction skipped: insufficient free space",
                                      need_bytes=48 * 2 ** 30, free_bytes=int(free_gib * 2 ** 30))))
                else:
                    ev.append((t, zap(s, t, "info", "compact/compactor.go:92", "compaction finished",
                                      segments=s.rng.randint(20, 60), freed_bytes=s.rng.randint(300, 900) * 2 ** 20)))
        s.log("/telemetry-ingest/ingestd", iid, ev)

    ru = LambdaFn(s, "telemetry-rollup", "python3.12", 2048, 300, mem_used=(610, 900))
    hourly = lambda t: (t % 3600) < 360
    ri = S(s, lambda t: s.poisson(9 if hourly(t) else 0.5))
    ru.metrics(ri, [0] * len(ri), S(s, lambda t: s.gauss(48000 if hourly(t) else 3100, 1500)))
    ru.simulate(lambda c: [(c.duration_ms / 1000 - 0.1, "INFO",
                            f"rolled up {s.rng.randint(1, 90)}M points into 1h buckets for shard "
                            f"{s.rng.randint(0, 63)}")])
    lambda_deploy(s, -16000, "telemetry-rollup", "buildkite")
    s.change(-1900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "telemetry-rollup", "j.alvarez")
    s.alarm("telemetry-ingest-1-data-disk", "CWAgent", "disk_used_percent",
            {"InstanceId": IN1[0], "path": "/data", "fstype": "xfs"}, "Maximum", 300, 1, 97,
            description="/data on telemetry-ingest-1 above 97 %")
    res = [IN1[0], IN1[1]]
    doc = s.to_dict({
        "alarm": "telemetry-ingest-1-data-disk",
        "root_cause": {"category": "storage_exhaustion", "resource": res},
        "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                       "dimensions": {"InstanceId": IN1[0], "path": "/data", "fstype": "xfs"}}]})
    meta = dict(
        alarm="telemetry-ingest-1-data-disk", category="storage_exhaustion", resources=res, on="origin",
        decoys=["telemetry-rollup deployed 4.4 h earlier", "steady 'future timestamp' warn",
                "telemetry-rollup hourly bursts", "UpdateFunctionConfiguration on telemetry-rollup 6 min before the disk filled"],
        text="The /data volume of telemetry-ingest-1 has been filling all evening (84 % six hours ago, "
             "faster in the last hour) and reaches 100 % 26 minutes ago; compaction had already "
             "been skipping for lack of free space. Since then every batch write fails with `write "
             "/data/spool/...: no space left on device`, the instance answers ingest requests with "
             "503 and the ALB's target 5XX jump to about half of the traffic (the other server, "
             "whose /data is at 63 %, is fine). The root volume, CPU and memory are normal. The "
             "rollup function's deploy, configuration change and hourly bursts do not touch this "
             "disk, and the future-timestamp warning is constant. Disk full with ENOSPC errors: "
             "storage_exhaustion, origin telemetry-ingest-1.")
    return doc, meta
