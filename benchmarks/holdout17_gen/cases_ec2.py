"""Cases whose fault originates on an EC2 instance (10-11); both alarms fire elsewhere."""
from __future__ import annotations

import json

import numpy as np

from .core import Case
from .families import Call, alb_metrics, apigw_metrics, arrivals, ec2_metrics, lambda_metrics, per_minute, simulate
from .logfmt import LambdaLogs, nginx, py_line, ruby_line, syslog

UAS = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
       "okhttp/4.12.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
       "geo-sdk-ios/3.2.1", "geo-sdk-android/3.2.0"]


# ---------------------------------------------------------------- 10
def case10() -> Case:
    c = Case(10, "geo-latency", "eu-north-1", 1710, "2026-03-23T08:10:00",
             "geo-alb response time alarm; map search in the mobile app is slow for some users.")
    lb = "app/geo-alb/6d1f3b5a7c9e2048"
    g1, g2, etl = "i-0c4f1a9e2b7d35a61", "i-08b2d6e4f1a3c9075", "i-0e7a3b5c9d1f24680"
    groups = ["/geo/nginx/access", "/geo/uwsgi", "/geo/syslog"]
    c.resource("ec2", g1, name="geo-api-1", instance_type="c6i.xlarge", private_ip="10.12.1.37", log_groups=groups)
    c.resource("ec2", g2, name="geo-api-2", instance_type="c6i.xlarge", private_ip="10.12.2.54", log_groups=groups)
    c.resource("ec2", etl, name="etl-runner-1", instance_type="m6i.large", private_ip="10.12.3.20")
    c.resource("alb", lb, name="geo-alb", scheme="internet-facing", target_groups=["geo-api-tg"])
    c.change(-2395, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0a91c3e5f7b2d4608", "m.virtanen")
    onset = -2040
    n = len(c.t)
    hot = c.ramp(onset, 90)
    load = c.diurnal(1.0, 0.45, peak_hour=9)
    req = load * 3000 * (1 + 0.03 * c.walk(n, 1))
    cpu1 = (30 * load + c.rng.normal(0, 2.5, n)) * (1 - hot) + hot * c.rng.uniform(97, 100, n)
    cpu2 = 30 * load + c.rng.normal(0, 2.5, n)
    spike = ((c.t >= -9000) & (c.t < -7800)).astype(float)
    cpu3 = 7 + c.rng.normal(0, 1.5, n) + spike * c.rng.uniform(80, 90, n)
    net = lambda scale: load * scale * (1 + 0.05 * c.rng.standard_normal(n))  # noqa: E731
    mem = lambda base: base + c.rng.normal(0, 0.8, n)  # noqa: E731
    disk = lambda base: base + np.arange(n) * 0.0004 + c.rng.normal(0, 0.05, n)  # noqa: E731
    ec2_metrics(c, g1, cpu1, net(2.9e7), mem(38) + 6 * hot, disk(41))
    ec2_metrics(c, g2, cpu2, net(2.9e7), mem(37), disk(40))
    ec2_metrics(c, etl, cpu3, 4e6 + spike * 6e8 + c.rng.normal(0, 3e5, n), mem(22) + 30 * spike, disk(63))
    slow = hot * c.rng.uniform(2.6, 3.6, n)
    trt = 0.5 * (0.048 + c.rng.normal(0, 0.004, n)) + 0.5 * (0.048 * (1 - hot) + slow)
    t5 = c.poisson(req * 0.5 * hot * 0.01 + 0.1)
    alb_metrics(c, lb, req, trt, t5, c.poisson(0.05 + hot * 0.6), np.full(n, 2.0), np.zeros(n),
                t4xx=c.poisson(req * 0.012))

    acc, uw, sysl = {g1: [], g2: []}, {g1: [], g2: []}, {g1: [], g2: []}
    paths = ["/v1/geocode?q={q}", "/v1/reverse?lat={lat}&lon={lon}", "/v1/tiles/{z}/{x}/{y}.pbf", "/healthz"]
    for t, i in arrivals(c, req / 140):
        iid = g1 if c.rng.random() < 0.5 else g2
        p = c.pick(paths, p=[0.35, 0.3, 0.3, 0.05]).format(
            q=c.pick(["Kungsgatan", "Sveavagen", "Drottninggatan+12", "Odengatan"]), lat=f"59.{int(c.rng.integers(1000, 9999))}",
            lon=f"18.{int(c.rng.integers(1000, 9999))}", z=14, x=int(c.rng.integers(9000, 9100)), y=int(c.rng.integers(4700, 4800)))
        rt = (slow[i] * c.rng.uniform(0.7, 1.3) if iid == g1 and hot[i] > 0.5 else float(c.rng.lognormal(np.log(0.045), 0.4)))
        st = 200
        if iid == g1 and hot[i] > 0.5 and c.rng.random() < 0.01:
            st, rt = 502, float(c.rng.uniform(0.5, 1.5))
        if "favicon" in p:
            st = 404
        ua = "ELB-HealthChecker/2.0" if p == "/healthz" else c.pick(UAS)
        acc[iid].append((t + rt, nginx(c, t + rt, f"10.12.{int(c.rng.integers(0, 3))}.{int(c.rng.integers(2, 250))}", "GET", p, st,
                                        int(c.rng.integers(180, 5200)), ua, rt, rt - 0.001)))
        if c.rng.random() < 0.25 and st == 200:
            uw[iid].append((t + rt, f"[pid: {int(c.rng.integers(2300, 2316))}|app: 0|req: {int(c.rng.integers(1000, 90000))}/"
                            f"{int(c.rng.integers(90000, 400000))}] 10.12.0.9 () {{38 vars in 702 bytes}} [{c.stamp(t, '%a %b %d %H:%M:%S %Y')}] "
                            f"GET {p} => generated {int(c.rng.integers(180, 5200))} bytes in {int(rt * 1000)} msecs (HTTP/1.1 200) "
                            "4 headers in 137 bytes (1 switches on core 0)"))
    for t, i in arrivals(c, np.full(n, 0.08)):
        iid = g1 if c.rng.random() < 0.5 else g2
        acc[iid].append((t, nginx(c, t, f"10.12.0.{int(c.rng.integers(2, 250))}", "GET", "/favicon.ico", 404, 153, c.pick(UAS), 0.001)))
    for t, i in arrivals(c, np.where(hot > 0.5, 1.6, 0.0), start=onset):
        uw[g1].append((t, f"{c.stamp(t, '%a %b %d %H:%M:%S %Y')} - *** uWSGI listen queue of socket \"127.0.0.1:3031\" (fd: 3) full !!! (101/100) ***"))
    for iid, host in ((g1, "ip-10-12-1-37"), (g2, "ip-10-12-2-54")):
        for t in np.arange(-10800 + 1.0, -1, 3600):
            sysl[iid].append((float(t), syslog(c, float(t), host, f"CROND[{int(c.rng.integers(9000, 30000))}]",
                              "(root) CMD (run-parts /etc/cron.hourly)")))
        for t, i in arrivals(c, np.full(n, 0.03)):
            sysl[iid].append((t, syslog(c, t, host, "systemd[1]", f"Started Session {int(c.rng.integers(800, 990))} of User ec2-user.")))
        for t in np.arange(-10800 + 300.0, -1, 1800):
            sysl[iid].append((float(t), syslog(c, float(t), host, "amazon-cloudwatch-agent[1187]",
                              "I! [outputs.cloudwatchlogs] Flushed 0 log events")))
    h = "ip-10-12-1-37"
    sysl[g1].append((onset - 4, syslog(c, onset - 4, h, "CROND[23310]",
                     "(geo) CMD (/opt/geo/bin/rebuild-tiles.sh --region nordics >> /var/log/geo/tiles.log 2>&1)")))
    sysl[g1].append((onset - 2, syslog(c, onset - 2, h, "rebuild-tiles[23311]", "building zoom 12-15 vector tiles for nordics (41200 tiles, 8 workers)")))
    done = 0
    for t in np.arange(onset + 300, -1, 300.0):
        done += int(c.rng.integers(1700, 2300))
        sysl[g1].append((float(t), syslog(c, float(t), h, "rebuild-tiles[23311]", f"progress {done}/41200 tiles")))
    for iid in (g1, g2):
        for grp, store in (("/geo/nginx/access", acc), ("/geo/uwsgi", uw), ("/geo/syslog", sysl)):
            c.log(grp, iid, store[iid])
    c.alarm("geo-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
            1.0, description="geo-alb average target response time above 1 s", want="ALARM")
    c.alarm("etl-runner-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": etl}, "Average", 300, 3, 90, want="OK")
    c.alarm("geo-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 100,
            want="OK")
    c.set_expect("geo-alb-latency-high", "cpu_saturation", [g1, "geo-api-1"],
                 [("AWS/EC2", "CPUUtilization", {"InstanceId": g1}),
                  ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    c.meta = dict(front="front door (ALB in front of two instances)", decoys=(
        "security-group ingress change 6 min before onset; etl-runner-1's CPU spike about 2 h earlier; steady favicon "
        "404s; geo-api-2 healthy"), story=(
        "At onset cron on geo-api-1 starts `rebuild-tiles.sh` (8 workers) and the instance's CPU goes from ~30 % to "
        "97-100 %; uWSGI's listen queue overflows and requests served by geo-api-1 take ~3 s, so the ALB average "
        "crosses 1 s. geo-api-2 serves the other half at normal speed, request volume is normal and no deploy happened. "
        "The security-group change and the earlier ETL spike have no effect on the web tier."))
    return c


# ---------------------------------------------------------------- 11
def case11() -> Case:
    c = Case(11, "product-search-errors", "ap-southeast-1", 1711, "2026-03-26T05:30:00",
             "product-search Errors alarm; shop search returns 'Service unavailable'.")
    es, jobs = "i-0a7d3e9b1c5f28e46", "i-05c8e1f7a2b94d3c0"
    fn, api, api_id = "product-search", "shop-search-api", "s4e7h2k9wd"
    c.resource("ec2", es, name="search-es-1", instance_type="r6g.xlarge", private_ip="10.30.2.41",
               private_dns="search-es-1.internal.lumenmart.com", role="elasticsearch 8.12 (single node)",
               log_groups=["/search/elasticsearch"])
    c.resource("ec2", jobs, name="jobs-worker-1", instance_type="m6g.large", private_ip="10.30.3.18")
    c.resource("lambda", fn, runtime="ruby3.3", timeout=10, memory_size=512,
               environment={"ES_URL": "http://search-es-1.internal.lumenmart.com:9200", "ES_OPEN_TIMEOUT": "5"})
    c.resource("lambda", "sitemap-builder", runtime="python3.12", timeout=600, memory_size=1024)
    c.resource("apigateway", api, api_id=api_id, stage="live")
    c.change(-9420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-search")
    c.change(-1905, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "sitemap-builder", "a.lim")
    onset = -1560
    n = len(c.t)
    down = c.t >= onset
    load = c.diurnal(1.0, 0.4, peak_hour=6)
    cpu = np.where(down, c.rng.uniform(0.0, 0.4, n), 24 * load + c.rng.normal(0, 2, n))
    status = (c.t >= onset + 60).astype(float)
    memv = np.where(down, np.nan, 71 + c.rng.normal(0, 0.6, n))
    ec2_metrics(c, es, cpu, np.where(down, c.rng.uniform(0, 900, n), load * 1.4e7 * c.rng.uniform(0.9, 1.1, n)),
                memv, np.where(down, np.nan, 58 + np.arange(n) * 0.0008), status, status)
    ec2_metrics(c, jobs, 18 + c.rng.normal(0, 3, n), 2e6 + c.rng.normal(0, 2e5, n), 44 + c.rng.normal(0, 1, n),
                np.full(n, 52.0) + c.rng.normal(0, 0.05, n))
    terms = ["linen shirt", "rice cooker", "yoga mat", "kopi", "batik", "phone case", "umbrella", "air fryer"]

    def search(t: float) -> Call:
        if t >= onset:
            return Call(t, float(c.rng.uniform(5004, 5060)), True, "conn")
        slow = c.rng.random() < 0.01
        return Call(t, float(c.rng.uniform(900, 1500) if slow else c.rng.lognormal(np.log(62), 0.35)),
                    kind="slow" if slow else "ok", data={"q": c.pick(terms)})
    calls = simulate(c, load * 110, search)
    agg = per_minute(c, calls)
    lambda_metrics(c, fn, agg)
    sm = [Call(float(t), float(c.rng.uniform(140000, 200000))) for t in np.arange(-21600 + 60.0, -1, 3600)]
    lambda_metrics(c, "sitemap-builder", per_minute(c, sm))
    apigw_metrics(c, api, agg["Invocations"] + c.poisson(0.5), c.poisson(0.5 + load * 0.8), agg["Errors"],
                  np.nan_to_num(agg["Duration"], nan=60) + c.rng.uniform(12, 20, n),
                  np.nan_to_num(agg["Duration"], nan=60) + c.rng.uniform(3, 6, n))

    ll = LambdaLogs(c, fn, 512)
    redeployed = False
    for k in calls:
        if k.t >= -9400 and not redeployed:
            ll.retire("$LATEST")
            redeployed = True
        if k.t < -10800 or c.rng.random() > 0.12:
            continue
        if k.error:
            body = lambda rid, s, k=k: [(k.duration_ms / 1000 - 0.003, "Error raised from handler method\n" + json.dumps({
                "errorMessage": "Failed to open TCP connection to search-es-1.internal.lumenmart.com:9200 (execution expired)",
                "errorType": "Function<Faraday::ConnectionFailed>",
                "stackTrace": ["/var/runtime/gems/net-http-0.4.1/lib/net/http.rb:1603:in `initialize'",
                               "/var/runtime/gems/net-http-0.4.1/lib/net/http.rb:1603:in `open'",
                               "/var/task/vendor/bundle/ruby/3.3.0/gems/faraday-net_http-3.1.0/lib/faraday/adapter/net_http.rb:66:in `rescue in call'",
                               "/var/task/app/search_client.rb:27:in `query'", "/var/task/handler.rb:14:in `handler'"]}))]
        else:
            msg = (f"slow search q=\"{k.data['q']}\" took={int(k.duration_ms - 20)}ms" if k.kind == "slow" else
                   f"search q=\"{k.data['q']}\" hits={int(c.rng.integers(3, 900))} took={int(k.duration_ms - 14)}ms")
            lvl = "WARN" if k.kind == "slow" else "INFO"
            body = lambda rid, s, k=k, msg=msg, lvl=lvl: [(k.duration_ms / 1000 - 0.003, ruby_line(
                c, s + k.duration_ms / 1000 - 0.003, lvl, msg))]
        ll.invoke(k.t, body, k.duration_ms, int(c.rng.integers(101, 118)), init_ms=(350, 620))
    ll.flush()
    sl = LambdaLogs(c, "sitemap-builder", 1024)
    for k in sm:
        if k.t >= -10800:
            sl.invoke(k.t, lambda rid, s, k=k: [(k.duration_ms / 1000 - 1, py_line(c, s + k.duration_ms / 1000 - 1, rid, "INFO",
                      f"Wrote sitemap-products-{int(c.rng.integers(1, 9))}.xml.gz ({int(c.rng.integers(40000, 50000))} urls)"))],
                      k.duration_ms, int(c.rng.integers(300, 420)))
    sl.flush()
    E = lambda t, lvl, lg, msg: (f"[{c.stamp(t, '%Y-%m-%dT%H:%M:%S')},{c.at(t).microsecond // 1000:03d}][{lvl:<5}][{lg:<30}] "  # noqa: E731
                                 f"[search-es-1] {msg}")
    esl = []
    for t, i in arrivals(c, np.where(down, 0, 0.5), start=-21600):
        esl.append((t, E(t, "INFO", "o.e.m.j.JvmGcMonitorService", f"[gc][{int(t + 91000)}] overhead, spent "
                         f"[{int(c.rng.integers(250, 420))}ms] collecting in the last [1s]")))
    for t, i in arrivals(c, np.where(down, 0, 0.12), start=-21600):
        esl.append((t, E(t, "WARN", "i.s.s.query", f"[products][0] took[{c.rng.uniform(1.0, 1.6):.1f}s], took_millis["
                         f"{int(c.rng.integers(1000, 1600))}], total_hits[{int(c.rng.integers(900, 9000))} hits], search_type"
                         "[QUERY_THEN_FETCH], total_shards[1], source[{\"size\":24,\"query\":{\"multi_match\":{\"query\":\""
                         f"{c.pick(terms)}\",\"fields\":[\"title^3\",\"description\"]}}}}]")))
    for t in np.arange(-21600 + 200.0, onset - 30, 1800):
        esl.append((float(t), E(float(t), "INFO", "o.e.c.r.a.DiskThresholdMonitor",
                               "low disk watermark [85%] not exceeded on [search-es-1][/var/lib/elasticsearch] free: 41.2gb[42%]")))
    c.log("/search/elasticsearch", es, esl)
    c.alarm("product-search-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
            description="product-search Lambda errors", want="ALARM")
    c.alarm("jobs-worker-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": jobs}, "Average", 300, 2, 85, want="OK")
    c.alarm("sitemap-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "sitemap-builder"}, "Sum", 3600, 1, 0,
            want="OK")
    c.set_expect("product-search-errors", "dependency_failure", [es, "search-es-1"],
                 [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": es}),
                  ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    c.meta = dict(front="consumer (the Lambda calling the search node)", decoys=(
        "product-search deploy 2.2 h earlier; sitemap-builder config change 6 min before onset; long-standing "
        "Elasticsearch slow-query and GC-overhead messages"), story=(
        "The single Elasticsearch node search-es-1 fails its system status check at onset (StatusCheckFailed_System = "
        "1); its CPU and network fall to nothing and its own log stops. Every product-search call now waits for the "
        "5 s open timeout and fails with `Faraday::ConnectionFailed: Failed to open TCP connection to "
        "search-es-1.internal...:9200 (execution expired)`. The node was not overloaded before (CPU ~25 %, memory "
        "steady), the Lambda's own deploy was hours earlier, and sitemap-builder doesn't use the search node."))
    return c


CASES = [case10, case11]
