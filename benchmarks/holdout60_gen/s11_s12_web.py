"""Scenarios 11 (payday push brings a login surge) and 12 (31st-of-month date bug)."""
from __future__ import annotations

from .common import HISTORY, Scenario, bump, diurnal, ramp
from .kit import (GRID, alb_id, alb_metrics, const, counts, ecs_metrics, ecs_tasks, gauge,
                  lambda_metrics, rds_metrics, share)
from .runtimes import gunicorn, pg, rails


# ============================================================================ 11
def s11() -> Scenario:
    sc = Scenario(11, "payday-balances", "Mobile app balance screen slow and erroring on payday "
                  "morning; retail ALB latency alarm.", "eu-north-1", 6011,
                  "2026-05-29T07:10:00+00:00")
    TP, T0, TD = -1930, -1800, -1880
    cl, svc, lbn = "retail", "balance-api", "retail-web"
    lb = alb_id(sc, lbn)
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=12,
                runtime="python3.12 (Django, gunicorn sync workers, timeout 30)",
                autoscaling="target CPU 60 %, max 24 tasks")
    sc.resource("ecs", f"{cl}/card-controls", launch_type="FARGATE", desired_count=4)
    sc.resource("rds", "retail-core-pg", engine="postgres", engine_version="16.3",
                instance_class="db.r6g.4xlarge", max_connections=1000, allocated_storage_gb=4000)
    sc.resource("lambda", "push-fanout", runtime="python3.12", timeout=300, memory_size=1024)

    surge = lambda t: ramp(t, T0 - 90, T0 + 120) * (1 - 0.35 * ramp(t, T0 + 600, 0))
    morning = lambda t: 0.35 + 0.65 * ramp(t, -14400, -2400)
    req = counts(sc, lambda t: 3000 * morning(t) * (1 + 3.5 * surge(t)), noise=0.03)
    tasks = [float(min(24, 12 + int(max(0, t - (T0 + 300)) / 120))) if t > T0 + 300 else 12.0
             for t in GRID]
    cpu = gauge(sc, lambda t: 24 + 18 * morning(t) + 41 * surge(t) - 0.4 * max(0, (t - T0 - 300) / 120),
                abs_noise=2.5, cap=100)
    t5 = share(sc, req, lambda t: 0.0009 + 0.024 * surge(t))
    e5 = share(sc, req, lambda t: 0.0002 + 0.009 * surge(t))
    rt = gauge(sc, lambda t: 0.085 + 1.7 * surge(t), noise=0.09, digits=4)
    alb_metrics(sc, lb, req, t5, e5, rt, tasks, const(0),
                t4xx=share(sc, req, lambda t: 0.018 * (1 - 0.4 * surge(t))))
    ecs_metrics(sc, cl, svc, cpu, gauge(sc, lambda t: 47 + 6 * surge(t), abs_noise=1), tasks)
    ecs_metrics(sc, cl, "card-controls", gauge(sc, lambda t: 18 + bump(t, TD + 30, TD + 200, 20, 30),
                                               abs_noise=2),
                gauge(sc, lambda t: 40, abs_noise=1),
                [4.0 + (4.0 if TD + 40 <= t < TD + 200 else 0.0) for t in GRID])
    rds_metrics(sc, "retail-core-pg", gauge(sc, lambda t: 22 + 14 * morning(t) + 20 * surge(t),
                                            abs_noise=2),
                counts(sc, lambda t: 300 + 120 * surge(t), noise=0.01),
                gauge(sc, lambda t: 2870, noise=0.0002),
                gauge(sc, lambda t: 0.0008 + 0.0005 * surge(t), noise=0.15, digits=5),
                gauge(sc, lambda t: 0.0015, noise=0.15, digits=5))
    p_inv = counts(sc, lambda t: 0.2 + bump(t, TP, TP + 360, 38, 30))
    lambda_metrics(sc, "push-fanout", p_inv, const(0), gauge(sc, lambda t: 48000, noise=0.1))

    grp = f"/ecs/{svc}"
    paths = ["/v1/accounts/balances", "/v1/accounts/{}/transactions?limit=20", "/v1/me",
             "/v1/payments/upcoming", "/v1/cards"]

    def line(t, st):
        s = surge(t)
        pid = int(st[-3:], 16) % 60 + 8
        r = sc.rng.random()
        if r < 0.05 * (1 - 0.5 * s):
            return [gunicorn(sc, t, pid, "WARNING", "token refresh failed: refresh token expired "
                             f"(client=retail-ios user={sc.hexid(8)})"),
                    f'10.50.{sc.rng.randint(0, 15)}.{sc.rng.randint(2, 250)} - - '
                    f'[{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "POST /v1/auth/refresh '
                    'HTTP/1.1" 401 61 "-" "RetailApp/7.12 (iOS 17.5)"']
        if r < 0.05 + 0.02 * s:
            return gunicorn(sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{sc.rng.randint(8, 70)})")
        if r < 0.05 + 0.06 * s:
            return [gunicorn(sc, t, pid, "WARNING", f"load shed: request queue depth "
                             f"{sc.rng.randint(49, 90)} > 48, returning 503"),
                    f'10.50.{sc.rng.randint(0, 15)}.{sc.rng.randint(2, 250)} - - '
                    f'[{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET /v1/accounts/balances '
                    'HTTP/1.1" 503 87 "-" "RetailApp/7.12 (Android 14)"']
        p = sc.rng.choice(paths).format(sc.rng.randint(10 ** 6, 10 ** 7))
        return (f'10.50.{sc.rng.randint(0, 15)}.{sc.rng.randint(2, 250)} - - '
                f'[{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET {p} HTTP/1.1" 200 '
                f'{sc.rng.randint(300, 9000)} "-" "RetailApp/7.12 (iOS 17.5)"')
    life = [(-HISTORY - 3600, 0)] * 3 + [(T0 + 420 + 240 * i, 0) for i in range(2)]
    ecs_tasks(sc, grp, "web", svc, life, lambda t: 2.5 + 4 * surge(t), line,
              start_lines=lambda t, st: [gunicorn(sc, t, 1, "INFO", "Starting gunicorn 22.0.0"),
                                         gunicorn(sc, t + 0.01, 1, "INFO",
                                                  "Listening at: http://0.0.0.0:8000 (1)"),
                                         gunicorn(sc, t + 0.02, 1, "INFO", "Using worker: sync")])
    sc.log("/aws/lambda/push-fanout", "2026/05/29/[$LATEST]" + sc.hexid(32), TP + 1,
           "[INFO]\t" + sc.iso(TP + 1) + "\t" + sc.uuid() + "\tcampaign=salary-credited-2026-05 "
           "audience=1.84M channel=apns,fcm throttle=none")

    sc.change(-6900, "iam.amazonaws.com", "UpdateRole", "AWS::IAM::Role", "balance-api-task",
              "AWSReservedSSO_AuditReadOnly_0b9f3e2c7d1a4e58/e.lindqvist")
    sc.change(TD - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "card-controls:133", "jenkins-prod")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/card-controls",
              "jenkins-prod")
    for i in range(5):
        sc.change(T0 + 360 + 240 * i, "ecs.amazonaws.com", "UpdateService",
                  "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")

    sc.alarm(f"{svc}-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 70, "GreaterThanThreshold")
    sc.alarm("retail-core-pg-connections", "AWS/RDS", "DatabaseConnections",
             {"DBInstanceIdentifier": "retail-core-pg"}, "Maximum", 300, 1, 380, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 3, 1.0, "GreaterThanThreshold",
             "Retail web/app API latency")
    sc.expect = {"alarm": f"{lbn}-target-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, lbn, f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="origin (ALB receiving the surge; the service behind it is also accepted)",
        services="ALB, ECS Fargate (Python/gunicorn access log), RDS PostgreSQL, Lambda",
        decoys="card-controls deploy between the push and the onset; ECS CPU alarm (fired at "
               "~80 %, never pinned, cleared as tasks were added); DB connections alarm at 420 of 1000; old 401 token-refresh WARNINGs; "
               "gunicorn WORKER TIMEOUT lines",
        story=(
            "Payday morning: at 06:38 UTC `push-fanout` sends the `salary-credited` campaign to "
            "1.8 M devices. Two minutes later RequestCount on `retail-web` goes from ~3,000 to "
            "~13,000 a minute (4.5x) and stays high. The `balance-api` gunicorn service (12 tasks) "
            "runs hot but is never pinned (~80 % CPU), its load shedder returns 503s (`request queue "
            "depth 70 > 48`), a few workers time out, target response time rises to ~1.8 s and "
            "autoscaling adds tasks every few minutes. Dependencies are healthy: the database "
            "rises to ~420 of 1,000 connections with normal latency and there are no DB errors. "
            "Decoys: `card-controls` is deployed between the push and the onset (flat metrics "
            "afterwards); the ECS CPU alarm (fired, then cleared as autoscaling added tasks) and the DB connections alarm are consequences; the "
            "401 `refresh token expired` warnings are old."),
    )
    return sc


# ============================================================================ 12
def s12() -> Scenario:
    sc = Scenario(12, "standing-orders-midnight", "Standing-order screens erroring just after "
                  "midnight UTC on 31 March; billing ALB 5XX alarm.", "us-east-1", 6012,
                  "2026-03-31T00:45:00+00:00")
    T0, TD = -2700, -2790
    cl, svc, lbn = "billing", "standing-orders-api", "billing-int"
    lb = alb_id(sc, lbn)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3,
                runtime="ruby3.3 (Rails 7.1, puma)")
    sc.resource("ecs", f"{cl}/notify-worker", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name=lbn, scheme="internal")
    sc.resource("rds", "billing-pg", engine="postgres", engine_version="15.7",
                instance_class="db.m6g.xlarge", max_connections=900, allocated_storage_gb=800)

    bad = lambda t: 1.0 if t >= T0 else 0.0
    req = counts(sc, lambda t: 260 * diurnal(sc, t, 18, 0.35))
    t5 = share(sc, req, lambda t: 0.002 + 0.31 * bad(t))
    alb_metrics(sc, lb, req, t5, share(sc, req, lambda t: 0.0003),
                gauge(sc, lambda t: 0.072 - 0.01 * bad(t), noise=0.1, digits=4), const(3), const(0),
                t4xx=share(sc, req, lambda t: 0.02))
    ecs_metrics(sc, cl, svc, gauge(sc, lambda t: 19 * diurnal(sc, t, 18), abs_noise=2),
                gauge(sc, lambda t: 58, abs_noise=1), const(3))
    ecs_metrics(sc, cl, "notify-worker", gauge(sc, lambda t: 12 + bump(t, TD + 40, TD + 200, 15, 30),
                                               abs_noise=2),
                gauge(sc, lambda t: 35, abs_noise=1),
                [2.0 + (2.0 if TD + 40 <= t < TD + 200 else 0.0) for t in GRID])
    rds_metrics(sc, "billing-pg", gauge(sc, lambda t: 18 + bump(t, T0 + 30, T0 + 1300, 39, 120),
                                        abs_noise=2),
                counts(sc, lambda t: 85), gauge(sc, lambda t: 402, noise=0.0005),
                gauge(sc, lambda t: 0.0011 + bump(t, T0 + 30, T0 + 1300, 0.0009, 120), noise=0.15,
                      digits=5),
                gauge(sc, lambda t: 0.0019, noise=0.15, digits=5))

    grp = f"/ecs/{svc}"

    def line(t, st):
        rid = sc.uuid()
        ip = f"10.8.{sc.rng.randint(0, 7)}.{sc.rng.randint(2, 250)}"
        day = sc.at(t).strftime("%Y-%m-%d %H:%M:%S +0000")
        oid = sc.rng.randint(10000, 99999)
        r = sc.rng.random()
        if r < 0.35:
            p = f"/api/v1/standing_orders/{oid}/next_run"
            head = [rails(sc, t, "INFO", f'Started GET "{p}" for {ip} at {day}', rid),
                    rails(sc, t + 0.001, "INFO", "Processing by Api::V1::StandingOrdersController#"
                          "next_run as JSON", rid)]
            if bad(t) and sc.rng.random() < 0.9:
                return head + [
                    rails(sc, t + 0.01, "INFO", f"Completed 500 Internal Server Error in "
                          f"{sc.rng.randint(4, 14)}ms (ActiveRecord: 1.9ms | Allocations: 2210)", rid),
                    rails(sc, t + 0.011, "FATAL", "  \nDate::Error (invalid date):\n  \n"
                          "app/services/schedule_calculator.rb:27:in `new'\n"
                          "app/services/schedule_calculator.rb:27:in `next_run_on'\n"
                          "app/controllers/api/v1/standing_orders_controller.rb:41:in `next_run'", rid)]
            return head + [rails(sc, t + 0.01, "INFO", f"Completed 200 OK in {sc.rng.randint(8, 40)}ms "
                                 "(Views: 0.4ms | ActiveRecord: 3.1ms | Allocations: 3120)", rid)]
        if r < 0.39:
            p = f"/api/v1/standing_orders/{oid}"
            return [rails(sc, t, "INFO", f'Started GET "{p}" for {ip} at {day}', rid),
                    rails(sc, t + 0.008, "INFO", "Completed 404 Not Found in 3ms (ActiveRecord: 0.8ms)",
                          rid),
                    rails(sc, t + 0.009, "FATAL", "  \nActiveRecord::RecordNotFound (Couldn't find "
                          f"StandingOrder with 'id'={oid}):\n  \napp/controllers/api/v1/"
                          "standing_orders_controller.rb:88:in `set_order'", rid)]
        if r < 0.394:
            return rails(sc, t, "ERROR", "Rack::Timeout::RequestTimeoutException (Request ran for "
                         "longer than 15000ms )", rid)
        p = sc.rng.choice(["/api/v1/standing_orders?account_id={}", "/api/v1/mandates/{}",
                           "/api/v1/payees?account_id={}"]).format(oid)
        return [rails(sc, t, "INFO", f'Started GET "{p}" for {ip} at {day}', rid),
                rails(sc, t + 0.01, "INFO", f"Completed 200 OK in {sc.rng.randint(6, 60)}ms "
                      "(Views: 1.2ms | ActiveRecord: 4.4ms | Allocations: 5012)", rid)]
    ecs_tasks(sc, grp, "web", svc, [(-HISTORY - 80000, 0)] * 3, lambda t: 1.3, line)
    ecs_tasks(sc, f"/ecs/{cl}/notify-worker", "worker", "notify-worker",
              [(-HISTORY - 1000, TD + 150), (TD + 50, 0)], lambda t: 0.5,
              lambda t, st: rails(sc, t, "INFO", f"Sidekiq job NotifyPayerJob jid={sc.hexid(24)} "
                                  f"done: {sc.rng.uniform(0.05, 0.8):.3f} sec"))
    pgg = "/aws/rds/instance/billing-pg/postgresql"
    sc.log(pgg, "billing-pg.0", T0 + 4, pg(sc, T0 + 4, "LOG", "automatic vacuum of table "
           "\"billing.public.ledger_lines\": index scans: 1 pages: 0 removed, 812004 remain",
           pid=8812))
    for i in range(0, 360, 5):
        t = -HISTORY + i * 60 + 11
        sc.log(pgg, "billing-pg.0", t, pg(sc, t, "LOG", f"checkpoint complete: wrote "
               f"{sc.rng.randint(400, 3000)} buffers; 0 WAL file(s) added", pid=301))

    sc.change(-3300, "iam.amazonaws.com", "DeleteAccessKey", "AWS::IAM::User", "legacy-sftp",
              "AWSReservedSSO_AuditReadOnly_5d2c8e1f9a0b7c36/d.morales")
    sc.change(TD - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "notify-worker:77", "circleci-deployer")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/notify-worker",
              "circleci-deployer")

    sc.alarm("billing-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "billing-pg"},
             "Average", 300, 1, 50, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold",
             "Billing internal ALB target 5XX")
    sc.expect = {"alarm": f"{lbn}-target-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB → ECS)",
        services="ALB, ECS Fargate (Ruby on Rails logs), RDS PostgreSQL",
        decoys="notify-worker deploy 90 s before midnight; nightly autovacuum CPU bump on the DB "
               "starting at the same minute (its alarm fired and cleared); old RecordNotFound 404s "
               "and Rack::Timeout lines; auditor DeleteAccessKey 10 min before",
        story=(
            "`standing-orders-api` (Rails 7.1 on Fargate, behind internal ALB `billing-int`) "
            "computes the next execution date of standing orders with "
            "`Date.new(today.year, today.month + 1, today.day)`. At 00:00:00 UTC on 31 March that "
            "asks for 31 April: from the first second of the day about 90 % of "
            "`GET .../next_run` requests fail with `Date::Error (invalid date)` at "
            "`schedule_calculator.rb:27`, a signature never seen in the preceding six hours. "
            "Nothing changed on the service, tasks and CPU are steady, and the database answers "
            "other queries normally. Decoys: `notify-worker` is deployed 90 s before midnight; "
            "the nightly autovacuum lifts billing-pg CPU to ~55 % from the same minute (its alarm "
            "fired and cleared, latency barely moved, no DB errors in the app); "
            "`ActiveRecord::RecordNotFound` 404s and occasional Rack::Timeout lines are old; an "
            "auditor deleted an unused access key 10 min before."),
    )
    return sc
