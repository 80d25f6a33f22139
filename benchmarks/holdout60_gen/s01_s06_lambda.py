"""Scenarios 01 (secret access removed by an auditor) and 06 (wrong secret id in env)."""
from __future__ import annotations

from .common import Scenario, diurnal, step
from .kit import GRID, counts, gauge, lambda_block, rds_metrics, sqs_metric


# ============================================================================ 01
def s01() -> Scenario:
    sc = Scenario(1, "statement-batch-secret", "Month-end statement batches are not completing; "
                  "the statement worker's Errors alarm paged the payments on-call.",
                  "eu-west-1", 6001, "2026-01-30T16:20:00+00:00")
    T0, TC, TD = -2100, -2290, -2170
    acct = sc.account
    fn, role, secret = "stmt-assembler", "stmt-assembler-exec", "prod/statements/db-app"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024,
                trigger="SQS stmt-render-queue", role=role)
    sc.resource("lambda", "fx-snapshot", runtime="nodejs20.x", timeout=30, memory_size=256,
                trigger="EventBridge rate(1 minute)")
    sc.resource("lambda", "notify-dispatch", runtime="python3.12", timeout=15, memory_size=256)

    def body(ll, t, rid, is_err, cold):
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"fetching credentials secret_id={secret}"))]
        batch = f"stmt-2026-01-{sc.rng.randint(1000, 9999)}"
        if is_err:
            msg = (f"[ERROR] ClientError: An error occurred (AccessDeniedException) when calling "
                   f"the GetSecretValue operation: User: arn:aws:sts::{acct}:assumed-role/{role}/"
                   f"{fn} is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                   f"{secret} because no identity-based policy allows the "
                   f"secretsmanager:GetSecretValue action\nTraceback (most recent call last):\n"
                   f"  File \"/var/task/app/handler.py\", line 58, in handler\n"
                   f"    creds = get_db_credentials()\n"
                   f"  File \"/var/task/app/secrets.py\", line 22, in get_db_credentials\n"
                   f"    resp = _sm.get_secret_value(SecretId=SECRET_ID)\n"
                   f"  File \"/var/runtime/botocore/client.py\", line 1021, in _make_api_call\n"
                   f"    raise error_class(parsed_response, operation_name)")
            return {"lines": lines + [(0.16, msg)], "dur": sc.rng.uniform(140, 260)}
        d = max(600.0, sc.rng.gauss(2400, 500))
        if sc.rng.random() < 0.22:
            lines.append((0.4, ll.fmt(t, rid, "WARNING",
                         f"overlay template s3://stmt-templates-{acct}/overlays/branch-"
                         f"{sc.rng.randint(100, 480):03d}.json not found, using default")))
        n = sc.rng.randint(180, 260)
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                     f"batch {batch} accounts={n} rendered={n} pdf_bytes={n * 41873} "
                     f"elapsed={d / 1000:.2f}s")))
        return {"lines": lines, "dur": d}

    inv, err = lambda_block(
        sc, fn, "python3.12", 1024, 120, lambda t: step(t, T0, 6, 9.5, 240),
        lambda t: 2400 if t < T0 else 210, lambda t: 0.97 if t >= T0 else 0.0, body)

    def fx_body(ll, t, rid, is_err, cold):
        d = max(200.0, sc.rng.gauss(850, 120))
        return {"lines": [(0.05, ll.fmt(t, rid, "INFO", f"snapshot ECB/EUR rates count=31 "
                                        f"source=refdata age_s={sc.rng.randint(20, 70)}"))],
                "dur": d}
    lambda_block(sc, "fx-snapshot", "nodejs20.x", 256, 30, lambda t: 1, lambda t: 850,
                  lambda t: 0.0, fx_body, retire=(TD + 20,), amp=0.0,
                  epochs=((-10 ** 9, "$LATEST"),))

    def nd_body(ll, t, rid, is_err, cold):
        if is_err:
            to = f"cust{sc.rng.randint(10000, 99999)}@"
            return {"lines": [(0.05, f"[ERROR] MessageRejected: An error occurred (InvalidParameterValue)"
                               f" when calling the SendEmail operation: Missing final '@domain' in "
                               f"address {to}\nTraceback (most recent call last):\n  File "
                               f"\"/var/task/dispatch.py\", line 77, in handler\n    ses.send_email(**msg)")],
                    "dur": sc.rng.uniform(80, 160)}
        return {"lines": [(0.05, ll.fmt(t, rid, "INFO", "sent statement-ready notice "
                                        f"template=eom_ready_v3 msg_id=0102{sc.hexid(12)}"))],
                "dur": sc.rng.uniform(90, 240)}
    lambda_block(sc, "notify-dispatch", "python3.12", 256, 15, lambda t: 14, lambda t: 160,
                  lambda t: 0.2, nd_body, cap=3)

    sqs_metric(sc, "stmt-render-queue", "ApproximateAgeOfOldestMessage", "Seconds",
               gauge(sc, lambda t: 45 if t < T0 else 45 + (t - T0) * 0.98, noise=0.15))
    sqs_metric(sc, "stmt-render-queue", "ApproximateNumberOfMessagesVisible", "Count",
               counts(sc, lambda t: 12 if t < T0 else 12 + (t - T0) / 60 * 6.2))

    auditor = "AWSReservedSSO_AuditReadOnly_6b2e91f0c4d3a7e5/ines.duarte"
    sc.change(-9650, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy",
              "ReportingReadOnly", auditor)
    sc.change(-14020, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
              secret, "stmt-db-rotator")
    sc.change(TC, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, auditor)
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "fx-snapshot", "gh-actions-deploy")
    sc.change(TD + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "fx-snapshot", "gh-actions-deploy")

    sc.alarm("notify-dispatch-errors", "AWS/Lambda", "Errors", {"FunctionName": "notify-dispatch"},
             "Sum", 300, 1, 5, "GreaterThanThreshold", "Notification sender errors")
    sc.alarm("stmt-render-queue-age", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "stmt-render-queue"}, "Maximum", 300, 1, 900, "GreaterThanThreshold")
    sc.alarm("stmt-assembler-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3,
             2, "GreaterThanThreshold", "Statement assembler failures")
    sc.expect = {"alarm": "stmt-assembler-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin", services="Lambda (Python), SQS, IAM, Secrets Manager",
        decoys="fx-snapshot deploy 2 min after the IAM change; notify-dispatch errors alarm "
               "(in ALARM for hours); secret rotation 3.3 h earlier; queue-age alarm",
        story=(
            "Month-end statement batches are rendered by `stmt-assembler`, an SQS-triggered "
            "Python Lambda that fetches its database credentials from Secrets Manager on every "
            "batch. At onset-3 min a session of the auditors' SSO role (`AuditReadOnly`, which "
            "should not be able to write IAM at all) runs `DetachRolePolicy` on the function's "
            "execution role `stmt-assembler-exec`. From the next minute nearly every invocation "
            "fails in ~200 ms with `AccessDeniedException ... not authorized to perform "
            "secretsmanager:GetSecretValue ... because no identity-based policy allows`, retries "
            "raise Invocations, and the queue age climbs. Decoys: `fx-snapshot` is deployed "
            "between the IAM change and the onset (its logs and errors do not move); "
            "`notify-dispatch` has been failing on malformed e-mail addresses at the same rate "
            "for six hours and its alarm is in ALARM; the secret was rotated ~3.3 h earlier with "
            "clean batches afterwards; the overlay-template WARNINGs are old."),
    )
    return sc


