"""h35-04: logrotate has been failing on one Rails web host, production.log grows until the root
filesystem is full; uploads/exports fail with ENOSPC and the ALB 5XX alarm fires. Slow burn, front alarm."""
import datetime as dt

from .lib import Scenario, alb_dims, first_breach, clamp

FILE = "h35-04-reports-ec2-disk-full.yaml"
W1, W2 = "i-0c51e8d4a7b29f306", "i-0f3a9c27d18e4b561"
ALB = "app/reports-alb/9d2e4f61a8c3b750"
META = {
    "file": FILE, "region": "ap-southeast-2", "alarm": "reports-alb-target-5xx",
    "category": "storage_exhaustion", "resources": [W2, "reports-web-2"], "where": "front (ALB)",
    "shape": "slow",
    "decoys": "SSM patch baseline run on both hosts 3 h before; target-group attribute change 90 min before; "
              "constant scanner RoutingError FATAL lines on both hosts",
    "story": (
        "Two Rails/Puma hosts behind reports-alb. On reports-web-2 the nightly logrotate run fails "
        "(`skipping \".../shared/log/production.log\" because parent directory has insecure permissions`, "
        "logrotate.service failed) while it succeeds on reports-web-1, whose disk drops at rotation time. "
        "web-2's root filesystem (CWAgent disk_used_percent) climbs all day with the traffic-driven log "
        "volume, from ~61 % to 100 % about 35 minutes ago. Since then its production.log goes silent, syslog "
        "shows `log writing failed. No space left on device` from puma and nginx `(28: No space left on device)` "
        "on request bodies and temp files, and exports/uploads on that host return 500; the ALB target 5XX "
        "alarm fires. CPU and memory are normal on both hosts. The patch run and the target-group attribute "
        "change touch both hosts/the ALB and precede nothing; the RoutingError FATAL lines are scanners at "
        "a constant rate. Label: storage_exhaustion on reports-web-2."),
}


