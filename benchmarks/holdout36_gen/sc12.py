"""h36-12 Fri 15:45 EDT, identity (CamelCase ASG): identity-int-prd ELB 5xx.

Intermittent load-balancer-generated 502s on the internal identity ALB with nothing behind
them: targets healthy and fast, no target errors, no traffic change, no change in CloudTrail.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ec2, rds
from .lam import Lambda, Outcome

LB, NAME = "app/identity-int-prd/8b0d2f4a6c8e0135", "identity-int-prd"
ASG, FN, DB = "IdentityApiProd", "IdentityTokenCleanup", "identity-aurora-pg-prd-instance-1"
IIDS = ["i-0d1f3a5c7e9b2d4f6", "i-0e2a4b6d8f0c3e5a7", "i-0f3b5c7e9a1d4f6b8"]
T0 = -1080

META = {
    "region": "us-east-1", "category": "unknown", "front": "origin (the ALB)",
    "resources": [NAME, LB],
    "decoys": "IdentityTokenCleanup deploy 3 h earlier and its chronically firing duration alarm; "
              "steady HSM-latency WARNs in the API log; Aurora healthy",
    "story": (
        "The internal identity ALB pages on HTTPCode_ELB_5XX: since -18 min it returns a few "
        "to ~20 load-balancer-generated 502s a minute out of ~2,300 requests. Nothing else "
        "moves: the three IdentityApiProd targets stay healthy, target response time is flat at "
        "~30 ms, target 5xx and target connection errors stay at their usual zero-to-one, CPU "
        "and memory are flat, the Kestrel logs show no errors, resets or restarts, request "
        "volume is normal and CloudTrail has no change to the ALB, the ASG or the instances (the "
        "only deploy, to the cleanup Lambda, was three hours earlier and that Lambda's alarm "
        "has been firing for days). The evidence does not point at any resource or mechanism in "
        "the table (a transient ALB-node problem or a keep-alive race are guesses, not "
        "findings): unknown, on the ALB where the symptom is."),
}


def build() -> Scenario:
    s = Scenario(12, "identity-alb-sporadic-502", 3612, "us-east-1",
                 "Paged 15:45 EDT by identity-int-prd-elb-5xx; a few users briefly saw "
                 "'sign-in failed, try again'.", "2026-03-13T19:45:00", -4)
    r = s.rng
    s.resource("alb", LB, name=NAME, scheme="internal", idle_timeout_s=60)
    for iid in IIDS:
        s.resource("ec2", iid, name="identity-api-prd", instance_type="m6i.large", autoscaling_group=ASG,
                   log_groups=["/identity/prd/api"])
    s.resource("lambda", FN, runtime="dotnet8", timeout=300, memory_size=512, schedule="rate(15 minutes)")
    s.resource("rds", DB, engine="aurora-postgresql", engine_version="15.5", instance_class="db.r6g.large",
               cluster="identity-aurora-pg-prd", max_connections=1800)

    on = lambda t: smooth(t, T0, T0 + 30)
    req = lambda t: 2400 * s.diurnal(t, 0.25, 14, 5)

    def elb5(t):
        if on(t) < 0.5:
            return 1 if r.random() < 0.02 else 0
        return r.choice([3, 6, 8, 11, 14, 17, 20, 9, 5])
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(req(t), 0.04),
        "TargetResponseTime": lambda t: s.noise(0.031, 0.08),
        "HTTPCode_Target_5XX_Count": lambda t: r.choice([0, 0, 0, 1]),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(0.03 * req(t), 0.1),
        "HTTPCode_ELB_5XX_Count": elb5,
        "TargetConnectionErrorCount": lambda t: 1 if r.random() < 0.03 else 0,
        "HealthyHostCount": lambda t: 3, "UnHealthyHostCount": lambda t: 0,
        "ActiveConnectionCount": lambda t: s.noise(req(t) * 0.21, 0.05),
    })
    for iid in IIDS:
        ec2(s, iid, {"CPUUtilization": lambda t: s.noise(17 + 14 * s.diurnal(t, 0.25, 14, 5), 0.08),
                     "NetworkIn": lambda t: s.noise(req(t) * 900, 0.05), "NetworkOut": lambda t: s.noise(req(t) * 1500, 0.05),
                     "StatusCheckFailed": lambda t: 0, "mem_used_percent": lambda t: s.noise(58, 0.015),
                     "disk_used_percent": lambda t: s.noise(44.1, 0.002)})
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(24, 0.08), "DatabaseConnections": lambda t: s.noise(96, 0.04),
                "FreeableMemory": lambda t: s.noise(6.1 * GB, 0.01), "ReadLatency": lambda t: s.noise(0.0007, 0.1),
                "WriteLatency": lambda t: s.noise(0.0011, 0.1)})

    api = Fleet(s, "/identity/prd/api")
    for iid in IIDS:
        api.host(iid)
    routes = [("POST", "/connect/token", 200), ("GET", "/.well-known/openid-configuration", 200),
              ("POST", "/connect/introspect", 200), ("GET", "/connect/userinfo", 200), ("POST", "/connect/token", 400)]

    def req_log(t, m):
        meth, path, st = r.choice(routes)
        api.emit(m, t, L.serilog(s, t, "Information",
                                 "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                                 RequestMethod=meth, RequestPath=path, StatusCode=st, Elapsed=round(r.uniform(4, 60), 4),
                                 SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware",
                                 RequestId=f"0HN{s.hexid(9).upper()}:{r.randint(1, 99):08X}", ConnectionId=f"0HN{s.hexid(9).upper()}"))
    api.spread(-7200, 0, lambda t: 30, req_log, warm=0, drain=0)
    api.spread(-7200, 0, lambda t: 1.2, lambda t, m: api.emit(m, t, L.serilog(
        s, t, "Warning", "HSM signing call took {ElapsedMs} ms (threshold {Threshold} ms)", ElapsedMs=r.randint(250, 480),
        Threshold=250, SourceContext="Identity.Signing.CloudHsmSigner")), warm=0, drain=0)
    api.spread(-7200, 0, lambda t: 0.2, lambda t, m: api.emit(m, t, L.serilog(
        s, t, "Information", "Refreshed signing key cache: {KeyCount} keys", KeyCount=3,
        SourceContext="Identity.Signing.KeyCache")), warm=0, drain=0)

    def cleanup(t):
        v = "1.4.2" if t >= -10800 else "1.4.1"
        return Outcome("ok", r.uniform(96000, 118000), r.randint(180, 220),
                       [(0.05, None, f"info: IdentityTokenCleanup[0] cleanup {v} starting"),
                        (95.0, None, f"info: IdentityTokenCleanup[0] deleted {r.randint(20000, 60000)} expired grants")])
    Lambda(s, FN, "dotnet8", 512, 300, log_start=-7200,
           versions=[(-10 ** 9, "a", "$LATEST"), (-10795, "b", "$LATEST")]).run(
        lambda t: 1.0 if t % 900 == 0 else 0.0, cleanup, exact=True)
    s.change(-10800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN,
             "azure-devops-identity")

    dims = {"LoadBalancer": LB}
    s.alarm("identity-int-prd-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims,
            alb_pts["HTTPCode_ELB_5XX_Count"], "Sum", 300, 1, 20, "GreaterThanThreshold",
            "Identity internal ALB: 5xx generated by the load balancer")
    s.quiet_alarm(f"{FN}-duration", "AWS/Lambda", "Duration", {"FunctionName": FN}, "Maximum", 900, 1, 90000,
                  "GreaterThanThreshold", state="ALARM", changed=-255600,
                  reason="Threshold Crossed: 1 out of the last 1 datapoints [104211.5 (10/03/26 20:45:00)] were "
                         "greater than the threshold (90000.0) (minimum 1 datapoints for OK -> ALARM transition).")
    s.expect("identity-int-prd-elb-5xx", "unknown", META["resources"],
             [anomaly("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims)])
    s.meta = META
    return s
