"""Slow burns on long-running compute: ECS JVM memory leak, EC2 disk filling with logs."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scenario, after, counts, iso, noisy, ramp, spikes, wall, wave
from .stacks import alb, ec2, ecs

# =========================================================================== h8-01 ECS memory leak


def spring(t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{iso(t)} {level:>5} 1 --- [ledger-api] [{thread:>15}] {logger:<40} : {msg}"


def ecs_memory_leak(seed: int) -> Scenario:
    sc = Scenario("h8-01-ledger-api-heap-leak", "eu-west-1",
                  "payments-alb 5XX alarm; intermittent 500s and slow responses from the ledger API.", seed)
    r = sc.rng
    lb = "app/payments-alb/7f3c2a91d0e4b6c5"
    sc.resource("ecs", "payments/ledger-api", cluster="payments", task_definition="ledger-api:87",
                desired_count=4, cpu=1024, memory=2048, launch_type="FARGATE")
    sc.resource("ecs", "payments/fx-rates", cluster="payments", task_definition="fx-rates:41", desired_count=2,
                cpu=256, memory=512, launch_type="FARGATE")
    sc.resource("alb", lb, name="payments-alb", targets=["payments/ledger-api"])
    kills = [-2640, -1830, -1010, 120]  # the last task is still dying at "now"
    starts = [-24000 - 300 * k for k in range(4)]
    mem = np.zeros((4, N))
    zone = np.zeros((4, N))  # 0 ok, 1 GC thrash, 2 OOM errors
    events = []
    task_ids = [[r.hex(32)] for _ in range(4)]
    for k in range(4):
        rate = 66.0 / ((kills[k] - starts[k]) / 60.0)
        for i, t in enumerate(T):
            if t < kills[k]:
                m = 34 + rate * (t - starts[k]) / 60.0
            else:
                m = 31 + 6 * min(1.0, (t - kills[k] - 90) / 300.0) + rate * max(0.0, t - kills[k]) / 60.0
            mem[k, i] = min(99.6, m)
            zone[k, i] = 2 if (m >= 97 and t < kills[k]) else (1 if (m >= 91 and t < kills[k]) else 0)
        if kills[k] < 0:
            task_ids[k].append(r.hex(32))
            events.append((kills[k] + 8, json.dumps({
                "version": "0", "id": r.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                "account": "123456789012", "time": iso(kills[k]).split(".")[0] + "Z", "region": "eu-west-1",
                "detail": {"clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/payments",
                           "taskArn": f"arn:aws:ecs:eu-west-1:123456789012:task/payments/{task_ids[k][0]}",
                           "group": "service:ledger-api", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                           "stopCode": "EssentialContainerExited",
                           "stoppedReason": "Essential container in task exited",
                           "containers": [{"name": "ledger-api", "exitCode": 137, "lastStatus": "STOPPED",
                                           "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                           "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/ledger-api:87"}})))
    svc_mem = noisy(r, mem.mean(axis=0), 0.01, 0, 100)
    thrash = (zone >= 1).sum(axis=0)
    svc_cpu = noisy(r, 22 * wave(r, 7200, 0.1) + 17 * thrash, 0.08, 0, 100)
    restarting = np.zeros(N)
    for k in kills:
        if k < 0:
            restarting[(T >= k) & (T < k + 120)] = 1
    ecs(sc, "payments", "ledger-api", cpu=svc_cpu, mem=svc_mem, running=4 - restarting)
    ecs(sc, "payments", "fx-rates", cpu=noisy(r, 9 + 25 * ((T > -2900) & (T < -2780)), 0.15, 0, 100),
        mem=noisy(r, 41.0, 0.03), running=np.full(N, 2.0))
    req = counts(r, 470 * wave(r, 10800, 0.12))
    oom_share = (zone == 2).sum(axis=0) / 4.0
    t5 = counts(r, req * oom_share * 0.42 + 0.15)
    e5 = counts(r, 0.05 + 14 * restarting)
    rt = noisy(r, 0.085 + 0.7 * (zone == 1).sum(axis=0) / 4 + 2.4 * oom_share, 0.1)
    alb(sc, lb, requests=req, rt=rt, t5xx=t5, e5xx=e5, healthy=4 - restarting, unhealthy=restarting,
        t4xx=counts(r, 6.0))
    sc.log("/aws/events/ecs-task-state", "payments-ledger-api", events)
    # container logs: one stream per task (awslogs prefix ecs/<container>/<task-id>)
    frames = ["java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
              "java.base/java.util.ArrayList.grow(ArrayList.java:237)",
              "java.base/java.util.ArrayList.add(ArrayList.java:486)",
              "com.northpay.ledger.idempotency.IdempotencyCache.remember(IdempotencyCache.java:58)",
              "com.northpay.ledger.web.PostingController.post(PostingController.java:77)"]
    for k in range(4):
        for gen, tid in enumerate(task_ids[k]):
            ev = []
            lo = -21600 if gen == 0 else kills[k] + 70
            hi = kills[k] if gen == 0 else 0
            if gen == 1:
                ev.append((lo, spring(lo, "INFO", "main", "c.n.ledger.LedgerApiApplication",
                                      "Starting LedgerApiApplication v3.22.1 using Java 17.0.10 with PID 1")))
                ev.append((lo + 21, spring(lo + 21, "INFO", "main", "c.n.ledger.LedgerApiApplication",
                                           f"Started LedgerApiApplication in {r.u(17, 22):.3f} seconds "
                                           f"(process running for {r.u(19, 24):.3f})")))
            gc_n = r.i(4000, 9000)
            for t in np.arange(max(lo, -21600) + r.u(0, 30), hi, 30):
                i = min(N - 1, int((t + 21600) // 60))
                m = mem[k, i]
                heap = int(1536 * min(0.995, m / 100 * 1.02))
                z = zone[k, i] if gen == 0 else 0
                gc_n += 1
                if z == 0:
                    ev.append((t, f"[{iso(t).replace('Z', '+0000')}][info][gc] GC({gc_n}) Pause Young (Normal) "
                                  f"(G1 Evacuation Pause) {heap}M->{int(heap * 0.93)}M(1536M) {r.u(6, 18):.3f}ms"))
                else:
                    ev.append((t, f"[{iso(t).replace('Z', '+0000')}][info][gc] GC({gc_n}) Pause Full "
                                  f"(G1 Compaction Pause) {heap}M->{heap - r.i(1, 9)}M(1536M) {r.u(900, 2600):.3f}ms"))
                if r.u() < 0.5:
                    ev.append((t + 1, spring(t + 1, "INFO", f"nio-8080-exec-{r.i(1, 40)}",
                                             "c.n.l.web.PostingController",
                                             f"posted journal je_{r.hex(10)} lines={r.i(2, 6)} "
                                             f"ms={r.i(15, 60) if z == 0 else r.i(900, 4200)}")))
                if r.u() < 0.06:
                    ev.append((t + 2, spring(t + 2, "WARN", f"nio-8080-exec-{r.i(1, 40)}",
                                             "c.n.l.web.JsonConfig", "Unknown property 'legacyRef' ignored "
                                             "(client=erp-connector/2.3)")))
                if z == 2:
                    for _ in range(r.i(1, 3)):
                        tt = t + r.u(0, 29)
                        ev.append((tt, spring(tt, "ERROR", f"nio-8080-exec-{r.i(1, 40)}",
                                              "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                              "Servlet.service() for servlet [dispatcherServlet] in context with "
                                              "path [] threw exception [Handler dispatch failed: "
                                              "java.lang.OutOfMemoryError: Java heap space] with root cause\n\n"
                                              "java.lang.OutOfMemoryError: Java heap space\n\tat "
                                              + "\n\tat ".join(frames))))
                elif z == 1 and r.u() < 0.3:
                    ev.append((t + 3, spring(t + 3, "WARN", "housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                             f"HikariPool-1 - Thread starvation or clock leap detected "
                                             f"(housekeeper delta={r.u(1.2, 2.9):.1f}s).")))
            sc.log("/ecs/ledger-api", f"ecs/ledger-api/{tid}", ev)
    fx = []
    for t in np.arange(-21600 + r.u(0, 60), 0, 60):
        fx.append((t, json.dumps({"level": "info", "ts": round(float(wall(t).timestamp()), 3),
                                  "caller": "rates/poller.go:64", "msg": "rates refreshed",
                                  "pairs": 168, "source": "ecb"})))
    sc.log("/ecs/fx-rates", f"ecs/fx-rates/{r.hex(32)}", fx)
    sc.change(-2990, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates",
              "github-actions")
    sc.change(-2960, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/fx-rates",
              "github-actions")
    sc.alarm("payments-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=300, evals=2, threshold=25, description="ledger API 5XX from targets",
             onset=-3300)
    sc.expect = {"alarm": "payments-alb-target-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["payments/ledger-api", "ledger-api"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": "payments", "ServiceName": "ledger-api"}}]}
    sc.readme = dict(
        category="memory_exhaustion", accepted="payments/ledger-api",
        decoys="fx-rates deploy (RegisterTaskDefinition+UpdateService) ~50 min ago; constant 'legacyRef' WARN; "
               "service-average memory falls at the end because killed tasks were replaced",
        story="An unbounded idempotency cache in ledger-api (Spring Boot, Java 17) leaks heap. Over six hours "
              "every task's memory climbs steadily; from ~55 min ago the tasks one after another enter Full-GC "
              "thrash, throw OutOfMemoryError: Java heap space on requests and are OOM-killed (exit 137), "
              "producing 5XX behind payments-alb. A slow burn: no change precedes it in the window.")
    return sc


# =========================================================================== h8-02 EC2 disk full


def journal(t: float, host: str, unit: str, pid: int, msg: str) -> str:
    return f"{wall(t).strftime('%b %d %H:%M:%S')} {host} {unit}[{pid}]: {msg}"


def ec2_disk_full(seed: int) -> Scenario:
    sc = Scenario("h8-02-reports-disk-full", "ap-southeast-2",
                  "reports-alb 5XX alarm: some users get 'We're sorry, but something went wrong' exporting reports.",
                  seed)
    r = sc.rng
    lb = "app/reports-alb/3e9d1c7b5a2f4e60"
    a, b = "i-0c4e8a1f2b3d5e7a9", "i-0f17b9d2c6a84e3b1"
    full = -1560
    groups = ["/reports/rails/production", "/reports/journal"]
    sc.resource("ec2", a, name="reports-app-1", instance_type="m6i.large", log_groups=groups)
    sc.resource("ec2", b, name="reports-app-2", instance_type="m6i.large", log_groups=groups)
    sc.resource("alb", lb, name="reports-alb", targets=[a, b])
    is_full = after(full)
    disk_a = np.minimum(100.0, 77.2 + 22.8 * ramp(-21600, full) ** 1.08) + r.g.normal(0, 0.03, N)
    disk_a = np.where(is_full > 0, 100.0, np.clip(disk_a, 0, 99.98))
    disk_b = 61.4 + 0.4 * ramp(-21600, 0) + r.g.normal(0, 0.05, N)
    batch = spikes(r, 1, 55, width=11, lo_t=-4300, hi_t=-4200)
    ec2(sc, a, cpu=noisy(r, 27 * wave(r, 10800, 0.1), 0.1, 0, 100), mem=noisy(r, 58, 0.02),
        disk=np.round(disk_a, 3), net_in=noisy(r, 3.1e6, 0.2))
    ec2(sc, b, cpu=noisy(r, 26 * wave(r, 10800, 0.1) + batch, 0.1, 0, 100), mem=noisy(r, 57, 0.02),
        disk=np.round(disk_b, 3), net_in=noisy(r, 3.0e6, 0.2))
    req = counts(r, 260 * wave(r, 10800, 0.1))
    t5 = counts(r, 0.2 + req * 0.5 * 0.33 * is_full)
    alb(sc, lb, requests=req, rt=noisy(r, 0.21 + 0.05 * is_full, 0.12), t5xx=t5, e5xx=counts(r, 0.03),
        healthy=np.full(N, 2.0), unhealthy=np.zeros(N), t4xx=counts(r, 4.0))
    host_a, host_b = "ip-10-20-3-14", "ip-10-20-7-88"
    paths = ["/reports/monthly", "/reports/export.xlsx", "/dashboards/sales", "/reports/aging.csv"]
    for iid, host, is_a in ((a, host_a, True), (b, host_b, False)):
        prod, jn = [], []
        for t in np.arange(-21600 + r.u(0, 20), 0, 20.0):
            if is_a and t >= full:
                continue  # production.log can no longer be written, so the agent ships nothing new
            rid = r.uuid()
            p = r.choice(paths)
            ms = r.i(40, 900)
            prod.append((t, f"I, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #2211]  INFO -- : [{rid}] Started GET "
                            f"\"{p}\" for 10.20.{r.i(0, 9)}.{r.i(2, 250)} at {wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000"))
            prod.append((t + ms / 1000, f"I, [{wall(t + ms / 1000).strftime('%Y-%m-%dT%H:%M:%S.%f')} #2211]  INFO -- : "
                                        f"[{rid}] Completed 200 OK in {ms}ms (Views: {ms // 3}.{r.i(0, 9)}ms | "
                                        f"ActiveRecord: {ms // 2}.{r.i(0, 9)}ms | Allocations: {r.i(20000, 90000)})"))
            if r.u() < 0.05:
                prod.append((t + 0.01, f"W, [{wall(t).strftime('%Y-%m-%dT%H:%M:%S.%f')} #2211]  WARN -- : [{rid}] "
                                       "DEPRECATION WARNING: Using legacy connection handling is deprecated "
                                       "(called from block in <class:ApplicationRecord>)"))
        for t in np.arange(-21600 + r.u(0, 600), 0, 900.0):
            jn.append((t, journal(t, host, "CRON", r.i(30000, 60000),
                                  "(root) CMD (/usr/local/bin/report-cache-warm >/dev/null 2>&1)")))
        if is_a:
            jn.append((-19740, journal(-19740, host, "logrotate", 14022,
                                       "error: /etc/logrotate.d/reports:9 unknown option 'size+' -- ignoring line")))
            jn.append((-19739, journal(-19739, host, "logrotate", 14022,
                                       "error: found error in /var/app/reports/shared/log/*.log , skipping")))
            jn.append((-19738, journal(-19738, host, "systemd", 1,
                                       "logrotate.service: Main process exited, code=exited, status=1/FAILURE")))
            for i in range(N):
                t0 = T[i]
                if t0 < full:
                    continue
                for _ in range(int(t5[i])):
                    t = t0 + r.u(0, 60)
                    kind = r.u()
                    if kind < 0.6:
                        msg = ("Errno::ENOSPC: No space left on device @ rb_sysopen - "
                               f"/var/app/reports/tmp/exports/report-{r.hex(8)}.xlsx")
                    elif kind < 0.85:
                        msg = ("Errno::ENOSPC: No space left on device @ io_write - "
                               "/var/app/reports/shared/log/production.log")
                    else:
                        msg = ("ActiveStorage::IntegrityError / Errno::ENOSPC: No space left on device @ "
                               "io_fwrite - /var/app/reports/storage/tmp/upload")
                    jn.append((t, journal(t, host, "puma", 2211, msg)))
                    if r.u() < 0.3:
                        jn.append((t + 0.002, journal(t, host, "puma", 2211,
                                                      "  /var/app/reports/releases/20261118/app/services/"
                                                      "xlsx_export.rb:41:in `write'")))
            for t in np.arange(full + 40, 0, 300.0):
                jn.append((t, journal(t, host, "amazon-cloudwatch-agent", 1877,
                                      "E! [outputs.cloudwatchlogs] Aborting, failed to write state file: "
                                      "write /opt/aws/amazon-cloudwatch-agent/logs/state/_var_app_reports_shared_log"
                                      "_production.log: no space left on device")))
        sc.log("/reports/rails/production", iid, prod)
        sc.log("/reports/journal", iid, jn)
    sc.change(-9400, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/reports/features/xlsx_v2",
              "l.nguyen")
    sc.alarm("reports-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=300, evals=1, threshold=20, description="reports web 5XX", onset=full)
    sc.expect = {"alarm": "reports-alb-5xx",
                 "root_cause": {"category": "storage_exhaustion", "resource": [a, "reports-app-1"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": a, "path": "/", "fstype": "xfs"}}]}
    sc.readme = dict(
        category="storage_exhaustion", accepted=f"{a} / reports-app-1",
        decoys="PutParameter feature flag 2.6 h earlier; CPU spike on reports-app-2 (scheduled job) ~70 min ago; "
               "constant DEPRECATION WARNING",
        story="logrotate on reports-app-1 has been failing since a bad option in /etc/logrotate.d/reports, so "
              "production.log grew all day. The root volume crept from 77 % to 100 % and 26 min ago filled: "
              "xlsx exports and log writes fail with Errno::ENOSPC (seen in the journald group, since the file "
              "log itself stopped), about a third of that instance's requests return 500. reports-app-2 is fine.")
    return sc
