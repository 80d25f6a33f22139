"""h68-09: login latency at launch; a login wave plus credential stuffing swamps the Node login service."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, ecs_family, emit, event_load, lam_config, lambda_family, pino, ramp, rds_family

PATCH, SURGE, DECOY = -9000, -2400, -2460


def build() -> Scenario:
    sc = Scenario(9, "launch-login-latency", "Season 2 launch: players stuck on the login screen; "
                  "identity ALB latency alarm.", "eu-west-2", 6809, "2026-11-29T18:05:00")
    rng = sc.rng
    lb, db, fn = "app/id-public/7e2b90c4d1a35f68", "id-accounts", "session-revoker"
    sc.resource("alb", lb, name="id-public", targets="id-prod/login-edge")
    sc.resource("ecs", "id-prod/login-edge", launch_type="FARGATE", desired_count=8, cpu=1024, memory=2048,
                runtime="nodejs20 (fastify, pino)", autoscaling="min 6 / max 24 on CPU 60 %")
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=400)
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=256, timeout=30)
    load = lambda t: diurnal(sc, t, 19, 0.2) * event_load(t, PATCH, 2.0, 1.15, 2400)
    s = lambda t: ramp(t, SURGE, SURGE + 240)
    ntask = lambda t: 8 + 16 * ramp(t, SURGE + 120, SURGE + 1000)
    req = lambda t: 1700 * load(t) * (1 + 6.9 * s(t))
    alb_family(sc, lb, req, lambda t: 0.08 + 0.01 * (load(t) - 1) + 2.3 * s(t) * (1 - 0.2 * ramp(t, SURGE + 600, SURGE + 1200)),
               t5xx=lambda t: 0.4 + 30 * s(t), e5xx=lambda t: 0.1 + 260 * s(t), t4xx=lambda t: 0.11 * req(t) + 600 * s(t) * 6,
               hosts=ntask)
    ecs_family(sc, "id-prod", "login-edge", lambda t: 31 * load(t) + 43 * s(t) - 8 * ramp(t, SURGE + 600, SURGE + 1200),
               lambda t: 41 + 13 * s(t), tasks=ntask)
    rds_family(sc, db, lambda t: 22 * load(t) + 14 * s(t), lambda t: 110 + 10 * load(t) + 60 * s(t), lambda t: 212.4,
               rlat=lambda t: 0.0009 + 0.0003 * s(t), mem_gb=lambda t: 21.5)
    lambda_family(sc, fn, lambda t: 30 * load(t), lambda t: 0.0, lambda t: 410 + 30 * ramp(t, DECOY, DECOY + 60))

    # ---------------------------------------------------------------- login-edge (pino JSON)
    t0 = [sc.hexid(32) for _ in range(8)]
    extra = [sc.hexid(32) for _ in range(16)]
    def task(t):
        live = t0 + extra[:max(0, int(ntask(t)) - 8)]
        return f"ecs/login-edge/{rng.choice(live)}"
    host = lambda: f"ip-10-50-{rng.randint(1, 40)}-{rng.randint(2, 250)}.eu-west-2.compute.internal"
    g = "/ecs/login-edge"
    client = lambda t: (f"Frostfall/2.0.{rng.randint(0, 3)}" if t >= SURGE else "Frostfall/1.9.14") + " (Windows 10; Steam)"

    def login(t, fail, ua=None):
        ms = int(rng.lognormvariate(3.9, 0.4) + rng.uniform(1500, 4500) * s(t))
        return pino(sc, t, 40 if fail else 30, host(), "login failed: invalid credentials" if fail else "login ok",
                    reqId=f"req-{rng.randint(1, 99999):x}", route="POST /v1/session", status=401 if fail else 200,
                    ip=f"{rng.randint(2, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    ua=ua or client(t), responseTime=ms)
    emit(sc, g, task, lambda t: 3.0 * load(t) * (1 + 3 * s(t)), lambda t: login(t, rng.random() < 0.09))
    emit(sc, g, task, lambda t: 6.0 * s(t), lambda t: login(t, True, rng.choice(
        ["okhttp/4.12.0", "python-requests/2.32.3", "Go-http-client/2.0", "Frostfall/2.0.0 (Windows 10; Steam)"])), t0=SURGE)
    emit(sc, g, task, lambda t: 3.0 * s(t), lambda t: pino(
        sc, t, 40, host(), f"event loop lag {rng.randint(300, 1900)}ms exceeds 200ms", inflight=rng.randint(400, 1500)),
        t0=SURGE)
    emit(sc, g, task, lambda t: 1.5 * s(t), lambda t: pino(
        sc, t, 50, host(), "request timed out", route="POST /v1/session", status=503, responseTime=5000,
        err={"type": "FastifyError", "code": "FST_ERR_REQUEST_TIMEOUT", "message": "Request timeout"}), t0=SURGE + 60)
    emit(sc, g, task, lambda t: 0.5, lambda t: pino(
        sc, t, 40, host(), "jwks refresh slow", url="https://auth.internal/.well-known/jwks.json",
        durationMs=rng.randint(800, 2400)))
    emit(sc, g, task, lambda t: 0.2, lambda t: pino(
        sc, t, 30, host(), "pg pool stats", total=20, idle=rng.randint(8, 18), waiting=0))

    # ---------------------------------------------------------------- session-revoker (Lambda Node)
    from .runtimes import LambdaLogs
    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 30, retire=[DECOY])

    def rev(ll, t, rid, is_err, cold):
        batch = 200 if t < DECOY else 500
        init = [(0.02, f"{sc.iso(t)}\tundefined\tINFO\tsession-revoker config BATCH_SIZE={batch}")]
        return {"dur": rng.gauss(420, 40), "init_lines": init, "lines": [
            (0.3, f"{sc.iso(t + 0.3)}\t{rid}\tINFO\trevoked {rng.randint(0, batch)} expired sessions")]}
    ll.run({t: 1 for t in range(-21600, 0, 60) if rng.random() < 0.5}, {}, rev)

    sc.alarm("id-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 5, 1.5, "GreaterThanThreshold", "Login latency > 1.5 s")
    sc.alarm("login-edge-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "id-prod", "ServiceName": "login-edge"}, "Average", 60, 3, 70, "GreaterThanThreshold")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.change(-20500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "id-prod/login-edge", "github-actions-id")
    sc.change(-9500, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              "id-public/https-443/maintenance", "ops-abrown")
    lam_config(sc, DECOY, fn, "ops-abrown")
    for k, t in enumerate((SURGE + 150, SURGE + 420, SURGE + 700, SURGE + 960)):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "id-prod/login-edge",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.expect = {"alarm": "id-public-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": ["id-prod/login-edge", "login-edge", lb, "id-public"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {
        "front": "front (ALB; the surge lands on the ECS service behind it)",
        "services": ["alb", "ecs", "rds", "lambda"], "runtime": "Node 20 (pino JSON), Node Lambda",
        "decoys": "config change on session-revoker 1 min before onset; autoscaler UpdateService calls on the "
                  "origin just after onset; CPU alarm at ~80 % (not pinned); steady jwks warnings; "
                  "patch-notes rush absorbed at -150 min",
        "story": (
            "At -40 min Season 2 went live and requests at id-public jumped from ~2.3 k to ~18 k a minute "
            "(~8x), roughly a third of them failed logins from stuffing clients (okhttp, python-requests, "
            "Go-http-client) on top of the real login wave. login-edge's CPU rises to ~75-80 % and the "
            "autoscaler (CloudTrail UpdateService by the Application Auto Scaling service role) takes it "
            "from 8 to its maximum of 24 tasks, yet responses still average 2 s, pino logs `event loop "
            "lag ... exceeds 200ms` and FST_ERR_REQUEST_TIMEOUT, and the ALB returns 503/504. Nothing "
            "is broken underneath: the accounts database stays at ~40 % CPU with a pool that never waits, "
            "memory is fine and there is no deploy. The session-revoker config change a minute before the "
            "surge only altered its batch size; the patch-notes rush at -150 min (2x) was absorbed."),
        "judgement": "CPU is high but not pinned (~80 % with the service at max tasks) and there are no "
                     "errors naming a limit, so traffic_surge rather than cpu_saturation or throttling. The "
                     "surge is measured at the ALB, so its name is accepted next to the ECS service.",
    }
    return sc
