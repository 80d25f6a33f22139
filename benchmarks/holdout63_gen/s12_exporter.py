"""h63-12: network security tightens the S3 gateway endpoint policy to an allow-list of
buckets; the bulk exporter's staging bucket is missing from it and every upload is denied."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp
from .kit import LOG_START, alb, alb_id, ecs, emit, night_window, part, scanner, task_ids
from .runtimes import zap

CL, SVC, SIB = "records", "bulk-exporter", "fhir-api"
BUCKET = "mhr-export-staging-apse2"


def build() -> Scenario:
    sc = Scenario(12, "records-export", "Hospital bulk record exports failing overnight; internal ALB "
                  "5XX alarm in ALARM.", "ap-southeast-2", 6312, "2026-04-28T17:20:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "records-internal")
    cause, decoy, onset = -3000, -2975, -2960
    vpce = "vpce-07a91c3d5e2f4b688"
    sc.resource("alb", lb, name="records-internal", scheme="internal",
                routes={"/v1/exports*": SVC, "/fhir/*": SIB})
    sc.resource("ecs", f"{CL}/{SVC}", desired_count=2, cpu=1024, memory_mb=2048, runtime="go1.22",
                task_role="bulk-exporter-task", s3_path=f"gateway endpoint {vpce}")
    sc.resource("ecs", f"{CL}/{SIB}", desired_count=3, cpu=512, memory_mb=1024, runtime="go1.22")
    sc.resource("rds", "records-aurora-w", engine="aurora-postgresql", instance_class="db.r6g.large",
                max_connections=1000)

    # ---------------------------------------------------------------- metrics
    req = sc.series(lambda t: 48 * diurnal(sc, t, 3, 0.3), integer=True)
    p = lambda t: 0.002 + 0.58 * ramp(t, onset, onset + 45)
    t5 = part(sc, req, p)
    alb(sc, lb, req, t5, sc.series(lambda t: 0.42 - 0.2 * ramp(t, onset, onset + 60), noise=0.12),
        e5xx=[0.0] * len(GRID))
    ecs(sc, CL, SVC, sc.series(lambda t: 31 - 19 * ramp(t, onset, onset + 120), noise=0.1),
        sc.series(lambda t: 44, noise=0.03))
    ecs(sc, CL, SIB, sc.series(lambda t: 18 + (14 if decoy + 30 < t < decoy + 200 else 0), noise=0.1),
        sc.series(lambda t: 39, noise=0.03))
    for name, base in (("CPUUtilization", 16), ("DatabaseConnections", 120)):
        sc.metric("AWS/RDS", name, {"DBInstanceIdentifier": "records-aurora-w"},
                  "Percent" if name == "CPUUtilization" else "Count",
                  sc.series(lambda t, b=base: b, noise=0.06, integer=name == "DatabaseConnections"))

    # ---------------------------------------------------------------- logs
    p_at = {t: p(t) for t in GRID}
    grp = f"/ecs/{SVC}"
    acct = sc.account
    for tid in task_ids(sc, 2):
        st = f"exporter/{SVC}/{tid}"

        def line(t):
            job = f"exp-{sc.hexid(10)}"
            facility = rng.choice(["RBWH", "PAH", "GCUH", "TPCH", "SCUH"])
            key = f"{facility}/{sc.at(t).strftime('%Y%m%d')}/{job}/part-{rng.randint(1, 400):05d}.ndjson.gz"
            if t >= onset and rng.random() < p_at.get(int(t // 60 * 60), 0) * 1.05:
                e = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: "
                     f"{sc.hexid(16).upper()}, HostID: {sc.hexid(40)}=, api error AccessDenied: User: "
                     f"arn:aws:sts::{acct}:assumed-role/bulk-exporter-task/{tid} is not authorized to perform: "
                     f"s3:PutObject on resource: \"arn:aws:s3:::{BUCKET}/{key}\" because no VPC endpoint policy "
                     f"allows the s3:PutObject action")
                return [(0, zap(sc, t, "error", "export/writer.go:142", "upload part failed", job=job,
                                bucket=BUCKET, key=key, error=e)),
                        (0.002, zap(sc, t, "error", "httpapi/exports.go:88", "request failed", method="POST",
                                    path=f"/v1/exports/{job}/parts", status=500, dur_ms=rng.randint(30, 90)))]
            return zap(sc, t, "info", "httpapi/exports.go:97", "part stored", job=job, bucket=BUCKET, key=key,
                       bytes=rng.randint(2, 60) * 2 ** 20, dur_ms=rng.randint(180, 900))

        emit(sc, grp, st, LOG_START, 0, lambda t: 1.6, line)
        emit(sc, grp, st, LOG_START, 0, lambda t: 0.6,
             lambda t: zap(sc, t, "warn", "export/reader.go:61", "retrying S3 request", attempt=rng.randint(1, 3),
                           bucket="mhr-clinical-docs-apse2",
                           error="operation error S3: GetObject, https response error StatusCode: 503, RequestID: "
                                 f"{sc.hexid(16).upper()}, api error SlowDown: Please reduce your request rate."))
    sgrp = f"/ecs/{SIB}"
    stids = task_ids(sc, 6)
    for i, tid in enumerate(stids):
        start, end = (LOG_START, decoy + 70 + 40 * i) if i < 3 else (decoy + 60 + 40 * (i - 3), 0)
        emit(sc, sgrp, f"api/{SIB}/{tid}", start, end, lambda t: 1.0,
             lambda t: zap(sc, t, "info", "server/handler.go:211", "served", method="GET",
                           path=f"/fhir/Patient/{rng.randint(10 ** 7, 10 ** 8)}/$everything", status=200,
                           dur_ms=rng.randint(20, 300)))
    scanner(sc, "ism-irap-sweep", "irap-audit-ro", [BUCKET, "mhr-clinical-docs-apse2", "records-tf-state"],
            ["prod/records/aurora", "prod/records/hi-service"], every=600)

    # ---------------------------------------------------------------- changes
    night_window(sc, -8000, -3300, [
        ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "bulk-exporter-task", "svc-terraform"),
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key",
         f"arn:aws:kms:ap-southeast-2:{acct}:key/{sc.uuid()}", "ism-baseline"),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0e33a9f10b7c5d291", "netsec-automation"),
        ("s3.amazonaws.com", "PutBucketPolicy", "AWS::S3::Bucket", "mhr-clinical-docs-apse2", "ism-baseline"),
        ("iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "irap-audit-ro", "ism-baseline"),
    ])
    sc.change(cause, "ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", vpce, "netsec-automation")
    sc.change(decoy - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{SIB}:212",
              "buildkite-deployer")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SIB}", "buildkite-deployer")

    # ---------------------------------------------------------------- alarms
    sc.alarm("records-internal-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 5, "GreaterThanThreshold", "Records internal ALB backend 5XX")
    sc.alarm("records-internal-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 300, 2, 1.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "records-internal-target-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [f"{CL}/{SVC}", SVC]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
