"""h16-05: an infrastructure-as-code refactor sets the load balancer idle timeout to 5 s; slow pages get 504."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, Scenario, counts, daily, jitter, step, window
from .logfmt import alb_line, nginx_line, poisson_times

META = {
    "file": "h16-05-alb-idle-timeout-lowered",
    "postmortem": "load balancer timeout changed by an infrastructure-as-code refactor (a default that differed "
                  "from the hand-set value)",
    "side": "origin (ALB ELB 5XX)",
    "decoys": "security-group change for the bastion 5 min before; steady target 5XX from a flaky endpoint; a "
              "log-rotation CPU spike on shop-web-3 hours earlier",
    "story": (
        "terraform-ci applies a refactored load-balancer module; CloudTrail shows ModifyLoadBalancerAttributes on "
        "shop-web and the ALB's idle_timeout is now 5 s (it was 60 s). From the next minute, every request that "
        "takes longer than 5 s -- order CSV exports, bulk listing uploads, 90-day sales reports -- ends in an ELB "
        "504 with no target status; nginx on the instances logs the same requests as 499 (client closed) at 5.0 s "
        "while Rails still completes them with 200 after 6-20 s. Fast pages are unaffected, the instances' CPU, "
        "memory and health are normal, and the database is quiet. The ELB 5XX alarm on the load balancer is the "
        "origin: config_change on shop-web. The bastion security-group rule and the pre-existing trickle of "
        "target 502s from /api/recommendations are unrelated."),
}

ALB = "app/shop-web/9b8a7c6d5e4f3a21"
HOSTS = {"i-03a4b5c6d7e8f9012": "shop-web-1", "i-0b1c2d3e4f5a6b7c8": "shop-web-2", "i-0c9d8e7f6a5b4c3d2": "shop-web-3"}
TG = "arn:aws:elasticloadbalancing:eu-west-2:560918273645:targetgroup/shop-web-tg/4a7b1c9e2d3f5a60"
SLOW = [("GET", "/account/orders/export.csv", (6, 20)), ("POST", "/seller/listings/bulk", (6, 15)),
        ("GET", "/reports/sales?range=90d", (5.2, 9))]
FAST = [("GET", "/", 0.09), ("GET", "/products/%d", 0.12), ("GET", "/search?q=%s", 0.2), ("POST", "/cart/items", 0.08),
        ("GET", "/api/recommendations", 0.15), ("GET", "/assets/application-%s.js", 0.004)]
UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"]


def _request(sc: Scenario):
    if sc.rng.random() < 0.055:
        m, p, (lo, hi) = SLOW[int(sc.rng.integers(0, 3))]
        return m, p, float(sc.rng.uniform(lo, hi)), True
    m, p, rt = FAST[int(sc.rng.choice(6, p=[0.2, 0.3, 0.15, 0.1, 0.1, 0.15]))]
    if "%d" in p:
        p = p % sc.rng.integers(10000, 99999)
    elif "%s" in p:
        p = p % sc.pick(["linen+shirt", "desk+lamp", "trail+shoes", "4b1e9c"])
    return m, p, float(sc.rng.gamma(3, rt / 3)), False


def build(seed: int) -> Scenario:
    sc = Scenario("h16-05-alb-idle-timeout-lowered",
                  "Customers report order exports and bulk uploads failing with 504; shop-web ELB 5XX alarm.",
                  "eu-west-2", seed, dt.datetime(2026, 6, 2, 16, 50))
    C = -1620.0
    on = step(C + 40)
    day = daily(sc, peak_hour=19, depth=0.4)
    sc.resource("alb", ALB, name="shop-web", scheme="internet-facing", listeners=["HTTP:80", "HTTPS:443"],
                target_groups=["shop-web-tg"], idle_timeout_seconds=5,
                dns_name="shop-web-2061843377.eu-west-2.elb.amazonaws.com")
    for iid, name in HOSTS.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.large",
                    log_groups=["/var/log/nginx/access.log", "/var/www/shop/log/production.log"])
    sc.resource("rds", "shop-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)

    req = counts(sc, 690 * day)
    slow = np.round(req * 0.055 * jitter(sc, 1, 0.1))
    e504 = np.round(slow * on * 0.97) + counts(sc, 0.02)
    t5 = counts(sc, 1.1)
    rt = jitter(sc, 0.62, 0.06) * np.where(on > 0, 0.55, 1.0)
    aws.alb_metrics(sc, ALB, req, t5, rt, healthy=3, elb5xx=e504, t4xx=counts(sc, 11 * day),
                    extra={"HTTPCode_ELB_504_Count": e504, "TargetConnectionErrorCount": np.zeros(N)})
    for k, iid in enumerate(HOSTS):
        cpu = jitter(sc, 18 + 16 * day, 0.07)
        if k == 2:
            cpu = cpu + window(-12300, -12000) * 38
        aws.ec2_metrics(sc, iid, cpu, 3.4 * day, mem_pct=jitter(sc, 58, 0.01), disk_pct=jitter(sc, 44, 0.001))
    aws.rds_metrics(sc, "shop-db", jitter(sc, 12 + 10 * day, 0.08), 64 + sc.rng.normal(0, 3, N), 221.0,
                    jitter(sc, 9.8, 0.004))

    # --- logs -----------------------------------------------------------------------------------------------
    alb_ev, nginx = [], {iid: [] for iid in HOSTS}
    rails = {iid: [] for iid in HOSTS}
    for t in poisson_times(sc, 16 * day, -7200):
        iid = sc.pick(list(HOSTS))
        m, p, dur, is_slow = _request(sc)
        ip = f"10.20.{int(sc.rng.integers(1, 4))}.{int(sc.rng.integers(10, 250))}"
        client = sc.public_ip()
        ua = sc.pick(UA)
        cut = is_slow and t >= C + 40 and dur > 5
        status = 200 if m == "GET" else 201
        if p == "/api/recommendations" and sc.rng.random() < 0.08:
            status = 502
        url = f"https://www.hartwell-home.co.uk:443{p}"
        if cut:
            alb_ev.append((t + 5.0, alb_line(sc, t + 5.0, ALB, f"{ip}:80", m, url, 504, None, 0.001, -1, -1, TG, ua,
                                             int(sc.rng.integers(400, 90000)), 0, f"{client}:{int(sc.rng.integers(1024, 65535))}")))
            nginx[iid].append((t + 5.0, nginx_line(sc, t + 5.0, client, m, p, 499, 0, 5.000, ua)))
        else:
            alb_ev.append((t + dur, alb_line(sc, t + dur, ALB, f"{ip}:80", m, url, status, status, 0.001, dur, 0.0,
                                             TG, ua, int(sc.rng.integers(300, 4000)),
                                             int(sc.rng.integers(500, 90000)),
                                             f"{client}:{int(sc.rng.integers(1024, 65535))}")))
            nginx[iid].append((t + dur, nginx_line(sc, t + dur, client, m, p, status,
                                                   int(sc.rng.integers(500, 90000)), dur, ua)))
        if is_slow or status == 502 or sc.rng.random() < 0.05:
            rid = sc.uuid()
            rails[iid].append((t, f"I, [{sc.iso(t, 6)[:-1]} #{int(sc.rng.integers(900, 4000))}]  INFO -- : "
                                  f"[{rid}] Started {m} \"{p}\" for {client} at {sc.clock(t)} +0000"))
            if status == 502:
                rails[iid].append((t + dur, f"E, [{sc.iso(t + dur, 6)[:-1]} #{int(sc.rng.integers(900, 4000))}] "
                                            f"ERROR -- : [{rid}] Recommendations::Client upstream error: "
                                            f"Net::ReadTimeout with #<TCPSocket:(closed)> (recs-svc.internal:8080)"))
                continue
            ar = dur * sc.rng.uniform(0.5, 0.8) * 1000
            rails[iid].append((t + dur, f"I, [{sc.iso(t + dur, 6)[:-1]} #{int(sc.rng.integers(900, 4000))}]  INFO -- : "
                                        f"[{rid}] Completed {status} {'OK' if status == 200 else 'Created'} in "
                                        f"{dur * 1000:.0f}ms (Views: {dur * 80:.1f}ms | ActiveRecord: {ar:.1f}ms | "
                                        f"Allocations: {int(sc.rng.integers(9000, 900000))})"))
    sc.log("/alb/shop-web/access", "shop-web", alb_ev)
    for iid in HOSTS:
        sc.log("/var/log/nginx/access.log", iid, nginx[iid])
        sc.log("/var/www/shop/log/production.log", iid, rails[iid])
    sc.change(-86000, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", "AWS::ElasticLoadBalancingV2::"
              "TargetGroup", "shop-web-tg", "terraform-ci")
    sc.change(C - 300, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
              "sg-0d4e5f6a7b8c9d0e1", "ops-jlee")
    sc.change(C, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", ALB, "terraform-ci")
    lb = {"LoadBalancer": ALB}
    sc.alarm_on("shop-web-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, e504, "Sum", 60, 3, 15,
                "GreaterThanThreshold", description="Load balancer generated 5XX on shop-web")
    sc.alarm("shop-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Sum", 300, 1, 50,
             "GreaterThanThreshold", "OK", -300000)
    sc.set_expect("shop-web-elb-5xx", "config_change", [ALB, "shop-web"],
                  [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb)])
    return sc
