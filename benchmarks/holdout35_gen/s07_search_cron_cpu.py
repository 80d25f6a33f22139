"""h35-07: the nightly full reindex cron on one search host used to take 25 min; the catalog tripled and
it has pinned the host's CPU since 02:00. Morning traffic turns that into ALB latency. Slow burn, front alarm."""
import datetime as dt

from .lib import Scenario, alb_dims, first_breach, clamp, smoothstep

FILE = "h35-07-search-ec2-cron-cpu.yaml"
S1, S2 = "i-04d7e1b2a9c3f5608", "i-0b8e2f4c6a1d3e597"
ALB = "app/search-alb/3f9b2d71c4e8a605"
META = {
    "file": FILE, "region": "us-east-2", "alarm": "search-alb-latency",
    "category": "cpu_saturation", "resources": [S1, "search-api-1"], "where": "front (ALB)", "shape": "slow",
    "decoys": "ALB listener rule change 2 h before; SynonymLoader AccessDenied WARN every 5 min on both hosts "
              "all night; hourly cron.hourly runs on both hosts",
    "story": (
        "search-api-1 and -2 serve the catalog search behind search-alb. The nightly `reindex-catalog --full` "
        "cron starts on search-api-1 at 02:00 local; its own log says the previous run indexed 1.1 M "
        "documents in 24 min, but a marketplace import grew the catalog to 4.2 M and this run is still going "
        "almost 7 h later with a falling rate. search-api-1's CPUUtilization has been pinned at 97-100 % since "
        "02:00 while search-api-2 follows the normal daily curve. Overnight traffic was low, but as the "
        "morning ramp arrives, requests routed to search-api-1 queue behind the reindex threads (SlowRequest "
        "warnings, a few 503s) and the ALB average TargetResponseTime crosses 1 s. Memory, disk and the "
        "other host are normal; the listener-rule change and the synonyms AccessDenied warning (both hosts, "
        "all night) do not explain one host's CPU. Label: cpu_saturation on search-api-1."),
}


