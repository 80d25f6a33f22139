"""EC2/ALB/API Gateway incidents: disk full, traffic surge, metric blip, function timeout."""
from __future__ import annotations

import numpy as np

from .common import LOG_FROM, N, TS, Scenario, alarm, change, counts, daily, gauss, idx, iso, lognorm, ramp, rid, step
from .services import access_line, alb_set, apigw_set, ec2_set, lambda_logs, lambda_set, per_minute_times, py_info, py_warn

PATHS = ["/api/search", "/api/items", "/api/cart", "/healthz", "/api/user"]


def _access(s, n_per_min, code_rt):
    rng, ev = s.rng, []
    for i in range(N):
        if TS[i] < LOG_FROM:
            continue
        for t in per_minute_times(rng, n_per_min, i):
            code, rt = code_rt(rng, i)
            ev.append((t, access_line(rng, rng.choice(PATHS), code, int(rng.integers(300, 9000)), rt)))
    return ev


def s14_ingest_disk_full() -> Scenario:
    s = Scenario("h12-14-ingest-disk-full", "ap-south-1",
                 "Event ingestion returning 5xx; ingest-alb target 5XX alarm.", 1214)
    rng = s.rng
    iid, iid2 = "i-0c5e91ab7d2f40e36", "i-04f7a2d9c1b8e6053"
    s.resource("ec2", iid, name="ingest-1", instance_type="m6i.xlarge", log_groups=["/app/ingest/access", "/app/ingest/app"])
    s.resource("ec2", iid2, name="ingest-2", instance_type="m6i.xlarge")
    s.resource("alb", "app/ingest-alb/7e21c0d94fb3a615", name="ingest-alb")
    full = -1680
    disk = np.minimum(100.0, 71 + 29 * ramp(-9000, full) ** 1.6 + rng.normal(0, 0.05, N))
    disk[TS >= full] = 100.0
    ec2_set(s, iid, disk=disk, cpu_base=31, mem_base=52, path="/", fstype="xfs")
    ec2_set(s, iid2, cpu_base=29, mem_base=51, disk_base=43)
    req = counts(rng, daily(rng, 1400, 0.1))
    t5 = counts(rng, req * 0.001 + step(full) * req * 0.46)
    m = alb_set(s, "app/ingest-alb/7e21c0d94fb3a615", req, t5xx=t5, hosts=2, rt_base=0.045)
    acc = _access(s, 8, lambda rng, i: (500, rng.uniform(0.002, 0.01)) if TS[i] >= full and rng.random() < 0.92
                  else (202, rng.lognormal(np.log(0.04), 0.3)))
    s.log("/app/ingest/access", iid, acc)
    app = []
    for i in range(N):
        t = TS[i]
        if t < LOG_FROM:
            continue
        app.append((t + 1, f"INFO  batch flushed events={rng.integers(1800, 2600)} spool=/var/spool/ingest"))
        if rng.random() < 0.3:
            app.append((t + 7, "WARN  kafka producer: metadata refresh took 812 ms (broker b-2)"))
        if t >= full:
            for _ in range(rng.integers(3, 7)):
                app.append((t + rng.uniform(0, 59), "ERROR spool write failed: OSError: [Errno 28] No space left on device: "
                            f"'/var/spool/ingest/seg-{rng.integers(10**6, 10**7)}.log'"))
        elif t > -5400 and rng.random() < 0.15:
            app.append((t + 30, f"WARN  spool backlog {rng.integers(2, 9)} GB, kafka acks lagging"))
    s.log("/app/ingest/app", iid, app)
    s.changes += [change(-3300, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", iid2, "ops.rahul")]
    s.alarms.append(alarm("ingest-alb-target-5xx", m["HTTPCode_Target_5XX_Count"], "Sum", 60, 3, 50))
    s.expect = {"alarm": "ingest-alb-target-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [iid, "ingest-1"]},
                "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": {"InstanceId": iid, "path": "/", "fstype": "xfs"}}]}
    s.meta = dict(front=True, decoys="ModifyInstanceAttribute on ingest-2 25 min before; constant Kafka metadata warnings",
                  story="ingest-1 spools events to local disk when Kafka acknowledgements lag; the spool grew for 2 h and "
                        "filled the root volume. Every write now fails with `[Errno 28] No space left on device` and the "
                        "ALB sees 500s from that target. ingest-2 had an attribute change earlier and is fine.")
    return s


