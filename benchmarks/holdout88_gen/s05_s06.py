"""h88-05 (search indexer's task role loses s3:PutObject; only the queue alarm fires) and h88-06
(one reporting host pinned at 100 % CPU behind the reports ALB)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx

from .kit import LOG_START, S88, alb_metrics, ec2_metrics, ecs_metrics, emit, flat, lam_metrics, per_min, put


def celery(sc, t, level, msg, worker=None):
    d = sc.at(t)
    w = worker or f"ForkPoolWorker-{sc.rng.randint(1, 8)}"
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d}: {level}/{w}] {msg}"


def build05() -> S88:
    T0 = -2940
    CH = T0 - 70
    sc = S88(5, "bulk-flush-staging", "Search results stale for customers; indexing queue age alarm fired.",
             "eu-west-2", 8805, "2026-02-23T11:15:00+00:00", {
                 "front": "front (SQS queue age)", "services": ["ecs", "lambda"],
                 "decoys": "code deploy of search-query-api 50 s before onset; OpenSearch read timeouts and "
                           "409 version conflicts all morning",
             })
    svc = "search/indexer-celery"
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048,
                task_role="search-indexer-task-role", log_group="/ecs/search/indexer-celery")
    sc.resource("lambda", "search-query-api", runtime="nodejs20.x", timeout=10, memory_size=512)
    denied = lambda t: ramp(t, CH + 20, CH + 60)  # noqa: E731  IAM propagation
    work = lambda t: 150 * diurnal(sc, t, 12, 0.2)  # noqa: E731
    q = {"QueueName": "search-index-requests"}
    put(sc, "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
        lambda t: 35 + max(0.0, -CH - 20 + t) * denied(t) * 1.0 if t > CH else 35.0, noise=0.08, digits=0)
    put(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count",
        lambda t: 60 + work(t) * 0.9 * max(0.0, (t - CH) / 60) * denied(t), integer=True)
    put(sc, "AWS/SQS", "NumberOfMessagesDeleted", q, "Count", lambda t: work(t) * (1 - 0.97 * denied(t)),
        integer=True)
    put(sc, "CRM/Search", "DocumentsIndexed", {"Index": "contacts-v7"}, "Count",
        lambda t: work(t) * 38 * (1 - 0.98 * denied(t)), integer=True)
    ecs_metrics(sc, "search", "indexer-celery", lambda t: 46 * diurnal(sc, t, 12, 0.2) * (1 - 0.6 * denied(t)),
                flat(44))
    qa = lam_metrics(sc, "search-query-api", lambda t: 90 * diurnal(sc, t, 12, 0.25), lambda t: 0.001,
                     lambda t: 180 + bump(t, -9000, -8400, 120))
    sc.alarm("search-index-requests-oldest-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 60, 5,
             600, "GreaterThanThreshold", "Contact search index is falling behind")
    sc.alarm("search-indexer-documents-low", "CRM/Search", "DocumentsIndexed", {"Index": "contacts-v7"}, "Sum",
             300, 2, 1000, "LessThanThreshold")
    sc.change(CH, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "search-indexer-task-role",
              "terraform-ci")
    sc.change(CH - 12, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::ManagedPolicy",
              "crm-readonly-support", "terraform-ci")
    sc.change(T0 - 50, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "search-query-api", "gh-actions-deployer")
    sc.change(-13300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "gh-actions-deployer")
    g = "/ecs/search/indexer-celery"
    streams = [f"celery/indexer/{sc.hexid(32)}" for _ in range(3)]
    acct = sc.account

    def task(t):
        s = sc.rng.choice(streams)
        tid = sc.uuid()
        n = sc.rng.randint(200, 500)
        sc.log(g, s, t, celery(sc, t, "INFO", f"Task search.tasks.flush_bulk[{tid}] received", "MainProcess"))
        if sc.rng.random() < denied(t):
            key = f"bulk/contacts-v7/{sc.at(t).strftime('%Y/%m/%d/%H')}/{sc.hexid(16)}.ndjson"
            sc.log(g, s, t + 0.4, celery(
                sc, t + 0.4, "ERROR", f"Task search.tasks.flush_bulk[{tid}] raised unexpected: ClientError('An "
                f"error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::{acct}:"
                f"assumed-role/search-indexer-task-role/{sc.hexid(32)} is not authorized to perform: s3:PutObject "
                f"on resource: \"arn:aws:s3:::crm-search-staging-euw2/{key}\" because no identity-based policy "
                "allows the s3:PutObject action')\nTraceback (most recent call last):\n  File \"/usr/local/lib/"
                "python3.11/site-packages/celery/app/trace.py\", line 477, in trace_task\n    R = retval = fun("
                "*args, **kwargs)\n  File \"/app/search/tasks.py\", line 88, in flush_bulk\n    s3.put_object("
                "Bucket=STAGING_BUCKET, Key=key, Body=body)\nbotocore.exceptions.ClientError: An error occurred "
                "(AccessDenied) when calling the PutObject operation: Access Denied"))
        else:
            d = sc.rng.uniform(0.8, 4.0)
            sc.log(g, s, t + d, celery(sc, t + d, "INFO", f"Task search.tasks.flush_bulk[{tid}] succeeded in "
                                       f"{d:.3f}s: {{'docs': {n}, 'index': 'contacts-v7', 'staged': True}}"))
    emit(sc, LOG_START, 0, lambda t: 4 * diurnal(sc, t, 12, 0.2), task)
    emit(sc, LOG_START, 0, 1.1, lambda t: sc.log(g, sc.rng.choice(streams), t, celery(
        sc, t, "WARNING", "opensearch: ConnectionTimeout caused by - ReadTimeoutError(HTTPSConnectionPool(host="
        "'vpc-crm-search-7q2k4hsd1b.eu-west-2.es.amazonaws.com', port=443): Read timed out. (read timeout=30)) "
        "- retrying refresh of contacts-v7")))
    emit(sc, LOG_START, 0, 0.8, lambda t: sc.log(g, sc.rng.choice(streams), t, celery(
        sc, t, "INFO", f"Task search.tasks.index_contact[{sc.uuid()}] retry: Retry in 30s: ConflictError(409, "
        "'version_conflict_engine_exception', 'contacts-v7')")))
    ll = LambdaLogs(sc, "search-query-api", "nodejs20.x", 512, 10, retire=(T0 - 50,), mem_used=(120, 10))

    def body(ll, t, rid, is_err, cold):
        dur = sc.rng.uniform(60, 400)
        return {"dur": dur, "lines": [(dur / 1000 - 0.003, ll.fmt(
            t + dur / 1000 - 0.003, rid, "INFO", f"search q_len={sc.rng.randint(2, 30)} hits={sc.rng.randint(0, 900)} took={int(dur)}ms"))]}
    ll.run({m: max(1, round(v / 20)) for m, v in per_min(qa["inv"]).items()}, {}, body)
    sc.expect_("search-index-requests-oldest-age", "permission_denied", [svc, "indexer-celery"],
               [{"namespace": "CRM/Search", "name": "DocumentsIndexed", "dimensions": {"Index": "contacts-v7"}}])
    sc.meta["story"] = (
        "Terraform rewrites the inline policy of search-indexer-task-role (PutRolePolicy) about a minute "
        "before the backlog starts; within a minute every `flush_bulk` task on the Celery indexer fails with "
        "`AccessDenied ... is not authorized to perform: s3:PutObject on crm-search-staging-euw2` and "
        "DocumentsIndexed falls to almost nothing while the queue's oldest message ages past ten minutes. "
        "The OpenSearch read timeouts and 409 version conflicts are loud but run at the same rate all "
        "morning; the search-query-api deploy is the change nearest to the alarm but that function only "
        "reads. The fault is in the indexer service's permissions, not in the queue that alarmed.")
    return sc


def build06() -> S88:
    T0 = -2100
    sc = S88(6, "forecast-render", "Reports pages very slow for customers; reports ALB latency alarm fired.",
             "ca-central-1", 8806, "2026-02-24T18:30:00+00:00", {
                 "front": "front (ALB)", "services": ["alb", "ec2"],
                 "decoys": "security-group ingress change 80 s before onset; other host's own CPU spike 4 h "
                           "earlier; PHP `Undefined array key` warnings all day",
             })
    lb = "app/crm-reports/7b1e04c9a2f35d60"
    hot_id, cold_id = "i-0c41d7a9e3b25f816", "i-07a2be95c4d13e0f2"
    sc.resource("alb", lb, name="crm-reports", scheme="internet-facing")
    sc.resource("ec2", hot_id, name="reports-1", instance_type="c6i.xlarge",
                log_groups=["/reports/nginx/access", "/reports/php-fpm"])
    sc.resource("ec2", cold_id, name="reports-2", instance_type="c6i.xlarge",
                log_groups=["/reports/nginx/access", "/reports/php-fpm"])
    pin = lambda t: ramp(t, T0 - 360, T0 - 120)  # noqa: E731
    req = lambda t: 240 * diurnal(sc, t, 19, 0.3)  # noqa: E731
    alb_metrics(sc, lb, req, lambda t: 0.38 + 3.1 * pin(t) * ramp(t, T0 - 200, T0), lambda t: 0.6 + 6 * pin(t),
                e5xx=lambda t: 3 * ramp(t, T0, 0))
    h = ec2_metrics(sc, hot_id, lambda t: 31 * diurnal(sc, t, 19, 0.3) + 70 * pin(t), mem=flat(48), disk=flat(41))
    ec2_metrics(sc, cold_id, lambda t: 30 * diurnal(sc, t, 19, 0.3) + bump(t, -14800, -13700, 60), mem=flat(46),
                disk=flat(39))
    sc.alarm("crm-reports-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average",
             60, 5, 1.5, "GreaterThanThreshold", "Reports UI response time")
    sc.alarm("reports-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": hot_id}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.alarm("reports-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": cold_id}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.change(T0 - 80, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0a93c1e7d2b4f6a18", "netops-admin")
    sc.change(-16400, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", cold_id, "cost-tagger")
    del h
    ag = "/reports/nginx/access"
    fg = "/reports/php-fpm"
    pages = ["/reports/pipeline", "/reports/activity", "/reports/revenue?period=q1", "/dashboards/team",
             "/reports/export?format=csv&id=", "/api/reports/widgets"]

    def hit(t):
        iid = sc.rng.choice([hot_id, cold_id])
        slow = iid == hot_id and pin(t) > 0
        rt = sc.rng.uniform(0.12, 0.7) * (1 + 11 * pin(t) * sc.rng.random()) if slow else sc.rng.uniform(0.1, 0.7)
        st = 504 if slow and rt > 6.5 and sc.rng.random() < 0.5 else 200
        path = sc.rng.choice(pages)
        if path.endswith("id="):
            path += str(sc.rng.randint(1000, 9999))
        sc.log(ag, iid, t + rt, nginx(sc, t + rt, sc.ip("10.40"), sc.rng.choice(["GET", "GET", "POST"]), path, st,
                                      sc.rng.randint(900, 48000), rt, ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))
    emit(sc, LOG_START, 0, lambda t: 7 * diurnal(sc, t, 19, 0.3), hit)

    def fpm(t, iid, lvl, msg):
        d = sc.at(t)
        sc.log(fg, iid, t, f"[{d.strftime('%d-%b-%Y %H:%M:%S')}] {lvl}: {msg}")
    for iid in (hot_id, cold_id):
        emit(sc, LOG_START, 0, 1.3, lambda t, i=iid: fpm(
            t, i, "WARNING", f"[pool www] child {sc.rng.randint(3000, 9000)} said into stderr: \"NOTICE: PHP "
            "message: PHP Warning:  Undefined array key \"currency\" in /var/www/reports/app/Formatters/Money.php "
            "on line 41\""))
    emit(sc, T0 - 330, 0, lambda t: 2.5 * pin(t), lambda t: fpm(
        t, hot_id, "WARNING", f"[pool www] child {sc.rng.randint(3000, 9000)}, script '/var/www/reports/public/"
        f"index.php' (request: \"GET /index.php?r=reports/forecast/render&tenant=t_4a1c&months=36\") executing "
        f"too slow ({sc.rng.uniform(5, 30):.6f} sec), logging"))
    emit(sc, T0 - 360, 0, 0.25, lambda t: fpm(
        t, hot_id, "NOTICE", "[pool reports-cron] child started (forecast.render queue=tenant t_4a1c, 36 months x "
        "412 owners)"))
    sc.expect_("crm-reports-latency", "cpu_saturation", [hot_id, "reports-1"],
               [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": hot_id}}])
    sc.meta["story"] = (
        "A 36-month pipeline forecast for tenant t_4a1c starts rendering on reports-1 (the host that also runs "
        "the reports cron pool); php-fpm logs `executing too slow` for the forecast script and the host's "
        "CPU goes from ~35 % to 99-100 % and stays there. Requests that land on reports-1 take seconds, some "
        "end in 504, and the ALB's average TargetResponseTime crosses 1.5 s while reports-2 serves normally. "
        "The security-group change is the nearest change but it only adds ingress; reports-2's own CPU spike "
        "four hours earlier cleared by itself; the PHP `Undefined array key \"currency\"` warnings are "
        "constant on both hosts.")
    return sc


BUILDERS = [build05, build06]
