"""Scenarios 13-16."""
import json
import random

from .lib import (LOG_START, alarm, alb_metrics, change, clock, counts, diurnal, ec2_metrics,
                  ecs_metrics, hexid, iso, lambda_logs, lambda_metrics, lookup, poisson_times,
                  rid, scenario, series, smooth, stream)


def _zap(t, level, msg, **kw):
    d = {"level": level, "ts": round(1763640000 + t, 3), "caller": kw.pop("caller", "server/http.go:142"), "msg": msg}
    d.update(kw)
    return json.dumps(d)


def s13():
    """EC2 Go API: a cron-started full tile rebuild pins CPU on geo-api-1; ALB latency alarm."""
    r = random.Random(3313)
    reg = "ap-southeast-2"
    lb = "app/geo-alb/4b3a2c1d0e9f8a76"
    i1, i2 = ("i-0c7d2e9a4b1f63085", "geo-api-1"), ("i-05a1e8c3d9b2f7046", "geo-api-2")
    onset = -1980
    cpu1 = series(lambda t: r.gauss(31, 4) if t < onset else min(100, r.gauss(98.6, 0.8)), hi=100)
    req = counts(r, lambda t: 700 * diurnal(t))
    rt = series(lambda t: r.gauss(0.045, 0.006) if t < onset else r.gauss(1.9, 0.3))
    e5 = [[t, float(0 if t < onset else r.randint(6, 20))] for t, _ in req]
    mets = alb_metrics(lb, req, counts(r, lambda t: 0.5), e5, rt, series(lambda t: 2, nd=0), series(lambda t: 0, nd=0))
    mets += ec2_metrics(i1[0], cpu1, series(lambda t: r.gauss(39, 1) + (6 if t >= onset else 0)), series(lambda t: 52 + (3 if t >= onset else 0)),
                        series(lambda t: r.gauss(3.1e6, 2e5)))
    mets += ec2_metrics(i2[0], series(lambda t: r.gauss(30, 4)), series(lambda t: r.gauss(38, 1)), series(lambda t: 51.0),
                        series(lambda t: r.gauss(3.0e6, 2e5)))
    ev = {i1[0]: [], i2[0]: []}
    for m in range(LOG_START, 0, 60):
        for iid in ev:
            slow = iid == i1[0] and m >= onset
            for i in range(5):
                t = m + r.uniform(0, 59)
                ev[iid].append((t, _zap(t, "info", "request", method="GET", path="/v1/geocode", status=200,
                                        dur_ms=r.randint(1200, 6400) if slow else r.randint(8, 70))))
            if slow:
                for i in range(r.randint(3, 6)):
                    t = m + r.uniform(0, 59)
                    ev[iid].append((t, _zap(t, "warn", "slow request", path="/v1/reverse", dur_ms=r.randint(3000, 9000), goroutines=r.randint(1800, 2600))))
            if r.random() < 0.8:  # pre-existing loud errors, same rate on both hosts
                t = m + r.uniform(0, 59)
                ev[iid].append((t, _zap(t, "error", "upstream geocoder returned no match", caller="geo/resolve.go:88",
                                        query=r.choice(["po box 12", "unit 4/17", "lot 9 rural rd", "c/- post office"]), error="geocoder: 404 no candidates")))
    logs = [stream("/geo/api", iid, ev[iid]) for iid in ev]
    sl = [(onset - 20, "%s geo-api-1 CRON[28811]: (geo) CMD (/opt/geo/bin/tile-rebuild --full --workers=$(nproc))" % clock(onset - 20, "%b %d %H:%M:%S")),
          (onset - 18, "%s geo-api-1 tile-rebuild[28813]: starting full rebuild: 1,412,880 tiles, 4 workers" % clock(onset - 18, "%b %d %H:%M:%S"))]
    for t in range(onset + 300, 0, 300):
        sl.append((t, "%s geo-api-1 tile-rebuild[28813]: progress %d/1412880 tiles" % (clock(t, "%b %d %H:%M:%S"), (t - onset) * 55)))
    for t in range(LOG_START, 0, 3600):
        sl.append((t + 1, "%s geo-api-1 CRON[%d]: (root) CMD (/usr/local/bin/logrotate-hourly)" % (clock(t + 1, "%b %d %H:%M:%S"), r.randint(20000, 28000))))
    logs.append(stream("/geo/syslog", i1[0], sl))
    res = [{"type": "ec2", "id": i1[0], "properties": {"name": i1[1], "instance_type": "c6g.xlarge", "vcpus": 4, "log_groups": ["/geo/api", "/geo/syslog"]}},
           {"type": "ec2", "id": i2[0], "properties": {"name": i2[1], "instance_type": "c6g.xlarge", "vcpus": 4, "log_groups": ["/geo/api"]}},
           {"type": "alb", "id": lb, "properties": {"name": "geo-alb"}}]
    chg = [change(-4100, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0a9e8d7c6b5a43210", "dlm-lifecycle")]
    al = [alarm("geo-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5, 0.5,
                "GreaterThanThreshold", "ALARM", onset + 300, "geo API latency")]
    doc = scenario("h33-13-alb-latency-ec2-cpu-cron-rebuild", "Map search slow; geo-alb latency alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "geo-alb-latency", "root_cause": {"category": "cpu_saturation", "resource": list(i1)},
                    "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": i1[0]}}]})
    return ("h33-13-alb-latency-ec2-cpu-cron-rebuild.yaml", doc,
            (reg, "geo-alb-latency (ALB TargetResponseTime)", "cpu_saturation", "i-0c7d2e9a4b1f63085, geo-api-1", "front",
             "DLM snapshot 35 min before onset; geocoder no-match ERRORs on both hosts at constant rate; hourly logrotate cron"),
            "At -33 min cron starts `tile-rebuild --full --workers=$(nproc)` on geo-api-1. Its CPU goes from ~30 % to 98-100 % "
            "and stays; requests served by that host take 1-6 s and `slow request` WARNs appear, ALB latency averages ~1.9 s "
            "and some 504s appear at the ELB. geo-api-2 is unaffected, request volume is normal, and there is no code or config "
            "change (the snapshot is a scheduled backup). The geocoder `no match` errors are steady on both hosts. cpu_saturation on geo-api-1.")


