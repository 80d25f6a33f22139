"""h56-11, h56-12: a scraper flood on a small night-time web fleet, a poison event in a Ruby projector."""
import datetime as dt

from . import logfmt as lf
from .core import Scenario
from .infra import queue_metrics, sqs_consume
from .lambda_sim import LambdaFn

ACCOUNT = "412907655218"


def s11_storefront_scraper_surge():
    sc = Scenario(name="h56-11-storefront-scraper-surge", region="us-west-2", seed=5611, tz_hours=-8,
                  now_utc=dt.datetime(2026, 11, 5, 10, 40), log_from=-5400,
                  description="Storefront timing out since about 02:15 PST; ALB 5XX alarm. The night fleet is at its minimum.")
    rng = sc.rng
    lb = "app/storefront-alb/7f3e2a91c4d05b68"
    sc.resource("alb", lb, name="storefront-alb", idle_timeout_s=60)
    sc.resource("ecs", "web/storefront", launch_type="FARGATE", desired_count=2, cpu=1024, memory=2048,
                server="gunicorn --workers 2 --timeout 30", autoscaling="none", log_groups=["/ecs/storefront"])
    sc.resource("ecs", "web/account-api", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    sc.resource("rds", "storefront-pg", engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                max_connections=1700, allocated_storage_gb=300)
    sc.change(-5620, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "account-api",
              "codepipeline-web")
    sc.change(-5611, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/account-api", "codepipeline-web")
    onset = -1810
    bots = ["185.220.101.37", "185.220.101.52", "45.134.26.118"]
    bot_ua = "Mozilla/5.0 (compatible; PriceSpyBot/3.2; +https://pricespy.example/bot)"
    uas = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
           "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"]
    workers, service = 4, 0.85
    cap = workers * 60 / service
    stats = {}
    tasks = [sc.hexid(32), sc.hexid(32)]
    logs = {t: [] for t in tasks}
    for m in sc.minutes():
        human = sc.poisson(sc.diurnal(m, 420, 11, peak_hour=13))
        bot = 0 if m < onset else sc.poisson(min(300.0, 60 + (m - onset) / 60 * 25))
        rho = (human + bot * 1.25) / cap         # deep listing pages cost more than the average request
        if rho < 0.75:
            wait, shed = 0.0, 0.0
        elif rho < 1.0:
            wait, shed = min(40.0, service * rho / (1 - rho)), 0.0
        else:                                   # queue full of requests the ALB gives up on at 60 s
            wait, shed = rng.uniform(28, 50), 1 - 1 / rho
        lat, elb5 = [], 0
        for k in range(human + bot):
            is_bot = k >= human
            t = m + rng.uniform(0, 60)
            svc = rng.uniform(0.5, 1.4) if is_bot else rng.uniform(0.05, 0.9)
            total = svc + wait * rng.uniform(0.6, 1.15)
            status = 200
            if rng.random() < shed or total >= 60:
                status, total = 504, 60.0
                elb5 += 1
            else:
                lat.append(total)
            if t < sc.log_from or status == 504:
                continue
            task = rng.choice(tasks)
            if is_bot:
                ip, ua = rng.choice(bots), bot_ua
                path = f"/api/products?category={rng.choice(['tv', 'laptops', 'headphones', 'cameras'])}&page={rng.randint(40, 900)}"
            else:
                ip, ua = f"{rng.randint(24, 99)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}.{rng.randint(1, 254)}", rng.choice(uas)
                path = rng.choice(["/", "/product/{}", "/api/cart", "/api/products?category=tv&page=1", "/search?q=usb-c"]).format(rng.randint(1000, 99999))
            logs[task].append((t + total, lf.gunicorn_access(sc, t + total, ip, "GET", path, status,
                                                             rng.randint(900, 48000), ua, total)))
        stats[m] = (human + bot, lat, elb5, wait, rho)
        for task in tasks:
            if m >= sc.log_from and rng.random() < 0.15:
                t = m + rng.uniform(0, 60)
                logs[task].append((t, lf.django(sc, t, "WARNING", "django.request",
                                                 "Not Found: /apple-touch-icon-precomposed.png")))
            if m >= sc.log_from and wait > 30 and rng.random() < 0.5:
                t = m + rng.uniform(0, 60)
                logs[task].append((t, lf.gunicorn_err(sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{rng.randint(40, 400)})")))
                logs[task].append((t + 0.4, lf.gunicorn_err(sc, t + 0.4, rng.randint(400, 900), "INFO",
                                                             f"Booting worker with pid: {rng.randint(400, 900)}")))
    for task in tasks:
        sc.log("/ecs/storefront", f"web/storefront/{task}", logs[task])

    d = {"LoadBalancer": lb}
    sc.series("AWS/ApplicationELB", "RequestCount", d, "Count", lambda m: stats[m][0] or None)
    sc.series("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              lambda m: sum(stats[m][1]) / len(stats[m][1]) if stats[m][1] else None)
    sc.series("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", lambda m: stats[m][2] if stats[m][0] else None)
    sc.series("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", lambda m: 0 if stats[m][0] else None)
    sc.series("AWS/ApplicationELB", "HealthyHostCount", d, "Count", lambda m: 2)
    sc.series("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", lambda m: 0)
    sd = {"ClusterName": "web", "ServiceName": "storefront"}
    sc.series("AWS/ECS", "CPUUtilization", sd, "Percent",
              lambda m: min(66.0, 4 + min(1.0, stats[m][4]) * 60) * rng.uniform(0.94, 1.04))
    sc.series("AWS/ECS", "MemoryUtilization", sd, "Percent", lambda m: rng.uniform(41, 45))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", sd, "Count", lambda m: 2)
    ad = {"ClusterName": "web", "ServiceName": "account-api"}
    sc.series("AWS/ECS", "CPUUtilization", ad, "Percent", lambda m: rng.uniform(3, 6) + (15 if -5611 <= m < -5400 else 0))
    sc.series("AWS/ECS", "MemoryUtilization", ad, "Percent", lambda m: rng.uniform(30, 33))
    sc.series("ECS/ContainerInsights", "RunningTaskCount", ad, "Count", lambda m: 4 if -5611 <= m < -5400 else 2)
    rd = {"DBInstanceIdentifier": "storefront-pg"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(8, 13) + min(30, stats[m][0] / 12) + (35 if -6000 <= m < -5400 else 0))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(18, 24))
    sc.series("AWS/RDS", "ReadIOPS", rd, "Count/Second",
              lambda m: rng.uniform(40, 90) + stats[m][0] * 0.4 + (900 if -6000 <= m < -5400 else 0))
    sc.series("AWS/RDS", "ReadLatency", rd, "Seconds", lambda m: rng.uniform(0.0005, 0.0011))

    sc.alarm("storefront-alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Sum", 300, 1, 25,
             "GreaterThanThreshold", description="Storefront load balancer 5xx")
    sc.set_expect("storefront-alb-5xx", "traffic_surge", ["storefront-alb", lb, "web/storefront", "storefront"],
                  [("AWS/ApplicationELB", "RequestCount", d), ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d)])
    sc.notes = {
        "category": "traffic_surge", "origin": "origin (the storefront's load balancer)",
        "decoys": "account-api deployment 1.5 h earlier (other service); the nightly pg_dump spike on "
                  "storefront-pg at 00:50 PST; steady 'Not Found: /apple-touch-icon' warnings",
        "story": "At 02:10 PST three addresses with the PriceSpyBot user agent start walking the product "
                 "listing pages; requests rise from ~15/min to ~350/min, 20x the usual night level, against a "
                 "fixed 2-task, 4-worker night fleet. Requests queue, latency climbs towards the 60 s idle timeout, "
                 "gunicorn kills stuck workers and the ALB returns 504s. Task CPU stays under 70 %, the database "
                 "is moderately busy, no change touched the storefront. Load far above normal with no other "
                 "fault: traffic_surge on the storefront.",
    }
    return sc


def s12_projector_nil_address():
    sc = Scenario(name="h56-12-order-projector-nil-address", region="us-east-1", seed=5612, tz_hours=-4,
                  now_utc=dt.datetime(2026, 9, 14, 7, 5),
                  description="Order-status projector DLQ has messages; customers' order pages may be stale.")
    rng = sc.rng
    fn = LambdaFn(sc, "order-status-projector", "ruby3.3", 256, 30)
    sc.resource("lambda", fn.name, runtime="ruby3.3", timeout=30, memory_size=256,
                event_source=f"arn:aws:sqs:us-east-1:{ACCOUNT}:order-status-projector-queue", batch_size=1,
                subscribed_topic="order-events", dead_letter_queue="order-status-projector-dlq", max_receive_count=4)
    loy = LambdaFn(sc, "loyalty-points-calculator", "ruby3.3", 256, 30)
    sc.resource("lambda", loy.name, runtime="ruby3.3", timeout=30, memory_size=256,
                event_source=f"arn:aws:sqs:us-east-1:{ACCOUNT}:loyalty-events")
    sc.resource("rds", "reports-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)
    sc.change(-3320, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", loy.name,
              "github-actions-loyalty")
    loy.resets = [-3320]
    onset = -2230

    arrivals = []
    for m in sc.minutes():
        for _ in range(sc.poisson(sc.diurnal(m, 40, 4.2))):
            mk = rng.choices(["mkt-us", "mkt-ca", "mkt-br", "mkt-mx"], [6, 2, 1.2, 1])[0]
            digital = mk == "mkt-br" and m >= onset and rng.random() < 0.7
            arrivals.append((m + rng.uniform(0, 60), {"mk": mk, "digital": digital, "order": f"ord_{sc.hexid(12)}",
                                                       "status": rng.choice(["paid", "packed", "shipped", "delivered"])}))

    def process(start, msg, attempt):
        p = msg.payload
        lines = [(0.003, "INFO", f"event=order.{p['status']} order={p['order']} marketplace={p['mk']} receive={attempt}")]
        if rng.random() < 0.06:
            lines.append((0.01, "WARN", f"duplicate event evt_{sc.hexid(10)} ignored (projection already at version "
                                        f"{rng.randint(3, 9)})"))
        if p["digital"]:
            dur = rng.uniform(40, 90)
            err = {"type": "NoMethodError", "message": "undefined method `[]' for nil",
                   "trace": ["/var/task/lib/projector/address.rb:14:in `normalize'",
                             "/var/task/lib/projector/order_view.rb:57:in `apply_fulfillment'",
                             "/var/task/lib/projector/order_view.rb:23:in `apply'",
                             "/var/task/handler.rb:19:in `block in call'",
                             "/var/task/handler.rb:15:in `each'",
                             "/var/task/handler.rb:15:in `call'"]}
            fn.add(start, dur, "error", lines, mem=rng.randint(70, 78), err=err)
            return dur, False
        dur = rng.uniform(35, 140)
        lines.append((dur / 1000 - 0.002, "INFO", f"projected order={p['order']} status={p['status']} "
                                                  f"view_version={rng.randint(2, 12)}"))
        fn.add(start, dur, "ok", lines, mem=rng.randint(70, 78))
        return dur, True

    msgs = sqs_consume(sc, arrivals, process, concurrency=5, visibility=60, max_receives=4)
    fn.emit_metrics()
    fn.emit_logs()
    queue_metrics(sc, "order-status-projector-queue", msgs, dlq="order-status-projector-dlq")

    for m in sc.minutes():
        for _ in range(sc.poisson(sc.diurnal(m, 12, 1.1))):
            t = m + rng.uniform(0, 60)
            lines = [(0.003, "INFO", f"awarding points customer=cus_{sc.hexid(8)} points={rng.randint(5, 400)}"),
                     (0.05, "INFO", "ledger write ok")]
            loy.add(t, rng.uniform(30, 90), "ok", lines, mem=rng.randint(66, 72))
    loy.emit_metrics()
    loy.emit_logs()

    rd = {"DBInstanceIdentifier": "reports-mysql"}
    sc.series("AWS/RDS", "CPUUtilization", rd, "Percent",
              lambda m: rng.uniform(91, 97) if m >= -1560 else rng.uniform(7, 13))
    sc.series("AWS/RDS", "DatabaseConnections", rd, "Count", lambda m: rng.randint(9, 13) + (6 if m >= -1560 else 0))
    sc.series("AWS/RDS", "ReadIOPS", rd, "Count/Second",
              lambda m: rng.uniform(2400, 3100) if m >= -1560 else rng.uniform(40, 90))
    sc.alarm("reports-mysql-cpu-high", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 3, 85, "GreaterThanThreshold",
             description="Reporting DB CPU (nightly BI extracts run 02:40-03:30 EDT)")
    sc.alarm("order-status-projector-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "order-status-projector-dlq"}, "Maximum", 300, 1, 0, "GreaterThanThreshold",
             description="Order events the projector could not apply")
    sc.set_expect("order-status-projector-dlq-not-empty", "application_error", [fn.name],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn.name}),
                   ("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "order-status-projector-dlq"})])
    sc.notes = {
        "category": "application_error", "origin": "front (dead-letter queue of the consumer)",
        "decoys": "loyalty-points-calculator deploy 18 min before onset (other function, healthy); a second "
                  "alarm in ALARM, reports-mysql CPU from the scheduled BI extracts (unrelated database); steady "
                  "'duplicate event ignored' warnings",
        "story": "Since 02:28 EDT the Brazilian marketplace publishes fulfilment events for digital gift cards "
                 "with no shipping address. order-status-projector, unchanged for days, crashes on them with "
                 "`NoMethodError: undefined method `[]' for nil` in Address.normalize; other events project "
                 "normally. Each poison message is retried four times and lands in the DLQ, which pages. Nothing "
                 "in the account changed for this function, no dependency or resource is in trouble, and the "
                 "reports-mysql CPU alarm is the nightly BI job on a database the projector never touches. "
                 "Unhandled exception in the function itself: application_error.",
    }
    return sc
