"""h67-11 (failover traffic surge on us-west-2 storefront) and
h67-12 (Lambda application error at local midnight, ap-southeast-1)."""
from __future__ import annotations

from . import kit
from .common import Scenario, bump, ramp, step
from .runtimes import LambdaLogs, jline


# =========================================================================== 11
def build_11() -> Scenario:
    sc = Scenario(11, "storefront-latency-usw2", "storefront latency alarm in us-west-2; "
                  "West Coast and some East Coast shoppers report slow pages.", "us-west-2",
                  67011, "2026-12-07T01:30:00")
    E, EU = "us-east-1", "eu-west-1"
    fo = -2880  # DNS failover moves us-east-1 traffic to us-west-2
    lbs = {r: kit.alb_id(sc, "storefront-alb") for r in ("us-west-2", E)}
    for reg in ("us-west-2", E, EU):
        if reg in lbs:
            sc.resource("alb", lbs[reg], region=reg, name="storefront-alb",
                        scheme="internet-facing")
        sc.resource("ecs", "web/storefront", region=reg, launch_type="FARGATE", desired_count=8,
                    autoscaling_max=12, cpu=2048, memory=4096, log_group="/ecs/storefront")
    lw, le = kit.load(sc, "us-west-2", 0.3, 18), kit.load(sc, E, 0.3, 18)
    f = lambda t: ramp(t, fo, fo + 240)           # noqa: E731
    east = lambda t: 1250 * le(t)                 # noqa: E731
    west = lambda t: 950 * lw(t)                  # noqa: E731
    tasks = lambda t: 8 + 4 * step(t, -2700, 0, 1)  # noqa: E731
    sat = lambda t: ramp(t, fo + 60, fo + 400)    # noqa: E731
    kit.alb(sc, lbs["us-west-2"], lambda t: west(t) + 0.92 * east(t) * f(t),
            lambda t: 0.085 + 1.35 * sat(t), t5=lambda t: 0.8 + 40 * sat(t),
            e5=lambda t: 0.05 + 22 * sat(t), healthy=tasks)
    kit.alb(sc, lbs[E], lambda t: east(t) * (1 - 0.97 * f(t)),
            lambda t: 0.09 + 0.3 * bump(t, fo - 120, fo + 60, 1, 30),
            t5=lambda t: 0.6 * (1 - f(t)), e5=lambda t: 1 + 160 * bump(t, fo - 150, fo + 90, 1, 30),
            healthy=lambda t: 8 * (1 - step(t, fo - 120, 0, 1)),
            unhealthy=lambda t: 8 * step(t, fo - 120, 0, 1), region=E)
    kit.ecs(sc, "web", "storefront", lambda t: 38 * lw(t) * (1 + 0.9 * f(t)) /
            (tasks(t) / 8) ** 0.5, lambda t: 52 + 8 * f(t), tasks=tasks)
    kit.ecs(sc, "web", "storefront", lambda t: 34 * le(t) * (1 - 0.9 * f(t)), lambda t: 50,
            tasks=lambda t: 8, region=E)
    kit.ecs(sc, "web", "storefront", lambda t: 30 + 25 * bump(t, -2950, -2760, 1, 60),
            lambda t: 51, tasks=lambda t: 8 + 8 * bump(t, -2950, -2760, 1, 30), region=EU)

    g = "/ecs/storefront"
    for _ in range(3):
        st = f"storefront/storefront/{kit.task_id(sc)}"
        pid = sc.rng.randint(7, 40)
        host = f"ip-10-60-{sc.rng.randint(1, 60)}-{sc.rng.randint(2, 250)}"

        def base(t, lvl, **kw):
            return jline({"level": lvl, "time": sc.epoch_ms(t), "pid": pid, "hostname": host, **kw})

        def req(t):
            slow = sat(t)
            ms = sc.rng.lognormvariate(4.0, 0.5) * (1 + 25 * slow * sc.rng.random())
            code = 503 if slow and ms > 2600 and sc.rng.random() < 0.4 else 200
            return base(t, 30 if code == 200 else 50, reqId=f"req-{sc.hexid(6)}",
                        req={"method": "GET", "url": kit.pick(sc, ["/", "/c/holiday-gifts",
                             "/p/" + str(sc.rng.randint(10 ** 5, 10 ** 6)), "/cart"])},
                        res={"statusCode": code}, responseTime=round(ms, 1),
                        msg="request completed" if code == 200 else "request failed: "
                        "upstream render queue full")
        kit.sprinkle(sc, g, st, lambda t: 4 * lw(t) * (1 + f(t)), req)
        kit.sprinkle(sc, g, st, lambda t: 0.4, lambda t: base(
            t, 50, msg="GET /api/reco failed", err={"type": "Error", "code": "ECONNRESET",
                                                   "message": "socket hang up"}), start=-21600)
        kit.sprinkle(sc, g, st, lambda t: 2.5 * sat(t), lambda t: base(
            t, 40, msg="event loop lag high", lagMs=int(sc.rng.uniform(300, 1800)),
            activeRequests=sc.rng.randint(180, 420)), start=fo)
    sc.change(-2950, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront",
              "spinnaker", region=EU)
    sc.change(-2700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-16000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/storefront",
              "spinnaker")
    sc.alarm("storefront-usw2-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lbs["us-west-2"]}, "Average", 60, 3, 1.0, "GreaterThanThreshold",
             "storefront ALB average response time (us-west-2)")
    sc.alarm("storefront-use1-healthy-hosts", "AWS/ApplicationELB", "HealthyHostCount",
             {"LoadBalancer": lbs[E]}, "Minimum", 60, 2, 1, "LessThanThreshold", region=E)
    sc.alarm("storefront-use1-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": lbs[E]}, "Sum", 60, 2, 50, "GreaterThanThreshold", region=E)
    sc.expect = {"alarm": "storefront-usw2-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": ["web/storefront", "storefront", lbs["us-west-2"],
                                             "storefront-alb"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lbs["us-west-2"]}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Node.js/pino JSON)",
                   decoys="us-east-1 outage alarms (other region); storefront deploy in "
                          "eu-west-1 70 s before onset; autoscaling UpdateService in us-west-2; "
                          "old ECONNRESET errors",
                   judgement=(
        "The surge is caused by a fault in us-east-1 (all targets unhealthy, DNS failover). "
        "Investigating the us-west-2 alarm, nothing in us-west-2 is broken: it is healthy "
        "capacity overwhelmed by roughly double its usual request volume, so the label is "
        "traffic_surge at the us-west-2 storefront (ALB or service). The us-east-1 resources "
        "carry the same names, so naming them would be ambiguous within the alarm's region; "
        "a reader who answers 'the us-east-1 storefront outage' is right about why, but that "
        "is a different incident with its own alarms."),
                   story=(
        "At onset the us-east-1 `storefront-alb` loses all healthy targets and, after a burst "
        "of ELB 5xx, its traffic drains to near zero as DNS fails over. The same requests "
        "appear in us-west-2: RequestCount roughly doubles within four minutes, ECS CPU rises "
        "from ~40 % to ~85 %, autoscaling hits its maximum of 12 tasks, pino logs show "
        "`event loop lag high` with hundreds of active requests, and target response time goes "
        "from 85 ms to ~1.4 s with 503s. Nothing changed in us-west-2 except the autoscaling "
        "scale-out it triggered. Decoys: the us-east-1 alarms (a different region's incident), "
        "a `web/storefront` deploy in eu-west-1 70 s before onset, and ECONNRESET errors from "
        "the reco API that are hours old."))
    return sc


