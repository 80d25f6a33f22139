"""h49-12: a partner's new point-of-sale integration starts sending guest-checkout order
events without a customer; loyalty-points (Java 17) throws an unhandled NPE for those
few events (EventBridge retries them twice). No deploy, no resource fault. Log4j stamps
in America/Chicago; the Errors alarm is 3-of-5 and has flapped; an IteratorAge alarm
left over from a removed Kinesis trigger is INSUFFICIENT_DATA."""
from __future__ import annotations

from .common import Clock, Rng, alarm, change, expect, flips, log_stream, metric, pts, scenario
from .lambda_sim import Inv, assign_envs, lambda_logs, lambda_metrics

NOW = "2026-03-14T20:15:00"
REGION = "us-east-1"
TZ = -5  # CDT
FN = "loyalty-points"
ONSET = -1700
LOG_FROM = -7200

NPE = ('Cannot invoke "com.acme.loyalty.model.Customer.getTier()" because the return value of '
       '"com.acme.loyalty.model.OrderEvent.getCustomer()" is null')
TRACE = "\n".join([
    "%s: java.lang.NullPointerException" % NPE,
    "java.lang.NullPointerException: " + NPE,
    "\tat com.acme.loyalty.PointsCalculator.tierFor(PointsCalculator.java:71)",
    "\tat com.acme.loyalty.PointsCalculator.award(PointsCalculator.java:38)",
    "\tat com.acme.loyalty.OrderCompletedHandler.handleRequest(OrderCompletedHandler.java:52)",
    "\tat com.acme.loyalty.OrderCompletedHandler.handleRequest(OrderCompletedHandler.java:21)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(Unknown Source)",
    "\tat java.base/java.lang.reflect.Method.invoke(Unknown Source)",
])


