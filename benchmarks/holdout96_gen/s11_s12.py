"""h96-11 online check-in web on ECS (.NET) behind an ALB and h96-12 codeshare SSIM schedule import
(Go Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import HISTORY, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, zap

from .kit import (Scenario, alb_metrics, clef, ecs_metrics, every, flight, lambda_metrics, pick, pnr,
                  sampled, scatter, task_id)


# =========================================================================== h96-11
def build_11() -> Scenario:
    sc = Scenario(11, "checkin-public", "Online check-in very slow this evening; checkin-public "
                  "latency alarm.", "us-east-1", 9611, "2026-04-05T22:50:00")
    cl, svc, other = "web-dmz", "checkin-web", "seatmap-web"
    lb = "app/checkin-public/8a1f3c6e0b9d2754"
    sc.resource("alb", lb, name="checkin-public", scheme="internet-facing", target_groups=["checkin-web-tg"])
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=6,
                autoscaling="target tracking CPU 60 %, max 24")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3)
    onset = -1800
    surge = lambda t: 1 + 3.4 * ramp(t, onset, onset + 300) - 0.8 * ramp(t, onset + 600, 0)  # noqa: E731
    req = lambda t: 1750 * diurnal(sc, t, 20.0, 0.15) * surge(t)  # noqa: E731
    scale = [(-1500, 9), (-900, 11)]
    tasks = lambda t: max([6] + [n for s, n in scale if t >= s + 90])  # noqa: E731
    load = lambda t: req(t) / (tasks(t) * 1750 / 6 * 1.0)  # noqa: E731 - per-task load vs the usual
    cpu = lambda t: min(79.0, 26 * load(t))  # noqa: E731
    rt = lambda t: min(5.5, 0.16 + 1.6 * max(0.0, load(t) - 1.3) ** 1.5)  # noqa: E731
    alb_metrics(sc, lb, req, rt, t5=lambda t: 0.4 + 0.004 * req(t) * (load(t) > 2.3), e5=lambda t: 0.2 + 0.0025 * req(t) * (load(t) > 2.3),
                healthy=lambda t: float(tasks(t)), t4=lambda t: 0.035 * req(t))
    ecs_metrics(sc, cl, svc, cpu, lambda t: 46 + 3 * min(load(t), 3), running=lambda t: float(tasks(t)))
    ecs_metrics(sc, cl, other, lambda t: 24 * diurnal(sc, t, 20.0, 0.15), lambda t: 39 - 4 * ramp(t, -1950, -1880))

    sc.change(-1955, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", other, "github-actions-web")
    sc.change(-1950, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "github-actions-web")
    for s, _n in scale:
        sc.change(s, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")

    grp = f"/ecs/{svc}"
    streams = [(-HISTORY, f"ecs/{svc}/{task_id(sc)}") for _ in range(6)]
    prev = 6
    for s, n in scale:
        streams += [(s + 60, f"ecs/{svc}/{task_id(sc)}") for _ in range(n - prev)]
        prev = n
    for born, st in streams:
        if born > -HISTORY:
            sc.log(grp, st, born, clef(sc, born, "Information", "Now listening on: {Address}", Address="http://[::]:8080"))
            sc.log(grp, st, born + 0.3, clef(sc, born + 0.3, "Information", "Application started. Hosting environment: {EnvName}",
                                             EnvName="Production"))
        share = lambda t: req(t) / tasks(t) / 1750 * 6  # noqa: E731 - per-task request share vs usual

        def reqline(t):
            sms = t >= onset and sc.rng.random() < 0.72 * ramp(t, onset, onset + 300)
            path = (f"/checkin/start?pnr={pnr(sc)}&utm_source=irops_sms&utm_campaign=wx-rebook-0405" if sms else
                    pick(sc, [f"/checkin/start?pnr={pnr(sc)}", "/checkin/passengers", "/checkin/seats", "/checkin/boardingpass"]))
            el = rt(t) * 1000 * sc.rng.uniform(0.5, 1.6)
            return clef(sc, t, "Information", "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms",
                        RequestMethod=pick(sc, ["GET", "GET", "POST"]), RequestPath=path, StatusCode=200, Elapsed=round(el, 4),
                        SourceContext="Serilog.AspNetCore.RequestLoggingMiddleware")
        scatter(sc, grp, st, lambda t: 0.8 * share(t), reqline, born + 5, 0)
        scatter(sc, grp, st, lambda t: 0.35, lambda t: clef(
            sc, t, "Warning", "The antiforgery token could not be decrypted.",
            SourceContext="Microsoft.AspNetCore.Antiforgery.DefaultAntiforgery"), born + 5, 0)
        scatter(sc, grp, st, lambda t: 0.6 * ramp(t, onset, onset + 300), lambda t: clef(
            sc, t, "Information", "Rebooking offer {Offer} accepted for {Pnr}; seat re-check started",
            Offer=f"RB-{sc.rng.randint(10000, 99999)}", Pnr=pnr(sc), SourceContext="Checkin.Web.Rebooking.OfferController"),
            max(born + 5, onset), 0)
        every(sc, grp, st, 60, lambda t: clef(
            sc, t, "Information", "ThreadPool: {Busy} busy worker threads, {Queued} queued work items",
            Busy=int(4 + 8 * min(share(t), 5)), Queued=int(max(0.0, share(t) - 1.6) * 140),
            SourceContext="Checkin.Web.Diagnostics.PoolReporter"), born + 10, 0)
    g2 = f"/ecs/{other}"
    s2 = f"ecs/{other}/{task_id(sc)}"
    sc.log(g2, s2, -1900, clef(sc, -1900, "Information", "Application started. Hosting environment: {EnvName}", EnvName="Production"))
    every(sc, g2, s2, 40, lambda t: clef(sc, t, "Information", "Seat map cache refreshed for {Count} flights",
                                         Count=sc.rng.randint(300, 420)), -1890, 0)

    sc.alarm("checkin-public-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
             1.0, "GreaterThanThreshold", "Online check-in slow")
    sc.alarm("checkin-web-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average", 60, 3,
             70, "GreaterThanThreshold")
    sc.expect = {"alarm": "checkin-public-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "checkin-public", f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.note(alarm_on="origin (the ALB taking the surge; the ECS service behind it is equally accepted)",
            decoys="seatmap-web deploy 150 s before onset; autoscaling UpdateService events on checkin-web after onset; "
                   "a CPU alarm (70 %) that fired and cleared as tasks were added; steady antiforgery WARNs and 4XX",
            story="At -1800 s the airline's IROPS SMS for the evening storm cancellations goes out; within five minutes "
                  "check-in RequestCount is about 4.4x its usual level and 70 % of requests carry "
                  "`utm_source=irops_sms`. Per-task load, CPU (in the low 80s at worst, never pinned) and thread-pool queues rise and "
                  "TargetResponseTime goes past 1 s; autoscaling adds tasks in two steps and CPU falls back to "
                  "~55 % but latency stays above 1 s because the volume is still about 3.5x. No change touches checkin-web "
                  "before the surge; the seatmap-web deploy is a different service with clean logs.",
            judgement="CPU peaks in the low 80s and only as a consequence of the volume; the request "
                      "volume is the trigger, so traffic_surge rather than cpu_saturation.")
    return sc


# =========================================================================== h96-12
def build_12() -> Scenario:
    sc = Scenario(12, "ssim-import", "Partner schedule import failing; codeshare-ssim-import "
                  "errors alarm.", "ap-northeast-2", 9612, "2026-04-08T03:10:00")
    fn, other = "codeshare-ssim-import", "codeshare-fare-sync"
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=120, memory_size=1024, trigger="s3:partner-ssim-inbound")
    sc.resource("lambda", other, runtime="provided.al2023", timeout=300, memory_size=512)
    onset = -1560
    partners = ["DL", "AF", "KL", "VN", "GA", "MU", "AM"]
    bad = lambda t: 0.0 if t < onset else 0.3  # noqa: E731 - GA files, now in the new revision, plus retries
    inv = lambda t: 3.2 * (1 + 0.55 * bad(t))  # noqa: E731
    m = lambda_metrics(sc, fn, inv, lambda t: inv(t) * bad(t) * 1.4, lambda t: 2600 - 900 * bad(t) * 2)
    lambda_metrics(sc, other, lambda t: 1.0, lambda t: 0.0, lambda t: 11500.0)

    sc.change(-18900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "github-actions-codeshare")
    sc.change(-18880, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "github-actions-codeshare")
    sc.change(-1620, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", other,
              "AWSReservedSSO_CodeshareDev_3d8b1f0e7c2a9645/jaehyun.lim")

    def body(ll, t, rid, is_err, cold):
        p = "GA" if is_err else pick(sc, partners if t < onset else [x for x in partners if x != "GA"] + ["GA"])
        if not is_err and p == "GA" and t >= onset:
            p = "DL"
        key = f"inbound/{p}/2026-04-08/ssim-{sc.rng.randint(1, 40)}.dat"
        n = sc.rng.randint(180, 900)
        rev = "2026-04" if (p == "GA" and t >= onset) else "2024-10"
        lines = []
        if cold:
            lines.append((0.0005, zap(sc, t, "info", "cold start", "main.go:41", version="v1.14.2", go="go1.22.5")))
        lines.append((0.002, zap(sc, t + 0.002, "info", "processing SSIM file", "ssim/import.go:88", partner=p, key=key,
                                 records=n, header_rev=rev, request_id=rid)))
        if sc.rng.random() < 0.35:
            lines.append((0.04, zap(sc, t + 0.04, "warn", "unknown aircraft type code, mapping to generic", "ssim/equipment.go:57",
                                    partner=p, code=pick(sc, ["7M8", "32Q", "E75", "AT7"]), generic=pick(sc, ["73X", "32X", "E7X"]))))
        if sc.rng.random() < 0.15:
            lines.append((0.06, zap(sc, t + 0.06, "error", "segment rejected: DEI 50 missing", "ssim/segment.go:203",
                                    partner=p, flight=flight(sc, (p,)))))
        if is_err:
            d = sc.rng.uniform(300, 700)
            lines.append((d / 1000, jline({
                "errorMessage": "runtime error: slice bounds out of range [:8] with length 7", "errorType": "boundsError",
                "stackTrace": [{"path": "github.com/skyops/codeshare/ssim/record.go", "line": 142, "label": "parseLegDesignator"},
                               {"path": "github.com/skyops/codeshare/ssim/record.go", "line": 97, "label": "ParseType3"},
                               {"path": "github.com/skyops/codeshare/ssim/import.go", "line": 131, "label": "(*Importer).Import"},
                               {"path": "github.com/skyops/codeshare/cmd/lambda/main.go", "line": 63, "label": "handle"}]})))
            return {"lines": lines, "dur": d}
        d = m["dur"].get(int(t // 60 * 60), 2600) * sc.rng.uniform(0.7, 1.3)
        lines.append((d / 1000, zap(sc, t + d / 1000, "info", "SSIM import complete", "ssim/import.go:176", partner=p,
                                    legs_upserted=int(n * 0.93), legs_deleted=sc.rng.randint(0, 12), duration_ms=int(d))))
        return {"lines": lines, "dur": d}
    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 120, epochs=((-10 ** 9, "$LATEST"),), retire=(-18900,), mem_used=(92, 10))
    inv_l, err_l = sampled(m, -HISTORY, 4)
    ll.run(inv_l, err_l, body)

    def body2(ll2, t, rid, is_err, cold):
        return {"lines": [(0.01, zap(sc, t, "info", "fare sync complete", "fares/sync.go:77", markets=sc.rng.randint(180, 260)))],
                "dur": sc.rng.uniform(9000, 14000)}
    ll2 = LambdaLogs(sc, other, "provided.al2023", 512, 300, retire=(-1620,), mem_used=(70, 6))
    ll2.run({t: 1 for t in range(-HISTORY, 0, 60)}, {}, body2)

    sc.alarm("codeshare-ssim-import-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "SSIM import failures")
    sc.expect = {"alarm": "codeshare-ssim-import-errors",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.note(alarm_on="origin (the Lambda)",
            decoys="configuration update of codeshare-fare-sync 60 s before onset; a code deploy of the importer "
                   "itself 5 h earlier, with hours of clean GA imports after it; steady 'DEI 50 missing' ERRORs "
                   "and aircraft-type WARNs",
            story="From -1560 s the GA partner's SSIM files arrive in a new header revision (2026-04) whose leg "
                  "designators are one character shorter than the parser assumes, and every GA file panics with "
                  "`slice bounds out of range [:8] with length 7` in parseLegDesignator; S3 async retries repeat the "
                  "failure. Files from the other partners keep importing. No change to the importer precedes the onset, "
                  "nothing it depends on is degraded, and the same build imported GA files cleanly for five hours.",
            judgement="The trigger is new input from a partner rather than a change in the account; the failure is "
                      "an unhandled bug in the importer, hence application_error.")
    return sc


BUILDERS = [build_11, build_12]
