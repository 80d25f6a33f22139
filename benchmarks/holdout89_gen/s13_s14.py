"""h89-13 (BTC withdrawal broadcaster can't reach its node, whose instance is impaired) and h89-14 (a
Node.js candles function deploy breaks weekly candles, alarm on the charts API)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

from .kit import (apigw_exec, apigw_metrics, ec2_metrics, emit, every, instance_id, lambda_metrics, new, put,
                  py_traceback, sample_lambda)


def build_13():
    sc = new(13, "btc-withdrawal-errors",
             "BTC withdrawals stuck; broadcaster function Errors alarm.",
             "eu-west-1", "2026-03-23T10:40:00+00:00")
    fn = "wd-broadcast-btc"
    b1, b2 = instance_id(sc), instance_id(sc)
    ip2 = "10.40.3.17"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=256,
                environment={"BTC_RPC_URL": f"http://{ip2}:8332"})
    sc.resource("lambda", "wd-broadcast-eth", runtime="python3.12", timeout=60, memory_size=256)
    sc.resource("ec2", b1, name="chain-rpc-b1", instance_type="r6i.2xlarge", private_ip="10.40.1.22",
                log_groups=["/chain/bitcoind/debug"])
    sc.resource("ec2", b2, name="chain-rpc-b2", instance_type="r6i.2xlarge", private_ip=ip2,
                log_groups=["/chain/bitcoind/debug"])
    ON = -2250
    down = lambda t: 1.0 if t >= ON else 0.0
    inv, err = lambda_metrics(sc, fn, inv=lambda t: 26, err=lambda t: 0.05 + 26 * down(t),
                              dur=lambda t: 380 + 14800 * down(t))
    lambda_metrics(sc, "wd-broadcast-eth", inv=lambda t: 44, err=lambda t: 0.1, dur=lambda t: 290)
    ec2_metrics(sc, b1, cpu=lambda t: 18 + bump(t, -9000, -8200, 45, 120), net_in=lambda t: 2.2e7)
    ec2_metrics(sc, b2, cpu=lambda t: 17 - 15.5 * down(t), net_in=lambda t: 2.1e7 * (1 - 0.995 * down(t)),
                status=lambda t: down(t))
    put(sc, "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": b2}, "Count", down, noise=0.0, digits=0)
    put(sc, "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": b2}, "Count", lambda t: 0.0, noise=0.0, digits=0)

    def body(ll, t, reqid, is_err, cold):
        wd = f"wd_{sc.hexid(10)}"
        lines = [(0.003, f"[INFO]\t{sc.iso(t)}\t{reqid}\tbroadcast {wd} inputs={sc.rng.randint(1, 6)} "
                         f"vsize={sc.rng.randint(140, 900)}")]
        if sc.rng.random() < 0.1:
            lines.append((0.1, f"[WARNING]\t{sc.iso(t)}\t{reqid}\tfee estimate fallback: estimatesmartfee returned "
                               f"no estimate; using 12 sat/vB"))
        if is_err:
            obj = f"0x7f{sc.hexid(10)}"
            exc = (f"ConnectTimeout: HTTPConnectionPool(host='{ip2}', port=8332): Max retries exceeded with url: / "
                   f"(Caused by ConnectTimeoutError(<urllib3.connection.HTTPConnection object at {obj}>, "
                   f"'Connection to {ip2} timed out. (connect timeout=5)'))")
            lines.append((15.1, py_traceback(exc, [
                ("/var/task/handler.py", 39, "handler", "txid = rpc.call('sendrawtransaction', raw)"),
                ("/var/task/chain/rpc.py", 27, "call", "r = self.session.post(self.url, json=payload, timeout=(5, 30))"),
                ("/var/task/requests/adapters.py", 507, "send", "raise ConnectTimeout(e, request=request)")])))
            return {"lines": lines, "dur": sc.rng.gauss(15150, 40)}
        d = sc.rng.gauss(380, 60)
        lines.append((d / 1000 - 0.003, f"[INFO]\t{sc.iso(t + d / 1000)}\t{reqid}\tbroadcast ok {wd} "
                                        f"txid={sc.hexid(64)}"))
        return {"lines": lines, "dur": d}

    sample_lambda(LambdaLogs(sc, fn, "python3.12", 256, 60, prewarm=-12480, mem_used=(88, 3)), inv, err, body)
    g = "/chain/bitcoind/debug"
    for iid in (b1, b2):
        end = ON - 7.3 if iid == b2 else 0
        h = [889_090]

        def tip(t):
            h[0] += 1
            return (f"{sc.iso(t, 0)} UpdateTip: new best={'0' * 19}{sc.hexid(45)} height={h[0]} version=0x2000e000 "
                    f"log2_work=95.0{sc.rng.randint(10000, 99999)} tx={1_105_000_000 + h[0] * 3000} "
                    f"date='{sc.iso(t - 40, 0)}' progress=1.000000 cache=412.6MiB(3012998txo)")
        every(sc, g, iid, 600, tip, end=end, jitter=300)
        emit(sc, g, iid, lambda t: 0.4, lambda t: f"{sc.iso(t, 0)} New outbound peer connected: version: 70016, "
                                                  f"blocks={h[0]}, peer={sc.rng.randint(4000, 9000)} (full-relay)",
             end=end)
        emit(sc, g, iid, lambda t: 0.3, lambda t: f"{sc.iso(t, 0)} Socket closed for peer={sc.rng.randint(4000, 9000)}"
                                                  f" (disconnect), not reconnecting", end=end)
    sc.change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "wd-broadcast-eth", "ci-deployer")
    sc.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.alarm("wd-broadcast-btc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "BTC withdrawal broadcast failures")
    sc.alarm("chain-rpc-b1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": b1}, "Average", 300, 1, 50,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "wd-broadcast-btc-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [b2, "chain-rpc-b2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_Instance", "dimensions": {"InstanceId": b2}}]}
    sc.meta = {
        "front": "front (caller Lambda)", "services": ["lambda", "ec2"], "origin_type": "ec2",
        "decoys": "wd-broadcast-eth deploy 40 s before onset; wd-broadcast-btc's own deploy ~4 h earlier; fee "
                  "fallback warnings all along; chain-rpc-b1 CPU spike (alarm fired and cleared) 2.5 h earlier",
        "story": "Every wd-broadcast-btc invocation fails from onset: after three 5 s connect attempts it raises "
                 f"ConnectTimeout to {ip2}:8332, the address of chain-rpc-b2 ({b2}). At the same minute that "
                 "instance's StatusCheckFailed_Instance goes to 1, its CPU falls to ~1.5 % and NetworkIn to "
                 "nearly nothing, and its bitcoind debug log (UpdateTip every block, peer churn) stops, while "
                 "chain-rpc-b1 keeps following the chain. The wd-broadcast-eth deploy 40 s before onset and "
                 "the fee-estimate warnings are unrelated; nothing in CloudTrail touches the node.",
        "judgement": "The node is an EC2 resource in the account and is impaired rather than exhausted (no CPU, "
                     "memory or disk at a limit), so dependency_failure with the node as origin.",
    }
    return sc


def build_14():
    sc = new(14, "charts-api-5xx",
             "Charting API returning 5xx for some candle requests.",
             "ap-southeast-1", "2026-03-24T03:10:00+00:00")
    fn, api = "px-candles-api", "charts-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=6, memory_size=1024, alias="live")
    sc.resource("lambda", "px-ingest", runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("apigateway", api, stage="prod", api_id="q1z8v4c6ny")
    DEP, DECOY = -2300, -2290
    bad = lambda t: 0.34 * ramp(t, DEP + 5, DEP + 45)
    rate = lambda t: 340 + 60 * ramp(t, -6000, -4500)
    inv, err = lambda_metrics(sc, fn, inv=rate, err=lambda t: 0.05 + rate(t) * bad(t), dur=lambda t: 64 - 20 * bad(t))
    lambda_metrics(sc, "px-ingest", inv=lambda t: 60, err=lambda t: 0.0, dur=lambda t: 2100)
    apigw_metrics(sc, api, count=rate, e4=lambda t: 6, e5=lambda t: 0.1 + rate(t) * bad(t), lat=lambda t: 80)

    def body(ll, t, reqid, is_err, cold):
        new_code = t >= DEP
        iv = "1w" if is_err else sc.rng.choice(["1m", "5m", "15m", "1h", "4h", "1d", "1w"] if not new_code else
                                               ["1m", "5m", "15m", "1h", "4h", "1d"])
        sym = sc.rng.choice(["BTC-USDT", "ETH-USDT", "SOL-USDT", "BNB-USDT"])
        lines = [(0.002, ll.fmt(t, reqid, "INFO", f"candles {sym} interval={iv} limit=500"))]
        if sc.rng.random() < 0.12:
            lines.append((0.004, ll.fmt(t, reqid, "WARN", f"upstream cache miss for key candles:{sym}:{iv}")))
        if sc.rng.random() < 0.02:
            lines.append((0.005, ll.fmt(t, reqid, "ERROR", "invalid interval param: 2h")))
        if is_err:
            e = {"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'close')",
                 "stack": ["TypeError: Cannot read properties of undefined (reading 'close')",
                           "    at buildCandle (/var/task/dist/candles.js:88:31)",
                           "    at Array.map (<anonymous>)", "    at rollupWeekly (/var/task/dist/candles.js:142:18)",
                           "    at Runtime.handler (/var/task/dist/index.js:41:22)"]}
            lines.append((0.03, ll.fmt(t + 0.03, reqid, "ERROR", f"Invoke Error \t{jline(e)}")))
            return {"lines": lines, "dur": sc.rng.gauss(40, 6)}
        return {"lines": lines, "dur": sc.rng.gauss(64, 12)}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 6, prewarm=-12480, mem_used=(142, 8),
                    epochs=((-10 ** 9, "41"), (DEP, "42")))
    sample_lambda(ll, inv, err, body, cap=3)
    g, s = "API-Gateway-Execution-Logs_q1z8v4c6ny/prod", "q1z8v4c6ny-prod"

    def gw(t):
        r = sc.uuid()
        if sc.rng.random() < bad(t):
            return [apigw_exec(r, "Lambda execution failed with status 200 due to customer function error: Cannot "
                                  "read properties of undefined (reading 'close')"),
                    apigw_exec(r, "Method completed with status: 502")]
        return apigw_exec(r, f"Method completed with status: {200 if sc.rng.random() > 0.02 else 400}")
    emit(sc, g, s, lambda t: 2, gw)
    sc.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-release")
    sc.change(DEP + 4, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gha-release")
    sc.change(DEP + 6, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "gha-release")
    sc.change(DECOY, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "px-ingest-role", "terraform-ci")
    sc.alarm("charts-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Charts API 5xx")
    sc.expect = {"alarm": "charts-api-5xx", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "front (API Gateway)", "services": ["apigateway", "lambda"], "origin_type": "lambda",
        "decoys": "IAM policy change on px-ingest's role 10 s after the deploy (nearest onset); 'invalid interval' "
                  "ERRORs and cache-miss WARNs all along",
        "story": "charts-api's 5XXError goes from 0 to ~130 a minute. gha-release deployed px-candles-api "
                 "(UpdateFunctionCode, PublishVersion 42, UpdateAlias live) and from the first version-42 "
                 "invocations every weekly-candle request (interval=1w, about a third of traffic) fails with "
                 "'TypeError: Cannot read properties of undefined (reading 'close')' in rollupWeekly, a "
                 "signature never seen on version 41; API Gateway logs the customer-function error and 502. "
                 "The px-ingest role policy change lands between the deploy and the first errors, but "
                 "px-ingest is healthy and the error is not an AccessDenied; 'invalid interval param' "
                 "ERRORs are steady 4xx noise.",
    }
    return sc


BUILDERS = [build_13, build_14]
