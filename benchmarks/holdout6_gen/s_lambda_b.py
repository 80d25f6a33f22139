"""Lambda incidents without a change: an external API timing out, a function hitting its timeout,
and an API Gateway 5XX blip with a healthy backend (unknown)."""
from __future__ import annotations

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, log
from .services import apigw_set, lambda_duration, lambda_logs, lambda_set


def h08_shipping_quote_carrier():
    g = Gen(608)
    region, fn, other = "sa-east-1", "shipping-quote", "label-printer"
    onset = -1860.0
    host = "api.rapidfrete.com.br"
    inv = g.counts(g.daily(14, 3, 0.5, phase=0.9))
    p_fail = np.where(after(onset), 0.55, 0.0)
    err = g.r.binomial(inv.astype(int), p_fail).astype(float)
    slow = np.where(after(onset), 3300.0, 420.0)
    dur = lambda_duration(g, inv, 420, 160, slow=slow)

    def body(g, t, rid, failing):
        cep = f"{g.int(10000, 99999)}-{g.int(100, 999)}"
        lines = [(0.002, "INFO", f"Quoting shipment to CEP {cep}, {g.int(1, 9)} parcels")]
        if failing:
            tb = ("Carrier quote failed\nTraceback (most recent call last):\n"
                  "  File \"/var/lang/lib/python3.12/site-packages/urllib3/connectionpool.py\", line 537, in _make_request\n"
                  "    response = conn.getresponse()\n"
                  "TimeoutError: The read operation timed out\n\n"
                  "During handling of the above exception, another exception occurred:\n\n"
                  "Traceback (most recent call last):\n"
                  "  File \"/var/task/quote/carrier.py\", line 64, in fetch_rates\n"
                  "    resp = session.post(RATES_URL, json=payload, timeout=5)\n"
                  "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.rapidfrete.com.br', port=443): "
                  "Read timed out. (read timeout=5)")
            return lines + [(5.02, "ERROR", tb)], g.uniform(5040, 5200), "error"
        base = 3.1 if T[min(N - 1, int((t + 21600) // 60))] >= onset else 0.38
        d = max(150.0, g.r.normal(base * 1000, 500 if base > 1 else 140))
        lines.append((d / 1000 - 0.01, "INFO", f"POST https://{host}/v2/cotacoes 200 in {int(d - 20)} ms"))
        if base > 1 and g.chance(0.5):
            lines.append((d / 1000 - 0.005, "WARNING", f"Slow carrier response ({int(d - 20)} ms)"))
        return lines, d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=256, timeout=10, base_mem=82)
    inv2 = g.counts(np.full(N, 3.0))
    dur2 = lambda_duration(g, inv2, 610, 150)

    def body2(g, t, rid, failing):
        return [(0.003, "INFO", f"Rendering ZPL label for order {g.int(1000000, 9999999)}"),
                (0.5, "INFO", "Label stored")], max(200.0, g.r.normal(610, 150)), "ok"

    logs += lambda_logs(g, other, inv2, np.zeros(N), body2, mem=512, timeout=15, split_at=-2280, base_mem=95)
    metrics = lambda_set(g, fn, inv, err, dur) + lambda_set(g, other, inv2, np.zeros(N), dur2)
    al = alarm("shipping-quote-errors", find_metric(metrics, "Errors", FunctionName=fn), "Sum", 300, 1, 15,
               description="shipping-quote Lambda errors")
    changes = [
        change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
               "deploy-bot"),
        change(-2265, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               other, "deploy-bot"),
        change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
               "deploy-bot"),
    ]
    resources = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 256}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 512}}]
    return build("h6-08-shipping-quote-carrier", "Checkout shows 'shipping unavailable'; shipping-quote errors alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="dependency_failure", accepted=[fn, host],
                 anomalies=[anomaly(find_metric(metrics, "Errors", FunctionName=fn)),
                            anomaly(find_metric(metrics, "Duration", FunctionName=fn))],
                 decoys="label-printer deployed (code + config) 7 min before onset and healthy; shipping-quote's "
                        "own last deploy 5.5 h earlier",
                 story="The third-party carrier API api.rapidfrete.com.br degrades: about half of the rate "
                       "requests hit the 5 s read timeout (`requests.exceptions.ReadTimeout`), the rest succeed "
                       "slowly. Nothing changed in the account; the carrier is outside it, so the fault is reported "
                       "on the calling function. label-printer was deployed minutes before and is a red herring.")


