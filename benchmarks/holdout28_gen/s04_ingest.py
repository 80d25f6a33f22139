"""h28-04: spool volume on one EC2 ingest worker fills slowly (stuck janitor) until writes fail."""
from __future__ import annotations

import random

from .common import jd, HIST, LOGS, Clock, alarm, change, diurnal, log_stream, poisson, ramp
from .logfmt import Rec

R = "ap-southeast-2"
W1, W2 = "i-0a83d2f61c9e40b17", "i-0c4f7a9e2b81d3365"
NAMES = {W1: "ingest-worker-1", W2: "ingest-worker-2"}
ALB = "app/ingest-alb/3f9a0c7d21e84b56"
LOW, FULL = -2700, -2100
SPOOL_BYTES = 500 * 2 ** 30


def w2_disk(t):
    if t < LOW:
        return 71.0 + 26.0 * (t + HIST) / (HIST + LOW)
    return min(99.98, ramp(t, LOW, FULL, 97.0, 99.98))


def build():
    rng = random.Random(2804)
    clk = Clock("2026-03-13T04:36:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    metrics, logs = [], []
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    for t in range(-HIST, 0, 60):
        req = poisson(rng, 6000 * diurnal(t, 0.2, -30000))
        half = req / 2
        if t < LOW:
            bad = 0
        elif t < FULL:
            bad = poisson(rng, half * ramp(t, LOW, FULL, 0.0, 0.06))
        else:
            bad = poisson(rng, half * 0.93)
        lat = 0.021 + abs(rng.gauss(0, 0.002)) - (0.008 if t >= FULL else 0)
        alb.put(t, RequestCount=req, TargetResponseTime=lat, HTTPCode_Target_5XX_Count=bad + poisson(rng, 0.2),
                HTTPCode_Target_4XX_Count=poisson(rng, 9), HTTPCode_ELB_5XX_Count=poisson(rng, 0.1),
                HealthyHostCount=2, UnHealthyHostCount=0)
    metrics += alb.metrics()
    for inst in (W1, W2):
        ec2 = Rec("AWS/EC2", {"InstanceId": inst})
        for t in range(-HIST, 0, 300):          # basic monitoring: 5-minute datapoints
            cpu = 31 * diurnal(t, 0.2, -30000) + rng.gauss(0, 1.5)
            if any(top <= t < top + 300 for top in tops):
                cpu = (86 if inst == W1 else 69) + rng.gauss(0, 2)
            if inst == W2 and t >= FULL:
                cpu *= 0.6
            ec2.put(t, CPUUtilization=cpu, NetworkIn=5.1e8 * diurnal(t, 0.2, -30000) * rng.uniform(0.95, 1.05),
                    NetworkOut=3.2e7 * rng.uniform(0.9, 1.1), StatusCheckFailed=0)
        metrics += ec2.metrics()
        agent = Rec("CWAgent", {"InstanceId": inst})
        spool = Rec("CWAgent", {"InstanceId": inst, "path": "/var/lib/ingest", "fstype": "xfs"})
        root = Rec("CWAgent", {"InstanceId": inst, "path": "/", "fstype": "xfs"})
        for t in range(-HIST, 0, 60):
            agent.put(t, mem_used_percent=(46.2 if inst == W2 else 44.8) + rng.gauss(0, 0.4))
            d = w2_disk(t) if inst == W2 else 55.0 + 7.0 * (((t + HIST) % 600) / 600.0)
            spool.put(t, disk_used_percent=d + (rng.gauss(0, 0.03) if d < 99.9 else 0))
            root.put(t, disk_used_percent=38.4 + rng.gauss(0, 0.05))
        metrics += agent.metrics() + spool.metrics() + root.metrics()

        # ---- ingestd logs (zap JSON + stdlib net/http error log lines) ----
        ev = []
        seg = 4790 if inst == W2 else 5512
        t = float(-LOGS)
        while t < 0:
            ts = t + rng.uniform(0, 30)
            full = inst == W2 and ts >= FULL
            low = inst == W2 and LOW <= ts < FULL
            for _ in range(poisson(rng, 3)):
                x = ts + rng.uniform(0, 30)
                src = f"sensor-gw-{rng.randint(1, 60):02d}"
                if full and rng.random() < 0.93:
                    ev.append((x, jd({"level": "error", "ts": clk.iso(x), "caller": "spool/writer.go:214",
                                              "msg": "spool append failed", "source": src,
                                              "error": f"write /var/lib/ingest/spool/seg-{seg:07d}.wal: no space left on device"})))
                    ev.append((x + 0.001, jd({"level": "warn", "ts": clk.iso(x), "caller": "api/ingest.go:96",
                                                      "msg": "request failed", "status": 507, "source": src, "latency_ms": rng.randint(1, 4)})))
                elif low and rng.random() < ramp(x, LOW, FULL, 0.0, 0.06):
                    ev.append((x, jd({"level": "warn", "ts": clk.iso(x), "caller": "api/ingest.go:88",
                                              "msg": "spool free space below reserve, rejecting batch", "status": 503,
                                              "free_bytes": int((100 - w2_disk(x)) / 100 * SPOOL_BYTES), "source": src})))
                else:
                    ev.append((x, jd({"level": "info", "ts": clk.iso(x), "caller": "api/ingest.go:121",
                                              "msg": "batch accepted", "source": src, "records": rng.randint(200, 2000),
                                              "latency_ms": rng.randint(9, 30)})))
            if rng.random() < 0.11:
                x = ts + rng.uniform(0, 30)
                ev.append((x, f"{clk.golog(x)} http: TLS handshake error from 10.40.{rng.randint(1, 9)}.{rng.randint(2, 250)}:"
                              f"{rng.randint(32768, 60999)}: EOF"))
            if not full and rng.random() < 0.12:
                seg += 1
                ev.append((ts, jd({"level": "info", "ts": clk.iso(ts), "caller": "spool/writer.go:301",
                                           "msg": "segment rotated", "segment": f"seg-{seg:07d}.wal", "bytes": 268435456})))
            if int(t) % 600 == 0:
                if inst == W1:
                    ev.append((t + 1, jd({"level": "info", "ts": clk.iso(t + 1), "caller": "spool/janitor.go:57",
                                                  "msg": "janitor run complete", "removed_segments": rng.randint(12, 16),
                                                  "freed_bytes": rng.randint(31, 36) * 2 ** 30 // 10, "retention": "72h"})))
                else:
                    ev.append((t + 1, jd({"level": "error", "ts": clk.iso(t + 1), "caller": "spool/janitor.go:41",
                                                  "msg": "janitor run skipped",
                                                  "error": "acquire /var/lib/ingest/.janitor.lock: resource temporarily unavailable",
                                                  "lock_holder_pid": 1187, "lock_age": f"{49 + (t + LOGS) / 3600:.1f}h"})))
            if int(t) % 300 == 0:
                u = w2_disk(t) if inst == W2 else 55.0 + 7.0 * (((t + HIST) % 600) / 600.0)
                ev.append((t + 2, jd({"level": "info", "ts": clk.iso(t + 2), "caller": "spool/stats.go:30",
                                              "msg": "spool usage", "used_pct": round(u, 2),
                                              "free_bytes": int((100 - u) / 100 * SPOOL_BYTES)})))
            t += 30
        logs.append(log_stream("/ingest/ingestd", inst, ev))
        sysl = []
        for top in tops:
            if top >= -LOGS:
                host = f"ip-10-40-{2 if inst == W1 else 3}-{17 if inst == W1 else 88}"
                sysl.append((top + 1, f"{clk.syslog(top + 1)} {host} CROND[{rng.randint(20000, 30000)}]: (root) CMD "
                                      "(/usr/local/bin/ship-rotated-logs.sh >/dev/null 2>&1)"))
                sysl.append((top + 2, f"{clk.syslog(top + 2)} {host} logrotate[{rng.randint(20000, 30000)}]: "
                                      "rotating pattern: /var/log/ingestd/*.log  hourly (24 rotations)"))
                sysl.append((top + 290, f"{clk.syslog(top + 290)} {host} ship-rotated-logs[{rng.randint(20000, 30000)}]: "
                                        f"uploaded {rng.randint(4, 7)} files to s3://ingest-archive-apse2/logs/ (gzip level 9)"))
        logs.append(log_stream("/var/log/messages", inst, sysl))

    alarms = [alarm(clk, "ingest-alb-target-5xx", alb.get("HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 300,
                    description="Sensor ingest ALB: target 5XX > 5% of traffic")]
    changes = [
        change(-2460, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0b1d7e93a2c4f5061",
               "netops-admin"),
        change(-5020, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", W1, "asset-inventory"),
    ]
    res = [{"type": "ec2", "id": i, "properties": {"name": NAMES[i], "instance_type": "c6g.xlarge",
                                                  "log_groups": ["/ingest/ingestd", "/var/log/messages"],
                                                  "volumes": {"/": "gp3 40 GiB", "/var/lib/ingest": "gp3 500 GiB"}}}
           for i in (W1, W2)]
    res.append({"type": "alb", "id": ALB, "properties": {"name": "ingest-alb", "scheme": "internal",
                                                       "targets": [NAMES[W1], NAMES[W2]]}})
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-04-ingest-spool-disk-full",
        "description": "Sensor gateways report rejected uploads; ingest ALB 5XX alarm.",
        "region": R, "resources": res, "metrics": metrics, "logs": logs, "alarms": alarms, "changes": changes,
        "expect": {"alarm": "ingest-alb-target-5xx",
                   "root_cause": {"category": "storage_exhaustion", "resource": [W2, NAMES[W2]]},
                   "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                  "dimensions": {"InstanceId": W2, "path": "/var/lib/ingest", "fstype": "xfs"}},
                                 {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                  "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "front (ingest-alb)",
            "decoys": "top-of-hour log-shipping cron CPU spike (bigger on worker-1) minutes before the 5XX; security-group "
                      "change 41 min ago; constant Go 'TLS handshake error ... EOF' noise on both workers",
            "story": (
                "disk_used_percent for /var/lib/ingest on ingest-worker-2 climbs in a straight line from 71 % to 97 % over six "
                "hours while worker-1's sawtooths between 55 and 62 %: worker-2's janitor has been skipping every run because a "
                "stale lock is held by pid 1187. At 97 % (45 min ago) ingestd starts shedding a few batches with 503 "
                "('free space below reserve'), and once the volume is full 10 minutes later almost every write on worker-2 fails "
                "with 'no space left on device' and returns 507. /healthz keeps passing, so the ALB keeps sending half the "
                "traffic to the broken worker and the 5XX alarm (5 % of traffic) fires. The alarm is on the ALB but the origin is "
                "worker-2's data volume: storage_exhaustion on i-0c4f7a9e2b81d3365 / ingest-worker-2. The hourly cron CPU spike "
                "on both workers (worker-1 higher) lands right at the onset but is routine and harmless.")}
    return scen, meta
