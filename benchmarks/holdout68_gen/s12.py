"""h68-12: rating settlement crashes on first placement matches of a new season (latent bug, no change)."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import apigw_family, emit, lam_deploy, lambda_family, lambda_logs, ramp
from .runtimes import LambdaLogs

SEASON, ONSET, DECOY = -2520, -2160, -2220


def build() -> Scenario:
    sc = Scenario(12, "season-settle-errors", "Placement matches not awarding rating in the new ranked "
                  "season; settlement Lambda Errors alarm.", "eu-north-1", 6812, "2026-12-02T16:15:00")
    rng = sc.rng
    fn, mc, api = "rating-settle", "match-close", "ranked-api"
    sc.resource("lambda", fn, runtime="python3.12", memory_size=512, timeout=20, trigger="SQS match-closed",
                last_modified="2026-11-18T09:12:44Z")
    sc.resource("lambda", mc, runtime="python3.12", memory_size=256, timeout=15)
    sc.resource("apigateway", api, stage="prod")
    load = lambda t: diurnal(sc, t, 17, 0.25) * (1 + 0.6 * ramp(t, SEASON, SEASON + 900))
    bug = lambda t: ramp(t, ONSET, ONSET + 240)
    m = lambda_family(sc, fn, lambda t: 170 * load(t), lambda t: 0.0004 + 0.31 * bug(t),
                      lambda t: 120 + 10 * (load(t) - 1))
    lambda_family(sc, mc, lambda t: 170 * load(t), lambda t: 0.0006, lambda t: 60)
    apigw_family(sc, api, lambda t: 2100 * load(t), lambda t: 48 + 30 * ramp(t, DECOY, DECOY + 60)
                 * (1 - ramp(t, DECOY + 180, DECOY + 300)), e4=lambda t: 9 * load(t))

    ll = LambdaLogs(sc, fn, "python3.12", 512, 20, mem_used=(101, 5))

    def body(ll, t, rid, is_err, cold):
        f = lambda dt, lvl, msg: (dt, ll.fmt(t + dt, rid, lvl, msg))
        season = "s14" if t >= SEASON else "s13"
        place = t >= SEASON and (is_err or rng.random() < 0.25)
        match = f"m_{sc.hexid(12)}"
        lines = [f(0.003, "INFO", f"settling match {match} season={season} mode=ranked-5v5 players=10 "
                                  f"placement={'true' if place else 'false'}")]
        if is_err and t >= ONSET:
            lines.append((0.04, "[ERROR] ZeroDivisionError: division by zero\nTraceback (most recent call last):\n"
                          "  File \"/var/task/mmr/handler.py\", line 34, in lambda_handler\n"
                          "    deltas = adjust.settle(match)\n"
                          "  File \"/var/task/mmr/adjust.py\", line 57, in settle\n"
                          "    winrate = p.season_wins / p.season_games\n"
                          "              ~~~~~~~~~~~~~~^~~~~~~~~~~~~~~~"))
            return {"dur": rng.uniform(30, 70), "lines": lines}
        if is_err:
            lines.append((0.9, "[ERROR] ClientError: An error occurred (InternalServerError) when calling the "
                          "UpdateItem operation (reached max retries: 2): Internal server error\n"
                          "Traceback (most recent call last):\n  File \"/var/task/mmr/store.py\", line 81, in save"))
            return {"dur": rng.uniform(800, 1500), "lines": lines}
        if rng.random() < 0.03:
            lines.append(f(0.01, "ERROR", f"match {match} already settled, skipping (duplicate SQS delivery)"))
        else:
            lines.append(f(0.1, "INFO", f"settled {match}: mmr deltas "
                                        f"{', '.join(str(rng.randint(-28, 28)) for _ in range(3))}, ..."))
        return {"dur": rng.lognormvariate(4.75, 0.25), "lines": lines}

    lambda_logs(ll, m, body, per_min=3, err_min=1)

    cl = LambdaLogs(sc, mc, "python3.12", 256, 15, retire=[-5100 + 17], epochs=[(-10 ** 9, "88"), (-5100 + 17, "89")])

    def close(ll, t, rid, is_err, cold):
        init = [(0.01, f"[INFO]\t{sc.iso(t)}\tmatch-close {'2.14.0' if t > -5100 else '2.13.2'} ready")] if cold else []
        return {"dur": rng.gauss(60, 8), "init_lines": init, "lines": [
            (0.02, ll.fmt(t + 0.02, rid, "INFO", f"match m_{sc.hexid(12)} closed, published to match-closed"))]}
    cl.run({t: 1 for t in range(-21600, 0, 60) if rng.random() < 0.6}, {}, close)

    ag, st = f"/aws/apigateway/{api}/access", "prod-7c1e"
    emit(sc, ag, st, lambda t: 2.0 * load(t), lambda t: (
        f"{sc.ip('10.9')} - - [{sc.at(t).strftime('%d/%b/%Y:%H:%M:%S')} +0000] \"GET "
        f"/prod/{rng.choice(['queue/status', 'profile/rank', 'season/current'])} HTTP/1.1\" 200 "
        f"{rng.randint(90, 2400)} {sc.uuid()}"))

    sc.alarm("rating-settle-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Rating settlement failures")
    sc.alarm("match-close-errors", "AWS/Lambda", "Errors", {"FunctionName": mc}, "Sum", 60, 3, 5, "GreaterThanThreshold")
    sc.alarm("ranked-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60, 2, 70,
             "GreaterThanThreshold")
    lam_deploy(sc, -5100, mc, "gha-ranked", alias=False)
    sc.change(DECOY, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "gha-ranked")
    sc.change(DECOY + 6, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "gha-ranked")
    sc.expect = {"alarm": "rating-settle-errors",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin",
        "services": ["lambda", "apigateway"], "runtime": "Python 3.12 Lambda, API Gateway access log (CLF)",
        "decoys": "ranked-api deployment + stage update 1 min before onset (and its latency alarm flap); "
                  "match-close deploy at -85 min; handled 'already settled' ERROR lines at a steady 3 %",
        "story": (
            "Ranked season 14 rolled over on schedule at -42 min (rating-settle's lines switch from "
            "season=s13 to season=s14; there is no code or configuration change to the function, last "
            "modified two weeks ago). Once the first placement "
            "matches close, about 30 % of settlements crash with `ZeroDivisionError: division by zero` at "
            "`winrate = p.season_wins / p.season_games` in mmr/adjust.py, each on a `placement=true` "
            "match where players have no games yet in the new season; load is up only ~1.6x. The "
            "ranked-api deployment a minute before the first crash is the nearest change, but that API "
            "does not invoke rating-settle (it is fed by match-close over SQS) and its latency blip "
            "cleared; match-close was deployed 85 minutes earlier and has no errors. The `already "
            "settled` ERROR lines are handled duplicates present all day."),
        "judgement": "The season rollover is a calendar event, not a deployment or configuration change of the "
                     "function (nothing in CloudTrail touches it), and the error is a code bug exposed by new data: application_error.",
    }
    return sc
