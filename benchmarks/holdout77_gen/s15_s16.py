"""h77-15 (API stage canary points at a missing alias) and h77-16 (embedding batch runs out of memory)."""
from __future__ import annotations

from .kit import (LOG_START, S77, apigw_exec, apigw_metrics, diurnal, lam, lam_metrics, lambda_config,
                  lambda_deploy, ramp, run_lambda)


def s15() -> S77:
    sc = S77(15, "model-gateway-5xx",
             "model-gateway 5XX alarm; about a third of lifetime-value predictions fail in the CRM.",
             "ap-northeast-2", 7715, "2026-03-23T05:30:00+00:00")
    api, fn, ex, apiid = "model-gateway", "ltv-predict", "ltv-explain", "m4q8z1t6rb"
    sc.resource("apigateway", api, stage="prod", integration="AWS_PROXY → ltv-predict:${stageVariables.lambdaAlias}")
    sc.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=1024, aliases=["live"])
    sc.resource("lambda", ex, runtime="python3.12", timeout=30, memory_size=2048)
    cfg = -2100
    bad = lambda t: 0.3 * ramp(t, cfg + 5, cfg + 15)  # noqa: E731 canary share, every canary request fails
    cnt = lambda t: 900 * diurnal(sc, t, 4.0, 0.25)  # noqa: E731
    apigw_metrics(sc, api, cnt, lambda t: 0.01 * cnt(t), lambda t: 0.1 + cnt(t) * bad(t), lambda t: 160 - 70 * bad(t),
                  integ=lambda t: 140 - 60 * bad(t))
    iv, ev = lam_metrics(sc, fn, lambda t: cnt(t) * (1 - bad(t)), lambda t: 1.2, lambda t: 120)
    xv, xe = lam_metrics(sc, ex, lambda t: 12, lambda t: 0.0, lambda t: 900)
    ll = lam(sc, fn, "python3.12", 1024, 10, epochs=((-10 ** 9, "14"), (-7150, "15")), mem_used=(260, 8))

    def body(ll, t, rid, err, cold):
        c = f"C{sc.rng.randint(10 ** 6, 10 ** 7)}"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"predict customer={c} model=ltv-bgnbd@2026.03"))]
        if err:
            return {"dur": sc.rng.gauss(40, 6), "lines": lines + [(0.03, ll.fmt(
                t, rid, "ERROR", f"ValueError: customer {c} has no transactions in the lookback window\nTraceback "
                "(most recent call last):\n  File \"/var/task/app.py\", line 36, in handler\n    return "
                "model.predict(history)\n  File \"/var/task/ltv/model.py\", line 72, in predict\n    raise "
                "ValueError(f\"customer {cid} has no transactions in the lookback window\")"))]}
        return {"dur": sc.rng.gauss(120, 20), "lines": lines + [(0.11, ll.fmt(t, rid, "INFO", f"ltv_12m={sc.rng.uniform(20, 900):.2f}"))]}
    run_lambda(ll, iv, ev, body, ratio=0.004, err_ratio=0.5)
    ev_logs = lam(sc, ex, "python3.12", 2048, 30, retire=(-2095,), mem_used=(700, 30))
    run_lambda(ev_logs, xv, xe, lambda ll, t, rid, err, cold: {"dur": sc.rng.gauss(900, 90), "lines": [(
        0.01, ll.fmt(t, rid, "INFO", f"shap values computed for {sc.rng.randint(1, 20)} customers"))]}, ratio=0.25)
    grp = f"API-Gateway-Execution-Logs_{apiid}/prod"
    sc.emit(grp, sc.hexid(32), LOG_START, 0, 2.0, lambda t: apigw_exec(
        sc, "Method completed with status: 200" if sc.rng.random() > 0.0018 else
        "Lambda execution failed with status 200 due to customer function error: customer has no transactions"))
    sc.emit(grp + "/Canary", sc.hexid(32), cfg + 5, 0, 2.5, lambda t: apigw_exec(
        sc, f"Execution failed due to configuration error: Function not found: arn:aws:lambda:{sc.region}:"
            f"{sc.account}:function:{fn}:canary (Service: Lambda, Status Code: 404, Request ID: {sc.uuid()})")
        if sc.rng.random() < 0.7 else apigw_exec(sc, "Method completed with status: 500"))
    lambda_deploy(sc, -7200, fn, "ml-rollout-bot", alias="live")
    sc.change(cfg, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "kpark")
    lambda_deploy(sc, -2095, ex, "ml-rollout-bot")
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Model gateway 5XX")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 0, "GreaterThanThreshold",
             "ltv-predict errors")
    sc.expect_root(f"{api}-5xx", "config_change", [api],
                   [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}])
    sc.meta.update(
        origin_type="apigateway", front="origin",
        decoys="ltv-explain deploy 5 s after the stage update; ltv-predict's own deploy/alias move 2 h "
               "earlier; ltv-predict's noisy Errors alarm, in ALARM all day from 'no transactions' ValueErrors",
        story="At -35 min kpark updates the prod stage of model-gateway (UpdateStage), enabling a 30 % "
              "canary whose stage-variable override points the integration at alias `canary`, which "
              "ltv-predict does not have. From then the Canary execution log shows `Execution failed due to "
              "configuration error: Function not found: ...:function:ltv-predict:canary`, 5XXError jumps to "
              "~30 % of requests and the alarm fires, while ltv-predict's invocations drop by the same 30 % "
              "and its own Errors (the long-standing 'no transactions' ValueErrors, which keep its noisy "
              "alarm in ALARM) do not change.",
        judgement="The fault is a stage setting on the API itself: config_change on model-gateway. The "
                  "function behind it is healthy and receives fewer requests.")
    return sc


