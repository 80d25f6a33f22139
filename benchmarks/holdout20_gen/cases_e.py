"""Scenarios 09-10: an old warning grows louder beside a full disk; a timeout that is the function's own
work, not its dependency's."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn

ENOSPC_STACK = "\n".join("   at " + f for f in [
    "Microsoft.Win32.SafeHandles.SafeFileHandle.Init(String path, FileMode mode, FileAccess access, FileShare share, "
    "FileOptions options, Int64 preallocationSize, Int64& fileLength, UnixFileMode& filePermissions)",
    "System.IO.Strategies.OSFileStreamStrategy..ctor(String path, FileMode mode, FileAccess access, FileShare share, "
    "FileOptions options, Int64 preallocationSize, Nullable`1 unixCreateMode)",
    "System.IO.FileStream..ctor(String path, FileMode mode, FileAccess access, FileShare share, Int32 bufferSize, "
    "FileOptions options)",
    "Claims.Api.Attachments.SpoolWriter.WriteAsync(Stream body, CancellationToken ct) in "
    "/src/Claims.Api/Attachments/SpoolWriter.cs:line 44",
    "Claims.Api.Attachments.AttachmentsController.Upload(String claimId, IFormFile file, CancellationToken ct) in "
    "/src/Claims.Api/Attachments/AttachmentsController.cs:line 71",
    "Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext "
    "actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)"])


# ---------------------------------------------------------------------------------------------
def h20_09() -> tuple[dict, dict]:
    s = Scn("h20-09-claims-api-5xx-spool-disk", 2009, "ca-central-1", "2026-11-20T20:15:00",
            "Claim attachment uploads failing with 500; claims-api-alb 5XX alarm.")
    lb, lb_name = "app/claims-api-alb/5e6f7a8b9c0d1e2f", "claims-api-alb"
    i1, n1, i2, n2 = "i-04a1b2c3d4e5f6a7b", "claims-api-1", "i-09f8e7d6c5b4a3921", "claims-api-2"
    onset = -2400
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_group="claims-api-tg", health_check_path="/health")
    for iid, name in ((i1, n1), (i2, n2)):
        s.res("ec2", iid, name=name, instance_type="m6i.large", root_volume_gb=50, platform="Amazon Linux 2023",
              log_groups=["/claims-api/app", "/var/log/messages"])

    day = s.daily(0.3, 18.0)
    req = s.counts(520 * day)
    uploads = s.binom(req, 0.34)
    on2 = s.binom(uploads, 0.5)
    fail = np.where(s.t >= onset, on2, 0.0)
    t5 = fail + s.counts(0.15 * np.ones_like(s.t))
    kit.alb_metrics(s, lb, req, s.gauge(0.19, 0.015, lo=0.08) - 0.04 * s.step(onset), t5,
                    s.counts(0.02 * np.ones_like(s.t)), np.full_like(req, 2.0), np.zeros_like(req),
                    t4xx=s.counts(req * 0.01))
    disk2 = np.minimum(81.6 + (100 - 81.6) * np.clip((s.t + 21600) / (onset + 21600), 0, 1) ** 1.1
                       + s.rng.normal(0, 0.03, s.t.shape), 100.0)
    disk2 = np.where(s.t >= onset, s.gauge(99.97, 0.02, lo=99.9, hi=100.0), disk2)
    spike = (s.t >= -9000) & (s.t < -8100)
    kit.ec2_metrics(s, i1, s.gauge(21 * day, 2, lo=2) + spike * 55, s.gauge(1.4e7 * day, 1e6, lo=1e5),
                    s.gauge(44, 0.7), s.gauge(61.4, 0.02))
    kit.ec2_metrics(s, i2, s.gauge(22 * day, 2, lo=2), s.gauge(1.4e7 * day, 1e6, lo=1e5), s.gauge(46, 0.7), disk2)

    app = {i1: [], i2: []}
    for iid in (i1, i2):
        for tt in s.arrivals(s.binom(req, 0.5 * 0.012)):
            full = iid == i2 and tt >= onset
            up = s.rng.random() < 0.34
            clm = f"CLM-{int(s.rng.integers(10**6, 10**7))}"
            if up and full:
                app[iid].append((tt, lf.dotnet(s, tt, "fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", 1,
                                 "An unhandled exception has occurred while executing the request.\n"
                                 f"System.IO.IOException: No space left on device : '/var/lib/claims-api/spool/{s.hexs(16)}.part'\n"
                                 + ENOSPC_STACK)))
                continue
            route = f"POST /claims/{clm}/attachments" if up else s.pick(
                [f"GET /claims/{clm}", f"PUT /claims/{clm}", "GET /claims?status=open&page=1"])
            code = 201 if up else 200
            app[iid].append((tt, lf.dotnet(s, tt, "info", "Claims.Api.RequestLogging", 0,
                                           f"{route} responded {code} in {s.rng.gamma(4, 40 if up else 12):.1f} ms")))
        # the long-standing address validation timeout, per request; more requests reach it during retries
        rate = 0.5 * req * 0.0016 * (1 + 2.2 * ((s.t >= onset) & (iid == i2)))
        for tt in s.arrivals(s.counts(rate)):
            app[iid].append((tt, lf.dotnet(s, tt, "warn", "Claims.Integrations.AddressValidationClient", 0,
                                           "Address validation timed out after 2000 ms; continuing with unvalidated address "
                                           f"(postcode={s.pick(['M5V', 'H2X', 'V6B', 'T2P', 'K1P'])} "
                                           f"{int(s.rng.integers(1, 9))}{s.pick(['A', 'B', 'C', 'J', 'K'])}{int(s.rng.integers(1, 9))})")))
    for iid in (i1, i2):
        s.log("/claims-api/app", iid, app[iid])

    syslog = {i1: [], i2: []}
    for iid, name in ((i1, n1), (i2, n2)):
        host = f"ip-10-20-{int(s.rng.integers(1, 40))}-{int(s.rng.integers(2, 250))}"
        for tt in np.arange(-21600 + 35 * 60, 0, 3600.0):
            syslog[iid].append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} systemd[1]: Starting spool-cleanup.service - "
                                    "Remove processed claim attachments from spool..."))
            if iid == i2:
                syslog[iid].append((tt + 0.4, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} spool-cleanup[{int(s.rng.integers(20000, 60000))}]: "
                                              "find: '/var/lib/claims-api/spool/processed': Permission denied"))
                syslog[iid].append((tt + 0.5, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} systemd[1]: spool-cleanup.service: "
                                              "Main process exited, code=exited, status=1/FAILURE"))
                syslog[iid].append((tt + 0.5, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} systemd[1]: spool-cleanup.service: "
                                              "Failed with result 'exit-code'."))
            else:
                syslog[iid].append((tt + 9.2, f"{s.stamp(tt + 9, '%b %d %H:%M:%S')} {host} systemd[1]: spool-cleanup.service: "
                                              "Deactivated successfully."))
        for tt in np.arange(-21600 + 120, 0, 900.0):
            syslog[iid].append((tt, f"{s.stamp(tt, '%b %d %H:%M:%S')} {host} chronyd[612]: Selected source 169.254.169.123"))
        if iid == i1:
            syslog[iid].append((-9000, f"{s.stamp(-9000, '%b %d %H:%M:%S')} {host} systemd[1]: Starting logrotate.service - "
                                       "Rotate log files..."))
            syslog[iid].append((-8110, f"{s.stamp(-8110, '%b %d %H:%M:%S')} {host} systemd[1]: logrotate.service: "
                                       "Deactivated successfully."))
        s.log("/var/log/messages", iid, syslog[iid])

    s.change(-2520, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", i2, "asset-inventory-bot")
    s.change(-2515, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", i1, "asset-inventory-bot")

    s.alarm(f"{lb_name}-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 25,
            description="claims API target 5XX", not_before=onset)
    doc = s.build(f"{lb_name}-5xx", "storage_exhaustion", [i2, n2],
                  [("CWAgent", "disk_used_percent", {"InstanceId": i2, "path": "/", "fstype": "xfs"})])
    meta = {"front": "front (ALB before the two instances)",
            "decoys": "long-standing address-validation timeout warning that triples on the failing host; tag changes on both "
                      "instances 2 min before onset; logrotate CPU spike on the healthy host",
            "text": "The hourly spool cleanup on claims-api-2 has been failing all afternoon (`Permission denied` in "
                    "/var/log/messages) while it succeeds on claims-api-1, so claim attachments pile up and the root volume "
                    "climbs from 82 % to 100 %. From then on every upload that lands on claims-api-2 fails with "
                    "`System.IO.IOException: No space left on device`, about half of the uploads, and the ALB 5XX alarm "
                    "fires. The loudest change in the logs is an old friend: an address-validation timeout warning that "
                    "has been logged at a steady rate on both hosts for six hours and rises on claims-api-2 only because "
                    "users retry their failed uploads; it is a warning, the request continues, and it is not new. The "
                    "CreateTags calls just before onset are an inventory bot tagging both instances. Label: "
                    "storage_exhaustion on claims-api-2."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_10() -> tuple[dict, dict]:
    s = Scn("h20-10-statement-export-timeouts", 2010, "eu-north-1", "2026-11-30T22:40:00",
            "Month-end statement exports failing; statement-export Errors alarm.")
    fn, db, batch, batch_name = "statement-export", "ledger-replica", "i-0c3b5a7d9e1f24680", "ledger-batch-1"
    onset = -3000
    s.res("lambda", fn, runtime="python3.12", timeout=30, memory_size=1024, handler="export.handler",
          trigger="SQS statement-export-jobs (batch size 1, visibility timeout 180 s, maxReceiveCount 3)",
          environment={"LEDGER_DB_HOST": f"{db}.cr4t6y8u0i2o.eu-north-1.rds.amazonaws.com", "PAGE_SIZE": "5000",
                       "OUTPUT_BUCKET": "halden-statements-prod", "FX_RATES_URL": "https://fx.internal.halden.example/v1"})
    s.res("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.xlarge", max_connections=1800,
          allocated_storage_gb=1000, replica_of="ledger-primary")
    s.res("ec2", batch, name=batch_name, instance_type="c7g.4xlarge", role="month-end ledger close")

    day = s.daily(0.2, 21.0)
    after = s.step(onset)
    inv = s.counts(9 * day + 5 * after)
    big = s.binom(inv, 0.3 * after)
    err = big.copy()
    dur = s.gauge(2100, 150, lo=600) * (1 - after) + after * s.gauge(10400, 900, lo=4000)
    kit.lambda_metrics(s, fn, inv, err, dur)
    kit.rds_metrics(s, db, s.gauge(24 * day + 6 * after, 2.5, lo=3), s.gauge(61 + 9 * after, 3, lo=10),
                    s.gauge(612.0, 0.05), s.gauge(21.3, 0.1), s.gauge(0.0011, 0.0002, lo=0.0003),
                    s.gauge(0.0009, 0.0002, lo=0.0003), s.gauge(900 * day + 600 * after, 70, lo=20))
    hot = s.t >= -3420
    kit.ec2_metrics(s, batch, np.where(hot, s.gauge(97.8, 1.2, lo=90, hi=100), s.gauge(6, 1.5, lo=0.5)),
                    s.gauge(3e6, 4e5, lo=1e5) + hot * 6e7, s.gauge(31 + 40 * hot, 1.0))

    big_accounts = [f"acct_{s.hexs(8)}" for _ in range(9)]

    def fx_warn(t: float, rid: str) -> list:
        if s.rng.random() < 0.05:
            return [(0.2, lf.py(s, t + 0.2, "WARNING", rid, f"fx-rates lookup slow ({s.rng.uniform(1.2, 1.9):.1f} s) "
                                f"for currency={s.pick(['NOK', 'DKK', 'ISK', 'CHF'])}; using cached rate"))]
        return []

    def ok(t: float, rid: str):
        rows = int(s.rng.integers(200, 60000))
        pages = max(1, rows // 5000 + 1)
        d = 700 + rows * 0.045 + float(s.rng.normal(0, 120))
        acct = f"acct_{s.hexs(8)}"
        body = [(0.003, lf.py(s, t, "INFO", rid, f"export statement account={acct} period=2026-11 rows={rows} pages={pages}"))]
        body += fx_warn(t, rid)
        body.append((d / 1000 - 0.2, lf.py(s, t + d / 1000 - 0.2, "INFO", rid,
                                            f"uploaded s3://halden-statements-prod/2026-11/{acct}.pdf and .csv "
                                            f"({rows} rows, {pages} pages fetched, max page fetch {int(s.rng.integers(18, 55))} ms)")))
        return body, d, int(s.rng.integers(180, 320)), None

    def bad(t: float, rid: str):
        acct = s.pick(big_accounts)
        rows = int(s.rng.integers(900000, 1400000))
        pages = rows // 5000 + 1
        body = [(0.003, lf.py(s, t, "INFO", rid, f"export statement account={acct} period=2026-11 rows={rows} pages={pages}"))]
        body += fx_warn(t, rid)
        done, k = 0, 0
        for off in np.arange(2.0, 29.9, 2.5):
            k += 1
            done = min(rows, int(rows * off / 78.0))
            body.append((float(off), lf.py(s, t + off, "INFO", rid, f"rendered {done}/{rows} rows "
                                          f"({100 * done / rows:.0f}%), fetched {done // 5000 + 1}/{pages} pages, "
                                          f"last page fetch {int(s.rng.integers(22, 48))} ms")))
        body.append((30.028, lf.timed_out(s, t + 30.028, rid, 30.03)))
        return body, 30000.0, int(s.rng.integers(590, 660)), "timeout"

    kit.lambda_logs(s, fn, inv, err, 0.22, ok, bad, "python3.12", 1024, envs=3)

    pg = []
    for t in np.arange(-21590, 0, 300.0):
        pg.append((t, lf.pg(s, t, "LOG", "restartpoint starting: time", pid=455)))
        pg.append((t + 24, lf.pg(s, t + 24, "LOG", f"restartpoint complete: wrote {int(s.rng.integers(800, 3000))} buffers; "
                                 "0 WAL file(s) added, 0 removed, 2 recycled", pid=455)))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg)
    close = []
    for k, tt in enumerate(np.arange(-3400, 0, 60.0)):
        close.append((tt, f"{s.stamp(tt)} INFO  [close-runner] step {k // 6 + 1}/14 posting journal batch "
                          f"{k + 1}: {int(s.rng.integers(80000, 120000))} entries, cpu workers=16"))
    s.log("/ledger/month-end-close", batch, close)

    s.change(-7800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "azure-pipelines-ledger")
    s.change(-3420, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", batch, "month-end-scheduler")

    s.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
            description="statement-export failed invocations", not_before=onset)
    doc = s.build(f"{fn}-errors", "function_timeout", [fn],
                  [("AWS/Lambda", "Duration", {"FunctionName": fn})])
    meta = {"front": "origin",
            "decoys": "ledger-batch-1 pinned at ~98 % CPU from month-end close (started by SSM) just before onset; steady "
                      "'fx-rates lookup slow' warnings; a release of the function 2 h earlier; more invocations at month end",
            "text": "At month end the export queue starts delivering statements for a handful of enterprise accounts with "
                    "about a million ledger rows each. The function renders them in-process: its progress lines show page "
                    "fetches from the replica taking 20-50 ms while rendering advances only about 1.3 % of the rows per second, and at 30 s "
                    "Lambda kills it (`Task timed out after 30.03 seconds`, REPORT `Status: timeout`); SQS redelivers and "
                    "the same accounts time out again. The replica is idle-ish (CPU 30 %, 1 ms latency), the only "
                    "dependency complaint is an fx-rates warning logged at the same rate for hours, and the hot "
                    "ledger-batch-1 host is a separate month-end job this function never talks to. The release 2 h earlier "
                    "served normal accounts without error before and after. The function reaches its configured timeout "
                    "with no dependency errors: function_timeout on statement-export."}
    return doc, meta
