"""S11 OCR jobs pin one report node's CPU; S12 self-managed OpenSearch node lost to a host failure."""
from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S11
def s11():
    S = Scenario(11, "report-node-cpu-pinned", "us-east-1",
                 "Reports pages are very slow; ALB latency alarm for reports-alb fired.",
                 clock(2026, 11, 18, 19, 40))
    rng = S.rng
    ALB = "app/reports-alb/9a8b7c6d5e4f3021"
    N1, N2 = "i-04b7e2d9c1a3f5086", "i-0a9d3c5e7f1b2468a"
    UP, ON = -2700, -2640
    for iid, name, queues in ((N1, "reports-api-1", "default, ocr"), (N2, "reports-api-2", "default")):
        S.res("ec2", iid, name=name, instance_type="c6i.xlarge", vcpus=4,
              roles="puma (Rails API) + sidekiq queues: %s" % queues,
              log_groups=["/ec2/reports-api/puma", "/ec2/reports-api/sidekiq"])
    S.res("alb", ALB, name="reports-alb", targets=["reports-api-1", "reports-api-2"])
    S.res("lambda", "report-scheduler", runtime="python3.12", timeout=60, memory_size=256)
    S.res("rds", "reports-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
          max_connections=600)
    hot = lambda t: ramp(t, ON - 60, ON + 60)
    packs.ec2(S, N1, cpu=lambda t: 27 * diurnal(t) + 73 * hot(t), net_in=lambda t: 2.2e7 + 1.8e8 * window(t, UP, UP + 420),
              mem=lambda t: 52 + 19 * hot(t), disk=lambda t: 38 + 4 * hot(t), cpu_noise=0.03)
    packs.ec2(S, N2, cpu=lambda t: 26 * diurnal(t) + 50 * window(t, -14400, -14100), net_in=lambda t: 2.1e7,
              mem=lambda t: 50.0, disk=lambda t: 37.0)
    S.gauge("CWAgent", "cpu_usage_iowait", {"InstanceId": N1}, "Percent", lambda t: 0.6, noise=0.3)
    packs.alb(S, ALB, req=lambda t: 1600 * diurnal(t), rt=lambda t: 0.24 + 2.3 * hot(t),
              t5xx=lambda t: 0.5 + 4 * hot(t), e5xx=lambda t: 0.05 + 14 * hot(t), healthy=2)
    packs.rds(S, "reports-pg", cpu=lambda t: 19.0, conns=lambda t: 140.0, free_gb=lambda t: 220.0)

    sch = LambdaFn(S, "report-scheduler", "python3.12", 256, 60, log_from=-6000,
                   versions=[(-21600, "14"), (-4790, "15")])
    sch.run(lambda t: 1.0, lambda t: Inv("ok", rng.uniform(400, 1200), 70, [
        ("INFO", "enqueued %d scheduled reports for %s" % (rng.randint(0, 20), pick(S, TENANTS)))]))

    puma = {N1: [], N2: []}

    def req(tt):
        iid = pick(S, [N1, N2])
        rid = S.uid()
        slow = hot(tt) if iid == N1 else 0.0
        d = rng.uniform(0.08, 0.35) * (1 + 17 * slow)
        path = pick(S, ["/api/reports", "/api/reports/%d" % rng.randint(1000, 99999), "/api/exports", "/api/dashboards/summary"])
        out = [(tt, fmt.rails(S, tt, "INFO", 'Started GET "%s" for 10.4.%d.%d' % (path, rng.randint(1, 40), rng.randint(2, 250)), pid=21, reqid=rid))]
        if rng.random() < 0.03:
            out.append((tt + 0.02, fmt.rails(S, tt + 0.02, "INFO", "Completed 404 Not Found in 9ms (ActiveRecord: 1.4ms)", pid=21, reqid=rid)))
            out.insert(1, (tt + 0.019, fmt.rails(S, tt + 0.019, "FATAL", "ActiveRecord::RecordNotFound (Couldn't find Report with "
                                                "'id'=%d):" % rng.randint(1, 999), pid=21, reqid=rid)))
        else:
            out.append((tt + d, fmt.rails(S, tt + d, "INFO", "Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: %.1fms | "
                                          "Allocations: %d)" % (d * 1000, rng.uniform(2, 9), rng.uniform(6, 18),
                                                                rng.randint(2000, 9000)), pid=21, reqid=rid)))
        puma[iid] += out
    fmt.spread(S, -6000, 0, lambda t: 24 * diurnal(t), req)
    for iid in (N1, N2):
        S.log("/ec2/reports-api/puma", iid, puma[iid])

    sk = {N1: [], N2: []}
    for iid in (N1, N2):
        sk[iid] += fmt.spread(S, -6000, 0, lambda t: 3.0, lambda tt: [
            (tt, fmt.sidekiq(S, tt, "INFO", "start", cls=pick(S, ["ReportRenderJob", "DigestJob"]), jid=S.hexid(24))),
            (tt + 2.5, fmt.sidekiq(S, tt + 2.5, "INFO", "done: %.3f sec" % rng.uniform(0.8, 4.0), cls="ReportRenderJob", jid=S.hexid(24)))])
    sk[N1].append((UP, fmt.sidekiq(S, UP, "INFO", "enqueued 64 ContractOcrJob for tenant t_0562 (upload batch ub_7f31, "
                                                  "912 pages avg)")))
    for k in range(4):
        t0 = UP + 20 + k * 3
        jid = S.hexid(24)
        sk[N1] += [(t0, fmt.sidekiq(S, t0, "INFO", "start", tid="w%d" % k, cls="ContractOcrJob", jid=jid)),
                   (t0 + 1, fmt.sidekiq(S, t0 + 1, "INFO", "gs -dNOPAUSE -sDEVICE=tiffgray -r300 -dNumRenderingThreads=4 "
                                        "contract_%s.pdf (912 pages) tenant=t_0562" % S.hexid(6), tid="w%d" % k, cls="ContractOcrJob", jid=jid))]
        sk[N1] += fmt.every(t0 + 60, 0, 180, lambda tt, jid=jid, k=k: fmt.sidekiq(
            S, tt, "INFO", "tesseract progress page %d/912 (%.1f s/page)" % (int((tt - UP) / 6.5), rng.uniform(5.5, 7.5)),
            tid="w%d" % k, cls="ContractOcrJob", jid=jid))
    top = fmt.every(-6000, 0, 60, lambda tt: "load average: %.2f, %.2f, %.2f | %s" % (
        (0.9 + 15 * hot(tt)) * rng.uniform(0.9, 1.1), 0.8 + 14 * hot(tt - 300), 0.8 + 12 * hot(tt - 900),
        ("top: gs 99.1%cpu, tesseract 98.4%cpu, tesseract 97.9%cpu, tesseract 97.2%cpu, puma 11.0%cpu" if hot(tt) > 0.5
         else "top: puma %.1f%%cpu, sidekiq %.1f%%cpu" % (rng.uniform(10, 25), rng.uniform(2, 8)))))
    S.log("/ec2/reports-api/top", N1, top)
    for iid in (N1, N2):
        S.log("/ec2/reports-api/sidekiq", iid, sk[iid])

    S.change(-4800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "report-scheduler", "github-actions")
    S.change(-4790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "report-scheduler", "github-actions")
    S.alarm("reports-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": ALB}, "Average",
            60, 5, 1.5, description="Reports API latency")
    S.alarm("reports-api-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": N1}, "Average", 300, 2, 90)
    expect(S, "reports-alb-latency", "cpu_saturation", [N1, "reports-api-1"],
           [("AWS/EC2", "CPUUtilization", {"InstanceId": N1}),
            ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": ALB})])
    meta(S, "cpu_saturation", "ec2 %s (reports-api-1)" % N1, "front (ALB reports-alb; the node's CPU alarm fires too)",
         "report-scheduler deploy 80 min before; reports-api-2 CPU blip 4 h ago; steady RecordNotFound 404s",
         "Tenant t_0562 uploaded a batch of ~900-page scanned contracts; 64 ContractOcrJob jobs went to the `ocr` "
         "Sidekiq queue, which only reports-api-1 serves. Ghostscript and tesseract pinned all four vCPUs at ~100 % "
         "(iowait under 1 %, memory ~70 %), load average ~15. Puma on the same box is starved: its requests take "
         "4-6 s with ActiveRecord time still ~10 ms, the ALB average latency (half the traffic) rises above 2 s and "
         "a few requests time out with 504. reports-api-2 and the DB are normal. CPU pinned on one instance with "
         "latency following: cpu_saturation on reports-api-1.")
    return S


# ============================================================== S12
def s12():
    S = Scenario(12, "search-node-host-failure", "ap-south-1",
                 "Search returning errors for all tenants; search-api 5XX alarm fired.",
                 clock(2026, 11, 21, 6, 30))
    rng = S.rng
    OS, ON = "i-0d2c4b6a8e0f1357b", -1740
    ES_IP = "10.40.12.44"
    S.res("ec2", OS, name="search-os-1", instance_type="r6g.xlarge", role="OpenSearch 2.11 single data node :9200",
          log_groups=["/ec2/search-os-1/opensearch"])
    S.res("lambda", "search-query", runtime="nodejs20.x", timeout=10, memory_size=512, trigger="apigateway:search-api",
          env="OPENSEARCH_URL=http://%s:9200 requestTimeout=3000 maxRetries=1" % ES_IP)
    S.res("apigateway", "search-api", stage="prod", integration="lambda:search-query")
    S.res("ecs", "search-prod/indexer", cluster="search-prod", service="indexer", launch_type="FARGATE",
          desired_count=2, log_groups=["/ecs/search-prod/indexer"])
    S.res("lambda", "tenant-synonyms-sync", runtime="python3.12", timeout=120, memory_size=256)
    down = lambda t: step(t, ON)
    packs.ec2(S, OS, cpu=lambda t: 34 * diurnal(t) * (1 - down(t)), net_in=lambda t: 9.0e7 * (1 - down(t)) + 2000,
              status=lambda t: down(t), status_system=lambda t: down(t),
              mem=lambda t: 68.0, disk=lambda t: 52.0, skip=lambda t: t >= ON + 60)
    rate = lambda t: 40 * diurnal(t)
    packs.apigw(S, "search-api", count=rate, e4=lambda t: 0.8, e5=lambda t: 0.05 + rate(t) * 0.96 * down(t),
                latency=lambda t: 140 + 6000 * down(t))
    packs.ecs(S, "search-prod", "indexer", cpu=lambda t: 18 + 60 * window(t, -11000, -9800) - 10 * down(t),
              mem=lambda t: 37.0)
    packs.sqs(S, "catalog-changes", visible=lambda t: 40 + 22 * max(0.0, t - ON) / 60.0,
              age=lambda t: 15 + max(0.0, t - ON))

    fn = LambdaFn(S, "search-query", "nodejs20.x", 512, 10, log_from=-4800)

    def q(t):
        tenant = pick(S, TENANTS)
        term = pick(S, ["invoice 2026", "acme contract", "po-4471", "renewal", "q3 forecast", "nda"])
        if t >= ON and rng.random() < 0.96:
            et, em = pick(S, [("ConnectionError", "connect ETIMEDOUT %s:9200" % ES_IP),
                              ("TimeoutError", "Request timed out")])
            return Inv("error", rng.uniform(6000, 6300), rng.randint(96, 104),
                       [("INFO", "search tenant=%s index=docs-%s q=%r" % (tenant, tenant, term)),
                        ("WARN", "opensearch request failed, retrying (1/1): %s: %s" % (et, em))],
                       (et, em, ["    at ClientRequest.onError (/var/task/node_modules/@opensearch-project/opensearch/lib/Connection.js:129:16)",
                                 "    at ClientRequest.emit (node:events:519:28)",
                                 "    at Socket.socketErrorListener (node:_http_client:500:9)"]))
        d = rng.uniform(60, 220)
        logs = [("INFO", "search tenant=%s index=docs-%s q=%r" % (tenant, tenant, term))]
        if tenant == "t_0588":
            logs.append(("WARN", "slow search tenant=t_0588 took=%dms (wildcard on 2.1M docs)" % rng.randint(800, 1400)))
            d += 900
        logs.append(("INFO", "hits=%d took=%dms" % (rng.randint(0, 400), d * 0.7)))
        return Inv("ok", d, rng.randint(96, 110), logs)
    fn.run(rate, q)

    syn = LambdaFn(S, "tenant-synonyms-sync", "python3.12", 256, 120, log_from=-4800,
                   versions=[(-21600, "8"), (-7190, "9")])
    syn.run(lambda t: 0.2, lambda t: Inv("ok", rng.uniform(1500, 3000), 80, [
        ("INFO", "synonym set for %s unchanged (etag match)" % pick(S, TENANTS))]))

    osl = fmt.every(-21600, ON - 20, 60, lambda tt: "[%s,%03d][INFO ][o.o.m.j.JvmGcMonitorService] [search-os-1] "
                    "[gc][%d] overhead, spent [%dms] collecting in the last [1s]" % (
                        S.wall(tt).strftime("%Y-%m-%dT%H:%M:%S"), rng.randint(0, 999), int(tt + 30000), rng.randint(200, 320)),
                    jitter=50, S=S)
    osl += fmt.every(-21600, ON - 20, 1800, lambda tt: "[%s,%03d][INFO ][o.o.c.r.a.DiskThresholdMonitor] [search-os-1] "
                     "low disk watermark [85%%] not exceeded, disk used 52%%" % (S.wall(tt).strftime("%Y-%m-%dT%H:%M:%S"),
                                                                                  rng.randint(0, 999)))
    S.log("/ec2/search-os-1/opensearch", OS, osl)

    idx = fmt.spread(S, -4800, ON, lambda t: 5.0, lambda tt: fmt.slog(
        S, tt, "INFO", "bulk indexed", tenant=pick(S, TENANTS), docs=rng.randint(20, 500), took_ms=rng.randint(40, 300)))
    idx += fmt.spread(S, ON, 0, lambda t: 4.0, lambda tt: fmt.slog(
        S, tt, "ERROR", "bulk index failed, message returned to queue", tenant=pick(S, TENANTS),
        error="ConnectionTimeout caused by - ConnectTimeoutError(<urllib3.connection.HTTPConnection object at "
              "0x7f3a%s>, 'Connection to %s timed out. (connect timeout=10)')" % (S.hexid(8), ES_IP)))
    S.log("/ecs/search-prod/indexer", "ecs/indexer/" + S.hexid(32), idx)

    S.change(-7200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "tenant-synonyms-sync", "github-actions")
    S.change(-7190, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "tenant-synonyms-sync", "github-actions")
    S.alarm("search-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "search-api"}, "Sum", 60, 3, 20,
            description="Search API failing")
    S.alarm("search-query-errors", "AWS/Lambda", "Errors", {"FunctionName": "search-query"}, "Sum", 60, 3, 10)
    expect(S, "search-api-5xx", "dependency_failure", [OS, "search-os-1"],
           [("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": OS}),
            ("AWS/Lambda", "Errors", {"FunctionName": "search-query"}),
            ("AWS/ApiGateway", "5XXError", {"ApiName": "search-api"})])
    meta(S, "dependency_failure", "ec2 %s (search-os-1)" % OS, "front (API Gateway search-api)",
         "tenant-synonyms-sync deploy 2 h before; indexer CPU spike 3 h ago (nightly reindex); steady slow-wildcard "
         "WARN for t_0588",
         "The self-managed OpenSearch node failed its system status check (underlying host) 29 minutes ago: "
         "StatusCheckFailed_System goes to 1, its CPU/network metrics stop and its log simply ends. Before that it "
         "was unremarkable (CPU ~35 %, memory 68 %, disk 52 %), so it is not an exhausted resource. The search Lambda "
         "now fails every query with 'connect ETIMEDOUT 10.40.12.44:9200' / 'Request timed out' after its retry, the "
         "API returns 5xx, and the ECS indexer's bulk requests time out. The page is on the API in front; the fault "
         "is the downstream dependency that became unreachable: dependency_failure on search-os-1.")
    return S
