"""h58-03 (secret moved to a new KMS key) and h58-04 (internal listener certificate swap)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import LambdaLogs, clef, zap


# =========================================================================== 03
def s03() -> Scenario:
    sc = Scenario(3, "member-portal-secret-kms", "Member portal API returning 502s; API Gateway "
                  "5XX alarm fired.", "ap-southeast-2", 5803, "2026-06-02T03:40:00+00:00")
    K = -2760            # secret re-encrypted under a new customer managed key
    api, fn, fb = "member-portal", "profile-svc", "avatar-thumbs"
    sc.resource("apigateway", api, api_id="k3x9q2m7ab", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512,
                environment_keys=["DB_SECRET_ID", "SECRET_CACHE_TTL", "LOG_LEVEL"])
    sc.resource("lambda", fb, runtime="python3.12", timeout=60, memory_size=1536)
    frac = lambda t: ramp(t, K + 60, K + 660)  # noqa: E731  per-environment 10-minute secret cache
    inv = sc.series(lambda t: 46 * diurnal(sc, t, 2), integer=True)
    err = [float(round(v * frac(t))) for t, v in zip(GRID, inv)]
    dur = sc.series(lambda t: 66 + 110 * frac(t), noise=0.1)
    B.lambda_metrics(sc, fn, inv, err, dur, conc=sc.series(lambda t: 1.8, noise=0.3, digits=0))
    e4 = sc.series(lambda t: 7.5 * diurnal(sc, t, 2), integer=True)
    apiw = B.apigw_metrics
    apiw(sc, api, [v + 3 for v in inv], e4, [e + float(sc.rng.random() < 0.05) for e in err],
         sc.series(lambda t: 96 + 120 * frac(t), noise=0.12),
         sc.series(lambda t: 74 + 115 * frac(t), noise=0.12))
    ib = sc.series(lambda t: 11, integer=True)
    eb = sc.series(lambda t: 1.6, integer=True)
    B.lambda_metrics(sc, fb, ib, eb, sc.series(lambda t: 2400 + bump(t, -2400, -1500, 600), noise=0.15))

    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, mem_used=(96, 5), life=(900, 2400))
    tb = ('[ERROR] ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue '
          'operation: Access to KMS is not allowed\nTraceback (most recent call last):\n'
          '  File "/var/task/app/handler.py", line 38, in handler\n    creds = secrets.db_credentials()\n'
          '  File "/var/task/app/secrets.py", line 27, in db_credentials\n'
          '    raw = _cache.get_secret_string(os.environ["DB_SECRET_ID"])\n'
          '  File "/var/task/aws_secretsmanager_caching/secret_cache.py", line 97, in get_secret_string\n'
          '    secret = self._get_cached_secret(secret_id).get_secret_value(version_stage)\n'
          '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 1023, in _make_api_call\n'
          '    raise error_class(parsed_response, operation_name)')

    def body(l, t, rid, is_err, cold):
        uid = f"u_{sc.hexid(10)}"
        path = sc.rng.choice(["GET /v1/profile", "GET /v1/profile/preferences", "PATCH /v1/profile"])
        if is_err:
            return {"dur": sc.rng.gauss(170, 30), "lines": [
                (0.002, l.fmt(t + 0.002, rid, "INFO", f"{path} sub={uid}")),
                (0.15, f"{tb}\n")]}
        lines = [(0.002, l.fmt(t + 0.002, rid, "INFO", f"{path} sub={uid}"))]
        if sc.rng.random() < 0.15:
            lines.append((0.01, l.fmt(t + 0.01, rid, "WARNING", f"JWT expired for sub={uid} "
                                      f"(exp {sc.rng.randint(2, 90)} min ago); responding 401")))
        else:
            lines.append((0.05, l.fmt(t + 0.05, rid, "INFO", f"200 {path} in {sc.rng.randint(30, 90)} ms")))
        return {"dur": sc.rng.gauss(64, 12), "lines": lines}
    ll.run(B.sample(inv, 5), B.scaled(inv, err, 5), body)

    tl = LambdaLogs(sc, fb, "python3.12", 1536, 60, mem_used=(610, 40))

    def body_b(l, t, rid, is_err, cold):
        key = f"avatars/raw/{sc.hexid(12)}.{sc.rng.choice(['jpg', 'png', 'heic'])}"
        if is_err:
            return {"dur": 300, "lines": [(0.2, f"[ERROR] UnidentifiedImageError: cannot identify image file "
                                          f"<_io.BytesIO object at 0x7f{sc.hexid(10)}>\nTraceback (most recent call last):\n"
                                          f'  File "/var/task/thumbs.py", line 52, in handler\n    img = Image.open(io.BytesIO(body))\n')]}
        return {"dur": sc.rng.gauss(2400, 400), "lines": [(1.9, l.fmt(t + 1.9, rid, "INFO", f"wrote 3 thumbnails for s3://member-media-prd/{key}"))]}
    tl.run(B.sample(ib, 3), B.scaled(ib, eb, 3), body_b)

    eg, es = "API-Gateway-Execution-Logs_k3x9q2m7ab/prod", sc.hexid(32)
    B.emit(sc, eg, es, lambda t: min(6, 46 * frac(t)), lambda t: (
        f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: An error occurred "
        f"(AccessDeniedException) when calling the GetSecretValue operation: Access to KMS is not allowed. "
        f"Lambda request id: {sc.uuid()}"), t0=K)
    B.emit(sc, eg, es, lambda t: 0.05, lambda t: (
        f"({sc.uuid()}) Execution failed due to a timeout error"))

    sc.change(-12000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "terraform-platform")
    sc.change(K - 300, "kms.amazonaws.com", "CreateKey", "AWS::KMS::Key", "f3a1c9e2-7b44-4d1e-9a0c-5e2b8d61a7f0",
              "platform-secops")
    sc.change(K - 290, "kms.amazonaws.com", "CreateAlias", "AWS::KMS::Alias", "alias/app-secrets-2026", "platform-secops")
    sc.change(K, "secretsmanager.amazonaws.com", "UpdateSecret", "AWS::SecretsManager::Secret",
              "prod/profile-svc/postgres", "platform-secops")
    sc.change(K + 12, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
              "prod/profile-svc/postgres", "platform-secops")
    sc.change(-2420, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "ci-portal")
    sc.change(-2410, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "ci-portal")
    sc.alarm("member-portal-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Member portal API server errors")
    sc.alarm("member-portal-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 80,
             "GreaterThanThreshold")
    sc.alarm("avatar-thumbs-errors", "AWS/Lambda", "Errors", {"FunctionName": fb}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "member-portal-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    return sc


# =========================================================================== 04
def s04() -> Scenario:
    sc = Scenario(4, "checkout-ledger-chain", "Checkout failing for a share of customers; public "
                  "load balancer target 5XX alarm.", "us-east-1", 5804, "2026-07-21T19:05:00+00:00")
    E = -2460            # listener certificate replaced
    D = -2280            # checkout-web .NET 8 rollout
    pub, intl = "app/shop-public/3e9b0c7d51a24f86", "app/ledger-internal/0d6a2f9c4b1e7358"
    cl = "payments"
    sc.resource("alb", pub, name="shop-public", scheme="internet-facing")
    sc.resource("alb", intl, name="ledger-internal", scheme="internal",
                listeners=["HTTPS:443 -> ledger-api-tg"], dns="ledger.internal.corp")
    sc.resource("ecs", f"{cl}/checkout-web", desired_count=3, launch_type="FARGATE", image="checkout-web:5.4.0")
    sc.resource("ecs", f"{cl}/ledger-api", desired_count=2, launch_type="FARGATE", image="ledger-api:1.19.2")
    req = sc.series(lambda t: 1380 * diurnal(sc, t, 20), integer=True)
    t5 = sc.series(lambda t: 1.2 + 44 * ramp(t, E, E + 60) * diurnal(sc, t, 20), integer=True)
    B.alb_metrics(sc, pub, req, sc.series(lambda t: 0.16 + bump(t, D, D + 240, 0.05, 30), noise=0.08, digits=4), t5,
                  sc.series(lambda t: 0.3 + bump(t, D + 60, D + 200, 2, 30), integer=True),
                  sc.series(lambda t: 3 + bump(t, D + 30, D + 240, 1, 10), digits=0, noise=0.0),
                  sc.series(lambda t: bump(t, D + 60, D + 120, 1, 10), digits=0, noise=0.0))
    ireq = sc.series(lambda t: (540 * diurnal(sc, t, 20)) * (1 - ramp(t, E, E + 60)) + 24, integer=True)
    tls = sc.series(lambda t: 520 * ramp(t, E, E + 60) * diurnal(sc, t, 20), integer=True)
    B.alb_metrics(sc, intl, ireq, sc.series(lambda t: 0.014, noise=0.1, digits=4), B.flat(0), B.flat(0),
                  B.flat(2), B.flat(0), extra=[("ClientTLSNegotiationErrorCount", "Count", tls)])
    B.ecs_metrics(sc, cl, "checkout-web", sc.series(lambda t: 34 * diurnal(sc, t, 20) + bump(t, D, D + 180, 30, 30), noise=0.06),
                  sc.series(lambda t: 47 - 6 * ramp(t, D, D + 200), noise=0.02))
    B.ecs_metrics(sc, cl, "ledger-api", sc.series(lambda t: 22 * (1 - 0.9 * ramp(t, E, E + 60)) + 3, noise=0.06),
                  sc.series(lambda t: 29, noise=0.02))

    # ---- checkout-web (.NET, Serilog compact JSON); old tasks .NET 6, new tasks .NET 8
    lg = "/ecs/checkout-web"
    old = [f"web/checkout-web/{B.ecs_task_id(sc)}" for _ in range(3)]
    new = [f"web/checkout-web/{B.ecs_task_id(sc)}" for _ in range(3)]
    for i, st in enumerate(new):
        t0 = D + 45 + 20 * i
        for k, (tmpl, props) in enumerate([
                ("Starting checkout-web {Version} on {Framework}", {"Version": "5.4.0", "Framework": ".NET 8.0.7"}),
                ("Now listening on: {address}", {"address": "http://[::]:8080", "SourceContext": "Microsoft.Hosting.Lifetime"}),
                ("Application started. Press Ctrl+C to shut down.", {"SourceContext": "Microsoft.Hosting.Lifetime"}),
                ("Hosting environment: {EnvName}", {"EnvName": "Production", "SourceContext": "Microsoft.Hosting.Lifetime"})]):
            sc.log(lg, st, t0 + k * 0.4, clef(sc, t0 + k * 0.4, "Information", tmpl, **props))
    for st in old:
        sc.log(lg, st, D + 200, clef(sc, D + 200, "Information", "Application is shutting down...",
                                     SourceContext="Microsoft.Hosting.Lifetime"))
    exc = ("System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n"
           " ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because "
           "of errors in the certificate chain: PartialChain\n   at System.Net.Security.SslStream.SendAuthResetSignal"
           "(ReadOnlySpan`1 alert, ExceptionDispatchInfo exception)\n   at System.Net.Security.SslStream."
           "CompleteHandshake(SslAuthenticationOptions sslAuthenticationOptions)\n   at System.Net.Http."
           "ConnectHelper.EstablishSslConnectionAsync(SslClientAuthenticationOptions sslOptions, HttpRequestMessage "
           "request, Boolean async, Stream stream, CancellationToken cancellationToken)\n   --- End of inner "
           "exception stack trace ---\n   at Checkout.Ledger.LedgerClient.PostAsync(LedgerPosting posting, "
           "CancellationToken ct) in /src/Checkout/Ledger/LedgerClient.cs:line 58")

    def line(t):
        oid, rp = f"ord_{sc.hexid(12)}", "/api/checkout/complete"
        r = sc.rng.random()
        if t >= E and r < 0.6:
            el = sc.rng.uniform(18, 60)
            return [(0, clef(sc, t, "Error", "Posting ledger entries for order {OrderId} failed", exc, OrderId=oid,
                             SourceContext="Checkout.Ledger.LedgerClient", RequestPath=rp)),
                    (0.002, clef(sc, t + 0.002, "Error", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                                 RequestMethod="POST", RequestPath=rp, StatusCode=500, Elapsed=round(el, 4),
                                 SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware"))]
        if r > 0.93:
            return clef(sc, t, "Error", "Idempotency key conflict for cart {CartId}; returning cached result",
                        CartId=f"c_{sc.hexid(10)}", SourceContext="Checkout.Api.IdempotencyFilter")
        if r > 0.85:
            return clef(sc, t, "Warning", "Payment method {Method} declined by issuer: {Code}", Method="card",
                        Code=sc.rng.choice(["insufficient_funds", "do_not_honor", "expired_card"]),
                        SourceContext="Checkout.Payments.CardProcessor")
        return clef(sc, t, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                    RequestMethod="POST", RequestPath=rp, StatusCode=200, Elapsed=round(sc.rng.uniform(90, 260), 4),
                    SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware")
    for st in old:
        B.emit(sc, lg, st, lambda t: 2.2, line, t1=D + 200)
    for st in new:
        B.emit(sc, lg, st, lambda t: 2.2, line, t0=D + 50)

    # ---- ledger-api (Go, zap JSON)
    la = "/ecs/ledger-api"
    for st in [f"api/ledger-api/{B.ecs_task_id(sc)}" for _ in range(2)]:
        B.emit(sc, la, st, lambda t: 3 if t < E else 0.15, lambda t: zap(
            sc, t, "info", "request served", "httpx/log.go:44", method="POST", path="/v1/postings",
            status=201, dur_ms=sc.rng.randint(6, 30),
            client=("checkout-web" if t < E else "settlement-batch")))
        B.every(sc, la, st, 900, lambda t: zap(sc, t, "info", "db pool stats", "store/pg.go:112",
                                               open=sc.rng.randint(8, 12), in_use=sc.rng.randint(0, 4), idle=8))

    cert = "arn:aws:acm:us-east-1:" + sc.account + ":certificate/5c0e2a71-9d3b-4f6e-8a11-7b2c4d9e0f53"
    sc.change(E - 60, "acm.amazonaws.com", "ImportCertificate", "AWS::CertificateManager::Certificate", cert,
              "pki-rotation-bot")
    sc.change(E, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              f"{intl}/7a9c1e3b5d2f4608", "pki-rotation-bot")
    B.ecs_deploy(sc, D, cl, "checkout-web", "codepipeline-payments")
    sc.change(-16400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/ledger-api", "codepipeline-payments")
    sc.alarm("shop-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": pub},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Checkout/shop 5xx")
    sc.alarm("ledger-internal-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": intl},
             "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.expect = {"alarm": "shop-public-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [intl, "ledger-internal"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "ClientTLSNegotiationErrorCount",
                                "dimensions": {"LoadBalancer": intl}}]}
    return sc
