"""h53-14: a ticket on-sale opens at 12:15 UTC; requests jump six-fold, tickets-web (Django/gunicorn on ECS) hits its
autoscaling maximum and queues; latency and 502s follow. Nothing is broken (sudden)."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import alb_set, ecs_set, lambda_set, minutes, rds_set

REGION, CLUSTER = "ap-south-1", "events"
LB = "app/tickets-alb/5f7e9d1c3b5a7e9f"
SALE = -1800
NOW_H = 18.25

META = {
    "file": "h53-14-alb-ecs-onsale-traffic-surge.yaml", "region": REGION, "alarm": "tickets-alb-latency",
    "category": "traffic_surge", "resources": ["tickets-alb", LB, f"{CLUSTER}/tickets-web", "tickets-web"],
    "alarm_on": "front (ALB) = where the surge lands",
    "decoys": "deploy of tickets-email-sender 67 min ago (37 min before the sale opened); autoscaling UpdateService events (a consequence); "
              "gunicorn's `Worker ... was sent SIGKILL! Perhaps out of memory?` after worker timeouts while memory "
              "sits at 55 %; steady DisallowedHost ERRORs; nightly CPU spike on tickets-pg",
    "story": (
        "At 12:15 UTC the scheduled `open-sale-window` task opens sales for event 9812; within two minutes ALB "
        "RequestCount goes from ~1.6k to ~9k per minute and stays there. tickets-web scales out from 4 to its "
        "maximum of 8 tasks (the UpdateService calls are made by the Application Auto Scaling service role, after "
        "onset), CPU rises to the mid-70s but is not pinned (sync workers mostly wait on I/O), memory is flat; gunicorn's sync workers are all busy, "
        "the request-queue middleware reports multi-second queue waits, some workers hit the 30 s timeout and are "
        "killed (hence gunicorn's generic 'Perhaps out of memory?' line), and the ALB returns 502s. The database "
        "is comfortably loaded, there is no deploy or configuration change on the path, and the surge is legitimate "
        "demand. Judgement: traffic_surge arriving through tickets-alb onto tickets-web (both ids accepted: the "
        "entry point and the overloaded service are the same path)."),
}


def build() -> Scenario:
    scn = Scenario("h53-14-alb-ecs-onsale-traffic-surge", "Ticket site very slow and intermittently failing; ALB "
                   "latency alarm.", REGION, 5314, datetime(2026, 8, 15, 12, 45))
    rng = scn.rng
    scn.resource("alb", LB, name="tickets-alb", scheme="internet-facing", target_group="tickets-web-tg")
    scn.resource("ecs", f"{CLUSTER}/tickets-web", cluster=CLUSTER, service="tickets-web", launch_type="FARGATE",
                 cpu=2048, memory=4096, desired_count=4, autoscaling="target CPU 60 %, min 4, max 8",
                 runtime="python3.12 (Django 5.0, gunicorn 22 sync workers=9, timeout 30)")
    scn.resource("ecs", f"{CLUSTER}/tickets-worker", cluster=CLUSTER, service="tickets-worker", launch_type="FARGATE",
                 desired_count=2, runtime="python3.12 (celery 5.3 + beat)")
    scn.resource("rds", "tickets-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
                 allocated_storage_gb=500, max_connections=1600)
    scn.resource("lambda", "tickets-email-sender", runtime="python3.12", timeout=60, memory_size=512)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=20.0, amp=0.25)
    surge = lambda t: 0.0 if t < SALE else min(1.0, (t - SALE + 60) / 150)
    tasks = lambda t: 4 if t < SALE + 60 else (6 if t < SALE + 180 else 8)
    load = lambda t: 1500 * mult(t) * (1 + 5.0 * surge(t))
    req = counts(lambda t: load(t) * rng.uniform(0.95, 1.05), rng)
    pressure = lambda t: max(0.0, load(t) / (tasks(t) * 1050.0) - 0.75)
    ecs_set(scn, CLUSTER, "tickets-web", cpu=lambda t: min(76.0, 31 * mult(t) + 330 * pressure(t) * (1 if t >= SALE else 0))
            + rng.gauss(0, 1.5), mem=lambda t: 54.5 + rng.gauss(0, 0.6),
            insights={"RunningTaskCount": ("Count", lambda t: tasks(t)),
                      "DesiredTaskCount": ("Count", lambda t: 4 if t < SALE + 40 else (6 if t < SALE + 160 else 8))})
    ecs_set(scn, CLUSTER, "tickets-worker", cpu=lambda t: 12 + (9 if t >= SALE else 0) + rng.gauss(0, 1),
            mem=lambda t: 41 + rng.gauss(0, 0.5))
    night = lambda t: -15000 <= t < -13800
    rds_set(scn, "tickets-pg", CPUUtilization=lambda t: (61 if night(t) else 19 + 28 * surge(t)) + rng.gauss(0, 1.5),
            DatabaseConnections=lambda t: 84 + 110 * surge(t) + rng.gauss(0, 4),
            ReadLatency=lambda t: 0.0005 * rng.uniform(0.8, 1.25), WriteLatency=lambda t: 0.0012 * rng.uniform(0.8, 1.25),
            FreeStorageSpace=lambda t: 322e9 - (t + 21600) * 2e3 + rng.uniform(-4e6, 4e6),
            FreeableMemory=lambda t: 39e9 + rng.uniform(-1e8, 1e8))
    rt = lambda t: 0.11 * rng.uniform(0.85, 1.2) + (rng.uniform(2.3, 3.4) * min(1.0, pressure(t) * 3) if t >= SALE else 0)
    alb = alb_set(scn, LB, req=req, rt=rt,
                  t5xx=lambda t: value_at(req, t) * 0.0008 * rng.uniform(0.5, 1.5),
                  e5xx=lambda t: (value_at(req, t) * 0.028 * min(1.0, pressure(t) * 3) * rng.uniform(0.8, 1.2)
                                  if t >= SALE else rng.choice([0, 0, 0, 1])),
                  healthy=lambda t: tasks(t), unhealthy=lambda t: 0,
                  extra={"NewConnectionCount": ("Count", lambda t: value_at(req, t) * 0.31 * rng.uniform(0.9, 1.1)),
                         "ActiveConnectionCount": ("Count", lambda t: value_at(req, t) * 0.12 * (1 + 2 * surge(t))
                                                   * rng.uniform(0.9, 1.1))})
    em = counts(lambda t: 8 * (1 + 6 * surge(t)), rng)
    lambda_set(scn, "tickets-email-sender", inv=em, err=lambda t: 0, thr=lambda t: 0, dur=lambda t: rng.uniform(250, 450),
               conc=lambda t: rng.choice([1, 1, 2]))
    scn.alarm("tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3,
              1.5, "GreaterThanThreshold", points=alb["TargetResponseTime"], description="tickets site latency > 1.5 s")
    scn.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "tickets-email-sender", "ci-tickets")
    for t, _ in ((SALE + 40, 6), (SALE + 160, 8)):
        scn.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/tickets-web",
                   "AWSServiceRoleForApplicationAutoScaling_ECSService")
    _logs(scn, req, pressure, tasks)
    scn.set_expect("tickets-alb-latency", META["category"], META["resources"],
                   [dims_ref("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}),
                    dims_ref("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB})])
    return scn


PATHS = ["/events/9812/seats", "/events/9812", "/events/9812/seats?section=N{n}", "/cart", "/", "/events/9790",
         "/api/holds"]


def _logs(scn, req, pressure, tasks):
    rng = scn.rng
    task_ids = [scn.hex(32) for _ in range(8)]
    streams = {i: [] for i in range(8)}
    pids = {i: list(range(40 + i, 49 + i)) for i in range(8)}
    for m0 in minutes(-7200):
        n_t = tasks(m0)
        for _ in range(int(value_at(req, m0) / 60)):
            i = rng.randrange(n_t)
            t = m0 + rng.uniform(0, 60)
            path = rng.choice(PATHS).format(n=rng.randint(1, 42))
            method = "POST" if path == "/api/holds" else "GET"
            p = pressure(m0) if m0 >= SALE else 0.0
            wait = rng.uniform(1.5, 4.5) * min(1.0, p * 3) if p > 0 else 0.0
            ms = rng.uniform(40, 180)
            s = streams[i]
            if wait > 2.8 and rng.random() < 0.3:
                s.append((t, L.django(scn, t, "WARNING", "tickets.middleware.queue",
                                      f"queue wait {wait:.2f}s for {method} {path} (X-Request-Start)")))
            if "seats" in path:
                s.append((t + (wait + ms / 1000), L.django(scn, t + wait + ms / 1000, "INFO", "tickets.views",
                          f"seat map served event=9812 sections=42 ms={ms:.0f}")))
            s.append((t + wait + ms / 1000, f'10.0.{rng.randint(0, 15)}.{rng.randint(2, 250)} - - '
                      f'[{scn.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")}] "{method} {path} HTTP/1.1" '
                      f'{201 if method == "POST" else 200} {rng.randint(900, 24000)} "-" "{rng.choice(L.UA)}"'))
        for i in range(n_t):
            if rng.random() < 0.5:
                t = m0 + rng.uniform(0, 60)
                ip = f"13.232.{rng.randint(1, 250)}.{rng.randint(1, 250)}"
                streams[i].append((t, L.django(scn, t, "ERROR", "django.security.DisallowedHost",
                                   f"Invalid HTTP_HOST header: '{ip}'. You may need to add '{ip}' to ALLOWED_HOSTS.")))
            if m0 >= SALE + 60 and rng.random() < min(0.9, pressure(m0) * 2.5):
                t = m0 + rng.uniform(0, 60)
                old = rng.choice(pids[i])
                new = rng.randint(100, 9999)
                pids[i][pids[i].index(old)] = new
                streams[i] += [(t, L.gunicorn(scn, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{old})")),
                               (t + 0.4, L.gunicorn(scn, t + 0.4, 1, "ERROR",
                                                    f"Worker (pid:{old}) was sent SIGKILL! Perhaps out of memory?")),
                               (t + 0.5, L.gunicorn(scn, t + 0.5, new, "INFO", f"Booting worker with pid: {new}"))]
    for i in range(8):
        if i >= 4:
            t0 = SALE + (70 if i < 6 else 190)
            boot = [(t0, L.gunicorn(scn, t0, 1, "INFO", "Starting gunicorn 22.0.0")),
                    (t0 + 0.01, L.gunicorn(scn, t0 + 0.01, 1, "INFO", "Listening at: http://0.0.0.0:8000 (1)")),
                    (t0 + 0.02, L.gunicorn(scn, t0 + 0.02, 1, "INFO", "Using worker: sync"))]
            streams[i] = boot + [e for e in streams[i] if e[0] > t0]
        scn.log("/ecs/tickets-web", f"web/tickets-web/{task_ids[i]}", streams[i])
    wk = []
    for m0 in minutes(-7200):
        if scn.at(m0).minute % 5 == 0:
            t = m0 + 0.1
            wk.append((t, f"[{scn.at(t).strftime('%Y-%m-%d %H:%M:%S')},{rng.randint(100, 999)}: INFO/MainProcess] "
                          "Scheduler: Sending due task release-expired-holds (tickets.tasks.release_expired_holds)"))
    t = SALE + 0.05
    wk.append((t, f"[{scn.at(t).strftime('%Y-%m-%d %H:%M:%S')},050: INFO/MainProcess] Scheduler: Sending due task "
                  "open-sale-window (tickets.tasks.open_sale_window)"))
    wk.append((t + 0.8, f"[{scn.at(t).strftime('%Y-%m-%d %H:%M:%S')},851: INFO/ForkPoolWorker-2] Task "
                        "tickets.tasks.open_sale_window[6f1c2a9e-0d4b-4c7e-9a51-3e8b7d2f4c10] succeeded in 0.74s: "
                        "{'event': 9812, 'sections': 42, 'seats': 38214, 'status': 'ON_SALE'}"))
    scn.log("/ecs/tickets-worker", "worker/tickets-worker/0b9e6d3c1a7f4e2d8c5b9a1e3f7d6c42", wk)
