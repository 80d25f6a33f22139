"""Scenarios 07-09: JVM heap exhaustion on ECS, disk full on an EC2 ingest gateway, Lambda reserved-concurrency
throttling behind API Gateway."""
from __future__ import annotations

import datetime as dt

from .core import UTC, Scenario, minute_of, ramp
from .infra import Streams, alb_metrics, apigw_exec, ec2_metrics, ecs_metrics, slog, spring
from .lam import LambdaFn, apigw_front, fn_minutes

OOM = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed: "
       "java.lang.OutOfMemoryError: Java heap space] with root cause\n\njava.lang.OutOfMemoryError: Java heap space\n"
       "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
       "\tat java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)\n"
       "\tat java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:132)\n"
       "\tat org.apache.pdfbox.pdfwriter.COSStandardOutputStream.write(COSStandardOutputStream.java:143)\n"
       "\tat org.apache.pdfbox.pdfwriter.COSWriter.doWriteObject(COSWriter.java:532)\n"
       "\tat org.apache.pdfbox.pdmodel.PDDocument.save(PDDocument.java:1351)\n"
       "\tat com.acme.pdf.render.DocumentRenderer.render(DocumentRenderer.java:142)\n"
       "\tat com.acme.pdf.render.RenderController.render(RenderController.java:58)\n"
       "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)")


