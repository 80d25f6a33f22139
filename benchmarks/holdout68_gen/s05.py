"""h68-05: ranked web latency at the ALB; one .NET target pinned at 100 % CPU by the leader job."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, bump, ec2_family, ecs_deploy, ecs_family, emit, event_load, ramp
from .runtimes import nginx, serilog

EVENT, ONSET, DECOY = -11400, -2640, -2760
A, B = "i-0c4e1a9b7d2f35e61", "i-0f17c3d9a5b2e8406"


def build() -> Scenario:
    sc = Scenario(5, "ranked-web-latency", "Ranked standings and profile pages slow for EU players; "
                  "ALB response-time alarm in ALARM.", "eu-central-1", 6805, "2026-11-25T21:15:00")
    rng = sc.rng
    lb = "app/ranked-web/9b1d4e7c2a6f3805"
    sc.resource("ec2", A, name="rank-web-a", instance_type="c6i.xlarge", app="Ranked.Web (.NET 8, Kestrel behind nginx)",
                log_groups=["/ranked/web/access", "/ranked/web/app"])
    sc.resource("ec2", B, name="rank-web-b", instance_type="c6i.xlarge", app="Ranked.Web (.NET 8, Kestrel behind nginx)",
                log_groups=["/ranked/web/access", "/ranked/web/app"])
    sc.resource("alb", lb, name="ranked-web", targets=[A, B])
    sc.resource("ecs", "ranked/season-banner", launch_type="FARGATE", desired_count=2)
    load = lambda t: diurnal(sc, t, 20, 0.25) * event_load(t, EVENT, 2.5, 1.5, 2400)
    hot = lambda t: ramp(t, ONSET, ONSET + 180)
    starts = [ONSET - 20 - 3600 * k for k in range(5, 0, -1)]
    rows = [780000, 1209000, 2350000, 3900000, 5100000]
    runs = [(s0, s0 + r / 19000.0) for s0, r in zip(starts, rows)]
    job = lambda t: sum(bump(t, a, b, 24, 30) for a, b in runs)
    alb_family(sc, lb, lambda t: 2900 * load(t), lambda t: 0.052 + 0.03 * (load(t) - 1) + 1.35 * hot(t),
               t5xx=lambda t: 0.3 + 11 * hot(t), e5xx=lambda t: 0.05 + 4 * hot(t),
               t4xx=lambda t: 55 + 10 * load(t), hosts=lambda t: 2)
    ec2_family(sc, A, lambda t: 27 * load(t) + job(t) + (99 - 27 * load(t)) * hot(t),
               netin=lambda t: 5.5e6 * load(t), mem=lambda t: 41 + 6 * hot(t), disk=lambda t: 37.2)
    ec2_family(sc, B, lambda t: 26 * load(t), netin=lambda t: 5.4e6 * load(t), mem=lambda t: 40,
               disk=lambda t: 36.8)
    ecs_family(sc, "ranked", "season-banner", lambda t: 9 * load(t) + 25 * ramp(t, DECOY, DECOY + 60)
               * (1 - ramp(t, DECOY + 240, DECOY + 300)), lambda t: 31, tasks=lambda t: 2)

    # ---------------------------------------------------------------- nginx access logs
    paths = ["/api/standings?board=season-9-global&page={}", "/api/profile/p_{}", "/api/matches/recent?p=p_{}"]
    ua = "FrostfallClient/1.42.0 (Windows; EU)"
    for iid, slow in ((A, hot), (B, lambda t: 0.0)):
        def ok(t, slow=slow):
            rt = rng.lognormvariate(-3.1, 0.5) + (rng.uniform(1.8, 4.5) if rng.random() < slow(t) else 0)
            st = 504 if rt > 4.2 and rng.random() < 0.3 else 200
            return nginx(sc, t, sc.ip("10.31"), "GET", rng.choice(paths).format(rng.randint(1, 9999)), st,
                         rng.randint(800, 22000), rt, ua)
        emit(sc, "/ranked/web/access", iid, lambda t: 3.0 * load(t), ok)
        emit(sc, "/ranked/web/access", iid, lambda t: 1.1, lambda t: nginx(
            sc, t, f"185.{rng.randint(100, 220)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "POST",
            "/api/scores/submit", 401, 61, rng.uniform(0.004, 0.02), "python-requests/2.31.0"))

    # ---------------------------------------------------------------- Serilog app logs
    src_sig = "Ranked.Web.Scores.SignatureValidator"
    for iid in (A, B):
        emit(sc, "/ranked/web/app", iid, lambda t: 1.0, lambda t: serilog(
            sc, t, "WRN", src_sig, f"Score signature invalid for player p_{sc.hexid(10)} "
                                  f"(client 1.41.{rng.randint(0, 3)}), rejecting submission"))
        emit(sc, "/ranked/web/app", iid, lambda t: 0.2, lambda t: serilog(
            sc, t, "INF", "Ranked.Web.Health", f"GC heap {rng.randint(380, 520)} MB, gen2 collections "
                                                f"{rng.randint(3, 9)}, threadpool {rng.randint(4, 14)}/64"))
    for (t, end), n in zip(runs, rows):
        sc.log("/ranked/web/app", A, t, serilog(sc, t, "INF", "Ranked.Jobs.RankRecomputeJob",
               f"Full recompute started for board season-9-global rows={n} (leader=rank-web-a)"))
        dur = end - t
        sc.log("/ranked/web/app", A, t + dur, serilog(sc, t + dur, "INF", "Ranked.Jobs.RankRecomputeJob",
               f"Full recompute finished for board season-9-global in {dur:.1f}s"))
    t = ONSET - 20
    sc.log("/ranked/web/app", A, t, serilog(sc, t, "INF", "Ranked.Jobs.RankRecomputeJob",
           "Full recompute started for board season-9-global rows=6120455 (leader=rank-web-a)"))
    emit(sc, "/ranked/web/app", A, lambda t: 1.5 * hot(t), lambda t: serilog(
        sc, t, "WRN", "Microsoft.AspNetCore.Server.Kestrel",
        f"Heartbeat took longer than \"00:00:01\" at \"{sc.at(t).strftime('%m/%d/%Y %H:%M:%S')} +00:00\". "
        "This could be caused by thread pool starvation."), t0=ONSET)
    emit(sc, "/ranked/web/app", A, lambda t: 1.0 * hot(t), lambda t: serilog(
        sc, t, "ERR", "Ranked.Web.Standings.StandingsController",
        f"Request GET /api/standings timed out after 4000 ms waiting for a worker (queue={rng.randint(300, 1400)})"),
        t0=ONSET + 60)
    emit(sc, "/ranked/web/app", A, lambda t: 0.35 * hot(t), lambda t: serilog(
        sc, t, "INF", "Ranked.Jobs.RankRecomputeJob",
        f"Recompute progress board=season-9-global {min(97, int((t - ONSET) / 75))}% (cpu-bound sort, 16 partitions)"),
        t0=ONSET)
    emit(sc, "/ecs/season-banner", lambda t: "ecs/banner/" + ("7d1c0e" if t < DECOY + 120 else "b4a9f2") + "04aa91",
         lambda t: 0.5, lambda t: f"{sc.iso(t)} info banner served variant={rng.choice(['a', 'b'])}")

    sc.alarm("ranked-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.8, "GreaterThanThreshold", "Ranked web p-avg latency > 800 ms")
    sc.alarm("ranked-web-4xx", "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 250, "GreaterThanThreshold", "Rejected score submissions (cheat clients)")
    sc.change(-18600, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", B, "ops-kbauer")
    sc.change(-11900, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "ranked-web-tg", "ops-kbauer")
    ecs_deploy(sc, DECOY, "ranked", "season-banner", 19, "gitlab-runner-live")
    sc.expect = {"alarm": "ranked-web-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [A, "rank-web-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": A}}]}
    sc.meta = {
        "front": "front (ALB; origin is one target instance)",
        "services": ["alb", "ec2", "ecs"], "runtime": ".NET 8 (Serilog plain), nginx access",
        "decoys": "season-banner ECS deploy 2 min before onset; event rush absorbed at -190 min; "
                  "4xx alarm from cheat clients; steady 'Score signature invalid' warnings",
        "story": (
            "Request volume at the ranked-web ALB is flat around the onset (the event rush at -190 min "
            "raised it 2.5x with a 30 ms latency bump and no errors). At -44 min CPUUtilization on "
            "rank-web-a climbs to ~99 % within three minutes while rank-web-b stays near 47 %; the "
            "leader's hourly RankRecomputeJob, whose logged duration grew every hour with the event "
            "board, starts on 6.1 M rows and never logs `finished`, Kestrel logs `Heartbeat took longer "
            "than 00:00:01 ... thread pool starvation`, and only rank-web-a's access log shows 2-4 s "
            "response times and 504s. The season-banner deployment two minutes earlier touches a "
            "different service that rank-web does not call; the 4xx alarm and the signature "
            "warnings are cheat clients rejected at the same rate for hours."),
    }
    return sc
