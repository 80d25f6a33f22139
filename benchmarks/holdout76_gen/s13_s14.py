"""h76-13 a 03:00 deploy of the image renderer Lambda ships code using a Pillow constant that
no longer exists; h76-14 the wire-ingest worker (ECS, Java) runs out of heap on giant feed items."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import counts_per_minute, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs, spring

from .kit import LOG_START, apigw, ecs, lam, make, scatter


def build13():
    sc = make(13, "img-render-resample", "Images broken across the site; API Gateway 5XX alarm on "
              "the image edge API.", "eu-west-3", "2026-03-29T02:10:00")
    D, A = -2460, -2420
    fn, api = "img-render", "img-edge-api"
    new = lambda t: step(t, A + 3, 0.0, 1.0)
    rate = lambda t: 13 * diurnal(sc, t, 12.0, 0.3)
    iv, ev = lam(sc, fn, "python3.12", 2048, 30, rate, lambda t: 0.02 + rate(t) * 0.66 * new(t),
                 lambda t: 780 - 430 * new(t), architecture="arm64")
    apigw(sc, api, lambda t: rate(t) + 0.5, lambda t: rate(t) * 0.05,
          lambda t: 0.02 + rate(t) * 0.66 * new(t), lambda t: 820 - 430 * new(t))
    lam(sc, "og-card", "python3.12", 1024, 15, lambda t: 5.0, lambda t: 0.01, lambda t: 610.0)
    bucket = "fr-media-originals"

    def body(ll, t, reqid, is_err, cold):
        key = f"2026/03/{sc.rng.randint(1, 28):02d}/{sc.hexid(12)}.jpg"
        w = sc.rng.choice([320, 480, 640, 960, 1280, 1920])
        lines = [(0.003, ll.fmt(t, reqid, "INFO", f"render {key} w={w} fmt=webp q=78"))]
        if is_err:
            lines.append((0.21, "[ERROR] AttributeError: module 'PIL.Image' has no attribute "
                                "'ANTIALIAS'\nTraceback (most recent call last):\n  File \"/var/task/"
                                "handler.py\", line 31, in handler\n    out = resize(img, w)\n  File "
                                "\"/var/task/imaging/ops.py\", line 64, in resize\n    return "
                                "img.resize((w, h), Image.ANTIALIAS)"))
            return {"dur": sc.rng.uniform(180, 320), "status": "error",
                    "error_type": "AttributeError", "lines": lines}
        if sc.rng.random() < 0.045:
            lines.append((0.08, ll.fmt(t, reqid, "WARNING", f"source not found: s3://{bucket}/{key} "
                                       "(NoSuchKey); returning 404")))
            return {"dur": sc.rng.uniform(60, 120), "lines": lines}
        dur = sc.rng.gauss(760, 150)
        lines.append((dur / 1000 - 0.004, ll.fmt(t, reqid, "INFO", f"rendered {key} w={w} "
                                                 f"bytes={sc.rng.randint(9000, 240000)} "
                                                 f"ms={dur:.0f}")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, fn, "python3.12", 2048, 30, epochs=[(-10 ** 9, "57"), (A, "58")],
                    mem_used=(310, 40))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    sc.alarm("img-edge-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 2, 15,
             "GreaterThanThreshold", "Image edge API server errors")
    sc.alarm("img-edge-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300,
             3, 2000, "GreaterThanThreshold")
    sc.change(D, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "deploy-bot-media")
    sc.change(D + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              fn, "deploy-bot-media")
    sc.change(A - 5, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "og-card", "c.martin")
    sc.change(A, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "deploy-bot-media")
    sc.change(-15800, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
              api, "deploy-bot-media")
    sc.expect = {"alarm": "img-edge-api-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": "og-card configuration update 5 s "
               "before the alias switch; NoSuchKey 404 warnings all along; old API deployment",
               "services": "API Gateway, Lambda", "runtime": "Python 3.12 Lambda",
               "logs": "Lambda plain text"}
    return sc


def build14():
    sc = make(14, "ingest-worker-heap", "Agency wire copy stops reaching the CMS; memory alarm on "
              "the wire ingest service.", "ap-southeast-1", "2026-05-19T17:35:00")
    T = -2700
    oom = lambda t: ramp(t, T, T + 240)
    cluster, service = "wires", "ingest-worker"
    svc = ecs(sc, cluster, service, lambda t: 28 + 46 * oom(t), lambda t: 56 + 41 * oom(t), 3,
              running=lambda t: 3.0 - (1.0 if t >= T + 200 and int(t // 60) % 3 == 0 else 0.0),
              launch_type="FARGATE", task_memory=4096, jvm_opts="-Xmx3g")
    ecs(sc, cluster, "photo-sync", lambda t: 18.0, lambda t: 33.0, 2, launch_type="FARGATE")
    app = "ingest-worker"
    channels = ["afp-world", "reuters-asia", "ap-top", "bernama", "results-sg2026"]
    rng = sc.rng
    # three task slots; after T each task is OOM-killed every ~7-10 minutes and replaced
    for slot in range(3):
        start, end = -21600.0, -18000 + rng.uniform(60, 200)
        while start < 0:
            killed, stop = T <= end < 0, min(end, 0.0)
            stream = f"ingest/app/{sc.hexid(32)}"
            log = lambda tt, lvl, thread, logger, msg, stream=stream: sc.log(
                f"/ecs/{service}", stream, tt, spring(sc, tt, lvl, thread, logger, msg, app))
            if start > -21000:
                log(start + 1, "INFO", "main", "c.n.wires.IngestWorkerApplication",
                    "Starting IngestWorkerApplication v3.14.2 using Java 21.0.5 with PID 1")
                log(start + 9, "INFO", "main", "c.n.wires.IngestWorkerApplication",
                    f"Started IngestWorkerApplication in {rng.uniform(6.5, 9.5):.2f} seconds "
                    f"(process running for {rng.uniform(9.6, 10.9):.1f})")

            def poll(tt, log=log):
                ch = rng.choice(channels)
                log(tt, "INFO", f"poller-{rng.randint(1, 4)}", "c.n.wires.feed.FeedPoller",
                    f"Polled {ch}: {rng.randint(0, 14)} new items")
                if rng.random() < 0.12:
                    log(tt + 0.3, "WARN", f"poller-{rng.randint(1, 4)}", "c.n.wires.feed.FeedPoller",
                        f"Feed poll slow: {ch} took {rng.uniform(3.0, 6.0):.1f}s (retrying next cycle)")
            scatter(sc, lambda m: 2.0, poll, start=start + 10, end=stop - 15)
            if killed:
                size = rng.uniform(380, 460)
                item = f"results-sg2026-{rng.randint(100, 999)}"
                log(end - 14, "INFO", "ingest-1", "c.n.wires.parse.NewsMlParser",
                    f"Parsing item {item} (NewsML-G2, {size:.1f} MB) from channel results-sg2026")
                log(end - 4, "WARN", "ingest-1", "c.n.wires.parse.NewsMlParser",
                    "GC overhead: 97% of last 10s spent in GC")
                log(end - 0.5, "ERROR", "ingest-1", "c.n.wires.IngestLoop",
                    f"Unrecoverable error while ingesting {item}\n\njava.lang.OutOfMemoryError: "
                    "Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat "
                    "org.apache.xerces.dom.CharacterDataImpl.appendData(Unknown Source)\n\tat "
                    "org.apache.xerces.parsers.AbstractDOMParser.characters(Unknown Source)\n\tat "
                    "javax.xml.parsers.DocumentBuilder.parse(DocumentBuilder.java:206)\n\tat "
                    "c.n.wires.parse.NewsMlParser.parse(NewsMlParser.java:88)")
            if end < T:
                log(end - 0.2, "INFO", "SpringApplicationShutdownHook",
                    "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting "
                    "for active requests to complete")
            start = stop + rng.uniform(20, 45)
            end = start + (T - start + rng.uniform(60, 400) if start < T else rng.uniform(420, 600))
    sc.alarm("ingest-worker-memory", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": cluster, "ServiceName": service}, "Average", 300, 2, 90,
             "GreaterThanThreshold", "Wire ingest memory high")
    sc.alarm("ingest-worker-cpu", "AWS/ECS", "CPUUtilization",
             {"ClusterName": cluster, "ServiceName": service}, "Average", 300, 2, 65,
             "GreaterThanThreshold")
    sc.change(-18000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc,
              "argo-wires")
    sc.change(-2790, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/photo-sync", "argo-wires")
    sc.expect = {"alarm": "ingest-worker-memory",
                 "root_cause": {"category": "memory_exhaustion", "resource": [svc, service]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cluster, "ServiceName": service}}]}
    sc.meta = {"front": "origin", "decoys": "photo-sync deploy 90 s before onset; same-service "
               "deploy 5 h earlier with flat memory after; CPU alarm from GC thrash; slow-poll "
               "warnings all along", "services": "ECS Fargate", "runtime": "Java 21 (Spring Boot)",
               "logs": "Spring Boot text"}
    return sc


BUILDERS = [build13, build14]
