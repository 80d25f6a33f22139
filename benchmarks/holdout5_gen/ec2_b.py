"""EC2 fleets behind ALBs: h5-16 (root disk fills on one instance) and h5-18 (MySQL RDS storage latency)."""
from __future__ import annotations

import numpy as np

from .common import (N, T, alarm, alb_metrics, change, ec2_metrics, expect, find, hexid, level, log, metric, pois,
                     poisson_times, rds_metrics, scenario, wall, window)
from .ec2_a import nginx, syslog

GB = 1024 ** 3


# ------------------------------------------------------------------ h5-16
def ec2_disk_full(rng):
    region = "ap-southeast-1"
    lb = "app/legacy-portal-alb/4d8a2f6c0e1b3957"
    fleet = [("i-0e6c4a2b8d0f13579", "portal-1", "ip-10-8-1-24"), ("i-0a3b5c7d9e1f24680", "portal-2", "ip-10-8-2-57")]
    bad_id = fleet[0][0]
    full = -1680
    sick = (T >= full).astype(float)
    req = np.round(level(rng, 520, 0.05, daily=0.3, phase=-5000))
    metrics = []
    for iid, name, host in fleet:
        if iid == bad_id:
            disk = 71.0 + (T + 21600) / (21600 + full) * 29.0
            disk = np.minimum(np.where(T >= full, 100.0, disk + rng.normal(0, 0.05, N)), 100.0)
        else:
            disk = 46.2 + (T + 21600) / 21600 * 0.3 + rng.normal(0, 0.03, N)
        netin = level(rng, 9e5, 0.1) + (window(-13800, -12600) * 3.5e8 if name == "portal-2" else 0)
        metrics += ec2_metrics(iid, level(rng, 19, 0.1), netin, level(rng, 61, 0.02), disk, fstype="ext4")
    t5 = pois(rng, 0.4 + sick * req / 2 * 0.42)
    metrics = alb_metrics(lb, req, level(rng, 0.21, 0.07) * (1 - sick * 0.2), t5, pois(rng, 0.02 * np.ones(N)),
                          np.zeros(N), np.full(N, 2.0), rng=rng) + metrics

    logs = []
    for iid, name, host in fleet:
        is_bad = iid == bad_id
        acc, err, php = [], [], []
        for t in poisson_times(rng, 26.0, -10800, 0):
            ip = f"10.8.{rng.integers(0, 3)}.{rng.integers(2, 250)}"
            path = ["/index.php", "/account/invoices.php", "/login.php", "/static/app.css",
                    "/account/profile.php"][rng.integers(0, 5)]
            status, size = 200, int(rng.integers(300, 20000))
            if is_bad and t >= full and not path.startswith("/static") and rng.uniform() < 0.9:
                status, size = 500, 0
                sess = hexid(rng, 26)
                php.append((t, f"[{wall(t):%d-%b-%Y %H:%M:%S} UTC] PHP Warning:  session_start(): "
                               f"open(/var/lib/php/sessions/sess_{sess}, O_RDWR) failed: No space left on device "
                               f"(28) in /var/www/portal/lib/bootstrap.php on line 31"))
                php.append((t + 0.001, f"[{wall(t):%d-%b-%Y %H:%M:%S} UTC] PHP Fatal error:  Uncaught "
                                       "RuntimeException: session could not be started in "
                                       "/var/www/portal/lib/bootstrap.php:33"))
            acc.append((t, nginx(rng, t, ip, "GET", path, status, size, rng.gamma(2, 0.05))))
        for t in poisson_times(rng, 1.0, -10800, 0):
            php.append((t, f"[{wall(t):%d-%b-%Y %H:%M:%S} UTC] PHP Notice:  Undefined index: utm_source in "
                           "/var/www/portal/lib/tracking.php on line 12"))
        if is_bad:
            for t in poisson_times(rng, 1.5, full, 0):
                err.append((t, f"{wall(t):%Y/%m/%d %H:%M:%S} [crit] 1873#1873: *{rng.integers(10**5, 10**6)} "
                               f"pwrite() \"/var/lib/nginx/body/00000{rng.integers(10000, 99999)}\" failed (28: No "
                               "space left on device), client: 10.8.1.5, server: portal, request: \"POST "
                               "/account/profile.php HTTP/1.1\""))
        logs.append(log("/portal/nginx/access", iid, acc))
        logs.append(log("/portal/php-fpm/error", iid, php))
        if err:
            logs.append(log("/portal/nginx/error", iid, err))
        msgs = []
        for t in np.arange(-21600, 0, 3600.0) + 1020:
            msgs.append((t, syslog(t, host, "CRON[%d]" % rng.integers(1000, 9000),
                                   "(root) CMD (cd / && run-parts --report /etc/cron.hourly)")))
            if is_bad:
                msgs.append((t + 1, syslog(t + 1, host, "logrotate", 'error: skipping "/var/log/portal/debug.log" '
                                           "because parent directory has insecure permissions (It's world writable "
                                           'or writable by group which is not "root") Set "su" directive in config '
                                           "file to tell logrotate which user/group should be used for rotation.")))
        if is_bad:
            msgs.append((full + 30, syslog(full + 30, host, "rsyslogd", "file '/var/log/syslog' write error: No space "
                                                                        "left on device [v8.2112.0 try "
                                                                        "https://www.rsyslog.com/e/2027 ]")))
        logs.append(log("/var/log/messages", iid, msgs))
    changes = [change(-20500, "ssm.amazonaws.com", "SendCommand", "AWS::SSM::Document", "AWS-RunPatchBaseline",
                      "patch-manager"),
               change(-13900, "backup.amazonaws.com", "StartBackupJob", "AWS::EC2::Instance", fleet[1][0],
                      "aws-backup")]
    al = alarm("legacy-portal-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 10,
               description="legacy portal target 5xx")
    resources = [{"type": "alb", "id": lb, "properties": {"name": "legacy-portal-alb", "targets": [f[0] for f in fleet]}}]
    for iid, name, host in fleet:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": name, "instance_type": "t3.large", "root_volume_gb": 40,
            "log_groups": ["/portal/nginx/access", "/portal/nginx/error", "/portal/php-fpm/error",
                           "/var/log/messages"]}})
    scn = scenario("h5-16-ec2-disk-full", "Customer portal logins failing intermittently; portal 5xx alarm.",
                   region, resources, metrics, logs, [al], changes,
                   expect(al["name"], "storage_exhaustion", [bad_id, "portal-1"],
                          [find(metrics, "disk_used_percent", InstanceId=bad_id),
                           find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-16-ec2-disk-full.yaml", "scenario": scn,
            "decoys": "patch baseline run 5.7 h earlier; portal-2 backup network burst; steady PHP notices on both",
            "story": "Since a patch run changed /var/log/portal permissions, logrotate has been skipping the "
                     "portal's debug log on portal-1 every hour. The 40 GB root volume fills steadily and reaches "
                     "100 %: PHP cannot write session files and nginx cannot buffer request bodies, so about half "
                     "of the portal's requests (everything routed to portal-1 that needs a session) return 500. "
                     "portal-2 is healthy."}


# ------------------------------------------------------------------ h5-18
def ec2_rds_io_latency(rng):
    region = "eu-west-1"
    lb = "app/shipping-alb/a53c8e1f6b2d4097"
    fleet = [("i-07e2c4a6b8d0f1357", "shipping-api-1", "ip-10-44-1-12"),
             ("i-0c8a1e3f5b7d92468", "shipping-api-2", "ip-10-44-2-36")]
    db = "shipping-db"
    onset = -1750
    bad = window(onset, 0)
    deg = bad * (0.7 + 0.3 * rng.uniform(0, 1, N))
    req = np.round(level(rng, 680, 0.05, daily=0.25, phase=-12000))
    t5 = pois(rng, 0.4 + deg * req * 0.09)
    trt = level(rng, 0.061, 0.07) + deg * rng.uniform(0.45, 0.7, N)
    metrics = alb_metrics(lb, req, trt, t5, pois(rng, 0.02 * np.ones(N)), np.zeros(N), np.full(N, 2.0), rng=rng)
    for iid, name, host in fleet:
        metrics += ec2_metrics(iid, level(rng, 17, 0.08) * (1 - bad * 0.25), level(rng, 2.2e6, 0.08),
                               level(rng, 38, 0.02), level(rng, 29.4, 0.003))
    metrics += rds_metrics(db, level(rng, 21, 0.08) * (1 - bad * 0.3), np.round(level(rng, 42, 0.06) + deg * 60),
                           310 * GB - T * 700 + rng.normal(0, 3e7, N), level(rng, 0.0009, 0.15) + deg * 0.24,
                           level(rng, 0.0016, 0.15) + deg * 0.33, level(rng, 9.8 * GB, 0.01))
    metrics.append(metric("AWS/RDS", "DiskQueueDepth", {"DBInstanceIdentifier": db}, "Count",
                          level(rng, 0.6, 0.2) + deg * rng.uniform(35, 60, N), 3))

    logs = []
    for iid, name, host in fleet:
        ev = []
        for t in poisson_times(rng, 14.0, -10800, 0):
            if t >= onset and rng.uniform() < 0.09:
                q = ["get shipment", "list tracking events", "update shipment status"][rng.integers(0, 3)]
                ev.append((t, f'time={wall(t):%Y-%m-%dT%H:%M:%S.%f}'[:-3] + f'Z level=ERROR msg="request failed" '
                              f'path=/v1/shipments/{hexid(rng, 10)} status=504 err="{q}: context deadline exceeded" '
                              f'db=shipping-db.cx3u7wq1nd9a.eu-west-1.rds.amazonaws.com:3306 elapsed=3.0s'))
            else:
                ms = rng.gamma(2, 18) + (rng.uniform(300, 2400) if t >= onset else 0)
                ev.append((t, f'time={wall(t):%Y-%m-%dT%H:%M:%S.%f}'[:-3] + f'Z level=INFO msg="request" '
                              f'path=/v1/shipments/{hexid(rng, 10)} status=200 dur_ms={ms:.0f}'))
        for t in poisson_times(rng, 1.1, -10800, 0):
            ev.append((t, f'time={wall(t):%Y-%m-%dT%H:%M:%S.%f}'[:-3] + 'Z level=WARN msg="carrier rate limited, '
                          f'retrying" carrier=dhl status=429 retry_in=2s shipment={hexid(rng, 10)}'))
        logs.append(log("/shipping/api", iid, ev))
    err = []
    for t in np.arange(onset + 40, 0, 20.0):
        err.append((t, f"{wall(t):%Y-%m-%dT%H:%M:%S.%f}Z 0 [Note] [MY-011953] [InnoDB] Page cleaner took "
                       f"{rng.integers(4000, 19000)}ms to flush {rng.integers(200, 2000)} and evict 0 pages"))
    for t in poisson_times(rng, 0.5, onset + 300, 0):
        err.append((t, f"{wall(t):%Y-%m-%dT%H:%M:%S.%f}Z 0 [Warning] [MY-012985] [InnoDB] A long semaphore wait:"))
        err.append((t + 0.001, f"--Thread {rng.integers(10**13, 10**14)} has waited at fil0fil.cc line 7873 for "
                               f"{int(min(rng.integers(240, 600), t - onset - 30))} seconds the semaphore:"))
    for t in (-20000, -12000, -4000):
        err.append((t, f"{wall(t):%Y-%m-%dT%H:%M:%S.%f}Z {rng.integers(100, 999)} [Note] [MY-010914] [Server] "
                       f"Aborted connection {rng.integers(10**5, 10**6)} to db: 'shipping' user: 'reporting' host: "
                       "'10.44.9.7' (Got timeout reading communication packets)."))
    logs.append(log(f"/aws/rds/instance/{db}/error", "mysql-error.log", err))
    slow = []
    for t in poisson_times(rng, 6.0, onset, 0):
        qt = rng.uniform(2.1, 14.0)
        slow.append((t, f"# Time: {wall(t):%Y-%m-%dT%H:%M:%S.%f}Z\n# User@Host: shipping_app[shipping_app] @  "
                        f"[10.44.{rng.integers(1, 3)}.{rng.integers(2, 250)}]  Id: {rng.integers(10**5, 10**6)}\n"
                        f"# Query_time: {qt:.6f}  Lock_time: 0.000003 Rows_sent: 1  Rows_examined: 1\n"
                        f"SET timestamp={int(wall(t).timestamp())};\nSELECT * FROM shipments WHERE id = "
                        f"{rng.integers(10**7, 10**8)};"))
    logs.append(log(f"/aws/rds/instance/{db}/slowquery", "mysql-slowquery.log", slow))
    changes = [change(-9000, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
                      "shipping-api-prod", "jenkins"),
               change(-15000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "dba-oconnor")]
    al = alarm("shipping-alb-5xx", find(metrics, "HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 20,
               description="shipping ALB target 5xx")
    resources = [{"type": "alb", "id": lb, "properties": {"name": "shipping-alb", "targets": [f[0] for f in fleet]}}]
    for iid, name, host in fleet:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": name, "instance_type": "c7g.large", "log_groups": ["/shipping/api"]}})
    resources.append({"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.39",
                                                               "instance_class": "db.r6g.large",
                                                               "max_connections": 1000, "allocated_storage_gb": 400,
                                                               "storage_type": "gp2"}})
    scn = scenario("h5-18-ec2-rds-io-latency", "Shipping API timeouts; shipping ALB 5xx alarm.", region,
                   resources, metrics, logs, [al], changes,
                   expect(al["name"], "dependency_failure", [db],
                          [find(metrics, "WriteLatency"), find(metrics, "ReadLatency"),
                           find(metrics, "HTTPCode_Target_5XX_Count")]))
    return {"file": "h5-18-ec2-rds-io-latency.yaml", "scenario": scn,
            "decoys": "CodeDeploy deployment to the API fleet 2.5 h earlier; DB snapshot 4 h earlier; steady "
                      "carrier 429 warnings; occasional aborted reporting connections",
            "story": "The EBS storage under shipping-db degraded: read and write latency jump from ~1 ms to "
                     "250-350 ms and the disk queue depth climbs, while DB CPU falls and connections (~100 of 1000) "
                     "stay far from the limit. Primary-key lookups appear in the slow query log, InnoDB reports "
                     "slow page-cleaner flushes and long semaphore waits, and the Go API's 3 s query deadline "
                     "expires for about 9 % of requests, which it returns as 504."}
