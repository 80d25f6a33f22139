"""h62-09 (DynamoDB-stream fan-out broken by an env var) and h62-10 (ETL worker loses kms permission)."""
from __future__ import annotations

import json

from .common import Scenario, diurnal, ramp
from .kit import (LOG_START, ec2_metrics, emit, hourly, lambda_metrics, log_plan, sqs_metrics)
from .runtimes import LambdaLogs, rails


# =========================================================================== 09
def s09() -> tuple:
    DEP, CFG = -4700, -2790
    T0 = CFG + 10
    sc = Scenario(9, "profile-stream-falling-behind",
                  "profile-fanout iterator age alarm; CRM and search not receiving profile updates.",
                  "sa-east-1", 6209, "2026-03-19T13:30:00+00:00")
    fn, relay, rx = "profile-fanout", "crm-webhook-relay", "profile-search-reindex"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=30, memory_size=256,
                event_source="dynamodb-stream:customer-profiles", batch_size=100,
                function_response_types=["ReportBatchItemFailures"],
                environment=["FANOUT_TARGETS", "EVENT_BUS", "IDEMPOTENCY_TABLE", "LOG_LEVEL"])
    sc.resource("lambda", relay, runtime="nodejs20.x", timeout=15, memory_size=256)
    sc.resource("lambda", rx, runtime="nodejs20.x", timeout=600, memory_size=1024)

    day = lambda t: diurnal(sc, t, peak_hour=17, amp=0.2)
    broken = lambda t: ramp(t, T0, T0 + 30)
    m = lambda_metrics(sc, fn, inv=lambda t: 58 * day(t) * (1 - broken(t)) + 14 * broken(t),
                       err_frac=lambda t: 0.002 + broken(t), dur=lambda t: 240 - 225 * broken(t),
                       iter_age=lambda t: 520 + max(0.0, t - T0) * 1000 * broken(t))
    lambda_metrics(sc, relay, inv=lambda t: 95 * day(t) * (1 - broken(t)), dur=lambda t: 160)
    lambda_metrics(sc, rx, inv=lambda t: 1.0 if hourly(sc, t, 40, 1, 1) else 0.0, dur=lambda t: 318000)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 30, mem_used=(96, 6), prewarm=LOG_START + 120,
                    retire=[DEP, CFG])
    ver = lambda t: "2.4.0" if t >= DEP else "2.3.2"

    def body(l_, s, rid, is_err, cold):
        rng = sc.rng
        lines = []
        if cold:
            lines.append((0.001, l_.fmt(s, rid, "INFO", f"profile-fanout {ver(s)} starting, targets loaded from env")))
        if is_err and s >= T0:
            err = {"errorType": "ConfigError",
                   "errorMessage": "FANOUT_TARGETS contains unknown target 'loyalty-v2' (known: crm, search, analytics, loyalty)",
                   "stack": ["ConfigError: FANOUT_TARGETS contains unknown target 'loyalty-v2' (known: crm, search, analytics, loyalty)",
                             "    at parseTargets (/var/task/src/config.js:38:11)",
                             "    at loadConfig (/var/task/src/config.js:61:19)",
                             "    at Runtime.handler (/var/task/src/index.js:22:18)"]}
            lines.append((0.004, l_.fmt(s, rid, "ERROR", "Invoke Error \t" + json.dumps(err))))
            return {"dur": rng.gauss(14, 3), "lines": lines}
        n = rng.randint(8, 100)
        if rng.random() < 0.18:
            lines.append((0.05, l_.fmt(s, rid, "WARN", f"ConditionalCheckFailedException on idempotency record "
                                                      f"pk=prof#{rng.randint(10 ** 7, 10 ** 8)}, treating as duplicate")))
        if rng.random() < 0.08:
            lines.append((0.1, l_.fmt(s, rid, "WARN", "PutEvents FailedEntryCount=1 (ThrottlingException), retrying entry")))
        d = rng.gauss(240, 40)
        lines.append((d / 1000, l_.fmt(s + d / 1000, rid, "INFO",
                                       f"processed batch records={n} published={n * 3} batchItemFailures=0")))
        return {"dur": d, "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 3)
    ll.run(li, le, body)
    rl = LambdaLogs(sc, relay, "nodejs20.x", 256, 15, prewarm=LOG_START + 120)
    rl.run({t: 1 for t in range(LOG_START, T0, 90)}, {}, lambda l_, s, r, e, c: {"dur": sc.rng.gauss(160, 20), "lines": [
        (0.02, l_.fmt(s, r, "INFO", f"relayed profile.updated to CRM webhook status=204 id=prof#{sc.rng.randint(10 ** 7, 10 ** 8)}"))]})
    xl = LambdaLogs(sc, rx, "nodejs20.x", 1024, 600, prewarm=LOG_START - 10)
    xl.run({t: 1 for t in range(LOG_START, 0, 60) if hourly(sc, t, 40, 1, 1)}, {},
           lambda l_, s, r, e, c: {"dur": sc.rng.gauss(318000, 8000), "lines": [
               (0.1, l_.fmt(s, r, "INFO", "reindex window start: profiles changed in the last 60 min")),
               (300.0, l_.fmt(s + 300, r, "INFO", f"reindexed {sc.rng.randint(9000, 14000)} profiles into profiles-v7"))]})

    sc.alarm("profile-fanout-iterator-age", "AWS/Lambda", "IteratorAge", {"FunctionName": fn},
             "Maximum", 60, 3, 300000, "GreaterThanThreshold", "Profile fan-out falling behind the stream")
    sc.alarm("profile-fanout-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-customer-platform")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "l.ferreira")
    sc.expect = {"alarm": "profile-fanout-iterator-age",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "IteratorAge", "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="profile-fanout-iterator-age", category="config_change", resources=[fn],
                where="origin", services="Lambda, DynamoDB Streams",
                decoys="code deploy of the same function 32 min before onset; downstream crm-webhook-relay going "
                       "quiet; hourly search reindex; old idempotency and PutEvents throttling warnings",
                story=(
                    f"`{fn}` (Node) fans DynamoDB-stream changes of `customer-profiles` out to several targets. "
                    "Version 2.4.0 was deployed at -78 min and processed cleanly for half an hour. At -46 "
                    "min `UpdateFunctionConfiguration` by a person replaces the environments and from the "
                    "next invocation every call fails with `ConfigError: FANOUT_TARGETS contains unknown target "
                    "'loyalty-v2'`. The stream keeps retrying the same batches, so Invocations drop, Errors "
                    "equal Invocations, IteratorAge climbs without bound, and the downstream relay stops "
                    "receiving anything. The idempotency `ConditionalCheckFailed` and `PutEvents` throttling "
                    "warnings are old; the reindex job runs at :40 every hour."),
                judgement=("Both a deploy and a configuration update hit the function; the errors begin with the "
                           "configuration update and name an environment variable, so `config_change` wins "
                           "(as the tie-break rule also says)."))
    return sc, info


