"""h86-05 match allocator pointed at a queue that does not exist; h86-06 receipt verifier loses its secret."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import zap

from .kit import LambdaLogs, lambda_metrics, load, new, region_change, sample_logs


def s05():
    sc = new(5, "placements-failing-usw2", "Matchmaking placements failing in NA West; allocator Errors alarm.",
             "us-west-2", "2026-03-15T02:50:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=3.0, amp=0.3)
    fn = "match-alloc"
    sc.resource("lambda", fn, runtime="provided.al2023", architecture="arm64", timeout=15, memory_size=256,
                handler="bootstrap", environment_keys=["PLACEMENT_QUEUE", "MAX_WAIT_S", "REGION_POOL"])
    sc.resource("lambda", "lobby-notify", runtime="provided.al2023", timeout=10, memory_size=128)
    sc.resource("apigateway", "mm-api", stage="live")
    cfg, acct = -1860, sc.account
    bad = lambda t: t >= cfg
    inv, err = lambda_metrics(sc, fn, lambda t: 1500 * L(t), lambda t: 0.001 * 1500 * L(t) + (0.68 * 1500 * L(t) if bad(t) else 0),
                              lambda t: 45.0 if bad(t) else 185.0)
    lambda_metrics(sc, "lobby-notify", lambda t: 700 * L(t), lambda t: 0.2, lambda t: 22.0 + (3 if t > -1740 else 0))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Matchmaking allocator errors (usw2)")
    sc.alarm("lobby-notify-errors", "AWS/Lambda", "Errors", {"FunctionName": "lobby-notify"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-matchmaking")
    sc.change(-8990, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-matchmaking")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "d.reyes")
    sc.change(-1740, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "lobby-notify",
              "gha-matchmaking")
    sc.change(-1735, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "lobby-notify", "gha-matchmaking")
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 15, mem_used=(38, 4), retire=(-9000, cfg))

    def queue(t):
        return f"arn:aws:gamelift:us-west-2:{acct}:gamesessionqueue/" + ("ranked-usw2-v2" if bad(t) else "ranked-usw2")

    def body(ll, t, req, is_err, cold):
        tk = f"tkt-{sc.hexid(16)}"
        build = "mm-2026.03.14-2" if t >= -9000 else "mm-2026.03.10-1"
        init = [(0.001, zap(sc, t - 0.05, "info", "config loaded", "config/load.go:52", placement_queue=queue(t),
                            max_wait_s=90, region_pool="usw2,usw1", build=build))] if cold else []
        kind = "placement" if rng.random() < 0.78 else rng.choice(["status", "cancel"])
        lines = [(0.002, zap(sc, t, "info", "request", "handler/handler.go:38", op=kind, ticket=tk, request_id=req))]
        if is_err:
            lines.append((0.04, zap(sc, t + 0.04, "error", "placement failed", "alloc/placer.go:117", ticket=tk, request_id=req,
                                    error=f"operation error GameLift: StartGameSessionPlacement, https response error StatusCode: 400, "
                                          f"RequestID: {sc.uuid()}, NotFoundException: GameSessionQueue {queue(t)} not found")))
            return {"dur": rng.gauss(42, 8), "lines": lines, "init_lines": init}
        if rng.random() < 0.05:
            lines.append((0.1, zap(sc, t + 0.1, "warn", "ticket expired before placement", "alloc/placer.go:88", ticket=tk, waited_s=rng.randint(90, 140))))
        else:
            lines.append((0.16, zap(sc, t + 0.16, "info", "placement started", "alloc/placer.go:131", ticket=tk,
                                    placement_id=sc.uuid(), players=rng.choice([2, 6, 10]))))
        return {"dur": rng.gauss(185, 30), "lines": lines, "init_lines": init}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="origin", runtime="Go (provided.al2023) Lambda", logs="zap JSON", services=["lambda"],
        decoys="lobby-notify deployment 2 min after the onset (nearest change to the alarm); the allocator's own code deploy 2.5 h earlier; steady 'ticket expired' warnings",
        story="match-alloc's configuration is updated by hand at -31 min and errors jump from ~1/min to ~70 % of "
              "invocations immediately (the update recycles every environment). Every new cold start logs "
              "`config loaded` with placement_queue `.../ranked-usw2-v2` instead of `ranked-usw2`, and each failure is "
              "`NotFoundException: GameSessionQueue ...ranked-usw2-v2 not found`. The function's code deploy 2.5 h "
              "earlier ran clean, and lobby-notify's deploy came after the errors began.",
        judgement="The failing call is to GameLift, but the error names a queue that exists only in the new "
                  "setting: a configuration change, not a dependency failure.")
    return sc


def s06():
    sc = new(6, "receipt-verify-errors", "Platform purchases stuck as pending in EU; receipt verifier Errors alarm.",
             "eu-central-1", "2026-03-14T21:05:00+00:00")
    rng, L = sc.rng, load(sc, peak_hour=19.0, amp=0.3)
    fn, role, acct = "receipt-verify", "receipt-verify-exec", sc.account
    sc.resource("lambda", fn, runtime="dotnet8", timeout=20, memory_size=512, role=f"arn:aws:iam::{acct}:role/{role}")
    sc.resource("lambda", "wallet-credit", runtime="dotnet8", timeout=10, memory_size=512)
    pol = -2100

    def denied(t):  # secrets are cached for 15 min per environment
        return 0.0 if t < pol + 40 else min(0.97, (t - pol - 40) / 900)
    inv, err = lambda_metrics(sc, fn, lambda t: 260 * L(t), lambda t: 0.6 + 260 * L(t) * denied(t),
                              lambda t: 640 - 520 * denied(t))
    lambda_metrics(sc, "wallet-credit", lambda t: 230 * L(t), lambda t: 0.1, lambda t: 35.0)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Receipt verification errors")
    sc.alarm("wallet-credit-errors", "AWS/Lambda", "Errors", {"FunctionName": "wallet-credit"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-commerce")
    region_change(sc, pol, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-cloud-commerce", "us-east-1")
    sc.change(-2040, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "wallet-credit",
              "gh-actions-commerce")
    sc.change(-2035, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "wallet-credit", "gh-actions-commerce")
    ll = LambdaLogs(sc, fn, "dotnet8", 512, 20, mem_used=(118, 9), retire=(-12600,), life=(600, 1500))
    secret = f"arn:aws:secretsmanager:eu-central-1:{acct}:secret:store/apple-shared-secret-Qm4ZtT"
    ade = (f"Amazon.SecretsManager.AmazonSecretsManagerException: User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not "
           f"authorized to perform: secretsmanager:GetSecretValue on resource: {secret} because no identity-based policy allows "
           f"the secretsmanager:GetSecretValue action\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
           f"'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
           f"   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
           f"   --- End of inner exception stack trace ---\n"
           f"   at Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream responseStream)\n"
           f"   at Receipts.Verify.SecretCache.GetSharedSecretAsync() in /src/Receipts.Verify/SecretCache.cs:line 34\n"
           f"   at Receipts.Verify.Function.FunctionHandler(SQSEvent evnt, ILambdaContext context) in /src/Receipts.Verify/Function.cs:line 51")

    def body(ll, t, req, is_err, cold):
        p = f"p_{rng.randint(10 ** 7, 10 ** 8)}"
        lines = [(0.003, ll.fmt(t, req, "INFO", f"Verifying receipt platform=ios player={p} product={rng.choice(['gems_500', 'gems_1200', 'battlepass_s11'])}"))]
        if is_err and rng.random() < 0.004 / max(0.004, denied(t) + 0.004):
            lines.append((2.9, ll.fmt(t, req, "ERROR", "System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 3 seconds elapsing.\n"
                                       "   at Receipts.Verify.AppleClient.VerifyAsync(String receipt) in /src/Receipts.Verify/AppleClient.cs:line 77")))
            return {"dur": 3010.0, "lines": lines}
        if is_err:
            lines.append((0.09, ll.fmt(t, req, "ERROR", ade)))
            return {"dur": rng.gauss(110, 20), "lines": lines}
        if rng.random() < 0.06:
            lines.append((0.5, ll.fmt(t, req, "ERROR", f"Receipt validation failed: status=21007 (sandbox receipt sent to production) player={p}")))
        else:
            lines.append((0.55, ll.fmt(t, req, "INFO", f"Receipt valid transaction={rng.randint(10 ** 14, 10 ** 15)} credited via wallet-credit")))
        return {"dur": rng.gauss(640, 90), "lines": lines}
    sample_logs(sc, ll, inv, err, -14400, 3.0, body)
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        alarm_on="origin", runtime=".NET 8 Lambda", logs="Lambda plain (.NET)", services=["lambda"],
        decoys="wallet-credit deployment 1 min after the policy change; the verifier's own deploy 3.5 h earlier; steady 'status=21007' errors and rare Apple timeouts",
        story="Terraform replaces the inline policy of the verifier's execution role (PutRolePolicy, recorded in us-east-1 "
              "like every IAM call) at -35 min. Over the next 15 minutes, as each environment's cached secret expires, "
              "invocations fail with `AmazonSecretsManagerException: ... is not authorized to perform: "
              "secretsmanager:GetSecretValue ... because no identity-based policy allows` and Errors climb to ~95 % of "
              "invocations. The wallet-credit deploy a minute later leaves wallet-credit healthy; the sandbox-receipt "
              "errors and the odd Apple timeout were there all afternoon at the same rate.",
        judgement="The changed thing is the IAM role, which is not one of the six resource types; the origin named is "
                  "the function whose calls are denied.")
    return sc


BUILDERS = [s05, s06]
