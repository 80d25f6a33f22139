"""03: payment-provider callbacks on ECS (Python) behind an ALB; 04: courier ETA Lambda (Python) on Postgres."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg

from .kit import (GRID, H90, SYD, USE, LambdaLogs, alb, alb_id, describe, ecs, ecs_event, every, expect,
                  ints, lambda_fn, lambda_logs, ramp, rds, rush, stream, structlog, task_ids)


def build_03() -> H90:
    sc = H90(3, "psp-webhooks-evening", "Payment ingress target 5XX alarm; the payment provider dashboard shows "
             "webhook deliveries failing and being retried.", USE, 9003, "2026-03-14T23:30:00")
    rng = sc.rng
    lb = alb_id(sc, "pay-ingress")
    cluster, svc, other = "payments-prod", "psp-callback", "refund-worker"
    policy_t, onset = -2760, -2700
    role = "psp-callback-task-role"
    key = sc.uuid()

    def fail_p(t):
        return 0.86 * ramp(t, onset, onset + 300)  # each task's cached data key expires within 5 min

    def retries(t):
        return 1.0 + 0.45 * ramp(t, onset + 120, onset + 900)

    req = ints(sc, lambda t: 210 * rush(t) * retries(t))
    t4 = [float(round(r * 0.025) + rng.randint(0, 2)) for r in req]
    t5 = [float(round(r * fail_p(t) * rng.uniform(0.93, 1.0))) for t, r in zip(GRID, req)]
    alb(sc, lb, req, t5, t4, [float(rng.random() < 0.03) for _ in GRID], lambda t: 0.085 + 0.03 * fail_p(t),
        lambda t: 3, scheme="internet-facing")
    ecs(sc, cluster, svc, lambda t: 18 + 10 * rush(t), lambda t: 41.0, lambda t: 3, launch_type="FARGATE",
        task_cpu=512, task_memory=1024, task_role=role, container="psp-callback")
    ecs(sc, cluster, other, lambda t: 12 + 55 * ramp(t, -2720, -2660) * (1 - ramp(t, -2400, -2100)),
        lambda t: 35.0, lambda t: 2, launch_type="FARGATE", task_cpu=256, task_memory=512)
    tasks = task_ids(sc, 3)
    grp = f"/ecs/{svc}"
    kinds = ["AUTHORISATION", "CAPTURE", "REFUND", "CANCELLATION", "CHARGEBACK"]

    def line(task):
        def f(t):
            kind = rng.choices(kinds, [60, 28, 7, 4, 1])[0]
            psp = f"psp_{sc.hexid(16)}"
            ip = rng.choice(["52.17.48.", "18.202.61.", "54.72.110."]) + str(rng.randint(2, 250))
            out = [(0, structlog(sc, t, "info", "webhook received", "psp.webhooks", type=kind, psp_ref=psp, src=ip))]
            if rng.random() < 0.025:
                out.append((0.004, structlog(sc, t + 0.004, "warning", "hmac signature mismatch, rejecting", "psp.auth",
                                             psp_ref=psp, src=ip, status=401)))
                return out
            if rng.random() < fail_p(t):
                exc = ("Traceback (most recent call last):\n  File \"/app/psp/secrets.py\", line 58, in data_key\n"
                       "    resp = self._kms.decrypt(CiphertextBlob=blob, KeyId=self._key_arn)\n"
                       "botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the Decrypt "
                       f"operation: User: arn:aws:sts::{sc.account}:assumed-role/{role}/{task} is not authorized to perform: "
                       f"kms:Decrypt on resource: arn:aws:kms:us-east-1:{sc.account}:key/{key} because no identity-based "
                       "policy allows the kms:Decrypt action")
                out.append((0.031, structlog(sc, t + 0.031, "error", "webhook processing failed", "psp.webhooks",
                                             psp_ref=psp, status=500, exc_info=exc)))
                return out
            out.append((0.07, structlog(sc, t + 0.07, "info", "payment state updated", "psp.ledger", psp_ref=psp,
                                        order=f"ord_{sc.hexid(10)}", state=kind.lower(), status=200)))
            return out
        return f

    for tk in tasks:
        stream(sc, grp, f"psp/psp-callback/{tk}", lambda t: 4.5 * rush(t) * retries(t), line(tk))
        every(sc, grp, f"psp/psp-callback/{tk}", 300, lambda t: structlog(
            sc, t, "info", "data key cache refreshed", "psp.secrets", ttl_s=300) if t < onset else None,
            offset=rng.uniform(0, 300))
    rtasks = task_ids(sc, 4)
    for i, tk in enumerate(rtasks):
        live = (-10 ** 9, -2600) if i < 2 else (-2650, 0)
        stream(sc, f"/ecs/{other}", f"refunds/refund-worker/{tk}",
               lambda t, a=live: 1.2 if a[0] <= t < a[1] else 0,
               lambda t: structlog(sc, t, "info", "refund batch settled", "refunds.worker",
                                   batch=rng.randint(3, 40), provider="adyen"))
    every(sc, "/aws/ecs/events/payments-prod", "service-events", 900, lambda t: ecs_event(
        f"{other}", "has reached a steady state.") if not -2740 < t < -2560 else None, offset=30)
    sc.log("/aws/ecs/events/payments-prod", "service-events", -2718,
           ecs_event(other, f"has started 2 tasks: (task {rtasks[2]}) (task {rtasks[3]})."))
    sc.log("/aws/ecs/events/payments-prod", "service-events", -2590,
           ecs_event(other, f"has stopped 2 running tasks: (task {rtasks[0]}) (task {rtasks[1]})."))
    sc.log("/aws/ecs/events/payments-prod", "service-events", -2540, ecs_event(other, "has reached a steady state."))
    sc.change(-12600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", "gha-deploy-payments")
    sc.change(policy_t, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(-2731, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", other, "gha-deploy-payments")
    sc.change(-2722, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{other}", "gha-deploy-payments")
    sc.alarm("pay-ingress-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 20, "GreaterThanThreshold", "Payment webhook ingress returning 5XX")
    sc.alarm("refund-worker-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster, "ServiceName": other},
             "Average", 300, 1, 60, "GreaterThanThreshold")
    expect(sc, "pay-ingress-target-5xx", "permission_denied", [f"{cluster}/{svc}", svc],
           [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    describe(sc, front="front (ALB → ECS service)",
             decoys="refund-worker deploy (RegisterTaskDefinition + UpdateService) closer to onset with a CPU bump "
                    "and its own alarm; the PSP's retries raise request volume 45 %; steady 401 signature mismatches",
             services="ALB, ECS Fargate (Python, structlog JSON)",
             story="The payments ALB's target 5XX alarm fires. psp-callback's tasks start logging "
                   "`AccessDeniedException ... is not authorized to perform: kms:Decrypt ... because no identity-based "
                   "policy allows the kms:Decrypt action` for its task role, a minute after terraform-ci ran "
                   "PutRolePolicy on psp-callback-task-role; failures grow over five minutes as each task's cached "
                   "data key expires (the 'data key cache refreshed' lines stop). refund-worker's deploy lands even "
                   "closer to the onset and bumps its CPU, but its logs stay clean and it serves no ALB traffic. "
                   "Request volume rises only after the failures start (the provider retries), and the 401 signature "
                   "mismatches run at the same rate all evening.",
             judgement="The fault originates in the IAM policy, which is not one of the six resource types; the "
                       "resource whose calls are denied is the psp-callback service, accepted in both id forms.")
    return sc


def build_04() -> H90:
    sc = H90(4, "eta-quotes-sydney", "Courier ETA quote Lambda errors alarm at Sydney dinner peak; app shows "
             "'ETA unavailable' on the order tracking screen.", SYD, 9004, "2026-03-15T08:05:00")
    rng = sc.rng
    fn, db, other_db, shift = "eta-quote", "geo-pg-2", "menu-pg-1", "courier-shift-sync"
    onset = -2280
    io = lambda t: ramp(t, onset, onset + 180)  # noqa: E731
    host = f"{db}.c{sc.hexid(10)}.ap-southeast-2.rds.amazonaws.com"
    v = lambda_fn(sc, fn, "python3.12", 512, 10, lambda t: 190 * rush(t), lambda t: 0.001 + 0.44 * io(t),
                  lambda t: 48 + 1950 * io(t), vpc=True)
    sv = lambda_fn(sc, shift, "python3.12", 256, 60, lambda t: 4.0, lambda t: 0.0, lambda t: 2300.0)
    rds(sc, db, lambda t: (22 + 14 * rush(t)) * (1 - 0.6 * io(t)), lambda t: 40 + 30 * rush(t) + 70 * io(t),
        lambda t: 311 - t / 21600.0 * -0.4, rlat=lambda t: 0.0009 + 0.34 * io(t), wlat=lambda t: 0.0014 + 0.92 * io(t),
        queue=lambda t: 0.5 + 58 * io(t), engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
        max_connections=1600, allocated_storage_gb=400, multi_az=False)
    rds(sc, other_db, lambda t: 18 + 55 * ((-6300 <= t < -5700)), lambda t: 35 + 10 * rush(t), lambda t: 120.0,
        engine="postgres", instance_class="db.t4g.large", max_connections=900, allocated_storage_gb=200)
    ll = LambdaLogs(sc, fn, "python3.12", 512, 10, mem_used=(118, 9))

    def body(ll, t, rid, is_err, cold):
        zone = rng.choice(["syd-cbd", "syd-surry", "syd-bondi", "syd-newtown", "syd-parra", "syd-chats"])
        oid = f"ord_{sc.hexid(10)}"
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"quote order={oid} zone={zone}"))]
        if rng.random() < 0.08:
            lines.append((0.004, ll.fmt(t + 0.004, rid, "WARNING", f"courier location older than 90s for {oid}, "
                                                                  f"using zone average")))
        if is_err:
            if rng.random() < 0.7:
                msg = "psycopg.errors.QueryCanceled: canceling statement due to statement timeout"
                d = 2000 + rng.uniform(5, 60)
            else:
                msg = (f"psycopg.OperationalError: connection failed: connection to server at \"{host}\" (10.40.3.18), "
                       "port 5432 failed: timeout expired")
                d = 3000 + rng.uniform(5, 40)
            tb = ("[ERROR] " + msg.split(":")[0].split(".")[-1] + ": " + msg.split(": ", 1)[1] + "\nTraceback (most recent "
                  "call last):\n  File \"/var/task/handler.py\", line 44, in handler\n    eta = quote(conn, order)\n"
                  "  File \"/var/task/eta/quote.py\", line 71, in quote\n    cur.execute(GRID_SQL, (zone,))")
            lines.append((d / 1000, tb))
            return {"lines": lines, "dur": d + 8}
        d = max(15, rng.gauss(48 + 600 * io(t), 12 + 200 * io(t)))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"eta order={oid} seconds={rng.randint(600, 2400)}")))
        return {"lines": lines, "dur": d + 2}

    lambda_logs(sc, ll, v, body, sample=0.05)
    sl = LambdaLogs(sc, shift, "python3.12", 256, 60, epochs=((-10 ** 9, "$LATEST"),), retire=(-2340,))
    lambda_logs(sc, sl, sv, lambda ll, t, rid, e, c: {"lines": [(0.5, ll.fmt(t + 0.5, rid, "INFO",
                f"synced {rng.randint(40, 90)} courier shifts"))], "dur": rng.gauss(2300, 200)}, sample=0.5)
    grp = f"/aws/rds/instance/{db}/postgresql"

    def dbline(t):
        if t < onset:
            return pg(sc, t, "LOG", f"duration: {rng.uniform(1000, 1600):.3f} ms  statement: REFRESH MATERIALIZED VIEW "
                                    "CONCURRENTLY courier_eta_grid", user="eta_batch", db="geo", client="10.40.7.9(51112)")
        return pg(sc, t, "LOG", f"duration: {rng.uniform(2100, 9800):.3f} ms  execute <unnamed>: SELECT eta_seconds FROM "
                                "courier_eta_grid WHERE zone = $1", user="eta_app", db="geo", client=f"10.40.{rng.randint(8, 11)}.{rng.randint(2, 250)}(5{rng.randint(1000, 9999)})")
    stream(sc, grp, f"{db}.0", lambda t: 0.15 if t < onset else 3.0, dbline)
    every(sc, grp, f"{db}.0", 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote {} buffers ({:.1f}%); 0 WAL "
          "file(s) added, 0 removed, {} recycled; write={:.3f} s, sync={:.3f} s, total={:.3f} s".format(
              rng.randint(900, 2400), rng.uniform(0.5, 2), rng.randint(1, 3), 26.9 + 240 * io(t), 0.004 + 48 * io(t),
              27.1 + 290 * io(t)), pid=412), offset=17)
    sc.change(-14400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", other_db, "terraform-ci")
    sc.change(-2340, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", shift,
              "gha-deploy-couriers")
    sc.alarm("eta-quote-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "ETA quote failures")
    sc.alarm("geo-pg-2-write-latency", "AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}, "Average", 300, 2, 0.1,
             "GreaterThanThreshold")
    sc.alarm("courier-shift-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": shift}, "Sum", 300, 1, 1,
             "GreaterThanOrEqualToThreshold")
    expect(sc, "eta-quote-errors", "dependency_failure", [db],
           [("AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="front (calling Lambda → RDS)",
             decoys="code deploy to courier-shift-sync 60 s before onset; steady WARNING about stale courier "
                    "locations; menu-pg-1 CPU spike and a ModifyDBInstance on it hours earlier; rising dinner load",
             services="Lambda (Python), RDS PostgreSQL",
             story="eta-quote's Errors alarm fires. Its errors are `QueryCanceled: canceling statement due to "
                   "statement timeout` and `connection ... timeout expired` against geo-pg-2. On geo-pg-2 read latency "
                   "goes from ~1 ms to ~340 ms, write latency to ~0.9 s and disk queue depth to ~60 at the onset, "
                   "while its CPU falls, connections stay under 150 of 1600 and storage is plentiful; the Postgres log "
                   "shows multi-second statements and checkpoints whose sync takes tens of seconds. No change touches "
                   "the database or eta-quote; the courier-shift-sync deploy one minute earlier leaves that function "
                   "healthy.",
             judgement="The database is slow but not exhausted (CPU low, connections and storage far from limits), so "
                       "this is a dependency failure originating at geo-pg-2 rather than a resource-exhaustion category.")
    return sc


BUILDERS = [build_03, build_04]