# =========================================================================== 10
def s10() -> tuple:
    IAM = -2990
    T0 = IAM + 50
    sc = Scenario(10, "parquet-jobs-backlog",
                  "parquet-jobs queue age alarm; curated POS tables not updated since early morning.",
                  "eu-west-2", 6210, "2026-05-05T08:45:00+00:00")
    iw, ir = "i-0e53b7a14c9d2f806", "i-0f1c84d2a6e97b351"
    sc.resource("ec2", iw, name="etl-worker-1", instance_type="m6i.xlarge", iam_role="etl-worker-role",
                log_groups=["/etl/shoryuken"], consumes="sqs:parquet-jobs")
    sc.resource("ec2", ir, name="reporting-1", instance_type="t3.large", log_groups=["/reporting/app"])

    day = lambda t: diurnal(sc, t, peak_hour=12, amp=0.3)
    fail = lambda t: ramp(t, T0, T0 + 30)
    sqs_metrics(sc, "parquet-jobs", sent=lambda t: 90 * day(t), deleted=lambda t: 90 * day(t) * (1 - fail(t)),
                visible=lambda t: 6 + 80 * max(0.0, t - T0) / 60 * fail(t),
                age=lambda t: 20 + max(0.0, t - T0) * fail(t))
    cron = lambda t: hourly(sc, t, 0, 9, 1.0)
    ec2_metrics(sc, iw, cpu=lambda t: 52 * day(t) - 38 * fail(t), mem=lambda t: 48 - 8 * fail(t))
    ec2_metrics(sc, ir, cpu=lambda t: 12 + 63 * cron(t) + 20 * ramp(t, T0 - 30, T0 + 30) * (1 - ramp(t, T0 + 120, T0 + 180)),
                mem=lambda t: 55)

    acct = sc.account
    key = f"arn:aws:kms:eu-west-2:{acct}:key/5b0e3f9a-91c4-4d7e-8f26-c1a03b7de452"
    pid = 2841

    def job(t):
        rng = sc.rng
        d = sc.at(t)
        jid = sc.uuid()
        src = f"s3://lake-landing/pos/{d:%Y/%m/%d/%H}/pos-{sc.hexid(8)}.csv.gz"
        x = rng.random()
        if x < 0.06:
            return rails(sc, t, "WARN", "[CostTags] Aws::S3::Errors::AccessDenied: Access Denied "
                                        "(GetBucketTagging lake-landing), cost tags skipped", pid=pid)
        if t >= T0 and x < 0.85:
            return rails(sc, t, "ERROR", f"[ConvertJob] job_id={jid} failed: Aws::S3::Errors::AccessDenied: User: "
                                         f"arn:aws:sts::{acct}:assumed-role/etl-worker-role/{iw} is not authorized to "
                                         f"perform: kms:GenerateDataKey on resource: {key} because no identity-based "
                                         f"policy allows the kms:GenerateDataKey action (receive_count={rng.randint(1, 6)})",
                         pid=pid)
        if x < 0.12:
            return rails(sc, t, "INFO", f"[Shoryuken] Processing message {jid} from parquet-jobs (receive_count=1)", pid=pid)
        rows = rng.randint(12000, 90000)
        return rails(sc, t, "INFO", f"[ConvertJob] job_id={jid} converted {src} -> s3://lake-curated/pos/dt={d:%Y-%m-%d}/"
                                    f"part-{sc.hexid(12)}.parquet ({rows} rows, {rows / 15000:.1f} MB) in {rng.uniform(1.2, 4.5):.2f}s",
                     pid=pid)
    emit(sc, "/etl/shoryuken", LOG_START, 0, 5, job, stream=iw)

    def rep(t):
        d = sc.at(t)
        if T0 - 20 <= t < T0 + 150 and sc.rng.random() < 0.5:
            return f"{d:%Y-%m-%d %H:%M:%S} +0000 [deploy] codedeploy-agent: lifecycle AfterInstall: bundle install complete (reporting 4.12.0)"
        if cron(t):
            return f"{d:%Y-%m-%d %H:%M:%S} +0000 [cron] hourly_kpis: aggregated {sc.rng.randint(100, 400)} stores"
        return f"{d:%Y-%m-%d %H:%M:%S} +0000 [puma] GET /dash/stores 200 {sc.rng.randint(40, 300)}ms"
    emit(sc, "/reporting/app", LOG_START, 0, lambda t: 0.8 + 2 * cron(t), rep, stream=ir)

    sc.alarm("parquet-jobs-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "parquet-jobs"},
             "Maximum", 60, 3, 1200, "GreaterThanThreshold", "POS parquet conversion stalled")
    sc.alarm("reporting-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ir}, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "etl-worker-role", "terraform-platform")
    sc.change(T0 - 35, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "reporting-prod", "codepipeline-reporting")
    sc.change(-15600, "kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", "5b0e3f9a-91c4-4d7e-8f26-c1a03b7de452",
              "terraform-platform")
    sc.expect = {"alarm": "parquet-jobs-oldest-message",
                 "root_cause": {"category": "permission_denied", "resource": [iw, "etl-worker-1"]},
                 "anomalies": [{"namespace": "AWS/SQS", "name": "ApproximateAgeOfOldestMessage",
                                "dimensions": {"QueueName": "parquet-jobs"}}]}
    info = dict(alarm="parquet-jobs-oldest-message", category="permission_denied", resources=[iw, "etl-worker-1"],
                where="front (SQS queue of the EC2 worker)", services="EC2, SQS, IAM",
                decoys="CodeDeploy deployment to reporting-1 35 s before onset, closer than the IAM change (with CPU bump); hourly KPI job and "
                       "its CPU alarm; old AccessDenied on GetBucketTagging; KMS key rotation enabled 4 h earlier",
                story=(
                    "The Ruby (Shoryuken) worker on `etl-worker-1` converts landing CSVs into KMS-encrypted "
                    "Parquet. Within a minute of `PutRolePolicy` on its instance role `etl-worker-role`, every "
                    "conversion fails with `AccessDenied ... is not authorized to perform: kms:GenerateDataKey "
                    "... because no identity-based policy allows` it; deletes stop, CPU falls, and the queue's "
                    "oldest-message age passes 20 minutes. The `GetBucketTagging` AccessDenied warnings "
                    "appear at the same rate through the whole log window and never block a job. The CodeDeploy deployment to "
                    "`reporting-1` is a different instance and application; its CPU alarm comes from the hourly "
                    "KPI job."),
                judgement=("The IAM policy edit is a configuration change of sorts, but the table names "
                           "AccessDenied after an IAM change as `permission_denied`; the origin is the worker whose "
                           "role lost the permission (the role itself is not a resource type here)."))
    return sc, info
