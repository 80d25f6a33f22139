"""h19-15: a CodeDeploy release of a Go service panics on international rates (bad_deployment, EC2 origin, ALB front alarm)."""
from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from .common import LOG_START, START, Case, bump, counts, diurnal, wobble

SLUG = "h19-15-shipping-api-release-panic"
DEPLOY = -2520
NODES = {"i-0a7c3e5b9d1f20486": ("shipping-api-1", "ip-10-80-1-23", DEPLOY + 70),
         "i-06f2b4d8a1c3e5079": ("shipping-api-2", "ip-10-80-2-57", DEPLOY + 170)}
LB = "app/shipping-alb/1c3e5a7b9d2f4068"

META = {
    "front": "front (ALB)",
    "decoys": "previous CodeDeploy release 5.5 h earlier (ran cleanly); constant address-validation 422 errors "
              "and carrier cache-miss warnings",
    "story": (
        "Jenkins started CodeDeploy deployment of `shipping-api` 3.18.0 to the `shipping-api-prod` group (-42 min), "
        "one instance at a time; the CodeDeploy agent logs on both EC2 instances show the lifecycle hooks and the "
        "app logs `starting shipping-api version=3.18.0`. From each instance's restart on, international "
        "`POST /v1/rates` requests hit `http: panic serving ...: runtime error: invalid memory address or nil "
        "pointer dereference` in `rates.(*Calculator).customsFee`; the connection is dropped and the ALB returns "
        "502 (ELB 5XX alarm). The panic never appears under 3.17.2. The earlier 3.17.2 release ran for hours "
        "without it; the 422 address-validation errors and cache-miss warnings are constant. Instances are "
        "healthy and not saturated. A deployment with a new error signature right after it; the deployed app on "
        "both instances is the origin."),
}


def panic_trace(c: Case, ts: float, peer: str, gor: int) -> str:
    return (f"{c.stamp(ts, '%Y/%m/%d %H:%M:%S')} http: panic serving {peer}: runtime error: invalid memory address or "
            "nil pointer dereference\n"
            f"goroutine {gor} [running]:\n"
            "net/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1903 +0xbe\n"
            "panic({0x9b4e20?, 0x10d8a50?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
            "github.com/parcelly/shipping-api/internal/rates.(*Calculator).customsFee(...)\n"
            "\t/build/internal/rates/customs.go:88\n"
            "github.com/parcelly/shipping-api/internal/rates.(*Calculator).Quote(0xc0001a2000, {0xc000f3a1e0, 0x2, 0x2}, ...)\n"
            "\t/build/internal/rates/calculator.go:142 +0x3c5\n"
            "github.com/parcelly/shipping-api/internal/api.(*Handler).Rates(0xc00012e0f0, {0xb8d3f0, 0xc0004a61c0}, 0xc000512360)\n"
            "\t/build/internal/api/rates.go:57 +0x1f2\n"
            "net/http.HandlerFunc.ServeHTTP(0xc000512240?, {0xb8d3f0?, 0xc0004a61c0?}, 0x0?)\n"
            "\t/usr/local/go/src/net/http/server.go:2171 +0x29\n"
            "net/http.(*conn).serve(0xc0003b8360, {0xb8f0a8, 0xc00020f6b0})\n\t/usr/local/go/src/net/http/server.go:2044 +0x5e8\n"
            "created by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3290 +0x4b4")


def codedeploy_lines(c: Case, s, start: float, dep_id: str, rng) -> float:
    ts = start
    s.add(ts, f"{c.stamp(ts, '%Y-%m-%dT%H:%M:%S')} INFO  [codedeploy-agent(2917)]: [Aws::CodeDeployAgent::InstanceAgent::"
              f"Plugins::CodeDeployPlugin::CommandPoller]: Received command: DownloadBundle for deployment {dep_id}")
    for hook in ("ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart",
                 "ValidateService"):
        ts += float(rng.uniform(3, 8))
        s.add(ts, f"{c.stamp(ts, '%Y-%m-%dT%H:%M:%S')} INFO  [codedeploy-agent(2917)]: [Aws::CodeDeployAgent::"
                  f"InstanceAgent::Plugins::CodeDeployPlugin::CommandExecutor]: Executing command: {hook}")
        ts += 0.5
        s.add(ts, f"{c.stamp(ts, '%Y-%m-%dT%H:%M:%S')} INFO  [codedeploy-agent(2917)]: [Aws::CodeDeployAgent::"
                  f"InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller]: Calling PutHostCommandComplete: "
                  f"\"Succeeded\" for command {int(rng.integers(10000, 99999))}")
    return ts


