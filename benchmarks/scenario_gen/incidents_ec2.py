"""Incidents on EC2 web hosts behind an ALB: CPU, memory, disk, and a traffic surge."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import compute, content, decoys, logs
from .builder import Scenario
from .common import alarm_from_data
from .compute import sampled_times
from .series import Series, clip, ramp, scale_after
from .timeline import TIMES
from .web import access_events, alb_for, share_after


@dataclass
class Host:
    instance: str
    name: str
    series: dict[str, Series]
    app: list[tuple[float, str]] = field(default_factory=list)


def _hosts(sc: Scenario, role: str, count: int) -> list[Host]:
    return [Host(sc.namer.instance_id(), f"{role}-{i + 1}", compute.ec2_baseline(sc)) for i in range(count)]


def _routine(sc: Scenario, host: Host, busy: float = 0.4) -> None:
    for t in sampled_times(sc, (50, 70)):
        workers = 16
        used = min(workers, max(1, int(workers * busy * sc.uniform(0.6, 1.3))))
        host.app.append((t, f"INFO  worker pool: {used}/{workers} busy, queue=0"))
    host.app += content.steady_text_warnings(sc, "text", (150, 700))
    sc.decoys.append(f"steady pre-existing warnings in {host.name} app log")


def _emit(sc: Scenario, hosts: list[Host], role: str, domain: str, alb_id: str, alb: dict[str, Series],
          fail_share=lambda t: 0.0) -> tuple[dict, list[dict]]:
    host_refs = []
    for host in hosts:
        groups = [f"/app/{role}/access", f"/app/{role}/app"]
        host_refs.append(compute.emit_ec2(sc, host.instance, host.name, host.series,
                                          sc.pick(["c6i.large", "m6i.large", "m5.xlarge"]), groups))
        sc.add_log(groups[0], host.instance, access_events(sc, domain, alb["TargetResponseTime"], fail_share))
        sc.add_log(groups[1], host.instance, host.app)
    return compute.emit_alb(sc, alb_id, alb, [h.instance for h in hosts]), host_refs


def cpu_ec2(sc: Scenario, alarm_on_latency: bool) -> None:
    domain, role = sc.namer.domain(), sc.pick(["web", "app", "api", "frontend"])
    hosts = _hosts(sc, role, 1)
    alb_id, alb = alb_for(sc, f"{role}-alb", sc.uniform(300, 1500), 1)
    host = hosts[0]
    host.series["CPUUtilization"] = clip(ramp(host.series["CPUUtilization"], sc.onset, 98.5, sc.uniform(2, 5), sc.rng,
                                              0.012), 0, 100)
    alb["TargetResponseTime"] = ramp(alb["TargetResponseTime"], sc.onset, sc.uniform(1.5, 4.0), 4, sc.rng, 0.08)
    alb["RequestCount"] = np.round(scale_after(alb["RequestCount"], sc.onset, sc.uniform(0.6, 0.85), 5))
    alb["HTTPCode_Target_5XX_Count"] += sc.rng.poisson(np.where(alb["TargetResponseTime"] > 1, 4, 0))
    _routine(sc, host)
    culprit = sc.pick(["image thumbnail job", "pdf export", "search reindex task", "regex validation on upload"])
    for t in sampled_times(sc, (50, 70), start=sc.onset):
        host.app.append((t, f"WARN  worker pool: 16/16 busy, queue={sc.randint(60, 400)}; request wait "
                            f"{sc.randint(400, 4000)} ms"))
        if sc.chance(0.3):
            host.app.append((t + 1, f"WARN  {culprit} {sc.namer.hex(8)} running {sc.randint(60, 600)} s on CPU"))
    alb_refs, host_refs = _emit(sc, hosts, role, domain, alb_id, alb,
                                share_after(sc.onset, 0.004, 300))
    if alarm_on_latency:
        alarm = alarm_from_data(sc, f"{role}-alb-latency", alb_refs["TargetResponseTime"], "Average",
                                evaluation_periods=3, description="Web tier latency")
    else:
        alarm = alarm_from_data(sc, f"{host.name}-high-cpu", host_refs[0]["CPUUtilization"], "Average", period=300,
                                evaluation_periods=1)
    sc.description = "Web tier latency alarm; users report slow pages." if alarm_on_latency else \
        f"{host.name} CPU alarm."
    decoys.add_background(sc)
    sc.set_expect(alarm, "cpu_saturation", [host.instance, host.name], [host_refs[0]["CPUUtilization"],
                                                                        alb_refs["TargetResponseTime"]])


def memory_ec2(sc: Scenario) -> None:
    domain, role = sc.namer.domain(), sc.pick(["worker", "app", "render"])
    hosts = _hosts(sc, role, 1)
    host = hosts[0]
    alb_id, alb = alb_for(sc, f"{role}-alb", sc.uniform(100, 600), 1)
    host.series["mem_used_percent"] = clip(ramp(host.series["mem_used_percent"], sc.onset - sc.uniform(900, 2400),
                                                sc.uniform(97, 99.2), 20, sc.rng, 0.004), 0, 100)
    process = sc.pick(["java", "node", "python3", "ruby"])
    _routine(sc, host)
    for t in sampled_times(sc, (180, 420), start=sc.onset):
        host.app.append((t, logs.kernel_oom(t, f"ip-10-0-{sc.randint(1, 9)}-{sc.randint(4, 250)}", sc.randint(2000, 30000),
                                            process, sc.randint(6_000_000, 7_800_000))))
        host.app.append((t + 0.4, logs.syslog(t + 0.4, host.name, "systemd[1]", f"{role}.service: Main process exited, "
                                              "code=killed, status=9/KILL")))
        host.app.append((t + 6, logs.syslog(t + 6, host.name, "systemd[1]", f"{role}.service: Scheduled restart job")))
    share = share_after(sc.onset, sc.uniform(0.02, 0.08), 120)
    alb["HTTPCode_ELB_5XX_Count"] += sc.rng.binomial(alb["RequestCount"].astype(int),
                                                     np.array([share(float(t)) for t in TIMES]))
    alb_refs, host_refs = _emit(sc, hosts, role, domain, alb_id, alb, share)
    alarm = alarm_from_data(sc, f"{host.name}-memory-high", host_refs[0]["mem_used_percent"], "Average", period=300,
                            evaluation_periods=1)
    sc.description = f"{host.name} memory alarm; intermittent 502s."
    decoys.add_background(sc)
    sc.set_expect(alarm, "memory_exhaustion", [host.instance, host.name], [host_refs[0]["mem_used_percent"]])


def storage_ec2(sc: Scenario) -> None:
    domain, role = sc.namer.domain(), sc.pick(["ingest", "uploads", "app", "reports"])
    hosts = _hosts(sc, role, 1)
    host = hosts[0]
    alb_id, alb = alb_for(sc, f"{role}-alb", sc.uniform(100, 600), 1)
    disk = host.series["disk_used_percent"]
    host.series["disk_used_percent"] = clip(ramp(disk, sc.onset - sc.uniform(1800, 4800), 99.8,
                                                 sc.uniform(25, 75)), 0, 100)
    _routine(sc, host)
    path = sc.pick(["/var/app/tmp/upload-{}.part", "/srv/exports/batch-{}.csv", "/var/cache/{}/render.tmp"])
    for t in sampled_times(sc, (20, 60), start=sc.onset):
        target = path.format(sc.namer.hex(6))
        host.app.append((t, f"ERROR OSError: [Errno 28] No space left on device: '{target}'"))
    share = share_after(sc.onset, sc.uniform(0.05, 0.2), 120)
    alb["HTTPCode_Target_5XX_Count"] += sc.rng.binomial(alb["RequestCount"].astype(int),
                                                        np.array([share(float(t)) for t in TIMES]))
    alb_refs, host_refs = _emit(sc, hosts, role, domain, alb_id, alb, share)
    alarm = alarm_from_data(sc, f"{host.name}-disk-full", host_refs[0]["disk_used_percent"], "Maximum", period=300,
                            evaluation_periods=1) if sc.chance(0.6) else \
        alarm_from_data(sc, f"{role}-5xx", alb_refs["HTTPCode_Target_5XX_Count"], "Sum")
    sc.description = f"{role} uploads failing; alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "storage_exhaustion", [host.instance, host.name], [host_refs[0]["disk_used_percent"]])


def traffic_surge_alb(sc: Scenario) -> None:
    domain, role = sc.namer.domain(), sc.pick(["web", "storefront", "api"])
    hosts = _hosts(sc, role, sc.randint(2, 3))
    name = f"{role}-alb"
    alb_id, alb = alb_for(sc, name, sc.uniform(300, 1200), len(hosts))
    factor = sc.uniform(3.2, 5.5)
    alb["RequestCount"] = np.round(scale_after(alb["RequestCount"], sc.onset, factor, sc.uniform(3, 8)))
    alb["TargetResponseTime"] = ramp(alb["TargetResponseTime"], sc.onset, alb["TargetResponseTime"] * sc.uniform(2.5, 5),
                                     6, sc.rng, 0.08)
    share = share_after(sc.onset, sc.uniform(0.003, 0.01), 300)
    alb["HTTPCode_ELB_5XX_Count"] += sc.rng.binomial(alb["RequestCount"].astype(int),
                                                     np.array([share(float(t)) for t in TIMES]))
    for host in hosts:
        host.series["CPUUtilization"] = clip(scale_after(host.series["CPUUtilization"], sc.onset,
                                                         sc.uniform(1.6, 2.2), 6), 0, 78)
        host.series["NetworkIn"] = scale_after(host.series["NetworkIn"], sc.onset, factor, 6)
        _routine(sc, host, 0.3)
        for t in sampled_times(sc, (50, 70), start=sc.onset):
            host.app.append((t, f"INFO  worker pool: {sc.randint(10, 15)}/16 busy, queue={sc.randint(0, 20)}"))
    alb_refs, _ = _emit(sc, hosts, role, domain, alb_id, alb, share)
    alarm = alarm_from_data(sc, f"{name}-latency", alb_refs["TargetResponseTime"], "Average", evaluation_periods=3) \
        if sc.chance(0.5) else alarm_from_data(sc, f"{name}-requests-high", alb_refs["RequestCount"], "Sum",
                                               evaluation_periods=3)
    sc.description = f"{role} slow under load; alarm fired."
    decoys.add_background(sc)
    sc.set_expect(alarm, "traffic_surge", [alb_id, name], [alb_refs["RequestCount"], alb_refs["TargetResponseTime"]])
