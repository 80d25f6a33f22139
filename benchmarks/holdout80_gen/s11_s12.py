"""h80-11 (a third-party aggregator floods the patient-access FHIR API) and h80-12 (provider portal
throws on records without a birth date, no change anywhere)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, nginx, zap

from .kit import (GRID, alb_id, alb_metrics, apigw_metrics, bump, derive, ec2_metrics, emit, expect,
                  iid, lam_metrics, meta, new, php_err, pick, ramp)

APPS = [("app-mychart-ios", 0.45), ("app-healthrec-android", 0.3), ("app-1upportal", 0.15), ("app-careclip", 0.1)]


def build_11():
    sc = new(11, "patient-access-latency", "Patient Access API latency alarm; member apps report slow record "
             "downloads.", "us-east-1", "2026-03-12T19:05:00+00:00")
    t0 = -1500
    api, fn, other = "patient-access", "pa-fhir-query", "pa-token-introspect"
    sc.resource("apigateway", api, stage="v1", integration=f"lambda:{fn}", usage_plan="none (open to registered apps)")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=29, memory_size=1024)
    sc.resource("lambda", other, runtime="provided.al2023", timeout=5, memory_size=256)

    def surge(t):
        return ramp(t, t0 - 300, t0 + 200)

    def base(t):
        return 9 * (1 + 0.15 * bump(t, -15000, -13000, 1.0))

    agg = sc.series(lambda t: 92 * surge(t), integer=True)
    normal = sc.series(base, integer=True)
    inv = [a + b for a, b in zip(agg, normal)]
    lam = lam_metrics(sc, fn, inv, err_frac=lambda t: 0.002 + 0.004 * surge(t),
                      dur=lambda t: 230 + 760 * surge(t))
    e4 = derive(sc, inv, lambda t: 0.03)
    apigw_metrics(sc, api, inv, e4, lam["err"], lambda t: 262 + 820 * surge(t))
    lam_metrics(sc, other, lambda t: base(t) * 0.3 + 2 * surge(t), dur=lambda t: 18.0)
    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 29, mem_used=(61, 5), retire=[-14900])
    rate = {m: a for m, a in zip(GRID, agg)}

    def body(ll, t, r, is_err, cold):
        m = int(t // 60 * 60)
        share = rate.get(m, 0) / max(1, inv[GRID.index(m)]) if m in rate else 0
        is_agg = sc.rng.random() < share
        app = "app-healthlink-agg" if is_agg else wpick_app()
        q = ("ExplanationOfBenefit?patient=*&_lastUpdated=gt2020-01-01&_count=200" if is_agg else
             pick(sc, ["Patient/{p}", "Coverage?patient={p}", "ExplanationOfBenefit?patient={p}&_count=20"]))
        q = q.replace("{p}", str(sc.rng.randint(10**6, 10**7)))
        d = max(40.0, sc.rng.gauss(230 + 760 * surge(t), 80 + 150 * surge(t)))
        lines = [(d / 1000 - 0.005, zap(sc, t + d / 1000, "info", "request completed", "handler/search.go:141",
                                        client_id=app, query=q, status=200 if not is_err else 500,
                                        entries=sc.rng.randint(1, 200) if is_agg else sc.rng.randint(0, 20),
                                        duration_ms=int(d), request_id=r))]
        if is_err:
            lines.insert(0, (d / 1000 - 0.006, zap(sc, t + d / 1000, "error", "bundle encode failed",
                                                   "fhir/bundle.go:77", error="context deadline exceeded while "
                                                   "streaming response", request_id=r)))
        elif sc.rng.random() < 0.04:
            lines.insert(0, (0.01, zap(sc, t, "warn", "consent not found; returning 403", "authz/consent.go:52",
                                       client_id=app, request_id=r)))
        return {"lines": lines, "dur": d}

    def wpick_app():
        x, acc = sc.rng.random(), 0.0
        for a, w in APPS:
            acc += w
            if x < acc:
                return a
        return APPS[-1][0]

    ll.run({m: n for m, n in zip(GRID, inv) if m >= -9000}, {m: n for m, n in zip(GRID, lam["err"]) if m >= -9000},
           body)
    g = "/aws/apigateway/patient-access-v1-access"
    emit(sc, lambda t: 2.0 + 12 * surge(t), lambda t: sc.log(g, "v1", t, jline({
        "requestId": sc.uuid(), "ip": sc.ip("34.201") if sc.rng.random() < surge(t) * 0.9 else sc.ip("73.12"),
        "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "GET",
        "resourcePath": "/{proxy+}", "status": "200",
        "clientId": "app-healthlink-agg" if sc.rng.random() < surge(t) * 0.9 else wpick_app(),
        "responseLatency": str(int(262 + 820 * surge(t) + sc.rng.gauss(0, 60)))})))
    sc.change(-14900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-patient-access")
    sc.change(t0 - 240, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "r.ambrose")
    sc.alarm("patient-access-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 5, 700,
             "GreaterThanThreshold", "Patient Access API average latency")
    sc.alarm("patient-access-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    expect(sc, "patient-access-latency", "traffic_surge", [api, fn],
           [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": api}}])
    meta(sc, "origin (API Gateway)",
         "config update on the token-introspection function 4 min before onset; consent-403 WARNs; function "
         "deploy 4 h earlier; 5XX alarm stays OK",
         "The Patient Access API's latency alarm fires as average latency goes from ~0.26 s to ~1.1 s. Request "
         "Count jumps from ~9 to ~100 a minute within a few minutes, and the access log and the Go function's "
         "zap log show who: a newly registered aggregator app (`app-healthlink-agg`, a block of 34.201.x "
         "addresses) paging `ExplanationOfBenefit?patient=*&_count=200` for whole populations. Nothing else "
         "is wrong — no throttles (no reserved concurrency), errors stay a fraction of a percent, the "
         "function's code is 4 hours old and the same per-request work just costs more under load. The "
         "config update on the token-introspection function 4 minutes before onset changes nothing in its "
         "metrics; consent-403 WARNs run at the usual rate.",
         judgement="11: the surge enters through the API and lands on its one integration; either name is "
                   "accepted (the API as where the volume arrives, the function as where the latency accrues).",
         services="API Gateway (JSON access log), Lambda provided.al2023 Go (zap JSON)")
    return sc


def build_12():
    sc = new(12, "provider-portal-500s", "Provider portal showing error pages on patient summaries; ALB 5XX "
             "alarm.", "ap-southeast-1", "2026-01-20T06:10:00+00:00")
    t0 = -2520
    lb = alb_id(sc, "provider-portal")
    web, adm = iid(sc), iid(sc)
    other = "fax-inbound-ocr"
    sc.resource("alb", lb, name="provider-portal", target_group="tg-portal-web", targets=[web])
    sc.resource("ec2", web, name="portal-web-1", instance_type="c6i.xlarge", app="PHP 8.2 / php-fpm + nginx",
                log_groups=["/portal/nginx/access", "/portal/php-fpm/error"])
    sc.resource("ec2", adm, name="portal-admin-1", instance_type="t3.large", app="PHP 8.2 admin / cron")
    sc.resource("lambda", other, runtime="python3.12", timeout=120, memory_size=2048)
    req = sc.series(lambda t: 150 + 90 * ramp(t, -21600, -1000), integer=True)
    alb_metrics(sc, lb, req, t5_frac=lambda t: 0.003 + 0.11 * (t >= t0), rt=lambda t: 0.18, healthy=lambda t: 1)
    ec2_metrics(sc, web, cpu=lambda t: 24 + 4 * ramp(t, -21600, -1000) + 50 * bump(t, -6300, -5700, 1.0),
                mem=lambda t: 48.0, disk=lambda t: 61.0)
    ec2_metrics(sc, adm, cpu=lambda t: 8 + 60 * bump(t, -9000, -8400, 1.0), mem=lambda t: 30.0)
    lam_metrics(sc, other, lambda t: 0.8, dur=lambda t: 14000.0)
    acc, err = "/portal/nginx/access", "/portal/php-fpm/error"
    pages = ["/patients/{id}/summary", "/patients/{id}/claims", "/eligibility/check", "/referrals/new",
             "/patients/{id}/summary", "/messages"]

    def hit(t):
        p = pick(sc, pages).replace("{id}", str(sc.rng.randint(10**5, 10**6)))
        broken = t >= t0 and "summary" in p and sc.rng.random() < 0.35
        ip = sc.ip("10.88")
        if broken:
            mrn = f"NB{sc.rng.randint(10**6, 10**7)}"
            sc.log(err, web, t, php_err(sc, t, "Fatal error", "Uncaught TypeError: DateTime::__construct(): "
                   "Argument #1 ($datetime) must be of type string, null given in /var/www/portal/src/Patient/"
                   f"PatientSummary.php:88\nStack trace:\n#0 /var/www/portal/src/Patient/PatientSummary.php(88): "
                   f"DateTime->__construct(NULL)\n#1 /var/www/portal/src/Patient/PatientSummary.php(41): "
                   f"Portal\\Patient\\PatientSummary->ageInYears()\n#2 /var/www/portal/src/Http/SummaryController"
                   f".php(27): Portal\\Patient\\PatientSummary->toView()\n#3 {{main}}\n  thrown in /var/www/portal/"
                   f"src/Patient/PatientSummary.php on line 88 (patient mrn={mrn})"))
            sc.log(acc, web, t + 0.01, nginx(sc, t + 0.01, ip, "GET", p, 500, 0, sc.rng.uniform(0.02, 0.06),
                                             ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))
            return
        sc.log(acc, web, t, nginx(sc, t, ip, "GET", p, 200, sc.rng.randint(4000, 60000), sc.rng.uniform(0.05, 0.4),
                                  ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))

    emit(sc, lambda t: 4.0, hit)
    emit(sc, lambda t: 1.0, lambda t: sc.log(err, web, t, php_err(
        sc, t, "Warning", "Undefined array key \"npi\" in /var/www/portal/src/Referral/ReferralForm.php on line 112")))
    emit(sc, lambda t: 0.6, lambda t: sc.log(err, web, t, php_err(
        sc, t, "Deprecated", "Creation of dynamic property Portal\\Legacy\\FaxCover::$pages is deprecated in "
        "/var/www/portal/src/Legacy/FaxCover.php on line 19")))
    emit(sc, lambda t: 0.12, lambda t: sc.log(err, web, t, php_err(
        sc, t, "Fatal error", "Allowed memory size of 268435456 bytes exhausted (tried to allocate 20480 bytes) in "
        "/var/www/portal/src/Reports/ClaimsCsv.php on line 64")))
    sc.change(t0 - 150, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "ocr-team-ci")
    sc.change(-20100, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", adm, "ops.tan")
    sc.alarm("provider-portal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 1, 40, "GreaterThanThreshold", "Provider portal 5xx")
    sc.alarm("portal-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": web}, "Average", 300, 1, 70,
             "GreaterThanThreshold")
    expect(sc, "provider-portal-5xx", "application_error", [web, "portal-web-1"],
           [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    meta(sc, "front (ALB → EC2 web host)",
         "OCR Lambda config update 2.5 min before onset; PHP Warnings/Deprecations and a memory-limit Fatal on "
         "the CSV report all night; web-host CPU spike + alarm ~1 h earlier; admin-host change 4.9 h earlier",
         "The portal's target 5XX alarm fires as ~11 % of requests fail. All new 500s are patient-summary pages, "
         "and php-fpm logs a new fatal for each: `Uncaught TypeError: DateTime::__construct(): Argument #1 "
         "($datetime) must be of type string, null given` in PatientSummary::ageInYears(), for MRNs with an NB "
         "prefix — newborn registrations without a birth date that started arriving this morning. There is no "
         "deploy or configuration change to the portal or its host, CPU/memory/disk are normal, and the "
         "surrounding errors (Undefined array key \"npi\", dynamic-property deprecations, the CSV report's "
         "memory-limit fatal) run at the same rate for hours. The OCR Lambda update 2.5 minutes before onset is "
         "unrelated to the portal.",
         judgement="12: the ClaimsCsv 'Allowed memory size ... exhausted' fatal is a PHP per-request limit on "
                   "one report, present all night at the same rate — not memory_exhaustion of the host (mem 48 %).",
         services="EC2 PHP 8.2 (nginx access + php-fpm error log), ALB, Lambda python3.12")
    return sc


BUILDERS = [build_11, build_12]