def build() -> Case:
    c = Case(SLUG, 1915, "us-east-1", datetime(2026, 11, 23, 16, 30),
             "Checkout shipping quotes failing intermittently; shipping-alb 5XX alarm in ALARM.")
    rng, ids, t = c.rng, c.ids, c.t
    n = len(t)
    for iid, (name, _h, _r) in NODES.items():
        c.resource("ec2", iid, name=name, instance_type="c6i.large", codedeploy_application="shipping-api",
                   deployment_group="shipping-api-prod", log_groups=["/shipping-api/app", "/aws/codedeploy-agent"])
    c.resource("alb", LB, name="shipping-alb", scheme="internal")

    shape = diurnal(t, 5400, 0.3) * (1 + wobble(rng, n, 0.06))
    req = {iid: counts(rng, 34 * shape) for iid in NODES}
    e502 = np.zeros(n)
    e422 = np.zeros(n)
    app = {iid: c.stream("/shipping-api/app", iid) for iid in NODES}
    agent = {iid: c.stream("/aws/codedeploy-agent", iid) for iid in NODES}
    old_dep, new_dep = f"d-{ids.alnum(9, True)}", f"d-{ids.alnum(9, True)}"
    for k, (iid, (name, host, restart)) in enumerate(NODES.items()):
        s = app[iid]
        old_restart = -19800 + 15 + 95 * k
        if old_restart >= LOG_START:
            raise AssertionError("old release should precede the log window")
        end = codedeploy_lines(c, agent[iid], restart - 45, new_dep, rng)
        s.add(restart, json.dumps({"level": "info", "ts": round(c.epoch(restart), 3), "caller": "cmd/server/main.go:54",
                                   "msg": "starting shipping-api", "version": "3.18.0", "commit": "9f2c1ab"}))
        s.add(restart - 2, json.dumps({"level": "info", "ts": round(c.epoch(restart - 2), 3), "caller": "cmd/server/main.go:91",
                                       "msg": "shutting down", "version": "3.17.2", "signal": "terminated"}))
        for i, t0 in enumerate(t):
            for ts in np.sort(t0 + rng.uniform(0, 60, int(req[iid][i]))):
                if restart - 3 < ts < restart + 4:
                    continue
                rates = rng.random() < 0.62
                intl = rates and rng.random() < 0.19
                if intl and ts > restart:
                    e502[i] += 1
                    if ts >= LOG_START:
                        s.add(ts, panic_trace(c, ts, f"10.80.{int(rng.integers(0, 4))}.{int(rng.integers(10, 250))}:"
                                                     f"{int(rng.integers(32768, 60999))}", int(rng.integers(1000, 90000))))
                    continue
                if not rates and rng.random() < 0.012:
                    e422[i] += 1
                    if ts >= LOG_START:
                        s.add(ts, json.dumps({"level": "error", "ts": round(c.epoch(ts), 3), "caller": "api/address.go:44",
                                              "msg": "address validation failed", "err": "smarty: 422 Unprocessable Entity",
                                              "status": 422}))
                    continue
                if ts < LOG_START:
                    continue
                carrier = ids.pick(["ups", "fedex", "usps", "dhl"])
                if rng.random() < 0.02:
                    s.add(ts - 0.01, json.dumps({"level": "warn", "ts": round(c.epoch(ts - 0.01), 3), "caller": "rates/cache.go:63",
                                                 "msg": "carrier quote cache miss", "carrier": carrier}))
                path, method = ("/v1/rates", "POST") if rates else (ids.pick(["/v1/labels", "/v1/tracking/{id}", "/v1/rates/{id}"]), "GET")
                s.add(ts, json.dumps({"level": "info", "ts": round(c.epoch(ts), 3), "caller": "httpx/log.go:31", "msg": "request",
                                      "method": method, "path": path.replace("{id}", ids.hex(10)),
                                      "status": 200, "dur_ms": int(rng.lognormal(np.log(38), 0.4)),
                                      "carrier": carrier, "intl": bool(intl)}))
        del end

    # ---------------------------------------------------------------- metrics
    total = sum(req.values())
    c.metric("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": LB}, "Count", total)
    c.metric("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Seconds", 0.046 * (1 + wobble(rng, n, 0.08)))
    e5 = c.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": LB}, "Count", e502)
    c.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", {"LoadBalancer": LB}, "Count", e502)
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Count", counts(rng, np.full(n, 0.02)))
    c.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": LB}, "Count", e422)
    healthy = np.full(n, 2.0)
    for _iid, (_n, _h, restart) in NODES.items():
        healthy -= (np.abs(t - restart) < 60) * 1.0
    c.metric("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": LB}, "Count", healthy)
    c.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Count", np.zeros(n))
    for iid, (_n, _h, restart) in NODES.items():
        cpu = 16 * shape + wobble(rng, n, 1.5) + 35 * bump(t, restart, 40) + 30 * bump(t, -19800 + 60, 40)
        c.metric("AWS/EC2", "CPUUtilization", {"InstanceId": iid}, "Percent", np.clip(cpu, 1, 100))
        c.metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", 9.1e5 * shape * (1 + wobble(rng, n, 0.1)))
        c.metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", np.zeros(n))
        c.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", 33 + wobble(rng, n, 0.7))
        c.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                 27.5 + 0.00002 * (t - START) + wobble(rng, n, 0.03))

    c.alarm("shipping-alb-5xx", e5, "Sum", 60, 3, 2, "GreaterThanThreshold", DEPLOY,
            description="shipping-alb load balancer 5xx")
    c.change(DEPLOY, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
             "shipping-api-prod", "jenkins")
    c.change(-19800, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
             "shipping-api-prod", "jenkins")
    accepted = [x for iid, (name, _h, _r) in NODES.items() for x in (iid, name)] + ["shipping-api", "shipping-api-prod"]
    c.expect = {"alarm": "shipping-alb-5xx",
                "root_cause": {"category": "bad_deployment", "resource": accepted},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                               "dimensions": {"LoadBalancer": LB}}]}
    return c
