"""h16-12: one user post makes a whitespace-trimming regex backtrack; every home-page render pins the CPUs."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, clip, counts, daily, hourly_bumps, jitter, ramp
from .logfmt import poisson_times

META = {
    "file": "h16-12-regex-backtracking-pins-web-cpu",
    "postmortem": "catastrophic regex backtracking on user content pinning web servers' CPU (the home page "
                  "rendered a post ending in ~20,000 whitespace characters)",
    "side": "origin (EC2 CPU of forum-web-1)",
    "decoys": "database parameter-group change 10 min before; hourly sitemap-build CPU spike on forum-jobs-1; "
              "steady client-disconnect warnings",
    "story": (
        "A user posts question 48211937 whose code block ends in ~20,000 whitespace characters. It reaches the "
        "home page's hot list, so every home-page render runs the trailing-whitespace regex of the Markdown "
        "sanitizer over it and backtracks quadratically. From that minute both web instances sit at 97-100 % CPU; "
        "the app logs 'Slow render of post 48211937 ... MarkdownSanitizer.TrimTrailingWhitespace took 9804 ms', "
        "home-page requests take 10-20 s, Kestrel warns that its heartbeat is late ('thread pool starvation'), "
        "and the ALB's health checks time out (unhealthy hosts, ELB 502/504). No deploy or configuration change "
        "touches the web tier; memory, disk and the database are normal (database CPU even drops as fewer "
        "requests get through). cpu_saturation on the web instances. The DB parameter change and the hourly jobs "
        "spike are unrelated."),
}

ALB = "app/forum-web/8e9f0a1b2c3d4e5f"
WEB = {"i-0d1e2f3a4b5c6d7e8": "forum-web-1", "i-0e2f3a4b5c6d7e8f9": "forum-web-2"}
JOBS = ("i-0f3a4b5c6d7e8f901", "forum-jobs-1")


def _dn(level: str, category: str, event: int, msg: str) -> str:
    return f"{level}: {category}[{event}]\n      {msg}"


def build(seed: int) -> Scenario:
    sc = Scenario("h16-12-regex-backtracking-pins-web-cpu",
                  "Forum very slow / timing out for everyone; forum-web-1 CPU alarm.",
                  "us-east-1", seed, dt.datetime(2026, 7, 20, 14, 55))
    O = -1920.0
    on = ramp(O, O + 60)
    day = daily(sc, peak_hour=15, depth=0.35)
    for iid, name in WEB.items():
        sc.resource("ec2", iid, name=name, instance_type="c6i.xlarge", log_groups=["/forum/web/app"])
    sc.resource("ec2", JOBS[0], name=JOBS[1], instance_type="m6i.large", log_groups=["/forum/jobs/app"])
    sc.resource("alb", ALB, name="forum-web", scheme="internet-facing", target_groups=["forum-web-tg"])
    sc.resource("rds", "forum-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.2xlarge",
                max_connections=2000, allocated_storage_gb=1000)

    for k, iid in enumerate(WEB):
        cpu = jitter(sc, 16 + 18 * day, 0.08) * (1 - on) + on * clip(98.5 + sc.rng.normal(0, 1.2, N), 0, 100)
        aws.ec2_metrics(sc, iid, cpu, 14 * day * (1 - 0.45 * on), mem_pct=jitter(sc, 47 + 4 * on, 0.01),
                        disk_pct=jitter(sc, 36, 0.001))
    jcpu = jitter(sc, 7, 0.2) + (hourly_bumps(sc, 0, 6, 1.0) - 1) * (72 + sc.rng.normal(0, 4, N))
    aws.ec2_metrics(sc, JOBS[0], jcpu, 1.2, mem_pct=jitter(sc, 38, 0.02), disk_pct=jitter(sc, 52, 0.001))
    req = counts(sc, 2900 * day * (1 - 0.35 * on))
    unhealthy = np.where(on > 0.5, sc.rng.choice([0, 1, 1, 2], N), 0).astype(float)
    elb5 = counts(sc, 0.05 + 160 * on)
    t5 = counts(sc, 0.4 + 6 * on)
    rt = jitter(sc, 0.085, 0.06) * (1 - on) + on * jitter(sc, 11.5, 0.12)
    aws.alb_metrics(sc, ALB, req, t5, rt, healthy=2 - unhealthy, unhealthy=unhealthy, elb5xx=elb5,
                    t4xx=counts(sc, 30 * day))
    aws.rds_metrics(sc, "forum-db", jitter(sc, 22 + 12 * day, 0.06) * (1 - 0.4 * on), 310 + sc.rng.normal(0, 6, N),
                    612.0, jitter(sc, 41.0, 0.002), read_iops=2400 * day * (1 - 0.4 * on), write_iops=380 * day)

    # --- web logs (.NET console logger via the CloudWatch agent) -----------------------------------------------
    pid = 48211937
    for k, iid in enumerate(WEB):
        ev = []
        for t in poisson_times(sc, 9 * day, -7200):
            hot = t >= O and sc.rng.random() < 0.45
            path = "/" if hot else sc.pick(["/questions/%d" % sc.rng.integers(1000000, 48000000), "/tags/c%23",
                                           "/users/%d" % sc.rng.integers(1000, 9900000), "/", "/api/votes"])
            if t >= O:
                ms = sc.rng.uniform(9000, 21000) if path == "/" else sc.rng.uniform(1500, 6000)
            else:
                ms = sc.rng.gamma(3, 28)
            ev.append((t + ms / 1000, _dn("info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                         f"Request finished HTTP/1.1 GET http://forum.stackhaven.dev{path} - 200 - "
                                         f"text/html;+charset=utf-8 {ms:.4f}ms")))
            if hot and sc.rng.random() < 0.5:
                took = ms * sc.rng.uniform(0.7, 0.9)
                ev.append((t + took / 1000, _dn("warn", "Forum.Web.Rendering.PostRenderer", 0,
                                               f"Slow render of post {pid} (body 30412 chars): "
                                               f"MarkdownSanitizer.TrimTrailingWhitespace took {took:.0f} ms")))
        for t in poisson_times(sc, np.where(TIMES >= O + 60, 0.8, 0), O + 60):
            ev.append((t, _dn("warn", "Microsoft.AspNetCore.Server.Kestrel", 22,
                              f"As of \"{sc.clock(t, '%m/%d/%Y %H:%M:%S')} +00:00\", the heartbeat has been running for "
                              f"\"00:00:0{int(sc.rng.integers(1, 6))}.{int(sc.rng.integers(1000000, 9999999))}\" which "
                              f"is longer than \"00:00:01\". This could be caused by thread pool starvation.")))
        for t in poisson_times(sc, 0.3, -7200):
            ev.append((t, _dn("warn", "Forum.Web.Middleware.RequestAbortedLogger", 0,
                              "Client disconnected before the response completed (TaskCanceledException: "
                              "A task was canceled.)")))
        if k == 1:
            t = O - 31
            ev.append((t, _dn("info", "Forum.Web.Controllers.QuestionsController", 0,
                              f"Question {pid} created by user 9912001 (title length 58, body length 30412)")))
            t = O - 2
            ev.append((t, _dn("info", "Forum.Web.Home.HotQuestionsJob", 0,
                              f"Hot questions refreshed: 90 entries, new: {pid}, 48211902, 48211655")))
        sc.log("/forum/web/app", iid, ev)
    ev = []
    for t in poisson_times(sc, 0.5, -7200):
        ev.append((t, _dn("info", "Forum.Jobs.ReputationRecalc", 0,
                          f"Recalculated reputation for {int(sc.rng.integers(50, 400))} users")))
    for t in [x for x in TIMES if sc.wall(x).minute == 0 and x >= -7200]:
        ev.append((t + 2, _dn("info", "Forum.Jobs.SitemapBuilder", 0, "Sitemap build started")))
        ev.append((t + 330, _dn("info", "Forum.Jobs.SitemapBuilder", 0,
                                f"Sitemap build finished: 51 files, {int(sc.rng.integers(4900000, 5100000))} urls in "
                                f"{sc.rng.uniform(300, 340):.1f}s")))
    sc.log("/forum/jobs/app", JOBS[0], ev)
    sc.change(-400000, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", JOBS[0], "ops-rgreen")
    sc.change(O - 600, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "forum-pg15-params", "dba-tchen")
    inst = list(WEB)[0]
    cpu_vals = np.array([p[1] for p in sc.metrics[0]["points"]])
    sc.alarm_on("forum-web-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": inst}, cpu_vals, "Average", 60,
                5, 90, "GreaterThanThreshold", description="forum-web-1 CPU above 90 %")
    sc.alarm_on("forum-web-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": ALB},
                unhealthy, "Maximum", 300, 1, 0, "GreaterThanThreshold", description="forum-web has unhealthy targets")
    accepted = []
    for iid, name in WEB.items():
        accepted += [iid, name]
    sc.set_expect("forum-web-1-cpu-high", "cpu_saturation", accepted,
                  [("AWS/EC2", "CPUUtilization", {"InstanceId": i}) for i in WEB])
    return sc
