"""h53-12: docs-archiver (.NET 8 on EC2) still signs S3 calls with a static IAM user access key; the key-rotation bot
deactivates the 90-day-old key and every S3 call now fails with InvalidAccessKeyId (403)."""
from __future__ import annotations

from datetime import datetime

from . import logfmt as L
from .core import Scenario, counts, diurnal, dims_ref, value_at
from .kits import alb_set, ec2_set, lambda_set, minutes

REGION = "us-east-1"
IID = "i-0a9b8c7d6e5f40312"
LB = "app/docs-alb/4e6f8a0b2c4d6e8f"
ONSET = -2690
NOW_H = 11.75

META = {
    "file": "h53-12-ec2-dotnet-deactivated-access-key.yaml", "region": REGION, "alarm": "docs-alb-target-5xx",
    "category": "permission_denied", "resources": [IID, "docs-archiver-1", "svc-docs-archiver"],
    "alarm_on": "front (ALB)",
    "decoys": "disk-usage alarm on the same instance already in ALARM for 8 h (steady 83 %); the same bot also "
              "deactivated an unused key (svc-legacy-ftp); deploy of docs-thumbnailer 10 min before onset; steady "
              "OCR-confidence warnings",
    "story": (
        "The docs ALB's target 5XX alarm fires: every upload and download on docs-archiver-1 returns 500 while "
        "/healthz stays green. The app log shows `Amazon.S3.AmazonS3Exception: The AWS Access Key Id you provided "
        "does not exist in our records.` (ErrorCode InvalidAccessKeyId, HTTP 403) on every S3 call, starting "
        "seconds after CloudTrail records `UpdateAccessKey` on IAM user svc-docs-archiver by key-rotation-bot: "
        "the instance still uses that user's static key from its appsettings (resource properties), and the "
        "rotation made it inactive. The disk alarm on the same box has been in ALARM since the early morning at "
        "a flat 83 %; the svc-legacy-ftp key deactivated in the same batch is not used by this service; the "
        "thumbnailer deploy is a separate Lambda with clean logs. Judgement: permission_denied (authentication "
        "to S3 refused after an IAM change), originating at docs-archiver-1 / its IAM user."),
}