def build():
    now = dt.datetime(2026, 3, 18, 1, 20, tzinfo=dt.timezone.utc)
    s = Scenario("h35-04-reports-ec2-disk-full", "ap-southeast-2",
                 "Reporting portal: exports and uploads failing intermittently; ALB 5XX alarm.",
                 seed=3504, now=now, window_h=12, tz_offset_h=11)
    for iid, name, ip in ((W1, "reports-web-1", "10.40.1.62"), (W2, "reports-web-2", "10.40.2.17")):
        s.resource("ec2", iid, name=name, instance_type="t3.large", private_ip=ip, platform="Ubuntu 22.04",
                   root_volume_gb=20, log_groups=["/ec2/reports/syslog", "/ec2/reports/production"])
    s.resource("alb", ALB, name="reports-alb", scheme="internet-facing", target_groups=["reports-tg"])
    s.resource("rds", "reports-pg", engine="postgres", instance_class="db.m6g.large", max_connections=900,
               allocated_storage_gb=300)

    mins = list(range(s.start, 0, 60))
    req = {t: 620 * s.diurnal(t, 0.08, 13) * (1 + s.g(0, 0.05)) + 12 for t in mins}
    rot = s.start + 11 * 60  # 00:31 local, logrotate.timer
    full_at = -35 * 60
    inc = {t: req[t] for t in mins}
    scale = (100.0 - 61.2) / sum(inc[t] for t in mins if t < full_at)
    d2, d1 = {}, {}
    u2, u1 = 61.2, 44.1
    for t in mins:
        u2 = min(100.0, u2 + inc[t] * scale) if t < full_at else 100.0
        u1 += inc[t] * scale * 0.93
        if t == rot:
            u1 -= 9.6
        d2[t], d1[t] = u2, u1
    full = {t: t >= full_at for t in mins}
    per = {t: req[t] / 2 for t in mins}
    fail = {t: s.pois(per[t] * 0.41) if full[t] else 0 for t in mins}
    r5 = {t: fail[t] + s.pois(0.3) for t in mins}
    for iid, dd in ((W1, d1), (W2, d2)):
        dims = {"InstanceId": iid, "path": "/", "device": "nvme0n1p1", "fstype": "ext4"}
        s.metric("CWAgent", "disk_used_percent", dims, "Percent", lambda t, dd=dd: clamp(dd[t] + s.g(0, 0.02), 0, 100))
        s.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent", lambda t: 57 + 6 * s.diurnal(t) + s.g(0, 0.6))
        x = {"InstanceId": iid}
        s.metric("AWS/EC2", "CPUUtilization", x, "Percent", lambda t: 9 + 31 * s.diurnal(t, 0.08, 13) + s.g(0, 1.5),
                 step=300)
        s.metric("AWS/EC2", "NetworkIn", x, "Bytes", lambda t: (req[t - t % 60] / 2) * 5 * 48000 * (1 + s.g(0, 0.05)),
                 step=300, nd=0)
        s.metric("AWS/EC2", "StatusCheckFailed", x, "Count", lambda t: 0, step=300, nd=0)
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds",
             lambda t: 0.21 + 0.06 * s.diurnal(t) + s.g(0, 0.01) - (0.05 if full[t] else 0))
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", a, "Count", lambda t: s.pois(9 + req[t] * 0.01), nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: s.pois(0.05), nd=0)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count", lambda t: 2, nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count", lambda t: 0, nd=0)
    db = {"DBInstanceIdentifier": "reports-pg"}
    s.metric("AWS/RDS", "CPUUtilization", db, "Percent", lambda t: 8 + 30 * s.diurnal(t, 0.08, 13) + s.g(0, 1.5))
    s.metric("AWS/RDS", "DatabaseConnections", db, "Count", lambda t: 64 + s.rng.randint(-3, 3), nd=0)
    s.metric("AWS/RDS", "FreeStorageSpace", db, "Bytes", lambda t: 171e9 - (t - s.start) * 9e3, nd=0)

    # ---- logs ---------------------------------------------------------------------------------
    def sys(t, host, proc, msg):
        return (t, f"{s.stamp(t + 11 * 3600, '%b %d %H:%M:%S')} {host} {proc}: {msg}")

    def rails(t, pid, lvl, rid, msg):
        return (t, f"{lvl[0]}, [{s.stamp(t + 11 * 3600, '%Y-%m-%dT%H:%M:%S')}.{s.rng.randint(0, 999999):06d} #{pid}] "
                   f"{lvl:>5} -- : [{rid}] {msg}")

    paths = [("GET", "/reports/%d", 0.45), ("GET", "/dashboards/%d", 0.25), ("POST", "/reports/%d/export", 0.12),
             ("POST", "/uploads", 0.06), ("GET", "/api/v2/widgets/%d", 0.12)]
    for iid, host, pid in ((W1, "ip-10-40-1-62", 1712), (W2, "ip-10-40-2-17", 1893)):
        is2 = iid == W2
        sl, pl = [], []
        sl.append(sys(rot - 1, host, "systemd[1]", "Starting logrotate.service - Rotate log files..."))
        if is2:
            sl.append(sys(rot, host, "logrotate[88190]", 'error: skipping "/var/www/reports/shared/log/production.log" '
                          'because parent directory has insecure permissions (It\'s world writable or writable by group '
                          'which is not "root") Set "su" directive in config file to tell logrotate which user/group '
                          'should be used for rotation.'))
            sl.append(sys(rot + 0.4, host, "systemd[1]", "logrotate.service: Main process exited, code=exited, "
                                                         "status=1/FAILURE"))
            sl.append(sys(rot + 0.41, host, "systemd[1]", "logrotate.service: Failed with result 'exit-code'."))
            sl.append(sys(rot + 0.42, host, "systemd[1]", "Failed to start logrotate.service - Rotate log files."))
        else:
            sl.append(sys(rot + 2.1, host, "systemd[1]", "logrotate.service: Deactivated successfully."))
            sl.append(sys(rot + 2.12, host, "systemd[1]", "Finished logrotate.service - Rotate log files."))
        t = s.start + 300
        while t < 0:
            sl.append(sys(t + s.rng.random() * 20, host, "systemd-resolved[402]",
                          "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.40.0.2.")
                      if s.rng.random() < 0.15 else
                      sys(t + s.rng.random() * 20, host, "amazon-cloudwatch-agent[771]",
                          f"{s.iso(t)} I! [outputs.cloudwatchlogs] Pushed {s.rng.randint(80, 900)} events"))
            t += 300 + s.rng.random() * 120
        for t in (-3 * 3600 + 40, -3 * 3600 + 95):
            sl.append(sys(t, host, "amazon-ssm-agent[655]", "INFO [ssm-agent-worker] [MessagingDeliveryService] "
                                                             "Sending reply for command AWS-RunPatchBaseline"))
        if is2:
            for t in s.times(lambda t: 9, start=full_at + 10):
                if s.rng.random() < 0.55:
                    sl.append(sys(t, host, f"puma[{pid}]", "log writing failed. No space left on device @ io_write - "
                                                           "/var/www/reports/shared/log/production.log"))
                elif s.rng.random() < 0.6:
                    sl.append(sys(t, host, "nginx", f"{s.stamp(t + 11 * 3600, '%Y/%m/%d %H:%M:%S')} [crit] 2212#2212: "
                                                    f"*{s.rng.randint(80000, 99999)} pwritev() \"/var/lib/nginx/body/"
                                                    f"{s.rng.randint(1, 9999999):010d}\" failed (28: No space left on "
                                                    "device), client: 10.40.0.87, server: reports.acme.com.au, request: "
                                                    "\"POST /uploads HTTP/1.1\", host: \"reports.acme.com.au\""))
                else:
                    sl.append(sys(t, host, f"puma[{pid}]", f"[{s.hexid(8)}] Errno::ENOSPC (No space left on device @ "
                                                           f"rb_sysopen - /var/www/reports/shared/tmp/exports/report-"
                                                           f"{s.rng.randint(1000, 9999)}-{s.hexid(6)}.xlsx)"))
        s.log("/ec2/reports/syslog", iid, sl)
        for t in s.times(lambda t: 6 * s.diurnal(t, 0.08, 13) + 0.3, start=-6 * 3600):
            if is2 and t >= full_at:
                break
            rid = s.uid()
            if s.rng.random() < 0.03:
                pl.append(rails(t, pid, "INFO", rid, f'Started GET "/{s.pick(["wp-login.php", ".env", "xmlrpc.php", "phpmyadmin/"])}" '
                                                     f"for {s.ip('10.40')} at {s.stamp(t + 11 * 3600, '%Y-%m-%d %H:%M:%S')} +1100"))
                pl.append(rails(t + 0.004, pid, "FATAL", rid, "ActionController::RoutingError (No route matches [GET] "
                                                              "\"/wp-login.php\"):"))
                continue
            meth, pat, _ = s.pick(paths, [p[2] for p in paths])
            path = pat % s.rng.randint(1000, 9999) if "%d" in pat else pat
            pl.append(rails(t, pid, "INFO", rid, f'Started {meth} "{path}" for {s.ip("10.40")} at '
                                                 f"{s.stamp(t + 11 * 3600, '%Y-%m-%d %H:%M:%S')} +1100"))
            ms = 80 + s.rng.random() * 300
            pl.append(rails(t + ms / 1000, pid, "INFO", rid, f"Completed 200 OK in {int(ms)}ms (Views: {ms * 0.4:.1f}ms | "
                                                             f"ActiveRecord: {ms * 0.3:.1f}ms | Allocations: "
                                                             f"{s.rng.randint(9000, 60000)})"))
        s.log("/ec2/reports/production", iid, pl)

    s.change(-3 * 3600, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", W1, "patch-manager-automation")
    s.change(-3 * 3600 + 2, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", W2, "patch-manager-automation")
    s.change(-90 * 60, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
             "AWS::ElasticLoadBalancingV2::TargetGroup", "reports-tg", "terraform-ci")
    when = first_breach(r5, 60, 3, 30, ">")
    s.alarm("reports-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Sum", 60, 3, 30,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (30.0).",
            min(when or -1200, -60), description="reports portal targets returning 5xx")
    s.expect = {"alarm": "reports-alb-target-5xx",
                "root_cause": {"category": "storage_exhaustion", "resource": META["resources"]},
                "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                               "dimensions": {"InstanceId": W2, "path": "/", "device": "nvme0n1p1", "fstype": "ext4"}},
                              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": a}]}
    return s
