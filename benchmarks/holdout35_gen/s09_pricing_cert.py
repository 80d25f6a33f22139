"""h35-09: the imported TLS certificate on an internal ALB (pricing service) expires at 09:00Z. Callers
fail the TLS handshake; the storefront's public ALB 5XX alarm fires. Quiet cause (no change at all),
front alarm, origin is the internal ALB."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, alb_dims, ecs_dims, first_breach, clamp

FILE = "h35-09-pricing-internal-cert-expiry.yaml"
IALB = "app/internal-pricing/5a7c1e3b9d2f4068"
PALB = "app/storefront-public/e41a6c07b93d2f58"
CERT = "arn:aws:acm:eu-west-3:381492650173:certificate/6f1d2c3b-9a8e-4f70-b5d1-2e0c7a9b4f13"
META = {
    "file": FILE, "region": "eu-west-3", "alarm": "storefront-public-target-5xx",
    "category": "dependency_failure", "resources": ["internal-pricing", IALB], "where": "front (public ALB)",
    "shape": "slow/quiet",
    "decoys": "checkout-web deploy 2 h 10 min before; constant Klarna 422 ERRORs in checkout-web; pricing-svc "
              "itself healthy (its CPU drops because traffic stops reaching it)",
    "story": (
        "checkout-web (ECS, Node) and the cart-pricing-sync Lambda call https://pricing.internal.acme-corp.net, "
        "the internal-pricing ALB, whose HTTPS listener uses an imported certificate valid until 09:00Z today "
        "(ACM sent its daily `ACM Certificate Approaching Expiration` event, DaysToExpiry 1, overnight). At "
        "09:00Z, as pooled connections recycle, both callers fail the handshake (`certificate has expired` / "
        "`CERT_HAS_EXPIRED`, `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has "
        "expired`): the internal ALB's ClientTLSNegotiationErrorCount jumps while its RequestCount collapses, "
        "pricing-svc's targets stay healthy and only see health checks, and checkout-web returns 502 for cart "
        "and checkout pages. The checkout-web deploy was 2 h earlier and the Lambda (not deployed) fails "
        "identically; the Klarna 422s run at the same rate all morning. Label: dependency_failure, origin the "
        "internal-pricing ALB (its expired listener certificate), not the storefront."),
}


def build():
    now = dt.datetime(2026, 6, 9, 9, 47, tzinfo=dt.timezone.utc)
    s = Scenario("h35-09-pricing-internal-cert-expiry", "eu-west-3",
                 "Storefront cart and checkout pages failing since about 09:00 UTC; public ALB 5XX alarm.",
                 seed=3509, now=now, window_h=10, tz_offset_h=2)
    exp = -47 * 60
    s.resource("alb", IALB, name="internal-pricing", scheme="internal", dns="pricing.internal.acme-corp.net",
               listeners=[{"port": 443, "protocol": "HTTPS", "certificate_arn": CERT,
                           "certificate_type": "IMPORTED", "certificate_not_after": "2026-06-09T09:00:00Z"}],
               target_groups=["pricing-svc-tg"])
    s.resource("alb", PALB, name="storefront-public", scheme="internet-facing", target_groups=["checkout-web-tg"])
    s.resource("ecs", "storefront/pricing-svc", cluster="storefront", service="pricing-svc", desired_count=3,
               log_groups=["/ecs/pricing-svc"])
    s.resource("ecs", "storefront/checkout-web", cluster="storefront", service="checkout-web", desired_count=6,
               runtime="node20", log_groups=["/ecs/checkout-web"])
    s.resource("lambda", "cart-pricing-sync", runtime="python3.12", timeout=60, memory_size=512,
               trigger="EventBridge Scheduler rate(1 minute)")

    mins = list(range(s.start, 0, 60))
    pub = {t: 4200 * s.diurnal(t, 0.12, 15) * (1 + s.g(0, 0.04)) for t in mins}
    frac = {t: clamp((t - exp + 60) / 300.0, 0, 1) if t >= exp else 0.0 for t in mins}
    ireq = {t: pub[t] * 0.42 * (1 + s.g(0, 0.03)) + 60 for t in mins}
    tls = {t: int(ireq[t] * frac[t] * 0.55 * (1 + s.g(0, 0.05))) for t in mins}
    served = {t: ireq[t] * (1 - 0.97 * frac[t]) for t in mins}
    p5 = {t: s.pois(1) + s.pois(pub[t] * 0.34 * frac[t]) for t in mins}
    a = alb_dims(IALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: served[t], nd=0)
    s.metric("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", a, "Count", lambda t: tls[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds", lambda t: 0.006 + abs(s.g(0, 0.001)))
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: s.pois(0.1), nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: 0, nd=0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 3, nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count", lambda t: 0, nd=0)
    b = alb_dims(PALB)
    s.metric("AWS/ApplicationELB", "RequestCount", b, "Count", lambda t: pub[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", b, "Count", lambda t: p5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", b, "Count", lambda t: s.pois(pub[t] * 0.01), nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", b, "Seconds",
             lambda t: 0.14 + 0.03 * s.diurnal(t) + abs(s.g(0, 0.01)) - 0.04 * frac[t])
    s.metric("AWS/ApplicationELB", "HealthyHostCount", b, "Count", lambda t: 6, nd=0)
    dep = -130 * 60
    for svc, c0 in (("pricing-svc", 9), ("checkout-web", 14)):
        e = ecs_dims("storefront", svc)
        if svc == "pricing-svc":
            s.metric("AWS/ECS", "CPUUtilization", e, "Percent",
                     lambda t: max(1.5, (c0 + 24 * s.diurnal(t, 0.12, 15)) * (1 - 0.93 * frac[t]) + s.g(0, 1)))
        else:
            s.metric("AWS/ECS", "CPUUtilization", e, "Percent",
                     lambda t: c0 + 20 * s.diurnal(t, 0.12, 15) + s.g(0, 1.5) + (15 if dep <= t < dep + 240 else 0))
        s.metric("AWS/ECS", "MemoryUtilization", e, "Percent", lambda t: 46 + s.g(0, 0.7))
    fn_err = {t: 1 if t >= exp + 30 else 0 for t in mins}
    lambda_metrics(s, "cart-pricing-sync", lambda t: 1, lambda t: fn_err[t], lambda t: 0,
                   lambda t: (4200 + s.g(0, 300)) if not fn_err[t] else 380 + s.g(0, 30), lambda t: 1)

    # ---- logs ---------------------------------------------------------------------------------
    def pino(t, level, msg, host, **extra):
        ex = "".join(f',"{k}":{v}' for k, v in extra.items())
        return (t, f'{{"level":{level},"time":{s.ms(t)},"pid":1,"hostname":"{host}"{ex},"msg":"{msg}"}}')

    log_from = -5 * 3600
    for k in range(2):
        host = f"ip-10-60-{s.rng.randint(1, 9)}-{s.rng.randint(2, 250)}.eu-west-3.compute.internal"
        ev = []
        start = dep + 75 if k == 0 else log_from
        if k == 0:
            ev.append(pino(start - 2, 30, "checkout-web 8.14.0 listening on :3000", host))
        for t in s.times(lambda t: 9 * s.diurnal(t, 0.12, 15), start=max(start, log_from)):
            m = t - t % 60
            rid = f'"req-{s.alnum(6, "abcdefghijklmnopqrstuvwxyz0123456789")}"'
            path = s.pick(["/cart", "/checkout", "/p/%d", "/api/cart/items", "/"], [0.25, 0.12, 0.4, 0.15, 0.08])
            path = path % s.rng.randint(10000, 99999) if "%d" in path else path
            needs_price = path.startswith(("/cart", "/checkout", "/api/cart"))
            if needs_price and s.rng.random() < frac[m] * 0.97:
                sku = s.rng.randint(100000, 999999)
                ev.append(pino(t, 50, f"pricing lookup failed: GET https://pricing.internal.acme-corp.net/v2/price?sku={sku}",
                               host, reqId=rid, err='{"type":"Error","message":"certificate has expired","stack":"Error: '
                               'certificate has expired\\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)\\n    '
                               'at TLSSocket.emit (node:events:519:28)\\n    at TLSSocket._finishInit (node:_tls_wrap:'
                               '1085:8)\\n    at ssl.onhandshakedone (node:_tls_wrap:871:12)","code":"CERT_HAS_EXPIRED"}'))
                ev.append(pino(t + 0.004, 30, "request completed", host, reqId=rid,
                               res='{"statusCode":502}', responseTime=round(8 + s.rng.random() * 10, 1),
                               req=f'{{"method":"GET","url":"{path}"}}'))
                continue
            if s.rng.random() < 0.015:
                ev.append(pino(t, 50, "klarna session create failed", host, reqId=rid,
                               err='{"type":"HTTPError","message":"Response code 422 (Unprocessable Entity)",'
                                   '"code":"ERR_NON_2XX_3XX_RESPONSE"}'))
            ev.append(pino(t + 0.09, 30, "request completed", host, reqId=rid, res='{"statusCode":200}',
                           responseTime=round(60 + s.rng.random() * 120, 1), req=f'{{"method":"GET","url":"{path}"}}'))
        s.log("/ecs/checkout-web", f"checkout-web/checkout-web/{s.hexid(32)}", ev)

    ev = []
    for t in s.times(lambda t: 7 * s.diurnal(t, 0.12, 15), start=log_from, end=exp + 240):
        if s.rng.random() < frac.get(t - t % 60, 0):
            continue
        ev.append((t, f"{s.iso(t)} INFO  pricing-svc  GET /v2/price sku={s.rng.randint(100000, 999999)} 200 "
                      f"{s.rng.randint(2, 9)}ms cache={s.pick(['hit', 'hit', 'hit', 'miss'])}"))
    for t in range(log_from + 7, 0, 30):
        ev.append((t + s.rng.random(), f"{s.iso(t)} INFO  pricing-svc  GET /healthz 200 0ms ua=ELB-HealthChecker/2.0"))
    s.log("/ecs/pricing-svc", f"pricing-svc/pricing-svc/{s.hexid(32)}", ev)

    ll = LambdaLog(s, 512, runtime="python")
    ev = []
    for t in range(log_from, 0, 60):
        a_ = t + 0.4 + s.rng.random()
        body = [(0.01, "info", "syncing cart prices batch=250 endpoint=https://pricing.internal.acme-corp.net/v2/price/batch")]
        if t >= exp + 30:
            _, blk = ll.invoke(a_, 380 + s.rng.random() * 60, 88, body, after_end=[
                "[ERROR] SSLError: HTTPSConnectionPool(host='pricing.internal.acme-corp.net', port=443): Max retries "
                "exceeded with url: /v2/price/batch (Caused by SSLError(SSLCertVerificationError(1, '[SSL: "
                "CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1000)')))\n"
                "Traceback (most recent call last):\n  File \"/var/task/sync.py\", line 52, in handler\n    resp = "
                "session.post(PRICING_URL, json=batch, timeout=10)"])
        else:
            body.append((4.0, "info", f"updated {s.rng.randint(180, 250)} cart lines"))
            _, blk = ll.invoke(a_, 4100 + s.rng.random() * 300, 91, body)
        ev.extend(blk)
    s.log("/aws/lambda/cart-pricing-sync", stream_name(s, log_from), ev)
    acm_t = -(9 * 3600 + 29 * 60)
    s.log("/aws/events/acm", "acm-expiry-notifications", [
        (acm_t, '{"version":"0","id":"' + s.uid() + '","detail-type":"ACM Certificate Approaching Expiration",'
                '"source":"aws.acm","account":"381492650173","time":"' + s.iso(acm_t, 0) + '","region":"eu-west-3",'
                '"resources":["' + CERT + '"],"detail":{"DaysToExpiry":1,"CommonName":"pricing.internal.acme-corp.net"}}')])

    s.change(dep - 40, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-web:519",
             "github-actions-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/checkout-web",
             "github-actions-deployer")
    when = first_breach(p5, 60, 3, 40, ">")
    s.alarm("storefront-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", b, "Sum", 60, 3, 40,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (40.0).",
            min(when or -2400, -60), description="storefront targets returning 5xx")
    s.expect = {"alarm": "storefront-public-target-5xx",
                "root_cause": {"category": "dependency_failure", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "ClientTLSNegotiationErrorCount",
                               "dimensions": a},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": b}]}
    return s
