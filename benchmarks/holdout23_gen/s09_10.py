"""Scenarios 09-10: an impaired cache host under an unrelated CPU alarm; a deploy two hops down."""
import datetime as dt

from .awsres import api_metrics, ec2_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, rds_metrics, spring
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s09():
    s = Scn("h23-09-shipping-api-5xx-cache-host-impaired", "shipping-api quotes failing with 502s; a build "
            "agent CPU alarm is also open.", "us-west-2", dt.datetime(2026, 11, 20, 20, 45), 2309)
    onset, dead = -1860, -1905
    api, fn = "shipping-api", "shipping-quote"
    cache, build = "i-0b7e3d1a9c5f28e46", "i-0c2a7f9e4b1d3068a"
    s.resource("apigateway", api, stage="prod", rest_api_id="7hq3n8v2ke",
               integrations={"POST /quotes": "lambda:shipping-quote"})
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=512, vpc="vpc-0a41 (private subnets)",
               environment={"RATES_CACHE_HOST": "10.20.4.21", "RATES_CACHE_PORT": "6379",
                            "REDIS_SOCKET_TIMEOUT": "5", "CARRIER_API_URL": "https://api.parcelhub.net/v2"})
    s.resource("ec2", cache, name="rates-cache-1", instance_type="r6g.large", private_ip="10.20.4.21",
               role="Redis 7.2 rate-table cache", log_groups=["/ec2/rates-cache/redis"])
    s.resource("ec2", build, name="build-agent-1", instance_type="c6i.4xlarge", role="Jenkins build agent")

    inv = s.counts(lambda t: 31 * s.diurnal(t, 0.2, 19))
    err = [[t, float(min(n, s.poisson(n * 0.95))) if t >= onset else 0.0] for t, n in inv]
    lanes = ["US-CA>US-NY", "US-TX>US-WA", "US-CA>CA-ON", "US-NY>GB-LND", "US-IL>US-FL", "US-WA>DE-BE"]

    def body(t, rid, kind):
        lane = s.pick(lanes)
        q = "q_%s" % s.hexid(10)
        lines = [(0.003, "INFO", "quote %s lane=%s parcels=%d" % (q, lane, s.rng.randint(1, 4)))]
        if s.rng.random() < 0.06:
            lines.append((0.01, "WARNING", "address validation ambiguous for postcode %05d; using first candidate"
                          % s.rng.randint(10000, 99999)))
        if kind:
            if s.rng.random() < 0.7:
                d = 5000 + s.rng.random() * 30
                exc = ("TimeoutError: Timeout connecting to server", "    raise TimeoutError(\"Timeout connecting "
                       "to server\")")
            else:
                d = 3050 + s.rng.random() * 60
                exc = ("ConnectionError: Error 113 connecting to 10.20.4.21:6379. No route to host.",
                       "    raise ConnectionError(self._error_message(e))")
            lines.append((d / 1000, None, "[ERROR] %s\nTraceback (most recent call last):\n  File \"/var/task/handler"
                          ".py\", line 37, in handler\n    table = rates.lookup(lane)\n  File \"/var/task/shipping/"
                          "rates.py\", line 58, in lookup\n    raw = self.redis.hget(f\"lane:{lane}\", \"table\")\n  File "
                          "\"/var/task/redis/connection.py\", line 363, in connect\n%s" % (exc[0], exc[1])))
            return {"dur": d + 5, "mem": 96, "lines": lines}
        if s.rng.random() < 0.12:
            d = 380 + s.rng.random() * 200
            lines.append((d / 1000 - 0.05, "INFO", "rates cache miss for lane %s; fetched from parcelhub in %d ms"
                          % (lane, d - 40)))
        else:
            d = 60 + s.rng.random() * 60
        lines.append((d / 1000, "INFO", "quote %s -> best=%s %.2f USD (%d ms)" % (
            q, s.pick(["UPS_GROUND", "FEDEX_HOME", "USPS_PRIORITY", "DHL_EXPRESS"]), 6 + s.rng.random() * 60, d)))
        return {"dur": d + 4, "mem": 94 + s.rng.randint(0, 6), "lines": lines}

    lambda_fn(s, fn, "python3.12", 512, 30, inv, err, body, lambda t: 95 + s.noise(10), log_from=-4800)
    api_metrics(s, api, inv, s.counts(lambda t: 1.5), err,
                s.series(lambda t: 120 + s.noise(12) + 4400 * step(t, onset)),
                s.series(lambda t: 104 + s.noise(11) + 4400 * step(t, onset)))

    # the cache host: system status check fails; hypervisor CPU stays, network and agent data vanish
    d = {"InstanceId": cache}
    cpu = s.series(lambda t: 7 + s.noise(1.2) if t < dead else 0.6 + abs(s.noise(0.2)))
    net = s.series(lambda t: 2.6e7 * s.diurnal(t, 0.2, 19) + s.noise(1e6) if t < dead else abs(s.noise(300)), nd=0)
    sc = s.series(lambda t: 1 if t >= dead + 60 else 0, nd=0)
    ec2_metrics(s, cache, cpu, net, sc, mem=[p for p in s.series(lambda t: 61 + s.noise(0.3)) if p[0] < dead],
                disk=[p for p in s.series(lambda t: 23 + s.noise(0.05)) if p[0] < dead])
    s.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sc)
    s.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", s.series(lambda t: 0, nd=0))
    rl = []
    for t in range(-21600 + 31, dead, 60):
        ts = s.at(t)
        stamp = "1423:M %s.%03d" % (ts.strftime("%d %b %Y %H:%M:%S"), s.rng.randint(0, 999))
        if (t // 60) % 5 == 0:
            rl += [(t, "%s * 10000 changes in 60 seconds. Saving..." % stamp),
                   (t + 0.01, "%s * Background saving started by pid %d" % (stamp, s.rng.randint(8000, 30000))),
                   (t + 1.9, "%s * Background saving terminated with success" % stamp)]
        elif s.rng.random() < 0.1:
            rl.append((t, "%s # Client id=%d addr=10.20.%d.%d:%d laddr=10.20.4.21:6379 closed connection (idle "
                          "timeout)" % (stamp, s.rng.randint(10 ** 5, 10 ** 6), s.rng.randint(8, 12),
                                        s.rng.randint(2, 250), s.rng.randint(30000, 60000))))
    s.log("/ec2/rates-cache/redis", cache, rl)

    # decoy: build agent pinned by a release build (basic monitoring, alarm in ALARM)
    bcpu = s.series(lambda t: 98.5 + s.noise(0.8) if t >= -2600 else 14 + s.noise(5), step_s=300, hi=100)
    ec2_metrics(s, build, bcpu, s.series(lambda t: 9e6 + abs(s.noise(3e6)), step_s=300, nd=0),
                s.series(lambda t: 0, step_s=300, nd=0))

    s.alarm("shipping-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "ALARM", "auto", err, "shipping-api 5XX", after=onset)
    s.alarm("build-agent-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": build}, "Average", 300, 2, 90,
            "GreaterThanThreshold", "ALARM", "auto", bcpu, after=-2600)
    s.set_expect("shipping-api-5xx", "dependency_failure", [cache, "rates-cache-1"],
                 [anomaly("AWS/EC2", "StatusCheckFailed", InstanceId=cache),
                  anomaly("AWS/ApiGateway", "5XXError", ApiName=api),
                  anomaly("AWS/Lambda", "Errors", FunctionName=fn)])
    s.meta = dict(category="dependency_failure", resources=[cache, "rates-cache-1"],
                  alarm_on="front (API → Lambda → EC2 Redis)",
                  decoys="build-agent-1 CPU alarm in ALARM (Jenkins build, unrelated); steady address-validation "
                         "WARNING in shipping-quote",
                  story="From ~31 min ago nearly every shipping-quote invocation fails in the Redis client: "
                        "`Timeout connecting to server` after the 5 s socket timeout, or `Error 113 connecting to "
                        "10.20.4.21:6379. No route to host`. 10.20.4.21 is rates-cache-1. That instance's "
                        "StatusCheckFailed/StatusCheckFailed_System go to 1, NetworkIn drops to ~0, its CloudWatch "
                        "agent metrics and the shipped Redis log stop at the same minute, and its last Redis lines "
                        "are ordinary BGSAVEs. The host was impaired, not overloaded. Lambda Duration rises to ~5 s, "
                        "far under the 30 s timeout. build-agent-1 has a real CPU alarm, but it is a Jenkins agent "
                        "outside the request path, and the address-validation WARNING runs at the same rate all "
                        "evening. Label: dependency_failure, origin rates-cache-1.")
    return s


def s10():
    s = Scn("h23-10-quotes-api-5xx-rules-engine-deploy", "quotes-api returning 5xx for a share of quote "
            "requests.", "us-east-1", dt.datetime(2026, 11, 17, 14, 5), 2310)
    reg, upd, rollout = -2700, -2680, (-2620, -2420)
    api, fn = "quotes-api", "quote-handler"
    s.resource("apigateway", api, stage="prod", rest_api_id="t5k8w2r9pm",
               integrations={"POST /quotes": "lambda:quote-handler"})
    s.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=512,
               environment={"RULES_ENGINE_URL": "http://rules-engine.pricing.internal:8080", "FX_TTL_S": "3600"})
    s.resource("ecs", "pricing/rules-engine", cluster="pricing", service="rules-engine", launch_type="FARGATE",
               desired_count=4, deployment="rolling (min 100 %, max 200 %)", task_definition="rules-engine:57",
               image="318442790126.dkr.ecr.us-east-1.amazonaws.com/rules-engine:4.18.0",
               environment={"SPRING_DATASOURCE_URL": "jdbc:postgresql://pricing-db.cw4p0n2x5r8t.us-east-1.rds."
                                                     "amazonaws.com:5432/pricing"}, log_groups=["/ecs/rules-engine"])
    s.resource("rds", "pricing-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               max_connections=1700, allocated_storage_gb=100)

    new_share = lambda t: ramp(t, rollout[0] + 120, rollout[1])
    inv = s.counts(lambda t: 29 * s.diurnal(t, 0.2, 15))
    err = [[t, float(min(n, s.poisson(n * 0.31 * new_share(t))))] for t, n in inv]
    iv, ev = values(inv), values(err)
    regions = ["US-TX", "US-CA", "US-NY", "DE", "FR", "GB", "IE", "NZ", "PR", "JP"]
    bad = ("IE", "NZ", "PR")

    def body(t, rid, kind):
        q = "q_%s" % s.hexid(10)
        reg_ = s.pick(bad) if kind else s.pick(regions if new_share(t) < 0.5 else regions[:6] + ["JP"])
        lines = [(0.004, "INFO", "quote %s region=%s items=%d" % (q, reg_, s.rng.randint(1, 9)))]
        if s.rng.random() < 0.1:
            lines.append((0.008, "WARNING", "FX rate cache stale by %ds; using last known EURUSD=1.0842"
                          % s.rng.randint(3601, 3700)))
        if kind:
            ms = 30 + s.rng.random() * 30
            lines.append((ms / 1000, None, "[ERROR] RulesEngineError: rules-engine POST /v1/evaluate returned 500 "
                          "{\"timestamp\":\"%s\",\"status\":500,\"error\":\"Internal Server Error\",\"path\":\"/v1/"
                          "evaluate\"}\nTraceback (most recent call last):\n  File \"/var/task/handler.py\", line 52, in"
                          " handler\n    priced = engine.evaluate(quote)\n  File \"/var/task/quotes/engine.py\", line "
                          "88, in evaluate\n    raise RulesEngineError(resp.status_code, resp.text)" % s.iso(t)))
            return {"dur": ms + 12, "mem": 104, "lines": lines}
        ms = 28 + s.rng.random() * 40
        lines.append((ms / 1000, "INFO", "quote %s -> 200 total=%.2f (rules-engine %d ms)"
                      % (q, 20 + s.rng.random() * 400, ms - 8)))
        return {"dur": ms + 10, "mem": 101 + s.rng.randint(0, 6), "lines": lines}

    lambda_fn(s, fn, "python3.12", 512, 20, inv, err, body, lambda t: 58 + s.noise(6), log_from=-5400)
    api_metrics(s, api, inv, s.counts(lambda t: 0.9), err, s.series(lambda t: 76 + s.noise(8)),
                s.series(lambda t: 63 + s.noise(7)))
    tasks = s.series(lambda t: 8 if rollout[0] <= t < rollout[1] else 4, nd=0)
    ecs_metrics(s, "pricing", "rules-engine", s.series(lambda t: 29 + s.noise(2) + 8 * step(t, rollout[0]) *
                                                       (1 - step(t, rollout[1] - 120))),
                s.series(lambda t: 57 + s.noise(0.6)), tasks)
    rds_metrics(s, "pricing-db", s.series(lambda t: 16 + s.noise(2)), s.series(lambda t: 52 + s.noise(2), nd=0),
                s.series(lambda t: 70 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 8.1 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0007 + abs(s.noise(0.0002)), nd=5))

    # rules-engine logs: 4 old tasks (4.17.3) drained at rollout end, 4 new tasks (4.18.0)
    old = ecs_streams(s, "rules-engine", 4)
    new = ecs_streams(s, "rules-engine", 4)
    lg = "c.a.pricing.rules.RuleCache"

    def line(t, st, version):
        thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 50)
        m = t - t % 60
        if s.rng.random() < 0.04:
            return spring(s, t, "INFO", "scheduling-1", lg, "Rule cache refreshed: %d rules (build %s)"
                          % (1284 if version == "4.17.3" else 1311, version))
        if version == "4.18.0" and s.rng.random() < ev.get(m, 0) / max(1.0, iv.get(m, 1)) / max(0.05, new_share(t)):
            return spring(s, t, "ERROR", thr, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                          "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                          "[Request processing failed: java.lang.NullPointerException] with root cause\njava.lang."
                          "NullPointerException: null\n\tat com.acme.pricing.rules.RegionalSurchargeRule.apply("
                          "RegionalSurchargeRule.kt:44)\n\tat com.acme.pricing.rules.RuleChain.evaluate(RuleChain.kt:"
                          "61)\n\tat com.acme.pricing.api.EvaluateController.evaluate(EvaluateController.kt:29)")
        return spring(s, t, "INFO", thr, "c.a.pricing.api.EvaluateController",
                      "POST /v1/evaluate 200 %dms region=%s" % (s.rng.randint(6, 40), s.pick(regions)))

    drain = rollout[1]
    b = spread(s, poisson_times(s, lambda m: 30, -7200, drain), old, lambda t, st: line(t, st, "4.17.3"))
    starts = {}
    for i, st in enumerate(new):
        t0 = rollout[0] + 20 * i + s.rng.random() * 10
        starts[st] = t0
        b[st] = [(t0, spring(s, t0, "INFO", "main", "c.a.pricing.RulesEngineApplicationKt",
                             "Starting RulesEngineApplicationKt v4.18.0 using Java 21.0.3 with PID 1")),
                 (t0 + 14.2, spring(s, t0 + 14.2, "INFO", "main", "c.a.pricing.RulesEngineApplicationKt",
                                    "Started RulesEngineApplicationKt in 14.212 seconds (process running for 15.1)"))]
    nb = spread(s, poisson_times(s, lambda m: 30 * max(0.05, new_share(m)), rollout[0] + 120), new,
                lambda t, st: line(t, st, "4.18.0") if t > starts[st] + 15 else None)
    for st in new:
        b[st] += nb[st]
    for st in old:
        b[st].append((drain + 3, spring(s, drain + 3, "INFO", "SpringApplicationShutdownHook",
                                        "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting "
                                                                             "for active requests to complete")))
    emit(s, "/ecs/rules-engine", b)

    s.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "rules-engine:57",
             "github-actions-deployer")
    s.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pricing/rules-engine",
             "github-actions-deployer")
    s.change(-15800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
             "github-actions-deployer")
    s.alarm("quotes-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 4,
            "GreaterThanThreshold", "ALARM", "auto", err, "quotes-api 5XX", after=rollout[0])
    s.set_expect("quotes-api-5xx", "bad_deployment", ["pricing/rules-engine", "rules-engine"],
                 [anomaly("AWS/ApiGateway", "5XXError", ApiName=api), anomaly("AWS/Lambda", "Errors",
                                                                                FunctionName=fn)])
    s.meta = dict(category="bad_deployment", resources=["pricing/rules-engine", "rules-engine"],
                  alarm_on="front (API → Lambda → ECS, 2 hops)",
                  decoys="quote-handler (the alarmed path's Lambda) deployed 4.4 h earlier with no effect; steady "
                         "FX-stale WARNING in quote-handler",
                  story="github-actions registered rules-engine:57 and updated pricing/rules-engine 45 min ago. New "
                        "tasks log `v4.18.0` (the old ones logged build 4.17.3), and RunningTaskCount goes 4→8→4 "
                        "through the rolling deploy. As the new tasks take traffic, they throw NullPointerException "
                        "in RegionalSurchargeRule.apply for regions IE/NZ/PR, a signature that never appears on the "
                        "4.17.3 tasks. quote-handler surfaces it as 'rules-engine POST /v1/evaluate returned 500' "
                        "and API Gateway as 5XX. quote-handler's own deploy was hours earlier with a flat error "
                        "rate; the FX warning runs at the same rate throughout; pricing-db is idle. Label: "
                        "bad_deployment on pricing/rules-engine.")
    return s