def s16() -> S77:
    sc = S77(16, "embedding-batch-errors",
             "embedding-batch Errors alarm; product embeddings for some tenants are stale.",
             "ap-southeast-1", 7716, "2026-03-24T03:15:00+00:00")
    fn, pub = "embedding-batch", "embedding-publisher"
    sc.resource("lambda", fn, runtime="python3.11", timeout=900, memory_size=3008, trigger="s3:ObjectCreated (tenant partitions)")
    sc.resource("lambda", pub, runtime="provided.al2023", timeout=60, memory_size=512, language="go1.22")
    on = -2700
    big = lambda t: 0.42 * ramp(t, on, on + 60)  # noqa: E731 share of partitions from the large new tenant
    iv, ev = lam_metrics(sc, fn, lambda t: 3 * (1 + 0.6 * big(t)), lambda t: 0.0,
                         lambda t: 41000 + 20000 * big(t), err_frac=big)
    pv, pe = lam_metrics(sc, pub, lambda t: 2, lambda t: 0.0, lambda t: 300)
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
              sc.series(lambda t: 58 + 42 * min(1.0, big(t) * 3), noise=0.04, cap=100.0))
    ll = lam(sc, fn, "python3.11", 3008, 900, retire=(-16000,), mem_used=(1750, 160))
    tenants = ["acorn", "baylight", "cinder", "dune-outfitters", "elmwood"]

    def body(ll, t, rid, err, cold):
        ten = "lumen-retail" if err else sc.pick(tenants)
        rows = sc.rng.randint(2900000, 3400000) if err else sc.rng.randint(380000, 1200000)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"processing s3://catalog-partitions-apse1/tenant={ten}/dt=2026-03-24/"
                                              f"part-0000.parquet rows={rows}")),
                 (1.2, ll.fmt(t, rid, "INFO", "encoding with e5-small-v2 (onnx, batch=512)"))]
        if sc.rng.random() < 0.25:
            lines.append((2.0, ll.fmt(t, rid, "WARNING", "/var/task/numpy/core/_methods.py:121: RuntimeWarning: "
                                      "invalid value encountered in divide")))
        if sc.rng.random() < 0.15:
            lines.append((2.5, ll.fmt(t, rid, "ERROR", f"skipping {sc.rng.randint(1, 9)} rows with empty title")))
        if err:
            d = sc.rng.uniform(25000, 60000)
            lines.append((d / 1000 - 0.01, f"RequestId: {rid} Error: Runtime exited with error: signal: killed"))
            return {"dur": d, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 3008, "lines": lines}
        d = sc.rng.gauss(41000, 6000)
        lines.append((d / 1000 - 0.2, ll.fmt(t + d / 1000, rid, "INFO", f"wrote {rows} embeddings to s3://vector-staging-apse1/"
                                                              f"tenant={ten}/")))
        return {"dur": d, "lines": lines, "mem": int(900 + rows / 1000 * 1.6)}
    run_lambda(ll, iv, ev, body, ratio=0.5)
    pl = lam(sc, pub, "provided.al2023", 512, 60, retire=(-2760,), mem_used=(48, 3))
    run_lambda(pl, pv, pe, lambda ll, t, rid, err, cold: {"dur": sc.rng.gauss(300, 30), "lines": [(
        0.01, f"{sc.iso(t)} INFO published embeddings batch tenant={sc.pick(tenants)} vectors="
              f"{sc.rng.randint(1000, 9000)} index=products-v5")]}, ratio=0.5)
    lambda_config(sc, -16000, fn, "terraform-ci")
    lambda_deploy(sc, -2760, pub, "github-actions-ml")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 2, "GreaterThanThreshold",
             "Embedding batch failures")
    sc.alarm(f"{pub}-errors", "AWS/Lambda", "Errors", {"FunctionName": pub}, "Sum", 300, 1, 1, "GreaterThanThreshold")
    sc.expect_root(f"{fn}-errors", "memory_exhaustion", [fn],
                   [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta.update(
        origin_type="lambda", front="origin",
        decoys="embedding-publisher deploy 60 s before onset; embedding-batch's own configuration update "
               "4.4 h earlier; steady 'skipping rows with empty title' ERROR lines and numpy RuntimeWarnings",
        story="From -45 min partitions from a new, much larger tenant (lumen-retail, ~3.1M rows against "
              "0.4-1.2M for the others) start arriving. Every such invocation dies with `Runtime exited with "
              "error: signal: killed` and a REPORT line showing `Max Memory Used: 3008 MB` of 3008 MB and "
              "`Error Type: Runtime.OutOfMemory`; Lambda Insights memory_utilization reaches 100 %, S3 "
              "retries raise invocations and the Errors alarm fires. The publisher deploy a minute earlier "
              "is another function, and the 'skipping rows' ERROR lines never failed an invocation.",
        judgement="Bigger inputs, not more requests and not a change: memory_exhaustion on the function.")
    return sc


BUILDERS = [s15, s16]
