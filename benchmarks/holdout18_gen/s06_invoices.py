"""h18-06: billing ALB 5xx; invoice-api relays renderer failures after the renderer's role policy was replaced."""
from __future__ import annotations

import json

import numpy as np

from .common import ACCOUNT, N, T, Scn
from .logfmt import LambdaLog, TaskLog, poisson_times, py_frames
from . import svc

LB = "app/billing-alb/2d7f9e1c3a5b8640"
BUCKET = "northwind-invoices-prod"


def _net(s, t, level, category, msg, **state):
    return json.dumps({"Timestamp": s.iso(t), "EventId": 0, "LogLevel": level, "Category": category,
                       "Message": msg, "State": {"Message": msg, **state}}, separators=(",", ":"))


def build():
    s = Scn("h18-06-billing-5xx-renderer-role", 1806, "eu-west-2", "2026-03-17T14:25:00", 0.0)
    s.res("alb", LB, name="billing-alb", scheme="internet-facing", target_groups=["invoice-api-tg"])
    s.res("ecs", "billing/invoice-api", desired_count=3, launch_type="FARGATE", awslogs_groups=["/ecs/invoice-api"],
          task_role="invoice-api-task", environment={"RENDERER_FUNCTION": "invoice-renderer",
                                                     "ASPNETCORE_ENVIRONMENT": "Production"})
    s.res("ecs", "billing/dunning-worker", desired_count=1, launch_type="FARGATE",
          awslogs_groups=["/ecs/dunning-worker"])
    s.res("lambda", "invoice-renderer", runtime="python3.12", timeout=30, memory_size=1024,
          role="invoice-renderer-role", environment={"OUTPUT_BUCKET": BUCKET, "TEMPLATE_PREFIX": "templates/v4"})

    chg = -1720.0
    shape = s.diurnal(peak=14.5, depth=0.7)
    req = s.pois(640 * shape * (1 + s.ar(0.05)))
    renders = s.pois(req * 0.019)
    bad = T >= chg + 12
    err = np.where(bad, renders, 0) + np.where(bad, 0, s.pois(np.full(N, 0.008)))
    dur = s.gauge(1750 + 150 * shape, 90, lo=700) - np.where(bad, 220, 0)
    svc.lam(s, "invoice-renderer", renders, err, dur)
    onset = float(T[int(np.argmax(bad & (renders > 0)))])
    t5 = np.where(bad, renders, 0) + s.pois(np.full(N, 0.12))
    svc.alb(s, LB, req, s.gauge(0.09 + 0.03 * shape, 0.006, lo=0.03), t5=t5, t4=s.pois(req * 0.015),
            healthy=np.full(N, 3.0))
    svc.ecs(s, "billing", "invoice-api", s.gauge(18 * shape + 4, 1.5, lo=2), s.gauge(np.full(N, 57.0), 0.6))
    dep = -1950.0
    svc.ecs(s, "billing", "dunning-worker", s.gauge(np.full(N, 11.0), 1.5, lo=1) + 25 * s.win(dep + 40, dep + 160),
            s.gauge(np.full(N, 33.0), 0.4), running=1 + s.win(dep + 30, dep + 200).round())

    # ---- invoice-renderer ------------------------------------------------------------
    ll = LambdaLog(s, "invoice-renderer", "python3.12", 1024, mem_used=(180, 260))
    frames = py_frames([("/var/task/renderer/handler.py", 52, "lambda_handler",
                         "key = store.put_pdf(invoice_id, pdf_bytes)"),
                        ("/var/task/renderer/store.py", 31, "put_pdf",
                         "self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=\"application/pdf\")"),
                        ("/var/runtime/botocore/client.py", 565, "_api_call",
                         "return self._make_api_call(operation_name, kwargs)"),
                        ("/var/runtime/botocore/client.py", 1021, "_make_api_call",
                         "raise error_class(parsed_response, operation_name)")])

    def inv_id():
        return f"INV-2026-{int(s.rng.integers(40000, 52000)):07d}"

    def ok(t, rid):
        iid, pages = inv_id(), int(s.rng.integers(1, 6))
        return [(0.01, ll.line(t, rid, "INFO", f"rendering {iid} ({pages} pages) with template invoice_v4")),
                (1.4, ll.line(t, rid, "INFO", f"uploaded s3://{BUCKET}/2026/03/{iid}.pdf "
                                               f"({int(s.rng.integers(90, 420))} KB)"))]

    def fail(t, rid, k):
        iid = inv_id()
        msg = (f"An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::{ACCOUNT}:"
               f"assumed-role/invoice-renderer-role/invoice-renderer is not authorized to perform: s3:PutObject on "
               f"resource: \"arn:aws:s3:::{BUCKET}/2026/03/{iid}.pdf\" because no identity-based policy allows the "
               "s3:PutObject action")
        return ([(0.01, ll.line(t, rid, "INFO", f"rendering {iid} ({int(s.rng.integers(1, 6))} pages) with template "
                                                "invoice_v4")),
                 (1.3, ll.unhandled(t, rid, "ClientError", msg, frames))], None, None)
    ll.minutes(-9000, renders, np.where(bad, renders, 0), dur, ok, fail)
    ll.flush()

    # ---- invoice-api (.NET, JSON console) --------------------------------------------
    tl = TaskLog(s, "/ecs/invoice-api", "invoice-api", "invoice-api", 3)
    cat_r = "Billing.InvoiceApi.Rendering.LambdaInvoiceRenderer"
    for i in np.nonzero(T >= -9000)[0]:
        for _ in range(int(renders[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            iid = inv_id()
            if bad[i]:
                tl.add(t + 1.6, _net(s, t + 1.6, "Error", cat_r,
                                     f"Invoice rendering failed for {iid}: invoice-renderer returned FunctionError "
                                     "'Unhandled' (ClientError: An error occurred (AccessDenied) when calling the "
                                     "PutObject operation)", InvoiceId=iid, StatusCode=200, FunctionError="Unhandled"))
                tl.add(t + 1.61, _net(s, t + 1.61, "Warning", "Billing.InvoiceApi.Controllers.InvoicesController",
                                      f"Returning 502 for POST /invoices/{iid}/pdf", InvoiceId=iid))
            else:
                tl.add(t + 1.9, _net(s, t + 1.9, "Information", cat_r,
                                     f"Rendered {iid} in {int(s.rng.integers(1500, 2300))} ms", InvoiceId=iid))
    for t in poisson_times(s, 0.4):
        tl.add(t, _net(s, t, "Warning", "Billing.InvoiceApi.Tax.ViesClient",
                       f"VAT number GB{int(s.rng.integers(10 ** 8, 10 ** 9))} could not be validated (VIES "
                       "MS_UNAVAILABLE), continuing without reverse charge"))
    for t in np.arange(-21600, 0, 300.0):
        tl.add(t + 1, _net(s, t + 1, "Information", "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService",
                           "Health check processing with combined status Healthy completed after 3.1ms"))
    tl.flush()

    dl = TaskLog(s, "/ecs/dunning-worker", "dunning-worker", "dunning-worker", 1)
    old = dl.tasks[0]
    nt = dl.start_task(dep + 40)
    dl.add(dep + 150, _net(s, dep + 150, "Information", "Microsoft.Hosting.Lifetime", "Application is shutting down..."),
           old)
    dl.stop_task(old, dep + 151)
    dl.add(dep + 48, _net(s, dep + 48, "Information", "Billing.Dunning.Worker",
                          "dunning-worker 2.9.0 starting, schedule every 10 min"), nt)
    for t in np.arange(-21600 + 200, 0, 600.0):
        dl.add(t, _net(s, t, "Information", "Billing.Dunning.Worker",
                       f"Dunning run: {int(s.rng.integers(3, 40))} reminders queued, "
                       f"{int(s.rng.integers(0, 4))} accounts suspended"))
    dl.flush()

    s.change(-13900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "invoice-renderer", "codepipeline-billing")
    s.change(-8020, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "quicksight-reader", "s.patel")
    s.change(dep - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "dunning-worker:31", "codepipeline-billing")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/dunning-worker",
             "codepipeline-billing")
    s.change(chg, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "invoice-renderer-role", "svc-iam-pipeline")
    s.alarm("billing-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60, 3,
            3, desc="Billing portal 5xx", after=onset, before=onset + 600)
    s.alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-renderer"}, "Sum", 300, 1, 5,
            after=onset)
    s.alarm("billing-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 5,
            2.0, want="OK")
    doc = s.doc("Customers cannot download invoice PDFs from the billing portal; billing ALB 5xx alarm.",
                "billing-alb-5xx", "permission_denied", ["invoice-renderer", "invoice-renderer-role"],
                [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "invoice-renderer"}}])
    meta = {"alarm_on": "front (billing ALB of invoice-api; origin is the Lambda it invokes)",
            "decoys": "dunning-worker deploy 4 min before the IAM change; unrelated IAM trust-policy change 2 h "
                      "earlier; renderer code deploy 3.4 h earlier; constant VIES warnings",
            "story": (
                "svc-iam-pipeline replaces the inline policy of invoice-renderer-role (PutRolePolicy). From the next "
                "invocation on every render fails at the upload: `AccessDenied ... assumed-role/invoice-renderer-role/"
                "invoice-renderer is not authorized to perform: s3:PutObject`. invoice-api logs FunctionError "
                "'Unhandled' from invoice-renderer and returns 502, firing the billing ALB 5xx alarm. Deciding "
                "evidence: the IAM change on the renderer's role seconds before the first failure, the AccessDenied "
                "text naming that role; renderer code unchanged for hours.")}
    return doc, meta
