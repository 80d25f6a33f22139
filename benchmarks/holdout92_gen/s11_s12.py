"""h92-11 (PHP listing page fatals on price-on-request listings behind the ALB) and h92-12 (a
search-api task definition rollout breaks polygon search)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pino

from .base import (ZERO, alb_id, alb_metrics, anomaly, cnt, ecs_metrics, expect, lambda_metrics,
                   make, sample, sprinkle, task_id, val)


# =========================================================================== h92-11
def build_11():
    sc = make(11, "ca-listing-pages-500", "Some listing detail pages return 500 on the Canadian site; "
              "ALB target 5XX alarm.", "ca-central-1", "2026-05-16T16:05:00",
              category="application_error", side="front", services="ALB (Lambda target), Lambda (PHP/Bref) x1, Lambda (Python) x1",
              runtime="PHP, Python", fmt="Bref/php-fpm text in Lambda logs",
              decoys="deploy of open-house-scheduler 40 s before onset; crawler request spike 2.5 h earlier; loud pre-existing PHP warnings; Lambda Errors flat",
              story=(
                  "`ca-listings-web` sends listing pages to `listing-page-render` (PHP 8.3 on Bref). From "
                  "about -2200 s roughly 4 % of page views end in `PHP Fatal error: Uncaught TypeError: "
                  "number_format(): Argument #1 ($num) must be of type float, string given in "
                  "/var/task/src/View/PriceFormatter.php:31`, each for a listing whose price is 'Prix sur "
                  "demande'/'Price on request'; the ALB counts them as target 5XX while the function's own "
                  "Errors metric stays at zero (Bref returns the 500 as a normal response). The function "
                  "was not changed; the only change near the onset is a deploy of `open-house-scheduler`, "
                  "the `Undefined array key \"virtual_tour_url\"` warnings have been in every fifth request "
                  "all day, and the request spike 2.5 h earlier was a crawler."),
              judgement=("h92-11: the trigger is new listing data (price-on-request listings arriving "
                         "through the normal feed), not a change to any resource, so `application_error` "
                         "on the rendering function."))
    alb = alb_id(sc, "ca-listings-web")
    fn, other = "listing-page-render", "open-house-scheduler"
    sc.resource("alb", alb, name="ca-listings-web", scheme="internet-facing", target_type="lambda")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=28, memory_size=1024,
                layers=["arn:aws:lambda:ca-central-1:534081306603:layer:php-83-fpm:41"])
    sc.resource("lambda", other, runtime="python3.12", timeout=60, memory_size=256)
    onset, dec = -2200, -2240
    share = lambda t: 0.04 * ramp(t, onset, onset + 240)
    req = cnt(sc, lambda t: 600 * diurnal(sc, t, 20, 0.3) + bump(t, -9300, -8700, 900, 60))
    t5 = [float(round(n * share(t) + (1 if sc.rng.random() < 0.3 else 0))) for t, n in zip(GRID, req)]
    alb_metrics(sc, alb, req, val(sc, lambda t: 0.19, noise=0.1), t5, cnt(sc, lambda t: 0.1),
                [1.0] * len(GRID), ZERO, t4=cnt(sc, lambda t: 14 * diurnal(sc, t, 20, 0.3)))
    dur = val(sc, lambda t: 170, noise=0.08)
    lambda_metrics(sc, fn, req, ZERO, dur)
    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 28, mem_used=(96, 6))

    def body(ll, t, rid, is_err, cold):
        lid = sc.rng.randint(27000000, 27999999)
        lang = sc.rng.choice(["fr/propriete", "en/listing"])
        lines = []
        if sc.rng.random() < 0.2:
            lines.append((0.05, "NOTICE: PHP message: PHP Warning:  Undefined array key \"virtual_tour_url\" in "
                                "/var/task/templates/listing/show.php on line 112"))
        if is_err:
            price = sc.rng.choice(["Prix sur demande", "Price on request", "Sur demande"])
            lines.append((0.06, "NOTICE: PHP message: PHP Fatal error:  Uncaught TypeError: number_format(): Argument #1 "
                                "($num) must be of type float, string given in /var/task/src/View/PriceFormatter.php:31\n"
                                "Stack trace:\n"
                                f"#0 /var/task/src/View/PriceFormatter.php(31): number_format('{price[:15]}...', 0, ',', ' ')\n"
                                f"#1 /var/task/templates/listing/show.php(48): App\\View\\PriceFormatter->format(Array)\n"
                                f"#2 /var/task/src/Controller/ListingController.php(77): App\\View\\Template->render('listing/show', Array)\n"
                                "#3 /var/task/public/index.php(22): App\\Controller\\ListingController->show('" + str(lid) + "')\n"
                                "#4 {main}\n  thrown in /var/task/src/View/PriceFormatter.php on line 31"))
            lines.append((0.061, f"{sc.ip('10.61')} -  {sc.at(t).strftime('%d/%b/%Y:%H:%M:%S')} +0000 \"GET /{lang}/{lid}\" 500"))
            return {"lines": lines, "dur": sc.rng.uniform(60, 110)}
        d = max(60.0, sc.rng.gauss(170, 40))
        lines.append((d / 1000 - 0.002, f"{sc.ip('10.61')} -  {sc.at(t).strftime('%d/%b/%Y:%H:%M:%S')} +0000 \"GET /{lang}/{lid}\" 200"))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, req, ZERO, cap=3)
    for t in li:  # every minute after the onset logs at least one of its failing requests
        le[t] = 1 if share(t) > 0.01 else 0
    ll.run(li, le, lambda ll, t, rid, is_err, cold: dict(body(ll, t, rid, is_err, cold), init_lines=[
        (0.05, "NOTICE: fpm is running, pid 11"), (0.051, "NOTICE: ready to handle connections")]))
    oinv = cnt(sc, lambda t: 2)
    lambda_metrics(sc, other, oinv, ZERO, val(sc, lambda t: 900, noise=0.2))
    ol = LambdaLogs(sc, other, "python3.12", 256, 60, retire=(dec,), mem_used=(88, 5))
    ol.run(*sample(sc, oinv, ZERO, cap=1), lambda ll, t, rid, e, c: {
        "lines": [(0.5, ll.fmt(t + 0.5, rid, "INFO", f"scheduled {sc.rng.randint(0, 6)} open-house reminders"))],
        "dur": sc.rng.uniform(500, 1400)})
    sc.change(dec, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gitlab-runner-deploy")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-runner-deploy")
    sc.alarm("ca-listings-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Listing pages (CA) target errors")
    expect(sc, "ca-listings-web-5xx", "application_error", [fn],
           [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb})])
    return sc


# =========================================================================== h92-12
def build_12():
    sc = make(12, "search-api-5xx-sunday", "Search API returning 500s for some queries; ALB 5XX alarm.",
              "us-east-1", "2026-05-17T17:10:00",
              category="bad_deployment", side="front", services="ALB, ECS Fargate (Node.js), Lambda (Python)",
              runtime="Node.js, Python", fmt="pino JSON",
              decoys="UpdateFunctionConfiguration on listing-indexer 30 s before onset (closer than the deploy); steady geocoder 429 errors and slow-query warnings",
              story=(
                  "At -2990 s `gh-actions-deploy` registered `search-api:143` and updated the "
                  "`portal-prod/search-api` service; the new tasks' log streams start at -2940 s and the "
                  "old ones stop by -2820 s. Only in the new tasks' logs, for the draw-on-map (polygon) "
                  "searches, a new signature appears: `TypeError: Cannot read properties of undefined "
                  "(reading 'lat') at buildGeoFilter (/app/dist/search/filters.js:88:41)`; the ALB's target "
                  "5XX go from ~1 to ~140 a minute. The configuration change to `listing-indexer` 30 s "
                  "before the onset is on another resource whose metrics and logs do not change, and the "
                  "geocoder 429s and slow-query warnings were there before the deploy at the same rate."),
              judgement=("h92-12: the tie-break 'a config change beats a deployment' applies when both "
                         "fit the failing resource; the config change here is to a different, unaffected "
                         "function."))
    alb = alb_id(sc, "search-internal")
    cluster, svc, idx = "portal-prod", "search-api", "listing-indexer"
    sc.resource("alb", alb, name="search-internal", scheme="internal")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=4,
                task_definition=f"{svc}:143")
    sc.resource("lambda", idx, runtime="python3.12", timeout=300, memory_size=2048)
    dep, onset, old_end = -2990, -2930, -2820
    share = lambda t: 0.08 * ramp(t, onset, old_end)
    req = cnt(sc, lambda t: 1800 * diurnal(sc, t, 19, 0.25))
    t5 = [float(round(n * share(t))) + (1.0 if sc.rng.random() < 0.6 else 0.0) for t, n in zip(GRID, req)]
    alb_metrics(sc, alb, req, val(sc, lambda t: 0.092, noise=0.1), t5, cnt(sc, lambda t: 0.05),
                [4.0 + 4 * (dep + 60 <= t < old_end) for t in GRID], ZERO, t4=cnt(sc, lambda t: 9))
    running = [4.0 + 4 * (dep + 60 <= t < old_end) for t in GRID]
    ecs_metrics(sc, cluster, svc, val(sc, lambda t: 34 * diurnal(sc, t, 19, 0.2) * (0.6 if dep + 60 <= t < old_end else 1), noise=0.07),
                val(sc, lambda t: 44, noise=0.02), running)
    iinv = cnt(sc, lambda t: 3)
    lambda_metrics(sc, idx, iinv, ZERO, val(sc, lambda t: 48000, noise=0.15))
    il = LambdaLogs(sc, idx, "python3.12", 2048, 300, retire=(onset - 30,), mem_used=(640, 40))
    il.run(*sample(sc, iinv, ZERO, cap=1), lambda ll, t, rid, e, c: {
        "lines": [(40.0, ll.fmt(t + 40, rid, "INFO", f"indexed {sc.rng.randint(300, 1800)} listings into listings-v7 "
                                                     f"(bulk errors=0)"))], "dur": sc.rng.uniform(41000, 56000)})
    group = f"/ecs/{svc}"
    old = [f"search-api/search-api/{task_id(sc)}" for _ in range(4)]
    new = [f"search-api/search-api/{task_id(sc)}" for _ in range(4)]
    hosts = {s: f"ip-10-0-{sc.rng.randint(10, 60)}-{sc.rng.randint(2, 250)}.ec2.internal" for s in old + new}
    rate = dict(zip(GRID, req))

    def stream(t):
        return sc.rng.choice(old if t < dep + 60 else (new if t >= old_end else old + new))

    def req_line(t):
        s = stream(t)
        poly = sc.rng.random() < 0.1
        path = "/v2/search" if poly else sc.rng.choice(["/v2/search", "/v2/listings/batch", "/v2/search/count"])
        if poly and s in new and sc.rng.random() < 0.8:
            err = {"type": "TypeError", "message": "Cannot read properties of undefined (reading 'lat')",
                   "stack": "TypeError: Cannot read properties of undefined (reading 'lat')\n"
                            "    at buildGeoFilter (/app/dist/search/filters.js:88:41)\n"
                            "    at Array.map (<anonymous>)\n    at buildQuery (/app/dist/search/query.js:54:29)\n"
                            "    at SearchController.search (/app/dist/search/controller.js:31:23)"}
            sc.log(group, s, t, pino(sc, t, "error", "unhandled error in POST /v2/search", hosts[s], pid=1,
                                     reqId=f"req-{sc.rng.randint(10000, 99999)}", err=err, version="3.41.0"))
            sc.log(group, s, t + 0.002, pino(sc, t + 0.002, "info", "request completed", hosts[s], pid=1,
                                             res={"statusCode": 500}, responseTime=round(sc.rng.uniform(8, 30), 2)))
            return
        sc.log(group, s, t, pino(sc, t, "info", "request completed", hosts[s], pid=1,
                                 req={"method": "POST" if path == "/v2/search" else "GET", "url": path},
                                 res={"statusCode": 200}, responseTime=round(sc.rng.uniform(20, 140), 2),
                                 **({"filter": "polygon"} if poly else {})))

    sprinkle(sc, GRID[0], 0, lambda t: 4.0 * rate.get(t, 1800) / 1800, req_line)
    sprinkle(sc, GRID[0], 0, 0.3, lambda t: (lambda s: sc.log(group, s, t, pino(
        sc, t, "error", "geocoder upstream error", hosts[s], pid=1,
        err={"type": "HTTPError", "message": "Response code 429 (Too Many Requests)"},
        upstream="https://geocode.maps-vendor.example/v1/forward")))(stream(t)))
    sprinkle(sc, GRID[0], 0, 0.5, lambda t: (lambda s: sc.log(group, s, t, pino(
        sc, t, "warn", f"opensearch slow query took {sc.rng.randint(800, 2400)}ms", hosts[s], pid=1,
        index="listings-v7")))(stream(t)))
    for s in new:
        t0 = dep + 50 + sc.rng.uniform(0, 20)
        sc.log(group, s, t0, pino(sc, t0, "info", "search-api 3.41.0 listening on :8080", hosts[s], pid=1))
    for s in old:
        t1 = old_end - sc.rng.uniform(1, 10)
        sc.log(group, s, t1, pino(sc, t1, "info", "SIGTERM received, draining connections", hosts[s], pid=1))
    sc.change(dep, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:143", "gh-actions-deploy")
    sc.change(dep + 8, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "gh-actions-deploy")
    sc.change(onset - 30, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              idx, "kwame.asante")
    sc.alarm("search-internal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": alb}, "Sum", 60, 3, 25, "GreaterThanThreshold", "Search API 5XX")
    expect(sc, "search-internal-target-5xx", "bad_deployment", [f"{cluster}/{svc}", svc],
           [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": alb})])
    return sc


BUILDERS = [build_11, build_12]
