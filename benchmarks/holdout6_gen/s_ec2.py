"""EC2 / API Gateway incidents: stage throttling, a full log-aggregator disk, an unhandled application
exception on a web fleet, and an ALB latency blip with no explanation (unknown)."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, iso_ms, log, py_ts, ramp, wall
from .services import alb_set, apigw_set, ec2_set, lambda_duration, lambda_set, nginx_access


def h10_partner_api_throttle():
    g = Gen(610)
    region, api, api_id, fn = "ap-southeast-1", "partner-api", "m2n4b6v8c0", "partner-orders"
    onset = -2040.0
    limit = 600.0  # stage rate limit 10 rps
    offered = g.daily(400, 40, 12, phase=0.6)
    offered = np.where(after(onset), offered * 1.9, offered)
    offered = g.counts(offered)
    served = np.minimum(offered, limit + g.r.normal(0, 6, N))
    throttled = np.round(offered - served)
    c4 = g.counts(offered * 0.012) + throttled
    lat = g.level(240, 30, 40)
    metrics = apigw_set(g, api, offered, c4=c4, lat=lat)
    inv = np.round(served)
    dur = lambda_duration(g, inv, 215, 40)
    metrics += lambda_set(g, fn, inv, g.counts(inv * 0.0008), dur)
    ev = []
    for i in range(N):
        t0 = float(T[i])
        if t0 < -7200:
            continue
        for _ in range(int(served[i] // 25)):
            t = t0 + g.uniform(0, 60)
            ev.append((t, _access(g, t, "POST", "/v1/orders", 201, 412)))
        for _ in range(int(throttled[i] // 5)):
            t = t0 + g.uniform(0, 60)
            ev.append((t, _access(g, t, "POST", "/v1/orders", 429, 31)))
        for _ in range(int(g.r.poisson(offered[i] * 0.012 / 3))):
            t = t0 + g.uniform(0, 60)
            ev.append((t, _access(g, t, "GET", "/v1/orders/{id}", 403, 42)))
    logs = [log(f"/aws/apigateway/{api}/access", g.hexid(32), ev)]
    al = alarm("partner-api-4xx", find_metric(metrics, "4XXError", ApiName=api), "Sum", 60, 3, 60,
               description="partner-api 4XX responses")
    changes = [change(-11500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
                      "partner-ci"),
               change(-20000, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan",
                      "partner-standard", "partner-ci")]
    resources = [{"type": "apigateway", "id": api},
                 {"type": "lambda", "id": fn, "properties": {"runtime": "java21", "timeout": 20, "memory_size": 1024}}]
    return build("h6-10-partner-api-throttle", "Partners report failed order submissions; partner-api 4XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="throttling", accepted=[api],
                 anomalies=[anomaly(find_metric(metrics, "4XXError", ApiName=api))],
                 decoys="steady 403s from a partner with a revoked key; partner-orders deployed 3 h earlier; an old "
                        "UpdateUsagePlan; the Lambda is healthy",
                 story="A large partner starts a catalogue re-sync and submits orders at almost twice the usual rate. "
                       "partner-api's stage throttle (10 rps) caps traffic: Count keeps rising but the integration "
                       "Lambda's invocations flatten at ~600/min and everything above is answered with 429 (access "
                       "log status 429). The 403s from a revoked key run at the same rate all day.")


def _access(g, t, method, path, status, size):
    return json.dumps({"requestId": g.rid(), "ip": f"203.0.113.{g.int(2, 250)}", "caller": "-", "user": "-",
                       "requestTime": wall(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": method,
                       "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
                       "responseLength": str(size)}, separators=(",", ":"))


def h14_logsink_disk():
    g = Gen(614)
    region, iid, name, bid, bname = "us-west-1", "i-0a9b8c7d6e5f40312", "logsink-1", "i-05c4d3e2f1a0b9c87", "batch-2"
    full = -1560.0
    disk = g.level(0, 0.04, None) + np.linspace(71, 79, N)
    disk = ramp(disk, -6000, full, 100.0)
    disk[after(full)] = 100.0 - np.abs(g.r.normal(0, 0.02, int(after(full).sum())))
    cpu = g.level(18, 3, 0.5, 100)
    cpu[after(full)] = g.level(9, 2, 0.5, 100)[after(full)]
    net = g.level(2.4e7, 2e6, 1e5)
    net[between(-6000, full)] *= 1.9
    metrics = ec2_set(g, iid, cpu=cpu, net=net, disk=disk, mem=g.level(57, 1, 0, 100))
    bcpu = g.level(6, 2, 0.5, 100)
    bcpu[between(-2700, -900)] = np.clip(g.r.normal(96, 2.5, int(between(-2700, -900).sum())), 80, 100)
    metrics += ec2_set(g, bid, cpu=bcpu)
    ev = []
    for t in np.arange(-10800, 0, 60) + g.uniform(0, 30):
        if t < full:
            ev.append((t, f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000 [info]: #0 flushed {g.int(40, 90) * (2 if t > -6000 else 1)} "
                          "chunks to /var/log/fluent/archive"))
        else:
            for _ in range(g.int(3, 8)):
                tt = t + g.uniform(0, 50)
                ev.append((tt, f"{wall(tt).strftime('%Y-%m-%d %H:%M:%S')} +0000 [error]: #0 unexpected error on writing "
                               f"data error_class=Errno::ENOSPC error=\"No space left on device @ io_write - /var/log/"
                               f"fluent/buffer/buffer.b{g.hexid(30)}.log\""))
                ev.append((tt + 0.01, f"{wall(tt).strftime('%Y-%m-%d %H:%M:%S')} +0000 [warn]: #0 failed to write data "
                                      "into buffer by buffer overflow action=:throw_exception"))
    for t in np.arange(-5900, full, 600):
        ev.append((t, f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} +0000 [warn]: #0 chunk bytes limit exceeds for an "
                      "emitted event stream: source=app.checkout.debug"))
    sys = []
    for t in np.arange(-21600, 0, 3600) + 5:
        sys.append((t, f"{wall(t).strftime('%b %d %H:%M:%S')} {name} systemd[1]: Starting logrotate.service - "
                       "Rotate log files..."))
    for t in np.sort(g.r.uniform(full, 0, 20)):
        sys.append((t, f"{wall(t).strftime('%b %d %H:%M:%S')} {name} rsyslogd[912]: file '/var/log/remote/"
                       f"app-{g.int(1, 9)}.log': write error - see https://www.rsyslog.com/solving-rsyslog-write-errors/ "
                       "for help OS error: No space left on device [v8.2102.0 try https://www.rsyslog.com/e/2027 ]"))
    logs = [log("/logsink/fluentd", iid, ev), log("/logsink/syslog", iid, sys)]
    al = alarm("logsink-1-disk-used", find_metric(metrics, "disk_used_percent", InstanceId=iid), "Maximum", 300, 1, 90,
               description="logsink-1 root volume > 90%")
    changes = [change(-19000, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0d1e2f3a4b5c6d7e8",
                      "dlm-lifecycle")]
    resources = [{"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "m6i.large",
                                                           "log_groups": ["/logsink/fluentd", "/logsink/syslog"]}},
                 {"type": "ec2", "id": bid, "properties": {"name": bname, "instance_type": "c6i.2xlarge"}}]
    return build("h6-14-logsink-disk", "Log aggregator disk alarm; application logs missing from Kibana.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="storage_exhaustion", accepted=[iid, name],
                 anomalies=[anomaly(find_metric(metrics, "disk_used_percent", InstanceId=iid))],
                 decoys="nightly batch job pins batch-2's CPU during the incident; hourly logrotate lines",
                 story="An application outside this slice starts shipping debug-level logs and the volume into "
                       "logsink-1 roughly doubles (NetworkIn, fluentd chunk warnings). Its root volume fills over ~75 min "
                       "and hits 100 %: fluentd and rsyslog fail with `No space left on device`. The resource "
                       "fault (full disk) is the root cause; batch-2's CPU spike is its normal nightly run.")


def h17_billing_app_error():
    g = Gen(617)
    region, lb = "eu-south-1", "app/billing-alb/4c6e8a0b2d1f3e57"
    hosts = [("i-0b1c2d3e4f5a60789", "billing-web-1"), ("i-0f9e8d7c6b5a40321", "billing-web-2")]
    onset = -2700.0
    req = g.counts(g.daily(260, 40, 8, phase=0.4))
    fail = np.where(after(onset), g.r.binomial(req.astype(int), 0.05), 0).astype(float)
    t5 = g.counts(req * 0.0005) + fail
    metrics = alb_set(g, lb, req, t5xx=t5, hosts=2)
    logs, resources = [], [{"type": "alb", "id": lb, "properties": {"name": "billing-alb",
                                                                    "targets": [h[0] for h in hosts]}}]
    for k, (iid, name) in enumerate(hosts):
        cpu = g.level(26, 3.5, 1, 100)
        if k == 1:
            cpu[between(-12700, -12300)] += 40  # logrotate + gzip of old archives, benign
        metrics += ec2_set(g, iid, cpu=cpu)
        app, acc = [], []
        for i in range(N):
            t0 = float(T[i])
            if t0 < -10800:
                continue
            for _ in range(int(fail[i] // 2 + (fail[i] % 2 if k == 0 else 0))):
                t = t0 + g.uniform(0, 60)
                acct = g.int(100000, 999999)
                app.append((t, f"[{py_ts(t)}] [ERROR] billing.app: Exception on /billing/summary [GET]\n"
                               "Traceback (most recent call last):\n"
                               "  File \"/srv/billing/venv/lib/python3.11/site-packages/flask/app.py\", line 1463, in wsgi_app\n"
                               "    response = self.full_dispatch_request()\n"
                               "  File \"/srv/billing/billing/views/summary.py\", line 58, in summary\n"
                               "    ratio = (usage.cost / plan.monthly_fee).quantize(Decimal(\"0.01\"))\n"
                               "decimal.InvalidOperation: [<class 'decimal.DivisionUndefined'>]"))
                acc.append((t + 0.005, nginx_access(g, t, f"/billing/summary?account={acct}", 500, g.uniform(0.02, 0.06))))
            for _ in range(5):
                t = t0 + g.uniform(0, 60)
                path = g.choice(["/billing/summary", "/billing/invoices", "/billing/invoices/pdf", "/healthz"])
                acc.append((t, nginx_access(g, t, path, 200, g.uniform(0.01, 0.25))))
            if g.chance(0.2):
                t = t0 + g.uniform(0, 60)
                app.append((t, f"[{py_ts(t)}] [ERROR] sentry_sdk.errors: Internal error in sentry_sdk\n"
                               "urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='o450211.ingest.sentry.io', "
                               "port=443): Max retries exceeded with url: /api/5531/envelope/"))
        logs += [log("/billing/app", iid, app), log("/billing/nginx", iid, acc)]
        resources.append({"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "c6i.large",
                                                                   "log_groups": ["/billing/app", "/billing/nginx"]}})
    al = alarm("billing-alb-5xx", find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum", 300, 1, 25,
               description="billing ALB target 5XX")
    changes = [change(-16000, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", hosts[1][0], "ops-luca")]
    accepted = [hosts[0][0], hosts[0][1], hosts[1][0], hosts[1][1]]
    return build("h6-17-billing-app-error", "Billing summary page shows an error for some customers; ALB 5XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="application_error", accepted=accepted,
                 anomalies=[anomaly(find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb))],
                 decoys="Sentry transport errors at a constant rate; a benign logrotate CPU spike on billing-web-2 3.5 h "
                        "earlier; an old ModifyInstanceAttribute",
                 story="Sales launched a free plan (monthly_fee = 0) through the admin UI, a data change invisible to "
                       "CloudTrail. The billing summary view divides by the plan fee and raises an unhandled "
                       "`decimal.InvalidOperation: DivisionUndefined` for those accounts on both web hosts; the ALB "
                       "counts target 5XXs. No deploy, no config change, no resource or dependency fault.")


def h18_storefront_blip():
    g = Gen(618)
    region, lb = "eu-north-1", "app/storefront-alb/1a3c5e7b9d0f2468"
    webs = [("i-03a5c7e9b1d2f4608", "web-a"), ("i-04b6d8f0a2c3e5719", "web-b")]
    bid, bname = "i-08e7f6a5b4c3d2e10", "batch-1"
    req = g.counts(g.daily(720, 60, 20, phase=0.9))
    trt = g.level(0.12, 0.015, 0.03)
    trt[-3:] = [0.58, 0.66, 0.61]
    metrics = alb_set(g, lb, req, trt=trt, hosts=2)
    logs, resources = [], [{"type": "alb", "id": lb, "properties": {"name": "storefront-alb",
                                                                    "targets": [w[0] for w in webs]}}]
    for iid, name in webs:
        metrics += ec2_set(g, iid, cpu=g.level(34, 4, 1, 100))
        acc = []
        for i in range(N):
            t0 = float(T[i])
            if t0 < -10800:
                continue
            for _ in range(4):
                t = t0 + g.uniform(0, 60)
                rt = g.uniform(0.02, 0.25) if t0 < -180 or g.chance(0.6) else g.uniform(0.8, 2.2)
                path = g.choice(["/", "/products/", "/cart", "/static/app.js", "/search?q=shoes"])
                acc.append((t, nginx_access(g, t, path, 200, rt)))
        logs.append(log("/storefront/nginx", iid, acc))
        resources.append({"type": "ec2", "id": iid, "properties": {"name": name, "log_groups": ["/storefront/nginx"]}})
    bcpu = g.level(5, 1.5, 0.5, 100)
    bcpu[after(-1800)] = np.clip(g.r.normal(95, 3, int(after(-1800).sum())), 75, 100)
    metrics += ec2_set(g, bid, cpu=bcpu)
    resources.append({"type": "ec2", "id": bid, "properties": {"name": bname}})
    al = alarm("storefront-alb-latency", find_metric(metrics, "TargetResponseTime", LoadBalancer=lb), "Average", 60, 3,
               0.5, description="storefront target response time > 500 ms")
    changes = [change(-9800, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", bid, "scheduler-role")]
    return build("h6-18-storefront-blip", "storefront latency alarm just fired.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="unknown", accepted=[lb, "storefront-alb", webs[0][0], webs[1][0]],
                 anomalies=[anomaly(find_metric(metrics, "TargetResponseTime", LoadBalancer=lb))],
                 decoys="batch-1 (not an ALB target) pins its CPU with the nightly job at the same time; an old "
                        "RunInstances",
                 story="Target response time rises to ~0.6 s for the last three minutes and the alarm fires. Request "
                       "count, errors, host health and the web hosts' CPU/memory are all normal; the access logs only "
                       "show a few slower requests across all paths. batch-1 is busy with its nightly job but is not "
                       "behind the load balancer. Nothing explains the blip yet: unknown.")
