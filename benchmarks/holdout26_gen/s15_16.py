"""h26-15 orders-app CodeDeploy release breaks order creation (calling Lambda alarm) and
h26-16 fulfillment-pg host failure; shipment-tracker Lambda errors page."""
from __future__ import annotations

import datetime as dt
import json

from .common import (MINUTES, Scenario, alarm_transition, alb_metrics, diurnal, ec2_metrics,
                     ecs_metrics, gauss, lambda_metrics, poisson, rds_metrics, simple_lambda_model)
from .logfmt import LambdaLogs, go_json, log_minutes, pg, py, py_unhandled, spread

ACCT = "558201734619"


# =========================================================================== 15
def build_15():
    sc = Scenario("h26-15-checkout-errors-orders-app-release", 2615, "eu-west-1",
                  "checkout-orchestrator Errors alarm; some checkouts fail with 'could not create order'.",
                  dt.datetime(2026, 11, 21, 13, 25, 0))
    rng = sc.rng
    fn = "checkout-orchestrator"
    hosts = [("i-0a9b8c7d6e5f40312", "orders-app-1"), ("i-0b8c7d6e5f4031203", "orders-app-2")]
    rep = ("i-0c7d6e5f403120304", "orders-reporting-1")
    lb = "app/orders-internal-alb/5c7e9a1b3d5f7a24"
    sc.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=512, env_keys=["ORDERS_BASE_URL"])
    sc.resource("lambda", "promo-banner", runtime="nodejs20.x", timeout=5, memory_size=256)
    for iid, n in hosts:
        sc.resource("ec2", iid, name=n, instance_type="m6i.large", codedeploy_group="orders-app-prod",
                    app="orders-app (Rails 7.1, Puma, lograge)", log_groups=["/orders-app/rails", "/orders-app/codedeploy-agent"])
    sc.resource("ec2", rep[0], name=rep[1], instance_type="r6i.large", app="hourly sales report batch")
    sc.resource("alb", lb, name="orders-internal-alb", scheme="internal", target_groups=["orders-app-tg"])

    dep = -2160
    restart = {hosts[0][0]: -2100, hosts[1][0]: -1990}
    down = lambda h, tt: restart[h] <= tt < restart[h] + 40        # puma restarting, deregistered
    new_code = lambda h, tt: tt >= restart[h] + 40
    plan, inv, err, thr, dur, conc, other = {}, {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 18 * diurnal(t, 0.3, phase_h=-8))
        calls = []
        for tt in spread(rng, t, n):
            promo = rng.random() < 0.33
            host = rng.choice([h for h, _ in hosts if not down(h, tt)])
            calls.append((tt, promo, host, promo and new_code(host, tt)))
        plan[t] = calls
        inv[t], thr[t] = n, 0
        err[t] = sum(1 for c in calls if c[3])
        dur[t] = gauss(rng, 640, 60, 300)
        conc[t] = max(1, round(n * dur[t] / 60000 + rng.random()))
        other[t] = poisson(rng, 10)
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    pb = simple_lambda_model(rng, lambda t: 9, lambda t: gauss(rng, 22, 5, 6))
    lambda_metrics(sc, "promo-banner", *pb)
    alb_metrics(sc, lb, {t: inv[t] + other[t] for t in MINUTES}, {t: err[t] + poisson(rng, 0.1) for t in MINUTES},
                {t: (poisson(rng, 2) if t in (restart[hosts[0][0]], restart[hosts[1][0]]) else 0) for t in MINUTES},
                {t: gauss(rng, 0.21, 0.02, 0.1) for t in MINUTES},
                {t: (1 if any(h <= t < h + 60 for h in restart.values()) else 2) for t in MINUTES},
                {t: (1 if any(h <= t < h + 60 for h in restart.values()) else 0) for t in MINUTES})
    for iid, _ in hosts:
        ec2_metrics(sc, iid, lambda t, i=iid: gauss(rng, 19, 3, 4) + (35 if restart[i] <= t < restart[i] + 120 else 0),
                    lambda t: gauss(rng, 61, 1), lambda t: gauss(rng, 41, 0.1), lambda t: gauss(rng, 1.9e6, 2e5, 1e5))
    hb = lambda t: -5400 <= t <= -4560
    ec2_metrics(sc, rep[0], lambda t: gauss(rng, 95, 2.5, 80, 100) if hb(t) else gauss(rng, 3, 1, 0.5),
                lambda t: gauss(rng, 70 if hb(t) else 25, 1.5), lambda t: gauss(rng, 52, 0.1), lambda t: gauss(rng, 3e5, 5e4, 1e4))

    # ---- logs: orchestrator + orders-app request logs (lograge)
    ll = LambdaLogs(sc, fn, 512)
    req_log = {iid: [] for iid, _ in hosts}
    for t in log_minutes():
        for tt, promo, host, fails in plan[t]:
            chk, rid = "chk_" + sc.hexid(10), sc.uuid()
            code = rng.choice(["BF26", "WELCOME10", "FREESHIP"]) if promo else "none"
            lines = [(0.01, py("INFO", "Checkout %s: %d items, promo=%s" % (chk, rng.randint(1, 6), code)))]
            d = gauss(rng, 640, 60, 300)
            if fails:
                lines.append((0.5, py_unhandled("OrdersServiceError", "POST http://orders-internal.acme.local/orders returned 500 (x-request-id=%s)" % rid, [
                    ("/var/task/handler.py", 48, "handler", "order = orders.create(cart, customer_id=cust)"),
                    ("/var/task/clients/orders.py", 33, "create", "raise OrdersServiceError(f\"POST {url} returned {resp.status_code} (x-request-id={rid})\")")])))
                req_log[host].append((tt + 0.2, "method=POST path=/orders format=json controller=OrdersController action=create status=500 duration=%.2f view=0.00 db=%.2f request_id=%s"
                                      % (rng.uniform(40, 90), rng.uniform(10, 30), rid)))
                w = sc.wall(tt + 0.19)
                hdr = "F, [%s.%06d #%d] FATAL -- : [%s]" % (w.strftime("%Y-%m-%dT%H:%M:%S"), w.microsecond, rng.randint(5100, 5140), rid)
                req_log[host].append((tt + 0.19, "%s   \n%s NoMethodError (undefined method `amount_cents' for nil:NilClass):\n%s   \n%s app/services/pricing/discount_applier.rb:38:in `apply'\n%s app/models/order.rb:214:in `apply_discount'\n%s app/controllers/orders_controller.rb:27:in `create'"
                                      % ((hdr,) * 6)))
            else:
                oid = "ord_%08d" % rng.randint(10000000, 99999999)
                lines.append((d / 1000 - 0.02, py("INFO", "Checkout %s -> order %s created" % (chk, oid))))
                req_log[host].append((tt + 0.2, "method=POST path=/orders format=json controller=OrdersController action=create status=201 duration=%.2f view=1.%02d db=%.2f request_id=%s"
                                      % (rng.uniform(60, 180), rng.randint(0, 99), rng.uniform(20, 60), rid)))
            ll.invoke(tt, lines, d, rng.randint(104, 126))
        for tt in spread(rng, t, other[t]):
            host = rng.choice([h for h, _ in hosts if not down(h, tt)])
            req_log[host].append((tt, "method=GET path=/orders/%d format=json controller=OrdersController action=show status=200 duration=%.2f view=2.%02d db=%.2f request_id=%s"
                                  % (rng.randint(1000000, 9999999), rng.uniform(12, 40), rng.randint(0, 99), rng.uniform(3, 12), sc.uuid())))
    ll.emit()
    for iid, name in hosts:
        r = restart[iid]
        boot = ["=> Booting Puma", "=> Rails 7.1.3 application starting in production", "Puma starting in cluster mode...",
                "* Puma version: 6.4.2 (ruby 3.2.2-p53) (\"The Eagle of Durango\")", "* Environment: production", "* Workers: 4",
                "* Release: 2026.11.21-1 (git 4f9c2ab)", "* Listening on unix:///var/www/orders-app/shared/sockets/puma.sock", "Use Ctrl-C to stop"]
        ev = req_log[iid] + [(r + 5 + k * 0.3, line) for k, line in enumerate(boot)]
        sc.log("/orders-app/rails", iid, ev)
        agent = []
        for k, step in enumerate(["DownloadBundle", "BeforeBlockTraffic", "BlockTraffic", "ApplicationStop", "BeforeInstall", "Install",
                                  "AfterInstall", "ApplicationStart", "ValidateService", "BeforeAllowTraffic", "AllowTraffic"]):
            tt = r - 40 + k * 9
            agent.append((tt, "%s INFO  [codedeploy-agent(2231)]: [Aws::CodeDeployCommand::Client 200 0.0%d 0 retries] put_host_command_complete(command_status:\"Succeeded\",diagnostics:{format:\"JSON\",payload:\"{\\\"error_code\\\":0,\\\"script_name\\\":\\\"\\\",\\\"message\\\":\\\"Succeeded\\\",\\\"log\\\":\\\"\\\"}\"},host_command_identifier:\"%s\") # %s d-7QK2M9XB1"
                          % (sc.wall(tt).strftime("%Y-%m-%dT%H:%M:%S"), rng.randint(20, 90), sc.hexid(24), step)))
        sc.log("/orders-app/codedeploy-agent", iid, agent)
    pbl = LambdaLogs(sc, "promo-banner", 256)
    for t in log_minutes(-3600):
        for tt in spread(rng, t, pb[0][t]):
            pbl.invoke(tt, [(0.003, "@TS@\t@RID@\tINFO\tserved banner variant=%s locale=%s" % (rng.choice(["bf26-a", "bf26-b"]), rng.choice(["en-GB", "en-IE", "fr-FR"])))], gauss(rng, 22, 5, 6), 68)
    pbl.emit()

    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "promo-banner", "ci-deployer")
    sc.change(dep, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "orders-app-prod", "github-actions-deploy")
    ch = alarm_transition(err, 300, 1, 10, "GreaterThanThreshold")
    sc.alarm("checkout-orchestrator-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "ALARM", ch or -1800, "checkout-orchestrator unhandled errors")
    sc.expect = {"alarm": "checkout-orchestrator-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [hosts[0][0], hosts[0][1], hosts[1][0], hosts[1][1], "orders-app-prod"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": lb}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (calling Lambda)", decoys="promo-banner routine Lambda deploy 6 min before the release; orders-reporting-1 hourly batch CPU spike; promo checkouts that succeeded before the release",
                   story="CodeDeploy rolled orders-app release 2026.11.21-1 to orders-app-1 and then orders-app-2 from -36 min (CreateDeployment on orders-app-prod, agent lifecycle events, Puma reboot banners). From then on POST /orders requests that carry a promo code fail on the new code with NoMethodError (undefined method `amount_cents' for nil:NilClass) in DiscountApplier#apply. The internal ALB's target 5XX count rises, and checkout-orchestrator, which only relays the 500, raises OrdersServiceError and trips its Errors alarm. The orchestrator itself did not change. The promo-banner deploy is a separate function serving banner content, and the reporting batch is on another box. Judgement: bad_deployment on the orders-app instances (deployment group orders-app-prod), not a dependency failure in checkout-orchestrator.")
    return sc


