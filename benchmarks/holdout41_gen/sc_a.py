"""Scenarios 01-03: alias move on a Java function, secret-id env var change on a Node function,
IAM hardening that removed KMS permissions from a Go function's role."""
from __future__ import annotations

from .common import (MINUTES, Scenario, apigw_metrics, binom, counts, hexs, jit, lambda_metrics, pois,
                     ramp, rds_metrics, rid, wave)
from .lambdalog import FnLog, drive, java, java_trace, node, node_invoke_error, py, simple_fn


def _share(t: int, T: float) -> float:
    """Fraction of the minute bucket starting at t that lies after T."""
    return min(1.0, max(0.0, (t + 60 - T) / 60.0))


# =====================================================================================================
def s01() -> Scenario:
    sc = Scenario(1, "payments-5xx-ledger-alias-move", "eu-west-1",
                  "Payments API returning 5xx on journal postings; the API Gateway 5XX alarm paged payments on-call.",
                  "2026-03-10T10:40:00")
    rng = sc.rng
    T = -1960  # alias 'live' moved 46 -> 47
    sc.res("lambda", "ledger-writer", runtime="java21", handler="com.acme.ledger.PostingHandler::handleRequest",
           timeout=29, memory_size=1536, reserved_concurrency=200, architectures=["arm64"],
           snap_start="PublishedVersions", aliases={"live": "47"})
    sc.res("lambda", "ledger-reader", runtime="java21", timeout=29, memory_size=1024, aliases={"live": "31"})
    sc.res("lambda", "ledger-reconciler", runtime="java21", timeout=300, memory_size=2048, aliases={"live": "13"})
    sc.res("lambda", "fx-snapshot", runtime="python3.12", timeout=60, memory_size=256)
    sc.res("apigateway", "payments-api", api_id="k7q2mz81ad", stage="prod", integration="AWS_PROXY (alias live)")
    sc.res("rds", "ledger-aurora-1", engine="aurora-postgresql", engine_version="15.4",
           instance_class="db.r6g.xlarge", max_connections=2000, rds_proxy="ledger-proxy")

    inv = counts(rng, lambda t: 92 + 20 * ramp(t, -21600, -3000) + 6 * wave(t, 5400))
    err = {t: binom(rng, inv[t], 0.34 * _share(t, T)) if t + 60 > T else pois(rng, 0.03) for t in MINUTES}
    ok_ms = {t: jit(rng, 172 + 12 * wave(t, 7200, 1), 0.06) for t in MINUTES}
    dur = {t: (ok_ms[t] * (inv[t] - err[t]) + 48.0 * err[t]) / max(1, inv[t]) for t in MINUTES}
    conc = {t: pois(rng, 2.4 + (4.0 if T - 60 <= t <= T + 180 else 0)) + 1 for t in MINUTES}
    lambda_metrics(sc, "ledger-writer", inv, err, dur, conc)
    rinv = counts(rng, lambda t: 58 + 8 * wave(t, 5400, 2))
    lambda_metrics(sc, "ledger-reader", rinv, {t: pois(rng, 0.02) for t in MINUTES},
                   {t: jit(rng, 96, 0.07) for t in MINUTES}, {t: pois(rng, 1.6) + 1 for t in MINUTES})
    cinv = counts(rng, lambda t: 2.0)
    lambda_metrics(sc, "ledger-reconciler", cinv, {t: 0 for t in MINUTES},
                   {t: jit(rng, 910 if t < -2680 else 760, 0.1) if cinv[t] else None for t in MINUTES},
                   {t: min(cinv[t], 2) for t in MINUTES})
    finv = {t: 1 for t in MINUTES}
    lambda_metrics(sc, "fx-snapshot", finv, {t: 0 for t in MINUTES}, {t: jit(rng, 410, 0.1) for t in MINUTES},
                   finv)
    count = {t: inv[t] + rinv[t] + pois(rng, 1.0) for t in MINUTES}
    e5 = {t: err[t] + pois(rng, 0.04) for t in MINUTES}
    e4 = {t: pois(rng, 2.2) for t in MINUTES}
    ilat = {t: (ok_ms[t] * (inv[t] - err[t]) + 60 * err[t] + 101 * rinv[t]) / max(1, inv[t] + rinv[t])
            for t in MINUTES}
    apigw_metrics(sc, "payments-api", count, e4, e5, {t: ilat[t] + jit(rng, 14, 0.2) for t in MINUTES}, ilat)
    rds_metrics(sc, "ledger-aurora-1", lambda t: jit(rng, 27 + 4 * wave(t, 5400), 0.1),
                lambda t: pois(rng, 176), None, lambda t: 18.2e9 + rng.gauss(0, 9e7),
                lambda t: jit(rng, 0.0009, 0.2), lambda t: jit(rng, 0.0016, 0.2),
                extra=[("FreeLocalStorage", "Bytes", lambda t: 61.8e9 + rng.gauss(0, 2e8))])

    # ---- logs: ledger-writer
    def boot(t, version):
        build = {"47": ("2026.03.10-1", "8c1f2e0"), "46": ("2026.03.04-2", "41aa9d3")}.get(version, ("dev", "-"))
        return [(t, "%s - %-5s c.a.ledger.Bootstrap - afterRestore: ledger-writer %s (git %s) re-priming "
                    "HikariCP pool against ledger-proxy" % (sc.stamp(t), "INFO", build[0], build[1]))]
    fl = FnLog(sc, "ledger-writer", "java21", 1536, init=(180, 420), snapstart=True, on_init=boot)
    frames = ["com.fasterxml.jackson.databind.exc.InvalidDefinitionException.from(InvalidDefinitionException.java:67)",
              "com.fasterxml.jackson.databind.DeserializationContext.reportBadDefinition(DeserializationContext.java:1887)",
              "com.fasterxml.jackson.databind.deser.BeanDeserializerBase.deserializeFromObjectUsingNonDefault(BeanDeserializerBase.java:1414)",
              "com.fasterxml.jackson.databind.deser.BeanDeserializer.deserializeFromObject(BeanDeserializer.java:352)",
              "com.fasterxml.jackson.databind.deser.std.CollectionDeserializer._deserializeFromArray(CollectionDeserializer.java:359)",
              "com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3753)",
              "com.acme.ledger.api.RequestMapper.toPostingRequest(RequestMapper.java:41)",
              "com.acme.ledger.PostingHandler.handleRequest(PostingHandler.java:58)",
              "com.acme.ledger.PostingHandler.handleRequest(PostingHandler.java:22)"]

    def make(t, r, kind):
        v = "47" if t >= T else "46"
        tenant, n = "t_%04d" % rng.randint(1, 2400), rng.choice([2, 2, 3, 4, 4, 6])
        jrn = "jrn_" + hexs(rng, 12)
        ccy = rng.choice(["EUR", "EUR", "EUR", "GBP", "USD"])
        lines = [java(sc, t + 0.004, r, "INFO", "c.a.ledger.PostingHandler",
                      "POST /v1/postings tenant=%s journal=%s entries=%d ccy=%s" % (tenant, jrn, n, ccy))]
        if kind == "err" and v == "47":
            msg = ("Cannot construct instance of `com.acme.ledger.model.FxLeg` (no Creators, like default constructor, "
                   "exist): cannot deserialize from Object value (no delegate- or property-based Creator)\n at [Source: "
                   "(String)\"{\"journal\":\"%s\",\"entries\":[...]\"; line: 1, column: %d] (through reference chain: "
                   "com.acme.ledger.api.PostingRequest[\"entries\"]->java.util.ArrayList[1]->com.acme.ledger.model."
                   "Entry[\"fxLeg\"])" % (jrn, rng.randint(180, 420)))
            d = jit(rng, 44, 0.2)
            lines.append(java(sc, t + d / 1000 - 0.003, r, "ERROR", "c.a.ledger.PostingHandler",
                              "Unable to map request body for journal %s" % jrn))
            lines.append((t + d / 1000 - 0.002, "%s: %s\n%s" % (
                msg.split("\n")[0], "com.fasterxml.jackson.databind.exc.InvalidDefinitionException",
                java_trace("com.fasterxml.jackson.databind.exc.InvalidDefinitionException", msg, frames))))
            return {"version": v, "dur": d, "mem": rng.uniform(300, 340), "lines": lines}
        d = jit(rng, ok_ms.get(t - (t - MINUTES[0]) % 60, 170), 0.25)
        if rng.random() < 0.07:
            lines.append(java(sc, t + 0.01, r, "WARN", "c.a.ledger.IdempotencyFilter",
                              "Idempotency key %s replayed within 24h, returning cached 201" % hexs(rng, 16)))
        if rng.random() < 0.035:
            lines.append(java(sc, t + 0.02, r, "ERROR", "c.a.ledger.fx.FxRateCache",
                              "FX snapshot stale (age=%ds > 60s) for %s/GBP; using last-known rate" % (
                                  rng.randint(61, 95), ccy)))
        lines.append(java(sc, t + d / 1000 - 0.002, r, "INFO", "c.a.ledger.PostingService",
                          "Committed journal %s (%d entries, balanced) in %d ms" % (jrn, n, int(d * 0.7))))
        return {"version": v, "dur": d, "mem": rng.uniform(290, 360), "lines": lines}
    drive(sc, fl, inv, err, 0.16, -9000, make, n_envs=lambda t: 4)

    def rec_lines(t, r, d):
        v = "13" if t >= -2680 else "12"
        return [java(sc, t + 0.01, r, "INFO", "c.a.recon.ReconcileJob", "build=%s batch=%s settlement lines=%d" % (
                    v, hexs(rng, 8), rng.randint(80, 400))),
                java(sc, t + d / 1000 - 0.01, r, "INFO", "c.a.recon.ReconcileJob",
                     "matched=%d unmatched=0 written to s3://acme-ledger-recon/%s/" % (rng.randint(80, 400),
                                                                                      sc.day(t)))]
    simple_fn(sc, "ledger-reconciler", "java21", 2048, cinv, lambda t: jit(rng, 910 if t < -2680 else 760, 0.1),
              rec_lines, start=-7200, version_fn=lambda t: "13" if t >= -2680 else "12")
    simple_fn(sc, "fx-snapshot", "python3.12", 256, finv, lambda t: jit(rng, 410, 0.1),
              lambda t, r, d: [py(sc, t + 0.3, r, "INFO", "Stored ECB snapshot 31 pairs, age=%ds" % rng.randint(2, 9))],
              start=-5400)
    # API GW access log sample
    ev = []
    for t in MINUTES[-60:]:
        for _ in range(rng.randint(5, 8)):
            ts = t + rng.uniform(0, 60)
            bad = ts >= T and rng.random() < 0.34 * inv[t] / max(1, count[t]) * 1.0
            path = "/v1/postings" if (bad or rng.random() < 0.6) else "/v1/balances/{account}"
            st = "502" if bad else ("201" if path == "/v1/postings" else "200")
            ev.append((ts, '{"requestId":"%s","ip":"10.40.%d.%d","requestTime":"%s","httpMethod":"%s","resourcePath":'
                           '"%s","status":"%s","responseLength":"%d","integrationLatency":"%d"%s}' % (
                               rid(rng), rng.randint(1, 9), rng.randint(2, 250),
                               sc.at(ts).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                               "POST" if path == "/v1/postings" else "GET", path, st,
                               36 if bad else rng.randint(200, 900), rng.randint(35, 60) if bad else rng.randint(80, 260),
                               ',"errorMessage":"Internal server error"' if bad else "")))
    sc.log("/aws/apigateway/payments-api/prod-access", "k7q2mz81ad-prod", ev)

    sc.lambda_change(-15120, "fx-snapshot", "UpdateFunctionConfiguration20150331v2", "aoife.doyle")
    sc.lambda_change(-2710, "ledger-reconciler", "UpdateFunctionCode20150331v2", "github-actions-ledger")
    sc.lambda_change(-2694, "ledger-reconciler", "PublishVersion20150331", "github-actions-ledger")
    sc.lambda_change(-2680, "ledger-reconciler", "UpdateAlias20150331", "github-actions-ledger")
    sc.lambda_change(-2052, "ledger-writer", "UpdateFunctionCode20150331v2", "github-actions-ledger")
    sc.lambda_change(-2031, "ledger-writer", "PublishVersion20150331", "github-actions-ledger")
    sc.lambda_change(T, "ledger-writer", "UpdateAlias20150331", "github-actions-ledger")
    sc.alarm("payments-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "payments-api"}, "Sum", 60, 3, 10,
             after=T - 120, desc="payments-api prod 5xx responses")
    sc.alarm("ledger-reconciler-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-reconciler"}, "Sum", 300,
             1, 0, state_changed=-86000)
    sc.expect = {"alarm": "payments-api-5xx", "root_cause": {"category": "bad_deployment", "resource": ["ledger-writer"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "ledger-writer"}},
                               {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": "payments-api"}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": [
        "ledger-reconciler code deploy + alias move 12 min before the writer's (its errors stay 0)",
        "pre-existing ERROR 'FX snapshot stale' in ledger-writer at the same ~3.5% rate before and after",
        "fx-snapshot env change 4 h earlier"],
        "story": "The CI pipeline published ledger-writer version 47 and moved alias `live` from 46 to 47 at -1960 s. "
                 "From then on every START line says `Version: 47` (fresh SnapStart restores with build 2026.03.10-1) and "
                 "about a third of postings - the cross-currency ones carrying an `fxLeg` - fail with Jackson "
                 "`InvalidDefinitionException: Cannot construct instance of FxLeg (no Creators...)`, a signature absent "
                 "under version 46. API Gateway turns the function errors into 502s, which is the alarm. The sibling "
                 "ledger-reconciler was deployed 12 minutes earlier and is the tempting answer, but its error count stays "
                 "at zero and the failing stack is in ledger-writer; the stale-FX ERROR line is loud but flat. A code/"
                 "version deployment immediately before a brand-new error signature: bad_deployment on ledger-writer."}
    return sc


# =====================================================================================================
def s02() -> Scenario:
    sc = Scenario(2, "notify-dispatcher-secret-id-env", "us-east-2",
                  "Order notification emails stopped going out; notify-dispatcher Errors alarm is firing.",
                  "2026-05-21T16:25:00")
    rng = sc.rng
    T = -2290
    sc.res("lambda", "notify-dispatcher", runtime="nodejs20.x", handler="index.handler", timeout=20, memory_size=512,
           event_source="SNS topic order-events (async invoke, 2 retries)",
           environment={"SECRET_ID": "prod/notifications/sendgrid-v2", "FROM_ADDRESS": "orders@shopmint.example",
                        "TEMPLATE_SET": "orders-2026q2"})
    sc.res("lambda", "digest-builder", runtime="python3.12", timeout=900, memory_size=1024, reserved_concurrency=5)
    sc.res("lambda", "order-events-fanout", runtime="nodejs20.x", timeout=10, memory_size=256)
    base = counts(rng, lambda t: 38 + 9 * wave(t, 10800, 0.5))
    # async invokes of failed events are retried twice (~1 and ~2-3 min later)
    f1 = {t: int(round(base[t] * _share(t, T))) for t in MINUTES}
    inv = {t: base[t] + f1.get(t - 60, 0) + f1.get(t - 180, 0) for t in MINUTES}
    err = {t: (f1[t] + f1.get(t - 60, 0) + f1.get(t - 180, 0)) if t + 60 > T else pois(rng, 0.02) for t in MINUTES}
    dur = {t: (jit(rng, 340, 0.08) * (inv[t] - err[t]) + jit(rng, 95, 0.1) * err[t]) / max(1, inv[t]) for t in MINUTES}
    lambda_metrics(sc, "notify-dispatcher", inv, err, dur, {t: pois(rng, 2.0 + inv[t] / 40.0) for t in MINUTES})
    sc.metric("AWS/Lambda", "AsyncEventAge", {"FunctionName": "notify-dispatcher"}, "Milliseconds",
              {t: (jit(rng, 95000, 0.25) if t >= T + 60 else jit(rng, 40, 0.3)) for t in MINUTES}, nd=0)
    # decoy: digest-builder pinned at its reserved concurrency of 5 during a long batch
    dinv = {t: (pois(rng, 6) if t >= -5400 else pois(rng, 0.4)) for t in MINUTES}
    dthr = {t: (pois(rng, 14) if t >= -5400 else 0) for t in MINUTES}
    lambda_metrics(sc, "digest-builder", dinv, {t: 0 for t in MINUTES},
                   {t: jit(rng, 48000, 0.2) if dinv[t] else None for t in MINUTES},
                   {t: (5 if t >= -5400 else min(dinv[t], 2)) for t in MINUTES}, dthr)
    finv = counts(rng, lambda t: 41 + 9 * wave(t, 10800, 0.5))
    lambda_metrics(sc, "order-events-fanout", finv, {t: 0 for t in MINUTES},
                   {t: jit(rng, 38, 0.1) for t in MINUTES}, {t: pois(rng, 1.2) + 1 for t in MINUTES})
    sc.metric("AWS/SNS", "NumberOfMessagesPublished", {"TopicName": "order-events"}, "Count",
              {t: base[t] + pois(rng, 0.5) for t in MINUTES}, nd=0)
    sc.metric("AWS/SNS", "NumberOfNotificationsFailed", {"TopicName": "order-events"}, "Count",
              {t: 0 for t in MINUTES}, nd=0)

    def boot(t, version):
        sid = "prod/notifications/sendgrid-v2" if t >= T else "prod/notifications/sendgrid"
        return [(t, "%s\tundefined\tINFO\tnotify-dispatcher starting: {\"secretId\":\"%s\",\"templateSet\":"
                    "\"orders-2026q2\",\"sdk\":\"@aws-sdk/client-secrets-manager@3.576.0\"}" % (sc.iso(t), sid))]
    fl = FnLog(sc, "notify-dispatcher", "nodejs20.x", 512, init=(210, 380), on_init=boot)
    stack = ["throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:838:20)",
             "/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:847:5",
             "de_CommandError (/var/runtime/node_modules/@aws-sdk/client-secrets-manager/dist-cjs/index.js:1103:14)",
             "process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
             "async getApiKey (/var/task/lib/secrets.js:19:20)",
             "async Runtime.handler (/var/task/index.js:27:17)"]
    kinds = ["order.confirmed", "order.confirmed", "order.shipped", "order.refunded"]

    def make(t, r, kind):
        oid = "ord_%08d" % rng.randint(10 ** 7, 10 ** 8 - 1)
        ev = rng.choice(kinds)
        lines = [node(sc, t + 0.002, r, "INFO", "Received SNS message %s type=%s order=%s" % (rid(rng), ev, oid))]
        if kind == "err" and t >= T:
            d = jit(rng, 95, 0.15)
            lines.append(node(sc, t + d / 1000 - 0.004, r, "ERROR",
                              "Failed to load SendGrid API key secretId=prod/notifications/sendgrid-v2"))
            lines.append(node_invoke_error(sc, t + d / 1000 - 0.002, r, "ResourceNotFoundException",
                                           "Secrets Manager can't find the specified secret.", stack,
                                           name="ResourceNotFoundException", **{"$fault": "client"},
                                           __type="ResourceNotFoundException"))
            return {"dur": d, "mem": rng.uniform(88, 96), "lines": lines, "pool": "post"}
        d = jit(rng, 340, 0.3)
        if rng.random() < 0.05:
            lines.append(node(sc, t + 0.03, r, "WARN", "Recipient %s@%s on suppression list, skipping" % (
                hexs(rng, 6), rng.choice(["gmail.com", "yahoo.com", "outlook.com"]))))
        else:
            lines.append(node(sc, t + d / 1000 - 0.01, r, "INFO", "Email accepted by SendGrid template=%s msgId=%s" % (
                ev.replace(".", "_"), hexs(rng, 22))))
        return {"dur": d, "mem": rng.uniform(90, 104), "lines": lines, "pool": "post" if t >= T else "pre"}
    # a configuration update recycles every environment (pool "pre" -> "post")
    drive(sc, fl, inv, err, 0.3, -8400, make,
          n_envs=lambda t: 3)
    simple_fn(sc, "digest-builder", "python3.12", 1024, dinv, lambda t: jit(rng, 48000, 0.2),
              lambda t, r, d: [py(sc, t + 0.5, r, "INFO", "digest shard %d/64 started" % rng.randint(1, 64)),
                               py(sc, t + d / 1000 - 0.2, r, "INFO", "digest shard built: %d recipients" %
                                  rng.randint(3000, 9000))], start=-7200, frac=0.5)
    sc.lambda_change(-5520, "digest-builder", "PutFunctionConcurrency20171031", "platform-terraform")
    sc.change(-5490, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "digest-builder-role", "platform-terraform")
    sc.lambda_change(T, "notify-dispatcher", "UpdateFunctionConfiguration20150331v2", "terraform-cloud")
    sc.alarm("notify-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": "notify-dispatcher"}, "Sum", 60, 3, 5,
             after=T - 120, desc="notify-dispatcher failing to send order emails")
    sc.alarm("digest-builder-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "digest-builder"}, "Sum", 300, 1,
             20, after=-5500)
    sc.expect = {"alarm": "notify-dispatcher-errors",
                 "root_cause": {"category": "config_change", "resource": ["notify-dispatcher"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": "notify-dispatcher"}}]}
    sc.meta = {"front": "origin", "decoys": [
        "digest-builder throttling at its reserved concurrency of 5 for 90 min, with its own alarm in ALARM",
        "PutFunctionConcurrency + PutRolePolicy on digest-builder ~1.5 h earlier",
        "Invocations of notify-dispatcher roughly triple (async retries), which looks like a surge"],
        "story": "terraform-cloud ran UpdateFunctionConfiguration on notify-dispatcher at -2290 s. Every environment "
                 "restarted (INIT_START) and the init log now prints secretId `prod/notifications/sendgrid-v2` instead "
                 "of `prod/notifications/sendgrid`; from that minute all invocations fail with Secrets Manager "
                 "`ResourceNotFoundException: Secrets Manager can't find the specified secret.` SNS async retries "
                 "triple the invocation count, so the spike in Invocations is an effect, not a surge. digest-builder's "
                 "throttles (its own alarm) are older, pinned at its reserved concurrency, and touch nothing here. "
                 "Errors that name a missing setting right after an env-var change: config_change on notify-dispatcher "
                 "(the secret service itself is healthy: the name is wrong)."}
    return sc
