"""h35-16: a .NET Lambda computes the next billing period with new DateTime(year, month + 1, 1); at 00:00 UTC
on 1 December every monthly renewal throws ArgumentOutOfRangeException. No change, no resource fault.
Fast (quiet trigger: the calendar), origin alarm."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, rds_dims

FILE = "h35-16-invoice-dotnet-yearend-bug.yaml"
FN = "invoice-scheduler"
META = {
    "file": FILE, "region": "ap-south-1", "alarm": "invoice-scheduler-errors",
    "category": "application_error", "resources": [FN], "where": "origin", "shape": "fast",
    "decoys": "invoice-pdf configuration change 5 h before; billing-db CPU spike 70 min before (nightly "
              "maintenance); constant handled 'fail' lines for expired payment methods and tax-cache warnings",
    "story": (
        "invoice-scheduler (dotnet8, SQS-triggered) renews subscriptions all day. Before midnight UTC its logs "
        "show monthly renewals for the November period with `next=2026-12-01`. From 00:00:0x UTC on 1 December "
        "every monthly renewal fails with `System.ArgumentOutOfRangeException: Year, Month, and Day parameters "
        "describe an un-representable DateTime.` thrown from `BillingPeriod.NextStart()` (the code builds "
        "`new DateTime(year, month + 1, 1)`, i.e. month 13), while annual and weekly plans still succeed; "
        "Errors jump to ~60 % of first deliveries (~75 % of invocations once the single SQS redelivery of each failed message comes back 5 minutes later). No deployment or configuration change "
        "touched the function, traffic is flat, billing-db is healthy (its short CPU spike is the nightly "
        "maintenance an hour earlier) and the invoice-pdf change is another function. The expired-payment "
        "`fail` lines run at the same rate before and after. Label: application_error in invoice-scheduler."),
}


def build():
    now = dt.datetime(2026, 12, 1, 0, 25, tzinfo=dt.timezone.utc)
    s = Scenario("h35-16-invoice-dotnet-yearend-bug", "ap-south-1",
                 "Subscription renewals failing since shortly after midnight UTC; invoice-scheduler Errors alarm.",
                 seed=3516, now=now, window_h=8, tz_offset_h=5.5)
    s.resource("lambda", FN, runtime="dotnet8", timeout=60, memory_size=1024,
               handler="Billing.Scheduler::Billing.Scheduler.Function::FunctionHandler",
               trigger="SQS renewals-due (batch size 1, visibility 300 s, maxReceiveCount 2)")
    s.resource("lambda", "invoice-pdf", runtime="dotnet8", timeout=30, memory_size=2048)
    s.resource("rds", "billing-db", engine="postgres", engine_version="16.3", instance_class="db.r6g.xlarge",
               max_connections=3400, allocated_storage_gb=800)

    mins = list(range(s.start, 0, 60))
    midnight = -25 * 60
    base = {t: s.pois(150 * s.diurnal(t, 0.55, 12)) for t in mins}
    monthly = {t: s.pois(base[t] * 0.62) if t >= midnight else 0 for t in mins}
    redeliv = {t: int(monthly.get(t - 300, 0) * 0.95) for t in mins}  # visibility timeout 300 s, one redelivery
    inv = {t: base[t] + redeliv[t] for t in mins}
    err = {t: min(inv[t], monthly[t] + redeliv[t]) for t in mins}
    lambda_metrics(s, FN, lambda t: inv[t], lambda t: err[t], lambda t: 0,
                   lambda t: (210 + s.g(0, 15)) * (1 - 0.5 * err[t] / max(inv[t], 1)),
                   lambda t: max(1, round(inv[t] * 0.21 / 60 * 1.3 + 0.5)))
    pdf_cfg = -5 * 3600
    pdf = {t: s.pois(base[t] * 0.3) for t in mins}
    lambda_metrics(s, "invoice-pdf", lambda t: pdf[t], lambda t: 0, lambda t: 0,
                   lambda t: 1450 + s.g(0, 90) + (120 if t >= pdf_cfg else 0), lambda t: max(1, round(pdf[t] * 1.45 / 60 + 1)))
    d = rds_dims("billing-db")
    maint = -70 * 60
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent",
             lambda t: 14 + 6 * s.diurnal(t, 0.55, 12) + s.g(0, 1.2) + (41 if maint <= t < maint + 900 else 0))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: 72 + s.rng.randint(-4, 4), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0008 + abs(s.g(0, 0.00012)), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 388e9 - (t - s.start) * 6e3, nd=0)
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "renewals-due"}, "Count",
             lambda t: s.pois(12) + redeliv[t] * 0.4, nd=0)

    # ---- logs ---------------------------------------------------------------------------------
    ll = LambdaLog(s, 1024, runtime="dotnet")
    trace = ("System.ArgumentOutOfRangeException: Year, Month, and Day parameters describe an un-representable "
             "DateTime.\n   at System.DateTime.ThrowHelper.ThrowArgumentOutOfRange_BadYearMonthDay()\n   at "
             "System.DateTime..ctor(Int32 year, Int32 month, Int32 day)\n   at Billing.Scheduler.BillingPeriod.NextStart() "
             "in /src/Billing.Scheduler/BillingPeriod.cs:line 27\n   at Billing.Scheduler.RenewalService.RenewAsync("
             "Subscription sub) in /src/Billing.Scheduler/RenewalService.cs:line 88\n   at Billing.Scheduler.Function."
             "FunctionHandler(SQSEvent evt, ILambdaContext context) in /src/Billing.Scheduler/Function.cs:line 61")
    for k in range(3):
        ev = []
        for t in s.times(lambda t: 3.2 * s.diurnal(t, 0.55, 12), start=-4 * 3600):
            sub = f"sub_{s.alnum(14, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789')}"
            plan = s.pick(["monthly", "annual", "weekly"], [0.62, 0.23, 0.15])
            body = [(0.002, "info", f"Renewing {sub} plan={plan} customer=cus_{s.alnum(10, '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ')}")]
            if s.rng.random() < 0.05:
                body.append((0.01, "warn", "Tax rate cache miss for region IN-KA, fetching from tax service"))
            if s.rng.random() < 0.04:
                body.append((0.05, "error", f"Payment method expired for customer cus_{s.alnum(10, '0123456789ABCDEFGHJK')}, "
                                            f"renewal of {sub} skipped (dunning email queued)"))
                _, blk = ll.invoke(t, 90 + s.rng.random() * 30, 156, body)
                ev.extend(blk)
                continue
            if plan == "monthly" and t >= midnight:
                body.append((0.03, "error", trace))
                rid, blk = ll.invoke(t, 60 + s.rng.random() * 20, 158, body)
                blk.insert(-2, (t + 0.058, f"{s.iso(t + 0.058)}\t{rid}\tfail\t{{\"errorType\":\"ArgumentOutOfRangeException\","
                                           "\"errorMessage\":\"Year, Month, and Day parameters describe an un-representable "
                                           "DateTime.\",\"stackTrace\":[\"at System.DateTime..ctor(Int32 year, Int32 month, "
                                           "Int32 day)\",\"at Billing.Scheduler.BillingPeriod.NextStart() in /src/Billing."
                                           "Scheduler/BillingPeriod.cs:line 27\"]}"))
                ev.extend(blk)
                continue
            cur = s.at(t)
            if plan == "monthly":
                start = cur.replace(day=1)
                nxt = (start + dt.timedelta(days=32)).replace(day=1)
                msg = f"Renewed {sub}: period {start:%Y-%m-%d}..{nxt - dt.timedelta(days=1):%Y-%m-%d} next={nxt:%Y-%m-%d}"
            elif plan == "annual":
                msg = f"Renewed {sub}: period {cur:%Y-%m-%d}..{cur.replace(year=cur.year + 1) - dt.timedelta(days=1):%Y-%m-%d}"
            else:
                msg = f"Renewed {sub}: period {cur:%Y-%m-%d}..{cur + dt.timedelta(days=6):%Y-%m-%d}"
            d = 180 + s.rng.random() * 60
            body.append((d / 1000 - 0.01, "info", msg))
            _, blk = ll.invoke(t, d, 161, body)
            ev.extend(blk)
        s.log(f"/aws/lambda/{FN}", stream_name(s, -4 * 3600), ev)
    pl = LambdaLog(s, 2048, runtime="dotnet")
    ev = []
    for t in s.times(lambda t: 2, start=-3 * 3600):
        _, blk = pl.invoke(t, 1400 + s.rng.random() * 200, 388,
                           [(0.01, "info", f"Rendered invoice INV-{s.rng.randint(10 ** 6, 10 ** 7)} "
                                           f"({s.rng.randint(1, 4)} pages)")])
        ev.extend(blk)
    s.log("/aws/lambda/invoice-pdf", stream_name(s, -3 * 3600), ev)

    s.change(pdf_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "invoice-pdf", "ci-deployer")
    when = first_breach(err, 60, 3, 5, ">")
    s.alarm("invoice-scheduler-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (5.0).",
            min(when or -1200, -60), description="renewal processing failures")
    s.expect = {"alarm": "invoice-scheduler-errors",
                "root_cause": {"category": "application_error", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return s
