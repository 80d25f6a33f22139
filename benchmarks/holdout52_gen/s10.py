"""h52-10: month-end statements for the largest accounts exceed statement-generator's 60 s timeout."""
from __future__ import annotations

from .common import Scenario, ecs_pack, lambda_pack, rds_pack
from .logfmt import LambdaSim, starts_from

T_MAIL, T_TAG, T_MCFG, T_PORTAL, T_PG = -7200, -5400, -3000, -2500, -1800
BATCH = -3600
BIG = 0.12          # share of invocations (incl. SQS retries) that are very large accounts


def build():
    s = Scenario(10, "statement-generator-timeouts", "eu-north-1", "2026-11-01T03:30:00",
                 "Month-end customer statements: the statement-generator Errors alarm fired during the nightly "
                 "run and some large customers have not received their October statement.")
    s.resource("lambda", "statement-generator", runtime="ruby3.3", timeout=60, memory_size=1024,
               event_source="sqs:statement-jobs (batch 1, maximum concurrency 20, maxReceiveCount 3 -> statement-jobs-dlq)")
    s.resource("lambda", "statement-scheduler", runtime="python3.12", timeout=300, memory_size=256,
               schedule="cron(30 2 1 * ? *) monthly run + hourly ad-hoc")
    s.resource("lambda", "statement-mailer", runtime="nodejs20.x", timeout=30, memory_size=256)
    s.resource("rds", "billing-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
               max_connections=1600, allocated_storage_gb=600, parameter_group="billing-pg-params")
    s.resource("ecs", "billing/portal", launch_type="FARGATE", desired_count=2)

    inv = s.series(lambda t: s.count(88) if t >= BATCH else s.count(1.5))
    err = {t: (s.count(inv[t] * BIG) if t >= BATCH + 60 else 0.0) for t in inv}
    dur = {t: ((7300 + s.noise(600)) * (1 - err[t] / max(inv[t], 1)) + 60000 * err[t] / max(inv[t], 1))
           if inv[t] else None for t in inv}
    dur = {t: v for t, v in dur.items() if v is not None}
    conc = {t: (20.0 if t >= BATCH + 60 else max(1.0, round(inv[t] * 6 / 60 + s.rng.random()))) for t in inv}
    lambda_pack(s, "statement-generator", inv, err, dur, conc=conc)
    sch = s.series(lambda t: 1.0 if t % 3600 == -3600 % 3600 else None)
    lambda_pack(s, "statement-scheduler", sch, {t: 0.0 for t in sch},
                {t: (21400.0 if t == BATCH else 820.0) + s.noise(60) for t in sch}, conc={t: 1.0 for t in sch})
    ok = {t: max(0.0, inv[t] - err[t]) for t in inv}
    lambda_pack(s, "statement-mailer", ok, {t: 0.0 for t in inv},
                s.series(lambda t: 240 + s.noise(25) + (30 if t >= T_MCFG else 0)))
    rds_pack(s, "billing-db", s.series(lambda t: 21 + s.noise(2) + (24 if t >= BATCH else 0)),
             s.series(lambda t: 41 + s.noise(2) + (21 if t >= BATCH else 0)),
             s.series(lambda t: 388.0e9 - (t + 21600) * 9000 + s.noise(3e7)),
             s.series(lambda t: 21.5e9 + s.noise(1e8) - (1.2e9 if t >= BATCH else 0)),
             s.series(lambda t: 0.0011 + abs(s.noise(0.0002)) + (0.0004 if t >= BATCH else 0)))
    ecs_pack(s, "billing", "portal", s.series(lambda t: 6 + s.noise(1) + (28 if T_PORTAL <= t < T_PORTAL + 240 else 0)),
             s.series(lambda t: 41 + s.noise(1)))
    vis, dlq, left = {}, {}, 9412.0
    dl = 0.0
    for t in sorted(inv):
        if t >= BATCH:
            left = max(0.0, left - ok[t] - err[t] * 0.6)
            dl += err[t] * 0.33 if t >= BATCH + 180 else 0
        vis[t] = (left if t >= BATCH else s.count(1)) + s.count(3)
        dlq[t] = 2 + dl
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "statement-jobs"}, "Count", vis, integer=True)
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "statement-jobs-dlq"}, "Count", dlq,
             integer=True)

    # ---- statement-generator logs (Ruby Logger via the Lambda runtime)
    sim = LambdaSim(s, "statement-generator", "ruby3.3", 1024, 60)

    def ms(n):
        return f"{n:,.0f}ms"

    def gen(t, rid):
        acct = f"acct_{s.rng.randint(10000, 99999)}"
        m = int(t // 60 * 60)
        lines = [(0.003, "INFO", f"job stmt_2026_10_{acct} account={acct} period=2026-10")]
        if s.rng.random() < 0.3:
            lines.append((0.2, "WARN", "font fallback: glyph U+2011 missing in Inter-Regular, substituted"))
        if t >= BATCH and s.rng.random() < err.get(m, 0) / max(inv.get(m, 1), 1):
            n = s.rng.randint(38000, 61000)
            pages = n // 75
            f = s.rng.uniform(1.4, 2.3)
            lines += [(0.01 + f, "INFO", f"fetched {n:,} line items in {ms(f * 1000)} (billing-db)"),
                      (0.02 + f, "INFO", f"rendering {n:,} line items with Prawn (est. {pages} pages)")]
            for k in (1, 2, 3):
                p = int(pages * k / 3.6)
                el = (60 - f) * k / 3.3
                lines.append((f + el, "INFO", f"render progress page {p}/{pages} elapsed {el:.1f}s"))
            return {"lines": lines, "dur": 60000.0, "mem": 610 + s.rng.randint(0, 120), "timeout": True}
        n = s.rng.randint(40, 3500)
        fetch = s.rng.uniform(0.02, 0.4)
        rend = n * s.rng.uniform(0.0012, 0.0021) + 1.6
        lines += [(0.01 + fetch, "INFO", f"fetched {n:,} line items in {ms(fetch * 1000)} (billing-db)"),
                  (0.02 + fetch + rend, "INFO", f"rendered {max(1, n // 75)} pages in {ms(rend * 1000)}"),
                  (0.2 + fetch + rend, "INFO", f"uploaded s3://acme-billing-statements/2026/10/{acct}.pdf "
                                              f"({max(40, n // 6)} KB); queued mail")]
        return {"lines": lines, "dur": (0.25 + fetch + rend) * 1000, "mem": 240 + n // 40}

    sim.run(starts_from(s, inv, 0.2), gen, envs=4, init_ms=(900, 1400),
            init_lines=lambda t: [(0.4, "INFO", "statement-generator 3.2.7 booted (prawn 2.5.0, pg 1.5.6)")])

    ssim = LambdaSim(s, "statement-scheduler", "python3.12", 256, 300)

    def sched(t, rid):
        if abs(t - BATCH) < 5:
            return {"lines": [(0.1, "INFO", "monthly run for period 2026-10: selecting active accounts"),
                              (21.2, "INFO", "enqueued 9,412 statement jobs to statement-jobs (78 largest accounts > 30k "
                                             "line items)")], "dur": 21400, "mem": 142}
        return {"lines": [(0.1, "INFO", f"ad-hoc run: enqueued {s.rng.randint(0, 6)} statement jobs")], "dur": 820, "mem": 88}

    ssim.run([t + 0.5 for t in sch if t >= -10800], sched, envs=1)

    # ---- changes
    s.change(T_MAIL, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-mailer",
             "ci-deployer")
    s.change(T_TAG, "lambda.amazonaws.com", "TagResource20170331v2", "AWS::Lambda::Function", "statement-generator",
             "finops-bot")
    s.change(T_MCFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "statement-mailer", "e.lindgren")
    s.change(T_PORTAL, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/portal", "ci-deployer")
    s.change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "billing-pg-params",
             "dba-o.nyberg")

    a = s.alarm("statement-generator-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-generator"}, "Sum",
                300, 1, 20, "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("statement-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-mailer"}, "Sum", 300, 1, 5,
            "GreaterThanThreshold", expect_state="OK")
    s.alarm("statement-jobs-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "statement-jobs-dlq"}, "Maximum", 300, 1, 20, "GreaterThanThreshold", expect_state="ALARM")
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "function_timeout", "resource": ["statement-generator"]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                   "dimensions": {"FunctionName": "statement-generator"}},
                                  {"namespace": "AWS/Lambda", "name": "Errors",
                                   "dimensions": {"FunctionName": "statement-generator"}}]})
    meta = dict(alarm=a["name"], category="function_timeout", resources=["statement-generator"],
                where="origin (the function's own Errors alarm)",
                decoys="statement-mailer deploy and env change; TagResource on statement-generator itself; billing/"
                       "portal deploy; billing-pg-params logging parameter change after onset; DLQ alarm (a "
                       "consequence); steady font-fallback WARN; DB CPU up with the batch but healthy",
                story="The monthly statement run starts at 02:30 (statement-scheduler enqueues 9,412 jobs, 78 of them "
                      "for accounts with more than 30k line items). Normal statements finish in 2-10 s. For the "
                      "largest accounts the function fetches 40-60k line items from billing-db in about 2 s, then "
                      "spends the rest of its time rendering pages until `Task timed out after 60.00 seconds` "
                      "(REPORT Status: timeout). SQS retries them and they land in the DLQ. There are no errors from "
                      "billing-db or S3, and the database is busier but healthy. The only change on the function "
                      "is a cost tag; the mailer's changes are downstream. Label: function_timeout on "
                      "statement-generator.")
    return doc, meta
