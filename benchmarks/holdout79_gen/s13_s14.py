"""h79-13 (mail renderer PHP release calls a removed method) and h79-14 (notification router
task-definition revision that only renamed an environment variable)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import LOG_START, binom, ecs_dims, meta, new, put, run_lambda, task_id, ticks

logfmt = logfmt_writer("ts")


def monolog(sc, t, level: str, msg: str, ctx: str = "[]") -> str:
    d = sc.at(t)
    return f"[{d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}+00:00] mail.{level}: {msg} {ctx} []"


# --------------------------------------------------------------------------- h79-13
def build13():
    sc = new(13, "mail-render-errors", "Notification e-mails not going out for several teams; mail "
             "renderer Errors alarm.", "ap-south-1", "2026-12-08T06:40:00+00:00")
    fn, other = "mail-render", "sms-send"
    sc.resource("lambda", fn, runtime="provided.al2023", layers=["bref-php-83"], timeout=28, memory_size=1024,
                alias="live")
    sc.resource("lambda", other, runtime="python3.12", timeout=15, memory_size=256)
    dep, on = -2400, -2380
    inv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count",
              lambda t: 11 * diurnal(sc, t, 6.0, 0.3), integer=True)
    digest = 0.42
    err = binom(sc, inv, lambda t: 0.002 + digest * (t >= on))
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count", err)
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds",
        lambda t: 310 - 90 * (t >= on), noise=0.12)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", {"FunctionName": fn}, "Count", lambda t: 1.0, noise=0.2, digits=0)
    oinv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": other}, "Count",
               lambda t: 4 + bump(t, -6600, -6000, 38, 60), integer=True)
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": other}, "Count", binom(sc, oinv, lambda t: 0.01))
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": other}, "Milliseconds", lambda t: 640, noise=0.15)

    kinds = ["digest.weekly", "digest.daily", "access.granted", "password.reset", "oncall.handoff"]

    def body(ll, t, r, is_err, cold):
        uid = sc.rng.randint(1000, 99999)
        kind = sc.rng.choice(kinds[:2]) if is_err and t >= on else sc.rng.choice(kinds[2:] if t >= on else kinds)
        lines = [(0.003, monolog(sc, t, "INFO", f"rendering template {kind} for user {uid}",
                                 json.dumps({"queue": "notify-mail", "attempt": 1})))]
        if sc.rng.random() < 0.06:
            lines.append((0.05, "Warning: Undefined variable $footerLinks in /var/task/templates/legacy/footer.php on line 12"))
        if is_err and t < on:
            lines.append((0.04, monolog(sc, t + 0.04, "ERROR", f"recipient address \"\" rejected for user {uid}; "
                                        "message dropped", json.dumps({"exception": "App\\Mail\\InvalidRecipient"}))))
            return {"dur": sc.rng.gauss(40, 8), "lines": lines, "status": "error", "error_type": "InvalidRecipient"}
        if is_err:
            lines.append((0.04, "Fatal error: Uncaught Error: Call to undefined method App\\Mail\\TemplateRenderer::"
                                "renderLegacy() in /var/task/src/Mail/DigestMailer.php:88"))
            lines.append((0.041, json.dumps({"errorType": "Error", "errorMessage": "Call to undefined method "
                          "App\\Mail\\TemplateRenderer::renderLegacy()", "stack": [
                              "#0 /var/task/src/Handler.php(41): App\\Mail\\DigestMailer->send(Object(App\\Mail\\Message))",
                              "#1 /opt/bref/vendor/bref/bref/src/Runtime/Invoker.php(29): App\\Handler->handle(Array, Object(Bref\\Context\\Context))",
                              "#2 {main}"]})))
            return {"dur": sc.rng.gauss(60, 10), "lines": lines, "status": "error", "error_type": "Error"}
        lines.append((0.25, monolog(sc, t + 0.25, "INFO", f"queued message for SES (template {kind})")))
        return {"dur": sc.rng.gauss(310, 40), "lines": lines}

    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 28, mem_used=(96, 4),
                    epochs=((-10 ** 9, "57"), (-2385, "58")), init_ms=(260, 40))
    run_lambda(sc, ll, inv, err, body)
    lo = LambdaLogs(sc, other, "python3.12", 256, 15, mem_used=(71, 3), retire=(-2330,))
    run_lambda(sc, lo, oinv, [0.0] * len(GRID), lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(640, 90), "lines": [(0.01, l.fmt(t, r, "INFO", "sms accepted by provider: "
                                                            f"msg_{sc.hexid(10)}"))]})

    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "codepipeline-notify")
    sc.change(dep + 10, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "codepipeline-notify")
    sc.change(dep + 15, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn,
              "codepipeline-notify")
    sc.change(-2330, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "v.iyer@corp-sso")
    sc.alarm("mail-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Mail renderer failing")
    sc.alarm("sms-send-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "mail-render-errors",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, category="bad_deployment", resources=[fn], front="origin",
         services="Lambda (PHP/bref with Monolog + runtime JSON, Python)",
         decoys="hand config edit of another function 50 s after onset (config-beats-deploy trap); "
                "long-standing PHP undefined-variable warnings; campaign spike on that function",
         story="About 40 % of `mail-render` invocations fail from -40 min on. Code was updated, "
               "version 58 was published and the `live` alias moved at -40 min, and the log streams "
               "switch from `[57]` to `[58]`. Only version 58 logs `Call to undefined method "
               "App\\Mail\\TemplateRenderer::renderLegacy()`, and only for digest templates. Seventy "
               "seconds after the deploy an engineer edited `sms-send`'s configuration. The tie-break rule "
               "'a config change beats a deployment' does not apply, because that edit is to another "
               "function, which keeps working. The PHP footer warnings are old.")
    return sc


# --------------------------------------------------------------------------- h79-14
def build14():
    sc = new(14, "notify-router-5xx", "Notification API returning 500 for e-mail sends; internal ALB "
             "5XX alarm.", "us-west-1", "2026-02-03T21:55:00+00:00")
    lb, cl = "app/int-comms/2d6f8a0c4e1b7359", "comms"
    sc.resource("alb", lb, name="int-comms", scheme="internal")
    sc.resource("ecs", f"{cl}/notify-router", launch_type="FARGATE", desired_count=3, cpu=256, memory=512,
                task_definition="notify-router:31", image="notify-router:v1.12.4", log_group="/ecs/comms/notify-router")
    sc.resource("ecs", f"{cl}/template-store", launch_type="FARGATE", desired_count=2, cpu=256, memory=512,
                task_definition="template-store:77", log_group="/ecs/comms/template-store")
    reg, upd, on = -2640, -2610, -2510
    bad = lambda t: ramp(t, on, on + 150)
    req = put(sc, "AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}, "Count",
              lambda t: 260 * diurnal(sc, t, 20.0, 0.3), integer=True)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Count",
              binom(sc, req, lambda t: 0.0008 + 0.58 * bad(t)))
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Count", lambda t: 0.03, integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Seconds",
        lambda t: 0.085 - 0.04 * bad(t), noise=0.1, digits=4)
    put(sc, "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Count",
        lambda t: 5 + 3 * (upd + 60 <= t < on + 120), noise=0.0)
    d1, d2 = ecs_dims(cl, "notify-router"), ecs_dims(cl, "template-store")
    put(sc, "AWS/ECS", "CPUUtilization", d1, "Percent", lambda t: 14 * diurnal(sc, t, 20.0, 0.3), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", d1, "Percent", lambda t: 27.0, noise=0.02)
    put(sc, "AWS/ECS", "CPUUtilization", d2, "Percent", lambda t: 9 + bump(t, -2450, -2280, 35, 40), noise=0.1)
    put(sc, "AWS/ECS", "MemoryUtilization", d2, "Percent", lambda t: 33.0, noise=0.02)

    g = "/ecs/comms/notify-router"
    old = [task_id(sc) for _ in range(3)]
    new_ = [task_id(sc) for _ in range(3)]
    for i, tid in enumerate(old + new_):
        is_new = i >= 3
        t0 = upd + 70 + 25 * (i - 3) if is_new else LOG_START
        t1 = 0.0 if is_new else on + 40 + 30 * i
        st = f"router/notify-router/{tid}"
        if is_new:
            sc.log(g, st, t0, logfmt(sc, t0, "info", "starting notify-router", caller="main.go:41", version="v1.12.4",
                                     commit="8f3c2a1", taskdef="notify-router:31"))
            sc.log(g, st, t0 + 0.02, logfmt(sc, t0 + 0.02, "info", "config loaded", caller="config.go:77",
                                            channels="email,sms,chat", smtp_relay_addr="", smtp_relay_host_deprecated=
                                            "smtp-relay.comms.internal:587"))
            sc.log(g, st, t0 + 0.03, logfmt(sc, t0 + 0.03, "warn", "env SMTP_RELAY_HOST is set but no longer read; "
                                            "use SMTP_RELAY_ADDR", caller="config.go:92"))
        for t in ticks(sc, lambda m: 3.5, t0 + 1, t1):
            ch = sc.rng.choice(["email"] * 6 + ["sms"] * 2 + ["chat"] * 2)
            rid = sc.hexid(16)
            if is_new and ch == "email" and t >= on:
                sc.log(g, st, t, logfmt(sc, t, "error", "send failed", caller="router.go:133", channel=ch,
                                        req_id=rid, err="config: SMTP_RELAY_ADDR is empty", status=500))
            else:
                sc.log(g, st, t, logfmt(sc, t, "info", "sent", caller="router.go:118", channel=ch, req_id=rid,
                                        dur_ms=sc.rng.randint(20, 140), status=202))
        for t in ticks(sc, lambda m: 0.12, t0 + 1, t1):
            sc.log(g, st, t, logfmt(sc, t, "warn", "sms provider slow", caller="sms/twilio.go:58",
                                    latency_ms=sc.rng.randint(1800, 3200)))
        if not is_new:
            sc.log(g, st, t1, logfmt(sc, t1, "info", "received SIGTERM; shutting down", caller="main.go:66"))
    ts = task_id(sc)
    for t in ticks(sc, lambda m: 0.8):
        sc.log("/ecs/comms/template-store", f"store/template-store/{ts}", t, logfmt(
            sc, t, "info", "template fetched", caller="store.go:51", key=sc.rng.choice(["digest", "reset", "welcome"]),
            cache="hit"))

    sc.change(reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notify-router:31",
              "d.okoye@corp-sso")
    sc.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/notify-router", "d.okoye@corp-sso")
    sc.change(-2470, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "template-store:77",
              "comms-ci")
    sc.change(-2460, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/template-store", "comms-ci")
    sc.alarm("int-comms-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold", "Notification API target 5xx")
    sc.alarm("template-store-cpu", "AWS/ECS", "CPUUtilization", d2, "Average", 300, 2, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "int-comms-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [f"{cl}/notify-router", "notify-router"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, category="config_change", resources=[f"{cl}/notify-router", "notify-router"], front="front (ALB)",
         services="ALB, ECS (Go, logfmt)",
         decoys="image deploy of template-store 40 s after onset; long-standing slow-SMS warnings; "
                "the change itself looks like a deployment (task-definition revision + UpdateService)",
         story="Target 5xx on the comms ALB rise to ~190/min from -42 min. An engineer registered "
               "`notify-router:31` and updated the service shortly before. The new tasks start the "
               "same image (`v1.12.4`, commit 8f3c2a1) as the old ones, but log `smtp_relay_addr=\"\"` "
               "and `env SMTP_RELAY_HOST is set but no longer read; use SMTP_RELAY_ADDR`. Every e-mail "
               "send on them then fails with `config: SMTP_RELAY_ADDR is empty`, while sms and chat "
               "keep working. The revision changed settings, not code, so by the tie-break rule this "
               "is config_change. The template-store image deploy comes after the onset and that "
               "service logs no errors.")
    return sc


BUILDERS = [build13, build14]