# =========================================================================== 16
def build_16():
    sc = Scenario("h26-16-shipment-tracker-db-unreachable", 2616, "eu-central-1",
                  "shipment-tracker Errors alarm; tracking updates stopped flowing into the customer portal.",
                  dt.datetime(2026, 11, 29, 6, 40, 0))
    rng = sc.rng
    fn, db = "shipment-tracker", "fulfillment-pg"
    dbhost, dbip = "fulfillment-pg.c4n7x2k9q1ab.eu-central-1.rds.amazonaws.com", "10.40.12.44"
    wms = ("i-0e7f6a5b4c3d2e1f0", "wms-export-1")
    sc.resource("rds", db, engine="postgres", engine_version="14.10", instance_class="db.t4g.large", multi_az=False,
                max_connections=400, allocated_storage_gb=250)
    sc.resource("lambda", fn, runtime="provided.al2023 (Go 1.22)", timeout=15, memory_size=256, event_source="sqs:carrier-events")
    sc.resource("ecs", "fulfillment/label-service", cluster="fulfillment", service_name="label-service", launch_type="FARGATE",
                desired_count=2, log_groups=["/ecs/label-service"])
    sc.resource("lambda", "carrier-rates-sync", runtime="provided.al2023 (Go 1.22)", timeout=60, memory_size=256)
    sc.resource("ec2", wms[0], name=wms[1], instance_type="m6i.xlarge", app="nightly WMS export 05:00 UTC")

    down = -1440
    gone = lambda t: t >= down
    rds_metrics(sc, db, lambda t: gauss(rng, 14, 2.5, 4), lambda t: round(gauss(rng, 27, 2)),
                lambda t: 171.3 - (t + 21600) / 21600 * 0.2, lambda t: gauss(rng, 0.0008, 0.0002, 0.0003),
                lambda t: gauss(rng, 0.0012, 0.0002, 0.0004), lambda t: gauss(rng, 3.4, 0.04),
                lambda t: gauss(rng, 140, 20, 30), lambda t: gauss(rng, 75, 10, 10), missing=gone)
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    for t in MINUTES:
        n = poisson(rng, 28 * diurnal(t, 0.3, phase_h=-6))
        if gone(t):
            n += poisson(rng, 6)          # SQS redelivery of failed batches
        inv[t], thr[t] = n, 0
        err[t] = n if gone(t) else 0
        dur[t] = gauss(rng, 5030, 20, 5000) if gone(t) else gauss(rng, 85, 12, 30)
        conc[t] = max(1, round(n * dur[t] / 60000 + rng.random()))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    ecs_metrics(sc, "fulfillment", "label-service", lambda t: gauss(rng, 12, 2, 3), lambda t: gauss(rng, 44, 1))
    cr = simple_lambda_model(rng, lambda t: 1 if t % 600 == 0 else 0, lambda t: gauss(rng, 2500, 300, 900))
    lambda_metrics(sc, "carrier-rates-sync", *cr)
    nb = lambda t: -6600 <= t <= -5400
    ec2_metrics(sc, wms[0], lambda t: gauss(rng, 93, 3, 75, 100) if nb(t) else gauss(rng, 4, 1, 0.5),
                lambda t: gauss(rng, 64 if nb(t) else 30, 1.5), lambda t: gauss(rng, 57, 0.1),
                lambda t: gauss(rng, 1.2e7 if nb(t) else 1e5, 1e6 if nb(t) else 2e4, 1e4))

    conn_err = ("failed to connect to `user=tracker database=fulfillment`: %s:5432 (%s): dial error: timeout: dial tcp %s:5432: i/o timeout" % (dbip, dbhost, dbip))
    ll = LambdaLogs(sc, fn, 256, init_ms=(60, 140))
    carriers = ["dhl", "dpd", "ups", "gls", "hermes"]
    for t in log_minutes():
        for tt in spread(rng, t, inv[t]):
            c = rng.choice(carriers)
            trk = "%s%010d" % (c.upper()[:2], rng.randint(0, 9999999999))
            lines = [(0.002, go_json("INFO", "carrier event", carrier=c, tracking=trk, status=rng.choice(["IN_TRANSIT", "OUT_FOR_DELIVERY", "DELIVERED", "EXCEPTION"])))]
            if c == "dhl" and rng.random() < 0.2:
                lines.append((0.004, go_json("WARN", "tracking lookup rate limited, backing off", carrier="dhl", http_status=429, backoff="2s")))
            if gone(t):
                d = gauss(rng, 5030, 20, 5000)
                lines.append((d / 1000 - 0.01, go_json("ERROR", "update shipment failed", tracking=trk, err=conn_err)))
            else:
                d = gauss(rng, 85, 12, 30)
                lines.append((d / 1000 - 0.005, go_json("INFO", "shipment updated", tracking=trk, rows=1, db_ms=rng.randint(2, 9))))
            ll.invoke(tt, lines, d, rng.randint(28, 36))
    ll.emit()
    ls = []
    for t in log_minutes():
        ls.append((t + 50, json.dumps({"time": sc.iso(t + 50), "level": "INFO", "msg": "labels printed", "window": "60s", "count": 0 if gone(t) else rng.randint(3, 25)}, separators=(",", ":"))))
        if gone(t):
            for k in range(2):
                tt = t + 10 + 30 * k
                ls.append((tt, json.dumps({"time": sc.iso(tt), "level": "ERROR", "msg": "db ping failed", "err": "dial tcp %s:5432: i/o timeout" % dbip, "pool": "fulfillment"}, separators=(",", ":"))))
    sc.log("/ecs/label-service", "ecs/label-service/" + sc.hexid(), ls)
    pl = []
    for t in range(-10800, down, 300):
        pl.append((t + 13, pg(sc, t + 13, "", "@", 402, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled" % (rng.randint(300, 1400), rng.uniform(0.2, 0.9)))))
    sc.log("/aws/rds/instance/fulfillment-pg/postgresql", "fulfillment-pg.0", pl)
    cl = LambdaLogs(sc, "carrier-rates-sync", 256)
    for t in log_minutes():
        if cr[0][t]:
            cl.invoke(t + 0.2, [(0.01, go_json("INFO", "rates synced", carriers=5, rows=rng.randint(800, 1200)))], gauss(rng, 2500, 300, 900), 41)
    cl.emit()

    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "carrier-rates-sync", "ci-deployer")
    ch = alarm_transition(err, 60, 3, 5, "GreaterThanThreshold")
    sc.alarm("shipment-tracker-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "ALARM", ch or -1300, "shipment-tracker failing")
    sc.alarm("fulfillment-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "INSUFFICIENT_DATA", -1200)
    sc.alarm("wms-export-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": wms[0]}, "Average", 300, 3, 90,
             "GreaterThanThreshold", "OK", -5340)
    sc.expect = {"alarm": "shipment-tracker-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="front (calling Lambda)", decoys="carrier-rates-sync routine Lambda deploy 26 min before; wms-export-1 nightly CPU spike (alarm cleared); pre-existing DHL 429 back-off WARN at a constant rate",
                   story="At -24 min the single-AZ fulfillment-pg instance became unreachable: its CloudWatch metrics stop (its CPU alarm goes to INSUFFICIENT_DATA), its log goes silent, and both its clients, the shipment-tracker Lambda and the label-service ECS tasks, fail to connect with 'dial tcp 10.40.12.44:5432: i/o timeout'. shipment-tracker's duration jumps to its 5 s connect timeout and every invocation errors. Until then the database was lightly loaded (14 % CPU, 27 of 400 connections, plenty of storage), so it was not exhausted. Nothing was changed on it; the carrier-rates-sync deploy is unrelated and the DHL 429 back-off warning is as frequent as before. Judgement: dependency_failure originating at fulfillment-pg.")
    return sc