def build() -> Scenario:
    scn = Scenario("h53-12-ec2-dotnet-deactivated-access-key", "Document uploads and downloads failing in the "
                   "customer portal; ALB 5XX alarm.", REGION, 5312, datetime(2026, 2, 10, 16, 45))
    rng = scn.rng
    scn.resource("ec2", IID, name="docs-archiver-1", instance_type="m6i.large", platform="Amazon Linux 2023",
                 service="DocsArchiver (.NET 8, Kestrel behind ALB)", iam_instance_profile="none",
                 aws_credentials="static access key of IAM user svc-docs-archiver in appsettings.Production.json",
                 s3_bucket="acme-docs-archive", log_groups=["/docs-archiver/app"])
    scn.resource("alb", LB, name="docs-alb", scheme="internet-facing", health_check="/healthz")
    scn.resource("lambda", "docs-thumbnailer", runtime="dotnet8", timeout=60, memory_size=1024)
    mult = lambda t: diurnal(t, NOW_H, peak_hour=15.0, amp=0.3)
    after = lambda t: t >= ONSET
    ec2_set(scn, IID, cpu=lambda t: (7 if after(t) else 9 + 6 * mult(t)) + rng.gauss(0, 0.8),
            mem=lambda t: 47.5 + rng.gauss(0, 0.3), disk=lambda t: 83.1 + rng.gauss(0, 0.03),
            net_in=lambda t: (2e6 if after(t) else 3.9e7 * mult(t)) * rng.uniform(0.85, 1.15),
            net_out=lambda t: (1.5e6 if after(t) else 5.2e7 * mult(t)) * rng.uniform(0.85, 1.15), step=300)
    req = counts(lambda t: 130 * mult(t), rng)
    s3_share = 0.86
    alb = alb_set(scn, LB, req=req, rt=lambda t: (0.09 if after(t) else 0.33) * rng.uniform(0.85, 1.2),
                  t5xx=lambda t: (value_at(req, t) * s3_share * rng.uniform(0.95, 1.0) if after(t) else rng.choice([0, 0, 1])),
                  e5xx=lambda t: rng.choice([0, 0, 0, 0, 1]), healthy=lambda t: 1, unhealthy=lambda t: 0)
    th = counts(lambda t: 14 * mult(t), rng)
    lambda_set(scn, "docs-thumbnailer", inv=th, err=lambda t: rng.choice([0, 0, 0, 0, 0, 1]), thr=lambda t: 0,
               dur=lambda t: rng.uniform(700, 1400), conc=lambda t: rng.choice([1, 1, 2]))
    scn.alarm("docs-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3,
              5, "GreaterThanThreshold", points=alb["HTTPCode_Target_5XX_Count"], description="docs portal 5XX")
    scn.alarm("docs-archiver-1-disk-80", "CWAgent", "disk_used_percent",
              {"InstanceId": IID, "path": "/", "fstype": "xfs"}, "Average", 300, 3, 80, "GreaterThanThreshold",
              state="ALARM", changed=-29100,
              reason="Threshold Crossed: 3 out of the last 3 datapoints [80.12 (10/02/26 08:35:00), 80.07 (10/02/26 "
                     "08:30:00), 80.03 (10/02/26 08:25:00)] were greater than the threshold (80.0) (minimum 3 "
                     "datapoints for OK -> ALARM transition).")
    scn.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "docs-thumbnailer", "github-actions")
    scn.change(ONSET - 10, "iam.amazonaws.com", "UpdateAccessKey", "AWS::IAM::User", "svc-docs-archiver",
               "key-rotation-bot")
    scn.change(ONSET - 4, "iam.amazonaws.com", "UpdateAccessKey", "AWS::IAM::User", "svc-legacy-ftp",
               "key-rotation-bot")
    _logs(scn, req, s3_share, after, th)
    scn.set_expect("docs-alb-target-5xx", META["category"], META["resources"],
                   [dims_ref("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB})])
    return scn


S3_ERR = ("Amazon.S3.AmazonS3Exception: The AWS Access Key Id you provided does not exist in our records.\n"
          " ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
          "'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n"
          "   at Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)\n"
          "   at Amazon.Runtime.HttpWebRequestMessage.GetResponseAsync(CancellationToken cancellationToken)\n"
          "   at Amazon.Runtime.Internal.HttpHandler`1.InvokeAsync[T](IExecutionContext executionContext)\n"
          "   --- End of inner exception stack trace ---\n"
          "   at Amazon.Runtime.Internal.HttpErrorResponseExceptionHandler.HandleExceptionStream(IRequestContext "
          "requestContext, IWebResponseData httpErrorResponse, HttpErrorResponseException exception, Stream "
          "responseStream)\n"
          "   at Amazon.Runtime.Internal.ErrorHandler.InvokeAsync[T](IExecutionContext executionContext)\n"
          "   at Amazon.Runtime.Internal.RetryHandler.InvokeAsync[T](IExecutionContext executionContext)\n"
          "   at DocsArchiver.Storage.S3ArchiveStore.{op}Async(String key, {arg}CancellationToken ct) in "
          "/src/DocsArchiver/Storage/S3ArchiveStore.cs:line {line}\n"
          "   at DocsArchiver.Api.DocumentsController.{action}({aarg}CancellationToken ct) in "
          "/src/DocsArchiver/Api/DocumentsController.cs:line {aline}")


def _logs(scn, req, s3_share, after, th):
    rng = scn.rng
    ev = []
    doc = 88000
    for m0 in minutes(-9000):
        n = int(value_at(req, m0))
        for _ in range(n // 5):
            t = m0 + rng.uniform(0, 60)
            x = rng.random()
            if x > s3_share:
                ms = rng.uniform(1, 4)
                ev.append((t, L.serilog(scn, t, "INF", f"HTTP GET /healthz responded 200 in {ms:.4f} ms")))
                continue
            upload = x < s3_share * 0.45
            doc += 1 if upload else 0
            did = doc if upload else rng.randint(40000, doc)
            if not after(t):
                ms = rng.uniform(180, 700) if upload else rng.uniform(60, 240)
                if upload:
                    ev.append((t + ms / 1000 - 0.002, L.serilog(scn, t + ms / 1000, "INF",
                               f"Archived document {did} to s3://acme-docs-archive/{scn.at(t).strftime('%Y/%m/%d')}/"
                               f"{did}.pdf ({rng.randint(40, 900)} KB)")))
                ev.append((t + ms / 1000, L.serilog(scn, t + ms / 1000, "INF",
                           f"HTTP {'POST' if upload else 'GET'} /documents{'' if upload else '/' + str(did)} responded "
                           f"{201 if upload else 200} in {ms:.4f} ms")))
                if upload and rng.random() < 0.08:
                    ev.append((t + ms / 1000 + 0.5, L.serilog(scn, t + ms / 1000 + 0.5, "WRN",
                               f"OCR confidence {rng.uniform(0.3, 0.59):.2f} below threshold 0.60 for document {did}; "
                               "queued for manual review")))
                continue
            ms = rng.uniform(60, 140)
            rid = scn.hex(16).upper()
            if upload:
                err = S3_ERR.format(op="Put", arg="Stream content, ", line=61, action="Upload",
                                    aarg="IFormFile file, ", aline=44)
                head = f"Failed to archive document {did} (S3 ErrorCode InvalidAccessKeyId, HTTP 403, RequestId {rid})"
            else:
                err = S3_ERR.format(op="Get", arg="", line=83, action="Download", aarg="Int64 id, ", aline=71)
                head = f"Failed to read document {did} from archive (S3 ErrorCode InvalidAccessKeyId, HTTP 403, RequestId {rid})"
            ev.append((t + ms / 1000 - 0.002, L.serilog(scn, t + ms / 1000, "ERR", head + "\n" + err)))
            ev.append((t + ms / 1000, L.serilog(scn, t + ms / 1000, "INF",
                       f"HTTP {'POST' if upload else 'GET'} /documents{'' if upload else '/' + str(did)} responded 500 in "
                       f"{ms:.4f} ms")))
    scn.log("/docs-archiver/app", IID, ev)
    tl = []
    for m0 in minutes(-9000):
        for _ in range(int(value_at(th, m0)) // 8):
            t = m0 + rng.uniform(0, 60)
            d = rng.uniform(700, 1400)
            tl += L.lambda_invocation(scn, t, d, 1024, rng.randint(180, 220), [
                (d / 1000 - 0.01, L.dotnet_lambda(scn, t + d / 1000, "info", f"Rendered 3 thumbnails for "
                 f"documents/{rng.randint(40000, 90000)}.pdf"))], version="33" if t > -3300 else "32")
    scn.log("/aws/lambda/docs-thumbnailer", "2026/02/10/[33]2a7f0c5e9b1d4e6389c0a4f1e7b3d5c2", tl)
