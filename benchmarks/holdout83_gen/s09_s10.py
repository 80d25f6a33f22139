"""h83-09 (pairwise plagiarism shards outgrowing the function timeout) and h83-10 (campus sign-in
failing because the directory instance behind it hung)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs
from benchmarks.holdout83_gen.kit import (Sc, apigw_set, binom, counts_per_minute, ec2_set, emit, expect,
                                          lambda_set, load, meta)


def build_09() -> Sc:
    sc = Sc(9, "pairwise-errors", "Plagiarism reports for tonight's project deadlines not appearing; "
            "pairwise-compare Errors alarm fired.", "us-east-1", 8309, "2026-05-28T22:10:00")
    rng = sc.rng
    fn, mailer, corpus = "pairwise-compare", "moss-report-mailer", "corpus-refresh"
    sc.resource("lambda", fn, runtime="python3.11", memory_size=3008, timeout=60, trigger="SQS shard queue")
    sc.resource("lambda", mailer, runtime="python3.12", memory_size=256, timeout=30)
    sc.resource("lambda", corpus, runtime="python3.12", memory_size=1024, timeout=900)
    L = lambda t: load(sc, t, peak=21.0, amp=0.3, rush_amp=0.5)  # noqa: E731
    big = -2100
    share = lambda t: 0.68 * ramp(t, big, big + 120)  # noqa: E731
    m = lambda_set(sc, fn, lambda t: 6 * L(t), lambda t: 15500 * (1 - share(t)) + 60010 * share(t),
                   err=lambda t: 0.0, err_p=share)
    mm = lambda_set(sc, mailer, lambda t: 1.2 * L(t), lambda t: 480.0)
    lambda_set(sc, corpus, lambda t: 0.2, lambda t: 41000 + 380000 * bump(t, -9300, -8400, 1.0, 200))
    small = ["CS1010-L9", "CS2040-PS7", "IS1103-E2", "CS2100-A4"]
    bigs = [("CS2030-PA3", 1140), ("CS1101S-M3", 980)]

    def body(ll, t, rid, is_err, cold):
        lines = []
        if is_err:
            a, n = rng.choice(bigs)
        else:
            a, n = rng.choice(small), rng.randint(180, 420)
        k = rng.randint(1, 16)
        pairs = n * (n - 1) // 2 // 16
        lines.append((0.01, ll.fmt(t, rid, "INFO", f"assignment={a} shard={k}/16 submissions={n} pairs={pairs}")))
        if rng.random() < 0.12:
            lines.append((0.8, ll.fmt(t + 0.8, rid, "ERROR", f"could not decode {a}/s{rng.randint(100000, 999999)}/"
                                                          f"{rng.choice(['Main.java', 'solution.py', 'notes.txt'])} as UTF-8, skipping file")))
        rate = rng.uniform(560, 640)
        if is_err:
            for frac in (0.25, 0.5, 0.75):
                el = pairs * frac / rate
                if el < 59:
                    lines.append((el, ll.fmt(t + el, rid, "INFO", f"progress {int(pairs * frac)}/{pairs} pairs "
                                                                 f"({int(frac * 100)}%) elapsed {el:.1f}s")))
            return {"lines": lines, "dur": 60000, "status": "timeout", "mem": rng.randint(1050, 1250)}
        dur = pairs / rate * 1000 + rng.uniform(600, 1500)
        lines.append((dur / 1000 - 0.02, ll.fmt(t + dur / 1000, rid, "INFO", f"shard done: {pairs} pairs, "
                                                                      f"{rng.randint(0, 6)} above threshold 0.80 in {dur / 1000:.1f}s")))
        return {"lines": lines, "dur": dur, "mem": rng.randint(700, 1000)}

    ll = LambdaLogs(sc, fn, "python3.11", 3008, 60, mem_used=(900, 80), prewarm=-8700)
    ll.run(counts_per_minute(m["inv"], -9000, 0), counts_per_minute(m["err"], -9000, 0), body)
    ml = LambdaLogs(sc, mailer, "python3.12", 256, 30, mem_used=(70, 4), retire=[-2220], prewarm=-8700)
    ml.run(counts_per_minute(mm["inv"], -9000, 0), {}, lambda ll, t, rid, e, c: {
        "lines": [(0.05, ll.fmt(t, rid, "INFO", f"report mail sent to course staff of {rng.choice(small)} "
                                               f"({rng.randint(1, 6)} recipients)"))], "dur": rng.gauss(480, 60)})
    sc.change(-12600, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", corpus, "s.wong")
    sc.change(-2220, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", mailer,
              "AWSReservedSSO_AcademicIntegrity_71c4e0a9d2b5f386/m.alvarez")
    sc.alarm("pairwise-compare-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Plagiarism comparison shards failing")
    sc.alarm("corpus-refresh-duration", "AWS/Lambda", "Duration", {"FunctionName": corpus}, "Maximum", 300, 1, 300000,
             "GreaterThanThreshold")
    expect(sc, "pairwise-compare-errors", "function_timeout", [fn],
           [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta(sc, position="origin (the Lambda)", services="Lambda", runtime="Python 3.11 Lambda", logfmt="Lambda plain text",
         decoys="mailer config change 2 min before onset; UTF-8 decode ERROR lines all day; corpus-refresh duration alarm from 2.5 h earlier",
         story="""pairwise-compare compares the submissions of one assignment in 16 shards; a shard's work grows with
         the square of the cohort. Until -35 min all shards are small courses (180-420 submissions, 10-25 s). When the
         21:30 project deadlines close, shards of CS2030-PA3 (1,140 submissions, ~40,600 pairs per shard) and
         CS1101S-M3 arrive; at ~600 pairs/s they log progress to 50-75 % and end with `Task timed out after 60.00
         seconds` (REPORT `Status: timeout`), Duration pinned at 60 s, memory normal, no downstream calls or
         dependency errors. The environment update on moss-report-mailer at -37 min is the nearest change but that
         function is unaffected; the `could not decode ... as UTF-8` ERROR lines run at the same rate all evening;
         corpus-refresh's duration alarm is a long nightly run 2.5 hours earlier.""")
    return sc