# ============================================================================ 06
def s06() -> Scenario:
    sc = Scenario(6, "fee-accrual-env", "Fee accrual for the February close is failing; "
                  "Errors alarm on the accrual runner and the DLQ is filling.",
                  "ca-central-1", 6006, "2026-02-27T19:05:00+00:00")
    T0, TC, TD = -1740, -1830, -1790
    fn, good, bad = "fee-accrual-runner", "prod/accrual/db-app", "prod/accrual/db-app-v2"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=60, memory_size=512,
                trigger="SQS accrual-batches")
    sc.resource("lambda", "rate-card-sync", runtime="python3.13", timeout=60, memory_size=256)
    sc.resource("rds", "accrual-pg", engine="postgres", engine_version="16.3",
                instance_class="db.r6g.large", max_connections=800, allocated_storage_gb=400)

    def body(ll, t, rid, is_err, cold):
        lines = []
        sid = bad if t >= TC else good
        if cold:
            lines.append((0.002, ll.fmt(t, rid, "INFO", f"config loaded DB_SECRET_ID={sid} "
                                        f"ACCRUAL_MODE=month_end FEE_TABLE=2026Q1")))
        if is_err:
            lines.append((0.05, ll.fmt(t, rid, "ERROR", "accrual batch aborted: "
                         "Aws::SecretsManager::Errors::ResourceNotFoundException: Secrets "
                         "Manager can't find the specified secret. (secret_id=" + sid + ")")))
            lines.append((0.06, "{\"errorMessage\":\"Secrets Manager can't find the specified "
                          "secret.\",\"errorType\":\"Function<Aws::SecretsManager::Errors::"
                          "ResourceNotFoundException>\",\"stackTrace\":[\"/opt/ruby/gems/3.3.0/gems/"
                          "aws-sdk-core-3.201.0/lib/seahorse/client/plugins/raise_response_errors."
                          "rb:17:in `call'\",\"/var/task/lib/db_credentials.rb:14:in `fetch'\","
                          "\"/var/task/handler.rb:22:in `handler'\"]}"))
            return {"lines": lines, "dur": sc.rng.uniform(90, 180)}
        d = max(400.0, sc.rng.gauss(3100, 700))
        n = sc.rng.randint(300, 500)
        if sc.rng.random() < 0.3:
            lines.append((0.3, ll.fmt(t, rid, "WARN", f"account 44{sc.rng.randint(1000, 9999)}"
                                      f"{sc.rng.randint(10, 99)} has no fee schedule, skipping")))
        lines.append((d / 1000 - 0.02, ll.fmt(t + d / 1000, rid, "INFO",
                     f"accrued fees accounts={n} posted={n} total_cad={n * 3.75:.2f} "
                     f"in {d / 1000:.2f}s")))
        return {"lines": lines, "dur": d}

    lambda_block(sc, fn, "ruby3.3", 512, 60, lambda t: step(t, T0, 7, 10, 300),
                  lambda t: 3100 if t < T0 else 140, lambda t: 0.98 if t >= T0 else 0.0, body,
                  retire=(TC + 5,))

    def rc_body(ll, t, rid, is_err, cold):
        if is_err:
            return {"lines": [(0.02, "[ERROR] RateCardValidationError: rate card FX-CADUSD-0227 "
                               "missing effective_to\nTraceback (most recent call last):\n  File "
                               "\"/var/task/sync.py\", line 88, in handler\n    validate(card)")],
                    "dur": sc.rng.uniform(120, 300)}
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", f"synced rate cards upserted="
                                        f"{sc.rng.randint(2, 30)} unchanged={sc.rng.randint(300, 340)}"))],
                "dur": sc.rng.uniform(400, 1200)}
    lambda_block(sc, "rate-card-sync", "python3.13", 256, 60, lambda t: 2, lambda t: 800,
                  lambda t: 0.15, rc_body, retire=(TD + 10,), amp=0.0)

    rds_metrics(sc, "accrual-pg", gauge(sc, lambda t: 22 * diurnal(sc, t) + (-6 if t > T0 else 0),
                                        abs_noise=2), counts(sc, lambda t: 64),
                gauge(sc, lambda t: 212.0 - (t + 21600) / 21600 * 0.4, noise=0.0005),
                gauge(sc, lambda t: 0.0012, noise=0.2, digits=5),
                gauge(sc, lambda t: 0.0021, noise=0.2, digits=5))
    sqs_metric(sc, "accrual-batches-dlq", "ApproximateNumberOfMessagesVisible", "Count",
               [float(v) for v in (round(0 if t < T0 + 240 else (t - T0 - 240) / 60 * 3.1)
                                   for t in GRID)])

    sc.change(-10380, "secretsmanager.amazonaws.com", "RotateSecret",
              "AWS::SecretsManager::Secret", good, "accrual-db-rotator")
    sc.change(TC, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "j.tremblay")
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "rate-card-sync", "ci-deployer")
    sc.change(-5400, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role",
              "accrual-reporting-ro", "AWSReservedSSO_AuditReadOnly_0e55c2d1a9b8f7c6/l.gagnon")

    sc.alarm("rate-card-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "rate-card-sync"},
             "Sum", 900, 1, 0, "GreaterThanThreshold")
    sc.alarm("accrual-dlq-visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "accrual-batches-dlq"}, "Maximum", 60, 1, 10, "GreaterThanThreshold")
    sc.alarm("fee-accrual-runner-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum",
             60, 3, 2, "GreaterThanThreshold", "Fee accrual runner errors")
    sc.expect = {"alarm": "fee-accrual-runner-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin", services="Lambda (Ruby, Python), SQS, RDS PostgreSQL, Secrets Manager",
        decoys="rate-card-sync deploy closer to onset (its errors alarm has been firing all day); "
               "secret rotation 2.4 h before; auditor role trust-policy edit; DLQ alarm",
        story=(
            "`fee-accrual-runner` (Ruby 3.3 Lambda on an SQS queue) posts month-end fees into "
            "`accrual-pg`. At onset-1.5 min a console user runs "
            "`UpdateFunctionConfiguration` on it; the new environments log `config loaded "
            "DB_SECRET_ID=prod/accrual/db-app-v2` and every batch then fails with "
            "`Aws::SecretsManager::Errors::ResourceNotFoundException: Secrets Manager can't find "
            "the specified secret`, i.e. the setting names a secret that does not exist. The "
            "database is idle and healthy. Decoys: `rate-card-sync` is deployed 40 s later, "
            "closer to the onset, but its validation errors run at the same rate before and "
            "after (its alarm has been in ALARM for hours); the real secret was rotated 2.4 h "
            "earlier and batches succeeded afterwards; an auditor edited a trust policy on an "
            "unrelated reporting role."),
    )
    return sc
