"""h5-01 (ECS bad image behind ALB) and h5-02 (ECS worker killed by the OOM killer)."""
from __future__ import annotations

import json

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, ecs_metrics, expect, find, hexid, level, log, logts,
                     pois, poisson_times, scenario, wall, window)


def _ms(t):
    return int(wall(t).timestamp() * 1000)


def _pino(t, lvl, msg, **kw):
    d = {"level": lvl, "time": _ms(t), "pid": 1, "hostname": kw.pop("host"), **kw, "msg": msg}
    return json.dumps(d, separators=(",", ":"))


# ------------------------------------------------------------------ h5-01
def ecs_bad_image(rng):
    region, cluster, svc, other = "eu-west-1", "prod-eu", "storefront-web", "cart-svc"
    lb = "app/storefront-alb/3f6c1a9e52b04d7e"
    onset = -2100
    # ---------------- metrics
    req = np.round(level(rng, 2400, 0.05, daily=0.25, phase=-30000))
    bad = window(onset, 0)
    crash = bad * (0.75 + 0.25 * rng.uniform(0, 1, N))
    e5 = pois(rng, 0.2 + crash * 46)
    t5 = pois(rng, 1.2 + crash * 22)
    trt = level(rng, 0.118, 0.08) * (1 + bad * (1.6 + 0.4 * rng.uniform(0, 1, N)))
    running = np.full(N, 6.0)
    running -= bad * rng.integers(1, 4, N)
    running[(T >= onset - 60) & (T < onset + 120)] = 3
    pending = np.where(bad > 0, 6 - running, 0)
    healthy = np.where(bad > 0, running - rng.integers(0, 2, N), 6)
    unhealthy = np.where(bad > 0, 6 - healthy - pending + rng.integers(0, 2, N), 0)
    cpu = level(rng, 31, 0.07, daily=0.2, phase=-30000) * (1 + bad * 0.7)
    mem = level(rng, 47, 0.02)
    metrics = alb_metrics(lb, req, trt, t5, e5, np.clip(unhealthy, 0, 6), np.clip(healthy, 0, 6), rng=rng)
    metrics += ecs_metrics(cluster, svc, cpu, mem, running, np.full(N, 6.0), pending)
    # cart-svc: normal rolling deploy 4.4 h ago (decoy)
    dep = -15840
    c_run = np.full(N, 3.0) + window(dep, dep + 300) * 3
    metrics += ecs_metrics(cluster, other, level(rng, 22, 0.08) + window(dep, dep + 300) * 9,
                           level(rng, 58, 0.02), c_run, np.full(N, 3.0), window(dep, dep + 120) * 3)

    # ---------------- logs
    logs = []
    group = f"/ecs/{svc}"
    paths = ["/", "/products/%d", "/category/%s", "/cart", "/api/recommendations?sku=%d", "/search?q=%s"]
    words = ["boots", "jackets", "lamps", "sofa", "kids", "outdoor", "sale"]

    def req_line(t, host, status=200):
        p = paths[rng.integers(0, len(paths))]
        p = p % (rng.integers(10000, 99999) if "%d" in p else words[rng.integers(0, len(words))]) if "%" in p else p
        return _pino(t, 30, "request completed", host=host, req={"method": "GET", "url": p},
                     res={"statusCode": status}, responseTime=int(rng.gamma(2.0, 45)))

    def boot(t, host, image_tag):
        return [(t, _pino(t, 30, f"storefront-web {image_tag} starting (node v20.18.0, NODE_ENV=production)", host=host)),
                (t + 1.7, _pino(t + 1.7, 30, "connected to cart-svc at http://cart-svc.prod-eu.local:8080", host=host)),
                (t + 2.1, _pino(t + 2.1, 30, "Server listening at http://0.0.0.0:3000", host=host))]

    # old tasks: three survive, three are stopped by the deployment
    for k in range(6):
        tid, host = hexid(rng), f"ip-10-20-{rng.integers(1, 60)}-{rng.integers(2, 250)}.eu-west-1.compute.internal"
        end = 0 if k < 3 else onset + 20 + k * 5
        ev = []
        for t in poisson_times(rng, 4.0, -10800, end):
            ev.append((t, req_line(t, host)))
        for t in poisson_times(rng, 0.25, -10800, end):
            ev.append((t, _pino(t, 40, "recommendations timeout, serving fallback", host=host, upstream="reco-svc",
                                timeoutMs=250)))
        if k >= 3:
            ev.append((end - 1, _pino(end - 1, 30, "SIGTERM received, closing server", host=host)))
        logs.append(log(group, f"{svc}/{svc}/{tid}", ev))
    # new tasks: boot, serve a little, crash on the first product image request
    t = onset + 40
    tag = "v2026.11.20-1"
    while t < -30:
        host = f"ip-10-20-{rng.integers(1, 60)}-{rng.integers(2, 250)}.eu-west-1.compute.internal"
        ev = boot(t, host, tag)
        life = float(rng.uniform(40, 150))
        for u in poisson_times(rng, 5.0, t + 25, t + life):
            ev.append((u, req_line(u, host)))
        c = t + life
        if c < -1:
            ev += [(c, "/app/node_modules/sharp/lib/sharp.js:114"),
                   (c + 0.001, "  throw new Error(help.join('\\n'));"),
                   (c + 0.002, "  ^"),
                   (c + 0.003, ""),
                   (c + 0.004, 'Error: Could not load the "sharp" module using the linux-x64 runtime'),
                   (c + 0.005, "Possible solutions:"),
                   (c + 0.006, "- Ensure optional dependencies can be installed:"),
                   (c + 0.007, "    npm install --include=optional sharp"),
                   (c + 0.008, "- Add platform-specific dependencies:"),
                   (c + 0.009, "    npm install --os=linux --cpu=x64 sharp"),
                   (c + 0.010, "    at Object.<anonymous> (/app/node_modules/sharp/lib/sharp.js:114:9)"),
                   (c + 0.011, "    at Module._compile (node:internal/modules/cjs/loader:1469:14)"),
                   (c + 0.012, "    at Module.require (node:internal/modules/cjs/loader:1311:12)"),
                   (c + 0.013, "    at require (node:internal/modules/helpers:136:16)"),
                   (c + 0.014, "    at loadImagePipeline (/app/dist/routes/product-image.js:12:19)"),
                   (c + 0.015, "    at /app/dist/routes/product-image.js:41:27"),
                   (c + 0.016, ""),
                   (c + 0.017, "Node.js v20.18.0")]
        logs.append(log(group, f"{svc}/{svc}/{hexid(rng)}", ev))
        t += float(rng.uniform(25, 70))
    # cart-svc
    ev = []
    for t in poisson_times(rng, 3.0, -10800, 0):
        ev.append((t, f"{logts(t)} INFO  [http-nio-8080-exec-{rng.integers(1, 40)}] c.a.cart.CartController - "
                      f"GET /carts/{hexid(rng, 12)} 200 {int(rng.gamma(2, 9))}ms"))
    for t in poisson_times(rng, 0.6, -10800, 0):
        ev.append((t, f"{logts(t)} WARN  [lettuce-nioEventLoop-4-1] c.a.cart.RedisCartStore - "
                      f"slow GET cart:{hexid(rng, 12)} took {rng.integers(180, 420)} ms"))
    logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))

    changes = [
        change(dep - 120, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:41",
               "github-actions-deployer"),
        change(dep - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
               "github-actions-deployer"),
        change(onset - 150, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:88",
               "github-actions-deployer"),
        change(onset - 100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
               "github-actions-deployer"),
        change(-7300, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
               "AWS::ElasticLoadBalancingV2::TargetGroup", "storefront-web-tg", "jmartin"),
    ]
    al = alarm("storefront-alb-elb-5xx", find(metrics, "HTTPCode_ELB_5XX_Count"), "Sum", 60, 3, 20,
               description="Storefront ALB returning 5xx (load balancer generated)")
    ok = alarm("cart-svc-cpu-high", find(metrics, "CPUUtilization", ServiceName=other), "Average", 300, 2, 80,
               expect="OK")
    resources = [
        {"type": "alb", "id": lb, "properties": {"name": "storefront-alb", "targets": [f"{cluster}/{svc}"]}},
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:88", "desired_count": 6, "cpu": 512, "memory": 1024,
            "launch_type": "FARGATE"}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:41", "desired_count": 3, "cpu": 512, "memory": 1024,
            "launch_type": "FARGATE"}},
    ]
    scn = scenario("h5-01-ecs-bad-image", "Storefront returning 502/503 errors to shoppers; the ALB 5xx alarm paged.",
                   region, resources, metrics, logs, [al, ok], changes,
                   expect(al["name"], "bad_deployment", [f"{cluster}/{svc}", svc, f"{svc}:88"],
                          [find(metrics, "HTTPCode_ELB_5XX_Count"),
                           find(metrics, "RunningTaskCount", ServiceName=svc)]))
    return {"file": "h5-01-ecs-bad-image.yaml", "scenario": scn,
            "decoys": "cart-svc rolling deploy 4.4 h earlier; target-group attribute change 2 h earlier; "
                      "steady 'recommendations timeout' warnings and cart-svc slow Redis warnings",
            "story": "A new storefront-web image (task definition :88) was rolled out with minimum healthy 50 %. The "
                     "image was built with node_modules from an arm64 laptop, so the `sharp` native module cannot "
                     "load on linux-x64. Tasks boot and pass health checks, then crash on the first product-image "
                     "request; ECS keeps replacing them, RunningTaskCount sits at 3-5 of 6 and the ALB returns "
                     "502/503 for connections to dying tasks."}


