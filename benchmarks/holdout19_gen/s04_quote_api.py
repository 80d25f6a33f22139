"""h19-04: gunicorn workers on one EC2 web node grow until the kernel OOM-kills them (memory_exhaustion, EC2 origin alarm)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, bump, counts, diurnal, wobble
from .logfmt import nginx, syslog

SLUG = "h19-04-quote-api-oom"
LEAK = -6600
FIRST_KILL = -2280

META = {
    "front": "origin",
    "decoys": "security-group ingress rule added 40 min before; CPU spike on quote-api-1 from a report cron 2.5 h "
              "earlier; constant deprecation warnings on both nodes",
    "story": (
        "On `quote-api-2` (i-0c4f1e9a7b2d36e51) the gunicorn workers' resident memory creeps up for ~70 min "
        "(the app's own `worker rss` lines grow from ~400 MiB to >1.4 GiB) while quote-api-1 stays flat. "
        "mem_used_percent passes 90 % and the CWAgent memory alarm fires; from -38 min the kernel OOM killer "
        "(`Out of memory: Killed process ... (gunicorn)`) kills workers every ~10 minutes, gunicorn reports "
        "`Worker (pid:...) was sent SIGKILL! Perhaps out of memory?`, and the ALB returns 502s for the requests "
        "that were in flight. CPU is normal, disks are normal, there is no deploy. The security-group change "
        "is on a group the quote-api instances are not in, the quote-api-1 CPU spike is a nightly report and the "
        "deprecation warnings are constant on both nodes."),
}


SYSLOG = [("systemd[1]", "Starting sysstat-collect.service - system activity accounting tool..."),
          ("systemd[1]", "sysstat-collect.service: Deactivated successfully."),
          ("chronyd[612]", "Selected source 169.254.169.123"),
          ("amazon-ssm-agent[1401]", "INFO [HealthCheck] HealthCheck reporting agent health."),
          ("amazon-ssm-agent[1401]", "INFO [MessageService] [MGSInteractor] Received ping from MGS"),
          ("systemd[1]", "Started session-2214.scope - Session 2214 of User ec2-user.")]


def build() -> Case:
    c = Case(SLUG, 1904, "ap-southeast-2", datetime(2026, 11, 20, 3, 50),
             "Quote API node memory alarm; sporadic 502s reported by the broker portal.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    lb = "app/quote-alb/3c9d1e7f2a4b6058"
    nodes = {"i-09b2d7e4c1a6f3082": ("quote-api-1", "ip-10-40-1-152"), "i-0c4f1e9a7b2d36e51": ("quote-api-2", "ip-10-40-2-87")}
    for iid, (name, _h) in nodes.items():
        c.resource("ec2", iid, name=name, instance_type="m6i.large", memory_gib=8, security_groups=["sg-05e9b1d7c3a2f8640"],
                   log_groups=["/quote-api/gunicorn", "/var/log/messages"], target_of="quote-alb")
    c.resource("alb", lb, name="quote-alb", scheme="internet-facing")

    shape = diurnal(t, -6600, 0.25) * (1 + wobble(rng, n, 0.06))
    # ---------------------------------------------------------------- memory model of quote-api-2 (minute grid)
    kills = []
    k = FIRST_KILL
    while k < -30:
        kills.append(k + rng.uniform(-20, 20))
        k += rng.uniform(540, 760)
    mem2 = 51.5 + wobble(rng, n, 0.8)
    grow = np.clip((t - LEAK) / (FIRST_KILL - LEAK), 0, None)
    mem2 = mem2 + 45.5 * np.minimum(grow, 1.0) ** 1.3
    for i, x in enumerate(t):
        if x >= FIRST_KILL:
            last = max(kk for kk in kills if kk <= x + 60) if any(kk <= x + 60 for kk in kills) else FIRST_KILL
            mem2[i] = 88.5 + min((x + 60 - last) / 60.0 * 1.05, 9.5) + rng.normal(0, 0.4)
    mem1 = 50.8 + wobble(rng, n, 0.8)

    # ---------------------------------------------------------------- requests, 502s
    req = {iid: counts(rng, 42 * shape) for iid in nodes}
    elb502 = np.zeros(n)
    for kk in kills:
        elb502[int((kk - START) // 60)] += rng.integers(4, 11)
    elb502 += counts(rng, np.full(n, 0.03))

    logs = {iid: c.stream("/quote-api/gunicorn", iid) for iid in nodes}
    msgs = {iid: c.stream("/var/log/messages", iid) for iid in nodes}
    paths = [("POST", "/v2/quotes", 0.55, 0.18), ("GET", "/v2/quotes/{id}", 0.25, 0.04), ("GET", "/v2/products", 0.12, 0.03),
             ("POST", "/v2/quotes/{id}/bind", 0.08, 0.31)]
    probs = np.array([p[2] for p in paths])
    master = {"i-09b2d7e4c1a6f3082": 1093, "i-0c4f1e9a7b2d36e51": 1187}
    for iid, (name, host) in nodes.items():
        s = logs[iid]
        for i, t0 in enumerate(t):
            if t0 < LOG_START:
                continue
            for ts in t0 + rng.uniform(0, 60, int(req[iid][i])):
                m, p, _w, rt = paths[int(rng.choice(4, p=probs / probs.sum()))]
                p = p.replace("{id}", f"q_{ids.hex(12)}")
                st = 201 if m == "POST" and p == "/v2/quotes" else (404 if rng.random() < 0.01 else 200)
                s.add(ts, nginx(c, ts, ids.ip("10.40.0"), m, p, st, int(rng.integers(300, 4200)),
                                ids.pick(["broker-portal/4.12", "python-requests/2.31.0", "okhttp/4.12.0"]),
                                rt * rng.lognormal(0, 0.3)))
            if rng.random() < 0.12:
                ts = t0 + rng.uniform(0, 60)
                s.add(ts, f"[{c.stamp(ts, '%Y-%m-%d %H:%M:%S +0000')}] [{master[iid] + int(rng.integers(5, 40))}] [WARNING] "
                          "Deprecated field 'currency_code' in request from client partner-portal; use 'currency'")
        # worker rss lines every 5 minutes from the app's memory watchdog
        workers = {int(rng.integers(40000, 49000)): LOG_START - 40000.0 for _ in range(4)}
        plan = []   # (kill time, victim, replacement)
        if iid == "i-0c4f1e9a7b2d36e51":
            live = list(workers)   # the OOM killer picks the largest worker: the oldest one
            rng.shuffle(live)
            for kk in kills:
                victim = live.pop(0)
                new = int(rng.integers(49000, 60000))
                live.append(new)
                plan.append((kk, victim, new))
        for ts in np.arange(LOG_START + 17, 0, 300.0):
            for kk, victim, new in plan:
                if kk <= ts and victim in workers:
                    del workers[victim]
                    workers[new] = kk
            for w, born in workers.items():
                if iid == "i-0c4f1e9a7b2d36e51":
                    g = np.clip((ts - LEAK) / (FIRST_KILL - LEAK), 0, 1.05) if born < LEAK else \
                        np.clip((ts - born) / 900.0, 0, 1.0) * 0.9
                    r = 0.38 + 1.1 * g * rng.uniform(0.9, 1.03)
                else:
                    r = 0.37 + rng.uniform(-0.02, 0.03)
                s.add(ts, f"[{c.stamp(ts, '%Y-%m-%d %H:%M:%S +0000')}] [{w}] [INFO] worker rss={r:.2f}GiB "
                          f"requests={int(rng.integers(2000, 9000))}")
        # syslog background
        for ts in np.sort(rng.uniform(LOG_START, 0, 70)):
            proc, line = SYSLOG[int(rng.integers(0, len(SYSLOG)))]
            msgs[iid].add(ts, syslog(c, ts, host, proc, line))
        if iid == "i-0c4f1e9a7b2d36e51":
            for kk, victim, new in plan:
                anon = int(rng.integers(1430000, 1560000))
                for j, line in enumerate([
                        "gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
                        f"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
                        f"task_memcg=/system.slice/quote-api.service,task=gunicorn,pid={victim},uid=1001",
                        f"Out of memory: Killed process {victim} (gunicorn) total-vm:{anon + 1400000}kB, anon-rss:{anon}kB, "
                        "file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:3120kB oom_score_adj:0"]):
                    msgs[iid].add(kk + j * 0.001, syslog(c, kk, host, "kernel", line))
                logs[iid].add(kk + 0.4, f"[{c.stamp(kk, '%Y-%m-%d %H:%M:%S +0000')}] [1187] [ERROR] Worker (pid:{victim}) "
                                        "was sent SIGKILL! Perhaps out of memory?")
                logs[iid].add(kk + 0.5, f"[{c.stamp(kk, '%Y-%m-%d %H:%M:%S +0000')}] [{new}] [INFO] Booting worker with pid: {new}")

    # ---------------------------------------------------------------- metrics
    for iid, mem in (("i-09b2d7e4c1a6f3082", mem1), ("i-0c4f1e9a7b2d36e51", mem2)):
        cpu = 24 * shape + wobble(rng, n, 2.5)
        if iid == "i-09b2d7e4c1a6f3082":
            cpu = cpu + 55 * bump(t, -9000, 240)
        c.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", np.clip(cpu, 1, 100))
        c.metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", 2.4e6 * shape * (1 + wobble(rng, n, 0.1)))
        c.metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", np.zeros(n))
        mm = c.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", np.clip(mem, 0, 99.4))
        if iid == "i-0c4f1e9a7b2d36e51":
            mem_metric = mm
        c.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                 46.2 + 0.0001 * (t - START) + wobble(rng, n, 0.05))
    r = req["i-09b2d7e4c1a6f3082"] + req["i-0c4f1e9a7b2d36e51"]
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count", r + elb502)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds", 0.13 * (1 + wobble(rng, n, 0.08)))
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count", counts(rng, np.full(n, 0.05)))
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count", elb502)
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count", np.full(n, 2.0))
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb}, "Count", np.zeros(n))

    c.alarm("quote-api-2-memory-high", mem_metric, "Average", 300, 2, 90, "GreaterThanThreshold", -2900,
            description="quote-api-2 memory above 90%")
    c.change(-2400, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0a71c3e9d5b2f4086", "ops-admin")
    c.expect = {"alarm": "quote-api-2-memory-high",
                "root_cause": {"category": "memory_exhaustion", "resource": ["i-0c4f1e9a7b2d36e51", "quote-api-2"]},
                "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent",
                               "dimensions": {"InstanceId": "i-0c4f1e9a7b2d36e51"}}]}
    return c