def h15_pdf_merge_timeout():
    g = Gen(615)
    region, fn, other = "us-east-1", "pdf-merge", "doc-indexer"
    onset = -2520.0
    inv = g.counts(g.daily(6, 1, 0.3, phase=0.2))
    # a tenant starts batch-merging very large dossiers; those hit the 60 s limit
    p_to = np.where(after(onset), 0.42, 0.0)
    err = g.r.binomial(inv.astype(int), p_to).astype(float)
    mean = np.where(after(onset), 0.42 * 60000 + 0.58 * 14000, 7800.0)
    dur = lambda_duration(g, inv, 7800, 2600, slow=mean)

    def body(g, t, rid, failing):
        job = f"mrg-{g.hexid(10)}"
        if failing:
            files, pages = g.int(60, 140), g.int(2200, 5200)
            lines = [(0.004, "INFO", f"Job {job}: merging {files} files ({pages} pages) for tenant acme-legal"),
                     (1.8, "INFO", f"Job {job}: downloaded {files} source files from s3://doc-store-prod/acme-legal/")]
            for k in range(1, 5):
                lines.append((1.8 + 12.5 * k, "INFO", f"Job {job}: merged {int(pages * k / 6)}/{pages} pages"))
            return lines, 60000.0, "timeout"
        big = T[min(N - 1, int((t + 21600) // 60))] >= onset and g.chance(0.5)
        files = g.int(8, 40) if big else g.int(2, 12)
        pages = files * g.int(10, 30)
        d = float(np.clip(g.r.normal(pages * 18 + 1500, 1500), 900, 52000))
        return [(0.004, "INFO", f"Job {job}: merging {files} files ({pages} pages)"),
                (d / 1000 - 0.2, "INFO", f"Job {job}: wrote s3://doc-store-prod/merged/{job}.pdf "
                                         f"({pages * 41} KB) in {d / 1000:.1f} s")], d, "ok"

    logs = lambda_logs(g, fn, inv, err, body, mem=2048, timeout=60, base_mem=640)
    inv2 = g.counts(np.full(N, 5.0))
    err2 = g.r.binomial(inv2.astype(int), 0.12).astype(float)
    dur2 = lambda_duration(g, inv2, 350, 90)

    def body2(g, t, rid, failing):
        doc = f"doc_{g.hexid(12)}"
        if failing:
            return [(0.002, "INFO", f"Indexing {doc}"),
                    (0.2, "ERROR", f"Skipping {doc}: pdfminer.pdfparser.PDFSyntaxError: No /Root object! - "
                                   "Is this really a PDF?\nTraceback (most recent call last):\n"
                                   "  File \"/var/task/indexer.py\", line 48, in lambda_handler\n"
                                   "    text = extract_text(stream)\n"
                                   "pdfminer.pdfparser.PDFSyntaxError: No /Root object! - Is this really a PDF?")], \
                g.uniform(200, 400), "error"
        return [(0.002, "INFO", f"Indexing {doc}"), (0.3, "INFO", f"Indexed {doc}: {g.int(200, 9000)} tokens")], \
            max(80.0, g.r.normal(350, 90)), "ok"

    logs += lambda_logs(g, other, inv2, err2, body2, mem=512, timeout=30, base_mem=120)
    metrics = lambda_set(g, fn, inv, err, dur) + lambda_set(g, other, inv2, err2, dur2)
    al = alarm("pdf-merge-errors", find_metric(metrics, "Errors", FunctionName=fn), "Sum", 300, 1, 4,
               description="pdf-merge failures")
    changes = [
        change(-9300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-docs"),
        change(-9290, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "ci-docs"),
    ]
    resources = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 2048}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512}}]
    return build("h6-15-pdf-merge-timeout", "Document merge jobs failing for some customers; pdf-merge errors alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="function_timeout", accepted=[fn],
                 anomalies=[anomaly(find_metric(metrics, "Errors", FunctionName=fn)),
                            anomaly(find_metric(metrics, "Duration", FunctionName=fn))],
                 decoys="doc-indexer fails ~12 % on malformed PDFs all day; a pdf-merge deploy 2.5 h before onset "
                        "that ran cleanly for two hours",
                 story="A law-firm tenant starts submitting dossiers of thousands of pages. Those merges run until "
                       "the 60 s function timeout (`Task timed out after 60.0x seconds`, REPORT `Status: timeout`) "
                       "while progress lines show steady work and no downstream errors. Duration climbs to the "
                       "limit. The deploy earlier in the day is unrelated (two clean hours after it).")


