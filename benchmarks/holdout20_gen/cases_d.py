"""Scenarios 07-08: two alarms, one origin (heap exhaustion behind a caller); a caller that relays a
callee's AccessDenied."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn

ACCOUNT = "123456789012"

OOM_STACK = "\n".join("\tat " + f for f in [
    "java.base/java.util.Arrays.copyOf(Arrays.java:3541)",
    "java.base/java.io.ByteArrayOutputStream.ensureCapacity(ByteArrayOutputStream.java:100)",
    "java.base/java.io.ByteArrayOutputStream.write(ByteArrayOutputStream.java:132)",
    "org.apache.pdfbox.io.RandomAccessReadBuffer.createBufferFromStream(RandomAccessReadBuffer.java:129)",
    "org.apache.pdfbox.Loader.loadPDF(Loader.java:214)",
    "com.lexbridge.preview.render.PreviewRenderer.render(PreviewRenderer.java:58)",
    "com.lexbridge.preview.web.PreviewController.preview(PreviewController.java:41)"])


def gunicorn(s: Scn, t: float, pid: int, level: str, msg: str) -> str:
    return f"[{s.stamp(t)} +0000] [{pid}] [{level}] {msg}"


def django_error(s: Scn, t: float, path: str, exc: str) -> str:
    return (f"ERROR {s.stamp(t)},{int(s.rng.integers(100, 999))} log Internal Server Error: {path}\n"
            "Traceback (most recent call last):\n"
            '  File "/app/.venv/lib/python3.12/site-packages/django/core/handlers/exception.py", line 55, in inner\n'
            "    response = get_response(request)\n"
            '  File "/app/portal/documents/views.py", line 212, in preview\n'
            "    resp = preview_client.render(doc.id, page=page)\n"
            '  File "/app/portal/clients/preview.py", line 37, in render\n'
            "    r.raise_for_status()\n" + exc)


# ---------------------------------------------------------------------------------------------
def h20_07() -> tuple[dict, dict]:
    s = Scn("h20-07-docs-portal-5xx-preview-heap", 2007, "eu-west-2", "2026-11-20T11:30:00",
            "Document previews failing in the client portal; docs-portal-alb 5XX and pdf-preview memory alarms firing.")
    lb, lb_name = "app/docs-portal-alb/a1b2c3d4e5f60789", "docs-portal-alb"
    cluster, portal, preview, db = "docs", "portal-web", "pdf-preview", "docs-db"
    grow, oom0 = -3900, -2760
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_group="portal-web-tg")
    s.res("ecs", f"{cluster}/{portal}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
          environment={"DJANGO_SETTINGS_MODULE": "portal.settings.prod", "PREVIEW_URL": "http://pdf-preview.docs.local:8080",
                       "PREVIEW_TIMEOUT_S": "10"})
    s.res("ecs", f"{cluster}/{preview}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
          environment={"JAVA_TOOL_OPTIONS": "-Xmx1536m -XX:+ExitOnOutOfMemoryError -Xlog:gc:stdout",
                       "PREVIEW_MAX_PAGES": "0"})
    s.res("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large", max_connections=1700,
          allocated_storage_gb=400)

    # OOM crashes of the preview tasks, replaced ~60 s later
    crashes = oom0 + 20 + np.concatenate([[0.0], np.cumsum(s.rng.uniform(260, 480, 11))])
    crashes = crashes[crashes < -30]
    tasks = kit.Tasks(s, preview)
    live = [tasks.add(-170000 - k * 300) for k in range(3)]
    for c in crashes:
        victim = live.pop(int(s.rng.integers(len(live))))
        for row in tasks.tasks:
            if row[0] == victim:
                row[2] = c + 1
        nid = tasks.add(c + float(s.rng.uniform(55, 75)))
        live.append(nid)
    running = np.array([len(tasks.running(tt + 30)) for tt in s.t], dtype=float)
    big = s.step(grow, ramp=1100)
    mem = s.gauge(51 + 42 * big, 1.2, lo=30, hi=100)
    for c in crashes:
        mem = np.where((s.t >= c) & (s.t < c + 240), mem - 17 * np.exp(-(s.t - c) / 150), mem)
    mem = np.clip(mem, 30, 99.6)
    day = s.daily(0.25, 12.5)
    kit.ecs_metrics(s, cluster, preview, s.gauge(22 * day + 38 * big, 2.5, lo=3, hi=100), mem, running)

    req = s.counts(620 * day)
    prev_req = s.binom(req, 0.21)
    fail = s.binom(prev_req, 0.62 * s.step(oom0 - 60, ramp=120))
    t5 = fail + s.counts(0.2 * np.ones_like(s.t))
    rt = s.gauge(0.21, 0.015, lo=0.1) + s.step(oom0 - 60, ramp=120) * s.gauge(1.9, 0.2, lo=0.8)
    kit.alb_metrics(s, lb, req, rt, t5, s.counts(0.03 * np.ones_like(s.t)), np.full_like(req, 4.0),
                    np.zeros_like(req), t4xx=s.counts(req * 0.015))
    kit.ecs_metrics(s, cluster, portal, s.gauge(24 * day, 1.5, lo=3), s.gauge(38, 0.6, lo=20), np.full_like(req, 4.0))

    vac = (s.t >= -9000) & (s.t < -8340)
    kit.rds_metrics(s, db, s.gauge(16 * day, 1.5, lo=2) + vac * 55, s.gauge(64, 3, lo=10), s.gauge(211.0, 0.04),
                    s.gauge(8.2, 0.06), s.gauge(0.0011, 0.0002, lo=0.0003), s.gauge(0.0018, 0.0003, lo=0.0005))

    # ---- pdf-preview logs ----
    tenants = ["kingsway-llp", "morrow-partners", "harrow-legal", "bexley-and-co", "st-albans-law"]
    for tid, a, b in tasks.tasks:
        if a > -21600:
            tasks.emit(a + 9.5, lf.spring(s, a + 9.5, "INFO", preview, "main", "c.l.preview.PdfPreviewApplication",
                                          "Started PdfPreviewApplication in 8.904 seconds (process running for 9.77)"), tid)
    for tt in s.arrivals(s.counts(prev_req * 0.06)):
        big_doc = tt >= grow and s.rng.random() < 0.35 * min(1.0, (tt - grow) / 1100)
        pages = int(s.rng.integers(700, 1300)) if big_doc else int(s.rng.integers(1, 60))
        tenant = "harrow-legal" if big_doc else s.pick(tenants)
        tasks.emit(tt, lf.spring(s, tt, "INFO", preview, f"nio-8080-exec-{int(s.rng.integers(1, 40))}",
                                 "c.l.preview.render.PreviewRenderer",
                                 f"Rendering preview doc=DOC-{int(s.rng.integers(10**6, 10**7))} tenant={tenant} "
                                 f"pages={pages} size={pages * s.rng.uniform(0.35, 0.6):.1f}MB"))
    for tt in np.arange(-21590, 0, 40.0):
        for tid in tasks.running(tt):
            heap = float(np.interp(tt, s.t, mem)) / 100 * 1536 * s.rng.uniform(0.97, 1.0)
            te = tt + float(s.rng.uniform(0, 30))
            if tt < grow or s.rng.random() < 0.25:
                tasks.emit(te, f"[{s.iso(te)}][info][gc] GC({int(s.rng.integers(100, 9000))}) Pause Young (Normal) "
                           f"(G1 Evacuation Pause) {heap:.0f}M->{heap * (0.62 if tt < grow else 0.91):.0f}M(1536M) {s.rng.uniform(3, 14):.3f}ms", tid)
            elif heap > 1300:
                tasks.emit(te, f"[{s.iso(te)}][info][gc] GC({int(s.rng.integers(100, 9000))}) Pause Full (G1 Compaction Pause) "
                           f"{heap:.0f}M->{heap * 0.985:.0f}M(1536M) {s.rng.uniform(1400, 2600):.3f}ms", tid)
    for c in crashes:
        victim = [tid for tid, a, b in tasks.tasks if abs(b - (c + 1)) < 1e-6][0]
        th = f"nio-8080-exec-{int(s.rng.integers(1, 40))}"
        tasks.emit(c - 0.4, lf.spring(s, c - 0.4, "INFO", preview, th, "c.l.preview.render.PreviewRenderer",
                                      f"Rendering preview doc=DOC-{int(s.rng.integers(10**6, 10**7))} tenant=harrow-legal "
                                      f"pages={int(s.rng.integers(900, 1300))} size={s.rng.uniform(420, 640):.1f}MB"), victim)
        tasks.emit(c - 0.05, lf.spring(s, c - 0.05, "ERROR", preview, th, "c.l.preview.web.PreviewController",
                   f"Preview failed for doc=DOC-{int(s.rng.integers(10**6, 10**7))}\n"
                   "java.lang.OutOfMemoryError: Java heap space\n" + OOM_STACK), victim)
        tasks.emit(c, "Terminating due to java.lang.OutOfMemoryError: Java heap space", victim)
    tasks.flush(f"/ecs/{preview}")

    # ---- portal-web logs (gunicorn + Django) ----
    ptasks = kit.Tasks(s, portal)
    pids = {ptasks.add(-9800 + 40 + k * 20): 7 + k for k in range(4)}
    old = [ptasks.add(-200000) for _ in range(4)]
    for row in ptasks.tasks:
        if row[0] in old:
            row[2] = -9800 + 60 + float(s.rng.uniform(0, 60))
    for tid, pid in pids.items():
        a = [r[1] for r in ptasks.tasks if r[0] == tid][0]
        ptasks.emit(a + 1, gunicorn(s, a + 1, 1, "INFO", "Starting gunicorn 22.0.0"), tid)
        ptasks.emit(a + 1.2, gunicorn(s, a + 1.2, 1, "INFO", "Listening at: http://0.0.0.0:8000 (1)"), tid)
    n_log, n_bad = s.sample_minutes(prev_req, fail, 0.05)
    for i, (n, b) in enumerate(zip(n_log, n_bad)):
        for k in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            path = f"/documents/{int(s.rng.integers(10**6, 10**7))}/preview"
            if k < b:
                if tt < crashes[0] + 2 or s.rng.random() < 0.55:
                    exc = ("requests.exceptions.ReadTimeout: HTTPConnectionPool(host='pdf-preview.docs.local', port=8080): "
                           "Read timed out. (read timeout=10)")
                else:
                    exc = ("requests.exceptions.ConnectionError: HTTPConnectionPool(host='pdf-preview.docs.local', port=8080): "
                           f"Max retries exceeded with url: /render?doc={path.split('/')[2]}&page=1 (Caused by "
                           f"NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f{s.hexs(10)}>: Failed to "
                           "establish a new connection: [Errno 111] Connection refused'))")
                ptasks.emit(tt, django_error(s, tt, path, exc))
            else:
                ptasks.emit(tt, f'{s.ip("10.0")} - - [{s.stamp(tt, "%d/%b/%Y:%H:%M:%S")} +0000] "GET {path}?page=1 HTTP/1.1" '
                                f'200 {int(s.rng.integers(40000, 400000))} "-" "Mozilla/5.0"')
    for tt in s.arrivals(s.counts(np.full_like(s.t, 0.08))):
        ptasks.emit(tt, f"WARNING {s.stamp(tt)},{int(s.rng.integers(100, 999))} csrf Forbidden (CSRF token from POST "
                        "has incorrect length.): /accounts/login/")
    ptasks.flush(f"/ecs/{portal}")

    s.change(-9830, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", portal, "gitlab-deployer")
    s.change(-9800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{portal}", "gitlab-deployer")

    s.alarm(f"{preview}-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": preview},
            "Average", 60, 5, 85, description="pdf-preview memory above 85 %", to_alarm=3, not_before=grow)
    s.alarm(f"{lb_name}-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
            description="client portal 5XX", not_before=oom0 - 60)
    doc = s.build(f"{lb_name}-5xx", "memory_exhaustion", [f"{cluster}/{preview}", preview],
                  [("AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": preview})])
    meta = {"front": "front (caller's ALB); the origin's own alarm is also in ALARM",
            "decoys": "second alarm in ALARM on the callee; caller released 2.7 h earlier; database maintenance CPU spike "
                      "2.5 h earlier; standing CSRF warnings",
            "text": "A law-firm tenant started bulk-uploading 700-1300-page scans. pdf-preview loads each file whole into "
                    "its 1.5 GB heap: memory climbs for twenty minutes, full GCs reclaim almost nothing, then tasks die with "
                    "`java.lang.OutOfMemoryError: Java heap space` / `Terminating due to ...` and are replaced, over and "
                    "over. The portal, which calls pdf-preview, relays read timeouts and connection refusals as 500s, and "
                    "its ALB alarm is the one paged. Two alarms are firing; the investigated one sits on the caller, the "
                    "origin is the callee, whose memory is at its limit with OOM errors. No change precedes the onset (the "
                    "portal's release is 2.7 h old and served cleanly). Label: memory_exhaustion on docs/pdf-preview."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_08() -> tuple[dict, dict]:
    s = Scn("h20-08-orders-gateway-5xx-fulfilment-role", 2008, "us-east-2", "2026-11-20T15:10:00",
            "Checkout failing with 502 from the orders gateway; orders-gateway 5XX alarm.")
    api, api_id, caller, callee, role = "orders-gateway", "g5h6j7k8l9", "order-api", "fulfilment-svc", "fulfilment-svc-role"
    deploy, iam, onset = -3600, -2930, -2905
    s.res("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL")
    s.res("lambda", caller, runtime="nodejs20.x", timeout=15, memory_size=512, handler="dist/index.handler",
          role="order-api-role", environment={"FULFILMENT_FUNCTION": callee, "ORDERS_TABLE": "orders"})
    s.res("lambda", callee, runtime="python3.12", timeout=10, memory_size=256, handler="fulfil.handler", role=role,
          environment={"RESERVATIONS_TABLE": "inventory-reservations", "WAREHOUSE_QUEUE_URL":
                       f"https://sqs.us-east-2.amazonaws.com/{ACCOUNT}/warehouse-picks"})

    day = s.daily(0.3, 19.5)
    req = s.counts(150 * day)
    orders = s.binom(req, 0.42)
    after = s.step(onset)
    denied = s.binom(orders, 0.97 * after)
    callee_err = denied + s.counts(0.01 * np.ones_like(s.t))
    e4 = s.counts(req * 0.02)
    e5 = denied + s.counts(0.05 * np.ones_like(s.t))
    kit.apigw_metrics(s, api, req, e4, e5, s.gauge(180 - 60 * after, 10, lo=60), s.gauge(165 - 60 * after, 10, lo=50))
    kit.lambda_metrics(s, caller, req - e4, s.counts(0.02 * np.ones_like(s.t)), s.gauge(170 - 60 * after, 10, lo=40))
    kit.lambda_metrics(s, callee, orders, callee_err, s.gauge(95 - 40 * after, 6, lo=20))

    def c_banner(t: float, rid: str, ver: str) -> str:
        return lf.node(s, t, "INFO", rid, f"order-api {'3.12.0' if t >= deploy else '3.11.4'} cold start")

    def c_ok(t: float, rid: str):
        d = float(s.rng.gamma(8, 20))
        oid = f"ord_{s.hexs(12)}"
        if s.rng.random() < 0.42:
            body = [(0.002, lf.node(s, t, "INFO", rid, f"POST /orders cart=crt_{s.hexs(10)} items={int(s.rng.integers(1, 7))}"))]
            if t >= onset and s.rng.random() < 0.97:
                msg = (f"An error occurred (AccessDeniedException) when calling the UpdateItem operation: User: "
                       f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{callee} is not authorized to perform: "
                       f"dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-2:{ACCOUNT}:table/inventory-reservations "
                       "because no identity-based policy allows the dynamodb:UpdateItem action")
                body.append((0.09, lf.node(s, t + 0.09, "ERROR", rid, f"fulfilment-svc invocation failed for {oid}: "
                                           f"FunctionError=Unhandled errorType=ClientError errorMessage=\"{msg}\"; "
                                           "responding 502")))
                return body, float(s.rng.gamma(6, 18)), int(s.rng.integers(120, 140)), None
            body.append((d / 1000 - 0.01, lf.node(s, t + d / 1000 - 0.01, "INFO", rid, f"order {oid} reserved and queued")))
        else:
            body = [(0.002, lf.node(s, t, "INFO", rid, f"GET /orders/ord_{s.hexs(12)} 200"))]
            if s.rng.random() < 0.04:
                body = [(0.002, lf.node(s, t, "WARN", rid, "POST /orders rejected: validation failed "
                                        "(shipping.postcode missing); responding 400"))]
        return body, d, int(s.rng.integers(120, 140)), None

    kit.lambda_logs(s, caller, req - e4, np.zeros_like(req), 0.03, c_ok, c_ok, "nodejs20.x", 512, envs=3,
                    banner=c_banner, recycle=(deploy,))

    frames = [("/var/task/fulfil.py", 48, "handler", "reserve_items(order)"),
              ("/var/task/inventory/reserve.py", 77, "reserve_items", "table.update_item(**update)"),
              ("/var/task/botocore/client.py", 1023, "_make_api_call", "raise error_class(parsed_response, operation_name)")]

    def f_ok(t: float, rid: str):
        d = float(s.rng.gamma(9, 10))
        body = [(0.002, lf.py(s, t, "INFO", rid, f"reserving {int(s.rng.integers(1, 7))} items for ord_{s.hexs(12)}")),
                (d / 1000 - 0.01, lf.py(s, t + d / 1000 - 0.01, "INFO", rid, "reservation ok; pick request sent to "
                                        "warehouse-picks"))]
        return body, d, int(s.rng.integers(88, 97)), None

    def f_bad(t: float, rid: str):
        if t < onset:
            return [(0.002, lf.py(s, t, "INFO", rid, f"reserving 2 items for ord_{s.hexs(12)}")),
                    (0.3, lf.py_unhandled("ConditionalCheckFailedException", "An error occurred "
                                          "(ConditionalCheckFailedException) when calling the UpdateItem operation: The "
                                          "conditional request failed", frames))], 320.0, 93, None
        msg = (f"An error occurred (AccessDeniedException) when calling the UpdateItem operation: User: "
               f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{callee} is not authorized to perform: dynamodb:UpdateItem on "
               f"resource: arn:aws:dynamodb:us-east-2:{ACCOUNT}:table/inventory-reservations because no identity-based "
               "policy allows the dynamodb:UpdateItem action")
        return [(0.002, lf.py(s, t, "INFO", rid, f"reserving {int(s.rng.integers(1, 7))} items for ord_{s.hexs(12)}")),
                (0.05, lf.py_unhandled("ClientError", msg, frames))], float(s.rng.gamma(6, 9)), int(s.rng.integers(88, 95)), None

    kit.lambda_logs(s, callee, orders, callee_err, 0.06, f_ok, f_bad, "python3.12", 256, envs=2)

    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", caller, "github-actions-orders")
    s.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    s.change(-14400, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "order-api-role", "terraform-ci")

    s.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
            description="orders-gateway 5XX", not_before=onset)
    doc = s.build(f"{api}-5xx", "permission_denied", [callee, role],
                  [("AWS/Lambda", "Errors", {"FunctionName": callee})])
    meta = {"front": "front (API two hops above the origin)",
            "decoys": "release of the calling function 12 min before onset; caller's log lines carry the error; old IAM "
                      "change on the caller's role; standing validation 400s and conditional-check failures",
            "text": "Terraform rewrote the inline policy of fulfilment-svc-role and dropped `dynamodb:UpdateItem` on "
                    "`inventory-reservations`; within seconds every reservation fails with AccessDeniedException. "
                    "order-api, which invokes fulfilment-svc synchronously, catches the FunctionError, logs it and answers "
                    "502, so API Gateway's 5XX alarm fires while order-api's own Errors metric stays flat. The caller was "
                    "released twelve minutes before onset, which tempts a bad_deployment call on order-api; but its error "
                    "lines only relay the callee's AccessDenied, the callee's own Errors jump at the IAM change, and the "
                    "caller's release served for eleven minutes cleanly. Label: permission_denied, origin fulfilment-svc "
                    "(its role fulfilment-svc-role is accepted too)."}
    return doc, meta
