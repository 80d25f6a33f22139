"""permission_denied (Go Lambda losing s3:PutObject after a role-policy edit)
and application_error (Ruby Lambda choking on a supplier's date format)."""
from __future__ import annotations

import json

from .common import Scn, diurnal, ramp, window
from .lambda_sim import LambdaFn
from .services import S, lambda_deploy


def report_exporter():
    s = Scn("h51-05-report-exporter-access-denied", 5105, "us-east-2", "2026-11-14T21:05:00",
            "Tenants report that scheduled usage exports never arrive; the exporter's Errors "
            "alarm is firing.")
    chg = -2040
    fn = LambdaFn(s, "report-exporter", "provided.al2023", 512, 60, mem_used=(38, 61),
                  handler="bootstrap", architectures=["arm64"], role="report-exporter-role",
                  environment={"EXPORT_BUCKET": "acme-reports-prod", "EXPORT_PREFIX": "tenant-exports/"},
                  event_source="sqs:report-export-jobs")
    bad = lambda t: t >= chg + 35
    inv = S(s, lambda t: s.poisson(diurnal(t, 8, 2, -9000) * (1.0 if t < chg + 600 else 1.55)))
    err = [s.binom(i, 0.97) if bad(t) else 0 for t, i in zip(s.times, inv)]
    dur = S(s, lambda t: s.gauss(2350 if not bad(t) else 1980, 140))
    fn.metrics(inv, err, dur)
    q = {"QueueName": "report-export-jobs"}
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
             S(s, lambda t: max(0, s.gauss(3, 1.5) + (0 if t < chg else (t - chg) / 60 * 1.9))))
    s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
             S(s, lambda t: max(5, s.gauss(40, 12) + (0 if t < chg else (t - chg) * 0.97))))

    def body(c):
        tenant = f"t-{s.rng.randint(1000, 9999)}"
        period = "2026-11-13"
        out = [(0.003, "INFO", "export started", {"tenant": tenant, "period": period, "format": "csv.gz"})]
        if s.chance(0.035):
            out.append((0.02, "ERROR", "tenant skipped", {"tenant": tenant,
                                                          "reason": "billing account suspended"}))
            c.duration_ms = s.gauss(41, 5)
            return out
        rows = s.rng.randint(800, 90000)
        q_ms = int(c.duration_ms * 0.78)
        out.append((q_ms / 1000, "INFO", "usage query complete", {"tenant": tenant, "rows": rows,
                                                                  "elapsed_ms": q_ms}))
        key = f"tenant-exports/{tenant}/{period}/usage.csv.gz"
        if c.failed:
            c.outcome = "error"
            err_txt = (f"operation error S3: PutObject, https response error StatusCode: 403, RequestID: "
                       f"{s.hex(16).upper()}, HostID: {s.hex(40)}=, api error AccessDenied: User: "
                       f"arn:aws:sts::381492650127:assumed-role/report-exporter-role/report-exporter is not "
                       f"authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-reports-prod/"
                       f"{key}\" because no identity-based policy allows the s3:PutObject action")
            out.append((c.duration_ms / 1000 - 0.01, "ERROR", "export failed",
                        {"tenant": tenant, "stage": "upload", "error": err_txt}))
            return out
        out.append((c.duration_ms / 1000 - 0.01, "INFO", "export uploaded",
                    {"tenant": tenant, "s3_key": key, "bytes": rows * 41}))
        return out

    fn.simulate(body)
    # decoys: audit-trail-shipper deployed hours ago and its backfill burst; an IAM edit for a human user
    sh = LambdaFn(s, "audit-trail-shipper", "python3.12", 256, 120, mem_used=(71, 96))
    burst = lambda t: window(t, -9900, -9300)
    shinv = S(s, lambda t: s.poisson(31 if burst(t) else 3))
    sh.metrics(shinv, [0] * len(shinv), S(s, lambda t: s.gauss(4100 if burst(t) else 1300, 90)))
    sh.simulate(lambda c: [(c.duration_ms / 1000 - 0.03, "INFO",
                            f"Shipped {s.rng.randint(200, 5000)} CloudTrail records to "
                            f"siem-ingest (batch {s.hex(8)})")])
    lambda_deploy(s, -17100, "audit-trail-shipper", "gha-platform")
    s.change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "report-exporter-role",
             "platform-terraform")
    s.change(-1620, "iam.amazonaws.com", "AttachUserPolicy", "AWS::IAM::User", "m.okafor", "sso-admin")
    s.alarm("report-exporter-errors", "AWS/Lambda", "Errors", {"FunctionName": "report-exporter"},
            "Sum", 60, 3, 3, description="Usage report exporter failing")
    res = ["report-exporter", "report-exporter-role"]
    doc = s.to_dict({
        "alarm": "report-exporter-errors",
        "root_cause": {"category": "permission_denied", "resource": res},
        "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "report-exporter"}}]})
    meta = dict(
        alarm="report-exporter-errors", category="permission_denied", resources=res, on="origin",
        decoys=["audit-trail-shipper deployed 4.75 h earlier", "steady 'tenant skipped' ERROR lines",
                "audit-trail-shipper backfill burst 2.7 h ago",
                "AttachUserPolicy for a human IAM user 7 min after onset"],
        text="platform-terraform ran PutRolePolicy on report-exporter-role 34 minutes ago. From the "
             "next invocations on, practically every export fails at the upload stage with "
             "`api error AccessDenied ... assumed-role/report-exporter-role/report-exporter is not "
             "authorized to perform: s3:PutObject on resource arn:aws:s3:::acme-reports-prod/"
             "tenant-exports/...`; SQS redelivers the jobs, so invocations rise and the queue backlog "
             "grows, but the function, its code and the bucket are untouched. The 'tenant skipped' "
             "ERROR for suspended accounts is a constant background, the shipper's deploy and burst "
             "are unrelated, and the AttachUserPolicy concerns a person's user, not the role. "
             "AccessDenied right after an IAM change on the function's role: permission_denied "
             "(origin the function / its role).")
    return doc, meta


# ----------------------------------------------------------------------------
def invoice_importer_bug():
    s = Scn("h51-16-invoice-importer-date-parse", 5116, "eu-west-3", "2026-11-18T08:47:00",
            "Supplier invoices are missing from the accounts-payable queue this morning; Errors "
            "alarm on the invoice importer.")
    onset = -2100
    fn = LambdaFn(s, "invoice-importer", "ruby3.3", 512, 120, mem_used=(92, 141),
                  handler="handler.Importer.handle", event_source="s3:acme-supplier-drop-par")
    new_sup = lambda t: t >= onset
    inv = S(s, lambda t: s.poisson(ramp(t, -21600, -3600, 2.5, 5.5) + (2.6 if new_sup(t) else 0)))
    err = [min(i, s.poisson(2.6)) if new_sup(t) else 0 for t, i in zip(s.times, inv)]
    dur = S(s, lambda t: s.gauss(1480, 90))
    fn.metrics(inv, err, dur)
    files = [f"incoming/SUP-20931/2026-11-18/factures_{n:04d}.csv" for n in range(101, 160)]
    state = {"i": 0}

    def body(c):
        out = []
        if c.failed:
            key = files[min(len(files) - 1, state["i"] // 3)]
            state["i"] += 1
            rows = 200 + int(key[-8:-4]) * 37 % 300
            out.append((0.004, "INFO", f"Importing s3://acme-supplier-drop-par/{key} ({rows} rows, "
                                       f"supplier SUP-20931)"))
            c.outcome, c.duration_ms = "error", s.gauss(310, 40)
            stack = ["/var/task/lib/importer/row_parser.rb:64:in `strptime'",
                     "/var/task/lib/importer/row_parser.rb:64:in `parse_due_date'",
                     "/var/task/lib/importer/row_parser.rb:31:in `parse'",
                     "/var/task/lib/importer/csv_import.rb:22:in `block in call'",
                     "/var/lang/lib/ruby/3.3.0/csv.rb:1854:in `each'",
                     "/var/task/lib/importer/csv_import.rb:20:in `call'",
                     "/var/task/handler.rb:14:in `handle'"]
            out.append((0.29, "RAW", json.dumps({"errorMessage": "invalid date",
                                                 "errorType": "Function<Date::Error>",
                                                 "stackTrace": stack}, separators=(",", ":"))))
            return out
        sup = f"SUP-{s.rng.randint(10000, 20900)}"
        rows = s.rng.randint(8, 400)
        out.append((0.004, "INFO", f"Importing s3://acme-supplier-drop-par/incoming/{sup}/2026-11-18/"
                                   f"{s.hex(8)}.csv ({rows} rows, supplier {sup})"))
        if s.chance(0.06):
            out.append((0.4, "WARN", f"duplicate invoice number FA-2026-{s.rng.randint(10000, 99999)} "
                                     f"from supplier {sup}, skipping row"))
        out.append((c.duration_ms / 1000 - 0.01, "INFO",
                    f"Imported {rows} invoice lines into ap_invoices (batch {s.hex(10)})"))
        return out

    fn.simulate(body)
    # decoys: supplier-sync deployed hours ago, its hourly burst, and a memory bump on it near onset
    ss = LambdaFn(s, "supplier-sync", "ruby3.3", 512, 300, mem_used=(150, 210))
    hourly = lambda t: (t % 3600) < 300
    ssi = S(s, lambda t: s.poisson(14 if hourly(t) else 0.5))
    ss.metrics(ssi, [0] * len(ssi), S(s, lambda t: s.gauss(5200 if hourly(t) else 900, 200)))
    ss.simulate(lambda c: [(c.duration_ms / 1000 - 0.02, "INFO",
                            f"Synced {s.rng.randint(1, 60)} supplier records from ERP (page {s.rng.randint(1, 40)})")])
    lambda_deploy(s, -14200, "supplier-sync", "gitlab-ci", version=True)
    s.change(-2580, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "supplier-sync", "l.moreau")
    s.alarm("invoice-importer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-importer"},
            "Sum", 300, 1, 5, description="Supplier invoice import failing")
    doc = s.to_dict({
        "alarm": "invoice-importer-errors",
        "root_cause": {"category": "application_error", "resource": ["invoice-importer"]},
        "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "invoice-importer"}}]})
    meta = dict(
        alarm="invoice-importer-errors", category="application_error", resources=["invoice-importer"],
        on="origin",
        decoys=["supplier-sync deployed 3.9 h earlier", "steady 'duplicate invoice number' WARN",
                "supplier-sync hourly burst", "UpdateFunctionConfiguration on supplier-sync 8 min before onset"],
        text="Nothing changed on invoice-importer. From 35 minutes ago a supplier (SUP-20931) starts "
             "dropping CSV files, and every invocation for those files ends in an unhandled "
             "`Date::Error: invalid date` from row_parser.rb `parse_due_date`; S3's async retries "
             "make each file fail three times. Files from every other supplier keep importing "
             "normally, duration and memory are flat, and there is no dependency error. supplier-sync "
             "(a different function that syncs supplier master data from the ERP) had a deploy hours "
             "ago and a memory-size change shortly before, but it shows no errors and the failing "
             "code path is the importer's own parsing. Unhandled exceptions with no preceding change "
             "and no resource or dependency fault: application_error of invoice-importer.")
    return doc, meta
