"""h44-03: public API ALB listener certificate swapped to the staging wildcard; TLS handshakes fail."""
from __future__ import annotations

import json

from .common import ACCOUNT, TIMES, Rng, Scenario, counts, diurnal, iso, ramp
from .kit import alb_metrics, ecs_util, node_invoke_error, node_line, sim_lambda

REGION = "ap-southeast-2"
LB = "app/public-api-alb/9c1d4e7a2b5f8036"
TG = "targetgroup/payments-core-tg/61a0e3c9d7b2f485"
LISTENER = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/public-api-alb/9c1d4e7a2b5f8036/4e7a1c2b9d3f6058"
T0 = -1900
STACK = ["Object.checkServerIdentity (node:tls:316:12)", "TLSSocket.onConnectSecure (node:_tls_wrap:1674:27)",
         "TLSSocket.emit (node:events:519:28)", "TLSSocket._finishInit (node:_tls_wrap:1085:8)",
         "ssl.onhandshakedone (node:_tls_wrap:871:12)",
         "Axios.request (/var/task/node_modules/axios/dist/node/axios.cjs:3876:41)",
         "async notifySettlement (/var/task/src/notify.js:48:22)", "async Runtime.handler (/var/task/src/index.js:19:7)"]


def _dotnet(t, level, cat, msg, eid=0):
    return json.dumps({"Timestamp": iso(t), "EventId": eid, "LogLevel": level, "Category": cat, "Message": msg},
                      separators=(",", ":"))


