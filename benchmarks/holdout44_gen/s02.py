"""h44-02: payments writes fail after a Route 53 private record was repointed at the read replica."""
from __future__ import annotations

import json

from .common import (ACCOUNT, TIMES, Rng, Scenario, diurnal, iso, pg_ts, ramp)
from .kit import apigw_metrics, py_info, py_unhandled, py_warn, rds_set, sim_lambda

REGION = "us-east-1"
ZONE = "Z08123472K3JQ5R1PX2MB"
T0 = -2040
PRIMARY_IP, REPLICA_IP = "10.20.11.38", "10.20.12.91"
P_HOST = "payments-db.c8x2k1p0qz.us-east-1.rds.amazonaws.com"
R_HOST = "payments-db-replica-1.c8x2k1p0qz.us-east-1.rds.amazonaws.com"


def build() -> dict:
    rng = Rng(4402)
    sc = Scenario("h44-02-payments-dns-points-at-replica", REGION,
                  "Card captures failing for merchants; payment-capture Errors alarm fired and the payments "
                  "API is returning 502s.")
    vpc = {"vpc_id": "vpc-0c3d5e7f9a1b2c4d6", "subnet_ids": ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
           "security_group_ids": ["sg-0e4c6a8b0d2f41357 (payments-lambda-sg)"]}
    env = {"DB_HOST": "payments-db.prod.internal", "DB_PORT": "5432", "DB_NAME": "payments",
           "DB_SECRET_ID": "prod/payments/app", "POWERTOOLS_SERVICE_NAME": "payments"}
    sc.res("lambda", "payment-capture", runtime="python3.12", handler="handler.lambda_handler", timeout=15,
           memory_size=512, environment=dict(env, STRIPE_API_BASE="https://api.stripe.com"), vpc_config=vpc,
           triggers=["apigateway payments-api POST /v1/captures"])
    sc.res("lambda", "refund-worker", runtime="python3.12", handler="worker.handle", timeout=30, memory_size=512,
           environment=env, vpc_config=vpc, triggers=["sqs payments-refunds"])
    sc.res("lambda", "payments-reporting", runtime="python3.12", handler="report.handle", timeout=120,
           memory_size=1024, environment=dict(env, DB_HOST="payments-reporting.prod.internal", REPORT_BATCH_SIZE="5000"),
           vpc_config=vpc, triggers=["eventbridge schedule rate(1 minute)"])
    sc.res("apigateway", "payments-api", api_id="q3n8v1x6ke", stage="prod", endpoint_type="REGIONAL",
           integrations={"POST /v1/captures": "lambda payment-capture (proxy)"})
    sc.res("rds", "payments-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
           max_connections=3300, allocated_storage_gb=500, multi_az=True, endpoint=P_HOST, role="primary",
           tags={"dns-name": "payments-db.prod.internal", "team": "payments"})
    sc.res("rds", "payments-db-replica-1", engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
           max_connections=1600, allocated_storage_gb=500, endpoint=R_HOST, role="read replica",
           replication_source="payments-db", tags={"dns-name": "payments-reporting.prod.internal", "team": "payments"})

    f = lambda t: 0.96 * ramp(t, T0 + 50, 780)        # warm environments keep old connections for a while

    def cap_body(t, rid, is_err, d):
        lines = []
        ip = REPLICA_IP if is_err else PRIMARY_IP
        if rng.random() < (0.45 if is_err else 0.06):
            lines.append((0.004, py_info(t, rid, f"db: connected to payments-db.prod.internal ({ip}) in {rng.randint(9, 19)} ms")))
        pi = "pi_3" + rng.hexs(20)
        amt = f"{rng.choice([9.99, 12.5, 24.0, 49.9, 119.0, 7.25, 310.4]):.2f}"
        lines.append((0.006, py_info(t, rid, f"capture request intent={pi} amount={amt} EUR merchant=m_{rng.randint(1000, 9999)}")))
        if is_err:
            lines.append((d / 1000 - 0.005, py_unhandled(
                "ReadOnlySqlTransaction", "cannot execute INSERT in a read-only transaction",
                [("/var/task/handler.py", 58, "lambda_handler", "capture_id = ledger.record_capture(conn, intent, amount)"),
                 ("/var/task/payments/ledger.py", 131, "record_capture", "cur.execute(INSERT_CAPTURE_SQL, params)")])))
        elif rng.random() < 0.035:
            lines.append((d / 1000 - 0.01, py_warn(t, rid, f"capture declined intent={pi} decline_code="
                                                   f"{rng.choice(['insufficient_funds', 'card_declined', 'expired_card'])}; returning 402")))
        else:
            lines.append((d / 1000 - 0.01, py_info(t, rid, f"capture recorded intent={pi} capture_id=cap_{rng.hexs(14)} status=succeeded")))
        return lines, None
    cap = sim_lambda(sc, rng, "payment-capture", rate=lambda t: 24 * diurnal(t, 0.15, -6000), err=f,
                     dur=lambda t, e: rng.gauss(48, 8) if e else rng.gauss(420, 90), body=cap_body,
                     mem_used=(118, 131), log_from=-6300, streams=3)

    def ref_body(t, rid, is_err, d):
        rf = "re_" + rng.hexs(16)
        lines = [(0.003, py_info(t, rid, f"processing refund {rf} batch=1 source=sqs"))]
        if is_err:
            lines.append((d / 1000 - 0.004, py_unhandled(
                "ReadOnlySqlTransaction", "cannot execute UPDATE in a read-only transaction",
                [("/var/task/worker.py", 41, "handle", "refunds.mark_settled(conn, msg)"),
                 ("/var/task/payments/refunds.py", 88, "mark_settled", "cur.execute(UPDATE_REFUND_SQL, (rf_id, now))")])))
        else:
            lines.append((d / 1000 - 0.004, py_info(t, rid, f"refund {rf} settled")))
        return lines, None
    sim_lambda(sc, rng, "refund-worker", rate=lambda t: 4.0, err=f, dur=lambda t, e: rng.gauss(40, 6) if e else rng.gauss(260, 50),
               body=ref_body, mem_used=(104, 112), log_from=-6300, streams=1)

    def rep_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, "report window=1m host=payments-reporting.prod.internal")),
                (d / 1000 - 0.01, py_info(t, rid, f"exported {rng.randint(900, 1500)} rows to s3://acme-payments-reports/daily/"))], None
    sim_lambda(sc, rng, "payments-reporting", rate=lambda t: 1.0, dur=lambda t, e: rng.gauss(2100, 300), body=rep_body,
               memory=1024, mem_used=(233, 260), log_from=-6300, streams=1)

    # API Gateway in front of payment-capture
    cnt, e4, e5, lat, ilat = {}, {}, {}, {}, {}
    for t in TIMES:
        n, e = cap["inv"][t], cap["err"][t]
        cnt[t], e5[t], e4[t] = n + rng.poisson(0.6), e, rng.poisson(n * 0.035)
        if t in cap["dur"]:
            ilat[t] = cap["dur"][t] + rng.uniform(8, 15)
            lat[t] = ilat[t] + rng.uniform(4, 9)
    apigw_metrics(sc, "payments-api", cnt, e4, e5, lat, ilat)

    # RDS
    rds_set(sc, rng, "payments-db", cpu=lambda t: 31 * diurnal(t, 0.12) - 12 * f(t), conns=lambda t: 141 - 44 * f(t),
            free_gb=lambda t: 302.5, freeable_gb=lambda t: 11.8,
            extra={"WriteIOPS": ("Count/Second", lambda t: 910 - 640 * f(t), {"rel": 0.06}),
                   "ReadIOPS": ("Count/Second", lambda t: 340 - 90 * f(t), {"rel": 0.08})})
    rds_set(sc, rng, "payments-db-replica-1", cpu=lambda t: 12 + 4 * f(t), conns=lambda t: 22 + 47 * f(t),
            free_gb=lambda t: 302.9, freeable_gb=lambda t: 5.1,
            extra={"ReplicaLag": ("Seconds", lambda t: 0.12, {"rel": 0.3}),
                   "ReadIOPS": ("Count/Second", lambda t: 160, {"rel": 0.1})})

    # postgres logs
    pre = lambda t, ip, user, pid, lvl: f"{pg_ts(t)}:{ip}({rng.randint(30000, 65000)}):{user}@payments:[{pid}]:{lvl}:  "
    prim, repl = [], []
    for m in range(-6300, 0, 60):
        if m % 300 == 0:
            prim.append((m + 12, f"{pg_ts(m + 12)}::@:[421]:LOG:  checkpoint complete: wrote {rng.randint(2100, 3900)} buffers "
                                 f"({rng.uniform(1.1, 2.6):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randint(1, 3)} recycled; "
                                 f"write={rng.uniform(26, 29):.3f} s, sync=0.0{rng.randint(10, 40)} s, total={rng.uniform(27, 30):.3f} s"))
            repl.append((m + 40, f"{pg_ts(m + 40)}::@:[388]:LOG:  restartpoint complete: wrote {rng.randint(1800, 3600)} buffers "
                                 f"({rng.uniform(1.0, 2.4):.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled"))
        n_conn = rng.poisson(1.4)
        for _ in range(n_conn):
            tt = m + rng.uniform(0, 59)
            to_rep = tt > T0 + 60 and rng.random() < min(1.0, f(tt) + 0.05)
            ip = rng.choice(["10.20.33.17", "10.20.34.202", "10.20.33.95", "10.20.34.61"])
            line = pre(tt, ip, "payments_app", rng.randint(20000, 40000), "LOG") + \
                "connection authorized: user=payments_app database=payments SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
            (repl if to_rep else prim).append((tt, line))
    for ln in sc.d["logs"]:
        if ln["group"] in ("/aws/lambda/payment-capture", "/aws/lambda/refund-worker"):
            for t, s in ln["events"]:
                if "read-only transaction" in s and "Traceback" in s:
                    verb = "INSERT" if "INSERT" in s else "UPDATE"
                    pid = rng.randint(20000, 40000)
                    ip = rng.choice(["10.20.33.17", "10.20.34.202", "10.20.33.95"])
                    stmt = ("INSERT INTO captures (intent_id, merchant_id, amount_minor, currency, captured_at) VALUES ($1, $2, $3, $4, now()) RETURNING id"
                            if verb == "INSERT" else "UPDATE refunds SET status = 'settled', settled_at = $2 WHERE refund_id = $1")
                    repl.append((t - 0.004, pre(t - 0.004, ip, "payments_app", pid, "ERROR") + f"cannot execute {verb} in a read-only transaction"))
                    repl.append((t - 0.0039, pre(t - 0.0039, ip, "payments_app", pid, "STATEMENT") + stmt))
    sc.log("/aws/rds/instance/payments-db/postgresql", "payments-db.0", prim)
    sc.log("/aws/rds/instance/payments-db-replica-1/postgresql", "payments-db-replica-1.0", repl)

    # Route 53 Resolver query logs
    q = []
    names = [("payments-db.prod.internal", 0.55), ("payments-reporting.prod.internal", 0.1),
             ("secretsmanager.us-east-1.amazonaws.com", 0.15), ("api.stripe.com", 0.2)]
    for m in range(-7200, 0, 60):
        for _ in range(rng.poisson(4)):
            tt = m + rng.uniform(0, 59)
            qn = rng.pick(names)
            if qn == "payments-db.prod.internal":
                tgt, ip = (R_HOST, REPLICA_IP) if tt > T0 + 5 else (P_HOST, PRIMARY_IP)
                ans = [{"Rdata": tgt + ".", "Type": "CNAME", "Class": "IN"}, {"Rdata": ip, "Type": "A", "Class": "IN"}]
            elif qn == "payments-reporting.prod.internal":
                ans = [{"Rdata": R_HOST + ".", "Type": "CNAME", "Class": "IN"}, {"Rdata": REPLICA_IP, "Type": "A", "Class": "IN"}]
            elif qn.startswith("secrets"):
                ans = [{"Rdata": "10.20.40.12", "Type": "A", "Class": "IN"}]
            else:
                ans = [{"Rdata": rng.choice(["54.187.174.169", "54.187.205.235", "54.187.216.72"]), "Type": "A", "Class": "IN"}]
            rec = {"version": "1.100000", "account_id": ACCOUNT, "region": REGION, "vpc_id": "vpc-0c3d5e7f9a1b2c4d6",
                   "query_timestamp": iso(tt), "query_name": qn + ".", "query_type": "A", "query_class": "IN",
                   "rcode": "NOERROR", "answers": ans, "srcaddr": rng.choice(["10.20.33.17", "10.20.34.202", "10.20.33.95"]),
                   "srcport": str(rng.randint(30000, 65000)), "transport": "UDP",
                   "srcids": {"resolver_endpoint": "rslvr-in-5e1f0c2d3a4b6c7d8"}}
            q.append((tt, json.dumps(rec, separators=(",", ":"))))
    sc.log("/aws/route53resolver/prod-vpc-query-logs", "vpc-0c3d5e7f9a1b2c4d6_rqlc-4a7e91b3d2c05f86", q)

    sc.change(-12600, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "payments-db-replica-1", "terraform-payments")
    sc.change(-3300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "payments-reporting", "terraform-payments")
    sc.change(T0, "route53.amazonaws.com", "ChangeResourceRecordSets", "AWS::Route53::HostedZone", ZONE, "k.brandt")
    sc.alarm("payment-capture-errors", "AWS/Lambda", "Errors", {"FunctionName": "payment-capture"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "ALARM", T0 + 330, description="payment-capture Lambda errors (payments on-call)")
    sc.alarm("payments-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "payments-api"}, "Sum", 300, 1, 25,
             "GreaterThanThreshold", "ALARM", T0 + 600)
    sc.alarm("payments-db-replica-1-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": "payments-db-replica-1"},
             "Maximum", 60, 5, 30, "GreaterThanThreshold", "OK", -86000)
    sc.expect("payment-capture-errors", "config_change", [ZONE, "prod.internal", "payments-db.prod.internal"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "payment-capture"}},
               {"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": "payments-db-replica-1"}}])
    return sc.done()
