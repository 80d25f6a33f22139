"""h94-01 (chat relay image roll-out behind the ALB) and h94-02 (photo screening env change)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import zap
from .kit import (HISTORY, LOG_START, LambdaLogs, after, alb_set, apigw_set, ecs_set, emit, evening, expect,
                  lam_run, lambda_set, new, streams_by_time, task_ids)


def build_01():
    sc = new(1, "chat-send-failures", "Chat messages failing to send on Sunday evening; the "
             "chat-edge target 5XX alarm paged on-call.", "us-west-1", shift_min=0)
    rng = sc.rng
    cluster, svc, lb = "chat-usw1", "relay-ws", "app/chat-edge/5f3c1a9e2b7d4e60"
    sid = f"{cluster}/{svc}"
    sc.resource("ecs", sid, launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
                task_definition="relay-ws:88", log_group="/ecs/relay-ws")
    sc.resource("alb", lb, name="chat-edge", scheme="internet-facing")
    sc.resource("lambda", "badge-counter", runtime="nodejs20.x", timeout=10, memory_size=256)
    old, fresh = task_ids(sc, 3), task_ids(sc, 3)
    names = {tid: f"relay/relay-ws/{tid}" for tid in old + fresh}
    up = [-2760, -2700, -2640]      # new tasks (v2.31.0) start
    down = [-2690, -2630, -2570]    # old tasks drained and stopped

    def newfrac(t):
        return sum(1 for u in up if t >= u + 30) / 3.0

    stream_at = streams_by_time([(-HISTORY, d, [names[o]]) for o, d in zip(old, down)]
                                + [(u, 1, [names[f]]) for f, u in zip(fresh, up)])

    ev = lambda t: evening(sc, t)  # noqa: E731
    req = lambda t: 1450 * ev(t)  # noqa: E731
    alb_set(sc, lb, req, lambda t: 0.048 + 0.02 * newfrac(t),
                  lambda t: 1.4 + 0.062 * req(t) * newfrac(t),
                  healthy=lambda t: 3 + sum(1 for u, d in zip(up, down) if u + 40 <= t < d))
    ecs_set(sc, cluster, svc, lambda t: 34 * ev(t) + 9 * sum(after(t, u, 60) - after(t, u + 120, 60) for u in up),
            lambda t: 41 + 2.5 * newfrac(t))
    lambda_set(sc, "badge-counter", lambda t: 310 * ev(t), lambda t: 0.05, lambda t: 38.0)
    sc.alarm("chat-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 30, "GreaterThanThreshold",
             "chat-edge: 5XX responses from targets")
    sc.alarm("relay-ws-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": svc},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.alarm("badge-counter-errors", "AWS/Lambda", "Errors", {"FunctionName": "badge-counter"},
             "Sum", 300, 1, 5, "GreaterThanThreshold")

    g = "/ecs/relay-ws"
    peer = lambda: f"10.40.{rng.randint(1, 60)}.{rng.randint(2, 250)}:{rng.randint(30000, 60999)}"  # noqa: E731
    emit(sc, g, stream_at, LOG_START, 0, lambda t: 3.2 * ev(t),
         lambda t: zap(sc, t, "info", "message delivered", "relay/deliver.go:88",
                       conv=f"c_{sc.hexid(10)}", recipients=rng.choice([1, 1, 1, 2, 5]),
                       latency_ms=rng.randint(6, 60)))
    emit(sc, g, stream_at, LOG_START, 0, 4.0,
         lambda t: zap(sc, t, "warn", "websocket read failed", "relay/conn.go:131", remote=peer(),
                       error="websocket: close 1006 (abnormal closure): unexpected EOF"))
    emit(sc, g, stream_at, LOG_START, 0, 0.3,
         lambda t: zap(sc, t, "error", "presence publish failed", "relay/presence.go:57",
                       error="redis: connection pool timeout", channel="presence:v2"))
    emit(sc, g, lambda t: [names[x] for x in fresh if t >= up[fresh.index(x)] + 30], up[0] + 30, 0,
         lambda t: 3.4 * newfrac(t) * ev(t),
         lambda t: zap(sc, t, "error", "panic recovered in handler", "relay/server.go:302",
                       path="/v1/conversations/{id}/messages", method="POST", remote=peer(),
                       error="runtime error: invalid memory address or nil pointer dereference",
                       stacktrace=("goroutine %d [running]:\nrelay.(*Hub).fanout(0xc0004a2000, "
                                   "0x0)\n\t/src/relay/hub.go:214 +0x1c4\nrelay.(*Server).postMessage"
                                   "(...)\n\t/src/relay/server.go:171 +0x3e9" % rng.randint(9000, 99999))))
    for tid, u in zip(fresh, up):
        s = names[tid]
        sc.log(g, s, u + 1.2, zap(sc, u + 1.2, "info", "starting relay", "cmd/relay/main.go:44",
                                  version="v2.31.0", commit="9b1e07c", go="go1.22.5"))
        sc.log(g, s, u + 2.9, zap(sc, u + 2.9, "info", "listening", "cmd/relay/main.go:97", addr=":8080"))
    for tid, d in zip(old, down):
        sc.log(g, names[tid], d - 28, zap(sc, d - 28, "info", "received SIGTERM, draining connections",
                                          "cmd/relay/main.go:120", version="v2.30.4", open_conns=rng.randint(900, 1400)))
    sc.change(-2810, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "relay-ws:88", "github-actions-deployer")
    sc.change(-2790, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", sid, "github-actions-deployer")
    sc.change(-2700, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "badge-counter", "dana.whitfield")
    sc.change(-15800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "chat-usw1/typing-fanout",
              "github-actions-deployer")
    expect(sc, "chat-edge-target-5xx", "bad_deployment", [sid, svc],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta.update(front="front (ALB)", decoys=[
        "badge-counter env update 90 s after the roll-out, nearer the alarm",
        "websocket close 1006 warnings and redis pool timeouts at a steady rate for hours"],
        story=("relay-ws (Go, Fargate) rolled out task definition relay-ws:88 at -47 min; as each "
               "v2.31.0 task took traffic, target 5XX on chat-edge climbed to ~110/min. Only the new "
               "tasks log `panic recovered in handler` (nil pointer dereference in Hub.fanout); the "
               "websocket 1006 warnings and redis pool timeouts run at the same rate all afternoon. "
               "The badge-counter configuration update sits between the roll-out and the alarm but "
               "its function is healthy."))
    return sc


def build_02():
    sc = new(2, "photo-moderation-errors", "Profile photo moderation failing for part of uploads; Errors "
             "alarm on the screening function.", "ap-southeast-1", shift_min=3)
    rng = sc.rng
    fn = "photo-screen"
    acct = sc.account
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1536,
                handler="screen.handler.handler")
    sc.resource("lambda", "match-digest", runtime="python3.12", timeout=300, memory_size=512)
    sc.resource("apigateway", "media-upload-api")
    cause, onset = -2980, -2975
    ev = lambda t: evening(sc, t)  # noqa: E731
    inv = lambda t: 210 * ev(t)  # noqa: E731
    fl = 0.12  # share of photos the classifier flags for human review
    m = lambda_set(sc, fn, inv, lambda t: 0.35 + (fl * inv(t) if t >= onset else 0.0),
                   lambda t: 1750 + 120 * ev(t))
    lambda_set(sc, "match-digest", lambda t: 6.0, lambda t: 0.02, lambda t: 41000.0)
    apigw_set(sc, "media-upload-api", lambda t: 230 * ev(t), lambda t: 2.5, lambda t: 0.2,
              lambda t: 95.0)
    sc.alarm("photo-screen-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "Photo moderation function errors")
    sc.alarm("match-digest-errors", "AWS/Lambda", "Errors", {"FunctionName": "match-digest"}, "Sum",
             300, 1, 2, "GreaterThanThreshold")
    queue = f"https://sqs.ap-southeast-1.amazonaws.com/{acct}/photo-review-manual"
    ll = LambdaLogs(sc, fn, "python3.12", 1536, 60, retire=(cause,), prewarm=LOG_START,
                    mem_used=(610, 40))

    def body(ll, t, rid, is_err, cold):
        key = f"s3://pairly-media-apse1/u/{sc.hexid(12)}/{sc.hexid(8)}.jpg"
        lines, dur = [], rng.gauss(1750, 380)

        def L(dt, level, msg):
            return (dt, ll.fmt(t + dt, rid, level, msg))
        if cold:
            q = queue if t < cause else "<unset>"
            return_init = [(0.05, f"[INFO]\t{sc.iso(t - 0.4)}\t\tmoderation settings: min_confidence=0.80 "
                                  f"model=nsfw-v7 review_queue={q}")]
        else:
            return_init = []
        lines.append(L(0.01, "INFO", f"screening {key}"))
        if rng.random() < 0.05:
            lines.append(L(0.3, "ERROR", f"EXIF parse failed for {key}: corrupt "
                                      "JPEG data: premature end of data segment"))
        if rng.random() < 0.08:
            lines.append(L(0.9, "WARNING", "no face detected in profile photo, "
                                      "marking as non-primary"))
        if is_err and t >= onset:
            lines.append(L(dur / 1000 - 0.05, "INFO", "labels=['Suggestive'] "
                                                    "confidence=0.91 -> manual review"))
            lines.append((dur / 1000 - 0.01, "[ERROR] KeyError: 'REVIEW_QUEUE_URL'\nTraceback (most "
                          "recent call last):\n  File \"/var/task/screen/handler.py\", line 88, in handler\n"
                          "    _queue_for_review(photo, labels)\n  File \"/var/task/screen/handler.py\", "
                          "line 141, in _queue_for_review\n    QueueUrl=os.environ[\"REVIEW_QUEUE_URL\"],\n"
                          "  File \"<frozen os>\", line 714, in __getitem__"))
        elif is_err:
            lines.append((0.2, "[ERROR] NoSuchKey: An error occurred (NoSuchKey) when calling the "
                          "GetObject operation: The specified key does not exist.\nTraceback (most recent "
                          "call last):\n  File \"/var/task/screen/handler.py\", line 52, in handler\n"
                          "    obj = s3.get_object(Bucket=bucket, Key=key)"))
            dur = rng.uniform(90, 160)
        else:
            lines.append(L(dur / 1000 - 0.01, "INFO", f"approved {key} labels=[] "
                                                    f"score={rng.uniform(0.01, 0.3):.2f}"))
        return {"dur": dur, "lines": lines, "init_lines": return_init}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.016, err_frac=0.12)
    sc.change(-11400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gitlab-ci-media")
    sc.change(-11380, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "gitlab-ci-media")
    sc.change(cause, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "mira.tan")
    sc.change(-2880, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "match-digest", "gitlab-ci-growth")
    expect(sc, "photo-screen-errors", "config_change", [fn],
           [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta.update(decoys=[
        "photo-screen code deploy 2 h 20 min before onset (no new errors after it)",
        "match-digest deploy between the cause and the alarm",
        "handled EXIF/no-face ERROR and WARNING lines and NoSuchKey errors all afternoon"],
        judgement=("The function also had a code deploy at -3 h 10 min; errors began 5 s after the "
                   "environment update instead and name the missing REVIEW_QUEUE_URL, so config_change "
                   "(which the tie-break prefers anyway)."),
        story=("An engineer updated photo-screen's environment at -50 min; from then on every photo "
               "the classifier sends to manual review fails with `KeyError: 'REVIEW_QUEUE_URL'` (about "
               "12 % of uploads), and new cold starts log `review_queue=<unset>`. EXIF parse errors, "
               "no-face warnings and the occasional NoSuchKey were there all afternoon; the code deploy "
               "three hours earlier and the match-digest deploy are not followed by new signatures."))
    return sc


BUILDERS = [build_01, build_02]
