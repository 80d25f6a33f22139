"""h66-03 (patient booking API, .NET Lambda setting) and h66-04 (EC2 claims export cron host)."""
from __future__ import annotations

from .common import diurnal, ramp
from .kit import M, apigw_access, jl, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, rails


def build_03():
    sc = new_scenario(3, "booking-api-morning", "Patient booking API 5xx climbing as clinics open; "
                      "API Gateway 5XXError alarm.", "us-east-2", 6603, "2026-03-11T07:22:00+00:00")
    CFG = -2580  # 06:39
    api, fn, rem = "patient-access", "slot-finder", "appt-reminder-batch"
    sc.resource("apigateway", api, stage="prod", endpoint="REGIONAL", api_id="k3v9q2x7mb")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=29, memory_size=1024)
    sc.resource("lambda", "appointment-read", runtime="dotnet8", timeout=29, memory_size=512)
    sc.resource("lambda", rem, runtime="python3.12", timeout=900, memory_size=512,
                schedule="cron(0 7 * * ? *)")
    morning = lambda t: diurnal(sc, t, 15, 0.55) * (1 + 0.8 * ramp(t, -3600, -600))
    bad = lambda t: 1.0 if t >= CFG else 0.0
    da, dl = {"ApiName": api, "Stage": "prod"}, {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", dl, "Count", lambda t: 11 * morning(t), integer=True)
    errs = {t: min(v, round(v * 0.72 * bad(t) + (sc.rng.random() < 0.02))) for t, v in inv.items()}
    sc.metric("AWS/Lambda", "Errors", dl, "Count", list(errs.values()))
    other = {t: v for t, v in zip(inv, sc.series(lambda t: 9 * morning(t), integer=True))}
    c4 = {t: v for t, v in zip(inv, sc.series(lambda t: 2.6 * morning(t), integer=True))}
    cnt = {t: inv[t] + other[t] + c4[t] for t in inv}
    sc.metric("AWS/ApiGateway", "Count", da, "Count", list(cnt.values()))
    sc.metric("AWS/ApiGateway", "4XXError", da, "Count", list(c4.values()))
    sc.metric("AWS/ApiGateway", "5XXError", da, "Count", list(errs.values()))
    M(sc, "AWS/ApiGateway", "Latency", da, "Milliseconds", lambda t: 140 + 20 * bad(t),
      noise=0.15)
    M(sc, "AWS/ApiGateway", "IntegrationLatency", da, "Milliseconds",
      lambda t: 118 + 15 * bad(t), noise=0.15)
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds", lambda t: 105 + 20 * bad(t), noise=0.15)
    M(sc, "AWS/Lambda", "Throttles", dl, "Count", lambda t: 0, integer=True)
    dr = {"FunctionName": rem}
    M(sc, "AWS/Lambda", "Invocations", dr, "Count", lambda t: 1 if t == -1320 else None)
    M(sc, "AWS/Lambda", "Duration", dr, "Milliseconds", lambda t: 612000 if t == -1320 else None)
    M(sc, "AWS/Lambda", "Errors", dr, "Count", lambda t: 0 if t == -1320 else None)
    # ---- slot-finder logs (.NET 8 Lambda logging)
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 29, retire=[CFG], prewarm=-14400)
    exc = ("System.InvalidOperationException: Configuration value 'Scheduling:ProviderCalendarBaseUrl' "
           "is not a valid absolute URI: 'calendar-svc.clinic.internal/api/v2'\n"
           "   at Clinic.Scheduling.CalendarClientFactory.Create(IConfiguration config) in "
           "/src/Scheduling/CalendarClientFactory.cs:line 41\n"
           "   at Clinic.Scheduling.SlotFinder.FindAsync(SlotQuery q, CancellationToken ct) in "
           "/src/Scheduling/SlotFinder.cs:line 77\n"
           "   at Clinic.Scheduling.Function.FunctionHandler(APIGatewayProxyRequest req, ILambdaContext ctx)")

    def body(ll, s, rid, is_err, cold):
        dept = sc.rng.choice(["cardiology", "derm", "ortho", "peds", "imaging", "physio"])
        lines = [(0.003, ll.fmt(s, rid, "info", f"GET /slots dept={dept} days=14"))]
        if sc.rng.random() < 0.15:
            lines.append((0.01, ll.fmt(s, rid, "warn", "Provider 4471 has no template for "
                                       "Tuesday; skipping")))
        if is_err:
            lines.append((0.02, ll.fmt(s, rid, "error", exc)))
            return {"lines": lines, "dur": sc.rng.uniform(8, 30)}
        lines.append((0.09, ll.fmt(s, rid, "info", f"Returned {sc.rng.randint(0, 60)} slots")))
        return {"lines": lines, "dur": sc.rng.uniform(70, 160)}
    ll.run({t: v for t, v in inv.items() if t >= -14400}, errs, body)
    # ---- API access log (JSON)
    ag = f"/aws/apigateway/{api}-prod-access"

    def access(s):
        r = sc.rng.random()
        if r < 0.12:
            line = apigw_access(sc, s, "GET", "/appointments", 401, 6, None, "-", 45)
        elif r < 0.5 and bad(s) and sc.rng.random() < 0.72:
            line = apigw_access(sc, s, "GET", "/slots", 502, sc.rng.randint(40, 90),
                                sc.rng.randint(30, 80), 200, 36)
        else:
            path = sc.rng.choice(["/slots", "/appointments", "/appointments/{id}"])
            line = apigw_access(sc, s, "GET", path, 200, sc.rng.randint(90, 260),
                                sc.rng.randint(70, 230), 200, sc.rng.randint(400, 9000))
        sc.log(ag, "prod", s, line)
    sprinkle(sc, -14400, 0, lambda t: cnt.get(t, 0) * 0.3, access)
    # ---- reminder batch (07:00 every day)
    rl = LambdaLogs(sc, rem, "python3.12", 512, 900, prewarm=-14400)
    rl.run({-1320: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.01, ll.fmt(s, r, "info", "Reminder batch for 2026-03-12: 4812 appointments")),
        (300, ll.fmt(s + 300, r, "info", "Queued 2406 SMS")),
        (610, ll.fmt(s + 610, r, "info", "Queued 4790 SMS, 22 skipped (no consent)"))],
        "dur": 611800})
    sc.alarm(f"{api}-prod-5xx", "AWS/ApiGateway", "5XXError", da, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "Patient booking API server errors")
    sc.change(-2640, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              f"{api}/prod", "terraform-apigw")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "m.okafor")
    sc.change(-1330, "events.amazonaws.com", "PutTargets", "AWS::Events::Rule",
              "appt-reminder-0700", "terraform-events")
    sc.change(-12800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "appointment-read", "gha-scheduling")
    sc.expect = {"alarm": f"{api}-prod-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": dl}]}
    meta(sc, alarm_pos="front (API Gateway)", services=["API Gateway", "Lambda (.NET 8)"],
         decoys=["API stage update 1 min before the Lambda config change",
                 "07:00 reminder batch + morning ramp", "steady 401s from expired tokens"],
         story=(
             "The booking API's 5xx alarm fires as clinics open. Every 5xx is a `/slots` call. The "
             "access log shows 502 with integration status 200, which is a function error. At 06:39 "
             "a person (`m.okafor`) updated `slot-finder`'s configuration. From that minute every "
             "fresh environment logs `Configuration value 'Scheduling:ProviderCalendarBaseUrl' is "
             "not a valid absolute URI`. The API stage update a minute earlier and the 07:00 reminder "
             "batch fall in the same window, but the errors name the setting. The 401s on "
             "`/appointments` were there all night."),
         judgement=("The API's 5xx are only a symptom. The errors name an invalid setting on the "
                    "function, and the function was reconfigured at onset, so the label is "
                    "config_change on slot-finder, not on the API."))
    return sc


