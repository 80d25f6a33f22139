"""h83-03 (LTI launch API behind which a role lost kms:Sign) and h83-04 (one autograder instance
pinned by a runaway sandbox job)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs
from benchmarks.holdout83_gen.kit import (Sc, alb_set, apigw_set, binom, counts_per_minute, ec2_set, emit, every,
                                          expect, lambda_set, load, log4j, meta)


def build_03() -> Sc:
    sc = Sc(3, "lti-launch-5xx", "Students clicking the proctored-quiz tool in their course get 'Internal server "
            "error'; the lti-launch API 5XX alarm is firing.", "ap-southeast-2", 8303, "2026-05-20T09:10:00")
    rng = sc.rng
    api, fn, other = "lti-launch", "lti-launch-handler", "roster-webhook"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", integration="AWS_PROXY")
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=512, timeout=10, role="lti-launch-exec")
    sc.resource("lambda", other, runtime="python3.12", memory_size=256, timeout=30)
    L = lambda t: load(sc, t, peak=10.0, amp=0.35, rush_amp=0.5)  # noqa: E731
    cut = -1890
    cookie = 0.045
    m = lambda_set(sc, fn, lambda t: 9 * L(t), lambda t: 185.0 if t < cut else 96.0,
                   err_p=lambda t: 1.0 - cookie if t >= cut else 0.0)
    e4 = binom(sc, [i - e for i, e in zip(m["inv"], m["err"])], lambda t: cookie / (1 - (1 - cookie) * (t >= cut)))
    apigw_set(sc, api, m["inv"], lambda t: 210.0 if t < cut else 118.0, e4=e4, e5=m["err"])
    o = lambda_set(sc, other, lambda t: 1.5, lambda t: 640 + 5200 * bump(t, -5400, -4860, 1.0, 120))
    acct = sc.account
    key = sc.uuid()
    denied = json.dumps({
        "errorType": "AccessDeniedException",
        "errorMessage": f"User: arn:aws:sts::{acct}:assumed-role/lti-launch-exec/{fn} is not authorized to perform: "
                        f"kms:Sign on resource: arn:aws:kms:ap-southeast-2:{acct}:key/{key} because no identity-based "
                        "policy allows the kms:Sign action",
        "name": "AccessDeniedException", "$fault": "client",
        "$metadata": {"httpStatusCode": 400, "attempts": 1, "totalRetryDelay": 0},
        "stack": ["AccessDeniedException: User: arn:aws:sts::... is not authorized to perform: kms:Sign",
                  "    at de_AccessDeniedExceptionRes (/var/runtime/node_modules/@aws-sdk/client-kms/dist-cjs/index.js:1482:21)",
                  "    at async signIdToken (/var/task/src/jwt.js:41:20)",
                  "    at async handleLaunch (/var/task/src/launch.js:88:19)"]}, separators=(",", ":"))
    tools = ["quiz-proctor", "peer-review", "code-lab", "lecture-capture"]

    def body(ll, t, rid, is_err, cold):
        course = f"course-v1:UNI+{rng.choice(['MATH1131', 'COMP1511', 'ECON1101', 'PSYC1001'])}+T2_2026"
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"LTI 1.3 launch: deployment_id=7 context={course} "
                                               f"message_type=LtiResourceLinkRequest tool={rng.choice(tools)}"))]
        if is_err:
            lines.append((0.09, ll.fmt(t + 0.09, rid, "ERROR", "Invoke Error \t" + denied)))
            return {"lines": lines, "dur": rng.gauss(96, 15)}
        if rng.random() < cookie:
            lines.append((0.02, ll.fmt(t + 0.02, rid, "WARN", "launch rejected (400): state cookie missing - "
                                                            "browser blocked third-party cookies?")))
            return {"lines": lines, "dur": rng.gauss(40, 8)}
        if rng.random() < 0.05:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "WARN", f"nonce {sc.hexid(16)} already seen; accepting "
                                                            "(replay window 60s)")))
        dur = rng.gauss(185, 30)
        lines.append((dur / 1000 - 0.005, ll.fmt(t + dur / 1000, rid, "INFO", f"signed id_token kid=lti-2026-05 "
                                                                        f"sub={sc.hexid(12)} -> 302")))
        return {"lines": lines, "dur": dur}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, mem_used=(118, 9), prewarm=-8700)
    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    ol = LambdaLogs(sc, other, "python3.12", 256, 30, mem_used=(96, 8), prewarm=-8700)
    ol.run(counts_per_minute(o["inv"], -9000, 0), {}, lambda ll, t, rid, e, c: {
        "lines": [(0.01, ll.fmt(t, rid, "INFO", f"SIS roster delta applied: {rng.randint(0, 14)} enrolments"))],
        "dur": 640 + 5200 * bump(t, -5400, -4860, 1.0, 120) * rng.uniform(0.8, 1.1)})
    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-lti")
    sc.change(cut - 14, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "lti-launch-exec", "terraform-platform")
    sc.change(-1805, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "j.tanaka")
    sc.change(-1800, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "j.tanaka")
    sc.alarm("lti-launch-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 20,
             "GreaterThanThreshold", "LTI tool launches failing")
    sc.alarm("lti-launch-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 15, "GreaterThanThreshold")
    expect(sc, "lti-launch-5xx", "permission_denied", [fn],
           [("AWS/ApiGateway", "5XXError", {"ApiName": api}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="front (API Gateway); origin is the Lambda whose role lost kms:Sign",
         services="API Gateway, Lambda, IAM", runtime="Node.js 20 Lambda", logfmt="Lambda plain text with JSON error",
         decoys="API deployment + stage update between the IAM change and the alarm; state-cookie 400s and nonce warnings all along; roster-webhook duration spike",
         story="""LTI 1.3 launches from the LMS go through the lti-launch API to lti-launch-handler, which signs an
         id_token with a KMS key. At -32 min terraform rewrites the inline policy of the function's role
         (PutRolePolicy on lti-launch-exec); from the next launch on every invocation fails with
         `AccessDeniedException ... is not authorized to perform: kms:Sign ... because no identity-based policy allows
         the kms:Sign action`, Lambda Errors equal Invocations and the API returns 5xx for all of them. A developer's
         CreateDeployment/UpdateStage on the API at -30 min is the change nearest the alarm, but the first failures
         precede it and name an IAM denial, not a routing problem. The 400s for missing state cookies and the
         nonce-replay warnings run at the same rate all morning.""")
    return sc


def build_04() -> Sc:
    sc = Sc(4, "autograder-latency", "Autograder feedback taking minutes instead of seconds during the lab "
            "deadline; autograde-gw latency alarm fired.", "ap-northeast-1", 8304, "2026-05-21T16:30:00")
    rng = sc.rng
    lb = "app/autograde-gw/3c9e1f07a2b4d6e8"
    ids = ["i-0a4c7e19b2d35f608", "i-06d1b8e3f0c29a4d7", "i-0e92f4a1c6b70d385"]
    names = ["autograde-1", "autograde-2", "autograde-3"]
    bad = ids[1]
    for i, n in zip(ids, names):
        sc.resource("ec2", i, name=n, instance_type="c6i.2xlarge", log_groups=["/autograde/app"])
    sc.resource("alb", lb, name="autograde-gw", scheme="internal", target_type="instance")
    L = lambda t: load(sc, t, peak=15.0, amp=0.3, rush_amp=0.9)  # noqa: E731
    onset = -2700
    hot = lambda t: ramp(t, onset, onset + 240)  # noqa: E731
    slow = lambda t: ramp(t, onset + 60, onset + 900)  # noqa: E731
    alb_set(sc, lb, lambda t: 140 * L(t), lambda t: 0.45 * L(t) ** 0.5 + 3.6 * slow(t),
            e5=lambda t: 1.6 * slow(t), healthy=lambda t: 3.0, t4=lambda t: 0.03 * 140 * L(t))
    nightly = lambda t: bump(t, -12600, -11500, 1.0, 240)  # noqa: E731
    for i in ids:
        cpu = (lambda t: (1 - hot(t)) * 31 * L(t) + 98.7 * hot(t)) if i == bad else \
              (lambda t, i=i: 29 * L(t) + (64 * nightly(t) if i == ids[0] else 0.0))
        ec2_set(sc, i, cpu, lambda t: 18 * L(t), mem=lambda t, i=i: 47 + (6 * hot(t) if i == bad else 0),
                cpu_noise=0.006 + 0.05 * (i != bad))
    grp = "/autograde/app"
    labs = ["lab07-recursion", "lab07-recursion", "lab08-linkedlist", "pa2-bank"]
    for i, n in zip(ids, names):
        def work(t, i=i):
            sub = rng.randint(90000, 99999)
            if i == bad and slow(t) > 0.05:
                secs = rng.uniform(0.3, 1.0) + 14 * slow(t) * rng.uniform(0.5, 1.2)
            else:
                secs = rng.uniform(0.25, 0.9)
            sc.log(grp, i, t, log4j(sc, t, "INFO", f"grader-{rng.randint(1, 8)}", "edu.lms.grader.GradeController",
                                    f"graded submission {sub} {rng.choice(labs)} {rng.randint(6, 12)}/12 tests passed "
                                    f"in {secs:.2f}s"))
        emit(sc, -21600, 0, lambda mm: 2.5 * L(mm), work)
        emit(sc, -21600, 0, 1.1, lambda t, i=i: sc.log(grp, i, t, log4j(
            sc, t, "ERROR", f"grader-{rng.randint(1, 8)}", "edu.lms.grader.CompileService",
            f"compilation failed for submission {rng.randint(90000, 99999)}: Main.java:{rng.randint(5, 90)}: error: "
            f"{rng.choice([chr(39) + ';' + chr(39) + ' expected', 'cannot find symbol', 'incompatible types: int cannot be converted to String'])}")))
        every(sc, -21600, 0, 300, lambda t, i=i: sc.log(grp, i, t, log4j(
            sc, t, "INFO", "metrics", "edu.lms.grader.JobQueue",
            f"queue depth {int(rng.uniform(0, 3) + (40 * slow(t) if i == bad else 0))}, workers "
            f"{min(8, rng.randint(1, 4) + (8 if i == bad and hot(t) > 0.5 else 0))}/8 busy")))
    # nightly reference run on autograde-1
    every(sc, -12600, -11500, 120, lambda t: sc.log(grp, ids[0], t, log4j(
        sc, t, "INFO", "ref-runner", "edu.lms.grader.ReferenceRunner",
        f"running reference solutions for lab08-linkedlist: {rng.randint(100, 412)}/412 cases")))
    every(sc, onset + 600, 0, 600, lambda t: sc.log(grp, bad, t, log4j(
        sc, t, "WARN", "sandbox-watchdog", "edu.lms.grader.sandbox.Watchdog",
        f"job 77812 (submission 98127 lab07-recursion) still running after {int(t - onset)} s (limit 30 s); "
        "sending SIGKILL to pid 48121")), jitter=5)
    every(sc, onset + 605, 0, 600, lambda t: sc.log(grp, bad, t, log4j(
        sc, t, "ERROR", "sandbox-watchdog", "edu.lms.grader.sandbox.Watchdog",
        "kill(48121, SIGKILL) failed: Operation not permitted; job 77812 left running (cgroup /grader/job-77812, "
        "cpu.max not applied: cgroup v1 host)")), jitter=5)
    sc.change(-2510, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0d1e2f3a4b5c6d7e8", "netops-kimura")
    sc.change(-20100, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", ids[2], "netops-kimura")
    dims = {"LoadBalancer": lb}
    sc.alarm("autograde-gw-latency", "AWS/ApplicationELB", "TargetResponseTime", dims, "Average", 60, 5, 2.0,
             "GreaterThanThreshold", "Autograder response time")
    sc.alarm("autograde-gw-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.alarm("autograde-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ids[0]}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    expect(sc, "autograde-gw-latency", "cpu_saturation", [bad, "autograde-2"],
           [("AWS/EC2", "CPUUtilization", {"InstanceId": bad}),
            ("AWS/ApplicationELB", "TargetResponseTime", dims)])
    meta(sc, position="front (ALB); origin is one target instance", services="ALB, EC2",
         runtime="Java 17 grader service", logfmt="log4j plain text",
         decoys="security-group change between onset and alarm; student compile errors all day; autograde-1 CPU alarm from a nightly reference run 3 h earlier",
         story="""Three c6i instances run the Java autograder behind the internal autograde-gw ALB. At -45 min
         autograde-2's CPU jumps from ~30 % to 99-100 % and stays pinned while the other two stay near 30 %;
         its grading times grow from under a second to ~15 s, its queue depth climbs to 40 with all workers busy,
         and the ALB's average response time rises until the latency alarm fires. The watchdog lines on that
         instance explain the pinning: a student's job 77812 keeps running past its 30 s limit and SIGKILL fails.
         The security-group ingress change at -42 min touches network rules only and comes after the CPU jump;
         the compile errors are students' code and run at the same rate all day; autograde-1's CPU alarm is from the
         nightly reference run three hours earlier and is back to OK.""")
    return sc


BUILDERS = [build_03, build_04]
