"""h88-03 (webhook dispatcher task-definition rollout with a payload TypeError) and h88-04 (mailbox
poller environment update that dropped a variable)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pino

from .kit import LOG_START, S88, ecs_metrics, emit, flat, lam_metrics, per_min, put, rds_metrics

HOOKS = ["https://hooks.acme-freight.io/crm", "https://api.brightlane.co.uk/v2/crm-events",
         "https://integrations.solvent-hr.com/webhooks/crm", "https://n8n.kiteworks.dev/webhook/9f1",
         "https://erp.harbourline.com/inbound/crm", "https://zap.example-partner.net/hooks/catch/118"]
DEAD = {"https://n8n.kiteworks.dev/webhook/9f1": "connect ECONNREFUSED 203.0.113.9:443",
        "https://zap.example-partner.net/hooks/catch/118": "Request failed with status code 410"}


def build03() -> S88:
    T0 = -2460
    DEP = T0 - 260
    sc = S88(3, "signed-payload-v2", "Customer webhooks failing; DeliveryFailures alarm fired and the outbound "
             "queue is backing up.", "eu-west-2", 8803, "2026-02-19T14:05:00+00:00", {
                 "front": "origin (custom metric of the service)", "services": ["ecs", "lambda"],
                 "decoys": "SSM parameter change 90 s before the alarm window (after the first new errors); dead "
                           "customer endpoints failing all day; queue-age second alarm",
             })
    svc = "integrations/webhook-dispatcher"
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=4, cpu=512, memory=1024,
                log_group="/ecs/integrations/webhook-dispatcher", task_definition="webhook-dispatcher:87")
    sc.resource("ecs", "integrations/mailbox-sync", launch_type="FARGATE", desired_count=3,
                log_group="/ecs/integrations/mailbox-sync")
    sc.resource("lambda", "webhook-event-fanout", runtime="nodejs20.x", timeout=30, memory_size=256)
    bad = lambda t: ramp(t, DEP + 90, DEP + 200)  # noqa: E731  new tasks take traffic
    ev = lambda t: 260 * diurnal(sc, t, 14, 0.2)  # noqa: E731
    dims = {"Service": "webhook-dispatcher"}
    put(sc, "CRM/Webhooks", "DeliveriesAttempted", dims, "Count", ev, integer=True, noise=0.06)
    put(sc, "CRM/Webhooks", "DeliveryFailures", dims, "Count", lambda t: 7 + ev(t) * 0.21 * bad(t), integer=True)
    q = {"QueueName": "crm-outbound-webhooks"}
    put(sc, "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
        lambda t: 25 + 1900 * ramp(t, DEP + 120, 0) + bump(t, -15400, -14800, 200), noise=0.1, digits=0)
    put(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
        lambda t: 40 + 2600 * ramp(t, DEP + 120, 0), integer=True)
    ecs_metrics(sc, "integrations", "webhook-dispatcher", lambda t: 22 + bump(t, DEP + 60, DEP + 300, 14, 60),
                flat(38), tasks=lambda t: 4 + 4 * bump(t, DEP + 60, DEP + 290, 1, 1) // 1)
    ecs_metrics(sc, "integrations", "mailbox-sync", lambda t: 41 * diurnal(sc, t, 14), flat(57))
    fan = lam_metrics(sc, "webhook-event-fanout", lambda t: ev(t) / 8, lambda t: 0.0, lambda t: 140)
    sc.alarm("webhook-dispatcher-delivery-failures", "CRM/Webhooks", "DeliveryFailures", dims, "Sum", 60, 3, 30,
             "GreaterThanThreshold", "Outbound customer webhook failures")
    sc.alarm("crm-outbound-webhooks-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 60, 5, 600,
             "GreaterThanThreshold")
    sc.change(DEP, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "webhook-dispatcher", "github-actions-deploy")
    sc.change(DEP + 8, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-deploy")
    sc.change(T0 - 90, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
              "/crm/prod/mailbox-sync/poll_interval_seconds", "priya.k@crmco.io")
    sc.change(-17900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "integrations/mailbox-sync",
              "github-actions-deploy")
    grp = "/ecs/integrations/webhook-dispatcher"
    old = [f"dispatcher/webhook-dispatcher/{sc.hexid(32)}" for _ in range(2)]
    new = [f"dispatcher/webhook-dispatcher/{sc.hexid(32)}" for _ in range(2)]
    for s, t0, ver in [(old[0], -19800, "2026.02.16-3 (9c0d7b1)"), (old[1], -19790, "2026.02.16-3 (9c0d7b1)"),
                       (new[0], DEP + 75, "2026.02.19-1 (a41c9e2)"), (new[1], DEP + 81, "2026.02.19-1 (a41c9e2)")]:
        if t0 > LOG_START:
            sc.log(grp, s, t0, pino(sc, t0, "info", "webhook-dispatcher starting", f"ip-10-2-{len(s) % 90}-17",
                                    version=ver, node="v20.11.1", concurrency=16))
    for s in old:
        sc.log(grp, s, DEP + 230, pino(sc, DEP + 230, "info", "received SIGTERM, draining in-flight deliveries",
                                       "ip-10-2-41-17", inflight=sc.rng.randint(2, 9)))

    def deliver(t):
        s = sc.rng.choice(old if t < DEP + 150 else new)
        url = sc.rng.choice(HOOKS)
        event = sc.rng.choice(["contact.created", "contact.updated", "deal.updated", "deal.stage_changed",
                               "note.created"])
        tenant = f"tn_{sc.rng.choice(['0c4e', '19aa', '33f0', '5b72', '7e01', 'a2d9'])}"
        hid = sc.hexid(8)
        if url in DEAD:
            sc.log(grp, s, t, pino(sc, t, "warn", "delivery failed, will retry", "ip-10-2-41-17", tenant=tenant,
                                   event=event, endpoint=url, err=DEAD[url], attempt=sc.rng.randint(1, 8),
                                   webhookId=hid))
        elif s in new and event in ("deal.updated", "deal.stage_changed", "contact.updated") and \
                sc.rng.random() < 0.85:
            sc.log(grp, s, t, pino(sc, t, "error", "failed to build payload", "ip-10-2-88-17", tenant=tenant,
                                   event=event, webhookId=hid, err={
                                       "type": "TypeError",
                                       "message": "Cannot read properties of undefined (reading 'map')",
                                       "stack": "TypeError: Cannot read properties of undefined (reading 'map')\n"
                                                "    at buildPayload (/app/dist/payload/v2.js:88:41)\n"
                                                "    at signAndSend (/app/dist/deliver.js:54:19)\n"
                                                "    at async Consumer.handleMessage (/app/dist/consumer.js:31:7)"}))
        else:
            sc.log(grp, s, t, pino(sc, t, "info", "delivered", "ip-10-2-41-17", tenant=tenant, event=event,
                                   endpoint=url, status=sc.rng.choice([200, 200, 202, 204]),
                                   ms=sc.rng.randint(60, 900), webhookId=hid))
    emit(sc, LOG_START, 0, lambda t: 6 * diurnal(sc, t, 14, 0.2), deliver)
    mg = "/ecs/integrations/mailbox-sync"
    ms = f"mailbox-sync/worker/{sc.hexid(32)}"
    emit(sc, LOG_START, 0, 2, lambda t: sc.log(mg, ms, t, (
        f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')},{sc.rng.randint(100, 999)}: INFO/ForkPoolWorker-"
        f"{sc.rng.randint(1, 8)}] Task mailsync.tasks.poll_mailbox[{sc.uuid()}] succeeded in "
        f"{sc.rng.uniform(0.4, 6):.3f}s: {{'new': {sc.rng.randint(0, 14)}, 'mailbox': 'mbx_{sc.hexid(6)}'}}")))
    del fan
    sc.expect_("webhook-dispatcher-delivery-failures", "bad_deployment", [svc, "webhook-dispatcher"],
               [{"namespace": "CRM/Webhooks", "name": "DeliveryFailures", "dimensions": dims}])
    sc.meta["story"] = (
        "GitHub Actions registers task definition webhook-dispatcher:88 and updates the service about four "
        "minutes before onset. The two new tasks log version `2026.02.19-1 (a41c9e2)` on boot and from then "
        "on deal/contact update events fail with `TypeError: Cannot read properties of undefined (reading "
        "'map') at buildPayload (/app/dist/payload/v2.js:88:41)`, a signature that never appears in the "
        "old tasks' streams. DeliveryFailures climbs from its baseline of ~7/min (two dead customer "
        "endpoints, ECONNREFUSED and 410, failing all day) and the outbound queue ages. The SSM PutParameter "
        "on the mailbox-sync poll interval lands closer to onset but names another service and no error "
        "mentions it, so the config-change tie-break does not apply.")
    return sc


def build04() -> S88:
    T0 = -1620
    CH = T0 - 45
    sc = S88(4, "delta-poll", "Mailbox sync Lambda failing on every invocation; Errors alarm in ALARM.",
             "ca-central-1", 8804, "2026-02-20T15:50:00+00:00", {
                 "front": "origin", "services": ["lambda", "rds"],
                 "decoys": "code deploy of contact-dedupe-worker 25 s after the config change (closer to "
                           "onset); invalid_grant and Graph 429 errors all day; SQS backlog second alarm",
             })
    fn = "mailbox-delta-poller"
    sc.resource("lambda", fn, runtime="python3.12", timeout=300, memory_size=512, reserved_concurrency=25,
                environment_keys=["GRAPH_TENANT_AUTHORITY", "SYNC_QUEUE_URL", "DB_SECRET_ARN", "LOG_LEVEL"])
    sc.resource("lambda", "contact-dedupe-worker", runtime="ruby3.3", timeout=120, memory_size=1024)
    sc.resource("rds", "crm-ca-pg-01", engine="postgres", instance_class="db.r6g.xlarge", max_connections=800,
                allocated_storage_gb=1000)
    broke = lambda t: step(t, CH + 4, 0.0, 1.0)  # noqa: E731
    inv = lambda t: 17 * diurnal(sc, t, 18, 0.15)  # noqa: E731
    lam = lam_metrics(sc, fn, inv, lambda t: 0.09 + 0.91 * broke(t), lambda t: 21000 - 20600 * broke(t))
    lam_metrics(sc, "contact-dedupe-worker", lambda t: 6, lambda t: 0.0, lambda t: 8400)
    rds_metrics(sc, "crm-ca-pg-01", lambda t: 31 * diurnal(sc, t, 18, 0.2), lambda t: 260 * diurnal(sc, t, 18, 0.1),
                lambda t: 612.0, mem_gb=19.0)
    q = {"QueueName": "mailbox-sync-requests"}
    put(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
        lambda t: 120 + 4200 * ramp(t, CH, 0), integer=True)
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Mailbox delta sync failures")
    sc.alarm("mailbox-sync-requests-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Maximum", 60,
             5, 1500, "GreaterThanThreshold")
    sc.change(CH, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "a.nguyen@crmco.ca")
    sc.change(CH + 25, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "contact-dedupe-worker", "ci-release-bot")
    sc.change(CH + 31, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "contact-dedupe-worker", "ci-release-bot")
    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-release-bot")
    ll = LambdaLogs(sc, fn, "python3.12", 512, 300, retire=(CH,), mem_used=(160, 12))
    tenants = ["acme-freight", "brightlane", "harbourline", "kiteworks", "northwind", "solvent-hr", "verdant"]

    def body(ll, t, rid, is_err, cold):
        mbx = f"mbx_{sc.hexid(8)}"
        ten = sc.rng.choice(tenants)
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"polling delta batch size=25 tenant={ten} first={mbx}"))]
        if broke(t) and is_err:
            tb = ("[ERROR] KeyError: 'GRAPH_TENANT_AUTHORITY'\nTraceback (most recent call last):\n"
                  "  File \"/var/task/mailsync/handler.py\", line 41, in lambda_handler\n"
                  "    token = auth.get_token(tenant)\n"
                  "  File \"/var/task/mailsync/auth.py\", line 22, in get_token\n"
                  "    authority = os.environ[\"GRAPH_TENANT_AUTHORITY\"]\n"
                  "  File \"<frozen os>\", line 714, in __getitem__")
            lines.append((0.31, tb))
            return {"dur": sc.rng.uniform(300, 520), "lines": lines}
        if is_err:
            lines.append((2.1, ll.fmt(t + 2.1, rid, "ERROR", f"token refresh failed tenant={ten} mailbox={mbx}: "
                                      "invalid_grant AADSTS700082: The refresh token has expired due to inactivity.")))
            return {"dur": sc.rng.uniform(2000, 9000), "lines": lines}
        if sc.rng.random() < 0.3:
            lines.append((3.0, ll.fmt(t + 3.0, rid, "WARNING", f"graph 429 TooManyRequests tenant={ten} retry_after=12s "
                                      "(MailboxConcurrency)")))
        n = sc.rng.randint(0, 60)
        lines.append((15.0, ll.fmt(t + 15.0, rid, "INFO", f"delta applied messages={n} threads={n // 3} tenant={ten}")))
        return {"dur": sc.rng.uniform(12000, 30000), "lines": lines}
    ll.run(per_min(lam["inv"]), per_min(lam["err"]), body)
    sc.expect_(f"{fn}-errors", "config_change", [fn],
               [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}])
    sc.meta["story"] = (
        "A responder updates mailbox-delta-poller's environment by hand 45 s before the alarm window; the "
        "update replaced the variable map and left out `GRAPH_TENANT_AUTHORITY`. From the first invocation "
        "after it, every run ends in `KeyError: 'GRAPH_TENANT_AUTHORITY'` from `auth.get_token` within half a "
        "second, Errors goes to 100 % and the request queue backs up. A CI code deploy to "
        "contact-dedupe-worker lands 25 s later (closer to the alarm), but that function's metrics and logs "
        "are unchanged; the `invalid_grant` token-refresh failures and Graph 429 warnings were there at the "
        "same ~9 % rate for hours. An error naming a missing setting right after a configuration change is "
        "`config_change`.")
    return sc


BUILDERS = [build03, build04]
