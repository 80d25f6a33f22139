"""h63-04: one of two referral web instances pins its CPU (an in-process re-index job took the
leader lease); ALB latency alarms while a TLS-policy change sits a few minutes earlier."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import LOG_START, alb, alb_id, emit, night_window, part, periodic, scanner
from .runtimes import logfmt

ROUTES = [("GET", "/v2/referrals", 0.06), ("GET", "/v2/referrals/{id}", 0.04), ("POST", "/v2/referrals", 0.12),
          ("GET", "/v2/practices/search", 0.09), ("GET", "/v2/referrals/{id}/attachments", 0.15)]


def build() -> Scenario:
    sc = Scenario(4, "gp-referrals-latency", "GP referral service slow for overnight out-of-hours "
                  "clinicians; ALB latency alarm in ALARM.", "eu-west-2", 6304, "2026-02-03T02:50:00+00:00")
    rng = sc.rng
    lb = alb_id(sc, "gp-referrals")
    tg = f"targetgroup/gp-referrals-tg/{sc.hexid(16)}"
    a, b = "i-0a4c9e27d81f35b60", "i-07e3b5f1c29d84a16"
    onset = -2280
    sc.resource("ec2", a, name="referrals-app-1", instance_type="c6i.large", app="referrald (Go 1.22)",
                log_groups=["/referrals/app"])
    sc.resource("ec2", b, name="referrals-app-2", instance_type="c6i.large", app="referrald (Go 1.22)",
                log_groups=["/referrals/app"])
    sc.resource("alb", lb, name="gp-referrals", scheme="internal", target_group=tg)

    # ---------------------------------------------------------------- metrics
    req = sc.series(lambda t: 64 * diurnal(sc, t, 15, 0.4), integer=True)
    pin = lambda t: ramp(t, onset, onset + 150)
    rt = sc.series(lambda t: 0.085 + 2.6 * pin(t), noise=0.12)
    e5 = part(sc, req, lambda t: 0.035 * pin(t))
    alb(sc, lb, req, [0.0] * len(GRID), rt, e5xx=e5,
        unhealthy=sc.series(lambda t: 0.0, noise=0.0), tg=tg)
    patch = lambda t: bump(t, -5160, -4920, 41, 60)
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Percent",
              sc.series(lambda t: min(99.6, 13 * diurnal(sc, t, 15, 0.4) + patch(t) + 86 * pin(t)),
                        noise=0.04, cap=100.0))
    sc.metric("AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Percent",
              sc.series(lambda t: 13 * diurnal(sc, t, 15, 0.4) + patch(t) + bump(t, -14600, -14100, 48, 90),
                        noise=0.06))
    for iid in (a, b):
        sc.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent",
                  sc.series(lambda t, iid=iid: 38 + (3 * ramp(t, onset, onset + 600) if iid == a else 0),
                            noise=0.02))

    # ---------------------------------------------------------------- logs
    req_at = dict(zip(GRID, req))
    grp = "/referrals/app"
    for iid in (a, b):
        def line(t, iid=iid):
            meth, route, base = rng.choice(ROUTES)
            path = route.replace("{id}", f"RF{rng.randint(100000, 999999)}")
            slow = iid == a and t >= onset
            dur = max(0.005, rng.gauss(base, base * 0.25)) * (rng.uniform(35, 110) * pin(t) + 1 if slow else 1)
            status = 200 if meth == "GET" else 201
            if slow and dur > 9.5:
                return logfmt(sc, t + 10, "error", "request canceled", method=meth, path=path,
                              err="context canceled", dur="10.000s", remote=f"10.31.{rng.randint(0, 3)}.{rng.randint(4, 250)}")
            lvl = "warn" if dur > 2 else "info"
            return logfmt(sc, t + dur, lvl, "request slow" if lvl == "warn" else "request", method=meth, path=path,
                          status=status, dur=f"{dur:.3f}s", bytes=rng.randint(400, 18000))

        emit(sc, grp, iid, LOG_START, 0, lambda t: min(2.5, (req_at.get(int(t // 60 * 60)) or 0) / 20), line)
        periodic(sc, grp, iid, LOG_START, 0, 60,
                  lambda t, iid=iid: logfmt(sc, t, "info", "runtime stats",
                                            goroutines=rng.randint(60, 90) + (900 if iid == a and t > onset else 0),
                                            heap_mb=rng.randint(180, 230), gc_pause_ms=round(rng.uniform(0.2, 1.1), 2),
                                            gomaxprocs=2))
        emit(sc, grp, iid, LOG_START, 0, lambda t: 0.4,
             lambda t: logfmt(sc, t, "error", "spine lookup failed", service="pds", nhs_number="***",
                              err="404 Not Found: patient not on PDS"))
    periodic(sc, grp, a, onset + 60, 0, 60,
             lambda t: logfmt(sc, t, "warn", "scheduler lag", lag=f"{rng.uniform(1.5, 4.0):.1f}s",
                              runnable=rng.randint(400, 1200)))
    sc.log(grp, a, onset - 4.2, logfmt(sc, onset - 4.2, "info", "lease acquired", lease="attachment-reindex",
                                       holder="referrals-app-1", ttl="30m"))
    sc.log(grp, a, onset - 3.9, logfmt(sc, onset - 3.9, "info", "job started", job="attachment-reindex",
                                       workers=8, batch=5000, scope="all"))
    periodic(sc, grp, a, onset + 30, 0, 120,
             lambda t: logfmt(sc, t, "info", "job progress", job="attachment-reindex",
                              done=int((t - onset) * 31), total=412880))
    periodic(sc, grp, a, -21600, onset - 60, 1800,
             lambda t: logfmt(sc, t, "info", "lease check", lease="attachment-reindex", held="false",
                              next_run="02:12Z"))
    scanner(sc, "dspt-evidence-bot", "dspt-audit-ro", ["referrals-attachments-euw2", "referrals-alb-logs"],
            ["prod/referrals/pds-client", "prod/referrals/db"], every=900)

    # ---------------------------------------------------------------- changes
    U = "netops-changewindow"
    night_window(sc, -6900, -2500, [
        ("ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", b, U),
        ("elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
         "AWS::ElasticLoadBalancingV2::TargetGroup", tg, U),
        ("ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-03c1f0a9d77e2b5c1", U),
        ("kms.amazonaws.com", "EnableKeyRotation", "AWS::KMS::Key",
         f"arn:aws:kms:eu-west-2:{sc.account}:key/{sc.uuid()}", "sec-baseline"),
    ])
    sc.change(-5200, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline",
              "ssm-maint-window")
    sc.change(onset - 110, "elasticloadbalancing.amazonaws.com", "ModifyListener",
              "AWS::ElasticLoadBalancingV2::Listener", f"{lb.replace('app/', 'listener/app/')}/{sc.hexid(16)}", U)

    # ---------------------------------------------------------------- alarms
    sc.alarm("gp-referrals-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "Referral API p50-ish latency above 1 s")
    sc.alarm("gp-referrals-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount",
             {"LoadBalancer": lb, "TargetGroup": tg}, "Maximum", 60, 2, 0, "GreaterThanThreshold")
    sc.expect = {"alarm": "gp-referrals-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a, "referrals-app-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": a}}]}
    return sc
