"""h63-15: during the search-endpoint migration an operator replaces the function's environment
and drops SEARCH_INDEX_ALIAS. A code deployment an hour earlier had been healthy."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal, ramp
from .kit import apigw, apigw_exec, lambda_set, night_window, part, sample, scanner
from .runtimes import LambdaLogs

API, STAGE, API_ID = "case-notes-api", "prod", "p2w6xk8m3r"
FN = "note-indexer"


def build() -> Scenario:
    sc = Scenario(15, "case-notes", "Caseworkers cannot save or search case notes; case-notes API "
                  "5XX alarm fired during the overnight change window.", "us-gov-west-1", 6315,
                  "2026-05-06T10:50:00+00:00")
    rng = sc.rng
    deploy, cfg = -3500, -2300
    sc.resource("apigateway", API, endpoint_type="PRIVATE", stage=STAGE, api_id=API_ID,
                integration=f"lambda-proxy:{FN}")
    sc.resource("lambda", FN, runtime="python3.13", timeout=20, memory_size=1024,
                environment={"SEARCH_ENDPOINT": "https://vpce-0b8e2f4a6c1d3e579-q1w2e3r4.es.us-gov-west-1.vpce.amazonaws.com",
                             "POWERTOOLS_SERVICE_NAME": "note-indexer", "LOG_LEVEL": "INFO"})
    sc.resource("lambda", "note-redaction", runtime="python3.13", timeout=30, memory_size=2048)

    # ---------------------------------------------------------------- metrics
    broken = lambda t: ramp(t, cfg + 5, cfg + 60)
    cnt = sc.series(lambda t: 38 * diurnal(sc, t, 17, 0.4), integer=True)
    share = 0.72  # POST /notes and GET /notes/search need the alias; GET /notes/{id} does not
    err = part(sc, cnt, lambda t: 0.002 + share * broken(t))
    dur = sc.series(lambda t: 310 - 180 * broken(t) * share, noise=0.1)
    lambda_set(sc, FN, cnt, err, dur, thr=[0.0] * len(GRID))
    apigw(sc, API, STAGE, cnt, err, part(sc, cnt, lambda t: 0.02), [round(d + 21, 1) for d in dur])
    rinv = sc.series(lambda t: 12 * diurnal(sc, t, 17, 0.4), integer=True)
    lambda_set(sc, "note-redaction", rinv, [0.0] * len(GRID), sc.series(lambda t: 812, noise=0.15))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, FN, "python3.13", 1024, 20, mem_used=(170, 10),
                    retire=(deploy, cfg))

    def pt(t, rid, level, msg, **kv):
        obj = {"level": level, "location": kv.pop("location", "handler:58"), "message": msg,
               "timestamp": sc.iso(t).replace("Z", "+0000"), "service": FN, "cold_start": kv.pop("cold", False),
               "function_name": FN, "function_request_id": rid,
               "xray_trace_id": f"1-{int(sc.at(t).timestamp()):08x}-{sc.hexid(24)}"}
        obj.update(kv)
        return json.dumps(obj, separators=(",", ":"))

    def body(_l, s, rid, is_err, cold):
        route = rng.choice(["POST /notes", "POST /notes", "GET /notes/search", "GET /notes/{id}"])
        if is_err and s >= cfg:
            route = rng.choice(["POST /notes", "GET /notes/search"])
        case = f"CW-{rng.randint(2019, 2026)}-{rng.randint(10 ** 5, 10 ** 6)}"
        lines = [(0.003, pt(s, rid, "INFO", f"{route}", case_id=case, cold=cold))]
        if rng.random() < 0.08:
            lines.append((0.1, pt(s + 0.1, rid, "WARNING", "PHI redaction slow", location="redact:44",
                                  redaction_ms=rng.randint(700, 1400))))
        if is_err and s >= cfg:
            tb = ("Traceback (most recent call last):\n  File \"/var/task/app/handler.py\", line 61, in index_note\n"
                  "    alias = os.environ[\"SEARCH_INDEX_ALIAS\"]\n  File \"<frozen os>\", line 714, in __getitem__\n"
                  "KeyError: 'SEARCH_INDEX_ALIAS'")
            lines.append((0.02, pt(s + 0.02, rid, "ERROR", "indexing failed: missing setting SEARCH_INDEX_ALIAS",
                                   location="index_note:61", exception=tb, exception_name="KeyError")))
            lines.append((0.021, f"[ERROR] KeyError: 'SEARCH_INDEX_ALIAS'\n{tb}"))
            apigw_exec(sc, API_ID, STAGE, s - 0.02, [
                (0.0, f"Starting execution for request: {sc.uuid()}"),
                (0.06, f"Lambda execution failed with status 200 due to customer function error: 'SEARCH_INDEX_ALIAS'. "
                       f"Lambda request id: {rid}"),
                (0.061, "Method completed with status: 502")])
            return {"lines": lines, "dur": rng.uniform(25, 60), "status": "error"}
        d = max(60, rng.gauss(310, 70))
        lines.append((d / 1000, pt(s + d / 1000, rid, "INFO", "note indexed" if route == "POST /notes" else "ok",
                                   location="handler:88", duration_ms=round(d, 1))))
        return {"lines": lines, "dur": d}

    ll.run(*sample(sc, cnt, err, cap=3), body)
    scanner(sc, "fedramp-conmon-scan", "conmon-readonly", ["case-notes-attachments-gov", "case-notes-audit-gov"],
            ["prod/casenotes/opensearch-master", "prod/casenotes/redaction-key"], every=900, runtime="python3.13")

    # ---------------------------------------------------------------- changes
    U = "svc-terraform-gov"
    night_window(sc, -10200, -3700, [
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key",
         f"arn:aws-us-gov:kms:us-gov-west-1:{sc.account}:key/{sc.uuid()}", "sec-baseline"),
        ("es.amazonaws.com", "UpdateDomainConfig", "AWS::OpenSearchService::Domain", "case-notes-search-v2", U),
        ("logs.amazonaws.com", "PutRetentionPolicy", "AWS::Logs::LogGroup", f"/aws/lambda/{FN}", "sec-baseline"),
        ("iam.amazonaws.com", "TagRole", "AWS::IAM::Role", "note-indexer-exec", U),
    ])
    sc.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
              "gitlab-deployer")
    sc.change(-2750, "ec2.amazonaws.com", "CreateVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0b8e2f4a6c1d3e579",
              "netsec-automation")
    sc.change(-2460, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "note-indexer-exec", "jrodriguez")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN,
              "jrodriguez")

    # ---------------------------------------------------------------- alarms
    d = {"ApiName": API, "Stage": STAGE}
    sc.alarm("case-notes-api-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Case notes API server errors")
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "case-notes-api-5xx",
                 "root_cause": {"category": "config_change", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return sc
