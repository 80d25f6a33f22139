"""h77-11 (partner bulk crawl floods the public recommender) and h77-12 (calibrator panics on a new segment)."""
from __future__ import annotations

from .kit import (LOG_START, S77, Tasks, alb_metrics, bump, combined, diurnal, ecs_deploy, ecs_metrics, golog,
                  lam, lam_metrics, ramp, run_lambda, zap)


def s11() -> S77:
    sc = S77(11, "reco-public-latency",
             "reco-public ALB response-time alarm; storefront recommendations load slowly.",
             "ap-south-1", 7711, "2026-03-19T10:20:00+00:00")
    lb, cl, svc = "app/reco-public/2c8d5e1f9a3b7064", "reco-prod", "reco-api"
    sc.resource("alb", lb, name="reco-public", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=6,
                runtime="go1.22", autoscaling="target tracking CPU 60 %, max 20")
    sc.resource("ecs", f"{cl}/reco-batch", launch_type="FARGATE", cpu=4096, memory=8192, desired_count=2,
                runtime="python3.11")
    sc.resource("lambda", "reco-cache-warmer", runtime="python3.12", timeout=300, memory_size=1024)
    on = -1800
    surge = lambda t: ramp(t, on, on + 120)  # noqa: E731
    tasks = lambda t: 6 + 4 * (t >= -1500) + 3 * (t >= -1200)  # noqa: E731
    base = lambda t: 1200 * diurnal(sc, t, 9.0, 0.25)  # noqa: E731
    req = lambda t: base(t) + 6600 * surge(t)  # noqa: E731
    load = lambda t: req(t) / (tasks(t) * 200.0)  # noqa: E731 per-task load relative to the usual 200 rpm
    lat = lambda t: 0.075 + 0.12 * max(0.0, load(t) - 1.0) ** 1.2  # noqa: E731
    alb_metrics(sc, lb, req, lat, lambda t: 0.3 + 0.002 * req(t) * surge(t),
                lambda t: 0.1 + 0.012 * req(t) * max(0.0, lat(t) - 0.3), healthy=tasks)
    ecs_metrics(sc, cl, svc, lambda t: min(74.0, 33 * load(t) ** 0.8), lambda t: 41 + 6 * surge(t), tasks, tasks)
    ecs_metrics(sc, cl, "reco-batch", lambda t: 22 + bump(t, -1850, -1700, 30, 60), lambda t: 55,
                lambda t: 2 + 2 * bump(t, -1850, -1720, 1, 30), lambda t: 2)
    wv, we = lam_metrics(sc, "reco-cache-warmer", lambda t: 0.2 + bump(t, -9000, -8400, 6, 60), lambda t: 0.0,
                         lambda t: 31000)
    tk = Tasks(sc, "reco-api", "reco-api")
    tk.add(6, -60000)
    for k in tk.add(4, -1500):
        k["tag"] = "scaled"
    for k in tk.add(3, -1200):
        k["tag"] = "scaled"
    uas = ["Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/122.0 Mobile Safari/537.36",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
           "storefront-ssr/5.12 (node)"]
    partner = "partnerx-catalog-sync/3.2 (+https://partnerx.example/bot)"

    def acc(t):
        k = tk.at(t)
        if not k:
            return
        st = tk.stream(k)
        frac = 6600 * surge(t) / req(t)
        if sc.rng.random() < frac:
            ip, ua = f"52.66.{sc.rng.randint(10, 14)}.{sc.rng.randint(2, 250)}", partner
            path = f"/v2/recommendations?category={sc.rng.randint(100, 999)}&page={sc.rng.randint(1, 400)}&size=100"
        else:
            ip, ua = sc.ip("10.12"), sc.pick(uas)
            path = sc.pick(["/v2/recommendations?slot=home", "/v2/recommendations?slot=pdp", "/v1/legacy/similar"])
        status = 404 if "legacy" in path else 200
        sc.log(f"/ecs/{svc}", st, t, combined(sc, t, ip, "GET", path, status, sc.rng.randint(2000, 48000), ua))
        if lat(t) > 0.3 and sc.rng.random() < 0.1:
            sc.log(f"/ecs/{svc}", st, t + 0.01, golog(sc, t, f"WARN handler slow path={path.split('?')[0]} "
                                                   f"took={int(lat(t) * 1000 * sc.rng.uniform(0.8, 3))}ms inflight="
                                                   f"{int(40 * load(t))}"))
    sc.emit(f"/ecs/{svc}", "-", LOG_START, 0, lambda t: 3 + 9 * surge(t), acc)
    for k in tk.tasks:
        if k["start"] > LOG_START:
            sc.log(f"/ecs/{svc}", tk.stream(k), k["start"] + 1, golog(sc, k["start"] + 1,
                                                                     "INFO reco-api v4.21.0 listening on :8080"))
    ecs_deploy(sc, -1860, cl, "reco-batch", "reco-batch", 77, "ml-rollout-bot")
    ecs_deploy(sc, -17500, cl, svc, svc, 140, "ml-rollout-bot")
    for t in (-1500, -1200):
        sc.change(t - 40, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("reco-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 3, 0.25, "GreaterThanThreshold", "Public recommender response time")
    sc.alarm("reco-public-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 25, "GreaterThanThreshold")
    sc.expect_root("reco-public-latency", "traffic_surge", [lb, "reco-public", f"{cl}/{svc}", svc],
                   [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}])
    sc.meta.update(
        origin_type="alb/ecs", front="origin (ALB and the service behind it)",
        decoys="reco-batch deploy 60 s before onset; autoscaling UpdateService events after it; steady 404s "
               "on a legacy path; an earlier cache-warmer spike",
        story="At -30 min RequestCount on reco-public goes from ~1,300 to ~8,000 per minute. The access "
              "logs show the extra load is one client, `partnerx-catalog-sync/3.2`, paging through every "
              "category with size=100 from a handful of 52.66.x addresses. Response time climbs from 75 ms "
              "to over a second, the ALB returns 5XX when targets are slow, and autoscaling adds tasks twice, which only partly brings latency down. CPU on reco-api rises to ~75 % but follows "
              "the load per task rather than causing it; no error signature, deploy or dependency fault "
              "appears. The reco-batch deploy a minute before is a different service.",
        judgement="Where a surge 'originates' is debatable; the ALB that receives it and the service it "
                  "overloads are both accepted. CPU is high but below saturation and a consequence of the "
                  "volume, so traffic_surge rather than cpu_saturation.")
    return sc


def s12() -> S77:
    sc = S77(12, "quote-risk-errors",
             "quote-risk-score Errors alarm; some insurance quotes fall back to manual underwriting.",
             "eu-west-2", 7712, "2026-03-20T15:45:00+00:00")
    fn, lb, cl = "quote-risk-score", "app/internal-scoring/5b1e8d2c7f4a9036", "scoring"
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=1024)
    sc.resource("alb", lb, name="internal-scoring", scheme="internal")
    sc.resource("ecs", f"{cl}/calibrator", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
                runtime="go1.22", image="calibrator:1.9.4")
    sc.resource("ecs", f"{cl}/report-builder", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=1,
                runtime=".NET 8")
    on = -1380
    seg12 = lambda t: 0.17 * ramp(t, on, on + 240)  # noqa: E731 share of quotes from the newly live tenant
    inv = lambda t: 140 * diurnal(sc, t, 14.0, 0.25)  # noqa: E731
    iv, ev = lam_metrics(sc, fn, inv, lambda t: 0.05, lambda t: 260, err_frac=seg12)
    alb_metrics(sc, lb, lambda t: inv(t) * 1.05, lambda t: 0.03, lambda t: 0.1 + inv(t) * seg12(t),
                healthy=lambda t: 3)
    ecs_metrics(sc, cl, "calibrator", lambda t: 18 * diurnal(sc, t, 14, 0.25), lambda t: 33, lambda t: 3)
    ecs_metrics(sc, cl, "report-builder", lambda t: 12 + bump(t, -1420, -1300, 40, 60), lambda t: 41,
                lambda t: 1 + bump(t, -1420, -1320, 1, 30), lambda t: 1)
    tk = Tasks(sc, "calibrator", "calibrator")
    tk.add(3, -18000 + 60)
    tenants = ["acme-direct", "bluewave", "crestline", "harbor-life", "ivy-home", "keystone"]

    def cal(t):
        k = tk.at(t)
        if not k:
            return
        st = tk.stream(k)
        if sc.rng.random() < seg12(t) * 1.3:
            ip = f"10.31.{sc.rng.randint(1, 6)}.{sc.rng.randint(2, 250)}:{sc.rng.randint(30000, 60000)}"
            sc.log("/ecs/calibrator", st, t, (
                f"{sc.at(t).strftime('%Y/%m/%d %H:%M:%S')} http: panic serving {ip}: runtime error: index out of range "
                f"[12] with length 12\ngoroutine {sc.rng.randint(1000, 90000)} [running]:\nnet/http.(*conn).serve.func1()"
                "\n\t/usr/local/go/src/net/http/server.go:1898 +0xbe\npanic({0x9a4e20?, 0xc0003a2f48?})\n\t/usr/local/go/"
                "src/runtime/panic.go:770 +0x132\ngithub.com/acme-ml/calibrator/internal/isotonic.(*Table).Apply(...)\n\t"
                "/src/internal/isotonic/table.go:57\ngithub.com/acme-ml/calibrator/internal/api.(*Server).calibrate("
                "0xc0001b6000, {0xb8e1f0, 0xc0004a61c0}, 0xc0002d5b00)\n\t/src/internal/api/calibrate.go:88 +0x2f4"))
            sc.log("/ecs/calibrator", st, t - 0.002, zap(sc, t - 0.002, "info", "calibrate request",
                                                         "internal/api/calibrate.go:61", tenant="northwind-mutual",
                                                         segment=12, model_version="risk-gbm@v27"))
            return
        r = sc.rng.random()
        if r < 0.12:
            text = zap(sc, t, "warn", "unknown model_version requested, using default", "internal/api/calibrate.go:70",
                       requested="risk-gbm@v25", default="risk-gbm@v27")
        else:
            text = zap(sc, t, "info", "calibrated", "internal/api/calibrate.go:95", tenant=sc.pick(tenants),
                       segment=sc.rng.randint(0, 11), raw=round(sc.rng.random(), 4), took_ms=sc.ms(1, 6))
        sc.log("/ecs/calibrator", st, t, text)
    sc.emit("/ecs/calibrator", "-", LOG_START, 0, 4.0, cal)
    ll = lam(sc, fn, "python3.12", 1024, 15, mem_used=(164, 6))

    def body(ll, t, rid, err, cold):
        q = f"Q-{sc.rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"scoring quote {q}"))]
        if sc.rng.random() < 0.1:
            lines.append((0.02, ll.fmt(t, rid, "WARNING", f"quote {q} missing postcode district, using region prior")))
        if err:
            return {"dur": sc.rng.gauss(120, 15), "lines": lines + [(0.11, ll.fmt(
                t, rid, "ERROR", "CalibrationError: calibrator returned HTTP 500 for tenant=northwind-mutual "
                "segment=12\nTraceback (most recent call last):\n  File \"/var/task/app/handler.py\", line 47, in "
                "handler\n    p = calibrator.calibrate(raw, tenant=quote.tenant, segment=quote.segment)\n  File "
                "\"/var/task/app/clients.py\", line 88, in calibrate\n    raise CalibrationError(f\"calibrator "
                "returned HTTP {resp.status_code} ...\")\napp.clients.CalibrationError: calibrator returned HTTP 500"))]}
        return {"dur": sc.rng.gauss(260, 40), "lines": lines + [(0.25, ll.fmt(t, rid, "INFO", f"quote {q} "
                                                                       f"risk={sc.rng.random():.3f} band=B"))]}
    run_lambda(ll, iv, ev, body, ratio=0.03)
    ecs_deploy(sc, -18000, cl, "calibrator", "calibrator", 31, "ml-rollout-bot")
    ecs_deploy(sc, -1440, cl, "report-builder", "report-builder", 12, "dotnet-deployer")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Quote risk scoring failures")
    sc.alarm("internal-scoring-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 100, "GreaterThanThreshold")
    sc.expect_root(f"{fn}-errors", "application_error", [f"{cl}/calibrator", "calibrator"],
                   [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    sc.meta.update(
        origin_type="ecs", front="front (calling function → ALB → ECS)",
        decoys="report-builder deploy 60 s before onset; calibrator's own deploy 5 h earlier; steady "
               "unknown-model_version WARNs and postcode WARNINGs",
        story="From -23 min quotes for a tenant the calibrator has never seen before (northwind-mutual, "
              "segment 12; segments 0-11 only until then) reach the calibrator, whose isotonic table has 12 "
              "entries: each such request panics with `runtime error: index out of range [12] with length "
              "12` in table.go, net/http recovers it as a 500, the internal ALB's target 5XX rises and "
              "quote-risk-score raises CalibrationError, tripping its Errors alarm. Nothing in CloudTrail "
              "touches the calibrator or the caller near the onset; its last deploy was 5 h ago with clean "
              "hours after, and the report-builder deploy a minute before is an unrelated service.",
        judgement="A latent bug exposed by new input with no preceding change on the path: application_error "
                  "on the calibrator, not the alarmed caller.")
    return sc


BUILDERS = [s11, s12]