def s07():
    s = Scenario(7, "pdf-render-heap", "us-east-1", dt.datetime(2026, 3, 18, 16, 40, tzinfo=UTC), 4607,
                 "PDF rendering slow and failing for invoices and statements; pdf_render_svc memory alarm in ALARM.",
                 log_start=-5400)
    r = s.rng
    cl, svc, lb = "svc_pdf", "pdf_render_svc", "app/svc-pdf-internal/1b2c3d4e5f6a7b8c"
    group = f"/ecs/{cl}/{svc}"
    s.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3, load_balancer=lb,
               task_definition="pdf_render_svc:41", log_groups=[group], java_opts="-Xms512m -Xmx1536m -XX:+UseG1GC")
    s.resource("ecs", f"{cl}/thumbnail_svc", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2,
               task_definition="thumbnail_svc:19")
    s.resource("alb", lb, name="svc-pdf-internal", scheme="internal", targets=[f"{cl}/{svc}"])
    s.change(-2380, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "thumbnail_svc:19", "argo-deployer")
    s.change(-2350, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/thumbnail_svc", "argo-deployer")
    T = -2400
    heap = lambda t: min(1531.0, ramp(t, -21600, T, 930, 1531))  # noqa: E731  live heap after GC (MB)
    tasks = [s.hexs(32) for _ in range(3)]
    logs = Streams(s, group)
    rows = {}
    gc_n = {tid: r.randint(4000, 9000) for tid in tasks}
    for m in s.minutes():
        req = s.pois(120 * s.diurnal(m, lo=0.3, peak=12))
        thrash = m >= T
        bad = s.pois(req * 0.19) if thrash else 0
        rows[m] = dict(req=req, t2=req - bad, t4=0, t5=bad, e5=s.pois(0.02), healthy=3, unhealthy=0,
                       rt=s.jit(0.9, 0.08) + (s.jit(2.7, 0.12) if thrash else ramp(m, -6000, T, 0, 0.4)))
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 6)):
            kind = r.choice(["invoice_v3", "statement_v2", "quote_v1", "invoice_v3"])
            ms = r.randint(400, 1400) + (r.randint(2000, 6000) if thrash else 0)
            logs.add(f"ecs/{svc}/{r.choice(tasks)}", t, spring(s, t, "INFO", svc, f"nio-8080-exec-{r.randint(1, 50)}",
                     "c.a.pdf.render.RenderController", f"Rendered doc_{s.hexs(12)} pages={r.randint(1, 30)} template={kind} in {ms} ms"))
        for t in s.spread(m, bad):
            logs.add(f"ecs/{svc}/{r.choice(tasks)}", t, spring(s, t, "ERROR", svc, f"nio-8080-exec-{r.randint(1, 50)}",
                     "o.a.c.c.C.[.[.[/].[dispatcherServlet]", OOM))
        for t in s.spread(m, s.pois(0.7)):
            logs.add(f"ecs/{svc}/{r.choice(tasks)}", t, spring(s, t, "WARN", svc, f"nio-8080-exec-{r.randint(1, 50)}",
                     "o.a.pdfbox.pdmodel.font.PDType1Font", "Using fallback font LiberationSans for base font Helvetica-Narrow"))
        for tid in tasks:
            tt = m + r.uniform(0, 10)
            while tt < m + 60:
                gc_n[tid] += 1
                live = min(1533.0, heap(tt) + r.uniform(-8, 3))
                if thrash:
                    line = (f"[{s.iso(tt, z='+0000')}][info][gc] GC({gc_n[tid]}) Pause Full (G1 Compaction Pause) "
                            f"1535M->{live:.0f}M(1536M) {r.uniform(1800, 3400):.3f}ms")
                    step = r.uniform(5, 9)
                else:
                    line = (f"[{s.iso(tt, z='+0000')}][info][gc] GC({gc_n[tid]}) Pause Young (Normal) (G1 Evacuation Pause) "
                            f"{min(1530, live + r.uniform(250, 400)):.0f}M->{live:.0f}M(1536M) {r.uniform(9, 28):.3f}ms")
                    step = r.uniform(18, 35)
                logs.add(f"ecs/{svc}/{tid}", tt, line)
                tt += step
        if m % 600 == 0:
            for tid in tasks:
                logs.add(f"ecs/{svc}/{tid}", m + 1, spring(s, m + 1, "INFO", svc, "scheduling-1", "c.a.pdf.render.TemplateCache",
                         f"template cache stats: entries={int(ramp(m, -21600, 0, 21000, 64000)) + r.randint(0, 900)} hitRate=0.97 evictions=0"))
    logs.flush()
    alb_metrics(s, lb, rows)
    ecs_metrics(s, cl, svc, cpu=lambda t: s.jit(74 if t >= T else 20 + 14 * s.diurnal(t, lo=0.3, peak=12), 0.06),
                mem=lambda t: s.jit(94.6 if t >= T else 60 + 27 * (heap(t) - 930) / 601, 0.004), running=lambda t: 3)
    ecs_metrics(s, cl, "thumbnail_svc", cpu=lambda t: s.jit(12, 0.15) + (20 if -2360 <= t < -2280 else 0),
                mem=lambda t: s.jit(41, 0.02), running=lambda t: 4 if -2350 <= t < -2250 else 2, desired=lambda t: 2)
    s.alarm("pdf_render_svc-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc},
            "Average", 60, 3, 90, description="pdf_render_svc memory utilization above 90 %")
    s.readme = dict(pos="origin (ECS MemoryUtilization)", decoys="thumbnail_svc (same cluster) deployed at -2350 s; steady "
                    "PDFBox font-fallback WARN; ALB 5XX as a downstream symptom",
                    story="No deploy of pdf_render_svc in the window. The live heap after each GC grows all day (930 MB -> 1.53 GB "
                    "of a 1.5 GB -Xmx, with a template cache that never evicts), and container memory climbs with it. From -2400 s "
                    "the JVMs are stuck in back-to-back Full GCs that free nothing, requests throw java.lang.OutOfMemoryError: Java "
                    "heap space, latency quadruples and MemoryUtilization sits above 93 %. CPU rises only from GC work. The "
                    "thumbnail_svc deploy in the same cluster is unrelated. OOM errors with memory at the limit: memory_exhaustion "
                    "on the ECS service.")
    return s.build("pdf_render_svc-memory-high", "memory_exhaustion", [f"{cl}/{svc}", svc],
                   [("AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc})])


def s08():
    s = Scenario(8, "ingest-spool-full", "eu-west-1", dt.datetime(2026, 3, 19, 9, 15, tzinfo=UTC), 4608,
                 "Event ingestion partially failing (clients see 503s); ingest ALB 5XX alarm fired.", hist=28800,
                 log_start=-5400)
    r = s.rng
    lb = "app/prod-ingest-alb/5e6f7a8b9c0d1e2f"
    gws = [("i-0d4e5f6a7b8c9d0e1", "prod-ingest-gw-1"), ("i-0e5f6a7b8c9d0e1f2", "prod-ingest-gw-2")]
    full_id, T = gws[0][0], -1560
    for iid, name in gws:
        s.resource("ec2", iid, name=name, instance_type="c6g.large", log_groups=["/prod/ingest-gw"],
                   volumes={"/": "gp3 30 GiB", "/var/spool/ingest": "gp3 200 GiB"})
    s.resource("ec2", "i-0f6a7b8c9d0e1f2a3", name="analytics-etl-1", instance_type="r6g.xlarge")
    s.resource("alb", lb, name="prod-ingest-alb", scheme="internet-facing", targets=[g[0] for g in gws])
    s.change(-1700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ingest-dlq-replayer",
             "github-actions-deploy")
    dlq = LambdaFn(s, "ingest-dlq-replayer", "provided.al2023", memory=256, timeout=300, mem_used=(40, 60),
                   generations=[(-1700, "$LATEST")])
    spool1 = lambda t: min(100.0, ramp(t, -28800, T, 72.0, 100.0))  # noqa: E731
    spool2 = lambda t: 38.0 + ((t + 28800) % 3600) / 3600 * 7.0  # noqa: E731  trimmed every hour
    logs = Streams(s, "/prod/ingest-gw")
    rows = {}
    for m in s.minutes():
        req = s.pois(360 * s.diurnal(m, lo=0.35, peak=11))
        bad = s.pois(req * 0.5 * 0.92) if m >= T else 0
        rows[m] = dict(req=req, t2=req - bad, t4=s.pois(0.8), t5=bad, e5=s.pois(0.02), healthy=2, unhealthy=0,
                       rt=s.jit(0.014, 0.1) * (0.6 if m >= T else 1))
        for t in s.spread(m, s.pois(0.4)):
            dlq.add(t, s.jit(2400, 0.2), lines=[(2380, None, slog(s, t + 2.38, "INFO", "dlq replay pass", replayed=0, remaining=0))])
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 20)):
            iid = r.choice(gws)[0]
            if iid == full_id and m >= T:
                continue
            logs.add(iid, t, slog(s, t, "INFO", "request", method="POST", path="/v1/events", status=202,
                     bytes=r.randint(400, 9000), dur_ms=round(r.uniform(4, 30), 1), tenant=f"t_{r.randint(1000, 9999)}"))
        seg = 918 + (m - T) // 600 if m >= T else 0
        for t in s.spread(m, bad):
            logs.add(full_id, t, slog(s, t, "ERROR", "spool append failed", tenant=f"t_{r.randint(1000, 9999)}",
                     seg=f"seg-{seg:06d}", err=f"write /var/spool/ingest/seg-{seg:06d}.wal: no space left on device"))
        for t in s.spread(m, s.pois(0.5)):
            iid = r.choice(gws)[0]
            logs.add(iid, t, slog(s, t, "WARN", "deprecated protocol header", header="X-Ingest-Version", value="1", tenant="t_1007"))
        if m % 3600 == 0:
            logs.add(full_id, m + 2, slog(s, m + 2, "WARN", "spool trim skipped", reason="segment pinned by replay cursor",
                     cursor="backfill-2026-03-17", segment="seg-000412", age="31h"))
            logs.add(gws[1][0], m + 2, slog(s, m + 2, "INFO", "spool trim", removed_segments=r.randint(30, 40),
                     freed_bytes=r.randint(1_200_000_000, 1_500_000_000)))
        if spool1(m) >= 90 and m % 300 == 0:
            logs.add(full_id, m + 5, slog(s, m + 5, "WARN", "spool usage high", path="/var/spool/ingest", used_pct=round(spool1(m), 1)))
    logs.flush()
    dlq.finish()
    alb_metrics(s, lb, rows)
    for iid, _ in gws:
        sp = spool1 if iid == full_id else spool2
        ec2_metrics(s, iid, cpu=lambda t: s.jit(18 + 22 * s.diurnal(t, lo=0.35, peak=11), 0.07), mem=lambda t: s.jit(44, 0.02),
                    disk=lambda t, sp=sp: s.jit(sp(t), 0.0005), path="/var/spool/ingest",
                    net_in=lambda t: s.jit(2.1e6 * s.diurnal(t, lo=0.35, peak=11), 0.08))
        s.series("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                 lambda t: 34.0 + (t + 28800) / 28800 * 0.4)
    ec2_metrics(s, "i-0f6a7b8c9d0e1f2a3", cpu=lambda t: s.jit(98.5, 0.01) if -2100 <= t < -1200 else s.jit(6, 0.3),
                mem=lambda t: s.jit(71, 0.02), net_in=lambda t: s.jit(5e5, 0.3))
    s.alarm("prod-ingest-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 50,
            description="Ingest ALB target 5XX")
    s.readme = dict(pos="front (ALB, 1 hop)", decoys="analytics-etl-1 at 98 % CPU from -2100 s to -1200 s; ingest-dlq-replayer "
                    "deploy at -1700 s; steady deprecated-header WARN on both gateways",
                    story="The spool volume of prod-ingest-gw-1 (/var/spool/ingest) fills steadily for 8 hours (72 % -> 100 %) "
                    "because its hourly trim is skipped (segment pinned by a replay cursor), while gw-2 trims every hour and stays "
                    "near 40 %. At -1560 s the volume is full and every append on gw-1 fails with 'no space left on device'; half "
                    "of the ALB's requests (those routed to gw-1) become 503s. Health checks do not cover the disk, so both "
                    "targets stay healthy. CPU spike on the analytics box and the Lambda deploy are unrelated. Disk full with "
                    "'No space left on device': storage_exhaustion on prod-ingest-gw-1.")
    return s.build("prod-ingest-alb-5xx", "storage_exhaustion", [full_id, "prod-ingest-gw-1"],
                   [("CWAgent", "disk_used_percent", {"InstanceId": full_id, "path": "/var/spool/ingest", "fstype": "xfs"})])


def s09():
    s = Scenario(9, "quote-docs-throttles", "eu-west-1", dt.datetime(2026, 3, 20, 10, 30, tzinfo=UTC), 4609,
                 "Sales reps get 'Internal server error' generating quote PDFs; quote API 5XX alarm fired.", log_start=-4500)
    r = s.rng
    name, api, RES = "svc-quote-docs", "svc-quote-gw", 8

    def init(t0):
        return [(0, None, "Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1"),
                (2100, None, f"{s.iso(t0 + 2.1, sep=' ', z='')}  INFO  QuoteTemplates - loaded 14 templates from classpath in 1874 ms")]

    s.resource("apigateway", api, stage="prod", integrations=[name, "svc-quote-api"])
    fn = LambdaFn(s, name, "java21", memory=2048, timeout=60, reserved=RES, mem_used=(610, 820), init_ms=(2600, 3900),
                  init_lines=init)
    qa = LambdaFn(s, "svc-quote-api", "java21", memory=1024, timeout=20, mem_used=(300, 360), init_ms=(2200, 3100),
                  generations=[(-1860, "$LATEST")])
    s.change(-1860, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "svc-quote-api", "codepipeline")
    running = []
    gw = Streams(s, "API-Gateway-Execution-Logs_7hq2m4x9z1/prod")
    gw4 = {}
    for m in s.minutes():
        gw4[m] = s.pois(2.2)
        demand = 40 * s.diurnal(m, lo=0.12, peak=12) * ramp(m, -1900, -1750, 1.0, 1.7)
        for t in s.spread(m, s.pois(demand)):
            running = [e for e in running if e > t]
            if len(running) >= RES:
                fn.throttle(minute_of(t), 1)
                if t >= s.log_start:
                    a = s.uid()
                    gw.add("3e1f0c9a7b5d2e4f6a8c0b1d3e5f7a9c", t, apigw_exec(a, f"Lambda invocation failed with status: 429. "
                           f"Lambda request id: {s.uid()}"))
                    gw.add("3e1f0c9a7b5d2e4f6a8c0b1d3e5f7a9c", t + 0.001, apigw_exec(a, "Execution failed due to configuration "
                           "error: Rate Exceeded."))
                    gw.add("3e1f0c9a7b5d2e4f6a8c0b1d3e5f7a9c", t + 0.002, apigw_exec(a, "Method completed with status: 500"))
                continue
            d = max(2500.0, r.gauss(7400, 1500))
            running.append(t + d / 1000)
            q = f"Q-2026-{r.randint(30000, 39999):06d}"
            fn.add(t, d, lines=[(15, "INFO", f"QuoteDocHandler - rendering {q} for tenant t_{r.randint(100, 999)} "
                                             f"({r.randint(3, 40)} line items)"),
                                (d - 30, "INFO", f"QuoteDocHandler - stored s3://acme-quotes-prod/{q}.pdf "
                                                 f"({r.randint(2, 11)} pages, {r.randint(120, 900)} KB) in {d - 40:.0f} ms")])
        for t in s.spread(m, s.pois(22 * s.diurnal(m, lo=0.12, peak=12))):
            qa.add(t, s.jit(180, 0.25), lines=[(20, "INFO", f"QuoteController - GET /quotes/Q-2026-{r.randint(30000, 39999):06d} 200")])
    fn.finish()
    qa.finish()
    gw.flush()
    fm = fn_minutes(fn)
    for m, v in fm.items():
        fm[m] = (v[0], v[1] + v[2], 0, v[3])    # throttled invocations reach clients as 500 (INTEGRATION_FAILURE)
    thr = {m: n for m, n in fn.throttles.items()}
    apigw_front(s, api, fm, extra_4xx=gw4)
    for mt in s.metrics:
        if mt["namespace"] == "AWS/ApiGateway" and mt["name"] == "Count":
            mt["points"] = [[t, v + thr.get(t, 0)] for t, v in mt["points"]]
    s.alarm("svc-quote-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 4,
            description="Quote API 5XX")
    s.readme = dict(pos="front (API Gateway, 1 hop)", decoys="svc-quote-api (same API) code deploy at -1860 s, right at onset; "
                    "steady 403s from scanners at the API; sporadic throttles (1-5/min) at the morning peak before the rush",
                    story="svc-quote-docs has reserved concurrency 8 (not changed in the window). Quote-PDF demand climbs with the business "
                    "morning and then ~1.7x in a quarter-end rush from -1900 s; each render takes ~7.4 s, so ConcurrentExecutions "
                    "pins at 8 and Lambda rejects the excess with 429 (Throttles 10-20/min). API Gateway's execution log shows "
                    "'Lambda invocation failed with status: 429 ... Rate Exceeded' and answers 500, which is what the 5XX alarm "
                    "counts. The function itself has no errors and normal duration; the svc-quote-api deploy is a different "
                    "function and stays healthy. The load is well within its usual range, the concurrency limit is what fails: "
                    "throttling on svc-quote-docs.")
    return s.build("svc-quote-gw-5xx", "throttling", [name],
                   [("AWS/Lambda", "Throttles", {"FunctionName": name}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
