"""h80-09 (834 enrollment loader runs into its timeout on the monthly full file) and h80-10 (claims
attachment uploads denied KMS after an IAM policy detach, seen at the API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from .kit import (GRID, LOG_START, apigw_exec, apigw_metrics, bump, derive, emit, expect, lam_metrics, meta, new,
                  pick, ramp, rds_metrics)


def build_09():
    sc = new(9, "enrollment-loader-errors", "Overnight 834 enrollment load failing; Lambda Errors alarm.",
             "us-west-1", "2026-03-01T09:20:00+00:00")
    t0 = -3000
    fn, db = "enroll-834-loader", "member-pg"
    timeout = 60
    sc.resource("lambda", fn, runtime="dotnet8", timeout=timeout, memory_size=2048,
                trigger="Step Functions Map (one invocation per 834 chunk)")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=900,
                allocated_storage_gb=400)

    def members(t):  # members per chunk: daily change files ~2-4k, the monthly full file ~20k+
        return 3000 if t < t0 else 23000

    def dur(t):
        return 2.6 * members(t) + 900

    lam = lam_metrics(sc, fn, lambda t: 2.2, err_frac=lambda t: 0.8 if t >= t0 else 0.0,
                      dur=lambda t: min(dur(t), timeout * 1000.0), timeout_s=timeout)
    rds_metrics(sc, db, cpu=lambda t: 19 + 7 * (t >= t0) + 25 * bump(t, -17000, -16400, 1.0),
                conns=lambda t: 48 + 6 * (t >= t0), write_ms=lambda t: 2.3)
    ll = LambdaLogs(sc, fn, "dotnet8", 2048, timeout, mem_used=(610, 40), retire=[-11700])

    def body(ll, t, r, is_err, cold):
        fid = f"834_{pick(sc, ['BCBSCA', 'KAISER', 'HNET', 'ANTHEM'])}_{sc.at(t).strftime('%Y%m%d')}"
        n = int(members(t) * sc.rng.uniform(0.8, 1.2))
        chunk = sc.rng.randint(1, 40)
        lines = [(0.02, ll.fmt(t, r, "INFO", f"Loading {fid} chunk {chunk}: {n} INS loops "
                               f"(file type {'FULL' if t >= t0 else 'CHANGE'})"))]
        if sc.rng.random() < 0.25:
            lines.append((0.5, ll.fmt(t, r, "WARN", "INS*Y*18*030*XN: unknown maintenance reason code 'XN', "
                                      "defaulted to '001'")))
        if sc.rng.random() < 0.2:
            lines.append((0.7, ll.fmt(t, r, "ERROR", f"NM1*IL subscriber {sc.rng.randint(10**8, 10**9)} has no "
                                      "DMG date of birth; record quarantined")))
        if is_err:
            done = 0
            for k in range(1, 7):
                done = int(k * 9.2 / 2.6 * 1000)
                lines.append((k * 9.2, ll.fmt(t, r, "INFO", f"{fid} chunk {chunk}: {done}/{n} members "
                                              f"validated and staged")))
            return {"lines": lines, "status": "timeout", "dur": timeout * 1000}
        d = max(600.0, sc.rng.gauss(min(dur(t), 58000), 300))
        lines.append((d / 1000 - 0.05, ll.fmt(t, r, "INFO", f"{fid} chunk {chunk}: {n}/{n} members staged, "
                                              f"upserted {n - sc.rng.randint(0, 30)} rows in member_coverage "
                                              f"({int(n * 0.21)} ms)")))
        return {"lines": lines, "dur": d}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, lambda t: 0.1, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote "
         f"{sc.rng.randint(300, 3000)} buffers ({sc.rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added", pid=388)))
    emit(sc, lambda t: 0.05, lambda t: sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"automatic vacuum of table "
         f"\"members.public.member_coverage\": index scans: 1, pages: 0 removed, {sc.rng.randint(40000, 90000)} "
         "remain", pid=sc.rng.randint(3000, 9000))))
    sc.change(-11700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azdo-enrollment")
    sc.change(t0 - 170, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba.kpatel")
    sc.change(t0 - 420, "states.amazonaws.com", "StartExecution", "AWS::StepFunctions::StateMachine",
              "enrollment-834-nightly", "eventbridge-scheduler")
    sc.alarm("enroll-834-loader-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "834 enrollment loader failures")
    sc.alarm("enroll-834-loader-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Maximum", 300, 1,
             50000, "GreaterThanThreshold")
    expect(sc, "enroll-834-loader-errors", "function_timeout", [fn],
           [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}])
    meta(sc, "origin (Lambda Errors; Duration alarm second)",
         "ModifyDBInstance on its database 3 min before onset; Step Functions execution start 7 min before; "
         "quarantined-DOB ERRORs and reason-code WARNs in every run; code deploy 2.4 h earlier",
         "The 834 loader's Errors alarm fires when ~80 % of chunk invocations start ending with `Task timed out "
         "after 60.00 seconds` (Duration pinned at 60 000 ms). The payer sent its monthly FULL file instead of "
         "the daily CHANGE file: chunks now hold ~23 000 INS loops instead of ~3 000, and the progress lines "
         "show steady validation at the usual ~0.38 members/ms right up to the cut-off — no database or network "
         "error anywhere, and the member database's latency and connections are normal. The ModifyDBInstance "
         "3 minutes before onset (backup window) and the nightly StartExecution are routine; the quarantined "
         "DOB ERRORs and reason-code WARNs appear at the same rate in the healthy runs before.",
         judgement="09: the trigger is a larger input, not more invocations (Invocations flat), and there are no "
                   "dependency errors: function_timeout on the loader. The code deploy 2.4 h earlier was "
                   "followed by hours of clean runs.",
         services="Lambda dotnet8 (plain .NET Lambda logger), RDS PostgreSQL")
    return sc


def build_10():
    sc = new(10, "attachment-upload-5xx", "Providers cannot upload claim attachments; API 5XX alarm.",
             "eu-north-1", "2026-02-11T13:45:00+00:00")
    t0 = -1560
    api, fn, other = "claims-attachments", "attachment-ingest", "eob-renderer"
    role = "attachment-ingest-exec"
    acct = sc.account
    sc.resource("apigateway", api, stage="prod", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=1024, role=role,
                writes_to="s3://hn-claims-attachments (SSE-KMS alias/claims-docs)")
    sc.resource("lambda", other, runtime="python3.12", timeout=60, memory_size=2048)
    lam = lam_metrics(sc, fn, lambda t: 8 * (1 + 0.3 * ramp(t, -21600, -6000)),
                      err_frac=lambda t: 0.97 if t >= t0 else 0.0, dur=lambda t: 640.0 if t < t0 else 150.0)
    e4 = derive(sc, lam["inv"], lambda t: 0.04)
    apigw_metrics(sc, api, lam["inv"], e4, lam["err"], lambda t: 700.0 if t < t0 else 190.0)
    lam_metrics(sc, other, lambda t: 3.0, dur=lambda t: 2300.0)
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 30, mem_used=(212, 14), retire=[-12600])
    key_arn = f"arn:aws:kms:eu-north-1:{acct}:key/{sc.uuid()}"

    def body(ll, t, r, is_err, cold):
        claim = f"CLM{sc.rng.randint(10**8, 10**9)}"
        doc = f"{claim}/{sc.hexid(12)}.pdf"
        lines = [(0.01, ll.fmt(t, r, "INFO", f"PWK attachment received claim={claim} type="
                               f"{pick(sc, ['OZ', 'B4', 'DG', 'OB', 'RR'])} bytes={sc.rng.randint(40000, 3000000)}"))]
        if is_err:
            lines.append((0.12, f"[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject "
                                f"operation: User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to "
                                f"perform: kms:GenerateDataKey on resource: {key_arn} because no identity-based "
                                f"policy allows the kms:GenerateDataKey action\nTraceback (most recent call last):\n"
                                f"  File \"/var/task/ingest/handler.py\", line 57, in handler\n    store.put(doc_key, "
                                f"body)\n  File \"/var/task/ingest/store.py\", line 23, in put\n    "
                                f"self.s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption="
                                f"\"aws:kms\", SSEKMSKeyId=KEY_ALIAS)"))
            return {"lines": lines, "dur": sc.rng.gauss(150, 25)}
        if sc.rng.random() < 0.07:
            lines.append((0.3, ll.fmt(t, r, "WARNING", f"virus scan skipped for {doc}: file larger than 2 MB "
                                      "scan limit")))
        lines.append((0.6, ll.fmt(t, r, "INFO", f"stored s3://hn-claims-attachments/{doc} (sse=aws:kms)")))
        return {"lines": lines, "dur": sc.rng.gauss(640, 90)}

    ll.run({m: n for m, n in zip(GRID, lam["inv"]) if m >= LOG_START},
           {m: n for m, n in zip(GRID, lam["err"]) if m >= LOG_START}, body)
    g, s = "API-Gateway-Execution-Logs_b3r7c0xq5m/prod", "b3r7c0xq5m-prod-3e"
    emit(sc, lambda t: 0.5, lambda t: [sc.log(g, s, t, apigw_exec(rid, "Authorizer claims-jwt-authorizer returned "
         "Deny (token expired); Method completed with status: 401")) for rid in [sc.uuid()]])
    for m, n in zip(GRID, lam["err"]):
        for _ in range(n if m >= LOG_START else 0):
            t, rid = m + sc.rng.uniform(0, 60), sc.uuid()
            sc.log(g, s, t, apigw_exec(rid, "Lambda execution failed with status 200 due to customer function "
                                       f"error: An error occurred (AccessDenied) when calling the PutObject "
                                       f"operation: ... not authorized to perform: kms:GenerateDataKey. Lambda "
                                       f"request id: {sc.uuid()}"))
            sc.log(g, s, t + 0.001, apigw_exec(rid, "Method completed with status: 502"))
    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-claims-deploy")
    sc.change(t0 - 140, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role,
              "secops-least-privilege-bot")
    sc.change(t0 - 135, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role,
              "secops-least-privilege-bot")
    sc.change(t0 - 40, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
              "gha-claims-deploy")
    sc.alarm("claims-attachments-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "Claims attachments API 5xx")
    expect(sc, "claims-attachments-5xx", "permission_denied", [fn, role],
           [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    meta(sc, "front (API Gateway → Lambda)",
         "code deploy to another function 40 s before onset; expired-token auth failures in the API log all day; "
         "same function's deploy 3 h earlier; virus-scan WARNs",
         "The attachments API's 5XX alarm fires as nearly every upload fails. The ingest Lambda's errors are "
         "all `AccessDenied ... assumed-role/attachment-ingest-exec/... is not authorized to perform: "
         "kms:GenerateDataKey ... because no identity-based policy allows` when writing the PDF to the SSE-KMS "
         "bucket. 2.3 minutes before onset an automated least-privilege job detached a policy from the "
         "function's execution role and put a narrower inline policy (DetachRolePolicy / PutRolePolicy). The "
         "eob-renderer deploy 40 s before onset is a different function with clean metrics; the API's "
         "expired-bearer-token failures are 4XX noise present all day; the ingest function's own deploy was "
         "3 hours earlier.",
         judgement="10: the IAM role is not one of the six resource types; the accepted resources are the "
                   "function whose calls are denied and, as an alternative name, its execution role.",
         services="API Gateway (execution log), Lambda python3.12 (plain)")
    return sc


BUILDERS = [build_09, build_10]
