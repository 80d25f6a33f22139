"""h68-08: tournament-final score submissions 5xx at the API; DynamoDB hot-key throttling in the Go Lambda."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import apigw_family, emit, event_load, lam_deploy, lambda_family, lambda_logs, ramp, zap
from .runtimes import LambdaLogs

EVENT, FINALS, DECOY = -9000, -1980, -2040


def build() -> Scenario:
    sc = Scenario(8, "finals-score-5xx", "Score submissions failing during the Grand Finals broadcast; "
                  "API 5xx alarm firing.", "us-east-2", 6808, "2026-11-28T02:00:00")
    rng = sc.rng
    api, fn, rd, table = "arena-scores", "score-submit", "score-read", "ScoreLedger"
    sc.resource("apigateway", api, stage="v2", api_id="q7w1e5r9t3", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="provided.al2023", memory_size=256, timeout=6, language="go1.23",
                table=table, table_billing="PAY_PER_REQUEST")
    sc.resource("lambda", rd, runtime="provided.al2023", memory_size=256, timeout=6, language="go1.23")
    load = lambda t: diurnal(sc, t, 1, 0.2) * event_load(t, EVENT, 2.5, 1.4, 3000)
    hot = lambda t: ramp(t, FINALS, FINALS + 120)
    sub = lambda t: 1500 * load(t) * (1 + 0.35 * hot(t))
    m = lambda_family(sc, fn, sub, lambda t: 0.0004 + 0.22 * hot(t), lambda t: 19 + 6 * (load(t) - 1) + 230 * hot(t))
    lambda_family(sc, rd, lambda t: 3800 * load(t) * (1 - 0.4 * ramp(t, DECOY, DECOY + 120)), lambda t: 0.0002,
                  lambda t: 11 + 2 * (load(t) - 1))
    apigw_family(sc, api, lambda t: sub(t) + 3800 * load(t), lambda t: 35 + 25 * hot(t),
                 e4=lambda t: 0.04 * sub(t) + 3, e5=lambda t: 0.1 + 0.22 * sub(t) * hot(t))
    d = {"TableName": table}
    sc.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", d, "Count",
              sc.series(lambda t: 2 * sub(t) * (1 - 0.2 * hot(t)), noise=0.05, digits=0))
    sc.metric("AWS/DynamoDB", "WriteThrottleEvents", d, "Count",
              sc.series(lambda t: 0.05 + 2.4 * sub(t) * hot(t) * 0.22, noise=0.1, integer=True))

    # ---------------------------------------------------------------- score-submit (Go, zap JSON)
    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 6, mem_used=(41, 3))
    boards = ["weekly-na", "weekly-eu", "ranked-global", "event-frostfall"]

    def body(ll, t, rid, is_err, cold):
        board = "finals-global" if t >= FINALS and rng.random() < 0.55 + 0.45 * is_err else rng.choice(boards)
        player = f"p_{sc.hexid(10)}"
        init = [(0.001, zap(sc, t, "info", "main.go:41", "score-submit starting", version="3.8.2", table=table))]
        lines = []
        if is_err and t >= FINALS:
            for k in (1, 2):
                lines.append((0.02 * k, zap(sc, t + 0.02 * k, "warn", "store/ddb.go:77", "retrying UpdateItem",
                                            board=board, attempt=k, awsRequestId=rid)))
            lines.append((0.2, zap(sc, t + 0.2, "error", "handler/submit.go:63", "put score failed", board=board,
                                   player=player, awsRequestId=rid,
                                   error=f"operation error DynamoDB: UpdateItem, exceeded maximum number of attempts, "
                                         f"3, https response error StatusCode: 400, RequestID: {sc.hexid(32).upper()}, "
                                         "ProvisionedThroughputExceededException: Throughput exceeds the current "
                                         "capacity of your table or index. DynamoDB is automatically scaling your "
                                         "table or index so please try again shortly. If exceptions persist, check "
                                         "if you have a hot key")))
            return {"dur": rng.uniform(220, 420), "lines": lines, "init_lines": init}
        if rng.random() < 0.04:
            lines.append((0.003, zap(sc, t, "warn", "handler/submit.go:38", "rejected score: signature mismatch",
                                     board=board, player=player, client="1.41.2", awsRequestId=rid)))
            return {"dur": rng.uniform(2, 5), "lines": lines, "init_lines": init}
        lines.append((0.012, zap(sc, t + 0.012, "info", "handler/submit.go:71", "score accepted", board=board,
                                 player=player, score=rng.randint(1000, 99000), awsRequestId=rid)))
        return {"dur": rng.lognormvariate(2.9, 0.3) + (150 * rng.random() if t >= FINALS and board ==
                                                       "finals-global" else 0), "lines": lines, "init_lines": init}

    lambda_logs(ll, m, body, per_min=3.5, err_min=1)

    # ---------------------------------------------------------------- API Gateway execution log
    eg, es = "API-Gateway-Execution-Logs_q7w1e5r9t3/v2", "9b8f0e1a6c2d4e3f5a7b9c0d1e2f3a4b"
    emit(sc, eg, es, lambda t: 0.8, lambda t: [
        (0, f"({(r := sc.uuid())}) Method request path: {{board={rng.choice(boards)}}}"),
        (0.05, f"({r}) Method completed with status: 200")])
    emit(sc, eg, es, lambda t: 0.3, lambda t: f"({sc.uuid()}) Method completed with status: 401", )
    emit(sc, eg, es, lambda t: 2.5 * hot(t), lambda t: [
        (0, f"({(r := sc.uuid())}) Method request path: {{board=finals-global}}"),
        (0.3, f"({r}) Endpoint response body before transformations: {{\"error\":\"score store unavailable\"}}"),
        (0.31, f"({r}) Method completed with status: 503")], t0=FINALS)
    emit(sc, eg, es, lambda t: 0.4 * ramp(t, DECOY, DECOY + 30), lambda t: (
        f"({sc.uuid()}) Sending response from cache for GET /boards/{{board}} (cache hit)"), t0=DECOY)

    sc.alarm("arena-scores-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Score API server errors")
    sc.alarm("arena-scores-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 250,
             "GreaterThanThreshold", "Rejected submissions (invalid signatures)")
    lam_deploy(sc, -20100, fn, "github-actions-scores")
    sc.change(-9400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "ops-mchen")
    sc.change(DECOY, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/v2", "ops-mchen")
    sc.expect = {"alarm": "arena-scores-5xx",
                 "root_cause": {"category": "throttling", "resource": [fn, table]},
                 "anomalies": [{"namespace": "AWS/DynamoDB", "name": "WriteThrottleEvents", "dimensions": d},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "front (API Gateway; origin is the Lambda whose DynamoDB writes are throttled)",
        "services": ["apigateway", "lambda"], "runtime": "Go on provided.al2023 (zap JSON), API Gateway execution log",
        "decoys": "UpdateStage on the alarmed API 1 min before onset (enables GET caching); event rush 2.5x "
                  "absorbed at -150 min; 4xx alarm and signature warnings from cheat clients; Lambda "
                  "Throttles stays 0",
        "story": (
            "The Grand Finals bracket opened at -33 min and score submissions rose only ~35 % (the event "
            "start at -150 min was a 2.5x rush with no errors), but most of the new writes go to one "
            "board, `finals-global`. From then on ~22 % of score-submit invocations log `retrying "
            "UpdateItem` twice and then `put score failed ... ProvisionedThroughputExceededException: "
            "Throughput exceeds the current capacity ... check if you have a hot key`; DynamoDB "
            "WriteThrottleEvents for ScoreLedger jump from ~0 to hundreds a minute and the function's "
            "duration rises with the retry back-off. The API returns those as 503s, which is the 5xx "
            "alarm. One minute before the onset an operator updated the v2 stage to cache GET "
            "/boards responses: read traffic to score-read drops, but the failing route is the POST "
            "that caching does not touch. Lambda's own Throttles metric is 0 throughout; the throttling "
            "is DynamoDB's."),
        "judgement": "Category is throttling (throughput-exceeded errors). ScoreLedger is not one of the six "
                     "resource types, so the Lambda that issues the throttled writes is the origin resource; "
                     "the table name is accepted as well. Traffic rose only ~35 %, well below the earlier "
                     "absorbed rush, so traffic_surge does not fit.",
    }
    return sc
