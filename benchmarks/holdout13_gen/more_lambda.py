"""More Lambda incidents: timeout, downstream throttling, deploy with decoy config, and database-backed functions."""
from __future__ import annotations

import numpy as np

from .common import (T, alarm, change, counts, find, lambda_bundle, noisy, py_error, rds_metrics, rng_for,
                     step, timeout_body, wall, hexid, node_error)
from .lambda_cases import FN, L, _doc, _ok, _res

GB = 1024 ** 3


def h13(seed=1313):
    rng, reg, fn = rng_for(seed), "eu-west-3", "pdf-render"
    onset = -2700

    def make(ts, failed, r, rng):
        pages = int(rng.integers(300, 900)) if failed else int(rng.integers(2, 40))
        body = [(0.01, f"[INFO]\t{r}\tRendering document doc_{hexid(rng, 10)} ({pages} pages)")]
        if rng.random() < 0.15:
            body.append((0.2, f"[WARNING]\t{r}\tFont 'Helvetica-Narrow' not found, falling back to 'DejaVu Sans'"))
        if failed:
            line, dur = timeout_body(ts, r, 20, rng)
            body.append((dur / 1000, line))
            return body, dur, rng.normal(980, 60), "\tStatus: timeout"
        body.append((0.02 + pages * 0.05, f"[INFO]\t{r}\tRendered {pages} pages in {pages * 50} ms"))
        return body, rng.normal(900 + pages * 50, 150), rng.normal(610, 40), ""
    inv = counts(rng, noisy(rng, 7, 0.08))
    err = np.round(inv * step(onset, 0, 0.45) * rng.uniform(0.8, 1.2, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 1536, None, err, make, 2000, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "pdf-thumbnailer", 512, noisy(rng, 5, 0.1), np.zeros(len(T)),
                                   _ok(["[INFO]\t{rid}\tThumbnail written for doc_{n}"], (420, 60), (180, 8)), 420)
    metrics = m1 + m2
    al = alarm("pdf-render-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 2, 5)
    changes = [change(-1850, L, "UpdateFunctionConfiguration20150331v2", FN, "pdf-thumbnailer", "mmartin")]
    res = [_res(fn, "python3.12", 20, 1536), _res("pdf-thumbnailer", "python3.12", 30, 512)]
    return _doc("h13-13-pdf-render-large-documents", "Document rendering failing for some customers; pdf-render errors alarm.",
                reg, res, metrics, [log1, log2], al, changes, "function_timeout", [fn], fn,
                dict(decoys="pdf-thumbnailer configuration change 15 min after onset; constant font-fallback WARNINGs",
                     rule="invocations end at the configured 20 s timeout with no dependency errors; change is on another function",
                     story="A new customer started submitting 300-900 page catalogues; rendering takes longer than the "
                           "20 s timeout so those invocations end with 'Task timed out after 20.0x seconds'."))


def h15(seed=1315):
    rng, reg, fn = rng_for(seed), "ap-southeast-1", "pricing-engine"
    onset = -2200

    def make(ts, failed, r, rng):
        sku = f"SKU-{rng.integers(100000, 999999)}"
        if failed:
            return [(0.01, f"[INFO]\t{r}\tRepricing {sku} tenant=t_0042"),
                    (1.8, py_error("botocore.errorfactory.ProvisionedThroughputExceededException", [
                        ("/var/task/handler.py", 58, "lambda_handler", "store.save_price(tenant, sku, price)"),
                        ("/var/task/pricing/store.py", 33, "save_price", "self.table.update_item(**req)"),
                        ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call", "raise error_class(parsed_response, operation_name)")],
                        "An error occurred (ProvisionedThroughputExceededException) when calling the UpdateItem operation "
                        "(reached max retries: 9): The level of configured provisioned throughput for the table was exceeded. "
                        "Consider increasing your provisioning level with the UpdateTable API."))], rng.normal(2100, 300), rng.normal(150, 5), ""
        t = "t_0042" if (ts >= onset and rng.random() < 0.5) else f"t_{rng.integers(1, 400):04d}"
        return [(0.01, f"[INFO]\t{r}\tRepricing {sku} tenant={t}"), (0.1, f"[INFO]\t{r}\tsaved price for {sku}")], \
            rng.normal(95, 20), rng.normal(148, 5), ""
    inv = counts(rng, noisy(rng, 24, 0.05))
    err = np.round(inv * step(onset, 0, 0.3, 240) * rng.uniform(0.8, 1.2, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 512, None, err, make, 95, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "price-publisher", 256, noisy(rng, 2, 0.2) + np.where(T % 3600 < 300, 25, 0),
                                   np.zeros(len(T)), _ok(["[INFO]\t{rid}\tPublished {k} price updates to storefront"], (800, 100), (120, 5)), 800)
    metrics = m1 + m2
    al = alarm("pricing-engine-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 300, 2, 10)
    changes = [change(-12000, L, "PutFunctionConcurrency20171031", FN, fn, "platform-admin")]
    res = [_res(fn, "python3.12", 30, 512, reserved_concurrency=100, environment={"PRICES_TABLE": "prices-prod"}),
           _res("price-publisher", "python3.12", 60, 256)]
    return _doc("h13-15-pricing-engine-hot-partition", "Repricing errors; pricing-engine errors alarm.",
                reg, res, metrics, [log1, log2], al, changes, "throttling", [fn], fn,
                dict(decoys="reserved concurrency change 3.3 h earlier; price-publisher hourly invocation bursts",
                     rule="throughput-exceeded errors from the table are throttling (more specific than dependency_failure); Lambda Throttles stays 0; traffic flat",
                     story="One tenant's bulk repricing concentrated writes on a single DynamoDB partition key; UpdateItem calls "
                           "are throttled (ProvisionedThroughputExceededException after retries). Invocation volume is unchanged."))


def h17(seed=1317):
    rng, reg, fn = rng_for(seed), "us-east-1", "cart-service"
    onset = -1500

    def make(ts, failed, r, rng):
        if failed == "old":
            pass
        if failed:
            return [(0.02, node_error(ts, "TypeError", "cart.items.reduce is not a function",
                                      ["computeTotals (/var/task/dist/cart/totals.js:17:32)",
                                       "getCart (/var/task/dist/handlers/getCart.js:29:22)",
                                       "Runtime.handler (/var/task/dist/index.js:12:10)"]))], rng.normal(45, 8), rng.normal(101, 3), ""
        body = [(0.02, f"{wall(ts)}\t{r}\tINFO\tGET /cart/{hexid(rng, 8)} 200")]
        if rng.random() < 0.04:
            body = [(0.02, f"{wall(ts)}\t{r}\tERROR\tValidationError: quantity must be >= 1 (sku=SKU-{rng.integers(1000, 9999)})")]
        return body, rng.normal(70, 15), rng.normal(100, 3), ""
    inv = counts(rng, noisy(rng, 30, 0.05))
    err = np.round(inv * step(onset, 0, 0.35) * rng.uniform(0.8, 1.2, len(T)))
    m1, log1, _, _ = lambda_bundle(rng, fn, 256, None, err, make, 70, inv=inv)
    m2, log2, _, _ = lambda_bundle(rng, "cart-abandon-mailer", 256, noisy(rng, 1.5, 0.2), np.zeros(len(T)),
                                   _ok(["{rid} INFO sent abandon reminder batch size={k}"], (600, 80), (130, 5)), 600)
    metrics = m1 + m2
    al = alarm("cart-service-errors", find(metrics, "Errors", FunctionName=fn), "Sum", 60, 3, 5)
    changes = [change(onset - 70, L, "UpdateFunctionCode20150331v2", FN, fn, "codepipeline"),
               change(onset - 60, L, "PublishVersion20150331", FN, fn, "codepipeline"),
               change(onset - 130, L, "UpdateFunctionConfiguration20150331v2", FN, "cart-abandon-mailer", "ops-bot")]
    res = [_res(fn, "nodejs20.x", 10, 256), _res("cart-abandon-mailer", "nodejs20.x", 60, 256)]
    return _doc("h13-17-cart-service-release-typeerror", "Cart page errors; cart-service errors alarm.",
                reg, res, metrics, [log1, log2], al, changes, "bad_deployment", [fn], fn,
                dict(decoys="configuration change on cart-abandon-mailer 2 min before the deploy (other resource); ValidationError lines logged at ERROR level all day",
                     rule="deploy beats app error; the config change is on a different resource, so 'config beats deploy' does not apply",
                     story="A cart-service release changed cart.items from an array to a Map for some carts; computeTotals "
                           "throws TypeError: cart.items.reduce is not a function right after the code update."))
