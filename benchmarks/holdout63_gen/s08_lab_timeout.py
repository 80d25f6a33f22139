"""h63-08: end-of-day HL7 batches from one laboratory are ten times larger than usual; the
normaliser runs into its 60 s timeout on every one of them (and on every SQS redelivery)."""
from __future__ import annotations

from .common import GRID, Scenario, bump, ramp
from .kit import lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

FN, ROUTER, Q = "lab-results-normalizer", "lab-results-router", "lab-results-inbound"
SENDERS = ["LAB-MUENCHEN-01", "LAB-HAMBURG-02", "LAB-DRESDEN-05", "LAB-KOELN-03", "KLINIKUM-NORD-LIS"]


def build() -> Scenario:
    sc = Scenario(8, "lab-results", "Lab result normalisation failing overnight; Errors alarm and "
                  "growing inbound queue age.", "eu-central-1", 6308, "2026-11-05T03:15:00+00:00")
    rng = sc.rng
    onset = -2520
    sc.resource("lambda", FN, runtime="dotnet8", timeout=60, memory_size=1024,
                event_source=f"sqs:{Q} (batch size 1, visibility timeout 90 s)")
    sc.resource("lambda", ROUTER, runtime="dotnet8", timeout=30, memory_size=512)

    # ---------------------------------------------------------------- metrics
    big = lambda t: 0.38 * ramp(t, onset, onset + 240)
    inv = sc.series(lambda t: 5.0 + 2.0 * ramp(t, onset + 90, onset + 400), integer=True)
    err = part(sc, inv, big)
    dur = [round(max(1500.0, rng.gauss(7400, 1500)) * (1 - big(t)) + 60000.0 * big(t), 2) for t in GRID]
    lambda_set(sc, FN, inv, err, dur, thr=[0.0] * len(GRID))
    rinv = sc.series(lambda t: 6.0, integer=True)
    lambda_set(sc, ROUTER, rinv, [0.0] * len(GRID),
               sc.series(lambda t: 240 + bump(t, -14000, -13700, 1900, 60) + 40 * ramp(t, -2600, -2540), noise=0.1))
    age = sc.series(lambda t: 35 + 2900 * ramp(t, onset + 200, -30) ** 0.8, noise=0.08)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q}, "Seconds", age)
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": Q}, "Count",
              sc.series(lambda t: 2 + 34 * ramp(t, onset + 200, -30), noise=0.1, integer=True))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "dotnet8", 1024, 60, mem_used=(420, 40))

    def body(_l, s, rid, is_err, cold):
        if is_err:
            sender, msgs = "LAB-KOELN-03", rng.randint(900, 2400)
        else:
            sender, msgs = rng.choice([x for x in SENDERS if x != "LAB-KOELN-03"] + ["LAB-KOELN-03"]), rng.randint(20, 80)
        obx = msgs * rng.randint(9, 16)
        ctl = f"{sender[:4]}{rng.randint(10 ** 9, 10 ** 10 - 1)}"
        lines = [(0.01, _l.fmt(s, rid, "INFO", f"Received ORU^R01 batch MSH-10={ctl} sender={sender} "
                                                f"messages={msgs} obx={obx} bytes={obx * rng.randint(310, 380)}"))]
        if rng.random() < 0.25:
            lines.append((0.4, _l.fmt(s + 0.4, rid, "WARN", f"LOINC mapping cache miss for local code "
                                                              f"{rng.choice(['GLU-POC', 'HBA1C-L', 'CRP-Q', 'TSH-3G'])}; "
                                                              "terminology service retry (attempt 2/3)")))
        per = rng.uniform(0.0078, 0.0092)  # seconds per OBX segment
        total = obx * per
        step = max(1, obx // 6)
        k = step
        while k < obx and k * per < 59.5:
            lines.append((k * per, _l.fmt(s + k * per, rid, "INFO", f"Normalized {k}/{obx} OBX segments "
                                                                    f"(ctl={ctl})")))
            k += step
        if is_err or total > 59.5:
            return {"lines": lines, "dur": 60000, "status": "timeout", "mem": rng.randint(480, 640)}
        lines.append((total + 0.02, _l.fmt(s + total + 0.02, rid, "INFO",
                                           f"Wrote FHIR bundle s3://lab-fhir-normalized-euc1/{sender}/{ctl}.json "
                                           f"in {rng.randint(60, 140)} ms")))
        return {"lines": lines, "dur": total * 1000 + rng.uniform(80, 160)}

    ll.run(*sample(sc, inv, err, cap=3), body)
    rl = LambdaLogs(sc, ROUTER, "dotnet8", 512, 30, mem_used=(160, 10), retire=(-2600,))
    rl.run(*sample(sc, rinv, None, cap=1),
           lambda _l, s, rid, e, c: {"lines": [(0.01, _l.fmt(s, rid, "INFO",
                                                              f"Routed MLLP frame from {rng.choice(SENDERS)} to {Q}"))],
                                     "dur": rng.gauss(240, 30)})
    scanner(sc, "bsi-c5-evidence", "c5-audit-readonly", ["lab-fhir-normalized-euc1", "lab-hl7-raw-euc1"],
            ["prod/lab/mllp-tls", "prod/lab/terminology-api"], every=600)

    # ---------------------------------------------------------------- changes
    U = "svc-terraform-lab"
    night_window(sc, -10400, -3000, [
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key",
         f"arn:aws:kms:eu-central-1:{sc.account}:key/{sc.uuid()}", "c5-baseline"),
        ("sqs.amazonaws.com", "TagQueue", "AWS::SQS::Queue", Q, U),
        ("logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup", f"/aws/lambda/{FN}", "c5-baseline"),
        ("iam.amazonaws.com", "TagRole", "AWS::IAM::Role", "lab-normalizer-exec", U),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0f6d3a2b91c7e4058", "netsec-automation"),
        ("s3.amazonaws.com", "PutBucketPolicy", "AWS::S3::Bucket", "lab-hl7-raw-euc1", "c5-baseline"),
    ])
    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              ROUTER, "ops-fschneider")

    # ---------------------------------------------------------------- alarms
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 2, 3,
             "GreaterThanThreshold", "Lab result normaliser failing")
    sc.alarm(f"{Q}-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q}, "Maximum", 300, 2, 900,
             "GreaterThanThreshold")
    sc.alarm(f"{ROUTER}-duration", "AWS/Lambda", "Duration", {"FunctionName": ROUTER}, "Average", 300, 1, 1500,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "function_timeout", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}}]}
    return sc
