"""h63-13: the external EDI clearinghouse degrades (timeouts, 503s); the X12 270/271
eligibility function behind the member-services private API returns 504s."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp
from .kit import apigw, apigw_exec, lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

API, STAGE, API_ID = "member-services", "prod", "h5t8bq2n6c"
FN, SIB = "eligibility-270", "member-card-pdf"
CH = "edi.claimsbridge-hub.net"


def build() -> Scenario:
    sc = Scenario(13, "eligibility-checks", "Front-desk eligibility checks failing or very slow at "
                  "clinics; member-services API 5XX alarm.", "us-east-1", 6313, "2026-12-02T15:05:00+00:00")
    rng = sc.rng
    onset = -2040
    sc.resource("apigateway", API, endpoint_type="PRIVATE", stage=STAGE, api_id=API_ID,
                integration={"/eligibility": FN, "/cards": SIB})
    sc.resource("lambda", FN, runtime="java21", timeout=29, memory_size=1536,
                environment={"CLEARINGHOUSE_URL": f"https://{CH}/x12/v2/270", "HTTP_TIMEOUT_MS": "10000",
                             "HTTP_RETRIES": "1"}, egress="NAT gateway nat-0c7e1f2a94b3d6e58")
    sc.resource("lambda", SIB, runtime="java21", timeout=15, memory_size=1024)

    # ---------------------------------------------------------------- metrics
    bad = lambda t: ramp(t, onset, onset + 180)
    inv = sc.series(lambda t: 70 * diurnal(sc, t, 17, 0.5), integer=True)
    fail = part(sc, inv, lambda t: 0.004 + 0.62 * bad(t))
    dur = sc.series(lambda t: 880 + 12500 * bad(t), noise=0.1)
    lambda_set(sc, FN, inv, part(sc, inv, lambda t: 0.001), dur, thr=[0.0] * len(GRID),
               conc=sc.series(lambda t: 2 + 16 * bad(t), noise=0.12, integer=True))
    cinv = sc.series(lambda t: 22 * diurnal(sc, t, 17, 0.5), integer=True)
    cdur = sc.series(lambda t: 640, noise=0.1)
    lambda_set(sc, SIB, cinv, [0.0] * len(GRID), cdur)
    cnt = [a + b for a, b in zip(inv, cinv)]
    e4 = part(sc, cnt, lambda t: 0.015)
    apigw(sc, API, STAGE, cnt, fail, e4,
          [round((d * a + c * b) / max(1.0, a + b) + 25, 1) for d, c, a, b in zip(dur, cdur, inv, cinv)])

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "java21", 1536, 29, mem_used=(310, 18))
    payers = ["AETNA", "HUMANA", "CIGNA", "BCBSIL", "UHC", "MEDICAID-IL"]

    def body(_l, s, rid, is_err, cold):
        member = f"M{rng.randint(10 ** 7, 10 ** 8)}"
        payer = rng.choice(payers)
        isa = f"{rng.randint(10 ** 8, 10 ** 9):09d}"
        lines = [(0.01, _l.fmt(s, rid, "INFO", f"c.m.e.EligibilityHandler - 270 request member={member} payer={payer} "
                                               f"ISA13={isa}"))]
        if rng.random() < 0.08:
            lines.append((0.6, _l.fmt(s + 0.6, rid, "WARN", f"c.m.e.X12Parser - AAA*Y**42*R segment from {payer}: "
                                                             "unable to respond at current time (payer-side)")))
        if is_err:
            if rng.random() < 0.55:
                lines += [(10.0, _l.fmt(s + 10, rid, "WARN", f"c.m.e.ClearinghouseClient - POST https://{CH}/x12/v2/270 "
                                                              "attempt 1/2 failed: java.net.http.HttpTimeoutException: "
                                                              "request timed out")),
                          (20.0, _l.fmt(s + 20, rid, "WARN", f"c.m.e.ClearinghouseClient - POST https://{CH}/x12/v2/270 "
                                                              "attempt 2/2 failed: java.net.http.HttpTimeoutException: "
                                                              "request timed out"))]
                d = 20050 + rng.uniform(0, 60)
                why = "request timed out after 2 attempts"
            else:
                lines.append((rng.uniform(1.5, 4), _l.fmt(s + 2, rid, "WARN", f"c.m.e.ClearinghouseClient - "
                                                                               f"{CH} returned HTTP 503 Service "
                                                                               "Unavailable (Retry-After: 120) body="
                                                                               "\"<html><body><h1>503 Service "
                                                                               "Temporarily Unavailable</h1>\"")))
                d = rng.uniform(2500, 6000)
                why = "HTTP 503 from clearinghouse"
            lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "ERROR", f"c.m.e.EligibilityHandler - 271 not received "
                                                                       f"for member={member}: upstream unavailable "
                                                                       f"({why}); returning 504")))
            apigw_exec(sc, API_ID, STAGE, s - 0.03, [
                (0.0, f"Starting execution for request: {sc.uuid()}"),
                (d / 1000 + 0.05, f"Endpoint response body before transformations: {{\"statusCode\":504,"
                                  f"\"body\":\"{{\\\"error\\\":\\\"eligibility upstream unavailable\\\"}}\"}}"),
                (d / 1000 + 0.06, "Method completed with status: 504")])
            return {"lines": lines, "dur": d}
        d = max(300, rng.gauss(880, 200))
        lines.append((d / 1000, _l.fmt(s + d / 1000, rid, "INFO", f"c.m.e.EligibilityHandler - 271 received "
                                                                  f"member={member} coverage=active EB segments="
                                                                  f"{rng.randint(4, 30)} in {d:.0f} ms")))
        return {"lines": lines, "dur": d}

    ll.run(*sample(sc, inv, fail, cap=3), body)
    scanner(sc, "hitrust-evidence-runner", "hitrust-audit-ro", ["member-cards-use1", "edi-archive-use1"],
            ["prod/edi/clearinghouse-mtls", "prod/members/card-signing"], every=900)

    # ---------------------------------------------------------------- changes
    night_window(sc, -21500, -17500, [
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key", f"arn:aws:kms:us-east-1:{sc.account}:key/{sc.uuid()}",
         "sec-baseline"),
        ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "gitlab-deployer"),
        ("lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "gitlab-deployer"),
        ("ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-09d2c4e7f1a3b5e60", "netsec-automation"),
    ])
    sc.change(-2160, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", API_ID,
              "gitlab-deployer")
    sc.change(-2090, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "eligibility-270-exec",
              "svc-terraform")

    # ---------------------------------------------------------------- alarms
    d = {"ApiName": API, "Stage": STAGE}
    sc.alarm("member-services-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Member services API server errors")
    sc.alarm(f"{FN}-duration", "AWS/Lambda", "Duration", {"FunctionName": FN}, "Average", 300, 2, 5000,
             "GreaterThanThreshold")
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "member-services-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}}]}
    return sc
