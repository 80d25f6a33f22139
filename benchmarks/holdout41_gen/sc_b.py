"""Scenarios 03-05: KMS permission removed from a Go function's role (SQS backlog alarm), self-managed
Redis EC2 host failure behind a Node session API, partner bulk push exhausting Postgres connections."""
from __future__ import annotations

from .common import (ACCOUNT, MINUTES, Scenario, apigw_metrics, binom, counts, ec2_metrics, hexs,
                     jit, lambda_metrics, pois, ramp, sqs_metrics, wave)
from .lambdalog import FnLog, drive, go, node, node_invoke_error, py, simple_fn


def s03() -> Scenario:
    sc = Scenario(3, "invoice-backlog-kms-denied", "ap-southeast-2",
                  "Invoices are not being generated; the invoice-jobs queue age alarm fired.", "2026-07-02T01:15:00")
    rng = sc.rng
    T = -2570  # IAM change at -2600 takes effect within ~30 s
    sc.res("lambda", "invoice-render", runtime="provided.al2023", architectures=["arm64"], handler="bootstrap",
           timeout=60, memory_size=1024, role="invoice-render-exec",
           event_source="SQS invoice-jobs (batch 5, visibility 360 s, maxReceiveCount 5 -> invoice-jobs-dlq)")
    sc.res("lambda", "invoice-mailer", runtime="python3.12", timeout=30, memory_size=256, role="invoice-mailer-exec")
    sc.res("lambda", "invoice-api", runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.res("apigateway", "billing-api", api_id="p3x9c2w7ke", stage="prod")
    sent = counts(rng, lambda t: 26 + 7 * wave(t, 9000, 1.2))
    batches = {t: max(1, (sent[t] + 4) // 5) for t in MINUTES}
    retry = {t: (sum(batches.get(t - k * 360, 0) for k in range(1, 5) if t - k * 360 >= T)) for t in MINUTES}
    inv = {t: batches[t] + retry[t] for t in MINUTES}
    err = {t: (inv[t] if t >= T else (int(round(inv[t] * _frac(t, T))) if t + 60 > T else 0)) for t in MINUTES}
    dur = {t: (jit(rng, 940, 0.1) if t >= T else jit(rng, 1850, 0.08)) for t in MINUTES}
    lambda_metrics(sc, "invoice-render", inv, err, dur, {t: pois(rng, 1.0 + inv[t] * dur[t] / 60000.0) + 1
                                                          for t in MINUTES})
    deleted = {t: (sent[t] + pois(rng, 0.3) if t < T else 0) for t in MINUTES}
    vis, age, dlq, backlog = {}, {}, {}, 0
    for t in MINUTES:
        if t < T:
            vis[t], age[t], dlq[t] = pois(rng, 6), jit(rng, 22, 0.4), 0
        else:
            backlog += sent[t]
            moved = sent.get(t - 1800, 0) if t - 1800 >= T else 0
            backlog -= moved
            dlq[t] = (dlq.get(t - 60, 0) or 0) + moved
            vis[t] = int(backlog * rng.uniform(0.55, 0.8))
            age[t] = min(t - T + rng.uniform(20, 40), 1800 + 380)
    sqs_metrics(sc, "invoice-jobs", vis, age, sent, deleted)
    sqs_metrics(sc, "invoice-jobs-dlq", dlq, {t: (t - T - 1800 if dlq[t] else 0) for t in MINUTES},
                {t: (dlq[t] - dlq.get(t - 60, 0)) if t >= T else 0 for t in MINUTES}, {t: 0 for t in MINUTES})
    minv = counts(rng, lambda t: 11.0)
    lambda_metrics(sc, "invoice-mailer", minv, {t: pois(rng, 0.03) for t in MINUTES},
                   {t: jit(rng, 620 if t < -3100 else 575, 0.1) for t in MINUTES}, {t: pois(rng, 1) + 1 for t in MINUTES})
    ainv = {t: sent[t] + pois(rng, 30) for t in MINUTES}
    lambda_metrics(sc, "invoice-api", ainv, {t: 0 for t in MINUTES}, {t: jit(rng, 64, 0.1) for t in MINUTES},
                   {t: pois(rng, 1.5) + 1 for t in MINUTES})
    apigw_metrics(sc, "billing-api", ainv, {t: pois(rng, 1.1) for t in MINUTES}, {t: 0 for t in MINUTES},
                  lambda t: jit(rng, 82, 0.1), lambda t: jit(rng, 68, 0.1))

    key = "arn:aws:kms:ap-southeast-2:%s:key/3f0c6a2e-91b4-4d77-a0c3-5be1f29d8e40" % ACCOUNT
    fl = FnLog(sc, "invoice-render", "provided.al2023", 1024, init=(38, 75))

    def make(t, r, kind):
        n = rng.randint(3, 5)
        lines = [go(sc, t + 0.002, r, "INFO", "batch received", batch_size=n, queue="invoice-jobs")]
        tt = t + 0.01
        bad = kind == "err" and t >= T
        for i in range(n):
            inv_id = "INV-2026-%06d" % rng.randint(1, 400000)
            tt += rng.uniform(0.12, 0.3)
            lines.append(go(sc, tt, r, "INFO", "rendering invoice", invoice_id=inv_id, template="standard-v4",
                            tenant="tn_%04d" % rng.randint(1, 900)))
            if rng.random() < 0.12:
                lines.append(go(sc, tt + 0.01, r, "WARN", "template cache miss, fetching from s3",
                                key="templates/standard-v4/layout.html"))
            if rng.random() < 0.06:
                lines.append(go(sc, tt + 0.02, r, "ERROR", "font fallback: glyph not found", codepoint="U+2009",
                                font="Inter-Regular"))
            if bad:
                lines.append(go(sc, tt + 0.08, r, "ERROR", "upload invoice pdf", invoice_id=inv_id,
                                err="operation error S3: PutObject, https response error StatusCode: 403, RequestID: %s, "
                                    "HostID: %s=, api error AccessDenied: User: arn:aws:sts::%s:assumed-role/"
                                    "invoice-render-exec/invoice-render is not authorized to perform: "
                                    "kms:GenerateDataKey on resource: %s because no identity-based policy allows the "
                                    "kms:GenerateDataKey action" % (hexs(rng, 16).upper(), hexs(rng, 40), ACCOUNT, key)))
                break
            lines.append(go(sc, tt + 0.09, r, "INFO", "uploaded", key="invoices/2026/07/%s.pdf" % inv_id,
                            bytes=rng.randint(38000, 160000), sse="aws:kms"))
        if bad:
            lines.append(go(sc, tt + 0.1, r, "ERROR", "batch failed; messages will be retried", failed=n, batch_size=n))
            return {"dur": (tt + 0.11 - t) * 1000, "mem": rng.uniform(120, 160), "lines": lines}
        return {"dur": (tt + 0.1 - t) * 1000, "mem": rng.uniform(150, 210), "lines": lines}
    drive(sc, fl, inv, err, 0.45, -9000, make, n_envs=lambda t: 3)
    simple_fn(sc, "invoice-mailer", "python3.12", 256, minv, lambda t: jit(rng, 600, 0.1),
              lambda t, r, d: [py(sc, t + d / 1000 - 0.01, r, "INFO", "Mailed invoice INV-2026-%06d to billing contact"
                                  " (build %s)" % (rng.randint(1, 400000), "2026.07.01" if t >= -3100 else "2026.06.24"))],
              start=-7200, frac=0.5)
    sc.lambda_change(-3100, "invoice-mailer", "UpdateFunctionCode20150331v2", "bitbucket-pipelines")
    sc.change(-2612, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "invoice-mailer-exec", "iam-hardening-bot")
    sc.change(-2600, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "invoice-render-exec", "iam-hardening-bot")
    sc.change(-2594, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", "invoice-render-exec", "iam-hardening-bot")
    sc.alarm("invoice-jobs-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": "invoice-jobs"},
             "Maximum", 60, 5, 900, after=T, desc="invoice jobs waiting > 15 min")
    sc.alarm("invoice-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-mailer"}, "Sum", 300, 1, 3,
             state_changed=-60000)
    sc.expect = {"alarm": "invoice-jobs-oldest-message",
                 "root_cause": {"category": "permission_denied", "resource": ["invoice-render", "invoice-render-exec"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "invoice-render"}},
                               {"namespace": "AWS/SQS", "name": "ApproximateAgeOfOldestMessage",
                                "dimensions": {"QueueName": "invoice-jobs"}}]}
    sc.meta = {"front": "front (SQS queue age)", "decoys": [
        "invoice-mailer code deploy 9 min before the IAM change (its errors stay ~0)",
        "the same hardening bot also edited invoice-mailer-exec with no effect",
        "pre-existing ERROR 'font fallback: glyph not found' and WARN 'template cache miss' at a steady rate"],
        "story": "An IAM hardening automation rewrote the inline policy of role invoice-render-exec (PutRolePolicy + "
                 "DeleteRolePolicy of the legacy KMS statement) at -2600 s. Thirty seconds later every invoice-render "
                 "batch fails on the S3 PutObject of the rendered PDF with `AccessDenied ... not authorized to perform: "
                 "kms:GenerateDataKey ... because no identity-based policy allows`, the queue stops being drained, "
                 "messages cycle through their 6-minute visibility timeout and start landing in the DLQ, and the oldest "
                 "message age crosses 15 minutes. invoice-mailer's deploy and the same bot's edit of the mailer role are "
                 "harmless (the mailer keeps working). Not-authorized errors right after an IAM change: permission_denied; "
                 "the failing principal is invoice-render (role invoice-render-exec)."}
    return sc


def _frac(t, T):
    return min(1.0, max(0.0, (t + 60 - T) / 60.0))


# =====================================================================================================
def s04() -> Scenario:
    sc = Scenario(4, "storefront-5xx-session-redis-host", "eu-central-1",
                  "Storefront API 5xx alarm; customers cannot load carts or log in.", "2026-09-14T12:05:00")
    rng = sc.rng
    T = -1880
    rid_ec2, redis_ip = "i-0c4d2e8f19a7b3561", "10.20.4.117"
    sc.res("lambda", "session-api", runtime="nodejs20.x", handler="src/handler.main", timeout=10, memory_size=512,
           vpc="vpc-0e1c9a4d (private subnets)", environment={"REDIS_HOST": "session-redis-1.internal.shopmint",
                                                            "REDIS_CONNECT_TIMEOUT_MS": "1000"})
    sc.res("lambda", "catalog-api", runtime="nodejs20.x", timeout=10, memory_size=1024)
    sc.res("lambda", "search-indexer", runtime="python3.12", timeout=120, memory_size=1024, reserved_concurrency=10)
    sc.res("apigateway", "storefront-api", api_id="w2m8d4v6qa", stage="live")
    sc.res("ec2", rid_ec2, name="session-redis-1", instance_type="r6g.large", private_ip=redis_ip,
           role="self-managed Redis 7.2 (sessions)", log_groups=["/ec2/session-redis-1/redis"])
    sc.res("ec2", "i-0a7719e2c44b0d1f3", name="bastion-1", instance_type="t4g.small")
    sinv = counts(rng, lambda t: 138 + 30 * ramp(t, -21600, -7200) + 10 * wave(t, 3600))
    p_err = lambda t: 0.56 * min(1.0, max(0.0, (t + 60 - T) / 60.0))  # noqa: E731
    serr = {t: binom(rng, sinv[t], p_err(t)) if t + 60 > T else pois(rng, 0.05) for t in MINUTES}
    sdur = {t: (jit(rng, 24, 0.1) * (sinv[t] - serr[t]) + jit(rng, 3120, 0.04) * serr[t]) / max(1, sinv[t])
            for t in MINUTES}
    lambda_metrics(sc, "session-api", sinv, serr, sdur,
                   {t: pois(rng, 1.5 + serr[t] * 3.1 / 60 * 2.2) + 1 for t in MINUTES})
    cinv = counts(rng, lambda t: 205 + 40 * ramp(t, -21600, -7200) + 15 * wave(t, 3600, 1))
    lambda_metrics(sc, "catalog-api", cinv, {t: pois(rng, 0.1) for t in MINUTES},
                   {t: jit(rng, 71 if t < -2400 else 66, 0.06) for t in MINUTES}, {t: pois(rng, 3) + 1 for t in MINUTES})
    xinv = counts(rng, lambda t: 9.0)
    lambda_metrics(sc, "search-indexer", xinv, {t: 0 for t in MINUTES}, {t: jit(rng, 52000, 0.15) for t in MINUTES},
                   {t: 10 for t in MINUTES}, {t: pois(rng, 3.0) for t in MINUTES})
    count = {t: sinv[t] + cinv[t] for t in MINUTES}
    ilat = {t: (sdur[t] * sinv[t] + 68 * cinv[t]) / count[t] for t in MINUTES}
    apigw_metrics(sc, "storefront-api", count, {t: pois(rng, 4) for t in MINUTES},
                  {t: serr[t] + pois(rng, 0.1) for t in MINUTES}, {t: ilat[t] + jit(rng, 11, 0.2) for t in MINUTES},
                  ilat)
    down = lambda t: t + 60 > T + 45  # noqa: E731
    ec2_metrics(sc, rid_ec2, {t: (None if down(t) and t > T + 240 else (0.0 if down(t) else jit(rng, 11, 0.15)))
                              for t in MINUTES},
                {t: (None if down(t) and t > T + 240 else (0.0 if down(t) else jit(rng, 2.4e7, 0.12))) for t in MINUTES},
                sc_sys={t: (1 if down(t) else 0) for t in MINUTES}, sc_inst={t: (1 if down(t) else 0) for t in MINUTES})
    ec2_metrics(sc, "i-0a7719e2c44b0d1f3", {t: (jit(rng, 86, 0.05) if -3300 <= t <= -2940 else jit(rng, 2.5, 0.3))
                                            for t in MINUTES}, {t: jit(rng, 3.1e5, 0.3) for t in MINUTES})

    redis_stack = ["Socket.<anonymous> (/var/task/node_modules/ioredis/built/Redis.js:170:41)",
                   "Object.onceWrapper (node:events:633:28)", "Socket.emit (node:events:519:28)",
                   "Socket._onTimeout (node:net:589:8)", "listOnTimeout (node:internal/timers:573:17)",
                   "process.processTimers (node:internal/timers:514:7)"]
    retry_stack = ["Socket.<anonymous> (/var/task/node_modules/ioredis/built/redis/event_handler.js:182:37)",
                   "Object.onceWrapper (node:events:634:26)", "Socket.emit (node:events:519:28)",
                   "TCP.<anonymous> (node:net:339:12)"]
    routes_sess = ["GET /cart", "POST /cart/items", "GET /me", "POST /checkout/session", "POST /login"]
    routes_anon = ["GET /stores/nearby", "GET /health", "GET /config/public"]
    fl = FnLog(sc, "session-api", "nodejs20.x", 512, init=(260, 420),
               on_init=lambda t, v: [(t, "%s\tundefined\tINFO\tredis client configured host=session-redis-1.internal."
                                         "shopmint (%s:6379) connectTimeout=1000 maxRetriesPerRequest=3" % (sc.iso(t),
                                                                                                          redis_ip))])

    def make(t, r, kind):
        if kind == "err" and t + 60 > T:
            route = rng.choice(routes_sess)
            lines = [node(sc, t + 0.002, r, "INFO", "%s start" % route)]
            for k in range(3):
                lines.append(node(sc, t + 1.0 * (k + 1) + 0.01, r, "ERROR",
                                  "[ioredis] Unhandled error event: Error: connect ETIMEDOUT\n    at " +
                                  "\n    at ".join(redis_stack)))
            d = jit(rng, 3120, 0.03)
            lines.append(node_invoke_error(sc, t + d / 1000 - 0.002, r, "MaxRetriesPerRequestError",
                                           "Reached the max retries per request limit (which is 3). Refer to "
                                           "\"maxRetriesPerRequest\" option for details.", retry_stack))
            return {"dur": d, "mem": rng.uniform(96, 110), "lines": lines}
        if t + 60 > T or rng.random() < 0.3:
            route, ms = rng.choice(routes_anon), jit(rng, 14, 0.3)
            if t + 60 > T:
                return {"dur": ms, "mem": rng.uniform(92, 104),
                        "lines": [node(sc, t + ms / 1000, r, "INFO", "%s 200 %dms" % (route, ms))]}
        else:
            route, ms = rng.choice(routes_sess), jit(rng, 26, 0.3)
        lines = [node(sc, t + ms / 1000, r, "INFO", "%s 200 %dms session=%s" % (
            route, ms, rng.choice(["hit", "hit", "hit", "miss"])))]
        if rng.random() < 0.02:
            lines.insert(0, node(sc, t + 0.001, r, "WARN", "JWT for user u_%d expires in < 60s; client should refresh"
                                 % rng.randint(10 ** 5, 10 ** 6)))
        return {"dur": ms, "mem": rng.uniform(92, 108), "lines": lines}
    drive(sc, fl, sinv, serr, 0.07, -9000, make, n_envs=lambda t: 5)
    simple_fn(sc, "catalog-api", "nodejs20.x", 1024, cinv, lambda t: jit(rng, 68, 0.2),
              lambda t, r, d: [node(sc, t + d / 1000, r, "INFO", "GET /products/%d 200 %dms build=%s" % (
                  rng.randint(1000, 99999), d, "c-512" if t >= -2400 else "c-511"))], start=-5400, frac=0.02)
    ev, t = [], -21590.0
    while t < T:
        d = sc.at(t)
        stamp = d.strftime("%d %b %Y %H:%M:%S.") + "%03d" % (d.microsecond // 1000)
        pid = rng.randint(40000, 60000)
        ev += [(t, "1:M %s * 100 changes in 300 seconds. Saving..." % stamp),
               (t + 0.002, "1:M %s * Background saving started by pid %d" % (stamp, pid)),
               (t + 0.9, "%d:C %s * DB saved on disk" % (pid, stamp)),
               (t + 1.0, "1:M %s * Background saving terminated with success" % stamp)]
        t += 300 + rng.uniform(-2, 2)
    sc.log("/ec2/session-redis-1/redis", rid_ec2, ev)
    sc.lambda_change(-2400, "catalog-api", "UpdateFunctionCode20150331v2", "gitlab-ci")
    sc.change(-3320, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", "i-0a7719e2c44b0d1f3", "patch-manager")
    sc.alarm("storefront-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "storefront-api"}, "Sum", 60, 3, 25,
             after=T - 60, desc="storefront-api live stage 5xx")
    sc.alarm("search-indexer-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "search-indexer"}, "Sum", 300, 1,
             5, after=-21600, state="ALARM", state_changed=-20900)
    sc.expect = {"alarm": "storefront-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [rid_ec2, "session-redis-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": {"InstanceId": rid_ec2}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "session-api"}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": [
        "catalog-api deploy 9 min before onset on the same API (its errors stay flat)",
        "search-indexer throttling at its reserved concurrency all day, alarm in ALARM since the morning",
        "bastion-1 CPU spike from an SSM patch run ~25 min before onset"],
        "story": "At -1880 s the EC2 host running the self-managed session Redis (session-redis-1) failed: "
                 "StatusCheckFailed_System goes to 1, CPU and network drop to zero and then stop reporting, and the Redis "
                 "log (a BGSAVE every 5 minutes all morning) goes silent. session-api's routes that need a session "
                 "spend ~3.1 s on three 1 s connect attempts (`[ioredis] Unhandled error event: Error: connect "
                 "ETIMEDOUT`) and fail with `MaxRetriesPerRequestError`, well inside the 10 s function timeout; "
                 "anonymous routes still succeed, so about 56% of session-api calls fail and API Gateway 5XX fires. "
                 "Nothing on the Redis box is exhausted - it is unreachable. A downstream dependency timing out: "
                 "dependency_failure, origin the Redis instance."}
    return sc
