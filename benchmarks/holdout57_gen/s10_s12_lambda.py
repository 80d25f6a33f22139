"""h57-10 (Python Lambda reaching its timeout) and h57-12 (.NET Lambda unhandled exception on new data)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, counts_per_minute, diurnal, ramp, bump
from .runtimes import LambdaLogs
from .s02_s03_lambda import _lambda_metrics

# =========================================================================== h57-10
T_BIG, T_NOTIFIER = -2400, -2460
FN10 = "payroll-report-builder"


def build_payroll() -> Scenario:
    sc = Scenario(10, "payroll-report-timeouts", "Payroll PDF reports missing for large employers; "
                  "payroll-report-builder Errors alarm fired.", "eu-north-1", 5710, "2026-12-28T15:45:00+00:00")
    rng = sc.rng
    sc.resource("lambda", FN10, runtime="python3.11", timeout=120, memory_size=2048,
                trigger="sqs:payroll-report-requests (visibility timeout 720 s)")
    sc.resource("lambda", "payroll-notifier", runtime="python3.11", timeout=30, memory_size=256)
    sc.resource("rds", "payroll-db", engine="postgres", engine_version="16.4", instance_class="db.m6g.large",
                max_connections=901, allocated_storage_gb=250)
    # each request is a batch; from T_BIG month-end runs of large employers are queued too
    plan = {}
    for m in GRID:
        n = max(0, round(rng.gauss(3 if m < T_BIG else 3.6, 1.0)))
        plan[m] = [rng.randint(180, 950) if (m < T_BIG or rng.random() > 0.4) else rng.randint(3100, 4900)
                   for _ in range(n)]
    secs = lambda emp: 2.2 + emp * 0.0445
    inv = [float(len(plan[m])) for m in GRID]
    err = [float(sum(1 for e in plan[m] if secs(e) >= 120)) for m in GRID]
    dur = [round(sum(min(120000.0, secs(e) * 1000 * rng.uniform(0.95, 1.05)) for e in plan[m]) / len(plan[m]), 2)
           if plan[m] else None for m in GRID]
    conc = [float(max(1, round(sum(min(120, secs(e)) for e in plan[m]) / 60 + rng.uniform(0.5, 2.0)))) for m in GRID]
    d = _lambda_metrics(sc, FN10, inv, err, dur, conc=conc)
    ninv = sc.series(lambda t: 2, integer=True)
    _lambda_metrics(sc, "payroll-notifier", ninv, [0.0] * len(GRID),
                    sc.series(lambda t: 410 if t < T_NOTIFIER else 380, noise=0.1))
    rd = {"DBInstanceIdentifier": "payroll-db"}
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent", sc.series(lambda t: 15 + bump(t, -7500, -6900, 55), noise=0.1))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count", sc.series(lambda t: 12, integer=True))
    sc.metric("AWS/RDS", "ReadLatency", rd, "Seconds", sc.series(lambda t: 0.0011, noise=0.2, digits=5))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes", sc.series(lambda t: 1.71e11, noise=0.0003, digits=0))

    queue = {m: list(plan[m]) for m in GRID}

    def body(ll, t, reqid, is_err, cold):
        minute = int(t // 60) * 60
        emp = queue[minute].pop() if queue.get(minute) else rng.randint(180, 950)
        emp_id, batch = f"emp_{rng.randint(10000, 99999)}", f"b_{sc.hexid(10)}"
        total = secs(emp)
        lines = [(0.01, ll.fmt(t + 0.01, reqid, "INFO", f"Building payroll report batch={batch} employer={emp_id} "
                                                       f"employees={emp} period=2026-12")),
                 (0.4, ll.fmt(t + 0.4, reqid, "INFO", f"fetched {emp} payslip rows from payroll-db in "
                                                     f"{0.05 + emp * 0.00006:.2f} s")),
                 (0.6, ll.fmt(t + 0.6, reqid, "WARNING", 'weasyprint: Ignored `text-rendering: optimizeLegibility` '
                                                        'at 12:5, unknown property.'))]
        k = 1000
        while k < emp and 2.0 + k * 0.0445 < 119.5:
            at = 2.0 + k * 0.0445
            lines.append((at, ll.fmt(t + at, reqid, "INFO", f"rendered {k}/{emp} payslips ({at:.1f} s)")))
            k += 1000
        if total >= 120:
            return {"dur": 120000, "status": "timeout", "lines": lines, "mem": rng.randint(1250, 1700)}
        lines.append((total - 0.01, ll.fmt(t + total - 0.01, reqid, "INFO",
                      f"uploaded s3://payroll-reports-prod/2026-12/{emp_id}.pdf ({emp * 0.0092:.1f} MB) in 1.{rng.randint(1, 9)} s")))
        return {"dur": total * 1000, "lines": lines, "mem": int(420 + emp * 0.28)}

    ll = LambdaLogs(sc, FN10, "python3.11", 2048, 120, mem_used=(600, 80), life=(5400, 9000))
    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)
    nl = LambdaLogs(sc, "payroll-notifier", "python3.11", 256, 30, mem_used=(71, 3), retire=[T_NOTIFIER])

    def nbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(410 if t < T_NOTIFIER else 380, 40)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"notified employer emp_{rng.randint(10000, 99999)}: report ready (channel=email)"))]}
    nl.run(counts_per_minute(ninv, -10800, 0), {}, nbody)

    sc.change(T_NOTIFIER, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "payroll-notifier", "ci-deployer")
    sc.alarm(f"{FN10}-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 3, "GreaterThanThreshold",
             "Payroll report generation failures")
    sc.expect = {"alarm": f"{FN10}-errors",
                 "root_cause": {"category": "function_timeout", "resource": [FN10]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (payroll-report-builder Errors)",
        "decoys": "payroll-notifier deploy 60 s before the first timeout; payroll-db CPU spike 1.4 h earlier; "
                  "loud pre-existing weasyprint WARNING on every invocation",
        "story": "From -2400 s the queue carries month-end batches for large employers (3,100-4,900 "
                 "employees). Rendering takes ~45 ms per payslip, so these runs log progress up to "
                 "~2,600 payslips and end with `Task timed out after 120.00 seconds` (REPORT Status: "
                 "timeout, Duration 120000 ms); small batches still succeed. The database answers every "
                 "fetch in well under a second and no dependency error appears; memory stays far below "
                 "2048 MB. The notifier deploy is another function. Invocations that reach the configured "
                 "timeout with no dependency errors are function_timeout.",
    }
    return sc


# =========================================================================== h57-12
T_PARTNER, T_EMAIL, T_RDS = -1740, -1800, -2600
FN12 = "loyalty-points-calculator"


def build_loyalty() -> Scenario:
    sc = Scenario(12, "loyalty-null-tier", "Loyalty points not credited for some purchases; "
                  "loyalty-points-calculator Errors alarm fired.", "ap-northeast-1", 5712, "2026-04-23T03:30:00+00:00")
    rng = sc.rng
    sc.resource("lambda", FN12, runtime="dotnet8", timeout=30, memory_size=512, trigger="sqs:purchase-events (maxReceiveCount 3)")
    sc.resource("lambda", "loyalty-email-sender", runtime="dotnet8", timeout=30, memory_size=256)
    sc.resource("lambda", "loyalty-sync", runtime="dotnet8", timeout=60, memory_size=1024)
    sc.resource("rds", "loyalty-reporting-db", engine="postgres", instance_class="db.t4g.large",
                max_connections=450, allocated_storage_gb=100)
    bad = lambda t: t >= T_PARTNER
    base = sc.series(lambda t: 16 * diurnal(sc, t, 4, 0.3), integer=True)
    err = [float(sum(rng.random() < 0.27 for _ in range(int(b)))) if bad(t) else 0.0 for t, b in zip(GRID, base)]
    inv = [b + e for b, e in zip(base, err)]  # failed messages are redelivered by SQS
    err = [e * 2 for e in err]
    d = _lambda_metrics(sc, FN12, inv, err, sc.series(lambda t: 62 if not bad(t) else 57, noise=0.08))
    einv = sc.series(lambda t: 2.2, integer=True)
    _lambda_metrics(sc, "loyalty-email-sender", einv, [0.0] * len(GRID),
                    sc.series(lambda t: 380 if t < T_EMAIL else 350, noise=0.1))
    sinv = [1.0] * len(GRID)
    sd = _lambda_metrics(sc, "loyalty-sync", sinv, [0.0] * len(GRID),
                         sc.series(lambda t: 22000 + 19000 * ramp(t, -14400, -14000), noise=0.05), conc=sinv)
    rd = {"DBInstanceIdentifier": "loyalty-reporting-db"}
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent", sc.series(lambda t: 9, noise=0.15))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count", sc.series(lambda t: 6, integer=True))

    trace = ["at System.Nullable`1.get_Value()",
             "at Loyalty.Points.TierMultiplier.For(Nullable`1 tier) in /src/Loyalty.Points/TierMultiplier.cs:line 22",
             "at Loyalty.Points.Calculator.Calculate(PurchaseEvent evt) in /src/Loyalty.Points/Calculator.cs:line 57",
             "at Loyalty.Points.Function.FunctionHandler(SQSEvent sqsEvent, ILambdaContext context) in "
             "/src/Loyalty.Points/Function.cs:line 38"]
    partners = ["P-0041", "P-0041", "P-0107", "P-0033", "P-0150"]

    def body(ll, t, reqid, is_err, cold):
        evt, mem = f"evt_{sc.hexid(14)}", f"M-{rng.randint(10 ** 7, 10 ** 8)}"
        if is_err:
            lines = [(0.004, ll.fmt(t + 0.004, reqid, "INFO", f"Processing purchase event {evt} partner=P-0192 "
                                                            f"member={mem} amount={rng.randint(300, 30000)} JPY tier=(null)")),
                     (0.04, ll.fmt(t + 0.04, reqid, "ERROR", "System.InvalidOperationException: Nullable object must "
                                                            "have a value.\n   " + "\n   ".join(trace))),
                     (0.045, json.dumps({"errorType": "InvalidOperationException", "errorMessage":
                                         "Nullable object must have a value.", "stackTrace": trace},
                                        separators=(",", ":")))]
            return {"dur": rng.gauss(45, 6), "lines": lines}
        tier = rng.choice(["Bronze", "Silver", "Silver", "Gold", "Platinum"])
        pts = rng.randint(10, 900)
        lines = [(0.004, ll.fmt(t + 0.004, reqid, "INFO", f"Processing purchase event {evt} partner={rng.choice(partners)} "
                                                        f"member={mem} amount={pts * 10} JPY tier={tier}"))]
        if rng.random() < 0.08:
            lines.append((0.03, ll.fmt(t + 0.03, reqid, "WARN", f"Member {mem} has no email on file; skipping points notification")))
        dur = rng.gauss(62, 9)
        lines.append((dur / 1000 - 0.002, ll.fmt(t + dur / 1000 - 0.002, reqid, "INFO", f"Credited +{pts} points to {mem}")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, FN12, "dotnet8", 512, 30, mem_used=(96, 5))
    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)
    el = LambdaLogs(sc, "loyalty-email-sender", "dotnet8", 256, 30, mem_used=(88, 4), retire=[T_EMAIL])

    def ebody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(380 if t < T_EMAIL else 350, 40)
        return {"dur": dur, "lines": [(dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                f"Sent points statement to M-{rng.randint(10 ** 7, 10 ** 8)} via SES"))]}
    el.run(counts_per_minute(einv, -10800, 0), {}, ebody)
    yl = LambdaLogs(sc, "loyalty-sync", "dotnet8", 1024, 60, mem_used=(410, 20), life=(20000, 30000))

    def ybody(ll, t, reqid, is_err, cold):
        dur = 22000 + 19000 * ramp(t, -14400, -14000) + rng.gauss(0, 1200)
        return {"dur": dur, "lines": [(dur / 1000 - 0.05, ll.fmt(t + dur / 1000 - 0.05, reqid, "WARN",
                f"Partner ledger sync slow: {rng.randint(4100, 4400)} records, upstream page size capped at 50"))]}
    for t in GRID:
        if t >= -10800:
            yl.invoke(t + rng.uniform(0.1, 1), False, ybody)

    sc.change(T_EMAIL, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "loyalty-email-sender", "ci-deployer")
    sc.change(T_RDS, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loyalty-reporting-db", "dba-tanaka")
    sc.alarm(f"{FN12}-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "Loyalty points calculation failures")
    sc.alarm("loyalty-sync-duration", "AWS/Lambda", "Duration", sd, "Average", 300, 3, 30000, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{FN12}-errors",
                 "root_cause": {"category": "application_error", "resource": [FN12]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (loyalty-points-calculator Errors)",
        "decoys": "loyalty-email-sender deploy 60 s before onset; ModifyDBInstance on loyalty-reporting-db "
                  "(an unrelated config change) 14 min earlier; loyalty-sync duration alarm already in ALARM "
                  "for 4 h; loud pre-existing 'no email on file' WARN",
        "story": "From -1740 s purchase events from a newly onboarded partner (P-0192) arrive with no "
                 "member tier (`tier=(null)`), and every one of them throws `System.InvalidOperationException: "
                 "Nullable object must have a value.` in TierMultiplier.For; SQS redelivers them, so "
                 "invocations and errors both rise. The function itself was not changed, it has no "
                 "throttles, timeouts or memory pressure, and it calls no failing dependency. The email "
                 "sender deploy and the reporting-DB modification touch other resources, and the "
                 "loyalty-sync alarm predates the incident by hours. Unhandled exceptions triggered by "
                 "new input with no preceding change are application_error.",
    }
    return sc


BUILDERS = [build_payroll, build_loyalty]
