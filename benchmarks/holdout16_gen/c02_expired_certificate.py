"""h16-02: the certificate on an internal API's load balancer expires; callers fail the TLS handshake."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, hourly_bumps, jitter, step
from .logfmt import alb_line, java_trace, poisson_times, spring

META = {
    "file": "h16-02-expired-cert-internal-api",
    "postmortem": "expired TLS certificate on a downstream API (manually uploaded certificate nobody renewed)",
    "side": "front (public ALB 5XX; origin is the internal ALB)",
    "decoys": "ledger-sync deploy 9 min before; hourly rate-refresh CPU spike on the fx-rates hosts (also at "
              "onset); slow-query warnings at a steady rate",
    "story": (
        "At 14:00:00 UTC the IAM server certificate on the HTTPS listener of the internal load balancer "
        "fx-rates-internal reaches its NotAfter date. invoice-api (Java) fails every FX lookup with "
        "SSLHandshakeException ... CertificateExpiredException: NotAfter: Tue Apr 14 14:00:00 UTC 2026, so invoice "
        "previews and creations return 502 and the public billing-web ALB's target 5XX alarm fires. The internal "
        "ALB shows ClientTLSNegotiationErrorCount jumping from 0 to its whole request rate while RequestCount "
        "collapses; its targets stay healthy and their app logs simply stop receiving rate requests (health checks "
        "still pass). The fault originates at fx-rates-internal (an in-account dependency that is up but "
        "presents an expired certificate): dependency_failure. The ledger-sync deploy and the hourly CPU spike on "
        "the fx hosts (visible every hour of the window) are unrelated."),
}

FX_ALB = "app/fx-rates-internal/1c2d3e4f5a6b7c8d"
WEB_ALB = "app/billing-web/7f3e1a2b9c4d5e60"
FX_HOSTS = {"i-0f1e2d3c4b5a69788": "fx-rates-1", "i-0a9b8c7d6e5f40312": "fx-rates-2"}
FX_URL = "https://fx-rates.internal.northwind-pay.com/v2/rates"
PAIRS = ["EUR/USD", "EUR/GBP", "EUR/CHF", "EUR/PLN", "EUR/SEK", "USD/EUR", "GBP/EUR"]


def _fx_error(sc: Scenario, pair: str) -> str:
    return java_trace(
        f'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "{FX_URL}/{pair}": '
        "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
        ["org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)",
         "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)",
         "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:790)",
         "org.springframework.web.client.RestTemplate.getForObject(RestTemplate.java:380)",
         "com.northwind.billing.fx.FxRatesClient.rate(FxRatesClient.java:64)",
         "com.northwind.billing.invoice.InvoiceService.convert(InvoiceService.java:211)",
         "com.northwind.billing.invoice.InvoiceService.preview(InvoiceService.java:97)",
         "com.northwind.billing.api.InvoiceController.preview(InvoiceController.java:58)"],
        [("javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
          "java.security.cert.CertPathValidatorException: validity check failed",
          ["java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
           "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
           "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts("
           "CertificateMessage.java:1357)"], 41),
         ("java.security.cert.CertPathValidatorException: validity check failed",
          ["java.base/sun.security.provider.certpath.PKIXMasterCertPathValidator.validate("
           "PKIXMasterCertPathValidator.java:135)"], 52),
         ("java.security.cert.CertificateExpiredException: NotAfter: Tue Apr 14 14:00:00 UTC 2026",
          ["java.base/sun.security.x509.CertificateValidity.valid(CertificateValidity.java:277)",
           "java.base/sun.security.x509.X509CertImpl.checkValidity(X509CertImpl.java:675)"], 58)])


def build(seed: int) -> Scenario:
    sc = Scenario("h16-02-expired-cert-internal-api",
                  "Billing portal returning 502 on invoice preview and create; billing-web target 5XX alarm.",
                  "eu-central-1", seed, dt.datetime(2026, 4, 14, 14, 35))
    O = -2100.0
    on = step(O)
    day = daily(sc, peak_hour=13, depth=0.4)
    sc.resource("alb", WEB_ALB, name="billing-web", scheme="internet-facing", listeners=["HTTPS:443"],
                target_groups=["billing-invoice-api"], dns_name="billing-web-1870243311.eu-central-1.elb.amazonaws.com")
    sc.resource("ecs", "billing/invoice-api", desired_count=4, launch_type="FARGATE", cpu=1024, memory=2048,
                image="412381735210.dkr.ecr.eu-central-1.amazonaws.com/invoice-api:2026.04.09-1",
                task_role="invoice-api-task", log_groups=["/ecs/invoice-api"])
    sc.resource("ecs", "billing/ledger-sync", desired_count=2, launch_type="FARGATE", cpu=512, memory=1024,
                image="412381735210.dkr.ecr.eu-central-1.amazonaws.com/ledger-sync:2026.04.14-2",
                log_groups=["/ecs/ledger-sync"])
    sc.resource("alb", FX_ALB, name="fx-rates-internal", scheme="internal", listeners=["HTTPS:443"],
                target_groups=["fx-rates"], listener_certificate="arn:aws:iam::412381735210:server-certificate/"
                "fx-rates-internal-2025", dns_name="internal-fx-rates-internal-402931177.eu-central-1.elb.amazonaws.com")
    for iid, name in FX_HOSTS.items():
        sc.resource("ec2", iid, name=name, instance_type="t3.medium", log_groups=["/var/log/fx-rates/app"])

    # --- public ALB and invoice-api ---------------------------------------------------------------------
    req = counts(sc, 880 * day)
    fx_share = 0.33
    t5 = counts(sc, 0.3) + np.round(req * fx_share * on * jitter(sc, 1.0, 0.05))
    rt = jitter(sc, 0.118, 0.07) + on * 0.012
    aws.alb_metrics(sc, WEB_ALB, req, t5, rt, healthy=4, t4xx=counts(sc, 9 * day))
    aws.ecs_metrics(sc, "billing", "invoice-api", jitter(sc, 27 * day + 4, 0.06), jitter(sc, 56, 0.02),
                    running=4, desired=4)
    aws.ecs_metrics(sc, "billing", "ledger-sync", jitter(sc, 11, 0.15) + step(O - 540) * 1.5,
                    jitter(sc, 38, 0.03), running=2, desired=2)
    # --- internal fx ALB -----------------------------------------------------------------------------------
    fx_calls = counts(sc, 560 * day)
    fx_req = np.where(TIMES < O, fx_calls, counts(sc, 2.5))
    tls_err = np.where(TIMES < O, 0, fx_calls)
    aws.alb_metrics(sc, FX_ALB, fx_req, np.zeros(N), jitter(sc, 0.007, 0.1), healthy=2,
                    extra={"ClientTLSNegotiationErrorCount": tls_err,
                           "NewConnectionCount": np.where(TIMES < O, counts(sc, 45), fx_calls * 0.98)})
    bump = hourly_bumps(sc, 0, 3, 1.0)
    for iid in FX_HOSTS:
        cpu = np.where(bump > 1, 52 + sc.rng.normal(0, 4, N), jitter(sc, 9 + 5 * day, 0.1) * (1 - 0.3 * on))
        aws.ec2_metrics(sc, iid, cpu, 2.1 * day * (1 - 0.85 * on) + 0.2, mem_pct=jitter(sc, 37, 0.02),
                        disk_pct=jitter(sc, 31, 0.002))

    # --- logs ----------------------------------------------------------------------------------------------
    ev = []
    for t in poisson_times(sc, 7 * day, -9000):
        thr = f"nio-8080-exec-{int(sc.rng.integers(1, 40))}"
        cust = f"cus_{sc.hexid(8)}"
        if t >= O and sc.rng.random() < 0.62:
            pair = sc.pick(PAIRS)
            ev.append((t, spring(sc, t, "ERROR", "invoice-api", thr, "c.n.billing.fx.FxRatesClient",
                                 f"FX rate lookup failed for {pair}\n{_fx_error(sc, pair)}")))
            ev.append((t + 0.004, spring(sc, t + 0.004, "WARN", "invoice-api", thr,
                                         "c.n.billing.api.ErrorAdvice",
                                         "502 BAD_GATEWAY returned for POST /v1/invoices/preview: "
                                         "upstream fx-rates unavailable")))
            continue
        inv = f"INV-2026-{int(sc.rng.integers(40000, 99999)):06d}"
        ev.append((t, spring(sc, t, "INFO", "invoice-api", thr, "c.n.billing.invoice.InvoiceService",
                             f"Created invoice {inv} for {cust} total={sc.rng.uniform(20, 9000):.2f} "
                             f"{sc.pick(['EUR', 'EUR', 'USD', 'GBP'])}")))
    for t in poisson_times(sc, 0.25, -9000):
        ms = int(sc.rng.integers(1010, 2400))
        ev.append((t, spring(sc, t, "WARN", "invoice-api", f"nio-8080-exec-{int(sc.rng.integers(1, 40))}",
                             "o.h.engine.internal.StatisticalLoggingSessionEventListener",
                             f"Slow query ({ms} ms): select il1_0.id,il1_0.amount from invoice_lines il1_0 "
                             f"where il1_0.invoice_id=?")))
    for t in poisson_times(sc, 0.06, -9000):
        ev.append((t, spring(sc, t, "WARN", "invoice-api", "webhook-retry-1", "c.n.billing.webhook.Dispatcher",
                             f"Webhook delivery to https://hooks.{sc.pick(['acme-erp', 'tallyco', 'ledgr'])}.io "
                             f"failed with 503, retry 1/5 in 30s")))
    sc.log_split("/ecs/invoice-api", sc.task_streams("invoice-api", 4), ev)
    _alb_access(sc, O, day)
    _fx_host_logs(sc, O, day)
    _ledger_sync_logs(sc, O - 540)
    sc.change(O - 560, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "ledger-sync:311", "github-actions-deploy")
    sc.change(O - 540, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/ledger-sync",
              "github-actions-deploy")
    sc.change(-19500, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "billing-invoice-api", "tf-platform")
    lb = {"LoadBalancer": WEB_ALB}
    sc.alarm_on("billing-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, t5, "Sum", 60,
                3, 50, "GreaterThanThreshold", description="billing-web targets returning 5XX")
    sc.alarm("fx-rates-internal-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"LoadBalancer": FX_ALB}, "Maximum", 60, 2, 0, "GreaterThanThreshold", "OK", -250000)
    sc.set_expect("billing-web-target-5xx", "dependency_failure", [FX_ALB, "fx-rates-internal"],
                  [("AWS/ApplicationELB", "ClientTLSNegotiationErrorCount", {"LoadBalancer": FX_ALB}),
                   ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)])
    return sc


def _alb_access(sc: Scenario, O: float, day: np.ndarray) -> None:
    tg = "arn:aws:elasticloadbalancing:eu-central-1:412381735210:targetgroup/billing-invoice-api/6d0ecf831eec9f09"
    ua = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
          "billing-sdk-python/3.2.0"]
    ev = []
    for t in poisson_times(sc, 9 * day, -9000):
        target = f"10.40.{int(sc.rng.integers(10, 14))}.{int(sc.rng.integers(5, 250))}:8080"
        path = sc.pick(["/v1/invoices/preview", "/v1/invoices", "/v1/invoices/INV-2026-0%d" % sc.rng.integers(40000, 99999),
                        "/v1/customers/cus_%s" % sc.hexid(8), "/v1/payments"], p=[0.2, 0.15, 0.35, 0.2, 0.1])
        method = "POST" if path in ("/v1/invoices/preview", "/v1/invoices") else "GET"
        fail = t >= O and method == "POST" and sc.rng.random() < 0.85
        status = 502 if fail else (201 if method == "POST" else 200)
        tt = sc.rng.uniform(0.01, 0.03) if fail else sc.rng.gamma(3, 0.04)
        ev.append((t, alb_line(sc, t, WEB_ALB, target, method, f"https://billing.northwind-pay.com:443{path}",
                               status, status, 0.001, tt, 0.0, tg, sc.pick(ua), int(sc.rng.integers(300, 2400)),
                               int(sc.rng.integers(200, 9000)))))
    sc.log("/alb/billing-web/access", "billing-web", ev)


def _fx_host_logs(sc: Scenario, O: float, day: np.ndarray) -> None:
    for iid in FX_HOSTS:
        ev = []
        for t in poisson_times(sc, 10 * day * np.where(TIMES < O, 1, 0.004), -9000):
            pair = sc.pick(PAIRS)
            ev.append((t, f"{sc.iso(t)} INFO  http: GET /v2/rates/{pair} 200 {sc.rng.uniform(0.6, 4):.1f}ms "
                          f"src={sc.ip('10.40')}"))
        for t in np.arange(-9000 + sc.rng.uniform(0, 30), -1, 30.0):
            ev.append((t, f"{sc.iso(t)} DEBUG http: GET /health 200 0.2ms src=10.40.2.{int(sc.rng.integers(5, 250))} "
                          f"ua=ELB-HealthChecker/2.0"))
        for t in (O - 3600 * k for k in range(3)):
            if -9000 <= t < 0:
                took = sc.rng.uniform(36, 48)
                ev.append((t + 1, f"{sc.iso(t + 1)} INFO  refresh: fetching reference rates from ECB feed"))
                ev.append((t + took, f"{sc.iso(t + took)} INFO  refresh: 168 pairs updated in {took:.1f}s"))
        sc.log("/var/log/fx-rates/app", iid, ev)


def _ledger_sync_logs(sc: Scenario, deploy: float) -> None:
    ev = []
    for t in np.arange(-9000 + sc.rng.uniform(0, 60), -1, 60.0):
        if abs(t - deploy - 30) < 30:
            ev.append((t, spring(sc, t, "INFO", "ledger-sync", "main", "c.n.ledger.LedgerSyncApplication",
                                 "Started LedgerSyncApplication in 7.412 seconds (process running for 8.06)")))
        n = int(sc.rng.integers(20, 160))
        ev.append((t + 0.5, spring(sc, t + 0.5, "INFO", "ledger-sync", "scheduling-1", "c.n.ledger.SyncJob",
                                   f"Synced {n} journal entries to GL (batch {sc.hexid(8)})")))
    sc.log("/ecs/ledger-sync", "ledger-sync/ledger-sync/1f0e9d8c7b6a45f3a2b1c0d9e8f7a6b5", ev)
