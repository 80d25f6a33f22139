"""h89-03 (withdrawal signer loses kms:Sign after a role policy rewrite, alarm on the custody API)
and h89-04 (ledger Postgres out of connection slots at the open, alarm on a Java caller Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, pg

from .kit import (apigw_exec, apigw_metrics, ecs_metrics, emit, every, lambda_metrics, new,
                  py_traceback, pyjson, rds_metrics, sample_lambda)


def build_03():
    sc = new(3, "custody-api-5xx",
             "Withdrawals failing for customers; custody API 5xx alarm in ALARM.",
             "eu-west-1", "2026-03-12T14:40:00+00:00")
    fn, api = "wd-sign-submit", "custody-api"
    sc.resource("apigateway", api, stage="prod", api_id="k3v9q2w7xe")
    sc.resource("lambda", fn, runtime="python3.12", timeout=15, memory_size=512,
                role=f"arn:aws:iam::{sc.account}:role/wd-sign-submit-role")
    sc.resource("lambda", "wd-quote-fee", runtime="python3.12", timeout=6, memory_size=256)
    sc.resource("lambda", "addr-book-sync", runtime="python3.12", timeout=60, memory_size=256)
    IAM, DECOY, ON = -2470, -2430, -2440
    share = lambda t: 0.72 * ramp(t, ON, ON + 30)
    rate = lambda t: 38 + 6 * ramp(t, -9000, -7000)
    inv, err = lambda_metrics(sc, fn, inv=rate, err=lambda t: rate(t) * share(t),
                              dur=lambda t: 420 - 250 * share(t))
    lambda_metrics(sc, "wd-quote-fee", inv=lambda t: 85, err=lambda t: 0.1, dur=lambda t: 64)
    lambda_metrics(sc, "addr-book-sync", inv=lambda t: 2, err=lambda t: 0.0, dur=lambda t: 2300)
    apigw_metrics(sc, api, count=lambda t: 130 + rate(t), e4=lambda t: 3.2,
                  e5=lambda t: 0.1 + rate(t) * share(t), lat=lambda t: 380 - 180 * share(t))
    key = sc.uuid()
    chains = ["ETH", "ETH", "BTC", "BTC", "SOL", "TRX"]

    def body(ll, t, reqid, is_err, cold):
        chain = "ETH" if is_err else sc.rng.choice(chains)
        wd = f"wd_{sc.hexid(10)}"
        lines = [(0.004, f"[INFO]\t{sc.iso(t)}\t{reqid}\twithdrawal {wd} chain={chain} "
                         f"amount={sc.rng.uniform(0.01, 4):.6f} dest={sc.hexid(8)}...")]
        if sc.rng.random() < 0.2:
            lines.append((0.03, f"[WARNING]\t{sc.iso(t + 0.03)}\t{reqid}\tnonce cache miss for chain={chain}; "
                                f"refetching from node"))
        if is_err:
            exc = (f"ClientError: An error occurred (AccessDeniedException) when calling the Sign operation: "
                   f"User: arn:aws:sts::{sc.account}:assumed-role/wd-sign-submit-role/{fn} is not authorized "
                   f"to perform: kms:Sign on resource: arn:aws:kms:eu-west-1:{sc.account}:key/{key} because "
                   f"no identity-based policy allows the kms:Sign action")
            lines.append((0.12, py_traceback(exc, [
                ("/var/task/handler.py", 58, "lambda_handler", "signed = signer.sign(tx, chain)"),
                ("/var/task/custody/signer.py", 41, "sign", "resp = self.kms.sign(KeyId=self.key_for(chain), "
                                                             "Message=digest, MessageType='DIGEST',"),
                ("/var/runtime/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, "
                                                                              "operation_name)")])))
            return {"lines": lines, "dur": sc.rng.gauss(170, 25)}
        if sc.rng.random() < 0.05:
            lines.append((0.05, f"[WARNING]\t{sc.iso(t + 0.05)}\t{reqid}\twithdrawal {wd} rejected: insufficient "
                                f"available balance"))
            return {"lines": lines, "dur": sc.rng.gauss(90, 10)}
        lines.append((0.3, f"[INFO]\t{sc.iso(t + 0.3)}\t{reqid}\tsigned tx 0x{sc.hexid(16)} via kms; "
                           f"broadcast queued"))
        return {"lines": lines, "dur": sc.rng.gauss(410, 60)}

    sample_lambda(LambdaLogs(sc, fn, "python3.12", 512, 15, prewarm=-12480, mem_used=(118, 6)), inv, err, body)
    g, st = "API-Gateway-Execution-Logs_k3v9q2w7xe/prod", "k3v9q2w7xe-prod"

    def gw(t):
        r = sc.uuid()
        if t > ON and sc.rng.random() < share(t) * 0.8:
            return [apigw_exec(r, "Lambda execution failed with status 200 due to customer function error: An "
                                  "error occurred (AccessDeniedException) when calling the Sign operation"),
                    apigw_exec(r, "Method completed with status: 502")]
        return apigw_exec(r, f"Method completed with status: {sc.rng.choice([200] * 30 + [400, 401])}")
    emit(sc, g, st, lambda t: 2.5, gw)
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "wd-sign-submit-role", "terraform-ci")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "wd-quote-fee", "ci-deployer")
    sc.change(DECOY + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "wd-quote-fee", "ci-deployer")
    sc.change(-14200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.alarm("custody-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Custody API server errors")
    sc.alarm("wd-quote-fee-errors", "AWS/Lambda", "Errors", {"FunctionName": "wd-quote-fee"}, "Sum", 60, 3, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "custody-api-5xx", "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "front (API Gateway)", "services": ["apigateway", "lambda"], "origin_type": "lambda",
        "decoys": "wd-quote-fee code deploy 40 s after the IAM change (closer to onset); wd-sign-submit's own "
                  "deploy 4 h earlier; nonce-cache warnings and insufficient-balance rejections all along",
        "story": "custody-api's 5XXError jumps from ~0 to ~30 a minute. The errors are all wd-sign-submit "
                 "invocations for ETH withdrawals failing with AccessDeniedException: its role is not "
                 "authorized to perform kms:Sign on the ETH hot-wallet key; API Gateway's execution log "
                 "shows the customer-function error and 502. Thirty seconds before onset terraform-ci ran "
                 "PutRolePolicy on wd-sign-submit-role. wd-quote-fee was deployed even closer to onset but "
                 "its errors and duration never move; wd-sign-submit's last code deploy was followed by four "
                 "hours of clean signing.",
    }
    return sc


def build_04():
    sc = new(4, "balance-snapshot-errors",
             "Balance snapshot function failing after the open; users see stale balances.",
             "ap-southeast-1", "2026-03-13T01:50:00+00:00")
    db, fn, cl, svc = "ldg-core-01", "bal-snapshot", "settle-sg", "recon-worker"
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
                max_connections=400, allocated_storage_gb=1000)
    sc.resource("rds", "mkt-ref-01", engine="postgres", instance_class="db.t4g.large", max_connections=180)
    sc.resource("lambda", fn, runtime="java21", timeout=20, memory_size=1024, pool="HikariCP maximumPoolSize=10")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4)
    OPEN, FULL = -3000, -2340
    load = lambda t: 1 + 3.3 * ramp(t, OPEN, OPEN + 900)
    envs = lambda t: 8 * load(t) ** 1.05
    conns = lambda t: min(397.0, 42 + 8 + envs(t) * 10 + 3 * ramp(t, -9000, -8000))
    short = lambda t: max(0.0, 1 - (397 - conns(t)) / 9.0) if t > FULL - 200 else 0.0
    failing = lambda t: 0.58 * ramp(t, FULL, FULL + 120)
    inv, err = lambda_metrics(sc, fn, inv=lambda t: 58 * load(t), err=lambda t: 0.2 + 58 * load(t) * failing(t),
                              dur=lambda t: 190 + 1900 * failing(t),
                              conc=lambda t: envs(t))
    rds_metrics(sc, db, cpu=lambda t: 21 + 18 * ramp(t, OPEN, OPEN + 900) + bump(t, -12000, -11300, 30, 120),
                conns=conns, free_gb=lambda t: 611 - 0.0000021 * (t + 21600),
                rlat=lambda t: 0.0011, wlat=lambda t: 0.0019, mem_gb=lambda t: 9.4)
    rds_metrics(sc, "mkt-ref-01", cpu=lambda t: 12 + bump(t, -2330, -2200, 6, 60), conns=lambda t: 34,
                free_gb=lambda t: 71, rlat=lambda t: 0.0009, wlat=lambda t: 0.0014, mem_gb=lambda t: 2.1)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 28, mem=lambda t: 46)

    def body(ll, t, reqid, is_err, cold):
        acct = f"{sc.rng.randint(10_000_000, 99_999_999)}"
        head = [(0.01, ll.fmt(t + 0.01, reqid, "INFO", f"c.k.ledger.BalanceSnapshot - snapshot acct={acct} start"))]
        if is_err:
            if cold:
                first = ("c.z.h.pool.HikariPool - HikariPool-1 - Exception during pool initialization.\n"
                         "org.postgresql.util.PSQLException: FATAL: remaining connection slots are reserved "
                         "for non-replication superuser connections")
                etype, emsg = ("com.zaxxer.hikari.pool.HikariPool$PoolInitializationException",
                               "Failed to initialize pool: FATAL: remaining connection slots are reserved for "
                               "non-replication superuser connections")
            else:
                first = ("c.z.h.pool.HikariPool - HikariPool-1 - Connection is not available, request timed "
                         "out after 3000ms (total=3, active=3, idle=0, waiting=2)")
                etype, emsg = ("java.sql.SQLTransientConnectionException",
                               "HikariPool-1 - Connection is not available, request timed out after 3000ms.")
            dur = sc.rng.gauss(3060, 40) if not cold else sc.rng.gauss(700, 90)
            err_json = jline({"errorMessage": emsg, "errorType": etype, "stackTrace": [
                "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
                "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
                "com.k.ledger.BalanceRepo.load(BalanceRepo.java:72)",
                "com.k.ledger.BalanceSnapshot.handleRequest(BalanceSnapshot.java:44)"]})
            return {"lines": head + [(dur / 1000 - 0.02, ll.fmt(t + dur / 1000, reqid, "ERROR", first)),
                                     (dur / 1000 - 0.01, err_json)], "dur": dur}
        d = sc.rng.gauss(180, 30)
        lines = head + [(d / 1000 - 0.01, ll.fmt(t + d / 1000, reqid, "INFO",
                                                 f"c.k.ledger.BalanceSnapshot - snapshot acct={acct} "
                                                 f"assets={sc.rng.randint(2, 31)} took={int(d)}ms"))]
        if sc.rng.random() < 0.12:
            lines.append((0.02, ll.fmt(t + 0.02, reqid, "WARN", "c.k.ledger.FxRates - rate for VND stale "
                                                                 "(age=62s), using cached")))
        return {"lines": lines, "dur": d, "mem": sc.rng.randint(301, 340)}

    ll = LambdaLogs(sc, fn, "java21", 1024, 20, prewarm=-12480, mem_used=(320, 10))
    sample_lambda(ll, inv, err, body, cap=3)
    g, st = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, g, st, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} "
                                                     f"buffers ({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) "
                                                     f"added, 0 removed, 1 recycled", pid=611))
    emit(sc, g, st, lambda t: 0.5, lambda t: pg(sc, t, "LOG", "could not receive data from client: Connection "
                                                "reset by peer", client=sc.ip("10.8"), user="svc_recon",
                                                db="ledger"))
    emit(sc, g, st, lambda t: 14 * short(t), lambda t: pg(
        sc, t, "FATAL", sc.rng.choice(["remaining connection slots are reserved for non-replication superuser "
                                       "connections"] * 3 + ["sorry, too many clients already"]),
        client=sc.ip("10.8"), user="svc_balance", db="ledger"))
    sc.log(g, st, -11990.3, pg(sc, -11990.3, "LOG", "automatic vacuum of table \"ledger.public.journal_lines\": "
                               "index scans: 1 pages: 0 removed, 1822044 remain", pid=9021))
    g2 = f"/ecs/{svc}"
    st2 = f"ecs/recon/{sc.hexid(32)}"
    every(sc, g2, st2, 60, lambda t: pyjson(sc, t, "INFO", "recon.batch", "batch reconciled",
                                            batch=sc.rng.randint(4000, 9000), pool_in_use=sc.rng.randint(6, 10),
                                            pool_size=10, mismatches=sc.rng.choice([0, 0, 0, 1])))
    sc.change(-2350, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "mkt-ref-pg15",
              "dba-ops")
    sc.change(-9800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "jenkins-deploy")
    sc.alarm("bal-snapshot-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Balance snapshot failures")
    sc.alarm("ldg-core-01-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "bal-snapshot-errors", "root_cause": {"category": "db_connection_exhaustion",
                                                                "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (caller Lambda)", "services": ["lambda", "rds", "ecs"], "origin_type": "rds",
        "decoys": "parameter-group change on another database 10 s before onset; bal-snapshot deploy 2.7 h "
                  "earlier; 4x invocation ramp at the 09:00 open; 'connection reset by peer' all along",
        "story": "bal-snapshot's Errors alarm fires 11 minutes after the Singapore open. Its invocations rise "
                 "4x at the open and its concurrent environments from ~8 to ~37, each with a 10-connection "
                 "Hikari pool, so ldg-core-01's DatabaseConnections climbs from ~130 to 397 of "
                 "max_connections 400 and stays there. From then on new environments fail pool "
                 "initialization with 'FATAL: remaining connection slots are reserved for non-replication "
                 "superuser connections' (also in the Postgres log, with 'sorry, too many clients already') "
                 "and warm ones time out after 3000 ms waiting for a connection. The database's CPU, "
                 "latencies and storage are healthy. The parameter-group change at onset belongs to "
                 "mkt-ref-01, and 'could not receive data from client' is there all along.",
        "judgement": "The open's burst is what fills the slots, but the failure is the exhausted connection "
                     "limit (connections pinned at the limit, 'remaining connection slots' errors); as in the "
                     "public example the origin is the database, not the caller.",
    }
    return sc


BUILDERS = [build_03, build_04]
