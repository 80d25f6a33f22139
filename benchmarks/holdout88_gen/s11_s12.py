"""h88-11 (one tenant's campaign floods the hosted-forms service behind its ALB) and h88-12 (Ruby
merge-suggester Lambda crashing on one tenant's contacts, no change anywhere near)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, pino

from .kit import LOG_START, S88, alb_metrics, ecs_metrics, emit, lam_metrics, per_min, rds_metrics


def build11() -> S88:
    T0 = -1740
    sc = S88(11, "spring-sale-embed", "Hosted web forms slow and failing; 5XX alarm on the forms load balancer.",
             "eu-west-2", 8811, "2026-03-02T12:05:00+00:00", {
                 "front": "front (ALB) / origin shared", "services": ["alb", "ecs", "lambda"],
                 "decoys": "deploy of form-spam-scorer 45 s before onset (its invocations rise with the "
                           "surge); validation 400s and reCAPTCHA warnings all day",
             })
    lb, svc = "app/crm-forms-edge/c05d9e21b7a4f318", "forms/capture-api"
    sc.resource("alb", lb, name="crm-forms-edge", scheme="internet-facing")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048, autoscaling_max=4,
                log_group="/ecs/forms/capture-api")
    sc.resource("lambda", "form-spam-scorer", runtime="python3.12", timeout=10, memory_size=256)
    surge = lambda t: ramp(t, T0 - 420, T0 - 60)  # noqa: E731
    base = lambda t: 640 * diurnal(sc, t, 13, 0.25)  # noqa: E731
    req = lambda t: base(t) * (1 + 7.2 * surge(t))  # noqa: E731
    over = lambda t: ramp(t, T0 - 180, T0 + 60)  # noqa: E731
    alb = alb_metrics(sc, lb, req, lambda t: 0.06 + 1.7 * over(t), lambda t: 0.3 + 0.06 * req(t) * over(t),
                      hosts=4, t4xx=lambda t: 0.03 * base(t) + 0.004 * req(t),
                      e5xx=lambda t: 0.004 * req(t) * over(t))
    ecs_metrics(sc, "forms", "capture-api", lambda t: 24 * diurnal(sc, t, 13, 0.25) * (1 + 1.6 * surge(t)),
                lambda t: 41 + 6 * surge(t), tasks=lambda t: 4)
    lam_metrics(sc, "form-spam-scorer", lambda t: req(t) * 0.04, lambda t: 0.001, lambda t: 95)
    sc.alarm("crm-forms-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 50, "GreaterThanThreshold", "Hosted forms returning 5xx")
    sc.alarm("crm-forms-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.8, "GreaterThanThreshold")
    sc.alarm("capture-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "forms",
                                                                   "ServiceName": "capture-api"},
             "Average", 60, 5, 90, "GreaterThanThreshold")
    sc.change(T0 - 45, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "form-spam-scorer", "gh-actions-deployer")
    sc.change(-12800, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              "crm-forms-edge", "netops-admin")
    g = "/ecs/forms/capture-api"
    streams = [f"capture/capture-api/{sc.hexid(32)}" for _ in range(4)]
    forms = [("t_1a90", "contact-us"), ("t_33f0", "demo-request"), ("t_7e01", "newsletter"),
             ("t_a2d9", "webinar-0311"), ("t_19aa", "partner-apply")]

    def req_log(t):
        s = sc.rng.choice(streams)
        hot = sc.rng.random() < 7.2 * surge(t) / (1 + 7.2 * surge(t))
        ten, form = ("t_5b72", "spring-sale-2026") if hot else sc.rng.choice(forms)
        rid = f"req-{sc.rng.randint(1, 9 * 10 ** 6):x}"
        url = f"/f/{ten}/{form}/submit"
        if sc.rng.random() < 0.06 * over(t):
            sc.log(g, s, t, pino(sc, t, "warn", "Service Unavailable: event loop delay over threshold",
                                 f"ip-10-3-{s[-2:]}", reqId=rid, eventLoopDelay=round(sc.rng.uniform(1000, 2400), 1),
                                 limit=1000, url=url))
            sc.log(g, s, t + 0.001, pino(sc, t, "info", "request completed", f"ip-10-3-{s[-2:]}", reqId=rid,
                                         res={"statusCode": 503}, responseTime=round(sc.rng.uniform(0.5, 3), 3)))
            return
        if sc.rng.random() < 0.035:
            sc.log(g, s, t, pino(sc, t, "info", "body/email must match format \"email\"", f"ip-10-3-{s[-2:]}",
                                 reqId=rid, res={"statusCode": 400}, url=url))
            return
        rt = sc.rng.uniform(20, 90) * (1 + 25 * over(t) * sc.rng.random())
        sc.log(g, s, t + rt / 1000, pino(sc, t + rt / 1000, "info", "request completed", f"ip-10-3-{s[-2:]}",
                                         reqId=rid, req={"method": "POST", "url": url}, tenant=ten,
                                         res={"statusCode": 201}, responseTime=round(rt, 3)))
    emit(sc, LOG_START, 0, lambda t: 4 * (1 + 2.5 * surge(t)), req_log)
    emit(sc, LOG_START, 0, 0.8, lambda t: sc.log(g, sc.rng.choice(streams), t, pino(
        sc, t, "warn", "recaptcha verification failed", "ip-10-3-77", score=round(sc.rng.uniform(0.0, 0.3), 1),
        tenant=sc.rng.choice(["t_1a90", "t_7e01"]), action="submit")))
    sc.expect_("crm-forms-edge-target-5xx", "traffic_surge", [svc, "capture-api", lb, "crm-forms-edge"],
               [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}])
    del alb
    sc.meta["story"] = (
        "Tenant t_5b72 embeds its `spring-sale-2026` form in a campaign and submissions through crm-forms-edge "
        "go from ~750 to ~6,500 a minute within six minutes. The four capture-api tasks are already at the "
        "autoscaling maximum; CPU rises to ~75-80 % (not pinned), the event loop falls behind and "
        "@fastify/under-pressure starts shedding with 503 `event loop delay over threshold`, while response "
        "time climbs from 60 ms to ~1.8 s. No change touches the service; the form-spam-scorer deploy 45 s "
        "before the alarm is the nearest change, and its invocations rise only because every submission is "
        "scored. Validation 400s and reCAPTCHA warnings are steady background.")
    return sc


def build12() -> S88:
    T0 = -2220
    sc = S88(12, "dedupe-keys", "Contact merge suggestions failing; Errors alarm on the suggester Lambda.",
             "ca-central-1", 8812, "2026-03-03T19:40:00+00:00", {
                 "front": "origin", "services": ["lambda", "rds"],
                 "decoys": "config update of contact-enrichment 100 s before onset; database CPU bump that clears 7 min "
                           "before; `skipped contact with no identifiers` warnings all day",
             })
    fn = "contact-merge-suggester"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=60, memory_size=512)
    sc.resource("lambda", "contact-enrichment", runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("rds", "crm-ca-pg-01", engine="postgres", instance_class="db.r6g.xlarge", max_connections=800,
                allocated_storage_gb=1000)
    bad = lambda t: ramp(t, T0 - 60, T0) * (1 - 0.1 * ramp(t, -900, -300))  # noqa: E731
    inv = lambda t: 16 * diurnal(sc, t, 19, 0.2) + 10 * bad(t)  # noqa: E731
    lam = lam_metrics(sc, fn, inv, lambda t: 0.004 + 0.42 * bad(t), lambda t: 640 - 120 * bad(t))
    lam_metrics(sc, "contact-enrichment", lambda t: 30 * diurnal(sc, t, 19, 0.2), lambda t: 0.01, lambda t: 1300)
    rds_metrics(sc, "crm-ca-pg-01", lambda t: 34 * diurnal(sc, t, 19, 0.2) + bump(t, T0 - 1200, T0 - 700, 30),
                lambda t: 270, lambda t: 612.0, mem_gb=19.0)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3, "GreaterThanThreshold",
             "Merge suggestion failures")
    sc.alarm("crm-ca-pg-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "crm-ca-pg-01"}, "Average",
             300, 1, 60, "GreaterThanThreshold")
    sc.change(T0 - 100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "contact-enrichment", "m.okafor@crmco.ca")
    sc.change(-19100, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "crm-ca-pg15",
              "dba-oncall")
    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 60, mem_used=(96, 6))

    def body(ll, t, rid, is_err, cold):
        imp = is_err or sc.rng.random() < 0.4 * bad(t)
        ten = "t_e510" if imp else sc.rng.choice(["t_0c4e", "t_19aa", "t_5b72", "t_91aa", "t_c3e8"])
        src = "import:imp_Qa71" if imp else sc.rng.choice(["web_form", "api", "mailbox", "import:imp_Lm02"])
        cid = sc.rng.randint(10 ** 7, 9 * 10 ** 7)
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"[MergeSuggester] tenant={ten} contact={cid} source={src}"))]
        if is_err and bad(t) > 0.3:
            lines.append((0.04, jline({
                "errorMessage": "undefined method `downcase' for nil", "errorType": "Function<NoMethodError>",
                "stackTrace": ["/var/task/lib/dedupe/key.rb:14:in `email_domain'",
                               "/var/task/lib/dedupe/key.rb:6:in `for'",
                               "/var/task/lib/merge_suggester.rb:31:in `block in candidates'",
                               "/var/task/lib/merge_suggester.rb:29:in `map'",
                               "/var/task/handler.rb:12:in `handler'"]})))
            return {"dur": sc.rng.uniform(30, 90), "lines": lines}
        if is_err:
            lines.append((0.3, jline({"errorMessage": "execution expired", "errorType": "Function<Timeout::Error>",
                                      "stackTrace": ["/var/task/lib/pg_client.rb:40:in `exec_params'"]})))
            return {"dur": sc.rng.uniform(5000, 5100), "lines": lines}
        if sc.rng.random() < 0.12:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "WARN", f"[MergeSuggester] skipped contact with no identifiers "
                                                              f"(id={cid}, email=nil, phone=nil)")))
        else:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "INFO", f"[MergeSuggester] candidates={sc.rng.randint(0, 6)} "
                                                            f"scored in {sc.rng.randint(80, 600)}ms")))
        return {"dur": sc.rng.uniform(300, 900), "lines": lines}
    ll.run(per_min(lam["inv"]), per_min(lam["err"]), body)
    sc.expect_(f"{fn}-errors", "application_error", [fn],
               [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "Tenant t_e510 runs an import (`import:imp_Qa71`) whose contacts carry an email local part but no "
        "domain. contact-merge-suggester computes a dedupe key from the email domain and raises `NoMethodError: "
        "undefined method 'downcase' for nil` at `lib/dedupe/key.rb:14` for about 40 % of invocations. Nothing "
        "on the function changed within six hours; the database's CPU bump ended about seven minutes before "
        "the errors and its connections and latency are normal; the config update of contact-enrichment 100 s "
        "before is a different function whose metrics do not move. The `skipped contact with no identifiers` "
        "warnings and occasional `Timeout::Error` are long-standing. An unhandled exception triggered by "
        "data, with no change or resource fault, is `application_error`.")
    return sc


BUILDERS = [build11, build12]
