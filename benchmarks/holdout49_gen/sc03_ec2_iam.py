"""h49-03: a Terraform 'least privilege' run detaches the S3-write policy from the
uploads API instance role; uploads (a minority of requests) fail with AccessDenied.
EC2 has basic (5-minute) monitoring and no CloudWatch agent; the Go service logs JSON
with no level field, stamped in America/New_York."""
from __future__ import annotations

import base64
import json

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario

NOW = "2026-03-14T19:50:00"
REGION = "us-east-1"
TZ = -4  # EDT
INST = "i-0c4f81d2e7a93b615"
OTHER = "i-05b7e9a13c2d48f07"
ALB = "app/uploads-alb/3e9b0d2c7a1f4e58"
ROLE = "uploads-api-ec2-role"
DETACH = -1900
ONSET = DETACH + 22  # IAM propagation
LOG_FROM = -7200
ACCOUNT = "318204669712"


def build():
    rng = Rng(4903)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"))
    ev = []
    req, t5, t4, t2, rt = [], [], [], [], []
    put_bytes, offered = {}, {}
    for m in range(-21600, 0, 60):
        gets = rng.pois(27 * diurnal(m, 0.2, 20000))
        puts = rng.pois(6.5 * diurnal(m, 0.2, 20000))
        big = rng.pois(0.2)
        fails = 0
        lat_sum = 0.0
        calls = []
        for _ in range(gets):
            calls.append(("get", m + rng.random() * 60))
        for _ in range(puts):
            calls.append(("put", m + rng.random() * 60))
        for _ in range(big):
            calls.append(("big", m + rng.random() * 60))
        calls.sort(key=lambda c: c[1])
        for kind, t in calls:
            rid = rng.hx(16)
            tenant = str(rng.choice([1032, 2281, 4411, 4411, 5120, 7764, 9012]))
            if kind == "get":
                dur = max(4, rng.gauss(21, 6))
                status, path, nbytes = 200, "/v1/files/f_" + rng.hx(12), rng.randint(380, 460)
            elif kind == "big":
                dur = max(2, rng.gauss(6, 2))
                status, path, nbytes = 413, "/v1/files", 64
            else:
                path = "/v1/files"
                key = "tenants/%s/2026/03/14/%s.%s" % (tenant, rng.uuid4(), rng.choice(["pdf", "png", "jpg", "docx"]))
                size = rng.randint(40_000, 9_000_000)
                offered[m] = offered.get(m, 0) + size
                if t >= ONSET:
                    dur = max(30, rng.gauss(95, 20))
                    status, nbytes = 500, 71
                    fails += 1
                    if t >= LOG_FROM:
                        host = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(54))).decode()
                        err = ("operation error S3: PutObject, https response error StatusCode: 403, RequestID: %s, "
                               "HostID: %s, api error AccessDenied: User: arn:aws:sts::%s:assumed-role/%s/%s is not "
                               "authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-uploads-prod/%s\" "
                               "because no identity-based policy allows the s3:PutObject action"
                               % (rng.hx(16).upper(), host, ACCOUNT, ROLE, INST, key))
                        ev.append([t + dur / 1000 - 0.002, J({"time": clock.iso_off(t + dur / 1000, TZ), "msg": "upload failed",
                                                             "req_id": rid, "tenant": tenant, "bucket": "acme-uploads-prod",
                                                             "key": key, "size": size, "err": err})])
                else:
                    dur = max(60, rng.gauss(140 + size / 40_000, 40))
                    status, nbytes = 201, rng.randint(300, 340)
                    put_bytes[m] = put_bytes.get(m, 0) + size
                    if t >= LOG_FROM:
                        ev.append([t + dur / 1000 - 0.002, J({"time": clock.iso_off(t + dur / 1000, TZ), "msg": "object stored",
                                                             "req_id": rid, "bucket": "acme-uploads-prod", "key": key,
                                                             "size": size, "dur_ms": int(dur - 8)})])
            if kind == "big" and t >= LOG_FROM:
                ev.append([t + 0.002, J({"time": clock.iso_off(t + 0.002, TZ), "msg": "upload rejected", "req_id": rid,
                                         "tenant": tenant, "reason": "body exceeds 100 MiB limit"})])
            lat_sum += dur / 1000
            if t >= LOG_FROM:
                ev.append([t + dur / 1000, J({"time": clock.iso_off(t + dur / 1000, TZ), "msg": "request",
                                              "method": "GET" if kind == "get" else "PUT", "path": path,
                                              "status": status, "bytes": nbytes, "dur_ms": int(dur), "req_id": rid,
                                              "remote": rng.ip("10.40")})])
        n = len(calls)
        req.append([m, float(n)])
        t5.append([m, float(fails)])
        t4.append([m, float(big + rng.pois(0.6))])
        t2.append([m, float(n - fails - big)])
        if n:
            rt.append([m, round(lat_sum / n, 4)])
    # background noise: ALB health checks every 10 s, runtime stats each minute, hourly creds refresh
    for t in range(LOG_FROM, 0, 10):
        tt = t + 3.3 + rng.random() * 0.2
        ev.append([tt, J({"time": clock.iso_off(tt, TZ), "msg": "request", "method": "GET", "path": "/healthz",
                          "status": 200, "bytes": 2, "dur_ms": 0, "remote": "10.40.%d.%d" % (1 + (t // 10) % 2, 17)})])
    for t in range(LOG_FROM, 0, 60):
        tt = t + 0.5
        ev.append([tt, J({"time": clock.iso_off(tt, TZ), "msg": "runtime stats", "goroutines": rng.randint(38, 61),
                          "heap_mb": round(rng.uniform(41, 58), 1), "gc_pause_us": rng.randint(80, 400)})])
    for t in range(LOG_FROM + 1200, 0, 3600):
        ev.append([t, J({"time": clock.iso_off(t, TZ), "msg": "aws credentials refreshed", "source": "ec2-imds",
                         "role": ROLE, "expires": clock.iso_off(t + 21600, TZ, ms=False)})])
    ev = [e for e in ev if e[0] < 0]

    alb = {"LoadBalancer": ALB}
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb, "Count", req)
    m_5 = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", t5)
    m_4 = metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb, "Count", t4)
    m_2 = metric("AWS/ApplicationELB", "HTTPCode_Target_2XX_Count", alb, "Count", t2)
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds", rt)
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", pts(lambda t: 1.0))
    m_uh = metric("AWS/ApplicationELB", "UnHealthyHostCount", alb, "Count", pts(lambda t: 0.0))
    # EC2 basic monitoring: 5-minute datapoints only
    five = dict(start=-21600, end=-300, step=300)
    i1 = {"InstanceId": INST}
    i2 = {"InstanceId": OTHER}
    m_cpu1 = metric("AWS/EC2", "CPUUtilization", i1, "Percent", pts(lambda t: rng.noise(11.5, 1.6), **five))
    m_out1 = metric("AWS/EC2", "NetworkOut", i1, "Bytes",
                    pts(lambda t: sum(put_bytes.get(x, 0) for x in range(t, t + 300, 60)) * 1.04
                        + rng.noise(2.6e6, 2e5), **five))
    m_in1 = metric("AWS/EC2", "NetworkIn", i1, "Bytes",
                   pts(lambda t: sum(offered.get(x, 0) for x in range(t, t + 300, 60)) * 1.03
                       + rng.noise(4.1e6, 4e5), **five))
    m_sc1 = metric("AWS/EC2", "StatusCheckFailed", i1, "Count", pts(lambda t: 0.0))
    m_cpu2 = metric("AWS/EC2", "CPUUtilization", i2, "Percent",
                    pts(lambda t: rng.noise(86, 4) if -3300 <= t < -2700 else rng.noise(29, 3), **five))
    m_sc2 = metric("AWS/EC2", "StatusCheckFailed", i2, "Count", pts(lambda t: 0.0))

    metrics = [m_req, m_5, m_4, m_2, m_rt, m_hh, m_uh, m_cpu1, m_out1, m_in1, m_sc1, m_cpu2, m_sc2]
    logs = [log_stream("/uploads-api/app", INST, ev)]
    alarms = [
        alarm("uploads-alb-target-5xx", m_5, "Sum", 300, 2, 10.0, "GreaterThanThreshold", clock, "ALARM",
              "uploads API returning 5XX"),
        alarm("uploads-api-1-disk-used", None, "Maximum", 300, 1, 85.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "root volume usage on uploads-api-1", namespace="CWAgent",
              metric_name="disk_used_percent",
              dims={"InstanceId": INST, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
              insufficient_since=-5184000),
        alarm("uploads-api-1-cpu-high", m_cpu1, "Average", 300, 3, 80.0, "GreaterThanThreshold", clock, "OK"),
        alarm("metrics-1-cpu-high", m_cpu2, "Average", 300, 1, 80.0, "GreaterThanThreshold", clock, "OK",
              "metrics-1 CPU"),
    ]
    changes = [
        change(-8000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0a12c4e6b8d0f2a13", "n.okafor"),
        change(-2300, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", OTHER, "finops-tagger"),
        change(DETACH, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci"),
    ]
    resources = [
        {"type": "ec2", "id": INST, "properties": {
            "name": "uploads-api-1", "instance_type": "t3.large", "monitoring": "basic",
            "iam_instance_profile": "uploads-api-ec2", "iam_role": ROLE,
            "log_groups": ["/uploads-api/app"], "cloudwatch_agent": "not installed"}},
        {"type": "ec2", "id": OTHER, "properties": {
            "name": "metrics-1", "instance_type": "m6i.large", "monitoring": "basic"}},
        {"type": "alb", "id": ALB, "properties": {"name": "uploads-alb", "targets": [INST]}},
    ]
    data = scenario("h49-03-ec2-uploads-role-policy-detached",
                    "Users report 'upload failed, try again later'; uploads-alb target 5XX alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("uploads-alb-target-5xx", "permission_denied", [INST, "uploads-api-1"], [m_5]))
    meta = {
        "slug": "ec2-uploads-role-policy-detached", "region": REGION, "alarm": "uploads-alb-target-5xx",
        "category": "permission_denied", "resources": [INST, "uploads-api-1"], "alarm_on": "front (ALB)",
        "decoys": "metrics-1 CPU spike and its alarm (now OK); CreateTags on metrics-1 and an SG ingress rule; "
                  "steady 413 'upload rejected' lines; CWAgent disk alarm INSUFFICIENT_DATA",
        "paragraph": (
            "terraform-ci detached a policy from `uploads-api-ec2-role` (the role of uploads-api-1's "
            "instance profile) ~32 min ago. About 20 s later every PUT /v1/files fails: the Go service "
            "logs `upload failed` with `api error AccessDenied: ... assumed-role/uploads-api-ec2-role/"
            "i-0c4f... is not authorized to perform: s3:PutObject` and answers 500, while GETs (most of the "
            "traffic) and health checks stay 200, so the telling lines are a small share of a noisy JSON "
            "log that has no level field and whose `time` is in New York time (-04:00). EC2 only has "
            "5-minute basic metrics (NetworkOut drops as uploads stop reaching S3) and no agent. The "
            "metrics-1 CPU spike, its tags and SG change are another instance. AccessDenied after an IAM "
            "change: permission_denied, origin uploads-api-1; the alarm is on the ALB in front."),
    }
    return data, meta
