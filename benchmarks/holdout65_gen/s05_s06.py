"""h65-05 (Rails on one EC2 instance, CPU pinned) and h65-06 (.NET on ECS, heap at the limit)."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import EC2_GRID, alb, alb_id, binom, counts, ec2, ecs, instance_id, request_times, smooth, tg_id
from .runtimes import nginx, rails, serilog


# --------------------------------------------------------------------------- 05
def s05() -> Scenario:
    sc = Scenario(5, "portal-single-box", "Slow pages on the customer portal; the target response time "
                  "alarm fired.", "sa-east-1", seed=6505, now_iso="2026-09-09T15:50:00")
    app, jump, lbname = instance_id(sc), instance_id(sc), "frontdoor"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "frontdoor-app")
    onset, decoy = -2700, -2640
    sc.resource("ec2", app, name="app-1", instance_type="m6i.large",
                log_groups=["/frontdoor/nginx/access", "/frontdoor/rails/production", "/frontdoor/sidekiq"])
    sc.resource("ec2", jump, name="ops-jump", instance_type="t3.micro")
    sc.resource("alb", lb, name=lbname)
    rng = sc.rng
    cpu = smooth(sc, lambda t: 16 * diurnal(sc, t, 16, 0.3) + 83 * ramp(t, onset - 120, onset + 240)
                 + bump(t, -14100, -13500, 9), noise=0.06, cap=99.9, times=EC2_GRID)
    net = smooth(sc, lambda t: 4.1e6 + bump(t, -14100, -13500, 2.9e8, 120), noise=0.08, digits=0, times=EC2_GRID)
    ec2(sc, app, cpu, net_in=net)
    ec2(sc, jump, smooth(sc, lambda t: 0.8 + bump(t, -2460, -1920, 61, 60), noise=0.1, times=EC2_GRID))
    req = counts(sc, lambda t: 3.2 * diurnal(sc, t, 16, 0.3))
    slow = lambda t: 1.0 + 11.0 * ramp(t, onset - 60, onset + 300)
    rt = smooth(sc, lambda t: 0.21 * slow(t), noise=0.18)
    t5 = {m: (1 if rng.random() < (0.004 if m < onset else 0.05) else 0) for m in GRID}
    alb(sc, lb, tg, req, t5, rt, healthy={m: 1.0 for m in GRID}, unhealthy={m: 0.0 for m in GRID})
    acc, rl, sk = "/frontdoor/nginx/access", "/frontdoor/rails/production", "/frontdoor/sidekiq"
    routes = [("GET", "/invoices", "InvoicesController#index"), ("GET", "/invoices/%d", "InvoicesController#show"),
              ("GET", "/dashboard", "DashboardController#show"), ("POST", "/payments", "PaymentsController#create"),
              ("GET", "/account/settings", "AccountsController#edit")]
    for t in request_times(sc, req, start=-14400):
        meth, path, action = rng.choice(routes)
        path = path % rng.randint(10000, 99999) if "%d" in path else path
        f = slow(t)
        ar = max(1.0, rng.gauss(22, 6))
        views = max(5.0, rng.gauss(140, 40)) * f
        total = ar + views + rng.uniform(5, 20) * f
        rid = sc.uuid()
        st = 200 if meth == "GET" else 302
        sc.log(rl, app, t, rails(sc, t, "INFO", f'Started {meth} "{path}" for {sc.ip()} at '
                                 f'{sc.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000', rid))
        sc.log(rl, app, t + 0.001, rails(sc, t, "INFO", f"Processing by {action} as HTML", rid))
        code = "OK" if st == 200 else "Found"
        sc.log(rl, app, t + total / 1000, rails(sc, t + total / 1000, "INFO",
               f"Completed {st} {code} in {total:.0f}ms (Views: {views:.1f}ms | ActiveRecord: {ar:.1f}ms | "
               f"Allocations: {rng.randint(9000, 60000)})", rid))
        sc.log(acc, app, t + total / 1000, nginx(sc, t, sc.ip(), meth, path, st, rng.randint(3000, 41000),
                                                 total / 1000, ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))
    for t in range(-14400, 0, 420):  # a deprecation warning that has always been there
        tt = t + rng.uniform(0, 400)
        sc.log(rl, app, tt, rails(sc, tt, "WARN", "DEPRECATION WARNING: `to_time` will always preserve the "
                                  "receiver timezone rather than system local time in Rails 8.1"))
    for t in range(-14400, 0, 300):
        tt = t + rng.uniform(0, 30)
        jid = sc.hexid(24)
        sc.log(sk, app, tt, f"{sc.iso(tt)} pid=7 tid={sc.hexid(4)} class=InvoiceReminderJob jid={jid} INFO: start")
        sc.log(sk, app, tt + 0.9 * slow(tt), f"{sc.iso(tt + 0.9)} pid=7 tid={sc.hexid(4)} class=InvoiceReminderJob "
               f"jid={jid} elapsed={0.9 * slow(tt):.3f} INFO: done")
    sc.log(sk, app, -14080, f"{sc.iso(-14080)} pid=7 tid=1xqk INFO: AssetSync pulled s3://fd-assets/catalog-2026-09-09.tar "
           f"bytes=612003315 elapsed=571.2")
    sc.change(-19000, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", jump, "lucas.m")
    sc.change(decoy, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0" + sc.hexid(16), "lucas.m")
    sc.alarm("frontdoor-slow", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             300, 2, 1.5, "GreaterThanThreshold", "Portal average response time above 1.5 s")
    sc.alarm("app-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": app}, "Average", 300, 3, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "frontdoor-slow",
                 "root_cause": {"category": "cpu_saturation", "resource": [app, "app-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": app}}]}
    sc.meta = dict(
        where="front (ALB) → origin EC2 instance", services="ALB, EC2",
        runtime="Ruby on Rails + Sidekiq logs, nginx access log",
        decoys="security-group ingress change 1 min after onset; a 60 % CPU spike on the jump host "
               "just before the alarm; a 600 MB NetworkIn burst on app-1 from an asset sync 3.9 h earlier; old Rails "
               "deprecation warnings",
        story="A Rails portal runs on a single m6i.large behind an ALB, with basic monitoring, so CPU arrives as "
              "one point every five minutes. At -45 min CPU goes from about 17 % to 99 % and stays there. "
              "Requests hold at about three a minute. Rails `Completed` lines show ActiveRecord time unchanged "
              "(about 20 ms) while view and total time grow roughly tenfold, and even the tiny Sidekiq job slows "
              "down, which points to a CPU-starved host rather than a slow database. The SG ingress change by an "
              "operator, the jump host's brief 60 % spike and the asset sync's NetworkIn burst are all unrelated. "
              "The answer is `cpu_saturation` on app-1, with the alarm on the ALB.")
    return sc


# --------------------------------------------------------------------------- 06
def s06() -> Scenario:
    sc = Scenario(6, "quotes-heap-limit", "Intermittent 500s from the quoting API; the target 5XX alarm "
                  "is firing.", "ca-central-1", seed=6506, now_iso="2026-10-27T17:30:00")
    cluster, svc, other, lbname = "platform", "quotes", "notifier", "quotes-alb"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "quotes")
    onset, decoy = -2550, -2700
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=1, cpu=512, memory=1024,
                runtime="dotnet8 (ASP.NET Core)", log_groups=[f"/ecs/{svc}"])
    sc.resource("ecs", f"{cluster}/{other}", launch_type="FARGATE", desired_count=1, cpu=256, memory=512)
    sc.resource("alb", lb, name=lbname)
    rng = sc.rng
    mem_fn = lambda t: min(98.6, 54 + 44 * (t + 21600) / (21600 + onset))
    mem = smooth(sc, lambda t: mem_fn(t) - (3 if t < onset else 0) * rng.random(), noise=0.006, cap=99.4)
    gc = lambda t: ramp(t, onset - 600, onset)
    cpu = smooth(sc, lambda t: 14 * diurnal(sc, t, 18, 0.3) + 44 * gc(t) + bump(t, -9300, -8700, 66, 60),
                 noise=0.1, cap=100)
    ecs(sc, cluster, svc, cpu, mem)
    ecs(sc, cluster, other, smooth(sc, lambda t: 3 + bump(t, decoy, decoy + 240, 25, 30), noise=0.2),
        smooth(sc, lambda t: 27, noise=0.02))
    req = counts(sc, lambda t: 2.6 * diurnal(sc, t, 18, 0.3))
    fails = binom(sc, req, lambda t: 0.45 * gc(t))
    rt = smooth(sc, lambda t: 0.09 + 1.4 * gc(t), noise=0.2)
    alb(sc, lb, tg, req, fails, rt, healthy={m: 1.0 for m in GRID}, unhealthy={m: 0.0 for m in GRID})
    g, task = f"/ecs/{svc}", sc.hexid(32)
    stream = f"ecs/quotes/{task}"
    left = dict(fails)
    paths = ["/v2/quotes", "/v2/quotes/%s", "/v2/quotes/%s/pdf", "/v2/products"]
    for t in request_times(sc, req):
        m = int(t // 60 * 60)
        p = rng.choice(paths)
        p = p % sc.hexid(10) if "%s" in p else p
        meth = "POST" if p == "/v2/quotes" else "GET"
        if left.get(m, 0) > 0:
            left[m] -= 1
            sc.log(g, stream, t + rng.uniform(0.3, 2.5), serilog(sc, t, "ERR", "Microsoft.AspNetCore.Server.Kestrel",
                   f'Connection id "0HN{sc.hexid(9).upper()}", Request id "0HN{sc.hexid(9).upper()}:00000001": An unhandled '
                   f'exception was thrown by the application. System.OutOfMemoryException: Exception of type '
                   f"'System.OutOfMemoryException' was thrown.\n   at System.GC.AllocateNewArray(IntPtr typeHandle, "
                   f"Int32 length, GC_ALLOC_FLAGS flags)\n   at Quotes.Api.Pdf.QuoteRenderer.RenderAsync(Quote q) in "
                   f"/src/Quotes.Api/Pdf/QuoteRenderer.cs:line 64"))
            continue
        dur = max(8, rng.gauss(85, 25)) * (1 + 14 * gc(t))
        sc.log(g, stream, t + dur / 1000, serilog(sc, t + dur / 1000, "INF", "Serilog.AspNetCore.RequestLoggingMiddleware",
               f"HTTP {meth} {p} responded 200 in {dur:.4f} ms"))
    for t in range(-21600, 0, 900):
        tt = t + rng.uniform(0, 880)
        sc.log(g, stream, tt, serilog(sc, tt, "WRN", "Quotes.Api.Fx.RateClient",
               "FX provider returned 429 TooManyRequests; serving cached rates (age 14m)"))
    for t in range(-21600, 0, 600):
        used = mem_fn(t) / 100 * 1024
        sc.log(g, stream, t + 1.5, serilog(sc, t + 1.5, "INF", "Quotes.Api.Health.RuntimeStats",
               f"gc heap={used * 0.86:.0f}MB working_set={used:.0f}MB gen2_collections={int(40 + (t + 21600) / 300)} "
               f"quote_cache_entries={int(9100 + (t + 21600) * 1.9)}"))
    for t in range(onset, 0, 240):
        sc.log(g, stream, t + 3.1, serilog(sc, t + 3.1, "WRN", "Quotes.Api.Health.RuntimeStats",
               f"GC pause {rng.randint(700, 1900)} ms; heap within {rng.randint(9, 22)} MB of GCHeapHardLimit"))
    og, nt = f"/ecs/{other}", (sc.hexid(32), sc.hexid(32))
    for t in range(-21600, 0, 120):
        sc.log(og, f"ecs/notifier/{nt[0] if t < decoy + 60 else nt[1]}",
               t + rng.uniform(0, 100), f'{{"ts":"{sc.iso(t)}","level":"info","msg":"poll","pending":{rng.randint(0, 3)}}}')
    sc.change(-21000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}", "ravi.n")
    sc.change(decoy - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notifier:23", "ravi.n")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}", "ravi.n")
    sc.alarm("quotes-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             600, 1, 3, "GreaterThanThreshold", "Quotes API 5xx per 10 minutes")
    sc.alarm("quotes-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             600, 1, 1.0, "GreaterThanThreshold")
    sc.expect = {"alarm": "quotes-target-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cluster, "ServiceName": svc}}]}
    sc.meta = dict(
        where="front (ALB) → origin ECS service", services="ALB, ECS Fargate", runtime=".NET 8, Serilog plain text",
        decoys="deploy of the notifier service 2.5 min before onset; a 66 % CPU spike on the quotes task 2.5 h "
               "earlier; FX-provider 429 warnings every 15 min for six hours; a latency alarm",
        story="A single .NET 8 task serves about three quote requests a minute. Its MemoryUtilization climbs in a "
              "straight line all six hours, from 54 % to 98 %, and the app's own runtime stats show the quote "
              "cache growing steadily. From -42 min the heap is within a few MB of `GCHeapHardLimit`: GC "
              "pauses of one to two seconds show up, and about half the requests fail with "
              "`System.OutOfMemoryException` in `QuoteRenderer`. CPU rises because of GC but stays around 60 %. The notifier "
              "deploy just before onset is on another service that the API does not call. The FX 429 warnings "
              "and the earlier CPU spike were already there before. The answer is `memory_exhaustion` on "
              "`platform/quotes`.")
    return sc
