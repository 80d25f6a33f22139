"""h64-09 (Apache/PHP fleet, TV-driven surge) and h64-10 (Java Lambda fed by an SFTP host)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .estate import alb, apache, apache_err, ec2, emit, every, iid, lam, pick, rds, syslog
from .runtimes import LambdaLogs


def s09() -> Scenario:
    sc = Scenario(9, "shop-latency-evening",
                  "Online shop slow this evening; ALB response-time alarm in ALARM.",
                  "ap-northeast-1", 6409, "2026-10-05T12:20:00")
    rng = sc.rng
    onset, ssm = -2400, -2580
    hosts = [iid(sc) for _ in range(3)]
    names = {h: f"web-a{i + 1}" for i, h in enumerate(hosts)}
    surge = lambda t: 6.1 * ramp(t, onset, onset + 180) * (1 - 0.25 * ramp(t, onset + 600, 0))
    base = lambda t: 640 * diurnal(sc, t, 12, .3)
    load = lambda t: base(t) * (1 + surge(t))
    for h in hosts:
        ec2(sc, h, names[h], "c5.xlarge", lambda t: min(86.0, 23 * diurnal(sc, t, 12, .3) * (1 + 0.5 * surge(t))) + bump(t, ssm, ssm + 120, 9, 20),
            lambda t: 49.0 + 9 * surge(t) / 6, lambda t: 42.0, net=lambda t: 2.8e6 * (1 + surge(t)),
            log_groups=["/omise/httpd/access", "/omise/httpd/error"])
    lb = alb(sc, "omise-web", load, lambda t: 1.0 + 0.002 * load(t) * (surge(t) > 1),
             lambda t: 0.11 + 0.24 * surge(t), lambda t: 3.0, elb5xx=lambda t: 0.4 * surge(t))
    rds(sc, "omise-mysql", "mysql", "db.r6g.large", 1000, 400,
        lambda t: 16 * diurnal(sc, t, 12, .3) * (1 + 0.42 * surge(t)), lambda t: 62 + 25 * surge(t),
        lambda t: 240.0, rlat=lambda t: 0.0011 * (1 + 0.2 * surge(t)))
    pages = [(30, "/"), (25, "/item/%d"), (15, "/cart"), (10, "/search?q=%E6%9E%97%E6%AA%8E"), (20, "/static/js/app.%s.js")]
    for h in hosts:
        def line(t):
            hot = rng.random() < surge(t) / (1 + surge(t))
            if hot:
                p, ref, ua = "/campaign/autumn-sale", pick(rng, [(3, "-"), (1, "https://www.google.co.jp/"), (1, "https://t.co/")]), "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
            else:
                p = pick(rng, pages)
                p = p % rng.randint(10000, 99999) if "%d" in p else p % sc.hexid(8) if "%s" in p else p
                ref, ua = "https://omise.example.jp/", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
            us = int(rng.gauss(95000, 25000) * (1 + 2.2 * surge(t)))
            st = 200 if rng.random() > 0.003 * (surge(t) > 1) else 503
            return apache(sc, t, f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "GET", p, st, rng.randint(1800, 52000), max(9000, us), ua=ua, ref=ref)
        emit(sc, "/omise/httpd/access", h, lambda t: 3.0 * min(3.0, 1 + surge(t) / 3), line, start=-14400)
        emit(sc, "/omise/httpd/error", h, lambda t: 0.8, lambda t: apache_err(
            sc, t, "php:notice", rng.randint(3000, 9000), "PHP Notice:  Undefined index: HTTP_ACCEPT_LANGUAGE in /var/www/omise/lib/i18n.php on line 22", client=f"{sc.ip('10.2')}:{rng.randint(30000, 60000)}"), start=-14400)
        emit(sc, "/omise/httpd/error", h, lambda t: 0.2 * (surge(t) > 1), lambda t: apache_err(
            sc, t, "proxy_fcgi:error", rng.randint(3000, 9000), "AH01067: Failed to read FastCGI header", client=f"{sc.ip('10.2')}:{rng.randint(30000, 60000)}"), start=onset)
        sc.log("/omise/httpd/error", h, -20000, apache_err(sc, -20000, "mpm_event:notice", 1021, "AH00489: Apache/2.4.62 () configured -- resuming normal operations"))
    sc.change(ssm, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", hosts[0], "ssm-maintenance")
    sc.change(ssm + 1, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", hosts[1], "ssm-maintenance")
    sc.change(ssm + 1, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", hosts[2], "ssm-maintenance")
    sc.change(-12400, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "omise-mysql80-params", "k.tanaka")
    sc.alarm("omise-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "Shop ALB target response time")
    sc.alarm("omise-mysql-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "omise-mysql"}, "Average", 300, 2, 45,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "omise-web-latency", "root_cause": {"category": "traffic_surge", "resource": [lb, "omise-web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {"front": "origin (ALB)", "decoys": "SSM AWS-UpdateSSMAgent on all three web hosts 3 min before onset; RDS CPU alarm also firing; long-standing PHP notices; a parameter-group change ~3 h earlier",
               "story": "`omise-web` TargetResponseTime goes from ~0.1 s to ~1.3 s. Three minutes earlier the SSM State Manager ran `AWS-UpdateSSMAgent` on every web host, and the RDS CPU alarm is also in ALARM; both are tempting. But RequestCount jumps about sevenfold at the onset, mostly mobile hits on `/campaign/autumn-sale` with no or search/social referrers (a TV mention at 21:20 JST). Host CPU rises to ~85 % but never pins, RDS CPU goes to ~65 % in proportion to load, there are no new errors apart from a trickle of FastCGI header timeouts, and the PHP notices are hours old. A traffic surge at the ALB."}
    return sc


def s10() -> Scenario:
    sc = Scenario(10, "edi-ingest-errors",
                  "EDI purchase-order ingestion erroring; Lambda Errors alarm.",
                  "us-west-2", 6410, "2026-11-11T07:45:00")
    rng = sc.rng
    grow, decoy = -5400, -3420
    fn = "edi-ingest"
    sftp = iid(sc)
    sc.resource("lambda", fn, runtime="java21", timeout=60, memory_size=1024)
    size_mb = lambda t: 3.2 + 26 * ramp(t, grow, -2400)
    need = lambda t: 2200 + 2300 * size_mb(t)  # ms
    inv = lambda t: 2.0
    to_frac = lambda t: min(0.95, max(0.0, (need(t) - 52000) / 22000))
    lm = lam(sc, fn, inv, lambda t: inv(t) * to_frac(t), lambda t: min(60000.0, need(t) * (1 + 0.15 * to_frac(t))),
             conc=lambda t: max(1.0, 2 * need(t) / 60000))
    sc.resource("lambda", "edi-ack-sender", runtime="java21", timeout=30, memory_size=512)
    lam(sc, "edi-ack-sender", lambda t: 1.6 * (1 - to_frac(t)), lambda t: 0.0, lambda t: 380.0)
    ec2(sc, sftp, "sftp-gw-01", "t3.medium", lambda t: 7 + 4 * ramp(t, grow, -2400), lambda t: 38.0, lambda t: 61.0,
        net=lambda t: 2e5 * size_mb(t), log_groups=["/var/log/secure"])
    rds(sc, "edi-db", "postgres", "db.t4g.large", 300, 200, lambda t: 11 + bump(t, -8100, -7700, 38, 60),
        lambda t: 18.0, lambda t: 96.0)

    def body(ll, t, rq, e, c):
        mb = max(0.5, rng.gauss(size_mb(t), size_mb(t) * 0.12))
        key = f"s3://edi-inbound/acme/{sc.at(t).strftime('%Y/%m/%d')}/PO_{rng.randint(10000, 99999)}.x12"
        segs = int(mb * 2240)
        lines = [(0.02, ll.fmt(t + 0.02, rq, "INFO", f"com.acme.edi.Handler - Parsing {key} ({mb:.1f} MB)")),
                 (0.4, ll.fmt(t + 0.4, rq, "WARN", "com.acme.edi.x12.SegmentReader - Unknown qualifier 'ZZ' in N1 segment, ignored"))]
        d = min(58900.0, need(t) * mb / max(size_mb(t), 0.5) + rng.uniform(-400, 400))
        if e:
            d = 60000.0
        init = []
        if c:
            init = [(0.05, "Picked up JAVA_TOOL_OPTIONS: -XX:+TieredCompilation -XX:TieredStopAtLevel=1")]
        if d >= 60000:
            lines.append((30.0, ll.fmt(t + 30.0, rq, "INFO", f"com.acme.edi.Handler - parsed {segs // 2:,} of ~{segs:,} segments")))
            return {"dur": 60000, "status": "timeout", "lines": lines, "init_lines": init}
        orders = segs // 48
        lines += [(d / 1000 - 0.6, ll.fmt(t + d / 1000 - 0.6, rq, "INFO", f"com.acme.edi.Handler - Parsed {segs:,} segments, {orders} purchase orders")),
                  (d / 1000 - 0.1, ll.fmt(t + d / 1000 - 0.1, rq, "INFO", f"com.acme.edi.OrderWriter - Inserted {orders} orders in {rng.randint(180, 520)} ms"))]
        return {"dur": d, "lines": lines, "init_lines": init}
    inv_d = {m: v for m, v in zip(range(-21600, 0, 60), lm["inv"]) if m >= -14400 and v}
    err_d = {m: v for m, v in zip(range(-21600, 0, 60), lm["err"]) if m >= -14400 and v}
    LambdaLogs(sc, fn, "java21", 1024, 60, mem_used=(410, 30)).run(inv_d, err_d, body)
    sh = "ip-10-12-7-9"
    emit(sc, "/var/log/secure", sftp, lambda t: 2.0, lambda t: syslog(
        sc, t, sh, "internal-sftp", f'close "/inbound/acme/PO_{rng.randint(10000, 99999)}.x12" bytes read 0 written {int(max(0.4, rng.gauss(size_mb(t), size_mb(t) * .12)) * 1048576)}', pid=rng.randint(20000, 40000)), start=-14400)
    emit(sc, "/var/log/secure", sftp, lambda t: 0.2, lambda t: syslog(
        sc, t, sh, "sshd", f"Accepted publickey for acme from 203.0.113.41 port {rng.randint(40000, 65000)} ssh2: RSA SHA256:q3V1pWm0hS0yq9w8", pid=rng.randint(20000, 40000)), start=-14400)
    emit(sc, "/var/log/secure", sftp, lambda t: 0.3, lambda t: syslog(
        sc, t, sh, "sshd", f"Invalid user admin from 45.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(1, 250)} port {rng.randint(30000, 65000)}", pid=rng.randint(20000, 40000)), start=-14400)
    sc.change(-19300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "codebuild-edi")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "edi-ack-sender", "m.ortiz")
    sc.alarm("edi-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3, "GreaterThanThreshold",
             "EDI ingest Lambda errors")
    sc.expect = {"alarm": "edi-ingest-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin (Lambda)", "decoys": "configuration update on edi-ack-sender ~2 min before the first timeouts; edi-ingest code deploy 5 h earlier (clean since); 'Unknown qualifier ZZ' WARN on every file; sshd brute-force noise",
               "story": "`edi-ingest` Errors rise while invocations stay at ~2/min. The nearest change is a configuration update on `edi-ack-sender`, which keeps running fine; edi-ingest's own code deploy five hours back was followed by hours of clean runs. Every error is `Task timed out after 60.00 seconds` with `Status: timeout` in REPORT; `Duration` has climbed for an hour and a half as the SFTP host's log shows the partner's files growing from ~3 MB to ~29 MB. Database inserts stay fast (hundreds of ms) and no dependency error appears; the `Unknown qualifier 'ZZ'` warning is on every file, old and new. Function timeout on edi-ingest."}
    return sc
