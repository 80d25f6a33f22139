"""h44-07: mobile BFF (Node) leaks memory per session; tasks hit the V8 heap limit and crash -> ALB 502s."""
from __future__ import annotations

import json

from .common import ACCOUNT, TIMES, Rng, Scenario, diurnal, eval_alarm, ramp, wall
from .kit import alb_metrics, node_line, sim_lambda

REGION = "eu-central-1"
LB = "app/mobile-alb/5a9c3e1f7b2d4068"
TG = "targetgroup/mobile-bff-tg/2f8d6b4a0c9e1357"
NTASK = 6
RAMP0 = -6360


def _pino(t, level, msg, **kw):
    rec = {"level": level, "time": int(wall(t).timestamp() * 1000), "pid": 1, "hostname": kw.pop("host"), "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def build() -> dict:
    rng = Rng(4407)
    sc = Scenario("h44-07-mobile-bff-heap-oom", REGION,
                  "Mobile app users see intermittent 'Something went wrong' (502); mobile-bff memory alarm fired.")
    sc.res("ecs", "mobile/mobile-bff", cluster="mobile", service_name="mobile-bff", launch_type="FARGATE",
           task_definition="mobile-bff:97", desired_count=NTASK, cpu=512, memory=1024, runtime="Node.js 20 (fastify 4)",
           image=f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/mobile-bff:5.8.1", last_deployment="2026-03-15T09:12Z",
           load_balancers=[{"target_group": "mobile-bff-tg", "container_port": 3000}],
           environment={"NODE_OPTIONS": "--max-old-space-size=896", "PROFILE_URL": "http://profile.mobile.local:8080",
                        "RECO_URL": "http://recommendations.mobile.local:8080", "SESSION_CONTEXT_CACHE": "in-process (no max entries)",
                        "LOG_LEVEL": "info"}, log_group="/ecs/mobile-bff")
    sc.res("alb", LB, name="mobile-alb", scheme="internet-facing", web_acl="mobile-alb-waf (AWS WAF v2)",
           listeners=[{"port": 443, "protocol": "HTTPS", "default_action": "forward to mobile-bff-tg"}],
           target_groups=[{"name": "mobile-bff-tg", "id": TG, "port": 3000, "target_type": "ip",
                           "health_check": {"path": "/health", "interval_s": 10, "unhealthy_threshold": 3}}])
    sc.res("lambda", "push-dispatcher", runtime="nodejs20.x", timeout=30, memory_size=256,
           environment={"FCM_PROJECT": "acme-mobile-prod", "APNS_TOPIC": "de.acme.app"})

    share = lambda t: 0.65 * ramp(t, RAMP0, 3000)          # v7.2 app clients (big device-context payloads)
    base = lambda t: 3000 * diurnal(t, 0.15, -3000)
    leak = lambda t: 0.010 + 3.1 * share(t)              # % of container memory per minute
    tasks = [{"id": rng.hexs(32), "start": -26000 - rng.uniform(0, 600), "mem": 41.0 + rng.uniform(-1, 1),
              "host": f"ip-10-70-{rng.randint(16, 31)}-{rng.randint(2, 250)}", "events": [],
              "k": rng.uniform(0.85, 1.15)} for _ in range(NTASK)]
    streams, deaths = [], []
    memmax, pm = {}, {k: {} for k in ("RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_5XX_Count",
                                      "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count", "TargetResponseTime",
                                      "HealthyHostCount", "UnHealthyHostCount")}
    cpu = {}
    for t in TIMES:
        died = 0
        lag_tasks = 0
        for k, tk in enumerate(tasks):
            tk["mem"] += leak(t) * tk["k"] * rng.uniform(0.8, 1.2)
            h = tk["host"]
            if t >= -10800:
                heap = int(tk["mem"] * 10.24 * 0.82)
                tk["events"].append((t + rng.uniform(0, 3), _pino(t, 30, "process stats", host=h,
                                     rss_mb=int(tk["mem"] * 10.24), heap_used_mb=heap, heap_total_mb=int(heap * 1.07),
                                     session_ctx_entries=int((tk["mem"] - 40) * 5200 + 3100), event_loop_lag_ms=
                                     int(12 + (max(0, tk["mem"] - 80) ** 2) * 9))))
                if rng.random() < 0.5:
                    tw = t + rng.uniform(5, 58)
                    tk["events"].append((tw, _pino(tw, 40, "upstream degraded, serving fallback", host=h,
                                                   upstream="recommendations", status=503, fallback="popular_items")))
            if tk["mem"] > 82:
                lag_tasks += 1
            if tk["mem"] >= 90.5:
                died += 1
                td = t + rng.uniform(5, 50)
                if td >= -10800:
                    tk["events"].append((td - 8, _pino(td - 8, 40, "event loop lag high", host=h, lag_ms=rng.randint(1800, 4200))))
                    gc = [("<--- Last few GCs --->", 0.0), ("", 0.001),
                          (f"[1:0x{rng.hexs(7)}] {int((td - tk['start']) * 1000)} ms: Mark-Compact {rng.uniform(893, 896):.1f} "
                           f"({rng.uniform(925, 931):.1f}) -> {rng.uniform(889, 892):.1f} ({rng.uniform(926, 932):.1f}) MB, "
                           f"{rng.uniform(1100, 1600):.2f} / 0.00 ms  (average mu = 0.1{rng.randint(0, 9)}2, current mu = 0.0{rng.randint(10, 40)}) "
                           "allocation failure; scavenge might not succeed", 0.002), ("", 0.003),
                          ("<--- JS stacktrace --->", 0.004), ("", 0.005),
                          ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", 0.006),
                          (" 1: 0xb8ced1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]", 0.007),
                          (" 2: 0xf06460 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]", 0.008),
                          (" 3: 0xf06747 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [node]", 0.009),
                          (" 4: 0x1118e15  [node]", 0.010)]
                    for txt, off in gc:
                        tk["events"].append((td + off, txt))
                    deaths.append((td, tk["id"]))
                streams.append(tk)
                nt = {"id": rng.hexs(32), "start": td + 40, "mem": 40.0 + rng.uniform(-1, 1), "events": [], "k": rng.uniform(0.85, 1.15),
                      "host": f"ip-10-70-{rng.randint(16, 31)}-{rng.randint(2, 250)}"}
                if nt["start"] > -10800:
                    s0 = nt["start"]
                    nt["events"] += [(s0, _pino(s0, 30, "Server listening at http://0.0.0.0:3000", host=nt["host"])),
                                     (s0 + 0.2, _pino(s0 + 0.2, 30, "mobile-bff 5.8.1 ready", host=nt["host"],
                                                      upstreams=["profile", "recommendations", "catalog"]))]
                tasks[k] = nt
        memmax[t] = max(tk["mem"] for tk in tasks)
        n = rng.poisson(base(t))
        e502 = sum(rng.randint(25, 70) for _ in range(died))
        slow = lag_tasks / NTASK
        pm["RequestCount"][t] = n
        pm["HTTPCode_ELB_502_Count"][t] = e502
        pm["HTTPCode_ELB_5XX_Count"][t] = e502 + rng.poisson(0.2)
        pm["HTTPCode_Target_5XX_Count"][t] = rng.poisson(1.5)
        pm["HTTPCode_Target_2XX_Count"][t] = max(0, n - e502 - pm["HTTPCode_Target_5XX_Count"][t])
        pm["TargetResponseTime"][t] = rng.gauss(0.085, 0.006) * (1 + 9 * slow)
        unh = min(NTASK, died + (1 if rng.random() < 0.2 * died else 0))
        pm["HealthyHostCount"][t] = NTASK - unh
        pm["UnHealthyHostCount"][t] = unh
        cpu[t] = 24 * diurnal(t, 0.15, -3000) * (1 + 1.6 * slow)
    streams += tasks
    alb_metrics(sc, LB, TG, pm)
    dims = {"ClusterName": "mobile", "ServiceName": "mobile-bff"}
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent", [[t, round(min(100.0, memmax[t] + rng.gauss(0, 0.3)), 3)] for t in TIMES])
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent", [[t, round(max(1.0, cpu[t] + rng.gauss(0, 1.5)), 3)] for t in TIMES])
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count",
              [[t, float(NTASK - (1 if any(t <= d < t + 60 for d, _ in deaths) else 0))] for t in TIMES])
    for tk in streams:
        sc.log("/ecs/mobile-bff", f"mobile-bff/mobile-bff/{tk['id']}", tk["events"])
    ev = []
    for td, tid in deaths:
        ev.append((td + 2, json.dumps({"detail-type": "ECS Task State Change", "source": "aws.ecs", "detail": {
            "clusterArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/mobile", "group": "service:mobile-bff",
            "taskArn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/mobile/{tid}", "lastStatus": "STOPPED",
            "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
            "containers": [{"name": "mobile-bff", "exitCode": 134, "lastStatus": "STOPPED"}]}}, separators=(",", ":"))))
    sc.log("/aws/events/ecs-task-state", "mobile", ev)

    def pd_body(t, rid, is_err, d):
        return [(0.01, node_line(t, rid, "INFO", f"dispatching {rng.randint(1, 400)} notifications campaign=cmp_{rng.hexs(6)}")),
                (d / 1000 - 0.01, node_line(t + d / 1000, rid, "INFO", "fcm accepted all, apns accepted all"))], None
    sim_lambda(sc, rng, "push-dispatcher", rate=lambda t: 2.5, dur=lambda t, e: rng.gauss(900, 200), body=pd_body,
               memory=256, mem_used=(95, 120), runtime="node", log_from=-7200, streams=1)

    sc.change(-4800, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::HostedZone", "Z1D7Q3K9PX0M2ACME4", "l.schmidt")
    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "push-dispatcher", "gitlab-ci")
    sc.change(-1200, "wafv2.amazonaws.com", "UpdateWebACL", "AWS::WAFv2::WebACL", "mobile-alb-waf", "secops-waf-automation")
    st_m, ch_m = eval_alarm([[t, memmax[t]] for t in TIMES], 300, 1, 85, "Maximum")
    st_a, ch_a = eval_alarm([[t, pm["HTTPCode_ELB_502_Count"][t]] for t in TIMES], 300, 1, 20, "Sum")
    assert st_m == "ALARM" and st_a == "ALARM", (st_m, st_a)
    sc.alarm("mobile-bff-memory-high", "AWS/ECS", "MemoryUtilization", dims, "Maximum", 300, 1, 85,
             "GreaterThanThreshold", st_m, ch_m, description="mobile-bff task memory > 85%")
    sc.alarm("mobile-alb-502", "AWS/ApplicationELB", "HTTPCode_ELB_502_Count", {"LoadBalancer": LB}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", st_a, ch_a)
    sc.expect("mobile-bff-memory-high", "memory_exhaustion", ["mobile/mobile-bff", "mobile-bff"],
              [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": dims},
               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_502_Count", "dimensions": {"LoadBalancer": LB}}])
    return sc.done()