def s14():
    """ECS ticket-web: on-sale traffic surge, ALB 5xx and latency, no other fault."""
    r = random.Random(3314)
    reg, cl, svc = "us-east-1", "tickets-prod", "ticket-web"
    lb = "app/tickets-alb/8e7f6a5b4c3d2e10"
    onset = -1500
    mult = lambda t: 1 + 5.2 * smooth(t, onset, onset + 240)
    req = counts(r, lambda t: 900 * diurnal(t) * mult(t))
    rt = series(lambda t: r.gauss(0.16, 0.02) * (1 if t < onset else 9))
    e5 = [[t, float(0 if t < onset + 120 else int(v * r.uniform(0.04, 0.07)))] for t, v in req]
    t5 = counts(r, lambda t: 1.0)
    mets = alb_metrics(lb, req, t5, e5, rt, series(lambda t: 6, nd=0), series(lambda t: 0, nd=0))
    mets += ecs_metrics(cl, svc, series(lambda t: r.gauss(18, 3) * (1 if t < onset else 4.1), hi=88), series(lambda t: r.gauss(46, 1) + (9 if t >= onset else 0)))
    mets += ecs_metrics(cl, "ticket-admin", series(lambda t: r.gauss(9, 2)), series(lambda t: r.gauss(35, 1)))
    lr = lookup(req)
    acc = []
    for m in range(LOG_START, 0, 60):
        k = int(lr(m) / 150)
        for i in range(k):
            t = m + r.uniform(0, 59)
            surge = m >= onset and r.random() < 0.8
            path = "/events/2291/onsale?utm_source=newsletter&utm_campaign=stadium-tour" if surge else r.choice(["/events", "/events/%d" % r.randint(1000, 2400), "/account/orders", "/healthz"])
            acc.append((t, '10.2.%d.%d - - [%s +0000] "GET %s HTTP/1.1" 200 %d "-" "Mozilla/5.0" rt=%.3f' % (
                r.randint(0, 9), r.randint(2, 250), clock(t, "%d/%b/%Y:%H:%M:%S"), path, r.randint(2000, 40000), r.gauss(0.15, 0.03) * (8 if m >= onset else 1))))
        if r.random() < 0.6:
            t = m + r.uniform(0, 59)
            acc.append((t, "WARN  ignoring deprecated header X-Forwarded-Host from 10.2.%d.%d" % (r.randint(0, 9), r.randint(2, 250))))
        if m >= onset + 120:
            for i in range(r.randint(2, 5)):
                t = m + r.uniform(0, 59)
                acc.append((t, "WARN  gunicorn request queue backlog %d/2048, all %d workers busy" % (r.randint(900, 2048), 8)))
    logs = [stream("/ecs/ticket-web", "web/ticket-web/%s" % hexid(r), acc)]
    logs.append(stream("/ecs/ticket-admin", "web/ticket-admin/%s" % hexid(r), [(-2580, "INFO  ticket-admin 1.44.0 booted, 4 workers")] +
                       [(t, "INFO  admin GET /reports 200") for t in poisson_times(r, 0.5)]))
    res = [{"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "desired_count": 6, "autoscaling_max": 6, "log_groups": ["/ecs/ticket-web"]}},
           {"type": "ecs", "id": "%s/ticket-admin" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 1, "log_groups": ["/ecs/ticket-admin"]}},
           {"type": "alb", "id": lb, "properties": {"name": "tickets-alb"}}]
    chg = [change(-2600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/ticket-admin" % cl, "codepipeline")]
    al = [alarm("tickets-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 50,
                "GreaterThanThreshold", "ALARM", onset + 360, "tickets ALB 5xx")]
    doc = scenario("h33-14-alb-5xx-ecs-onsale-surge", "Ticket site erroring during on-sale; tickets-alb 5xx alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "tickets-alb-elb-5xx", "root_cause": {"category": "traffic_surge", "resource": [lb, "tickets-alb", "%s/%s" % (cl, svc), svc]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]})
    return ("h33-14-alb-5xx-ecs-onsale-surge.yaml", doc,
            (reg, "tickets-alb-elb-5xx (ALB ELB 5xx)", "traffic_surge", "app/tickets-alb/8e7f6a5b4c3d2e10, tickets-alb, tickets-prod/ticket-web, ticket-web", "front",
             "ticket-admin deploy 18 min before onset; deprecated-header WARN at constant rate"),
            "At -25 min RequestCount jumps ~6x, almost all of it to the newsletter on-sale link; ticket-web's six tasks (already "
            "at the autoscaling max) rise to ~75 % CPU with gunicorn backlog WARNs, latency goes up ~9x and the ALB starts "
            "returning 5xx. There are no exceptions, no dependency errors, and the only deploy is ticket-admin (separate "
            "service, unchanged traffic). Volume far above normal with no other fault: traffic_surge.")


def s15():
    """ECS Go refund-api: nil pointer panic on a data shape; no change on it. ALB ELB 502s."""
    r = random.Random(3315)
    reg, cl, svc = "us-west-2", "payments", "refund-api"
    lb = "app/payments-int/2c4e6a8b0d1f3e57"
    onset = -1620
    req = counts(r, lambda t: 140 * diurnal(t))
    lr = lookup(req)
    e5 = [[t, float(0 if t < onset else int(v * r.uniform(0.12, 0.2)))] for t, v in req]
    mets = alb_metrics(lb, req, counts(r, lambda t: 0.3), e5, series(lambda t: r.gauss(0.06, 0.008)),
                       series(lambda t: 3, nd=0), series(lambda t: 0, nd=0))
    mets += ecs_metrics(cl, svc, series(lambda t: r.gauss(17, 3)), series(lambda t: r.gauss(33, 1)))
    mets += ecs_metrics(cl, "payout-batch", series(lambda t: r.gauss(12, 3) + (20 if t > -2100 else 0)), series(lambda t: r.gauss(40, 1)))
    le = lookup(e5)
    tasks = [hexid(r) for _ in range(3)]
    ev = {k: [] for k in tasks}
    for m in range(LOG_START, 0, 60):
        for i in range(int(lr(m) / 12)):
            t = m + r.uniform(0, 59)
            ev[r.choice(tasks)].append((t, 'time=%s level=INFO msg="refund issued" refund_id=rf_%s order_id=%d amount_cents=%d dur_ms=%d' % (
                iso(t), hexid(r, 10), r.randint(10 ** 7, 10 ** 8), r.randint(100, 90000), r.randint(15, 90))))
        for i in range(2):
            t = m + r.uniform(0, 59)
            ev[r.choice(tasks)].append((t, 'time=%s level=ERROR msg="idempotency key replay rejected" key=%s status=409' % (iso(t), hexid(r, 16))))
        if m >= onset:
            for i in range(min(6, int(le(m)))):
                t = m + r.uniform(0, 59)
                g = r.randint(10000, 99999)
                ev[r.choice(tasks)].append((t, "%s http: panic serving 10.1.%d.%d:%d: runtime error: invalid memory address or nil pointer dereference\n"
                    "goroutine %d [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1947 +0xbe\n"
                    "panic({0x9c3a40?, 0xf1e9a0?})\n\t/usr/local/go/src/runtime/panic.go:785 +0x132\n"
                    "github.com/acme-pay/refund-api/internal/refunds.(*Service).remainingCapturable(...)\n\t/src/internal/refunds/capture.go:54\n"
                    "github.com/acme-pay/refund-api/internal/refunds.(*Service).Issue(0xc0001a4000, {0xb12f08, 0xc00a1e2c30}, 0xc0074f2000)\n\t/src/internal/refunds/service.go:118 +0x2d4\n"
                    "github.com/acme-pay/refund-api/internal/httpapi.(*Handler).postRefund(0xc000132a80, {0xb0fdb0, 0xc00b38e1c0}, 0xc00a1f6000)\n\t/src/internal/httpapi/refunds.go:61 +0x1b8\n"
                    "net/http.HandlerFunc.ServeHTTP(0x0?, {0xb0fdb0?, 0xc00b38e1c0?}, 0x0?)\n\t/usr/local/go/src/net/http/server.go:2220 +0x29" % (
                        clock(t, "%Y/%m/%d %H:%M:%S"), r.randint(0, 9), r.randint(2, 250), r.randint(30000, 60000), g)))
                ev[r.choice(tasks)].append((t - 0.01, 'time=%s level=INFO msg="refund requested" order_id=%d merchant=m_8841 capture_mode=partial_multi' % (iso(t - 0.01), r.randint(10 ** 7, 10 ** 8))))
    logs = [stream("/ecs/refund-api", "refund-api/app/%s" % k, ev[k]) for k in tasks]
    pb = [(-2080, 'time=%s level=INFO msg="payout-batch starting" version=2.9.0' % iso(-2080))]
    pb += [(t, 'time=%s level=INFO msg="payout settled" batch=%s' % (iso(t), hexid(r, 8))) for t in poisson_times(r, 1)]
    logs.append(stream("/ecs/payout-batch", "payout-batch/app/%s" % hexid(r), pb))
    res = [{"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "desired_count": 3, "image": "acme-pay/refund-api:1.31.2", "last_deployed": "2 days ago", "log_groups": ["/ecs/refund-api"]}},
           {"type": "ecs", "id": "%s/payout-batch" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 1, "log_groups": ["/ecs/payout-batch"]}},
           {"type": "alb", "id": lb, "properties": {"name": "payments-int", "scheme": "internal"}}]
    chg = [change(-2130, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payout-batch:57", "codepipeline"),
           change(-2120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/payout-batch" % cl, "codepipeline")]
    al = [alarm("payments-int-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
                "GreaterThanThreshold", "ALARM", onset + 180, "internal payments ALB 5xx (502)")]
    doc = scenario("h33-15-alb-502-ecs-go-panic", "Refunds failing for some merchants; payments-int ALB 5xx alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "payments-int-elb-5xx", "root_cause": {"category": "application_error", "resource": ["%s/%s" % (cl, svc), svc]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}]})
    return ("h33-15-alb-502-ecs-go-panic.yaml", doc,
            (reg, "payments-int-elb-5xx (ALB ELB 5xx)", "application_error", "payments/refund-api, refund-api", "front",
             "payout-batch deploy 8 min before onset (other service); idempotency-replay ERRORs at constant rate"),
            "From -27 min refund-api logs `http: panic serving ...: runtime error: invalid memory address or nil pointer "
            "dereference` in refunds.remainingCapturable, each preceded by a refund request for merchant m_8841 with "
            "capture_mode=partial_multi; the dropped connections surface as ALB 502s. refund-api was last deployed two days "
            "ago, its CPU/memory are flat and it logs no dependency errors. The payout-batch deploy just before is a different "
            "service with no traffic from this ALB; the idempotency 409 ERRORs are steady. application_error on refund-api.")


def s16():
    """Node Lambda: env var renamed in UpdateFunctionConfiguration; missing setting error."""
    r = random.Random(3316)
    reg, fn = "eu-west-1", "webhook-dispatcher"
    cfg = -1680
    onset = cfg + 15
    inv = counts(r, lambda t: 22 * diurnal(t))
    err = [[t, float(v if t >= onset else 0)] for t, v in inv]
    dur = series(lambda t: r.gauss(310, 40) if t < onset else r.gauss(6, 1.5))

    def handler(t, q, fail, r):
        lines = []
        if fail:
            lines.append((0.001, "%s\t%s\tWARN\tLOG_LEVEL not set, defaulting to 'info'" % (iso(t), q)))
            lines.append((0.004, "%s\t%s\tERROR\tInvoke Error \t{\"errorType\":\"ConfigError\",\"errorMessage\":\"Missing required environment variable WEBHOOK_SIGNING_SECRET_ARN\","
                          "\"stack\":[\"ConfigError: Missing required environment variable WEBHOOK_SIGNING_SECRET_ARN\",\"    at requireEnv (/var/task/src/config.js:12:11)\","
                          "\"    at loadConfig (/var/task/src/config.js:27:25)\",\"    at Runtime.handler (/var/task/src/index.js:18:18)\"]}" % (iso(t + 0.004), q)))
            return lines, r.gauss(6, 1.5), r.randint(78, 84), None
        d = max(80, r.gauss(310, 50))
        lines.append((0.002, "%s\t%s\tINFO\tdispatching event %s to %d subscribers" % (iso(t), q, r.choice(["order.created", "order.shipped", "refund.issued"]), r.randint(1, 6))))
        if r.random() < 0.06:
            lines.append((0.15, "%s\t%s\tERROR\tsubscriber https://hooks.%s.example/ returned 410 Gone; disabling after 3 strikes" % (iso(t), q, r.choice(["shopline", "crmly", "zapbox"]))))
        lines.append((d / 1000 - 0.01, "%s\t%s\tINFO\tdelivered %d/%d webhooks" % (iso(t), q, 3, 3)))
        return lines, d, r.randint(90, 110), None
    extra = [(-10170, "INIT_START Runtime Version: nodejs:20.v33\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:c1d2"),
             (cfg + 12, "INIT_START Runtime Version: nodejs:20.v33\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:c1d2")]
    logs = lambda_logs(r, fn, inv, err, handler, memory=256, extra=extra)
    mets = lambda_metrics(fn, inv, err, dur)
    sinv = counts(r, lambda t: 4)
    mets += lambda_metrics("webhook-retry-sweeper", sinv, [[t, 0.0] for t, _ in sinv], series(lambda t: r.gauss(900, 100)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 256,
                                                     "environment": ["WEBHOOK_SECRET_ARN", "SUBSCRIBERS_TABLE", "NODE_OPTIONS"]}},
           {"type": "lambda", "id": "webhook-retry-sweeper", "properties": {"runtime": "nodejs20.x", "timeout": 60, "memory_size": 256}}]
    chg = [change(-10200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deployer"),
           change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "aoconnor")]
    al = [alarm("webhook-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
                "GreaterThanThreshold", "ALARM", onset + 180, "webhook dispatcher errors")]
    doc = scenario("h33-16-lambda-missing-env-var", "Partners report no webhooks; webhook-dispatcher Errors alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "webhook-dispatcher-errors", "root_cause": {"category": "config_change", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    return ("h33-16-lambda-missing-env-var.yaml", doc,
            (reg, "webhook-dispatcher-errors (Lambda Errors)", "config_change", fn, "origin",
             "code deploy of the same function 2.8 h earlier (clean since); subscriber 410 ERRORs at constant rate; new LOG_LEVEL WARN"),
            "aoconnor updated webhook-dispatcher's configuration 28 min ago; 15 s later a fresh INIT_START and then every "
            "invocation fails in ~6 ms with `ConfigError: Missing required environment variable WEBHOOK_SIGNING_SECRET_ARN` "
            "(the function's environment now has WEBHOOK_SECRET_ARN). The code deploy 2.8 h earlier ran cleanly for 2.4 h, so it "
            "is not the trigger. The new `LOG_LEVEL not set` WARN is harmless and the subscriber 410 ERRORs are a steady "
            "background. Error names a missing setting right after a configuration change: config_change.")
