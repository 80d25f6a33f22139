"""h82-11 (shipping-label dispatcher) and h82-12 (Rails storefront and the mystery bundle)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, rails

from .kit import (S82, alb_metrics, diurnal, ecs_metrics, lambda_metrics, py_unhandled, ramp,
                  rds_metrics, sampled, bump)


# ============================================================================ h82-11
def build_11() -> S82:
    sc = S82(11, "label-dispatch", "Paid orders not getting shipping labels; the label dispatcher "
             "error alarm fired.", "eu-north-1", "2026-11-27T12:20:00")
    fn, deploy, iam = "label-dispatch", -2460, -1980
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=512, trigger="sqs:orders-paid",
                role="label-dispatch-exec", label_bucket="nordic-labels-prod")
    sc.resource("lambda", "carrier-webhook", runtime="ruby3.3", timeout=20, memory_size=256)
    sc.resource("rds", "fulfilment-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=900, allocated_storage_gb=250)

    sale = lambda t: 1.0 + 0.9 * ramp(t, -4800, -4500)
    denied = lambda t: ramp(t, iam, iam + 45)
    # SQS redelivers failed batches after the visibility timeout: invocations grow ~50 %
    inv = sc.vals(lambda t: 95 * diurnal(sc, t, 12, 0.2) * sale(t) * (1 + 0.5 * denied(t)), integer=True)
    err = sc.vals(lambda t: 0.15 + 95 * diurnal(sc, t, 12, 0.2) * sale(t) * 1.5 * 0.97 * denied(t), integer=True)
    err = [float(min(a, b)) for a, b in zip(inv, err)]
    dur = sc.vals(lambda t: 820 - 560 * denied(t), noise=0.1)
    fd = lambda_metrics(sc, fn, inv, err, dur)
    cinv = sc.vals(lambda t: 60 * sale(t) * (1 - 0.85 * ramp(t, iam + 300, iam + 900)), integer=True)
    lambda_metrics(sc, "carrier-webhook", cinv, sc.vals(lambda t: 0.2, integer=True), sc.vals(lambda t: 140, noise=0.1))
    rds_metrics(sc, "fulfilment-pg", sc.vals(lambda t: 17 * sale(t) + 30 * bump(t, -6600, -6300, 1, 60), noise=0.05),
                sc.vals(lambda t: 120 * sale(t) ** 0.5, integer=True), sc.vals(lambda t: 190.4, noise=0.0005),
                sc.vals(lambda t: 0.0007, noise=0.1, digits=5), sc.vals(lambda t: 0.0014, noise=0.1, digits=5),
                sc.vals(lambda t: 7300, noise=0.01))
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "orders-paid"}, "Seconds",
              sc.vals(lambda t: 4 + (0 if t < iam else (t - iam) * 0.9), noise=0.1))

    ll = LambdaLogs(sc, fn, "python3.12", 512, 60, retire=(deploy,), mem_used=(124, 8))
    acct = sc.account

    def body(ll, t, rid, is_err, cold):
        oid = f"SE{sc.rng.randint(10 ** 8, 10 ** 9)}"
        carrier = sc.rng.choice(["postnord", "dhl-freight", "bring", "budbee"])
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"batch size=1 order={oid} carrier={carrier}"))]
        if sc.rng.random() < 0.05:
            lines.append((0.3, ll.fmt(t, rid, "WARNING", f"{carrier} returned 409 duplicate shipment for {oid}; "
                                                          "reusing existing label")))
        if is_err and t >= iam:
            key = f"labels/{sc.at(t).strftime('%Y/%m/%d')}/{oid}.pdf"
            lines.append((0.2, py_unhandled(ll, t + 0.2, rid, "ClientError", "An error occurred (AccessDenied) when "
                          f"calling the PutObject operation: User: arn:aws:sts::{acct}:assumed-role/label-dispatch-exec/"
                          f"{fn} is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::nordic-labels-"
                          f"prod/{key}\" because no identity-based policy allows the s3:PutObject action",
                          [("/var/task/dispatch/store.py", 44, "save_label"),
                           ("/var/runtime/botocore/client.py", 1023, "_make_api_call")])))
            return {"dur": sc.rng.uniform(220, 300), "lines": lines}
        if is_err:
            lines.append((0.5, py_unhandled(ll, t + 0.5, rid, "CarrierAPIError", f"{carrier} 503 Service Unavailable",
                                            [("/var/task/dispatch/carriers.py", 88, "create_shipment")])))
            return {"dur": 520, "lines": lines}
        return {"dur": max(300, sc.rng.gauss(820, 120)), "lines": lines + [
            (0.7, ll.fmt(t, rid, "INFO", f"label stored s3://nordic-labels-prod/labels/{sc.at(t).strftime('%Y/%m/%d')}"
                                         f"/{oid}.pdf; handed off to {carrier}"))]}

    ll.run(*sampled(sc, inv, err, 4), body)
    cl = LambdaLogs(sc, "carrier-webhook", "ruby3.3", 256, 20)
    cl.run(*sampled(sc, cinv, [0] * 360, 1), lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(140, 20), "lines": [(0.01, ll.fmt(t, rid, "INFO",
                                                  f"tracking update shipment=00{sc.rng.randint(10 ** 15, 10 ** 16)} status=IN_TRANSIT"))]})

    sc.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "github-actions-fulfil")
    sc.change(iam - 40, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "label-dispatch-s3-write",
              "terraform-ci")
    sc.change(iam - 35, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "label-dispatch-exec", "terraform-ci")
    sc.alarm("label-dispatch-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "label dispatcher failing")
    sc.alarm("orders-paid-backlog-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "orders-paid"},
             "Maximum", 300, 1, 900, "GreaterThanThreshold")
    sc.expect_rc("label-dispatch-errors", "permission_denied", [fn],
                 [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fd}])
    sc.meta = dict(
        front="origin (Lambda); SQS backlog alarm too",
        decoys="code deploy of the same function 8 min before the IAM change; SQS redelivery raising "
               "invocations; sale-day volume; chronic carrier 409/503 noise",
        services="Lambda (Python 3.12, Ruby 3.3), IAM, SQS metric, RDS",
        story="CI deploys label-dispatch at -41 min and it keeps storing labels for eight minutes. At "
              "-34 min terraform-ci creates a new version of the S3 write policy and rewrites the "
              "inline policy on label-dispatch-exec; from the next message every invocation fails with "
              "`AccessDenied ... is not authorized to perform: s3:PutObject on resource "
              "arn:aws:s3:::nordic-labels-prod/labels/...`. SQS redelivers the failures (invocations "
              "+50 %, oldest message age climbing) and carrier-webhook goes quiet because nothing is "
              "handed off. The carrier 409 warnings and rare 503 errors were there all morning.",
        judgement="A deployment of the same function precedes the failures, but the new signature is "
                  "AccessDenied and starts with the IAM policy change eight minutes later, so "
                  "permission_denied; the role is not a resource type in the format, so the function "
                  "that runs under it is the accepted resource.")
    return sc


# ============================================================================ h82-12
def build_12() -> S82:
    sc = S82(12, "mystery-bundle", "Some product and checkout pages return 'We're sorry, but something "
             "went wrong'; the storefront 5XX alarm is firing.", "us-west-1", "2026-11-27T18:45:00")
    lb, drop = "app/sf-west-web/0c5d7e3f9a1b2468", -2220
    sc.resource("alb", lb, name="sf-west-web", scheme="internet-facing")
    sc.resource("ecs", "web/rails-shop", launch_type="FARGATE", desired_count=6, cpu=2048, memory=4096,
                log_group="/ecs/rails-shop")
    sc.resource("ecs", "web/admin-console", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                log_group="/ecs/admin-console")
    sc.resource("rds", "shop-pg-west", engine="postgres", engine_version="15.8", instance_class="db.r6g.xlarge",
                max_connections=1700, allocated_storage_gb=600)

    live = lambda t: ramp(t, drop, drop + 60)
    load = lambda t: 1.0 + 0.4 * ramp(t, drop, drop + 300)
    req = sc.vals(lambda t: 1500 * diurnal(sc, t, 19, 0.2) * load(t), integer=True)
    t5 = sc.vals(lambda t: 0.4 + 46 * live(t), integer=True)
    trt = sc.vals(lambda t: 0.18 * load(t) ** 0.3, noise=0.07)
    lbd = alb_metrics(sc, lb, req, t5, sc.vals(lambda t: 0.1, integer=True), trt, [6.0] * 360, [0.0] * 360,
                      t4=sc.vals(lambda t: 22 * load(t), integer=True))
    ecs_metrics(sc, "web", "rails-shop", sc.vals(lambda t: 38 * load(t) ** 0.8, noise=0.05),
                sc.vals(lambda t: 57, noise=0.01), running=[6.0] * 360)
    ecs_metrics(sc, "web", "admin-console", sc.vals(lambda t: 9 + 40 * bump(t, -2330, -2240, 1, 40), noise=0.08),
                sc.vals(lambda t: 35, noise=0.02), running=[2.0] * 360)
    rds_metrics(sc, "shop-pg-west", sc.vals(lambda t: 29 * load(t) ** 0.8, noise=0.05),
                sc.vals(lambda t: 260 * load(t) ** 0.5, integer=True), sc.vals(lambda t: 402.7, noise=0.0003),
                sc.vals(lambda t: 0.0008, noise=0.1, digits=5), sc.vals(lambda t: 0.0015, noise=0.1, digits=5),
                sc.vals(lambda t: 21500, noise=0.01))

    g = "/ecs/rails-shop"
    tasks = [f"rails/web/{sc.hexid(32)}" for _ in range(3)]
    pick = lambda t: tasks[int(t * 11) % 3]

    def ok(t):
        rid, path = sc.uuid(), sc.rng.choice(["/products/ps5-slim-bundle", "/collections/black-friday", "/cart",
                                              "/checkout/shipping", "/products/airpods-pro-3"])
        ms = max(20, int(sc.rng.gauss(180, 50)))
        sc.log(g, pick(t), t, rails(sc, t, "INFO", f"Started GET \"{path}\" for {sc.ip('172.16')} at "
                                                   f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000", rid))
        return rails(sc, t + ms / 1000, "INFO", f"Completed 200 OK in {ms}ms (Views: {ms // 2}.1ms | "
                                                f"ActiveRecord: {ms // 5}.4ms | Allocations: {sc.rng.randint(20000, 90000)})", rid)

    def bundle_err(t):
        rid = sc.uuid()
        path = sc.rng.choice(["/products/mystery-tech-bundle-2026", "/checkout/summary", "/cart"])
        sc.log(g, pick(t), t, rails(sc, t, "INFO", f"Started GET \"{path}\" for {sc.ip('172.16')} at "
                                                   f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000", rid))
        return rails(sc, t + 0.04, "FATAL", "NoMethodError (undefined method `cents' for nil):\n  \n"
                     "app/models/bundle_price.rb:27:in `component_total'\napp/models/bundle_price.rb:12:in `block in "
                     "amount'\napp/models/bundle_price.rb:11:in `sum'\napp/views/products/_price.html.erb:4", rid)

    sc.emit(g, pick, lambda t: 3.0, ok)
    sc.emit(g, pick, lambda t: 3.0 * live(t), bundle_err)
    sc.emit(g, pick, lambda t: 0.9, lambda t: rails(
        sc, t, "FATAL", sc.rng.choice(["ActionController::RoutingError (No route matches [GET] \"/wp-login.php\"):",
                                       "ActiveRecord::RecordNotFound (Couldn't find Product with 'slug'="
                                       f"\"bf-2025-{sc.rng.randint(100, 999)}\"):"]), sc.uuid()))
    ag = "/ecs/admin-console"
    a0, a1 = f"admin/web/{sc.hexid(32)}", f"admin/web/{sc.hexid(32)}"
    sc.emit(ag, lambda t: a0 if t < -2290 else a1, lambda t: 0.4, lambda t: rails(
        sc, t, "INFO", f"Completed 200 OK in {sc.rng.randint(30, 300)}ms (Views: 20.1ms | ActiveRecord: 8.2ms)", sc.uuid()))
    sc.log(ag, a1, drop - 25, rails(sc, drop - 25, "INFO", "Product#publish id=88412 sku=MYST-TECH-26 by "
                                                            "merch.lead@ (scheduled launch)", sc.uuid()))

    sc.change(-20100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/rails-shop", "buildkite-deploy")
    sc.change(-2330, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "admin-console:301",
              "buildkite-deploy")
    sc.change(-2300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/admin-console",
              "buildkite-deploy")
    sc.alarm("sf-west-web-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "storefront 5xx")
    sc.alarm("shop-pg-west-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "shop-pg-west"}, "Average",
             300, 2, 75, "GreaterThanThreshold")
    sc.expect_rc("sf-west-web-5xx", "application_error", ["web/rails-shop", "rails-shop"],
                 [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": lbd}])
    sc.meta = dict(
        front="front (ALB); origin = ECS service",
        decoys="admin-console deploy 1.5 min before onset (and its CPU blip); +40 % launch traffic; chronic "
               "RoutingError/RecordNotFound FATAL lines; rails-shop's own deploy 5.5 h earlier",
        services="ALB, ECS (Ruby on Rails logs), RDS",
        story="At -37 min merchandising publishes the scheduled 'mystery tech bundle' (logged by "
              "admin-console as a scheduled launch). Every request that prices that bundle (its "
              "product page, carts and checkout summaries holding it) dies with `NoMethodError "
              "(undefined method `cents' for nil)` in BundlePrice#component_total, and sf-west-web "
              "target 5XX goes from ~0 to ~50 a minute. rails-shop was last deployed 5.5 hours ago; the "
              "admin-console deploy a minute and a half before onset only blips its own CPU; the "
              "database, CPU and memory are unremarkable; the RoutingError and RecordNotFound FATAL "
              "lines have run at the same rate all afternoon.",
        judgement="The trigger is catalogue data published through the admin UI, not a deployment or a "
                  "configuration change in CloudTrail; with no resource or dependency fault, the table "
                  "gives application_error in the service that throws.")
    return sc


BUILDERS = [build_11, build_12]