def build_04():
    sc = new_scenario(4, "claims-export-cron", "Nightly claims export failing on the batch host; "
                      "job failure alarm.", "eu-west-2", 6604, "2026-03-12T02:41:00+00:00")
    JOB, FULL = -2460, -1440  # 02:00 start, 02:17 disk full
    iid, other = "i-0c3e81f4a2b9d6e07", "i-0b71d2c94e5a3f810"
    sc.resource("ec2", iid, name="batch-cron-02", instance_type="m6i.xlarge",
                log_groups=["/ec2/batch-cron/syslog", "/ec2/batch-cron/claims-export"],
                volumes={"/": "vol-0a1f (50 GiB)", "/data": "vol-0d93 (200 GiB)"})
    sc.resource("ec2", other, name="reporting-cron-01", instance_type="r6i.large")
    scan = lambda t: 1.0 if (sc.at(t).minute - 5) % 60 < 8 else 0.0
    job = lambda t: 1.0 if t >= JOB else 0.0
    full = lambda t: t >= FULL
    di = {"InstanceId": iid}
    M(sc, "AWS/EC2", "CPUUtilization", di, "Percent",
      lambda t: min(97.0, 6 + 86 * scan(t) + 22 * job(t) * (0.4 if full(t) else 1)), noise=0.05,
      cap=100)
    M(sc, "AWS/EC2", "CPUUtilization", {"InstanceId": other}, "Percent", lambda t: 12, noise=0.2)
    ddk = {"InstanceId": iid, "path": "/data", "device": "nvme1n1", "fstype": "xfs"}
    M(sc, "CWAgent", "disk_used_percent", ddk, "Percent",
      lambda t: 100.0 if full(t) else 77.4 + 0.0002 * (t + 21600) + 22.6 * ramp(t, JOB, FULL) ** 1.3,
      noise=0.0, abs_noise=0.02, cap=100)
    M(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "device": "nvme0n1p1",
                                           "fstype": "xfs"}, "Percent", lambda t: 41.2,
      noise=0.0, abs_noise=0.03)
    M(sc, "CWAgent", "mem_used_percent", di, "Percent", lambda t: 38 + 9 * job(t), noise=0.03)
    dj = {"JobName": "claims-837-export"}
    M(sc, "ClinOps/Batch", "FailedBatches", dj, "Count",
      lambda t: (4.5 if full(t) else 0.0), integer=True)
    M(sc, "ClinOps/Batch", "FailedBatches", {"JobName": "eligibility-270-upload"}, "Count",
      lambda t: 1.0 if sc.at(t).minute == 30 else 0.0, integer=True)
    # ---- logs
    sg, cg = "/ec2/batch-cron/syslog", "/ec2/batch-cron/claims-export"
    for m in minutes(-21600):
        d = sc.at(m)
        if d.minute == 5:
            sc.log(sg, iid, m + 1, f"{d.strftime('%b %d %H:%M:%S').replace(' 0', '  ')} batch-cron-02 "
                   f"CRON[{sc.rng.randint(2000, 60000)}]: (root) CMD (/usr/local/bin/clamscan-hourly.sh)")
            sc.log(sg, iid, m + 470, f"{sc.at(m + 470).strftime('%b %d %H:%M:%S')} batch-cron-02 "
                   f"clamscan-hourly[{sc.rng.randint(2000, 60000)}]: scan finished: "
                   f"{sc.rng.randint(180000, 190000)} files, 0 infected, 468 s")
        if d.minute == 30:
            sc.log(sg, iid, m + 1, f"{d.strftime('%b %d %H:%M:%S')} batch-cron-02 CRON[{sc.rng.randint(2000, 60000)}]: "
                   "(claims) CMD (cd /srv/claims && bundle exec rake edi:upload_270)")
            s = m + sc.rng.uniform(20, 50)
            sc.log(cg, iid, s, rails(sc, s, "ERROR", "SFTP upload to clearinghouse failed, retry 1/3 "
                   "(Net::SSH::Disconnect: connection closed by remote host)", pid=sc.rng.randint(2000, 9000)))
            sc.log(cg, iid, s + 14, rails(sc, s + 14, "INFO", "SFTP upload ok after retry: "
                   "270_batch.x12", pid=sc.rng.randint(2000, 9000)))
    sc.log(sg, iid, JOB + 0.5, f"{sc.at(JOB).strftime('%b %d %H:%M:%S')} batch-cron-02 CRON[41877]: "
           "(claims) CMD (cd /srv/claims && bundle exec rake export:837 >> log/export.log 2>&1)")
    pid = 41881
    sprinkle(sc, -21600, 0, lambda t: 0.7, lambda s: sc.log(cg, iid, s, rails(
        sc, s, "WARN", f"payer {sc.rng.choice(['00431', '60054', '87726'])} missing billing NPI on "
        f"claim CLM-{sc.rng.randint(10 ** 6, 10 ** 7)}, skipping", pid=3120)))
    sprinkle(sc, -21600, 0, lambda t: 0.6, lambda s: sc.log(cg, iid, s, rails(
        sc, s, "INFO", f"AUDIT phi_access user=svc-claims action=read claim=CLM-{sc.rng.randint(10 ** 6, 10 ** 7)}",
        pid=3120)))
    sc.log(cg, iid, JOB + 2, rails(sc, JOB + 2, "INFO", "export:837 starting for service date "
                                   "2026-03-11: 61 batches, 18422 claims", pid=pid))
    b = 0
    sprinkle(sc, JOB, FULL, lambda t: 3.4, lambda s: sc.log(cg, iid, s, rails(
        sc, s, "INFO", f"wrote /data/export/837P_20260311_b{sc.rng.randint(1, 61):03d}.x12 "
        f"({sc.rng.randint(180, 420)} MB)", pid=pid)))

    def enospc(s):
        bn = sc.rng.randint(30, 61)
        sc.log(cg, iid, s, rails(sc, s, "ERROR", f"batch {bn} failed: Errno::ENOSPC: No space left on "
               f"device @ io_write - /data/export/tmp/837P_20260311_b{bn:03d}.x12.part", pid=pid))
        sc.log(cg, iid, s + 0.01, rails(sc, s + 0.01, "ERROR", "  /srv/claims/app/exporters/x12_writer.rb:"
               "58:in `write'\n  /srv/claims/app/exporters/x12_writer.rb:58:in `block in flush!'\n  "
               "/srv/claims/lib/tasks/export.rake:22:in `block (2 levels) in <main>'", pid=pid))
    sprinkle(sc, FULL, 0, lambda t: 4.5, enospc)
    sprinkle(sc, FULL, 0, lambda t: 0.5, lambda s: sc.log(sg, iid, s, (
        f"{sc.at(s).strftime('%b %d %H:%M:%S')} batch-cron-02 rsyslogd: file '/data/log/claims/"
        "export.log': write error: No space left on device")))
    sc.alarm("claims-837-export-failures", "ClinOps/Batch", "FailedBatches", dj, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "claims 837 export: failed batches")
    sc.alarm("batch-cron-02-cpu-high", "AWS/EC2", "CPUUtilization", di, "Average", 300, 1, 85,
             "GreaterThanThreshold")
    sc.change(-19700, "backup.amazonaws.com", "StartBackupJob", "AWS::EC2::Volume", "vol-0d93",
              "aws-backup-nightly")
    sc.change(JOB - 40, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0a1f",
              "dlm-root-volumes")
    sc.change(FULL - 150, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance",
              other, "r.sandhu")
    sc.expect = {"alarm": "claims-837-export-failures",
                 "root_cause": {"category": "storage_exhaustion", "resource": [iid, "batch-cron-02"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": ddk}]}
    meta(sc, alarm_pos="front (job metric without a resource dimension)",
         services=["EC2 (Ruby cron host)", "CloudWatch agent"],
         decoys=["hourly clamscan CPU spike to ~95 %", "ModifyInstanceAttribute on another host "
                 "2.5 min before disk-full", "root-volume snapshot at 02:00",
                 "hourly SFTP retry errors and NPI warnings"],
         story=(
             "The 02:00 claims export on `batch-cron-02` writes 61 EDI batches to `/data`. "
             "`disk_used_percent` for `/data` climbs from 78 % to 100 % at 02:17. From then on every "
             "batch fails with `Errno::ENOSPC: No space left on device` and rsyslog cannot write "
             "either. CPU reaches ~95 % at :05 every hour because of the clamscan cron, including "
             "the 02:05 run. The SFTP `retry 1/3` errors appear at :30 each hour and always "
             "recover. The instance attribute change is on another host."))
    return sc


BUILDERS = [build_03, build_04]
