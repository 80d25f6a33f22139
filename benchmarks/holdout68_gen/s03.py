"""h68-03: season-pass claims 5xx at the API; a renamed environment variable on the Lambda behind."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import apigw_family, emit, event_load, lam_config, lam_deploy, lambda_family, \
    lambda_logs, ramp
from .runtimes import LambdaLogs

EVENT, CFG, DECOY = -6000, -2280, -2160


def build() -> Scenario:
    sc = Scenario(3, "pass-claim-5xx", "Season pass reward claims return errors in the JP client; "
                  "API 5xx alarm firing shortly after the week-3 unlock.",
                  "ap-northeast-1", 6803, "2026-11-23T11:20:00")
    rng = sc.rng
    api, fn, dec = "pass-gateway", "reward-claim", "daily-login-bonus"
    sc.resource("apigateway", api, stage="prod", api_id="k3j9x2m1qa", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="python3.12", memory_size=256, timeout=15)
    sc.resource("lambda", dec, runtime="python3.12", memory_size=256, timeout=10)
    sc.resource("lambda", "pass-progress", runtime="python3.12", memory_size=512, timeout=15)
    load = lambda t: diurnal(sc, t, 12, 0.25) * event_load(t, EVENT, 2.8, 1.7, 2400)
    bad = lambda t: ramp(t, CFG + 5, CFG + 60)
    claim = lambda t: 140 * load(t)
    m = lambda_family(sc, fn, claim, lambda t: 0.0005 + 0.9 * bad(t), lambda t: 210 - 150 * bad(t))
    lambda_family(sc, dec, lambda t: 60 * load(t), lambda t: 0.0004,
                  lambda t: 180 + 20 * ramp(t, DECOY, DECOY + 60))
    lambda_family(sc, "pass-progress", lambda t: 300 * load(t), lambda t: 0.0003, lambda t: 95)
    apigw_family(sc, api, lambda t: 510 * load(t), lambda t: 150 + 20 * load(t) - 90 * bad(t) * 0.3,
                 e4=lambda t: 6 * load(t), e5=lambda t: 0.05 + 0.9 * claim(t) * bad(t))

    # ---------------------------------------------------------------- reward-claim (Python)
    ll = LambdaLogs(sc, fn, "python3.12", 256, 15, retire=[CFG], mem_used=(88, 4))

    def body(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        after = t >= CFG
        env = ("SEASON_ID=s7 SEASON_REWARD_TABLE=pass-rewards-s7 CLAIM_RATE_LIMIT=5" if after else
               "SEASON_ID=s7 REWARD_TABLE_NAME=pass-rewards-s7 CLAIM_RATE_LIMIT=5")
        init = [(0.02, f"[INFO]\t{sc.iso(t)}\tconfig loaded: {env}")] if cold else []
        player, tier = f"p_{sc.hexid(10)}", rng.randint(1, 50)
        lines = [f(0.004, "INFO", f"claim request player={player} tier={tier} track="
                 f"{rng.choice(['free', 'premium'])}")]
        if is_err and after:
            lines.append((0.03, "[ERROR] KeyError: 'REWARD_TABLE_NAME'\nTraceback (most recent call last):\n"
                          "  File \"/var/task/claim/handler.py\", line 38, in lambda_handler\n"
                          "    table = ddb.Table(os.environ[\"REWARD_TABLE_NAME\"])\n"
                          "                      ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^\n"
                          "  File \"<frozen os>\", line 714, in __getitem__"))
            return {"dur": rng.uniform(6, 25), "lines": lines, "init_lines": init}
        if is_err:
            lines.append((0.4, "[ERROR] EndpointConnectionError: Could not connect to the endpoint URL: "
                           "\"https://dynamodb.ap-northeast-1.amazonaws.com/\"\nTraceback (most recent call last):\n"
                           "  File \"/var/task/claim/handler.py\", line 52, in lambda_handler"))
            return {"dur": rng.uniform(900, 2000), "lines": lines, "init_lines": init}
        if rng.random() < 0.08:
            lines.append(f(0.05, "WARNING", f"claim rejected: tier {tier} already claimed by {player}"))
        else:
            lines.append(f(0.12, "INFO", f"granted reward {rng.choice(['frost_emote', 'gems_x50', 'skin_shard', 'xp_boost'])} "
                           f"player={player} tier={tier}"))
        return {"dur": rng.lognormvariate(5.3, 0.25), "lines": lines, "init_lines": init}

    lambda_logs(ll, m, body, per_min=3, err_min=1)

    dl = LambdaLogs(sc, dec, "python3.12", 256, 10, epochs=[(-10 ** 9, "$LATEST")], retire=[DECOY])

    def bonus(ll, t, rid, is_err, cold):
        b = "build 1.9.4" if t >= DECOY else "build 1.9.3"
        init = [(0.02, f"[INFO]\t{sc.iso(t)}\tdaily-login-bonus {b} starting")] if cold else []
        return {"dur": rng.lognormvariate(5.2, 0.2), "init_lines": init, "lines": [
            (0.01, ll.fmt(t, rid, "INFO", f"streak day {rng.randint(1, 28)} bonus granted player=p_{sc.hexid(10)}"))]}

    dl.run({t: 1 for t in range(-21600, 0, 60) if rng.random() < 0.7}, {}, bonus)

    # ---------------------------------------------------------------- API Gateway execution log
    eg, es = "API-Gateway-Execution-Logs_k3j9x2m1qa/prod", "c81e728d9d4c2f636f067f89cc14862c"
    emit(sc, eg, es, lambda t: 1.5 * load(t), lambda t: [
        (0, f"({(r := sc.uuid())}) Method request path: {{season=s7, tier={rng.randint(1, 50)}}}"),
        (0.2, f"({r}) Method completed with status: 200")])
    emit(sc, eg, es, lambda t: 4 * bad(t), lambda t: [
        (0, f"({(r := sc.uuid())}) Lambda execution failed with status 200 due to customer function "
            f"error: 'REWARD_TABLE_NAME'. Lambda request id: {sc.uuid()}"),
        (0.001, f"({r}) Method completed with status: 502")], t0=CFG)

    sc.alarm("pass-gateway-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Season pass API 5xx")
    sc.alarm("pass-gateway-latency-p90", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average",
             300, 2, 600, "GreaterThanThreshold")
    lam_deploy(sc, -17400, "pass-progress", "codepipeline-pass", alias=False)
    sc.change(-6300, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "pass-week3-unlock",
              "hana.sato")
    lam_config(sc, CFG, fn, "hana.sato")
    lam_deploy(sc, DECOY, dec, "codepipeline-pass", alias=False)
    sc.expect = {"alarm": "pass-gateway-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "front (API Gateway; origin is the Lambda behind the claim route)",
        "services": ["apigateway", "lambda"], "runtime": "Python 3.12 Lambda, API Gateway execution log",
        "decoys": "code deploy of daily-login-bonus 2 min after the cause (closest change to the alarm); "
                  "week-3 unlock rush absorbed 1 h earlier; rare DynamoDB endpoint errors in the baseline",
        "story": (
            "Week 3 of the season pass unlocked at -100 min; claims rose 2.8x and "
            "were absorbed (latency unchanged, no errors). At -38 min an operator ran "
            "UpdateFunctionConfiguration on reward-claim; the cold starts right after it log "
            "`config loaded: ... SEASON_REWARD_TABLE=pass-rewards-s7` where earlier ones logged "
            "`REWARD_TABLE_NAME=...`, and within a minute ~90 % of claims fail with `KeyError: "
            "'REWARD_TABLE_NAME'` at `os.environ[...]`. API Gateway's execution log shows the same "
            "customer function error and 502s, which is what the 5xx alarm counts. A code deploy of "
            "daily-login-bonus two minutes later is the change nearest the alarm, but that function "
            "stays error-free, and the handful of DynamoDB endpoint errors in reward-claim's log "
            "are spread through all six hours."),
    }
    return sc
