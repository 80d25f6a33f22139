"""h35-15: a ticket on-sale at 10:00 local multiplies traffic ~6x on a fixed 3-host web fleet; worker pools
saturate (CPU ~75 %, not pinned) and latency/504s follow. Fast, alarm on the ALB (the surge's entry)."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, alb_dims, rds_dims, first_breach, clamp, smoothstep

FILE = "h35-15-tickets-onsale-traffic-surge.yaml"
ALB = "app/events-alb/6b1f4d2e8c7a3509"
HOSTS = [("i-0a93c5e71d2b4f086", "events-web-1", "10.70.1.23"), ("i-05e2b8d4f6a1c7093", "events-web-2", "10.70.2.41"),
         ("i-0d7f1a3c9e5b2e614", "events-web-3", "10.70.3.17")]
META = {
    "file": FILE, "region": "us-east-1", "alarm": "events-alb-latency",
    "category": "traffic_surge",
    "resources": ["events-alb", ALB] + [h[0] for h in HOSTS] + [h[1] for h in HOSTS],
    "where": "origin (ALB, entry of the surge)", "shape": "fast",
    "decoys": "email-receipts configuration change 45 min before; security-group change 2 h before; constant "
              "Stripe SignatureVerificationError lines; events-db CPU rises with the load but stays moderate",
    "story": (
        "The Arena Tour 2026 on-sale opens at 10:00 local. ALB RequestCount goes from ~1,100/min to "
        "~6,500/min within two minutes, almost all for /events/arena-tour-2026/* and POST /api/holds. The "
        "three fixed web hosts' gunicorn pools report `busy=64/64` with a growing backlog, nginx logs "
        "`upstream timed out (110: Connection timed out)` and returns 504 for ~8 % of requests, and the ALB "
        "TargetResponseTime climbs from ~0.1 s to 3-5 s. CPU rises to ~75 % (not pinned), memory and disk "
        "are normal, events-db is busier but far from any limit, and nothing was deployed. The email-receipts "
        "config change and the security-group change are unrelated; the Stripe signature errors are constant. "
        "Label: traffic_surge (origin: the traffic entering events-alb; the saturated web hosts are also "
        "accepted)."),
}


def build():
    now = dt.datetime(2026, 2, 6, 15, 12, tzinfo=dt.timezone.utc)
    s = Scenario("h35-15-tickets-onsale-traffic-surge", "us-east-1",
                 "Ticketing site very slow and some 504s; events ALB latency alarm.",
                 seed=3515, now=now, window_h=6, tz_offset_h=-5)
    for iid, name, ip in HOSTS:
        s.resource("ec2", iid, name=name, instance_type="c6i.2xlarge", private_ip=ip,
                   log_groups=["/ec2/events/nginx-access", "/ec2/events/nginx-error", "/ec2/events/app"])
    s.resource("alb", ALB, name="events-alb", scheme="internet-facing", target_groups=["events-web-tg"])
    s.resource("rds", "events-db", engine="postgres", instance_class="db.r6g.2xlarge", max_connections=3400,
               allocated_storage_gb=800)
    s.resource("lambda", "email-receipts", runtime="python3.12", timeout=30, memory_size=256)

    mins = list(range(s.start, 0, 60))
    sale = -12 * 60
    surge = {t: (1 + 0.9 * smoothstep((t - sale + 300) / 300.0) if t < sale else
                 5.9 * (1 + s.g(0, 0.05)) * (1.08 if t < sale + 240 else 1.0)) for t in mins}
    base = {t: 1150 * s.diurnal(t, 0.12, 14) * (1 + s.g(0, 0.04)) / s.diurnal(-12 * 60, 0.12, 14) for t in mins}
    req = {t: base[t] * surge[t] for t in mins}
    util = {t: clamp(req[t] / 5200.0, 0, 1.6) for t in mins}
    lat = {t: 0.1 + 0.02 * util[t] + (4.2 * smoothstep((util[t] - 0.95) / 0.3) if util[t] > 0.95 else 0) + abs(s.g(0, 0.01))
           for t in mins}
    r5 = {t: s.pois(0.5) + (s.pois(req[t] * 0.08 * smoothstep((util[t] - 1.0) / 0.2)) if util[t] > 1 else 0) for t in mins}
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds", lambda t: lat[t])
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: s.pois(0.1 + (6 if util[t] > 1 else 0)), nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", a, "Count", lambda t: s.pois(req[t] * 0.012), nd=0)
    s.metric("AWS/ApplicationELB", "ActiveConnectionCount", a, "Count", lambda t: req[t] * 0.9 + s.g(0, 20), nd=0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count",
             lambda t: 3 - (1 if sale + 300 <= t < sale + 420 else 0), nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count",
             lambda t: 1 if sale + 300 <= t < sale + 420 else 0, nd=0)
    for iid, name, ip in HOSTS:
        x = {"InstanceId": iid}
        s.metric("AWS/EC2", "CPUUtilization", x, "Percent",
                 lambda t: clamp(9 + 58 * min(util[t], 1.12) + s.g(0, 2), 1, 100))
        s.metric("AWS/EC2", "NetworkIn", x, "Bytes", lambda t: req[t] / 3 * 2600 * (1 + s.g(0, 0.05)), nd=0)
        s.metric("AWS/EC2", "StatusCheckFailed", x, "Count", lambda t: 0, nd=0)
        s.metric("CWAgent", "mem_used_percent", x, "Percent", lambda t: 58 + 9 * min(util[t], 1) + s.g(0, 0.5))
        s.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
                 "Percent", lambda t: 33.1 + (t - s.start) / 21600 * 0.3)
    d = rds_dims("events-db")
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: 12 + 36 * min(util[t], 1.1) + s.g(0, 2))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: 90 + int(100 * min(util[t], 1)) + s.rng.randint(-3, 3), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0009 + 0.0006 * min(util[t], 1) + abs(s.g(0, 0.0001)), nd=5)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: 402e9 - (t - s.start) * 2e4, nd=0)
    cfg = -45 * 60
    er = {t: s.pois(6 + 60 * max(0, util[t] - 0.5)) for t in mins}
    lambda_metrics(s, "email-receipts", lambda t: er[t], lambda t: 0, lambda t: 0, lambda t: 240 + s.g(0, 20),
                   lambda t: max(1, round(er[t] * 0.24 / 60 + 1)))

    # ---- logs ---------------------------------------------------------------------------------
    ua = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0 Safari/537.36",
          "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0 Mobile Safari/537.36"]
    for hi, (iid, name, ip) in enumerate(HOSTS):
        acc, errl, app = [], [], []
        for t in s.times(lambda t: 0.004 * req[t - t % 60] + 2, start=-2 * 3600):
            m = t - t % 60
            hot = t >= sale - 300 and s.rng.random() < 0.85
            path = (s.pick(["GET /events/arena-tour-2026/tickets", "POST /api/holds", "GET /events/arena-tour-2026",
                            "GET /api/availability?event=arena-tour-2026"]) if hot else
                    s.pick(["GET /", "GET /events/%d", "GET /api/availability?event=%d", "GET /account/orders"]))
            path = path.replace("%d", str(s.rng.randint(1000, 9999)))
            rt = max(0.01, lat[m] * (0.5 + s.rng.random()))
            code = 504 if (r5[m] > 5 and s.rng.random() < 0.08 * smoothstep((util[m] - 1.0) / 0.2)) else (201 if "POST" in path else 200)
            if code == 504:
                rt = 60.0
                errl.append((t + 60, f"{s.stamp(t + 60 - 5 * 3600, '%Y/%m/%d %H:%M:%S')} [error] 14{hi}2#14{hi}2: "
                                     f"*{s.rng.randint(800000, 999999)} upstream timed out (110: Connection timed out) while "
                                     f"reading response header from upstream, client: {s.ip('10.70')}, server: "
                                     f"tickets.example.com, request: \"{path} HTTP/1.1\", upstream: \"http://127.0.0.1:8000"
                                     f"{path.split(' ')[1]}\", host: \"tickets.example.com\""))
            acc.append((t + rt, f"{s.ip('10.70')} - - [{s.stamp(t - 5 * 3600, '%d/%b/%Y:%H:%M:%S')} -0500] \"{path} HTTP/1.1\" "
                                f"{code} {s.rng.randint(400, 30000) if code != 504 else 167} \"-\" \"{s.pick(ua)}\" "
                                f"rt={rt:.3f} urt={rt - 0.001 if code != 504 else 60.001:.3f}"))
        for t in range(-2 * 3600 + hi * 7, 0, 30):
            m = t - t % 60
            busy = min(64, int(64 * min(util[m], 1) * (0.5 + 0.5 * min(util[m], 1)) + s.rng.randint(0, 3)))
            backlog = int(max(0, util[m] - 0.95) * 2400 * (1 + s.g(0, 0.1)))
            lvl = "WARNING" if busy >= 60 else "INFO"
            app.append((t + s.rng.random(), f"[{s.stamp(t - 5 * 3600, '%Y-%m-%d %H:%M:%S')} -0500] [21{hi}0] [{lvl}] "
                                            f"gthread workers busy={busy}/64 backlog={backlog} accepted_last_30s="
                                            f"{int(req[m] / 3 / 2)}"))
        for t in s.times(lambda t: 0.4, start=-2 * 3600):
            app.append((t, f"[{s.stamp(t - 5 * 3600, '%Y-%m-%d %H:%M:%S')} -0500] [21{hi}3] [ERROR] webhooks.stripe: "
                           "stripe.error.SignatureVerificationError: No signatures found matching the expected signature "
                           "for payload"))
        s.log("/ec2/events/nginx-access", iid, acc)
        s.log("/ec2/events/nginx-error", iid, errl)
        s.log("/ec2/events/app", iid, app)
    ll = LambdaLog(s, 256, runtime="python")
    ev = []
    for t in s.times(lambda t: 2 + 10 * max(0, util[t - t % 60] - 0.5), start=-2 * 3600):
        _, blk = ll.invoke(t, 230 + s.rng.random() * 30, 81,
                           [(0.01, "info", f"receipt sent order=ord_{s.rng.randint(10 ** 7, 10 ** 8)} template="
                                           f"{'receipt_v7' if t >= cfg else 'receipt_v6'}")])
        ev.extend(blk)
    s.log("/aws/lambda/email-receipts", stream_name(s, -2 * 3600), ev)

    s.change(-2 * 3600, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0b1e7c2d9a4f35e60 (bastion)", "r.alvarez")
    s.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "email-receipts", "ci-deployer")
    when = first_breach(lat, 60, 3, 1.5, ">", stat="Average")
    s.alarm("events-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", a, "Average", 60, 3, 1.5,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (1.5).",
            min(when or -600, -60), description="ticketing latency above 1.5 s")
    s.expect = {"alarm": "events-alb-latency",
                "root_cause": {"category": "traffic_surge", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": a},
                              {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": a}]}
    return s
