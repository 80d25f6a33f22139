"""h76-09 reader comments moderation (Go Lambda) pinned at its reserved concurrency during a
live debate; h76-10 the Sunday print edition composer (.NET Lambda) runs into its timeout."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, counts_per_minute, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import LOG_START, apigw, lam, make, rds, scatter

golog = logfmt_writer("time")


def build09():
    sc = make(9, "comment-gate-concurrency", "Readers cannot post comments on the debate live "
              "blog; throttles alarm on the comment moderation function.", "us-east-2",
              "2026-10-26T21:15:00")
    T = -2400
    fn, api, limit, dur_ms = "comment-gate", "reader-comments", 40, 9000.0
    cap = limit * 60000.0 / dur_ms
    debate = lambda t: ramp(t, T - 600, T + 300)
    demand = lambda t: 170 * diurnal(sc, t, 20.0, 0.2) * (1 + 0.55 * debate(t))
    served = lambda t: min(demand(t), cap * 0.985)
    thr = lambda t: max(0.0, demand(t) - served(t))
    iv, ev = lam(sc, fn, "provided.al2023", 256, 20, served, lambda t: 0.2, lambda t: dur_ms,
                 conc=lambda t: float(limit) if thr(t) > 0.5 else round(
                     served(t) * dur_ms / 60000.0 * sc.rng.uniform(0.9, 1.1)), conc_noise=0, thr=thr, reserved_concurrency=limit,
                 architecture="arm64")
    apigw(sc, api, lambda t: demand(t) + 9, lambda t: 8.0 + thr(t), lambda t: 0.1,
          lambda t: dur_ms + 40 - 8000 * (thr(t) / demand(t)))
    lam(sc, "comment-digest", "provided.al2023", 512, 300, lambda t: 1.0, lambda t: 0.0,
        lambda t: 41000.0, reserved_concurrency=2)
    sample = 0.06
    logged = {t: max(0, round(v * sample + sc.rng.uniform(-0.5, 0.5)))
              for t, v in counts_per_minute(iv, LOG_START, 0).items()}

    def body(ll, t, reqid, is_err, cold):
        art = sc.rng.randint(10 ** 6, 10 ** 7)
        ms = sc.rng.gauss(dur_ms - 300, 900)
        score = round(sc.rng.betavariate(1.2, 9), 3)
        verdict = "reject" if score > 0.42 else ("hold" if score > 0.3 else "approve")
        lines = [(0.002, golog(sc, t, "INFO", "comment received", article=art,
                               thread="live-debate-2026-10-26" if debate(t) > 0.5 and sc.rng.random() < 0.7
                               else f"a{art}", len=sc.rng.randint(40, 1400)))]
        if sc.rng.random() < 0.05:
            lines.append((0.01, golog(sc, t, "WARN", "profanity list cache stale, using embedded "
                                      "list", age="26h")))
        if sc.rng.random() < 0.002:
            lines.append((2.0, golog(sc, t + 2, "ERROR", "moderation model call failed",
                                     article=art, err="context deadline exceeded", attempt=3)))
            return {"dur": 2010.0, "lines": lines, "status": "error", "error_type": "Runtime.ExitError"}
        lines.append((ms / 1000 - 0.005, golog(sc, t + ms / 1000, "INFO", "comment screened",
                                                article=art, verdict=verdict, score=score,
                                                model_ms=int(ms - 120))))
        return {"dur": ms, "lines": lines}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 20, mem_used=(61, 4), max_envs=limit)
    ll.run(logged, {}, body)
    group = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/live"
    streams = [sc.hexid(32) for _ in range(4)]

    def gw(t):
        if sc.rng.random() < thr(t) / max(1.0, thr(t) + 8):
            rid = sc.uuid()
            sc.log(group, sc.rng.choice(streams), t, f"({rid}) Lambda invocation failed with status: "
                   f"429. Lambda request id: {sc.uuid()}")
            sc.log(group, sc.rng.choice(streams), t + 0.002,
                   f"({rid}) Execution failed due to configuration error: Rate Exceeded.")
        else:
            sc.log(group, sc.rng.choice(streams), t, f"({sc.uuid()}) Unauthorized request: "
                   "session token expired")
    scatter(sc, lambda m: 1.5 + thr(m) * 0.1, gw, start=LOG_START)
    sc.alarm("comment-gate-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60,
             3, 10, "GreaterThanThreshold", "Comment moderation throttled")
    sc.alarm("reader-comments-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1,
             60, "GreaterThanThreshold")
    sc.change(-16000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gha-community")
    sc.change(-2520, "lambda.amazonaws.com", "PutFunctionConcurrency20171031",
              "AWS::Lambda::Function", "comment-digest", "s.okoro")
    sc.expect = {"alarm": "comment-gate-throttles",
                 "root_cause": {"category": "throttling", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "decoys": "PutFunctionConcurrency on comment-digest 2 min before "
               "onset; chronic 401 session-token 4XX; 1.55x debate demand (not a surge on its own); "
               "old deploy", "services": "Lambda, API Gateway", "runtime": "Go (provided.al2023)",
               "logs": "logfmt (Lambda logs sampled), API Gateway execution log"}
    return sc


def build10():
    sc = make(10, "edition-compose-sunday", "Print edition pages missing at the plant; errors alarm "
              "on the page composer.", "sa-east-1", "2026-07-05T04:50:00")
    T = -2000
    fn = "edition-compose"
    sunday = lambda t: ramp(t, T - 60, T + 120)
    rate = lambda t: 3.2
    timeout_frac = lambda t: 0.62 * sunday(t)
    iv, ev = lam(sc, fn, "dotnet8", 3008, 120, rate, lambda t: rate(t) * timeout_frac(t),
                 lambda t: 52000 + 60000 * sunday(t), conc=lambda t: 3.2 * (52 + 60 * sunday(t)) / 60)
    lam(sc, "push-alerts", "dotnet8", 512, 30, lambda t: 12.0, lambda t: 0.05, lambda t: 310.0)
    rds(sc, "edition-pg", "postgres", "db.m6g.large", 400, 200,
        lambda t: 18 + 62 * bump(t, -3300, -2600, 1, 120), lambda t: 24.0, lambda t: 121.0)
    sections = ["Política", "Economia", "Mundo", "Esportes", "Cultura", "Cidades", "Opinião"]
    specials = ["Especial Eleições 2026", "Revista Domingo", "Caderno Imóveis"]

    def body(ll, t, reqid, is_err, cold):
        big = is_err
        sec = sc.rng.choice(specials if big else sections)
        pages = (sc.rng.randint(44, 72) if big else
                 sc.rng.randint(8, 16) + int(sc.rng.randint(10, 18) * sunday(t)))
        per = sc.rng.uniform(2.6, 3.4)
        lines = [(0.01, ll.fmt(t, reqid, "INFO", f"Composing section '{sec}' edition=2026-07-05 "
                               f"pages={pages} template=broadsheet-v7")),
                 (0.9, ll.fmt(t, reqid, "INFO", f"Fetched {pages * sc.rng.randint(3, 6)} assets "
                              f"from s3://plant-assets-sp in {sc.rng.randint(500, 1100)} ms"))]
        if sc.rng.random() < 0.3:
            lines.append((1.2, ll.fmt(t, reqid, "WARN", "Font fallback used for glyph U+2192 in "
                                      "'Lora-Bold'; substituting 'NotoSans-Bold'")))
        total = 1.5 + pages * per
        for p in range(1, pages + 1, max(1, pages // 4)):
            at = 1.5 + p * per
            if at < 119.5:
                lines.append((at, ll.fmt(t + at, reqid, "INFO", f"Laid out page {p}/{pages} "
                                         f"({sc.rng.randint(9, 31)} frames, solver "
                                         f"{sc.rng.randint(2, 9)} passes)")))
        if is_err:
            return {"dur": 0, "status": "timeout", "lines": lines, "mem": sc.rng.randint(900, 1300)}
        dur = min(total * 1000, 118500)
        lines.append((dur / 1000 - 0.05, ll.fmt(t, reqid, "INFO", f"Section '{sec}' composed: "
                                                f"{pages} pages, PDF {pages * 1.9:.1f} MB uploaded")))
        return {"dur": dur, "lines": lines, "mem": sc.rng.randint(600, 900)}

    ll = LambdaLogs(sc, fn, "dotnet8", 3008, 120, mem_used=(700, 80))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    scatter(sc, lambda m: 0.4, lambda t: sc.log(
        "/aws/rds/instance/edition-pg/postgresql", "edition-pg.0", t,
        f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} UTC::@:[{sc.rng.randint(400, 900)}]:LOG:  "
        f"checkpoint complete: wrote {sc.rng.randint(200, 2400)} buffers"))
    sc.alarm("edition-compose-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2,
             3, "GreaterThanThreshold", "Edition composer failures")
    sc.alarm("edition-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "edition-pg"},
             "Average", 300, 1, 70, "GreaterThanThreshold")
    sc.change(-2080, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "push-alerts", "r.almeida")
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "azure-pipelines-print")
    sc.expect = {"alarm": "edition-compose-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "decoys": "push-alerts config update 80 s before onset; "
               "edition-pg CPU spike (alarm fired and cleared) ending ~8 min before; font-fallback "
               "warnings all along", "services": "Lambda, RDS Postgres",
               "runtime": ".NET 8 Lambda", "logs": "Lambda .NET text"}
    return sc


BUILDERS = [build09, build10]
