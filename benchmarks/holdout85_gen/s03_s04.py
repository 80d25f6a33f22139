"""h85-03 (ap-south-1, one EC2 matcher pinned behind an ALB) and h85-04 (us-east-1, bad ECS
deployment of a Node pricing service behind an internal ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import nginx, pino

from .kit import (H85, alb_metrics, bump, ct, ec2_metrics, ecs_deploy, ecs_metrics, emit, go_std,
                  lambda_metrics, periodic, ramp, step)


def build_03() -> H85:
    sc = H85(3, "match-latency",
             "Bengaluru riders wait long for a driver match; the matching gateway latency alarm fired.",
             "ap-south-1", 8503, "2026-02-10T14:30:00+00:00", {
                 "front": "front (ALB -> EC2 target)", "runtime": "Go (stdlib log) + nginx access log",
                 "decoys": "security-group change 3 min before onset; CodeDeploy to both matchers 3.7 h "
                           "earlier; pre-existing redis pool timeouts on both; CPU spike on the other "
                           "matcher earlier (its alarm back to OK)",
             })
    lb = "app/match-gw-in/3c9d0e71a2b4f5c6"
    a, b = "i-0b7e4c2a91d3f5e68", "i-05f1a9c3e7b2d4086"
    sc.resource("alb", lb, name="match-gw-in", scheme="internal")
    for iid, nm in ((a, "matcher-a"), (b, "matcher-b")):
        sc.resource("ec2", iid, name=nm, instance_type="c6g.xlarge", autoscaling_group="matcher-asg",
                    log_groups=["/mobility/matcher/app", "/mobility/matcher/nginx"])
    onset, deploy = -2700, -13200
    sc.meta["onset"] = onset

    def load(t):
        return 1.0 + 0.35 * ramp(t, -9000, -1800)

    def hot(t):
        return ramp(t, onset, onset + 240)

    ec2_metrics(sc, a, cpu=lambda t: (38 + 9 * load(t)) * (1 - hot(t)) + 99.2 * hot(t)
                + bump(t, deploy, deploy + 120, 30, 60), net_in=lambda t: 4.1e7 * load(t),
                mem=lambda t: 41 + 3 * hot(t), disk=33.0)
    ec2_metrics(sc, b, cpu=lambda t: 37 + 9 * load(t) + bump(t, -12000, -11460, 48, 120)
                + bump(t, deploy + 200, deploy + 320, 30, 60), net_in=lambda t: 4.0e7 * load(t),
                mem=41.5, disk=34.0)
    alb_metrics(sc, lb, req=lambda t: 5200 * load(t), t5=lambda t: 0.5 + 3 * hot(t),
                e5=lambda t: 0.2 + 55 * hot(t), rt=lambda t: 0.085 + 1.9 * hot(t), healthy=2)

    rng = sc.rng
    zones = ["BLR-03", "BLR-07", "BLR-11", "BLR-14", "BLR-02"]
    for iid in (a, b):
        is_a = iid == a

        def rt(t, is_a=is_a):
            base = max(0.02, rng.gauss(0.08, 0.025))
            return base + (rng.uniform(1.8, 5.5) * hot(t) if is_a else 0.0)

        def acc(t, is_a=is_a):
            r = rt(t)
            status = 504 if r > 5.0 else 200
            path = rng.choice(["/v2/match/candidates", "/v2/match/candidates", "/v2/match/assign",
                               "/v2/match/eta-batch"])
            return nginx(sc, t, sc.ip("10.8"), "POST", path, status, rng.randint(400, 3000) if status == 200
                         else 167, min(r, 5.0), ua="match-gw/2.4 (go-http-client)")

        emit(sc, "/mobility/matcher/nginx", iid, lambda t: 4.0 * load(t), acc)
        app = "/mobility/matcher/app"
        emit(sc, app, iid, lambda t: 1.2, lambda t: go_std(
            sc, t, f"INFO match: zone={rng.choice(zones)} candidates={rng.randint(4, 60)} "
                   f"picked=drv_{rng.randint(10 ** 5, 10 ** 6)} score={rng.uniform(0.4, 0.99):.3f}"))
        emit(sc, app, iid, lambda t: 0.7, lambda t: go_std(
            sc, t, "ERROR surge-cache get failed: redis: connection pool timeout "
                   f"(key=surge:{rng.choice(zones)}:v2)"))
        periodic(sc, app, iid, 600, lambda t: go_std(
            sc, t, f"INFO rebalance: index for {rng.choice(zones)} refreshed in "
                   f"{rng.uniform(0.6, 1.9):.2f}s (cells={rng.randint(30000, 52000)})"), end=onset)
        sc.log(app, iid, deploy + (40 if is_a else 240), go_std(
            sc, deploy + (40 if is_a else 240), "INFO matcher v3.14.0 (commit 9c1e7d2) listening on :7070"))
        if not is_a:
            periodic(sc, app, iid, 60, lambda t: go_std(
                sc, t, f"INFO compaction: merged {rng.randint(200, 900)} h3 shards"), start=-12000, end=-11460)
            periodic(sc, app, iid, 600, lambda t: go_std(
                sc, t, f"INFO rebalance: index for {rng.choice(zones)} refreshed in "
                       f"{rng.uniform(0.6, 1.9):.2f}s (cells={rng.randint(30000, 52000)})"), start=onset)
    app = "/mobility/matcher/app"

    def rebuild(t):
        took = rng.uniform(28, 47)
        return go_std(sc, t, f"INFO rebalance: index for BLR-07 refreshed in {took:.2f}s "
                             f"(cells={rng.randint(48000, 49000)}) dirty=true, scheduling rebuild")
    periodic(sc, app, a, 40, rebuild, start=onset - 30, jitter=8)
    periodic(sc, app, a, 55, lambda t: go_std(
        sc, t, f"WARN match: scoring for zone={rng.choice(zones)} took {rng.uniform(1.5, 5.8):.1f}s "
               f"(budget 250ms) goroutines={rng.randint(2400, 4100)}"), start=onset + 120, jitter=20)

    ct(sc, deploy - 90, "codedeploy", "matcher-fleet", "jenkins-release")
    ct(sc, onset - 180, "sg_ingress", "sg-0c1d2e3f4a5b6c7d8", "arjun.nair")
    ct(sc, -7400, "sg_ingress", "sg-0a9b8c7d6e5f40312", "arjun.nair")

    sc.alarm("match-gw-in-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 1.0, "GreaterThanThreshold", "Matching gateway p-avg latency")
    sc.alarm("matcher-b-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.expect_("match-gw-in-latency", "cpu_saturation", [a, "matcher-a"],
               [("AWS/EC2", "CPUUtilization", {"InstanceId": a}),
                ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"Two Go matchers sit behind the internal ALB `match-gw-in`. About {-onset // 60} min ago "
        f"`matcher-a` ({a}) goes from ~45 % to a flat 99 % CPU and stays there; `matcher-b` "
        f"is unchanged and traffic rises only with the evening. matcher-a's app log starts a "
        f"tight loop of BLR-07 index rebuilds (`dirty=true, scheduling rebuild` every ~40 s) and "
        f"`scoring ... took 4.1s (budget 250ms)`; its nginx log shows response times of 2-5 s and "
        f"some 504s while matcher-b answers in ~80 ms. ALB TargetResponseTime climbs past 1 s. "
        f"The security-group rule added three minutes before onset and the CodeDeploy run 3.7 h "
        f"earlier (both instances ran normally for hours after it) are decoys; the redis pool "
        f"timeouts are logged at the same rate on both instances all day.")
    sc.meta["judgement"] = (
        "The rebuild loop is an application behaviour, but nothing throws: the evidence is a "
        "pinned CPU followed by latency, with no change on the instance shortly before, so "
        "`cpu_saturation` on the instance (not the ALB whose alarm fired).")
    return sc


def build_04() -> H85:
    sc = H85(4, "fare-quote-5xx",
             "Fare quotes failing for a share of riders on the US east coast; internal pricing ALB "
             "5XX alarm fired.",
             "us-east-1", 8504, "2026-03-20T22:15:00+00:00", {
                 "front": "front (ALB -> ECS)", "runtime": "Node.js 20 (pino JSON)",
                 "decoys": "config change to a promo Lambda between the deploy and the first error; "
                           "pre-existing stale-surge warnings and out-of-area rejections; earlier "
                           "clean deploy of the same service",
             })
    lb = "app/pricing-int/9a8b7c6d5e4f3a21"
    cl, svc, feed, promo = "pricing", "fare-engine", "surge-feed", "promo-eligibility"
    sc.resource("alb", lb, name="pricing-int", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                image="fare-engine:3.42.0")
    sc.resource("ecs", f"{cl}/{feed}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("lambda", promo, runtime="nodejs20.x", memory_size=256, timeout=6)
    deploy, first = -2460, -2390
    sc.meta["onset"] = first

    def req(t):
        return 2400 * (1 + 0.2 * ramp(t, -14000, -3000))

    def newv(t):  # share of traffic on the new task definition
        return ramp(t, first, first + 150)

    alb_metrics(sc, lb, req, t5=lambda t: 0.8 + 0.24 * req(t) * newv(t), e5=0.2,
                rt=lambda t: 0.064 + 0.01 * newv(t), healthy=lambda t: 4 + 4 * bump(t, first - 60, first + 100, 1, 1),
                t4=lambda t: req(t) * 0.018)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 36 + 4 * ramp(t, -14000, -3000) + bump(t, first - 60, first + 100, 12, 30),
                mem=lambda t: 52 - 10 * step(t, first + 100, 0, 1) + 2 * ramp(t, first, 0),
                running=lambda t: 4 + 4 * bump(t, first - 60, first + 100, 1, 1))
    ecs_metrics(sc, cl, feed, cpu=22.0, mem=47.0, running=2)
    lambda_metrics(sc, promo, inv=lambda t: 300 * (1 + 0.2 * ramp(t, -14000, -3000)), dur=38.0)

    rng = sc.rng
    cities = ["NYC", "NYC", "BOS", "PHL", "DC", "NYC"]
    old = [sc.hexid(32) for _ in range(2)]
    new = [sc.hexid(32) for _ in range(2)]
    host = {tid: f"ip-10-12-{rng.randint(1, 40)}-{rng.randint(2, 250)}.ec2.internal" for tid in old + new}

    def lines(tid, ver, t0, t1, bad):
        g, s = f"/ecs/{svc}", f"ecs/{svc}/{tid}"

        def ok(t):
            return pino(sc, t, "info", "quote computed", host[tid], pid=18, svc=svc, ver=ver,
                        reqId=sc.uuid(), city=rng.choice(cities), product=rng.choice(["x", "x", "xl", "pool"]),
                        surge=round(rng.uniform(1.0, 1.9), 2), fareCents=rng.randint(900, 6400),
                        ms=rng.randint(9, 60))

        def stale(t):
            return pino(sc, t, "warn", "surge feed stale; using cached multiplier", host[tid], pid=18,
                        svc=svc, ver=ver, ageSec=rng.randint(31, 90), city=rng.choice(cities))

        def outside(t):
            return pino(sc, t, "error", "quote rejected: pickup outside service area", host[tid], pid=18,
                        svc=svc, ver=ver, reqId=sc.uuid(), status=422,
                        pickup=f"{rng.uniform(39.5, 41.5):.4f},{rng.uniform(-75.5, -72.0):.4f}")

        def crash(t):
            return pino(sc, t, "error", "quote failed", host[tid], pid=18, svc=svc, ver=ver,
                        reqId=sc.uuid(), city=rng.choice(cities), product="pool" if rng.random() < .6 else "xl",
                        err={"type": "TypeError",
                             "message": "Cannot read properties of undefined (reading 'baseFare')",
                             "stack": "TypeError: Cannot read properties of undefined (reading 'baseFare')\n"
                                      "    at computeQuote (/app/dist/pricing/quote.js:212:31)\n"
                                      "    at async QuoteController.create (/app/dist/http/quote.controller.js:48:19)"})

        def live(f):
            return lambda t: f(t) if t0 <= t < t1 else 0.0

        emit(sc, g, s, live(lambda t: 3.0), ok)
        emit(sc, g, s, live(lambda t: 0.8), stale)
        emit(sc, g, s, live(lambda t: 0.5), outside)
        if bad:
            emit(sc, g, s, live(lambda t: 1.1), crash)
        if t0 > -14400:
            sc.log(g, s, t0 + 0.5, pino(sc, t0 + 0.5, "info", f"fare-engine {ver} listening on :8080",
                                        host[tid], pid=18, svc=svc, ver=ver))

    for tid in old:
        lines(tid, "3.41.0", -14400, first + rng.uniform(60, 140), False)
    for tid in new:
        lines(tid, "3.42.0", first - rng.uniform(5, 40), 0, True)
    ft = sc.hexid(32)
    emit(sc, f"/ecs/{feed}", f"ecs/{feed}/{ft}", lambda t: 1.0, lambda t: pino(
        sc, t, "info", "published surge multipliers", "ip-10-12-8-77.ec2.internal", pid=1, svc=feed,
        zones=rng.randint(180, 240), maxSurge=round(rng.uniform(1.2, 2.4), 1)))

    ecs_deploy(sc, deploy, cl, svc, "fare-engine", 97, "github-actions-release")
    ecs_deploy(sc, -15800, cl, svc, "fare-engine", 96, "github-actions-release")
    ct(sc, first - 20, "lambda_config", promo, "dana.whitfield")

    sc.alarm("pricing-int-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 40, "GreaterThanThreshold", "Internal pricing ALB 5XX")
    sc.expect_("pricing-int-target-5xx", "bad_deployment", [f"{cl}/{svc}", svc],
               [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{cl}/{svc}` (Node, pino JSON) was rolled to task definition fare-engine:97 (v3.42.0) "
        f"{-deploy // 60} min ago. The new tasks log `TypeError: Cannot read properties of undefined "
        f"(reading 'baseFare') at computeQuote (quote.js:212)` for pool/XL quotes - a signature absent "
        f"from every v3.41.0 task stream - and target 5XX on `pricing-int` jumps to about a quarter of "
        f"requests as soon as the old tasks drain. `{promo}` had a configuration update 20 s before "
        f"the first error, closer to onset than the deploy, but its metrics are flat and it is not in "
        f"the failing stack. `surge feed stale` warnings and `pickup outside service area` errors run "
        f"at the same rate in old and new tasks. The same service's deploy four hours earlier was clean.")
    sc.meta["judgement"] = (
        "The config change is closer to onset, but on another resource that the error stack never "
        "touches; the tie-break (config beats deploy) only applies when both fit the failing "
        "resource.")
    return sc


BUILDERS = [build_03, build_04]
