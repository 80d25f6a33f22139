"""h96-13 gate information edge (ALB -> .NET on EC2) and h96-14 codeshare partner availability
(API Gateway -> Go Lambda -> partner NDC endpoints)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import (Scenario, alb_metrics, api_metrics, ec2_metrics, every, flight, kestrel,
                  lambda_metrics, pick, sampled, scatter)


# =========================================================================== h96-13
def build_13() -> Scenario:
    sc = Scenario(13, "gate-info-edge", "Gate screens and agent tablets intermittently show 'bad "
                  "gateway'; gate-info-edge ELB 5XX alarm.", "ap-northeast-2", 9613, "2026-04-10T09:25:00")
    lb, other_lb = "app/gate-info-edge/6c0e4a8b2f1d9357", "app/crew-portal/1b9d7f3a5e0c2846"
    ids = {"gate-info-1": "i-02e8b4d6f1a3c7590", "gate-info-2": "i-0d5f1a9c3e7b24618"}
    sc.resource("alb", lb, name="gate-info-edge", target_groups=["gate-info-tg"], idle_timeout_s=60)
    sc.resource("alb", other_lb, name="crew-portal")
    for n, iid in ids.items():
        sc.resource("ec2", iid, name=n, instance_type="m6i.large", log_groups=["/gate-info/app"])
    sc.resource("lambda", "gate-change-notifier", runtime="dotnet8", timeout=30, memory_size=256)
    spikes = [(-1320, -1020), (-930, -750), (-640, 0)]
    in_spike = lambda t: any(a <= t < b for a, b in spikes)  # noqa: E731
    req = lambda t: 920 * diurnal(sc, t, 9.0, 0.2)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.042, t5=lambda t: 0.1, e5=lambda t: 0.2 + (0.05 * req(t) if in_spike(t) else 0.0),
                healthy=lambda t: 2.0, t4=lambda t: 0.01 * req(t),
                e502=lambda t: 0.1 + (0.05 * req(t) if in_spike(t) else 0.0))
    alb_metrics(sc, other_lb, lambda t: 140.0, lambda t: 0.09, healthy=lambda t: 2.0)
    for n, iid in ids.items():
        ec2_metrics(sc, iid, (lambda t: 24 * diurnal(sc, t, 9.0, 0.2)) if n == "gate-info-1" else
                    (lambda t: 23 * diurnal(sc, t, 9.0, 0.2) + bump(t, -16200, -15600, 55, 90)),
                    mem=lambda t: 52.0, disk=lambda t: 31.0, net=lambda t: 1.8e6)

    sc.change(-16250, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline", "patch-manager")
    sc.change(-9000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "gate-change-notifier", "github-actions-airport-systems")
    sc.change(-1410, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              f"{other_lb}/listener-443", "acm-cert-rotation")

    gates = [f"{x}{n}" for x in "ABC" for n in range(10, 50, 3)]
    for n, iid in ids.items():
        g = "/gate-info/app"
        scatter(sc, g, iid, lambda t: 3.0, lambda t: kestrel(
            sc, t, "info", "Microsoft.AspNetCore.Hosting.Diagnostics",
            f"Request finished HTTP/1.1 GET http://gate-info-edge/api/gates/{pick(sc, gates)}/display - 200 "
            f"{sc.rng.randint(900, 4200)} application/json {sc.rng.uniform(8, 70):.4f}ms"))
        scatter(sc, g, iid, lambda t: 0.4, lambda t: kestrel(
            sc, t, "warn", "Microsoft.AspNetCore.Server.Kestrel",
            f"Connection id \"0HN{sc.hexid(10).upper()}\" bad request data: \"Unexpected end of request content.\""))
        scatter(sc, g, iid, lambda t: 0.15, lambda t: kestrel(
            sc, t, "fail", "GateInfo.Feeds.AodbClient",
            f"AODB push for {flight(sc, ('KE', 'OZ', 'DL', 'AF'))} rejected: stale sequence {sc.rng.randint(1000, 9999)}; ignored"))
        every(sc, g, iid, 300, lambda t: kestrel(
            sc, t, "info", "GateInfo.Diagnostics.HealthReporter",
            f"health: aodb=ok cache=ok sse_clients={sc.rng.randint(140, 210)} gc_gen2={sc.rng.randint(2, 6)}"))

    sc.alarm("gate-info-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             10, "GreaterThanThreshold", "Gate info edge: load balancer 5XX")
    sc.alarm("gate-info-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "gate-info-edge-elb-5xx",
                 "root_cause": {"category": "unknown", "resource": [lb, "gate-info-edge"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    sc.note(alarm_on="the alarmed resource (ALB); no origin can be established",
            decoys="listener certificate rotation on a different ALB 90 s before onset; Kestrel 'Unexpected end of "
                   "request content' WARNs that look related but run at the same rate for six hours; AODB "
                   "stale-sequence 'fail' lines; an old patch run with a CPU spike on gate-info-2",
            story="From -1320 s the gate-info-edge ALB returns bursts of 502s (about 5 % of requests, in three "
                  "episodes). Both targets stay healthy, Target 5XX and TargetResponseTime do not move, CPU, memory "
                  "and disk are flat, the application logs show normal 200s and nothing new, and no change touches "
                  "this ALB, its target group or its instances. The only nearby change is on another load balancer.",
            judgement="The 502s are real, but nothing in the account's metrics, logs or changes says where they "
                      "come from (it could be connection reuse between the ALB and Kestrel, or the network), so the "
                      "label is unknown; the alarmed ALB is listed as the resource.")
    return sc


# =========================================================================== h96-14
def build_14() -> Scenario:
    sc = Scenario(14, "partner-availability", "Codeshare availability lookups failing for partner "
                  "flights; partner-avail-api 5XX alarm.", "eu-west-1", 9614, "2026-04-12T11:05:00")
    api, apiid, fn, other = "partner-avail-api", "r2t8c5v1mq", "codeshare-avail-proxy", "loyalty-accrual-writer"
    sc.resource("apigateway", api, api_id=apiid, stage="prod", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=12, memory_size=512,
                environment_keys=["PARTNER_ENDPOINTS", "PARTNER_TIMEOUT"])
    sc.resource("lambda", other, runtime="provided.al2023", timeout=30, memory_size=256)
    onset = -1620
    share_ib = 0.44
    bad = lambda t: share_ib * ramp(t, onset, onset + 90)  # noqa: E731
    req = lambda t: 610 * diurnal(sc, t, 11.0, 0.2)  # noqa: E731
    api_metrics(sc, api, req, lambda t: 0.02 * req(t), lambda t: 0.3 + bad(t) * req(t),
                lambda t: 420 + 7700 * bad(t), lambda t: 400 + 7700 * bad(t))
    m = lambda_metrics(sc, fn, req, lambda t: 0.0, lambda t: 390 + 7700 * bad(t))
    m2 = lambda_metrics(sc, other, lambda t: 9.0, lambda t: 0.0, lambda t: 140.0)

    sc.change(-7200, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "gitlab-codeshare")
    sc.change(-1660, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gitlab-loyalty")

    lf = logfmt_writer("time")
    partners = {"IB": "availability.ib.partner.example", "AA": "ndc.aa.partner.example",
                "QR": "offers.qr.partner.example", "AY": "ndc-api.ay.partner.example"}

    def body(ll, t, rid, is_err, cold):
        p = "IB" if sc.rng.random() < share_ib else pick(sc, ["AA", "QR", "AY"])
        f = flight(sc, (p,))
        org, dst = pick(sc, ["DUB", "DUB", "SNN", "ORK"]), pick(sc, ["MAD", "JFK", "DOH", "HEL", "BCN"])
        lines = [(0.001, lf(sc, t, "info", "availability request", partner=p, flight=f, od=f"{org}-{dst}",
                            date="2026-04-19", request_id=rid))]
        url = f"https://{partners[p]}/v3/offers?carrier={p}&flight={f[2:]}&date=2026-04-19"
        if p == "IB" and t >= onset and sc.rng.random() < ramp(t, onset, onset + 90):
            d = 8000 + sc.rng.uniform(2, 40)
            lines.append((d / 1000, lf(sc, t + d / 1000, "error", "partner availability call failed", partner=p,
                                       err=f"Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                                       elapsed="8.0s", request_id=rid)))
            lines.append((d / 1000 + 0.001, lf(sc, t + d / 1000 + 0.001, "info", "responding", status=504, partner=p, request_id=rid)))
            return {"lines": lines, "dur": d + 3}
        if p == "AA" and sc.rng.random() < 0.05:
            d = 3000 + sc.rng.uniform(0, 20)
            lines.append((d / 1000, lf(sc, t + d / 1000, "error", "partner availability call failed", partner=p,
                                       err=f"Get \"{url}\": net/http: TLS handshake timeout", elapsed="3.0s", request_id=rid)))
            lines.append((d / 1000 + 0.001, lf(sc, t + d / 1000 + 0.001, "info", "responding", status=200, partner=p,
                                               served_from="cache", request_id=rid)))
            return {"lines": lines, "dur": d + 3}
        d = sc.rng.uniform(180, 620)
        if sc.rng.random() < 0.06:
            lines.append((d / 1000, lf(sc, t + d / 1000, "warn", "partner returned 409", partner=p, code="OFFER_EXPIRED",
                                       request_id=rid)))
        lines.append((d / 1000 + 0.001, lf(sc, t + d / 1000 + 0.001, "info", "responding", status=200, partner=p,
                                           offers=sc.rng.randint(1, 9), elapsed_ms=int(d), request_id=rid)))
        return {"lines": lines, "dur": d + 3}
    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 12, mem_used=(44, 4))
    inv_l, err_l = sampled(m, -16200, 4)
    ll.run(inv_l, err_l, body)

    def body2(ll2, t, rid, is_err, cold):
        return {"lines": [(0.01, lf(sc, t, "info", "accrual written", member=f"LY{sc.rng.randint(10 ** 7, 10 ** 8)}",
                                    miles=sc.rng.randint(300, 4200)))], "dur": sc.rng.uniform(90, 200)}
    ll2 = LambdaLogs(sc, other, "provided.al2023", 256, 30, retire=(-1660,), mem_used=(38, 3))
    i2, e2 = sampled(m2, -16200, 1)
    ll2.run(i2, e2, body2)

    grp, st = f"API-Gateway-Execution-Logs_{apiid}/prod", sc.hexid(32)
    scatter(sc, grp, st, lambda t: 0.5, lambda t: f"({sc.uuid()}) Method completed with status: {pick(sc, (400, 404))}")
    scatter(sc, grp, st, lambda t: 4 * bad(t), lambda t: f"({sc.uuid()}) Method completed with status: 504", onset, 0)

    sc.alarm("partner-avail-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Partner availability API 5XX")
    sc.alarm("codeshare-avail-proxy-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.alarm("codeshare-avail-proxy-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 1, 2500,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "partner-avail-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="front (API Gateway) - origin is outside the account, reached through the Lambda behind it",
            decoys="deploy of loyalty-accrual-writer 40 s before onset; an API deployment 2 h earlier; long-standing "
                   "AA TLS-handshake timeouts and 409 OFFER_EXPIRED WARNs; the Lambda's Errors alarm stays OK "
                   "because the proxy answers 504 itself",
            story="From -1620 s every availability call to the IB partner's NDC endpoint times out after the 8 s "
                  "client timeout (`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`); the "
                  "proxy answers 504, so API Gateway 5XX rises to ~44 % of requests while Lambda Errors stays at zero "
                  "and Duration jumps. Calls to the other partners keep succeeding; the AA handshake timeouts run at "
                  "the same low rate all six hours.",
            judgement="The failing dependency is a partner's HTTP API outside the account, so the origin that can "
                      "be named is the in-account caller, codeshare-avail-proxy; the API in front is not accepted.")
    return sc


BUILDERS = [build_13, build_14]
