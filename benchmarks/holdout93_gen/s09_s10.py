"""h93-09 (thermostat acknowledgements during a demand-response event) and h93-10 (month-end
statement composition for commercial accounts)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from . import kit
from .kit import apigw_exec, emit, lam_metrics, lambda_run, py_trace


def build_09():
    sc = kit.new(9, "dr-event-thermostat-acks", "Thermostats cannot acknowledge the 17:00 demand-response "
                 "event; the DR API's 5XX alarm fired.", "eu-south-1", "2026-11-21T16:40:00+00:00")
    api, fn, sch, base = "dr-events-api", "dr-ack-handler", "dr-event-dispatch", "dr-baseline-calc"
    api_id, event, decoy, limit, dur = "t6w2c9e4hn", -2400, -2300, 40, 2200.0
    sc.resource("apigateway", api, stage="v1", api_id=api_id)
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=256, timeout=10, reserved_concurrency=limit)
    sc.resource("lambda", sch, runtime="provided.al2023", memory_size=512, timeout=300)
    sc.resource("lambda", base, runtime="python3.12", memory_size=1024, timeout=600)

    def want(t):
        return 290 + 1150 * ramp(t, event, event + 300) * (1 - 0.25 * ramp(t, event + 900, 0))

    cap = limit * 60000 / dur * 0.985

    def ok(t):
        return min(want(t), cap)

    def thr(t):
        return max(0.0, want(t) - cap)

    v = lam_metrics(sc, fn, ok, lambda t: 0.004 * ok(t), lambda t: dur, thr=thr,
                    conc=lambda t: min(limit, want(t) * dur / 60000))
    lam_metrics(sc, sch, lambda t: 1.0 if event - 60 <= t < event + 60 else None, lambda t: 0.0,
                lambda t: 41000)
    lam_metrics(sc, base, lambda t: 0.5, lambda t: 0.0, lambda t: 18000 + bump(t, -9000, -8400, 90000))
    kit.apigw_metrics(sc, api, want, lambda t: thr(t) + 0.1, lambda t: 6 + 0.004 * want(t),
                      lambda t: dur + 40 + (300 if thr(t) > 0 else 0), lambda t: dur + 20)

    ll = LambdaLogs(sc, fn, "nodejs20.x", 256, 10, mem_used=(96, 8), max_envs=limit)

    def body(ll, t, rid, is_err, cold):
        dev = f"tstat-{sc.hexid(10)}"
        if is_err:
            return {"dur": sc.rng.uniform(30, 90), "lines": [(0.02, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + kit.jline(
                {"errorType": "ValidationError", "errorMessage": f"unknown device id {dev}",
                 "stack": ["ValidationError: unknown device id", "    at validateAck (/var/task/ack.js:41:11)"]})))]}
        d = max(300, sc.rng.gauss(dur, 400))
        return {"dur": d, "lines": [(d / 1000 - 0.01, ll.fmt(t + d / 1000 - 0.01, rid, "INFO",
                f"ack stored device={dev} event=DRE-20261121-1700 state={sc.rng.choice(['CURTAILED', 'CURTAILED', 'OPTED_OUT'])}"))]}

    lambda_run(ll, v["inv"], v["err"], 0.006, body, err_floor=0.15)

    def gw(t):
        r = sc.uuid()
        if sc.rng.random() < thr(t) / want(t):
            lr = sc.uuid()
            return [apigw_exec(sc, t, r, f"Lambda invocation failed with status: 429. Lambda request id: {lr}"),
                    apigw_exec(sc, t, r, "Execution failed due to configuration error: Rate Exceeded."),
                    apigw_exec(sc, t, r, "Method completed with status: 500")]
        if sc.rng.random() < 0.02:
            return apigw_exec(sc, t, r, "Method completed with status: 403")
        return apigw_exec(sc, t, r, "Method completed with status: 200")
    emit(sc, f"API-Gateway-Execution-Logs_{api_id}/v1", sc.hexid(32), lambda t: want(t) / 250, gw)

    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "jenkins-flex")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              base, "a.ferri")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "DR events API 5XX")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 60,
             "GreaterThanThreshold")
    sc.alarm(f"{base}-duration", "AWS/Lambda", "Duration", {"FunctionName": base}, "Maximum", 300, 1, 300000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "throttling", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="front (API Gateway)", services="API Gateway, Lambda (Node.js 20)",
        decoys=f"configuration change on `{base}` 100 s after the event start; the event's own request surge; "
               "steady ValidationError errors and 403s; a harmless deploy of the handler 4.7 h earlier",
        story=f"At 16:00 UTC `{sch}` sends the demand-response signal and thermostat acknowledgements rise from "
              f"~290 to ~1,400 per minute. `{fn}` has reserved concurrency {limit} and takes ~2.2 s per ack, so "
              "it can serve ~1,070 per minute: ConcurrentExecutions sits flat at 40, Throttles climbs to ~400/min (easing to ~100 as acks tail off), "
              "and API Gateway logs `Lambda invocation failed with status: 429` / `Rate Exceeded` and returns "
              "500. The function's own Errors (ValidationError for unknown devices) keep their usual share.")
    sc.meta["judgement"] = ("The event raises volume, but the fault is the concurrency limit: throttles are the "
                            "observed failure, so throttling (not traffic_surge, which needs no other fault).")
    return sc


def build_10():
    sc = kit.new(10, "month-end-statements", "Month-end statement composition failing for part of the "
                 "run; the composer's Errors alarm fired.", "eu-west-3", "2026-11-30T03:10:00+00:00")
    fn, mailer, db = "statement-composer", "statement-mailer", "billing-pg"
    run, ci, decoy, to = -5400, -2400, -2350, 120
    sc.resource("lambda", fn, runtime="python3.11", memory_size=2048, timeout=to)
    sc.resource("lambda", mailer, runtime="python3.11", memory_size=512, timeout=60)
    sc.resource("rds", db, engine="postgres", engine_version="15.7", instance_class="db.r6g.xlarge",
                max_connections=1600, allocated_storage_gb=1000)

    def resi(t):
        return 40 * ramp(t, run, run + 120) * (1 - ramp(t, ci - 60, ci + 60))

    def cni(t):
        return 22 * ramp(t, ci - 60, ci + 60)

    def inv(t):
        return 0.3 + resi(t) + cni(t)

    def tmo(t):
        return 0.45 * cni(t)

    v = lam_metrics(sc, fn, inv, lambda t: 0.05 + tmo(t),
                    lambda t: (0.3 * 900 + resi(t) * 8000 + cni(t) * (0.55 * 70000 + 0.45 * to * 1000)) / inv(t))
    mv = lam_metrics(sc, mailer, lambda t: 0.2 + 0.9 * resi(t) + 0.5 * cni(t), lambda t: 0.01, lambda t: 640)
    kit.rds_metrics(sc, db, lambda t: 18 + 12 * ramp(t, run, run + 300) + bump(t, -3100, -2800, 52, edge=90),
                    lambda t: 60 + 0.8 * (resi(t) + cni(t)), lambda t: 610.0 - (t + 21600) / 21600 * 2,
                    lambda t: 19.5, lambda t: 0.0012, lambda t: 0.0018)

    ll = LambdaLogs(sc, fn, "python3.11", 2048, to, mem_used=(780, 90))

    def body(ll, t, rid, is_err, cold):
        if is_err and sc.rng.random() < 0.05 / (0.05 + tmo(t)):
            return {"dur": sc.rng.uniform(400, 900), "lines": [(0.3, py_trace(
                "UndefinedError: 'dict object' has no attribute 'tariff_footnote'", [
                    ("/var/task/compose.py", 112, "render", "html = template.render(**ctx)"),
                    ("/var/task/templates/statement.html.j2", 87, "top-level template code",
                     "{{ account.tariff_footnote }}")]))]}
        big = is_err or sc.rng.random() < cni(t) / max(inv(t), 0.01)
        acct = f"{'CI' if big else 'RS'}-{sc.rng.randint(10**6, 10**7 - 1)}"
        lines = []
        if sc.rng.random() < 0.12:
            lines.append((0.05, ll.fmt(t, rid, "ERROR", "missing logo asset for brand 'legacy-gaz'; using default")))
        if big or is_err:
            sites = sc.rng.randint(150, 480)
            lines.append((0.01, ll.fmt(t, rid, "INFO", f"composing statement account={acct} sites={sites} "
                                       f"intervals={sites * 2880} period=2026-11")))
            if is_err:
                for k in range(1, 4):
                    lines.append((k * 35.0, ll.fmt(t + k * 35, rid, "INFO", f"rendered {int(sites * k * 0.22)}/{sites} "
                                                   "site tables")))
                return {"dur": 0, "status": "timeout", "lines": lines, "mem": sc.rng.randint(1300, 1700)}
            d = sc.rng.uniform(45000, 110000)
            lines.append((d / 1000 - 0.2, ll.fmt(t + d / 1000 - 0.2, rid, "INFO", f"statement stored "
                                                 f"s3://statements-par/2026-11/{acct}.pdf pages={sites // 3 + 4}")))
            return {"dur": d, "lines": lines, "mem": sc.rng.randint(900, 1500)}
        d = max(2000, sc.rng.gauss(8000, 1500))
        lines.append((0.01, ll.fmt(t, rid, "INFO", f"composing statement account={acct} sites=1 intervals=2880 "
                                   "period=2026-11")))
        lines.append((d / 1000 - 0.2, ll.fmt(t + d / 1000 - 0.2, rid, "INFO",
                                             f"statement stored s3://statements-par/2026-11/{acct}.pdf pages=3")))
        return {"dur": d, "lines": lines}

    lambda_run(ll, v["inv"], v["err"], 0.09, body, err_floor=0.04)
    lm = LambdaLogs(sc, mailer, "python3.11", 512, 60, mem_used=(120, 8))
    lambda_run(lm, mv["inv"], mv["err"], 0.05, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(640, 80), "lines": [
        (0.5, ll.fmt(t, rid, "INFO", f"queued e-bill notification for RS-{sc.rng.randint(10**6, 10**7 - 1)}"))]})
    emit(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0", 0.5, lambda t: pg(
        sc, t, "LOG", f"automatic analyze of table \"billing.interval_15m_2026_11\" system usage: CPU: user: "
        f"{sc.rng.uniform(1, 9):.2f} s" if -3100 <= t < -2800 else f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
        "buffers (0.6%); 0 WAL file(s) added, 0 removed, 2 recycled", pid=702))

    sc.change(-8000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-runner-billing")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              mailer, "gitlab-runner-billing")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Statement composer errors")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 60, 3, 60,
             "GreaterThanThreshold")
    sc.expect = {"alarm": f"{fn}-errors", "root_cause": {"category": "function_timeout", "resource": [fn]}}
    sc.meta = dict(
        alarm_on="origin", services="Lambda (Python 3.11), RDS PostgreSQL",
        decoys=f"`{mailer}` configuration change 50 s after the commercial segment started; a 5-minute "
               f"`{db}` CPU spike (automatic analyze) just before, with its own alarm now back to OK; steady "
               "'missing logo asset' ERROR lines and rare template UndefinedErrors; a composer deploy 1.5 h before the run",
        story=f"The month-end run composes residential statements (~8 s each) from 01:40 UTC without errors. "
              f"At -2400 s the queue reaches the commercial accounts, whose statements aggregate hundreds of "
              f"sites: progress lines show them rendering slowly, and ~45 % end with `Task timed out after "
              f"{to}.00 seconds` and `Status: timeout` in REPORT. No database, network or permission error "
              f"appears; `{db}` latency and connections are normal after its short analyze spike.")
    return sc


BUILDERS = [build_09, build_10]
