"""h78-11 meta-search crawl surge on the fare feed (eu-west-1); h78-12 zero-decimal currency bug in the pricer
(ap-southeast-2)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .kit import (H78, alb_metrics, ecs_deploy, ecs_metrics, lambda_deploy, lambda_metrics, lambda_sample,
                  rds_metrics, times)

AIRPORTS = ["DUB", "LHR", "CDG", "AMS", "MAD", "FCO", "BCN", "LIS", "CPH", "ARN", "MUC", "ZRH"]


def build_11() -> H78:
    sc = H78(11, "metafeed-crawl",
             "Fare feed slow for all consumers; metafeed load balancer response-time alarm fired.",
             "eu-west-1", 7811, "2026-11-24T08:55:00+00:00")
    T0 = -2040
    lb, svc = "app/metafeed-pub/91d2e0c4a7b36f58", "metafeed/feed-api"
    sc.resource("alb", lb, name="metafeed-pub", scheme="internet-facing")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                autoscaling="target CPU 60 %, max 12")
    sc.resource("rds", "metafeed-ro", engine="mysql", instance_class="db.r6g.large", max_connections=1200)
    surge = lambda t: ramp(t, T0, T0 + 240)
    base = lambda t: 900 * diurnal(sc, t, 10, 0.3)
    req = lambda t: base(t) + 4300 * surge(t)
    tasks = lambda t: 6 + 3 * ramp(t, T0 + 200, T0 + 260) + 3 * ramp(t, T0 + 500, T0 + 560)
    alb_metrics(sc, lb, req, lambda t: 0.09 + 1.75 * surge(t) * (1 - 0.25 * ramp(t, T0 + 500, T0 + 900)),
                lambda t: 0.2 + req(t) * 0.006 * surge(t), e5=lambda t: 0.05 + 12 * surge(t), healthy=tasks)
    ecs_metrics(sc, "metafeed", "feed-api", lambda t: 31 * diurnal(sc, t, 10, 0.3) + 52 * surge(t) * 6 / tasks(t) * 0.95,
                lambda t: 44 + 6 * surge(t), tasks=tasks)
    rds_metrics(sc, "metafeed-ro", lambda t: 18 + 26 * surge(t), lambda t: 140 + 160 * surge(t), lambda t: 310.0)
    ecs_deploy(sc, T0 - 4200, svc, "feed-api")
    for k, dt in enumerate((200, 500)):
        sc.change(T0 + dt - 15, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(T0 - 260, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "metafeed-api-tg", "olga.brennan")
    task_ids = [sc.hexid(32) for _ in range(12)]
    live = lambda t: task_ids[:int(tasks(t))]
    g = "/ecs/metafeed/nginx"
    uas = [(5, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"),
           (2, "SkyscanPartner-Feed/1.4"), (1, "FareCompareBot/3.2 (+https://farecompare.example/bot)")]
    for t in times(sc, lambda m: 4.0 + 14.0 * surge(m)):
        bot = sc.rng.random() < 4300 * surge(t) / req(t)
        ua = "FareCompareBot/3.2 (+https://farecompare.example/bot)" if bot else \
            sc.rng.choices([u for _, u in uas], [w for w, _ in uas])[0]
        o, d = sc.rng.sample(AIRPORTS, 2)
        path = f"/feed/v2/fares?origin={o}&dest={d}&date=2027-0{sc.rng.randint(1, 6)}-{sc.rng.randint(10, 28)}&cabin=M"
        rt = max(0.01, sc.rng.gauss(0.09 + 1.75 * surge(t), 0.03 + 0.4 * surge(t)))
        st = 504 if rt > 2.9 else 200
        sc.log(g, "ecs/nginx/" + sc.rng.choice(live(t)), t, nginx(sc, t, sc.ip("10.60"), "GET", path, st,
                                                                  sc.rng.randint(2000, 28000), rt, ua))
    pg_ = "/ecs/metafeed/php-fpm"
    for t in times(sc, lambda m: 0.8):
        tid = sc.rng.choice(live(t))
        sc.log(pg_, "ecs/php/" + tid, t, f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child "
               f"{sc.rng.randint(20, 400)} said into stderr: \"PHP Warning:  Undefined array key \"fare_class\" in "
               "/var/www/src/Feed/Normalizer.php on line 88\"")
    for t in times(sc, lambda m: 1.2 * surge(m) * (1 - 0.5 * ramp(m, T0 + 500, T0 + 900))):
        tid = sc.rng.choice(live(t))
        sc.log(pg_, "ecs/php/" + tid, t, f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] seems busy "
               "(you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, "
               f"there are 0 idle, and {sc.rng.randint(28, 40)} total children")
    sc.alarm("metafeed-pub-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 1.0, "GreaterThanThreshold", "Fare feed response time")
    sc.alarm("feed-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "metafeed", "ServiceName": "feed-api"},
             "Average", 300, 2, 90, "GreaterThanThreshold")
    sc.alarm("metafeed-ro-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "metafeed-ro"}, "Average",
             300, 3, 75, "GreaterThanThreshold")
    sc.expect = {"alarm": "metafeed-pub-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [svc, "feed-api", lb, "metafeed-pub"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        category="traffic_surge", front="origin (the ALB where the surge arrives; the ECS service behind it is accepted too)",
        runtime="PHP-FPM + nginx on ECS (access logs)", services="ALB, ECS, RDS",
        decoys="target-group attribute change 4 min before onset; autoscaling UpdateService calls after onset; "
               "feed-api deploy 70 min earlier; PHP `Undefined array key` warnings all along; DB CPU rises with the load",
        story="metafeed-pub's RequestCount goes from ~900 to over 5,000 a minute 34 minutes ago, and the extra "
              "requests in the nginx access logs all carry `FareCompareBot/3.2` walking /feed/v2/fares origin-destination "
              "pairs. TargetResponseTime goes from 0.09 s to ~1.8 s, PHP-FPM reports `seems busy ... 0 idle`, and "
              "autoscaling doubles the service to 12 tasks, which helps only partly. Service CPU peaks near 80 % before the scale-out and settles around 60 %, never pinned; "
              "memory and the DB stay healthy, and there are no new errors besides a few 504s. The target-group "
              "attribute change shortly before onset does not change per-request behaviour.",
        judgement="The surge lands on the ALB and the ECS service behind it; both are accepted. CPU climbs with "
                  "the load but stays below saturation, so cpu_saturation would describe a symptom, not the origin.")
    return sc


def build_12() -> H78:
    sc = H78(12, "pricer-vnd-rounding",
             "Fare pricing failing for a share of itineraries; fare-pricer Errors alarm fired.",
             "ap-southeast-2", 7812, "2026-12-02T01:20:00+00:00")
    T0 = -2400
    fn = "fare-pricer"
    sc.resource("lambda", fn, runtime="java17", timeout=20, memory_size=2048)
    sc.resource("lambda", "promo-banner", runtime="nodejs20.x", timeout=5, memory_size=256)
    sc.resource("lambda", "fx-snapshot", runtime="java17", timeout=60, memory_size=512)
    vn = lambda t: 0.22 * ramp(t, T0, T0 + 300)
    inv = lambda t: 150 * diurnal(sc, t, 1, 0.25)
    L = lambda_metrics(sc, fn, inv, lambda t: 0.6 + inv(t) * vn(t) * 0.9, lambda t: 310.0 - 60 * vn(t))
    lambda_metrics(sc, "promo-banner", lambda t: 300 * diurnal(sc, t, 1, 0.25), lambda t: 0.2, lambda t: 40.0)
    lambda_metrics(sc, "fx-snapshot", lambda t: 0.2, lambda t: 0.0, lambda t: 7800.0 + bump(t, -9000, -8700, 9000))
    lambda_deploy(sc, T0 - 240, "promo-banner")
    sc.change(-10700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "terraform-ci")
    lambda_deploy(sc, -19300, fn)
    ll = LambdaLogs(sc, fn, "java17", 2048, 20, mem_used=(820, 60), retire=(-10700,))
    markets = [("AUD", "SYD-AKL"), ("AUD", "MEL-SIN"), ("NZD", "AKL-NAN"), ("JPY", "NRT-SYD"), ("SGD", "SIN-PER")]

    def body(ll, t, rid, is_err, cold):
        if is_err and t >= T0:
            cur, od = "VND", sc.rng.choice(["SGN-SYD", "HAN-MEL", "SYD-SGN"])
        else:
            cur, od = sc.rng.choice(markets)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"c.t.pricing.PriceHandler - pricing od={od} currency={cur} "
                                              f"fares={sc.rng.randint(4, 60)}"))]
        if sc.rng.random() < 0.1:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"c.t.pricing.RuleLoader - fare {sc.hexid(6).upper()} filed "
                                                     "without tariff footnote, using default")))
        if is_err and t >= T0:
            amt = f"{sc.rng.randint(2, 40)}{sc.rng.randint(100, 999)}{sc.rng.randint(100, 999)}.{sc.rng.randint(1, 99):02d}"
            lines.append((0.21, ll.fmt(t, rid, "ERROR", f"c.t.pricing.PriceHandler - pricing failed od={od} "
                                                      f"currency=VND total={amt}")))
            err = {"errorMessage": "Rounding necessary", "errorType": "java.lang.ArithmeticException",
                   "stackTrace": ["java.base/java.math.BigDecimal.commonNeedIncrement(Unknown Source)",
                                  "java.base/java.math.BigDecimal.setScale(Unknown Source)",
                                  "com.travel.pricing.money.Money.toMinorUnits(Money.java:77)",
                                  "com.travel.pricing.tax.TaxCalculator.apply(TaxCalculator.java:132)",
                                  "com.travel.pricing.PriceHandler.handleRequest(PriceHandler.java:64)"]}
            lines.append((0.22, json.dumps(err, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(180, 260)}
        if is_err:
            lines.append((0.2, ll.fmt(t, rid, "ERROR", "c.t.pricing.PriceHandler - availability snapshot expired "
                                                     "mid-request, client will retry")))
            return {"lines": lines, "dur": sc.rng.uniform(200, 300)}
        d = sc.rng.gauss(310, 60)
        lines.append((d / 1000, ll.fmt(t, rid, "INFO", f"c.t.pricing.PriceHandler - priced od={od} best={cur} "
                                                     f"{sc.rng.randint(120, 2400)}.00 ms={int(d)}")))
        return {"lines": lines, "dur": d}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    ll.sc.log(ll.group, max((e for e in ll.envs if e["born"] < T0), key=lambda e: e["born"])["stream"], T0 + 3,
              ll.fmt(T0 + 3, "-", "INFO", "c.t.pricing.MarketCatalog - market catalog refreshed: +3 O&Ds "
                                          "(SGN-SYD, HAN-MEL, SYD-SGN) sales currency VND"))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Fare pricing failures")
    sc.alarm("fx-snapshot-duration", "AWS/Lambda", "Duration", {"FunctionName": "fx-snapshot"}, "Maximum", 300, 1,
             30000, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="application_error", front="origin (the alarmed function)", runtime="Java 17 Lambda",
        services="Lambda",
        decoys="promo-banner deploy 4 min before onset; a memory change on fare-pricer itself 2.3 h earlier; "
               "fx-snapshot duration spike 1.8 h earlier; tariff-footnote WARNs and snapshot-expired errors all along",
        story="fare-pricer's Errors rise 40 minutes ago, right after its market catalog adds three Vietnam O&Ds "
              "priced in VND. Every new failure is `java.lang.ArithmeticException: Rounding necessary` from "
              "`Money.toMinorUnits` under `TaxCalculator.apply`, for VND totals with a fractional part (VND has no "
              "minor unit); AUD, NZD, JPY and SGD itineraries keep pricing normally. Nothing in the account changed on "
              "fare-pricer for 2.3 hours before onset (that change was a memory setting with no effect), the promo-banner deploy "
              "is an unrelated function, and duration, memory and throttles are normal.",
        judgement="The onset follows a data/catalogue event, not a change to any resource, and the exception is "
                  "in the function's own code, so application_error rather than bad_deployment or config_change.")
    return sc


BUILDERS = [build_11, build_12]
