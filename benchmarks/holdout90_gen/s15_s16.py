"""15: partner menu publishing (API Gateway → Node Lambda → OpenSearch on EC2); 16: voucher redemption (Ruby
Lambda) on the promo Postgres."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg

from .kit import (GRID, H90, SYD, LambdaLogs, apigw, describe, ec2, every, expect, jline, lambda_fn, lambda_logs,
                  ramp, rds, rush, stream)


def build_15() -> H90:
    sc = H90(15, "partner-menu-publish", "Partner menu API 5XX alarm in Sydney; restaurants' menu edits are not "
             "going live.", SYD, 9015, "2026-03-26T08:10:00")
    rng = sc.rng
    api, fn, other = "partner-menu-gw", "menu-publish", "courier-app-gw"
    iid = "i-0" + sc.hexid(16)
    node_ip = "10.20.4.17"
    down = -2000
    dead = lambda t: t >= down  # noqa: E731
    v = lambda_fn(sc, fn, "nodejs20.x", 512, 10, lambda t: 48 * rush(t), lambda t: 0.002 + 0.9 * dead(t),
                  lambda t: 180 + 2850 * dead(t), vpc=True)
    e4 = [float(round(n * 0.015)) for n in v["inv"]]
    apigw(sc, api, [n + a for n, a in zip(v["inv"], e4)], e4, list(v["err"]), lambda t: 210 + 2850 * dead(t),
          stage="v1", type="REST")
    ocount = [float(round(600 * rush(t))) for t in GRID]
    apigw(sc, other, ocount, [float(round(c * 0.01)) for c in ocount], [0.0 for _ in GRID], lambda t: 140.0,
          stage="prod", type="REST")
    ec2(sc, iid, "search-node-1", "r6g.xlarge", lambda t: 0.4 if dead(t) else 24 + 14 * rush(t),
        lambda t: 2.0e4 if dead(t) else 3.1e7 * rush(t), status=lambda t: 1 if dead(t) else 0,
        mem=lambda t: None if dead(t) else 56.0, disk=lambda t: None if dead(t) else 38.0,
        status_system=lambda t: 1 if dead(t) else 0, role="OpenSearch 2.13 single node", private_ip=node_ip,
        log_groups=["/search/opensearch"])
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(121, 8))

    def body(ll, t, rid, is_err, cold):
        rest, ver = f"r_{rng.randint(10000, 60000)}", rng.randint(20, 400)
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", f"publish menu restaurant={rest} version={ver} items={rng.randint(20, 260)}"))]
        if rng.random() < 0.1:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "WARN", f"image resize queue lag {rng.randint(30, 70)}s, publishing "
                                                             "with previous thumbnails")))
        if is_err and dead(t):
            kind = rng.random() < 0.6
            msg = (f"ConnectionError: connect ETIMEDOUT {node_ip}:9200" if kind else
                   "TimeoutError: Request timed out")
            d = 3000 + rng.uniform(2, 40)
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", f"index update failed for {rest}: {msg} "
                                                                        "(node https://" + node_ip + ":9200)")))
            lines.append((d / 1000 + 0.002, ll.fmt(t + d / 1000 + 0.002, rid, "INFO", "responding 503 to API Gateway")))
            return {"lines": lines, "dur": d + 6}
        if is_err:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "ERROR", "menu payload rejected: 'price_cents' missing on 1 item "
                                                               "(responding 500)")))
            return {"lines": lines, "dur": 60}
        d = max(60, rng.gauss(180, 40))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"indexed {rest} in {d - 20:.0f} ms")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, ll, v, body, sample=0.2)
    grp = "/search/opensearch"

    def osl(level, logger, msg):
        def f(t):
            d = sc.at(t)
            return (f"[{d.strftime('%Y-%m-%dT%H:%M:%S')},{d.microsecond // 1000:03d}][{level:<5}][{logger}] "
                    f"[search-node-1] {msg() if callable(msg) else msg}")
        return f
    stream(sc, grp, iid, lambda t: 0 if dead(t) else 1.2, osl("WARN", "o.o.m.j.JvmGcMonitorService",
           lambda: f"[gc][{rng.randint(40000, 90000)}] overhead, spent [{rng.randint(260, 520)}ms] collecting in the "
                   "last [1s]"), end=down)
    stream(sc, grp, iid, lambda t: 0 if dead(t) else 2.0, osl("INFO", "o.o.c.m.MetadataMappingService",
           lambda: f"[menus-v7/{sc.hexid(8)}] update_mapping [_doc]"), end=down)
    every(sc, grp, iid, 600, osl("INFO", "o.o.i.e.Engine", "flushed translog for [menus-v7][0]"), end=down, offset=120)
    sc.change(down - 55, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", other, "terraform-ci")
    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-catalog")
    sc.alarm("partner-menu-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Partner menu API server errors")
    sc.alarm("search-node-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Maximum", 60, 2, 1,
             "GreaterThanOrEqualToThreshold")
    expect(sc, "partner-menu-gw-5xx", "dependency_failure", [iid, "search-node-1"],
           [("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    describe(sc, front="front (API Gateway → Lambda → EC2)",
             decoys="UpdateStage on another API 55 s before onset; menu-publish deploy 4 h earlier; OpenSearch GC "
                    "overhead warnings for hours; steady 'image resize queue lag' warnings; rare payload-validation "
                    "500s long before",
             services="API Gateway REST, Lambda (Node.js), EC2 (OpenSearch, JVM log format)",
             story="The partner menu API's 5XX alarm fires. menu-publish answers 503 because every index update fails "
                   f"with `ConnectionError: connect ETIMEDOUT {node_ip}:9200` or `Request timed out` after its 3 s client "
                   "timeout (the function itself is far from its 10 s limit). The node at that address, search-node-1, "
                   "fails its system status check from the same minute: its CPU and network drop to nothing, its "
                   "agent metrics and its OpenSearch log simply stop. Before that the node was unremarkable — memory "
                   "flat at 56 % and the same GC-overhead warnings it had logged all afternoon. No change touched the "
                   "node or the function; the stage update is on the courier API.",
             judgement="The instance failed (system status check, i.e. the host) rather than running out of a "
                       "resource, so the callers' timeouts are a dependency failure whose origin is the EC2 instance.")
    return sc


def build_16() -> H90:
    sc = H90(16, "voucher-redeem-campaign", "Voucher redemption Lambda errors alarm in Sydney during the dinner "
             "promo; customers' vouchers fail at checkout.", SYD, 9016, "2026-03-27T08:35:00")
    rng = sc.rng
    fn, db, other = "voucher-redeem", "promo-pg", "ops-analytics-pg"
    onset = -2300
    hot = lambda t: ramp(t, onset, onset + 240)  # noqa: E731
    v = lambda_fn(sc, fn, "ruby3.3", 512, 15, lambda t: 115 * rush(t), lambda t: 0.001 + 0.34 * hot(t),
                  lambda t: 62 + 2300 * hot(t), vpc=True)
    rds(sc, db, lambda t: 30 + 16 * rush(t) + 75 * hot(t), lambda t: 70 + 35 * rush(t) + 160 * hot(t),
        lambda t: 310.0, rlat=lambda t: 0.0008 + 0.004 * hot(t), queue=lambda t: 0.3 + 2.5 * hot(t),
        engine="postgres", engine_version="16.3", instance_class="db.m6g.large", max_connections=1700,
        allocated_storage_gb=400)
    rds(sc, other, lambda t: 12 + 4 * rush(t), lambda t: 9.0, lambda t: 800.0, engine="postgres",
        instance_class="db.r6g.large", max_connections=1600, allocated_storage_gb=1000)
    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 15, mem_used=(142, 9))

    def body(ll, t, rid, is_err, cold):
        code, cust = rng.choice(["DINNER25", "FEAST10", "SYDNEYEATS", "FREEDEL5"]), f"cus_{sc.hexid(10)}"
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"redeem code={code} customer={cust}"))]
        if is_err and hot(t) > 0:
            lines.append((2.0, ll.fmt(t + 2.0, rid, "ERROR", "Error raised from handler method")))
            lines.append((2.001, jline({"errorMessage": "ERROR:  canceling statement due to statement timeout\n",
                                        "errorType": "Function<PG::QueryCanceled>",
                                        "stackTrace": ["/var/task/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/lib/pg/"
                                                       "connection.rb:242:in `exec_params'",
                                                       "/var/task/lib/vouchers/redeemer.rb:48:in `already_redeemed?'",
                                                       "/var/task/handler.rb:17:in `handler'"]})))
            return {"lines": lines, "dur": 2000 + rng.uniform(5, 60)}
        if is_err:
            lines.append((0.03, ll.fmt(t + 0.03, rid, "ERROR", "Error raised from handler method")))
            lines.append((0.031, jline({"errorMessage": "Net::ReadTimeout with #<TCPSocket:(closed)>",
                                        "errorType": "Function<Net::ReadTimeout>",
                                        "stackTrace": ["/var/task/lib/vouchers/fraud_check.rb:22:in `score'"]})))
            return {"lines": lines, "dur": 3000}
        if rng.random() < 0.05:
            lines.append((0.03, ll.fmt(t + 0.03, rid, "WARN", "PG::UniqueViolation: ERROR:  duplicate key value violates "
                                                             "unique constraint \"voucher_redemptions_pkey\" (double tap, "
                                                             "treating as success)")))
        d = max(20, rng.gauss(62 + 900 * hot(t), 20 + 300 * hot(t)))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"redeemed code={code} discount_cents="
                                                                  f"{rng.randint(300, 2500)}")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, ll, v, body, sample=0.08)
    grp = f"/aws/rds/instance/{db}/postgresql"

    def slow(t):
        c = f"10.60.{rng.randint(8, 11)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"
        return pg(sc, t, "LOG", f"duration: {rng.uniform(1200, 4800):.3f} ms  execute <unnamed>: SELECT 1 FROM "
                                "voucher_redemptions WHERE voucher_code = $1 AND customer_id = $2 LIMIT 1",
                  client=c, user="promo_app", db="promo")
    stream(sc, grp, f"{db}.0", lambda t: 6.0 * hot(t), slow)
    stream(sc, grp, f"{db}.0", lambda t: 0.08, lambda t: pg(sc, t, "LOG", "duration: {:.3f} ms  statement: SELECT "
           "campaign_id, sum(discount_cents) FROM voucher_redemptions GROUP BY 1".format(rng.uniform(1000, 1500)),
           client="10.60.2.14(40112)", user="bi_reader", db="promo"))
    sc.log(grp, f"{db}.0", onset - 35, pg(sc, onset - 35, "LOG", "automatic analyze of table "
           "\"promo.public.voucher_redemptions\" avg read rate: 41.225 MB/s, avg write rate: 0.000 MB/s buffer usage: "
           "31552 hits, 4220 misses, 0 dirtied system usage: CPU: user: 1.12 s, system: 0.08 s, elapsed: 1.61 s",
           pid=28113))
    every(sc, grp, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(400, 1500)} "
          "buffers; 0 WAL file(s) added, 0 removed, 1 recycled; write=26.8 s, sync=0.006 s", pid=377), offset=44)
    sc.change(onset - 80, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", other, "terraform-ci")
    sc.change(-12000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-promo")
    sc.alarm("voucher-redeem-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Voucher redemption failures")
    expect(sc, "voucher-redeem-errors", "cpu_saturation", [db],
           [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="front (calling Lambda → RDS)",
             decoys="ModifyDBInstance on another database 80 s before onset; voucher-redeem's deploy 3 h earlier; "
                    "WARN-level UniqueViolation double taps all afternoon; connections rising (but far from the limit)",
             services="Lambda (Ruby), RDS PostgreSQL",
             story="voucher-redeem's Errors alarm fires with `PG::QueryCanceled: canceling statement due to statement "
                   "timeout` from its already-redeemed check. promo-pg's CPU goes from ~45 % to a flat 99-100 % in "
                   "four minutes, right after autovacuum's automatic analyze of voucher_redemptions; from then the "
                   "Postgres log fills with multi-second executions of the same lookup. Connections rise as queries "
                   "pile up but stay near 260 of 1700; storage and I/O are unremarkable. The ModifyDBInstance 80 s "
                   "earlier is on ops-analytics-pg, whose metrics do not move; the function's last deploy was three "
                   "hours ago.",
             judgement="From the Lambda's side this looks like a dependency failure, but the dependency is itself "
                       "exhausted (CPU pinned), so the table's cpu_saturation applies with the database as origin. "
                       "The plan change after the automatic analyze is the likely trigger but is not a CloudTrail "
                       "change or deployment.")
    return sc


BUILDERS = [build_15, build_16]
