"""h81-09 (a frequency-cap host fails its system status check, alarm on the SSP adapter's ALB) and
h81-10 (pacing state sync denied by IAM after a role policy edit)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pino, zap

from .base import (LOG0, Tasks, alb, diurnal, ec2, ecs, ecs_deploy, emit, every, lam, lambda_code, logrus,
                   new, per_minute, put, rds, redis)


def build_09():
    sc = new(9, "ssp-adapter-5xx", "SSP adapter returning 5xx in Montreal; the adapter ALB 5xx alarm "
             "paged.", "ca-central-1", "2026-04-27T16:15:00+00:00")
    lb, cl, svc, other, fn = ("app/ssp-adapter-cac1/2d4f6a8c0e1b3579", "rtb-cac1", "ssp-adapter", "report-api",
                              "creative-thumbs")
    hosts = {"i-0e7a9c1b3d5f70246": ("fcap-cac1-a", "10.40.2.23"), "i-0f1e2d3c4b5a69788": ("fcap-cac1-b", "10.40.3.17")}
    bad = "i-0f1e2d3c4b5a69788"
    T_f = -1560
    down = lambda t: t >= T_f
    sc.resource("alb", lb, name="ssp-adapter-cac1", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=10, container_runtime="node20",
                redis_client="ioredis (fcap-cac1-a, fcap-cac1-b)")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2)
    for iid, (name, _) in hosts.items():
        sc.resource("ec2", iid, name=name, instance_type="r6i.xlarge", service="redis 7.2 (frequency caps)")
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=30, memory_size=512)
    d = lambda t: diurnal(sc, t, peak_hour=17, amp=0.2)
    alb(sc, lb, req=lambda t: 31000 * d(t), rt=lambda t: 0.024 + (0.19 if down(t) else 0),
        t5=lambda t: 3 + (0.12 * 31000 * d(t) if down(t) else 0), e5=lambda t: 0.3, healthy=lambda t: 10)
    ecs(sc, cl, svc, cpu=lambda t: 33 * d(t), mem=lambda t: 41 + (6 if down(t) else 0), running=lambda t: 10)
    ecs(sc, cl, other, cpu=lambda t: 9, mem=lambda t: 28, running=lambda t: 2)
    for iid in hosts:
        b = iid == bad
        ec2(sc, iid, cpu=lambda t, b=b: None if b and down(t) else 22 * d(t),
            net_in=lambda t, b=b: None if b and down(t) else 1.9e8 * d(t), mem=lambda t: 64, disk=lambda t: 22.5,
            status=lambda t, b=b: 1 if b and down(t) else 0, agent_until=T_f if b else 1.0)
        put(sc, "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Count",
            lambda t, b=b: 1 if b and down(t) else 0, noise=0, digits=0)
        put(sc, "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": iid}, "Count", lambda t: 0, noise=0, digits=0)
    lam(sc, fn, inv=lambda t: 14, err=lambda t: 0.05, dur=lambda t: 2600, conc=lambda t: 2)

    for iid, (name, ip) in hosts.items():
        g, end = "/fcap/redis", (T_f if iid == bad else 0)
        every(sc, g, iid, 300, lambda t: redis(sc, t, 14, "*", "100 changes in 300 seconds. Saving..."), end=end)
        every(sc, g, iid, 300, lambda t: redis(sc, t, 14, "*", "Background saving terminated with success"),
              start=LOG0 + 40, end=end)
        emit(sc, g, iid, lambda t: 0.2, lambda t: redis(sc, t, 14, "-", "Client id=" + str(sc.rng.randint(10 ** 5, 10 ** 6))
             + f" addr=10.40.{sc.rng.randint(8, 15)}.{sc.rng.randint(2, 250)}:{sc.rng.randint(30000, 60000)} closed for "
             "idle timeout"), end=end)
    tasks = Tasks(sc, "ecs", svc, [(-40000, 5)])
    g = "/ecs/ssp-adapter"
    host = lambda: f"ip-10-40-{sc.rng.randint(8, 15)}-{sc.rng.randint(2, 250)}.ca-central-1.compute.internal"
    emit(sc, g, tasks, lambda t: 3, lambda t: pino(sc, t, "info", "bid response", host(), ssp=sc.rng.choice(
        ["index", "triplelift", "sovrn", "sharethrough"]), status=200, ms=sc.rng.randint(9, 30)))
    emit(sc, g, tasks, lambda t: 3, lambda t: pino(sc, t, "error", "tracking pixel fetch failed", host(),
         err={"type": "Error", "code": "ENOTFOUND",
              "message": "getaddrinfo ENOTFOUND tracking.legacy-partner.example"}))
    emit(sc, g, tasks, lambda t: 0.5, lambda t: pino(sc, t, "warn", "fcap lookup slow", host(),
         node=sc.rng.choice(["10.40.2.23:6379", "10.40.3.17:6379"]), ms=sc.rng.randint(6, 15)))

    def fail(t):
        r = sc.rng.random()
        if r < 0.15:
            return "[ioredis] Unhandled error event: Error: connect ETIMEDOUT\n    at Socket.<anonymous> " \
                   "(/app/node_modules/ioredis/built/Redis.js:170:41)"
        err = ({"type": "Error", "code": "ETIMEDOUT", "message": "connect ETIMEDOUT"} if r < 0.5 else
               {"type": "MaxRetriesPerRequestError", "message": "Reached the max retries per request limit (which is "
                "3). Refer to \"maxRetriesPerRequest\" option for details."} if r < 0.75 else
               {"type": "Error", "message": "Connection is closed."})
        return pino(sc, t, "error", "fcap lookup failed, failing closed (strict cap)", host(), node="10.40.3.17:6379",
                    campaign=sc.rng.randint(30000, 39999), err=err)

    emit(sc, g, tasks, lambda t: 6 if down(t) else 0, fail)
    lambda_code(sc, -1620, fn, "gh-actions-creative")
    ecs_deploy(sc, -1380, cl, other, "report-api", "gh-actions-reporting")
    sc.alarm("ssp-adapter-cac1-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 300, "GreaterThanThreshold", "SSP adapter 5xx")
    sc.alarm("report-api-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.alarm("ssp-adapter-cac1-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 0.15, "GreaterThanThreshold")
    sc.expect = {"alarm": "ssp-adapter-cac1-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [bad, "fcap-cac1-b"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": bad}}]}
    sc.meta = dict(
        front="front (ALB, via the adapter service)", services="ALB, ECS (Node pino/ioredis), EC2 x2 (Redis), Lambda (Ruby)",
        decoys="Ruby Lambda deploy 1 min before the onset and an ECS deploy of another service 3 min after; a loud "
               "ENOTFOUND error that has been there all along; a latency alarm on the same ALB",
        story="At -26 min `fcap-cac1-b` (i-0f1e...) fails its system status check (StatusCheckFailed_System = 1); "
              "its CPU, network and agent metrics and its Redis log stop at that minute while `fcap-cac1-a` keeps "
              "logging. The adapter's new errors all name that node: `fcap lookup failed, failing closed` with "
              "`connect ETIMEDOUT` / `Connection is closed` for 10.40.3.17:6379, and the adapter returns 5xx for "
              "strict-cap campaigns. The host is not exhausted (CPU ~22 %, memory 64 % until it vanished): a failed "
              "dependency. The ENOTFOUND errors are steady for hours; both deploys are on unrelated resources.")
    return sc


def build_10():
    sc = new(10, "pacing-sync-errors", "Pacing state sync function erroring in Stockholm; budgets may "
             "overspend.", "eu-north-1", "2026-04-29T10:50:00+00:00")
    fn, cl, svc, db, role = "pacing-state-sync", "rtb-eun1", "bidder", "campaign-eun1", "pacing-sync-exec"
    T_iam = -2040
    denied = lambda t: t >= T_iam + 8
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=15, memory_size=256, language="go1.22",
                role=f"arn:aws:iam::{sc.account}:role/{role}")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=14, container_runtime="go1.22")
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=250)
    d = lambda t: diurnal(sc, t, peak_hour=11, amp=0.15)
    lm = lam(sc, fn, inv=lambda t: 90, err=lambda t: 89 if denied(t) else 0.03,
             dur=lambda t: 140 if denied(t) else 310, conc=lambda t: 1)
    ecs(sc, cl, svc, cpu=lambda t: 46 * d(t), mem=lambda t: 49, running=lambda t: 14)
    rds(sc, db, cpu=lambda t: 17 * d(t), conns=lambda t: 190, free_gb=lambda t: 188.0, freeable_gb=lambda t: 3.9)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 15, retire=(-9400,), mem_used=(34, 2))
    acct = sc.account

    def body(ll_, t, rid, is_err, cold):
        c = sc.rng.randint(40000, 49999)
        if denied(t):
            err = (f"operation error DynamoDB: UpdateItem, https response error StatusCode: 400, RequestID: "
                   f"{sc.hexid(8).upper()}{sc.hexid(24).upper()}, api error AccessDeniedException: User: "
                   f"arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: "
                   f"dynamodb:UpdateItem on resource: arn:aws:dynamodb:eu-north-1:{acct}:table/pacing_state because no "
                   "identity-based policy allows the dynamodb:UpdateItem action")
            return {"dur": sc.rng.gauss(140, 15), "lines": [(0.12, logrus(sc, t + 0.12, "error", "update pacing state "
                                                                           "failed", campaign=c, error=err))]}
        lines = []
        if sc.rng.random() < 0.08:
            lines.append((0.1, logrus(sc, t + 0.1, "warning", "conditional write lost race, re-reading", campaign=c,
                                      error="ConditionalCheckFailedException: The conditional request failed")))
        dur = sc.rng.gauss(310, 40)
        lines.append((dur / 1000 - 0.01, logrus(sc, t + dur / 1000 - 0.01, "info", "synced pacing state", campaign=c,
                                                spend_micros=sc.rng.randint(10 ** 6, 9 * 10 ** 8),
                                                multiplier=round(sc.rng.uniform(0.4, 1.6), 3))))
        return {"dur": dur, "lines": lines}

    ll.run(per_minute(lm["inv"], scale=0.05), {}, body)
    tasks = Tasks(sc, "ecs", svc, [(-40000, 5), (-1890, 5)])
    g = "/ecs/bidder"
    emit(sc, g, tasks, lambda t: 3, lambda t: zap(sc, t, "info", "bid served", "server/handler.go:203", ssp=sc.rng.choice(
        ["adform", "improve", "smart"]), price_cpm=round(sc.rng.uniform(0.3, 4.1), 3)))
    every(sc, g, tasks, 60, lambda t: zap(sc, t, "info", "pacing state loaded", "pacing/store.go:88",
          campaigns=sc.rng.randint(600, 640), max_age_s=int(t - T_iam) if denied(t) else sc.rng.randint(40, 70)))
    for k, s in enumerate(tasks.first(1)):
        t0 = -1890 + 15 * k
        sc.log(g, s, t0, zap(sc, t0, "info", "starting bidder", "cmd/bidder/main.go:44", version="v5.8.2"))

    lambda_code(sc, -9400, fn, "gitlab-ci-pacing", publish=True)
    sc.change(T_iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "k.nyberg")
    sc.changes[-1]["region"] = "us-east-1"
    ecs_deploy(sc, -1950, cl, svc, "bidder", "gitlab-ci-bidding")
    sc.alarm("pacing-state-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Pacing state sync errors")
    sc.alarm("bidder-eun1-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average", 300,
             2, 85, "GreaterThanThreshold")
    sc.expect = {"alarm": "pacing-state-sync-errors", "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin", services="Lambda (Go logrus), ECS (Go zap), RDS, IAM (CloudTrail only)",
        decoys="bidder ECS deploy 1.5 min after the policy change (closer to the alarm); a code deploy of the same "
               "function 2.6 h earlier; steady ConditionalCheckFailed warnings",
        story="At -34 min `k.nyberg` replaced an inline policy on the function's execution role `pacing-sync-exec` "
              "(PutRolePolicy, recorded in us-east-1 as IAM events are). From the next invocation every sync fails with "
              "`AccessDeniedException: ... assumed-role/pacing-sync-exec/pacing-state-sync is not authorized to "
              "perform: dynamodb:UpdateItem`. The function's code deploy 2.6 h earlier ran cleanly; the bidder deploy "
              "comes after the onset and the bidder only reports the growing pacing-state age.")
    return sc


BUILDERS = [build_09, build_10]
