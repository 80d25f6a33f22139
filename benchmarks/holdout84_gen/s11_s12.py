"""h84-11 (catastrophe SMS campaign floods the FNOL portal; ALB latency) and h84-12 (settlement
calculation divides by a zero cover limit for unlimited-cover storm claims; no change involved)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .kit import (H84, alb_set, anomaly, ecs_set, emit, expect, lambda_set, laravel, meta, minutes,
                  pick, rds_set)


def build_11() -> H84:
    sc = H84(11, "fnol-portal-slow", "First-notice-of-loss portal slow and intermittently failing; the "
             "ALB latency alarm fired during a hail event.", "us-east-2", 8411, "2026-03-27T21:40:00")
    lb, cl, svc, db = "app/fnol-web/2a6e9c0d4b1f7385", "cx-prod", "fnol-portal", "fnol-mysql"
    t0 = -3300
    sc.resource("alb", lb, name="fnol-web")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, runtime="PHP 8.3-FPM (Laravel 11) + nginx",
                autoscaling="target tracking CPU 60 %, 4-12 tasks")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge", max_connections=2000,
                allocated_storage_gb=400)
    surge = lambda t: ramp(t, t0, t0 + 720) * (1 - 0.15 * ramp(t, -1800, -60))
    req = lambda t: 320 * diurnal(sc, t, 19, 0.25) + 1780 * surge(t)
    tasks = lambda t: 4 + 3 * (t > -2910) + 3 * (t > -2550) + 2 * (t > -2190)
    load = lambda t: req(t) / tasks(t)
    alb_set(sc, lb, req, lambda t: 0.24 + 2.3 * surge(t) * min(1.0, load(t) / 170), lambda t: 0.3 + req(t) * 0.012 * surge(t),
            e5xx=lambda t: req(t) * 0.018 * surge(t), healthy=tasks, t4xx=lambda t: 2.5 + 20 * surge(t))
    ecs_set(sc, cl, svc, lambda t: min(97.0, 30 * diurnal(sc, t, 19, 0.25) * 4 / tasks(t) + 0.36 * load(t) * surge(t)),
            lambda t: 44 + 12 * surge(t), tasks=tasks)
    rds_set(sc, db, lambda t: 17 + 57 * surge(t), lambda t: 80 + 240 * surge(t), lambda t: 301.0 - 0.4 * (t + 21600) / 3600,
            lambda t: 14.2 - 2.1 * surge(t), read_lat=lambda t: 0.0009 + 0.0022 * surge(t))
    for t, n in ((-3000, 7), (-2640, 10), (-2280, 12)):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-15800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "gha-cx-deploy")
    g = f"/ecs/{svc}"
    ua = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 Chrome/122.0 Mobile Safari/537.36",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0 Safari/537.36"]
    paths = ["/fnol/start", "/fnol/step/vehicle", "/fnol/step/photos", "/fnol/submit", "/claims/status", "/login"]
    for i in range(4):
        s = f"nginx/nginx/{sc.hexid(32)}"
        fpm = f"php/php-fpm/{sc.hexid(32)}"

        def access(t):
            hot = surge(t)
            path = pick(sc, paths)
            if path == "/fnol/start" and sc.rng.random() < hot:
                path += "?utm_source=cat-alert-sms&utm_campaign=CAT-2026-031-DFW-HAIL"
            rt = max(0.02, sc.rng.gauss(0.22 + 2.2 * hot, 0.08 + 0.8 * hot))
            code = 502 if sc.rng.random() < 0.02 * hot else (504 if sc.rng.random() < 0.01 * hot else 200)
            return nginx(sc, t, f"{sc.rng.randint(24, 99)}.{sc.rng.randint(1, 254)}.{sc.rng.randint(1, 254)}.{sc.rng.randint(1, 254)}",
                         "POST" if "submit" in path or "photos" in path else "GET", path, code, sc.rng.randint(900, 40000), rt,
                         ua=pick(sc, ua), ref="https://www.example-mutual.com/")

        emit(sc, g, s, lambda t: req(t) * 0.0025, access)
        emit(sc, g, fpm, lambda t: 0.12, lambda t: laravel(sc, t, "error", "reCAPTCHA verification failed: timeout-or-duplicate",
                                                         {"route": "fnol.submit", "ip": f"{sc.rng.randint(24, 99)}.x.x.x"}))
        emit(sc, g, fpm, lambda t: 1.2 * surge(t) * (1 if load(t) > 150 else 0.3), lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] server reached pm.max_children setting (24), "
            "consider raising it"))
        emit(sc, g, fpm, lambda t: 0.3 * surge(t), lambda t: laravel(
            sc, t, "warning", f"Slow request: POST /fnol/step/photos took {sc.rng.uniform(3.1, 8.8):.2f}s",
            {"claim_draft": f"D-{sc.rng.randint(100000, 999999)}", "photos": sc.rng.randint(2, 9)}))
    sc.alarm("fnol-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 1.5,
             "GreaterThanThreshold", "FNOL portal response time")
    sc.alarm("fnol-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 65,
             "GreaterThanThreshold")
    expect(sc, "fnol-web-latency", "traffic_surge", [lb, "fnol-web", f"{cl}/{svc}", svc],
           [anomaly("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
            anomaly("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    meta(sc, alarm_on="origin (the ALB that takes the surge)", services="ALB, ECS (PHP 8.3-FPM/Laravel, nginx access logs), RDS MySQL",
         decoys="three autoscaling UpdateService calls after onset; RDS CPU alarm in ALARM (~75 %, not saturated); "
                "portal deployed 4 h earlier; reCAPTCHA ERROR lines all along",
         story="A hailstorm hits Dallas-Fort Worth and the insurer texts policyholders in its path; from -55 min "
               "RequestCount climbs from ~380 to ~2,100 a minute, and the access log fills with "
               "`/fnol/start?utm_source=cat-alert-sms&utm_campaign=CAT-2026-031-DFW-HAIL`. Tasks hit "
               "`pm.max_children`, latency goes from 0.24 s to 2.5 s and a few 502/504 appear. Autoscaling grows "
               "the service from 4 to 12 tasks (UpdateService by the autoscaling service role, all after onset), "
               "which brings CPU back down while latency stays high; the database's CPU rises to ~75 % with the "
               "load and sets off its own alarm but never saturates. No deploy, config change or error signature "
               "precedes the surge.")
    return sc


def build_12() -> H84:
    sc = H84(12, "reglement-calc-errors", "Claim settlement calculation failing for some claims; the "
             "Errors alarm on the calculation function fired and the settlement queue is growing.",
             "eu-west-3", 8412, "2026-03-28T11:15:00")
    fn, exp_fn, db = "reglement-calc", "reglement-export", "reglement-pg"
    t0 = -2600
    sc.resource("lambda", fn, runtime="python3.11", timeout=60, memory_size=512, trigger="sqs:reglement-a-calculer")
    sc.resource("lambda", exp_fn, runtime="python3.11", timeout=300, memory_size=1024)
    sc.resource("rds", db, engine="postgres", instance_class="db.t4g.large", max_connections=600, allocated_storage_gb=200)
    storm = lambda t: ramp(t, t0, t0 + 1500)
    inv = lambda t: 6 * diurnal(sc, t, 10, 0.35) + 2.5 * storm(t)
    m = lambda_set(sc, fn, inv, lambda t: 3.2 * storm(t) + 0.8 * ramp(t, t0 - 30, t0 + 30), lambda t: 640 - 200 * storm(t))
    e = lambda_set(sc, exp_fn, lambda t: 0.2, lambda t: 0.0, lambda t: 41000.0)
    rds_set(sc, db, lambda t: 14 * diurnal(sc, t, 10, 0.3), lambda t: 37, lambda t: 121.0, lambda t: 2.6)
    sc.change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gitlab-ci-reglement")
    sc.change(-16790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gitlab-ci-reglement")
    sc.change(-2680, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", exp_fn, "p.girard")
    poison: list = []
    covers = ["MRH-DEGATS-EAUX", "AUTO-BRIS-GLACE", "MRH-VOL", "AUTO-TOUS-RISQUES", "MRH-TEMPETE"]

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        n = rng.randint(1, 4)
        if is_err:
            if poison and rng.random() < 0.55:
                claim = pick(sc, poison[-12:])
                recv = rng.randint(2, 5)
            else:
                claim = f"SIN-{rng.randint(2600000, 2699999)}"
                poison.append(claim)
                recv = 1
            lines = [(0.01, ll.fmt(t, rid, "INFO", f"Batch of {n} message(s) from reglement-a-calculer")),
                     (0.03, ll.fmt(t + 0.03, rid, "INFO", f"Calcul {claim} garantie=MRH-TEMPETE-ILLIMITEE franchise=380.00 "
                                   f"indemnite_brute={rng.uniform(1800, 24000):.2f} plafond=0.00 receive_count={recv}"))]
            dur = rng.gauss(180, 30)
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "ERROR",
                          "DivisionByZero: [<class 'decimal.DivisionByZero'>]\nTraceback (most recent call last):\n"
                          "  File \"/var/task/reglement/handler.py\", line 42, in handler\n    lignes = calculer(sinistre)\n"
                          "  File \"/var/task/reglement/calcul.py\", line 117, in calculer\n    taux = prorata(indemnite, garantie)\n"
                          "  File \"/var/task/reglement/franchise.py\", line 88, in prorata\n"
                          "    ratio = (indemnite / garantie.plafond).quantize(CENT)")))
            return {"lines": lines, "dur": dur}
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Batch of {n} message(s) from reglement-a-calculer"))]
        for k in range(n):
            claim = f"SIN-{rng.randint(2500000, 2699999)}"
            cov = pick(sc, covers)
            lines.append((0.05 + k * 0.1, ll.fmt(t + 0.05, rid, "INFO", f"Calcul {claim} garantie={cov} franchise="
                          f"{pick(sc, ['150.00', '230.00', '380.00'])} indemnite_brute={rng.uniform(300, 9000):.2f} "
                          f"plafond={pick(sc, ['15000.00', '30000.00', '8000.00'])} receive_count=1")))
            if rng.random() < 0.06:
                lines.append((0.09 + k * 0.1, ll.fmt(t + 0.09, rid, "ERROR", f"IBAN validation failed for beneficiary of {claim} "
                              "(FR76 ... checksum mismatch); payment held for manual review")))
        dur = rng.gauss(520 + 120 * n, 60)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO", f"{n} settlement line(s) written to {db}")))
        return {"lines": lines, "dur": dur}

    LambdaLogs(sc, fn, "python3.11", 512, 60, mem_used=(118, 9)).run(minutes(m["inv"]), minutes(m["err"]), body)

    def ebody(ll, t, rid, is_err, cold):
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", "Export SEPA: 0 new payment file(s); next window 13:00"))],
                "dur": sc.rng.gauss(41000, 2000)}

    LambdaLogs(sc, exp_fn, "python3.11", 1024, 300, retire=[-2680], mem_used=(160, 8)).run(minutes(e["inv"]), {}, ebody)
    sc.alarm("reglement-calc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "Settlement calculation failures")
    sc.alarm("reglement-export-errors", "AWS/Lambda", "Errors", {"FunctionName": exp_fn}, "Sum", 300, 1, 0, "GreaterThanThreshold")
    expect(sc, "reglement-calc-errors", "application_error", [fn], [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, alarm_on="origin", services="Lambda (Python 3.11, SQS-triggered), RDS PostgreSQL",
         decoys="configuration update on the export Lambda 80 s before onset; calculation function deployed 4.7 h "
                "earlier (clean for 4 h after); handled IBAN-validation ERROR lines all along",
         story="A windstorm brings the first claims under the unlimited-cover storm guarantee "
               "(`garantie=MRH-TEMPETE-ILLIMITEE ... plafond=0.00`) into settlement 43 minutes ago. Every batch "
               "holding one raises an unhandled `decimal.DivisionByZero` in `franchise.py` line 88 "
               "(`indemnite / garantie.plafond`), and SQS redelivers the same claims (`receive_count` 2-5). "
               "Nothing changed: the function's last deploy was 4.7 hours earlier with four clean hours after it, "
               "the export function's configuration update is unrelated to this path, and the database is quiet. "
               "A code path that never handled a zero limit meets new data: an application error.")
    return sc


BUILDERS = [build_11, build_12]
