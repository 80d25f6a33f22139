"""h53-05: Go tile-server leaks goroutines on geo-tiles-3 (9 days up); the OOM killer can't kill it
(oom_score_adj -1000), kills the agents instead, the box thrashes and fails its instance status check."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import alb_set, ec2_set, lambda_set, minutes

REGION = "ap-southeast-2"
T1, T2, T3 = "i-0a3c5e7f9b1d2f4a6", "i-0d6f8a1c3e5b7d9f2", "i-0b7e3f9a1c2d4e5f6"
LB = "app/geo-tiles-alb/9e8d7c6b5a4f3e21"
NOW_H = 13.25
FIRST_OOM = -2940
HANG = -1500       # last datapoint the agent manages to ship
STATUS = -1380     # instance status check starts failing

META = {
    "file": "h53-05-ec2-go-oom-status-check.yaml", "region": REGION, "alarm": "geo-tiles-3-status-check",
    "category": "memory_exhaustion", "resources": [T3, "geo-tiles-3"], "alarm_on": "origin (EC2)",
    "decoys": "security-group ingress change on the bastion SG 20 min before the status check failed; deploy of "
              "the geo-cache-purger Lambda; steady `statsd flush failed` ERRORs on all three nodes; benign "
              "NetworkOut spike on geo-tiles-1",
    "story": (
        "geo-tiles-3 fails its instance status check (StatusCheckFailed_Instance = 1; the system check stays 0, so "
        "AWS hardware is fine). Its mem_used_percent has climbed for the whole window (84 % to 99 %) while the two "
        "sibling nodes, rebooted by patching yesterday, sit near 50 % and rise slowly: tile-server's own runtime "
        "stats show goroutines and sys memory growing without bound on every node, and geo-tiles-3 has simply "
        "been up for nine days. From 49 minutes ago the kernel log shows the OOM killer firing repeatedly; the "
        "process table puts tile-server at ~6.9 GB RSS with oom_score_adj -1000, so the kernel kills the "
        "CloudWatch agent, SSM agent and journald instead. Metrics and logs from the box then stop, CPU climbs "
        "with reclaim (not pinned), the ALB marks the target unhealthy and the status check fails: the classic "
        "'exhausted memory' cause of an instance status check failure. The SG change is on the bastion's group, "
        "the purger Lambda does not run on the instance, the statsd errors are identical on all nodes. Judgement: "
        "memory exhaustion on geo-tiles-3."),
}


def build() -> Scenario:
    scn = Scenario("h53-05-ec2-go-oom-status-check", "Map tiles intermittently slow; geo-tiles-3 instance status check "
                   "alarm.", REGION, 5305, datetime(2026, 7, 21, 3, 15))
    rng = scn.rng
    for iid, name, up in ((T1, "geo-tiles-1", "1 day"), (T2, "geo-tiles-2", "1 day"), (T3, "geo-tiles-3", "9 days")):
        scn.resource("ec2", iid, name=name, instance_type="c6g.xlarge", memory_gib=8, uptime=up,
                     log_groups=["/geo/tile-server", "/geo/system"], service="tile-server (Go 1.22)")
    scn.resource("alb", LB, name="geo-tiles-alb", scheme="internet-facing")
    scn.resource("lambda", "geo-cache-purger", runtime="provided.al2023", timeout=60, memory_size=256)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=14.0, amp=0.35)
    alive = lambda t: t < HANG and not any(k <= t < k + 120 for k in (FIRST_OOM, FIRST_OOM + 540, FIRST_OOM + 1020))

    def mem3(t):
        if not alive(t):
            return None
        return min(99.6, 84.0 + 13.0 * (t + 21600) / (21600 + FIRST_OOM)) + rng.gauss(0, 0.15) if t < FIRST_OOM \
            else 99.1 + rng.uniform(0, 0.6)
    cpu3 = lambda t: (24 + 14 * mult(t) if t < FIRST_OOM - 1800 else
                      ramp_cpu(t)) + rng.gauss(0, 2)

    def ramp_cpu(t):
        if t < FIRST_OOM:
            return 24 + 14 * mult(t) + (t - FIRST_OOM + 1800) / 1800 * 8
        return min(76.0, 46 + (t - FIRST_OOM) / 60 * 1.2)
    ec2_set(scn, T3, cpu=cpu3, mem=mem3, disk=lambda t: (41.3 + rng.gauss(0, 0.02)) if alive(t) else None,
            net_in=lambda t: (2.1e8 * mult(t) if t < STATUS - 300 else 4.0e5) * rng.uniform(0.9, 1.1),
            net_out=lambda t: (1.9e9 * mult(t) if t < STATUS - 300 else 2.0e5) * rng.uniform(0.9, 1.1),
            status=lambda t: 1 if t >= STATUS else 0, status_instance=lambda t: 1 if t >= STATUS else 0)
    for iid, m0 in ((T1, 49.0), (T2, 50.5)):
        warm = (lambda t: -9000 <= t < -8400) if iid == T1 else (lambda t: False)
        ec2_set(scn, iid, cpu=lambda t: 24 + 14 * mult(t) * (1.25 if t > STATUS else 1) + rng.gauss(0, 2),
                mem=lambda t, m0=m0: m0 + 2.4 * (t + 21600) / 21600 + rng.gauss(0, 0.15),
                disk=lambda t: 39.8 + rng.gauss(0, 0.02),
                net_in=lambda t: 2.1e8 * mult(t) * (1.5 if t > STATUS else 1) * rng.uniform(0.9, 1.1),
                net_out=lambda t, w=warm: (7.4e9 if w(t) else 1.9e9 * mult(t) * (1.5 if t > STATUS else 1))
                * rng.uniform(0.9, 1.1),
                status=lambda t: 0, status_instance=lambda t: 0)
    thrash = lambda t: FIRST_OOM <= t < STATUS + 120
    req = counts(lambda t: 5200 * mult(t), rng)
    alb_set(scn, LB, req=req, rt=lambda t: (0.9 if thrash(t) else 0.021) * rng.uniform(0.85, 1.2),
            t5xx=lambda t: rng.choice([0, 0, 1]),
            e5xx=lambda t: (value_at(req, t) / 3 * rng.uniform(0.02, 0.06) if thrash(t) else rng.choice([0, 0, 0, 1])),
            healthy=lambda t: 2 if t >= STATUS + 30 else 3, unhealthy=lambda t: 1 if t >= STATUS + 30 else 0)
    pg = lambda t: 1 if t % 600 == 0 else None
    lambda_set(scn, "geo-cache-purger", inv=pg, err=lambda t: 0 if pg(t) else None, thr=lambda t: 0 if pg(t) else None,
               dur=lambda t: rng.uniform(800, 1500) if pg(t) else None, conc=lambda t: 1 if pg(t) else None)
    st = scn.metrics[[m["name"] for m in scn.metrics].index("StatusCheckFailed_Instance")]["points"]
    scn.alarm("geo-tiles-3-status-check", "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": T3}, "Maximum", 60, 2,
              1, "GreaterThanOrEqualToThreshold", points=st, description="Instance status check failed on geo-tiles-3")
    scn.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "geo-cache-purger", "buildkite")
    scn.change(-2600, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0f1e2d3c4b5a69788", "netops-admin")
    _logs(scn, alive, mult)
    scn.set_expect("geo-tiles-3-status-check", META["category"], META["resources"],
                   [dims_ref("CWAgent", "mem_used_percent", {"InstanceId": T3}),
                    dims_ref("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": T3})])
    return scn


def _logs(scn, alive, mult):
    rng = scn.rng
    for iid, host, g0, up_h in ((T1, "ip-10-40-1-18", 21000, 26), (T2, "ip-10-40-2-77", 22500, 27),
                                (T3, "ip-10-40-3-105", 181000, 218)):
        app, sysl = [], []
        bad = iid == T3
        gor = g0
        gc = 40000 if bad else 5200
        for m0 in minutes(-9000):
            if bad and m0 >= HANG:
                break
            gor += int(rng.uniform(4, 7) * 60 * mult(m0) * (0.35 if not bad else 0.35))
            gc += rng.randint(6, 9) if not bad else rng.randint(14, 40)
            t = m0 + 5.1
            sys_mb = gor * (0.0384 if bad else 0.146) + (0 if bad else 900)
            if not bad or alive(t):
                app.append((t, L.go_json(scn, t, "info", "runtime stats", caller="server/metrics.go:88",
                            goroutines=gor, heap_inuse_mb=int(sys_mb * 0.81), sys_mb=int(sys_mb), num_gc=gc,
                            open_subscriptions=int(gor * 0.48), uptime_h=up_h + round((m0 + 9000) / 3600, 1))))
            for _ in range(int(6 * mult(m0))):
                t = m0 + rng.uniform(0, 60)
                if bad and not alive(t):
                    continue
                z = rng.choice([12, 13, 14, 15, 16])
                slow = bad and t > FIRST_OOM - 900
                app.append((t, L.go_json(scn, t, "info", "request", caller="server/http.go:212", method="GET",
                            path=f"/tiles/{z}/{rng.randint(0, 2 ** z)}/{rng.randint(0, 2 ** z)}.pbf", status=200,
                            bytes=rng.randint(4000, 60000),
                            dur_ms=round(rng.uniform(2, 18) * (40 if slow else 1), 1))))
            if rng.random() < 0.5:
                t = m0 + rng.uniform(0, 60)
                if not bad or alive(t):
                    app.append((t, L.go_json(scn, t, "error", "statsd flush failed", caller="metrics/statsd.go:141",
                                error=f"write udp 127.0.0.1:{rng.randint(40000, 60000)}->127.0.0.1:8125: write: "
                                      "connection refused")))
            if rng.random() < 0.08:
                t = m0 + rng.uniform(0, 60)
                sysl.append((t, L.syslog(scn, t, host, "chronyd[612]", f"Selected source 169.254.169.123")))
        if bad:
            pid = 2231
            for k, victim, comm, rss in ((FIRST_OOM, "amazon-cloudwatch-agent", "amazon-cloudwat", 98320),
                                         (FIRST_OOM + 300, "amazon-ssm-agent", "amazon-ssm-agen", 41200),
                                         (FIRST_OOM + 540, "amazon-cloudwatch-agent", "amazon-cloudwat", 91532),
                                         (FIRST_OOM + 800, "systemd-journald", "systemd-journal", 52108),
                                         (FIRST_OOM + 1020, "amazon-cloudwatch-agent", "amazon-cloudwat", 88112),
                                         (FIRST_OOM + 1320, "fluent-bit", "fluent-bit", 36880)):
                sysl += _oom(scn, k, host, victim, comm, pid, rss)
                pid += rng.randint(300, 900)
        scn.log("/geo/tile-server", iid, app)
        scn.log("/geo/system", iid, sysl)
    pl = []
    for m0 in minutes(-9000):
        if m0 % 600:
            continue
        t = m0 + 0.2
        d = rng.uniform(800, 1500)
        pl += L.lambda_invocation(scn, t, d, 256, rng.randint(28, 34),
                                  [(d / 1000 - 0.01, L.slog_json(scn, t + d / 1000, "INFO", "purge complete",
                                                                  paths=rng.randint(3, 40), cdn="cloudfront"))])
    scn.log("/aws/lambda/geo-cache-purger", "2026/07/21/[$LATEST]77c1e0a4d9b2463f8e5a0c3b1d7f9e26", pl)


def _oom(scn, t, host, victim, comm, pid, rss_kb):
    rng = scn.rng
    k = lambda off, msg: (t + off, L.syslog(scn, t + off, host, "kernel", msg))
    s = lambda off, msg: (t + off, L.syslog(scn, t + off, host, "systemd[1]", msg))
    trig = rng.choice(["tile-server", "kworker/u8:2", "tile-server"])
    out = [k(0, f"{trig} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, "
                f"oom_score_adj={-1000 if trig == 'tile-server' else 0}"),
           k(0.001, "Mem-Info:"),
           k(0.002, f"active_anon:{rng.randint(1780000, 1795000)} inactive_anon:{rng.randint(4000, 6000)} "
                    f"isolated_anon:0 active_file:{rng.randint(80, 300)} inactive_file:{rng.randint(50, 200)} "
                    f"isolated_file:0 unevictable:0 dirty:0 writeback:0 slab_reclaimable:{rng.randint(9000, 11000)} "
                    f"slab_unreclaimable:{rng.randint(14000, 16000)} mapped:{rng.randint(100, 400)} shmem:412 "
                    f"free:{rng.randint(16000, 18000)} free_pcp:0 free_cma:0"),
           k(0.003, "Tasks state (memory values in pages):"),
           k(0.003, "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"),
           k(0.004, f"[   1874]   998  1874  2298411  {rng.randint(1778000, 1791000)}  15101952        0         "
                    "-1000 tile-server"),
           k(0.004, f"[{pid:>7}]     0 {pid:>5}   469135    {rss_kb // 4:>5}   1024000        0             0 {comm}"),
           k(0.005, f"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                    f"task_memcg=/system.slice/{victim}.service,task={comm},pid={pid},uid=0"),
           k(0.006, f"Out of memory: Killed process {pid} ({comm}) total-vm:1876540kB, anon-rss:{rss_kb}kB, "
                    f"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1000kB oom_score_adj:0"),
           k(0.05, f"oom_reaper: reaped process {pid} ({comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB"),
           s(0.3, f"{victim}.service: A process of this unit has been killed by the OOM killer."),
           s(0.31, f"{victim}.service: Main process exited, code=killed, status=9/KILL"),
           s(0.32, f"{victim}.service: Failed with result 'oom-kill'."),
           s(5.4, f"{victim}.service: Scheduled restart job, restart counter is at {rng.randint(1, 3)}.")]
    return out
