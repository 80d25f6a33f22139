"""h36-14 Sat 23:30 CET, content (prod- prefix): seo-renderer CPU.

A site-audit crawler requests very long slugs ending in a character the slug regex rejects; the
regex backtracks catastrophically and each such request burns 10-40 s of CPU on the event loop.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ecs, rds

CL, SVC, CMS = "prod-content", "seo-renderer", "cms-api"
LB, DB = "app/prod-content-edge/0a2c4e6f8b1d3f57", "prod-content-pg"
T0, T_CMS = -1800, -1400

META = {
    "region": "eu-west-3", "category": "cpu_saturation", "front": "origin",
    "resources": [f"{CL}/{SVC}", SVC],
    "decoys": "cms-api deploy 7 min after the onset; steady 'image variant missing' WARNs; "
              "prod-content-pg quiet; an OK 5xx alarm on the ALB",
    "story": (
        "seo-renderer's own CPU alarm fires: the Fargate service goes from ~25 % to 97-100 % CPU "
        "at -30 min and stays pinned; response times climb to several seconds, health checks "
        "fail and tasks get replaced, and the ALB starts returning 504s. Request volume is flat. "
        "Its logs show the mechanism: `event loop blocked` warnings of 10-40 s, each on a "
        "request from SiteAuditBot for a several-hundred-character /guides/ slug ending in '!'. "
        "No exception is thrown, memory is flat, the database is idle, and nothing changed on "
        "seo-renderer (the cms-api deploy comes seven minutes after the onset). CPU pinned with "
        "latency and errors following and no surge: cpu_saturation of prod-content/seo-renderer."),
}


def build() -> Scenario:
    s = Scenario(14, "seo-renderer-cpu-regex", 3614, "eu-west-3",
                 "Paged 23:30 CET by prod-content-seo-renderer-cpu; guide pages load slowly or "
                 "time out.", "2026-03-14T22:30:00", 1)
    r = s.rng
    s.resource("alb", LB, name="prod-content-edge", scheme="internet-facing", idle_timeout_s=30)
    s.resource("ecs", f"{CL}/{SVC}", launch_type="FARGATE", desired_count=4, cpu=512, memory=1024,
               task_definition=f"{SVC}:64", log_group=f"/ecs/{CL}/{SVC}")
    s.resource("ecs", f"{CL}/{CMS}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
               task_definition=f"{CMS}:119", log_group=f"/ecs/{CL}/{CMS}")
    s.resource("rds", DB, engine="postgres", engine_version="16.2", instance_class="db.t4g.large",
               max_connections=900, allocated_storage_gb=100)

    hot = lambda t: smooth(t, T0, T0 + 180)
    req = lambda t: 880 * s.diurnal(t, 0.35, 20, 5)

    # task churn from failed health checks once the CPU is pinned
    rep = Fleet(s, f"/ecs/{CL}/{SVC}")
    kills = [T0 + 420, T0 + 700, T0 + 1010, T0 + 1330, T0 + 1580]
    slots = [[rep.task(SVC)] for _ in range(4)]
    for i, k in enumerate(kills):
        slot = slots[i % 4]
        slot[-1].end = k
        slot.append(rep.task(SVC, start=k + 55))
    running = lambda t: len(rep.alive(t + 30))
    ecs(s, CL, SVC, {"CPUUtilization": lambda t: min(100.0, s.noise(24 * s.diurnal(t, 0.35, 20, 5) + 6, 0.07) * (1 - hot(t)) + hot(t) * r.uniform(96.5, 100)),
                     "MemoryUtilization": lambda t: s.noise(41 + 3 * hot(t), 0.02),
                     "RunningTaskCount": running, "DesiredTaskCount": lambda t: 4})
    ecs(s, CL, CMS, {"CPUUtilization": lambda t: s.noise(11, 0.15) + (20 if T_CMS <= t < T_CMS + 120 else 0),
                     "MemoryUtilization": lambda t: s.noise(47, 0.03),
                     "RunningTaskCount": lambda t: 2 + (2 if T_CMS <= t < T_CMS + 150 else 0)})
    alb(s, LB, {
        "RequestCount": lambda t: s.noise(req(t), 0.05),
        "TargetResponseTime": lambda t: s.noise(0.085, 0.1) + hot(t) * r.uniform(3.5, 8.5),
        "HTTPCode_Target_5XX_Count": lambda t: r.choice([0, 0, 1]) + hot(t) * r.uniform(2, 9),
        "HTTPCode_ELB_5XX_Count": lambda t: hot(t) * r.uniform(14, 45) + (1 if r.random() < 0.03 else 0),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(req(t) * 0.03, 0.1) + hot(t) * 6,
        "HealthyHostCount": lambda t: 6 - (1 if any(k - 90 <= t < k + 85 for k in kills) else 0),
        "UnHealthyHostCount": lambda t: 1 if any(k - 90 <= t < k for k in kills) else 0,
    })
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(9, 0.12), "DatabaseConnections": lambda t: s.noise(28, 0.06),
                "FreeableMemory": lambda t: s.noise(4.4 * GB, 0.01), "ReadLatency": lambda t: s.noise(0.0006, 0.1),
                "WriteLatency": lambda t: s.noise(0.001, 0.1)})

    names: dict = {}
    hn = lambda m: names.setdefault(m.mid, f"ip-10-70-{r.randint(1, 3)}-{r.randint(10, 250)}.eu-west-3.compute.internal")
    for m in rep.members:
        if m.start > -10 ** 8:
            rep.emit(m, m.start + 3, L.pino(s, m.start + 3, 30, "seo-renderer 4.2.1 listening on :3000", hn(m)))
    pages = ["/guides/{s}", "/guides/{s}", "/blog/{s}", "/recipes/{s}", "/"]
    slug = lambda: "-".join(r.choice(["best", "garden", "winter", "tips", "easy", "home", "diy", "how", "to", "paint"]) for _ in range(r.randint(3, 7)))

    def page(t, m):
        busy = hot(t)
        rt = r.uniform(25, 140) + busy * r.uniform(2500, 9000)
        rep.emit(m, t, L.pino(s, t, 30, "request completed", hn(m), req={"method": "GET", "url": r.choice(pages).format(s=slug())},
                              res={"statusCode": 200}, responseTime=round(rt, 1)))
    rep.spread(-7200, 0, lambda t: 22 * s.diurnal(t, 0.35, 20, 5), page, warm=20, drain=5)
    rep.spread(-7200, 0, lambda t: 1.5, lambda t, m: rep.emit(m, t, L.pino(
        s, t, 40, "image variant missing, serving original", hn(m), asset=f"img/{s.hexid(12)}.jpg", variant="webp-640")), warm=20, drain=5)

    def evil(t, m):
        n = r.randint(28, 60)
        url = "/guides/" + "-".join(["a" * r.randint(3, 6)] * n) + "-!"
        blocked = r.uniform(9000, 38000)
        ua = "Mozilla/5.0 (compatible; SiteAuditBot/2.3; +https://siteaudit.example/bot)"
        rep.emit(m, t + blocked / 1000, L.pino(s, t + blocked / 1000, 40, "event loop blocked", hn(m),
                                               blockedMs=int(blocked), url=url))
        rep.emit(m, t + blocked / 1000 + 0.002, L.pino(s, t + blocked / 1000, 30, "request completed", hn(m),
                                                        req={"method": "GET", "url": url, "headers": {"user-agent": ua}},
                                                        res={"statusCode": 404}, responseTime=round(blocked + r.uniform(5, 40), 1)))
    rep.spread(T0 - 30, 0, lambda t: 7.5, evil, warm=20, drain=5)
    for k in kills:
        for m in rep.members:
            if m.end == k:
                rep.emit(m, k - 1, L.pino(s, k - 1, 30, "received SIGTERM, closing server", hn(m)))

    cms = Fleet(s, f"/ecs/{CL}/{CMS}")
    for i in range(2):
        cms.task(CMS, end=T_CMS + 120 + i * 20)
        m = cms.task(CMS, start=T_CMS + 30 + i * 10)
        cms.emit(m, m.start + 4, L.pino(s, m.start + 4, 30, "cms-api 7.12.0 ready", hn(m)))
    cms.spread(-7200, 0, lambda t: 6, lambda t, m: cms.emit(m, t, L.pino(
        s, t, 30, "request completed", hn(m), req={"method": "GET", "url": f"/v1/entries/{s.hexid(8)}"}, res={"statusCode": 200},
        responseTime=round(r.uniform(8, 60), 1))))

    s.change(T_CMS - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{CMS}:119", "jenkins-content")
    s.change(T_CMS, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{CMS}", "jenkins-content")

    edims = {"ClusterName": CL, "ServiceName": SVC}
    s.alarm(f"{CL}-{SVC}-cpu", "AWS/ECS", "CPUUtilization", edims,
            [p for m in s.doc["metrics"] if m["dimensions"] == edims and m["name"] == "CPUUtilization" for p in m["points"]],
            "Average", 60, 5, 90, "GreaterThanThreshold", "seo-renderer CPU above 90 % for 5 minutes")
    s.quiet_alarm("prod-content-edge-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB},
                  "Sum", 300, 1, 50, "GreaterThanThreshold", state="OK", changed=-900000)
    s.expect(f"{CL}-{SVC}-cpu", "cpu_saturation", META["resources"],
             [anomaly("AWS/ECS", "CPUUtilization", edims),
              anomaly("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB})])
    s.meta = META
    return s
