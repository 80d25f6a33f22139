"""h92-15 (a new open-house RSVP version breaks 'by appointment' open houses) and h92-16 (photo
tagging throttled by the image-analysis API's request rate)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .base import (ZERO, anomaly, apigw_metrics, cnt, expect, lambda_metrics, make, sample, val)


# =========================================================================== h92-15
def build_15():
    sc = make(15, "rsvp-errors-saturday", "Open-house RSVP submissions failing for part of the "
              "listings; Errors alarm on the RSVP function.", "us-east-1", "2026-05-16T17:45:00",
              category="bad_deployment", side="origin", services="Lambda (Ruby, Python), API Gateway",
              runtime="ruby3.3, python3.12", fmt="Ruby Logger text in Lambda logs, JSON error objects",
              decoys="config update of lead-scoring 15 s after the alias switch; second 5XX alarm on the API; steady SMS-delay warnings and 4XXs",
              story=(
                  "`circleci-deployer` updated `open-house-rsvp`'s code at -3160 s, published version 58 and "
                  "moved the `live` alias to it at -3140 s; the log streams switch from `[57]` to `[58]` "
                  "there. From then about a third of RSVPs (open houses listed 'by appointment', with no "
                  "end time) fail with `undefined method `strftime' for nil:NilClass` in "
                  "`/var/task/app/handlers/rsvp.rb:57:in `build_confirmation'` — a signature absent "
                  "from the six hours before. `lead-scoring` got a configuration update 15 s later and is "
                  "the most recent change, but its metrics and logs are unchanged; the Twilio delay "
                  "warnings and the API's 4XXs run at the same rate all afternoon."))
    fn, other, api = "open-house-rsvp", "lead-scoring", "events-api"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=15, memory_size=256, alias="live")
    sc.resource("lambda", other, runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("apigateway", api, stage="prod")
    code, pub, alias, dec = -3160, -3152, -3140, -3125
    share = lambda t: 0.34 if t >= alias else 0.0
    inv = cnt(sc, lambda t: 30 * diurnal(sc, t, 18, 0.3))
    err = [float(round(n * share(t))) for t, n in zip(GRID, inv)]
    lambda_metrics(sc, fn, inv, err, val(sc, lambda t: 380 - 120 * share(t), noise=0.1))
    e4 = cnt(sc, lambda t: 2.5)
    ad = apigw_metrics(sc, api, [n + e for n, e in zip(inv, e4)], e4, err, val(sc, lambda t: 410, noise=0.1))
    ll = LambdaLogs(sc, fn, "ruby3.3", 256, 15, epochs=((-10 ** 9, "57"), (alias, "58")), mem_used=(92, 5))

    def body(ll, t, rid, is_err, cold):
        lid = sc.rng.randint(3800000, 3999999)
        day = sc.at(t + 86400 * sc.rng.randint(0, 1)).strftime("%Y-%m-%d")
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"RSVP received listing={lid} open_house={day} party_size={sc.rng.randint(1, 4)}"))]
        if sc.rng.random() < 0.1:
            lines.append((0.02, ll.fmt(t + 0.02, rid, "WARN", f"Twilio SMS delivery delayed (queue depth {sc.rng.randint(60, 180)})")))
        if is_err:
            obj = {"errorMessage": "undefined method `strftime' for nil:NilClass", "errorType": "Function<NoMethodError>",
                   "stackTrace": ["/var/task/app/handlers/rsvp.rb:57:in `build_confirmation'",
                                  "/var/task/app/handlers/rsvp.rb:23:in `call'",
                                  "/var/task/lambda_function.rb:9:in `handler'"]}
            lines.append((0.09, ll.fmt(t + 0.09, rid, "INFO", f"open house {lid}/{day} window: start=10:00 end=nil (by appointment)")))
            lines.append((0.1, jline(obj)))
            return {"lines": lines, "dur": sc.rng.uniform(90, 180)}
        d = max(120.0, sc.rng.gauss(380, 70))
        lines.append((d / 1000 - 0.003, ll.fmt(t + d / 1000, rid, "INFO", f"RSVP confirmed id=rsvp_{sc.hexid(10)} sms=queued")))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)
    oinv = cnt(sc, lambda t: 12 * diurnal(sc, t, 18, 0.3))
    lambda_metrics(sc, other, oinv, cnt(sc, lambda t: 0.1), val(sc, lambda t: 610, noise=0.12))
    ol = LambdaLogs(sc, other, "python3.12", 512, 30, retire=(dec,), mem_used=(150, 9))
    ol.run(*sample(sc, oinv, ZERO, cap=1), lambda ll, t, rid, e, c: {
        "lines": [(0.5, ll.fmt(t + 0.5, rid, "INFO", f"lead scored score={sc.rng.randint(5, 98)} model=gbm-2026-04"))],
        "dur": sc.rng.uniform(380, 900)})
    for t, ev in ((code, "UpdateFunctionCode20150331v2"), (pub, "PublishVersion20150331"), (alias, "UpdateAlias20150331")):
        sc.change(t, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, "circleci-deployer")
    sc.change(dec, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", other,
              "data-science-deployer")
    sc.alarm("events-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 60, 3, 3, "GreaterThanThreshold")
    sc.alarm("open-house-rsvp-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 4,
             "GreaterThanThreshold", "RSVP function errors")
    expect(sc, "open-house-rsvp-errors", "bad_deployment", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


# =========================================================================== h92-16
def build_16():
    sc = make(16, "photo-tagging-failures", "Listing photos missing room/feature tags; Errors alarm "
              "on the tagging function.", "us-east-1", "2026-05-17T14:55:00",
              category="throttling", side="origin", services="Lambda (.NET, Node.js)",
              runtime="dotnet8, nodejs20.x", fmt=".NET Lambda text, Lambda Node text",
              decoys="photo-derivatives deploy 40 s before onset; NoSuchKey errors at a steady rate; benign invocation spike on photo-derivatives; Throttles metric at 0",
              story=(
                  "`photo-tagger` (.NET 8) labels each new listing photo with an image-analysis API. "
                  "Weekend uploads raise its invocations ~45 % over two hours, and from about -2600 s a "
                  "quarter of the invocations fail with `Amazon.Rekognition.Model.ProvisionedThroughputExceeded"
                  "Exception: Provisioned Rate exceeded.` after the SDK's retries (duration rises from "
                  "~1.8 s to ~4 s). The Lambda `Throttles` metric stays at 0 — the limit is the downstream "
                  "API's request rate, not the function's concurrency. The `photo-derivatives` deploy 40 s "
                  "before the onset does not change that function's behaviour, and the NoSuchKey errors "
                  "(photos deleted before tagging) were there all day."),
              judgement=("h92-16: the category table lists 'rate limits or throughput-exceeded errors' "
                         "under `throttling`, which is more specific than `dependency_failure`; the "
                         "throttled API is not a resource of the account, so the origin is the caller "
                         "`photo-tagger`. A 45 % rise is not 'far above the usual level'."))
    fn, other = "photo-tagger", "photo-derivatives"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1024,
                event_source="SQS listing-photo-tagging (batch 5)")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=90, memory_size=1536)
    onset = -2600
    grow = lambda t: 1 + 0.45 * ramp(t, -7200, -1800)
    inv = cnt(sc, lambda t: 120 * grow(t))
    over = lambda t: 0.25 * ramp(t, onset, onset + 400)
    err = [float(round(n * over(t) + sc.rng.choice([0, 0, 1]))) for t, n in zip(GRID, inv)]
    lambda_metrics(sc, fn, inv, err, val(sc, lambda t: 1800 + 9000 * over(t), noise=0.08),
                   conc=val(sc, lambda t: 120 * grow(t) / 60 * (1.8 + 9 * over(t)), noise=0.08, digits=0))
    oinv = cnt(sc, lambda t: 40 * grow(t) + bump(t, -12300, -11900, 160, 60))
    lambda_metrics(sc, other, oinv, ZERO, val(sc, lambda t: 2700, noise=0.1))
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30, mem_used=(210, 15))

    def body(ll, t, rid, is_err, cold):
        lid = sc.rng.randint(3800000, 3999999)
        key = f"derivatives/{lid}/{sc.rng.randint(1, 40):02d}_1024w.webp"
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"Tagging batch of 5 photos, first s3://lst-media-use1/{key}"))]
        if sc.rng.random() < 0.15:
            lines.append((0.2, ll.fmt(t + 0.2, rid, "WARN", f"Image below 640px ({sc.rng.randint(300, 600)}w), skipping labels for {key}")))
        if is_err and over(t) > 0.02 and sc.rng.random() < over(t) / (over(t) + 0.004):
            d = sc.rng.uniform(6000, 14000)
            lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "ERROR",
                "Amazon.Rekognition.Model.ProvisionedThroughputExceededException: Provisioned Rate exceeded.\n"
                " ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
                "'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
                "   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
                "   --- End of inner exception stack trace ---\n"
                "   at Amazon.Runtime.Internal.RetryHandler.InvokeAsync[T](IExecutionContext executionContext)\n"
                "   at PhotoTagger.LabelService.DetectAsync(String key) in /src/PhotoTagger/LabelService.cs:line 44\n"
                "   at PhotoTagger.Function.FunctionHandler(SQSEvent evnt, ILambdaContext context) in /src/PhotoTagger/Function.cs:line 31")))
            return {"lines": lines, "dur": d}
        if is_err:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "ERROR", f"Amazon.S3.AmazonS3Exception: The specified key does not exist. "
                                       f"(NoSuchKey) Key=derivatives/{lid}/{sc.rng.randint(1, 40):02d}_1024w.webp")))
            return {"lines": lines, "dur": sc.rng.uniform(250, 500)}
        d = max(600.0, sc.rng.gauss(1800 + 1500 * over(t), 350))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                                               f"Tagged 5 photos ({sc.rng.choice(['kitchen', 'pool', 'fireplace', 'hardwood floors'])}, "
                                               f"{sc.rng.choice(['exterior', 'bathroom', 'garage', 'view'])}...) in {int(d)} ms")))
        return {"lines": lines, "dur": d}

    li, le = sample(sc, inv, err, cap=3)
    ll.run(li, le, body)
    ol = LambdaLogs(sc, other, "nodejs20.x", 1536, 90, retire=(onset - 40,), mem_used=(610, 50))
    ol.run(*sample(sc, oinv, ZERO, cap=1), lambda ll, t, rid, e, c: {
        "lines": [(2.5, ll.fmt(t + 2.5, rid, "INFO", "wrote 4 derivatives (2048w,1024w,640w,320w)"))],
        "dur": sc.rng.uniform(1900, 3500)})
    sc.change(onset - 40, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "codepipeline-media")
    sc.change(-20100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "codepipeline-media")
    sc.alarm("photo-tagger-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 20,
             "GreaterThanThreshold", "Photo tagging failures")
    expect(sc, "photo-tagger-errors", "throttling", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return sc


BUILDERS = [build_15, build_16]
