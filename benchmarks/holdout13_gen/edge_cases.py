"""Edge incidents: a metric blip with nothing behind it (unknown) and an API traffic surge."""
from __future__ import annotations

import numpy as np

from .common import T, alarm, apigw_metrics, counts, find, lambda_bundle, noisy, rng_for, step, window, scenario
from .lambda_cases import _ok, _res


def h14(seed=1314):
    rng, reg, fn = rng_for(seed), "us-east-1", "geo-lookup"
    m, log, _, _ = lambda_bundle(rng, fn, 256, noisy(rng, 20, 0.05), np.zeros(len(T)),
                                 _ok(["[INFO]\t{rid}\tresolved ip -> country=DE city_id={n}", "[INFO]\t{rid}\tresolved ip -> country=US city_id={n}"],
                                     (120, 25), (96, 3)), 120)
    d = m[3]
    vals = np.array([p[1] for p in d["points"]])
    vals[-3:] = [610.0, 655.0, 590.0]
    for p, v in zip(d["points"], vals):
        p[1] = round(float(v), 3)
    al = alarm("geo-lookup-duration-high", d, "Average", 60, 3, 500)
    doc = scenario("h13-14-geo-lookup-duration-blip", "geo-lookup Duration alarm fired.", reg, [_res(fn, "python3.12", 5, 256)],
                   m, [log], [al], [], {"alarm": al["name"], "root_cause": {"category": "unknown", "resource": [fn]},
                                        "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]})
    return doc, dict(category="unknown", accepted=[fn], decoys="none needed: logs healthy, no errors, no changes",
                     rule="a 3-minute Duration metric blip with no errors, no throttles, no change and nothing in the logs supports no category",
                     story="The Duration average briefly rose above 500 ms; invocations, errors and log lines are normal. Nothing explains it.")


def h18(seed=1318):
    rng, reg, fn, api = rng_for(seed), "us-west-2", "quote-api", "quotes-public"
    onset = -2000
    surge = step(onset, 1, 6.5, 240)
    inv_l = noisy(rng, 10, 0.05) * surge
    m1, log1, inv, _ = lambda_bundle(rng, fn, 512, inv_l, np.zeros(len(T)),
                                     _ok(["[INFO]\t{rid}\tquote computed for basket of {k} items"], (260, 40), (150, 5)), 260)
    dur = np.array([p[1] for p in m1[3]["points"]]) * step(onset, 1, 4.2, 240)
    for p, v in zip(m1[3]["points"], dur):
        p[1] = round(float(v), 3)
    cnt = inv
    e5 = counts(rng, np.where(T >= onset, cnt * 0.04, 0.05))
    lat = dur + noisy(rng, 25, 0.1)
    m2 = apigw_metrics(api, cnt, counts(rng, cnt * 0.01), e5, lat, dur)
    al = alarm("quotes-public-latency", find(m2, "Latency", ApiName=api), "Average", 60, 5, 800)
    res = [_res(fn, "python3.12", 29, 512), {"type": "apigateway", "id": api, "properties": {"stage": "prod"}}]
    doc = scenario("h13-18-quotes-api-traffic-surge", "Public quotes API slow; Latency alarm.", reg, res, m1 + m2, [log1], [al], [],
                   {"alarm": al["name"], "root_cause": {"category": "traffic_surge", "resource": [api, fn]},
                    "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Count", "dimensions": {"ApiName": api}}]})
    return doc, dict(category="traffic_surge", accepted=[api, fn], decoys="a few 5XX from integration latency; no changes",
                     rule="request volume x6.5 with no throttles, no change, no dependency errors => traffic_surge",
                     story="A price-comparison site started polling the public quotes API; request volume rose 6.5x and latency followed.")
