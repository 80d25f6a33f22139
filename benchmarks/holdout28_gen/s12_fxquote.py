"""h28-12: HttpClient timeout lowered from 5 s to 0.5 s by a config change; a rare timeout becomes common."""
from __future__ import annotations

import math
import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, poisson, ramp
from .logfmt import LambdaLog, Rec, dotnet_stack

R = "ca-central-1"
FN, HIST_FN, API = "fx-quote", "fx-history", "fx-api"
CHG = -2580
SIGMA = 0.35


def median(t):
    """Provider median latency (s): rises through the North American morning."""
    if t < CHG:
        return ramp(t, -HIST, CHG, 0.19, 0.245)
    return ramp(t, CHG, -600, 0.245, 0.36)


def p_exceed(t, limit):
    return 0.5 * math.erfc(math.log(limit / median(t)) / (SIGMA * math.sqrt(2)))


def timeout_exc(secs):
    return dotnet_stack(
        "System.Threading.Tasks.TaskCanceledException",
        f"The request was canceled due to the configured HttpClient.Timeout of {secs} seconds elapsing.",
        ["System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage response, "
         "CancellationTokenSource cts, CancellationToken cancellationToken, CancellationTokenSource pendingRequestsCts)",
         "System.Net.Http.HttpClient.<SendAsync>g__Core|83_0(HttpRequestMessage request, HttpCompletionOption completionOption, "
         "CancellationTokenSource cts, Boolean disposeCts, CancellationTokenSource pendingRequestsCts, CancellationToken originalCancellationToken)",
         "FxQuote.Rates.RatesClient.GetRateAsync(String from, String to) in /src/FxQuote/Rates/RatesClient.cs:line 41",
         "FxQuote.Function.FunctionHandler(APIGatewayProxyRequest request, ILambdaContext context) in /src/FxQuote/Function.cs:line 36"],
        inner="System.TimeoutException: The operation was canceled.\n ---> System.Threading.Tasks.TaskCanceledException: The operation "
              "was canceled.\n ---> System.IO.IOException: Unable to read data from the transport connection: Operation canceled.\n"
              " ---> System.Net.Sockets.SocketException (125): Operation canceled")


