"""Scenarios 15-16: a new error under a louder old one; a self-hosted search node lost to its host."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn


# ---------------------------------------------------------------------------------------------
def h20_15() -> tuple[dict, dict]:
    s = Scn("h20-15-pricing-engine-new-typeerror", 2015, "sa-east-1", "2026-11-20T17:30:00",
            "Price quotes failing for some carts; pricing-engine Errors alarm.")
    fn, api, api_id, sync = "pricing-engine", "pricing-api", "r2d2c3p0aa", "promo-sync"
    deploy = -2640
    s.res("lambda", fn, runtime="nodejs20.x", timeout=6, memory_size=512, handler="dist/handler.quote", alias="live",
          environment={"FX_RATES_URL": "https://fx.internal.lojavista.example/rates", "PROMO_TABLE": "promotions",
                       "DEFAULT_CURRENCY": "BRL"})
    s.res("lambda", sync, runtime="python3.12", timeout=120, memory_size=256, handler="sync.handler",
          environment={"PROMO_TABLE": "promotions", "SOURCE": "https://crm.lojavista.example/api/promos"})
    s.res("apigateway", api, api_id=api_id, stage="prod")

    day = s.daily(0.3, 21.0)
    inv = s.counts(46 * day)
    p_old = 1.4 / 46
    p_new = 0.18 * s.step(deploy + 30)
    old_err = s.binom(inv, p_old)
    new_err = s.binom(inv - old_err, p_new)
    err = old_err + new_err
    dur = s.gauge(85, 6, lo=30)
    kit.lambda_metrics(s, fn, inv, err, dur)
    kit.apigw_metrics(s, api, inv + s.counts(2 * day), s.counts(0.6 * day), err, dur + s.gauge(14, 2, lo=5))

    def version(t: float) -> str:
        return "117" if t >= deploy + 30 else "116"

    def ok(t: float, rid: str):
        d = float(s.rng.gamma(6, 14))
        promo = s.pick(["none", "none", "PCT10", "FRETEGRATIS"] + (["BUNDLE3"] if t < deploy + 30 else []))
        return [(0.002, lf.node(s, t, "INFO", rid, f"quote cart=c_{s.hexs(10)} items={int(s.rng.integers(1, 9))} "
                                f"currency={s.pick(['BRL', 'BRL', 'BRL', 'USD', 'ARS'])} promo={promo}")),
                (d / 1000 - 0.005, lf.node(s, t + d / 1000 - 0.005, "INFO", rid,
                                           f"quote ok total={s.rng.uniform(20, 900):.2f} in {d:.0f}ms"))], d, \
            int(s.rng.integers(92, 110)), None

    fetch_stack = ["    at ClientRequest.<anonymous> (/var/task/node_modules/node-fetch/lib/index.js:1501:11)",
                   "    at ClientRequest.emit (node:events:519:28)",
                   "    at TLSSocket.socketOnEnd (node:_http_client:524:9)",
                   "    at TLSSocket.emit (node:events:531:35)",
                   "    at endReadableNT (node:internal/streams/readable:1696:12)"]
    promo_stack = ["    at applyPromotion (/var/task/dist/promotions.js:77:31)",
                   "    at Array.reduce (<anonymous>)",
                   "    at priceCart (/var/task/dist/pricing.js:142:28)",
                   "    at Runtime.quote [as handler] (/var/task/dist/handler.js:36:22)"]

    def bad(t: float, rid: str):
        fetch = t < deploy + 30 or s.rng.random() < 1.4 / (1.4 + 0.18 * 46)
        head = (0.002, lf.node(s, t, "INFO", rid, f"quote cart=c_{s.hexs(10)} items={int(s.rng.integers(1, 9))} "
                                f"currency=BRL promo={s.pick(['none', 'PCT10']) if fetch else 'BUNDLE3'}"))
        if fetch:
            msg = "request to https://fx.internal.lojavista.example/rates?base=BRL failed, reason: socket hang up"
            return [head, (2.01, lf.node_invoke_error(s, t + 2.01, rid, "FetchError", msg, fetch_stack))], 2015.0, 104, None
        return [head, (0.012, lf.node_invoke_error(s, t + 0.012, rid, "TypeError",
                                                   "Cannot read properties of undefined (reading 'amount')", promo_stack))], \
            float(s.rng.gamma(4, 5)), int(s.rng.integers(92, 104)), None

    def banner(t: float, rid: str, ver: str) -> str:
        return lf.node(s, t, "INFO", rid, f"pricing-engine build {'2026.11.20.2 (a71c0de)' if ver == '117' else '2026.11.13.1 (5be2f90)'} "
                                          "warm start: promotions cache 2,314 rules")

    kit.lambda_logs(s, fn, inv, err, 0.09, ok, bad, "nodejs20.x", 512, version, envs=3, banner=banner)

    s_inv = np.where((s.t % 600) == 0, 1.0, 0.0)
    kit.lambda_metrics(s, sync, s_inv, np.zeros_like(s_inv), np.where(s_inv > 0, s.gauge(6200, 500, lo=2000), 0))

    def s_ok(t: float, rid: str):
        n = int(s.rng.integers(0, 14))
        return [(0.01, lf.py(s, t, "INFO", rid, f"synced {n} changed promotions from CRM (2314 active)"))], \
            float(s.rng.normal(6200, 500)), int(s.rng.integers(110, 130)), None

    kit.lambda_logs(s, sync, s_inv, np.zeros_like(s_inv), 1.0, s_ok, s_ok, "python3.12", 256, envs=1, recycle=(-9000,))

    s.change(-9000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", sync, "c.souza")
    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "codebuild-pricing")
    s.change(deploy + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "codebuild-pricing")
    s.change(deploy + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "codebuild-pricing")

    s.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 20,
            description="pricing-engine errors (5 min)", not_before=deploy)
    doc = s.build(f"{fn}-errors", "bad_deployment", [fn],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta = {"front": "origin",
            "decoys": "a long-standing FetchError (fx-rates socket hang up) that outnumbers the new error over the six "
                      "hours; config change of promo-sync 2.5 h earlier",
            "text": "pricing-engine has thrown a `FetchError: ... socket hang up` against the internal fx-rates service "
                    "about 1.4 times a minute all day; counted over the whole window it is still the most frequent "
                    "error. Version 117 went live through the `live` alias at the onset and, from its first "
                    "invocations, carts with the BUNDLE3 promotion fail with `TypeError: Cannot read properties of "
                    "undefined (reading 'amount')` at `applyPromotion`; version 116 never logged it. The FetchError "
                    "rate does not change across the release, so the dependency is not the story. A deployment "
                    "shortly before onset and a new error signature only after it: bad_deployment on pricing-engine."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_16() -> tuple[dict, dict]:
    s = Scn("h20-16-product-search-5xx-search-node-host", 2016, "eu-west-1", "2026-11-20T12:10:00",
            "Product search returns 503 everywhere; product-search-api 5XX alarm.")
    api, api_id, fn, recs = "product-search-api", "s9e8a7r6c5", "product-search", "recommendations-api"
    node, node_name, node_ip = "i-0f5e4d3c2b1a09876", "search-node-1", "10.0.21.37"
    onset = -2280
    s.res("apigateway", api, api_id=api_id, stage="prod")
    s.res("lambda", fn, runtime="python3.12", timeout=8, memory_size=512, handler="app.handler",
          environment={"OPENSEARCH_HOST": f"{node_ip}:9200", "OPENSEARCH_INDEX": "products-v12", "CONNECT_TIMEOUT_S": "2"})
    s.res("lambda", recs, runtime="python3.12", timeout=10, memory_size=1024, handler="recs.handler")
    s.res("ec2", node, name=node_name, instance_type="r6g.xlarge", private_ip=node_ip,
          role="self-managed OpenSearch 2.11 (single node, products index)", log_groups=["/opensearch/products"])

    day = s.daily(0.3, 13.0)
    down = s.step(onset)
    inv = s.counts(310 * day)
    failed = s.binom(inv, 0.985 * down)
    bad400 = s.counts(inv * 0.006)
    dur = s.gauge(62, 5, lo=20) * (1 - down) + down * s.gauge(2030, 15, lo=2000)
    kit.lambda_metrics(s, fn, inv, s.counts(0.01 * np.ones_like(s.t)), dur)
    kit.apigw_metrics(s, api, inv, bad400 + s.counts(inv * 0.004), failed, dur + s.gauge(12, 2, lo=4))
    r_inv = s.counts(140 * day)
    kit.lambda_metrics(s, recs, r_inv, s.counts(0.02 * np.ones_like(s.t)), s.gauge(210, 15, lo=60))
    alive = s.t < onset
    kit.ec2_metrics(s, node, s.gauge(34 * day, 2.5, lo=3), s.gauge(9e6 * day, 8e5, lo=1e5), s.gauge(71, 0.4),
                    s.gauge(58.3, 0.02), status=down.copy(), status_system=down.copy(), keep=alive)

    def ok(t: float, rid: str):
        d = float(s.rng.gamma(5, 12))
        q = s.pick(["tenis corrida", "mochila", "garrafa termica", "fone bluetooth", "cadeira gamer", "air fryer"])
        body = [(0.002, lf.py(s, t, "INFO", rid, f"search q='{q}' index=products-v12 page=1")),
                (d / 1000, lf.py(s, t + d / 1000, "INFO", rid, f"search ok hits={int(s.rng.integers(0, 900))} took={d:.0f}ms"))]
        if s.rng.random() < 0.006:
            body = [(0.002, lf.py(s, t, "WARNING", rid, "query parse error: Cannot parse 'AND (': Encountered \"<EOF>\"; "
                                  "returning 400"))]
        return body, d + 3, int(s.rng.integers(120, 140)), None

    frames = [("/var/task/search/client.py", 41, "query", "return self._os.search(index=self._index, body=body, request_timeout=3)"),
              ("/var/task/opensearchpy/client/utils.py", 181, "_wrapped", "return func(*args, params=params, headers=headers, **kwargs)"),
              ("/var/task/opensearchpy/transport.py", 446, "perform_request", "raise e")]

    def bad(t: float, rid: str):
        q = s.pick(["tenis corrida", "mochila", "garrafa termica", "fone bluetooth", "cadeira gamer", "air fryer"])
        err = (f"ConnectionTimeout caused by - ConnectTimeoutError(<urllib3.connection.HTTPConnection object at "
               f"0x7f{s.hexs(10)}>, 'Connection to {node_ip} timed out. (connect timeout=2)')")
        return [(0.002, lf.py(s, t, "INFO", rid, f"search q='{q}' index=products-v12 page=1")),
                (2.004, lf.py(s, t + 2.004, "ERROR", rid, f"search backend unavailable, returning 503\n" +
                              lf.py_traceback("opensearchpy.exceptions.ConnectionTimeout", err, frames)))], \
            float(s.rng.normal(2030, 10)), int(s.rng.integers(120, 140)), None

    kit.lambda_logs(s, fn, inv, failed, 0.009, ok, bad, "python3.12", 512, envs=4)

    def r_ok(t: float, rid: str):
        d = float(s.rng.normal(210, 30))
        return [(0.002, lf.py(s, t, "INFO", rid, f"recs user=u_{s.hexs(8)} model=als-2026-11-19 n=12 took={d:.0f}ms"))], \
            d, int(s.rng.integers(300, 360)), None

    kit.lambda_logs(s, recs, r_inv, np.zeros_like(r_inv), 0.02, r_ok, r_ok, "python3.12", 1024, envs=2,
                    recycle=(onset - 240,))

    osl = []
    for tt in s.arrivals(s.counts(np.full_like(s.t, 0.35)), end=onset - 8):
        w = s.wall(tt)
        st = w.strftime("%Y-%m-%dT%H:%M:%S,") + f"{w.microsecond // 1000:03d}"
        kind = s.rng.random()
        if kind < 0.55:
            line = (f"[{st}][INFO ][o.o.i.s.IndexShard       ] [{node_name}] [products-v12][0] refresh took "
                    f"{int(s.rng.integers(40, 400))}ms")
        elif kind < 0.85:
            ms = int(s.rng.integers(500, 1400))
            line = (f"[{st}][WARN ][i.s.s.query              ] [{node_name}] [products-v12][0] took[{ms / 1000:.1f}s], "
                    f"took_millis[{ms}], total_hits[{int(s.rng.integers(100, 9000))} hits], "
                    "search_type[QUERY_THEN_FETCH], total_shards[1]")
        else:
            line = (f"[{st}][INFO ][o.o.m.j.JvmGcMonitorService] [{node_name}] [gc][{int(s.rng.integers(100000, 200000))}] "
                    f"overhead, spent [{int(s.rng.integers(250, 600))}ms] collecting in the last [1s]")
        osl.append((tt, line))
    s.log("/opensearch/products", node, osl)

    s.change(-12000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "search-team-ci")
    s.change(onset - 240, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", recs, "search-team-ci")

    s.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
            description="product search 5XX", not_before=onset)
    doc = s.build(f"{api}-5xx", "dependency_failure", [node, node_name],
                  [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": node})])
    meta = {"front": "front (API; the Lambda in between reports no errors)",
            "decoys": "release of recommendations-api 4 min before onset; old index-name config change of product-search; "
                      "standing query-parse 400s and slow-query warnings on the node",
            "text": "The EC2 host under search-node-1, a self-managed single-node OpenSearch, failed: "
                    "StatusCheckFailed_System goes to 1, the instance stops reporting CPU, network and agent metrics, and its "
                    "OpenSearch log falls silent. product-search cannot connect (`Connection to 10.0.21.37 timed out`), "
                    "catches the error and answers 503, so its own Errors metric stays flat while the API's 5XX alarm "
                    "fires. Nothing about the node was exhausted beforehand (CPU 28-49 %, memory 71 %, disk 58 %), and "
                    "the change just before onset is a release of recommendations-api, which keeps serving. Errors from a "
                    "downstream dependency that is not itself exhausted: dependency_failure, origin search-node-1."}
    return doc, meta