def build_10() -> Sc:
    sc = Sc(10, "campus-sso-5xx", "Students cannot sign in to the LMS before the 09:00 exams ('Login service "
            "unavailable'); campus-sso 5XX alarm fired.", "ca-central-1", 8310, "2026-05-29T08:50:00")
    rng = sc.rng
    api, fn = "campus-sso", "saml-assert"
    dir_id, bastion = "i-0c3f9a27d4e1b8605", "i-0718e5d2c9b4a3f16"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL", integration="AWS_PROXY")
    sc.resource("lambda", fn, runtime="dotnet8", memory_size=1024, timeout=15, vpc="vpc-0a91 (private subnets)",
                environment_keys=["LDAP_HOST", "LDAP_PORT", "SAML_SP_ENTITY"])
    sc.resource("ec2", dir_id, name="dir-01", instance_type="r6i.large", role="OpenLDAP directory (10.20.4.17)",
                log_groups=["/directory/slapd", "/directory/syslog"])
    sc.resource("ec2", bastion, name="ops-bastion", instance_type="t3.small")
    L = lambda t: load(sc, t, peak=9.0, amp=0.35, rush_amp=1.3)  # noqa: E731
    hang = -1980
    down = lambda t: t >= hang  # noqa: E731
    bad_saml = 0.05
    m = lambda_set(sc, fn, lambda t: 14 * L(t), lambda t: 5080.0 if down(t) else 240.0)
    e5 = binom(sc, m["inv"], lambda t: (1 - bad_saml) if down(t) else 0.0)
    e4 = binom(sc, m["inv"], lambda t: bad_saml)
    apigw_set(sc, api, m["inv"], lambda t: 5110.0 if down(t) else 268.0, e4=e4, e5=e5)
    ec2_set(sc, dir_id, lambda t: 0.3 if down(t) else 11 * L(t), lambda t: 0.002 if down(t) else 2.4 * L(t),
            status=lambda t: 1.0 if down(t) else 0.0, mem=lambda t: None if down(t) else 61.0,
            disk=lambda t: None if down(t) else 33.0)
    ec2_set(sc, bastion, lambda t: 3 + 80 * bump(t, -7300, -6900, 1.0, 60), lambda t: 0.05)
    dims = {"InstanceId": dir_id}
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", dims, "Count", [1.0 if down(t) else 0.0 for t in GRID])

    def body(ll, t, rid, is_err, cold):
        user = f"{rng.choice('abcdefghjkmnprstw')}{rng.choice('abcdefghjkmnprstw')}{rng.randint(100, 999)}"
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"Saml.Assert[0] AuthnRequest from https://lms.campus.ca/shibboleth "
                                               f"RelayState=/course/{rng.randint(1000, 9999)} user={user}"))]
        if rng.random() < 0.06:
            lines.append((0.01, ll.fmt(t + 0.01, rid, "WARNING", "Saml.AuthnRequest[0] Clock skew of 3s detected for SP "
                                                               "https://lms.campus.ca/shibboleth; within tolerance")))
        if rng.random() < bad_saml:
            lines.append((0.02, ll.fmt(t + 0.02, rid, "WARNING", "Saml.AuthnRequest[0] Rejected: signature on "
                                                               "AuthnRequest invalid -> 400")))
            return {"lines": lines, "dur": rng.gauss(30, 5)}
        if down(t):
            lines.append((5.01, ll.fmt(t + 5.01, rid, "ERROR", "Ldap.Bind[0] Novell.Directory.Ldap.LdapException: "
                                       "Connect Error\n ---> System.Net.Sockets.SocketException (110): Connection timed out "
                                       "10.20.4.17:636\n   at Novell.Directory.Ldap.Connection.Connect(String host, Int32 port, "
                                       "Int32 semaphoreId)\n   at Campus.Sso.DirectoryClient.BindAsync(String uid) in "
                                       "/src/Campus.Sso/DirectoryClient.cs:line 58")))
            lines.append((5.03, ll.fmt(t + 5.03, rid, "ERROR", "Saml.Assert[0] directory lookup failed; returning 502 "
                                                             "'Login service unavailable'")))
            return {"lines": lines, "dur": rng.gauss(5070, 20)}
        dur = rng.gauss(240, 40)
        lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000, rid, "INFO", f"Saml.Assert[0] bound uid={user} "
                                                                        f"ou=students; assertion issued (eduPersonAffiliation=student)")))
        return {"lines": lines, "dur": dur}

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 15, mem_used=(142, 10), prewarm=-6900)
    ll.run(counts_per_minute(m["inv"], -7200, 0), {}, body)
    emit(sc, -21600, hang - 30, lambda mm: 2.5 * L(mm), lambda t: sc.log("/directory/slapd", dir_id, t, (
        f"{sc.at(t).strftime('%b %d %H:%M:%S')} dir-01 slapd[1184]: conn={rng.randint(400000, 499999)} op=1 BIND "
        f"dn=\"uid={rng.choice('abcdefgh')}{rng.randint(100, 999)},ou=students,dc=campus,dc=ca\" method=128 "
        "- RESULT tag=97 err=0 qtime=0.000012 etime=0.000391 text=")))
    for dt, msg in [(-95, "kernel: nvme nvme0: I/O 417 QID 2 timeout, aborting"),
                    (-64, "kernel: nvme nvme0: I/O 417 QID 2 timeout, reset controller"),
                    (-20, "kernel: INFO: task slapd:1184 blocked for more than 120 seconds.")]:
        sc.log("/directory/syslog", dir_id, hang + dt, f"{sc.at(hang + dt).strftime('%b %d %H:%M:%S')} dir-01 {msg}")
    emit(sc, -21600, hang - 120, 0.05, lambda t: sc.log("/directory/syslog", dir_id, t, (
        f"{sc.at(t).strftime('%b %d %H:%M:%S')} dir-01 systemd[1]: Started session {rng.randint(100, 999)} of user ec2-user.")))
    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "azdo-sso-release")
    sc.change(-1860, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api, "d.tremblay")
    sc.change(-7350, "ec2.amazonaws.com", "StartInstances", "AWS::EC2::Instance", bastion, "d.tremblay")
    sc.alarm("campus-sso-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 25,
             "GreaterThanThreshold", "Campus sign-in failures")
    sc.alarm("saml-assert-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.alarm("dir-01-status-check", "AWS/EC2", "StatusCheckFailed", dims, "Maximum", 60, 2, 0,
             "GreaterThanThreshold", "Directory instance status check")
    expect(sc, "campus-sso-5xx", "dependency_failure", [dir_id, "dir-01"],
           [("AWS/EC2", "StatusCheckFailed", dims), ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    meta(sc, position="front (API Gateway); origin is the directory EC2 instance behind the Lambda",
         services="API Gateway, Lambda, EC2", runtime=".NET 8 Lambda; OpenLDAP on EC2",
         logfmt="Lambda (.NET) plain text, slapd/syslog",
         decoys="API deployment 2 min after the onset, before the alarm; Lambda Errors stay at zero; clock-skew warnings and invalid-signature 400s all morning; bastion CPU spike",
         story="""campus-sso (API Gateway) fronts saml-assert, a .NET Lambda that binds each user against OpenLDAP on
         dir-01 (10.20.4.17). At -33 min dir-01's syslog shows NVMe I/O timeouts and slapd blocked, its slapd log stops,
         its StatusCheckFailed goes to 1 and its CPU and network drop to nothing. From then on every sign-in waits 5 s
         and logs `LdapException: Connect Error ---> SocketException (110): Connection timed out 10.20.4.17:636`; the
         function handles it and returns 502, so its own Errors metric stays at zero while the API's 5XX count
         follows the login volume of the 09:00 exam rush. The API deployment at -31 min comes after the first
         time-outs; the clock-skew warnings and invalid-signature 400s run all morning.""",
         note="""h83-10 is dependency_failure with dir-01 as the origin: the Lambda's errors are connection time-outs to
         the directory, and the directory is down (status check failed), not saturated.""")
    return sc


BUILDERS = [build_09, build_10]
