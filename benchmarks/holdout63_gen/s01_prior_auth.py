"""h63-01: a KMS key policy rewrite in the night window drops the intake function's
kms:Decrypt grant; the compliance scanner's AccessDenied noise is years old."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp
from .kit import arn, lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

FN = "prior-auth-intake"
NOTIFY = "pa-status-notifier"
PAYERS = ["AETNA-PA", "BCBS-MA", "UHC-COMM", "CIGNA-E", "MEDICAID-NY"]


def build() -> Scenario:
    sc = Scenario(1, "prior-auth-intake", "Prior-authorization intake errors climbing during the "
                  "overnight change window; the Errors alarm paged the on-call.",
                  "us-east-1", 6301, "2026-03-17T07:42:00+00:00")
    rng = sc.rng
    key_id = sc.uuid()
    key_arn = arn(sc, "kms", f"key/{key_id}")
    role = "pa-intake-exec"
    cause, onset = -2820, -2790
    sc.resource("lambda", FN, runtime="python3.12", timeout=30, memory_size=512,
                environment={"ATTACHMENT_KEY_ID": key_arn, "QUEUE": "pa-intake-queue"},
                vpc="vpc-0phi-core (private subnets, no NAT; interface endpoints for kms, sqs, s3)")
    sc.resource("lambda", NOTIFY, runtime="python3.12", timeout=15, memory_size=256)
    sc.resource("apigateway", "payer-portal-api", endpoint_type="PRIVATE", stage="prod")

    # ---------------------------------------------------------------- metrics
    inv = sc.series(lambda t: 22.0 * diurnal(sc, t, 15, 0.35), integer=True)
    p_err = lambda t: 0.004 + 0.965 * ramp(t, onset, onset + 300)
    err = part(sc, inv, p_err)
    dur = sc.series(lambda t: 410 - 290 * ramp(t, onset, onset + 300), noise=0.08)
    lambda_set(sc, FN, inv, err, dur)
    ninv = sc.series(lambda t: 3.0 * diurnal(sc, t, 15, 0.35), integer=True)
    sc.metric("AWS/Lambda", "Invocations", {"FunctionName": NOTIFY}, "Count", ninv)
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": NOTIFY}, "Count", [0.0] * len(GRID))
    sc.metric("AWS/Lambda", "Duration", {"FunctionName": NOTIFY}, "Milliseconds",
              sc.series(lambda t: 95 + (60 if -2795 <= t < -2600 else 0), noise=0.1))
    # messages that fail go back to the queue: its age climbs after the onset
    age = sc.series(lambda t: 14 + 2400 * ramp(t, onset + 120, -60), noise=0.1)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "pa-intake-queue"},
              "Seconds", age)
    apic = sc.series(lambda t: 9.5 * diurnal(sc, t, 15, 0.35), integer=True)
    sc.metric("AWS/ApiGateway", "Count", {"ApiName": "payer-portal-api", "Stage": "prod"}, "Count", apic)
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": "payer-portal-api", "Stage": "prod"}, "Count",
              [0.0] * len(GRID))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "python3.12", 512, 30, mem_used=(142, 8))
    acct = sc.account

    def body(_l, s, rid, is_err, cold):
        pa = f"PA-{rng.randint(10 ** 7, 10 ** 8 - 1)}"
        payer = rng.choice(PAYERS)
        lines = [(0.003, _l.fmt(s, rid, "INFO", f"received {pa} payer={payer} docs={rng.randint(1, 6)} "
                                                 f"msg_id={sc.uuid()}"))]
        if rng.random() < 0.06:
            lines.append((0.01, _l.fmt(s, rid, "WARNING", f"{pa}: payer {payer} returned 409 duplicate "
                                                           "submission, treating as accepted")))
        if is_err and s >= onset:
            msg = (f"ClientError: An error occurred (AccessDeniedException) when calling the Decrypt "
                   f"operation: User: arn:aws:sts::{acct}:assumed-role/{role}/{FN} is not authorized "
                   f"to perform: kms:Decrypt on resource: {key_arn} because no resource-based policy "
                   f"allows the kms:Decrypt action")
            tb = ("\nTraceback (most recent call last):\n"
                  '  File "/var/task/handler.py", line 64, in lambda_handler\n'
                  "    blob = envelope.open(record, tenant=payer)\n"
                  '  File "/var/task/intake/envelope.py", line 31, in open\n'
                  "    dk = _data_key(record[\"wrapped_key\"])\n"
                  '  File "/var/task/intake/envelope.py", line 19, in _data_key\n'
                  "    return kms.decrypt(CiphertextBlob=wrapped, KeyId=KEY_ID)[\"Plaintext\"]\n"
                  '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 1021, '
                  "in _make_api_call\n    raise error_class(parsed_response, operation_name)")
            lines.append((0.09, f"[ERROR] {msg}{tb}"))
            return {"lines": lines, "dur": rng.uniform(95, 160), "status": "error"}
        if is_err:
            lines.append((0.05, f"[ERROR] ProviderNotFound: NPI {rng.randint(10 ** 9, 2 * 10 ** 9)} not in "
                                "provider directory\nTraceback (most recent call last):\n"
                                '  File "/var/task/handler.py", line 52, in lambda_handler\n'
                                "    prov = directory.lookup(req.npi)\n"
                                "intake.directory.ProviderNotFound: NPI not enrolled"))
            return {"lines": lines, "dur": rng.uniform(60, 90), "status": "error"}
        d = rng.gauss(410, 50)
        lines.append((0.12, _l.fmt(s, rid, "INFO", f"{pa} attachments decrypted and staged "
                                                    f"s3://pa-attachments-prod/{pa}/")))
        lines.append((d / 1000 - 0.01, _l.fmt(s + d / 1000, rid, "INFO", f"{pa} queued for clinical "
                                                                           f"review in {d:.0f} ms")))
        return {"lines": lines, "dur": d}

    inv_s, err_s = sample(sc, inv, err, cap=3)
    ll.run(inv_s, err_s, body)

    nl = LambdaLogs(sc, NOTIFY, "python3.12", 256, 15, mem_used=(88, 5))
    nl.run(*sample(sc, ninv, None, cap=1),
           lambda _l, s, rid, e, c: {"lines": [(0.01, _l.fmt(s, rid, "INFO",
                                                              f"status update sent to portal "
                                                              f"PA-{rng.randint(10 ** 7, 10 ** 8 - 1)}"))],
                                     "dur": rng.gauss(95, 12)})
    scanner(sc, "hipaa-config-audit", "sec-audit-readonly", ["pa-attachments-prod", "phi-archive-use1",
                                                              "cloudtrail-org-logs"],
            ["prod/pa/payer-creds", "prod/pa/portal-hmac"])

    # ---------------------------------------------------------------- changes
    U = "sec-baseline-pipeline"
    night_window(sc, -9600, -3100, [
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", arn(sc, "kms", f"key/{sc.uuid()}"), U),
        ("logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup", f"/aws/lambda/{NOTIFY}", U),
        ("iam.amazonaws.com", "TagRole", "AWS::IAM::Role", role, U),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0c41d2a7be9f0e311",
         "netsec-automation"),
        ("s3.amazonaws.com", "PutBucketEncryption", "AWS::S3::Bucket", "phi-archive-use1", U),
        ("kms.amazonaws.com", "TagResource", "AWS::KMS::Key", key_arn, U),
        ("iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "sec-audit-readonly", U),
        ("config.amazonaws.com", "PutConfigRule", "AWS::Config::ConfigRule", "kms-cmk-not-scheduled-for-deletion", U),
    ])
    sc.change(cause, "kms.amazonaws.com", "PutKeyPolicy", "AWS::KMS::Key", key_arn, U)
    sc.change(-2796, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              NOTIFY, "ops-mwalker")
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "hipaa-config-audit", "gitlab-deployer")
    sc.change(-18400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              FN, "gitlab-deployer")

    # ---------------------------------------------------------------- alarms
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Prior-auth intake failing invocations (PagerDuty: phi-intake)")
    sc.alarm("pa-intake-queue-age", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "pa-intake-queue"}, "Maximum", 300, 2, 900, "GreaterThanThreshold")
    sc.alarm("payer-portal-api-5xx", "AWS/ApiGateway", "5XXError",
             {"ApiName": "payer-portal-api", "Stage": "prod"}, "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "permission_denied", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return sc