def build():
    now = dt.datetime(2026, 3, 18, 12, 50, tzinfo=dt.timezone.utc)
    s = Scenario("h35-07-search-ec2-cron-cpu", "us-east-2",
                 "Product search slow this morning; search ALB latency alarm.",
                 seed=3507, now=now, window_h=12, tz_offset_h=-4)
    for iid, name, ip in ((S1, "search-api-1", "10.1.4.23"), (S2, "search-api-2", "10.1.5.88")):
        s.resource("ec2", iid, name=name, instance_type="c6i.xlarge", private_ip=ip,
                   log_groups=["/ec2/search/app", "/ec2/search/cron", "/ec2/search/reindex"])
    s.resource("alb", ALB, name="search-alb", scheme="internet-facing", target_groups=["search-api-tg"])

    mins = list(range(s.start, 0, 60))
    cron = s.start + 5 * 3600 + 10 * 60  # 02:00 local
    req = {t: 5200 * s.diurnal(t, 0.1, 13) * (1 + s.g(0, 0.04)) for t in mins}
    per = {t: req[t] / 2 for t in mins}
    pinned = {t: t >= cron for t in mins}

    def lat1(load):
        return 0.22 + 3.9 * smoothstep((load - 0.35) / 0.6)

    cpu1, cpu2, lat, r5 = {}, {}, {}, {}
    for t in mins:
        c2 = 6 + per[t] * 0.021 + s.g(0, 1.5)
        cpu2[t] = clamp(c2, 1, 100)
        cpu1[t] = clamp(97.5 + s.g(0, 1.2), 90, 100) if pinned[t] else clamp(c2 + s.g(0, 1), 1, 100)
        l2 = 0.045 + 0.00001 * per[t] + abs(s.g(0, 0.004))
        if pinned[t]:
            load = per[t] / 2600.0
            l1 = lat1(load) + abs(s.g(0, 0.05))
        else:
            l1 = l2 + abs(s.g(0, 0.003))
        lat[t] = (l1 + l2) / 2
        r5[t] = s.pois(0.4) + (s.pois(per[t] * 0.004 * max(0, l1 - 1.5)) if pinned[t] else 0)
    for iid, cpu in ((S1, cpu1), (S2, cpu2)):
        x = {"InstanceId": iid}
        s.metric("AWS/EC2", "CPUUtilization", x, "Percent", lambda t, c=cpu: c[t])
        s.metric("AWS/EC2", "NetworkIn", x, "Bytes", lambda t: per[t] * 2100 * (1 + s.g(0, 0.05)), nd=0)
        s.metric("AWS/EC2", "StatusCheckFailed", x, "Count", lambda t: 0, nd=0)
        s.metric("CWAgent", "mem_used_percent", x, "Percent",
                 lambda t, i=iid: 63 + s.g(0, 0.5) + (7 if i == S1 and pinned[t] else 0))
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
                 "Percent", lambda t, i=iid: (48.2 if i == S1 else 47.9) + (t - s.start) / 43200 * 0.4
                 + (2.1 if i == S1 and pinned[t] else 0))
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds", lambda t: lat[t])
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: s.pois(0.05), nd=0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 2, nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count", lambda t: 0, nd=0)

    # ---- logs ---------------------------------------------------------------------------------
    def cronl(t, host, proc, msg):
        return (t, f"{s.stamp(t - 4 * 3600, '%b %d %H:%M:%S')} {host} {proc}: {msg}")

    def lb(t, lvl, th, logger, msg):
        return (t, f"{s.iso(t)} {lvl:<5} [{th}] {logger} - {msg}")

    for iid, host in ((S1, "ip-10-1-4-23"), (S2, "ip-10-1-5-88")):
        ev = []
        h = s.start + 10 * 60 + 1
        while h < 0:
            ev.append(cronl(h, host, f"CRON[{s.rng.randint(20000, 30000)}]", "(root) CMD (cd / && run-parts --report "
                                                                              "/etc/cron.hourly)"))
            h += 3600
        if iid == S1:
            ev.append(cronl(cron + 1, host, "CRON[28114]", "(search) CMD (/opt/search/bin/reindex-catalog --full >> "
                                                           "/var/log/search/reindex.log 2>&1)"))
        s.log("/ec2/search/cron", iid, ev)
    ev = [(cron + 2, f"{s.iso(cron + 2)} reindex-catalog[28117]: starting full reindex (threads=8, batch=1000)"),
          (cron + 2.5, f"{s.iso(cron + 2.5)} reindex-catalog[28117]: previous run 2026-03-17: 1,104,220 documents in "
                       "24m31s"),
          (cron + 9, f"{s.iso(cron + 9)} reindex-catalog[28117]: source catalog has 4,212,880 documents (+3,108,660 "
                     "since previous run; import mp-2211 marketplace-sellers)"),
          (cron + 9.4, f"{s.iso(cron + 9.4)} reindex-catalog[28117]: WARN marketplace documents average 31.7 variants "
                       "(catalog average 2.3); expansion will dominate run time")]
    done = 0
    t = cron + 120
    while t < 0:
        load = per[t - t % 60] / 2600.0
        rate = 178 - 84 * smoothstep((load - 0.1) / 0.7)
        done += int(rate * 120 * (1 + s.g(0, 0.03)))
        eta = (4212880 - done) / max(rate, 1)
        ev.append((t, f"{s.iso(t)} reindex-catalog[28117]: indexed {done:,}/4,212,880 documents "
                      f"({done / 42128.8:.1f}%) rate={int(rate)}/s eta={int(eta // 3600)}h{int(eta % 3600 // 60):02d}m"))
        t += 120
    s.log("/ec2/search/reindex", S1, ev)
    for iid in (S1, S2):
        ev = []
        t = s.start + 37
        while t < 0:
            ev.append(lb(t, "WARN", "synonym-refresh", "c.a.search.SynonymLoader",
                         "synonyms file s3://search-config-prod/synonyms_v2.txt not accessible (AccessDenied: Access "
                         "Denied), using bundled synonyms"))
            t += 300
        for t in s.times(lambda t: 5 * s.diurnal(t, 0.1, 13) + 0.4, start=-5 * 3600):
            m = t - t % 60
            q = s.pick(["running shoes", "usb-c hub", "kids bike", "espresso machine", "tent 4 person", "desk lamp"])
            if iid == S1 and pinned[m]:
                load = per[m] / 2600.0
                ms = int(lat1(load) * 1000 * (0.6 + 0.8 * s.rng.random()))
            else:
                ms = int(30 + s.rng.random() * 40)
            if ms > 2000:
                ev.append(lb(t, "WARN", f"http-nio-8080-exec-{s.rng.randint(1, 200)}", "c.a.search.web.SlowRequestFilter",
                             f"GET /search?q={q.replace(' ', '+')} took {ms} ms (queue wait {int(ms * 0.8)} ms)"))
                if ms > 4500 and s.rng.random() < 0.25:
                    ev.append(lb(t + ms / 1000, "ERROR", f"http-nio-8080-exec-{s.rng.randint(1, 200)}",
                                 "c.a.search.web.TimeoutAdvice", "request exceeded 5000 ms budget, returning 503"))
            else:
                ev.append(lb(t, "INFO", f"http-nio-8080-exec-{s.rng.randint(1, 200)}", "c.a.search.web.SearchController",
                             f"q=\"{q}\" hits={s.rng.randint(20, 4000)} took={ms}ms"))
        s.log("/ec2/search/app", iid, ev)

    s.change(-2 * 3600, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
             "search-alb/https-443/legacy-redirect", "terraform-ci")
    when = first_breach(lat, 60, 5, 1.0, ">", stat="Average")
    s.alarm("search-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", a, "Average", 60, 5, 1.0,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 5 datapoints were greater than the threshold (1.0).",
            min(when or -900, -60), description="search p-avg latency above 1 s")
    s.expect = {"alarm": "search-alb-latency",
                "root_cause": {"category": "cpu_saturation", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": S1}},
                              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": a}]}
    return s