def build():
    rng = random.Random(2812)
    clk = Clock("2026-03-21T13:55:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    lam = Rec("AWS/Lambda", {"FunctionName": FN})
    api = Rec("AWS/ApiGateway", {"ApiName": API})
    hst = Rec("AWS/Lambda", {"FunctionName": HIST_FN})
    log = LambdaLog(rng, clk, FN, "dotnet8", 1024, streams=3)
    old = list(log.streams)
    new = log.add_streams("$LATEST", 3, CHG, family="after-config")
    hl = LambdaLog(rng, clk, HIST_FN, "dotnet8", 512, streams=1)
    for t in range(-HIST, 0, 60):
        batch = any(top <= t < top + 180 for top in tops)
        inv = poisson(rng, (290 + (160 if batch else 0)) * diurnal(t, 0.1, 40000))
        limit = 0.5 if t >= CHG else 5.0
        pe = (p_exceed(t, 0.5) if t >= CHG else 0.0) + 0.002
        errs = sum(1 for _ in range(inv) if rng.random() < pe)
        m = median(t) * math.exp(SIGMA ** 2 / 2)
        dur = ((inv - errs) * (min(m, limit * 0.8) * 1000 + 42) + errs * (limit * 1000 + 14)) / max(1, inv)
        lam.put(t, Invocations=inv, Errors=errs, Throttles=0, Duration=dur + rng.gauss(0, 6),
                ConcurrentExecutions=max(1, round(inv * dur / 60000 + rng.random())))
        api.put(t, Count=inv, **{"4XXError": poisson(rng, 4), "5XXError": errs}, Latency=dur + 20, IntegrationLatency=dur + 6)
        hn = poisson(rng, 20)
        hst.put(t, Invocations=hn, Errors=0, Throttles=0, Duration=rng.gauss(85, 6) * (0.92 if t >= -2520 else 1), ConcurrentExecutions=1)
        if t < -LOGS:
            continue
        for _ in range(poisson(rng, 13)):
            ts = t + rng.uniform(0, 59)
            st = rng.choice(new if ts >= CHG else old)
            pair = rng.choice(["CAD/USD", "CAD/EUR", "USD/CAD", "CAD/GBP", "CAD/JPY", "CAD/MXN"])
            lat = median(ts) * math.exp(rng.gauss(0, SIGMA))
            lim = 0.5 if ts >= CHG else 5.0
            stall = rng.random() < 0.002 * 13
            lines = []
            cold = [(0.001, "INFO", f"RatesClient configured: baseUrl=https://api.fxrates-partner.example/v3 "
                                    f"timeout={int(lim * 1000)}ms cacheTtl=30s")]
            lines.append((0.002, "INFO", f"Quote request {pair} amount={rng.uniform(50, 25000):.2f}"))
            if lat > lim or (stall and ts < CHG):
                d = lim * 1000 + rng.uniform(8, 20)
                lines.append((d / 1000 - 0.002, "ERROR", f"Rate lookup failed for {pair}\n" + timeout_exc("0.5" if lim < 1 else "5")))
            else:
                d = lat * 1000 + rng.uniform(30, 55)
                lines.append((d / 1000 - 0.002, "INFO", f"Quoted {pair} rate={rng.uniform(0.6, 110):.5f} provider_ms={lat * 1000:.0f}"))
            log.invoke(ts, d, rng.randint(88, 104), lines, stream=st, cold_lines=cold)
        if rng.random() < 0.25:
            ts = t + rng.uniform(0, 59)
            hl.invoke(ts, rng.gauss(85, 6), 77, [(0.01, "INFO", f"History {rng.choice(['CAD/USD', 'CAD/EUR'])} days=30 points=30 "
                                                                f"build={'2026.03.21.1' if ts >= -2520 else '2026.03.18.3'}")])
    alarms = [alarm(clk, "fx-quote-errors", lam.get("Errors"), "Sum", 60, 3, 20, after=CHG,
                    description="fx-quote Lambda errors (quotes failing in the app)")]
    lag = round((alarms[0]["state_changed"] - (CHG)) / 60)
    changes = [change(CHG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN, "mchen"),
               change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", HIST_FN, "ci-deployer"),
               change(-2505, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", HIST_FN, "ci-deployer")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-12-fx-quote-client-timeout-config",
        "description": "Currency quotes failing intermittently in the mobile app; fx-quote Errors alarm.",
        "region": R,
        "resources": [
            {"type": "lambda", "id": FN, "properties": {"runtime": "dotnet8", "timeout": 30, "memory_size": 1024,
                                                      "environment": {"RATES_API_URL": "https://api.fxrates-partner.example/v3",
                                                                      "RATES_HTTP_TIMEOUT_MS": "500", "RATES_CACHE_TTL_S": "30"}}},
            {"type": "lambda", "id": HIST_FN, "properties": {"runtime": "dotnet8", "timeout": 10, "memory_size": 512}},
            {"type": "apigateway", "id": API, "properties": {"stage": "v1"}},
        ],
        "metrics": lam.metrics() + api.metrics() + hst.metrics(), "logs": log.logs() + hl.logs(), "alarms": alarms, "changes": changes,
        "expect": {"alarm": "fx-quote-errors",
                   "root_cause": {"category": "config_change", "resource": [FN]},
                   "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]},
    }
    meta = {"alarm_on": "origin (fx-quote)",
            "decoys": "the same TaskCanceledException at ~0.6/min before the change (5 s timeout); fx-history deploy 42 min ago; "
                      "top-of-hour quote batches",
            "story": (
                "fx-quote has always had a trickle (~0.6/min) of TaskCanceledException 'configured HttpClient.Timeout of 5 seconds "
                "elapsing' from provider stalls. 43 minutes ago mchen ran UpdateFunctionConfiguration on fx-quote; fresh execution "
                "environments log 'RatesClient configured ... timeout=500ms' and the function's environment now shows "
                "RATES_HTTP_TIMEOUT_MS=500. The same exception now says 'Timeout of 0.5 seconds', and because the provider's "
                "normal latency (~250-400 ms median, rising through the morning) has a tail above 500 ms, errors jump from ~0.6 to about "
                f"ten per minute at once and then grow to dozens as the provider's daily latency climbs; the alarm fired ~{lag} minutes after the change. "
                "The provider is healthy (successful calls show normal provider_ms), so this is not a dependency failure but a "
                "config_change on fx-quote. The fx-history deploy is another function without errors.")}
    return scen, meta