def s16_promo_surge() -> Scenario:
    s = Scenario("h12-16-promo-traffic-surge", "eu-west-3",
                 "Shop pages slow and some 503s during the flash sale; ALB response time alarm.", 1216)
    rng = s.rng
    a, b = "i-0a7d3e5c9b1f24680", "i-0e2b8c4a6d1f39572"
    lb = "app/shop-fr-alb/3c9e1a7b5d2f4086"
    s.resource("alb", lb, name="shop-fr-alb")
    s.resource("ec2", a, name="shop-fr-web-1", instance_type="c6i.xlarge", log_groups=["/app/shop/access"])
    s.resource("ec2", b, name="shop-fr-web-2", instance_type="c6i.xlarge")
    onset = -1500
    mult = 1 + 5.2 * ramp(onset, onset + 240)
    req = counts(rng, daily(rng, 900, 0.08) * mult)
    rt = lognorm(rng, 0.12, 0.1) * (1 + 9 * ramp(onset + 120, onset + 420))
    e5 = counts(rng, 0.2 + req * 0.012 * ramp(onset + 200, onset + 420))
    m = alb_set(s, lb, req, rt=rt, e5xx=e5, hosts=2)
    for iid, nm in ((a, "1"), (b, "2")):
        ec2_set(s, iid, cpu=gauss(rng, 24 + 50 * ramp(onset, onset + 300), 3, 0, 100),
                net=lognorm(rng, 3e6, 0.12) * mult, mem_base=48)
    acc = _access(s, 6, lambda rng, i: (200, rng.lognormal(np.log(rt[i]), 0.3)) if rng.random() > 0.01 else (404, 0.01))
    extra = []
    for i in range(idx(onset), N):
        for t in per_minute_times(rng, 6 * (mult[i] - 1), i):
            extra.append((t, access_line(rng, rng.choice(["/vente-flash", "/api/cart", "/api/items"]), 200,
                                         int(rng.integers(2000, 9000)), rng.lognormal(np.log(rt[i]), 0.3))))
    s.log("/app/shop/access", a, acc + extra)
    s.changes += [change(-7800, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener", "shop-fr-alb", "ops.claire")]
    s.alarms.append(alarm("shop-fr-alb-latency", m["TargetResponseTime"], "Average", 60, 3, 0.8))
    s.expect = {"alarm": "shop-fr-alb-latency", "root_cause": {"category": "traffic_surge",
                                                                "resource": [lb, "shop-fr-alb", a, "shop-fr-web-1", b, "shop-fr-web-2"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    s.meta = dict(front=False, decoys="listener change 2 h before; instance CPU rises to ~75 % as an effect (not pinned)",
                  story="A flash-sale push notification sends six times the usual traffic to the French shop. Both web "
                        "instances stay healthy (CPU ~75 %), but queueing raises response time to ~1.2 s and the ALB "
                        "returns a few 503s. Nothing was deployed or changed near onset.")
    return s


def s19_cpu_blip() -> Scenario:
    s = Scenario("h12-19-reporting-cpu-blip", "eu-west-1",
                 "CPU alarm on reporting host.", 1219)
    rng = s.rng
    iid = "i-03b6f1d8e2a4c7059"
    s.resource("ec2", iid, name="reporting-1", instance_type="m6i.large", log_groups=["/app/reporting/app"])
    s.resource("alb", "app/reporting-alb/9d4c2e7f1a3b6058", name="reporting-alb")
    cpu = gauss(rng, 18, 3, 0, 100)
    cpu[-4:] = [71.2, 93.8, 95.1, 94.4]
    m = ec2_set(s, iid, cpu=cpu, mem_base=38, disk_base=57)
    req = counts(rng, daily(rng, 60, 0.1))
    alb_set(s, "app/reporting-alb/9d4c2e7f1a3b6058", req, hosts=1, rt_base=0.2)
    app = []
    for i in range(N):
        if TS[i] >= LOG_FROM and i % 2 == 0:
            app.append((TS[i] + 3, f"INFO  rendered dashboard id={rng.integers(1, 60)} in {rng.integers(80, 400)} ms"))
        if TS[i] >= LOG_FROM and rng.random() < 0.1:
            app.append((TS[i] + 20, "WARN  query cache miss ratio 0.41 above 0.35"))
    s.log("/app/reporting/app", iid, app)
    s.alarms.append(alarm("reporting-1-cpu-high", m["CPUUtilization"], "Average", 60, 3, 90))
    s.expect = {"alarm": "reporting-1-cpu-high", "root_cause": {"category": "unknown", "resource": [iid, "reporting-1"]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": iid}}]}
    s.meta = dict(front=False, decoys="constant cache-miss warnings",
                  story="A three-minute CPU spike on reporting-1 with no change in traffic, latency, errors, memory, "
                        "disk or logs and no change events. Nothing supports any cause; the honest answer is unknown.")
    return s


def s15_geo_timeout() -> Scenario:
    s = Scenario("h12-15-geo-enrich-timeout", "ca-central-1",
                 "Geo API returning 5xx for address lookups; geo-api 5XXError alarm.", 1215)
    rng = s.rng
    s.resource("apigateway", "geo-api")
    s.resource("lambda", "geo-enrich", runtime="python3.12", timeout=6, memory_size=256)
    onset = -2040
    inv = counts(rng, daily(rng, 24, 0.1))
    slow = 0.5 * ramp(onset, onset + 400)           # polygon sizes grew when a new boundary file loaded
    err = np.array([rng.binomial(int(n), q) for n, q in zip(inv, slow)], float)
    dur = lognorm(rng, 1900, 0.15) * (1 - slow) + slow * 6000
    m_l = lambda_set(s, "geo-enrich", inv, err, dur=dur)

    def body(rng, t, r, failed, i):
        lines = [(0.0, py_info(r, f"Resolving address id=a{rng.integers(10**6, 10**7)} province={rng.choice(['ON', 'QC', 'BC', 'AB'])}"))]
        if rng.random() < 0.25:
            lines.append((0.01, py_warn(r, "postal code not normalised, retrying with FSA only")))
        if failed:
            lines.append((6.0, f"{iso(t + 6)} {r} Task timed out after 6.00 seconds"))
            return lines, 6000.0, rng.integers(200, 215), "timeout"
        d = float(rng.lognormal(np.log(1900 * (1 + 1.5 * slow[i])), 0.2))
        d = min(d, 5900.0)
        lines.append((d / 1000, py_info(r, f"Point-in-polygon matched {rng.integers(1, 4)} regions in {d - 30:.0f} ms")))
        return lines, d, rng.integers(180, 210), None

    lambda_logs(s, "geo-enrich", inv, err, 256, body)
    e5 = err + counts(rng, 0.02)
    m = apigw_set(s, "geo-api", inv + counts(rng, 0.5), e5=e5, lat=dur + lognorm(rng, 25, 0.2))
    gw = []
    for i in range(N):
        if TS[i] < LOG_FROM:
            continue
        for t in per_minute_times(rng, err[i], i):
            gw.append((t, f"({rid(rng)}) Lambda execution failed with status 200 due to customer function error: "
                          f"Task timed out after 6.00 seconds. Lambda request id: {rid(rng)}"))
            gw.append((t + 0.001, f"({rid(rng)}) Method completed with status: 502"))
    s.log("API-Gateway-Execution-Logs_k3v9q2x7ma/prod", "k3v9q2x7ma-prod", gw)
    s.changes += [change(-13800, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "geo-api", "ops.nadia")]
    s.alarms.append(alarm("geo-api-5xx", m["5XXError"], "Sum", 60, 3, 4))
    s.expect = {"alarm": "geo-api-5xx", "root_cause": {"category": "function_timeout", "resource": ["geo-enrich"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "geo-enrich"}}]}
    s.meta = dict(front=True, decoys="API deployment 3.8 h earlier; constant postal-code warnings",
                  story="geo-enrich's point-in-polygon work got slower as the afternoon's addresses shifted to provinces "
                        "with huge boundary polygons; about half the invocations now hit the 6 s timeout (`Task timed "
                        "out after 6.00 seconds`) with no downstream errors. API Gateway returns 502 for each.")
    return s


CASES = [s14_ingest_disk_full, s16_promo_surge, s19_cpu_blip, s15_geo_timeout]