def build() -> dict:
    rng = Rng(4403)
    sc = Scenario("h44-03-public-api-listener-cert-swapped", REGION,
                  "Partners and the mobile app cannot reach api.koalapay.io (TLS errors); the ALB TLS negotiation "
                  "error alarm fired.")
    sc.res("alb", LB, name="public-api-alb", scheme="internet-facing", hostnames=["api.koalapay.io"],
           dns_name="public-api-alb-20417733.ap-southeast-2.elb.amazonaws.com",
           security_groups=["sg-04b6d8f0a2c4e6183 (public-api-alb-sg: tcp 443 from 0.0.0.0/0)"],
           listeners=[{"arn": LISTENER, "port": 443, "protocol": "HTTPS",
                       "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                       "default_certificate": {"arn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/5b0e2f71-3c9a-4d18-b6e4-0f7a2c91d835",
                                               "domain": "*.stg.koalapay.io",
                                               "subject_alternative_names": ["*.stg.koalapay.io", "stg.koalapay.io"],
                                               "status": "ISSUED", "not_after": "2026-12-01"},
                       "default_action": "forward to payments-core-tg"},
                      {"port": 80, "protocol": "HTTP", "default_action": "redirect to HTTPS:443"}],
           acm_certificates_in_region=[
               {"arn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/a81c44e0-97d2-4b3f-8e15-6c2d0b9f7a14",
                "domain": "api.koalapay.io", "status": "ISSUED", "not_after": "2026-09-14", "in_use_by": []},
               {"arn": f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/5b0e2f71-3c9a-4d18-b6e4-0f7a2c91d835",
                "domain": "*.stg.koalapay.io", "status": "ISSUED", "not_after": "2026-12-01",
                "in_use_by": ["public-api-alb", "stg-api-alb"]}],
           target_groups=[{"name": "payments-core-tg", "id": TG, "port": 8080, "protocol": "HTTP", "target_type": "ip",
                           "health_check": {"path": "/healthz", "interval_s": 10, "healthy_threshold": 2}}])
    sc.res("ecs", "payments/payments-core", cluster="payments", service_name="payments-core", launch_type="FARGATE",
           task_definition="payments-core:311", desired_count=4, runtime=".NET 8 (ASP.NET Core)",
           image=f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/payments-core:3.14.0", container_port=8080,
           load_balancers=[{"target_group": "payments-core-tg", "container_port": 8080}],
           environment={"ASPNETCORE_ENVIRONMENT": "Production", "ASPNETCORE_URLS": "http://+:8080",
                        "Ledger__BaseUrl": "http://ledger.payments.local:8080"})
    sc.res("lambda", "settlement-notifier", runtime="nodejs20.x", handler="src/index.handler", timeout=20,
           memory_size=256, environment={"API_BASE_URL": "https://api.koalapay.io/v2", "NODE_OPTIONS": "--enable-source-maps"},
           triggers=["eventbridge rule settlement-batches"])

    f = lambda t: ramp(t, T0 + 10, 60)
    base = lambda t: 2100 * diurnal(t, 0.2, -4000)
    pm = {k: {} for k in ("RequestCount", "ClientTLSNegotiationErrorCount", "NewConnectionCount", "ActiveConnectionCount",
                          "HTTPCode_Target_2XX_Count", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count",
                          "HTTPCode_ELB_5XX_Count", "TargetResponseTime", "ProcessedBytes", "HealthyHostCount",
                          "UnHealthyHostCount")}
    for t in TIMES:
        b = base(t)
        req = rng.poisson(b * (1 - 0.86 * f(t)))
        conns = b * 0.31
        pm["RequestCount"][t] = req
        pm["ClientTLSNegotiationErrorCount"][t] = rng.poisson(0.8 + conns * 2.4 * 0.86 * f(t))
        pm["NewConnectionCount"][t] = rng.poisson(conns * (1 + 1.5 * f(t)))
        pm["ActiveConnectionCount"][t] = rng.poisson(conns * 3.2 * (1 - 0.7 * f(t)))
        e4 = rng.poisson(req * 0.021)
        e5 = rng.poisson(req * 0.0007)
        pm["HTTPCode_Target_4XX_Count"][t] = e4
        pm["HTTPCode_Target_5XX_Count"][t] = e5
        pm["HTTPCode_Target_2XX_Count"][t] = max(0, req - e4 - e5)
        pm["HTTPCode_ELB_5XX_Count"][t] = rng.poisson(0.05)
        pm["TargetResponseTime"][t] = rng.gauss(0.064, 0.006)
        pm["ProcessedBytes"][t] = req * rng.uniform(2300, 2500) + pm["NewConnectionCount"][t] * 4100
        pm["HealthyHostCount"][t] = 4
        pm["UnHealthyHostCount"][t] = 0
    alb_metrics(sc, LB, TG, pm)
    ecs_util(sc, rng, "payments", "payments-core", cpu=lambda t: 44 * diurnal(t, 0.2, -4000) * (1 - 0.8 * f(t)) + 3,
             mem=lambda t: 47.0 + (2.5 if t > -2650 else 0.0), running=lambda t: 4 if not -2660 < t < -2420 else 6)

    # settlement-notifier (victim calling the public hostname)
    def sn_body(t, rid, is_err, d):
        b = f"stl_{rng.hexs(10)}"
        lines = [(0.01, node_line(t, rid, "INFO", f"notifying settlement batch {b} merchants={rng.randint(3, 40)}"))]
        if is_err:
            msg = ("Hostname/IP does not match certificate's altnames: Host: api.koalapay.io. is not in the cert's "
                   "altnames: DNS:*.stg.koalapay.io, DNS:stg.koalapay.io")
            lines.append((d / 1000 - 0.01, node_line(t + d / 1000, rid, "ERROR",
                          f"POST https://api.koalapay.io/v2/settlements/{b}/notify failed code=ERR_TLS_CERT_ALTNAME_INVALID")))
            lines.append((d / 1000, node_invoke_error(t + d / 1000, rid, "Error", msg, STACK)))
        else:
            lines.append((d / 1000 - 0.01, node_line(t + d / 1000, rid, "INFO", f"settlement {b} acknowledged status=202")))
        return lines, None
    sim_lambda(sc, rng, "settlement-notifier", rate=lambda t: 6.0, err=lambda t: 0.97 * f(t),
               dur=lambda t, e: rng.gauss(95, 15) if e else rng.gauss(240, 40), body=sn_body, memory=256,
               mem_used=(88, 97), runtime="node", log_from=-10800)

    # payments-core (.NET) per-task logs; deploy of 3.14.0 replaced tasks at about -2650
    for gen, (start, stop) in enumerate(((-30000, -2520), (-2650, None))):
        for k in range(4):
            tid = rng.hexs(32)
            ev = []
            if start > -10800:
                s0 = start + k * 20
                for i, (cat, msg) in enumerate((("Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080"),
                                                ("Microsoft.Hosting.Lifetime", "Application started. Press Ctrl+C to shut down."),
                                                ("Microsoft.Hosting.Lifetime", "Hosting environment: Production"),
                                                ("KoalaPay.Payments.Startup", "payments-core 3.14.0 (build 20260317.2) ready"))):
                    ev.append((s0 + i * 0.3, _dotnet(s0 + i * 0.3, "Information", cat, msg, 14 if i == 0 else 0)))
            m = max(start + 60, -10800)
            m = int(m // 60) * 60
            end = stop + k * 15 if stop else -1
            while m < end:
                tt = m + rng.uniform(0, 4)
                rq = int(base(m) * (1 - 0.86 * f(m)) / (4 if not -2650 < m < -2520 else 8) * rng.uniform(0.9, 1.1))
                ev.append((tt, _dotnet(tt, "Information", "KoalaPay.Payments.Telemetry",
                                       f"window=60s requests={rq} p95_ms={rng.randint(88, 130)} status_4xx={int(rq * 0.021)} "
                                       f"status_5xx={rng.poisson(rq * 0.0007)}")))
                if rng.random() < 0.3:
                    tw = m + rng.uniform(5, 55)
                    ev.append((tw, _dotnet(tw, "Warning", "KoalaPay.Payments.Auth.ApiKeyHandler",
                                           f"Rejected request: API key kp_live_...{rng.hexs(4)} is revoked (merchant m_{rng.randint(100, 999)})")))
                m += 60
            if stop:
                ev.append((end, _dotnet(end, "Information", "Microsoft.Hosting.Lifetime", "Application is shutting down...")))
            sc.log("/ecs/payments-core", f"payments-core/payments-core/{tid}", ev)

    sc.change(-2650, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/payments-core", "gha-app-deploy")
    sc.change(-2648, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payments-core:311", "gha-app-deploy")
    sc.change(T0, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              LISTENER, "gha-infra-deploy")
    sc.change(-5200, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::HostedZone",
              "Z04417302HQ8V5MJ1C9EU", "r.nguyen")   # status.koalapay.io page moved to the new vendor
    sc.alarm("public-api-alb-tls-negotiation-errors", "AWS/ApplicationELB", "ClientTLSNegotiationErrorCount",
             {"LoadBalancer": LB}, "Sum", 60, 3, 50, "GreaterThanThreshold", "ALARM", T0 + 200,
             description="TLS handshakes failing on api.koalapay.io")
    sc.alarm("settlement-notifier-errors", "AWS/Lambda", "Errors", {"FunctionName": "settlement-notifier"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "ALARM", T0 + 320)
    sc.alarm("payments-core-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB},
             "Sum", 60, 5, 20, "GreaterThanThreshold", "OK", -50000)
    sc.expect("public-api-alb-tls-negotiation-errors", "config_change", ["public-api-alb", LB, LISTENER],
              [{"namespace": "AWS/ApplicationELB", "name": "ClientTLSNegotiationErrorCount", "dimensions": {"LoadBalancer": LB}},
               {"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": LB}}])
    return sc.done()
