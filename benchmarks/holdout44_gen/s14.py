"""h44-14: invoice archiving fails with AccessDenied after the S3 gateway endpoint policy was narrowed."""
from __future__ import annotations

from .common import ACCOUNT, Rng, Scenario, diurnal, ramp, wall
from .kit import py_info, py_unhandled, py_warn, sim_lambda

REGION = "eu-west-3"
VPCE = "vpce-0f3a5c7e9b1d24680"
T0 = -1700


def build() -> dict:
    rng = Rng(4414)
    sc = Scenario("h44-14-invoice-archiver-endpoint-policy", REGION,
                  "Invoices not appearing in the finance archive; invoice-archiver Errors alarm fired.")
    endpoint = {"id": VPCE, "name": "finance-vpc-s3-gw", "type": "Gateway", "service": "com.amazonaws.eu-west-3.s3",
                "route_tables": ["rtb-0a2c4e6f8b0d13579 (finance-private)"],
                "policy_allows": {"actions": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                                  "resources": ["arn:aws:s3:::acme-fin-ledger-exports/*", "arn:aws:s3:::acme-fin-reports/*",
                                                "arn:aws:s3:::prod-artifacts-eu-west-3/*", "arn:aws:s3:::acme-fin-ledger-exports",
                                                "arn:aws:s3:::acme-fin-reports"]}}
    vpc = {"vpc_id": "vpc-0d2f4a6c8e0b13579 (finance-vpc)", "subnet_ids": ["subnet-0a1c3e5f7b9d24681", "subnet-0a1c3e5f7b9d24692"],
           "security_group_ids": ["sg-0e1f3a5c7b9d24680 (finance-lambda-sg)"], "internet_egress": "none (no NAT)",
           "s3_gateway_endpoint": endpoint}
    sc.res("lambda", "invoice-archiver", runtime="python3.12", handler="app.handler", timeout=30, memory_size=512, vpc_config=vpc,
           role="invoice-archiver-role (allows s3:PutObject on arn:aws:s3:::acme-fin-invoices-prod/*, kms:GenerateDataKey)",
           environment={"ARCHIVE_BUCKET": "acme-fin-invoices-prod", "KMS_KEY_ALIAS": "alias/fin-archive"},
           triggers=["sqs invoices-to-archive (batch 1)"])
    sc.res("lambda", "ledger-export", runtime="python3.12", handler="export.handler", timeout=120, memory_size=1024, vpc_config=vpc,
           role="ledger-export-role", environment={"EXPORT_BUCKET": "acme-fin-ledger-exports"},
           triggers=["eventbridge schedule rate(2 minutes)"])
    sc.res("lambda", "invoice-generator", runtime="python3.12", handler="gen.handler", timeout=60, memory_size=1024,
           environment={"OUTPUT_QUEUE": "invoices-to-archive", "TEMPLATE": "fr-invoice-v3"})

    f = lambda t: ramp(t, T0 + 8, 20)
    rate = lambda t: 12 * diurnal(t, 0.2, -5000)

    def arch_body(t, rid, is_err, d):
        inv = f"INV-2026-{rng.randint(300000, 399999):07d}"
        key = f"{wall(t).strftime('%Y/%m/%d')}/{inv}.pdf"
        lines = [(0.004, py_info(t, rid, f"archiving {inv} size={rng.randint(40, 400)}KB customer=FR{rng.randint(10**8, 10**9)}"))]
        if is_err:
            lines.append((d / 1000 - 0.004, py_unhandled(
                "ClientError", "An error occurred (AccessDenied) when calling the PutObject operation: User: "
                f"arn:aws:sts::{ACCOUNT}:assumed-role/invoice-archiver-role/invoice-archiver is not authorized to perform: "
                f"s3:PutObject on resource: \"arn:aws:s3:::acme-fin-invoices-prod/{key}\" because no VPC endpoint policy "
                "allows the s3:PutObject action",
                [("/var/task/app.py", 44, "handler", 's3.put_object(Bucket=BUCKET, Key=key, Body=pdf, ServerSideEncryption="aws:kms")'),
                 ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 565, "_api_call", "return self._make_api_call(operation_name, kwargs)"),
                 ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1021, "_make_api_call",
                  "raise error_class(parsed_response, operation_name)")])))
        elif rng.random() < 0.05:
            lines.append((d / 1000 - 0.004, py_warn(t, rid, f"{inv} already archived (ETag match); skipping duplicate")))
        else:
            lines.append((d / 1000 - 0.004, py_info(t, rid, f"stored s3://acme-fin-invoices-prod/{key} version={rng.hexs(16)}")))
        return lines, None
    sim_lambda(sc, rng, "invoice-archiver", rate=rate, err=lambda t: 0.995 * f(t),
               dur=lambda t, e: rng.gauss(95, 20) if e else rng.gauss(240, 45), body=arch_body, mem_used=(96, 110),
               log_from=-10800, streams=2)

    def exp_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"exported {rng.randint(800, 2400)} ledger rows to s3://acme-fin-ledger-exports/"
                                       f"{wall(t).strftime('%Y/%m/%d/%H%M')}.parquet"))], None
    sim_lambda(sc, rng, "ledger-export", rate=lambda t: 0.5, dur=lambda t, e: rng.gauss(5200, 800), body=exp_body,
               memory=1024, mem_used=(300, 360), log_from=-10800, streams=1)

    def gen_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"generated {rng.randint(1, 4)} invoices, queued to invoices-to-archive"))], None
    sim_lambda(sc, rng, "invoice-generator", rate=lambda t: rate(t) / 2.2, dur=lambda t, e: rng.gauss(1400, 250), body=gen_body,
               memory=1024, mem_used=(260, 300), log_from=-7200, streams=1)

    sc.change(-8000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-archiver", "gitlab-fin-ci")
    sc.change(-2000, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ledger-export-role", "platform-iam-bot")
    sc.change(T0, "ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", VPCE, "netsec-guardrails-pipeline")
    sc.alarm("invoice-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-archiver"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "ALARM", T0 + 300, description="invoice archiving failures (finance platform)")
    sc.alarm("ledger-export-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-export"}, "Sum", 300, 1, 0,
             "GreaterThanThreshold", "OK", -70000)
    sc.expect("invoice-archiver-errors", "permission_denied", [VPCE, "finance-vpc-s3-gw"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "invoice-archiver"}}])
    return sc.done()
