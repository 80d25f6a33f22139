"""13: order-accepted Lambda (Node) calling courier assignment (Go on ECS); 14: merchant hub (Rails on EC2)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import logfmt_writer, rails

from .kit import (GRID, H90, USE, LambdaLogs, alb, alb_id, describe, ec2, ecs, expect, ints, jline, lambda_fn,
                  lambda_logs, ramp, rush, stream, task_ids)

logfmt = logfmt_writer("ts")


def build_13() -> H90:
    sc = H90(13, "order-accepted-assign", "order-accepted Lambda errors alarm at 7 pm Eastern; accepted orders "
             "wait without a courier.", USE, 9013, "2026-03-24T23:05:00")
    rng = sc.rng
    fn, cluster, svc = "order-accepted", "dispatch", "assign-engine"
    deploy = -2600
    starts, stops = [-2540, -2480, -2420], [-2500, -2440, -2380]

    def new_share(t):
        return sum(1 for s in starts if t >= s) / 3.0 if t < stops[-1] else 1.0

    def err_p(t):
        return 0.003 + 0.42 * new_share(t)

    v = lambda_fn(sc, fn, "nodejs20.x", 512, 15, lambda t: 130 * rush(t), err_p, lambda t: 140 + 20 * rush(t))
    lambda_fn(sc, "courier-payout", "python3.12", 1024, 300, lambda t: 1.0, lambda t: 0.0, lambda t: 38000.0)
    ecs(sc, cluster, svc, lambda t: 26 + 24 * rush(t) + 15 * ramp(t, -2560, -2380) * (1 - ramp(t, -2300, -2100)),
        lambda t: 41 + 3 * ramp(t, -2540, -2380), lambda t: 3 + sum(1 for a, b in zip(starts, stops) if a <= t < b),
        launch_type="FARGATE", task_cpu=1024, task_memory=2048, image_tag="2.31.0", runtime="Go 1.22")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 15, mem_used=(104, 7))
    url = "http://assign-engine.dispatch.internal:8080/v1/assign"

    def body(ll, t, rid, is_err, cold):
        oid, rest = f"ord_{sc.hexid(10)}", f"r_{rng.randint(10000, 60000)}"
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"order {oid} accepted by {rest}; requesting courier assignment"))]
        if rng.random() < 0.07:
            lines.append((0.004, ll.fmt(t + 0.004, rid, "WARN", f"retrying push to restaurant tablet {rest} (attempt 2)")))
        if is_err:
            err = {"errorType": "Error", "errorMessage": "socket hang up", "code": "ECONNRESET",
                   "stack": ["Error: socket hang up", "    at connResetException (node:internal/errors:787:14)",
                             "    at Socket.socketOnEnd (node:_http_client:519:23)",
                             "    at Socket.emit (node:events:531:35)"]}
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", f"assignment request failed POST {url}: socket hang up")))
            lines.append((0.051, f"{sc.iso(t + 0.051)}\t{rid}\tERROR\tInvoke Error \t{jline(err)}"))
            return {"lines": lines, "dur": rng.gauss(60, 10)}
        lines.append((0.12, ll.fmt(t + 0.12, rid, "INFO", f"order {oid} assigned courier c_{sc.hexid(8)}")))
        return {"lines": lines, "dur": rng.gauss(140, 25)}

    lambda_logs(sc, ll, v, body, sample=0.08)
    old_ids, new_ids = task_ids(sc, 3), task_ids(sc, 3)
    grp = f"/ecs/{svc}"
    for i in range(3):
        for tk, b, d, ver in ((old_ids[i], -10 ** 9, stops[i], "2.30.4"), (new_ids[i], starts[i], 0, "2.31.0")):
            name = f"assign/assign-engine/{tk}"
            if b > -10 ** 8:
                sc.log(grp, name, b + 3, logfmt(sc, b + 3, "info", "starting assign-engine", version=ver,
                                                commit="9f3e1ab", go="go1.22.5", listen=":8080"))

            def line(t, v_=ver):
                if rng.random() < 0.08:
                    return logfmt(sc, t, "warn", "courier heartbeat stale, excluding", courier=f"c_{sc.hexid(8)}",
                                  age=f"{rng.randint(91, 400)}s")
                if v_ == "2.31.0" and rng.random() < 0.45:
                    d_ = sc.at(t)
                    port = rng.randint(30000, 60000)
                    return (f"{d_.strftime('%Y/%m/%d %H:%M:%S')} http: panic serving 10.2.{rng.randint(10, 40)}."
                            f"{rng.randint(2, 250)}:{port}: runtime error: index out of range [0] with length 0\n"
                            f"goroutine {rng.randint(10000, 99999)} [running]:\nnet/http.(*conn).serve.func1()\n"
                            "\t/usr/local/go/src/net/http/server.go:1903 +0xbe\npanic({0x9a4f20?, 0xc0001b6000?})\n"
                            "\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                            "github.com/platewise/assign-engine/internal/score.pickBest(...)\n"
                            "\t/src/internal/score/rank.go:88\n"
                            "github.com/platewise/assign-engine/internal/api.(*Server).assign(0xc000124000, ...)\n"
                            "\t/src/internal/api/assign.go:57 +0x3c5")
                return logfmt(sc, t, "info", "assignment made", order=f"ord_{sc.hexid(10)}",
                              courier=f"c_{sc.hexid(8)}", candidates=rng.randint(1, 9),
                              score=round(rng.uniform(0.4, 0.97), 2), latency_ms=rng.randint(6, 40))
            stream(sc, grp, name, lambda t, b_=b, d_=d: 3.0 * rush(t) if b_ <= t < d_ else 0, line,
                   start=max(-10800, b // 60 * 60))
            if d < 0:
                sc.log(grp, name, d - 1, logfmt(sc, d - 1, "info", "shutting down", signal="SIGTERM", drained="true"))
    ev = f"/aws/ecs/events/{cluster}"
    for a, b, n, o in zip(starts, stops, new_ids, old_ids):
        sc.log(ev, "service-events", a - 5, f"(service {svc}) has started 1 tasks: (task {n}).")
        sc.log(ev, "service-events", b + 8, f"(service {svc}) has stopped 1 running tasks: (task {o}).")
    sc.log(ev, "service-events", stops[-1] + 70, f"(service {svc}) deployment ecs-svc/{rng.randint(10 ** 18, 10 ** 19)} completed.")
    sc.log(ev, "service-events", stops[-1] + 75, f"(service {svc}) has reached a steady state.")
    sc.change(-18000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-orders")
    sc.change(deploy - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", svc, "gha-deploy-dispatch")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "gha-deploy-dispatch")
    sc.change(-2565, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "courier-payout", "AWSReservedSSO_FinanceEng_0b7d44/ana.r")
    sc.alarm("order-accepted-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "order-accepted failures")
    expect(sc, "order-accepted-errors", "bad_deployment", [f"{cluster}/{svc}", svc],
           [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="front (calling Lambda → ECS service)",
             decoys="courier-payout configuration update between the deploy and the first failure; order-accepted's "
                    "own deploy 5 h earlier; steady tablet-push retries and 'heartbeat stale' warnings; the caller's "
                    "errors look like a network failure (socket hang up)",
             services="Lambda (Node.js), ECS Fargate (Go, logfmt + net/http panics)",
             story="order-accepted's Errors alarm fires; its failures are `socket hang up` (ECONNRESET) calling "
                   "assign-engine, which looks like a dependency failure. assign-engine got a new task definition "
                   "(RegisterTaskDefinition + UpdateService by gha-deploy-dispatch) 43 minutes ago; the ECS events "
                   "show a rolling replacement and the new tasks log `starting assign-engine version=2.31.0`. Only "
                   "those tasks print `http: panic serving ...: runtime error: index out of range [0] with length 0` "
                   "from score.pickBest — Go's server closes the connection on a panic, which is the caller's hang-up. "
                   "The caller's error share rises in three steps as each new task takes traffic. courier-payout's "
                   "configuration change is a nightly finance batch; order-accepted's own deploy was five hours earlier.",
             judgement="From the alarmed Lambda's side this is a failing dependency, but the dependency's own fault is "
                       "a new code version with a new panic signature, so the more specific bad_deployment wins and the "
                       "origin is the ECS service.")
    return sc


def build_14() -> H90:
    sc = H90(14, "merchant-hub-bulk", "Merchant hub ALB 5XX alarm at 7:50 pm Eastern; restaurant managers report "
             "'504 Gateway Time-out' when saving menu availability.", USE, 9014, "2026-03-25T23:50:00")
    rng = sc.rng
    lb = alb_id(sc, "merchant-hub")
    cut = -1800
    ids = ["i-0" + sc.hexid(16), "i-0" + sc.hexid(16)]
    long_p = 0.04
    req = ints(sc, lambda t: 320 * rush(t))
    e5 = [float(round(r * long_p * rng.uniform(0.85, 1.15)) if t >= cut else (rng.random() < 0.04))
          for t, r in zip(GRID, req)]
    alb(sc, lb, req, [float(rng.random() < 0.08) for _ in GRID], [float(round(r * 0.02)) for r in req], e5,
        lambda t: (0.42 if t < cut else 0.16) + 0.05 * rush(t), lambda t: 2, scheme="internet-facing",
        idle_timeout_seconds=5)
    for i, iid in enumerate(ids):
        ec2(sc, iid, f"merchant-hub-{i + 1}", "m7i.large", lambda t: 18 + 22 * rush(t), lambda t: 5.5e6 * rush(t),
            mem=lambda t: 58.0, log_groups=["/merchant-hub/rails"], app="Rails 7.1 / puma 6")
    lambda_fn(sc, "tablet-sync", "ruby3.3", 256, 30, lambda t: 40 * rush(t), lambda t: 0.0, lambda t: 210.0)
    fast = [("GET", "/dashboard", "DashboardController#show", "HTML"),
            ("GET", "/orders/live", "Orders::LiveController#index", "JSON"),
            ("PATCH", "/menu/items/{id}", "Menu::ItemsController#update", "JSON"),
            ("GET", "/payouts", "PayoutsController#index", "HTML")]
    slow = [("POST", "/menu/bulk_availability", "Menu::BulkAvailabilityController#create", "JSON"),
            ("GET", "/reports/daily_sales.csv", "Reports::DailySalesController#show", "CSV")]
    for iid in ids:
        def line(t):
            reqid = sc.uuid()
            ip = f"10.50.{rng.randint(1, 4)}.{rng.randint(2, 250)}"
            if rng.random() < 0.05:
                return rails(sc, t, "FATAL", 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):',
                             reqid)
            is_slow = rng.random() < long_p * 3
            m, p, ctl, fmt = rng.choice(slow if is_slow else fast)
            p = p.replace("{id}", str(rng.randint(10000, 99999)))
            ms = rng.uniform(6000, 21000) if is_slow else rng.uniform(15, 220)
            out = [(0, rails(sc, t, "INFO", f'Started {m} "{p}" for {ip} at {sc.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000',
                             reqid)),
                   (0.002, rails(sc, t + 0.002, "INFO", f"Processing by {ctl} as {fmt}", reqid)),
                   (ms / 1000, rails(sc, t + ms / 1000, "INFO", f"Completed 200 OK in {ms:.0f}ms (Views: "
                                     f"{ms * 0.02:.1f}ms | ActiveRecord: {ms * 0.9:.1f}ms | Allocations: "
                                     f"{int(ms * 80)})", reqid))]
            if is_slow and t >= cut:
                out.append((ms / 1000 + 0.003, rails(sc, t + ms / 1000 + 0.003, "WARN",
                                                     "Puma caught this error: Broken pipe (Errno::EPIPE)")))
            return out
        stream(sc, "/merchant-hub/rails", iid, lambda t: 2.5 * rush(t), line)
    sc.change(-9000, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "merchant-hub-prod", "gha-deploy-merchant")
    sc.change(cut, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", lb, "AWSReservedSSO_PlatformOps_3e9a71/m.hernandez")
    sc.change(cut + 22, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "tablet-sync",
              "gha-deploy-merchant")
    sc.alarm("merchant-hub-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             5, "GreaterThanThreshold", "Merchant hub load balancer errors")
    sc.alarm("tablet-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "tablet-sync"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    expect(sc, "merchant-hub-elb-5xx", "config_change", [lb, "merchant-hub"],
           [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    describe(sc, front="origin (ALB)",
             decoys="tablet-sync code deploy 22 s after the change; merchant-hub CodeDeploy 2.5 h earlier; FATAL "
                    "RoutingError scanner noise at a steady rate; Puma EPIPE warnings that look like an app fault",
             services="ALB, EC2 (Ruby on Rails / puma), Lambda (Ruby)",
             story="The merchant hub ALB's ELB 5XX alarm fires. At -30 min an SSO user ran "
                   "ModifyLoadBalancerAttributes on the load balancer (its properties now show an idle timeout of 5 s); "
                   "from that minute the ALB returns 504s for ~4 % of requests while the targets' own 5XX count stays "
                   "near zero. The Rails logs show why: the bulk-availability and daily-sales requests still complete "
                   "with `Completed 200 OK in 6000-21000ms`, but the load balancer has already given up, and puma now "
                   "logs `Broken pipe` when it writes those responses. TargetResponseTime even falls because the long "
                   "requests no longer count. CPU and memory on both hosts are unchanged; the tablet-sync deploy 22 s "
                   "later is a different resource; the wp-login FATALs are scanner noise all evening.",
             judgement="Only a load-balancer attribute changed; the fault is a setting, not code or capacity, so "
                       "config_change with the ALB as origin.")
    return sc


BUILDERS = [build_13, build_14]
