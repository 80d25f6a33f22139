"""Scenarios 11 (on-sale traffic surge) and 12 (data-triggered NoMethodError in a Rails service)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, ecs, lambda_fn


# ====================================================================== 11
def s11():
    sc = Scenario(11, "tickets-latency-onsale-surge", "eu-west-3",
                  "Ticketing site very slow and some 503s at 10:00 local; latency alarm and others firing.",
                  4311, dt.datetime(2026, 11, 21, 9, 0, 0))
    rng = sc.rng
    T0 = -1500
    surge = lambda t: ramp(t, T0, T0 + 180)
    base = lambda t: 1400 * wave(t, 0.15, phase=0.9)
    req = lambda t: base(t) * (1 + 5.4 * surge(t))
    tasks = lambda t: 6 + 2 * (t >= -1380) + 2 * (t >= -1080) + 2 * (t >= -840)
    busy = lambda t: surge(t) * (1.0 - 0.25 * ramp(t, -1380, -840))
    a = alb(sc, "tickets-alb", req=req, rt=lambda t: 0.12 + 2.7 * busy(t), t5=lambda t: 0.5 + 14 * busy(t),
            e5=lambda t: 0.05 + 45 * busy(t), healthy=lambda t: tasks(t) + 4,
            target_groups=["tg-ticket-api", "tg-checkout-api", "tg-seatmap-api"])
    ecs(sc, "box-office", "ticket-api", cpu=lambda t: 38 * wave(t, 0.1) + 50 * busy(t), mem=const(54), tasks=tasks, desired=tasks,
        target_group="tg-ticket-api", autoscaling="target CPU 60%, min 6, max 12", task_definition="ticket-api:204")
    g = "/ecs/ticket-api"
    tids = L.task_ids(sc, 4)
    evts = ["EVT-41877", "EVT-50211", "EVT-61004", "EVT-73920"]

    def tline(t):
        x = busy(t)
        if x > 0.2 and rng.random() < 0.08:
            return L.spring(sc, t, "WARN", "ticket-api", "pool-reporter", "c.t.boxoffice.metrics.PoolReporter",
                            "http pool busy=200/200 queued=%d, db pool active=%d/40 waiting=%d" % (rng.randint(150, 480), rng.randint(34, 40), rng.randint(0, 6)))
        hot = surge(t) and rng.random() < 0.82
        ev = "EVT-88213" if hot else rng.choice(evts)
        path = rng.choice(["/api/events/%s/availability", "/api/events/%s/seats?section=%s" % ("%s", rng.choice("ABCDEFG")),
                           "/api/events/%s"]) % ev
        ms = int(rng.gauss(90, 30) * (1 + 22 * x * rng.random()))
        st = 503 if x > 0.2 and rng.random() < 0.01 else 200
        return L.spring(sc, t, "INFO", "ticket-api", "http-nio-8080-exec-%d" % rng.randint(1, 200), "c.t.boxoffice.web.AccessLog",
                        "GET %s -> %d (%d ms) ua=%s" % (path, st, max(4, ms), rng.choice(["TicketsApp/6.2 (iOS)", "TicketsApp/6.2 (Android)", "Mozilla/5.0"])))
    for tid in tids:
        L.stream(sc, g, "ticket-api/ticket-api/%s" % tid, -10800, 0, lambda t: 2.0 + 3.0 * surge(t), tline)
    sc.ev(g, "ticket-api/ticket-api/%s" % tids[0], T0 - 20, L.spring(sc, T0 - 20, "INFO", "ticket-api", "scheduling-1",
          "c.t.boxoffice.onsale.OnsaleScheduler", "Onsale window opened for EVT-88213 (capacity 45,000 seats, presale=false)"))
    bg_ecs(sc, "box-office", "checkout-api", "node", cpu=lambda t: 30 * wave(t, 0.1) + 20 * surge(t), mem=const(46), tasks=const(4),
           msgs=[("INFO", "checkout", "request completed"), ("INFO", "checkout", "order placed")], per_min=2.0, target_group="tg-checkout-api")
    bg_ecs(sc, "box-office", "seatmap-api", "go", cpu=lambda t: 22 * wave(t, 0.1) + 18 * surge(t), mem=const(37), tasks=const(3),
           msgs=[("INFO", "seatmap/serve.go:64", "served seat map event=EVT-{id6} sections={n} dur_ms={ms}")], per_min=1.5,
           target_group="tg-seatmap-api")
    bg_rds(sc, "tickets-pg", "postgres", "16.4", "db.r6g.2xlarge", 1000, 500, cpu=lambda t: 29 * wave(t, 0.1) + 33 * surge(t),
           conn=lambda t: 120 + 170 * surge(t), tables=("seats", "holds", "orders"), dbname="tickets")
    bg_lambda(sc, "seat-map-renderer", "nodejs20.x", const(4), const(2200), ["rendered seat map svg for venue V{n}"],
              pools=[(-10 ** 9, "$LATEST", 2), (-2980, "$LATEST", 2)])
    bg_lambda(sc, "ticket-email", "python3.12", lambda t: 30 * wave(t, 0.1) + 120 * surge(t), const(380),
              ["Sent e-ticket for order T-{id6} via SES"])
    bg_lambda(sc, "refund-processor", "python3.12", const(5), const(900), ["Refund R-{id6} submitted to PSP"],
              err=const(0.45), err_msgs=["PSP refund rejected: HTTP 409 {\"code\":\"charge_already_refunded\"} for R-{id6}"])
    bg_lambda(sc, "fraud-score", "python3.12", lambda t: 25 * wave(t, 0.1) + 40 * surge(t), const(140), ["score {n} for order T-{id6}"])
    apigw(sc, "partner-resale-api", count=lambda t: 80 * wave(t, 0.1), lat=const(150), integration="http:tickets-alb")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "redis-holds-1", "r6g.large", cpu=lambda t: 12 * wave(t, 0.1) + 14 * surge(t), mem=const(52))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "bastion-tickets", "t3.micro", cpu=const(1.2))

    sc.change(-4300, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "tickets-pg", "terraform-ci")
    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "seat-map-renderer", "gitlab-ci")
    for t in (-1380, -1080, -840):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "box-office/ticket-api",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-600, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "fraud-score", "oncall.marc")

    lb = {"LoadBalancer": a["id"]}
    sc.alarm("tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "ALARM", "Ticketing ALB latency")
    sc.alarm("tickets-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("ticket-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "box-office", "ServiceName": "ticket-api"},
             "Average", 300, 2, 75, "GreaterThanThreshold", "ALARM")
    sc.alarm("refund-processor-errors", "AWS/Lambda", "Errors", {"FunctionName": "refund-processor"}, "Sum", 900, 1, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("tickets-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "tickets-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("tickets-alb-latency", "traffic_surge", [a["id"], "tickets-alb", "box-office/ticket-api", "ticket-api"],
                  [anomaly("AWS/ApplicationELB", "RequestCount", LoadBalancer=a["id"]),
                   anomaly("AWS/ApplicationELB", "TargetResponseTime", LoadBalancer=a["id"])])
    sc.meta = dict(alarm_on="front door = entry point of the surge (ALB)", decoys=[
        "three autoscaling UpdateService events on ticket-api (reactions)", "seat-map-renderer deploy 50 min ago",
        "tickets-pg ModifyDBInstance", "fraud-score concurrency change during the incident", "refund-processor Errors alarm (steady 409s)"],
        story=("At 10:00 local (25 min ago) ticket-api opened the on-sale for EVT-88213. ALB RequestCount jumps from ~1,400 "
               "to ~9,000 per minute within three minutes, almost all GETs on EVT-88213 availability/seats from the apps "
               "and browsers. ticket-api's HTTP pool runs 200/200 busy with hundreds queued, average target response time "
               "goes from 0.12 s to ~2.8 s and the ALB starts returning 503s; autoscaling adds tasks three times (6 -> 12, "
               "its maximum), which softens but does not fix it. CPU rises to ~80 % but is not pinned, tickets-pg and "
               "redis stay well inside their limits, no code or configuration changed on ticket-api, and error logs show "
               "no new exception. Volume far above normal with no other fault: traffic_surge entering at tickets-alb "
               "onto ticket-api, alarm on that front door."))
    return sc


# ====================================================================== 12
def s12():
    sc = Scenario(12, "fulfilment-5xx-label-nomethoderror", "us-west-1",
                  "Warehouse label printing failing for part of the shipments; internal ALB 5xx alarm and others open.",
                  4312, dt.datetime(2026, 11, 22, 16, 30, 0))
    rng = sc.rng
    T0 = -3300
    ie = lambda t: 0.18 * ramp(t, T0, T0 + 300)        # share of label requests for IE addresses without a region
    lab_rate = lambda t: 75 * wave(t, 0.1, phase=0.6)
    a = alb(sc, "fulfil-internal-alb", req=lambda t: lab_rate(t) + 240, rt=const(0.16), t5=lambda t: 0.3 + lab_rate(t) * ie(t),
            scheme="internal", healthy=const(9), target_groups=["tg-label-service", "tg-pick-planner", "tg-wms-gateway"])
    ecs(sc, "fulfil-prod", "label-service", cpu=lambda t: 24 * wave(t, 0.1), mem=const(61), tasks=const(3),
        target_group="tg-label-service", task_definition="label-service:158", image_tag="2026.11.20-158", runtime="ruby 3.2 / rails 7.1")
    g = "/ecs/label-service"
    tids = L.task_ids(sc, 3)

    def rl(t, lvl, rq, msg):
        return "%s, [%s #1] %5s -- : [%s] %s" % (lvl[0], sc.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f"), lvl, rq, msg)

    def req(t, s):
        rq = L.rid(rng)
        bad = rng.random() < ie(t)
        ip = "10.40.%d.%d" % (rng.randint(1, 8), rng.randint(2, 250))
        carrier, country, region, pc = (("dhl_express", "IE", None, rng.choice(["D02 X285", "T12 RX2P", "H91 E2K3"])) if bad else
                                        rng.choice([("ups", "US", "CA", "94107"), ("fedex", "US", "NV", "89502"),
                                                    ("dhl_express", "GB", "ENG", "M1 1AE"), ("dhl_express", "DE", "BY", "80331")]))
        ev = [(0.0, "INFO", 'Started POST "/v1/labels" for %s at %s' % (ip, sc.at(t).strftime("%Y-%m-%d %H:%M:%S +0000"))),
              (0.001, "INFO", "Processing by LabelsController#create as JSON"),
              (0.002, "INFO", '  Parameters: {"shipment"=>{"id"=>"sh_%s", "carrier"=>"%s", "ship_to"=>{"country"=>"%s", "region"=>%s, '
                              '"postal_code"=>"%s"}}}' % (hexs(rng, 10), carrier, country, "nil" if region is None else '"%s"' % region, pc))]
        if bad:
            ms = rng.randint(14, 40)
            ev += [(ms / 1000.0, "INFO", "Completed 500 Internal Server Error in %dms (ActiveRecord: %.1fms | Allocations: %d)"
                    % (ms, rng.uniform(2, 6), rng.randint(3000, 6000))),
                   (ms / 1000.0 + 0.001, "FATAL", "  \nNoMethodError (undefined method `upcase' for nil:NilClass):\n  \n"
                    "app/services/carriers/dhl_express/address_formatter.rb:42:in `region_code'\n"
                    "app/services/carriers/dhl_express/address_formatter.rb:17:in `to_payload'\n"
                    "app/services/carriers/dhl_express/client.rb:58:in `create_shipment'\n"
                    "app/controllers/labels_controller.rb:23:in `create'")]
        else:
            ms = rng.randint(120, 420)
            ev.append((ms / 1000.0, "INFO", "Completed 201 Created in %dms (Views: 0.4ms | ActiveRecord: %.1fms | Allocations: %d)"
                       % (ms, rng.uniform(6, 20), rng.randint(12000, 30000))))
        for dtt, lvl, msg in ev:
            sc.ev(g, s, t + dtt, rl(t + dtt, lvl, rq, msg))
    for tid in tids:
        s = "label-service/label-service/%s" % tid
        L.stream(sc, g, s, -10800, 0, lambda t: 1.4, lambda t, s=s: req(t, s))
        L.periodic(sc, g, s, -10800, 0, 600, lambda t: rl(t, "INFO", "puma", "Puma stats: running=5 max_threads=5 backlog=0 pool_capacity=%d" % rng.randint(2, 5)))

    lambda_fn(sc, "label-batch-printer", "python3.12", 120, 512, const(2.0), const(21000), err=lambda t: min(0.95, ie(t) * 5.5),
              exact=True, schedule="rate(1 minute) x 2 pack zones", calls="http://fulfil-internal-alb/v1/labels")
    lg = L.LambdaLog(sc, "label-batch-printer", "python3.12", 512, 120, pools=[(-10 ** 9, "$LATEST", 2)])

    def lh(t):
        n_bad = sum(1 for _ in range(40) if rng.random() < ie(t))
        d = rng.gauss(21000, 2500)

        def lines(t0, r):
            out = [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Printing batch of 40 labels for wave W-%d (printer zebra-%02d)" % (rng.randint(8000, 9999), rng.randint(1, 12))))]
            for k in range(n_bad):
                out.append((2 + k * 0.5, L.py(sc, t0 + 2 + k * 0.5, r, "ERROR", "label-service returned 500 for shipment sh_%s (carrier=dhl_express, country=IE)" % hexs(rng, 10))))
            if n_bad:
                out.append((d / 1000 - 0.01, "[ERROR] LabelBatchError: %d of 40 labels failed\nTraceback (most recent call last):\n"
                            '  File "/var/task/printer/handler.py", line 71, in handler\n    raise LabelBatchError(f"{len(failed)} of {len(batch)} labels failed")' % n_bad))
            else:
                out.append((d / 1000 - 0.01, L.py(sc, t0 + d / 1000, r, "INFO", "Batch printed: 40/40 labels")))
            return out
        return lines, d, "ok"
    lg.run(-10800, 0, lambda t: 2.0, lh)
    bg_ecs(sc, "fulfil-prod", "pick-planner", "go", cpu=lambda t: 33 * wave(t, 0.1), mem=const(45),
           tasks=lambda t: 3 + 3 * bump(t, -2380, -2150, 60, 60), desired=const(3),
           msgs=[("INFO", "planner/wave.go:212", "planned wave W-{id6} picks={big} zones={n}")], per_min=1.5,
           target_group="tg-pick-planner", task_definition="pick-planner:77")
    bg_ecs(sc, "fulfil-prod", "wms-gateway", "dotnet", cpu=const(21), mem=const(49), tasks=const(3),
           msgs=[("INFO", "Microsoft.AspNetCore.Hosting.Diagnostics", "Request finished HTTP/1.1 GET http://wms-gateway/api/stock/{id6} - 200 - application/json {ms}.{n}ms")],
           per_min=1.5, target_group="tg-wms-gateway")
    bg_lambda(sc, "carrier-rates-sync", "python3.12", const(0.5), const(6000), ["Synced {big} carrier rate rows"],
              pools=[(-10 ** 9, "$LATEST", 1), (-3980, "$LATEST", 1)], timeout=60)
    bg_lambda(sc, "manifest-uploader", "nodejs20.x", const(1.0), const(2500), ["uploaded end-of-day manifest part {n}"])
    bg_lambda(sc, "returns-intake", "python3.12", const(6), const(300), ["Return RMA-{id6} registered"])
    apigw(sc, "carrier-webhooks-api", count=const(40), lat=const(70), integration="lambda:returns-intake")
    bg_rds(sc, "wms-mysql", "mysql", "8.0.36", "db.r6g.xlarge", 2000, 800, cpu=lambda t: 36 * wave(t, 0.1), conn=const(260), dbname="wms")
    bg_rds(sc, "fulfil-pg", "postgres", "16.4", "db.r6g.large", 900, 300, cpu=const(18), conn=const(70),
           tables=("shipments", "labels"), dbname="fulfil")
    ps2 = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "print-server-1", "t3.large", cpu=const(9))
    bg_ec2(sc, ps2, "print-server-2", "t3.large", cpu=const(8), disk=lambda t: 88.0 + (t + 21600) / 21600.0 * 0.6)

    sc.change(-5200, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "wms-mysql", "terraform-ci")
    sc.change(-4000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "carrier-rates-sync", "buildkite")
    sc.change(-2410, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "pick-planner:77", "buildkite")
    sc.change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfil-prod/pick-planner", "buildkite")
    sc.change(-1000, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup",
              "tg-pick-planner", "r.oconnor")

    sc.alarm("fulfil-internal-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": a["id"]}, "Sum",
             300, 1, 10, "GreaterThanThreshold", "ALARM", "Fulfilment internal ALB target 5xx")
    sc.alarm("label-batch-printer-errors", "AWS/Lambda", "Errors", {"FunctionName": "label-batch-printer"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("print-server-2-disk-high", "CWAgent", "disk_used_percent", {"InstanceId": ps2, "path": "/", "fstype": "xfs"},
             "Average", 300, 1, 85, "GreaterThanThreshold", "ALARM")
    sc.alarm("wms-mysql-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "wms-mysql"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("label-service-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "fulfil-prod", "ServiceName": "label-service"},
             "Average", 300, 3, 80, "GreaterThanThreshold", "OK")
    sc.set_expect("fulfil-internal-alb-target-5xx", "application_error", ["fulfil-prod/label-service", "label-service"],
                  [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=a["id"])])
    sc.meta = dict(alarm_on="front (internal ALB)", decoys=[
        "pick-planner deploy 40 min ago behind the same ALB (clean)", "tg-pick-planner attribute change",
        "carrier-rates-sync deploy", "wms-mysql ModifyDBInstance", "print-server-2 disk alarm open for hours"],
        story=("Since ~55 min ago a share of POST /v1/labels requests to label-service end in 500 with NoMethodError "
               "(undefined method `upcase' for nil:NilClass) in Carriers::DhlExpress::AddressFormatter#region_code. "
               "The logged parameters show every failing shipment is DHL Express to Ireland with \"region\"=>nil (Irish "
               "addresses have no state), a destination that only started flowing then; all other carriers and "
               "countries succeed. label-service has not changed (image 2026.11.20-158, no deploy or config event), its "
               "CPU/memory and databases are normal, and it calls no failing dependency. label-batch-printer fails batches "
               "as a downstream victim. The pick-planner deploy and target-group tweak concern another target group that "
               "stays clean. Unhandled exception with no change and no resource fault: application_error in "
               "label-service, alarm on the front door."))
    return sc