# ------------------------------------------------------------------ h5-02
def ecs_oom(rng):
    region, cluster, svc, other = "ap-southeast-2", "batch", "invoice-renderer", "email-sender"
    onset = -3000
    hot = np.clip((T - onset) / 900.0, 0, 1)
    mem = level(rng, 56, 0.03) + hot * 36 + hot * rng.uniform(0, 8, N)
    # service-level average dips when a killed task is replaced by a fresh one
    kills = []
    t = onset + 700
    while t < -60:
        kills.append(t)
        t += float(rng.uniform(170, 420))
    running = np.full(N, 4.0)
    pending = np.zeros(N)
    for k in kills:
        i = int((k + 21600) // 60)
        running[i:i + 2] = 3
        pending[i:i + 1] = 1
        mem[i] -= rng.uniform(6, 12)
    mem = np.clip(mem, 0, 99.6)
    cpu = level(rng, 38, 0.08) * (1 + hot * 0.35)
    metrics = ecs_metrics(cluster, svc, cpu, mem, running, np.full(N, 4.0), pending)
    dep = -9060
    o_cpu = level(rng, 12, 0.1) + window(-12600, -11700) * rng.uniform(40, 55, N)
    metrics += ecs_metrics(cluster, other, o_cpu, level(rng, 33, 0.03), np.full(N, 2.0) + window(dep, dep + 240) * 2,
                           np.full(N, 2.0), window(dep, dep + 60) * 2)

    logs = []
    group = f"/ecs/{svc}"
    thread = lambda: f"pool-2-thread-{rng.integers(1, 9)}"  # noqa: E731

    def spring(t, lvl, logger, msg, th=None):
        return f"{logts(t).replace(',', '.')} {lvl:>5} 1 --- [invoice-renderer] [{th or thread()}] {logger} : {msg}"

    def boot(t):
        return [(t, spring(t, "INFO", "c.a.i.InvoiceRendererApplication",
                           "Starting InvoiceRendererApplication v3.8.2 using Java 21.0.5 with PID 1", "main")),
                (t + 0.4, spring(t + 0.4, "INFO", "c.a.i.InvoiceRendererApplication",
                                 "JVM options: -XX:MaxRAMPercentage=85.0 -XX:+UseG1GC", "main")),
                (t + 11.8, spring(t + 11.8, "INFO", "c.a.i.InvoiceRendererApplication",
                                  "Started InvoiceRendererApplication in 11.6 seconds (process running for 12.3)",
                                  "main")),
                (t + 12.1, spring(t + 12.1, "INFO", "c.a.i.queue.SqsPoller",
                                  "Polling https://sqs.ap-southeast-2.amazonaws.com/123456789012/invoice-render-jobs",
                                  "main"))]

    def work(t0, t1, task_hot):
        ev = []
        for t in poisson_times(rng, 6.0, t0, t1):
            big = task_hot and t > onset and rng.uniform() < 0.35
            lines = int(rng.integers(2500, 14000)) if big else int(rng.integers(3, 60))
            pages = max(1, lines // 38)
            ev.append((t, spring(t, "INFO", "c.a.i.render.InvoiceRenderer",
                                 f"Rendered invoice INV-2026-{rng.integers(100000, 999999)} ({lines} line items, "
                                 f"{pages} pages) in {int(rng.gamma(2, 300) + pages * 9)} ms")))
        for t in poisson_times(rng, 0.4, t0, t1):
            ev.append((t, spring(t, "WARN", "o.a.pdfbox.pdmodel.font.PDType1Font",
                                 "Using fallback font LiberationSans for Helvetica")))
        if task_hot:
            for t in poisson_times(rng, 1.0, max(t0, onset + 300), t1):
                ev.append((t, spring(t, "WARN", "c.a.i.render.InvoiceRenderer",
                                     f"Large invoice batch for account ACC-{rng.integers(10000, 99999)}: "
                                     f"{rng.integers(40, 160)} invoices queued (month-end run)")))
        return ev

    # tasks: each killed task's stream just stops; a replacement starts ~40-70 s later
    kill_iter = iter(kills)
    nxt = next(kill_iter, None)
    streams = []
    for slot in range(4):
        streams.append([hexid(rng), -10800, None])
    out = {s[0]: [] for s in streams}
    while nxt is not None:
        slot = int(rng.integers(0, 4))
        s = streams[slot]
        out[s[0]] += work(s[1], nxt, True)
        new = [hexid(rng), nxt + rng.uniform(40, 70), None]
        out[new[0]] = boot(new[1])
        new[1] += 13
        streams[slot] = new
        nxt = next(kill_iter, None)
    for s in streams:
        out[s[0]] += work(s[1], 0, True)
    for tid, ev in out.items():
        logs.append(log(group, f"{svc}/{svc}/{tid}", ev))
    # EventBridge rule "ecs-task-state-change" -> CloudWatch Logs
    ev = []
    for k in kills:
        task = hexid(rng)
        body = {"version": "0", "id": hexid(rng, 8) + "-" + hexid(rng, 4) + "-" + hexid(rng, 4) + "-" + hexid(rng, 4)
                + "-" + hexid(rng, 12), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                "account": "123456789012", "time": wall(k + 20).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region,
                "detail": {"clusterArn": f"arn:aws:ecs:{region}:123456789012:cluster/{cluster}",
                           "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                           "stopCode": "EssentialContainerExited",
                           "stoppedReason": "Essential container in task exited",
                           "taskArn": f"arn:aws:ecs:{region}:123456789012:task/{cluster}/{task}",
                           "taskDefinitionArn": f"arn:aws:ecs:{region}:123456789012:task-definition/{svc}:23",
                           "memory": "2048", "cpu": "1024",
                           "containers": [{"name": svc, "exitCode": 137, "lastStatus": "STOPPED",
                                           "reason": "OutOfMemoryError: Container killed due to memory usage"}]}}
        ev.append((k + 20, json.dumps(body, separators=(",", ":"))))
    t = dep + 30
    for _ in range(2):
        body = {"detail-type": "ECS Task State Change", "source": "aws.ecs", "region": region,
                "detail": {"group": f"service:{other}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                           "stopCode": "ServiceSchedulerInitiated", "stoppedReason": "Scaling activity initiated by "
                           f"(deployment ecs-svc/{rng.integers(10**17, 9 * 10**17)})",
                           "containers": [{"name": other, "exitCode": 143, "lastStatus": "STOPPED"}]}}
        ev.append((t + 200, json.dumps(body, separators=(",", ":"))))
        t += 20
    logs.append(log("/aws/events/ecs-task-state-change", "ecs-task-state-change", ev))
    ev = []
    for t in poisson_times(rng, 2.0, -10800, 0):
        ev.append((t, f"{logts(t)} INFO sent template=payment-receipt to=***@{['gmail.com', 'outlook.com', 'bigpond.com'][rng.integers(0, 3)]} "
                      f"ses_message_id={hexid(rng, 16)}"))
    logs.append(log(f"/ecs/{other}", f"{other}/{other}/{hexid(rng)}", ev))

    changes = [
        change(dep - 90, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{other}:57",
               "codepipeline-deployer"),
        change(dep - 40, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}",
               "codepipeline-deployer"),
    ]
    m = find(metrics, "MemoryUtilization", ServiceName=svc)
    al = alarm("invoice-renderer-memory-high", m, "Maximum", 300, 2, 90,
               description="invoice-renderer memory utilisation above 90%")
    resources = [
        {"type": "ecs", "id": f"{cluster}/{svc}", "properties": {
            "cluster": cluster, "task_definition": f"{svc}:23", "desired_count": 4, "cpu": 1024, "memory": 2048,
            "launch_type": "FARGATE"}},
        {"type": "ecs", "id": f"{cluster}/{other}", "properties": {
            "cluster": cluster, "task_definition": f"{other}:57", "desired_count": 2, "cpu": 256, "memory": 512,
            "launch_type": "FARGATE"}},
    ]
    scn = scenario("h5-02-ecs-task-oom", "Invoice rendering backlog growing; invoice-renderer memory alarm fired.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "memory_exhaustion", [f"{cluster}/{svc}", svc], [m]))
    return {"file": "h5-02-ecs-task-oom.yaml", "scenario": scn,
            "decoys": "email-sender deploy 2.5 h earlier; email-sender CPU burst 3.5 h earlier; steady PDFBox "
                      "font-fallback warnings",
            "story": "Month-end invoice run: a few accounts produce invoices with thousands of line items. The "
                     "renderer JVM is sized with MaxRAMPercentage=85 inside a 2 GiB task, so heap plus native "
                     "memory exceeds the container limit and the kernel OOM-kills the container (exit code 137, "
                     "'OutOfMemoryError: Container killed due to memory usage'). Memory utilisation sits at the limit "
                     "and RunningTaskCount dips each time a task is replaced. No change preceded it."}