def build():
    rng = Rng(4912)
    clock = Clock(NOW)
    lg = lambda t, rid, lvl, logger, msg: "%s %s %-5s %s - %s" % (
        clock.fmt(t, "%Y-%m-%d %H:%M:%S.%f3", TZ), rid, lvl, logger, msg)
    invs = []

    def one(t, ev_id, order, source, guest, attempt):
        rid = rng.uuid4()
        lines = [(0.004, lg(t + 0.004, rid, "INFO", "OrderCompletedHandler",
                            "Received order-completed event %s order=%s source=%s attempt=%d" % (ev_id, order, source, attempt)))]
        if guest:
            dur = rng.uniform(18, 45)
            inv = Inv(t, rid, dur, "error", lines, rng.randint(180, 200))
            inv.tail = [(-0.001, TRACE)]
            return inv
        dur = max(60.0, rng.gauss(175, 40))
        member = "M-%06d" % rng.randint(100000, 999999)
        if rng.random() < 0.03:  # steady: unknown members are skipped, not errors
            lines.append((dur / 1000 - 0.003, lg(t + dur / 1000 - 0.003, rid, "WARN", "PointsCalculator",
                                                 "Member %s not found; skipping award for order %s" % (member, order))))
        else:
            pts_ = rng.randint(5, 400)
            lines.append((dur / 1000 - 0.003, lg(t + dur / 1000 - 0.003, rid, "INFO", "PointsCalculator",
                                                 "Awarded %d points to member %s (tier %s) for order %s"
                                                 % (pts_, member, rng.choice(["BASIC", "BASIC", "SILVER", "GOLD"]), order))))
        return Inv(t, rid, dur, "ok", lines, rng.randint(190, 240))

    for m in range(-21600, 0, 60):
        for _ in range(rng.pois(31)):
            t = m + rng.random() * 60
            source = rng.choice(["web", "web", "app", "pos-v1"] + (["pos-v2", "pos-v2"] if m >= ONSET else []))
            guest = source == "pos-v2" and rng.random() < 0.16
            ev_id, order = rng.uuid4(), "ORD-%d" % rng.randint(40_000_000, 49_999_999)
            invs.append(one(t, ev_id, order, source, guest, 1))
            if guest:  # EventBridge async retries: ~1 min, then ~2 min later
                t2 = t + rng.uniform(55, 75)
                invs.append(one(t2, ev_id, order, source, True, 2))
                invs.append(one(t2 + rng.uniform(110, 140), ev_id, order, source, True, 3))
    invs = [i for i in invs if i.t < 0]
    invs = assign_envs(rng, clock, invs, init_ms=(2600.0, 4100.0))
    lm = lambda_metrics(FN, invs)
    logs = [log_stream("/aws/lambda/" + FN, s, ev) for s, ev in lambda_logs(clock, invs, LOG_FROM, 1024).items()]

    ex = {"FunctionName": "loyalty-expiry"}
    m_ex = [metric("AWS/Lambda", "Invocations", ex, "Count", pts(lambda t: 1.0 if t % 3600 == 0 else 0.0)),
            metric("AWS/Lambda", "Errors", ex, "Count", pts(lambda t: 0.0)),
            metric("AWS/Lambda", "Duration", ex, "Milliseconds", pts(lambda t: rng.noise(48000, 4000) if t % 3600 == 0 else None))]
    metrics = list(lm.values()) + m_ex
    args = ("Sum", 60, 5, 2.0, "GreaterThanThreshold", clock)
    n_flips = flips(lm["Errors"], *args, m_of_n=3)
    alarms = [
        alarm("loyalty-points-errors", lm["Errors"], *args[:-1], clock, "ALARM",
              "loyalty-points errors (3 of 5 minutes)", m_of_n=3),
        alarm("loyalty-points-iterator-age", None, "Maximum", 60, 5, 60000.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "Kinesis iterator age", namespace="AWS/Lambda", metric_name="IteratorAge",
              dims={"FunctionName": FN}, insufficient_since=-7776000),
        alarm("loyalty-points-duration", lm["Duration"], "Average", 300, 2, 5000.0, "GreaterThanThreshold", clock, "OK"),
        alarm("loyalty-points-throttles", lm["Throttles"], "Sum", 300, 1, 0.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-6000, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "loyalty-expiry-role", "terraform-loyalty"),
        change(-900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "loyalty-expiry", "terraform-loyalty"),
    ]
    resources = [
        {"type": "lambda", "id": FN, "properties": {
            "runtime": "java17", "timeout": 15, "memory_size": 1024, "handler": "com.acme.loyalty.OrderCompletedHandler",
            "event_source": "EventBridge rule order-completed (async, 2 retries)", "last_modified": "2026-03-08T10:12:44Z"}},
        {"type": "lambda", "id": "loyalty-expiry", "properties": {"runtime": "java17", "timeout": 300,
                                                                  "memory_size": 2048}},
    ]
    data = scenario("h49-12-lambda-null-customer-npe",
                    "loyalty-points Errors alarm (again); support says some in-store orders got no points.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("loyalty-points-errors", "application_error", [FN], [lm["Errors"]]))
    meta = {
        "flips": n_flips,
        "slug": "lambda-null-customer-npe", "region": REGION, "alarm": "loyalty-points-errors",
        "category": "application_error", "resources": [FN], "alarm_on": "origin (Lambda)",
        "decoys": "loyalty-expiry deploy 15 min (after onset) and its role policy change 1.7 h earlier; steady "
                  "'Member not found' WARNs; IteratorAge alarm INSUFFICIENT_DATA",
        "paragraph": (
            "About 28 minutes ago order events with `source=pos-v2` start to arrive (a partner's new "
            "point-of-sale integration; nothing changed in this account). A small share of them, guest "
            "checkouts, carry no customer and loyalty-points throws an unhandled `NullPointerException: "
            "Cannot invoke \"...Customer.getTier()\" because the return value of \"...OrderEvent.getCustomer()\" "
            "is null` at PointsCalculator.tierFor; EventBridge retries each twice, so the same order fails "
            "three times. These are a few lines among ~30 INFO invocations a minute, stamped in Chicago time; "
            "the 3-of-5 alarm has gone in and out of ALARM. The function was last modified days ago; "
            "duration, memory, throttles and concurrency are normal; no dependency error appears. The "
            "loyalty-expiry deploy came after the onset and, like its role change, concerns another function. "
            "Unhandled exceptions with no preceding change and no resource or dependency fault: "
            "application_error in loyalty-points, alarm on the origin."),
    }
    return data, meta
