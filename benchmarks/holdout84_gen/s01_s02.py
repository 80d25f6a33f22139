"""h84-01 (OCR Lambda out of memory on broker bundles) and h84-02 (legacy SOAP adapter host
pinned by a co-located archive job, seen as ALB latency)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import (H84, alb_set, anomaly, ec2_set, ecs_set, emit, every, expect,
                  lambda_set, log4j, meta, minutes, pick, rds_set, syslog)


def build_01() -> H84:
    sc = H84(1, "docread-bundle-pages", "Claim document extraction failing for part of the intake "
             "queue; the Errors alarm on the extraction function paged the claims platform on-call.",
             "eu-west-1", 8401, "2026-03-17T10:40:00")
    fn, mailer = "claim-doc-extract", "claim-notice-mailer"
    t0 = -2700
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024,
                trigger="s3:ie-claims-inbound-docs")
    sc.resource("lambda", mailer, runtime="ruby3.3", timeout=30, memory_size=256)
    big = lambda t: 0.38 * ramp(t, t0, t0 + 240)  # share of multi-page broker bundles
    m = lambda_set(sc, fn, lambda t: 7.0 * diurnal(sc, t, 12.5, 0.3),
                   lambda t: 7.0 * diurnal(sc, t, 12.5, 0.3) * big(t) * 1.15,
                   lambda t: 5200 + 9000 * big(t))
    sc.metric("LambdaInsights", "memory_utilization", {"function_name": fn}, "Percent",
              sc.series(lambda t: 44 + 56 * ramp(t, t0, t0 + 240), noise=0.12, cap=100.0))
    mm = lambda_set(sc, mailer, lambda t: 2.2 * diurnal(sc, t, 12.5, 0.3), lambda t: 0.0,
                    lambda t: 640.0)
    pre = [(-18600, "UpdateFunctionCode20150331v2"), (-18590, "PublishVersion20150331")]
    for t, ev in pre:
        sc.change(t, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, "gh-actions-claims")
    sc.change(-2790, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", mailer, "a.brennan")
    bucket = "ie-claims-inbound-docs"

    def body(ll, t, rid, is_err, cold):
        rng = sc.rng
        claim = f"CLM-{rng.randint(7100000, 7799999)}"
        broker = is_err or (rng.random() < big(t) * 0.25)
        if broker:
            pages, dpi, chan = rng.randint(44, 160), 300, "broker-sftp:NGB"
            key = f"intake/{sc.at(t).strftime('%Y/%m/%d')}/{claim}/NGB-bundle-{rng.randint(1, 40):04d}.tif"
        else:
            pages, dpi, chan = rng.randint(1, 6), pick(sc, [200, 200, 300, 150]), pick(sc, ["email-scan", "portal-upload", "mailroom"])
            key = f"intake/{sc.at(t).strftime('%Y/%m/%d')}/{claim}/scan-{rng.randint(1, 9):04d}.tif"
        size = pages * rng.uniform(0.9, 2.6) * (3.2 if dpi == 300 else 1)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"Received s3:ObjectCreated:Put s3://{bucket}/{key} (size={size:.1f} MB)")),
                 (0.41, ll.fmt(t + 0.41, rid, "INFO", f"Loaded {pages} page(s) at {dpi} dpi, channel={chan}"))]
        if dpi == 150:
            lines.append((0.45, ll.fmt(t + 0.45, rid, "WARNING", f"Low-resolution page detected (dpi=150) in {key}; upscaling before OCR")))
        if is_err:
            dur = rng.uniform(6000, 26000)
            if rng.random() < 0.65:
                lines.append((dur / 1000 - 0.002, f"RequestId: {rid} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"))
                return {"lines": lines, "dur": dur, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
            mib = rng.choice([385.2, 412.0, 367.9, 440.6])
            lines.append((dur / 1000 - 0.003, ll.fmt(t + dur / 1000, rid, "ERROR",
                          f"MemoryError: Unable to allocate {mib} MiB for an array with shape (13200, 10200, 3) and data type uint8\n"
                          "Traceback (most recent call last):\n  File \"/var/task/docread/handler.py\", line 61, in lambda_handler\n"
                          "    images = [np.asarray(p.convert(\"RGB\")) for p in iter_pages(src)]\n"
                          "  File \"/var/task/docread/handler.py\", line 61, in <listcomp>\n"
                          "    images = [np.asarray(p.convert(\"RGB\")) for p in iter_pages(src)]")))
            return {"lines": lines, "dur": dur, "mem": rng.randint(1011, 1024)}
        dur = rng.gauss(4800 + 700 * pages, 600) if not broker else rng.uniform(42000, 88000)
        if rng.random() < 0.07:
            lines.append((dur / 1000 - 0.2, ll.fmt(t + dur / 1000 - 0.2, rid, "ERROR",
                          f"Textract returned no text blocks for page 1 of {key}; routing to manual indexing queue")))
        words = rng.randint(180, 900) * pages
        lines.append((dur / 1000 - 0.05, ll.fmt(t + dur / 1000, rid, "INFO",
                      f"Extracted {words} words, {rng.randint(4, 30)} key-value pairs from {pages} page(s); wrote s3://{bucket}/extracted/{claim}.json")))
        mem = rng.randint(820, 990) if broker else int(rng.gauss(330 + 40 * pages, 40))
        return {"lines": lines, "dur": dur, "mem": mem}

    LambdaLogs(sc, fn, "python3.12", 1024, 120, mem_used=(380, 60)).run(
        minutes(m["inv"]), minutes(m["err"]), body)

    def mbody(ll, t, rid, is_err, cold):
        to = f"{sc.rng.choice(['ann', 'brian', 'ciara', 'dara', 'eoin'])}.{sc.rng.randint(10, 99)}@example.ie"
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", f"Sending claim acknowledgement template=ack_v7 to={to}")),
                          (0.55, ll.fmt(t + 0.55, rid, "INFO", "SES MessageId accepted"))],
                "dur": sc.rng.gauss(620, 90)}

    LambdaLogs(sc, mailer, "ruby3.3", 256, 30, retire=[-2790], mem_used=(92, 6)).run(
        minutes(mm["inv"]), {}, mbody)
    sc.alarm("claim-doc-extract-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 4,
             "GreaterThanThreshold", "Document extraction failures (intake will back up)")
    sc.alarm("claim-notice-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": mailer}, "Sum", 300, 1, 3,
             "GreaterThanThreshold")
    expect(sc, "claim-doc-extract-errors", "memory_exhaustion", [fn],
           [anomaly("AWS/Lambda", "Errors", {"FunctionName": fn}),
            anomaly("LambdaInsights", "memory_utilization", {"function_name": fn})])
    meta(sc, alarm_on="origin", services="Lambda (Python 3.12, Ruby 3.3)",
         decoys="config update on the mailer function 90 s before onset; code deploy on the "
                "extractor 5 h earlier; handled Textract 'no text blocks' ERROR lines and low-DPI "
                "warnings at a constant rate all along",
         story="The S3-triggered OCR function starts failing 45 minutes ago when a broker's SFTP "
               "bundles (44-160 pages at 300 dpi) begin to arrive. Failed invocations end with "
               "`Runtime exited with error: signal: killed` and `Error Type: Runtime.OutOfMemory`, "
               "`Max Memory Used: 1024 MB` of 1024, or a numpy `MemoryError`; Lambda Insights "
               "memory utilisation goes to 100 %. The mailer's configuration update lands 90 s before "
               "the onset but the mailer never errors, and the extractor's own deploy is five "
               "hours old with clean hours after it. The ERROR lines about Textract returning no text "
               "are handled and run at the same rate for the whole three hours of logs.")
    return sc


def build_02() -> H84:
    sc = H84(2, "pas-bridge-latency", "Internal ALB for the policy-admin SOAP bridge is slow; claims "
             "intake screens time out fetching policy details. The ALB latency alarm fired.",
             "us-east-1", 8402, "2026-03-18T15:10:00")
    iid, host = "i-0c41d9e27ab5830f6", "ip-10-20-3-41"
    lb = "app/pas-bridge-int/4be0c7a91d2f3e68"
    cl, svc, db = "claims-core", "claim-workflow", "claims-ledger-pg"
    t0 = -3300
    sc.resource("ec2", iid, name="pas-bridge-01", instance_type="m5.large", platform="Amazon Linux 2",
                log_groups=["/pas-bridge/app", "/pas-bridge/access", "/pas-bridge/system"])
    sc.resource("alb", lb, name="pas-bridge-int", scheme="internal", targets=[iid])
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4)
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=1000,
                allocated_storage_gb=500)
    hot = lambda t: ramp(t, t0, t0 + 180)
    ec2_set(sc, iid, lambda t: 31 * diurnal(sc, t, 16, 0.2) + 67.5 * hot(t), lambda t: 57 + 1.5 * hot(t),
            lambda t: 61.2 + 0.0001 * (t + 21600) / 60, net_mb=lambda t: 22 * diurnal(sc, t, 16, 0.2))
    req = lambda t: 115 * diurnal(sc, t, 16, 0.2)
    alb_set(sc, lb, req, lambda t: 0.34 + 5.6 * ramp(t, t0 + 60, t0 + 600),
            lambda t: 0.15 + 1.5 * ramp(t, t0 + 60, t0 + 600), lambda t: req(t) * 0.05 * ramp(t, t0 + 300, t0 + 900),
            healthy=lambda t: 1)
    ecs_set(sc, cl, svc, lambda t: 28 * diurnal(sc, t, 16, 0.2) + bump(t, -3420, -3240, 12, 60),
            lambda t: 46 + bump(t, -3420, -3240, 6, 60), tasks=lambda t: 4 + 4 * bump(t, -3400, -3230, 1, 10))
    rds_set(sc, db, lambda t: 22 + bump(t, -13200, -11900, 63, 200), lambda t: 140, lambda t: 212.0,
            lambda t: 5.1)
    sc.change(-3440, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "claim-workflow:212", "jenkins-claims")
    sc.change(-3420, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "jenkins-claims")
    sc.change(-14100, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "dba-automation")
    app, acc, sysg = "/pas-bridge/app", "/pas-bridge/access", "/pas-bridge/system"
    ops = ["PolicyInquiry", "CoverageCheck", "PolicyInquiry", "InsuredLookup"]

    def latency(t):
        return sc.rng.gauss(310, 60) + hot(t) * sc.rng.uniform(2500, 9500)

    def app_ok(t):
        op, ms = pick(sc, ops), latency(t)
        be = sc.rng.gauss(170, 35)
        pol = f"{pick(sc, ['HO3', 'DP1', 'PAU', 'CGL'])}-{sc.rng.randint(1000000, 9999999)}"
        lvl = "WARN " if ms > 5000 else "INFO"
        msg = (f"{op} completed policy={pol} backend=PAS-CICS backend_ms={be:.0f} total_ms={ms:.0f}"
               + (" (slow request, threshold 5000 ms)" if ms > 5000 else ""))
        return log4j(sc, t, lvl.strip(), f"http-nio-8443-exec-{sc.rng.randint(1, 200)}", "c.m.pas.bridge.ws.PolicyEndpoint", msg)

    emit(sc, app, iid, lambda t: 4.5, app_ok)
    emit(sc, app, iid, lambda t: 1.4, lambda t: log4j(
        sc, t, "ERROR", f"http-nio-8443-exec-{sc.rng.randint(1, 200)}", "o.a.c.ws.security.wss4j.WSS4JInInterceptor",
        "org.apache.wss4j.common.ext.WSSecurityException: The security token could not be authenticated or "
        "authorized (user=ngb_legacy_batch)"))
    emit(sc, app, iid, lambda t: 0.9 * ramp(t, t0 + 240, t0 + 700), lambda t: log4j(
        sc, t, "WARN", "pas-health-1", "c.m.pas.bridge.HealthMonitor",
        f"Connector http-nio-8443 busy threads {sc.rng.randint(188, 200)}/200, accept queue {sc.rng.randint(20, 96)}, "
        f"process cpu {sc.rng.uniform(6, 11):.1f}% of 2 vCPU"))
    every(sc, app, iid, 300, lambda t: log4j(
        sc, t, "INFO", "pas-health-1", "c.m.pas.bridge.HealthMonitor",
        f"heap used {sc.rng.randint(610, 790)}M/2048M, gc young {sc.rng.randint(3, 9)} in last 5m, backend PAS-CICS OK"))

    def access(t):
        ms = latency(t) / 1000
        code = 504 if hot(t) and sc.rng.random() < 0.05 else 200
        return (f"10.20.{sc.rng.randint(4, 9)}.{sc.rng.randint(2, 250)} - - [{sc.at(t).strftime('%d/%b/%Y:%H:%M:%S')} +0000] "
                f"\"POST /pas/ws/{pick(sc, ops)} HTTP/1.1\" {code} {sc.rng.randint(1800, 5200)} {ms:.3f}")

    emit(sc, acc, iid, lambda t: 3.0, access)
    every(sc, sysg, iid, 600, lambda t: syslog(sc, t, host, f"CROND[{sc.rng.randint(20000, 29999)}]", "(root) CMD (/usr/lib64/sa/sa1 1 1)"), phase=0.2)
    every(sc, sysg, iid, 3600, lambda t: syslog(sc, t, host, f"run-parts(/etc/cron.hourly)[{sc.rng.randint(20000, 29999)}]", "finished 0anacron"), phase=3062)
    sc.log(sysg, iid, t0 + 0.4, syslog(sc, t0 + 0.4, host, "CROND[28841]", "(pasbridge) CMD (/opt/pas-bridge/bin/archive-soap-audit.sh --month 2026-02)"))
    sc.log(sysg, iid, t0 + 2.1, syslog(sc, t0 + 2.1, host, "archive-soap-audit[28843]",
                                       "compressing 4812 SOAP audit files (61.3 GiB) with pigz -9 -p 2"))
    every(sc, sysg, iid, 300, lambda t: syslog(sc, t, host, "archive-soap-audit[28843]",
                                               f"progress {int((t - t0) / 3300 * 2710)}/4812 files, elapsed {int(t - t0)}s"),
          start=t0 + 300)
    sc.alarm("pas-bridge-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 2.5, "GreaterThanThreshold", "Policy bridge response time above 2.5 s")
    sc.alarm("claims-ledger-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    expect(sc, "pas-bridge-int-latency", "cpu_saturation", [iid, "pas-bridge-01"],
           [anomaly("AWS/EC2", "CPUUtilization", {"InstanceId": iid}),
            anomaly("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    meta(sc, alarm_on="front (ALB -> EC2 target)", services="ALB, EC2 (Java/Tomcat), ECS, RDS",
         decoys="claim-workflow ECS deploy 2 min before onset; WSS4J authentication ERRORs at a constant "
                "rate; RDS CPU alarm from a spike 3.5 h ago (back to OK)",
         story="The single target behind the internal ALB is the legacy SOAP bridge to the mainframe "
               "policy system. 55 minutes ago cron starts a monthly audit-archive script on the same host "
               "(`pigz -9 -p 2` over 61 GiB, logged in /pas-bridge/system); CPU goes from ~30 % to 98-99 % "
               "within three minutes and stays there. Request volume is flat, the bridge's own "
               "`backend_ms` to PAS-CICS stays ~170 ms while `total_ms` climbs to seconds and Tomcat's "
               "thread pool fills: the host, not the mainframe, is the bottleneck. The workflow deploy "
               "two minutes before onset changed a service whose metrics never move; the WSS4J errors are "
               "one broker's expired credential, present all day.")
    return sc


BUILDERS = [build_01, build_02]