def h19_profile_api_blip():
    g = Gen(619)
    region, api, api_id, fn, other = "ap-northeast-2", "profile-api", "q8w3e5r7t1", "profile-read", "avatar-sync"
    blip0, blip1 = -420.0, -60.0
    req = g.counts(g.daily(55, 10, 2.0, phase=1.4))
    c5 = g.counts(req * 0.0005)
    bad = between(blip0, 0)
    c5[bad] = g.counts(np.full(N, 7.5))[bad]
    inv = req - c5 + g.counts(req * 0.0005)
    dur = lambda_duration(g, inv, 65, 20)
    lat = g.level(95, 14, 20)
    lat[bad] += g.r.normal(60, 20, int(bad.sum()))

    def body(g, t, rid, failing):
        d = max(12.0, g.r.normal(65, 20))
        return [(0.002, "INFO", f"GET profile usr_{g.hexid(10)} cache={'hit' if g.chance(0.8) else 'miss'}")], d, "ok"

    logs = lambda_logs(g, fn, inv, np.zeros(N), body, mem=256, timeout=6, since=-5400, base_mem=64,
                       runtime="nodejs20.x")
    ev = []
    for i in np.nonzero(c5)[0]:
        for _ in range(int(c5[i])):
            t = T[i] + g.uniform(0, 60)
            rq = g.rid()
            ev.append((t, f"({rq}) Execution failed due to an internal error"))
            ev.append((t + 0.001, f"({rq}) Method completed with status: 500"))
    logs.append(log(f"API-Gateway-Execution-Logs_{api_id}/prod", g.hexid(32), ev))
    inv2 = g.counts(np.full(N, 1.0))
    dur2 = lambda_duration(g, inv2, 2300, 400)

    def body2(g, t, rid, failing):
        n = g.int(0, 30)
        return [(0.01, "INFO", f"Synced {n} avatars to CDN")], max(500.0, g.r.normal(2300, 400)), "ok"

    logs += lambda_logs(g, other, inv2, np.zeros(N), body2, mem=512, timeout=120, split_at=-1500, base_mem=130,
                        runtime="nodejs20.x")
    metrics = (apigw_set(g, api, req, c5=c5, lat=lat) + lambda_set(g, fn, inv, np.zeros(N), dur)
               + lambda_set(g, other, inv2, np.zeros(N), dur2))
    al = alarm("profile-api-5xx", find_metric(metrics, "5XXError", ApiName=api), "Sum", 60, 3, 4,
               description="profile-api server errors")
    changes = [
        change(-1500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other,
               "gh-actions-profile"),
        change(-17400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod",
               "gh-actions-profile"),
    ]
    resources = [{"type": "apigateway", "id": api},
                 {"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 6, "memory_size": 256}},
                 {"type": "lambda", "id": other, "properties": {"runtime": "nodejs20.x", "timeout": 120, "memory_size": 512}}]
    return build("h6-19-profile-api-blip", "profile-api 5XX alarm fired a few minutes ago; no user reports yet.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="unknown", accepted=[api, fn],
                 anomalies=[anomaly(find_metric(metrics, "5XXError", ApiName=api))],
                 decoys="avatar-sync (not behind this API) deployed 18 min earlier; an old UpdateStage; the "
                        "backend Lambda is perfectly healthy",
                 story="For the last seven minutes API Gateway returns a handful of 500s per minute with only "
                       "`Execution failed due to an internal error` in the execution log. The integration Lambda "
                       "shows no errors, no throttles, normal duration and invocation counts that match the "
                       "successful requests. No change touches the API or its function. There is no evidence "
                       "pointing at any cause in the account (most likely a transient service-side issue), so the "
                       "honest answer is unknown.")
