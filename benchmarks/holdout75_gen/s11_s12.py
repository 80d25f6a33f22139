"""h75-11 (one open-banking aggregator multiplies its polling of the PSD2 account-information
API) and h75-12 (FX revaluation service throws on a decimal overflow with no change anywhere)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import serilog
from .common75 import (alb_pack, apigw_pack, biz, const, ecs_pack, emit, lambda_logs,
                       lambda_pack, new, plus, rds_pack, stacktrace_dotnet, tid)


def build11():
    sc = new(11, "open-banking-latency", "PSD2 account-information API latency alarm; TPPs "
             "complain about slow balance reads.", "eu-west-3", "2026-03-17T07:50:00")
    api, other, fn, db = "psd2-aisp", "psd2-pis", "aisp-accounts", "obk-pg-ro1"
    onset, decoy, dep = -1620, -1680, -4800
    sc.resource("apigateway", api, stage="v1", api_id="pz81xq3k2d", throttling_burst=5000,
                throttling_rate=2500)
    sc.resource("apigateway", other, stage="v1", api_id="m4t0c7ye9w")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=20, memory_size=1024)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=1700, allocated_storage_gb=400, role="read replica")
    base = biz(sc, 300, peak=10.0, amp=0.3)
    surge = lambda t: 1650 * ramp(t, onset, onset + 240)
    cnt = plus(base, surge)
    s = lambda t: ramp(t, onset, onset + 240)
    apigw_pack(sc, api, cnt, lambda t: cnt(t) * 0.006, lambda t: 0.2 + cnt(t) * 0.004 * s(t),
               lambda t: 140 + 720 * s(t), integ=lambda t: 118 + 700 * s(t))
    apigw_pack(sc, other, biz(sc, 60), lambda t: 0.6, const(0.1), const(210.0))
    dur = lambda t: 105 + 690 * s(t)
    lam = lambda_pack(sc, fn, cnt, lambda t: cnt(t) * 0.004 * s(t), dur)
    rds_pack(sc, db, lambda t: 24 + 36 * s(t), lambda t: 60 + 210 * s(t), const(301.0),
             const(13.0), read_ms=lambda t: 0.8 + 1.2 * s(t), iops=const(90.0),
             extra=[("ReplicaLag", "Seconds", lambda t: 0.4 + bump(t, -12000, -11400, 40))])
    sc.alarm("psd2-aisp-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 60,
             5, 500, "GreaterThanThreshold", "AISP API average latency (RTS 99.5% SLA)")
    sc.alarm("obk-pg-ro1-replica-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": db},
             "Maximum", 60, 3, 30, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             fn, "gha-openbanking"),
            (decoy, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", other,
             "gha-openbanking"),
            (decoy + 12, "apigateway.amazonaws.com", "CreateDeployment",
             "AWS::ApiGateway::Deployment", other, "gha-openbanking")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    tpps = ["PSDFR-ACPR-17418", "PSDGB-FCA-793512", "PSDDE-BAFIN-150021", "PSDNL-DNB-R168321",
            "PSDFR-ACPR-16720"]
    hot = tpps[0]
    g = f"API-Gateway-Access-Logs_{api}/v1"
    st = sc.hexid(32)

    def acc(t):
        tpp = hot if r.random() < surge(t) / max(cnt(t), 1) else r.choice(tpps)
        lat = int(r.gauss(140 + 720 * s(t), 60))
        code = 504 if r.random() < 0.004 * s(t) else 200
        return json.dumps({"requestId": sc.uuid(), "ip": f"52.47.{r.randint(1, 250)}.{r.randint(1, 250)}",
                           "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                           "httpMethod": "GET", "resourcePath": r.choice([
                               "/accounts", "/accounts/{accountId}/balances",
                               "/accounts/{accountId}/transactions"]),
                           "status": code, "responseLatency": max(30, lat),
                           "clientId": tpp, "consentId": f"cns-{r.randint(10 ** 7, 10 ** 8)}",
                           "psuInitiated": r.random() < 0.15 and tpp != hot})
    emit(sc, g, st, lambda t: 4.0 * cnt(t) / 300 ** 0.5 / 17, acc)

    def body(ll, t, rid, is_err, cold):
        lines = []
        if r.random() < 0.03:
            lines.append((0.01, ll.fmt(t, rid, "WARN", "consent expires within 7 days; TPP "
                                       "should re-authenticate PSU")))
        if is_err:
            lines.append((0.02, ll.fmt(t, rid, "ERROR", "Task aborted by API Gateway after 29 s "
                                       "integration timeout (client disconnected)")))
            return {"dur": r.gauss(dur(t), 80), "lines": lines}
        lines.append((0.05, ll.fmt(t, rid, "INFO", f"GET /accounts tpp={hot if r.random() < surge(t) / max(cnt(t), 1) else r.choice(tpps)} "
                                   f"accounts={r.randint(1, 6)} db_ms={r.randint(1, 6)}")))
        return {"dur": max(30, r.gauss(dur(t), 60)), "lines": lines}
    lambda_logs(sc, fn, "nodejs22.x", 1024, 20, lam["inv"], lam["err"], body, per_min=2.5,
                err_cap=2, retire=[dep])
    sc.expect = {"alarm": "psd2-aisp-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Count",
                                "dimensions": {"ApiName": api}}]}
    sc.meta = dict(front="origin (the surge arrives at the API)",
                   services="API Gateway (JSON access log), Lambda (Node.js 22), RDS PostgreSQL replica",
                   decoys=f"stage update + deployment on `{other}` 1 min before onset; `{fn}` "
                          "deployed 80 min earlier; consent-expiry warnings; a replica-lag blip "
                          "3 h earlier and its (OK) alarm",
                   story=(
        f"At -27 min requests to `{api}` go from ~300 to ~1,950 a minute within four minutes; the "
        f"JSON access log shows almost all the extra calls come from one TPP (`{hot}`) polling "
        "balances without a PSU present. Latency rises to ~850 ms because the function fans out "
        "(concurrency and cold starts up, replica CPU to ~60 %); there are no throttles, no "
        "dependency errors and only a trickle of 504s. The stage update on the payments API a "
        "minute earlier touches a different API, and the function's deploy 80 minutes before "
        "changed nothing."))
    return sc


def build12():
    sc = new(12, "treasury-fx-5xx", "Treasury internal ALB 5XX alarm; FX revaluation screens "
             "failing for some books.", "ap-south-1", "2026-03-19T11:05:00")
    lb = "app/treasury-int/b81e3c0f55a27d94"
    cl, svc, other, db = "treasury", "fx-reval", "limits-api", "trsy-sql-01"
    onset, decoy = -1740, -1900
    sc.resource("alb", lb, name="treasury-int", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, runtime="dotnet8")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, runtime="dotnet8")
    sc.resource("rds", db, engine="sqlserver-se", engine_version="15.00.4365.2.v1",
                instance_class="db.m6i.xlarge", max_connections=32767, allocated_storage_gb=500)
    req = biz(sc, 260, peak=8.0, amp=0.3)
    bad = lambda t: 0.22 * (t >= onset)
    alb_pack(sc, lb, req, lambda t: 0.2 + req(t) * bad(t), lambda t: 0.18 + 0.01 * (t >= onset), 5)
    ecs_pack(sc, cl, svc, const(21.0), const(48.0), const(3.0))
    ecs_pack(sc, cl, other, lambda t: 15 + bump(t, decoy, decoy + 200, 22), const(40.0),
             lambda t: 2 + 2 * (decoy <= t < decoy + 240))
    rds_pack(sc, db, lambda t: 26 + bump(t, onset - 200, onset + 500, 24), const(95.0),
             const(320.0), const(11.0), read_ms=const(1.1))
    sc.alarm("treasury-int-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 300, 1, 40, "GreaterThanThreshold",
             "Treasury internal services 5XX")
    sc.alarm("trsy-sql-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 1, 45, "GreaterThanThreshold")
    for t, src, ev, rt, name, user in [
            (-17000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
             "azdo-treasury"),
            (decoy - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "limits-api:58", "azdo-treasury"),
            (decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
             "azdo-treasury"),
            (onset - 240, "rds.amazonaws.com", "StartExportTask", "AWS::RDS::DBSnapshot",
             "trsy-sql-01-eod", "treasury-dwh")]:
        sc.change(t, src, ev, rt, name, user)
    r = sc.rng
    group = f"/ecs/{svc}"
    streams = [f"ecs/{svc}/{tid(sc)}" for _ in range(3)]
    pick = lambda t: r.choice(streams)
    src = "Northbank.Treasury.FxReval"
    emit(sc, group, pick, const(2.5), lambda t: serilog(
        sc, t, "INF", f"{src}.Api.RevaluationController",
        f"Revalued book {r.choice(['TRD-EUR-01', 'TRD-USD-02', 'ALM-INR-01', 'CORP-GBP-03'])}: "
        f"{r.randint(200, 4000)} positions, MTM delta {r.uniform(-9e5, 9e5):,.2f} INR in "
        f"{r.randint(90, 400)} ms"))
    emit(sc, group, pick, const(0.7), lambda t: serilog(
        sc, t, "WRN", f"{src}.Rates.RateProvider", "No closing rate for XAU/INR on 2026-03-18; "
        "position skipped from revaluation"), start=-21600)
    trace = stacktrace_dotnet("System.OverflowException", "Value was either too large or too "
                              "small for a Decimal.", [
        "System.Number.ThrowOverflowException(String message)",
        "System.Decimal.DecCalc.VarDecMul(DecCalc& d1, DecCalc& d2)",
        "System.Decimal.op_Multiply(Decimal d1, Decimal d2)",
        f"{src}.Domain.Position.MarkToMarket(Decimal rate) in /src/FxReval/Domain/Position.cs:line 57",
        f"{src}.Services.RevaluationService.RevalueAsync(BookId book, DateOnly date) in "
        "/src/FxReval/Services/RevaluationService.cs:line 113",
        f"{src}.Api.RevaluationController.Post(RevalRequest req) in "
        "/src/FxReval/Api/RevaluationController.cs:line 44"])
    emit(sc, group, pick, lambda t: 3.0 if t >= onset else 0.0, lambda t: serilog(
        sc, t, "ERR", "Microsoft.AspNetCore.Server.Kestrel",
        f'Connection id "0HN{sc.hexid(9).upper()}", Request id "0HN{sc.hexid(9).upper()}:00000002": '
        "An unhandled exception was thrown by the application.\n" + trace))
    emit(sc, group, pick, lambda t: 0.5 if t >= onset else 0.0, lambda t: serilog(
        sc, t, "INF", f"{src}.Rates.RateProvider", "Loaded 162 closing rates from Refinitiv "
        "(incl. VND/INR 0.0033, IDR/INR 0.0052, ZWG/INR 3.1e+09)"))
    og = f"/ecs/{other}"
    os_ = [f"ecs/{other}/{tid(sc)}" for _ in range(4)]
    emit(sc, og, lambda t: r.choice(os_[:2] if t < decoy + 120 else os_[2:]), const(1.2),
         lambda t: serilog(sc, t, "INF", "Northbank.Treasury.Limits.Api", f"Limit check "
                           f"cpty={r.randint(10000, 99999)} utilisation={r.uniform(0.1, 0.9):.0%} "
                           "result=OK"))
    sc.expect = {"alarm": "treasury-int-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="front (ALB; origin is the ECS service behind it)",
                   services="ALB, ECS Fargate (.NET 8, Serilog), RDS SQL Server",
                   decoys=f"`{other}` rolled out 3 min before onset; an RDS snapshot export and DB "
                          "CPU bump (with its own alarm) around onset; missing-XAU warnings all day",
                   story=(
        f"From -29 min about a fifth of requests to `{svc}` fail with an unhandled "
        "`System.OverflowException: Value was either too large or too small for a Decimal` in "
        "`Position.MarkToMarket`. The same minute the service logs a rate load that includes an "
        "absurd ZWG/INR quote; nothing in the account changed for this service (last deployed "
        f"4.7 h ago), its CPU and memory are flat and the database answers normally. The "
        f"`{other}` roll-out three minutes earlier and the DWH snapshot export that bumps the "
        "SQL Server CPU are coincidences with no errors attached."))
    return sc


BUILDERS = [build11, build12]
