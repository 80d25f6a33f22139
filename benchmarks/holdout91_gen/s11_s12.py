"""h91-11 campaign fan-out function (.NET) hitting its 60 s timeout on a huge dynamic segment;
h91-12 OTP verification service (Go on ECS) under a push-notification login surge."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import logfmt_writer

from .base import LOG_FROM, LambdaLogs, S91, diurnal, ecs_stream, task_ids


def build11() -> S91:
    sc = S91(11, "campaign-fanout-errors",
             "campaign-fanout Errors alarm; a tenant's 11:00 IST campaign has not started sending.",
             "ap-south-1", 9111, "2026-03-19T05:58:00+00:00")
    rng = sc.rng
    T_BIG, T_DECOY, TMO = -2280, -2400, 60
    load = lambda t: diurnal(sc, t, 6.0, 0.35)
    big = lambda t: 1.0 if t >= T_BIG else 0.0
    fn = sc.lambda_fn("campaign-fanout", "dotnet8", 1024, TMO, lambda t: 8 * load(t) + 3.5 * big(t),
                      lambda t: 0.03 + 3.4 * big(t), lambda t: 7200 + 23000 * big(t),
                      conc=lambda t: 2 + 4 * big(t))
    sc.lambda_fn("dnd-scrub", "dotnet8", 512, 30, lambda t: 40 * load(t), lambda t: 0.1, lambda t: 320.0)
    db = sc.rds("campaigns-pg", "postgres", "db.r6g.xlarge", 800, 1000,
                lambda t: 21 * load(t) + 11 * big(t) + bump(t, -16200, -15600, 30), lambda t: 58 + 14 * big(t))
    q = sc.sqs("campaign-chunks", lambda t: 4 + 380 * ramp(t, T_BIG, T_BIG + 600),
               lambda t: 3 + 5 * big(t), lambda t: 8 * load(t))

    ll = LambdaLogs(sc, "campaign-fanout", "dotnet8", 1024, TMO, mem_used=(290, 30))
    BIGN = 2104331

    def body(ll, t, reqid, is_err, cold):
        lines = []
        if is_err and t >= T_BIG:
            lines.append((0.01, ll.fmt(t, reqid, "INFO", f"Expanding segment seg_8812 for campaign cmp_2203 "
                                        f"(dynamic, est. {BIGN:,} recipients, tenant t-4410)")))
            done = 0
            for k in range(1, 6):
                done += rng.randint(32000, 38000)
                lines.append((k * 11.0, ll.fmt(t + k * 11.0, reqid, "INFO",
                              f"seg_8812: enqueued {done:,}/{BIGN:,} recipients (db page p50={rng.randint(9, 15)} ms, "
                              f"SendMessageBatch p50={rng.randint(14, 24)} ms, 0 failed)")))
            return {"dur": 0, "status": "timeout", "lines": lines}
        n = rng.randint(2000, 48000)
        d = max(900.0, n / 3.4 + rng.gauss(400, 150))
        seg = f"seg_{rng.randint(1000, 9999)}"
        lines.append((0.01, ll.fmt(t, reqid, "INFO", f"Expanding segment {seg} for campaign cmp_{rng.randint(1000, 2199)} "
                                    f"(static, {n:,} recipients)")))
        if rng.random() < 0.25:
            lines.append((0.4, ll.fmt(t + 0.4, reqid, "WARN", f"{rng.randint(3, 90)} recipients in {seg} on DND "
                                      f"registry (NCPR), skipped")))
        if rng.random() < 0.08:
            lines.append((0.6, ll.fmt(t + 0.6, reqid, "WARN", "SendMessageBatch: 1 of 10 entries failed "
                                      "(SenderFault=false, Code=InternalError), retried OK")))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, reqid, "INFO",
                      f"{seg}: enqueued {n:,}/{n:,} recipients in {d / 1000:.1f} s")))
        return {"dur": d, "lines": lines}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=3.0)

    sc.change(-13000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "dnd-scrub", "gh-actions-release")
    sc.change(T_DECOY, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "campaigns-pg-params", "rahul.s")

    sc.alarm("campaign-fanout-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 300, 2, 8, "GreaterThanThreshold",
             "Campaign fan-out failures")
    sc.alarm("campaign-chunks-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q["dims"], "Maximum", 300, 1, 600,
             "GreaterThanThreshold")
    sc.alarm("campaigns-pg-cpu", "AWS/RDS", "CPUUtilization", db["dims"], "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.truth("campaign-fanout-errors", "function_timeout", ["campaign-fanout"],
             [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": fn["dims"]},
              {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": fn["dims"]}])
    sc.card(alarm_on="origin (Lambda)", services="Lambda, RDS Postgres, SQS", runtime=".NET 8",
            log_style="Lambda plain (.NET)",
            decoys="DB parameter-group change 2 min before onset; DB CPU up; steady DND skips and retried "
                   "SendMessageBatch entries",
            story="From -38 min campaign-fanout keeps receiving the chunk for seg_8812, a dynamic segment of "
                  "~2.1 M recipients. Each attempt logs steady progress (`enqueued 35,000/2,104,331`, DB page p50 "
                  "~12 ms, SendMessageBatch p50 ~20 ms, 0 failed) and ends in `Task timed out after 60.00 seconds` "
                  "(REPORT Status: timeout); SQS redelivers it, so the oldest message ages. Other segments (static, "
                  "up to ~50 k) finish in seconds. The parameter-group change to campaigns-pg two minutes before "
                  "is a decoy: query latency stays ~12 ms and there are no database errors; the DB's CPU rises only "
                  "because the function pages more.")
    return sc


def build12() -> S91:
    sc = S91(12, "verify-latency",
             "Login OTP verification slow; verify-edge latency alarm.", "us-east-1", 9112,
             "2026-03-20T14:10:00+00:00")
    rng = sc.rng
    T_SURGE, T_DECOY, T_AS1 = -2160, -2250, -1980
    load = lambda t: diurnal(sc, t, 14.0, 0.25)
    surge = lambda t: 5.2 * ramp(t, T_SURGE, T_SURGE + 180) * (1 - 0.2 * ramp(t, -900, 0))
    cap = lambda t: 6 + 6 * (t >= T_AS1 + 120)
    per_task = lambda t: 1300 * load(t) * (1 + surge(t)) / cap(t)
    stress = lambda t: max(0.0, per_task(t) / 217 - 1.0)
    alb = sc.alb("verify-edge", lambda t: 1300 * load(t) * (1 + surge(t)),
                 lambda t: 0.5 + 6 * stress(t), lambda t: 0.3 + 30 * stress(t) ** 1.5,
                 lambda t: 0.043 + 0.2 * stress(t), healthy=6, t4xx=lambda t: 55 * load(t) * (1 + surge(t)))
    svc = sc.ecs("auth", "otp-verify", lambda t: 80 * (1 - math.exp(-0.35 * per_task(t) / 217)), lambda t: 39.0 + 4 * stress(t),
                 cap, desired_count=6, runtime="go1.22", autoscaling_min=6, autoscaling_max=12)
    sc.ecs("auth", "session-api", lambda t: 24 * load(t), lambda t: 52.0, lambda t: 4.0, desired_count=4,
           runtime="go1.22")

    logfmt = logfmt_writer("ts", quote_msg=True)
    grp = "/ecs/otp-verify"
    for task in task_ids(sc, 2):
        st = ecs_stream("otp-verify", task)
        lg = lambda t, lvl, msg, st=st, **kw: sc.log(grp, st, t, logfmt(sc, t, lvl, msg, **kw))

        def req(t, lg=lg):
            s = surge(t) > 0.2 and rng.random() < surge(t) / (1 + surge(t))
            route = sc.pick(["/v1/otp/send", "/v1/otp/check"])
            lat = max(3.0, rng.gauss(40, 12)) * (1 + 6 * stress(t) * rng.uniform(0.5, 1.5))
            lg(t, "info", "request", method="POST", route=route, status=200, dur_ms=round(lat, 1),
               src="push-0320" if s else sc.pick(["organic", "organic", "sso"]),
               app_ver=sc.pick(["5.4.0", "5.4.1", "5.3.9"]), country=sc.pick(["US", "US", "CA", "MX", "BR"]))
        sc.events(LOG_FROM, 0, lambda m: 2.2 * load(m) * (1 + surge(m)), req)
        sc.events(LOG_FROM, 0, lambda m: 1.2, lambda t, lg=lg: lg(
            t, "warn", "device attestation failed", app_ver="5.2.1", verdict="MEETS_BASIC_INTEGRITY=false",
            action="allow_with_otp"))
        sc.events(LOG_FROM, 0, lambda m: 0.5 * load(m) * (1 + surge(m)), lambda t, lg=lg: lg(
            t, "info", "request", method="POST", route="/v1/otp/check", status=401, dur_ms=round(rng.uniform(4, 20), 1),
            err="otp mismatch"))

        def pool(t, lg=lg):
            lg(t, "info", "runtime", goroutines=int(180 + 60 * per_task(t) / 217 + 900 * stress(t)),
               inflight=int(rng.uniform(4, 9) * per_task(t) / 217 * (1 + 3 * stress(t))),
               rps=round(per_task(t) / 60, 1), gc_pause_p99_ms=round(rng.uniform(0.3, 1.1), 2))
        sc.every(LOG_FROM, 0, 60, pool)

    sc.change(-20400, "application-autoscaling.amazonaws.com", "RegisterScalableTarget",
              "AWS::ApplicationAutoScaling::ScalableTarget", "service/auth/otp-verify", "terraform-apply")
    sc.change(T_DECOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "session-api:74",
              "github-actions-deploy")
    sc.change(T_DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "auth/session-api",
              "github-actions-deploy")
    for ta in (T_AS1,):
        sc.change(ta, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "auth/otp-verify",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")

    sc.alarm("verify-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", alb["dims"], "Average", 60, 3, 0.25,
             "GreaterThanThreshold", "OTP verification latency")
    sc.alarm("verify-edge-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb["dims"], "Sum", 300, 1, 250,
             "GreaterThanThreshold")
    sc.alarm("otp-verify-cpu-high", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.truth("verify-edge-latency", "traffic_surge", ["auth/otp-verify", "otp-verify", alb["id"], "verify-edge"],
             [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": alb["dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS", runtime="Go", log_style="logfmt",
            decoys="session-api deployment 90 s before the surge; autoscaling UpdateService on otp-verify "
                   "itself after onset; steady attestation WARNs and 401 otp-mismatch",
            story="At -36 min verify-edge's RequestCount jumps ~6x within three minutes; otp-verify's request log "
                  "tags most of the new traffic `src=push-0320` (a marketing push that sends users to log in). "
                  "Per-task load exceeds what six tasks serve comfortably: goroutines and in-flight requests grow, "
                  "the ALB response time goes from ~0.1 s to over 1 s and the ALB returns some 503s, with CPU high but not pinned "
                  "(~80 %), memory flat, GC pauses normal and no downstream errors. Application Auto Scaling "
                  "doubles the service to its maximum of 12 tasks (the UpdateService call by its service role is a "
                  "consequence, not a deployment); latency eases but stays above the threshold while the push keeps "
                  "converting at ~5x normal volume.",
            judgement="Either the front door or the service can be named for a surge; both name forms of "
                      "the ALB and of the ECS service are accepted.")
    return sc


BUILDERS = [build11, build12]