# =========================================================================== 12
def build_12() -> Scenario:
    sc = Scenario(12, "promo-apply-errors-apse1", "promo-apply Errors alarm in ap-southeast-1 "
                  "just after midnight; coupons rejected at checkout.", "ap-southeast-1", 67012,
                  "2026-11-30T16:40:00")
    EU, US = "eu-west-1", "us-west-2"
    onset = -2400  # 00:00 Asia/Singapore
    for reg in ("ap-southeast-1", EU, US):
        sc.resource("lambda", "promo-apply", region=reg, runtime="python3.12", timeout=6,
                    memory_size=512, env_tz="Asia/Singapore" if reg == "ap-southeast-1" else
                    ("Europe/Dublin" if reg == EU else "America/Los_Angeles"))
    sc.resource("lambda", "cart-totals", runtime="python3.12", timeout=6, memory_size=512)
    la = kit.load(sc, "ap-southeast-1", 0.3, 21)
    sale = lambda t: 1 + 0.8 * bump(t, onset, onset + 1500, 1, 60)  # noqa: E731 12.1 sale
    bad = lambda t: step(t, onset, 0, 1)                               # noqa: E731
    rate = lambda t: 11 * la(t) * sale(t)                              # noqa: E731
    fn = kit.lam(sc, "promo-apply", rate, lambda t: 140 - 40 * bad(t),
                 ratio=lambda t: 0.5 * bad(t))
    kit.lam(sc, "promo-apply", lambda t: 9, lambda t: 135, ratio=lambda t: 0.004, region=EU)
    kit.lam(sc, "promo-apply", lambda t: 13, lambda t: 138, ratio=lambda t: 0.004, region=US)
    kit.lam(sc, "cart-totals", lambda t: 20 * la(t) * sale(t), lambda t: 60)

    arn = f"arn:aws:lambda:ap-southeast-1:{sc.account}:function:promo-apply"
    ll = LambdaLogs(sc, "promo-apply", "python3.12", 512, 6, mem_used=(88, 6), prewarm=-8940)
    tb = ("Traceback (most recent call last):\n"
          "  File \"/var/task/promo/apply.py\", line 88, in apply_coupon\n"
          "    window_end = next_month_start(now_local())\n"
          "  File \"/var/task/promo/calendar.py\", line 19, in next_month_start\n"
          "    return d.replace(month=d.month + 1, day=1, hour=0, minute=0, second=0)\n"
          "ValueError: month must be in 1..12")

    def pt(t, lvl, loc, msg, rid, **kw):
        d = sc.at(t + 8 * 3600)
        ts = d.strftime("%Y-%m-%d %H:%M:%S,") + f"{d.microsecond // 1000:03d}+0800"
        return jline({"level": lvl, "location": loc, "message": msg, "timestamp": ts,
                      "service": "promo", "cold_start": False, "function_name": "promo-apply",
                      "function_memory_size": "512", "function_arn": arn,
                      "function_request_id": rid, **kw,
                      "xray_trace_id": f"1-{sc.hexid(8)}-{sc.hexid(24)}"})

    def body(ll_, t, rid, is_err, cold):
        code = kit.pick(sc, ["DEC10", "XMAS25", "MEGA12", "WELCOME5", "MONTHLY-VIP", "FREESHIP"])
        dur = max(20.0, sc.rng.gauss(130 if t < onset else 100, 30))
        if is_err and t >= onset:
            dur = max(10.0, sc.rng.gauss(45, 10))
            return {"dur": dur, "lines": [
                (dur / 1000 - 0.004, pt(t + dur / 1000, "ERROR", "apply_coupon:88",
                                        f"failed to apply coupon {code}", rid,
                                        exception=tb, exception_name="ValueError")),
                (dur / 1000 - 0.002, "[ERROR] ValueError: month must be in 1..12\n" + tb)]}
        r = sc.rng.random()
        if r < 0.08:
            line = pt(t + dur / 1000, "WARNING", "lookup:41", f"coupon {code}X not found", rid)
        elif r < 0.12:
            line = pt(t + dur / 1000, "ERROR", "validate:63", f"coupon {code} rejected: expired",
                      rid, reason="EXPIRED")
        else:
            line = pt(t + dur / 1000, "INFO", "apply_coupon:112", f"coupon {code} applied", rid,
                      discount=round(sc.rng.uniform(1, 40), 2), currency="SGD")
        return {"dur": dur, "lines": [(dur / 1000 - 0.003, line)]}

    ll.run(kit.counts_per_minute(fn["inv"], -9000, 0), kit.counts_per_minute(fn["err"], -9000, 0),
           body)
    sc.change(-2460, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "promo-apply", "codepipeline-promo", region=EU)
    sc.change(-3300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "cart-totals", "w.lim")
    sc.change(-2200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "promo-apply", "codepipeline-promo", region=US)
    sc.change(-20000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "promo-apply", "codepipeline-promo")
    sc.alarm("promo-apply-apse1-errors", "AWS/Lambda", "Errors", {"FunctionName": "promo-apply"},
             "Sum", 60, 3, 2, "GreaterThanThreshold", "promo-apply errors (ap-southeast-1)")
    sc.expect = {"alarm": "promo-apply-apse1-errors",
                 "root_cause": {"category": "application_error", "resource": ["promo-apply"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "promo-apply"}}]}
    sc.meta = dict(front="origin", services="Lambda (Python 3.12, Powertools JSON)",
                   decoys="promo-apply deploys in eu-west-1 (60 s before onset) and us-west-2; "
                          "midnight 12.1 sale traffic spike; cart-totals config change; old "
                          "coupon-expired ERRORs",
                   judgement=(
        "The traffic spike at the same minute is a coincidence of the same cause (local "
        "midnight): volume rises ~1.8x but the errors are a deterministic ValueError, not "
        "throttles or latency, so this is application_error, not traffic_surge."),
                   story=(
        "At 00:00 Singapore time on 1 December about half of `promo-apply` invocations in "
        "ap-southeast-1 start failing with `ValueError: month must be in 1..12` from "
        "`next_month_start` (`d.replace(month=d.month + 1)`), which breaks only when the local "
        "month is December. The copies in eu-west-1 and us-west-2 run in their own time zones, "
        "still on 30 November, and are healthy. No change touched the ap-southeast-1 function. "
        "Decoys: the eu-west-1 copy was deployed a minute before onset (and the us-west-2 copy "
        "after it), the 12.1 midnight sale nearly doubles traffic at the same minute, "
        "`cart-totals` had a config change an hour earlier, and `coupon ... rejected: expired` "
        "ERROR lines are routine."))
    return sc
